package bluesky

import (
	"net/http"
)

// Fixture posts, as the AppView shows them through the PDS.
const (
	uriA1     = "at://" + aliceDID + "/app.bsky.feed.post/3lalice1aaa22"
	uriA2     = "at://" + aliceDID + "/app.bsky.feed.post/3lalice2aaa22"
	uriA3     = "at://" + aliceDID + "/app.bsky.feed.post/3lalice3aaa22"
	uriB1     = "at://" + bobDID + "/app.bsky.feed.post/3lbob1aaaaa22"
	uriB2     = "at://" + bobDID + "/app.bsky.feed.post/3lbob2aaaaa22"
	uriC1     = "at://" + aliceDID + "/app.bsky.feed.post/3lcarol1aaa22"
	uriC2     = "at://" + bobDID + "/app.bsky.feed.post/3lcarol2aaa22"
	uriM1     = "at://" + testDID + "/app.bsky.feed.post/3lmine1aaaa22"
	uriRepost = "at://" + bobDID + "/app.bsky.feed.repost/3lbobrepost22"
	uriMyLike = "at://" + testDID + "/app.bsky.feed.like/3lmylike1aa22"
	textA1    = "Bonjour @vienna.bsky.social ! Voir https://example.org/visa #diplomatie"
)

type obj = map[string]any

var (
	alice = obj{"did": aliceDID, "handle": "alice.bsky.social", "displayName": "Alice Ambassade", "avatar": "https://cdn.example/alice.jpg"}
	bob   = obj{"did": bobDID, "handle": "bob.bsky.social"}
	me    = obj{"did": testDID, "handle": testHandle, "displayName": "Embassy in Vienna"}
)

func ref(uri string) obj { return obj{"uri": uri, "cid": cidOf(uri)} }

// cidOf gives each fixture URI a stable, CID-looking id.
func cidOf(uri string) string { return "bafyrei" + fmtHash(uri) }

func postRec(text, created string, extra obj) obj {
	r := obj{"$type": "app.bsky.feed.post", "text": text, "createdAt": created}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

func view(uri string, author obj, record obj, extra obj) obj {
	v := obj{
		"$type": "app.bsky.feed.defs#postView", "uri": uri, "cid": cidOf(uri), "author": author,
		"record": record, "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
		"indexedAt": record["createdAt"], "viewer": obj{}, "labels": []any{},
	}
	for k, val := range extra {
		v[k] = val
	}
	return v
}

func imagesView(alts ...string) obj {
	var imgs []obj
	for i, alt := range alts {
		base := "https://cdn.example/img/" + string(rune('a'+i))
		imgs = append(imgs, obj{
			"thumb": base + "/thumb.jpg", "fullsize": base + "/full.jpg", "alt": alt,
			"aspectRatio": obj{"width": 4, "height": 3},
		})
	}
	return obj{"$type": "app.bsky.embed.images#view", "images": imgs}
}

func quoteView(uri string, author obj, text string) obj {
	return obj{"$type": "app.bsky.embed.record#view", "record": obj{
		"$type": "app.bsky.embed.record#viewRecord", "uri": uri, "cid": cidOf(uri), "author": author,
		"value": postRec(text, "2026-03-13T10:00:00.000Z", nil), "indexedAt": "2026-03-13T10:00:01.000Z",
	}}
}

// fixtureViews are the posts the fake AppView knows.
func fixtureViews() map[string]obj {
	a1 := view(uriA1, alice, postRec(textA1, "2026-03-14T08:00:00.000Z", obj{"langs": []string{"fr", "en"}}),
		obj{
			"indexedAt": "2026-03-14T08:00:01.000Z", "replyCount": 2, "repostCount": 3, "likeCount": 5,
			"viewer": obj{"like": uriMyLike},
		})
	a2 := view(uriA2, alice, postRec("Photos de la réception 🇫🇷🇦🇹", "2026-03-14T07:00:00.000Z", nil),
		obj{"embed": imagesView("Réception à l'ambassade", "Drapeaux")})
	a3 := view(uriA3, alice, postRec("Citation avec photo", "2026-03-12T07:00:00.000Z", nil),
		obj{"embed": obj{
			"$type":  "app.bsky.embed.recordWithMedia#view",
			"media":  imagesView("Une photo"),
			"record": quoteView(uriB1, bob, "Réponse de Bob"),
		}})
	b1 := view(uriB1, bob, postRec("Réponse de Bob", "2030-01-01T00:00:00.000Z",
		obj{"reply": obj{"root": ref(uriA1), "parent": ref(uriA1)}}),
		obj{"indexedAt": "2026-03-14T08:30:00.000Z", "embed": quoteView(uriA2, alice, "Photos de la réception 🇫🇷🇦🇹")})
	b2 := view(uriB2, bob, postRec("@vienna.bsky.social merci", "2026-03-14T09:00:00.000Z",
		obj{"reply": obj{"root": ref(uriM1), "parent": ref(uriM1)}}), nil)
	c1 := view(uriC1, alice, postRec("Sous-réponse", "2026-03-14T08:40:00.000Z",
		obj{"reply": obj{"root": ref(uriA1), "parent": ref(uriB1)}}), nil)
	c2 := view(uriC2, bob, postRec("Sous-sous-réponse", "2026-03-14T08:50:00.000Z",
		obj{"reply": obj{"root": ref(uriA1), "parent": ref(uriC1)}}), nil)
	m1 := view(uriM1, me, postRec("Visa office closed on Monday", "2026-03-13T12:00:00.000Z", obj{"langs": []string{"en"}}), nil)
	return map[string]obj{uriA1: a1, uriA2: a2, uriA3: a3, uriB1: b1, uriB2: b2, uriC1: c1, uriC2: c2, uriM1: m1}
}

func (f *fakeServer) data(w http.ResponseWriter, r *http.Request, nsid string) {
	q := r.URL.Query()
	views := fixtureViews()
	switch nsid {
	case "app.bsky.actor.getProfile":
		if q.Get("actor") != f.did {
			xrpcError(w, 400, "InvalidRequest", "Profile not found")
			return
		}
		writeJSON(w, 200, obj{
			"did": f.did, "handle": testHandle, "displayName": "Embassy in Vienna",
			"avatar": "https://cdn.example/vienna.jpg", "followersCount": 10,
		})
	case "app.bsky.feed.getTimeline":
		f.timeline(w, q.Get("cursor"), views)
	case "app.bsky.feed.getAuthorFeed":
		if q.Get("actor") != f.did {
			xrpcError(w, 400, "InvalidRequest", "wrong actor")
			return
		}
		writeJSON(w, 200, obj{"feed": []obj{{"post": views[uriM1]}}})
	case "app.bsky.feed.getFeed":
		writeJSON(w, 200, obj{"feed": []obj{{"post": views[uriA2], "feedContext": "ctx"}}, "cursor": "f2"})
	case "app.bsky.feed.searchPosts":
		writeJSON(w, 200, obj{"posts": []obj{views[uriA1]}, "cursor": "s2", "hitsTotal": 1})
	case "app.bsky.notification.listNotifications":
		writeJSON(w, 200, obj{"notifications": notifications(), "cursor": "n2", "seenAt": "2026-03-14T00:00:00.000Z"})
	case "app.bsky.feed.getPosts":
		f.getPosts(w, q["uris"], views)
	case "app.bsky.feed.getPostThread":
		writeJSON(w, 200, obj{"thread": thread(views)})
	default:
		f.repo(w, r, nsid)
	}
}

func (f *fakeServer) timeline(w http.ResponseWriter, cursor string, views map[string]obj) {
	switch cursor {
	case "":
		writeJSON(w, 200, obj{"cursor": "page2", "feed": []obj{
			{"post": views[uriA1]},
			{"post": views[uriA2], "reason": obj{
				"$type": "app.bsky.feed.defs#reasonRepost", "by": bob,
				"uri": uriRepost, "cid": cidOf(uriRepost), "indexedAt": "2026-03-14T08:45:00.000Z",
			}},
			{"post": views[uriB1], "reply": obj{"root": views[uriA1], "parent": views[uriA1]}},
		}})
	case "page2":
		writeJSON(w, 200, obj{"feed": []obj{{"post": views[uriA3]}}})
	default:
		xrpcError(w, 400, "InvalidRequest", "malformed cursor")
	}
}

func notifications() []obj {
	n := func(uri string, author obj, reason, subject string, record obj) obj {
		o := obj{
			"uri": uri, "cid": cidOf(uri), "author": author, "reason": reason, "record": record,
			"isRead": false, "indexedAt": "2026-03-14T09:05:00.000Z", "labels": []any{},
		}
		if subject != "" {
			o["reasonSubject"] = subject
		}
		return o
	}
	like := "at://" + aliceDID + "/app.bsky.feed.like/3lalicelike22"
	follow := "at://" + bobDID + "/app.bsky.graph.follow/3lbobfollow22"
	return []obj{
		n(like, alice, "like", uriM1, obj{"$type": "app.bsky.feed.like", "subject": ref(uriM1), "createdAt": "2026-03-14T09:04:00.000Z"}),
		n(uriB2, bob, "reply", uriM1, postRec("@vienna.bsky.social merci", "2026-03-14T09:00:00.000Z", nil)),
		n(follow, bob, "follow", "", obj{"$type": "app.bsky.graph.follow", "subject": testDID, "createdAt": "2026-03-14T09:01:00.000Z"}),
		n(uriA1, alice, "mention", "", postRec(textA1, "2026-03-14T08:00:00.000Z", nil)),
	}
}

func thread(views map[string]obj) obj {
	tv := func(uri string, parent obj, replies ...obj) obj {
		o := obj{"$type": "app.bsky.feed.defs#threadViewPost", "post": views[uri], "replies": replies}
		if parent != nil {
			o["parent"] = parent
		}
		return o
	}
	gone := obj{"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://" + aliceDID + "/app.bsky.feed.post/3lgone", "notFound": true}
	blocked := obj{
		"$type": "app.bsky.feed.defs#blockedPost", "uri": "at://" + bobDID + "/app.bsky.feed.post/3lblocked",
		"blocked": true, "author": obj{"did": bobDID, "viewer": obj{"blockedBy": true}},
	}
	a1 := tv(uriA1, gone)
	return tv(uriB1, a1, tv(uriC1, nil, tv(uriC2, nil)), blocked)
}

func (f *fakeServer) getPosts(w http.ResponseWriter, uris []string, views map[string]obj) {
	if len(uris) > 25 {
		xrpcError(w, 400, "InvalidRequest", "uris must not have more than 25 elements")
		return
	}
	out := []obj{}
	for _, uri := range uris {
		v, ok := views[uri]
		if !ok {
			v, ok = f.ownView(uri)
		}
		if !ok {
			continue
		}
		vw := obj{}
		if like := f.findSubject("app.bsky.feed.like", uri); like != "" {
			vw["like"] = like
		}
		if repost := f.findSubject("app.bsky.feed.repost", uri); repost != "" {
			vw["repost"] = repost
		}
		v["viewer"] = vw
		out = append(out, v)
	}
	writeJSON(w, 200, obj{"posts": out})
}
