package vars

import (
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/ngxlint/ngxlint/analyzer/nginx"
	"github.com/ngxlint/ngxlint/analyzer/sharedtest"
)

// LoadTree loads every regular file under dir as one set of files, with
// includes resolved (display names them in diagnostics; nil: as loaded),
// for the tests of this package and of vars_test.
func LoadTree(tb testing.TB, dir string, display func(abs string) string) *nginx.Loader {
	tb.Helper()
	l := &nginx.Loader{Machine: sharedtest.Machine(tb), Display: display}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		_, err = l.Load(path)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	l.Resolve()
	return l
}
