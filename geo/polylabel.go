package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// This file implements the pole of inaccessibility search of Mapbox's
// polylabel (Vladimir Agafonkin, 2016, https://github.com/mapbox/polylabel,
// ISC licence; described in "A new algorithm for finding a visual center of
// a polygon", Mapbox blog, August 2016): a best-first quadtree search over
// square cells, ordered by the largest distance to the boundary any point
// of a cell could have (distance at the centre + half the diagonal), which
// stops when no cell can beat the best point found by more than the
// requested precision.

// Label is a label point of a group (see [Edges.LabelPoints]).
type Label struct {
	// At is the label point, in planar units of the input. It is the zero
	// point when OK is false.
	At orb.Point
	// Dist is the distance from At to the group's outline, in planar units:
	// the radius of the largest circle centred on At that fits inside the
	// group, useful for sizing the label. 0 when OK is false.
	Dist float64
	// OK is false for a group with no outline (no units, or units with no
	// usable rings).
	OK bool
}

// segment is a boundary segment used by the distance searches.
type segment struct{ a, b orb.Point }

// maxProbes bounds the cells a polylabel search evaluates, so that any
// input, however degenerate, ends in bounded time.
const maxProbes = 1 << 18

// PolyLabel returns the pole of inaccessibility of polygon p (exterior ring
// p[0], holes p[1:], open or closed rings, any orientation): the interior
// point farthest from the boundary, and that distance, found with Mapbox's
// polylabel algorithm (see the top of this file) to within precision, in the
// polygon's planar units: no interior point is more than precision farther
// from the boundary than the one returned. Holes are respected: inside is
// decided by even-odd crossing of all rings.
//
// As in polylabel, the search covers the bound of the exterior ring. The
// distance is negative when no probed point was inside (possible only for
// slivers thinner than precision), and when the exterior ring's bound has
// zero width or height the result is its minimum corner with distance 0.
// precision <= 0, NaN or infinite means 1% of the bound's smaller side (as
// for [Edges.LabelPoints]); a positive precision below 1e-9 of the bound's
// larger side is raised to that, and the search stops after about 2^18
// probes (then the precision is not guaranteed; only pathological input
// gets there). An empty
// polygon, an exterior ring with
// fewer than 3 points, or one with a NaN or infinite coordinate gives the
// zero point and 0. The result is never NaN.
func PolyLabel(p orb.Polygon, precision float64) (orb.Point, float64) {
	if len(p) == 0 || len(p[0]) < 3 {
		return orb.Point{}, 0
	}
	b, ok := ringBound(p[0])
	if !ok {
		return orb.Point{}, 0
	}
	if !(precision > 0) || math.IsInf(precision, 0) {
		precision = 0.01 * min(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	}
	segs := polygonSegments(p)
	guess, ok := ringCentroid(p[0])
	if !ok {
		guess = p[0][0]
	}
	return polylabel(b, precision, guess, newSegIndex(segs))
}

// polygonSegments returns the segments of all rings of p with finite end
// points, including the closing segment of an open ring; zero-length
// segments are left out.
func polygonSegments(p orb.Polygon) []segment {
	n := 0
	for _, r := range p {
		n += len(r)
	}
	segs := make([]segment, 0, n)
	for _, r := range p {
		if len(r) < 2 {
			continue
		}
		prev := r[len(r)-1]
		for _, q := range r {
			if prev != q && finite(prev) && finite(q) {
				segs = append(segs, segment{prev, q})
			}
			prev = q
		}
	}
	return segs
}

// ringCentroid returns the area centroid of a ring (implicitly closed);
// ok is false for zero or non-finite area.
func ringCentroid(r orb.Ring) (orb.Point, bool) {
	ox, oy := r[0][0], r[0][1]
	var a, cx, cy float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		x0, y0, x1, y1 := p[0]-ox, p[1]-oy, q[0]-ox, q[1]-oy
		f := x0*y1 - x1*y0
		a += f
		cx += (x0 + x1) * f
		cy += (y0 + y1) * f
	}
	c := orb.Point{ox + cx/(3*a), oy + cy/(3*a)}
	if a == 0 || !finite(c) {
		return orb.Point{}, false
	}
	return c, true
}

// polylabel runs the search over bound b with the signed distance of ix
// (positive inside). guess is a first candidate (such as a centroid).
func polylabel(b orb.Bound, precision float64, guess orb.Point, ix *segIndex) (orb.Point, float64) {
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if !(precision > 0) || math.IsInf(precision, 0) {
		precision = 0
	}
	precision = max(precision, 1e-9*max(w, h))
	cellSize := min(w, h)
	if !(cellSize > 0) || len(ix.pre) == 0 {
		return b.Min, 0
	}

	var q cellQueue
	probes := 0
	newCell := func(x, y, h float64) cell {
		probes++
		d := ix.signedDist(orb.Point{x, y})
		return cell{x: x, y: y, h: h, d: d, max: d + h*math.Sqrt2}
	}
	best := newCell(guess[0], guess[1], 0)
	if !finite(guess) {
		best = newCell(b.Min[0]+w/2, b.Min[1]+h/2, 0)
	}
	if c := newCell(b.Min[0]+w/2, b.Min[1]+h/2, 0); c.d > best.d {
		best = c
	}
	consider := func(x, y, h float64) {
		c := newCell(x, y, h)
		if c.d > best.d {
			best = c
		}
		if c.max-best.d > precision {
			q.push(c)
		}
	}
	nx, ny := math.Ceil(w/cellSize), math.Ceil(h/cellSize)
	for nx*ny > maxProbes/4 { // a very long, thin bound
		cellSize *= 2
		nx, ny = math.Ceil(w/cellSize), math.Ceil(h/cellSize)
	}
	half := cellSize / 2
	for i := 0.0; i < nx; i++ {
		for j := 0.0; j < ny; j++ {
			consider(b.Min[0]+i*cellSize+half, b.Min[1]+j*cellSize+half, half)
		}
	}
	for len(q) > 0 && probes < maxProbes {
		c := q.pop()
		if c.max-best.d <= precision {
			break
		}
		h := c.h / 2
		consider(c.x-h, c.y-h, h)
		consider(c.x+h, c.y-h, h)
		consider(c.x-h, c.y+h, h)
		consider(c.x+h, c.y+h, h)
	}
	return orb.Point{best.x, best.y}, best.d
}

// cell is a square search cell: centre (x, y), half side h, signed
// distance d at the centre and the best distance max any point of it could
// have.
type cell struct{ x, y, h, d, max float64 }

// cellQueue is a binary max-heap of cells by max.
type cellQueue []cell

func (q *cellQueue) push(c cell) {
	*q = append(*q, c)
	s := *q
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].max >= s[i].max {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (q *cellQueue) pop() cell {
	s := *q
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].max > s[m].max {
			m = l
		}
		if r < len(s) && s[r].max > s[m].max {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*q = s
	return top
}

// segIndex answers signed-distance queries against a set of segments:
// distance to the nearest segment, positive when the point is inside by the
// even-odd rule (a ray to +x crosses an odd number of segments). Small sets
// are scanned; larger ones use a uniform grid of square cells, each listing
// the segments that pass through it.
type segIndex struct {
	segs   []segment
	pre    []segPre // segs prepared
	x0, y0 float64  // grid origin
	cs     float64  // cell side; 0 for no grid
	nx, ny int
	start  []int32 // cell c lists items[start[c]:start[c+1]]; c = j*nx + i
	items  []int32
}

// gridMinSegments is the segment count from which segIndex builds a grid.
const gridMinSegments = 48

// newSegIndex indexes segs (which it keeps).
func newSegIndex(segs []segment) *segIndex {
	ix := &segIndex{segs: segs, pre: make([]segPre, len(segs))}
	for i, s := range segs {
		ix.pre[i] = prepare(s)
	}
	if len(segs) < gridMinSegments {
		return ix
	}
	b := orb.Bound{Min: segs[0].a, Max: segs[0].a}
	for _, s := range segs {
		b = b.Extend(s.a).Extend(s.b)
	}
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	// About one segment per cell; no side over 1024 cells.
	cs := max(math.Sqrt(w*h/float64(len(segs))), max(w, h)/1024)
	if !(cs > 0) || math.IsInf(cs, 0) {
		return ix
	}
	ix.x0, ix.y0, ix.cs = b.Min[0], b.Min[1], cs
	ix.nx, ix.ny = int(w/cs)+1, int(h/cs)+1
	ncell := ix.nx * ix.ny
	counts := make([]int32, ncell+1)
	ix.forCells(func(c int, _ int32) { counts[c+1]++ })
	for c := range ncell {
		counts[c+1] += counts[c]
	}
	ix.start = counts
	ix.items = make([]int32, counts[ncell])
	fill := slices.Clone(counts[:ncell])
	ix.forCells(func(c int, s int32) {
		ix.items[fill[c]] = s
		fill[c]++
	})
	return ix
}

// col and row return the grid column and row of x and y, clamped to the grid.
func (ix *segIndex) col(x float64) int {
	return min(max(int(math.Floor((x-ix.x0)/ix.cs)), 0), ix.nx-1)
}

func (ix *segIndex) row(y float64) int {
	return min(max(int(math.Floor((y-ix.y0)/ix.cs)), 0), ix.ny-1)
}

// forCells calls f for every cell each segment passes through (with a
// margin of 1e-9 cells for rounding), row by row.
func (ix *segIndex) forCells(f func(c int, s int32)) {
	pad := 1e-9 * ix.cs
	for si, s := range ix.segs {
		a, b := s.a, s.b
		if a[1] > b[1] {
			a, b = b, a
		}
		r0, r1 := ix.row(a[1]-pad), ix.row(b[1]+pad)
		dy := b[1] - a[1]
		for j := r0; j <= r1; j++ {
			xlo, xhi := min(a[0], b[0]), max(a[0], b[0])
			if dy > 0 {
				// x where the segment enters and leaves row j's band.
				ylo := max(ix.y0+float64(j)*ix.cs, a[1])
				yhi := min(ix.y0+float64(j+1)*ix.cs, b[1])
				xa := a[0] + (b[0]-a[0])*((ylo-a[1])/dy)
				xb := a[0] + (b[0]-a[0])*((yhi-a[1])/dy)
				xlo, xhi = max(min(xa, xb), xlo), min(max(xa, xb), xhi)
			}
			c0, c1 := ix.col(xlo-pad), ix.col(xhi+pad)
			for i := c0; i <= c1; i++ {
				f(j*ix.nx+i, int32(si))
			}
		}
	}
}

// segPre is a segment prepared for distance and crossing tests: start
// (ax, ay), direction (dx, dy), 1/(dx²+dy²) (0 for a zero-length segment)
// and 1/dy (±Inf for a horizontal one, never used then).
type segPre struct{ ax, ay, dx, dy, inv2, invDy float64 }

func prepare(s segment) segPre {
	dx, dy := s.b[0]-s.a[0], s.b[1]-s.a[1]
	sp := segPre{ax: s.a[0], ay: s.a[1], dx: dx, dy: dy, invDy: 1 / dy}
	if l2 := dx*dx + dy*dy; l2 > 0 {
		sp.inv2 = 1 / l2
	}
	return sp
}

// dist2 is the squared distance from (px, py) to the segment.
func (s *segPre) dist2(px, py float64) float64 {
	x, y := px-s.ax, py-s.ay
	t := (x*s.dx + y*s.dy) * s.inv2
	if t > 1 {
		t = 1
	} else if !(t > 0) {
		t = 0
	}
	x -= s.dx * t
	y -= s.dy * t
	return x*x + y*y
}

// crossX reports whether the horizontal line y = py crosses the segment
// (half-open in y: exactly one end strictly above py, as polylabel's
// pointToPolygonDist) and at which x.
func (s *segPre) crossX(py float64) (float64, bool) {
	if (s.ay > py) == (s.ay+s.dy > py) {
		return 0, false
	}
	return s.ax + s.dx*((py-s.ay)*s.invDy), true
}

// signedDist is the distance from p to the nearest segment, negated when p
// is outside by the even-odd rule; -Inf when there are no segments.
func (ix *segIndex) signedDist(p orb.Point) float64 {
	if len(ix.pre) == 0 {
		return math.Inf(-1)
	}
	px, py := p[0], p[1]
	if ix.cs == 0 {
		inside := false
		best := math.Inf(1)
		for k := range ix.pre {
			s := &ix.pre[k]
			if x, ok := s.crossX(py); ok && px < x {
				inside = !inside
			}
			if d := s.dist2(px, py); d < best {
				best = d
			}
		}
		if inside {
			return math.Sqrt(best)
		}
		return -math.Sqrt(best)
	}
	d := math.Sqrt(ix.nearest2(p))
	if ix.inside(p) {
		return d
	}
	return -d
}

// inside counts crossings of the ray from p towards +x in p's grid row.
// Each crossing is counted in the cell that holds its x (clamped to the
// segment's x range), so a segment listed in several cells counts once.
func (ix *segIndex) inside(p orb.Point) bool {
	if p[1] < ix.y0 || p[1] > ix.y0+float64(ix.ny)*ix.cs || p[0] > ix.x0+float64(ix.nx)*ix.cs {
		return false
	}
	j := ix.row(p[1])
	in := false
	for i := ix.col(p[0]); i < ix.nx; i++ {
		c := j*ix.nx + i
		for _, si := range ix.items[ix.start[c]:ix.start[c+1]] {
			s := &ix.pre[si]
			x, ok := s.crossX(p[1])
			if !ok {
				continue
			}
			x = min(max(x, min(s.ax, s.ax+s.dx)), max(s.ax, s.ax+s.dx))
			if p[0] < x && ix.col(x) == i {
				in = !in
			}
		}
	}
	return in
}

// nearest2 returns the squared distance from p to the nearest segment,
// searching square rings of cells outwards from p's cell until no
// unsearched cell can hold anything nearer.
func (ix *segIndex) nearest2(p orb.Point) float64 {
	ci, cj := ix.col(p[0]), ix.row(p[1])
	best := math.Inf(1)
	for r := 0; ; r++ {
		i0, i1, j0, j1 := ci-r, ci+r, cj-r, cj+r
		for j := max(j0, 0); j <= min(j1, ix.ny-1); j++ {
			step := 1
			if j != j0 && j != j1 {
				step = i1 - i0 // only the left and right cells of the ring
			}
			for i := i0; i <= i1; i += max(step, 1) {
				if i < 0 || i >= ix.nx {
					continue
				}
				c := j*ix.nx + i
				for _, si := range ix.items[ix.start[c]:ix.start[c+1]] {
					if d := ix.pre[si].dist2(p[0], p[1]); d < best {
						best = d
					}
				}
			}
		}
		// Everything unsearched lies beyond a side of the searched block
		// that is not at the edge of the grid.
		lb := math.Inf(1)
		if i0 > 0 {
			lb = min(lb, max(0, p[0]-(ix.x0+float64(i0)*ix.cs)))
		}
		if i1 < ix.nx-1 {
			lb = min(lb, max(0, ix.x0+float64(i1+1)*ix.cs-p[0]))
		}
		if j0 > 0 {
			lb = min(lb, max(0, p[1]-(ix.y0+float64(j0)*ix.cs)))
		}
		if j1 < ix.ny-1 {
			lb = min(lb, max(0, ix.y0+float64(j1+1)*ix.cs-p[1]))
		}
		if math.IsInf(lb, 1) || (best < math.Inf(1) && best <= lb*lb) {
			return best
		}
	}
}

// scanlinePoint finds a point inside the even-odd region bounded by segs
// without a search: it cuts the region with the horizontal line halfway
// between the vertex y values nearest above and below the middle of bound
// b (so the line passes through no vertex, as in GEOS's InteriorPointArea)
// and returns the middle of the widest inside interval. ok is false when
// the line meets no inside interval of positive width.
func scanlinePoint(segs []segment, b orb.Bound) (orb.Point, bool) {
	mid := (b.Min[1] + b.Max[1]) / 2
	lo, hi := b.Min[1], b.Max[1]
	for _, s := range segs {
		for _, y := range [2]float64{s.a[1], s.b[1]} {
			if y <= mid && y > lo {
				lo = y
			}
			if y > mid && y < hi {
				hi = y
			}
		}
	}
	y := (lo + hi) / 2
	var xs []float64
	for _, s := range segs {
		if (s.a[1] > y) != (s.b[1] > y) {
			xs = append(xs, (s.b[0]-s.a[0])*(y-s.a[1])/(s.b[1]-s.a[1])+s.a[0])
		}
	}
	slices.Sort(xs)
	bestW, bestX := 0.0, 0.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bestW {
			bestW, bestX = w, (xs[i]+xs[i+1])/2
		}
	}
	p := orb.Point{bestX, y}
	if !(bestW > 0) || !finite(p) {
		return orb.Point{}, false
	}
	return p, true
}

// InteriorPoint returns a point inside mp for labelling a unit or testing
// it against a lasso: the pole of inaccessibility ([PolyLabel]) of its
// largest polygon by area (exterior minus holes), with a precision of 5% of
// the smaller side of that polygon's bound (so the point's distance to the
// boundary is within that of the best; 1% costs about 1.6 times as much,
// about 95 ms instead of 60 ms of CPU for the 3,230 us-atlas counties, for
// labels that look the same). If that search finds no point
// inside (a sliver), the middle of the widest interval of a horizontal line
// across the polygon is used instead (as GEOS's InteriorPointArea does); if
// no polygon has any area, the centre of the bound of the finite vertices
// of mp; if there are none (nil, empty or all NaN/Inf), the zero point. The
// result is in mp's planar units and never NaN.
func InteriorPoint(mp orb.MultiPolygon) orb.Point {
	largest, bestArea := -1, 0.0
	var fb orb.Bound
	haveFB := false
	for i, poly := range mp {
		if len(poly) == 0 || len(poly[0]) < 3 {
			for _, r := range poly {
				for _, p := range r {
					if finite(p) {
						fb, haveFB = extendBound(fb, haveFB, p), true
					}
				}
			}
			continue
		}
		a, ok := polygonArea(poly)
		for _, r := range poly {
			for _, p := range r {
				if finite(p) {
					fb, haveFB = extendBound(fb, haveFB, p), true
				}
			}
		}
		if ok && a > bestArea {
			largest, bestArea = i, a
		}
	}
	if largest < 0 {
		if haveFB {
			return fb.Center()
		}
		return orb.Point{}
	}
	poly := mp[largest]
	b, _ := ringBound(poly[0])
	prec := 0.05 * min(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	if p, d := PolyLabel(poly, prec); d > 0 && finite(p) {
		return p
	}
	if p, ok := scanlinePoint(polygonSegments(poly), b); ok {
		return p
	}
	return b.Center()
}

// extendBound extends b (empty when !have) by p.
func extendBound(b orb.Bound, have bool, p orb.Point) orb.Bound {
	if !have {
		return orb.Bound{Min: p, Max: p}
	}
	return b.Extend(p)
}

// polygonArea returns |area of the exterior| minus |area of each hole|;
// ok is false when a coordinate is NaN or infinite.
func polygonArea(poly orb.Polygon) (float64, bool) {
	var a float64
	for k, r := range poly {
		for _, p := range r {
			if !finite(p) {
				return 0, false
			}
		}
		ra := math.Abs(signedArea2(r)) / 2
		if k == 0 {
			a = ra
		} else {
			a -= ra
		}
	}
	return a, true
}

// LabelPoints returns a label point for each group 0..n-1 (group and n as
// for [Edges.Outlines]): the pole of inaccessibility of the group's
// dissolved shape, found with the polylabel search (see the top of this
// file) over the bound of the group's outline, using the distance to the
// outline segments and even-odd crossing of the outline for inside, so
// holes (enclaves of other groups or of no group) are respected. Where a
// group has several parts, the point lies in the one that holds the largest
// inscribed circle, which is normally the largest part.
//
// precision is in planar units; precision <= 0, NaN or infinite means 1% of
// the smaller side of each group's bound. A group with no outline gets
// Label{OK: false}. If the search finds no inside point (only possible for
// sliver groups), the point falls back to the middle of the widest inside
// interval of a horizontal line through the group, with Dist 0. Results are
// never NaN. A grid over each group's outline segments keeps every distance
// query local.
func (e *Edges) LabelPoints(group []int, n int, precision float64) []Label {
	hes := e.groupHalfEdges(group, n)
	if hes == nil {
		return nil
	}
	out := make([]Label, n)
	for k, h := range hes {
		if len(h) == 0 {
			continue
		}
		segs := make([]segment, len(h))
		b := orb.Bound{Min: e.pts[h[0].from], Max: e.pts[h[0].from]}
		// Area centroid of the dissolved shape from its directed outline
		// (shoelace terms), as the first guess.
		o := e.pts[h[0].from]
		var a, cx, cy float64
		for i, x := range h {
			p, q := e.pts[x.from], e.pts[x.to]
			segs[i] = segment{p, q}
			b = b.Extend(q)
			x0, y0, x1, y1 := p[0]-o[0], p[1]-o[1], q[0]-o[0], q[1]-o[1]
			f := x0*y1 - x1*y0
			a += f
			cx += (x0 + x1) * f
			cy += (y0 + y1) * f
		}
		guess := orb.Point{o[0] + cx/(3*a), o[1] + cy/(3*a)}
		if !finite(guess) {
			guess = b.Center()
		}
		prec := precision
		if !(prec > 0) || math.IsInf(prec, 0) {
			prec = 0.01 * min(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
		}
		p, d := polylabel(b, prec, guess, newSegIndex(segs))
		if d > 0 && finite(p) {
			out[k] = Label{At: p, Dist: d, OK: true}
			continue
		}
		if p, ok := scanlinePoint(segs, b); ok {
			out[k] = Label{At: p, OK: true}
			continue
		}
		out[k] = Label{At: b.Center(), OK: true}
	}
	return out
}
