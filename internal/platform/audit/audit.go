// Package audit is the append-only log of every write and every reveal or
// export of personal data (SPEC §0). Stores call Write inside the same
// transaction as the change, so a change and its record commit or fail together.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
)

// Actions that are not plain writes.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionReveal = "reveal" // a full ID number, phone or address was shown
	ActionExport = "export" // a list was exported
	ActionLogin  = "login"
	ActionImport = "import"
)

// Entry is one audit record.
type Entry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	EntityID   string    `json:"entity_id"`
	DivisionID int64     `json:"division_id,omitempty"`
	// DivisionName is the division's Chinese name, filled by the Store's reads.
	DivisionName string `json:"division_name,omitempty"`
	Before       string `json:"before,omitempty"`
	After        string `json:"after,omitempty"`
	RemoteAddr   string `json:"remote_addr,omitempty"`
}

type addrKey struct{}

// WithRemoteAddr remembers the client address for entries written in ctx.
func WithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, addrKey{}, addr)
}

// Write appends one entry. before and after are any JSON-encodable values
// (nil for none); the actor comes from the principal in ctx, or "system".
// before and after are shown to auditors, who hold no pii.reveal: pass
// personal data masked (e.g. Case.Masked()), never in full.
func Write(ctx context.Context, q storage.Querier, action, entity, entityID string, divisionID int64, before, after any) error {
	e := Entry{At: time.Now().UTC(), Actor: "system", Action: action, Entity: entity,
		EntityID: entityID, DivisionID: divisionID, Before: toJSON(before), After: toJSON(after)}
	if p := auth.From(ctx); p != nil {
		e.ActorID, e.Actor = p.UserID, p.Username
	}
	e.RemoteAddr, _ = ctx.Value(addrKey{}).(string)
	var div any
	if divisionID != 0 {
		div = divisionID
	}
	var actorID any
	if e.ActorID != 0 {
		actorID = e.ActorID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_id, actor, action, entity, entity_id, division_id, before_json, after_json, remote_addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.At, actorID, e.Actor, e.Action, e.Entity, e.EntityID, div, e.Before, e.After, e.RemoteAddr)
	return err
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
