package drafts

import (
	"os"
	"os/user"
	"sync"
	"time"

	"chancery/accounts"
	"chancery/feeds"
)

// PublishedRecord is the archive's record of e, an entry published on
// account a, written on this computer by writer, taken at now. A post
// the server held until its time was published at that time.
func PublishedRecord(e Entry, a accounts.Account, writer string, now time.Time) feeds.Record {
	at := e.UpdatedAt
	if e.Where == WhereServer && !e.ScheduledAt.IsZero() && e.ScheduledAt.Before(at) {
		at = e.ScheduledAt
	}
	media := make([]feeds.RecordMedia, 0, len(e.Media))
	for _, m := range e.Media {
		media = append(media, feeds.RecordMedia{Name: m.Name, Alt: m.Alt})
	}
	return feeds.Record{
		Kind: feeds.RecordPublished, Account: e.Account, Mission: a.Mission, Network: a.Network, Handle: a.Handle,
		RemoteID: e.RemoteID, URL: e.URL, At: at.UTC(), Lang: e.Lang, Text: e.Text, Warning: e.ContentWarning,
		ReplyTo: e.ReplyTo, Writer: writer, DraftID: e.DraftID, EntryID: e.ID, Visibility: e.Visibility,
		ScheduledAt: e.ScheduledAt, Zone: e.Zone, Media: media, Recorded: now.UTC(),
	}
}

// Writer is the operating system's name of the user running Chancery:
// who wrote, on this computer, the posts it publishes.
var Writer = sync.OnceValue(func() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name
		}
	}
	return "unknown"
})
