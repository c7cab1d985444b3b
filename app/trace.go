package app

import (
	"fmt"
	"image"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// slowCallback is how long a UI-goroutine callback may take before the
// trace reports it: one frame at 60 Hz.
const slowCallback = 16 * time.Millisecond

// tracer writes timing lines, one per event, when CHANCERY_TRACE=1: when
// the window is first painted, when each column first paints cached posts,
// and every UI-goroutine callback slower than a frame. Each line starts
// with "chancery-trace", the wall clock in Unix milliseconds and the time
// since the process started, so a script can compute delays from launch.
type tracer struct {
	out   io.Writer
	start time.Time

	mu        sync.Mutex
	durations []time.Duration // of every timed callback, for the summary
}

// processStart is as close to the process start as Go code gets.
var processStart = time.Now()

// trace is nil unless CHANCERY_TRACE=1.
var trace = newTracer()

func newTracer() *tracer {
	if os.Getenv("CHANCERY_TRACE") != "1" {
		return nil
	}
	return &tracer{out: os.Stderr, start: processStart}
}

// event writes one line: the event's name, then key=value pairs.
func (t *tracer) event(name string, kv ...any) {
	if t == nil {
		return
	}
	now := time.Now()
	var b strings.Builder
	fmt.Fprintf(&b, "chancery-trace unix_ms=%d since_start_ms=%d %s", now.UnixMilli(), now.Sub(t.start).Milliseconds(), name)
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, " %v=%v", kv[i], kv[i+1])
	}
	b.WriteByte('\n')
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.out, b.String())
}

// timed runs fn, which runs on the UI goroutine, and records how long it
// took; one slower than a frame is reported at once.
func (t *tracer) timed(what string, fn func()) {
	if t == nil {
		fn()
		return
	}
	began := time.Now()
	fn()
	took := time.Since(began)
	t.mu.Lock()
	if len(t.durations) < maxTracedCallbacks {
		t.durations = append(t.durations, took)
	}
	t.mu.Unlock()
	if took > slowCallback {
		t.event("slow-ui-callback", "what", what, "ms", fmt.Sprintf("%.1f", float64(took.Microseconds())/1000))
	}
}

// maxTracedCallbacks bounds the durations kept for the summary.
const maxTracedCallbacks = 1 << 20

// summary writes the count, median, 99th percentile and maximum of the
// timed callbacks.
func (t *tracer) summary() {
	if t == nil {
		return
	}
	t.mu.Lock()
	d := slices.Clone(t.durations)
	t.mu.Unlock()
	if len(d) == 0 {
		t.event("ui-callbacks", "n", 0)
		return
	}
	slices.Sort(d)
	ms := func(x time.Duration) string { return fmt.Sprintf("%.2f", float64(x.Microseconds())/1000) }
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))] }
	over := len(d) - func() int { i, _ := slices.BinarySearch(d, slowCallback+1); return i }()
	t.event("ui-callbacks", "n", len(d), "p50_ms", ms(at(0.5)), "p99_ms", ms(at(0.99)), "max_ms", ms(d[len(d)-1]), "over_16ms", over)
}

// tracedDo hands fn to the UI goroutine through do and times it there,
// named after the function that handed it over.
func tracedDo(do func(func())) func(func()) {
	return func(fn func()) {
		what := "background-result"
		if pc, _, _, ok := runtime.Caller(1); ok {
			if f := runtime.FuncForPC(pc); f != nil {
				what = strings.TrimPrefix(f.Name(), "chancery/app.")
			}
		}
		do(func() { trace.timed(what, fn) })
	}
}

// paintProbe is a one-pixel, transparent raster: Fyne asks it for its
// pixels when it paints it, which tells when a frame showing it was drawn.
// Each arm reports once, at the next paint.
type paintProbe struct {
	raster *canvas.Raster
	mu     sync.Mutex
	armed  func()
}

func newPaintProbe() *paintProbe {
	p := &paintProbe{}
	p.raster = canvas.NewRaster(func(w, h int) image.Image {
		p.mu.Lock()
		fn := p.armed
		p.armed = nil
		p.mu.Unlock()
		if fn != nil {
			fn()
		}
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	p.raster.SetMinSize(fyne.NewSquareSize(1))
	return p
}

// arm calls fn at the next paint of the probe.
func (p *paintProbe) arm(fn func()) {
	p.mu.Lock()
	p.armed = fn
	p.mu.Unlock()
	p.raster.Refresh()
}
