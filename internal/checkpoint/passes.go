package checkpoint

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
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

// settingPassKey holds the county's pass signing key (the Ed25519 seed,
// base64) in the settings table, so every replica signs and verifies with the
// same key. It is made on first use.
const settingPassKey = "checkpoint.pass_signing_key"

// keyPair is the county's pass key.
type keyPair struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

// keys returns the pass key, creating it on first use. Two replicas racing
// to create it both end up with the one that was inserted first.
func (s *Store) keys(ctx context.Context) (*keyPair, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.passKeys != nil {
		return s.passKeys, nil
	}
	var v string
	err := s.DB.R.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, settingPassKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		v, err = s.createKey(ctx)
	}
	if err != nil {
		return nil, errs.Wrap(err, "pass key")
	}
	seed, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errs.Wrap(errors.New("pass signing key in settings is not a base64 Ed25519 seed"), "pass key")
	}
	priv := ed25519.NewKeyFromSeed(seed)
	s.passKeys = &keyPair{priv: priv, pub: priv.Public().(ed25519.PublicKey)}
	return s.passKeys, nil
}

func (s *Store) createKey(ctx context.Context) (string, error) {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return "", err
	}
	var v string
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
			settingPassKey, base64.StdEncoding.EncodeToString(seed), time.Now().UTC())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
			if err := audit.Write(ctx, tx, audit.ActionCreate, "setting", settingPassKey, 0, nil,
				map[string]string{"public_key": base64.StdEncoding.EncodeToString(pub)}); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, settingPassKey).Scan(&v)
	})
	return v, err
}

// PublicKey is the key that verifies passes, for devices to check them offline.
func (s *Store) PublicKey(ctx context.Context) (ed25519.PublicKey, error) {
	k, err := s.keys(ctx)
	if err != nil {
		return nil, err
	}
	return k.pub, nil
}

// Pass is an issued resident pass. Personal fields are masked in lists.
type Pass struct {
	ID         int64 `json:"serial"`
	DivisionID int64 `json:"division_id"`
	i18n.DivisionNames
	Name          string       `json:"name"`
	IDNumber      string       `json:"id_number"`
	Phone         string       `json:"phone"`
	ValidFrom     storage.Date `json:"valid_from"`
	ValidTo       storage.Date `json:"valid_to"`
	RevokedAt     *time.Time   `json:"revoked_at,omitempty"`
	RevokedReason string       `json:"revoked_reason,omitempty"`
	CreatedAt     time.Time    `json:"created_at"`
	Token         string       `json:"token,omitempty"`
}

// Masked returns a copy with personal data masked.
func (p Pass) Masked() Pass {
	p.Name, p.IDNumber, p.Phone = privacy.MaskName(p.Name), privacy.MaskID(p.IDNumber), privacy.MaskPhone(p.Phone)
	return p
}

// token is the signed content of the pass: the person masked.
func (p Pass) token() Token {
	return Token{Serial: p.ID, Division: p.DivisionID, Village: p.DivisionName, Name: privacy.MaskName(p.Name),
		IDNumber: privacy.MaskID(p.IDNumber), From: p.ValidFrom.String(), To: p.ValidTo.String()}
}

// PassInput is the pass form or API body.
type PassInput struct {
	DivisionID int64  `json:"division_id"`
	Name       string `json:"name"`
	IDNumber   string `json:"id_number"`
	Phone      string `json:"phone"`
	ValidFrom  string `json:"valid_from"`
	ValidTo    string `json:"valid_to"`
}

func (in PassInput) check(today storage.Date) (Pass, error) {
	var fc errs.FieldCollector
	p := Pass{DivisionID: in.DivisionID, Name: strings.TrimSpace(in.Name)}
	if p.DivisionID == 0 {
		fc.Add("division_id", "errs.required")
	}
	if fc.Check("name", validate.Required(p.Name)) {
		fc.Check("name", validate.MaxLen(p.Name, 50))
	}
	if id, err := validate.ResidentIDAt(in.IDNumber, today.Add(24*time.Hour-time.Second)); fc.Check("id_number", err) {
		p.IDNumber = id.Number
	}
	if s := strings.TrimSpace(in.Phone); s != "" {
		if m, err := validate.Mobile(s); fc.Check("phone", err) {
			p.Phone = m
		}
	}
	p.ValidFrom = passDate(&fc, "valid_from", in.ValidFrom)
	p.ValidTo = passDate(&fc, "valid_to", in.ValidTo)
	if !p.ValidFrom.IsZero() && !p.ValidTo.IsZero() && p.ValidTo.Before(p.ValidFrom.Time) {
		fc.Add("valid_to", "checkpoint.valid_to_before_from")
	}
	return p, fc.Err()
}

func passDate(fc *errs.FieldCollector, field, s string) storage.Date {
	t, err := validate.Date(strings.TrimSpace(s))
	if !fc.Check(field, err) {
		return storage.Date{}
	}
	return storage.Date{Time: t}
}

// IssuePass issues a pass for a resident of a division in the caller's
// pass.issue scope and returns it with its signed token.
func (s *Store) IssuePass(ctx context.Context, p *auth.Principal, in PassInput) (Pass, error) {
	ps, err := in.check(storage.DateOf(s.Now(), s.Zone))
	if err != nil {
		return ps, err
	}
	k, err := s.keys(ctx)
	if err != nil {
		return ps, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var path string
		err := tx.QueryRowContext(ctx, `SELECT name_zh, name_en, path FROM org_nodes WHERE id = $1`, ps.DivisionID).
			Scan(&ps.DivisionName, &ps.DivisionNameEN, &path)
		if err != nil || !p.Scope(auth.PermPassIssue).Contains(path) {
			return errs.Field("division_id", "checkpoint.division_out_of_scope")
		}
		ps.CreatedAt = time.Now().UTC()
		err = tx.QueryRowContext(ctx, `INSERT INTO checkpoint_passes (division_id, name, id_number, phone, valid_from, valid_to,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, ps.DivisionID, ps.Name, ps.IDNumber,
			ps.Phone, ps.ValidFrom, ps.ValidTo, p.Username, ps.CreatedAt).Scan(&ps.ID)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionCreate, "pass", strconv.FormatInt(ps.ID, 10), ps.DivisionID, nil, ps.Masked())
	})
	if err != nil {
		return ps, err
	}
	ps.Token = SignToken(k.priv, ps.token())
	return ps, nil
}

const passCols = `p.id, p.division_id, n.name_zh, n.name_en, p.name, p.id_number, p.phone, p.valid_from, p.valid_to, p.revoked_at, p.revoked_reason, p.created_at`

func scanPass(row interface{ Scan(...any) error }) (Pass, error) {
	var ps Pass
	var revoked sql.NullTime
	err := row.Scan(&ps.ID, &ps.DivisionID, &ps.DivisionName, &ps.DivisionNameEN, &ps.Name, &ps.IDNumber, &ps.Phone, &ps.ValidFrom, &ps.ValidTo,
		&revoked, &ps.RevokedReason, &ps.CreatedAt)
	if revoked.Valid {
		t := revoked.Time.UTC()
		ps.RevokedAt = &t
	}
	return ps, err
}

// Passes lists the passes of a division's subtree in the caller's pass.issue
// scope, masked, each with its token (for the print sheet).
func (s *Store) Passes(ctx context.Context, p *auth.Principal, divisionID int64) ([]Pass, error) {
	k, err := s.keys(ctx)
	if err != nil {
		return nil, err
	}
	var args storage.Args
	where := p.Scope(auth.PermPassIssue).SQL("p.division_id", &args)
	if divisionID != 0 {
		where += " AND n.path LIKE (SELECT path FROM org_nodes WHERE id = " + args.Add(divisionID) + ") || '%'"
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+passCols+` FROM checkpoint_passes p JOIN org_nodes n ON n.id = p.division_id
		WHERE `+where+` ORDER BY n.code, p.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "pass list")
	}
	defer rows.Close()
	out := []Pass{}
	for rows.Next() {
		ps, err := scanPass(rows)
		if err != nil {
			return nil, errs.Wrap(err, "pass scan")
		}
		ps.Token = SignToken(k.priv, ps.token())
		out = append(out, ps.Masked())
	}
	return out, rows.Err()
}

// GetPass returns one pass in the caller's pass.issue scope, masked, with its token.
func (s *Store) GetPass(ctx context.Context, p *auth.Principal, serial int64) (Pass, error) {
	k, err := s.keys(ctx)
	if err != nil {
		return Pass{}, err
	}
	var args storage.Args
	ps, err := scanPass(s.DB.R.QueryRowContext(ctx, `SELECT `+passCols+` FROM checkpoint_passes p JOIN org_nodes n ON n.id = p.division_id
		WHERE p.id = `+args.Add(serial)+` AND `+p.Scope(auth.PermPassIssue).SQL("p.division_id", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return ps, errs.NotFoundf()
	}
	if err != nil {
		return ps, errs.Wrap(err, "pass get")
	}
	ps.Token = SignToken(k.priv, ps.token())
	return ps.Masked(), nil
}

// RevokePass revokes a pass from now on; its serial joins the revocation list.
func (s *Store) RevokePass(ctx context.Context, p *auth.Principal, serial int64, reason string) (Pass, error) {
	reason = strings.TrimSpace(reason)
	if err := validate.MaxLen(reason, 200); err != nil {
		return Pass{}, errs.Field("reason", err.(*validate.Error).Key, 200)
	}
	ps, err := s.GetPass(ctx, p, serial)
	if err != nil {
		return ps, err
	}
	if ps.RevokedAt != nil {
		return ps, nil
	}
	now := s.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE checkpoint_passes SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL`,
			now, reason, serial); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "pass.revoke", strconv.FormatInt(serial, 10), ps.DivisionID,
			nil, map[string]string{"reason": reason})
	})
	ps.RevokedAt, ps.RevokedReason = &now, reason
	return ps, err
}

// Revocation is one entry of the revocation list.
type Revocation struct {
	Serial int64     `json:"serial"`
	At     time.Time `json:"revoked_at"`
}

// Revoked lists every revoked serial, for devices to check passes offline.
// It is county-wide and holds no personal data.
func (s *Store) Revoked(ctx context.Context) ([]Revocation, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, revoked_at FROM checkpoint_passes WHERE revoked_at IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, errs.Wrap(err, "revocation list")
	}
	defer rows.Close()
	out := []Revocation{}
	for rows.Next() {
		var r Revocation
		if err := rows.Scan(&r.Serial, &r.At); err != nil {
			return nil, errs.Wrap(err, "revocation scan")
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// VerifyPass checks a scanned token now, as a device does online: signature,
// serial known, not revoked, valid today. It returns the signed content.
func (s *Store) VerifyPass(ctx context.Context, token string) (Token, error) {
	rec, err := s.checkPass(ctx, token, s.Now())
	if err != nil {
		return Token{}, err
	}
	return rec.token(), nil
}

// checkPass verifies a token for a passage at time at and returns the pass
// record (personal data in full: the passage stores who passed).
func (s *Store) checkPass(ctx context.Context, token string, at time.Time) (Pass, error) {
	k, err := s.keys(ctx)
	if err != nil {
		return Pass{}, err
	}
	t, err := ParseToken(k.pub, token)
	if err != nil {
		return Pass{}, err
	}
	rec, err := scanPass(s.DB.R.QueryRowContext(ctx, `SELECT `+passCols+` FROM checkpoint_passes p
		JOIN org_nodes n ON n.id = p.division_id WHERE p.id = $1`, t.Serial))
	if errors.Is(err, sql.ErrNoRows) {
		return Pass{}, &PassError{ReasonUnknown}
	}
	if err != nil {
		return Pass{}, errs.Wrap(err, "pass lookup")
	}
	if rec.RevokedAt != nil && !rec.RevokedAt.After(at) {
		return Pass{}, &PassError{ReasonRevoked}
	}
	if why := t.ValidOn(dayIn(at, s.Zone)); why != "" {
		return Pass{}, &PassError{why}
	}
	return rec, nil
}
