// Command chancery is a desktop, offline-first social dashboard for
// diplomatic missions. With no subcommand it opens the GUI; subcommands work
// headless on the same profile (see README.md).
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"time"

	"chancery/app"
	"chancery/cli"
	"chancery/startuplog"
	"chancery/storage"
	"chancery/translations"
)

func main() {
	startuplog.Restore()
	if os.Getenv("CHANCERY_EMPTY_WINDOW") == "1" {
		// The yardstick of the GUI benchmarks (scripts/guibench.sh): an
		// empty window of this binary's Fyne, nothing of Chancery's.
		app.RunEmptyWindow()
		return
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	loc := translations.New(translations.FromEnvironment())
	fs := flag.NewFlagSet("chancery", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	profile := fs.String("profile", "", "")
	showVersion := fs.Bool("version", false, "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintln(stderr, loc.T("cli.usage"))
		if errors.Is(err, flag.ErrHelp) {
			return cli.ExitOK
		}
		return cli.ExitUsage
	}
	if *showVersion {
		return printVersion(loc, stdout) // before any window, profile or keyring
	}
	dir, err := profileDir(*profile)
	if err != nil {
		cli.Fail(loc, stderr, err)
		return cli.ExitFailure
	}
	if fs.NArg() == 0 {
		if !haveDisplay() {
			fmt.Fprintln(stderr, loc.T("cli.no_display"))
			return cli.ExitFailure
		}
		runGUI(loc, dir)
		return cli.ExitOK
	}
	if !cli.IsCommand(fs.Arg(0)) {
		fmt.Fprintln(stderr, loc.T("cli.unknown_command", "Name", fs.Arg(0)))
		fmt.Fprintln(stderr, loc.T("cli.usage"))
		return cli.ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if fs.Arg(0) == "timer" {
		// The timer needs no database: it works while the window is open.
		return cli.Run(ctx, cli.Services{Loc: loc, Timer: outboxTimer(dir), Out: stdout, Err: stderr}, fs.Args())
	}
	db, svc, err := openProfile(dir)
	if errors.Is(err, storage.ErrLocked) && cli.FlushIfFree(fs.Args()) {
		// The open window publishes what is due: nothing to do, no failure.
		fmt.Fprintln(stderr, loc.T("cli.flush_window_open"))
		return cli.ExitOK
	}
	if err != nil {
		cli.Fail(loc, stderr, err)
		return cli.ExitFailure
	}
	defer svc.close(db)
	return cli.Run(ctx, svc.cli(db, loc, os.Stdin, stdout, stderr), fs.Args())
}

// haveDisplay reports whether a window can be opened: on X11 and Wayland
// systems a display must be named; elsewhere there always is one.
func haveDisplay() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
	}
	return true
}

// profileDir picks the profile folder: --profile, else CHANCERY_PROFILE, else
// the OS config folder.
func profileDir(flagValue string) (string, error) {
	if flagValue != "" {
		return filepath.Abs(flagValue)
	}
	if env := os.Getenv("CHANCERY_PROFILE"); env != "" {
		return filepath.Abs(env)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config folder: %w", err)
	}
	return filepath.Join(base, "chancery"), nil
}

//go:embed FyneApp.toml
var fyneAppTOML []byte

func runGUI(loc *translations.Localizer, dir string) {
	a := app.NewFyneApp(fyneAppTOML)
	var db *storage.DB
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	db, svc, err := openProfile(dir)
	if err == nil {
		// The index follows the cache from now on, and is opened (or built)
		// when Search is first opened, so as not to slow the start.
		defer svc.closeSearch(db) // before the database closes
		app.Run(a, svc.gui(db))
		return
	}
	problem := app.StartupProblem{Err: err, Path: filepath.Join(dir, "chancery.db")}
	if errors.Is(err, storage.ErrCorrupt) || errors.Is(err, storage.ErrNewerSchema) {
		problem.StartFresh = func() (app.Params, string, error) {
			kept, err := storage.Quarantine(problem.Path, time.Now())
			if err != nil {
				return app.Params{}, "", err
			}
			var svc services
			if db, svc, err = openProfile(dir); err != nil {
				return app.Params{}, "", err
			}
			return svc.gui(db), kept, nil
		}
	}
	app.RunStartupProblem(a, loc, problem)
}
