package isolation

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// Store keeps sites, rooms and stays. Every read carries the caller's scope:
// a site is visible over a node grant covering its division, or a site grant
// naming it.
type Store struct {
	DB *storage.DB
	// Today is the county's current day; check-ins after it are refused.
	Today func() storage.Date
	// Now is the clock (the morning cutoff of follow-ups); nil means time.Now.
	Now  func() time.Time
	Zone *time.Location
	// Screening opens and moves observations when a stay begins.
	Screening *screening.Store
	// GrantsChanged is called after a commit that changed site staff's
	// grants (the sign-in cache forgets resolved sessions); nil for none.
	GrantsChanged func()
}

// grantsChanged tells the sign-in cache that grants changed.
func (s *Store) grantsChanged() {
	if s.GrantsChanged != nil {
		s.GrantsChanged()
	}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Store) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.FixedZone("CST", 8*3600)
}

func by(p *auth.Principal) string {
	if p == nil {
		return "system"
	}
	return p.Username
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// scopeSQL limits sites (alias t) to those where p may use perm.
func scopeSQL(p *auth.Principal, perm auth.Perm, args *storage.Args) string {
	var parts []string
	if sc := p.Scope(perm); !sc.Empty() {
		parts = append(parts, sc.SQL("t.division_id", args))
	}
	if p != nil {
		if ids := p.ScopeIDs(auth.ScopeSite, perm); len(ids) > 0 {
			ph := make([]string, len(ids))
			for i, id := range ids {
				ph[i] = args.Add(id)
			}
			parts = append(parts, "t.id IN ("+strings.Join(ph, ", ")+")")
		}
	}
	if len(parts) == 0 {
		return "1=0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// may reports whether p may use perm at site t.
func may(p *auth.Principal, perm auth.Perm, t Site) bool {
	return p.Scope(perm).Contains(t.path) || slices.Contains(p.ScopeIDs(auth.ScopeSite, perm), t.ID)
}

// siteCols computes a site's capacity: the beds of its rooms not closed.
const siteCols = `t.id, t.division_id, n.name_zh, n.name_en, n.path, t.name, t.address,
	(SELECT COALESCE(SUM(rc.beds), 0) FROM isolation_rooms rc WHERE rc.site_id = t.id AND rc.status <> 'closed'),
	t.hospital, t.phone, t.notes, t.version, t.updated_at`

const siteFrom = ` FROM isolation_sites t JOIN org_nodes n ON n.id = t.division_id`

func scanSite(row interface{ Scan(...any) error }) (Site, error) {
	var t Site
	err := row.Scan(&t.ID, &t.DivisionID, &t.DivisionName, &t.DivisionNameEN, &t.path, &t.Name, &t.Address, &t.Capacity, &t.Hospital,
		&t.Phone, &t.Notes, &t.Version, &t.UpdatedAt)
	return t, err
}

// site loads a site in the caller's read scope; NotFound otherwise.
func (s *Store) site(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Site, error) {
	var args storage.Args
	t, err := scanSite(q.QueryRowContext(ctx, `SELECT `+siteCols+siteFrom+` WHERE t.id = `+args.Add(id)+` AND `+
		scopeSQL(p, PermRead, &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return t, errs.NotFoundf()
	}
	return t, errs.Wrap(err, "site get")
}

// writableSite loads a site for a write: NotFound outside read scope,
// Forbidden inside it without the write permission there.
func (s *Store) writableSite(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Site, error) {
	t, err := s.site(ctx, q, p, id)
	if err == nil && !may(p, PermWrite, t) {
		return t, errs.Forbid()
	}
	return t, err
}

// Site returns a site with its rooms (occupied on day d) and staff.
func (s *Store) Site(ctx context.Context, p *auth.Principal, id int64, d storage.Date) (Site, error) {
	t, err := s.site(ctx, s.DB.R, p, id)
	if err != nil {
		return t, err
	}
	if t.Rooms, err = s.rooms(ctx, id, d); err != nil {
		return t, err
	}
	t.Staff, err = s.staff(ctx, s.DB.R, id)
	return t, err
}

// Sites lists the sites in the caller's scope, by division and name.
func (s *Store) Sites(ctx context.Context, p *auth.Principal) ([]Site, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+siteCols+siteFrom+` WHERE `+scopeSQL(p, PermRead, &args)+
		` ORDER BY n.code, t.name, t.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "sites")
	}
	defer rows.Close()
	out := []Site{}
	for rows.Next() {
		t, err := scanSite(rows)
		if err != nil {
			return nil, errs.Wrap(err, "site scan")
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// roomCols are read with FROM isolation_rooms r; the last counts the stays
// occupying the room on the day bound as $2.
const roomCols = `r.id, r.site_id, r.number, r.beds, r.status, r.closed_on, r.notes,
	(SELECT COUNT(*) FROM isolation_stays y WHERE y.room_id = r.id AND y.check_in <= $2
		AND (y.check_out IS NULL OR y.check_out > $2))`

func scanRoom(row interface{ Scan(...any) error }) (Room, error) {
	var r Room
	var st string
	err := row.Scan(&r.ID, &r.SiteID, &r.Number, &r.Beds, &st, &r.ClosedOn, &r.Notes, &r.Occupied)
	r.Status = RoomStatus(st)
	return r, err
}

// rooms lists a site's rooms, closed ones too, with the stays occupying
// each on day d.
func (s *Store) rooms(ctx context.Context, siteID int64, d storage.Date) ([]Room, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+roomCols+` FROM isolation_rooms r WHERE r.site_id = $1
		ORDER BY r.number, r.id`, siteID, d)
	if err != nil {
		return nil, errs.Wrap(err, "rooms")
	}
	defer rows.Close()
	out := []Room{}
	for rows.Next() {
		r, err := scanRoom(rows)
		if err != nil {
			return nil, errs.Wrap(err, "room scan")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// staff lists the accounts holding a site_staff grant on the site (q: the
// reader pool, or the transaction changing them).
func (s *Store) staff(ctx context.Context, q storage.Querier, siteID int64) ([]Staff, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.username, u.display_name FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.scope_kind = 'site' AND g.scope_id = $1 AND g.role = $2 ORDER BY u.username`, siteID, string(auth.SiteStaff))
	if err != nil {
		return nil, errs.Wrap(err, "site staff")
	}
	defer rows.Close()
	out := []Staff{}
	for rows.Next() {
		var st Staff
		if err := rows.Scan(&st.Username, &st.DisplayName); err != nil {
			return nil, errs.Wrap(err, "staff scan")
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// manageable loads a site for keeping it (details, rooms, staff): NotFound
// outside read scope, Forbidden inside it without PermManage over the
// site's division (site staff read their site, they do not keep it).
func (s *Store) manageable(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Site, error) {
	t, err := s.site(ctx, q, p, id)
	if err == nil && !p.Scope(PermManage).Contains(t.path) {
		return t, errs.Forbid()
	}
	return t, err
}

// CanManage reports whether p keeps site t (details, rooms, staff).
func CanManage(p *auth.Principal, t Site) bool { return p.Scope(PermManage).Contains(t.path) }

// Township is a township a site can belong to.
type Township struct {
	ID     int64  `json:"id"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

// Townships lists the townships where p may keep sites, by code.
func (s *Store) Townships(ctx context.Context, p *auth.Principal) ([]Township, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name_zh, name_en FROM org_nodes WHERE level = 'township' AND `+
		p.Scope(PermManage).SQL("id", &args)+` ORDER BY code`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "townships")
	}
	defer rows.Close()
	var out []Township
	for rows.Next() {
		var t Township
		if err := rows.Scan(&t.ID, &t.NameZH, &t.NameEN); err != nil {
			return nil, errs.Wrap(err, "township scan")
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// township checks that id is a township where p may keep sites.
func township(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) error {
	var path, level string
	err := q.QueryRowContext(ctx, `SELECT path, level FROM org_nodes WHERE id = $1`, id).Scan(&path, &level)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !p.Scope(PermManage).Contains(path)) {
		return errs.Field("division_id", "isolation.err.division_out_of_scope")
	}
	if err != nil {
		return errs.Wrap(err, "site division")
	}
	if org.Level(level) != org.Township {
		return errs.Field("division_id", "isolation.err.not_township")
	}
	return nil
}
