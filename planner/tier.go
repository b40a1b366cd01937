package planner

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// quantileTolerance is how far above 100 the shares of a quantile tiering
// may add up, in percentage points (floating-point noise of 33.3 + 33.3 +
// 33.4 and the like).
const quantileTolerance = 1e-9

// DefaultTiering returns the usual ABC tiering of a segment's members by
// metric (e.g. "Potential" or "Beds"): by quantile, the top 20% of the
// members with a known metric as tier A, the next 30% as B and the last
// 50% as C.
func DefaultTiering(metric string) *Tiering {
	return &Tiering{
		Metric:     metric,
		ByQuantile: true,
		Tiers:      []Tier{{Name: "A", Value: 20}, {Name: "B", Value: 30}, {Name: "C", Value: 50}},
	}
}

// CheckTiering checks the form of a tiering; nil (no tiers) is valid. A
// tiering names a metric and has 1 to MaxTiers tiers with unique (case-
// insensitive), non-empty names and finite values. By quantile, each
// Value is a share in percent from 0 to 100 and the shares add up to at
// most 100 (members beyond the listed shares get no tier, so give the last
// tier the rest, e.g. 20, 30, 50, to tier everyone); by threshold, the
// Values strictly decrease from the top tier. Whether the metric is a
// numeric field of the plan is checked by [Plan.SegmentMembers]. The error
// is an *Error with code EINVALID whose message starts in lower case, for
// the caller to prefix with the segment.
func CheckTiering(t *Tiering) error {
	if t == nil {
		return nil
	}
	if strings.TrimSpace(t.Metric) == "" {
		return Errorf(EINVALID, "the tiers name no metric to rank members by (e.g. Potential)")
	}
	if len(t.Tiers) == 0 || len(t.Tiers) > MaxTiers {
		return Errorf(EINVALID, "there are %d tiers; a segment has 1 to %d tiers", len(t.Tiers), MaxTiers)
	}
	sum := 0.0
	for i, x := range t.Tiers {
		if strings.TrimSpace(x.Name) == "" {
			return Errorf(EINVALID, "tier %d has no name", i+1)
		}
		for _, y := range t.Tiers[:i] {
			if SameScenarioName(x.Name, y.Name) {
				return Errorf(EINVALID, "two tiers are called %q", x.Name)
			}
		}
		if math.IsNaN(x.Value) || math.IsInf(x.Value, 0) {
			return Errorf(EINVALID, "tier %q has no valid value (%v)", x.Name, x.Value)
		}
		if t.ByQuantile {
			if x.Value < 0 || x.Value > 100 {
				return Errorf(EINVALID, "tier %q has a share of %s%%; a share is from 0%% to 100%%", x.Name, trimFloat(x.Value))
			}
			sum += x.Value
		} else if i > 0 && !(x.Value < t.Tiers[i-1].Value) {
			return Errorf(EINVALID, "tier %q has threshold %s, which is not below tier %q's %s; thresholds decrease from the top tier",
				x.Name, trimFloat(x.Value), t.Tiers[i-1].Name, trimFloat(t.Tiers[i-1].Value))
		}
	}
	if t.ByQuantile && sum > 100+quantileTolerance {
		return Errorf(EINVALID, "the tiers' shares add up to %s%%; they may add up to at most 100%%", trimFloat(sum))
	}
	return nil
}

// Membership is the result of evaluating a segment on a plan, aligned with
// Plan.Accounts.
type Membership struct {
	// In[i] says whether p.Accounts[i] is in the segment.
	In []bool
	// Tier[i] is the index into Tiering.Tiers of account i's tier, or -1
	// when the segment has no tiering, the account is not a member, or its
	// metric is unknown (or, by quantile, it falls beyond shares that add
	// up to less than 100; by threshold, below the last threshold).
	Tier []int8
	// Members counts the true values of In.
	Members int
	// TierSizes[k] counts the accounts in tier k; nil without tiering.
	TierSizes []int
	// NoMetric counts the members whose tiering metric is empty or
	// unknown (they get no tier); the other members without a tier fall
	// below the last threshold or beyond the listed quantile shares. 0
	// without tiering.
	NoMetric int
}

// SegmentMembers evaluates segment g on p: which accounts satisfy its rule
// (see [Plan.MatchRule] for the semantics), and, when g.Tiers is set, each
// member's tier.
//
// The tiering metric must be the potential (Potential or p.PotentialName)
// or a custom field that holds numbers: one marked Numeric, or one whose
// every non-empty value among the segment's members reads as a plain
// decimal number (so a rule can leave out the accounts with "N/A"). A
// member whose metric is empty or unknown gets no tier.
//
//   - By threshold, a member is in the first tier whose Value is at most
//     its metric.
//   - By quantile, the n members with a known metric are sorted by metric,
//     largest first, equal metrics in account order (a stable sort). With
//     C(k) the sum of the shares of the tiers above tier k, tier k holds
//     the members at sorted positions round(n·C(k)/100) (inclusive) to
//     round(n·C(k+1)/100) (exclusive): cumulative rounding (math.Round,
//     halves away from zero), so the sizes add up to exactly n when the
//     shares add up to 100. Members with equal metrics at a boundary are
//     split by account order rather than kept together, which keeps the
//     sizes exact. When the shares add up to less than 100 the members
//     past the last tier get no tier.
//
// Errors are *Error with code EINVALID whose message starts with the
// segment's name: g is nil; the rule does not parse (see [ParseRule]);
// the rule names a field p does not have (the message lists p's fields,
// see [Plan.RuleFields]); the tiering is malformed (see [CheckTiering]);
// the metric is not a numeric field.
//
// The rule's fields are bound once; the loop over accounts does not
// allocate. Tiering by quantile sorts the members (O(n log n)).
func (p *Plan) SegmentMembers(g *Segment) (Membership, error) {
	if g == nil {
		return Membership{}, Errorf(EINVALID, "No segment was given")
	}
	r, err := ParseRule(g.Rule)
	if err != nil {
		return Membership{}, Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
	}
	c, err := p.compile(r)
	if err != nil {
		return Membership{}, Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
	}
	if err := CheckTiering(g.Tiers); err != nil {
		return Membership{}, Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
	}
	n := len(p.Accounts)
	m := Membership{In: make([]bool, n), Tier: make([]int8, n)}
	for i := range p.Accounts {
		in := c.eval(&p.Accounts[i])
		m.In[i] = in
		if in {
			m.Members++
		}
		m.Tier[i] = -1
	}
	if g.Tiers == nil {
		return m, nil
	}
	metric, err := p.tierMetric(g.Tiers.Metric, m.In)
	if err != nil {
		return Membership{}, Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
	}
	m.TierSizes = make([]int, len(g.Tiers.Tiers))
	for i := range p.Accounts {
		if m.In[i] {
			if _, ok := metric.value(&p.Accounts[i]); !ok {
				m.NoMetric++
			}
		}
	}
	if g.Tiers.ByQuantile {
		p.tierByQuantile(g.Tiers, metric, &m)
	} else {
		for i := range p.Accounts {
			if !m.In[i] {
				continue
			}
			v, ok := metric.value(&p.Accounts[i])
			if !ok {
				continue
			}
			for k, t := range g.Tiers.Tiers {
				if t.Value <= v {
					m.Tier[i] = int8(k)
					m.TierSizes[k]++
					break
				}
			}
		}
	}
	return m, nil
}

// value returns the metric of account a, and whether it is known: the
// potential, or a custom field read by parseNum.
func (f fieldRef) value(a *Account) (float64, bool) {
	if f.kind == fieldPotential {
		v := a.Potential.Value
		return v, a.Potential.Known && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return parseNum(f.text(a))
}

// tierMetric binds a tiering's metric to a numeric field of p (see
// [Plan.SegmentMembers]); in marks the members whose values are checked.
func (p *Plan) tierMetric(name string, in []bool) (fieldRef, error) {
	f, ok := p.resolveField(strings.TrimSpace(name))
	if !ok {
		return fieldRef{}, Errorf(EINVALID, "the tiers rank members by %q, which is not a field of this plan; fields: %s",
			name, strings.Join(p.RuleFields(), ", "))
	}
	pot := p.builtinDisplay(p.PotentialName, "Potential")
	switch {
	case f.kind == fieldPotential:
		return f, nil
	case f.kind != fieldCustom:
		return fieldRef{}, Errorf(EINVALID, "the tiers rank members by %q, which is not a number; rank them by %s or a numeric custom field", name, pot)
	case p.CustomFields[f.index].Numeric:
		return f, nil
	}
	for i := range p.Accounts {
		if !in[i] {
			continue
		}
		a := &p.Accounts[i]
		if s := strings.TrimSpace(f.text(a)); s != "" {
			if _, ok := parseNum(s); !ok {
				return fieldRef{}, Errorf(EINVALID, "the tiers rank members by %q, which is not a number for account %q (%q); rank them by %s or a numeric custom field, or leave such accounts out of the segment",
					name, a.Name, s, pot)
			}
		}
	}
	return f, nil
}

// tierByQuantile assigns the quantile tiers of t to m's members by metric
// (see [Plan.SegmentMembers]).
func (p *Plan) tierByQuantile(t *Tiering, metric fieldRef, m *Membership) {
	type ranked struct {
		v float64
		i int
	}
	list := make([]ranked, 0, m.Members)
	for i := range p.Accounts {
		if m.In[i] {
			if v, ok := metric.value(&p.Accounts[i]); ok {
				list = append(list, ranked{v, i})
			}
		}
	}
	slices.SortFunc(list, func(a, b ranked) int {
		if c := cmp.Compare(b.v, a.v); c != 0 {
			return c
		}
		return a.i - b.i
	})
	n := len(list)
	cum, lo := 0.0, 0
	for k, x := range t.Tiers {
		cum += x.Value
		hi := int(math.Round(float64(n) * cum / 100))
		if k == len(t.Tiers)-1 && math.Abs(cum-100) <= quantileTolerance {
			hi = n
		}
		hi = min(max(hi, lo), n)
		for _, r := range list[lo:hi] {
			m.Tier[r.i] = int8(k)
		}
		m.TierSizes[k] = hi - lo
		lo = hi
	}
}

// QuantileThresholds returns, for segment g tiered by quantile, the
// thresholds that split its members the same way: for each tier, the
// smallest metric value among its members (in the metric's unit), so that
// a tiering by threshold with these values puts each member with a
// distinct value in the same tier (members tied with the one at a
// boundary may move up). A tier with no member takes the threshold of the
// tier below it (0 for the last tier). It returns the errors of
// [Plan.SegmentMembers], and an *Error EINVALID when g is not tiered by
// quantile.
func QuantileThresholds(p *Plan, g *Segment) ([]float64, error) {
	if g == nil || g.Tiers == nil || !g.Tiers.ByQuantile {
		return nil, Errorf(EINVALID, "Thresholds come from a tiering by quantile")
	}
	m, err := p.SegmentMembers(g)
	if err != nil {
		return nil, err
	}
	metric, err := p.tierMetric(g.Tiers.Metric, m.In)
	if err != nil {
		return nil, Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
	}
	k := len(g.Tiers.Tiers)
	low := make([]float64, k)
	seen := make([]bool, k)
	for i := range p.Accounts {
		t := m.Tier[i]
		if t < 0 {
			continue
		}
		v, ok := metric.value(&p.Accounts[i])
		if ok && (!seen[t] || v < low[t]) {
			low[t], seen[t] = v, true
		}
	}
	for t := k - 1; t >= 0; t-- {
		if !seen[t] {
			if t == k-1 {
				low[t] = 0
			} else {
				low[t] = low[t+1]
			}
		}
	}
	return low, nil
}
