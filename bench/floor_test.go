package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twofa/twofa/client"
	"github.com/twofa/twofa/internal/harness/gobuild"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server"
	"github.com/twofa/twofa/server/auth"
)

// TestFloorRouteOnlyInTheBenchfloorBuild builds twofa with the benchfloor
// tag, as the harness does, and drives its floor route with the real client:
// each request runs the one conditional UPDATE, so a step is taken once and
// only above the last. A normal build has no such route.
func TestFloorRouteOnlyInTheBenchfloorBuild(t *testing.T) {
	for _, r := range server.Routes() {
		if strings.HasPrefix(r.Pattern, "/floor/") {
			t.Fatalf("a normal build serves the floor route %s %s", r.Method, r.Pattern)
		}
	}
	if testing.Short() {
		t.Skip("builds twofa and runs its server")
	}
	dir := t.TempDir()
	root, err := gobuild.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "twofa-benchfloor")
	if err := gobuild.Build(root, bin, ".", "-tags=benchfloor"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dsn, jwt := "sqlite:"+filepath.Join(dir, "floor.db"), randomText(48)
	accts, err := provision(ctx, dsn, jwt, batch{"f", 1, false, auth.LightParams}, 1)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := startServer(bin, dsn, jwt, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	users, err := newUsers(srv.URL()+"/floor", 1)
	if err != nil {
		t.Fatal(err)
	}
	floor := func(step int64) error {
		_, err := users[0].ValidateTOTP(ctx, fmt.Sprintf("%d:%d", accts[0].ID, step), "000000")
		return err
	}
	reused := &client.APIError{Code: wire.CodeReused}
	for _, tt := range []struct {
		step    int64
		wantErr error
	}{{100, nil}, {100, reused}, {99, reused}, {101, nil}} {
		if err := floor(tt.step); !errors.Is(err, tt.wantErr) {
			t.Errorf("floor step %d: %v, want %v", tt.step, err, tt.wantErr)
		}
	}
}
