//go:build !unix

package app

// mapFile reads a file whole where files are not mapped.
func mapFile(path string) ([]byte, error) { return readFile(path) }
