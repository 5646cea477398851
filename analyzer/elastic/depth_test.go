package elastic

import (
	"strings"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/source"
)

// TestDepthErrorPosition: yaml.v3 reports "exceeded max depth" with no
// line, and the error used to point at 1:1. It now points at the bracket
// where the nesting passes the limit.
func TestDepthErrorPosition(t *testing.T) {
	src := "cluster.name: x\nbad: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"
	s := Parse(source.NewFile("elasticsearch.yml", "", source.KindElastic, []byte(src)))
	if len(s.Diagnostics) != 1 || !strings.Contains(s.Diagnostics[0].Message, "max depth") {
		t.Fatalf("diagnostics: %v", s.Diagnostics)
	}
	at := s.Diagnostics[0].Span.Start
	if at.Line != 2 || at.Col < 9000 || at.Col > 10010 || src[at.Offset] != '[' {
		t.Errorf("depth error at %v, want line 2 near column 10000 on a '['", at)
	}
}
