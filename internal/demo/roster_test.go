package demo

import (
	"context"
	"testing"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestRosters: every demo checkpoint is rostered round the clock for the
// weeks before the report with no gap and no rule broken, and on the
// report's day every staffed checkpoint has someone checked in.
func TestRosters(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		sum := load(t, db)
		if sum.Count("understaffed shifts") != 0 || sum.Count("duties rostered (27 Jan – 23 Feb)") < 1000 {
			t.Errorf("summary %+v", sum.Counts)
		}
		ctx := context.Background()
		st := checkpoint.NewStore(db, nil, nil, nil)
		cmd := login(t, db, "commander")
		cps, err := st.List(ctx, cmd, 0)
		if err != nil {
			t.Fatal(err)
		}
		mon := storage.MustDate("2020-02-17")
		for _, c := range cps {
			r, err := st.Roster(ctx, cmd, c.ID, mon, mon.AddDays(6))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Shifts) == 0 || r.Gaps != 0 || r.Breaks != 0 {
				t.Errorf("%s: %d shifts, %d gaps, %d breaks", c.Name, len(r.Shifts), r.Gaps, r.Breaks)
			}
		}
		f, err := st.DutyFigures(ctx, cmd, storage.MustDate(AsOf))
		if err != nil {
			t.Fatal(err)
		}
		if f.GapsNow != 0 || f.GapsNext != 0 || len(f.Unattended) != 0 {
			t.Errorf("figures on %s: %+v", AsOf, f)
		}
	})
}
