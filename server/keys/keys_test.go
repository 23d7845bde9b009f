package keys

import (
	"strings"
	"testing"
)

// TestDeriveFernetKey matches CoPilot's derivation, computed in Python as
// base64.urlsafe_b64encode(hashlib.sha256(b"copilot-jwt-secret").digest()).
func TestDeriveFernetKey(t *testing.T) {
	const want = "Vilta7paF_foQnjAfqlyCDoVjKvtbSrDXdG0JaJXBac="
	if got := DeriveFernetKey("copilot-jwt-secret"); got != want {
		t.Fatalf("DeriveFernetKey = %s, want %s", got, want)
	}
}

func TestRing(t *testing.T) {
	const k1 = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
	const k2 = "JFIp8ED9Y6l8EqcK8SaE6ZyUIvKB4qC6TWPzw4wWxOc="
	old, err := NewRing(k2, "")
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := old.Encrypt([]byte("JBSWY3DPEHPK3PXP"))
	both, err := NewRing(k1+", "+k2, "")
	if err != nil || both.Len() != 2 {
		t.Fatalf("NewRing: %v", err)
	}
	if got, err := both.Decrypt(tok); err != nil || string(got) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("old key's token: %q, %v", got, err)
	}
	tok2, _ := both.Encrypt([]byte("x"))
	newOnly, _ := NewRing(k1, "")
	if _, err := newOnly.Decrypt(tok2); err != nil {
		t.Fatal("the first key must be the one that encrypts")
	}
	if _, err := newOnly.Decrypt(tok); err != ErrDecrypt {
		t.Fatalf("dropped key still decrypts: %v", err)
	}
	derived, _ := NewRing("", "some jwt secret")
	explicit, _ := NewRing(DeriveFernetKey("some jwt secret"), "")
	tok3, _ := derived.Encrypt([]byte("y"))
	if _, err := explicit.Decrypt(tok3); err != nil {
		t.Fatal("default key is not the derived one")
	}
	_, err = NewRing("not-a-key", "")
	if err == nil || strings.Contains(err.Error(), "not-a-key") {
		t.Fatalf("bad key error must not echo the key: %v", err)
	}
}

func TestIndex(t *testing.T) {
	a, _ := NewIndex("", "jwt secret one")
	b, _ := NewIndex("", "jwt secret two")
	if a.Of(1, "ABCDEFGH23") == b.Of(1, "ABCDEFGH23") {
		t.Fatal("index does not depend on the key")
	}
	if a.Of(1, "ABCDEFGH23") == a.Of(2, "ABCDEFGH23") {
		t.Fatal("index does not depend on the account")
	}
	first, again := a.Of(1, "ABCDEFGH23"), a.Of(1, "ABCDEFGH23")
	if first != again || len(a.Of(1, "X")) != 64 {
		t.Fatal("index not deterministic hex SHA-256")
	}
	if _, err := NewIndex("short", ""); err == nil {
		t.Fatal("short explicit index key accepted")
	}
}
