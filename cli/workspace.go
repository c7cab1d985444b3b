package cli

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"chancery/accounts"
	"chancery/feeds"
)

type missionJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	TimeZone     string `json:"time_zone"`
	HostLanguage string `json:"host_language"`
	// Languages are those the mission's accounts publish in.
	Languages []string `json:"languages"`
	Accounts  []string `json:"accounts"`
}

func runMissions(_ context.Context, s Services, args []string) error {
	if len(args) > 0 && args[0] == "set-host-language" {
		return runSetHostLanguage(s, args[1:])
	}
	fs := newFlags("missions")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	out, err := missionList(s)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(s.Out, out)
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Loc.T("cli.col.ident"), s.Loc.T("cli.col.name"),
		s.Loc.T("cli.col.time_zone"), s.Loc.T("cli.col.host_language"), s.Loc.T("cli.col.languages"), s.Loc.T("cli.col.accounts"))
	for _, m := range out {
		host := cmp.Or(m.HostLanguage, "-")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", m.ID, m.Name, m.TimeZone, host, strings.Join(m.Languages, ","), len(m.Accounts))
	}
	return tw.Flush()
}

// runSetHostLanguage sets a mission's host language: missions
// set-host-language MISSION-ID LANG|none.
func runSetHostLanguage(s Services, args []string) error {
	if len(args) != 2 || strings.HasPrefix(args[0], "-") || strings.HasPrefix(args[1], "-") {
		return fmt.Errorf("%w: missions set-host-language MISSION-ID LANG|none", errUsage)
	}
	m, err := s.Workspace.SetHostLanguage(args[0], args[1])
	if err != nil {
		return err
	}
	fmt.Fprintln(s.Out, s.Loc.T("cli.host_language_set", "Mission", m.Name(s.Loc.Lang()), "Languages", strings.Join(m.Languages(), ", ")))
	return nil
}

// missionList is the missions with their accounts' ids, as --json shows them.
func missionList(s Services) ([]missionJSON, error) {
	ms, err := s.Workspace.Missions()
	if err != nil {
		return nil, err
	}
	as, err := s.Workspace.Accounts()
	if err != nil {
		return nil, err
	}
	out := make([]missionJSON, 0, len(ms))
	for _, m := range ms {
		mj := missionJSON{ID: m.ID, Name: m.Name(s.Loc.Lang()), TimeZone: m.TimeZone, HostLanguage: m.HostLanguage, Languages: m.Languages(), Accounts: []string{}}
		for _, a := range as {
			if a.Mission == m.ID {
				mj.Accounts = append(mj.Accounts, a.ID)
			}
		}
		out = append(out, mj)
	}
	return out, nil
}

type accountJSON struct {
	ID      string `json:"id"`
	Mission string `json:"mission"`
	Network string `json:"network"`
	Server  string `json:"server"`
	Handle  string `json:"handle"`
	Demo    bool   `json:"demo"`
	State   string `json:"state"`
	// Usage is this month's calls and estimated cost, on networks that
	// bill calls (X).
	Usage *feeds.Spending `json:"usage,omitempty"`
}

func toAccountJSON(a accounts.Account) accountJSON {
	return accountJSON{
		ID: a.ID, Mission: a.Mission, Network: string(a.Network), Server: a.Server,
		Handle: a.Handle, Demo: a.IsDemo(), State: string(a.State),
	}
}

func runAccounts(ctx context.Context, s Services, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: accounts needs a subcommand", errUsage)
	}
	switch args[0] {
	case "list":
		return runAccountsList(s, args[1:])
	case "add":
		return runAccountsAdd(ctx, s, args[1:])
	case "remove":
		return runAccountsRemove(s, args[1:])
	case "budget":
		return runAccountsBudget(s, args[1:])
	}
	return fmt.Errorf("%w: unknown accounts subcommand %q", errUsage, args[0])
}

func runAccountsList(s Services, args []string) error {
	fs := newFlags("accounts list")
	asJSON := fs.Bool("json", false, "")
	if err := parse(fs, args); err != nil {
		return err
	}
	as, err := s.Workspace.Accounts()
	if err != nil {
		return err
	}
	out := make([]accountJSON, 0, len(as))
	for _, a := range as {
		j := toAccountJSON(a)
		j.Usage = usageOf(s, a)
		out = append(out, j)
	}
	if *asJSON {
		return writeJSON(s.Out, out)
	}
	tw := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Loc.T("cli.col.ident"), s.Loc.T("cli.col.mission"),
		s.Loc.T("cli.col.network"), s.Loc.T("cli.col.handle"), s.Loc.T("cli.col.state"))
	for _, a := range out {
		network := a.Network
		if a.Demo {
			network += " (" + s.Loc.T("label.demo") + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Mission, network, a.Handle, s.Loc.T("state."+a.State))
	}
	return tw.Flush()
}
