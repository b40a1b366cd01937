package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/meridianplan/meridian/planner"
)

// CapacityOut is the JSON shape of "meridianctl capacity --json": the
// scenario's planner.CapacityPlan with snake_case names. Hours are per
// year; reps are full-time equivalents (FTE); utilisation is a fraction
// (0.85 = 85%); hires are whole people.
type CapacityOut struct {
	Plan                 string            `json:"plan"`
	Scenario             string            `json:"scenario"`
	DefaultCapacityHours float64           `json:"default_capacity_hours"` // a full-time rep's hours a year in the model
	Territories          []CapacityLineOut `json:"territories"`            // in the scenario's order
	Regions              []CapacityLineOut `json:"regions"`                // by name, then "No region"; [] without regions
	Total                CapacityLineOut   `json:"total"`
	// Hire is the answer to "how many reps do we hire, and where": the
	// total to hire, then by top-level region (by territory for
	// territories in no region), most first.
	Hire   []HireOut `json:"hire"`
	ToHire int       `json:"to_hire"` // Total.ToHire
	Answer string    `json:"answer"`  // e.g. "hire 5: West 3, South 2"
}

// CapacityLineOut is one line of CapacityOut: a territory, a region or the
// total (see planner.CapacityLine).
type CapacityLineOut struct {
	TerritoryID  int64   `json:"territory_id,omitempty"` // 0 (left out) for a region or the total
	Name         string  `json:"name"`
	Region       string  `json:"region"` // the territory's top-level region; "" for none and for sums
	Reps         string  `json:"reps"`   // who covers it, e.g. "Ann Lee 60%, TBH 40%"; "" for sums
	Accounts     int     `json:"accounts"`
	Hours        float64 `json:"hours"`         // workload, hours a year
	RepsNeeded   float64 `json:"reps_needed"`   // hours ÷ a full-time rep's capacity, FTE
	RepsAssigned float64 `json:"reps_assigned"` // named reps' FTE
	Vacancies    float64 `json:"tbh"`           // open positions (TBH), FTE
	Gap          float64 `json:"gap"`           // reps_needed − reps_assigned − tbh, FTE
	Utilisation  float64 `json:"utilisation"`   // hours ÷ planned capacity; 0 when nobody is planned
	ToHire       int     `json:"to_hire"`       // whole reps to hire beyond the open TBH
}

// HireOut is one place to hire in CapacityOut.Hire.
type HireOut struct {
	Where string `json:"where"` // a top-level region, or a territory in no region
	Reps  int    `json:"reps"`
}

// capacityLineOut converts one planner.CapacityLine.
func capacityLineOut(c planner.CapacityLine) CapacityLineOut {
	return CapacityLineOut{TerritoryID: c.TerritoryID, Name: c.Name, Region: c.Region, Reps: c.Reps, Accounts: c.Accounts,
		Hours: c.Hours, RepsNeeded: c.RepsNeeded, RepsAssigned: c.RepsAssigned, Vacancies: c.Vacancies, Gap: c.Gap,
		Utilisation: c.Utilisation, ToHire: c.ToHire}
}

// newCapacityOut builds the output of a capacity plan, with the hiring
// answer: the territories' ToHire summed by top-level region (territories
// in no region by their own name), most first, then by name.
func newCapacityOut(p *planner.Plan, s *planner.Scenario, cp planner.CapacityPlan) CapacityOut {
	out := CapacityOut{Plan: p.Name, Scenario: s.Name, DefaultCapacityHours: cp.DefaultCapacityHours,
		Territories: []CapacityLineOut{}, Regions: []CapacityLineOut{}, Total: capacityLineOut(cp.Total), Hire: []HireOut{}}
	by := map[string]int{}
	var order []string
	for _, c := range cp.Territories {
		out.Territories = append(out.Territories, capacityLineOut(c))
		if c.ToHire == 0 {
			continue
		}
		where := c.Region
		if where == "" {
			where = c.Name
		}
		if _, ok := by[where]; !ok {
			order = append(order, where)
		}
		by[where] += c.ToHire
	}
	for _, c := range cp.Regions {
		out.Regions = append(out.Regions, capacityLineOut(c))
	}
	for _, w := range order {
		out.Hire = append(out.Hire, HireOut{Where: w, Reps: by[w]})
	}
	sort.SliceStable(out.Hire, func(i, j int) bool {
		if out.Hire[i].Reps != out.Hire[j].Reps {
			return out.Hire[i].Reps > out.Hire[j].Reps
		}
		return out.Hire[i].Where < out.Hire[j].Where
	})
	out.ToHire = cp.Total.ToHire
	out.Answer = hireAnswer(out.ToHire, out.Hire)
	return out
}

// hireAnswer writes the one-line answer, e.g. "hire 5: West 3, South 2".
func hireAnswer(n int, hire []HireOut) string {
	if n == 0 {
		return "hire 0: the reps and open positions planned cover the workload"
	}
	parts := make([]string, len(hire))
	for i, h := range hire {
		parts[i] = fmt.Sprintf("%s %d", h.Where, h.Reps)
	}
	return fmt.Sprintf("hire %d: %s", n, strings.Join(parts, ", "))
}

// cmdCapacity prints the capacity plan of a scenario
// (planner.BuildCapacityPlan with the plan's workload model): one row per
// territory, the regions and the total, then how many reps to hire and
// where (--json: CapacityOut).
func cmdCapacity(ctx context.Context, path, scenario string, asJSON bool, stdout io.Writer) error {
	p, s, err := load(ctx, path, scenario)
	if err != nil {
		return err
	}
	if p.Workload == nil {
		return fmt.Errorf("%s has no workload model yet, so the reps needed are unknown: set one with meridianctl workload --plan %s --rule \"segment=NAME;visits=N;hours=H\"", path, path)
	}
	out := newCapacityOut(p, s, planner.BuildCapacityPlan(p, s, *p.Workload))
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(stdout, "%s — scenario %s — a full-time rep works %.0f hours a year\n\n", out.Plan, out.Scenario, out.DefaultCapacityHours)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("Territory")
	for _, c := range append(append(out.Territories, out.Regions...), out.Total) {
		width = max(width, len([]rune(c.Name)))
	}
	name := func(s string) string { return s + strings.Repeat(" ", width-len([]rune(s))) }
	util := func(c CapacityLineOut) string {
		if c.RepsAssigned+c.Vacancies == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f%%", 100*c.Utilisation)
	}
	row := func(c CapacityLineOut, region, reps string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%+.2f\t%s\t%d\t\n", name(c.Name), region, reps, c.Accounts, c.Hours,
			c.RepsNeeded, c.RepsAssigned, c.Vacancies, c.Gap, util(c), c.ToHire)
	}
	fmt.Fprintf(tw, "%s\tRegion\tReps\tAccounts\tHours\tReps needed\tAssigned\tTBH\tGap\tUtilisation\tTo hire\t\n", name("Territory"))
	for _, c := range out.Territories {
		row(c, orS(c.Region, "-"), orS(c.Reps, "nobody"))
	}
	if len(out.Regions) > 0 {
		fmt.Fprintf(tw, "\t\t\t\t\t\t\t\t\t\t\t\n")
		for _, c := range out.Regions {
			row(c, "region", "")
		}
	}
	row(out.Total, "", "")
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s\n", out.Answer)
	return nil
}
