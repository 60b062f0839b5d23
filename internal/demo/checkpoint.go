package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/audit"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
)

// demoCheckpoint is one checkpoint of the scenario, at a named place.
type demoCheckpoint struct {
	place, name string
	kind        checkpoint.Kind
	from, to    string // hours; empty for round the clock
	traffic     int    // passages on an ordinary day
}

// demoCheckpoints are the report's villages and compounds with their
// entrances, and the roads into the county.
var demoCheckpoints = []demoCheckpoint{
	{"东汪村", "东汪村北口", checkpoint.VillageEntrance, "", "", 24},
	{"东汪村", "东汪村南口", checkpoint.VillageEntrance, "06:00", "22:00", 14},
	{"洨口村", "洨口村村口", checkpoint.VillageEntrance, "", "", 16},
	{"中曹村", "中曹村村口", checkpoint.VillageEntrance, "", "", 18},
	{"孙村", "孙村村口", checkpoint.VillageEntrance, "", "", 15},
	{"南及桥村", "南及桥村村口", checkpoint.VillageEntrance, "", "", 14},
	{"晶福苑小区", "晶福苑小区南门", checkpoint.CommunityGate, "", "", 28},
	{"国税局家属院", "国税局家属院大门", checkpoint.CommunityGate, "06:00", "23:00", 8},
	{"凤凰镇", "308国道宁晋东卡口", checkpoint.Road, "", "", 30},
	{"换马店镇", "青银高速宁晋出口", checkpoint.HighwayExit, "", "", 26},
	{"东汪镇", "东汪镇省道卡口", checkpoint.Road, "", "", 20},
}

// Where people come from and go, and why, as a volunteer writes it.
var (
	localPlaces  = []string{"县城", "凤凰镇", "东汪镇", "河渠镇", "换马店镇", "邻村", "镇卫生院", "县医院"}
	farPlaces    = []string{"石家庄", "邢台市区", "北京", "天津", "衡水", "济南", "郑州", "保定"}
	purposes     = []string{"购买生活物资", "就医", "返岗复工", "运输物资", "返乡", "看望老人", "农资采购", "上班"}
	farPlates    = []string{"京A", "京N", "津C", "豫A", "鲁A", "冀A", "冀T", "冀F", "晋A"}
	returnReason = []string{"探亲访友", "走亲戚", "串门", "聚会"}
)

// checkpointsFrom is the first day of the demo's passage log.
const checkpointsFrom = "2020-02-01"

// passesUntil is the last valid day of the demo's resident passes.
const passesUntil = "2030-12-31"

// loadCheckpoints makes the checkpoints, the checkpoint-dongwang account,
// resident passes at 东汪村 and three weeks of passages before the report,
// recorded through the same batch path the capture page uses.
func loadCheckpoints(ctx context.Context, sc *scenario) error {
	r := sc.rng("checkpoint")
	day := sc.today
	st := checkpoint.NewStore(sc.db, func() time.Time { return day.Add(16 * time.Hour) }, nil, nil)
	cps, err := sc.makeCheckpoints(ctx, st)
	if err != nil {
		return err
	}
	if err := sc.checkpointAccount(ctx, cps); err != nil {
		return err
	}
	day = storage.MustDate("2020-02-15") // passes are revoked in mid-February
	passes, err := sc.makePasses(ctx, r, st)
	if err != nil {
		return err
	}
	var total, returned, external int
	for day = storage.MustDate(checkpointsFrom); !day.After(sc.today.Time); day = day.AddDays(1) {
		ins := dayPassages(r, day, cps, passes)
		res, err := st.RecordBatch(checkpoint.WithAuthor(ctx, sc.loader.Username, ""), sc.loader, ins)
		if err != nil {
			return err
		}
		for i, x := range res {
			if x.Err != nil {
				return fmt.Errorf("passage %s on %s: %w", ins[i].ClientID, day, x.Err)
			}
			total++
			if x.Passage.Decision == checkpoint.Returned {
				returned++
			}
			if x.Passage.External {
				external++
			}
		}
	}
	sc.sum.count("卡口（村口、小区门岗、道路、高速出口）", "checkpoints (village entrances, community gates, roads, highway exit)", int64(len(cps)))
	sc.sum.count("居民通行证（东汪村）", "resident passes (Dongwang Village)", int64(len(passes)))
	sc.sum.count("出入登记（2月1日以来）", "passages logged (since 1 February)", int64(total))
	sc.sum.count("其中劝返", "of them persuaded to return", int64(returned))
	sc.sum.count("其中外来车辆", "of them external vehicles", int64(external))
	return nil
}

// placedCheckpoint is a checkpoint made by the scenario.
type placedCheckpoint struct {
	checkpoint.Checkpoint
	traffic int
}

func (sc *scenario) makeCheckpoints(ctx context.Context, st *checkpoint.Store) ([]placedCheckpoint, error) {
	var out []placedCheckpoint
	for _, d := range demoCheckpoints {
		n, err := sc.node(d.place)
		if err != nil {
			return nil, err
		}
		c, err := st.Create(ctx, sc.loader, checkpoint.Input{DivisionID: n.ID, Kind: string(d.kind), Name: d.name,
			HoursFrom: d.from, HoursTo: d.to})
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", d.name, err)
		}
		out = append(out, placedCheckpoint{Checkpoint: c, traffic: d.traffic})
	}
	return out, nil
}

// checkpointAccount is the volunteer of 东汪村's two entrances.
func (sc *scenario) checkpointAccount(ctx context.Context, cps []placedCheckpoint) error {
	var grants []auth.Grant
	for _, c := range cps {
		if c.DivisionName == "东汪村" {
			grants = append(grants, auth.Grant{Role: auth.CheckpointStaff, ScopeKind: auth.ScopeCheckpoint, ScopeID: c.ID})
		}
	}
	n, _ := sc.node("东汪村")
	if err := sc.addAccount(ctx, "checkpoint-dongwang", "东汪村卡口志愿者", grants[0], "东汪村卡口", n.NameEN+" checkpoints"); err != nil {
		return err
	}
	users := &auth.Store{DB: sc.db, Audit: audit.Write}
	for _, g := range grants[1:] {
		if err := users.AddGrant(ctx, "checkpoint-dongwang", g); err != nil {
			return err
		}
	}
	return nil
}

// makePasses issues passes to residents of 东汪村 and revokes two (people
// who left for work elsewhere). The passes run to 2030 so that they still
// scan as valid on a phone whose clock says today, not 2020.
func (sc *scenario) makePasses(ctx context.Context, r *rand.Rand, st *checkpoint.Store) ([]checkpoint.Pass, error) {
	village, err := sc.node("东汪村")
	if err != nil {
		return nil, err
	}
	var out []checkpoint.Pass
	for range 40 {
		p := newPerson(r, sc.today, 18, 75)
		ps, err := st.IssuePass(ctx, sc.loader, checkpoint.PassInput{DivisionID: village.ID, Name: p.Name, IDNumber: p.IDNumber,
			Phone: p.Phone, ValidFrom: checkpointsFrom, ValidTo: passesUntil})
		if err != nil {
			return nil, err
		}
		ps.Token, err = passToken(ctx, st, ps.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, ps)
	}
	for _, k := range []int{7, 23} {
		ps, err := st.RevokePass(ctx, sc.loader, out[k].ID, "已外出务工，通行证收回")
		if err != nil {
			return nil, err
		}
		out[k].RevokedAt = ps.RevokedAt
	}
	return out, nil
}

// passToken reads a pass's signed token back (IssuePass answers with it masked).
func passToken(ctx context.Context, st *checkpoint.Store, serial int64) (string, error) {
	ps, err := st.GetPass(ctx, auth.System("demo"), serial)
	return ps.Token, err
}

// dayPassages makes one day's passages at every checkpoint.
func dayPassages(r *rand.Rand, day storage.Date, cps []placedCheckpoint, passes []checkpoint.Pass) []checkpoint.PassageInput {
	var out []checkpoint.PassageInput
	zone := time.FixedZone("CST", 8*3600)
	for _, c := range cps {
		n := c.traffic/2 + r.IntN(c.traffic)
		for range n {
			hour := 6 + r.IntN(16)
			at := time.Date(day.Year(), day.Month(), day.Day(), hour, r.IntN(60), r.IntN(60), 0, zone)
			out = append(out, passageAt(r, day, c, at, passes))
		}
	}
	return out
}

// passageAt is one plausible passage: a resident or a visitor, on foot or by
// car, temperature taken, most let through, visitors mostly persuaded back,
// a rare fever sent to observation.
func passageAt(r *rand.Rand, day storage.Date, c placedCheckpoint, at time.Time, passes []checkpoint.Pass) checkpoint.PassageInput {
	in := checkpoint.PassageInput{ClientID: demoUUID(r), CheckpointID: c.ID, At: at.Format(time.RFC3339),
		Direction: []string{"in", "out"}[r.IntN(2)], Decision: string(checkpoint.LetThrough)}
	temp := 36.0 + float64(r.IntN(12))/10
	road := c.Kind == checkpoint.Road || c.Kind == checkpoint.HighwayExit
	switch {
	case c.DivisionName == "东汪村" && r.IntN(3) == 0:
		pass := passes[r.IntN(len(passes))]
		if pass.RevokedAt != nil {
			pass = passes[0]
		}
		in.PassToken = pass.Token
	default:
		p := newPerson(r, day, 16, 80)
		in.Name, in.IDNumber, in.Phone = p.Name, p.IDNumber, p.Phone
	}
	if road || r.IntN(4) == 0 {
		in.Plate = fmt.Sprintf("冀E%05d", r.IntN(100000))
		if road && r.IntN(3) == 0 || r.IntN(10) == 0 {
			in.Plate = farPlates[r.IntN(len(farPlates))] + fmt.Sprintf("%05d", r.IntN(100000))
		}
	}
	in.From, in.To, in.Purpose = localPlaces[r.IntN(len(localPlaces))], c.DivisionName, purposes[r.IntN(len(purposes))]
	if in.Direction == "out" {
		in.From, in.To = c.DivisionName, localPlaces[r.IntN(len(localPlaces))]
	}
	if road && in.Plate != "" && !strings.HasPrefix(in.Plate, "冀E") {
		in.From = farPlaces[r.IntN(len(farPlaces))]
		if r.IntN(3) == 0 {
			in.Decision, in.Purpose = string(checkpoint.Returned), returnReason[r.IntN(len(returnReason))]
		}
	}
	if r.IntN(150) == 0 {
		temp = 37.4 + float64(r.IntN(12))/10
		in.Decision = string(checkpoint.Observe)
		if in.PassToken == "" && in.Name == "" {
			p := newPerson(r, day, 16, 80)
			in.Name, in.IDNumber = p.Name, p.IDNumber
		}
	}
	in.Temperature = &temp
	return in
}

// demoUUID is a version-4 UUID from the scenario's random source, so the
// demo stays the same from run to run.
func demoUUID(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	a = a&^(0xf<<12) | 0x4<<12
	b = b&^(0x3<<62) | 0x2<<62
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}
