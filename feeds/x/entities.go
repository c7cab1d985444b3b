package x

// The X API v2 shapes Chancery reads: a response's data, includes, meta and
// errors (partial errors come with a 200).

type user struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Username        string `json:"username"`
	ProfileImageURL string `json:"profile_image_url"`
}

type reference struct {
	Type string `json:"type"` // replied_to, quoted, retweeted
	ID   string `json:"id"`
}

type metrics struct {
	Replies  int `json:"reply_count"`
	Retweets int `json:"retweet_count"`
	Likes    int `json:"like_count"`
	Quotes   int `json:"quote_count"`
}

type tweet struct {
	ID               string      `json:"id"`
	Text             string      `json:"text"`
	AuthorID         string      `json:"author_id"`
	CreatedAt        string      `json:"created_at"`
	Lang             string      `json:"lang"`
	ConversationID   string      `json:"conversation_id"`
	InReplyToUserID  string      `json:"in_reply_to_user_id"`
	ReferencedTweets []reference `json:"referenced_tweets"`
	PublicMetrics    metrics     `json:"public_metrics"`
	PossiblySensitve bool        `json:"possibly_sensitive"`
	Attachments      struct {
		MediaKeys []string `json:"media_keys"`
	} `json:"attachments"`
	Entities  entities `json:"entities"`
	NoteTweet struct {
		Text     string   `json:"text"`
		Entities entities `json:"entities"`
	} `json:"note_tweet"`
}

// entities are what X found in a text; Chancery reads its links, which X
// shortens to t.co addresses in the text.
type entities struct {
	URLs []urlEntity `json:"urls"`
}

type urlEntity struct {
	URL         string `json:"url"` // the t.co address in the text
	ExpandedURL string `json:"expanded_url"`
	MediaKey    string `json:"media_key"` // set on the link X adds for attached media
}

type media struct {
	MediaKey        string `json:"media_key"`
	Type            string `json:"type"` // photo, video, animated_gif
	URL             string `json:"url"`
	PreviewImageURL string `json:"preview_image_url"`
	AltText         string `json:"alt_text"`
}

type includes struct {
	Users  []user  `json:"users"`
	Tweets []tweet `json:"tweets"`
	Media  []media `json:"media"`
}

type meta struct {
	ResultCount int    `json:"result_count"`
	NewestID    string `json:"newest_id"`
	OldestID    string `json:"oldest_id"`
	NextToken   string `json:"next_token"`
}

type apiError struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
}

// timeline is the answer of GET /2/users/:id/tweets and /mentions.
type timeline struct {
	Data     []tweet    `json:"data"`
	Includes includes   `json:"includes"`
	Meta     meta       `json:"meta"`
	Errors   []apiError `json:"errors"`
}
