package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// errDeleteDeclined reports that the user answered no to the question.
var errDeleteDeclined = translations.NewProblem("delete.cli.declined", "nothing was deleted")

// runDelete is `delete --account ID POST-ID [--yes]`: it deletes one of the
// account's own posts on its network, then from the cache. Without --yes it
// asks on a terminal; with no terminal to ask on, it is a usage error.
func runDelete(ctx context.Context, s Services, args []string) error {
	fs := newFlags("delete")
	account := fs.String("account", "", "")
	yes := fs.Bool("yes", false, "")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *account == "" || len(pos) != 1 || strings.TrimSpace(pos[0]) == "" {
		return fmt.Errorf("%w: delete needs --account and one post id", errUsage)
	}
	if s.Posts == nil {
		return fmt.Errorf("delete: %w", feeds.ErrUnsupported)
	}
	postID := pos[0]
	acct, err := s.Workspace.Account(*account)
	if err != nil {
		return err
	}
	if !feeds.CanDelete(s.Networks, acct) {
		return fmt.Errorf("delete on %s: %w", acct.Network, feeds.ErrUnsupported)
	}
	if !*yes {
		if !inputIsTerminal(s.In) {
			return fmt.Errorf("%w: delete without --yes needs a terminal to ask on", errUsage)
		}
		ok, err := confirmDelete(s.Loc, s.In, s.Err, acct, postID)
		if err != nil {
			return err
		}
		if !ok {
			return errDeleteDeclined
		}
	}
	if err := feeds.DeletePost(ctx, s.Networks, s.Posts, acct, postID); err != nil {
		return err
	}
	fmt.Fprintln(s.Out, s.Loc.T("delete.cli.done", "Post", postID, "Account", accountName(acct)))
	return nil
}

// parseInterspersed parses flags found before and after the positional
// arguments, which it returns.
func parseInterspersed(fs interface {
	Parse([]string) error
	Args() []string
}, args []string,
) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %w", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// confirmDelete asks on w whether to delete postID of acct and reads the
// answer from r: yes is "y", "yes" or the language's own word for it.
func confirmDelete(loc *translations.Localizer, r io.Reader, w io.Writer, acct accounts.Account, postID string) (bool, error) {
	fmt.Fprint(w, loc.T("delete.cli.ask", "Post", postID, "Account", accountName(acct), "Network", string(acct.Network))+" ")
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the answer: %w", err)
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	if answer == "" {
		return false, nil
	}
	for _, word := range append([]string{"y", "yes"}, strings.Split(loc.T("delete.cli.yes_words"), ",")...) {
		if w := strings.ToLower(strings.TrimSpace(word)); w != "" && answer == w {
			return true, nil
		}
	}
	return false, nil
}

// accountName is how the question and the report name an account: its
// handle beside its id.
func accountName(a accounts.Account) string {
	if a.Handle == "" {
		return a.ID
	}
	return a.ID + " (" + a.Handle + ")"
}

// inputIsTerminal reports whether r is a terminal the user can answer on:
// a character device other than the null device (which is one too, and
// what a timer or a script often gives as standard input).
func inputIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(st, null)
}
