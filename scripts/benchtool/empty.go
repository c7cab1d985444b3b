package main

import (
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// empty shows an empty Fyne window of the app's size, the yardstick of the
// GUI benchmarks. With CHANCERY_TRACE=1 it writes, like the app, a
// "window-shown" line when its first frame is painted.
func empty() {
	start := time.Now()
	a := fyneapp.NewWithID("org.example.chancery.benchempty")
	w := a.NewWindow("Empty")
	var once sync.Once
	probe := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			if os.Getenv("CHANCERY_TRACE") == "1" {
				now := time.Now()
				fmt.Fprintf(os.Stderr, "chancery-trace unix_ms=%d since_start_ms=%d window-shown\n",
					now.UnixMilli(), now.Sub(start).Milliseconds())
			}
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	probe.SetMinSize(fyne.NewSquareSize(1))
	w.SetContent(container.NewBorder(container.NewHBox(probe), nil, nil, nil))
	w.Resize(fyne.NewSize(1400, 860))
	w.ShowAndRun()
}
