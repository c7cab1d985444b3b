package drafts_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// gradient is a w×h opaque image with a red 4×4 block at its top left.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 160, 255})
		}
	}
	for y := range 4 {
		for x := range 4 {
			img.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	return img
}

// noise is a w×h image of random pixels, which compresses badly; with
// alpha, its pixels are translucent.
func noise(w, h int, alpha bool) image.Image {
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.Uint32())
		if i%4 == 3 && !alpha {
			img.Pix[i] = 255
		}
	}
	return img
}

// encodePNG writes img as an uncompressed PNG (quick to make, and noise
// would not compress anyway).
func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifSegment is an APP1 Exif payload as a camera writes it: a
// little-endian TIFF header whose first IFD holds the orientation and a
// pointer to a GPS IFD with the latitude, followed by a GPS text.
func exifSegment(orientation uint16) []byte {
	var t bytes.Buffer
	le := binary.LittleEndian
	t.WriteString("II")
	_ = binary.Write(&t, le, uint16(42))
	_ = binary.Write(&t, le, uint32(8))
	_ = binary.Write(&t, le, uint16(2)) // IFD0: two entries
	_ = binary.Write(&t, le, []uint16{0x0112, 3})
	_ = binary.Write(&t, le, uint32(1))
	_ = binary.Write(&t, le, []uint16{orientation, 0})
	_ = binary.Write(&t, le, []uint16{0x8825, 4}) // GPSInfo
	_ = binary.Write(&t, le, uint32(1))
	_ = binary.Write(&t, le, uint32(8+2+2*12+4))
	_ = binary.Write(&t, le, uint32(0))           // no next IFD
	_ = binary.Write(&t, le, uint16(1))           // GPS IFD: one entry
	_ = binary.Write(&t, le, []uint16{0x0001, 2}) // GPSLatitudeRef, ASCII
	_ = binary.Write(&t, le, uint32(2))
	t.WriteString("N\x00\x00\x00")
	_ = binary.Write(&t, le, uint32(0))
	t.WriteString("GPS 48.2082N 16.3738E chancery garden")
	return append([]byte("Exif\x00\x00"), t.Bytes()...)
}

// withSegment inserts a JPEG segment right after the start-of-image marker.
func withSegment(jpg []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// markers lists the markers of a JPEG file's header, up to the scan.
func markers(t *testing.T, jpg []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(jpg, []byte{0xFF, 0xD8}) {
		t.Fatalf("not a JPEG: % x", jpg[:min(4, len(jpg))])
	}
	var out []byte
	for i := 2; i+4 <= len(jpg); {
		if jpg[i] != 0xFF {
			t.Fatalf("bad marker at %d", i)
		}
		m := jpg[i+1]
		out = append(out, m)
		if m == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(jpg[i+2:]))
	}
	return out
}

// bombPNG is a valid PNG header announcing w×h pixels, with almost no data:
// decoding it would allocate gigabytes.
func bombPNG(t testing.TB, w, h uint32) []byte {
	data := encodePNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func writeFile(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
