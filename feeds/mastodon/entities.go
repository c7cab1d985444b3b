package mastodon

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The API's entities, reduced to the fields Chancery reads. Every field is
// optional on the wire: a missing one is its zero value.

// flexID is an id the API documents as a string; some servers of the
// Mastodon API send a number instead, which is accepted too.
type flexID string

func (id *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*id = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		return err
	}
	*id = flexID(n)
	return nil
}

type account struct {
	ID          flexID `json:"id"`
	Username    string `json:"username"`
	Acct        string `json:"acct"`
	DisplayName string `json:"display_name"`
	URL         string `json:"url"`
	Avatar      string `json:"avatar"`
}

type mention struct {
	ID   flexID `json:"id"`
	Acct string `json:"acct"`
}

type attachment struct {
	ID          flexID `json:"id"`
	Type        string `json:"type"`
	URL         string `json:"url"`
	PreviewURL  string `json:"preview_url"`
	RemoteURL   string `json:"remote_url"`
	Description string `json:"description"`
}

type quote struct {
	State        string  `json:"state"`
	QuotedStatus *status `json:"quoted_status"`
}

type status struct {
	ID                 flexID       `json:"id"`
	URI                string       `json:"uri"`
	URL                string       `json:"url"`
	CreatedAt          string       `json:"created_at"`
	Account            account      `json:"account"`
	Content            string       `json:"content"`
	Text               string       `json:"text"` // source text, on deleted statuses only
	Language           string       `json:"language"`
	InReplyToID        flexID       `json:"in_reply_to_id"`
	InReplyToAccountID flexID       `json:"in_reply_to_account_id"`
	SpoilerText        string       `json:"spoiler_text"`
	Sensitive          bool         `json:"sensitive"`
	Media              []attachment `json:"media_attachments"`
	Mentions           []mention    `json:"mentions"`
	RepliesCount       int          `json:"replies_count"`
	ReblogsCount       int          `json:"reblogs_count"`
	FavouritesCount    int          `json:"favourites_count"`
	Reblogged          bool         `json:"reblogged"`
	Favourited         bool         `json:"favourited"`
	Reblog             *status      `json:"reblog"`
	Quote              *quote       `json:"quote"`
}

type notification struct {
	ID        flexID  `json:"id"`
	Type      string  `json:"type"`
	CreatedAt string  `json:"created_at"`
	Account   account `json:"account"`
	Status    *status `json:"status"`
}

type threadContext struct {
	Ancestors   []status `json:"ancestors"`
	Descendants []status `json:"descendants"`
}

type searchResult struct {
	Statuses []status `json:"statuses"`
}

// instance holds the fields of GET /api/v2/instance (and, as a fallback
// for older servers, /api/v1/instance) that set posting limits.
type instance struct {
	Domain        string `json:"domain"` // v2
	URI           string `json:"uri"`    // v1
	MaxTootChars  int    `json:"max_toot_chars"`
	Configuration struct {
		Statuses struct {
			MaxCharacters            int `json:"max_characters"`
			CharactersReservedPerURL int `json:"characters_reserved_per_url"`
			MaxMediaAttachments      int `json:"max_media_attachments"`
		} `json:"statuses"`
		MediaAttachments mediaConfig `json:"media_attachments"`
	} `json:"configuration"`
}

type application struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

type token struct {
	AccessToken string `json:"access_token"`
}
