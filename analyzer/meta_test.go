package analyzer

import (
	"strings"
	"testing"
)

func TestCheckMetadata(t *testing.T) {
	good := Rule{Name: "r", Tags: []Tag{TagSyntax}, Precision: PrecisionHigh, Fix: FixUnsafe}
	if errs := good.CheckMetadata(); len(errs) != 0 {
		t.Errorf("valid metadata reported: %v", errs)
	}
	for _, c := range []struct {
		rule Rule
		want string
	}{
		{Rule{Name: "r", Tags: []Tag{"sytnax"}, Precision: PrecisionHigh}, `tag "sytnax" is not declared`},
		{Rule{Name: "r", Tags: []Tag{TagLive, TagLive}, Precision: PrecisionHigh}, `tag "live" appears twice`},
		{Rule{Name: "r", Precision: PrecisionHigh}, "no tags"},
		{Rule{Name: "r", Tags: []Tag{TagMeta}, Precision: "low"}, `precision "low"`},
		{Rule{Name: "r", Tags: []Tag{TagMeta}}, `precision ""`},
		{Rule{Name: "r", Tags: []Tag{TagMeta}, Precision: PrecisionMedium, Fix: "maybe"}, `fix kind "maybe"`},
	} {
		errs := c.rule.CheckMetadata()
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) {
			t.Errorf("%+v: got %v, want one error containing %q", c.rule, errs, c.want)
		}
	}
}

// Every declared tag is valid and distinct; a Tags entry that duplicated
// or misspelt one would let rules carry an undeclared tag.
func TestTagsDeclared(t *testing.T) {
	seen := map[Tag]bool{}
	for _, tag := range Tags {
		if seen[tag] || tag == "" || strings.ToLower(string(tag)) != string(tag) {
			t.Errorf("tag %q: duplicate, empty or not lower case", tag)
		}
		seen[tag] = true
	}
	if Tag("nonsense").Valid() {
		t.Error("an undeclared tag is valid")
	}
}
