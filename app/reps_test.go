package app

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/geocode"
)

// storedPlan reads the plan file after every queued edit was written.
func storedPlan(t *testing.T, m *Meridian) *planner.Plan {
	t.Helper()
	m.session.writer.flush()
	return loadPlan(t, m.session.db.Path)
}

// addTestRep adds a rep through the Add rep dialog and waits for the
// derive that follows.
func addTestRep(t *testing.T, m *Meridian, derived chan struct{}, name, email, home string) planner.Rep {
	t.Helper()
	m.rv.showRepForm(nil)
	f := m.rv.form
	f.name.SetText(name)
	f.email.SetText(email)
	f.home.SetText(home)
	if f.save.Disabled() {
		t.Fatalf("Save disabled for %s: %s", name, f.problem.Text)
	}
	f.submit()
	waitDerived(t, derived)
	return m.session.plan.Reps[len(m.session.plan.Reps)-1]
}

// Add a rep with the dialog (validation messages while typing), see it in
// the table and the plan file, undo it; edit it; delete it and undo the
// deletion, which restores its territory lines.
func TestRepAddEditDelete(t *testing.T) {
	m, derived := editingMeridian(t)
	v := m.rv
	if rows, cols := v.table.Length(); rows != 0 || cols != 9 || v.label.Text != noRepsText {
		t.Fatalf("empty roster: %d×%d, label %q", rows, cols, v.label.Text)
	}
	if !v.edit.Disabled() || !v.del.Disabled() || v.add.Disabled() {
		t.Error("buttons: edit and delete need a selected rep, add does not")
	}
	v.showRepForm(nil)
	f := v.form
	if !f.save.Disabled() || !strings.Contains(f.problem.Text, "name") {
		t.Errorf("empty form: save disabled %v, problem %q", f.save.Disabled(), f.problem.Text)
	}
	f.name.SetText("  Ann   Lee ")
	f.email.SetText("ann.lee@example.com")
	f.role.SetText("Account Executive")
	f.manager.SetText("Dana Fox")
	f.start.SetText("2026-13-01")
	if !f.save.Disabled() || !strings.Contains(f.problem.Text, "Start date") {
		t.Errorf("bad date: problem %q", f.problem.Text)
	}
	f.start.SetText("2026-03-01")
	f.home.SetText("99999")
	if !f.save.Disabled() || !strings.Contains(f.problem.Text, "99999") {
		t.Errorf("unknown ZIP: problem %q", f.problem.Text)
	}
	f.home.SetText("10001") // Manhattan
	f.capacity.SetText("9000")
	if !f.save.Disabled() || !strings.Contains(f.problem.Text, "capacity") {
		t.Errorf("capacity 9000: problem %q", f.problem.Text)
	}
	f.capacity.SetText("1,500")
	f.cost.SetText("$95,000")
	if f.save.Disabled() {
		t.Fatalf("valid form refused: %s", f.problem.Text)
	}
	if !strings.HasPrefix(f.homeNote.Text, "ZIP 10001: longitude -73.9") {
		t.Errorf("home note %q", f.homeNote.Text)
	}
	f.submit()
	waitDerived(t, derived)

	want := []string{"Ann Lee", "", "Dana Fox", "Account Executive", "10001", "2026-03-01", "1,500", "95,000", "ann.lee@example.com"}
	for c, w := range want {
		if got := v.cellText(0, c); got != w {
			t.Errorf("column %s = %q, want %q", repColumns[c].title, got, w)
		}
	}
	if !strings.HasPrefix(v.label.Text, "1 rep · 0 of 9 territories") {
		t.Errorf("label %q", v.label.Text)
	}
	p := storedPlan(t, m)
	if len(p.Reps) != 1 {
		t.Fatalf("plan file has %d reps", len(p.Reps))
	}
	r := p.Reps[0]
	if r.ID != 1 || r.Name != "Ann Lee" || !r.HasHome || r.HomeZIP != "10001" || math.Abs(r.HomeBase.Lon()+73.99) > 0.05 || math.Abs(r.HomeBase.Lat()-40.75) > 0.05 ||
		!r.Start.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || r.CapacityHours != 1500 || r.AnnualCost != 95000 {
		t.Errorf("stored rep %+v", r)
	}
	m.undo()
	waitDerived(t, derived)
	if rows, _ := v.table.Length(); rows != 0 || len(storedPlan(t, m).Reps) != 0 {
		t.Errorf("undo left %d rows, %d stored reps", rows, len(storedPlan(t, m).Reps))
	}
	m.redo()
	waitDerived(t, derived)

	// Edit: typed coordinates replace the ZIP; an empty capacity is the default.
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	if v.edit.Disabled() || v.del.Disabled() {
		t.Fatal("edit and delete disabled with a rep selected")
	}
	v.edit.OnTapped()
	f = v.form
	if f.name.Text != "Ann Lee" || f.home.Text != "10001" || f.capacity.Text != "1500" {
		t.Errorf("edit form shows %q %q %q", f.name.Text, f.home.Text, f.capacity.Text)
	}
	f.home.SetText("-118.2437, 34.0522")
	f.capacity.SetText("")
	f.role.SetText("Senior AE")
	f.submit()
	waitDerived(t, derived)
	if got := v.cellText(0, 4); got != "-118.2437, 34.0522" {
		t.Errorf("home = %q", got)
	}
	if got := v.cellText(0, 6); got != "default (1,600)" {
		t.Errorf("capacity = %q", got)
	}
	if r := storedPlan(t, m).Reps[0]; r.Role != "Senior AE" || r.HomeZIP != "" || r.HomeBase.Lon() != -118.2437 || r.CapacityHours != 0 {
		t.Errorf("edited rep stored as %+v", r)
	}

	// Delete, then undo: the rep and its territory lines come back.
	s := m.session
	pacific, mountain := territoryID(t, s, "Pacific"), territoryID(t, s, "Mountain")
	v.setCoverage(pacific, []planner.Assignment{{RepID: 1, Share: 60}, {Share: 40}})
	waitDerived(t, derived)
	v.setCoverage(mountain, []planner.Assignment{{RepID: 1, Share: 100}})
	waitDerived(t, derived)
	if got := v.cellText(0, 1); got != "Mountain, Pacific 60%" && got != "Pacific 60%, Mountain" {
		t.Errorf("territories = %q", got)
	}
	v.deleteRep(1)
	waitDerived(t, derived)
	if len(s.plan.Reps) != 0 {
		t.Fatal("rep not deleted")
	}
	if got := s.territory(pacific).Reps; !slices.Equal(got, []planner.Assignment{{Share: 60}, {Share: 40}}) {
		t.Errorf("Pacific after delete: %+v", got)
	}
	p = storedPlan(t, m)
	if len(p.Reps) != 0 || !slices.Equal(p.Active().Territory(mountain).Reps, []planner.Assignment{{Share: 100}}) {
		t.Errorf("stored after delete: reps %d, Mountain %+v", len(p.Reps), p.Active().Territory(mountain).Reps)
	}
	m.undo()
	waitDerived(t, derived)
	wantPacific := []planner.Assignment{{RepID: 1, Share: 60}, {Share: 40}}
	if len(s.plan.Reps) != 1 || !slices.Equal(s.territory(pacific).Reps, wantPacific) || !slices.Equal(s.territory(mountain).Reps, []planner.Assignment{{RepID: 1, Share: 100}}) {
		t.Errorf("undo delete: reps %d, Pacific %+v, Mountain %+v", len(s.plan.Reps), s.territory(pacific).Reps, s.territory(mountain).Reps)
	}
	p = storedPlan(t, m)
	if len(p.Reps) != 1 || p.Reps[0].Role != "Senior AE" || !slices.Equal(p.Active().Territory(pacific).Reps, wantPacific) ||
		!slices.Equal(p.Active().Territory(mountain).Reps, []planner.Assignment{{RepID: 1, Share: 100}}) {
		t.Errorf("stored after undo: %+v, Pacific %+v", p.Reps, p.Active().Territory(pacific).Reps)
	}
	if got := p.RepNames(p.Active().Territory(pacific)); got != "Ann Lee 60%, TBH 40%" {
		t.Errorf("Pacific covered by %q", got)
	}
}

// The Assign dialog: a 60/40 split, then a TBH with a planned start; shares
// that do not total 100 keep OK disabled and say why; the quick button
// gives the whole territory to one rep.
func TestAssignDialog(t *testing.T) {
	m, derived := editingMeridian(t)
	ann := addTestRep(t, m, derived, "Ann Lee", "ann@example.com", "")
	bob := addTestRep(t, m, derived, "Bob Ray", "bob@example.com", "")
	s, v := m.session, m.rv
	pacific := territoryID(t, s, "Pacific")
	m.ed.activeID = pacific
	v.assign.OnTapped()
	f := v.assignDlg
	if f.territory.Selected != "Pacific" || len(f.lines) != 0 || f.ok.Disabled() {
		t.Fatalf("dialog opened on %q with %d lines, OK disabled %v", f.territory.Selected, len(f.lines), f.ok.Disabled())
	}
	f.addLine(planner.Assignment{Share: 60})
	f.addLine(planner.Assignment{Share: 30})
	f.lines[0].rep.SetSelected(repChoice(&ann))
	f.lines[1].rep.SetSelected(repChoice(&bob))
	if !f.ok.Disabled() || !strings.Contains(f.total.Text, "The shares total 90%; they must total 100%") {
		t.Errorf("90%%: OK disabled %v, %q", f.ok.Disabled(), f.total.Text)
	}
	f.lines[1].share.SetText("40")
	if f.ok.Disabled() || f.total.Text != "✓ Shares total 100%." {
		t.Errorf("100%%: OK disabled %v, %q", f.ok.Disabled(), f.total.Text)
	}
	if !f.lines[0].start.Disabled() {
		t.Error("a named rep's planned start is editable")
	}
	f.submit()
	waitDerived(t, derived)
	want := []planner.Assignment{{RepID: ann.ID, Share: 60}, {RepID: bob.ID, Share: 40}}
	if got := s.territory(pacific).Reps; !slices.Equal(got, want) {
		t.Errorf("in memory %+v", got)
	}
	if got := storedPlan(t, m).Active().Territory(pacific).Reps; !slices.Equal(got, want) {
		t.Errorf("stored %+v", got)
	}

	// Bob's 40% becomes a vacancy starting 2027-01-15.
	v.showAssign(pacific)
	f = v.assignDlg
	if len(f.lines) != 2 || f.lines[1].share.Text != "40" {
		t.Fatalf("dialog shows %d lines", len(f.lines))
	}
	f.lines[1].rep.SetSelected(tbhChoice)
	if f.lines[1].start.Disabled() {
		t.Error("a vacancy's planned start is disabled")
	}
	f.lines[1].start.SetText("15/01/2027")
	if !f.ok.Disabled() || !strings.Contains(f.total.Text, "YYYY-MM-DD") {
		t.Errorf("bad date: %q", f.total.Text)
	}
	f.lines[1].start.SetText("2027-01-15")
	f.submit()
	waitDerived(t, derived)
	start := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	want = []planner.Assignment{{RepID: ann.ID, Share: 60}, {Share: 40, PlannedStart: start}}
	p := storedPlan(t, m)
	if got := p.Active().Territory(pacific).Reps; len(got) != 2 || got[0] != want[0] || got[1].RepID != 0 || got[1].Share != 40 || !got[1].PlannedStart.Equal(start) {
		t.Errorf("stored %+v", got)
	}
	if got := p.RepNames(p.Active().Territory(pacific)); got != "Ann Lee 60%, TBH from 2027-01-15 40%" {
		t.Errorf("Pacific covered by %q", got)
	}
	if got := m.table.cellText(8, 1); !strings.Contains(got, "Ann Lee") {
		t.Errorf("territory table rep column = %q", got)
	}

	// Quick: the whole of Pacific to Bob, one click; undo restores the split.
	v.showAssign(pacific)
	f = v.assignDlg
	f.whole.SetSelected(repChoice(&bob))
	if f.give.Text != "Give the whole territory to Bob Ray" || f.give.Disabled() {
		t.Errorf("quick button %q disabled %v", f.give.Text, f.give.Disabled())
	}
	f.give.OnTapped()
	waitDerived(t, derived)
	if got := storedPlan(t, m).Active().Territory(pacific).Reps; !slices.Equal(got, []planner.Assignment{{RepID: bob.ID, Share: 100}}) {
		t.Errorf("after quick give: %+v", got)
	}
	m.undo()
	waitDerived(t, derived)
	if got := storedPlan(t, m).Active().Territory(pacific).Reps; len(got) != 2 || got[0] != want[0] {
		t.Errorf("after undo: %+v", got)
	}
}

// Import the Maven CRM sales team file: its name column (sales_agent) is
// chosen by hand, the manager column is guessed; 35 reps with managers.
func TestImportRosterMaven(t *testing.T) {
	m, derived := editingMeridian(t)
	m.importRosterFile("testdata/sales_teams.csv")
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	ri := m.rv.importer
	if ri == nil {
		t.Fatal("no mapping dialog")
	}
	if got := ri.selects[planner.RosterManager].Selected; got != "manager" {
		t.Errorf("manager column guessed as %q", got)
	}
	if ri.selects[planner.RosterName].Selected == importNone {
		if !ri.run.Disabled() || !strings.Contains(ri.note.Text, "name column") {
			t.Errorf("without a name column: Import disabled %v, note %q", ri.run.Disabled(), ri.note.Text)
		}
		ri.selects[planner.RosterName].SetSelected("sales_agent")
	}
	if ri.run.Disabled() {
		t.Fatalf("Import disabled: %s", ri.note.Text)
	}
	ri.start()
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if ri.res.Rows != 35 || len(ri.res.Reps) != 35 || ri.merge.Added != 35 || len(ri.res.Problems) != 0 {
		t.Errorf("read %d rows, %d reps, added %d, problems %v", ri.res.Rows, len(ri.res.Reps), ri.merge.Added, ri.res.Problems)
	}
	if !strings.Contains(ri.summary, "35 added, 0 updated") {
		t.Errorf("summary %q", ri.summary)
	}
	ri.apply()
	waitDerived(t, derived)
	check := func(reps []planner.Rep, where string) {
		t.Helper()
		if len(reps) != 35 {
			t.Fatalf("%s: %d reps", where, len(reps))
		}
		managers := map[string]int{}
		for _, r := range reps {
			if r.Manager == "" {
				t.Errorf("%s: %s has no manager", where, r.Name)
			}
			managers[r.Manager]++
		}
		if reps[0].Name != "Anna Snelling" || reps[0].Manager != "Dustin Brinkmann" || len(managers) != 6 {
			t.Errorf("%s: first rep %+v, %d managers", where, reps[0], len(managers))
		}
	}
	check(m.session.plan.Reps, "in memory")
	check(storedPlan(t, m).Reps, "plan file")
	if rows, _ := m.rv.table.Length(); rows != 35 || m.rv.cellText(0, 2) != "Dustin Brinkmann" {
		t.Errorf("table: %d rows, manager %q", rows, m.rv.cellText(0, 2))
	}
	// Importing it again changes nothing.
	snapBefore := slices.Clone(m.session.plan.Reps)
	m.undo()
	waitDerived(t, derived)
	if len(m.session.plan.Reps) != 0 || len(storedPlan(t, m).Reps) != 0 {
		t.Errorf("undo left %d reps", len(m.session.plan.Reps))
	}
	m.redo()
	waitDerived(t, derived)
	if !slices.Equal(m.session.plan.Reps, snapBefore) || len(storedPlan(t, m).Reps) != 35 {
		t.Error("redo did not restore the imported roster")
	}
}

// parseHome reads coordinates (lon, lat) and postal codes, and refuses
// positions out of range.
func TestParseHome(t *testing.T) {
	if _, p, has, _, err := parseHome(" -87.6, 41.9 ", nil); err != nil || !has || p[0] != -87.6 || p[1] != 41.9 {
		t.Errorf("lon, lat: %v %v %v", p, has, err)
	}
	if _, _, _, _, err := parseHome("41.9, -187.6", nil); err == nil {
		t.Error("longitude -187.6 accepted")
	}
	if _, _, has, _, err := parseHome("", nil); err != nil || has {
		t.Errorf("empty: %v %v", has, err)
	}
	if _, _, _, _, err := parseHome("10001", nil); err == nil {
		t.Error("a ZIP without a geocoder accepted")
	}
	// With the US gazetteer: a ZIP, a city and state, and neither.
	gc, err := geocode.New("US")
	if err != nil {
		t.Fatal(err)
	}
	if zip, p, has, _, err := parseHome("10001", gc); err != nil || !has || zip != "10001" || math.Abs(p[1]-40.75) > 0.05 {
		t.Errorf("ZIP 10001: %q %v %v %v", zip, p, has, err)
	}
	if zip, p, has, note, err := parseHome("Portland, OR", gc); err != nil || !has || zip != "" || math.Abs(p[0]+122.68) > 0.2 || math.Abs(p[1]-45.52) > 0.2 {
		t.Errorf("Portland, OR: %q %v %v %q %v", zip, p, has, note, err)
	}
	if _, _, _, _, err := parseHome("Qqqzzx, ZZ", gc); err == nil || !strings.Contains(err.Error(), "neither a postal code nor a city") {
		t.Errorf("Qqqzzx: %v", err)
	}
}

// The optimizer's "Start each territory at its rep's home county": off
// (disabled) without homes; with Pacific's lead rep living in Phoenix
// (Maricopa County, Arizona, 04013, today in Mountain), the seed pins
// Maricopa to Pacific in the balanced alignment.
func TestOptimizeSeedsFromHomes(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	f := m.newOptimizeForm(s)
	if !f.homes.Disabled() || f.homes.Text != "Start each territory at its rep's home county" {
		t.Errorf("without reps: check %q disabled %v", f.homes.Text, f.homes.Disabled())
	}
	ann := addTestRep(t, m, derived, "Ann Lee", "ann@example.com", "-112.074, 33.448") // Phoenix
	bob := addTestRep(t, m, derived, "Bob Ray", "bob@example.com", "85004")            // Phoenix too
	pacific, mountain := territoryID(t, s, "Pacific"), territoryID(t, s, "Mountain")
	m.rv.setCoverage(pacific, []planner.Assignment{{RepID: ann.ID, Share: 100}})
	waitDerived(t, derived)
	m.rv.setCoverage(mountain, []planner.Assignment{{RepID: bob.ID, Share: 100}})
	waitDerived(t, derived)
	if s.scenario.Alignment["04013"] != mountain {
		t.Fatalf("Maricopa is in territory %d", s.scenario.Alignment["04013"])
	}
	// Both live in Maricopa: the first territory in order (Mountain) keeps it.
	if got := homeSeeds(s.plan, s.scenario); len(got) != 1 || got["04013"] != mountain {
		t.Errorf("seeds %v", got)
	}
	m.rv.setCoverage(mountain, nil)
	waitDerived(t, derived)
	if got := homeSeeds(s.plan, s.scenario); len(got) != 1 || got["04013"] != pacific {
		t.Errorf("seeds %v, want 04013 in Pacific", got)
	}

	f = m.newOptimizeForm(s)
	if f.homes.Disabled() {
		t.Fatal("check disabled with a lead rep at home")
	}
	f.homes.SetChecked(true)
	f.result.SetSelected(resultReplace)
	req, err := f.request(s)
	if err != nil || !req.seedHomes {
		t.Fatalf("request %+v, %v", req, err)
	}
	req.opt.Effort = testEffort
	m.runOptimize(req)
	if err := waitLongTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitDerived(t, derived)
	if got := s.scenario.Alignment["04013"]; got != pacific {
		t.Errorf("after balancing, Maricopa is in %d, want Pacific %d", got, pacific)
	}
	m.lastReport.dialog.Hide()
	f.territories.SetText("12")
	f.result.SetSelected(resultNewScenario)
	if _, err := f.request(s); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("seeds with 12 territories: %v", err)
	}
}
