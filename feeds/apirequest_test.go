package feeds_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"chancery/feeds"
)

func TestAPIRequestEscapesPathsAndNeverReplaysWrites(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:9/api/v1")
	r := feeds.APIRequest{
		Method: http.MethodPost, Base: base, Path: []string{"statuses", "a/b c"},
		Query: url.Values{"q": {"x y"}}, Body: []byte("{}"), Type: "application/json", Token: "t0k",
	}
	req, err := r.Build(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	if got := req.URL.String(); got != "http://127.0.0.1:9/api/v1/statuses/a%2Fb%20c?q=x+y" {
		t.Errorf("url %s", got)
	}
	if req.Header.Get("Authorization") != "Bearer t0k" || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", req.Header)
	}
	if req.GetBody != nil {
		t.Error("a POST could be replayed by net/http")
	}
	r.Method, r.Body, r.Token = http.MethodGet, nil, ""
	if req, err = r.Build(context.Background(), "test"); err != nil || req.Header.Get("Authorization") != "" {
		t.Errorf("GET without token: %v %v", err, req.Header)
	}
	for _, bad := range []string{"", ".", ".."} {
		r.Path = []string{"statuses", bad}
		if _, err := r.Build(context.Background(), "test"); !errors.Is(err, feeds.ErrRejected) {
			t.Errorf("segment %q: %v", bad, err)
		}
	}
}
