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

// Territories sheet headers that other code finds the columns by.
const (
	hdrTerritory   = "Territory"
	hdrTerritoryID = "Territory ID" // hidden
	hdrAnnualQuota = "Annual quota"
	hdrLastYear    = "Last year"
	hdrSetByHand   = "Set by hand"
	hdrSplitUnit   = "Split unit" // the unit the row's quarters and months are rounded to
)

// column is one column of a table sheet.
type column struct {
	key    string             // header, or a key for helpers
	header string             // the header cell
	body   func(i, r int) any // the cell of body row i, at sheet row r
	white  func() any         // the white-space row's cell; nil: blank
	total  func() any         // the Total row's cached value; nil: not summed
	style  int                // the Total row's style when summed
	hidden bool
}

// table turns columns into a sheetSpec with n body rows, an optional
// white-space row and a Total row (SUM formulas over the body rows and the
// white-space row); letters receives each column's letter by key.
func (b *book) table(name string, cols []column, n int, white bool, letters map[string]string) sheetSpec {
	st := b.st
	for j, c := range cols {
		letters[c.key], _ = excelize.ColumnNumberToName(j + 1)
	}
	header := make([]string, len(cols))
	var hidden []int
	for j, c := range cols {
		header[j] = c.header
		if c.hidden {
			hidden = append(hidden, j)
		}
	}
	var footer [][]any
	wsRow := 0
	if white {
		w := make([]any, len(cols))
		w[0] = "White space"
		for j, c := range cols {
			if c.white != nil {
				w[j] = c.white()
			}
		}
		footer = append(footer, w)
		wsRow = n + 3 // header, n rows, the empty row
	}
	total := make([]any, len(cols))
	for j, c := range cols {
		l := letters[c.key]
		switch {
		case j == 0:
			total[j] = fixed(st.totalLabel, "Total")
		case c.total != nil:
			var f string
			switch {
			case n == 0 && wsRow == 0:
				f = "0"
			case n == 0:
				f = fmt.Sprintf("SUM(%s%d)", l, wsRow)
			case wsRow == 0:
				f = fmt.Sprintf("SUM(%s2:%s%d)", l, l, n+1)
			default:
				f = fmt.Sprintf("SUM(%s2:%s%d,%s%d)", l, l, n+1, l, wsRow)
			}
			total[j] = sum(c.style, f, c.total())
		default:
			total[j] = excelize.Cell{StyleID: st.totalLabel} // styled blank: the border runs on
		}
	}
	footer = append(footer, total)
	return sheetSpec{
		name:   name,
		cols:   len(cols),
		header: header,
		n:      n,
		row: func(i int, row []any) {
			for j, c := range cols {
				if c.body != nil {
					row[j] = c.body(i, i+2)
				}
			}
		},
		footer:    footer,
		landscape: true,
		hidden:    hidden,
	}
}

// totalRow returns the sheet row of the Total row of a table with n body
// rows, with or without a white-space row.
func totalRow(n int, white bool) int {
	if white {
		return n + 4
	}
	return n + 3
}

// fiscalMonthName returns the header of fiscal month m (0 = the first) of
// fiscal year fy starting in start, e.g. "Feb 2027".
func fiscalMonthName(fy int, start time.Month, m int) string {
	if start < time.January || start > time.December {
		start = time.January
	}
	k := int(start) - 1 + m
	return time.Month(k%12 + 1).String()[:3] + " " + strconv.Itoa(fy+k/12)
}

// hierarchyLevels returns the headers of the hierarchy columns of scenario
// s: one per level above the territories (s.LevelNames() but the last),
// from the top, down to the deepest level that holds a region of s, so
// that a scenario with no regions has none and one whose regions are all
// top-level has one ("Region" by default). A header that would collide
// with a Territories column that ReadQuotas finds by name ("Territory",
// "Annual quota", "Territory ID", compared as ReadQuotas compares) gets
// " (level)" appended.
func hierarchyLevels(s *planner.Scenario) []string {
	depth := 0
	for i := range s.Regions {
		depth = max(depth, s.RegionDepth(s.Regions[i].ID)+1)
	}
	names := s.LevelNames()
	depth = min(depth, len(names)-1)
	out := make([]string, depth)
	for k := range out {
		out[k] = names[k]
		switch headerKey(out[k]) {
		case headerKey(hdrTerritory), headerKey(hdrAnnualQuota), headerKey(hdrTerritoryID):
			out[k] += " (level)"
		}
	}
	return out
}

// headerKey is how ReadQuotas compares headers: lower case, no spaces.
func headerKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }

// territoryPaths returns, for each territory of s by ID, the names of its
// ancestor regions from the top (path[k] is its region at level k, see
// [planner.Scenario.RegionPath]); nil for a territory under no region.
func territoryPaths(s *planner.Scenario) map[int64][]string {
	out := make(map[int64][]string, len(s.Territories))
	for _, t := range s.Territories {
		if t.RegionID != 0 {
			out[t.ID] = s.RegionPath(t.RegionID)
		}
	}
	return out
}

// levelCell returns the cell of territory id's ancestor at level k: its
// name as user text, or nil (blank) when it has none at that level.
func (b *book) levelCell(id int64, k int) any {
	if path := b.terrPath[id]; k < len(path) {
		return b.st.str(path[k])
	}
	return nil
}

// territories lays out the Territories sheet: one row per territory in the
// scenario's order, then an empty row, the white space and the Total row.
// Columns: the hierarchy (one column per level above the territories,
// headed by the scenario's level name, e.g. "Region" and "Area", holding
// the territory's ancestor region at that level or a blank; see
// hierarchyLevels), Territory, Reps, the balance metrics,
// and with quota settings Last year (only with a history field), Annual
// quota, Set by hand, Explanation, Split unit, Q1 to Q4 and the twelve
// fiscal months (formulas; see split.go); then the hidden Territory ID.
// Money cells have the currency format; the Total row sums every count and
// amount.
func (b *book) territories() sheetSpec {
	st, m, s := b.st, &b.m, b.s
	n := len(m.Territories)
	L := map[string]string{}
	b.terrCol = L
	cnt := func(v func(t planner.Totals) int) func(i, r int) any {
		return func(i, r int) any { return st.integer(v(m.Territories[i].Totals)) }
	}
	var cols []column
	for k, h := range b.levels {
		cols = append(cols, column{key: "level:" + strconv.Itoa(k), header: h, body: func(i, r int) any {
			return b.levelCell(s.Territories[i].ID, k)
		}})
	}
	cols = append(cols,
		column{key: hdrTerritory, header: hdrTerritory, body: func(i, r int) any { return st.str(m.Territories[i].Territory.Name) }},
		column{key: "Reps", header: "Reps", body: func(i, r int) any {
			if m.Territories[i].RepName == "" {
				return "Vacant"
			}
			return st.str(m.Territories[i].RepName)
		}},
		column{key: "Units", header: "Units", body: cnt(func(t planner.Totals) int { return t.Units }),
			white: func() any { return st.integer(m.WhiteSpace.Units) },
			total: func() any { return m.Total.Units }, style: st.totalCount},
		column{key: "Accounts", header: "Accounts", body: cnt(func(t planner.Totals) int { return t.Accounts }),
			white: func() any { return st.integer(m.WhiteSpace.Accounts) },
			total: func() any { return m.Total.Accounts }, style: st.totalCount},
		column{key: "Population", header: "Population", body: func(i, r int) any {
			t := m.Territories[i].Totals
			return sumOf(st.count, t.Population, t.PopulationMissing, t.Units)
		}, white: func() any {
			return sumOf(st.count, m.WhiteSpace.Population, m.WhiteSpace.PopulationMissing, m.WhiteSpace.Units)
		}, total: func() any { return m.Total.Population }, style: st.totalCount},
		column{key: "Potential", header: b.potHeader, body: func(i, r int) any {
			t := m.Territories[i].Totals
			return sumOf(st.potential, t.Potential, t.PotentialMissing, t.Accounts)
		}, white: func() any {
			return sumOf(st.potential, m.WhiteSpace.Potential, m.WhiteSpace.PotentialMissing, m.WhiteSpace.Accounts)
		}, total: func() any { return m.Total.Potential }, style: st.totalPotential},
	)
	dev := func(h string, pick func(planner.Figures) float64) column {
		return column{key: h, header: h, body: func(i, r int) any { return num(st.percent, pick(m.Territories[i].Deviation)/100) }}
	}
	cols = append(cols,
		dev("Units deviation", func(f planner.Figures) float64 { return f.Units }),
		dev("Accounts deviation", func(f planner.Figures) float64 { return f.Accounts }),
		dev("Population deviation", func(f planner.Figures) float64 { return f.Population }),
		dev("Potential deviation", func(f planner.Figures) float64 { return f.Potential }),
		column{key: "NoPop", header: "Units with no population data", body: cnt(func(t planner.Totals) int { return t.PopulationMissing }),
			white: func() any { return st.integer(m.WhiteSpace.PopulationMissing) },
			total: func() any { return m.Total.PopulationMissing }, style: st.totalCount},
		column{key: "NoPot", header: "Accounts with no potential data", body: cnt(func(t planner.Totals) int { return t.PotentialMissing }),
			white: func() any { return st.integer(m.WhiteSpace.PotentialMissing) },
			total: func() any { return m.Total.PotentialMissing }, style: st.totalCount},
	)
	if qp := b.qp; qp != nil {
		set := qp.Settings
		money := func(v float64) any { return num(st.money, v) }
		measure := func(v planner.Measure) any {
			if !v.Known {
				return nil
			}
			return money(v.Value)
		}
		// The quarters and months cached are the app's figures
		// (planner.QuarterlyQuota and MonthlyQuota, zero without a quota),
		// which the formulas compute (see split.go).
		var lastYear, annual float64
		var quarters [4]float64
		var months [12]float64
		for _, tq := range qp.Territories {
			lastYear += tq.LastYear.Value
			annual += tq.Quota.Value
			for j := range quarters {
				quarters[j] += tq.Quarters[j]
			}
			for j := range months {
				months[j] += tq.Months[j]
			}
		}
		cents := func(v float64) func() any { return func() any { return math.Round(v*100) / 100 } }
		if set.HistoryField != "" {
			cols = append(cols, column{key: hdrLastYear, header: hdrLastYear, body: func(i, r int) any { return measure(qp.Territories[i].LastYear) },
				total: cents(lastYear), style: st.totalMoney})
		}
		cols = append(cols,
			column{key: hdrAnnualQuota, header: hdrAnnualQuota, body: func(i, r int) any { return measure(qp.Territories[i].Quota) },
				total: cents(annual), style: st.totalMoney},
			column{key: hdrSetByHand, header: hdrSetByHand, body: func(i, r int) any {
				if qp.Territories[i].Overridden {
					return "Yes"
				}
				return nil
			}},
			column{key: "Explanation", header: "Explanation", body: func(i, r int) any { return st.str(qp.Territories[i].Explain) }},
		)
		refs := func(r int) *splitRefs {
			row := strconv.Itoa(r)
			x := &splitRefs{annual: "$" + L[hdrAnnualQuota] + row, rounding: settingsRef(setRounding), unit: "$" + L[hdrSplitUnit] + row}
			for k := range x.cum {
				x.cum[k] = settingsRef(setCumulative0 + k)
			}
			return x
		}
		cols = append(cols, column{key: hdrSplitUnit, header: hdrSplitUnit, body: func(i, r int) any {
			return excelize.Cell{StyleID: st.money, Formula: refs(r).unitFormula(), Value: planner.SplitUnit(qp.Territories[i].Quota.Value, set.Rounding)}
		}})
		for j := range 4 {
			h := fmt.Sprintf("Q%d", j+1)
			cols = append(cols, column{key: h, header: h, body: func(i, r int) any {
				return excelize.Cell{StyleID: st.money, Formula: refs(r).quarterFormula(j), Value: qp.Territories[i].Quarters[j]}
			}, total: cents(quarters[j]), style: st.totalMoney})
		}
		for k := range 12 {
			h := fiscalMonthName(set.FiscalYear, set.StartMonth, k)
			cols = append(cols, column{key: h, header: h, body: func(i, r int) any {
				return excelize.Cell{StyleID: st.money, Formula: refs(r).monthFormula(k), Value: qp.Territories[i].Months[k]}
			}, total: cents(months[k]), style: st.totalMoney})
		}
		cols = append(cols, column{key: hdrTerritoryID, header: hdrTerritoryID, hidden: true,
			body: func(i, r int) any { return s.Territories[i].ID }})
	} else {
		cols = append(cols, column{key: hdrTerritoryID, header: hdrTerritoryID, hidden: true,
			body: func(i, r int) any { return s.Territories[i].ID }})
	}
	b.terrRows = n
	b.terrTot = totalRow(n, true)
	return b.table(SheetTerritories, cols, n, true, L)
}
