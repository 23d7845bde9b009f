package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofa/twofa/internal/privatefile"
)

// fakeOS is an in-memory OSKeyring; with fail set every call fails like
// go-keyring without D-Bus, with hang set every call blocks until released.
type fakeOS struct {
	mu      sync.Mutex
	m       map[string]string
	fail    error
	hang    chan struct{}
	calls   int
	service []string
}

func (f *fakeOS) wait() error {
	f.mu.Lock()
	f.calls++
	hang, fail := f.hang, f.fail
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	return fail
}

func (f *fakeOS) Set(service, user, secret string) error {
	if err := f.wait(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]string{}
	}
	f.m[service+"|"+user] = secret
	f.service = append(f.service, service)
	return nil
}

func (f *fakeOS) Get(service, user string) (string, error) {
	if err := f.wait(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.m[service+"|"+user]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (f *fakeOS) Delete(service, user string) error {
	if err := f.wait(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.m[service+"|"+user]; !ok {
		return ErrNotFound
	}
	delete(f.m, service+"|"+user)
	return nil
}

var errNoDBus = errors.New(`exec: "dbus-launch": executable file not found in $PATH`)

// noKernel stands in for a system without a kernel keyring.
func noKernel() (backend, error) { return nil, errors.New("no kernel keyring") }

// exercise runs the common contract of every backend through a Store.
func exercise(t *testing.T, s *Store, server string) {
	t.Helper()
	if _, err := s.Load(server, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load before Save: %v, want ErrNotFound", err)
	}
	if err := s.Save(server, "alice", "tok-a1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(server, "alice", "tok-a2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(server, "bob", "tok-b"); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(server+"/other", "alice", "tok-other"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ server, user, want string }{
		{server, "alice", "tok-a2"}, {server, "bob", "tok-b"}, {server + "/other", "alice", "tok-other"},
	} {
		if got, err := s.Load(tt.server, tt.user); err != nil || got != tt.want {
			t.Fatalf("Load(%s, %s) = %q, %v; want %q", tt.server, tt.user, got, err, tt.want)
		}
	}
	if err := s.Delete(server, "alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(server, "alice"); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
	if _, err := s.Load(server, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load after Delete: %v", err)
	}
	if got, _ := s.Load(server, "bob"); got != "tok-b" {
		t.Fatalf("Delete removed another user's token")
	}
	_ = s.Delete(server, "bob")
	_ = s.Delete(server+"/other", "alice")
	if err := s.Save(server, "alice", ""); err == nil {
		t.Fatal("empty token saved")
	}
}

func TestNewDoesNoIO(t *testing.T) {
	f := &fakeOS{}
	s := New(Options{OS: f})
	if f.calls != 0 || s.Storage() != (Storage{}) {
		t.Fatalf("New touched the keyring: calls=%d storage=%+v", f.calls, s.Storage())
	}
}

func TestOSKeyringBackend(t *testing.T) {
	f := &fakeOS{}
	s := New(Options{OS: f})
	exercise(t, s, "https://os.example")
	if st := s.Storage(); st != (Storage{Name: BackendOS}) {
		t.Fatalf("storage = %+v", st)
	}
	if f.service[0] != "twofa:https://os.example" {
		t.Fatalf("service = %q", f.service[0])
	}
}

func TestFallbackOrder(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		os       OSKeyring
		kernel   func() (backend, error)
		insecure bool
		want     string
		file     bool // Storage.File names the file
		fallback bool // Storage.MemoryFallback
	}{
		{"OS keyring answers", &fakeOS{}, noKernel, true, BackendOS, false, false},
		{"no D-Bus: kernel keyring", &fakeOS{fail: errNoDBus}, func() (backend, error) { return newMemoryBackendNamed(BackendKernel), nil }, true, BackendKernel, false, false},
		{"no keyrings, file allowed", &fakeOS{fail: errNoDBus}, noKernel, true, BackendFile, true, false},
		{"no keyrings, no file", &fakeOS{fail: errNoDBus}, noKernel, false, BackendMemory, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{OS: tt.os, InsecureFile: tt.insecure, Dir: filepath.Join(dir, tt.name)})
			s.kernel = tt.kernel
			exercise(t, s, "https://fallback.example")
			st := s.Storage()
			if st.Name != tt.want || st.MemoryFallback != tt.fallback {
				t.Fatalf("storage = %+v, want %q (memory fallback %v)", st, tt.want, tt.fallback)
			}
			if wantFile := filepath.Join(dir, tt.name, fileName); (st.File == wantFile) != tt.file || (!tt.file && st.File != "") {
				t.Fatalf("storage file = %q, want %v (%s)", st.File, tt.file, wantFile)
			}
		})
	}
}

// namedMemory is a memory backend under another name: a stand-in kernel
// keyring, so the order is tested even where keyctl is unavailable.
type namedMemory struct {
	*memoryBackend
	n string
}

func (b namedMemory) name() string { return b.n }

func newMemoryBackendNamed(n string) backend { return namedMemory{newMemoryBackend(), n} }

// TestHangingOSKeyringTimesOut proves a locked Secret Service that never
// answers costs one timeout, then the next backend takes over.
func TestHangingOSKeyringTimesOut(t *testing.T) {
	f := &fakeOS{hang: make(chan struct{})}
	defer close(f.hang)
	s := New(Options{OS: f})
	s.timeout = 50 * time.Millisecond
	s.kernel = noKernel
	done := make(chan error, 1)
	go func() { done <- s.Save("https://hang.example", "alice", "tok") }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Save blocked on a hanging OS keyring")
	}
	if st := s.Storage(); st.Name != BackendMemory || !st.MemoryFallback {
		t.Fatalf("storage = %+v, want memory only", st)
	}
	_, err := withTimeout(20*time.Millisecond, func() (string, error) { <-f.hang; return "", nil })
	if !errors.Is(err, errTimeout) {
		t.Fatalf("withTimeout err = %v", err)
	}
}

func TestDefaultTimeoutIsThreeSeconds(t *testing.T) {
	if s := New(Options{}); s.timeout != 3*time.Second {
		t.Fatalf("timeout = %v", s.timeout)
	}
}

// uniqueServer keeps parallel and repeated runs from seeing each other's keys.
func uniqueServer(t *testing.T) string {
	return fmt.Sprintf("https://test-%s-%d.invalid", t.Name(), time.Now().UnixNano())
}

func TestKernelKeyringThroughStore(t *testing.T) {
	if _, err := kernelBackend(); err != nil {
		t.Skipf("kernel keyring not usable here: %v", err)
	}
	s := New(Options{OS: &fakeOS{fail: errNoDBus}})
	exercise(t, s, uniqueServer(t))
	if st := s.Storage(); st != (Storage{Name: BackendKernel}) {
		t.Fatalf("storage = %+v", st)
	}
}

func TestFileBackendPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "twofa")
	b := &fileBackend{dir: dir}
	if err := b.set("https://f.example", "alice", "tok-file"); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, b.path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode = %o, want %o", path, fi.Mode().Perm(), want)
		}
	}
	if got, err := b.get("https://f.example", "alice"); err != nil || got != "tok-file" {
		t.Fatalf("get = %q, %v", got, err)
	}

	tests := []struct {
		name  string
		setup func(t *testing.T)
		want  string
	}{
		{"group-readable file", func(t *testing.T) { chmod(t, b.path(), 0o640) }, "chmod 600"},
		{"world-readable file", func(t *testing.T) { chmod(t, b.path(), 0o604) }, "chmod 600"},
		{"group-open dir", func(t *testing.T) { chmod(t, dir, 0o750) }, "chmod 700"},
		{"symlinked file", func(t *testing.T) {
			real := filepath.Join(t.TempDir(), "elsewhere.json")
			data, _ := os.ReadFile(b.path())
			_ = os.WriteFile(real, data, 0o600)
			_ = os.Rename(b.path(), b.path()+".bak")
			if err := os.Symlink(real, b.path()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Remove(b.path()); _ = os.Rename(b.path()+".bak", b.path()) })
		}, "symbolic link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t)
			_, err := b.get("https://f.example", "alice")
			var unsafe *privatefile.UnsafeError
			if !errors.As(err, &unsafe) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a privatefile.UnsafeError mentioning %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "tok-file") {
				t.Fatal("error leaks the token")
			}
			if err := b.set("https://f.example", "bob", "x"); err == nil {
				t.Fatal("set succeeded on an unsafe file")
			}
			chmod(t, dir, 0o700)
			if _, err := os.Lstat(b.path()); err == nil {
				if fi, _ := os.Lstat(b.path()); fi.Mode()&os.ModeSymlink == 0 {
					chmod(t, b.path(), 0o600)
				}
			}
		})
	}
	// Deleting the last session removes the file.
	if err := b.del("https://f.example", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.path()); !os.IsNotExist(err) {
		t.Fatalf("file remains after last delete: %v", err)
	}
}

func chmod(t *testing.T, p string, m os.FileMode) {
	t.Helper()
	if err := os.Chmod(p, m); err != nil {
		t.Fatal(err)
	}
}

func TestNewMemory(t *testing.T) {
	st := NewMemory("memory only (demo)")
	if got := st.Storage(); got != (Storage{Name: "memory only (demo)"}) {
		t.Fatalf("Storage() = %+v before any use, want the name it was given and no fallback", got)
	}
	if _, err := st.Load("https://h", "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load on an empty store: %v, want ErrNotFound", err)
	}
	if err := st.Save("https://h", "alice", "tok"); err != nil {
		t.Fatal(err)
	}
	if tok, err := st.Load("https://h", "alice"); err != nil || tok != "tok" {
		t.Fatalf("Load = %q, %v", tok, err)
	}
	if err := st.Delete("https://h", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load("https://h", "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Load after Delete: %v, want ErrNotFound", err)
	}
}
