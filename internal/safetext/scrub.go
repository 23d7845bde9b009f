package safetext

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMax is the bound of a string field without a max in its tag: the
// longest sentence a server may send.
const DefaultMax = 512

// Problem is what is wrong with a field Scrub refused.
type Problem int

// The problems Scrub finds.
const (
	// TooLong: a string longer than its tag's max characters.
	TooLong Problem = iota + 1
	// TooMany: a list or map with more than its tag's items.
	TooMany
	// NotVisible: a token field holding anything but printable ASCII
	// without spaces (it cannot be cleaned without changing it).
	NotVisible
	// OutOfRange: an integer below 0 or above its tag's max.
	OutOfRange
	// Unsupported: a field of a kind Scrub cannot check (an interface,
	// raw bytes): a mistake in the type, refused so it fails closed.
	Unsupported
)

// FieldError is a field Scrub refused: where (Field, as JSON names it:
// "backup_codes[3]", "two_factor.backup_codes_total"), what is wrong, the
// bound (Limit) and what was found (Got: characters, items or the value).
type FieldError struct {
	Field   string
	Problem Problem
	Limit   int
	Got     int
}

// Error names the field, the problem and the bound.
func (e *FieldError) Error() string {
	switch e.Problem {
	case TooLong:
		return fmt.Sprintf("%s: %d characters, more than %d", e.Field, e.Got, e.Limit)
	case TooMany:
		return fmt.Sprintf("%s: %d items, more than %d", e.Field, e.Got, e.Limit)
	case NotVisible:
		return fmt.Sprintf("%s: characters other than printable ASCII", e.Field)
	case OutOfRange:
		return fmt.Sprintf("%s: %d is outside 0..%d", e.Field, e.Got, e.Limit)
	}
	return fmt.Sprintf("%s: a field of a kind that cannot be checked", e.Field)
}

// Scrub cleans and checks, in place, every string reachable from v (a
// pointer) through exported fields, slices, arrays, maps (keys too) and
// pointers, by its field's `text` tag:
//
//	text:"max=128"              one line (Line), at most 128 characters as sent
//	text:"token,max=64"         kept exactly, but only printable ASCII (Visible)
//	text:"token,max=64,items=32" a list of at most 32 such strings
//	text:"max=1000"             on an integer: 0 to 1000
//
// A string field without a tag is a line of at most DefaultMax characters,
// so a field nobody thought about is cleaned all the same. A line's length
// is counted once cleaned (what a person would see); more than the bound
// is an error, never a cut.
// Fields tagged json:"-" are not from the wire and are left alone.
func Scrub(v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &FieldError{Field: "(value)", Problem: Unsupported}
	}
	return scrub(rv.Elem(), Rule{Max: -1}, "")
}

// Rule is a field's parsed `text` tag.
type Rule struct {
	Token bool
	Max   int // characters of a string, or the largest integer; -1: not given
	Items int // elements of a list or map; 0: unbounded
}

// ParseRule reads a `text` tag: "token", "max=N" and "items=N", comma-separated.
func ParseRule(tag string) Rule {
	r := Rule{Max: -1}
	for _, part := range strings.Split(tag, ",") {
		key, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		n, _ := strconv.Atoi(val)
		switch key {
		case "token":
			r.Token = true
		case "max":
			r.Max = n
		case "items":
			r.Items = n
		}
	}
	return r
}

func scrub(v reflect.Value, r Rule, path string) error {
	switch v.Kind() {
	case reflect.String:
		return scrubString(v, r, path)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n := v.Int(); r.Max >= 0 && (n < 0 || n > int64(r.Max)) {
			return &FieldError{Field: path, Problem: OutOfRange, Limit: r.Max, Got: int(n)}
		}
		return nil
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return scrub(v.Elem(), r, path)
	case reflect.Struct:
		return scrubStruct(v, path)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return &FieldError{Field: path, Problem: Unsupported}
		}
		if r.Items > 0 && v.Len() > r.Items {
			return &FieldError{Field: path, Problem: TooMany, Limit: r.Items, Got: v.Len()}
		}
		for i := 0; i < v.Len(); i++ {
			if err := scrub(v.Index(i), r, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		return scrubMap(v, r, path)
	case reflect.Bool, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return nil
	}
	return &FieldError{Field: path, Problem: Unsupported}
}

func scrubString(v reflect.Value, r Rule, path string) error {
	s, limit := v.String(), r.Max
	if limit < 0 {
		limit = DefaultMax
	}
	if !r.Token {
		s = Line(s)
	}
	if n := utf8.RuneCountInString(s); n > limit {
		return &FieldError{Field: path, Problem: TooLong, Limit: limit, Got: n}
	}
	if r.Token && s != "" && !Visible(s) {
		return &FieldError{Field: path, Problem: NotVisible}
	}
	if s != v.String() {
		v.SetString(s)
	}
	return nil
}

func scrubStruct(v reflect.Value, path string) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		// An embedded struct's exported fields are promoted (as in
		// encoding/json) even when its type is unexported.
		if !f.IsExported() && !(f.Anonymous && f.Type.Kind() == reflect.Struct) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		at := path
		if !f.Anonymous {
			at = join(path, name)
		}
		if err := scrub(v.Field(i), ParseRule(f.Tag.Get("text")), at); err != nil {
			return err
		}
	}
	return nil
}

// scrubMap rebuilds a map with its keys and values scrubbed by r (map
// values cannot be changed in place).
func scrubMap(v reflect.Value, r Rule, path string) error {
	if v.IsNil() {
		return nil
	}
	if r.Items > 0 && v.Len() > r.Items {
		return &FieldError{Field: path, Problem: TooMany, Limit: r.Items, Got: v.Len()}
	}
	out := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k := reflect.New(v.Type().Key()).Elem()
		k.Set(iter.Key())
		if err := scrub(k, r, path); err != nil {
			return err
		}
		val := reflect.New(v.Type().Elem()).Elem()
		val.Set(iter.Value())
		if err := scrub(val, r, path); err != nil {
			return err
		}
		out.SetMapIndex(k, val)
	}
	v.Set(out)
	return nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
