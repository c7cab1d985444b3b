package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fontsReady is closed once the theme's fonts are loaded (see warmFonts);
// nil when nothing loads them ahead.
var fontsReady chan struct{}

// warmFonts loads the theme's regular and bold fonts, and the fonts rows
// are drawn with (see loadRowFonts), on other goroutines,
// so that parsing them overlaps opening the profile instead of delaying
// the window. Nothing may measure text until awaitFonts returns: Fyne's
// font maps are not safe for concurrent first use.
func warmFonts() {
	fontsReady = make(chan struct{})
	th := fyne.CurrentApp().Settings().Theme()
	rows := make(chan struct{})
	go func() {
		defer close(rows)
		loadRowFonts(th)
	}()
	go func() {
		defer close(fontsReady)
		defer func() { <-rows }()
		for _, size := range []float32{theme.TextSize(), theme.CaptionTextSize()} {
			fyne.MeasureText("Mg", size, fyne.TextStyle{})
			fyne.MeasureText("Mg", size, fyne.TextStyle{Bold: true})
		}
	}()
}

// awaitFonts waits for warmFonts, if it ran.
func awaitFonts() {
	if fontsReady != nil {
		<-fontsReady
	}
}
