package contract

import (
	"fmt"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
)

// The checks below are plain functions returning what they found wrong, so
// that the suite's own tests can show each of them failing.

// postProblems returns what is wrong with posts fetched for acct: each post
// needs a usable id, an author and a time; links
// (the post's, its media's, its quote's) must be safe http(s) addresses;
// posts come newest first, each id once.
func postProblems(acct accounts.Account, posts []feeds.Post) []string {
	var out []string
	seen := map[string]bool{}
	for i, p := range posts {
		out = append(out, onePost(acct, p)...)
		if seen[p.ID] {
			out = append(out, fmt.Sprintf("post %q appears twice", p.ID))
		}
		seen[p.ID] = true
		if i > 0 && p.CreatedAt.After(posts[i-1].CreatedAt) {
			out = append(out, fmt.Sprintf("post %q (%s) is newer than the post before it, %q (%s): not newest first",
				p.ID, p.CreatedAt, posts[i-1].ID, posts[i-1].CreatedAt))
		}
	}
	return out
}

func onePost(acct accounts.Account, p feeds.Post) []string {
	var out []string
	add := func(format string, args ...any) {
		out = append(out, fmt.Sprintf("post %q: ", p.ID)+fmt.Sprintf(format, args...))
	}
	if !feeds.UsableID(p.ID) {
		add("id not usable")
	}
	if strings.TrimSpace(p.Author) == "" {
		add("no author")
	}
	if p.CreatedAt.IsZero() {
		add("no created_at")
	}
	links := map[string]string{"url": p.URL}
	for i, m := range p.Media {
		links[fmt.Sprintf("media %d url", i)] = m.URL
		links[fmt.Sprintf("media %d preview", i)] = m.PreviewURL
	}
	if p.Quote != nil {
		links["quote url"] = p.Quote.URL
	}
	for what, link := range links {
		if _, ok := feeds.SafeLink(link); link != "" && !ok {
			add("%s %q is not a safe link", what, link)
		}
	}
	return out
}

// accountProblems returns the posts that do not carry acct's id and
// network.
func accountProblems(acct accounts.Account, posts []feeds.Post) []string {
	var out []string
	for _, p := range posts {
		if p.Account != acct.ID || p.Network != acct.Network {
			out = append(out, fmt.Sprintf("post %q: account %q on %q, want %q on %q", p.ID, p.Account, p.Network, acct.ID, acct.Network))
		}
	}
	return out
}

// pageProblems returns what is wrong with a page that follows the pages
// before it (whose ids are in seen and whose oldest post is at oldest): its
// posts must be older than or as old as the oldest before, and new.
func pageProblems(acct accounts.Account, page feeds.Page, seen map[string]bool, oldest feeds.Post) []string {
	out := postProblems(acct, page.Posts)
	for _, p := range page.Posts {
		if seen[p.ID] {
			out = append(out, fmt.Sprintf("post %q came again on a later page", p.ID))
		}
		if !oldest.CreatedAt.IsZero() && p.CreatedAt.After(oldest.CreatedAt) {
			out = append(out, fmt.Sprintf("post %q (%s) on an older page is newer than %q (%s) on the page before",
				p.ID, p.CreatedAt, oldest.ID, oldest.CreatedAt))
		}
	}
	return out
}

// capabilityProblems returns where what c declares and what nw implements
// disagree: every declared ability has its interface, kinds parse, and the
// limits a writer needs are there.
func capabilityProblems(nw feeds.Network, c feeds.Capabilities) []string {
	var out []string
	need := func(declared bool, what string, ok bool) {
		if declared && !ok {
			out = append(out, what)
		}
	}
	_, publisher := nw.(feeds.Publisher)
	_, finder := nw.(feeds.Finder)
	_, actor := nw.(feeds.Actor)
	_, scheduler := nw.(feeds.Scheduler)
	_, counter := nw.(feeds.WarningCounter)
	need(c.Post, "declares Post but is no feeds.Publisher", publisher)
	need(c.Post, "declares Post but is no feeds.Finder (an unknown outcome could never be checked)", finder)
	need(c.Reply, "declares Reply but not Post", c.Post)
	need(c.Media, "declares Media but not Post", c.Post)
	need(c.Post, "declares Post but no MaxLength", c.MaxLength > 0)
	need(c.Media, "declares Media but no Images.MaxImages", c.Images.MaxImages > 0)
	need(c.Like || c.Boost, "declares Like or Boost but is no feeds.Actor", actor)
	need(c.ServerScheduling, "declares ServerScheduling but is no feeds.Scheduler", scheduler)
	need(scheduler, "is a feeds.Scheduler but does not declare ServerScheduling", c.ServerScheduling)
	need(c.WarningCounts, "declares WarningCounts but is no feeds.WarningCounter", counter)
	need(counter, "is a feeds.WarningCounter but does not declare WarningCounts", c.WarningCounts)
	if len(c.Kinds) == 0 {
		out = append(out, "declares no timeline kind")
	}
	for _, k := range c.Kinds {
		if _, err := feeds.ParseKind(strings.TrimSuffix(string(k), ":") + kindArg(k)); err != nil {
			out = append(out, fmt.Sprintf("declares kind %q: %v", k, err))
		}
	}
	return out
}

// kindArg is a sample argument for a prefix kind ("tag:"), else "".
func kindArg(k feeds.Kind) string {
	if strings.HasSuffix(string(k), ":") {
		return ":sample"
	}
	return ""
}

// plainKinds returns the kinds of c that need no argument.
func plainKinds(c feeds.Capabilities) []feeds.Kind {
	var out []feeds.Kind
	for _, k := range c.Kinds {
		if !strings.HasSuffix(string(k), ":") {
			out = append(out, k)
		}
	}
	return out
}

// maxErrorText bounds the text of an error: a server's explanation is cut
// (feeds.Do keeps 200 characters), a body never shown whole.
const maxErrorText = 2048

// errorProblems returns what is wrong with the text of err: longer than
// maxErrorText, or showing one of secrets.
func errorProblems(err error, secrets []string) []string {
	if err == nil {
		return nil
	}
	var out []string
	text := err.Error()
	if len(text) > maxErrorText {
		out = append(out, fmt.Sprintf("error text of %d bytes: %.200s…", len(text), text))
	}
	for _, s := range secrets {
		if len(s) >= 4 && strings.Contains(text, s) {
			out = append(out, "the error shows a secret: "+strings.ReplaceAll(text, s, "[the secret]"))
		}
	}
	return out
}
