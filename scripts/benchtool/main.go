// Command benchtool supports scripts/guibench.sh: it seeds a profile of
// realistic size, serves RSS feeds that keep growing as if time ran fast,
// for the app to read (the empty window to compare it against is the app's
// own binary with CHANCERY_EMPTY_WINDOW=1).
//
//	benchtool seed --profile DIR --feeds URL [--missions 5 --accounts 3 --posts 2000]
//	benchtool serve [--speed 360] [--every 4s]  (prints its address, then serves)
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool seed|serve [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(os.Args[2:])
	case "serve":
		err = serve(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtool:", err)
		os.Exit(1)
	}
}
