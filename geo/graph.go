package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Graph is the adjacency graph of a set of units (counties, say) that a
// territory optimizer loops over: rook neighbours with the length of the
// boundary each pair shares, queen-only (corner) neighbours, unit areas and
// perimeters, and links that join islands to the rest. It is built by
// [NewGraph], is immutable, and its exported slices must not be modified;
// it is safe for concurrent use.
//
// All slices are in compressed sparse row (CSR) form, so that a loop needs
// no allocation:
//
//	for e := g.Start[i]; e < g.Start[i+1]; e++ {
//		j, shared, kind := g.Adj[e], g.Shared[e], g.Kind[e]
//	}
//
// Lengths are in the plane of [GraphOptions.Project] (kilometres with
// [EqualAreaUS]; the input's own unit when Project is nil) and areas in that
// unit squared (km²).
type Graph struct {
	// Start has n+1 entries: the edges of unit i are the entries
	// Start[i]:Start[i+1] of Adj, Shared and Kind.
	Start []int32
	// Adj holds the neighbours of each unit by increasing unit index: rook
	// neighbours found by exact matching (EdgeExact) or by the tolerant
	// fallback (EdgeTolerant), and island links (EdgeLink). Every edge
	// appears twice, once from each end.
	Adj []int32
	// Shared is the boundary length the two units of each Adj entry share:
	// > 0 for EdgeExact (the total length of the matched segments) and
	// EdgeTolerant (an estimate, see [GraphOptions.Tolerance]), exactly 0 for
	// EdgeLink, so that links never count in perimeter sums.
	Shared []float64
	// Kind says how each Adj entry was found.
	Kind []EdgeKind
	// Area is each unit's area: its exterior rings' areas less its holes'
	// (planar shoelace formula; overlapping parts of one unit count twice).
	Area []float64
	// Perimeter is the whole boundary length of each unit: every boundary
	// segment (after snapping) on either side of which the unit lies,
	// coast, outer edges and unmatched borders included, in the unit of
	// Shared. Segments that a ring runs along in both directions (spikes,
	// see [NewEdges]) and degenerate rings are left out, as in Shared, so
	// that the dissolved perimeter of a group of units is exactly the sum
	// of their Perimeter less twice the Shared of the exact edges inside
	// the group.
	Perimeter []float64
	// CornerStart (n+1 entries) and Corner list, in the same CSR layout and
	// by increasing index, the units that touch unit i only at vertices
	// ([Edges.UnitCornerNeighbors]) and are not joined to it by a tolerant
	// edge. Queen adjacency is the Adj entries that are not links plus
	// Corner. A corner pair that lies in two components can also be joined
	// by a link (at distance 0).
	CornerStart []int32
	Corner      []int32
	// Links are the island links added with [GraphOptions.LinkIslands], in
	// the order they were chosen (by increasing Distance within each round
	// of Borůvka's algorithm): A is a unit of the component with fewer units
	// at the time (either on a tie), B the unit of the other component whose
	// boundary is nearest to A's component, Distance the distance between
	// their nearest boundary points.
	Links []Link
	// Tolerant are the edges found by the tolerant fallback, sorted by A
	// then B with A < B; Distance is the smallest distance between the two
	// boundaries (the width of the gap; 0 at a T-junction or an overlap).
	// Their shared length is in Shared.
	Tolerant []Link
	// Isolated lists, increasing, the units that have no usable boundary
	// segment (nil, empty or degenerate geometry, or only non-finite
	// coordinates): they have no neighbours, and island linking cannot
	// reach them, so a linked graph is connected apart from these units.
	Isolated []int
}

// EdgeKind says how an edge of a [Graph] was found.
type EdgeKind uint8

// The kinds of edges.
const (
	// EdgeExact: the units share at least one boundary segment after
	// snapping to the grid (rook adjacency of [NewEdges]).
	EdgeExact EdgeKind = iota
	// EdgeTolerant: the units share no segment but their boundaries run
	// within GraphOptions.Tolerance of each other (a gap, a sliver or a
	// T-junction).
	EdgeTolerant
	// EdgeLink: an island link; the units do not touch.
	EdgeLink
)

// Link is an edge added between units that do not share a matched
// boundary: an island link (A in the smaller component, B its nearest unit
// elsewhere) or a tolerant edge (A < B). Distance is in the graph's length
// unit (km with [EqualAreaUS]).
type Link struct {
	A, B     int
	Distance float64
}

// GraphOptions configures [NewGraph].
type GraphOptions struct {
	// Project maps each unit's geometry to the plane in which lengths and
	// areas are measured; it must map identical input points to identical
	// output points, so that shared borders stay shared. nil means the input
	// is already planar (such as UTM metres), and lengths and areas are in
	// its units. For US units in WGS84 lon/lat degrees use [EqualAreaUS]
	// (km, km²).
	Project func(orb.MultiPolygon) orb.MultiPolygon
	// Grid is the snap grid for exact matching, in projected units (see
	// [NewEdges]); 0 matches only bit-identical coordinates. For us-atlas
	// counties with EqualAreaUS, 1e-6 km (1 mm) is good; for other data
	// about 1e-9 of the data's extent.
	Grid float64
	// Tolerance is the largest gap, in projected units, across which two
	// units that share no matched segment still become rook neighbours
	// (EdgeTolerant); 0, negative, NaN or +Inf turns the fallback off. Only
	// boundary segments with a unit on one side only (coast, outer edge,
	// gap, sliver or unmatched border) are considered. A pair qualifies when
	// the length of the smaller-index unit's such boundary lying within
	// Tolerance of the other unit's exceeds 4×Tolerance, so that units whose
	// corners merely come close are not joined; that length (computed
	// exactly, segment by segment, as the part of each segment inside the
	// Tolerance-wide capsule around the other unit's segments) is the
	// edge's Shared. It overestimates the shared border by up to about
	// 2×Tolerance (the ends of the run) and counts only the one side, so
	// it is a fair estimate when the two sides of a gap run alongside each
	// other. Units that meet at a single point from which their free
	// boundaries leave at an angle under about 15° can also be joined.
	//
	// Recommended: [USToleranceKm] for US units with EqualAreaUS; about
	// 1e-7 of the data's extent otherwise. Even 1e-3 of the extent adds no
	// edge on the five libpysal example sets, nor 1 km on the us-atlas
	// counties (whose narrowest water gap between counties that do not
	// touch, King and Kitsap in Washington, is 1.2 km).
	Tolerance float64
	// LinkIslands joins the connected components of the exact and tolerant
	// edges into one by adding links (EdgeLink): a minimum spanning forest
	// over the components, weighted by the distance between their nearest
	// boundary points (Borůvka's algorithm, ties broken by segment order, so
	// the result is deterministic). Only units in [Graph.Isolated] stay
	// unconnected. With [EqualAreaUS], distances between its regions (from
	// Hawaii, say) are approximate.
	LinkIslands bool
}

// Recommended options for US counties in WGS84 lon/lat degrees.
const (
	// USGridKm is the snap grid for [EqualAreaUS] coordinates: 1 mm.
	USGridKm = 1e-6
	// USToleranceKm is the tolerant fallback's largest gap with
	// [EqualAreaUS] coordinates: 10 m, well below the quantization step of
	// the us-atlas counties (0.0036° × 0.00086°, about 300 m × 95 m) and
	// the narrowest water between counties, and wide enough for the slivers
	// of boundary files digitized at 1:500,000 or finer.
	USToleranceKm = 0.01
)

// USGraphOptions returns the recommended options for units in WGS84
// lon/lat degrees within the United States and its territories:
// [EqualAreaUS], Grid [USGridKm], Tolerance [USToleranceKm] and island
// links on. Lengths are then in km and areas in km².
func USGraphOptions() GraphOptions {
	return GraphOptions{Project: EqualAreaUS, Grid: USGridKm, Tolerance: USToleranceKm, LinkIslands: true}
}

// NewGraph builds the graph of units (unit i is units[i]; nil or empty
// entries are allowed and end up in Graph.Isolated). Rook and corner
// adjacency come from exact segment matching after snapping ([NewEdges]
// with opt.Grid, in the projected plane); then, when opt.Tolerance > 0, the
// tolerant fallback adds pairs whose unmatched boundaries run within the
// tolerance of each other; then, when opt.LinkIslands is set, links join
// the components. See [GraphOptions] for the details of each step. The
// input is not modified.
//
// Cost: the projection, NewEdges, and O(S log S) for the S boundary
// segments with a unit on one side only (an R-tree over them serves the
// fallback's range queries and the links' nearest-neighbour queries):
// about 100 ms for the 3,231 us-atlas counties with USGraphOptions, half of
// it NewEdges (see BenchmarkNewGraphUSCounties).
func NewGraph(units []orb.MultiPolygon, opt GraphOptions) *Graph {
	n := len(units)
	plane := units
	if opt.Project != nil {
		plane = make([]orb.MultiPolygon, n)
		for i, mp := range units {
			if len(mp) > 0 {
				plane[i] = opt.Project(mp)
			}
		}
	}
	e := NewEdges(plane, opt.Grid)
	g := &Graph{Area: make([]float64, n), Perimeter: make([]float64, n)}
	for i, mp := range plane {
		g.Area[i] = unitArea(mp)
	}

	// Perimeters, and the boundary segments with a unit on one side only.
	nseg := make([]int32, n)
	nfree := 0
	for i := range e.segs {
		e.freeSides(&e.segs[i], func(int32) { nfree++ })
	}
	free := make([]bseg, 0, nfree)
	for i := range e.segs {
		s := &e.segs[i]
		l := e.segLength(s)
		e.units(s, func(u int32) {
			g.Perimeter[u] += l
			nseg[u]++
		})
		e.freeSides(s, func(u int32) {
			a, b := e.pts[s.a], e.pts[s.b]
			free = append(free, bseg{a: a, b: b, box: segBound(a, b), unit: u})
		})
	}
	for i, k := range nseg {
		if k == 0 {
			g.Isolated = append(g.Isolated, i)
		}
	}
	tree := newSegTree(free)

	uf := newUnionFind(n)
	for a := range n {
		for _, nb := range e.nbrs[e.nbrStart[a]:e.nbrStart[a+1]] {
			uf.union(int32(a), int32(nb.Unit))
		}
	}
	var tol []tolerantEdge
	if opt.Tolerance > 0 && !math.IsInf(opt.Tolerance, 1) {
		tol = tree.tolerantPairs(e, opt.Tolerance)
		for _, t := range tol {
			uf.union(t.a, t.b)
			g.Tolerant = append(g.Tolerant, Link{A: int(t.a), B: int(t.b), Distance: t.gap})
		}
	}
	if opt.LinkIslands {
		g.Links = tree.linkComponents(uf)
	}
	g.buildAdjacency(e, tol)
	g.buildCorners(e, tol)
	return g
}

// Len returns the number of units.
func (g *Graph) Len() int { return len(g.Area) }

// unitArea is the area of mp: exterior rings (polygon[0]) minus holes, each
// ring's area by the shoelace formula over its finite points, at least 0.
func unitArea(mp orb.MultiPolygon) float64 {
	var total float64
	for _, poly := range mp {
		var a float64
		for k, ring := range poly {
			r := math.Abs(finiteArea2(ring)) / 2
			if math.IsInf(r, 0) || math.IsNaN(r) {
				continue
			}
			if k == 0 {
				a += r
			} else {
				a -= r
			}
		}
		total += max(a, 0)
	}
	return total
}

// finiteArea2 is signedArea2 of the finite points of ring.
func finiteArea2(ring orb.Ring) float64 {
	var o, prev orb.Point
	k := 0
	var a float64
	for _, p := range ring {
		if !finite(p) {
			continue
		}
		switch k {
		case 0:
			o = p
		default:
			a += (prev[0]-o[0])*(p[1]-o[1]) - (p[0]-o[0])*(prev[1]-o[1])
		}
		prev = p
		k++
	}
	return a
}

// freeSides calls f for each unit on a side of segment s whose other side
// has no unit (coast, outer border, gap or unmatched border).
func (e *Edges) freeSides(s *edgeSeg, f func(u int32)) {
	if s.l != multiSides {
		switch {
		case s.l >= 0 && s.r < 0:
			f(s.l)
		case s.r >= 0 && s.l < 0:
			f(s.r)
		}
		return
	}
	pos, neg := false, false
	for _, c := range e.multi[s.r] {
		pos = pos || c.net > 0
		neg = neg || c.net < 0
	}
	if pos != neg {
		for _, c := range e.multi[s.r] {
			f(c.unit)
		}
	}
}

// bseg is a boundary segment a→b of one unit, with its bounding box.
type bseg struct {
	a, b orb.Point
	box  orb.Bound
	unit int32
}

func segBound(a, b orb.Point) orb.Bound {
	return orb.Bound{Min: orb.Point{min(a[0], b[0]), min(a[1], b[1])}, Max: orb.Point{max(a[0], b[0]), max(a[1], b[1])}}
}

// boxDist is the distance between two boxes (0 when they overlap).
func boxDist(a, b orb.Bound) float64 {
	dx := max(a.Min[0]-b.Max[0], 0, b.Min[0]-a.Max[0])
	dy := max(a.Min[1]-b.Max[1], 0, b.Min[1]-a.Max[1])
	return math.Sqrt(dx*dx + dy*dy)
}

// segDist is the distance between segments p0p1 and q0q1: 0 when they
// intersect, otherwise the least distance from an endpoint of one to the
// other.
func segDist(p0, p1, q0, q1 orb.Point) float64 {
	o1, o2 := orient(p0, p1, q0), orient(p0, p1, q1)
	o3, o4 := orient(q0, q1, p0), orient(q0, q1, p1)
	if o1*o2 < 0 && o3*o4 < 0 { // proper crossing
		return 0
	}
	d := min(planar.DistanceFromSegmentSquared(q0, q1, p0), planar.DistanceFromSegmentSquared(q0, q1, p1),
		planar.DistanceFromSegmentSquared(p0, p1, q0), planar.DistanceFromSegmentSquared(p0, p1, q1))
	return math.Sqrt(d)
}

// segTree is a static R-tree over boundary segments, packed like
// PolygonIndex (Sort-Tile-Recursive).
type segTree struct {
	segs   []bseg    // in STR order
	levels [][]rnode // levels[0] groups segs; the last level is the root
}

func newSegTree(segs []bseg) *segTree {
	t := &segTree{}
	if len(segs) == 0 {
		return t
	}
	bounds := make([]orb.Bound, len(segs))
	for i := range segs {
		bounds[i] = segs[i].box
	}
	order := strOrder(bounds)
	t.segs = permute(segs, order)
	bounds = permute(bounds, order)
	for {
		level := groupNodes(bounds)
		if len(level) > 1 {
			level = permute(level, strOrder(boundsOf(level)))
		}
		t.levels = append(t.levels, level)
		if len(level) == 1 {
			return t
		}
		bounds = boundsOf(level)
	}
}

// within calls f with the index of every segment whose box is within r of
// box.
func (t *segTree) within(box orb.Bound, r float64, f func(j int32)) {
	if len(t.levels) == 0 {
		return
	}
	top := len(t.levels) - 1
	t.withinNodes(top, 0, int32(len(t.levels[top])), box, r, f)
}

func (t *segTree) withinNodes(level int, lo, hi int32, box orb.Bound, r float64, f func(j int32)) {
	for _, nd := range t.levels[level][lo:hi] {
		if boxDist(nd.b, box) > r {
			continue
		}
		if level > 0 {
			t.withinNodes(level-1, nd.lo, nd.hi, box, r, f)
			continue
		}
		for j := nd.lo; j < nd.hi; j++ {
			if boxDist(t.segs[j].box, box) <= r {
				f(j)
			}
		}
	}
}

// tolerantEdge is a pair a < b found by the fallback, with the length of
// a's boundary within the tolerance of b's and the least gap.
type tolerantEdge struct {
	a, b   int32
	length float64
	gap    float64
}

// tolerantPairs finds the pairs of units that are not rook neighbours in e
// but whose free boundaries run within tol of each other for more than
// 4×tol, measured along the smaller-index unit.
func (t *segTree) tolerantPairs(e *Edges, tol float64) []tolerantEdge {
	type piece struct {
		v      int32   // the other unit
		lo, hi float64 // parameter interval on the segment, in [0, 1]
		gap    float64
	}
	type pairSum struct{ length, gap float64 }
	if len(t.levels) == 0 {
		return nil
	}
	sums := map[uint64]*pairSum{}
	var pieces []piece
	var near []int32
	for _, leaf := range t.levels[0] {
		// One tree query per leaf, then each of its segments against those.
		near = near[:0]
		t.within(leaf.b, tol, func(j int32) { near = append(near, j) })
		for i := leaf.lo; i < leaf.hi; i++ {
			s := &t.segs[i]
			u := s.unit
			pieces = pieces[:0]
			for _, j := range near {
				q := &t.segs[j]
				v := q.unit
				if v <= u || boxDist(s.box, q.box) > tol || e.isRook(u, v) {
					continue
				}
				d := segDist(s.a, s.b, q.a, q.b)
				if !(d <= tol) {
					continue
				}
				if lo, hi, ok := capsuleInterval(s.a, s.b, q.a, q.b, tol); ok {
					pieces = append(pieces, piece{v, lo, hi, d})
				}
			}
			if len(pieces) == 0 {
				continue
			}
			slices.SortFunc(pieces, func(x, y piece) int { return cmp.Or(cmp.Compare(x.v, y.v), cmp.Compare(x.lo, y.lo)) })
			segLen := planar.Distance(s.a, s.b)
			for k := 0; k < len(pieces); {
				v := pieces[k].v
				covered, gap := 0.0, math.Inf(1)
				curLo, curHi := pieces[k].lo, pieces[k].hi
				for ; k < len(pieces) && pieces[k].v == v; k++ {
					p := pieces[k]
					gap = min(gap, p.gap)
					if p.lo > curHi {
						covered += curHi - curLo
						curLo, curHi = p.lo, p.hi
					} else {
						curHi = max(curHi, p.hi)
					}
				}
				covered += curHi - curLo
				key := pairKey(u, v)
				ps := sums[key]
				if ps == nil {
					ps = &pairSum{gap: math.Inf(1)}
					sums[key] = ps
				}
				ps.length += covered * segLen
				ps.gap = min(ps.gap, gap)
			}
		}
	}
	var out []tolerantEdge
	for k, ps := range sums {
		if ps.length > 4*tol {
			out = append(out, tolerantEdge{a: int32(k >> 32), b: int32(k & 0xffffffff), length: ps.length, gap: ps.gap})
		}
	}
	slices.SortFunc(out, func(x, y tolerantEdge) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	return out
}

// capsuleInterval returns the parameter interval [lo, hi] ⊆ [0, 1] of the
// points a + λ(b−a) within distance r of segment pq: the intersection of
// the line with the capsule around pq (two disks and a strip), which is
// convex, so one interval. ok is false when that set is empty or a point.
func capsuleInterval(a, b, p, q orb.Point, r float64) (lo, hi float64, ok bool) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	dd := dx*dx + dy*dy
	if !(dd > 0) {
		return 0, 0, false
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	disk := func(c orb.Point) {
		ox, oy := a[0]-c[0], a[1]-c[1]
		bb := dx*ox + dy*oy // half of B
		cc := ox*ox + oy*oy - r*r
		disc := bb*bb - dd*cc
		if disc < 0 {
			return
		}
		sq := math.Sqrt(disc)
		lo, hi = min(lo, (-bb-sq)/dd), max(hi, (-bb+sq)/dd)
	}
	disk(p)
	disk(q)
	ex, ey := q[0]-p[0], q[1]-p[1]
	if el := math.Hypot(ex, ey); el > 0 {
		ux, uy := ex/el, ey/el
		ax, ay := a[0]-p[0], a[1]-p[1]
		slo, shi := math.Inf(-1), math.Inf(1)
		// clip keeps the λ with α + λβ in [min, max].
		clip := func(alpha, beta, mn, mx float64) {
			if beta == 0 {
				if alpha < mn || alpha > mx {
					slo, shi = 1, 0
				}
				return
			}
			l1, l2 := (mn-alpha)/beta, (mx-alpha)/beta
			if l1 > l2 {
				l1, l2 = l2, l1
			}
			slo, shi = max(slo, l1), min(shi, l2)
		}
		clip(ax*ux+ay*uy, dx*ux+dy*uy, 0, el)
		clip(-ax*uy+ay*ux, -dx*uy+dy*ux, -r, r)
		if slo <= shi {
			lo, hi = min(lo, slo), max(hi, shi)
		}
	}
	lo, hi = max(lo, 0), min(hi, 1)
	return lo, hi, hi > lo
}

// unionFind is a disjoint-set forest over units with union by size.
type unionFind struct{ parent, size []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i], u.size[i] = int32(i), 1
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins the sets of a and b; it reports whether they were apart.
func (u *unionFind) union(a, b int32) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return false
	}
	if u.size[ra] < u.size[rb] || (u.size[ra] == u.size[rb] && rb < ra) {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	u.size[ra] += u.size[rb]
	return true
}

// linkCand is a candidate link between tree segments i < j at distance d.
type linkCand struct {
	d    float64
	i, j int32
}

// less orders candidates by distance, then segment indices: a strict total
// order, so that Borůvka's algorithm picks a unique minimum spanning forest.
func (c linkCand) less(o linkCand) bool {
	if c.d != o.d {
		return c.d < o.d
	}
	if c.i != o.i {
		return c.i < o.i
	}
	return c.j < o.j
}

// linkComponents joins the components of uf (over units that have free
// boundary segments) with minimum-distance links, Borůvka's algorithm
// (Borůvka 1926; see Cormen et al., Introduction to Algorithms, problem
// 23-2): in each round every component but the one with the most segments
// finds its nearest other component, and those links are added in order.
// Every link found is an edge of the minimum spanning forest of the
// components, and each round at least halves the number of components
// other than the largest.
func (t *segTree) linkComponents(uf *unionFind) []Link {
	if len(t.segs) == 0 {
		return nil
	}
	comp := make([]int32, len(t.segs))
	pure := make([][]int32, len(t.levels))
	for k := range pure {
		pure[k] = make([]int32, len(t.levels[k]))
	}
	best := map[int32]*linkCand{}
	count := map[int32]int{}
	var links []Link
	for {
		clear(count)
		for j := range t.segs {
			comp[j] = uf.find(t.segs[j].unit)
			count[comp[j]]++
		}
		if len(count) < 2 {
			return links
		}
		largest := int32(-1)
		for c, k := range count {
			if largest < 0 || k > count[largest] || (k == count[largest] && c < largest) {
				largest = c
			}
		}
		// pure[k][i] is the component of every segment under node i of
		// level k, or -1 when they differ.
		for i, nd := range t.levels[0] {
			pure[0][i] = sameComp(comp[nd.lo:nd.hi])
		}
		for k := 1; k < len(t.levels); k++ {
			for i, nd := range t.levels[k] {
				pure[k][i] = sameComp(pure[k-1][nd.lo:nd.hi])
			}
		}
		clear(best)
		for j := range t.segs {
			c := comp[j]
			if c == largest {
				continue
			}
			b := best[c]
			if b == nil {
				b = &linkCand{d: math.Inf(1), i: math.MaxInt32, j: math.MaxInt32}
				best[c] = b
			}
			t.nearestOther(int32(j), comp, pure, b)
		}
		cands := make([]linkCand, 0, len(best))
		for _, b := range best {
			if b.i != math.MaxInt32 {
				cands = append(cands, *b)
			}
		}
		slices.SortFunc(cands, func(x, y linkCand) int {
			if x.less(y) {
				return -1
			}
			if y.less(x) {
				return 1
			}
			return 0
		})
		added := false
		for _, c := range cands {
			a, b := t.segs[c.i].unit, t.segs[c.j].unit
			ra, rb := uf.find(a), uf.find(b)
			if ra == rb {
				continue
			}
			if uf.size[rb] < uf.size[ra] { // A in the smaller component
				a, b = b, a
			}
			uf.union(a, b)
			links = append(links, Link{A: int(a), B: int(b), Distance: c.d})
			added = true
		}
		if !added {
			return links
		}
	}
}

// sameComp returns the common value of cs, or -1 when they differ or any
// is -1.
func sameComp(cs []int32) int32 {
	if len(cs) == 0 {
		return -1
	}
	c := cs[0]
	for _, x := range cs[1:] {
		if x != c {
			return -1
		}
	}
	return c
}

// nearestOther improves best with the segments of other components than
// segment q's that are nearest to q.
func (t *segTree) nearestOther(q int32, comp []int32, pure [][]int32, best *linkCand) {
	top := len(t.levels) - 1
	t.nearestNodes(top, 0, int32(len(t.levels[top])), q, comp, pure, best)
}

func (t *segTree) nearestNodes(level int, lo, hi, q int32, comp []int32, pure [][]int32, best *linkCand) {
	s := &t.segs[q]
	c := comp[q]
	// Visit the children nearest first, so that best shrinks early.
	var idx [nodeCapacity]int32
	var dist [nodeCapacity]float64
	m := 0
	for i := lo; i < hi; i++ {
		if pure[level][i] == c {
			continue
		}
		d := boxDist(t.levels[level][i].b, s.box)
		if d > best.d {
			continue
		}
		k := m
		for k > 0 && dist[k-1] > d {
			idx[k], dist[k] = idx[k-1], dist[k-1]
			k--
		}
		idx[k], dist[k] = i, d
		m++
	}
	for k := range m {
		if dist[k] > best.d {
			return
		}
		nd := t.levels[level][idx[k]]
		if level > 0 {
			t.nearestNodes(level-1, nd.lo, nd.hi, q, comp, pure, best)
			continue
		}
		for j := nd.lo; j < nd.hi; j++ {
			if comp[j] == c {
				continue
			}
			o := &t.segs[j]
			if boxDist(o.box, s.box) > best.d {
				continue
			}
			cand := linkCand{d: segDist(s.a, s.b, o.a, o.b), i: min(q, j), j: max(q, j)}
			if cand.less(*best) {
				*best = cand
			}
		}
	}
}

// adjEntry is one end of an edge while the CSR arrays are built.
type adjEntry struct {
	nb     int32
	shared float64
	kind   EdgeKind
}

// buildAdjacency fills Start, Adj, Shared and Kind from the exact edges of
// e, the tolerant edges and g.Links.
func (g *Graph) buildAdjacency(e *Edges, tol []tolerantEdge) {
	n := len(g.Area)
	g.Start = make([]int32, n+1)
	for a := range n {
		g.Start[a+1] = e.nbrStart[a+1] - e.nbrStart[a]
	}
	for _, t := range tol {
		g.Start[t.a+1]++
		g.Start[t.b+1]++
	}
	for _, l := range g.Links {
		g.Start[l.A+1]++
		g.Start[l.B+1]++
	}
	for i := range n {
		g.Start[i+1] += g.Start[i]
	}
	ends := make([]adjEntry, g.Start[n])
	fill := slices.Clone(g.Start[:n])
	put := func(a, b int32, shared float64, kind EdgeKind) {
		ends[fill[a]] = adjEntry{b, shared, kind}
		fill[a]++
	}
	for a := range n {
		for _, nb := range e.nbrs[e.nbrStart[a]:e.nbrStart[a+1]] {
			put(int32(a), int32(nb.Unit), nb.Length, EdgeExact)
		}
	}
	for _, t := range tol {
		put(t.a, t.b, t.length, EdgeTolerant)
		put(t.b, t.a, t.length, EdgeTolerant)
	}
	for _, l := range g.Links {
		put(int32(l.A), int32(l.B), 0, EdgeLink)
		put(int32(l.B), int32(l.A), 0, EdgeLink)
	}
	g.Adj, g.Shared, g.Kind = make([]int32, len(ends)), make([]float64, len(ends)), make([]EdgeKind, len(ends))
	for i := range n {
		es := ends[g.Start[i]:g.Start[i+1]]
		if len(tol) > 0 || len(g.Links) > 0 {
			slices.SortFunc(es, func(x, y adjEntry) int { return cmp.Compare(x.nb, y.nb) })
		}
		for k, x := range es {
			j := int(g.Start[i]) + k
			g.Adj[j], g.Shared[j], g.Kind[j] = x.nb, x.shared, x.kind
		}
	}
}

// buildCorners fills CornerStart and Corner from e's corner pairs, less
// the pairs joined by a tolerant edge.
func (g *Graph) buildCorners(e *Edges, tol []tolerantEdge) {
	n := len(g.Area)
	drop := map[uint64]bool{}
	for _, t := range tol {
		drop[pairKey(t.a, t.b)] = true
	}
	g.CornerStart = make([]int32, n+1)
	g.Corner = make([]int32, 0, len(e.corners))
	for i := range n {
		for _, c := range e.corners[e.cornerStart[i]:e.cornerStart[i+1]] {
			if !drop[pairKey(int32(i), c)] {
				g.Corner = append(g.Corner, c)
			}
		}
		g.CornerStart[i+1] = int32(len(g.Corner))
	}
}

// groupOf returns unit i's group, or -1 when group is too short or the
// entry is negative or >= k.
func groupOf(group []int, i, k int) int {
	if i < len(group) && group[i] >= 0 && group[i] < k {
		return group[i]
	}
	return -1
}

// Parts returns the number of connected parts of each group 0..k-1: group[i]
// is unit i's group; entries that are missing (group shorter than the
// units), negative or >= k leave the unit out. Units connect through every
// edge of Adj (exact, tolerant and link edges) between units of the same
// group; corner contact does not count. A unit without shape (no area and
// no edge, such as 51610 Falls Church in us-atlas, which has no polygon) is
// no part of its own: it is not on the map. An empty group has 0 parts, and
// a group of shapeless units only has 1. It returns nil when k <= 0. Cost
// O(n + edges), one allocation of O(n).
func (g *Graph) Parts(group []int, k int) []int {
	if k <= 0 {
		return nil
	}
	n := len(g.Area)
	out := make([]int, k)
	seen := make([]bool, n)
	shapeless := make([]bool, k)
	var stack []int32
	for i := range n {
		gi := groupOf(group, i, k)
		if gi < 0 || seen[i] {
			continue
		}
		if g.Start[i] == g.Start[i+1] && !(g.Area[i] > 0) {
			shapeless[gi] = true
			continue
		}
		out[gi]++
		seen[i] = true
		stack = append(stack[:0], int32(i))
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, v := range g.Adj[g.Start[u]:g.Start[u+1]] {
				// gi is in [0, k), so group[v] == gi is a valid group.
				if !seen[v] && int(v) < len(group) && group[v] == gi {
					seen[v] = true
					stack = append(stack, v)
				}
			}
		}
	}
	for gi := range out {
		if out[gi] == 0 && shapeless[gi] {
			out[gi] = 1
		}
	}
	return out
}

// PolsbyPopper returns the Polsby-Popper compactness 4πA/P² of each group
// 0..k-1 (Polsby and Popper, "The Third Criterion: Compactness as a
// Procedural Safeguard Against Partisan Gerrymandering", Yale Law & Policy
// Review 9(2), 1991), where A is the sum of the group's unit areas and P
// its dissolved perimeter: the sum of its unit perimeters less twice the
// Shared length of every exact or tolerant edge inside the group (links
// share nothing). It is 1 for a disc, π/4 for a square, and dimensionless;
// with [EqualAreaUS] areas are true and lengths within the projection's
// scale error (at most 1.4% in the lower 48), so the score is within
// about 3% of the value on the ellipsoid. group and k
// are as for [Graph.Parts]; an empty group, or one with no area or
// perimeter, gets 0. Tolerant edges' Shared is an estimate, so a group
// joined only across gaps can come out slightly high. It returns nil when
// k <= 0. Cost O(n + edges), allocating only the result.
func (g *Graph) PolsbyPopper(group []int, k int) []float64 {
	if k <= 0 {
		return nil
	}
	out := make([]float64, 2*k)
	area, per := out[:k:k], out[k:]
	for i := range g.Area {
		gi := groupOf(group, i, k)
		if gi < 0 {
			continue
		}
		area[gi] += g.Area[i]
		per[gi] += g.Perimeter[i]
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			if j := int(g.Adj[e]); j < len(group) && group[j] == gi {
				per[gi] -= g.Shared[e] // each edge is seen from both ends
			}
		}
	}
	for i := range area {
		if area[i] > 0 && per[i] > 0 {
			area[i] = 4 * math.Pi * area[i] / (per[i] * per[i])
		} else {
			area[i] = 0
		}
	}
	return area
}

// CutEdges returns the number of rook edges (exact or tolerant, not links)
// whose two units are in different groups, the "cut edges" score of
// GerryChain (github.com/mggg/GerryChain, the cut_edges updater). group[i]
// is unit i's group; units with a negative group or beyond the end of group
// are unassigned, and edges with an unassigned end are not counted.
func (g *Graph) CutEdges(group []int) int {
	cut := 0
	for i := range g.Area {
		if i >= len(group) || group[i] < 0 {
			continue
		}
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			j := int(g.Adj[e])
			if j <= i || g.Kind[e] == EdgeLink || j >= len(group) || group[j] < 0 {
				continue
			}
			if group[j] != group[i] {
				cut++
			}
		}
	}
	return cut
}

// WGS84 ellipsoid, in km.
const (
	wgs84A = 6378.137
	wgs84F = 1 / 298.257223563
)

// wgs84E2 and wgs84E are the square of the eccentricity and the
// eccentricity.
var (
	wgs84E2 = wgs84F * (2 - wgs84F)
	wgs84E  = math.Sqrt(wgs84E2)
)

// ellAlbers is the Albers equal-area conic projection of the WGS84
// ellipsoid, in km (Snyder, "Map Projections: A Working Manual", USGS
// Professional Paper 1395, 1987, equations 14-12 to 14-15, 3-12 and 14-15).
type ellAlbers struct {
	lon0, n, c, rho0 float64 // lon0 in radians; rho0 in km
}

// albersQ is Snyder's q (equation 3-12) for sin φ.
func albersQ(sinPhi float64) float64 {
	es := wgs84E * sinPhi
	return (1 - wgs84E2) * (sinPhi/(1-es*es) - math.Log((1-es)/(1+es))/(2*wgs84E))
}

// albersM is Snyder's m (equation 14-15) for φ in radians.
func albersM(phi float64) float64 {
	s := math.Sin(phi)
	return math.Cos(phi) / math.Sqrt(1-wgs84E2*s*s)
}

// newEllAlbers returns the projection with central meridian lon0, latitude
// of origin lat0 and standard parallels lat1 and lat2, in degrees.
func newEllAlbers(lon0, lat0, lat1, lat2 float64) ellAlbers {
	p1, p2 := lat1*rad, lat2*rad
	m1, m2 := albersM(p1), albersM(p2)
	q1, q2 := albersQ(math.Sin(p1)), albersQ(math.Sin(p2))
	var n float64
	if lat1 == lat2 {
		n = math.Sin(p1)
	} else {
		n = (m1*m1 - m2*m2) / (q2 - q1)
	}
	a := ellAlbers{lon0: lon0 * rad, n: n, c: m1*m1 + n*q1}
	a.rho0 = wgs84A * math.Sqrt(math.Max(0, a.c-n*albersQ(math.Sin(lat0*rad)))) / n
	return a
}

// theta is n times the longitude relative to the central meridian, wrapped
// to [-180°, 180°) first, in radians.
func (a ellAlbers) theta(lon float64) float64 {
	dl := lon*rad - a.lon0
	dl = math.Mod(dl+3*math.Pi, 2*math.Pi) - math.Pi
	return a.n * dl
}

// project maps lon/lat degrees to km, x east and y north at the central
// meridian, origin at (lon0, lat0).
func (a ellAlbers) project(p orb.Point) orb.Point {
	rho := wgs84A * math.Sqrt(math.Max(0, a.c-a.n*albersQ(math.Sin(p[1]*rad)))) / a.n
	t := a.theta(p[0])
	return orb.Point{rho * math.Sin(t), a.rho0 - rho*math.Cos(t)}
}

// usRegion is one region of EqualAreaUS: its own Albers projection, then a
// rigid motion (rotation cos/sin and translation) that puts the region's
// reference point where the lower-48 projection puts it, with its meridian
// there pointing the same way.
type usRegion struct {
	proj     ellAlbers
	cos, sin float64
	off      orb.Point
}

func (r *usRegion) project(p orb.Point) orb.Point {
	q := r.proj.project(p)
	return orb.Point{r.cos*q[0] - r.sin*q[1] + r.off[0], r.sin*q[0] + r.cos*q[1] + r.off[1]}
}

// usLower48 is the region of the lower 48 states, and the frame of all.
var usLower48 = &usRegion{proj: newEllAlbers(-96, 37.5, 29.5, 45.5), cos: 1}

// newUSRegion places a region with projection proj in the lower-48 frame
// at the reference point ref (lon/lat degrees).
func newUSRegion(proj ellAlbers, ref orb.Point) *usRegion {
	l48 := usLower48.proj
	th := l48.theta(ref[0]) - proj.theta(ref[0])
	r := &usRegion{proj: proj, cos: math.Cos(th), sin: math.Sin(th)}
	p, q := proj.project(ref), l48.project(ref)
	r.off = orb.Point{q[0] - (r.cos*p[0] - r.sin*p[1]), q[1] - (r.sin*p[0] + r.cos*p[1])}
	return r
}

// usRegions maps the names of AlbersUSA's insets to the true-scale regions
// of EqualAreaUS.
var usRegions = func() map[string]*usRegion {
	alaska := newUSRegion(newEllAlbers(-154, 50, 55, 65), orb.Point{-154, 60})
	return map[string]*usRegion{
		"Alaska":                            alaska,
		"Alaska (west of 180°)":             alaska,
		"Hawaii":                            newUSRegion(newEllAlbers(-157, 3, 8, 18), orb.Point{-157, 20.5}),
		"Puerto Rico and US Virgin Islands": newUSRegion(newEllAlbers(-66, 17, 17.5, 18.5), orb.Point{-66, 18}),
		"Guam and Northern Mariana Islands": newUSRegion(newEllAlbers(145, 13, 13.5, 18), orb.Point{145, 15}),
		"American Samoa":                    newUSRegion(newEllAlbers(-170, -12, -12.5, -14.5), orb.Point{-170, -14}),
		"Lower 48":                          usLower48,
	}
}()

// EqualAreaUS projects a unit in WGS84 lon/lat degrees to a plane in
// kilometres at true scale, with the Albers equal-area conic projection of
// the WGS84 ellipsoid (Snyder 1987, equations 14-12 to 14-15) of the unit's
// region, so that areas (km²) are exact (the edges between vertices become
// straight in the plane) and lengths (km) are within the projection's
// scale error: the scale along parallels is 1 on the standard parallels,
// 0.990 at 37.5° N and 1.014 at the Florida Keys in the lower 48, 0.996 to
// 1.026 (North Slope) in Alaska, up to 1.010 on Kauai, and within 0.3%
// elsewhere, and the scale along meridians is its inverse. The regions:
//
//   - lower 48: standard parallels 29.5° and 45.5°, central meridian 96° W;
//   - Alaska: 55° and 65°, 154° W (USGS's Alaska Albers);
//   - Hawaii: 8° and 18°, 157° W;
//   - Puerto Rico and the US Virgin Islands: 17.5° and 18.5°, 66° W;
//   - Guam and the Northern Mariana Islands: 13.5° and 18°, 145° E;
//   - American Samoa: 12.5° and 14.5° S, 170° W.
//
// The region is chosen as [AlbersUSA] chooses its inset (the centre of the
// bound of the unit's largest part, the lower 48 when in no inset), so
// neighbouring units of one region share vertices exactly after projection;
// but AlbersUSA's inset scaling and translation are not applied. Instead
// each region's plane is moved rigidly (rotated and translated, which keeps
// areas and lengths) so that a reference point of the region lands where
// the lower-48 projection puts it: regions then sit roughly where they are
// on the globe relative to the lower 48, and distances between regions
// (such as island links from Hawaii) are approximate, within the lower-48
// projection's distortion there (tens of percent for Guam).
//
// A territory that spans two regions has correct total area, and sums of
// unit perimeters and shared lengths stay right, but its units in
// different regions never share a border: they are joined only by island
// links. The result is a new multipolygon; mp is not changed.
func EqualAreaUS(mp orb.MultiPolygon) orb.MultiPolygon {
	if len(mp) == 0 {
		return nil
	}
	r := usRegions[AlbersUSA.insetOrLast(compositeAnchor(mp)).Name]
	if r == nil {
		r = usLower48
	}
	// One allocation for the rings and one for the points.
	nr, np := 0, 0
	for _, poly := range mp {
		nr += len(poly)
		for _, ring := range poly {
			np += len(ring)
		}
	}
	rings := make([]orb.Ring, nr)
	pts := make([]orb.Point, np)
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = rings[:len(poly):len(poly)]
		rings = rings[len(poly):]
		for j, ring := range poly {
			pr := pts[:len(ring):len(ring)]
			pts = pts[len(ring):]
			for k, p := range ring {
				pr[k] = r.project(p)
			}
			out[i][j] = pr
		}
	}
	return out
}

// compositeAnchor is the point by which Composite.MultiPolygon chooses the
// inset of mp: the centre of the bound of the exterior ring of its largest
// part (by bound area).
func compositeAnchor(mp orb.MultiPolygon) orb.Point {
	largest, area := 0, -1.0
	for i, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		b := poly[0].Bound()
		if a := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]); a > area {
			largest, area = i, a
		}
	}
	if len(mp[largest]) == 0 {
		return orb.Point{}
	}
	return mp[largest][0].Bound().Center()
}
