package translations

import (
	"embed"
	"io/fs"
)

//go:embed fyne/*.json
var fyneFiles embed.FS

// FyneMessages returns, in the JSON form Fyne's lang package reads, the
// texts of Fyne's own widgets and dialogs (Quit, Cancel, the file dialog,
// the entry menu, the days of the week) that Fyne 2.7 lacks for lang: all
// of them for Dutch, the days of the week for French. It returns nil when
// Fyne has them all.
func FyneMessages(lang string) []byte {
	data, err := fs.ReadFile(fyneFiles, "fyne/"+lang+".json")
	if err != nil {
		return nil
	}
	return data
}
