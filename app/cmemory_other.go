//go:build !linux || !cgo

package app

// boundCHeap and trimCHeap do nothing where the C library is not glibc's
// (see cmemory_glibc.go).
func boundCHeap() {}
func trimCHeap()  {}
