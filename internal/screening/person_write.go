package screening

import (
	"context"
	"database/sql"
	"encoding/json"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// Created is what Create made: the person, and the observation when one was
// started at once.
type Created struct {
	Person      Person       `json:"person"`
	Observation *Observation `json:"observation,omitempty"`
}

// Create registers a person in a village of the caller's write scope, with
// the journey that brought them and, if asked, a medical observation. A
// second registration of the same person (same ID number, or same name and
// phone) is refused with a pointer to the existing record (see DuplicateOf).
func (s *Store) Create(ctx context.Context, p *auth.Principal, in PersonInput) (Created, error) {
	return s.create(ctx, p, in, SourceForm)
}

func (s *Store) create(ctx context.Context, p *auth.Principal, in PersonInput, source Source) (Created, error) {
	today, rules := s.Today(), s.Rules(ctx)
	var fc errs.FieldCollector
	pr := in.check(&fc, today)
	var tr *Travel
	if in.Travel != nil && !in.Travel.empty() {
		t := in.Travel.check(&fc, "travel.", today)
		tr = &t
	}
	var obs *Observation
	if in.Observe != nil {
		o := in.Observe.check(&fc, "observe.", today, rules)
		obs = &o
	}
	if err := fc.Err(); err != nil {
		return Created{Person: pr}, err
	}
	pr.Source = source
	var out Created
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := village(ctx, tx, p, PermWrite, pr.DivisionID, "division_id"); err != nil {
			return err
		}
		dup, err := s.findDuplicate(ctx, tx, p, pr.IDNumber, pr.Name, pr.Phone, 0)
		if err != nil {
			return err
		}
		if dup != nil {
			return duplicateErr(dup)
		}
		out, err = s.createTx(ctx, tx, p, pr, tr, obs, rules)
		return err
	})
	return out, err
}

// createTx inserts a checked person, journey and observation and audits them.
func (s *Store) createTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, pr Person, tr *Travel, obs *Observation, rules Rules) (Created, error) {
	now := s.now()
	var err error
	if pr.ID, err = insertPerson(ctx, tx, pr, pr.Source, by(p), now); err != nil {
		return Created{}, err
	}
	pr.Version, pr.CreatedBy, pr.CreatedAt, pr.UpdatedAt = 1, by(p), now, now
	if tr != nil {
		if tr.ID, err = insertTravel(ctx, tx, pr.ID, *tr, by(p), now); err != nil {
			return Created{}, err
		}
		tr.PersonID = pr.ID
		pr.Travels = []Travel{*tr}
	}
	if err := audit.Write(ctx, tx, audit.ActionCreate, "person", itoa(pr.ID), pr.DivisionID, nil, pr.Masked()); err != nil {
		return Created{}, err
	}
	out := Created{Person: pr}
	if obs != nil {
		obs.PersonID, obs.DivisionID = pr.ID, pr.DivisionID
		o, err := s.openTx(ctx, tx, p, *obs, rules)
		if err != nil {
			return Created{}, err
		}
		out.Observation = &o
	}
	return out, nil
}

// Update changes a person's details. in.Version must match the stored
// version. A move to another village moves the person's observations and
// alerts with them, so the new village's cadres see their history.
func (s *Store) Update(ctx context.Context, p *auth.Principal, id int64, in PersonInput) (Person, error) {
	var fc errs.FieldCollector
	pr := in.check(&fc, s.Today())
	if err := fc.Err(); err != nil {
		return pr, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		old, err := s.writablePerson(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if _, err := village(ctx, tx, p, PermWrite, pr.DivisionID, "division_id"); err != nil {
			return err
		}
		dup, err := s.findDuplicate(ctx, tx, p, pr.IDNumber, pr.Name, pr.Phone, id)
		if err != nil {
			return err
		}
		if dup != nil {
			return duplicateErr(dup)
		}
		pr.ID, pr.Source, pr.MergedInto, pr.CreatedBy, pr.CreatedAt = id, old.Source, 0, old.CreatedBy, old.CreatedAt
		pr.UpdatedAt, pr.Version = s.now(), in.Version+1
		if err := s.writePerson(ctx, tx, pr, in.Version); err != nil {
			return err
		}
		if pr.DivisionID != old.DivisionID {
			if err := moveHistory(ctx, tx, id, id, pr.DivisionID); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "person", itoa(id), pr.DivisionID, old.Masked(), pr.Masked())
	})
	return pr, err
}

// writePerson saves a person's fields if its version is still version.
func (s *Store) writePerson(ctx context.Context, tx *sql.Tx, pr Person, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE persons SET division_id = $1, name = $2, id_number = $3, sex = $4,
		birth_date = $5, phone = $6, address = $7, workplace = $8, tags = $9, screened_on = $10, notes = $11,
		updated_at = $12, version = version + 1 WHERE id = $13 AND version = $14 AND merged_into IS NULL`,
		pr.DivisionID, pr.Name, pr.IDNumber, pr.Sex, pr.BirthDate, pr.Phone, pr.Address, pr.Workplace,
		encodeTags(pr.Tags), pr.ScreenedOn, pr.Notes, pr.UpdatedAt, pr.ID, version)
	if err != nil {
		return errs.Wrap(err, "person update")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "errs.conflict")
	}
	return nil
}

// moveHistory points the observations and alerts of person from at person
// to, in division div.
func moveHistory(ctx context.Context, tx *sql.Tx, from, to, div int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE observations SET person_id = $1, division_id = $2 WHERE person_id = $3`, to, div, from); err != nil {
		return errs.Wrap(err, "move observations")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET person_id = $1, division_id = $2 WHERE person_id = $3`, to, div, from); err != nil {
		return errs.Wrap(err, "move alerts")
	}
	return nil
}

// Reveal returns a person in full and writes the reveal to the audit log; it
// needs pii.reveal over the person's village.
func (s *Store) Reveal(ctx context.Context, p *auth.Principal, id int64) (Person, error) {
	if _, err := s.getPerson(ctx, s.DB.R, p, PermRead, id); err != nil {
		return Person{}, err
	}
	var pr Person
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if pr, err = s.getPerson(ctx, tx, p, auth.PermPIIReveal, id); err != nil {
			if errs.CodeOf(err) == errs.NotFound {
				return errs.Forbid()
			}
			return err
		}
		return audit.Write(ctx, tx, audit.ActionReveal, "person", itoa(id), pr.DivisionID, nil,
			map[string]any{"fields": []string{"name", "id_number", "phone", "address"}})
	})
	if err != nil {
		return pr, err
	}
	return pr, s.details(ctx, p, &pr)
}

// AddTravel records another journey of a person.
func (s *Store) AddTravel(ctx context.Context, p *auth.Principal, personID int64, in TravelInput) (Travel, error) {
	var fc errs.FieldCollector
	t := in.check(&fc, "", s.Today())
	if err := fc.Err(); err != nil {
		return t, err
	}
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		pr, err := s.writablePerson(ctx, tx, p, personID)
		if err != nil {
			return err
		}
		now := s.now()
		if t.ID, err = insertTravel(ctx, tx, personID, t, by(p), now); err != nil {
			return errs.Wrap(err, "travel insert")
		}
		t.PersonID, t.CreatedBy, t.CreatedAt = personID, by(p), now
		return audit.Write(ctx, tx, audit.ActionCreate, "person.travel", itoa(t.ID), pr.DivisionID, nil, t)
	})
	return t, err
}

// Merge merges record other into record kept: other's journeys,
// observations (with their follow-ups and alerts) and self-registrations
// move to kept, kept's blank fields are filled from other and the tags are
// united; other stays, marked as merged into kept, so both histories and
// both ID numbers lead to one person. The caller needs write scope over both.
// Two observations in progress at once cannot be merged: one must end first.
func (s *Store) Merge(ctx context.Context, p *auth.Principal, keptID, otherID int64, reason string) (Person, error) {
	var fc errs.FieldCollector
	if keptID == otherID {
		fc.Add("other_id", "screening.err.merge_self")
	}
	if len([]rune(reason)) > 200 {
		fc.Add("reason", "errs.too_long", 200)
	}
	if err := fc.Err(); err != nil {
		return Person{}, err
	}
	var kept Person
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		if kept, err = s.writablePerson(ctx, tx, p, keptID); err != nil {
			return err
		}
		other, err := s.writablePerson(ctx, tx, p, otherID)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.Field("other_id", "screening.err.merge_not_found")
		}
		if err != nil {
			return err
		}
		kept, err = s.mergeTx(ctx, tx, p, kept, other, reason)
		return err
	})
	return kept.Masked(), err
}

func (s *Store) mergeTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, kept, other Person, reason string) (Person, error) {
	var active int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM observations WHERE person_id IN ($1, $2) AND status = 'active'`,
		kept.ID, other.ID).Scan(&active); err != nil {
		return kept, errs.Wrap(err, "merge active")
	}
	if active > 1 {
		return kept, errs.New(errs.Conflict, "screening.err.merge_two_active")
	}
	moved, err := movedBy(ctx, tx, other.ID)
	if err != nil {
		return kept, err
	}
	before := kept.Masked()
	merged := mergeInto(kept, other)
	merged.UpdatedAt = s.now()
	if err := s.writePerson(ctx, tx, merged, kept.Version); err != nil {
		return kept, err
	}
	merged.Version++
	// The merged record, and any record merged into it before, now point at
	// the kept one; journeys and self-registrations move over.
	if _, err := tx.ExecContext(ctx, `UPDATE persons SET merged_into = $1, version = version + 1, updated_at = $3
		WHERE id = $2 OR merged_into = $2`, kept.ID, other.ID, merged.UpdatedAt); err != nil {
		return kept, errs.Wrap(err, "merge mark")
	}
	for _, q := range []string{`UPDATE person_travels SET person_id = $1 WHERE person_id = $2`,
		`UPDATE person_registrations SET person_id = $1 WHERE person_id = $2`} {
		if _, err := tx.ExecContext(ctx, q, kept.ID, other.ID); err != nil {
			return kept, errs.Wrap(err, "merge move")
		}
	}
	if err := moveHistory(ctx, tx, other.ID, kept.ID, kept.DivisionID); err != nil {
		return kept, err
	}
	// Other modules' history of the person (stays, exposures) moves too.
	if err := s.merged(ctx, tx, other.ID, kept.ID); err != nil {
		return kept, err
	}
	movedJSON, _ := json.Marshal(moved)
	if _, err := tx.ExecContext(ctx, `INSERT INTO person_merges (kept_id, merged_id, reason, moved_json, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, kept.ID, other.ID, reason, string(movedJSON), by(p), merged.UpdatedAt); err != nil {
		return kept, errs.Wrap(err, "merge record")
	}
	after := map[string]any{"kept": merged.Masked(), "merged": other.Masked(), "moved": moved, "reason": reason}
	if err := audit.Write(ctx, tx, "merge", "person", itoa(kept.ID), kept.DivisionID, before, after); err != nil {
		return kept, err
	}
	return merged, nil
}

// moved lists what a merge moves from one record, for the audit log.
type moved struct {
	Travels      []int64 `json:"travels"`
	Observations []int64 `json:"observations"`
}

func movedBy(ctx context.Context, tx *sql.Tx, id int64) (moved, error) {
	var m moved
	for _, part := range []struct {
		q   string
		dst *[]int64
	}{
		{`SELECT id FROM person_travels WHERE person_id = $1 ORDER BY id`, &m.Travels},
		{`SELECT id FROM observations WHERE person_id = $1 ORDER BY id`, &m.Observations},
	} {
		rows, err := tx.QueryContext(ctx, part.q, id)
		if err != nil {
			return m, errs.Wrap(err, "merge list")
		}
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return m, errs.Wrap(err, "merge list scan")
			}
			*part.dst = append(*part.dst, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return m, errs.Wrap(err, "merge list")
		}
	}
	return m, nil
}
