package app

import (
	"testing"

	"github.com/twofa/twofa/server/auth"
)

// TestServeMemoryLimit: serve's soft memory limit is the argon2id budget
// plus the headroom, unless GOMEMLIMIT already says one.
func TestServeMemoryLimit(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		limit int64
		ok    bool
	}{
		{"default", nil, auth.MemoryBudget()*1024 + memoryHeadroom, true},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit, ok := serveMemoryLimit(func(k string) string { return tt.env[k] })
			if limit != tt.limit || ok != tt.ok {
				t.Fatalf("serveMemoryLimit = %d, %v; want %d, %v", limit, ok, tt.limit, tt.ok)
			}
		})
	}
	if want := int64(128 << 20); auth.MemoryBudget()*1024+memoryHeadroom != want {
		t.Fatalf("default limit %d, want %d (64 MiB budget + 64 MiB)", auth.MemoryBudget()*1024+memoryHeadroom, want)
	}
}
