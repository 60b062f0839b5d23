// Package settings holds the county's rule settings (fever threshold, cluster
// threshold, observation period …) in the database, so every replica reads the
// same values and a change is audited like any write.
package settings

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/storage"
)

// Store reads and writes settings.
type Store struct{ DB *storage.DB }

// Get returns the value of key, or def when unset.
func (s *Store) Get(ctx context.Context, key, def string) (string, error) {
	var v string
	err := s.DB.R.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	return v, err
}

// Int returns key as an integer, or def when unset or unreadable.
func (s *Store) Int(ctx context.Context, key string, def int) int {
	v, err := s.Get(ctx, key, "")
	if err != nil || v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n
}

// Float returns key as a number, or def.
func (s *Store) Float(ctx context.Context, key string, def float64) float64 {
	v, err := s.Get(ctx, key, "")
	if err != nil || v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return def
	}
	return f
}

// Set stores key = value and audits the change.
func (s *Store) Set(ctx context.Context, key, value string) error {
	return s.DB.InTx(ctx, func(tx *sql.Tx) error {
		var old string
		tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&old)
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			key, value, time.Now().UTC())
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.ActionUpdate, "setting", key, 0, map[string]string{"value": old}, map[string]string{"value": value})
	})
}
