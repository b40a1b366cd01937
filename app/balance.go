package app

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/balance"
)

// balanceQuery is what the Balance view reports on: the quantities (in
// planner.Quantities order) and whether targets follow capacity.
type balanceQuery struct {
	quantities []planner.Quantity
	byCapacity bool
}

// defaultBalanceQuery is potential and population against the mean.
func defaultBalanceQuery() balanceQuery {
	return balanceQuery{quantities: []planner.Quantity{planner.QuantityPotential, planner.QuantityPopulation}}
}

func (q balanceQuery) same(o balanceQuery) bool {
	return q.byCapacity == o.byCapacity && slices.Equal(q.quantities, o.quantities)
}

// balanceReport computes the Balance view's report of scenario snap of
// plan p (snapshots, as for derive) for q from its metrics m, with
// contiguity and compactness measured on the session's graph. It is safe
// off the UI thread (a few milliseconds for the sample).
func (s *session) balanceReport(p *planner.Plan, snap *planner.Scenario, q balanceQuery, m planner.Metrics) planner.BalanceReport {
	var shapes planner.ShapeMeasurer
	if s.graph != nil {
		shapes = s.graph
	}
	return planner.BalanceOf(p, snap, m, q.quantities, q.byCapacity, shapes)
}

// Targets choices of the Balance view and the optimizer.
const (
	targetsMean       = "Mean"
	targetsByCapacity = "By capacity"
)

// toleranceChoices are the ±band choices of the Balance view, in percent.
var toleranceChoices = []struct {
	label string
	pct   float64
}{{"±2% (tight)", 2}, {"±5%", 5}, {"±10%", 10}}

// balanceColumn is one column of the Balance table.
type balanceColumn struct {
	title string
	width float32
	value func(r *planner.BalanceRow) string
}

// balanceView is the Balance tab: which quantities and targets, a summary
// per quantity and of the shapes, the deviation chart and a table per
// territory with its capacity (editable), values, targets, deviations,
// pieces and compactness.
type balanceView struct {
	content   fyne.CanvasObject
	checkRow  *fyne.Container
	checks    []*widget.Check    // one per qs entry
	qs        []planner.Quantity // the plan's quantities (planner.PlanQuantities)
	targets   *widget.RadioGroup
	tolerance *widget.Select
	summary   *widget.Label
	chart     *barChart
	table     *widget.Table
	columns   []balanceColumn
	report    planner.BalanceReport
	plan      *planner.Plan
	ignore    bool // set while widgets are set from code
	onCheck   func(bool)
}

// newBalanceView builds the Balance tab; its callbacks reach m.
func (m *Meridian) newBalanceView() *balanceView {
	bv := &balanceView{ignore: true}
	defer func() { bv.ignore = false }()
	def := defaultBalanceQuery()
	bv.checkRow = container.NewHBox()
	bv.onCheck = func(bool) {
		if !bv.ignore {
			m.balanceQueryChanged()
		}
	}
	bv.setQuantities(nil, def.quantities)
	checkRow := bv.checkRow
	bv.targets = widget.NewRadioGroup([]string{targetsMean, targetsByCapacity}, func(string) {
		if !bv.ignore {
			m.balanceQueryChanged()
		}
	})
	bv.targets.Horizontal = true
	bv.targets.Required = true
	bv.targets.Selected = targetsMean
	var tols []string
	for _, t := range toleranceChoices {
		tols = append(tols, t.label)
	}
	bv.tolerance = widget.NewSelect(tols, func(string) {
		if !bv.ignore && bv.plan != nil {
			bv.set(bv.plan, bv.report)
		}
	})
	bv.tolerance.SetSelectedIndex(1)
	bv.summary = widget.NewLabel("")
	bv.summary.Wrapping = fyne.TextWrapWord
	bv.chart = newBarChart()
	bv.table = bv.newTable(m)
	optimize := widget.NewButtonWithIcon("Optimize…", theme.MediaPlayIcon(), m.showOptimize)
	optimize.Importance = widget.HighImportance
	buttons := container.NewHBox(optimize,
		widget.NewButton("Repair contiguity", m.repairContiguity),
		widget.NewButton("Set capacity…", func() { m.askCapacity(m.ed.activeID) }))
	top := container.NewVBox(
		container.NewHScroll(checkRow),
		container.NewHScroll(container.NewHBox(widget.NewLabel("Targets:"), bv.targets,
			widget.NewSeparator(), widget.NewLabel("Band:"), bv.tolerance)),
		bv.summary,
		container.NewHScroll(buttons),
	)
	split := container.NewVSplit(container.NewVScroll(bv.chart), bv.table)
	split.Offset = 0.5
	bv.content = container.NewBorder(top, nil, nil, nil, split)
	bv.columns = balanceColumns(nil, nil)
	return bv
}

// setQuantities shows one check per quantity of plan p (nil: the built-in
// ones), those in checked checked. Call on the UI thread.
func (bv *balanceView) setQuantities(p *planner.Plan, checked []planner.Quantity) {
	bv.qs = planner.PlanQuantities(p)
	bv.checks = bv.checks[:0]
	bv.checkRow.RemoveAll()
	bv.checkRow.Add(widget.NewLabel("Balance on:"))
	for _, q := range bv.qs {
		c := widget.NewCheck(q.Name(p), bv.onCheck)
		c.Checked = slices.Contains(checked, q)
		bv.checks = append(bv.checks, c)
		bv.checkRow.Add(c)
	}
	bv.checkRow.Refresh()
}

// query returns the quantities and targets chosen.
func (bv *balanceView) query() balanceQuery {
	var q balanceQuery
	for i, c := range bv.checks {
		if c.Checked {
			q.quantities = append(q.quantities, bv.qs[i])
		}
	}
	q.byCapacity = bv.targets.Selected == targetsByCapacity
	return q
}

// tolerancePct returns the band chosen, in percent.
func (bv *balanceView) tolerancePct() float64 {
	if i := bv.tolerance.SelectedIndex(); i >= 0 {
		return toleranceChoices[i].pct
	}
	return 100 * balance.DefaultTolerance
}

// set shows report r of plan p. Call on the UI thread.
func (bv *balanceView) set(p *planner.Plan, r planner.BalanceReport) {
	bv.plan, bv.report = p, r
	bv.ignore = true
	if qs := planner.PlanQuantities(p); !slices.Equal(qs, bv.qs) {
		bv.setQuantities(p, bv.query().quantities)
	}
	for i, c := range bv.checks {
		if name := bv.qs[i].Name(p); c.Text != name {
			c.Text = name
			c.Refresh()
		}
	}
	bv.ignore = false
	tol := bv.tolerancePct()
	bv.summary.SetText(balanceSummary(p, r, tol))
	bv.chart.setReport(p, r, tol)
	bv.columns = balanceColumns(p, r.Quantities)
	for i, c := range bv.columns {
		bv.table.SetColumnWidth(i, c.width)
	}
	bv.table.Refresh()
}

// balanceQueryChanged recomputes the report after a change of quantities or
// targets, in the background derive.
func (m *Meridian) balanceQueryChanged() { m.rederive() }

// quantityShort names a quantity in a table header: "Beds", "Population".
func quantityShort(p *planner.Plan, q planner.Quantity) string {
	switch q {
	case planner.QuantityPotential:
		if p != nil && p.PotentialName != "" {
			return p.PotentialName
		}
		return "Potential"
	case planner.QuantityUnits:
		return "Units"
	}
	return q.Name(p)
}

// balanceColumns returns the Balance table's columns for quantities qs:
// Territory, Capacity, then Value, Target and ± % per quantity, then Parts
// and Polsby-Popper.
func balanceColumns(p *planner.Plan, qs []planner.Quantity) []balanceColumn {
	cols := []balanceColumn{
		{"Territory", 130, func(r *planner.BalanceRow) string { return ellipsis(r.Territory.Name, 20) }},
		{"Capacity", 64, func(r *planner.BalanceRow) string { return formatCapacity(r.Territory.CapacityOf()) }},
	}
	for k, q := range qs {
		cols = append(cols,
			balanceColumn{quantityShort(p, q), 84, func(r *planner.BalanceRow) string { return formatCount(r.Value[k]) }},
			balanceColumn{"Target", 84, func(r *planner.BalanceRow) string { return formatCount(r.Target[k]) }},
			balanceColumn{"± %", 58, func(r *planner.BalanceRow) string { return formatPercent(r.Deviation[k]) }},
		)
	}
	return append(cols,
		balanceColumn{"Parts", 46, func(r *planner.BalanceRow) string {
			if r.Parts < 0 {
				return "—"
			}
			return strconv.Itoa(r.Parts)
		}},
		balanceColumn{"Polsby-Popper", 100, func(r *planner.BalanceRow) string { return formatScore(r.PolsbyPopper) }},
	)
}

// formatCapacity formats a capacity in reps: "1", "1.5".
func formatCapacity(c float64) string { return strconv.FormatFloat(c, 'f', -1, 64) }

// formatScore formats a compactness score with two decimals, "—" for NaN.
func formatScore(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// newTable builds the Balance table. A tap on a row makes its territory
// the active one; a tap on its Capacity cell also asks for a new capacity.
func (bv *balanceView) newTable(m *Meridian) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(bv.report.Rows), len(bv.columns) },
		newTextCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := textCell(o)
			text.Text = bv.cellText(id.Row, id.Col)
			text.Alignment = fyne.TextAlignTrailing
			if id.Col == 0 {
				text.Alignment = fyne.TextAlignLeading
			}
			text.TextStyle = fyne.TextStyle{}
			if k := (id.Col - 2) / 3; id.Col >= 2 && (id.Col-2)%3 == 2 && k < len(bv.report.Quantities) && id.Row < len(bv.report.Rows) {
				// A deviation beyond the band is bold.
				text.TextStyle.Bold = math.Abs(bv.report.Rows[id.Row].Deviation[k]) > bv.tolerancePct()
			}
			text.Refresh()
		})
	setBoldHeader(t, func(col int) (columnHeader, bool) {
		if col >= len(bv.columns) {
			return columnHeader{}, false
		}
		return columnHeader{title: bv.columns[col].title, trailing: col > 0}, true
	})
	t.OnSelected = func(id widget.TableCellID) {
		if id.Row < 0 || id.Row >= len(bv.report.Rows) {
			return
		}
		tid := bv.report.Rows[id.Row].Territory.ID
		t.UnselectAll()
		m.setActive(tid)
		if id.Col == 1 {
			m.askCapacity(tid)
		}
	}
	return t
}

// cellText returns the text of the Balance table at row and col ("" out
// of range).
func (bv *balanceView) cellText(row, col int) string {
	if row < 0 || row >= len(bv.report.Rows) || col < 0 || col >= len(bv.columns) {
		return ""
	}
	return bv.columns[col].value(&bv.report.Rows[row])
}

// balanceSummary is the text above the chart: per quantity its largest
// deviation, spread and the territories outside the band (tol, percent),
// then the shapes.
func balanceSummary(p *planner.Plan, r planner.BalanceReport, tol float64) string {
	var b strings.Builder
	targets := "the mean"
	if r.ByCapacity {
		targets = "capacity"
	}
	if len(r.Quantities) == 0 {
		b.WriteString("Tick a quantity to see how balanced the territories are.\n")
	}
	for k, q := range r.Quantities {
		out := 0
		for _, row := range r.Rows {
			if math.Abs(row.Deviation[k]) > tol {
				out++
			}
		}
		fmt.Fprintf(&b, "%s: max |deviation| %.1f%%, spread %.1f%% (targets by %s); %s outside ±%s%%.\n",
			q.Name(p), r.MaxAbsDeviation[k], r.Spread[k], targets, plural(out, "territory", "territories"), formatCapacity(tol))
	}
	if math.IsNaN(r.PolsbyPopperMean) {
		fmt.Fprintf(&b, "%d territories; shapes not measured.", len(r.Rows))
	} else {
		fmt.Fprintf(&b, "%d of %d territories contiguous · Polsby-Popper mean %.2f, min %.2f", r.Contiguous, len(r.Rows), r.PolsbyPopperMean, r.PolsbyPopperMin)
	}
	return b.String()
}

// maxCapacity is the largest capacity the dialog accepts, in reps.
const maxCapacity = 1000

// parseCapacity parses a capacity typed by the user: a number of reps
// from 0 to maxCapacity ("," accepted as the decimal mark); empty is 0
// (unset, which counts as 1).
func parseCapacity(v string) (float64, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", ".")
	if v == "" {
		return 0, nil
	}
	c, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(c) || c < 0 || c > maxCapacity {
		return 0, fmt.Errorf("a number of reps from 0 to %d, such as 1 or 1.5", maxCapacity)
	}
	return c, nil
}

// askCapacity asks for territory id's capacity in reps and sets it as one
// undoable edit.
func (m *Meridian) askCapacity(id int64) {
	s := m.session
	if s == nil {
		return
	}
	t := s.territory(id)
	if t == nil {
		m.setStatus("Pick a territory (toolbar or table) to set its capacity.")
		return
	}
	entry := widget.NewEntry()
	entry.SetText(formatCapacity(t.CapacityOf()))
	entry.Validator = func(v string) error { _, err := parseCapacity(v); return err }
	help := widget.NewLabel("How many reps' worth of work " + t.Name + " is planned for (1 is one full-time rep). With targets by capacity, each territory's target is the total split in proportion to capacity.")
	help.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Capacity of "+t.Name, "Set", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Capacity (reps)", entry), widget.NewFormItem("", help)},
		func(ok bool) {
			if !ok || m.session != s {
				return
			}
			c, err := parseCapacity(entry.Text)
			if err != nil {
				m.showError(errors.New("The capacity must be " + err.Error()))
				return
			}
			m.setCapacity(id, c)
		}, m.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
	m.win.Canvas().Focus(entry)
}

// setCapacity sets territory id's capacity to c reps (0 = unset) as one
// undoable edit; nothing happens when it is unchanged.
func (m *Meridian) setCapacity(id int64, c float64) {
	s := m.session
	if s == nil {
		return
	}
	t := s.territory(id)
	if t == nil || t.Capacity == c || (t.CapacityOf() == 1 && c == 1 && t.Capacity == 0) {
		return
	}
	m.commit(capacityChange(fmt.Sprintf("Set the capacity of %s to %s", t.Name, formatCapacity(planner.Territory{Capacity: c}.CapacityOf())), id, t.Capacity, c), false)
}

// showBalance brings the Balance tab to the front.
func (m *Meridian) showBalance() { m.showTab("Balance") }

// showTab brings the tab called name to the front: one of the tabs beside
// the map, or one of the Territories tab's own (Metrics, Hierarchy,
// Coverage), with Territories. It does nothing for an unknown name.
func (m *Meridian) showTab(name string) {
	if m.tabs == nil {
		return
	}
	for _, item := range m.tabs.Items {
		if item.Text == name {
			m.tabs.Select(item)
			return
		}
	}
	for _, item := range m.territoryTabs.Items {
		if item.Text == name {
			m.tabs.SelectIndex(0)
			m.territoryTabs.Select(item)
			return
		}
	}
}
