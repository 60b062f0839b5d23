package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"fangkong/internal/enterprise"
	"fangkong/internal/org"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/settings"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/validate"
)

// The report's "规模以上企业累计复工复产223家，占比93%": 240 above-size
// enterprises (and 60 smaller ones) are registered on 3 February, file for
// resumption through February, are reviewed by their township and approved
// by the county, and report daily once back at work. The rate the statistics
// compute from those records is 223 of 240 on 22 February, fewer before.

// namedEnterprise is an enterprise the report names, with the day it resumed.
type namedEnterprise struct {
	name, en, place, industry string
	employees                 int
	resume                    string
	key                       bool
}

// namedEnterprises: 润博达 made protective suits from early February; the
// four the county leader visited were back by the visits (see liaison.go).
var namedEnterprises = []namedEnterprise{
	{"宁晋县润博达医疗防护用品有限公司", "Ningjin Runboda Medical Protective Products Co., Ltd.", "河渠镇", "medical", 160, "2020-02-05", true},
	{"鸿达阀门有限公司", "Hongda Valve Co., Ltd.", "南及桥村", "machinery", 320, "2020-02-11", false},
	{"河北优林科技有限公司", "Hebei Youlin Technology Co., Ltd.", "凤凰镇", "chemical", 210, "2020-02-13", true},
	{"河北天威橡塑有限公司", "Hebei Tianwei Rubber and Plastics Co., Ltd.", "换马店镇", "rubber_plastics", 260, "2020-02-14", false},
	{"宁晋县宁达棉花有限公司", "Ningjin Ningda Cotton Co., Ltd.", "大曹庄乡", "textile", 140, "2020-02-17", false},
}

const (
	aboveSize, belowSize = 240, 60
	// registeredOn is the day the county put its register into the system.
	registeredOn = "2020-02-03"
	// reportsFrom is the first day the generated enterprises' daily reports
	// are kept in the demo (the named ones report from the day they resumed).
	reportsFrom = "2020-02-20"
)

// resumedBy is how many above-size enterprises had resumed by each day, the
// named ones included: February 2020's curve, with the national restart on
// the 10th and 223 by the report's day.
var resumedBy = []struct {
	day string
	n   int
}{
	{"2020-02-05", 2}, {"2020-02-07", 7}, {"2020-02-10", 38}, {"2020-02-11", 60}, {"2020-02-12", 84},
	{"2020-02-13", 106}, {"2020-02-14", 128}, {"2020-02-15", 137}, {"2020-02-16", 143}, {"2020-02-17", 165},
	{"2020-02-18", 184}, {"2020-02-19", 199}, {"2020-02-20", 211}, {"2020-02-21", 219}, {"2020-02-22", 223},
}

// outcome is how an enterprise's February ends.
type outcome int

const (
	resumed         outcome = iota
	refiledResumed          // returned once by the township, changed, approved
	suspendedLifted         // resumed, stopped 15–17 February, producing again
	scheduled               // approved, resumes after the 22nd
	awaitTownship
	awaitCounty
	returnedOpen // returned; the enterprise has not filed again yet
	refused
	suspendedNow // resumed, stopped on the 20th after a fever case
	notFiled
)

// openOutcomes are the 17 above-size enterprises not resumed on the 22nd.
var openOutcomes = []outcome{scheduled, scheduled, scheduled, awaitTownship, awaitTownship, awaitTownship,
	awaitTownship, awaitCounty, awaitCounty, awaitCounty, returnedOpen, returnedOpen, refused, suspendedNow,
	notFiled, notFiled, notFiled}

// entPlan is one generated enterprise and its story.
type entPlan struct {
	enterprise.Input
	id     int64
	town   org.Node
	out    outcome
	resume storage.Date // resumed (scheduled: will resume) on
	nth    int          // its rank among enterprises of the same outcome
	named  bool         // one of the report's enterprises
}

// entDemo is the enterprise step's working state.
type entDemo struct {
	sc       *scenario
	r        *rand.Rand
	st       *enterprise.Store
	clock    time.Time
	codes    map[string]bool
	names    map[string]bool
	county   *auth.Principal
	reports  int
	filings  int
	officers map[int64]string // usernames acting for enterprises (the demo account for 鸿达)
}

// on moves the store's clock to 10:00 in the county on day.
func (d *entDemo) on(day storage.Date) { d.clock = day.Add(2 * time.Hour) }

func loadEnterprises(ctx context.Context, sc *scenario) error {
	d := &entDemo{sc: sc, r: sc.rng("enterprise"), codes: map[string]bool{}, names: map[string]bool{},
		officers: map[int64]string{}}
	d.st = &enterprise.Store{DB: sc.db, Now: func() time.Time { return d.clock }, Zone: time.FixedZone("CST", 8*3600)}
	d.county = &auth.Principal{Username: "commander", Grants: []auth.Grant{{Role: auth.Commander,
		ScopeKind: auth.ScopeNode, ScopeID: sc.root.ID, NodePath: sc.root.Path}}}
	if err := springFestival2020(ctx, sc); err != nil {
		return err
	}
	plans, err := d.plan()
	if err != nil {
		return err
	}
	d.on(storage.MustDate(registeredOn))
	for i := range plans {
		e, err := d.st.Create(ctx, sc.loader, plans[i].Input)
		if err != nil {
			return fmt.Errorf("%s: %w", plans[i].Name, err)
		}
		plans[i].id = e.ID
		if e.Name == "鸿达阀门有限公司" {
			g := auth.Grant{Role: auth.EnterpriseOfficer, ScopeKind: auth.ScopeEnterprise, ScopeID: e.ID}
			if err := sc.addAccount(ctx, "enterprise-hongda", "鸿达阀门防控专员", g, e.Name, namedEnterprises[1].en); err != nil {
				return err
			}
			d.officers[e.ID] = "enterprise-hongda"
		}
	}
	for _, p := range plans {
		if err := d.story(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	if err := d.policies(ctx, plans); err != nil {
		return fmt.Errorf("policies: %w", err)
	}
	return d.summarize(ctx, len(plans))
}

// plan generates the register: the named enterprises, then above-size and
// below-size ones over the townships, each with its story.
func (d *entDemo) plan() ([]entPlan, error) {
	var above []entPlan
	for _, n := range namedEnterprises {
		place, err := d.sc.node(n.place)
		if err != nil {
			return nil, err
		}
		p := d.newPlan(n.name, place, n.industry, n.employees, true)
		p.KeyProject, p.resume, p.named = n.key, storage.MustDate(n.resume), true
		above = append(above, p)
	}
	for len(above) < aboveSize {
		if p, ok := d.generated(true); ok {
			above = append(above, p)
		}
	}
	d.assign(above)
	plans := above
	for n := 0; n < belowSize; {
		p, ok := d.generated(false)
		if !ok {
			continue
		}
		switch {
		case n < 38:
			p.out, p.resume = resumed, storage.MustDate("2020-02-10").AddDays(d.r.IntN(13))
		case n < 46:
			p.out = []outcome{awaitTownship, awaitCounty}[n%2]
		default:
			p.out = notFiled
		}
		plans = append(plans, p)
		n++
	}
	ranks := map[outcome]int{}
	for i := range plans {
		plans[i].nth = ranks[plans[i].out]
		ranks[plans[i].out]++
	}
	return plans, nil
}

// assign gives the above-size enterprises their outcomes: resumption days
// along resumedBy for 223 of them, the open outcomes for the other 17.
func (d *entDemo) assign(above []entPlan) {
	var days []storage.Date
	prev := 0
	for _, step := range resumedBy {
		for ; prev < step.n; prev++ {
			days = append(days, storage.MustDate(step.day))
		}
	}
	named := above[:len(namedEnterprises)]
	for i := range named {
		named[i].out = resumed
		for j, day := range days { // the named enterprises keep their days
			if day.Equal(named[i].resume.Time) {
				days = append(days[:j], days[j+1:]...)
				break
			}
		}
	}
	// Outcomes go to the enterprises in a random order, so the register
	// (in creation order) does not read like the timeline.
	rest := above[len(namedEnterprises):]
	lifted := false
	for k, i := range d.r.Perm(len(rest)) {
		switch {
		case k >= len(days):
			rest[i].out = openOutcomes[k-len(days)]
			if rest[i].out == suspendedNow {
				rest[i].resume = storage.MustDate("2020-02-12")
			}
		case !lifted && days[k].String() == "2020-02-11":
			rest[i].out, rest[i].resume, lifted = suspendedLifted, days[k], true
		case k%19 == 7 && days[k].After(storage.MustDate("2020-02-12").Time):
			rest[i].out, rest[i].resume = refiledResumed, days[k]
		default:
			rest[i].out, rest[i].resume = resumed, days[k]
		}
	}
	for i := 0; i < 20; i++ {
		rest[i*len(rest)/20].KeyProject = true
	}
}

// Generated names: a prefix, a two-character brand, the industry's word.
var (
	entPrefixes = []string{"宁晋县", "河北", "邢台", "宁晋"}
	entBrands   = []string{"华", "信", "宏", "利", "恒", "昌", "盛", "泰", "鑫", "通", "晶", "兴", "隆", "荣",
		"安", "凯", "瑞", "丰", "源", "誉", "德", "金", "旭", "博", "正", "鼎", "海", "创", "新", "宇", "远", "嘉",
		"和", "佳", "润", "永", "益", "汇", "冀", "龙"}
	entIndustries = []struct{ key, word string }{
		{"machinery", "阀门"}, {"machinery", "机械制造"}, {"machinery", "精密机械"}, {"rubber_plastics", "橡塑制品"},
		{"rubber_plastics", "塑业"}, {"textile", "纺织"}, {"textile", "服饰"}, {"photovoltaic", "光伏材料"},
		{"photovoltaic", "新能源科技"}, {"food", "食品"}, {"chemical", "化工"}, {"building_materials", "建材"},
		{"cable", "电缆"}, {"cable", "线缆"}, {"agri_processing", "农产品加工"}, {"logistics", "物流"},
		{"medical", "医疗器械"}, {"other", "包装制品"},
	}
)

func brand(r *rand.Rand) string {
	a, b := r.IntN(len(entBrands)), r.IntN(len(entBrands)-1)
	if b >= a {
		b++
	}
	return entBrands[a] + entBrands[b]
}

// generated makes one enterprise in a random village or township; false
// when the name came out twice.
func (d *entDemo) generated(above bool) (entPlan, bool) {
	town := townships[d.r.IntN(len(townships))].NameZH
	place := d.sc.nodes[town]
	if vs := d.sc.places[town]; len(vs) > 0 && d.r.IntN(3) > 0 {
		place = vs[d.r.IntN(len(vs))]
	}
	ind := entIndustries[d.r.IntN(len(entIndustries))]
	name := entPrefixes[d.r.IntN(len(entPrefixes))] + brand(d.r) + ind.word + "有限公司"
	if d.names[name] {
		return entPlan{}, false
	}
	employees := 20 + d.r.IntN(50)
	if above {
		employees = 80 + d.r.IntN(420)
	}
	return d.newPlan(name, place, ind.key, employees, above), true
}

func (d *entDemo) newPlan(name string, place org.Node, industry string, employees int, above bool) entPlan {
	d.names[name] = true
	town := place
	if place.Level == org.Village {
		town = d.sc.town(place)
	}
	principal, officer := newPerson(d.r, d.sc.today, 35, 60), newPerson(d.r, d.sc.today, 25, 55)
	addr := county.NameZH + town.NameZH
	if place.ID != town.ID {
		addr += place.NameZH
	}
	addr += fmt.Sprintf("工业路%d号", 1+d.r.IntN(300))
	return entPlan{town: town, Input: enterprise.Input{DivisionID: place.ID, Name: name, CreditCode: d.creditCode(),
		Industry: industry, Address: addr, AboveSize: above, Employees: int64(employees), Principal: principal.Name,
		Officer: officer.Name, OfficerPhone: officer.Phone}}
}

// creditCode makes a unique unified social credit code of a Ningjin
// company: 9 (market regulator) 1 (enterprise), area 130528, an
// organisation code, and the GB 32100 check character.
func (d *entDemo) creditCode() string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for {
		body := "91" + countyArea + "MA0"
		for i := 0; i < 6; i++ {
			body += string(alphabet[d.r.IntN(len(alphabet))])
		}
		check, _ := validate.CreditCodeCheckChar(body)
		code := body + string(check)
		if !d.codes[code] {
			d.codes[code] = true
			return code
		}
	}
}

// actors returns who acts for the enterprise, who reviews in its township
// and who decides for the county. People are roles, never the report's officials.
func (d *entDemo) actors(p entPlan) (officer, township *auth.Principal) {
	name := d.officers[p.id]
	if name == "" {
		name = fmt.Sprintf("officer-%d", p.id)
	}
	officer = &auth.Principal{Username: name, Grants: []auth.Grant{{Role: auth.EnterpriseOfficer,
		ScopeKind: auth.ScopeEnterprise, ScopeID: p.id}}}
	reviewer := "township-" + p.town.Code
	if p.town.NameZH == "凤凰镇" {
		reviewer = "admin-fenghuang"
	}
	township = &auth.Principal{Username: reviewer, Grants: []auth.Grant{{Role: auth.TownshipAdmin,
		ScopeKind: auth.ScopeNode, ScopeID: p.town.ID, NodePath: p.town.Path}}}
	return officer, township
}

// flow is one enterprise's filing history, as days of each step (zero: not taken).
type flow struct {
	filed, returned, refiled, passed, decided storage.Date
	planned                                   storage.Date
	decision                                  string // approve, return, refuse
	reasons                                   string
}

// feb is a day of February 2020.
func feb(day int) storage.Date { return storage.MustDate("2020-02-01").AddDays(day - 1) }

// flowOf lays out the steps that make the plan's outcome.
func (d *entDemo) flowOf(p entPlan) (flow, bool) {
	var f flow
	switch p.out {
	case resumed, suspendedLifted, suspendedNow:
		f.decided = p.resume.AddDays(-d.r.IntN(2))
		f.planned = p.resume
		if f.decided.Equal(p.resume.Time) {
			f.planned = p.resume.AddDays(-d.r.IntN(2)) // approved on or after the planned day
		}
		f.filed = f.decided.AddDays(-1 - d.r.IntN(2))
		if f.filed.Before(feb(3).Time) {
			f.filed = feb(3)
		}
		f.passed = f.filed.AddDays(d.r.IntN(2))
		if f.passed.After(f.decided.Time) {
			f.passed = f.decided
		}
		f.decision = "approve"
	case refiledResumed:
		f.filed, f.returned, f.refiled = p.resume.AddDays(-3), p.resume.AddDays(-2), p.resume.AddDays(-1)
		f.passed, f.decided, f.planned, f.decision = p.resume.AddDays(-1), p.resume, p.resume, "approve"
		f.reasons = "应急预案未明确发热员工的隔离和送诊流程，请补充后重新提交。"
	case scheduled:
		f.filed, f.passed, f.decided = feb(18+p.nth), feb(19+p.nth), feb(20+p.nth)
		f.planned, f.decision = feb(24+p.nth/2), "approve"
	case awaitTownship:
		f.filed = []storage.Date{feb(18), feb(20), feb(21), feb(21), feb(22)}[p.nth%5]
	case awaitCounty:
		f.filed = feb(19 + p.nth%3)
		f.passed = f.filed.AddDays(1)
	case returnedOpen:
		if p.nth == 0 {
			f.filed, f.returned = feb(17), feb(18)
			f.reasons = "防疫物资储备不足3天，外地返岗人员名单未附健康证明，请补充后重新提交。"
		} else {
			f.filed, f.passed, f.decided, f.decision = feb(19), feb(19), feb(20), "return"
			f.reasons = "未设置临时隔离观察区，请整改后重新提交。"
		}
	case refused:
		f.filed, f.passed, f.decided, f.decision = feb(12), feb(13), feb(14), "refuse"
		f.reasons = "企业位于疫情防控重点村，职工多来自重点地区，暂不具备复工条件。"
	default:
		return f, false
	}
	if f.planned.IsZero() {
		f.planned = f.filed.AddDays(3)
	}
	return f, true
}

// story runs an enterprise's filing, steps, suspension and reports through
// the store, each on its own day.
func (d *entDemo) story(ctx context.Context, p entPlan) error {
	f, ok := d.flowOf(p)
	if !ok {
		return nil
	}
	officer, township := d.actors(p)
	d.on(f.filed)
	filing, err := d.st.Submit(ctx, officer, p.id, d.filingInput(p, f.planned))
	if err != nil {
		return fmt.Errorf("file: %w", err)
	}
	d.filings++
	if !f.returned.IsZero() {
		d.on(f.returned)
		if filing, err = d.st.Review(ctx, township, p.id, filing.ID, enterprise.DecisionInput{Action: "return", Reasons: f.reasons}); err != nil {
			return fmt.Errorf("return: %w", err)
		}
	}
	if !f.refiled.IsZero() {
		d.on(f.refiled)
		in := d.filingInput(p, f.planned)
		in.Version = filing.Version
		if filing, err = d.st.Resubmit(ctx, officer, p.id, filing.ID, in); err != nil {
			return fmt.Errorf("refile: %w", err)
		}
	}
	if !f.passed.IsZero() {
		d.on(f.passed)
		if _, err := d.st.Review(ctx, township, p.id, filing.ID, enterprise.DecisionInput{Action: "pass"}); err != nil {
			return fmt.Errorf("pass: %w", err)
		}
	}
	if f.decision != "" {
		d.on(f.decided)
		reasons := ""
		if f.decision != "approve" {
			reasons = f.reasons
		}
		if _, err := d.st.Decide(ctx, d.county, p.id, filing.ID, enterprise.DecisionInput{Action: f.decision, Reasons: reasons}); err != nil {
			return fmt.Errorf("%s: %w", f.decision, err)
		}
	}
	return d.afterwards(ctx, p, officer)
}

// afterwards records suspensions and the daily reports of a resumed enterprise.
func (d *entDemo) afterwards(ctx context.Context, p entPlan, officer *auth.Principal) error {
	if p.resume.IsZero() || p.out == scheduled {
		return nil
	}
	first, last := storage.MustDate(reportsFrom), d.sc.today
	if p.named || first.Before(p.resume.Time) {
		first = p.resume
	}
	switch p.out {
	case suspendedLifted:
		if err := d.suspend(ctx, p.id, feb(15), feb(18), "一名员工发热，按要求停产消杀排查，密切接触者居家观察。"); err != nil {
			return err
		}
	case suspendedNow:
		if err := d.suspend(ctx, p.id, feb(20), storage.Date{}, "员工发热（2月19日日报），停产排查消杀，待核酸检测结果。"); err != nil {
			return err
		}
		last = feb(19)
	}
	if p.out == resumed && p.nth%37 == 5 {
		last = last.AddDays(-1) // six or so resumed enterprises have not reported on the 22nd
	}
	for day := first; !day.After(last.Time); day = day.AddDays(1) {
		if p.out == suspendedLifted && !day.Before(feb(15).Time) && day.Before(feb(18).Time) {
			continue
		}
		fever := (p.out == suspendedNow && day.Equal(feb(19).Time)) || (p.out == resumed && p.nth == 40 && day.Equal(d.sc.today.Time))
		if err := d.dailyReport(ctx, p, officer, day, fever); err != nil {
			return fmt.Errorf("report %s: %w", day, err)
		}
	}
	return nil
}

func (d *entDemo) suspend(ctx context.Context, id int64, from, to storage.Date, reason string) error {
	d.on(from)
	if _, err := d.st.Suspend(ctx, d.county, id, enterprise.SuspendInput{Day: from.String(), Reason: reason}); err != nil {
		return fmt.Errorf("suspend: %w", err)
	}
	if to.IsZero() {
		return nil
	}
	d.on(to)
	_, err := d.st.Lift(ctx, d.county, id, enterprise.SuspendInput{Day: to.String(), Reason: "复查合格，恢复生产"})
	return err
}

// dailyReport files one day's report: staff coming back over the days after
// resumption, a few returning each day, capacity following the staff.
func (d *entDemo) dailyReport(ctx context.Context, p entPlan, officer *auth.Principal, day storage.Date, fever bool) error {
	d.on(day)
	e := p.Employees
	share := min(0.55+0.05*float64(day.DaysSince(p.resume)), 0.96)
	onSite := max(int64(float64(e)*share)-int64(d.r.IntN(5)), 1)
	in := enterprise.ReportInput{Day: day.String(), OnSite: onSite, ReturnedToday: int64(d.r.IntN(int(e/30) + 2)),
		FromOutside: onSite * int64(5+d.r.IntN(12)) / 100, UnderObservation: int64(d.r.IntN(3)),
		CapacityPct: min(max(onSite*100/e-6+int64(d.r.IntN(10)), 5), 100)}
	if fever {
		in.FeverCases, in.Note = 1, "一名员工体温37.6℃，已在厂内隔离观察区隔离，报乡镇卫生院"
	}
	if _, _, err := d.st.SaveReport(ctx, officer, p.id, in); err != nil {
		return err
	}
	d.reports++
	return nil
}

// filingInput is a complete filing as an enterprise makes it.
func (d *entDemo) filingInput(p entPlan, planned storage.Date) enterprise.FilingInput {
	notes := map[enterprise.Measure]string{
		enterprise.MeasureTemperature:  "厂门口设测温点，上下班各测一次，专人登记",
		enterprise.MeasureEntryLog:     "门卫处设进出登记簿，外来人员一律登记身份和行程",
		enterprise.MeasureVehicles:     "外来车辆在厂外指定区域装卸，司机不下车，车辆消毒",
		enterprise.MeasureMasks:        "每人每天发放口罩2只，车间内全程佩戴",
		enterprise.MeasureDisinfection: "食堂、宿舍、卫生间每日消杀两次并记录",
		enterprise.MeasureClosedSite:   "只开一个出入口，员工集中食宿，不随意外出",
		enterprise.MeasureContingency:  "制定疫情应急预案，明确发热员工隔离送诊流程",
	}
	in := enterprise.FilingInput{PlannedDate: planned.String(), IsolationArea: true,
		IsolationNote: fmt.Sprintf("厂区东侧独立房间%d间", 1+d.r.IntN(3)), MasksDays: int64(7 + d.r.IntN(24)),
		Thermometers: int64(2 + d.r.IntN(10)), DisinfectantDays: int64(10 + d.r.IntN(30))}
	for _, m := range enterprise.Measures {
		in.Measures = append(in.Measures, enterprise.MeasureCheck{Measure: m, Done: true, Note: notes[m]})
	}
	outside := p.Employees * int64(5+d.r.IntN(20)) / 100
	in.ExpectedLocal, in.ExpectedOutside, in.ExpectedKeyRegions = p.Employees-outside, outside, int64(d.r.IntN(2))
	return in
}

// policies adds the relief policies of February 2020 and who received them.
func (d *entDemo) policies(ctx context.Context, plans []entPlan) error {
	list := []enterprise.PolicyInput{
		{Name: "阶段性减免企业社会保险费", Kind: "tax_fee", Issuer: "县人力资源和社会保障局", ValidFrom: "2020-02-01", ValidTo: "2020-06-30",
			Summary: "2月至6月免征中小微企业基本养老、失业、工伤保险单位缴费，大型企业减半征收。"},
		{Name: "国有资产类经营用房租金减免", Kind: "rent", Issuer: "县财政局", ValidFrom: "2020-02-01", ValidTo: "2020-04-30",
			Summary: "承租国有资产类经营用房的中小企业，免收2月、3月租金，4月减半。"},
		{Name: "稳岗返还补贴", Kind: "subsidy", Issuer: "县人力资源和社会保障局", ValidFrom: "2020-02-10", ValidTo: "2020-12-31",
			Summary: "不裁员或少裁员的参保企业，返还上年度实际缴纳失业保险费的50%。"},
		{Name: "疫情防控重点保障企业贴息贷款", Kind: "loan", Issuer: "县金融办", ValidFrom: "2020-02-01", ValidTo: "2020-12-31",
			Summary: "生产防疫物资的重点企业专项再贷款，财政按实际利率的50%贴息。"},
	}
	d.on(feb(10))
	var ids []int64
	for _, in := range list {
		pl, err := d.st.SavePolicy(ctx, d.county, 0, in)
		if err != nil {
			return err
		}
		ids = append(ids, pl.ID)
	}
	apps := 0
	for i, p := range plans {
		if p.out != resumed || !p.AboveSize || i%6 != 0 {
			continue
		}
		pol := ids[apps%3]
		officer, _ := d.actors(p)
		d.on(earliest(p.resume.AddDays(1), d.sc.today))
		amount := fmt.Sprintf("%d", (20+d.r.IntN(180))*1000)
		a, err := d.st.Apply(ctx, officer, p.id, enterprise.ApplicationInput{PolicyID: pol, AmountApplied: amount})
		if err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
		apps++
		if apps%4 == 0 {
			continue // still under review
		}
		d.on(earliest(p.resume.AddDays(3), d.sc.today))
		g := enterprise.GrantInput{Status: "granted", AmountGranted: amount}
		if apps%7 == 0 {
			g = enterprise.GrantInput{Status: "rejected", Note: "不符合申请条件（上年度存在裁员）"}
		}
		if _, err := d.st.Grant(ctx, d.county, p.id, a.ID, g); err != nil {
			return err
		}
	}
	// The protective-suit maker's loan (润博达 is the first enterprise).
	d.on(feb(8))
	_, err := d.st.Apply(ctx, d.county, plans[0].id, enterprise.ApplicationInput{PolicyID: ids[3], AmountApplied: "5000000",
		Status: "granted", AmountGranted: "5000000", Note: "防护服生产线扩产专项贷款，财政贴息50%"})
	d.sc.sum.count("扶持政策申请", "policy applications", int64(apps+1))
	return err
}

// summarize states the report's figure from the statistics over the loaded records.
func (d *entDemo) summarize(ctx context.Context, n int) error {
	st, err := d.st.Stats(ctx, d.county, d.sc.today)
	if err != nil {
		return err
	}
	d.sc.sum.count("登记企业", "enterprises", int64(n))
	d.sc.sum.count("复工备案", "resumption filings", int64(d.filings))
	d.sc.sum.count("企业日报", "enterprise daily reports", int64(d.reports))
	d.sc.sum.fact(fmt.Sprintf("规模以上企业累计复工复产%d家，占比%d%%", st.AboveSize.Resumed, st.AboveSize.Pct),
		fmt.Sprintf("%d above-size enterprises resumed work, %d%% of %d", st.AboveSize.Resumed, st.AboveSize.Pct, st.AboveSize.Total))
	return nil
}

func earliest(a, b storage.Date) storage.Date {
	if a.Before(b.Time) {
		return a
	}
	return b
}

// springFestival2020 is the county's working-day calendar of the report's
// weeks: the Spring Festival holiday, extended by the State Council to
// 2 February, and Sunday 19 January worked in its place. Filings' answer
// limits are counted in these working days.
func springFestival2020(ctx context.Context, sc *scenario) error {
	var holidays []storage.Date
	for d := storage.MustDate("2020-01-24"); !d.After(storage.MustDate("2020-02-02").Time); d = d.AddDays(1) {
		holidays = append(holidays, d)
	}
	st := &enterprise.Store{DB: sc.db, Settings: &settings.Store{DB: sc.db}}
	return st.SaveSettings(ctx, sc.loader, enterprise.SettingsInput{Mode: string(enterprise.ModeApproval),
		AnswerDays: enterprise.DefaultAnswerDays, Holidays: holidays, Workdays: []storage.Date{storage.MustDate("2020-01-19")}})
}
