package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // register decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// BlobStore keeps fetched images between runs, within a size budget.
// Implemented by storage.
type BlobStore interface {
	// Blob returns a copy of the bytes under key, and whether there are any.
	Blob(key string) ([]byte, bool, error)
	// PutBlob stores data under key, evicting older blobs as needed.
	PutBlob(key string, data []byte) error
}

// Defaults of a MediaCache.
const (
	DefaultMediaTimeout = 15 * time.Second
	DefaultMaxImageSize = 2 << 20
	// MediaFailureMemory is how long a failed fetch is remembered: the same
	// URL is not fetched again before then.
	MediaFailureMemory = 5 * time.Minute
	// maxImagePixels refuses images whose decoding would take too much memory.
	maxImagePixels = 40 << 20
	// maxFailures bounds the remembered failures before expired ones are swept.
	maxFailures = 512
)

// imageTypes are the sniffed content types an image may have. SVG is not
// among them: it can carry scripts.
var imageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// MediaCache fetches avatars and post images once and serves them from a
// BlobStore afterwards, offline included. Concurrent requests for one URL
// share a fetch; a failed fetch is remembered for MediaFailureMemory. It is
// safe for concurrent use.
type MediaCache struct {
	store   BlobStore
	client  *http.Client
	timeout time.Duration
	maxSize int64
	now     func() time.Time

	mu       sync.Mutex
	inflight map[string]*flight
	failed   map[string]failure
}

// flight is one fetch and the callers waiting for it.
type flight struct {
	done    chan struct{}
	data    []byte
	err     error
	waiters int                // callers still waiting; at zero the fetch is cancelled
	cancel  context.CancelFunc // cancels the fetch
}

type failure struct {
	err   error
	until time.Time
}

// MediaOption configures a MediaCache.
type MediaOption func(*MediaCache)

// WithMediaClient sets the HTTP client (default: one that refuses redirects
// to plain http on other than loopback hosts).
func WithMediaClient(c *http.Client) MediaOption { return func(m *MediaCache) { m.client = c } }

// WithMediaTimeout sets the time limit of one fetch (default 15 s).
func WithMediaTimeout(d time.Duration) MediaOption { return func(m *MediaCache) { m.timeout = d } }

// WithMaxImageSize sets the largest image accepted, in bytes (default 2 MiB).
func WithMaxImageSize(n int64) MediaOption { return func(m *MediaCache) { m.maxSize = n } }

// WithMediaClock sets the clock that times remembered failures.
func WithMediaClock(now func() time.Time) MediaOption { return func(m *MediaCache) { m.now = now } }

// NewMediaCache returns a cache of images kept in store. Options left zero
// keep their defaults.
func NewMediaCache(store BlobStore, opts ...MediaOption) *MediaCache {
	m := &MediaCache{store: store, inflight: map[string]*flight{}, failed: map[string]failure{}}
	for _, o := range opts {
		o(m)
	}
	if m.client == nil {
		m.client = &http.Client{CheckRedirect: checkMediaRedirect}
	}
	if m.timeout <= 0 {
		m.timeout = DefaultMediaTimeout
	}
	if m.maxSize <= 0 {
		m.maxSize = DefaultMaxImageSize
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m
}

// mediaKey returns the store key of an image URL: the hex SHA-256 of the
// URL without its fragment.
func mediaKey(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment = "", ""
	sum := sha256.Sum256([]byte(v.String()))
	return hex.EncodeToString(sum[:])
}

// Image returns the bytes of the PNG, JPEG, GIF or WebP image at rawURL:
// from the store if it is there (so offline too), else fetched, checked and
// stored. Only https URLs are fetched, or http on loopback hosts
// (ErrInsecureURL, ErrBadURL). Anything but one of those images is refused
// with ErrBadResponse, more than the size limit with ErrTooLarge. A URL that
// failed in the last MediaFailureMemory gets the same error without a new
// request. If ctx ends first, its error is returned.
func (m *MediaCache) Image(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := FetchableURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("image %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key := mediaKey(u)
	if data, ok, err := m.store.Blob(key); err != nil {
		return nil, fmt.Errorf("cached image %s: %w", u.Redacted(), err)
	} else if ok {
		return data, nil
	}
	f, err := m.join(ctx, key, u)
	if err != nil {
		return nil, err
	}
	select {
	case <-f.done:
		if f.err != nil {
			return nil, f.err
		}
		return bytes.Clone(f.data), nil
	case <-ctx.Done():
		m.leave(f)
		return nil, ctx.Err()
	}
}

// ForgetFailures clears the remembered failures, so that every URL may be
// fetched again (for example when the network comes back).
func (m *MediaCache) ForgetFailures() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.failed)
}

// join returns the fetch of key in flight, starting one if there is none;
// it returns a remembered failure instead if there is one.
func (m *MediaCache) join(ctx context.Context, key string, u *url.URL) (*flight, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.inflight[key]; ok && f.waiters > 0 {
		f.waiters++
		return f, nil
	}
	if fail, ok := m.failed[key]; ok {
		if m.now().Before(fail.until) {
			return nil, fail.err
		}
		delete(m.failed, key)
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.timeout)
	f := &flight{done: make(chan struct{}), waiters: 1, cancel: cancel}
	m.inflight[key] = f
	go m.run(fctx, f, key, u)
	return f, nil
}

// leave withdraws a waiter from f, cancelling the fetch when none is left.
func (m *MediaCache) leave(f *flight) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f.waiters--; f.waiters == 0 {
		f.cancel()
	}
}

// run fetches key, records the outcome in f and remembers a failure, unless
// the fetch was cancelled because nobody waits for it any more.
func (m *MediaCache) run(ctx context.Context, f *flight, key string, u *url.URL) {
	defer f.cancel()
	data, err := m.fetch(ctx, key, u)
	m.mu.Lock()
	if m.inflight[key] == f {
		delete(m.inflight, key)
	}
	if err != nil && !errors.Is(ctx.Err(), context.Canceled) {
		m.remember(key, err)
	}
	f.data, f.err = data, err
	m.mu.Unlock()
	close(f.done)
}

// remember records a failure of key; the caller holds m.mu.
func (m *MediaCache) remember(key string, err error) {
	now := m.now()
	if len(m.failed) >= maxFailures {
		for k, fail := range m.failed {
			if !now.Before(fail.until) {
				delete(m.failed, k)
			}
		}
	}
	m.failed[key] = failure{err: err, until: now.Add(MediaFailureMemory)}
}

// fetch downloads, checks and stores the image at u, unless a fetch that
// ended just before this one started has stored it already.
func (m *MediaCache) fetch(ctx context.Context, key string, u *url.URL) ([]byte, error) {
	if data, ok, err := m.store.Blob(key); err == nil && ok {
		return data, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w: %w", u.Redacted(), ErrBadURL, err)
	}
	req.Header.Set("Accept", "image/png, image/jpeg, image/gif, image/webp")
	body, header, err := Do(m.client, req, m.maxSize)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	if err := checkImage(header.Get("Content-Type"), body); err != nil {
		return nil, fmt.Errorf("image %s: %w", u.Redacted(), err)
	}
	if err := m.store.PutBlob(key, body); err != nil {
		return nil, fmt.Errorf("cache image %s: %w", u.Redacted(), err)
	}
	return body, nil
}

// checkMediaRedirect follows at most five redirects, none of them to an
// address FetchableURL refuses.
func checkMediaRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return fmt.Errorf("more than 5 redirects: %w", ErrBadResponse)
	}
	_, err := FetchableURL(req.URL.String())
	return err
}

// checkImage accepts a PNG, JPEG, GIF or WebP image: declared as an image
// by the server, recognised by its first bytes, and of a sane pixel count.
func checkImage(contentType string, body []byte) error {
	declared, _, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(declared, "image/") {
		return fmt.Errorf("content type %q is not an image: %w", contentType, ErrBadResponse)
	}
	sniffed := http.DetectContentType(body)
	if !imageTypes[sniffed] {
		return fmt.Errorf("declared %s, content is %s: %w", declared, sniffed, ErrBadResponse)
	}
	var w, h int
	if sniffed == "image/webp" {
		w, h, err = webpSize(body)
	} else {
		var cfg image.Config
		cfg, _, err = image.DecodeConfig(bytes.NewReader(body))
		w, h = cfg.Width, cfg.Height
	}
	switch {
	case err != nil:
		return fmt.Errorf("unreadable %s: %w: %w", sniffed, ErrBadResponse, err)
	case w <= 0 || h <= 0 || int64(w)*int64(h) > maxImagePixels:
		return fmt.Errorf("%s of %d×%d pixels: %w", sniffed, w, h, ErrBadResponse)
	}
	return nil
}

// webpSize reads the dimensions of a WebP image from the header of its
// first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended).
func webpSize(b []byte) (w, h int, err error) {
	le24 := func(p []byte) int { return int(p[0]) | int(p[1])<<8 | int(p[2])<<16 }
	if len(b) < 30 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return 0, 0, errors.New("short webp header")
	}
	switch string(b[12:16]) {
	case "VP8X":
		return 1 + le24(b[24:27]), 1 + le24(b[27:30]), nil
	case "VP8L":
		if b[20] != 0x2f {
			return 0, 0, errors.New("bad vp8l signature")
		}
		bits := binary.LittleEndian.Uint32(b[21:25])
		return 1 + int(bits&0x3fff), 1 + int(bits>>14&0x3fff), nil
	case "VP8 ":
		if !bytes.Equal(b[23:26], []byte{0x9d, 0x01, 0x2a}) {
			return 0, 0, errors.New("bad vp8 start code")
		}
		le := binary.LittleEndian
		return int(le.Uint16(b[26:28]) & 0x3fff), int(le.Uint16(b[28:30]) & 0x3fff), nil
	}
	return 0, 0, fmt.Errorf("unknown webp chunk %q", b[12:16])
}
