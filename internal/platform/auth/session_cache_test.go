package auth_test

import (
	"context"
	"testing"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

// The session cache reuses a resolved session (the database is not asked
// again within the TTL), is cleared by the store's own writes, can be turned
// off, and never lets one request change what another reads.
func TestPrincipalCache(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		cached := &auth.Store{DB: db, Audit: audit.Write}
		uncached := &auth.Store{DB: db, Audit: audit.Write, PrincipalCacheTTL: -1}
		if _, err := cached.CreateUser(ctx, auth.NewUser{Username: "bo", Password: "long-enough-1"}); err != nil {
			t.Fatal(err)
		}
		token, _, err := cached.Login(ctx, "bo", "long-enough-1", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := uncached.Principal(ctx, token); err != nil {
			t.Fatal(err)
		}
		// Another replica ends the session behind this one's back.
		if _, err := db.W.ExecContext(ctx, `DELETE FROM sessions`); err != nil {
			t.Fatal(err)
		}
		if _, err := uncached.Principal(ctx, token); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("uncached store still sees the deleted session: %v", err)
		}
		p, err := cached.Principal(ctx, token)
		if err != nil {
			t.Fatalf("cached store asked the database within the TTL: %v", err)
		}
		p.Grants = append(p.Grants, auth.Grant{Role: auth.Commander, ScopeKind: auth.ScopeNode, ScopeID: 1})
		p.Username = "mallory"
		if again, _ := cached.Principal(ctx, token); again == nil || again.Username != "bo" || len(again.Grants) != 0 {
			t.Errorf("a request changed the cached principal: %+v", again)
		}
		// Its own write clears the cache at once.
		if err := cached.SetPassword(ctx, "bo", "another-long-2", false); err != nil {
			t.Fatal(err)
		}
		if _, err := cached.Principal(ctx, token); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("session survived its store's password change: %v", err)
		}
	})
}
