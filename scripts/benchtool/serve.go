package main

import (
	"encoding/xml"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"
)

// serve answers GET /feed/NAME with an RSS 2.0 feed that gains an item
// every `every` of simulated time, simulated time running speed times as
// fast as the clock. Each answer holds the newest items, up to 100. It
// prints its base URL on stdout and serves until killed.
func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	speed := fs.Float64("speed", 360, "simulated seconds per real second")
	every := fs.Duration("every", 4*time.Second, "simulated time between two items of a feed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\n", ln.Addr())
	g := &growingFeeds{start: time.Now(), step: time.Duration(float64(*every) / *speed)}
	return http.Serve(ln, g)
}

type growingFeeds struct {
	start time.Time
	step  time.Duration // real time between two items of a feed
}

// rss is the part of RSS 2.0 the feeds use.
type rss struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Link  string `xml:"link"`
		Items []item `xml:"item"`
	} `xml:"channel"`
}

type item struct {
	Title   string `xml:"title"`
	Link    string `xml:"link"`
	GUID    string `xml:"guid"`
	PubDate string `xml:"pubDate"`
	Desc    string `xml:"description"`
}

const itemsPerAnswer = 100

func (g *growingFeeds) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	name, ok := strings.CutPrefix(req.URL.Path, "/feed/")
	if !ok || name == "" {
		http.NotFound(w, req)
		return
	}
	newest := int(time.Since(g.start) / g.step)
	var f rss
	f.Version = "2.0"
	f.Channel.Title, f.Channel.Link = "Press releases "+name, "https://example.org/"+name
	for n := newest; n >= 0 && n > newest-itemsPerAnswer; n-- {
		r := rand.New(rand.NewPCG(uint64(n), uint64(len(name))))
		text, _ := postText(r, n)
		f.Channel.Items = append(f.Channel.Items, item{
			Title: fmt.Sprintf("%s %d", name, n), Link: fmt.Sprintf("https://example.org/%s/%d", name, n),
			GUID:    fmt.Sprintf("%s-%d", name, n),
			PubDate: g.start.Add(time.Duration(n) * g.step).UTC().Format(time.RFC1123Z),
			Desc:    text,
		})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(f)
}
