//go:build !linux && !windows

package timer

import (
	"context"
	"fmt"
	"runtime"
)

// Install is not available on this system (see README.md for a launchd
// agent on macOS).
func (i *Installer) Install(context.Context) (Status, error) {
	return Status{}, fmt.Errorf("timer on %s: %w", runtime.GOOS, ErrUnsupported)
}

// Status reports no timer.
func (i *Installer) Status(context.Context) (Status, error) {
	return Status{Name: i.Name()}, nil
}

// Remove has nothing to remove.
func (i *Installer) Remove(context.Context) (bool, error) { return false, nil }
