package org

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// Item is a node as the API returns it.
type Item struct {
	Node
	ChildrenCount int `json:"children_count"`
}

// apiList answers GET /api/v1/org/nodes[?parent=ID&level=L&cursor=C&limit=N].
func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), auth.From(r.Context())
	f, err := listFilter(r)
	if err != nil {
		return err
	}
	nodes, more, err := h.store.Page(ctx, p, f)
	if err != nil {
		return err
	}
	counts, err := h.store.ChildCounts(ctx, p, ids(nodes))
	if err != nil {
		return err
	}
	items := make([]Item, len(nodes))
	for i, n := range nodes {
		items[i] = Item{Node: n, ChildrenCount: counts[n.ID]}
	}
	next := ""
	if more {
		next = base64.RawURLEncoding.EncodeToString([]byte(nodes[len(nodes)-1].Code))
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": items, "next_cursor": next})
}

// listFilter reads the list's query, every bad parameter a field error.
func listFilter(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	var f Filter
	var fc errs.FieldCollector
	if s := q.Get("parent"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			fc.Add("parent", "errs.bad_type")
		}
		f.ParentID = id
	}
	if s := q.Get("level"); s != "" {
		lvl, ok := ParseLevel(s)
		if !ok {
			fc.Add("level", "errs.bad_choice")
		}
		f.Level = lvl
	}
	if s := q.Get("cursor"); s != "" {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || !isDigits(string(b)) {
			fc.Add("cursor", "errs.bad_cursor")
		}
		f.After = string(b)
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxPage {
			fc.Add("limit", "org.bad_limit", MaxPage)
		}
		f.Limit = n
	}
	return f, fc.Err()
}

// apiGet answers GET /api/v1/org/nodes/{id}; 404 outside the caller's scope.
func (h *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.writeItem(w, r, http.StatusOK, id)
}

func (h *handlers) writeItem(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	ctx, p := r.Context(), auth.From(r.Context())
	n, err := h.store.Get(ctx, p, id)
	if err != nil {
		return err
	}
	counts, err := h.store.ChildCounts(ctx, p, []int64{id})
	if err != nil {
		return err
	}
	return web.JSON(w, status, Item{Node: n, ChildrenCount: counts[id]})
}

// apiCreate answers POST /api/v1/org/nodes with 201 and the new node.
func (h *handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in CreateInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	n, err := h.store.Save(r.Context(), auth.From(r.Context()), in.node())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/org/nodes/"+strconv.FormatInt(n.ID, 10))
	return web.JSON(w, http.StatusCreated, Item{Node: n})
}

// apiUpdate answers PUT /api/v1/org/nodes/{id}.
func (h *handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var in UpdateInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := h.store.Save(r.Context(), auth.From(r.Context()), in.node(id)); err != nil {
		return err
	}
	return h.writeItem(w, r, http.StatusOK, id)
}

// apiDepartments answers GET /api/v1/departments.
func (h *handlers) apiDepartments(w http.ResponseWriter, r *http.Request) error {
	list, err := h.store.Departments(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []Department{}
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": list, "next_cursor": ""})
}

// apiDepartment answers GET /api/v1/departments/{id}.
func (h *handlers) apiDepartment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	d, err := h.store.Department(r.Context(), id)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, d)
}

// apiDepartmentCreate answers POST /api/v1/departments with 201.
func (h *handlers) apiDepartmentCreate(w http.ResponseWriter, r *http.Request) error {
	return h.saveDepartmentAPI(w, r, 0, http.StatusCreated)
}

// apiDepartmentUpdate answers PUT /api/v1/departments/{id}.
func (h *handlers) apiDepartmentUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	return h.saveDepartmentAPI(w, r, id, http.StatusOK)
}

func (h *handlers) saveDepartmentAPI(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	var in DepartmentInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	d, err := h.store.SaveDepartment(r.Context(), auth.From(r.Context()),
		Department{ID: id, Code: in.Code, NameZH: in.NameZH, NameEN: in.NameEN})
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/departments/"+strconv.FormatInt(d.ID, 10))
	}
	return web.JSON(w, status, d)
}
