//go:build unix

package app

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only for the life of the process: the system
// keeps in memory only the parts read, and may drop them again.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() <= 0 || st.Size() > 1<<30 {
		return os.ReadFile(path) // too large to map, or of no size
	}
	return syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
}
