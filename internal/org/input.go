package org

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// CreateInput is the body of POST /api/v1/org/nodes.
type CreateInput struct {
	ParentID   int64  `json:"parent_id"`
	Code       string `json:"code"`
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	Kind       string `json:"kind"`
	Population int64  `json:"population"`
	Households int64  `json:"households"`
}

// UpdateInput is the body of PUT /api/v1/org/nodes/{id}: the editable fields,
// all of them (a missing figure is zero), and optionally the updated_at the
// client last read, to refuse a write over someone else's change.
type UpdateInput struct {
	Code       string     `json:"code"`
	NameZH     string     `json:"name_zh"`
	NameEN     string     `json:"name_en"`
	Kind       string     `json:"kind"`
	Population int64      `json:"population"`
	Households int64      `json:"households"`
	UpdatedAt  *time.Time `json:"updated_at"`
}

// DepartmentInput is the body of the department API.
type DepartmentInput struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
}

func (in CreateInput) node() Node {
	return Node{ParentID: in.ParentID, Code: in.Code, NameZH: in.NameZH, NameEN: in.NameEN, Kind: in.Kind,
		Population: in.Population, Households: in.Households}
}

func (in UpdateInput) node(id int64) Node {
	n := Node{ID: id, Code: in.Code, NameZH: in.NameZH, NameEN: in.NameEN, Kind: in.Kind,
		Population: in.Population, Households: in.Households}
	if in.UpdatedAt != nil {
		n.UpdatedAt = *in.UpdatedAt
	}
	return n
}

// nodeForm reads a node form. Figures that are not whole numbers are field
// errors on fc; they read as zero so the rest can still be checked.
func nodeForm(fc *errs.FieldCollector, f *web.Form) Node {
	n := Node{Code: f.Get("code"), NameZH: f.Get("name_zh"), NameEN: f.Get("name_en"), Kind: f.Get("kind")}
	n.Population = formCount(fc, "population", f.Get("population"))
	n.Households = formCount(fc, "households", f.Get("households"))
	if v := f.Get("version"); v != "" {
		n.UpdatedAt, _ = time.Parse(time.RFC3339Nano, v)
	}
	return n
}

func formCount(fc *errs.FieldCollector, field, s string) int64 {
	n, ok := parseCount(s)
	if !ok {
		fc.Add(field, "org.bad_int")
	}
	return n
}

// parseCount reads a whole number as people type it or Excel shows it:
// full-width digits, thousands separators, a trailing ".0". Blank is zero.
func parseCount(s string) (int64, bool) {
	s = strings.NewReplacer(",", "", " ", "").Replace(width.Fold.String(strings.TrimSpace(s)))
	s = strings.TrimSuffix(s, ".0")
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// nodeValues fills a form with a stored node, for the first display of an
// edit form.
func nodeValues(n Node) url.Values {
	return url.Values{"code": {n.Code}, "name_zh": {n.NameZH}, "name_en": {n.NameEN}, "kind": {n.Kind},
		"population": {itoa(n.Population)}, "households": {itoa(n.Households)},
		"version": {n.UpdatedAt.Format(time.RFC3339Nano)}}
}

// Check adds to fc the problems of n that fc does not already name, without
// saving: a form whose figures did not parse still gets every other field
// marked. It checks nothing for a node or parent outside p's read scope (Save
// answers those with 404, and a code rule would reveal the parent's code).
func (s *Store) Check(ctx context.Context, p *auth.Principal, n Node, fc *errs.FieldCollector) {
	var parent *Node
	n.Level = County
	parentID := n.ParentID
	if n.ID != 0 {
		old, err := s.Get(ctx, p, n.ID)
		if err != nil {
			return
		}
		parentID, n.Level = old.ParentID, old.Level
	}
	if parentID != 0 {
		par, err := s.ByID(ctx, parentID)
		if err != nil || (n.ID == 0 && !readable(p, par.Path)) {
			return
		}
		parent = &par
		if n.ID == 0 {
			n.Level = childLevel[par.Level]
		}
	}
	var own errs.FieldCollector
	checkNode(&own, &n, parent)
	err := own.Err()
	if err == nil {
		return
	}
	for _, fe := range errs.As(err).Fields {
		if !fc.Has(fe.Field) {
			fc.Add(fe.Field, fe.Msg.Key, fe.Msg.Args...)
		}
	}
}
