package cli

import (
	"slices"
	"strings"
	"time"

	"chancery/feeds"
)

// column is one CSV column of a kind of record.
type column struct {
	name  string
	value func(feeds.Record) string
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Columns both kinds of record begin with, then those of each kind; the
// names are the JSON field names.
var (
	commonColumns = []column{
		{"account", func(r feeds.Record) string { return r.Account }},
		{"mission", func(r feeds.Record) string { return r.Mission }},
		{"network", func(r feeds.Record) string { return string(r.Network) }},
		{"account_handle", func(r feeds.Record) string { return r.Handle }},
		{"remote_id", func(r feeds.Record) string { return r.RemoteID }},
		{"url", func(r feeds.Record) string { return r.URL }},
		{"at", func(r feeds.Record) string { return csvTime(r.At) }},
		{"lang", func(r feeds.Record) string { return r.Lang }},
		{"text", func(r feeds.Record) string { return r.Text }},
		{"content_warning", func(r feeds.Record) string { return r.Warning }},
		{"reply_to", func(r feeds.Record) string { return r.ReplyTo }},
	}
	publishedColumns = []column{
		{"writer", func(r feeds.Record) string { return r.Writer }},
		{"draft", func(r feeds.Record) string { return r.DraftID }},
		{"outbox_entry", func(r feeds.Record) string { return r.EntryID }},
		{"visibility", func(r feeds.Record) string { return r.Visibility }},
		{"scheduled_at", func(r feeds.Record) string { return csvTime(r.ScheduledAt) }},
		{"zone", func(r feeds.Record) string { return r.Zone }},
		{"media", mediaCell},
	}
	receivedColumns = []column{
		{"author", func(r feeds.Record) string { return r.Author }},
		{"author_handle", func(r feeds.Record) string { return r.AuthorHandle }},
		{"notification", func(r feeds.Record) string { return r.Notification }},
		{"post_id", func(r feeds.Record) string { return r.PostID }},
		{"media_urls", func(r feeds.Record) string { return strings.Join(r.MediaURLs, " ") }},
	}
	recordedColumn = column{"recorded_at", func(r feeds.Record) string { return csvTime(r.Recorded) }}
)

// mediaCell lists a published post's images as "name: description", one
// per line.
func mediaCell(r feeds.Record) string {
	lines := make([]string, 0, len(r.Media))
	for _, m := range r.Media {
		lines = append(lines, m.Name+": "+m.Alt)
	}
	return strings.Join(lines, "\n")
}

// columnsByKind are the columns of each kind's CSV file.
var columnsByKind = map[feeds.RecordKind][]column{
	feeds.RecordPublished: slices.Concat(commonColumns, publishedColumns, []column{recordedColumn}),
	feeds.RecordReceived:  slices.Concat(commonColumns, receivedColumns, []column{recordedColumn}),
}

func columnsOf(kind feeds.RecordKind) []column { return columnsByKind[kind] }

// recordColumns is the header row of a kind's CSV file.
func recordColumns(kind feeds.RecordKind) []string {
	cols := columnsOf(kind)
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}

// recordRow is r's row in its kind's CSV file.
func recordRow(r feeds.Record) []string {
	cols := columnsOf(r.Kind)
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = inertCell(c.value(r))
	}
	return out
}

// inertCell keeps a spreadsheet from running a cell as a formula: text that
// outsiders wrote ("=HYPERLINK(…)" in a reply) is prefixed with an
// apostrophe, which spreadsheets show as text. The JSON files keep every
// text exactly as it was written.
func inertCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
