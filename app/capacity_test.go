package app

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
)

// waitCapacity waits for the Capacity tab to show a computed plan.
func waitCapacity(t *testing.T, ch chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatal("no capacity plan within 30 s")
	}
}

// The Capacity tab on the sample: without a workload model it explains and
// offers Set up workload…; the dialog sets a tiered model (undoable); the
// table's figures are planner.BuildCapacityPlan's, and each region row sums
// its territories.
func TestCapacityTab(t *testing.T) {
	m, derived := editingMeridian(t)
	v := m.cv
	if v.setup.Hidden || !v.tableBox.Hidden {
		t.Fatal("without a workload model the tab should explain and offer set-up")
	}
	updated := make(chan struct{}, 16)
	v.updated = func() { updated <- struct{}{} }

	v.showWorkloadForm()
	f := v.form
	if f.mode.Selected != workloadByTier || f.ok.Disabled() {
		t.Fatalf("default form: mode %q, OK disabled %v (%s)", f.mode.Selected, f.ok.Disabled(), f.problem.Text)
	}
	f.tiers[1][0].SetText("400") // tier B's minimum above tier A's
	if !f.ok.Disabled() || !strings.Contains(f.problem.Text, "Tier B") {
		t.Errorf("B above A: %q", f.problem.Text)
	}
	f.tiers[1][0].SetText("100")
	f.cap.SetText("0")
	if !f.ok.Disabled() || !strings.Contains(f.problem.Text, "capacity") {
		t.Errorf("capacity 0: %q", f.problem.Text)
	}
	f.cap.SetText("1,500")
	f.submit()
	waitDerived(t, derived)
	waitCapacity(t, updated)

	s := m.session
	wantModel := planner.WorkloadModel{Rules: []planner.VisitRule{
		{MinPotential: 300, VisitsPerYear: 12, HoursPerVisit: 2},
		{MinPotential: 100, VisitsPerYear: 6, HoursPerVisit: 1.5},
		{VisitsPerYear: 4, HoursPerVisit: 1}}, DefaultCapacityHours: 1500}
	stored := storedPlan(t, m).Workload
	if stored == nil || len(stored.Rules) != 3 || stored.Rules[1] != wantModel.Rules[1] || stored.DefaultCapacityHours != 1500 {
		t.Fatalf("stored model %+v", stored)
	}
	if !v.setup.Hidden || v.tableBox.Hidden {
		t.Error("with a model the table should show")
	}
	want := planner.BuildCapacityPlan(s.plan, s.scenario, wantModel)
	nt, nr := len(want.Territories), len(want.Regions)
	if nt != 9 || nr != 4 {
		t.Fatalf("plan has %d territories, %d regions", nt, nr)
	}
	if rows, _ := v.table.Length(); rows != nt+nr+1 {
		t.Fatalf("table has %d rows, want %d", rows, nt+nr+1)
	}
	for i, c := range want.Territories {
		row := v.rows[i]
		if row.sum || row.line.RepsNeeded != c.RepsNeeded || row.line.Hours != c.Hours || v.cellText(i, 0) != c.Name {
			t.Errorf("row %d: %+v, want %+v", i, row.line, c)
		}
		if got := v.cellText(i, 1); got != formatFTE(c.RepsNeeded) {
			t.Errorf("%s reps needed %q, want %q", c.Name, got, formatFTE(c.RepsNeeded))
		}
		if !(c.RepsNeeded > 0) {
			t.Errorf("%s needs %v reps", c.Name, c.RepsNeeded)
		}
	}
	for k, r := range want.Regions {
		row := v.rows[nt+k]
		sum, hire := 0.0, 0
		for _, c := range want.Territories {
			if c.Region == r.Name {
				sum += c.RepsNeeded
				hire += c.ToHire
			}
		}
		if !row.sum || row.line.Name != r.Name || math.Abs(row.line.RepsNeeded-sum) > 1e-9 || row.line.ToHire != hire {
			t.Errorf("region row %s: needed %v to hire %d, territories sum %v / %d", r.Name, row.line.RepsNeeded, row.line.ToHire, sum, hire)
		}
		if got := v.cellText(nt+k, 1); got != formatFTE(sum) {
			t.Errorf("region %s reps needed cell %q, want %q", r.Name, got, formatFTE(sum))
		}
	}
	total := v.rows[nt+nr]
	if total.line.Name != "Total" || math.Abs(total.line.RepsNeeded-want.Total.RepsNeeded) > 1e-9 || total.line.ToHire != want.Total.ToHire {
		t.Errorf("total row %+v", total.line)
	}
	// Nobody is assigned in the sample: every territory needs hires.
	head := "Workload needs " + formatFTE(want.Total.RepsNeeded) + " reps; 0 assigned: hire "
	if !strings.HasPrefix(v.headline.Text, head) || want.Total.ToHire == 0 {
		t.Errorf("headline %q, want prefix %q", v.headline.Text, head)
	}

	// A rep and a vacancy in Pacific change the assigned and open columns:
	// the rep covers Pacific alone, so all her time is there (1), and the
	// vacancy is one more rep.
	rep := addTestRep(t, m, derived, "Ann Lee", "ann@example.com", "")
	waitCapacity(t, updated)
	pacific := territoryID(t, s, "Pacific")
	m.rv.setCoverage(pacific, []planner.Assignment{{RepID: rep.ID, Share: 50}, {Share: 50}})
	waitDerived(t, derived)
	waitCapacity(t, updated)
	i := 8
	if v.cellText(i, 0) != "Pacific" || v.cellText(i, 2) != "1" || v.cellText(i, 3) != "1" {
		t.Errorf("Pacific row: assigned %q, vacancies %q", v.cellText(i, 2), v.cellText(i, 3))
	}
	if !strings.Contains(v.headline.Text, "1 assigned, 1 open (TBH)") {
		t.Errorf("headline %q", v.headline.Text)
	}

	// Undo back to no model.
	m.undo()
	waitDerived(t, derived)
	waitCapacity(t, updated)
	m.undo()
	waitDerived(t, derived)
	waitCapacity(t, updated)
	m.undo()
	waitDerived(t, derived)
	if s.plan.Workload != nil || storedPlan(t, m).Workload != nil || v.setup.Hidden {
		t.Error("undo did not remove the workload model")
	}
}

func TestCapacityHeadline(t *testing.T) {
	sc := &planner.Scenario{Regions: []planner.Region{{ID: 1, Name: "West"}, {ID: 2, Name: "South"}, {ID: 3, Name: "Pacific NW", ParentID: 1}}}
	cp := planner.CapacityPlan{
		Regions: []planner.CapacityLine{{Name: "Pacific NW", ToHire: 2}, {Name: "South", ToHire: 2}, {Name: "West", ToHire: 3}},
		Total:   planner.CapacityLine{Name: "Total", RepsNeeded: 41.26, RepsAssigned: 35, Vacancies: 2, ToHire: 5},
	}
	if got, want := capacityHeadline(cp, sc), "Workload needs 41.3 reps; 35 assigned, 2 open (TBH): hire 5 (West 3, South 2)"; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
	cp.Total = planner.CapacityLine{RepsNeeded: 3.5, RepsAssigned: 4, Gap: -0.5}
	if got, want := capacityHeadline(cp, sc), "Workload needs 3.5 reps; 4 assigned: no hire needed (0.5 reps of spare capacity)"; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
	if formatGap(2.25) != "+2.3" || formatGap(-0.04) != "0" || formatGap(-1) != "−1" {
		t.Errorf("formatGap: %q %q %q", formatGap(2.25), formatGap(-0.04), formatGap(-1))
	}
}
