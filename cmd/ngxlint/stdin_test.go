package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// watchedInput is standard input that counts its reads.
type watchedInput struct {
	r     io.Reader
	reads int
}

func (w *watchedInput) Read(p []byte) (int, error) {
	w.reads++
	return w.r.Read(p)
}

// Standard input is read only when a path or a log is "-": read up front,
// a terminal's standard input made `ngxlint lint nginx.conf` wait for an
// end of input the user never typed.
func TestStandardInputReadOnlyForDash(t *testing.T) {
	dir := t.TempDir()
	errLog := filepath.Join(dir, "error.log")
	esLog := filepath.Join(dir, "es.log")
	for _, f := range []string{errLog, esLog} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		args  []string
		reads bool
	}{
		{[]string{"lint", example}, false},
		{[]string{"lint", "--error-log", errLog, example}, false},
		{[]string{"lint", "--es-log", esLog, example}, false},
		{[]string{"lint", "--stdin-filename", "x.conf", "-"}, true},
		{[]string{"lint", "--error-log", "-", example}, true},
	} {
		in := &watchedInput{r: strings.NewReader("events {}\n")}
		var out, errb bytes.Buffer
		code := run(append([]string{"ngxlint"}, c.args...), in, &out, &errb)
		if code == exitUsage {
			t.Errorf("%v: exit %d: %s", c.args, code, errb.String())
		}
		if (in.reads > 0) != c.reads {
			t.Errorf("%v: standard input read %d times, want it read: %v", c.args, in.reads, c.reads)
		}
	}
}
