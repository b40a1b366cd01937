package planner_test

import (
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// namedPlan is smallPlan with its accounts located and account "c" (in
// u3, territory B) named to territory A.
func namedPlan(t *testing.T) *planner.Plan {
	t.Helper()
	p := smallPlan()
	if _, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil); err != nil {
		t.Fatal(err)
	}
	p.Scenarios[0].NamedAccounts = map[int64]int64{3: 1}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// A named account belongs to its territory whatever its geography, and
// its figures count there and not in its geographic territory.
func TestNamedAccountOwner(t *testing.T) {
	p := namedPlan(t)
	s := p.Active()
	if got, geo := s.AccountTerritories(p), s.GeographicTerritories(p); got[2] != 1 || geo[2] != 2 || got[0] != 1 || got[3] != 0 {
		t.Errorf("owners %v, geographic %v", got, geo)
	}
	if id := s.AccountTerritory(&p.Accounts[2]); id != 1 {
		t.Errorf("AccountTerritory(c) = %d", id)
	}
	m := planner.ComputeMetrics(p, s)
	a, b := m.Territories[0], m.Territories[1]
	// A: a (10) and c (30), with b's potential unknown; B: no account left.
	if a.Accounts != 3 || a.Potential != 40 || b.Accounts != 0 || b.Potential != 0 || b.Units != 1 || m.DrawnAccounts != 1 {
		t.Errorf("A %+v\nB %+v", a.Totals, b.Totals)
	}
	// Balancing moves units: c's potential no longer goes with u3.
	if v := planner.QuantityPotential.UnitValues(p, s); v[2] != 0 || v[0] != 10 {
		t.Errorf("unit potentials %v", v)
	}
	// For one segment (only c): A has c, B nothing.
	seg := planner.ComputeSegmentMetrics(p, s, "Only c", []bool{false, false, true, false, false})
	if seg.Segment != "Only c" || seg.Territories[0].Accounts != 1 || seg.Territories[0].Potential != 30 || seg.Territories[1].Accounts != 0 || seg.Total.Accounts != 1 {
		t.Errorf("segment metrics %+v", seg)
	}
	// A copy of the scenario names c to the copy of A.
	c, err := p.CopyScenario(s, "Copy")
	if err != nil {
		t.Fatal(err)
	}
	if c.NamedAccounts[3] != c.Territories[0].ID || c.Territories[0].ID == 1 {
		t.Errorf("copy: named %v, territories %+v", c.NamedAccounts, c.Territories)
	}
}

func TestNamedAccountValidate(t *testing.T) {
	for name, bad := range map[string]map[int64]int64{
		"unknown account":   {99: 1},
		"unknown territory": {3: 7},
	} {
		p := namedPlan(t)
		p.Scenarios[0].NamedAccounts = bad
		if err := p.Validate(); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A re-import keeps a named account that it matches by external ID; one
// that deletes the account drops its override.
func TestNamedAccountReimport(t *testing.T) {
	p := namedPlan(t)
	for i := range p.Accounts {
		p.Accounts[i].ExternalID = p.Accounts[i].Name
	}
	res := impMust(t, impTable(t, "ID,Name,Beds\nc,c,35\na,a,10\n"), planner.ImportOptions{})
	q, rep, err := p.WithImport(res, planner.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || q.Active().NamedAccounts[3] != 1 || q.Accounts[2].Potential != planner.Known(35) {
		t.Errorf("kept: report %+v, named %v, c %+v", rep, q.Active().NamedAccounts, q.Accounts[2])
	}
	res = impMust(t, impTable(t, "ID,Name,Beds\na,a,10\n"), planner.ImportOptions{})
	q, _, err = p.WithImport(res, planner.MergeOptions{DeleteRemoved: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Active().NamedAccounts) != 0 || len(p.Active().NamedAccounts) != 1 {
		t.Errorf("after deleting c: %v (original %v)", q.Active().NamedAccounts, p.Active().NamedAccounts)
	}
}

func TestLevels(t *testing.T) {
	s := &planner.Scenario{Name: "S", Regions: []planner.Region{{ID: 1, Name: "US"}, {ID: 2, Name: "East", ParentID: 1}, {ID: 3, Name: "NE", ParentID: 2}}}
	if got := s.LevelNames(); len(got) != 4 || got[0] != "Region" || got[1] != "Area" || got[2] != "Level 3" || got[3] != "Territory" {
		t.Errorf("LevelNames = %q", got)
	}
	if d := s.RegionDepth(3); d != 2 {
		t.Errorf("depth = %d", d)
	}
	if err := planner.CheckLevels(s); err != nil {
		t.Error(err)
	}
	s.Levels = []string{"Region", "Territory"}
	if err := planner.CheckLevels(s); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("3 deep in 2 levels: %v", err)
	}
	for _, bad := range [][]string{{"One"}, {"A", " a "}, {"A", ""}, {"1", "2", "3", "4", "5", "6", "7"}} {
		if err := planner.CheckLevels(&planner.Scenario{Name: "S", Levels: bad}); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Members without a tier are counted apart when their metric is unknown:
// by threshold A ≥ 20, B ≥ 8 on potentials 10, unknown, 30, 5, 7.
func TestTierNoMetric(t *testing.T) {
	p := smallPlan()
	g := &planner.Segment{ID: 1, Name: "All", Tiers: &planner.Tiering{Metric: "Potential", Tiers: []planner.Tier{{Name: "A", Value: 20}, {Name: "B", Value: 8}}}}
	m, err := p.SegmentMembers(g)
	if err != nil {
		t.Fatal(err)
	}
	if m.Members != 5 || m.TierSizes[0] != 1 || m.TierSizes[1] != 1 || m.NoMetric != 1 {
		t.Errorf("members %d, tiers %v, no metric %d", m.Members, m.TierSizes, m.NoMetric)
	}
}

func TestRuleWarnings(t *testing.T) {
	p := smallPlan()
	p.SegmentName = "Type"
	p.CustomFields = []planner.CustomField{{Name: "Employees", Numeric: true}, {Name: "Notes"}}
	for rule, want := range map[string]int{
		"Beds > 5 and Type = 'X'":                0,
		"Beds > abc":                             1,
		"Type > 5 or Employees in (3, many)":     2,
		"Notes > 5 and ZIP > 30000 and Name = 1": 0,
		"":                                       0,
	} {
		r, err := planner.ParseRule(rule)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.RuleWarnings(r); len(got) != want {
			t.Errorf("%q: %q, want %d warnings", rule, got, want)
		}
	}
	r, _ := planner.ParseRule("Beds > abc")
	if got := p.RuleWarnings(r); got[0] != `Beds holds numbers, and "abc" is not one: Beds > 'abc' matches no account with a value` {
		t.Errorf("%q", got[0])
	}
}
