package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// workloadArgs are the flags of "workload".
type workloadArgs struct {
	plan, scenario              string
	rules                       []string
	speed, circuity, capacity   float64
	clear, asJSON, setModelFlag bool
}

// WorkloadRowOut is one territory's workload in "workload --json".
type WorkloadRowOut struct {
	Territory     string  `json:"territory"`
	Accounts      int     `json:"accounts"`
	Visits        float64 `json:"visits_per_year"`
	VisitHours    float64 `json:"visit_hours"`
	TravelHours   float64 `json:"travel_hours"`
	Hours         float64 `json:"hours"`
	CapacityHours float64 `json:"capacity_hours"`
	RepsAssigned  float64 `json:"reps_assigned"`
	RepsNeeded    float64 `json:"reps_needed"`
}

// parseRule reads a visit rule "segment=GENERAL ACUTE CARE;visits=12;
// hours=1.5[;min-potential=200]" (keys in any order; segment may be
// omitted for any segment).
func parseRule(s string) (planner.VisitRule, error) {
	var r planner.VisitRule
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if !ok || seen[k] {
			return r, fmt.Errorf("--rule %q: write segment=NAME;visits=N;hours=H[;min-potential=P]", s)
		}
		seen[k] = true
		if k == "segment" {
			r.Segment = v
			continue
		}
		if k != "visits" && k != "hours" && k != "min-potential" {
			return r, fmt.Errorf("--rule %q: unknown key %q (segment, visits, hours, min-potential)", s, k)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return r, fmt.Errorf("--rule %q: %s must be a number, not %q", s, k, v)
		}
		switch k {
		case "visits":
			r.VisitsPerYear = x
		case "hours":
			r.HoursPerVisit = x
		default:
			r.MinPotential = x
		}
	}
	if !seen["visits"] || !seen["hours"] {
		return r, fmt.Errorf("--rule %q needs visits=N and hours=H", s)
	}
	return r, nil
}

// cmdWorkload sets the plan's workload model when --rule or --clear is
// given (one transaction), then prints each territory's workload and the
// reps it needs.
func cmdWorkload(ctx context.Context, a workloadArgs, stdout io.Writer) error {
	var model *planner.WorkloadModel
	if len(a.rules) > 0 {
		model = &planner.WorkloadModel{SpeedKmh: a.speed, Circuity: a.circuity, DefaultCapacityHours: a.capacity}
		for _, s := range a.rules {
			r, err := parseRule(s)
			if err != nil {
				return err
			}
			model.Rules = append(model.Rules, r)
		}
		if err := model.Validate(); err != nil {
			return err
		}
	} else if a.setModelFlag {
		return fmt.Errorf("--speed, --circuity and --capacity go with --rule (the whole model is set at once)")
	}
	if model != nil || a.clear {
		db, err := sqlite.OpenExisting(a.plan)
		if err != nil {
			return err
		}
		err = db.Apply(ctx, sqlite.SetWorkloadEdit(model))
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	p, s, err := load(ctx, a.plan, a.scenario)
	if err != nil {
		return err
	}
	if p.Workload == nil {
		if a.clear {
			fmt.Fprintf(stdout, "%s has no workload model now\n", a.plan)
			return nil
		}
		return fmt.Errorf("%s has no workload model yet: give one with --rule \"segment=NAME;visits=N;hours=H\" (repeat for each segment; leave segment out for any)", a.plan)
	}
	loads := planner.TerritoryWorkload(p, s, *p.Workload)
	var rows []WorkloadRowOut
	for i, l := range loads {
		rows = append(rows, WorkloadRowOut{Territory: s.Territories[i].Name, Accounts: l.Accounts, Visits: l.Visits,
			VisitHours: l.VisitHours, TravelHours: l.TravelHours, Hours: l.Hours, CapacityHours: l.CapacityHours,
			RepsAssigned: l.RepsAssigned, RepsNeeded: l.RepsNeeded})
	}
	if a.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	fmt.Fprintf(stdout, "%s — scenario %s — workload model: %d rules, %g km/h, circuity %g\n\n", p.Name, s.Name,
		len(p.Workload.Rules), orF(p.Workload.SpeedKmh, planner.DefaultSpeedKmh), orF(p.Workload.Circuity, planner.DefaultCircuity))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Territory\tAccounts\tVisits/yr\tVisit h\tTravel h\tHours\tCapacity h\tReps\tReps needed\t\n")
	var tot WorkloadRowOut
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.2f\t\n", r.Territory, r.Accounts, r.Visits, r.VisitHours, r.TravelHours, r.Hours, r.CapacityHours, r.RepsAssigned, r.RepsNeeded)
		tot.Accounts += r.Accounts
		tot.Visits += r.Visits
		tot.VisitHours += r.VisitHours
		tot.TravelHours += r.TravelHours
		tot.Hours += r.Hours
		tot.RepsAssigned += r.RepsAssigned
		tot.RepsNeeded += r.RepsNeeded
	}
	fmt.Fprintf(tw, "Total\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t\t%.2f\t%.2f\t\n", tot.Accounts, tot.Visits, tot.VisitHours, tot.TravelHours, tot.Hours, tot.RepsAssigned, tot.RepsNeeded)
	if err := tw.Flush(); err != nil {
		return err
	}
	// A rule that matches no account is most often a misspelt segment.
	used := make([]int, len(p.Workload.Rules))
	for j := range p.Accounts {
		if r := p.Workload.Rule(&p.Accounts[j]); r >= 0 {
			used[r]++
		}
	}
	for r, n := range used {
		if n == 0 {
			fmt.Fprintf(stdout, "warning: rule %d (%s) matches no account: check the segment's spelling (segments: %s)\n",
				r+1, ruleText(p.Workload.Rules[r]), segmentList(p, 8))
		}
	}
	return nil
}

// ruleText writes a visit rule as --rule takes it.
func ruleText(r planner.VisitRule) string {
	s := ""
	if r.Segment != "" {
		s = "segment=" + r.Segment + ";"
	}
	s += fmt.Sprintf("visits=%g;hours=%g", r.VisitsPerYear, r.HoursPerVisit)
	if r.MinPotential > 0 {
		s += fmt.Sprintf(";min-potential=%g", r.MinPotential)
	}
	return s
}

// segmentList names the plan's account segments, most accounts first, at
// most n of them.
func segmentList(p *planner.Plan, n int) string {
	count := map[string]int{}
	for j := range p.Accounts {
		if seg := p.Accounts[j].Segment; seg != "" {
			count[seg]++
		}
	}
	segs := make([]string, 0, len(count))
	for seg := range count {
		segs = append(segs, seg)
	}
	sort.Slice(segs, func(i, j int) bool {
		if count[segs[i]] != count[segs[j]] {
			return count[segs[i]] > count[segs[j]]
		}
		return segs[i] < segs[j]
	})
	if len(segs) == 0 {
		return "none"
	}
	return listSome(segs, n)
}

func orF(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
