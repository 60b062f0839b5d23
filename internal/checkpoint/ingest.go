package checkpoint

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"

	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/storage"
)

// Group commit. Every request that records passages hands its checked rows to
// the committer as one job and waits. The committer takes the first job
// waiting, then every other job already queued (up to maxGroupRows rows),
// writes them all in one transaction — the passages, their referrals and
// their audit entries — commits (one fsync for the group) and only then
// releases the waiting requests. No timer is needed: while one group commits,
// the next one gathers in the queue, so groups grow with the load.
//
// One committer per database, on both engines. SQLite has one writer
// connection, so a second would only queue on it. On PostgreSQL two or four
// overlapping committers were measured slower on the 2-core machine
// (`fangkong bench`: 5,300–6,200 and 4,100 passages/s against 5,800–6,900
// with one): the server's CPU per transaction is what runs out, and more
// committers make more, smaller transactions.
//
// Nothing here is shared with another replica: each commits its own groups,
// and the unique (checkpoint_id, client_id) key decides, in the database,
// whether a passage is new, a harmless retry, or a reused id.

// maxGroupRows bounds one group's transaction.
const maxGroupRows = 2000

// job is one request's passages, in request order.
type job struct {
	rows []*Passage
	divs []int64         // each row's checkpoint division, for the referral and audit
	ctx  context.Context // the request's values (principal, address) for the audit
	out  []outcome
	err  error
	done chan struct{}
}

// outcome is what the database said of one row.
type outcome struct {
	id       int64
	created  bool
	conflict bool   // the client id was taken by a passage with other content
	stored   string // the digest of the passage stored under the key
}

// committer runs the group commit of one database.
type committer struct {
	db      *storage.DB
	queue   chan *job
	start   sync.Once
	stmtMu  sync.Mutex
	stmt    *sql.Stmt      // SQLite: the prepared one-row INSERT
	metrics *ingestMetrics // nil without a metrics registry
}

func newCommitter(db *storage.DB) *committer {
	return &committer{db: db, queue: make(chan *job, 4096)}
}

// submit hands j to the committer and waits until its group has committed or
// failed. It waits even when ctx ends: the rows may already be on their way
// to the disk, and the answer must say what happened.
func (c *committer) submit(ctx context.Context, j *job) error {
	c.start.Do(func() {
		go c.run()
	})
	j.done = make(chan struct{})
	select {
	case c.queue <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	<-j.done
	return j.err
}

func (c *committer) run() {
	for j := range c.queue {
		group, n := []*job{j}, len(j.rows)
	gather:
		for n < maxGroupRows {
			select {
			case k := <-c.queue:
				group, n = append(group, k), n+len(k.rows)
			default:
				break gather
			}
		}
		start := time.Now()
		c.commit(group)
		c.metrics.observe(n, time.Since(start))
	}
}

// commit writes a group; if the group fails, each job is retried alone so
// one job's failure never fails another's passages.
func (c *committer) commit(group []*job) {
	err := c.write(group)
	if err != nil && len(group) > 1 {
		for _, j := range group {
			j.err = c.write([]*job{j})
		}
	} else {
		for _, j := range group {
			j.err = err
		}
	}
	for _, j := range group {
		close(j.done)
	}
}

// ref locates one row of a group.
type ref struct{ job, row int }

// write stores a group in one transaction and, on commit, fills each job's
// outcomes. The steps are the same on both engines; only how they reach the
// database differs (see ingest_insert.go).
func (c *committer) write(group []*job) error {
	ctx := context.Background()
	outs := make([][]outcome, len(group))
	for i, j := range group {
		outs[i] = make([]outcome, len(j.rows))
	}
	first, dups := dedupe(group)
	var err error
	if c.db.Dialect == storage.Postgres {
		err = c.db.InPipelineTx(ctx, func(tx *storage.PipelineTx) ([]storage.Stmt, error) {
			q := func(scan func(storage.Rows) error, query string, args ...any) error {
				return tx.Query(ctx, scan, query, args...)
			}
			return steps(group, first, dups, outs, q, insertUnnest)
		})
	} else {
		err = c.writeSQLite(ctx, group, first, dups, outs)
	}
	if err != nil {
		return err
	}
	for i, j := range group {
		j.out = outs[i]
	}
	return nil
}

// writeSQLite runs the steps in a transaction of the one writer connection.
func (c *committer) writeSQLite(ctx context.Context, group []*job, first []ref, dups map[ref]ref, outs [][]outcome) error {
	stmt, err := c.prepared(ctx)
	if err != nil {
		return err
	}
	return c.db.InTx(ctx, func(tx *sql.Tx) error {
		q := func(scan func(storage.Rows) error, query string, args ...any) error {
			return storage.Query(ctx, tx, scan, query, args...)
		}
		st := tx.StmtContext(ctx, stmt)
		insert := func(q query, group []*job, first []ref, index map[string]ref, outs [][]outcome, now time.Time) error {
			return insertEach(ctx, st, group, first, index, outs, now)
		}
		rest, err := steps(group, first, dups, outs, q, insert)
		if err != nil {
			return err
		}
		return storage.ExecAll(ctx, tx, rest)
	})
}

// query runs one statement of a group's transaction and hands its rows to
// scan.
type query func(scan func(storage.Rows) error, query string, args ...any) error

// inserter writes the first rows of the group's keys and marks the new ones.
type inserter func(q query, group []*job, first []ref, index map[string]ref, outs [][]outcome, now time.Time) error

// steps inserts the group, answers the rows that were not new and returns
// the writes that follow from the new ones — referrals and audit entries —
// for the caller to run before it commits.
func steps(group []*job, first []ref, dups map[ref]ref, outs [][]outcome, q query, insert inserter) ([]storage.Stmt, error) {
	now := time.Now().UTC()
	index := make(map[string]ref, len(first))
	for _, r := range first {
		p := group[r.job].rows[r.row]
		index[key(p.CheckpointID, p.ClientID)] = r
	}
	if err := insert(q, group, first, index, outs, now); err != nil {
		return nil, err
	}
	if err := resolveExisting(q, group, first, outs); err != nil {
		return nil, err
	}
	resolveDups(group, dups, outs)
	return append(referrals(group, outs), audit.Statements(auditRecords(group, outs))...), nil
}

// dedupe splits the group's rows into the first row of each key and the later
// rows repeating a key (a batch that carries a passage twice, or two
// concurrent retries of one upload).
func dedupe(group []*job) (first []ref, dups map[ref]ref) {
	seen := map[string]ref{}
	dups = map[ref]ref{}
	for i, j := range group {
		for k, p := range j.rows {
			id := key(p.CheckpointID, p.ClientID)
			r := ref{i, k}
			if f, ok := seen[id]; ok {
				dups[r] = f
				continue
			}
			seen[id] = r
			first = append(first, r)
		}
	}
	return first, dups
}

// resolveExisting looks up the rows that were not new: the same content is a
// retry (answered with the stored id), other content a reused client id.
func resolveExisting(q query, group []*job, first []ref, outs [][]outcome) error {
	for _, r := range first {
		if outs[r.job][r.row].created {
			continue
		}
		p := group[r.job].rows[r.row]
		found := false
		err := q(func(rows storage.Rows) error {
			var id int64
			var dg string
			for rows.Next() {
				if err := rows.Scan(&id, &dg, &p.CreatedAt); err != nil {
					return err
				}
				outs[r.job][r.row], found = outcome{id: id, conflict: dg != p.digest, stored: dg}, true
			}
			return nil
		}, `SELECT id, digest, created_at FROM passages WHERE checkpoint_id = $1 AND client_id = $2`, p.CheckpointID, p.ClientID)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("checkpoint: passage %s neither inserted nor found", key(p.CheckpointID, p.ClientID))
		}
	}
	return nil
}

// resolveDups answers the repeated rows of a group against what is stored
// under their key (by the group's first row, or before).
func resolveDups(group []*job, dups map[ref]ref, outs [][]outcome) {
	for r, f := range dups {
		o := outs[f.job][f.row]
		fp, p := group[f.job].rows[f.row], group[r.job].rows[r.row]
		outs[r.job][r.row] = outcome{id: o.id, conflict: o.stored != p.digest, stored: o.stored}
		p.CreatedAt = fp.CreatedAt
	}
}

// referrals leave a referral for each new passage sent to observation, for
// the screening module (see Referral).
func referrals(group []*job, outs [][]outcome) []storage.Stmt {
	var stmts []storage.Stmt
	now := time.Now().UTC()
	for i, j := range group {
		for k, p := range j.rows {
			if o := outs[i][k]; !o.created || p.Decision != Observe {
				continue
			}
			stmts = append(stmts, storage.Stmt{SQL: `INSERT INTO checkpoint_referrals (passage_id, checkpoint_id, division_id, at,
				person_name, id_number, phone, temp_tenths, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
				Args: []any{outs[i][k].id, p.CheckpointID, j.divs[k], p.At, p.Name, p.IDNumber, p.Phone, tenths(p.Temperature), now}})
		}
	}
	return stmts
}

// auditRecords are one audit entry per account, client address and
// checkpoint of the group, naming the passages it created: who recorded
// which passages, when, from where. The passage rows hold the content; the
// entry carries no personal data. (One entry per passage would double the
// rows the hottest path writes and say nothing more.)
func auditRecords(group []*job, outs [][]outcome) []audit.Record {
	type entry struct {
		ctx context.Context
		cp  int64
		div int64
		ids []int64
	}
	byKey := map[string]*entry{}
	var order []*entry
	for i, j := range group {
		who := j.ctx.Value(auditKey{})
		for k, p := range j.rows {
			if !outs[i][k].created {
				continue
			}
			key := fmt.Sprint(who, "\x00", p.CheckpointID)
			e := byKey[key]
			if e == nil {
				e = &entry{ctx: j.ctx, cp: p.CheckpointID, div: j.divs[k]}
				byKey[key] = e
				order = append(order, e)
			}
			e.ids = append(e.ids, outs[i][k].id)
		}
	}
	recs := make([]audit.Record, len(order))
	for i, e := range order {
		entityID := strconv.FormatInt(e.ids[0], 10)
		if n := len(e.ids); n > 1 {
			entityID += "…" + strconv.FormatInt(e.ids[n-1], 10)
		}
		after := map[string]any{"checkpoint_id": e.cp, "passages": e.ids, "count": len(e.ids)}
		recs[i] = audit.Record{Ctx: e.ctx, Action: audit.ActionCreate, Entity: "passage", EntityID: entityID,
			DivisionID: e.div, After: after}
	}
	return recs
}

// auditKey keys, in a request's context, who made the request (account and
// client address), so the group's audit entries can be one per author.
type auditKey struct{}

// WithAuthor records the request's account and client address for the
// grouped audit entries.
func WithAuthor(ctx context.Context, username, addr string) context.Context {
	return context.WithValue(ctx, auditKey{}, username+"@"+addr)
}
