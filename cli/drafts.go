package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"chancery/drafts"
)

// maxTextFile caps the text a post or draft reads from a file (1 MiB).
const maxTextFile = 1 << 20

type draftJSON struct {
	ID          string           `json:"id"`
	Accounts    []string         `json:"accounts"`
	Variants    []drafts.Variant `json:"variants"`
	State       string           `json:"state"`
	RemoteID    string           `json:"remote_id"` // always empty: §9 lists it for drafts and entries alike
	ScheduledAt string           `json:"scheduled_at,omitempty"`
	UpdatedAt   string           `json:"updated_at"`
}

func toDraftJSON(d drafts.Draft) draftJSON {
	out := draftJSON{ID: d.ID, Accounts: d.Targets, Variants: d.Variants, State: "draft", UpdatedAt: d.UpdatedAt.UTC().Format(time.RFC3339)}
	if out.Accounts == nil {
		out.Accounts = []string{}
	}
	if out.Variants == nil {
		out.Variants = []drafts.Variant{}
	}
	if !d.ScheduledAt.IsZero() {
		out.ScheduledAt = d.ScheduledAt.UTC().Format(time.RFC3339)
	}
	return out
}

func runDrafts(_ context.Context, s Services, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: drafts needs a subcommand", errUsage)
	}
	fs := newFlags("drafts " + args[0])
	asJSON := fs.Bool("json", false, "")
	accountsFlag := fs.String("account", "", "")
	lang := fs.String("lang", "en", "")
	textFile := fs.String("text-file", "", "")
	sub, rest := args[0], args[1:]
	var id string
	if sub == "show" || sub == "delete" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return fmt.Errorf("%w: drafts %s needs an id", errUsage, sub)
		}
		id, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	switch sub {
	case "list":
		list, err := s.Drafts.List()
		if err != nil {
			return err
		}
		return printDrafts(s, list, *asJSON)
	case "show":
		d, err := s.Drafts.Get(id)
		if err != nil {
			return err
		}
		return printDrafts(s, []drafts.Draft{d}, *asJSON)
	case "delete":
		return s.Drafts.Delete(id)
	case "new":
		text := ""
		if *textFile != "" {
			var err error
			if text, err = readText(s.In, *textFile); err != nil {
				return err
			}
		}
		d, err := s.Drafts.New(splitList(*accountsFlag))
		if err != nil {
			return err
		}
		if text != "" {
			d.SetText(*lang, text)
			if d, err = s.Drafts.Save(d); err != nil {
				return err
			}
		}
		if *asJSON {
			return writeJSON(s.Out, []draftJSON{toDraftJSON(d)})
		}
		fmt.Fprintln(s.Out, d.ID)
		return nil
	}
	return fmt.Errorf("%w: drafts %s", errUsage, sub)
}

func printDrafts(s Services, list []drafts.Draft, asJSON bool) error {
	if asJSON {
		out := make([]draftJSON, 0, len(list))
		for _, d := range list {
			out = append(out, toDraftJSON(d))
		}
		return writeJSON(s.Out, out)
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	for _, d := range list {
		for _, v := range d.Variants {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.ID, strings.Join(d.Targets, ","), v.Lang, oneLine(v.Text, 80))
		}
		if len(d.Variants) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t\t\n", d.ID, strings.Join(d.Targets, ","))
		}
	}
	return tw.Flush()
}

// readText reads a post's text from a file, or from in when name is "-".
func readText(in io.Reader, name string) (string, error) {
	r := in
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return "", fmt.Errorf("read text: %w", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxTextFile+1))
	if err != nil {
		return "", fmt.Errorf("read text: %w", err)
	}
	if len(data) > maxTextFile {
		return "", fmt.Errorf("read text: more than %d bytes: %w", maxTextFile, drafts.ErrTooLong)
	}
	return strings.TrimRight(string(data), "\n"), nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
