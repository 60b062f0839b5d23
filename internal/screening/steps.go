package screening

import (
	"context"
	"database/sql"

	"fangkong/internal/platform/storage"
)

// A MergeStep is another module's part in a merge of two records of one
// person: inside the merge's transaction, after screening moved its own rows,
// it moves what the module keeps about person from to person to. An error
// undoes the whole merge.
type MergeStep func(ctx context.Context, tx *sql.Tx, from, to int64) error

// Ending says how observations stopped being what they were.
type Ending string

// The endings other modules follow.
const (
	EndReleased    Ending = "released"    // released (解除医学观察)
	EndTransferred Ending = "transferred" // ended as transferred (a suspected or confirmed result)
	EndHospital    Ending = "hospital"    // the person was taken to hospital; the observation goes on until the result
	EndHome        Ending = "home"        // moved from centralized to home observation
)

// Ended is what an EndStep is told: which observations, how, on which day.
type Ended struct {
	Observations []int64
	How          Ending
	Day          storage.Date
	Note         string
}

// An EndStep is another module's part in a transaction that ends
// observations, takes their person to hospital or moves them home (isolation
// closes the stays they had at a site). An error undoes the whole change.
type EndStep func(ctx context.Context, tx *sql.Tx, e Ended) error

// Steps are other modules' parts in screening's transactions. The app wiring
// hands them to Register: screening cannot import the modules that build on
// it, and a Store holds them rather than a package variable so that every
// store says what it runs.
type Steps struct {
	Merge []MergeStep
	Ended []EndStep
}

// With is s followed by each of more.
func (s Steps) With(more ...Steps) Steps {
	out := Steps{Merge: append([]MergeStep(nil), s.Merge...), Ended: append([]EndStep(nil), s.Ended...)}
	for _, m := range more {
		out.Merge = append(out.Merge, m.Merge...)
		out.Ended = append(out.Ended, m.Ended...)
	}
	return out
}

// merged runs the merge steps.
func (s *Store) merged(ctx context.Context, tx *sql.Tx, from, to int64) error {
	for _, step := range s.Steps.Merge {
		if err := step(ctx, tx, from, to); err != nil {
			return err
		}
	}
	return nil
}

// ended runs the end steps.
func (s *Store) ended(ctx context.Context, tx *sql.Tx, e Ended) error {
	if len(e.Observations) == 0 {
		return nil
	}
	for _, step := range s.Steps.Ended {
		if err := step(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
