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
	"rounding", "season", "fiscal-year", "start-month", "currency"}

// quotaArgs are the flags of "quota": the raw text of each quota flag given
// (by name without dashes), parsed by [cmdQuota] so that every error names
// its flag.
type quotaArgs struct {
	plan, scenario string
	asJSON, write  bool
	set            map[string]string
}

// register adds the quota flags to fs.
func (qa *quotaArgs) register(fs *flag.FlagSet) {
	qa.set = map[string]string{}
	help := map[string]string{
		"target":      "company target for the year in the plan's currency, e.g. 50000000 (quota)",
		"weights":     "weights of potential and last year, e.g. potential=0.6,history=0.4 (quota)",
		"history":     "numeric custom field of the accounts holding last year's sales (quota)",
		"overassign":  "over-assignment in percent: quotas sum to target × (1 + it/100) (quota)",
		"floor":       "lowest change against last year in percent, e.g. -10; 0 for none (quota)",
		"ceiling":     "highest change against last year in percent, e.g. 25; 0 for none (quota)",
		"rounding":    "rounding unit of quotas in currency, e.g. 1000; 0 for cents (quota)",
		"season":      "4 quarter or 12 month percentages in fiscal order, summing to 100 (quota)",
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
	Written       bool                  `json:"written"` // true with --write
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
	Quota    float64    `json:"quota"`
	Quarters [4]float64 `json:"quarters"`
	Explain  string     `json:"explain"`
}

// QuotaTotals sums QuotaOut's territories. Expected is Target × (1 +
// OverAssignPct/100) rounded to the rounding unit; Gap is Expected − Quota.
type QuotaTotals struct {
	Potential float64    `json:"potential"`
	History   float64    `json:"history"` // of the territories where known
	Quota     float64    `json:"quota"`
	Quarters  [4]float64 `json:"quarters"`
	Expected  float64    `json:"expected"`
	Gap       float64    `json:"gap"`
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
func quotaSettings(set map[string]string, base *planner.QuotaSettings, historyGiven bool) (planner.QuotaSettings, error) {
	var s planner.QuotaSettings
	if base != nil {
		s = *base
	} else {
		if _, ok := set["target"]; !ok {
			return s, fmt.Errorf("quota needs --target (the company target for the year): the plan has no quota settings yet")
		}
		s = planner.QuotaSettings{FiscalYear: time.Now().Year(), StartMonth: time.January, Rounding: 1000, WeightPotential: 1}
		if historyGiven {
			s.WeightPotential, s.WeightHistory = 0.6, 0.4
		}
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

// territoryHistory sums the numeric custom field named field over each
// territory's accounts (as scenario s assigns them): one Measure per
// territory of s, Unknown for a territory none of whose accounts has a
// value. The error names --history.
func territoryHistory(p *planner.Plan, s *planner.Scenario, field string) ([]planner.Measure, error) {
	fi := -1
	var names []string
	for i, f := range p.CustomFields {
		names = append(names, f.Name)
		if f.Name == field {
			fi = i
		}
	}
	switch {
	case fi < 0 && len(names) == 0:
		return nil, fmt.Errorf("--history %q: the plan's accounts have no custom fields (import accounts with a column of last year's sales)", field)
	case fi < 0:
		return nil, fmt.Errorf("--history %q: the plan has no such custom field (it has: %s)", field, strings.Join(names, ", "))
	case !p.CustomFields[fi].Numeric:
		return nil, fmt.Errorf("--history %q: the field holds text, not numbers; name a numeric field of last year's sales", field)
	}
	row := make(map[int64]int, len(s.Territories))
	for i := range s.Territories {
		row[s.Territories[i].ID] = i
	}
	out := make([]planner.Measure, len(s.Territories))
	owner := s.AccountTerritories(p)
	for j := range p.Accounts {
		a := &p.Accounts[j]
		if fi >= len(a.Fields) || a.Fields[fi] == "" {
			continue
		}
		v, err := strconv.ParseFloat(a.Fields[fi], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			continue // Validate keeps numeric fields numeric
		}
		if i, ok := row[owner[j]]; ok {
			out[i].Value += v
			out[i].Known = true
		}
	}
	for i := range out {
		if out[i].Known && out[i].Value < 0 {
			return nil, fmt.Errorf("--history %q: territory %q sums to %g; last year's sales must be zero or more", field, s.Territories[i].Name, out[i].Value)
		}
	}
	return out, nil
}

// cmdQuota allocates the company target over the scenario's territories
// with planner.AllocateQuotas (potential from planner.ComputeMetrics, last
// year from --history), prints each territory's quota, quarters and
// explanation, and with --write stores the quotas and settings in one
// transaction (sqlite.SetQuotasEdit).
func cmdQuota(ctx context.Context, a quotaArgs, stdout io.Writer) error {
	var p *planner.Plan
	var s *planner.Scenario
	var db *sqlite.DB
	var err error
	if a.write {
		// Opened for writing (an older plan is upgraded); the read and the
		// write use the same connection.
		if db, err = sqlite.OpenExisting(a.plan); err != nil {
			return err
		}
		defer db.Close()
		if p, err = db.Load(ctx); err != nil {
			return err
		}
		if s, err = pickScenario(p, a.plan, a.scenario); err != nil {
			return err
		}
	} else if p, s, err = load(ctx, a.plan, a.scenario); err != nil {
		return err
	}
	if len(s.Territories) == 0 {
		return fmt.Errorf("scenario %q has no territories to give quotas to", s.Name)
	}
	field, historyGiven := a.set["history"]
	settings, err := quotaSettings(a.set, p.Quota, historyGiven)
	if err != nil {
		return err
	}
	history := make([]planner.Measure, len(s.Territories))
	if historyGiven {
		if history, err = territoryHistory(p, s, field); err != nil {
			return err
		}
	}
	m := planner.ComputeMetrics(p, s)
	in := make([]planner.QuotaInput, len(s.Territories))
	for i, t := range s.Territories {
		in[i] = planner.QuotaInput{TerritoryID: t.ID, Name: t.Name, Potential: m.Territories[i].Potential, LastYear: history[i]}
	}
	lines, rep, err := planner.AllocateQuotas(in, settings)
	if err != nil {
		return err
	}
	out := QuotaOut{Plan: p.Name, Scenario: s.Name, PotentialName: p.PotentialName, HistoryField: field,
		Settings:    settings,
		Territories: []QuotaLineOut{}}
	quotas := make(map[int64]float64, len(lines))
	total := rep.Overridden + rep.Allocated
	for _, l := range lines {
		q := planner.QuarterlyQuota(l.Quota, settings.Season, settings.StartMonth, settings.Rounding)
		row := QuotaLineOut{Territory: l.Name, Potential: l.Potential, Bound: l.Bound.String(), Quota: l.Quota, Quarters: q, Explain: l.Explain}
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
	}
	out.Totals.Quota, out.Totals.Expected, out.Totals.Gap = total, rep.Total, rep.Gap
	if a.write {
		if err := db.Apply(ctx, sqlite.SetQuotasEdit(s.ID, &settings, quotas)); err != nil {
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
	fmt.Fprintf(w, "Weights: potential %g, last year %g; floor %g%%, ceiling %g%% (0 = none); rounding %s\n\n",
		s.WeightPotential, s.WeightHistory, s.FloorPct, s.CeilingPct, money(s.Rounding))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Territory\t%s\tLast year\tShare\tQuota\tQ1\tQ2\tQ3\tQ4\t\n", orS(out.PotentialName, "Potential"))
	for _, r := range out.Territories {
		h := "no data"
		if r.History != nil {
			h = money(*r.History)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f%%\t%s\t%s\t%s\t%s\t%s\t\n", r.Territory, plain(r.Potential), h, 100*r.Share,
			money(r.Quota), money(r.Quarters[0]), money(r.Quarters[1]), money(r.Quarters[2]), money(r.Quarters[3]))
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
	fmt.Fprintf(w, "\nHow each quota was computed:\n")
	for _, r := range out.Territories {
		fmt.Fprintf(w, "  %s: %s\n", r.Territory, r.Explain)
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

// orS returns s, or def when s is empty.
func orS(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
