package liaison

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Upload is one file as received, cut at the photo limit plus one byte so an
// oversized file is recognised without being kept whole.
type Upload struct {
	Name string
	Data []byte
}

const visitCols = `v.id, v.leader_id, COALESCE(NULLIF(u.display_name, ''), u.username), v.division_id, n.name_zh, n.name_en,
	n.level, n.path, COALESCE(v.enterprise_id, 0), v.day, v.kind, v.notes, v.created_by, v.created_at`

const visitFrom = ` FROM liaison_visits v JOIN users u ON u.id = v.leader_id JOIN org_nodes n ON n.id = v.division_id`

func scanVisit(row interface{ Scan(...any) error }) (Visit, error) {
	var v Visit
	var kind string
	err := row.Scan(&v.ID, &v.LeaderID, &v.LeaderName, &v.DivisionID, &v.DivisionName, &v.DivisionNameEN, &v.DivisionLevel,
		&v.DivisionPath, &v.EnterpriseID, &v.Day, &kind, &v.Notes, &v.CreatedBy, &v.CreatedAt)
	v.Kind = VisitKind(kind)
	return v, err
}

// checkedPhoto is an upload that passed CheckPhoto.
type checkedPhoto struct {
	Upload
	ContentType string
}

// checkPhotos judges every upload (all bad ones are reported, each naming
// its file) and whether a visit that already has `have` photos may take them.
func (s *Store) checkPhotos(uploads []Upload, have int) ([]checkedPhoto, error) {
	var bad []errs.FieldError
	if have+len(uploads) > MaxPhotos {
		bad = append(bad, errs.Field("photo", "liaison.too_many_photos", MaxPhotos).Fields...)
	}
	var out []checkedPhoto
	for _, u := range uploads {
		ct, err := CheckPhoto("photo", u.Name, u.Data, s.photoLimit())
		if err != nil {
			bad = append(bad, errs.As(err).Fields...)
			continue
		}
		u.Data = StripMetadata(ct, u.Data)
		out = append(out, checkedPhoto{Upload: u, ContentType: ct})
	}
	return out, errs.Fields(bad)
}

// CreateVisit records a visit with its photos, all or nothing: one bad photo
// and nothing is stored, the form is shown again with that file named.
func (s *Store) CreateVisit(ctx context.Context, p *auth.Principal, in VisitInput, uploads []Upload) (Visit, error) {
	v, err := in.check(s.today())
	photos, perr := s.checkPhotos(uploads, 0)
	if err != nil || perr != nil {
		return v, joinFields(err, perr)
	}
	if err := s.resolveTarget(ctx, &v.Target); err != nil {
		return v, err
	}
	if err := checkWriteScope(p, v.Target); err != nil {
		return v, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		l, err := s.writer(ctx, tx, p, v.LeaderID)
		if err != nil {
			return err
		}
		v.LeaderID, v.LeaderName = l.ID, l.Name
		v.CreatedBy, v.CreatedAt = p.Username, s.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO liaison_visits (leader_id, division_id, enterprise_id, day, kind, notes,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			v.LeaderID, v.DivisionID, nullID(v.EnterpriseID), v.Day, string(v.Kind), v.Notes, v.CreatedBy, v.CreatedAt).Scan(&v.ID)
		if err != nil {
			return err
		}
		if err := writeAudit(ctx, tx, audit.ActionCreate, "liaison.visit", v.ID, v.DivisionID, nil, v); err != nil {
			return err
		}
		v.Photos, err = s.insertPhotos(ctx, tx, p, v, photos)
		return err
	})
	return v, err
}

// joinFields merges two Invalid errors into one listing every field.
func joinFields(errList ...error) error {
	var all []errs.FieldError
	for _, err := range errList {
		if err != nil {
			all = append(all, errs.As(err).Fields...)
		}
	}
	return errs.Fields(all)
}

func (s *Store) insertPhotos(ctx context.Context, tx *sql.Tx, p *auth.Principal, v Visit, photos []checkedPhoto) ([]Photo, error) {
	out := []Photo{}
	for _, c := range photos {
		sum := sha256.Sum256(c.Data)
		ph := Photo{VisitID: v.ID, Name: cleanName(c.Name), ContentType: c.ContentType, Size: int64(len(c.Data)),
			SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.now()}
		err := tx.QueryRowContext(ctx, `INSERT INTO liaison_photos (visit_id, name, content_type, size, sha256, data,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			ph.VisitID, ph.Name, ph.ContentType, ph.Size, ph.SHA256, c.Data, p.Username, ph.CreatedAt).Scan(&ph.ID)
		if err != nil {
			return nil, err
		}
		ph.URL = photoURL(ph.ID)
		if err := writeAudit(ctx, tx, audit.ActionCreate, "liaison.photo", ph.ID, v.DivisionID, nil, ph); err != nil {
			return nil, err
		}
		out = append(out, ph)
	}
	return out, nil
}

// cleanName keeps the last path element of a file name, bounded.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	r := []rune(strings.TrimSpace(name))
	if len(r) > 100 {
		r = r[len(r)-100:]
	}
	return string(r)
}

func photoURL(id int64) string { return "/liaison/photos/" + strconv.FormatInt(id, 10) }

// AddPhotos attaches photos to a visit (its leader, or the command).
func (s *Store) AddPhotos(ctx context.Context, p *auth.Principal, visitID int64, uploads []Upload) ([]Photo, error) {
	if len(uploads) == 0 {
		return nil, errs.Field("photo", "errs.required")
	}
	var out []Photo
	err := s.DB.InTx(ctx, func(tx *sql.Tx) error {
		v, err := s.visit(ctx, tx, p, visitID)
		if err != nil {
			return err
		}
		if err := s.mayWrite(ctx, tx, p, v.LeaderID, v.Target); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_photos WHERE visit_id = $1`, visitID).Scan(&have); err != nil {
			return err
		}
		photos, err := s.checkPhotos(uploads, have)
		if err != nil {
			return err
		}
		out, err = s.insertPhotos(ctx, tx, p, v, photos)
		return err
	})
	return out, err
}

// mayWrite says whether p may change a record of leader over target: it is
// theirs (or they are the command) and the target lies in their write scope.
func (s *Store) mayWrite(ctx context.Context, q storage.Querier, p *auth.Principal, leaderID int64, t Target) error {
	if _, err := s.writer(ctx, q, p, leaderID); err != nil || !p.Scope(PermWrite).Contains(t.DivisionPath) {
		return errs.Forbid()
	}
	return nil
}

// Visit returns one visit the reader may see, with its photos.
func (s *Store) Visit(ctx context.Context, p *auth.Principal, id int64) (Visit, error) {
	v, err := s.visit(ctx, s.DB.R, p, id)
	if err != nil {
		return v, err
	}
	list := []*Visit{&v}
	if err := s.fillVisits(ctx, list); err != nil {
		return v, err
	}
	return v, nil
}

func (s *Store) visit(ctx context.Context, q storage.Querier, p *auth.Principal, id int64) (Visit, error) {
	var args storage.Args
	v, err := scanVisit(q.QueryRowContext(ctx, `SELECT `+visitCols+visitFrom+` WHERE v.id = `+args.Add(id)+
		` AND `+readable(p, "v", &args), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return v, errs.NotFoundf()
	}
	return v, errs.Wrap(err, "visit")
}

// fillVisits adds photos (metadata only) and enterprise names.
func (s *Store) fillVisits(ctx context.Context, list []*Visit) error {
	if len(list) == 0 {
		return nil
	}
	var args storage.Args
	marks := make([]string, len(list))
	byID := map[int64]*Visit{}
	ts := make([]*Target, len(list))
	for i, v := range list {
		marks[i], byID[v.ID], ts[i] = args.Add(v.ID), v, &v.Target
		v.Photos = []Photo{}
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, visit_id, name, content_type, size, sha256, created_at
		FROM liaison_photos WHERE visit_id IN (`+strings.Join(marks, ", ")+`) ORDER BY id`, args...)
	if err != nil {
		return errs.Wrap(err, "visit photos")
	}
	defer rows.Close()
	for rows.Next() {
		var ph Photo
		if err := rows.Scan(&ph.ID, &ph.VisitID, &ph.Name, &ph.ContentType, &ph.Size, &ph.SHA256, &ph.CreatedAt); err != nil {
			return errs.Wrap(err, "visit photo scan")
		}
		ph.URL = photoURL(ph.ID)
		byID[ph.VisitID].Photos = append(byID[ph.VisitID].Photos, ph)
	}
	if err := rows.Err(); err != nil {
		return errs.Wrap(err, "visit photos")
	}
	return s.fillEnterprises(ctx, ts)
}

// VisitFilter narrows the visit list.
type VisitFilter struct {
	LeaderID int64
	Until    storage.Date // visits on or before this day; zero for all
	Cursor   string
	Limit    int
}

// VisitPage is one page of visits, latest first.
type VisitPage struct {
	Items []Visit `json:"items"`
	Next  string  `json:"next_cursor,omitempty"`
}

// Visits lists the visits the reader may see, latest day first.
func (s *Store) Visits(ctx context.Context, p *auth.Principal, f VisitFilter) (VisitPage, error) {
	var args storage.Args
	where := []string{readable(p, "v", &args)}
	if f.LeaderID != 0 {
		where = append(where, "v.leader_id = "+args.Add(f.LeaderID))
	}
	if !f.Until.IsZero() {
		where = append(where, "v.day <= "+args.Add(f.Until))
	}
	if f.Cursor != "" {
		day, id, ok := decodeVisitCursor(f.Cursor)
		if !ok {
			return VisitPage{}, errs.Field("cursor", "errs.bad_cursor")
		}
		d, i := args.Add(day), args.Add(id)
		where = append(where, "(v.day < "+d+" OR (v.day = "+d+" AND v.id < "+i+"))")
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+visitCols+visitFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY v.day DESC, v.id DESC LIMIT `+args.Add(limit+1), args...)
	if err != nil {
		return VisitPage{}, errs.Wrap(err, "visits")
	}
	defer rows.Close()
	pg := VisitPage{Items: []Visit{}}
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return pg, errs.Wrap(err, "visit scan")
		}
		pg.Items = append(pg.Items, v)
	}
	if err := rows.Err(); err != nil {
		return pg, errs.Wrap(err, "visits")
	}
	if len(pg.Items) > limit {
		pg.Items = pg.Items[:limit]
		last := pg.Items[limit-1]
		pg.Next = base64.RawURLEncoding.EncodeToString([]byte("v" + last.Day.String() + "." + itoa(last.ID)))
	}
	list := make([]*Visit, len(pg.Items))
	for i := range pg.Items {
		list[i] = &pg.Items[i]
	}
	return pg, s.fillVisits(ctx, list)
}

func decodeVisitCursor(s string) (storage.Date, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != 'v' {
		return storage.Date{}, 0, false
	}
	day, idText, ok := strings.Cut(string(b[1:]), ".")
	d, derr := storage.ParseDate(day)
	id, ierr := strconv.ParseInt(idText, 10, 64)
	return d, id, ok && derr == nil && ierr == nil && id > 0
}

// PhotoData returns a photo's bytes for a reader who may see its visit.
func (s *Store) PhotoData(ctx context.Context, p *auth.Principal, id int64) (Photo, []byte, error) {
	var ph Photo
	var data []byte
	var args storage.Args
	err := s.DB.R.QueryRowContext(ctx, `SELECT ph.id, ph.visit_id, ph.name, ph.content_type, ph.size, ph.sha256, ph.created_at, ph.data
		FROM liaison_photos ph JOIN liaison_visits v ON v.id = ph.visit_id
		WHERE ph.id = `+args.Add(id)+` AND `+readable(p, "v", &args), args...).
		Scan(&ph.ID, &ph.VisitID, &ph.Name, &ph.ContentType, &ph.Size, &ph.SHA256, &ph.CreatedAt, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return ph, nil, errs.NotFoundf()
	}
	ph.URL = photoURL(ph.ID)
	return ph, data, errs.Wrap(err, "photo")
}
