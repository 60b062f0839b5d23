package tracing_test

import (
	"fmt"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage/storagetest"
)

// BenchmarkChainPage renders the chain view of 5,000 cases and 20,000
// contacts (SPEC §14: ≤ 2 s) through the real router on SQLite: the first
// page of chains, and one chain drawn as an SVG. Run with
//
//	go test -run '^$' -bench ChainPage -benchtime 5x ./internal/tracing/
func BenchmarkChainPage(b *testing.B) {
	db := storagetest.SQLite(b)
	srv := apptest.New(b, db)
	fix := srv.Fix
	seedChains(b, db, []int64{fix.DongwangVillage.ID, fix.XiaokouVillage.ID, fix.FenghuangVillage.ID}, 5000, 20000)
	cmd := srv.As(b, apptest.Commander)
	for _, path := range []string{"/tracing/graph", "/tracing/graph?depth=3&page=120", fmt.Sprintf("/tracing/graph?root=%d&depth=3", 1)} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				if res := cmd.Get(path); res.Code != 200 {
					b.Fatalf("%s: %d", path, res.Code)
				}
			}
		})
	}
}

// BenchmarkClusterList computes the clusters of 2020-02-10 (the risk level's
// links, and the list with its new ones) over 5,000 cases and 20,000
// contacts on SQLite, through the real router:
//
//	go test -run '^$' -bench ClusterList -benchtime 5x ./internal/tracing/
func BenchmarkClusterList(b *testing.B) {
	db := storagetest.SQLite(b)
	srv := apptest.New(b, db)
	fix := srv.Fix
	seedChains(b, db, []int64{fix.DongwangVillage.ID, fix.XiaokouVillage.ID, fix.FenghuangVillage.ID}, 5000, 20000)
	cmd := srv.As(b, apptest.Commander)
	for _, path := range []string{"/api/v1/tracing/clusters?date=2020-02-10", "/api/v1/surveillance/summary?date=2020-02-10"} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				if res := cmd.Get(path); res.Code != 200 {
					b.Fatalf("%s: %d", path, res.Code)
				}
			}
		})
	}
}
