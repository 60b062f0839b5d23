package web

import (
	"context"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
)

// Tile is one figure on the command dashboard, linked to its records.
type Tile struct {
	Label i18n.Msg
	Value string
	Href  string
	Hot   bool   // draws attention: an alert, an overdue item
	Fig   string // a stable name for tests and scripts (data-figure)
}

// Panel is one module's block of tiles on the dashboard.
type Panel struct {
	Title i18n.Msg
	Tiles []Tile
	More  string // link to the module's own overview for the day
}

// PanelSource lets a module put its figures for day D on the command
// dashboard without the dashboard importing it. Load runs with the viewer's
// principal, so every figure is scoped like the module's own pages.
type PanelSource struct {
	Order int
	Perm  auth.Perm
	// Also is a second permission the viewer must hold, if any: a panel
	// that lists records of another module needs that module's too.
	Also auth.Perm
	Load func(ctx context.Context, p *auth.Principal, d storage.Date) (Panel, error)
}

// Panel registers a dashboard panel.
func (rt *Router) Panel(src PanelSource) { rt.Env.panels = append(rt.Env.panels, src) }

// Panels loads, in order, the panels the viewer may see for day d.
func (e *Env) Panels(ctx context.Context, p *auth.Principal, d storage.Date) ([]Panel, error) {
	srcs := append([]PanelSource(nil), e.panels...)
	for i := 1; i < len(srcs); i++ {
		for j := i; j > 0 && srcs[j].Order < srcs[j-1].Order; j-- {
			srcs[j], srcs[j-1] = srcs[j-1], srcs[j]
		}
	}
	var out []Panel
	for _, s := range srcs {
		if !p.Can(s.Perm) || (s.Also != "" && !p.Can(s.Also)) {
			continue
		}
		pn, err := s.Load(ctx, p, d)
		if err != nil {
			return nil, err
		}
		out = append(out, pn)
	}
	return out, nil
}
