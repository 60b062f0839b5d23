package surveillance

import "fangkong/internal/platform/storage"

// Milestones are the first day a case reached each status, counting only events
// on or before the day asked about. The statistics are pure functions of them,
// so they are table-tested without a database and every figure is derived from
// records.
type Milestones struct {
	CaseID       int64
	TownshipID   int64
	Setting      string
	Confirmed    storage.Date
	Asymptomatic storage.Date
	Released     storage.Date
	Cured        storage.Date
	Died         storage.Date
	Struck       storage.Date
}

// counted reports whether the case counts as confirmed on day d: confirmed on
// or before d and not struck from the count by then.
func (m Milestones) counted(d storage.Date) bool {
	return on(m.Confirmed, d) && !on(m.Struck, d)
}

// on reports whether milestone x happened on or before d.
func on(x, d storage.Date) bool { return !x.IsZero() && !x.After(d.Time) }

// Risk is the county risk level of the State Council rules of 17 Feb 2020.
type Risk string

// Risk levels.
const (
	Low    Risk = "low"
	Medium Risk = "medium"
	High   Risk = "high"
)

// Rules are the county's settings for the statistics.
type Rules struct {
	// ClusterThreshold is how many confirmed or asymptomatic cases in one small
	// setting within ClusterWindowDays make a cluster (2 in Feb 2020; later rules used 5).
	ClusterThreshold  int
	ClusterWindowDays int
	// QuietDays without a new confirmed case make a county low risk (14).
	QuietDays int
	// HighCumulative is the cumulative count above which a cluster means high risk (50).
	HighCumulative int
}

// DefaultRules are the rules of 17 Feb 2020.
var DefaultRules = Rules{ClusterThreshold: 2, ClusterWindowDays: 14, QuietDays: 14, HighCumulative: 50}

// Summary is the day's figures for one territory.
type Summary struct {
	Date                    storage.Date        `json:"date"`
	NewConfirmed            int                 `json:"new_confirmed"`
	CumulativeConfirmed     int                 `json:"cumulative_confirmed"`
	Cured                   int                 `json:"cured"`
	Deaths                  int                 `json:"deaths"`
	CurrentConfirmed        int                 `json:"current_confirmed"`
	DaysWithoutNewConfirmed *int                `json:"days_without_new_confirmed"` // nil: never a confirmed case
	RiskLevel               Risk                `json:"risk_level"`
	Asymptomatic            AsymptomaticFigures `json:"asymptomatic"`
	Clusters                int                 `json:"clusters"`
	LastConfirmed           storage.Date        `json:"last_confirmed,omitzero"`
}

// AsymptomaticFigures are counted apart from confirmed cases, as the 2020
// reporting rules required.
type AsymptomaticFigures struct {
	New              int `json:"new"`
	TurnedConfirmed  int `json:"turned_confirmed"`
	Released         int `json:"released"`
	UnderObservation int `json:"under_observation"`
}

// Compute derives the figures for day d from the cases' milestones, with
// the clusters of the case records' settings only.
func Compute(d storage.Date, ms []Milestones, rules Rules) Summary {
	return ComputeWith(d, ms, rules, nil)
}

// ComputeWith is Compute counting also the clusters that the links of a
// ClusterSource (contact tracing's exposures) reveal, merged with the case
// records' clusters as ClustersWith says: the risk level sees each cluster once.
func ComputeWith(d storage.Date, ms []Milestones, rules Rules, links []Link) Summary {
	s := Summary{Date: d}
	for _, m := range ms {
		addConfirmed(&s, d, m)
		addAsymptomatic(&s.Asymptomatic, d, m)
	}
	s.CurrentConfirmed = s.CumulativeConfirmed - s.Cured - s.Deaths
	if !s.LastConfirmed.IsZero() {
		n := d.DaysSince(s.LastConfirmed)
		s.DaysWithoutNewConfirmed = &n
	}
	s.Clusters = len(ClustersWith(d, ms, rules, links))
	s.RiskLevel = RiskLevel(s.CumulativeConfirmed, s.DaysWithoutNewConfirmed, s.Clusters > 0, rules)
	return s
}

func addConfirmed(s *Summary, d storage.Date, m Milestones) {
	if !m.counted(d) {
		return
	}
	s.CumulativeConfirmed++
	if m.Confirmed.Equal(d.Time) {
		s.NewConfirmed++
	}
	if m.Confirmed.After(s.LastConfirmed.Time) {
		s.LastConfirmed = m.Confirmed
	}
	switch {
	case on(m.Died, d):
		s.Deaths++
	case on(m.Cured, d):
		s.Cured++
	}
}

func addAsymptomatic(a *AsymptomaticFigures, d storage.Date, m Milestones) {
	if !on(m.Asymptomatic, d) {
		return
	}
	if m.Asymptomatic.Equal(d.Time) {
		a.New++
	}
	if !m.Confirmed.IsZero() && m.Confirmed.Equal(d.Time) {
		a.TurnedConfirmed++
	}
	if !m.Released.IsZero() && m.Released.Equal(d.Time) {
		a.Released++
	}
	if !on(m.Confirmed, d) && !on(m.Released, d) && !on(m.Struck, d) {
		a.UnderObservation++
	}
}

// RiskLevel applies the 17 Feb 2020 rules: low with no confirmed case or after
// QuietDays without a new one; high above HighCumulative with a cluster in the
// window; medium otherwise.
func RiskLevel(cumulative int, daysWithout *int, cluster bool, r Rules) Risk {
	switch {
	case cumulative == 0:
		return Low
	case daysWithout != nil && *daysWithout >= r.QuietDays:
		return Low
	case cumulative > r.HighCumulative && cluster:
		return High
	}
	return Medium
}

// Cluster is a group of linked positive cases of the window (see
// ClustersWith). Clusters are computed, never stored: a cluster is named by
// its cases.
type Cluster struct {
	Setting  string        `json:"setting"`  // the first of Settings ("" when linked by transmission only)
	Settings []string      `json:"settings"` // the settings that link its cases
	CaseIDs  []int64       `json:"case_ids"`
	Kinds    []ClusterKind `json:"kinds"`
	First    storage.Date  `json:"first"` // the first and last day one of its cases turned positive
	Last     storage.Date  `json:"last"`
}

// Clusters finds, as of day d, the clusters the case records alone show: at
// least ClusterThreshold confirmed or asymptomatic cases (not struck) that
// turned positive within the last ClusterWindowDays days in the same setting.
func Clusters(d storage.Date, ms []Milestones, r Rules) []Cluster {
	return ClustersWith(d, ms, r, nil)
}

// firstPositive is the first day, on or before d, the case was confirmed or
// found asymptomatic.
func firstPositive(m Milestones, d storage.Date) storage.Date {
	var first storage.Date
	for _, x := range []storage.Date{m.Confirmed, m.Asymptomatic} {
		if on(x, d) && (first.IsZero() || x.Before(first.Time)) {
			first = x
		}
	}
	return first
}

// TrendPoint is one day of the trend chart.
type TrendPoint struct {
	Date       storage.Date `json:"date"`
	New        int          `json:"new_confirmed"`
	Cumulative int          `json:"cumulative_confirmed"`
	Current    int          `json:"current_confirmed"`
}

// Trend is the daily new, cumulative and current confirmed counts from `from`
// to `to` inclusive, each day computed as of that day (so a later correction
// changes only the days after it).
func Trend(from, to storage.Date, ms []Milestones, rules Rules) []TrendPoint {
	var out []TrendPoint
	for d := from; !d.After(to.Time); d = d.AddDays(1) {
		var p TrendPoint
		p.Date = d
		for _, m := range ms {
			if !m.counted(d) {
				continue
			}
			p.Cumulative++
			if m.Confirmed.Equal(d.Time) {
				p.New++
			}
			if !on(m.Cured, d) && !on(m.Died, d) {
				p.Current++
			}
		}
		out = append(out, p)
	}
	return out
}
