package auth

import (
	"context"
	"strings"

	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Grant is one role held over one scope. NodePath is filled for node scopes
// (the org node's path, e.g. '/1/4/'), so scope checks need no extra query;
// ScopeName and ScopeNameEN are the node's Chinese and English names.
type Grant struct {
	Role        Role      `json:"role"`
	ScopeKind   ScopeKind `json:"scope_kind"`
	ScopeID     int64     `json:"scope_id"`
	NodePath    string    `json:"-"`
	ScopeName   string    `json:"scope_name,omitempty"`
	ScopeNameEN string    `json:"scope_name_en,omitempty"`
}

// Division is the node scope's name in lang ("" for other scopes).
func (g Grant) Division(lang i18n.Lang) string { return i18n.Pick(lang, g.ScopeName, g.ScopeNameEN) }

// Principal is the signed-in user as every handler and store sees it.
type Principal struct {
	UserID             int64
	Username           string
	DisplayName        string
	Lang               i18n.Lang
	MustChangePassword bool
	Grants             []Grant
	// System marks the loader's own principal (CLI, demo, imports run by an
	// operator): every permission over the whole tree. Never set for a request.
	System bool
}

// System returns the principal of command-line tools and the demo loader.
func System(name string) *Principal { return &Principal{Username: name, System: true} }

// Can reports whether any of the user's grants carries perm.
func (p *Principal) Can(perm Perm) bool {
	if p == nil {
		return false
	}
	if p.System {
		return true
	}
	for _, g := range p.Grants {
		if g.Role.Has(perm) {
			return true
		}
	}
	return false
}

// HasRole reports whether the user holds role anywhere.
func (p *Principal) HasRole(role Role) bool {
	for _, g := range p.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// Scope is the territory in which the user may use perm: the node subtrees of
// every grant whose role carries it. Stores filter every read with it.
func (p *Principal) Scope(perm Perm) Scope {
	var s Scope
	if p == nil {
		return s
	}
	if p.System {
		return Scope{Paths: []string{"/"}}
	}
	for _, g := range p.Grants {
		if g.ScopeKind == ScopeNode && g.Role.Has(perm) && g.NodePath != "" {
			s.Paths = append(s.Paths, g.NodePath)
		}
	}
	return s
}

// ScopeIDs lists the scope ids of the given kind in grants whose role carries
// perm: the checkpoints, sites or enterprises a user works at.
func (p *Principal) ScopeIDs(kind ScopeKind, perm Perm) []int64 {
	var ids []int64
	for _, g := range p.Grants {
		if g.ScopeKind == kind && g.Role.Has(perm) {
			ids = append(ids, g.ScopeID)
		}
	}
	return ids
}

// Scope is a set of org subtrees, by path. The zero Scope covers nothing.
type Scope struct{ Paths []string }

// Empty reports whether the scope covers nothing.
func (s Scope) Empty() bool { return len(s.Paths) == 0 }

// Contains reports whether the node with the given path lies in the scope.
func (s Scope) Contains(path string) bool {
	for _, p := range s.Paths {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// SQL returns a predicate limiting col — a column holding an org node id — to
// the scope, adding its arguments to args. An empty scope yields a predicate
// that matches nothing, so a forgotten grant fails closed.
func (s Scope) SQL(col string, args *storage.Args) string {
	if s.Empty() {
		return "1=0"
	}
	parts := make([]string, len(s.Paths))
	for i, p := range s.Paths {
		parts[i] = "path LIKE " + args.Add(p+"%")
	}
	return col + " IN (SELECT id FROM org_nodes WHERE " + strings.Join(parts, " OR ") + ")"
}

// Narrow intersects the scope with one node's subtree (a drill-down): the
// result is the node itself if the scope contains it, the parts of the scope
// below it otherwise.
func (s Scope) Narrow(path string) Scope {
	if s.Contains(path) {
		return Scope{Paths: []string{path}}
	}
	var out Scope
	for _, p := range s.Paths {
		if strings.HasPrefix(p, path) {
			out.Paths = append(out.Paths, p)
		}
	}
	return out
}

type ctxKey struct{}

// WithPrincipal stores p in ctx.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal in ctx, or nil for an anonymous request.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}
