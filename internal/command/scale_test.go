package command

import (
	"testing"

	"fangkong/internal/platform/storage"
)

func TestNiceStep(t *testing.T) {
	cases := []struct{ raw, want int }{
		{-3, 1}, {0, 1}, {1, 1}, {2, 2}, {3, 5}, {5, 5}, {6, 10}, {11, 20}, {21, 50}, {51, 100}, {101, 200}, {4999, 5000}, {5001, 10000},
	}
	for _, c := range cases {
		if got := niceStep(c.raw); got != c.want {
			t.Errorf("niceStep(%d) = %d, want %d", c.raw, got, c.want)
		}
	}
}

func TestAxis(t *testing.T) {
	cases := []struct{ max, k, step, top int }{
		{0, 2, 1, 2},     // no case at all: a small empty axis, not a division by zero
		{1, 2, 1, 2},     // the demo's one new case: half the height
		{2, 2, 1, 2},     // the demo's cumulative 2: the line reaches the top
		{3, 3, 1, 3},     // small counts step by one
		{7, 5, 2, 10},    // 7/5 → 2
		{50, 5, 10, 50},  // exact fit
		{51, 5, 20, 100}, // just over: the next nice step
		{1234, 5, 500, 2500},
		{5, 0, 5, 5}, // k < 1 is treated as one interval
	}
	for _, c := range cases {
		step, top := axis(c.max, c.k)
		if step != c.step || top != c.top {
			t.Errorf("axis(%d, %d) = %d, %d; want %d, %d", c.max, c.k, step, top, c.step, c.top)
		}
		if top < c.max {
			t.Errorf("axis(%d, %d): top %d below max", c.max, c.k, top)
		}
	}
}

func TestIntervals(t *testing.T) {
	for max, want := range map[int]int{0: 2, 1: 2, 2: 2, 3: 3, 4: 4, 5: 5, 6: 5, 300: 5} {
		if got := intervals(max); got != want {
			t.Errorf("intervals(%d) = %d, want %d", max, got, want)
		}
	}
}

func TestLabelEvery(t *testing.T) {
	cases := []struct{ n, max, want int }{
		{1, 5, 1}, {5, 5, 1}, {6, 5, 2}, {10, 5, 2}, {15, 5, 3}, {30, 5, 7}, {53, 5, 14}, {53, 14, 7},
		{120, 14, 14}, {120, 5, 28}, {120, 1, 120}, {500, 2, 250}, {10, 0, 14},
	}
	for _, c := range cases {
		got := labelEvery(c.n, c.max)
		if got != c.want {
			t.Errorf("labelEvery(%d, %d) = %d, want %d", c.n, c.max, got, c.want)
		}
		if max := max(c.max, 1); (c.n+got-1)/got > max {
			t.Errorf("labelEvery(%d, %d) = %d gives too many labels", c.n, c.max, got)
		}
	}
}

func TestTrendFrom(t *testing.T) {
	d := storage.MustDate
	cases := []struct {
		name      string
		day, from string
		first     string
	}{
		{"no case: the last 30 days", "2020-02-22", "2020-01-24", ""},
		{"first case's month when earlier", "2020-02-22", "2020-01-01", "2020-01-28"},
		{"30 days when the month is later", "2020-02-22", "2020-01-24", "2020-02-05"},
		{"at most 120 days", "2020-06-30", "2020-03-03", "2020-01-10"},
		{"a first case after the day is ignored", "2020-02-22", "2020-01-24", "2020-03-01"},
	}
	for _, c := range cases {
		var first storage.Date
		if c.first != "" {
			first = d(c.first)
		}
		got := trendFrom(d(c.day), first)
		if got.String() != c.from {
			t.Errorf("%s: trendFrom = %s, want %s", c.name, got, c.from)
		}
		if n := d(c.day).DaysSince(got) + 1; n > maxTrendDays || n < minTrendDays {
			t.Errorf("%s: %d days", c.name, n)
		}
	}
}
