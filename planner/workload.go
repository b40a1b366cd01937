package planner

import (
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// EarthRadiusKm is the mean radius of the Earth in km (the IUGG mean
// radius R1 = 6,371.0088 km, rounded as is usual), the sphere [Haversine]
// measures on.
const EarthRadiusKm = 6371.0

// HoursPerYear is the most hours a year has (366 × 24, a leap year): the
// upper bound of any capacity in hours per year.
const HoursPerYear = 366 * 24

// Workload model defaults, used when the corresponding WorkloadModel field
// is 0.
const (
	// DefaultSpeedKmh is the average driving speed, in km/h, of a rep's
	// trips between home base and accounts: a mix of highway and local
	// roads.
	DefaultSpeedKmh = 60.0
	// DefaultCircuity is road distance divided by straight-line
	// (great-circle) distance. Boscoe, Henry and Zdeb (2012), "A nationwide
	// comparison of driving distance versus straight-line distance to
	// hospitals", The Professional Geographer 64(2), compared driving and
	// straight-line distances to hospitals across the United States and
	// found road distance about 1.4 times the straight line on average.
	// Detours weigh most on short trips; a rep's trips across a territory
	// are longer, so Meridian assumes 1.3. Planners with a road-network
	// measurement of their own set WorkloadModel.Circuity.
	DefaultCircuity = 1.3
	// DefaultCapacityHours is a full-time rep's hours a year for visits and
	// travel when neither the rep nor the model gives one: 40 hours × 52
	// weeks = 2,080, less holidays, leave, training and administration
	// (about a quarter), rounded to 1,600. It is a planning convention,
	// not a measured figure.
	DefaultCapacityHours = 1600.0
)

// VisitRule says how often accounts of a segment or potential tier are
// visited and how long a visit takes. Rules are tried in order and the
// first that matches an account applies (see [WorkloadModel.Rule]), so
// tiers go from the highest threshold down, and a catch-all rule (Segment
// "", MinPotential 0) comes last.
type VisitRule struct {
	// Segment is the account segment the rule applies to, compared with
	// Account.Segment ignoring case and surrounding spaces; "" matches any
	// segment.
	Segment string
	// MinPotential, when > 0, restricts the rule to accounts whose
	// potential is known and at least this value (in the plan's
	// PotentialName unit): a tier. 0 means no threshold, and then accounts
	// of unknown potential match too.
	MinPotential  float64
	VisitsPerYear float64 // visits per account per year, 0 or more
	HoursPerVisit float64 // hours on site per visit, 0 or more
}

// WorkloadModel estimates the hours a year that covering accounts takes:
// visits (VisitRule) plus driving from the rep's home base and back. A zero
// SpeedKmh, Circuity or DefaultCapacityHours means the package default
// (DefaultSpeedKmh, DefaultCircuity, DefaultCapacityHours).
type WorkloadModel struct {
	Rules []VisitRule
	// SpeedKmh is the average driving speed in km/h (default 60).
	SpeedKmh float64
	// Circuity is road distance over straight-line distance, 1 or more
	// (default 1.3; see DefaultCircuity for the source).
	Circuity float64
	// DefaultCapacityHours is a rep's hours a year when Rep.CapacityHours
	// is 0, and a vacancy's (default 1,600).
	DefaultCapacityHours float64
}

// Validate checks the model: at least one rule; visits, hours per visit and
// potential thresholds finite and 0 or more; speed 0 (default) or positive;
// circuity 0 (default) or at least 1; default capacity from 0 (default) to
// HoursPerYear. It returns an *Error with code EINVALID naming the first
// problem.
func (m WorkloadModel) Validate() error {
	if len(m.Rules) == 0 {
		return Errorf(EINVALID, "The workload model has no visit rule: add at least one (visits per year and hours per visit, for a segment or for all accounts)")
	}
	for i, r := range m.Rules {
		name := "all segments"
		if s := strings.TrimSpace(r.Segment); s != "" {
			name = "segment " + s
		}
		switch {
		case !finiteNonNeg(r.VisitsPerYear):
			return Errorf(EINVALID, "Visit rule %d (%s) has %v visits per year; it must be a number, 0 or more", i+1, name, r.VisitsPerYear)
		case !finiteNonNeg(r.HoursPerVisit):
			return Errorf(EINVALID, "Visit rule %d (%s) has %v hours per visit; it must be a number, 0 or more", i+1, name, r.HoursPerVisit)
		case !finiteNonNeg(r.MinPotential):
			return Errorf(EINVALID, "Visit rule %d (%s) has a minimum potential of %v; it must be a number, 0 or more (0 for no minimum)", i+1, name, r.MinPotential)
		}
	}
	switch {
	case !finiteNonNeg(m.SpeedKmh):
		return Errorf(EINVALID, "The average speed is %v km/h; it must be more than 0 (or 0 for the default, %g km/h)", m.SpeedKmh, DefaultSpeedKmh)
	case !finiteNonNeg(m.Circuity) || (m.Circuity != 0 && m.Circuity < 1):
		return Errorf(EINVALID, "The circuity factor is %v; road distance is at least the straight line, so it must be 1 or more (or 0 for the default, %g)", m.Circuity, DefaultCircuity)
	case !finiteNonNeg(m.DefaultCapacityHours) || m.DefaultCapacityHours > HoursPerYear:
		return Errorf(EINVALID, "The default capacity is %v hours per year; it must be from 0 (for %g) to %d", m.DefaultCapacityHours, DefaultCapacityHours, HoursPerYear)
	}
	return nil
}

// finiteNonNeg reports whether v is a finite number, 0 or more.
func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }

// speed returns the model's speed in km/h, the default when not positive.
func (m WorkloadModel) speed() float64 {
	if m.SpeedKmh > 0 && !math.IsInf(m.SpeedKmh, 1) {
		return m.SpeedKmh
	}
	return DefaultSpeedKmh
}

// circuity returns the model's circuity, the default when below 1.
func (m WorkloadModel) circuity() float64 {
	if m.Circuity >= 1 && !math.IsInf(m.Circuity, 1) {
		return m.Circuity
	}
	return DefaultCircuity
}

// Capacity returns the model's default capacity in hours per year:
// DefaultCapacityHours, or the package's DefaultCapacityHours (1,600) when
// that is 0 or invalid.
func (m WorkloadModel) Capacity() float64 {
	if m.DefaultCapacityHours > 0 && m.DefaultCapacityHours <= HoursPerYear {
		return m.DefaultCapacityHours
	}
	return DefaultCapacityHours
}

// Rule returns the index in m.Rules of the first rule that matches account
// a (see [VisitRule]), or -1 when none does.
func (m WorkloadModel) Rule(a *Account) int {
	return m.rule(a, m.segments())
}

// segments returns the rules' segments without surrounding spaces, so that
// batch callers trim them once.
func (m WorkloadModel) segments() []string {
	segs := make([]string, len(m.Rules))
	for i := range m.Rules {
		segs[i] = strings.TrimSpace(m.Rules[i].Segment)
	}
	return segs
}

// rule is Rule with the rules' trimmed segments (from segments).
func (m WorkloadModel) rule(a *Account, segs []string) int {
	seg := strings.TrimSpace(a.Segment)
	for i := range m.Rules {
		r := &m.Rules[i]
		if s := segs[i]; s != "" && !strings.EqualFold(s, seg) {
			continue
		}
		if r.MinPotential > 0 && !(a.Potential.Known && a.Potential.Value >= r.MinPotential) {
			continue
		}
		return i
	}
	return -1
}

// Haversine returns the great-circle distance in km between a and b (WGS84
// degrees, lon/lat order) on the sphere of radius EarthRadiusKm:
// d = 2R·asin(√(sin²(Δφ/2) + cos φ₁·cos φ₂·sin²(Δλ/2))), the haversine
// formula (R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope
// 68(2):159, 1984). Treating the WGS84 ellipsoid as a sphere errs by up to
// about 0.5%, far less than the circuity of roads.
func Haversine(a, b orb.Point) float64 {
	const rad = math.Pi / 180
	φ1, φ2 := a[1]*rad, b[1]*rad
	sφ := math.Sin((φ2 - φ1) / 2)
	sλ := math.Sin((b[0] - a[0]) * rad / 2)
	h := sφ*sφ + math.Cos(φ1)*math.Cos(φ2)*sλ*sλ
	h = math.Min(1, math.Max(0, h)) // rounding near antipodes
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(h))
}

// AccountWorkload returns the hours a year that account a takes under model
// m, and the index of the rule that applies (-1 when none does, and then
// both hours are 0):
//
//	visitHours  = VisitsPerYear × HoursPerVisit
//	travelHours = VisitsPerYear × 2 × Haversine(home, a) × circuity / speed
//
// Each visit is a round trip from the home base (WGS84 lon/lat) to the
// account and back, the straight-line distance stretched by the circuity
// factor to a road distance and driven at the model's speed. Trips that
// chain several accounts cost less; the round trip is the usual
// conservative estimate of territory-design models. travelHours is 0 when
// !hasHome or the account has no location.
func AccountWorkload(a *Account, m WorkloadModel, home orb.Point, hasHome bool) (visitHours, travelHours float64, rule int) {
	return m.account(a, m.segments(), home, hasHome)
}

// account is AccountWorkload with the rules' trimmed segments.
func (m WorkloadModel) account(a *Account, segs []string, home orb.Point, hasHome bool) (visitHours, travelHours float64, rule int) {
	rule = m.rule(a, segs)
	if rule < 0 {
		return 0, 0, -1
	}
	r := &m.Rules[rule]
	visitHours = r.VisitsPerYear * r.HoursPerVisit
	if hasHome && a.HasLocation {
		travelHours = r.VisitsPerYear * 2 * Haversine(home, a.Location) * m.circuity() / m.speed()
	}
	return visitHours, travelHours, rule
}

// TerritoryLoad is one territory's workload and the reps it needs.
type TerritoryLoad struct {
	TerritoryID int64
	Accounts    int // accounts in the territory (drawn boundaries count)
	// Unmatched counts the accounts that no visit rule matches: they add
	// no hours.
	Unmatched int
	// NoTravel counts the matched accounts whose travel could not be
	// estimated (no location, or no origin): their travel counts as 0.
	NoTravel    int
	Visits      float64 // visits per year
	VisitHours  float64 // hours per year on site
	TravelHours float64 // hours per year driving
	Hours       float64 // VisitHours + TravelHours
	// FromCentroid is true when travel is measured from the centroid of the
	// territory's located accounts, the territory having no rep or a rep
	// without a home base (see [TerritoryWorkload]).
	FromCentroid bool
	// CapacityHours is the capacity of one full-time rep of the
	// territory, which RepsNeeded divides by, in hours per year: the mean
	// of the capacities of the people planned for it (a rep's
	// CapacityHours, else the model's default; a vacancy the default)
	// weighted by the time they give it (see RepsAssigned), or the model's
	// default when nobody is planned.
	CapacityHours float64
	// RepsAssigned is the named reps' working time in the territory, in
	// full-time reps: each rep's time is split over the territories they
	// cover in proportion to their shares there, so a rep who covers only
	// this territory counts 1 whatever their share of it (four reps at 25%
	// each are 4), and a rep with 60% of A and 40% of B counts 0.6 in A.
	RepsAssigned float64
	// Vacancies is the open positions (TBH lines) of the territory: each is
	// one rep to hire for it.
	Vacancies float64
	// RepsNeeded is Hours / CapacityHours: full-time reps the workload
	// takes.
	RepsNeeded float64
}

// origin is where a territory's or unit's trips start.
type origin struct {
	pt       orb.Point
	ok       bool // false: no origin, travel is 0
	centroid bool // pt is the centroid of accounts, not a home base
}

// sphereMean accumulates the spherical mean of points: the direction of
// the sum of their unit vectors in Earth-centred coordinates (the
// geocentric mean position), which unlike the mean of lon/lat degrees is
// right across the antimeridian.
type sphereMean struct {
	x, y, z float64
	n       int
	first   orb.Point
}

func (c *sphereMean) add(p orb.Point) {
	const rad = math.Pi / 180
	if c.n == 0 {
		c.first = p
	}
	c.n++
	φ, λ := p[1]*rad, p[0]*rad
	c.x += math.Cos(φ) * math.Cos(λ)
	c.y += math.Cos(φ) * math.Sin(λ)
	c.z += math.Sin(φ)
}

// origin returns the mean position; for points that cancel out (antipodes)
// the first point; none when no point was added.
func (c *sphereMean) origin() origin {
	if c.n == 0 {
		return origin{}
	}
	const deg = 180 / math.Pi
	if math.Sqrt(c.x*c.x+c.y*c.y+c.z*c.z) < 1e-9*float64(c.n) {
		return origin{pt: c.first, ok: true, centroid: true}
	}
	return origin{pt: orb.Point{math.Atan2(c.y, c.x) * deg, math.Atan2(c.z, math.Hypot(c.x, c.y)) * deg}, ok: true, centroid: true}
}

// territoryOrigins returns the origin of each territory of s, by ID: its
// rep's home base, else the spherical centroid of its located accounts
// (owner[j] is account j's territory, as [Scenario.AccountTerritories]).
func territoryOrigins(p *Plan, s *Scenario, owner []int64) map[int64]origin {
	out := make(map[int64]origin, len(s.Territories))
	means := map[int64]*sphereMean{}
	for _, t := range s.Territories {
		if r := p.Rep(t.LeadRep()); r != nil && r.HasHome {
			out[t.ID] = origin{pt: r.HomeBase, ok: true}
		} else {
			means[t.ID] = &sphereMean{}
		}
	}
	if len(means) > 0 {
		for j := range p.Accounts {
			if c := means[owner[j]]; c != nil && p.Accounts[j].HasLocation {
				c.add(p.Accounts[j].Location)
			}
		}
		for id, c := range means {
			out[id] = c.origin()
		}
	}
	return out
}

// TerritoryWorkload returns the workload of each territory of scenario s of
// plan p under model m, in s.Territories order. An account belongs to a
// territory as [Scenario.AccountTerritories] says (a drawn boundary counts,
// else the unit's alignment); its hours are [AccountWorkload]'s, with travel
// from the territory rep's home base. A territory whose rep has no home base
// (HasHome false), or that is vacant, travels from the spherical centroid of
// its located accounts (the direction of the mean of their unit vectors):
// the best place for a rep to live when none is known. RepsNeeded divides
// the hours by the rep's capacity, else the model's default. It runs in
// O(accounts × (rules + drawn boundaries)).
func TerritoryWorkload(p *Plan, s *Scenario, m WorkloadModel) []TerritoryLoad {
	out := make([]TerritoryLoad, len(s.Territories))
	row := make(map[int64]int, len(s.Territories))
	// A rep's working time is split over the territories they cover in
	// proportion to their shares there: a rep with 25% of one territory
	// and nothing else works full time in it; one with 60% of A and 40%
	// of B gives A 0.6 of their time and B 0.4.
	repShares := map[int64]float64{}
	for _, t := range s.Territories {
		for _, a := range t.Reps {
			if a.RepID != 0 {
				repShares[a.RepID] += a.Share
			}
		}
	}
	for i, t := range s.Territories {
		row[t.ID] = i
		out[i].TerritoryID = t.ID
		out[i].CapacityHours = m.Capacity()
		capSum, fte := 0.0, 0.0
		for _, a := range t.Reps {
			c, f := m.Capacity(), 1.0 // a vacancy is one new rep for this territory
			if r := p.Rep(a.RepID); r != nil && repShares[a.RepID] > 0 {
				f = a.Share / repShares[a.RepID]
				c = r.Capacity(m.Capacity())
				out[i].RepsAssigned += f
			} else {
				out[i].Vacancies += f
			}
			capSum += f * c
			fte += f
		}
		if fte > 0 && capSum > 0 {
			out[i].CapacityHours = capSum / fte
		}
	}
	owner := s.AccountTerritories(p)
	orig := territoryOrigins(p, s, owner)
	segs := m.segments()
	for i := range out {
		out[i].FromCentroid = orig[out[i].TerritoryID].centroid
	}
	for j := range p.Accounts {
		i, ok := row[owner[j]]
		if !ok {
			continue
		}
		a := &p.Accounts[j]
		o := orig[owner[j]]
		l := &out[i]
		l.Accounts++
		v, t, r := m.account(a, segs, o.pt, o.ok)
		if r < 0 {
			l.Unmatched++
			continue
		}
		if !o.ok || !a.HasLocation {
			l.NoTravel++
		}
		l.Visits += m.Rules[r].VisitsPerYear
		l.VisitHours += v
		l.TravelHours += t
	}
	for i := range out {
		l := &out[i]
		l.Hours = l.VisitHours + l.TravelHours
		l.RepsNeeded = l.Hours / l.CapacityHours
	}
	return out
}

// UnitWorkload returns the workload in hours per year of each unit of p
// (indexed as p.Units) in scenario s, for balancing on workload: the sum of
// [AccountWorkload] over the accounts located in the unit, with travel from
// the home base of the rep of the unit's territory (or that territory's
// account centroid, as [TerritoryWorkload]); a unit in no territory travels
// from the spherical centroid of its own located accounts. Accounts that a
// named-account override or a drawn boundary gives to a territory count in
// no unit, as in
// [Quantity.UnitValues]; s may be nil (every unit then in no territory).
// For a territory without drawn boundaries, the sum over its units equals
// its TerritoryLoad.Hours. Travel depends on the alignment: after units
// move, the values are those of the old territory's origin until
// recomputed.
func (m WorkloadModel) UnitWorkload(p *Plan, s *Scenario) []float64 {
	out := make([]float64, len(p.Units))
	idx := p.UnitIndex()
	var (
		ds    []drawn
		orig  map[int64]origin
		align map[string]int64
	)
	owner := make([]int64, len(p.Accounts)) // territory of each account
	drawnOut := make([]bool, len(p.Accounts))
	if s != nil {
		ds = s.drawnBoundaries()
		align = s.Alignment
		for j := range p.Accounts {
			a := &p.Accounts[j]
			if id := s.fixedOwner(ds, a); id != 0 {
				owner[j], drawnOut[j] = id, true
			} else if a.UnitCode != "" {
				owner[j] = align[a.UnitCode]
			}
		}
		orig = territoryOrigins(p, s, owner)
	}
	segs := m.segments()
	// Units in no territory of s travel from their own accounts' centroid.
	unitMean := map[int]*sphereMean{}
	unitOf := func(j int) (int, bool) {
		a := &p.Accounts[j]
		if drawnOut[j] {
			return 0, false
		}
		i, ok := idx[a.UnitCode]
		return i, ok
	}
	for j := range p.Accounts {
		i, ok := unitOf(j)
		if !ok {
			continue
		}
		if _, inTerr := orig[owner[j]]; inTerr {
			continue
		}
		if !p.Accounts[j].HasLocation {
			continue
		}
		c := unitMean[i]
		if c == nil {
			c = &sphereMean{}
			unitMean[i] = c
		}
		c.add(p.Accounts[j].Location)
	}
	for j := range p.Accounts {
		i, ok := unitOf(j)
		if !ok {
			continue
		}
		o, inTerr := orig[owner[j]]
		if !inTerr {
			o = origin{}
			if c := unitMean[i]; c != nil {
				o = c.origin()
			}
		}
		v, t, _ := m.account(&p.Accounts[j], segs, o.pt, o.ok)
		out[i] += v + t
	}
	return out
}
