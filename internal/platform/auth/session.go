package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
)

// Login throttling: after this many failures in the window, the account (or
// the address) is refused until the window passes.
const (
	throttleWindow  = 15 * time.Minute
	maxUserFailures = 5
	maxAddrFailures = 30
)

// Login checks a password and opens a session, answering Unauthorized for a bad
// name or password (the same answer for both) and TooMany when throttled.
func (s *Store) Login(ctx context.Context, username, password, addr string) (token string, p *Principal, err error) {
	if err := s.checkThrottle(ctx, username, addr); err != nil {
		return "", nil, err
	}
	var uid int64
	var hash string
	var disabled bool
	err = s.DB.R.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE username = $1`, username).
		Scan(&uid, &hash, &disabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", nil, errs.Wrap(err, "login")
	}
	if err != nil || disabled || !CheckPassword(hash, password) {
		if err == nil && disabled {
			CheckPassword(hash, password) // same time for a disabled account
		}
		s.recordFailure(ctx, username, addr)
		return "", nil, errs.New(errs.Unauthorized, "errs.bad_credentials")
	}
	token, th := newToken()
	now := time.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, remote_addr)
			VALUES ($1, $2, $3, $4, $3, $5)`, th, uid, now, now.Add(s.ttl()), addr); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE username = $1`, username); err != nil {
			return err
		}
		return s.Audit(WithPrincipal(ctx, &Principal{UserID: uid, Username: username}), tx, "login", "session", username, 0, nil, nil)
	})
	if err != nil {
		return "", nil, errs.Wrap(err, "login")
	}
	p, err = s.Principal(ctx, token)
	return token, p, err
}

func (s *Store) ttl() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return 12 * time.Hour
}

func (s *Store) checkThrottle(ctx context.Context, username, addr string) error {
	since := time.Now().UTC().Add(-throttleWindow)
	var byUser, byAddr int
	err := s.DB.R.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $3),
		(SELECT COUNT(*) FROM login_failures WHERE remote_addr = $2 AND at > $3)`, username, addr, since).Scan(&byUser, &byAddr)
	if err != nil {
		return errs.Wrap(err, "throttle")
	}
	if byUser >= maxUserFailures || byAddr >= maxAddrFailures {
		return errs.New(errs.TooMany, "errs.throttled")
	}
	return nil
}

func (s *Store) recordFailure(ctx context.Context, username, addr string) {
	s.DB.W.ExecContext(ctx, `INSERT INTO login_failures (username, remote_addr, at) VALUES ($1, $2, $3)`,
		username, addr, time.Now().UTC())
}

// principalQuery resolves a session and the user's grants in one round trip:
// it runs on every request, so it is prepared once and kept.
const principalQuery = `SELECT u.id, u.username, u.display_name, u.lang, u.must_change_password, s.last_seen_at,
	COALESCE(g.role, ''), COALESCE(g.scope_kind, ''), COALESCE(g.scope_id, 0), COALESCE(n.path, ''), COALESCE(n.name_zh, ''),
	COALESCE(n.name_en, '')
	FROM sessions s JOIN users u ON u.id = s.user_id
	LEFT JOIN grants g ON g.user_id = u.id
	LEFT JOIN org_nodes n ON g.scope_kind = 'node' AND n.id = g.scope_id
	WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled
	ORDER BY g.id`

func (s *Store) principalStmt(ctx context.Context) (*sql.Stmt, error) {
	s.prep.Do(func() { s.stmt, s.prepErr = s.DB.R.PrepareContext(ctx, principalQuery) })
	return s.stmt, s.prepErr
}

// Principal loads the user behind a session token, or Unauthorized. Sessions
// slide: last_seen and expiry move forward at most every few minutes, so an
// active user stays signed in without a write on every request.
func (s *Store) Principal(ctx context.Context, token string) (*Principal, error) {
	th := hashToken(token)
	now := time.Now().UTC()
	ttl := s.cacheTTL()
	if p, ok := s.sessions.get(th, now, ttl); ok {
		return p, nil
	}
	gen := s.sessions.generation()
	stmt, err := s.principalStmt(ctx)
	if err != nil {
		return nil, errs.Wrap(err, "session")
	}
	rows, err := stmt.QueryContext(ctx, th, now)
	if err != nil {
		return nil, errs.Wrap(err, "session")
	}
	defer rows.Close()
	var p *Principal
	var lastSeen time.Time
	for rows.Next() {
		var u Principal
		var lang, role, kind string
		var g Grant
		if err := rows.Scan(&u.UserID, &u.Username, &u.DisplayName, &lang, &u.MustChangePassword, &lastSeen,
			&role, &kind, &g.ScopeID, &g.NodePath, &g.ScopeName, &g.ScopeNameEN); err != nil {
			return nil, errs.Wrap(err, "session")
		}
		if p == nil {
			u.Lang = i18n.Parse(lang)
			p = &u
		}
		if role != "" {
			g.Role, g.ScopeKind = Role(role), ScopeKind(kind)
			p.Grants = append(p.Grants, g)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, errs.Wrap(err, "session")
	}
	if p == nil {
		return nil, errs.New(errs.Unauthorized, "errs.unauthorized")
	}
	if now.Sub(lastSeen) > 5*time.Minute {
		s.DB.W.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3`,
			now, now.Add(s.ttl()), th)
	}
	if ttl > 0 {
		s.sessions.put(th, p, now, gen)
	}
	return p, nil
}

// Logout ends the session of token.
func (s *Store) Logout(ctx context.Context, token string) error {
	defer s.sessions.clear()
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
	return err
}

// ChangeOwnPassword checks the old password, sets the new one and clears the
// first-login flag. The current session survives; others end.
func (s *Store) ChangeOwnPassword(ctx context.Context, p *Principal, token, oldPW, newPW string) error {
	var hash string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, p.UserID).Scan(&hash); err != nil {
		return errs.Wrap(err, "password")
	}
	if !CheckPassword(hash, oldPW) {
		return errs.Field("old_password", "auth.old_password_wrong")
	}
	if newPW == oldPW {
		return errs.Field("new_password", "auth.password_same")
	}
	if err := s.SetPassword(ctx, p.Username, newPW, false); err != nil {
		return err
	}
	// SetPassword ended every session; give this one back.
	now := time.Now().UTC()
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)`,
		hashToken(token), p.UserID, now, now.Add(s.ttl()))
	return err
}

// PurgeExpired removes expired sessions and old login failures.
func (s *Store) PurgeExpired(ctx context.Context) error {
	defer s.sessions.clear()
	now := time.Now().UTC()
	if _, err := s.DB.W.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, now); err != nil {
		return err
	}
	_, err := s.DB.W.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, now.Add(-throttleWindow))
	return err
}
