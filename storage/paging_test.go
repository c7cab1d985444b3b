package storage

import (
	"testing"
	"time"

	"chancery/feeds"
)

// TestPagesBothWays reads a timeline page by page from the middle, older
// and newer, as a column does when the reader scrolls.
func TestPagesBothWays(t *testing.T) {
	db := openTest(t, Options{})
	addAccount(t, db, "vienna", "a")
	// Posts 1..9, one minute apart, plus 5b at the same instant as 5.
	var posts []feeds.Post
	for i := 1; i <= 9; i++ {
		posts = append(posts, post("a", string(rune('0'+i)), i))
	}
	posts = append(posts, post("a", "5b", 5))
	if _, err := db.PutPosts(home, posts, t0); err != nil {
		t.Fatal(err)
	}
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name string
		read func() ([]feeds.Post, error)
		want string
	}{
		{"newer than 5, nearest first", func() ([]feeds.Post, error) { return db.PostsAfter(home, at(5), "5", 3) }, "5b,6,7"},
		{"newer than 5b", func() ([]feeds.Post, error) { return db.PostsAfter(home, at(5), "5b", 2) }, "6,7"},
		{"at or after an instant", func() ([]feeds.Post, error) { return db.PostsAfter(home, at(5), "", 2) }, "5,5b"},
		{"newer than the newest", func() ([]feeds.Post, error) { return db.PostsAfter(home, at(9), "9", 5) }, ""},
		{"all newer, no limit", func() ([]feeds.Post, error) { return db.PostsAfter(home, at(7), "7", 0) }, "8,9"},
		{"older than 5b, nearest first", func() ([]feeds.Post, error) { return db.PostsBefore(home, at(5), "5b", 2) }, "5,4"},
		{"unknown timeline", func() ([]feeds.Post, error) {
			return db.PostsAfter(feeds.TimelineKey{Account: "a", Kind: feeds.Mentions}, at(0), "", 5)
		}, ""},
	}
	for _, tc := range tests {
		got, err := tc.read()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if ids(got) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, ids(got), tc.want)
		}
	}
}
