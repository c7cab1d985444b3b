package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"chancery/team"
	"chancery/translations"
)

// errNoTeam: this build or profile has no team service wired.
var errNoTeam = translations.NewProblem("team.error.unavailable", "team review is not available")

// syncTimeout bounds the sync a review command tries after queueing.
const syncTimeout = 30 * time.Second

// runTeam implements "team connect --dsn DSN [--secret-stdin] [--cert
// FILE]", "team schema", "team sync [--json]" and "team require-review
// --mission ID [--off]".
func runTeam(ctx context.Context, s Services, args []string) error {
	if len(args) == 0 {
		return teamUsage(s, "team needs a subcommand")
	}
	if args[0] == "schema" {
		if err := parse(newFlags("team schema"), args[1:]); err != nil {
			return err
		}
		sql, err := team.Schema()
		if err != nil {
			return err
		}
		_, err = fmt.Fprint(s.Out, sql)
		return err
	}
	if s.Team == nil {
		return errNoTeam
	}
	switch args[0] {
	case "connect":
		return runTeamConnect(ctx, s, args[1:])
	case "sync":
		return runTeamSync(ctx, s, args[1:])
	case "require-review":
		return runRequireReview(s, args[1:])
	}
	return teamUsage(s, "unknown team subcommand "+args[0])
}

func teamUsage(s Services, why string) error {
	fmt.Fprintln(s.Err, s.Loc.T("team.usage"))
	return fmt.Errorf("%w: %s", errUsage, why)
}

func runTeamConnect(ctx context.Context, s Services, args []string) error {
	fs := newFlags("team connect")
	dsn := fs.String("dsn", "", "")
	cert := fs.String("cert", "", "")
	secretStdin := fs.Bool("secret-stdin", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dsn == "" {
		return teamUsage(s, "team connect needs --dsn")
	}
	if team.HasPassword(*dsn) {
		return team.ErrPasswordInDSN
	}
	secret := ""
	if *secretStdin {
		var err error
		if secret, err = readSecret(s.In); err != nil {
			return err
		}
	}
	if s.Keyring != nil {
		if err := s.Keyring.Probe(); err != nil {
			return err
		}
	}
	cfg, err := s.Team.Connect(ctx, *dsn, secret, *cert)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.Out, s.Loc.T("team.connected", "Login", cfg.Login))
	return nil
}

type syncJSON struct {
	Pushed    int `json:"pushed"`
	Refused   int `json:"refused"`
	Pulled    int `json:"pulled"`
	Claimed   int `json:"claimed"`
	Published int `json:"published"`
}

func runTeamSync(ctx context.Context, s Services, args []string) error {
	fs := newFlags("team sync")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	before, err := refusedIDs(s)
	if err != nil {
		return err
	}
	res, err := s.Team.Sync(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(s.Out, syncJSON(res))
	}
	fmt.Fprintln(s.Out, s.Loc.T("team.synced", "Pushed", res.Pushed, "Refused", res.Refused,
		"Pulled", res.Pulled, "Published", res.Published))
	return reportRefused(s, before)
}

// reportRefused lists the events the server refused since before, with
// their reasons.
func reportRefused(s Services, before map[string]bool) error {
	queued, err := s.Team.Queued()
	if err != nil {
		return err
	}
	for _, q := range queued {
		if r := team.ReasonOf(q); r != nil && !before[q.ID] {
			fmt.Fprintln(s.Err, s.Loc.T("team.refused_line", "Post", q.Post, "Kind", string(q.Kind), "Reason", s.Loc.Error(r)))
		}
	}
	return nil
}

func runRequireReview(s Services, args []string) error {
	fs := newFlags("team require-review")
	mission := fs.String("mission", "", "")
	off := fs.Bool("off", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *mission == "" {
		return teamUsage(s, "team require-review needs --mission")
	}
	if _, err := s.Workspace.Mission(*mission); err != nil {
		return err
	}
	if err := s.Team.SetRequiresReview(*mission, !*off); err != nil {
		return err
	}
	msg := "team.review_required"
	if *off {
		msg = "team.review_not_required"
	}
	fmt.Fprintln(s.Out, s.Loc.T(msg, "Mission", *mission))
	return nil
}

// trySync pushes what a review command queued, when the server can be
// reached; offline, the event waits for the next sync. It returns the
// refusal of the event just queued, if the server refused it.
func trySync(ctx context.Context, s Services, before map[string]bool) error {
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	if _, err := s.Team.Sync(ctx); err != nil {
		if errors.Is(err, team.ErrNotConnected) {
			return err
		}
		fmt.Fprintln(s.Err, s.Loc.T("team.queued_offline"))
		fmt.Fprintln(s.Err, "  "+s.Loc.T("cli.detail", "Detail", err.Error()))
		return nil
	}
	queued, err := s.Team.Queued()
	if err != nil {
		return err
	}
	for _, q := range queued {
		if !before[q.ID] && q.Refused != "" {
			return &team.Refusal{Reason: team.ReasonOf(q), Detail: q.Detail}
		}
	}
	return nil
}
