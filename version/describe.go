package version

import "chancery/translations"

// dateLayout writes the build time the same way in every language.
const dateLayout = "2006-01-02 15:04 UTC"

// Heading is the first line of chancery --version: the name and version.
func (i Info) Heading(loc *translations.Localizer) string {
	return loc.T("about.version_line", "Version", i.Version)
}

// Details are the lines under the version: the commit and the build date,
// in loc's language.
func (i Info) Details(loc *translations.Localizer) []string {
	return []string{i.commitLine(loc), i.builtLine(loc)}
}

func (i Info) commitLine(loc *translations.Localizer) string {
	switch {
	case i.Commit == "":
		return loc.T("about.commit_unknown")
	case i.Modified:
		return loc.T("about.commit_modified", "Commit", i.ShortCommit())
	default:
		return loc.T("about.commit", "Commit", i.ShortCommit())
	}
}

func (i Info) builtLine(loc *translations.Localizer) string {
	if i.Built.IsZero() {
		return loc.T("about.built_unknown")
	}
	return loc.T("about.built", "Date", i.Built.Format(dateLayout))
}
