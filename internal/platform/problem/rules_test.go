package problem

import (
	"slices"
	"testing"

	"fangkong/internal/platform/storage"
)

func TestNext(t *testing.T) {
	tests := []struct {
		from Status
		a    Action
		to   Status
		ok   bool
	}{
		{Open, Start, InProgress, true},
		{Open, Resolve, Open, false}, // work starts before it ends
		{Open, Confirm, Open, false},
		{Open, Reopen, Open, false},
		{Open, Assign, Open, true},
		{Open, Comment, Open, true},
		{InProgress, Start, InProgress, false},
		{InProgress, Resolve, Resolved, true},
		{InProgress, Assign, Open, true}, // a new department starts afresh
		{InProgress, Confirm, InProgress, false},
		{Resolved, Confirm, Confirmed, true},
		{Resolved, Reopen, InProgress, true}, // reopened: back to the same department
		{Resolved, Resolve, Resolved, false},
		{Resolved, Assign, Resolved, false},
		{Resolved, Comment, Resolved, true},
		{Confirmed, Reopen, Confirmed, false}, // closed is closed
		{Confirmed, Comment, Confirmed, false},
		{Confirmed, Assign, Confirmed, false},
		{Open, Raise, Open, false}, // raising is not a step on an existing problem
		{Open, "delete", Open, false},
	}
	for _, tt := range tests {
		to, ok := Next(tt.from, tt.a)
		if to != tt.to || ok != tt.ok {
			t.Errorf("Next(%s, %s) = %s, %v; want %s, %v", tt.from, tt.a, to, ok, tt.to, tt.ok)
		}
	}
}

func TestWhoMay(t *testing.T) {
	raiser, dept, mgr := Relation{Raiser: true}, Relation{Department: true}, Relation{Manager: true}
	none := Relation{}
	tests := []struct {
		a    Action
		r    Relation
		want bool
	}{
		{Start, dept, true}, {Start, mgr, true}, {Start, raiser, false}, {Start, none, false},
		{Resolve, dept, true}, {Resolve, mgr, true}, {Resolve, raiser, false},
		// Only the raiser closes or reopens: not the department, not the command.
		{Confirm, raiser, true}, {Confirm, dept, false}, {Confirm, mgr, false}, {Confirm, none, false},
		{Reopen, raiser, true}, {Reopen, dept, false}, {Reopen, mgr, false},
		{Assign, raiser, true}, {Assign, mgr, true}, {Assign, dept, false},
		{Comment, raiser, true}, {Comment, dept, true}, {Comment, mgr, true}, {Comment, none, false},
		{Confirm, Relation{Raiser: true, Manager: true}, true},
		{Raise, raiser, false},
	}
	for _, tt := range tests {
		if got := May(tt.a, tt.r); got != tt.want {
			t.Errorf("May(%s, %+v) = %v, want %v", tt.a, tt.r, got, tt.want)
		}
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		s    Status
		r    Relation
		want []Action
	}{
		{Open, Relation{Department: true}, []Action{Start, Comment}},
		{InProgress, Relation{Department: true}, []Action{Resolve, Comment}},
		{Resolved, Relation{Department: true}, []Action{Comment}},
		{Resolved, Relation{Raiser: true}, []Action{Confirm, Reopen, Comment}},
		{Open, Relation{Raiser: true}, []Action{Assign, Comment}},
		{Open, Relation{Manager: true}, []Action{Start, Assign, Comment}},
		{Confirmed, Relation{Raiser: true, Department: true, Manager: true}, nil},
		{Open, Relation{}, nil},
	}
	for _, tt := range tests {
		if got := Allowed(tt.s, tt.r); !slices.Equal(got, tt.want) {
			t.Errorf("Allowed(%s, %+v) = %v, want %v", tt.s, tt.r, got, tt.want)
		}
	}
}

func TestOverdueAt(t *testing.T) {
	d := storage.MustDate
	tests := []struct {
		s        Status
		deadline string
		day      string
		want     bool
	}{
		{Open, "2020-02-20", "2020-02-22", true},
		{InProgress, "2020-02-21", "2020-02-22", true},
		{InProgress, "2020-02-22", "2020-02-22", false}, // due today is not late yet
		{Open, "2020-02-23", "2020-02-22", false},
		{Resolved, "2020-02-10", "2020-02-22", false}, // answered in time or not, the department has answered
		{Confirmed, "2020-02-10", "2020-02-22", false},
	}
	for _, tt := range tests {
		if got := OverdueAt(tt.s, d(tt.deadline), d(tt.day)); got != tt.want {
			t.Errorf("OverdueAt(%s, %s, %s) = %v, want %v", tt.s, tt.deadline, tt.day, got, tt.want)
		}
	}
	if OverdueAt(Open, storage.Date{}, d("2020-02-22")) {
		t.Error("a problem without a deadline is never overdue")
	}
}

func TestNeedsNote(t *testing.T) {
	for a, want := range map[Action]bool{Start: false, Resolve: true, Confirm: false, Reopen: true, Comment: true, Assign: false} {
		if NeedsNote(a) != want {
			t.Errorf("NeedsNote(%s) = %v", a, !want)
		}
	}
}

func TestStateAt(t *testing.T) {
	d := storage.MustDate
	events := []Event{
		{Action: Raise, To: Open, Day: d("2020-02-05"), DepartmentID: 1, Deadline: d("2020-02-12")},
		{Action: Start, From: Open, To: InProgress, Day: d("2020-02-06")},
		{Action: Comment, Day: d("2020-02-07")},
		{Action: Assign, From: InProgress, To: Open, Day: d("2020-02-08"), DepartmentID: 2, Deadline: d("2020-02-15")},
		{Action: Start, From: Open, To: InProgress, Day: d("2020-02-09")},
		{Action: Resolve, From: InProgress, To: Resolved, Day: d("2020-02-14")},
		{Action: Reopen, From: Resolved, To: InProgress, Day: d("2020-02-16")},
		{Action: Resolve, From: InProgress, To: Resolved, Day: d("2020-02-18")},
		{Action: Confirm, From: Resolved, To: Confirmed, Day: d("2020-02-18")},
	}
	tests := []struct {
		day     string
		raised  bool
		status  Status
		dept    int64
		overdue bool
	}{
		{"2020-02-04", false, "", 0, false},
		{"2020-02-05", true, Open, 1, false},
		{"2020-02-07", true, InProgress, 1, false},
		{"2020-02-08", true, Open, 2, false}, // reassigned with a later deadline
		{"2020-02-13", true, InProgress, 2, false},
		{"2020-02-14", true, Resolved, 2, false},
		{"2020-02-16", true, InProgress, 2, true}, // reopened after its deadline
		{"2020-02-17", true, InProgress, 2, true},
		{"2020-02-18", true, Confirmed, 2, false}, // two steps on one day: the last counts
		{"2020-03-01", true, Confirmed, 2, false},
	}
	for _, tt := range tests {
		st, ok := StateAt(events, d(tt.day))
		if ok != tt.raised || st.Status != tt.status || st.DepartmentID != tt.dept ||
			OverdueAt(st.Status, st.Deadline, d(tt.day)) != tt.overdue {
			t.Errorf("%s: %+v raised %v; want %s dept %d raised %v overdue %v", tt.day, st, ok, tt.status, tt.dept, tt.raised, tt.overdue)
		}
	}
}

func TestInvolvementCovers(t *testing.T) {
	d := storage.MustDate
	iv := Involvement{UserID: 7, Windows: []Window{
		{DivisionPath: "/1/9/", From: d("2020-02-01"), To: d("2020-02-29")},
		{EnterpriseID: 42, From: d("2020-02-01"), To: d("2020-02-29")},
	}}
	tests := []struct {
		name string
		s    Snapshot
		want bool
	}{
		{"raised by the person, anywhere, any day", Snapshot{RaisedBy: 7, DivisionPath: "/1/4/", RaisedOn: d("2020-03-05")}, true},
		{"in the township itself", Snapshot{DivisionPath: "/1/9/", RaisedOn: d("2020-02-10")}, true},
		{"in a village of the township", Snapshot{DivisionPath: "/1/9/30/", RaisedOn: d("2020-02-10")}, true},
		{"a township whose id starts alike", Snapshot{DivisionPath: "/1/90/", RaisedOn: d("2020-02-10")}, false},
		{"before the period", Snapshot{DivisionPath: "/1/9/", RaisedOn: d("2020-01-31")}, false},
		{"on the period's last day", Snapshot{EnterpriseID: 42, DivisionPath: "/1/4/", RaisedOn: d("2020-02-29")}, true},
		{"after the period", Snapshot{EnterpriseID: 42, DivisionPath: "/1/4/", RaisedOn: d("2020-03-01")}, false},
		{"another enterprise elsewhere", Snapshot{EnterpriseID: 43, DivisionPath: "/1/4/", RaisedOn: d("2020-02-10")}, false},
	}
	for _, tt := range tests {
		if got := iv.Covers(tt.s); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := encodeCursor(2, storage.MustDate("2020-02-20"), 15)
	rk, dl, id, ok := decodeCursor(c)
	if !ok || rk != 2 || dl.String() != "2020-02-20" || id != 15 {
		t.Errorf("decoded %d %s %d %v", rk, dl, id, ok)
	}
	for _, bad := range []string{"", "xyz", encodeCursor(9, storage.MustDate("2020-02-20"), 1)} {
		if _, _, _, ok := decodeCursor(bad); ok {
			t.Errorf("accepted cursor %q", bad)
		}
	}
}
