package demo

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"time"

	"fangkong/internal/liaison"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
)

// The report's leader liaison: "县领导商同华多次到换马店镇、南及桥等村督导检查疫情防控
// 和企业复工复产工作，先后深入到鸿达阀门有限公司、河北优林科技有限公司、河北天威橡塑有限公司、
// 宁晋县宁达棉花有限公司等走访调研 … 协调解决企业复工复产中遇到的困难和问题". The demo's
// leader account plays that (synthetic) leader for February 2020.

// liaisonFallback stands in for an enterprise the register does not hold
// (the enterprise step has not run): its visits and problems go to the
// township instead, so the story still reads.
const liaisonFallback = "换马店镇"

// liaisonTargets are the leader's assignments: a township, a village, and
// the four enterprises the report names.
var liaisonTargets = []string{"换马店镇", "南及桥村", "鸿达阀门有限公司", "河北优林科技有限公司",
	"河北天威橡塑有限公司", "宁晋县宁达棉花有限公司"}

// liaisonVisit is one visit of the story; key lets a problem name it.
type liaisonVisit struct {
	key, day, target string
	kind             liaison.VisitKind
	notes            string
	photo            bool
}

var liaisonVisits = []liaisonVisit{
	{"town1", "2020-02-06", "换马店镇", liaison.Inspect, "到换马店镇督导检查疫情防控工作：查看镇域卡口值守和返乡人员排查台账，要求对外来人员逐一登记、逐户排查，不漏一人。", false},
	{"village", "2020-02-08", "南及桥村", liaison.Inspect, "检查南及桥村卡口24小时值守、出入登记和体温检测，查看村内宣传劝阻情况；村里反映口罩和测温枪储备不足。", true},
	{"hongda", "2020-02-12", "鸿达阀门有限公司", liaison.Call, "走访鸿达阀门有限公司，与企业负责人交流防控措施、返企人员和复工进度。体温监测、出入登记、厂区封闭到位；外地技术工人返岗需健康证明，影响满负荷生产。", true},
	{"youlin", "2020-02-14", "河北优林科技有限公司", liaison.Call, "走访河北优林科技有限公司，企业已复工，员工测温登记到位；反映外地原料运输车辆跨市通行受阻，库存原料只够一周。", false},
	{"tianwei", "2020-02-17", "河北天威橡塑有限公司", liaison.Call, "走访河北天威橡塑有限公司，厂区封闭管理、公共区域每日消杀，应急预案齐全，已复工复产，暂无需协调的困难。", false},
	{"ningda", "2020-02-18", "宁晋县宁达棉花有限公司", liaison.Call, "走访宁晋县宁达棉花有限公司，企业转产医用脱脂棉，产品需环氧乙烷灭菌，本地缺少有资质的灭菌单位。", true},
	{"town2", "2020-02-20", "换马店镇", liaison.Inspect, "再次到换马店镇督导企业复工复产，听取镇里汇报，逐一过问企业反映问题的办理进度。", false},
}

// liaisonStep is a step on a problem after it is raised, by the leader or by
// the health commission's officer (the demo's department account).
type liaisonStep struct {
	day    string
	byDept bool
	action problem.Action
	note   string
}

// liaisonProblem is a problem of the story: raised on a visit (its target
// and day) or for a place, on day raised.
type liaisonProblem struct {
	visit, target, raised string
	category, title, desc string
	dept, deadline        string
	steps                 []liaisonStep
}

// As of 2020-02-22: one confirmed, one overdue (nobody took it up), one in
// progress, one resolved and waiting for the leader to confirm.
var liaisonProblems = []liaisonProblem{
	{visit: "hongda", category: "workers", title: "外地技术工人返岗需健康证明",
		desc: "38名外地技术工人返岗需出具健康证明，员工往返多地开具困难，影响满负荷生产。", dept: "县卫生健康局", deadline: "2020-02-16",
		steps: []liaisonStep{
			{"2020-02-13", true, problem.Start, "已与企业对接，核实外地员工名单。"},
			{"2020-02-15", true, problem.Resolve, "开通健康证明绿色通道，由乡镇卫生院上门体检出证，38名员工已全部返岗。"},
			{"2020-02-16", false, problem.Confirm, ""},
		}},
	{visit: "youlin", category: "transport", title: "原料运输车辆跨市通行受阻",
		desc: "外地原料供应商车辆进入本县需通行证，跨市运输受阻，库存原料仅够一周。", dept: "县交通运输局", deadline: "2020-02-20"},
	{target: "南及桥村", raised: "2020-02-19", category: "supplies", title: "村卡口口罩和测温枪不足",
		desc: "卡口24小时值守，现有口罩只够三天，测温枪两把需轮换使用。", dept: "县卫生健康局", deadline: "2020-02-24",
		steps: []liaisonStep{{"2020-02-20", true, problem.Start, "已列入县防疫物资调拨计划。"}}},
	{visit: "ningda", raised: "2020-02-19", category: "sterilisation", title: "医用脱脂棉产品灭菌无对接单位",
		desc: "转产医用脱脂棉，需环氧乙烷灭菌，本地缺少有资质的灭菌单位。", dept: "县卫生健康局", deadline: "2020-02-25",
		steps: []liaisonStep{
			{"2020-02-20", true, problem.Start, "联系市内有资质的灭菌企业。"},
			{"2020-02-21", true, problem.Resolve, "已对接邢台市一家有资质的灭菌企业，签订委托灭菌协议，首批产品2月24日送灭菌。"},
		}},
}

// loadLiaison gives the demo leader their February assignments, visits and
// problems, through the liaison and problem stores on a clock that runs
// through February 2020 (so every step is dated as the story says).
func loadLiaison(ctx context.Context, sc *scenario) error {
	clock := time.Date(2020, 2, 1, 2, 0, 0, 0, time.UTC)
	problems := &problem.Store{DB: sc.db, Now: func() time.Time { return clock }, Zone: time.FixedZone("CST", 8*3600)}
	store := liaison.NewStore(sc.db, problems)
	on := func(day string) { d := storage.MustDate(day); clock = d.Add(10 * time.Hour) } // 18:00 in the county
	leader, err := sc.person(ctx, "leader", auth.Grant{Role: auth.Leader, ScopeKind: auth.ScopeNode, ScopeID: sc.root.ID, NodePath: sc.root.Path})
	if err != nil {
		return err
	}
	health := sc.depts["县卫生健康局"]
	officer, err := sc.person(ctx, "dept-health", auth.Grant{Role: auth.DepartmentOfficer, ScopeKind: auth.ScopeDepartment, ScopeID: health.ID})
	if err != nil {
		return err
	}
	targets, err := sc.liaisonTargets(ctx)
	if err != nil {
		return err
	}
	lctx, octx := auth.WithPrincipal(ctx, leader), auth.WithPrincipal(ctx, officer)
	on("2020-02-01")
	for _, name := range liaisonTargets {
		t, ok := targets[name]
		if !ok {
			continue // an enterprise the register does not hold
		}
		in := liaison.AssignmentInput{DivisionID: t.DivisionID, EnterpriseID: t.EnterpriseID, From: "2020-02-01", To: "2020-02-29",
			Note: "县领导包联：督导疫情防控，协调解决复工复产困难"}
		if t.EnterpriseID != 0 {
			in.DivisionID = 0
		}
		if _, err := store.CreateAssignment(lctx, leader, in); err != nil {
			return fmt.Errorf("assignment %s: %w", name, err)
		}
	}
	visits := map[string]int64{}
	for _, v := range liaisonVisits {
		on(v.day)
		id, err := sc.liaisonVisit(lctx, store, leader, targets, v)
		if err != nil {
			return fmt.Errorf("visit %s: %w", v.key, err)
		}
		visits[v.key] = id
	}
	for _, pr := range liaisonProblems {
		if err := sc.liaisonProblem(lctx, octx, store, leader, officer, targets, visits, pr, on); err != nil {
			return fmt.Errorf("problem %s: %w", pr.title, err)
		}
	}
	assigned := 0
	for _, name := range liaisonTargets {
		if _, ok := targets[name]; ok {
			assigned++
		}
	}
	sc.sum.count("县领导包联对象", "leader liaison assignments", int64(assigned))
	sc.sum.count("督导走访", "liaison visits", int64(len(liaisonVisits)))
	sc.sum.count("包联困难问题", "liaison problems", int64(len(liaisonProblems)))
	return nil
}

// person is a demo account as a principal, to act as that person.
func (sc *scenario) person(ctx context.Context, username string, g auth.Grant) (*auth.Principal, error) {
	p := &auth.Principal{Username: username, Grants: []auth.Grant{g}}
	err := sc.db.R.QueryRowContext(ctx, `SELECT id, display_name FROM users WHERE username = $1`, username).Scan(&p.UserID, &p.DisplayName)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", username, err)
	}
	return p, nil
}

// liaisonTargets finds the story's places by name, and its enterprises in
// the register (by name: the demo never invents enterprise ids).
func (sc *scenario) liaisonTargets(ctx context.Context) (map[string]liaison.Target, error) {
	out := map[string]liaison.Target{}
	for _, name := range liaisonTargets {
		if n, ok := sc.nodes[name]; ok {
			out[name] = liaison.Target{DivisionID: n.ID}
			continue
		}
		var t liaison.Target
		err := sc.db.R.QueryRowContext(ctx, `SELECT id, division_id FROM enterprises WHERE name = $1 ORDER BY id LIMIT 1`, name).
			Scan(&t.EnterpriseID, &t.DivisionID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	if _, ok := out[liaisonFallback]; !ok {
		return nil, fmt.Errorf("no org node named %s", liaisonFallback)
	}
	return out, nil
}

// target is a story target, or the fallback township for a missing enterprise.
func target(targets map[string]liaison.Target, name string) liaison.Target {
	if t, ok := targets[name]; ok {
		return t
	}
	return targets[liaisonFallback]
}

func (sc *scenario) liaisonVisit(ctx context.Context, store *liaison.Store, leader *auth.Principal,
	targets map[string]liaison.Target, v liaisonVisit) (int64, error) {
	t := target(targets, v.target)
	in := liaison.VisitInput{DivisionID: t.DivisionID, EnterpriseID: t.EnterpriseID, Day: v.day, Kind: string(v.kind), Notes: v.notes}
	if t.EnterpriseID != 0 {
		in.DivisionID = 0
	}
	var photos []liaison.Upload
	if v.photo {
		photos = append(photos, liaison.Upload{Name: "现场照片（示意）.jpg", Data: sketch(len(v.notes))})
	}
	saved, err := store.CreateVisit(ctx, leader, in, photos)
	return saved.ID, err
}

func (sc *scenario) liaisonProblem(lctx, octx context.Context, store *liaison.Store, leader, officer *auth.Principal,
	targets map[string]liaison.Target, visits map[string]int64, pr liaisonProblem, on func(string)) error {
	in := liaison.ProblemInput{Category: pr.category, Title: pr.title, Description: pr.desc,
		DepartmentID: sc.depts[pr.dept].ID, Deadline: pr.deadline, RaisedOn: pr.raised}
	day := pr.raised
	if pr.visit != "" {
		in.VisitID = visits[pr.visit]
		for _, v := range liaisonVisits {
			if v.key == pr.visit && day == "" {
				day = v.day
			}
		}
	} else {
		t := target(targets, pr.target)
		in.DivisionID, in.EnterpriseID = t.DivisionID, t.EnterpriseID
		if t.EnterpriseID != 0 {
			in.DivisionID = 0
		}
	}
	on(day)
	raised, err := store.RaiseProblem(lctx, leader, in)
	if err != nil {
		return err
	}
	for _, st := range pr.steps {
		on(st.day)
		ctx, p := lctx, leader
		if st.byDept {
			ctx, p = octx, officer
		}
		if _, err := store.Problems.Step(ctx, p, raised.ID, st.action, st.note); err != nil {
			return fmt.Errorf("%s on %s: %w", st.action, st.day, err)
		}
	}
	return nil
}

// sketch draws a small stand-in for a site photo (sky, a factory block, the
// yard), shaded by seed so the photos differ: the demo holds no real photos.
func sketch(seed int) []byte {
	const w, h = 640, 480
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	shade := uint8(seed % 40)
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 170 + shade, G: 200, B: 235, A: 255} // sky
			switch {
			case y > 330:
				c = color.RGBA{R: 150, G: 150 - shade/2, B: 140, A: 255} // yard
			case x > 120 && x < 520 && y > 180:
				c = color.RGBA{R: 200 - shade, G: 205, B: 210, A: 255} // building
				if (x/40)%2 == 0 && y > 210 && y < 280 && (y/20)%2 == 0 {
					c = color.RGBA{R: 70, G: 110, B: 150, A: 255} // windows
				}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 70})
	return b.Bytes()
}
