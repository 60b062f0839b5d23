package auth_test

import (
	"context"
	"os"
	"testing"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

func TestSessionsAndThrottle(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		st := &auth.Store{DB: db, Audit: audit.Write}
		if _, err := st.CreateUser(ctx, auth.NewUser{Username: "ann", Password: "short"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("short password: %v", err)
		}
		if _, err := st.CreateUser(ctx, auth.NewUser{Username: "ann", Password: "long-enough-1", MustChangePassword: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateUser(ctx, auth.NewUser{Username: "ann", Password: "long-enough-1"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("duplicate user: %v", err)
		}
		token, p, err := st.Login(ctx, "ann", "long-enough-1", "10.0.0.1")
		if err != nil || !p.MustChangePassword {
			t.Fatalf("login: %v %+v", err, p)
		}
		if p2, err := st.Principal(ctx, token); err != nil || p2.Username != "ann" {
			t.Fatalf("session: %v", err)
		}
		if err := st.ChangeOwnPassword(ctx, p, token, "long-enough-1", "another-long-2"); err != nil {
			t.Fatal(err)
		}
		if p3, err := st.Principal(ctx, token); err != nil || p3.MustChangePassword {
			t.Errorf("after change: %v %+v", err, p3)
		}
		if err := st.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Principal(ctx, token); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("after logout: %v", err)
		}
		for i := 0; i < 5; i++ {
			if _, _, err := st.Login(ctx, "ann", "wrong", "10.0.0.2"); errs.CodeOf(err) != errs.Unauthorized {
				t.Fatalf("bad password %d: %v", i, err)
			}
		}
		if _, _, err := st.Login(ctx, "ann", "another-long-2", "10.0.0.3"); errs.CodeOf(err) != errs.TooMany {
			t.Errorf("throttled account accepted: %v", err)
		}
		if _, _, err := st.Login(ctx, "nobody", "x", "10.0.0.9"); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestGrantsNeedRealScopes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		st := &auth.Store{DB: db, Audit: audit.Write}
		st.CreateUser(ctx, auth.NewUser{Username: "bob", Password: "long-enough-1"})
		for _, g := range []auth.Grant{
			{Role: "janitor", ScopeKind: auth.ScopeNode, ScopeID: 1},
			{Role: auth.Leader, ScopeKind: "planet", ScopeID: 1},
			{Role: auth.Leader, ScopeKind: auth.ScopeNode, ScopeID: 999},
		} {
			if err := st.AddGrant(ctx, "bob", g); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("%+v accepted: %v", g, err)
			}
		}
		if err := st.AddGrant(ctx, "nobody", auth.Grant{Role: auth.Leader, ScopeKind: auth.ScopeSite, ScopeID: 1}); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("grant to missing user: %v", err)
		}
	})
}
