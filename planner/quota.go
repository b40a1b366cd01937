package planner

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// QuotaSettings are a plan's quota settings: the fiscal year, the company
// target and how it is split over territories, months and quarters.
//
// Money amounts are in Currency units (e.g. US dollars). Percentages are
// written as the user types them: 10 means 10%.
//
// The JSON form (field tags) is how plan files store the settings and
// meridianctl quota --json prints them.
type QuotaSettings struct {
	// FiscalYear is the calendar year in which the fiscal year begins: with
	// StartMonth February, FiscalYear 2026 runs from 1 February 2026 to
	// 31 January 2027. Between 1900 and 2200.
	FiscalYear int `json:"fiscal_year"`
	// StartMonth is the first month of the fiscal year (time.January to
	// time.December).
	StartMonth time.Month `json:"start_month"`
	// Currency is the ISO 4217 code of money amounts, e.g. "USD", or ""
	// for none. It only changes how amounts are written ("$1,000").
	Currency string `json:"currency"`
	// Target is the company target for the fiscal year, in Currency; >= 0.
	Target float64 `json:"target"`
	// OverAssignPct is the over-assignment in percent: territory quotas sum
	// to Target × (1 + OverAssignPct/100). Greater than -100.
	OverAssignPct float64 `json:"over_assign_pct"`
	// Rounding is the rounding unit of territory quotas in Currency, e.g.
	// 1000; 0 rounds to cents (0.01).
	Rounding float64 `json:"rounding"`
	// WeightPotential and WeightHistory weigh a territory's share of the
	// potential against its share of last year's actuals; they are
	// normalised (0.6 and 0.4, or 60 and 40, mean the same). Both >= 0,
	// not both 0.
	WeightPotential float64 `json:"weight_potential"`
	WeightHistory   float64 `json:"weight_history"`
	// FloorPct and CeilingPct limit a territory's change against last
	// year's actuals, in percent: -10 keeps a quota at or above 90% of last
	// year, +25 at or below 125%. 0 means no floor (no ceiling). Both
	// greater than -100, and FloorPct <= CeilingPct when both are set. They
	// apply only to territories whose last year is known and positive.
	FloorPct   float64 `json:"floor_pct"`
	CeilingPct float64 `json:"ceiling_pct"`
	// Season holds the percentage of the annual quota for each calendar
	// month, January first (Season[0] is January whatever StartMonth is);
	// each >= 0 and together 100. All zero means no seasonality (equal
	// months). [QuarterSeason] builds it from fiscal-quarter percentages.
	Season [12]float64 `json:"season"`
	// HistoryField names the numeric custom field of the accounts that
	// holds last year's sales, summed per territory for the weight of last
	// year and for floors and ceilings ([TerritoryHistory]); "" when none.
	HistoryField string `json:"history_field,omitempty"`
	// Ramp is the ramp of new reps' quotas by month since start (see
	// [RampSchedule]); empty means no ramp.
	Ramp RampSchedule `json:"ramp,omitempty"`
}

// MaxAmount is the largest money amount Meridian accepts for a target, a
// quota, an override or last year's sales, in any currency: 10 trillion.
// Below it, float64 keeps amounts exact to the cent (2^53 cents is about
// 90 trillion), which the rounding and the splits rely on; above it a
// figure is a typing error, not a plan.
const MaxAmount = 1e13

// seasonTolerance is how far from 100 the season percentages may add up,
// in percentage points (floating-point noise only).
const seasonTolerance = 1e-6

// Validate checks the settings and returns an *Error (EINVALID) that names
// the first setting that is wrong, in the user's words.
func (s QuotaSettings) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case s.FiscalYear < 1900 || s.FiscalYear > 2200:
		return Errorf(EINVALID, "The fiscal year %d is not a year between 1900 and 2200", s.FiscalYear)
	case s.StartMonth < time.January || s.StartMonth > time.December:
		return Errorf(EINVALID, "Choose the month in which the fiscal year starts")
	case !validCurrency(s.Currency):
		return Errorf(EINVALID, "The currency %q is not a three-letter code such as USD or EUR", s.Currency)
	case !finite(s.Target) || s.Target < 0:
		return Errorf(EINVALID, "The company target must be zero or more, not %s", formatMoney(s.Target, s.Currency))
	case s.Target > MaxAmount:
		return Errorf(EINVALID, "The company target of %g is more than Meridian handles (%s): check the number of zeros", s.Target, formatMoney(MaxAmount, s.Currency))
	case !finite(s.OverAssignPct) || s.OverAssignPct <= -100:
		return Errorf(EINVALID, "The over-assignment must be more than -100%%, not %g%%", s.OverAssignPct)
	case !finite(s.Rounding) || s.Rounding < 0:
		return Errorf(EINVALID, "The rounding unit must be zero (cents) or more, not %g", s.Rounding)
	case s.Rounding > 0 && s.Target > 0 && s.Rounding > s.Target:
		return Errorf(EINVALID, "The rounding unit %s is larger than the company target %s: quotas would be rounded to nothing or to more than the target", formatMoney(s.Rounding, s.Currency), formatMoney(s.Target, s.Currency))
	case !finite(s.WeightPotential) || s.WeightPotential < 0 || !finite(s.WeightHistory) || s.WeightHistory < 0:
		return Errorf(EINVALID, "The weights of potential and last year must be zero or more")
	case s.WeightPotential+s.WeightHistory == 0:
		return Errorf(EINVALID, "The weights of potential and last year are both zero: give at least one a weight")
	case !finite(s.FloorPct) || s.FloorPct <= -100:
		return Errorf(EINVALID, "The floor on change against last year must be more than -100%%, not %g%%", s.FloorPct)
	case !finite(s.CeilingPct) || s.CeilingPct <= -100:
		return Errorf(EINVALID, "The ceiling on change against last year must be more than -100%%, not %g%%", s.CeilingPct)
	case s.FloorPct != 0 && s.CeilingPct != 0 && s.FloorPct > s.CeilingPct:
		return Errorf(EINVALID, "The floor (%g%%) is above the ceiling (%g%%) on change against last year", s.FloorPct, s.CeilingPct)
	}
	if err := s.Ramp.Validate(); err != nil {
		return err
	}
	return validateSeason(s.Season)
}

func validCurrency(c string) bool {
	if c == "" {
		return true
	}
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

func validateSeason(season [12]float64) error {
	sum := 0.0
	for i, v := range season {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return Errorf(EINVALID, "The season percentage of %s must be zero or more, not %g%%", time.Month(i+1), v)
		}
		sum += v
	}
	if sum != 0 && math.Abs(sum-100) > seasonTolerance {
		return Errorf(EINVALID, "The season percentages add up to %s%%, not 100%%", trimFloat(sum))
	}
	return nil
}

// trimFloat writes v with up to 4 decimals and no trailing zeros.
func trimFloat(v float64) string {
	s := fmt.Sprintf("%.4f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// QuarterSeason turns four fiscal-quarter percentages (the first quarter
// starts in startMonth) into the calendar-month Season of [QuotaSettings]:
// each quarter's percentage is split equally over its three months. For
// example {20, 25, 25, 30} with January gives January to March 6.67% each.
// The result sums to the quarters' sum; validate it with the settings.
func QuarterSeason(quarters [4]float64, startMonth time.Month) [12]float64 {
	var s [12]float64
	for m := 0; m < 12; m++ {
		s[calendarIndex(startMonth, m)] = quarters[m/3] / 3
	}
	return s
}

// calendarIndex is the Season index (0 = January) of fiscal month m (0 =
// the first) for a fiscal year starting in start. A start outside 1-12 is
// read as January.
func calendarIndex(start time.Month, m int) int {
	if start < time.January || start > time.December {
		start = time.January
	}
	return (int(start) - 1 + m) % 12
}

// SeasonShares returns the season (percentages by calendar month, January
// first, as in [QuotaSettings]) as shares of 1 in fiscal order: index 0 is
// start, the first fiscal month; Season[month] ÷ Σ Season, or 1/12 each
// when the season is all zero (or unusable). [CumulativeSeason] is its
// running sum; the Excel plan's Settings sheet writes it.
func SeasonShares(season [12]float64, start time.Month) [12]float64 {
	var f [12]float64
	sum := 0.0
	for _, v := range season {
		if v > 0 && !math.IsInf(v, 0) {
			sum += v
		}
	}
	for m := 0; m < 12; m++ {
		v := season[calendarIndex(start, m)]
		switch {
		case sum == 0:
			f[m] = 1.0 / 12
		case v > 0 && !math.IsInf(v, 0):
			f[m] = v / sum
		}
	}
	return f
}

// QuotaInput is one territory's data for quota allocation.
type QuotaInput struct {
	TerritoryID int64  // the territory's ID, unique in the input
	Name        string // the territory's name, used in messages
	// Potential is the territory's potential (the sum of its accounts'
	// known potential), in the plan's PotentialName unit; >= 0.
	Potential float64
	// LastYear is the territory's actual sales last year in Currency, >= 0
	// when known; Unknown for a new territory.
	LastYear Measure
	// Override is a quota set by hand in Currency (>= 0), kept as given;
	// nil when the quota is allocated.
	Override *float64
}

// QuotaBound says which limit, if any, fixed a territory's quota.
type QuotaBound int

// The limits on an allocated quota.
const (
	BoundNone    QuotaBound = iota // the quota is the territory's share
	BoundCeiling                   // held at the ceiling on change against last year
	BoundFloor                     // held at the floor on change against last year
	BoundZero                      // held at zero (a negative gap took the rest)
)

// String returns "none", "ceiling", "floor" or "zero".
func (b QuotaBound) String() string {
	switch b {
	case BoundCeiling:
		return "ceiling"
	case BoundFloor:
		return "floor"
	case BoundZero:
		return "zero"
	default:
		return "none"
	}
}

// QuotaLine is one territory's quota and how it was computed.
type QuotaLine struct {
	TerritoryID int64
	Name        string
	Potential   float64 // as given, in the plan's PotentialName unit
	LastYear    Measure // as given, in Currency
	// Overridden is true when Quota was set by hand and is kept as given.
	Overridden bool
	// PotentialShare is the territory's fraction (0 to 1) of the potential
	// of the territories that are not overridden; 0 for overridden ones.
	PotentialShare float64
	// HistoryShare is the territory's fraction (0 to 1) of last year's
	// actuals of the non-overridden territories whose last year is known;
	// Unknown when its own last year is unknown.
	HistoryShare Measure
	// Share is the territory's fraction (0 to 1) of the amount left after
	// overrides: the weighted mix of PotentialShare and HistoryShare
	// (PotentialShare alone without last year), normalised so that the
	// shares of the non-overridden territories sum to 1.
	Share float64
	// Unrounded is the quota before rounding, after floors and ceilings,
	// in Currency.
	Unrounded float64
	// Bound says whether a floor, ceiling or zero held the quota.
	Bound QuotaBound
	// Quota is the territory's annual quota in Currency, a multiple of the
	// rounding unit unless overridden.
	Quota float64
	// Explain says how Quota was computed, in the user's words, e.g.
	// "60% × potential share 23.1% + 40% × last-year share 20.4% = 22.0%
	// of $44,000,000 = $9,680,000; capped at +25% of last year
	// ($9,000,000); rounded to $1,000: $9,000,000".
	Explain string
}

// AllocationReport sums an allocation. All amounts are in Currency.
type AllocationReport struct {
	// Total is what the quotas should sum to: Target × (1 +
	// OverAssignPct/100), rounded to the rounding unit.
	Total float64
	// Overridden is the sum of the quotas set by hand.
	Overridden float64
	// Allocated is the sum of the other quotas.
	Allocated float64
	// Gap is Total − Overridden − Allocated: positive when the quotas
	// fall short of the total, negative when they exceed it. It is 0 after
	// [AllocateQuotas] unless overrides exceed the total, every territory
	// is overridden or held at a floor or ceiling, or overrides are not
	// whole rounding units; [SpreadGap] spreads it.
	Gap float64
}

// unit returns the rounding unit, 0.01 for 0.
func (s QuotaSettings) unit() float64 {
	if s.Rounding > 0 {
		return s.Rounding
	}
	return 0.01
}

// QuotaTotal returns Target × (1 + OverAssignPct/100) rounded to the
// nearest rounding unit (cents when Rounding is 0), in Currency.
func (s QuotaSettings) QuotaTotal() float64 {
	u := s.unit()
	return unitsValue(math.Round(s.Target*(1+s.OverAssignPct/100)/u), u)
}

// unitsValue returns k rounding units as an amount; cents are computed as
// k/100 so that the result is the nearest float64 to the decimal amount.
func unitsValue(k float64, u float64) float64 {
	if u == 0.01 {
		return k / 100
	}
	return k * u
}

// AllocateQuotas allocates the quota total (Target × (1 +
// OverAssignPct/100), rounded to the rounding unit) to territories, top
// down. It returns one line per input, in input order, and the report.
//
// The method:
//  1. Overrides are kept as given. The other territories share the rest,
//     total − Σ overrides (zero if the overrides exceed the total).
//  2. Each one's share is wP × its share of their potential + wH × its
//     share of their last-year actuals (among those whose last year is
//     known), with the weights normalised to wP + wH = 1. A territory
//     without last year uses its potential share alone. The shares are
//     then normalised to sum to 1 (they sum to more when some territory
//     has no last year). If all are zero, the shares are equal.
//  3. Floors and ceilings on change against last year are applied
//     iteratively: the quotas outside their limits are held at them, and
//     what a ceiling removes (or a floor adds) is redistributed over the
//     others in proportion to their shares, until none is outside. When
//     ceilings remove more than floors add, only ceilings are applied in
//     that round (and vice versa), so that every limit held is one the
//     final quotas need: the result is the unique x_i = clamp(λ·share_i,
//     floor_i, ceiling_i) with Σ x_i equal to the amount shared (the
//     water-filling solution of a capped proportional allocation).
//  4. The quotas are rounded to the rounding unit by the largest remainder
//     (Hamilton) method: each is rounded down, and the units still missing
//     from the rounded sum go one each to the largest remainders (ties to
//     the earlier line), so that the rounded quotas sum exactly to the
//     rounded amount shared. One refinement keeps the limits where the
//     units allow: quotas held at a floor (and not already a whole number
//     of units) get their extra unit before all others, and quotas held at a ceiling after all others. Otherwise a
//     quota held at a limit may end less than one rounding unit past it.
//
// Errors (*Error, EINVALID): invalid settings (see [QuotaSettings.Validate]),
// no territories, a duplicate territory ID, or a negative or non-finite
// potential, last year or override.
func AllocateQuotas(in []QuotaInput, s QuotaSettings) ([]QuotaLine, AllocationReport, error) {
	if err := s.Validate(); err != nil {
		return nil, AllocationReport{}, err
	}
	if len(in) == 0 {
		return nil, AllocationReport{}, Errorf(EINVALID, "There are no territories to allocate quotas to")
	}
	seen := make(map[int64]bool, len(in))
	for _, t := range in {
		if seen[t.TerritoryID] {
			return nil, AllocationReport{}, Errorf(EINVALID, "Territory %q (ID %d) is listed twice", t.Name, t.TerritoryID)
		}
		seen[t.TerritoryID] = true
		if bad(t.Potential) {
			return nil, AllocationReport{}, Errorf(EINVALID, "Territory %q has a potential of %g: it must be zero or more", t.Name, t.Potential)
		}
		if t.LastYear.Known && badAmount(t.LastYear.Value) {
			return nil, AllocationReport{}, Errorf(EINVALID, "Territory %q has last-year sales of %g: they must be zero or more, and at most %g", t.Name, t.LastYear.Value, MaxAmount)
		}
		if t.Override != nil && badAmount(*t.Override) {
			return nil, AllocationReport{}, Errorf(EINVALID, "Territory %q has a quota set by hand of %g: it must be zero or more, and at most %g", t.Name, *t.Override, MaxAmount)
		}
	}

	total := s.QuotaTotal()
	lines := make([]QuotaLine, len(in))
	overridden := 0.0
	var free []int
	var sumPot, sumHist float64
	for i, t := range in {
		lines[i] = QuotaLine{TerritoryID: t.TerritoryID, Name: t.Name, Potential: t.Potential, LastYear: t.LastYear}
		if t.Override != nil {
			lines[i].Overridden = true
			lines[i].Quota = *t.Override
			lines[i].Unrounded = *t.Override
			lines[i].Explain = "set by hand to " + formatMoney(*t.Override, s.Currency)
			overridden += *t.Override
			continue
		}
		free = append(free, i)
		sumPot += t.Potential
		if t.LastYear.Known {
			sumHist += t.LastYear.Value
		}
	}
	pool := math.Max(0, total-overridden)

	wP := s.WeightPotential / (s.WeightPotential + s.WeightHistory)
	wH := 1 - wP
	mix := make([]float64, len(in))
	sumMix := 0.0
	noHistory := 0
	for _, i := range free {
		l := &lines[i]
		if sumPot > 0 {
			l.PotentialShare = l.Potential / sumPot
		}
		if l.LastYear.Known {
			h := 0.0
			if sumHist > 0 {
				h = l.LastYear.Value / sumHist
			}
			l.HistoryShare = Known(h)
			mix[i] = wP*l.PotentialShare + wH*h
		} else {
			noHistory++
			mix[i] = l.PotentialShare
		}
		sumMix += mix[i]
	}
	equal := sumMix == 0
	for _, i := range free {
		if equal {
			lines[i].Share = 1 / float64(len(free))
		} else {
			lines[i].Share = mix[i] / sumMix
		}
	}

	x := distributeFree(lines, free, pool, s, nil)
	roundFree(lines, free, x, s)
	for _, i := range free {
		lines[i].Explain = explainShare(&lines[i], mix[i], sumMix, noHistory, equal, wP, wH, pool, s) +
			explainBoundAndRounding(&lines[i], lines[i].Share*pool, s)
	}
	return lines, ReportQuotas(lines, s), nil
}

// bad reports whether v is negative, NaN or infinite.
func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }

// badAmount reports a money amount that is not finite, negative, or above
// MaxAmount.
func badAmount(v float64) bool { return bad(v) || v > MaxAmount }

// quotaLimits returns the lower and upper limits of line l's quota and
// the kind of the lower one.
func quotaLimits(l *QuotaLine, s QuotaSettings) (lo, hi float64, loKind QuotaBound) {
	lo, hi, loKind = 0, math.Inf(1), BoundZero
	if l.LastYear.Known && l.LastYear.Value > 0 {
		if s.FloorPct != 0 {
			if f := l.LastYear.Value * (1 + s.FloorPct/100); f > 0 {
				lo, loKind = f, BoundFloor
			}
		}
		if s.CeilingPct != 0 {
			hi = l.LastYear.Value * (1 + s.CeilingPct/100)
		}
	}
	return lo, hi, loKind
}

// distributeFree sets Unrounded and Bound of the free lines to base_i +
// λ·Share_i held within their limits, summing to Σ base + amount when the
// limits allow (step 3 of [AllocateQuotas]); base nil means zeros. It
// returns the unrounded values indexed like lines.
func distributeFree(lines []QuotaLine, free []int, amount float64, s QuotaSettings, base []float64) []float64 {
	n := len(lines)
	x := make([]float64, n)
	lo := make([]float64, n)
	hi := make([]float64, n)
	loKind := make([]QuotaBound, n)
	b := func(i int) float64 {
		if base == nil {
			return 0
		}
		return base[i]
	}
	want := amount
	var active []int
	for _, i := range free {
		lo[i], hi[i], loKind[i] = quotaLimits(&lines[i], s)
		want += b(i)
		lines[i].Bound = BoundNone
		if lines[i].Share > 0 {
			active = append(active, i)
			continue
		}
		// No share: the quota stays at its base, within its limits.
		x[i] = b(i)
		if x[i] > hi[i] {
			x[i], lines[i].Bound = hi[i], BoundCeiling
		} else if x[i] < lo[i] {
			x[i], lines[i].Bound = lo[i], loKind[i]
		}
	}
	tol := 1e-9 * math.Max(1, math.Abs(want))
	for len(active) > 0 {
		rest := want
		w := 0.0
		for _, i := range free {
			if lines[i].Share <= 0 || lines[i].Bound != BoundNone {
				rest -= x[i]
			}
		}
		for _, i := range active {
			rest -= b(i)
			w += lines[i].Share
		}
		lambda := rest / w
		excess, deficit := 0.0, 0.0
		for _, i := range active {
			x[i] = b(i) + lambda*lines[i].Share
			excess += math.Max(0, x[i]-hi[i])
			deficit += math.Max(0, lo[i]-x[i])
		}
		if excess <= tol && deficit <= tol {
			break
		}
		next := active[:0:0]
		for _, i := range active {
			switch {
			case x[i]-hi[i] > tol && excess >= deficit-tol:
				x[i], lines[i].Bound = hi[i], BoundCeiling
			case lo[i]-x[i] > tol && deficit >= excess-tol:
				x[i], lines[i].Bound = lo[i], loKind[i]
			default:
				next = append(next, i)
			}
		}
		if len(next) == len(active) {
			break // only violations within tolerance remain
		}
		active = next
	}
	for _, i := range free {
		lines[i].Unrounded = x[i]
	}
	return x
}

// roundFree rounds the free lines' unrounded values x to the rounding unit
// by the largest remainder method (step 4 of [AllocateQuotas]) and sets
// their Quota.
func roundFree(lines []QuotaLine, free []int, x []float64, s QuotaSettings) {
	if len(free) == 0 {
		return
	}
	u := s.unit()
	vals := make([]float64, len(free))
	rank := make([]int, len(free))
	sum := 0.0
	for k, i := range free {
		vals[k] = x[i]
		sum += x[i]
		switch lines[i].Bound {
		case BoundFloor:
			if q := x[i] / u; math.Abs(q-math.Round(q)) > unitsEps(q) {
				rank[k] = 0 // needs its unit to stay at or above the floor
			} else {
				rank[k] = 1
			}
		case BoundCeiling:
			rank[k] = 2 // rounded down, it stays at or below the ceiling
		default:
			rank[k] = 1
		}
	}
	units := largestRemainder(vals, u, math.Round(sum/u), rank)
	for k, i := range free {
		lines[i].Quota = unitsValue(units[k], u)
	}
}

// unitsEps is the floating-point noise tolerated in a count of q rounding
// units (or an amount q): 14,999.999999998 counts as 15.
func unitsEps(q float64) float64 { return 1e-9 + 1e-12*math.Abs(q) }

// largestRemainder apportions n whole units of size u over the values
// vals (each >= 0) by the largest remainder (Hamilton) method: each value
// gets floor(v/u) units, then the units still missing go one each to the
// largest remainders, ties to the earlier value (or, when the floors
// already exceed n, units are taken from the smallest remainders). When
// rank is not nil, values of lower rank come first whatever their
// remainder. It returns the unit counts, which sum to n.
func largestRemainder(vals []float64, u, n float64, rank []int) []float64 {
	k := make([]float64, len(vals))
	rem := make([]float64, len(vals))
	sum := 0.0
	for i, v := range vals {
		q := v / u
		k[i] = math.Floor(q + unitsEps(q))
		rem[i] = math.Max(0, q-k[i])
		sum += k[i]
	}
	order := make([]int, len(vals))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if rank != nil && rank[i] != rank[j] {
			return rank[i] < rank[j]
		}
		return rem[i] > rem[j]
	})
	extra := n - sum
	for j := 0; extra > 0 && len(order) > 0; j = (j + 1) % len(order) {
		k[order[j]]++
		extra--
	}
	for extra < 0 {
		changed := false
		for j := len(order) - 1; j >= 0 && extra < 0; j-- {
			if i := order[j]; k[i] > 0 {
				k[i]--
				extra++
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return k
}

// ReportQuotas sums lines against the settings' quota total: the report
// after overrides set by hand (see [AllocationReport]).
func ReportQuotas(lines []QuotaLine, s QuotaSettings) AllocationReport {
	r := AllocationReport{Total: s.QuotaTotal()}
	for _, l := range lines {
		if l.Overridden {
			r.Overridden += l.Quota
		} else {
			r.Allocated += l.Quota
		}
	}
	r.Gap = r.Total - r.Overridden - r.Allocated
	if math.Abs(r.Gap) < unitsEps(r.Total) {
		r.Gap = 0
	}
	return r
}

// SpreadGap spreads the gap between the quota total and the sum of the
// lines (see [ReportQuotas]) over the lines not overridden, after quotas
// were set by hand: each gets its current quota plus the gap in proportion
// to its Share, within the floors and ceilings (what they hold back is
// redistributed as in [AllocateQuotas]) and never below zero, then the
// spread lines are rounded to the rounding unit by the largest remainder
// method so that all lines sum to the total. Overridden lines are kept. It
// returns new lines (the input is not changed) and their report, whose Gap
// is 0 unless the limits or overrides leave no room.
//
// Errors (*Error, EINVALID): invalid settings.
func SpreadGap(lines []QuotaLine, s QuotaSettings) ([]QuotaLine, AllocationReport, error) {
	if err := s.Validate(); err != nil {
		return nil, AllocationReport{}, err
	}
	out := append([]QuotaLine(nil), lines...)
	gap := ReportQuotas(out, s).Gap
	var free []int
	base := make([]float64, len(out))
	sumShare := 0.0
	for i := range out {
		if !out[i].Overridden {
			free = append(free, i)
			base[i] = out[i].Quota
			sumShare += out[i].Share
		}
	}
	if gap == 0 || len(free) == 0 {
		return out, ReportQuotas(out, s), nil
	}
	if sumShare <= 0 {
		for _, i := range free {
			out[i].Share = 1 / float64(len(free))
		}
	}
	sumFree := 0.0
	for _, i := range free {
		sumFree += out[i].Share
	}
	x := distributeFree(out, free, gap, s, base)
	roundFree(out, free, x, s)
	for _, i := range free {
		l := &out[i]
		d := formatMoney(x[i]-base[i], s.Currency)
		if x[i] >= base[i] {
			d = "+" + d
		}
		l.Explain = fmt.Sprintf("%s; then %s from the gap of %s (%s of it, by share): %s", l.Explain,
			d, formatMoney(gap, s.Currency), formatPct(l.Share/sumFree), formatMoney(x[i], s.Currency))
		if l.Bound != BoundNone {
			lo, hi, _ := quotaLimits(l, s)
			l.Explain += "; " + boundText(l, lo, hi, s)
		}
		l.Explain += fmt.Sprintf("; rounded to %s: %s", formatMoney(s.unit(), s.Currency), formatMoney(l.Quota, s.Currency))
	}
	return out, ReportQuotas(out, s), nil
}

// explainShare writes how line l's share of the pool was computed.
func explainShare(l *QuotaLine, mix, sumMix float64, noHistory int, equal bool, wP, wH, pool float64, s QuotaSettings) string {
	var b strings.Builder
	of := " of " + formatMoney(pool, s.Currency)
	switch {
	case equal:
		fmt.Fprintf(&b, "no potential or last year to share by: an equal share %s", formatPct(l.Share))
	case !l.LastYear.Known:
		fmt.Fprintf(&b, "no last year: potential share %s", formatPct(l.PotentialShare))
	case wH == 0:
		fmt.Fprintf(&b, "potential share %s", formatPct(l.PotentialShare))
	case wP == 0:
		fmt.Fprintf(&b, "last-year share %s", formatPct(l.HistoryShare.Value))
	default:
		fmt.Fprintf(&b, "%s × potential share %s + %s × last-year share %s = %s",
			formatPct(wP), formatPct(l.PotentialShare), formatPct(wH), formatPct(l.HistoryShare.Value), formatPct(mix))
	}
	if !equal && math.Abs(sumMix-1) > 1e-12 {
		fmt.Fprintf(&b, ", %s once shares are rescaled to add up to 100%%", formatPct(l.Share))
		if noHistory > 0 {
			fmt.Fprintf(&b, " (%d %s no last year)", noHistory, plural(noHistory, "territory has", "territories have"))
		}
	}
	b.WriteString(of + " = " + formatMoney(l.Share*pool, s.Currency))
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// explainBoundAndRounding writes what happened to line l after its share
// (worth share in Currency): redistribution, limits and rounding.
func explainBoundAndRounding(l *QuotaLine, share float64, s QuotaSettings) string {
	var b strings.Builder
	lo, hi, _ := quotaLimits(l, s)
	if l.Bound != BoundNone {
		b.WriteString("; " + boundText(l, lo, hi, s))
	} else if d := l.Unrounded - share; math.Abs(d) >= 0.005 {
		verb := "plus"
		if d < 0 {
			verb = "less"
		}
		fmt.Fprintf(&b, "; %s %s redistributed from territories held at a floor or ceiling: %s",
			verb, formatMoney(math.Abs(d), s.Currency), formatMoney(l.Unrounded, s.Currency))
	}
	fmt.Fprintf(&b, "; rounded to %s: %s", formatMoney(s.unit(), s.Currency), formatMoney(l.Quota, s.Currency))
	return b.String()
}

// boundText says which limit holds line l.
func boundText(l *QuotaLine, lo, hi float64, s QuotaSettings) string {
	switch l.Bound {
	case BoundCeiling:
		return fmt.Sprintf("capped at %s of last year (%s)", formatSignedPct(s.CeilingPct), formatMoney(hi, s.Currency))
	case BoundFloor:
		return fmt.Sprintf("raised to the floor of %s of last year (%s)", formatSignedPct(s.FloorPct), formatMoney(lo, s.Currency))
	case BoundZero:
		return "held at " + formatMoney(0, s.Currency)
	}
	return ""
}

// formatPct writes a fraction as a percentage with one decimal: 0.2314 →
// "23.1%".
func formatPct(f float64) string {
	return trimFloat(math.Round(f*1000)/10) + "%"
}

// formatSignedPct writes a percentage with its sign: 25 → "+25%", -10 →
// "−10%".
func formatSignedPct(p float64) string {
	if p < 0 {
		return "−" + trimFloat(-p) + "%"
	}
	return "+" + trimFloat(p) + "%"
}

// currencySymbols are the symbols written before amounts of common
// currencies; others are written as "CHF 1,000".
var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "CA$", "AUD": "A$"}

// FormatMoney writes an amount of currency (an ISO 4217 code, or "" for
// none) for people: "$44,000,000", "-$1,234.50", "CHF 1,000", "1,000".
// Cents are shown only when the amount has them (after rounding to cents).
func FormatMoney(v float64, currency string) string { return formatMoney(v, currency) }

func formatMoney(v float64, currency string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	cents := math.Round(v * 100)
	whole := math.Floor(cents / 100)
	frac := cents - whole*100
	digits := fmt.Sprintf("%.0f", whole)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != 0 {
		fmt.Fprintf(&b, ".%02.0f", frac)
	}
	if sign == "-" && whole == 0 && frac == 0 {
		sign = ""
	}
	sym, ok := currencySymbols[currency]
	switch {
	case ok:
		return sign + sym + b.String()
	case currency != "":
		return sign + currency + " " + b.String()
	}
	return sign + b.String()
}

// SplitUnit returns the unit [MonthlyQuota] rounds the months of annual
// to, in currency: u (the rounding unit; 0.01 for 0), or cents (0.01) when
// annual is not a whole number of u, to within 1e-9 + 1e-12 × |annual/u|
// units. The Excel plan's "Split unit" formula computes the same.
func SplitUnit(annual, u float64) float64 {
	if u <= 0 || math.IsNaN(u) || math.IsInf(u, 0) {
		return 0.01
	}
	q := annual / u
	if math.Abs(q-math.Round(q)) > unitsEps(q) {
		return 0.01
	}
	return u
}

// QuarterlyQuota splits an annual quota (in Currency) into the four fiscal
// quarters (the first starts in startMonth) by the season's percentages
// (calendar months, January first, as in [QuotaSettings]; all zero means
// equal months). It is the sum of [MonthlyQuota]'s three months of each
// quarter, so the quarters sum exactly to annual. A non-finite annual
// gives zeros.
func QuarterlyQuota(annual float64, season [12]float64, startMonth time.Month, unit float64) [4]float64 {
	var q [4]float64
	m := MonthlyQuota(annual, season, startMonth, unit)
	for i := range m {
		q[i/3] += m[i]
	}
	for i := range q {
		q[i] = math.Round(q[i]*100) / 100 // the sum of whole cents, without float noise
	}
	return q
}

// MonthlyQuota splits an annual quota (in Currency) into the twelve fiscal
// months, in fiscal order (index 0 is startMonth), by the season's
// percentages (calendar months, January first; all zero means equal
// months), rounded to unit (0 means cents; cents too when annual is not a
// whole number of unit) by cumulative rounding: with C(k) the season's
// share of the first k fiscal months (C(0) = 0, C(12) = 1), month k is
//
//	unit × round(annual × C(k+1) / unit) − unit × round(annual × C(k) / unit)
//
// so that the months sum exactly to annual, any run of months (a quarter)
// to the same rounding of its cumulative share, and each month is within
// one unit of its exact share. It is the form a spreadsheet can compute
// cell by cell from the annual quota and the cumulative shares (the Excel
// plan's Territories sheet does), and equal to it to the cent: before
// rounding, annual × C(k) / unit is taken to 9 decimals, so that
// floating-point noise cannot tip a half unit either way. Rounding is half
// away from zero, as Excel's and LibreOffice's ROUND. A non-finite annual
// gives zeros.
func MonthlyQuota(annual float64, season [12]float64, startMonth time.Month, unit float64) [12]float64 {
	var out [12]float64
	if math.IsNaN(annual) || math.IsInf(annual, 0) {
		return out
	}
	u := SplitUnit(annual, unit)
	cum := CumulativeSeason(season, startMonth)
	prev := 0.0
	for k := 0; k < 12; k++ {
		next := annual
		if k < 11 {
			next = RoundUnits(annual*cum[k]/u) * u
		}
		out[k] = math.Round((next-prev)*100) / 100
		prev = next
	}
	return out
}

// CumulativeSeason returns C(1)..C(12) of [MonthlyQuota]: the fraction (0
// to 1) of the annual quota due by the end of each fiscal month, the first
// being startMonth; C(12) is exactly 1. An all-zero season gives equal
// months (k/12).
func CumulativeSeason(season [12]float64, startMonth time.Month) [12]float64 {
	f := SeasonShares(season, startMonth)
	var c [12]float64
	sum := 0.0
	for k := 0; k < 12; k++ {
		sum += f[k]
		c[k] = sum
	}
	c[11] = 1
	return c
}

// RoundUnits rounds x to the nearest whole number, half away from zero,
// after taking it to 9 decimals (see [MonthlyQuota]): the spreadsheet
// formula ROUND(ROUND(x, 9), 0).
func RoundUnits(x float64) float64 {
	return math.Round(math.Round(x*1e9) / 1e9)
}

// RampSchedule is the fraction (0 to 1) of full quota a new rep carries in
// each month since their start: element 0 is the month in which they
// start, element 1 the next, and so on; every month after the last
// element carries 1 (full quota). For example {0, 0.25, 0.5, 0.75, 1}.
// An empty schedule means no ramp.
type RampSchedule []float64

// Validate returns an *Error (EINVALID) when a fraction is not between 0
// and 1.
func (r RampSchedule) Validate() error {
	for i, f := range r {
		if math.IsNaN(f) || f < 0 || f > 1 {
			return Errorf(EINVALID, "The ramp for month %d since start is %g%%: it must be between 0%% and 100%%", i+1, f*100)
		}
	}
	return nil
}

// Factor returns the fraction of full quota for the month monthsSinceStart
// (0 = the month of the start): 0 before the start, the schedule's
// element, or 1 after it. Out-of-range elements are clamped to 0..1 (NaN
// reads as 0).
func (r RampSchedule) Factor(monthsSinceStart int) float64 {
	switch {
	case monthsSinceStart < 0:
		return 0
	case monthsSinceStart >= len(r):
		return 1
	}
	f := r[monthsSinceStart]
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	return math.Min(f, 1)
}

// ProratedQuota returns the part of an annual quota (in Currency) that a
// rep starting on repStart carries in fiscal year fy (which starts on the
// first of fiscalStart in calendar year fy, as in [QuotaSettings]): the
// sum over the twelve fiscal months of the month's quota (annual × its
// season percentage, unrounded; all-zero season means equal months) times
// ramp.Factor(months since the start), rounded to cents.
//
// Convention: months are counted by calendar month, whatever the day: the
// month in which the rep starts is month 0 (a rep starting on 20 May has
// May as month 0 and June as month 1), and months before it carry 0. A
// zero repStart (time.Time{}) is a rep in place long before the year: full
// quota. For a vacancy, pass its planned start date.
func ProratedQuota(annual float64, season [12]float64, fiscalStart time.Month, repStart time.Time, fy int, ramp RampSchedule) float64 {
	if math.IsNaN(annual) || math.IsInf(annual, 0) {
		return 0
	}
	f := SeasonShares(season, fiscalStart)
	start := repStart.Year()*12 + int(repStart.Month()) - 1
	if fiscalStart < time.January || fiscalStart > time.December {
		fiscalStart = time.January
	}
	first := fy*12 + int(fiscalStart) - 1
	sum := 0.0
	for m := 0; m < 12; m++ {
		sum += annual * f[m] * ramp.Factor(first+m-start)
	}
	return math.Round(sum*100) / 100
}

// RollUpLine is the quota of a parent of territories (a region or a
// manager): the sum of its children's quotas, less its over-assignment.
type RollUpLine struct {
	ID       int64   // the parent's ID, as in parentOf
	Children []int64 // its direct children (territories or parents), ascending
	// Sum is the sum of the children's quotas, in Currency.
	Sum float64
	// OverAssignPct is the parent's over-assignment in percent (0 when
	// not set): its children's quotas sum to its quota × (1 +
	// OverAssignPct/100).
	OverAssignPct float64
	// Quota is Sum ÷ (1 + OverAssignPct/100), rounded to cents, in
	// Currency.
	Quota float64
	// Explain says how Quota was computed, e.g. "sum of 3 children
	// $11,000,000 ÷ (1 + 10% over-assignment) = $10,000,000".
	Explain string
}

// RollUp computes the quotas of the parents of territories: parentOf maps
// a child's ID (a territory's ID from lines, or a parent's own ID for
// several levels, e.g. region → area) to its parent's ID; overAssign gives
// a parent's over-assignment in percent where set. A parent's quota is the
// sum of its children's quotas divided by 1 + its over-assignment/100: by
// the usual sales-planning definition, over-assignment means the children
// carry more than the parent, just as territory quotas sum to Target × (1 +
// OverAssignPct/100) in [AllocateQuotas]. So rolling up all territories to
// one root with the company's over-assignment gives back the Target. The
// lines are sorted by parent ID; currency (ISO 4217) formats Explain.
//
// Errors (*Error, EINVALID): a cycle in parentOf, a territory in lines
// that is also a parent, or an over-assignment of -100% or less or not
// finite.
func RollUp(lines []QuotaLine, parentOf map[int64]int64, overAssign map[int64]float64, currency string) ([]RollUpLine, error) {
	quota := make(map[int64]float64, len(lines))
	for _, l := range lines {
		quota[l.TerritoryID] = l.Quota
	}
	children := map[int64][]int64{}
	for c, p := range parentOf {
		if _, ok := quota[p]; ok {
			return nil, Errorf(EINVALID, "Territory %d cannot contain other territories or regions", p)
		}
		children[p] = append(children[p], c)
	}
	for p, oa := range overAssign {
		if math.IsNaN(oa) || math.IsInf(oa, 0) || oa <= -100 {
			return nil, Errorf(EINVALID, "The over-assignment of %d must be more than -100%%, not %g%%", p, oa)
		}
	}
	// Cycles: follow each chain up; a chain longer than the map is a loop.
	for c := range parentOf {
		at, steps := c, 0
		for {
			p, ok := parentOf[at]
			if !ok {
				break
			}
			if steps++; steps > len(parentOf) {
				return nil, Errorf(EINVALID, "The hierarchy loops: %d is among its own parents", c)
			}
			at = p
		}
	}
	ids := make([]int64, 0, len(children))
	for p := range children {
		ids = append(ids, p)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	out := make(map[int64]*RollUpLine, len(ids))
	var compute func(id int64) float64
	compute = func(id int64) float64 {
		if q, ok := quota[id]; ok {
			return q
		}
		if r, ok := out[id]; ok {
			return r.Quota
		}
		kids := append([]int64(nil), children[id]...)
		sort.Slice(kids, func(a, b int) bool { return kids[a] < kids[b] })
		r := &RollUpLine{ID: id, Children: kids, OverAssignPct: overAssign[id]}
		for _, k := range kids {
			r.Sum += compute(k)
		}
		r.Quota = math.Round(r.Sum/(1+r.OverAssignPct/100)*100) / 100
		r.Explain = fmt.Sprintf("sum of %d %s %s", len(kids), plural(len(kids), "child", "children"), formatMoney(r.Sum, currency))
		if r.OverAssignPct != 0 {
			r.Explain += fmt.Sprintf(" ÷ (1 + %s%% over-assignment) = %s", trimFloat(r.OverAssignPct), formatMoney(r.Quota, currency))
		}
		out[id] = r
		return r.Quota
	}
	res := make([]RollUpLine, 0, len(ids))
	for _, id := range ids {
		compute(id)
		res = append(res, *out[id])
	}
	return res, nil
}
