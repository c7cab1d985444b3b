package bluesky

import "encoding/json"

// The types below follow the AT Protocol and Bluesky lexicons, keeping only
// the fields Chancery reads or writes. Unions are decoded by their "$type";
// unknown members are ignored, so a new embed kind never breaks a timeline.

// Lexicon ids used in records and unions.
const (
	collPost          = "app.bsky.feed.post"
	collLike          = "app.bsky.feed.like"
	collRepost        = "app.bsky.feed.repost"
	collGenerator     = "app.bsky.feed.generator"
	typeReasonRepost  = "app.bsky.feed.defs#reasonRepost"
	typeThreadPost    = "app.bsky.feed.defs#threadViewPost"
	typeImagesView    = "app.bsky.embed.images#view"
	typeVideoView     = "app.bsky.embed.video#view"
	typeRecordView    = "app.bsky.embed.record#view"
	typeRecordMedia   = "app.bsky.embed.recordWithMedia#view"
	typeViewRecord    = "app.bsky.embed.record#viewRecord"
	typeEmbedImages   = "app.bsky.embed.images"
	typeFacetLink     = "app.bsky.richtext.facet#link"
	typeFacetMention  = "app.bsky.richtext.facet#mention"
	typeFacetTag      = "app.bsky.richtext.facet#tag"
	pdsServiceType    = "AtprotoPersonalDataServer"
	pdsServiceIDShort = "#atproto_pds"
)

// sessionOutput is the output of com.atproto.server.createSession and
// refreshSession.
type sessionOutput struct {
	AccessJwt  string          `json:"accessJwt"`
	RefreshJwt string          `json:"refreshJwt"`
	Handle     string          `json:"handle"`
	DID        string          `json:"did"`
	DIDDoc     json.RawMessage `json:"didDoc,omitempty"`
}

func (o sessionOutput) session() session {
	return session{AccessJwt: o.AccessJwt, RefreshJwt: o.RefreshJwt, DID: o.DID, Handle: o.Handle}
}

// didDoc is a DID document, as served by the PLC directory or did:web.
type didDoc struct {
	ID      string `json:"id"`
	Service []struct {
		ID              string `json:"id"`
		Type            string `json:"type"`
		ServiceEndpoint any    `json:"serviceEndpoint"`
	} `json:"service"`
}

// profile is app.bsky.actor.defs#profileViewBasic (and the detailed view,
// of which only these fields are read).
type profile struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
	Avatar      string `json:"avatar"`
}

// strongRef is com.atproto.repo.strongRef.
type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// replyRef is app.bsky.feed.post#replyRef.
type replyRef struct {
	Root   strongRef `json:"root"`
	Parent strongRef `json:"parent"`
}

// postRecord is an app.bsky.feed.post record, read or written.
type postRecord struct {
	Type      string          `json:"$type"`
	Text      string          `json:"text"`
	Facets    []facet         `json:"facets,omitempty"`
	Reply     *replyRef       `json:"reply,omitempty"`
	Embed     json.RawMessage `json:"embed,omitempty"`
	Langs     []string        `json:"langs,omitempty"`
	CreatedAt string          `json:"createdAt"`
}

// subjectRecord is an app.bsky.feed.like or app.bsky.feed.repost record.
type subjectRecord struct {
	Type      string    `json:"$type"`
	Subject   strongRef `json:"subject"`
	CreatedAt string    `json:"createdAt"`
}

// facet is app.bsky.richtext.facet.
type facet struct {
	Index    byteSlice `json:"index"`
	Features []feature `json:"features"`
}

// byteSlice is app.bsky.richtext.facet#byteSlice: UTF-8 byte offsets,
// start inclusive, end exclusive.
type byteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// feature is one member of the facet feature union.
type feature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	DID  string `json:"did,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

// viewer is app.bsky.feed.defs#viewerState.
type viewer struct {
	Repost string `json:"repost"`
	Like   string `json:"like"`
}

// postView is app.bsky.feed.defs#postView.
type postView struct {
	URI         string          `json:"uri"`
	CID         string          `json:"cid"`
	Author      profile         `json:"author"`
	Record      json.RawMessage `json:"record"`
	Embed       json.RawMessage `json:"embed"`
	ReplyCount  int             `json:"replyCount"`
	RepostCount int             `json:"repostCount"`
	LikeCount   int             `json:"likeCount"`
	IndexedAt   string          `json:"indexedAt"`
	Viewer      viewer          `json:"viewer"`
}

// feedViewPost is app.bsky.feed.defs#feedViewPost.
type feedViewPost struct {
	Post  postView `json:"post"`
	Reply *struct {
		Parent struct {
			Author *profile `json:"author"`
		} `json:"parent"`
	} `json:"reply"`
	Reason *reason `json:"reason"`
}

// reason is the reason union of a feed item; only reposts are read.
type reason struct {
	Type      string  `json:"$type"`
	By        profile `json:"by"`
	URI       string  `json:"uri"`
	IndexedAt string  `json:"indexedAt"`
}

// feedOutput is the output of getTimeline, getAuthorFeed and getFeed.
type feedOutput struct {
	Cursor string         `json:"cursor"`
	Feed   []feedViewPost `json:"feed"`
}

// searchOutput is the output of app.bsky.feed.searchPosts.
type searchOutput struct {
	Cursor string     `json:"cursor"`
	Posts  []postView `json:"posts"`
}

// postsOutput is the output of app.bsky.feed.getPosts.
type postsOutput struct {
	Posts []postView `json:"posts"`
}

// notification is app.bsky.notification.listNotifications#notification.
type notification struct {
	URI           string          `json:"uri"`
	CID           string          `json:"cid"`
	Author        profile         `json:"author"`
	Reason        string          `json:"reason"`
	ReasonSubject string          `json:"reasonSubject"`
	Record        json.RawMessage `json:"record"`
	IndexedAt     string          `json:"indexedAt"`
}

// notificationsOutput is the output of listNotifications.
type notificationsOutput struct {
	Cursor        string         `json:"cursor"`
	Notifications []notification `json:"notifications"`
}

// threadNode is a member of the thread union of getPostThread:
// threadViewPost, notFoundPost or blockedPost (these have no post).
type threadNode struct {
	Type    string        `json:"$type"`
	Post    *postView     `json:"post"`
	Parent  *threadNode   `json:"parent"`
	Replies []*threadNode `json:"replies"`
}

// embedView is the union of embed views a post can carry.
type embedView struct {
	Type   string `json:"$type"`
	Images []struct {
		Thumb    string `json:"thumb"`
		Fullsize string `json:"fullsize"`
		Alt      string `json:"alt"`
	} `json:"images"`
	Playlist  string          `json:"playlist"`
	Thumbnail string          `json:"thumbnail"`
	Alt       string          `json:"alt"`
	Record    json.RawMessage `json:"record"` // record#view: a viewRecord…; recordWithMedia#view: a record#view
	Media     json.RawMessage `json:"media"`
}

// viewRecord is app.bsky.embed.record#viewRecord, a quoted post.
type viewRecord struct {
	Type      string          `json:"$type"`
	URI       string          `json:"uri"`
	Author    profile         `json:"author"`
	Value     json.RawMessage `json:"value"`
	IndexedAt string          `json:"indexedAt"`
}

// recordOutput is the output of com.atproto.repo.getRecord.
type recordOutput struct {
	URI   string          `json:"uri"`
	CID   string          `json:"cid"`
	Value json.RawMessage `json:"value"`
}

// createOutput is the output of com.atproto.repo.createRecord.
type createOutput struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// blobOutput is the output of com.atproto.repo.uploadBlob; the blob is kept
// as the server wrote it and embedded unchanged.
type blobOutput struct {
	Blob json.RawMessage `json:"blob"`
}

// aspectRatio is app.bsky.embed.defs#aspectRatio.
type aspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// imageEmbed is app.bsky.embed.images, written into new posts.
type imageEmbed struct {
	Type   string       `json:"$type"`
	Images []embedImage `json:"images"`
}

// embedImage is app.bsky.embed.images#image.
type embedImage struct {
	Alt         string          `json:"alt"`
	Image       json.RawMessage `json:"image"`
	AspectRatio *aspectRatio    `json:"aspectRatio,omitempty"`
}
