package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"image/color"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/balance"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// Tolerance choices of the optimizer, as fractions of the target.
var optimizeTolerances = []struct {
	label string
	frac  float64
}{{"±5%", balance.DefaultTolerance}, {"Tight ±2%", balance.TightTolerance}, {"±10%", 0.10}}

// Disruption limits of the optimizer: the largest share of the units that
// may change territory (0 = no limit).
var optimizeDisruption = []struct {
	label string
	frac  float64
}{{"No limit", 0}, {"5% of units", 0.05}, {"10% of units", 0.10}, {"20% of units", 0.20}, {"30% of units", 0.30}}

// Search efforts of the optimizer (balance.Options.Effort).
var optimizeEffort = []struct {
	label  string
	effort float64
}{{"Quick", 0.25}, {"Normal", 1}, {"Thorough", 2}}

const (
	resultNewScenario = "Into a new scenario named:"
	resultReplace     = "Replace the current alignment (Edit > Undo reverts it)"
)

// optimizeRow is one quantity's line of the optimizer dialog.
type optimizeRow struct {
	q         planner.Quantity
	check     *widget.Check
	tolerance *widget.Select
	weight    *widget.Entry
}

// pluralNoun returns the plural of an English unit name: "county" →
// "counties", "country" → "countries", "ZIP code" → "ZIP codes".
func pluralNoun(s string) string {
	if n := len(s); n > 1 && s[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(s[n-2])) {
		return s[:n-1] + "ies"
	}
	return s + "s"
}

// lockedItem lays out the Locked row: the territory checks, and the
// lasso-selection check when units are selected.
func lockedItem(f *optimizeForm, locks *fyne.Container, hint func(string) *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(hint("Locked territories keep exactly their units."), locks)
	if f.lockSel != nil {
		box.Add(f.lockSel)
	}
	return box
}

// optimizeForm is the optimizer dialog's fields.
type optimizeForm struct {
	territories *widget.Entry
	rows        []optimizeRow
	targets     *widget.RadioGroup
	locked      []*widget.Check // one per territory of the scenario, in order
	lockedIDs   []int64
	// lockSel keeps the units of the lasso selection (selCodes) in their
	// territories; nil when nothing is selected.
	lockSel  *widget.Check
	selCodes []string
	// homes starts each territory at its lead rep's home unit (seeds);
	// disabled when no lead rep has a home base.
	homes      *widget.Check
	disruption *widget.Select
	effort     *widget.Select
	seed       *widget.Entry
	result     *widget.RadioGroup
	name       *widget.Entry
	form       *widget.Form
}

// optimizeRequest is a validated optimizer run: the options and where the
// result goes.
type optimizeRequest struct {
	opt     balance.Options
	intoNew bool // into a new scenario, else replace the alignment
	// seedHomes pins each territory's lead rep's home unit to it (see
	// homeSeeds), computed when the run starts.
	seedHomes bool
	name      string // the new scenario's name (cleaned)
}

// newOptimizeForm builds the optimizer's fields with their defaults for
// session s: the scenario's number of territories, the Balance view's
// quantities (population when none) and targets, ±5%, weight 1, nothing
// locked, no disruption limit, seed 1, into a new scenario named
// "Balanced draft N".
func (m *Meridian) newOptimizeForm(s *session) *optimizeForm {
	f := &optimizeForm{}
	f.territories = widget.NewEntry()
	f.territories.SetText(strconv.Itoa(len(s.scenario.Territories)))
	q := m.bv.query()
	if len(q.quantities) == 0 {
		q.quantities = []planner.Quantity{planner.QuantityPopulation}
	}
	var tols []string
	for _, t := range optimizeTolerances {
		tols = append(tols, t.label)
	}
	grid := container.NewGridWithColumns(3, widget.NewLabel("Quantity"), widget.NewLabel("Tolerance"), widget.NewLabel("Weight"))
	for _, qq := range planner.PlanQuantities(s.plan) {
		r := optimizeRow{q: qq, check: widget.NewCheck(qq.Name(s.plan), nil), tolerance: widget.NewSelect(tols, nil), weight: widget.NewEntry()}
		r.check.Checked = slices.Contains(q.quantities, qq)
		r.tolerance.SetSelectedIndex(0)
		r.weight.SetText("1")
		f.rows = append(f.rows, r)
		grid.Add(r.check)
		grid.Add(r.tolerance)
		grid.Add(r.weight)
	}
	tight := widget.NewButton("All tight ±2%", func() {
		for _, r := range f.rows {
			r.tolerance.SetSelectedIndex(1)
		}
	})
	f.targets = widget.NewRadioGroup([]string{targetsMean, targetsByCapacity}, nil)
	f.targets.Horizontal, f.targets.Required = true, true
	f.targets.SetSelected(targetsMean)
	if q.byCapacity {
		f.targets.SetSelected(targetsByCapacity)
	}
	locks := container.NewGridWithColumns(3)
	for _, t := range s.scenario.Territories {
		c := widget.NewCheck(ellipsis(t.Name, 18), nil)
		f.locked, f.lockedIDs = append(f.locked, c), append(f.lockedIDs, t.ID)
		locks.Add(c)
	}
	for _, i := range m.ed.selection {
		if i >= 0 && i < len(s.plan.Units) {
			if _, ok := s.scenario.Alignment[s.plan.Units[i].Code]; ok {
				f.selCodes = append(f.selCodes, s.plan.Units[i].Code)
			}
		}
	}
	if len(f.selCodes) > 0 {
		f.lockSel = widget.NewCheck(fmt.Sprintf("Keep the %s selected with the lasso in their territories", plural(len(f.selCodes), strings.ToLower(s.plan.UnitLevel), pluralNoun(strings.ToLower(s.plan.UnitLevel)))), nil)
		f.lockSel.Checked = true
	}
	level := strings.ToLower(s.plan.UnitLevel)
	if level == "" {
		level = "unit"
	}
	f.homes = widget.NewCheck("Start each territory at its rep's home "+level, nil)
	homes := homeTerritories(s.plan, s.scenario)
	homesHint := fmt.Sprintf("%d of %s have a lead rep with a home base: the %s containing it stays in the territory.",
		homes, plural(len(s.scenario.Territories), "territory", "territories"), level)
	if homes == 0 {
		f.homes.Disable()
		homesHint = "No territory's lead rep has a home base: give reps a home (Reps tab) and assign them to territories."
	}
	var dis, eff []string
	for _, d := range optimizeDisruption {
		dis = append(dis, d.label)
	}
	for _, e := range optimizeEffort {
		eff = append(eff, e.label)
	}
	f.disruption = widget.NewSelect(dis, nil)
	f.disruption.SetSelectedIndex(0)
	f.effort = widget.NewSelect(eff, nil)
	f.effort.SetSelectedIndex(1)
	f.seed = widget.NewEntry()
	f.seed.SetText("1")
	f.name = widget.NewEntry()
	f.name.SetText(s.plan.NextScenarioName("Balanced draft"))
	f.result = widget.NewRadioGroup([]string{resultNewScenario, resultReplace}, func(v string) {
		if v == resultReplace {
			f.name.Disable()
		} else {
			f.name.Enable()
		}
	})
	f.result.Required = true
	f.result.SetSelected(resultNewScenario)
	hint := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		return l
	}
	f.form = widget.NewForm(
		// Where the result goes comes first: it is the choice that
		// matters most, and the dialog opens scrolled to the top.
		widget.NewFormItem("Result", container.NewVBox(f.result, f.name)),
		widget.NewFormItem("Territories", container.NewVBox(f.territories,
			hint(fmt.Sprintf("Now %d. The same number rebalances them, moving few units; another number draws new territories from scratch.", len(s.scenario.Territories))))),
		widget.NewFormItem("Balance on", container.NewVBox(grid, container.NewHBox(tight))),
		widget.NewFormItem("Targets", f.targets),
		widget.NewFormItem("Locked", lockedItem(f, locks, hint)),
		widget.NewFormItem("Rep homes", container.NewVBox(f.homes, hint(homesHint))),
		widget.NewFormItem("Disruption limit", f.disruption),
		widget.NewFormItem("Search", f.effort),
		widget.NewFormItem("Random seed", f.seed),
	)
	return f
}

// request validates the fields and returns the run they describe. Errors
// are *planner.Error with code EINVALID (or ECONFLICT for a taken name),
// worded for the user.
func (f *optimizeForm) request(s *session) (optimizeRequest, error) {
	var req optimizeRequest
	n := len(s.scenario.Territories)
	k, err := strconv.Atoi(strings.TrimSpace(f.territories.Text))
	if err != nil || k < 1 || k > len(s.plan.Units) {
		return req, planner.Errorf(planner.EINVALID, "The number of territories must be a whole number from 1 to %d", len(s.plan.Units))
	}
	if k != n {
		req.opt.Territories = k
	}
	for _, r := range f.rows {
		if !r.check.Checked {
			continue
		}
		w, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.weight.Text), ",", "."), 64)
		if err != nil || !(w > 0) || math.IsInf(w, 0) {
			return req, planner.Errorf(planner.EINVALID, "The weight of %s must be a number above 0, such as 1 or 2", r.check.Text)
		}
		tol := balance.DefaultTolerance
		if i := r.tolerance.SelectedIndex(); i >= 0 {
			tol = optimizeTolerances[i].frac
		}
		req.opt.Targets = append(req.opt.Targets, balance.Target{Quantity: r.q, Tolerance: tol, Weight: w})
	}
	if len(req.opt.Targets) == 0 {
		return req, planner.Errorf(planner.EINVALID, "Tick at least one quantity to balance on")
	}
	req.opt.ByCapacity = f.targets.Selected == targetsByCapacity
	for i, c := range f.locked {
		if c.Checked {
			req.opt.LockedTerritories = append(req.opt.LockedTerritories, f.lockedIDs[i])
		}
	}
	if f.lockSel != nil && f.lockSel.Checked {
		req.opt.LockedUnits = append(req.opt.LockedUnits, f.selCodes...)
	}
	if (len(req.opt.LockedTerritories) > 0 || len(req.opt.LockedUnits) > 0) && k != n {
		return req, planner.Errorf(planner.EINVALID, "Locked territories and units need the same number of territories (%d): untick them, or keep %d", n, n)
	}
	req.seedHomes = f.homes != nil && f.homes.Checked && !f.homes.Disabled()
	if req.seedHomes && k != n {
		return req, planner.Errorf(planner.EINVALID, "Starting territories at their reps' homes needs the same number of territories (%d): untick it, or keep %d", n, n)
	}
	if i := f.disruption.SelectedIndex(); i >= 0 {
		req.opt.Disruption = optimizeDisruption[i].frac
	}
	req.opt.Effort = 1
	if i := f.effort.SelectedIndex(); i >= 0 {
		req.opt.Effort = optimizeEffort[i].effort
	}
	seed, err := strconv.ParseUint(strings.TrimSpace(f.seed.Text), 10, 64)
	if err != nil {
		return req, planner.Errorf(planner.EINVALID, "The random seed must be a whole number, 0 or more, such as 1")
	}
	req.opt.Seed = seed
	req.intoNew = f.result.Selected != resultReplace
	if req.intoNew {
		if err := checkScenarioName(s.plan, 0, f.name.Text); err != nil {
			return req, err
		}
		req.name, _ = planner.CleanScenarioName(f.name.Text)
	} else if k != n {
		return req, planner.Errorf(planner.EINVALID, "Replacing the alignment keeps the %d territories; for %d territories choose a new scenario", n, k)
	}
	return req, nil
}

// showOptimize opens the optimizer dialog.
func (m *Meridian) showOptimize() {
	s := m.session
	if s == nil {
		return
	}
	if len(s.scenario.Territories) == 0 {
		m.showError(planner.Errorf(planner.EINVALID, "Scenario %q has no territory to balance; make one first", s.scenario.Name))
		return
	}
	f := m.newOptimizeForm(s)
	var d dialog.Dialog
	gutter := canvas.NewRectangle(color.Transparent) // keeps the scroll bar off the fields
	gutter.SetMinSize(fyne.NewSize(14, 0))
	content := container.NewVScroll(container.NewBorder(nil, nil, nil, gutter, f.form))
	d = dialog.NewCustomConfirm("Optimize territories of "+s.scenario.Name, "Run", "Cancel", content, func(ok bool) {
		if !ok || m.session != s {
			return
		}
		req, err := f.request(s)
		if err != nil {
			d.Show() // the fields stay as typed
			m.showError(err)
			return
		}
		m.runOptimize(req)
	}, m.win)
	d.Resize(fyne.NewSize(720, 680))
	d.Show()
}

// runOptimize balances the active scenario as req says, with the task
// runner (progress and Cancel), then applies the result and shows the
// change report.
func (m *Meridian) runOptimize(req optimizeRequest) {
	s := m.session
	if s == nil {
		return
	}
	p := s.snapshotPlan()
	before := p.Scenario(s.scenario.ID)
	var names []string
	for _, t := range req.opt.Targets {
		names = append(names, t.Quantity.Name(s.plan))
	}
	var out balance.Outcome
	opt := req.opt
	m.runTask("Balancing territories on "+strings.Join(names, ", ")+"…", func(ctx context.Context, progress func(float64)) error {
		g := s.optimizerGraph()
		if req.seedHomes {
			opt.Seeds = homeSeeds(p, before)
		}
		opt.Progress = func(done float64, _ string) { progress(done) }
		var err error
		out, err = balance.BalancePlan(ctx, p, before, g, opt)
		return err
	}, func() { m.optimized(s, req, out) })
}

// optimized applies an optimizer's outcome (UI thread): into a new
// scenario, stored and made active, or as one undoable replacement of the
// alignment; then the change report.
func (m *Meridian) optimized(s *session, req optimizeRequest, out balance.Outcome) {
	if m.session != s {
		return
	}
	problems := missedTargets(s.plan, req.opt, out.Result)
	if req.intoNew {
		c, err := s.plan.CopyScenario(&out.Scenario, req.name)
		if err != nil {
			m.showError(err)
			return
		}
		// out.Changes was computed off the UI thread; the copy has new
		// territory IDs but the same names, which is all the report shows.
		changes := out.Changes
		m.reopen("Opening scenario "+c.Name+"…", []sqlite.Edit{sqlite.AddScenarioEdit(c), sqlite.SetActiveScenarioEdit(c.ID)}, func() {
			m.setStatus(fmt.Sprintf("Scenario %s holds the balanced territories (%s moved) and is active.%s", c.Name, m.unitsText(changes.UnitsMoved), historyNote))
			m.showChangeReport(changes, problems, c.Name)
		})
		return
	}
	for id := range maps.Values(out.Scenario.Alignment) {
		if s.territory(id) == nil {
			m.showError(planner.Errorf(planner.ECONFLICT, "The territories of %s changed while balancing; run the optimizer again", s.scenario.Name))
			return
		}
	}
	from := maps.Clone(s.scenario.Alignment)
	label := fmt.Sprintf("Balance territories (%s moved)", m.unitsText(out.Changes.UnitsMoved))
	// The report first: the commit starts a background derive, and the
	// test driver runs its fyne.Do at once, not after this function.
	m.showChangeReport(out.Changes, problems, s.scenario.Name)
	m.commit(replaceAlignmentChange(label, s.scenario.ID, out.Scenario.Alignment, from), false)
	m.setStatus(fmt.Sprintf("Balanced %s: %s moved. Edit > Undo restores the previous alignment.", s.scenario.Name, m.unitsText(out.Changes.UnitsMoved)))
}

// missedTargets lists, for the user, what an optimizer result did not
// meet: each target's tolerance it misses, and territories in more than
// one piece or with no units. It is empty for a feasible result.
func missedTargets(p *planner.Plan, opt balance.Options, res balance.Result) []string {
	if res.Feasible {
		return nil
	}
	var out []string
	targets := opt.Targets
	if len(targets) == 0 {
		targets = []balance.Target{{Quantity: planner.QuantityPopulation}}
	}
	for j, t := range targets {
		tol := t.Tolerance
		if tol == 0 {
			tol = balance.DefaultTolerance
		}
		if j < len(res.MaxAbsDeviation) && res.MaxAbsDeviation[j] > 100*tol*(1+1e-9) {
			out = append(out, fmt.Sprintf("%s is off its target by up to %.1f%% (tolerance ±%s%%)", t.Quantity.Name(p), res.MaxAbsDeviation[j], formatCapacity(100*tol)))
		}
	}
	split, empty := 0, 0
	for _, n := range res.Parts {
		switch {
		case n == 0:
			empty++
		case n > 1:
			split++
		}
	}
	if split > 0 {
		out = append(out, plural(split, "territory is", "territories are")+" in more than one piece")
	}
	if empty > 0 {
		out = append(out, plural(empty, "territory has", "territories have")+" no units")
	}
	if len(out) == 0 {
		out = append(out, "the result does not meet every target")
	}
	return out
}

// changeReport is the change report dialog's content, kept for tests.
type changeReport struct {
	changes  planner.ChangeReport
	problems []string
	summary  string
	flows    []string // one line per ByPair entry
	moves    []string // one line per unit, then per account
	dialog   dialog.Dialog
}

// showChangeReport shows what moved (units, accounts, flows between
// territories and every move, with Save as CSV…) and, when the result
// missed a target, which.
func (m *Meridian) showChangeReport(r planner.ChangeReport, problems []string, scenario string) {
	s := m.session
	if s == nil {
		return
	}
	cr := newChangeReport(s.plan, r, problems)
	m.lastReport = cr
	summary := widget.NewLabel(cr.summary)
	summary.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(summary)
	if len(problems) > 0 {
		warn := widget.NewLabel("Not every target was met: " + strings.Join(problems, "; ") + ". Try more territories, wider tolerances, fewer locks, or a longer search.")
		warn.Wrapping = fyne.TextWrapWord
		warn.Importance = widget.WarningImportance
		top.Add(warn)
	}
	list := func(lines []string) *widget.List {
		return widget.NewList(func() int { return len(lines) },
			func() fyne.CanvasObject {
				l := widget.NewLabel("")
				l.Truncation = fyne.TextTruncateEllipsis
				return l
			},
			func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(lines[i]) })
	}
	flows := container.NewBorder(widget.NewLabelWithStyle("Flows between territories", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, list(cr.flows))
	moves := container.NewBorder(widget.NewLabelWithStyle(fmt.Sprintf("Every move (%s, %s accounts)", m.unitsText(r.UnitsMoved), formatCount(float64(r.AccountsMoved))), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, list(cr.moves))
	split := container.NewVSplit(flows, moves)
	split.Offset = 0.4
	save := widget.NewButton("Save as CSV…", func() {
		m.chooseSavePath("Save the change report", "Save", scenario+" changes.csv", ".csv", m.saveFolder(), func(path string) {
			p := s.plan
			m.runTask("Saving "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
				return writeChangesCSV(path, p, r)
			}, func() { m.setStatus("Saved the change report in " + path + ".") })
		})
	})
	content := container.NewBorder(top, container.NewHBox(save), nil, nil, split)
	cr.dialog = dialog.NewCustom("Change report — "+scenario, "Close", content, m.win)
	cr.dialog.Resize(fyne.NewSize(800, 680))
	cr.dialog.Show()
}

// placeName names a territory in the report; "" is white space.
func placeName(name string) string {
	if name == "" {
		return "white space"
	}
	return name
}

// newChangeReport words a change report for the dialog.
func newChangeReport(p *planner.Plan, r planner.ChangeReport, problems []string) *changeReport {
	potential := p.PotentialName
	if potential == "" {
		potential = "potential"
	}
	cr := &changeReport{changes: r, problems: problems}
	cr.summary = fmt.Sprintf("Units moved: %s · Accounts moved: %s · %s moved: %s · Population moved: %s",
		formatCount(float64(r.UnitsMoved)), formatCount(float64(r.AccountsMoved)), potential, formatCount(r.PotentialMoved), formatCount(r.PopulationMoved))
	if r.UnitsMoved == 0 && r.AccountsMoved == 0 {
		cr.summary = "Nothing moved: the territories were already as balanced as the optimizer could make them."
	}
	for _, f := range r.ByPair {
		cr.flows = append(cr.flows, fmt.Sprintf("%s → %s: %s, %s accounts, %s %s, %s people",
			placeName(f.FromName), placeName(f.ToName), unitCount(f.Units, p.UnitLevel), formatCount(float64(f.Accounts)),
			formatCount(f.Potential), potential, formatCount(f.Population)))
	}
	for _, u := range r.Units {
		name := u.UnitName
		if u.ParentName != "" {
			name += ", " + u.ParentName
		}
		cr.moves = append(cr.moves, fmt.Sprintf("%s (%s): %s → %s", name, u.UnitCode, placeName(u.FromName), placeName(u.ToName)))
	}
	for _, a := range r.Accounts {
		pot := "unknown " + potential
		if a.Potential.Known {
			pot = formatCount(a.Potential.Value) + " " + potential
		}
		cr.moves = append(cr.moves, fmt.Sprintf("Account %s (#%d, %s): %s → %s", a.Name, a.AccountID, pot, placeName(a.FromName), placeName(a.ToName)))
	}
	return cr
}

// writeChangesCSV writes every move of r as CSV (RFC 4180, UTF-8, header
// row) to path atomically, through a temporary file in the same folder:
// Kind, Code, Name, Parent, From, To, Population (people, units only) and
// the potential (accounts only; empty when unknown). Errors are
// planner.EIO.
func writeChangesCSV(path string, p *planner.Plan, r planner.ChangeReport) error {
	fail := func(err error) error { return planner.Errorf(planner.EIO, "Cannot write %s: %v", path, err) }
	tmp, err := os.CreateTemp(filepath.Dir(path), ".meridian-changes-*.csv.tmp")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(tmp.Name())
	w := csv.NewWriter(tmp)
	potential := p.PotentialName
	if potential == "" {
		potential = "Potential"
	}
	level := p.UnitLevel
	if level == "" {
		level = "Unit"
	}
	w.Write([]string{"Kind", "Code", "Name", "Parent", "From", "To", "Population", potential})
	measure := func(m planner.Measure) string {
		if !m.Known {
			return ""
		}
		return strconv.FormatFloat(m.Value, 'f', -1, 64)
	}
	for _, u := range r.Units {
		w.Write([]string{level, planner.CSVText(u.UnitCode), planner.CSVText(u.UnitName), planner.CSVText(u.ParentName),
			planner.CSVText(placeName(u.FromName)), planner.CSVText(placeName(u.ToName)), measure(u.Population), ""})
	}
	for _, a := range r.Accounts {
		w.Write([]string{"Account", strconv.FormatInt(a.AccountID, 10), planner.CSVText(a.Name), "",
			planner.CSVText(placeName(a.FromName)), planner.CSVText(placeName(a.ToName)), "", measure(a.Potential)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tmp.Close()
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes it private; a report is for sharing
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fail(err)
	}
	return nil
}

// repairContiguity joins the stray pieces of the active scenario's
// territories to the neighbouring territory where they cost least
// (balance.Repair, on the Balance view's quantities and band), as one
// undoable edit.
func (m *Meridian) repairContiguity() {
	s := m.session
	if s == nil {
		return
	}
	snap := s.snapshot()
	q := m.bv.query()
	tol := m.bv.tolerancePct() / 100
	var assign, repaired []int
	m.runTask("Repairing contiguity…", func(ctx context.Context, progress func(float64)) error {
		g := s.optimizerGraph()
		assign = territoryRows(s.plan, snap, nil)
		var metrics []balance.Metric
		for _, qq := range q.quantities {
			metrics = append(metrics, balance.Metric{Name: qq.Name(s.plan), Values: qq.UnitValues(s.plan, snap), Tolerance: tol})
		}
		var err error
		repaired, err = balance.Repair(g, assign, len(snap.Territories), metrics)
		return err
	}, func() { m.repaired(s, snap, assign, repaired) })
}

// repaired applies a contiguity repair (UI thread) and says what moved.
func (m *Meridian) repaired(s *session, snap *planner.Scenario, assign, repaired []int) {
	if m.session != s {
		return
	}
	to, from := map[string]int64{}, map[string]int64{}
	for i, r := range repaired {
		if r != assign[i] && r >= 0 && r < len(snap.Territories) {
			code := s.plan.Units[i].Code
			to[code], from[code] = snap.Territories[r].ID, s.scenario.Alignment[code]
		}
	}
	var split []string
	for r, n := range s.graph.Parts(repaired, len(snap.Territories)) {
		if n > 1 {
			split = append(split, fmt.Sprintf("%s (%d pieces)", snap.Territories[r].Name, n))
		}
	}
	still := len(split)
	note := ""
	if still > 0 {
		if still > 3 {
			split = append(split[:3], "…")
		}
		note = fmt.Sprintf(" Still in more than one piece: %s; their other pieces touch no other territory, or have no shape in the map data.", strings.Join(split, ", "))
	}
	if len(to) == 0 {
		if still == 0 {
			m.setStatus("Every territory is in one piece.")
		} else {
			m.setStatus("Nothing to repair." + note)
		}
		return
	}
	m.commit(realignChange(fmt.Sprintf("Repair contiguity (%s)", m.unitsText(len(to))), s.scenario.ID, to, from), false)
	if still == 0 {
		m.setStatus(fmt.Sprintf("Moved %s so that every territory is in one piece. Edit > Undo puts them back.", m.unitsText(len(to))))
	} else {
		m.setStatus(fmt.Sprintf("Moved %s.%s", m.unitsText(len(to)), note))
	}
}

// homeTerritories counts the territories of sc whose lead rep
// (Territory.LeadRep) has a home base.
func homeTerritories(p *planner.Plan, sc *planner.Scenario) int {
	n := 0
	for i := range sc.Territories {
		if r := p.Rep(sc.Territories[i].LeadRep()); r != nil && r.HasHome {
			n++
		}
	}
	return n
}

// homeSeeds returns the optimizer's seeds (balance.Options.Seeds: unit
// code → territory ID) that start each territory of sc at its lead rep's
// home: the unit containing the rep's home base (WGS84 lon/lat), found by
// planner.Locator (point in polygon, snapped to the nearest unit within
// planner.DefaultSnapKm). A home in no unit gives no seed; when two
// territories' reps live in the same unit, the first territory in the
// scenario's order keeps it. It indexes every unit's polygon when some
// lead rep has a home: call it off the UI thread.
func homeSeeds(p *planner.Plan, sc *planner.Scenario) map[string]int64 {
	var loc *planner.Locator
	seeds := map[string]int64{}
	for i := range sc.Territories {
		t := &sc.Territories[i]
		r := p.Rep(t.LeadRep())
		if r == nil || !r.HasHome {
			continue
		}
		if loc == nil {
			loc = planner.NewLocator(p.Units, planner.DefaultSnapKm)
		}
		code, how := loc.Locate(r.HomeBase)
		if how == planner.PlacedNone || code == "" {
			continue
		}
		if _, taken := seeds[code]; !taken {
			seeds[code] = t.ID
		}
	}
	return seeds
}
