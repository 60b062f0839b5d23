package tracing

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// SearchDays is how far before a case's onset (or, without one, its first
// positive day) its movements are searched for contacts.
const SearchDays = 14

// CaseView is a case as its tracing page shows it: masked, with its person
// in the register and the days its contacts are searched in.
type CaseView struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"` // masked
	DivisionID int64  `json:"division_id"`
	i18n.DivisionNames
	Status   string       `json:"status"`
	Onset    storage.Date `json:"onset_date,omitzero"`
	Positive storage.Date `json:"positive,omitzero"` // first confirmed or asymptomatic
	// PersonID is the case's person in the register (by ID number), in the
	// caller's tracing scope; 0 when there is none: exposures need one.
	PersonID int64 `json:"person_id,omitempty"`
	// From and To are the days searched: SearchDays before onset (or the
	// first positive day) up to the first positive day (today while the
	// case is not yet positive).
	From storage.Date `json:"searched_from"`
	To   storage.Date `json:"searched_to"`

	idNumber, phone string
}

// Case loads a case in the caller's case.read scope (NotFound outside it).
func (s *Store) Case(ctx context.Context, p *auth.Principal, id int64) (CaseView, error) {
	var args storage.Args
	var c CaseView
	var statusDate storage.Date
	err := s.DB.R.QueryRowContext(ctx, `SELECT c.id, c.name, c.division_id, n.name_zh, n.name_en, c.status, c.onset_date, c.status_date,
		c.id_number, c.phone, (SELECT MIN(e.day) FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('confirmed', 'asymptomatic'))
		FROM cases c JOIN org_nodes n ON n.id = c.division_id WHERE c.id = `+args.Add(id)+` AND `+
		p.Scope(auth.PermCaseRead).SQL("c.division_id", &args), args...).Scan(&c.ID, &c.Name, &c.DivisionID, &c.DivisionName,
		&c.DivisionNameEN, &c.Status, &c.Onset, &statusDate, &c.idNumber, &c.phone, &c.Positive)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFoundf()
	}
	if err != nil {
		return c, errs.Wrap(err, "tracing case")
	}
	c.Name = privacy.MaskName(c.Name)
	c.From, c.To = searchPeriod(c.Onset, c.Positive, statusDate, s.Today())
	if c.idNumber != "" {
		args = storage.Args{}
		err = s.DB.R.QueryRowContext(ctx, `SELECT p.id FROM persons p WHERE p.id_number = `+args.Add(strings.ToUpper(c.idNumber))+
			` AND p.merged_into IS NULL AND `+p.Scope(PermRead).SQL("p.division_id", &args), args...).Scan(&c.PersonID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return c, errs.Wrap(err, "tracing case person")
		}
	}
	return c, nil
}

// searchPeriod is the days a case's movements are searched in: SearchDays
// before the earlier of onset and first positive day, up to the first
// positive day (the case is isolated from then on), or up to today for a
// case not yet positive. A case with neither date is searched from its
// status date.
func searchPeriod(onset, positive, status, today storage.Date) (storage.Date, storage.Date) {
	anchor := positive
	if !onset.IsZero() && (anchor.IsZero() || onset.Before(anchor.Time)) {
		anchor = onset
	}
	if anchor.IsZero() {
		anchor = status
	}
	to := positive
	if to.IsZero() {
		to = today
	}
	return anchor.AddDays(-SearchDays), to
}

// dayStart is the first instant of day d in zone.
func dayStart(d storage.Date, zone *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone)
}

// zone is the county's zone.
func (s *Store) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.FixedZone("CST", 8*3600)
}

// CaseRow is a case in the list of cases to trace, its name masked.
type CaseRow struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	i18n.DivisionNames
	Status     string       `json:"status"`
	StatusDate storage.Date `json:"status_date"`
}

// TraceCases lists the latest cases in the caller's case.read scope that
// tracing works on (not excluded, not struck), newest status first.
func (s *Store) TraceCases(ctx context.Context, p *auth.Principal, limit int) ([]CaseRow, error) {
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.id, c.name, n.name_zh, n.name_en, c.status, c.status_date FROM cases c
		JOIN org_nodes n ON n.id = c.division_id WHERE c.status NOT IN ('excluded', 'struck') AND `+
		p.Scope(auth.PermCaseRead).SQL("c.division_id", &args)+` ORDER BY c.status_date DESC, c.id DESC LIMIT `+args.Add(limit), args...)
	if err != nil {
		return nil, errs.Wrap(err, "trace cases")
	}
	defer rows.Close()
	var out []CaseRow
	for rows.Next() {
		var c CaseRow
		if err := rows.Scan(&c.ID, &c.Name, &c.DivisionName, &c.DivisionNameEN, &c.Status, &c.StatusDate); err != nil {
			return nil, errs.Wrap(err, "trace case scan")
		}
		c.Name = privacy.MaskName(c.Name)
		out = append(out, c)
	}
	return out, rows.Err()
}
