package command

import (
	"strings"
	"testing"

	"fangkong/internal/platform/storage"
	"fangkong/internal/surveillance"
)

// points builds a trend from daily new counts, starting on start.
func points(start string, news ...int) []surveillance.TrendPoint {
	d := storage.MustDate(start)
	var out []surveillance.TrendPoint
	cum := 0
	for i, n := range news {
		cum += n
		out = append(out, surveillance.TrendPoint{Date: d.AddDays(i), New: n, Cumulative: cum, Current: cum})
	}
	return out
}

func TestLayoutGeometry(t *testing.T) {
	news := make([]int, 53)
	news[27], news[31] = 1, 1 // 2020-01-28 and 2020-02-01
	for _, sz := range []chartSize{wideChart, narrowChart} {
		c := layout(points("2020-01-01", news...), sz)
		if len(c.Bars) != 53 {
			t.Fatalf("%s: %d bars", sz.Class, len(c.Bars))
		}
		if c.X0 <= 0 || c.X1 >= coord(sz.W) || c.Y0 <= 0 || c.Y1 >= coord(sz.H) || c.X0 >= c.X1 || c.Y0 >= c.Y1 {
			t.Errorf("%s: plot %v-%v × %v-%v outside the %d×%d view", sz.Class, c.X0, c.X1, c.Y0, c.Y1, sz.W, sz.H)
		}
		for i, b := range c.Bars {
			if b.X < c.X0 || b.X+b.W > c.X1+0.01 || b.Y < c.Y0-0.01 || b.Y+b.H > c.Y1+0.01 || b.W <= 0 {
				t.Errorf("%s: bar %d (%v,%v %v×%v) outside the plot", sz.Class, i, b.X, b.Y, b.W, b.H)
			}
			if (b.New == 0) != (b.H == 0) {
				t.Errorf("%s: bar %d: new %d, height %v", sz.Class, i, b.New, b.H)
			}
		}
		// One new case on a 0–2 axis is half the plot; the cumulative 2 reaches the top.
		if h := c.Bars[27].H; !near(float64(h), float64(c.Y1-c.Y0)/2) {
			t.Errorf("%s: bar of 1 is %v high, plot %v", sz.Class, h, c.Y1-c.Y0)
		}
		if !near(float64(c.Last.Y), float64(c.Y0)) {
			t.Errorf("%s: last cumulative point at %v, top %v", sz.Class, c.Last.Y, c.Y0)
		}
		if !c.Bars[52].Last || c.Bars[51].Last {
			t.Errorf("%s: last bar not marked", sz.Class)
		}
		if got := strings.Count(c.Line, ","); got != 53 {
			t.Errorf("%s: line has %d points", sz.Class, got)
		}
		last := c.XLabels[len(c.XLabels)-1]
		if last.Text != "2/22" || !last.Last {
			t.Errorf("%s: last date label %+v, want 2/22", sz.Class, last)
		}
		if len(c.XLabels) > sz.MaxLabels {
			t.Errorf("%s: %d date labels, at most %d fit", sz.Class, len(c.XLabels), sz.MaxLabels)
		}
		if !c.Values || c.Empty {
			t.Errorf("%s: two bars should carry their counts (values %v, empty %v)", sz.Class, c.Values, c.Empty)
		}
	}
}

func TestLayoutAxesShareGrid(t *testing.T) {
	news := []int{0, 3, 7, 12, 9, 4, 0, 1}
	c := layout(points("2020-02-01", news...), wideChart)
	// 12 new over 5 intervals steps by 5 (top 25); cumulative 36 steps by 10 (top 50).
	if len(c.Grid) != 6 {
		t.Fatalf("%d grid lines", len(c.Grid))
	}
	for i, g := range c.Grid {
		if g.Left != i*5 || g.Right != i*10 {
			t.Errorf("grid %d: %d | %d, want %d | %d", i, g.Left, g.Right, i*5, i*10)
		}
	}
	if c.Grid[0].Y != c.Y1 || !near(float64(c.Grid[5].Y), float64(c.Y0)) {
		t.Errorf("grid runs %v..%v, plot %v..%v", c.Grid[0].Y, c.Grid[5].Y, c.Y1, c.Y0)
	}
	if c.Values != true {
		t.Error("seven bars should carry their counts")
	}
}

func TestLayoutEdgeCases(t *testing.T) {
	empty := layout(points("2020-01-24", make([]int, 30)...), narrowChart)
	if !empty.Empty || len(empty.Bars) != 30 || empty.Grid[len(empty.Grid)-1].Right != 2 {
		t.Errorf("no case: empty %v, %d bars, grid %+v", empty.Empty, len(empty.Bars), empty.Grid)
	}
	none := layout(nil, wideChart)
	if len(none.Bars) != 0 || none.Line != "" {
		t.Errorf("no points: %+v", none)
	}
	busy := make([]int, 120)
	for i := range busy {
		busy[i] = i % 9
	}
	c := layout(points("2020-01-01", busy...), narrowChart)
	if c.Values {
		t.Error("a busy chart should not print a count on every bar")
	}
	// Long numbers push the plot in so the axis labels still fit.
	small, big := layout(points("2020-01-01", 1, 1), wideChart), layout(points("2020-01-01", 4000, 9000), wideChart)
	if big.X1 >= small.X1 || big.X0 <= small.X0 {
		t.Errorf("margins did not grow for long labels: %v..%v vs %v..%v", big.X0, big.X1, small.X0, small.X1)
	}
}

func TestCoordPrintsOneDecimal(t *testing.T) {
	for v, want := range map[coord]string{0: "0.0", 1.25: "1.2", 12.349: "12.3", 960: "960.0"} {
		if v.String() != want {
			t.Errorf("%v prints %q, want %q", float64(v), v.String(), want)
		}
	}
}

func near(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }

func TestValueYAvoidsTheLine(t *testing.T) {
	cases := []struct {
		name                 string
		barTop, lineY, wantY float64
	}{
		{"line far above", 100, 20, 96},
		{"line through the bar", 100, 150, 96},
		{"line at the bar top", 100, 100, 93},
		{"line just above the count", 100, 90, 83},
	}
	for _, c := range cases {
		if got := valueY(c.barTop, c.lineY, 13); got != c.wantY {
			t.Errorf("%s: %v, want %v", c.name, got, c.wantY)
		}
	}
}
