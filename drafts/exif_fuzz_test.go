package drafts

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"chancery/feeds"
)

// FuzzImageHeaders feeds arbitrary files to the readers of outside image
// data: they must never panic, and what they report must be sane.
func FuzzImageHeaders(f *testing.F) {
	var b bytes.Buffer
	_ = jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	f.Add(b.Bytes())
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x16Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x00IEND"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		_ = hasMetadata(data)
		out, mime, err := fitImage(data, feeds.MediaLimits{MaxBytes: 1 << 16, MaxSide: 64})
		if err == nil && (len(out) > 1<<16 || mime == "") {
			t.Fatalf("fit gave %d bytes of %q", len(out), mime)
		}
	})
}
