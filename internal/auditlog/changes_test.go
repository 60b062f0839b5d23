package auditlog

import (
	"reflect"
	"testing"
)

func TestSummarize(t *testing.T) {
	cases := []struct {
		name          string
		before, after string
		want          Summary
	}{
		{"nothing", "", "", Summary{}},
		{"update shows what changed, not noise",
			`{"id":5,"name_zh":"东汪镇","population":100,"updated_at":"2020-02-01T00:00:00Z"}`,
			`{"id":5,"name_zh":"东汪镇","population":120,"updated_at":"2020-02-22T00:00:00Z"}`,
			Summary{Items: []Change{{Key: "population", Before: "100", After: "120", HadBefore: true, HasAfter: true}}}},
		{"create skips empty fields",
			"", `{"id":7,"division_id":3,"code":"130528104","name_en":"","born":"0001-01-01T00:00:00Z","population":0,"flag":false,"name_zh":"东汪镇"}`,
			Summary{Items: []Change{{Key: "code", After: "130528104", HasAfter: true}, {Key: "name_zh", After: "东汪镇", HasAfter: true}}}},
		{"delete keeps the old values",
			`{"status":"confirmed"}`, "",
			Summary{Items: []Change{{Key: "status", Before: "confirmed", HadBefore: true}}}},
		{"a reveal lists its fields",
			"", `{"fields":["name","id_number","phone"]}`,
			Summary{Items: []Change{{Key: "fields", After: "name, id_number, phone", HasAfter: true}}}},
		{"a move to another division shows",
			`{"division_id":3}`, `{"division_id":4}`,
			Summary{Items: []Change{{Key: "division_id", Before: "3", After: "4", HadBefore: true, HasAfter: true}}}},
		{"a field dropped on update",
			`{"a":"1","b":"2"}`, `{"a":"1"}`,
			Summary{Items: []Change{{Key: "b", Before: "2", HadBefore: true}}}},
		{"long values are cut, extra fields counted",
			"", `{"a":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十","b":"x","c":"y","d":"z"}`,
			Summary{Items: []Change{{Key: "a", After: "一二三四五六七八九十一二三四五六七八九十一二三…", HasAfter: true},
				{Key: "b", After: "x", HasAfter: true}, {Key: "c", After: "y", HasAfter: true}}, More: 1}},
		{"not an object",
			`"old text"`, `"new text"`,
			Summary{Items: []Change{{Before: "old text", After: "new text", HadBefore: true, HasAfter: true}}}},
		{"not JSON at all", "", "plain words",
			Summary{Items: []Change{{After: "plain words", HasAfter: true}}}},
		{"nested values stay JSON",
			`{"grant":{"role":"auditor"}}`, `{"grant":{"role":"leader"}}`,
			Summary{Items: []Change{{Key: "grant", Before: `{"role":"auditor"}`, After: `{"role":"leader"}`, HadBefore: true, HasAfter: true}}}},
		{"same value written differently is unchanged",
			`{"a": [1, 2]}`, `{"a":[1,2]}`, Summary{}},
	}
	for _, c := range cases {
		got := summarize(c.before, c.after, 3, 24)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestDiffKeepsEveryField(t *testing.T) {
	got := diff(`{"a":1,"gone":"x","updated_at":"t1"}`, `{"updated_at":"t2","a":1,"new":null}`)
	want := []Change{
		{Key: "updated_at", Before: "t1", After: "t2", HadBefore: true, HasAfter: true},
		{Key: "a", Before: "1", After: "1", HadBefore: true, HasAfter: true, Same: true},
		{Key: "new", HasAfter: true},
		{Key: "gone", Before: "x", HadBefore: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
