package xlsx

import (
	"fmt"
	"strconv"
)

// The quarterly and monthly quotas of the Territories sheet are formulas of
// the row's annual quota A, its split unit U (the visible "Split unit"
// column) and the Settings sheet's cumulative season shares C(1)..C(12)
// (C(k): the share of the year due by the end of fiscal month k; C(0) = 0,
// C(12) = 1). They compute planner.MonthlyQuota and planner.QuarterlyQuota
// (cumulative rounding) cell by cell, with the same floating-point
// operations in the same order:
//
//	month k   = U×ROUND(ROUND(A×C(k+1)/U,9),0) − U×ROUND(ROUND(A×C(k)/U,9),0)
//	last month = A − U×ROUND(ROUND(A×C(11)/U,9),0)
//	quarter j = U×ROUND(ROUND(A×C(3j+3)/U,9),0) − U×ROUND(ROUND(A×C(3j)/U,9),0)
//	Q4        = A − U×ROUND(ROUND(A×C(9)/U,9),0)
//
// where a C(0) term is left out (it is 0). U is planner's seasonUnit: the
// rounding unit, or 0.01 when the rounding unit is 0 or A is not a whole
// number of it to within 1e-9 + 1e-12×|A/rounding| units (planner's
// unitsEps). ROUND(x,9) first takes out floating-point noise, so that a
// half unit is a tie that ROUND's half-away-from-zero settles as
// planner.RoundUnits does.

// splitRefs names the cells the split formulas of one row use.
type splitRefs struct {
	annual   string     // the annual quota, e.g. "$N2"
	rounding string     // the rounding unit, e.g. "Settings!$B$8"
	unit     string     // the row's split unit, e.g. "$Q2"
	cum      [12]string // C(1)..C(12), e.g. "Settings!$B$31"
}

// Formulas of the split, without the leading "=".

// unitFormula is the row's split unit.
func (r *splitRefs) unitFormula() string {
	q := r.annual + "/" + r.rounding
	return fmt.Sprintf("IF(%[1]s<=0,0.01,IF(ABS(%[2]s-ROUND(%[2]s,0))<=1E-9+1E-12*ABS(%[2]s),%[1]s,0.01))", r.rounding, q)
}

// upTo is the amount due by the end of fiscal month k (1 to 11), rounded
// to the split unit.
func (r *splitRefs) upTo(k int) string {
	return fmt.Sprintf("%[1]s*ROUND(ROUND(%[2]s*%[3]s/%[1]s,9),0)", r.unit, r.annual, r.cum[k-1])
}

// between is the amount due from the end of fiscal month from (0 to 11) to
// the end of month to (from+1 to 12).
func (r *splitRefs) between(from, to int) string {
	switch {
	case from == 0 && to == 12:
		return r.annual
	case from == 0:
		return r.upTo(to)
	case to == 12:
		return r.annual + "-" + r.upTo(from)
	}
	return r.upTo(to) + "-" + r.upTo(from)
}

// monthFormula is fiscal month m's quota (0 = the first).
func (r *splitRefs) monthFormula(m int) string { return r.between(m, m+1) }

// quarterFormula is fiscal quarter j's quota (0 = Q1).
func (r *splitRefs) quarterFormula(j int) string { return r.between(3*j, 3*j+3) }

// cumulativeFormula is the Settings cell of C(k) (1 to 11): C(1) is the
// first month's season share, C(k) C(k−1) plus month k's share, so that
// it is planner.CumulativeSeason's running sum, operation for operation.
// C(12) is the constant 1.
func cumulativeFormula(k int) string {
	share := "B" + strconv.Itoa(setSeason0+k-1)
	if k == 1 {
		return share
	}
	return "B" + strconv.Itoa(setCumulative0+k-2) + "+" + share
}
