package balance

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/meridianplan/meridian/planner"
)

// Tolerance presets, as fractions of a territory's target: the default
// "±5%" and the "tight" "±2%".
const (
	DefaultTolerance = 0.05
	TightTolerance   = 0.02
)

// Metric is one quantity to balance across territories, such as the
// population or the potential of the accounts of each unit.
type Metric struct {
	Name string // shown in messages, e.g. "Population"
	// Values holds one value per unit of the graph (length N), finite and
	// >= 0; unknown values should be passed as 0.
	Values []float64
	// Weight is the metric's importance relative to the others when not
	// every metric can be met (> 0; 0 means 1).
	Weight float64
	// Tolerance is the allowed deviation of a territory's total from its
	// target, as a fraction in [0, 1): 0.05 means ±5%. 0 means
	// DefaultTolerance.
	Tolerance float64
}

// Seed pins a unit to a territory, e.g. the unit of a rep's home: the unit
// ends in that territory.
type Seed struct {
	Unit      int // unit index in [0, N)
	Territory int // territory index in [0, K)
}

// Problem is one territory design request: the units, the metrics to
// balance and the constraints. Territories are numbered 0..K-1 and units
// 0..N-1, as in Graph.
type Problem struct {
	Graph   *Graph
	Metrics []Metric // none means: balance the number of units
	K       int      // number of territories, 1 <= K <= number of units taking part

	// Current is the current territory of each unit (length N; -1 for an
	// unassigned unit), or nil to draw territories from scratch. With a
	// current alignment the optimizer rebalances it, moving few units;
	// unassigned units are given a territory.
	Current []int
	// Capacity is each territory's relative capacity (length K, each > 0,
	// e.g. 1.5 for a territory with one and a half reps), or nil for
	// equal capacities. Territory t's target for a metric is
	// total × Capacity[t] / Σ Capacity.
	Capacity []float64
	// LockedUnits marks units (length N, or nil) that keep their territory
	// in Current; Current must assign them.
	LockedUnits []bool
	// LockedTerritories marks territories (length K, or nil) that keep
	// exactly their units in Current: no unit enters or leaves. Their
	// deviations are reported but cannot be changed, so the other
	// territories share what is left: their targets are the remaining
	// totals split by capacity.
	LockedTerritories []bool
	// Seeds pin units to territories (a rep's home unit stays in the rep's
	// territory).
	Seeds []Seed
	// Disruption is the largest fraction of the units taking part that
	// may change territory relative to Current, in [0, 1]; 0 means no
	// limit. Ignored without Current.
	Disruption float64
	// Seed seeds the random generator (PCG, math/rand/v2): the same
	// problem and seed give the same result.
	Seed uint64
	// Progress, when not nil, is called with the fraction done in [0, 1]
	// (non-decreasing) and a short message, from one goroutine at a time
	// (not always the caller's); it should return quickly.
	Progress func(done float64, msg string)
	// Include marks the units that take part (length N), or nil for all.
	// Other units keep territory -1 in the result and are not counted.
	Include []bool
	// Effort scales the search time (> 0; 0 means 1): 2 searches twice as
	// long, for slightly better shapes.
	Effort float64
}

// Result is an alignment and its figures. Territory indexes are those of
// the Problem; deviations are against each territory's target
// total × Capacity[t] / Σ Capacity over all K territories.
type Result struct {
	// Assignment is the territory of each unit (length N); -1 for units
	// that do not take part.
	Assignment []int
	// Deviation[j][t] is territory t's deviation from its target on
	// metric j, in percent: 100 × (total/target − 1). 0 for a metric whose
	// total is 0.
	Deviation [][]float64
	// MaxAbsDeviation[j] is the largest |Deviation[j][t]| over territories,
	// in percent.
	MaxAbsDeviation []float64
	// PolsbyPopper is each territory's Polsby-Popper score 4πA/P² (see
	// PolsbyPopper), in [0, 1].
	PolsbyPopper []float64
	// CutEdges is the number of adjacent pairs of taking-part units in
	// different territories.
	CutEdges int
	// Parts is the number of connected pieces of each territory (1 when
	// contiguous).
	Parts []int
	// Moved is the number of units whose territory differs from Current
	// (units unassigned in Current are not counted); 0 without Current.
	Moved int
	// MovedShare[j] is the fraction of metric j's total on moved units.
	MovedShare []float64
	// Feasible is true when every territory has units, is contiguous and
	// is within tolerance of its target on every metric (locks, seeds and
	// the disruption limit always hold).
	Feasible bool
	// Steps is the number of refinement moves attempted.
	Steps int
}

// Solve draws (Current nil) or rebalances (Current set) K territories over
// the graph, in this order of priority: every metric within its tolerance,
// compact shapes (the objective sums 1/sqrt(Polsby-Popper) over
// territories, plus a small cost per cut edge), fewest units moved from
// Current. Locks, seeds and the disruption limit are hard constraints;
// every territory is contiguous unless locks or seeds make it impossible.
//
// Method (see the package documentation): a new design runs two searches
// in parallel goroutines, each from the best of a few splitline
// alignments (and, with a single metric, a balanced power diagram): a
// balancing run with a rising pressure towards the targets, simulated
// annealing over boundary flips and merge-and-split moves within the
// tolerances, and a zero-temperature descent; the better result is kept.
// A rebalance starts from Current (unassigned units grown into it, stray
// pieces repaired) and runs the same phases at low temperatures with a
// cost per moved unit. The result is deterministic for a given
// Problem.Seed. It takes about 5-9 s for the 3,142 US counties and 20
// territories with two metrics on two cores, under 1 s for 159 counties
// (see the benchmarks).
//
// Errors (code planner.EINVALID): a malformed graph, K out of range,
// metrics or other per-unit or per-territory slices of the wrong length,
// NaN, infinite or negative values, seeds that conflict with locks or with
// each other, locks without a Current alignment, a locked territory with
// no units, more disconnected pieces of the map than territories, pins of
// one territory in separate pieces. When ctx is cancelled Solve returns
// within a few milliseconds with ctx.Err() and the best alignment found so
// far. When the targets cannot be met (locks, lumpy units) it returns the
// best alignment found with Feasible false and no error.
func Solve(ctx context.Context, p Problem) (Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	report := func(f float64, msg string) {
		if p.Progress != nil {
			p.Progress(min(1, max(0, f)), msg)
		}
	}
	s, ix, err := build(&p, false)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	report(0, "Preparing")
	effort := p.Effort
	if !(effort > 0) || math.IsInf(effort, 0) {
		effort = 1
	}
	var steps int
	if p.Current == nil {
		s, steps, err = s.solveFresh(ctx, effort, p.Seed, report)
	} else {
		steps, err = s.solveRebalance(ctx, effort, report)
	}
	res := s.result(&p, ix)
	res.Steps = steps
	if err != nil {
		return res, err
	}
	report(1, "Done")
	return res, nil
}

// Weights of the excess deviation in the objective, per unit of excess
// (fraction of the target) and in units of a typical compactness change
// times units per territory: soft while searching for balance, hard once
// every territory is within tolerance.
const (
	softLambda = 50
	hardLambda = 1e4
)

// powerRounds is the number of Lloyd rounds of the power diagram start.
const powerRounds = 8

// splitStarts is the number of splitline alignments each chain draws to
// pick its start from.
const splitStarts = 3

// chains is the number of independent searches Solve runs in parallel
// for a new design (one per starting method).
const chains = 2

// solveFresh draws a new design: chain 0 starts from a splitline
// alignment, chain 1 from a balanced centroidal power diagram; each is
// refined by the same annealing schedule with its own random stream, in
// its own goroutine, and the better result is kept (least excess
// deviation, then best shapes; ties to chain 0), so the outcome does not
// depend on timing. Progress is reported from chain 0.
func (s *state) solveFresh(ctx context.Context, effort float64, seed uint64, report func(float64, string)) (*state, int, error) {
	report(0.01, "Drawing first territories")
	type out struct {
		s     *state
		steps int
		err   error
	}
	outs := make([]out, chains)
	var wg sync.WaitGroup
	states := make([]*state, chains)
	for c := range chains {
		states[c] = s
		if c > 0 {
			states[c] = s.clone(rand.New(rand.NewPCG(seed, 0x6d6572696469616e+uint64(c))))
		}
	}
	for c := range chains {
		cs := states[c]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rep func(float64, string)
			if c == 0 {
				rep = report
			}
			st, err := cs.refineFresh(ctx, effort, c, rep)
			outs[c] = out{cs, st, err}
		}()
	}
	wg.Wait()
	best := 0
	steps := 0
	for c := range chains {
		steps += outs[c].steps
		if c == 0 {
			continue
		}
		b, o := outs[best].s, outs[c].s
		eb, eo := b.excess(), o.excess()
		if eo < eb-1e-12 || (eo <= eb+1e-12 && o.plainScore() < b.plainScore()) {
			best = c
		}
	}
	for c := range chains {
		if outs[c].err != nil {
			return outs[best].s, steps, outs[c].err
		}
	}
	bs := outs[best].s
	// Last resort: keep balancing the better alignment, with longer runs
	// and a stronger pressure, while it is out of tolerance.
	for try := 0; try < 3 && bs.excess() > 0; try++ {
		delta := bs.typicalDelta()
		n, err := bs.balancePhase(ctx, &splitter{}, int(effort*float64(max(100_000, 300*bs.n))), delta, max(10, bs.n/(2*bs.k)),
			func(f float64) { report(0.95+0.04*f, "Balancing territories") })
		steps += n
		if err != nil {
			return bs, steps, err
		}
		n, err = bs.anneal(ctx, &splitter{}, schedule{keepBest: true, flips: max(20_000, 20*bs.n), recomEvery: max(10, bs.n/(2*bs.k)), tries: 2}, nil)
		steps += n
		if err != nil {
			return bs, steps, err
		}
	}
	return bs, steps, nil
}

// refineFresh runs one chain of solveFresh on s: its start (by method
// index) and the annealing.
func (s *state) refineFresh(ctx context.Context, effort float64, method int, report func(float64, string)) (int, error) {
	rep := func(f float64, msg string) {
		if report != nil {
			report(f, msg)
		}
	}
	// Starts: the best of a few splitline alignments (each with other
	// line angles); for chains other than 0, a balanced power diagram when
	// it is as well balanced.
	var start []int32
	startEx, startSc := math.Inf(1), math.Inf(1)
	for range splitStarts {
		s.splitline(ctx)
		if ex, sc := s.excess(), s.plainScore(); ex < startEx-1e-9 || (ex <= startEx+1e-9 && sc < startSc) {
			start = append(start[:0], s.assign...)
			startEx, startSc = ex, sc
		}
	}
	if s.m == 1 {
		s.powerInit(ctx, powerRounds)
		if ex, sc := s.excess(), s.plainScore(); ex < startEx-1e-9 || (ex <= startEx+1e-9 && sc < startSc) {
			start = append(start[:0], s.assign...)
		}
	}
	copy(s.assign, start)
	s.init()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	rep(0.05, "Refining territories")
	delta := s.typicalDelta()
	scale := delta * float64(s.n) / float64(s.k)
	s.nu = 0.15 * delta
	s.swaps = true
	recomEvery := max(10, s.n/(2*s.k))
	sp := &splitter{}
	// Balance first, then shapes within the tolerances.
	steps, err := s.balancePhase(ctx, sp, int(effort*float64(max(100_000, 200*s.n))), delta, recomEvery,
		func(f float64) { rep(0.05+0.25*f, "Balancing territories") })
	if err != nil {
		return steps, err
	}
	s.lambda = softLambda * scale
	if s.excess() == 0 {
		s.lambda = hardLambda * scale
	}
	sc := schedule{
		keepBest:   true,
		flips:      int(effort * float64(max(200_000, 400*s.n))),
		t0:         2 * delta,
		t1:         0.01 * delta,
		recomEvery: recomEvery,
		tries:      1,
	}
	n1, err := s.anneal(ctx, sp, sc, func(f float64) { rep(0.3+0.65*f, "Refining territories") })
	steps += n1
	if err != nil {
		return steps, err
	}
	n2, err := s.balancePhase(ctx, sp, int(effort*float64(max(100_000, 200*s.n))), delta, recomEvery, nil)
	steps += n2
	if err != nil {
		return steps, err
	}
	n3, err := s.anneal(ctx, sp, schedule{keepBest: true, flips: max(20_000, 20*s.n), recomEvery: recomEvery, tries: 2}, nil)
	return steps + n3, err
}

// balancePhase brings every territory within tolerance when some are not:
// an annealing run at low temperature with the soft excess penalty and a
// quadratic pressure towards the targets (kappa) that rises
// geometrically, half the moves touching the territories out of
// tolerance, ending as soon as all are within it (quadratic penalties
// rising over the run are the penalty continuation method; the focus is
// that of "ejection" moves in constrained local search).
func (s *state) balancePhase(ctx context.Context, sp *splitter, flips int, delta float64, recomEvery int, report func(float64)) (int, error) {
	if s.excess() == 0 {
		return 0, nil
	}
	scale := delta * float64(s.n) / float64(s.k)
	lam := s.lambda
	s.lambda = softLambda * scale
	n, err := s.anneal(ctx, sp, schedule{flips: flips, t0: 0.05 * delta, t1: 0.01 * delta,
		recomEvery: recomEvery, tries: 1, kappa0: scale, kappaEnd: 1000 * scale, stopFeasible: true, focus: true}, report)
	s.kappa = 0
	s.lambda = lam
	return n, err
}

// solveRebalance refines the current alignment: unassigned units join
// it and stray pieces are repaired, then territories out of tolerance are
// balanced and shapes refined at low temperatures, with a cost per moved
// unit (mu) and the move cap keeping the result close to the current
// alignment. One chain: the start is given.
func (s *state) solveRebalance(ctx context.Context, effort float64, report func(float64, string)) (int, error) {
	s.initialFromCurrent()
	report(0.05, "Rebalancing territories")
	delta := s.typicalDelta()
	scale := delta * float64(s.n) / float64(s.k)
	s.mu = 2 * delta
	s.nu = 0.1 * delta
	s.swaps = true
	recomEvery := max(10, s.n/(2*s.k))
	sp := &splitter{}
	steps, err := s.balancePhase(ctx, sp, int(effort*float64(max(100_000, 200*s.n))), delta, recomEvery,
		func(f float64) { report(0.05+0.35*f, "Rebalancing territories") })
	if err != nil {
		return steps, err
	}
	report(0.4, "Rebalancing territories")
	s.lambda = softLambda * scale
	if s.excess() == 0 {
		s.lambda = hardLambda * scale
	}
	sc := schedule{
		keepBest:   true,
		flips:      int(effort * float64(max(100_000, 100*s.n))),
		t0:         0.1 * delta,
		t1:         0.001 * delta,
		recomEvery: recomEvery,
		tries:      1,
	}
	n1, err := s.anneal(ctx, sp, sc, func(f float64) { report(0.4+0.55*f, "Rebalancing territories") })
	steps += n1
	if err != nil {
		return steps, err
	}
	n2, err := s.anneal(ctx, sp, schedule{keepBest: true, flips: max(20_000, 20*s.n), recomEvery: recomEvery, tries: 2}, nil)
	return steps + n2, err
}

// clone returns an independent copy of the working alignment with its own
// random generator; the graph, metrics and constraints are shared
// (read-only).
func (s *state) clone(rng *rand.Rand) *state {
	c := *s
	c.rng = rng
	c.assign = append([]int32(nil), s.assign...)
	c.cands = nil
	c.bad = nil
	c.stk = nil
	c.stamp, c.seen, c.epoch = nil, nil, 0
	c.alloc()
	return &c
}

// index maps the units taking part to the compact indexes of the state.
type index struct {
	units []int   // compact -> graph unit
	loc   []int32 // graph unit -> compact, or -1
}

func errf(format string, args ...any) error {
	return planner.Errorf(planner.EINVALID, format, args...)
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }

// build validates p and builds the compact state of the units taking
// part. For a repair (forRepair) K may exceed the units and the map may
// have more pieces than territories.
func build(p *Problem, forRepair bool) (*state, index, error) {
	var ix index
	g := p.Graph
	if err := g.validate(); err != nil {
		return nil, ix, err
	}
	N := g.Len()
	if p.Include != nil && len(p.Include) != N {
		return nil, ix, errf("The list of units taking part has %d entries for %d units.", len(p.Include), N)
	}
	ix.loc = make([]int32, N)
	for u := range N {
		ix.loc[u] = -1
		if p.Include == nil || p.Include[u] {
			ix.loc[u] = int32(len(ix.units))
			ix.units = append(ix.units, u)
		}
	}
	n := len(ix.units)
	if p.K < 1 || (p.K > n && !forRepair) {
		return nil, ix, errf("Cannot draw %d territories from %d units: choose between 1 and %d.", p.K, n, n)
	}
	k := p.K
	metrics := p.Metrics
	if len(metrics) == 0 {
		ones := make([]float64, N)
		for i := range ones {
			ones[i] = 1
		}
		metrics = []Metric{{Name: "Units", Values: ones}}
	}
	m := len(metrics)
	for _, mt := range metrics {
		if len(mt.Values) != N {
			return nil, ix, errf("Metric %q has %d values for %d units.", mt.Name, len(mt.Values), N)
		}
		if !finiteNonNeg(mt.Weight) {
			return nil, ix, errf("Metric %q has an invalid weight %g: use a number >= 0.", mt.Name, mt.Weight)
		}
		if !(mt.Tolerance >= 0 && mt.Tolerance < 1) {
			return nil, ix, errf("Metric %q has an invalid tolerance %g: use a fraction from 0 to 1, such as 0.05 for ±5%%.", mt.Name, mt.Tolerance)
		}
		for u, v := range mt.Values {
			if !finiteNonNeg(v) {
				return nil, ix, errf("Metric %q has an invalid value %g at unit %d: values must be numbers >= 0.", mt.Name, v, u)
			}
		}
	}
	if p.Capacity != nil {
		if len(p.Capacity) != k {
			return nil, ix, errf("There are %d capacities for %d territories.", len(p.Capacity), k)
		}
		for t, c := range p.Capacity {
			if !(c > 0) || math.IsInf(c, 0) {
				return nil, ix, errf("Territory %d has an invalid capacity %g: use a number > 0.", t, c)
			}
		}
	}
	if p.Current != nil {
		if len(p.Current) != N {
			return nil, ix, errf("The current alignment has %d entries for %d units.", len(p.Current), N)
		}
		for u, t := range p.Current {
			if t < -1 || t >= k {
				return nil, ix, errf("Unit %d is in territory %d, outside 0..%d.", u, t, k-1)
			}
		}
	}
	if !(p.Disruption >= 0 && p.Disruption <= 1) {
		return nil, ix, errf("The disruption limit %g is not a fraction from 0 to 1.", p.Disruption)
	}
	if p.LockedUnits != nil && len(p.LockedUnits) != N {
		return nil, ix, errf("The unit locks have %d entries for %d units.", len(p.LockedUnits), N)
	}
	if p.LockedTerritories != nil && len(p.LockedTerritories) != k {
		return nil, ix, errf("The territory locks have %d entries for %d territories.", len(p.LockedTerritories), k)
	}

	s := &state{n: n, k: k, m: m, rng: rand.New(rand.NewPCG(p.Seed, 0x6d6572696469616e))}
	// Compact graph.
	s.start = make([]int32, n+1)
	for i, u := range ix.units {
		for e := g.Start[u]; e < g.Start[u+1]; e++ {
			if j := ix.loc[g.Adj[e]]; j >= 0 {
				s.adj = append(s.adj, j)
				s.shared = append(s.shared, g.Shared[e])
			}
		}
		s.start[i+1] = int32(len(s.adj))
	}
	s.area, s.perim = make([]float64, n), make([]float64, n)
	totA, totS := 0.0, 0.0
	for i, u := range ix.units {
		s.area[i], s.perim[i] = g.Area[u], g.Perimeter[u]
		totA += g.Area[u]
	}
	for _, l := range s.shared {
		totS += l
	}
	if !(totA > 0) || (!(totS > 0) && len(s.shared) > 0) {
		// No geometry: measure shapes on the graph itself, as if every
		// unit were a unit cell sharing a side of length 1 with each
		// neighbour.
		for i := range n {
			s.area[i] = 1
			s.perim[i] = float64(max(4, s.start[i+1]-s.start[i]))
		}
		for e := range s.shared {
			s.shared[e] = 1
		}
	}
	if g.X != nil {
		s.x, s.y = make([]float64, n), make([]float64, n)
		for i, u := range ix.units {
			s.x[i], s.y[i] = g.X[u], g.Y[u]
		}
	}

	// Metrics, scaled so that each metric's mean target is 1.
	s.val = make([]float64, n*m)
	s.w = make([]float64, m)
	s.tol = make([]float64, m)
	total := make([]float64, m)
	for j, mt := range metrics {
		for _, u := range ix.units {
			total[j] += mt.Values[u]
		}
		mean := total[j] / float64(k)
		for i, u := range ix.units {
			if mean > 0 {
				s.val[i*m+j] = mt.Values[u] / mean
			}
		}
		s.w[j] = mt.Weight
		if s.w[j] == 0 {
			s.w[j] = 1
		}
		tol := mt.Tolerance
		if tol == 0 {
			tol = DefaultTolerance
		}
		// Search a little inside the tolerance so that rounding never
		// leaves a territory just outside it.
		s.tol[j] = tol * 0.98
	}
	capc := make([]float64, k)
	capSum := 0.0
	for t := range k {
		capc[t] = 1
		if p.Capacity != nil {
			capc[t] = p.Capacity[t]
		}
		capSum += capc[t]
	}

	// Pins, locks, homes.
	s.pin = make([]int32, n)
	s.home = make([]int32, n)
	s.assign = make([]int32, n)
	for i := range n {
		s.pin[i], s.home[i], s.assign[i] = -1, -1, -1
	}
	s.lockedT = make([]bool, k)
	if p.LockedTerritories != nil {
		copy(s.lockedT, p.LockedTerritories)
	}
	if p.Current != nil {
		for i, u := range ix.units {
			s.home[i] = int32(p.Current[u])
		}
	}
	for t := range k {
		if !s.lockedT[t] {
			continue
		}
		if p.Current == nil {
			return nil, ix, errf("Territory %d is locked, but there is no current alignment to keep.", t)
		}
		has := false
		for i := range n {
			if s.home[i] == int32(t) {
				s.pin[i] = int32(t)
				has = true
			}
		}
		if !has {
			return nil, ix, errf("Territory %d is locked but has no units.", t)
		}
	}
	if p.LockedUnits != nil {
		for u, l := range p.LockedUnits {
			if !l || ix.loc[u] < 0 {
				continue
			}
			i := ix.loc[u]
			if p.Current == nil || p.Current[u] < 0 {
				return nil, ix, errf("Unit %d is locked but has no territory to keep.", u)
			}
			s.pin[i] = s.home[i]
		}
	}
	for _, sd := range p.Seeds {
		if sd.Unit < 0 || sd.Unit >= N || sd.Territory < 0 || sd.Territory >= k {
			return nil, ix, errf("A seed pins unit %d to territory %d, outside the units or territories.", sd.Unit, sd.Territory)
		}
		i := ix.loc[sd.Unit]
		if i < 0 {
			return nil, ix, errf("A seed pins unit %d, which does not take part.", sd.Unit)
		}
		t := int32(sd.Territory)
		switch {
		case s.pin[i] == t:
		case s.pin[i] >= 0 && s.lockedT[s.pin[i]]:
			return nil, ix, errf("A seed pins unit %d to territory %d, but the unit is in locked territory %d.", sd.Unit, t, s.pin[i])
		case s.pin[i] >= 0 && p.LockedUnits != nil && p.LockedUnits[sd.Unit]:
			return nil, ix, errf("A seed pins unit %d to territory %d, but the unit is locked in territory %d.", sd.Unit, t, s.pin[i])
		case s.pin[i] >= 0:
			return nil, ix, errf("Seeds pin unit %d to two territories, %d and %d.", sd.Unit, s.pin[i], t)
		case s.lockedT[t]:
			return nil, ix, errf("A seed pins unit %d to locked territory %d, which does not hold it.", sd.Unit, t)
		default:
			s.pin[i] = t
		}
	}

	// Targets: each metric's total by capacity; locked territories keep
	// theirs, the others share the rest.
	s.target = make([]float64, k*m)
	freeCap := 0.0
	locked := make([]float64, m)
	for t := range k {
		if !s.lockedT[t] {
			freeCap += capc[t]
		}
	}
	for i := range n {
		if t := s.home[i]; t >= 0 && s.lockedT[t] {
			for j := range m {
				locked[j] += s.val[i*m+j]
			}
		}
	}
	for t := range k {
		for j := range m {
			if total[j] <= 0 {
				continue
			}
			if s.lockedT[t] {
				s.target[t*m+j] = float64(k) * capc[t] / capSum
			} else {
				s.target[t*m+j] = max(0, float64(k)-locked[j]) * capc[t] / freeCap
			}
		}
	}
	for i := range n {
		if s.pin[i] >= 0 || s.home[i] >= 0 {
			s.hasPinOrHome = true
			break
		}
	}
	if p.Current != nil && p.Disruption > 0 {
		s.maxMove = int(math.Floor(p.Disruption * float64(n)))
	} else {
		s.maxMove = -1
	}
	s.cscale = 1 / float64(k)
	s.alloc()

	// The map must not have more separate pieces than territories.
	comp := make([]int32, n)
	if nc := s.components(comp); nc > k && !forRepair {
		return nil, ix, errf("The units form %d separate groups with no link between them, more than the %d territories.", nc, k)
	}
	// All pins of a territory must lie in one piece of the map.
	pinComp := make([]int32, k)
	for t := range pinComp {
		pinComp[t] = -1
	}
	for i := range n {
		if t := s.pin[i]; t >= 0 {
			if pinComp[t] >= 0 && pinComp[t] != comp[i] {
				return nil, ix, errf("Territory %d has locked or seeded units in separate parts of the map.", t)
			}
			pinComp[t] = comp[i]
		}
	}
	return s, ix, nil
}

// initialFromCurrent starts from the current alignment: unassigned units
// join neighbouring territories by balanced growth, empty territories get
// a unit of the fullest territory, and stray pieces are repaired.
func (s *state) initialFromCurrent() {
	copy(s.assign, s.home)
	for i := range s.n {
		if s.pin[i] >= 0 {
			s.assign[i] = s.pin[i]
		}
	}
	s.grow()
	s.fillStrays()
	s.init()
	// Empty free territories: take the outermost movable unit of the
	// fullest territory.
	for t := range s.k {
		if s.size[t] > 0 || s.lockedT[t] {
			continue
		}
		bestT, bf := int32(-1), math.Inf(-1)
		for a := range s.k {
			if s.lockedT[a] || s.size[a] < 2 {
				continue
			}
			if f := s.fill(int32(a)); f > bf {
				bestT, bf = int32(a), f
			}
		}
		if bestT < 0 {
			continue
		}
		pick := int32(-1)
		for _, u := range s.mem[bestT] {
			if s.pin[u] < 0 && s.canLeave(u) && s.foreign[u] > 0 && (pick < 0 || u < pick) {
				pick = u
			}
		}
		if pick < 0 {
			for _, u := range s.mem[bestT] {
				if s.pin[u] < 0 && s.canLeave(u) && (pick < 0 || u < pick) {
					pick = u
				}
			}
		}
		if pick < 0 {
			continue
		}
		s.assign[pick] = int32(t)
		s.init()
	}
	s.repair()
}

// result builds the Result on the full graph from the state.
func (s *state) result(p *Problem, ix index) Result {
	g := p.Graph
	N := g.Len()
	k := s.k
	r := Result{Assignment: make([]int, N)}
	for u := range N {
		r.Assignment[u] = -1
	}
	for i, u := range ix.units {
		r.Assignment[u] = int(s.assign[i])
	}
	metrics := p.Metrics
	if len(metrics) == 0 {
		ones := make([]float64, N)
		for i := range ones {
			ones[i] = 1
		}
		metrics = []Metric{{Values: ones}}
	}
	capSum := 0.0
	for t := range k {
		if p.Capacity != nil {
			capSum += p.Capacity[t]
		} else {
			capSum++
		}
	}
	r.Feasible = true
	r.Deviation = make([][]float64, len(metrics))
	r.MaxAbsDeviation = make([]float64, len(metrics))
	r.MovedShare = make([]float64, len(metrics))
	for j, mt := range metrics {
		tol := mt.Tolerance
		if tol == 0 {
			tol = DefaultTolerance
		}
		sums := make([]float64, k)
		total, moved := 0.0, 0.0
		for i, u := range ix.units {
			v := mt.Values[u]
			sums[s.assign[i]] += v
			total += v
			if h := s.home[i]; h >= 0 && h != s.assign[i] {
				moved += v
			}
		}
		r.Deviation[j] = make([]float64, k)
		if total <= 0 {
			continue
		}
		r.MovedShare[j] = moved / total
		for t := range k {
			c := 1.0
			if p.Capacity != nil {
				c = p.Capacity[t]
			}
			target := total * c / capSum
			d := sums[t]/target - 1
			r.Deviation[j][t] = 100 * d
			r.MaxAbsDeviation[j] = max(r.MaxAbsDeviation[j], math.Abs(100*d))
			if math.Abs(d) > tol*(1+1e-9) {
				r.Feasible = false
			}
		}
	}
	r.PolsbyPopper = PolsbyPopper(g, r.Assignment, k)
	// Cut edges and pieces among the units taking part (compact graph).
	local := make([]int, s.n)
	for i := range s.n {
		local[i] = int(s.assign[i])
	}
	lg := &Graph{Start: s.start, Adj: s.adj}
	r.CutEdges = CutEdges(lg, local)
	r.Parts = Parts(lg, local, k)
	for t := range k {
		if r.Parts[t] != 1 {
			r.Feasible = false
		}
	}
	for i := range s.n {
		if h := s.home[i]; h >= 0 && h != s.assign[i] {
			r.Moved++
		}
	}
	return r
}

// Repair returns a copy of assign (one territory in [0, k) per unit of g,
// or -1 for a unit in none, which stays so) in which every territory is
// connected: every piece of a territory but its largest (by size: the
// weighted mean share of the metrics, or the unit count without metrics)
// joins the neighbouring territory where it adds the least deviation
// beyond tolerance, ties broken by the longest shared boundary, then the
// lowest territory index. Pieces with no neighbouring territory stay. It
// is deterministic. Errors (code planner.EINVALID): a malformed graph,
// assign of the wrong length or with a territory outside [-1, k), or
// invalid metrics (see Solve).
func Repair(g *Graph, assign []int, k int, metrics []Metric) ([]int, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	if len(assign) != g.Len() {
		return nil, errf("The alignment has %d entries for %d units.", len(assign), g.Len())
	}
	include := make([]bool, len(assign))
	anyAssigned := false
	for u, t := range assign {
		if t < -1 || t >= k {
			return nil, errf("Unit %d is in territory %d, outside 0..%d.", u, t, k-1)
		}
		include[u] = t >= 0
		anyAssigned = anyAssigned || t >= 0
	}
	if !anyAssigned || k < 1 {
		return append([]int(nil), assign...), nil
	}
	p := Problem{Graph: g, Metrics: metrics, K: k, Current: assign, Include: include}
	s, ix, err := build(&p, true)
	if err != nil {
		return nil, err
	}
	copy(s.assign, s.home)
	s.init()
	s.repair()
	out := append([]int(nil), assign...)
	for i, u := range ix.units {
		out[u] = int(s.assign[i])
	}
	return out, nil
}
