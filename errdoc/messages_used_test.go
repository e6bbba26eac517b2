package errdoc_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/faultline-go/faultline/errdoc"
)

// libraryDirs are the module's library packages, relative to its root: the
// producers of the details builtinTemplates words. The examples register
// keys of their own.
var libraryDirs = []string{"errdoc", "middleware", "ratelimit", "recoverer"}

// keyUse is where a source names a message key.
type keyUse struct {
	key string
	pos token.Position
	// call says the literal is the key argument of WithMessage or Sub, or
	// the Key of a Message literal; other literals count when they have a
	// message key's shape and a library namespace (a key passed through a
	// helper, a table, a return value).
	call bool
}

// messageKeyUses returns the message keys file names in string literals.
// namespaces are the first segments of the library's keys ("params").
func messageKeyUses(fset *token.FileSet, file *ast.File, namespaces map[string]bool) []keyUse {
	var uses []keyUse
	add := func(e ast.Expr, call bool) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return
		}
		if !call {
			ns, _, dotted := strings.Cut(s, ".")
			if !dotted || !namespaces[ns] || !errdoc.ValidMessageKey(s) {
				return
			}
		}
		uses = append(uses, keyUse{key: s, pos: fset.Position(lit.Pos()), call: call})
	}
	keyArgs := map[*ast.BasicLit]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ValueSpec:
			for _, id := range x.Names {
				if id.Name == "builtinTemplates" {
					return false // the templates themselves use no key
				}
			}
		case *ast.CallExpr:
			name := ""
			switch f := x.Fun.(type) {
			case *ast.SelectorExpr:
				name = f.Sel.Name
			case *ast.Ident:
				name = f.Name
			}
			i := -1
			switch name {
			case "WithMessage":
				i = 0
			case "Sub":
				i = 1
			}
			if i >= 0 && i < len(x.Args) {
				if lit, ok := x.Args[i].(*ast.BasicLit); ok {
					keyArgs[lit] = true
					add(lit, true)
				}
			}
		case *ast.CompositeLit:
			if !isMessageType(x.Type) {
				return true
			}
			for _, el := range x.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if id, isID := kv.Key.(*ast.Ident); ok && isID && id.Name == "Key" {
					if lit, ok := kv.Value.(*ast.BasicLit); ok {
						keyArgs[lit] = true
						add(lit, true)
					}
				}
			}
		case *ast.BasicLit:
			if !keyArgs[x] {
				add(x, false)
			}
		}
		return true
	})
	return uses
}

// isMessageType reports whether t is Message or errdoc.Message.
func isMessageType(t ast.Expr) bool {
	switch x := t.(type) {
	case *ast.Ident:
		return x.Name == "Message"
	case *ast.SelectorExpr:
		return x.Sel.Name == "Message"
	}
	return false
}

func libraryNamespaces(keys []string) map[string]bool {
	ns := map[string]bool{}
	for _, k := range keys {
		first, _, _ := strings.Cut(k, ".")
		ns[first] = true
	}
	return ns
}

// TestMessageKeysUsed scans the library's non-test sources: every message
// key they name must be one of the default catalog's, and every key of the
// catalog must be named by some source (no dead templates a translator
// would word for nothing).
func TestMessageKeysUsed(t *testing.T) {
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	keys := errdoc.DefaultCatalog().MessageKeys()
	known := map[string]bool{}
	for _, k := range keys {
		known[k] = true
	}
	namespaces := libraryNamespaces(keys)
	used := map[string]bool{}
	fset := token.NewFileSet()
	files := 0
	for _, dir := range libraryDirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir // a module of its own
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			files++
			for _, u := range messageKeyUses(fset, f, namespaces) {
				used[u.key] = true
				if !known[u.key] {
					t.Errorf("%s: message key %q is not in the default catalog", u.pos, u.key)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 50 {
		t.Fatalf("scanned %d files; the library has more", files)
	}
	var dead []string
	for _, k := range keys {
		if !used[k] {
			dead = append(dead, k)
		}
	}
	sort.Strings(dead)
	if len(dead) > 0 {
		t.Errorf("%d message keys no source uses: %s", len(dead), strings.Join(dead, ", "))
	}
	t.Logf("%d files, %d keys, %d used", files, len(keys), len(keys)-len(dead))
}

// The scanner finds a key wherever a source can name one, and only there.
func TestMessageKeyUsesScanner(t *testing.T) {
	const src = `package p

func f(e *errdoc.Error, v Param) {
	e.WithMessage("params.once")
	e.WithMessage("parms.typo")
	_ = errdoc.Sub("subject", "params.subject.query", errdoc.Str("name", "params.not_a_key_but_a_value"))
	_ = errdoc.Message{Key: "bind.empty"}
	_ = Message{Key: "errdoc.errors", Args: nil}
	v.fail("params.required")
	_ = map[string]string{"uuid": "validate.uuid"}
	_ = "params.go is a file, Params a type"
	_ = "middleware: not a key"
	_ = other{Key: "not.a.message"}
}

var builtinTemplates = msgTable{"params.dead": "The templates use no key."}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range messageKeyUses(fset, f, map[string]bool{"params": true, "bind": true, "validate": true, "errdoc": true}) {
		got = append(got, u.key+" "+strconv.FormatBool(u.call))
	}
	want := []string{
		"params.once true",
		"parms.typo true", // a call's key counts whatever its namespace
		"params.subject.query true",
		"params.not_a_key_but_a_value false", // shaped like a key: reported, so the test fails on it
		"bind.empty true",
		"errdoc.errors true",
		"params.required false",
		"validate.uuid false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
