package elastic

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// parse parses src as a file called name (default elasticsearch.yml).
func parse(t testing.TB, src string, name ...string) *Settings {
	t.Helper()
	path := "elasticsearch.yml"
	if len(name) > 0 {
		path = name[0]
	}
	return Parse(source.NewFile(path, "/cfg/"+path, source.KindElastic, []byte(src)))
}

// sp renders a span as "line:col-line:col" (columns in UTF-16 units).
func sp(s source.Span) string {
	return fmt.Sprintf("%d:%d-%d:%d", s.Start.Line, s.Start.Col, s.End.Line, s.End.Col)
}

// flat is one expected setting occurrence.
type flat struct {
	key, keySpan string
	nested, list bool
	values       []string // "text@span"
}

func flatten(s *Settings) []flat {
	var out []flat
	for _, st := range s.All {
		fl := flat{key: st.Key, keySpan: sp(st.KeySpan), nested: st.Nested, list: st.List}
		for _, v := range st.Values {
			fl.values = append(fl.values, v.Text+"@"+sp(v.Span))
		}
		out = append(out, fl)
	}
	return out
}

func TestParseSettings(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []flat
	}{{
		name: "flat, nested, mixed, with UTF-16 columns",
		src: "cluster.name: prod\n" +
			"http:\n" +
			"  port: 9201\n" +
			"  host: \"127.0.0.1\"\n" +
			"xpack.security.http.ssl:\n" +
			"  enabled: true\n" +
			"node: {name: é😀, attr.zone: 'z1'}\n",
		want: []flat{
			{key: "cluster.name", keySpan: "1:1-1:13", values: []string{"prod@1:15-1:19"}},
			{key: "http.port", keySpan: "3:3-3:7", nested: true, values: []string{"9201@3:9-3:13"}},
			{key: "http.host", keySpan: "4:3-4:7", nested: true, values: []string{"127.0.0.1@4:9-4:20"}},
			{key: "xpack.security.http.ssl.enabled", keySpan: "6:3-6:10", nested: true, values: []string{"true@6:12-6:16"}},
			// é is 1 UTF-16 unit, 😀 is 2: the value ends at column 17.
			{key: "node.name", keySpan: "7:8-7:12", nested: true, values: []string{"é😀@7:14-7:17"}},
			{key: "node.attr.zone", keySpan: "7:19-7:28", nested: true, values: []string{"z1@7:30-7:34"}},
		},
	}, {
		name: "flow and block lists",
		src: "discovery.seed_hosts: [host1, \"host2:9300\"]\n" +
			"node.roles:\n" +
			"  - master\n" +
			"  - 'data'\n" +
			"empty: []\n",
		want: []flat{
			{key: "discovery.seed_hosts", keySpan: "1:1-1:21", list: true, values: []string{"host1@1:24-1:29", "host2:9300@1:31-1:43"}},
			{key: "node.roles", keySpan: "2:1-2:11", list: true, values: []string{"master@3:5-3:11", "data@4:5-4:11"}},
			{key: "empty", keySpan: "5:1-5:6", list: true},
		},
	}, {
		name: "scalar styles",
		src: "a: \"x\\\"y\"\n" +
			"b: 'it''s'\n" +
			"c: ${VAR}\n" +
			"d: \"${VAR:default}\"\n" +
			"e:\n" +
			"f: ~\n" +
			"g: null\n" +
			"h: \"null\"\n" +
			"i: |\n" +
			"  l1\n" +
			"  l2\n" +
			"j: >-\n" +
			"  p\n" +
			"  q\n" +
			"k: &anchor !!str tagged\n" +
			"l: plain\n" +
			"  continued # comment\n",
		want: []flat{
			{key: "a", keySpan: "1:1-1:2", values: []string{`x"y@1:4-1:10`}},
			{key: "b", keySpan: "2:1-2:2", values: []string{"it's@2:4-2:11"}},
			{key: "c", keySpan: "3:1-3:2", values: []string{"${VAR}@3:4-3:10"}},
			{key: "d", keySpan: "4:1-4:2", values: []string{"${VAR:default}@4:4-4:20"}},
			{key: "e", keySpan: "5:1-5:2", values: []string{"@5:3-5:3"}},
			{key: "f", keySpan: "6:1-6:2", values: []string{"~@6:4-6:5"}},
			{key: "g", keySpan: "7:1-7:2", values: []string{"null@7:4-7:8"}},
			{key: "h", keySpan: "8:1-8:2", values: []string{"null@8:4-8:10"}},
			{key: "i", keySpan: "9:1-9:2", values: []string{"l1\nl2\n@9:4-11:5"}},
			{key: "j", keySpan: "12:1-12:2", values: []string{"p q@12:4-14:4"}},
			{key: "k", keySpan: "15:1-15:2", values: []string{"tagged@15:18-15:24"}},
			{key: "l", keySpan: "16:1-16:2", values: []string{"plain continued@16:4-17:12"}},
		},
	}, {
		name: "CRLF line endings",
		src:  "http:\r\n  port: 9200\r\nnetwork.host: \"a\"\r\n",
		want: []flat{
			{key: "http.port", keySpan: "2:3-2:7", nested: true, values: []string{"9200@2:9-2:13"}},
			{key: "network.host", keySpan: "3:1-3:13", values: []string{"a@3:15-3:18"}},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := parse(t, tt.src)
			if len(s.Diagnostics) != 0 {
				t.Errorf("unexpected diagnostics: %+v", s.Diagnostics)
			}
			got := flatten(s)
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
				t.Errorf("settings\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestValueFlags(t *testing.T) {
	s := parse(t, "a: ${VAR}\nb: \"${VAR:def}\"\nc:\nd: ~\ne: null\nf: \"null\"\ng: x\n")
	want := map[string][2]bool{ // placeholder, null
		"a": {true, false}, "b": {true, false}, "c": {false, true}, "d": {false, true},
		"e": {false, true}, "f": {false, false}, "g": {false, false},
	}
	for key, w := range want {
		v := s.Get(key).Values[0]
		if v.Placeholder != w[0] || v.Null != w[1] {
			t.Errorf("%s: placeholder=%v null=%v, want %v %v", key, v.Placeholder, v.Null, w[0], w[1])
		}
	}
}

// TestFlowStyle: Setting.Flow tells values written inside [...] or {...}
// from block ones, including a block mapping nested in a block one and a
// scalar of a flow mapping.
func TestFlowStyle(t *testing.T) {
	s := parse(t, "a: [x, y]\nb:\n  - x\nc: {d: x, e: [y]}\nf:\n  g: x\nh: x\n")
	want := map[string]bool{"a": true, "b": false, "c.d": true, "c.e": true, "f.g": false, "h": false}
	for key, w := range want {
		if st := s.Get(key); st == nil {
			t.Errorf("%s: not found", key)
		} else if st.Flow != w {
			t.Errorf("%s: Flow = %v, want %v", key, st.Flow, w)
		}
	}
}

// diag is one expected diagnostic.
type diag struct {
	code, span string
	info       bool
	related    string // span of the first Related, or ""
	contains   string // a substring the message must hold
}

func checkDiags(t *testing.T, got []source.Diagnostic, want []diag) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		rel := ""
		if len(g.Related) > 0 {
			rel = sp(g.Related[0].Span)
		}
		if g.Code != w.code || sp(g.Span) != w.span || g.Info != w.info || rel != w.related || !strings.Contains(g.Message, w.contains) {
			t.Errorf("diagnostic %d:\n got %s %s info=%v related=%q %q\nwant %s %s info=%v related=%q containing %q",
				i, g.Code, sp(g.Span), g.Info, rel, g.Message, w.code, w.span, w.info, w.related, w.contains)
		}
		if strings.Contains(g.Message, product) || strings.HasPrefix(g.Message, "yaml:") || strings.Contains(g.Message, "line ") {
			t.Errorf("diagnostic %d: message not cleaned: %q", i, g.Message)
		}
	}
}

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		file string
		src  string
		want []diag
	}{
		{name: "empty file", src: ""},
		{name: "comments only", src: "# a\n\n   # b\n"},
		{name: "explicit empty document", src: "---\n"},
		{name: "duplicate top-level key", src: "cluster.name: a\nnode.name: n\ncluster.name: b\n", want: []diag{
			{code: CodeDuplicateKey, span: "3:1-3:13", related: "1:1-1:13", contains: `"cluster.name" appears twice at the top level; Elasticsearch refuses to start`},
		}},
		{name: "duplicate nested key", src: "http:\n  port: 1\n  port: 2\n", want: []diag{
			{code: CodeDuplicateKey, span: "3:3-3:7", related: "2:3-2:7", contains: "\"port\" appears twice under `http`"},
		}},
		{name: "duplicate parent map reports no extra collision", src: "network:\n  host: a\nnetwork:\n  host: b\n", want: []diag{
			{code: CodeDuplicateKey, span: "3:1-3:8", related: "1:1-1:8", contains: "Duplicate field 'network'"},
		}},
		{name: "duplicate in an OpenSearch file names OpenSearch", file: "opensearch.yml", src: "a: 1\na: 2\n", want: []diag{
			{code: CodeDuplicateKey, span: "2:1-2:2", related: "1:1-1:2", contains: "OpenSearch refuses to start"},
		}},
		{name: "flat then nested collision", src: "network.host: a\nnetwork:\n  host: b\n", want: []diag{
			{code: CodeKeyCollision, span: "3:3-3:7", related: "1:1-1:13", contains: "later value (\"b\") and ignore the earlier one (\"a\")"},
		}},
		{name: "nested then flat collision", src: "http: {port: 9200}\nhttp.port: 9300\n", want: []diag{
			{code: CodeKeyCollision, span: "2:1-2:10", related: "1:8-1:12", contains: "nested as `http` → `port` and again flat as `http.port`"},
		}},
		{name: "bad indentation", src: "a:\n  b:\n    c: 1\n   d: 2\n", want: []diag{
			{code: CodeSyntax, span: "4:4-4:8", contains: "did not find expected key"},
		}},
		{name: "value indented under a scalar", src: "a: 1\n  b: 2\n", want: []diag{
			{code: CodeSyntax, span: "2:3-2:7", contains: "mapping values are not allowed"},
		}},
		{name: "mapping key inside a sequence", src: "x: 1\ny:\n  - a\n  b: 1\n", want: []diag{
			{code: CodeSyntax, span: "4:3-4:7", contains: "did not find expected '-' indicator"},
		}},
		{name: "tab indentation", src: "x: 1\ny:\n  \tz: 2\n", want: []diag{
			{code: CodeSyntax, span: "3:3-3:4", contains: "tabs"},
		}},
		{name: "tab after spaces at a mapping level", src: "a:\n  b: 1\n\tc: 2\n", want: []diag{
			{code: CodeSyntax, span: "3:1-3:2", contains: "tab"},
		}},
		{name: "unclosed flow sequence", src: "x: 1\ny: 2\na: [1, 2\n", want: []diag{
			{code: CodeSyntax, span: "3:4-3:5", contains: "'[' list is never closed"},
		}},
		{name: "unclosed flow mapping on line 1", src: "a: {b: 1\n", want: []diag{
			{code: CodeSyntax, span: "1:4-1:5", contains: "'{' mapping is never closed"},
		}},
		{name: "unterminated quote", src: "a: \"open\nb: 2\n", want: []diag{
			{code: CodeSyntax, span: "1:4-1:5", contains: "closing quote is missing"},
		}},
		{name: "unknown alias", src: "x: 1\ny: *nope\n", want: []diag{
			{code: CodeSyntax, span: "2:4-2:9", contains: "unknown anchor 'nope'"},
		}},
		{name: "star value is an alias", src: "a: 1\npassword: *secret*\n", want: []diag{
			{code: CodeSyntax, span: "2:11-2:19", contains: "quote it"},
		}},
		{name: "top-level list", src: "- a\n- b\n", want: []diag{
			{code: CodeSyntax, span: "1:1-1:4", contains: "top level is a list"},
		}},
		{name: "top-level scalar", src: "hello\n", want: []diag{
			{code: CodeSyntax, span: "1:1-1:6", contains: "top level is a single value (\"hello\")"},
		}},
		{name: "second document", src: "a: 1\n---\nb: 2\n", want: []diag{
			{code: CodeSyntax, span: "3:1-3:5", info: true, contains: "first document only"},
		}},
		{name: "empty second document is harmless", src: "a: 1\n---\n"},
		{name: "list of mappings, lists and nulls", src: "a: [x, {b: \"c]\"}, [d], ~]\n", want: []diag{
			{code: CodeListShape, span: "1:8-1:17", contains: `list "a" contains a mapping`},
			{code: CodeListShape, span: "1:19-1:22", contains: `list "a" contains a list`},
			{code: CodeListShape, span: "1:24-1:25", contains: `list "a" has an empty (null) item`},
		}},
		{name: "alias read as its name", src: "a: &x 1\nb: *x\n", want: []diag{
			{code: CodeAlias, span: "2:4-2:6", info: true, contains: `plain text "x"`},
		}},
		{name: "complex key", src: "? [a, b]\n: c\n", want: []diag{
			{code: CodeSyntax, span: "1:3-1:9", contains: "a list cannot be a setting name"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "elasticsearch.yml"
			}
			s := parse(t, tt.src, file)
			checkDiags(t, s.Diagnostics, tt.want)
		})
	}
}

func TestCollisionLastWins(t *testing.T) {
	s := parse(t, "network.host: a\nnetwork:\n  host: b\n")
	if got := s.Get("network.host").Values[0].Text; got != "b" {
		t.Errorf("Get = %q, want the later value b", got)
	}
	all := s.Lookup("network.host")
	if len(all) != 2 || all[0].Nested || !all[1].Nested {
		t.Errorf("Lookup = %+v, want flat then nested", all)
	}
	if s.Get("nope") != nil || s.Lookup("nope") != nil {
		t.Error("unset key must give nil")
	}
	if s.HTTPBind.Setting != all[1] || s.HTTPBind.Values[0].Text != "b" {
		t.Errorf("HTTPBind = %+v, want the later occurrence", s.HTTPBind)
	}
}

func TestEmptyAndCommentOnly(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# only a comment\n#another\n"} {
		s := parse(t, src)
		if len(s.All) != 0 || len(s.Diagnostics) != 0 {
			t.Errorf("%q: got settings %v diagnostics %v", src, s.All, s.Diagnostics)
		}
		if s.HTTPBind.Setting != nil || s.HTTPBind.Key != "" || s.HTTPPort.Setting != nil ||
			fmt.Sprint(s.HTTPPort.Ranges) != "[[9200 9300]]" || fmt.Sprint(s.TransportPort.Ranges) != "[[9300 9400]]" {
			t.Errorf("%q: defaults wrong: %+v %+v %+v", src, s.HTTPBind, s.HTTPPort, s.TransportPort)
		}
	}
}

func TestComments(t *testing.T) {
	src := "# head\n" +
		"k: \"a # b\" # real\n" +
		"l: 'it''s # x' #r2\n" +
		"m: |\n" +
		"  # inside a block scalar\n" +
		"n: x#y # z\n" +
		"  # indented alone\n" +
		"o: [a, \"#b\"] # ngxlint:ignore es-foo\n" +
		"p: é # after é\r\n"
	f := source.NewFile("elasticsearch.yml", "", source.KindElastic, []byte(src))
	Parse(f)
	var got []string
	for _, c := range f.Comments {
		got = append(got, fmt.Sprintf("%s %q %v", sp(c.Span), c.Text, c.Alone))
	}
	want := []string{
		`1:1-1:7 "# head" true`,
		`2:12-2:18 "# real" false`,
		`3:16-3:19 "#r2" false`,
		`6:8-6:11 "# z" false`,
		`7:3-7:19 "# indented alone" true`,
		`8:14-8:37 "# ngxlint:ignore es-foo" false`,
		`9:6-9:15 "# after é" false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("comments\n got %s\nwant %s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCommentsInBrokenFile(t *testing.T) {
	// The parse fails on line 3, but suppression comments must still be found.
	f := source.NewFile("elasticsearch.yml", "", source.KindElastic, []byte("a: 1 # ngxlint:ignore\nb: \"q # not\"\nc: [1\n# tail\n"))
	s := Parse(f)
	if len(s.Diagnostics) != 1 || s.Diagnostics[0].Code != CodeSyntax {
		t.Fatalf("want one syntax error, got %+v", s.Diagnostics)
	}
	var got []string
	for _, c := range f.Comments {
		got = append(got, sp(c.Span)+" "+c.Text)
	}
	if want := "1:6-1:22 # ngxlint:ignore|4:1-4:7 # tail"; strings.Join(got, "|") != want {
		t.Errorf("comments = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestFlavor(t *testing.T) {
	tests := []struct {
		name, src string
		want      Flavor
	}{
		{"opensearch.yml", "a: 1\n", OpenSearch},
		{"elasticsearch.yml", "plugins.security.disabled: true\n", Elasticsearch},
		{"node.yml", "plugins:\n  security:\n    disabled: true\n", OpenSearch},
		{"node.yml", "cluster.initial_cluster_manager_nodes: [a]\n", OpenSearch},
		{"node.yml", "opensearch.experimental.feature: true\n", OpenSearch},
		{"config__opensearch.yml", "a: 1\n", OpenSearch},
		{"node.yml", "xpack.security.enabled: true\n", Elasticsearch},
		{"conf/OpenSearch.yml", "a: 1\n", OpenSearch},
	}
	for _, tt := range tests {
		if got := parse(t, tt.src, tt.name).Flavor; got != tt.want {
			t.Errorf("%s %q: flavor %s, want %s", tt.name, tt.src, got, tt.want)
		}
	}
}

func TestSettingSpan(t *testing.T) {
	s := parse(t, "a: [x, y]\n")
	if got := sp(s.All[0].Span()); got != "1:1-1:9" {
		t.Errorf("Span = %s, want 1:1-1:9", got)
	}
}
