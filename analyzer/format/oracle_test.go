package format

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// wrappers place a corpus file where nginx can test it: as the main file,
// or included at the http, server or location level of a minimal one.
var wrappers = []string{
	"",
	"events {}\nhttp {\n include %s;\n}\n",
	"events {}\nhttp {\n server {\n  include %s;\n }\n}\n",
	"events {}\nhttp {\n server {\n  location / {\n   include %s;\n  }\n }\n}\n",
}

// nginxAccepts runs `nginx -t` on the file at path (in the wrapper w).
func nginxAccepts(t *testing.T, bin, dir, path, w string) bool {
	conf := path
	if w != "" {
		conf = filepath.Join(dir, "wrapper.conf")
		if err := os.WriteFile(conf, []byte(fmt.Sprintf(w, path)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-t", "-q", "-p", dir+"/", "-e", "stderr", "-c", conf,
		"-g", "pid "+dir+"/nginx.pid; error_log stderr;")
	return cmd.Run() == nil
}

// TestCorpusNginxAccepts holds formatting to real `nginx -t`: every corpus
// file nginx accepts (alone or in a minimal wrapper) it still accepts
// after formatting.
func TestCorpusNginxAccepts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx -t on the corpus; skipped with -short")
	}
	root := sharedtest.Path(t, "corpus", "nginx")
	bin := sharedtest.Tool(t, "nginx")
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
	dir := t.TempDir()
	accepted := 0
	for _, path := range files {
		rel, _ := filepath.Rel(root, path)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Source(rel, src, Options{})
		if err != nil || bytes.Equal(out, src) {
			continue // refused, or nothing to test
		}
		conf := filepath.Join(dir, "x.conf")
		if err := os.WriteFile(conf, src, 0o644); err != nil {
			t.Fatal(err)
		}
		w := -1
		for i, wr := range wrappers {
			if nginxAccepts(t, bin, dir, conf, wr) {
				w = i
				break
			}
		}
		if w < 0 {
			continue
		}
		accepted++
		if err := os.WriteFile(conf, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if !nginxAccepts(t, bin, dir, conf, wrappers[w]) {
			t.Errorf("%s: nginx accepts it but not its formatted text", rel)
		}
	}
	if accepted == 0 {
		t.Fatal("nginx accepted no changed corpus file: the test tested nothing")
	}
	t.Logf("%d changed corpus files accepted by nginx -t before and after formatting", accepted)
}
