package account

import (
	"net/http"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/web"
)

func (h *handlers) loginPage(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(r.URL.Query())
	return h.env.Render.PageForm(w, r, http.StatusOK, "account_login", web.T(r, "login.title"), nil, f)
}

func (h *handlers) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	token, p, err := h.env.Auth.Login(r.Context(), strings.TrimSpace(f.Get("username")), f.Get("password"), web.ClientAddr(r))
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		f.Values.Del("password") // never echo a password back
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "account_login", web.T(r, "login.title"), nil, f)
	}
	h.env.SetSession(w, token)
	next := safeNext(f.Get("next"))
	if p.MustChangePassword {
		next = "/account/password"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *handlers) logout(w http.ResponseWriter, r *http.Request) error {
	if t := sessionToken(r); t != "" {
		h.env.Auth.Logout(r.Context(), t)
	}
	h.env.ClearSession(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type meResponse struct {
	Username           string       `json:"username"`
	DisplayName        string       `json:"display_name"`
	Lang               string       `json:"lang"`
	MustChangePassword bool         `json:"must_change_password"`
	Grants             []auth.Grant `json:"grants"`
}

func me(p *auth.Principal) meResponse {
	return meResponse{Username: p.Username, DisplayName: p.DisplayName, Lang: string(p.Lang),
		MustChangePassword: p.MustChangePassword, Grants: p.Grants}
}

func (h *handlers) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	var fc errs.FieldCollector
	if req.Username == "" {
		fc.Add("username", "errs.required")
	}
	if req.Password == "" {
		fc.Add("password", "errs.required")
	}
	if err := fc.Err(); err != nil {
		return err
	}
	token, p, err := h.env.Auth.Login(r.Context(), req.Username, req.Password, web.ClientAddr(r))
	if err != nil {
		return err
	}
	h.env.SetSession(w, token)
	return web.JSON(w, http.StatusOK, me(p))
}

func (h *handlers) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if t := sessionToken(r); t != "" {
		h.env.Auth.Logout(r.Context(), t)
	}
	h.env.ClearSession(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *handlers) apiMe(w http.ResponseWriter, r *http.Request) error {
	return web.JSON(w, http.StatusOK, me(auth.From(r.Context())))
}
