package screening

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// CreateMany registers many people in one transaction, with their journeys
// and observations, all or none: the loader's way in (and the API's for a
// township's batch). Each input is checked as Create checks it, duplicates
// within the batch or of the register included; errors name fields
// "<index>.<field>". One audit entry records the batch.
func (s *Store) CreateMany(ctx context.Context, p *auth.Principal, ins []PersonInput) ([]Created, error) {
	today, rules := s.Today(), s.Rules(ctx)
	var fc errs.FieldCollector
	rows := make([]*importRow, len(ins))
	obs := make([]*Observation, len(ins))
	seen := map[string]int{}
	for i, in := range ins {
		var one errs.FieldCollector
		pr := in.check(&one, today)
		r := &importRow{num: i, person: pr}
		if in.Travel != nil && !in.Travel.empty() {
			t := in.Travel.check(&one, "travel.", today)
			r.travel = &t
		}
		if in.Observe != nil {
			o := in.Observe.check(&one, "observe.", today, rules)
			obs[i] = &o
		}
		if j, dup := seen[pr.IDNumber]; dup && pr.IDNumber != "" {
			one.Add("id_number", "screening.err.import_repeat", j)
		}
		seen[pr.IDNumber] = i
		for _, f := range errFields(one.Err()) {
			fc.Add(itoa(int64(i))+"."+f.Field, f.Msg.Key, f.Msg.Args...)
		}
		rows[i] = r
	}
	if err := fc.Err(); err != nil {
		return nil, err
	}
	var out []Created
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		checked := map[int64]bool{}
		for i, r := range rows {
			if !checked[r.person.DivisionID] {
				if _, err := village(ctx, tx, p, PermWrite, r.person.DivisionID, itoa(int64(i))+".division_id"); err != nil {
					return err
				}
				checked[r.person.DivisionID] = true
			}
		}
		im := &importer{s: s, ctx: ctx, p: p, rows: rows}
		dups, err := im.registered(tx)
		if err != nil {
			return err
		}
		if len(dups) > 0 {
			// The batch is refused whole, pointing at its first duplicate.
			first := -1
			for num := range dups {
				if first < 0 || num < first {
					first = num
				}
			}
			e := errs.As(duplicateErr(dups[first]))
			e.Fields[0].Field = itoa(int64(first)) + "." + e.Fields[0].Field
			return e
		}
		if err := im.insertWith(tx, rows, SourceForm); err != nil {
			return err
		}
		if out, err = s.openMany(ctx, tx, p, rows, obs); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "person", "", 0, nil, map[string]any{"count": len(rows)})
	})
	return out, err
}

// openMany inserts the observations of a batch, many rows per statement,
// each with its "opened" change.
func (s *Store) openMany(ctx context.Context, tx *sql.Tx, p *auth.Principal, rows []*importRow, obs []*Observation) ([]Created, error) {
	out := make([]Created, len(rows))
	now, actor := s.now(), by(p)
	byPerson := map[int64]int{}
	var vals [][]any
	for i, r := range rows {
		out[i].Person = r.person
		if obs[i] == nil {
			continue
		}
		o := obs[i]
		o.PersonID, o.DivisionID, o.Status, o.Version, o.CreatedBy, o.CreatedAt, o.UpdatedAt = r.person.ID, r.person.DivisionID, Active, 1, actor, now, now
		byPerson[o.PersonID] = i
		vals = append(vals, []any{o.PersonID, o.DivisionID, string(o.Kind), string(o.Reason), string(o.Basis), o.BasisDate,
			o.StartDate, o.PeriodDays, o.PlannedEnd, "active", nullID(o.CaseID), o.Notes, actor, now, now})
	}
	cols := []string{"person_id", "division_id", "kind", "reason", "basis", "basis_date", "start_date", "period_days",
		"planned_end", "status", "case_id", "notes", "created_by", "created_at", "updated_at"}
	err := batchInsert(ctx, tx, s.DB.Dialect, "observations", cols, vals, "id, person_id", func(r *sql.Rows) error {
		var id, person int64
		if err := r.Scan(&id, &person); err != nil {
			return err
		}
		obs[byPerson[person]].ID = id
		return nil
	})
	if err != nil {
		return nil, errs.Wrap(err, "observation batch")
	}
	var changes [][]any
	for i, o := range obs {
		if o != nil {
			changes = append(changes, []any{o.ID, ChangeOpened, o.StartDate, storage.Date{}, o.PlannedEnd, "", actor, now})
			out[i].Observation = o
		}
	}
	err = batchInsert(ctx, tx, s.DB.Dialect, "observation_changes", []string{"observation_id", "kind", "day", "old_end",
		"new_end", "reason", "created_by", "created_at"}, changes, "", nil)
	return out, errs.Wrap(err, "observation changes batch")
}
