package screening

import (
	"context"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// DueRow is one person on a day's follow-up list.
type DueRow struct {
	Observation Observation `json:"observation"`
	Phone       string      `json:"phone"`  // masked
	DayOf       int         `json:"day_of"` // day n of the period (the start is day 1)
	AM          *FollowUp   `json:"am,omitempty"`
	PM          *FollowUp   `json:"pm,omitempty"`
	// Missed counts the unrecorded slots of the whole period so far.
	Missed     int   `json:"missed"`
	AlertID    int64 `json:"alert_id,omitempty"` // an alert still open
	ReleaseDue bool  `json:"release_due"`
	// FollowUpDay is false once the planned period is over: only release remains.
	FollowUpDay bool `json:"followup_day"`
}

// DueList is a day's follow-up list for a division.
type DueList struct {
	Date  storage.Date `json:"date"`
	Clock Clock        `json:"-"`
	Rows  []DueRow     `json:"rows"`
	// Due, Done and Missed count the day's slots; ReleaseDue the people whose
	// period is over.
	Due        int  `json:"due"`
	Done       int  `json:"done"`
	Missed     int  `json:"missed"`
	ReleaseDue int  `json:"release_due"`
	Truncated  bool `json:"truncated"`
}

// maxDueRows bounds one due list: a village has tens, a township hundreds.
const maxDueRows = 2000

// Due lists everyone under observation on day d in a division of the
// caller's scope, with the day's two follow-ups, the slots missed so far,
// open alerts and who is due for release. Names and phones are masked.
func (s *Store) Due(ctx context.Context, p *auth.Principal, divisionID int64, d storage.Date) (DueList, error) {
	rules := s.Rules(ctx)
	list := DueList{Date: d, Clock: rules.ClockAt(d, s.Today(), s.now().In(s.zone()).Hour())}
	sc, err := s.scope(ctx, p, PermRead, divisionID)
	if err != nil {
		return list, err
	}
	var args storage.Args
	where := sc.SQL("o.division_id", &args) + " AND " + stateWhere(StateActive, d, &args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+obsCols+`, p.phone`+obsFrom+` WHERE `+where+
		` ORDER BY n.code, o.planned_end, o.id LIMIT `+args.Add(maxDueRows+1), args...)
	if err != nil {
		return list, errs.Wrap(err, "due list")
	}
	index := map[int64]int{}
	for rows.Next() {
		var phone string
		o, err := scanObservation(rows, &phone)
		if err != nil {
			rows.Close()
			return list, errs.Wrap(err, "due scan")
		}
		index[o.ID] = len(list.Rows)
		list.Rows = append(list.Rows, DueRow{Observation: o.Masked(), Phone: privacy.MaskPhone(phone),
			DayOf: d.DaysSince(o.StartDate) + 1, ReleaseDue: o.ReleaseDue(d), FollowUpDay: o.FollowUpDay(d)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return list, errs.Wrap(err, "due list")
	}
	if len(list.Rows) > maxDueRows {
		list.Rows, list.Truncated = list.Rows[:maxDueRows], true
	}
	if err := s.fillDue(ctx, &list, index, sc, d); err != nil {
		return list, err
	}
	return list, nil
}

// fillDue reads the follow-ups and open alerts of the listed observations.
func (s *Store) fillDue(ctx context.Context, list *DueList, index map[int64]int, sc auth.Scope, d storage.Date) error {
	done := map[int64][]FollowUp{}
	var args storage.Args
	where := sc.SQL("o.division_id", &args) + " AND " + stateWhere(StateActive, d, &args) + " AND f.day <= " + args.Add(d)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT f.id, f.observation_id, f.day, f.slot, f.temp_tenths, f.symptoms, f.note,
		f.alarm, f.created_by, f.created_at, a.id FROM followups f JOIN observations o ON o.id = f.observation_id
		LEFT JOIN alerts a ON a.followup_id = f.id WHERE `+where, args...)
	if err != nil {
		return errs.Wrap(err, "due followups")
	}
	for rows.Next() {
		f, err := scanFollowUp(rows)
		if err != nil {
			rows.Close()
			return errs.Wrap(err, "due followup scan")
		}
		done[f.ObservationID] = append(done[f.ObservationID], f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "due followups")
	}
	open, err := s.openAlerts(ctx, sc, d)
	if err != nil {
		return err
	}
	for i := range list.Rows {
		r := &list.Rows[i]
		fs := done[r.Observation.ID]
		for j := range fs {
			if fs[j].Day.Equal(d.Time) {
				if fs[j].Slot == AM {
					r.AM = &fs[j]
				} else {
					r.PM = &fs[j]
				}
			}
		}
		r.Missed = r.Observation.Missed(doneSet(fs), list.Clock)
		r.AlertID = open[r.Observation.ID]
		list.count(*r)
	}
	return nil
}

// count adds a row to the day's totals.
func (l *DueList) count(r DueRow) {
	if r.ReleaseDue {
		l.ReleaseDue++
	}
	if !r.FollowUpDay {
		return
	}
	for _, f := range []*FollowUp{r.AM, r.PM} {
		l.Due++
		if f != nil {
			l.Done++
		}
	}
	if r.AM == nil && (l.Clock.AMPassed || l.Clock.DayPassed) {
		l.Missed++
	}
	if r.PM == nil && l.Clock.DayPassed {
		l.Missed++
	}
}

// openAlerts maps each observation with an alert open on day d to it.
func (s *Store) openAlerts(ctx context.Context, sc auth.Scope, d storage.Date) (map[int64]int64, error) {
	var args storage.Args
	day := args.Add(d)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT a.observation_id, a.id FROM alerts a WHERE `+sc.SQL("a.division_id", &args)+
		` AND a.opened_on <= `+day+` AND (a.closed_on IS NULL OR a.closed_on > `+day+`)`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "open alerts")
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var obs, id int64
		if err := rows.Scan(&obs, &id); err != nil {
			return nil, errs.Wrap(err, "open alerts scan")
		}
		out[obs] = id
	}
	return out, rows.Err()
}
