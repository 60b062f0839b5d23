package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"fangkong/internal/platform/storage"
)

// killTest runs the load, SIGKILLs Fangkong in the middle of it, restarts it
// and compares every acknowledged passage with what the database holds: none
// may be lost, none stored twice. Then it re-sends acknowledged passages, as
// a phone would after a lost answer, and checks each is answered as already
// stored under the same id.
func killTest(ctx context.Context, o Options, name, dsn, tmp string, w world) error {
	c, err := startChild(ctx, "/readyz", serveArgs(dsn, tmp)...)
	if err != nil {
		return err
	}
	cookies, err := login("http://"+c.addr, w.users)
	if err != nil {
		c.kill()
		return err
	}
	tg := target{url: "http://" + c.addr + "/api/v1/passages", cookies: cookies}
	mk := passageBody(w.checkpoints)
	loadFor := max(2*time.Second, o.Duration/2)
	go func() {
		time.Sleep(loadFor / 2)
		c.kill() // SIGKILL: no shutdown, no flush
	}()
	s := drive(ctx, tg, o.Conns, loadFor, mk)
	c.kill()
	stored, dups, err := storedPassages(ctx, dsn)
	if err != nil {
		return err
	}
	lost, wrong := 0, 0
	for key, id := range s.Acks {
		got, ok := stored[key]
		switch {
		case !ok:
			lost++
		case got != id:
			wrong++
		}
	}
	fmt.Fprintf(o.Out, "\n== %s: SIGKILL mid-load\n   %d passages acknowledged before the kill (%d requests failed from then on); %d passages in the database\n"+
		"   acknowledged but lost %d · stored twice %d · answered with another id %d\n", name, len(s.Acks), s.Errors, len(stored), lost, dups, wrong)
	return resend(ctx, o, dsn, tmp, w, s.Acks)
}

// storedPassages maps the client id of every stored passage to its id and
// counts client ids stored more than once (the unique key makes that 0).
func storedPassages(ctx context.Context, dsn string) (map[string]int64, int, error) {
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	rows, err := db.R.QueryContext(ctx, `SELECT client_id, id FROM passages`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out, dups := map[string]int64{}, 0
	for rows.Next() {
		var key string
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return nil, 0, err
		}
		if _, ok := out[key]; ok {
			dups++
		}
		out[key] = id
	}
	return out, dups, rows.Err()
}

// resend restarts Fangkong and uploads a sample of the acknowledged
// passages again: each must come back 200 (already stored) with its id, and
// the number of passages must not change.
func resend(ctx context.Context, o Options, dsn, tmp string, w world, acks map[string]int64) error {
	c, err := startChild(ctx, "/readyz", serveArgs(dsn, tmp)...)
	if err != nil {
		return err
	}
	defer c.stop()
	cookies, err := login("http://"+c.addr, w.users)
	if err != nil {
		return err
	}
	before, _, err := storedPassages(ctx, dsn)
	if err != nil {
		return err
	}
	sent, same := 0, 0
	for key, id := range acks {
		if sent == 500 {
			break
		}
		wk := workerOf(key)
		body := string(passageJSON(key, checkpointOf(w.checkpoints, wk)))
		req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+c.addr+"/api/v1/passages", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", cookies[wk%len(cookies)])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		var buf [64]byte
		k, _ := res.Body.Read(buf[:])
		res.Body.Close()
		sent++
		if res.StatusCode == 200 && leadingID(buf[:k]) == id {
			same++
		}
	}
	after, _, err := storedPassages(ctx, dsn)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "   after restart: %d acknowledged passages re-sent → %d answered 200 with the same id · passages stored %d → %d\n",
		sent, same, len(before), len(after))
	return nil
}
