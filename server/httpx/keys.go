package httpx

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// fieldNames returns the JSON names of the fields of the struct dst points
// to, as encoding/json would match them (the tag's name, else the field's).
func fieldNames(dst any) map[string]bool {
	t := reflect.TypeOf(dst)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	names := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[name] = true
	}
	return names
}

// checkKeys walks body, which encoding/json has already accepted, and
// refuses what it let pass: a key that appears twice in one object, and a
// top-level key that is not exactly one of names (when names is not nil).
func checkKeys(body []byte, names map[string]bool) *Error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return walkValue(dec, names)
}

// walkValue reads one value from dec; names, when set, are the only keys
// an object read here may have.
func walkValue(dec *json.Decoder, names map[string]bool) *Error {
	tok, err := dec.Token()
	if err != nil {
		return BadRequest("Request body is not valid JSON.")
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, names)
	case json.Delim('['):
		for dec.More() {
			if e := walkValue(dec, nil); e != nil {
				return e
			}
		}
		if _, err := dec.Token(); err != nil {
			return BadRequest("Request body is not valid JSON.")
		}
	}
	return nil
}

// walkObject reads the keys and values of an object whose '{' was read.
func walkObject(dec *json.Decoder, names map[string]bool) *Error {
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return BadRequest("Request body is not valid JSON.")
		}
		if seen[key] {
			return BadRequest("Field %q appears twice in the request body.", key)
		}
		seen[key] = true
		if names != nil && !names[key] {
			for n := range names {
				if strings.EqualFold(n, key) {
					return BadRequest("Unknown field %q in the request body (field names are case-sensitive: send %q).", key, n)
				}
			}
			return BadRequest("Unknown field %q in the request body.", key)
		}
		if e := walkValue(dec, nil); e != nil {
			return e
		}
	}
	if _, err := dec.Token(); err != nil {
		return BadRequest("Request body is not valid JSON.")
	}
	return nil
}
