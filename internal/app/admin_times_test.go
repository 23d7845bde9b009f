package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/store"
)

// TestAdminTimes: the admin tables show a lock's end and an event's time
// as every screen does (local zone, named), whatever zone the store gave.
func TestAdminTimes(t *testing.T) {
	was := time.Local
	time.Local = time.FixedZone("CET", 3600)
	defer func() { time.Local = was }()
	at := time.Date(2030, 1, 2, 10, 15, 0, 0, time.UTC)
	tests := []struct {
		name  string
		print func(*bytes.Buffer) error
		want  string
	}{
		{"list-users", func(b *bytes.Buffer) error {
			return printUsers(b, []server.UserInfo{{User: store.User{ID: 3, Username: "olga", Role: "user"}, LockedUntil: &at}})
		}, "2030-01-02 11:15 CET"},
		{"audit", func(b *bytes.Buffer) error {
			return printAudit(b, []server.AuditEvent{{At: at, Username: "olga", Event: "lockout"}})
		}, "2030-01-02 11:15 CET  olga"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.print(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, b.String())
			}
		})
	}
}
