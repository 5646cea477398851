package fix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrChanged is returned by WriteFile when the file no longer holds the
// bytes the fixes were computed from.
var ErrChanged = errors.New("the file changed since it was read; not fixed (run again)")

// WriteFile replaces the file at path with data, atomically: data goes to
// a temporary file in the same folder (so the rename cannot cross file
// systems), which takes the old file's permission bits and then replaces
// it by rename. A reader sees the old bytes or the new, never half. It
// refuses, with ErrChanged, when the file's current bytes are not orig.
func WriteFile(path string, orig, data []byte) (err error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		// Renaming over a symlink would replace the link, not its target.
		return fmt.Errorf("%s: is a symbolic link; not fixed (fix the file it points to)", path)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file; not fixed", path)
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, orig) {
		return fmt.Errorf("%s: %w", path, ErrChanged)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".ngxlint-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Chmod(fi.Mode().Perm()); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	// Last look before the swap: an editor may have saved meanwhile.
	if cur, err = os.ReadFile(path); err != nil {
		return err
	}
	if !bytes.Equal(cur, orig) {
		err = fmt.Errorf("%s: %w", path, ErrChanged)
		return err
	}
	return os.Rename(tmp.Name(), path)
}
