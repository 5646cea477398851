//go:build !unix

package live

import "errors"

// setV6Only is not implemented here: the bind test is then inconclusive.
func setV6Only(uintptr, bool) error {
	return errors.ErrUnsupported
}
