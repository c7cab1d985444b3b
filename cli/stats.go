package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// StatsService keeps and reads the Reach figures (storage.DB).
type StatsService interface {
	feeds.StatsSource
	SetCadenceTarget(missionID string, t feeds.CadenceTarget) error
}

// defaultStatsPeriod is what stats covers without --since.
const defaultStatsPeriod = 28 * 24 * time.Hour

type statsFlags struct {
	mission, since, target string
	json, csv              bool
}

func runStats(_ context.Context, s Services, args []string) error {
	fs := newFlags("stats")
	var f statsFlags
	fs.StringVar(&f.mission, "mission", "", "")
	fs.StringVar(&f.since, "since", "", "")
	fs.StringVar(&f.target, "target", "", "")
	fs.BoolVar(&f.json, "json", false, "")
	fs.BoolVar(&f.csv, "csv", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if s.Stats == nil || (f.json && f.csv) || (f.target != "" && f.mission == "") {
		return fmt.Errorf("%w: stats takes --json or --csv, and --target with --mission", errUsage)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	until := now()
	since := until.Add(-defaultStatsPeriod)
	if f.since != "" {
		var err error
		if since, err = parseDate(f.since); err != nil {
			return badInput(err)
		}
	}
	missions, err := statsMissions(s.Workspace, f.mission)
	if err != nil {
		return err
	}
	if f.target != "" {
		if err := setTarget(s, missions[0], f.target); err != nil {
			return err
		}
	}
	reports, err := MissionReach(s.Stats, s.Workspace, missions, since, until)
	if err != nil {
		return err
	}
	switch {
	case f.csv:
		return feeds.WriteCSV(s.Out, reports...)
	case f.json:
		return writeJSON(s.Out, reachJSON(reports))
	}
	return printReach(s, missions, reports)
}

// statsMissions returns the mission asked for, or every mission.
func statsMissions(w *accounts.Workspace, id string) ([]accounts.Mission, error) {
	if id == "" {
		return w.Missions()
	}
	m, err := w.Mission(id)
	if err != nil {
		return nil, err
	}
	return []accounts.Mission{m}, nil
}

// ParseTarget reads a posts-a-week target written MIN-MAX ("3-4") or N.
func ParseTarget(s string) (feeds.CadenceTarget, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		hi = lo
	}
	minimum, err1 := strconv.Atoi(strings.TrimSpace(lo))
	maximum, err2 := strconv.Atoi(strings.TrimSpace(hi))
	t := feeds.CadenceTarget{Min: minimum, Max: maximum}
	if err1 != nil || err2 != nil {
		return t, fmt.Errorf("--target %q: %w", s, feeds.ErrBadTarget)
	}
	return t, t.Check()
}

func setTarget(s Services, m accounts.Mission, raw string) error {
	t, err := ParseTarget(raw)
	if err != nil {
		return badInput(err)
	}
	if err := s.Stats.SetCadenceTarget(m.ID, t); err != nil {
		return err
	}
	fmt.Fprintln(s.Err, s.Loc.T("reach.target_saved", "Mission", m.Name(s.Loc.Lang()), "Min", t.Min, "Max", t.Max))
	return nil
}

// MissionReach computes the Reach of each mission over its accounts: the
// one computation behind the Reach view, stats --json and stats --csv.
func MissionReach(src feeds.StatsSource, w *accounts.Workspace, missions []accounts.Mission, since, until time.Time) ([]feeds.Reach, error) {
	out := make([]feeds.Reach, 0, len(missions))
	for _, m := range missions {
		accts, err := w.MissionAccounts(m.ID)
		if err != nil {
			return nil, err
		}
		r, err := feeds.ComputeReach(src, m, accts, since, until)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func printReach(s Services, missions []accounts.Mission, reports []feeds.Reach) error {
	lang := s.Loc.Lang()
	for i, r := range reports {
		m := missions[i]
		if i > 0 {
			fmt.Fprintln(s.Out)
		}
		fmt.Fprintln(s.Out, s.Loc.T("reach.heading", "Mission", m.Name(lang), "Zone", m.TimeZone,
			"Since", r.Since.In(m.Location()).Format(time.DateOnly), "Until", r.Until.In(m.Location()).Format(time.DateOnly)))
		for _, line := range feeds.ReachText(s.Loc, r).Lines() {
			fmt.Fprintln(s.Out, "  "+line)
		}
	}
	return nil
}
