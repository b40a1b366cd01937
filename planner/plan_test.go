package planner_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// square returns a 1×1 degree square multipolygon with its south-west corner
// at (lon, lat).
func square(lon, lat float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}}}}
}

// smallPlan has four units in a row, two territories (A: u1, u2; B: u3),
// u4 unassigned and without population, and five accounts.
func smallPlan() *planner.Plan {
	return &planner.Plan{
		Name: "Small", PotentialName: "Beds",
		Units: []planner.GeographyUnit{
			{Code: "u1", Name: "One", Population: planner.Known(100), Geometry: square(0, 0)},
			{Code: "u2", Name: "Two", Population: planner.Known(300), Geometry: square(1, 0)},
			{Code: "u3", Name: "Three", Population: planner.Known(200), Geometry: square(2, 0)},
			{Code: "u4", Name: "Four", Population: planner.Unknown, Geometry: square(3, 0)},
		},
		Accounts: []planner.Account{
			{ID: 1, Name: "a", Location: orb.Point{0.5, 0.5}, HasLocation: true, Potential: planner.Known(10)},
			{ID: 2, Name: "b", Location: orb.Point{1.5, 0.5}, HasLocation: true, Potential: planner.Unknown},
			{ID: 3, Name: "c", Location: orb.Point{2.5, 0.5}, HasLocation: true, Potential: planner.Known(30)},
			{ID: 4, Name: "d", Location: orb.Point{3.5, 0.5}, HasLocation: true, Potential: planner.Known(5)},
			{ID: 5, Name: "e", Potential: planner.Known(7)},
		},
		Reps: []planner.Rep{{ID: 1, Name: "Ada"}},
		Scenarios: []planner.Scenario{{
			ID: 1, Name: "Base",
			Territories: []planner.Territory{{ID: 1, Name: "A", Color: "#4E79A7", Reps: []planner.Assignment{{RepID: 1, Share: 100}}}, {ID: 2, Name: "B", Color: "#F28E2B"}},
			Alignment:   map[string]int64{"u1": 1, "u2": 1, "u3": 2},
		}},
		ActiveScenario: 1,
	}
}

func TestLocateAndMetrics(t *testing.T) {
	p := smallPlan()
	r, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r != (planner.LocateReport{Inside: 4, NoLocation: 1}) {
		t.Fatalf("report = %+v", r)
	}
	if got := []string{p.Accounts[0].UnitCode, p.Accounts[1].UnitCode, p.Accounts[2].UnitCode, p.Accounts[3].UnitCode, p.Accounts[4].UnitCode}; fmt.Sprint(got) != "[u1 u2 u3 u4 ]" {
		t.Fatalf("units = %q", got)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m := planner.ComputeMetrics(p, p.Active())
	a, b := m.Territories[0], m.Territories[1]
	if a.Units != 2 || a.Accounts != 2 || a.Population != 400 || a.Potential != 10 || a.PotentialMissing != 1 || a.RepName != "Ada" {
		t.Errorf("A = %+v", a)
	}
	if b.Units != 1 || b.Accounts != 1 || b.Population != 200 || b.Potential != 30 || b.RepName != "" {
		t.Errorf("B = %+v", b)
	}
	// Means over the two territories: units 1.5, accounts 1.5, population 300, potential 20.
	if m.Mean != (planner.Figures{Units: 1.5, Accounts: 1.5, Population: 300, Potential: 20}) {
		t.Errorf("mean = %+v", m.Mean)
	}
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	if d := a.Deviation; !near(d.Units, 100.0/3) || !near(d.Population, 100.0/3) || !near(d.Potential, -50) {
		t.Errorf("A deviation = %+v", d)
	}
	if d := b.Deviation; !near(d.Units, -100.0/3) || !near(d.Population, -100.0/3) || !near(d.Potential, 50) {
		t.Errorf("B deviation = %+v", d)
	}
	w := m.WhiteSpace
	if w.Units != 1 || w.Accounts != 2 || w.Population != 0 || w.PopulationMissing != 1 || w.Potential != 12 || m.UnlocatedAccounts != 1 {
		t.Errorf("white space = %+v, unlocated %d", w, m.UnlocatedAccounts)
	}
	if tot := m.Total; tot.Units != 4 || tot.Accounts != 5 || tot.Population != 600 || tot.Potential != 52 {
		t.Errorf("total = %+v", tot)
	}
	if got := m.MaxAbsDeviation(func(f planner.Figures) float64 { return f.Potential }); got != 50 {
		t.Errorf("max abs potential deviation = %v", got)
	}
}

func TestLocateSnapsToNearestUnit(t *testing.T) {
	p := smallPlan()
	// 0.02° (2.2 km) south of u1, and 1° (111 km) south of it.
	accounts := []planner.Account{
		{ID: 1, Location: orb.Point{0.5, -0.02}, HasLocation: true},
		{ID: 2, Location: orb.Point{0.5, -1}, HasLocation: true},
		{ID: 3, Location: orb.Point{500, 0}, HasLocation: true},
	}
	r, err := planner.LocateAccounts(t.Context(), p.Units, accounts, planner.DefaultSnapKm, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r != (planner.LocateReport{Nearest: 1, Outside: 2}) {
		t.Fatalf("report = %+v", r)
	}
	if accounts[0].UnitCode != "u1" || accounts[0].Placement != planner.PlacedNearest || accounts[1].UnitCode != "" || accounts[1].Placement != planner.PlacedNone {
		t.Fatalf("accounts = %+v", accounts)
	}
}

func TestLocateCancelled(t *testing.T) {
	p := smallPlan()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := planner.LocateAccounts(ctx, p.Units, p.Accounts, 0, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(p *planner.Plan)
		want string
	}{
		"no name":           {func(p *planner.Plan) { p.Name = "" }, "The plan has no name"},
		"duplicate unit":    {func(p *planner.Plan) { p.Units[1].Code = "u1" }, `Geography unit code "u1" appears twice`},
		"unknown unit":      {func(p *planner.Plan) { p.Accounts[0].UnitCode = "zz" }, `Account "a" is in unit "zz", which the plan does not have`},
		"duplicate account": {func(p *planner.Plan) { p.Accounts[1].ID = 1 }, `Account 2 ("b") has a missing or duplicate ID 1`},
		"bad location":      {func(p *planner.Plan) { p.Accounts[0].Location = orb.Point{math.NaN(), 0} }, `Account "a" has an invalid location [NaN 0]`},
		"no scenario":       {func(p *planner.Plan) { p.Scenarios = nil }, "The plan has no scenario"},
		"alien territory":   {func(p *planner.Plan) { p.Scenarios[0].Alignment["u4"] = 9 }, `Scenario "Base" aligns unit "u4" to territory 9, which is not in that scenario`},
		"unknown rep": {func(p *planner.Plan) {
			p.Scenarios[0].Territories[1].Reps = []planner.Assignment{{RepID: 7, Share: 100}}
		}, `Territory "B" names rep 7, which the plan does not have`},
		"bad placement":   {func(p *planner.Plan) { p.Accounts[0].UnitCode, p.Accounts[0].Placement = "u1", planner.PlacedNone }, `Account "a" has placement "none" with unit "u1"`},
		"unknown active":  {func(p *planner.Plan) { p.ActiveScenario = 5 }, "The active scenario 5 is not in the plan"},
		"blank territory": {func(p *planner.Plan) { p.Scenarios[0].Territories[1].Name = "  " }, `Scenario "Base" has an empty or duplicate territory name "  "`},
		"duplicate name":  {func(p *planner.Plan) { p.Scenarios[0].Territories[1].Name = "A" }, `Scenario "Base" has an empty or duplicate territory name "A"`},
	} {
		t.Run(name, func(t *testing.T) {
			p := smallPlan()
			tc.edit(p)
			err := p.Validate()
			if planner.ErrorCode(err) != planner.EINVALID || planner.ErrorMessage(err) != tc.want {
				t.Fatalf("err = %v (code %q), want %q", err, planner.ErrorCode(err), tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("open: %w", &planner.Error{Code: planner.ENOTPLAN, Message: "x.txt is not a Meridian plan", Err: errors.New("bad header")})
	if planner.ErrorCode(err) != planner.ENOTPLAN || planner.ErrorMessage(err) != "x.txt is not a Meridian plan" {
		t.Fatalf("code %q message %q", planner.ErrorCode(err), planner.ErrorMessage(err))
	}
	if planner.ErrorCode(errors.New("boom")) != planner.EINTERNAL || planner.ErrorCode(nil) != "" {
		t.Fatal("codes of plain errors")
	}
	if planner.Known(3).String() != "3" || planner.Unknown.String() != "no data" {
		t.Fatal("Measure.String")
	}
}
