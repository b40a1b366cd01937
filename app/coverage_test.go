package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
)

// waitCoverage waits for the Coverage tab to show a report.
func waitCoverage(t *testing.T, ch chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatal("no coverage report within 30 s")
	}
}

// coverageMeridian opens the sample and waits for the Coverage tab's
// report.
func coverageMeridian(t *testing.T) (*Meridian, *coverageView, chan struct{}, chan struct{}) {
	t.Helper()
	m, derived := editingMeridian(t)
	v := m.covv
	updated := make(chan struct{}, 16)
	v.updated = func() { updated <- struct{}{} }
	v.set(m.session)
	waitCoverage(t, updated)
	return m, v, updated, derived
}

// TestCoverageTab: on the sample the Coverage tab's headline and list
// hold the 78 Puerto Rico counties among 89 unassigned units; picking one
// zooms the map to it and selects (highlights) it; the check hatches the
// white space; picking an account zooms around it and selects its unit;
// picking a territory highlights its units; assigning the picked unit
// updates the list after the derive.
func TestCoverageTab(t *testing.T) {
	m, v, updated, derived := coverageMeridian(t)
	s := m.session
	if !strings.HasPrefix(v.headline.Text, "White space: 89 units (Puerto Rico 78, ") || !strings.Contains(v.headline.Text, "9 territories without a rep") {
		t.Errorf("headline %q", v.headline.Text)
	}
	if v.choice.Selected != "Unassigned units (89)" || v.list.Length() != 89 {
		t.Fatalf("choice %q, list of %d", v.choice.Selected, v.list.Length())
	}
	pr, first := 0, -1
	for id, e := range v.entries[listUnassignedUnits] {
		u := s.plan.Units[e.unit]
		if u.ParentCode == "72" {
			pr++
			if !strings.Contains(e.text, u.Name+", Puerto Rico ("+u.Code+")") {
				t.Errorf("entry %q for %s", e.text, u.Code)
			}
			if first < 0 {
				first = id
			}
		}
		switch u.Code {
		case "72001", "72009": // no account; one hospital with unknown beds
			if want := map[string]string{"72001": "Adjuntas, Puerto Rico (72001) · 0 accounts", "72009": "Aibonito, Puerto Rico (72009) · 1 account · no Beds data"}[u.Code]; e.text != want {
				t.Errorf("entry %q, want %q", e.text, want)
			}
		}
		if _, ok := s.scenario.Alignment[u.Code]; ok {
			t.Errorf("listed unit %s is aligned", u.Code)
		}
	}
	if pr != 78 {
		t.Errorf("%d Puerto Rico units listed, want 78", pr)
	}

	// Pick a Puerto Rico county: the map zooms onto it and selects it.
	before := m.mapView.View()
	v.list.Select(first)
	unit := v.entries[listUnassignedUnits][first].unit
	after := m.mapView.View()
	if after == before || after.Scale <= before.Scale {
		t.Errorf("view %+v → %+v: no zoom", before, after)
	}
	if b := s.areas[unit].Bound(); !b.Contains(orb.Point(after.Center)) {
		t.Errorf("view centre %v is not in the unit's bound %v", after.Center, b)
	}
	if !slices.Equal(v.highlighted, []int{unit}) || !slices.Equal(m.ed.selection, []int{unit}) || !m.ed.selBar.Visible() {
		t.Errorf("highlighted %v, selection %v", v.highlighted, m.ed.selection)
	}

	// White space on the map.
	v.hatch.SetChecked(true)
	if len(v.hatched) != 89 || !slices.Contains(v.hatched, unit) {
		t.Errorf("hatched %d units", len(v.hatched))
	}
	v.hatch.SetChecked(false)
	if v.hatched != nil {
		t.Errorf("hatch left on %d units", len(v.hatched))
	}

	// An account in white space: zoom around it, select its unit.
	v.show(listWhiteSpaceAccounts)
	if v.list.Length() != 80 || !strings.HasPrefix(v.choice.Selected, "Accounts in white space (80)") {
		t.Fatalf("accounts list: %q, %d", v.choice.Selected, v.list.Length())
	}
	e := v.entries[listWhiteSpaceAccounts][0]
	a := s.plan.Accounts[e.account]
	v.list.Select(0)
	q, _ := s.proj.Point(a.Location)
	if c := m.mapView.View().Center; orb.Point(c) != q {
		t.Errorf("view centre %v, want the account at %v", c, q)
	}
	if e.unit < 0 || s.plan.Units[e.unit].Code != a.UnitCode || !slices.Equal(v.highlighted, []int{e.unit}) {
		t.Errorf("account %s in %s: highlighted %v", a.Name, a.UnitCode, v.highlighted)
	}

	// A territory without a rep: its units highlighted.
	v.show(listNoRep)
	v.list.Select(0)
	ne := 0
	for _, tid := range s.scenario.Alignment {
		if tid == s.scenario.Territories[0].ID {
			ne++
		}
	}
	if len(v.highlighted) != ne || ne != 67 || len(m.ed.selection) != 0 {
		t.Errorf("New England: %d units highlighted, want %d; selection %v", len(v.highlighted), ne, m.ed.selection)
	}

	// Assign the Puerto Rico county to the active territory: the list
	// loses it after the derive.
	v.show(listUnassignedUnits)
	v.list.Select(first)
	m.assignSelection()
	waitDerived(t, derived)
	waitCoverage(t, updated)
	if v.list.Length() != 88 || !strings.HasPrefix(v.headline.Text, "White space: 88 units (Puerto Rico 77, ") {
		t.Errorf("after assigning: %d units, %q", v.list.Length(), v.headline.Text)
	}
	for _, e := range v.entries[listUnassignedUnits] {
		if e.unit == unit {
			t.Error("the assigned unit is still listed")
		}
	}
}

// BenchmarkCoverageEntries measures what the Coverage tab computes off
// the UI thread after every derive on the sample: the planner report and
// the lists' entries.
func BenchmarkCoverageEntries(b *testing.B) {
	p, err := sample.Build(b.Context(), nil)
	if err != nil {
		b.Fatal(err)
	}
	s := p.Active()
	units := p.UnitIndex()
	b.ReportAllocs()
	for b.Loop() {
		r := planner.BuildCoverage(p, s)
		_ = coverageEntries(p, s, &r, units)
	}
}
