package planner

import (
	"math"
	"strconv"
	"strings"
)

// Quantity is a number summed per territory that territories are balanced
// on.
type Quantity int

// The quantities a plan can be balanced on. Workload (visits and travel
// hours) comes with the workload model of the reps and quotas work.
const (
	// QuantityUnits counts geography units.
	QuantityUnits Quantity = iota
	// QuantityAccounts counts accounts.
	QuantityAccounts
	// QuantityPopulation sums the units' known population (people).
	QuantityPopulation
	// QuantityPotential sums the accounts' known potential, in the plan's
	// PotentialName unit.
	QuantityPotential
	// QuantityWorkload sums the hours a year of visits and travel that the
	// plan's workload model (Plan.Workload) gives each unit's accounts,
	// with travel measured within the unit (from the centroid of its
	// accounts: WorkloadModel.UnitWorkload with no scenario), so that a
	// unit carries the same hours whichever territory it is in and the
	// optimizer's sums are the report's. TerritoryWorkload's capacity
	// figures add the trip from the rep's home base. Available only when
	// the plan has a workload model; accounts given to a territory by a
	// drawn boundary count in their unit.
	QuantityWorkload
)

// QuantityField is the first quantity of a custom field: QuantityField + i
// sums, over the accounts, the numeric custom field p.CustomFields[i] (see
// [FieldQuantity]), e.g. the staff count of an imported hospital file.
const QuantityField Quantity = 1000

// FieldQuantity returns the quantity that sums custom field i of a plan
// (an index into Plan.CustomFields).
func FieldQuantity(i int) Quantity { return QuantityField + Quantity(i) }

// FieldIndex returns the custom field index of a field quantity, and false
// for the built-in quantities.
func (q Quantity) FieldIndex() (int, bool) {
	if q >= QuantityField {
		return int(q - QuantityField), true
	}
	return 0, false
}

// Quantities lists every built-in Quantity in display order.
var Quantities = []Quantity{QuantityAccounts, QuantityPotential, QuantityPopulation, QuantityUnits}

// PlanQuantities lists the quantities plan p can be balanced on: the
// built-in ones, workload when the plan has a workload model, then one per
// numeric custom field (CustomField.Numeric), in field order. p may be nil.
func PlanQuantities(p *Plan) []Quantity {
	out := append([]Quantity(nil), Quantities...)
	if p != nil && p.Workload != nil {
		out = append(out, QuantityWorkload)
	}
	if p != nil {
		for i, f := range p.CustomFields {
			if f.Numeric {
				out = append(out, FieldQuantity(i))
			}
		}
	}
	return out
}

// Name returns the quantity's name for people, using the plan's
// PotentialName for potential (e.g. "Potential (Beds)") and the field's
// name for a custom field; p may be nil.
func (q Quantity) Name(p *Plan) string {
	if i, ok := q.FieldIndex(); ok {
		if p != nil && i < len(p.CustomFields) {
			return p.CustomFields[i].Name
		}
		return "Field " + strconv.Itoa(i+1)
	}
	switch q {
	case QuantityUnits:
		if p != nil && p.UnitLevel != "" {
			return p.UnitLevel + " count"
		}
		return "Units"
	case QuantityAccounts:
		return "Accounts"
	case QuantityWorkload:
		return "Workload (hours)"
	case QuantityPopulation:
		return "Population"
	case QuantityPotential:
		if p != nil && p.PotentialName != "" {
			return "Potential (" + p.PotentialName + ")"
		}
		return "Potential"
	}
	return "?"
}

// Key returns the quantity's short name for files and command lines:
// "units", "accounts", "population" or "potential".
func (q Quantity) Key() string {
	switch q {
	case QuantityUnits:
		return "units"
	case QuantityAccounts:
		return "accounts"
	case QuantityPopulation:
		return "population"
	case QuantityPotential:
		return "potential"
	case QuantityWorkload:
		return "workload"
	}
	return ""
}

// KeyIn returns the quantity's short name in plan p: Key for the
// built-in quantities, the field's name for a custom field.
func (q Quantity) KeyIn(p *Plan) string {
	if _, ok := q.FieldIndex(); ok {
		return q.Name(p)
	}
	return q.Key()
}

// ParseQuantity returns the built-in quantity whose Key is s. The error
// (EINVALID) lists the keys.
func ParseQuantity(s string) (Quantity, error) {
	return ParseQuantityIn(nil, s)
}

// ParseQuantityIn returns the quantity of plan p whose key is s: the name
// of a numeric custom field spelled exactly, else a built-in Key (case
// ignored), else a custom field's name ignoring case. The error (EINVALID) lists the choices; a custom field
// that is not numeric is named as such.
func ParseQuantityIn(p *Plan, s string) (Quantity, error) {
	t := strings.TrimSpace(s)
	if p != nil {
		// A custom field spelled exactly as given wins over a built-in key
		// in another case: "POPULATION" is the file's column, "population"
		// the units' population.
		for i, f := range p.CustomFields {
			if f.Name == t && f.Numeric {
				return FieldQuantity(i), nil
			}
		}
	}
	for _, q := range Quantities {
		if strings.EqualFold(q.Key(), t) {
			return q, nil
		}
	}
	if strings.EqualFold(t, QuantityWorkload.Key()) {
		if p != nil && p.Workload == nil {
			return 0, Errorf(EINVALID, "The plan has no workload model yet, so workload cannot be balanced: set one with meridianctl workload --plan FILE --rule ...")
		}
		return QuantityWorkload, nil
	}
	choices := "accounts, potential, population or units"
	if p != nil {
		found := -1
		for i, f := range p.CustomFields {
			if f.Name == t || (found < 0 && strings.EqualFold(f.Name, t)) {
				found = i
			}
		}
		if found >= 0 {
			if !p.CustomFields[found].Numeric {
				return 0, Errorf(EINVALID, "%q is a custom field with text values; only numeric fields can be balanced", p.CustomFields[found].Name)
			}
			return FieldQuantity(found), nil
		}
		var names []string
		for _, q := range PlanQuantities(p)[len(Quantities):] {
			names = append(names, q.Name(p))
		}
		if len(names) > 0 {
			choices = "accounts, potential, population, units or a numeric field (" + strings.Join(names, ", ") + ")"
		}
	}
	return 0, Errorf(EINVALID, "%q is not a quantity to balance on: use %s", s, choices)
}

// fieldValue returns account a's value of numeric custom field i (stored
// as a plain decimal), and false when it is empty or not a number.
func fieldValue(a *Account, i int) (float64, bool) {
	if i >= len(a.Fields) || a.Fields[i] == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(a.Fields[i], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Of returns the quantity's value in totals t; 0 for a custom field, whose
// sums Totals do not hold (see [BalanceOf]).
func (q Quantity) Of(t Totals) float64 {
	switch q {
	case QuantityUnits:
		return float64(t.Units)
	case QuantityAccounts:
		return float64(t.Accounts)
	case QuantityPopulation:
		return t.Population
	case QuantityPotential:
		return t.Potential
	}
	return 0
}

// UnitValues returns the quantity per unit of p (indexed as p.Units):
// accounts and potential count the accounts located in each unit, except
// those that a named-account override or a drawn boundary of scenario s
// gives to a territory (see [Scenario.AccountTerritory]), and so do custom
// fields; s may be nil.
// Unknown values count as 0.
func (q Quantity) UnitValues(p *Plan, s *Scenario) []float64 {
	out := make([]float64, len(p.Units))
	if q == QuantityWorkload {
		if p.Workload == nil {
			return out
		}
		return p.Workload.UnitWorkload(p, nil) // additive: travel within each unit
	}
	fi, custom := q.FieldIndex()
	if custom {
		q = QuantityPotential // the accounts' walk below, summing the field
	}
	switch q {
	case QuantityUnits:
		for i := range out {
			out[i] = 1
		}
	case QuantityPopulation:
		for i, u := range p.Units {
			if u.Population.Known {
				out[i] = u.Population.Value
			}
		}
	case QuantityAccounts, QuantityPotential:
		idx := p.UnitIndex()
		var ds []drawn
		if s != nil {
			ds = s.drawnBoundaries()
		}
		for k := range p.Accounts {
			a := &p.Accounts[k]
			i, ok := idx[a.UnitCode]
			if !ok || s.fixedOwner(ds, a) != 0 {
				continue
			}
			switch {
			case custom:
				if v, ok := fieldValue(a, fi); ok {
					out[i] += v
				}
			case q == QuantityAccounts:
				out[i]++
			case a.Potential.Known:
				out[i] += a.Potential.Value
			}
		}
	}
	return out
}

// fieldTotals sets rows[·].Value[k] to each territory's sum of custom field
// fi over its accounts, as [ComputeMetrics] counts them: an account belongs
// to its drawn-boundary territory, else to its unit's.
func fieldTotals(p *Plan, s *Scenario, fi int, rows []BalanceRow, k int) {
	row := make(map[int64]int, len(rows))
	for i := range rows {
		row[rows[i].Territory.ID] = i
	}
	owner := s.AccountTerritories(p)
	for j := range p.Accounts {
		if v, ok := fieldValue(&p.Accounts[j], fi); ok {
			if i, ok := row[owner[j]]; ok {
				rows[i].Value[k] += v
			}
		}
	}
}

// ShapeMeasurer measures the shapes of groups of a plan's units on their
// adjacency graph; geo.Graph implements it. group[i] is the group (0..k-1)
// of unit i (as p.Units), or -1 for none.
type ShapeMeasurer interface {
	// Parts returns the number of connected parts of each group.
	Parts(group []int, k int) []int
	// PolsbyPopper returns each group's compactness 4πA/P² (Polsby and
	// Popper 1991), measured in an equal-area projection; 0 for a group
	// with no area.
	PolsbyPopper(group []int, k int) []float64
}

// BalanceRow is one territory's line in a [BalanceReport].
type BalanceRow struct {
	Territory Territory
	// Capacity is the territory's capacity in reps used for its targets
	// ([Territory.Capacity], 1 when unset).
	Capacity float64
	// Value, Target and Deviation hold one entry per quantity of the
	// report, in its order. Deviation is 100 × (value − target) / target
	// in percent, 0 when the target is 0.
	Value, Target, Deviation []float64
	// Parts is the number of connected pieces of the territory's units
	// (1 when contiguous, 0 when it has no unit); -1 when shapes were not
	// measured.
	Parts int
	// PolsbyPopper is the compactness 4πA/P² of the territory's units
	// (1 for a disc, π/4 for a square), NaN when not measured.
	PolsbyPopper float64
}

// BalanceReport describes how balanced a scenario's territories are on
// chosen quantities, and their shapes.
type BalanceReport struct {
	Quantities []Quantity
	// ByCapacity: targets are proportional to each territory's capacity
	// (total × capacity / Σ capacity) rather than the mean.
	ByCapacity bool
	Rows       []BalanceRow
	// MaxAbsDeviation (percent) and Spread ((max − min) / mean, in percent
	// of the mean; by capacity, of value per rep) per quantity.
	MaxAbsDeviation, Spread []float64
	// Contiguous counts territories in one piece; PolsbyPopperMean and
	// PolsbyPopperMin summarise the rows (NaN when shapes were not
	// measured or there is no territory).
	Contiguous                        int
	PolsbyPopperMean, PolsbyPopperMin float64
}

// AlignmentIndex returns, for each unit of p (as p.Units), the index in
// s.Territories of its territory, or -1 for white space.
func (s *Scenario) AlignmentIndex(p *Plan) []int {
	row := make(map[int64]int, len(s.Territories))
	for i, t := range s.Territories {
		row[t.ID] = i
	}
	out := make([]int, len(p.Units))
	for i, u := range p.Units {
		out[i] = -1
		if tid, ok := s.Alignment[u.Code]; ok {
			if r, ok := row[tid]; ok {
				out[i] = r
			}
		}
	}
	return out
}

// CapacityOf returns the territory's capacity in reps: Capacity when it is
// a positive finite number, else 1.
func (t Territory) CapacityOf() float64 {
	if t.Capacity > 0 && !math.IsInf(t.Capacity, 0) {
		return t.Capacity
	}
	return 1
}

// Balance reports scenario s of plan p on the quantities qs: per territory,
// value, target and deviation, and the plan's worst deviation and spread.
// Values come from [ComputeMetrics] (drawn boundaries count). Targets are the
// mean over the territories, or, with byCapacity, the total split in
// proportion to each territory's capacity ([Territory.CapacityOf]). shapes,
// when not nil, measures contiguity and Polsby-Popper compactness on the
// units' adjacency (see [ShapeMeasurer]).
func Balance(p *Plan, s *Scenario, qs []Quantity, byCapacity bool, shapes ShapeMeasurer) BalanceReport {
	return BalanceOf(p, s, ComputeMetrics(p, s), qs, byCapacity, shapes)
}

// BalanceOf is [Balance] from metrics m already computed for s by
// [ComputeMetrics], so that a caller that has them does not compute them
// twice.
func BalanceOf(p *Plan, s *Scenario, m Metrics, qs []Quantity, byCapacity bool, shapes ShapeMeasurer) BalanceReport {
	r := BalanceReport{Quantities: qs, ByCapacity: byCapacity, Rows: make([]BalanceRow, len(m.Territories)),
		MaxAbsDeviation: make([]float64, len(qs)), Spread: make([]float64, len(qs)),
		PolsbyPopperMean: math.NaN(), PolsbyPopperMin: math.NaN()}
	capSum := 0.0
	for i, tm := range m.Territories {
		row := &r.Rows[i]
		row.Territory = tm.Territory
		row.Capacity = 1
		if byCapacity {
			row.Capacity = tm.Territory.CapacityOf()
		}
		capSum += row.Capacity
		row.Value = make([]float64, len(qs))
		row.Target = make([]float64, len(qs))
		row.Deviation = make([]float64, len(qs))
		row.Parts = -1
		row.PolsbyPopper = math.NaN()
		for k, q := range qs {
			row.Value[k] = q.Of(tm.Totals)
		}
	}
	for k, q := range qs {
		if fi, ok := q.FieldIndex(); ok {
			fieldTotals(p, s, fi, r.Rows, k)
		}
		if q == QuantityWorkload && p.Workload != nil {
			// The sum of the units' values, as the optimizer sees it.
			vals := q.UnitValues(p, s)
			for i, g := range s.AlignmentIndex(p) {
				if g >= 0 && g < len(r.Rows) {
					r.Rows[g].Value[k] += vals[i]
				}
			}
		}
	}
	for k := range qs {
		total := 0.0
		for i := range r.Rows {
			total += r.Rows[i].Value[k]
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range r.Rows {
			row := &r.Rows[i]
			row.Target[k] = total * row.Capacity / capSum
			row.Deviation[k] = deviation(row.Value[k], row.Target[k])
			r.MaxAbsDeviation[k] = max(r.MaxAbsDeviation[k], math.Abs(row.Deviation[k]))
			perRep := row.Value[k] / row.Capacity
			lo, hi = min(lo, perRep), max(hi, perRep)
		}
		if mean := total / capSum; len(r.Rows) > 0 && mean != 0 {
			r.Spread[k] = 100 * (hi - lo) / mean
		}
	}
	if shapes != nil && len(r.Rows) > 0 {
		group := s.AlignmentIndex(p)
		parts := shapes.Parts(group, len(r.Rows))
		pp := shapes.PolsbyPopper(group, len(r.Rows))
		sum, n := 0.0, 0
		r.PolsbyPopperMin = math.Inf(1)
		for i := range r.Rows {
			if i < len(parts) {
				r.Rows[i].Parts = parts[i]
				if parts[i] == 1 {
					r.Contiguous++
				}
			}
			if i < len(pp) && parts[i] > 0 {
				r.Rows[i].PolsbyPopper = pp[i]
				sum += pp[i]
				n++
				r.PolsbyPopperMin = min(r.PolsbyPopperMin, pp[i])
			}
		}
		if n > 0 {
			r.PolsbyPopperMean = sum / float64(n)
		} else {
			r.PolsbyPopperMin = math.NaN()
		}
	}
	return r
}
