// Package translations holds every user-visible string of Chancery as go-i18n
// TOML message files, embedded in the binary, and a small Localizer over them.
package translations

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var files embed.FS

// supported lists the UI languages, English first (the fallback).
var supported = []language.Tag{
	language.English,
	language.French,
	language.German,
	language.Dutch,
	language.SimplifiedChinese,
}

// Supported returns the tags of the UI languages ("en", "fr", "de", "nl", "zh-Hans").
func Supported() []string {
	out := make([]string, len(supported))
	for i, t := range supported {
		out[i] = t.String()
	}
	return out
}

// bundles holds, by language, its messages over English's (the fallback),
// each parsed on first use: a window speaks one language, and parsing all
// of them took a tenth of its start. A bundle is not changed once made,
// so that Localizers may use it from any goroutine.
var bundles = struct {
	sync.Mutex
	m map[string]*i18n.Bundle
}{m: map[string]*i18n.Bundle{}}

// bundle returns the messages of lang, a supported tag, and English.
func bundle(lang string) (*i18n.Bundle, error) {
	bundles.Lock()
	defer bundles.Unlock()
	if b, ok := bundles.m[lang]; ok {
		return b, nil
	}
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	tags := []string{language.English.String()}
	if lang != tags[0] {
		tags = append(tags, lang)
	}
	for _, tag := range tags {
		names, err := LocaleFiles(files, "locales", tag)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := files.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
			if _, err := b.ParseMessageFileBytes(data, name); err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
		}
	}
	bundles.m[lang] = b
	return b, nil
}

// LocaleFiles lists the message files of one language in dir of fsys: the
// main file "<tag>.toml" and each area's "<area>.<tag>.toml", sorted.
func LocaleFiles(fsys fs.FS, dir, tag string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if n == tag+".toml" || strings.HasSuffix(n, "."+tag+".toml") {
			out = append(out, path.Join(dir, n))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no message file for %s in %s", tag, dir)
	}
	return out, nil
}

// Match returns the supported language closest to the given BCP 47 tags or
// POSIX locales ("fr_CA.UTF-8"), English when none fits.
func Match(prefs ...string) string {
	tags := make([]language.Tag, 0, len(prefs))
	for _, p := range prefs {
		p, _, _ = strings.Cut(p, ".")
		p, _, _ = strings.Cut(p, "@")
		p = strings.ReplaceAll(p, "_", "-")
		if p == "" || p == "C" || p == "POSIX" {
			continue
		}
		if t, err := language.Parse(p); err == nil {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return language.English.String()
	}
	_, idx, conf := language.NewMatcher(supported).Match(tags...)
	if conf == language.No {
		return language.English.String()
	}
	return supported[idx].String()
}

// FromEnvironment returns the UI language the process environment asks for
// (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as POSIX systems define it.
func FromEnvironment() string {
	var prefs []string
	if l := os.Getenv("LANGUAGE"); l != "" {
		prefs = append(prefs, strings.Split(l, ":")...)
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			prefs = append(prefs, l)
			break
		}
	}
	return Match(prefs...)
}

// Localizer renders messages in one language.
type Localizer struct {
	lang string
	loc  *i18n.Localizer
}

// New returns a Localizer for lang (any tag; the closest supported one is used).
func New(lang string) *Localizer {
	lang = Match(lang)
	b, err := bundle(lang)
	if err != nil {
		// The files are embedded and checked by tests; this is a build defect.
		panic(err)
	}
	return &Localizer{lang: lang, loc: i18n.NewLocalizer(b, lang, "en")}
}

// Lang returns the language tag this Localizer speaks.
func (l *Localizer) Lang() string { return l.lang }

// T returns message id, filled with data (name/value pairs).
func (l *Localizer) T(id string, data ...any) string {
	return l.render(id, nil, data)
}

// N returns the plural form of message id for count; data may add fields,
// and {{.Count}} is always available, written as the language writes
// numbers ("1,310", "1 310", "1.310"); the plural form follows count.
func (l *Localizer) N(id string, count int, data ...any) string {
	return l.render(id, count, data)
}

func (l *Localizer) render(id string, count any, data []any) string {
	fields := map[string]any{}
	for i := 0; i+1 < len(data); i += 2 {
		if k, ok := data[i].(string); ok {
			fields[k] = data[i+1]
		}
	}
	if n, ok := count.(int); ok {
		fields["Count"] = l.Integer(n)
	} else if count != nil {
		fields["Count"] = count
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: fields, PluralCount: count})
	if err != nil {
		slog.Warn("missing translation", "id", id, "lang", l.lang, "err", err)
		if s == "" {
			return id
		}
	}
	return s
}
