package app

import (
	"image"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/feeds"
	"chancery/translations"
)

// bodyLines is how many lines of its text a post shows in a column; the
// detail view shows all of it. Rows all have the same height, so a column
// never measures text to lay out its list.
const bodyLines = 3

// postRow is the reusable list item that shows one post: its author and
// age, the start of its text, and a footer, in a fixed height.
type postRow struct {
	widget.BaseWidget
	author *textBlock
	when   *textBlock
	body   *textBlock
	footer *textBlock
	focus  *canvas.Rectangle // shows the keyboard's place in the list
	onTap  func()            // opens the post (set by the list)
	// ink draws the text of all four blocks that can be drawn glyph by
	// glyph, in one texture: a window paints a few dozen rows, and each
	// texture drawn costs the OpenGL driver about as much as its pixels.
	ink *canvas.Raster

	heights [3]float32 // of the header, body and footer
}

func newPostRow() *postRow {
	r := &postRow{
		author: newTextBlock(1, fyne.TextStyle{Bold: true}, theme.SizeNameText, theme.ColorNameForeground),
		when:   newTextBlock(1, fyne.TextStyle{}, theme.SizeNameText, theme.ColorNameDisabled),
		body:   newTextBlock(bodyLines, fyne.TextStyle{}, theme.SizeNameText, theme.ColorNameForeground),
		footer: newTextBlock(1, fyne.TextStyle{}, theme.SizeNameCaptionText, theme.ColorNameDisabled),
		focus:  canvas.NewRectangle(theme.Color(theme.ColorNameFocus)),
	}
	r.ink = canvas.NewRaster(r.draw)
	for _, b := range r.blocks() {
		b.inked = r.ink.Refresh
	}
	r.focus.Hide()
	r.ExtendBaseWidget(r)
	r.measure()
	return r
}

func (r *postRow) blocks() [4]*textBlock { return [4]*textBlock{r.author, r.when, r.body, r.footer} }

// draw is the row's text, w × h pixels, for ink.
func (r *postRow) draw(w, h int) image.Image {
	img := scratchImage(w, h)
	size := r.ink.Size()
	if w <= 0 || size.Width <= 0 {
		return img
	}
	scale := float32(w) / size.Width
	if c := fyne.CurrentApp().Driver().CanvasForObject(r); c != nil {
		scale = c.Scale()
	}
	for _, b := range r.blocks() {
		b.drawInto(img, b.Position(), scale)
	}
	return img
}

// rowScratch holds the pixels rows are drawn into. Painters copy a
// raster's image into a texture as soon as it is made, one raster at a
// time on the UI goroutine, so rows share one image instead of leaving a
// new one to the collector at every draw.
var rowScratch []uint8

// scratchImage is a blank w × h image over rowScratch, valid until the
// next call.
func scratchImage(w, h int) *image.RGBA {
	n := 4 * max(w, 0) * max(h, 0)
	if cap(rowScratch) < n {
		rowScratch = make([]uint8, n)
	}
	pix := rowScratch[:n]
	clear(pix)
	return &image.RGBA{Pix: pix, Stride: 4 * max(w, 0), Rect: image.Rect(0, 0, max(w, 0), max(h, 0))}
}

// measure finds the fixed heights: one line of header, bodyLines lines of
// text and one line of footer.
func (r *postRow) measure() {
	r.heights = [3]float32{r.author.MinSize().Height, r.body.MinSize().Height, r.footer.MinSize().Height}
}

// Tapped opens the post the row shows.
func (r *postRow) Tapped(*fyne.PointEvent) {
	if r.onTap != nil {
		r.onTap()
	}
}

func (r *postRow) CreateRenderer() fyne.WidgetRenderer {
	return &postRowRenderer{row: r, objects: []fyne.CanvasObject{r.focus, r.ink, r.author, r.when, r.body, r.footer}}
}

// rowHeight is the height of every post row.
func (r *postRow) rowHeight() float32 { return r.heights[0] + r.heights[1] + r.heights[2] }

// set shows e, as it is at now, with the keyboard focus on it or not, in a
// row width wide. Only the labels whose text changed are laid out again.
func (r *postRow) set(e entry, loc *translations.Localizer, now time.Time, focused bool, width float32) {
	r.author.SetText(e.Post.Author)
	if when := relativeTime(loc, now, e.Post.CreatedAt); when != r.when.text {
		r.when.SetText(when)
		r.place(r.Size()) // the author's width changes with it
	}
	r.body.SetText(cutRunes(rowText(loc, e), fitChars(width)))
	r.footer.SetText(postFooter(loc, e.Post))
	if focused != r.focus.Visible() {
		r.focus.Hidden = !focused
		r.focus.Refresh()
	}
}

// fitChars is more characters than bodyLines lines of width can show, so
// that a row never lays out text it cannot show: a character is at least
// a third of the text size wide.
func fitChars(width float32) int {
	if width <= 0 {
		return rowChars
	}
	return min(rowChars, int(bodyLines*width/(theme.TextSize()/3))+bodyLines)
}

// cutRunes cuts s to n characters, ending with "…" when cut.
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

type postRowRenderer struct {
	row     *postRow
	objects []fyne.CanvasObject
}

func (rr *postRowRenderer) Layout(size fyne.Size) { rr.row.place(size) }

// place lays the row out in size: the age at the top right, as wide as
// it needs, the author left of it, then the text and the footer.
func (r *postRow) place(size fyne.Size) {
	r.focus.Resize(size)
	r.focus.Move(fyne.NewPos(0, 0))
	r.ink.Resize(size)
	r.ink.Move(fyne.NewPos(0, 0))
	whenW := r.when.naturalWidth()
	r.when.Resize(fyne.NewSize(whenW, r.heights[0]))
	r.when.Move(fyne.NewPos(size.Width-whenW, 0))
	r.author.Resize(fyne.NewSize(max(size.Width-whenW, 0), r.heights[0]))
	r.author.Move(fyne.NewPos(0, 0))
	r.body.Resize(fyne.NewSize(size.Width, r.heights[1]))
	r.body.Move(fyne.NewPos(0, r.heights[0]))
	r.footer.Resize(fyne.NewSize(size.Width, r.heights[2]))
	r.footer.Move(fyne.NewPos(0, r.heights[0]+r.heights[1]))
}

func (rr *postRowRenderer) MinSize() fyne.Size {
	return fyne.NewSize(rr.row.when.naturalWidth()*2, rr.row.rowHeight())
}

func (rr *postRowRenderer) Refresh() {
	rr.row.focus.FillColor = theme.Color(theme.ColorNameFocus)
	rr.row.focus.Refresh()
	for _, o := range rr.objects[1:] {
		o.Refresh()
	}
}

func (rr *postRowRenderer) Objects() []fyne.CanvasObject { return rr.objects }
func (rr *postRowRenderer) Destroy()                     {}

// entry is a post as a column holds it, with the start of its text made
// ready for a row off the UI goroutine.
type entry struct {
	feeds.Post
	text  string // the post's text (or content warning) for a row
	quote string // the quoted post's text for a row
}

// rowChars bounds the text a row lays out: more than bodyLines lines of
// the widest column.
const rowChars = 400

// newEntry prepares p for a row: links shortened, blank lines and runs of
// spaces folded, and cut to rowChars characters.
func newEntry(p feeds.Post) entry {
	e := entry{Post: p, text: clampText(shortenLinks(p.Text), rowChars)}
	if p.Quote != nil {
		e.quote = clampText(p.Quote.Author+": "+p.Quote.Text, rowChars/2)
	}
	return e
}

// rowText is what a row shows of a post: why it is in the timeline, then
// its text (or only its content warning) and what it quotes.
func rowText(loc *translations.Localizer, e entry) string {
	lines := contextLines(loc, e.Post)
	switch {
	case e.Post.ContentWarning != "":
		lines = append(lines, "⚠ "+loc.T("post.content_warning", "Warning", clampText(e.Post.ContentWarning, rowChars)))
	case e.text != "":
		lines = append(lines, e.text)
	}
	if e.quote != "" {
		lines = append(lines, "❝ "+e.quote)
	}
	return strings.Join(lines, "\n")
}

// shortenLinks shows each web link in text as shortLink does.
func shortenLinks(text string) string {
	return linkPattern.ReplaceAllStringFunc(text, func(raw string) string {
		trimmed := strings.TrimRight(raw, ".,;:!?)»”'")
		u, ok := safeLink(trimmed)
		if !ok {
			return raw
		}
		return shortLink(u) + raw[len(trimmed):]
	})
}

// clampText folds whitespace (keeping single line breaks) and cuts text to
// at most n characters, ending with "…" when cut.
func clampText(text string, n int) string {
	var b strings.Builder
	count := 0
	for line := range strings.Lines(text) {
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		for i, w := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			if count += utf8.RuneCountInString(w) + 1; count > n {
				r := []rune(b.String())
				return string(r[:min(len(r), n)]) + "…"
			}
		}
	}
	return b.String()
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

// safeLink is the one rule for links a user may open: feeds.SafeLink.
func safeLink(raw string) (*url.URL, bool) { return feeds.SafeLink(raw) }

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
