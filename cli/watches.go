package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"chancery/feeds"
)

// watchJSON is a mission's watch as `watches list --json` shows it.
type watchJSON struct {
	Mission   string   `json:"mission"`
	Words     []string `json:"words"`
	QuietFrom string   `json:"quiet_from"`
	QuietTo   string   `json:"quiet_to"`
}

// runWatches lists and edits the missions' watches:
// watches list [--json] | set MISSION-ID WORDS... | quiet MISSION-ID FROM TO|none.
func runWatches(_ context.Context, s Services, args []string) error {
	if s.Watches == nil {
		return fmt.Errorf("%w: watches are not available", errUsage)
	}
	if len(args) == 0 {
		return fmt.Errorf("%w: watches list|set|quiet", errUsage)
	}
	switch args[0] {
	case "list":
		return listWatches(s, args[1:])
	case "set":
		if len(args) < 3 || strings.HasPrefix(args[1], "-") {
			return fmt.Errorf("%w: watches set MISSION-ID WORD [WORD ...]", errUsage)
		}
		return editWatch(s, args[1], func(w *feeds.Watch) error {
			w.Words = feeds.CleanWords(args[2:])
			return nil
		})
	case "quiet":
		return setQuietHours(s, args[1:])
	}
	return fmt.Errorf("%w: watches %q", errUsage, args[0])
}

func listWatches(s Services, args []string) error {
	fs := newFlags("watches list")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	ms, err := s.Workspace.Missions()
	if err != nil {
		return err
	}
	out := make([]watchJSON, 0, len(ms))
	for _, m := range ms {
		w, err := feeds.WatchOf(s.Watches, m, s.now())
		if err != nil {
			return err
		}
		out = append(out, watchJSON{Mission: m.ID, Words: append([]string{}, w.Words...), QuietFrom: w.QuietFrom, QuietTo: w.QuietTo})
	}
	if *asJSON {
		return writeJSON(s.Out, out)
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Loc.T("cli.col.mission"), s.Loc.T("watch.cli_quiet"), s.Loc.T("watch.cli_words"))
	for _, w := range out {
		quiet := "-"
		if w.QuietFrom != "" && w.QuietFrom != w.QuietTo {
			quiet = w.QuietFrom + "–" + w.QuietTo
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", w.Mission, quiet, strings.Join(w.Words, ", "))
	}
	return tw.Flush()
}

// setQuietHours sets a mission's quiet hours: quiet MISSION-ID FROM TO, or
// quiet MISSION-ID none.
func setQuietHours(s Services, args []string) error {
	var from, to string
	switch {
	case len(args) == 2 && args[1] == "none":
	case len(args) == 3:
		from, to = args[1], args[2]
		for _, c := range []string{from, to} {
			if _, err := feeds.ParseClock(c); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: watches quiet MISSION-ID FROM TO|none", errUsage)
	}
	return editWatch(s, args[0], func(w *feeds.Watch) error {
		w.QuietFrom, w.QuietTo = from, to
		return nil
	})
}

// editWatch changes a mission's watch and says what it is now.
func editWatch(s Services, missionID string, change func(*feeds.Watch) error) error {
	m, err := s.Workspace.Mission(missionID)
	if err != nil {
		return err
	}
	w, err := feeds.WatchOf(s.Watches, m, s.now())
	if err != nil {
		return err
	}
	if err := change(&w); err != nil {
		return err
	}
	if err := s.Watches.SetWatch(m.ID, w); err != nil {
		return err
	}
	fmt.Fprintln(s.Out, s.Loc.T("watch.cli_saved", "Mission", m.Name(s.Loc.Lang()), "Words", strings.Join(w.Words, ", ")))
	return nil
}
