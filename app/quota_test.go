package app

import (
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// quotaMeridian opens a copy of the sample plan with the Quotas tab shown
// and waits for its first (background) build. Then it makes builds
// synchronous, inside the derive after each edit, and returns the channel
// that receives after every derive.
func quotaMeridian(t *testing.T) (*Meridian, chan struct{}) {
	t.Helper()
	m, derived := editingMeridian(t)
	v := m.qv
	built := make(chan struct{}, 64)
	v.built = func() { built <- struct{}{} }
	// Hidden, the tab builds nothing: the plan shown is stale.
	if v.pane.Visible() || !v.stale || v.b.qp != nil {
		t.Errorf("hidden Quotas tab: visible %v, stale %v, built %v", v.pane.Visible(), v.stale, v.b.qp != nil)
	}
	// The test driver runs fyne.Do inline: hold the build until the tabs
	// are laid out, or it would touch widgets while they are.
	v.stale = false
	for _, item := range m.tabs.Items {
		if item.Text == "Quotas" {
			m.tabs.Select(item)
		}
	}
	if !v.pane.Visible() {
		t.Fatal("the Quotas tab is not shown after selecting it")
	}
	v.start()
	select {
	case <-built:
	case <-time.After(30 * time.Second):
		t.Fatal("the quota plan was not built within 30 s")
	}
	if v.b.qp == nil || v.building {
		t.Fatalf("first build: %+v", v.b)
	}
	v.built = nil
	v.syncBuild = true
	return m, derived
}

// waitQuota waits for derives (which build the quota plan) until cond
// holds (at most 30 s).
func waitQuota(t *testing.T, m *Meridian, derived chan struct{}, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case <-derived:
			if cond() {
				return
			}
		case <-deadline:
			t.Fatal("the quota plan was not built within 30 s")
		}
	}
}

// sampleSettings are the test's settings: target 50,000,000, potential
// only, 10% over-assignment, rounding to 1,000.
func sampleSettings() planner.QuotaSettings {
	return planner.QuotaSettings{FiscalYear: 2026, StartMonth: time.January, Currency: "USD", Target: 50_000_000,
		OverAssignPct: 10, Rounding: 1000, WeightPotential: 1, Ramp: planner.RampSchedule{0, 0.25, 0.5, 0.75}}
}

// quotaSum sums the quotas of the scenario in memory.
func quotaSum(sc *planner.Scenario) (sum float64, known int) {
	for _, t := range sc.Territories {
		if t.Quota.Known {
			sum += t.Quota.Value
			known++
		}
	}
	return sum, known
}

// The settings dialog with target 50,000,000, potential only, 10% and
// rounding 1,000 allocates what planner.AllocateQuotas does; the table
// shows it and sums to 55,000,000; undo leaves no quota, in memory and in
// the plan file.
func TestQuotaAllocateSample(t *testing.T) {
	m, built := quotaMeridian(t)
	v, s := m.qv, m.session
	if !strings.HasPrefix(v.summary.Text, "No quota settings yet") {
		t.Errorf("summary before settings = %q", v.summary.Text)
	}
	if rows := len(v.terr.rows); rows != 10 {
		t.Fatalf("territory table has %d rows, want 9 territories and the total", rows)
	}
	if got := v.terr.cell(0, qcQuota); got != "—" {
		t.Errorf("New England's quota before allocation = %q", got)
	}

	v.showSettings()
	f := v.form
	f.target.SetText("50,000,000")
	f.over.SetText("10")
	f.rounding.SetText("1000")
	f.wPot.SetText("1")
	f.wHist.SetText("0")
	if f.msg.Text != "" {
		t.Fatalf("form message %q", f.msg.Text)
	}
	got, err := f.settings()
	if err != nil {
		t.Fatal(err)
	}
	if want := sampleSettings(); got.Target != want.Target || got.OverAssignPct != 10 || got.Rounding != 1000 || got.FiscalYear != 2026 ||
		got.WeightPotential != 1 || got.WeightHistory != 0 || len(got.Ramp) != 4 || got.Ramp[1] != 0.25 {
		t.Errorf("form settings = %+v", got)
	}
	v.formRun(true)
	waitQuota(t, m, built, func() bool { return v.b.stored })

	set := *s.plan.Quota
	in, err := planner.QuotaInputs(s.plan, s.scenario, &set)
	if err != nil {
		t.Fatal(err)
	}
	lines, rep, err := planner.AllocateQuotas(in, set)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total != 55_000_000 || rep.Gap != 0 {
		t.Errorf("report %+v", rep)
	}
	sum := 0.0
	for i, l := range lines {
		if cell, want := v.terr.cell(i, qcQuota), planner.FormatMoney(l.Quota, "USD"); cell != want {
			t.Errorf("%s: quota cell %q, want %q", l.Name, cell, want)
		}
		if got := s.scenario.Territories[i].Quota; !got.Known || got.Value != l.Quota {
			t.Errorf("%s: quota in memory %v, want %v", l.Name, got, l.Quota)
		}
		if v.terr.cell(i, qcHow) != l.Explain {
			t.Errorf("%s: how %q, want %q", l.Name, v.terr.cell(i, qcHow), l.Explain)
		}
		sum += l.Quota
	}
	if sum != 55_000_000 {
		t.Errorf("quotas sum to %v", sum)
	}
	if got := v.terr.cell(9, qcQuota); got != "$55,000,000" {
		t.Errorf("total row quota %q", got)
	}
	// Quarters without seasonality: a quarter each of the annual quota,
	// in whole rounding units.
	q := planner.QuarterlyQuota(lines[0].Quota, set.Season, set.StartMonth, set.Rounding)
	for k := range 4 {
		if cell := v.terr.cell(0, qcQ1+k); cell != planner.FormatMoney(q[k], "USD") {
			t.Errorf("New England Q%d %q, want %v", k+1, cell, q[k])
		}
	}
	// Cumulative rounding of 2,422 thousands by quarter: 605.5, 1,211,
	// 1,816.5 round to 606, 1,211, 1,817.
	if q != [4]float64{606_000, 605_000, 606_000, 605_000} || lines[0].Quota != 2_422_000 {
		t.Errorf("New England %v: quarters %v", lines[0].Quota, q)
	}
	if v.gap.Visible() {
		t.Errorf("gap shown: %q", v.gap.Text)
	}
	if !strings.Contains(v.summary.Text, "= $55,000,000") || !strings.Contains(v.summary.Text, "sum to $55,000,000") {
		t.Errorf("summary = %q", v.summary.Text)
	}
	s.writer.flush()
	fp := loadPlan(t, s.db.Path)
	if fp.Quota == nil || fp.Quota.Target != 50_000_000 {
		t.Fatalf("plan file settings %+v", fp.Quota)
	}
	if fs, n := quotaSum(fp.Active()); fs != 55_000_000 || n != 9 {
		t.Errorf("plan file quotas sum to %v over %d territories", fs, n)
	}

	m.undo()
	waitQuota(t, m, built, func() bool { return !v.b.stored })
	if _, n := quotaSum(s.scenario); n != 0 || s.plan.Quota != nil {
		t.Errorf("after undo %d quotas and settings %v", n, s.plan.Quota)
	}
	if got := v.terr.cell(0, qcQuota); got != "—" {
		t.Errorf("New England's quota after undo = %q", got)
	}
	s.writer.flush()
	fp = loadPlan(t, s.db.Path)
	if _, n := quotaSum(fp.Active()); n != 0 || fp.Quota != nil {
		t.Errorf("plan file after undo: %d quotas, settings %v", n, fp.Quota)
	}
}

// A quota typed by hand leaves a gap of the difference; Spread gap brings
// it back to 0 with the typed quota kept; clearing the quota removes the
// override.
func TestQuotaOverrideGap(t *testing.T) {
	m, built := quotaMeridian(t)
	v, s := m.qv, m.session
	v.allocate(sampleSettings(), true)
	waitQuota(t, m, built, func() bool { return v.b.stored })
	pacific := territoryID(t, s, "Pacific")
	old := s.territory(pacific).Quota.Value

	if err := v.setOverride(pacific, "$12,000,000"); err != nil {
		t.Fatal(err)
	}
	waitQuota(t, m, built, func() bool { return v.b.qp.Report.Gap != 0 })
	if tr := s.territory(pacific); !tr.QuotaOverride || tr.Quota.Value != 12_000_000 {
		t.Errorf("Pacific %+v after the override", tr.Quota)
	}
	wantGap := old - 12_000_000
	if g := v.b.qp.Report.Gap; g != wantGap {
		t.Errorf("gap %v, want %v", g, wantGap)
	}
	if !v.gap.Visible() || !strings.Contains(v.gap.Text, planner.FormatMoney(math.Abs(wantGap), "USD")) {
		t.Errorf("gap label (visible %v) %q, want %v", v.gap.Visible(), v.gap.Text, wantGap)
	}
	if v.spreadBtn.Disabled() {
		t.Error("Spread gap is disabled with a gap")
	}
	row := -1
	for i, tq := range v.b.qp.Territories {
		if tq.TerritoryID == pacific {
			row = i
		}
	}
	if got := v.terr.cell(row, qcQuota); got != "$12,000,000" || !v.terr.isBold(row, qcQuota) {
		t.Errorf("Pacific's quota cell %q (bold %v)", got, v.terr.isBold(row, qcQuota))
	}
	if how := v.terr.cell(row, qcHow); !strings.HasPrefix(how, "set by hand") {
		t.Errorf("Pacific's how = %q", how)
	}

	v.spreadGap()
	waitQuota(t, m, built, func() bool { return v.b.qp.Report.Gap == 0 })
	if sum, _ := quotaSum(s.scenario); sum != 55_000_000 {
		t.Errorf("after spreading the quotas sum to %v", sum)
	}
	if tr := s.territory(pacific); !tr.QuotaOverride || tr.Quota.Value != 12_000_000 {
		t.Errorf("Pacific %+v after spreading", tr.Quota)
	}
	if v.gap.Visible() || !v.spreadBtn.Disabled() {
		t.Errorf("gap label visible %v, spread enabled %v after spreading", v.gap.Visible(), !v.spreadBtn.Disabled())
	}
	s.writer.flush()
	if fs, _ := quotaSum(loadPlan(t, s.db.Path).Active()); fs != 55_000_000 {
		t.Errorf("plan file quotas sum to %v after spreading", fs)
	}

	m.undo() // the spread
	waitQuota(t, m, built, func() bool { return v.b.qp.Report.Gap == wantGap })
	// Clearing the quota gives Pacific its allocated share again: the one
	// it had before, so the gap closes.
	if err := v.setOverride(pacific, " "); err != nil {
		t.Fatal(err)
	}
	waitQuota(t, m, built, func() bool { return v.b.qp.Report.Gap == 0 })
	if tr := s.territory(pacific); tr.QuotaOverride || tr.Quota.Value != old {
		t.Errorf("Pacific %+v (override %v) after clearing, want %v", tr.Quota, tr.QuotaOverride, old)
	}
	if err := v.setOverride(pacific, "abc"); err == nil || !strings.Contains(err.Error(), `"abc" is not a number`) {
		t.Errorf("bad quota: %v", err)
	}
	if err := v.setOverride(pacific, "-5"); err == nil {
		t.Error("a negative quota was accepted")
	}
}

// The settings form: the season's live total, validation messages, the
// ramp and months.
func TestQuotaSettingsForm(t *testing.T) {
	p := &planner.Plan{CustomFields: []planner.CustomField{{Name: "Sales 2025", Numeric: true}, {Name: "Phone"}}}
	f := newQuotaForm(p, defaultQuotaSettings(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), 0)
	if len(f.field.Options) != 2 || f.field.Options[1] != "Sales 2025" {
		t.Errorf("last-year choices %v", f.field.Options)
	}
	if f.keep.Visible() {
		t.Error("keep check shown without overrides")
	}
	f.target.SetText("1000000")
	for j, q := range []string{"20", "25", "25", "20"} {
		f.quarters[j].SetText(q)
	}
	if f.total.Text != "Total 90%: must be 100%" {
		t.Errorf("total %q", f.total.Text)
	}
	if !strings.Contains(f.msg.Text, "add up to 90%") {
		t.Errorf("message %q", f.msg.Text)
	}
	f.quarters[3].SetText("30%")
	if f.total.Text != "Total 100%" || f.msg.Text != "" {
		t.Errorf("total %q, message %q", f.total.Text, f.msg.Text)
	}
	f.start.SetSelectedIndex(1) // February
	if f.quarterLabels[0].Text != "Q1 Feb–Apr" {
		t.Errorf("Q1 label %q", f.quarterLabels[0].Text)
	}
	s, err := f.settings()
	if err != nil {
		t.Fatal(err)
	}
	if want := planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.February); s.Season != want || s.StartMonth != time.February {
		t.Errorf("season %v, want %v", s.Season, want)
	}
	f.field.SetSelected("Sales 2025")
	if f.wPot.Text != "0.6" || f.wHist.Text != "0.4" {
		t.Errorf("weights %q, %q after choosing last year", f.wPot.Text, f.wHist.Text)
	}
	f.ramp.SetText("0, 50, 120")
	if !strings.Contains(f.msg.Text, "month 3 since start is 120%") {
		t.Errorf("ramp message %q", f.msg.Text)
	}
	f.ramp.SetText("")
	f.floor.SetText("20")
	f.ceil.SetText("10")
	if !strings.Contains(f.msg.Text, "floor (20%) is above the ceiling (10%)") {
		t.Errorf("floor message %q", f.msg.Text)
	}
	f.floor.SetText("-10")
	f.byMonth.SetChecked(true)
	for mo := range 12 {
		f.months[mo].SetText("8")
	}
	if f.total.Text != "Total 96%: must be 100%" {
		t.Errorf("month total %q", f.total.Text)
	}
	f.months[11].SetText("12")
	s, err = f.settings()
	if err != nil {
		t.Fatal(err)
	}
	if s.Season[11] != 12 || s.Season[0] != 8 || s.Ramp != nil || s.HistoryField != "Sales 2025" || s.FloorPct != -10 || s.CeilingPct != 10 {
		t.Errorf("settings %+v", s)
	}
	f.year.SetText("20x6")
	if !strings.Contains(f.msg.Text, `"20x6" is not a year`) {
		t.Errorf("year message %q", f.msg.Text)
	}

	// Stored settings with a season that is not even within quarters open
	// by month.
	set := defaultQuotaSettings(time.Now())
	set.Season = [12]float64{10, 5, 5, 10, 10, 5, 10, 10, 5, 10, 10, 10}
	if g := newQuotaForm(p, set, 2); !g.byMonth.Checked || g.months[0].Text != "10" || !g.keep.Visible() {
		t.Errorf("by month %v, January %q", g.byMonth.Checked, g.months[0].Text)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]float64{"50000000": 5e7, "50,000,000": 5e7, "$ 1 000": 1000, "1e6": 1e6, "12.5": 12.5} {
		if got, empty, err := parseAmount(in); err != nil || empty || got != want {
			t.Errorf("parseAmount(%q) = %v, %v, %v", in, got, empty, err)
		}
	}
	if _, empty, err := parseAmount("  "); !empty || err != nil {
		t.Errorf("blank: %v %v", empty, err)
	}
	if _, _, err := parseAmount("ten"); err == nil {
		t.Error("ten parsed")
	}
}

// exportQuotaWorkbook writes the open plan as a workbook and sets the
// Annual quota cells of the territories in set (name -> cell value).
func exportQuotaWorkbook(t *testing.T, m *Meridian, set map[string]any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "quotas.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xlsx.NewEncoder(out).Encode(m.session.snapshotPlan(), m.session.scenario.ID); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(xlsx.SheetTerritories)
	if err != nil || len(rows) == 0 {
		t.Fatalf("Territories sheet: %v", err)
	}
	colT, colQ := -1, -1
	for j, h := range rows[0] {
		switch h {
		case "Territory":
			colT = j
		case "Annual quota":
			colQ = j
		}
	}
	if colT < 0 || colQ < 0 {
		t.Fatalf("header %q", rows[0])
	}
	done := 0
	for i, r := range rows {
		if colT < len(r) {
			if v, ok := set[r[colT]]; ok {
				cell, _ := excelize.CoordinatesToCellName(colQ+1, i+1)
				if err := f.SetCellValue(xlsx.SheetTerritories, cell, v); err != nil {
					t.Fatal(err)
				}
				done++
			}
		}
	}
	if done != len(set) {
		t.Fatalf("set %d of %d quotas", done, len(set))
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return path
}

// The quota round trip: export, change two quotas with excelize, import:
// the change report lists exactly those two; Apply stores them as set by
// hand (plan file too); undo takes them back. A bad cell is reported with
// its sheet, row and column, and nothing changes.
func TestQuotaImport(t *testing.T) {
	m, built := quotaMeridian(t)
	v, s := m.qv, m.session
	v.allocate(sampleSettings(), true)
	waitQuota(t, m, built, func() bool { return v.b.stored })
	s.writer.flush()
	before := currentQuotaState(s.plan, s.scenario)
	pacific, ne := territoryID(t, s, "Pacific"), territoryID(t, s, "New England")

	path := exportQuotaWorkbook(t, m, map[string]any{"Pacific": 9_000_000, "New England": "2,500,000"})
	m.importQuotasFile(path)
	if err := waitLongTask(t, m); err != nil {
		t.Fatal(err)
	}
	imp := v.lastImport
	if imp == nil || len(imp.changes) != 2 {
		t.Fatalf("change report %+v", imp)
	}
	want := map[int64]float64{pacific: 9_000_000, ne: 2_500_000}
	total := 0.0
	for _, c := range imp.changes {
		w, ok := want[c.TerritoryID]
		if !ok || !c.New.Known || c.New.Value != w || c.Old.Value != before.quotas[c.TerritoryID] || c.Diff != w-before.quotas[c.TerritoryID] {
			t.Errorf("change %+v", c)
		}
		total += c.Diff
	}
	if got := imp.table.cell(2, 3); got != planner.FormatMoney(total, "USD") && got != "+"+planner.FormatMoney(total, "USD") {
		t.Errorf("total difference %q, want %v", got, total)
	}
	if !strings.Contains(imp.label.Text, "changes the quotas of 2 territories") {
		t.Errorf("report text %q", imp.label.Text)
	}
	// Nothing is applied before Apply.
	if cur := currentQuotaState(s.plan, s.scenario); !maps.Equal(cur.quotas, before.quotas) || len(cur.overridden) != 0 {
		t.Errorf("quotas changed before Apply: %v", cur.quotas)
	}
	imp.dialog.Hide()
	if err := m.applyQuotaImport(imp); err != nil {
		t.Fatal(err)
	}
	waitQuota(t, m, built, func() bool { return v.b.qp.Report.Overridden == 11_500_000 })
	s.writer.flush()
	fp := loadPlan(t, s.db.Path).Active()
	for id, w := range want {
		if tr := fp.Territory(id); !tr.Quota.Known || tr.Quota.Value != w || !tr.QuotaOverride {
			t.Errorf("plan file: %s quota %+v override %v, want %v set by hand", tr.Name, tr.Quota, tr.QuotaOverride, w)
		}
	}
	if g := v.b.qp.Report.Gap; g != -total {
		t.Errorf("gap after import %v, want %v", g, -total)
	}

	m.undo()
	waitQuota(t, m, built, func() bool { return v.b.qp.Report.Overridden == 0 })
	s.writer.flush()
	fp = loadPlan(t, s.db.Path).Active()
	for _, tr := range fp.Territories {
		if !tr.Quota.Known || tr.Quota.Value != before.quotas[tr.ID] || tr.QuotaOverride {
			t.Errorf("plan file after undo: %s quota %+v override %v", tr.Name, tr.Quota, tr.QuotaOverride)
		}
	}

	// A cell that is not an amount: the error names the cell.
	bad := exportQuotaWorkbook(t, m, map[string]any{"Mountain": "lots"})
	m.importQuotasFile(bad)
	err := waitLongTask(t, m)
	if err == nil || !strings.Contains(planner.ErrorMessage(err), "quotas.xlsx: Territories!") || !strings.Contains(planner.ErrorMessage(err), `holds "lots"`) {
		t.Errorf("bad cell: %v", err)
	}
	if top := m.win.Canvas().Overlays().Top(); top != nil {
		m.win.Canvas().Overlays().Remove(top)
	}
	if cur := currentQuotaState(s.plan, s.scenario); !maps.Equal(cur.quotas, before.quotas) {
		t.Errorf("quotas changed after a failed import")
	}
}

// The Reps and Roll-ups tables: a rep starting in March carries the ramped
// share of her territory's quota; her manager and the regions roll up.
func TestQuotaRepsAndRollUps(t *testing.T) {
	m, built := quotaMeridian(t)
	v, s := m.qv, m.session
	pacific := territoryID(t, s, "Pacific")
	// In memory only: the roster is another tab's business.
	s.plan.Reps = []planner.Rep{{ID: 1, Name: "Ann Lee", Manager: "Bo Chen", Start: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)}}
	s.territory(pacific).Reps = []planner.Assignment{{RepID: 1, Share: 100}}
	v.allocate(sampleSettings(), true)
	waitQuota(t, m, built, func() bool { return v.b.stored })
	set := *s.plan.Quota
	q := s.territory(pacific).Quota.Value
	want := planner.ProratedQuota(q, set.Season, set.StartMonth, s.plan.Reps[0].Start, set.FiscalYear, set.Ramp)
	// Nothing in January and February; March is month 0 (0%), April 25%,
	// May 50%, June 75%, then 6 full months of an even year: 7.5 of 12.
	if math.Abs(want-q*7.5/12) > 0.01 {
		t.Fatalf("prorated %v, want %v", want, q*7.5/12)
	}
	if v.reps.cell(0, 0) != "Ann Lee" || v.reps.cell(0, 1) != planner.FormatMoney(want, "USD") || v.reps.cell(0, 2) != planner.FormatMoney(q, "USD") {
		t.Errorf("rep row %q", v.reps.rows[0])
	}
	if got := v.reps.cell(0, 3); got != "62.5%" {
		t.Errorf("ramp factor %q", got)
	}
	if got := v.reps.cell(1, 0); got != "Total" {
		t.Errorf("reps total row %q", v.reps.rows[1])
	}
	var levels []string
	for r := range v.rollups.rows {
		levels = append(levels, v.rollups.cell(r, 0)+" "+v.rollups.cell(r, 1))
	}
	if want := []string{"Company US Hospitals sample", "Region Midwest", "Region Northeast", "Region South", "Region West", "Manager Bo Chen"}; !slices.Equal(levels, want) {
		t.Errorf("roll-ups %q, want %q", levels, want)
	}
	if got := v.rollups.cell(0, 2); got != "$50,000,000" {
		t.Errorf("company quota %q", got)
	}
	if got := v.rollups.cell(5, 2); got != planner.FormatMoney(want, "USD") {
		t.Errorf("manager quota %q, want %v", got, want)
	}
	west := v.b.qp.Regions[3]
	if got := v.rollups.cell(4, 2); west.Name != "West" || got != planner.FormatMoney(west.Sum, "USD") {
		t.Errorf("West %q, sum %v", got, west.Sum)
	}
	v.rollups.onTap(5, 0)
	if !strings.HasPrefix(v.detail.Text, "Level: Manager · Name: Bo Chen · Quota: ") {
		t.Errorf("detail %q", v.detail.Text)
	}
}

// A region's over-assignment (tapped in the roll-ups) makes its quota its
// territories' sum ÷ (1 + over-assignment); it is stored, and undo puts it
// back.
func TestQuotaRegionOverAssign(t *testing.T) {
	m, built := quotaMeridian(t)
	v, s := m.qv, m.session
	v.allocate(sampleSettings(), true)
	waitQuota(t, m, built, func() bool { return v.b.stored })
	if err := v.setRegionOverAssign("West", "10%"); err != nil {
		t.Fatal(err)
	}
	waitQuota(t, m, built, func() bool { return v.b.qp.Regions[3].OverAssignPct == 10 })
	west := v.b.qp.Regions[3]
	if want := math.Round(west.Sum/1.1*100) / 100; west.Name != "West" || west.Quota != want {
		t.Errorf("West %+v, want quota %v", west, want)
	}
	if got := v.rollups.cell(4, rollUpOverCol); got != "10%" {
		t.Errorf("West's over-assignment cell %q", got)
	}
	s.writer.flush()
	if r := loadPlan(t, s.db.Path).Active().Regions[3]; r.Name != "West" || r.OverAssignPct != 10 {
		t.Errorf("plan file: %+v", r)
	}
	if err := v.setRegionOverAssign("West", "-100"); err == nil {
		t.Error("-100% accepted")
	}
	m.undo()
	waitQuota(t, m, built, func() bool { return v.b.qp.Regions[3].OverAssignPct == 0 })
	s.writer.flush()
	if r := loadPlan(t, s.db.Path).Active().Regions[3]; r.OverAssignPct != 0 {
		t.Errorf("plan file after undo: %+v", r)
	}
	// Every territory is still in its region.
	for _, tr := range loadPlan(t, s.db.Path).Active().Territories {
		if tr.RegionID == 0 {
			t.Errorf("%s lost its region", tr.Name)
		}
	}
}

// BenchmarkQuotaBuild measures the Quotas tab's work on the sample plan
// (9 territories, 7,146 hospitals) with allocated quotas:
//   - build: planner.BuildQuotaPlan, run off the UI thread (metrics over
//     every account, allocation again for the explanations, roll-ups);
//   - apply: showing its result in the tables, on the UI thread.
func BenchmarkQuotaBuild(b *testing.B) {
	a := test.NewTempApp(b)
	p, err := sample.Build(b.Context(), func(float64) {})
	if err != nil {
		b.Fatal(err)
	}
	sc := p.Active()
	set := sampleSettings()
	in, err := planner.QuotaInputs(p, sc, &set)
	if err != nil {
		b.Fatal(err)
	}
	lines, _, err := planner.AllocateQuotas(in, set)
	if err != nil {
		b.Fatal(err)
	}
	for i, l := range lines {
		sc.Territories[i].Quota = planner.Known(l.Quota)
	}
	p.Quota = &set
	var res quotaBuild
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res = buildQuota(p, sc, set)
		}
	})
	if res.err != nil || res.qp.Report.Gap != 0 {
		b.Fatalf("build: %v, %+v", res.err, res.qp.Report)
	}
	m := New(a)
	m.qv.s = &session{plan: p, scenario: sc}
	b.Run("apply", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.qv.apply(res)
		}
	})
}
