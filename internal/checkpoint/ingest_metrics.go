package checkpoint

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ingestMetrics are the group committer's series on /metrics. Rows divided
// by groups is the number of passages each fsync carries: the figure that
// says whether group commit is working (see docs/benchmarks.md).
type ingestMetrics struct {
	groups  prometheus.Counter
	rows    prometheus.Counter
	seconds prometheus.Histogram
}

// registerIngestMetrics adds the committer's series to reg.
func (c *committer) registerIngestMetrics(reg *prometheus.Registry) {
	m := &ingestMetrics{
		groups: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "fangkong_passage_commit_groups_total", Help: "Transactions (one fsync each) written by the passage group committer.",
		}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "fangkong_passage_commit_rows_total", Help: "Passages handed to the group committer (new, retried or refused).",
		}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "fangkong_passage_commit_seconds", Help: "Time to write and commit one group.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .25, 1},
		}),
	}
	reg.MustRegister(m.groups, m.rows, m.seconds)
	c.metrics = m
}

// observe records one committed group.
func (m *ingestMetrics) observe(rows int, took time.Duration) {
	if m == nil {
		return
	}
	m.groups.Inc()
	m.rows.Add(float64(rows))
	m.seconds.Observe(took.Seconds())
}
