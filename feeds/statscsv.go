package feeds

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// CSVHeader names the columns of Reach.WriteCSV.
var CSVHeader = []string{"mission", "series", "account", "time", "item", "value"}

// Rows returns every series of r as CSV rows (without the header): the
// audience of each account (followers, following, posts), each own post's
// replies, reposts and likes (at its publication time) and every sample of
// them (seen_replies, seen_reposts, seen_likes at the time seen), the
// publications of each week with the target, the average engagement per
// hour of publication, the bilingual posts and the last seven days against
// the target. Times are RFC 3339 in UTC, numbers plain.
func (r Reach) Rows() [][]string {
	var rows [][]string
	add := func(series, account string, at time.Time, item, value string) {
		ts := ""
		if !at.IsZero() {
			ts = at.UTC().Format(time.RFC3339)
		}
		rows = append(rows, []string{r.Mission, series, account, ts, item, value})
	}
	for _, a := range r.Audience {
		add("followers", a.Account, a.At, "", strconv.Itoa(a.Followers))
		add("following", a.Account, a.At, "", strconv.Itoa(a.Following))
		add("account_posts", a.Account, a.At, "", strconv.Itoa(a.Posts))
	}
	for _, p := range r.Posts {
		add("replies", p.Account, p.CreatedAt, p.PostID, strconv.Itoa(p.Counts.Replies))
		add("reposts", p.Account, p.CreatedAt, p.PostID, strconv.Itoa(p.Counts.Reposts))
		add("likes", p.Account, p.CreatedAt, p.PostID, strconv.Itoa(p.Counts.Likes))
	}
	for _, p := range r.Posts {
		for _, h := range p.History {
			add("seen_replies", p.Account, h.At, p.PostID, strconv.Itoa(h.Counts.Replies))
			add("seen_reposts", p.Account, h.At, p.PostID, strconv.Itoa(h.Counts.Reposts))
			add("seen_likes", p.Account, h.At, p.PostID, strconv.Itoa(h.Counts.Likes))
		}
	}
	for _, w := range r.Weeks {
		add("week_posts", "", w.Start, "", strconv.Itoa(w.Posts))
	}
	add("target_min", "", time.Time{}, "", strconv.Itoa(r.Target.Min))
	add("target_max", "", time.Time{}, "", strconv.Itoa(r.Target.Max))
	add("last_seven_days", "", r.Until, "", strconv.Itoa(r.LastSeven))
	for _, h := range r.Hours {
		add("hour_posts", "", time.Time{}, strconv.Itoa(h.Hour), strconv.Itoa(h.Posts))
		add("hour_engagement", "", time.Time{}, strconv.Itoa(h.Hour), strconv.FormatFloat(h.Average(), 'f', 2, 64))
	}
	add("bilingual_posts", "", time.Time{}, "", strconv.Itoa(r.Bilingual.Posts))
	add("bilingual_both", "", time.Time{}, "", strconv.Itoa(r.Bilingual.Both))
	return rows
}

// WriteCSV writes the header and the rows of every report.
func WriteCSV(w io.Writer, reports ...Reach) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, r := range reports {
		if err := cw.WriteAll(r.Rows()); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
