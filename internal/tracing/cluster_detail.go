package tracing

import (
	"context"
	"slices"
	"strings"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/privacy"
	"fangkong/internal/platform/storage"
)

// ClusterCase is one case of a cluster, its name masked.
type ClusterCase struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	i18n.DivisionNames
	Status   string       `json:"status"`              // as the case stands now
	PersonID int64        `json:"person_id,omitempty"` // the case's person in the register
	Positive storage.Date `json:"positive"`            // first confirmed or asymptomatic
	Setting  string       `json:"setting"`             // as the case record names it
	Onset    storage.Date `json:"onset_date,omitzero"` // as the case record says
	Links    int          `json:"exposures"`           // exposures of the window touching them
}

// ClusterDetail is one cluster as of a day, with its records: the cases and
// the exposures of the window that link them.
type ClusterDetail struct {
	Cluster
	Date      storage.Date  `json:"date"`
	Cases     []ClusterCase `json:"cases"`
	Exposures []Exposure    `json:"exposures"`
}

// ClusterOf is the cluster that case caseID belongs to on day d (NotFound
// when it belongs to none, or is outside the caller's scope), with its cases
// and the exposures of the window between its case persons or in one of its
// settings, read in the caller's tracing scope and masked.
func (s *Store) ClusterOf(ctx context.Context, p *auth.Principal, d storage.Date, caseID int64) (ClusterDetail, error) {
	l, err := s.Clusters(ctx, p, d)
	if err != nil {
		return ClusterDetail{}, err
	}
	i := slices.IndexFunc(l.Items, func(c Cluster) bool { return slices.Contains(c.CaseIDs, caseID) })
	if i < 0 {
		return ClusterDetail{}, errs.NotFoundf()
	}
	v := ClusterDetail{Cluster: l.Items[i], Date: d, Exposures: []Exposure{}}
	if v.Cases, err = s.clusterCases(ctx, p, v.CaseIDs, d); err != nil {
		return v, err
	}
	persons := map[int64]int{}
	for i, c := range v.Cases {
		if c.PersonID != 0 {
			persons[c.PersonID] = i
		}
	}
	es, err := s.exposuresOf(ctx, p, keys(persons), d.AddDays(-(l.WindowDays - 1)), d)
	if err != nil {
		return v, err
	}
	for _, e := range es {
		a, fromCase := persons[e.SourceID]
		b, toCase := persons[e.ContactID]
		if !(fromCase && toCase) && !slices.Contains(v.Settings, e.Setting) {
			continue
		}
		if fromCase {
			v.Cases[a].Links++
		}
		if toCase {
			v.Cases[b].Links++
		}
		v.Exposures = append(v.Exposures, e)
	}
	return v, nil
}

func keys(m map[int64]int) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// clusterCases describes the given cases, in the caller's case.read scope.
func (s *Store) clusterCases(ctx context.Context, p *auth.Principal, ids []int64, d storage.Date) ([]ClusterCase, error) {
	var args storage.Args
	ph := make([]string, len(ids))
	for i, id := range ids {
		ph[i] = args.Add(id)
	}
	day := args.Add(d)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT c.id, c.name, n.name_zh, n.name_en, c.status, c.setting, c.onset_date, COALESCE(MAX(p.id), 0),
		MIN(CASE WHEN e.kind IN ('confirmed', 'asymptomatic') AND e.day <= `+day+` THEN e.day END)
		FROM cases c JOIN org_nodes n ON n.id = c.division_id JOIN case_events e ON e.case_id = c.id
		LEFT JOIN persons p ON p.id_number = c.id_number AND c.id_number <> '' AND p.merged_into IS NULL
		WHERE c.id IN (`+strings.Join(ph, ", ")+`) AND `+p.Scope(auth.PermCaseRead).SQL("c.division_id", &args)+`
		GROUP BY c.id, c.name, n.name_zh, n.name_en, c.status, c.setting, c.onset_date ORDER BY c.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "cluster cases")
	}
	defer rows.Close()
	var out []ClusterCase
	for rows.Next() {
		var c ClusterCase
		if err := rows.Scan(&c.ID, &c.Name, &c.DivisionName, &c.DivisionNameEN, &c.Status, &c.Setting, &c.Onset, &c.PersonID, &c.Positive); err != nil {
			return nil, errs.Wrap(err, "cluster case scan")
		}
		c.Name = privacy.MaskName(c.Name)
		out = append(out, c)
	}
	return out, rows.Err()
}

// exposuresOf lists the exposures dated from..to with one of the persons on
// either side, in the caller's tracing scope, oldest first, masked.
func (s *Store) exposuresOf(ctx context.Context, p *auth.Principal, persons []int64, from, to storage.Date) ([]Exposure, error) {
	if len(persons) == 0 {
		return nil, nil
	}
	var args storage.Args
	ph := make([]string, len(persons))
	for i, id := range persons {
		ph[i] = args.Add(id)
	}
	in := strings.Join(ph, ", ")
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+expCols+expFrom+` WHERE (e.source_id IN (`+in+`) OR e.contact_id IN (`+in+`))
		AND e.day >= `+args.Add(from)+` AND e.day <= `+args.Add(to)+` AND `+p.Scope(PermRead).SQL("e.division_id", &args)+
		` ORDER BY e.day, e.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "cluster exposures")
	}
	defer rows.Close()
	var out []Exposure
	for rows.Next() {
		e, err := scanExposure(rows)
		if err != nil {
			return nil, errs.Wrap(err, "cluster exposure scan")
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
