package account

import (
	"net/http"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/web"
)

func (h *handlers) profile(w http.ResponseWriter, r *http.Request) error {
	return h.env.Render.Page(w, r, http.StatusOK, "account_profile", web.T(r, "account.title"), auth.From(r.Context()))
}

func (h *handlers) passwordPage(w http.ResponseWriter, r *http.Request) error {
	return h.env.Render.PageForm(w, r, http.StatusOK, "account_password", web.T(r, "account.password"), nil, web.NewForm(nil))
}

func (h *handlers) passwordSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := auth.From(r.Context())
	err = checkNewPassword(f)
	if err == nil {
		err = h.env.Auth.ChangeOwnPassword(r.Context(), p, sessionToken(r), f.Get("old_password"), f.Get("new_password"))
	}
	if err != nil {
		if !f.SetError(err) {
			return err
		}
		f.Values = nil // passwords are never sent back
		return h.env.Render.PageForm(w, r, web.Status(errs.CodeOf(err)), "account_password", web.T(r, "account.password"), nil, f)
	}
	web.Redirect(w, r, "/", "account.password_changed")
	return nil
}

func checkNewPassword(f *web.Form) error {
	var fc errs.FieldCollector
	if f.Get("old_password") == "" {
		fc.Add("old_password", "errs.required")
	}
	if err := auth.CheckStrength(f.Get("new_password")); err != nil {
		fc.Add("new_password", "auth.password_short", auth.MinPasswordLen)
	} else if f.Get("new_password") != f.Get("new_password2") {
		fc.Add("new_password2", "auth.password_mismatch")
	}
	return fc.Err()
}

// setLang switches the language: stored on the account when signed in, in a
// cookie otherwise.
func (h *handlers) setLang(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	lang := i18n.Parse(f.Get("lang"))
	if p := auth.From(r.Context()); p != nil {
		if err := h.env.Auth.SetLang(r.Context(), p.UserID, lang); err != nil {
			return errs.Wrap(err, "set lang")
		}
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(f.Get("next")), http.StatusSeeOther)
	return nil
}

func (h *handlers) users(w http.ResponseWriter, r *http.Request) error {
	users, err := h.env.Auth.Users(r.Context())
	if err != nil {
		return errs.Wrap(err, "users")
	}
	return h.env.Render.Page(w, r, http.StatusOK, "account_users", web.T(r, "nav.users"), users)
}

func (h *handlers) apiUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := h.env.Auth.Users(r.Context())
	if err != nil {
		return errs.Wrap(err, "users")
	}
	return web.JSON(w, http.StatusOK, map[string]any{"items": users})
}
