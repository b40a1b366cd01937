package planner

import "slices"

// SegmentReport is one segment's view of a scenario: the segment's
// accounts and potential in each territory, per tier when the segment is
// tiered, in the white space and in total, with the regions' roll-ups; and,
// when an overlay team covers the segment, the team's view of the same
// accounts (the whole segment, wherever its accounts' territories are).
// Overlay coverage moves no account out of its territory: the territory
// lines and the overlay are two views of the same accounts. Potential is
// in the plan's PotentialName unit; unknown potential is left out of the
// sums and counted in PotentialMissing. [BuildSegmentReport] makes one.
type SegmentReport struct {
	SegmentID     int64
	SegmentName   string
	Rule          string // Segment.Rule; "" selects every account
	ScenarioID    int64
	ScenarioName  string
	PotentialName string // Plan.PotentialName, e.g. "Beds"
	// Tiers names the segment's tiers, top first; nil when the segment is
	// not tiered. TierMetric and ByQuantile are the tiering's (see
	// [Tiering]).
	Tiers      []string
	TierMetric string
	ByQuantile bool
	// Territories has one line per territory of the scenario, in scenario
	// order.
	Territories []SegmentLine
	// Regions has one line per region of the scenario, in Scenario.Regions
	// order: the sum of the territories under it at any depth (see
	// Territory.RegionID and Region.ParentID).
	Regions []SegmentLine
	// WhiteSpace holds the members no territory owns (in unassigned units
	// or in no unit).
	WhiteSpace SegmentLine
	// Total holds every member: the territories plus the white space.
	Total SegmentLine
	// Members counts the segment's accounts (Total.Accounts).
	Members int
	// Overlay is the overlay team's view, nil when the segment has no
	// OverlayTeam.
	Overlay *SegmentOverlay
}

// SegmentLine is one line of a SegmentReport: a territory, a region, the
// white space or the total.
type SegmentLine struct {
	// ID is the territory's (or, in SegmentReport.Regions, the region's)
	// ID; 0 for the white space and the total.
	ID     int64
	Name   string // "White space" and "Total" for those lines
	Region string // a territory's own region's name; "" when none, and on other lines
	Rep    string // who covers a territory (Plan.RepNames); "" otherwise
	// Accounts counts the segment's accounts on the line and Potential
	// sums their known potential; PotentialMissing counts those whose
	// potential is unknown.
	Accounts         int
	Potential        float64
	PotentialMissing int
	// Tiers splits Accounts and Potential by tier, aligned with
	// SegmentReport.Tiers; nil when the segment is not tiered. Members
	// with no tier (metric unknown, below the last threshold, or beyond the quantile shares) are in NoTier.
	Tiers  []TierTotals
	NoTier TierTotals
}

// TierTotals are the accounts of one tier on a SegmentLine and their known
// potential (the plan's PotentialName unit).
type TierTotals struct {
	Accounts  int
	Potential float64
}

// SegmentOverlay is the overlay team's view of a segment (Segment.OverlayTeam
// and OverlayReps): the team covers every member, whatever territory owns it.
type SegmentOverlay struct {
	Team     string
	RepIDs   []int64
	RepNames []string // aligned with RepIDs; "rep N" for a rep the plan lacks
	// Accounts, Potential, PotentialMissing and Tiers are the whole
	// segment's: equal to SegmentReport.Total's.
	Accounts         int
	Potential        float64
	PotentialMissing int
	Tiers            []TierTotals
	// Territories counts the territories that own at least one member, and
	// WhiteSpace the members no territory owns: what the overlay covers on
	// top of (or, for white space, instead of) the geographic team.
	Territories int
	WhiteSpace  int
}

// BuildSegmentReport returns segment g's report on scenario s of plan p
// (see [SegmentReport]). The territory lines come from
// [ComputeSegmentMetrics] on the segment's members ([Plan.SegmentMembers]),
// and each tier's from ComputeSegmentMetrics on that tier's members, so an
// account counts where [ComputeMetrics] counts it: its named territory,
// else the drawn boundary that contains it, else its unit's territory.
// Errors are those of [Plan.SegmentMembers] (*Error, EINVALID): g nil, a
// rule that does not parse or names a field p lacks, a bad tiering.
func BuildSegmentReport(p *Plan, s *Scenario, g *Segment) (SegmentReport, error) {
	mem, err := p.SegmentMembers(g)
	if err != nil {
		return SegmentReport{}, err
	}
	r := SegmentReport{SegmentID: g.ID, SegmentName: g.Name, Rule: g.Rule, ScenarioID: s.ID, ScenarioName: s.Name,
		PotentialName: p.PotentialName, Members: mem.Members}
	m := ComputeSegmentMetrics(p, s, g.Name, mem.In)
	r.Territories = make([]SegmentLine, len(m.Territories))
	for i, t := range m.Territories {
		l := &r.Territories[i]
		*l = SegmentLine{ID: t.Territory.ID, Name: t.Territory.Name, Rep: t.RepName,
			Accounts: t.Accounts, Potential: t.Potential, PotentialMissing: t.PotentialMissing}
		if reg := s.Region(t.Territory.RegionID); reg != nil {
			l.Region = reg.Name
		}
	}
	r.WhiteSpace = SegmentLine{Name: "White space", Accounts: m.WhiteSpace.Accounts,
		Potential: m.WhiteSpace.Potential, PotentialMissing: m.WhiteSpace.PotentialMissing}
	r.Total = SegmentLine{Name: "Total", Accounts: m.Total.Accounts, Potential: m.Total.Potential,
		PotentialMissing: m.Total.PotentialMissing}

	if g.Tiers != nil {
		k := len(g.Tiers.Tiers)
		r.TierMetric, r.ByQuantile = g.Tiers.Metric, g.Tiers.ByQuantile
		r.Tiers = make([]string, k)
		for i, t := range g.Tiers.Tiers {
			r.Tiers[i] = t.Name
		}
		lines := make([]*SegmentLine, 0, len(r.Territories)+2)
		for i := range r.Territories {
			lines = append(lines, &r.Territories[i])
		}
		lines = append(lines, &r.WhiteSpace, &r.Total)
		for _, l := range lines {
			l.Tiers = make([]TierTotals, k)
		}
		in := make([]bool, len(mem.In))
		for tier := -1; tier < k; tier++ { // -1: members with no tier
			for i := range in {
				in[i] = mem.In[i] && i < len(mem.Tier) && int(mem.Tier[i]) == tier
			}
			tm := ComputeSegmentMetrics(p, s, g.Name, in)
			totals := make([]Totals, 0, len(lines))
			for _, t := range tm.Territories {
				totals = append(totals, t.Totals)
			}
			totals = append(totals, tm.WhiteSpace, tm.Total)
			for j, l := range lines {
				tt := TierTotals{Accounts: totals[j].Accounts, Potential: totals[j].Potential}
				if tier < 0 {
					l.NoTier = tt
				} else {
					l.Tiers[tier] = tt
				}
			}
		}
	}
	r.Regions = segmentRegions(s, r.Territories, len(r.Tiers))

	if g.OverlayTeam != "" {
		o := &SegmentOverlay{Team: g.OverlayTeam, RepIDs: slices.Clone(g.OverlayReps), RepNames: overlayRepNames(p, g.OverlayReps),
			Accounts: r.Total.Accounts, Potential: r.Total.Potential, PotentialMissing: r.Total.PotentialMissing,
			Tiers: slices.Clone(r.Total.Tiers), WhiteSpace: r.WhiteSpace.Accounts}
		for _, l := range r.Territories {
			if l.Accounts > 0 {
				o.Territories++
			}
		}
		r.Overlay = o
	}
	return r, nil
}

// segmentRegions rolls the territory lines up to every region of s: a
// region's line sums the territories whose region is it or lies under it.
// tiers is the number of tiers (0 when untiered).
func segmentRegions(s *Scenario, lines []SegmentLine, tiers int) []SegmentLine {
	if len(s.Regions) == 0 {
		return nil
	}
	out := make([]SegmentLine, len(s.Regions))
	row := make(map[int64]int, len(s.Regions))
	for i, g := range s.Regions {
		row[g.ID] = i
		out[i] = SegmentLine{ID: g.ID, Name: g.Name}
		if tiers > 0 {
			out[i].Tiers = make([]TierTotals, tiers)
		}
	}
	for ti, l := range lines {
		if ti >= len(s.Territories) {
			break
		}
		// Walk up from the territory's region; a loop (refused by
		// CheckRegions) stops after len(s.Regions) steps.
		id := s.Territories[ti].RegionID
		for steps := 0; id != 0 && steps <= len(s.Regions); steps++ {
			k, ok := row[id]
			if !ok {
				break
			}
			o := &out[k]
			o.Accounts += l.Accounts
			o.Potential += l.Potential
			o.PotentialMissing += l.PotentialMissing
			for j := range min(len(o.Tiers), len(l.Tiers)) {
				o.Tiers[j].Accounts += l.Tiers[j].Accounts
				o.Tiers[j].Potential += l.Tiers[j].Potential
			}
			o.NoTier.Accounts += l.NoTier.Accounts
			o.NoTier.Potential += l.NoTier.Potential
			id = s.Regions[k].ParentID
		}
	}
	return out
}
