// Command benchtool supports scripts/guibench.sh: it seeds a profile of
// realistic size, serves RSS feeds that keep growing as if time ran fast,
// and shows an empty Fyne window to compare the app against.
//
//	benchtool seed --profile DIR --feeds URL [--missions 5 --accounts 3 --posts 2000]
//	benchtool serve [--speed 360] [--every 4s]  (prints its address, then serves)
//	benchtool empty                              (an empty window; CHANCERY_TRACE=1 logs when it is painted)
package main

import (
	"fmt"
	"os"

	"chancery/app"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool seed|serve|empty [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(os.Args[2:])
	case "serve":
		err = serve(os.Args[2:])
	case "empty":
		app.RunEmptyWindow()
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}
