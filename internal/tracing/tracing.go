// Package tracing is contact tracing (流调, SPEC §4): exposures between persons
// of the register (household, workplace, transport, gathering, checkpoint
// co-presence, other) with their day and setting; marking someone a close
// contact opens or extends their medical observation from the last exposure
// (through screening's Store.ObserveContactTx, in the exposure's own
// transaction); the chain of transmission (case → contacts → their
// contacts) computed from the exposures and rendered server-side, filtered,
// collapsed and paged so that it stays readable and fast at thousands of
// cases; a case's tracing page with checkpoint co-presence suggestions (who
// passed the same checkpoint near the case's passages, from the checkpoint
// module's passage log); and the exposures as evidence for clusters
// (聚集性疫情, SPEC §1): ClusterSource feeds surveillance's risk level, and
// the cluster list and its dashboard panel show the same clusters.
//
// A case is matched to its person in the register by ID number: the chain's
// roots are the persons who are confirmed or asymptomatic cases.
package tracing

import (
	"slices"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// The module's permissions.
const (
	PermRead  = auth.PermTracingRead
	PermWrite = auth.PermTracingWrite
)

func init() {
	for _, r := range []auth.Role{auth.Commander, auth.TownshipAdmin} {
		auth.AddPerms(r, PermRead, PermWrite)
	}
	for _, r := range []auth.Role{auth.Leader, auth.Auditor, auth.Inspector} {
		auth.AddPerms(r, PermRead)
	}
}

// Kind is where an exposure happened.
type Kind string

// The kinds of exposure.
const (
	Household  Kind = "household"  // 共同居住
	Workplace  Kind = "workplace"  // 同一工作场所
	Transport  Kind = "transport"  // 同乘交通工具
	Gathering  Kind = "gathering"  // 聚餐、聚会
	Checkpoint Kind = "checkpoint" // 卡口同时段通过
	Other      Kind = "other"
)

// Kinds lists them in display order.
var Kinds = []Kind{Household, Workplace, Transport, Gathering, Checkpoint, Other}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return slices.Contains(Kinds, k)
}

// Exposure is one exposure of a person (the contact) to another (the
// source: a case, or a contact of one). Names are masked.
type Exposure struct {
	ID          int64  `json:"id"`
	SourceID    int64  `json:"source_id"`
	SourceName  string `json:"source_name"`
	ContactID   int64  `json:"contact_id"`
	ContactName string `json:"contact_name"`
	DivisionID  int64  `json:"division_id"`
	i18n.DivisionNames
	Kind    Kind         `json:"kind"`
	Day     storage.Date `json:"day"`
	Setting string       `json:"setting"`
	Close   bool         `json:"close_contact"`
	CaseID  int64        `json:"case_id,omitempty"`
	// ObservationID and ObservationEnd are the contact's observation as the
	// exposure left it (close contacts only).
	ObservationID  int64        `json:"observation_id,omitempty"`
	ObservationEnd storage.Date `json:"observation_end"`
	Notes          string       `json:"notes"`
	CreatedBy      string       `json:"created_by"`
	CreatedAt      time.Time    `json:"created_at"`
}

// Masked returns a copy with both names masked.
func (e Exposure) Masked() Exposure {
	e.SourceName, e.ContactName = privacy.MaskName(e.SourceName), privacy.MaskName(e.ContactName)
	return e
}
