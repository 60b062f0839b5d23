package screening

import (
	"context"
	"database/sql"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// Masked returns a copy with the address masked.
func (h Household) Masked() Household {
	h.Address = privacy.MaskAddress(h.Address)
	return h
}

// RecordHousehold records one household visited in door-to-door screening.
// A household (village and address) is counted once: a second visit is
// refused.
func (s *Store) RecordHousehold(ctx context.Context, p *auth.Principal, in HouseholdInput) (Household, error) {
	hs, err := s.recordHouseholds(ctx, p, []HouseholdInput{in})
	if err != nil {
		if e := errs.As(err); e.Code == errs.Invalid {
			for i := range e.Fields {
				e.Fields[i].Field = strings.TrimPrefix(e.Fields[i].Field, "0.")
			}
		}
		return Household{}, err
	}
	return hs[0], nil
}

// RecordHouseholds records many household visits in one transaction (the
// loader, bulk entry) and returns how many; errors name fields
// "<index>.<field>".
func (s *Store) RecordHouseholds(ctx context.Context, p *auth.Principal, ins []HouseholdInput) (int, error) {
	hs, err := s.recordHouseholds(ctx, p, ins)
	return len(hs), err
}

func (s *Store) recordHouseholds(ctx context.Context, p *auth.Principal, ins []HouseholdInput) ([]Household, error) {
	today := s.Today()
	var fc errs.FieldCollector
	hs := make([]Household, len(ins))
	for i, in := range ins {
		var one errs.FieldCollector
		hs[i] = in.check(&one, today)
		for _, f := range errFields(one.Err()) {
			fc.Add(itoa(int64(i))+"."+f.Field, f.Msg.Key, f.Msg.Args...)
		}
	}
	if err := fc.Err(); err != nil {
		return nil, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		checked := map[int64]bool{}
		for i, h := range hs {
			if !checked[h.DivisionID] {
				if _, err := village(ctx, tx, p, PermWrite, h.DivisionID, itoa(int64(i))+".division_id"); err != nil {
					return err
				}
				checked[h.DivisionID] = true
			}
		}
		return s.insertHouseholds(ctx, tx, p, hs)
	})
	return hs, err
}

func errFields(err error) []errs.FieldError {
	if err == nil {
		return nil
	}
	return errs.As(err).Fields
}

func (s *Store) insertHouseholds(ctx context.Context, tx *sql.Tx, p *auth.Principal, hs []Household) error {
	now, actor := s.now(), by(p)
	rows := make([][]any, len(hs))
	for i := range hs {
		hs[i].CreatedBy, hs[i].CreatedAt = actor, now
		h := hs[i]
		rows[i] = []any{h.DivisionID, h.Address, h.Members, h.VisitedOn, h.Notes, actor, now}
	}
	cols := []string{"division_id", "address", "members", "visited_on", "notes", "created_by", "created_at"}
	// One visit reads its id back; a batch (the loader's hundreds of
	// thousands) does not need them.
	returning, scan := "", func(*sql.Rows) error { return nil }
	if len(hs) == 1 {
		returning, scan = "id", func(r *sql.Rows) error { return r.Scan(&hs[0].ID) }
	}
	err := batchInsert(ctx, tx, s.DB.Dialect, "screening_households", cols, rows, returning, scan)
	if storage.IsUniqueViolation(err) {
		return errs.Field("address", "screening.err.household_visited")
	}
	if err != nil {
		return errs.Wrap(err, "household insert")
	}
	if len(hs) == 1 {
		return audit.Write(ctx, tx, audit.ActionCreate, "household", itoa(hs[0].ID), hs[0].DivisionID, nil, hs[0].Masked())
	}
	return audit.Write(ctx, tx, audit.ActionCreate, "household", "", 0, nil, map[string]any{"count": len(hs)})
}

// HouseholdFilter narrows the household list.
type HouseholdFilter struct {
	DivisionID int64
	Cursor     string
	Limit      int
}

// Households lists household visits in the caller's scope, newest first,
// addresses masked.
func (s *Store) Households(ctx context.Context, p *auth.Principal, f HouseholdFilter) (Page[Household], error) {
	var args storage.Args
	sc, err := s.scope(ctx, p, PermRead, f.DivisionID)
	if err != nil {
		return Page[Household]{}, err
	}
	where := []string{sc.SQL("h.division_id", &args)}
	if f.Cursor != "" {
		id, err := afterCursor(f.Cursor)
		if err != nil {
			return Page[Household]{}, err
		}
		where = append(where, "h.id < "+args.Add(id))
	}
	limit := limitOf(f.Limit)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT h.id, h.division_id, n.name_zh, n.name_en, h.address, h.members, h.visited_on, h.notes,
		h.created_by, h.created_at FROM screening_households h JOIN org_nodes n ON n.id = h.division_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY h.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page[Household]{}, errs.Wrap(err, "household list")
	}
	defer rows.Close()
	var pg Page[Household]
	for rows.Next() {
		var h Household
		if err := rows.Scan(&h.ID, &h.DivisionID, &h.DivisionName, &h.DivisionNameEN, &h.Address, &h.Members, &h.VisitedOn, &h.Notes,
			&h.CreatedBy, &h.CreatedAt); err != nil {
			return pg, errs.Wrap(err, "household scan")
		}
		pg.Items = append(pg.Items, h.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursorOf(pg.Items[limit-1].ID)
	}
	return pg, rows.Err()
}
