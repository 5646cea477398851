//go:build !unix

package nginx

import "os"

// openRead opens a configuration file for reading.
func openRead(name string) (*os.File, error) { return os.Open(name) }
