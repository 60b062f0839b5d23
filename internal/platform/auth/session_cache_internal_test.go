package auth

import (
	"testing"
	"time"
)

// A lookup that read the database before a clear does not put its
// (possibly stale) principal back after it.
func TestCachePutAfterClearIsDropped(t *testing.T) {
	var c principalCache
	now := time.Now()
	gen := c.generation()
	c.clear() // a grant changed while the lookup was reading
	c.put("t", &Principal{Username: "ann"}, now, gen)
	if _, ok := c.get("t", now, time.Minute); ok {
		t.Error("a principal read before the clear was cached after it")
	}
	c.put("t", &Principal{Username: "ann"}, now, c.generation())
	if p, ok := c.get("t", now, time.Minute); !ok || p.Username != "ann" {
		t.Error("a fresh lookup was not cached")
	}
	if _, ok := c.get("t", now.Add(time.Minute), time.Minute); ok {
		t.Error("an entry outlived its TTL")
	}
}

// Many requests read, fill and clear the cache at once (run under -race by
// scripts/test); copies out mean no request changes another's principal.
func TestCacheConcurrent(t *testing.T) {
	var c principalCache
	now := time.Now()
	done := make(chan struct{})
	for w := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 2000 {
				switch i % 50 {
				case 0:
					c.clear()
				default:
					gen := c.generation()
					if p, ok := c.get("t", now, time.Minute); ok {
						p.Grants = append(p.Grants, Grant{Role: Commander})
					}
					c.put("t", &Principal{Username: "ann", Grants: []Grant{{Role: CheckpointStaff, ScopeID: int64(w)}}}, now, gen)
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	if p, ok := c.get("t", now, time.Minute); ok && len(p.Grants) != 1 {
		t.Errorf("a request's change reached the cache: %+v", p.Grants)
	}
}
