package x

import (
	"regexp"

	"golang.org/x/text/unicode/norm"

	"chancery/accounts"
)

// X counts a post's length with the weights of twitter-text's version 3
// configuration: the text in Unicode NFC; code points in the ranges below
// weigh 100, every other 200 (CJK, most non-Latin scripts); an emoji, with
// its modifiers and joined parts, weighs 200; a link weighs 23 characters
// of 100, whatever its length; the limit is 280 × 100.
const (
	scale        = 100
	lightWeight  = 100
	heavyWeight  = 200
	urlLength    = 23
	maxWeighted  = MaxLength * scale
	zeroWidthJoi = 0x200D
)

// lightRanges are twitter-text v3's ranges of weight 100.
var lightRanges = [][2]rune{{0, 4351}, {8192, 8205}, {8208, 8223}, {8242, 8247}}

// links finds what X counts as a link: an address with a scheme, or a
// host name with a common top-level domain (twitter-text recognises more;
// this is an estimate on the safe side for the usual ones).
var links = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|gov|int|edu|info|io|fr|de|nl|ca|cn|at|be|ch|uk|us|eu)\b(?:/[^\s<>"]*)?`)

// Length counts text as X does and returns the limit: MaxLength.
func (n *Network) Length(_ accounts.Account, text string) (used, limit int) {
	return WeightedLength(text), MaxLength
}

// WeightedLength is text's length as X counts it (weighted / 100, rounded
// up).
func WeightedLength(text string) int {
	text = norm.NFC.String(text)
	weight := 0
	last := 0
	for _, loc := range links.FindAllStringIndex(text, -1) {
		weight += weighText(text[last:loc[0]]) + urlLength*scale
		last = loc[1]
	}
	weight += weighText(text[last:])
	return (weight + scale - 1) / scale
}

// weighText weighs text without links.
func weighText(s string) int {
	weight := 0
	inEmoji, afterJoiner, halfFlag := false, false, false
	for _, r := range s {
		switch {
		case inEmoji && r == zeroWidthJoi:
			afterJoiner = true
		case inEmoji && isEmojiModifier(r):
		case inEmoji && afterJoiner && isEmoji(r):
			afterJoiner = false // joined to the emoji before
		case halfFlag && isRegional(r):
			halfFlag = false // the second letter of a flag
		case isEmoji(r):
			weight += heavyWeight
			inEmoji, afterJoiner, halfFlag = true, false, isRegional(r)
		default:
			inEmoji, afterJoiner, halfFlag = false, false, false
			weight += runeWeight(r)
		}
	}
	return weight
}

func runeWeight(r rune) int {
	for _, rg := range lightRanges {
		if r >= rg[0] && r <= rg[1] {
			return lightWeight
		}
	}
	return heavyWeight
}

func isEmoji(r rune) bool {
	return (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || (r >= 0x1F1E6 && r <= 0x1F1FF)
}

func isRegional(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isEmojiModifier(r rune) bool {
	return r == 0xFE0F || r == 0xFE0E || (r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F) || r == 0x20E3
}
