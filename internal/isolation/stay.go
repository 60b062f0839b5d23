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
	y.planned_out, y.check_out, y.out_reason, y.note, y.version, y.created_by, y.created_at`

const stayFrom = ` FROM isolation_stays y JOIN isolation_sites t ON t.id = y.site_id
	JOIN isolation_rooms r ON r.id = y.room_id JOIN persons p ON p.id = y.person_id`

func scanStay(row interface{ Scan(...any) error }) (Stay, error) {
	var y Stay
	var obs sql.NullInt64
	var out string
	err := row.Scan(&y.ID, &y.SiteID, &y.SiteName, &y.RoomID, &y.RoomNumber, &y.PersonID, &y.PersonName, &obs,
		&y.CheckIn, &y.PlannedOut, &y.CheckOut, &out, &y.Note, &y.Version, &y.CreatedBy, &y.CreatedAt)
	y.ObservationID, y.OutReason = obs.Int64, OutReason(out)
	return y, err
}

// roomOf loads a room and its site for an admission.
func (s *Store) roomOf(ctx context.Context, q storage.Querier, p *auth.Principal, roomID int64) (Room, Site, error) {
	var r Room
	var st string
	err := q.QueryRowContext(ctx, `SELECT id, site_id, number, beds, status FROM isolation_rooms WHERE id = $1`, roomID).
		Scan(&r.ID, &r.SiteID, &r.Number, &r.Beds, &st)
	r.Status = RoomStatus(st)
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

// Admit begins a stay: the room must be open with a free bed for the whole
// planned stay; the person's observation in progress becomes centralized, or
// a centralized one is opened. The stay and the observation change in one
// transaction: a stay refused (a full room, a race for the last bed) leaves
// the observation as it was.
func (s *Store) Admit(ctx context.Context, p *auth.Principal, in StayInput) (Stay, error) {
	var fc errs.FieldCollector
	f := in.check(&fc, s.Today())
	if err := fc.Err(); err != nil {
		return f.Stay, err
	}
	y := f.Stay
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		room, site, err := s.roomOf(ctx, tx, p, y.RoomID)
		if err != nil {
			return err
		}
		if room.Status != RoomOpen {
			return errs.Field("room_id", "isolation.err.room_not_open")
		}
		// The room's row lock serializes admissions to it (PostgreSQL).
		if _, err := tx.ExecContext(ctx, `UPDATE isolation_rooms SET version = version + 1 WHERE id = $1`, room.ID); err != nil {
			return errs.Wrap(err, "room lock")
		}
		if y.PersonName, err = s.person(ctx, tx, p, y.PersonID); err != nil {
			return err
		}
		probe := y
		if probe.PlannedOut.IsZero() {
			probe.PlannedOut = y.CheckIn.AddDays(1)
		}
		if err := admissible(ctx, tx, probe, room.Beds); err != nil {
			return err
		}
		obs, err := s.Screening.CentralizeTx(ctx, tx, p, screening.ObservationInput{PersonID: f.PersonID,
			Reason: orDefault(f.reason, string(screening.ForOther)), BasisDate: orDefault(f.basis, f.CheckIn.String()),
			StartDate: f.CheckIn.String(), Notes: f.Note})
		if err != nil {
			return stayField(err)
		}
		y.ObservationID = obs.ID
		if y.PlannedOut.IsZero() {
			y.PlannedOut = obs.PlannedEnd
			if !y.PlannedOut.After(y.CheckIn.Time) {
				y.PlannedOut = y.CheckIn.AddDays(1)
			}
			// The plan may now reach past a booking the probe did not see.
			if err := admissible(ctx, tx, y, room.Beds); err != nil {
				return err
			}
		}
		y.SiteID, y.SiteName, y.RoomNumber = site.ID, site.Name, room.Number
		return s.insertStay(ctx, tx, p, &y, site)
	})
	return y.Masked(), err
}

// insertStay stores a checked stay and audits it.
func (s *Store) insertStay(ctx context.Context, tx *sql.Tx, p *auth.Principal, y *Stay, site Site) error {
	now := s.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO isolation_stays (site_id, room_id, person_id, observation_id, check_in,
		planned_out, note, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		y.SiteID, y.RoomID, y.PersonID, nullID(y.ObservationID), y.CheckIn, y.PlannedOut, y.Note, by(p), now).Scan(&y.ID)
	if err != nil {
		return errs.Wrap(err, "stay insert")
	}
	y.Version, y.CreatedBy, y.CreatedAt = 1, by(p), now
	return audit.Write(ctx, tx, audit.ActionCreate, "isolation_stay", itoa(y.ID), site.DivisionID, nil, y.Masked())
}

// stayField names screening's observation errors after the stay form's
// fields (the observation starts on the check-in day).
func stayField(err error) error {
	e := errs.As(err)
	if e.Code != errs.Invalid || len(e.Fields) == 0 {
		return err
	}
	out := make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if f.Field == "start_date" {
			f.Field = "check_in"
		}
		out[i] = f
	}
	return errs.Fields(out)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
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
