package nginx

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/tufanbarisyildirim/gonginx/config"

	"github.com/ngxlint/ngxlint/analyzer/nginx/spec"
	"github.com/ngxlint/ngxlint/analyzer/source"
)

func parseString(src string) *Config {
	return Parse(source.NewFile("t.conf", "", source.KindNginx, []byte(src)))
}

// diags renders diagnostics as "line:col message".
func diags(c *Config) []string {
	var out []string
	for _, d := range c.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%d %s", d.Span.Start.Line, d.Span.Start.Col, d.Message))
	}
	return out
}

// shape renders a tree compactly: name(args){children}.
func shape(list []*Directive) string {
	var parts []string
	for _, d := range list {
		s := d.Name
		for _, a := range d.Args {
			s += " " + a.Value
		}
		if d.Lua() != nil {
			s += " <lua>"
		} else if d.HasBlock {
			s += " {" + shape(d.Block) + "}"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func TestSpans(t *testing.T) {
	// "é" is 2 bytes / 1 UTF-16 unit, "𝄞" 4 bytes / 2 units.
	src := "# é\nhttp {\n  set $a \"é𝄞\" b;\n}\n"
	c := parseString(src)
	if len(c.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", diags(c))
	}
	http := c.Directives[0]
	set := http.Block[0]
	b := set.Args[2]
	tests := []struct {
		what string
		got  source.Span
		want string // start-end as line:col-line:col and offsets
	}{
		{"http span", http.Span(), "2:1-4:2 @5-34"},
		{"http name", http.NameSpan(), "2:1-2:5 @5-9"},
		{"set span", set.Span(), "3:3-3:18 @14-32"},
		{"set name", set.NameSpan(), "3:3-3:6 @14-17"},
		{"quoted arg", set.Args[1].Span(), "3:10-3:15 @21-29"},
		{"arg after 4-byte char", b.Span(), "3:16-3:17 @30-31"},
	}
	for _, tt := range tests {
		got := fmt.Sprintf("%d:%d-%d:%d @%d-%d", tt.got.Start.Line, tt.got.Start.Col, tt.got.End.Line, tt.got.End.Col, tt.got.Start.Offset, tt.got.End.Offset)
		if got != tt.want {
			t.Errorf("%s = %s, want %s", tt.what, got, tt.want)
		}
	}
	if got := set.Args[1]; got.Value != "é𝄞" || got.Raw() != `"é𝄞"` || got.Quote != '"' {
		t.Errorf("quoted arg = %+v", got)
	}
	if set.Parent != http || http.Parent != nil || set.Config != c || !set.Terminated || !http.Terminated {
		t.Errorf("links: parent=%v config ok=%v", set.Parent, set.Config == c)
	}
	if c.File.Text(set.Span()) != `set $a "é𝄞" b;` {
		t.Errorf("set text = %q", c.File.Text(set.Span()))
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		diags []string
		tree  string
	}{
		{
			name:  "stray close brace keeps the rest",
			src:   "user nginx;\n}\nworker_processes 1;\n",
			diags: []string{`2:1 unexpected "}": there is no open block to close`},
			tree:  "user nginx; worker_processes 1",
		},
		{
			name:  "missing semicolon before close brace",
			src:   "server {\n  listen 80 }\nuser x;\n",
			diags: []string{`2:3 directive "listen" is not terminated by ";"`},
			tree:  "server {listen 80}; user x",
		},
		{
			name: "missing semicolon at end of file",
			src:  "user nginx",
			diags: []string{
				`1:1 directive "user" is not terminated by ";" before the end of file`,
			},
			tree: "user nginx",
		},
		{
			name: "brace glued to a word",
			src:  "server { listen 80}",
			diags: []string{
				`1:10 directive "listen" is not terminated by ";" before the end of file (the "}" in "80}" belongs to the word; put a ";" or a space before it)`,
				`1:8 unexpected end of file: the "{" of "server" is never closed by a "}"`,
			},
			tree: "server {listen 80}}",
		},
		{
			name: "end of file inside nested blocks",
			src:  "http {\n  server {\n    listen 80;\n",
			diags: []string{
				`2:10 unexpected end of file: the "{" of "server" is never closed by a "}"`,
				`1:6 unexpected end of file: the "{" of "http" is never closed by a "}"`,
			},
			tree: "http {server {listen 80}}",
		},
		{
			name:  "unterminated quote ends at its line",
			src:   "return 200 \"abc;\nlisten 80;\n",
			diags: []string{`1:12 unterminated quoted string: the " opened here is never closed`},
			tree:  "return 200 abc;; listen 80",
		},
		{
			name:  "NUL byte",
			src:   "user\x00\x00 nginx;\nworker_processes 1;\n",
			diags: []string{`1:5 unexpected NUL byte: this does not look like a text configuration file`},
			tree:  "user nginx; worker_processes 1",
		},
		{
			name:  "other control byte",
			src:   "user \x01nginx;",
			diags: []string{`1:6 unexpected control byte 0x01: this does not look like a text configuration file`},
			tree:  "user nginx",
		},
		{
			name:  "semicolon alone",
			src:   "user x;\n ;\n",
			diags: []string{`2:2 unexpected ";": there is no directive for it to end`},
			tree:  "user x",
		},
		{
			name:  "brace with no name",
			src:   "{ listen 80; }\nuser x;",
			diags: []string{`1:1 unexpected "{": a block needs a directive name before it`},
			tree:  "listen 80; user x",
		},
		{
			name:  "text glued to a closing quote",
			src:   `add_header X "a"b;`,
			diags: []string{`1:17 unexpected "b" right after the quoted string "a": nginx needs a space between arguments`},
			tree:  "add_header X a b",
		},
		{
			name:  "unterminated Lua block",
			src:   "content_by_lua_block {\n  local s = \"}\"\n",
			diags: []string{`1:22 unexpected end of file in the Lua code of "content_by_lua_block": the "{" opened here is never closed`},
			tree:  "content_by_lua_block <lua>",
		},
		{
			name: "template placeholder in arguments",
			src:  "listen {LISTEN_PORT} default_server;\nroot /srv/{VAR}/html;\nserver_name {{ domain }};\nuser x;\n",
			diags: []string{
				`1:8 directive "listen" is not terminated by ";" (nginx takes the "{" of {LISTEN_PORT} for the start of a block): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
				`2:11 directive "root" is not terminated by ";" (nginx takes the "{" of {VAR} for the start of a block): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
				`3:13 directive "server_name" is not terminated by ";" (nginx takes the "{" of {{ domain }} for the start of a block): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
			},
			tree: "listen {LISTEN_PORT} default_server; root /srv/{VAR}/html; server_name {{ domain }}; user x",
		},
		{
			name: "template placeholder in a block directive and as a directive",
			src:  "location /{{ p }}/ { return 200; }\n{% include 'x' %};\nuser {$USER};\nlocation /{P}/ { return 200; }\n",
			diags: []string{
				`1:11 unexpected "{" (nginx opens the block of "location" at the "{" of {{ p }}): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
				`2:1 unexpected "{" (nginx stops at the "{" of {% include 'x' %}, where a directive should start): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
				`3:6 directive "user" is not terminated by ";" (nginx takes the "{" of {$USER} for the start of a block): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
				`4:11 unknown directive "P}/" (nginx opens the block of "location" at the "{" of {P}): it looks like an unrendered template placeholder; lint the rendered file, or render the template first`,
			},
			tree: "location /{{ p }}/ {return 200}; user {$USER}; location /{P}/ {return 200}",
		},
		{
			name: "a regex quantifier is not a placeholder",
			src:  "location ~ ^/a{2}$ { return 200; }\n",
			diags: []string{
				`1:16 unknown directive "2}$": the "{" after "^/a" in "location" opened a block; quote a regex that holds braces ("^/a{2}$")`,
				`1:15 unexpected end of file: the "{" of "location" is never closed by a "}"`,
			},
			tree: "location ~ ^/a {2}$ {return 200}}",
		},
		{
			name:  "valid config has no diagnostics",
			src:   "events {}\nhttp {\n  map $a $b { default 0; '' 1; }\n  server { if ($x ~* \"(a|b)\") { return 403; } }\n}\n",
			diags: nil,
			tree:  "events {}; http {map $a $b {default 0;  1}; server {if ($x ~* (a|b) ) {return 403}}}",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parseString(tt.src)
			if got := diags(c); !reflect.DeepEqual(got, tt.diags) {
				t.Errorf("diagnostics\n got %q\nwant %q", got, tt.diags)
			}
			for _, d := range c.Diagnostics {
				if d.Code != SyntaxCode {
					t.Errorf("code %q", d.Code)
				}
			}
			if got := shape(c.Directives); got != tt.tree {
				t.Errorf("tree\n got %s\nwant %s", got, tt.tree)
			}
		})
	}
}

func TestMissingSemicolonSpan(t *testing.T) {
	c := parseString("server {\n  listen 80 }\n")
	listen := c.Directives[0].Block[0]
	if listen.Terminated || !c.Directives[0].Terminated {
		t.Errorf("Terminated: listen %v server %v", listen.Terminated, c.Directives[0].Terminated)
	}
	if got := c.File.Text(listen.Span()); got != "listen 80" {
		t.Errorf("listen span text %q", got)
	}
	// The diagnostic runs to the '}' where nginx notices the missing ';'
	// (and names that line), while the directive itself ends at "80".
	if got := c.File.Text(c.Diagnostics[0].Span); got != "listen 80 }" {
		t.Errorf("diagnostic span text %q", got)
	}
}

func TestQuotesAndEscapes(t *testing.T) {
	c := parseString(`set $a "a\\"; set $b "c"; set $c 'it\'s' "t\tn\nq\"" x\;y "re\.x";`)
	if len(c.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", diags(c))
	}
	var got [][]string
	for _, d := range c.Directives {
		var args []string
		for _, a := range d.Args {
			args = append(args, a.Value+"|"+a.Raw())
		}
		got = append(got, args)
	}
	want := [][]string{
		{`$a|$a`, `a\|"a\\"`},
		{`$b|$b`, `c|"c"`},
		{`$c|$c`, `it's|'it\'s'`, "t\tn\nq\"|\"t\\tn\\nq\\\"\"", `x\;y|x\;y`, `re\.x|"re\.x"`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("args\n got %q\nwant %q", got, want)
	}
	// gonginx mis-lexes "a\\" and so disagrees: the join must leave the
	// disagreeing directives without a node rather than attach wrong ones.
	for _, d := range c.Directives {
		if d.Node() != nil {
			t.Errorf("%s joined to gonginx's %v", d.Span(), d.Node().GetParameters())
		}
	}
}

func TestVariablesInWords(t *testing.T) {
	c := parseString("set $x ${host}a;\nreturn 200 pre${uri}post}x;\nlocation / {return 200 \"${a}\";}")
	if len(c.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", diags(c))
	}
	if got := shape(c.Directives); got != "set $x ${host}a; return 200 pre${uri}post}x; location / {return 200 ${a}}" {
		t.Errorf("tree %s", got)
	}
}

func TestLuaBodies(t *testing.T) {
	body := "\n  local s = \"}\" -- } in a comment\n  local t = { a = '{' } --[[ } ]] local u = [==[ } ]==]\n  local v = #t\n"
	src := "content_by_lua_block {" + body + "}\nset_by_lua_block $v { return \"}\" }\nlisten 80;\n"
	c := parseString(src)
	if len(c.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", diags(c))
	}
	if got := shape(c.Directives); got != "content_by_lua_block <lua>; set_by_lua_block $v <lua>; listen 80" {
		t.Fatalf("tree %s", got)
	}
	lua := c.Directives[0]
	if lua.Lua().Value != body || !lua.HasBlock || lua.Block != nil || !lua.Terminated {
		t.Errorf("lua = %q HasBlock=%v Block=%v", lua.Lua().Value, lua.HasBlock, lua.Block)
	}
	if got := c.File.Text(lua.Span()); !strings.HasPrefix(got, "content_by_lua_block {") || !strings.HasSuffix(got, "\n}") {
		t.Errorf("lua span %q", got)
	}
	if got := c.Directives[1].Lua().Value; got != ` return "}" ` {
		t.Errorf("set_by_lua_block body %q", got)
	}
}

func TestBlocksAndComments(t *testing.T) {
	c := parseString("# top\nevents {}\nuser x; # trailing\n")
	ev, user := c.Directives[0], c.Directives[1]
	if !ev.HasBlock || ev.Block == nil || len(ev.Block) != 0 {
		t.Errorf("events: HasBlock=%v Block=%#v", ev.HasBlock, ev.Block)
	}
	if user.HasBlock || user.Block != nil {
		t.Errorf("user: HasBlock=%v Block=%#v", user.HasBlock, user.Block)
	}
	var got []string
	for _, cm := range c.File.Comments {
		got = append(got, fmt.Sprintf("%s %v %s", cm.Span.Start, cm.Alone, cm.Text))
	}
	want := []string{"1:1 true # top", "3:9 false # trailing"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("comments %q, want %q", got, want)
	}
}

func TestGonginxJoin(t *testing.T) {
	src := `http {
    server { listen 80; }
    upstream backend {
        server localhost:3000 weight=5 max_fails=3 backup;
        keepalive 8;
    }
    include mime.types;
    location = /x { return 200; }
}
`
	c := parseString(src)
	if c.GonginxErr() != nil {
		t.Fatal(c.GonginxErr())
	}
	http := c.Directives[0]
	server, up, inc, loc := http.Block[0], http.Block[1], http.Block[2], http.Block[3]
	if http.HTTP() == nil || server.Server() == nil || up.Upstream() == nil || loc.Location() == nil {
		t.Fatalf("typed nodes missing: %v %v %v %v", http.Node(), server.Node(), up.Node(), loc.Node())
	}
	if up.Upstream().UpstreamName != "backend" {
		t.Errorf("upstream name %q", up.Upstream().UpstreamName)
	}
	member := up.Block[0]
	if us := member.UpstreamServer(); us == nil || us.Address != "localhost:3000" {
		t.Errorf("upstream server %v", member.Node())
	}
	if member.Args[1].Value != "weight=5" { // our order, not gonginx's
		t.Errorf("arg order %q", member.Args[1].Value)
	}
	if loc.Location().Modifier != "=" || inc.Node() == nil || server.Block[0].Node() == nil {
		t.Errorf("location %v include %v listen %v", loc.Location(), inc.Node(), server.Block[0].Node())
	}
	Walk(c, func(d *Directive) bool {
		if d.Node() == nil {
			t.Errorf("%s %s not joined", d.Span(), d.Name)
		}
		return true
	})
}

func TestGonginxErrorLeavesTree(t *testing.T) {
	c := parseString("user nginx;\n}\nworker_processes 1;\nlocation a b c {}\n")
	if c.GonginxErr() != nil {
		t.Fatalf("gonginx now errors: %v", c.GonginxErr())
	}
	// gonginx silently stops at the stray '}': the later directives exist
	// in our tree only.
	if c.Directives[1].Node() != nil || len(c.Directives) != 3 {
		t.Errorf("tree %s node %v", shape(c.Directives), c.Directives[1].Node())
	}
	c = parseString("location a b c {}\n")
	if c.GonginxErr() == nil || len(c.Diagnostics) != 0 || c.Directives[0].Node() != nil {
		t.Errorf("gonginx err %v, diags %v", c.GonginxErr(), diags(c))
	}
}

func TestDiagnosticCap(t *testing.T) {
	c := parseString(strings.Repeat(";", 1000))
	if len(c.Diagnostics) != maxDiagnostics || !strings.HasSuffix(c.Diagnostics[maxDiagnostics-1].Message, "(and more syntax errors not shown)") {
		t.Errorf("%d diagnostics", len(c.Diagnostics))
	}
	c = parseString(strings.Repeat("a {", MaxDepth+10) + strings.Repeat("}", MaxDepth+10))
	if got := diags(c); len(got) != 1 || !strings.Contains(got[0], "nested more than") {
		t.Errorf("deep nesting: %q", got)
	}
}

// The parser numbers each directive's name by the table (NoID for a name
// the table lacks), and NameID answers the same for a directive built
// by hand.
func TestParserNumbersNames(t *testing.T) {
	c := parseString("events {}\nhttp {\n    \"proxy_pass\" http://a;\n    zz_custom on;\n    server { listen 80; }\n}\n")
	var got []string
	Walk(c, func(d *Directive) bool {
		if d.id != spec.ID(d.Name) || d.NameID() != d.id {
			t.Errorf("%s: id %d, NameID %d, table %d", d.Name, d.id, d.NameID(), spec.ID(d.Name))
		}
		got = append(got, fmt.Sprintf("%s:%v", d.Name, d.id != spec.NoID))
		return true
	})
	if want := "events:true http:true proxy_pass:true zz_custom:false server:true listen:true"; strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
	if d := (&Directive{Name: "listen"}); d.NameID() == spec.NoID || d.NameID() != spec.ID("listen") {
		t.Errorf("a hand-made listen: NameID %d", d.NameID())
	}
}

// NameSpan is the name as written, quotes included, with positions as the
// file counts them: across a line break inside quotes and in UTF-16
// columns after a wide character.
func TestNameSpan(t *testing.T) {
	src := "events {}\nhttp {\n    proxy_buffering on;\n    \"pro\\\"xy\" a;\n    \"é𝄞x\" b;\n    \"two\nlines\" c;\n}\n"
	c := parseString(src)
	want := map[string]string{
		"events": "events", "http": "http", "proxy_buffering": "proxy_buffering",
		"pro\"xy": `"pro\"xy"`, "é𝄞x": `"é𝄞x"`, "two\nlines": "\"two\nlines\"",
	}
	n := 0
	Walk(c, func(d *Directive) bool {
		n++
		ns := d.NameSpan()
		if got := c.File.Text(ns); got != want[d.Name] {
			t.Errorf("%q: name text %q, want %q", d.Name, got, want[d.Name])
		}
		if ns.Start != c.File.Pos(ns.Start.Offset) || ns.End != c.File.Pos(ns.End.Offset) {
			t.Errorf("%q: name span %v..%v, the file says %v..%v", d.Name, ns.Start, ns.End, c.File.Pos(ns.Start.Offset), c.File.Pos(ns.End.Offset))
		}
		return true
	})
	if n != len(want) {
		t.Errorf("%d directives, want %d", n, len(want))
	}
}

// TestSameUpstreamServer checks the allocation-free comparison of an
// upstream server's arguments against the long one it stands in front of:
// both must find the same agreement with gonginx's view, for gonginx's own
// reading of the line and for views that differ in each part.
func TestSameUpstreamServer(t *testing.T) {
	for line, short := range map[string]bool{
		"server a:1;": true,
		"server a:1 weight=5 max_fails=3 backup;":      true,
		"server a:1 backup weight=5 down;":             true,
		"server unix:/run/a.sock max_conns=10;":        true,
		"server a:1 weight=5 weight=7;":                false, // a repeated name: left to the long way
		"server a:1 slow_start=30s resolve route=x=y;": true,
	} {
		c := parseString("upstream u {\n    " + line + "\n}\n")
		d := c.Directives[0].Block[0]
		n := d.UpstreamServer()
		if n == nil {
			t.Fatalf("%s: no gonginx view", line)
		}
		if diff := upstreamServerDiff(d, n); diff != "" {
			t.Errorf("%s: gonginx reads it otherwise: %s", line, diff)
		}
		if got := sameUpstreamServer(d, n); got != short {
			t.Errorf("%s: the short way says same %v, want %v", line, got, short)
		}
		for part, other := range map[string]*config.UpstreamServer{
			"address": {Address: "b:2", Parameters: n.Parameters, Flags: n.Flags},
			"param":   {Address: n.Address, Parameters: map[string]string{"weight": "9"}, Flags: n.Flags},
			"flag":    {Address: n.Address, Parameters: n.Parameters, Flags: append(slices.Clone(n.Flags), "down")},
		} {
			long := upstreamServerDiff(d, other) == ""
			if short := sameUpstreamServer(d, other); short || long {
				t.Errorf("%s: a view with another %s compares same (short way %v, long way %v)", line, part, short, long)
			}
		}
	}
}

// The tree is most of a lint's memory: a 10 MB file parses into some
// 270,000 directives and 420,000 arguments. Their places are offsets
// into the file, worked out into lines and columns only when asked; a
// field that grows a node shows here first.
func TestNodeSizes(t *testing.T) {
	if n := unsafe.Sizeof(Directive{}); n > 112 {
		t.Errorf("a Directive is %d bytes, want at most 112", n)
	}
	if n := unsafe.Sizeof(Arg{}); n > 40 {
		t.Errorf("an Arg is %d bytes, want at most 40", n)
	}
}

// HasDollar is read from the text as the parse found it, and from the
// value for an argument made by hand.
func TestArgHasDollar(t *testing.T) {
	c := parseString("set $a 'x${b}y';\nreturn 200 \"plain\";\ncontent_by_lua_block { ngx.say('$') }\n")
	var got []string
	Walk(c, func(d *Directive) bool {
		for _, a := range append(d.Args, d.Lua()) {
			if a != nil {
				got = append(got, fmt.Sprintf("%s=%v", a.Raw(), a.HasDollar()))
			}
		}
		return true
	})
	want := []string{"$a=true", "'x${b}y'=true", "200=false", `"plain"=false`, " ngx.say('$') =true"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if !(&Arg{Value: "$x"}).HasDollar() || (&Arg{Value: "x"}).HasDollar() {
		t.Error("an argument made by hand answers from its value")
	}
}
