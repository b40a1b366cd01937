package planner_test

import (
	"math"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
)

// baseSettings: FY 2026 from January, USD, target $40,000,000, 10%
// over-assigned, rounded to $1,000, weights 60/40, floor −10%, ceiling
// +25%, no seasonality.
func baseSettings() planner.QuotaSettings {
	return planner.QuotaSettings{FiscalYear: 2026, StartMonth: time.January, Currency: "USD",
		Target: 40_000_000, OverAssignPct: 10, Rounding: 1000,
		WeightPotential: 0.6, WeightHistory: 0.4, FloorPct: -10, CeilingPct: 25}
}

func quotas(lines []planner.QuotaLine) []float64 {
	q := make([]float64, len(lines))
	for i, l := range lines {
		q[i] = l.Quota
	}
	return q
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-6 {
			return false
		}
	}
	return true
}

func ptr(v float64) *float64 { return &v }

// TestAllocateQuotasCapAndRounding is the hand-computed
// 4-territory allocation with a cap and rounding.
//
// Total = 40,000,000 × 1.10 = 44,000,000.
// Potential 400, 200, 200, 200 (Σ 1000): shares .4, .2, .2, .2.
// Last year 8,000,320, 10M, 10M, 10M (Σ 38,000,320): A .210533, others
// .263156 each.
// Mix A = .6×.4 + .4×.210533 = .324213 → × 44M = 14,265,380.17 > ceiling
// 8,000,320 × 1.25 = 10,000,400: A is capped. B, C, D (mix .6×.2 +
// .4×.263156 = .225262 each → 9,911,539.94,
// inside [9M, 12.5M]) share the rest equally: (44,000,000 − 10,000,400)/3
// = 11,333,200 each, inside [9M, 12.5M].
// Rounding to 1,000: floors 10,000,000 (remainder .4) and 11,333,000 ×3
// (remainder .2 each) sum to 43,999,000; the missing unit would go to A
// by remainder alone, but A is held at its ceiling so it goes to the
// first of the others, B: 10,000,000 + 11,334,000 + 11,333,000 +
// 11,333,000 = 44,000,000. Rounding each to the nearest would give
// 43,999,000.
func TestAllocateQuotasCapAndRounding(t *testing.T) {
	s := baseSettings()
	in := []planner.QuotaInput{
		{TerritoryID: 1, Name: "A", Potential: 400, LastYear: planner.Known(8_000_320)},
		{TerritoryID: 2, Name: "B", Potential: 200, LastYear: planner.Known(10_000_000)},
		{TerritoryID: 3, Name: "C", Potential: 200, LastYear: planner.Known(10_000_000)},
		{TerritoryID: 4, Name: "D", Potential: 200, LastYear: planner.Known(10_000_000)},
	}
	lines, rep, err := planner.AllocateQuotas(in, s)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{10_000_000, 11_334_000, 11_333_000, 11_333_000}
	if got := quotas(lines); !sameFloats(got, want) {
		t.Fatalf("quotas %v, want %v", got, want)
	}
	if rep.Total != 44_000_000 || rep.Allocated != 44_000_000 || rep.Overridden != 0 || rep.Gap != 0 {
		t.Errorf("report %+v", rep)
	}
	if lines[0].Bound != planner.BoundCeiling || lines[1].Bound != planner.BoundNone {
		t.Errorf("bounds %v %v", lines[0].Bound, lines[1].Bound)
	}
	if math.Abs(lines[0].Unrounded-10_000_400) > 1e-6 || math.Abs(lines[1].Unrounded-11_333_200) > 1e-6 {
		t.Errorf("unrounded %v %v", lines[0].Unrounded, lines[1].Unrounded)
	}
	if math.Abs(lines[0].Share-0.324213) > 1e-6 || math.Abs(lines[0].HistoryShare.Value-0.210533) > 1e-6 {
		t.Errorf("A share %v history %v", lines[0].Share, lines[0].HistoryShare)
	}
	wantA := "60% × potential share 40% + 40% × last-year share 21.1% = 32.4% of $44,000,000 = $14,265,380.17; " +
		"capped at +25% of last year ($10,000,400); rounded to $1,000: $10,000,000"
	if lines[0].Explain != wantA {
		t.Errorf("A explain\n%s\nwant\n%s", lines[0].Explain, wantA)
	}
	if !strings.Contains(lines[1].Explain, "= $9,911,539.94; plus $1,421,660.06 redistributed") || !strings.HasSuffix(lines[1].Explain, "rounded to $1,000: $11,334,000") {
		t.Errorf("B explain %s", lines[1].Explain)
	}
	// Rolled up to the company with its 10% over-assignment: the target.
	roll, err := planner.RollUp(lines, map[int64]int64{1: 100, 2: 100, 3: 100, 4: 100}, map[int64]float64{100: 10}, "USD")
	if err != nil || len(roll) != 1 || roll[0].Quota != 40_000_000 {
		t.Errorf("roll-up %+v %v", roll, err)
	}
}

// TestAllocateQuotasCapThenFloor: ceilings first, then a floor, in rounds.
//
// Total 44,000,000; potential 400, 300, 200, 100; last year 8M, 12M, 10M,
// 10M (Σ 40M). Mix: A .6×.4+.4×.2 = .32, B .18+.12 = .30, C .12+.10 =
// .22, D .06+.10 = .16 → 14.08M, 13.2M, 9.68M, 7.04M.
// Round 1: A exceeds its ceiling 10M by 4.08M; D is under its floor 9M by
// 1.96M; the excess is larger, so only A is held (at 10M).
// Round 2: 34M over B, C, D (.68): 15M, 11M, 8M; D under 9M by 1M: held.
// Round 3: 25M over B, C (.52): 14,423,076.92 and 10,576,923.08, inside.
// Rounding: 10,000,000 + 9,000,000 + 14,423,000 + 10,576,000 =
// 43,999,000; the unit goes to the largest remainder, C (.923): D is
// exactly at its floor and needs none.
func TestAllocateQuotasCapThenFloor(t *testing.T) {
	s := baseSettings()
	in := []planner.QuotaInput{
		{TerritoryID: 1, Name: "A", Potential: 400, LastYear: planner.Known(8_000_000)},
		{TerritoryID: 2, Name: "B", Potential: 300, LastYear: planner.Known(12_000_000)},
		{TerritoryID: 3, Name: "C", Potential: 200, LastYear: planner.Known(10_000_000)},
		{TerritoryID: 4, Name: "D", Potential: 100, LastYear: planner.Known(10_000_000)},
	}
	lines, rep, err := planner.AllocateQuotas(in, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := quotas(lines); !sameFloats(got, []float64{10_000_000, 14_423_000, 10_577_000, 9_000_000}) {
		t.Errorf("quotas %v", got)
	}
	unr := []float64{10_000_000, 25_000_000 * 0.30 / 0.52, 25_000_000 * 0.22 / 0.52, 9_000_000}
	for i, l := range lines {
		if math.Abs(l.Unrounded-unr[i]) > 1e-6 {
			t.Errorf("%s unrounded %v, want %v", l.Name, l.Unrounded, unr[i])
		}
	}
	if lines[0].Bound != planner.BoundCeiling || lines[3].Bound != planner.BoundFloor || lines[1].Bound != planner.BoundNone {
		t.Errorf("bounds %v %v %v", lines[0].Bound, lines[1].Bound, lines[3].Bound)
	}
	if !strings.Contains(lines[3].Explain, "raised to the floor of −10% of last year ($9,000,000)") {
		t.Errorf("D explain %s", lines[3].Explain)
	}
	if rep.Gap != 0 || rep.Allocated != 44_000_000 {
		t.Errorf("report %+v, quotas %v", rep, quotas(lines))
	}
}

// TestAllocateQuotasFloor: potential only, floor −10%, no ceiling.
// Total 30,000,000 (no over-assignment). Shares .1, .45, .45 → 3M,
// 13.5M, 13.5M; A's floor is 10M × 0.9 = 9M: A is raised by 6M, taken
// from B and C in proportion to their shares (3M each): 9M, 10.5M, 10.5M.
func TestAllocateQuotasFloor(t *testing.T) {
	s := baseSettings()
	s.Target, s.OverAssignPct, s.WeightPotential, s.WeightHistory, s.CeilingPct = 30_000_000, 0, 1, 0, 0
	in := []planner.QuotaInput{
		{TerritoryID: 1, Name: "A", Potential: 100, LastYear: planner.Known(10_000_000)},
		{TerritoryID: 2, Name: "B", Potential: 450, LastYear: planner.Known(10_000_000)},
		{TerritoryID: 3, Name: "C", Potential: 450, LastYear: planner.Known(10_000_000)},
	}
	lines, rep, err := planner.AllocateQuotas(in, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := quotas(lines); !sameFloats(got, []float64{9_000_000, 10_500_000, 10_500_000}) {
		t.Fatalf("quotas %v", got)
	}
	if rep.Gap != 0 || lines[0].Bound != planner.BoundFloor {
		t.Errorf("report %+v bound %v", rep, lines[0].Bound)
	}
	want := "potential share 45% of $30,000,000 = $13,500,000; less $3,000,000 redistributed from territories held at a floor or ceiling: $10,500,000; rounded to $1,000: $10,500,000"
	if lines[1].Explain != want {
		t.Errorf("B explain\n%s\nwant\n%s", lines[1].Explain, want)
	}
}

// TestAllocateQuotasNoHistory: weights 50/50, no limits, total $10M.
// Potential 300, 100, 100 → .6, .2, .2; last year 4M, 6M, unknown → A .4,
// B .6 (of 10M). Mix A .5×.6+.5×.4 = .5, B .5×.2+.5×.6 = .4, C (no last
// year) .2; Σ 1.1 → .454545, .363636, .181818 → 4,545,454.55,
// 3,636,363.64, 1,818,181.82. Floors 4,545,000 (.455), 3,636,000 (.364),
// 1,818,000 (.182) sum to 9,999,000: A gets the unit.
func TestAllocateQuotasNoHistory(t *testing.T) {
	s := baseSettings()
	s.Target, s.OverAssignPct, s.WeightPotential, s.WeightHistory, s.FloorPct, s.CeilingPct = 10_000_000, 0, 50, 50, 0, 0
	in := []planner.QuotaInput{
		{TerritoryID: 1, Name: "A", Potential: 300, LastYear: planner.Known(4_000_000)},
		{TerritoryID: 2, Name: "B", Potential: 100, LastYear: planner.Known(6_000_000)},
		{TerritoryID: 3, Name: "C", Potential: 100, LastYear: planner.Unknown},
	}
	lines, rep, err := planner.AllocateQuotas(in, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := quotas(lines); !sameFloats(got, []float64{4_546_000, 3_636_000, 1_818_000}) {
		t.Fatalf("quotas %v", got)
	}
	if rep.Gap != 0 || lines[2].HistoryShare.Known || math.Abs(lines[2].Share-0.2/1.1) > 1e-12 {
		t.Errorf("report %+v, C %+v", rep, lines[2])
	}
	want := "no last year: potential share 20%, 18.2% once shares are rescaled to add up to 100% (1 territory has no last year) of $10,000,000 = $1,818,181.82; rounded to $1,000: $1,818,000"
	if lines[2].Explain != want {
		t.Errorf("C explain\n%s\nwant\n%s", lines[2].Explain, want)
	}
}

// TestOverridesGapAndSpread: total $10M, potential only, no limits.
// A is set by hand to 5M; B, C, D (potential 300, 200, 100) share 5M:
// 2.5M, 1,666,666.67, 833,333.33 → floors 2,500,000, 1,666,000 (.667),
// 833,000 (.333) = 4,999,000: C gets the unit.
// Then B is set to 2M by hand: gap = 10M − 7M − 2.5M = 500,000. Spread
// over C and D by share (1/3 and 1/6, so 2:1): +333,333.33 and
// +166,666.67 → 2,000,333.33 and 999,666.67 → floors 2,000,000 (.333),
// 999,000 (.667): D gets the unit: 2,000,000 and 1,000,000.
func TestOverridesGapAndSpread(t *testing.T) {
	s := baseSettings()
	s.Target, s.OverAssignPct, s.WeightPotential, s.WeightHistory, s.FloorPct, s.CeilingPct = 10_000_000, 0, 1, 0, 0, 0
	in := []planner.QuotaInput{
		{TerritoryID: 1, Name: "A", Potential: 400, Override: ptr(5_000_000)},
		{TerritoryID: 2, Name: "B", Potential: 300},
		{TerritoryID: 3, Name: "C", Potential: 200},
		{TerritoryID: 4, Name: "D", Potential: 100},
	}
	lines, rep, err := planner.AllocateQuotas(in, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := quotas(lines); !sameFloats(got, []float64{5_000_000, 2_500_000, 1_667_000, 833_000}) {
		t.Fatalf("quotas %v", got)
	}
	if rep != (planner.AllocationReport{Total: 10_000_000, Overridden: 5_000_000, Allocated: 5_000_000}) {
		t.Errorf("report %+v", rep)
	}
	if lines[0].Explain != "set by hand to $5,000,000" || lines[0].Share != 0 {
		t.Errorf("A %+v", lines[0])
	}

	lines[1].Quota, lines[1].Overridden = 2_000_000, true
	rep = planner.ReportQuotas(lines, s)
	if rep != (planner.AllocationReport{Total: 10_000_000, Overridden: 7_000_000, Allocated: 2_500_000, Gap: 500_000}) {
		t.Errorf("gap report %+v", rep)
	}
	spread, rep, err := planner.SpreadGap(lines, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := quotas(spread); !sameFloats(got, []float64{5_000_000, 2_000_000, 2_000_000, 1_000_000}) {
		t.Fatalf("spread quotas %v", got)
	}
	if rep.Gap != 0 || rep.Allocated != 3_000_000 || lines[2].Quota != 1_667_000 {
		t.Errorf("spread report %+v; input changed: %v", rep, lines[2].Quota)
	}
	if want := "; then +$166,666.67 from the gap of $500,000 (33.3% of it, by share): $999,666.67; rounded to $1,000: $1,000,000"; !strings.HasSuffix(spread[3].Explain, want) {
		t.Errorf("D explain %s", spread[3].Explain)
	}

	// Overrides above the total: the others get nothing, the gap is negative.
	in[0].Override = ptr(12_000_000)
	lines, rep, err = planner.AllocateQuotas(in, s)
	if err != nil || rep.Gap != -2_000_000 || rep.Allocated != 0 || lines[1].Quota != 0 {
		t.Errorf("over-override: %+v %v %v", rep, quotas(lines), err)
	}
}

// TestSeasonality: $1,000,000 in quarters 20/25/25/30 from January,
// rounded to $1,000 by cumulative rounding. Cumulative exacts in thousands:
// 66.67, 133.33, 200, 283.33, 366.67, 450, 533.33, 616.67, 700, 800, 900,
// 1000 round to 67, 133, 200, 283, 367, 450, 533, 617, 700, ...: months are
// their differences, and each quarter is its exact share.
func TestSeasonality(t *testing.T) {
	season := planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.January)
	q := planner.QuarterlyQuota(1_000_000, season, time.January, 1000)
	if q != [4]float64{200_000, 250_000, 250_000, 300_000} {
		t.Errorf("quarters %v", q)
	}
	m := planner.MonthlyQuota(1_000_000, season, time.January, 1000)
	want := [12]float64{67_000, 66_000, 67_000, 83_000, 84_000, 83_000, 83_000, 84_000, 83_000, 100_000, 100_000, 100_000}
	if m != want {
		t.Errorf("months %v", m)
	}

	// A calendar season (Jan..Dec) for a fiscal year from April: fiscal
	// quarters are Apr-Jun 30%, Jul-Sep 15%, Oct-Dec 35%, Jan-Mar 20%.
	// 123,456.78 is no whole number of $1,000, so cents are used: quarter
	// exacts 37,037.034, 18,518.517, 43,209.873, 24,691.356.
	cal := [12]float64{5, 5, 10, 10, 10, 10, 5, 5, 5, 10, 10, 15}
	s := baseSettings()
	s.Season = cal
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	q = planner.QuarterlyQuota(123_456.78, cal, time.April, 1000)
	if !sameFloats(q[:], []float64{37_037.03, 18_518.52, 43_209.87, 24_691.36}) {
		t.Errorf("April quarters %v", q)
	}
	m = planner.MonthlyQuota(123_456.78, cal, time.April, 1000)
	checkSplit(t, 123_456.78, q, m)
	// First fiscal month April is 10% of the year: 12,345.68 (Q1 split 1:1:1
	// is 12,345.676..., the first month takes the extra cent).
	if math.Abs(m[0]-12_345.68) > 1e-9 || math.Abs(m[11]-12_345.68) > 1e-6 {
		t.Errorf("April %v, March %v", m[0], m[11])
	}
}

// checkSplit checks that quarters sum to annual and months to quarters.
func checkSplit(t *testing.T, annual float64, q [4]float64, m [12]float64) {
	t.Helper()
	if math.Abs(q[0]+q[1]+q[2]+q[3]-annual) > 1e-6 {
		t.Errorf("quarters %v sum to %v, not %v", q, q[0]+q[1]+q[2]+q[3], annual)
	}
	for j := 0; j < 4; j++ {
		if math.Abs(m[3*j]+m[3*j+1]+m[3*j+2]-q[j]) > 1e-6 {
			t.Errorf("quarter %d: months %v do not sum to %v", j+1, m[3*j:3*j+3], q[j])
		}
	}
}

// TestProratedQuota: a rep starting on 20 May 2026 (the fifth month of a
// fiscal year from January) with the ramp {0, .25, .5, .75, 1}.
// Equal months of 100,000 (annual 1,200,000): May 0, Jun .25, Jul .5,
// Aug .75, Sep-Dec 1 → 100,000 × 5.5 = 550,000.
// Quarters 20/25/25/30 (months 80k Jan-Mar, 100k Apr-Sep, 120k Oct-Dec):
// 0 + 25,000 + 50,000 + 75,000 + 100,000 + 3 × 120,000 = 610,000.
func TestProratedQuota(t *testing.T) {
	ramp := planner.RampSchedule{0, .25, .5, .75, 1}
	start := time.Date(2026, time.May, 20, 0, 0, 0, 0, time.UTC)
	var even [12]float64
	if got := planner.ProratedQuota(1_200_000, even, time.January, start, 2026, ramp); got != 550_000 {
		t.Errorf("even months: %v", got)
	}
	season := planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.January)
	if got := planner.ProratedQuota(1_200_000, season, time.January, start, 2026, ramp); math.Abs(got-610_000) > 1e-6 {
		t.Errorf("seasonal: %v", got)
	}
	// In place before the year: full quota; starting after it: none.
	if got := planner.ProratedQuota(1_200_000, even, time.January, time.Time{}, 2026, ramp); got != 1_200_000 {
		t.Errorf("zero start: %v", got)
	}
	if got := planner.ProratedQuota(1_200_000, even, time.January, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 2026, ramp); got != 0 {
		t.Errorf("next year: %v", got)
	}
	// A vacancy filled in November 2025 for FY 2026 from February
	// (Feb 2026 - Jan 2027): February is month 3 (.75), then full:
	// 100,000 × (.75 + 11) = 1,175,000.
	if got := planner.ProratedQuota(1_200_000, even, time.February, time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC), 2026, ramp); got != 1_175_000 {
		t.Errorf("FY from February: %v", got)
	}
	if ramp.Factor(-1) != 0 || ramp.Factor(2) != .5 || ramp.Factor(9) != 1 || ramp.Validate() != nil {
		t.Error("factor")
	}
	if err := (planner.RampSchedule{0, 1.5}).Validate(); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("ramp 150%%: %v", err)
	}
}

// TestRollUp: territories 1, 2 → region 100; 3, 4 → region 200 (25%
// over-assigned); both regions → company 999 (10% over-assigned).
// Region 100: 3M + 2.5M = 5.5M. Region 200: (4M + 1.5M) ÷ 1.25 = 4.4M.
// Company: (5.5M + 4.4M) ÷ 1.1 = 9M.
func TestRollUp(t *testing.T) {
	lines := []planner.QuotaLine{{TerritoryID: 1, Quota: 3_000_000}, {TerritoryID: 2, Quota: 2_500_000},
		{TerritoryID: 3, Quota: 4_000_000}, {TerritoryID: 4, Quota: 1_500_000}}
	parent := map[int64]int64{1: 100, 2: 100, 3: 200, 4: 200, 100: 999, 200: 999}
	roll, err := planner.RollUp(lines, parent, map[int64]float64{200: 25, 999: 10}, "USD")
	if err != nil {
		t.Fatal(err)
	}
	if len(roll) != 3 || roll[0].ID != 100 || roll[1].ID != 200 || roll[2].ID != 999 {
		t.Fatalf("roll-up %+v", roll)
	}
	if roll[0].Quota != 5_500_000 || roll[1].Sum != 5_500_000 || roll[1].Quota != 4_400_000 || roll[2].Sum != 9_900_000 || roll[2].Quota != 9_000_000 {
		t.Errorf("quotas %+v", roll)
	}
	if roll[2].Explain != "sum of 2 children $9,900,000 ÷ (1 + 10% over-assignment) = $9,000,000" || roll[0].Explain != "sum of 2 children $5,500,000" {
		t.Errorf("explain %q / %q", roll[2].Explain, roll[0].Explain)
	}
	if len(roll[2].Children) != 2 || roll[2].Children[0] != 100 {
		t.Errorf("children %v", roll[2].Children)
	}
	if _, err := planner.RollUp(lines, map[int64]int64{1: 100, 100: 200, 200: 100}, nil, ""); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("cycle: %v", err)
	}
	if _, err := planner.RollUp(lines, map[int64]int64{1: 2}, nil, ""); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("territory as parent: %v", err)
	}
}

func TestQuotaErrors(t *testing.T) {
	in := []planner.QuotaInput{{TerritoryID: 1, Name: "A", Potential: 1}}
	for name, change := range map[string]func(*planner.QuotaSettings){
		"season 90":        func(s *planner.QuotaSettings) { s.Season = [12]float64{10, 10, 10, 10, 10, 10, 10, 10, 10} },
		"negative season":  func(s *planner.QuotaSettings) { s.Season = [12]float64{110, -10} },
		"negative target":  func(s *planner.QuotaSettings) { s.Target = -1 },
		"NaN target":       func(s *planner.QuotaSettings) { s.Target = math.NaN() },
		"weights 0":        func(s *planner.QuotaSettings) { s.WeightPotential, s.WeightHistory = 0, 0 },
		"negative weight":  func(s *planner.QuotaSettings) { s.WeightHistory = -1 },
		"floor > ceiling":  func(s *planner.QuotaSettings) { s.FloorPct, s.CeilingPct = 10, 5 },
		"month 0":          func(s *planner.QuotaSettings) { s.StartMonth = 0 },
		"currency":         func(s *planner.QuotaSettings) { s.Currency = "dollars" },
		"over-assign -100": func(s *planner.QuotaSettings) { s.OverAssignPct = -100 },
		"rounding":         func(s *planner.QuotaSettings) { s.Rounding = -5 },
	} {
		s := baseSettings()
		change(&s)
		if _, _, err := planner.AllocateQuotas(in, s); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	s := baseSettings()
	s.Season = [12]float64{10, 10, 10, 10, 10, 10, 10, 10, 10}
	if msg := planner.ErrorMessage(s.Validate()); msg != "The season percentages add up to 90%, not 100%" {
		t.Errorf("message %q", msg)
	}
	s = baseSettings()
	for name, in := range map[string][]planner.QuotaInput{
		"empty":              nil,
		"duplicate":          {{TerritoryID: 1}, {TerritoryID: 1}},
		"negative potential": {{TerritoryID: 1, Potential: -1}},
		"NaN last year":      {{TerritoryID: 1, LastYear: planner.Known(math.NaN())}},
		"negative override":  {{TerritoryID: 1, Override: ptr(-1)}},
	} {
		if _, _, err := planner.AllocateQuotas(in, s); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for _, c := range []struct {
		v    float64
		cur  string
		want string
	}{{44_000_000, "USD", "$44,000,000"}, {-1234.5, "USD", "-$1,234.50"}, {1000, "CHF", "CHF 1,000"},
		{999.999, "", "1,000"}, {0.05, "EUR", "€0.05"}, {-0.001, "USD", "$0"}} {
		if got := planner.FormatMoney(c.v, c.cur); got != c.want {
			t.Errorf("FormatMoney(%v, %q) = %q, want %q", c.v, c.cur, got, c.want)
		}
	}
}

// TestAllocateQuotasProperty: for random plans, every allocated quota is a
// whole number of rounding units, and the lines plus the gap sum to the
// total; without floors and ceilings the gap is 0.
func TestAllocateQuotasProperty(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	for c := 0; c < 2000; c++ {
		s := baseSettings()
		s.Target = math.Round(r.Float64() * 1e8)
		s.OverAssignPct = float64(r.Intn(30))
		s.Rounding = []float64{0, 1, 1000, 5000, 100_000}[r.Intn(5)]
		s.WeightPotential, s.WeightHistory = float64(r.Intn(3)), float64(1+r.Intn(3))
		limits := r.Intn(2) == 0
		if !limits {
			s.FloorPct, s.CeilingPct = 0, 0
		}
		n := 1 + r.Intn(12)
		in := make([]planner.QuotaInput, n)
		overrides := false
		for i := range in {
			in[i] = planner.QuotaInput{TerritoryID: int64(i + 1), Potential: float64(r.Intn(1000))}
			if r.Intn(4) > 0 {
				in[i].LastYear = planner.Known(math.Round(r.Float64() * 2e7))
			}
			if r.Intn(10) == 0 {
				in[i].Override = ptr(float64(r.Intn(100)) * s.Rounding)
				overrides = true
			}
		}
		lines, rep, err := planner.AllocateQuotas(in, s)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		u := math.Max(s.Rounding, 0.01)
		for _, l := range lines {
			sum += l.Quota
			if k := l.Quota / u; !l.Overridden && math.Abs(k-math.Round(k)) > 1e-6 {
				t.Fatalf("case %d: quota %v is not a whole number of %v", c, l.Quota, u)
			}
			if l.Quota < 0 {
				t.Fatalf("case %d: negative quota %v", c, l.Quota)
			}
			if !l.Overridden && math.Abs(l.Quota-l.Unrounded) >= u*(1+1e-9) {
				t.Fatalf("case %d: rounded %v from %v", c, l.Quota, l.Unrounded)
			}
			if ly := l.LastYear.Value; limits && !l.Overridden && l.LastYear.Known && ly > 0 &&
				(l.Unrounded < ly*0.9*(1-1e-9) || l.Unrounded > ly*1.25*(1+1e-9)) {
				t.Fatalf("case %d: %v outside the limits of last year %v", c, l.Unrounded, ly)
			}
		}
		tol := 1e-6 * math.Max(1, rep.Total)
		if math.Abs(sum+rep.Gap-rep.Total) > tol {
			t.Fatalf("case %d: Σ %v + gap %v ≠ total %v", c, sum, rep.Gap, rep.Total)
		}
		free := len(lines)
		for _, l := range lines {
			if l.Overridden {
				free--
			}
		}
		if !limits && free > 0 && rep.Gap != 0 && !(overrides && rep.Overridden > rep.Total) {
			t.Fatalf("case %d: gap %v without limits, %+v, %v", c, rep.Gap, rep, quotas(lines))
		}
		if math.Abs(rep.Total-s.QuotaTotal()) > 0 {
			t.Fatalf("case %d: total %v", c, rep.Total)
		}

		// Set one line by hand, then spread the gap: without limits it
		// closes whenever another line can take it.
		if free < 2 || limits || overrides {
			continue
		}
		k := r.Intn(n)
		lines[k].Quota, lines[k].Overridden = float64(r.Intn(1000))*u, true
		spread, rep, err := planner.SpreadGap(lines, s)
		if err != nil {
			t.Fatal(err)
		}
		sum = 0
		for _, l := range spread {
			sum += l.Quota
		}
		if math.Abs(sum+rep.Gap-rep.Total) > tol || (rep.Gap != 0 && rep.Overridden <= rep.Total) {
			t.Fatalf("case %d: spread Σ %v, %+v", c, sum, rep)
		}
	}
}

// FuzzMonthlyQuota: the months sum to their quarters and the quarters to
// the annual quota for any amount, season and start month.
func FuzzMonthlyQuota(f *testing.F) {
	f.Add(1_000_000.0, 20.0, 25.0, 25.0, 30.0, uint8(1), 1000.0)
	f.Add(123_456.78, 0.0, 0.0, 0.0, 100.0, uint8(4), 1000.0)
	f.Add(99.99, 1.0, 2.0, 3.0, 94.0, uint8(12), 0.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, uint8(7), 5.0)
	f.Add(1_000_001.0, 20.0, 25.0, 25.0, 30.0, uint8(1), 1000.0) // not whole thousands: cents
	f.Fuzz(func(t *testing.T, annual, q1, q2, q3, q4 float64, start uint8, unit float64) {
		if math.IsNaN(annual) || math.IsInf(annual, 0) || math.Abs(annual) > 1e11 {
			return
		}
		annual = math.Round(annual*100) / 100
		for _, q := range []float64{q1, q2, q3, q4} {
			if math.IsNaN(q) || q < 0 || q > 1e6 {
				return
			}
		}
		if math.IsNaN(unit) || unit > 1e9 {
			return
		}
		sm := time.Month(int(start)%12 + 1)
		season := planner.QuarterSeason([4]float64{q1, q2, q3, q4}, sm)
		q := planner.QuarterlyQuota(annual, season, sm, unit)
		m := planner.MonthlyQuota(annual, season, sm, unit)
		checkSplit(t, annual, q, m)
	})
}

// BenchmarkAllocateQuotas allocates to 2,000 territories with floors and
// ceilings that hold many of them (several redistribution rounds).
func BenchmarkAllocateQuotas(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	in := make([]planner.QuotaInput, 2000)
	for i := range in {
		in[i] = planner.QuotaInput{TerritoryID: int64(i + 1), Potential: float64(1 + r.Intn(1000)),
			LastYear: planner.Known(float64(1 + r.Intn(100_000)))}
	}
	s := baseSettings()
	s.Target = 100_000_000
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := planner.AllocateQuotas(in, s); err != nil {
			b.Fatal(err)
		}
	}
}

// Amounts past MaxAmount, and a rounding unit above the target, are
// refused before any allocation (a target of 1e25 used to run for ever).
func TestQuotaLimits(t *testing.T) {
	s := baseSettings()
	s.Target = 1e25
	if err := s.Validate(); err == nil || !strings.Contains(planner.ErrorMessage(err), "check the number of zeros") {
		t.Errorf("target 1e25: %v", err)
	}
	s = baseSettings()
	s.Rounding = s.Target * 2
	if err := s.Validate(); err == nil || !strings.Contains(planner.ErrorMessage(err), "larger than the company target") {
		t.Errorf("rounding above target: %v", err)
	}
	big := 1e14
	_, _, err := planner.AllocateQuotas([]planner.QuotaInput{{TerritoryID: 1, Name: "A", Override: &big}}, baseSettings())
	if err == nil || !strings.Contains(planner.ErrorMessage(err), "at most") {
		t.Errorf("override 1e14: %v", err)
	}
}
