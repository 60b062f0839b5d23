package isolation

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// CreateSite registers a site in a township of the caller's manage scope,
// with the staff accounts named in in.Staff. Every wrong field is reported
// at once.
func (s *Store) CreateSite(ctx context.Context, p *auth.Principal, in SiteInput) (Site, error) {
	var fc errs.FieldCollector
	t := in.check(&fc)
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		staff, err := s.checkSite(ctx, tx, p, &fc, t, in.Staff, true)
		if err != nil {
			return err
		}
		now := s.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO isolation_sites (division_id, name, address, hospital, phone, notes,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			t.DivisionID, t.Name, t.Address, t.Hospital, t.Phone, t.Notes, by(p), now).Scan(&t.ID)
		if storage.IsUniqueViolation(err) {
			return errs.Field("name", "isolation.err.site_exists")
		}
		if err != nil {
			return errs.Wrap(err, "site insert")
		}
		t.Version, t.UpdatedAt = 1, now
		if err := audit.Write(ctx, tx, audit.ActionCreate, "isolation_site", itoa(t.ID), t.DivisionID, nil, t); err != nil {
			return err
		}
		if in.Staff == nil {
			return nil
		}
		t.Staff, err = s.setStaff(ctx, tx, t, staff)
		return err
	})
	if err != nil {
		return t, err
	}
	return s.saved(ctx, p, t.ID, in.Staff != nil)
}

// UpdateSite changes a site's details (in.Version, if not 0, must be the
// stored version) and, when in.Staff is not nil, its staff. Only the
// command and the site's township keep a site; its staff read it.
func (s *Store) UpdateSite(ctx context.Context, p *auth.Principal, id int64, in SiteInput) (Site, error) {
	var fc errs.FieldCollector
	t := in.check(&fc)
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.manageable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != old.Version {
			return errs.New(errs.Conflict, "errs.conflict")
		}
		t.ID = id
		staff, err := s.checkSite(ctx, tx, p, &fc, t, in.Staff, t.DivisionID != old.DivisionID)
		if err != nil {
			return err
		}
		t.ID, t.Capacity, t.Version, t.UpdatedAt = id, old.Capacity, old.Version+1, s.now()
		_, err = tx.ExecContext(ctx, `UPDATE isolation_sites SET division_id = $1, name = $2, address = $3, hospital = $4,
			phone = $5, notes = $6, updated_at = $7, version = version + 1 WHERE id = $8`,
			t.DivisionID, t.Name, t.Address, t.Hospital, t.Phone, t.Notes, t.UpdatedAt, id)
		if storage.IsUniqueViolation(err) {
			return errs.Field("name", "isolation.err.site_exists")
		}
		if err != nil {
			return errs.Wrap(err, "site update")
		}
		if err := audit.Write(ctx, tx, audit.ActionUpdate, "isolation_site", itoa(id), t.DivisionID, old, t); err != nil {
			return err
		}
		if in.Staff == nil {
			return nil
		}
		t.Staff, err = s.setStaff(ctx, tx, t, staff)
		return err
	})
	if err != nil {
		return t, err
	}
	return s.saved(ctx, p, id, in.Staff != nil)
}

// saved answers a site just committed; when its staff changed, the sign-in
// cache forgets resolved sessions first (after the commit: cleared before
// it, a request could cache the grants about to change).
func (s *Store) saved(ctx context.Context, p *auth.Principal, id int64, staffChanged bool) (Site, error) {
	if staffChanged {
		s.grantsChanged()
	}
	return s.Site(ctx, p, id, s.Today())
}

// checkSite adds to fc what is wrong with the site's township (when moved
// or new) and staff, and returns the field errors together, or the staff
// accounts by name.
func (s *Store) checkSite(ctx context.Context, tx *sql.Tx, p *auth.Principal, fc *errs.FieldCollector, t Site, staff []string, placed bool) (map[string]int64, error) {
	if placed && t.DivisionID > 0 {
		if err := collect(fc, township(ctx, tx, p, t.DivisionID)); err != nil {
			return nil, err
		}
	}
	ids, err := staffAccounts(ctx, tx, fc, t.ID, staff)
	if err != nil {
		return nil, err
	}
	return ids, fc.Err()
}

// collect adds a field error to fc; other errors come back.
func collect(fc *errs.FieldCollector, err error) error {
	e := errs.As(err)
	if err == nil || e.Code != errs.Invalid || len(e.Fields) == 0 {
		return err
	}
	for _, f := range e.Fields {
		fc.Add(f.Field, f.Msg.Key, f.Msg.Args...)
	}
	return nil
}
