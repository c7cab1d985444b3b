// Package cli runs Chancery's headless subcommands on the same services as
// the GUI. Output goes to Out, messages to Err; Run returns the exit code.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/team"
	"chancery/translations"
)

// Exit codes of the CLI contract.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// Timelines is the cache the CLI reads.
type Timelines interface {
	Timelines() ([]feeds.TimelineKey, error)
	Posts(key feeds.TimelineKey, limit int) ([]feeds.Post, error)
	LastRefreshed(key feeds.TimelineKey) (time.Time, error)
}

// KeyringProber checks that the OS keyring works (accounts.Keyring.Probe).
type KeyringProber interface {
	Probe() error
}

// Services are what the subcommands work on.
type Services struct {
	Workspace *accounts.Workspace
	Timelines Timelines
	Refresher *feeds.Refresher
	// Networks are the clients "accounts add" verifies credentials with.
	Networks feeds.Registry
	// Keyring, if set, is probed before a secret is asked of a server.
	Keyring    KeyringProber
	Loc        *translations.Localizer
	Drafts     *drafts.Service
	Outbox     *drafts.Outbox
	Publishing drafts.NetworkPublisher
	// Now is the clock --at is checked against (nil: time.Now).
	Now func() time.Time
	// Timer installs the operating system's timer that runs `outbox
	// flush` (nil: the timer command is not available).
	Timer Timer
	// Watches keeps the missions' watches; Inbox what was answered (nil:
	// the watches and inbox commands are not available).
	Watches feeds.WatchStore
	Inbox   feeds.InboxStore
	// Search is the full-text index of the cached posts (nil: the search
	// command is not available).
	Search Searcher
	// Stats keeps and reads the Reach figures (nil: the stats command is
	// not available).
	Stats StatsService
	// Archive is the records archive (nil: export --archive is not
	// available).
	Archive Archive
	// Team is the review on the team server (nil: the team and review
	// commands are not available).
	Team *team.Service
	// Posts drops a deleted post from the cache (nil: the delete command
	// is not available).
	Posts feeds.PostDropper
	// In is where --secret-stdin and --text-file - read from.
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// errUsage marks a command line that does not fit the contract.
var errUsage = errors.New("usage")

type command struct {
	name string
	run  func(ctx context.Context, s Services, args []string) error
}

func commands() []command {
	return []command{
		{"missions", runMissions},
		{"accounts", runAccounts},
		{"refresh", runRefresh},
		{"timeline", runTimeline},
		{"drafts", runDrafts},
		{"post", runPost},
		{"outbox", runOutbox},
		{"export", runExport},
		{"timer", runTimer},
		{"search", runSearch},
		{"watches", runWatches},
		{"inbox", runInbox},
		{"team", runTeam},
		{"review", runReview},
		{"stats", runStats},
		{"delete", runDelete},
	}
}

// IsCommand reports whether name is a subcommand.
func IsCommand(name string) bool {
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// Run executes the subcommand named by args[0].
func Run(ctx context.Context, s Services, args []string) int {
	if len(args) == 0 {
		usage(s)
		return ExitUsage
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, s, args[1:])
		switch {
		case err == nil:
			return ExitOK
		case errors.Is(err, errBadInput):
			Fail(s.Loc, s.Err, err)
			return ExitUsage
		case errors.Is(err, errUsage):
			usage(s)
			return ExitUsage
		default:
			Fail(s.Loc, s.Err, err)
			return ExitFailure
		}
	}
	fmt.Fprintln(s.Err, s.Loc.T("cli.unknown_command", "Name", args[0]))
	usage(s)
	return ExitUsage
}

// Fail prints err on w as a translated sentence followed by its technical detail.
func Fail(loc *translations.Localizer, w io.Writer, err error) {
	fmt.Fprintln(w, loc.T("cli.error_prefix")+" "+loc.Error(err))
	fmt.Fprintln(w, "  "+loc.T("cli.detail", "Detail", err.Error()))
}

func usage(s Services) {
	fmt.Fprintln(s.Err, s.Loc.T("cli.usage"))
}

// newFlags returns a flag set that reports errors as usage errors without
// printing Go's own usage text.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
