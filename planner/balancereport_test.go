package planner_test

import (
	"math"
	"slices"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// fakeShapes reports fixed parts and compactness, and records the groups
// it was given.
type fakeShapes struct{ group []int }

func (f *fakeShapes) Parts(group []int, k int) []int {
	f.group = slices.Clone(group)
	return []int{1, 2}[:k]
}

func (f *fakeShapes) PolsbyPopper(group []int, k int) []float64 { return []float64{0.5, 0.25}[:k] }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestBalanceReport(t *testing.T) {
	p := smallPlan()
	if _, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil); err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	qs := []planner.Quantity{planner.QuantityPopulation, planner.QuantityPotential, planner.QuantityAccounts}
	var f fakeShapes
	r := planner.Balance(p, s, qs, false, &f)
	// A: u1+u2, population 400, potential 10, 2 accounts; B: u3, 200, 30, 1.
	a, b := r.Rows[0], r.Rows[1]
	if !slices.Equal(a.Value, []float64{400, 10, 2}) || !slices.Equal(b.Value, []float64{200, 30, 1}) {
		t.Fatalf("values A %v B %v", a.Value, b.Value)
	}
	if !slices.Equal(a.Target, []float64{300, 20, 1.5}) {
		t.Errorf("targets %v", a.Target)
	}
	wantDev := []float64{100.0 / 3, -50, 100.0 / 3}
	for k := range wantDev {
		if !near(a.Deviation[k], wantDev[k]) || !near(b.Deviation[k], -wantDev[k]) {
			t.Errorf("quantity %d: deviations %v %v", k, a.Deviation[k], b.Deviation[k])
		}
	}
	if !near(r.MaxAbsDeviation[0], 100.0/3) || !near(r.MaxAbsDeviation[1], 50) || !near(r.Spread[0], 200.0/3) || !near(r.Spread[1], 100) {
		t.Errorf("max %v spread %v", r.MaxAbsDeviation, r.Spread)
	}
	if !slices.Equal(f.group, []int{0, 0, 1, -1}) {
		t.Errorf("groups %v", f.group)
	}
	if a.Parts != 1 || b.Parts != 2 || r.Contiguous != 1 || r.PolsbyPopperMean != 0.375 || r.PolsbyPopperMin != 0.25 {
		t.Errorf("parts %d %d contiguous %d PP mean %v min %v", a.Parts, b.Parts, r.Contiguous, r.PolsbyPopperMean, r.PolsbyPopperMin)
	}

	// Targets by capacity: A is planned for two reps, so 400 and 200
	// people are both on target and the spread per rep is 0.
	s.Territories[0].Capacity = 2
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	r = planner.Balance(p, s, qs[:1], true, nil)
	if r.Rows[0].Target[0] != 400 || r.Rows[1].Target[0] != 200 || r.MaxAbsDeviation[0] != 0 || r.Spread[0] != 0 {
		t.Errorf("by capacity: %+v", r)
	}
	if r.Rows[0].Parts != -1 || !math.IsNaN(r.Rows[0].PolsbyPopper) || !math.IsNaN(r.PolsbyPopperMean) {
		t.Errorf("shapes not measured: %+v", r.Rows[0])
	}
	for _, c := range []float64{-1, math.NaN(), math.Inf(1)} {
		s.Territories[0].Capacity = c
		if err := p.Validate(); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("capacity %v: %v", c, err)
		}
	}
}

func TestQuantityUnitValues(t *testing.T) {
	p := smallPlan()
	if _, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil); err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	check := func(q planner.Quantity, want []float64) {
		t.Helper()
		if got := q.UnitValues(p, s); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q.Key(), got, want)
		}
	}
	check(planner.QuantityUnits, []float64{1, 1, 1, 1})
	check(planner.QuantityPopulation, []float64{100, 300, 200, 0})
	check(planner.QuantityAccounts, []float64{1, 1, 1, 1})
	check(planner.QuantityPotential, []float64{10, 0, 30, 5})
	// A drawn boundary around account c takes it out of unit u3.
	s.Territories = append(s.Territories, planner.Territory{ID: 3, Name: "Drawn", Color: "#59A14F",
		Boundary: orb.Polygon{{{2.2, 0.2}, {2.8, 0.2}, {2.8, 0.8}, {2.2, 0.8}, {2.2, 0.2}}}})
	check(planner.QuantityPotential, []float64{10, 0, 0, 5})
	check(planner.QuantityAccounts, []float64{1, 1, 0, 1})
	if q, err := planner.ParseQuantity("potential"); err != nil || q != planner.QuantityPotential {
		t.Errorf("ParseQuantity: %v %v", q, err)
	}
	if _, err := planner.ParseQuantity("beds"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("ParseQuantity(beds): %v", err)
	}
	if got := planner.QuantityPotential.Name(p); got != "Potential (Beds)" {
		t.Errorf("name %q", got)
	}
}

// TestFieldQuantity balances on a numeric custom field (staff), as an
// imported file's columns allow: per unit, per territory (a drawn boundary
// counts), by name on the command line, and text fields refused.
func TestFieldQuantity(t *testing.T) {
	p := smallPlan()
	if _, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil); err != nil {
		t.Fatal(err)
	}
	p.CustomFields = []planner.CustomField{{Name: "Website"}, {Name: "Staff", Numeric: true}}
	staff := []string{"120", "", "80.5", "40", "9"} // b has none
	for i := range p.Accounts {
		p.Accounts[i].Fields = []string{"x.org", staff[i]}
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	qs := planner.PlanQuantities(p)
	if len(qs) != len(planner.Quantities)+1 || qs[len(qs)-1] != planner.FieldQuantity(1) {
		t.Fatalf("PlanQuantities = %v, want the built-ins and Staff", qs)
	}
	q := planner.FieldQuantity(1)
	if q.Name(p) != "Staff" || q.KeyIn(p) != "Staff" {
		t.Errorf("name %q, key %q", q.Name(p), q.KeyIn(p))
	}
	s := p.Active()
	if got := q.UnitValues(p, s); !slices.Equal(got, []float64{120, 0, 80.5, 40}) {
		t.Errorf("unit values %v", got)
	}
	// Territory A has u1 and u2 (120), B has u3 (80.5); u4 is white space.
	r := planner.Balance(p, s, []planner.Quantity{q}, false, nil)
	if a, b := r.Rows[0], r.Rows[1]; a.Value[0] != 120 || b.Value[0] != 80.5 || !near(a.Target[0], 100.25) || !near(a.Deviation[0], 100*(120-100.25)/100.25) {
		t.Errorf("rows %+v %+v", a, b)
	}
	// A boundary drawn around d (unit u4, white space) gives its 40 to territory C.
	s.Territories = append(s.Territories, planner.Territory{ID: 3, Name: "C", Color: "#59A14F",
		Boundary: orb.Polygon{{{3.2, 0.2}, {3.8, 0.2}, {3.8, 0.8}, {3.2, 0.8}, {3.2, 0.2}}}})
	r = planner.Balance(p, s, []planner.Quantity{q}, false, nil)
	if len(r.Rows) != 3 || r.Rows[2].Value[0] != 40 {
		t.Errorf("drawn territory: %+v", r.Rows)
	}
	if got, err := planner.ParseQuantityIn(p, "staff"); err != nil || got != q {
		t.Errorf("ParseQuantityIn(staff) = %v, %v", got, err)
	}
	if _, err := planner.ParseQuantityIn(p, "Website"); planner.ErrorMessage(err) != `"Website" is a custom field with text values; only numeric fields can be balanced` {
		t.Errorf("text field: %v", err)
	}
	if _, err := planner.ParseQuantityIn(p, "beds"); planner.ErrorMessage(err) != `"beds" is not a quantity to balance on: use accounts, potential, population, units or a numeric field (Staff)` {
		t.Errorf("unknown: %v", err)
	}
}

// A custom field named like a built-in quantity is reached by its exact
// spelling; the built-in key by any other.
func TestParseQuantityFieldNamedLikeBuiltin(t *testing.T) {
	p := smallPlan()
	p.CustomFields = []planner.CustomField{{Name: "POPULATION", Numeric: true}}
	if q, err := planner.ParseQuantityIn(p, "POPULATION"); err != nil || q != planner.FieldQuantity(0) {
		t.Errorf("POPULATION = %v, %v; want the custom field", q, err)
	}
	if q, err := planner.ParseQuantityIn(p, "population"); err != nil || q != planner.QuantityPopulation {
		t.Errorf("population = %v, %v; want the units' population", q, err)
	}
}

// Workload is a quantity once the plan has a workload model: per unit it is
// the model's UnitWorkload with travel within the unit, per territory the
// sum over its units.
func TestWorkloadQuantity(t *testing.T) {
	p := smallPlan()
	if _, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := planner.ParseQuantityIn(p, "workload"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("workload without a model: %v", err)
	}
	if slices.Contains(planner.PlanQuantities(p), planner.QuantityWorkload) {
		t.Error("workload offered without a model")
	}
	p.Workload = &planner.WorkloadModel{Rules: []planner.VisitRule{{VisitsPerYear: 10, HoursPerVisit: 2}}}
	q, err := planner.ParseQuantityIn(p, "Workload")
	if err != nil || q != planner.QuantityWorkload || !slices.Contains(planner.PlanQuantities(p), q) {
		t.Fatalf("workload with a model: %v %v", q, err)
	}
	s := p.Active()
	units := q.UnitValues(p, s)
	if want := p.Workload.UnitWorkload(p, nil); !slices.Equal(units, want) {
		t.Errorf("unit values %v, want %v", units, want)
	}
	// One account per unit, travelling from its own location: 10 visits ×
	// 2 hours = 20 hours each, no travel (u2's account has unknown potential
	// but the rule has no threshold).
	for _, u := range units {
		if !near(u, 20) {
			t.Errorf("unit values %v, want 20 each", units)
		}
	}
	// A has u1 and u2, B has u3.
	r := planner.Balance(p, s, []planner.Quantity{q}, false, nil)
	if !near(r.Rows[0].Value[0], 40) || !near(r.Rows[1].Value[0], 20) {
		t.Errorf("territory hours %v, %v; want 40, 20", r.Rows[0].Value[0], r.Rows[1].Value[0])
	}
	if q.Name(p) != "Workload (hours)" || q.KeyIn(p) != "workload" {
		t.Errorf("name %q key %q", q.Name(p), q.KeyIn(p))
	}
}
