package mapview

import (
	"math"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// Simplification. Areas and lines are drawn from copies simplified for the
// zoom level with the Douglas-Peucker algorithm (D. H. Douglas and T. K.
// Peucker, "Algorithms for the reduction of the number of points required to
// represent a digitized line or its caricature", The Canadian Cartographer
// 10(2), 1973). Zoom levels are quarter octaves of scale: level L covers
// scales [2^(L/4), 2^((L+1)/4)) device pixels per plane unit and uses the
// tolerance simplifyTolPx / 2^(L/4) plane units, so the deviation from the
// input is below simplifyTolPx·2^(1/4) (0.6) device pixels at every scale of
// the level (Leaflet, for comparison, simplifies to 1 pixel by default). A level
// is simplified lazily, one item (an area, or a chunk of a line layer) at a
// time as renders first need it, and kept for later renders (the last
// simplifyLevels levels are kept), so a zoom within a level or back to a
// recent one does not simplify again.
//
// Borders shared by two areas stay watertight: a vertex where the set of
// rings owning the neighbouring segments changes, or that lies on three or
// more rings, is a junction and is always kept; the chain of vertices
// between two junctions is the same in both rings (in opposite directions),
// and it is simplified in a canonical direction so both rings keep the same
// vertices. (This is the arc decomposition of TopoJSON, recovered from the
// geometry: M. Bostock, TopoJSON specification, 2013.)

const (
	// simplifyTolPx is the Douglas-Peucker tolerance in device pixels at the
	// smallest scale of a zoom level (see above).
	simplifyTolPx = 0.5
	// simplifyLevels is the number of zoom levels whose simplified
	// geometry is kept.
	simplifyLevels = 4
)

// pathSet is flattened geometry: paths (rings or lines) grouped into items
// (an area's rings; a line chunk). Closed paths do not repeat their first
// vertex.
type pathSet struct {
	pts    []orb.Point
	start  []int32 // path j is pts[start[j]:start[j+1]]
	item   []int32 // item i has paths item[i] .. item[i+1]-1
	closed bool
	dup    []bool // per vertex: the segment starting there is a repeat (not stroked); nil: none is
	fixed  []bool // per vertex: a junction, kept at every level; nil: none is
	simp   *simpCache
}

func (ps *pathSet) items() int { return max(len(ps.item)-1, 0) }

// simpItem is one item simplified for a zoom level: kept vertices, per kept
// vertex whether the segment starting there is stroked, and where each path
// ends (paths reduced to fewer than 3 vertices (closed) or 2 (open) are
// dropped).
type simpItem struct {
	pts  []orb.Point
	edge []bool
	ends []int32
	// lo, hi bound pts (plane units; lo = hi = 0 when pts is empty), so
	// that the pixel bound of the item is found without a pass over its
	// vertices (see areaPixels).
	lo, hi orb.Point
}

// simpCache holds the simplified items of the last simplifyLevels zoom
// levels, most recently used first.
type simpCache struct {
	mu     sync.Mutex
	levels []*simpLevel
}

type simpLevel struct {
	level int
	tol   float64 // plane units
	items []atomic.Pointer[simpItem]
}

// zoomLevel returns the zoom level of a scale (device pixels per plane unit)
// and its simplification tolerance in plane units.
func zoomLevel(scale float64) (int, float64) {
	l := int(math.Floor(4 * math.Log2(scale)))
	return l, simplifyTolPx / math.Pow(2, float64(l)/4)
}

// level returns the cache of a zoom level for n items, creating it (and
// dropping the least recently used one) if needed.
func (c *simpCache) level(scale float64, n int) *simpLevel {
	l, tol := zoomLevel(scale)
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, lv := range c.levels {
		if lv.level == l && len(lv.items) == n {
			copy(c.levels[1:k+1], c.levels[:k])
			c.levels[0] = lv
			return lv
		}
	}
	lv := &simpLevel{level: l, tol: tol, items: make([]atomic.Pointer[simpItem], n)}
	if len(c.levels) < simplifyLevels {
		c.levels = append(c.levels, nil)
	}
	copy(c.levels[1:], c.levels[:len(c.levels)-1])
	c.levels[0] = lv
	return lv
}

// get returns item i simplified for the level, computing it first if
// needed (two workers may compute it at once; the results are equal).
func (lv *simpLevel) get(ps *pathSet, i int, s *simpScratch) *simpItem {
	if it := lv.items[i].Load(); it != nil {
		return it
	}
	it := ps.simplifyItem(i, lv.tol, s)
	if !lv.items[i].CompareAndSwap(nil, it) {
		return lv.items[i].Load()
	}
	return it
}

// simpScratch is a worker's scratch memory for simplification.
type simpScratch struct {
	keep  []bool
	chain []int32
	stack []int32
}

// less orders points lexicographically (x, then y).
func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// simplifyItem simplifies the paths of item i with tolerance tol (plane
// units).
func (ps *pathSet) simplifyItem(i int, tol float64, s *simpScratch) *simpItem {
	p0, p1 := ps.item[i], ps.item[i+1]
	n := int(ps.start[p1] - ps.start[p0])
	if cap(s.keep) < n {
		s.keep = make([]bool, n)
	}
	keep := s.keep[:n]
	clear(keep)
	base := int(ps.start[p0])
	total := 0
	for j := p0; j < p1; j++ {
		a, b := int(ps.start[j]), int(ps.start[j+1])
		total += ps.simplifyPath(a, b, keep[a-base:b-base], tol, s)
	}
	it := &simpItem{pts: make([]orb.Point, 0, total), edge: make([]bool, 0, total)}
	for j := p0; j < p1; j++ {
		a, b := int(ps.start[j]), int(ps.start[j+1])
		st := len(it.pts)
		for k := a; k < b; k++ {
			if keep[k-base] {
				it.pts = append(it.pts, ps.pts[k])
				it.edge = append(it.edge, ps.dup == nil || !ps.dup[k])
			}
		}
		minV := 2
		if ps.closed {
			minV = 3
		}
		if len(it.pts)-st < minV {
			it.pts, it.edge = it.pts[:st], it.edge[:st]
			continue
		}
		it.ends = append(it.ends, int32(len(it.pts)))
	}
	if len(it.pts) > 0 {
		lo, hi := it.pts[0], it.pts[0]
		for _, p := range it.pts[1:] {
			lo[0], lo[1] = min(lo[0], p[0]), min(lo[1], p[1])
			hi[0], hi[1] = max(hi[0], p[0]), max(hi[1], p[1])
		}
		it.lo, it.hi = lo, hi
	}
	return it
}

// simplifyPath marks in keep the vertices of path pts[a:b] to keep and
// returns their number.
func (ps *pathSet) simplifyPath(a, b int, keep []bool, tol float64, s *simpScratch) int {
	n := b - a
	pts := ps.pts[a:b]
	if !ps.closed {
		// Open path (a line chunk): its ends are kept.
		if n <= 2 {
			for k := range keep {
				keep[k] = true
			}
			return n
		}
		keep[0], keep[n-1] = true, true
		s.chain = s.chain[:0]
		for k := range n {
			s.chain = append(s.chain, int32(k))
		}
		return 2 + s.dpChain(pts, keep, tol)
	}
	if n <= 3 {
		for k := range keep {
			keep[k] = true
		}
		return n
	}
	var fixed []bool
	if ps.fixed != nil {
		fixed = ps.fixed[a:b]
	}
	first := -1
	for k := 0; k < n && fixed != nil; k++ {
		if fixed[k] {
			first = k
			break
		}
	}
	if first < 0 {
		// No junction: start at the smallest vertex, so that a ring
		// repeated as another polygon's hole simplifies the same way.
		first = 0
		for k := 1; k < n; k++ {
			if less(pts[k], pts[first]) {
				first = k
			}
		}
	}
	kept := 0
	// Walk the chains between consecutive junctions, cyclically.
	k := first
	for {
		keep[k] = true
		kept++
		e := (k + 1) % n
		for e != first && (fixed == nil || !fixed[e]) {
			e = (e + 1) % n
		}
		// Chain k .. e (e == first closes the ring).
		s.chain = s.chain[:0]
		for q := k; ; q = (q + 1) % n {
			s.chain = append(s.chain, int32(q))
			if q == e && len(s.chain) > 1 {
				break
			}
		}
		if len(s.chain) > 2 {
			c := s.chain
			pa, pb := pts[c[0]], pts[c[len(c)-1]]
			rev := less(pb, pa)
			if pa == pb {
				rev = less(pts[c[len(c)-2]], pts[c[1]])
			}
			if rev {
				for x, y := 0, len(c)-1; x < y; x, y = x+1, y-1 {
					c[x], c[y] = c[y], c[x]
				}
			}
			kept += s.dpChain(pts, keep, tol)
		}
		if e == first {
			break
		}
		k = e
	}
	return kept
}

// dpChain runs Douglas-Peucker over the vertices s.chain (indexes into pts)
// between its two ends (which the caller keeps) and marks the interior
// vertices to keep; it returns their number. A chain whose ends coincide
// measures distances to that point.
func (s *simpScratch) dpChain(pts []orb.Point, keep []bool, tol float64) int {
	c := s.chain
	if len(c) < 3 {
		return 0
	}
	tol2 := tol * tol
	found := 0
	s.stack = append(s.stack[:0], 0, int32(len(c)-1))
	for len(s.stack) > 0 {
		lo, hi := s.stack[len(s.stack)-2], s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-2]
		if hi-lo < 2 {
			continue
		}
		a, b := pts[c[lo]], pts[c[hi]]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l2 := dx*dx + dy*dy
		best, bi := -1.0, int32(-1)
		for q := lo + 1; q < hi; q++ {
			p := pts[c[q]]
			px, py := p[0]-a[0], p[1]-a[1]
			var d2 float64
			if l2 == 0 {
				d2 = px*px + py*py
			} else {
				t := (px*dx + py*dy) / l2
				switch {
				case t <= 0:
					d2 = px*px + py*py
				case t >= 1:
					ex, ey := p[0]-b[0], p[1]-b[1]
					d2 = ex*ex + ey*ey
				default:
					cr := px*dy - py*dx
					d2 = cr * cr / l2
				}
			}
			if d2 > best {
				best, bi = d2, q
			}
		}
		if best > tol2 {
			if !keep[c[bi]] {
				keep[c[bi]] = true
				found++
			}
			s.stack = append(s.stack, lo, bi, bi, hi)
		}
	}
	return found
}

// junctions returns, per vertex of the closed paths of ps, whether it is a
// junction (see the top of this file): the rings owning its two segments
// differ, or the point lies on three or more rings.
func junctions(pts []orb.Point, start []int32) []bool {
	type seg struct{ a, b orb.Point }
	type owners struct{ r0, r1 int32 }
	segs := make(map[seg]owners, len(pts))
	rings := make(map[orb.Point]int32, len(pts))
	lastRing := make(map[orb.Point]int32, len(pts))
	key := func(a, b orb.Point) seg {
		if less(b, a) {
			a, b = b, a
		}
		return seg{a, b}
	}
	for j := 0; j+1 < len(start); j++ {
		r0, r1 := int(start[j]), int(start[j+1])
		n := r1 - r0
		for k := range n {
			a, b := pts[r0+k], pts[r0+(k+1)%n]
			kk := key(a, b)
			o, ok := segs[kk]
			switch {
			case !ok:
				segs[kk] = owners{int32(j), -1}
			case o.r0 != int32(j) && o.r1 < 0:
				o.r1 = int32(j)
				segs[kk] = o
			}
			if lr, ok := lastRing[a]; !ok || lr != int32(j) {
				lastRing[a] = int32(j)
				rings[a]++
			}
		}
	}
	fixed := make([]bool, len(pts))
	for j := 0; j+1 < len(start); j++ {
		r0, r1 := int(start[j]), int(start[j+1])
		n := r1 - r0
		for k := range n {
			p := pts[r0+k]
			if rings[p] >= 3 {
				fixed[r0+k] = true
				continue
			}
			prev := segs[key(pts[r0+(k+n-1)%n], p)]
			next := segs[key(p, pts[r0+(k+1)%n])]
			if prev != next {
				fixed[r0+k] = true
			}
		}
	}
	return fixed
}
