package app

import (
	"encoding/csv"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/balance"
)

// testEffort shortens the optimizer's search in tests (balance.Options.Effort):
// the figures asserted hold for any result.
const testEffort = 0.05

// waitLongTask waits (up to 5 minutes: the optimizer on a busy machine)
// for the next task of m to end and returns its error.
func waitLongTask(t *testing.T, m *Meridian) error {
	t.Helper()
	select {
	case err := <-taskEnds[m]:
		return err
	case <-time.After(5 * time.Minute):
		t.Fatal("no task ended within 5 minutes")
		return nil
	}
}

// balanceRow returns the row of the Balance table that shows territory
// name.
func balanceRow(t *testing.T, m *Meridian, name string) int {
	t.Helper()
	for i, r := range m.bv.report.Rows {
		if r.Territory.Name == name {
			return i
		}
	}
	t.Fatalf("no row %q in the Balance table", name)
	return -1
}

// The Balance tab shows the sample's 9 territories with planner.Balance's
// figures; with targets by capacity, Pacific's capacity 2 doubles its
// share; undo restores capacity 1 in memory and in the plan file.
func TestBalanceTab(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	if rows, cols := m.bv.table.Length(); rows != 9 || cols != 10 {
		t.Fatalf("Balance table is %d×%d, want 9 rows × 10 columns (2 quantities)", rows, cols)
	}
	qs := []planner.Quantity{planner.QuantityPotential, planner.QuantityPopulation}
	want := planner.Balance(s.plan, s.scenario, qs, false, s.graph)
	row := balanceRow(t, m, "Pacific")
	w := want.Rows[row]
	wantCells := []string{"Pacific", "1",
		formatCount(w.Value[0]), formatCount(w.Target[0]), formatPercent(w.Deviation[0]),
		formatCount(w.Value[1]), formatCount(w.Target[1]), formatPercent(w.Deviation[1]),
		"1", formatScore(w.PolsbyPopper)}
	for col, c := range wantCells {
		if got := m.bv.cellText(row, col); got != c {
			t.Errorf("Pacific column %d (%s) = %q, want %q", col, m.bv.columns[col].title, got, c)
		}
	}
	// Census 2024: Pacific has 53,848,093 people, +42.5% over the mean.
	if got := m.bv.cellText(row, 5); got != "53,848,093" || m.bv.cellText(row, 7) != "+42.5%" {
		t.Errorf("Pacific population %q, %q", got, m.bv.cellText(row, 7))
	}
	if !strings.Contains(m.bv.summary.Text, "9 of 9 territories contiguous · Polsby-Popper mean 0.24, min 0.02") {
		t.Errorf("summary = %q", m.bv.summary.Text)
	}
	if !strings.HasPrefix(m.bv.summary.Text, "Potential (Beds): max |deviation| 75.6%") {
		t.Errorf("summary = %q", m.bv.summary.Text)
	}

	pacific := territoryID(t, s, "Pacific")
	// A tap on Pacific's capacity makes it active and asks for its capacity.
	m.bv.table.Select(widget.TableCellID{Row: row, Col: 1})
	if m.ed.activeID != pacific {
		t.Errorf("active territory %d after the tap, want Pacific %d", m.ed.activeID, pacific)
	}
	if top := m.win.Canvas().Overlays().Top(); top == nil {
		t.Error("no capacity dialog after a tap on the capacity cell")
	} else {
		m.win.Canvas().Overlays().Remove(top)
	}
	m.setCapacity(pacific, 2)
	waitDerived(t, derived)
	if got := m.bv.cellText(row, 1); got != "2" {
		t.Errorf("capacity cell %q after setting 2", got)
	}
	if got := m.bv.report.Rows[row].Target[1]; math.Abs(got-w.Target[1]) > 1e-6 {
		t.Errorf("with targets by the mean the capacity changed Pacific's target: %v, want %v", got, w.Target[1])
	}
	m.bv.targets.SetSelected(targetsByCapacity)
	waitDerived(t, derived)
	total := 0.0
	for _, r := range want.Rows {
		total += r.Value[1]
	}
	r := m.bv.report.Rows[row]
	if wantT := total * 2 / 10; math.Abs(r.Target[1]-wantT) > 1e-6 || m.bv.cellText(row, 6) != formatCount(wantT) {
		t.Errorf("by capacity Pacific's population target is %v (%q), want %v", r.Target[1], m.bv.cellText(row, 6), wantT)
	}
	if got := m.bv.report.Rows[0].Target[1]; math.Abs(got-total/10) > 1e-6 {
		t.Errorf("New England's target %v, want %v", got, total/10)
	}
	m.session.writer.flush()
	if c := loadPlan(t, s.db.Path).Active().Territory(pacific).Capacity; c != 2 {
		t.Errorf("plan file: capacity %v, want 2", c)
	}

	m.undo()
	waitDerived(t, derived)
	if tr := s.territory(pacific); tr.CapacityOf() != 1 || tr.Capacity != 0 {
		t.Errorf("after undo the capacity is %v (%v), want 1", tr.CapacityOf(), tr.Capacity)
	}
	m.session.writer.flush()
	if tr := loadPlan(t, s.db.Path).Active().Territory(pacific); tr.CapacityOf() != 1 || tr.Capacity != 0 {
		t.Errorf("plan file after undo: capacity %v", tr.Capacity)
	}
	if got := m.bv.report.Rows[row].Target[1]; math.Abs(got-total/9) > 1e-6 {
		t.Errorf("after undo Pacific's target %v, want %v", got, total/9)
	}

	// Unticking potential leaves population alone in the table.
	m.bv.checks[1].SetChecked(false)
	waitDerived(t, derived)
	if _, cols := m.bv.table.Length(); cols != 7 || m.bv.columns[2].title != "Population" {
		t.Errorf("%d columns, third %q", cols, m.bv.columns[2].title)
	}
}

// Capacities typed by the user.
func TestParseCapacity(t *testing.T) {
	for in, want := range map[string]float64{"2": 2, " 1.5 ": 1.5, "0,75": 0.75, "": 0, "0": 0} {
		if got, err := parseCapacity(in); err != nil || got != want {
			t.Errorf("parseCapacity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"-1", "x", "NaN", "Inf", "1001"} {
		if _, err := parseCapacity(in); err == nil {
			t.Errorf("parseCapacity(%q) accepted", in)
		}
	}
}

// alignmentByName maps each unit code to its territory's name in sc.
func alignmentByName(sc *planner.Scenario) map[string]string {
	out := map[string]string{}
	for code, id := range sc.Alignment {
		if tr := sc.Territory(id); tr != nil {
			out[code] = tr.Name
		}
	}
	return out
}

// Optimising into a new scenario stores it in the plan file and makes it
// active; the change report counts every unit whose territory changed and
// the potential of the accounts it lists.
func TestOptimizeIntoNewScenario(t *testing.T) {
	m, _ := editingMeridian(t)
	s := m.session
	f := m.newOptimizeForm(s)
	if f.territories.Text != "9" || f.seed.Text != "1" || f.name.Text != "Balanced draft 1" || f.result.Selected != resultNewScenario {
		t.Errorf("defaults: %q territories, seed %q, name %q, %q", f.territories.Text, f.seed.Text, f.name.Text, f.result.Selected)
	}
	req, err := f.request(s)
	if err != nil {
		t.Fatal(err)
	}
	wantTargets := []balance.Target{{Quantity: planner.QuantityPotential, Tolerance: 0.05, Weight: 1}, {Quantity: planner.QuantityPopulation, Tolerance: 0.05, Weight: 1}}
	if len(req.opt.Targets) != 2 || req.opt.Targets[0] != wantTargets[0] || req.opt.Targets[1] != wantTargets[1] ||
		req.opt.Territories != 0 || req.opt.Seed != 1 || req.opt.Disruption != 0 || !req.intoNew || req.name != "Balanced draft 1" {
		t.Fatalf("request %+v", req)
	}
	before := alignmentByName(s.scenario)
	req.opt.Effort = testEffort
	m.runOptimize(req)
	if err := waitLongTask(t, m); err != nil { // the optimizer
		t.Fatal(err)
	}
	if err := waitTask(t, m); err != nil { // opening the new scenario
		t.Fatal(err)
	}
	ns := m.session
	if ns == s || ns.scenario.Name != "Balanced draft 1" || len(ns.plan.Scenarios) != 2 || m.ed.scenario.Selected != "Balanced draft 1" {
		t.Fatalf("active scenario %q of %d; selector %q", ns.scenario.Name, len(ns.plan.Scenarios), m.ed.scenario.Selected)
	}
	stored := loadPlan(t, ns.db.Path)
	if a := stored.Active(); a.Name != "Balanced draft 1" || len(a.Territories) != 9 || stored.ScenarioNamed("Census divisions") == nil {
		t.Fatalf("plan file: active %q with %d territories", a.Name, len(a.Territories))
	}
	after := alignmentByName(stored.Active())
	moved := 0
	for code, name := range before {
		if after[code] != name {
			moved++
		}
	}
	cr := m.lastReport
	if cr == nil {
		t.Fatal("no change report")
	}
	if moved == 0 || cr.changes.UnitsMoved != moved || len(cr.changes.Units) != moved {
		t.Errorf("report: %d units moved, want %d", cr.changes.UnitsMoved, moved)
	}
	sum := 0.0
	for _, a := range cr.changes.Accounts {
		if a.Potential.Known {
			sum += a.Potential.Value
		}
	}
	if math.Abs(sum-cr.changes.PotentialMoved) > 1e-6 || sum == 0 {
		t.Errorf("potential moved %v, accounts listed sum to %v", cr.changes.PotentialMoved, sum)
	}
	if len(cr.moves) != cr.changes.UnitsMoved+cr.changes.AccountsMoved || !strings.HasPrefix(cr.summary, "Units moved: "+formatCount(float64(moved))) {
		t.Errorf("report text: %d lines, %q", len(cr.moves), cr.summary)
	}
	cr.dialog.Hide()

	// Save as CSV: one row per move; names that look like formulas are text.
	r := cr.changes
	r.Units = append(r.Units, planner.Move{UnitCode: "X", UnitName: "=HYPERLINK(\"x\")", FromName: "-West", ToName: "+East"})
	path := filepath.Join(t.TempDir(), "changes.csv")
	if err := writeChangesCSV(path, ns.plan, r); err != nil {
		t.Fatal(err)
	}
	b, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	recs, err := csv.NewReader(b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(r.Units)+len(r.Accounts) || recs[0][7] != "Beds" {
		t.Fatalf("%d records, header %q", len(recs), recs[0])
	}
	last := recs[len(r.Units)]
	if last[2] != "'=HYPERLINK(\"x\")" || last[4] != "'-West" || last[5] != "'+East" {
		t.Errorf("formula-like cells %q", last)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("CSV mode %v, %v", fi.Mode(), err)
	}
}

// Replacing the alignment is one undoable edit: undo restores the previous
// alignment exactly, in memory and in the plan file.
func TestOptimizeReplaceUndo(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	f := m.newOptimizeForm(s)
	f.result.SetSelected(resultReplace)
	f.disruption.SetSelectedIndex(2) // 10% of units
	f.rows[0].check.SetChecked(false)
	f.rows[1].check.SetChecked(false)
	f.rows[2].check.SetChecked(true) // population only
	req, err := f.request(s)
	if err != nil {
		t.Fatal(err)
	}
	if req.intoNew || req.opt.Disruption != 0.10 || len(req.opt.Targets) != 1 || req.opt.Targets[0].Quantity != planner.QuantityPopulation {
		t.Fatalf("request %+v", req)
	}
	old := maps.Clone(s.scenario.Alignment)
	req.opt.Effort = testEffort
	m.runOptimize(req)
	if err := waitLongTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitDerived(t, derived)
	if m.session != s {
		t.Fatal("replacing opened another session")
	}
	moved := 0
	for code, id := range old {
		if s.scenario.Alignment[code] != id {
			moved++
		}
	}
	if moved == 0 || moved != m.lastReport.changes.UnitsMoved || moved > len(old)/10 {
		t.Errorf("%d units moved (report %d), limit %d", moved, m.lastReport.changes.UnitsMoved, len(old)/10)
	}
	s.writer.flush()
	if got := loadPlan(t, s.db.Path).Active().Alignment; !maps.Equal(got, s.scenario.Alignment) {
		t.Error("plan file differs from the balanced alignment")
	}
	m.lastReport.dialog.Hide()
	m.undo()
	waitDerived(t, derived)
	if !maps.Equal(s.scenario.Alignment, old) {
		t.Error("undo did not restore the alignment in memory")
	}
	s.writer.flush()
	if got := loadPlan(t, s.db.Path).Active().Alignment; !maps.Equal(got, old) {
		t.Error("undo did not restore the alignment in the plan file")
	}
	// A new number of territories cannot replace the alignment.
	f.territories.SetText("12")
	if _, err := f.request(s); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("12 territories in place: %v", err)
	}
}

// Repair contiguity joins a far county painted into Pacific back to its
// neighbours; undo puts it back.
func TestRepairContiguity(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	pacific := territoryID(t, s, "Pacific")
	cook := s.plan.UnitIndex()["17031"]
	m.setActiveByName("Pacific")
	m.setSelection([]int{cook})
	m.assignSelection()
	waitDerived(t, derived)
	row := balanceRow(t, m, "Pacific")
	if p := m.bv.report.Rows[row].Parts; p != 2 {
		t.Fatalf("Pacific with Cook County in %d pieces, want 2", p)
	}
	m.repairContiguity()
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitDerived(t, derived)
	if p := m.bv.report.Rows[row].Parts; p != 1 {
		t.Errorf("after repair Pacific is in %d pieces", p)
	}
	if got := s.scenario.Alignment["17031"]; got != territoryID(t, s, "East North Central") {
		t.Errorf("Cook County repaired into %d", got)
	}
	// Falls Church city, Virginia (51610), has no shape in the sample's
	// county map: it is no piece of South Atlantic's.
	if m.bv.report.Contiguous != 9 || m.status.Text != "Moved 1 county so that every territory is in one piece. Edit > Undo puts them back." {
		t.Errorf("%d contiguous; status %q", m.bv.report.Contiguous, m.status.Text)
	}
	m.undo()
	waitDerived(t, derived)
	if got := s.scenario.Alignment["17031"]; got != pacific {
		t.Errorf("after undo Cook County is in %d, want Pacific", got)
	}
	if got := storedAlignment(t, m, "17031"); got != pacific {
		t.Errorf("plan file after undo: Cook County in %d", got)
	}
	m.redo()
	waitDerived(t, derived)
	if got := s.scenario.Alignment["17031"]; got != territoryID(t, s, "East North Central") {
		t.Errorf("after redo Cook County is in %d", got)
	}
	m.repairContiguity()
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if m.status.Text != "Every territory is in one piece." {
		t.Errorf("status %q", m.status.Text)
	}
}

// Scenarios: a copy becomes active; the active and the last scenario
// cannot be deleted; switching, renaming and deleting (undoably) work in
// memory and in the plan file.
func TestScenarios(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	orig := s.scenario.ID
	if err := m.deleteScenario(orig); planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(err.Error(), "only scenario") {
		t.Errorf("deleting the only scenario: %v", err)
	}
	if err := m.newScenarioCopy("census divisions"); planner.ErrorCode(err) != planner.ECONFLICT {
		t.Errorf("a copy with a taken name: %v", err)
	}
	if err := m.newScenarioCopy("  Copy A "); err != nil {
		t.Fatal(err)
	}
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	s = m.session
	copyID := s.scenario.ID
	if s.scenario.Name != "Copy A" || copyID == orig || m.ed.scenario.Selected != "Copy A" || len(m.ed.scenario.Options) != 2 {
		t.Fatalf("active %q (%d); selector %q of %q", s.scenario.Name, copyID, m.ed.scenario.Selected, m.ed.scenario.Options)
	}
	if !strings.Contains(m.status.Text, "Undo history starts afresh") {
		t.Errorf("status %q", m.status.Text)
	}
	if items := m.scenarioMenu.Items; len(items) != 6 || items[4].Label != "Census divisions" || items[4].Checked || !items[5].Checked {
		t.Errorf("Scenario menu %d items", len(items))
	}
	if err := m.deleteScenario(copyID); planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(err.Error(), "active") {
		t.Errorf("deleting the active scenario: %v", err)
	}

	// Switch back, as the selector does (calling SetSelected here would
	// race the task's end: the test driver runs fyne.Do at once, on the
	// task's goroutine).
	m.switchScenarioByName("Census divisions")
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	s = m.session
	if s.scenario.ID != orig || loadPlan(t, s.db.Path).Active().ID != orig || m.ed.scenario.Selected != "Census divisions" {
		t.Fatalf("after switching back the active scenario is %d", s.scenario.ID)
	}

	if err := m.renameScenario(orig, "copy a"); planner.ErrorCode(err) != planner.ECONFLICT {
		t.Errorf("renaming to a taken name: %v", err)
	}
	if err := m.renameScenario(orig, "Divisions 2024"); err != nil {
		t.Fatal(err)
	}
	waitDerived(t, derived)
	if s.scenario.Name != "Divisions 2024" || m.ed.scenario.Selected != "Divisions 2024" || !strings.HasPrefix(m.summary.Text, "Scenario: Divisions 2024") {
		t.Errorf("renamed: %q, selector %q", s.scenario.Name, m.ed.scenario.Selected)
	}
	s.writer.flush()
	if got := loadPlan(t, s.db.Path).Scenario(orig).Name; got != "Divisions 2024" {
		t.Errorf("plan file: name %q", got)
	}

	if err := m.deleteScenario(copyID); err != nil {
		t.Fatal(err)
	}
	waitDerived(t, derived)
	s.writer.flush()
	if p := loadPlan(t, s.db.Path); len(p.Scenarios) != 1 || len(s.plan.Scenarios) != 1 || s.scenario.ID != orig || len(m.ed.scenario.Options) != 1 {
		t.Errorf("after delete: %d scenarios in the file, %d in memory", len(p.Scenarios), len(s.plan.Scenarios))
	}
	m.undo() // the deletion
	waitDerived(t, derived)
	s.writer.flush()
	p := loadPlan(t, s.db.Path)
	if len(p.Scenarios) != 2 || p.Scenarios[1].ID != copyID || len(p.Scenarios[1].Alignment) != len(s.scenario.Alignment) || len(s.plan.Scenarios) != 2 {
		t.Errorf("after undoing the delete: %d scenarios", len(p.Scenarios))
	}
	m.undo() // the rename
	waitDerived(t, derived)
	s.writer.flush()
	if got := loadPlan(t, s.db.Path).Scenario(orig).Name; got != "Census divisions" || s.scenario.Name != "Census divisions" {
		t.Errorf("after undoing the rename: %q / %q", got, s.scenario.Name)
	}
}

// The chart draws one bar per territory and quantity from the zero line,
// right for positive deviations, as long as the deviation on a symmetric
// axis; bars beyond the tolerance are marked.
func TestBarChart(t *testing.T) {
	test.NewTempApp(t)
	c := newBarChart()
	c.set([]string{"North", "South"}, []barSeries{{"Population", quantityColor(planner.QuantityPopulation)}, {"Accounts", quantityColor(planner.QuantityAccounts)}},
		[][]float64{{10, -3}, {0, -20}}, 5)
	c.Resize(fyne.NewSize(500, 200))
	r := test.WidgetRenderer(c).(*barChartRenderer)
	if r.extent != 20 {
		t.Fatalf("extent %v, want 20", r.extent)
	}
	x0, w := r.plot(500)
	zero := x0 + w/2
	near := func(a, b float32) bool { return math.Abs(float64(a-b)) < 0.01 }
	for _, tc := range []struct {
		row, k int
		left   float32
		width  float32
		mark   bool
	}{
		{0, 0, zero, w / 2 * 10 / 20, true},
		{0, 1, zero - w/2*3/20, w / 2 * 3 / 20, false},
		{1, 0, zero, 0, false},
		{1, 1, zero - w/2, w / 2, true},
	} {
		b := r.bars[tc.row][tc.k]
		if !near(b.Position().X, tc.left) || !near(b.Size().Width, tc.width) {
			t.Errorf("bar %d/%d at %v width %v, want %v width %v", tc.row, tc.k, b.Position().X, b.Size().Width, tc.left, tc.width)
		}
		if (r.marks[tc.row][tc.k] != nil) != tc.mark || (b.StrokeWidth > 0) != tc.mark {
			t.Errorf("bar %d/%d marked %v, want %v", tc.row, tc.k, r.marks[tc.row][tc.k] != nil, tc.mark)
		}
		if b.FillColor != c.series[tc.k].color {
			t.Errorf("bar %d/%d colour %v", tc.row, tc.k, b.FillColor)
		}
	}
	if r.bars[1][0].Position().Y <= r.bars[0][1].Position().Y {
		t.Error("rows are not stacked downwards")
	}
	if !near(r.band.Position().X, zero-w/2*5/20) || !near(r.band.Size().Width, w/2*10/20) {
		t.Errorf("band at %v width %v", r.band.Position().X, r.band.Size().Width)
	}
	var ticks []string
	for _, tx := range r.ticks {
		ticks = append(ticks, tx.Text)
	}
	if strings.Join(ticks, " ") != "−20% −10% 0% +10% +20%" {
		t.Errorf("ticks %q", ticks)
	}
	if ms := r.MinSize(); ms.Height < 2*r.rowHeight()+chartLegendH {
		t.Errorf("min size %v", ms)
	}
	for _, tc := range []struct {
		max, tol, want float64
	}{{3, 2, 5}, {84.4, 5, 100}, {12, 10, 20}, {0, 0, 5}, {130, 5, 200}} {
		if got := chartExtent([][]float64{{tc.max}}, tc.tol); got != tc.want {
			t.Errorf("chartExtent(%v, %v) = %v, want %v", tc.max, tc.tol, got, tc.want)
		}
	}
}

// A plan with a numeric custom field (from an imported file) offers it as
// a quantity: a check in the Balance tab, a column with its sums.
func TestBalanceTabCustomField(t *testing.T) {
	m, _ := editingMeridian(t)
	s := m.session
	p := *s.plan
	p.CustomFields = []planner.CustomField{{Name: "Notes"}, {Name: "Staff", Numeric: true}}
	p.Accounts = append([]planner.Account(nil), p.Accounts...)
	for i := range p.Accounts {
		p.Accounts[i].Fields = []string{"", "10"}
	}
	staff := planner.FieldQuantity(1)
	s.plan = &p // derives (after the tick) see the field too
	r := planner.Balance(&p, s.scenario, []planner.Quantity{planner.QuantityPotential, staff}, false, nil)
	m.bv.set(&p, r)
	if n := len(m.bv.checks); n != len(planner.Quantities)+1 || m.bv.checks[n-1].Text != "Staff" || m.bv.checks[n-1].Checked {
		t.Fatalf("%d checks, last %q: want the built-ins and an unticked Staff", n, m.bv.checks[n-1].Text)
	}
	if m.bv.columns[5].title != "Staff" {
		t.Errorf("column 5 is %q, want Staff", m.bv.columns[5].title)
	}
	row := balanceRow(t, m, "Pacific")
	accounts := planner.ComputeMetrics(&p, s.scenario).Territories[row].Accounts
	if got, want := m.bv.cellText(row, 5), formatCount(float64(10*accounts)); got != want {
		t.Errorf("Pacific's staff %q, want %q (10 per account)", got, want)
	}
	m.bv.checks[len(m.bv.checks)-1].SetChecked(true)
	if q := m.bv.query(); !slices.Contains(q.quantities, staff) {
		t.Errorf("query %v lacks Staff after ticking it", q.quantities)
	}
}

// Counties selected with the lasso can be kept in their territories by the
// optimizer: the dialog offers it, and the request carries their codes.
func TestOptimizeLocksSelection(t *testing.T) {
	m, _ := editingMeridian(t)
	s := m.session
	idx := s.plan.UnitIndex()
	m.ed.selection = []int{idx["06037"], idx["36061"]} // Los Angeles, New York
	f := m.newOptimizeForm(s)
	if f.lockSel == nil || !f.lockSel.Checked || f.lockSel.Text != "Keep the 2 counties selected with the lasso in their territories" {
		t.Fatalf("lock check %+v", f.lockSel)
	}
	req, err := f.request(s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(req.opt.LockedUnits, []string{"06037", "36061"}) {
		t.Errorf("locked units %v", req.opt.LockedUnits)
	}
	f.territories.SetText("12")
	if _, err := f.request(s); !strings.Contains(planner.ErrorMessage(err), "Locked territories and units need the same number of territories (9)") {
		t.Errorf("12 territories with locked units: %v", err)
	}
	f.lockSel.SetChecked(false)
	if req, err := f.request(s); err != nil || len(req.opt.LockedUnits) != 0 {
		t.Errorf("unticked: %v %v", req.opt.LockedUnits, err)
	}
	if got := pluralNoun("county"); got != "counties" || pluralNoun("ZIP code") != "ZIP codes" || pluralNoun("day") != "days" {
		t.Errorf("plurals %q", got)
	}
}

// A territory's map label shows its population deviation only when the
// plan has population data.
func TestLabelMetric(t *testing.T) {
	with := planner.TerritoryMetrics{Totals: planner.Totals{Units: 3, Accounts: 1200, Population: 5e6, PopulationMissing: 1}}
	with.Deviation.Population = 12.34
	if got := labelMetric(with); got != "1,200 accts · pop. +12.3%" {
		t.Errorf("with population: %q", got)
	}
	without := planner.TerritoryMetrics{Totals: planner.Totals{Units: 3, Accounts: 7, PopulationMissing: 3}}
	if got := labelMetric(without); got != "7 accts" {
		t.Errorf("without population: %q", got)
	}
	if got, got2 := legendDetail(with), legendDetail(without); got != "1,200 accts · 5,000,000 people (+12.3%)" || got2 != "7 accts" {
		t.Errorf("legend: %q, %q", got, got2)
	}
}
