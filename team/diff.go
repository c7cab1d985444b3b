package team

import (
	"fmt"
	"slices"
	"strings"
)

// Op is what a diff line does.
type Op int

// Diff line operations.
const (
	Same Op = iota
	Added
	Removed
)

// Line is one line of a diff.
type Line struct {
	Op   Op
	Text string
}

// LangDiff is the difference between two revisions in one language.
type LangDiff struct {
	Lang  string
	Lines []Line
}

// Changed reports whether the language's text differs.
func (d LangDiff) Changed() bool {
	return slices.ContainsFunc(d.Lines, func(l Line) bool { return l.Op != Same })
}

// Diff returns, language by language, what changed in the post's text
// from revision from to revision to (line by line). Revision 0 is the
// empty post, so Diff(post, 0, 1) shows the first revision as added.
func (s *Service) Diff(post string, from, to int) ([]LangDiff, error) {
	it, err := s.Item(post)
	if err != nil {
		return nil, err
	}
	a, err := revision(it, from)
	if err != nil {
		return nil, err
	}
	b, err := revision(it, to)
	if err != nil {
		return nil, err
	}
	var langs []string
	for _, v := range append(slices.Clone(a.Content.Variants), b.Content.Variants...) {
		if !slices.Contains(langs, v.Lang) {
			langs = append(langs, v.Lang)
		}
	}
	out := make([]LangDiff, 0, len(langs))
	for _, lang := range langs {
		out = append(out, LangDiff{Lang: lang, Lines: diffLines(text(a, lang), text(b, lang))})
	}
	return out, nil
}

func revision(it Item, n int) (Revision, error) {
	if n == 0 {
		return Revision{}, nil
	}
	for _, r := range it.Revisions {
		if r.Number == n {
			return r, nil
		}
	}
	return Revision{}, fmt.Errorf("post %s revision %d: %w", it.Post, n, ErrNoPost)
}

func text(r Revision, lang string) []string {
	for _, v := range r.Content.Variants {
		if v.Lang == lang && v.Text != "" {
			return strings.Split(v.Text, "\n")
		}
	}
	return nil
}

// diffLines is a longest-common-subsequence line diff; posts are short,
// so its quadratic table stays small.
func diffLines(a, b []string) []Line {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Line
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, Line{Same, a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, Line{Removed, a[i]})
			i++
		default:
			out = append(out, Line{Added, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, Line{Removed, a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, Line{Added, b[j]})
	}
	return out
}
