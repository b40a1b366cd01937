package app

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// colorBy is what the map's fills show.
type colorBy int

const (
	byTerritory colorBy = iota // each unit in its territory's colour
	byPopulation
	byAccounts
	byPotential
	byDeviation // the population deviation of the unit's territory, in percent
)

// byLevel + k colours each unit by its territory's region at hierarchy
// level k (0 = the top level; see hierarchy.go, levelFills).
const byLevel colorBy = 100

// colorByNames are the choices of the "Colour by" menu, in colorBy order.
var colorByNames = []string{"Territory", "Population", "Accounts", "Potential", "Deviation (population)"}

// viewOptions are the user's choices of what the map shows.
type viewOptions struct {
	colorBy colorBy
	method  planner.ClassMethod // choropleth classes
	classes int                 // number of classes, 0 = defaultClasses
	level   string              // the level's name when colorBy >= byLevel
}

const defaultClasses = 5

// legendNameMax is the most characters of a territory name shown in the
// legend and on map labels (longer names end with "…").
const legendNameMax = 28

func (o viewOptions) k() int {
	if o.classes <= 0 {
		return defaultClasses
	}
	return o.classes
}

// Map styles of the territory layers.
var (
	outlineColor  = color.NRGBA{0x22, 0x22, 0x2a, 0xff} // territory outlines
	labelColor    = color.NRGBA{0x10, 0x10, 0x18, 0xff}
	labelHalo     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	drawnColorMix = 0.55 // drawn boundaries: the territory colour darkened to this
)

const (
	outlineWidth  = 2.2  // dp
	labelBaseSize = 12.0 // dp, the territory name; the metric line is smaller
)

// derived is what follows from the alignment: metrics, the territory
// outlines (dissolved borders) and labels.
// derive computes it off the UI thread from a snapshot of the scenario.
type derived struct {
	metrics  planner.Metrics
	outlines []orb.MultiLineString // territory outlines, then drawn boundaries
	colors   []color.NRGBA         // one per outlines entry
	labels   []mapview.Label
	// accountOwner is each account's territory ID (0: white space), for
	// the Accounts tab.
	accountOwner []int64
	// coverage is the Coverage tab's report and lists.
	coverage coverageResult
	// seg is the active segment filter's members and metrics (segments.go).
	seg segmentDerived
}

// derive computes the metrics, outlines and labels of scenario snap of
// plan p, both snapshots taken on the UI thread (see
// session.snapshotPlan). It is safe off the UI thread: edits replace the
// plan's fields (its reps, its workload model) in s.plan rather than
// writing into them, so p's stay as they were.
func (s *session) derive(p *planner.Plan, snap *planner.Scenario) derived {
	d := derived{metrics: planner.ComputeMetrics(p, snap), accountOwner: snap.AccountTerritories(p)}
	d.coverage = buildCoverage(p, snap)
	d.seg = s.deriveSegment(p, snap)
	shown := d.shown() // the labels show the segment's metrics when filtered
	n := len(snap.Territories)
	group := territoryRows(p, snap, nil)
	var all orb.MultiLineString
	for _, ml := range s.edges.Outlines(group, n) {
		all = append(all, ml...)
	}
	d.outlines = append(d.outlines, all)
	d.colors = append(d.colors, outlineColor)
	labels := s.edges.LabelPoints(group, n, 0)
	room := make([]float64, 0, n) // per entry of d.labels: its inscribed radius
	for i, t := range snap.Territories {
		at, ok := labels[i].At, labels[i].OK
		if len(t.Boundary) > 0 {
			plane := s.proj.Polygon(t.Boundary)
			var lines orb.MultiLineString
			for _, r := range plane {
				lines = append(lines, orb.LineString(r))
			}
			d.outlines = append(d.outlines, lines)
			d.colors = append(d.colors, darken(parseHexColor(t.Color, whiteSpaceColor), drawnColorMix))
			if !ok {
				at, labels[i].Dist = geo.PolyLabel(plane, 0)
				ok = true
			}
		}
		if !ok {
			continue
		}
		tm := shown.Territories[i]
		d.labels = append(d.labels, mapview.Label{
			At:    at,
			Text:  ellipsis(t.Name, legendNameMax) + "\n" + labelMetric(tm),
			Size:  labelBaseSize,
			Color: labelColor,
			Halo:  labelHalo,
			Bold:  true, // the territory name; the metric line stays regular
		})
		room = append(room, labels[i].Dist)
	}
	// Where labels collide the map keeps the first (see mapview.Label):
	// the territories with the most room inside them come first.
	order := make([]int, len(d.labels))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return room[order[a]] > room[order[b]] })
	sorted := make([]mapview.Label, len(d.labels))
	for k, j := range order {
		sorted[k] = d.labels[j]
	}
	d.labels = sorted
	return d
}

// legendDetail is a territory's line in the legend: accounts and people
// with the population deviation, or the accounts alone when the plan has
// no population data for its units.
func legendDetail(tm planner.TerritoryMetrics) string {
	if tm.Units > 0 && tm.PopulationMissing == tm.Units {
		return formatCount(float64(tm.Accounts)) + " accts"
	}
	return fmt.Sprintf("%s accts · %s people (%s)", formatCount(float64(tm.Accounts)), formatCount(tm.Population), formatPercent(tm.Deviation.Population))
}

// labelMetric is the second line of a territory's map label: its accounts
// and population deviation; without any population data (a plan on a
// layer imported without weights), its accounts alone.
func labelMetric(t planner.TerritoryMetrics) string {
	if t.Units > 0 && t.PopulationMissing == t.Units {
		return formatCount(float64(t.Accounts)) + " accts"
	}
	return fmt.Sprintf("%s accts · pop. %s", formatCount(float64(t.Accounts)), formatPercent(t.Deviation.Population))
}

// darken mixes c with black: f = 1 keeps c, 0 gives black.
func darken(c color.NRGBA, f float64) color.NRGBA {
	return color.NRGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), c.A}
}

// mapLayers prepares everything the map draws: units filled with fills,
// parent (state) borders, territory outlines, account dots and labels from
// d. It is costly (tens of milliseconds) and safe to run off the UI thread.
func (s *session) mapLayers(fills []color.NRGBA, d derived) *mapview.Layers {
	return mapview.NewLayers().
		Areas(s.areas, fills).
		Lines(s.borders, stateBorderColor, 1.2).
		Outlines(d.outlines, d.colors, outlineWidth).
		PointsSized(s.points, repeatColor(accountColor, len(s.points)), s.pointRadii()).
		Labels(d.labels)
}

// pointRadii sizes account dots by potential: the area of a dot grows with
// potential (radius ∝ √potential), from 1.2 dp for none or unknown to 3.6 dp
// for the largest.
func (s *session) pointRadii() []float32 {
	var top float64
	for _, k := range s.pointAccount {
		if a := s.plan.Accounts[k]; a.Potential.Known {
			top = max(top, a.Potential.Value)
		}
	}
	out := make([]float32, len(s.pointAccount))
	for i, k := range s.pointAccount {
		out[i] = 1.2
		if a := s.plan.Accounts[k]; a.Potential.Known && a.Potential.Value > 0 && top > 0 {
			out[i] = float32(1.2 + 2.4*math.Sqrt(a.Potential.Value/top))
		}
	}
	return out
}

// legendEntry is one line of the map legend: a colour and what it means.
type legendEntry struct {
	color  color.NRGBA
	label  string
	detail string
}

// fills returns each unit's fill colour as o says, and the legend entries
// that explain them. snap is the scenario (or a snapshot), m its metrics.
func (s *session) fills(o viewOptions, snap *planner.Scenario, m planner.Metrics) ([]color.NRGBA, []legendEntry) {
	if o.colorBy >= byLevel {
		return s.levelFills(int(o.colorBy-byLevel), snap, m)
	}
	out := make([]color.NRGBA, len(s.plan.Units))
	if o.colorBy == byTerritory {
		palette := make([]color.NRGBA, len(snap.Territories))
		legend := make([]legendEntry, 0, len(snap.Territories)+1)
		for i, t := range snap.Territories {
			palette[i] = parseHexColor(t.Color, whiteSpaceColor)
			detail := ""
			if i < len(m.Territories) {
				tm := m.Territories[i]
				detail = legendDetail(tm)
			}
			legend = append(legend, legendEntry{palette[i], ellipsis(t.Name, legendNameMax), detail})
		}
		for i := range out {
			out[i] = whiteSpaceColor
			if r := s.territoryOf[i]; r >= 0 && r < len(palette) {
				out[i] = palette[r]
			}
		}
		legend = append(legend, legendEntry{whiteSpaceColor, "White space", fmt.Sprintf("%s units", formatCount(float64(m.WhiteSpace.Units)))})
		return out, legend
	}

	values := make([]float64, len(s.plan.Units))
	known := make([]bool, len(s.plan.Units))
	var ramp []string
	switch o.colorBy {
	case byPopulation:
		for i, u := range s.plan.Units {
			values[i], known[i] = u.Population.Value, u.Population.Known
		}
	case byAccounts:
		for i := range values {
			values[i], known[i] = float64(s.unitAccounts[i]), true
		}
	case byPotential:
		for i := range values {
			values[i], known[i] = s.unitPotential[i], true
		}
	case byDeviation:
		for i := range values {
			if r := s.territoryOf[i]; r >= 0 && r < len(m.Territories) {
				values[i], known[i] = m.Territories[r].Deviation.Population, true
			}
		}
	}
	if o.colorBy == byDeviation {
		return deviationFills(values, known)
	}
	cl, err := planner.Classify(values, known, o.k(), o.method)
	if err != nil {
		return s.fills(viewOptions{}, snap, m)
	}
	ramp = planner.SequentialRamp(cl.Len())
	for i := range out {
		out[i] = whiteSpaceColor
		if c := cl.Class[i]; c >= 0 && c < len(ramp) {
			out[i] = parseHexColor(ramp[c], whiteSpaceColor)
		}
	}
	legend := make([]legendEntry, 0, cl.Len()+1)
	for c := 0; c < cl.Len(); c++ {
		legend = append(legend, legendEntry{parseHexColor(ramp[c], whiteSpaceColor), cl.Label(c, formatCount), fmt.Sprintf("%s units", formatCount(float64(cl.Counts[c])))})
	}
	if cl.Unknown > 0 {
		legend = append(legend, legendEntry{whiteSpaceColor, "No data", fmt.Sprintf("%s units", formatCount(float64(cl.Unknown)))})
	}
	return out, legend
}

// deviationBreaks are the fixed class limits of deviation colouring, in
// percent from the mean. They are symmetric around 0 so that the neutral
// middle class always means "within ±10% of the mean" whatever the data
// (data-driven classes would let a badly under-loaded territory look
// balanced).
var deviationBreaks = []float64{-30, -10, 10, 30}

// deviationFills colours units by their territory's deviation in fixed
// symmetric classes (deviationBreaks) with ColorBrewer's PuOr ramp:
// orange below the mean, neutral within ±10%, purple above.
func deviationFills(values []float64, known []bool) ([]color.NRGBA, []legendEntry) {
	ramp := planner.DivergingRamp(len(deviationBreaks) + 1)
	out := make([]color.NRGBA, len(values))
	counts := make([]int, len(ramp))
	unknown := 0
	for i, v := range values {
		if !known[i] {
			out[i] = whiteSpaceColor
			unknown++
			continue
		}
		c := sort.SearchFloat64s(deviationBreaks, v)
		if c < len(deviationBreaks) && v == deviationBreaks[c] && v > 0 {
			c++ // a limit above the mean belongs to the class above it
		}
		counts[c]++
		out[i] = parseHexColor(ramp[c], whiteSpaceColor)
	}
	labels := []string{"below −30%", "−30% to −10%", "within ±10%", "+10% to +30%", "above +30%"}
	legend := make([]legendEntry, 0, len(ramp)+1)
	for c := range ramp {
		legend = append(legend, legendEntry{parseHexColor(ramp[c], whiteSpaceColor), labels[c], fmt.Sprintf("%s units", formatCount(float64(counts[c])))})
	}
	if unknown > 0 {
		legend = append(legend, legendEntry{whiteSpaceColor, "White space", fmt.Sprintf("%s units", formatCount(float64(unknown)))})
	}
	return out, legend
}

// territoryRows returns, per unit of p, the index in sc.Territories of the
// territory it is aligned to, -1 for white space; into is reused when it
// has the right length.
func territoryRows(p *planner.Plan, sc *planner.Scenario, into []int) []int {
	row := make(map[int64]int, len(sc.Territories))
	for i, t := range sc.Territories {
		row[t.ID] = i
	}
	if len(into) != len(p.Units) {
		into = make([]int, len(p.Units))
	}
	for i, u := range p.Units {
		into[i] = -1
		if tid, ok := sc.Alignment[u.Code]; ok {
			if r, ok := row[tid]; ok {
				into[i] = r
			}
		}
	}
	return into
}
