package app

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// settle waits for the background work under way (derives, tab builds)
// and drops the derive signals it sent: the test driver runs fyne.Do on
// the calling goroutine, so UI updates of background work would race with
// the test's own.
func settle(m *Meridian, derived chan struct{}) {
	m.tasks.Wait()
	for {
		select {
		case <-derived:
		default:
			return
		}
	}
}

// waitSettled waits for the derive after an edit, then settles.
func waitSettled(t *testing.T, m *Meridian, derived chan struct{}) {
	t.Helper()
	waitDerived(t, derived)
	settle(m, derived)
}

// waitRuleCheck waits until the segment editor's live check of the rule
// has counted its matches (ok) or found an error.
func waitRuleCheck(t *testing.T, e *segmentEditor, act func()) {
	t.Helper()
	act()
	deadline := time.Now().Add(30 * time.Second)
	for e.doneGen.Load() != int64(e.checkGen) {
		if time.Now().After(deadline) {
			t.Fatal("the rule was not checked within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The segment editor: typing a rule shows the live count of an
// independent count; OK saves the segment in the plan file; undo removes
// it.
func TestSegmentEditorNew(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	s := m.session
	p := s.plan
	e := m.showSegmentEditor(nil)
	if e == nil || m.sv.editor != e {
		t.Fatal("no editor")
	}
	e.name.SetText("Large children's hospitals")
	waitRuleCheck(t, e, func() { test.Type(e.rule, "Type = 'CHILDREN' and Beds >= 100") })
	want := 0
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if a.Segment == "CHILDREN" && a.Potential.Known && a.Potential.Value >= 100 {
			want++
		}
	}
	if !e.ruleOK || e.matched != want || want == 0 {
		t.Fatalf("live check: ok %v, %d matched, want %d (status %q)", e.ruleOK, e.matched, want, e.status.Text)
	}
	if wantText := plural(want, "account matches", "accounts match") + " of " + formatCount(float64(len(p.Accounts))) + "."; e.status.Text != wantText {
		t.Errorf("status %q, want %q", e.status.Text, wantText)
	}
	if e.ok.Disabled() {
		t.Fatal("OK disabled on a valid segment")
	}
	test.Tap(e.ok)
	waitSettled(t, m, derived)
	g := p.SegmentNamed("Large children's hospitals")
	if g == nil || g.Rule != "Type = 'CHILDREN' and Beds >= 100" || g.ID != 3 || len(p.Segments) != 3 {
		t.Fatalf("plan segments %+v", p.Segments)
	}
	if m.sv.editor != nil {
		t.Error("the editor is still open")
	}
	m.session.writer.flush()
	stored := loadPlan(t, m.session.db.Path)
	if sg := stored.SegmentNamed("Large children's hospitals"); sg == nil || sg.Rule != g.Rule {
		t.Errorf("stored segments %+v", stored.Segments)
	}
	// The Segments tab shows it with its members.
	m.tasks.Wait()
	if got := m.sv.cell(2, 0); got != "Large children's hospitals" {
		t.Errorf("Segments row 3 name %q", got)
	}
	if got := m.sv.cell(2, segColMembers); got != formatCount(float64(want)) {
		t.Errorf("Segments row 3 members %q, want %d", got, want)
	}

	m.undo()
	waitSettled(t, m, derived)
	if p.SegmentNamed("Large children's hospitals") != nil || len(p.Segments) != 2 {
		t.Errorf("after undo: %+v", p.Segments)
	}
	m.session.writer.flush()
	if stored := loadPlan(t, m.session.db.Path); stored.SegmentNamed("Large children's hospitals") != nil || len(stored.Segments) != 2 {
		t.Errorf("stored after undo: %+v", stored.Segments)
	}
}

// The editor refuses an unknown field and a duplicate name, and its
// builder writes clauses and tiers.
func TestSegmentEditorChecks(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	p := m.session.plan
	e := m.showSegmentEditor(p.SegmentNamed("Large acute hospitals"))
	waitRuleCheck(t, e, func() {})
	if !e.ruleOK || e.ok.Disabled() {
		t.Fatalf("the sample segment is not valid: %q", e.status.Text)
	}
	if e.team.Text != "Key accounts" || e.tierMode.SelectedIndex() != 0 {
		t.Errorf("team %q, tier mode %d", e.team.Text, e.tierMode.SelectedIndex())
	}
	waitRuleCheck(t, e, func() { e.rule.SetText("Bedz >= 3") })
	if e.ruleOK || !e.ok.Disabled() || !strings.Contains(e.status.Text, "Bedz") || e.status.Importance != widget.DangerImportance {
		t.Errorf("unknown field: ok %v, disabled %v, status %q", e.ruleOK, e.ok.Disabled(), e.status.Text)
	}
	waitRuleCheck(t, e, func() { e.rule.SetText("Beds >= ") })
	if e.ruleOK || !strings.Contains(e.status.Text, "missing") {
		t.Errorf("syntax error: status %q", e.status.Text)
	}
	// The builder.
	waitRuleCheck(t, e, func() {
		e.rule.SetText("")
		e.field.SetSelected("Type")
		e.op.SetSelected("=")
		e.value.SetText("GENERAL ACUTE CARE")
		e.addClause("and")
		e.field.SetSelected("Beds")
		e.op.SetSelected("≥")
		e.value.SetText("300")
		e.addClause("and")
		e.field.SetSelected("State")
		e.op.SetSelected("in list")
		e.value.SetText("MA, NY")
		e.addClause("or")
		e.field.SetSelected("Owner")
		e.op.SetSelected("is not empty")
		e.addClause("and")
	})
	wantRule := "(Type = 'GENERAL ACUTE CARE' and Beds >= 300 or State in ('MA', 'NY')) and Owner is not empty"
	if e.rule.Text != wantRule {
		t.Errorf("built rule %q, want %q", e.rule.Text, wantRule)
	}
	if !e.ruleOK {
		t.Errorf("built rule refused: %q", e.status.Text)
	}
	want := 0
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if (a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 300 || a.State == "MA" || a.State == "NY") && strings.TrimSpace(a.Owner) != "" {
			want++
		}
	}
	if e.matched != want {
		t.Errorf("built rule matches %d, want %d", e.matched, want)
	}
	// Suggestions: the hospital types.
	waitSuggest := time.Now().Add(10 * time.Second)
	e.field.SetSelected("Type")
	for len(e.suggestions) == 0 && time.Now().Before(waitSuggest) {
		time.Sleep(20 * time.Millisecond)
	}
	if len(e.suggestions) != 10 || e.suggestions[0] != "CHILDREN" {
		t.Errorf("Type suggestions %q", e.suggestions)
	}
	// A duplicate name.
	e.name.SetText("bed tiers")
	if !e.ok.Disabled() || e.nameMsg.Text == "" {
		t.Errorf("duplicate name accepted (%q)", e.nameMsg.Text)
	}
	e.name.SetText("Large acute hospitals")
	// Tiers: by quantile fills in A 20 / B 30 / C 50 on Beds.
	e.tierMode.SetSelectedIndex(1)
	if len(e.tiers) != 3 || e.tiers[0].name.Text != "A" || e.tiers[2].value.Text != "50" || e.metric.Selected != "Beds" {
		t.Fatalf("default tiers %d, metric %q", len(e.tiers), e.metric.Selected)
	}
	if e.ok.Disabled() {
		t.Errorf("valid tiers refused: %q", e.tierMsg.Text)
	}
	e.tiers[2].value.SetText("60") // 110%
	if !e.ok.Disabled() || e.tierMsg.Text == "" {
		t.Errorf("tiers summing to 110%% accepted")
	}
	e.tiers[2].value.SetText("50")
	test.Tap(e.addTier)
	if len(e.tiers) != 4 || e.tiers[3].name.Text != "D" || !e.ok.Disabled() {
		t.Errorf("added tier %d rows, OK disabled %v (D has no value)", len(e.tiers), e.ok.Disabled())
	}
	e.close()
}

// The segment filter: the territory table shows planner.
// ComputeSegmentMetrics for the segment, the summary names it, the map
// shows only its points, and "All accounts" restores every account's
// metrics.
func TestSegmentFilterMetrics(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	s := m.session
	p := s.plan
	all := s.metrics
	g := p.SegmentNamed("Large acute hospitals")
	m.setSegmentFilter(segmentFilter{id: g.ID, tier: -1})
	waitSettled(t, m, derived)
	ms, err := p.SegmentMembers(g)
	if err != nil {
		t.Fatal(err)
	}
	want := planner.ComputeSegmentMetrics(p, s.scenario, g.Name, ms.In)
	if s.metrics.Segment != g.Name || len(s.metrics.Territories) != 9 {
		t.Fatalf("metrics for %q, %d territories", s.metrics.Segment, len(s.metrics.Territories))
	}
	ne := -1
	for i, tm := range s.metrics.Territories {
		if tm.Territory.Name == "New England" {
			ne = i
		}
		if tm.Totals != want.Territories[i].Totals {
			t.Errorf("%s: %+v, want %+v", tm.Territory.Name, tm.Totals, want.Territories[i].Totals)
		}
	}
	if ne < 0 || s.metrics.Territories[ne].Accounts >= all.Territories[ne].Accounts || s.metrics.Territories[ne].Accounts == 0 {
		t.Errorf("New England accounts %d of %d", s.metrics.Territories[ne].Accounts, all.Territories[ne].Accounts)
	}
	if s.metrics.Total.Accounts != ms.Members {
		t.Errorf("total accounts %d, want %d members", s.metrics.Total.Accounts, ms.Members)
	}
	if row := m.table.rows[ne]; row.Accounts != want.Territories[ne].Accounts || row.Potential != want.Territories[ne].Potential {
		t.Errorf("table New England %d accounts, %v beds; want %d, %v", row.Accounts, row.Potential, want.Territories[ne].Accounts, want.Territories[ne].Potential)
	}
	if !strings.HasPrefix(m.summary.Text, "Segment: Large acute hospitals") {
		t.Errorf("summary %q", m.summary.Text)
	}
	// Its overlay team's view: every member, on top of the territories.
	overlay := fmt.Sprintf("Overlay view: Key accounts (nobody on it yet) covers all %s accounts, Beds %s,",
		formatCount(float64(want.Total.Accounts)), formatCount(want.Total.Potential))
	if !strings.Contains(m.summary.Text, overlay) {
		t.Errorf("summary %q lacks %q", m.summary.Text, overlay)
	}
	if m.sv.filter.Selected != g.Name || m.av.segment.Selected != g.Name {
		t.Errorf("filter %q, accounts filter %q", m.sv.filter.Selected, m.av.segment.Selected)
	}
	legend := strings.Join(m.legend.texts(), "\n")
	if !strings.Contains(legend, formatCount(float64(want.Territories[ne].Accounts))+" accts") {
		t.Errorf("legend does not show New England's %d segment accounts:\n%s", want.Territories[ne].Accounts, legend)
	}
	// The labels show the segment's accounts.
	found := false
	for _, l := range s.derived.labels {
		found = found || strings.HasPrefix(l.Text, "New England\n"+formatCount(float64(want.Territories[ne].Accounts))+" accts")
	}
	if !found {
		t.Error("no New England label with the segment's accounts")
	}
	// The map's points: one per located member.
	located := 0
	for _, k := range s.pointAccount {
		if ms.In[k] {
			located++
		}
	}
	if m.sv.shownPoints != located || located == 0 || located == len(s.points) {
		t.Errorf("map shows %d points, want the %d located members (of %d)", m.sv.shownPoints, located, len(s.points))
	}

	// A tier, from the select beside the scenario.
	m.sv.filter.SetSelected("Bed tiers: A")
	waitSettled(t, m, derived)
	known := 0
	for i := range p.Accounts {
		if p.Accounts[i].Potential.Known {
			known++
		}
	}
	if got, want := s.metrics.Total.Accounts, int(math.Round(0.2*float64(known))); got != want || s.metrics.Segment != "Bed tiers: A" {
		t.Errorf("Bed tiers: A: %d accounts, want %d (segment %q)", got, want, s.metrics.Segment)
	}

	m.sv.filter.SetSelected(allAccountsText)
	waitSettled(t, m, derived)
	if s.metrics.Segment != "" || s.metrics.Total != all.Total || strings.HasPrefix(m.summary.Text, "Segment:") {
		t.Errorf("all accounts: %q %+v", s.metrics.Segment, s.metrics.Total)
	}
}

// Duplicate and Delete are each one undoable change of the whole list;
// deleting the filtered segment drops the filter.
func TestSegmentsDuplicateDelete(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	p := m.session.plan
	m.tasks.Wait()
	if got := m.sv.cell(1, segColTiers); !strings.HasPrefix(got, "A ") || strings.Count(got, " · ") != 2 {
		t.Errorf("Bed tiers sizes %q", got)
	}
	ms, _ := p.SegmentMembers(p.SegmentNamed("Bed tiers"))
	if want := "A " + formatCount(float64(ms.TierSizes[0])) + " · B " + formatCount(float64(ms.TierSizes[1])) + " · C " + formatCount(float64(ms.TierSizes[2])); m.sv.cell(1, segColTiers) != want {
		t.Errorf("Bed tiers %q, want %q", m.sv.cell(1, segColTiers), want)
	}
	if got := m.sv.cell(0, segColOverlay); got != "Key accounts (0 reps)" {
		t.Errorf("overlay %q", got)
	}
	m.sv.selectRow(0)
	m.sv.duplicate()
	waitSettled(t, m, derived)
	if len(p.Segments) != 3 || p.Segments[1].Name != "Large acute hospitals copy" || p.Segments[1].Rule != p.Segments[0].Rule || p.Segments[1].ID != 3 {
		t.Fatalf("after duplicate %+v", p.Segments)
	}
	m.setSegmentFilter(segmentFilter{id: 3, tier: -1})
	waitSettled(t, m, derived)
	m.deleteSegment(3)
	waitSettled(t, m, derived)
	if len(p.Segments) != 2 || !m.session.activeFilter().all() || m.sv.filter.Selected != allAccountsText {
		t.Errorf("after delete: %d segments, filter %+v %q", len(p.Segments), m.session.activeFilter(), m.sv.filter.Selected)
	}
	m.undo()
	waitSettled(t, m, derived)
	if len(p.Segments) != 3 {
		t.Errorf("undo delete: %d segments", len(p.Segments))
	}
	m.undo()
	waitSettled(t, m, derived)
	if len(p.Segments) != 2 {
		t.Errorf("undo duplicate: %d segments", len(p.Segments))
	}
	m.session.writer.flush()
	if stored := loadPlan(t, m.session.db.Path); len(stored.Segments) != 2 {
		t.Errorf("stored %d segments", len(stored.Segments))
	}
}

func TestRuleClause(t *testing.T) {
	for _, c := range []struct {
		field string
		op    int
		value string
		want  string
	}{
		{"Type", 0, "GENERAL ACUTE CARE", "Type = 'GENERAL ACUTE CARE'"},
		{"Beds", 5, "200", "Beds >= 200"},
		{"Annual revenue", 2, "5e6", "Annual revenue < 5e6"},
		{"Owner", 1, "O'Brien", "Owner != 'O''Brien'"},
		{"State", 6, "MA, NY,", "State in ('MA', 'NY')"},
		{"Website", 7, "example", "Website contains 'example'"},
		{"Phone", 8, "ignored", "Phone is empty"},
		{"and", 0, "x", "[and] = 'x'"},
		{"Size (m²)", 4, "3", "[Size (m²)] > 3"},
	} {
		got, err := ruleClause(c.field, c.op, c.value)
		if err != nil || got != c.want {
			t.Errorf("ruleClause(%q, %s, %q) = %q, %v; want %q", c.field, ruleOps[c.op], c.value, got, err, c.want)
			continue
		}
		if _, err := planner.ParseRule(got); err != nil {
			t.Errorf("%q does not parse: %v", got, err)
		}
	}
	if _, err := ruleClause("Beds", 5, " "); err == nil {
		t.Error("no value accepted")
	}
	if got := appendClause("A = 1 or B = 2", "and", "C = 3"); got != "(A = 1 or B = 2) and C = 3" {
		t.Errorf("appendClause %q", got)
	}
	if got := appendClause("A = 1", "or", "C = 3"); got != "A = 1 or C = 3" {
		t.Errorf("appendClause %q", got)
	}
}

// The editor counts each tier as the tiers change, and switching from
// quantiles to thresholds turns the shares into the thresholds that split
// the members the same way.
func TestSegmentEditorTiers(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	p := m.session.plan
	e := m.showSegmentEditor(p.SegmentNamed("Bed tiers"))
	waitRuleCheck(t, e, func() {})
	if e.tierMode.SelectedIndex() != 1 || !strings.HasSuffix(e.status.Text, "Tiers: A 1,315 · B 1,973 · C 3,288 · 570 with no tier.") {
		t.Fatalf("mode %d, status %q", e.tierMode.SelectedIndex(), e.status.Text)
	}
	waitRuleCheck(t, e, func() { e.tierMode.SetSelectedIndex(2) })
	var got []string
	for _, row := range e.tiers {
		got = append(got, row.value.Text)
	}
	if strings.Join(got, ",") != "241,80,2" || e.tierMsg.Text != "" || e.ok.Disabled() {
		t.Fatalf("thresholds %v, message %q", got, e.tierMsg.Text)
	}
	g, err := e.segment()
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := p.SegmentMembers(&g)
	if want := tierSizesText(g.Tiers, ms); !strings.HasSuffix(e.status.Text, "Tiers: "+want+".") {
		t.Errorf("status %q, want tiers %q", e.status.Text, want)
	}
	// Back to quantiles: thresholds are not shares, so 20/30/50 again.
	waitRuleCheck(t, e, func() { e.tierMode.SetSelectedIndex(1) })
	got = got[:0]
	for _, row := range e.tiers {
		got = append(got, row.value.Text)
	}
	if strings.Join(got, ",") != "20,30,50" {
		t.Errorf("shares %v", got)
	}
}

// A legal rule that looks wrong keeps OK enabled and says what to check.
func TestSegmentEditorWarning(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	e := m.showSegmentEditor(nil)
	e.name.SetText("Odd")
	waitRuleCheck(t, e, func() { e.rule.SetText("Beds > abc") })
	if !strings.Contains(e.status.Text, `Check: Beds holds numbers, and "abc" is not one`) || e.status.Importance != widget.WarningImportance || e.ok.Disabled() {
		t.Errorf("status %q (importance %v), OK disabled %v", e.status.Text, e.status.Importance, e.ok.Disabled())
	}
}
