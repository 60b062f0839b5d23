package checkpoint

import (
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

type overviewData struct {
	Overview
	Division   string
	DivisionID int64
	Prev, Next string
	Keep       map[string]string
}

// overview is /checkpoints/overview?date=&division=: the day's passages in
// and out per township and checkpoint, external vehicles, persuaded returns,
// fevers, and the open checkpoints where nobody recorded anything.
func (h *handlers) overview(w http.ResponseWriter, r *http.Request) error {
	d, derr := h.env.AsOf(r)
	div, ierr := queryID(r, "division")
	if err := errs.Fields(append(fieldsOf(derr), fieldsOf(ierr)...)); err != nil {
		return err
	}
	ov, err := h.store.Overview(r.Context(), auth.From(r.Context()), d, div)
	if err != nil {
		return err
	}
	data := overviewData{Overview: ov, DivisionID: div, Prev: d.AddDays(-1).String(), Keep: map[string]string{}}
	if next := d.AddDays(1); !next.After(h.env.Today().Time) {
		data.Next = next.String()
	}
	if div != 0 {
		data.Keep["division"] = itoa(div)
		if n, err := h.org.ByID(r.Context(), div); err == nil {
			data.Division = n.Name(string(web.RequestLang(r)))
		}
	}
	return h.env.Render.Page(w, r, http.StatusOK, "checkpoint_overview", web.T(r, "checkpoint.overview_title"), data)
}

func fieldsOf(err error) []errs.FieldError {
	if err == nil {
		return nil
	}
	return errs.As(err).Fields
}
