package planner

import (
	"math"
	"sort"
)

// CapacityPlan answers "how many reps do we need, and where": each
// territory's workload against the reps assigned to it, with totals per
// region and for the scenario. Hours are per year; reps are full-time
// equivalents (FTE).
type CapacityPlan struct {
	// Territories holds one line per territory, in the scenario's order.
	Territories []CapacityLine
	// Regions holds one line per region of the scenario (sub-regions
	// included in their parents' sums), by name, then a line named
	// "No region" for the territories in none when there are both.
	Regions []CapacityLine
	// Total sums every territory.
	Total CapacityLine
	// DefaultCapacityHours is a full-time rep's hours a year in the model.
	DefaultCapacityHours float64
}

// CapacityLine is a territory's (or a region's, or the total's) workload
// and staffing.
type CapacityLine struct {
	TerritoryID int64  // 0 for a region or the total
	Name        string // territory or region name; "Total" for the total
	Region      string // the territory's top-level region, "" when none
	Reps        string // who covers it, as [Plan.RepNames]; "" for sums
	Accounts    int
	Hours       float64 // workload, hours a year (visits and travel)
	// RepsNeeded is Hours divided by the capacity of one full-time rep of
	// the territory ([TerritoryLoad.RepsNeeded]); for sums, the sum.
	RepsNeeded float64
	// RepsAssigned is the named reps' FTE; Vacancies the open (TBH) FTE.
	RepsAssigned float64
	Vacancies    float64
	// Gap is RepsNeeded − RepsAssigned − Vacancies: positive means more
	// people are needed than planned (hire), negative means spare capacity.
	Gap float64
	// Utilisation is Hours ÷ (the capacity of the reps assigned and the
	// vacancies), 0 when nobody is planned.
	Utilisation float64
	// ToHire is the whole reps to hire, the open vacancies included:
	// ceil(RepsNeeded − RepsAssigned), never below 0. For sums, the sum of
	// the territories'.
	ToHire int
}

// BuildCapacityPlan computes the capacity plan of scenario s of plan p
// under workload model m ([TerritoryWorkload]). It runs in the time of
// TerritoryWorkload.
func BuildCapacityPlan(p *Plan, s *Scenario, m WorkloadModel) CapacityPlan {
	loads := TerritoryWorkload(p, s, m)
	cp := CapacityPlan{DefaultCapacityHours: m.Capacity(), Total: CapacityLine{Name: "Total"}}
	byRegion := map[int64]*CapacityLine{}
	var none *CapacityLine
	for i, l := range loads {
		t := &s.Territories[i]
		c := CapacityLine{TerritoryID: t.ID, Name: t.Name, Reps: p.RepNames(t), Accounts: l.Accounts, Hours: l.Hours,
			RepsNeeded: l.RepsNeeded, RepsAssigned: l.RepsAssigned, Vacancies: l.Vacancies}
		c.Gap = c.RepsNeeded - c.RepsAssigned - c.Vacancies
		if planned := (c.RepsAssigned + c.Vacancies) * l.CapacityHours; planned > 0 {
			c.Utilisation = c.Hours / planned
		}
		// 1e-9 so that 2.0000000001 reps needed is 2, not 3.
		if h := int(math.Ceil(c.RepsNeeded - c.RepsAssigned - 1e-9)); h > 0 {
			c.ToHire = h
		}
		path := s.RegionPath(t.RegionID)
		if len(path) > 0 {
			c.Region = path[0]
		}
		cp.Territories = append(cp.Territories, c)
		addCapacity(&cp.Total, c)
		// Add to the territory's region and each of its parents.
		if t.RegionID == 0 {
			if none == nil {
				none = &CapacityLine{Name: "No region"}
			}
			addCapacity(none, c)
		}
		for id, steps := t.RegionID, 0; id != 0 && steps <= len(s.Regions); steps++ {
			r := s.Region(id)
			if r == nil {
				break
			}
			rl := byRegion[id]
			if rl == nil {
				rl = &CapacityLine{Name: r.Name}
				byRegion[id] = rl
			}
			addCapacity(rl, c)
			id = r.ParentID
		}
	}
	for _, r := range s.Regions {
		if rl := byRegion[r.ID]; rl != nil {
			cp.Regions = append(cp.Regions, *rl)
		} else {
			cp.Regions = append(cp.Regions, CapacityLine{Name: r.Name})
		}
	}
	sort.SliceStable(cp.Regions, func(i, j int) bool { return cp.Regions[i].Name < cp.Regions[j].Name })
	if none != nil && len(cp.Regions) > 0 {
		cp.Regions = append(cp.Regions, *none)
	}
	finish := func(c *CapacityLine, planned float64) {
		c.Gap = c.RepsNeeded - c.RepsAssigned - c.Vacancies
		if planned > 0 {
			c.Utilisation = c.Hours / planned
		}
	}
	// A sum's utilisation divides its hours by its planned capacity: the
	// planned FTE at each territory's own capacity per FTE.
	planned := func(in func(c CapacityLine, t *Territory) bool) float64 {
		sum := 0.0
		for i, c := range cp.Territories {
			if in(c, &s.Territories[i]) {
				sum += (c.RepsAssigned + c.Vacancies) * loads[i].CapacityHours
			}
		}
		return sum
	}
	finish(&cp.Total, planned(func(CapacityLine, *Territory) bool { return true }))
	for i := range cp.Regions {
		rl := &cp.Regions[i]
		if rl.Name == "No region" && none != nil && i == len(cp.Regions)-1 {
			finish(rl, planned(func(_ CapacityLine, t *Territory) bool { return t.RegionID == 0 }))
			continue
		}
		var rid int64
		for _, r := range s.Regions {
			if r.Name == rl.Name {
				rid = r.ID
			}
		}
		finish(rl, planned(func(_ CapacityLine, t *Territory) bool { return inRegion(s, t.RegionID, rid) }))
	}
	return cp
}

// inRegion reports whether region id is rid or lies under it.
func inRegion(s *Scenario, id, rid int64) bool {
	for steps := 0; id != 0 && steps <= len(s.Regions); steps++ {
		if id == rid {
			return true
		}
		r := s.Region(id)
		if r == nil {
			return false
		}
		id = r.ParentID
	}
	return false
}

// addCapacity adds a territory's figures to a sum line.
func addCapacity(sum *CapacityLine, c CapacityLine) {
	sum.Accounts += c.Accounts
	sum.Hours += c.Hours
	sum.RepsNeeded += c.RepsNeeded
	sum.RepsAssigned += c.RepsAssigned
	sum.Vacancies += c.Vacancies
	sum.ToHire += c.ToHire
}
