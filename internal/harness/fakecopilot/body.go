package fakecopilot

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
)

// fieldError is one item of CoPilot's 422 "details".
type fieldError struct {
	Field     string `json:"field"`
	ErrorType string `json:"error_type"`
	Message   string `json:"message"`
}

// The 422 wordings of CoPilot's ValidationErrorItem for the error types the
// 2FA routes can meet.
const (
	msgMissing     = "Missing data for required field."
	msgInvalidJSON = "Invalid JSON. Please check your JSON syntax and try again."
)

// invalid is CoPilot's validation handler: 422 with the first problem as
// "message" and every problem in "details".
func invalid(w http.ResponseWriter, errs ...fieldError) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"message": errs[0].Message, "details": errs})
}

func missing(field string) fieldError {
	return fieldError{Field: field, ErrorType: "missing", Message: msgMissing}
}

// readForm parses a urlencoded or multipart form with the required fields
// (FastAPI treats an empty form value as missing); on a problem it has
// answered 422 and returns false.
func readForm(w http.ResponseWriter, r *http.Request, required ...string) (map[string]string, bool) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		_ = r.ParseMultipartForm(1 << 20)
	} else {
		_ = r.ParseForm()
	}
	out := map[string]string{}
	var errs []fieldError
	for _, f := range required {
		v := r.PostFormValue(f)
		if v == "" {
			errs = append(errs, missing(f))
			continue
		}
		out[f] = v
	}
	if len(errs) > 0 {
		invalid(w, errs...)
		return nil, false
	}
	return out, true
}

// body is a parsed JSON request body: each declared string field, present
// or not.
type body map[string]*string

// readJSON parses a JSON object body as a pydantic model whose fields are
// all strings, required ones first; on a problem it has answered 422 and
// returns false.
func readJSON(w http.ResponseWriter, r *http.Request, required, optional []string) (body, bool) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if len(bytes.TrimSpace(raw)) == 0 {
		invalid(w, missing("body"))
		return nil, false
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		var anything any
		if json.Unmarshal(raw, &anything) != nil {
			invalid(w, fieldError{Field: "body", ErrorType: "json_invalid", Message: msgInvalidJSON})
		} else {
			invalid(w, fieldError{Field: "body", ErrorType: "value_error", Message: "Input should be a valid dictionary or object to extract fields from"})
		}
		return nil, false
	}
	out := body{}
	var errs []fieldError
	read := func(f string, req bool) {
		v, ok := obj[f]
		switch {
		case !ok && req:
			errs = append(errs, missing(f))
			return
		case !ok, string(v) == "null" && !req:
			return
		}
		var s string
		if string(v) == "null" || json.Unmarshal(v, &s) != nil {
			errs = append(errs, fieldError{Field: f, ErrorType: "value_error", Message: f + ": Input should be a valid string"})
			return
		}
		out[f] = &s
	}
	for _, f := range required {
		read(f, true)
	}
	for _, f := range optional {
		read(f, false)
	}
	if len(errs) > 0 {
		invalid(w, errs...)
		return nil, false
	}
	return out, true
}

// get returns a field's value, "" when absent (pydantic's None).
func (b body) get(f string) string {
	if v := b[f]; v != nil {
		return *v
	}
	return ""
}
