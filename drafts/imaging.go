package drafts

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders for attached images
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"chancery/feeds"
	"chancery/translations"
)

// Bounds on an image file read for attaching or publishing: its size, and
// its pixels (checked from the header before decoding, so that a small file
// that would decode into gigabytes is refused).
const (
	MaxSourceBytes  = 64 << 20
	MaxSourcePixels = 64 << 20
)

// Errors about attached images.
var (
	ErrNotImage       = translations.NewProblem("error.not_image", "the file is not an image chancery can read")
	ErrImageTooLarge  = translations.NewProblem("error.image_too_large", "the image is too large")
	ErrImageType      = translations.NewProblem("error.image_type", "the network does not take this kind of image")
	ErrAttachmentCopy = translations.NewProblem("error.attachment_copy", "the image could not be copied into the profile")
	ErrTooManyImages  = translations.NewProblem("error.too_many_images", "more images than the network takes")
)

// jpegQualities are tried in turn when an image must fit a byte limit.
var jpegQualities = []int{85, 72, 60}

// minFitSide is the smallest long side an image is shrunk to before it is
// declared too large for a network.
const minFitSide = 320

// readSource reads an image file within MaxSourceBytes.
func readSource(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAttachment, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxSourceBytes {
		return nil, fmt.Errorf("%d bytes: %w", st.Size(), ErrImageTooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSourceBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAttachment, err)
	}
	if len(data) > MaxSourceBytes {
		return nil, fmt.Errorf("more than %d bytes: %w", MaxSourceBytes, ErrImageTooLarge)
	}
	return data, nil
}

// inspect reads an image's header: its size and MIME type. It refuses what
// is not an image, and images with too many pixels to decode safely.
func inspect(r io.Reader) (image.Config, string, error) {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		return image.Config{}, "", fmt.Errorf("%w: %w", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxSourcePixels {
		return image.Config{}, "", fmt.Errorf("%d×%d pixels: %w", cfg.Width, cfg.Height, ErrImageTooLarge)
	}
	return cfg, "image/" + format, nil
}

// decode decodes an image (a GIF's first frame), after checking its header,
// and shrinks it so that its long side is at most side pixels and turns it
// upright as its Exif orientation says.
func decode(data []byte, side int) (image.Image, error) {
	if _, _, err := inspect(bytes.NewReader(data)); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotImage, err)
	}
	return orient(shrink(img, side), jpegOrientation(data)), nil
}

// opaque reports whether img has no transparent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return true
}

// shrink returns img scaled so that its long side is at most side pixels.
func shrink(img image.Image, side int) image.Image {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	if long <= side {
		return img
	}
	w := max(1, int(math.Round(float64(b.Dx())*float64(side)/float64(long))))
	h := max(1, int(math.Round(float64(b.Dy())*float64(side)/float64(long))))
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// encodePNG writes img as PNG, which carries no metadata from Go's encoder.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodeJPEG writes img as JPEG (no Exif, XMP or comment), transparent
// parts on white.
func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	if !opaque(img) {
		flat := image.NewRGBA(img.Bounds())
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), img, img.Bounds().Min, draw.Over)
		img = flat
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fits reports whether an image file can go to a network as it is: of a
// type the network takes, within its limits, and carrying no metadata.
func fits(data []byte, cfg image.Config, mime string, lim feeds.MediaLimits) bool {
	return lim.Accepts(mime) && (mime == "image/jpeg" || mime == "image/png") && !hasMetadata(data) &&
		(lim.MaxBytes <= 0 || int64(len(data)) <= lim.MaxBytes) &&
		(lim.MaxPixels <= 0 || cfg.Width*cfg.Height <= lim.MaxPixels) &&
		(lim.MaxSide <= 0 || max(cfg.Width, cfg.Height) <= lim.MaxSide)
}

// fitSide is the long side an image of cfg's size may have under lim.
func fitSide(cfg image.Config, lim feeds.MediaLimits) int {
	side := max(cfg.Width, cfg.Height)
	if lim.MaxSide > 0 {
		side = min(side, lim.MaxSide)
	}
	if px := cfg.Width * cfg.Height; lim.MaxPixels > 0 && px > lim.MaxPixels {
		ratio := math.Sqrt(float64(lim.MaxPixels) / float64(px))
		side = min(side, int(float64(max(cfg.Width, cfg.Height))*ratio))
	}
	return side
}

// fitImage returns a version of an image file that the network takes: the
// file itself when it already fits, else the image re-encoded, as PNG when
// it has transparency and the network takes PNG, else as JPEG, shrunk and
// compressed further until it is within the byte limit.
func fitImage(data []byte, lim feeds.MediaLimits) ([]byte, string, error) {
	cfg, mime, err := inspect(bytes.NewReader(data))
	if err != nil {
		return nil, "", err
	}
	if fits(data, cfg, mime, lim) {
		return data, mime, nil
	}
	side := fitSide(cfg, lim)
	img, err := decode(data, side)
	if err != nil {
		return nil, "", err
	}
	usePNG := !opaque(img) && lim.Accepts("image/png") || !lim.Accepts("image/jpeg")
	if usePNG && !lim.Accepts("image/png") {
		return nil, "", fmt.Errorf("%s: %w", mime, ErrImageType)
	}
	for {
		out, mime, err := encodeWithin(shrink(img, side), usePNG, lim.MaxBytes)
		if err == nil || !errors.Is(err, ErrImageTooLarge) {
			return out, mime, err
		}
		// The size goes with the number of pixels: aim just under the limit.
		aim := float64(side) * math.Sqrt(float64(lim.MaxBytes)/float64(len(out))) * 0.95
		if side = min(int(aim), side*9/10); side < minFitSide {
			break
		}
	}
	return nil, "", fmt.Errorf("more than %d bytes: %w", lim.MaxBytes, ErrImageTooLarge)
}

// encodeWithin encodes img as PNG, or as JPEG at decreasing qualities
// while the result is near the limit, within maxBytes. When it cannot, it
// reports ErrImageTooLarge with the smallest encoding it made.
func encodeWithin(img image.Image, usePNG bool, maxBytes int64) ([]byte, string, error) {
	within := func(b []byte) bool { return maxBytes <= 0 || int64(len(b)) <= maxBytes }
	if usePNG {
		out, err := encodePNG(img)
		if err != nil || within(out) {
			return out, "image/png", err
		}
		return out, "", ErrImageTooLarge
	}
	var out []byte
	for _, q := range jpegQualities {
		var err error
		if out, err = encodeJPEG(img, q); err != nil || within(out) {
			return out, "image/jpeg", err
		}
		if int64(len(out)) > 2*maxBytes {
			break // a lower quality would not be enough: shrink instead
		}
	}
	return out, "", ErrImageTooLarge
}
