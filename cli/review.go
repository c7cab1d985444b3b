package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/drafts"
	"chancery/team"
)

type reviewJSON struct {
	ID        string           `json:"id"`
	Mission   string           `json:"mission"`
	Author    string           `json:"author"`
	State     string           `json:"state"`
	Revision  int              `json:"revision"`
	Hash      string           `json:"hash"`
	Accounts  []string         `json:"accounts"`
	Variants  []drafts.Variant `json:"variants"`
	ClaimedBy string           `json:"claimed_by,omitempty"`
	Pending   bool             `json:"pending"`
	Comments  []commentJSON    `json:"comments"`
	Refused   []refusedJSON    `json:"refused"`
	UpdatedAt string           `json:"updated_at"`
}

type commentJSON struct {
	Revision int    `json:"revision"`
	Kind     string `json:"kind"`
	Author   string `json:"author"`
	Text     string `json:"text"`
	At       string `json:"at"`
}

type refusedJSON struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func toReviewJSON(s Services, it team.Item) reviewJSON {
	latest := it.Latest()
	out := reviewJSON{
		ID: it.Post, Mission: it.Mission, Author: it.Author, State: string(it.State),
		Revision: latest.Number, Hash: latest.Hash, Accounts: latest.Content.Targets,
		Variants: latest.Content.Variants, ClaimedBy: it.ClaimedBy, Pending: it.Pending,
		Comments: []commentJSON{}, Refused: []refusedJSON{}, UpdatedAt: rfc3339(it.Updated),
	}
	if out.Accounts == nil {
		out.Accounts = []string{}
	}
	if out.Variants == nil {
		out.Variants = []drafts.Variant{}
	}
	for _, c := range it.Comments {
		out.Comments = append(out.Comments, commentJSON{c.Revision, string(c.Kind), c.Actor, c.Text, rfc3339(c.At)})
	}
	for _, q := range it.Refused {
		out.Refused = append(out.Refused, refusedJSON{q.ID, string(q.Kind), s.Loc.Error(team.ReasonOf(q)), q.Detail})
	}
	return out
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// runReview implements "review list [--mission ID] [--state S] [--json]",
// "review submit DRAFT-ID", "review approve ID", "review return ID
// --comment TEXT", "review withdraw ID", "review publish ID" and "review
// diff ID [--from N] [--to N]" and "review dismiss EVENT-ID". Actions are queued on this computer first,
// then sent at once when the team server can be reached.
func runReview(ctx context.Context, s Services, args []string) error {
	if s.Team == nil {
		return errNoTeam
	}
	if len(args) == 0 {
		return teamUsage(s, "review needs a subcommand")
	}
	sub, rest := args[0], args[1:]
	if sub == "list" {
		return runReviewList(s, rest)
	}
	if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
		return teamUsage(s, "review "+sub+" needs an id")
	}
	id, rest := rest[0], rest[1:]
	fs := newFlags("review " + sub)
	comment := fs.String("comment", "", "")
	from := fs.Int("from", 0, "")
	to := fs.Int("to", 0, "")
	if err := parse(fs, rest); err != nil {
		return err
	}
	switch sub {
	case "diff":
		return runReviewDiff(s, id, *from, *to)
	case "dismiss": // id is a refused event's, from review list --json
		return s.Team.Dismiss(id)
	case "publish":
		before, err := refusedIDs(s)
		if err != nil {
			return err
		}
		res, err := s.Team.Publish(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.Out, s.Loc.T("team.synced", "Pushed", res.Pushed, "Refused", res.Refused, "Pulled", res.Pulled, "Published", res.Published))
		return reportRefused(s, before)
	}
	act, err := reviewAction(s, sub, id, *comment)
	if err != nil {
		return err
	}
	before, err := refusedIDs(s)
	if err != nil {
		return err
	}
	if err := act(); err != nil {
		return err
	}
	fmt.Fprintln(s.Out, s.Loc.T("team.queued", "Post", id))
	return trySync(ctx, s, before)
}

func reviewAction(s Services, sub, id, comment string) (func() error, error) {
	switch sub {
	case "submit":
		return func() error {
			d, err := s.Drafts.Get(id)
			if err != nil {
				return err
			}
			_, err = s.Team.Submit(d)
			return err
		}, nil
	case "approve":
		return func() error { return s.Team.Approve(id) }, nil
	case "return":
		if strings.TrimSpace(comment) == "" {
			return nil, teamUsage(s, "review return needs --comment")
		}
		return func() error { return s.Team.Return(id, comment) }, nil
	case "withdraw":
		return func() error { return s.Team.Withdraw(id) }, nil
	}
	return nil, teamUsage(s, "unknown review subcommand "+sub)
}

func refusedIDs(s Services) (map[string]bool, error) {
	queued, err := s.Team.Queued()
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, q := range queued {
		out[q.ID] = q.Refused != ""
	}
	return out, nil
}

func runReviewList(s Services, args []string) error {
	fs := newFlags("review list")
	mission := fs.String("mission", "", "")
	state := fs.String("state", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	var states []team.State
	if *state != "" {
		states = append(states, team.State(*state))
	}
	items, err := s.Team.List(*mission, states...)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]reviewJSON, 0, len(items))
		for _, it := range items {
			out = append(out, toReviewJSON(s, it))
		}
		return writeJSON(s.Out, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(s.Out, s.Loc.T("team.none"))
		return nil
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	for _, it := range items {
		latest := it.Latest()
		first := ""
		if len(latest.Content.Variants) > 0 {
			first = oneLine(latest.Content.Variants[0].Text, 60)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\tr%d\t%s\t%s\n", it.Post, it.Mission, s.Loc.T("team.state."+string(it.State)),
			latest.Number, it.Author, first)
	}
	return tw.Flush()
}

func runReviewDiff(s Services, id string, from, to int) error {
	it, err := s.Team.Item(id)
	if err != nil {
		return err
	}
	if to == 0 {
		to = it.Latest().Number
	}
	if from == 0 {
		from = to - 1
	}
	diff, err := s.Team.Diff(id, from, to)
	if err != nil {
		return err
	}
	marks := map[team.Op]string{team.Same: "  ", team.Added: "+ ", team.Removed: "- "}
	for _, d := range diff {
		fmt.Fprintln(s.Out, "@@ "+d.Lang+" r"+strconv.Itoa(from)+" → r"+strconv.Itoa(to))
		for _, l := range d.Lines {
			fmt.Fprintln(s.Out, marks[l.Op]+l.Text)
		}
	}
	return nil
}
