package planner_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// rect is a closed lon/lat rectangle ring.
func rect(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// movePlan has six units in a row (u1 at lon 0 … u6 at lon 5), u6 without
// population, and two scenarios. In "Current" (1): A (10) holds u1, u2; B
// (11) u3, u4; C (12) has no unit but a drawn boundary around account 4
// in u5; u5 and u6 are white space. "Other" (2) has territories 20 and 21.
// Account 6 has no location; account 2 has no known potential.
func movePlan() *planner.Plan {
	p := &planner.Plan{Name: "Moves", PotentialName: "Beds"}
	pops := []planner.Measure{planner.Known(100), planner.Known(300), planner.Known(200), planner.Known(50), planner.Known(70), planner.Unknown}
	for i, pop := range pops {
		code := "u" + string(rune('1'+i))
		p.Units = append(p.Units, planner.GeographyUnit{Code: code, Name: "Unit " + code, ParentName: "State",
			Population: pop, Geometry: square(float64(i), 0)})
	}
	acc := func(id int64, lon float64, unit string, pot planner.Measure) planner.Account {
		return planner.Account{ID: id, Name: "acc", Location: orb.Point{lon, 0.5}, HasLocation: true,
			Potential: pot, UnitCode: unit, Placement: planner.PlacedInside}
	}
	p.Accounts = []planner.Account{
		acc(7, 5.5, "u6", planner.Known(100)),
		acc(1, 0.5, "u1", planner.Known(10)),
		acc(2, 1.5, "u2", planner.Unknown),
		acc(3, 2.5, "u3", planner.Known(30)),
		acc(4, 4.5, "u5", planner.Known(5)),
		acc(5, 4.1, "u5", planner.Known(8)),
		{ID: 6, Name: "no location", Potential: planner.Known(7)},
	}
	p.Reps = []planner.Rep{{ID: 1, Name: "Ada"}, {ID: 2, Name: "Bo"}}
	p.Scenarios = []planner.Scenario{
		{ID: 1, Name: "Current", Territories: []planner.Territory{
			{ID: 10, Name: "A", Color: "#4E79A7", Reps: []planner.Assignment{{RepID: 1, Share: 100}}},
			{ID: 11, Name: "B", Color: "#F28E2B", Reps: []planner.Assignment{{RepID: 2, Share: 100}}},
			{ID: 12, Name: "C", Color: "#59A14F", Boundary: orb.Polygon{rect(4.2, 0.2, 4.8, 0.8)}},
		}, Alignment: map[string]int64{"u1": 10, "u2": 10, "u3": 11, "u4": 11}},
		{ID: 2, Name: "Other", Territories: []planner.Territory{
			{ID: 21, Name: "East"}, {ID: 20, Name: "West"},
		}, Alignment: map[string]int64{"u1": 20, "u6": 21}},
	}
	p.ActiveScenario = 1
	return p
}

func TestCopyScenario(t *testing.T) {
	p := movePlan()
	orig := movePlan()
	c, err := p.CopyScenario(p.Scenario(1), "  Balanced draft 1 ")
	if err != nil {
		t.Fatal(err)
	}
	want := planner.Scenario{ID: 3, Name: "Balanced draft 1", Territories: []planner.Territory{
		{ID: 22, Name: "A", Color: "#4E79A7", Reps: []planner.Assignment{{RepID: 1, Share: 100}}},
		{ID: 23, Name: "B", Color: "#F28E2B", Reps: []planner.Assignment{{RepID: 2, Share: 100}}},
		{ID: 24, Name: "C", Color: "#59A14F", Boundary: orb.Polygon{rect(4.2, 0.2, 4.8, 0.8)}},
	}, Alignment: map[string]int64{"u1": 22, "u2": 22, "u3": 23, "u4": 23}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("copy:\n got %+v\nwant %+v", c, want)
	}
	if !reflect.DeepEqual(p, orig) {
		t.Error("CopyScenario changed the plan")
	}
	// A deep copy: changing the copy leaves the original alone.
	c.Territories[2].Boundary[0][0] = orb.Point{9, 9}
	c.Alignment["u5"] = 22
	if !reflect.DeepEqual(p, orig) {
		t.Error("the copy shares memory with the original")
	}
	delete(c.Alignment, "u5")
	c.Territories[2].Boundary[0][0] = orb.Point{4.2, 0.2}

	// The plan with the copy is valid and the copy's metrics are the
	// original's.
	p.Scenarios = append(p.Scenarios, c)
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m0, m1 := planner.ComputeMetrics(p, p.Scenario(1)), planner.ComputeMetrics(p, p.Scenario(3))
	for i := range m0.Territories {
		if m0.Territories[i].Totals != m1.Territories[i].Totals || m0.Territories[i].RepName != m1.Territories[i].RepName {
			t.Errorf("territory %d: %+v, want %+v", i, m1.Territories[i], m0.Territories[i])
		}
	}
	if m0.WhiteSpace != m1.WhiteSpace || m0.DrawnAccounts != 1 || m1.DrawnAccounts != 1 {
		t.Errorf("white space %+v / %+v, drawn %d / %d", m1.WhiteSpace, m0.WhiteSpace, m1.DrawnAccounts, m0.DrawnAccounts)
	}
	// A second copy takes the next IDs, past the first copy's.
	c2, err := p.CopyScenario(p.Scenario(2), p.NextScenarioName("Balanced draft"))
	if err != nil {
		t.Fatal(err)
	}
	if c2.ID != 4 || c2.Name != "Balanced draft 2" || c2.Territories[0].ID != 25 || c2.Territories[1].ID != 26 ||
		!reflect.DeepEqual(c2.Alignment, map[string]int64{"u1": 26, "u6": 25}) {
		t.Errorf("second copy = %+v", c2)
	}
	// An empty scenario copies to an empty scenario.
	e, err := p.CopyScenario(&planner.Scenario{ID: 1}, "Empty")
	if err != nil || e.ID != 4 || e.Territories != nil || len(e.Alignment) != 0 || e.Alignment == nil {
		t.Errorf("empty copy = %+v, %v", e, err)
	}
}

func TestCopyScenario_Errors(t *testing.T) {
	p := movePlan()
	s := p.Scenario(1)
	for name, tc := range map[string]struct {
		name string
		code string
	}{
		"empty":                {"", planner.EINVALID},
		"spaces":               {" \t ", planner.EINVALID},
		"61 characters":        {strings.Repeat("é", 61), planner.EINVALID},
		"taken":                {"Current", planner.ECONFLICT},
		"taken, case + spaces": {"  oTHER ", planner.ECONFLICT},
	} {
		if _, err := p.CopyScenario(s, tc.name); planner.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want code %q", name, err, tc.code)
		}
	}
	if _, err := p.CopyScenario(nil, "X"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("nil scenario: %v", err)
	}
	if c, err := p.CopyScenario(s, strings.Repeat("é", 60)); err != nil || c.Name != strings.Repeat("é", 60) {
		t.Errorf("60 characters: %v", err)
	}
	_, err := p.CopyScenario(s, "current")
	if msg := planner.ErrorMessage(err); msg != `A scenario named "Current" already exists` {
		t.Errorf("message %q", msg)
	}
}

func TestNextScenarioName(t *testing.T) {
	p := movePlan()
	if got := p.NextScenarioName(" Balanced draft "); got != "Balanced draft 1" {
		t.Errorf("first = %q", got)
	}
	p.Scenarios = append(p.Scenarios,
		planner.Scenario{ID: 3, Name: " balanced DRAFT 1"}, planner.Scenario{ID: 4, Name: "Balanced draft 3"})
	if got := p.NextScenarioName("Balanced draft"); got != "Balanced draft 2" {
		t.Errorf("with 1 and 3 taken = %q", got)
	}
	if got := p.NextScenarioName(""); got != "Scenario 1" {
		t.Errorf("empty prefix = %q", got)
	}
	long := strings.Repeat("ü", 70)
	got := p.NextScenarioName(long)
	if want := strings.Repeat("ü", 58) + " 1"; got != want {
		t.Errorf("long prefix = %q, want %q", got, want)
	}
	if _, err := p.CopyScenario(p.Scenario(1), got); err != nil {
		t.Errorf("CopyScenario refuses NextScenarioName's %q: %v", got, err)
	}
}

// totalsByID returns the ComputeMetrics totals of each territory of s by
// ID, with the white space under 0.
func totalsByID(p *planner.Plan, s *planner.Scenario) map[int64]planner.Totals {
	m := planner.ComputeMetrics(p, s)
	out := map[int64]planner.Totals{0: m.WhiteSpace}
	for _, t := range m.Territories {
		out[t.Territory.ID] = t.Totals
	}
	return out
}

// checkAddsUp checks that the report's moves add up to the change of
// every territory's metrics: after − before = in − out, for units,
// accounts, population and potential, where match maps each territory of
// before to its territory in after (absent: gone) and 0 to 0. It also
// checks the report's totals and pairs against its lists.
func checkAddsUp(t *testing.T, p *planner.Plan, before, after *planner.Scenario, match map[int64]int64, r planner.ChangeReport) {
	t.Helper()
	type flow struct {
		units, accounts       int
		population, potential float64
	}
	in, out := map[int64]*flow{}, map[int64]*flow{}
	get := func(m map[int64]*flow, id int64) *flow {
		if m[id] == nil {
			m[id] = &flow{}
		}
		return m[id]
	}
	var pop, pot float64
	pairs := map[[2]int64]planner.PairFlow{}
	for _, u := range r.Units {
		get(in, u.To).units++
		get(out, u.From).units++
		f := pairs[[2]int64{u.From, u.To}]
		f.Units++
		if u.Population.Known {
			get(in, u.To).population += u.Population.Value
			get(out, u.From).population += u.Population.Value
			pop += u.Population.Value
			f.Population += u.Population.Value
		}
		pairs[[2]int64{u.From, u.To}] = f
	}
	for _, a := range r.Accounts {
		get(in, a.To).accounts++
		get(out, a.From).accounts++
		f := pairs[[2]int64{a.From, a.To}]
		f.Accounts++
		if a.Potential.Known {
			get(in, a.To).potential += a.Potential.Value
			get(out, a.From).potential += a.Potential.Value
			pot += a.Potential.Value
			f.Potential += a.Potential.Value
		}
		pairs[[2]int64{a.From, a.To}] = f
	}
	if r.UnitsMoved != len(r.Units) || r.AccountsMoved != len(r.Accounts) || r.PopulationMoved != pop || r.PotentialMoved != pot {
		t.Errorf("report totals %d units, %d accounts, population %v, potential %v; lists give %d, %d, %v, %v",
			r.UnitsMoved, r.AccountsMoved, r.PopulationMoved, r.PotentialMoved, len(r.Units), len(r.Accounts), pop, pot)
	}
	if len(r.ByPair) != len(pairs) {
		t.Errorf("%d pairs, want %d", len(r.ByPair), len(pairs))
	}
	for i, f := range r.ByPair {
		w := pairs[[2]int64{f.From, f.To}]
		if f.Units != w.Units || f.Accounts != w.Accounts || f.Population != w.Population || f.Potential != w.Potential {
			t.Errorf("pair %d→%d = %+v, lists give %+v", f.From, f.To, f, w)
		}
		if i > 0 && r.ByPair[i-1].Potential < f.Potential {
			t.Errorf("pairs not by potential descending: %+v", r.ByPair)
		}
	}

	b, a := totalsByID(p, before), totalsByID(p, after)
	check := func(what string, bt, at planner.Totals, in, out *flow) {
		if in == nil {
			in = &flow{}
		}
		if out == nil {
			out = &flow{}
		}
		near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
		if at.Units-bt.Units != in.units-out.units || at.Accounts-bt.Accounts != in.accounts-out.accounts ||
			!near(at.Population-bt.Population, in.population-out.population) ||
			!near(at.Potential-bt.Potential, in.potential-out.potential) {
			t.Errorf("%s: before %+v, after %+v, in %+v, out %+v", what, bt, at, *in, *out)
		}
	}
	name := func(s *planner.Scenario, id int64) string {
		if t := s.Territory(id); t != nil {
			return t.Name
		}
		return "white space"
	}
	seen := map[int64]bool{}
	for bid, bt := range b {
		aid, ok := match[bid]
		if bid == 0 {
			aid, ok = 0, true
		}
		if !ok { // gone: compared with zero, nothing can have moved in
			check(name(before, bid)+" (gone)", bt, planner.Totals{}, nil, out[bid])
			continue
		}
		seen[aid] = true
		check(name(before, bid), bt, a[aid], in[aid], out[bid])
	}
	for aid, at := range a {
		if !seen[aid] {
			check(name(after, aid)+" (new)", planner.Totals{}, at, in[aid], nil)
		}
	}
}

// cloneScenario returns a deep copy of s with the same IDs: the state of
// a scenario before it is edited in place.
func cloneScenario(s *planner.Scenario) planner.Scenario {
	c := *s
	c.Territories = append([]planner.Territory(nil), s.Territories...)
	c.Alignment = make(map[string]int64, len(s.Alignment))
	for k, v := range s.Alignment {
		c.Alignment[k] = v
	}
	return c
}

// The optimiser's result replaces the alignment in place: territories are
// matched by ID, even when renamed.
func TestCompareAlignments_InPlace(t *testing.T) {
	p := movePlan()
	before := cloneScenario(p.Scenario(1))
	s := p.Scenario(1)
	// u2 A→B, u4 B→white space, u6 white space→A, u5 white space→D (new);
	// C's boundary moves from account 4 (u5) to account 7 (u6); B is
	// renamed.
	s.Territories[1].Name = "B renamed"
	s.Territories[2].Boundary = orb.Polygon{rect(5.2, 0.2, 5.8, 0.8)}
	s.Territories = append(s.Territories, planner.Territory{ID: 25, Name: "D"})
	s.Alignment = map[string]int64{"u1": 10, "u2": 11, "u3": 11, "u5": 25, "u6": 10}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r := planner.CompareAlignments(p, &before, s)
	wantUnits := []planner.Move{
		{UnitCode: "u2", UnitName: "Unit u2", ParentName: "State", From: 10, To: 11, FromName: "A", ToName: "B renamed", Population: planner.Known(300)},
		{UnitCode: "u4", UnitName: "Unit u4", ParentName: "State", From: 11, To: 0, FromName: "B", Population: planner.Known(50)},
		{UnitCode: "u5", UnitName: "Unit u5", ParentName: "State", From: 0, To: 25, ToName: "D", Population: planner.Known(70)},
		{UnitCode: "u6", UnitName: "Unit u6", ParentName: "State", From: 0, To: 10, ToName: "A", Population: planner.Unknown},
	}
	if !reflect.DeepEqual(r.Units, wantUnits) {
		t.Errorf("units:\n got %+v\nwant %+v", r.Units, wantUnits)
	}
	wantAccounts := []planner.AccountMove{
		{AccountID: 2, Name: "acc", From: 10, To: 11, FromName: "A", ToName: "B renamed", Potential: planner.Unknown},
		{AccountID: 4, Name: "acc", From: 12, To: 25, FromName: "C", ToName: "D", Potential: planner.Known(5)},
		{AccountID: 5, Name: "acc", From: 0, To: 25, ToName: "D", Potential: planner.Known(8)},
		{AccountID: 7, Name: "acc", From: 0, To: 12, ToName: "C", Potential: planner.Known(100)},
	}
	if !reflect.DeepEqual(r.Accounts, wantAccounts) {
		t.Errorf("accounts:\n got %+v\nwant %+v", r.Accounts, wantAccounts)
	}
	if r.UnitsMoved != 4 || r.AccountsMoved != 4 || r.PotentialMoved != 113 || r.PopulationMoved != 420 {
		t.Errorf("totals: %d units, %d accounts, potential %v, population %v", r.UnitsMoved, r.AccountsMoved, r.PotentialMoved, r.PopulationMoved)
	}
	wantPairs := []planner.PairFlow{
		{From: 0, To: 12, ToName: "C", Accounts: 1, Potential: 100},
		{From: 0, To: 25, ToName: "D", Units: 1, Accounts: 1, Potential: 8, Population: 70},
		{From: 12, To: 25, FromName: "C", ToName: "D", Accounts: 1, Potential: 5},
		{From: 10, To: 11, FromName: "A", ToName: "B renamed", Units: 1, Accounts: 1, Population: 300},
		{From: 11, To: 0, FromName: "B", Units: 1, Population: 50},
		{From: 0, To: 10, ToName: "A", Units: 1},
	}
	if !reflect.DeepEqual(r.ByPair, wantPairs) {
		t.Errorf("pairs:\n got %+v\nwant %+v", r.ByPair, wantPairs)
	}
	checkAddsUp(t, p, &before, s, map[int64]int64{10: 10, 11: 11, 12: 12}, r)

	// Nothing changed, nothing moved.
	if r := planner.CompareAlignments(p, s, s); r.UnitsMoved != 0 || r.AccountsMoved != 0 || r.ByPair != nil || r.Units != nil {
		t.Errorf("same scenario: %+v", r)
	}
}

// The optimiser's result goes into a copy: territories are matched by
// name, and the report's To are the copy's territory IDs.
func TestCompareAlignments_IntoCopy(t *testing.T) {
	p := movePlan()
	c, err := p.CopyScenario(p.Active(), p.NextScenarioName("Balanced draft"))
	if err != nil {
		t.Fatal(err)
	}
	p.Scenarios = append(p.Scenarios, c)
	before, after := p.Scenario(1), p.Scenario(c.ID)
	if r := planner.CompareAlignments(p, before, after); r.UnitsMoved != 0 || r.AccountsMoved != 0 || len(r.ByPair) != 0 {
		t.Fatalf("a fresh copy moved: %+v", r)
	}
	a, b := after.TerritoryByName("A").ID, after.TerritoryByName("B").ID
	after.Territories = append(after.Territories, planner.Territory{ID: 99, Name: "D"})
	// C (drawn) is deleted: account 4 falls back to its unit u5, now in D.
	after.Territories = append(after.Territories[:2], after.Territories[3:]...)
	after.Alignment = map[string]int64{"u1": b, "u2": a, "u3": b, "u4": b, "u5": 99, "u6": a}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r := planner.CompareAlignments(p, before, after)
	codes := make([]string, len(r.Units))
	for i, u := range r.Units {
		codes[i] = u.UnitCode
	}
	if got := strings.Join(codes, " "); got != "u1 u5 u6" {
		t.Errorf("units moved: %s", got)
	}
	if u := r.Units[0]; u.From != 10 || u.To != b || u.FromName != "A" || u.ToName != "B" {
		t.Errorf("u1 = %+v", u)
	}
	ids := make([]int64, len(r.Accounts))
	for i, a := range r.Accounts {
		ids[i] = a.AccountID
	}
	if !reflect.DeepEqual(ids, []int64{1, 4, 5, 7}) {
		t.Errorf("accounts moved: %v", ids)
	}
	if a := r.Accounts[1]; a.From != 12 || a.To != 99 || a.FromName != "C" || a.ToName != "D" {
		t.Errorf("account 4 = %+v", a)
	}
	if r.PotentialMoved != 10+5+8+100 || r.PopulationMoved != 100+70 {
		t.Errorf("potential %v, population %v", r.PotentialMoved, r.PopulationMoved)
	}
	checkAddsUp(t, p, before, after, map[int64]int64{10: a, 11: b}, r)

	// Against another scenario, no name matches: every aligned unit moved.
	r = planner.CompareAlignments(p, p.Scenario(2), after)
	checkAddsUp(t, p, p.Scenario(2), after, map[int64]int64{}, r)
	if r.UnitsMoved != 6 {
		t.Errorf("%d units moved from Other, want 6", r.UnitsMoved)
	}
}

// Matching prefers IDs: a territory renamed to another's former name is
// still itself.
func TestCompareAlignments_IDBeforeName(t *testing.T) {
	p := movePlan()
	before := cloneScenario(p.Scenario(1))
	s := p.Scenario(1)
	s.Territories[0].Name, s.Territories[1].Name = "B", "A" // swap names only
	r := planner.CompareAlignments(p, &before, s)
	if r.UnitsMoved != 0 || r.AccountsMoved != 0 {
		t.Errorf("swapped names moved %d units, %d accounts", r.UnitsMoved, r.AccountsMoved)
	}
	if r := planner.CompareAlignments(nil, s, s); r.Units != nil {
		t.Errorf("nil plan: %+v", r)
	}
}
