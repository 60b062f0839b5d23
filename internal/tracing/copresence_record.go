package tracing

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"

	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
)

// CoPresencePick names one suggestion to record: its person and one of the
// passages it was made from.
type CoPresencePick struct {
	ContactID int64 `json:"contact_id"`
	PassageID int64 `json:"passage_id"`
}

// CoPresenceInput records suggestions of a case as exposures.
// WindowMinutes is the window the suggestions were made with (0: the setting).
type CoPresenceInput struct {
	Items         []CoPresencePick `json:"items"`
	WindowMinutes int              `json:"window_minutes"`
}

// MaxPicks is how many suggestions one request may record.
const MaxPicks = 200

// RecordCoPresence records the picked suggestions of case caseID as
// exposures of kind checkpoint co-presence from the case's person: close
// contacts whose observation opens or moves to end after that day (as for
// any close contact), or, when the period from that day is already over, an
// exposure for the chain without an observation. The suggestions are made
// again here, in the caller's scope, and each pick must be one of them —
// a client cannot record a co-presence that did not happen, or one already
// recorded. All picks are written in one transaction: all or none.
func (s *Store) RecordCoPresence(ctx context.Context, p *auth.Principal, caseID int64, in CoPresenceInput) ([]Exposure, error) {
	if len(in.Items) == 0 {
		return nil, errs.Field("items", "tracing.err.none_picked")
	}
	if len(in.Items) > MaxPicks {
		return nil, errs.Field("items", "tracing.err.too_many", MaxPicks)
	}
	if in.WindowMinutes < 0 || in.WindowMinutes > MaxCoPresenceMinutes {
		return nil, errs.Field("window_minutes", "tracing.err.window", MaxCoPresenceMinutes)
	}
	cp, err := s.CoPresence(ctx, p, caseID, in.WindowMinutes)
	if err != nil {
		return nil, err
	}
	if cp.Case.PersonID == 0 {
		return nil, errs.Field("items", "tracing.err.case_not_registered")
	}
	picked, err := pick(cp.Items, in.Items)
	if err != nil {
		return nil, err
	}
	var fc errs.FieldCollector
	var es []Exposure
	for _, sg := range picked {
		e := s.exposureOf(sg, cp.Case).check(&fc, s.Today())
		es = append(es, e)
	}
	if err := fc.Err(); err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *sql.Tx) error {
		for i := range es {
			var err error
			if es[i], err = s.recordTx(ctx, tx, p, es[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range es {
		es[i] = es[i].Masked()
	}
	return es, nil
}

// pick finds each pick among the suggestions (once each, in the order
// picked), reporting every pick that is not a recordable suggestion.
func pick(sgs []Suggestion, picks []CoPresencePick) ([]Suggestion, error) {
	var fc errs.FieldCollector
	var out []Suggestion
	taken := map[int]bool{}
	for i, pk := range picks {
		found := -1
		for j, sg := range sgs {
			if sg.PersonID != 0 && sg.PersonID == pk.ContactID && slices.Contains(sg.passages, pk.PassageID) {
				found = j
				break
			}
		}
		switch {
		case found < 0:
			fc.Add("items."+strconv.Itoa(i)+".passage_id", "tracing.err.no_suggestion")
		case !sgs[found].Recordable:
			fc.Add("items."+strconv.Itoa(i)+".contact_id", "tracing.err.no_person")
		case !taken[found]:
			taken[found] = true
			out = append(out, sgs[found])
		}
	}
	return out, fc.Err()
}

// exposureOf is the exposure a suggestion records. The setting names the
// checkpoint and the case's passage to the minute: specific enough that two
// cases are put in a common setting only when they passed together.
func (s *Store) exposureOf(sg Suggestion, c CaseView) ExposureInput {
	at := sg.CaseAt.In(s.zone())
	setting := fmt.Sprintf("%s %s", sg.Checkpoint, at.Format("01-02 15:04"))
	note := fmt.Sprintf("卡口同时段通过：病例 %s，本人 %s（相差%d分钟）", at.Format("15:04"), sg.At.In(at.Location()).Format("15:04"),
		abs(sg.DeltaSeconds)/60)
	if sg.PeriodOver {
		note += "；观察期已过，未开医学观察"
	}
	return ExposureInput{SourceID: c.PersonID, ContactID: sg.PersonID, Kind: string(Checkpoint), Day: sg.Day.String(),
		Setting: setting, Close: !sg.PeriodOver, CaseID: c.ID, Notes: note}
}
