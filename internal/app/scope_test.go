package app_test

import (
	"fmt"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestScopeForEveryRole is the territorial-access matrix: for each fixture
// account, what its case list holds, and what a direct id answers for a case,
// an org node and the audit log, in 凤凰镇 and in 东汪镇.
func TestScopeForEveryRole(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		caseFH := createCase(t, cmd, srv.Fix.FenghuangVillage.ID)
		caseDW := createCase(t, cmd, srv.Fix.DongwangVillage.ID)
		type want struct {
			list         int // cases listed; -1: the list answers 403
			fh, dw       int // status of GET /api/v1/cases/{id}
			nodeFH       int // GET /api/v1/org/nodes/{凤凰镇}
			nodeDW       int // GET /api/v1/org/nodes/{东汪村}
			audit        int // GET /api/v1/audit status
			auditEntries int // case entries the audit list holds
		}
		cases := map[string]want{
			apptest.Commander:        {2, 200, 200, 200, 200, 403, 0},
			apptest.Leader:           {2, 200, 200, 200, 200, 403, 0},
			apptest.Auditor:          {2, 200, 200, 200, 200, 200, 2},
			apptest.Inspector:        {-1, 403, 403, 200, 200, 403, 0},
			apptest.AdminFenghuang:   {1, 200, 404, 200, 404, 403, 0},
			apptest.AdminDongwang:    {1, 404, 200, 404, 200, 403, 0},
			apptest.CadreDongwang:    {1, 404, 200, 404, 200, 403, 0},
			apptest.AuditorDongwang:  {1, 404, 200, 404, 200, 200, 1},
			apptest.CheckpointStaff:  {-1, 403, 403, 404, 404, 403, 0},
			apptest.SiteStaff:        {-1, 403, 403, 404, 404, 403, 0},
			apptest.DeptOfficer:      {-1, 403, 403, 404, 404, 403, 0},
			apptest.EnterpriseOfficr: {-1, 403, 403, 403, 403, 403, 0},
		}
		for user, w := range cases {
			t.Run(user, func(t *testing.T) {
				c := srv.As(t, user)
				var pg struct{ Items []struct{ ID int64 } }
				res := c.Get("/api/v1/cases")
				switch {
				case w.list < 0 && res.Code != 403:
					t.Errorf("case list: %d, want 403", res.Code)
				case w.list >= 0:
					res.Decode(t, &pg)
					if len(pg.Items) != w.list {
						t.Errorf("case list holds %d, want %d", len(pg.Items), w.list)
					}
				}
				check := func(what, path string, status int) {
					if got := c.Get(path).Code; got != status {
						t.Errorf("%s: %d, want %d", what, got, status)
					}
				}
				check("case in 凤凰镇", fmt.Sprintf("/api/v1/cases/%d", caseFH), w.fh)
				check("case in 东汪镇", fmt.Sprintf("/api/v1/cases/%d", caseDW), w.dw)
				check("node 凤凰镇", fmt.Sprintf("/api/v1/org/nodes/%d", srv.Fix.Fenghuang.ID), w.nodeFH)
				check("node 东汪村", fmt.Sprintf("/api/v1/org/nodes/%d", srv.Fix.DongwangVillage.ID), w.nodeDW)
				res = c.Get("/api/v1/audit?entity=case&action=create")
				if res.Code != w.audit {
					t.Fatalf("audit: %d, want %d", res.Code, w.audit)
				}
				if w.audit == 200 {
					var ap struct{ Items []any }
					res.Decode(t, &ap)
					if len(ap.Items) != w.auditEntries {
						t.Errorf("audit holds %d case entries, want %d", len(ap.Items), w.auditEntries)
					}
				}
			})
		}
	})
}

func createCase(t *testing.T, c *apptest.Client, division int64) int64 {
	t.Helper()
	res := c.JSON("POST", "/api/v1/cases", map[string]any{"division_id": division, "name": "测试", "status": "confirmed", "status_date": "2020-02-05"})
	if res.Code != 201 {
		t.Fatalf("create: %d %s", res.Code, res.Body)
	}
	var out struct{ ID int64 }
	res.Decode(t, &out)
	return out.ID
}
