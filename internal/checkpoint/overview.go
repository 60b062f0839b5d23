package checkpoint

import (
	"context"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Figures are one day's passage figures of a checkpoint, a township or the
// whole scope, computed from the passage log.
type Figures struct {
	In        int `json:"in"`
	Out       int `json:"out"`
	External  int `json:"external_vehicles"`
	Returned  int `json:"persuaded_returns"`
	Observed  int `json:"sent_to_observation"`
	Fevers    int `json:"fevers"`
	Passages  int `json:"passages"`
	Unstaffed int `json:"checkpoints_without_records"`
}

func (f *Figures) add(g Figures) {
	f.In, f.Out, f.External, f.Returned = f.In+g.In, f.Out+g.Out, f.External+g.External, f.Returned+g.Returned
	f.Observed, f.Fevers, f.Passages, f.Unstaffed = f.Observed+g.Observed, f.Fevers+g.Fevers, f.Passages+g.Passages, f.Unstaffed+g.Unstaffed
}

// CheckpointDay is one checkpoint's figures for the day.
type CheckpointDay struct {
	Checkpoint Checkpoint `json:"checkpoint"`
	Figures
	// Silent is true for an open checkpoint where nobody recorded a passage
	// that day: no one on duty there, or no one recording.
	Silent bool `json:"silent"`
}

// TownshipDay is one township's figures for the day.
type TownshipDay struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Figures
}

// Overview is the checkpoints' day for the dashboard: totals, per township,
// per checkpoint. Every figure is counted from the passages of that day.
type Overview struct {
	Date        storage.Date    `json:"date"`
	Total       Figures         `json:"total"`
	Townships   []TownshipDay   `json:"townships"`
	Checkpoints []CheckpointDay `json:"checkpoints"`
}

// Overview computes day d's figures over the checkpoints in the caller's
// checkpoint.read scope, narrowed to divisionID's subtree when set.
func (s *Store) Overview(ctx context.Context, p *auth.Principal, d storage.Date, divisionID int64) (Overview, error) {
	cps, err := s.List(ctx, p, divisionID)
	if err != nil {
		return Overview{}, err
	}
	counts, err := s.dayCounts(ctx, p, d, 0)
	if err != nil {
		return Overview{}, err
	}
	towns, err := s.townNames(ctx)
	if err != nil {
		return Overview{}, err
	}
	ov := Overview{Date: d, Townships: []TownshipDay{}, Checkpoints: []CheckpointDay{}}
	byTown := map[int64]*TownshipDay{}
	for _, c := range cps {
		row := CheckpointDay{Checkpoint: c, Figures: counts[c.ID]}
		row.Silent = c.Status == Open && row.Passages == 0
		if row.Silent {
			row.Unstaffed = 1
		}
		ov.Checkpoints = append(ov.Checkpoints, row)
		ov.Total.add(row.Figures)
		tid := townOf(c.divisionPath)
		if byTown[tid] == nil {
			ov.Townships = append(ov.Townships, TownshipDay{ID: tid, Name: towns[tid][0], NameEN: towns[tid][1]})
			byTown[tid] = &ov.Townships[len(ov.Townships)-1]
		}
	}
	for i := range ov.Townships {
		byTown[ov.Townships[i].ID] = &ov.Townships[i]
	}
	for _, row := range ov.Checkpoints {
		byTown[townOf(row.Checkpoint.divisionPath)].add(row.Figures)
	}
	return ov, nil
}

// dayCounts counts day d's passages per checkpoint (of checkpoint only alone
// when not 0) in one grouped query over the (checkpoint_id, at) index.
func (s *Store) dayCounts(ctx context.Context, p *auth.Principal, d storage.Date, only int64) (map[int64]Figures, error) {
	from, to := dayBounds(d.Year(), d.Month(), d.Day(), s.Zone)
	var args storage.Args
	one := ""
	if only != 0 {
		one = " AND x.checkpoint_id = " + args.Add(only)
	}
	q := `SELECT x.checkpoint_id,
		SUM(CASE WHEN x.direction = 'in' THEN 1 ELSE 0 END), SUM(CASE WHEN x.direction = 'out' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.external THEN 1 ELSE 0 END), SUM(CASE WHEN x.decision = 'return' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.decision = 'observe' THEN 1 ELSE 0 END), SUM(CASE WHEN x.fever THEN 1 ELSE 0 END), COUNT(*)
		FROM passages x WHERE x.checkpoint_id IN (SELECT c.id FROM checkpoints c WHERE ` + scopeSQL(p, auth.PermCheckpointRead, &args) + `)
		AND x.at >= ` + args.Add(from) + ` AND x.at < ` + args.Add(to) + one + ` GROUP BY x.checkpoint_id`
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "checkpoint day")
	}
	defer rows.Close()
	out := map[int64]Figures{}
	for rows.Next() {
		var id int64
		var f Figures
		if err := rows.Scan(&id, &f.In, &f.Out, &f.External, &f.Returned, &f.Observed, &f.Fevers, &f.Passages); err != nil {
			return nil, errs.Wrap(err, "checkpoint day scan")
		}
		out[id] = f
	}
	return out, rows.Err()
}

// townNames maps each township (and the county) id to its Chinese and English names.
func (s *Store) townNames(ctx context.Context) (map[int64][2]string, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name_zh, name_en FROM org_nodes WHERE level IN ('township', 'county')`)
	if err != nil {
		return nil, errs.Wrap(err, "township names")
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var zh, en string
		if err := rows.Scan(&id, &zh, &en); err != nil {
			return nil, errs.Wrap(err, "township scan")
		}
		out[id] = [2]string{zh, en}
	}
	return out, rows.Err()
}

// townOf is the township id in an org path ('/1/4/27/' → 4); a checkpoint on
// the county itself counts under the county (1).
func townOf(path string) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	i := 1
	if len(parts) < 2 {
		i = 0
	}
	id, _ := strconv.ParseInt(parts[i], 10, 64)
	return id
}
