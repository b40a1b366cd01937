package xlsx

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// Settings sheet rows that formulas refer to (1-based sheet rows).
const (
	setRounding    = 8  // B8: the rounding unit
	setSeason0     = 16 // B16:B27: the season shares, fiscal order
	setSeasonN     = setSeason0 + 12
	setCumulative0 = 31 // B31:B42: C(1)..C(12), the cumulative season shares
)

// exactPercent returns a percent cell that holds v exactly. excelize
// writes number cells to 15 significant digits (Excel's display limit), and
// the cumulative shares that the split formulas use are running sums of the
// season shares, which must be the very shares the app sums (6.666...% is
// 0.06666666666666667, 16 digits), so a value that needs more digits is
// written as a constant formula ("=0.06666666666666667") with v cached.
func (st *styles) exactPercent(v float64) any {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	digits := strings.TrimLeft(strings.Replace(s, ".", "", 1), "-0")
	if len(digits) <= 15 {
		return num(st.percent, v)
	}
	return excelize.Cell{StyleID: st.percent, Formula: s, Value: v}
}

// settingsRef returns the absolute reference of column B of Settings row r.
func settingsRef(r int) string { return SheetSettings + "!$B$" + strconv.Itoa(r) }

// settings lays out the Settings sheet: label, value and note per row. With
// quota settings: rows 2 to 13 the settings, rows 16 to 27 the season shares
// of the fiscal months (fractions with the percent format), row 28 their
// sum, rows 31 to 42 the cumulative shares C(1)..C(12) ("Share of the year
// due by the end of Feb 2027": a running sum of the season shares, as
// formulas, with C(12) exactly 1), which the Territories sheet's formulas
// use (see split.go), then the ramp. The sheet has no autofilter: sorting
// it would move the cells the formulas refer to.
func (b *book) settings() sheetSpec {
	st := b.st
	label := func(s string) any { return fixed(st.label, s) }
	pct := func(v float64) any { return num(st.percent, v) }
	var rows [][]any
	if b.qp == nil {
		rows = [][]any{{label("Quota settings"), "none", "Allocate quotas in Meridian to fill this sheet"}}
	} else {
		set := b.qp.Settings
		w := set.WeightPotential + set.WeightHistory
		limit := func(v float64, none string) []any {
			if v == 0 {
				return []any{nil, none}
			}
			return []any{pct(v / 100), "Change against last year"}
		}
		floor, ceil := limit(set.FloorPct, "No floor"), limit(set.CeilingPct, "No ceiling")
		unitNote := "Quotas are rounded to this amount"
		if set.Rounding == 0 {
			unitNote = "0: quotas are rounded to cents"
		}
		rows = [][]any{
			{label("Fiscal year"), set.FiscalYear, "Starts on " + set.StartMonth.String() + " 1, " + strconv.Itoa(set.FiscalYear)},
			{label("Start month"), set.StartMonth.String()},
			{label("Currency"), st.str(set.Currency)},
			{label("Target"), num(st.money, set.Target), "Company target for the fiscal year"},
			{label("Over-assignment"), pct(set.OverAssignPct / 100), "Territory quotas sum to target × (1 + over-assignment)"},
			{label("Quota total"), num(st.money, set.QuotaTotal()), "Target × (1 + over-assignment), rounded"},
			{label("Rounding unit"), num(st.money, set.Rounding), unitNote},
			{label("Weight of potential"), pct(set.WeightPotential / w), "Normalised: the weights sum to 100%"},
			{label("Weight of last year"), pct(set.WeightHistory / w)},
			append([]any{label("Floor")}, floor...),
			append([]any{label("Ceiling")}, ceil...),
			{label("Last year's sales field"), st.str(set.HistoryField)},
			{},
			{fixed(st.header, "Fiscal month"), fixed(st.header, "Season share"), fixed(st.header, "Quarter")},
		}
		seasonSum := 0.0
		for k, f := range b.shares {
			seasonSum += f
			rows = append(rows, []any{fiscalMonthName(set.FiscalYear, set.StartMonth, k), st.exactPercent(f), "Q" + strconv.Itoa(k/3+1)})
		}
		rows = append(rows,
			[]any{fixed(st.totalLabel, "Total"), excelize.Cell{StyleID: st.totalLabel, Formula: fmt.Sprintf("SUM(B%d:B%d)", setSeason0, setSeasonN-1), Value: seasonSum},
				excelize.Cell{StyleID: st.totalLabel}},
			[]any{},
			[]any{fixed(st.header, "Cumulative season"), fixed(st.header, "Share of the year"), fixed(st.header, "How")},
		)
		cum := planner.CumulativeSeason(set.Season, set.StartMonth)
		for k, c := range cum {
			name := fiscalMonthName(set.FiscalYear, set.StartMonth, k)
			var cell any = excelize.Cell{StyleID: st.percent, Formula: cumulativeFormula(k + 1), Value: c}
			note := "The share due by the end of the month before, plus " + name + "'s season share"
			switch k {
			case 0:
				note = name + "'s season share"
			case 11:
				cell, note = num(st.percent, 1), "Exactly 100%: the last month takes what is left of the year"
			}
			rows = append(rows, []any{"Share of the year due by the end of " + name, cell, note})
		}
		rows = append(rows,
			[]any{},
			[]any{fixed(st.header, "Ramp: month since start"), fixed(st.header, "Share of full quota")},
		)
		if len(set.Ramp) == 0 {
			rows = append(rows, []any{"No ramp", nil, "New reps carry full quota from their start"})
		}
		for k, f := range set.Ramp {
			name := "Month " + strconv.Itoa(k+1)
			if k == 0 {
				name += " (month of start)"
			}
			rows = append(rows, []any{name, pct(f)})
		}
		if len(set.Ramp) > 0 {
			rows = append(rows, []any{"Later months", pct(1)})
		}
	}
	return sheetSpec{
		name:     SheetSettings,
		cols:     3,
		header:   []string{"Setting", "Value", "Note"},
		n:        len(rows),
		row:      func(i int, row []any) { copy(row, rows[i]) },
		noFilter: true,
	}
}

// repLine is one line of the Reps sheet.
type repLine struct {
	id                         int64
	name, email, role, manager string
	start                      time.Time
	territories                string
	capacity, workload         float64
	full, ramp, quota          float64
	explain                    string
}

// repLines returns the Reps sheet's lines: from the quota plan when there
// is one, else the roster by name and then the vacancies by territory.
func (b *book) repLines() []repLine {
	var reps []planner.RepQuota
	if b.qp != nil {
		reps = b.qp.Reps
	} else {
		reps = planner.RepCoverage(b.p, b.s, b.cp, nil)
	}
	out := make([]repLine, len(reps))
	for i, r := range reps {
		out[i] = repLine{id: r.RepID, name: r.Name, email: r.Email, role: r.Role, manager: r.Manager, start: r.Start,
			territories: r.Territories, capacity: r.CapacityHours, workload: r.WorkloadHours,
			full: r.FullQuota, ramp: r.RampFactor, quota: r.Quota, explain: r.Explain}
	}
	return out
}

// reps lays out the Reps sheet: Rep, Email, Role, Manager, Start,
// Territories, Capacity (hours), then with a workload model Workload
// (hours) and Utilisation (a formula: workload ÷ capacity), then with quota
// settings Full quota, Ramp factor, Quota and Explanation; the hidden Rep ID
// (blank for a vacancy) last. A Total row sums hours and quotas.
func (b *book) reps() sheetSpec {
	st := b.st
	lines := b.repLines()
	L := map[string]string{}
	text := func(f func(r *repLine) string) func(i, r int) any {
		return func(i, r int) any { return st.str(f(&lines[i])) }
	}
	var capacity, workload, full, quota float64
	for _, l := range lines {
		capacity += l.capacity
		workload += l.workload
		full += l.full
		quota += l.quota
	}
	round := func(v float64, d float64) func() any { return func() any { return math.Round(v*d) / d } }
	cols := []column{
		{key: "Rep", header: "Rep", body: text(func(r *repLine) string { return r.name })},
		{key: "Email", header: "Email", body: text(func(r *repLine) string { return r.email })},
		{key: "Role", header: "Role", body: text(func(r *repLine) string { return r.role })},
		{key: "Manager", header: "Manager", body: text(func(r *repLine) string { return r.manager })},
		{key: "Start", header: "Start", body: func(i, r int) any {
			if lines[i].start.IsZero() {
				return nil
			}
			return excelize.Cell{StyleID: st.day, Value: lines[i].start}
		}},
		{key: "Territories", header: "Territories", body: text(func(r *repLine) string { return r.territories })},
		{key: "Capacity", header: "Capacity (hours)", body: func(i, r int) any { return num(st.count, lines[i].capacity) },
			total: round(capacity, 1), style: st.totalCount},
	}
	if b.cp != nil {
		cols = append(cols,
			column{key: "Workload", header: "Workload (hours)", body: func(i, r int) any { return num(st.count, lines[i].workload) },
				total: round(workload, 1e6), style: st.totalCount},
			column{key: "Utilisation", header: "Utilisation", body: func(i, r int) any {
				c, w := L["Capacity"]+strconv.Itoa(r), L["Workload"]+strconv.Itoa(r)
				cell := excelize.Cell{StyleID: st.percent, Formula: fmt.Sprintf(`IF(%s>0,%s/%s,"")`, c, w, c)}
				if lines[i].capacity > 0 {
					cell.Value = lines[i].workload / lines[i].capacity
				} else {
					cell.Value = ""
				}
				return cell
			}},
		)
	}
	if b.qp != nil {
		cols = append(cols,
			column{key: "Full quota", header: "Full quota", body: func(i, r int) any { return num(st.money, lines[i].full) },
				total: round(full, 100), style: st.totalMoney},
			column{key: "Ramp factor", header: "Ramp factor", body: func(i, r int) any { return num(st.percent, lines[i].ramp) }},
			column{key: "Quota", header: "Quota", body: func(i, r int) any { return num(st.money, lines[i].quota) },
				total: round(quota, 100), style: st.totalMoney},
			column{key: "Explanation", header: "Explanation", body: text(func(r *repLine) string { return r.explain })},
		)
	}
	cols = append(cols, column{key: "Rep ID", header: "Rep ID", hidden: true, body: func(i, r int) any {
		if lines[i].id == 0 {
			return nil
		}
		return lines[i].id
	}})
	return b.table(SheetReps, cols, len(lines), false, L)
}

// summaryQuota returns the Summary's quota and capacity rows, which follow
// its base rows (sheet rows 1 to base), empty without quota settings and a
// workload model.
func (b *book) summaryQuota(base int) [][]any {
	st := b.st
	label := func(s string) any { return fixed(st.label, s) }
	var rows [][]any
	if qp := b.qp; qp != nil {
		set, rep := qp.Settings, qp.Report
		assigned := rep.Overridden + rep.Allocated
		ref := fmt.Sprintf("%s!$%s$%d", SheetTerritories, b.terrCol[hdrAnnualQuota], b.terrTot)
		rows = append(rows, []any{},
			[]any{label("Fiscal year"), set.FiscalYear, "Starts in " + set.StartMonth.String()},
			[]any{label("Currency"), st.str(set.Currency)},
			[]any{label("Target"), num(st.money, set.Target)},
			[]any{label("Over-assignment"), num(st.percent, set.OverAssignPct/100)},
			[]any{label("Quota total expected"), num(st.money, rep.Total), "Target × (1 + over-assignment), rounded to the rounding unit"},
			[]any{label("Quotas assigned"), excelize.Cell{StyleID: st.money, Formula: ref, Value: assigned}, "The Territories sheet's total annual quota"},
			[]any{label("Set by hand"), num(st.money, rep.Overridden)},
			[]any{label("Gap"), excelize.Cell{StyleID: st.money, Formula: fmt.Sprintf("B%d-B%d", base+6, base+7), Value: rep.Gap},
				"Quota total expected − quotas assigned: positive when quotas fall short"},
		)
	}
	if cp := b.cp; cp != nil {
		t := cp.Total
		rows = append(rows, []any{},
			[]any{label("Workload (hours)"), num(st.count, t.Hours)},
			[]any{label("Reps needed"), num(st.fte, t.RepsNeeded), fmt.Sprintf("Workload ÷ %s hours a year per rep", strconv.FormatFloat(cp.DefaultCapacityHours, 'f', -1, 64))},
			[]any{label("Reps assigned"), num(st.fte, t.RepsAssigned)},
			[]any{label("Vacancies (TBH)"), num(st.fte, t.Vacancies)},
			[]any{label("Reps to hire"), st.integer(t.ToHire), "Beyond the reps assigned and the vacancies already open"},
		)
	}
	return rows
}

// charts adds the Summary's bar charts of quota and potential by
// territory, which refer to the Territories sheet.
func (b *book) charts() error {
	n := b.terrRows
	if n == 0 {
		return nil
	}
	L := b.terrCol
	rng := func(col string) string {
		return fmt.Sprintf("%s!$%s$2:$%s$%d", SheetTerritories, col, col, n+1)
	}
	chart := func(cell, title, col string) error {
		return b.f.AddChart(SheetSummary, cell, &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{{
				Name:       fmt.Sprintf("%s!$%s$1", SheetTerritories, col),
				Categories: rng(L[hdrTerritory]),
				Values:     rng(col),
			}},
			Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
			Legend:     excelize.ChartLegend{Position: "none"},
			VaryColors: ptr(false),
			Dimension:  excelize.ChartDimension{Width: 640, Height: 360},
			Format:     excelize.GraphicOptions{AltText: title},
		})
	}
	at := "E2"
	if b.qp != nil {
		if err := chart(at, "Quota by territory", L[hdrAnnualQuota]); err != nil {
			return err
		}
		at = "E22"
	}
	return chart(at, "Potential by territory", L["Potential"])
}
