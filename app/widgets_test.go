package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// visible returns o and every object under it that is shown: a hidden
// object hides everything under it.
func visible(o fyne.CanvasObject) []fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	o = stock(o)
	out := []fyne.CanvasObject{o}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			out = append(out, visible(c)...)
		}
	case *widget.Label, *widget.Button, *textBlock:
		// their text is theirs; what draws it is not another text
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			out = append(out, visible(c)...)
		}
	}
	return out
}

// stock returns the stock Fyne widget inside one of the controls that
// pass Escape on (escape.go), so that tests find and tap it as any other.
func stock(o fyne.CanvasObject) fyne.CanvasObject {
	switch w := o.(type) {
	case *escButton:
		return &w.Button
	case *enterButton:
		return &w.Button
	case *escSelect:
		return &w.Select
	case *escEntry:
		return &w.Entry
	case *escCheck:
		return &w.Check
	case *escHyperlink:
		return &w.Hyperlink
	}
	return o
}

// texts returns every visible label, rich text and button text under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range visible(o) {
		switch w := obj.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		case *widget.Button:
			out = append(out, w.Text)
		case *textBlock:
			out = append(out, w.text)
		}
	}
	return out
}

func contains(o fyne.CanvasObject, sub string) bool {
	for _, s := range texts(o) {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range visible(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

func findButtons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	for _, obj := range visible(o) {
		if b, ok := obj.(*widget.Button); ok {
			out = append(out, b)
		}
	}
	return out
}

func findSelects(o fyne.CanvasObject) []*widget.Select {
	var out []*widget.Select
	for _, obj := range visible(o) {
		if s, ok := obj.(*widget.Select); ok {
			out = append(out, s)
		}
	}
	return out
}
