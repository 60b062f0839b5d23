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
