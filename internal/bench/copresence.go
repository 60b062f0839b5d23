package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
)

// The generated passage log: coCheckpoints checkpoints, coPersons people,
// coDays days, the people passing at random checkpoints at random times.
const (
	coCheckpoints = 2000
	coPersons     = 1_000_000
	coDays        = 60
	coWindow      = 15 * time.Minute
	coQueries     = 30
)

var coStart = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// coRow is one generated passage.
type coRow struct {
	cp     int64
	client string
	at     time.Time
	person string
}

func personKey(k int) string { return fmt.Sprintf("13052819%010d", k) }

// coPresence fills the database with o.CoRows passages and times the
// co-presence search of the contact tracing module for random people.
func coPresence(ctx context.Context, o Options, name, dsn string) error {
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	cps, err := makeCheckpoints(ctx, db)
	if err != nil {
		return err
	}
	start := time.Now()
	// A bulk load builds the two search indexes once at the end, sorted,
	// rather than row by row.
	if err := execAll(ctx, db, `DROP INDEX passages_checkpoint_at`, `DROP INDEX passages_person_at`); err != nil {
		return err
	}
	if db.Dialect == storage.Postgres {
		err = loadPostgres(ctx, dsn, cps, o.CoRows)
	} else {
		err = loadSQLite(ctx, db, cps, o.CoRows)
	}
	if err != nil {
		return err
	}
	if err := execAll(ctx, db, `CREATE INDEX passages_checkpoint_at ON passages(checkpoint_id, at)`,
		`CREATE INDEX passages_person_at ON passages(person_key, at)`, `ANALYZE passages`); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(o.Out, "\n== %s: co-presence search over %d passages (%d checkpoints, %d people, %d days, window ±%s)\n"+
		"   generated in %s (%.0f rows/s, indexes included)\n", name, o.CoRows, coCheckpoints, coPersons, coDays, coWindow,
		took.Round(time.Second), float64(o.CoRows)/took.Seconds())
	st := checkpoint.NewStore(db, nil, nil, nil)
	r := rand.New(rand.NewPCG(7, 7))
	var lat []time.Duration
	found, own := 0, 0
	for range coQueries {
		key := personKey(r.IntN(coPersons))
		t0 := time.Now()
		es, err := st.CoPresence(ctx, auth.System("bench"), key, coStart, coStart.AddDate(0, 0, coDays), coWindow)
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		found += len(es)
		own++
	}
	cold, warm := lat[0], slices.Clone(lat[1:])
	slices.Sort(warm)
	fmt.Fprintf(o.Out, "   %d searches (one person's passages over all %d days each, %.1f encounters per search):\n"+
		"   first (cold cache) %.1f ms · then p50 %.1f ms · p90 %.1f ms · max %.1f ms (target ≤ 100 ms)\n",
		len(lat), coDays, float64(found)/float64(own), ms(cold), ms(warm[len(warm)/2]), ms(warm[len(warm)*9/10]), ms(warm[len(warm)-1]))
	return nil
}

func execAll(ctx context.Context, db *storage.DB, stmts ...string) error {
	for _, q := range stmts {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("bench: %s: %w", q, err)
		}
	}
	return nil
}

// makeCheckpoints adds the generated log's checkpoints to the bench village.
func makeCheckpoints(ctx context.Context, db *storage.DB) ([]int64, error) {
	var village int64
	if err := db.R.QueryRowContext(ctx, `SELECT id FROM org_nodes WHERE code = '130528104201'`).Scan(&village); err != nil {
		return nil, err
	}
	var ids []int64
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		now := time.Now().UTC()
		for i := range coCheckpoints {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO checkpoints (division_id, kind, name, created_at, updated_at)
				VALUES ($1, 'road', $2, $3, $3) RETURNING id`, village, fmt.Sprintf("生成卡口%d", i+1), now).Scan(&id)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// generate calls emit for every generated passage, checkpoint by checkpoint
// in time order (the order the (checkpoint_id, at) index wants).
func generate(cps []int64, total int, emit func(coRow) error) error {
	r := rand.New(rand.NewPCG(20200222, 1))
	per := total / len(cps)
	span := int64(coDays * 24 * time.Hour / time.Second)
	times := make([]int64, per)
	n := 0
	for _, cp := range cps {
		for i := range times {
			times[i] = r.Int64N(span)
		}
		slices.Sort(times)
		for _, s := range times {
			n++
			row := coRow{cp: cp, client: fmt.Sprintf("00000000-0000-4000-8000-%012x", n), at: coStart.Add(time.Duration(s) * time.Second),
				person: personKey(r.IntN(coPersons))}
			if err := emit(row); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadSQLite inserts in transactions of 250,000 rows, 500 rows per INSERT.
func loadSQLite(ctx context.Context, db *storage.DB, cps []int64, total int) error {
	const perStmt, perTx = 500, 250_000
	if _, err := db.W.ExecContext(ctx, `PRAGMA cache_size = -1000000`); err != nil { // 1 GB for the index builds
		return err
	}
	insert := `INSERT INTO passages (checkpoint_id, client_id, at, direction, person_key, decision, digest, created_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, 'in', ?, 'pass', '', ?),", perStmt), ",")
	var tx *sql.Tx
	var stmt *sql.Stmt
	args := make([]any, 0, perStmt*5)
	rows, now := 0, time.Now().UTC()
	flush := func(commit bool) error {
		if len(args) > 0 {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			args = args[:0]
		}
		if commit {
			return tx.Commit()
		}
		return nil
	}
	begin := func() (err error) {
		if tx, err = db.W.BeginTx(ctx, nil); err != nil {
			return err
		}
		stmt, err = tx.PrepareContext(ctx, insert)
		return err
	}
	if err := begin(); err != nil {
		return err
	}
	err := generate(cps, total, func(r coRow) error {
		args = append(args, r.cp, r.client, r.at, r.person, now)
		rows++
		if len(args) == cap(args) {
			if err := flush(rows%perTx == 0); err != nil {
				return err
			}
			if rows%perTx == 0 {
				return begin()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(args) > 0 { // a partial last statement
		stmt, err := tx.PrepareContext(ctx, strings.Split(insert, "),")[0]+")")
		if err != nil {
			return err
		}
		for i := 0; i < len(args); i += 5 {
			if _, err := stmt.ExecContext(ctx, args[i:i+5]...); err != nil {
				return err
			}
		}
		args = args[:0]
	}
	return tx.Commit()
}

// loadPostgres streams the rows with COPY, 500,000 per transaction.
func loadPostgres(ctx context.Context, dsn string, cps []int64, total int) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	cols := []string{"checkpoint_id", "client_id", "at", "direction", "person_key", "decision", "digest", "created_at"}
	batch := make([][]any, 0, 500_000)
	now := time.Now().UTC()
	copyBatch := func() error {
		_, err := conn.CopyFrom(ctx, pgx.Identifier{"passages"}, cols, pgx.CopyFromRows(batch))
		batch = batch[:0]
		return err
	}
	err = generate(cps, total, func(r coRow) error {
		batch = append(batch, []any{r.cp, r.client, r.at, "in", r.person, "pass", "", now})
		if len(batch) == cap(batch) {
			return copyBatch()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = copyBatch()
	}
	return err
}
