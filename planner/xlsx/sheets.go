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

// book builds one workbook.
type book struct {
	f   *excelize.File
	p   *planner.Plan
	s   *planner.Scenario
	m   planner.Metrics
	now time.Time
	st  *styles

	potHeader string            // "Potential (Beds)"
	unitTerr  map[string]string // unit code -> territory name; absent: white space
	terrName  map[int64]string  // territory ID -> name
	// levels are the headers of the hierarchy columns (hierarchyLevels),
	// and terrPath each territory's ancestor regions from the top.
	levels   []string
	terrPath map[int64][]string

	// qp is the quota plan; nil when the plan has no quota settings.
	qp *planner.QuotaPlan
	// cp is the capacity plan; nil when the plan has no workload model.
	cp *planner.CapacityPlan
	// shares are the season shares in fiscal order, as the Settings sheet
	// writes them (planner.SeasonShares).
	shares [12]float64
	// terrRows is the Territories sheet's body row count, and terrCol the
	// letter of each named column of it (for the Summary's charts and
	// formulas).
	terrRows int
	terrCol  map[string]string
	terrTot  int // the Territories sheet's Total row
}

// sheetSpec describes one sheet: an optional header row, n body rows made by
// row, and footer rows written after one empty row, outside the autofilter so
// that sorting the table leaves them in place.
type sheetSpec struct {
	name      string
	cols      int
	header    []string // nil: no header row, frozen pane or autofilter
	n         int
	row       func(i int, row []any) // fills row (len cols, all nil) for body row i
	footer    [][]any
	landscape bool
	// hidden lists the columns (0-based) to hide.
	hidden []int
	// noFilter: a header row but no autofilter (a sheet whose cells
	// formulas refer to, which sorting would move).
	noFilter bool
	// before runs after the sheet's setup and before its rows are
	// streamed (charts).
	before func() error
	// tableCols is how many columns the header row's table spans, for its
	// autofilter and banding, when fewer than cols (footer blocks wider
	// than the table); 0 means cols.
	tableCols int
}

func (b *book) build() error {
	currency, moneyDec := "", 0
	if b.p.Quota != nil {
		qp, err := planner.BuildQuotaPlan(b.p, b.s)
		if err != nil {
			return err
		}
		b.qp = qp
		b.cp = qp.Capacity
		currency = qp.Settings.Currency
		if qp.Settings.Rounding < 1 {
			moneyDec = 2
		}
		b.shares = planner.SeasonShares(qp.Settings.Season, qp.Settings.StartMonth)
	} else if b.p.Workload != nil {
		cp := planner.BuildCapacityPlan(b.p, b.s, *b.p.Workload)
		b.cp = &cp
	}
	st, err := newStyles(b.f, potentialDecimals(b.p), currency, moneyDec)
	if err != nil {
		return err
	}
	b.st = st
	b.potHeader = "Potential"
	if b.p.PotentialName != "" {
		b.potHeader = "Potential (" + b.p.PotentialName + ")"
	}
	terrName := make(map[int64]string, len(b.s.Territories))
	for _, t := range b.s.Territories {
		terrName[t.ID] = t.Name
	}
	b.terrName = terrName
	b.levels = hierarchyLevels(b.s)
	b.terrPath = territoryPaths(b.s)
	b.unitTerr = make(map[string]string, len(b.s.Alignment))
	for code, id := range b.s.Alignment {
		if name, ok := terrName[id]; ok {
			b.unitTerr[code] = name
		}
	}

	if err := b.f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, name := range Sheets[1:] {
		if _, err := b.f.NewSheet(name); err != nil {
			return err
		}
	}
	// The Territories sheet first: the Summary's charts and formulas refer
	// to its rows and columns.
	terr := b.territories()
	specs := []sheetSpec{b.summary(), terr, b.reps(), b.accounts(), b.segments(), b.units(), b.settings()}
	for _, spec := range specs {
		if err := b.write(spec); err != nil {
			return fmt.Errorf("sheet %s: %w", spec.name, err)
		}
	}
	// Excel and LibreOffice compute every formula when they open the
	// workbook, so that the cached values never disagree with the formulas.
	if err := b.f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: ptr(true)}); err != nil {
		return err
	}
	// Summary, the first sheet, is the active one already. SetActiveSheet
	// would parse every streamed sheet back into memory.
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:   b.p.Name + " – " + b.s.Name,
		Creator: "Meridian",
		Created: b.now.UTC().Format(time.RFC3339),
	})
}

// sumOf returns a number cell for v, the sum of the known values among n, of
// which missing are unknown; or nil (a blank cell) when every one of them is
// unknown, because then the sum is "no data", not 0. A sum over nothing
// (n == 0) is a true 0.
func sumOf(style int, v float64, missing, n int) any {
	if n > 0 && missing == n {
		return nil
	}
	return num(style, v)
}

// potentialDecimals returns 1 when some known potential has a fraction, else 0.
func potentialDecimals(p *planner.Plan) int {
	for i := range p.Accounts {
		if v := p.Accounts[i].Potential; v.Known && v.Value != math.Trunc(v.Value) {
			return 1
		}
	}
	return 0
}

// write writes one sheet with a StreamWriter. Page setup, the autofilter and
// the print titles are set on the worksheet first: the StreamWriter keeps
// them. Column widths come from a first pass over the rows.
func (b *book) write(spec sheetSpec) error {
	f, st := b.f, b.st
	widths := make([]int, spec.cols)
	measure := func(row []any) {
		for j, v := range row {
			widths[j] = max(widths[j], st.width(v))
		}
	}
	for j, h := range spec.header {
		widths[j] = st.width(st.head(h)) + 2 // the autofilter's button
	}
	row := make([]any, spec.cols)
	for i := 0; i < spec.n; i++ {
		clear(row)
		spec.row(i, row)
		measure(row)
	}
	for _, r := range spec.footer {
		measure(r)
	}

	lastCol, err := excelize.ColumnNumberToName(spec.cols)
	if err != nil {
		return err
	}
	tableCol := lastCol
	if spec.tableCols > 0 && spec.tableCols < spec.cols {
		if tableCol, err = excelize.ColumnNumberToName(spec.tableCols); err != nil {
			return err
		}
	}
	if spec.header != nil {
		// The filter covers the header and the body rows, not the footer.
		if !spec.noFilter {
			if err := f.AutoFilter(spec.name, "A1:"+tableCol+strconv.Itoa(spec.n+1), nil); err != nil {
				return err
			}
		}
		if err := f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", Scope: spec.name, RefersTo: "'" + spec.name + "'!$1:$1",
		}); err != nil {
			return err
		}
	}
	// After AutoFilter, which replaces the sheet properties.
	if err := f.SetSheetProps(spec.name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	orientation := "portrait"
	if spec.landscape {
		orientation = "landscape"
	}
	if err := f.SetPageLayout(spec.name, &excelize.PageLayoutOptions{
		Orientation: &orientation,
		FitToWidth:  ptr(1), // one page wide,
		FitToHeight: ptr(0), // as many pages tall as needed
	}); err != nil {
		return err
	}

	// The used range, which the StreamWriter does not compute: readers such
	// as openpyxl in read-only mode trust it.
	rows := spec.n
	if spec.header != nil {
		rows++
	}
	if len(spec.footer) > 0 {
		rows += 1 + len(spec.footer)
	}
	if err := f.SetSheetDimension(spec.name, "A1:"+lastCol+strconv.Itoa(max(rows, 1))); err != nil {
		return err
	}

	if spec.header != nil && !spec.noFilter && spec.n > 1 {
		// Banded rows: a light fill on every other body row, as a
		// conditional format, which neither sorting nor the autofilter
		// disturbs (an Excel table would clash with the sheet's
		// autofilter and with the Total row below it).
		if err := f.SetConditionalFormat(spec.name, "A2:"+tableCol+strconv.Itoa(spec.n+1), []excelize.ConditionalFormatOptions{
			{Type: "formula", Criteria: "MOD(ROW(),2)=1", Format: &st.band},
		}); err != nil {
			return err
		}
	}
	if spec.before != nil {
		if err := spec.before(); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(spec.name)
	if err != nil {
		return err
	}
	if spec.header != nil {
		if err := sw.SetPanes(&excelize.Panes{
			Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
		}); err != nil {
			return err
		}
	}
	// excelize puts each new <col> before the earlier ones and the stream
	// writer does not sort them; Excel wants them in ascending order.
	for j := len(widths) - 1; j >= 0; j-- {
		if err := sw.SetColWidth(j+1, j+1, colWidth(widths[j])); err != nil {
			return err
		}
	}
	for _, j := range spec.hidden {
		if err := sw.SetColVisible(j+1, j+1, false); err != nil {
			return err
		}
	}
	r := 1
	if spec.header != nil {
		for j, h := range spec.header {
			row[j] = st.head(h)
		}
		if err := sw.SetRow("A1", row); err != nil {
			return err
		}
		r++
	}
	for i := 0; i < spec.n; i++ {
		clear(row)
		spec.row(i, row)
		if err := sw.SetRow("A"+strconv.Itoa(r), row); err != nil {
			return err
		}
		r++
	}
	if len(spec.footer) > 0 {
		r++ // an empty row between the table and its footer
		for _, fr := range spec.footer {
			if err := sw.SetRow("A"+strconv.Itoa(r), fr); err != nil {
				return err
			}
			r++
		}
	}
	return sw.Flush()
}

// Summary columns.
const (
	sumLabel = iota // A: label
	sumValue        // B: value
	sumNote         // C: note
	sumCols
)

// summary lays out the Summary sheet: label, value and note per row.
func (b *book) summary() sheetSpec {
	st, p, m := b.st, b.p, &b.m
	label := func(s string) any { return fixed(st.label, s) }
	note := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	noData := func(n int, what string) string {
		switch n {
		case 0:
			return ""
		case 1:
			return "1 " + what + " with no data, not counted"
		}
		return strconv.Itoa(n) + " " + what + "s with no data, not counted"
	}
	pct := func(pick func(planner.Figures) float64) any {
		return num(st.percent, m.MaxAbsDeviation(pick)/100)
	}
	ws, tot := m.WhiteSpace, m.Total
	rows := [][]any{
		{label("Plan"), st.str(p.Name)},
		{label("Scenario"), st.str(b.s.Name)},
		{label("Exported"), excelize.Cell{StyleID: st.date, Value: b.now}},
		{label("Unit level"), st.str(p.UnitLevel)},
		{label("Parent level"), st.str(p.ParentLevel)},
		{label("Potential measure"), st.str(p.PotentialName)},
		{},
		{label("Territories"), st.integer(len(m.Territories))},
		{label("Units"), st.integer(tot.Units)},
		{label("Accounts"), st.integer(tot.Accounts)},
		{label("Population"), sumOf(st.count, tot.Population, tot.PopulationMissing, tot.Units), note(noData(tot.PopulationMissing, "unit"))},
		{label(b.potHeader), sumOf(st.potential, tot.Potential, tot.PotentialMissing, tot.Accounts), note(noData(tot.PotentialMissing, "account"))},
		{label("White-space units"), st.integer(ws.Units), note("Units aligned to no territory")},
		{label("White-space accounts"), st.integer(ws.Accounts), note("Accounts in white-space units or in no unit")},
		{label("White-space population"), sumOf(st.count, ws.Population, ws.PopulationMissing, ws.Units), note(noData(ws.PopulationMissing, "unit"))},
		{label("White-space " + strings.ToLower(b.potHeader[:1]) + b.potHeader[1:]), sumOf(st.potential, ws.Potential, ws.PotentialMissing, ws.Accounts), note(noData(ws.PotentialMissing, "account"))},
		{label("Unlocated accounts"), st.integer(m.UnlocatedAccounts), note("Accounts located in no unit, counted as white space")},
		{label("Max. absolute deviation, population"), pct(func(f planner.Figures) float64 { return f.Population }), note("From the mean over territories")},
		{label("Max. absolute deviation, potential"), pct(func(f planner.Figures) float64 { return f.Potential }), note("From the mean over territories")},
	}
	rows = append(rows, b.summaryQuota(len(rows))...)
	return sheetSpec{
		name:   SheetSummary,
		cols:   sumCols,
		n:      len(rows),
		row:    func(i int, row []any) { copy(row, rows[i]) },
		before: b.charts,
		// Landscape: the charts sit beside the figures.
		landscape: true,
	}
}

// Accounts columns.
const (
	accExternalID = iota // A
	accName              // B
	accAddress           // C
	accCity              // D
	accState             // E
	accZIP               // F
	accLongitude         // G
	accLatitude          // H
	accSegment           // I
	accOwner             // J
	accPotential         // K
	accUnitCode          // L
	accUnitName          // M
	accParent            // N
	accFixed             // the hierarchy columns start here
)

// accounts lays out the Accounts sheet: one row per account, in plan order.
// Columns A to N are fixed (External ID to Parent); then the hierarchy
// columns of the account's territory (one per level, as on the
// Territories sheet), Territory (the named-account override first, then
// the drawn boundary, then the unit's territory:
// [planner.Scenario.AccountTerritories]), Named ("named" when the account
// is a named account of its territory, Scenario.NamedAccounts), Placement,
// Located by (the match level: exact point, postal code, city or none), and
// one column per custom field (Plan.CustomFields), headed by the field's
// name. A numeric field's values are number cells (General format; the
// currency format for the quota settings' field of last year's sales);
// others are text, quote-prefixed when they look like a formula, as every
// user text is.
func (b *book) accounts() sheetSpec {
	st, p, s := b.st, b.p, b.s
	units := p.UnitIndex()
	accTerr := s.AccountTerritories(p)
	nl := len(b.levels)
	accTerritory := accFixed + nl
	accNamed := accTerritory + 1
	accPlacement := accNamed + 1
	accLocatedBy := accPlacement + 1
	accCols := accLocatedBy + 1
	header := []string{
		"External ID", "Name", "Address", "City", "State", "ZIP", "Longitude", "Latitude",
		"Segment", "Owner", b.potHeader, "Unit code", "Unit name", "Parent",
	}
	header = append(header, b.levels...)
	header = append(header, "Territory", "Named", "Placement", "Located by")
	history := -1 // the custom field of last year's sales: money
	for k, f := range p.CustomFields {
		header = append(header, f.Name)
		if b.qp != nil && f.Name == b.qp.Settings.HistoryField {
			history = k
		}
	}
	return sheetSpec{
		name:   SheetAccounts,
		cols:   accCols + len(p.CustomFields),
		header: header,
		n:      len(p.Accounts),
		row: func(i int, row []any) {
			a := &p.Accounts[i]
			row[accExternalID] = st.code(a.ExternalID)
			row[accName] = st.str(a.Name)
			row[accAddress] = st.str(a.Address)
			row[accCity] = st.str(a.City)
			row[accState] = st.str(a.State)
			row[accZIP] = st.code(a.ZIP)
			if a.HasLocation {
				row[accLongitude] = num(st.degrees, a.Location[0])
				row[accLatitude] = num(st.degrees, a.Location[1])
			}
			row[accSegment] = st.str(a.Segment)
			row[accOwner] = st.str(a.Owner)
			if a.Potential.Known {
				row[accPotential] = num(st.potential, a.Potential.Value)
			}
			placement := planner.PlacedNone
			if a.UnitCode != "" {
				placement = a.Placement
				row[accUnitCode] = st.code(a.UnitCode)
				if k, ok := units[a.UnitCode]; ok {
					row[accUnitName] = st.str(p.Units[k].Name)
					row[accParent] = st.str(p.Units[k].ParentName)
				}
			}
			if id := accTerr[i]; id != 0 {
				for k := range nl {
					row[accFixed+k] = b.levelCell(id, k)
				}
				row[accTerritory] = st.str(b.terrName[id])
				if named, ok := s.NamedAccounts[a.ID]; ok && named == id {
					row[accNamed] = "named"
				}
			}
			row[accPlacement] = placement.String()
			row[accLocatedBy] = a.Match.String()
			for k, v := range a.Fields {
				if k >= len(p.CustomFields) || v == "" {
					continue
				}
				if p.CustomFields[k].Numeric {
					if x, err := strconv.ParseFloat(v, 64); err == nil {
						row[accCols+k] = x
						if k == history {
							row[accCols+k] = num(st.money, x)
						}
						continue
					}
				}
				row[accCols+k] = st.str(v)
			}
		},
		landscape: true,
	}
}

// Units columns.
const (
	unitCode       = iota // A
	unitName              // B
	unitParentCode        // C
	unitParentName        // D
	unitTerritory         // E
	unitPopulation        // F
	unitAccounts          // G
	unitPotential         // H
	unitNote              // I
	unitCols
)

// units lays out the Units sheet: one row per unit, in plan order, with the
// accounts located in it and their potential. An unknown population is a
// blank cell, so that SUM stays right, and the Note column says "no data".
func (b *book) units() sheetSpec {
	st, p := b.st, b.p
	type agg struct{ accounts, potMissing int }
	idx := p.UnitIndex()
	aggs := make([]agg, len(p.Units))
	pot := make([]float64, len(p.Units))
	for i := range p.Accounts {
		a := &p.Accounts[i]
		k, ok := idx[a.UnitCode]
		if a.UnitCode == "" || !ok {
			continue
		}
		aggs[k].accounts++
		if a.Potential.Known {
			pot[k] += a.Potential.Value
		} else {
			aggs[k].potMissing++
		}
	}
	var note strings.Builder
	return sheetSpec{
		name: SheetUnits,
		cols: unitCols,
		header: []string{
			"Unit code", "Unit name", "Parent code", "Parent name", "Territory",
			"Population", "Accounts", b.potHeader, "Note",
		},
		n: len(p.Units),
		row: func(i int, row []any) {
			u, a := &p.Units[i], aggs[i]
			row[unitCode] = st.code(u.Code)
			row[unitName] = st.str(u.Name)
			row[unitParentCode] = st.code(u.ParentCode)
			row[unitParentName] = st.str(u.ParentName)
			row[unitTerritory] = st.str(b.unitTerr[u.Code])
			if u.Population.Known {
				row[unitPopulation] = num(st.count, u.Population.Value)
			}
			row[unitAccounts] = st.integer(a.accounts)
			row[unitPotential] = sumOf(st.potential, pot[i], a.potMissing, a.accounts)
			note.Reset()
			if !u.Population.Known {
				note.WriteString("Population: no data")
			}
			if a.potMissing > 0 {
				if note.Len() > 0 {
					note.WriteString("; ")
				}
				fmt.Fprintf(&note, "Potential: no data for %d of %d account", a.potMissing, a.accounts)
				if a.accounts > 1 {
					note.WriteByte('s')
				}
			}
			if note.Len() > 0 {
				row[unitNote] = note.String()
			}
		},
	}
}
