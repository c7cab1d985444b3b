package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/feeds"
)

// inboxJSON is a post waiting for an answer, as `inbox --json` shows it:
// the post's fields (DESIGN §9), its mission and its age in seconds.
type inboxJSON struct {
	postJSON
	Mission    string `json:"mission"`
	Kind       string `json:"kind"` // mention or reply
	AgeSeconds int64  `json:"age_seconds"`
}

// runInbox lists the mentions and replies that wait for an answer, oldest
// first, from the cache: inbox [--json] | inbox handled ACCOUNT-ID POST-ID.
func runInbox(_ context.Context, s Services, args []string) error {
	if s.Inbox == nil {
		return fmt.Errorf("%w: the inbox is not available", errUsage)
	}
	if len(args) > 0 && args[0] == "handled" {
		if len(args) != 3 {
			return fmt.Errorf("%w: inbox handled ACCOUNT-ID POST-ID", errUsage)
		}
		if _, err := s.Workspace.Account(args[1]); err != nil {
			return err
		}
		if err := s.Inbox.SetInboxState(args[1], args[2], feeds.InboxState{Handled: s.now()}); err != nil {
			return err
		}
		fmt.Fprintln(s.Out, s.Loc.T("inbox.cli_handled"))
		return nil
	}
	fs := newFlags("inbox")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	items, err := feeds.NeedsReply(s.Timelines, s.Inbox, s.Workspace)
	if err != nil {
		return err
	}
	now := s.now()
	if *asJSON {
		out := make([]inboxJSON, 0, len(items))
		for _, it := range items {
			kind := it.Post.Notification
			if kind == "" {
				kind = "reply"
			}
			out = append(out, inboxJSON{
				postJSON: postsJSON([]feeds.Post{it.Post})[0], Mission: it.Mission.ID, Kind: kind,
				AgeSeconds: int64(now.Sub(it.Post.CreatedAt) / time.Second),
			})
		}
		return writeJSON(s.Out, out)
	}
	if len(items) == 0 {
		fmt.Fprintln(s.Out, s.Loc.T("inbox.empty"))
		return nil
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Loc.T("cli.col.mission"), s.Loc.T("inbox.cli_age"),
		s.Loc.T("inbox.cli_account"), s.Loc.T("inbox.cli_author"), s.Loc.T("inbox.cli_text"))
	for _, it := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.Mission.ID, age(now.Sub(it.Post.CreatedAt)), it.Account.ID,
			it.Post.Author, snippet(it.Post.Text, 60))
	}
	return tw.Flush()
}

// age is a duration in days, hours or minutes, a few characters long.
func age(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dm", max(0, int(d/time.Minute)))
}

// snippet is text on one line, cut to n characters.
func snippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}
