//go:build !unix

package datasets

import "os"

// lockFile opens path without locking: advisory locks are only used on
// Unix. Concurrent runs on one dataset are unsafe on other systems.
func lockFile(path string, wait bool) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
}

func unlock(f *os.File) {
	if f != nil {
		f.Close()
	}
}
