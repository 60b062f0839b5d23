package enterprise_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/enterprise"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/validate"
)

// creditCode makes the n-th valid test credit code (GB 32100 check character).
func creditCode(n int) string {
	body := fmt.Sprintf("91130528MA%07d", n)
	c, ok := validate.CreditCodeCheckChar(body)
	if !ok {
		panic(body)
	}
	return body + string(c)
}

func newEnterprise(div int64, name string, n int, above bool, employees int) map[string]any {
	return map[string]any{"division_id": div, "name": name, "credit_code": creditCode(n), "industry": "machinery",
		"address": "宁晋县工业园区", "above_size": above, "key_project": false, "employees": employees,
		"principal": "王建国", "officer": "李红", "officer_phone": "13931900001"}
}

func register(t *testing.T, c *apptest.Client, body map[string]any) int64 {
	t.Helper()
	res := c.JSON("POST", "/api/v1/enterprises", body)
	if res.Code != 201 {
		t.Fatalf("register %v: %d %s", body["name"], res.Code, res.Body)
	}
	var e enterprise.Enterprise
	res.Decode(t, &e)
	return e.ID
}

// filingBody is a complete filing planned for the given day.
func filingBody(planned string) map[string]any {
	var ms []map[string]any
	for _, m := range enterprise.Measures {
		ms = append(ms, map[string]any{"measure": m, "done": true, "note": "已落实"})
	}
	return map[string]any{"planned_date": planned, "measures": ms, "expected_local": 80, "expected_outside": 20,
		"expected_key_regions": 0, "masks_days": 15, "thermometers": 10, "disinfectant_days": 20,
		"isolation_area": true, "isolation_note": "门卫室东侧两间"}
}

func file(t *testing.T, c *apptest.Client, id int64, planned string) int64 {
	t.Helper()
	res := c.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings", id), filingBody(planned))
	if res.Code != 201 {
		t.Fatalf("file %d: %d %s", id, res.Code, res.Body)
	}
	var f enterprise.Filing
	res.Decode(t, &f)
	return f.ID
}

// step posts a review or decision and expects status 200.
func step(t *testing.T, c *apptest.Client, id, fid int64, kind, action, reasons string) enterprise.Filing {
	t.Helper()
	res := c.JSON("POST", fmt.Sprintf("/api/v1/enterprises/%d/filings/%d/%s", id, fid, kind),
		map[string]string{"action": action, "reasons": reasons})
	if res.Code != 200 {
		t.Fatalf("%s %s %d/%d: %d %s", kind, action, id, fid, res.Code, res.Body)
	}
	var f enterprise.Filing
	res.Decode(t, &f)
	return f
}

func stats(t *testing.T, c *apptest.Client, day string) enterprise.Stats {
	t.Helper()
	res := c.Get("/api/v1/enterprises/stats?date=" + day)
	if res.Code != 200 {
		t.Fatalf("stats %s: %d %s", day, res.Code, res.Body)
	}
	var st enterprise.Stats
	res.Decode(t, &st)
	return st
}

// addUser creates an account holding one grant (test setup, not scenario data).
func addUser(t *testing.T, srv *apptest.Server, name string, role auth.Role, kind auth.ScopeKind, id int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := srv.App.Env.Auth.CreateUser(ctx, auth.NewUser{Username: name, Password: apptest.Password, Lang: i18n.ZH}); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Env.Auth.AddGrant(ctx, name, auth.Grant{Role: role, ScopeKind: kind, ScopeID: id}); err != nil {
		t.Fatal(err)
	}
}

// clock is a settable test clock, safe to read from the server's goroutines.
type clock struct{ unix atomic.Int64 }

// set moves the clock to 10:00 in the county (02:00 UTC) of day.
func (c *clock) set(day string) {
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		panic(err)
	}
	c.unix.Store(d.Add(2 * time.Hour).Unix())
}

func (c *clock) now() time.Time { return time.Unix(c.unix.Load(), 0).UTC() }

// assertStatus requires a problem+json with the given status.
func assertStatus(t *testing.T, res apptest.Response, code int) {
	t.Helper()
	if res.Code != code || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("want %d problem+json, got %d %s %s", code, res.Code, res.Header.Get("Content-Type"), res.Body)
	}
}
