package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BulkTx is a write transaction that, on PostgreSQL, can also load rows with
// the COPY protocol. A multi-row INSERT makes the client encode every value as
// a parameter and the server parse and plan every statement; COPY streams the
// rows in binary.
//
// COPY … FROM STDIN and sequences work alike on PostgreSQL, Citus and
// YugabyteDB (which, inside a transaction block as here, copies in that one
// transaction rather than committing every 20,000 rows); SQLite has neither,
// so callers check CanCopy and keep their INSERT path there.
type BulkTx struct {
	*sql.Tx
	conn    *sql.Conn
	dialect Dialect
}

// ErrNoCopy is returned by the COPY methods on an engine without COPY.
var ErrNoCopy = errors.New("storage: COPY needs PostgreSQL")

// InBulkTx is InTx for bulk loads: it holds one connection for the whole
// transaction, so that fn's CopyFrom runs inside it.
func (db *DB) InBulkTx(ctx context.Context, fn func(tx *BulkTx) error) error {
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storage: connection: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	if err := fn(&BulkTx{Tx: tx, conn: conn, dialect: db.Dialect}); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// CanCopy reports whether CopyFrom and NextIDs work on this engine.
func (tx *BulkTx) CanCopy() bool { return tx.dialect == Postgres }

// CopyFrom inserts rows (values in the order of cols) into table with COPY,
// inside the transaction. Values are what the INSERT path would bind; Date
// becomes a DATE (COPY's binary format does not take Date's text form). A
// unique violation is reported as by an INSERT (see IsUniqueViolation).
func (tx *BulkTx) CopyFrom(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	if !tx.CanCopy() {
		return 0, ErrNoCopy
	}
	var n int64
	err := tx.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("storage: COPY on a %T connection", dc)
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, &copyRows{rows: rows, at: -1})
		return err
	})
	return n, err
}

// NextIDs reserves n ids from the identity (or serial) column id of table,
// ascending, for rows that CopyFrom then inserts with their ids. Sequences
// never hand a value out twice, so concurrent writers cannot collide.
func (tx *BulkTx) NextIDs(ctx context.Context, table string, n int) ([]int64, error) {
	if !tx.CanCopy() {
		return nil, ErrNoCopy
	}
	var seq string
	if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, table).Scan(&seq); err != nil {
		return nil, fmt.Errorf("storage: sequence of %s: %w", table, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT nextval($1::regclass) AS id FROM generate_series(1, $2) ORDER BY id`, seq, n)
	if err != nil {
		return nil, fmt.Errorf("storage: reserve ids: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// copyRows feeds CopyFrom from a slice, converting the values COPY cannot
// encode as they are.
type copyRows struct {
	rows [][]any
	at   int
	buf  []any
}

func (r *copyRows) Next() bool { r.at++; return r.at < len(r.rows) }
func (r *copyRows) Err() error { return nil }

func (r *copyRows) Values() ([]any, error) {
	row := r.rows[r.at]
	r.buf = append(r.buf[:0], row...)
	for i, v := range r.buf {
		if d, ok := v.(Date); ok {
			if d.IsZero() {
				r.buf[i] = nil
			} else {
				r.buf[i] = d.Time
			}
		}
	}
	return r.buf, nil
}
