package isolation

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// occupying is the predicate of a stay (alias y) holding its bed on day $d.
func occupying(d string) string {
	return `y.check_in <= ` + d + ` AND (y.check_out IS NULL OR y.check_out > ` + d + `)`
}

// Occupancies computes every site's figures in the caller's scope for day d:
// rooms, beds, occupied and free beds, empty and free rooms, the day's
// follow-ups due, done and missed, and open transfers.
func (s *Store) Occupancies(ctx context.Context, p *auth.Principal, d storage.Date) ([]Occupancy, error) {
	sites, err := s.Sites(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]Occupancy, len(sites))
	idx := map[int64]*Occupancy{}
	for i, t := range sites {
		out[i] = Occupancy{Site: t, Date: d}
		idx[t.ID] = &out[i]
	}
	if len(sites) == 0 {
		return out, nil
	}
	if err := s.roomFigures(ctx, p, d, idx); err != nil {
		return nil, err
	}
	rows, err := s.dueRows(ctx, p, 0, d)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if o := idx[r.Stay.SiteID]; o != nil {
			o.count(r)
		}
	}
	return out, s.transferFigures(ctx, p, d, idx)
}

// count adds one person's day to the site's follow-up figures.
func (o *Occupancy) count(r DueRow) {
	if !r.FollowUpDay {
		return
	}
	o.Due += 2
	for _, done := range []bool{r.AM, r.PM} {
		if done {
			o.Done++
		}
	}
	o.Missed += r.MissedToday
}

func (s *Store) roomFigures(ctx context.Context, p *auth.Principal, d storage.Date, idx map[int64]*Occupancy) error {
	var args storage.Args
	day := args.Add(d)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.site_id, r.beds, r.status, r.closed_on, (SELECT COUNT(*) FROM isolation_stays y
		WHERE y.room_id = r.id AND `+occupying(day)+`) FROM isolation_rooms r JOIN isolation_sites t ON t.id = r.site_id
		WHERE `+scopeSQL(p, PermRead, &args), args...)
	if err != nil {
		return errs.Wrap(err, "room figures")
	}
	defer rows.Close()
	for rows.Next() {
		var site int64
		var r Room
		var st string
		if err := rows.Scan(&site, &r.Beds, &st, &r.ClosedOn, &r.Occupied); err != nil {
			return errs.Wrap(err, "room figures scan")
		}
		r.Status = RoomStatus(st)
		if o := idx[site]; o != nil {
			o.addRoom(r, d)
		}
	}
	return rows.Err()
}

// addRoom counts one room in the site's figures for day d: a room closed
// by then counts for nothing; a room being cleaned has no free bed.
func (o *Occupancy) addRoom(r Room, d storage.Date) {
	if !r.ClosedOn.IsZero() && !r.ClosedOn.After(d.Time) {
		return
	}
	o.Rooms++
	o.Beds += r.Beds
	o.Occupied += r.Occupied
	free := max(0, r.Beds-r.Occupied)
	if r.Status == RoomCleaning {
		free = 0
	}
	o.FreeBeds += free
	if r.Occupied == 0 {
		o.EmptyRooms++
	}
	if free > 0 {
		o.FreeRooms++
	}
}

func (s *Store) transferFigures(ctx context.Context, p *auth.Principal, d storage.Date, idx map[int64]*Occupancy) error {
	var args storage.Args
	day := args.Add(d)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT y.site_id, COUNT(DISTINCT a.id) FROM alerts a
		JOIN isolation_stays y ON y.observation_id = a.observation_id JOIN isolation_sites t ON t.id = y.site_id
		WHERE a.opened_on <= `+day+` AND (a.closed_on IS NULL OR a.closed_on > `+day+`) AND a.opened_on >= y.check_in
		AND `+scopeSQL(p, PermRead, &args)+` GROUP BY y.site_id`, args...)
	if err != nil {
		return errs.Wrap(err, "transfer figures")
	}
	defer rows.Close()
	for rows.Next() {
		var site int64
		var n int
		if err := rows.Scan(&site, &n); err != nil {
			return errs.Wrap(err, "transfer figures scan")
		}
		if o := idx[site]; o != nil {
			o.Transfers = n
		}
	}
	return rows.Err()
}

// DueRow is one person staying at a site on a day, with the day's two
// follow-ups (recorded or not) and the slots of the day already missed.
type DueRow struct {
	Stay        Stay         `json:"stay"`
	Kind        string       `json:"observation_kind"`
	StartDate   storage.Date `json:"observation_start"`
	PlannedEnd  storage.Date `json:"observation_planned_end"`
	DayOf       int          `json:"day_of"`
	FollowUpDay bool         `json:"followup_day"` // false once the planned period is over
	AM          bool         `json:"am_done"`
	PM          bool         `json:"pm_done"`
	AMTemp      float64      `json:"am_temperature,omitempty"`
	PMTemp      float64      `json:"pm_temperature,omitempty"`
	MissedToday int          `json:"missed_today"`
}

// dueRows reads the people staying at sites in scope (one site if siteID is
// not 0) on day d, with their observation and the day's follow-ups.
func (s *Store) dueRows(ctx context.Context, p *auth.Principal, siteID int64, d storage.Date) ([]DueRow, error) {
	var args storage.Args
	day := args.Add(d)
	where := occupying(day) + ` AND ` + scopeSQL(p, PermRead, &args)
	if siteID != 0 {
		where += ` AND y.site_id = ` + args.Add(siteID)
	}
	q := `SELECT ` + stayCols + `, COALESCE(o.kind, ''), o.start_date, o.planned_end, o.end_date,
		(SELECT MAX(f.temp_tenths) FROM followups f WHERE f.observation_id = o.id AND f.day = ` + day + ` AND f.slot = 'am'),
		(SELECT MAX(f.temp_tenths) FROM followups f WHERE f.observation_id = o.id AND f.day = ` + day + ` AND f.slot = 'pm')
		` + stayFrom + ` LEFT JOIN observations o ON o.id = y.observation_id WHERE ` + where + ` ORDER BY t.id, r.number, y.id`
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "site follow-ups")
	}
	defer rows.Close()
	clock := s.clock(ctx, d)
	out := []DueRow{}
	for rows.Next() {
		r, err := scanDue(rows, d, clock)
		if err != nil {
			return nil, errs.Wrap(err, "site follow-up scan")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanDue(rows *sql.Rows, d storage.Date, c screening.Clock) (DueRow, error) {
	var r DueRow
	var o screening.Observation
	var am, pm sql.NullInt64
	var y Stay
	var obs sql.NullInt64
	var out string
	err := rows.Scan(&y.ID, &y.SiteID, &y.SiteName, &y.RoomID, &y.RoomNumber, &y.PersonID, &y.PersonName, &obs,
		&y.CheckIn, &y.PlannedOut, &y.CheckOut, &out, &y.Note, &y.Version, &y.CreatedBy, &y.CreatedAt,
		&r.Kind, &o.StartDate, &o.PlannedEnd, &o.EndDate, &am, &pm)
	y.ObservationID, y.OutReason = obs.Int64, OutReason(out)
	r.Stay, r.StartDate, r.PlannedEnd = y.Masked(), o.StartDate, o.PlannedEnd
	if err != nil || y.ObservationID == 0 {
		return r, err
	}
	r.DayOf = d.DaysSince(o.StartDate) + 1
	r.FollowUpDay = o.FollowUpDay(d)
	r.AM, r.PM = am.Valid, pm.Valid
	r.AMTemp, r.PMTemp = screening.Degrees(am.Int64), screening.Degrees(pm.Int64)
	if r.FollowUpDay {
		if !r.AM && (c.AMPassed || c.DayPassed) {
			r.MissedToday++
		}
		if !r.PM && c.DayPassed {
			r.MissedToday++
		}
	}
	return r, nil
}

// clock is the moment follow-ups of day d are judged by (screening's rules).
func (s *Store) clock(ctx context.Context, d storage.Date) screening.Clock {
	rules := screening.DefaultRules
	if s.Screening != nil {
		rules = s.Screening.Rules(ctx)
	}
	return rules.ClockAt(d, s.Today(), s.now().In(s.zone()).Hour())
}

// Transfer is a fever or symptom alert of a person staying at a site, and
// where its transfer to the designated hospital stands (screening's alert).
type Transfer struct {
	AlertID    int64        `json:"alert_id"`
	StayID     int64        `json:"stay_id"`
	RoomNumber string       `json:"room_number"`
	PersonName string       `json:"person_name"` // masked
	OpenedOn   storage.Date `json:"opened_on"`
	Temp       float64      `json:"temperature"`
	Stage      string       `json:"stage"`
	Result     string       `json:"result"`
	Hospital   string       `json:"hospital"`
	ClosedOn   storage.Date `json:"closed_on"`
}

// SiteDay is a site's page for a day: its figures, who stays there with the
// day's follow-ups, and the transfers of people staying there.
type SiteDay struct {
	Occupancy Occupancy  `json:"occupancy"`
	Rows      []DueRow   `json:"rows"`
	Transfers []Transfer `json:"transfers"`
}

// Day returns one site's day; NotFound outside the caller's scope.
func (s *Store) Day(ctx context.Context, p *auth.Principal, siteID int64, d storage.Date) (SiteDay, error) {
	var sd SiteDay
	t, err := s.Site(ctx, p, siteID, d)
	if err != nil {
		return sd, err
	}
	sd.Occupancy = Occupancy{Site: t, Date: d}
	idx := map[int64]*Occupancy{t.ID: &sd.Occupancy}
	for _, r := range t.Rooms {
		sd.Occupancy.addRoom(r, d)
	}
	if sd.Rows, err = s.dueRows(ctx, p, siteID, d); err != nil {
		return sd, err
	}
	for _, r := range sd.Rows {
		sd.Occupancy.count(r)
	}
	if err := s.transferFigures(ctx, p, d, idx); err != nil {
		return sd, err
	}
	sd.Transfers, err = s.transfers(ctx, siteID, d)
	return sd, err
}

// transfers lists the alerts of people staying at the site opened on or
// before d during their stay, newest first (the site was checked by Day).
func (s *Store) transfers(ctx context.Context, siteID int64, d storage.Date) ([]Transfer, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT a.id, y.id, r.number, p.name, a.opened_on, a.temp_tenths, a.stage, a.result,
		a.hospital, a.closed_on FROM alerts a JOIN isolation_stays y ON y.observation_id = a.observation_id
		JOIN isolation_rooms r ON r.id = y.room_id JOIN persons p ON p.id = a.person_id
		WHERE y.site_id = $1 AND a.opened_on >= y.check_in AND a.opened_on <= $2 ORDER BY a.opened_on DESC, a.id DESC LIMIT 200`,
		siteID, d)
	if err != nil {
		return nil, errs.Wrap(err, "site transfers")
	}
	defer rows.Close()
	out := []Transfer{}
	for rows.Next() {
		var x Transfer
		var tenths int64
		if err := rows.Scan(&x.AlertID, &x.StayID, &x.RoomNumber, &x.PersonName, &x.OpenedOn, &tenths, &x.Stage, &x.Result,
			&x.Hospital, &x.ClosedOn); err != nil {
			return nil, errs.Wrap(err, "site transfer scan")
		}
		x.PersonName, x.Temp = privacy.MaskName(x.PersonName), screening.Degrees(tenths)
		out = append(out, x)
	}
	return out, rows.Err()
}
