// Package balance draws and rebalances sales territories: it groups
// geography units (counties, ZIP codes) into K contiguous territories whose
// metrics (population, potential, workload) are each within a tolerance of
// their target, with compact shapes, and, when an alignment already exists,
// with as few units moved as possible.
//
// The optimizer ([Solve]) works on a [Graph]: rook adjacency of the units
// with the length of each shared boundary, and each unit's area and
// perimeter. A new design starts from a recursive splitline bisection
// (straight cuts that balance every metric; W. D. Smith's "shortest
// splitline" districting algorithm) or, with one metric, from a balanced
// centroidal power diagram (Cohen-Addad, Klein and Young, SIGSPATIAL
// 2018). It is then balanced and refined by simulated annealing
// (Kirkpatrick, Gelatt and Vecchi 1983) over two kinds of moves: boundary
// flips (with compensating swaps), whose contiguity is checked locally or
// against articulation points cached per territory (Hopcroft and Tarjan
// 1973), and merge-and-split moves that merge two neighbouring
// territories, draw a random spanning tree of the union and cut the tree
// edge that leaves both sides within tolerance on every metric with the
// most compact shapes (the ReCom proposal of DeFord, Duchin and Solomon,
// "Recombination: A family of Markov chains for redistricting", Harvard
// Data Science Review 2021, used here as an optimisation move). Two such
// searches run in parallel and the better result is kept. Compactness is
// measured by the Polsby-Popper score (Polsby and Popper, "The Third
// Criterion: Compactness as a procedural safeguard against partisan
// gerrymandering", Yale Law & Policy Review 9, 1991).
//
// The package is pure computation: it imports the standard library and the
// planner domain only, and is deterministic for a given random seed.
package balance

import (
	"math"
	"slices"

	"github.com/meridianplan/meridian/planner"
)

// Graph is the rook adjacency of N geography units in compressed sparse row
// (CSR) form, with the geometry the optimizer needs. All lengths are in one
// planar unit (for example kilometres of an equal-area projection, or
// metres of UTM) and areas in its square; the Polsby-Popper score is
// dimensionless, so any consistent unit works.
//
// The neighbours of unit i are Adj[Start[i]:Start[i+1]], and Shared[e] is
// the length of boundary that i shares with Adj[e]. The adjacency must be
// symmetric (j lists i with the same shared length whenever i lists j),
// without self loops or repeated neighbours; [FromLists] builds such a graph
// from any lists. An island link (a ferry, or a link that makes an island
// county reachable) is an ordinary adjacency entry with Shared 0: it makes
// the units neighbours for contiguity and changes no perimeter.
type Graph struct {
	Start  []int32   // length N+1, non-decreasing, Start[0] = 0, Start[N] = len(Adj)
	Adj    []int32   // neighbour unit indexes in [0, N)
	Shared []float64 // same length as Adj: shared boundary length, >= 0 (0 for an island link)

	Area      []float64 // length N: unit area, >= 0
	Perimeter []float64 // length N: full unit perimeter (coastline and holes included), >= 0

	// X and Y are optional unit centroids (length N each, or both nil), in
	// the same planar unit. A new design's first alignment cuts along
	// straight lines through them and centres its power diagram on them;
	// without them, coordinates from graph distances (hops to four far-apart
	// landmark units) are used, and a graph without areas and lengths is
	// measured as if every unit were a unit square.
	X, Y []float64
}

// Len returns the number of units N (len(Start)-1, or 0 for an empty graph).
func (g *Graph) Len() int {
	if g == nil || len(g.Start) == 0 {
		return 0
	}
	return len(g.Start) - 1
}

// FromLists builds a Graph of n units from per-unit neighbour lists:
// nbrs(i) returns the neighbours of unit i and the boundary length shared
// with each (shared may be nil, meaning 0 for every neighbour: pure
// adjacency, or island links). area and perim are per-unit areas and full
// perimeters (nil means all zero; otherwise each must have length n, or
// FromLists returns nil).
//
// The result is cleaned so that Solve accepts it: entries out of [0, n)
// and self loops are dropped, a neighbour repeated in one list has its
// lengths summed, NaN or negative lengths count as 0, and the adjacency is
// made symmetric with, for each pair, the larger of the two lengths the
// lists give. Neighbours are sorted by index. An adapter from geo.Edges is
//
//	g := balance.FromLists(e.Len(), func(i int) ([]int, []float64) { ... e.UnitNeighbors(i) ... }, area, perim)
//
// Cost: O(E log E) for E adjacency entries.
func FromLists(n int, nbrs func(i int) (adj []int, shared []float64), area, perim []float64) *Graph {
	if n < 0 || (area != nil && len(area) != n) || (perim != nil && len(perim) != n) {
		return nil
	}
	type entry struct {
		a, b int32
		l    float64
	}
	var es []entry
	for i := range n {
		var adj []int
		var sh []float64
		if nbrs != nil {
			adj, sh = nbrs(i)
		}
		for k, j := range adj {
			if j < 0 || j >= n || j == i {
				continue
			}
			l := 0.0
			if k < len(sh) && sh[k] > 0 && !math.IsInf(sh[k], 0) {
				l = sh[k]
			}
			es = append(es, entry{int32(i), int32(j), l})
		}
	}
	// Sum repeats within one list (same a, b), then symmetrize with max.
	slices.SortFunc(es, func(x, y entry) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	merged := es[:0]
	for _, e := range es {
		if k := len(merged) - 1; k >= 0 && merged[k].a == e.a && merged[k].b == e.b {
			merged[k].l += e.l
			continue
		}
		merged = append(merged, e)
	}
	both := make([]entry, 0, 2*len(merged))
	for _, e := range merged {
		both = append(both, e, entry{e.b, e.a, e.l})
	}
	slices.SortFunc(both, func(x, y entry) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	g := &Graph{Start: make([]int32, n+1), Area: make([]float64, n), Perimeter: make([]float64, n)}
	for k, e := range both {
		if k > 0 && both[k-1].a == e.a && both[k-1].b == e.b {
			g.Shared[len(g.Shared)-1] = max(g.Shared[len(g.Shared)-1], e.l)
			continue
		}
		g.Adj = append(g.Adj, e.b)
		g.Shared = append(g.Shared, e.l)
		g.Start[e.a+1]++
	}
	for i := range n {
		g.Start[i+1] += g.Start[i]
	}
	for i := range n {
		if area != nil && area[i] > 0 && !math.IsInf(area[i], 0) {
			g.Area[i] = area[i]
		}
		if perim != nil && perim[i] > 0 && !math.IsInf(perim[i], 0) {
			g.Perimeter[i] = perim[i]
		}
	}
	return g
}

// validate checks the shapes and values of g and returns a user-facing
// error (code EINVALID) when g cannot be used.
func (g *Graph) validate() error {
	if g == nil || len(g.Start) < 2 {
		return planner.Errorf(planner.EINVALID, "The territory optimizer needs at least one geography unit.")
	}
	n := len(g.Start) - 1
	if g.Start[0] != 0 || int(g.Start[n]) != len(g.Adj) || len(g.Shared) != len(g.Adj) {
		return planner.Errorf(planner.EINVALID, "The unit adjacency is malformed: %d offsets, %d neighbours, %d shared lengths.", len(g.Start), len(g.Adj), len(g.Shared))
	}
	if len(g.Area) != n || len(g.Perimeter) != n {
		return planner.Errorf(planner.EINVALID, "The unit adjacency has %d units but %d areas and %d perimeters.", n, len(g.Area), len(g.Perimeter))
	}
	if (g.X == nil) != (g.Y == nil) || (g.X != nil && (len(g.X) != n || len(g.Y) != n)) {
		return planner.Errorf(planner.EINVALID, "The unit centroids have %d x and %d y values for %d units.", len(g.X), len(g.Y), n)
	}
	for i := range n {
		if g.Start[i+1] < g.Start[i] {
			return planner.Errorf(planner.EINVALID, "The unit adjacency is malformed at unit %d.", i)
		}
		if !(g.Area[i] >= 0) || !(g.Perimeter[i] >= 0) || math.IsInf(g.Area[i], 0) || math.IsInf(g.Perimeter[i], 0) {
			return planner.Errorf(planner.EINVALID, "Unit %d has an invalid area or perimeter (%g, %g).", i, g.Area[i], g.Perimeter[i])
		}
		if g.X != nil && (math.IsNaN(g.X[i]) || math.IsNaN(g.Y[i]) || math.IsInf(g.X[i], 0) || math.IsInf(g.Y[i], 0)) {
			return planner.Errorf(planner.EINVALID, "Unit %d has an invalid centroid.", i)
		}
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			j := g.Adj[e]
			if j < 0 || int(j) >= n || int(j) == i {
				return planner.Errorf(planner.EINVALID, "Unit %d has an invalid neighbour %d.", i, j)
			}
			if !(g.Shared[e] >= 0) || math.IsInf(g.Shared[e], 0) {
				return planner.Errorf(planner.EINVALID, "Unit %d shares an invalid boundary length %g with unit %d.", i, g.Shared[e], j)
			}
		}
	}
	// Symmetry: every entry (i, j, l) must have its mirror (j, i, l). Count
	// the entries pointing at each unit and match them against its own
	// list through a transposed copy, sorted per unit.
	tStart := make([]int32, n+1)
	for _, j := range g.Adj {
		tStart[j+1]++
	}
	for i := range n {
		tStart[i+1] += tStart[i]
	}
	if tStart[n] != g.Start[n] {
		return planner.Errorf(planner.EINVALID, "The unit adjacency is not symmetric.")
	}
	type half struct {
		u int32
		l float64
	}
	t := make([]half, len(g.Adj))
	fill := slices.Clone(tStart[:n])
	for i := range n {
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			j := g.Adj[e]
			t[fill[j]] = half{int32(i), g.Shared[e]}
			fill[j]++
		}
	}
	own := make([]half, 0, 16)
	for i := range n {
		if tStart[i+1]-tStart[i] != g.Start[i+1]-g.Start[i] {
			return planner.Errorf(planner.EINVALID, "The unit adjacency is not symmetric at unit %d.", i)
		}
		in := t[tStart[i]:tStart[i+1]] // already sorted by source unit
		own = own[:0]
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			own = append(own, half{g.Adj[e], g.Shared[e]})
		}
		slices.SortFunc(own, func(x, y half) int { return int(x.u - y.u) })
		for k := range own {
			if k > 0 && own[k].u == own[k-1].u {
				return planner.Errorf(planner.EINVALID, "Unit %d lists neighbour %d twice.", i, own[k].u)
			}
			if own[k].u != in[k].u || math.Abs(own[k].l-in[k].l) > 1e-9*max(1, own[k].l) {
				return planner.Errorf(planner.EINVALID, "The unit adjacency is not symmetric at units %d and %d.", i, own[k].u)
			}
		}
	}
	return nil
}

// PolsbyPopper returns the Polsby-Popper score 4πA/P² of each territory
// 0..k-1 of assign (one territory index per unit of g; units with an index
// outside [0, k) belong to none), where A is the sum of the unit areas and P
// the sum of the unit perimeters less twice the boundary shared by units of
// the territory (Polsby and Popper 1991). A score is 1 for a disc and tends
// to 0 for long or ragged shapes; an empty territory, or one with no
// perimeter, scores 0. It returns nil when len(assign) differs from
// g.Len() or k < 0.
func PolsbyPopper(g *Graph, assign []int, k int) []float64 {
	if g == nil || len(assign) != g.Len() || k < 0 {
		return nil
	}
	a, p := make([]float64, k), make([]float64, k)
	for i, t := range assign {
		if t < 0 || t >= k {
			continue
		}
		a[t] += g.Area[i]
		p[t] += g.Perimeter[i]
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			if assign[g.Adj[e]] == t {
				p[t] -= g.Shared[e] // each internal border is seen from both sides
			}
		}
	}
	out := make([]float64, k)
	for t := range k {
		out[t] = ppScore(a[t], p[t])
	}
	return out
}

// ppScore is 4πA/P², or 0 when P <= 0.
func ppScore(a, p float64) float64 {
	if !(p > 0) {
		return 0
	}
	return 4 * math.Pi * a / (p * p)
}

// CutEdges returns the number of adjacent unit pairs of g whose units lie in
// different territories of assign (each pair counted once; island links
// count), the usual "cut edges" compactness count of redistricting
// software. It returns -1 when len(assign) differs from g.Len().
func CutEdges(g *Graph, assign []int) int {
	if g == nil || len(assign) != g.Len() {
		return -1
	}
	c := 0
	for i := range assign {
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			if j := int(g.Adj[e]); j > i && assign[j] != assign[i] {
				c++
			}
		}
	}
	return c
}

// Parts returns, for each territory 0..k-1 of assign, the number of
// connected pieces it forms in g (1 for a contiguous territory, 0 for an
// empty one). It returns nil when len(assign) differs from g.Len() or
// k < 0.
func Parts(g *Graph, assign []int, k int) []int {
	if g == nil || len(assign) != g.Len() || k < 0 {
		return nil
	}
	out := make([]int, k)
	seen := make([]bool, len(assign))
	var stack []int32
	for s, t := range assign {
		if t < 0 || t >= k || seen[s] {
			continue
		}
		out[t]++
		seen[s] = true
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for e := g.Start[u]; e < g.Start[u+1]; e++ {
				if v := g.Adj[e]; !seen[v] && assign[v] == t {
					seen[v] = true
					stack = append(stack, v)
				}
			}
		}
	}
	return out
}
