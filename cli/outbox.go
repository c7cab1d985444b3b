package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/drafts"
	"chancery/translations"
)

// errNotPublished reports entries that failed for good.
var errNotPublished = translations.NewProblem("error.not_published", "some posts were refused")

type entryJSON struct {
	ID        string `json:"id"`
	Account   string `json:"account"`
	Lang      string `json:"lang"`
	Text      string `json:"text"`
	State     string `json:"state"`
	RemoteID  string `json:"remote_id"`
	URL       string `json:"url,omitempty"`
	Error     string `json:"error,omitempty"`
	NotBefore string `json:"not_before,omitempty"`
	// ScheduledAt is the chosen time (RFC 3339, in its zone), Where
	// "server" when the network's server holds the post, else "local".
	ScheduledAt string `json:"scheduled_at,omitempty"`
	Zone        string `json:"zone,omitempty"`
	Where       string `json:"where"`
	ScheduledID string `json:"scheduled_id,omitempty"`
	// LocalReason says why the server does not hold it.
	LocalReason string `json:"local_reason,omitempty"`
	// Uncertain: an attempt's outcome is unknown; the account is checked
	// before the post is sent again (failed: the user must check).
	Uncertain bool   `json:"uncertain"`
	UpdatedAt string `json:"updated_at"`
}

func toEntryJSON(e drafts.Entry) entryJSON {
	out := entryJSON{
		ID: e.ID, Account: e.Account, Lang: e.Lang, Text: e.Text, State: string(e.State),
		RemoteID: e.RemoteID, URL: e.URL, Error: e.Error, UpdatedAt: e.UpdatedAt.UTC().Format(time.RFC3339),
		Uncertain: e.Uncertain,
	}
	if !e.NotBefore.IsZero() {
		out.NotBefore = e.NotBefore.UTC().Format(time.RFC3339)
	}
	out.Where, out.ScheduledID, out.LocalReason, out.Zone = drafts.WhereLocal, e.ScheduledID, e.LocalReason, e.Zone
	if e.Where == drafts.WhereServer {
		out.Where = drafts.WhereServer
	}
	if !e.ScheduledAt.IsZero() {
		at := e.ScheduledAt
		if loc, err := time.LoadLocation(e.Zone); err == nil && e.Zone != "" {
			at = at.In(loc)
		}
		out.ScheduledAt = at.Format(time.RFC3339)
	}
	return out
}

// runPost queues a post for one or more accounts and tries to send it now;
// what cannot go out yet stays in the outbox for `outbox flush`.
func runPost(ctx context.Context, s Services, args []string) error {
	fs := newFlags("post")
	accountsFlag := fs.String("account", "", "")
	lang := fs.String("lang", "en", "")
	textFile := fs.String("text-file", "", "")
	var variants variantFlag
	fs.Var(&variants, "variant", "")
	asJSON := fs.Bool("json", false, "")
	sf := addScheduleFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	targets := splitList(*accountsFlag)
	if len(targets) == 0 {
		return fmt.Errorf("%w: post needs --account", errUsage)
	}
	texts, err := postVariants(s.In, fs, variants, *lang, *textFile)
	if err != nil {
		return err
	}
	for _, id := range targets {
		if _, err := s.Workspace.Account(id); err != nil {
			return err
		}
	}
	if s.Team != nil {
		// A mission that requires review publishes through review submit.
		if err := s.Team.CheckDirect(drafts.Draft{Targets: targets}); err != nil {
			return err
		}
	}
	at, zone, err := sf.when(s, targets[0])
	if err != nil {
		return err
	}
	d, err := s.Drafts.New(targets)
	if err != nil {
		return err
	}
	d.Variants, d.ScheduledAt, d.Zone = texts, at, zone
	if err := warnUnpublished(s, d); err != nil {
		_ = s.Drafts.Delete(d.ID)
		return err
	}
	entries, err := s.Drafts.Submit(d, s.Publishing)
	if err != nil {
		_ = s.Drafts.Delete(d.ID)
		return err
	}
	res, err := s.Outbox.Flush(ctx)
	if err != nil {
		return err
	}
	if res.Offline {
		fmt.Fprintln(s.Err, s.Loc.T("cli.queued_offline"))
	}
	return reportEntries(s, ids(entries), *asJSON)
}

func ids(es []drafts.Entry) map[string]bool {
	out := map[string]bool{}
	for _, e := range es {
		out[e.ID] = true
	}
	return out
}

// reportEntries prints the current state of the given entries and fails
// if any of them was refused.
func reportEntries(s Services, only map[string]bool, asJSON bool) error {
	all, err := s.Outbox.List()
	if err != nil {
		return err
	}
	var mine []drafts.Entry
	failed := 0
	for _, e := range all {
		if only[e.ID] {
			mine = append(mine, e)
			if e.State == drafts.Failed {
				failed++
			}
		}
	}
	if err := printEntries(s, mine, asJSON); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d", errNotPublished, failed)
	}
	return nil
}

func printEntries(s Services, entries []drafts.Entry, asJSON bool) error {
	out := make([]entryJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, toEntryJSON(e))
	}
	if asJSON {
		return writeJSON(s.Out, out)
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	for _, e := range out {
		detail := e.URL
		if e.Error != "" {
			detail = e.Error
		}
		if e.ScheduledAt != "" && e.State == string(drafts.Queued) {
			detail = strings.TrimSpace(whereLabel(s, e.Where) + " " + e.ScheduledAt + " " + detail)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.Account, e.Lang,
			stateLabel(s, e), oneLine(e.Text, 50), detail)
	}
	return tw.Flush()
}

// stateLabel names where an entry stands, saying when its outcome is unknown.
func stateLabel(s Services, e entryJSON) string {
	switch {
	case e.Uncertain && e.State == string(drafts.Failed):
		return s.Loc.T("outbox.may_be_published")
	case e.Uncertain:
		return s.Loc.T("outbox.uncertain")
	}
	return s.Loc.T("outbox.state." + e.State)
}

func runOutbox(ctx context.Context, s Services, args []string) error {
	if len(args) > 0 && slices.Contains([]string{"edit", "reschedule", "send-now", "cancel"}, args[0]) {
		return runOutboxChange(ctx, s, args[0], args[1:])
	}
	if len(args) == 0 || (args[0] != "list" && args[0] != "flush") {
		return fmt.Errorf("%w: outbox list|flush|edit|reschedule|send-now|cancel", errUsage)
	}
	fs := newFlags("outbox " + args[0])
	asJSON := fs.Bool("json", false, "")
	fs.Bool(IfFreeFlag, false, "") // acted on before the profile is opened: see FlushIfFree
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if args[0] == "list" {
		all, err := s.Outbox.List()
		if err != nil {
			return err
		}
		return printEntries(s, all, *asJSON)
	}
	res, err := s.Outbox.Flush(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.Err, s.Loc.T("cli.flushed", "Sent", res.Sent, "Failed", res.Failed, "Waiting", res.Waiting))
	if res.OnServer > 0 {
		fmt.Fprintln(s.Err, s.Loc.N("cli.on_server", res.OnServer))
	}
	if res.Offline {
		fmt.Fprintln(s.Err, s.Loc.T("error.offline"))
	}
	if res.Failed > 0 {
		return fmt.Errorf("%w: %d", errNotPublished, res.Failed)
	}
	return nil
}

// whereLabel says where a scheduled entry waits.
func whereLabel(s Services, where string) string {
	if where == drafts.WhereServer {
		return s.Loc.T("outbox.where_server")
	}
	return s.Loc.T("outbox.where_local")
}
