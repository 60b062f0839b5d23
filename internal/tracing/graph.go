package tracing

import (
	"context"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// GraphFilter is what the chain view shows: exposures between From and To,
// chains whose root lives in Township, down to Depth generations (deeper ones
// collapsed into counts), a page of roots, or one person's subtree (Root).
// Lang is the language the SVG names places in.
type GraphFilter struct {
	From, To storage.Date
	Township int64
	Depth    int
	Page     int
	Root     int64
	Lang     i18n.Lang
}

// The chain view's bounds: roots per page, rows per page, and the size up to
// which a subtree is also drawn as an SVG.
const (
	RootsPerPage = 20
	MaxRows      = 1500
	MaxSVGRows   = 150
	DefaultDepth = 2
)

// Node is a person of the chain as the view shows them.
type Node struct {
	Name     string `json:"name"` // masked
	Place    string `json:"place"`
	PlaceEN  string `json:"place_en"`
	Township int64  `json:"township_id"`
	CaseID   int64  `json:"case_id,omitempty"`
	Status   string `json:"case_status,omitempty"`
}

// Division is the person's division (Place) in lang.
func (n Node) Division(lang i18n.Lang) string { return i18n.Pick(lang, n.Place, n.PlaceEN) }

// ViewRow is one line of the chain view.
type ViewRow struct {
	Row
	Node
	Kind  Kind         `json:"kind,omitempty"`
	Day   storage.Date `json:"day"`
	Close bool         `json:"close_contact"`
}

// GraphView is one page of the chain.
type GraphView struct {
	Filter    GraphFilter `json:"-"`
	Cases     int         `json:"cases"` // roots that are cases, under the filter
	Roots     int         `json:"roots"` // chains under the filter
	PerGen    []int       `json:"per_generation"`
	Persons   int         `json:"persons"` // persons in the chains under the filter
	Extra     int         `json:"extra_exposures"`
	Rows      []ViewRow   `json:"rows"`
	Truncated bool        `json:"truncated"`
	Page      int         `json:"page"`
	Pages     int         `json:"pages"`
	SVG       string      `json:"-"`
}

// graphData is what the chain is computed from.
type graphData struct {
	edges  []Edge
	cases  []int64
	caseOf map[int64]Node // case persons: case id and status
	town   map[int64]int64
}

// load reads the exposures in the caller's scope and the dates of the
// filter, the persons' townships and the case persons.
func (s *Store) load(ctx context.Context, p *auth.Principal, f GraphFilter) (graphData, error) {
	g := graphData{caseOf: map[int64]Node{}, town: map[int64]int64{}}
	var args storage.Args
	where := p.Scope(PermRead).SQL("e.division_id", &args)
	if !f.From.IsZero() {
		where += ` AND e.day >= ` + args.Add(f.From)
	}
	if !f.To.IsZero() {
		where += ` AND e.day <= ` + args.Add(f.To)
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.id, e.source_id, e.contact_id, e.kind, e.day, e.is_close, e.setting,
		nc.path, ns.path FROM tracing_exposures e JOIN org_nodes nc ON nc.id = e.division_id
		JOIN persons ps ON ps.id = e.source_id JOIN org_nodes ns ON ns.id = ps.division_id WHERE `+where, args...)
	if err != nil {
		return g, errs.Wrap(err, "chain exposures")
	}
	for rows.Next() {
		var e Edge
		var kind, cpath, spath string
		if err := rows.Scan(&e.ID, &e.From, &e.To, &kind, &e.Day, &e.Close, &e.Setting, &cpath, &spath); err != nil {
			rows.Close()
			return g, errs.Wrap(err, "chain exposure scan")
		}
		e.Kind = Kind(kind)
		g.town[e.To], g.town[e.From] = townshipOf(cpath), townshipOf(spath)
		g.edges = append(g.edges, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return g, errs.Wrap(err, "chain exposures")
	}
	return g, s.loadCases(ctx, p, &g)
}

// loadCases reads the persons who are cases (by ID number), in case scope.
func (s *Store) loadCases(ctx context.Context, p *auth.Principal, g *graphData) error {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, c.id, c.status, n.path FROM cases c
		JOIN persons p ON p.id_number = c.id_number JOIN org_nodes n ON n.id = p.division_id
		WHERE c.id_number <> '' AND p.merged_into IS NULL AND c.status NOT IN ('suspected', 'excluded', 'struck')
		AND `+p.Scope(auth.PermCaseRead).SQL("c.division_id", &args)+` ORDER BY c.id`, args...)
	if err != nil {
		return errs.Wrap(err, "chain cases")
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var n Node
		var path string
		if err := rows.Scan(&pid, &n.CaseID, &n.Status, &path); err != nil {
			return errs.Wrap(err, "chain case scan")
		}
		if _, dup := g.caseOf[pid]; dup {
			continue
		}
		g.caseOf[pid] = n
		g.town[pid] = townshipOf(path)
		g.cases = append(g.cases, pid)
	}
	return rows.Err()
}

// townshipOf reads the township id from an org path '/county/township/…/'.
func townshipOf(path string) int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 {
		return 0
	}
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	return id
}

// Graph computes the chain and renders one page of it.
func (s *Store) Graph(ctx context.Context, p *auth.Principal, f GraphFilter) (GraphView, error) {
	if f.Depth <= 0 {
		f.Depth = DefaultDepth
	}
	v := GraphView{Filter: f}
	g, err := s.load(ctx, p, f)
	if err != nil {
		return v, err
	}
	ch := BuildChain(g.edges, g.cases)
	var roots []int64
	keep := map[int64]bool{}
	for _, r := range ch.Roots {
		if f.Township != 0 && g.town[r] != f.Township {
			continue
		}
		roots = append(roots, r)
		keep[r] = true
		if _, ok := g.caseOf[r]; ok {
			v.Cases++
		}
	}
	v.Roots, v.PerGen, v.Extra = len(roots), ch.PerGeneration(keep), ch.Extra
	for _, n := range v.PerGen {
		v.Persons += n
	}
	v.Pages = max(1, (len(roots)+RootsPerPage-1)/RootsPerPage)
	v.Page = min(max(1, f.Page), v.Pages)
	show := roots[min(len(roots), (v.Page-1)*RootsPerPage):min(len(roots), v.Page*RootsPerPage)]
	if f.Root != 0 {
		if _, ok := ch.Gen[f.Root]; !ok {
			return v, errs.NotFoundf()
		}
		show = []int64{f.Root}
	}
	var rows []Row
	for _, r := range show {
		rows = append(rows, ch.Rows(r, f.Depth, MaxRows-len(rows))...)
		if len(rows) >= MaxRows {
			v.Truncated = true
			break
		}
	}
	if v.Rows, err = s.describe(ctx, rows, g); err != nil {
		return v, err
	}
	if f.Root != 0 && len(v.Rows) <= MaxSVGRows {
		v.SVG = svgTree(v.Rows, f.Lang)
	}
	return v, nil
}

// describe fills the rows' names and places in one query per 500 persons.
func (s *Store) describe(ctx context.Context, rows []Row, g graphData) ([]ViewRow, error) {
	names := map[int64][3]string{} // masked name, place in Chinese, in English
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.Person)
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var args storage.Args
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			ph[i] = args.Add(id)
		}
		res, err := s.DB.R.QueryContext(ctx, `SELECT p.id, p.name, n.name_zh, n.name_en FROM persons p JOIN org_nodes n ON n.id = p.division_id
			WHERE p.id IN (`+strings.Join(ph, ", ")+`)`, args...)
		if err != nil {
			return nil, errs.Wrap(err, "chain names")
		}
		for res.Next() {
			var id int64
			var name, place, placeEN string
			if err := res.Scan(&id, &name, &place, &placeEN); err != nil {
				res.Close()
				return nil, errs.Wrap(err, "chain name scan")
			}
			names[id] = [3]string{privacy.MaskName(name), place, placeEN}
		}
		res.Close()
		if err := res.Err(); err != nil {
			return nil, errs.Wrap(err, "chain names")
		}
	}
	out := make([]ViewRow, len(rows))
	for i, r := range rows {
		n := g.caseOf[r.Person]
		nm := names[r.Person]
		n.Name, n.Place, n.PlaceEN, n.Township = nm[0], nm[1], nm[2], g.town[r.Person]
		out[i] = ViewRow{Row: r, Node: n}
		if r.Via != nil {
			out[i].Kind, out[i].Day, out[i].Close = r.Via.Kind, r.Via.Day, r.Via.Close
		}
	}
	return out, nil
}
