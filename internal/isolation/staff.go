package isolation

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// A site's staff are the accounts holding a site_staff grant on it
// (grants.scope_kind = 'site'). Assigning staff adds and removes those grants
// and nothing else: an account that holds any other role is no site-staff
// account and cannot be assigned here (that is the user administrator's
// business), so keeping a site never widens what another kind of account
// may do.

// staffAccounts checks the accounts to make a site's staff, adding a
// "staff" field error to fc for each that cannot be, and returns their ids
// by name. The site's current staff (siteID, 0 for a new site) stay
// acceptable whatever else they hold by now.
func staffAccounts(ctx context.Context, tx *sql.Tx, fc *errs.FieldCollector, siteID int64, usernames []string) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, u := range cleanNames(usernames) {
		id, err := staffAccount(ctx, tx, siteID, u)
		if err := collect(fc, err); err != nil {
			return nil, err
		}
		if id != 0 {
			ids[u] = id
		}
	}
	return ids, nil
}

// setStaff makes the checked accounts the site's staff, returning them.
func (s *Store) setStaff(ctx context.Context, tx *sql.Tx, t Site, ids map[string]int64) ([]Staff, error) {
	before, err := s.staff(ctx, tx, t.ID)
	if err != nil {
		return nil, err
	}
	var had []string
	for _, st := range before {
		had = append(had, st.Username)
		if _, keep := ids[st.Username]; !keep {
			if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE role = $1 AND scope_kind = 'site' AND scope_id = $2
				AND user_id = (SELECT id FROM users WHERE username = $3)`, string(auth.SiteStaff), t.ID, st.Username); err != nil {
				return nil, errs.Wrap(err, "staff remove")
			}
		}
	}
	for u, id := range ids {
		if slices.Contains(had, u) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO grants (user_id, role, scope_kind, scope_id, created_at)
			VALUES ($1, $2, 'site', $3, $4) ON CONFLICT DO NOTHING`, id, string(auth.SiteStaff), t.ID, time.Now().UTC()); err != nil {
			return nil, errs.Wrap(err, "staff add")
		}
	}
	after, err := s.staff(ctx, tx, t.ID)
	if err != nil {
		return nil, err
	}
	if slices.Equal(had, names(after)) {
		return after, nil
	}
	return after, audit.Write(ctx, tx, audit.ActionUpdate, "isolation_site.staff", itoa(t.ID), t.DivisionID,
		map[string]any{"staff": had}, map[string]any{"staff": names(after)})
}

// staffAccount finds an account that may be assigned to site siteID: it
// exists, is not disabled, and holds no role but site staff (or works there
// already).
func staffAccount(ctx context.Context, q *sql.Tx, siteID int64, username string) (int64, error) {
	var id int64
	var disabled bool
	var others, here int
	err := q.QueryRowContext(ctx, `SELECT u.id, u.disabled, (SELECT COUNT(*) FROM grants g WHERE g.user_id = u.id AND g.role <> $2),
		(SELECT COUNT(*) FROM grants g WHERE g.user_id = u.id AND g.role = $2 AND g.scope_kind = 'site' AND g.scope_id = $3)
		FROM users u WHERE u.username = $1`, username, string(auth.SiteStaff), siteID).Scan(&id, &disabled, &others, &here)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && disabled):
		return 0, errs.Field("staff", "isolation.err.no_account", username)
	case err != nil:
		return 0, errs.Wrap(err, "staff account")
	case others > 0 && here == 0:
		return 0, errs.Field("staff", "isolation.err.not_site_staff", username)
	}
	return id, nil
}

// StaffCandidates lists the accounts that can be assigned to sites: not
// disabled, holding no role but site staff (at most 500, by username).
func (s *Store) StaffCandidates(ctx context.Context) ([]Staff, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT u.username, u.display_name FROM users u WHERE NOT u.disabled
		AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role <> $1) ORDER BY u.username LIMIT 500`,
		string(auth.SiteStaff))
	if err != nil {
		return nil, errs.Wrap(err, "staff candidates")
	}
	defer rows.Close()
	out := []Staff{}
	for rows.Next() {
		var st Staff
		if err := rows.Scan(&st.Username, &st.DisplayName); err != nil {
			return nil, errs.Wrap(err, "candidate scan")
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// cleanNames trims usernames, dropping blanks and repeats, sorted.
func cleanNames(in []string) []string {
	out := []string{}
	for _, u := range in {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

func names(st []Staff) []string {
	out := make([]string, len(st))
	for i, x := range st {
		out[i] = x.Username
	}
	return out
}
