package storage

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"chancery/accounts"
	"chancery/feeds"
)

var home = feeds.TimelineKey{Account: "a", Kind: feeds.Home}

func TestPutPostsMerge(t *testing.T) {
	db := openTest(t, Options{Retention: 5})
	addAccount(t, db, "vienna", "a")
	edited := post("a", "1", 1)
	edited.Text = "edited"
	edited.Counts.Likes = 99
	moved := edited
	moved.CreatedAt = t0.Add(10 * time.Minute)
	old := post("a", "0", 0)
	old.CreatedAt = time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)
	dup := post("a", "8", 30)
	dup.Text = "second copy wins"

	steps := []struct {
		name      string
		posts     []feeds.Post
		added     int
		order     string
		wantCount int
	}{
		{"insert", []feeds.Post{post("a", "1", 1), post("a", "2", 3), post("a", "3", 2)}, 3, "2,3,1", 3},
		{"same again", []feeds.Post{post("a", "1", 1), post("a", "2", 3), post("a", "3", 2)}, 0, "2,3,1", 3},
		{"edit in place", []feeds.Post{edited}, 0, "2,3,1", 3},
		{"time changed", []feeds.Post{moved}, 0, "1,2,3", 3},
		{"ties sort by id", []feeds.Post{post("a", "5", 3), post("a", "4", 3)}, 2, "1,5,4,2,3", 5},
		{"older than all, beyond retention", []feeds.Post{old}, 0, "1,5,4,2,3", 5},
		{"newer push out oldest", []feeds.Post{post("a", "6", 20), post("a", "7", 21)}, 2, "7,6,1,5,4", 5},
		{"duplicate in one batch", []feeds.Post{post("a", "8", 30), dup}, 1, "8,7,6,1,5", 5},
		{"empty batch", nil, 0, "8,7,6,1,5", 5},
	}
	for i, st := range steps {
		refreshed := t0.Add(time.Duration(i) * time.Hour)
		added, err := db.PutPosts(home, st.posts, refreshed)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := db.Posts(home, 0)
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.CountPosts(home)
		if err != nil {
			t.Fatal(err)
		}
		if added != st.added || ids(got) != st.order || n != st.wantCount || len(got) != n {
			t.Errorf("%s: added %d, order %s, count %d (%d read); want %d, %s, %d",
				st.name, added, ids(got), n, len(got), st.added, st.order, st.wantCount)
		}
		if at, err := db.LastRefreshed(home); err != nil || !at.Equal(refreshed) {
			t.Errorf("%s: LastRefreshed() = %v, %v", st.name, at, err)
		}
	}
	got, _ := db.Posts(home, 0)
	byID := map[string]feeds.Post{}
	for _, p := range got {
		byID[p.ID] = p
	}
	if p := byID["1"]; p.Text != "edited" || p.Counts.Likes != 99 || !p.CreatedAt.Equal(moved.CreatedAt) {
		t.Errorf("edited post: %+v", p)
	}
	if p := byID["8"]; p.Text != dup.Text {
		t.Errorf("duplicate in batch: text %q", p.Text)
	}
	assertIDsIndex(t, db, home, got)
}

// assertIDsIndex checks the ids bucket agrees with the posts bucket.
func assertIDsIndex(t *testing.T, db *DB, key feeds.TimelineKey, posts []feeds.Post) {
	t.Helper()
	err := db.view(func(tx *bolt.Tx) error {
		tl, ok := findTimeline(tx, key)
		if !ok {
			return errors.New("no timeline")
		}
		if n := tl.ids.Stats().KeyN; n != len(posts) {
			return fmt.Errorf("%d ids for %d posts", n, len(posts))
		}
		for _, p := range posts {
			tk := timeKey(p.CreatedAt)
			if got := tl.ids.Get([]byte(p.ID)); string(got) != string(tk[:]) {
				return fmt.Errorf("post %s: ids holds %x, want %x", p.ID, got, tk)
			}
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func TestPostsOrderAcrossEras(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a")
	at := func(id string, tm time.Time) feeds.Post {
		p := post("a", id, 0)
		p.CreatedAt = tm
		return p
	}
	posts := []feeds.Post{
		at("zero", time.Time{}),
		at("1969", time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)),
		at("epoch", time.Unix(0, 0)),
		at("now", t0),
		at("paris", t0.In(time.FixedZone("CET", 3600)).Add(time.Nanosecond)),
		at("3000", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)),
	}
	if _, err := db.PutPosts(home, posts, t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.Posts(home, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := "3000,paris,now,epoch,1969,zero"; ids(got) != want {
		t.Errorf("order %s, want %s", ids(got), want)
	}
	if !got[1].CreatedAt.Equal(posts[4].CreatedAt) {
		t.Errorf("time round trip: %v, want %v", got[1].CreatedAt, posts[4].CreatedAt)
	}
	if got, _ := db.Posts(home, 2); ids(got) != "3000,paris" {
		t.Errorf("Posts(limit 2) = %s", ids(got))
	}
}

func TestUnwrittenTimeline(t *testing.T) {
	db := openTest(t, Options{})
	key := feeds.TimelineKey{Account: "nobody", Kind: feeds.Home}
	if ps, err := db.Posts(key, 10); err != nil || ps == nil || len(ps) != 0 {
		t.Errorf("Posts() = %#v, %v; want an empty slice", ps, err)
	}
	if ps, err := db.PostsBefore(key, t0, "x", 10); err != nil || ps == nil || len(ps) != 0 {
		t.Errorf("PostsBefore() = %#v, %v; want an empty slice", ps, err)
	}
	if at, err := db.LastRefreshed(key); err != nil || !at.IsZero() {
		t.Errorf("LastRefreshed() = %v, %v", at, err)
	}
	if n, err := db.CountPosts(key); err != nil || n != 0 {
		t.Errorf("CountPosts() = %d, %v", n, err)
	}
	if ks, err := db.Timelines(); err != nil || len(ks) != 0 {
		t.Errorf("Timelines() = %v, %v", ks, err)
	}
}

func TestPutPostsRejects(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a")
	tests := []struct {
		name  string
		key   feeds.TimelineKey
		posts []feeds.Post
		want  error
	}{
		{"unknown account", feeds.TimelineKey{Account: "b", Kind: feeds.Home}, []feeds.Post{post("b", "1", 1)}, accounts.ErrNoAccount},
		{"empty kind", feeds.TimelineKey{Account: "a"}, []feeds.Post{post("a", "1", 1)}, nil},
		{"empty post id", home, []feeds.Post{post("a", "1", 1), post("a", "", 2)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.PutPosts(tt.key, tt.posts, t0)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("PutPosts: %v, want %v", err, tt.want)
			}
			if ks, _ := db.Timelines(); len(ks) != 0 {
				t.Errorf("a failed PutPosts left timelines %v", ks)
			}
		})
	}
}

func TestTimelineNameCollision(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a/b")
	addAccount(t, db, "vienna", "a")
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a/b", Kind: "c"}, []feeds.Post{post("a/b", "1", 1)}, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutPosts(feeds.TimelineKey{Account: "a", Kind: "b/c"}, []feeds.Post{post("a", "1", 1)}, t0); err == nil {
		t.Error("colliding timeline accepted")
	}
	if ps, err := db.Posts(feeds.TimelineKey{Account: "a", Kind: "b/c"}, 0); err != nil || len(ps) != 0 {
		t.Errorf("Posts of the colliding key = %v, %v", ids(ps), err)
	}
	ks, err := db.Timelines()
	if err != nil || len(ks) != 1 || ks[0].Account != "a/b" || ks[0].Kind != "c" {
		t.Errorf("Timelines() = %v, %v", ks, err)
	}
}

func TestPostsBefore(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a")
	var posts []feeds.Post
	for i := range 25 {
		posts = append(posts, post("a", fmt.Sprintf("p%02d", i), i/3)) // ties of three
	}
	if _, err := db.PutPosts(home, posts, t0); err != nil {
		t.Fatal(err)
	}
	all, err := db.Posts(home, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 2, 3, 7, 25, 100} {
		page, err := db.Posts(home, size)
		if err != nil {
			t.Fatal(err)
		}
		paged := slices.Clone(page)
		for len(page) > 0 {
			last := page[len(page)-1]
			if page, err = db.PostsBefore(home, last.CreatedAt, last.ID, size); err != nil {
				t.Fatal(err)
			}
			if len(page) > size {
				t.Fatalf("page of %d, limit %d", len(page), size)
			}
			paged = append(paged, page...)
		}
		if ids(paged) != ids(all) {
			t.Errorf("pages of %d: %s, want %s", size, ids(paged), ids(all))
		}
	}
	tests := []struct {
		name     string
		before   time.Time
		beforeID string
		want     string
	}{
		{"strictly older than a time", t0.Add(2 * time.Minute), "", "p05,p04,p03,p02,p01,p00"},
		{"after the newest", t0.Add(time.Hour), "", ids(all[:6])},
		{"before the oldest", t0, "p00", ""},
		{"mid tie, unknown id", t0.Add(time.Minute), "p035", "p03,p02,p01,p00"},
	}
	for _, tt := range tests {
		got, err := db.PostsBefore(home, tt.before, tt.beforeID, 6)
		if err != nil || ids(got) != tt.want {
			t.Errorf("%s: %s, %v; want %s", tt.name, ids(got), err, tt.want)
		}
	}
}
