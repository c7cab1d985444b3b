package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"chancery/accounts"
	"chancery/app"
	"chancery/cli"
	"chancery/drafts"
	"chancery/feeds"
	"chancery/feeds/bluesky"
	"chancery/feeds/demo"
	"chancery/feeds/facebook"
	"chancery/feeds/mastodon"
	"chancery/feeds/rss"
	"chancery/feeds/x"
	"chancery/search"
	"chancery/storage"
	"chancery/team"
	"chancery/timer"
	"chancery/translations"
)

// services are the parts the GUI and the CLI share, over one profile.
type services struct {
	workspace *accounts.Workspace
	refresher *feeds.Refresher
	networks  feeds.Registry
	// keyring is the OS keyring; secrets adds to it the secrets kept for
	// this session only. Accounts and networks read secrets through it.
	keyring    *accounts.Keyring
	secrets    *accounts.SessionSecrets
	drafts     *drafts.Service
	outbox     *drafts.Outbox
	publishing drafts.NetworkPublisher
	// attachments keeps the copies of attached images in the profile.
	attachments *drafts.Attachments
	// timer is the OS timer that flushes this profile's outbox.
	timer cli.Timer
	// search is the full-text index of the cached posts; it follows the
	// cache from the start, and is opened or built once started.
	search *search.Index
	// team is the review on the team's PostgreSQL server.
	team *team.Service
}

// close closes the search index, then the database.
func (s services) close(db *storage.DB) {
	s.closeSearch(db)
	db.Close()
}

// closeSearch stops the search index following the database and closes it.
func (s services) closeSearch(db *storage.DB) {
	if s.search != nil {
		db.ObservePosts(nil)
		if err := s.search.Close(); err != nil {
			slog.Warn("search index not closed cleanly", "err", err)
		}
	}
}

// openProfile opens the profile's database and wires the services over it.
// A never-used profile gets the default workspace. The keyring is not
// touched until a secret is needed.
func openProfile(dir string) (*storage.DB, services, error) {
	db, err := storage.Open(filepath.Join(dir, "chancery.db"), storage.Options{})
	if err != nil {
		return nil, services{}, err
	}
	keyring := accounts.NewKeyring()
	secrets := accounts.NewSessionSecrets(keyring)
	networks := feeds.Registry{
		accounts.Mastodon: mastodon.New(secrets, db),
		accounts.Bluesky:  bluesky.New(secrets, db),
		accounts.RSS:      rss.New(db),
		accounts.X:        x.New(secrets, db),
		accounts.Demo:     demo.New(demo.WithPublishing(db, nil)),
		accounts.Facebook: facebook.New(secrets),
	}
	workspace := accounts.NewWorkspace(db, secrets, nil)
	publishing := drafts.NetworkPublisher{Accounts: workspace, Networks: networks}
	svc := services{
		workspace:   workspace,
		refresher:   feeds.NewRefresher(networks, db, nil),
		networks:    networks,
		keyring:     keyring,
		secrets:     secrets,
		drafts:      drafts.NewService(db, nil, drafts.WithLanguages(workspace)),
		outbox:      drafts.NewOutbox(db, publishing, nil),
		publishing:  publishing,
		attachments: drafts.NewAttachments(filepath.Join(dir, "attachments"), nil),
		timer:       outboxTimer(dir),
	}
	svc.team = team.New(team.Options{
		Store: db, Accounts: workspace, Secrets: keyring,
		Planner: svc.drafts, Outbox: db, Flusher: svc.outbox,
	})
	if svc.search, err = search.New(filepath.Join(dir, "search-index"), db); err != nil {
		db.Close()
		return nil, services{}, err
	}
	db.ObservePosts(svc.search.Observe)
	svc.refresher.OnAccountState = func(id string, s accounts.State) { _ = workspace.SetState(id, s) }
	svc.refresher.KeepStats(db) // Reach: audience and own posts' counts at each refresh
	svc.outbox.OnNeedsSignIn(func(id string) { _ = workspace.SetState(id, accounts.StateNeedsSignIn) })
	svc.outbox.OnChange(answeredBy(db, time.Now))
	if _, err := svc.workspace.EnsureDefault(); err != nil {
		db.Close()
		return nil, services{}, err
	}
	if _, err := svc.attachments.Sweep(db); err != nil {
		slog.Warn("attachments not swept", "err", err) // they are kept; the next start tries again
	}
	return db, svc, nil
}

// gui returns what the window works with.
func (s services) gui(db *storage.DB) app.Params {
	return app.Params{
		Workspace: s.workspace, Timelines: db, Refresher: s.refresher, Prefs: db,
		Drafts: s.drafts, Outbox: s.outbox, Publishing: s.publishing,
		Admin: s.workspace, SignIns: signIns{networks: s.networks}, Maintenance: db,
		Actions: postActions{networks: s.networks}, Images: feeds.NewMediaCache(db),
		Deleter:     postDeleter{networks: s.networks, cache: db},
		Attachments: s.attachments,
		Missions:    s.workspace,
		Timer:       s.timer,
		Review:      reviewService{Service: s.team, store: db},
		Watches:     db,
		Inbox:       db,
		Search:      s.search,
		Reach:       db,
		Budgets:     budgets{networks: s.networks},
	}
}

// cli returns what the subcommands work with.
func (s services) cli(db *storage.DB, loc *translations.Localizer, in io.Reader, out, errOut io.Writer) cli.Services {
	return cli.Services{
		Workspace: s.workspace, Timelines: db, Refresher: s.refresher,
		Networks: s.networks, Keyring: s.keyring,
		Drafts: s.drafts, Outbox: s.outbox, Publishing: s.publishing,
		Loc: loc, In: in, Out: out, Err: errOut,
		Search:  s.search,
		Watches: db, Inbox: db,
		Team:    s.team,
		Archive: db,
		Stats:   db,
		Posts:   db,
	}
}

// outboxTimer is the operating system's timer that flushes the profile in
// dir with this program, or nil when the program's path is unknown.
func outboxTimer(dir string) cli.Timer {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	in, err := timer.New(exe, dir)
	if err != nil {
		return nil
	}
	return in
}

// answeredBy marks a post answered in the needs-reply inbox when a reply
// to it is sent from Chancery, from the window or the command line.
func answeredBy(inbox feeds.InboxStore, now func() time.Time) func(drafts.Entry) {
	return func(e drafts.Entry) {
		if e.State != drafts.Sent || e.ReplyTo == "" {
			return
		}
		if err := inbox.SetInboxState(e.Account, e.ReplyTo, feeds.InboxState{Answered: now()}); err != nil {
			slog.Warn("reply not marked answered", "err", err)
		}
	}
}
