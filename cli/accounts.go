package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// maxSecret caps what --secret-stdin reads (64 KiB): tokens and app
// passwords are far smaller.
const maxSecret = 64 << 10

// addTimeout bounds "accounts add" as a whole; each network call has its own
// shorter timeout.
const addTimeout = 2 * time.Minute

// ErrEmptySecret: --secret-stdin found nothing on standard input.
var ErrEmptySecret = translations.NewProblem("error.empty_secret", "no secret on standard input")

// runAccountsAdd implements "accounts add --mission ID --network NET
// --server URL [--handle NAME] [--secret-stdin] [--json]". The secret is read
// from standard input only, never from the command line or the environment,
// and verified against the server before anything is saved.
func runAccountsAdd(ctx context.Context, s Services, args []string) error {
	fs := newFlags("accounts add")
	mission := fs.String("mission", "", "")
	network := fs.String("network", "", "")
	server := fs.String("server", "", "")
	handle := fs.String("handle", "", "")
	secretStdin := fs.Bool("secret-stdin", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *mission == "" || *network == "" || *server == "" {
		return fmt.Errorf("%w: accounts add needs --mission, --network and --server", errUsage)
	}
	n, err := accounts.ParseNetwork(*network)
	if err != nil {
		return err
	}
	nw, err := s.Networks.Lookup(n)
	if err != nil {
		return err
	}
	needsSecret := n.TakesSecret()
	switch {
	case needsSecret && !*secretStdin:
		fmt.Fprintln(s.Err, s.Loc.T("cli.secret_needed", "Network", string(n)))
		return fmt.Errorf("%w: %s needs --secret-stdin", errUsage, n)
	case !needsSecret && *secretStdin:
		fmt.Fprintln(s.Err, s.Loc.T("cli.secret_not_needed", "Network", string(n)))
		return fmt.Errorf("%w: %s takes no secret", errUsage, n)
	}
	var secret string
	if needsSecret {
		if secret, err = readSecret(s.In); err != nil {
			return err
		}
		if s.Keyring != nil {
			if err := s.Keyring.Probe(); err != nil {
				notAdded(s, *server, err)
				return err
			}
		}
	}
	if n == accounts.X && needsSecret {
		if secret, err = xSignIn(ctx, s, nw, *server, secret); err != nil {
			notAdded(s, *server, err)
			return err
		}
	}
	// Networks that can check an account (credentials, feed addresses) do
	// so before anything is saved.
	var verify accounts.Verifier
	if signer, ok := nw.(feeds.SignIn); ok {
		verify = signer.SignIn
	}
	ctx, cancel := context.WithTimeout(ctx, addTimeout)
	defer cancel()
	acct, err := s.Workspace.AddAccount(ctx, accounts.Account{
		Mission: *mission, Network: n, Server: *server, Handle: *handle,
	}, secret, verify)
	if err != nil {
		notAdded(s, *server, err)
		return err
	}
	if *asJSON {
		return writeJSON(s.Out, []accountJSON{toAccountJSON(acct)})
	}
	fmt.Fprintln(s.Out, acct.ID)
	return nil
}

// notAdded explains on stderr, before the error itself, that nothing was
// saved, and what to check when the server refused the credentials.
func notAdded(s Services, server string, err error) {
	fmt.Fprintln(s.Err, s.Loc.T("cli.account_not_added"))
	if errors.Is(err, feeds.ErrUnauthorized) {
		fmt.Fprintln(s.Err, s.Loc.T("cli.credentials_rejected", "Server", server))
	}
}

// readSecret reads the secret from r, without one trailing newline.
func readSecret(r io.Reader) (string, error) {
	if r == nil {
		return "", ErrEmptySecret
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSecret+1))
	if err != nil {
		return "", fmt.Errorf("read secret from standard input: %w", err)
	}
	if len(b) > maxSecret {
		return "", fmt.Errorf("secret on standard input: %w", accounts.ErrSecretTooLarge)
	}
	secret, found := strings.CutSuffix(string(b), "\n")
	if found {
		secret = strings.TrimSuffix(secret, "\r")
	}
	if secret == "" {
		return "", ErrEmptySecret
	}
	return secret, nil
}

// runAccountsRemove implements "accounts remove ACCOUNT-ID": the account's
// secret, the account and its cached posts are deleted from this computer.
func runAccountsRemove(s Services, args []string) error {
	fs := newFlags("accounts remove")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: accounts remove needs one account id", errUsage)
	}
	id := fs.Arg(0)
	if err := s.Workspace.RemoveAccount(id); err != nil {
		return err
	}
	fmt.Fprintln(s.Out, s.Loc.T("cli.account_removed", "Account", id))
	return nil
}
