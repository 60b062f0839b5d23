package command

import "fangkong/internal/platform/storage"

// niceStep is the smallest 1, 2 or 5 × 10ⁿ that is at least raw (and at least
// 1: the chart counts people, so an axis never steps by a fraction).
func niceStep(raw int) int {
	if raw <= 1 {
		return 1
	}
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*mag >= raw {
				return m * mag
			}
		}
	}
}

// axis scales a count axis to k equal intervals: the step is a nice number and
// the top (step × k) is at least max, so the tallest bar or the line's last
// point stays inside the plot.
func axis(max, k int) (step, top int) {
	if k < 1 {
		k = 1
	}
	step = niceStep((max + k - 1) / k)
	return step, step * k
}

// intervals is how many horizontal grid intervals both axes share. Both axes
// use the same number so their ticks fall on the same grid lines; small
// counts get fewer intervals so a single new case is not a sliver.
func intervals(maxNew int) int {
	switch {
	case maxNew < 2:
		return 2
	case maxNew > 5:
		return 5
	}
	return maxNew
}

// labelEvery is how many days apart the date labels of an n-day axis stand so
// that at most max of them fit: 1, 2 or 3 days, then whole weeks, so labels of
// long ranges fall on the same weekday.
func labelEvery(n, max int) int {
	if max < 1 {
		max = 1
	}
	for _, s := range []int{1, 2, 3, 7, 14, 21, 28, 35, 42, 56} {
		if (n+s-1)/s <= max {
			return s
		}
	}
	return (n + max - 1) / max
}

// Trend bounds: the chart starts at the month of the first confirmed case or
// 30 days before the day shown, whichever is earlier, and covers at most
// maxTrendDays days (about four months fit on a phone and a sheet of A4).
const (
	minTrendDays = 30
	maxTrendDays = 120
)

// trendFrom is the first day of the trend chart ending on d. first is the day
// of the first confirmed case (zero when there is none).
func trendFrom(d, first storage.Date) storage.Date {
	from := d.AddDays(-(minTrendDays - 1))
	if !first.IsZero() && !first.After(d.Time) {
		month := storage.MustDate(first.Format("2006-01") + "-01")
		if month.Before(from.Time) {
			from = month
		}
	}
	if earliest := d.AddDays(-(maxTrendDays - 1)); from.Before(earliest.Time) {
		from = earliest
	}
	return from
}
