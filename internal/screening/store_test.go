package screening_test

import (
	"context"
	"encoding/json"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

func fields(err error) map[string]string {
	out := map[string]string{}
	for _, f := range errs.As(err).Fields {
		out[f.Field] = f.Msg.Key
	}
	return out
}

func TestRegisterRefusesDuplicates(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cadre := cadreDongwang(fix)
		id := idNumber("19850312", 11)
		first := must(st.Create(ctx, cadre, returnee(fix.DongwangVillage.ID, "张伟", id, "13812345678", "2020-02-10")))(t)

		// The same ID number (typed with a lower-case x or spaces, it is the same number).
		_, err := st.Create(ctx, cadre, returnee(fix.DongwangVillage.ID, "张伟伟", " "+id+" ", "", "2020-02-11"))
		dup, ok := screening.DuplicateOf(err)
		if errs.CodeOf(err) != errs.Conflict || !ok || dup.ID != first.Person.ID || dup.By != "id_number" || !dup.Visible {
			t.Fatalf("same ID: %v %+v", err, dup)
		}
		if fields(err)["id_number"] != "screening.err.duplicate_id" {
			t.Errorf("field: %v", fields(err))
		}
		// The same name and phone under another (valid) ID number.
		_, err = st.Create(ctx, cadre, returnee(fix.DongwangVillage.ID, "张伟", idNumber("19850312", 12), "138 1234 5678", ""))
		if dup, ok := screening.DuplicateOf(err); !ok || dup.By != "name_phone" || dup.ID != first.Person.ID {
			t.Fatalf("same name and phone: %v", err)
		}
		// A cadre of another village is pointed at the record without a link to it.
		_, err = st.Create(ctx, cadreFenghuang(fix), returnee(fix.FenghuangVillage.ID, "张伟", id, "", ""))
		if dup, ok := screening.DuplicateOf(err); !ok || dup.Visible {
			t.Fatalf("other village: %v %+v", err, dup)
		}
		// Nothing was stored twice.
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM persons`).Scan(&n)
		if n != 1 {
			t.Errorf("%d persons", n)
		}
		// Birth date and sex come from the ID number.
		p := must(st.Get(ctx, cadre, first.Person.ID))(t)
		if p.BirthDate != storage.MustDate("1985-03-12") || p.Sex != "M" || p.Name != "张*" || p.Phone != "138****5678" {
			t.Errorf("%+v", p)
		}
		if len(p.Travels) != 1 || p.Travels[0].TransportNo != "G512" {
			t.Errorf("travels %+v", p.Travels)
		}
		// Another village's cadre cannot see it; a bad check digit is a field error.
		if _, err := st.Get(ctx, cadreFenghuang(fix), first.Person.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("out of scope: %v", err)
		}
		_, err = st.Create(ctx, cadre, returnee(fix.DongwangVillage.ID, "李娜", badCheck("19900101", 2), "1234", "2020-03-01"))
		f := fields(err)
		if f["id_number"] != "validate.id.checksum" || f["phone"] == "" || f["travel.arrived_on"] != "validate.date.future" {
			t.Errorf("bad input: %v", f)
		}
	})
}

func TestObservationFollowUpsAndAlert(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cadre := cadreDongwang(fix)
		in := returnee(fix.DongwangVillage.ID, "王芳", idNumber("19920505", 22), "13912345678", "2020-02-10")
		in.Observe = &screening.ObservationInput{Kind: "home", Reason: "returnee", StartDate: "2020-02-10", BasisDate: "2020-02-10"}
		c := must(st.Create(ctx, cadre, in))(t)
		o := *c.Observation
		if o.PlannedEnd != storage.MustDate("2020-02-24") || o.Basis != screening.FromArrival {
			t.Fatalf("observation %+v", o)
		}

		t.Run("an observation that would end before it starts is refused", func(t *testing.T) {
			_, err := st.Open(ctx, cadre, screening.ObservationInput{PersonID: c.Person.ID, Kind: "home", Reason: "returnee",
				BasisDate: "2020-01-01", StartDate: "2020-02-20"})
			if fields(err)["basis_date"] != "screening.err.ends_before_start" {
				t.Errorf("%v", err)
			}
			_, err = st.Open(ctx, cadre, screening.ObservationInput{PersonID: c.Person.ID, Kind: "home", Reason: "returnee",
				BasisDate: "2020-02-19", StartDate: "2020-02-19"})
			if errs.CodeOf(err) != errs.Conflict {
				t.Errorf("second observation: %v", err)
			}
		})
		t.Run("bad follow-ups are field errors", func(t *testing.T) {
			for _, c := range []struct {
				in    screening.FollowUpInput
				field string
			}{
				{screening.FollowUpInput{Day: "2020-02-21", Slot: "am", Temperature: "44"}, "temperature"},
				{screening.FollowUpInput{Day: "2020-02-21", Slot: "am", Temperature: "33.9"}, "temperature"},
				{screening.FollowUpInput{Day: "2020-02-23", Slot: "am", Temperature: "36.5"}, "day"},
				{screening.FollowUpInput{Day: "2020-02-09", Slot: "am", Temperature: "36.5"}, "day"},
				{screening.FollowUpInput{Day: "2020-02-21", Slot: "noon", Temperature: "36.5"}, "slot"},
				{screening.FollowUpInput{Day: "2020-02-21", Slot: "am", Temperature: "36.5", Symptoms: []string{"hiccup"}}, "symptoms"},
			} {
				c.in.ObservationID = o.ID
				if _, err := st.RecordFollowUp(ctx, cadre, c.in); fields(err)[c.field] == "" {
					t.Errorf("%+v: %v", c.in, err)
				}
			}
		})
		t.Run("a fever opens one alert; a recheck joins it", func(t *testing.T) {
			must(st.RecordFollowUp(ctx, cadre, screening.FollowUpInput{ObservationID: o.ID, Day: "2020-02-21", Slot: "am", Temperature: "36.6"}))(t)
			if _, err := st.RecordFollowUp(ctx, cadre, screening.FollowUpInput{ObservationID: o.ID, Day: "2020-02-21", Slot: "am", Temperature: "36.6"}); fields(err)["slot"] != "screening.err.slot_taken" {
				t.Errorf("same slot twice: %v", err)
			}
			rec := must(st.RecordFollowUp(ctx, cadre, screening.FollowUpInput{ObservationID: o.ID, Day: "2020-02-21", Slot: "pm", Temperature: json.Number("37.3")}))(t)
			if rec.Alert == nil || !rec.FollowUp.Alarm {
				t.Fatalf("37.3 at ≥37.3 opened no alert: %+v", rec)
			}
			again := must(st.RecordFollowUp(ctx, cadre, screening.FollowUpInput{ObservationID: o.ID, Day: "2020-02-22", Slot: "am", Temperature: "38.0", Symptoms: []string{"cough"}}))(t)
			if again.Alert != nil {
				t.Errorf("a second alert while one is open")
			}
			p := must(st.Get(ctx, cadre, c.Person.ID))(t)
			if !p.HasTag(screening.TagFever) {
				t.Errorf("fever tag: %v", p.Tags)
			}
			a := rec.Alert
			if _, err := st.AddAlertEvent(ctx, cadre, a.ID, screening.AlertEventInput{Kind: "transferred"}); fields(err)["kind"] != "screening.err.bad_step" {
				t.Errorf("out of order: %v", err)
			}
			if _, err := st.Release(ctx, cadre, o.ID, screening.ReleaseInput{Day: "2020-02-22"}); fields(err)["day"] != "screening.err.release_early" {
				t.Errorf("early release: %v", err)
			}
			must(st.AddAlertEvent(ctx, cadre, a.ID, screening.AlertEventInput{Kind: "notified", At: "2020-02-21T16:30", Hospital: "宁晋县医院发热门诊"}))(t)
			if _, err := st.AddAlertEvent(ctx, cadre, a.ID, screening.AlertEventInput{Kind: "transferred", At: "2020-02-21T16:00"}); fields(err)["at"] != "screening.err.before_last_step" {
				t.Errorf("time before the last step: %v", err)
			}
			must(st.AddAlertEvent(ctx, cadre, a.ID, screening.AlertEventInput{Kind: "transferred", At: "2020-02-21T17:10"}))(t)
			done := must(st.AddAlertEvent(ctx, cadre, a.ID, screening.AlertEventInput{Kind: "result", Result: "ruled_out", At: "2020-02-22T09:00", Note: "两次核酸阴性"}))(t)
			if done.Stage != screening.StageClosed || done.Result != screening.RuledOut || len(done.Events) != 4 || done.Hospital == "" {
				t.Errorf("alert %+v", done)
			}
			if ob := must(st.GetObservation(ctx, cadre, o.ID))(t); ob.Status != screening.Active {
				t.Errorf("ruled out must leave the observation running: %s", ob.Status)
			}
		})
		t.Run("extend and shorten with a reason; follow-ups follow", func(t *testing.T) {
			if _, err := st.Adjust(ctx, cadre, o.ID, screening.AdjustInput{NewEnd: "2020-02-09", Reason: "x"}); fields(err)["new_end"] != "screening.err.end_before_start" {
				t.Errorf("end before start: %v", err)
			}
			if _, err := st.Adjust(ctx, cadre, o.ID, screening.AdjustInput{NewEnd: "2020-02-20"}); fields(err)["reason"] == "" {
				t.Errorf("no reason: %v", err)
			}
			ob := must(st.Adjust(ctx, cadre, o.ID, screening.AdjustInput{NewEnd: "2020-02-21", Reason: "核酸阴性，专家组同意提前解除"}))(t)
			if ob.PlannedEnd != storage.MustDate("2020-02-21") || ob.PeriodDays != 11 {
				t.Errorf("%+v", ob)
			}
			list := must(st.Due(ctx, cadre, fix.DongwangVillage.ID, today))(t)
			if len(list.Rows) != 1 || list.Rows[0].FollowUpDay || !list.Rows[0].ReleaseDue || list.Due != 0 || list.ReleaseDue != 1 {
				t.Errorf("due after shortening: %+v", list)
			}
			// 10–21 February: 24 slots, 2 recorded (the 22nd's is after the new end).
			if list.Rows[0].Missed != 22 {
				t.Errorf("missed %d", list.Rows[0].Missed)
			}
			rel := must(st.Release(ctx, cadre, o.ID, screening.ReleaseInput{}))(t)
			if rel.Status != screening.Released || rel.EndDate != today {
				t.Errorf("release %+v", rel)
			}
			if _, err := st.RecordFollowUp(ctx, cadre, screening.FollowUpInput{ObservationID: o.ID, Day: "2020-02-22", Slot: "pm", Temperature: "36.5"}); fields(err)["day"] == "" {
				t.Errorf("follow-up after release: %v", err)
			}
		})
	})
}

func TestMergeKeepsBothHistories(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cmd := commander(fix)
		// One man registered twice: in 东汪村 under a mistyped (but valid) number, in 洨口村 correctly.
		in1 := returnee(fix.DongwangVillage.ID, "赵强", idNumber("19780808", 31), "", "2020-01-25")
		in1.Observe = &screening.ObservationInput{Kind: "home", Reason: "returnee", BasisDate: "2020-01-25", StartDate: "2020-01-26"}
		a := must(st.Create(ctx, cmd, in1))(t)
		in2 := returnee(fix.XiaokouVillage.ID, "赵强", idNumber("19780808", 13), "15031234567", "2020-02-12")
		in2.Travel.From = "北京"
		in2.Observe = &screening.ObservationInput{Kind: "home", Reason: "returnee", BasisDate: "2020-02-12", StartDate: "2020-02-12"}
		b := must(st.Create(ctx, cmd, in2))(t)
		must(st.RecordFollowUp(ctx, cmd, screening.FollowUpInput{ObservationID: a.Observation.ID, Day: "2020-01-27", Slot: "am", Temperature: "36.4"}))(t)
		must(st.RecordFollowUp(ctx, cmd, screening.FollowUpInput{ObservationID: b.Observation.ID, Day: "2020-02-13", Slot: "am", Temperature: "36.7"}))(t)

		if _, err := st.Merge(ctx, cmd, b.Person.ID, a.Person.ID, "重复登记"); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("two observations in progress: %v", err)
		}
		must(st.Release(ctx, cmd, a.Observation.ID, screening.ReleaseInput{Day: "2020-02-08"}))(t)
		if _, err := st.Merge(ctx, cmd, b.Person.ID, b.Person.ID, ""); fields(err)["other_id"] == "" {
			t.Errorf("merge with itself: %v", err)
		}
		kept := must(st.Merge(ctx, cmd, b.Person.ID, a.Person.ID, "同一人重复登记，身份证号录错"))(t)
		if kept.ID != b.Person.ID {
			t.Fatalf("kept %d", kept.ID)
		}
		p := must(st.Get(ctx, cmd, b.Person.ID))(t)
		if len(p.Travels) != 2 || len(p.Observations) != 2 || len(p.Merges) != 1 {
			t.Fatalf("histories: %d travels, %d observations, %d merges", len(p.Travels), len(p.Observations), len(p.Merges))
		}
		for _, o := range p.Observations {
			full := must(st.GetObservation(ctx, cmd, o.ID))(t)
			if len(full.FollowUps) != 1 || full.DivisionID != fix.XiaokouVillage.ID {
				t.Errorf("observation %d: %d follow-ups, division %d", o.ID, len(full.FollowUps), full.DivisionID)
			}
		}
		old := must(st.Get(ctx, cmd, a.Person.ID))(t)
		if old.MergedInto != b.Person.ID {
			t.Errorf("merged record %+v", old)
		}
		// The merged record's number now leads to the kept record.
		_, err := st.Create(ctx, cmd, returnee(fix.DongwangVillage.ID, "赵强", idNumber("19780808", 31), "", ""))
		if dup, ok := screening.DuplicateOf(err); !ok || dup.ID != b.Person.ID {
			t.Errorf("old number: %v", err)
		}
		pg := must(st.List(ctx, cmd, screening.PersonFilter{}))(t)
		if len(pg.Items) != 1 {
			t.Errorf("list shows %d records", len(pg.Items))
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'merge' AND entity = 'person'`).Scan(&n)
		if n != 1 {
			t.Errorf("%d merge audit entries", n)
		}
	})
}

func TestCloseContactFollowsLastExposure(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cmd := commander(fix)
		c := must(st.Create(ctx, cmd, screening.PersonInput{DivisionID: fix.DongwangVillage.ID, Name: "刘洋", IDNumber: idNumber("19700101", 41)}))(t)
		o := must(st.ObserveContact(ctx, cmd, c.Person.ID, storage.MustDate("2020-02-15"), 0, "家庭接触"))(t)
		if o.PlannedEnd != storage.MustDate("2020-02-29") || o.Basis != screening.FromExposure {
			t.Fatalf("%+v", o)
		}
		later := must(st.ObserveContact(ctx, cmd, c.Person.ID, storage.MustDate("2020-02-18"), 0, "再次接触"))(t)
		if later.ID != o.ID || later.PlannedEnd != storage.MustDate("2020-03-03") {
			t.Errorf("later exposure: %+v", later)
		}
		earlier := must(st.ObserveContact(ctx, cmd, c.Person.ID, storage.MustDate("2020-02-16"), 0, ""))(t)
		if earlier.PlannedEnd != storage.MustDate("2020-03-03") {
			t.Errorf("an earlier exposure shortened it: %+v", earlier)
		}
		p := must(st.Get(ctx, cmd, c.Person.ID))(t)
		if !p.HasTag(screening.TagCloseContact) {
			t.Errorf("tags %v", p.Tags)
		}
	})
}

func TestOverviewCountsRecords(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cmd := commander(fix)
		open := func(div int64, seq int, kind, basis, start string) screening.Created {
			in := returnee(div, "人员", idNumber("19880101", seq), "", basis)
			in.Observe = &screening.ObservationInput{Kind: kind, Reason: "returnee", BasisDate: basis, StartDate: start}
			return must(st.Create(ctx, cmd, in))(t)
		}
		a := open(fix.DongwangVillage.ID, 1, "home", "2020-02-08", "2020-02-08")       // ends the 22nd: released that day
		open(fix.DongwangVillage.ID, 2, "home", "2020-02-20", "2020-02-22")            // new on the 22nd
		b := open(fix.XiaokouVillage.ID, 3, "centralized", "2020-02-15", "2020-02-15") // fever on the 22nd
		fh := open(fix.FenghuangVillage.ID, 4, "home", "2020-02-01", "2020-02-01")     // released on the 15th
		must(st.Release(ctx, cmd, a.Observation.ID, screening.ReleaseInput{Day: "2020-02-22"}))(t)
		must(st.Release(ctx, cmd, fh.Observation.ID, screening.ReleaseInput{Day: "2020-02-15"}))(t)
		var rows []screening.FollowUpInput
		for _, slot := range []string{"am", "pm"} {
			rows = append(rows, screening.FollowUpInput{ObservationID: b.Observation.ID, Day: "2020-02-21", Slot: slot, Temperature: "36.5"})
		}
		must(st.RecordMany(ctx, cmd, rows))(t)
		must(st.RecordFollowUp(ctx, cmd, screening.FollowUpInput{ObservationID: b.Observation.ID, Day: "2020-02-22", Slot: "am", Temperature: "37.8"}))(t)
		must(st.RecordHousehold(ctx, cmd, screening.HouseholdInput{DivisionID: fix.DongwangVillage.ID, Address: "东汪村8号", Members: 4, VisitedOn: "2020-02-05"}))(t)
		if _, err := st.RecordHousehold(ctx, cmd, screening.HouseholdInput{DivisionID: fix.DongwangVillage.ID, Address: "东汪村8号", Members: 4}); fields(err)["address"] != "screening.err.household_visited" {
			t.Errorf("second visit: %v", err)
		}

		ov := must(st.Overview(ctx, cmd, today, 0))(t)
		tot := ov.Total
		// Under observation on the 22nd: the new one (home) and b (centralized); a was released that day.
		if tot.UnderHome != 1 || tot.UnderCentralized != 1 || tot.New != 1 || tot.Released != 1 || tot.OpenAlerts != 1 || tot.NewAlerts != 1 {
			t.Errorf("22nd: %+v", tot)
		}
		// Follow-ups due on the 22nd: 2 people × 2 slots, 1 done; the day is over at 18:00 for the morning only.
		if tot.Due != 4 || tot.Done != 1 || tot.Missed != 1 || tot.Persons != 4 || tot.HouseholdsVisited != 1 || tot.PersonsCovered != 4 {
			t.Errorf("22nd follow-ups: %+v", tot)
		}
		if len(ov.Rows) != 2 || ov.Rows[0].Division.ID != fix.Fenghuang.ID {
			t.Fatalf("rows %+v", ov.Rows)
		}
		if dw := ov.Rows[1].Figures; dw.Released != 1 || dw.UnderCentralized != 1 || dw.OpenAlerts != 1 {
			t.Errorf("东汪镇: %+v", dw)
		}
		// As of the 15th: a, b, and the 凤凰村 one released that day.
		past := must(st.Overview(ctx, cmd, storage.MustDate("2020-02-15"), 0))(t).Total
		if past.Under() != 2 || past.New != 1 || past.Released != 1 || past.OpenAlerts != 0 || past.Due != 4 || past.Missed != 4 || past.ReleaseDue != 0 {
			t.Errorf("15th: %+v", past)
		}
		// A village cadre sees only their village.
		mine := must(st.Overview(ctx, cadreFenghuang(fix), today, 0))(t)
		if mine.Division.ID != fix.FenghuangVillage.ID || mine.Total.Persons != 1 || mine.Total.Under() != 0 {
			t.Errorf("cadre: %+v", mine)
		}
		if _, err := st.Overview(ctx, cadreFenghuang(fix), today, fix.Dongwang.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("out-of-scope drill-down: %v", err)
		}
		// Drill-down lists match the figures.
		pg := must(st.Observations(ctx, cmd, screening.ObsFilter{Date: today, State: screening.StateActive}))(t)
		al := must(st.Alerts(ctx, cmd, screening.AlertFilter{Date: today, State: screening.AlertsOpen}))(t)
		if len(pg.Items) != 2 || len(al.Items) != 1 || al.Items[0].PersonName != "人*" {
			t.Errorf("drill-down: %d observations, %+v", len(pg.Items), al.Items)
		}
	})
}

func TestSelfRegistration(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cadre := cadreDongwang(fix)
		links := must(st.Links(ctx, cadre, 0))(t)
		if len(links) != 1 || links[0].Division.ID != fix.DongwangVillage.ID {
			t.Fatalf("links %+v", links)
		}
		tok := links[0].Token
		if v := must(st.Resolve(ctx, tok))(t); v.ID != fix.DongwangVillage.ID {
			t.Fatalf("resolve %+v", v)
		}
		in := returnee(0, "孙丽", idNumber("19950606", 52), "13712345678", "2020-02-20")
		if _, err := st.Submit(ctx, tok, "10.0.0.1", screening.PersonInput{Name: "孙丽"}); fields(err)["id_number"] == "" || fields(err)["phone"] == "" {
			t.Errorf("bad submission: %v", err)
		}
		id := must(st.Submit(ctx, tok, "10.0.0.1", in))(t)
		pg := must(st.Queue(ctx, cadre, screening.QueueFilter{}))(t)
		if len(pg.Items) != 1 || pg.Items[0].ID != id || pg.Items[0].Name != "孙*" || pg.Items[0].Duplicate != nil {
			t.Fatalf("queue %+v", pg.Items)
		}
		c := must(st.Accept(ctx, cadre, id, screening.AcceptInput{}))(t)
		if c.Person.Source != screening.SourceSelf {
			t.Errorf("accepted %+v", c.Person)
		}
		// The same person again: the queue points at the record, and accepting into it adds the journey.
		in.Travel.ArrivedOn = "2020-02-21"
		id2 := must(st.Submit(ctx, tok, "10.0.0.2", in))(t)
		pg = must(st.Queue(ctx, cadre, screening.QueueFilter{}))(t)
		if len(pg.Items) != 1 || pg.Items[0].Duplicate == nil || pg.Items[0].Duplicate.ID != c.Person.ID {
			t.Fatalf("queue dup %+v", pg.Items)
		}
		if _, err := st.Accept(ctx, cadre, id2, screening.AcceptInput{}); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("accept duplicate as new: %v", err)
		}
		must(st.Accept(ctx, cadre, id2, screening.AcceptInput{ExistingID: c.Person.ID}))(t)
		if p := must(st.Get(ctx, cadre, c.Person.ID))(t); len(p.Travels) != 2 {
			t.Errorf("travels %d", len(p.Travels))
		}
		// Rotating the link retires the old token; forged tokens resolve to nothing.
		if err := st.Rotate(ctx, cadre, fix.DongwangVillage.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Resolve(ctx, tok); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("old token: %v", err)
		}
		if _, err := st.Resolve(ctx, "1.1.AAAAAAAAAAAAAAAA"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("forged token: %v", err)
		}
		// The rate limit counts per address, in the database.
		newTok := must(st.Links(ctx, cadre, 0))(t)[0].Token
		limit := screening.DefaultRules.SelfRegPerHour
		var last error
		for i := 0; i <= limit; i++ {
			_, last = st.Submit(ctx, newTok, "10.9.9.9", screening.PersonInput{})
		}
		if errs.CodeOf(last) != errs.TooMany {
			t.Errorf("after %d tries: %v", limit+1, last)
		}
		if _, err := st.Submit(ctx, newTok, "10.9.9.8", screening.PersonInput{}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("another address: %v", err)
		}
	})
}

func TestRulesAreSettings(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cmd := commander(fix)
		bad := screening.RulesInput{PeriodDays: "0", ReturneeBasis: "exposure", ContactBasis: "exposure", Fever: "39", FeverOp: "ge",
			SelfRegPerHour: "20", AMCutoff: "12"}
		if f := fields(st.SaveRules(ctx, bad)); f["period_days"] == "" || f["basis_returnee"] == "" || f["fever"] == "" {
			t.Errorf("bad rules: %v", f)
		}
		good := screening.RulesInput{PeriodDays: "21", ReturneeBasis: "arrival", ContactBasis: "exposure", Fever: "37.5", FeverOp: "gt",
			SelfRegPerHour: "5", AMCutoff: "11"}
		if err := st.SaveRules(ctx, good); err != nil {
			t.Fatal(err, fields(err))
		}
		r := st.Rules(ctx)
		if r.PeriodDays != 21 || r.FeverTenths != 375 || r.FeverInclusive || r.SelfRegPerHour != 5 {
			t.Errorf("%+v", r)
		}
		in := returnee(fix.DongwangVillage.ID, "周杰", idNumber("19830303", 61), "", "2020-02-10")
		in.Observe = &screening.ObservationInput{Kind: "home", Reason: "returnee", BasisDate: "2020-02-10"}
		c := must(st.Create(ctx, cmd, in))(t)
		if c.Observation.PlannedEnd != storage.MustDate("2020-03-02") {
			t.Errorf("21 days from the 10th: %s", c.Observation.PlannedEnd)
		}
		rec := must(st.RecordFollowUp(ctx, cmd, screening.FollowUpInput{ObservationID: c.Observation.ID, Day: "2020-02-22", Slot: "am", Temperature: "37.5"}))(t)
		if rec.Alert != nil {
			t.Error("37.5 is not > 37.5")
		}
	})
}

func TestConfirmedAlertOpensCase(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		fix := apptest.Seed(t, db)
		st := newStore(db)
		cmd, cadre := commander(fix), cadreDongwang(fix)
		in := returnee(fix.DongwangVillage.ID, "马丽", idNumber("19750505", 71), "13612345678", "2020-02-15")
		in.Observe = &screening.ObservationInput{Kind: "home", Reason: "returnee", BasisDate: "2020-02-15", StartDate: "2020-02-15"}
		c := must(st.Create(ctx, cadre, in))(t)
		rec := must(st.RecordFollowUp(ctx, cadre, screening.FollowUpInput{ObservationID: c.Observation.ID, Day: "2020-02-20", Slot: "pm", Temperature: "38.6"}))(t)
		id := rec.Alert.ID
		must(st.AddAlertEvent(ctx, cadre, id, screening.AlertEventInput{Kind: "notified", At: "2020-02-20T17:00"}))(t)
		must(st.AddAlertEvent(ctx, cadre, id, screening.AlertEventInput{Kind: "transferred", At: "2020-02-20T18:00"}))(t)
		// A village cadre may not record cases: the result is refused as a whole, nothing half-done.
		if _, err := st.AddAlertEvent(ctx, cadre, id, screening.AlertEventInput{Kind: "result", Result: "confirmed", At: "2020-02-21T10:00", CreateCase: true}); fields(err)["create_case"] == "" {
			t.Fatalf("cadre creating a case: %v", err)
		}
		a := must(st.AddAlertEvent(ctx, cmd, id, screening.AlertEventInput{Kind: "result", Result: "confirmed", At: "2020-02-21T10:00",
			Hospital: "邢台市定点救治医院", CreateCase: true}))(t)
		if a.CaseID == 0 || a.Stage != screening.StageClosed {
			t.Fatalf("alert %+v", a)
		}
		var name, status, onset string
		db.R.QueryRow(`SELECT name, status, onset_date FROM cases WHERE id = $1`, a.CaseID).Scan(&name, &status, &onset)
		if name != "马丽" || status != "confirmed" || onset[:10] != "2020-02-20" {
			t.Errorf("case %s %s %s", name, status, onset)
		}
		o := must(st.GetObservation(ctx, cmd, c.Observation.ID))(t)
		if o.Status != screening.Transferred || o.EndDate != storage.MustDate("2020-02-21") {
			t.Errorf("observation %s %s", o.Status, o.EndDate)
		}
	})
}
