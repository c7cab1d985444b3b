package app

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
	"chancery/translations"
)

// postRow is the reusable list item that shows one post.
type postRow struct {
	widget.BaseWidget
	author  *widget.Label
	when    *widget.Label
	body    *widget.RichText
	footer  *widget.Label
	content *fyne.Container
}

func newPostRow() *postRow {
	r := &postRow{
		author: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		when:   widget.NewLabel(""),
		body:   widget.NewRichText(),
		footer: widget.NewLabel(""),
	}
	r.author.Truncation = fyne.TextTruncateEllipsis
	r.when.Importance = widget.LowImportance
	r.footer.Importance = widget.LowImportance
	r.footer.SizeName = theme.SizeNameCaptionText
	r.footer.Truncation = fyne.TextTruncateEllipsis
	r.body.Wrapping = fyne.TextWrapWord
	header := container.NewBorder(nil, nil, nil, r.when, r.author)
	r.content = container.NewVBox(header, r.body, r.footer)
	r.ExtendBaseWidget(r)
	return r
}

func (r *postRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.content)
}

// set shows p; open is called with links the user taps.
func (r *postRow) set(p feeds.Post, loc *translations.Localizer, now time.Time, open func(*url.URL)) {
	r.author.SetText(p.Author)
	r.when.SetText(relativeTime(loc, now, p.CreatedAt))
	r.body.Segments = bodySegments(displayText(loc, p), open)
	r.body.Refresh()
	r.footer.SetText(postFooter(loc, p))
}

// fixedHeight is the height of a row without its body text.
func (r *postRow) fixedHeight() float32 {
	pad := r.Theme().Size(theme.SizeNamePadding)
	return r.author.MinSize().Height + r.footer.MinSize().Height + 2*pad
}

// rowMeasurer computes the height a post needs at a given width, using the
// same widgets the list shows.
type rowMeasurer struct {
	row *postRow
}

func newRowMeasurer() *rowMeasurer { return &rowMeasurer{row: newPostRow()} }

func (m *rowMeasurer) height(text string, width float32) float32 {
	m.row.body.Segments = bodySegments(text, nil)
	m.row.body.Resize(fyne.NewSize(width, m.row.body.Size().Height))
	m.row.body.Refresh()
	return m.row.fixedHeight() + m.row.body.MinSize().Height
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// bodySegments splits text into plain text and links. Only absolute http and
// https links become tappable; nothing else in the text is interpreted.
func bodySegments(text string, open func(*url.URL)) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	plain := func(s string) {
		if s != "" {
			segs = append(segs, &widget.TextSegment{Text: s, Style: widget.RichTextStyleInline})
		}
	}
	last := 0
	for _, loc := range linkPattern.FindAllStringIndex(text, -1) {
		raw := strings.TrimRight(text[loc[0]:loc[1]], ".,;:!?)»”'")
		end := loc[0] + len(raw)
		u, ok := safeLink(raw)
		if !ok {
			continue
		}
		plain(text[last:loc[0]])
		link := &widget.HyperlinkSegment{Text: shortLink(u), URL: u}
		if open != nil {
			link.OnTapped = func() { open(u) }
		}
		segs = append(segs, link)
		last = end
	}
	plain(text[last:])
	if len(segs) == 0 {
		plain(" ")
	}
	return segs
}

// shortLink shows a link as host and the start of its path, so that a long
// address does not push the text out of a narrow column.
func shortLink(u *url.URL) string {
	s := strings.TrimPrefix(u.Host, "www.") + u.EscapedPath()
	if u.RawQuery != "" {
		s += "?" + u.RawQuery
	}
	s = strings.TrimSuffix(s, "/")
	if r := []rune(s); len(r) > 32 {
		s = string(r[:31]) + "…"
	}
	return s
}

// safeLink parses raw and accepts only http(s) URLs with a host.
func safeLink(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, false
	}
	return u, true
}

// displayText is what a list row shows of a post: who boosted it or what
// it answers, then its text, or only its content warning while the text is
// hidden behind it.
func displayText(loc *translations.Localizer, p feeds.Post) string {
	lines := contextLines(loc, p)
	switch {
	case p.ContentWarning != "":
		lines = append(lines, "⚠ "+loc.T("post.content_warning", "Warning", p.ContentWarning))
	case p.Text != "":
		lines = append(lines, p.Text)
	}
	if p.Quote != nil {
		lines = append(lines, "❝ "+p.Quote.Author+": "+strings.Join(strings.Fields(p.Quote.Text), " "))
	}
	return strings.Join(lines, "\n")
}

// contextLines say why a post is in the timeline: a notification, a
// repost, a reply.
func contextLines(loc *translations.Localizer, p feeds.Post) []string {
	var lines []string
	switch {
	case p.Notification != "":
		lines = append(lines, loc.T("notification."+p.Notification, "Name", p.Author))
	case p.RepostedBy != "":
		lines = append(lines, "↻ "+loc.T("post.reposted_by", "Name", p.RepostedBy))
	}
	if p.ReplyToAuthor != "" {
		lines = append(lines, loc.T("post.replying_to", "Name", p.ReplyToAuthor))
	}
	return lines
}

func postFooter(loc *translations.Localizer, p feeds.Post) string {
	parts := []string{}
	if p.Lang != "" {
		parts = append(parts, strings.ToUpper(p.Lang))
	}
	if n := len(p.Media); n > 0 {
		parts = append(parts, loc.N("post.media", n))
	}
	parts = append(parts,
		loc.N("post.replies", p.Counts.Replies),
		loc.N("post.reposts", p.Counts.Reposts),
		loc.N("post.likes", p.Counts.Likes))
	return strings.Join(parts, " · ")
}

// relativeTime says how long ago t was, in a few characters.
func relativeTime(loc *translations.Localizer, now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return loc.T("time.now")
	case d < time.Hour:
		return loc.N("time.minutes", int(d/time.Minute))
	case d < 24*time.Hour:
		return loc.N("time.hours", int(d/time.Hour))
	case d < 7*24*time.Hour:
		return loc.N("time.days", int(d/(24*time.Hour)))
	}
	return absoluteDate(loc, t.Local())
}

func absoluteDate(loc *translations.Localizer, t time.Time) string {
	return loc.T("time.date", "Day", t.Day(), "Month", loc.T("month."+strconv.Itoa(int(t.Month()))),
		"MonthNum", int(t.Month()), "Year", t.Year())
}

// absoluteTime renders t in full, for details.
func absoluteTime(loc *translations.Localizer, t time.Time) string {
	return loc.T("time.datetime", "Date", absoluteDate(loc, t), "Time", t.Format("15:04"), "Zone", t.Format("MST"))
}
