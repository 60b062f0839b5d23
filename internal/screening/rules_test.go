package screening

import (
	"reflect"
	"testing"

	"fangkong/internal/platform/storage"
)

var d = storage.MustDate

func TestFeverThreshold(t *testing.T) {
	ge := DefaultRules
	gt := DefaultRules
	gt.FeverInclusive = false
	cases := []struct {
		tenths int
		ge, gt bool
	}{{372, false, false}, {373, true, false}, {374, true, true}, {400, true, true}, {360, false, false}}
	for _, c := range cases {
		if got := ge.IsFever(c.tenths); got != c.ge {
			t.Errorf("≥ %d: %v", c.tenths, got)
		}
		if got := gt.IsFever(c.tenths); got != c.gt {
			t.Errorf("> %d: %v", c.tenths, got)
		}
	}
	if !ge.Alarming(365, []Symptom{Cough}) || ge.Alarming(365, nil) {
		t.Error("a symptom alone must alarm, a normal temperature alone must not")
	}
	if Tenths(37.3) != 373 || Tenths(36.45) != 365 || Degrees(373) != 37.3 {
		t.Error("tenths conversion")
	}
	if ge.Fever() != "≥37.3℃" || gt.Fever() != ">37.3℃" {
		t.Errorf("%s %s", ge.Fever(), gt.Fever())
	}
}

func TestBasisFor(t *testing.T) {
	r := DefaultRules
	for reason, want := range map[Reason]Basis{ForReturnee: FromArrival, ForKeyRegion: FromArrival,
		ForCloseContact: FromExposure, ForFever: FromStart, ForOther: FromStart} {
		if got := r.BasisFor(reason); got != want {
			t.Errorf("%s: %s, want %s", reason, got, want)
		}
	}
	r.ReturneeBasis, r.ContactBasis = FromTest, FromStart
	if r.BasisFor(ForReturnee) != FromTest || r.BasisFor(ForCloseContact) != FromStart {
		t.Error("the county's choice must decide")
	}
}

// obs is a 14-day observation from an exposure on 1 February, started on 3 February.
func obs() Observation {
	return Observation{Status: Active, BasisDate: d("2020-02-01"), StartDate: d("2020-02-03"),
		PeriodDays: 14, PlannedEnd: PlannedEnd(d("2020-02-01"), 14)}
}

func TestPeriod(t *testing.T) {
	o := obs()
	if o.PlannedEnd != d("2020-02-15") {
		t.Fatalf("planned end %s", o.PlannedEnd)
	}
	cases := []struct {
		day                    string
		on, follow, releaseDue bool
	}{
		{"2020-02-02", false, false, false},
		{"2020-02-03", true, true, false},
		{"2020-02-14", true, true, false},
		{"2020-02-15", true, true, true},
		{"2020-02-16", true, false, true}, // not released: still counted, due for release
	}
	for _, c := range cases {
		if o.On(d(c.day)) != c.on || o.FollowUpDay(d(c.day)) != c.follow || o.ReleaseDue(d(c.day)) != c.releaseDue {
			t.Errorf("%s: on %v follow %v release %v", c.day, o.On(d(c.day)), o.FollowUpDay(d(c.day)), o.ReleaseDue(d(c.day)))
		}
	}
	o.Status, o.EndDate = Released, d("2020-02-15")
	if o.On(d("2020-02-15")) || !o.On(d("2020-02-14")) || o.ReleaseDue(d("2020-02-15")) {
		t.Error("a release ends the observation on its day")
	}
}

func TestMissed(t *testing.T) {
	o := obs()
	done := doneSet([]FollowUp{
		{Day: d("2020-02-03"), Slot: AM}, {Day: d("2020-02-03"), Slot: PM},
		{Day: d("2020-02-04"), Slot: AM},
		{Day: d("2020-02-05"), Slot: AM},
	})
	r := DefaultRules
	cases := []struct {
		clock Clock
		want  int
	}{
		{r.ClockAt(d("2020-02-05"), d("2020-02-05"), 9), 1},   // 4th pm; the 5th's morning not over yet
		{r.ClockAt(d("2020-02-05"), d("2020-02-05"), 13), 1},  // the 5th's morning is recorded
		{r.ClockAt(d("2020-02-06"), d("2020-02-06"), 13), 3},  // + 5th pm + 6th am
		{r.ClockAt(d("2020-02-05"), d("2020-02-22"), 10), 2},  // a past day is over: 4th pm + 5th pm
		{r.ClockAt(d("2020-02-20"), d("2020-02-22"), 10), 22}, // the whole period, 3rd to 15th: 26 slots, 4 done
	}
	for i, c := range cases {
		if got := o.Missed(done, c.clock); got != c.want {
			t.Errorf("case %d (%+v): missed %d, want %d", i, c.clock, got, c.want)
		}
	}
}

func TestNextStage(t *testing.T) {
	cases := []struct {
		cur  Stage
		ev   EventKind
		res  Result
		next Stage
		ok   bool
	}{
		{StageOpened, EventNotified, "", StageNotified, true},
		{StageOpened, EventTransferred, "", StageTransferred, false},
		{StageOpened, EventResult, RuledOut, StageClosed, true},
		{StageOpened, EventResult, Confirmed, StageClosed, false},
		{StageNotified, EventTransferred, "", StageTransferred, true},
		{StageNotified, EventNotified, "", StageNotified, false},
		{StageTransferred, EventResult, Suspected, StageClosed, true},
		{StageTransferred, EventResult, "maybe", StageClosed, false},
		{StageClosed, EventResult, RuledOut, StageClosed, false},
		{StageOpened, EventOpened, "", StageOpened, false},
	}
	for _, c := range cases {
		next, ok := NextStage(c.cur, c.ev, c.res)
		if ok != c.ok || (ok && next != c.next) {
			t.Errorf("%s + %s %s: %s %v", c.cur, c.ev, c.res, next, ok)
		}
	}
}

func TestMergeInto(t *testing.T) {
	kept := Person{Name: "王五", Phone: "", Address: "东汪村1号", Tags: []Tag{TagFever}, ScreenedOn: d("2020-02-10"), Notes: "a"}
	other := Person{Name: "王五", Phone: "13812345678", Address: "别处", Workplace: "鸿达阀门", Tags: []Tag{TagReturnee},
		ScreenedOn: d("2020-02-01"), Notes: "b"}
	m := mergeInto(kept, other)
	if m.Phone != "13812345678" || m.Address != "东汪村1号" || m.Workplace != "鸿达阀门" || m.Notes != "a\nb" ||
		m.ScreenedOn != d("2020-02-01") || !reflect.DeepEqual(m.Tags, []Tag{TagReturnee, TagFever}) {
		t.Errorf("%+v", m)
	}
}

func TestTagsAndTransport(t *testing.T) {
	for _, ts := range [][]Tag{nil, {TagReturnee}, {TagReturnee, TagCloseContact, TagOverseas}} {
		if got := decodeTags(encodeTags(ts)); !reflect.DeepEqual(got, ts) {
			t.Errorf("round trip %v: %v", ts, got)
		}
	}
	cases := map[string][]Tag{
		"返乡、密接":                  {TagReturnee, TagCloseContact},
		"Returnee, key region":   {TagReturnee, TagKeyRegion},
		"  湖北；发热 ":               {TagKeyRegion, TagFever},
		"close_contact,returnee": {TagReturnee, TagCloseContact},
		"ＲＥＴＵＲＮＥＥ":               {TagReturnee},
		"":                       nil,
	}
	for in, want := range cases {
		got, bad := ParseTags(in)
		if len(bad) > 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %v %v", in, got, bad)
		}
	}
	if _, bad := ParseTags("返乡、外星人"); !reflect.DeepEqual(bad, []string{"外星人"}) {
		t.Errorf("unknown tag: %v", bad)
	}
	for in, want := range map[string]Transport{"高铁": ByTrain, "Flight": ByFlight, "自驾": ByCar, "": ""} {
		if got, ok := ParseTransport(in); !ok || got != want {
			t.Errorf("%q: %s %v", in, got, ok)
		}
	}
	if _, ok := ParseTransport("骑马"); ok {
		t.Error("unknown transport accepted")
	}
}

func TestCommonPath(t *testing.T) {
	cases := []struct {
		paths []string
		want  string
	}{
		{nil, ""}, {[]string{"/1/"}, "/1/"}, {[]string{"/1/4/", "/1/4/27/"}, "/1/4/"},
		{[]string{"/1/4/", "/1/5/"}, "/1/"}, {[]string{"/1/4/", "/2/"}, ""},
	}
	for _, c := range cases {
		if got := commonPath(c.paths); got != c.want {
			t.Errorf("%v: %q", c.paths, got)
		}
	}
	if childOf("/1/4/27/", "/1/") != 4 || childOf("/1/", "/1/") != 0 || childOf("/2/5/", "/1/") != 0 {
		t.Error("childOf")
	}
}
