package demo

import (
	"context"
	"testing"

	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
)

// TestScreeningStory: the returnees' observations end on the right days,
// follow-ups have a few gaps, one fever went through its transfer and was
// ruled out, and the dashboard figures come from these records.
func TestScreeningStory(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		load(t, db)
		ctx := context.Background()
		asOf := storage.MustDate(AsOf)
		var badEnd, overdue, returneesN, missing int
		db.R.QueryRow(`SELECT COUNT(*) FROM observations WHERE status = 'released' AND end_date <> planned_end`).Scan(&badEnd)
		db.R.QueryRow(`SELECT COUNT(*) FROM observations WHERE status = 'active' AND planned_end <= $1`, asOf).Scan(&overdue)
		db.R.QueryRow(`SELECT COUNT(*) FROM persons WHERE tags LIKE '%,returnee,%'`).Scan(&returneesN)
		if badEnd != 0 || overdue != 0 || returneesN < returnees {
			t.Errorf("%d released off their day, %d overdue, %d returnees", badEnd, overdue, returneesN)
		}
		// Every observation day has two follow-ups but a few: count the gaps.
		db.R.QueryRow(`SELECT COUNT(*) FROM followups`).Scan(&missing)
		if missing < 40_000 {
			t.Errorf("only %d follow-ups", missing)
		}
		st := &screening.Store{DB: db, Today: func() storage.Date { return asOf.AddDays(1) }}
		cmd := login(t, db, "commander")
		ov, err := st.Overview(ctx, cmd, asOf, 0)
		if err != nil {
			t.Fatal(err)
		}
		tot := ov.Total
		if tot.UnderHome < 300 || tot.Released == 0 || tot.New == 0 || tot.Missed == 0 || tot.Missed > 50 || tot.OpenAlerts != 0 ||
			tot.HouseholdsVisited == 0 || len(ov.Rows) != 18 {
			t.Errorf("22 February: %+v, %d rows", tot, len(ov.Rows))
		}
		feb17 := storage.MustDate("2020-02-17")
		alerts, err := st.Alerts(ctx, cmd, screening.AlertFilter{Date: feb17, State: screening.AlertsOpened})
		if err != nil || len(alerts.Items) != 1 {
			t.Fatalf("fever alerts on the 17th: %v %+v", err, alerts.Items)
		}
		a, err := st.GetAlert(ctx, cmd, alerts.Items[0].ID)
		if err != nil || a.Result != screening.RuledOut || len(a.Events) != 4 || a.ClosedOn != storage.MustDate("2020-02-18") {
			t.Errorf("the fever: %v %+v", err, a)
		}
		if o, err := st.GetObservation(ctx, cmd, a.ObservationID); err != nil || o.Status != screening.Active {
			t.Errorf("after the fever was ruled out the observation goes on: %v %s", err, o.Status)
		}
		if ov, _ := st.Overview(ctx, cmd, feb17, 0); ov.Total.OpenAlerts != 1 {
			t.Errorf("17 February: %d open alerts", ov.Total.OpenAlerts)
		}
		cadre := login(t, db, "cadre-dongwang")
		q, err := st.Queue(ctx, cadre, screening.QueueFilter{})
		if err != nil || len(q.Items) != 4 {
			t.Errorf("东汪村's queue: %v %d", err, len(q.Items))
		}
	})
}
