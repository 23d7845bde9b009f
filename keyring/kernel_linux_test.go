//go:build linux

package keyring

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

func TestKernelKeyringRoundTrip(t *testing.T) {
	kb, err := kernelBackend()
	if err != nil {
		t.Skipf("kernel keyring not usable here: %v", err)
	}
	server := uniqueServer(t)
	t.Cleanup(func() { _ = kb.del(server, "alice") })

	if _, err := kb.get(server, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get before set: err = %v, want ErrNotFound", err)
	}
	if err := kb.set(server, "alice", "tok-1"); err != nil {
		t.Fatal(err)
	}
	if err := kb.set(server, "alice", "tok-2"); err != nil { // replaces
		t.Fatal(err)
	}
	got, err := kb.get(server, "alice")
	if err != nil || got != "tok-2" {
		t.Fatalf("get = %q, %v; want tok-2", got, err)
	}
	if _, err := kb.get(server, "bob"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other user: err = %v, want ErrNotFound", err)
	}

	// Permissions: possessor and same user all, group and other nothing.
	id, err := kb.(*kernelKeyring).find(server, "alice")
	if err != nil {
		t.Fatal(err)
	}
	desc, err := unix.KeyctlString(unix.KEYCTL_DESCRIBE, id)
	if err != nil {
		t.Fatal(err)
	}
	var typ string
	var uid, gid int
	var perm uint32
	if _, err := fmt.Sscanf(desc, "%4s;%d;%d;%x;", &typ, &uid, &gid, &perm); err != nil {
		t.Fatalf("describe %q: %v", desc, err)
	}
	if perm != keyPerm {
		t.Errorf("perm = %08x, want %08x", perm, keyPerm)
	}

	if err := kb.del(server, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := kb.get(server, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: err = %v, want ErrNotFound", err)
	}
	if err := kb.del(server, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
}
