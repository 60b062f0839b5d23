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
// the committer as one job and waits. A worker takes the first job waiting,
// then every other job already queued (up to maxGroupRows rows), writes them
// all in one transaction — one multi-row INSERT per chunk, their referrals and
// their audit entries — commits (one fsync for the group) and only then
// releases the waiting requests. No timer is needed: while one group commits,
// the next one gathers in the queue, so groups grow with the load.
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

// committer runs the group-commit workers of one database.
type committer struct {
	db      *storage.DB
	queue   chan *job
	workers int
	start   sync.Once
	stmtMu  sync.Mutex
	stmt    *sql.Stmt      // SQLite: the prepared one-row INSERT
	metrics *ingestMetrics // nil without a metrics registry
}

func newCommitter(db *storage.DB) *committer {
	workers := 1 // SQLite has one writer connection: more workers would only queue on it
	if db.Dialect == storage.Postgres {
		workers = 4 // overlap one group's fsync with the next group's statements
	}
	return &committer{db: db, queue: make(chan *job, 4096), workers: workers}
}

// submit hands j to the workers and waits until its group has committed or
// failed. It waits even when ctx ends: the rows may already be on their way
// to the disk, and the answer must say what happened.
func (c *committer) submit(ctx context.Context, j *job) error {
	c.start.Do(func() {
		for range c.workers {
			go c.run()
		}
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
// outcomes.
func (c *committer) write(group []*job) error {
	ctx := context.Background()
	outs := make([][]outcome, len(group))
	for i, j := range group {
		outs[i] = make([]outcome, len(j.rows))
	}
	first, dups := dedupe(group)
	stmt, err := c.prepared(ctx)
	if err != nil {
		return err
	}
	err = c.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := c.insert(ctx, tx, stmt, group, first, outs); err != nil {
			return err
		}
		if err := resolveExisting(ctx, tx, group, first, outs); err != nil {
			return err
		}
		resolveDups(group, dups, outs)
		if err := insertReferrals(ctx, tx, group, outs); err != nil {
			return err
		}
		return auditGroup(ctx, tx, group, outs)
	})
	if err != nil {
		return err
	}
	for i, j := range group {
		j.out = outs[i]
	}
	return nil
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
func resolveExisting(ctx context.Context, tx *sql.Tx, group []*job, first []ref, outs [][]outcome) error {
	for _, r := range first {
		if outs[r.job][r.row].created {
			continue
		}
		p := group[r.job].rows[r.row]
		var id int64
		var dg string
		var created time.Time
		if err := tx.QueryRowContext(ctx, `SELECT id, digest, created_at FROM passages WHERE checkpoint_id = $1 AND client_id = $2`,
			p.CheckpointID, p.ClientID).Scan(&id, &dg, &created); err != nil {
			return err
		}
		outs[r.job][r.row] = outcome{id: id, conflict: dg != p.digest, stored: dg}
		p.CreatedAt = created
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

// insertReferrals leaves a referral for each new passage sent to observation,
// for the screening module (see Referral).
func insertReferrals(ctx context.Context, tx *sql.Tx, group []*job, outs [][]outcome) error {
	for i, j := range group {
		for k, p := range j.rows {
			if o := outs[i][k]; !o.created || p.Decision != Observe {
				continue
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO checkpoint_referrals (passage_id, checkpoint_id, division_id, at, person_name,
				id_number, phone, temp_tenths, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
				outs[i][k].id, p.CheckpointID, j.divs[k], p.At, p.Name, p.IDNumber, p.Phone, tenths(p.Temperature), time.Now().UTC())
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// auditGroup writes one audit entry per account, client address and
// checkpoint of the group, naming the passages it created: who recorded
// which passages, when, from where. The passage rows hold the content; the
// entry carries no personal data. (One entry per passage would double the
// rows the hottest path writes and say nothing more.)
func auditGroup(ctx context.Context, tx *sql.Tx, group []*job, outs [][]outcome) error {
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
	return audit.WriteAll(ctx, tx, recs)
}

// auditKey keys, in a request's context, who made the request (account and
// client address), so the group's audit entries can be one per author.
type auditKey struct{}

// WithAuthor records the request's account and client address for the
// grouped audit entries.
func WithAuthor(ctx context.Context, username, addr string) context.Context {
	return context.WithValue(ctx, auditKey{}, username+"@"+addr)
}
