// Package e2e holds the end-to-end test of twofa: the real binary in a
// pseudo-terminal, read through a terminal emulator, against a real
// `twofa serve`. Everything is in _test.go files; run it with
// `go test ./e2e/...`. Set TWOFA_E2E_SHOW=1 to log the QR step's screen.
package e2e
