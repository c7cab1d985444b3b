package demo

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"chancery/feeds"
)

//go:embed data/*.json
var dataFS embed.FS

// dataGlob matches the timeline files inside dataFS (and test file systems).
const dataGlob = "data/*.json"

// rawPost is one post exactly as written in a data file.
type rawPost struct {
	ID           string       `json:"id"`
	Author       string       `json:"author"`
	AuthorHandle string       `json:"author_handle"`
	Lang         string       `json:"lang"`
	Text         string       `json:"text"`
	MinutesAgo   int          `json:"minutes_ago"`
	URL          string       `json:"url"`
	ReplyTo      string       `json:"reply_to"`
	Counts       feeds.Counts `json:"counts"`
}

// timeline is one data file: the mission's own handle and its home timeline,
// kept newest first once parsed.
type timeline struct {
	Handle string    `json:"handle"`
	Posts  []rawPost `json:"posts"`
}

// loadEmbedded parses the embedded data once per process.
var loadEmbedded = sync.OnceValues(func() (map[string]timeline, error) {
	return parseAll(dataFS)
})

// Missions lists, sorted, the mission ids that have embedded sample data.
func Missions() []string {
	names, err := fs.Glob(dataFS, dataGlob)
	if err != nil { // only for a malformed pattern, which dataGlob is not
		return nil
	}
	ids := make([]string, 0, len(names))
	for _, name := range names {
		ids = append(ids, missionOf(name))
	}
	slices.Sort(ids)
	return ids
}

// missionOf turns "data/the-hague.json" into "the-hague".
func missionOf(name string) string {
	return strings.TrimSuffix(path.Base(name), ".json")
}

// parseAll reads every timeline file of fsys, keyed by mission id.
func parseAll(fsys fs.FS) (map[string]timeline, error) {
	names, err := fs.Glob(fsys, dataGlob)
	if err != nil {
		return nil, fmt.Errorf("list demo data: %w", err)
	}
	out := make(map[string]timeline, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		tl, err := parseTimeline(b)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		out[missionOf(name)] = tl
	}
	return out, nil
}

// parseTimeline decodes and checks one data file strictly (unknown fields
// and trailing data are errors) and sorts its posts newest first, ties by id.
func parseTimeline(b []byte) (timeline, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var tl timeline
	if err := dec.Decode(&tl); err != nil {
		return timeline{}, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return timeline{}, errors.New("trailing data after timeline object")
	}
	if err := tl.check(); err != nil {
		return timeline{}, err
	}
	slices.SortStableFunc(tl.Posts, func(a, b rawPost) int {
		if a.MinutesAgo != b.MinutesAgo {
			return a.MinutesAgo - b.MinutesAgo
		}
		return strings.Compare(a.ID, b.ID)
	})
	return tl, nil
}

// check enforces what Fetch relies on: a handle, unique non-empty ids,
// non-negative ages and replies that point at a post of the same file.
// Content rules (languages, links) are checked by the package's tests.
func (tl timeline) check() error {
	if strings.TrimSpace(tl.Handle) == "" {
		return errors.New("timeline has no handle")
	}
	ids := make(map[string]bool, len(tl.Posts))
	for _, p := range tl.Posts {
		switch {
		case p.ID == "":
			return errors.New("post without id")
		case ids[p.ID]:
			return fmt.Errorf("post %q: duplicate id", p.ID)
		case p.MinutesAgo < 0:
			return fmt.Errorf("post %q: negative minutes_ago", p.ID)
		}
		ids[p.ID] = true
	}
	for _, p := range tl.Posts {
		if p.ReplyTo != "" && !ids[p.ReplyTo] {
			return fmt.Errorf("post %q: reply_to %q not found", p.ID, p.ReplyTo)
		}
	}
	return nil
}
