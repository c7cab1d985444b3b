package storage

import (
	"errors"
	"testing"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

func defaultWorkspace() ([]accounts.Mission, []accounts.Account) {
	ms := accounts.DefaultMissions()
	as := make([]accounts.Account, 0, len(ms))
	for i := range ms {
		ms[i].Position = i
		as = append(as, accounts.DemoAccount(ms[i], t0))
	}
	return ms, as
}

func TestSeedOnce(t *testing.T) {
	db := openTest(t, Options{})
	ms, as := defaultWorkspace()
	if seeded, err := db.Seed(ms, as); err != nil || !seeded {
		t.Fatalf("first Seed() = %v, %v", seeded, err)
	}
	gotMs, err := db.Missions()
	if err != nil || len(gotMs) != len(ms) {
		t.Fatalf("Missions() = %v, %v", gotMs, err)
	}
	if m := gotMs[0]; m.ID != "beijing" || m.Name("fr") != "Pékin" || m.TimeZone != "Asia/Shanghai" {
		t.Errorf("first mission by id: %+v", m)
	}
	gotAs, err := db.Accounts()
	if err != nil || len(gotAs) != len(as) || !gotAs[0].CreatedAt.Equal(t0) || !gotAs[0].IsDemo() {
		t.Fatalf("Accounts() = %+v, %v", gotAs, err)
	}

	// Emptied by the user, the workspace stays empty.
	for _, a := range as {
		if err := db.DeleteAccount(a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if seeded, err := db.Seed(ms, as); err != nil || seeded {
		t.Fatalf("second Seed() = %v, %v", seeded, err)
	}
	if gotAs, _ := db.Accounts(); len(gotAs) != 0 {
		t.Errorf("second Seed wrote %d accounts", len(gotAs))
	}
}

func TestSeedIsAtomic(t *testing.T) {
	db := openTest(t, Options{})
	ms, as := defaultWorkspace()
	as = append(as, accounts.Account{ID: "stray", Mission: "atlantis"})
	if _, err := db.Seed(ms, as); !errors.Is(err, accounts.ErrNoMission) {
		t.Fatalf("Seed with a stray account: %v, want ErrNoMission", err)
	}
	if got, _ := db.Missions(); len(got) != 0 {
		t.Errorf("failed Seed left %d missions", len(got))
	}
	if seeded, err := db.Seed(ms, as[:len(as)-1]); err != nil || !seeded {
		t.Errorf("Seed after a failed one = %v, %v", seeded, err)
	}
}

func TestWorkspaceOverStore(t *testing.T) {
	db := openTest(t, Options{})
	w := accounts.NewWorkspace(db, nil, func() time.Time { return t0 })
	if seeded, err := w.EnsureDefault(); err != nil || !seeded {
		t.Fatalf("EnsureDefault() = %v, %v", seeded, err)
	}
	if err := w.SetState("vienna-demo", accounts.StateOffline); err != nil {
		t.Fatal(err)
	}
	if a, err := w.Account("vienna-demo"); err != nil || a.State != accounts.StateOffline {
		t.Errorf("Account() = %+v, %v", a, err)
	}
	if err := w.RemoveAccount("vienna-demo"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Account("vienna-demo"); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("removed account: %v", err)
	}
}

func TestPutAccountNeedsMission(t *testing.T) {
	db := openTest(t, Options{})
	err := db.PutAccount(accounts.Account{ID: "x", Mission: "nowhere"})
	if !errors.Is(err, accounts.ErrNoMission) {
		t.Errorf("PutAccount: %v, want ErrNoMission", err)
	}
	if err := db.PutAccount(accounts.Account{}); err == nil {
		t.Error("PutAccount with an empty id succeeded")
	}
	if err := db.PutMission(accounts.Mission{}); err == nil {
		t.Error("PutMission with an empty id succeeded")
	}
}

func TestDeleteAccountRemovesTimelines(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "vienna")
	addAccount(t, db, "vienna", "vienna-demo")
	keys := []feeds.TimelineKey{
		{Account: "vienna", Kind: feeds.Home},
		{Account: "vienna", Kind: "search:visa/schengen"},
		{Account: "vienna-demo", Kind: feeds.Home},
		{Account: "vienna-demo", Kind: feeds.Mentions},
	}
	for _, k := range keys {
		if _, err := db.PutPosts(k, []feeds.Post{post(k.Account, "1", 1)}, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteAccount("vienna"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Timelines()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != keys[2] || got[1] != keys[3] {
		t.Errorf("Timelines() after delete = %v", got)
	}
	for _, k := range keys[:2] {
		if ps, err := db.Posts(k, 10); err != nil || len(ps) != 0 {
			t.Errorf("Posts(%s) = %v, %v", k, ps, err)
		}
	}
	if err := db.DeleteAccount("vienna"); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("second DeleteAccount: %v, want ErrNoAccount", err)
	}
	if _, err := db.PutPosts(keys[0], []feeds.Post{post("vienna", "2", 2)}, t0); !errors.Is(err, accounts.ErrNoAccount) {
		t.Errorf("PutPosts for a deleted account: %v, want ErrNoAccount", err)
	}
}

func TestDeleteMission(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a")
	if err := db.DeleteMission("vienna"); !errors.Is(err, ErrMissionNotEmpty) {
		t.Errorf("DeleteMission with accounts: %v, want ErrMissionNotEmpty", err)
	}
	if err := db.DeleteMission("atlantis"); !errors.Is(err, accounts.ErrNoMission) {
		t.Errorf("DeleteMission of an unknown mission: %v, want ErrNoMission", err)
	}
	if err := db.DeleteAccount("a"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteMission("vienna"); err != nil {
		t.Errorf("DeleteMission of an empty mission: %v", err)
	}
	if ms, err := db.Missions(); err != nil || len(ms) != 0 {
		t.Errorf("Missions() = %v, %v", ms, err)
	}
}
