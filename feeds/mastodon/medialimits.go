package mastodon

import (
	"slices"

	"github.com/rivo/uniseg"

	"chancery/accounts"
	"chancery/feeds"
)

// Image limits of a Mastodon server that does not say otherwise (Mastodon
// 4's defaults: four attachments, 16 MiB and 7680 × 4320 pixels per image).
const (
	DefaultMaxImages   = 4
	DefaultImageBytes  = 16 << 20
	DefaultImagePixels = 33177600
)

// imageTypes are the image types Chancery sends to a Mastodon server, when
// the server lists no narrower set.
var imageTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}

// mediaConfig is the instance's configuration.media_attachments (with
// configuration.statuses.max_media_attachments), as GET /api/v2/instance
// (and /api/v1/instance on Mastodon 3.4 and later) gives it.
type mediaConfig struct {
	SupportedMIMETypes []string `json:"supported_mime_types,omitempty"`
	ImageSizeLimit     int64    `json:"image_size_limit,omitempty"`
	ImageMatrixLimit   int      `json:"image_matrix_limit,omitempty"`
	MaxAttachments     int      `json:"max_attachments,omitempty"`
}

func defaultMediaLimits() feeds.MediaLimits {
	return feeds.MediaLimits{
		MaxImages: DefaultMaxImages, MaxBytes: DefaultImageBytes, MaxPixels: DefaultImagePixels,
		Types: imageTypes,
	}
}

// MediaLimits returns the image limits of acct's server as last read from
// its configuration, each missing one taken from the defaults. The types
// are those of Chancery's that the server lists.
func (n *Network) MediaLimits(acct accounts.Account) feeds.MediaLimits {
	out := defaultMediaLimits()
	mc := n.limitsOf(acct).Media
	if mc.MaxAttachments > 0 {
		out.MaxImages = mc.MaxAttachments
	}
	if mc.ImageSizeLimit > 0 {
		out.MaxBytes = mc.ImageSizeLimit
	}
	if mc.ImageMatrixLimit > 0 {
		out.MaxPixels = mc.ImageMatrixLimit
	}
	if len(mc.SupportedMIMETypes) > 0 {
		out.Types = slices.DeleteFunc(slices.Clone(imageTypes), func(t string) bool {
			return !slices.Contains(mc.SupportedMIMETypes, t)
		})
	}
	return out
}

// WarningLength is what a content warning adds to a status's length: the
// server counts spoiler_text, in grapheme clusters, with the text.
func (n *Network) WarningLength(_ accounts.Account, warning string) int {
	return uniseg.GraphemeClusterCount(warning)
}

var (
	_ feeds.MediaLimiter   = (*Network)(nil)
	_ feeds.WarningCounter = (*Network)(nil)
)
