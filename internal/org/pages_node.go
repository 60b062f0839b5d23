package org

import (
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// nodePage is the data of GET /org/{id}.
type nodePage struct {
	Node       row
	Crumbs     []row
	Children   []row
	ChildPop   string // population of the children together
	ChildHH    string
	CanWrite   bool
	ChildLevel Level // "" for a village
	Kinds      []option
	Open       bool // the edit form is shown unfolded (it holds errors)
}

// node shows a node, its children and, to those who may change it, its form.
func (h *handlers) node(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	n, err := h.store.Get(r.Context(), auth.From(r.Context()), id)
	if err != nil {
		return err
	}
	f := web.NewForm(nodeValues(n))
	return h.renderNode(w, r, http.StatusOK, n, f)
}

func (h *handlers) renderNode(w http.ResponseWriter, r *http.Request, status int, n Node, f *web.Form) error {
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	d := nodePage{Node: toRow(n, lang), CanWrite: CanWrite(p, n), ChildLevel: childLevel[n.Level],
		Kinds: kindOptions(n.Level), Open: f.Error != nil}
	up, err := h.store.Ancestors(ctx, p, n)
	if err != nil {
		return err
	}
	for _, a := range up {
		d.Crumbs = append(d.Crumbs, toRow(a, lang))
	}
	kids, err := h.store.Children(ctx, p, n.ID)
	if err != nil {
		return err
	}
	counts, err := h.store.ChildCounts(ctx, p, ids(kids))
	if err != nil {
		return err
	}
	var pop, hh int64
	for _, k := range kids {
		rw := toRow(k, lang)
		rw.Children = counts[k.ID]
		d.Children = append(d.Children, rw)
		pop, hh = pop+k.Population, hh+k.Households
	}
	d.ChildPop, d.ChildHH = group(pop), group(hh)
	d.Node.Children = len(kids)
	d.Kinds = withCurrent(d.Kinds, f.Get("kind"))
	return h.env.Render.PageForm(w, r, status, "org_node", d.Node.Name, d, f)
}

// withCurrent keeps a stored kind that is not among the offered ones, so
// saving an old record does not silently change it.
func withCurrent(opts []option, cur string) []option {
	for _, o := range opts {
		if o.Value == cur {
			return opts
		}
	}
	return append(opts, option{Value: cur, Raw: cur})
}

func ids(nodes []Node) []int64 {
	out := make([]int64, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
}

// nodeSubmit saves the edit form; a rejected form comes back as typed.
func (h *handlers) nodeSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ctx, p := r.Context(), auth.From(r.Context())
	var fc errs.FieldCollector
	n := nodeForm(&fc, f)
	n.ID = id
	if err = fc.Err(); err != nil {
		h.store.Check(ctx, p, n, &fc)
		err = fc.Err()
	} else {
		_, err = h.store.Save(ctx, p, n)
	}
	if err == nil {
		web.Redirect(w, r, "/org/"+strconv.FormatInt(id, 10), "org.saved")
		return nil
	}
	if !f.Refused(err) {
		return err
	}
	cur, gerr := h.store.Get(ctx, p, id)
	if gerr != nil {
		return gerr
	}
	if errs.CodeOf(err) == errs.Conflict {
		// Show what is stored now; saving again overwrites it knowingly.
		f.Values.Set("version", nodeValues(cur).Get("version"))
	}
	return h.renderNode(w, r, web.Status(errs.CodeOf(err)), cur, f)
}
