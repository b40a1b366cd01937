package app

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// column is one column of the territory table.
type column struct {
	title string
	width float32
	value func(t *planner.TerritoryMetrics) string
}

// territoryColumns returns the table's columns; potential is labelled with
// the plan's potential name (e.g. "Beds").
func territoryColumns(potentialName string) []column {
	if potentialName == "" {
		potentialName = "Potential"
	}
	return []column{
		{"Territory", 150, func(t *planner.TerritoryMetrics) string { return ellipsis(t.Territory.Name, 24) }},
		{"Rep", 58, func(t *planner.TerritoryMetrics) string {
			if t.RepName == "" {
				return "Vacant"
			}
			return ellipsis(t.RepName, 10)
		}},
		{"Units", 46, func(t *planner.TerritoryMetrics) string { return formatCount(float64(t.Units)) }},
		{"± %", 56, func(t *planner.TerritoryMetrics) string { return formatPercent(t.Deviation.Units) }},
		{"Accounts", 66, func(t *planner.TerritoryMetrics) string { return formatCount(float64(t.Accounts)) }},
		{"± %", 56, func(t *planner.TerritoryMetrics) string { return formatPercent(t.Deviation.Accounts) }},
		{"Population", 84, func(t *planner.TerritoryMetrics) string { return formatCount(t.Population) }},
		{"± %", 56, func(t *planner.TerritoryMetrics) string { return formatPercent(t.Deviation.Population) }},
		{potentialName, 60, func(t *planner.TerritoryMetrics) string { return formatCount(t.Potential) }},
		{"± %", 56, func(t *planner.TerritoryMetrics) string { return formatPercent(t.Deviation.Potential) }},
	}
}

// territoryTable shows one row per territory of the active scenario with its
// metrics and deviations from the mean. Rows are the scenario's territories
// only; white space and totals are in the summary below it.
type territoryTable struct {
	*widget.Table
	columns []column
	rows    []planner.TerritoryMetrics
	colors  []color.NRGBA
}

func newTerritoryTable() *territoryTable {
	tt := &territoryTable{columns: territoryColumns("")}
	tt.Table = widget.NewTableWithHeaders(
		func() (int, int) { return len(tt.rows), len(tt.columns) },
		func() fyne.CanvasObject {
			swatch := canvas.NewRectangle(color.Transparent)
			swatch.SetMinSize(fyne.NewSize(12, 12))
			swatch.CornerRadius = 2
			text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			text.TextSize = theme.TextSize() - 1
			return container.NewBorder(nil, nil, container.NewCenter(swatch), nil, container.NewPadded(text))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			text := c.Objects[0].(*fyne.Container).Objects[0].(*canvas.Text)
			swatch := c.Objects[1].(*fyne.Container).Objects[0].(*canvas.Rectangle)
			text.Color = theme.Color(theme.ColorNameForeground)
			if id.Row >= len(tt.rows) || id.Col >= len(tt.columns) {
				text.Text = ""
				text.Refresh()
				return
			}
			text.Text = tt.columns[id.Col].value(&tt.rows[id.Row])
			if id.Col == 0 {
				text.Alignment = fyne.TextAlignLeading
				swatch.FillColor = tt.colors[id.Row]
				swatch.Show()
			} else {
				text.Alignment = fyne.TextAlignTrailing
				swatch.Hide()
			}
			swatch.Refresh()
			text.Refresh()
		})
	setBoldHeader(tt.Table, func(col int) (columnHeader, bool) {
		if col >= len(tt.columns) {
			return columnHeader{}, false
		}
		return columnHeader{title: tt.columns[col].title, trailing: col > 0}, true
	})
	tt.setWidths()
	return tt
}

func (tt *territoryTable) setWidths() {
	for i, c := range tt.columns {
		tt.SetColumnWidth(i, c.width)
	}
}

// set shows the metrics of a scenario; potentialName labels the potential
// column.
func (tt *territoryTable) set(m planner.Metrics, potentialName string) {
	tt.columns = territoryColumns(potentialName)
	tt.rows = m.Territories
	tt.colors = make([]color.NRGBA, len(m.Territories))
	for i, t := range m.Territories {
		tt.colors[i] = parseHexColor(t.Territory.Color, whiteSpaceColor)
	}
	tt.setWidths()
	tt.Refresh()
}

// cellText returns the text shown at a row and column, for tests.
func (tt *territoryTable) cellText(row, col int) string {
	return tt.columns[col].value(&tt.rows[row])
}

// summaryText describes the white space and the plan's totals under the
// table.
func summaryText(p *planner.Plan, m planner.Metrics) string {
	unit, potential := p.UnitLevel, p.PotentialName
	if unit == "" {
		unit = "Unit"
	}
	if potential == "" {
		potential = "Potential"
	}
	w := m.WhiteSpace
	popNote, whitePop := "", formatCount(w.Population)
	if w.PopulationMissing > 0 {
		popNote = fmt.Sprintf(" (%s without population data)", formatCount(float64(w.PopulationMissing)))
		if w.PopulationMissing == w.Units {
			whitePop = "no data"
		}
	}
	unlocated := plural(m.UnlocatedAccounts, "account lies", "accounts lie")
	return fmt.Sprintf(
		"Scenario: %s — %d territories\n"+
			"White space: %s units%s, %s accounts, population %s, %s %s; %s in no unit.\n"+
			"Plan total: %s units (%s level), %s accounts, population %s, %s %s.\n"+
			"Largest deviation from the mean: population %.1f%%, %s %.1f%%.",
		m.ScenarioName, len(m.Territories),
		formatCount(float64(w.Units)), popNote, formatCount(float64(w.Accounts)), whitePop, potential, formatCount(w.Potential),
		unlocated,
		formatCount(float64(m.Total.Units)), unit, formatCount(float64(m.Total.Accounts)), formatCount(m.Total.Population), potential, formatCount(m.Total.Potential),
		m.MaxAbsDeviation(func(f planner.Figures) float64 { return f.Population }),
		potential, m.MaxAbsDeviation(func(f planner.Figures) float64 { return f.Potential }),
	)
}

// plural returns "1 account lies" or "3 accounts lie".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(float64(n)) + " " + many
}

// ellipsis shortens s to at most n runes, ending it with "…" when cut
// (canvas.Text cells do not truncate themselves).
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
