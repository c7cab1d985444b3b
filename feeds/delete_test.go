package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"chancery/accounts"
)

func TestGoneReadsNotFoundAndGoneAnswers(t *testing.T) {
	for _, tc := range []struct {
		status int
		gone   bool
	}{
		{http.StatusNotFound, true},
		{http.StatusGone, true},
		{http.StatusBadRequest, false},
		{http.StatusForbidden, false},
		{http.StatusUnprocessableEntity, false},
		{http.StatusInternalServerError, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(`{"error":"Record not found"}`))
		}))
		req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/api/v1/statuses/1", nil)
		_, _, err := Do(srv.Client(), req, 1<<10)
		srv.Close()
		if err == nil {
			t.Fatalf("%d: no error", tc.status)
		}
		if got := Gone(fmt.Errorf("delete: %w", err)); got != tc.gone {
			t.Errorf("%d: Gone = %v, want %v (%v)", tc.status, got, tc.gone, err)
		}
	}
	if Gone(errors.New("http 404")) || Gone(nil) {
		t.Error("an error that is no StatusError counted as gone")
	}
}

type deletingNet struct {
	Network
	err  error
	sent []string
}

func (d *deletingNet) Delete(_ context.Context, _ accounts.Account, id string) error {
	d.sent = append(d.sent, id)
	return d.err
}

type readOnlyNet struct{ Network }

type dropper struct{ dropped []string }

func (d *dropper) DropPost(accountID, postID string) (int, error) {
	d.dropped = append(d.dropped, accountID+"/"+postID)
	return 1, nil
}

func TestDeletePostDropsFromTheCacheOnlyAfterTheNetworkDeleted(t *testing.T) {
	acct := accounts.Account{ID: "vienna-m", Network: accounts.Mastodon}
	nw := &deletingNet{}
	reg := Registry{accounts.Mastodon: nw, accounts.RSS: readOnlyNet{}}
	var cache dropper
	if !CanDelete(reg, acct) || CanDelete(reg, accounts.Account{Network: accounts.RSS}) || CanDelete(reg, accounts.Account{Network: accounts.X}) {
		t.Error("CanDelete is wrong")
	}
	if err := DeletePost(context.Background(), reg, &cache, acct, "109"); err != nil {
		t.Fatal(err)
	}
	if len(nw.sent) != 1 || len(cache.dropped) != 1 || cache.dropped[0] != "vienna-m/109" {
		t.Fatalf("sent %v, dropped %v", nw.sent, cache.dropped)
	}
	nw.err = fmt.Errorf("http 422: %w", ErrRejected)
	if err := DeletePost(context.Background(), reg, &cache, acct, "110"); !errors.Is(err, ErrRejected) {
		t.Errorf("refused delete: %v", err)
	}
	if len(cache.dropped) != 1 {
		t.Errorf("a refused delete dropped the post: %v", cache.dropped)
	}
	if err := DeletePost(context.Background(), reg, &cache, accounts.Account{Network: accounts.RSS}, "1"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("read-only network: %v", err)
	}
}

func TestIsOwn(t *testing.T) {
	m := accounts.Account{ID: "m", Network: accounts.Mastodon, Handle: "@ambassade@social.example"}
	fb := accounts.Account{ID: "f", Network: accounts.Facebook, Handle: "104"}
	for _, tc := range []struct {
		p    Post
		a    accounts.Account
		want bool
	}{
		{Post{ID: "1", Account: "m", AuthorHandle: "@ambassade@social.example"}, m, true},
		{Post{ID: "1", Account: "m", AuthorHandle: "@Ambassade"}, m, true},
		{Post{ID: "1", Account: "m", AuthorHandle: "@citizen@other.example"}, m, false},
		{Post{ID: "1", Account: "m", AuthorHandle: "@ambassade@social.example", RepostedBy: "Bob"}, m, false},
		{Post{ID: "1", Account: "m", AuthorHandle: "@ambassade@social.example", Notification: "mention"}, m, false},
		{Post{ID: "1", Account: "other", AuthorHandle: "@ambassade@social.example"}, m, false},
		{Post{ID: "104_1", Account: "f"}, fb, true},
		{Post{ID: "104_1_7", Account: "f", ReplyTo: "104_1", Notification: "reply"}, fb, false},
	} {
		if got := IsOwn(tc.p, tc.a); got != tc.want {
			t.Errorf("IsOwn(%+v, %s) = %v", tc.p, tc.a.ID, got)
		}
	}
}
