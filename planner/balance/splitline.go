package balance

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// Recursive splitline bisection: the first alignment of a new design. A
// region that must hold k territories is cut by a straight line into two
// regions holding k1 = k/2 and k−k1 territories, in the ratio of their
// capacities, and each is cut again until every region is one territory.
// Among line directions the cut that balances every metric best is taken,
// and among well-balanced cuts the shortest (W. D. Smith's "shortest
// splitline" districting algorithm, rangevoting.org/SplitLR.html, here on
// unit centroids: a unit is on the side of its centroid). Pieces of a side
// cut off from it by the line (bays, lakes, islands) join the other side.
// Pins (seeds, locked units) constrain where the line may fall.

// splitDirs is the number of line directions tried per split (both
// orientations of 24 angles over 180°).
const splitDirs = 48

// splitScratch is reused across the splits of one run.
type splitScratch struct {
	ctx    context.Context // cancels the search for lines (nil: never)
	order  []int32         // region units sorted by projection
	proj   []float64       // per unit projection (indexed by unit)
	side   []int8          // per unit: 1 or 2 while splitting, 0 outside the region
	pre    []float64       // prefix sums (r+1)*m
	best   []int8          // per region position: side of the best candidate
	comp   []int32         // per unit: component mark
	stk    []int32
	labels []int32
}

// coords returns unit coordinates for splitting: the centroids when the
// graph has them, else graph-distance coordinates from four landmark units
// (x = hops from a − hops from b, with a and b far apart; y likewise with
// c and d), which lay out grids and planar maps faithfully enough to cut.
func (s *state) coords() (x, y []float64) {
	if s.x != nil {
		return s.x, s.y
	}
	n := s.n
	x, y = make([]float64, n), make([]float64, n)
	d := make([][]int32, 4)
	for i := range d {
		d[i] = make([]int32, n)
	}
	far := func(h []int32, score func(u int) int32) int32 {
		best, bv := int32(0), int32(-1)
		for u := range n {
			if v := score(u); v > bv {
				best, bv = int32(u), v
			}
		}
		return best
	}
	s.hops([]int32{0}, d[0])
	a := far(d[0], func(u int) int32 { return d[0][u] })
	s.hops([]int32{a}, d[0])
	b := far(d[0], func(u int) int32 { return d[0][u] })
	s.hops([]int32{b}, d[1])
	c := far(d[0], func(u int) int32 {
		if d[0][u] < 0 || d[1][u] < 0 {
			return -1
		}
		return min(d[0][u], d[1][u])
	})
	s.hops([]int32{c}, d[2])
	e := far(d[2], func(u int) int32 { return d[2][u] })
	s.hops([]int32{e}, d[3])
	for u := range n {
		x[u] = float64(d[0][u] - d[1][u])
		y[u] = float64(d[2][u] - d[3][u])
	}
	return x, y
}

// splitline fills s.assign with a first alignment by recursive splitline
// bisection of every component of the graph (each component holds the
// territories allotted to it), repairs stray pieces and rebuilds the
// state. When ctx is cancelled the remaining splits take the first half
// of the units in their current order (a rough alignment, quickly).
func (s *state) splitline(ctx context.Context) {
	comp := make([]int32, s.n)
	nc := s.components(comp)
	compOf := s.allotComponents(comp, nc)
	x, y := s.coords()
	sc := &splitScratch{
		ctx:  ctx,
		proj: make([]float64, s.n),
		side: make([]int8, s.n),
		comp: make([]int32, s.n),
	}
	for i := range s.n {
		s.assign[i] = -1
	}
	for c := range nc {
		var units, labels []int32
		for u := range s.n {
			if comp[u] == int32(c) {
				units = append(units, int32(u))
			}
		}
		for t := range s.k {
			if compOf[t] == int32(c) {
				labels = append(labels, int32(t))
			}
		}
		if len(labels) == 0 {
			continue // no territory left for this piece: fillStrays
		}
		s.splitRegion(sc, x, y, units, labels)
	}
	s.fillStrays()
	s.init()
	s.repair()
}

// splitRegion assigns the region's units to its labels (territories).
func (s *state) splitRegion(sc *splitScratch, x, y []float64, units, labels []int32) {
	if len(labels) == 1 || len(units) <= 1 {
		for _, u := range units {
			s.assign[u] = labels[0]
		}
		return
	}
	k := len(labels)
	k1 := k / 2
	m := s.m
	r := len(units)
	// Region totals and the tolerance for this level: intermediate splits
	// aim tighter, since their error is inherited by every territory below.
	tot := make([]float64, m)
	for _, u := range units {
		for j := range m {
			tot[j] += s.val[int(u)*m+j]
		}
	}
	capOf := func(t int32) float64 {
		c := 0.0
		for j := range m {
			c += s.target[int(t)*m+j]
		}
		return c
	}
	var sumTol float64
	for j := range m {
		sumTol = max(sumTol, s.tol[j])
	}
	lvlTol := sumTol * 0.5
	if k == 2 {
		lvlTol = sumTol * 0.9
	}
	// Pins of each label within the region.
	hasPin := false
	for _, u := range units {
		if s.pin[u] >= 0 {
			hasPin = true
			break
		}
	}

	sc.order = append(sc.order[:0], units...)
	if cap(sc.pre) < (r+1)*m {
		sc.pre = make([]float64, (r+1)*m)
	}
	pre := sc.pre[:(r+1)*m]
	if cap(sc.best) < r {
		sc.best = make([]int8, r)
	}
	type cand struct {
		l1, l2 []int32
		side1  []int32 // units of side 1
		dev    float64
		cut    float64
		ok     bool
	}
	var best *cand
	l1 := make([]int32, 0, k)
	l2 := make([]int32, 0, k)
	off := s.rng.Float64()
	for d := range splitDirs {
		if sc.ctx != nil && sc.ctx.Err() != nil {
			break // cancelled: finish with the fallback split below
		}
		th := 2 * math.Pi * (float64(d) + off) / float64(splitDirs)
		cs, sn := math.Cos(th), math.Sin(th)
		for _, u := range units {
			sc.proj[u] = x[u]*cs + y[u]*sn
		}
		slices.SortFunc(sc.order, func(a, b int32) int {
			if c := cmp.Compare(sc.proj[a], sc.proj[b]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		// Labels for each side: pinned labels by the mean projection of
		// their pins, the first ones to side 1; free labels fill up.
		l1, l2 = l1[:0], l2[:0]
		lo, hi := 1, r-1 // allowed split positions: side 1 = order[:i]
		if hasPin {
			type lp struct {
				t   int32
				p   float64
				cnt int
			}
			var pins []lp
			for _, t := range labels {
				sum, cnt := 0.0, 0
				for _, u := range units {
					if s.pin[u] == t {
						sum += sc.proj[u]
						cnt++
					}
				}
				if cnt > 0 {
					pins = append(pins, lp{t, sum / float64(cnt), cnt})
				}
			}
			slices.SortFunc(pins, func(a, b lp) int {
				if c := cmp.Compare(a.p, b.p); c != 0 {
					return c
				}
				return cmp.Compare(a.t, b.t)
			})
			// Pinned labels on side 1: as many as lie in the first k1/k of
			// the region's size, within what each side can hold.
			mid := sc.proj[sc.order[(r*k1)/k]]
			q := 0
			for _, p := range pins {
				if p.p < mid {
					q++
				}
			}
			q = max(q, len(pins)-(k-k1))
			q = min(q, k1, len(pins))
			for i, p := range pins {
				if i < q {
					l1 = append(l1, p.t)
				} else {
					l2 = append(l2, p.t)
				}
			}
			for _, t := range labels {
				if !slices.ContainsFunc(pins, func(p lp) bool { return p.t == t }) {
					if len(l1) < k1 {
						l1 = append(l1, t)
					} else {
						l2 = append(l2, t)
					}
				}
			}
			for i, u := range sc.order {
				if t := s.pin[u]; t >= 0 {
					if slices.Contains(l1, t) {
						lo = max(lo, i+1)
					} else if slices.Contains(l2, t) {
						hi = min(hi, i)
					}
				}
			}
			if lo > hi {
				continue
			}
		} else {
			l1 = append(l1, labels[:k1]...)
			l2 = append(l2, labels[k1:]...)
		}
		c1, call := 0.0, 0.0
		for _, t := range l1 {
			c1 += capOf(t)
		}
		for _, t := range labels {
			call += capOf(t)
		}
		share := float64(k1) / float64(k)
		if call > 0 {
			share = c1 / call
		}
		// Prefix sums and the best balanced position in [lo, hi].
		for j := range m {
			pre[j] = 0
		}
		for i, u := range sc.order {
			for j := range m {
				pre[(i+1)*m+j] = pre[i*m+j] + s.val[int(u)*m+j]
			}
		}
		bi, bdev := -1, math.Inf(1)
		for i := lo; i <= hi; i++ {
			dev := 0.0
			for j := range m {
				if tot[j] <= 0 {
					continue
				}
				t1 := tot[j] * share
				a := pre[i*m+j]
				d1 := math.Abs(a/t1-1) / s.tol[j] * sumTol
				d2 := math.Abs((tot[j]-a)/(tot[j]-t1)-1) / s.tol[j] * sumTol
				dev = max(dev, d1, d2)
			}
			if dev < bdev {
				bi, bdev = i, dev
			}
		}
		if bi < 0 {
			continue
		}
		// Sides, contiguity repair, and the resulting balance and cut.
		for i, u := range sc.order {
			sc.side[u] = 2
			if i < bi {
				sc.side[u] = 1
			}
		}
		s.fixSides(sc, units)
		dev, cutLen := s.sideStats(sc, units, tot, share, sumTol)
		c := &cand{dev: dev, cut: cutLen, ok: dev <= lvlTol}
		if best == nil || (c.ok && !best.ok) || (c.ok == best.ok && ((c.ok && c.cut < best.cut) || (!c.ok && c.dev < best.dev))) {
			c.l1 = slices.Clone(l1)
			c.l2 = slices.Clone(l2)
			for _, u := range units {
				if sc.side[u] == 1 {
					c.side1 = append(c.side1, u)
				}
			}
			best = c
		}
	}
	for _, u := range units {
		sc.side[u] = 0
	}
	if best == nil || len(best.side1) == 0 || len(best.side1) == r {
		// No usable line (pins everywhere, or a region of one piece that
		// cannot be cut): deal the units by order of the first direction.
		half := max(1, min(r-1, (r*k1)/k))
		best = &cand{l1: labels[:k1], l2: labels[k1:], side1: sc.order[:half]}
		best.side1 = slices.Clone(best.side1)
	}
	var u1, u2 []int32
	for _, u := range best.side1 {
		sc.side[u] = 1
	}
	for _, u := range units {
		if sc.side[u] == 1 {
			u1 = append(u1, u)
		} else {
			u2 = append(u2, u)
		}
	}
	for _, u := range units {
		sc.side[u] = 0
	}
	s.splitRegion(sc, x, y, u1, best.l1)
	s.splitRegion(sc, x, y, u2, best.l2)
}

// fixSides makes both sides of a split connected within the region where
// it can: repeatedly, every piece of a side except its largest (by unit
// count) that touches the other side's largest piece joins that side.
// Pieces that touch neither main piece stay (the final repair of the
// whole alignment takes care of them).
func (s *state) fixSides(sc *splitScratch, units []int32) {
	type piece struct {
		side int8
		size int
	}
	var ps []piece
	for pass := 0; pass < 8; pass++ {
		for _, u := range units {
			sc.comp[u] = -1
		}
		ps = ps[:0]
		for _, r := range units {
			if sc.comp[r] >= 0 {
				continue
			}
			id := int32(len(ps))
			p := piece{side: sc.side[r]}
			sc.comp[r] = id
			sc.stk = append(sc.stk[:0], r)
			for len(sc.stk) > 0 {
				u := sc.stk[len(sc.stk)-1]
				sc.stk = sc.stk[:len(sc.stk)-1]
				p.size++
				for e := s.start[u]; e < s.start[u+1]; e++ {
					v := s.adj[e]
					if sc.side[v] == p.side && sc.comp[v] < 0 {
						sc.comp[v] = id
						sc.stk = append(sc.stk, v)
					}
				}
			}
			ps = append(ps, p)
		}
		var main [3]int32
		main[1], main[2] = -1, -1
		for id, p := range ps {
			if m := main[p.side]; m < 0 || p.size > ps[m].size {
				main[p.side] = int32(id)
			}
		}
		// Which stray pieces touch the other side's main piece.
		move := make([]bool, len(ps))
		any := false
		for _, u := range units {
			id := sc.comp[u]
			if id == main[ps[id].side] || move[id] {
				continue
			}
			other := main[3-ps[id].side]
			for e := s.start[u]; e < s.start[u+1]; e++ {
				v := s.adj[e]
				if sc.side[v] != 0 && sc.comp[v] == other {
					move[id] = true
					any = true
					break
				}
			}
		}
		if !any {
			return
		}
		for _, u := range units {
			if id := sc.comp[u]; move[id] {
				sc.side[u] = 3 - ps[id].side
			}
		}
	}
}

// sideStats returns the worst relative deviation (scaled to the largest
// tolerance) of the two sides of a split and the length of the cut
// between them.
func (s *state) sideStats(sc *splitScratch, units []int32, tot []float64, share, sumTol float64) (dev, cut float64) {
	m := s.m
	a := make([]float64, m)
	var ar, pr [3]float64
	for _, u := range units {
		sd := sc.side[u]
		ar[sd] += s.area[u]
		pr[sd] += s.perim[u]
		for e := s.start[u]; e < s.start[u+1]; e++ {
			if sc.side[s.adj[e]] == sd {
				pr[sd] -= s.shared[e]
			}
		}
		if sd == 1 {
			for j := range m {
				a[j] += s.val[int(u)*m+j]
			}
		}
	}
	cut = pr[1]/math.Sqrt(ar[1]) + pr[2]/math.Sqrt(ar[2])
	for j := range m {
		if tot[j] <= 0 {
			continue
		}
		t1 := tot[j] * share
		d1 := math.Abs(a[j]/t1-1) / s.tol[j] * sumTol
		d2 := math.Abs((tot[j]-a[j])/(tot[j]-t1)-1) / s.tol[j] * sumTol
		dev = max(dev, d1, d2)
	}
	return dev, cut
}
