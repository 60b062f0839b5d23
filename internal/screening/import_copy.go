package screening

import (
	"io"
	"maps"

	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/excel"
	"fangkong/internal/platform/storage"
)

// copyWith is insertWith over PostgreSQL's COPY protocol. Multi-row INSERTs
// of 100,000 persons and their journeys spent most of a PostgreSQL import
// encoding 15 parameters a row and planning 500-row statements; COPY streams
// them. The persons' ids are reserved from their sequence first, so that the
// journeys can name them without reading anything back; ids ascend in row
// order, as the INSERT path gives them.
func (im *importer) copyWith(tx *storage.BulkTx, rows []*importRow, source Source) error {
	if len(rows) == 0 {
		return nil
	}
	ids, err := tx.NextIDs(im.ctx, "persons", len(rows))
	if err != nil {
		return errs.Wrap(err, "import ids")
	}
	now, actor := im.s.now(), by(im.p)
	persons := make([][]any, len(rows))
	var travels [][]any
	for i, r := range rows {
		persons[i] = append([]any{ids[i]}, personRow(&r.person, source, actor, now)...)
		if r.travel != nil {
			travels = append(travels, travelRow(ids[i], r.travel, actor, now))
		}
	}
	_, err = tx.CopyFrom(im.ctx, "persons", append([]string{"id"}, importPersonCols...), persons)
	if storage.IsUniqueViolation(err) {
		// Another writer registered one of these people since the lookup.
		return errs.New(errs.Conflict, "screening.err.duplicate_race")
	}
	if err != nil {
		return errs.Wrap(err, "import copy persons")
	}
	if len(travels) > 0 {
		if _, err := tx.CopyFrom(im.ctx, "person_travels", importTravelCols, travels); err != nil {
			return errs.Wrap(err, "import copy journeys")
		}
	}
	for i, r := range rows {
		stored(&r.person, ids[i], source, actor, now)
	}
	return nil
}

// saveBatch is how many valid rows the reader hands the saver at a time:
// enough that the lookups and COPYs of a batch cost little more than their
// rows, few enough that the last batch, saved after the file ends, is short.
const saveBatch = 4000

// readSaving reads the file while a saver looks up and COPYs each batch of
// valid rows into tx, so that PostgreSQL inserts on one core while the file
// is parsed and checked on the other. The rows and problems are those of
// readThenSave: a row reaching the saver repeats no earlier valid row of the
// file (inFile refused it), so the rows saved before it cannot match it,
// and each row is looked up in the register before its batch is saved. If
// the import is not to be committed after all, tx rolls back.
func (im *importer) readSaving(tx *storage.BulkTx, jobID int64, r io.Reader, rep *excel.Report, res *ImportResult) error {
	sv := &saver{im: im, tx: tx, batches: make(chan []*importRow, 2), done: make(chan struct{}), dups: map[int]*Duplicate{}}
	go sv.run()
	im.saver = sv
	var readErr error
	*rep, readErr = im.read(jobID, r)
	sv.send(im.rows[im.sent:])
	im.sent = len(im.rows)
	im.s.jobStatus(im.ctx, jobID, "saving", rep.Total)
	if err := sv.wait(); readErr == nil && err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	im.report(rep, sv.dups)
	if !excel.Decide(im.opt.Mode, *rep) {
		return errNoCommit
	}
	return im.audit(tx, rep, res, sv.created)
}

// saver stores batches of valid rows in the import's transaction, on a
// goroutine of its own; after an error it only drains the batches.
type saver struct {
	im      *importer
	tx      *storage.BulkTx
	batches chan []*importRow
	done    chan struct{}
	// Set by run, read after wait.
	dups    map[int]*Duplicate
	created int
	err     error
}

func (sv *saver) send(rows []*importRow) {
	if len(rows) > 0 {
		sv.batches <- rows
	}
}

func (sv *saver) run() {
	defer close(sv.done)
	for rows := range sv.batches {
		if sv.err == nil {
			sv.err = sv.save(rows)
		}
	}
}

// save looks the rows up in the register and COPYs the new ones.
func (sv *saver) save(rows []*importRow) error {
	dups, err := sv.im.registeredOf(sv.tx, rows)
	if err != nil {
		return err
	}
	maps.Copy(sv.dups, dups)
	keep := fresh(rows, dups)
	if err := sv.im.copyWith(sv.tx, keep, SourceImport); err != nil {
		return err
	}
	sv.created += len(keep)
	return nil
}

// wait ends the batches and waits for the last to be saved.
func (sv *saver) wait() error {
	close(sv.batches)
	<-sv.done
	return sv.err
}
