package qrview

import (
	"testing"

	"github.com/muesli/termenv"
)

// benchURI is a typical otpauth URI: 41x41 modules at level L.
const benchURI = "otpauth://totp/twofa:alice?algorithm=SHA1&digits=6&issuer=twofa&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// BenchmarkRender compares a first render (QR encoding and painting) with a
// model's cached one, which is what every frame after the first costs.
func BenchmarkRender(b *testing.B) {
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Render(benchURI, 2, false, termenv.TrueColor); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		m := New(benchURI, true, termenv.TrueColor).SetSize(80, 24)
		if _, err := m.render(2); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.render(2); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkModelView is the QR view at 80x24 as the wizard draws it each frame.
func BenchmarkModelView(b *testing.B) {
	m := New(benchURI, true, termenv.TrueColor).SetSize(80, 24)
	if !m.Fits() {
		b.Fatal("a typical URI must fit 80x24")
	}
	_ = m.View()
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
