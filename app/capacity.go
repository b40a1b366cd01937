package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// noWorkloadText explains the Capacity tab when the plan has no workload
// model.
const noWorkloadText = "Capacity planning compares each territory's workload (visits and travel, hours a year) with the reps assigned to it, " +
	"and answers \"how many reps do we hire, and where\". It needs a workload model: how often accounts are visited, " +
	"how long a visit takes, and how many hours a rep has in a year."

// capacityColumn is one column of the capacity table.
type capacityColumn struct {
	title    string
	width    float32 // dp
	trailing bool
	value    func(c *planner.CapacityLine) string
}

// capacityColumns are the capacity table's columns.
var capacityColumns = []capacityColumn{
	{"Territory", 140, false, func(c *planner.CapacityLine) string { return c.Name }},
	{"Reps needed", 102, true, func(c *planner.CapacityLine) string { return formatFTE(c.RepsNeeded) }},
	{"Assigned", 75, true, func(c *planner.CapacityLine) string { return formatFTE(c.RepsAssigned) }},
	{"Vacancies", 75, true, func(c *planner.CapacityLine) string { return formatFTE(c.Vacancies) }},
	{"Gap", 70, true, func(c *planner.CapacityLine) string { return formatGap(c.Gap) }},
	{"To hire", 65, true, func(c *planner.CapacityLine) string { return strconv.Itoa(c.ToHire) }},
	{"Utilisation", 85, true, func(c *planner.CapacityLine) string {
		if c.RepsAssigned+c.Vacancies == 0 {
			return "—"
		}
		return strconv.FormatFloat(math.Round(c.Utilisation*100), 'f', 0, 64) + "%"
	}},
	{"Workload (h)", 95, true, func(c *planner.CapacityLine) string { return formatCount(c.Hours) }},
	{"Accounts", 75, true, func(c *planner.CapacityLine) string { return formatCount(float64(c.Accounts)) }},
	{"Region", 100, false, func(c *planner.CapacityLine) string { return c.Region }},
	{"Reps", 170, false, func(c *planner.CapacityLine) string { return c.Reps }},
}

// capacityRow is one row of the capacity table: a territory, a region sum
// or the total.
type capacityRow struct {
	line planner.CapacityLine
	sum  bool // a region or the total: drawn bold
}

// capacityView is the Capacity tab: workload against reps, per territory
// and region (planner.BuildCapacityPlan), computed off the UI thread.
type capacityView struct {
	m       *Meridian
	content fyne.CanvasObject

	headline *widget.Label
	table    *widget.Table
	edit     *widget.Button
	tableBox *fyne.Container // headline, edit button and table
	setup    *fyne.Container // the explanation and Set up workload… when no model

	s    *session
	gen  uint64 // bumped by every set; results of older ones are dropped
	plan planner.CapacityPlan
	rows []capacityRow
	// form is the last workload dialog opened (tests drive it).
	form *workloadForm
	// updated, when set, is called on the UI thread after a result is
	// shown (tests wait on it).
	updated func()
}

func (m *Meridian) newCapacityView() *capacityView {
	v := &capacityView{m: m}
	v.headline = widget.NewLabel("")
	v.headline.Wrapping = fyne.TextWrapWord
	v.headline.TextStyle = fyne.TextStyle{Bold: true}
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.rows), len(capacityColumns) },
		func() fyne.CanvasObject {
			text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			text.TextSize = theme.TextSize() - 1
			bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
			return container.NewStack(bg, container.NewPadded(text))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			st := o.(*fyne.Container)
			bg := st.Objects[0].(*canvas.Rectangle)
			text := st.Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
			text.Color = theme.Color(theme.ColorNameForeground)
			text.Text = ""
			text.TextStyle = fyne.TextStyle{}
			bg.Hidden = true
			if id.Row >= 0 && id.Row < len(v.rows) && id.Col >= 0 && id.Col < len(capacityColumns) {
				c := &capacityColumns[id.Col]
				if v.rows[id.Row].sum {
					text.TextStyle.Bold = true
					bg.Hidden = false
				}
				text.Text = fitText(v.cellText(id.Row, id.Col), c.width-2*theme.Padding(), text.TextSize, text.TextStyle)
				text.Alignment = alignment(c.trailing)
			}
			text.Refresh()
			bg.Refresh()
		})
	setBoldHeader(v.table, func(col int) (columnHeader, bool) {
		if col >= len(capacityColumns) {
			return columnHeader{}, false
		}
		c := &capacityColumns[col]
		return columnHeader{c.title, c.width, c.trailing}, true
	})
	for i, c := range capacityColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.edit = widget.NewButtonWithIcon("Workload model…", theme.SettingsIcon(), v.showWorkloadForm)
	v.tableBox = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewVBox(v.edit), v.headline), nil, nil, nil, v.table)
	explain := widget.NewLabel(noWorkloadText)
	explain.Wrapping = fyne.TextWrapWord
	setupBtn := widget.NewButtonWithIcon("Set up workload…", theme.SettingsIcon(), v.showWorkloadForm)
	setupBtn.Importance = widget.HighImportance
	v.setup = container.NewVBox(explain, container.NewHBox(setupBtn))
	v.content = container.NewStack(v.tableBox, v.setup)
	v.tableBox.Hide()
	return v
}

// set shows session s (nil when no plan is open). Call on the UI thread.
// The capacity plan is computed in a goroutine from a snapshot of the plan
// and its active scenario; a result is shown only when no later set came
// since and the same plan is open.
func (v *capacityView) set(s *session) {
	v.s = s
	v.gen++
	if s == nil || s.plan.Workload == nil {
		v.rows, v.plan = nil, planner.CapacityPlan{}
		v.tableBox.Hide()
		v.setup.Show()
		v.table.Refresh()
		if s == nil {
			v.setup.Hide()
		}
		return
	}
	v.setup.Hide()
	v.tableBox.Show()
	gen, p := v.gen, s.snapshotPlan()
	sc, model := p.Scenario(s.scenario.ID), *p.Workload
	model.Rules = slices.Clone(model.Rules)
	v.m.tasks.Add(1)
	v.m.goBackground(func() {
		defer v.m.tasks.Done()
		cp := planner.BuildCapacityPlan(p, sc, model)
		head := capacityHeadline(cp, sc)
		fyne.Do(func() {
			if gen != v.gen || v.m.session != s || v.m.quitting.Load() {
				return
			}
			v.show(cp, head)
		})
	})
}

// show puts a computed capacity plan in the table. Call on the UI thread.
func (v *capacityView) show(cp planner.CapacityPlan, head string) {
	v.plan = cp
	v.rows = v.rows[:0]
	for _, c := range cp.Territories {
		v.rows = append(v.rows, capacityRow{line: c})
	}
	for _, c := range cp.Regions {
		c.Region = "Region"
		v.rows = append(v.rows, capacityRow{line: c, sum: true})
	}
	v.rows = append(v.rows, capacityRow{line: cp.Total, sum: true})
	v.headline.SetText(head)
	v.table.Refresh()
	if v.updated != nil {
		v.updated()
	}
}

// cellText returns the text of row r, column c of the table, whole.
func (v *capacityView) cellText(r, c int) string {
	if r < 0 || r >= len(v.rows) || c < 0 || c >= len(capacityColumns) {
		return ""
	}
	return capacityColumns[c].value(&v.rows[r].line)
}

// formatFTE formats full-time equivalents with one decimal ("41.3"), or
// whole ("35") when whole.
func formatFTE(v float64) string {
	r := math.Round(v*10) / 10
	if r == math.Trunc(r) {
		return strconv.FormatFloat(r, 'f', 0, 64)
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}

// formatGap formats a gap in FTE with a sign: "+2.3" (hire), "−0.5"
// (spare), "0".
func formatGap(v float64) string {
	r := math.Round(v*10) / 10
	switch {
	case r > 0:
		return "+" + formatFTE(r)
	case r < 0:
		return "−" + formatFTE(-r)
	}
	return "0"
}

// capacityHeadline answers "how many reps do we hire, and where" in one
// line: "Workload needs 41.3 reps; 35 assigned, 2 open (TBH): hire 5 (West
// 3, South 2)". Where: the top-level regions of sc with hires, else the
// territories, largest first (at most 5 named).
func capacityHeadline(cp planner.CapacityPlan, sc *planner.Scenario) string {
	t := cp.Total
	var b strings.Builder
	fmt.Fprintf(&b, "Workload needs %s reps; %s assigned", formatFTE(t.RepsNeeded), formatFTE(t.RepsAssigned))
	if t.Vacancies > 0 {
		fmt.Fprintf(&b, ", %s open (TBH)", formatFTE(t.Vacancies))
	}
	if t.ToHire == 0 {
		b.WriteString(": no hire needed")
		if t.Gap < 0 {
			fmt.Fprintf(&b, " (%s reps of spare capacity)", formatFTE(-t.Gap))
		}
		return b.String()
	}
	fmt.Fprintf(&b, ": hire %d", t.ToHire)
	type where struct {
		name string
		n    int
	}
	var ws []where
	top := map[string]bool{}
	for _, r := range sc.Regions {
		if r.ParentID == 0 {
			top[r.Name] = true
		}
	}
	for _, r := range cp.Regions {
		if (top[r.Name] || r.Name == "No region") && r.ToHire > 0 {
			ws = append(ws, where{r.Name, r.ToHire})
		}
	}
	if len(ws) == 0 {
		for _, c := range cp.Territories {
			if c.ToHire > 0 {
				ws = append(ws, where{c.Name, c.ToHire})
			}
		}
	}
	slices.SortStableFunc(ws, func(a, b where) int { return b.n - a.n })
	var parts []string
	for i, w := range ws {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("%d more", len(ws)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", w.name, w.n))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	return b.String()
}

// ---- Workload model dialog ----

// workloadTiers are the default potential tiers of the simple model: the
// minimum potential (in the plan's potential unit, e.g. beds), visits a
// year and hours a visit. Planning defaults for a field team: the largest
// accounts monthly, mid-size every other month, the rest quarterly.
var workloadTiers = []planner.VisitRule{
	{MinPotential: 300, VisitsPerYear: 12, HoursPerVisit: 2},
	{MinPotential: 100, VisitsPerYear: 6, HoursPerVisit: 1.5},
	{MinPotential: 0, VisitsPerYear: 4, HoursPerVisit: 1},
}

const (
	workloadOneRule = "One rule for all accounts"
	workloadByTier  = "By potential tier"
)

// workloadForm is the small workload model dialog of the Capacity tab.
type workloadForm struct {
	v       *capacityView
	dlg     *dialog.CustomDialog
	mode    *widget.RadioGroup
	visits  *widget.Entry // one rule
	hours   *widget.Entry
	tiers   [3][3]*widget.Entry // min potential, visits, hours per tier
	one     *fyne.Container
	byTier  *fyne.Container
	cap     *widget.Entry
	problem *widget.Label
	ok      *widget.Button
}

// showWorkloadForm opens the workload dialog, filled from the plan's model
// when it is one this dialog can show (one catch-all rule, or three tiers
// without segments), else with the defaults.
func (v *capacityView) showWorkloadForm() {
	s := v.s
	if s == nil {
		return
	}
	f := &workloadForm{v: v}
	entry := func(x float64) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(strconv.FormatFloat(x, 'f', -1, 64))
		e.OnChanged = func(string) { f.check() }
		return e
	}
	cur := s.plan.Workload
	one := planner.VisitRule{VisitsPerYear: 6, HoursPerVisit: 1.5}
	tiers := slices.Clone(workloadTiers)
	mode := workloadByTier
	capHours := planner.DefaultCapacityHours
	if cur != nil {
		capHours = cur.Capacity()
		switch {
		case len(cur.Rules) == 1 && cur.Rules[0].Segment == "" && cur.Rules[0].MinPotential == 0:
			one, mode = cur.Rules[0], workloadOneRule
		case len(cur.Rules) == 3 && !slices.ContainsFunc(cur.Rules, func(r planner.VisitRule) bool { return r.Segment != "" }):
			tiers = slices.Clone(cur.Rules)
		}
	}
	f.visits, f.hours = entry(one.VisitsPerYear), entry(one.HoursPerVisit)
	f.one = container.NewVBox(widget.NewForm(widget.NewFormItem("Visits per year", f.visits), widget.NewFormItem("Hours per visit", f.hours)))
	potential := s.plan.PotentialName
	if potential == "" {
		potential = "potential"
	}
	grid := container.NewGridWithColumns(4, widget.NewLabel("Tier"), widget.NewLabel("Min. "+strings.ToLower(potential)),
		widget.NewLabel("Visits / year"), widget.NewLabel("Hours / visit"))
	for i, name := range []string{"A", "B", "C (all others)"} {
		f.tiers[i] = [3]*widget.Entry{entry(tiers[i].MinPotential), entry(tiers[i].VisitsPerYear), entry(tiers[i].HoursPerVisit)}
		grid.Add(widget.NewLabel(name))
		for _, e := range f.tiers[i] {
			grid.Add(e)
		}
	}
	f.byTier = container.NewVBox(grid)
	f.mode = widget.NewRadioGroup([]string{workloadOneRule, workloadByTier}, func(string) { f.check() })
	f.mode.Required = true
	f.cap = entry(capHours)
	f.problem = widget.NewLabel("")
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Importance = widget.DangerImportance
	note := widget.NewLabel("Travel from each rep's home base (else the territory's centre) is added at the default speed and road circuity.")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	f.ok = widget.NewButtonWithIcon("OK", theme.ConfirmIcon(), f.submit)
	f.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.dlg.Hide() })
	content := container.NewVBox(f.mode, f.one, f.byTier,
		widget.NewForm(widget.NewFormItem("Rep capacity (h/yr)", f.cap)), note, f.problem)
	f.dlg = dialog.NewCustomWithoutButtons("Workload model", content, v.m.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.ok})
	f.dlg.Resize(fyne.NewSize(600, 480))
	v.form = f
	f.mode.SetSelected(mode)
	f.check()
	f.dlg.Show()
}

// model reads the fields, or the first problem worded for the user.
func (f *workloadForm) model() (*planner.WorkloadModel, error) {
	num := func(e *widget.Entry, what string) (float64, error) {
		x, err := parseTypedNumber(e.Text)
		if err != nil || x < 0 {
			return 0, fmt.Errorf("%s must be a number, 0 or more", what)
		}
		return x, nil
	}
	m := &planner.WorkloadModel{}
	if f.mode.Selected == workloadOneRule {
		v, err := num(f.visits, "Visits per year")
		if err != nil {
			return nil, err
		}
		h, err := num(f.hours, "Hours per visit")
		if err != nil {
			return nil, err
		}
		m.Rules = []planner.VisitRule{{VisitsPerYear: v, HoursPerVisit: h}}
	} else {
		prev := math.Inf(1)
		for i, row := range f.tiers {
			name := []string{"A", "B", "C"}[i]
			var r planner.VisitRule
			var err error
			if i < 2 {
				if r.MinPotential, err = num(row[0], "Tier "+name+"'s minimum"); err != nil {
					return nil, err
				}
				if !(r.MinPotential > 0) || r.MinPotential >= prev {
					return nil, fmt.Errorf("Tier %s's minimum must be above 0 and below the tier above's", name)
				}
				prev = r.MinPotential
			}
			if r.VisitsPerYear, err = num(row[1], "Tier "+name+"'s visits per year"); err != nil {
				return nil, err
			}
			if r.HoursPerVisit, err = num(row[2], "Tier "+name+"'s hours per visit"); err != nil {
				return nil, err
			}
			m.Rules = append(m.Rules, r)
		}
	}
	c, err := num(f.cap, "Rep capacity")
	if err != nil || !(c > 0) || c > planner.HoursPerYear {
		return nil, fmt.Errorf("Rep capacity must be a number of hours a year above 0 and at most %s", formatCount(planner.HoursPerYear))
	}
	m.DefaultCapacityHours = c
	if cur := f.v.s.plan.Workload; cur != nil {
		m.SpeedKmh, m.Circuity = cur.SpeedKmh, cur.Circuity
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%s", planner.ErrorMessage(err))
	}
	return m, nil
}

// check shows the fields of the mode chosen and validates them.
func (f *workloadForm) check() {
	if f.ok == nil || f.mode == nil {
		return
	}
	if f.mode.Selected == workloadOneRule {
		f.one.Show()
		f.byTier.Hide()
	} else {
		f.one.Hide()
		f.byTier.Show()
	}
	if _, err := f.model(); err != nil {
		f.problem.SetText("✗ " + err.Error())
		f.problem.Show()
		f.ok.Disable()
		return
	}
	f.problem.Hide()
	f.ok.Enable()
}

// submit stores the model as one undoable change.
func (f *workloadForm) submit() {
	m, err := f.model()
	s := f.v.m.session
	if err != nil || s == nil || s != f.v.s {
		f.check()
		return
	}
	f.dlg.Hide()
	f.v.m.commit(workloadChange(s.plan.Workload, m), false)
}

// workloadChange sets the plan's workload model from old to new (nil: no
// model).
func workloadChange(old, new *planner.WorkloadModel) *change {
	label := "Set the workload model"
	if old == nil {
		label = "Set up the workload model"
	}
	return &change{
		label:  label,
		do:     func(s *session) { s.plan.Workload = new },
		undo:   func(s *session) { s.plan.Workload = old },
		write:  []sqlite.Edit{sqlite.SetWorkloadEdit(new)},
		revert: []sqlite.Edit{sqlite.SetWorkloadEdit(old)},
	}
}
