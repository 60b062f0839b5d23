package web

import (
	"context"
	"net/http"

	"fangkong/internal/platform/auth"
)

// The JSON API's common handler shapes. Most API routes read the path's
// {id} and/or a JSON body, call one store method with the caller's
// principal and answer what it returns; these build that handler from the
// method value, so a module's API file keeps only the routes that do more.
// Decoding errors and the method's errors become problem documents as
// for any Handler.

// ByID answers get(ctx, principal, {id}) with 200.
func ByID[Out any](get func(context.Context, *auth.Principal, int64) (Out, error)) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := PathID(r, "id")
		if err != nil {
			return err
		}
		out, err := get(r.Context(), auth.From(r.Context()), id)
		if err != nil {
			return err
		}
		return JSON(w, http.StatusOK, out)
	}
}

// WithID decodes an In from the body and answers
// call(ctx, principal, {id}, in) with status.
func WithID[In, Out any](status int, call func(context.Context, *auth.Principal, int64, In) (Out, error)) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := PathID(r, "id")
		if err != nil {
			return err
		}
		var in In
		if err := DecodeJSON(r, &in); err != nil {
			return err
		}
		out, err := call(r.Context(), auth.From(r.Context()), id, in)
		if err != nil {
			return err
		}
		return JSON(w, status, out)
	}
}

// WithBody decodes an In from the body and answers
// call(ctx, principal, in) with status.
func WithBody[In, Out any](status int, call func(context.Context, *auth.Principal, In) (Out, error)) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in In
		if err := DecodeJSON(r, &in); err != nil {
			return err
		}
		out, err := call(r.Context(), auth.From(r.Context()), in)
		if err != nil {
			return err
		}
		return JSON(w, status, out)
	}
}
