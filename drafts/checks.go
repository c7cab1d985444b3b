package drafts

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"chancery/accounts"
	"chancery/feeds"
	"chancery/translations"
)

// TargetError is a check that refused one post of a draft: it names the
// account (its handle and mission) and the language, so that the user knows
// which variant on which account to change.
type TargetError struct {
	Account accounts.Account
	Mission accounts.Mission // zero when it could not be found
	Lang    string
	Err     error
}

func (e *TargetError) Error() string {
	return fmt.Sprintf("%s (%s), %s: %v", e.handle(), e.Account.Mission, e.Lang, e.Err)
}

func (e *TargetError) Unwrap() error { return e.Err }

func (e *TargetError) handle() string {
	switch {
	case e.Account.Handle != "":
		return e.Account.Handle
	case e.Account.DisplayName != "":
		return e.Account.DisplayName
	}
	return e.Account.ID
}

// Explain implements translations.Explainer.
func (e *TargetError) Explain(l *translations.Localizer) string {
	mission := e.Account.Mission
	if e.Mission.ID != "" {
		mission = e.Mission.Name(l.Lang())
	}
	lang := e.Lang
	if slices.Contains(translations.Supported(), lang) {
		lang = l.T("language_name." + lang)
	}
	return l.T("error.target", "Account", e.handle(), "Mission", mission, "Language", lang, "Reason", reason(l, e.Err))
}

// limitError is a limit a post passes, with the figures to show.
type limitError struct {
	used, limit int
	warning     bool   // the content warning counted toward the length
	file        string // the image concerned, if one
	err         error
}

func (e *limitError) Error() string {
	if e.file != "" {
		return fmt.Sprintf("%s: %v", e.file, e.err)
	}
	return fmt.Sprintf("%d of %d: %v", e.used, e.limit, e.err)
}

func (e *limitError) Unwrap() error { return e.err }

// reason words err with its figures.
func reason(l *translations.Localizer, err error) string {
	var le *limitError
	if !errors.As(err, &le) {
		return l.Error(err)
	}
	switch {
	case le.file != "":
		return l.T("error.attachment_file", "File", le.file, "Reason", l.Error(le.err))
	case errors.Is(le.err, ErrTooManyImages):
		return l.N("composer.too_many_images", le.limit)
	case errors.Is(le.err, ErrTooLong) && le.warning:
		return l.T("error.too_long_warning", "Used", le.used, "Limit", le.limit)
	case errors.Is(le.err, ErrTooLong):
		return l.T("error.too_long_count", "Used", le.used, "Limit", le.limit)
	}
	return l.Error(le.err)
}

// MissionLookup finds a mission by id; an AccountLookup that is one lets
// errors name the mission as the user knows it.
type MissionLookup interface {
	Mission(id string) (accounts.Mission, error)
}

// check runs Check's tests on one entry; a refusal is a *TargetError.
func (p NetworkPublisher) check(e Entry) error {
	acct, pub, err := p.resolve(e.Account)
	if err == nil {
		err = checkLength(acct, pub, e)
	}
	if err == nil {
		err = p.checkMedia(acct, e)
	}
	if err == nil {
		return nil
	}
	if acct.ID == "" {
		acct = accounts.Account{ID: e.Account}
	}
	te := &TargetError{Account: acct, Lang: e.Lang, Err: err}
	if ml, ok := p.Accounts.(MissionLookup); ok && acct.Mission != "" {
		te.Mission, _ = ml.Mission(acct.Mission)
	}
	return te
}

// Count is a post's length as its network counts it, against the limit.
type Count struct {
	Used, Limit int
	// Warning: the content warning counts toward the length.
	Warning bool
}

// Over is by how much the post passes its limit (0 when it fits).
func (c Count) Over() int {
	if c.Limit <= 0 {
		return 0
	}
	return max(0, c.Used-c.Limit)
}

// Count counts e as its account's network does, with the content warning
// where the network counts it too: the figures Check refuses a post on.
func (p NetworkPublisher) Count(e Entry) (Count, error) {
	acct, pub, err := p.resolve(e.Account)
	if err != nil {
		return Count{}, err
	}
	return countEntry(acct, pub, e), nil
}

func countEntry(acct accounts.Account, pub feeds.Publisher, e Entry) Count {
	used, limit := pub.Length(acct, e.Text)
	warning := 0
	if wc, ok := pub.(feeds.WarningCounter); ok && e.ContentWarning != "" {
		warning = wc.WarningLength(acct, e.ContentWarning)
	}
	return Count{Used: used + warning, Limit: limit, Warning: warning > 0}
}

// checkLength refuses a post longer than its network allows.
func checkLength(acct accounts.Account, pub feeds.Publisher, e Entry) error {
	if c := countEntry(acct, pub, e); c.Over() > 0 {
		return &limitError{used: c.Used, limit: c.Limit, warning: c.Warning, err: ErrTooLong}
	}
	return nil
}

// mediaLimits returns the image limits of acct's network (its server's,
// where they vary).
func (p NetworkPublisher) mediaLimits(acct accounts.Account) feeds.MediaLimits {
	nw := p.Networks[acct.Network]
	if ml, ok := nw.(feeds.MediaLimiter); ok {
		return ml.MediaLimits(acct)
	}
	if nw == nil {
		return feeds.MediaLimits{}
	}
	return nw.Capabilities().Images
}

// checkMedia refuses images the network cannot take: on a network without
// media, more than it takes, or files it cannot take even re-encoded.
func (p NetworkPublisher) checkMedia(acct accounts.Account, e Entry) error {
	if len(e.Media) == 0 {
		return nil
	}
	if !p.Networks[acct.Network].Capabilities().Media {
		return fmt.Errorf("%s: %w", acct.Network, ErrNoMedia)
	}
	lim := p.mediaLimits(acct)
	if lim.MaxImages > 0 && len(e.Media) > lim.MaxImages {
		return &limitError{used: len(e.Media), limit: lim.MaxImages, err: ErrTooManyImages}
	}
	for _, m := range e.Media {
		if err := checkImage(m.Path, lim); err != nil {
			return &limitError{file: m.displayName(), err: err}
		}
	}
	return nil
}

// checkImage reads an image file's header: it must be an image within the
// source bounds, of a type the network takes as is or as JPEG or PNG.
func checkImage(path string, lim feeds.MediaLimits) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAttachment, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.Size() > MaxSourceBytes {
		if err != nil {
			return fmt.Errorf("%w: %w", ErrAttachment, err)
		}
		return fmt.Errorf("%d bytes: %w", st.Size(), ErrImageTooLarge)
	}
	_, mime, err := inspect(bufio.NewReader(f))
	if err != nil {
		return err
	}
	if !lim.Accepts(mime) && !lim.Accepts("image/jpeg") && !lim.Accepts("image/png") {
		return fmt.Errorf("%s: %w", mime, ErrImageType)
	}
	return nil
}

// readMedia reads the entry's images, each made to fit the limits of the
// account's network, with their descriptions.
func (p NetworkPublisher) readMedia(acct accounts.Account, e Entry) ([]feeds.OutgoingMedia, error) {
	lim := p.mediaLimits(acct)
	var out []feeds.OutgoingMedia
	for _, m := range e.Media {
		data, err := readSource(m.Path)
		mime := ""
		if err == nil {
			data, mime, err = fitImage(data, lim)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Path, err)
		}
		out = append(out, feeds.OutgoingMedia{Name: uploadName(m.Path, mime), MIME: mime, Data: data, Alt: m.Alt})
	}
	return out, nil
}

// uploadName is the file name an image is uploaded under: the copy's, with
// the extension of the type it is sent as.
func uploadName(path, mime string) string {
	name := filepath.Base(path)
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}[mime]
	if ext == "" || strings.EqualFold(filepath.Ext(name), ext) || mime == "image/jpeg" && strings.EqualFold(filepath.Ext(name), ".jpeg") {
		return name
	}
	return strings.TrimSuffix(name, filepath.Ext(name)) + ext
}
