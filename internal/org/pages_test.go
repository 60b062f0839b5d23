package org_test

import (
	"slices"
	"strings"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// TestEachRoleSeesItsTerritoryOnly walks every fixture account through the
// tree page and the list API: a list never holds a node outside the scope.
func TestEachRoleSeesItsTerritoryOnly(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		all := []string{"宁晋县", "凤凰镇", "凤凰村", "东汪镇", "东汪村", "洨口村"}
		county := []string{"130528", "130528100", "130528100201", "130528104", "130528104201", "130528104202"}
		cases := []struct {
			user  string
			names []string
			codes []string
		}{
			{apptest.Commander, all, county},
			{apptest.Leader, all, county},
			{apptest.Auditor, all, county},
			{apptest.Inspector, all, county},
			{apptest.AdminFenghuang, []string{"凤凰镇", "凤凰村"}, []string{"130528100", "130528100201"}},
			{apptest.AdminDongwang, []string{"东汪镇", "东汪村", "洨口村"}, []string{"130528104", "130528104201", "130528104202"}},
			{apptest.AuditorDongwang, []string{"东汪镇", "东汪村", "洨口村"}, []string{"130528104", "130528104201", "130528104202"}},
			{apptest.CadreDongwang, []string{"东汪村"}, []string{"130528104201"}},
			{apptest.CheckpointStaff, nil, nil},
			{apptest.SiteStaff, nil, nil},
			{apptest.DeptOfficer, nil, nil},
		}
		for _, c := range cases {
			cl := srv.As(t, c.user)
			page := cl.Get("/org")
			if page.Code != 200 {
				t.Fatalf("%s: /org %d", c.user, page.Code)
			}
			for _, name := range all {
				// Names as node links: the layout's footer names the county too.
				if got, want := strings.Contains(page.Body, ">"+name+"</a>"), slices.Contains(c.names, name); got != want {
					t.Errorf("%s: %s on the tree page: %v, want %v", c.user, name, got, want)
				}
			}
			if got := listCodes(t, cl, ""); !slices.Equal(got, c.codes) {
				t.Errorf("%s: API lists %v, want %v", c.user, got, c.codes)
			}
		}
		ent := srv.As(t, apptest.EnterpriseOfficr)
		if res := ent.Get("/org"); res.Code != 403 {
			t.Errorf("enterprise officer /org: %d", res.Code)
		}
		if res := ent.Get("/api/v1/org/nodes"); res.Code != 403 {
			t.Errorf("enterprise officer API: %d", res.Code)
		}
		if res := srv.Anon(t).Get("/org"); res.Code != 303 {
			t.Errorf("anonymous /org: %d, want a redirect to the login", res.Code)
		}
	})
}

func TestOutOfScopeIDIsNotFound(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		f := srv.Fix
		cases := []struct {
			user string
			id   string
		}{
			{apptest.AdminFenghuang, id(f.Dongwang)},
			{apptest.AdminFenghuang, id(f.DongwangVillage)},
			{apptest.AdminFenghuang, id(f.County)},
			{apptest.CadreDongwang, id(f.XiaokouVillage)},
			{apptest.CadreDongwang, id(f.Dongwang)},
			{apptest.Commander, "999999"},
			{apptest.Commander, "abc"},
		}
		for _, c := range cases {
			cl := srv.As(t, c.user)
			if res := cl.Get("/org/" + c.id); res.Code != 404 {
				t.Errorf("%s page /org/%s: %d", c.user, c.id, res.Code)
			}
			if res := cl.Get("/api/v1/org/nodes/" + c.id); res.Code != 404 {
				t.Errorf("%s API node %s: %d", c.user, c.id, res.Code)
			}
		}
		cl := srv.As(t, apptest.AdminFenghuang)
		if res := cl.Get("/org/" + id(f.FenghuangVillage)); res.Code != 200 || !strings.Contains(res.Body, "凤凰村") {
			t.Errorf("own village: %d", res.Code)
		}
		if got := listCodes(t, cl, "?parent="+id(f.County)); !slices.Equal(got, []string{"130528100"}) {
			t.Errorf("children of the county seen from 凤凰镇: %v", got)
		}
	})
}

func TestTreeSearchAndTopLevels(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cl := srv.As(t, apptest.Commander)
		links := func(body string) (out []string) {
			for _, name := range []string{"宁晋县", "凤凰镇", "凤凰村", "东汪镇", "东汪村", "洨口村"} {
				if strings.Contains(body, ">"+name+"</a>") {
					out = append(out, name)
				}
			}
			return out
		}
		if got := links(cl.Get("/org?top=1").Body); !slices.Equal(got, []string{"宁晋县", "凤凰镇", "东汪镇"}) {
			t.Errorf("top levels: %v", got)
		}
		if got := links(cl.Get("/org?q=" + "%E5%87%A4%E5%87%B0").Body); !slices.Equal(got, []string{"凤凰镇", "凤凰村"}) {
			t.Errorf("search 凤凰: %v", got)
		}
		if got := links(cl.Get("/org?q=130528104").Body); !slices.Equal(got, []string{"东汪镇", "东汪村", "洨口村"}) {
			t.Errorf("search by code: %v", got)
		}
		// A township administrator's top levels are their township and villages.
		fh := srv.As(t, apptest.AdminFenghuang)
		if got := links(fh.Get("/org?top=1").Body); !slices.Equal(got, []string{"凤凰镇", "凤凰村"}) {
			t.Errorf("凤凰镇's top levels: %v", got)
		}
	})
}
