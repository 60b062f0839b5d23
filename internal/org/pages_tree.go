package org

import (
	"net/http"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// treePage is the data of GET /org.
type treePage struct {
	Rows    []row
	Q       string
	Top     bool  // only the reader's top two levels (?top=1), for a long tree
	Deep    bool  // the tree has rows below the top two levels
	Visible int   // nodes the reader can see, before the search
	AddTop  int64 // the county's id when the reader may add townships to it
	NewRoot bool  // the tree is empty and the reader may create the county
}

// tree shows every node the reader may see, as an indented table.
func (h *handlers) tree(w http.ResponseWriter, r *http.Request) error {
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	nodes, err := h.store.List(ctx, p)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := treePage{Q: strings.TrimSpace(q.Get("q")), Top: q.Get("top") == "1", Visible: len(nodes)}
	for _, rw := range treeRows(nodes, lang) {
		d.Deep = d.Deep || rw.Depth > 1
		if (d.Q == "" || matches(rw.Node, d.Q)) && (!d.Top || rw.Depth <= 1) {
			d.Rows = append(d.Rows, rw)
		}
	}
	if len(nodes) > 0 && nodes[0].Level == County && CanWrite(p, nodes[0]) {
		d.AddTop = nodes[0].ID
	}
	if len(nodes) == 0 && p.Can(auth.PermOrgWrite) {
		_, err := h.store.Root(ctx)
		d.NewRoot = errs.CodeOf(err) == errs.NotFound
	}
	return h.env.Render.Page(w, r, http.StatusOK, "org_tree", web.T(r, "nav.org"), d)
}
