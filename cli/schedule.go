package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"chancery/drafts"
)

// localLayouts are the local times --at takes with --zone.
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

func (s Services) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// scheduleFlags are --at and --zone.
type scheduleFlags struct {
	at, zone *string
}

func addScheduleFlags(fs *flag.FlagSet) scheduleFlags {
	return scheduleFlags{at: fs.String("at", "", ""), zone: fs.String("zone", "", "")}
}

// when returns the time --at names (zero without --at) and the time zone
// it is in: --zone's mission's, else that of the mission of account
// fallback. A local time needs --zone; a time in the past is refused.
func (f scheduleFlags) when(s Services, fallback string) (time.Time, string, error) {
	if *f.at == "" {
		if *f.zone != "" {
			return time.Time{}, "", fmt.Errorf("%w: --zone needs --at", errUsage)
		}
		return time.Time{}, "", nil
	}
	zone, err := f.location(s, fallback)
	if err != nil {
		return time.Time{}, "", err
	}
	at, err := time.Parse(time.RFC3339, *f.at)
	if err != nil {
		if *f.zone == "" {
			return time.Time{}, "", fmt.Errorf("%w: --at %q is not RFC 3339; a local time needs --zone MISSION-ID", errUsage, *f.at)
		}
		loc, _ := time.LoadLocation(zone)
		for _, layout := range localLayouts {
			if at, err = time.ParseInLocation(layout, strings.TrimSpace(*f.at), loc); err == nil {
				break
			}
		}
		if err != nil {
			return time.Time{}, "", fmt.Errorf("%w: --at %q: want RFC 3339 or \"2026-12-07 09:00\"", errUsage, *f.at)
		}
	}
	if !at.After(s.now()) {
		return time.Time{}, "", fmt.Errorf("--at %s: %w", at.Format(time.RFC3339), drafts.ErrPastTime)
	}
	return at, zone, nil
}

// location is the IANA time zone of --zone's mission, else of account's.
func (f scheduleFlags) location(s Services, account string) (string, error) {
	mission := *f.zone
	if mission == "" {
		acct, err := s.Workspace.Account(account)
		if err != nil {
			return "", err
		}
		mission = acct.Mission
	}
	m, err := s.Workspace.Mission(mission)
	if err != nil {
		return "", err
	}
	return m.Location().String(), nil
}

// runOutboxChange runs outbox edit|reschedule|send-now|cancel ENTRY-ID.
func runOutboxChange(ctx context.Context, s Services, verb string, args []string) error {
	fs := newFlags("outbox " + verb)
	textFile := fs.String("text-file", "", "")
	sf := addScheduleFlags(fs)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("%w: outbox %s ENTRY-ID", errUsage, verb)
	}
	id := args[0]
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if (verb == "edit") != (*textFile != "") || (verb == "reschedule") != (*sf.at != "") || (verb != "reschedule" && *sf.zone != "") {
		return fmt.Errorf("%w: outbox %s: wrong flags", errUsage, verb)
	}
	var err error
	switch verb {
	case "edit":
		text, rerr := readText(s.In, *textFile)
		if rerr != nil {
			return rerr
		}
		err = s.Outbox.Edit(ctx, id, text)
	case "reschedule":
		e, lerr := entryByID(s, id)
		if lerr != nil {
			return lerr
		}
		at, zone, werr := sf.when(s, e.Account)
		if werr != nil {
			return werr
		}
		err = s.Outbox.Reschedule(ctx, id, at, zone)
	case "send-now":
		if err = s.Outbox.SendNow(ctx, id); err == nil {
			_, err = s.Outbox.Flush(ctx)
		}
	case "cancel":
		if err = s.Outbox.Cancel(ctx, id); err == nil {
			fmt.Fprintln(s.Err, s.Loc.T("cli.cancelled", "Entry", id))
			return nil
		}
	}
	if err != nil {
		return err
	}
	return reportEntries(s, map[string]bool{id: true}, false)
}

func entryByID(s Services, id string) (drafts.Entry, error) {
	all, err := s.Outbox.List()
	if err != nil {
		return drafts.Entry{}, err
	}
	for _, e := range all {
		if e.ID == id {
			return e, nil
		}
	}
	return drafts.Entry{}, fmt.Errorf("outbox entry %s: %w", id, drafts.ErrNoEntry)
}
