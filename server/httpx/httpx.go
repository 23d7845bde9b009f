// Package httpx writes the reference server's JSON answers and errors
// ({"detail", "code"}) and decodes size-limited, strict request bodies.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/twofa/twofa/internal/wire"
)

// MaxBody is the largest request body the server reads.
const MaxBody = 16 << 10

// Error is an answer with a status, a machine code and a human detail.
type Error struct {
	Status     int
	Code       string
	Detail     string
	RetryAfter int // seconds; > 0 adds a Retry-After header
}

// Error returns the detail sentence.
func (e *Error) Error() string { return e.Detail }

// Errorf builds an *Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// BadRequest is a 400 with code wire.InvalidRequest.
func BadRequest(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, wire.InvalidRequest, format, args...)
}

// WriteJSON answers status with v encoded as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WriteError answers an *Error as {"detail", "code"}, with Retry-After when set.
func WriteError(w http.ResponseWriter, e *Error) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", "Bearer")
	}
	WriteJSON(w, e.Status, struct {
		Detail string `json:"detail"`
		Code   string `json:"code"`
	}{e.Detail, e.Code})
}

// DecodeJSON reads one JSON object from the size-limited body into dst,
// refusing unknown fields, field names in another case than dst's (encoding/json
// would take "CODE" for "code"), a key given twice (encoding/json would keep
// the last), wrong types, trailing data and oversize bodies.
// An empty body decodes as {} when allowEmpty is set.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any, allowEmpty bool) *Error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return Errorf(http.StatusUnsupportedMediaType, wire.InvalidRequest, "Request body must be JSON (Content-Type: application/json).")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return Errorf(http.StatusRequestEntityTooLarge, wire.InvalidRequest, "Request body is larger than %d bytes.", MaxBody)
		}
		return BadRequest("Could not read the request body.")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		if allowEmpty {
			return nil
		}
		return BadRequest("Request body is missing: send a JSON object.")
	}
	return decodeBytes(body, dst)
}

// decodeBytes is the strict JSON decoding shared by DecodeJSON and the fuzz
// tests: encoding/json's own checks, then checkKeys for what it lets pass.
func decodeBytes(body []byte, dst any) *Error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		var syntaxErr *json.SyntaxError
		switch {
		case errors.As(err, &typeErr):
			if typeErr.Field != "" {
				return BadRequest("Field %q must be a %s.", typeErr.Field, typeErr.Type.String())
			}
			return BadRequest("Request body must be a JSON object.")
		case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
			return BadRequest("Request body is not valid JSON.")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return BadRequest("Unknown field %s in the request body.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return BadRequest("Request body is not valid JSON.")
		}
	}
	if dec.More() {
		return BadRequest("Request body must hold exactly one JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return BadRequest("Request body must hold exactly one JSON object.")
	}
	return checkKeys(body, fieldNames(dst))
}

// DecodeForm reads a size-limited application/x-www-form-urlencoded body.
func DecodeForm(w http.ResponseWriter, r *http.Request) *Error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return Errorf(http.StatusUnsupportedMediaType, wire.InvalidRequest, "Sign-in expects a form body (Content-Type: application/x-www-form-urlencoded) with username and password.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return Errorf(http.StatusRequestEntityTooLarge, wire.InvalidRequest, "Request body is larger than %d bytes.", MaxBody)
		}
		return BadRequest("Request body is not a valid form.")
	}
	return nil
}
