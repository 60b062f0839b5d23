package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"fangkong/internal/checkpoint"
	"fangkong/internal/org"
	"fangkong/internal/platform/storage"
)

// rosterFrom is the Monday of the first rostered week; the last rostered
// week is the report's (it ends on Sunday 23 February), so the dashboard's
// "next 24 h" on the 22nd has its shifts.
const rosterFrom = "2020-01-27"

// perCheckpoint is how many volunteers a township's pool holds for each of
// its checkpoints: 3 × 8 h with two a shift is 336 h a week, so 9 people
// stand about 37 h each, under the 56 h maximum.
const perCheckpoint = 9

// loadRosters gives every township with checkpoints a volunteer pool (with a
// cadre and a police officer), lays each checkpoint's shifts (3 × 8 h, or
// day shifts within its hours), generates the rosters week by week through
// the same store the pages use, and records the duty check-ins of every
// shift begun by the end of the report's day. checkpoint-dongwang checks in
// as one of 东汪镇's volunteers.
func loadRosters(ctx context.Context, sc *scenario) error {
	r := sc.rng("roster")
	st := checkpoint.NewStore(sc.db, func() time.Time { return sc.today.Add(16 * time.Hour) }, nil, nil)
	cps, err := st.List(ctx, sc.loader, 0)
	if err != nil {
		return err
	}
	byTown := map[int64][]checkpoint.Checkpoint{}
	var towns []int64
	for _, c := range cps {
		t := sc.townOf(c.DivisionID)
		if byTown[t.ID] == nil {
			towns = append(towns, t.ID)
		}
		byTown[t.ID] = append(byTown[t.ID], c)
		if !c.AllDay() {
			custom := c.HoursFrom + "-14:00,14:00-" + c.HoursTo
			if _, err := st.SavePattern(ctx, sc.loader, c.ID, checkpoint.PatternInput{Kind: string(checkpoint.Custom), Custom: custom, MinStaff: 1}); err != nil {
				return fmt.Errorf("pattern %s: %w", c.Name, err)
			}
		}
	}
	people := 0
	for _, t := range towns {
		n, err := sc.makePool(ctx, r, st, sc.byID[t], perCheckpoint*len(byTown[t]))
		if err != nil {
			return err
		}
		people += n
	}
	duties, gaps := 0, 0
	for mon := storage.MustDate(rosterFrom); !mon.After(sc.today.Time); mon = mon.AddDays(7) {
		for _, c := range cps {
			res, err := st.GenerateRoster(ctx, sc.loader, c.ID, mon, mon.AddDays(6))
			if err != nil {
				return fmt.Errorf("roster %s %s: %w", c.Name, mon, err)
			}
			duties, gaps = duties+len(res.Duties), gaps+len(res.Gaps)
		}
	}
	if err := sc.checkIns(ctx, r); err != nil {
		return err
	}
	sc.sum.count("值守人员库（志愿者、干部、民警）", "duty pool (volunteers, cadres, police)", int64(people))
	sc.sum.count("值守排班（1月27日至2月23日，人次）", "duties rostered (27 Jan – 23 Feb)", int64(duties))
	sc.sum.count("缺岗班次", "understaffed shifts", int64(gaps))
	return nil
}

// townOf is the township of a division (itself when it is one).
func (sc *scenario) townOf(id int64) org.Node {
	n := sc.byID[id]
	if n.Level == org.Village {
		return sc.town(n)
	}
	return n
}

// makePool adds n volunteers, one cadre and one police officer to a
// township's pool; the first 东汪镇 volunteer is checkpoint-dongwang's.
func (sc *scenario) makePool(ctx context.Context, r *rand.Rand, st *checkpoint.Store, town org.Node, n int) (int, error) {
	kinds := []checkpoint.PersonKind{checkpoint.Cadre, checkpoint.Police}
	for range n {
		kinds = append(kinds, checkpoint.Volunteer)
	}
	for i, k := range kinds {
		in := checkpoint.PersonInput{DivisionID: town.ID, Name: personName(r, r.IntN(2) == 0), Phone: mobile(r), Kind: string(k), Available: true}
		if town.NameZH == "东汪镇" && i == 2 {
			in.Username = "checkpoint-dongwang"
		}
		if _, err := st.SavePerson(ctx, sc.loader, 0, in); err != nil {
			return 0, fmt.Errorf("duty person: %w", err)
		}
	}
	return len(kinds), nil
}

// checkIns records a check-in a few minutes before, and a check-out a few
// minutes after, every rostered shift begun by the end of the report's day.
func (sc *scenario) checkIns(ctx context.Context, r *rand.Rand) error {
	zone := time.FixedZone("CST", 8*3600)
	end := time.Date(sc.today.Year(), sc.today.Month(), sc.today.Day(), 24, 0, 0, 0, zone).UTC()
	return sc.db.InTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT a.id, s.starts_at, s.ends_at FROM checkpoint_assignments a
			JOIN checkpoint_shifts s ON s.id = a.shift_id WHERE s.starts_at < $1 ORDER BY a.id`, end)
		if err != nil {
			return err
		}
		type punch struct {
			id       int64
			from, to time.Time
		}
		var ps []punch
		for rows.Next() {
			var p punch
			if err := rows.Scan(&p.id, &p.from, &p.to); err != nil {
				rows.Close()
				return err
			}
			ps = append(ps, p)
		}
		rows.Close()
		for _, p := range ps {
			in := p.from.Add(-time.Duration(r.IntN(15)) * time.Minute).UTC()
			out := p.to.Add(time.Duration(r.IntN(10)) * time.Minute).UTC()
			if _, err := tx.ExecContext(ctx, `UPDATE checkpoint_assignments SET checked_in_at = $1, checked_out_at = $2 WHERE id = $3`,
				in, out, p.id); err != nil {
				return err
			}
		}
		return nil
	})
}
