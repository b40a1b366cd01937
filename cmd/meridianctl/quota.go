package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// quotaFlagNames are the flags of "quota" besides --plan, --scenario and
// --json, in the order of the usage text.
var quotaFlagNames = []string{"target", "weights", "history", "overassign", "floor", "ceiling",
	"rounding", "season", "ramp", "fiscal-year", "start-month", "currency", "override"}

// quotaArgs are the flags of "quota": the raw text of each quota flag given
// (by name without dashes), parsed by [cmdQuota] so that every error names
// its flag.
type quotaArgs struct {
	plan, scenario               string
	asJSON, write, clearOverride bool
	set                          map[string]string
}

// register adds the quota flags to fs.
func (qa *quotaArgs) register(fs *flag.FlagSet) {
	qa.set = map[string]string{}
	help := map[string]string{
		"target":      "company target for the year in the plan's currency, e.g. 50000000 (quota)",
		"weights":     "weights of potential and last year, e.g. potential=0.6,history=0.4 (quota)",
		"history":     "numeric custom field of the accounts holding last year's sales, stored in the settings; \"\" for none (quota)",
		"overassign":  "over-assignment in percent: quotas sum to target × (1 + it/100) (quota)",
		"floor":       "lowest change against last year in percent, e.g. -10; 0 for none (quota)",
		"ceiling":     "highest change against last year in percent, e.g. 25; 0 for none (quota)",
		"rounding":    "rounding unit of quotas in currency, e.g. 1000; 0 for cents (quota)",
		"season":      "4 quarter or 12 month percentages in fiscal order, summing to 100 (quota)",
		"ramp":        "new reps' percent of full quota by month since start, e.g. 0,25,50,75; \"\" for none (quota)",
		"override":    "quotas set by hand, Territory=amount,...; Territory= allocates it again (quota)",
		"fiscal-year": "calendar year in which the fiscal year starts (quota)",
		"start-month": "first month of the fiscal year, 1-12 (quota)",
		"currency":    "ISO 4217 currency code, e.g. USD (quota)",
	}
	for _, name := range quotaFlagNames {
		fs.Func(name, help[name], func(v string) error {
			qa.set[name] = v
			return nil
		})
	}
	fs.BoolVar(&qa.write, "write", false, "store the quotas and settings in the plan (quota)")
	fs.BoolVar(&qa.clearOverride, "clear-overrides", false, "allocate every territory again, dropping the quotas set by hand (quota)")
}

// QuotaOut is the JSON shape of "meridianctl quota --json". Money is in
// the settings' currency, potential in the plan's potential unit (see
// potential_name), shares are fractions from 0 to 1, percentages as typed
// (10 = 10%).
type QuotaOut struct {
	Plan          string                `json:"plan"`
	Scenario      string                `json:"scenario"`
	PotentialName string                `json:"potential_name"`
	HistoryField  string                `json:"history_field"` // "" when last year is unknown
	Settings      planner.QuotaSettings `json:"settings"`
	Territories   []QuotaLineOut        `json:"territories"`
	Totals        QuotaTotals           `json:"totals"`
	// Reps holds each rep's and vacancy's quota after the ramp; [] when no
	// territory has reps assigned.
	Reps    []RepQuotaOut `json:"reps"`
	Written bool          `json:"written"` // true with --write
}

// QuotaLineOut is one territory's quota in QuotaOut.
type QuotaLineOut struct {
	Territory string   `json:"territory"`
	Potential float64  `json:"potential"`
	History   *float64 `json:"history"` // last year's sales; null when unknown
	// Share is the territory's fraction of the quota total.
	Share float64 `json:"share"`
	Bound string  `json:"bound"` // none, floor, ceiling or zero
	// Quota is the annual quota; Quarters splits it over the fiscal
	// quarters by the season (summing exactly to Quota).
	Quota float64 `json:"quota"`
	// Overridden is true when Quota was set by hand (--override, or kept
	// from the plan) rather than allocated.
	Overridden bool       `json:"overridden"`
	Quarters   [4]float64 `json:"quarters"`
	Explain    string     `json:"explain"`
}

// QuotaTotals sums QuotaOut's territories. Expected is Target × (1 +
// OverAssignPct/100) rounded to the rounding unit; Gap is Expected − Quota;
// Overridden is the part of Quota set by hand.
type QuotaTotals struct {
	Potential  float64    `json:"potential"`
	History    float64    `json:"history"` // of the territories where known
	Quota      float64    `json:"quota"`
	Overridden float64    `json:"overridden"`
	Quarters   [4]float64 `json:"quarters"`
	Expected   float64    `json:"expected"`
	Gap        float64    `json:"gap"`
}

// flagNumber parses the value of flag name as a finite number; "," and "_"
// between digits are allowed ("50,000,000").
func flagNumber(name, v string) (float64, error) {
	s := strings.NewReplacer(",", "", "_", "").Replace(strings.TrimSpace(v))
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || s == "" {
		return 0, fmt.Errorf("--%s must be a number, not %q", name, v)
	}
	return x, nil
}

// quotaSettings builds the settings from base (the plan's stored settings,
// or defaults) and the flags given; errors name the flag.
func quotaSettings(set map[string]string, base *planner.QuotaSettings) (planner.QuotaSettings, error) {
	history, historyGiven := set["history"]
	history = strings.TrimSpace(history)
	var s planner.QuotaSettings
	if base != nil {
		s = *base
	} else {
		if _, ok := set["target"]; !ok {
			return s, fmt.Errorf("quota needs --target (the company target for the year): the plan has no quota settings yet")
		}
		s = planner.QuotaSettings{FiscalYear: time.Now().Year(), StartMonth: time.January, Rounding: 1000, WeightPotential: 1}
		if history != "" {
			s.WeightPotential, s.WeightHistory = 0.6, 0.4
		}
	}
	if historyGiven {
		s.HistoryField = history
	}
	if v, ok := set["ramp"]; ok {
		ramp, err := parseRamp(v)
		if err != nil {
			return s, err
		}
		s.Ramp = ramp
	}
	num := func(name string, dst *float64, ok func(float64) bool, rule string) error {
		v, given := set[name]
		if !given {
			return nil
		}
		x, err := flagNumber(name, v)
		if err != nil {
			return err
		}
		if !ok(x) {
			return fmt.Errorf("--%s %s: %s", name, v, rule)
		}
		*dst = x
		return nil
	}
	aboveMinus100 := func(x float64) bool { return x > -100 }
	for _, err := range []error{
		num("target", &s.Target, func(x float64) bool { return x >= 0 }, "the target must be zero or more"),
		num("overassign", &s.OverAssignPct, aboveMinus100, "the over-assignment must be more than -100 (percent)"),
		num("floor", &s.FloorPct, aboveMinus100, "the floor must be more than -100 (percent change against last year)"),
		num("ceiling", &s.CeilingPct, aboveMinus100, "the ceiling must be more than -100 (percent change against last year)"),
		num("rounding", &s.Rounding, func(x float64) bool { return x >= 0 }, "the rounding unit must be zero (cents) or more"),
	} {
		if err != nil {
			return s, err
		}
	}
	if v, ok := set["fiscal-year"]; ok {
		y, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || y < 1900 || y > 2200 {
			return s, fmt.Errorf("--fiscal-year must be a year between 1900 and 2200, not %q", v)
		}
		s.FiscalYear = y
	}
	if v, ok := set["start-month"]; ok {
		m, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || m < 1 || m > 12 {
			return s, fmt.Errorf("--start-month must be a month number from 1 (January) to 12, not %q", v)
		}
		// The season is stored by calendar month: keep it when only the
		// start month changes.
		s.StartMonth = time.Month(m)
	}
	if v, ok := set["currency"]; ok {
		c := strings.ToUpper(strings.TrimSpace(v))
		s.Currency = c
		if c != "" && (len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
			return s, fmt.Errorf("--currency must be a three-letter code such as USD or EUR, not %q", v)
		}
	}
	if v, ok := set["weights"]; ok {
		wp, wh, err := parseWeights(v)
		if err != nil {
			return s, err
		}
		s.WeightPotential, s.WeightHistory = wp, wh
	}
	if v, ok := set["season"]; ok {
		season, err := parseSeason(v, s.StartMonth)
		if err != nil {
			return s, err
		}
		s.Season = season
	}
	if s.FloorPct != 0 && s.CeilingPct != 0 && s.FloorPct > s.CeilingPct {
		return s, fmt.Errorf("--floor %g%% is above --ceiling %g%%", s.FloorPct, s.CeilingPct)
	}
	if err := s.Validate(); err != nil {
		return s, fmt.Errorf("the quota settings: %s", planner.ErrorMessage(err))
	}
	return s, nil
}

// parseWeights reads --weights "potential=0.6,history=0.4" (either may be
// left out, meaning 0).
func parseWeights(v string) (wp, wh float64, err error) {
	seen := map[string]bool{}
	for _, part := range strings.Split(v, ",") {
		k, x, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || (k != "potential" && k != "history") || seen[k] {
			return 0, 0, fmt.Errorf("--weights %q: write potential=W,history=W (e.g. potential=0.6,history=0.4)", v)
		}
		seen[k] = true
		w, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return 0, 0, fmt.Errorf("--weights %q: the weight of %s must be a number, zero or more", v, k)
		}
		if k == "potential" {
			wp = w
		} else {
			wh = w
		}
	}
	if wp+wh == 0 {
		return 0, 0, fmt.Errorf("--weights %q: the weights are both zero; give potential or history a weight", v)
	}
	return wp, wh, nil
}

// parseSeason reads --season: 4 fiscal-quarter or 12 fiscal-month
// percentages (the first is the quarter or month starting in start), each
// zero or more, summing to 100; it returns them by calendar month, January
// first, as planner.QuotaSettings holds them.
func parseSeason(v string, start time.Month) ([12]float64, error) {
	var season [12]float64
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 12 {
		return season, fmt.Errorf("--season %q: give 4 quarter or 12 month percentages, not %d", v, len(parts))
	}
	vals := make([]float64, len(parts))
	sum := 0.0
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(p), "%"), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			return season, fmt.Errorf("--season %q: %q is not a percentage, zero or more", v, strings.TrimSpace(p))
		}
		vals[i] = x
		sum += x
	}
	if math.Abs(sum-100) > 1e-6 {
		return season, fmt.Errorf("--season %q: the percentages add up to %g%%, not 100%%", v, math.Round(sum*1e4)/1e4)
	}
	if len(vals) == 4 {
		return planner.QuarterSeason([4]float64(vals), start), nil
	}
	for m, x := range vals {
		season[(int(start)-1+m)%12] = x
	}
	return season, nil
}

// parseRamp reads --ramp "0,25,50,75": the percent of full quota a new
// rep carries in the month of their start, the next month, and so on (each
// from 0 to 100; every later month carries 100%). It returns the fractions
// as planner.RampSchedule holds them ({0, 0.25, 0.5, 0.75}); "" or "none"
// means no ramp (nil).
func parseRamp(v string) (planner.RampSchedule, error) {
	if t := strings.TrimSpace(v); t == "" || strings.EqualFold(t, "none") {
		return nil, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > 36 {
		return nil, fmt.Errorf("--ramp %q: give at most 36 months; every month after the last carries 100%%", v)
	}
	out := make(planner.RampSchedule, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(p), "%"), 64)
		if err != nil || math.IsNaN(x) || x < 0 || x > 100 {
			return nil, fmt.Errorf("--ramp %q: month %d since start, %q, is not a percentage from 0 to 100", v, i+1, strings.TrimSpace(p))
		}
		out[i] = x / 100
	}
	return out, nil
}

// parseOverrides reads --override "North=1,000,000,South=500000": quotas
// set by hand by territory name (exact, else case ignored; see
// findTerritory), amounts in the settings' currency, 0 or more, with ","
// or "_" allowed as thousands separators (a piece without "=" continues the
// amount before it). "Name=" with no amount removes that territory's
// override (its quota is allocated again): its value in the result is nil.
func parseOverrides(s *planner.Scenario, v string) (map[int64]*float64, error) {
	out := map[int64]*float64{}
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	var pairs []string
	for _, piece := range strings.Split(v, ",") {
		if !strings.Contains(piece, "=") && len(pairs) > 0 {
			pairs[len(pairs)-1] += "," + piece
			continue
		}
		pairs = append(pairs, piece)
	}
	for _, pair := range pairs {
		name, amount, ok := strings.Cut(pair, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--override %q: write Territory=amount,... (e.g. \"Pacific=2,500,000\")", v)
		}
		t, err := findTerritory(s, name)
		if err != nil {
			return nil, fmt.Errorf("--override: %v", err)
		}
		if _, dup := out[t.ID]; dup {
			return nil, fmt.Errorf("--override %q names %s twice", v, t.Name)
		}
		if strings.TrimSpace(amount) == "" {
			out[t.ID] = nil
			continue
		}
		x, err := flagNumber("override", strings.TrimPrefix(strings.TrimSpace(amount), "$"))
		if err != nil || x < 0 {
			return nil, fmt.Errorf("--override %q: the quota of %s must be an amount, zero or more, not %q", v, t.Name, strings.TrimSpace(amount))
		}
		out[t.ID] = &x
	}
	return out, nil
}

// RepQuotaOut is one rep's (or one vacancy's) quota in QuotaOut, from
// planner.BuildQuotaPlan: money in the settings' currency, start as
// YYYY-MM-DD ("" when none), ramp_factor = quota ÷ full_quota (1 without a
// ramp).
type RepQuotaOut struct {
	RepID       int64   `json:"rep_id"` // 0 for a vacancy
	Name        string  `json:"name"`   // "TBH (territory)" for a vacancy
	Manager     string  `json:"manager"`
	Start       string  `json:"start"`
	Territories string  `json:"territories"` // e.g. "Pacific 60%, Mountain"
	FullQuota   float64 `json:"full_quota"`  // Σ share × territory quota, before the ramp
	RampFactor  float64 `json:"ramp_factor"`
	Quota       float64 `json:"quota"`
	Explain     string  `json:"explain"`
}

// cmdQuota allocates the company target over the scenario's territories
// with planner.AllocateQuotas (inputs from planner.QuotaInputs: potential,
// last year from the settings' history field, the overrides stored in the
// plan unless --clear-overrides, then --override), prints each territory's
// quota, quarters and explanation and, when the scenario has reps
// assigned, each rep's quota with its ramp (planner.BuildQuotaPlan on the
// allocation), and with --write stores the quotas, the overrides and the
// settings in one transaction (sqlite.SetQuotasEdit).
func cmdQuota(ctx context.Context, a quotaArgs, stdout io.Writer) error {
	db, p, s, err := openPlan(ctx, a.plan, a.scenario, a.write)
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	if len(s.Territories) == 0 {
		return fmt.Errorf("scenario %q has no territories to give quotas to", s.Name)
	}
	settings, err := quotaSettings(a.set, p.Quota)
	if err != nil {
		return err
	}
	in, err := planner.QuotaInputs(p, s, &settings)
	if err != nil {
		if _, given := a.set["history"]; given {
			return fmt.Errorf("--history: %s", planner.ErrorMessage(err))
		}
		return fmt.Errorf("%s (the history field stored in the plan's quota settings; choose another with --history FIELD, or --history \"\" for none)", strings.TrimSuffix(planner.ErrorMessage(err), "."))
	}
	if a.clearOverride {
		for i := range in {
			in[i].Override = nil
		}
	}
	if v, ok := a.set["override"]; ok {
		ov, err := parseOverrides(s, v)
		if err != nil {
			return err
		}
		for i := range in {
			if x, ok := ov[in[i].TerritoryID]; ok {
				in[i].Override = x
			}
		}
	}
	lines, rep, err := planner.AllocateQuotas(in, settings)
	if err != nil {
		return err
	}
	out := QuotaOut{Plan: p.Name, Scenario: s.Name, PotentialName: p.PotentialName, HistoryField: settings.HistoryField,
		Settings:    settings,
		Territories: []QuotaLineOut{}, Reps: []RepQuotaOut{}}
	quotas := make(map[int64]float64, len(lines))
	overridden := map[int64]bool{}
	total := rep.Overridden + rep.Allocated
	for _, l := range lines {
		q := planner.QuarterlyQuota(l.Quota, settings.Season, settings.StartMonth, settings.Rounding)
		row := QuotaLineOut{Territory: l.Name, Potential: l.Potential, Bound: l.Bound.String(), Quota: l.Quota, Overridden: l.Overridden, Quarters: q, Explain: l.Explain}
		if total > 0 {
			row.Share = l.Quota / total
		}
		if l.LastYear.Known {
			v := l.LastYear.Value
			row.History = &v
			out.Totals.History += v
		}
		out.Territories = append(out.Territories, row)
		out.Totals.Potential += l.Potential
		for k := range q {
			out.Totals.Quarters[k] += q[k]
		}
		quotas[l.TerritoryID] = l.Quota
		if l.Overridden {
			overridden[l.TerritoryID] = true
		}
	}
	out.Totals.Quota, out.Totals.Overridden, out.Totals.Expected, out.Totals.Gap = total, rep.Overridden, rep.Total, rep.Gap
	if out.Reps, err = repQuotas(p, s, settings, quotas, overridden); err != nil {
		return err
	}
	if a.write {
		if err := db.Apply(ctx, sqlite.SetQuotasEdit(s.ID, &settings, quotas, overridden)); err != nil {
			return err
		}
		if err := db.Close(); err != nil {
			return err
		}
		out.Written = true
	}
	if a.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return printQuota(stdout, a.plan, out, settings)
}

// repQuotas returns the reps' quotas of scenario s under the allocation
// (quotas and overridden by territory ID, as --write would store them):
// planner.BuildQuotaPlan on a copy of p and s that holds them; [] when no
// territory of s has reps or vacancies assigned.
func repQuotas(p *planner.Plan, s *planner.Scenario, settings planner.QuotaSettings, quotas map[int64]float64, overridden map[int64]bool) ([]RepQuotaOut, error) {
	out := []RepQuotaOut{}
	assigned := false
	for _, t := range s.Territories {
		assigned = assigned || len(t.Reps) > 0
	}
	if !assigned {
		return out, nil
	}
	q := *p
	q.Quota = &settings
	sc := *s
	sc.Territories = append([]planner.Territory(nil), s.Territories...)
	for i := range sc.Territories {
		t := &sc.Territories[i]
		t.Quota, t.QuotaOverride = planner.Known(quotas[t.ID]), overridden[t.ID]
	}
	qp, err := planner.BuildQuotaPlan(&q, &sc)
	if err != nil {
		return nil, err
	}
	for _, r := range qp.Reps {
		o := RepQuotaOut{RepID: r.RepID, Name: r.Name, Manager: r.Manager, Territories: r.Territories, FullQuota: r.FullQuota,
			RampFactor: r.RampFactor, Quota: r.Quota, Explain: r.Explain}
		if !r.Start.IsZero() {
			o.Start = r.Start.Format(time.DateOnly)
		}
		out = append(out, o)
	}
	return out, nil
}

// pickScenario returns the scenario of p named name (the active one when
// name is empty), or ENOTFOUND naming the ones there are.
func pickScenario(p *planner.Plan, path, name string) (*planner.Scenario, error) {
	if name == "" {
		if s := p.Active(); s != nil {
			return s, nil
		}
		return nil, planner.Errorf(planner.ENOTFOUND, "%s has no scenario", path)
	}
	var names []string
	for i := range p.Scenarios {
		if p.Scenarios[i].Name == name {
			return &p.Scenarios[i], nil
		}
		names = append(names, p.Scenarios[i].Name)
	}
	return nil, planner.Errorf(planner.ENOTFOUND, "%s has no scenario %q (it has: %s)", path, name, strings.Join(names, ", "))
}

// printQuota writes the quota table, the explanations and the totals.
func printQuota(w io.Writer, path string, out QuotaOut, s planner.QuotaSettings) error {
	money := func(v float64) string { return planner.FormatMoney(v, s.Currency) }
	plain := func(v float64) string { return planner.FormatMoney(math.Round(v), "") }
	hist := "no last year"
	if out.HistoryField != "" {
		hist = "last year from field " + strconv.Quote(out.HistoryField)
	}
	fmt.Fprintf(w, "%s — scenario %s — fiscal year %d from %s — %s\n", out.Plan, out.Scenario, s.FiscalYear, s.StartMonth, hist)
	fmt.Fprintf(w, "Weights: potential %g, last year %g; floor %g%%, ceiling %g%% (0 = none); rounding %s\n",
		s.WeightPotential, s.WeightHistory, s.FloorPct, s.CeilingPct, money(s.Rounding))
	if len(s.Ramp) > 0 {
		pct := make([]string, len(s.Ramp))
		for i, f := range s.Ramp {
			pct[i] = strconv.FormatFloat(100*f, 'f', -1, 64) + "%"
		}
		fmt.Fprintf(w, "Ramp of new reps by month since start: %s, then 100%%\n", strings.Join(pct, ", "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Territory\t%s\tLast year\tShare\tQuota\tQ1\tQ2\tQ3\tQ4\t\n", orS(out.PotentialName, "Potential"))
	for _, r := range out.Territories {
		h := "no data"
		if r.History != nil {
			h = money(*r.History)
		}
		quota := money(r.Quota)
		if r.Overridden {
			quota = "*" + quota
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f%%\t%s\t%s\t%s\t%s\t%s\t\n", r.Territory, plain(r.Potential), h, 100*r.Share,
			quota, money(r.Quarters[0]), money(r.Quarters[1]), money(r.Quarters[2]), money(r.Quarters[3]))
	}
	t := out.Totals
	th := "no data"
	for _, r := range out.Territories {
		if r.History != nil {
			th = money(t.History)
		}
	}
	fmt.Fprintf(tw, "Total\t%s\t%s\t100%%\t%s\t%s\t%s\t%s\t%s\t\n", plain(t.Potential), th, money(t.Quota),
		money(t.Quarters[0]), money(t.Quarters[1]), money(t.Quarters[2]), money(t.Quarters[3]))
	if err := tw.Flush(); err != nil {
		return err
	}
	if t.Overridden > 0 || hasOverride(out.Territories) {
		fmt.Fprintf(w, "* set by hand: %s in all; kept by later runs until --clear-overrides\n", money(t.Overridden))
	}
	fmt.Fprintf(w, "\nHow each quota was computed:\n")
	for _, r := range out.Territories {
		fmt.Fprintf(w, "  %s: %s\n", r.Territory, r.Explain)
	}
	if len(out.Reps) > 0 {
		fmt.Fprintf(w, "\nReps' quotas (share of each territory's quota, ramped from the start):\n")
		rw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(rw, "  Rep\tTerritories\tStart\tFull quota\tRamp\tQuota\n")
		for _, r := range out.Reps {
			fmt.Fprintf(rw, "  %s\t%s\t%s\t%s\t%.1f%%\t%s\n", r.Name, orS(r.Territories, "-"), orS(r.Start, "-"), money(r.FullQuota), 100*r.RampFactor, money(r.Quota))
		}
		if err := rw.Flush(); err != nil {
			return err
		}
		for _, r := range out.Reps {
			if r.RampFactor != 1 {
				fmt.Fprintf(w, "  %s: %s\n", r.Name, r.Explain)
			}
		}
	}
	check := "✓"
	if t.Gap != 0 {
		check = "gap " + money(t.Gap)
	}
	fmt.Fprintf(w, "\nTarget %s × (1 + %g%% over-assignment) = %s; quotas sum to %s %s\n",
		money(s.Target), s.OverAssignPct, money(t.Expected), money(t.Quota), check)
	if s.WeightHistory > 0 && out.HistoryField == "" {
		fmt.Fprintf(w, "Last year is unknown (no --history FIELD): quotas follow potential alone\n")
	}
	if out.Written {
		fmt.Fprintf(w, "Quotas and settings written to %s\n", path)
	} else {
		fmt.Fprintf(w, "Nothing written: add --write to store the quotas in the plan\n")
	}
	return nil
}

// hasOverride reports whether a territory's quota was set by hand.
func hasOverride(rows []QuotaLineOut) bool {
	for _, r := range rows {
		if r.Overridden {
			return true
		}
	}
	return false
}

// orS returns s, or def when s is empty.
func orS(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
