package checkpoint_test

import (
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/web"
)

// validID is a GB 11643 number with a correct check digit.
const validID = "130528198001010016"

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// world is the fixture plus two checkpoints: #1 at 东汪村 (the fixture's
// checkpoint-1 account works there) and #2 at 凤凰村.
type world struct {
	srv            *apptest.Server
	cmd            *apptest.Client
	dongwang, feng checkpoint.Checkpoint
}

func newWorld(t *testing.T, srv *apptest.Server) world {
	t.Helper()
	w := world{srv: srv, cmd: srv.As(t, apptest.Commander)}
	w.dongwang = createCheckpoint(t, w.cmd, srv.Fix.DongwangVillage.ID, "东汪村北口", "village")
	w.feng = createCheckpoint(t, w.cmd, srv.Fix.FenghuangVillage.ID, "凤凰村东口", "village")
	if w.dongwang.ID != 1 {
		t.Fatalf("the fixture's checkpoint-1 account needs checkpoint #1, got %d", w.dongwang.ID)
	}
	return w
}

func createCheckpoint(t *testing.T, c *apptest.Client, div int64, name, kind string) checkpoint.Checkpoint {
	t.Helper()
	res := c.JSON("POST", "/api/v1/checkpoints", map[string]any{"division_id": div, "name": name, "kind": kind})
	if res.Code != 201 {
		t.Fatalf("create checkpoint: %d %s", res.Code, res.Body)
	}
	var cp checkpoint.Checkpoint
	res.Decode(t, &cp)
	return cp
}

// passage is a valid passage body at checkpoint cp, an hour before the
// test servers' "now" (2020-02-22 10:00 UTC).
func passage(cp int64) map[string]any {
	return map[string]any{"client_id": uuid(), "checkpoint_id": cp, "at": "2020-02-22T08:00:00Z", "direction": "in",
		"name": "王五", "id_number": validID, "phone": "13812345678", "plate": "冀E12345", "temperature": 36.5,
		"from": "石家庄", "to": "东汪村", "purpose": "返乡", "decision": "pass"}
}

func assertProblem(t *testing.T, pr *web.Problem, status int, fields ...string) {
	t.Helper()
	if pr == nil || pr.Status != status {
		t.Fatalf("want problem %d, got %+v", status, pr)
	}
	got := map[string]bool{}
	for _, f := range pr.Errors {
		got[f.Field] = true
		if f.Detail == "" || f.Detail == f.Key {
			t.Errorf("field %s has no translated message", f.Field)
		}
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("field %q not reported: %+v", f, pr.Errors)
		}
	}
}

func assertResponse(t *testing.T, res apptest.Response, status int, fields ...string) {
	t.Helper()
	if res.Code != status {
		t.Fatalf("want %d, got %d %s", status, res.Code, res.Body)
	}
	if status >= 400 {
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("not problem+json: %s", res.Header.Get("Content-Type"))
		}
		var pr web.Problem
		res.Decode(t, &pr)
		assertProblem(t, &pr, status, fields...)
	}
}
