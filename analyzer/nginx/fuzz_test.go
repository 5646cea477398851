package nginx

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/ngxlint/ngxlint/internal/cputime"
)

// FuzzParse checks that Parse never panics and that every span lies in the
// file, is ordered, and nests: names, arguments and children inside their
// directive, directives in source order; and that a parse in two pieces
// gives the same tree.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"http { server { listen 80; location / { return 200 \"ok\"; } } }",
		"user nginx;\n}\nworker_processes 1;",
		"content_by_lua_block { local s = \"}\" --[[ } ]] }",
		"set $a \"a\\\\\"; set $b 'c';",
		"server { listen 80}",
		"\x00{;}\"",
		"upstream u { server a:1 weight=5 backup; server b max_fails=1 max_fails=2; server 'c=d' x=; }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c := Parse(source.NewFile("f.conf", "", source.KindNginx, src))
		if err := checkSpans(c); err != nil {
			t.Fatal(err)
		}
		// The parse cache's copy of the tree, gonginx joins included,
		// is the tree.
		_ = c.GonginxErr()
		// The short comparison of upstream servers never says "same"
		// where the long one finds a difference.
		Walk(c, func(d *Directive) bool {
			if n := d.UpstreamServer(); n != nil && sameUpstreamServer(d, n) {
				if diff := upstreamServerDiff(d, n); diff != "" {
					t.Fatalf("%s: short way same, long way %s", d.Span(), diff)
				}
			}
			return true
		})
		if want, got := treeDump(c), treeDump(c.copyParse(*c.File, c.Diagnostics[:c.parseDiags])); want != got {
			t.Fatalf("the copy differs:\n%s", sharedtest.FirstDiff(want, got))
		}
		// Parsed in two pieces (pieces.go), wherever the helper finds a
		// place, the tree is the serial one.
		if serial, split, _ := parseBothWays(t, src, MaxNodes); serial != split {
			t.Fatalf("the split parse differs:\n%s", sharedtest.FirstDiff(serial, split))
		}
	})
}

// FuzzParseShapes builds deep and wide files from a few fuzzed pieces:
// depth levels of "<opener> {", width copies of a body line on one line or
// on many, then the closing braces (or not). Arbitrary bytes rarely nest a
// thousand levels; this reaches past MaxDepth and into long lines every
// time. Parse must not crash, must report nesting past the limit once per
// chain, and keep every span valid.
func FuzzParseShapes(f *testing.F) {
	f.Add("a", "b c;", uint32(1200), uint16(3), true, false)
	f.Add("location /", "proxy_pass http://u;", uint32(200_000), uint16(1), true, true)
	f.Add("a", "", uint32(700_000), uint16(0), true, true)
	f.Add("x \"\\\\\" \"", "", uint32(5000), uint16(0), false, false)
	f.Add("", "}", uint32(10), uint16(60_000), false, true)
	f.Fuzz(func(t *testing.T, opener, body string, depth uint32, width uint16, closed, oneLine bool) {
		depth %= 800_001
		// A few megabytes are enough to pass every limit; more only slows
		// the fuzzer down.
		if len(opener)+len(body) > 64 || int(depth)*(len(opener)+3)+int(width)*(len(body)+1) > 3<<20 {
			return
		}
		var b strings.Builder
		for range depth {
			b.WriteString(opener)
			b.WriteString(" {")
			if !oneLine {
				b.WriteByte('\n')
			}
		}
		for range width {
			b.WriteString(body)
			if !oneLine {
				b.WriteByte('\n')
			}
		}
		if closed {
			b.WriteString(strings.Repeat("}", int(depth)))
		}
		c := Parse(source.NewFile("f.conf", "", source.KindNginx, []byte(b.String())))
		if err := checkSpans(c); err != nil {
			t.Fatal(err)
		}
		deep := 0
		for _, d := range c.Diagnostics {
			if strings.Contains(d.Message, "nested more than") {
				deep++
			}
		}
		if deep > 1 && strings.TrimSpace(opener) != "" && !strings.ContainsAny(opener+body, "{}\"'#;\\$`") {
			t.Errorf("%d nesting errors for one chain", deep)
		}
	})
}

func checkSpans(c *Config) error {
	n := len(c.File.Src)
	// ok also checks the parser's incremental positions against the
	// file's own computation.
	ok := func(s source.Span) bool {
		return 0 <= s.Start.Offset && s.Start.Offset <= s.End.Offset && s.End.Offset <= n &&
			s.Start == c.File.Pos(s.Start.Offset) && s.End == c.File.Pos(s.End.Offset)
	}
	inside := func(inner, outer source.Span) bool {
		return outer.Start.Offset <= inner.Start.Offset && inner.End.Offset <= outer.End.Offset
	}
	for _, d := range c.Diagnostics {
		if !ok(d.Span) {
			return fmt.Errorf("diagnostic span %v out of bounds", d.Span)
		}
	}
	var check func(list []*Directive, parent *Directive) error
	check = func(list []*Directive, parent *Directive) error {
		prev := -1
		for _, d := range list {
			if !ok(d.Span()) || !ok(d.NameSpan()) || !inside(d.NameSpan(), d.Span()) || d.NameSpan().Start != d.Span().Start {
				return fmt.Errorf("%q: bad span %v name %v", d.Name, d.Span(), d.NameSpan())
			}
			if d.Start() < prev {
				return fmt.Errorf("%q: out of order", d.Name)
			}
			prev = d.End()
			if parent != nil && !inside(d.Span(), parent.Span()) {
				return fmt.Errorf("%q %v not inside %q %v", d.Name, d.Span(), parent.Name, parent.Span())
			}
			if d.Parent != parent || d.Config != c {
				return fmt.Errorf("%q: wrong links", d.Name)
			}
			if d.Block != nil && !d.HasBlock || d.Lua() != nil && d.Block != nil {
				return fmt.Errorf("%q: inconsistent block", d.Name)
			}
			at := d.NameSpan().End.Offset
			for _, a := range append(append([]*Arg(nil), d.Args...), luaArg(d)...) {
				if !ok(a.Span()) || !inside(a.Span(), d.Span()) || a.Start() < at || c.File.Text(a.Span()) != a.Raw() {
					return fmt.Errorf("%q: bad arg %q at %v", d.Name, a.Raw(), a.Span())
				}
				at = a.End()
			}
			if err := check(d.Block, d); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(c.Directives, nil); err != nil {
		return err
	}
	for _, cm := range c.File.Comments {
		if !ok(cm.Span) || !strings.HasPrefix(cm.Text, "#") {
			return fmt.Errorf("bad comment %q at %v", cm.Text, cm.Span)
		}
	}
	return nil
}

func luaArg(d *Directive) []*Arg {
	if d.Lua() == nil {
		return nil
	}
	return []*Arg{d.Lua()}
}

// BenchmarkParse parses a generated configuration of about 20,000 lines
// (tokenizer, parser and gonginx join).
func BenchmarkParse(b *testing.B) {
	src := []byte(largeConfig(1000))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	defer cputime.PerOp(b)()
	for b.Loop() {
		c := Parse(source.NewFile("big.conf", "", source.KindNginx, src))
		if len(c.Diagnostics) != 0 || c.GonginxErr() != nil {
			b.Fatal(c.Diagnostics, c.GonginxErr())
		}
	}
}

func TestLargeConfig(t *testing.T) {
	src := largeConfig(350)
	if lines := strings.Count(src, "\n"); lines < 5000 {
		t.Fatalf("only %d lines", lines)
	}
	c := Parse(source.NewFile("big.conf", "", source.KindNginx, []byte(src)))
	if len(c.Diagnostics) != 0 || c.GonginxErr() != nil {
		t.Fatal(c.Diagnostics, c.GonginxErr())
	}
	if err := checkSpans(c); err != nil {
		t.Fatal(err)
	}
	m, problems := compareTrees(c)
	if len(problems) != 0 || m < 5000 {
		t.Errorf("matched %d, problems %q", m, problems)
	}
}

func largeConfig(servers int) string {
	var b strings.Builder
	b.WriteString("user nginx;\nworker_processes auto;\nevents { worker_connections 1024; }\nhttp {\n")
	for i := range servers {
		fmt.Fprintf(&b, "    upstream app%d {\n        server 127.0.0.1:%d weight=5 max_fails=3 backup;\n        server 10.0.0.%d:80;\n        keepalive 16;\n    }\n", i, 3000+i, i%250)
		fmt.Fprintf(&b, "    server {\n        listen %d;\n        server_name site%d.example.com; # comment\n", 8000+i, i)
		b.WriteString("        location / {\n            proxy_pass http://app;\n            proxy_set_header Host $host;\n            add_header X-Frame \"SAMEORIGIN\" always;\n        }\n")
		b.WriteString("        location ~* \\.(css|js)$ { expires 30d; }\n        if ($http_user_agent ~* \"(bot|crawl)\") { return 403; }\n    }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkParseAndModel is what a lint run pays before its rules: the
// same 20,000-line configuration parsed, linked (contexts and sites) and
// its peer model built (gonginx's typed view of each upstream server,
// made from our arguments without a second parse). cpu-ms/op is the
// process's CPU time per operation, steadier than wall time on a shared
// machine.
func BenchmarkParseAndModel(b *testing.B) {
	src := []byte(largeConfig(1000))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	defer cputime.PerOp(b)()
	for b.Loop() {
		c := Parse(source.NewFile("big.conf", "", source.KindNginx, src))
		p := BuildPeers([]*Config{c})
		if len(c.Diagnostics) != 0 || len(p.Servers) != 2000 {
			b.Fatal(c.Diagnostics, len(p.Servers))
		}
	}
}
