//go:build unix

package nginx

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// A FIFO named by an include is refused, never opened: opening it would
// wait for a writer forever.
func TestIncludeFIFO(t *testing.T) {
	dir := sharedtest.Tree(t, map[string]string{"nginx.conf": "include fifo.conf;\ninclude p/*.conf;\n"})
	for _, p := range []string{"fifo.conf", "p/x.conf"} {
		_ = os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		if err := syscall.Mkfifo(filepath.Join(dir, p), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	l := newLoader(dir)
	load(t, l, filepath.Join(dir, "nginx.conf")) // would hang if the FIFO were opened
	l.Resolve()
	want := []string{
		"nginx.conf:1:9 include-error cannot include fifo.conf: is a FIFO, not a regular file",
		"nginx.conf:2:9 include-error cannot include p/x.conf: is a FIFO, not a regular file",
	}
	if got := allDiags(l); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, err := l.Load(filepath.Join(dir, "fifo.conf")); err == nil || !strings.Contains(err.Error(), "FIFO") {
		t.Errorf("Load of a FIFO: %v", err)
	}
}
