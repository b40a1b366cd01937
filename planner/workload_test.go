package planner_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/paulmach/orb"
)

// wlDeg is the length of one degree of a great circle on the 6,371 km
// sphere: 6371 × π / 180 = 111.19492664455873 km.
const wlDeg = 6371 * math.Pi / 180

func wlNear(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestHaversine(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b orb.Point
		want float64 // km
		tol  float64
	}{
		// Paris (Notre-Dame area) to London (Charing Cross area): 343.5 km
		// great-circle distance on the mean sphere.
		{"Paris–London", orb.Point{2.3522, 48.8566}, orb.Point{-0.1278, 51.5074}, 343.5, 0.5},
		{"same point", orb.Point{-71.06, 42.36}, orb.Point{-71.06, 42.36}, 0, 1e-9},
		{"one degree of the equator", orb.Point{0, 0}, orb.Point{1, 0}, wlDeg, 1e-9},
		{"one degree of a meridian", orb.Point{10, 20}, orb.Point{10, 21}, wlDeg, 1e-9},
		// Half the circumference: πR = 20,015.0868 km.
		{"antipodes", orb.Point{0, 0}, orb.Point{180, 0}, 6371 * math.Pi, 1e-6},
		{"across the antimeridian", orb.Point{179.5, 0}, orb.Point{-179.5, 0}, wlDeg, 1e-6},
	} {
		if got := planner.Haversine(tc.a, tc.b); !wlNear(got, tc.want, tc.tol) {
			t.Errorf("%s: Haversine = %.6f km, want %.6f ± %g", tc.name, got, tc.want, tc.tol)
		}
		if got, back := planner.Haversine(tc.a, tc.b), planner.Haversine(tc.b, tc.a); !wlNear(got, back, 1e-9) {
			t.Errorf("%s: not symmetric: %v and %v", tc.name, got, back)
		}
	}
}

// workloadModel has a potential tier for hospitals, a rule for the other
// hospitals and a catch-all; speed 50 km/h and circuity 1.25, so a round
// trip of d km takes 2 × d × 1.25 / 50 = d / 20 hours.
func workloadModel() planner.WorkloadModel {
	return planner.WorkloadModel{
		Rules: []planner.VisitRule{
			{Segment: "Hospital", MinPotential: 300, VisitsPerYear: 24, HoursPerVisit: 1.5},
			{Segment: "hospital ", VisitsPerYear: 12, HoursPerVisit: 1},
			{VisitsPerYear: 4, HoursPerVisit: 0.5},
		},
		SpeedKmh: 50,
		Circuity: 1.25,
	}
}

// workloadPlan: territory East (rep Ada, home at 0°, 0°, capacity 1,000 h)
// holds u1 and u2 with three accounts: A (1°E, hospital, potential 500), B
// (2°N, hospital, potential unknown) and C (1°S, clinic). West is vacant
// and holds u3 with clinics D (10°E) and E (12°E) on the equator. u4 is in
// no territory and holds clinics F (20°E, 0°) and G (20°E, 2°N).
func workloadPlan() *planner.Plan {
	acc := func(id int64, name, seg string, lon, lat float64, pot planner.Measure, unit string) planner.Account {
		return planner.Account{ID: id, Name: name, Segment: seg, Location: orb.Point{lon, lat}, HasLocation: true,
			Match: planner.MatchPoint, Potential: pot, UnitCode: unit, Placement: planner.PlacedInside}
	}
	return &planner.Plan{
		Name: "Workload", PotentialName: "Beds",
		Units: []planner.GeographyUnit{
			{Code: "u1", Geometry: square(0, -1)},
			{Code: "u2", Geometry: square(0, 1)},
			{Code: "u3", Geometry: square(10, 0)},
			{Code: "u4", Geometry: square(20, 0)},
		},
		Accounts: []planner.Account{
			acc(1, "A", "Hospital", 1, 0, planner.Known(500), "u1"),
			acc(2, "B", "HOSPITAL", 0, 2, planner.Unknown, "u2"),
			acc(3, "C", "Clinic", 0, -1, planner.Known(1000), "u1"),
			acc(4, "D", "Clinic", 10, 0, planner.Known(1), "u3"),
			acc(5, "E", "Clinic", 12, 0, planner.Known(1), "u3"),
			acc(6, "F", "Clinic", 20, 0, planner.Known(1), "u4"),
			acc(7, "G", "Clinic", 20, 2, planner.Known(1), "u4"),
		},
		Reps: []planner.Rep{{ID: 1, Name: "Ada", Role: "Account Executive", Manager: "Grace",
			HomeBase: orb.Point{0, 0}, HasHome: true, HomeZIP: "00000",
			Start: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), CapacityHours: 1000, AnnualCost: 150000}},
		Scenarios: []planner.Scenario{{
			ID: 1, Name: "Base",
			Territories: []planner.Territory{{ID: 1, Name: "East", Reps: []planner.Assignment{{RepID: 1, Share: 100}}}, {ID: 2, Name: "West"}},
			Alignment:   map[string]int64{"u1": 1, "u2": 1, "u3": 2},
		}},
	}
}

func TestAccountWorkload(t *testing.T) {
	p, m := workloadPlan(), workloadModel()
	home := orb.Point{0, 0}
	for _, tc := range []struct {
		acc                 int
		visit, travel, rule float64
	}{
		// A: tier rule 0, 24 × 1.5 = 36 h; 24 trips of 1° each way: 24 × wlDeg / 20.
		{0, 36, 24 * wlDeg / 20, 0},
		// B: unknown potential misses the tier; rule 1 (segment case and
		// spaces ignored): 12 × 1 h; 12 trips of 2°: 12 × 2deg / 20.
		{1, 12, 12 * 2 * wlDeg / 20, 1},
		// C: a clinic, whatever its potential: the catch-all, 4 × 0.5 h.
		{2, 2, 4 * wlDeg / 20, 2},
	} {
		v, tr, r := planner.AccountWorkload(&p.Accounts[tc.acc], m, home, true)
		if !wlNear(v, tc.visit, 1e-9) || !wlNear(tr, tc.travel, 1e-9) || float64(r) != tc.rule {
			t.Errorf("account %s: (%v, %v, %d), want (%v, %v, %v)", p.Accounts[tc.acc].Name, v, tr, r, tc.visit, tc.travel, tc.rule)
		}
	}
	// 133.434 h: 24 × 111.19492664 / 20.
	if _, tr, _ := planner.AccountWorkload(&p.Accounts[0], m, home, true); !wlNear(tr, 133.43391197347, 1e-8) {
		t.Errorf("A's travel = %.11f h", tr)
	}
	// No home base, or no location: visits only.
	if v, tr, r := planner.AccountWorkload(&p.Accounts[0], m, home, false); v != 36 || tr != 0 || r != 0 {
		t.Errorf("without home: (%v, %v, %d)", v, tr, r)
	}
	noLoc := p.Accounts[0]
	noLoc.HasLocation = false
	if v, tr, r := planner.AccountWorkload(&noLoc, m, home, true); v != 36 || tr != 0 || r != 0 {
		t.Errorf("without location: (%v, %v, %d)", v, tr, r)
	}
	// No matching rule.
	only := planner.WorkloadModel{Rules: []planner.VisitRule{{Segment: "Hospital", VisitsPerYear: 1, HoursPerVisit: 1}}}
	if v, tr, r := planner.AccountWorkload(&p.Accounts[2], only, home, true); v != 0 || tr != 0 || r != -1 {
		t.Errorf("unmatched: (%v, %v, %d)", v, tr, r)
	}
	// Defaults: 60 km/h and circuity 1.3; a trip of 1° takes 2 × wlDeg × 1.3 / 60 h.
	def := planner.WorkloadModel{Rules: []planner.VisitRule{{VisitsPerYear: 1, HoursPerVisit: 1}}}
	if _, tr, _ := planner.AccountWorkload(&p.Accounts[0], def, home, true); !wlNear(tr, 2*wlDeg*1.3/60, 1e-9) {
		t.Errorf("default travel = %v h, want %v", tr, 2*wlDeg*1.3/60)
	}
}

func TestTerritoryWorkload(t *testing.T) {
	p, m := workloadPlan(), workloadModel()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	got := planner.TerritoryWorkload(p, &p.Scenarios[0], m)
	if len(got) != 2 {
		t.Fatalf("%d loads", len(got))
	}
	// East: visits 24 + 12 + 4 = 40; on site 36 + 12 + 2 = 50 h; travel
	// (24 × 1° + 12 × 2° + 4 × 1°) / 20 = 2.6° = 289.1068 h from Ada's home.
	east := got[0]
	want := planner.TerritoryLoad{TerritoryID: 1, Accounts: 3, Visits: 40, VisitHours: 50, TravelHours: 2.6 * wlDeg,
		Hours: 50 + 2.6*wlDeg, CapacityHours: 1000, RepsAssigned: 1, RepsNeeded: (50 + 2.6*wlDeg) / 1000}
	wlCheckLoad(t, east, want)
	if !wlNear(east.Hours, 339.10680927585, 1e-8) || !wlNear(east.RepsNeeded, 0.33910680927585, 1e-11) {
		t.Errorf("East: %.11f h, %.14f reps", east.Hours, east.RepsNeeded)
	}
	// West is vacant: travel from the centroid of D and E, (11°E, 0°), 1°
	// from each: 2 × (4 × 0.5 h + 4 × wlDeg / 20); capacity: the default 1,600 h.
	westHours := 2 * (2 + 4*wlDeg/20)
	wlCheckLoad(t, got[1], planner.TerritoryLoad{TerritoryID: 2, Accounts: 2, Visits: 8, VisitHours: 4, TravelHours: 0.4 * wlDeg,
		Hours: westHours, FromCentroid: true, CapacityHours: 1600, RepsNeeded: westHours / 1600})

	// Without a home base, East travels from its accounts' centroid too.
	p.Reps[0].HasHome = false
	if l := planner.TerritoryWorkload(p, &p.Scenarios[0], m)[0]; !l.FromCentroid || l.TravelHours == east.TravelHours {
		t.Errorf("East without home base: %+v", l)
	}
	p.Reps[0].HasHome = true

	// A rep without capacity uses the model's default, then the package's.
	p.Reps[0].CapacityHours = 0
	m.DefaultCapacityHours = 1250
	if l := planner.TerritoryWorkload(p, &p.Scenarios[0], m)[0]; l.CapacityHours != 1250 || !wlNear(l.RepsNeeded, east.Hours/1250, 1e-12) {
		t.Errorf("default capacity: %v h, %v reps", l.CapacityHours, l.RepsNeeded)
	}
	m.DefaultCapacityHours = 0
	if l := planner.TerritoryWorkload(p, &p.Scenarios[0], m)[0]; l.CapacityHours != 1600 {
		t.Errorf("package default capacity: %v h", l.CapacityHours)
	}

	// Unmatched and unlocated accounts are counted.
	m.Rules = m.Rules[:2] // no catch-all: C and the clinics match nothing
	p.Accounts[1].HasLocation, p.Accounts[1].Match = false, planner.MatchNone
	l := planner.TerritoryWorkload(p, &p.Scenarios[0], m)[0]
	if l.Accounts != 3 || l.Unmatched != 1 || l.NoTravel != 1 || l.Visits != 36 || !wlNear(l.TravelHours, 1.2*wlDeg, 1e-9) {
		t.Errorf("unmatched/no location: %+v", l)
	}
}

func wlCheckLoad(t *testing.T, got, want planner.TerritoryLoad) {
	t.Helper()
	ok := got.TerritoryID == want.TerritoryID && got.Accounts == want.Accounts && got.Unmatched == want.Unmatched &&
		got.NoTravel == want.NoTravel && got.FromCentroid == want.FromCentroid && got.RepsAssigned == want.RepsAssigned &&
		wlNear(got.Visits, want.Visits, 1e-9) && wlNear(got.VisitHours, want.VisitHours, 1e-9) &&
		wlNear(got.TravelHours, want.TravelHours, 1e-9) && wlNear(got.Hours, want.Hours, 1e-9) &&
		wlNear(got.CapacityHours, want.CapacityHours, 1e-9) && wlNear(got.RepsNeeded, want.RepsNeeded, 1e-12)
	if !ok {
		t.Errorf("load\n got %+v\nwant %+v", got, want)
	}
}

func TestUnitWorkload(t *testing.T) {
	p, m := workloadPlan(), workloadModel()
	s := &p.Scenarios[0]
	got := m.UnitWorkload(p, s)
	want := []float64{
		36 + 24*wlDeg/20 + 2 + 4*wlDeg/20, // u1: A and C, from Ada's home
		12 + 12*2*wlDeg/20,                // u2: B
		2 * (2 + 4*wlDeg/20),              // u3: D and E, from West's centroid (11°E, 0°)
		2 * (2 + 4*wlDeg/20),              // u4: no territory; F and G from their centroid (20°E, 1°N)
	}
	for i := range want {
		if !wlNear(got[i], want[i], 1e-9) {
			t.Errorf("unit %s: %.9f h, want %.9f", p.Units[i].Code, got[i], want[i])
		}
	}
	loads := planner.TerritoryWorkload(p, s, m)
	if !wlNear(got[0]+got[1], loads[0].Hours, 1e-9) || !wlNear(got[2], loads[1].Hours, 1e-9) {
		t.Errorf("units %v do not add up to territories %v and %v", got, loads[0].Hours, loads[1].Hours)
	}
	// Without a scenario every unit travels from its own accounts' centroid:
	// u2 has one account, so no travel.
	if got := m.UnitWorkload(p, nil); !wlNear(got[1], 12, 1e-9) || !wlNear(got[3], want[3], 1e-9) {
		t.Errorf("no scenario: %v", got)
	}
	// A drawn boundary around A gives it to West: it leaves u1's value,
	// and West's accounts.
	s.Territories[1].Boundary = orb.Polygon{{{0.5, -0.5}, {1.5, -0.5}, {1.5, 0.5}, {0.5, 0.5}, {0.5, -0.5}}}
	got = m.UnitWorkload(p, s)
	if !wlNear(got[0], 2+4*wlDeg/20, 1e-9) {
		t.Errorf("u1 with A drawn out: %v h", got[0])
	}
	if l := planner.TerritoryWorkload(p, s, m); l[0].Accounts != 2 || l[1].Accounts != 3 {
		t.Errorf("drawn boundary: East %d, West %d accounts", l[0].Accounts, l[1].Accounts)
	}
}

// TestSampleWorkload checks the sample plan's workload against an
// independent computation: the territory of each account from the unit
// alignment (the sample draws no boundary), distances as the angle between
// Earth-centred unit vectors (atan2(|u×v|, u·v), not the haversine), and
// the centroid of a vacant territory as the normalised sum of its accounts'
// unit vectors.
func TestSampleWorkload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sample plan")
	}
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	// Two reps: one in Boston with 1,800 hours for New England (1), one
	// without a home base for the Middle Atlantic (2); the rest vacant.
	p.Reps = []planner.Rep{
		{ID: 1, Name: "Boston", HomeBase: orb.Point{-71.0589, 42.3601}, HasHome: true, CapacityHours: 1800},
		{ID: 2, Name: "No home"},
	}
	s.Territories[0].Reps, s.Territories[1].Reps = []planner.Assignment{{RepID: 1, Share: 100}}, []planner.Assignment{{RepID: 2, Share: 100}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m := planner.WorkloadModel{Rules: []planner.VisitRule{
		{Segment: "GENERAL ACUTE CARE", MinPotential: 200, VisitsPerYear: 12, HoursPerVisit: 2},
		{Segment: "GENERAL ACUTE CARE", VisitsPerYear: 6, HoursPerVisit: 1.5},
		{VisitsPerYear: 2, HoursPerVisit: 1},
	}}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}

	vec := func(p orb.Point) [3]float64 {
		φ, λ := p[1]*math.Pi/180, p[0]*math.Pi/180
		return [3]float64{math.Cos(φ) * math.Cos(λ), math.Cos(φ) * math.Sin(λ), math.Sin(φ)}
	}
	dist := func(a, b [3]float64) float64 { // km
		cx := a[1]*b[2] - a[2]*b[1]
		cy := a[2]*b[0] - a[0]*b[2]
		cz := a[0]*b[1] - a[1]*b[0]
		return 6371 * math.Atan2(math.Sqrt(cx*cx+cy*cy+cz*cz), a[0]*b[0]+a[1]*b[1]+a[2]*b[2])
	}
	rule := func(a *planner.Account) (visits, hours float64) {
		switch {
		case a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 200:
			return 12, 2
		case a.Segment == "GENERAL ACUTE CARE":
			return 6, 1.5
		}
		return 2, 1
	}
	// Origins: Boston for territory 1, centroids for the others.
	sum := map[int64][3]float64{}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if id := s.Alignment[a.UnitCode]; a.UnitCode != "" && id != 0 && a.HasLocation {
			v, c := vec(a.Location), sum[id]
			sum[id] = [3]float64{c[0] + v[0], c[1] + v[1], c[2] + v[2]}
		}
	}
	origin := map[int64][3]float64{1: vec(orb.Point{-71.0589, 42.3601})}
	for id, c := range sum {
		if id != 1 {
			n := math.Sqrt(c[0]*c[0] + c[1]*c[1] + c[2]*c[2])
			origin[id] = [3]float64{c[0] / n, c[1] / n, c[2] / n}
		}
	}
	hours := map[int64]float64{}
	var total float64
	for i := range p.Accounts {
		a := &p.Accounts[i]
		id := s.Alignment[a.UnitCode]
		if a.UnitCode == "" || id == 0 {
			continue
		}
		visits, per := rule(a)
		h := visits * per
		if a.HasLocation {
			h += visits * 2 * dist(origin[id], vec(a.Location)) * 1.3 / 60
		}
		hours[id] += h
		total += h
	}

	loads := planner.TerritoryWorkload(p, s, m)
	var gotTotal float64
	for i, l := range loads {
		want := hours[l.TerritoryID]
		if !wlNear(l.Hours, want, 1e-9*want) {
			t.Errorf("%s: %.6f h, want %.6f", s.Territories[i].Name, l.Hours, want)
		}
		capacity := 1600.0
		if l.TerritoryID == 1 {
			capacity = 1800
		}
		if !wlNear(l.RepsNeeded, want/capacity, 1e-9*want/capacity) {
			t.Errorf("%s: %.6f reps needed, want %.6f", s.Territories[i].Name, l.RepsNeeded, want/capacity)
		}
		if wantAssigned := map[bool]float64{true: 1, false: 0}[i < 2]; l.RepsAssigned != wantAssigned || l.FromCentroid != (i != 0) {
			t.Errorf("%s: %v reps assigned, from centroid %v", s.Territories[i].Name, l.RepsAssigned, l.FromCentroid)
		}
		gotTotal += l.Hours
	}
	if !wlNear(gotTotal, total, 1e-9*total) || total < 1e5 {
		t.Errorf("total %.3f h, want %.3f", gotTotal, total)
	}
	t.Logf("sample workload: %.0f h, %.1f reps at 1,600 h", total, total/1600)

	// The units' workloads add up to their territories'.
	units := m.UnitWorkload(p, s)
	byTerr := map[int64]float64{}
	for i, u := range p.Units {
		if id, ok := s.Alignment[u.Code]; ok {
			byTerr[id] += units[i]
		}
	}
	for _, l := range loads {
		if !wlNear(byTerr[l.TerritoryID], l.Hours, 1e-9*l.Hours) {
			t.Errorf("territory %d: units sum to %.6f h, territory %.6f", l.TerritoryID, byTerr[l.TerritoryID], l.Hours)
		}
	}
}

func TestWorkloadModelValidate(t *testing.T) {
	ok := workloadModel()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (planner.WorkloadModel{Rules: []planner.VisitRule{{}}}).Validate(); err != nil {
		t.Errorf("zero defaults: %v", err)
	}
	for _, tc := range []struct {
		edit func(*planner.WorkloadModel)
		want string
	}{
		{func(m *planner.WorkloadModel) { m.Rules = nil }, "The workload model has no visit rule"},
		{func(m *planner.WorkloadModel) { m.Rules[1].VisitsPerYear = -1 }, "Visit rule 2 (segment hospital) has -1 visits per year"},
		{func(m *planner.WorkloadModel) { m.Rules[2].HoursPerVisit = math.NaN() }, "Visit rule 3 (all segments) has NaN hours per visit"},
		{func(m *planner.WorkloadModel) { m.Rules[0].MinPotential = math.Inf(1) }, "Visit rule 1 (segment Hospital) has a minimum potential of +Inf"},
		{func(m *planner.WorkloadModel) { m.SpeedKmh = -60 }, "The average speed is -60 km/h"},
		{func(m *planner.WorkloadModel) { m.Circuity = 0.9 }, "The circuity factor is 0.9"},
		{func(m *planner.WorkloadModel) { m.Circuity = math.NaN() }, "The circuity factor is NaN"},
		{func(m *planner.WorkloadModel) { m.DefaultCapacityHours = 9000 }, "The default capacity is 9000 hours per year"},
	} {
		m := workloadModel()
		tc.edit(&m)
		err := m.Validate()
		if planner.ErrorCode(err) != planner.EINVALID || !strings.HasPrefix(planner.ErrorMessage(err), tc.want) {
			t.Errorf("got %v, want %q…", err, tc.want)
		}
	}
}

func TestRepValidate(t *testing.T) {
	if err := workloadPlan().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		edit func(*planner.Rep)
		want string
	}{
		{func(r *planner.Rep) { r.HomeBase = orb.Point{200, 0} }, `Rep "Ada" has an invalid home base [200 0]`},
		{func(r *planner.Rep) { r.HomeBase = orb.Point{0, math.NaN()} }, `Rep "Ada" has an invalid home base [0 NaN]`},
		{func(r *planner.Rep) { r.CapacityHours = -1 }, `Rep "Ada" has capacity -1`},
		{func(r *planner.Rep) { r.CapacityHours = math.Inf(1) }, `Rep "Ada" has capacity +Inf`},
		{func(r *planner.Rep) { r.CapacityHours = 8785 }, `Rep "Ada" has capacity 8785`},
		{func(r *planner.Rep) { r.AnnualCost = math.NaN() }, `Rep "Ada" has annual cost NaN`},
		{func(r *planner.Rep) { r.AnnualCost = -5 }, `Rep "Ada" has annual cost -5`},
	} {
		p := workloadPlan()
		tc.edit(&p.Reps[0])
		err := p.Validate()
		if planner.ErrorCode(err) != planner.EINVALID || !strings.HasPrefix(planner.ErrorMessage(err), tc.want) {
			t.Errorf("got %v, want %q…", err, tc.want)
		}
	}
	// A home base is not checked when HasHome is false.
	p := workloadPlan()
	p.Reps[0].HomeBase, p.Reps[0].HasHome = orb.Point{999, 999}, false
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
}

func BenchmarkTerritoryWorkload(b *testing.B) {
	p, err := sample.Build(b.Context(), nil)
	if err != nil {
		b.Fatal(err)
	}
	m := planner.WorkloadModel{Rules: []planner.VisitRule{{Segment: "GENERAL ACUTE CARE", VisitsPerYear: 6, HoursPerVisit: 1.5}, {VisitsPerYear: 2, HoursPerVisit: 1}}}
	s := p.Active()
	b.Run("territories", func(b *testing.B) {
		for b.Loop() {
			planner.TerritoryWorkload(p, s, m)
		}
	})
	b.Run("units", func(b *testing.B) {
		for b.Loop() {
			m.UnitWorkload(p, s)
		}
	})
}
