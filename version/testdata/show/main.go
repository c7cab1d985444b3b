// Command show prints what chancery/version reports, one field per line, so
// that a test can build it with -ldflags -X and check the names it sets.
package main

import (
	"fmt"
	"time"

	"chancery/version"
)

func main() {
	info := version.Get("4.5.6")
	fmt.Println(info.Version)
	fmt.Println(info.Dev)
	fmt.Println(info.Commit)
	fmt.Println(info.Built.Format(time.RFC3339))
}
