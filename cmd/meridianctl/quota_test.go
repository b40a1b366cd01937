package main

import (
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// TestQuotaSample allocates $40,000,000 with 10% over-assignment by
// potential alone over the sample plan's 9 territories: the quotas sum to
// exactly $44,000,000 and each is its potential share of it (computed here
// from report --json) to within one rounding unit; --write stores them.
func TestQuotaSample(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := ctl(t, "report", "--plan", plan, "--json")
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("report: %d %v %q", code, err, errOut)
	}
	sumPot := 0.0
	for _, tr := range rep.Territories {
		sumPot += tr.Potential
	}

	args := []string{"quota", "--plan", plan, "--target", "40,000,000", "--weights", "potential=1",
		"--overassign", "10", "--rounding", "1000", "--currency", "USD", "--season", "20,25,25,30",
		"--fiscal-year", "2027", "--start-month", "1"}
	code, out, errOut = ctl(t, append(args, "--json")...)
	var q QuotaOut
	if err := json.Unmarshal([]byte(out), &q); code != 0 || err != nil {
		t.Fatalf("quota --json: %d %v %q", code, err, errOut)
	}
	if len(q.Territories) != 9 || len(rep.Territories) != 9 || q.Written {
		t.Fatalf("%d territories (report %d), written %v", len(q.Territories), len(rep.Territories), q.Written)
	}
	sum := 0.0
	for i, l := range q.Territories {
		want := rep.Territories[i].Potential / sumPot * 44_000_000
		if l.Territory != rep.Territories[i].Name || math.Abs(l.Quota-want) > 1000 || math.Mod(l.Quota, 1000) != 0 {
			t.Errorf("%s: quota %.2f, want %.2f ± 1,000 in whole thousands", l.Territory, l.Quota, want)
		}
		if l.History != nil || l.Bound != "none" || !strings.Contains(l.Explain, "rounded to $1,000") {
			t.Errorf("%s: history %v, bound %s, explain %q", l.Territory, l.History, l.Bound, l.Explain)
		}
		// The quarters follow the season 20/25/25/30 and add back to the quota.
		qs := l.Quarters[0] + l.Quarters[1] + l.Quarters[2] + l.Quarters[3]
		if qs != l.Quota || math.Abs(l.Quarters[3]-0.3*l.Quota) > 1000 {
			t.Errorf("%s: quarters %v sum to %.0f, quota %.0f", l.Territory, l.Quarters, qs, l.Quota)
		}
		sum += l.Quota
	}
	if sum != 44_000_000 || q.Totals.Quota != 44_000_000 || q.Totals.Expected != 44_000_000 || q.Totals.Gap != 0 {
		t.Errorf("quotas sum to %.2f, totals %+v", sum, q.Totals)
	}
	if p := loadPlan(t, plan); p.Quota != nil || p.Active().Territories[0].Quota.Known {
		t.Errorf("without --write the plan changed: %+v", p.Quota)
	}

	// Text output with --write: the check line, then the stored plan.
	code, out, errOut = ctl(t, append(args, "--write")...)
	if code != 0 || !strings.Contains(out, "Target $40,000,000 × (1 + 10% over-assignment) = $44,000,000; quotas sum to $44,000,000 ✓") ||
		!strings.Contains(out, "Quotas and settings written to") {
		t.Fatalf("quota --write: %d %q\n%s", code, errOut, out)
	}
	p := loadPlan(t, plan)
	wantSettings := planner.QuotaSettings{FiscalYear: 2027, StartMonth: time.January, Currency: "USD", Target: 40_000_000,
		OverAssignPct: 10, Rounding: 1000, WeightPotential: 1,
		Season: planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.January)}
	if p.Quota == nil || !reflect.DeepEqual(*p.Quota, wantSettings) {
		t.Errorf("stored settings %+v, want %+v", p.Quota, wantSettings)
	}
	for i, tr := range p.Active().Territories {
		if tr.Quota != planner.Known(q.Territories[i].Quota) {
			t.Errorf("%s: stored quota %v, want %.0f", tr.Name, tr.Quota, q.Territories[i].Quota)
		}
	}
	// A second run needs no flags: the stored settings give the same quotas.
	code, out, _ = ctl(t, "quota", "--plan", plan, "--json")
	var again QuotaOut
	if err := json.Unmarshal([]byte(out), &again); code != 0 || err != nil || !reflect.DeepEqual(again.Settings, q.Settings) {
		t.Fatalf("rerun: %d %v %+v", code, err, again.Settings)
	}
	for i := range again.Territories {
		if again.Territories[i].Quota != q.Territories[i].Quota {
			t.Errorf("rerun %s: %.0f, want %.0f", again.Territories[i].Territory, again.Territories[i].Quota, q.Territories[i].Quota)
		}
	}
}

// historyPlan writes a plan of three territories, one unit each: North
// (potential 100, last year 100,000 + 200,000), South (300; 100,000) and
// West (100; no last year), with a numeric field "LY" and a text field
// "Phone".
func historyPlan(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.meridian")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acct := func(id int64, unit string, pot float64, fields []string) planner.Account {
		return planner.Account{ID: id, Name: "Account " + unit, UnitCode: unit, Placement: planner.PlacedInside,
			Potential: planner.Known(pot), Fields: fields}
	}
	p := &planner.Plan{Name: "History test", PotentialName: "Beds",
		Units:        []planner.GeographyUnit{{Code: "N", Name: "N"}, {Code: "S", Name: "S"}, {Code: "W", Name: "W"}},
		CustomFields: []planner.CustomField{{Name: "LY", Numeric: true}, {Name: "Phone"}},
		Accounts: []planner.Account{
			acct(1, "N", 40, []string{"100000", "555-0100"}), acct(2, "N", 60, []string{"200000", ""}),
			acct(3, "S", 300, []string{"100000", "555-0101"}),
			acct(4, "W", 100, nil), acct(5, "W", 0, []string{"", "555-0102"}),
		},
		Scenarios: []planner.Scenario{{ID: 1, Name: "Base", Territories: []planner.Territory{
			{ID: 11, Name: "North", Color: "#1f77b4"}, {ID: 12, Name: "South", Color: "#ff7f0e"}, {ID: 13, Name: "West", Color: "#2ca02c"}},
			Alignment: map[string]int64{"N": 11, "S": 12, "W": 13}}}}
	if err := db.Replace(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestQuotaHistory checks a hand-computed allocation by potential and last
// year (LY). Potential shares 0.2, 0.6, 0.2; last-year shares 0.75, 0.25
// (West has none). Mixes 0.5: North 0.475, South 0.425, West 0.2 (its
// potential share alone), rescaled by 1.1: $431,818.18, $386,363.64,
// $181,818.18 of $1,000,000; rounded down to 998,000, the two missing
// thousands go to the largest remainders (.818, ties to the earlier):
// North and West. With a ceiling of +25%, North is capped at $375,000 and
// South at $125,000; West takes the rest, $500,000.
func TestQuotaHistory(t *testing.T) {
	plan := historyPlan(t)
	args := []string{"quota", "--plan", plan, "--target", "1000000", "--history", "LY", "--weights", "potential=0.5,history=0.5",
		"--rounding", "1000", "--json"}
	for _, c := range []struct {
		extra []string
		want  [3]float64
		bound [3]string
	}{
		{nil, [3]float64{432_000, 386_000, 182_000}, [3]string{"none", "none", "none"}},
		{[]string{"--ceiling", "25"}, [3]float64{375_000, 125_000, 500_000}, [3]string{"ceiling", "ceiling", "none"}},
	} {
		code, out, errOut := ctl(t, append(args, c.extra...)...)
		var q QuotaOut
		if err := json.Unmarshal([]byte(out), &q); code != 0 || err != nil {
			t.Fatalf("%v: %d %v %q", c.extra, code, err, errOut)
		}
		for i, l := range q.Territories {
			if l.Quota != c.want[i] || l.Bound != c.bound[i] {
				t.Errorf("%v %s: quota %.2f (%s), want %.0f (%s); %s", c.extra, l.Territory, l.Quota, l.Bound, c.want[i], c.bound[i], l.Explain)
			}
		}
		if h := q.Territories; h[0].History == nil || *h[0].History != 300_000 || h[1].History == nil || *h[1].History != 100_000 || h[2].History != nil {
			t.Errorf("history %v %v %v", h[0].History, h[1].History, h[2].History)
		}
		if q.Totals.Quota != 1_000_000 || q.Totals.History != 400_000 || q.HistoryField != "LY" {
			t.Errorf("%v: totals %+v", c.extra, q.Totals)
		}
	}
	// Without --history, last year is unknown: potential alone, 0.2/0.6/0.2.
	code, out, errOut := ctl(t, "quota", "--plan", plan, "--target", "1000000")
	if code != 0 || !strings.Contains(out, "quotas sum to 1,000,000 ✓") || !strings.Contains(out, "no last year: potential share 60% of 1,000,000 = 600,000; rounded to 1,000: 600,000") {
		t.Errorf("without history: %d %q\n%s", code, errOut, out)
	}
}

// Errors name the flag and write nothing.
func TestQuotaErrors(t *testing.T) {
	plan := historyPlan(t)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{}, "quota needs --target"},
		{[]string{"--target", "lots"}, `--target must be a number, not "lots"`},
		{[]string{"--target", "-5"}, "--target -5: the target must be zero or more"},
		{[]string{"--target", "1000", "--season", "20,25,25,20"}, "--season \"20,25,25,20\": the percentages add up to 90%, not 100%"},
		{[]string{"--target", "1000", "--season", "50,50"}, "give 4 quarter or 12 month percentages, not 2"},
		{[]string{"--target", "1000", "--history", "Revenue"}, `--history: Last year's sales "Revenue": the plan has no such field (it has: LY, Phone)`},
		{[]string{"--target", "1000", "--history", "Phone"}, `--history: Last year's sales "Phone": the field holds text, not numbers`},
		{[]string{"--target", "1000", "--weights", "potential=0,history=0"}, "the weights are both zero"},
		{[]string{"--target", "1000", "--weights", "size=1"}, "--weights \"size=1\": write potential=W,history=W"},
		{[]string{"--target", "1000", "--floor", "30", "--ceiling", "20"}, "--floor 30% is above --ceiling 20%"},
		{[]string{"--target", "1000", "--overassign", "-100"}, "--overassign -100: the over-assignment must be more than -100"},
		{[]string{"--target", "1000", "--start-month", "13"}, "--start-month must be a month number from 1 (January) to 12"},
		{[]string{"--target", "1000", "--fiscal-year", "27"}, "--fiscal-year must be a year between 1900 and 2200"},
		{[]string{"--target", "1000", "--currency", "dollars"}, "--currency must be a three-letter code"},
		{[]string{"--target", "1000", "--scenario", "Draft"}, `has no scenario "Draft" (it has: Base)`},
	} {
		code, _, errOut := ctl(t, append([]string{"quota", "--plan", plan, "--write"}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.msg)
		}
	}
	if p := loadPlan(t, plan); p.Quota != nil {
		t.Errorf("a failed run stored settings %+v", p.Quota)
	}
	if code, _, errOut := ctl(t, "quota"); code != 1 || !strings.Contains(errOut, "quota needs --plan") {
		t.Errorf("no --plan: %d %q", code, errOut)
	}
}

// quotaRepsPlan is historyPlan with reps: Ann Lee (started 2020) covers
// North and half of South, Ben Ross (starts 15 April 2027) the other half
// of South, and West is a vacancy planned to start on 1 July 2027.
func quotaRepsPlan(t *testing.T) string {
	t.Helper()
	path := historyPlan(t)
	db, err := sqlite.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	if err := db.Apply(t.Context(),
		sqlite.PutRepEdit(planner.Rep{ID: 1, Name: "Ann Lee", Email: "ann@example.com", Manager: "Mia Chen", Start: day(2020, 1, 6)}),
		sqlite.PutRepEdit(planner.Rep{ID: 2, Name: "Ben Ross", Email: "ben@example.com", Manager: "Mia Chen", Start: day(2027, 4, 15)}),
		sqlite.SetTerritoryRepsEdit(11, []planner.Assignment{{RepID: 1, Share: 100}}),
		sqlite.SetTerritoryRepsEdit(12, []planner.Assignment{{RepID: 1, Share: 50}, {RepID: 2, Share: 50}}),
		sqlite.SetTerritoryRepsEdit(13, []planner.Assignment{{Share: 100, PlannedStart: day(2027, 7, 1)}}),
	); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestQuotaRepsRampOverride sets West's quota by hand ($250,000) and a
// ramp of 0/25/50/75%. North and South share the other $750,000 by
// potential 1:3: 187,500 and 562,500, rounded to thousands with the
// missing one to the earlier of the tied remainders: 188,000 and 562,000.
// Reps (equal months, fiscal year 2027 from January): Ann Lee 188,000 +
// 50% of 562,000 = 469,000, no ramp (started 2020); Ben Ross 281,000 ×
// (0 + .25 + .5 + .75 + 5 × 1)/12 = 152,208.33 (April is month 0, nothing
// before); the vacancy in West 250,000 × (0 + .25 + .5 + .75 + 1 + 1)/12
// = 72,916.67 (July is month 0). The override, the ramp and the history
// field are stored and reused; --clear-overrides drops the override.
func TestQuotaRepsRampOverride(t *testing.T) {
	plan := quotaRepsPlan(t)
	args := []string{"quota", "--plan", plan, "--target", "1000000", "--rounding", "1000", "--fiscal-year", "2027", "--start-month", "1",
		"--currency", "USD", "--ramp", "0,25,50,75", "--override", "west=250,000", "--write"}
	code, out, errOut := ctl(t, append(args, "--json")...)
	var q QuotaOut
	if err := json.Unmarshal([]byte(out), &q); code != 0 || err != nil || !q.Written {
		t.Fatalf("quota: %d %v %q", code, err, errOut)
	}
	wantQ := []float64{188_000, 562_000, 250_000}
	for i, l := range q.Territories {
		if l.Quota != wantQ[i] || l.Overridden != (i == 2) {
			t.Errorf("%s: %.2f overridden %v, want %.0f; %s", l.Territory, l.Quota, l.Overridden, wantQ[i], l.Explain)
		}
	}
	if q.Totals.Quota != 1_000_000 || q.Totals.Overridden != 250_000 || q.Totals.Gap != 0 {
		t.Errorf("totals %+v", q.Totals)
	}
	wantReps := []struct {
		name              string
		full, ramp, quota float64
		start             string
	}{
		{"Ann Lee", 469_000, 1, 469_000, "2020-01-06"},
		{"Ben Ross", 281_000, 152_208.33 / 281_000, 152_208.33, "2027-04-15"},
		{"TBH (West)", 250_000, 72_916.67 / 250_000, 72_916.67, "2027-07-01"},
	}
	if len(q.Reps) != 3 {
		t.Fatalf("reps %+v", q.Reps)
	}
	for i, w := range wantReps {
		r := q.Reps[i]
		if r.Name != w.name || r.FullQuota != w.full || r.Quota != w.quota || math.Abs(r.RampFactor-w.ramp) > 1e-12 || r.Start != w.start {
			t.Errorf("rep %d: %+v, want %+v", i, r, w)
		}
	}
	if q.Reps[0].Territories != "North, South 50%" || q.Reps[0].Manager != "Mia Chen" || q.Reps[2].RepID != 0 {
		t.Errorf("reps %+v", q.Reps)
	}
	p := loadPlan(t, plan)
	if p.Quota == nil || !reflect.DeepEqual(p.Quota.Ramp, planner.RampSchedule{0, 0.25, 0.5, 0.75}) {
		t.Fatalf("stored settings %+v", p.Quota)
	}
	for i, tr := range p.Active().Territories {
		if tr.Quota != planner.Known(wantQ[i]) || tr.QuotaOverride != (i == 2) {
			t.Errorf("stored %s: %v override %v", tr.Name, tr.Quota, tr.QuotaOverride)
		}
	}
	// BuildQuotaPlan on the stored plan gives the reps' quotas printed.
	qp, err := planner.BuildQuotaPlan(p, p.Active())
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range qp.Reps {
		if r.Quota != q.Reps[i].Quota {
			t.Errorf("BuildQuotaPlan %s: %.2f, printed %.2f", r.Name, r.Quota, q.Reps[i].Quota)
		}
	}

	// A re-run with a new target keeps West's override and the ramp.
	code, out, errOut = ctl(t, "quota", "--plan", plan, "--target", "1400000")
	for _, w := range []string{"*$250,000", "* set by hand: $250,000 in all; kept by later runs until --clear-overrides",
		"Ramp of new reps by month since start: 0%, 25%, 50%, 75%, then 100%", "Reps' quotas", "Ben Ross",
		"ramped from start on 2027-04-15: 54.2% of full quota"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("re-run lacks %q: %d %q\n%s", w, code, errOut, out)
		}
	}
	// North and South share 1,150,000 by 1:3: 287,500 and 862,500 → 288,000 and 862,000.
	if !strings.Contains(out, "$288,000") || !strings.Contains(out, "$862,000") {
		t.Errorf("re-run quotas:\n%s", out)
	}

	// --clear-overrides allocates West again (0.2/0.6/0.2 of 1,000,000) and
	// --history stores the field: North has last year 300,000.
	code, out, errOut = ctl(t, "quota", "--plan", plan, "--clear-overrides", "--history", "LY", "--weights", "potential=1", "--write", "--json")
	var c QuotaOut
	if err := json.Unmarshal([]byte(out), &c); code != 0 || err != nil {
		t.Fatalf("--clear-overrides: %d %v %q", code, err, errOut)
	}
	for i, want := range []float64{200_000, 600_000, 200_000} {
		if l := c.Territories[i]; l.Quota != want || l.Overridden {
			t.Errorf("cleared %s: %.0f %v, want %.0f", l.Territory, l.Quota, l.Overridden, want)
		}
	}
	p = loadPlan(t, plan)
	if p.Quota.HistoryField != "LY" || p.Active().Territories[2].QuotaOverride {
		t.Errorf("stored history field %q, West override %v", p.Quota.HistoryField, p.Active().Territories[2].QuotaOverride)
	}
	code, out, _ = ctl(t, "quota", "--plan", plan, "--json")
	var h QuotaOut
	if err := json.Unmarshal([]byte(out), &h); code != 0 || err != nil || h.HistoryField != "LY" || h.Territories[0].History == nil || *h.Territories[0].History != 300_000 {
		t.Errorf("history reused: %d %v %+v", code, err, h.Territories)
	}

	for _, e := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--ramp", "0,150"}, `--ramp "0,150": month 2 since start, "150", is not a percentage from 0 to 100`},
		{[]string{"--override", "Nowhere=5"}, `--override: scenario "Base" has no territory "Nowhere" (it has: North, South, West)`},
		{[]string{"--override", "North=-5"}, `the quota of North must be an amount, zero or more, not "-5"`},
		{[]string{"--override", "North=5,north=6"}, "names North twice"},
	} {
		if code, _, errOut := ctl(t, append([]string{"quota", "--plan", plan}, e.args...)...); code != 1 || !strings.Contains(errOut, e.msg) {
			t.Errorf("%v: %d %q, want %q", e.args, code, errOut, e.msg)
		}
	}
}
