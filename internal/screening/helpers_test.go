package screening_test

import (
	"fmt"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
)

// today is the fixture's day: the demo's reporting day.
var today = storage.MustDate("2020-02-22")

// newStore is a store on db whose clock reads 2020-02-22 18:00 in the county.
func newStore(db *storage.DB) *screening.Store {
	now := func() time.Time { return apptest.Today }
	td := func() storage.Date { return today }
	return &screening.Store{DB: db, Today: td, Now: now, Zone: time.FixedZone("CST", 8*3600),
		Settings: &settings.Store{DB: db}, Cases: &surveillance.Store{DB: db, Today: td}}
}

// as is a principal (user id user) holding role over the fixture node with the given id and path.
func as(user int64, name string, role auth.Role, id int64, path string) *auth.Principal {
	return &auth.Principal{Username: name, UserID: user, Grants: []auth.Grant{{Role: role, ScopeKind: auth.ScopeNode, ScopeID: id, NodePath: path}}}
}

func commander(f apptest.Fixture) *auth.Principal {
	return as(1, "commander", auth.Commander, f.County.ID, f.County.Path)
}

func cadreDongwang(f apptest.Fixture) *auth.Principal {
	return as(2, "cadre-dongwang", auth.VillageCadre, f.DongwangVillage.ID, f.DongwangVillage.Path)
}

func cadreFenghuang(f apptest.Fixture) *auth.Principal {
	return as(3, "cadre-fenghuang", auth.VillageCadre, f.FenghuangVillage.ID, f.FenghuangVillage.Path)
}

// idNumber is a valid Ningjin ID number for a birth date and a sequence.
func idNumber(birth string, seq int) string {
	body := fmt.Sprintf("130528%s%03d", birth, seq%1000)
	c, ok := validate.ResidentIDCheckDigit(body)
	if !ok {
		panic(body)
	}
	return body + string(c)
}

// badCheck is idNumber with a wrong check digit.
func badCheck(birth string, seq int) string {
	id := idNumber(birth, seq)
	last := id[17]
	wrong := byte('0')
	if last == '0' {
		wrong = '1'
	}
	return id[:17] + string(wrong)
}

// returnee is a person form for a returnee in a village.
func returnee(div int64, name, id, phone, arrived string) screening.PersonInput {
	return screening.PersonInput{DivisionID: div, Name: name, IDNumber: id, Phone: phone, Address: "宁晋县东汪镇东汪村8号",
		Tags: []string{"returnee"}, Travel: &screening.TravelInput{From: "武汉", Via: "石家庄", Transport: "train",
			TransportNo: "G512", ArrivedOn: arrived}}
}

// must(f())(t) is f's value, failing the test on f's error.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
