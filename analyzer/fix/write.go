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
// systems), which takes the old file's owner, group and mode (set-id bits
// included) and then replaces it by rename. A file with several hard
// links, or whose owner cannot be kept, is refused with a message. A reader sees the old bytes or the new, never half. It
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
	owner, hasOwner := ownerOf(fi)
	if owner.links > 1 {
		// A rename gives this name a new file; the other names would
		// silently keep the old text.
		return fmt.Errorf("%s: has %d hard links; replacing it would leave the other names with the old text, so it is not fixed (apply the fix by hand, or with a single link)", path, owner.links)
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
		// The temporary name means nothing to the user; the folder does.
		return fmt.Errorf("%s: cannot write a new version next to it in %s: %w; not fixed", path, filepath.Dir(path), unwrapPath(err))
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
	// Owner and group first: on Linux a chown clears set-id bits, which
	// the chmod after it then restores.
	if hasOwner {
		if err = tmp.Chown(owner.uid, owner.gid); err != nil {
			_ = tmp.Close()
			err = fmt.Errorf("%s: cannot keep its owner and group (%d:%d): %w; not fixed", path, owner.uid, owner.gid, unwrapPath(err))
			return err
		}
	}
	if err = tmp.Chmod(fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
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

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
