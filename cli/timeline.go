package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

type refreshJSON struct {
	Account     string `json:"account"`
	Kind        string `json:"kind"`
	Added       int    `json:"added"`
	RefreshedAt string `json:"refreshed_at"`
	Error       string `json:"error,omitempty"`
}

// errRefreshFailed reports that at least one timeline could not be refreshed.
var errRefreshFailed = translations.NewProblem("error.refresh_failed", "some timelines could not be refreshed")

func runRefresh(ctx context.Context, s Services, args []string) error {
	fs := newFlags("refresh")
	mission := fs.String("mission", "", "")
	account := fs.String("account", "", "")
	kindFlag := fs.String("kind", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	accts, err := selectAccounts(s.Workspace, *mission, *account)
	if err != nil {
		return err
	}
	targets, err := refreshTargets(s.Refresher, accts, *kindFlag)
	if err != nil {
		return err
	}
	results := s.Refresher.RefreshTargets(ctx, targets, true)
	out := make([]refreshJSON, 0, len(results))
	failed := 0
	for _, r := range results {
		rj := refreshJSON{Account: r.Key.Account, Kind: string(r.Key.Kind), Added: r.Added, RefreshedAt: r.At.UTC().Format(time.RFC3339)}
		if r.Err != nil {
			failed++
			rj.Error = s.Loc.Error(r.Err)
			Fail(s.Loc, s.Err, r.Err)
		}
		out = append(out, rj)
	}
	if *asJSON {
		if err := writeJSON(s.Out, out); err != nil {
			return err
		}
	} else {
		for _, r := range out {
			if r.Error == "" {
				fmt.Fprintln(s.Out, s.Loc.N("cli.refreshed", r.Added, "Account", r.Account, "Kind", r.Kind))
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d of %d", errRefreshFailed, failed, len(results))
	}
	return nil
}

// refreshTargets pairs each account with its main timeline, or with kind
// for the accounts whose network offers it.
func refreshTargets(r *feeds.Refresher, accts []accounts.Account, kind string) ([]feeds.Target, error) {
	var targets []feeds.Target
	if kind == "" {
		for _, a := range accts {
			targets = append(targets, feeds.Target{Account: a, Kind: r.DefaultKind(a.Network)})
		}
		return targets, nil
	}
	k, err := feeds.ParseKind(kind)
	if err != nil {
		return nil, err
	}
	for _, a := range accts {
		if r.Supports(a, k) {
			targets = append(targets, feeds.Target{Account: a, Kind: k})
		}
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("kind %q: %w", kind, feeds.ErrUnsupported)
	}
	return targets, nil
}

func selectAccounts(w *accounts.Workspace, mission, account string) ([]accounts.Account, error) {
	if account != "" {
		a, err := w.Account(account)
		if err != nil {
			return nil, err
		}
		if mission != "" && a.Mission != mission {
			return nil, fmt.Errorf("account %q in mission %q: %w", account, mission, accounts.ErrNoAccount)
		}
		return []accounts.Account{a}, nil
	}
	if mission != "" {
		if _, err := w.Mission(mission); err != nil {
			return nil, err
		}
		return w.MissionAccounts(mission)
	}
	return w.Accounts()
}

type postJSON struct {
	ID        string       `json:"id"`
	Account   string       `json:"account"`
	Network   string       `json:"network"`
	Author    string       `json:"author"`
	Text      string       `json:"text"`
	Lang      string       `json:"lang"`
	CreatedAt string       `json:"created_at"`
	URL       string       `json:"url"`
	ReplyTo   string       `json:"reply_to"`
	Counts    feeds.Counts `json:"counts"`
}

func runTimeline(_ context.Context, s Services, args []string) error {
	fs := newFlags("timeline")
	account := fs.String("account", "", "")
	kindFlag := fs.String("kind", "", "")
	limit := fs.Int("limit", 50, "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *account == "" || *limit < 1 {
		return fmt.Errorf("%w: timeline needs --account and a positive --limit", errUsage)
	}
	a, err := s.Workspace.Account(*account)
	if err != nil {
		return err
	}
	kind := s.Refresher.DefaultKind(a.Network)
	if *kindFlag != "" {
		if kind, err = feeds.ParseKind(*kindFlag); err != nil {
			return err
		}
	}
	posts, err := s.Timelines.Posts(feeds.TimelineKey{Account: a.ID, Kind: kind}, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(s.Out, postsJSON(posts))
	}
	if len(posts) == 0 {
		fmt.Fprintln(s.Err, s.Loc.T("cli.timeline_empty", "Account", a.ID))
		return nil
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	for _, p := range posts {
		text := strings.Join(strings.Fields(p.Text), " ")
		if r := []rune(text); len(r) > 100 {
			text = string(r[:99]) + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.CreatedAt.Local().Format("2006-01-02 15:04"), p.Author, p.Lang, text)
	}
	return tw.Flush()
}
