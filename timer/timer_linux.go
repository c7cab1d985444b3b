package timer

import "context"

// Install installs and starts the systemd user timer. Without a systemd
// user session it returns an error wrapping ErrUnavailable and writes
// nothing.
func (i *Installer) Install(ctx context.Context) (Status, error) { return i.installSystemd(ctx) }

// Status says whether the timer is installed, and what systemd says of it.
func (i *Installer) Status(ctx context.Context) (Status, error) { return i.statusSystemd(ctx) }

// Remove stops the timer and deletes its units; it reports whether there
// was one.
func (i *Installer) Remove(ctx context.Context) (bool, error) { return i.removeSystemd(ctx) }
