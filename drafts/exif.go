package drafts

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/draw"
)

// jpegSegments calls fn with each marker and payload of a JPEG file's
// header, up to the image data; fn returns false to stop. It reports
// whether the header was well formed up to where it stopped.
func jpegSegments(data []byte, fn func(marker byte, payload []byte) bool) bool {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return false
	}
	for i := 2; ; {
		if i+1 >= len(data) || data[i] != 0xFF {
			return false
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xD9 || marker == 0xDA: // end of image, start of scan
			return true
		case marker >= 0xD0 && marker <= 0xD7 || marker == 0x01: // no payload
			i += 2
			continue
		}
		if i+4 > len(data) {
			return false
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return false
		}
		if !fn(marker, data[i+4:i+2+n]) {
			return true
		}
		i += 2 + n
	}
}

// pngTextChunks are the PNG chunks that carry text or Exif metadata.
var pngTextChunks = map[string]bool{"tEXt": true, "zTXt": true, "iTXt": true, "eXIf": true, "tIME": true}

// hasMetadata reports whether an image file may carry metadata (Exif, GPS,
// XMP, comments, text chunks): anything but a JPEG or PNG whose header was
// read and found free of them.
func hasMetadata(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		return pngHasText(data[8:])
	}
	found := false
	ok := jpegSegments(data, func(marker byte, _ []byte) bool {
		// APP1…APP15 hold Exif, XMP, ICC, maker notes; COM is a comment.
		found = marker >= 0xE1 && marker <= 0xEF || marker == 0xFE
		return !found
	})
	return found || !ok
}

func pngHasText(chunks []byte) bool {
	for len(chunks) >= 12 {
		n := int(binary.BigEndian.Uint32(chunks))
		kind := string(chunks[4:8])
		if pngTextChunks[kind] {
			return true
		}
		if kind == "IEND" || n < 0 || n > len(chunks)-12 {
			return kind != "IEND"
		}
		chunks = chunks[12+n:]
	}
	return true
}

// jpegOrientation returns the Exif orientation (1 to 8) of a JPEG file, 1
// when there is none or it cannot be read.
func jpegOrientation(data []byte) int {
	o := 1
	jpegSegments(data, func(marker byte, payload []byte) bool {
		if marker != 0xE1 || !bytes.HasPrefix(payload, []byte("Exif\x00\x00")) {
			return true
		}
		o = tiffOrientation(payload[6:])
		return false
	})
	return o
}

// tiffOrientation reads tag 0x0112 of the first IFD of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	n := int(order.Uint16(t[ifd:]))
	for k := range n {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if order.Uint16(t[e:]) == 0x0112 && order.Uint16(t[e+2:]) == 3 {
			if v := int(order.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient returns img turned upright as Exif orientation o says.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	// src gives, for a pixel of the upright image, the pixel it comes from.
	src := map[int]func(x, y int) (int, int){
		2: func(x, y int) (int, int) { return w - 1 - x, y },
		3: func(x, y int) (int, int) { return w - 1 - x, h - 1 - y },
		4: func(x, y int) (int, int) { return x, h - 1 - y },
		5: func(x, y int) (int, int) { return y, x },
		6: func(x, y int) (int, int) { return y, h - 1 - x },
		7: func(x, y int) (int, int) { return w - 1 - y, h - 1 - x },
		8: func(x, y int) (int, int) { return w - 1 - y, x },
	}[o]
	from, ok := img.(*image.NRGBA)
	if !ok || b.Min != (image.Point{}) {
		from = image.NewNRGBA(image.Rect(0, 0, w, h))
		draw.Draw(from, from.Bounds(), img, b.Min, draw.Src)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			sx, sy := src(x, y)
			s := sy*from.Stride + 4*sx
			copy(dst.Pix[y*dst.Stride+4*x:], from.Pix[s:s+4])
		}
	}
	return dst
}
