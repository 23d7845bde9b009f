package client

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/harness/fakecopilot"
	"github.com/twofa/twofa/internal/wire"
	"github.com/twofa/twofa/server/servertest"
)

// TestExtensionsRemembered: the client learns from the first answer whether
// the server has an [ext] route, asks a missing one only once, and shares
// what it learnt with every client bound by WithToken.
func TestExtensionsRemembered(t *testing.T) {
	ctx := context.Background()
	t.Run("stock CoPilot", func(t *testing.T) {
		e := newCoPilot(t)
		e.fake.AddUser("bob", "pw", fakecopilot.RoleAnalyst)
		c, _ := newAgainst(t, e.url)
		if _, known := c.Offers(ExtMe); known || !c.SetupTakesPassword() {
			t.Fatal("known before any request, or no password before the server's kind is known")
		}
		lr, err := c.Login(ctx, "bob", "pw")
		if err != nil {
			t.Fatal(err)
		}
		bound := c.WithToken(lr.AccessToken)
		for i := 0; i < 3; i++ {
			if _, err := bound.Me(ctx); !errors.Is(err, ErrNotOffered) {
				t.Fatalf("Me #%d = %v, want ErrNotOffered", i, err)
			}
		}
		if n := e.fake.Requests("/api/auth/me"); n != 1 {
			t.Fatalf("/me asked %d times, want once", n)
		}
		if offered, known := c.Offers(ExtMe); offered || !known {
			t.Fatalf("Offers(ExtMe) = %v, %v on the client bound from; want absent and known", offered, known)
		}
		if c.SetupTakesPassword() {
			t.Fatal("a stock CoPilot is asked for a password before setup")
		}
		if _, err := bound.TwoFAStatus(ctx); err != nil {
			t.Fatalf("the bound client's token was not sent: %v", err)
		}
		if _, err := c.TwoFAStatus(ctx); !errors.Is(err, &APIError{Code: wire.Unauthorized}) {
			t.Fatalf("WithToken changed the original client's token: %v", err)
		}
	})
	t.Run("reference server", func(t *testing.T) {
		s := servertest.New(t, servertest.Options{})
		s.CreateUser(t, "alice", "alice-password-1", "user")
		c, _ := newAgainst(t, s.URL)
		lr, err := c.Login(ctx, "alice", "alice-password-1")
		if err != nil {
			t.Fatal(err)
		}
		me, err := c.WithToken(lr.AccessToken).Me(ctx)
		if err != nil || me.Username != "alice" {
			t.Fatalf("Me = %+v, %v", me, err)
		}
		if offered, known := c.Offers(ExtMe); !offered || !known || !c.SetupTakesPassword() {
			t.Fatalf("Offers(ExtMe) = %v, %v; want offered", offered, known)
		}
		if _, known := c.Offers(ExtLogout); known {
			t.Fatal("an extension never asked is known")
		}
	})
}

// TestAddressErrors: a bad server address is refused with its problem as
// a fact, and an address with a password in it is not repeated.
func TestAddressErrors(t *testing.T) {
	tests := []struct {
		in   string
		want AddressProblem
	}{
		{"", AddressEmpty},
		{"ftp://host", AddressScheme},
		{"https://", AddressNoHost},
		{"https://bob:pw@host", AddressUserInfo},
		{"https://host/?x=1", AddressQuery},
		{"https://host:port:x", AddressNotURL},
	}
	for _, tt := range tests {
		_, err := New(Options{Server: tt.in})
		var ae *AddressError
		if !errors.As(err, &ae) || ae.Problem != tt.want {
			t.Errorf("New(%q) = %v, want problem %d", tt.in, err, tt.want)
			continue
		}
		if tt.want == AddressUserInfo && (ae.Address != "" || strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "bob")) {
			t.Errorf("New(%q) repeats the credentials: %v", tt.in, err)
		}
	}
}
