package liaison

import (
	"net/http"
	"net/url"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/web"
)

// The assignment edit page: a leader's charge keeps its leader and target
// (a new charge is a new assignment); its period and note change, for
// example when the command extends the liaison system by a month.

// assignmentEditData is the edit page's view: the assignment as stored.
type assignmentEditData struct {
	Assignment Assignment
}

func (h *handlers) assignmentEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := h.editable(r)
	if err != nil {
		return err
	}
	f := web.NewForm(url.Values{"from": {a.From.String()}, "to": {a.To.String()}, "note": {a.Note}})
	return h.renderAssignmentEdit(w, r, http.StatusOK, a, f)
}

func (h *handlers) assignmentUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.editable(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := AssignmentInput{From: f.Get("from"), To: f.Get("to"), Note: f.Get("note")}
	if _, err := h.store.UpdateAssignment(r.Context(), auth.From(r.Context()), a.ID, in); err != nil {
		if !f.SetError(err) {
			return err
		}
		return h.renderAssignmentEdit(w, r, formStatus(err), a, f)
	}
	web.Redirect(w, r, "/liaison/leaders/"+strconv.FormatInt(a.LeaderID, 10), "liaison.assignment_saved")
	return nil
}

// editable reads the assignment of the path for the caller (404 outside
// their scope); whether they may change it is the store's to say.
func (h *handlers) editable(r *http.Request) (Assignment, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Assignment{}, err
	}
	return h.store.Assignment(r.Context(), auth.From(r.Context()), id)
}

func (h *handlers) renderAssignmentEdit(w http.ResponseWriter, r *http.Request, status int, a Assignment, f *web.Form) error {
	d := assignmentEditData{Assignment: a}
	return h.env.Render.PageForm(w, r, status, "liaison_assignment_edit", web.T(r, "liaison.assignment_edit"), d, f)
}
