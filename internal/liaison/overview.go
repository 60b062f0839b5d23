package liaison

import (
	"context"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
)

// LeaderLine is one leader's line of the overview on a day.
type LeaderLine struct {
	Leader
	Assignments int          `json:"assignments"` // running on the day
	Visits      int          `json:"visits"`      // made up to the day
	LastVisit   storage.Date `json:"last_visit"`
	problem.Tally
}

// Overview is the liaison system at the end of a day, computed from the
// records: the problems in total, by the department they were assigned to and
// by the leader who answers for them (a problem in a township and at one of
// its enterprises counts for both their leaders), and each leader's
// assignments and visits. The command dashboard can show it as it is.
type Overview struct {
	Date         storage.Date              `json:"date"`
	Total        problem.Tally             `json:"total"`
	ByDepartment []problem.DepartmentTally `json:"by_department"`
	ByLeader     []LeaderLine              `json:"by_leader"`
}

// Overview computes the overview of day d over what p may see.
func (s *Store) Overview(ctx context.Context, p *auth.Principal, d storage.Date) (Overview, error) {
	o := Overview{Date: d, ByLeader: []LeaderLine{}}
	snaps, err := s.Problems.Snapshots(ctx, p, d, Source)
	if err != nil {
		return o, err
	}
	o.Total = problem.Total(snaps)
	if o.ByDepartment, err = s.Problems.ByDepartment(ctx, snaps); err != nil {
		return o, err
	}
	leaders, err := s.Leaders(ctx)
	if err != nil {
		return o, err
	}
	as, err := s.Assignments(ctx, p, 0, d)
	if err != nil {
		return o, err
	}
	visits, err := s.visitCounts(ctx, p, d)
	if err != nil {
		return o, err
	}
	byLeader := map[int64][]Assignment{}
	for _, a := range as {
		byLeader[a.LeaderID] = append(byLeader[a.LeaderID], a)
	}
	for _, l := range leaders {
		line := LeaderLine{Leader: l, Visits: visits[l.ID].n, LastVisit: visits[l.ID].last}
		for _, a := range byLeader[l.ID] {
			if a.Covers(d) {
				line.Assignments++
			}
		}
		iv := involvementOf(l.ID, byLeader[l.ID])
		for _, sn := range snaps {
			if iv.Covers(sn) {
				line.Add(sn)
			}
		}
		o.ByLeader = append(o.ByLeader, line)
	}
	problem.SortTallies(o.ByLeader, func(l LeaderLine) (problem.Tally, string) { return l.Tally, l.Username })
	return o, nil
}

type visitCount struct {
	n    int
	last storage.Date
}

// visitCounts counts each leader's visits up to day d that p may see.
func (s *Store) visitCounts(ctx context.Context, p *auth.Principal, d storage.Date) (map[int64]visitCount, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT v.leader_id, COUNT(*), MAX(v.day) FROM liaison_visits v
		WHERE `+readable(p, "v", &args)+` AND v.day <= `+args.Add(d)+` GROUP BY v.leader_id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "visit counts")
	}
	defer rows.Close()
	out := map[int64]visitCount{}
	for rows.Next() {
		var id int64
		var c visitCount
		if err := rows.Scan(&id, &c.n, &c.last); err != nil {
			return nil, errs.Wrap(err, "visit counts scan")
		}
		out[id] = c
	}
	return out, errs.Wrap(rows.Err(), "visit counts")
}
