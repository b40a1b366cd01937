package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Edges is the shared-boundary structure of a set of units (geography
// units such as counties): every boundary segment of every ring, matched
// with the identical segment of the neighbouring unit, so that each unique
// segment knows the unit on each side (or that a side is outside every
// unit). It answers, for any grouping of the units into territories, the
// dissolved outline of each group ([Edges.Outlines]), which groups border
// which and by how much ([Edges.GroupNeighbors]) and a label point inside
// each group ([Edges.LabelPoints]); and, for the units themselves, rook and
// corner (queen-only) adjacency ([Edges.UnitNeighbors],
// [Edges.UnitCornerNeighbors]).
//
// Matching is exact on snapped vertices, as in a TopoJSON topology, where
// neighbours share identical vertex coordinates along common borders (and
// keep sharing them after the same projection). It does not find borders
// whose vertices differ (T-junctions, slivers or overlaps of unmatched
// data): such a border counts as outline on both sides and makes no
// neighbours.
//
// All coordinates and lengths are in the planar units of the input (for
// example the plane of [AlbersUSA], about 1,000 units across the lower 48);
// no spherical math is done. An Edges is immutable once built and safe for
// concurrent use.
type Edges struct {
	n    int         // number of units
	pts  []orb.Point // vertex coordinates: the first input point snapped to each key
	segs []edgeSeg   // unique segments
	// multi holds the sides of segments claimed by more than one unit on a
	// side (overlapping input); such a segment has l == multiSides and r
	// indexing multi.
	multi [][]sideClaim

	// Rook adjacency: the neighbours of unit i are nbrs[nbrStart[i]:nbrStart[i+1]],
	// by increasing unit index.
	nbrStart []int32
	nbrs     []UnitBorder
	// Corner-only adjacency, in the same layout.
	cornerStart []int32
	corners     []int32
}

// edgeSeg is a unique boundary segment from vertex a to vertex b; unit l
// lies to its left (the side a counter-clockwise exterior ring has its
// interior on, in a y-up plane) and unit r to its right, -1 meaning no unit.
// l == multiSides marks a segment with several units on a side, listed in
// Edges.multi[r].
type edgeSeg struct {
	a, b, l, r int32
}

// multiSides is the edgeSeg.l of a segment whose sides are in Edges.multi.
const multiSides = -2

// sideClaim is a unit on a side of a segment: net > 0 when the unit's rings
// run along a→b (unit on the left) net times more than along b→a, net < 0
// for the right side.
type sideClaim struct{ unit, net int32 }

// claim is a unit's ring running along a segment, forward (a→b) or not.
type claim struct {
	unit int32
	fwd  bool
}

// UnitBorder is a rook neighbour of a unit: the neighbouring unit's index
// and the total length of the boundary the two share, in planar units of the
// input (always > 0).
type UnitBorder struct {
	Unit   int
	Length float64
}

// GroupBorder is a pair of neighbouring groups A < B and the total length
// of the boundary between them, in planar units of the input (always > 0).
type GroupBorder struct {
	A, B   int
	Length float64
}

// vertexKey identifies a snapped vertex.
type vertexKey struct{ x, y int64 }

// NewEdges builds the structure from units (unit i is units[i]; nil or
// empty entries are allowed and simply have no boundary) and a snap grid
// size in the units' planar units.
//
// With grid > 0 every vertex is snapped to the nearest multiple of grid in
// x and y (math.Round(x/grid)), and vertices that snap to the same grid
// point are treated as one; the vertex keeps the coordinates of the first
// input point snapped there, so lengths and outlines use input coordinates,
// not grid points. Choose grid well below the smallest real vertex spacing
// (for us-atlas counties in the AlbersUSA plane, whose quantization step is
// about 0.01 plane units, 1e-6 is a good value). Two points closer than grid
// can still fall on either side of a rounding boundary and stay distinct,
// so snapping repairs tiny noise only most of the time; data built from a
// topology needs none. With grid <= 0 or NaN only bit-identical coordinates
// (with -0 equal to +0) are matched.
//
// Rings may be open or closed. polygon[0] is taken as the exterior ring and
// the others as holes, whatever their orientation; rings with fewer than 3
// distinct points or zero signed area, segments that snap to a single
// vertex, and segments with a NaN or infinite (or, snapped, out of int64
// range) coordinate are skipped. The sides of a segment are netted out as
// a boundary operator sums oriented edges: a unit that runs along the same
// segment in both directions (a spike, as simplification left in 48037
// Bowie TX on its border with Arkansas in us-atlas) lies on neither side of
// it, and when two units claim the same side (overlapping input) both are
// kept there, so that both neighbour the unit opposite and every group
// outline still closes.
//
// Building costs about O(P) hash-map operations for P input points (about
// 30-40 ms for the 3,231 us-atlas counties; see BenchmarkNewEdgesUSCounties).
func NewEdges(units []orb.MultiPolygon, grid float64) *Edges {
	e := &Edges{n: len(units)}
	total := 0
	for _, mp := range units {
		for _, poly := range mp {
			for _, r := range poly {
				total += len(r)
			}
		}
	}
	vid := make(map[vertexKey]int32, total/2)
	sid := make(map[uint64]int32, total/2)
	e.pts = make([]orb.Point, 0, total/2)
	e.segs = make([]edgeSeg, 0, total/2)

	snap := grid > 0 // false for NaN too
	vertex := func(p orb.Point) int32 {
		if !finite(p) {
			return -1
		}
		var k vertexKey
		if snap {
			x, y := math.Round(p[0]/grid), math.Round(p[1]/grid)
			if math.Abs(x) > 1<<62 || math.Abs(y) > 1<<62 {
				return -1
			}
			k = vertexKey{int64(x), int64(y)}
		} else {
			k = vertexKey{int64(math.Float64bits(p[0] + 0)), int64(math.Float64bits(p[1] + 0))}
		}
		if id, ok := vid[k]; ok {
			return id
		}
		id := int32(len(e.pts))
		vid[k] = id
		e.pts = append(e.pts, p)
		return id
	}

	var ids []int32
	var fin []orb.Point
	extra := map[int32][]claim{} // claims beyond the first on each side
	for u, mp := range units {
		for _, poly := range mp {
			for k, ring := range poly {
				m := len(ring)
				if m > 1 && ring[0] == ring[m-1] {
					m--
				}
				if m < 3 {
					continue
				}
				// Orientation from the finite points (NaN vertices are dropped
				// below, with their segments).
				fin = fin[:0]
				for _, p := range ring[:m] {
					if finite(p) {
						fin = append(fin, p)
					}
				}
				area := signedArea2(fin)
				if !(area != 0) || math.IsInf(area, 0) {
					continue
				}
				interiorLeft := (k == 0) == (area > 0)
				ids = ids[:0]
				for _, p := range ring[:m] {
					ids = append(ids, vertex(p))
				}
				for i := range m {
					a, b := ids[i], ids[(i+1)%m]
					if a < 0 || b < 0 || a == b {
						continue
					}
					if !interiorLeft {
						a, b = b, a
					}
					e.addSegment(sid, extra, int32(u), a, b)
				}
			}
		}
	}
	e.resolveClaims(extra)
	e.buildRook()
	e.buildCorners()
	return e
}

// signedArea2 is twice the signed area of the ring pts (implicitly closed),
// positive when counter-clockwise in a y-up plane (shoelace formula),
// computed relative to the first point for accuracy.
func signedArea2(pts []orb.Point) float64 {
	if len(pts) < 3 {
		return 0
	}
	ox, oy := pts[0][0], pts[0][1]
	var a float64
	for i := 1; i < len(pts)-1; i++ {
		a += (pts[i][0]-ox)*(pts[i+1][1]-oy) - (pts[i+1][0]-ox)*(pts[i][1]-oy)
	}
	return a
}

// addSegment records that unit u has its interior to the left of a→b.
// The first claim on each side goes into the segment, others into extra.
func (e *Edges) addSegment(sid map[uint64]int32, extra map[int32][]claim, u, a, b int32) {
	lo, hi := min(a, b), max(a, b)
	key := uint64(lo)<<32 | uint64(hi)
	s, ok := sid[key]
	if !ok {
		sid[key] = int32(len(e.segs))
		e.segs = append(e.segs, edgeSeg{a: a, b: b, l: u, r: -1})
		return
	}
	sg := &e.segs[s]
	fwd := sg.a == a
	switch {
	case fwd && sg.l < 0:
		sg.l = u
	case !fwd && sg.r < 0:
		sg.r = u
	default:
		extra[s] = append(extra[s], claim{u, fwd})
	}
}

// resolveClaims nets out the claims on each segment, the way a boundary
// operator sums oriented edges: a unit that runs along a segment both ways
// (a spike) lies on neither side, and a segment claimed on one side by two
// units (overlapping input) keeps both there, in multi.
func (e *Edges) resolveClaims(extra map[int32][]claim) {
	for i := range e.segs {
		if sg := &e.segs[i]; sg.l >= 0 && sg.l == sg.r {
			sg.l, sg.r = -1, -1
		}
	}
	keys := make([]int32, 0, len(extra))
	for s := range extra {
		keys = append(keys, s)
	}
	slices.Sort(keys)
	for _, s := range keys {
		sg := &e.segs[s]
		var sides []sideClaim
		add := func(u, d int32) {
			if u < 0 {
				return
			}
			for k := range sides {
				if sides[k].unit == u {
					sides[k].net += d
					return
				}
			}
			sides = append(sides, sideClaim{u, d})
		}
		add(sg.l, 1)
		add(sg.r, -1)
		for _, c := range extra[s] {
			if c.fwd {
				add(c.unit, 1)
			} else {
				add(c.unit, -1)
			}
		}
		sides = slices.DeleteFunc(sides, func(c sideClaim) bool { return c.net == 0 })
		sg.l, sg.r = -1, -1
		plain := true
		for _, c := range sides {
			switch {
			case c.net == 1 && sg.l < 0:
				sg.l = c.unit
			case c.net == -1 && sg.r < 0:
				sg.r = c.unit
			default:
				plain = false
			}
		}
		if !plain {
			sg.l, sg.r = multiSides, int32(len(e.multi))
			e.multi = append(e.multi, sides)
		}
	}
}

// unitPairs calls f for every pair of units on opposite sides of segment s
// (left unit first).
func (e *Edges) unitPairs(s *edgeSeg, f func(l, r int32)) {
	if s.l != multiSides {
		if s.l >= 0 && s.r >= 0 {
			f(s.l, s.r)
		}
		return
	}
	for _, x := range e.multi[s.r] {
		if x.net <= 0 {
			continue
		}
		for _, y := range e.multi[s.r] {
			if y.net < 0 {
				f(x.unit, y.unit)
			}
		}
	}
}

// units calls f for every unit on either side of segment s.
func (e *Edges) units(s *edgeSeg, f func(u int32)) {
	if s.l != multiSides {
		if s.l >= 0 {
			f(s.l)
		}
		if s.r >= 0 {
			f(s.r)
		}
		return
	}
	for _, x := range e.multi[s.r] {
		f(x.unit)
	}
}

// segLength is the length of segment s.
func (e *Edges) segLength(s *edgeSeg) float64 {
	p, q := e.pts[s.a], e.pts[s.b]
	dx, dy := q[0]-p[0], q[1]-p[1]
	return math.Sqrt(dx*dx + dy*dy)
}

// pairKey packs an unordered pair of non-negative indices.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

// buildRook fills the rook adjacency from segments with a different unit on
// each side.
func (e *Edges) buildRook() {
	lengths := map[uint64]float64{}
	for i := range e.segs {
		s := &e.segs[i]
		e.unitPairs(s, func(l, r int32) {
			if l != r {
				lengths[pairKey(l, r)] += e.segLength(s)
			}
		})
	}
	count := make([]int32, e.n+1)
	for k := range lengths {
		count[k>>32]++
		count[k&0xffffffff]++
	}
	e.nbrStart = make([]int32, e.n+1)
	for i := range e.n {
		e.nbrStart[i+1] = e.nbrStart[i] + count[i]
	}
	e.nbrs = make([]UnitBorder, e.nbrStart[e.n])
	fill := slices.Clone(e.nbrStart[:e.n])
	for k, l := range lengths {
		a, b := int32(k>>32), int32(k&0xffffffff)
		e.nbrs[fill[a]] = UnitBorder{Unit: int(b), Length: l}
		fill[a]++
		e.nbrs[fill[b]] = UnitBorder{Unit: int(a), Length: l}
		fill[b]++
	}
	for i := range e.n {
		slices.SortFunc(e.nbrs[e.nbrStart[i]:e.nbrStart[i+1]], func(x, y UnitBorder) int { return x.Unit - y.Unit })
	}
}

// isRook reports whether units a and b share a boundary segment.
func (e *Edges) isRook(a, b int32) bool {
	_, ok := slices.BinarySearchFunc(e.nbrs[e.nbrStart[a]:e.nbrStart[a+1]], int(b), func(x UnitBorder, t int) int { return x.Unit - t })
	return ok
}

// buildCorners finds pairs of units that share a vertex but no segment.
func (e *Edges) buildCorners() {
	// Units incident to each vertex, in CSR layout.
	start := make([]int32, len(e.pts)+1)
	for i := range e.segs {
		s := &e.segs[i]
		k := int32(0)
		e.units(s, func(int32) { k++ })
		start[s.a+1] += k
		start[s.b+1] += k
	}
	for v := range e.pts {
		start[v+1] += start[v]
	}
	units := make([]int32, start[len(e.pts)])
	fill := slices.Clone(start[:len(e.pts)])
	put := func(v, u int32) {
		units[fill[v]] = u
		fill[v]++
	}
	for i := range e.segs {
		s := &e.segs[i]
		e.units(s, func(u int32) {
			put(s.a, u)
			put(s.b, u)
		})
	}
	pairs := map[uint64]struct{}{}
	var distinct []int32
	for v := range e.pts {
		distinct = append(distinct[:0], units[start[v]:start[v+1]]...)
		slices.Sort(distinct)
		distinct = slices.Compact(distinct)
		for i, a := range distinct {
			for _, b := range distinct[i+1:] {
				if !e.isRook(a, b) {
					pairs[pairKey(a, b)] = struct{}{}
				}
			}
		}
	}
	count := make([]int32, e.n+1)
	for k := range pairs {
		count[k>>32]++
		count[k&0xffffffff]++
	}
	e.cornerStart = make([]int32, e.n+1)
	for i := range e.n {
		e.cornerStart[i+1] = e.cornerStart[i] + count[i]
	}
	e.corners = make([]int32, e.cornerStart[e.n])
	cf := slices.Clone(e.cornerStart[:e.n])
	for k := range pairs {
		a, b := int32(k>>32), int32(k&0xffffffff)
		e.corners[cf[a]] = b
		cf[a]++
		e.corners[cf[b]] = a
		cf[b]++
	}
	for i := range e.n {
		slices.Sort(e.corners[e.cornerStart[i]:e.cornerStart[i+1]])
	}
}

// Len returns the number of units the structure was built from.
func (e *Edges) Len() int { return e.n }

// UnitNeighbors returns the rook neighbours of unit i (units sharing at
// least one boundary segment with it) by increasing unit index, each with
// the total length of the shared boundary in planar units. It returns nil
// when i is out of range or the unit has no rook neighbour. The slice is a
// fresh copy.
func (e *Edges) UnitNeighbors(i int) []UnitBorder {
	if i < 0 || i >= e.n || e.nbrStart[i] == e.nbrStart[i+1] {
		return nil
	}
	return slices.Clone(e.nbrs[e.nbrStart[i]:e.nbrStart[i+1]])
}

// UnitCornerNeighbors returns, by increasing index, the units that touch
// unit i only at vertices (such as the four counties at Four Corners, each
// with its diagonal opposite): queen adjacency is UnitNeighbors plus these.
// It returns nil when i is out of range or there are none. The slice is a
// fresh copy.
func (e *Edges) UnitCornerNeighbors(i int) []int {
	if i < 0 || i >= e.n || e.cornerStart[i] == e.cornerStart[i+1] {
		return nil
	}
	out := make([]int, 0, e.cornerStart[i+1]-e.cornerStart[i])
	for _, u := range e.corners[e.cornerStart[i]:e.cornerStart[i+1]] {
		out = append(out, int(u))
	}
	return out
}

// groupsOf returns the group of every unit, with entries that are missing
// (group shorter than the units), negative or >= n mapped to -1.
func (e *Edges) groupsOf(group []int, n int) []int32 {
	g := make([]int32, e.n)
	for i := range g {
		g[i] = -1
		if i < len(group) && group[i] >= 0 && group[i] < n {
			g[i] = int32(group[i])
		}
	}
	return g
}

// halfEdge is an outline segment of a group, directed with the group on its
// left.
type halfEdge struct{ from, to int32 }

// groupHalfEdges returns, for each group 0..n-1, its outline segments:
// those with the group on one side and a different group, group -1 or no
// unit on the other, directed with the group on the left.
func (e *Edges) groupHalfEdges(group []int, n int) [][]halfEdge {
	if n <= 0 {
		return nil
	}
	g := e.groupsOf(group, n)
	side := func(u int32) int32 {
		if u < 0 {
			return -1
		}
		return g[u]
	}
	// groupNet calls f with the net count of a multi segment's claims per
	// group (net > 0: the group is on the left net times).
	var nets []sideClaim
	groupNet := func(s *edgeSeg, f func(g, net int32)) {
		nets = nets[:0]
	claims:
		for _, c := range e.multi[s.r] {
			gc := g[c.unit]
			if gc < 0 {
				continue
			}
			for k := range nets {
				if nets[k].unit == gc {
					nets[k].net += c.net
					continue claims
				}
			}
			nets = append(nets, sideClaim{gc, c.net})
		}
		for _, x := range nets {
			if x.net != 0 {
				f(x.unit, x.net)
			}
		}
	}
	count := make([]int, n)
	for i := range e.segs {
		s := &e.segs[i]
		if s.l == multiSides {
			groupNet(s, func(g, net int32) { count[g] += int(max(net, -net)) })
			continue
		}
		gl, gr := side(s.l), side(s.r)
		if gl == gr {
			continue
		}
		if gl >= 0 {
			count[gl]++
		}
		if gr >= 0 {
			count[gr]++
		}
	}
	out := make([][]halfEdge, n)
	for k := range out {
		out[k] = make([]halfEdge, 0, count[k])
	}
	for i := range e.segs {
		s := &e.segs[i]
		if s.l == multiSides {
			groupNet(s, func(g, net int32) {
				for ; net > 0; net-- {
					out[g] = append(out[g], halfEdge{s.a, s.b})
				}
				for ; net < 0; net++ {
					out[g] = append(out[g], halfEdge{s.b, s.a})
				}
			})
			continue
		}
		gl, gr := side(s.l), side(s.r)
		if gl == gr {
			continue
		}
		if gl >= 0 {
			out[gl] = append(out[gl], halfEdge{s.a, s.b})
		}
		if gr >= 0 {
			out[gr] = append(out[gr], halfEdge{s.b, s.a})
		}
	}
	return out
}

// Outlines returns the dissolved outline of each group: result[k] holds the
// segments of group k's units whose other side is in a different group, in
// group -1 or outside every unit, chained into maximal line strings. group[i]
// is unit i's group, 0..n-1, or -1 for none; entries that are missing (group
// shorter than the units), negative or >= n count as -1.
//
// With matched input every outline is a set of closed rings (first point ==
// last point): exterior rings counter-clockwise and hole rings clockwise in a
// y-up plane (the group is always on the left), so result[k] can be drawn
// directly or turned into polygons. Where the outline touches itself at a
// vertex (two parts of a territory meeting at a corner, or a hole touching
// the exterior), the rings are split there: at such a vertex the chain takes
// the first outgoing segment clockwise from the one it arrived along, which
// traces the boundary of one face of the planar subdivision at a time.
// Only a ring that lost segments at a NaN or infinite vertex (see
// [NewEdges]) leaves open line strings; identical overlapping units of one
// group give their outline once per unit.
//
// A border between groups 2 and 5 appears in both result[2] and result[5],
// once in each direction. An empty group has a nil outline. Coordinates are
// planar units of the input. The result has n entries (nil when n <= 0).
// Cost: one pass over all unique segments plus the length of the outlines
// (about 1.2 ms for the us-atlas counties in 9 groups; see
// BenchmarkOutlinesUSCounties).
func (e *Edges) Outlines(group []int, n int) []orb.MultiLineString {
	hes := e.groupHalfEdges(group, n)
	if hes == nil {
		return nil
	}
	out := make([]orb.MultiLineString, n)
	head := make([]int32, len(e.pts))
	for i := range head {
		head[i] = -1
	}
	bal := make([]int32, len(e.pts))
	var next []int32
	for k, h := range hes {
		if len(h) == 0 {
			continue
		}
		next = e.linkHalfEdges(h, head, bal, next)
		out[k] = e.chain(h, head, bal, next)
		for _, x := range h { // reset the shared per-vertex arrays
			head[x.from], head[x.to] = -1, -1
			bal[x.from], bal[x.to] = 0, 0
		}
	}
	return out
}

// linkHalfEdges puts the half-edges h on per-vertex out lists (head, next)
// and counts out-degree minus in-degree per vertex in bal.
func (e *Edges) linkHalfEdges(h []halfEdge, head, bal, next []int32) []int32 {
	next = slices.Grow(next[:0], len(h))[:len(h)]
	for i := len(h) - 1; i >= 0; i-- {
		x := h[i]
		next[i] = head[x.from]
		head[x.from] = int32(i)
		bal[x.from]++
		bal[x.to]--
	}
	return next
}

// chain joins the half-edges h (linked by linkHalfEdges) into line strings:
// first open chains from vertices with more outgoing than incoming
// half-edges, then closed rings.
func (e *Edges) chain(h []halfEdge, head, bal, next []int32) orb.MultiLineString {
	var out orb.MultiLineString
	used := make([]bool, len(h))
	walk := func(first int32) {
		ls := orb.LineString{e.pts[h[first].from]}
		start := h[first].from
		cur := first
		for {
			used[cur] = true
			v := h[cur].to
			ls = append(ls, e.pts[v])
			if v == start {
				break
			}
			nx := e.take(v, h[cur].from, h, head, next)
			if nx < 0 {
				break
			}
			cur = nx
		}
		out = append(out, ls)
	}
	// takeFirst removes and returns the first unused half-edge out of v.
	takeFirst := func(v int32) int32 {
		i := head[v]
		if i >= 0 {
			head[v] = next[i]
		}
		return i
	}
	for i := range h {
		v := h[i].from
		for bal[v] > 0 {
			first := takeFirst(v)
			if first < 0 {
				break
			}
			bal[v]--
			walk(first)
		}
	}
	for i := range h {
		if used[i] {
			continue
		}
		// Unlink i from its vertex's out list, then walk from it.
		v := h[i].from
		if head[v] == int32(i) {
			head[v] = next[i]
		} else {
			for j := head[v]; j >= 0; j = next[j] {
				if next[j] == int32(i) {
					next[j] = next[i]
					break
				}
			}
		}
		walk(int32(i))
	}
	return out
}

// take removes and returns the half-edge to continue with at vertex v after
// arriving from vertex prev: the only one left, or, when several leave v,
// the first clockwise from the direction back to prev. It returns -1 when
// none is left.
func (e *Edges) take(v, prev int32, h []halfEdge, head, next []int32) int32 {
	i := head[v]
	if i < 0 {
		return -1
	}
	if next[i] < 0 {
		head[v] = -1
		return i
	}
	pv, pp := e.pts[v], e.pts[prev]
	back := math.Atan2(pp[1]-pv[1], pp[0]-pv[0])
	best, bestPrev := int32(-1), int32(-1)
	bestTurn := math.Inf(1)
	for j, p := i, int32(-1); j >= 0; p, j = j, next[j] {
		q := e.pts[h[j].to]
		// Clockwise angle from the way back to this way out, in (0, 2π].
		turn := back - math.Atan2(q[1]-pv[1], q[0]-pv[0])
		for turn <= 0 {
			turn += 2 * math.Pi
		}
		for turn > 2*math.Pi {
			turn -= 2 * math.Pi
		}
		if turn < bestTurn {
			best, bestPrev, bestTurn = j, p, turn
		}
	}
	if bestPrev < 0 {
		head[v] = next[best]
	} else {
		next[bestPrev] = next[best]
	}
	return best
}

// GroupNeighbors returns every pair of groups A < B whose units share
// boundary segments, with the total shared length in planar units, sorted by
// A then B. group and n are as for [Edges.Outlines]; units in group -1 border
// nothing. Contact at a single point (a corner, as at Four Corners) is not
// a border: use [Edges.UnitCornerNeighbors] for queen contiguity. Cost: one
// pass over the unit adjacency (not the segments), typically well under a
// millisecond for US counties.
func (e *Edges) GroupNeighbors(group []int, n int) []GroupBorder {
	if n <= 0 {
		return nil
	}
	g := e.groupsOf(group, n)
	sum := map[uint64]float64{}
	for a := range e.n {
		ga := g[a]
		if ga < 0 {
			continue
		}
		for _, nb := range e.nbrs[e.nbrStart[a]:e.nbrStart[a+1]] {
			if nb.Unit <= a {
				continue
			}
			if gb := g[nb.Unit]; gb >= 0 && gb != ga {
				sum[pairKey(ga, gb)] += nb.Length
			}
		}
	}
	out := make([]GroupBorder, 0, len(sum))
	for k, l := range sum {
		out = append(out, GroupBorder{A: int(k >> 32), B: int(k & 0xffffffff), Length: l})
	}
	slices.SortFunc(out, func(x, y GroupBorder) int { return cmp.Or(x.A-y.A, x.B-y.B) })
	return out
}
