package isolation

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/screening"
)

// The round is a site's due list on a phone: everyone staying on the day,
// the morning and afternoon temperatures, and one input per person still to
// measure in the chosen slot, all saved at once.

// round shows a site's follow-ups of a day and slot.
func (h *handlers) round(w http.ResponseWriter, r *http.Request) error {
	id, d, err := h.idDate(r)
	if err != nil {
		return err
	}
	slot := screening.AM
	if h.env.Now().In(h.env.Zone).Hour() >= 12 {
		slot = screening.PM
	}
	if s := screening.Slot(r.URL.Query().Get("slot")); s.Valid() {
		slot = s
	}
	return h.roundPage(w, r, http.StatusOK, id, d, web.NewForm(url.Values{"slot": {string(slot)}, "date": {d.String()}}))
}

func (h *handlers) roundPage(w http.ResponseWriter, r *http.Request, status int, id int64, d storage.Date, f *web.Form) error {
	p := principal(r)
	sd, err := h.store.Day(r.Context(), p, id, d)
	if err != nil {
		return err
	}
	slot := f.Get("slot")
	toEnter := 0
	for _, row := range sd.Rows {
		if open(row, slot) {
			toEnter++
		}
	}
	symptoms := []option{{Value: "", Label: "screening.symptom_none"}}
	for _, s := range screening.Symptoms {
		symptoms = append(symptoms, option{Value: string(s), Label: "screening.symptom." + string(s)})
	}
	base := "/isolation/sites/" + itoa(id) + "/followups?date=" + d.String() + "&slot="
	t := sd.Occupancy.Site
	return h.env.Render.PageForm(w, r, status, "isolation_round", web.T(r, "isolation.round.title", t.Name), map[string]any{
		"Day": sd, "Site": t, "Date": d, "Slot": slot, "AMURL": base + string(screening.AM), "PMURL": base + string(screening.PM),
		"Symptoms": symptoms, "CanWrite": may(p, PermWrite, t), "ToEnter": toEnter}, f)
}

// open says whether a person's slot is still to be measured.
func open(row DueRow, slot string) bool {
	if !row.FollowUpDay || row.Stay.ObservationID == 0 {
		return false
	}
	return (slot == string(screening.AM) && !row.AM) || (slot == string(screening.PM) && !row.PM)
}

// roundRecord saves the temperatures typed into the round.
func (h *handlers) roundRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	d, err := storage.ParseDate(f.Get("date"))
	if err != nil {
		return errs.Field("date", "errs.bad_date")
	}
	var entries []RoundEntry
	for _, stay := range stayIDs(f) {
		if v := strings.TrimSpace(f.Get("t." + itoa(stay))); v != "" {
			entries = append(entries, RoundEntry{StayID: stay, Temperature: v, Symptom: f.Get("s." + itoa(stay))})
		}
	}
	recs, err := h.store.RecordRound(r.Context(), principal(r), id, d.String(), f.Get("slot"), entries)
	if err != nil {
		if !f.Refused(err) {
			return err
		}
		for k, m := range f.Errors { // no input of its own: say it at the top
			if !strings.HasPrefix(k, "t.") {
				f.Error = &m
			}
		}
		return h.roundPage(w, r, web.Status(errs.CodeOf(err)), id, d, f)
	}
	flash := "isolation.round.saved"
	for _, rec := range recs {
		if rec.Alert != nil {
			flash = "isolation.round.saved_alert"
		}
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(id)+"/followups?date="+d.String()+"&slot="+url.QueryEscape(f.Get("slot")), flash)
	return nil
}

// stayIDs lists the stays of the form's t.<stay> inputs, in order.
func stayIDs(f *web.Form) []int64 {
	var ids []int64
	for k := range f.Values {
		if rest, ok := strings.CutPrefix(k, "t."); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
