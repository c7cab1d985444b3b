// Package startuplog keeps the standard logger quiet while packages are
// initialised. Fyne's translation package logs, from its init function, a
// harmless "Error parsing user locale C" whenever the process runs in the C
// or POSIX locale, which would otherwise precede every command's output.
//
// Go initialises packages in import-path order as far as their imports
// allow, so this package, imported by main and importing only the standard
// library, runs before any fyne.io package. main calls Restore first thing.
package startuplog

import (
	"io"
	"log"
	"os"
)

func init() { log.SetOutput(io.Discard) }

// Restore sends the standard logger to stderr again.
func Restore() { log.SetOutput(os.Stderr) }
