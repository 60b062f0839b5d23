package checkpoint_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

var now = time.Date(2020, 2, 22, 10, 0, 0, 0, time.UTC)

func commander(f apptest.Fixture) *auth.Principal {
	return &auth.Principal{Username: "t", Grants: []auth.Grant{{Role: auth.Commander, ScopeKind: auth.ScopeNode, ScopeID: f.County.ID, NodePath: f.County.Path}}}
}

func setup(t *testing.T, db *storage.DB) (*checkpoint.Store, *auth.Principal, checkpoint.Checkpoint, apptest.Fixture) {
	t.Helper()
	fix := apptest.Seed(t, db)
	st := checkpoint.NewStore(db, func() time.Time { return now }, nil, nil)
	p := commander(fix)
	cp, err := st.Create(context.Background(), p, checkpoint.Input{DivisionID: fix.DongwangVillage.ID, Kind: "village", Name: "东汪村北口"})
	if err != nil {
		t.Fatal(err)
	}
	return st, p, cp, fix
}

// TestConcurrentRetriesStoreOnce: many goroutines upload the same passages
// at once (a phone retrying, two phones syncing one queue); each is stored
// once and every answer names the stored id.
func TestConcurrentRetriesStoreOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		st, p, cp, _ := setup(t, db)
		const passages, workers = 40, 16
		ins := make([]checkpoint.PassageInput, passages)
		for i := range ins {
			ins[i] = checkpoint.PassageInput{ClientID: uuid(), CheckpointID: cp.ID, Direction: "in",
				Name: fmt.Sprintf("居民%d", i), Decision: "pass", At: now.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339)}
		}
		ids := make([][]int64, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range ins {
					k := (i + w*7) % passages // each worker in its own order
					if w%2 == 0 {
						res, err := st.RecordBatch(context.Background(), p, []checkpoint.PassageInput{ins[k], ins[(k+1)%passages]})
						if err != nil || res[0].Err != nil {
							t.Errorf("batch: %v %v", err, res)
							return
						}
						ids[w] = append(ids[w], res[0].Passage.ID)
						continue
					}
					got, _, err := st.Record(context.Background(), p, ins[k])
					if err != nil {
						t.Errorf("record: %v", err)
						return
					}
					ids[w] = append(ids[w], got.ID)
				}
			}()
		}
		wg.Wait()
		var n, distinct int
		db.R.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT client_id) FROM passages`).Scan(&n, &distinct)
		if n != passages || distinct != passages {
			t.Errorf("%d rows, %d distinct client ids; want %d", n, distinct, passages)
		}
		var audited int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'passage'`).Scan(&audited)
		if audited < 1 || audited > passages {
			t.Errorf("%d audit entries for %d passages", audited, passages)
		}
	})
}

func TestCoPresence(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		st, p, cp, fix := setup(t, db)
		ctx := context.Background()
		other, err := st.Create(ctx, p, checkpoint.Input{DivisionID: fix.FenghuangVillage.ID, Kind: "road", Name: "凤凰路口"})
		if err != nil {
			t.Fatal(err)
		}
		at := func(m int) string { return now.Add(time.Duration(-600+m) * time.Minute).Format(time.RFC3339) }
		rec := func(cpID int64, id, phone string, m int) {
			_, _, err := st.Record(ctx, p, checkpoint.PassageInput{ClientID: uuid(), CheckpointID: cpID, Direction: "in",
				IDNumber: id, Phone: phone, Decision: "pass", At: at(m)})
			if err != nil {
				t.Fatal(err)
			}
		}
		rec(cp.ID, validID, "", 0)               // the case, at 东汪
		rec(cp.ID, "", "13900000001", 10)        // 10 minutes later: within ±15
		rec(cp.ID, "", "13900000002", -14)       // 14 minutes before: within
		rec(cp.ID, "", "13900000003", 40)        // 40 minutes later: outside
		rec(other.ID, "", "13900000004", 5)      // another checkpoint: outside
		rec(other.ID, validID, "", 300)          // the case again, elsewhere
		rec(other.ID, "", "13900000005", 300+15) // exactly 15 minutes: within
		found, err := st.CoPresence(ctx, p, checkpoint.PersonKey(validID, ""), now.Add(-24*time.Hour), now, 15*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, e := range found {
			got[e.Other.Phone] = e.DeltaSeconds
		}
		want := map[string]int64{"13900000001": 600, "13900000002": -840, "13900000005": 900}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("co-presence %v, want %v", got, want)
		}
		ov, err := st.Overview(ctx, p, storage.MustDate("2020-02-22"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if ov.Total.In != 7 || len(ov.Townships) != 2 || len(ov.Checkpoints) != 2 {
			t.Errorf("overview %+v", ov)
		}
	})
}
