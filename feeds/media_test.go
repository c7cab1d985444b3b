package feeds_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/feeds"
)

// memBlobs is an in-memory feeds.BlobStore.
type memBlobs struct {
	mu    sync.Mutex
	blobs map[string][]byte
}

func (s *memBlobs) Blob(key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.blobs[key]
	return bytes.Clone(b), ok, nil
}

func (s *memBlobs) PutBlob(key string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blobs == nil {
		s.blobs = map[string][]byte{}
	}
	s.blobs[key] = bytes.Clone(data)
	return nil
}

// pngBytes encodes a w×h PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 200, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNG is a 1×1 PNG whose header claims 30000×30000 pixels.
func hugePNG(t testing.TB) []byte {
	b := pngBytes(t, 1, 1)
	binary.BigEndian.PutUint32(b[16:], 30000)
	binary.BigEndian.PutUint32(b[20:], 30000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// webpHeader is the start of a lossless 16×16 WebP image.
func webpHeader() []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00\x2f")
	b = binary.LittleEndian.AppendUint32(b, 15|15<<14)
	return append(b, make([]byte, 16)...)
}

// imageServer serves test images on 127.0.0.1 and counts requests per path.
type imageServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newImageServer(t *testing.T, routes map[string]http.HandlerFunc) *imageServer {
	s := &imageServer{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if h, ok := routes[r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *imageServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// serve answers with a content type and a body.
func serve(contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}
}

func TestMediaCacheContent(t *testing.T) {
	small := pngBytes(t, 8, 8)
	srv := newImageServer(t, map[string]http.HandlerFunc{
		"/a.png":      serve("image/png", small),
		"/webp":       serve("image/webp", webpHeader()),
		"/logo.svg":   serve("image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)),
		"/fake.png":   serve("image/png", []byte("<!DOCTYPE html><html><body>login</body></html>")),
		"/text":       serve("text/plain", small),
		"/untyped":    serve("", small),
		"/huge.png":   serve("image/png", hugePNG(t)),
		"/broken.png": serve("image/png", small[:20]),
		"/big.png":    serve("image/png", append(bytes.Clone(small), make([]byte, 3<<20)...)),
		"/500":        func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
		"/redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://example.com/a.png", http.StatusFound)
		},
	})
	tests := []struct {
		path string
		want error // nil: the image is returned
	}{
		{"/a.png", nil},
		{"/webp", nil},
		{"/logo.svg", feeds.ErrBadResponse},
		{"/fake.png", feeds.ErrBadResponse},
		{"/text", feeds.ErrBadResponse},
		{"/untyped", feeds.ErrBadResponse},
		{"/huge.png", feeds.ErrBadResponse},
		{"/broken.png", feeds.ErrBadResponse},
		{"/big.png", feeds.ErrTooLarge},
		{"/404", feeds.ErrRejected},
		{"/500", feeds.ErrServer},
		{"/redirect", feeds.ErrInsecureURL},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			store := &memBlobs{}
			m := feeds.NewMediaCache(store)
			got, err := m.Image(t.Context(), srv.URL+tt.path)
			if tt.want != nil {
				if !errors.Is(err, tt.want) || got != nil {
					t.Fatalf("Image = %d bytes, %v; want %v", len(got), err, tt.want)
				}
				if len(store.blobs) != 0 {
					t.Error("a refused response was stored")
				}
				return
			}
			if err != nil || len(got) == 0 || len(store.blobs) != 1 {
				t.Fatalf("Image = %d bytes, %v; %d stored", len(got), err, len(store.blobs))
			}
		})
	}
}

func TestMediaCacheRefusesURLsWithoutRequest(t *testing.T) {
	var trips atomic.Int32
	client := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		trips.Add(1)
		return nil, errors.New("no request expected")
	})}
	m := feeds.NewMediaCache(&memBlobs{}, feeds.WithMediaClient(client))
	tests := []struct {
		url  string
		want error
	}{
		{"http://example.com/avatar.png", feeds.ErrInsecureURL},
		{"http://10.0.0.1/avatar.png", feeds.ErrInsecureURL},
		{"ftp://example.com/avatar.png", feeds.ErrBadURL},
		{"data:image/png;base64,iVBORw0KGgo=", feeds.ErrBadURL},
		{"file:///etc/passwd", feeds.ErrBadURL},
		{"https://user:pw@example.com/a.png", feeds.ErrBadURL},
		{"", feeds.ErrBadURL},
		{"/relative.png", feeds.ErrBadURL},
	}
	for _, tt := range tests {
		if _, err := m.Image(t.Context(), tt.url); !errors.Is(err, tt.want) {
			t.Errorf("Image(%q) = %v, want %v", tt.url, err, tt.want)
		}
	}
	if n := trips.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMediaCacheServesOffline(t *testing.T) {
	small := pngBytes(t, 4, 4)
	srv := newImageServer(t, map[string]http.HandlerFunc{"/a.png": serve("image/png", small)})
	m := feeds.NewMediaCache(&memBlobs{})
	url := srv.URL + "/a.png"
	if _, err := m.Image(t.Context(), url); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	got, err := m.Image(t.Context(), url+"#fragment")
	if err != nil || !bytes.Equal(got, small) {
		t.Fatalf("offline Image = %d bytes, %v", len(got), err)
	}
	if n := srv.count("/a.png"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestMediaCacheCoalesces(t *testing.T) {
	small := pngBytes(t, 4, 4)
	srv := newImageServer(t, map[string]http.HandlerFunc{"/a.png": func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		serve("image/png", small)(w, r)
	}})
	m := feeds.NewMediaCache(&memBlobs{})
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if got, err := m.Image(t.Context(), srv.URL+"/a.png"); err != nil || !bytes.Equal(got, small) {
				t.Errorf("Image = %d bytes, %v", len(got), err)
			}
		})
	}
	wg.Wait()
	if n := srv.count("/a.png"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// stallingImages answers /slow only when the client gives up or the test ends;
// gaveUp receives once per abandoned request.
func stallingImages(t *testing.T) (*imageServer, chan struct{}) {
	release, gaveUp := make(chan struct{}), make(chan struct{}, 10)
	srv := newImageServer(t, map[string]http.HandlerFunc{"/slow": func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
			gaveUp <- struct{}{}
		case <-release:
		}
	}})
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	return srv, gaveUp
}

func TestMediaCacheCallerDeadline(t *testing.T) {
	srv, gaveUp := stallingImages(t)
	m := feeds.NewMediaCache(&memBlobs{})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := m.Image(ctx, srv.URL+"/slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Image = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 30*time.Second { // the server never answers: any return is the deadline's
		t.Errorf("Image returned after %s", d)
	}
	waitGaveUp(t, gaveUp)
	// A cancelled fetch is not a failure of the URL: the next call tries again.
	ctx2, cancel2 := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel2()
	if _, err := m.Image(ctx2, srv.URL+"/slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Image = %v", err)
	}
	waitGaveUp(t, gaveUp)
	if n := srv.count("/slow"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// waitGaveUp waits until the fetch of /slow is cancelled.
func waitGaveUp(t *testing.T, gaveUp chan struct{}) {
	t.Helper()
	select {
	case <-gaveUp:
	case <-time.After(time.Minute):
		t.Fatal("the fetch went on after its only caller left")
	}
}

func TestMediaCacheFetchTimeout(t *testing.T) {
	srv, _ := stallingImages(t)
	m := feeds.NewMediaCache(&memBlobs{}, feeds.WithMediaTimeout(50*time.Millisecond))
	for range 2 {
		_, err := m.Image(t.Context(), srv.URL+"/slow")
		if feeds.Classify(err) != feeds.OutcomeUnknown || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Image = %v, want a time-out whose outcome is unknown", err)
		}
	}
	if n := srv.count("/slow"); n != 1 {
		t.Errorf("%d requests, want 1 (the timeout is remembered)", n)
	}
}

func TestMediaCacheRemembersFailures(t *testing.T) {
	srv := newImageServer(t, nil)
	now := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	m := feeds.NewMediaCache(&memBlobs{}, feeds.WithMediaClock(clock))
	url := srv.URL + "/gone.png"
	fetch := func(wantHits int) {
		t.Helper()
		if _, err := m.Image(t.Context(), url); !errors.Is(err, feeds.ErrRejected) {
			t.Fatalf("Image = %v, want ErrRejected", err)
		}
		if n := srv.count("/gone.png"); n != wantHits {
			t.Fatalf("%d requests, want %d", n, wantHits)
		}
	}
	fetch(1)
	fetch(1) // remembered
	mu.Lock()
	now = now.Add(feeds.MediaFailureMemory + time.Second)
	mu.Unlock()
	fetch(2) // forgotten after a while
	fetch(2)
	m.ForgetFailures()
	fetch(3)
}

func TestMediaCacheCancelledContext(t *testing.T) {
	srv := newImageServer(t, nil)
	m := feeds.NewMediaCache(&memBlobs{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := m.Image(ctx, srv.URL+"/a.png"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Image = %v", err)
	}
	if n := srv.count("/a.png"); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}
