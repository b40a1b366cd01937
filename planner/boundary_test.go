package planner_test

import (
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// A drawn boundary takes the accounts inside it, whatever their unit, and
// only those: its units' population stays geographic.
func TestDrawnBoundaryOwnsAccounts(t *testing.T) {
	p := smallPlan()
	if _, err := planner.LocateAccounts(t.Context(), p.Units, p.Accounts, 0, nil); err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	// A third territory drawn around account c (2.5, 0.5, unit u3 of B)
	// and d (3.5, 0.5, white space unit u4), with a hole around nothing.
	s.Territories = append(s.Territories, planner.Territory{ID: 3, Name: "Drawn", Color: "#59A14F",
		Boundary: orb.Polygon{
			{{2.2, 0.2}, {3.8, 0.2}, {3.8, 0.8}, {2.2, 0.8}, {2.2, 0.2}},
			{{3.0, 0.6}, {3.1, 0.6}, {3.1, 0.7}, {3.0, 0.7}, {3.0, 0.6}},
		}})
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	m := planner.ComputeMetrics(p, s)
	a, b, d := m.Territories[0], m.Territories[1], m.Territories[2]
	if a.Accounts != 2 || a.Potential != 10 {
		t.Errorf("A = %+v", a.Totals)
	}
	// B keeps its unit and population but loses account c (potential 30).
	if b.Units != 1 || b.Population != 200 || b.Accounts != 0 || b.Potential != 0 {
		t.Errorf("B = %+v", b.Totals)
	}
	if d.Units != 0 || d.Accounts != 2 || d.Potential != 35 {
		t.Errorf("Drawn = %+v", d.Totals)
	}
	if m.DrawnAccounts != 2 || m.WhiteSpace.Accounts != 1 || m.UnlocatedAccounts != 1 {
		t.Errorf("drawn %d, white space %+v, unlocated %d", m.DrawnAccounts, m.WhiteSpace, m.UnlocatedAccounts)
	}
	if m.Total.Accounts != 5 || m.Total.Potential != 52 {
		t.Errorf("total = %+v", m.Total)
	}
	got := s.AccountTerritories(p)
	want := []int64{1, 1, 3, 3, 0}
	for i := range want {
		if got[i] != want[i] || s.AccountTerritory(&p.Accounts[i]) != want[i] {
			t.Errorf("account %d: territory %d / %d, want %d", i+1, got[i], s.AccountTerritory(&p.Accounts[i]), want[i])
		}
	}
}

func TestValidateDrawnBoundary(t *testing.T) {
	for name, b := range map[string]orb.Polygon{
		"too few points": {{{0, 0}, {1, 0}, {0, 0}}},
		"open ring":      {{{0, 0}, {1, 0}, {1, 1}, {0, 1}}},
		"off the globe":  {{{0, 0}, {181, 0}, {1, 1}, {0, 0}}},
	} {
		p := smallPlan()
		p.Scenarios[0].Territories[1].Boundary = b
		err := p.Validate()
		if planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
