package server_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/twofa/twofa/internal/harness/testdb"
)

// TestSetupQRCodeDecodes: the QR code of setup's answer is a PNG that a
// QR reader (gozxing) decodes to exactly the answer's otpauth URI.
func TestSetupQRCodeDecodes(t *testing.T) {
	e := newEnv(t, testdb.SQLite)
	e.user("quinn", "quinn password", "user")
	tok := e.login("quinn", "quinn password").str("access_token")
	setup := e.do("POST", "/api/auth/2fa/setup", tok, map[string]string{"password": "quinn password"}).want(t, 200, "")
	b64, ok := strings.CutPrefix(setup.str("qr_data_uri"), "data:image/png;base64,")
	if !ok {
		t.Fatalf("qr_data_uri %.40q… is not a base64 PNG data URI", setup.str("qr_data_uri"))
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the QR code is not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode the QR code: %v", err)
	}
	if got, want := res.GetText(), setup.str("otpauth_url"); got != want || !strings.HasPrefix(want, "otpauth://totp/twofa-test:quinn?") {
		t.Fatalf("QR code says %q, otpauth_url %q", got, want)
	}
}
