package checkpoint

import (
	"context"
	"database/sql"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

const logCols = `x.id, x.checkpoint_id, x.client_id, x.at, x.direction, x.person_name, x.id_number, x.phone, x.pass_serial,
	x.plate, x.external, x.temp_tenths, x.fever, x.origin, x.destination, x.purpose, x.decision, x.recorded_by, x.created_at`

func scanPassage(row interface{ Scan(...any) error }) (Passage, error) {
	var p Passage
	var dir, dec string
	var t int64
	err := row.Scan(&p.ID, &p.CheckpointID, &p.ClientID, &p.At, &dir, &p.Name, &p.IDNumber, &p.Phone, &p.PassSerial,
		&p.Plate, &p.External, &t, &p.Fever, &p.From, &p.To, &p.Purpose, &dec, &p.RecordedBy, &p.CreatedAt)
	p.Direction, p.Decision, p.Temperature = Direction(dir), Decision(dec), float64(t)/10
	p.At, p.CreatedAt = p.At.UTC(), p.CreatedAt.UTC()
	return p, err
}

// PassageFilter narrows the passage log.
type PassageFilter struct {
	CheckpointID int64
	From, To     time.Time // [From, To); zero = open
	Cursor       string
	Limit        int
}

// PassagePage is one page of the log, newest first.
type PassagePage struct {
	Items []Passage `json:"items"`
	Next  string    `json:"next_cursor,omitempty"`
}

// Passages lists passages at the checkpoints in the caller's passage.read
// scope, newest first, masked.
func (s *Store) Passages(ctx context.Context, p *auth.Principal, f PassageFilter) (PassagePage, error) {
	var args storage.Args
	where := []string{"x.checkpoint_id IN (SELECT c.id FROM checkpoints c WHERE " + scopeSQL(p, auth.PermPassageRead, &args) + ")"}
	if f.CheckpointID != 0 {
		where = append(where, "x.checkpoint_id = "+args.Add(f.CheckpointID))
	}
	if !f.From.IsZero() {
		where = append(where, "x.at >= "+args.Add(f.From.UTC()))
	}
	if !f.To.IsZero() {
		where = append(where, "x.at < "+args.Add(f.To.UTC()))
	}
	if f.Cursor != "" {
		at, id, ok := decodeCursor(f.Cursor)
		if !ok {
			return PassagePage{}, errs.Field("cursor", "errs.bad_cursor")
		}
		where = append(where, "(x.at < "+args.Add(at)+" OR (x.at = "+args.Add(at)+" AND x.id < "+args.Add(id)+"))")
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+logCols+` FROM passages x WHERE `+strings.Join(where, " AND ")+
		` ORDER BY x.at DESC, x.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return PassagePage{}, errs.Wrap(err, "passage list")
	}
	defer rows.Close()
	pg := PassagePage{Items: []Passage{}}
	for rows.Next() {
		x, err := scanPassage(rows)
		if err != nil {
			return pg, errs.Wrap(err, "passage scan")
		}
		pg.Items = append(pg.Items, x.Masked())
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		last := pg.Items[limit-1]
		pg.Next = encodeCursor(last.At, last.ID)
	}
	return pg, rows.Err()
}

func encodeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.Unix(), 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (time.Time, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, 0, false
	}
	a, b2, ok := strings.Cut(string(b), ".")
	sec, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b2, 10, 64)
	if !ok || err1 != nil || err2 != nil || id <= 0 {
		return time.Time{}, 0, false
	}
	return time.Unix(sec, 0).UTC(), id, true
}

// Encounter is one co-presence: another person's passage at the same
// checkpoint within the window of one of the case's passages.
type Encounter struct {
	CasePassage  Passage `json:"case_passage"`
	Other        Passage `json:"other"`
	Checkpoint   string  `json:"checkpoint"`
	DeltaSeconds int64   `json:"delta_seconds"`
}

// coChunk is how many of the case's passages one co-presence query covers.
const coChunk = 50

// CoPresence finds who passed the same checkpoint within ±window of any
// passage of personKey (see PersonKey) between from and to — the contact
// tracing module's question. It reads only checkpoints in the caller's
// passage.read scope; personal data is in full, for the tracer, who must
// audit what they reveal. Both steps use an index: the case's passages by
// (person_key, at), then each checkpoint's passages by (checkpoint_id, at).
func (s *Store) CoPresence(ctx context.Context, p *auth.Principal, personKey string, from, to time.Time, window time.Duration) ([]Encounter, error) {
	if personKey == "" {
		return nil, errs.Field("person_key", "errs.required")
	}
	own, err := s.personPassages(ctx, p, personKey, from, to)
	if err != nil {
		return nil, err
	}
	var out []Encounter
	for start := 0; start < len(own); start += coChunk {
		chunk := own[start:min(start+coChunk, len(own))]
		found, err := s.nearby(ctx, personKey, chunk, window)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

type ownPassage struct {
	Passage
	checkpoint string
}

func (s *Store) personPassages(ctx context.Context, p *auth.Principal, key string, from, to time.Time) ([]ownPassage, error) {
	var args storage.Args
	q := `SELECT ` + logCols + `, c.name FROM passages x JOIN checkpoints c ON c.id = x.checkpoint_id
		WHERE x.person_key = ` + args.Add(key) + ` AND x.at >= ` + args.Add(from.UTC()) + ` AND x.at < ` + args.Add(to.UTC()) +
		` AND ` + scopeSQL(p, auth.PermPassageRead, &args) + ` ORDER BY x.at`
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, errs.Wrap(err, "co-presence own")
	}
	defer rows.Close()
	var out []ownPassage
	for rows.Next() {
		var o ownPassage
		var cpName string
		x, err := scanPassage(scanPlus{rows, &cpName})
		if err != nil {
			return nil, errs.Wrap(err, "co-presence scan")
		}
		o.Passage, o.checkpoint = x, cpName
		out = append(out, o)
	}
	return out, rows.Err()
}

// scanPlus scans a passage row with extra trailing columns.
type scanPlus struct {
	rows  *sql.Rows
	extra *string
}

func (s scanPlus) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra)...) }

// nearby runs one UNION ALL query over a chunk of the case's passages: each
// branch is an index range on (checkpoint_id, at).
func (s *Store) nearby(ctx context.Context, key string, own []ownPassage, window time.Duration) ([]Encounter, error) {
	var args storage.Args
	parts := make([]string, len(own))
	for i, o := range own {
		parts[i] = `SELECT ` + strconv.Itoa(i) + ` AS k, ` + logCols + ` FROM passages x WHERE x.checkpoint_id = ` +
			args.Add(o.CheckpointID) + ` AND x.at >= ` + args.Add(o.At.Add(-window)) + ` AND x.at <= ` + args.Add(o.At.Add(window)) +
			` AND x.person_key <> ` + args.Add(key)
	}
	rows, err := s.DB.R.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...)
	if err != nil {
		return nil, errs.Wrap(err, "co-presence nearby")
	}
	defer rows.Close()
	var out []Encounter
	for rows.Next() {
		var k int
		x, err := scanPassage(scanFirst{rows, &k})
		if err != nil {
			return nil, errs.Wrap(err, "co-presence scan")
		}
		o := own[k]
		out = append(out, Encounter{CasePassage: o.Passage, Other: x, Checkpoint: o.checkpoint,
			DeltaSeconds: int64(x.At.Sub(o.At) / time.Second)})
	}
	return out, rows.Err()
}

// scanFirst scans a passage row with an extra leading column.
type scanFirst struct {
	rows  *sql.Rows
	first *int
}

func (s scanFirst) Scan(dest ...any) error { return s.rows.Scan(append([]any{s.first}, dest...)...) }

// Referral is a passage sent to observation, waiting for the screening
// module to open the observation (table checkpoint_referrals).
type Referral struct {
	ID           int64     `json:"id"`
	PassageID    int64     `json:"passage_id"`
	CheckpointID int64     `json:"checkpoint_id"`
	DivisionID   int64     `json:"division_id"`
	At           time.Time `json:"at"`
	Name         string    `json:"name"`
	IDNumber     string    `json:"id_number"`
	Phone        string    `json:"phone"`
	Temperature  float64   `json:"temperature,omitempty"`
	Status       string    `json:"status"`
}

// PendingReferrals lists the referrals not yet taken, oldest first, in the
// caller's passage.read scope — the screening module's hook. Personal data is
// in full: the screening module opens an observation with it.
func (s *Store) PendingReferrals(ctx context.Context, p *auth.Principal, limit int) ([]Referral, error) {
	var args storage.Args
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT r.id, r.passage_id, r.checkpoint_id, r.division_id, r.at, r.person_name,
		r.id_number, r.phone, r.temp_tenths, r.status FROM checkpoint_referrals r JOIN checkpoints c ON c.id = r.checkpoint_id
		WHERE r.status = 'pending' AND `+scopeSQL(p, auth.PermPassageRead, &args)+` ORDER BY r.id LIMIT `+args.Add(limit), args...)
	if err != nil {
		return nil, errs.Wrap(err, "referrals")
	}
	defer rows.Close()
	var out []Referral
	for rows.Next() {
		var r Referral
		var t int64
		if err := rows.Scan(&r.ID, &r.PassageID, &r.CheckpointID, &r.DivisionID, &r.At, &r.Name, &r.IDNumber, &r.Phone, &t, &r.Status); err != nil {
			return nil, errs.Wrap(err, "referral scan")
		}
		r.Temperature, r.At = float64(t)/10, r.At.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// TakeReferral marks a referral taken inside the screening module's own
// transaction (so the observation and the mark commit together); ref is the
// screening record's id. It reports false when another replica took it first.
func TakeReferral(ctx context.Context, tx *sql.Tx, id int64, ref string) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE checkpoint_referrals SET status = 'taken', taken_at = $1, taken_ref = $2
		WHERE id = $3 AND status = 'pending'`, time.Now().UTC(), ref, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
