package demo

import (
	"context"
	"testing"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestCheckpoints: the demo's checkpoints carry three weeks of passages with
// persuaded returns and external vehicles, and checkpoint-dongwang records
// only at 东汪村's two entrances.
func TestCheckpoints(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		sum := load(t, db)
		if sum.Count("passages logged (since 1 February)") < 2000 || sum.Count("of them persuaded to return") == 0 ||
			sum.Count("of them external vehicles") == 0 {
			t.Errorf("summary %+v", sum.Counts)
		}
		ctx := context.Background()
		st := checkpoint.NewStore(db, nil, nil, nil)
		ov, err := st.Overview(ctx, login(t, db, "commander"), storage.MustDate(AsOf), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ov.Checkpoints) != 11 || ov.Total.Passages == 0 || ov.Total.External == 0 {
			t.Errorf("overview on %s: %d checkpoints, %+v", AsOf, len(ov.Checkpoints), ov.Total)
		}
		staff := login(t, db, "checkpoint-dongwang")
		mine, err := st.List(ctx, staff, 0)
		if err != nil || len(mine) != 2 || mine[0].DivisionName != "东汪村" || mine[1].DivisionName != "东汪村" {
			t.Fatalf("checkpoint-dongwang sees %+v (%v)", mine, err)
		}
		var other int64
		for _, c := range ov.Checkpoints {
			if c.Checkpoint.DivisionName != "东汪村" {
				other = c.Checkpoint.ID
			}
		}
		in := checkpoint.PassageInput{ClientID: "0f8fad5b-d9cb-469f-a165-70867728950e", CheckpointID: other, Direction: "in",
			Name: "张三", Decision: "pass"}
		if _, _, err := st.Record(ctx, staff, in); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("another checkpoint: %v", err)
		}
		in.CheckpointID = mine[0].ID
		if _, _, err := st.Record(ctx, staff, in); err != nil {
			t.Errorf("own checkpoint: %v", err)
		}
		if !auth.CheckpointStaff.Has(auth.PermPassageWrite) {
			t.Error("checkpoint staff cannot record passages")
		}
	})
}
