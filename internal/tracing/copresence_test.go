package tracing_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
	"fangkong/internal/tracing"
)

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// coWorld is a case at 东汪村 with its person in the register, a checkpoint
// at its entrance and, on 2020-02-20, the case's passage at 08:00 (county
// time) and others around it.
type coWorld struct {
	srv                 *apptest.Server
	cmd                 *apptest.Client
	caseID, casePerson  int64
	a, b, d, e          int64 // persons of the register who passed
	passageA, passageB  int64
	passageD, passageE  int64
	checkpoint          int64
	unregisteredPhone   string
	caseIDNumber, phone string
}

func newCoWorld(t *testing.T, db *storage.DB) coWorld {
	t.Helper()
	srv := apptest.New(t, db)
	cmd := srv.As(t, apptest.Commander)
	fix := srv.Fix
	w := coWorld{srv: srv, cmd: cmd, caseIDNumber: idNumber(31), phone: "13800000031", unregisteredPhone: "13900000099"}
	var c struct{ ID int64 }
	res := cmd.JSON("POST", "/api/v1/cases", surveillance.Input{DivisionID: fix.DongwangVillage.ID, Name: "病例甲",
		IDNumber: w.caseIDNumber, Phone: w.phone, Origin: "local", Status: "confirmed", StatusDate: "2020-02-21", OnsetDate: "2020-02-19"})
	if res.Code != 201 {
		t.Fatalf("case: %d %s", res.Code, res.Body)
	}
	res.Decode(t, &c)
	w.caseID = c.ID
	w.casePerson = register(t, cmd, fix.DongwangVillage.ID, "病例甲", w.caseIDNumber)
	w.a = register(t, cmd, fix.DongwangVillage.ID, "张三", idNumber(32))
	w.b = registerPhone(t, cmd, fix.XiaokouVillage.ID, "李四", idNumber(33), "13900000033")
	w.d = register(t, cmd, fix.DongwangVillage.ID, "王五", idNumber(34))
	w.e = register(t, cmd, fix.FenghuangVillage.ID, "赵六", idNumber(35))
	var cp checkpoint.Checkpoint
	res = cmd.JSON("POST", "/api/v1/checkpoints", checkpoint.Input{DivisionID: fix.DongwangVillage.ID, Kind: "village", Name: "东汪村北口"})
	if res.Code != 201 {
		t.Fatalf("checkpoint: %d %s", res.Code, res.Body)
	}
	res.Decode(t, &cp)
	w.checkpoint = cp.ID
	pass := func(id, phone, at, dir string) int64 {
		t.Helper()
		var p checkpoint.Passage
		res := cmd.JSON("POST", "/api/v1/passages", checkpoint.PassageInput{ClientID: uuid(), CheckpointID: cp.ID, At: at,
			Direction: dir, IDNumber: id, Phone: phone, Decision: "pass"})
		if res.Code != 201 {
			t.Fatalf("passage %s%s: %d %s", id, phone, res.Code, res.Body)
		}
		res.Decode(t, &p)
		return p.ID
	}
	pass(w.caseIDNumber, "", "2020-02-20T08:00:00+08:00", "out")            // the case
	pass("", w.phone, "2020-02-20T08:02:00+08:00", "in")                    // the case again, by phone: the case's too
	w.passageA = pass(idNumber(32), "", "2020-02-20T08:10:00+08:00", "in")  // 10 minutes after
	pass(idNumber(32), "", "2020-02-20T08:14:00+08:00", "out")              // and again: one suggestion
	w.passageB = pass("", "13900000033", "2020-02-20T07:50:00+08:00", "in") // by phone only
	pass("", w.unregisteredPhone, "2020-02-20T08:05:00+08:00", "in")        // not in the register
	w.passageD = pass(idNumber(34), "", "2020-02-20T08:40:00+08:00", "in")  // 40 minutes after: outside ±15
	w.passageE = pass(idNumber(35), "", "2020-02-20T08:12:00+08:00", "in")  // registered in Fenghuang
	return w
}

func registerPhone(t *testing.T, c *apptest.Client, div int64, name, id, phone string) int64 {
	t.Helper()
	var cr screening.Created
	res := c.JSON("POST", "/api/v1/persons", screening.PersonInput{DivisionID: div, Name: name, IDNumber: id, Phone: phone, Address: "洨口村5号"})
	if res.Code != 201 {
		t.Fatalf("person %s: %d %s", name, res.Code, res.Body)
	}
	res.Decode(t, &cr)
	return cr.Person.ID
}

func suggestions(t *testing.T, c *apptest.Client, caseID int64, query string) tracing.CoPresence {
	t.Helper()
	var cp tracing.CoPresence
	res := c.Get(fmt.Sprintf("/api/v1/tracing/cases/%d/copresence%s", caseID, query))
	if res.Code != 200 {
		t.Fatalf("co-presence %s: %d %s", query, res.Code, res.Body)
	}
	res.Decode(t, &cp)
	return cp
}

// who lists the suggestions by person id (0 for someone not in the register).
func who(cp tracing.CoPresence) []int64 {
	var out []int64
	for _, s := range cp.Items {
		out = append(out, s.PersonID)
	}
	slices.Sort(out)
	return out
}

func TestCheckpointCoPresence(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newCoWorld(t, db)
		cmd := w.cmd
		cp := suggestions(t, cmd, w.caseID, "")
		if cp.WindowMinutes != 15 || cp.Case.PersonID != w.casePerson || cp.Case.From.String() != "2020-02-05" || cp.Case.To.String() != "2020-02-21" {
			t.Fatalf("case %+v window %d", cp.Case, cp.WindowMinutes)
		}
		if got, want := fmt.Sprint(who(cp)), fmt.Sprint([]int64{0, w.a, w.b, w.e}); got != want {
			t.Fatalf("suggested %s, want %s: %+v", got, want, cp.Items)
		}
		for _, s := range cp.Items {
			if !strings.Contains(s.Name+s.IDNumber+s.Phone, "*") || strings.Contains(s.IDNumber, idNumber(32)) {
				t.Errorf("not masked: %+v", s)
			}
			switch s.PersonID {
			case w.a:
				// Nearest to the case's 08:02 passage (under its phone).
				if s.More != 1 || s.PassageID != w.passageA || s.DeltaSeconds != 480 || s.Checkpoint != "东汪村北口" ||
					s.Direction != "in" || s.CaseDirection != "in" || !s.Recordable || s.PeriodOver || s.Day.String() != "2020-02-20" {
					t.Errorf("A: %+v", s)
				}
			case 0:
				if s.Recordable {
					t.Errorf("someone not in the register is recordable: %+v", s)
				}
			}
		}
		// A wider window reaches D; a window is 1..120 minutes.
		if got := who(suggestions(t, cmd, w.caseID, "?window=45")); !slices.Contains(got, w.d) {
			t.Errorf("window 45: %v", got)
		}
		for _, bad := range []string{"?window=0", "?window=121", "?window=x"} {
			if res := cmd.Get(fmt.Sprintf("/api/v1/tracing/cases/%d/copresence%s", w.caseID, bad)); res.Code != 422 || !strings.Contains(res.Body, `"window"`) {
				t.Errorf("%s: %d %s", bad, res.Code, res.Body)
			}
		}
		// The county's setting moves the default window.
		if err := (&settings.Store{DB: db}).Set(context.Background(), tracing.SettingCoPresenceWindow, "45"); err != nil {
			t.Fatal(err)
		}
		if cp := suggestions(t, cmd, w.caseID, ""); cp.WindowMinutes != 45 || !slices.Contains(who(cp), w.d) {
			t.Errorf("setting 45: %d %v", cp.WindowMinutes, who(cp))
		}
		if err := (&settings.Store{DB: db}).Set(context.Background(), tracing.SettingCoPresenceWindow, "15"); err != nil {
			t.Fatal(err)
		}

		t.Run("scope", func(t *testing.T) {
			// Fenghuang's admin cannot see a Dongwang case: 404.
			res := w.srv.As(t, apptest.AdminFenghuang).Get(fmt.Sprintf("/api/v1/tracing/cases/%d/copresence", w.caseID))
			if res.Code != 404 {
				t.Errorf("Fenghuang admin: %d", res.Code)
			}
			// Dongwang's admin sees E passing, but E's record is in Fenghuang: not theirs to name or record.
			cp := suggestions(t, w.srv.As(t, apptest.AdminDongwang), w.caseID, "")
			if got, want := fmt.Sprint(who(cp)), fmt.Sprint([]int64{0, 0, w.a, w.b}); got != want {
				t.Errorf("Dongwang admin: %s, want %s", got, want)
			}
			// A leader reads suggestions but may not record them.
			if res := w.srv.As(t, apptest.Leader).JSON("POST", fmt.Sprintf("/api/v1/tracing/cases/%d/copresence", w.caseID),
				tracing.CoPresenceInput{Items: []tracing.CoPresencePick{{ContactID: w.a, PassageID: w.passageA}}}); res.Code != 403 {
				t.Errorf("leader records: %d", res.Code)
			}
		})

		t.Run("record", func(t *testing.T) {
			path := fmt.Sprintf("/api/v1/tracing/cases/%d/copresence", w.caseID)
			// Someone who did not pass with the case, or outside the window, cannot be recorded.
			res := cmd.JSON("POST", path, tracing.CoPresenceInput{Items: []tracing.CoPresencePick{
				{ContactID: w.a, PassageID: w.passageA}, {ContactID: w.d, PassageID: w.passageD}}})
			if res.Code != 422 || !strings.Contains(res.Body, `"items.1.passage_id"`) || strings.Contains(res.Body, `"items.0`) {
				t.Fatalf("a bad pick: %d %s", res.Code, res.Body)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM tracing_exposures`); n != 0 {
				t.Fatalf("a rejected request stored %d exposures", n)
			}
			var out struct{ Items []tracing.Exposure }
			res = cmd.JSON("POST", path, tracing.CoPresenceInput{Items: []tracing.CoPresencePick{
				{ContactID: w.a, PassageID: w.passageA}, {ContactID: w.b, PassageID: w.passageB}}})
			if res.Code != 201 {
				t.Fatalf("record: %d %s", res.Code, res.Body)
			}
			res.Decode(t, &out)
			if len(out.Items) != 2 {
				t.Fatalf("recorded %+v", out.Items)
			}
			for _, e := range out.Items {
				if e.Kind != tracing.Checkpoint || !e.Close || e.SourceID != w.casePerson || e.CaseID != w.caseID ||
					e.Day.String() != "2020-02-20" || e.ObservationID == 0 || e.ObservationEnd.String() != "2020-03-05" ||
					!strings.HasPrefix(e.Setting, "东汪村北口 02-20 08:0") {
					t.Errorf("exposure %+v", e)
				}
			}
			// Recorded: no longer suggested, and not recordable again.
			if got := who(suggestions(t, cmd, w.caseID, "")); slices.Contains(got, w.a) || slices.Contains(got, w.b) || !slices.Contains(got, w.e) {
				t.Errorf("after recording: %v", got)
			}
			res = cmd.JSON("POST", path, tracing.CoPresenceInput{Items: []tracing.CoPresencePick{{ContactID: w.a, PassageID: w.passageA}}})
			if res.Code != 422 {
				t.Errorf("again: %d %s", res.Code, res.Body)
			}
			if res := cmd.JSON("POST", path, tracing.CoPresenceInput{}); res.Code != 422 || !strings.Contains(res.Body, `"items"`) {
				t.Errorf("none: %d %s", res.Code, res.Body)
			}
			// A's observation runs 14 days from the co-presence.
			var o screening.Observation
			cmd.Get(fmt.Sprintf("/api/v1/observations/%d", out.Items[0].ObservationID)).Decode(t, &o)
			if o.PersonID != w.a || o.PlannedEnd.String() != "2020-03-05" {
				t.Errorf("observation %+v", o)
			}
		})

		t.Run("page", func(t *testing.T) {
			page := cmd.Get(fmt.Sprintf("/tracing/cases/%d", w.caseID))
			if page.Code != 200 || !strings.Contains(page.Body, "东汪村北口") || !strings.Contains(page.Body, fmt.Sprintf(`value="%d:%d"`, w.e, w.passageE)) ||
				strings.Contains(page.Body, "赵六") || strings.Contains(page.Body, idNumber(35)) || strings.Contains(page.Body, w.unregisteredPhone) {
				t.Fatalf("page: %d", page.Code)
			}
			res := cmd.Form(fmt.Sprintf("/tracing/cases/%d/copresence", w.caseID), url.Values{"pick": {fmt.Sprintf("%d:%d", w.e, w.passageE)}, "window": {"15"}})
			if res.Code != 303 {
				t.Fatalf("post: %d %s", res.Code, res.Body)
			}
			if n := count(t, db, fmt.Sprintf(`SELECT COUNT(*) FROM tracing_exposures WHERE contact_id = %d AND kind = 'checkpoint'`, w.e)); n != 1 {
				t.Errorf("E recorded %d times", n)
			}
			// A stale pick re-renders the page with the message, nothing lost.
			res = cmd.Form(fmt.Sprintf("/tracing/cases/%d/copresence", w.caseID), url.Values{"pick": {fmt.Sprintf("%d:%d", w.e, w.passageE)}})
			if res.Code != 422 || !strings.Contains(res.Body, "已不在建议名单中") {
				t.Errorf("stale post: %d", res.Code)
			}
		})
	})
}

func count(t *testing.T, db *storage.DB, q string) int {
	t.Helper()
	var n int
	if err := db.R.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
