package demo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fangkong/internal/org"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/platform/storage/storagetest"
	"fangkong/internal/platform/validate"
	"fangkong/internal/surveillance"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

const testPassword = "demo-test-password"

// load loads the scenario and logs how long it took (a figure, not an assertion).
func load(t *testing.T, db *storage.DB) Summary {
	t.Helper()
	start := time.Now()
	sum, err := Load(context.Background(), db, Options{Password: testPassword})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var steps []string
	for _, s := range sum.Steps {
		steps = append(steps, fmt.Sprintf("%s %s", s.Name, s.Elapsed.Round(time.Millisecond)))
	}
	t.Logf("%s: Load took %s (%s)", db.Dialect, time.Since(start).Round(time.Millisecond), strings.Join(steps, ", "))
	return sum
}

// login signs in as a demo account and returns its principal.
func login(t *testing.T, db *storage.DB, username string) *auth.Principal {
	t.Helper()
	users := &auth.Store{DB: db, Audit: audit.Write}
	_, p, err := users.Login(context.Background(), username, testPassword, "127.0.0.1")
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return p
}

func TestLoad(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		sum := load(t, db)
		checkSummary(t, db, sum)
		checkTownships(t, db)
		checkAccounts(t, db)
		checkSurveillance(t, db)
		checkCaseIdentities(t, db)
		checkAuditLabels(t, db)

		_, err := Load(context.Background(), db, Options{Password: testPassword})
		if !errors.Is(err, ErrNotEmpty) {
			t.Fatalf("second Load: got %v, want ErrNotEmpty", err)
		}
	})
}

func checkSummary(t *testing.T, db *storage.DB, sum Summary) {
	t.Helper()
	if got := sum.Count("townships"); got != 18 {
		t.Errorf("townships = %d, want 18", got)
	}
	if v := sum.Count("villages"); v < 18*8 || v > 18*15 {
		t.Errorf("villages = %d, want 8–15 per township", v)
	}
	if r := sum.Count("residents"); r < 740_000 || r > 760_000 {
		t.Errorf("residents = %d, want about 750,000", r)
	}
	text := sum.Text("http://127.0.0.1:8080", testPassword)
	for _, want := range []string{"http://127.0.0.1:8080", "as of 2020-02-22", testPassword, "admin-fenghuang",
		"乡镇管理员 Township administrator", "凤凰镇 Fenghuang Town", "dept-health", "县卫生健康局",
		"全县累计报告确诊病例2例，治愈1例，连续17日无新增确诊病例（低风险）",
		"2 confirmed cases reported in total, 1 cured, 17 days without a new confirmed case (low risk)"} {
		if !strings.Contains(text, want) {
			t.Errorf("banner lacks %q:\n%s", want, text)
		}
	}
	// The county's population is the sum of its townships', theirs of their villages'.
	var bad int
	err := db.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM org_nodes p
		WHERE p.level <> 'village' AND p.population <> (SELECT SUM(c.population) FROM org_nodes c WHERE c.parent_id = p.id)`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d nodes whose population is not their children's sum (err %v)", bad, err)
	}
}

func checkTownships(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	p := login(t, db, "commander")
	orgs := &org.Store{DB: db}
	root, err := orgs.Root(ctx)
	if err != nil || root.Code != "130528" || root.NameZH != "宁晋县" || root.NameEN != "Ningjin County" {
		t.Fatalf("root = %+v, %v", root, err)
	}
	towns, err := orgs.Children(ctx, p, root.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"130528001": "宁北街道", "130528100": "凤凰镇", "130528101": "河渠镇",
		"130528102": "北河庄镇", "130528103": "耿庄桥镇", "130528104": "东汪镇", "130528105": "贾家口镇",
		"130528106": "四芝兰镇", "130528107": "大陆村镇", "130528108": "苏家庄镇", "130528109": "换马店镇",
		"130528110": "唐邱镇", "130528200": "侯口乡", "130528202": "纪昌庄乡", "130528205": "北鱼乡",
		"130528208": "徐家河乡", "130528209": "大曹庄乡", "130528401": "大曹庄管理区"}
	if len(towns) != len(want) {
		t.Errorf("%d townships, want %d", len(towns), len(want))
	}
	for _, tw := range towns {
		if want[tw.Code] != tw.NameZH || tw.NameEN == "" || tw.Level != org.Township {
			t.Errorf("township %s %s (%s, %s) not in the 2019 list", tw.Code, tw.NameZH, tw.NameEN, tw.Level)
		}
		kids, err := orgs.Children(ctx, p, tw.ID)
		if err != nil {
			t.Fatal(err)
		}
		villages := 0
		for _, k := range kids {
			if !strings.HasPrefix(k.Code, tw.Code) || len(k.Code) != 12 {
				t.Errorf("%s %s: code not under %s", k.Code, k.NameZH, tw.Code)
			}
			if k.Kind == "村" {
				villages++
			}
		}
		if villages < 8 || villages > 15 {
			t.Errorf("%s has %d villages", tw.NameZH, villages)
		}
	}
	for name, town := range map[string]string{"东汪村": "东汪镇", "洨口村": "东汪镇", "南及桥村": "换马店镇",
		"中曹村": "凤凰镇", "孙村": "凤凰镇", "晶福苑小区": "凤凰镇", "国税局家属院": "凤凰镇"} {
		var parent string
		err := db.R.QueryRowContext(ctx, `SELECT p.name_zh FROM org_nodes n JOIN org_nodes p ON p.id = n.parent_id
			WHERE n.name_zh = $1`, name).Scan(&parent)
		if err != nil || parent != town {
			t.Errorf("%s: parent %q (%v), want %s", name, parent, err, town)
		}
	}
}

func checkAccounts(t *testing.T, db *storage.DB) {
	t.Helper()
	want := map[string]struct {
		role  auth.Role
		kind  auth.ScopeKind
		scope string // node code or department name
	}{
		"commander":       {auth.Commander, auth.ScopeNode, "130528"},
		"leader":          {auth.Leader, auth.ScopeNode, "130528"},
		"auditor":         {auth.Auditor, auth.ScopeNode, "130528"},
		"admin-fenghuang": {auth.TownshipAdmin, auth.ScopeNode, "130528100"},
		"cadre-dongwang":  {auth.VillageCadre, auth.ScopeNode, "东汪村"},
		"inspector":       {auth.Inspector, auth.ScopeNode, "130528"},
		"dept-health":     {auth.DepartmentOfficer, auth.ScopeDepartment, "县卫生健康局"},
	}
	ctx := context.Background()
	for name, w := range want {
		p := login(t, db, name)
		if p.MustChangePassword || len(p.Grants) != 1 {
			t.Errorf("%s: must change %v, grants %+v", name, p.MustChangePassword, p.Grants)
			continue
		}
		g := p.Grants[0]
		var id int64
		q := `SELECT id FROM org_nodes WHERE code = $1 OR name_zh = $1`
		if w.kind == auth.ScopeDepartment {
			q = `SELECT id FROM departments WHERE name_zh = $1`
		}
		if err := db.R.QueryRowContext(ctx, q, w.scope).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if g.Role != w.role || g.ScopeKind != w.kind || g.ScopeID != id {
			t.Errorf("%s: grant %+v, want %s over %s %s (%d)", name, g, w.role, w.kind, w.scope, id)
		}
	}
}

// checkSurveillance reads the statistics the report quotes, and those of the
// days before, from the generated records.
func checkSurveillance(t *testing.T, db *storage.DB) {
	t.Helper()
	p := login(t, db, "commander")
	cases := &surveillance.Store{DB: db, Today: func() storage.Date { return storage.MustDate(AsOf) }}
	tests := []struct {
		day                          string
		new, cumulative, cured, days int
		risk                         surveillance.Risk
	}{
		{"2020-01-27", 0, 0, 0, -1, surveillance.Low},
		{"2020-01-28", 1, 1, 0, 0, surveillance.Medium},
		{"2020-01-30", 0, 1, 0, 2, surveillance.Medium},
		{"2020-01-31", 1, 2, 0, 0, surveillance.Medium}, // the case later struck
		{"2020-02-03", 0, 1, 0, 6, surveillance.Medium}, // struck: last confirmed back to 28 Jan
		{"2020-02-05", 1, 2, 0, 0, surveillance.Medium},
		{"2020-02-14", 0, 2, 1, 9, surveillance.Medium},
		{"2020-02-18", 0, 2, 1, 13, surveillance.Medium},
		{"2020-02-19", 0, 2, 1, 14, surveillance.Low},
		{AsOf, 0, 2, 1, 17, surveillance.Low},
	}
	for _, tt := range tests {
		s, err := cases.Summary(context.Background(), p, storage.MustDate(tt.day), "")
		if err != nil {
			t.Fatal(err)
		}
		days := -1
		if s.DaysWithoutNewConfirmed != nil {
			days = *s.DaysWithoutNewConfirmed
		}
		if s.NewConfirmed != tt.new || s.CumulativeConfirmed != tt.cumulative || s.Cured != tt.cured ||
			days != tt.days || s.RiskLevel != tt.risk || s.Deaths != 0 || s.Clusters != 0 {
			t.Errorf("%s: new %d cumulative %d cured %d days %d risk %s deaths %d clusters %d; want %d %d %d %d %s",
				tt.day, s.NewConfirmed, s.CumulativeConfirmed, s.Cured, days, s.RiskLevel, s.Deaths, s.Clusters,
				tt.new, tt.cumulative, tt.cured, tt.days, tt.risk)
		}
	}
	final, _ := cases.Summary(context.Background(), p, storage.MustDate(AsOf), "")
	if final.CurrentConfirmed != 1 || final.LastConfirmed.String() != "2020-02-05" || final.Asymptomatic.UnderObservation != 0 {
		t.Errorf("as of %s: %+v", AsOf, final)
	}
	mid, _ := cases.Summary(context.Background(), p, storage.MustDate("2020-02-10"), "")
	if mid.Asymptomatic.UnderObservation != 1 {
		t.Errorf("2020-02-10: asymptomatic %+v, want 1 under observation", mid.Asymptomatic)
	}
	// Two townships, one confirmed case each.
	for _, code := range []string{"130528100", "130528104"} {
		s, err := cases.Summary(context.Background(), p, storage.MustDate(AsOf), code)
		if err != nil || s.CumulativeConfirmed != 1 {
			t.Errorf("township %s: cumulative %d (%v), want 1", code, s.CumulativeConfirmed, err)
		}
	}
	var suspected, excluded int
	db.R.QueryRow(`SELECT COUNT(*), SUM(CASE WHEN status = 'excluded' THEN 1 ELSE 0 END) FROM cases
		WHERE id IN (SELECT case_id FROM case_events WHERE kind = 'suspected')`).Scan(&suspected, &excluded)
	if excluded < 8 {
		t.Errorf("%d excluded suspected cases, want at least 8", excluded)
	}
}

// checkCaseIdentities proves the generated personal data passes the same
// validation a form would apply.
func checkCaseIdentities(t *testing.T, db *storage.DB) {
	t.Helper()
	rows, err := db.R.Query(`SELECT name, id_number, phone, address FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	asOf := storage.MustDate(AsOf).Time
	for rows.Next() {
		var name, id, phone, addr string
		if err := rows.Scan(&name, &id, &phone, &addr); err != nil {
			t.Fatal(err)
		}
		if _, err := validate.ResidentIDAt(id, asOf); err != nil || !strings.HasPrefix(id, "130528") {
			t.Errorf("%s: ID %s: %v", name, id, err)
		}
		if _, err := validate.Mobile(phone); err != nil {
			t.Errorf("%s: phone %s: %v", name, phone, err)
		}
		if !strings.HasPrefix(addr, "宁晋县") {
			t.Errorf("%s: address %s", name, addr)
		}
	}
}

// checkAuditLabels: every kind of record the scenario's writes audited has a
// name in both languages, so the auditor never reads a bare code.
func checkAuditLabels(t *testing.T, db *storage.DB) {
	t.Helper()
	rows, err := db.R.QueryContext(context.Background(), `SELECT DISTINCT entity FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			t.Fatal(err)
		}
		if !i18n.Has("auditlog.entity." + e) {
			t.Errorf("audit entity %q has no auditlog.entity label", e)
		}
	}
}

// TestDeterministic loads the scenario on both engines and compares what was
// generated, ids and timestamps aside.
func TestDeterministic(t *testing.T) {
	a, b := storagetest.SQLite(t), storagetest.Postgres(t)
	load(t, a)
	load(t, b)
	fa, fb := fingerprint(t, a), fingerprint(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("%d rows on SQLite, %d on PostgreSQL", len(fa), len(fb))
	}
	for i := range fa {
		if fa[i] != fb[i] {
			t.Fatalf("row %d differs:\n sqlite   %s\n postgres %s", i, fa[i], fb[i])
		}
	}
}

func fingerprint(t *testing.T, db *storage.DB) []string {
	t.Helper()
	queries := []string{
		`SELECT code, name_zh, name_en, level, kind, population, households FROM org_nodes ORDER BY code`,
		`SELECT code, name_zh, name_en FROM departments ORDER BY code`,
		`SELECT u.username, u.display_name, g.role, g.scope_kind FROM users u JOIN grants g ON g.user_id = u.id ORDER BY u.username`,
		`SELECT c.name, c.id_number, c.phone, c.address, c.origin, c.status, n.code, e.kind, e.day, e.note
			FROM cases c JOIN org_nodes n ON n.id = c.division_id JOIN case_events e ON e.case_id = c.id ORDER BY c.id_number, e.id`,
	}
	var out []string
	for _, q := range queries {
		rows, err := db.R.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(normalize(vals)...))
		}
		rows.Close()
	}
	return out
}

// normalize makes values print alike on both drivers (text vs []byte, DATE vs text).
func normalize(vals []any) []any {
	for i, v := range vals {
		switch x := v.(type) {
		case []byte:
			vals[i] = string(x)
		case time.Time:
			vals[i] = x.Format(storage.DateLayout)
		case string:
			if len(x) > 10 && x[4] == '-' && x[10] == 'T' {
				vals[i] = x[:10]
			}
		}
		vals[i] = fmt.Sprintf("|%v", vals[i])
	}
	return vals
}

func TestPlanIsStable(t *testing.T) {
	r1, r2 := (&scenario{}).rng("org"), (&scenario{}).rng("org")
	p1, p2 := planOrg(r1), planOrg(r2)
	for i := range p1 {
		if fmt.Sprint(p1[i].children) != fmt.Sprint(p2[i].children) {
			t.Fatalf("plan of %s differs between runs", p1[i].node.NameZH)
		}
	}
	names := map[string]bool{}
	for _, tp := range p1 {
		for _, c := range tp.children {
			if names[c.NameZH] {
				t.Errorf("village name %s used twice", c.NameZH)
			}
			names[c.NameZH] = true
		}
	}
}

func TestPinyin(t *testing.T) {
	for _, tt := range []struct {
		parts []syl
		want  string
	}{
		{[]syl{{"西", "xi"}, {"安", "an"}}, "Xi'an"},
		{[]syl{{"李", "li"}, {"家", "jia"}, {"庄", "zhuang"}}, "Lijiazhuang"},
		{[]syl{{"长安", "chang'an"}}, "Chang'an"},
	} {
		if got := pinyinName(tt.parts); got != tt.want {
			t.Errorf("pinyinName(%v) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	if w := displayWidth("凤凰镇 Fenghuang"); w != 16 {
		t.Errorf("width = %d, want 16", w)
	}
}

// TestRefusesUsedDatabase: a database with an account but no tree is refused
// before anything is written.
func TestRefusesUsedDatabase(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		users := &auth.Store{DB: db, Audit: audit.Write}
		if _, err := users.CreateUser(context.Background(), auth.NewUser{Username: "admin", Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(context.Background(), db, Options{Password: testPassword}); !errors.Is(err, ErrNotEmpty) {
			t.Fatalf("Load: got %v, want ErrNotEmpty", err)
		}
		var nodes int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM org_nodes`).Scan(&nodes); err != nil || nodes != 0 {
			t.Errorf("%d org nodes written (%v)", nodes, err)
		}
	})
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 750000: "750,000", 1234567: "1,234,567", -1680: "-1,680"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestShortPassword(t *testing.T) {
	db := storagetest.SQLite(t)
	if _, err := Load(context.Background(), db, Options{Password: "short"}); err == nil {
		t.Fatal("a 5-character password was accepted")
	}
}
