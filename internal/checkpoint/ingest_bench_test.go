package checkpoint_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"fangkong/internal/checkpoint"
	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// BenchmarkRecord is the ingest path below HTTP: 64 goroutines record one
// passage each, back to back, through the group committer, on both
// databases; ns/op is the wall time per durable passage. It isolates the
// committer from the HTTP stack that `fangkong bench` measures as a whole:
//
//	go test -run '^$' -bench Record -benchtime 20000x ./internal/checkpoint/
func BenchmarkRecord(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", storagetest.SQLite}, {"postgres", storagetest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			cps, store := benchCheckpoints(b, db, 8)
			sys := auth.System("bench")
			ctx := auth.WithPrincipal(context.Background(), sys)
			b.SetParallelism(32) // × GOMAXPROCS 2 = 64 writers, as in `fangkong bench`
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				n := 0
				for pb.Next() {
					n++
					temp := 36.6
					in := checkpoint.PassageInput{ClientID: uuid7(), CheckpointID: cps[n%len(cps)], Direction: "in",
						Name: "张三", IDNumber: benchIDs[n%len(benchIDs)], Plate: "京A12345", Temperature: &temp,
						From: "石家庄", To: "东汪村", Purpose: "返乡", Decision: "pass"}
					if _, _, err := store.Record(ctx, sys, in); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// benchIDs are valid ID numbers of different people, so the person index
// takes inserts at many places, as in a real county.
var benchIDs = []string{"130528198001010016", "11010519491231002X", "440524198801010011", "130528199003070017", "130528198511111239", "130528197005054564"}

func benchCheckpoints(b *testing.B, db *storage.DB, n int) ([]int64, *checkpoint.Store) {
	b.Helper()
	sys := auth.System("bench")
	ctx := auth.WithPrincipal(context.Background(), sys)
	orgs := &org.Store{DB: db}
	county, err := orgs.Save(ctx, sys, org.Node{Code: "130528", NameZH: "宁晋县"})
	if err != nil {
		b.Fatal(err)
	}
	town, err := orgs.Save(ctx, sys, org.Node{ParentID: county.ID, Code: "130528104", NameZH: "东汪镇"})
	if err != nil {
		b.Fatal(err)
	}
	village, err := orgs.Save(ctx, sys, org.Node{ParentID: town.ID, Code: "130528104201", NameZH: "东汪村"})
	if err != nil {
		b.Fatal(err)
	}
	store := checkpoint.NewStore(db, nil, nil, nil)
	var ids []int64
	for i := range n {
		c, err := store.Create(ctx, sys, checkpoint.Input{DivisionID: village.ID, Kind: "village", Name: fmt.Sprintf("卡口%d", i+1)})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids, store
}

// uuid7 is a time-ordered UUID (RFC 9562 version 7), what the capture page
// generates: 48 bits of Unix milliseconds, then random bits.
func uuid7() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	ms := uint64(time.Now().UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
