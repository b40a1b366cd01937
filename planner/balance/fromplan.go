package balance

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Target is one quantity to balance a plan on, with its tolerance and
// weight (see [Metric]).
type Target struct {
	Quantity planner.Quantity
	// Tolerance is the allowed deviation as a fraction (0.05 = ±5%); 0
	// means [DefaultTolerance].
	Tolerance float64
	// Weight is the quantity's importance when not every tolerance can be
	// met; 0 means 1.
	Weight float64
}

// Options is a balancing request on a plan's scenario, in the plan's terms
// (territory IDs, unit codes). See [BalancePlan].
type Options struct {
	// Territories is the number of territories wanted; 0 means the
	// scenario's own. The same number as the scenario's rebalances its
	// territories, moving few units; another number draws new territories
	// ("Territory 1", …) from scratch.
	Territories int
	// Targets are the quantities to balance; none means population.
	Targets []Target
	// ByCapacity sets targets in proportion to each territory's capacity
	// ([planner.Territory.CapacityOf]) rather than equal.
	ByCapacity bool
	// LockedTerritories keep exactly their units (territory IDs of the
	// scenario). LockedUnits (unit codes) keep their territory.
	LockedTerritories []int64
	LockedUnits       []string
	// Seeds pin units (codes) to territories (IDs), e.g. a rep's home.
	Seeds map[string]int64
	// Disruption is the largest share of the units that may change
	// territory, in [0, 1]; 0 means no limit.
	Disruption float64
	// FromScratch ignores the current alignment even with the same number
	// of territories (locks and seeds then cannot be used).
	FromScratch bool
	// IncludeWhiteSpace also assigns the units that are in no territory;
	// by default they stay white space, unless no unit is in a territory
	// (a new plan's first territories): then every unit takes part.
	IncludeWhiteSpace bool
	// Seed seeds the random generator: the same plan, options and seed
	// give the same result.
	Seed uint64
	// Effort scales the search time (0 means 1).
	Effort float64
	// Progress, when not nil, is called with the fraction done in [0, 1]
	// and a short message, from the calling goroutine.
	Progress func(done float64, msg string)
}

// Outcome is the result of [BalancePlan].
type Outcome struct {
	// Scenario is the balanced scenario: a copy of the input scenario
	// (same ID, name and territories when rebalancing; new territories
	// when drawn from scratch, with IDs above every ID in the plan) with
	// the new alignment. Units that did not take part keep their
	// territory.
	Scenario planner.Scenario
	// Result holds the optimizer's figures, with territories in the order
	// of Scenario.Territories and units in the order of the plan.
	Result Result
	// Changes lists what moved from the input scenario (see
	// [planner.CompareAlignments]).
	Changes planner.ChangeReport
	// Links are the links this request added between pieces of the map
	// that were not connected among the units taking part (unit codes),
	// beyond the graph's own island links.
	Links [][2]string
}

// NewPlanGraph builds the adjacency graph of a plan's units in WGS84
// lon/lat degrees with [geo.USGraphOptions] (equal-area, km and km²,
// islands linked). It takes tens of milliseconds for 3,000 counties.
func NewPlanGraph(p *planner.Plan) *geo.Graph {
	units := make([]orb.MultiPolygon, len(p.Units))
	for i := range p.Units {
		units[i] = p.Units[i].Geometry
	}
	return geo.NewGraph(units, geo.USGraphOptions())
}

// NewPlanGraphs returns [NewPlanGraph] of p and its conversion for the
// optimizer ([FromGeo] with equal-area centroids).
func NewPlanGraphs(p *planner.Plan) (*geo.Graph, *Graph) {
	gg := NewPlanGraph(p)
	units := make([]orb.MultiPolygon, len(p.Units))
	for i := range p.Units {
		units[i] = p.Units[i].Geometry
	}
	return gg, FromGeo(gg, units, geo.EqualAreaUS)
}

// FromGeo converts a geo.Graph into the optimizer's Graph, with unit
// centroids from the units' geometry (projected as proj does, e.g.
// geo.EqualAreaUS; nil means the geometry is planar). units are those the
// graph was built from.
func FromGeo(g *geo.Graph, units []orb.MultiPolygon, proj func(orb.MultiPolygon) orb.MultiPolygon) *Graph {
	n := g.Len()
	out := &Graph{Start: slices.Clone(g.Start), Adj: slices.Clone(g.Adj), Shared: slices.Clone(g.Shared),
		Area: slices.Clone(g.Area), Perimeter: slices.Clone(g.Perimeter)}
	if len(units) == n {
		out.X, out.Y = make([]float64, n), make([]float64, n)
		for i, mp := range units {
			if proj != nil {
				mp = proj(mp)
			}
			c, _ := planar.CentroidArea(mp)
			if math.IsNaN(c[0]) || math.IsNaN(c[1]) {
				c = orb.Point{}
			}
			out.X[i], out.Y[i] = c[0], c[1]
		}
	}
	return out
}

// BalancePlan balances scenario s of plan p on the graph g (from
// [FromGeo] over p.Units, in that order) as opt asks, and returns the
// balanced copy of the scenario, the optimizer's figures and the change
// report. s and p are not modified.
//
// The units that take part are those aligned to a territory of s (plus
// the white space with IncludeWhiteSpace; all units when none is aligned). When they are not connected
// among themselves (an island whose link goes through a unit that does not
// take part), each piece is linked to the nearest unit of the largest piece
// by centroid distance, and the links are listed in Outcome.Links.
//
// Errors: *planner.Error with code EINVALID for options that do not fit
// the scenario (an unknown territory or unit, locks when drawing from
// scratch, fewer than two units per territory, a graph of another size, a
// quantity that is 0 or unknown in every unit that takes part), and
// those of [Solve]; ctx.Err() when cancelled.
func BalancePlan(ctx context.Context, p *planner.Plan, s *planner.Scenario, g *Graph, opt Options) (Outcome, error) {
	n := len(p.Units)
	if g == nil || g.Len() != n {
		return Outcome{}, planner.Errorf(planner.EINVALID, "The adjacency graph does not match the plan's %d units", n)
	}
	row := make(map[int64]int, len(s.Territories))
	for i, t := range s.Territories {
		row[t.ID] = i
	}
	current := s.AlignmentIndex(p)
	all := opt.IncludeWhiteSpace || !slices.ContainsFunc(current, func(t int) bool { return t >= 0 })
	include := make([]bool, n)
	nIn := 0
	for i := range include {
		include[i] = current[i] >= 0 || all
		if include[i] {
			nIn++
		}
	}
	k := opt.Territories
	if k == 0 {
		k = len(s.Territories)
	}
	scratch := opt.FromScratch || k != len(s.Territories)
	switch {
	case k < 1:
		return Outcome{}, planner.Errorf(planner.EINVALID, "Balancing needs at least one territory")
	case k > 1 && k > nIn/2:
		return Outcome{}, planner.Errorf(planner.EINVALID, "%d territories cannot be balanced from %d units: each needs at least two; choose at most %d", k, nIn, max(nIn/2, 1))
	case scratch && (len(opt.LockedTerritories) > 0 || len(opt.LockedUnits) > 0 || len(opt.Seeds) > 0):
		return Outcome{}, planner.Errorf(planner.EINVALID, "Locks and seeds keep units in today's territories, so they need the same number of territories (%d), not %d", len(s.Territories), k)
	}
	idx := p.UnitIndex()
	prob := Problem{Graph: g, K: k, Include: include, Disruption: opt.Disruption, Seed: opt.Seed, Effort: opt.Effort, Progress: opt.Progress}
	targets := opt.Targets
	if len(targets) == 0 {
		targets = []Target{{Quantity: planner.QuantityPopulation}}
	}
	for _, t := range targets {
		vals := t.Quantity.UnitValues(p, s)
		total := 0.0
		for i, v := range vals {
			if include[i] {
				total += v
			}
		}
		if !(total > 0) {
			return Outcome{}, planner.Errorf(planner.EINVALID, "%s is 0 or unknown in every unit to balance: there is nothing to balance on it. Choose another quantity, or import the data first", t.Quantity.Name(p))
		}
		prob.Metrics = append(prob.Metrics, Metric{Name: t.Quantity.Name(p), Values: vals, Weight: t.Weight, Tolerance: t.Tolerance})
	}
	if !scratch {
		prob.Current = current
		if opt.ByCapacity {
			prob.Capacity = make([]float64, k)
			for i, t := range s.Territories {
				prob.Capacity[i] = t.CapacityOf()
			}
		}
		if len(opt.LockedTerritories) > 0 {
			prob.LockedTerritories = make([]bool, k)
			for _, id := range opt.LockedTerritories {
				r, ok := row[id]
				if !ok {
					return Outcome{}, planner.Errorf(planner.EINVALID, "Territory %d is not in scenario %q", id, s.Name)
				}
				prob.LockedTerritories[r] = true
			}
		}
		if len(opt.LockedUnits) > 0 {
			prob.LockedUnits = make([]bool, n)
			for _, code := range opt.LockedUnits {
				i, ok := idx[code]
				if !ok {
					return Outcome{}, planner.Errorf(planner.EINVALID, "Unit %q is not in the plan", code)
				}
				if !include[i] {
					return Outcome{}, planner.Errorf(planner.EINVALID, "Unit %q is in no territory, so it cannot be locked", code)
				}
				prob.LockedUnits[i] = true
			}
		}
		for _, code := range slices.Sorted(maps.Keys(opt.Seeds)) {
			i, ok := idx[code]
			if !ok {
				return Outcome{}, planner.Errorf(planner.EINVALID, "Unit %q is not in the plan", code)
			}
			r, ok := row[opt.Seeds[code]]
			if !ok {
				return Outcome{}, planner.Errorf(planner.EINVALID, "Territory %d is not in scenario %q", opt.Seeds[code], s.Name)
			}
			include[i] = true // a seed takes part even from white space
			prob.Seeds = append(prob.Seeds, Seed{Unit: i, Territory: r})
		}
	}
	gl, links := connectIncluded(g, include)
	prob.Graph = gl
	res, err := Solve(ctx, prob)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Result: res}
	for _, l := range links {
		out.Links = append(out.Links, [2]string{p.Units[l[0]].Code, p.Units[l[1]].Code})
	}
	sc := *s
	sc.Alignment = maps.Clone(s.Alignment)
	if sc.Alignment == nil {
		sc.Alignment = map[string]int64{}
	}
	if scratch {
		sc.Territories = newTerritories(p, g, res.Assignment, k)
	} else {
		sc.Territories = slices.Clone(s.Territories)
	}
	for i, t := range res.Assignment {
		if t >= 0 {
			sc.Alignment[p.Units[i].Code] = sc.Territories[t].ID
		} else if scratch && include[i] {
			delete(sc.Alignment, p.Units[i].Code)
		}
	}
	if scratch {
		// Units that did not take part keep no territory of the old set.
		for code, id := range sc.Alignment {
			if _, old := row[id]; old {
				delete(sc.Alignment, code)
			}
		}
	}
	out.Scenario = sc
	out.Changes = planner.CompareAlignments(p, s, &sc)
	return out, nil
}

// newTerritories names and colours k new territories ("Territory 1", …)
// with IDs above every ID in p, colours by [planner.AssignColors] over the
// territories' adjacency in g.
func newTerritories(p *planner.Plan, g *Graph, assign []int, k int) []planner.Territory {
	var top int64
	for _, sc := range p.Scenarios {
		for _, t := range sc.Territories {
			top = max(top, t.ID)
		}
	}
	seen := map[[2]int]bool{}
	var pairs [][2]int
	for i := range g.Len() {
		a := assign[i]
		if a < 0 {
			continue
		}
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			b := assign[g.Adj[e]]
			if b >= 0 && a < b && !seen[[2]int{a, b}] {
				seen[[2]int{a, b}] = true
				pairs = append(pairs, [2]int{a, b})
			}
		}
	}
	colors := planner.AssignColors(k, pairs, nil)
	ts := make([]planner.Territory, k)
	width := len(fmt.Sprint(k))
	for t := range ts {
		ts[t] = planner.Territory{ID: top + int64(t) + 1, Name: "Territory " + pad(t+1, width), Color: colors[t]}
	}
	return ts
}

// pad formats v with leading zeros to width digits, so that names sort.
func pad(v, width int) string {
	s := fmt.Sprint(v)
	return strings.Repeat("0", max(width-len(s), 0)) + s
}

// connectIncluded returns g, or a copy of g with links added, such that the
// included units are connected among themselves: each connected piece
// other than the largest gets a link (Shared 0) from its unit nearest (by
// centroid) to the largest piece's nearest unit. It also returns the added
// links as unit index pairs. Without centroids g is returned as is.
func connectIncluded(g *Graph, include []bool) (*Graph, [][2]int) {
	n := g.Len()
	comp := make([]int, n)
	for i := range comp {
		comp[i] = -1
	}
	var sizes []int
	stack := []int32{}
	for i := range n {
		if !include[i] || comp[i] >= 0 {
			continue
		}
		c := len(sizes)
		sizes = append(sizes, 0)
		comp[i] = c
		stack = append(stack[:0], int32(i))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			sizes[c]++
			for e := g.Start[u]; e < g.Start[u+1]; e++ {
				v := g.Adj[e]
				if include[v] && comp[v] < 0 {
					comp[v] = c
					stack = append(stack, v)
				}
			}
		}
	}
	if len(sizes) <= 1 || len(g.X) != n {
		return g, nil
	}
	main := 0
	for c := range sizes {
		if sizes[c] > sizes[main] {
			main = c
		}
	}
	var links [][2]int
	for c := range sizes {
		if c == main {
			continue
		}
		best, bi, bj := math.Inf(1), -1, -1
		for i := range n {
			if comp[i] != c {
				continue
			}
			for j := range n {
				if comp[j] != main {
					continue
				}
				if d := math.Hypot(g.X[i]-g.X[j], g.Y[i]-g.Y[j]); d < best {
					best, bi, bj = d, i, j
				}
			}
		}
		if bi >= 0 {
			links = append(links, [2]int{bi, bj})
		}
	}
	extra := map[int][]int{}
	for _, l := range links {
		extra[l[0]] = append(extra[l[0]], l[1])
		extra[l[1]] = append(extra[l[1]], l[0])
	}
	gl := FromLists(n, func(i int) ([]int, []float64) {
		var adj []int
		var sh []float64
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			adj = append(adj, int(g.Adj[e]))
			sh = append(sh, g.Shared[e])
		}
		for _, j := range extra[i] {
			adj = append(adj, j)
			sh = append(sh, 0)
		}
		return adj, sh
	}, g.Area, g.Perimeter)
	gl.X, gl.Y = g.X, g.Y
	return gl, links
}
