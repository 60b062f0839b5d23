package isolation

import (
	"context"
	"database/sql"
	"errors"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

const stayCols = `y.id, y.site_id, t.name, y.room_id, r.number, y.person_id, p.name, y.observation_id, y.check_in,
	y.planned_out, y.check_out, y.note, y.version, y.created_by, y.created_at`

const stayFrom = ` FROM isolation_stays y JOIN isolation_sites t ON t.id = y.site_id
	JOIN isolation_rooms r ON r.id = y.room_id JOIN persons p ON p.id = y.person_id`

func scanStay(row interface{ Scan(...any) error }) (Stay, error) {
	var y Stay
	var obs sql.NullInt64
	err := row.Scan(&y.ID, &y.SiteID, &y.SiteName, &y.RoomID, &y.RoomNumber, &y.PersonID, &y.PersonName, &obs,
		&y.CheckIn, &y.PlannedOut, &y.CheckOut, &y.Note, &y.Version, &y.CreatedBy, &y.CreatedAt)
	y.ObservationID = obs.Int64
	return y, err
}

// roomOf loads a room and its site for an admission.
func (s *Store) roomOf(ctx context.Context, q storage.Querier, p *auth.Principal, roomID int64) (Room, Site, error) {
	var r Room
	err := q.QueryRowContext(ctx, `SELECT id, site_id, number, beds FROM isolation_rooms WHERE id = $1`, roomID).
		Scan(&r.ID, &r.SiteID, &r.Number, &r.Beds)
	if errors.Is(err, sql.ErrNoRows) {
		return r, Site{}, errs.Field("room_id", "errs.not_found")
	}
	if err != nil {
		return r, Site{}, errs.Wrap(err, "room")
	}
	t, err := s.writableSite(ctx, q, p, r.SiteID)
	if errs.CodeOf(err) == errs.NotFound {
		return r, t, errs.Field("room_id", "errs.not_found")
	}
	return r, t, err
}

// person is the admitted person, if the caller may see them in the register.
func (s *Store) person(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (string, error) {
	var args storage.Args
	var name string
	err := q.QueryRowContext(ctx, `SELECT p.name FROM persons p WHERE p.id = `+args.Add(id)+
		` AND p.merged_into IS NULL AND `+p.Scope(screening.PermRead).SQL("p.division_id", &args), args...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.Field("person_id", "isolation.err.no_person")
	}
	return name, errs.Wrap(err, "stay person")
}

// admissible checks that the room has a free bed over the stay's days and
// that the person has no other open stay.
func admissible(ctx context.Context, q storage.Querier, y Stay, beds int) error {
	var open int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM isolation_stays WHERE person_id = $1 AND check_out IS NULL`,
		y.PersonID).Scan(&open); err != nil {
		return errs.Wrap(err, "open stays")
	}
	if open > 0 {
		return errs.Field("person_id", "isolation.err.already_staying")
	}
	// Stays overlapping [check_in, planned_out): an open one holds its bed
	// until it is checked out, whatever its plan said.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM isolation_stays WHERE room_id = $1 AND check_in < $2
		AND (check_out IS NULL OR check_out > $3)`, y.RoomID, y.PlannedOut, y.CheckIn).Scan(&n); err != nil {
		return errs.Wrap(err, "room occupancy")
	}
	if n >= beds {
		return errs.Field("room_id", "isolation.err.room_full", beds)
	}
	return nil
}

// Admit begins a stay: the room must have a free bed for the whole planned
// stay; the person's observation in progress becomes centralized, or a
// centralized one is opened. The observation is screening's and written
// through its store first (its own transaction): a stay then refused by a
// race for the last bed leaves the observation centralized, which the
// township corrects by admitting the person elsewhere.
func (s *Store) Admit(ctx context.Context, p *auth.Principal, in StayInput) (Stay, error) {
	var fc errs.FieldCollector
	f := in.check(&fc, s.Today())
	if err := fc.Err(); err != nil {
		return f.Stay, err
	}
	y := f.Stay
	room, site, err := s.roomOf(ctx, s.DB.R, p, y.RoomID)
	if err != nil {
		return y, err
	}
	if y.PersonName, err = s.person(ctx, s.DB.R, p, y.PersonID); err != nil {
		return y, err
	}
	probe := y
	if probe.PlannedOut.IsZero() {
		probe.PlannedOut = y.CheckIn.AddDays(1)
	}
	if err := admissible(ctx, s.DB.R, probe, room.Beds); err != nil {
		return y, err
	}
	obs, err := s.centralize(ctx, p, f)
	if err != nil {
		return y, err
	}
	y.ObservationID = obs.ID
	if y.PlannedOut.IsZero() {
		y.PlannedOut = obs.PlannedEnd
		if !y.PlannedOut.After(y.CheckIn.Time) {
			y.PlannedOut = y.CheckIn.AddDays(1)
		}
	}
	y.SiteID, y.SiteName, y.RoomNumber = site.ID, site.Name, room.Number
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		// The room's row lock serializes admissions to it (PostgreSQL).
		if _, err := tx.ExecContext(ctx, `UPDATE isolation_rooms SET version = version + 1 WHERE id = $1`, room.ID); err != nil {
			return errs.Wrap(err, "room lock")
		}
		if err := admissible(ctx, tx, y, room.Beds); err != nil {
			return err
		}
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO isolation_stays (site_id, room_id, person_id, observation_id, check_in,
			planned_out, note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			y.SiteID, y.RoomID, y.PersonID, nullID(y.ObservationID), y.CheckIn, y.PlannedOut, y.Note, by(p), now).Scan(&y.ID)
		if err != nil {
			return errs.Wrap(err, "stay insert")
		}
		y.Version, y.CreatedBy, y.CreatedAt = 1, by(p), now
		return audit.Write(ctx, tx, audit.ActionCreate, "isolation_stay", itoa(y.ID), site.DivisionID, nil, y.Masked())
	})
	return y.Masked(), err
}

// centralize makes the person's observation in progress centralized, or
// opens a centralized one from the stay's reason and basis date.
func (s *Store) centralize(ctx context.Context, p *auth.Principal, f stayForm) (screening.Observation, error) {
	var o screening.Observation
	var kind string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, kind, planned_end FROM observations WHERE person_id = $1 AND status = 'active'
		ORDER BY id DESC`, f.PersonID).Scan(&o.ID, &kind, &o.PlannedEnd)
	switch {
	case err == nil && screening.Kind(kind) == screening.Centralized:
		return o, nil
	case err == nil:
		return s.Screening.SetKind(ctx, p, o.ID, screening.Centralized, f.Note)
	case !errors.Is(err, sql.ErrNoRows):
		return o, errs.Wrap(err, "stay observation")
	}
	reason := f.reason
	if reason == "" {
		reason = string(screening.ForOther)
	}
	basis := f.basis
	if basis == "" {
		basis = f.CheckIn.String()
	}
	return s.Screening.Open(ctx, p, screening.ObservationInput{PersonID: f.PersonID, Kind: string(screening.Centralized),
		Reason: reason, BasisDate: basis, StartDate: f.CheckIn.String(), Notes: f.Note})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Checkout ends a stay on a day (default today), freeing the bed. Releasing
// or transferring the observation stays screening's act.
func (s *Store) Checkout(ctx context.Context, p *auth.Principal, id int64, in CheckoutInput) (Stay, error) {
	var fc errs.FieldCollector
	day := date(&fc, "day", in.Day, s.Today(), false)
	if day.IsZero() && !fc.Has("day") {
		day = s.Today()
	}
	note := text(&fc, "note", in.Note, 200, false)
	if err := fc.Err(); err != nil {
		return Stay{}, err
	}
	var y Stay
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if y, err = s.stay(ctx, tx, p, id); err != nil {
			return err
		}
		t, err := s.writableSite(ctx, tx, p, y.SiteID)
		if err != nil {
			return err
		}
		switch {
		case !y.CheckOut.IsZero():
			return errs.New(errs.Conflict, "isolation.err.already_out")
		case day.Before(y.CheckIn.Time):
			return errs.Field("day", "isolation.err.out_before_in")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE isolation_stays SET check_out = $1, note = $2, updated_at = $3,
			version = version + 1 WHERE id = $4`, day, note, s.now(), id); err != nil {
			return errs.Wrap(err, "stay checkout")
		}
		y.CheckOut, y.Note = day, note
		y.Version++
		return audit.Write(ctx, tx, audit.ActionUpdate, "isolation_stay", itoa(id), t.DivisionID,
			map[string]any{"check_out": nil}, map[string]any{"check_out": day, "note": note})
	})
	return y.Masked(), err
}

// stay loads a stay at a site in the caller's read scope.
func (s *Store) stay(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Stay, error) {
	var args storage.Args
	y, err := scanStay(q.QueryRowContext(ctx, `SELECT `+stayCols+stayFrom+` WHERE y.id = `+args.Add(id)+` AND `+
		scopeSQL(p, PermRead, &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return y, errs.NotFoundf()
	}
	return y, errs.Wrap(err, "stay get")
}

// Stay returns one stay, the name masked.
func (s *Store) Stay(ctx context.Context, p *auth.Principal, id int64) (Stay, error) {
	y, err := s.stay(ctx, s.DB.R, p, id)
	return y.Masked(), err
}

// Stays lists the stays at a site occupying a bed on day d, by room.
func (s *Store) Stays(ctx context.Context, p *auth.Principal, siteID int64, d storage.Date) ([]Stay, error) {
	if _, err := s.site(ctx, s.DB.R, p, siteID); err != nil {
		return nil, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+stayCols+stayFrom+` WHERE y.site_id = $1 AND y.check_in <= $2
		AND (y.check_out IS NULL OR y.check_out > $2) ORDER BY r.number, y.id`, siteID, d)
	if err != nil {
		return nil, errs.Wrap(err, "stays")
	}
	defer rows.Close()
	out := []Stay{}
	for rows.Next() {
		y, err := scanStay(rows)
		if err != nil {
			return nil, errs.Wrap(err, "stay scan")
		}
		out = append(out, y.Masked())
	}
	return out, rows.Err()
}
