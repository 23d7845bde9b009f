package client

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/twofa/twofa/internal/harness/hostile"
	"github.com/twofa/twofa/internal/safetext"
)

// wireTypes is every type decode fills from a server's JSON. TestWireTypesListed
// finds every struct with a json tag in the package and fails when one is
// missing here, so a new answer cannot skip TestEveryWireString.
var wireTypes = []any{
	&Token{}, &LoginResult{}, &TwoFAStatus{}, &SetupResult{}, &Changed{}, &RegenerateResult{},
	&Me{}, &TwoFactorInfo{}, &Health{}, &errorBody{}, &jwtClaims{},
	&AdminUser{}, &usersAnswer{}, &AdminEvent{}, &eventsAnswer{},
}

// wireField is one string (or list of strings) a wire type decodes.
type wireField struct {
	path  []string // JSON names from the root
	token bool     // kept exactly: must be printable ASCII
	max   int      // characters
	list  bool
	items int
}

// wireFields walks t as safetext.Scrub does and lists its string fields.
func wireFields(t reflect.Type, prefix []string) []wireField {
	var out []wireField
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		path := append(append([]string(nil), prefix...), name)
		if f.Anonymous {
			out = append(out, wireFields(f.Type, prefix)...)
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		r := safetext.ParseRule(f.Tag.Get("text"))
		w := wireField{path: path, token: r.Token, max: r.Max, items: r.Items}
		if w.max < 0 {
			w.max = safetext.DefaultMax
		}
		switch {
		case ft.Kind() == reflect.String:
			out = append(out, w)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			w.list = true
			out = append(out, w)
		case ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath():
			out = append(out, wireFields(ft, path)...)
		}
	}
	return out
}

// body builds a JSON object with value at every field of fields (lists
// get it as their one element), and at field at the value of at.
func body(fields []wireField, value func(wireField) string) []byte {
	root := map[string]any{}
	for _, f := range fields {
		m := root
		for _, p := range f.path[:len(f.path)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		var v any = value(f)
		if f.list {
			v = []string{value(f)}
		}
		m[f.path[len(f.path)-1]] = v
	}
	b, _ := json.Marshal(root)
	return b
}

// stringsIn returns every string reachable from v, by path.
func stringsIn(v reflect.Value, path string, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			stringsIn(v.Elem(), path, out)
		}
	case reflect.String:
		out[path] = v.String()
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			stringsIn(v.Index(i), path+"["+strconv.Itoa(i)+"]", out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() || v.Type().Field(i).Anonymous {
				stringsIn(v.Field(i), path+"."+v.Type().Field(i).Name, out)
			}
		}
	}
}

// TestEveryWireString: in every wire type, every text field arrives
// cleaned of every hostile sequence (the markers around them still there:
// cleaned, not dropped), every token field with one is refused, and every
// field one character over its bound is refused naming it.
func TestEveryWireString(t *testing.T) {
	for _, wt := range wireTypes {
		typ := reflect.TypeOf(wt).Elem()
		fields := wireFields(typ, nil)
		t.Run(typ.Name(), func(t *testing.T) {
			for _, seq := range hostile.Sequences {
				v := reflect.New(typ)
				err := decode(body(fields, func(f wireField) string {
					if f.token {
						return "ABCDEFGH23456789"
					}
					return "v" + seq.Bytes + "w"
				}), v.Interface())
				if err != nil {
					t.Fatalf("decode of an answer with %s in every field: %v", seq.Name, err)
				}
				got := map[string]string{}
				stringsIn(v, typ.Name(), got)
				for path, s := range got {
					if s == "" {
						continue // set by the client after decode (Issuer, Account)
					}
					if leaks := hostile.Leaks([]byte(s)); len(leaks) > 0 || !safetext.IsLine(s) ||
						s != "ABCDEFGH23456789" && (!strings.HasPrefix(s, "v") || !strings.HasSuffix(s, "w")) {
						t.Errorf("%s with %s = %q: leaks %v", path, seq.Name, s, leaks)
					}
				}
			}
			for _, f := range fields {
				name := strings.Join(f.path, ".")
				idx := ""
				if f.list {
					idx = "[0]"
				}
				if f.token {
					expectRefused(t, typ, fields, f, "AB\x1b]0;x\x07", name+idx, FieldNotPlain)
				}
				over := strings.Repeat("A", f.max+1)
				expectRefused(t, typ, fields, f, over, name+idx, FieldTooLong)
			}
		})
	}
}

// expectRefused decodes fields with f set to bad and wants a BadField.
func expectRefused(t *testing.T, typ reflect.Type, fields []wireField, f wireField, bad, field string, problem FieldProblem) {
	t.Helper()
	data := body(fields, func(g wireField) string {
		if strings.Join(g.path, ".") == strings.Join(f.path, ".") {
			return bad
		}
		return "ABCD"
	})
	err := decode(data, reflect.New(typ).Interface())
	var bf *BadField
	if !errors.As(err, &bf) || bf.Field != field || bf.Problem != problem {
		t.Errorf("%s set to %.20q…: decode = %v, want %s problem %d", field, bad, err, field, problem)
	}
}

// TestWireTypesListed: every struct of this package with a json tag is in
// wireTypes, and JSON is read from a server only in decode (wire.go) —
// debuglog.go reads it too, to redact it, and escapes what it writes.
func TestWireTypesListed(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = parser.ParseFile(fset, name, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	listed := map[string]bool{}
	for _, wt := range wireTypes {
		listed[reflect.TypeOf(wt).Elem().Name()] = true
	}
	var missing, readers []string
	{
		for name, file := range files {
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.TypeSpec:
					if st, ok := n.Type.(*ast.StructType); ok && hasJSONTag(st) && !listed[n.Name.Name] {
						missing = append(missing, n.Name.Name)
					}
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && id.Name == "json" && (n.Sel.Name == "Unmarshal" || n.Sel.Name == "NewDecoder") ||
						n.Sel.Name == "SetResult" || n.Sel.Name == "SetError" {
						if name != "wire.go" && name != "debuglog.go" {
							readers = append(readers, fset.Position(n.Pos()).String())
						}
					}
				}
				return true
			})
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("structs with json tags missing from wireTypes: %v", missing)
	}
	if len(readers) > 0 {
		t.Errorf("JSON decoded outside decode: %v", readers)
	}
}

func hasJSONTag(st *ast.StructType) bool {
	for _, f := range st.Fields.List {
		if f.Tag != nil && strings.Contains(f.Tag.Value, `json:"`) {
			return true
		}
	}
	return false
}
