package app

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fileChoice is an optional file of the team connect form: its name, a
// button that chooses it and one that forgets it.
type fileChoice struct {
	path  string // "" for none
	name  *widget.Label
	clear *escButton
	none  string
}

func (c *fileChoice) build(f *teamConnectForm) fyne.CanvasObject {
	loc, w := f.p.u.loc, f.p.win
	c.none = loc.T("teamconnect.file_none")
	c.name = widget.NewLabel(c.none)
	c.name.Truncation = fyne.TextTruncateEllipsis
	choose := newEnterButton(w, loc.T("teamconnect.file_choose"), theme.FolderOpenIcon(), func() { c.choose(f.p, f.dlg) })
	c.clear = newEscButton(w, loc.T("teamconnect.file_clear"), nil, func() { c.set("") })
	c.clear.Hide()
	return container.NewBorder(nil, nil, nil, container.NewHBox(choose, c.clear), c.name)
}

// choose asks for the file; the form stays the dialog Escape closes once
// the file dialog is gone.
func (c *fileChoice) choose(p *reviewPanel, form keyGuarded) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		c.set(path)
	}, p.win)
	p.dialog = fd
	fd.SetOnClosed(func() {
		if p.dialog == fd {
			p.dialog = form
		}
	})
	fd.Show()
}

func (c *fileChoice) set(path string) {
	c.path = path
	c.clear.Hidden = path == ""
	if path == "" {
		c.name.SetText(c.none)
	} else {
		c.name.SetText(filepath.Base(path))
	}
	c.clear.Refresh()
}

// maxKeySize bounds the private key file read: a PEM key is a few KiB.
const maxKeySize = 64 << 10

// readKey reads the client certificate's private key, off the UI
// goroutine; the key is the secret the service keeps in the keyring.
func readKey(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read the client key: %w", err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxKeySize+1))
	if err != nil {
		return "", fmt.Errorf("read the client key: %w", err)
	}
	if len(b) > maxKeySize {
		return "", fmt.Errorf("read the client key %s: larger than %d bytes", filepath.Base(path), maxKeySize)
	}
	return string(b), nil
}
