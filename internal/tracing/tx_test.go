package tracing_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"fangkong/internal/apptest"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/screening"
	"fangkong/internal/tracing"
)

// failingObserver writes the observation through screening, then fails: as
// if the disk filled up after the observation's rows, before the commit.
type failingObserver struct {
	*screening.Store
}

func (f failingObserver) ObserveContactTx(ctx context.Context, tx *sql.Tx, p *auth.Principal, person int64, last storage.Date,
	caseID int64, note string) (screening.Observation, error) {
	if _, err := f.Store.ObserveContactTx(ctx, tx, p, person, last, caseID, note); err != nil {
		return screening.Observation{}, err
	}
	return screening.Observation{}, errors.New("observation write failed")
}

// TestFailedObservationRollsBackTheExposure: an exposure and the observation
// it opens are one transaction, audit entries included.
func TestFailedObservationRollsBackTheExposure(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		srv := apptest.New(t, db)
		cmd := srv.As(t, apptest.Commander)
		vil := srv.Fix.DongwangVillage.ID
		source := register(t, cmd, vil, "病例甲", idNumber(41))
		contact := register(t, cmd, vil, "密接乙", idNumber(42))
		st := tracing.NewStore(srv.App.Env)
		real := st.Screening.(*screening.Store)
		st.Screening = failingObserver{real}
		ctx := context.Background()
		p := auth.System("test")
		in := tracing.ExposureInput{SourceID: source, ContactID: contact, Kind: "household", Day: "2020-02-18", Setting: "东汪村2号", Close: true}
		audits := count(t, db, `SELECT COUNT(*) FROM audit_log`)
		if _, err := st.Record(ctx, p, in); err == nil {
			t.Fatal("the failure was not reported")
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM tracing_exposures`:                                     0,
			`SELECT COUNT(*) FROM observations`:                                          0,
			`SELECT COUNT(*) FROM observation_changes`:                                   0,
			`SELECT COUNT(*) FROM audit_log`:                                             audits,
			`SELECT COUNT(*) FROM persons WHERE tags LIKE '%close_contact%'`:             0,
			`SELECT COUNT(*) FROM audit_log WHERE entity IN ('exposure', 'observation')`: 0,
		} {
			if got := count(t, db, q); got != want {
				t.Errorf("after the failure, %s = %d, want %d", q, got, want)
			}
		}
		// With screening working, both are written, and both audited.
		st.Screening = real
		e, err := st.Record(ctx, p, in)
		if err != nil {
			t.Fatal(err)
		}
		if e.ObservationID == 0 || count(t, db, `SELECT COUNT(*) FROM tracing_exposures WHERE observation_id IS NOT NULL`) != 1 ||
			count(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity IN ('exposure', 'observation')`) != 2 {
			t.Errorf("after success: %+v", e)
		}
	})
}
