package liaison

import (
	"context"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
)

// RaiseProblem raises a liaison problem through the problem workflow. From a
// visit (VisitID), the visit's target and day are the defaults and the
// problem links back to it; otherwise the target is named.
func (s *Store) RaiseProblem(ctx context.Context, p *auth.Principal, in ProblemInput) (problem.Problem, error) {
	pin := problem.Input{Source: Source, Category: in.Category, Title: in.Title, Description: in.Description,
		DivisionID: in.DivisionID, EnterpriseID: in.EnterpriseID, DepartmentID: in.DepartmentID,
		Deadline: in.Deadline, RaisedOn: in.RaisedOn}
	if in.VisitID < 0 {
		return problem.Problem{}, errs.Field("visit_id", "errs.bad_type")
	}
	if in.VisitID != 0 {
		v, err := s.visit(ctx, s.DB.R, p, in.VisitID)
		if errs.CodeOf(err) == errs.NotFound {
			return problem.Problem{}, errs.Field("visit_id", "liaison.visit_unknown")
		}
		if err != nil {
			return problem.Problem{}, err
		}
		pin.SourceID = v.ID
		if pin.DivisionID == 0 && pin.EnterpriseID == 0 {
			pin.DivisionID, pin.EnterpriseID = v.DivisionID, v.EnterpriseID
			if v.EnterpriseID != 0 {
				pin.DivisionID = 0
			}
		}
		if pin.RaisedOn == "" {
			pin.RaisedOn = v.Day.String()
		}
	}
	if pin.DivisionID != 0 && pin.EnterpriseID != 0 {
		return problem.Problem{}, errs.Field("enterprise_id", "liaison.one_target")
	}
	return s.Problems.Raise(ctx, p, pin, Categories)
}

// Involvement is what a leader answers for: the problems they raised, and
// those raised for their townships, villages and enterprises while assigned.
// The reader's scope decides which assignments are seen.
func (s *Store) Involvement(ctx context.Context, p *auth.Principal, leaderID int64) (problem.Involvement, []Assignment, error) {
	as, err := s.Assignments(ctx, p, leaderID, s.today())
	if err != nil {
		return problem.Involvement{}, nil, err
	}
	return involvementOf(leaderID, as), as, nil
}

func involvementOf(leaderID int64, as []Assignment) problem.Involvement {
	iv := problem.Involvement{UserID: leaderID}
	for _, a := range as {
		iv.Windows = append(iv.Windows, a.Window())
	}
	return iv
}

// LeaderProblems lists the liaison problems a leader answers for, as the
// reader may see them: overdue on day asOf first, then those waiting for
// confirmation, then the other open ones by deadline, then the closed.
func (s *Store) LeaderProblems(ctx context.Context, p *auth.Principal, leaderID int64, asOf storage.Date, cursor string, limit int) (problem.Page, error) {
	iv, _, err := s.Involvement(ctx, p, leaderID)
	if err != nil {
		return problem.Page{}, err
	}
	return s.Problems.List(ctx, p, problem.Filter{Source: Source, Involving: &iv, AsOf: asOf, Cursor: cursor, Limit: limit})
}
