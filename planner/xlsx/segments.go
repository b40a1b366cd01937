package xlsx

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// Segments sheet: the columns of its first table, one row per segment.
const (
	segName      = iota // A: the segment's name
	segRule             // B: its rule, "(every account)" when empty
	segTiers            // C: its tiering, e.g. "By Beds: A top 20%, B next 30%, C rest"
	segTeam             // D: the overlay team
	segReps             // E: the overlay team's reps, by name
	segMembers          // F: accounts in the segment
	segPotential        // G: their potential
	segShare            // H: share of the plan's potential (a formula)
	segNote             // I: tier sizes, or why the rule fails
	segCols
)

// segmentEval is one segment evaluated on the plan: its members and the
// scenario's metrics for them, whole and per tier; or the reason it
// cannot be evaluated.
type segmentEval struct {
	g       *planner.Segment
	problem string // why the segment fails on this plan; "" when it does not
	mem     planner.Membership
	all     planner.Metrics   // the members
	tiers   []planner.Metrics // per tier of g.Tiers, in order
}

// evalSegments evaluates the plan's segments with [planner.Plan.SegmentMembers]
// and [planner.ComputeSegmentMetrics]. A segment whose rule or tiering fails
// on the plan gets the error's message as its problem and no figures.
func (b *book) evalSegments() []segmentEval {
	p, s := b.p, b.s
	out := make([]segmentEval, len(p.Segments))
	var in []bool
	for i := range p.Segments {
		g := &p.Segments[i]
		e := &out[i]
		e.g = g
		mem, err := p.SegmentMembers(g)
		if err != nil {
			msg := planner.ErrorMessage(err)
			e.problem = strings.TrimPrefix(msg, fmt.Sprintf("Segment %q: ", g.Name))
			continue
		}
		e.mem = mem
		e.all = planner.ComputeSegmentMetrics(p, s, g.Name, mem.In)
		if g.Tiers == nil {
			continue
		}
		if in == nil {
			in = make([]bool, len(p.Accounts))
		}
		for k, t := range g.Tiers.Tiers {
			for j := range in {
				in[j] = j < len(mem.Tier) && int(mem.Tier[j]) == k
			}
			e.tiers = append(e.tiers, planner.ComputeSegmentMetrics(p, s, g.Name+" "+t.Name, in))
		}
	}
	return out
}

// tieringText describes a tiering in words: by quantile "By Beds: A top
// 20%, B next 30%, C rest" (the last tier is "rest" when the shares add up
// to 100, else "next N%"), by threshold "By Beds: A ≥ 500, B ≥ 200, C ≥ 0";
// "" for nil.
func tieringText(t *planner.Tiering) string {
	if t == nil {
		return ""
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	sum := 0.0
	for _, x := range t.Tiers {
		sum += x.Value
	}
	var sb strings.Builder
	sb.WriteString("By " + t.Metric + ": ")
	for k, x := range t.Tiers {
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(x.Name)
		switch {
		case !t.ByQuantile:
			sb.WriteString(" ≥ " + num(x.Value))
		case k == len(t.Tiers)-1 && k > 0 && math.Abs(sum-100) < 1e-9:
			sb.WriteString(" rest")
		case k == 0:
			sb.WriteString(" top " + num(x.Value) + "%")
		default:
			sb.WriteString(" next " + num(x.Value) + "%")
		}
	}
	return sb.String()
}

// overlayReps returns the names of a segment's overlay reps, in order,
// separated by ", " ("rep 7" for an ID the roster lacks).
func (b *book) overlayReps(g *planner.Segment) string {
	names := make([]string, 0, len(g.OverlayReps))
	for _, id := range g.OverlayReps {
		if r := b.p.Rep(id); r != nil {
			names = append(names, r.Name)
		} else {
			names = append(names, "rep "+strconv.FormatInt(id, 10))
		}
	}
	return strings.Join(names, ", ")
}

// segmentNote returns the Note cell text of an evaluated segment: its tier
// sizes, and how many members have no tier.
func segmentNote(e *segmentEval) string {
	if e.problem != "" {
		return e.problem
	}
	if e.g.Tiers == nil {
		return ""
	}
	parts := make([]string, 0, len(e.g.Tiers.Tiers))
	tiered := 0
	for k, t := range e.g.Tiers.Tiers {
		size := 0
		if k < len(e.mem.TierSizes) {
			size = e.mem.TierSizes[k]
		}
		tiered += size
		parts = append(parts, t.Name+": "+strconv.Itoa(size))
	}
	note := "Tier sizes " + strings.Join(parts, ", ")
	if n := e.mem.NoMetric; n > 0 {
		note += fmt.Sprintf("; %d with no tier (no %s)", n, e.g.Tiers.Metric)
	}
	if rest := e.mem.Members - tiered - e.mem.NoMetric; rest > 0 {
		below := "below the last tier"
		if e.g.Tiers.ByQuantile {
			below = "beyond the tiers' shares"
		}
		note += fmt.Sprintf("; %d with no tier (%s)", rest, below)
	}
	return note
}

// segmentPair is one pair of matrix columns: a segment, or one tier of a
// tiered segment.
type segmentPair struct {
	name string // "Large acute hospitals", "Bed tiers A"
	m    *planner.Metrics
}

// segments lays out the Segments sheet, in three blocks:
//
//  1. The plan's segments (Plan.Segments), one row per segment (the table
//     with the header row, autofilter and banding): Name, Rule, Tiers
//     ([tieringText]), Overlay team, Overlay reps, Members
//     ([planner.Plan.SegmentMembers]), the members' potential, their share
//     of the plan's potential (a formula of the Territories sheet's Total
//     potential) and a Note (tier sizes). A segment whose rule or tiering
//     fails on the plan has the error's message as its Note and no
//     figures; the export does not fail for it.
//  2. "Segments by territory" (after an empty row): one row per territory
//     in the scenario's order with its hierarchy columns (as on the
//     Territories sheet), then White space, then a Total row of SUM
//     formulas over the rows above; one pair of columns (accounts,
//     potential) per evaluated segment without tiers, and one per tier of
//     a tiered segment ("Bed tiers A accounts", "Bed tiers A potential
//     (Beds)"), from [planner.ComputeSegmentMetrics]: named accounts count
//     in the territory that owns them. Left out when no segment evaluates.
//  3. "Accounts by <Plan.SegmentName>" (after an empty row), when some
//     account has a Segment value: one row per distinct value (by name;
//     accounts with none last, as "(no segment)"), with the accounts, their
//     potential, the share of the plan's potential (a formula of the
//     block's Total row) and the accounts with no potential data; a Total
//     row of SUM formulas.
//
// Every name, rule and header from user data that looks like a formula is
// written as quote-prefixed text.
func (b *book) segments() sheetSpec {
	st := b.st
	evals := b.evalSegments()
	n := len(evals)
	tot := b.m.Total.Potential
	potCol, _ := excelize.ColumnNumberToName(segPotential + 1)
	terrPot := fmt.Sprintf("%s!$%s$%d", SheetTerritories, b.terrCol["Potential"], b.terrTot)
	body := make([][]any, n)
	for i := range evals {
		e := &evals[i]
		g := e.g
		row := make([]any, segCols)
		row[segName] = st.str(g.Name)
		if g.Rule == "" {
			row[segRule] = "(every account)"
		} else {
			row[segRule] = st.str(g.Rule)
		}
		row[segTiers] = st.str(tieringText(g.Tiers))
		row[segTeam] = st.str(g.OverlayTeam)
		row[segReps] = st.str(b.overlayReps(g))
		row[segNote] = st.str(segmentNote(e))
		if e.problem == "" {
			t := e.all.Total
			row[segMembers] = st.integer(e.mem.Members)
			row[segPotential] = sumOf(st.potential, t.Potential, t.PotentialMissing, t.Accounts)
			r := i + 2
			cell := excelize.Cell{StyleID: st.percent, Formula: fmt.Sprintf(`IF(%s=0,"",%s%d/%s)`, terrPot, potCol, r, terrPot)}
			if tot != 0 {
				cell.Value = t.Potential / tot
			} else {
				cell.Value = ""
			}
			row[segShare] = cell
		}
		body[i] = row
	}

	cols := segCols
	var footer [][]any
	first := n + 3 // the first footer row: after the header, the body and an empty row
	if matrix := b.segmentMatrix(evals, first); len(matrix) > 0 {
		footer = append(footer, matrix...)
		cols = max(cols, len(matrix[1]))
	}
	if byField := b.segmentsByField(first + len(footer) + min(len(footer), 1)); len(byField) > 0 {
		if len(footer) > 0 {
			footer = append(footer, []any{})
		}
		footer = append(footer, byField...)
		cols = max(cols, len(byField[1]))
	}
	for k, r := range footer { // every row as wide as the sheet
		if len(r) < cols {
			footer[k] = append(r, make([]any, cols-len(r))...)
		}
	}
	return sheetSpec{
		name: SheetSegments,
		cols: cols,
		header: []string{"Segment", "Rule", "Tiers", "Overlay team", "Overlay reps", "Members", b.potHeader,
			"Share of potential", "Note"},
		n:         n,
		row:       func(i int, row []any) { copy(row, body[i]) },
		footer:    footer,
		landscape: true,
		tableCols: segCols,
	}
}

// segmentMatrix returns the rows of the Segments sheet's "Segments by
// territory" block (see segments), which starts at sheet row first: a
// title row, a header row, one row per territory, White space and Total;
// nil when no segment evaluates.
func (b *book) segmentMatrix(evals []segmentEval, first int) [][]any {
	st, s := b.st, b.s
	var pairs []segmentPair
	for i := range evals {
		e := &evals[i]
		switch {
		case e.problem != "":
		case e.g.Tiers == nil:
			pairs = append(pairs, segmentPair{e.g.Name, &e.all})
		default:
			for k, t := range e.g.Tiers.Tiers {
				pairs = append(pairs, segmentPair{e.g.Name + " " + t.Name, &e.tiers[k]})
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	nl := len(b.levels)
	lead := nl + 1 // hierarchy and territory columns
	width := lead + 2*len(pairs)
	pot := strings.ToLower(b.potHeader[:1]) + b.potHeader[1:]
	header := make([]any, width)
	for k, h := range b.levels {
		header[k] = st.head(h)
	}
	header[nl] = st.head(hdrTerritory)
	for k, pr := range pairs {
		header[lead+2*k] = st.head(pr.name + " accounts")
		header[lead+2*k+1] = st.head(pr.name + " " + pot)
	}
	rows := [][]any{{fixed(st.label, "Segments by territory")}, header}
	figures := func(row []any, pick func(m *planner.Metrics) planner.Totals) {
		for k, pr := range pairs {
			t := pick(pr.m)
			row[lead+2*k] = st.integer(t.Accounts)
			row[lead+2*k+1] = sumOf(st.potential, t.Potential, t.PotentialMissing, t.Accounts)
		}
	}
	for i, t := range s.Territories {
		row := make([]any, width)
		for k := range nl {
			row[k] = b.levelCell(t.ID, k)
		}
		row[nl] = st.str(t.Name)
		figures(row, func(m *planner.Metrics) planner.Totals { return m.Territories[i].Totals })
		rows = append(rows, row)
	}
	ws := make([]any, width)
	ws[0] = "White space"
	figures(ws, func(m *planner.Metrics) planner.Totals { return m.WhiteSpace })
	rows = append(rows, ws)

	from, to := first+2, first+2+len(s.Territories) // the territories' and the white space's rows
	total := make([]any, width)
	for j := range lead {
		total[j] = excelize.Cell{StyleID: st.totalLabel}
	}
	total[0] = fixed(st.totalLabel, "Total")
	for k, pr := range pairs {
		for c, v := range []struct {
			style int
			value any
		}{{st.totalCount, pr.m.Total.Accounts}, {st.totalPotential, pr.m.Total.Potential}} {
			l, _ := excelize.ColumnNumberToName(lead + 2*k + c + 1)
			total[lead+2*k+c] = sum(v.style, fmt.Sprintf("SUM(%s%d:%s%d)", l, from, l, to), v.value)
		}
	}
	return append(rows, total)
}

// segmentLine is one account Segment value's totals.
type segmentLine struct {
	name                 string
	accounts, potMissing int
	potential            float64
}

// segmentsByField returns the rows of the Segments sheet's "Accounts by
// <Plan.SegmentName>" block (see segments), which starts at sheet row
// first: a title row, a header row, one row per Segment value and a Total
// row; nil when no account has a Segment value.
func (b *book) segmentsByField(first int) [][]any {
	st, p := b.st, b.p
	idx := map[string]int{}
	var lines []segmentLine
	none := segmentLine{name: "(no segment)"}
	total := 0.0
	for i := range p.Accounts {
		a := &p.Accounts[i]
		l := &none
		if a.Segment != "" {
			k, ok := idx[a.Segment]
			if !ok {
				k = len(lines)
				idx[a.Segment] = k
				lines = append(lines, segmentLine{name: a.Segment})
			}
			l = &lines[k]
		}
		l.accounts++
		if a.Potential.Known {
			l.potential += a.Potential.Value
			total += a.Potential.Value
		} else {
			l.potMissing++
		}
	}
	if len(lines) == 0 {
		return nil
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].name < lines[j].name })
	field := p.SegmentName
	if field == "" {
		field = "Segment"
	}
	// Columns A to E: the value, Accounts, potential, share, no potential.
	const cols = 5
	body := first + 2 // the first value's row
	totRow := body + len(lines)
	if none.accounts > 0 {
		totRow++
	}
	missing := 0
	rows := [][]any{
		{fixed(st.label, "Accounts by "+field)},
		{st.head(field), st.head("Accounts"), st.head(b.potHeader), st.head("Share of potential"), st.head("Accounts with no potential data")},
	}
	line := func(l segmentLine, name any, r int) []any {
		missing += l.potMissing
		share := excelize.Cell{StyleID: st.percent, Formula: fmt.Sprintf(`IF($C$%d=0,"",C%d/$C$%d)`, totRow, r, totRow)}
		if total != 0 {
			share.Value = l.potential / total
		} else {
			share.Value = ""
		}
		return []any{name, st.integer(l.accounts), sumOf(st.potential, l.potential, l.potMissing, l.accounts), share, st.integer(l.potMissing)}
	}
	for k, l := range lines {
		rows = append(rows, line(l, st.str(l.name), body+k))
	}
	if none.accounts > 0 {
		rows = append(rows, line(none, none.name, body+len(lines)))
	}
	last := totRow - 1
	f := func(c string) string { return fmt.Sprintf("SUM(%s%d:%s%d)", c, body, c, last) }
	totalRow := make([]any, cols)
	totalRow[0] = fixed(st.totalLabel, "Total")
	totalRow[1] = sum(st.totalCount, f("B"), len(p.Accounts))
	totalRow[2] = sum(st.totalPotential, f("C"), total)
	totalRow[3] = excelize.Cell{StyleID: st.totalLabel}
	totalRow[4] = sum(st.totalCount, f("E"), missing)
	return append(rows, totalRow)
}
