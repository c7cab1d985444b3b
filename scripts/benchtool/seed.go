package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"time"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/storage"
)

// seed writes a profile of missions × accounts RSS accounts, each with
// posts cached posts (a post every two minutes, back from now), refreshed
// five minutes ago. Account i of mission m reads FEEDS/feed/m-i.
func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	profile := fs.String("profile", "", "profile folder")
	feedBase := fs.String("feeds", "", "base URL of the feed server")
	perMission := fs.Int("accounts", 3, "accounts per mission")
	posts := fs.Int("posts", 2000, "cached posts per account")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *profile == "" || *feedBase == "" {
		return fmt.Errorf("seed needs --profile and --feeds")
	}
	db, err := storage.Open(filepath.Join(*profile, "chancery.db"), storage.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	ws := accounts.NewWorkspace(db, nil, nil)
	if _, err := ws.EnsureDefault(); err != nil {
		return err
	}
	now := time.Now()
	r := rand.New(rand.NewPCG(1, 2))
	for _, m := range accounts.DefaultMissions() {
		if err := db.DeleteAccount(accounts.DemoAccount(m, now).ID); err != nil {
			return err
		}
		for i := range *perMission {
			a := accounts.Account{
				ID: fmt.Sprintf("%s-rss-%d", m.ID, i), Mission: m.ID, Network: accounts.RSS,
				Server: fmt.Sprintf("%s/feed/%s-%d", *feedBase, m.ID, i), Handle: fmt.Sprintf("press-%d", i),
				DisplayName: fmt.Sprintf("%s press %d", m.Name("en"), i), State: accounts.StateOK, Position: i, CreatedAt: now,
			}
			if err := db.PutAccount(a); err != nil {
				return err
			}
			if err := seedPosts(db, r, a, *posts, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func seedPosts(db *storage.DB, r *rand.Rand, a accounts.Account, n int, now time.Time) error {
	key := feeds.TimelineKey{Account: a.ID, Kind: feeds.Feed}
	batch := make([]feeds.Post, 0, 500)
	for i := range n {
		text, lang := postText(r, i)
		batch = append(batch, feeds.Post{
			ID: fmt.Sprintf("seed-%s-%d", a.ID, i), Account: a.ID, Network: accounts.RSS, Author: a.DisplayName,
			Text: text, Lang: lang, URL: fmt.Sprintf("https://example.org/%s/%d", a.ID, i),
			CreatedAt: now.Add(-time.Duration(i*2+1) * time.Minute).UTC().Truncate(time.Second),
		})
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := db.PutPosts(key, batch, now.Add(-5*time.Minute)); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}
