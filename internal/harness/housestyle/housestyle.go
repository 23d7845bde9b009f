// Package housestyle checks the house rules on the size of Go code: no
// non-test file over MaxFileLines lines, no function outside tests over
// MaxFuncLines lines.
package housestyle

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The house limits.
const (
	MaxFileLines = 400
	MaxFuncLines = 80
)

// Violation is one file or function over its limit.
type Violation struct {
	Pos   token.Position // the file, or where the function starts
	What  string         // "file", or the function's name ("func literal" for one without)
	Lines int
	Limit int
}

// String says where, what and by how much.
func (v Violation) String() string {
	return fmt.Sprintf("%s: %s is %d lines, more than %d", v.Pos, v.What, v.Lines, v.Limit)
}

// CheckSource returns the violations of one file's source: none for a test
// file (name ending in _test.go) or a generated one.
func CheckSource(name string, src []byte) ([]Violation, error) {
	if strings.HasSuffix(name, "_test.go") {
		return nil, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	if ast.IsGenerated(f) {
		return nil, nil
	}
	var out []Violation
	if n := lineCount(src); n > MaxFileLines {
		out = append(out, Violation{Pos: token.Position{Filename: name}, What: "file", Lines: n, Limit: MaxFileLines})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		what := "func literal"
		switch fn := n.(type) {
		case *ast.FuncDecl:
			what = funcName(fn)
		case *ast.FuncLit:
		default:
			return true
		}
		start, end := fset.Position(n.Pos()), fset.Position(n.End())
		if lines := end.Line - start.Line + 1; lines > MaxFuncLines {
			out = append(out, Violation{Pos: start, What: what, Lines: lines, Limit: MaxFuncLines})
		}
		return true
	})
	return out, nil
}

// CheckTree returns the violations of every .go file below root, leaving
// out testdata, vendor and hidden directories.
func CheckTree(root string) ([]Violation, error) {
	var out []Violation
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		vs, err := CheckSource(rel, src)
		out = append(out, vs...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", root, err)
	}
	return out, nil
}

// ModuleRoot returns the directory of the go.mod nearest above dir.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("module root: no go.mod above %s", dir)
		}
		dir = parent
	}
}

// lineCount counts lines as wc -l does, plus a last line without a newline.
func lineCount(src []byte) int {
	n := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}

// funcName is a function's name, a method's with its receiver type.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if g, ok := t.(*ast.IndexExpr); ok {
		t = g.X
	}
	if g, ok := t.(*ast.IndexListExpr); ok {
		t = g.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}
