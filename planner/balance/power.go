package balance

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// Balanced power diagrams: the first alignment of a new design.
//
// Every territory t has a centre and a price a_tj per metric j; a unit u
// of size w (its combined size, see weightOf) and composition ρ_j = v_j/w
// (v_j its value of metric j) costs, per unit of size, c_ut = d²(u,t) −
// Σ_j a_tj·ρ_j in territory t, where d is the distance from its centroid to
// the centre. Minimising Σ w·c over assignments with prices that make every
// territory meet its target on every metric solves the transportation
// problem "minimise the size-weighted moment of inertia subject to every
// territory meeting every target"; with one metric the territories are the
// convex cells of a power diagram. The prices are the optimum of the
// entropy-regularised dual (Cuturi, "Sinkhorn distances", NIPS 2013),
// maximised by Newton's method with backtracking and a decreasing
// regularisation ε; units then go to their cheapest territory. The centres
// then move to the size-weighted centroids of their territories and the
// prices are solved again (Lloyd's algorithm), as in the balanced
// centroidal power diagrams of Cohen-Addad, Klein and Young, "Balanced
// centroidal power diagrams for redistricting" (ACM SIGSPATIAL 2018), here
// with several metrics at once. Units join territories of their own
// component of the graph only; pieces cut off are repaired afterwards.

// powerCands is the number of nearest centres a unit may join.
const powerCands = 12

// powerMu smooths |price| in the dual of the tolerance band.
const powerMu = 1e-3

// powerEps is the schedule of the dual's regularisation, in units of a
// territory's squared radius.
var powerEps = []float64{0.3, 0.1, 0.03, 0.01, 0.003}

// powerInit fills s.assign with a balanced centroidal power diagram
// alignment on the combined size (see weightOf), starting from the
// current alignment's size-weighted centroids, after the given number of
// Lloyd rounds; it keeps the round with the least excess deviation (then
// the best shapes) after contiguity repair, and rebuilds the state. It
// stops early, keeping the best round so far, when ctx is cancelled.
func (s *state) powerInit(ctx context.Context, rounds int) {
	n, k := s.n, s.k
	const m = 1
	size := make([]float64, n)
	meanSize := 0.0
	for u := range n {
		size[u] = s.weightOf(int32(u))
		meanSize += size[u]
	}
	meanSize /= float64(max(1, n))
	pval := slices.Clone(size)
	for u := range n {
		size[u] += 1e-3 * meanSize // units of size 0 still have a place
	}
	comp := make([]int32, n)
	s.components(comp)
	x, y := s.coords()
	// Scale distances so that a territory's squared radius is about 1: a
	// territory holds n/k units, each covering about the median squared
	// distance between neighbouring centroids.
	var nd []float64
	for u := range n {
		for e := s.start[u]; e < s.start[u+1]; e++ {
			if v := s.adj[e]; int(v) > u {
				dx, dy := x[u]-x[v], y[u]-y[v]
				nd = append(nd, dx*dx+dy*dy)
			}
		}
	}
	d2scale := 1.0
	if len(nd) > 0 {
		slices.Sort(nd)
		if med := nd[len(nd)/2]; med > 0 {
			d2scale = math.Pi * float64(k) / (med * float64(n))
		}
	}

	// Territories that take part: free, with units; each lies in one
	// component (as the starting alignment has them).
	tcomp := make([]int32, k)
	for t := range tcomp {
		tcomp[t] = -1
	}
	for u := range n {
		tcomp[s.assign[u]] = comp[u]
	}
	free := make([]bool, k)
	for t := range k {
		free[t] = !s.lockedT[t] && tcomp[t] >= 0
	}
	// Effective targets: the combined target less the pinned units, scaled
	// per component so that they add up to the free units' totals.
	tgt := make([]float64, k)
	for t := range k {
		if !free[t] {
			continue
		}
		w := 0.0
		for j := range s.m {
			tgt[t] += s.w[j] * s.target[t*s.m+j]
			w += s.w[j]
		}
		tgt[t] /= w
	}
	nc := 0
	for u := range n {
		nc = max(nc, int(comp[u])+1)
	}
	have := make([]float64, nc)
	want := make([]float64, nc)
	for u := range n {
		if t := s.pin[u]; t >= 0 {
			if free[t] {
				tgt[t] -= pval[u]
			}
			continue
		}
		have[comp[u]] += pval[u]
	}
	for t := range k {
		if free[t] {
			tgt[t] = max(tgt[t], 0)
			want[tcomp[t]] += tgt[t]
		}
	}
	for t := range k {
		if free[t] && want[tcomp[t]] > 0 {
			tgt[t] *= have[tcomp[t]] / want[tcomp[t]]
		}
	}

	cx, cy, sw := make([]float64, k), make([]float64, k), make([]float64, k)
	centres := func() {
		clear(cx)
		clear(cy)
		clear(sw)
		for u := range n {
			t := s.assign[u]
			cx[t] += size[u] * x[u]
			cy[t] += size[u] * y[u]
			sw[t] += size[u]
		}
		for t := range k {
			if sw[t] > 0 {
				cx[t] /= sw[t]
				cy[t] /= sw[t]
			}
		}
	}
	centres()

	pd := &powerDual{s: s, size: size, k: k, m: m, free: free, val: pval, tgt: tgt,
		band: []float64{0.6 * s.tol[0]}, rho: 0.05,
		price: make([]float64, k*m), cand: make([]int32, n*powerCands), ncand: make([]int8, n),
		d2: make([]float64, n*powerCands)}
	for _, tl := range s.tol {
		pd.band[0] = min(pd.band[0], 0.6*tl)
	}
	type td struct {
		t int32
		d float64
	}
	near := make([]td, 0, k)
	var keep []int32
	keepEx, keepSc := math.Inf(1), math.Inf(1)
	for range max(1, rounds) {
		if ctx.Err() != nil {
			break
		}
		// Candidates: the nearest centres of free territories in the
		// unit's component.
		for u := range n {
			near = near[:0]
			if s.pin[u] < 0 {
				for t := range k {
					if free[t] && tcomp[t] == comp[u] {
						dx, dy := x[u]-cx[t], y[u]-cy[t]
						near = append(near, td{int32(t), (dx*dx + dy*dy) * d2scale})
					}
				}
			}
			slices.SortFunc(near, func(a, b td) int {
				if c := cmp.Compare(a.d, b.d); c != 0 {
					return c
				}
				return cmp.Compare(a.t, b.t)
			})
			c := min(len(near), powerCands)
			for i := range c {
				pd.cand[u*powerCands+i] = near[i].t
				pd.d2[u*powerCands+i] = near[i].d
			}
			pd.ncand[u] = int8(c)
		}
		for _, eps := range powerEps {
			if ctx.Err() != nil {
				break
			}
			pd.solve(eps, 30)
		}
		pd.assignHard()
		s.fillStrays()
		s.init()
		s.repair()
		if ex, sc := s.excess(), s.plainScore(); ex < keepEx-1e-9 || (ex <= keepEx+1e-9 && sc < keepSc) {
			keep = append(keep[:0], s.assign...)
			keepEx, keepSc = ex, sc
		}
		centres()
	}
	if keep != nil {
		copy(s.assign, keep)
	}
	s.init()
}

// powerDual is the entropy-regularised dual of the balanced assignment:
// prices per territory and metric, with each free unit's candidate
// territories and its scaled squared distances to their centres.
type powerDual struct {
	s     *state
	size  []float64
	k, m  int
	free  []bool
	val   []float64 // n*m unit values of the balanced metrics
	tgt   []float64 // k*m effective targets
	band  []float64 // m: allowed relative deviation of a load from its target
	rho   float64   // ridge on the prices: deviations beyond the band cost dev²/(2ρ)
	price []float64 // k*m
	cand  []int32   // n*powerCands
	ncand []int8
	d2    []float64 // n*powerCands

	// Scratch.
	idx  []int32 // territory -> dual variable block, or -1
	g, h []float64
	dir  []float64
	p    []float64
	try  []float64
}

// value returns the dual objective at prices a (to be maximised) and,
// when grad is true, fills pd.g with its gradient and pd.h with the
// negated Hessian (positive semidefinite), over the dual variables of
// free territories (block idx[t]*m + j).
func (pd *powerDual) value(a []float64, eps float64, grad bool) float64 {
	s, m := pd.s, pd.m
	dim := len(pd.g)
	if grad {
		clear(pd.g)
		clear(pd.h)
	}
	f := 0.0
	for t := range pd.k {
		if b := pd.idx[t]; b >= 0 {
			for j := range m {
				// a·T − band·h(a), h(a) = sqrt(a² + μ²) − μ, a smoothed |a|:
				// the dual of "load within ±band of T".
				av, tg := a[t*m+j], pd.tgt[t*m+j]
				band := pd.band[j] * tg
				r := math.Sqrt(av*av + powerMu*powerMu)
				f += av*tg - band*(r-powerMu) - pd.rho/2*av*av
				if grad {
					i := int(b)*m + j
					pd.g[i] += tg - band*av/r - pd.rho*av
					pd.h[i*dim+i] += band*powerMu*powerMu/(r*r*r) + pd.rho
				}
			}
		}
	}
	for u := range s.n {
		c := int(pd.ncand[u])
		if c == 0 {
			continue
		}
		w := pd.size[u]
		cs := pd.cand[u*powerCands : u*powerCands+c]
		ds := pd.d2[u*powerCands : u*powerCands+c]
		p := pd.p[:c]
		lo := math.Inf(1)
		for i, t := range cs {
			cost := ds[i]
			for j := range m {
				cost -= a[int(t)*m+j] * pd.val[u*m+j] / w
			}
			p[i] = cost
			lo = min(lo, cost)
		}
		z := 0.0
		for i := range p {
			p[i] = math.Exp(-(p[i] - lo) / eps)
			z += p[i]
		}
		f += w * (lo - eps*math.Log(z))
		if !grad {
			continue
		}
		for i := range p {
			p[i] /= z
		}
		for i, t := range cs {
			if p[i] < 1e-12 {
				continue
			}
			bt := int(pd.idx[t]) * m
			for j := range m {
				pd.g[bt+j] -= p[i] * pd.val[u*m+j]
			}
			for i2, t2 := range cs {
				q := -p[i] * p[i2]
				if i2 == i {
					q += p[i]
				}
				if math.Abs(q) < 1e-12 {
					continue
				}
				bt2 := int(pd.idx[t2]) * m
				for j := range m {
					vj := pd.val[u*m+j]
					if vj == 0 {
						continue
					}
					for j2 := range m {
						pd.h[(bt+j)*dim+bt2+j2] += q * vj * pd.val[u*m+j2] / (w * eps)
					}
				}
			}
		}
	}
	return f
}

// solve maximises the dual at regularisation eps by Newton's method with
// a ridge and backtracking line search, for at most iters steps or until
// every load is within 0.01% of its target.
func (pd *powerDual) solve(eps float64, iters int) {
	k, m := pd.k, pd.m
	if pd.idx == nil {
		pd.idx = make([]int32, k)
		nf := 0
		for t := range k {
			pd.idx[t] = -1
			if pd.free[t] {
				pd.idx[t] = int32(nf)
				nf++
			}
		}
		dim := nf * m
		pd.g = make([]float64, dim)
		pd.h = make([]float64, dim*dim)
		pd.dir = make([]float64, dim)
		pd.p = make([]float64, powerCands)
		pd.try = make([]float64, k*m)
	}
	dim := len(pd.g)
	if dim == 0 {
		return
	}
	for range iters {
		f := pd.value(pd.price, eps, true)
		worst := 0.0
		for t := range k {
			if b := pd.idx[t]; b >= 0 {
				for j := range m {
					if tg := pd.tgt[t*m+j]; tg > 0 {
						worst = max(worst, math.Abs(pd.g[int(b)*m+j])/tg)
					}
				}
			}
		}
		if worst < 1e-4 {
			return
		}
		tr := 0.0
		for i := range dim {
			tr += pd.h[i*dim+i]
		}
		ridge := 1e-9*tr/float64(dim) + 1e-12
		for !choleskySolve(pd.h, dim, ridge, pd.g, pd.dir) {
			ridge *= 100
			if ridge > 1e12 {
				return
			}
		}
		slope := 0.0
		for i := range dim {
			slope += pd.g[i] * pd.dir[i]
		}
		step := 1.0
		improved := false
		for range 30 {
			copy(pd.try, pd.price)
			for t := range k {
				if b := pd.idx[t]; b >= 0 {
					for j := range m {
						pd.try[t*m+j] += step * pd.dir[int(b)*m+j]
					}
				}
			}
			if pd.value(pd.try, eps, false) >= f+1e-4*step*slope {
				copy(pd.price, pd.try)
				improved = true
				break
			}
			step /= 2
		}
		if !improved {
			return
		}
	}
}

// assignHard gives every free unit its cheapest candidate territory and
// every pinned unit its pin.
func (pd *powerDual) assignHard() {
	s, m := pd.s, pd.m
	for u := range s.n {
		if t := s.pin[u]; t >= 0 {
			s.assign[u] = t
			continue
		}
		best, bc := int32(-1), math.Inf(1)
		for i := range int(pd.ncand[u]) {
			t := pd.cand[u*powerCands+i]
			cost := pd.d2[u*powerCands+i]
			for j := range m {
				cost -= pd.price[int(t)*m+j] * pd.val[u*m+j] / pd.size[u]
			}
			if cost < bc {
				best, bc = t, cost
			}
		}
		s.assign[u] = best
	}
}

// choleskySolve solves (a + ridge·I) x = b for a symmetric positive
// semidefinite dim×dim matrix a (row-major, not modified), by the Cholesky
// factorisation; false when the matrix is not positive definite.
func choleskySolve(a []float64, dim int, ridge float64, b, x []float64) bool {
	l := make([]float64, dim*dim)
	for i := range dim {
		for j := 0; j <= i; j++ {
			sum := a[i*dim+j]
			if i == j {
				sum += ridge
			}
			for k := range j {
				sum -= l[i*dim+k] * l[j*dim+k]
			}
			if i == j {
				if !(sum > 0) {
					return false
				}
				l[i*dim+i] = math.Sqrt(sum)
			} else {
				l[i*dim+j] = sum / l[j*dim+j]
			}
		}
	}
	for i := range dim {
		sum := b[i]
		for k := range i {
			sum -= l[i*dim+k] * x[k]
		}
		x[i] = sum / l[i*dim+i]
	}
	for i := dim - 1; i >= 0; i-- {
		sum := x[i]
		for k := i + 1; k < dim; k++ {
			sum -= l[k*dim+i] * x[k]
		}
		x[i] = sum / l[i*dim+i]
	}
	return true
}
