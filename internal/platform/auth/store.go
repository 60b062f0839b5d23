package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Store keeps accounts, grants and sessions. Every method that changes an
// account writes its audit entry through the Audit hook in the same transaction.
type Store struct {
	DB *storage.DB
	// Audit records a write; set by the app to audit.Write (auth cannot import
	// audit, which depends on it).
	Audit func(ctx context.Context, q storage.Querier, action, entity, id string, div int64, before, after any) error
	// SessionTTL is how long an idle session lasts.
	SessionTTL time.Duration
	// PrincipalCacheTTL is how long a resolved session is reused
	// (0: DefaultPrincipalCacheTTL; negative: never).
	PrincipalCacheTTL time.Duration

	sessions principalCache

	prep    sync.Once // prepares stmt, the per-request session query
	stmt    *sql.Stmt
	prepErr error
}

// User is an account as listed to administrators.
type User struct {
	ID                 int64     `json:"id"`
	Username           string    `json:"username"`
	DisplayName        string    `json:"display_name"`
	Lang               i18n.Lang `json:"lang"`
	MustChangePassword bool      `json:"must_change_password"`
	Disabled           bool      `json:"disabled"`
	Grants             []Grant   `json:"grants"`
}

// NewUser is what creating an account takes.
type NewUser struct {
	Username, DisplayName, Password string
	Lang                            i18n.Lang
	MustChangePassword              bool
}

// CreateUser adds an account and returns its id.
func (s *Store) CreateUser(ctx context.Context, u NewUser) (int64, error) {
	u.Username = strings.TrimSpace(u.Username)
	if u.Username == "" {
		return 0, errs.Field("username", "errs.required")
	}
	if err := CheckStrength(u.Password); err != nil {
		return 0, errs.Field("password", "auth.password_short", MinPasswordLen)
	}
	hash, err := HashPassword(u.Password)
	if err != nil {
		return 0, err
	}
	if u.Lang == "" {
		u.Lang = i18n.ZH
	}
	var id int64
	now := time.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, must_change_password, lang, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			u.Username, u.DisplayName, hash, u.MustChangePassword, string(u.Lang), now).Scan(&id)
		if storage.IsUniqueViolation(err) {
			return errs.Field("username", "auth.username_taken")
		}
		if err != nil {
			return err
		}
		return s.Audit(ctx, tx, "create", "user", u.Username, 0, nil,
			map[string]any{"username": u.Username, "display_name": u.DisplayName})
	})
	return id, err
}

// SetPassword replaces a password; mustChange forces a change at next login.
func (s *Store) SetPassword(ctx context.Context, username, pw string, mustChange bool) error {
	if err := CheckStrength(pw); err != nil {
		return errs.Field("password", "auth.password_short", MinPasswordLen)
	}
	hash, err := HashPassword(pw)
	if err != nil {
		return err
	}
	defer s.sessions.clear()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE username = $4`,
			hash, mustChange, time.Now().UTC(), username)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFoundf()
		}
		// A new password ends every other session of the account.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)`, username); err != nil {
			return err
		}
		return s.Audit(ctx, tx, "update", "user.password", username, 0, nil, map[string]any{"must_change": mustChange})
	})
}

// SetLang stores the user's language.
func (s *Store) SetLang(ctx context.Context, userID int64, lang i18n.Lang) error {
	defer s.sessions.clear()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET lang = $1, updated_at = $2 WHERE id = $3`,
			string(lang), time.Now().UTC(), userID); err != nil {
			return err
		}
		return s.Audit(ctx, tx, "update", "user.lang", strconv.FormatInt(userID, 10), 0, nil, map[string]string{"lang": string(lang)})
	})
}

// AddGrant gives username a role over a scope (g.ScopeKind + g.ScopeID).
// Node scopes must name an existing org node.
func (s *Store) AddGrant(ctx context.Context, username string, g Grant) error {
	if !g.Role.Valid() {
		return errs.Field("role", "errs.bad_choice")
	}
	switch g.ScopeKind {
	case ScopeNode, ScopeDepartment, ScopeEnterprise, ScopeCheckpoint, ScopeSite:
	default:
		return errs.Field("scope_kind", "errs.bad_choice")
	}
	defer s.sessions.clear()
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var uid int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, username).Scan(&uid); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.NotFoundf()
			}
			return err
		}
		if g.ScopeKind == ScopeNode {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM org_nodes WHERE id = $1`, g.ScopeID).Scan(&n); err != nil || n == 0 {
				return errs.Field("scope_id", "errs.not_found")
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, role, scope_kind, scope_id, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, uid, string(g.Role), string(g.ScopeKind), g.ScopeID, time.Now().UTC())
		if err != nil {
			return err
		}
		return s.Audit(ctx, tx, "create", "grant", username, 0, nil, g)
	})
}

// Users lists every account with its grants.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, username, display_name, lang, must_change_password, disabled FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var lang string
		if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &lang, &u.MustChangePassword, &u.Disabled); err != nil {
			return nil, err
		}
		u.Lang = i18n.Parse(lang)
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Grants, err = s.grants(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// grants loads a user's grants with the org path and name of node scopes.
func (s *Store) grants(ctx context.Context, userID int64) ([]Grant, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT g.role, g.scope_kind, g.scope_id, COALESCE(n.path, ''), COALESCE(n.name_zh, ''),
		COALESCE(n.name_en, '') FROM grants g LEFT JOIN org_nodes n ON g.scope_kind = 'node' AND n.id = g.scope_id
		WHERE g.user_id = $1 ORDER BY g.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Grant
	for rows.Next() {
		var g Grant
		var role, kind string
		if err := rows.Scan(&role, &kind, &g.ScopeID, &g.NodePath, &g.ScopeName, &g.ScopeNameEN); err != nil {
			return nil, err
		}
		g.Role, g.ScopeKind = Role(role), ScopeKind(kind)
		out = append(out, g)
	}
	return out, rows.Err()
}

// newToken returns a random session token and the hash stored for it.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
