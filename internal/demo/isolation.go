package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fangkong/internal/isolation"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// The 凤凰镇 centralized isolation site of the report: a requisitioned hotel
// of 20 double rooms, transfers to the designated hospital.
const (
	siteName    = "凤凰镇集中隔离点"
	siteRooms   = 20
	siteBedsPer = 2
)

// loadIsolation opens the site with its rooms, its staff account
// site-fenghuang, and its stays: the cured 凤凰镇 case observing 14 more days
// after discharge (as the case notes say), and returnees from key regions
// admitted on arrival — two already out, the others staying on 22 February.
func loadIsolation(ctx context.Context, sc *scenario) error {
	r := sc.rng("isolation")
	town, err := sc.node("凤凰镇")
	if err != nil {
		return err
	}
	scr := sc.screeningOn(sc.today)
	st := &isolation.Store{DB: sc.db, Today: func() storage.Date { return sc.today },
		Now: func() time.Time { return time.Date(2020, 2, 22, 10, 0, 0, 0, time.UTC) }, Screening: scr}
	site, err := st.CreateSite(ctx, sc.loader, isolation.SiteInput{DivisionID: town.ID, Name: siteName,
		Address: "宁晋县凤凰镇凤凰大街88号（原凤凰宾馆）", Hospital: designated,
		Phone: "13903190100", Notes: "集中观察、疫情监测和应急联动"})
	if err != nil {
		return err
	}
	var rooms []isolation.Room
	for i := range siteRooms {
		room, err := st.AddRoom(ctx, sc.loader, site.ID, isolation.RoomInput{Number: fmt.Sprintf("%d%02d", 1+i/10, 1+i%10), Beds: siteBedsPer})
		if err != nil {
			return err
		}
		rooms = append(rooms, room)
	}
	if err := sc.addAccount(ctx, "site-fenghuang", "凤凰镇集中隔离点工作人员",
		auth.Grant{Role: auth.SiteStaff, ScopeKind: auth.ScopeSite, ScopeID: site.ID}, siteName, "Fenghuang isolation site"); err != nil {
		return err
	}
	cured, err := sc.casePerson(ctx, scr, "fenghuang")
	if err != nil {
		return err
	}
	first0, err := st.Admit(ctx, sc.loader, isolation.StayInput{PersonID: cured, RoomID: rooms[0].ID, CheckIn: "2020-02-14",
		Reason: string(screening.ForOther), BasisDate: "2020-02-14", Note: "治愈出院后集中隔离观察14天"})
	if err != nil {
		return fmt.Errorf("stay of the cured case: %w", err)
	}
	open := []isolation.Stay{first0}
	villages := sc.places["凤凰镇"]
	if len(villages) == 0 {
		return fmt.Errorf("no villages in 凤凰镇")
	}
	first := storage.MustDate("2020-02-05")
	stays := 1
	for i := range 16 {
		arrived := first.AddDays(i + i/6)
		place := villages[r.IntN(len(villages))]
		p := newPerson(r, sc.today, 18, 70)
		cr, err := scr.Create(ctx, sc.loader, screening.PersonInput{DivisionID: place.ID, Name: p.Name, IDNumber: p.IDNumber,
			Phone: p.Phone, Address: sc.address(r, place), Tags: []string{string(screening.TagReturnee), string(screening.TagKeyRegion)},
			Travel: &screening.TravelInput{From: "湖北省武汉市", Via: "石家庄", Transport: string(screening.ByTrain), TransportNo: "G512",
				ArrivedOn: arrived.String()}})
		if err != nil {
			return fmt.Errorf("returnee %d: %w", i+1, err)
		}
		y, err := st.Admit(ctx, sc.loader, isolation.StayInput{PersonID: cr.Person.ID, RoomID: rooms[1+i/2].ID, CheckIn: arrived.String(),
			Reason: string(screening.ForKeyRegion), BasisDate: arrived.String(), Note: "重点地区返乡，抵达当日入住"})
		if err != nil {
			return fmt.Errorf("stay %d: %w", i+1, err)
		}
		stays++
		if y.PlannedOut.After(sc.today.Time) {
			open = append(open, y)
			continue
		}
		// Checking out as released releases the observation with the stay.
		if _, err := st.Checkout(ctx, sc.loader, y.ID, isolation.CheckoutInput{Day: y.PlannedOut.String(),
			Reason: string(isolation.OutReleased), Note: "集中观察期满，无异常，解除医学观察"}); err != nil {
			return err
		}
	}
	if err := siteFollowUps(ctx, sc, scr, open); err != nil {
		return err
	}
	// The last room is being disinfected (终末消毒): its beds count in the
	// capacity, nobody is admitted to it.
	last := rooms[len(rooms)-1]
	if _, err := st.UpdateRoom(ctx, sc.loader, last.ID, isolation.RoomInput{Number: last.Number, Beds: last.Beds,
		Status: string(isolation.RoomCleaning), Notes: "终末消毒"}); err != nil {
		return err
	}
	sc.sum.count("凤凰镇集中隔离点入住（含已期满离开）", "stays at the 凤凰镇 isolation site (with those already out)", int64(stays))
	return nil
}

// siteFollowUps records the twice-daily temperatures of the people staying
// at the site from their check-in to the reporting day, leaving today's
// afternoon round of two rooms undone: the missed follow-ups the site's
// page and the dashboard show.
func siteFollowUps(ctx context.Context, sc *scenario, scr *screening.Store, stays []isolation.Stay) error {
	r := sc.rng("isolation-followups")
	var ins []screening.FollowUpInput
	for i, y := range stays {
		for d := y.CheckIn; !d.After(sc.today.Time); d = d.AddDays(1) {
			for _, slot := range screening.Slots {
				if d.Equal(sc.today.Time) && slot == screening.PM && i%6 == 5 {
					continue
				}
				t := fmt.Sprintf("%.1f", 36.0+float64(r.IntN(9))/10)
				ins = append(ins, screening.FollowUpInput{ObservationID: y.ObservationID, Day: d.String(), Slot: string(slot),
					Temperature: json.Number(t)})
			}
		}
	}
	_, err := scr.RecordMany(ctx, sc.loader, ins)
	return err
}
