package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chancery/feeds"
)

// runExport writes the profile's missions, accounts (never their secrets),
// drafts, outbox and cached timelines as JSON files in a folder, in the
// shapes of the --json outputs. With --archive it writes the records
// archive instead (see runArchiveExport).
func runExport(_ context.Context, s Services, args []string) error {
	fs := newFlags("export")
	dir := fs.String("out", "", "")
	archive := fs.Bool("archive", false, "")
	since := fs.String("since", "", "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" || (*since != "" && !*archive) {
		return fmt.Errorf("%w: export needs --out, and --since goes with --archive", errUsage)
	}
	if *archive {
		return runArchiveExport(s, *dir, *since)
	}
	if err := os.MkdirAll(filepath.Join(*dir, "timelines"), 0o700); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	files, err := exportFiles(s)
	if err != nil {
		return err
	}
	for name, v := range files {
		if err := writeFile(filepath.Join(*dir, name), v); err != nil {
			return err
		}
	}
	fmt.Fprintln(s.Err, s.Loc.N("cli.exported", len(files), "Dir", *dir))
	return nil
}

// exportFiles gathers what export writes, by file name.
func exportFiles(s Services) (map[string]any, error) {
	files := map[string]any{}
	missions, err := missionList(s)
	if err != nil {
		return nil, err
	}
	files["missions.json"] = missions
	accts, err := s.Workspace.Accounts()
	if err != nil {
		return nil, err
	}
	accountsOut := make([]accountJSON, 0, len(accts))
	for _, a := range accts {
		accountsOut = append(accountsOut, toAccountJSON(a))
	}
	files["accounts.json"] = accountsOut
	ds, err := s.Drafts.List()
	if err != nil {
		return nil, err
	}
	draftsOut := make([]draftJSON, 0, len(ds))
	for _, d := range ds {
		draftsOut = append(draftsOut, toDraftJSON(d))
	}
	files["drafts.json"] = draftsOut
	entries, err := s.Outbox.List()
	if err != nil {
		return nil, err
	}
	entriesOut := make([]entryJSON, 0, len(entries))
	for _, e := range entries {
		entriesOut = append(entriesOut, toEntryJSON(e))
	}
	files["outbox.json"] = entriesOut
	keys, err := s.Timelines.Timelines()
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		posts, err := s.Timelines.Posts(k, 0)
		if err != nil {
			return nil, err
		}
		files[filepath.Join("timelines", timelineFile(k))] = postsJSON(posts)
	}
	return files, nil
}

// timelineFile names a timeline's file: account and kind, with anything
// that is not a letter, digit, dot or dash replaced.
func timelineFile(k feeds.TimelineKey) string {
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				return r
			}
			return '_'
		}, s)
	}
	return clean(k.Account) + "__" + clean(string(k.Kind)) + ".json"
}

func postsJSON(posts []feeds.Post) []postJSON {
	out := make([]postJSON, 0, len(posts))
	for _, p := range posts {
		out = append(out, postJSON{
			ID: p.ID, Account: p.Account, Network: string(p.Network), Author: p.Author, Text: p.Text,
			Lang: p.Lang, CreatedAt: p.CreatedAt.UTC().Format(time.RFC3339), URL: p.URL, ReplyTo: p.ReplyTo, Counts: p.Counts,
		})
	}
	return out
}

func writeFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
