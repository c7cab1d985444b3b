package main

import (
	"fmt"
	"io"

	"chancery/cli"
	"chancery/translations"
	"chancery/version"
)

// printVersion answers chancery --version: the version, the commit and the
// build date, one per line. It needs no display, profile or keyring.
func printVersion(loc *translations.Localizer, stdout io.Writer) int {
	info := version.Get(version.FileVersion(fyneAppTOML))
	fmt.Fprintln(stdout, info.Heading(loc))
	for _, line := range info.Details(loc) {
		fmt.Fprintln(stdout, line)
	}
	return cli.ExitOK
}
