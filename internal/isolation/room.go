package isolation

import (
	"context"
	"database/sql"
	"errors"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// AddRoom adds a room to a site the caller keeps. A room added closed is
// closed from today.
func (s *Store) AddRoom(ctx context.Context, p *auth.Principal, siteID int64, in RoomInput) (Room, error) {
	var fc errs.FieldCollector
	r := in.check(&fc)
	r.SiteID = siteID
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		t, err := s.manageable(ctx, tx, p, siteID)
		if err != nil {
			return err
		}
		if err := numberFree(ctx, tx, &fc, r); err != nil {
			return err
		}
		if err := withinCapacity(ctx, tx, siteID, 0, r); err != nil {
			return err
		}
		if r.Status == RoomClosed {
			r.ClosedOn = s.Today()
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO isolation_rooms (site_id, number, beds, status, closed_on, notes, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, siteID, r.Number, r.Beds, string(r.Status), r.ClosedOn,
			r.Notes, s.now()).Scan(&r.ID)
		if storage.IsUniqueViolation(err) {
			return errs.Field("number", "isolation.err.room_exists")
		}
		if err != nil {
			return errs.Wrap(err, "room insert")
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "isolation_room", itoa(r.ID), t.DivisionID, nil, r)
	})
	return r, err
}

// numberFree adds an error to fc if the room's number is taken at its site,
// and returns fc's errors: every wrong field at once.
func numberFree(ctx context.Context, tx *sql.Tx, fc *errs.FieldCollector, r Room) error {
	if r.Number != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM isolation_rooms WHERE site_id = $1 AND number = $2 AND id <> $3`,
			r.SiteID, r.Number, r.ID).Scan(&n); err != nil {
			return errs.Wrap(err, "room number")
		}
		if n > 0 {
			fc.Add("number", "isolation.err.room_exists")
		}
	}
	return fc.Err()
}

// withinCapacity refuses a room whose beds would take the site past
// MaxCapacity (room except is the one being changed).
func withinCapacity(ctx context.Context, tx *sql.Tx, siteID, except int64, r Room) error {
	if r.Status == RoomClosed {
		return nil
	}
	var beds int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(beds), 0) FROM isolation_rooms WHERE site_id = $1 AND id <> $2
		AND status <> 'closed'`, siteID, except).Scan(&beds); err != nil {
		return errs.Wrap(err, "site beds")
	}
	if beds+r.Beds > MaxCapacity {
		return errs.Field("beds", "isolation.err.over_capacity", MaxCapacity, beds)
	}
	return nil
}

// Room returns one room with its occupancy today; NotFound outside the
// caller's scope.
func (s *Store) Room(ctx context.Context, p *auth.Principal, id int64) (Room, Site, error) {
	r, err := s.room(ctx, s.DB.R, id)
	if err != nil {
		return r, Site{}, err
	}
	t, err := s.site(ctx, s.DB.R, p, r.SiteID)
	return r, t, err
}

func (s *Store) room(ctx context.Context, q storage.Querier, id int64) (Room, error) {
	r, err := scanRoom(q.QueryRowContext(ctx, `SELECT `+roomCols+` FROM isolation_rooms r WHERE r.id = $1`, id, s.Today()))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFoundf()
	}
	return r, errs.Wrap(err, "room get")
}

// UpdateRoom changes a room's number, beds, status and notes. A room with
// people staying keeps at least their beds and stays open; closing a room
// takes its beds out of the site's capacity from today.
func (s *Store) UpdateRoom(ctx context.Context, p *auth.Principal, id int64, in RoomInput) (Room, error) {
	var fc errs.FieldCollector
	r := in.check(&fc)
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		// The row lock admissions take: no one is admitted while the room changes.
		res, err := tx.ExecContext(ctx, `UPDATE isolation_rooms SET version = version + 1 WHERE id = $1`, id)
		if err != nil {
			return errs.Wrap(err, "room lock")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundf()
		}
		old, err := s.room(ctx, tx, id)
		if err != nil {
			return err
		}
		t, err := s.manageable(ctx, tx, p, old.SiteID)
		if err != nil {
			return err
		}
		r.ID, r.SiteID, r.Occupied, r.ClosedOn = id, old.SiteID, old.Occupied, old.ClosedOn
		roomChange(old, &r, s.Today(), &fc)
		if err := numberFree(ctx, tx, &fc, r); err != nil {
			return err
		}
		if err := withinCapacity(ctx, tx, r.SiteID, id, r); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE isolation_rooms SET number = $1, beds = $2, status = $3, closed_on = $4, notes = $5
			WHERE id = $6`, r.Number, r.Beds, string(r.Status), r.ClosedOn, r.Notes, id)
		if storage.IsUniqueViolation(err) {
			return errs.Field("number", "isolation.err.room_exists")
		}
		if err != nil {
			return errs.Wrap(err, "room update")
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "isolation_room", itoa(id), t.DivisionID, old, r)
	})
	return r, err
}

// roomChange checks a room's new state against who stays in it, and dates a
// closure.
func roomChange(old Room, r *Room, today storage.Date, fc *errs.FieldCollector) {
	if r.Beds < old.Occupied {
		fc.Add("beds", "isolation.err.beds_below_occupied", old.Occupied)
	}
	if r.Status != RoomOpen && old.Occupied > 0 {
		fc.Add("status", "isolation.err.room_occupied", old.Occupied)
	}
	switch {
	case r.Status != RoomClosed:
		r.ClosedOn = storage.Date{}
	case old.Status != RoomClosed:
		r.ClosedOn = today
	}
}
