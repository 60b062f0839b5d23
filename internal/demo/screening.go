package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"fangkong/internal/org"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// returnees is how many people who came home from elsewhere the villages
// registered by 22 February: around Spring Festival, and in the return to
// work that followed.
const returnees = 3000

// origin is a place returnees came from, with its share and how people
// travelled from there.
type origin struct {
	place, via string
	share      float64
	transport  screening.Transport
	numbers    []string // trains, flights or coaches
	keyRegion  bool
}

// origins are where Ningjin people work: Beijing, Tianjin and the provincial
// capital nearby, the south's factories, and a few from Hubei.
var origins = []origin{
	{"北京市", "石家庄", 0.22, screening.ByTrain, []string{"G6701", "G6703", "G89", "D7501"}, false},
	{"天津市", "石家庄", 0.10, screening.ByTrain, []string{"G2605", "D2015"}, false},
	{"河北省石家庄市", "", 0.20, screening.ByCoach, []string{"石家庄—宁晋班车"}, false},
	{"河北省邢台市", "", 0.08, screening.ByCar, nil, false},
	{"广东省深圳市", "石家庄", 0.08, screening.ByFlight, []string{"ZH9833", "CZ3743"}, false},
	{"广东省广州市", "石家庄", 0.05, screening.ByTrain, []string{"G72", "Z14"}, false},
	{"浙江省杭州市", "石家庄", 0.05, screening.ByTrain, []string{"G34", "Z282"}, false},
	{"上海市", "石家庄", 0.05, screening.ByTrain, []string{"G4", "G1201"}, false},
	{"山东省济南市", "衡水", 0.06, screening.ByCoach, []string{"济南—宁晋班车"}, false},
	{"湖北省武汉市", "石家庄", 0.04, screening.ByTrain, []string{"G512", "G510", "Z36"}, true},
	{"湖北省孝感市", "石家庄", 0.01, screening.ByTrain, []string{"K1364"}, true},
}

// loadScreening registers the returnees of every village with their journeys
// and home observations of 14 days from arrival, released on the day each
// ended; their twice-daily follow-ups with a few missed; one fever alert,
// transferred and ruled out; the door-to-door household visits; and a few
// self-registrations waiting in 东汪村's queue. Bulk parts go through the
// store's batch calls (one transaction each), so the step takes seconds.
func loadScreening(ctx context.Context, sc *scenario) error {
	r := sc.rng("screening")
	st := sc.screeningStore()
	people, err := sc.registerReturnees(ctx, r, st)
	if err != nil {
		return err
	}
	if err := sc.releaseEnded(ctx, st, people); err != nil {
		return err
	}
	fever, err := sc.followUps(ctx, r, st, people)
	if err != nil {
		return err
	}
	if err := sc.feverAlert(ctx, st, fever); err != nil {
		return err
	}
	visited, err := sc.householdVisits(ctx, r, st)
	if err != nil {
		return err
	}
	if err := sc.selfRegistrations(ctx, r, st); err != nil {
		return err
	}
	sc.sum.count("返乡人员登记（含行程）", "returnees registered (with their journeys)", int64(len(people)))
	sc.sum.count("第二轮入户排查户数（2月15日起）", "households visited in the second door-to-door round (since 15 Feb)", visited)
	return nil
}

func (sc *scenario) screeningStore() *screening.Store {
	return &screening.Store{DB: sc.db, Today: func() storage.Date { return sc.today }, Zone: time.FixedZone("CST", 8*3600),
		Settings: &settings.Store{DB: sc.db}}
}

// loadScreeningReport is the last step: the day's observation picture, once
// tracing and isolation have added close contacts and centralized stays.
func loadScreeningReport(ctx context.Context, sc *scenario) error {
	return sc.reportScreening(ctx, sc.screeningStore())
}

// registerReturnees makes the returnees and registers them in batches.
func (sc *scenario) registerReturnees(ctx context.Context, r *rand.Rand, st *screening.Store) ([]screening.Created, error) {
	villages, weights := sc.villagesByPopulation()
	// Generated ID numbers can repeat; one person is one record, so a repeat
	// (or a case's person, whom tracing registers) is drawn again.
	used, err := sc.caseIDNumbers(ctx)
	if err != nil {
		return nil, err
	}
	ins := make([]screening.PersonInput, 0, returnees)
	for len(ins) < returnees {
		in := sc.returnee(r, villages[pick(r, weights)])
		if !used[in.IDNumber] {
			used[in.IDNumber] = true
			ins = append(ins, in)
		}
	}
	// Two records of one man under two ID numbers (one mistyped), for the
	// register's "possible duplicates" and merge.
	dw, err := sc.node("东汪村")
	if err != nil {
		return nil, err
	}
	p := newPerson(r, sc.today, 30, 50)
	for used[p.IDNumber] {
		p = newPerson(r, sc.today, 30, 50)
	}
	a := sc.returnee(r, dw)
	a.Name, a.IDNumber, a.Phone = p.Name, p.IDNumber, p.Phone
	b := sc.returnee(r, dw)
	b.Name, b.IDNumber, b.Phone, b.Observe = p.Name, idNumber(r, p.Birth.Time, p.Male), mobile(r), nil
	b.Notes = "入户排查时登记，身份证号待核对"
	ins = append(ins, a, b)
	var out []screening.Created
	for start := 0; start < len(ins); start += 1000 {
		cs, err := st.CreateMany(ctx, sc.loader, ins[start:min(start+1000, len(ins))])
		if err != nil {
			return nil, fmt.Errorf("returnees %d…: %w", start, err)
		}
		out = append(out, cs...)
	}
	return out, nil
}

// caseIDNumbers are the ID numbers of the surveillance cases' people.
func (sc *scenario) caseIDNumbers(ctx context.Context) (map[string]bool, error) {
	rows, err := sc.db.R.QueryContext(ctx, `SELECT id_number FROM cases`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// villagesByPopulation lists every village and community with its weight.
func (sc *scenario) villagesByPopulation() ([]org.Node, []float64) {
	var towns []string
	for t := range sc.places {
		towns = append(towns, t)
	}
	sort.Strings(towns)
	var vs []org.Node
	var ws []float64
	for _, t := range towns {
		for _, v := range sc.places[t] {
			vs = append(vs, v)
			ws = append(ws, float64(v.Population))
		}
	}
	return vs, ws
}

// pick draws an index with probability proportional to its weight.
func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// returnee is one returnee of a village: who, whence, when, and — if they
// came home within the 14 days before being screened — a home observation
// counted from the arrival.
func (sc *scenario) returnee(r *rand.Rand, place org.Node) screening.PersonInput {
	p := newPerson(r, sc.today, 18, 65)
	shares := make([]float64, len(origins))
	for i, o := range origins {
		shares[i] = o.share
	}
	o := origins[pick(r, shares)]
	arrived := sc.arrival(r)
	screened := arrived.AddDays(r.IntN(3))
	if campaign := storage.MustDate("2020-01-25"); screened.Before(campaign.Time) {
		screened = campaign.AddDays(r.IntN(3)) // the door-to-door campaign began with the level-I response
	}
	if screened.After(sc.today.Time) {
		screened = sc.today
	}
	tags := []string{string(screening.TagReturnee)}
	if o.keyRegion {
		tags = append(tags, string(screening.TagKeyRegion))
	}
	t := &screening.TravelInput{From: o.place, Via: o.via, Transport: string(o.transport), ArrivedOn: arrived.String()}
	if len(o.numbers) > 0 {
		t.TransportNo = o.numbers[r.IntN(len(o.numbers))]
	}
	in := screening.PersonInput{DivisionID: place.ID, Name: p.Name, IDNumber: p.IDNumber, Phone: p.Phone,
		Address: sc.address(r, place), Tags: tags, ScreenedOn: screened.String(), Travel: t}
	if !screening.PlannedEnd(arrived, 14).Before(screened.Time) {
		reason := screening.ForReturnee
		if o.keyRegion {
			reason = screening.ForKeyRegion
		}
		in.Observe = &screening.ObservationInput{Kind: string(screening.Home), Reason: string(reason),
			BasisDate: arrived.String(), StartDate: screened.String()}
	}
	return in
}

// arrival is a returnee's arrival day: two in three came home for Spring
// Festival (25 January), the rest came back in February to go back to work.
func (sc *scenario) arrival(r *rand.Rand) storage.Date {
	if r.IntN(3) < 2 {
		return storage.MustDate("2020-01-12").AddDays(r.IntN(16))
	}
	return storage.MustDate("2020-02-01").AddDays(r.IntN(21))
}

// releaseEnded releases every observation whose period ended by the
// report's day, on the day it ended, one batch per day.
func (sc *scenario) releaseEnded(ctx context.Context, st *screening.Store, people []screening.Created) error {
	byDay := map[storage.Date][]int64{}
	for _, c := range people {
		if o := c.Observation; o != nil && !o.PlannedEnd.After(sc.today.Time) {
			byDay[o.PlannedEnd] = append(byDay[o.PlannedEnd], o.ID)
		}
	}
	days := make([]storage.Date, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j].Time) })
	for _, d := range days {
		if _, err := st.ReleaseMany(ctx, sc.loader, byDay[d], screening.ReleaseInput{Day: d.String(), Note: "观察期满，无异常"}); err != nil {
			return fmt.Errorf("release %s: %w", d, err)
		}
		for _, c := range people {
			if o := c.Observation; o != nil && o.PlannedEnd == d {
				o.Status, o.EndDate = screening.Released, d
			}
		}
	}
	return nil
}

// feverCase is the one returnee whose fever the story follows.
type feverCase struct {
	obs int64
	day storage.Date
}

// followUps records every observation's morning and afternoon checks up to
// the report's day, a few of them missed, and one fever.
func (sc *scenario) followUps(ctx context.Context, r *rand.Rand, st *screening.Store, people []screening.Created) (feverCase, error) {
	fever := feverCase{day: storage.MustDate("2020-02-17")}
	var batch []screening.FollowUpInput
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := st.RecordMany(ctx, sc.loader, batch)
		batch = batch[:0]
		return err
	}
	for _, c := range people {
		o := c.Observation
		if o == nil {
			continue
		}
		if fever.obs == 0 && o.Status == screening.Active && !o.StartDate.After(fever.day.AddDays(-3).Time) {
			fever.obs = o.ID
		}
		for d := o.StartDate; !d.After(sc.today.Time) && o.FollowUpDay(d); d = d.AddDays(1) {
			for _, slot := range screening.Slots {
				if r.IntN(1000) < 3 || (d == sc.today && slot == screening.PM && r.IntN(100) < 2) {
					continue // missed: nobody answered, and the cadre did not go back
				}
				temp := 36.0 + float64(r.IntN(9))/10
				if o.ID == fever.obs && d == fever.day && slot == screening.PM {
					batch = append(batch, screening.FollowUpInput{ObservationID: o.ID, Day: d.String(), Slot: string(slot),
						Temperature: "38.2", Symptoms: []string{string(screening.Cough)}, Note: "自述午后畏寒"})
					continue
				}
				batch = append(batch, screening.FollowUpInput{ObservationID: o.ID, Day: d.String(), Slot: string(slot),
					Temperature: json.Number(fmt.Sprintf("%.1f", temp))})
			}
		}
		if len(batch) >= 10000 {
			if err := flush(); err != nil {
				return fever, err
			}
		}
	}
	return fever, flush()
}

// feverAlert takes the fever through its transfer: the hospital notified,
// the person taken to the fever clinic, two negative tests, ruled out and
// back home to finish the observation.
func (sc *scenario) feverAlert(ctx context.Context, st *screening.Store, fever feverCase) error {
	pg, err := st.Alerts(ctx, sc.loader, screening.AlertFilter{Date: fever.day, State: screening.AlertsOpened})
	if err != nil {
		return err
	}
	if len(pg.Items) != 1 {
		return fmt.Errorf("want one fever alert on %s, found %d", fever.day, len(pg.Items))
	}
	id := pg.Items[0].ID
	for _, ev := range []screening.AlertEventInput{
		{Kind: string(screening.EventNotified), At: "2020-02-17T18:40", Hospital: feverClinic, Note: "村医复测38.1℃，已电话报告县医院"},
		{Kind: string(screening.EventTransferred), At: "2020-02-17T19:35", Note: "120负压救护车转运至发热门诊"},
		{Kind: string(screening.EventResult), Result: string(screening.RuledOut), At: "2020-02-18T20:10",
			Note: "两次核酸检测阴性，血常规正常，排除；返回居家观察至期满"},
	} {
		if _, err := st.AddAlertEvent(ctx, sc.loader, id, ev); err != nil {
			return fmt.Errorf("alert %s: %w", ev.Kind, err)
		}
	}
	return nil
}

// secondRound is the day the county began its second round of door-to-door
// screening (加大摸排力度): every household again, recorded as visited.
var secondRound = storage.MustDate("2020-02-15")

// householdVisits records the second round of door-to-door screening as of
// the report's day: the villages the report names are done, the others are
// a third to three quarters of the way round, one visit a household, so the
// progress grows day by day on the dashboard.
func (sc *scenario) householdVisits(ctx context.Context, r *rand.Rand, st *screening.Store) (int64, error) {
	villages, _ := sc.villagesByPopulation()
	named := map[string]bool{}
	for _, p := range namedPlaces {
		named[p.node.NameZH] = true
	}
	days := sc.today.DaysSince(secondRound) + 1
	var batch []screening.HouseholdInput
	var total int64
	for _, v := range villages {
		if v.Households == 0 {
			continue
		}
		cover := 0.35 + 0.4*r.Float64()
		if named[v.NameZH] {
			cover = 1
		}
		n := int64(math.Round(float64(v.Households) * cover))
		avg := float64(v.Population) / float64(v.Households)
		prefix := county.NameZH + sc.town(v).NameZH + v.NameZH
		for i := int64(1); i <= n; i++ {
			members := max(1, min(9, int64(math.Round(avg+r.NormFloat64()))))
			batch = append(batch, screening.HouseholdInput{DivisionID: v.ID, Address: fmt.Sprintf("%s%d号", prefix, i),
				Members: members, VisitedOn: secondRound.AddDays(int((i - 1) * int64(days) / n)).String()})
		}
		total += n
		if len(batch) >= 20000 {
			if _, err := st.RecordHouseholds(ctx, sc.loader, batch); err != nil {
				return 0, err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if _, err := st.RecordHouseholds(ctx, sc.loader, batch); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// selfRegistrations leaves a few residents' registrations, sent through
// 东汪村's QR code on the report's day, for the village cadre to confirm.
func (sc *scenario) selfRegistrations(ctx context.Context, r *rand.Rand, st *screening.Store) error {
	dw, err := sc.node("东汪村")
	if err != nil {
		return err
	}
	links, err := st.Links(ctx, sc.loader, dw.ID)
	if err != nil || len(links) != 1 {
		return fmt.Errorf("东汪村 link: %v", err)
	}
	for i := range 4 {
		in := sc.returnee(r, dw)
		in.Observe, in.ScreenedOn, in.DivisionID = nil, "", 0
		in.Travel.ArrivedOn = sc.today.AddDays(-r.IntN(2)).String()
		if _, err := st.Submit(ctx, links[0].Token, fmt.Sprintf("192.0.2.%d", 10+i), in); err != nil {
			return fmt.Errorf("self-registration: %w", err)
		}
	}
	return nil
}

// reportScreening states the screening picture of the report's day from
// the figures the store computes.
func (sc *scenario) reportScreening(ctx context.Context, st *screening.Store) error {
	// The report's day is over: its unrecorded follow-ups count as missed.
	done := *st
	done.Today = func() storage.Date { return sc.today.AddDays(1) }
	ov, err := done.Overview(ctx, sc.loader, sc.today, 0)
	if err != nil {
		return err
	}
	t := ov.Total
	sc.sum.fact(fmt.Sprintf("医学观察%d人（居家%d人、集中%d人），当日解除%d人、新增%d人；当日随访%d/%d次，漏报%d次；第二轮入户排查已到%s户、%s人口",
		t.Under(), t.UnderHome, t.UnderCentralized, t.Released, t.New, t.Done, t.Due, t.Missed, t.HouseholdsPct(), t.CoveredPct()),
		fmt.Sprintf("%d under medical observation (%d at home, %d centralized), %d released and %d started that day; follow-ups %d of %d, %d missed; the second door-to-door round has reached %s of households, %s of residents",
			t.Under(), t.UnderHome, t.UnderCentralized, t.Released, t.New, t.Done, t.Due, t.Missed, t.HouseholdsPct(), t.CoveredPct()))
	return nil
}
