package screening

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// Link is a village's self-registration link (the QR code encodes it).
type Link struct {
	Division   Division `json:"division"`
	Token      string   `json:"token"`
	Generation int64    `json:"generation"`
}

// Path is the link's path on the server.
func (l Link) Path() string { return "/r/" + l.Token }

// signingKey is the county's link-signing key, made on first use. Every
// replica reads the same row, so a link signed by one is valid on all.
func (s *Store) signingKey(ctx context.Context) ([]byte, error) {
	var secret string
	err := s.DB.R.QueryRowContext(ctx, `SELECT secret FROM screening_keys WHERE name = 'selfreg'`).Scan(&secret)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, errs.Wrap(err, "link key")
		}
		if _, err := s.DB.W.ExecContext(ctx, `INSERT INTO screening_keys (name, secret, created_at) VALUES ('selfreg', $1, $2)
			ON CONFLICT (name) DO NOTHING`, hex.EncodeToString(b), s.now()); err != nil {
			return nil, errs.Wrap(err, "link key insert")
		}
		err = s.DB.W.QueryRowContext(ctx, `SELECT secret FROM screening_keys WHERE name = 'selfreg'`).Scan(&secret)
	}
	if err != nil {
		return nil, errs.Wrap(err, "link key")
	}
	return hex.DecodeString(secret)
}

// generationOf is a village's current link generation (1 until rotated).
func generationOf(ctx context.Context, q storage.Querier, division int64) (int64, error) {
	var g int64
	err := q.QueryRowContext(ctx, `SELECT generation FROM screening_links WHERE division_id = $1`, division).Scan(&g)
	if errors.Is(err, sql.ErrNoRows) {
		return 1, nil
	}
	return g, errs.Wrap(err, "link generation")
}

// Links lists the self-registration links of the villages in the caller's
// write scope (under divisionID, if set).
func (s *Store) Links(ctx context.Context, p *auth.Principal, divisionID int64) ([]Link, error) {
	key, err := s.signingKey(ctx)
	if err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p, PermWrite, divisionID)
	if err != nil {
		return nil, err
	}
	nodes, err := s.nodes(ctx, sc)
	if err != nil {
		return nil, err
	}
	var out []Link
	for _, n := range nodes {
		if n.Level != "village" {
			continue
		}
		g, err := generationOf(ctx, s.DB.R, n.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, Link{Division: n.Division, Token: makeToken(key, n.ID, g), Generation: g})
	}
	return out, nil
}

// Rotate makes a village's link new: printed QR codes of the old one stop
// working (a code posted somewhere it should not be).
func (s *Store) Rotate(ctx context.Context, p *auth.Principal, division int64) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := village(ctx, tx, p, PermWrite, division, "division_id"); err != nil {
			return err
		}
		g, err := generationOf(ctx, tx, division)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO screening_links (division_id, generation, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (division_id) DO UPDATE SET generation = excluded.generation, updated_at = excluded.updated_at`,
			division, g+1, s.now()); err != nil {
			return errs.Wrap(err, "link rotate")
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "selfreg_link", itoa(division), division,
			map[string]any{"generation": g}, map[string]any{"generation": g + 1})
	})
}

// Resolve checks a link token and returns its village: NotFound for a token
// that is forged, malformed, of an old generation or of a village that no
// longer exists.
func (s *Store) Resolve(ctx context.Context, token string) (Division, error) {
	key, err := s.signingKey(ctx)
	if err != nil {
		return Division{}, err
	}
	div, gen, ok := checkToken(key, token)
	if !ok {
		return Division{}, errs.NotFoundf()
	}
	cur, err := generationOf(ctx, s.DB.R, div)
	if err != nil || cur != gen {
		return Division{}, errs.NotFoundf()
	}
	var d Division
	err = s.DB.R.QueryRowContext(ctx, `SELECT id, code, name_zh, name_en, level FROM org_nodes WHERE id = $1`, div).
		Scan(&d.ID, &d.Code, &d.NameZH, &d.NameEN, &d.Level)
	if err != nil || d.Level != "village" {
		return Division{}, errs.NotFoundf()
	}
	return d, nil
}

// selfTags are the tags a resident may tick about themselves.
var selfTags = []Tag{TagReturnee, TagKeyRegion, TagFever, TagOverseas}

// SelfTags lists them, for the form.
func SelfTags() []Tag { return selfTags }

// Submit takes a resident's self-registration through a village link into
// that village's queue. Each address may send Rules.SelfRegPerHour
// submissions an hour (counted in the database, across replicas, whether
// they pass validation or not).
func (s *Store) Submit(ctx context.Context, token, addr string, in PersonInput) (int64, error) {
	div, err := s.Resolve(ctx, token)
	if err != nil {
		return 0, err
	}
	if err := s.throttle(ctx, addr); err != nil {
		return 0, err
	}
	today := s.Today()
	in.DivisionID = div.ID
	var fc errs.FieldCollector
	pr := in.check(&fc, today)
	if pr.Phone == "" && !fc.Has("phone") {
		fc.Add("phone", "errs.required")
	}
	if pr.Address == "" {
		fc.Add("address", "errs.required")
	}
	for _, t := range pr.Tags {
		if t == TagCloseContact {
			fc.Add("tags", "errs.bad_choice")
		}
	}
	var tr Travel
	if in.Travel != nil && !in.Travel.empty() {
		tr = in.Travel.check(&fc, "travel.", today)
	}
	if err := fc.Err(); err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO person_registrations (division_id, name, id_number, phone, address,
			workplace, from_place, via, transport, transport_no, arrived_on, tags, remote_addr, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14) RETURNING id`,
			div.ID, pr.Name, pr.IDNumber, pr.Phone, pr.Address, pr.Workplace, tr.From, tr.Via, string(tr.Transport),
			tr.TransportNo, tr.ArrivedOn, encodeTags(pr.Tags), addr, s.now()).Scan(&id)
		if err != nil {
			return errs.Wrap(err, "registration insert")
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "registration", itoa(id), div.ID, nil, pr.Masked())
	})
	return id, err
}

// throttle counts one submission from addr and refuses it past the limit.
func (s *Store) throttle(ctx context.Context, addr string) error {
	limit := s.Rules(ctx).SelfRegPerHour
	now := s.now()
	var n int
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		// Old attempts are of no further use; dropping them keeps the table small.
		if _, err := tx.ExecContext(ctx, `DELETE FROM screening_selfreg_hits WHERE at < $1`, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM screening_selfreg_hits WHERE remote_addr = $1 AND at > $2`,
			addr, now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO screening_selfreg_hits (remote_addr, at) VALUES ($1, $2)`, addr, now)
		return err
	})
	if err != nil {
		return errs.Wrap(err, "selfreg throttle")
	}
	if n >= limit {
		return errs.New(errs.TooMany, "screening.err.too_many")
	}
	return nil
}

// Registration is one self-registration waiting in (or decided from) a
// village's queue.
type Registration struct {
	ID         int64 `json:"id"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Name      string       `json:"name"`
	IDNumber  string       `json:"id_number"`
	Phone     string       `json:"phone"`
	Address   string       `json:"address"`
	Workplace string       `json:"workplace"`
	Travel    Travel       `json:"travel"`
	Tags      []Tag        `json:"tags"`
	Status    string       `json:"status"` // pending, accepted, rejected
	PersonID  int64        `json:"person_id,omitempty"`
	Reason    string       `json:"reason"`
	DecidedBy string       `json:"decided_by"`
	DecidedAt time.Time    `json:"decided_at"`
	CreatedAt time.Time    `json:"created_at"`
	Birth     storage.Date `json:"-"`
	// Duplicate points at the record the person already has, if any.
	Duplicate *Duplicate `json:"duplicate,omitempty"`
}

// Masked returns a copy with personal data masked.
func (r Registration) Masked() Registration {
	r.Name, r.IDNumber = privacy.MaskName(r.Name), privacy.MaskID(r.IDNumber)
	r.Phone, r.Address = privacy.MaskPhone(r.Phone), privacy.MaskAddress(r.Address)
	return r
}

// input is the registration as a PersonInput.
func (r Registration) input() PersonInput {
	in := PersonInput{DivisionID: r.DivisionID, Name: r.Name, IDNumber: r.IDNumber, Phone: r.Phone, Address: r.Address,
		Workplace: r.Workplace}
	for _, t := range r.Tags {
		in.Tags = append(in.Tags, string(t))
	}
	if r.Travel.From != "" {
		in.Travel = &TravelInput{From: r.Travel.From, Via: r.Travel.Via, Transport: string(r.Travel.Transport),
			TransportNo: r.Travel.TransportNo, ArrivedOn: r.Travel.ArrivedOn.String()}
	}
	return in
}

const regCols = `r.id, r.division_id, n.name_zh, n.name_en, r.name, r.id_number, r.phone, r.address, r.workplace, r.from_place, r.via,
	r.transport, r.transport_no, r.arrived_on, r.tags, r.status, r.person_id, r.reason, r.decided_by, r.decided_at, r.created_at`

func scanRegistration(row interface{ Scan(...any) error }) (Registration, error) {
	var r Registration
	var tr, tags string
	var person sql.NullInt64
	var decided sql.NullTime
	err := row.Scan(&r.ID, &r.DivisionID, &r.DivisionName, &r.DivisionNameEN, &r.Name, &r.IDNumber, &r.Phone, &r.Address, &r.Workplace,
		&r.Travel.From, &r.Travel.Via, &tr, &r.Travel.TransportNo, &r.Travel.ArrivedOn, &tags, &r.Status, &person,
		&r.Reason, &r.DecidedBy, &decided, &r.CreatedAt)
	r.Travel.Transport, r.Tags, r.PersonID, r.DecidedAt = Transport(tr), decodeTags(tags), person.Int64, decided.Time
	return r, err
}

// QueueFilter narrows the queue: pending by default.
type QueueFilter struct {
	DivisionID int64
	Status     string // pending, accepted, rejected
	Cursor     string
	Limit      int
}

// Queue lists self-registrations in the caller's scope (pending ones by
// default), newest first, personal data masked, each pending one with a
// pointer to the record the person already has, if any.
func (s *Store) Queue(ctx context.Context, p *auth.Principal, f QueueFilter) (Page[Registration], error) {
	var args storage.Args
	sc, err := s.scope(ctx, p, PermRead, f.DivisionID)
	if err != nil {
		return Page[Registration]{}, err
	}
	status := f.Status
	if status == "" {
		status = "pending"
	}
	where := []string{sc.SQL("r.division_id", &args), "r.status = " + args.Add(status)}
	if f.Cursor != "" {
		id, err := afterCursor(f.Cursor)
		if err != nil {
			return Page[Registration]{}, err
		}
		where = append(where, "r.id < "+args.Add(id))
	}
	limit := limitOf(f.Limit)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+regCols+` FROM person_registrations r JOIN org_nodes n ON n.id = r.division_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return Page[Registration]{}, errs.Wrap(err, "queue")
	}
	var pg Page[Registration]
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			rows.Close()
			return pg, errs.Wrap(err, "queue scan")
		}
		pg.Items = append(pg.Items, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return pg, errs.Wrap(err, "queue")
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		pg.Next = cursorOf(pg.Items[limit-1].ID)
	}
	for i, r := range pg.Items {
		if r.Status == "pending" {
			if pg.Items[i].Duplicate, err = s.findDuplicate(ctx, s.DB.R, p, r.IDNumber, r.Name, r.Phone, 0); err != nil {
				return pg, err
			}
		}
		pg.Items[i] = pg.Items[i].Masked()
	}
	return pg, nil
}

// pendingReg loads a pending registration for a decision.
func (s *Store) pendingReg(ctx context.Context, tx *sql.Tx, p *auth.Principal, id int64) (Registration, error) {
	var args storage.Args
	r, err := scanRegistration(tx.QueryRowContext(ctx, `SELECT `+regCols+` FROM person_registrations r
		JOIN org_nodes n ON n.id = r.division_id WHERE r.id = `+args.Add(id)+` AND `+p.Scope(PermWrite).SQL("r.division_id", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFoundf()
	}
	if err != nil {
		return r, errs.Wrap(err, "registration get")
	}
	if r.Status != "pending" {
		return r, errs.New(errs.Conflict, "screening.err.decided")
	}
	return r, nil
}

// AcceptInput confirms a self-registration: into a new record, or (when the
// person is already registered) into the existing one.
type AcceptInput struct {
	ExistingID int64             `json:"existing_id"`
	Observe    *ObservationInput `json:"observe,omitempty"`
}

// Accept confirms a pending self-registration into the register. A person
// already registered is refused with a pointer, unless in.ExistingID names
// that record: the journey and tags are then added to it.
func (s *Store) Accept(ctx context.Context, p *auth.Principal, id int64, in AcceptInput) (Created, error) {
	rules := s.Rules(ctx)
	var out Created
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.pendingReg(ctx, tx, p, id)
		if err != nil {
			return err
		}
		pin := r.input()
		pin.Observe = in.Observe
		var fc errs.FieldCollector
		pr := pin.check(&fc, s.Today())
		var tr *Travel
		if pin.Travel != nil {
			t := pin.Travel.check(&fc, "travel.", s.Today())
			tr = &t
		}
		var obs *Observation
		if in.Observe != nil {
			o := in.Observe.check(&fc, "observe.", s.Today(), rules)
			obs = &o
		}
		if err := fc.Err(); err != nil {
			return err
		}
		if in.ExistingID != 0 {
			out, err = s.acceptInto(ctx, tx, p, r, in.ExistingID, pr, tr)
		} else {
			out, err = s.acceptNew(ctx, tx, p, pr, tr, obs, rules)
		}
		if err != nil {
			return err
		}
		return s.decide(ctx, tx, p, r, "accepted", out.Person.ID, "")
	})
	return out, err
}

func (s *Store) acceptNew(ctx context.Context, tx *sql.Tx, p *auth.Principal, pr Person, tr *Travel, obs *Observation, rules Rules) (Created, error) {
	dup, err := s.findDuplicate(ctx, tx, p, pr.IDNumber, pr.Name, pr.Phone, 0)
	if err != nil {
		return Created{}, err
	}
	if dup != nil {
		return Created{}, duplicateErr(dup)
	}
	pr.Source = SourceSelf
	return s.createTx(ctx, tx, p, pr, tr, obs, rules)
}

// acceptInto adds a registration to the record the person already has.
func (s *Store) acceptInto(ctx context.Context, tx *sql.Tx, p *auth.Principal, r Registration, existing int64, pr Person, tr *Travel) (Created, error) {
	dup, err := s.findDuplicate(ctx, tx, p, pr.IDNumber, pr.Name, pr.Phone, 0)
	if err != nil {
		return Created{}, err
	}
	if dup == nil || dup.ID != existing {
		return Created{}, errs.Field("existing_id", "screening.err.not_the_same")
	}
	kept, err := s.writablePerson(ctx, tx, p, existing)
	if err != nil {
		return Created{}, err
	}
	if err := s.tagAll(ctx, tx, kept, pr.Tags); err != nil {
		return Created{}, err
	}
	if tr != nil {
		if _, err := insertTravel(ctx, tx, kept.ID, *tr, by(p), s.now()); err != nil {
			return Created{}, errs.Wrap(err, "travel insert")
		}
	}
	return Created{Person: kept.Masked()}, nil
}

// tagAll adds tags to a person.
func (s *Store) tagAll(ctx context.Context, tx *sql.Tx, pr Person, ts []Tag) error {
	for _, t := range ts {
		if err := s.tag(ctx, tx, pr, t); err != nil {
			return err
		}
		pr.Tags = unionTags(pr.Tags, []Tag{t})
	}
	return nil
}

// Reject declines a pending self-registration (spam, a person of another
// village), for a reason.
func (s *Store) Reject(ctx context.Context, p *auth.Principal, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	var fc errs.FieldCollector
	if fc.Check("reason", validate.Required(reason)) {
		fc.Check("reason", validate.MaxLen(reason, 200))
	}
	if err := fc.Err(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		r, err := s.pendingReg(ctx, tx, p, id)
		if err != nil {
			return err
		}
		return s.decide(ctx, tx, p, r, "rejected", 0, reason)
	})
}

func (s *Store) decide(ctx context.Context, tx *sql.Tx, p *auth.Principal, r Registration, status string, personID int64, reason string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE person_registrations SET status = $1, person_id = $2, reason = $3, decided_by = $4,
		decided_at = $5 WHERE id = $6`, status, nullID(personID), reason, by(p), s.now(), r.ID); err != nil {
		return errs.Wrap(err, "registration decide")
	}
	return audit.Write(ctx, tx, audit.ActionUpdate, "registration", itoa(r.ID), r.DivisionID,
		map[string]any{"status": "pending"}, map[string]any{"status": status, "person_id": personID, "reason": reason})
}
