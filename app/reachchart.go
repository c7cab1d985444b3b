package app

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"chancery/feeds"
)

// The Reach charts are drawn with gonum/plot into images, off the UI
// goroutine. They hold numbers and dates only: every word about them is
// in the translated text beside each chart, which also says in words what
// the chart shows.

// chartStyle is what a chart takes from the window: the theme's colours,
// its size in Fyne units and the canvas scale (pixels per unit).
type chartStyle struct {
	fg, bg, grid, primary, warning color.Color
	series                         []color.Color // one per account
	width, height                  float32
	scale                          float32
	zone                           *time.Location
}

// chartFont is gonum/plot's own sans-serif (Liberation Sans), at a size
// near the window's text: the charts' labels are digits only.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(11)}

// chartKind names the four Reach charts.
type chartKind int

const (
	chartFollowers chartKind = iota
	chartEngagement
	chartCadence
	chartHours
	chartCount
)

// drawChart draws one chart of r, or returns nil when it has nothing to
// show (the text beside it says so).
func drawChart(kind chartKind, r feeds.Reach, st chartStyle) (image.Image, error) {
	p := st.newPlot()
	var err error
	switch kind {
	case chartFollowers:
		if len(r.Audience) == 0 {
			return nil, nil
		}
		err = followersChart(p, r, st)
	case chartEngagement:
		if len(r.Posts) == 0 {
			return nil, nil
		}
		err = engagementChart(p, r, st)
	case chartCadence:
		err = cadenceChart(p, r, st)
	case chartHours:
		if len(r.Posts) == 0 {
			return nil, nil
		}
		err = hoursChart(p, r, st)
	}
	if err != nil {
		return nil, fmt.Errorf("draw reach chart: %w", err)
	}
	return st.render(p), nil
}

// newPlot is an empty plot in the theme's colours, with readable text.
func (st chartStyle) newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = st.bg
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Color = st.fg
		a.Tick.Color = st.fg
		a.Tick.Label.Color = st.fg
		a.Tick.Label.Font = chartFont
		a.Label.TextStyle.Color = st.fg
		a.LineStyle.Width = vg.Points(1)
	}
	p.Add(&plotter.Grid{Vertical: draw.LineStyle{}, Horizontal: draw.LineStyle{Color: st.grid, Width: vg.Points(0.5)}})
	return p
}

// render draws p at the canvas's pixel density.
func (st chartStyle) render(p *plot.Plot) image.Image {
	c := vgimg.NewWith(vgimg.UseWH(vg.Points(float64(st.width)), vg.Points(float64(st.height))),
		vgimg.UseDPI(int(72*st.scale+0.5)), vgimg.UseBackgroundColor(st.bg))
	p.Draw(draw.New(c))
	return c.Image()
}

// followersChart draws one line of followers per account over time.
func followersChart(p *plot.Plot, r feeds.Reach, st chartStyle) error {
	byAcct := map[string]plotter.XYs{}
	var order []string
	for _, a := range r.Audience {
		if _, ok := byAcct[a.Account]; !ok {
			order = append(order, a.Account)
		}
		byAcct[a.Account] = append(byAcct[a.Account], plotter.XY{X: float64(a.At.Unix()), Y: float64(a.Followers)})
	}
	for i, id := range order {
		pts := byAcct[id]
		if last := pts[len(pts)-1]; r.Until.Unix() > int64(last.X) {
			pts = append(pts, plotter.XY{X: float64(r.Until.Unix()), Y: last.Y}) // the figure holds until now
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color, l.Width = st.series[i%len(st.series)], vg.Points(2)
		l.StepStyle = plotter.PostStep
		p.Add(l)
	}
	p.X.Min, p.X.Max = float64(r.Since.Unix()), float64(r.Until.Unix())
	p.X.Tick.Marker = plot.TimeTicks{Format: "01-02", Time: func(t float64) time.Time { return time.Unix(int64(t), 0).In(st.zone) }}
	p.Y.Tick.Marker = integerTicks{}
	return nil
}

// engagementChart draws a bar per own post: replies, reposts and likes.
func engagementChart(p *plot.Plot, r feeds.Reach, st chartStyle) error {
	values := make(plotter.Values, len(r.Posts))
	names := make([]string, len(r.Posts))
	every := max(1, len(r.Posts)/8)
	for i, post := range r.Posts {
		values[i] = float64(post.Engagement())
		if i%every == 0 {
			names[i] = post.CreatedAt.In(st.zone).Format("01-02")
		}
	}
	return bars(p, values, names, st.primary, st)
}

// cadenceChart draws the publications of each week and the target.
func cadenceChart(p *plot.Plot, r feeds.Reach, st chartStyle) error {
	values := make(plotter.Values, len(r.Weeks))
	names := make([]string, len(r.Weeks))
	top := float64(r.Target.Max)
	for i, w := range r.Weeks {
		values[i], names[i] = float64(w.Posts), w.Start.In(st.zone).Format("01-02")
		top = max(top, values[i])
	}
	colour := st.primary
	if r.Below {
		colour = st.warning
	}
	if err := bars(p, values, names, colour, st); err != nil {
		return err
	}
	for _, n := range []int{r.Target.Min, r.Target.Max} {
		target := float64(n)
		line := plotter.NewFunction(func(float64) float64 { return target })
		line.Color, line.Width, line.Dashes = st.fg, vg.Points(1.5), []vg.Length{vg.Points(6), vg.Points(4)}
		p.Add(line)
	}
	p.Y.Max = max(p.Y.Max, top+1)
	return nil
}

// hoursChart draws the average engagement of posts by hour of
// publication, in the mission's time zone.
func hoursChart(p *plot.Plot, r feeds.Reach, st chartStyle) error {
	values := make(plotter.Values, len(r.Hours))
	names := make([]string, len(r.Hours))
	for i, h := range r.Hours {
		values[i] = h.Average()
		if i%3 == 0 {
			names[i] = strconv.Itoa(i)
		}
	}
	return bars(p, values, names, st.primary, st)
}

// bars adds a bar chart of values, named along the X axis.
func bars(p *plot.Plot, values plotter.Values, names []string, colour color.Color, st chartStyle) error {
	width := vg.Points(float64(st.width) * 0.6 / float64(max(len(values), 1)))
	b, err := plotter.NewBarChart(values, width)
	if err != nil {
		return err
	}
	b.Color, b.LineStyle.Width = colour, 0
	p.Add(b)
	p.NominalX(names...)
	// Whole bars inside the frame, and room above the highest.
	p.X.Min, p.X.Max = -0.5, float64(len(values))-0.5
	top := 0.0
	for _, v := range values {
		top = max(top, v)
	}
	p.Y.Min, p.Y.Max = 0, max(top*1.1, 1)
	p.Y.Tick.Marker = integerTicks{}
	return nil
}

// integerTicks are the default ticks without the fractional ones, for
// counts of people and posts.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Value != float64(int64(t.Value)) {
			continue
		}
		if t.Label != "" {
			t.Label = strconv.FormatInt(int64(t.Value), 10)
		}
		out = append(out, t)
	}
	return out
}
