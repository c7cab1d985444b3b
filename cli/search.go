package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/search"
	"chancery/translations"
)

// Searcher is the full-text index of the cached posts.
type Searcher interface {
	// Check reports a malformed query without searching.
	Check(query string) error
	// Start opens the index, or builds it from the cache, in the background.
	Start()
	OnProgress(fn func(search.Progress)) (cancel func())
	Search(ctx context.Context, r search.Request) (search.Result, error)
}

// errBadDate reports a --since that is not a date.
var errBadDate = translations.NewProblem("search.error_bad_date", "not a date")

// searchHitJSON is a post found: the post's fields of the CLI contract, its
// mission, the timelines that hold it and the snippet with its matches.
type searchHitJSON struct {
	postJSON
	Mission string        `json:"mission"`
	Kinds   []string      `json:"kinds"`
	Snippet string        `json:"snippet"`
	Matches []search.Span `json:"matches"`
}

func runSearch(ctx context.Context, s Services, args []string) error {
	fs := newFlags("search")
	mission := fs.String("mission", "", "")
	account := fs.String("account", "", "")
	since := fs.String("since", "", "")
	limit := fs.Int("limit", 20, "")
	asJSON := fs.Bool("json", false, "")
	words, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 || *limit < 1 || s.Search == nil {
		return fmt.Errorf("%w: search needs a query and a positive --limit", errUsage)
	}
	req := search.Request{Query: strings.Join(words, " "), Limit: *limit}
	if err := s.Search.Check(req.Query); err != nil {
		return badInput(err)
	}
	if req.Since, err = parseDate(*since); err != nil {
		return badInput(err)
	}
	missions, err := missionsByAccount(s.Workspace)
	if err != nil {
		return err
	}
	if *mission != "" || *account != "" {
		accts, err := selectAccounts(s.Workspace, *mission, *account)
		if err != nil {
			return err
		}
		req.Accounts = make([]string, 0, len(accts))
		for _, a := range accts {
			req.Accounts = append(req.Accounts, a.ID)
		}
	}
	s.Search.Start()
	stopProgress := s.Search.OnProgress(progressPrinter(s.Loc, s.Err))
	res, err := s.Search.Search(ctx, req)
	stopProgress()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(s.Out, hitsJSON(res.Hits, missions))
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(s.Err, s.Loc.T("search.none", "Query", req.Query))
		return nil
	}
	return printHits(s, res, missions)
}

// parseInterleaved parses flags placed before, between or after the words
// of the query, and returns the words. An argument that starts with - but
// names no flag is a word to leave out (-visa); after -- all are words.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if !strings.HasPrefix(a, "-") || f == nil {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := parse(fs, flags); err != nil {
		return nil, err
	}
	return words, nil
}

// parseDate reads a --since value: a day (2026-03-14, from midnight, local
// time) or an RFC 3339 time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since %q: %w", s, errBadDate)
	}
	return t, nil
}

// missionsByAccount maps each account id to its mission.
func missionsByAccount(w *accounts.Workspace) (map[string]accounts.Mission, error) {
	ms, err := w.Missions()
	if err != nil {
		return nil, err
	}
	byID := map[string]accounts.Mission{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	accts, err := w.Accounts()
	if err != nil {
		return nil, err
	}
	out := map[string]accounts.Mission{}
	for _, a := range accts {
		out[a.ID] = byID[a.Mission]
	}
	return out, nil
}

func hitsJSON(hits []search.Hit, missions map[string]accounts.Mission) []searchHitJSON {
	out := make([]searchHitJSON, 0, len(hits))
	for _, h := range hits {
		p := postsJSON([]feeds.Post{h.Post})[0]
		out = append(out, searchHitJSON{
			postJSON: p, Mission: missions[h.Post.Account].ID, Kinds: h.Kinds,
			Snippet: plainSnippet(h.Snippet), Matches: h.Snippet,
		})
	}
	return out
}

func plainSnippet(spans []search.Span) string {
	var b strings.Builder
	for _, sp := range spans {
		b.WriteString(sp.Text)
	}
	return b.String()
}

// printHits writes one block per post: when, where, who, the snippet with
// its matches marked, and the link.
func printHits(s Services, res search.Result, missions map[string]accounts.Mission) error {
	bold, plain := "**", "**"
	if isTerminal(s.Out) {
		bold, plain = "\x1b[1m", "\x1b[0m"
	}
	lang := s.Loc.Lang()
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	for _, h := range res.Hits {
		p := h.Post
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.CreatedAt.Local().Format("2006-01-02 15:04"),
			missions[p.Account].Name(lang), p.Account, p.Author)
		var b strings.Builder
		for _, sp := range h.Snippet {
			if sp.Match {
				b.WriteString(bold + sp.Text + plain)
			} else {
				b.WriteString(sp.Text)
			}
		}
		fmt.Fprintf(tw, "  %s\n", b.String())
		if p.URL != "" {
			fmt.Fprintf(tw, "  %s\n", p.URL)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(s.Err, s.Loc.N("search.found", res.Total, "Shown", len(res.Hits)))
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter prints the build of the index on w, a line each tenth.
func progressPrinter(loc *translations.Localizer, w io.Writer) func(search.Progress) {
	var mu sync.Mutex
	last := -1
	return func(p search.Progress) {
		if !p.Building {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		tenth := 0
		if p.Total > 0 {
			tenth = p.Done * 10 / p.Total
		}
		if tenth == last {
			return
		}
		last = tenth
		fmt.Fprintln(w, loc.T("search.building", "Done", p.Done, "Total", p.Total))
	}
}

// errBadInput marks an argument whose own message says what is wrong: it is
// printed instead of the whole usage, and the exit code is 2.
var errBadInput = errors.New("bad input")

// inputError is err, marked as errBadInput without changing its text.
type inputError struct{ err error }

func (e inputError) Error() string        { return e.err.Error() }
func (e inputError) Unwrap() error        { return e.err }
func (e inputError) Is(target error) bool { return target == errBadInput }

func badInput(err error) error { return inputError{err} }
