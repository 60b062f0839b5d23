package screening

import (
	"context"
	"strings"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/storage"
)

// Notice is one printable document: a medical-observation notice (医学观察
// 告知书) or a release certificate (解除医学观察通知书). It carries the
// person's name, ID number and address in full, as the paper needs them, so
// printing is a reveal and is audited.
type Notice struct {
	Observation Observation
	Name        string
	IDNumber    string
	Sex         string
	Address     string
	Village     Division
	Township    Division
}

// The two kinds of notice.
const (
	NoticeObservation = "notice"
	NoticeRelease     = "release"
)

// NoticeFilter picks the notices of a bulk print: a village's (or a
// township's) observations started on Date (notices) or released on Date
// (certificates).
type NoticeFilter struct {
	Kind       string
	DivisionID int64
	Date       storage.Date
}

// maxNotices bounds one bulk print.
const maxNotices = 2000

const noticeCols = `, p.id_number, p.sex, p.address, v.code, v.name_en, t.id, t.code, t.name_zh, t.name_en`

const noticeFrom = ` LEFT JOIN org_nodes v ON v.id = o.division_id LEFT JOIN org_nodes t ON t.id = v.parent_id`

// NoticeOne returns the notice (kind notice) or certificate (kind release)
// of one observation, for a caller with pii.reveal over its village; the
// print is written to the audit log.
func (s *Store) NoticeOne(ctx context.Context, p *auth.Principal, kind string, obsID int64) (Notice, error) {
	if _, err := s.getObs(ctx, s.DB.R, p, PermRead, obsID); err != nil {
		return Notice{}, err
	}
	var args storage.Args
	ns, err := s.notices(ctx, `o.id = `+args.Add(obsID)+` AND `+p.Scope(auth.PermPIIReveal).SQL("o.division_id", &args), args)
	if err != nil {
		return Notice{}, err
	}
	if len(ns) == 0 {
		return Notice{}, errs.Forbid()
	}
	if kind == NoticeRelease && ns[0].Observation.Status != Released {
		return Notice{}, errs.New(errs.Conflict, "screening.err.not_released")
	}
	return ns[0], s.auditPrint(ctx, kind, ns)
}

// Notices returns the notices of a bulk print, in village and name order,
// and audits the print as one reveal listing every observation.
func (s *Store) Notices(ctx context.Context, p *auth.Principal, f NoticeFilter) ([]Notice, error) {
	if f.Kind != NoticeObservation && f.Kind != NoticeRelease {
		return nil, errs.Field("kind", "errs.bad_choice")
	}
	if _, err := s.scope(ctx, p, PermRead, f.DivisionID); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p, auth.PermPIIReveal, f.DivisionID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil, errs.Forbid()
	}
	if err != nil {
		return nil, err
	}
	var args storage.Args
	state := StateNew
	if f.Kind == NoticeRelease {
		state = StateReleased
	}
	where := sc.SQL("o.division_id", &args) + ` AND ` + stateWhere(state, f.Date, &args)
	ns, err := s.notices(ctx, where, args)
	if err != nil || len(ns) == 0 {
		return ns, err
	}
	return ns, s.auditPrint(ctx, f.Kind, ns)
}

func (s *Store) notices(ctx context.Context, where string, args storage.Args) ([]Notice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+obsCols+noticeCols+obsFrom+noticeFrom+` WHERE `+where+
		` ORDER BY v.code, p.name, o.id LIMIT `+args.Add(maxNotices), args...)
	if err != nil {
		return nil, errs.Wrap(err, "notices")
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var tID *int64
		var tCode, tZH, tEN *string
		o, err := scanObservation(rows, &n.IDNumber, &n.Sex, &n.Address, &n.Village.Code, &n.Village.NameEN,
			&tID, &tCode, &tZH, &tEN)
		if err != nil {
			return nil, errs.Wrap(err, "notice scan")
		}
		n.Observation, n.Name = o, o.PersonName
		n.Village.ID, n.Village.NameZH = o.DivisionID, o.DivisionName
		if tID != nil {
			n.Township = Division{ID: *tID, Code: deref(tCode), NameZH: deref(tZH), NameEN: deref(tEN)}
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// auditPrint writes one reveal entry for a print of notices.
func (s *Store) auditPrint(ctx context.Context, kind string, ns []Notice) error {
	ids := make([]int64, len(ns))
	div := ns[0].Observation.DivisionID
	for i, n := range ns {
		ids[i] = n.Observation.ID
		if n.Observation.DivisionID != div {
			div = 0
		}
	}
	entityID := ""
	if len(ids) == 1 {
		entityID = itoa(ids[0])
	}
	err := audit.Write(ctx, s.DB.W, audit.ActionReveal, "observation."+kind, entityID, div, nil,
		map[string]any{"print": kind, "observations": ids, "fields": []string{"name", "id_number", "address"}})
	return errs.Wrap(err, "notice audit")
}

// Title is the notice's document title key.
func NoticeTitle(kind string) string {
	return "screening.notice." + strings.TrimSpace(kind) + ".title"
}
