package demo

import (
	"context"

	"fangkong/internal/platform/storage"
)

// DefaultPassword is the password of every demo account unless -password says otherwise.
const DefaultPassword = "ningjin2020"

// AsOf is the reporting day of the seed report.
const AsOf = "2020-02-22"

// Options tune the scenario.
type Options struct{ Password string }

// Summary says what was loaded.
type Summary struct{}

// Text is the banner printed when the demo starts.
func (s Summary) Text(url, password string) string { return "" }

// Load builds the scenario into an empty, migrated database.
func Load(ctx context.Context, db *storage.DB, o Options) (Summary, error) { return Summary{}, nil }
