package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
	"fangkong/internal/surveillance"
	"fangkong/internal/tracing"
)

// screeningOn is a screening store whose "today" is day d: the tracing of
// January and early February happened on those days, so observations start
// then and end 14 days after each contact's last exposure.
func (sc *scenario) screeningOn(d storage.Date) *screening.Store {
	at := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, time.UTC)
	return &screening.Store{DB: sc.db, Today: func() storage.Date { return d }, Now: func() time.Time { return at },
		Zone: time.FixedZone("CST", 8*3600), Settings: &settings.Store{DB: sc.db}}
}

// casePerson is the register's record of a story case's person (matched by
// ID number), made on first use.
func (sc *scenario) casePerson(ctx context.Context, scr *screening.Store, key string) (int64, error) {
	caseID, ok := sc.cases[key]
	if !ok {
		return 0, fmt.Errorf("no case %q", key)
	}
	var div int64
	var name, number, phone, addr string
	if err := sc.db.R.QueryRowContext(ctx, `SELECT division_id, name, id_number, phone, address FROM cases WHERE id = $1`, caseID).
		Scan(&div, &name, &number, &phone, &addr); err != nil {
		return 0, err
	}
	var id int64
	err := sc.db.R.QueryRowContext(ctx, `SELECT id FROM persons WHERE id_number = $1`, number).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	c, err := scr.Create(ctx, sc.loader, screening.PersonInput{DivisionID: div, Name: name, IDNumber: number, Phone: phone,
		Address: addr, Notes: "确诊病例本人（流调登记）"})
	return c.Person.ID, err
}

// contactStory is one close contact of a story case: how and when they were
// exposed (a later exposure extends the observation), and through whom if
// they are a contact of a contact.
type contactStory struct {
	kind    tracing.Kind
	setting string
	days    []string
	via     int // 1-based index of the contact they were exposed to; 0: the case
	place   string
}

// tracingStories are the close contacts the report's two cases left.
var tracingStories = map[string]struct {
	traced   string // the day the tracing was done (the confirmation)
	contacts []contactStory
}{
	"fenghuang": {traced: "2020-01-28", contacts: []contactStory{
		{kind: tracing.Household, setting: "家庭（中曹村）", days: []string{"2020-01-24", "2020-01-26"}},
		{kind: tracing.Household, setting: "家庭（中曹村）", days: []string{"2020-01-26"}},
		{kind: tracing.Household, setting: "家庭（中曹村）", days: []string{"2020-01-25"}},
		{kind: tracing.Gathering, setting: "中曹村春节家宴", days: []string{"2020-01-22"}, place: "孙村"},
		{kind: tracing.Transport, setting: "G512次列车 武汉—石家庄 5车", days: []string{"2020-01-20"}, place: "晶福苑小区"},
		{kind: tracing.Household, setting: "家庭（孙村）", days: []string{"2020-01-24"}, via: 4, place: "孙村"},
	}},
	"dongwang": {traced: "2020-02-05", contacts: []contactStory{
		{kind: tracing.Household, setting: "家庭（东汪村）", days: []string{"2020-02-02", "2020-02-04"}},
		{kind: tracing.Household, setting: "家庭（东汪村）", days: []string{"2020-02-04"}},
		{kind: tracing.Workplace, setting: "东汪镇鸿达阀门装配车间", days: []string{"2020-02-01"}, place: "洨口村"},
		{kind: tracing.Workplace, setting: "东汪镇鸿达阀门装配车间", days: []string{"2020-02-01", "2020-02-02"}, place: "洨口村"},
		{kind: tracing.Household, setting: "家庭（洨口村）", days: []string{"2020-02-03"}, via: 3, place: "洨口村"},
	}},
}

// loadTracing records the exposures of the two cases' close contacts on the
// day each case was traced: each close contact's observation ends 14 days
// after their last exposure, and was released on that day.
func loadTracing(ctx context.Context, sc *scenario) error {
	r := sc.rng("tracing")
	released := sc.screeningOn(sc.today)
	n := 0
	for _, key := range []string{"fenghuang", "dongwang"} {
		st := tracingStories[key]
		day := storage.MustDate(st.traced)
		scr := sc.screeningOn(day)
		tr := &tracing.Store{DB: sc.db, Today: func() storage.Date { return day }, Screening: scr,
			Cases: &surveillance.Store{DB: sc.db, Today: func() storage.Date { return day }}}
		src, err := sc.casePerson(ctx, scr, key)
		if err != nil {
			return err
		}
		var ids []int64
		for i, c := range st.contacts {
			id, err := sc.contactPerson(ctx, r, scr, src, c)
			if err != nil {
				return fmt.Errorf("%s contact %d: %w", key, i+1, err)
			}
			ids = append(ids, id)
			from := src
			if c.via > 0 {
				from = ids[c.via-1]
			}
			for _, d := range c.days {
				if _, err := tr.Record(ctx, sc.loader, tracing.ExposureInput{SourceID: from, ContactID: id, Kind: string(c.kind),
					Day: d, Setting: c.setting, Close: true, CaseID: sc.cases[key]}); err != nil {
					return fmt.Errorf("%s contact %d exposure %s: %w", key, i+1, d, err)
				}
			}
			n++
		}
		if err := releaseContacts(ctx, sc, released, ids); err != nil {
			return err
		}
	}
	sc.sum.count("病例密切接触者（已登记接触、观察期满解除）", "close contacts of the cases (exposures recorded, released at the end of observation)", int64(n))
	return loadCoPresence(ctx, sc, r)
}

// coPassage is one passage at 东汪村北口 on 3 February, the day the Dongwang
// case went to work and back before onset was recognised: the case itself,
// residents of the register near it (within 15 minutes, and one not), and a
// visitor the register does not know.
type coPassage struct {
	at       string // county time
	dir      checkpoint.Direction
	who      string // "case", "resident" (the next one of the register), "visitor"
	resident int
}

var coPassages = []coPassage{
	{"07:58", checkpoint.Out, "case", 0},
	{"07:51", checkpoint.Out, "resident", 0},
	{"08:06", checkpoint.Out, "resident", 1},
	{"08:09", checkpoint.In, "visitor", 0},
	{"17:42", checkpoint.In, "case", 0},
	{"17:35", checkpoint.In, "resident", 2},
	{"17:50", checkpoint.In, "resident", 0},
	{"10:30", checkpoint.In, "resident", 3}, // hours from the case: not a contact
}

// loadCoPresence logs the passages above, so that the Dongwang case's
// tracing page has checkpoint co-presence suggestions to record.
func loadCoPresence(ctx context.Context, sc *scenario, r *rand.Rand) error {
	day := storage.MustDate("2020-02-03")
	var cp int64
	var caseNumber string
	if err := sc.db.R.QueryRowContext(ctx, `SELECT id FROM checkpoints WHERE name = $1`, "东汪村北口").Scan(&cp); err != nil {
		return fmt.Errorf("checkpoint 东汪村北口: %w", err)
	}
	if err := sc.db.R.QueryRowContext(ctx, `SELECT id_number FROM cases WHERE id = $1`, sc.cases["dongwang"]).Scan(&caseNumber); err != nil {
		return err
	}
	residents, err := sc.residents(ctx, "东汪村", 4)
	if err != nil {
		return err
	}
	zone := time.FixedZone("CST", 8*3600)
	var ins []checkpoint.PassageInput
	for _, x := range coPassages {
		at, _ := time.ParseInLocation("2006-01-02 15:04", day.String()+" "+x.at, zone)
		in := checkpoint.PassageInput{ClientID: demoUUID(r), CheckpointID: cp, At: at.Format(time.RFC3339), Direction: string(x.dir),
			Decision: string(checkpoint.LetThrough), Purpose: "上班"}
		switch x.who {
		case "case":
			in.IDNumber = caseNumber
		case "resident":
			in.Name, in.IDNumber = residents[x.resident][0], residents[x.resident][1]
		default:
			v := newPerson(r, sc.today, 20, 60)
			in.Name, in.Phone, in.Purpose, in.From = v.Name, v.Phone, "运输物资", "石家庄"
		}
		ins = append(ins, in)
	}
	st := checkpoint.NewStore(sc.db, func() time.Time { return day.Add(15 * time.Hour) }, nil, nil)
	res, err := st.RecordBatch(checkpoint.WithAuthor(ctx, sc.loader.Username, ""), sc.loader, ins)
	if err != nil {
		return err
	}
	for i, x := range res {
		if x.Err != nil {
			return fmt.Errorf("co-presence passage %d: %w", i+1, x.Err)
		}
	}
	sc.sum.count("病例行程中的卡口出入登记（流调同时段通过建议）", "checkpoint passages along a case's movements (co-presence suggestions)", int64(len(ins)))
	return nil
}

// residents are the first n residents of a village in the register who are
// not close contacts already: name and ID number.
func (sc *scenario) residents(ctx context.Context, village string, n int) ([][2]string, error) {
	rows, err := sc.db.R.QueryContext(ctx, `SELECT p.name, p.id_number FROM persons p JOIN org_nodes v ON v.id = p.division_id
		WHERE v.name_zh = $1 AND p.merged_into IS NULL AND p.tags NOT LIKE $2 ORDER BY p.id LIMIT $3`, village, "%close_contact%", n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var x [2]string
		if err := rows.Scan(&x[0], &x[1]); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if len(out) < n {
		return nil, fmt.Errorf("%s: %d residents in the register, want %d", village, len(out), n)
	}
	return out, rows.Err()
}

// contactPerson registers a close contact in the case's village, or in the
// story's place.
func (sc *scenario) contactPerson(ctx context.Context, r *rand.Rand, scr *screening.Store, src int64, c contactStory) (int64, error) {
	var div int64
	if err := sc.db.R.QueryRowContext(ctx, `SELECT division_id FROM persons WHERE id = $1`, src).Scan(&div); err != nil {
		return 0, err
	}
	place := sc.byID[div]
	if c.place != "" {
		p, err := sc.node(c.place)
		if err != nil {
			return 0, err
		}
		place = p
	}
	p := newPerson(r, sc.today, 6, 80)
	cr, err := scr.Create(ctx, sc.loader, screening.PersonInput{DivisionID: place.ID, Name: p.Name, IDNumber: p.IDNumber,
		Phone: p.Phone, Address: sc.address(r, place), Tags: []string{string(screening.TagCloseContact)}})
	return cr.Person.ID, err
}

// releaseContacts releases each contact's observation on its planned end.
func releaseContacts(ctx context.Context, sc *scenario, scr *screening.Store, persons []int64) error {
	for _, pid := range persons {
		var id int64
		var end storage.Date
		if err := sc.db.R.QueryRowContext(ctx, `SELECT id, planned_end FROM observations WHERE person_id = $1 AND status = 'active'`,
			pid).Scan(&id, &end); err != nil {
			return fmt.Errorf("observation of person %d: %w", pid, err)
		}
		if end.After(sc.today.Time) {
			continue
		}
		if _, err := scr.Release(ctx, sc.loader, id, screening.ReleaseInput{Day: end.String(), Note: "观察期满，无异常，解除医学观察"}); err != nil {
			return err
		}
	}
	return nil
}
