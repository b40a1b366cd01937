package balance

import (
	"math"
	"math/rand/v2"
)

// state is the working alignment of the optimizer on the compact graph of
// the units that take part: every per-unit and per-territory quantity the
// moves need, kept up to date incrementally. Territories are int32 in
// [0, k); units in [0, n).
type state struct {
	n, k, m int

	// Graph (CSR), with geometry.
	start  []int32
	adj    []int32
	shared []float64
	area   []float64
	perim  []float64
	x, y   []float64 // centroids or nil

	// Metrics: val[u*m+j] is unit u's value of metric j, scaled so that the
	// mean target of each metric is 1. target[t*m+j] is territory t's
	// target in the same scale (0 for a metric whose total is 0, which is
	// then ignored).
	val    []float64
	target []float64
	w      []float64 // per metric weight, > 0
	tol    []float64 // per metric tolerance used in the search (a little tighter than asked)

	pin []int32 // per unit: territory it must stay in, or -1
	// hasPinOrHome is true when some unit has a pin or a home territory.
	hasPinOrHome bool
	lockedT      []bool  // per territory: nothing enters or leaves
	home         []int32 // per unit: territory in the current alignment, or -1
	moved        int     // units with home >= 0 and assign != home
	maxMove      int     // cap on moved, or -1 for none

	assign []int32
	sum    []float64 // k*m
	ta, tp []float64 // territory area and perimeter
	size   []int32

	// Members of each territory (unordered), with each unit's position.
	mem  [][]int32
	mpos []int32

	// Boundary units (with a neighbour in another territory), unordered,
	// with positions (-1 when not on the boundary), and the count of
	// foreign neighbours of each unit.
	foreign []int32
	bnd     []int32
	bpos    []int32

	// Articulation points of each territory's induced subgraph, valid for
	// territory t while artOK[t].
	art   []bool
	artOK []bool

	// Scratch for the local contiguity test: zone and visit marks.
	stamp, seen []uint32
	epoch       uint32

	// Scratch for Tarjan's algorithm.
	disc, low, par, it []int32
	stk                []int32

	// Objective weights.
	lambda float64 // per unit of excess deviation (fraction) times metric weight
	kappa  float64 // per unit of squared deviation times metric weight
	mu     float64 // per moved unit
	nu     float64 // per cut edge (adjacent units in different territories)
	cscale float64 // multiplies the compactness term

	// bad lists territories out of tolerance while a focused run is on.
	bad []int32

	// swaps enables compensating swaps in tryFlip.
	swaps bool
	cands []int32 // scratch for swaps

	rng *rand.Rand
}

// comp is the compactness cost of a territory with area a and perimeter
// p: P/sqrt(4πA) = 1/sqrt(Polsby-Popper), >= 1 for any shape, scaled by
// cscale (1/k, so that the sum over territories is about 1-3).
func (s *state) comp(p, a float64) float64 {
	if !(a > 0) {
		a = 1e-12
	}
	return s.cscale * p / math.Sqrt(4*math.Pi*a)
}

// pen is the balance penalty of territory t if its sums were sum (length
// m): lambda times the weighted excess of each metric's relative deviation
// beyond its tolerance, plus kappa times the weighted squared deviation
// (a pressure towards the target, on while balancing).
func (s *state) pen(t int32, sum []float64) float64 {
	if s.lockedT[t] {
		return 0
	}
	p, q := 0.0, 0.0
	tg := s.target[int(t)*s.m : int(t)*s.m+s.m]
	for j, v := range sum {
		if tg[j] <= 0 {
			continue
		}
		d := math.Abs(v/tg[j] - 1)
		q += s.w[j] * d * d
		if e := d - s.tol[j]; e > 0 {
			p += s.w[j] * e
		}
	}
	return s.lambda*p + s.kappa*q
}

// penFlip is pen for territory t with unit u's values added (sign +1) or
// removed (sign -1), without allocating.
func (s *state) penFlip(t int32, u int32, sign float64) float64 {
	if s.lockedT[t] {
		return 0
	}
	p, q := 0.0, 0.0
	m := s.m
	tg := s.target[int(t)*m : int(t)*m+m]
	sm := s.sum[int(t)*m : int(t)*m+m]
	vu := s.val[int(u)*m : int(u)*m+m]
	for j := range m {
		if tg[j] <= 0 {
			continue
		}
		d := math.Abs((sm[j]+sign*vu[j])/tg[j] - 1)
		q += s.w[j] * d * d
		if e := d - s.tol[j]; e > 0 {
			p += s.w[j] * e
		}
	}
	return s.lambda*p + s.kappa*q
}

// within reports whether sums (length m) are within the search tolerance
// of territory t's targets on every metric.
func (s *state) within(t int32, sum []float64) bool {
	if s.lockedT[t] {
		return true
	}
	tg := s.target[int(t)*s.m : int(t)*s.m+s.m]
	for j, v := range sum {
		if tg[j] > 0 && math.Abs(v/tg[j]-1) > s.tol[j] {
			return false
		}
	}
	return true
}

// terrScore is the full objective contribution of territory t (without
// the moves term).
func (s *state) terrScore(t int32) float64 {
	return s.comp(s.tp[t], s.ta[t]) + s.pen(t, s.sum[int(t)*s.m:int(t)*s.m+s.m])
}

// score is the whole objective.
func (s *state) score() float64 {
	f := s.mu*float64(s.moved) + s.nu*float64(s.cutEdges())
	for t := range s.k {
		f += s.terrScore(int32(t))
	}
	return f
}

// excess is the total weighted excess deviation beyond the search
// tolerance (0 when every free territory is within it).
func (s *state) excess() float64 {
	e := 0.0
	for t := range s.k {
		if !s.lockedT[t] {
			e += s.excessWith(int32(t), nil)
		}
	}
	return e
}

// alloc allocates every derived slice for n units, k territories and m
// metrics; assign, home and pin must be set already.
func (s *state) alloc() {
	n, k, m := s.n, s.k, s.m
	s.sum = make([]float64, k*m)
	s.ta, s.tp = make([]float64, k), make([]float64, k)
	s.size = make([]int32, k)
	s.mem = make([][]int32, k)
	s.mpos = make([]int32, n)
	s.foreign = make([]int32, n)
	s.bpos = make([]int32, n)
	s.bnd = make([]int32, 0, n)
	s.art = make([]bool, n)
	s.artOK = make([]bool, k)
	s.disc, s.low, s.par, s.it = make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
}

// init fills every derived quantity from assign, which must hold a
// territory for every unit.
func (s *state) init() {
	for t := range s.mem {
		s.mem[t] = s.mem[t][:0]
	}
	for u := range s.n {
		t := s.assign[u]
		s.mpos[u] = int32(len(s.mem[t]))
		s.mem[t] = append(s.mem[t], int32(u))
	}
	s.recount()
}

// recount recomputes sums, areas, perimeters, sizes, foreign counts, the
// boundary set and moved from assign, dropping any floating-point drift.
func (s *state) recount() {
	m := s.m
	clear(s.sum)
	clear(s.ta)
	clear(s.tp)
	clear(s.size)
	s.bnd = s.bnd[:0]
	s.moved = 0
	for u := range s.n {
		t := s.assign[u]
		for j := range m {
			s.sum[int(t)*m+j] += s.val[u*m+j]
		}
		s.ta[t] += s.area[u]
		s.tp[t] += s.perim[u]
		s.size[t]++
		f := int32(0)
		for e := s.start[u]; e < s.start[u+1]; e++ {
			if s.assign[s.adj[e]] == t {
				s.tp[t] -= s.shared[e]
			} else {
				f++
			}
		}
		s.foreign[u] = f
		s.bpos[u] = -1
		if f > 0 {
			s.bpos[u] = int32(len(s.bnd))
			s.bnd = append(s.bnd, int32(u))
		}
		if h := s.home[u]; h >= 0 && h != t {
			s.moved++
		}
	}
	clear(s.artOK)
}

// setBoundary puts u in or out of the boundary set after its foreign
// count changed.
func (s *state) setBoundary(u int32) {
	in := s.bpos[u] >= 0
	if s.foreign[u] > 0 && !in {
		s.bpos[u] = int32(len(s.bnd))
		s.bnd = append(s.bnd, u)
	} else if s.foreign[u] == 0 && in {
		i := s.bpos[u]
		last := s.bnd[len(s.bnd)-1]
		s.bnd[i] = last
		s.bpos[last] = i
		s.bnd = s.bnd[:len(s.bnd)-1]
		s.bpos[u] = -1
	}
}

// moveMember moves u from the member list of a to that of b.
func (s *state) moveMember(u, a, b int32) {
	i := s.mpos[u]
	la := s.mem[a]
	last := la[len(la)-1]
	la[i] = last
	s.mpos[last] = i
	s.mem[a] = la[:len(la)-1]
	s.mpos[u] = int32(len(s.mem[b]))
	s.mem[b] = append(s.mem[b], u)
}

// flip moves unit u from its territory a to territory b, given the
// boundary it shares with a and with b, updating every derived quantity.
func (s *state) flip(u, b int32, sa, sb float64) {
	a := s.assign[u]
	m := s.m
	for j := range m {
		v := s.val[int(u)*m+j]
		s.sum[int(a)*m+j] -= v
		s.sum[int(b)*m+j] += v
	}
	s.ta[a] -= s.area[u]
	s.ta[b] += s.area[u]
	s.tp[a] += -s.perim[u] + 2*sa
	s.tp[b] += s.perim[u] - 2*sb
	s.size[a]--
	s.size[b]++
	if h := s.home[u]; h == a {
		s.moved++
	} else if h == b {
		s.moved--
	}
	s.assign[u] = b
	s.moveMember(u, a, b)
	f := int32(0)
	for e := s.start[u]; e < s.start[u+1]; e++ {
		v := s.adj[e]
		switch s.assign[v] {
		case a:
			s.foreign[v]++
			s.setBoundary(v)
			f++
		case b:
			s.foreign[v]--
			s.setBoundary(v)
		default:
			f++
		}
	}
	s.foreign[u] = f
	s.setBoundary(u)
	s.artOK[a] = false
	s.artOK[b] = false
}

// articulation computes the articulation points of territory t's induced
// subgraph into s.art (iterative Hopcroft-Tarjan lowpoint DFS over every
// piece of the territory), and marks it valid.
func (s *state) articulation(t int32) {
	mem := s.mem[t]
	for _, u := range mem {
		s.disc[u] = -1
		s.art[u] = false
	}
	timer := int32(0)
	for _, root := range mem {
		if s.disc[root] >= 0 {
			continue
		}
		s.disc[root], s.low[root], s.par[root], s.it[root] = timer, timer, -1, s.start[root]
		timer++
		rootKids := 0
		s.stk = append(s.stk[:0], root)
		for len(s.stk) > 0 {
			u := s.stk[len(s.stk)-1]
			if s.it[u] < s.start[u+1] {
				v := s.adj[s.it[u]]
				s.it[u]++
				if s.assign[v] != t {
					continue
				}
				if s.disc[v] < 0 {
					s.disc[v], s.low[v], s.par[v], s.it[v] = timer, timer, u, s.start[v]
					timer++
					if u == root {
						rootKids++
					}
					s.stk = append(s.stk, v)
				} else if v != s.par[u] {
					s.low[u] = min(s.low[u], s.disc[v])
				}
				continue
			}
			s.stk = s.stk[:len(s.stk)-1]
			if p := s.par[u]; p >= 0 {
				s.low[p] = min(s.low[p], s.low[u])
				if p != root && s.low[u] >= s.disc[p] {
					s.art[p] = true
				}
			}
		}
		s.art[root] = rootKids > 1
	}
	s.artOK[t] = true
}

// canLeave reports whether u may leave its territory without splitting it
// (and without emptying it). It first tries a local test: the neighbours
// of u in its territory are connected through units of the territory
// within two links of u (a sufficient condition); otherwise it consults
// the territory's articulation points, computing them if needed.
func (s *state) canLeave(u int32) bool {
	a := s.assign[u]
	if s.size[a] <= 1 {
		return false
	}
	if s.artOK[a] {
		return !s.art[u]
	}
	if s.localOK(u, a) {
		return true
	}
	s.articulation(a)
	return !s.art[u]
}

// localOK reports whether the neighbours of u in territory a are
// connected through units of a (other than u) that are neighbours of u or
// neighbours of those.
func (s *state) localOK(u, a int32) bool {
	if len(s.stamp) < s.n {
		s.stamp = make([]uint32, s.n)
		s.seen = make([]uint32, s.n)
	}
	s.epoch++
	if s.epoch == 0 { // wrapped: reset
		clear(s.stamp)
		clear(s.seen)
		s.epoch = 1
	}
	ep := s.epoch
	// Mark the local zone: a-units within two links of u.
	first := int32(-1)
	want := 0
	for e := s.start[u]; e < s.start[u+1]; e++ {
		v := s.adj[e]
		if s.assign[v] != a {
			continue
		}
		want++
		s.stamp[v] = ep
		if first < 0 {
			first = v
		}
		for e2 := s.start[v]; e2 < s.start[v+1]; e2++ {
			if w := s.adj[e2]; w != u && s.assign[w] == a {
				s.stamp[w] = ep
			}
		}
	}
	if want <= 1 {
		return true
	}
	// Breadth-first search in the zone from the first neighbour, counting
	// the neighbours of u reached.
	isNb := func(w int32) bool {
		for e := s.start[u]; e < s.start[u+1]; e++ {
			if s.adj[e] == w {
				return true
			}
		}
		return false
	}
	q := append(s.stk[:0], first)
	s.seen[first] = ep
	got := 1
	for h := 0; h < len(q) && got < want; h++ {
		v := q[h]
		for e := s.start[v]; e < s.start[v+1]; e++ {
			w := s.adj[e]
			if w == u || s.stamp[w] != ep || s.seen[w] == ep {
				continue
			}
			s.seen[w] = ep
			q = append(q, w)
			if isNb(w) {
				got++
			}
		}
	}
	s.stk = q
	return got >= want
}
