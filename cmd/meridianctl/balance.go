package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/balance"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// balanceArgs are the options of `meridianctl balance`.
type balanceArgs struct {
	plan, scenario string
	territories    int
	metrics        string // "population:5,potential:5"
	lock           string // territory names, comma-separated
	lockUnits      string // unit codes, comma-separated
	seeds          string // "UNIT=Territory name,…"
	disruption     string // "0.1" or "10%"
	seed           uint64
	into           string // new scenario name
	intoSet        bool   // --into-scenario was given (perhaps empty)
	replace        bool
	byCapacity     bool
	asJSON         bool
}

// parseTargets reads "quantity:tolerance%[:weight],…", e.g.
// "population:5,potential:2:2". A bare quantity has ±5%.
//
// Quantities are those of plan p (planner.ParseQuantityIn): the built-in
// keys or the name of a numeric custom field.
func parseTargets(p *planner.Plan, s string) ([]balance.Target, error) {
	if strings.TrimSpace(s) == "" {
		s = "population:5"
	}
	var out []balance.Target
	seen := map[planner.Quantity]bool{}
	for _, item := range strings.Split(s, ",") {
		parts := strings.Split(strings.TrimSpace(item), ":")
		q, err := planner.ParseQuantityIn(p, parts[0])
		if err != nil {
			return nil, fmt.Errorf("--metrics %q: %s", s, planner.ErrorMessage(err))
		}
		if seen[q] {
			return nil, fmt.Errorf("--metrics %q names %s twice", s, q.KeyIn(p))
		}
		seen[q] = true
		t := balance.Target{Quantity: q, Tolerance: balance.DefaultTolerance}
		if len(parts) > 3 {
			return nil, fmt.Errorf("--metrics %q: write quantity:tolerance%%[:weight], e.g. population:5", s)
		}
		if len(parts) > 1 {
			v, err := strconv.ParseFloat(strings.TrimSuffix(parts[1], "%"), 64)
			if err != nil || !(v > 0 && v < 100) {
				return nil, fmt.Errorf("--metrics %q: the tolerance of %s must be a percentage above 0 and below 100, not %q", s, q.KeyIn(p), parts[1])
			}
			t.Tolerance = v / 100
		}
		if len(parts) > 2 {
			v, err := strconv.ParseFloat(parts[2], 64)
			if err != nil || !(v > 0) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("--metrics %q: the weight of %s must be a number above 0, not %q", s, q.KeyIn(p), parts[2])
			}
			t.Weight = v
		}
		out = append(out, t)
	}
	return out, nil
}

// plural returns "1 territory" or "n territories".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// parseShare reads a fraction ("0.1") or a percentage ("10%") in [0, 1].
func parseShare(flagName, s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if strings.HasSuffix(s, "%") {
		v /= 100
	}
	if err != nil || !(v >= 0 && v <= 1) {
		return 0, fmt.Errorf("--%s %q: give a share of the units between 0 and 1 (or 0%% and 100%%)", flagName, s)
	}
	return v, nil
}

// BalanceResult is the JSON shape of `meridianctl balance --json`.
// Deviations are in percent of each territory's target, Polsby-Popper is
// 4πA/P² in an equal-area projection, potential in the plan's potential
// unit.
type BalanceResult struct {
	Plan        string             `json:"plan"`
	Scenario    string             `json:"scenario"`
	Territories int                `json:"territories"`
	Seed        uint64             `json:"seed"`
	Seconds     float64            `json:"seconds"`
	Feasible    bool               `json:"feasible"`
	Metrics     []BalanceMetricOut `json:"metrics"`
	Contiguous  int                `json:"contiguous"`
	PPMean      float64            `json:"polsby_popper_mean"`
	PPMin       float64            `json:"polsby_popper_min"`
	UnitsMoved  int                `json:"units_moved"`
	UnitsTotal  int                `json:"units_total"`
	Accounts    int                `json:"accounts_moved"`
	Potential   float64            `json:"potential_moved"`
	Written     string             `json:"written"` // "", "replaced" or the new scenario's name
	Rows        []BalanceRowOut    `json:"rows"`
}

// BalanceMetricOut is one balanced quantity's summary.
type BalanceMetricOut struct {
	Name            string  `json:"name"`
	Key             string  `json:"key"`
	TolerancePct    float64 `json:"tolerance_pct"`
	Weight          float64 `json:"weight"` // 0 and 1 both mean the default weight
	MaxAbsDeviation float64 `json:"max_abs_deviation_pct"`
	SpreadPct       float64 `json:"spread_pct"`
}

// BalanceRowOut is one territory of the result.
type BalanceRowOut struct {
	Name         string    `json:"name"`
	Values       []float64 `json:"values"`
	DeviationPct []float64 `json:"deviation_pct"`
	Parts        int       `json:"parts"`
	PolsbyPopper float64   `json:"polsby_popper"`
}

// cmdBalance balances a scenario and prints the result; it writes it to the
// plan only with --into-scenario (a new scenario, made active) or
// --replace (the scenario's alignment), in one transaction.
func cmdBalance(ctx context.Context, a balanceArgs, stdout, progress io.Writer) error {
	if _, err := parseTargets(nil, a.metrics); err != nil && !strings.Contains(planner.ErrorMessage(err), "is not a quantity") {
		return err // a malformed list, whatever the plan's fields
	}
	disruption, err := parseShare("disruption", a.disruption)
	if err != nil {
		return err
	}
	if a.disruption != "" && disruption == 0 {
		return fmt.Errorf("--disruption %s would let no unit move; leave it out for no limit", a.disruption)
	}
	if a.intoSet && strings.TrimSpace(a.into) == "" {
		return fmt.Errorf("--into-scenario needs a name for the new scenario")
	}
	if a.into != "" && a.replace {
		return fmt.Errorf("use either --into-scenario NAME or --replace, not both")
	}
	p, s, err := load(ctx, a.plan, a.scenario)
	if err != nil {
		return err
	}
	targets, err := parseTargets(p, a.metrics)
	if err != nil {
		return err
	}
	if a.into != "" {
		if _, err := planner.CleanScenarioName(a.into); err != nil {
			return err
		}
		if other := p.ScenarioNamed(a.into); other != nil {
			return fmt.Errorf("%s already has a scenario named %q; choose another name", a.plan, other.Name)
		}
	}
	if a.into != "" || a.replace {
		// Refuse a plan that cannot be written before balancing, not after.
		db, err := sqlite.OpenExisting(a.plan)
		if err != nil {
			return err
		}
		if err := db.Close(); err != nil {
			return err
		}
	}
	opt := balance.Options{Territories: a.territories, Targets: targets, ByCapacity: a.byCapacity, Disruption: disruption, Seed: a.seed}
	for _, name := range strings.Split(a.lock, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		t := s.TerritoryByName(name)
		if t == nil {
			return fmt.Errorf("--lock: scenario %q has no territory %q", s.Name, name)
		}
		opt.LockedTerritories = append(opt.LockedTerritories, t.ID)
	}
	units := p.UnitIndex()
	for _, code := range strings.Split(a.lockUnits, ",") {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if _, ok := units[code]; !ok {
			return fmt.Errorf("--lock-units: %s has no %s with code %q", a.plan, strings.ToLower(p.UnitLevel), code)
		}
		opt.LockedUnits = append(opt.LockedUnits, code)
	}
	for _, item := range strings.Split(a.seeds, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		code, name, ok := strings.Cut(item, "=")
		code, name = strings.TrimSpace(code), strings.TrimSpace(name)
		if !ok || code == "" || name == "" {
			return fmt.Errorf("--seeds %q: write UNIT=Territory, e.g. 06037=Pacific", item)
		}
		if _, ok := units[code]; !ok {
			return fmt.Errorf("--seeds: %s has no %s with code %q", a.plan, strings.ToLower(p.UnitLevel), code)
		}
		t := s.TerritoryByName(name)
		if t == nil {
			return fmt.Errorf("--seeds: scenario %q has no territory %q", s.Name, name)
		}
		if opt.Seeds == nil {
			opt.Seeds = map[string]int64{}
		}
		opt.Seeds[code] = t.ID
	}
	// Progress on stderr, every tenth, for runs that take long.
	shown := -1
	opt.Progress = func(done float64, msg string) {
		if tenth := int(done * 10); tenth > shown && progress != nil {
			shown = tenth
			fmt.Fprintf(progress, "balancing… %d%%\n", 10*tenth)
		}
	}
	start := time.Now()
	gg, g := balance.NewPlanGraphs(p)
	out, err := balance.BalancePlan(ctx, p, s, g, opt)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	qs := make([]planner.Quantity, len(targets))
	for k, t := range targets {
		qs[k] = t.Quantity
	}
	rep := planner.Balance(p, &out.Scenario, qs, a.byCapacity, gg)
	res := BalanceResult{Plan: p.Name, Scenario: s.Name, Territories: len(out.Scenario.Territories), Seed: a.seed, Seconds: secs,
		Feasible: out.Result.Feasible, Contiguous: rep.Contiguous, PPMean: rep.PolsbyPopperMean, PPMin: rep.PolsbyPopperMin,
		UnitsMoved: out.Changes.UnitsMoved, UnitsTotal: len(out.Scenario.Alignment), Accounts: out.Changes.AccountsMoved, Potential: out.Changes.PotentialMoved}
	for k, t := range targets {
		res.Metrics = append(res.Metrics, BalanceMetricOut{Name: t.Quantity.Name(p), Key: t.Quantity.KeyIn(p), TolerancePct: 100 * t.Tolerance, Weight: t.Weight,
			MaxAbsDeviation: rep.MaxAbsDeviation[k], SpreadPct: rep.Spread[k]})
	}
	for _, r := range rep.Rows {
		res.Rows = append(res.Rows, BalanceRowOut{Name: r.Territory.Name, Values: r.Value, DeviationPct: r.Deviation, Parts: r.Parts, PolsbyPopper: r.PolsbyPopper})
	}
	switch {
	case a.into != "":
		if err := writeNewScenario(ctx, a.plan, &out.Scenario, a.into); err != nil {
			return err
		}
		res.Written = a.into
	case a.replace:
		if len(out.Scenario.Territories) != len(s.Territories) {
			return fmt.Errorf("--replace keeps the scenario's %d territories; to draw %d, use --into-scenario NAME", len(s.Territories), len(out.Scenario.Territories))
		}
		if err := writeAlignment(ctx, a.plan, s.ID, out.Scenario.Alignment); err != nil {
			return err
		}
		res.Written = "replaced"
	}
	if a.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return writeBalanceText(stdout, res)
}

// writeNewScenario adds sc to the plan file as a new scenario named name
// (new IDs) and makes it active, in one transaction.
func writeNewScenario(ctx context.Context, path string, sc *planner.Scenario, name string) error {
	db, err := sqlite.OpenExisting(path)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.Load(ctx)
	if err != nil {
		return err
	}
	cp, err := p.CopyScenario(sc, name)
	if err != nil {
		return err
	}
	if err := db.Apply(ctx, sqlite.AddScenarioEdit(cp), sqlite.SetActiveScenarioEdit(cp.ID)); err != nil {
		return err
	}
	return db.Close()
}

// writeAlignment replaces scenario id's alignment in the plan file.
func writeAlignment(ctx context.Context, path string, id int64, alignment map[string]int64) error {
	db, err := sqlite.OpenExisting(path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Apply(ctx, sqlite.ReplaceAlignmentEdit(id, alignment)); err != nil {
		return err
	}
	return db.Close()
}

// writeBalanceText prints the result for people.
func writeBalanceText(w io.Writer, r BalanceResult) error {
	var on []string
	for _, m := range r.Metrics {
		w := ""
		if m.Weight != 0 && m.Weight != 1 {
			w = fmt.Sprintf(" (weight %g)", m.Weight)
		}
		on = append(on, fmt.Sprintf("%s ±%g%%%s", strings.ToLower(m.Name), m.TolerancePct, w))
	}
	fmt.Fprintf(w, "%s — scenario %s balanced into %s on %s (seed %d, %.1f s)\n\n",
		r.Plan, r.Scenario, plural(r.Territories, "territory", "territories"), strings.Join(on, ", "), r.Seed, r.Seconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Metric\tTolerance\tMax |deviation|\tSpread (max−min)/mean\t\n")
	for _, m := range r.Metrics {
		fmt.Fprintf(tw, "%s\t±%g%%\t%.1f%%\t%.1f%%\t\n", m.Name, m.TolerancePct, m.MaxAbsDeviation, m.SpreadPct)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nContiguous: %d of %d territories. Polsby-Popper mean %.2f, min %.2f.\n", r.Contiguous, r.Territories, r.PPMean, r.PPMin)
	fmt.Fprintf(w, "Moved: %d of %d units, %d accounts, %.0f potential.\n", r.UnitsMoved, r.UnitsTotal, r.Accounts, r.Potential)
	if !r.Feasible {
		fmt.Fprintln(w, "Not every territory is within tolerance on every metric: this is the best alignment found.")
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("Territory")
	for _, row := range r.Rows {
		width = max(width, len([]rune(row.Name)))
	}
	name := func(s string) string { return s + strings.Repeat(" ", width-len([]rune(s))) }
	fmt.Fprintf(tw, "%s\t", name("Territory"))
	for _, m := range r.Metrics {
		fmt.Fprintf(tw, "%s\tDev %%\t", m.Name)
	}
	fmt.Fprintf(tw, "Parts\tPolsby-Popper\t\n")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t", name(row.Name))
		for k := range r.Metrics {
			fmt.Fprintf(tw, "%.0f\t%+.1f\t", row.Values[k], row.DeviationPct[k])
		}
		fmt.Fprintf(tw, "%d\t%.2f\t\n", row.Parts, row.PolsbyPopper)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch r.Written {
	case "":
		fmt.Fprintln(w, "\nNothing was written: add --into-scenario NAME to keep this as a new scenario, or --replace.")
	case "replaced":
		fmt.Fprintf(w, "\nThe alignment of scenario %s was replaced.\n", r.Scenario)
	default:
		fmt.Fprintf(w, "\nWrote the new scenario %q and made it the active one.\n", r.Written)
	}
	return nil
}
