package app

import (
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"

	"chancery/translations"
)

// ErrNoBrowser is a link that could not be opened: no program to open it,
// or no web browser set up for it.
var ErrNoBrowser = translations.NewProblem("error.no_browser", "no web browser is configured to open links")

// xdgOpen is the program that opens links on Linux and the BSDs.
var xdgOpen = "xdg-open"

// linkOpener returns how links are opened: open (the caller's, or Fyne's)
// with its failures worded. Where Fyne starts xdg-open without waiting for
// it (Linux, the BSDs), Chancery runs it itself so that a desktop with no
// browser set up is reported too: late reports a failure that comes after
// open returned.
func linkOpener(given, fyneOpen func(*url.URL) error, late func(error)) func(*url.URL) error {
	open := given
	if open == nil {
		open = fyneOpen
		switch runtime.GOOS {
		case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
			open = func(u *url.URL) error { return startOpener(xdgOpen, u, late) }
		}
	}
	return func(u *url.URL) error { return browserError(open(u)) }
}

// startOpener starts program on u and, without blocking the caller, waits
// for it: a failure is handed to late, worded.
func startOpener(program string, u *url.URL, late func(error)) error {
	cmd := exec.Command(program, u.String())
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() {
		// xdg-open exits 3 when no tool to open the link is found, 4 when
		// opening failed; other codes may be a browser's own.
		var exit *exec.ExitError
		if err := cmd.Wait(); errors.As(err, &exit) && (exit.ExitCode() == 3 || exit.ExitCode() == 4) && late != nil {
			late(browserError(fmt.Errorf("%s: %w", program, err)))
		}
	}()
	return nil
}

// browserError words the failure to open a link: no opener program, or
// one that exited with an error (xdg-open: no browser set up, or it could
// not start), is ErrNoBrowser; the cause stays in the chain.
func browserError(err error) error {
	var exit *exec.ExitError
	if errors.Is(err, exec.ErrNotFound) || errors.As(err, &exit) {
		return fmt.Errorf("%w: %w", ErrNoBrowser, err)
	}
	return err
}
