package org

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// newPage is the data of GET /org/new: the parent (absent for the county
// root) and the level the new node will have.
type newPage struct {
	Parent *row
	Level  Level
	Kinds  []option
}

// newForm shows the form for a child of ?parent=ID, or for the county root
// when the tree is empty.
func (h *handlers) newPage(w http.ResponseWriter, r *http.Request) error {
	parentID, err := queryID(r.URL.Query().Get("parent"))
	if err != nil {
		return err
	}
	v := url.Values{"parent_id": {r.URL.Query().Get("parent")}}
	return h.renderNew(w, r, http.StatusOK, parentID, web.NewForm(v))
}

func queryID(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf()
	}
	return id, nil
}

func (h *handlers) renderNew(w http.ResponseWriter, r *http.Request, status int, parentID int64, f *web.Form) error {
	ctx, p, lang := r.Context(), auth.From(r.Context()), web.RequestLang(r)
	d := newPage{Level: County}
	if parentID == 0 {
		// Only an empty tree takes a county; otherwise a parent is missing.
		if _, err := h.store.Root(ctx); errs.CodeOf(err) != errs.NotFound {
			return errs.Field("parent_id", "errs.required")
		}
	} else {
		par, err := h.store.Get(ctx, p, parentID)
		if err != nil {
			return err
		}
		if !CanWrite(p, par) {
			return errs.Forbid()
		}
		lvl, ok := childLevel[par.Level]
		if !ok {
			return errs.Field("parent_id", "org.too_deep")
		}
		rw := toRow(par, lang)
		d.Parent, d.Level = &rw, lvl
		if f.Get("code") == "" && f.Error == nil {
			f.Values.Set("code", par.Code) // the child's code starts with it
		}
	}
	d.Kinds = kindOptions(d.Level)
	return h.env.Render.PageForm(w, r, status, "org_new", web.T(r, "org.new_"+string(d.Level)), d, f)
}

// newSubmit creates the node and goes to its page.
func (h *handlers) newSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ctx, p := r.Context(), auth.From(r.Context())
	parentID, err := queryID(f.Get("parent_id"))
	if err != nil {
		return err
	}
	var fc errs.FieldCollector
	n := nodeForm(&fc, f)
	n.ParentID = parentID
	var saved Node
	if err = fc.Err(); err != nil {
		h.store.Check(ctx, p, n, &fc)
		err = fc.Err()
	} else {
		saved, err = h.store.Save(ctx, p, n)
	}
	if err == nil {
		web.Redirect(w, r, "/org/"+strconv.FormatInt(saved.ID, 10), "org.created")
		return nil
	}
	if hasField(err, "parent_id") || !f.Refused(err) {
		return err
	}
	return h.renderNew(w, r, web.Status(errs.CodeOf(err)), parentID, f)
}

// hasField reports whether err names field: a bad parent has no input on the
// form to mark, so it is answered with the error page instead.
func hasField(err error, field string) bool {
	for _, fe := range errs.As(err).Fields {
		if fe.Field == field {
			return true
		}
	}
	return false
}
