package bench

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"fangkong/internal/checkpoint"
	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// password of the bench's checkpoint accounts.
const password = "bench-password-1"

// world is what a bench database holds before the load: a county, a
// village, checkpoints and one checkpoint account per checkpoint.
type world struct {
	checkpoints []int64
	users       []string
}

// setup migrates the database at dsn and creates the bench's world.
func setup(ctx context.Context, dsn string, n int) (world, error) {
	var w world
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return w, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return w, err
	}
	sys := auth.System("bench")
	ctx = auth.WithPrincipal(ctx, sys)
	orgs := &org.Store{DB: db}
	county, err := orgs.Save(ctx, sys, org.Node{Code: "130528", NameZH: "宁晋县"})
	if err != nil {
		return w, err
	}
	town, err := orgs.Save(ctx, sys, org.Node{ParentID: county.ID, Code: "130528104", NameZH: "东汪镇"})
	if err != nil {
		return w, err
	}
	village, err := orgs.Save(ctx, sys, org.Node{ParentID: town.ID, Code: "130528104201", NameZH: "东汪村"})
	if err != nil {
		return w, err
	}
	cps := checkpoint.NewStore(db, nil, nil, nil)
	users := &auth.Store{DB: db, Audit: audit.Write}
	for i := range n {
		c, err := cps.Create(ctx, sys, checkpoint.Input{DivisionID: village.ID, Kind: "village", Name: fmt.Sprintf("东汪村%d号卡口", i+1)})
		if err != nil {
			return w, err
		}
		name := fmt.Sprintf("bench-%d", i+1)
		if _, err := users.CreateUser(ctx, auth.NewUser{Username: name, Password: password, Lang: i18n.ZH}); err != nil {
			return w, err
		}
		if err := users.AddGrant(ctx, name, auth.Grant{Role: auth.CheckpointStaff, ScopeKind: auth.ScopeCheckpoint, ScopeID: c.ID}); err != nil {
			return w, err
		}
		w.checkpoints, w.users = append(w.checkpoints, c.ID), append(w.users, name)
	}
	return w, nil
}

// login signs every bench account in and returns their session cookies.
func login(base string, users []string) ([]string, error) {
	var cookies []string
	for _, u := range users {
		body := fmt.Sprintf(`{"username":%q,"password":%q}`, u, password)
		res, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		res.Body.Close()
		var cookie string
		for _, c := range res.Cookies() {
			if c.Name == "fk_session" {
				cookie = c.Name + "=" + c.Value
			}
		}
		if res.StatusCode != 200 || cookie == "" {
			return nil, fmt.Errorf("bench: login %s: %s", u, res.Status)
		}
		cookies = append(cookies, cookie)
	}
	return cookies, nil
}
