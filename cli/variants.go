package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"chancery/accounts"
	"chancery/drafts"
)

// variantFlag collects repeated --variant LANG=FILE arguments.
type variantFlag []variantArg

type variantArg struct{ lang, file string }

func (v *variantFlag) String() string { return "" }

// Set takes one LANG=FILE; a language may be given once.
func (v *variantFlag) Set(s string) error {
	raw, file, ok := strings.Cut(s, "=")
	if !ok || file == "" {
		return fmt.Errorf("--variant %q: want LANG=FILE", s)
	}
	lang, ok := knownLanguage(raw)
	if !ok {
		return fmt.Errorf("--variant %q: unknown language %q", s, raw)
	}
	if slices.ContainsFunc(*v, func(a variantArg) bool { return a.lang == lang }) {
		return fmt.Errorf("--variant %q: %s given twice", s, lang)
	}
	*v = append(*v, variantArg{lang: lang, file: file})
	return nil
}

// knownLanguage returns the language tag s names, in its usual spelling:
// English, French or one of the host languages a mission can have.
func knownLanguage(s string) (string, bool) {
	for _, l := range append([]string{"en", "fr"}, accounts.HostLanguages()...) {
		if strings.EqualFold(strings.TrimSpace(s), l) {
			return l, true
		}
	}
	return "", false
}

// postVariants reads a post's text: each --variant LANG=FILE, or the one
// --text-file in --lang. The two ways cannot be mixed, and standard input
// ("-") can be read once.
func postVariants(in io.Reader, fs *flag.FlagSet, variants variantFlag, lang, textFile string) ([]drafts.Variant, error) {
	single := false
	fs.Visit(func(f *flag.Flag) { single = single || f.Name == "lang" || f.Name == "text-file" })
	switch {
	case len(variants) > 0 && single:
		return nil, fmt.Errorf("%w: --variant cannot be mixed with --lang or --text-file", errUsage)
	case len(variants) == 0 && textFile == "":
		return nil, fmt.Errorf("%w: post needs --text-file or --variant LANG=FILE", errUsage)
	case len(variants) == 0:
		variants = variantFlag{{lang: lang, file: textFile}}
	}
	stdin := 0
	for _, v := range variants {
		if v.file == "-" {
			stdin++
		}
	}
	if stdin > 1 {
		return nil, fmt.Errorf("%w: standard input (-) can be read for one --variant only", errUsage)
	}
	out := make([]drafts.Variant, 0, len(variants))
	for _, v := range variants {
		text, err := readText(in, v.file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.lang, err)
		}
		out = append(out, drafts.Variant{Lang: v.lang, Text: text})
	}
	return out, nil
}

// warnUnpublished says on standard error which written variants none of
// the targets publishes, because no target's mission has that language.
func warnUnpublished(s Services, d drafts.Draft) error {
	plan, err := s.Drafts.Plan(d)
	if err != nil {
		return err
	}
	if len(plan.Unpublished) > 0 {
		fmt.Fprintln(s.Err, s.Loc.T("cli.unpublished", "Languages", s.Loc.List(plan.Unpublished)))
	}
	return nil
}
