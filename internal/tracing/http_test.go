package tracing_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/platform/validate"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
	"fangkong/internal/tracing"
)

func idNumber(seq int) string {
	body := fmt.Sprintf("130528199002%02d%03d", 1+seq%28, seq%1000)
	c, ok := validate.ResidentIDCheckDigit(body)
	if !ok {
		panic(body)
	}
	return body + string(c)
}

// register adds a person to a village through the API.
func register(t *testing.T, c *apptest.Client, div int64, name, id string) int64 {
	t.Helper()
	var cr screening.Created
	res := c.JSON("POST", "/api/v1/persons", screening.PersonInput{DivisionID: div, Name: name, IDNumber: id, Address: "东汪村2号"})
	if res.Code != 201 {
		t.Fatalf("person %s: %d %s", name, res.Code, res.Body)
	}
	res.Decode(t, &cr)
	return cr.Person.ID
}

func TestCloseContactObservationFollowsLastExposure(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		vil := srv.Fix.DongwangVillage.ID
		caseID := idNumber(1)
		if res := cmd.JSON("POST", "/api/v1/cases", surveillance.Input{DivisionID: vil, Name: "病例甲", IDNumber: caseID,
			Origin: "local", Status: "confirmed", StatusDate: "2020-02-05"}); res.Code != 201 {
			t.Fatalf("case: %d %s", res.Code, res.Body)
		}
		source := register(t, cmd, vil, "病例甲", caseID)
		contact := register(t, cmd, vil, "密接乙", idNumber(2))

		// Exposed to themselves: a field error, nothing stored.
		res := cmd.JSON("POST", "/api/v1/tracing/exposures", tracing.ExposureInput{SourceID: source, ContactID: source,
			Kind: "household", Day: "2020-02-03"})
		if res.Code != 422 || !strings.Contains(res.Body, `"contact_id"`) {
			t.Fatalf("self exposure: %d %s", res.Code, res.Body)
		}

		var e tracing.Exposure
		res = cmd.JSON("POST", "/api/v1/tracing/exposures", tracing.ExposureInput{SourceID: source, ContactID: contact,
			Kind: "household", Day: "2020-02-10", Setting: "东汪村2号", Close: true})
		if res.Code != 201 {
			t.Fatalf("exposure: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &e)
		if e.CaseID == 0 || e.ObservationID == 0 || e.ObservationEnd != storage.MustDate("2020-02-24") {
			t.Fatalf("first exposure %+v", e)
		}
		// A later exposure moves the end; an earlier one does not move it back.
		for _, c := range []struct{ day, end string }{{"2020-02-12", "2020-02-26"}, {"2020-02-11", "2020-02-26"}} {
			var e2 tracing.Exposure
			res := cmd.JSON("POST", "/api/v1/tracing/exposures", tracing.ExposureInput{SourceID: source, ContactID: contact,
				Kind: "gathering", Day: c.day, Close: true})
			if res.Code != 201 {
				t.Fatalf("exposure %s: %d %s", c.day, res.Code, res.Body)
			}
			res.Decode(t, &e2)
			var o screening.Observation
			cmd.Get(fmt.Sprintf("/api/v1/observations/%d", e.ObservationID)).Decode(t, &o)
			if e2.ObservationID != e.ObservationID || o.PlannedEnd != storage.MustDate(c.end) || o.BasisDate.IsZero() {
				t.Errorf("after %s: observation %d ends %s, want %s", c.day, o.ID, o.PlannedEnd, c.end)
			}
		}
		// A cadre of another village cannot record an exposure of this contact.
		if res := srv.As(t, apptest.AdminFenghuang).JSON("POST", "/api/v1/tracing/exposures", tracing.ExposureInput{SourceID: source,
			ContactID: contact, Kind: "other", Day: "2020-02-05"}); res.Code != 422 && res.Code != 404 && res.Code != 403 {
			t.Errorf("out of scope: %d %s", res.Code, res.Body)
		}
		// The list carries the observation's current end.
		var list struct{ Items []tracing.Exposure }
		cmd.Get(fmt.Sprintf("/api/v1/tracing/exposures?person=%d", contact)).Decode(t, &list)
		if len(list.Items) != 3 || list.Items[0].ObservationEnd != storage.MustDate("2020-02-26") {
			t.Errorf("list %+v", list.Items)
		}
	})
}

func TestChainGraphModestSize(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		fix := srv.Fix
		seedChains(t, db, []int64{fix.DongwangVillage.ID, fix.XiaokouVillage.ID, fix.FenghuangVillage.ID}, 60, 240)
		cmd := srv.As(t, apptest.Commander)
		var v tracing.GraphView
		res := cmd.Get("/api/v1/tracing/graph")
		if res.Code != 200 {
			t.Fatalf("graph: %d %s", res.Code, res.Body)
		}
		res.Decode(t, &v)
		if v.Cases != 60 || v.Pages != 3 || len(v.PerGen) != 3 || v.PerGen[0] != 60 || v.PerGen[1] != 180 || v.PerGen[2] != 60 {
			t.Fatalf("graph %+v", v.PerGen)
		}
		// Depth 1 collapses the second generation into counts.
		cmd.Get("/api/v1/tracing/graph?depth=1").Decode(t, &v)
		if len(v.Rows) != 20*4 || !v.Rows[1].Collapsed || v.Rows[1].Descendants != 1 {
			t.Errorf("collapsed rows %d %+v", len(v.Rows), v.Rows[1])
		}
		// A township narrows to its chains; a root shows one subtree with an SVG.
		cmd.Get(fmt.Sprintf("/api/v1/tracing/graph?township=%d", fix.Dongwang.ID)).Decode(t, &v)
		if v.Cases != 40 {
			t.Errorf("township cases %d", v.Cases)
		}
		page := cmd.Get(fmt.Sprintf("/tracing/graph?root=%d&depth=3", v.Rows[0].Person))
		if page.Code != 200 || !strings.Contains(page.Body, "<svg") || !strings.Contains(page.Body, "tr-d2") {
			t.Errorf("page: %d", page.Code)
		}
		// Fenghuang's admin sees only Fenghuang's chains.
		srv.As(t, apptest.AdminFenghuang).Get("/api/v1/tracing/graph").Decode(t, &v)
		if v.Cases != 20 || v.Persons != 100 {
			t.Errorf("admin fenghuang: %d cases, %d persons", v.Cases, v.Persons)
		}
		// Every household of the fixture holds one case: no cluster at threshold 2.
		var cl struct{ Items []tracing.Cluster }
		cmd.Get("/api/v1/tracing/clusters?date=2020-02-10").Decode(t, &cl)
		if len(cl.Items) != 0 {
			t.Errorf("clusters %+v", cl.Items)
		}
	})
}
