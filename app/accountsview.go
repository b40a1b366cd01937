package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// noAccountsText is the Accounts tab's label when the plan has no account.
const noAccountsText = "No accounts: File > Import accounts… adds them"

// accountColumn is one column of the Accounts table.
type accountColumn struct {
	title    string
	width    float32 // dp, the cell's content width (Table.SetColumnWidth)
	trailing bool    // right-aligned: numbers
	// value returns the text of account i (an index in Plan.Accounts),
	// whole: cells shorten it to their width when drawn.
	value func(i int) string
}

// accountsView is the read-only Accounts tab: one row per account of the
// plan with its fields, its territory in the active scenario, its geography
// unit and how it was located, then one column per custom field (issue 5).
//
// The table is virtualised (widget.Table creates cells for the visible rows
// only), so set does no per-row work beyond the accounts' territory IDs:
// cell text is computed when a row is drawn. order, nil today, is where
// sorting and filtering (issue 7) put the rows shown.
type accountsView struct {
	content fyne.CanvasObject // the tab's content: label above the table

	label *widget.Label
	table *widget.Table

	plan    *planner.Plan
	columns []accountColumn
	// order maps a table row to an index in plan.Accounts; nil shows every
	// account in plan order.
	order []int32
	// territory holds each account's territory ID in the scenario shown
	// (Scenario.AccountTerritories), 0 for white space.
	territory     []int64
	territoryName map[int64]string
	// unitName maps a unit code to its name; built once per plan (units
	// do not change while a plan is open).
	unitName  map[string]string
	unitsOf   *planner.GeographyUnit // &plan.Units[0] when unitName was built
	unitCount int
	// placement texts for PlacedInside, PlacedNearest, no location and
	// outside every unit, in the plan's unit level words.
	inUnit, nearUnit, noLocation, outside string
}

// newAccountsView builds the Accounts tab, empty until set. Call on the UI
// thread.
func (m *Meridian) newAccountsView() *accountsView {
	av := &accountsView{label: widget.NewLabel(noAccountsText)}
	av.label.Truncation = fyne.TextTruncateEllipsis
	av.table = widget.NewTableWithHeaders(
		func() (int, int) { return av.rowCount(), len(av.columns) },
		newTextCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := textCell(o)
			text.Text = ""
			if i, ok := av.accountAt(id.Row); ok && id.Col >= 0 && id.Col < len(av.columns) {
				c := &av.columns[id.Col]
				text.Text = fitText(c.value(i), c.width-2*theme.Padding(), text.TextSize, text.TextStyle)
				text.Alignment = alignment(c.trailing)
			}
			text.Refresh()
		})
	setBoldHeader(av.table, func(col int) (columnHeader, bool) {
		if col >= len(av.columns) {
			return columnHeader{}, false
		}
		c := &av.columns[col]
		return columnHeader{c.title, c.width, c.trailing}, true
	})
	av.content = container.NewBorder(av.label, nil, nil, nil, av.table)
	return av
}

// set shows the accounts of plan p with their territories in scenario s
// (nil: every account in white space); p nil shows none. Call on the UI
// thread, and again after the scenario's alignment or the plan's accounts
// change. Its cost is Scenario.AccountTerritories (one []int64 of
// len(p.Accounts)), a map of the scenario's territory names, and once per
// plan a map of unit names; cells are computed when drawn.
func (av *accountsView) set(p *planner.Plan, s *planner.Scenario) {
	var owners []int64
	if p != nil && s != nil {
		owners = s.AccountTerritories(p)
	}
	av.setOwners(p, s, owners)
}

// setOwners is set with each account's territory already computed
// (owners[i] for p.Accounts[i], as Scenario.AccountTerritories gives, for
// instance by the background derive), so that the UI thread does not walk
// every account after each edit; owners of another length are computed
// here.
func (av *accountsView) setOwners(p *planner.Plan, s *planner.Scenario, owners []int64) {
	if p == nil {
		p = &planner.Plan{}
	}
	av.plan = p
	av.order = nil
	av.territory = nil
	av.territoryName = map[int64]string{}
	if s != nil {
		if len(owners) != len(p.Accounts) {
			owners = s.AccountTerritories(p)
		}
		av.territory = owners
		for _, t := range s.Territories {
			av.territoryName[t.ID] = t.Name
		}
	}
	if len(p.Units) != av.unitCount || len(p.Units) > 0 && &p.Units[0] != av.unitsOf {
		av.unitName = make(map[string]string, len(p.Units))
		for i := range p.Units {
			av.unitName[p.Units[i].Code] = p.Units[i].Name
		}
		av.unitCount, av.unitsOf = len(p.Units), nil
		if len(p.Units) > 0 {
			av.unitsOf = &p.Units[0]
		}
	}
	level := strings.TrimSpace(p.UnitLevel)
	if level == "" {
		level = "Unit"
	}
	lower := strings.ToLower(level)
	av.inUnit = "in " + lower
	av.nearUnit = fmt.Sprintf("nearest %s (≤%g km)", lower, float64(planner.DefaultSnapKm))
	av.noLocation = "not located"
	av.outside = "outside every " + lower
	av.columns = av.accountColumns(p, level)

	switch n := len(p.Accounts); n {
	case 0:
		av.label.SetText(noAccountsText)
	default:
		av.label.SetText(plural(n, "account", "accounts") + " · " +
			plural(len(p.CustomFields), "custom field", "custom fields"))
	}
	for i, c := range av.columns {
		av.table.SetColumnWidth(i, c.width)
	}
	av.table.Refresh()
}

// accountColumns returns the columns for plan p: the account's fields, its
// territory, unit (headed level) and placement, then its custom fields.
func (av *accountsView) accountColumns(p *planner.Plan, level string) []accountColumn {
	acc := p.Accounts
	potential := p.PotentialName
	if strings.TrimSpace(potential) == "" {
		potential = "Potential"
	}
	cols := []accountColumn{
		{"Name", 240, false, func(i int) string { return acc[i].Name }},
		{"External ID", 100, false, func(i int) string { return acc[i].ExternalID }},
		{"City", 120, false, func(i int) string { return acc[i].City }},
		{"State", 44, false, func(i int) string { return acc[i].State }},
		{"ZIP", 56, false, func(i int) string { return acc[i].ZIP }},
		{"Segment", 150, false, func(i int) string { return acc[i].Segment }},
		{"Owner", 120, false, func(i int) string { return acc[i].Owner }},
		{potential, 70, true, func(i int) string {
			if v := acc[i].Potential; v.Known {
				return formatCount(v.Value)
			}
			return "no data"
		}},
		{"Territory", 150, false, av.territoryText},
		{level, 120, false, func(i int) string {
			code := acc[i].UnitCode
			if name, ok := av.unitName[code]; ok && name != "" {
				return name
			}
			return code // "" when none; the bare code when the plan lacks the unit
		}},
		{"Located by", 180, false, func(i int) string {
			a := &acc[i]
			switch {
			case a.UnitCode != "" && a.Placement == planner.PlacedNearest:
				return av.nearUnit
			case a.UnitCode != "":
				return av.inUnit
			case a.HasLocation:
				return av.outside
			default:
				return av.noLocation
			}
		}},
		{"Location from", 110, false, func(i int) string { return acc[i].Match.String() }},
	}
	for k, f := range p.CustomFields {
		w := float32(120)
		if f.Numeric {
			w = 80
		}
		// Wide enough for the header, within reason.
		if hw := fyne.MeasureText(f.Name, theme.TextSize()-1, fyne.TextStyle{Bold: true}).Width + 2*theme.Padding(); hw > w {
			w = min(hw, 220)
		}
		cols = append(cols, accountColumn{f.Name, w, f.Numeric, func(i int) string {
			if k < len(acc[i].Fields) {
				return acc[i].Fields[k]
			}
			return ""
		}})
	}
	return cols
}

// territoryText is the name of account i's territory, or "White space".
func (av *accountsView) territoryText(i int) string {
	if i < len(av.territory) {
		if name, ok := av.territoryName[av.territory[i]]; ok {
			return name
		}
	}
	return "White space"
}

// rowCount is the number of rows shown.
func (av *accountsView) rowCount() int {
	if av.plan == nil {
		return 0
	}
	if av.order != nil {
		return len(av.order)
	}
	return len(av.plan.Accounts)
}

// accountAt returns the index in plan.Accounts of the account on table row
// row, and false when there is none.
func (av *accountsView) accountAt(row int) (int, bool) {
	if row < 0 || row >= av.rowCount() {
		return 0, false
	}
	if av.order != nil {
		i := int(av.order[row])
		return i, i >= 0 && i < len(av.plan.Accounts)
	}
	return row, true
}

// cellText returns the whole text of a cell (before it is shortened to its
// column's width), "" outside the table; for tests and, later, search.
func (av *accountsView) cellText(row, col int) string {
	i, ok := av.accountAt(row)
	if !ok || col < 0 || col >= len(av.columns) {
		return ""
	}
	return av.columns[col].value(i)
}

// columnTitles returns the headers of the table's columns in order.
func (av *accountsView) columnTitles() []string {
	out := make([]string, len(av.columns))
	for i, c := range av.columns {
		out[i] = c.title
	}
	return out
}

// alignment is trailing for numbers, leading for text.
func alignment(trailing bool) fyne.TextAlign {
	if trailing {
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignLeading
}

// fitText returns s, or its longest prefix followed by "…", whose width
// drawn at size (points) in style is at most width (dp): canvas.Text cells
// do not truncate themselves. Widths come from fyne.MeasureText; the prefix
// is found by bisection on the rune count (O(log n) measurements).
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)-1 // lo runes fit with "…"; more than hi do not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "…"
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
