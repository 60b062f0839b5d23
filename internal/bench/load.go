package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// request makes the body of worker w's n-th request and the key that
// identifies it (the passage's client id).
type request func(w, n int) (body []byte, key string)

// Stats are one load run's figures.
type Stats struct {
	Requests int
	Errors   int // transport errors and non-2xx answers
	Elapsed  time.Duration
	P50, P99 time.Duration
	Max      time.Duration
	// ServerCPU, DBCPU and LoadCPU are the CPU time per request of the
	// server process, of the database's own processes (PostgreSQL; 0 for
	// SQLite, which is in the server's) and of the load generator (0 when
	// unknown).
	ServerCPU, DBCPU, LoadCPU time.Duration
	// Commits is how many transactions the server's group committer wrote
	// during the run, PerCommit the passages each carried on average.
	Commits   int
	PerCommit float64
	// Acks maps each acknowledged (2xx) request's key to the id the server
	// answered with.
	Acks map[string]int64
}

// RPS is the acknowledged requests per second.
func (s Stats) RPS() float64 { return float64(s.Requests-s.Errors) / s.Elapsed.Seconds() }

func (s Stats) String() string {
	out := fmt.Sprintf("%8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d requests, %d errors)",
		s.RPS(), ms(s.P50), ms(s.P99), ms(s.Max), s.Requests, s.Errors)
	if s.ServerCPU > 0 {
		out += fmt.Sprintf("\n   CPU per request: server %d µs", s.ServerCPU.Microseconds())
		if s.DBCPU > 0 {
			out += fmt.Sprintf(" · PostgreSQL %d µs", s.DBCPU.Microseconds())
		}
		out += fmt.Sprintf(" · load generator %d µs", s.LoadCPU.Microseconds())
	}
	if s.Commits > 0 {
		out += fmt.Sprintf("\n   group commit: %d transactions, %.1f passages per fsync", s.Commits, s.PerCommit)
	}
	return out
}

// TotalCPU is the CPU time per request of every process taking part.
func (s Stats) TotalCPU() time.Duration { return s.ServerCPU + s.DBCPU + s.LoadCPU }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// target is where the load goes: the URL and, per worker, the cookie of its
// session.
type target struct {
	url     string
	cookies []string
}

// drive runs conns workers, each on its own keep-alive connection, sending
// POSTs back to back until ctx ends or dur passes. Only what happens within
// dur counts; the caller may cancel ctx early (the SIGKILL test does not).
func drive(ctx context.Context, tg target, conns int, dur time.Duration, mk request) Stats {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	results := make([]workerStats, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = work(ctx, client, tg, w, mk)
		}()
	}
	wg.Wait()
	return merge(results, time.Since(start))
}

type workerStats struct {
	n, errs int
	lat     []time.Duration
	acks    map[string]int64
}

func work(ctx context.Context, client *http.Client, tg target, w int, mk request) workerStats {
	ws := workerStats{acks: map[string]int64{}, lat: make([]time.Duration, 0, 4096)}
	cookie := ""
	if len(tg.cookies) > 0 {
		cookie = tg.cookies[w%len(tg.cookies)]
	}
	for n := 0; ctx.Err() == nil; n++ {
		body, key := mk(w, n)
		req, _ := http.NewRequestWithContext(ctx, "POST", tg.url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		t0 := time.Now()
		res, err := client.Do(req)
		var reply []byte
		if err == nil {
			reply, err = io.ReadAll(res.Body)
			res.Body.Close()
		}
		d := time.Since(t0)
		if ctx.Err() != nil && err != nil {
			break // cut off by the end of the run, not the server's fault
		}
		ws.n++
		ws.lat = append(ws.lat, d)
		if err != nil || res.StatusCode/100 != 2 {
			ws.errs++
			continue
		}
		ws.acks[key] = leadingID(reply)
	}
	return ws
}

// leadingID reads the id of a reply that starts {"id":123, (a passage).
func leadingID(b []byte) int64 {
	rest, ok := bytes.CutPrefix(b, []byte(`{"id":`))
	if !ok {
		return 0
	}
	end := bytes.IndexAny(rest, ",}")
	if end < 0 {
		return 0
	}
	id, _ := strconv.ParseInt(string(rest[:end]), 10, 64)
	return id
}

func merge(ws []workerStats, elapsed time.Duration) Stats {
	s := Stats{Elapsed: elapsed, Acks: map[string]int64{}}
	var lat []time.Duration
	for _, w := range ws {
		s.Requests += w.n
		s.Errors += w.errs
		lat = append(lat, w.lat...)
		for k, v := range w.acks {
			s.Acks[k] = v
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		s.P50, s.P99, s.Max = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	}
	return s
}
