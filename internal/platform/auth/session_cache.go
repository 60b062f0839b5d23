package auth

import (
	"slices"
	"sync"
	"time"
)

// DefaultPrincipalCacheTTL is how long a resolved session is reused before
// the database is asked again. The session row stays the truth, so nothing
// here is state another replica needs: a signed-out session, a new password
// or a changed grant takes effect at once on the replica that wrote it (its
// cache is cleared) and within this time on the others. It removes the one
// query every request made — measured at ~14% of the CPU of the passage
// ingest path (docs/benchmarks.md).
const DefaultPrincipalCacheTTL = 2 * time.Second

// maxCachedSessions bounds the cache; when full it is emptied and refilled,
// which costs one query per active session.
const maxCachedSessions = 50_000

// principalCache maps a session token's hash to the principal it resolved
// to and when.
type principalCache struct {
	mu      sync.RWMutex
	entries map[string]cachedPrincipal
	// gen counts clears: a lookup that read the database before a clear
	// must not put what it read back after it (see put).
	gen uint64
}

type cachedPrincipal struct {
	p       *Principal
	fetched time.Time
}

// get returns a copy of the cached principal of th if it is younger than ttl.
func (c *principalCache) get(th string, now time.Time, ttl time.Duration) (*Principal, bool) {
	c.mu.RLock()
	e, ok := c.entries[th]
	c.mu.RUnlock()
	if !ok || now.Sub(e.fetched) >= ttl || now.Before(e.fetched) {
		return nil, false
	}
	return e.p.clone(), true
}

// generation is the number of clears so far; take it before reading the
// database and hand it to put.
func (c *principalCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// put keeps p (a copy) for th, unless the cache was cleared since gen was
// taken: then p may predate the write that cleared it.
func (c *principalCache) put(th string, p *Principal, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedSessions {
		c.entries = map[string]cachedPrincipal{}
	}
	c.entries[th] = cachedPrincipal{p: p.clone(), fetched: now}
}

// clear forgets every session: called after any write that can change who a
// session is or what it may do.
func (c *principalCache) clear() {
	c.mu.Lock()
	c.entries = nil
	c.gen++
	c.mu.Unlock()
}

// clone copies p so a request can never change what another one reads.
func (p *Principal) clone() *Principal {
	q := *p
	q.Grants = slices.Clone(p.Grants)
	return &q
}

// cacheTTL is the configured time to reuse a session, 0 when caching is off.
func (s *Store) cacheTTL() time.Duration {
	switch {
	case s.PrincipalCacheTTL < 0:
		return 0
	case s.PrincipalCacheTTL == 0:
		return DefaultPrincipalCacheTTL
	}
	return s.PrincipalCacheTTL
}

// ForgetSessions clears the cache of resolved sessions. A module that
// changes grants in its own transaction (isolation assigning site staff)
// calls it after the commit, so the change takes effect at once here.
func (s *Store) ForgetSessions() { s.sessions.clear() }
