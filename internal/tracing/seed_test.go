package tracing_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"fangkong/internal/platform/storage"
)

// seedChains writes, in one transaction, `cases` confirmed cases in the given
// villages, each with its person, and `contacts` exposed persons: three in
// four exposed to a case (generation 1), one in four to the case's first
// contact (generation 2). Rows go in by SQL, not the stores: this is the
// volume fixture of the chain view, not a test of the write path.
func seedChains(t testing.TB, db *storage.DB, villages []int64, cases, contacts int) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2020, 2, 22, 2, 0, 0, 0, time.UTC)
	day := storage.MustDate("2020-02-01")
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		person := func(n int, div int64) (int64, error) {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO persons (division_id, name, id_number, screened_on, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, div, fmt.Sprintf("链%d", n), fmt.Sprintf("T%017d", n), day, now).Scan(&id)
			return id, err
		}
		seq := 0
		perCase := contacts / max(cases, 1)
		for c := range cases {
			div := villages[c%len(villages)]
			seq++
			pid, err := person(seq, div)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO cases (division_id, name, id_number, status, status_date, created_at, updated_at)
				VALUES ($1, $2, $3, 'confirmed', $4, $5, $5)`, div, fmt.Sprintf("链%d", seq), fmt.Sprintf("T%017d", seq), day, now); err != nil {
				return err
			}
			first := int64(0)
			for k := range perCase {
				seq++
				cid, err := person(seq, div)
				if err != nil {
					return err
				}
				src := pid
				if k > 0 && k%4 == 3 {
					src = first
				}
				if k == 0 {
					first = cid
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO tracing_exposures (source_id, contact_id, division_id, kind, day,
					setting, is_close, created_by, created_at) VALUES ($1, $2, $3, 'household', $4, $5, TRUE, 'seed', $6)`,
					src, cid, div, day.AddDays(k%14), fmt.Sprintf("家庭%d", c), now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
