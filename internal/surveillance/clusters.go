package surveillance

import (
	"context"
	"slices"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
)

// ClusterKind says how the cases of a cluster were linked.
type ClusterKind string

// The kinds of link a cluster can rest on.
const (
	// BySetting: the case records name the same small setting (Case.Setting).
	BySetting ClusterKind = "setting"
	// ByExposure: exposures recorded by contact tracing link the cases, by
	// transmission (an exposure between two of them) or a common exposure
	// (exposures in the same setting).
	ByExposure ClusterKind = "exposure"
)

// Link is one piece of evidence, from outside the case records, that cases
// belong together: one exposure as contact tracing recorded it. CaseIDs are
// the cases among its two persons (both: transmission between them; one:
// that case was in Setting on Day, which links it to every other case in
// the same setting within the window).
type Link struct {
	CaseIDs []int64
	Day     storage.Date
	Setting string
}

// ClusterSource gives the links the case records do not hold — contact
// tracing's exposures — for cluster detection. surveillance cannot import
// tracing (tracing imports surveillance), so internal/app hands tracing's
// source to the stores that compute the risk level (Store.ClusterSource).
//
// It is asked for the exposures dated from..to (the cluster window) that
// touch a case of scope, with scope in its SQL, and answers with case ids of
// scope only. Because a link names only cases of the scope asked, the links
// of a territory, kept to the cases of one of its parts, are exactly the
// links of that part: the dashboard asks once and splits by township.
type ClusterSource func(ctx context.Context, scope auth.Scope, from, to storage.Date) ([]Link, error)

// Links asks the store's ClusterSource, if any, for the links among the
// cases of scope in the cluster window that ends on d.
func (s *Store) Links(ctx context.Context, scope auth.Scope, d storage.Date, r Rules) ([]Link, error) {
	if s.ClusterSource == nil {
		return nil, nil
	}
	return s.ClusterSource(ctx, scope, d.AddDays(-(r.ClusterWindowDays - 1)), d)
}

// ClustersWith finds the clusters (聚集性疫情, SPEC §1) as of day d: groups of
// at least ClusterThreshold confirmed or asymptomatic cases, not struck and
// positive within the last ClusterWindowDays days, linked by transmission
// or a common exposure.
//
// Both kinds of evidence feed one grouping, so nothing is counted twice:
// cases are linked when their records name the same setting (BySetting),
// when an exposure of the window joins them, or when exposures of the
// window put them in the same setting (ByExposure) — case settings and
// exposure settings are one namespace. A cluster is a connected group of
// linked cases, so a case belongs to at most one cluster: a case-setting
// cluster and an exposure cluster that share a case are one cluster (with
// both kinds), counted once; links through cases that do not count on d
// (outside the window, struck, or not in ms, i.e. outside the scope) link
// nothing.
func ClustersWith(d storage.Date, ms []Milestones, r Rules, links []Link) []Cluster {
	from := d.AddDays(-(r.ClusterWindowDays - 1))
	positive := map[int64]storage.Date{}
	for _, m := range ms {
		if pos := firstPositive(m, d); !pos.IsZero() && !pos.Before(from.Time) && !on(m.Struck, d) {
			positive[m.CaseID] = pos
		}
	}
	g := grouping{uf: unionFind{}}
	bySetting := map[string][]member{}
	for _, m := range ms {
		if _, ok := positive[m.CaseID]; ok && m.Setting != "" {
			bySetting[m.Setting] = append(bySetting[m.Setting], member{m.CaseID, BySetting})
		}
	}
	for _, l := range links {
		if l.Day.IsZero() || l.Day.Before(from.Time) || l.Day.After(d.Time) {
			continue
		}
		var in []int64
		for _, id := range l.CaseIDs {
			if _, ok := positive[id]; ok {
				in = append(in, id)
			}
		}
		for _, id := range in[min(1, len(in)):] {
			g.join(in[0], id, ByExposure, l.Setting)
		}
		if l.Setting != "" {
			for _, id := range in {
				bySetting[l.Setting] = append(bySetting[l.Setting], member{id, ByExposure})
			}
		}
	}
	for st, group := range bySetting {
		if !slices.ContainsFunc(group, func(x member) bool { return x.id != group[0].id }) {
			continue // one case alone in its setting links nothing
		}
		for _, x := range group {
			g.join(group[0].id, x.id, x.kind, st)
		}
	}
	return g.clusters(positive, r.ClusterThreshold)
}

// member is a case put in a setting by one kind of evidence.
type member struct {
	id   int64
	kind ClusterKind
}

// grouping joins cases and remembers, per join, its kind and setting.
type grouping struct {
	uf    unionFind
	joins []join
}

type join struct {
	a       int64
	kind    ClusterKind
	setting string
}

func (g *grouping) join(a, b int64, kind ClusterKind, setting string) {
	g.uf.union(a, b)
	g.joins = append(g.joins, join{a, kind, setting})
}

// clusters gathers the groups of at least threshold counted cases, ordered
// by their first positive day, then their smallest case id.
func (g *grouping) clusters(positive map[int64]storage.Date, threshold int) []Cluster {
	members := map[int64][]int64{}
	for id := range positive {
		root := g.uf.find(id)
		members[root] = append(members[root], id)
	}
	byRoot := map[int64]*Cluster{}
	var out []Cluster
	for root, ids := range members {
		if len(ids) < max(threshold, 2) { // one case is never a cluster, whatever the setting says
			continue
		}
		c := &Cluster{CaseIDs: ids}
		for _, id := range ids {
			if p := positive[id]; c.First.IsZero() || p.Before(c.First.Time) {
				c.First = p
			}
			if p := positive[id]; p.After(c.Last.Time) {
				c.Last = p
			}
		}
		byRoot[root] = c
	}
	for _, j := range g.joins {
		c, ok := byRoot[g.uf.find(j.a)]
		if !ok {
			continue
		}
		if !slices.Contains(c.Kinds, j.kind) {
			c.Kinds = append(c.Kinds, j.kind)
		}
		if j.setting != "" && !slices.Contains(c.Settings, j.setting) {
			c.Settings = append(c.Settings, j.setting)
		}
	}
	for _, c := range byRoot {
		slices.Sort(c.CaseIDs)
		slices.Sort(c.Kinds)
		slices.Sort(c.Settings)
		if len(c.Settings) > 0 {
			c.Setting = c.Settings[0]
		}
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		if c := a.First.Compare(b.First.Time); c != 0 {
			return c
		}
		return int(a.CaseIDs[0] - b.CaseIDs[0])
	})
	return out
}

// unionFind groups linked cases.
type unionFind map[int64]int64

func (u unionFind) find(x int64) int64 {
	for {
		p, ok := u[x]
		if !ok || p == x {
			return x
		}
		if gp, ok := u[p]; ok {
			u[x] = gp // path halving
		}
		x = p
	}
}

func (u unionFind) union(a, b int64) {
	if ra, rb := u.find(a), u.find(b); ra != rb {
		u[ra] = rb
	}
}
