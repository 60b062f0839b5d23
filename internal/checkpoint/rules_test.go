package checkpoint

import (
	"fangkong/internal/platform/errs"
	"strings"
	"testing"
	"time"
)

func TestPassageCheck(t *testing.T) {
	now := time.Date(2020, 2, 22, 10, 0, 0, 0, time.UTC)
	base := func() PassageInput {
		t := 36.6
		return PassageInput{ClientID: "0f8fad5b-d9cb-469f-a165-70867728950e", CheckpointID: 1, At: "2020-02-22T09:00:00+08:00",
			Direction: "in", Name: "王五", Plate: "冀E12345", Temperature: &t, Decision: "pass"}
	}
	hot, cold := 37.3, 34.0
	tests := []struct {
		name   string
		change func(*PassageInput)
		fields string
	}{
		{"valid", func(*PassageInput) {}, ""},
		{"upper-case uuid is normalised", func(in *PassageInput) { in.ClientID = strings.ToUpper(in.ClientID) }, ""},
		{"no client id", func(in *PassageInput) { in.ClientID = "" }, "client_id"},
		{"bad direction", func(in *PassageInput) { in.Direction = "up" }, "direction"},
		{"bad decision", func(in *PassageInput) { in.Decision = "" }, "decision"},
		{"nobody", func(in *PassageInput) { in.Name, in.Plate = "", "" }, "name"},
		{"34.0 is a temperature", func(in *PassageInput) { in.Temperature = &cold }, ""},
		{"typed 365", func(in *PassageInput) { in.Temperature, in.TemperatureText = nil, "365" }, "temperature"},
		{"typed 37,3℃", func(in *PassageInput) { in.Temperature, in.TemperatureText = nil, "37,3℃" }, ""},
		{"5 minutes ahead is clock skew", func(in *PassageInput) { in.At = "2020-02-22T10:04:00Z" }, ""},
		{"an hour ahead is the future", func(in *PassageInput) { in.At = "2020-02-22T11:00:00Z" }, "at"},
		{"72 hours back is fine", func(in *PassageInput) { in.At = "2020-02-19T10:00:01Z" }, ""},
		{"older is refused", func(in *PassageInput) { in.At = "2020-02-19T09:59:59Z" }, "at"},
		{"not RFC 3339", func(in *PassageInput) { in.At = "22/02/2020" }, "at"},
		{"bad id and phone", func(in *PassageInput) { in.IDNumber, in.Phone = "130528198001010015", "123" }, "id_number phone"},
		{"observe needs a person", func(in *PassageInput) { in.Name, in.Decision = "", "observe"; in.Temperature = &hot }, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			p, err := in.check(DefaultRules(), now)
			got := fieldNames(err)
			if got != tt.fields {
				t.Errorf("fields %q, want %q", got, tt.fields)
			}
			if err == nil && (p.At.Location() != time.UTC || p.At.Nanosecond() != 0 || p.ClientID != strings.ToLower(p.ClientID)) {
				t.Errorf("not normalised: %+v", p)
			}
		})
	}
}

func TestFeverAndExternal(t *testing.T) {
	r := DefaultRules()
	for temp, want := range map[float64]bool{0: false, 37.2: false, 37.3: true, 39: true} {
		if r.IsFever(temp) != want {
			t.Errorf("fever(%v) != %v", temp, want)
		}
	}
	var fc = PassageInput{Plate: "京A12345"}
	p, _ := fc.check(r, time.Now())
	if !p.External {
		t.Error("京A is external to 冀E")
	}
}

func TestDigestIgnoresWhoAndWhen(t *testing.T) {
	a := Passage{CheckpointID: 1, At: time.Unix(1582300000, 0), Direction: In, Name: "王五", Decision: LetThrough}
	b := a
	b.RecordedBy, b.CreatedAt, b.ID = "someone", time.Now(), 9
	if digest(a) != digest(b) {
		t.Error("recorder or arrival changed the digest")
	}
	b.Decision = Returned
	if digest(a) == digest(b) {
		t.Error("the decision did not change the digest")
	}
}

func TestSmallRules(t *testing.T) {
	if PersonKey("130528198001010016", "138") != "130528198001010016" || PersonKey("", "13812345678") != "tel:13812345678" || PersonKey("", "") != "" {
		t.Error("PersonKey")
	}
	if townOf("/1/4/27/") != 4 || townOf("/1/4/") != 4 || townOf("/1/") != 1 {
		t.Error("townOf")
	}
	if !validUUID("0f8fad5b-d9cb-469f-a165-70867728950e") || validUUID("0f8fad5b-d9cb-469f-a165-70867728950") || validUUID("0f8fad5bxd9cb-469f-a165-70867728950e") {
		t.Error("validUUID")
	}
}

// fieldNames lists the bad fields of err, sorted by position, space separated.
func fieldNames(err error) string {
	if err == nil {
		return ""
	}
	var out []string
	for _, f := range errs.As(err).Fields {
		out = append(out, f.Field)
	}
	return strings.Join(out, " ")
}
