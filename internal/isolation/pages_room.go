package isolation

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

// roomFormPage renders the room form of site t: new when room.ID is 0.
func (h *handlers) roomFormPage(w http.ResponseWriter, r *http.Request, status int, t Site, room Room, f *web.Form) error {
	statuses := make([]option, len(RoomStatuses))
	for i, st := range RoomStatuses {
		statuses[i] = option{Value: string(st), Label: "isolation.room_status." + string(st)}
	}
	title := web.T(r, "isolation.room_form.new", t.Name)
	if room.ID != 0 {
		title = web.T(r, "isolation.room_form.edit", room.Number)
	}
	return h.env.Render.PageForm(w, r, status, "isolation_room_form", title,
		map[string]any{"Site": t, "Room": room, "Statuses": statuses, "MaxBeds": MaxBeds}, f)
}

// roomNew is the form adding a room to a site.
func (h *handlers) roomNew(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	t, err := h.editable(r, id)
	if err != nil {
		return err
	}
	return h.roomFormPage(w, r, http.StatusOK, t, Room{}, web.NewForm(url.Values{"beds": {"2"}, "status": {string(RoomOpen)}}))
}

// roomInput reads the room form.
func roomInput(f *web.Form) RoomInput {
	beds, err := strconv.Atoi(strings.TrimSpace(f.Get("beds")))
	if err != nil {
		beds = -1 // the store names the field
	}
	return RoomInput{Number: f.Get("number"), Beds: beds, Status: f.Get("status"), Notes: f.Get("notes")}
}

// roomCreate is the new-room form's post; "save and add another" comes back
// to an empty form for the next room.
func (h *handlers) roomCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.store.AddRoom(r.Context(), principal(r), id, roomInput(f)); err != nil {
		if !f.Refused(err) {
			return err
		}
		t, lerr := h.editable(r, id)
		if lerr != nil {
			return lerr
		}
		return h.roomFormPage(w, r, web.Status(errs.CodeOf(err)), t, Room{}, f)
	}
	next := "/isolation/sites/" + itoa(id)
	if f.Get("again") != "" {
		next += "/rooms/new"
	}
	web.Redirect(w, r, next, "isolation.flash.room_added")
	return nil
}

// roomEdit is the form of an existing room.
func (h *handlers) roomEdit(w http.ResponseWriter, r *http.Request) error {
	room, t, err := h.editableRoom(r)
	if err != nil {
		return err
	}
	f := web.NewForm(url.Values{"number": {room.Number}, "beds": {strconv.Itoa(room.Beds)},
		"status": {string(room.Status)}, "notes": {room.Notes}})
	return h.roomFormPage(w, r, http.StatusOK, t, room, f)
}

// editableRoom loads the room of the path and its site, which the caller
// must keep.
func (h *handlers) editableRoom(r *http.Request) (Room, Site, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return Room{}, Site{}, err
	}
	p := principal(r)
	room, t, err := h.store.Room(r.Context(), p, id)
	if err == nil && !CanManage(p, t) {
		err = errs.Forbid()
	}
	return room, t, err
}

// roomUpdate is the room form's post.
func (h *handlers) roomUpdate(w http.ResponseWriter, r *http.Request) error {
	room, t, err := h.editableRoom(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.store.UpdateRoom(r.Context(), principal(r), room.ID, roomInput(f)); err != nil {
		if !f.Refused(err) {
			return err
		}
		return h.roomFormPage(w, r, web.Status(errs.CodeOf(err)), t, room, f)
	}
	web.Redirect(w, r, "/isolation/sites/"+itoa(t.ID), "isolation.flash.room_saved")
	return nil
}
