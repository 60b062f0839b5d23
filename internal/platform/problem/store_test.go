package problem_test

import (
	"context"
	"os"
	"testing"
	"time"

	"fangkong/internal/apptest"
	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/problem"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

// categories stand for a module's own list.
var categories = []string{"workers", "funds", "other"}

// world is the fixture county with two departments, an officer of each, and
// a store whose clock the test moves day by day.
type world struct {
	fix          apptest.Fixture
	store        *problem.Store
	day          *time.Time
	health, mkt  org.Department
	users        map[string]*auth.Principal
	healthOff    *auth.Principal // apptest.DeptOfficer: department id 1
	marketOff    *auth.Principal
	leader, cmdr *auth.Principal
}

func newWorld(t *testing.T, db *storage.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{fix: apptest.Seed(t, db), users: map[string]*auth.Principal{}}
	orgs := &org.Store{DB: db}
	var err error
	if w.health, err = orgs.SaveDepartment(ctx, auth.System("t"), org.Department{Code: "01", NameZH: "县卫生健康局", NameEN: "Health"}); err != nil {
		t.Fatal(err)
	}
	if w.health.ID != 1 {
		t.Fatalf("the fixture's department officer works for department 1; the first department got id %d", w.health.ID)
	}
	if w.mkt, err = orgs.SaveDepartment(ctx, auth.System("t"), org.Department{Code: "03", NameZH: "县市场监督管理局", NameEN: "Market"}); err != nil {
		t.Fatal(err)
	}
	users := &auth.Store{DB: db, Audit: audit.Write}
	if _, err := users.CreateUser(ctx, auth.NewUser{Username: "dept-market", Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	if err := users.AddGrant(ctx, "dept-market", auth.Grant{Role: auth.DepartmentOfficer, ScopeKind: auth.ScopeDepartment, ScopeID: w.mkt.ID}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{apptest.Leader, apptest.Commander, apptest.DeptOfficer, "dept-market",
		apptest.AdminFenghuang, apptest.AdminDongwang, apptest.CadreDongwang, apptest.CheckpointStaff} {
		_, p, err := users.Login(ctx, name, apptest.Password, "127.0.0.1")
		if err != nil {
			t.Fatalf("login %s: %v", name, err)
		}
		w.users[name] = p
	}
	w.leader, w.cmdr = w.users[apptest.Leader], w.users[apptest.Commander]
	w.healthOff, w.marketOff = w.users[apptest.DeptOfficer], w.users["dept-market"]
	day := time.Date(2020, 2, 10, 2, 0, 0, 0, time.UTC)
	w.day = &day
	w.store = &problem.Store{DB: db, Now: func() time.Time { return *w.day }, Zone: time.FixedZone("CST", 8*3600)}
	return w
}

// on moves the clock to a day of February 2020 (10:00 in the county).
func (w *world) on(day int) { *w.day = time.Date(2020, 2, day, 2, 0, 0, 0, time.UTC) }

func (w *world) raise(t *testing.T, p *auth.Principal, in problem.Input) problem.Problem {
	t.Helper()
	if in.Category == "" {
		in.Category = "workers"
	}
	if in.Title == "" {
		in.Title = "外地员工返岗需要核酸检测"
	}
	in.Source = "test"
	pr, err := w.store.Raise(context.Background(), p, in, categories)
	if err != nil {
		t.Fatalf("raise: %v", err)
	}
	return pr
}

func TestWorkflow(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pr := w.raise(t, w.leader, problem.Input{DivisionID: w.fix.DongwangVillage.ID, DepartmentID: w.health.ID, Deadline: "2020-02-15"})
		if pr.Status != problem.Open || pr.RaisedOn.String() != "2020-02-10" || pr.DivisionName != "东汪村" || pr.DepartmentName != "县卫生健康局" {
			t.Fatalf("raised %+v", pr)
		}
		step := func(p *auth.Principal, a problem.Action, note string) error {
			_, err := w.store.Step(ctx, p, pr.ID, a, note)
			return err
		}
		mustCode := func(err error, want errs.Code, what string) {
			t.Helper()
			if errs.CodeOf(err) != want {
				t.Errorf("%s: %v, want %s", what, err, want)
			}
		}
		// The other department cannot see it; the raiser cannot work it.
		mustCode(step(w.marketOff, problem.Start, ""), errs.NotFound, "market officer starts")
		mustCode(step(w.leader, problem.Start, ""), errs.Forbidden, "raiser starts")
		mustCode(step(w.healthOff, problem.Resolve, "done"), errs.Conflict, "resolve before start")
		w.on(11)
		if err := step(w.healthOff, problem.Start, ""); err != nil {
			t.Fatal(err)
		}
		w.on(13)
		mustCode(step(w.healthOff, problem.Resolve, "  "), errs.Invalid, "resolve without a note")
		if err := step(w.healthOff, problem.Resolve, "已联系县疾控中心上门采样"); err != nil {
			t.Fatal(err)
		}
		// Only the raiser confirms: not the department, not the command.
		mustCode(step(w.healthOff, problem.Confirm, ""), errs.Forbidden, "department confirms")
		mustCode(step(w.cmdr, problem.Confirm, ""), errs.Forbidden, "commander confirms")
		w.on(14)
		mustCode(step(w.leader, problem.Reopen, ""), errs.Invalid, "reopen without a reason")
		if err := step(w.leader, problem.Reopen, "仍有12名员工未采样"); err != nil {
			t.Fatal(err)
		}
		w.on(16)
		if err := step(w.healthOff, problem.Resolve, "全部采样完毕"); err != nil {
			t.Fatal(err)
		}
		w.on(17)
		if err := step(w.leader, problem.Confirm, ""); err != nil {
			t.Fatal(err)
		}
		mustCode(step(w.leader, problem.Reopen, "again"), errs.Conflict, "reopen a confirmed problem")
		got, err := w.store.Get(ctx, w.leader, pr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != problem.Confirmed || got.ResolvedOn.String() != "2020-02-16" || got.ConfirmedOn.String() != "2020-02-17" ||
			len(got.Events) != 6 || len(got.Allowed) != 0 {
			t.Errorf("after confirm: %+v", got)
		}
		var audited int
		db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity = 'problem'`).Scan(&audited)
		if audited != 6 {
			t.Errorf("%d audit entries, want 6 (raise and five steps)", audited)
		}
		// As of each day, replayed from the events.
		for day, want := range map[string]problem.Status{"2020-02-10": problem.Open, "2020-02-12": problem.InProgress,
			"2020-02-13": problem.Resolved, "2020-02-15": problem.InProgress, "2020-02-16": problem.Resolved, "2020-02-20": problem.Confirmed} {
			snaps, err := w.store.Snapshots(ctx, w.cmdr, storage.MustDate(day), "")
			if err != nil || len(snaps) != 1 || snaps[0].Status != want {
				t.Errorf("%s: %+v %v, want %s", day, snaps, err, want)
			}
		}
		snaps, _ := w.store.Snapshots(ctx, w.cmdr, storage.MustDate("2020-02-09"), "")
		if len(snaps) != 0 {
			t.Errorf("before it was raised: %+v", snaps)
		}
	})
}

func TestScopeAndOverdue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.on(5)
		late := w.raise(t, w.leader, problem.Input{DivisionID: w.fix.DongwangVillage.ID, DepartmentID: w.health.ID, Deadline: "2020-02-08", Title: "late"})
		mkt := w.raise(t, w.leader, problem.Input{DivisionID: w.fix.FenghuangVillage.ID, DepartmentID: w.mkt.ID, Deadline: "2020-02-28", Title: "market"})
		cadre := w.raise(t, w.users[apptest.CadreDongwang], problem.Input{DivisionID: w.fix.DongwangVillage.ID, DepartmentID: w.mkt.ID,
			Deadline: "2020-02-25", Title: "cadre"})
		ids := func(p *auth.Principal, f problem.Filter) []int64 {
			t.Helper()
			f.AsOf = storage.MustDate("2020-02-22")
			pg, err := w.store.List(ctx, p, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, it := range pg.Items {
				out = append(out, it.ID)
			}
			return out
		}
		eq := func(what string, got []int64, want ...int64) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s: %v, want %v", what, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: %v, want %v", what, got, want)
					return
				}
			}
		}
		// Overdue first, then by deadline.
		eq("commander", ids(w.cmdr, problem.Filter{}), late.ID, cadre.ID, mkt.ID)
		eq("health officer", ids(w.healthOff, problem.Filter{}), late.ID)
		eq("market officer", ids(w.marketOff, problem.Filter{}), cadre.ID, mkt.ID)
		eq("凤凰镇 admin", ids(w.users[apptest.AdminFenghuang], problem.Filter{}), mkt.ID)
		eq("东汪村 cadre", ids(w.users[apptest.CadreDongwang], problem.Filter{}), late.ID, cadre.ID)
		eq("overdue", ids(w.cmdr, problem.Filter{Overdue: true}), late.ID)
		eq("raised by the cadre", ids(w.cmdr, problem.Filter{Involving: &problem.Involvement{UserID: w.users[apptest.CadreDongwang].UserID}}), cadre.ID)
		eq("checkpoint staff sees nothing", ids(w.users[apptest.CheckpointStaff], problem.Filter{}))
		if _, err := w.store.Get(ctx, w.users[apptest.AdminFenghuang], late.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("凤凰镇 admin reads a 东汪 problem: %v", err)
		}
		// Cursor pages walk the same order.
		var walked []int64
		f := problem.Filter{Limit: 1, AsOf: storage.MustDate("2020-02-22")}
		for {
			pg, err := w.store.List(ctx, w.cmdr, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range pg.Items {
				walked = append(walked, it.ID)
			}
			if pg.Next == "" {
				break
			}
			f.Cursor = pg.Next
		}
		eq("paged", walked, late.ID, cadre.ID, mkt.ID)

		st, err := w.store.Stats(ctx, w.cmdr, storage.MustDate("2020-02-22"), "")
		if err != nil {
			t.Fatal(err)
		}
		if st.Total.Raised != 3 || st.Total.Overdue != 1 || st.Total.Unresolved != 3 || len(st.ByDepartment) != 2 ||
			st.ByDepartment[0].DepartmentID != w.health.ID || st.ByDepartment[0].Overdue != 1 || st.ByDepartment[1].Unresolved != 2 {
			t.Errorf("stats %+v", st)
		}
		if st, _ := w.store.Stats(ctx, w.cmdr, storage.MustDate("2020-02-08"), ""); st.Total.Overdue != 0 {
			t.Errorf("overdue on its deadline day: %+v", st.Total)
		}
	})
}

func TestRaiseChecks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		fields := func(err error) map[string]bool {
			out := map[string]bool{}
			for _, f := range errs.As(err).Fields {
				out[f.Field] = true
			}
			return out
		}
		_, err := w.store.Raise(ctx, w.leader, problem.Input{Source: "test", Category: "weather", DivisionID: w.fix.DongwangVillage.ID,
			DepartmentID: w.health.ID, Deadline: "2020-02-09", RaisedOn: "2020-02-10"}, categories)
		if f := fields(err); !f["category"] || !f["title"] || !f["deadline"] || len(f) != 3 {
			t.Errorf("bad raise: %v", err)
		}
		_, err = w.store.Raise(ctx, w.leader, problem.Input{Source: "test", Category: "funds", Title: "x", DivisionID: w.fix.DongwangVillage.ID,
			DepartmentID: w.health.ID, Deadline: "2020-03-01", RaisedOn: "2020-02-11"}, categories)
		if f := fields(err); !f["raised_on"] {
			t.Errorf("raised tomorrow: %v", err)
		}
		_, err = w.store.Raise(ctx, w.users[apptest.CadreDongwang], problem.Input{Source: "test", Category: "funds", Title: "x",
			DivisionID: w.fix.FenghuangVillage.ID, DepartmentID: 999, Deadline: "2020-03-01"}, categories)
		if f := fields(err); !f["division_id"] {
			t.Errorf("cadre raises in another township: %v", err)
		}
		_, err = w.store.Raise(ctx, w.leader, problem.Input{Source: "test", Category: "funds", Title: "x",
			DivisionID: w.fix.FenghuangVillage.ID, DepartmentID: 999, Deadline: "2020-03-01"}, categories)
		if f := fields(err); !f["department_id"] {
			t.Errorf("unknown department: %v", err)
		}
		if _, err := w.store.Raise(ctx, w.healthOff, problem.Input{Source: "test", Category: "funds", Title: "x",
			DivisionID: w.fix.FenghuangVillage.ID, DepartmentID: w.health.ID, Deadline: "2020-03-01"}, categories); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("department officer (no node scope) raises: %v", err)
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM problems`).Scan(&n)
		if n != 0 {
			t.Errorf("%d problems stored by rejected raises", n)
		}
	})
}

func TestReassign(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pr := w.raise(t, w.leader, problem.Input{DivisionID: w.fix.DongwangVillage.ID, DepartmentID: w.health.ID, Deadline: "2020-02-12"})
		if _, err := w.store.Step(ctx, w.healthOff, pr.ID, problem.Start, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.store.Assign(ctx, w.healthOff, pr.ID, problem.AssignInput{DepartmentID: w.mkt.ID, Deadline: "2020-02-20"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("department reassigns: %v", err)
		}
		if _, err := w.store.Assign(ctx, w.cmdr, pr.ID, problem.AssignInput{DepartmentID: w.mkt.ID, Deadline: "2020-02-01"}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("deadline before raise: %v", err)
		}
		w.on(11)
		got, err := w.store.Assign(ctx, w.cmdr, pr.ID, problem.AssignInput{DepartmentID: w.mkt.ID, Deadline: "2020-02-20", Note: "属市场监管职责"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != problem.Open || got.DepartmentID != w.mkt.ID || got.Deadline.String() != "2020-02-20" {
			t.Errorf("reassigned: %+v", got)
		}
		if _, err := w.store.Get(ctx, w.healthOff, pr.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("the old department still sees it: %v", err)
		}
		// On the 10th it was still health's, and due on the 12th.
		snaps, _ := w.store.Snapshots(ctx, w.cmdr, storage.MustDate("2020-02-13"), "")
		if len(snaps) != 1 || snaps[0].DepartmentID != w.mkt.ID || snaps[0].Overdue {
			t.Errorf("13th: %+v", snaps)
		}
		snaps, _ = w.store.Snapshots(ctx, w.cmdr, storage.MustDate("2020-02-10"), "")
		if len(snaps) != 1 || snaps[0].DepartmentID != w.health.ID || snaps[0].Deadline.String() != "2020-02-12" {
			t.Errorf("10th: %+v", snaps)
		}
	})
}
