package translations

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Number writes v with the given number of decimals as the Localizer's
// language writes numbers: "12,345.7" in English, "12 345,7" in French,
// "12.345,7" in German and Dutch.
func (l *Localizer) Number(v float64, decimals int) string {
	p := message.NewPrinter(language.Make(l.lang))
	return p.Sprint(number.Decimal(v, number.Scale(decimals), number.MinFractionDigits(decimals)))
}

// Integer writes n as the Localizer's language writes whole numbers:
// "1,310" in English, "1 310" in French, "1.310" in German and Dutch.
func (l *Localizer) Integer(n int) string {
	if n > -1000 && n < 1000 {
		return strconv.Itoa(n) // no grouping: the same in every language here
	}
	return l.Number(float64(n), 0)
}

// List joins items as the Localizer's language joins the names of a
// list: "a, b" in English, "a、b" in Chinese.
func (l *Localizer) List(items []string) string {
	return strings.Join(items, l.T("dialog.list_separator"))
}

// Megabytes writes a size in bytes as megabytes (MiB) with one decimal, the
// unit left to the message around it: "0.2" in English, "0,2" in French.
func (l *Localizer) Megabytes(n int64) string {
	return l.Number(float64(n)/(1<<20), 1)
}
