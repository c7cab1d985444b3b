//go:build !unix

package app

import "os"

// mapFile reads a file whole where files are not mapped.
func mapFile(path string) ([]byte, error) { return os.ReadFile(path) }
