package nginx

import (
	"strings"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

func TestPathoTmp(t *testing.T) {
	for name, s := range map[string]string{
		"braces":   strings.Repeat("{", 1<<20),
		"closes":   strings.Repeat("}", 1<<20),
		"nested":   strings.Repeat("a{", 100000),
		"quotes":   strings.Repeat("'\n", 1<<19) + "\"",
		"lua":      "content_by_lua_block {" + strings.Repeat("[[", 1<<19),
		"luacmt":   "content_by_lua_block {" + strings.Repeat("--[==[", 1<<17),
		"nl":       strings.Repeat("\n", 1<<20),
		"comments": strings.Repeat("a # x\n", 1<<17),
		"nul":      strings.Repeat("\x00a", 1<<19),
		"words":    strings.Repeat("a ", 1<<19),
	} {
		start := time.Now()
		Parse(source.NewFile("x", "", source.KindNginx, []byte(s)))
		t.Logf("%s: %v", name, time.Since(start))
	}
}
