package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sourcesDir is where the mirrors are: $NGXLINT_SPEC_SOURCES. The scan
// reads every release tag of five repositories (minutes under -race), so
// it runs only when asked: NGXLINT_SPEC_SOURCES=/work/.mirror go test
// ./analyzer/nginx/spec/... It skips when a mirror is missing and under
// -short.
func sourcesDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NGXLINT_SPEC_SOURCES")
	if dir == "" {
		t.Skip("skipping the regeneration: set NGXLINT_SPEC_SOURCES to the folder of the mirrors (see inputs.tsv)")
	}
	for _, in := range inputs {
		if _, err := findMirror(dir, in.repo); err != nil {
			t.Skipf("skipping: %v (set NGXLINT_SPEC_SOURCES to the folder of the mirrors)", err)
		}
	}
	if testing.Short() {
		t.Skip("skipping the full scan in -short mode")
	}
	return dir
}

// The committed table is what the generator writes from the recorded
// inputs: regenerate into a temporary folder and compare byte for byte.
func TestReproducesCommittedTable(t *testing.T) {
	sources := sourcesDir(t)
	out := t.TempDir()
	if err := run(sources, out, false); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"table_gen.go", "inputs.tsv"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh generation (%d vs %d bytes): run `go generate ./analyzer/nginx/spec` and review the diff", name, len(got), len(want))
		}
	}
}

// parseC on a small hand-made source: commands with their module and
// handler, a define used in flags, variables, and handlers that reject
// duplicates.
func TestParseC(t *testing.T) {
	src := []byte(`
#define MY_CONF NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF
static ngx_command_t  ngx_x_commands[] = {
    { ngx_string("x_flag"), MY_CONF|NGX_CONF_FLAG, ngx_conf_set_flag_slot, 0, 0, NULL },
    /* { ngx_string("commented"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1, h, 0, 0, NULL }, */
    { ngx_string("x_pass"), NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1, ngx_x_pass, 0, 0, NULL },
      ngx_null_command
};
ngx_module_t  ngx_x_module = { NGX_MODULE_V1, &ctx, ngx_x_commands, NGX_HTTP_MODULE };
static ngx_http_variable_t  ngx_x_vars[] = {
    { ngx_string("x_var"), NULL, get, 0, 0, 0 },
    { ngx_string("x_pre_"), NULL, get, 0, NGX_HTTP_VAR_PREFIX, 0 },
      ngx_http_null_variable
};
static char *
ngx_x_pass(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    if (seen) { return "is duplicate"; }
    return NGX_CONF_OK;
}
`)
	f := parseC("src/http/ngx_x_module.c", src)
	if len(f.commands) != 2 || f.commands[0].name != "x_flag" || f.commands[1].handler != "ngx_x_pass" {
		t.Fatalf("commands %+v", f.commands)
	}
	ctx, args, bad := resolveFlags(f.commands[0].flags, f.defines)
	if len(bad) != 0 || !args.Flag || ctx == 0 {
		t.Errorf("x_flag: ctx %v args %+v unresolved %v", ctx, args, bad)
	}
	if m := commandModule("src/http/ngx_x_module.c", f, "ngx_x_commands"); m != "ngx_x_module" {
		t.Errorf("module %q", m)
	}
	if len(f.vars) != 2 || f.vars[0].prefix || !f.vars[1].prefix {
		t.Errorf("vars %+v", f.vars)
	}
	if repeatOf("ngx_x_pass", f).String() != "rejected" || repeatOf("ngx_conf_set_keyval_slot", f).String() != "allowed" || repeatOf("other", f).String() != "unknown" {
		t.Errorf("repeat: %v %v %v", repeatOf("ngx_x_pass", f), repeatOf("ngx_conf_set_keyval_slot", f), repeatOf("other", f))
	}
}
