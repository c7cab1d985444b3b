package mastodon

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"chancery/feeds"
)

func TestMediaLimitsFollowTheInstanceConfiguration(t *testing.T) {
	cases := []struct {
		name     string
		instance string // v2 instance body; "" keeps the fixture
		signIn   bool
		want     feeds.MediaLimits
	}{
		{name: "never signed in: defaults", want: feeds.MediaLimits{
			MaxImages: 4, MaxBytes: 16 << 20, MaxPixels: 33177600, Types: []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
		}},
		{name: "fixture server", signIn: true, want: feeds.MediaLimits{
			MaxImages: 4, MaxBytes: 10485760, MaxPixels: 33177600, Types: []string{"image/jpeg", "image/png"},
		}},
		{
			name: "generous server", signIn: true, instance: `{"domain": "big.example", "configuration": {
			"statuses": {"max_characters": 5000, "max_media_attachments": 8},
			"media_attachments": {"supported_mime_types": ["image/heic", "image/webp", "image/gif", "image/jpeg", "image/png", "video/mp4"],
			"image_size_limit": 41943040, "image_matrix_limit": 50000000}}}`,
			want: feeds.MediaLimits{
				MaxImages: 8, MaxBytes: 40 << 20, MaxPixels: 50000000, Types: []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
			},
		},
		{
			name: "server without media configuration", signIn: true, instance: `{"domain": "old.example", "configuration": {"statuses": {"max_characters": 500}}}`,
			want: feeds.MediaLimits{
				MaxImages: 4, MaxBytes: 16 << 20, MaxPixels: 33177600, Types: []string{"image/jpeg", "image/png", "image/gif", "image/webp"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, n, acct, _ := setup(t)
			if c.instance != "" {
				f.setHook(func(w http.ResponseWriter, r *http.Request) bool {
					if r.URL.Path != "/api/v2/instance" {
						return false
					}
					writeJSON(w, http.StatusOK, c.instance)
					return true
				})
			}
			if c.signIn {
				if _, _, err := n.SignIn(context.Background(), acct, testToken); err != nil {
					t.Fatal(err)
				}
			}
			if got := n.MediaLimits(acct); !reflect.DeepEqual(got, c.want) {
				t.Errorf("limits %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestContentWarningCountsTowardTheLength(t *testing.T) {
	_, n, acct, _ := setup(t)
	if !n.Capabilities().WarningCounts {
		t.Error("capabilities do not say the warning counts")
	}
	for warning, want := range map[string]int{"": 0, "Spoiler": 7, "🇨🇦 élection": 10, "选举": 2} {
		if got := n.WarningLength(acct, warning); got != want {
			t.Errorf("%q counts %d, want %d", warning, got, want)
		}
	}
}
