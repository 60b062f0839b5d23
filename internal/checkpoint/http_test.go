package checkpoint_test

import (
	"fmt"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestCheckpointsAndScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, apptest.New(t, db))
		list := func(user string) []int64 {
			var out struct{ Items []checkpoint.Checkpoint }
			w.srv.As(t, user).Get("/api/v1/checkpoints").Decode(t, &out)
			var ids []int64
			for _, c := range out.Items {
				ids = append(ids, c.ID)
			}
			return ids
		}
		if got := fmt.Sprint(list(apptest.AdminFenghuang)); got != fmt.Sprint([]int64{w.feng.ID}) {
			t.Errorf("凤凰镇 admin sees %s", got)
		}
		if got := fmt.Sprint(list(apptest.CheckpointStaff)); got != "[1]" {
			t.Errorf("checkpoint-1 sees %s", got)
		}
		if got := list(apptest.Commander); len(got) != 2 {
			t.Errorf("commander sees %v", got)
		}
		staff := w.srv.As(t, apptest.CheckpointStaff)
		if res := staff.Get(fmt.Sprintf("/api/v1/checkpoints/%d", w.feng.ID)); res.Code != 404 {
			t.Errorf("another checkpoint: %d", res.Code)
		}
		res := w.srv.As(t, apptest.AdminFenghuang).JSON("POST", "/api/v1/checkpoints",
			map[string]any{"division_id": w.srv.Fix.DongwangVillage.ID, "name": "x", "kind": "road"})
		assertResponse(t, res, 422, "division_id")
		res = w.cmd.JSON("POST", "/api/v1/checkpoints", map[string]any{"division_id": w.srv.Fix.DongwangVillage.ID,
			"name": "", "kind": "castle", "hours_from": "25:00", "hours_to": "07:00"})
		assertResponse(t, res, 422, "name", "kind", "hours_from")
		upd := map[string]any{"division_id": w.dongwang.DivisionID, "name": "东汪村北口", "kind": "village",
			"hours_from": "06:00", "hours_to": "22:00", "status": "open", "version": w.dongwang.Version}
		assertResponse(t, w.cmd.JSON("PUT", "/api/v1/checkpoints/1", upd), 200)
		assertResponse(t, w.cmd.JSON("PUT", "/api/v1/checkpoints/1", upd), 409)
	})
}

func TestRecordOnePassage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, apptest.New(t, db))
		staff := w.srv.As(t, apptest.CheckpointStaff)
		body := passage(w.dongwang.ID)
		res := staff.JSON("POST", "/api/v1/passages", body)
		assertResponse(t, res, 201)
		var first checkpoint.Passage
		res.Decode(t, &first)
		if first.ID == 0 || first.External || first.Name != "王*" || first.RecordedBy != apptest.CheckpointStaff {
			t.Errorf("stored %+v", first)
		}
		t.Run("a retry answers 200 with the same passage", func(t *testing.T) {
			res := staff.JSON("POST", "/api/v1/passages", body)
			assertResponse(t, res, 200)
			var again checkpoint.Passage
			res.Decode(t, &again)
			if again.ID != first.ID {
				t.Errorf("retry stored anew: %d vs %d", again.ID, first.ID)
			}
		})
		t.Run("the same client id with other content is refused, the first kept", func(t *testing.T) {
			other := passage(w.dongwang.ID)
			other["client_id"], other["decision"] = body["client_id"], "return"
			assertResponse(t, staff.JSON("POST", "/api/v1/passages", other), 409)
			var dec string
			db.R.QueryRow(`SELECT decision FROM passages WHERE client_id = $1`, body["client_id"]).Scan(&dec)
			if dec != "pass" {
				t.Errorf("first passage changed to %q", dec)
			}
		})
		t.Run("a checkpoint account cannot write at another checkpoint", func(t *testing.T) {
			assertResponse(t, staff.JSON("POST", "/api/v1/passages", passage(w.feng.ID)), 403)
			assertResponse(t, staff.JSON("POST", "/api/v1/passages", passage(999)), 404)
			assertResponse(t, w.srv.As(t, apptest.AdminFenghuang).JSON("POST", "/api/v1/passages", passage(w.dongwang.ID)), 403)
			assertResponse(t, w.srv.As(t, apptest.Leader).JSON("POST", "/api/v1/passages", passage(w.dongwang.ID)), 403)
		})
		t.Run("external vehicles follow the county prefix", func(t *testing.T) {
			b := passage(w.dongwang.ID)
			b["plate"] = "京A·12345"
			res := staff.JSON("POST", "/api/v1/passages", b)
			var p checkpoint.Passage
			res.Decode(t, &p)
			if !p.External || p.Plate != "京A12345" {
				t.Errorf("%+v", p)
			}
		})
		t.Run("observation leaves a referral for screening", func(t *testing.T) {
			b := passage(w.dongwang.ID)
			b["decision"], b["temperature"] = "observe", 38.2
			res := staff.JSON("POST", "/api/v1/passages", b)
			var p checkpoint.Passage
			res.Decode(t, &p)
			var n int
			var status string
			db.R.QueryRow(`SELECT COUNT(*), MIN(status) FROM checkpoint_referrals WHERE passage_id = $1`, p.ID).Scan(&n, &status)
			if !p.Fever || n != 1 || status != "pending" {
				t.Errorf("fever %v, %d referrals (%s)", p.Fever, n, status)
			}
		})
		t.Run("writes are audited without personal data", func(t *testing.T) {
			var n int
			var after string
			db.R.QueryRow(`SELECT COUNT(*), MAX(after_json) FROM audit_log WHERE entity = 'passage' AND actor = $1`, apptest.CheckpointStaff).Scan(&n, &after)
			if n != 3 || strings.Contains(after, "王") || strings.Contains(after, validID) {
				t.Errorf("%d audit entries: %s", n, after)
			}
		})
	})
}

func TestBatch(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, apptest.New(t, db))
		staff := w.srv.As(t, apptest.CheckpointStaff)
		stored := passage(w.dongwang.ID)
		assertResponse(t, staff.JSON("POST", "/api/v1/passages", stored), 201)
		reused := passage(w.dongwang.ID)
		reused["client_id"], reused["direction"] = stored["client_id"], "out"
		good1, good2 := passage(w.dongwang.ID), passage(w.dongwang.ID)
		good2["plate"], good2["name"], good2["id_number"], good2["phone"] = "豫A12345", "", "", ""
		mk := func(k string, v any) map[string]any { b := passage(w.dongwang.ID); b[k] = v; return b }
		items := []any{
			good1,                                // 0 created
			mk("plate", "冀E1234"),                // 1 plate too short
			mk("temperature", 45.0),              // 2 temperature
			mk("temperature", 33.9),              // 3 temperature
			mk("at", "2020-02-23T09:00:00Z"),     // 4 future
			mk("at", "2020-02-10T09:00:00Z"),     // 5 older than 72 h
			mk("client_id", "not-a-uuid"),        // 6 client id
			reused,                               // 7 same id, other content
			stored,                               // 8 duplicate: same content
			mk("checkpoint_id", w.feng.ID),       // 9 another checkpoint
			map[string]any{"temperature": "hot"}, // 10 wrong type
			map[string]any{"nickname": "x"},      // 11 unknown field
			mk("pass_token", "FK1.garbage.x"),    // 12 malformed pass
			good2,                                // 13 created (a vehicle alone)
			good1,                                // 14 repeated within the batch: duplicate
		}
		res := staff.JSON("POST", "/api/v1/passages/batch", map[string]any{"items": items})
		assertResponse(t, res, 200)
		var out checkpoint.BatchResponse
		res.Decode(t, &out)
		want := []struct {
			status string
			code   int
			field  string
		}{{"created", 0, ""}, {"rejected", 422, "plate"}, {"rejected", 422, "temperature"}, {"rejected", 422, "temperature"},
			{"rejected", 422, "at"}, {"rejected", 422, "at"}, {"rejected", 422, "client_id"}, {"rejected", 409, ""},
			{"duplicate", 0, ""}, {"rejected", 403, ""}, {"rejected", 422, "temperature"}, {"rejected", 422, "nickname"},
			{"rejected", 422, "pass_token"}, {"created", 0, ""}, {"duplicate", 0, ""}}
		if len(out.Items) != len(want) {
			t.Fatalf("%d results: %s", len(out.Items), res.Body)
		}
		for i, w := range want {
			it := out.Items[i]
			if it.Index != i || it.Status != w.status {
				t.Errorf("item %d: %s %+v, want %s", i, it.Status, it.Error, w.status)
				continue
			}
			if w.code != 0 {
				fields := []string{}
				if w.field != "" {
					fields = append(fields, w.field)
				}
				assertProblem(t, it.Error, w.code, fields...)
			}
		}
		if out.Created != 2 || out.Duplicates != 2 || out.Rejected != 11 {
			t.Errorf("counts %+v", out)
		}
		if out.Items[14].ID != out.Items[0].ID {
			t.Errorf("in-batch repeat answered %d, first %d", out.Items[14].ID, out.Items[0].ID)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM passages`).Scan(&n)
		if n != 3 {
			t.Errorf("%d passages stored, want 3", n)
		}
		t.Run("over the size limit is 413", func(t *testing.T) {
			big := make([]any, checkpoint.MaxBatch+1)
			for i := range big {
				big[i] = map[string]any{}
			}
			assertResponse(t, staff.JSON("POST", "/api/v1/passages/batch", map[string]any{"items": big}), 413)
			huge := `{"items": [{"purpose": "` + strings.Repeat("x", 2<<20) + `"}]}`
			assertResponse(t, staff.JSON("POST", "/api/v1/passages/batch", huge), 413)
		})
	})
}
