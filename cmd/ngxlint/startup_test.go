package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/internal/lazyre"
)

// Every regular expression the program declares through lazyre compiles:
// they are compiled at first use, so a bad pattern would otherwise only
// show on the path that needs it.
func TestEveryPatternCompiles(t *testing.T) {
	all := lazyre.All()
	if len(all) < 10 {
		t.Fatalf("only %d patterns declared: are the packages that declare them linked in?", len(all))
	}
	for _, r := range all {
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Errorf("pattern %q: %v", r.String(), e)
				}
			}()
			r.Re()
		}()
	}
}

// No package of the program compiles a regular expression while it is
// initialised (a package-level var set by regexp.MustCompile or Compile):
// every run pays for package initialisation before it reads a file, and
// these cost a third of it. Declare them with lazyre.New instead.
func TestNoRegexpCompiledAtInit(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json=Dir,GoFiles,Module", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	files := 0
	for dec.More() {
		var p struct {
			Dir     string
			GoFiles []string
			Module  *struct{ Main bool }
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module == nil || !p.Module.Main {
			continue // the standard library and other modules
		}
		for _, name := range p.GoFiles {
			files++
			path := filepath.Join(p.Dir, name)
			for _, pos := range regexpsAtInit(t, path) {
				t.Errorf("%s: a regular expression compiled at package initialisation; declare it with lazyre.New", pos)
			}
		}
	}
	if files < 50 {
		t.Fatalf("only %d files of the program read", files)
	}
}

// regexpsAtInit returns the positions of regexp.MustCompile and
// regexp.Compile calls in the initialisers of a file's package-level vars.
func regexpsAtInit(t *testing.T, path string) []token.Position {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []token.Position
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		// A function literal called right away (var x = func() T {...}())
		// runs at init; one only handed on (to sync.OnceValue, say) later.
		calledNow := map[ast.Node]bool{}
		ast.Inspect(g, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				calledNow[call.Fun] = true
			}
			return true
		})
		ast.Inspect(g, func(n ast.Node) bool {
			if fl, ok := n.(*ast.FuncLit); ok {
				return calledNow[fl]
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "regexp" && (sel.Sel.Name == "MustCompile" || sel.Sel.Name == "Compile") {
					out = append(out, fset.Position(call.Pos()))
				}
			}
			return true
		})
	}
	return out
}

// BenchmarkStartup runs the built program as a pre-commit hook or an
// editor does, on a configuration of a few lines, where starting the
// process is most of the cost: `--version` (start-up alone) and a lint.
func BenchmarkStartup(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "ngxlint")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	conf := filepath.Join(b.TempDir(), "nginx.conf")
	if err := os.WriteFile(conf, []byte("events {}\nhttp {\n    server { listen 80; root /srv/www; }\n}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
	}{{"version", []string{"--version"}}, {"lint", []string{"lint", "--format", "json", conf}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(bin, c.args...)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", c.args, err, out)
				}
			}
		})
	}
}
