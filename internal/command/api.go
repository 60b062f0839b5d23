package command

import (
	"context"
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/web"
	"fangkong/internal/surveillance"
)

// apiDashboard answers GET /api/v1/dashboard?date=&division=: the page's
// figures, rows and trend as JSON.
func (h *handlers) apiDashboard(w http.ResponseWriter, r *http.Request) error {
	d, div, err := h.params(r)
	if err != nil {
		return err
	}
	db, err := h.load.load(r.Context(), auth.From(r.Context()), string(web.RequestLang(r)), d, div)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, db)
}

// summaryResponse is the day's figures, with the division code asked for.
type summaryResponse struct {
	surveillance.Summary
	Division string `json:"division,omitempty"`
}

// apiSummary answers GET /api/v1/surveillance/summary?date=&division=CODE:
// the day's figures over the caller's scope or one division of it, named by
// its statistical code.
func (h *handlers) apiSummary(w http.ResponseWriter, r *http.Request) error {
	d, err := h.env.AsOf(r)
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("division")
	s, err := h.load.summary(r.Context(), auth.From(r.Context()), d, code)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, summaryResponse{Summary: s, Division: code})
}

// summary computes the figures of day d over the caller's dashboard scope,
// narrowed to the division with the given code when code is set: unknown or
// outside the scope, it is not found.
func (l *loader) summary(ctx context.Context, p *auth.Principal, d storage.Date, code string) (surveillance.Summary, error) {
	scope := p.Scope(auth.PermDashboard)
	if code != "" {
		n, err := l.org.ByCode(ctx, code)
		if err != nil {
			return surveillance.Summary{}, err // NotFound for an unknown code
		}
		if scope = scope.Narrow(n.Path); scope.Empty() {
			return surveillance.Summary{}, errs.NotFoundf()
		}
	}
	ms, err := l.surv.Milestones(ctx, scope, d)
	if err != nil {
		return surveillance.Summary{}, err
	}
	rules := l.surv.Rules(ctx)
	links, err := l.surv.Links(ctx, scope, d, rules)
	if err != nil {
		return surveillance.Summary{}, err
	}
	return surveillance.ComputeWith(d, ms, rules, links), nil
}
