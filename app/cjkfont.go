package app

import (
	"cmp"

	"github.com/go-text/typesetting/fontscan"
	"golang.org/x/image/font/sfnt"
)

// cjkFamilies are the fonts rows draw Chinese, Japanese and Korean text
// with, the Simplified Chinese ones first (the Beijing mission's language),
// as the major systems ship them.
var cjkFamilies = []string{
	"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
	"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
	"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Microsoft YaHei UI", "DengXian", "SimHei",
	"Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR",
}

// openCJKFonts finds the regular and bold faces of the first of
// cjkFamilies among the system's fonts (through the index Fyne keeps too)
// and maps them; nil when there is none. Without a bold face, bold text
// uses the regular one.
func openCJKFonts() (regular, bold *sfnt.Font) {
	fm := fontscan.NewFontMap(noLog{})
	if err := fm.UseSystemFonts(""); err != nil {
		return nil, nil
	}
	var buf sfnt.Buffer
	for _, family := range cjkFamilies {
		for _, loc := range fm.FindSystemFonts(family) {
			f := openFace(loc.File, int(loc.Index))
			if f == nil {
				continue
			}
			if idx, err := f.GlyphIndex(&buf, '中'); err != nil || idx == 0 {
				continue
			}
			switch sub, _ := f.Name(&buf, sfnt.NameIDSubfamily); sub {
			case "Regular":
				regular = cmp.Or(regular, f)
			case "Bold":
				bold = cmp.Or(bold, f)
			}
		}
		if regular != nil {
			return regular, cmp.Or(bold, regular)
		}
	}
	return nil, nil
}

// mapped keeps each font file mapped once.
var mapped = map[string]*sfnt.Collection{}

// openFace maps a font file and returns its face index i, or nil.
func openFace(path string, i int) *sfnt.Font {
	c, ok := mapped[path]
	if !ok {
		data, err := mapFile(path)
		if err != nil {
			return nil
		}
		if c, err = sfnt.ParseCollection(data); err != nil {
			return nil
		}
		mapped[path] = c
	}
	f, err := c.Font(i)
	if err != nil {
		return nil
	}
	return f
}

type noLog struct{}

func (noLog) Printf(string, ...any) {}
