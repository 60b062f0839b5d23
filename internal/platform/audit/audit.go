// Package audit is the append-only log of every write and every reveal or
// export of personal data (SPEC §0). Stores call Write inside the same
// transaction as the change, so a change and its record commit or fail together.
package audit

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
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
	// DivisionName and DivisionNameEN are the division's Chinese and English
	// names, filled by the Store's reads.
	DivisionName   string `json:"division_name,omitempty"`
	DivisionNameEN string `json:"division_name_en,omitempty"`
	Before         string `json:"before,omitempty"`
	After          string `json:"after,omitempty"`
	RemoteAddr     string `json:"remote_addr,omitempty"`
}

// Division is the entry's division in lang ("" when it has none).
func (e Entry) Division(lang i18n.Lang) string {
	return i18n.Pick(lang, e.DivisionName, e.DivisionNameEN)
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
	return WriteAll(ctx, q, []Record{{Ctx: ctx, Action: action, Entity: entity, EntityID: entityID,
		DivisionID: divisionID, Before: before, After: after}})
}

// Record is one entry for WriteAll: Write's arguments, with the context that
// names its author (principal and client address).
type Record struct {
	Ctx                      context.Context
	Action, Entity, EntityID string
	DivisionID               int64
	Before, After            any
}

// auditCols is the number of columns an entry writes.
const auditCols = 10

// WriteAll appends entries of several authors in one statement: the hot
// write paths (the passage group committer) record one entry per author of
// a group, and one round trip for all of them is what keeps that cheap on
// PostgreSQL.
func WriteAll(ctx context.Context, q storage.Querier, recs []Record) error {
	return storage.ExecAll(ctx, q, Statements(recs))
}

// Statements are the INSERTs that write recs, for a writer that sends them
// later with other statements (a storage.PipelineTx's COMMIT).
func Statements(recs []Record) []storage.Stmt {
	now := time.Now().UTC()
	var stmts []storage.Stmt
	for len(recs) > 0 {
		n := min(len(recs), maxPerStatement)
		stmts = append(stmts, insert(recs[:n], now))
		recs = recs[n:]
	}
	return stmts
}

// maxPerStatement bounds one INSERT's parameters (SQLite resolves $N by a
// linear search, so thousands of them would be slow).
const maxPerStatement = 100

func insert(recs []Record, now time.Time) storage.Stmt {
	var b strings.Builder
	b.WriteString(`INSERT INTO audit_log
		(at, actor_id, actor, action, entity, entity_id, division_id, before_json, after_json, remote_addr) VALUES `)
	args := make([]any, 0, len(recs)*auditCols)
	for i, r := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(storage.Placeholders(i*auditCols+1, auditCols))
		args = append(args, r.args(now)...)
	}
	return storage.Stmt{SQL: b.String(), Args: args}
}

// args are the INSERT arguments of one record, in WriteAll's column order.
func (r Record) args(now time.Time) []any {
	if r.Ctx == nil {
		r.Ctx = context.Background() // no author: the entry says "system"
	}
	actor, actorID, div := "system", any(nil), any(nil)
	if p := auth.From(r.Ctx); p != nil {
		actor = p.Username
		if p.UserID != 0 {
			actorID = p.UserID
		}
	}
	if r.DivisionID != 0 {
		div = r.DivisionID
	}
	addr, _ := r.Ctx.Value(addrKey{}).(string)
	return []any{now, actorID, actor, r.Action, r.Entity, r.EntityID, div, toJSON(r.Before), toJSON(r.After), addr}
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
