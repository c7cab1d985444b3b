package app

import "time"

// preloadWait bounds how long the window waits, before it is first shown,
// for its columns' cached posts: long enough for a healthy cache (a few
// milliseconds), short enough that a locked or slow one never keeps the
// window from appearing.
var preloadWait = 300 * time.Millisecond

// preload reads the newest cached posts of every column at once, each on
// its own goroutine, and shows those that arrive within wait, so that the
// window's first frame has its posts instead of a frame per column. It runs
// once, before the event loop starts (see Run); a column read after wait is
// shown when it arrives, as any span work is.
func (u *ui) preload(wait time.Duration) {
	type read struct {
		c *column
		w spanWork
	}
	done := make(chan read, len(u.columns))
	for _, c := range u.columns {
		c.gen++ // as reload does: nothing from before is applied
		c.want = pending{}
		c.busy = true
		r, keys, gen := u.p.Timelines, c.keys(), c.gen
		go func() {
			w := readNewest(r, keys)
			w.gen = gen
			done <- read{c, w}
		}()
	}
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	for left := len(u.columns); left > 0; left-- {
		select {
		case r := <-done:
			r.c.apply(r.w)
		case <-timeout.C:
			go func() {
				for range left {
					r := <-done
					uiDo(func() { r.c.apply(r.w) })
				}
			}()
			return
		}
	}
}
