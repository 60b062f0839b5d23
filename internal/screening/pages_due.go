package screening

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
)

type dueData struct {
	List      DueList
	Division  int64
	Divisions []option
	Slots     []option
	Symptoms  []option
	Slot      string
	IsToday   bool
	CanWrite  bool
	// AMURL and PMURL switch the list between the slots.
	AMURL, PMURL string
	// ToEnter counts the rows with the chosen slot still to record.
	ToEnter int
}

// due is the day's follow-up list of a division: who is due, what was
// recorded, what was missed, who is to be released.
func (h *handlers) due(w http.ResponseWriter, r *http.Request) error {
	d, div, err := h.asOf(r)
	if err != nil {
		return err
	}
	slot := AM
	if h.env.Now().In(h.env.Zone).Hour() >= 12 {
		slot = PM
	}
	if s := Slot(r.URL.Query().Get("slot")); s.Valid() {
		slot = s
	}
	f := web.NewForm(url.Values{"slot": {string(slot)}, "date": {d.String()}})
	if div != 0 {
		f.Values.Set("division", itoa(div))
	}
	return h.duePage(w, r, http.StatusOK, d, div, f)
}

func (h *handlers) duePage(w http.ResponseWriter, r *http.Request, status int, d storage.Date, div int64, f *web.Form) error {
	p := auth.From(r.Context())
	list, err := h.store.Due(r.Context(), p, div, d)
	if err != nil {
		return err
	}
	divs, err := h.divisionOptions(r.Context(), p, string(web.RequestLang(r)))
	if err != nil {
		return err
	}
	data := dueData{List: list, Division: div, Divisions: divs, Slots: choices(Slots, "screening.slot.", false),
		Symptoms: append([]option{{Value: "", Label: "screening.symptom_none"}}, choices(Symptoms, "screening.symptom.", false)...),
		Slot:     f.Get("slot"), IsToday: d.Equal(h.env.Today().Time), CanWrite: p.Can(PermWrite)}
	for _, row := range list.Rows {
		if row.FollowUpDay && ((data.Slot == string(AM) && row.AM == nil) || (data.Slot == string(PM) && row.PM == nil)) {
			data.ToEnter++
		}
	}
	q := url.Values{"date": {d.String()}}
	if div != 0 {
		q.Set("division", itoa(div))
	}
	q.Set("slot", string(AM))
	data.AMURL = "/screening/followups?" + q.Encode()
	q.Set("slot", string(PM))
	data.PMURL = "/screening/followups?" + q.Encode()
	return h.env.Render.PageForm(w, r, status, "screening_due", web.T(r, "screening.due.title"), data, f)
}

// dueRecord records the temperatures typed into the due list, all at once.
func (h *handlers) dueRecord(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	d, div, back, err := dueTarget(f)
	if err != nil {
		return err
	}
	var ins []FollowUpInput
	for _, id := range rowIDs(f, "t.") {
		v := strings.TrimSpace(f.Get("t." + itoa(id)))
		if v == "" {
			continue
		}
		in := FollowUpInput{ObservationID: id, Day: d.String(), Slot: f.Get("slot"), Temperature: json.Number(v)}
		if s := f.Get("s." + itoa(id)); s != "" {
			in.Symptoms = []string{s}
		}
		ins = append(ins, in)
	}
	recs, err := h.store.RecordMany(r.Context(), auth.From(r.Context()), ins)
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		rowErrors(f)
		return h.duePage(w, r, web.Status(errs.CodeOf(err)), d, div, f)
	}
	flash := "screening.due.saved"
	for _, rec := range recs {
		if rec.Alert != nil {
			flash = "screening.due.saved_alert"
		}
	}
	web.Redirect(w, r, back, flash)
	return nil
}

// dueRelease releases the people ticked on the due list.
func (h *handlers) dueRelease(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	d, div, back, err := dueTarget(f)
	if err != nil {
		return err
	}
	var ids []int64
	for _, s := range f.Values["release"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	if _, err := h.store.ReleaseMany(r.Context(), auth.From(r.Context()), ids, ReleaseInput{Day: d.String()}); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.duePage(w, r, web.Status(errs.CodeOf(err)), d, div, f)
	}
	web.Redirect(w, r, back, "screening.due.released")
	return nil
}

// dueTarget reads the list's day and division from a posted form, and the
// list's address to go back to.
func dueTarget(f *web.Form) (storage.Date, int64, string, error) {
	d, err := storage.ParseDate(f.Get("date"))
	if err != nil {
		return d, 0, "", errs.Field("date", "errs.bad_date")
	}
	div := formID(f, "division")
	q := url.Values{"date": {d.String()}}
	if div != 0 {
		q.Set("division", itoa(div))
	}
	return d, div, "/screening/followups?" + q.Encode(), nil
}

// rowIDs lists the observation ids of the form's fields named prefix+id.
func rowIDs(f *web.Form, prefix string) []int64 {
	var ids []int64
	for k := range f.Values {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// rowErrors moves the store's "<id>.<field>" errors onto the list's inputs
// (t.<id> for the temperature, and the row's own message otherwise).
func rowErrors(f *web.Form) {
	for k, m := range f.Errors {
		id, field, ok := strings.Cut(k, ".")
		if !ok {
			continue
		}
		delete(f.Errors, k)
		if field == "temperature" || field == "symptoms" {
			f.Errors["t."+id] = m
		} else if _, exists := f.Errors["t."+id]; !exists {
			f.Errors["t."+id] = m
		}
	}
	if len(f.Errors) > 0 && f.Error == nil {
		m := i18n.Msg{Key: "errs.invalid"}
		f.Error = &m
	}
}
