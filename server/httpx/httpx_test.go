package httpx

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type body struct {
	TempToken  *string `json:"temp_token"`
	Code       *string `json:"code"`
	BackupCode *string `json:"backup_code"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, ct, in string
		allowEmpty   bool
		status       int
	}{
		{"ok", "application/json", `{"code":"123456"}`, false, 0},
		{"charset", "application/json; charset=utf-8", `{"code":"1"}`, false, 0},
		{"no content type", "", `{"code":"1"}`, false, 0},
		{"empty allowed", "application/json", ``, true, 0},
		{"empty refused", "application/json", `  `, false, 400},
		{"form", "application/x-www-form-urlencoded", `code=1`, false, 415},
		{"syntax", "application/json", `{"code":`, false, 400},
		{"unknown field", "application/json", `{"code":"1","x":1}`, false, 400},
		{"wrong type", "application/json", `{"code":123456}`, false, 400},
		{"not an object", "application/json", `"code"`, false, 400},
		{"trailing object", "application/json", `{"code":"1"}{"code":"2"}`, false, 400},
		{"trailing garbage", "application/json", `{"code":"1"} x`, false, 400},
		{"duplicate key", "application/json", `{"code":"000000","code":"123456"}`, false, 400},
		{"duplicate key, escaped", "application/json", `{"code":"1","co\u0064e":"2"}`, false, 400},
		{"duplicate key, null first", "application/json", `{"code":null,"code":"1"}`, false, 400},
		{"key in another case", "application/json", `{"Code":"123456"}`, false, 400},
		{"key in upper case", "application/json", `{"CODE":"123456"}`, false, 400},
		{"key with a Kelvin sign", "application/json", `{"bac\u212Aup_code":"x"}`, false, 400},
		{"escaped key, exact", "application/json", `{"co\u0064e":"1"}`, false, 0},
		{"every field once", "application/json", `{"temp_token":"t","code":"1","backup_code":"2"}`, false, 0},
		{"too big", "application/json", `{"code":"` + strings.Repeat("1", MaxBody) + `"}`, false, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.in))
			if tt.ct != "" {
				r.Header.Set("Content-Type", tt.ct)
			}
			var b body
			e := DecodeJSON(httptest.NewRecorder(), r, &b, tt.allowEmpty)
			switch {
			case tt.status == 0 && e != nil:
				t.Fatalf("refused: %v", e)
			case tt.status != 0 && (e == nil || e.Status != tt.status || e.Detail == ""):
				t.Fatalf("got %+v, want status %d", e, tt.status)
			}
		})
	}
}

// TestDecodeJSONSays: the refusals of a repeated key and of a key in the
// wrong case name the key, and the right spelling.
func TestDecodeJSONSays(t *testing.T) {
	for in, want := range map[string]string{
		`{"code":"1","code":"2"}`: `Field "code" appears twice in the request body.`,
		`{"Code":"1"}`:            `Unknown field "Code" in the request body (field names are case-sensitive: send "code").`,
		`{"admin":true}`:          `Unknown field "admin" in the request body.`,
	} {
		var b body
		if e := decodeBytes([]byte(in), &b); e == nil || e.Detail != want {
			t.Errorf("%s: got %+v, want %q", in, e, want)
		}
	}
}

func TestWriteError(t *testing.T) {
	w := httptest.NewRecorder()
	e := Errorf(http.StatusTooManyRequests, "locked_out", "Too many failed 2FA attempts. Try again in %d seconds.", 12)
	e.RetryAfter = 12
	WriteError(w, e)
	if w.Code != 429 || w.Header().Get("Retry-After") != "12" || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	if got := strings.TrimSpace(w.Body.String()); got != `{"detail":"Too many failed 2FA attempts. Try again in 12 seconds.","code":"locked_out"}` {
		t.Fatalf("body %s", got)
	}
}

// FuzzDecodeJSON: any body either decodes to a value that survives a
// round trip, or is refused with a 400-class answer carrying a detail.
func FuzzDecodeJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		var b body
		e := decodeBytes(in, &b)
		if e != nil {
			if e.Status != http.StatusBadRequest || e.Detail == "" || e.Code != "invalid_request" {
				t.Fatalf("refusal %+v", e)
			}
			return
		}
		again, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var b2 body
		if e := decodeBytes(again, &b2); e != nil {
			t.Fatalf("round trip refused: %v", e)
		}
		a1, _ := json.Marshal(b2)
		if string(a1) != string(again) {
			t.Fatalf("round trip changed %s to %s", again, a1)
		}
	})
}
