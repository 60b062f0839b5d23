package command

import (
	"fmt"
	"strconv"
	"strings"

	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

// The trend chart is drawn on the server as inline SVG: no script, no chart
// library, nothing fetched from elsewhere, and it prints like the rest of the
// page. Layout computes every coordinate; the template only draws them, with
// presentation attributes (fill=, stroke=) because the CSP forbids style="".

// chartSize is one rendering of the chart: its viewBox, the font size in
// user units, and how many date labels fit under it. The page carries a wide
// rendering (desktop, print) and a narrow one (phones), and CSS shows one, so
// text stays legible at 360 px without shrinking a desktop drawing.
type chartSize struct {
	W, H      int
	Font      int
	MaxLabels int
	Class     string
}

var (
	wideChart   = chartSize{W: 960, H: 300, Font: 13, MaxLabels: 14, Class: "cmd-chart-wide"}
	narrowChart = chartSize{W: 360, H: 260, Font: 12, MaxLabels: 5, Class: "cmd-chart-narrow"}
)

// coord is an SVG coordinate, printed with one decimal to keep pages small.
type coord float64

func (c coord) String() string { return strconv.FormatFloat(float64(c), 'f', 1, 64) }

// Chart is the laid-out trend chart.
type Chart struct {
	Class          string
	W, H, Font     int
	X0, X1, Y0, Y1 coord // the plot area: X0 left, X1 right, Y0 top, Y1 bottom (the zero line)
	Grid           []GridLine
	Bars           []Bar
	Line           string // polyline points of the cumulative count
	Last           Point  // the last cumulative point, marked with a dot
	XLabels        []XLabel
	LeftTextX      coord // right end of the left axis' labels
	RightTextX     coord // left end of the right axis' labels
	Edge           coord // the right edge, where the right axis title ends
	AxisTitleY     coord // baseline of the axis titles above the plot
	TickY          coord // lower end of the date ticks
	LabelY         coord // baseline of the date labels
	MidX, MidY     coord // the middle of the plot, for the "no case" note
	Values         bool  // few bars: each carries its count above it
	Empty          bool  // no confirmed case in the range
}

// maxValueBars is how many non-zero bars may carry their count: more would
// crowd the plot, and the data table has them all.
const maxValueBars = 12

// GridLine is one horizontal grid line with the counts it stands for on the
// left (new) and right (cumulative) axes.
type GridLine struct {
	Y, TextY    coord
	Left, Right int
}

// Bar is one day's new confirmed cases. H is zero on days without any.
type Bar struct {
	X, Y, W, H     coord
	LabelX, LabelY coord // where the count stands above the bar
	Date           storage.Date
	New            int
	Cumulative     int
	Last           bool // the day shown: drawn darker
}

// Point is a point of the plot.
type Point struct{ X, Y coord }

// XLabel is a date under the axis; labels are spaced evenly back from the
// last day, so the day shown is always labelled.
type XLabel struct {
	X    coord
	Text string
	Last bool // the day shown: bold
}

// layout places the trend points in a chart of the given size.
func layout(pts []surveillance.TrendPoint, sz chartSize) Chart {
	c := Chart{Class: sz.Class, W: sz.W, H: sz.H, Font: sz.Font}
	maxNew, maxCum := 0, 0
	for _, p := range pts {
		maxNew, maxCum = max(maxNew, p.New), max(maxCum, p.Cumulative)
	}
	c.Empty = maxCum == 0
	k := intervals(maxNew)
	stepNew, topNew := axis(maxNew, k)
	stepCum, topCum := axis(maxCum, k)
	f := float64(sz.Font)
	c.X0 = coord(f*0.62*float64(len(strconv.Itoa(topNew))) + 10)
	c.X1 = coord(float64(sz.W) - f*0.62*float64(len(strconv.Itoa(topCum))) - 10)
	c.Y0, c.Y1 = coord(f*2), coord(float64(sz.H)-f*1.8)
	c.LeftTextX, c.RightTextX, c.Edge = c.X0-6, c.X1+6, coord(sz.W-2)
	c.AxisTitleY, c.TickY, c.LabelY = coord(f*1.1), c.Y1+4, coord(float64(sz.H)-f*0.5)
	c.MidX, c.MidY = (c.X0+c.X1)/2, (c.Y0+c.Y1)/2
	ph := float64(c.Y1 - c.Y0)
	for i := 0; i <= k; i++ {
		y := float64(c.Y1) - ph*float64(i)/float64(k)
		c.Grid = append(c.Grid, GridLine{Y: coord(y), TextY: coord(y + f*0.35), Left: i * stepNew, Right: i * stepCum})
	}
	c.placeDays(pts, float64(topNew), float64(topCum), labelEvery(len(pts), sz.MaxLabels))
	return c
}

// placeDays lays out the bars, the line and the date labels.
func (c *Chart) placeDays(pts []surveillance.TrendPoint, topNew, topCum float64, every int) {
	n := len(pts)
	if n == 0 {
		return
	}
	slot := float64(c.X1-c.X0) / float64(n)
	bw := slot * 0.7
	if slot < 3 {
		bw = slot * 0.9
	}
	ph := float64(c.Y1 - c.Y0)
	line := make([]string, 0, n)
	nonZero := 0
	for i, p := range pts {
		mid := float64(c.X0) + slot*(float64(i)+0.5)
		h := ph * float64(p.New) / topNew
		y := float64(c.Y1) - h
		pt := Point{X: coord(mid), Y: coord(float64(c.Y1) - ph*float64(p.Cumulative)/topCum)}
		c.Bars = append(c.Bars, Bar{X: coord(mid - bw/2), Y: coord(y), W: coord(bw), H: coord(h),
			LabelX: coord(mid), LabelY: coord(valueY(y, float64(pt.Y), float64(c.Font))), Date: p.Date, New: p.New,
			Cumulative: p.Cumulative, Last: i == n-1})
		if p.New > 0 {
			nonZero++
		}
		line = append(line, pt.X.String()+","+pt.Y.String())
		c.Last = pt
		if (n-1-i)%every == 0 {
			c.XLabels = append(c.XLabels, XLabel{X: coord(mid), Text: shortDate(p.Date), Last: i == n-1})
		}
	}
	c.Line = strings.Join(line, " ")
	c.Values = nonZero <= maxValueBars
}

// valueY is the baseline of a bar's count: just above the bar, or above the
// line's point when the line passes where the count would stand.
func valueY(barTop, lineY, font float64) float64 {
	y := barTop - 4
	if lineY <= barTop+2 && lineY > y-font {
		y = lineY - 7
	}
	return y
}

// shortDate is "2/22": short enough for a phone, read the same in both
// languages.
func shortDate(d storage.Date) string { return fmt.Sprintf("%d/%d", d.Month(), d.Day()) }
