//go:build linux && cgo

package app

/*
#include <features.h>
#ifdef __GLIBC__
#include <malloc.h>
static void trimCHeap(void) { malloc_trim(0); }
static void fixMmapThreshold(void) { mallopt(M_MMAP_THRESHOLD, 128 * 1024); }
#else
static void trimCHeap(void) {}
static void fixMmapThreshold(void) {}
#endif
*/
import "C"

// The OpenGL driver keeps textures (every row's text, every icon) in the C
// heap, and a window that redraws rows all day frees and allocates them
// without end. glibc keeps what is freed for later and, after the first
// large block is freed, serves large blocks from the heap too, where they
// fragment it: the heap only grew over a long run.

// boundCHeap makes glibc map every large block (128 KB or more) on its
// own, as it does at first, so that freeing one gives it back.
func boundCHeap() { C.fixMmapThreshold() }

// trimCHeap gives back the free pages of the C heap.
func trimCHeap() { C.trimCHeap() }
