package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/accounts"
	"chancery/drafts"
	"chancery/feeds"
)

// records scans every record of kind at or after since.
func records(t testing.TB, db *DB, kind feeds.RecordKind, since time.Time) []feeds.Record {
	t.Helper()
	var out []feeds.Record
	if err := db.ScanRecords(kind, since, func(r feeds.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func remoteIDs(rs []feeds.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.RemoteID
	}
	return out
}

// sentEntry is an outbox entry of account sent as remote id at t0+minutes.
func sentEntry(account, id, remote string, minutes int) drafts.Entry {
	at := t0.Add(time.Duration(minutes) * time.Minute)
	return drafts.Entry{
		ID: id, DraftID: "d-" + id, Account: account, Lang: "fr", Text: "Communiqué " + id,
		State: drafts.Sent, RemoteID: remote, URL: "https://example.org/@a1/" + remote,
		Media:     []drafts.Attachment{{Path: "/profile/attachments/x.jpg", Name: "visa.jpg", Alt: "Visa form"}},
		CreatedAt: at.Add(-time.Minute), UpdatedAt: at,
	}
}

// mention is a post by someone else that mentions account.
func mention(account, id string, minutes int) feeds.Post {
	p := post(account, id, minutes)
	p.AuthorHandle, p.Notification = "@citizen@other.example", "mention"
	return p
}

func TestSentEntriesAreRecordedOnceAndNeverRewritten(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a1")
	e := sentEntry("a1", "e1", "900", 1)
	e.State, e.RemoteID = drafts.Sending, ""
	if err := db.PutEntry(e); err != nil {
		t.Fatal(err)
	}
	if got := records(t, db, feeds.RecordPublished, time.Time{}); len(got) != 0 {
		t.Fatalf("an entry being sent was recorded: %v", got)
	}
	e = sentEntry("a1", "e1", "900", 1)
	for range 2 {
		if err := db.PutEntry(e); err != nil {
			t.Fatal(err)
		}
	}
	edited := e
	edited.Text = "changed afterwards"
	if err := db.PutEntry(edited); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteEntry(e.ID); err != nil {
		t.Fatal(err)
	}
	got := records(t, db, feeds.RecordPublished, time.Time{})
	if len(got) != 1 {
		t.Fatalf("%d records, want 1: %v", len(got), got)
	}
	r := got[0]
	if r.Text != "Communiqué e1" || r.RemoteID != "900" || r.Account != "a1" || r.Mission != "vienna" ||
		r.Writer != drafts.Writer() || r.Writer == "" || !r.At.Equal(e.UpdatedAt) || r.DraftID != "d-e1" ||
		len(r.Media) != 1 || r.Media[0].Alt != "Visa form" || r.Media[0].Name != "visa.jpg" {
		t.Errorf("record %+v", r)
	}
}

func TestDemoAccountsAndRSSFeedsReceiveNothing(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a1")
	for _, a := range []accounts.Account{
		{ID: "demo1", Mission: "vienna", Network: accounts.Demo, Handle: "@demo"},
		{ID: "rss1", Mission: "vienna", Network: accounts.RSS, Server: "https://example.org/feed"},
	} {
		if err := db.PutAccount(a); err != nil {
			t.Fatal(err)
		}
		if a.IsDemo() { // demo publishing is make-believe
			if err := db.PutEntry(sentEntry(a.ID, "e-"+a.ID, "1", 1)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.PutPosts(feeds.TimelineKey{Account: a.ID, Kind: feeds.Mentions}, []feeds.Post{mention(a.ID, "m1", 1)}, t0); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range feeds.RecordKinds {
		if got := records(t, db, kind, time.Time{}); len(got) != 0 {
			t.Errorf("%s: %v", kind, got)
		}
	}
}

func TestReceivedPostsAreMentionsAndRepliesToOwnPosts(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a1")
	if err := db.PutEntry(sentEntry("a1", "e1", "500", 0)); err != nil {
		t.Fatal(err)
	}
	own := post("a1", "600", 0)
	own.AuthorHandle = "@a1"
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a1", Kind: feeds.Own}, []feeds.Post{own}, t0); err != nil {
		t.Fatal(err)
	}
	replyToSent, replyToCached, stranger, self := post("a1", "701", 1), post("a1", "702", 2), post("a1", "703", 3), post("a1", "704", 4)
	replyToSent.ReplyTo, replyToCached.ReplyTo, stranger.ReplyTo = "500", "600", "999"
	self.AuthorHandle, self.Notification = "@a1@example.org", "mention"
	home := []feeds.Post{replyToSent, replyToCached, stranger, self, post("a1", "705", 5)}
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a1", Kind: feeds.Home}, home, t0); err != nil {
		t.Fatal(err)
	}
	// The same status seen as a notification ("nID:status") is the same record.
	asNotification := mention("a1", "n77:701", 1)
	fresh := mention("a1", "n78:801", 6)
	liked := mention("a1", "n79:600", 7)
	liked.Notification = "like"
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a1", Kind: feeds.Mentions}, []feeds.Post{asNotification, fresh, liked}, t0); err != nil {
		t.Fatal(err)
	}
	got := records(t, db, feeds.RecordReceived, time.Time{})
	if ids := remoteIDs(got); !slices.Equal(ids, []string{"701", "702", "801"}) {
		t.Fatalf("received %v, want 701, 702, 801", ids)
	}
	if got[0].Notification != "reply" || got[2].Notification != "mention" || got[2].PostID != "n78:801" || got[2].Author == "" {
		t.Errorf("records %+v", got)
	}
	since := records(t, db, feeds.RecordReceived, t0.Add(2*time.Minute))
	if ids := remoteIDs(since); !slices.Equal(ids, []string{"702", "801"}) {
		t.Errorf("since t0+2m: %v", ids)
	}
}

func TestRecordsOutliveRetentionCompactAndAccountRemoval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "vienna", "a1")
	key := feeds.TimelineKey{Account: "a1", Kind: feeds.Mentions}
	var ms []feeds.Post
	for i := range 120 {
		ms = append(ms, mention("a1", fmt.Sprintf("n%d:%d", i, 1000+i), i))
	}
	if _, err := db.PutPosts(key, ms, t0); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if err := db.PutEntry(sentEntry("a1", fmt.Sprintf("e%d", i), fmt.Sprint(5000+i), i)); err != nil {
			t.Fatal(err)
		}
	}
	_ = db.Close()
	if db, err = Open(path, Options{Retention: 3}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, _, err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountPosts(key); n != 3 {
		t.Fatalf("the timeline kept %d posts after Compact, want 3", n)
	}
	if err := db.DeleteAccount("a1"); err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[feeds.RecordKind]int{feeds.RecordReceived: 120, feeds.RecordPublished: 30} {
		if got := records(t, db, kind, time.Time{}); len(got) != want {
			t.Errorf("%s: %d records, want %d", kind, len(got), want)
		}
		if n, err := db.CountRecords(kind); err != nil || n != want {
			t.Errorf("count %s: %d, %v", kind, n, err)
		}
	}
}

func TestOpeningAnOlderProfileArchivesWhatItSentAndReceived(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chancery.db")
	db, err := Open(path, Options{migrations: schemaMigrations[:1]})
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, db, "vienna", "a1")
	if err := db.PutEntry(sentEntry("a1", "e1", "900", 1)); err != nil {
		t.Fatal(err)
	}
	queued := sentEntry("a1", "e2", "", 2)
	queued.State = drafts.Queued
	if err := db.PutEntry(queued); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a1", Kind: feeds.Mentions},
		[]feeds.Post{mention("a1", "n1:11", 1), mention("a1", "n2:12", 2)}, t0); err != nil {
		t.Fatal(err)
	}
	// A profile of schema 1 had no archive: empty it, as it was. A damaged
	// post or entry does not keep it from opening.
	if err := db.update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketArchivePublished, bucketArchiveReceived, bucketArchiveIDs} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		tl, _ := findTimeline(tx, feeds.TimelineKey{Account: "a1", Kind: feeds.Mentions})
		if err := tl.posts.Put(postKey(t0.Add(time.Hour), "n3:13"), []byte("{broken")); err != nil {
			return err
		}
		return tx.Bucket(bucketOutbox).Put([]byte("\xff\xff\xff\xff\xff\xff\xff\xff"), []byte("{broken"))
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if db, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if got := remoteIDs(records(t, db, feeds.RecordPublished, time.Time{})); !slices.Equal(got, []string{"900"}) {
		t.Errorf("published after migration: %v", got)
	}
	if got := remoteIDs(records(t, db, feeds.RecordReceived, time.Time{})); !slices.Equal(got, []string{"11", "12"}) {
		t.Errorf("received after migration: %v", got)
	}
	var v int
	_ = db.view(func(tx *bolt.Tx) error {
		_, err := getJSON(tx.Bucket(bucketMeta), keySchemaVersion, &v)
		return err
	})
	if v != len(schemaMigrations) {
		t.Errorf("schema version %d, want %d", v, len(schemaMigrations))
	}
}

func TestACorruptRecordStopsTheScanWithAnError(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a1")
	if err := db.PutEntry(sentEntry("a1", "e1", "900", 1)); err != nil {
		t.Fatal(err)
	}
	if err := db.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArchivePublished).Put([]byte("\xff\xffbroken"), []byte("{not json"))
	}); err != nil {
		t.Fatal(err)
	}
	err := db.ScanRecords(feeds.RecordPublished, time.Time{}, func(feeds.Record) error { return nil })
	if err == nil || !errors.Is(err, ErrCorrupt) {
		t.Errorf("scan of a damaged archive: %v", err)
	}
}

func TestAPostTheServerHeldIsRecordedWhenKnownPublished(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a1")
	e := sentEntry("a1", "e1", "", 0)
	at := t0.Add(3 * time.Hour)
	e.State, e.Where, e.ScheduledID, e.ScheduledAt, e.Zone = drafts.Queued, drafts.WhereServer, "sch-1", at, "Europe/Vienna"
	if err := db.PutEntry(e); err != nil {
		t.Fatal(err)
	}
	if got := records(t, db, feeds.RecordPublished, time.Time{}); len(got) != 0 {
		t.Fatalf("a post the server still holds was recorded: %v", got)
	}
	// The next flush after its time finds it among the account's posts.
	e.State, e.RemoteID, e.URL, e.UpdatedAt = drafts.Sent, "777", "https://example.org/@a1/777", at.Add(40*time.Minute)
	if err := db.PutEntry(e); err != nil {
		t.Fatal(err)
	}
	got := records(t, db, feeds.RecordPublished, time.Time{})
	if len(got) != 1 || got[0].RemoteID != "777" || !got[0].At.Equal(at) || !got[0].ScheduledAt.Equal(at) || got[0].Zone != "Europe/Vienna" {
		t.Errorf("records %+v, want 777 published at %s", got, at)
	}
}

func TestAMentionsTimelineThatDoesNotSayWhyIsRecorded(t *testing.T) {
	db := openTest(t, Options{})
	if err := db.PutMission(accounts.Mission{ID: "vienna", Names: map[string]string{"en": "Vienna"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.PutAccount(accounts.Account{ID: "x1", Mission: "vienna", Network: accounts.X, Handle: "EmbassyVienna"}); err != nil {
		t.Fatal(err)
	}
	theirs, ours := post("x1", "1850", 1), post("x1", "1851", 2)
	theirs.Network, ours.Network, ours.AuthorHandle = accounts.X, accounts.X, "@embassyvienna"
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "x1", Kind: feeds.Mentions}, []feeds.Post{theirs, ours}, t0); err != nil {
		t.Fatal(err)
	}
	got := records(t, db, feeds.RecordReceived, time.Time{})
	if len(got) != 1 || got[0].RemoteID != "1850" || got[0].Notification != "mention" {
		t.Errorf("records %+v, want the mention 1850", got)
	}
}

// BenchmarkIngestMentions is BenchmarkIngest for a mentions timeline whose
// every post is a mention, so each is also recorded in the archive: the
// difference between the two is what the archive costs a refresh.
func BenchmarkIngestMentions(b *testing.B) {
	db := openTest(b, Options{})
	addAccount(b, db, "vienna", "a")
	key := feeds.TimelineKey{Account: "a", Kind: feeds.Mentions}
	n := 0
	for b.Loop() {
		batch := benchBatch(n)
		for i := range batch {
			batch[i].ID = "n" + batch[i].ID + ":" + batch[i].ID
			batch[i].Notification = "mention"
		}
		if _, err := db.PutPosts(key, batch, t0); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportPostsPerSecond(b, n)
}
