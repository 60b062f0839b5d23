package tracing

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"fangkong/internal/checkpoint"
	"fangkong/internal/platform/auth"
	"fangkong/internal/platform/errs"
	"fangkong/internal/platform/i18n"
	"fangkong/internal/platform/storage"
	"fangkong/internal/screening"
)

// The co-presence window: who passed the same checkpoint within ± this many
// minutes of a case's passage is suggested as a contact. A county setting.
const (
	SettingCoPresenceWindow  = "tracing.copresence_window_minutes"
	DefaultCoPresenceMinutes = 15
	MaxCoPresenceMinutes     = 120
	// MaxSuggestions bounds one case's list (a busy checkpoint over 14 days).
	MaxSuggestions = 500
)

// CoPresenceMinutes is the window in force: the setting, kept to 1..120.
func (s *Store) CoPresenceMinutes(ctx context.Context) int {
	if s.Settings == nil {
		return DefaultCoPresenceMinutes
	}
	n := s.Settings.Int(ctx, SettingCoPresenceWindow, DefaultCoPresenceMinutes)
	if n < 1 || n > MaxCoPresenceMinutes {
		return DefaultCoPresenceMinutes
	}
	return n
}

// Suggestion is a person who passed a checkpoint near one of the case's
// passages on a day, not yet recorded as exposed to the case on that day.
// Personal data is masked, as in every list; further encounters of the same
// person on the same day are counted in More.
type Suggestion struct {
	// PersonID is the person in the register (by ID number, else by a phone
	// only one person has), in the caller's tracing scope; 0 otherwise.
	PersonID       int64        `json:"person_id,omitempty"`
	Name           string       `json:"name"`
	IDNumber       string       `json:"id_number"`
	Phone          string       `json:"phone"`
	DivisionName   string       `json:"division_name,omitempty"`
	DivisionNameEN string       `json:"division_name_en,omitempty"`
	Day            storage.Date `json:"day"`
	CheckpointID   int64        `json:"checkpoint_id"`
	Checkpoint     string       `json:"checkpoint"`
	PassageID      int64        `json:"passage_id"`
	At             time.Time    `json:"at"`
	Direction      string       `json:"direction"`
	CasePassageID  int64        `json:"case_passage_id"`
	CaseAt         time.Time    `json:"case_at"`
	CaseDirection  string       `json:"case_direction"`
	DeltaSeconds   int64        `json:"delta_seconds"`
	More           int          `json:"more"`
	// Recordable: in the register and in the caller's tracing.write scope.
	Recordable bool `json:"recordable"`
	// PeriodOver: an observation from that day would already have ended, so
	// recording it adds the exposure to the chain without an observation.
	PeriodOver bool `json:"period_over"`

	passages []int64 // every encounter of the group
}

// Division is the person's division in the register, in lang ("" for a
// passage that names nobody in it).
func (sg Suggestion) Division(lang i18n.Lang) string {
	return i18n.Pick(lang, sg.DivisionName, sg.DivisionNameEN)
}

// DeltaMinutes is how far apart, in whole minutes, the two passages were.
func (sg Suggestion) DeltaMinutes() int64 { return (abs(sg.DeltaSeconds) + 30) / 60 }

// CoPresence is a case's co-presence suggestions.
type CoPresence struct {
	Case          CaseView     `json:"case"`
	WindowMinutes int          `json:"window_minutes"`
	Items         []Suggestion `json:"items"`
	Truncated     bool         `json:"truncated"`
}

// CoPresence suggests, for case caseID (in the caller's case.read scope), the
// people who passed the same checkpoint within ±window minutes (0: the
// setting) of the case's passages in its search period, read through the
// checkpoint store in the caller's passage.read scope. People already
// recorded as exposed to the case on that day are left out; so is the case.
func (s *Store) CoPresence(ctx context.Context, p *auth.Principal, caseID int64, window int) (CoPresence, error) {
	c, err := s.Case(ctx, p, caseID)
	if err != nil {
		return CoPresence{}, err
	}
	if window == 0 {
		window = s.CoPresenceMinutes(ctx)
	}
	out := CoPresence{Case: c, WindowMinutes: window, Items: []Suggestion{}}
	if s.Passages == nil {
		return out, nil
	}
	enc, err := s.encounters(ctx, p, c, time.Duration(window)*time.Minute)
	if err != nil {
		return out, err
	}
	persons, err := s.matchPersons(ctx, p, enc)
	if err != nil {
		return out, err
	}
	done, err := s.exposedDays(ctx, p, c.PersonID)
	if err != nil {
		return out, err
	}
	period := s.Screening.Rules(ctx).PeriodDays
	out.Items = suggest(enc, persons, done, c.PersonID, s.zone(), s.Today(), period)
	if len(out.Items) > MaxSuggestions {
		out.Items, out.Truncated = out.Items[:MaxSuggestions], true
	}
	return out, nil
}

// encounters are the co-presences of the case's passages, under its ID
// number and under its phone (a volunteer may have taken either), without
// the case's own passages, each other passage once (the nearest).
func (s *Store) encounters(ctx context.Context, p *auth.Principal, c CaseView, window time.Duration) ([]checkpoint.Encounter, error) {
	from, to := dayStart(c.From, s.zone()), dayStart(c.To.AddDays(1), s.zone())
	var all []checkpoint.Encounter
	for _, key := range slices.Compact([]string{checkpoint.PersonKey(c.idNumber, ""), checkpoint.PersonKey("", c.phone)}) {
		if key == "" {
			continue
		}
		es, err := s.Passages.CoPresence(ctx, p, key, from, to, window)
		if err != nil {
			return nil, err
		}
		all = append(all, es...)
	}
	nearest := map[int64]checkpoint.Encounter{}
	for _, e := range all {
		if isCase(e.Other, c) {
			continue
		}
		if n, ok := nearest[e.Other.ID]; !ok || abs(e.DeltaSeconds) < abs(n.DeltaSeconds) {
			nearest[e.Other.ID] = e
		}
	}
	out := make([]checkpoint.Encounter, 0, len(nearest))
	for _, e := range nearest {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b checkpoint.Encounter) int {
		return cmp.Or(a.Other.At.Compare(b.Other.At), cmp.Compare(a.Other.ID, b.Other.ID))
	})
	return out, nil
}

// isCase reports whether a passage is the case's own (under its other key).
func isCase(x checkpoint.Passage, c CaseView) bool {
	if x.IDNumber != "" {
		return strings.EqualFold(x.IDNumber, c.idNumber)
	}
	return x.Phone != "" && x.Phone == c.phone
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// match is a person of the register a passage names.
type match struct {
	id                   int64
	division, divisionEN string
	writable             bool
}

// matchPersons finds the register's live persons, in the caller's tracing
// scope, that the encounters name: by ID number, or by a phone only one of
// them has when the passage has no ID number. Keys are checkpoint.PersonKey.
func (s *Store) matchPersons(ctx context.Context, p *auth.Principal, enc []checkpoint.Encounter) (map[string]match, error) {
	var ids, phones []string
	for _, e := range enc {
		if e.Other.IDNumber != "" {
			ids = append(ids, strings.ToUpper(e.Other.IDNumber))
		} else if e.Other.Phone != "" {
			phones = append(phones, e.Other.Phone)
		}
	}
	slices.Sort(ids)
	slices.Sort(phones)
	out := map[string]match{}
	for _, by := range []struct {
		col  string
		vals []string
	}{{"p.id_number", slices.Compact(ids)}, {"p.phone", slices.Compact(phones)}} {
		for start := 0; start < len(by.vals); start += 400 {
			found, err := s.personsBy(ctx, p, by.col, by.vals[start:min(start+400, len(by.vals))])
			if err != nil {
				return nil, err
			}
			for key, ms := range found {
				if len(ms) == 1 { // a phone two people share names neither
					out[key] = ms[0]
				}
			}
		}
	}
	return out, nil
}

// personsBy reads the live persons whose col (id_number or phone) is one of
// vals, in the caller's tracing.read scope, by their PersonKey.
func (s *Store) personsBy(ctx context.Context, p *auth.Principal, col string, vals []string) (map[string][]match, error) {
	var args storage.Args
	in := placeholders(&args, vals)
	write := p.Scope(PermWrite).SQL("p.division_id", &args)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT p.id, p.id_number, p.phone, n.name_zh, n.name_en, CASE WHEN `+write+` THEN 1 ELSE 0 END
		FROM persons p JOIN org_nodes n ON n.id = p.division_id WHERE p.merged_into IS NULL AND `+col+` IN (`+in+`)
		AND `+p.Scope(PermRead).SQL("p.division_id", &args)+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, errs.Wrap(err, "co-presence persons")
	}
	defer rows.Close()
	out := map[string][]match{}
	for rows.Next() {
		var m match
		var number, phone string
		var w int
		if err := rows.Scan(&m.id, &number, &phone, &m.division, &m.divisionEN, &w); err != nil {
			return nil, errs.Wrap(err, "co-presence person scan")
		}
		m.writable = w == 1
		key := checkpoint.PersonKey(number, "")
		if col == "p.phone" {
			key = checkpoint.PersonKey("", phone)
		}
		out[key] = append(out[key], m)
	}
	return out, rows.Err()
}

func placeholders(args *storage.Args, vals []string) string {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = args.Add(v)
	}
	return strings.Join(ph, ", ")
}

// exposedDays is, for the case's person, the (contact, day) pairs already
// recorded as exposures to them (any kind), in the caller's tracing scope.
func (s *Store) exposedDays(ctx context.Context, p *auth.Principal, source int64) (map[personDay]bool, error) {
	out := map[personDay]bool{}
	if source == 0 {
		return out, nil
	}
	var args storage.Args
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.contact_id, e.day FROM tracing_exposures e WHERE e.source_id = `+args.Add(source)+
		` AND `+p.Scope(PermRead).SQL("e.division_id", &args), args...)
	if err != nil {
		return nil, errs.Wrap(err, "co-presence recorded")
	}
	defer rows.Close()
	for rows.Next() {
		var k personDay
		if err := rows.Scan(&k.person, &k.day); err != nil {
			return nil, errs.Wrap(err, "co-presence recorded scan")
		}
		out[k] = true
	}
	return out, rows.Err()
}

type personDay struct {
	person int64
	day    storage.Date
}

// suggest groups the encounters by person and county day, nearest encounter
// first, and leaves out the case's person and what is already recorded.
func suggest(enc []checkpoint.Encounter, persons map[string]match, done map[personDay]bool, self int64,
	zone *time.Location, today storage.Date, period int) []Suggestion {
	type group struct {
		key string
		day storage.Date
	}
	at := map[group]int{}
	var out []Suggestion
	for _, e := range enc {
		x := e.Other
		key := checkpoint.PersonKey(x.IDNumber, x.Phone)
		if x.IDNumber == "" && x.Phone == "" {
			key = "passage:" + itoa(x.ID) // no identity: a suggestion of its own
		}
		g := group{key, storage.DateOf(x.At, zone)}
		m := persons[key]
		if (m.id != 0 && m.id == self) || (m.id != 0 && done[personDay{m.id, g.day}]) {
			continue
		}
		if i, ok := at[g]; ok {
			out[i].More++
			out[i].passages = append(out[i].passages, x.ID)
			if abs(e.DeltaSeconds) < abs(out[i].DeltaSeconds) {
				out[i] = withEncounter(out[i], e)
			}
			continue
		}
		masked := x.Masked()
		sg := Suggestion{PersonID: m.id, Name: masked.Name, IDNumber: masked.IDNumber, Phone: masked.Phone,
			DivisionName: m.division, DivisionNameEN: m.divisionEN, Day: g.day, Recordable: m.writable, passages: []int64{x.ID},
			PeriodOver: screening.PlannedEnd(g.day, period).Before(today.Time)}
		at[g] = len(out)
		out = append(out, withEncounter(sg, e))
	}
	return out
}

// withEncounter shows encounter e as the suggestion's nearest.
func withEncounter(sg Suggestion, e checkpoint.Encounter) Suggestion {
	sg.CheckpointID, sg.Checkpoint, sg.PassageID, sg.At = e.Other.CheckpointID, e.Checkpoint, e.Other.ID, e.Other.At
	sg.Direction, sg.CasePassageID, sg.CaseAt, sg.CaseDirection = string(e.Other.Direction), e.CasePassage.ID, e.CasePassage.At,
		string(e.CasePassage.Direction)
	sg.DeltaSeconds = e.DeltaSeconds
	return sg
}
