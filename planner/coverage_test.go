package planner_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/paulmach/orb"
)

var (
	coverageSampleOnce sync.Once
	coverageSamplePlan *planner.Plan
	coverageSampleErr  error
)

// coverageSample returns a fresh copy of the sample plan's active scenario
// on a shared sample plan (built once: about a second). Tests that change
// the scenario get their own copy of it; the plan itself is shared and
// must not be changed.
func coverageSample(t testing.TB) (*planner.Plan, *planner.Scenario) {
	t.Helper()
	coverageSampleOnce.Do(func() {
		coverageSamplePlan, coverageSampleErr = sample.Build(t.Context(), nil)
	})
	if coverageSampleErr != nil {
		t.Fatal(coverageSampleErr)
	}
	p := *coverageSamplePlan
	s := *p.Active()
	s.Territories = slices.Clone(s.Territories)
	s.NamedAccounts = map[int64]int64{}
	for k, v := range p.Active().NamedAccounts {
		s.NamedAccounts[k] = v
	}
	return &p, &s
}

// statesAndDC are the state FIPS codes of the 50 states and the District
// of Columbia (FIPS PUB 5-2; 03, 07, 14, 43 and 52 are unused).
var statesAndDC = strings.Fields(`01 02 04 05 06 08 09 10 11 12 13 15 16 17 18 19 20 21 22 23 24 25 26
	27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 44 45 46 47 48 49 50 51 53 54 55 56`)

// TestSampleCoverageListsPuertoRico: on the sample every Puerto Rico
// county (state FIPS 72) is unassigned, counted independently from the
// units; no county of the 50 states or DC is; the white space agrees with
// ComputeMetrics; every territory lacks a rep (the sample has none), and
// the overlay team "Key accounts" covers the "Large acute hospitals".
func TestSampleCoverageListsPuertoRico(t *testing.T) {
	p, s := coverageSample(t)
	if len(statesAndDC) != 51 {
		t.Fatalf("%d state codes", len(statesAndDC))
	}
	pr := 0
	for _, u := range p.Units {
		if u.ParentCode == "72" {
			pr++
			if u.ParentName != "Puerto Rico" {
				t.Errorf("unit %s has parent %q", u.Code, u.ParentName)
			}
		}
	}
	if pr != 78 { // Puerto Rico has 78 municipios (county equivalents)
		t.Fatalf("the sample has %d Puerto Rico units, want 78", pr)
	}
	r := planner.BuildCoverage(p, s)
	listed := 0
	seen := map[string]bool{}
	for _, u := range r.UnassignedUnits {
		seen[u.Code] = true
		if got := p.Units[u.Index]; got.Code != u.Code || got.Name != u.Name || got.ParentName != u.ParentName {
			t.Errorf("entry %+v does not match unit %d (%s)", u, u.Index, got.Code)
		}
		if strings.HasPrefix(u.Code, "72") {
			listed++
			if u.ParentName != "Puerto Rico" {
				t.Errorf("%s: parent %q", u.Code, u.ParentName)
			}
		}
		if slices.Contains(statesAndDC, u.Code[:2]) {
			t.Errorf("unit %s (%s, %s) of a state is listed as unassigned", u.Code, u.Name, u.ParentName)
		}
		if _, ok := s.Alignment[u.Code]; ok {
			t.Errorf("unit %s is aligned", u.Code)
		}
	}
	if listed != pr {
		t.Errorf("%d Puerto Rico units listed, want %d", listed, pr)
	}
	for _, u := range p.Units {
		if u.ParentCode == "72" && !seen[u.Code] {
			t.Errorf("Puerto Rico unit %s (%s) is not listed", u.Code, u.Name)
		}
	}
	unaligned := 0
	for _, u := range p.Units {
		if _, ok := s.Alignment[u.Code]; !ok {
			unaligned++
		}
	}
	if len(r.UnassignedUnits) != unaligned || unaligned != 89 {
		t.Errorf("%d unassigned units listed; %d units are unaligned, want 89", len(r.UnassignedUnits), unaligned)
	}

	m := planner.ComputeMetrics(p, s)
	if r.WhiteSpace != m.WhiteSpace || r.Total != m.Total {
		t.Errorf("white space %+v total %+v; metrics %+v %+v", r.WhiteSpace, r.Total, m.WhiteSpace, m.Total)
	}
	if r.Unlocated != m.UnlocatedAccounts || r.Unlocated != 1 {
		t.Errorf("unlocated %d, metrics %d, want 1", r.Unlocated, m.UnlocatedAccounts)
	}
	// White space accounts: in unassigned units, counted independently.
	ws, wsPot := 0, 0.0
	for _, a := range p.Accounts {
		if _, ok := s.Alignment[a.UnitCode]; a.UnitCode != "" && !ok {
			ws++
			if a.Potential.Known {
				wsPot += a.Potential.Value
			}
		}
	}
	if len(r.WhiteSpaceAccounts) != ws || ws != 80 {
		t.Errorf("%d white space accounts, want %d (80)", len(r.WhiteSpaceAccounts), ws)
	}
	sumUnits, sumPot := 0, 0.0
	for _, u := range r.UnassignedUnits {
		sumUnits += u.Accounts
		sumPot += u.Potential
	}
	if sumUnits != ws || sumPot != wsPot {
		t.Errorf("units hold %d accounts, %v potential; want %d, %v", sumUnits, sumPot, ws, wsPot)
	}
	if share := r.WhiteSpacePotentialShare(); share <= 0 || share >= 0.05 || share != r.WhiteSpace.Potential/r.Total.Potential {
		t.Errorf("white space share %v", share)
	}
	if len(r.TerritoriesWithoutRep) != 9 || r.TerritoriesWithoutRep[0].Name != "New England" || r.TerritoriesWithoutRep[0].Gap != planner.NoRep ||
		r.TerritoriesWithoutRep[0].Accounts != 289 || r.TerritoriesWithoutRep[0].Units != 67 {
		t.Errorf("territories without rep: %+v", r.TerritoriesWithoutRep)
	}
	if len(r.MultiClaimed) != 0 || len(r.NamedAccounts) != 0 {
		t.Errorf("multi-claimed %d, named %d; want 0, 0", len(r.MultiClaimed), len(r.NamedAccounts))
	}
	if got, want := r.Summary(p.PotentialName), "White space: 89 units (Puerto Rico 78, Commonwealth of the Northern Mariana Islands 4, American Samoa 3, …) "+
		"and 81 accounts (0.7% of Beds); 1 account in no unit; 9 territories without a rep; 0 accounts claimed twice; 0 named accounts"; got != want {
		t.Errorf("summary\n%s\nwant\n%s", got, want)
	}
	large := p.SegmentNamed("Large acute hospitals")
	mem, err := p.SegmentMembers(large)
	if err != nil {
		t.Fatal(err)
	}
	pot := 0.0
	for i, in := range mem.In {
		if in && p.Accounts[i].Potential.Known {
			pot += p.Accounts[i].Potential.Value
		}
	}
	if len(r.Overlays) != 1 {
		t.Fatalf("overlays %+v", r.Overlays)
	}
	o := r.Overlays[0]
	if o.Team != "Key accounts" || o.SegmentName != large.Name || o.Members != mem.Members || o.Members == 0 ||
		o.Potential != pot || o.WithoutGeoRep != o.Members || o.Err != "" {
		t.Errorf("overlay %+v; want %d members, %v potential", o, mem.Members, pot)
	}
}

// covBox returns the closed ring of the axis-aligned box [x0,x1]×[y0,y1]
// (degrees), counter-clockwise.
func covBox(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// coverageFixture is a plan of four 1°×1° units side by side along the
// equator, A [0,1], B [1,2], C [2,3] and D [3,4] (D unassigned), and
// three territories: T1 (A; rep Ann 100%), T2 (B; a vacancy only, and a
// drawn boundary x 0.6-0.8) and T3 (C; nobody, and a drawn boundary x
// 0.5-1.5). Accounts (potential):
//
//	1 (10) A, x 0.2: T1 only
//	2 (20) A, x 0.7: in T2's and T3's drawings, unit T1 → claims T2, T3, T1
//	3 (30) D: white space
//	4 (?)  D: white space, unknown potential
//	5 (1)  no location
//	6 (2)  located at (10, 10), outside every unit
//	7 (5)  D, named to T1 (covered; taken from white space)
//	8 (40) B, x 1.8, named to T1 (taken from T2)
//	9 (50) B, x 1.2: in T3's drawing, unit T2 → claims T3, T2
//
// and the segment "Big" (potential ≥ 20, overlay team "Key" with Ann).
func coverageFixture(t *testing.T) (*planner.Plan, *planner.Scenario) {
	t.Helper()
	unit := func(code string, x float64) planner.GeographyUnit {
		return planner.GeographyUnit{Code: code, Name: "Unit " + code, ParentCode: "P", ParentName: "Province",
			Population: planner.Known(100), Geometry: orb.MultiPolygon{{covBox(x, 0, x+1, 1)}}}
	}
	acc := func(id int64, code string, x float64, pot planner.Measure) planner.Account {
		a := planner.Account{ID: id, Name: "Acc " + string(rune('0'+id)), City: "Town", State: "PR", Potential: pot,
			UnitCode: code, Location: orb.Point{x, 0.5}, HasLocation: true, Match: planner.MatchPoint, Placement: planner.PlacedInside}
		if code == "" {
			a.Placement = planner.PlacedNone
		}
		return a
	}
	p := &planner.Plan{Name: "Fixture", PotentialName: "Revenue",
		Units: []planner.GeographyUnit{unit("A", 0), unit("B", 1), unit("C", 2), unit("D", 3)},
		Reps:  []planner.Rep{{ID: 1, Name: "Ann"}},
		Accounts: []planner.Account{
			acc(1, "A", 0.2, planner.Known(10)),
			acc(2, "A", 0.7, planner.Known(20)),
			acc(3, "D", 3.5, planner.Known(30)),
			acc(4, "D", 3.6, planner.Unknown),
			{ID: 5, Name: "Acc 5", Potential: planner.Known(1)},
			acc(6, "", 10, planner.Known(2)),
			acc(7, "D", 3.2, planner.Known(5)),
			acc(8, "B", 1.8, planner.Known(40)),
			acc(9, "B", 1.2, planner.Known(50)),
		},
		Segments: []planner.Segment{{ID: 1, Name: "Big", Rule: "Potential >= 20", OverlayTeam: "Key", OverlayReps: []int64{1}}},
	}
	p.Accounts[5].Location = orb.Point{10, 10}
	s := planner.Scenario{ID: 1, Name: "Base",
		Territories: []planner.Territory{
			{ID: 1, Name: "T1", Reps: []planner.Assignment{{RepID: 1, Share: 100}}},
			{ID: 2, Name: "T2", Reps: []planner.Assignment{{Share: 100}}, Boundary: orb.Polygon{covBox(0.6, 0.2, 0.8, 0.8)}},
			{ID: 3, Name: "T3", Boundary: orb.Polygon{covBox(0.5, 0.1, 1.5, 0.9)}},
		},
		Alignment:     map[string]int64{"A": 1, "B": 2, "C": 3},
		NamedAccounts: map[int64]int64{7: 1, 8: 1},
	}
	p.Scenarios = []planner.Scenario{s}
	p.ActiveScenario = 1
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p, &p.Scenarios[0]
}

func accountIDs(list []planner.CoverageAccount) []int64 {
	var out []int64
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func TestCoverageFixtureLists(t *testing.T) {
	p, s := coverageFixture(t)
	r := planner.BuildCoverage(p, s)

	if len(r.UnassignedUnits) != 1 {
		t.Fatalf("unassigned units %+v", r.UnassignedUnits)
	}
	if u := r.UnassignedUnits[0]; u.Code != "D" || u.Index != 3 || u.Accounts != 2 || u.Potential != 30 || u.PotentialMissing != 1 ||
		u.Covered != 1 || u.Bound != (orb.Bound{Min: orb.Point{3, 0}, Max: orb.Point{4, 1}}) || u.ParentName != "Province" {
		t.Errorf("unit D: %+v", u)
	}
	if got := accountIDs(r.WhiteSpaceAccounts); !slices.Equal(got, []int64{3, 4}) {
		t.Errorf("white space accounts %v, want [3 4]", got)
	}
	if a := r.WhiteSpaceAccounts[0]; a.Index != 2 || a.Location != (orb.Point{3.5, 0.5}) || !a.HasLocation || a.Territory != 0 || a.City != "Town" {
		t.Errorf("white space account 3: %+v", a)
	}
	if got := accountIDs(r.AccountsWithoutLocation); !slices.Equal(got, []int64{5}) {
		t.Errorf("without location %v", got)
	}
	if got := accountIDs(r.AccountsOutsideUnits); !slices.Equal(got, []int64{6}) {
		t.Errorf("outside units %v", got)
	}
	if r.Unlocated != 2 {
		t.Errorf("unlocated %d", r.Unlocated)
	}
	// White space: unit D (100 people), accounts 3, 4 (unknown), 5, 6.
	want := planner.Totals{Units: 1, Accounts: 4, Population: 100, Potential: 33, PotentialMissing: 1}
	if r.WhiteSpace != want {
		t.Errorf("white space %+v, want %+v", r.WhiteSpace, want)
	}
	if m := planner.ComputeMetrics(p, s); m.WhiteSpace != r.WhiteSpace || m.Total != r.Total {
		t.Errorf("metrics white space %+v total %+v; coverage %+v %+v", m.WhiteSpace, m.Total, r.WhiteSpace, r.Total)
	}
	if got, want := r.Summary(""), "White space: 1 unit (Province 1) and 4 accounts (20.9% of potential); 2 accounts in no unit; "+
		"2 territories without a rep; 2 accounts claimed twice; 2 named accounts"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if got := r.WhiteSpacePotentialShare(); got != 33.0/158 {
		t.Errorf("share %v, want 33/158", got)
	}

	if len(r.TerritoriesWithoutRep) != 2 {
		t.Fatalf("without rep %+v", r.TerritoriesWithoutRep)
	}
	t2, t3 := r.TerritoriesWithoutRep[0], r.TerritoriesWithoutRep[1]
	// T2 owns account 2 (first drawing); T3 owns account 9.
	if t2.Name != "T2" || t2.Gap != planner.VacanciesOnly || t2.Vacancies != 1 || t2.Index != 1 || t2.Units != 1 || t2.Accounts != 1 || t2.Potential != 20 {
		t.Errorf("T2 %+v", t2)
	}
	if t3.Name != "T3" || t3.Gap != planner.NoRep || t3.Vacancies != 0 || t3.Units != 1 || t3.Accounts != 1 || t3.Potential != 50 {
		t.Errorf("T3 %+v", t3)
	}
	if t2.Gap.String() != "vacancies only" || t3.Gap.String() != "no rep" {
		t.Errorf("gap strings %q %q", t2.Gap, t3.Gap)
	}

	if len(r.MultiClaimed) != 2 {
		t.Fatalf("multi-claimed %+v", r.MultiClaimed)
	}
	c2, c9 := r.MultiClaimed[0], r.MultiClaimed[1]
	if c2.Account.ID != 2 || !slices.Equal(c2.Claims, []int64{2, 3, 1}) || !slices.Equal(c2.ClaimNames, []string{"T2", "T3", "T1"}) ||
		c2.Winner != 2 || c2.WinnerName != "T2" || c2.Named {
		t.Errorf("account 2: %+v", c2)
	}
	if c9.Account.ID != 9 || !slices.Equal(c9.Claims, []int64{3, 2}) || c9.Winner != 3 || c9.WinnerName != "T3" {
		t.Errorf("account 9: %+v", c9)
	}

	if len(r.NamedAccounts) != 2 {
		t.Fatalf("named %+v", r.NamedAccounts)
	}
	n7, n8 := r.NamedAccounts[0], r.NamedAccounts[1]
	if n7.Account.ID != 7 || n7.Owner != 1 || n7.OwnerName != "T1" || n7.Geographic != 0 || n7.GeographicName != "" || n7.Account.Territory != 1 {
		t.Errorf("named 7: %+v", n7)
	}
	if n8.Account.ID != 8 || n8.Owner != 1 || n8.Geographic != 2 || n8.GeographicName != "T2" {
		t.Errorf("named 8: %+v", n8)
	}

	// Big: accounts 2 (T2, vacancy), 3 (white space), 8 (T1, Ann), 9 (T3, nobody).
	if len(r.Overlays) != 1 {
		t.Fatalf("overlays %+v", r.Overlays)
	}
	if o := r.Overlays[0]; o.Team != "Key" || !slices.Equal(o.RepNames, []string{"Ann"}) || o.Members != 4 || o.Potential != 140 || o.WithoutGeoRep != 3 || o.Err != "" {
		t.Errorf("overlay %+v", o)
	}
}

// An overlay segment whose rule names a missing field is reported, not
// fatal; a named account moved to a territory its drawing also claims is
// flagged Named.
func TestCoverageBadSegmentAndNamedWinner(t *testing.T) {
	p, s := coverageFixture(t)
	p.Segments = append(p.Segments, planner.Segment{ID: 2, Name: "Odd", Rule: "Colour = 'red'", OverlayTeam: "Painters", OverlayReps: []int64{7}})
	s.NamedAccounts[9] = 1
	r := planner.BuildCoverage(p, s)
	if len(r.Overlays) != 2 {
		t.Fatalf("overlays %+v", r.Overlays)
	}
	if o := r.Overlays[1]; o.Members != 0 || !strings.Contains(o.Err, "Colour") || !slices.Equal(o.RepNames, []string{"rep 7"}) {
		t.Errorf("bad overlay %+v", o)
	}
	c9 := r.MultiClaimed[1]
	if c9.Account.ID != 9 || c9.Winner != 1 || c9.WinnerName != "T1" || !c9.Named || !slices.Equal(c9.Claims, []int64{3, 2}) {
		t.Errorf("account 9 named: %+v", c9)
	}
	if len(r.NamedAccounts) != 3 || r.NamedAccounts[2].Geographic != 3 {
		t.Errorf("named %+v", r.NamedAccounts)
	}
}

// An empty scenario of a plan with no accounts gives empty lists, and
// every unit unassigned.
func TestCoverageEmpty(t *testing.T) {
	p := &planner.Plan{Name: "E", Units: []planner.GeographyUnit{{Code: "X"}}}
	s := &planner.Scenario{ID: 1, Name: "S"}
	r := planner.BuildCoverage(p, s)
	if len(r.UnassignedUnits) != 1 || r.WhiteSpace.Units != 1 || r.WhiteSpace.PopulationMissing != 1 || r.WhiteSpacePotentialShare() != 0 ||
		len(r.WhiteSpaceAccounts)+len(r.TerritoriesWithoutRep)+len(r.MultiClaimed)+len(r.NamedAccounts)+len(r.Overlays) != 0 {
		t.Errorf("empty: %+v", r)
	}
}

// BenchmarkBuildCoverage measures the coverage report of the sample's
// scenario (3,231 units, 7,146 accounts, one overlay segment).
func BenchmarkBuildCoverage(b *testing.B) {
	p, s := coverageSample(b)
	b.ReportAllocs()
	for b.Loop() {
		planner.BuildCoverage(p, s)
	}
}
