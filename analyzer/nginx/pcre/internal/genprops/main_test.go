package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A hand-made table in PCRE2's layout: names spelled by macros, a name
// with &, and a newer table that adds one name.
func TestGenerate(t *testing.T) {
	base := `#define STRING_any0 STR_a STR_n STR_y "\0"
#define STRING_l_AMPERSAND0 STR_l STR_AMPERSAND "\0"
#define STRING_grek0 STR_g STR_r STR_e STR_k "\0"
const char PRIV(utt_names)[] =
  STRING_any0
  STRING_grek0
  STRING_l_AMPERSAND0;
const ucp_type_table PRIV(utt)[] = {
  {   0, PT_ANY, 0 },
  {   4, PT_SCX, ucp_Greek },
  {   9, PT_LAMP, 0 },
};
`
	newer := strings.Replace(base, "STRING_grek0\n", "STRING_grek0\n  STRING_kawi0\n", 1)
	newer = strings.Replace(newer, "  {   9, PT_LAMP", "  {   9, PT_SC, ucp_Kawi },\n  {  14, PT_LAMP", 1)
	newer = `#define STRING_kawi0 STR_k STR_a STR_w STR_i "\0"` + "\n" + newer
	out, err := generate(strings.NewReader(base), strings.NewReader(newer), "9.9")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"any":  {kindSpecial, ""}`, `"grek": {kindScriptExt, "Greek"}`, `"l&":   {kindSpecial, ""}`, `"kawi": {kindScript, "Kawi"}`, "PCRE2 9.9 adds"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	if _, err := generate(strings.NewReader("const char PRIV(utt_names)[] =\n STRING_x0\n"), strings.NewReader(base), "1"); err == nil {
		t.Error("an undefined name is not an error")
	}
}

// The committed table is what the generator writes from the inputs named
// in properties-inputs.tsv, read from a PCRE2 mirror under
// $NGXLINT_SPEC_SOURCES (as for the directive table).
func TestReproducesCommittedTable(t *testing.T) {
	dir := os.Getenv("NGXLINT_SPEC_SOURCES")
	if dir == "" {
		t.Skip("skipping the regeneration: set NGXLINT_SPEC_SOURCES to the folder of the mirrors (see properties-inputs.tsv)")
	}
	repo := filepath.Join(dir, "PCRE2Project+pcre2", "repo")
	show := func(rev string) []byte {
		out, err := exec.Command("git", "-C", repo, "show", rev).Output()
		if err != nil {
			t.Skipf("skipping: git show %s in %s: %v", rev, repo, err)
		}
		return out
	}
	base := show("pcre2-10.42:src/pcre2_ucptables.c")
	newer := show("pcre2-10.47:src/pcre2_ucptables_inc.h")
	got, err := generate(bytes.NewReader(base), bytes.NewReader(newer), "10.47")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "properties_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("properties_gen.go differs from a fresh generation: regenerate it as the generator's doc says")
	}
}
