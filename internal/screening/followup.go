package screening

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Recorded is what recording a follow-up did: the follow-up, and the alert
// it opened if it found a fever or a symptom.
type Recorded struct {
	FollowUp FollowUp `json:"followup"`
	Alert    *Alert   `json:"alert,omitempty"`
}

// RecordFollowUp records one temperature and symptom check. The day must
// lie in the observation's period and not in the future, and each slot (am,
// pm) of a day is recorded once. A fever (by the county's threshold) or any
// symptom opens an alert and its transfer task, unless one is already open.
func (s *Store) RecordFollowUp(ctx context.Context, p *auth.Principal, in FollowUpInput) (Recorded, error) {
	rules := s.Rules(ctx)
	var fc errs.FieldCollector
	f := in.check(&fc, "", s.Today())
	if err := fc.Err(); err != nil {
		return Recorded{FollowUp: f}, err
	}
	var rec Recorded
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		o, err := s.writableObs(ctx, tx, p, in.ObservationID)
		if err != nil {
			return err
		}
		if err := dayInPeriod(o, f.Day, "day"); err != nil {
			return err
		}
		if rec, err = s.recordTx(ctx, tx, p, o, f, rules); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "followup", itoa(rec.FollowUp.ID), o.DivisionID, nil, rec.FollowUp)
	})
	return rec, err
}

// dayInPeriod refuses a follow-up day outside the observation's period.
func dayInPeriod(o Observation, d storage.Date, field string) error {
	if o.FollowUpDay(d) {
		return nil
	}
	last := o.PlannedEnd
	if !o.EndDate.IsZero() && o.EndDate.AddDays(-1).Before(last.Time) {
		last = o.EndDate.AddDays(-1)
	}
	return errs.Field(field, "screening.err.day_outside", o.StartDate.String(), last.String())
}

// recordTx inserts a checked follow-up and opens its alert.
func (s *Store) recordTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, o Observation, f FollowUp, rules Rules) (Recorded, error) {
	f.Alarm = rules.Alarming(Tenths(f.Temperature), f.Symptoms)
	f.ObservationID, f.CreatedBy, f.CreatedAt = o.ID, by(p), s.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO followups (observation_id, day, slot, temp_tenths, symptoms, note, alarm,
		created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		o.ID, f.Day, string(f.Slot), Tenths(f.Temperature), encodeSymptoms(f.Symptoms), f.Note, f.Alarm, f.CreatedBy, f.CreatedAt).Scan(&f.ID)
	if storage.IsUniqueViolation(err) {
		return Recorded{}, errs.Field("slot", "screening.err.slot_taken")
	}
	if err != nil {
		return Recorded{}, errs.Wrap(err, "followup insert")
	}
	rec := Recorded{FollowUp: f}
	if !f.Alarm {
		return rec, nil
	}
	if rules.IsFever(Tenths(f.Temperature)) {
		// o was loaded for this write by the caller's right to it (screening's
		// scope, or isolation's stay at the caller's site): its person goes with it.
		pr, err := s.getPerson(ctx, tx, anyScope(p), PermWrite, o.PersonID)
		if err != nil {
			return rec, err
		}
		if err := s.tag(ctx, tx, pr, TagFever); err != nil {
			return rec, err
		}
	}
	a, err := s.openAlertTx(ctx, tx, p, o, f)
	if err != nil || a == nil {
		return rec, err
	}
	rec.Alert, rec.FollowUp.AlertID = a, a.ID
	return rec, nil
}

// RecordMany records many follow-ups in one transaction (a village's
// morning round typed into the due list, or a loader): all or none. Errors
// name each field as "<observation id>.<field>".
func (s *Store) RecordMany(ctx context.Context, p *auth.Principal, ins []FollowUpInput) ([]Recorded, error) {
	fs, ids, err := s.checkMany(ins)
	if err != nil {
		return nil, err
	}
	rules := s.Rules(ctx)
	var out []Recorded
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		obs, err := s.obsByIDs(ctx, tx, p, PermWrite, ids)
		if err != nil {
			return err
		}
		out, err = s.recordManyTx(ctx, tx, p, fs, obs, rules)
		return err
	})
	return out, err
}

// checkMany checks a batch of follow-ups by themselves.
func (s *Store) checkMany(ins []FollowUpInput) ([]FollowUp, []int64, error) {
	today := s.Today()
	var fc errs.FieldCollector
	fs := make([]FollowUp, len(ins))
	ids := make([]int64, len(ins))
	for i, in := range ins {
		fs[i] = in.check(&fc, itoa(in.ObservationID)+".", today)
		ids[i] = in.ObservationID
	}
	if err := fc.Err(); err != nil {
		return nil, nil, err
	}
	if len(ins) == 0 {
		return nil, nil, errs.Field("items", "screening.err.none_selected")
	}
	return fs, ids, nil
}

// recordManyTx records checked follow-ups of loaded observations.
func (s *Store) recordManyTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, fs []FollowUp, obs map[int64]Observation, rules Rules) ([]Recorded, error) {
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = f.ObservationID
	}
	taken, err := takenSlots(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	if err := checkBatch(fs, obs, taken); err != nil {
		return nil, err
	}
	out, err := s.insertBatch(ctx, tx, p, fs, obs, rules)
	if err != nil {
		return nil, err
	}
	return out, s.auditBatch(ctx, tx, out)
}

// checkBatch checks each follow-up against its observation and the slots
// already taken (in the database or earlier in the batch).
func checkBatch(fs []FollowUp, obs map[int64]Observation, taken map[obsSlot]bool) error {
	var fc errs.FieldCollector
	for _, f := range fs {
		prefix := itoa(f.ObservationID) + "."
		o, ok := obs[f.ObservationID]
		if !ok {
			fc.Add(prefix+"observation_id", "errs.not_found")
			continue
		}
		if err := dayInPeriod(o, f.Day, prefix+"day"); err != nil {
			fc.Add(prefix+"day", errs.As(err).Fields[0].Msg.Key, errs.As(err).Fields[0].Msg.Args...)
			continue
		}
		k := obsSlot{f.ObservationID, f.Day.String(), f.Slot}
		if taken[k] {
			fc.Add(prefix+"slot", "screening.err.slot_taken")
		}
		taken[k] = true
	}
	return fc.Err()
}

// obsSlot names one slot of one observation.
type obsSlot struct {
	obs  int64
	day  string
	slot Slot
}

// insertBatch stores plain follow-ups many rows per statement and alarming
// ones one by one, since each may open an alert.
func (s *Store) insertBatch(ctx context.Context, tx *sql.Tx, p *auth.Principal, fs []FollowUp, obs map[int64]Observation, rules Rules) ([]Recorded, error) {
	now, actor := s.now(), by(p)
	out := make([]Recorded, len(fs))
	index := map[obsSlot]int{}
	var rows [][]any
	for i, f := range fs {
		f.Alarm = rules.Alarming(Tenths(f.Temperature), f.Symptoms)
		f.CreatedBy, f.CreatedAt = actor, now
		out[i].FollowUp = f
		if f.Alarm {
			continue
		}
		index[obsSlot{f.ObservationID, f.Day.String(), f.Slot}] = i
		rows = append(rows, []any{f.ObservationID, f.Day, string(f.Slot), Tenths(f.Temperature), "", f.Note, false, actor, now})
	}
	cols := []string{"observation_id", "day", "slot", "temp_tenths", "symptoms", "note", "alarm", "created_by", "created_at"}
	err := batchInsert(ctx, tx, s.DB.Dialect, "followups", cols, rows, "id, observation_id, day, slot", func(r *sql.Rows) error {
		var id, oid int64
		var day storage.Date
		var slot string
		if err := r.Scan(&id, &oid, &day, &slot); err != nil {
			return err
		}
		out[index[obsSlot{oid, day.String(), Slot(slot)}]].FollowUp.ID = id
		return nil
	})
	if err != nil {
		return nil, errs.Wrap(err, "followup batch")
	}
	for i, f := range fs {
		if out[i].FollowUp.Alarm {
			if out[i], err = s.recordTx(ctx, tx, p, obs[f.ObservationID], f, rules); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// auditBatch writes one audit entry per village for a batch of follow-ups.
func (s *Store) auditBatch(ctx context.Context, tx *sql.Tx, recs []Recorded) error {
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.FollowUp.ID
	}
	return audit.Write(ctx, tx, audit.ActionCreate, "followup", "", 0, nil, map[string]any{"count": len(ids), "ids": ids})
}

// obsByIDs loads observations by id within the caller's scope for perm.
func (s *Store) obsByIDs(ctx context.Context, q storage.Querier, p *auth.Principal, perm auth.Perm, ids []int64) (map[int64]Observation, error) {
	out := map[int64]Observation{}
	for _, chunk := range chunks(unique(ids), 500) {
		var args storage.Args
		in := make([]string, len(chunk))
		for i, id := range chunk {
			in[i] = args.Add(id)
		}
		rows, err := q.QueryContext(ctx, `SELECT `+obsCols+obsFrom+` WHERE o.id IN (`+strings.Join(in, ",")+`) AND `+
			p.Scope(perm).SQL("o.division_id", &args), args...)
		if err != nil {
			return nil, errs.Wrap(err, "observations by id")
		}
		for rows.Next() {
			o, err := scanObservation(rows)
			if err != nil {
				rows.Close()
				return nil, errs.Wrap(err, "observation scan")
			}
			out[o.ID] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, errs.Wrap(err, "observations by id")
		}
	}
	return out, nil
}

// takenSlots lists the slots already recorded for the observations.
func takenSlots(ctx context.Context, q storage.Querier, ids []int64) (map[obsSlot]bool, error) {
	out := map[obsSlot]bool{}
	for _, chunk := range chunks(unique(ids), 500) {
		var args storage.Args
		in := make([]string, len(chunk))
		for i, id := range chunk {
			in[i] = args.Add(id)
		}
		rows, err := q.QueryContext(ctx, `SELECT observation_id, day, slot FROM followups WHERE observation_id IN (`+
			strings.Join(in, ",")+`)`, args...)
		if err != nil {
			return nil, errs.Wrap(err, "taken slots")
		}
		for rows.Next() {
			var k obsSlot
			var day storage.Date
			var slot string
			if err := rows.Scan(&k.obs, &day, &slot); err != nil {
				rows.Close()
				return nil, errs.Wrap(err, "taken slots scan")
			}
			k.day, k.slot = day.String(), Slot(slot)
			out[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, errs.Wrap(err, "taken slots")
		}
	}
	return out, nil
}

// followUpsOf lists an observation's follow-ups by day and slot.
func (s *Store) followUpsOf(ctx context.Context, q storage.Querier, obsID int64) ([]FollowUp, error) {
	rows, err := q.QueryContext(ctx, `SELECT f.id, f.observation_id, f.day, f.slot, f.temp_tenths, f.symptoms, f.note,
		f.alarm, f.created_by, f.created_at, a.id FROM followups f LEFT JOIN alerts a ON a.followup_id = f.id
		WHERE f.observation_id = $1 ORDER BY f.day, f.slot`, obsID)
	if err != nil {
		return nil, errs.Wrap(err, "followups")
	}
	defer rows.Close()
	var out []FollowUp
	for rows.Next() {
		f, err := scanFollowUp(rows)
		if err != nil {
			return nil, errs.Wrap(err, "followup scan")
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func scanFollowUp(row interface{ Scan(...any) error }) (FollowUp, error) {
	var f FollowUp
	var slot, symptoms string
	var tenths int64
	var alert sql.NullInt64
	err := row.Scan(&f.ID, &f.ObservationID, &f.Day, &slot, &tenths, &symptoms, &f.Note, &f.Alarm, &f.CreatedBy, &f.CreatedAt, &alert)
	f.Slot, f.Temperature, f.Symptoms, f.AlertID = Slot(slot), Degrees(tenths), decodeSymptoms(symptoms), alert.Int64
	return f, err
}

// batchInsert inserts rows into table, many rows per statement (up to 500,
// within both engines' parameter limits). With returning set, scan is
// called for each row the statements return.
//
// On SQLite the statements use anonymous ? placeholders instead of $N:
// SQLite resolves each $N by a linear search of the ones before it, both
// when parsing and when binding, so a statement's cost grows with the square
// of its parameters (measured: 500-row statements with $N made a
// 100,000-row import run at 900 rows/s). Both engines still run one
// statement text each; only the placeholders differ.
func batchInsert(ctx context.Context, tx *sql.Tx, dialect storage.Dialect, table string, cols []string, rows [][]any, returning string, scan func(*sql.Rows) error) error {
	per := max(1, min(500, 30000/len(cols)))
	for _, chunk := range chunks(rows, per) {
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, len(chunk)*len(cols))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				if dialect == storage.SQLite {
					b.WriteByte('?')
				} else {
					b.WriteString("$" + strconv.Itoa(len(args)))
				}
			}
			b.WriteByte(')')
		}
		if returning == "" {
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				return err
			}
			continue
		}
		b.WriteString(" RETURNING " + returning)
		if err := scanAll(ctx, tx, b.String(), args, scan); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is a list of n placeholders for an IN (…) of its own
// statement: ? on SQLite, $1…$n on PostgreSQL (see batchInsert).
func placeholders(dialect storage.Dialect, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		if dialect == storage.SQLite {
			b.WriteByte('?')
		} else {
			b.WriteString("$" + strconv.Itoa(i))
		}
	}
	return b.String()
}

// placeholdersFrom is $from…$(from+n-1), for a list after other arguments
// (a thousand $N on SQLite costs little next to a multi-row insert).
func placeholdersFrom(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

func scanAll(ctx context.Context, q storage.Querier, query string, args []any, scan func(*sql.Rows) error) error {
	rs, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := scan(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// chunks splits s into slices of at most n.
func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// unique drops repeated ids, keeping the first of each.
func unique(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
