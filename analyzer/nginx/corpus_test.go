package nginx

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
	"github.com/ngxlint/ngxlint/analyzer/source"
	"github.com/tufanbarisyildirim/gonginx/config"
)

// TestCorpusAgreement parses every nginx file of the shared corpus with
// both parsers. Where both accept a file, the trees must agree node for
// node (names, lines, argument values). Where only one side fails, the
// reason must be a syntax error we report that gonginx is known to swallow,
// or a known gonginx defect; each tolerated case is detected from the file's
// content, not from its name.
func TestCorpusAgreement(t *testing.T) {
	root := sharedtest.Path(t, "corpus", "nginx")
	var files []string
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files under %s", root)
	}
	var matched, unmatched, bothOK, oursOnly, theirsOnly, bothErr int
	tolerated := map[string]int{}
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		c := parseNoPanic(t, rel, path, src)
		if c == nil {
			continue
		}
		m, problems := compareTrees(c)
		matched += m
		unmatched += len(problems)
		ourErr, theirErr := len(c.Diagnostics) > 0, c.GonginxErr() != nil
		switch {
		case !ourErr && !theirErr:
			bothOK++
			if len(problems) == 0 {
				continue
			}
			if why := gonginxDefect(c); why != "" {
				tolerated[why]++
				t.Logf("%s: tolerated disagreement: %s", rel, why)
				continue
			}
			t.Errorf("%s: trees disagree:\n  %s", rel, strings.Join(problems, "\n  "))
		case ourErr && !theirErr:
			oursOnly++
			why := swallowedByGonginx(c)
			if why == "" {
				t.Errorf("%s: we report %v but gonginx accepts the file", rel, c.Diagnostics[0])
				continue
			}
			tolerated[why]++
			t.Logf("%s: we report %v; gonginx accepts: %s", rel, c.Diagnostics[0], why)
		case !ourErr && theirErr:
			theirsOnly++
			why := gonginxDefect(c)
			if why == "" {
				t.Errorf("%s: gonginx fails (%v) on a file we accept", rel, c.GonginxErr())
				continue
			}
			tolerated[why]++
			t.Logf("%s: gonginx fails (%v): %s", rel, c.GonginxErr(), why)
		default:
			bothErr++
			t.Logf("%s: both fail: we report %v; gonginx: %v", rel, c.Diagnostics[0], c.GonginxErr())
		}
	}
	t.Logf("corpus: %d files; both parse: %d, only we report errors: %d, only gonginx errors: %d, both error: %d",
		len(files), bothOK, oursOnly, theirsOnly, bothErr)
	t.Logf("corpus: gonginx nodes matched: %d, unmatched or disagreeing: %d", matched, unmatched)
	var reasons []string
	for k, v := range tolerated {
		reasons = append(reasons, fmt.Sprintf("%s=%d", k, v))
	}
	sort.Strings(reasons)
	t.Logf("corpus: tolerated: %s", strings.Join(reasons, ", "))
}

func parseNoPanic(t *testing.T, rel, abs string, src []byte) (c *Config) {
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: Parse panicked: %v", rel, r)
			c = nil
		}
	}()
	return Parse(source.NewFile(rel, abs, source.KindNginx, src))
}

// compareTrees counts matched directive pairs and describes every
// directive of either tree that has no partner or whose arguments differ.
func compareTrees(c *Config) (matched int, problems []string) {
	if c.GonginxErr() != nil {
		return 0, nil
	}
	seen := map[config.IDirective]bool{}
	Walk(c, func(d *Directive) bool {
		if d.Node() == nil {
			problems = append(problems, fmt.Sprintf("ours %s %q has no gonginx node", d.Span(), d.Name))
			return true
		}
		seen[d.Node()] = true
		matched++
		if msg := argsDisagree(d, d.Node()); msg != "" {
			problems = append(problems, fmt.Sprintf("%s %q: %s", d.Span(), d.Name, msg))
		}
		return true
	})
	if g := c.gonginx; g != nil {
		walkGonginx(g.GetDirectives(), func(n config.IDirective) {
			if !seen[n] {
				problems = append(problems, fmt.Sprintf("gonginx %s line %d has no partner", n.GetName(), n.GetLine()))
			}
		})
	}
	return matched, problems
}

// walkGonginx visits gonginx nodes pre-order, not into includes or Lua.
func walkGonginx(list []config.IDirective, fn func(config.IDirective)) {
	for _, n := range list {
		fn(n)
		switch n.(type) {
		case *config.Include, *config.LuaBlock:
			continue
		}
		if b := n.GetBlock(); b != nil {
			walkGonginx(b.GetDirectives(), fn)
		}
	}
}

// swallowedByGonginx names the syntax error we report that gonginx is known
// to accept silently, or "" when one of our diagnostics is not of such a
// kind (a real disagreement to look into).
func swallowedByGonginx(c *Config) string {
	why := ""
	for _, d := range c.Diagnostics {
		m := d.Message
		switch {
		case strings.HasPrefix(m, `unexpected "}"`):
			why = "stray } (gonginx drops the rest of the file)"
		case strings.HasPrefix(m, `unexpected ";"`), strings.HasPrefix(m, `unexpected "{"`):
			why = "lone ; or { (gonginx accepts)"
		case strings.Contains(m, "NUL byte"), strings.Contains(m, "control byte"):
			why = "control bytes (gonginx stops at NUL)"
		case strings.Contains(m, "right after the quoted string"):
			why = "text glued to a closing quote (gonginx splits it)"
		case strings.Contains(m, `belongs to the word`):
			why = "} glued to a word (gonginx splits it)"
		default:
			return ""
		}
	}
	return why
}

// gonginxDefect names a known gonginx defect present in the file that
// explains a gonginx error or a disagreement, or "".
func gonginxDefect(c *Config) string {
	why := ""
	Walk(c, func(d *Directive) bool {
		if r := directiveDefect(d); r != "" {
			why = r
			return false
		}
		return true
	})
	return why
}

func directiveDefect(d *Directive) string {
	ns := d.NameSpan()
	name := &Arg{file: d.Config.File, start: uint32(ns.Start.Offset), end: uint32(ns.End.Offset)}
	for _, a := range append([]*Arg{name}, d.Args...) {
		switch {
		case !utf8.ValidString(a.Raw()):
			return "invalid UTF-8 (gonginx reads runes and replaces the bytes)"
		case a.Quote != 0 && strings.HasSuffix(a.Raw()[:len(a.Raw())-1], `\\`):
			return `escaped backslash before a closing quote ("a\\" is mis-lexed)`
		case strings.ContainsRune(a.Raw(), '`'):
			return "backtick (gonginx treats it as a quote)"
		case a.Quote == 0 && escapesDelimiter(a.Raw()):
			return "backslash escape in a bare word (gonginx keeps the next byte apart)"
		case a.Quote == 0 && strings.Contains(strings.ReplaceAll(a.Raw(), "${", ""), "}"):
			return "} inside a bare word (gonginx splits the word)"
		}
	}
	switch {
	case d.Lua() != nil && gonginxLuaEnd(d.Lua().Value) != len(d.Lua().Value):
		return "brace or # inside a Lua string or comment (gonginx counts it)"
	case d.Lua() != nil && len(d.Args) > 0:
		return "Lua block with arguments (gonginx re-joins its tokens)"
	case d.Name == "location" && (len(d.Args) == 0 || len(d.Args) > 2):
		return "location with 0 or more than 2 arguments (gonginx rejects)"
	case d.Name == "upstream" && (len(d.Args) == 0 || !d.HasBlock):
		return "upstream without a name or block (gonginx rejects)"
	case d.Name == "include" && (len(d.Args) != 1 || d.HasBlock):
		return "include with other than one argument (gonginx rejects)"
	case (d.Name == "http" || d.Name == "server" && len(d.Args) == 0) && !d.HasBlock:
		return "http or server without a block (gonginx rejects)"
	}
	return ""
}

// gonginxLuaEnd replays gonginx's Lua scanner on a body: braces are counted
// everywhere except after '#', which it takes for a comment. It returns
// where gonginx thinks the body ends.
func gonginxLuaEnd(body string) int {
	depth := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '#':
			if j := strings.IndexAny(body[i:], "\r\n"); j >= 0 {
				i += j - 1
			} else {
				i = len(body) - 1
			}
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	if depth != 0 {
		return -1
	}
	return len(body)
}

// escapesDelimiter reports a backslash in a bare word before a byte that
// would otherwise end the word or start a string; gonginx does not know
// that escape.
func escapesDelimiter(raw string) bool {
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == '\\' {
			if strings.IndexByte(" \t\r\n;{}\"'", raw[i+1]) >= 0 {
				return true
			}
			i++
		}
	}
	return false
}

// TestBlockJoinMatchesFileJoin: joining an upstream, server or location
// block alone gives every directive in it the same typed view as joining
// the whole file, on every corpus file where gonginx reads the file.
func TestBlockJoinMatchesFileJoin(t *testing.T) {
	var same, differ, files int
	for _, f := range sharedtest.Files(t, "corpus", "nginx") {
		path, src := f.Path, f.Src
		byBlock := parseNoPanic(t, path, path, src)
		whole := parseNoPanic(t, path, path, src)
		if byBlock == nil || whole == nil || whole.GonginxErr() != nil {
			continue // gonginx cannot read this file: nothing to compare
		}
		files++
		var a, b []*Directive
		Walk(byBlock, func(d *Directive) bool { a = append(a, d); return true })
		Walk(whole, func(d *Directive) bool { b = append(b, d); return true })
		for i, d := range a {
			if joinUnit(d) == nil {
				continue
			}
			x, y := d.Node(), b[i].Node()
			if describe(x) == describe(y) {
				same++
				continue
			}
			differ++
			if differ <= 10 {
				t.Errorf("%s: block join %s, file join %s", d.Span(), describe(x), describe(y))
			}
		}
		if byBlock.joinedAll {
			t.Errorf("%s: a block's typed view parsed the whole file", path)
		}
	}
	t.Logf("%d files, %d directives in blocks agree, %d differ", files, same, differ)
	if same < 1000 {
		t.Errorf("only %d directives compared", same)
	}
}

func describe(n config.IDirective) string {
	if n == nil {
		return "nil"
	}
	return fmt.Sprintf("%T %s %q", n, n.GetName(), paramValues(n.GetParameters()))
}
