package screening

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// ImportJob is an import's progress and result, as any replica reads it.
type ImportJob struct {
	ID        int64         `json:"id"`
	FileName  string        `json:"file_name"`
	Status    string        `json:"status"` // queued, reading, saving, done, failed
	RowsDone  int           `json:"rows_done"`
	RowsOK    int           `json:"rows_ok"`
	RowsBad   int           `json:"rows_bad"`
	Result    *ImportResult `json:"result,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	// Stalled: still running by its status but silent for minutes (the
	// server that ran it stopped).
	Stalled bool `json:"stalled"`
}

// Finished reports whether the job will change no more.
func (j ImportJob) Finished() bool { return j.Status == "done" || j.Status == "failed" || j.Stalled }

const jobKind = "screening.persons"

// NewImportJob records an import about to run, for its progress page.
func (s *Store) NewImportJob(ctx context.Context, p *auth.Principal, fileName string) (int64, error) {
	var id int64
	now := s.now()
	err := s.DB.W.QueryRowContext(ctx, `INSERT INTO import_jobs (user_id, kind, file_name, status, created_at, updated_at)
		VALUES ($1, $2, $3, 'queued', $4, $4) RETURNING id`, p.UserID, jobKind, fileName, now).Scan(&id)
	return id, errs.Wrap(err, "import job")
}

// jobStatus records progress; a failure to record it never stops the import.
func (s *Store) jobStatus(ctx context.Context, id int64, status string, done int) {
	if id == 0 {
		return
	}
	_, _ = s.DB.W.ExecContext(ctx, `UPDATE import_jobs SET status = $1, rows_done = $2, updated_at = $3 WHERE id = $4`,
		status, done, s.now(), id)
}

func (s *Store) finishJob(ctx context.Context, id int64, res ImportResult) error {
	if id == 0 {
		return nil
	}
	b, err := json.Marshal(res)
	if err != nil {
		return errs.Wrap(err, "import result")
	}
	_, err = s.DB.W.ExecContext(ctx, `UPDATE import_jobs SET status = 'done', rows_total = $1, rows_done = $1, rows_ok = $2,
		rows_bad = $3, report_json = $4, updated_at = $5 WHERE id = $6`, res.Total, res.Created, res.Bad, string(b), s.now(), id)
	return errs.Wrap(err, "import finish")
}

// failJob marks the job failed and passes err on.
func (s *Store) failJob(ctx context.Context, id int64, err error) error {
	if id != 0 {
		msg := errs.As(err).Msg.Key
		b, _ := json.Marshal(ImportResult{Why: msg})
		_, _ = s.DB.W.ExecContext(ctx, `UPDATE import_jobs SET status = 'failed', report_json = $1, updated_at = $2 WHERE id = $3`,
			string(b), s.now(), id)
	}
	return err
}

// stallAfter is how long a running import may stay silent: progress comes
// every 400 ms while the file is read and saving takes seconds, so minutes
// of silence mean its server stopped.
const stallAfter = 5 * time.Minute

// ImportJob reads an import's progress and result; only its uploader sees it.
func (s *Store) ImportJob(ctx context.Context, p *auth.Principal, id int64) (ImportJob, error) {
	var j ImportJob
	var report string
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, file_name, status, rows_done, rows_ok, rows_bad, report_json, created_at,
		updated_at FROM import_jobs WHERE id = $1 AND kind = $2 AND user_id = $3`, id, jobKind, p.UserID).
		Scan(&j.ID, &j.FileName, &j.Status, &j.RowsDone, &j.RowsOK, &j.RowsBad, &report, &j.CreatedAt, &j.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return j, errs.NotFoundf()
	}
	if err != nil {
		return j, errs.Wrap(err, "import job")
	}
	if report != "" {
		var res ImportResult
		dec := json.NewDecoder(strings.NewReader(report))
		dec.UseNumber()
		if err := dec.Decode(&res); err == nil {
			for i := range res.Problems {
				res.Problems[i].Args = numbers(res.Problems[i].Args)
			}
			j.Result = &res
		}
	}
	j.Stalled = !j.Finished() && s.now().Sub(j.UpdatedAt) > stallAfter
	return j, nil
}

// numbers turns JSON numbers back into ints, so %d messages print them.
func numbers(args []any) []any {
	for i, a := range args {
		if n, ok := a.(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				args[i] = v
			} else if f, err := n.Float64(); err == nil {
				args[i] = f
			}
		}
	}
	return args
}
