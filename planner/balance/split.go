package balance

import (
	"math"
)

// splitter holds the scratch buffers of tree splits, reused across calls
// so that a merge-and-split move allocates nothing in the steady state.
type splitter struct {
	loc   []int32 // per unit of the graph: local index in the region, or -1
	units []int32 // local index -> unit

	eu, ev []int32   // local edges (eu < ev), each once
	ew     []float64 // their shared lengths
	perm   []int32   // random edge order
	dsu    []int32   // Kruskal union-find

	tStart, tAdj []int32 // spanning tree, CSR over local indexes
	tFill        []int32

	par, it, stk []int32
	lca          []int32 // Tarjan's offline-LCA union-find
	anc          []int32
	black        []bool

	// Subtree sums per local node.
	sm       []float64 // r*m metric sums
	sa, sp   []float64 // area, perimeter sum
	swd, scr []float64 // weighted degree in region, shared length credited at the LCA
	sdc, scc []float64 // the same as counts: degree in region, edges credited at the LCA
	dc0      []float64 // each node's own degree in region
	wd0      []float64 // each node's own weighted degree (swd before summing)
	cnt      []int32   // r*5: pins of a, pins of b, homes in a, homes in b, homes anywhere
	tot      []float64 // m: metric totals of the region
	rest     []float64 // m: scratch, the other side's sums
	trees    int       // spanning trees drawn (statistics)
	post     []int32   // tree nodes in post-order
}

// cut describes the best cut found by bestCut: the tree's child node c
// whose subtree goes to territory sideA (the rest to the other), and the
// objective value of the pair after the cut.
type cut struct {
	c     int32
	toA   bool // subtree(c) goes to territory a
	score float64
	ok    bool // within the search tolerance on every metric
}

func (sp *splitter) ensure(n, r, m int) {
	if len(sp.loc) < n {
		sp.loc = make([]int32, n)
		for i := range sp.loc {
			sp.loc[i] = -1
		}
	}
	grow32 := func(b []int32, l int) []int32 {
		if cap(b) < l {
			return make([]int32, l, l+l/4)
		}
		return b[:l]
	}
	growF := func(b []float64, l int) []float64 {
		if cap(b) < l {
			return make([]float64, l, l+l/4)
		}
		return b[:l]
	}
	sp.dsu = grow32(sp.dsu, r)
	sp.tStart = grow32(sp.tStart, r+1)
	sp.tFill = grow32(sp.tFill, r)
	sp.tAdj = grow32(sp.tAdj, 2*r)
	sp.par = grow32(sp.par, r)
	sp.it = grow32(sp.it, r)
	sp.lca = grow32(sp.lca, r)
	sp.anc = grow32(sp.anc, r)
	if cap(sp.black) < r {
		sp.black = make([]bool, r, r+r/4)
	}
	sp.black = sp.black[:r]
	sp.sm = growF(sp.sm, r*m)
	sp.sa = growF(sp.sa, r)
	sp.sp = growF(sp.sp, r)
	sp.swd = growF(sp.swd, r)
	sp.scr = growF(sp.scr, r)
	sp.sdc = growF(sp.sdc, r)
	sp.scc = growF(sp.scc, r)
	sp.cnt = grow32(sp.cnt, r*5)
	sp.tot = growF(sp.tot, m)
	sp.rest = growF(sp.rest, m)
}

func find(d []int32, x int32) int32 {
	for d[x] != x {
		d[x] = d[d[x]]
		x = d[x]
	}
	return x
}

// loadRegion makes territories a and b the current region: local indexes,
// local edges and each node's weighted degree inside the region.
func (s *state) loadRegion(sp *splitter, a, b int32) {
	sp.units = append(append(sp.units[:0], s.mem[a]...), s.mem[b]...)
	r := len(sp.units)
	sp.ensure(s.n, r, s.m)
	for i, u := range sp.units {
		sp.loc[u] = int32(i)
	}
	sp.eu, sp.ev, sp.ew = sp.eu[:0], sp.ev[:0], sp.ew[:0]
	for i, u := range sp.units {
		wd, dc := 0.0, 0.0
		for e := s.start[u]; e < s.start[u+1]; e++ {
			j := sp.loc[s.adj[e]]
			if j < 0 {
				continue
			}
			wd += s.shared[e]
			dc++
			if j > int32(i) {
				sp.eu = append(sp.eu, int32(i))
				sp.ev = append(sp.ev, j)
				sp.ew = append(sp.ew, s.shared[e])
			}
		}
		sp.swd[i] = wd
		sp.sdc[i] = dc
	}
}

// unloadRegion resets the local indexes of the region.
func (s *state) unloadRegion(sp *splitter) {
	for _, u := range sp.units {
		sp.loc[u] = -1
	}
}

// randomTree draws a spanning tree of the region: Kruskal's algorithm over
// the edges in a uniformly random order, i.e. a minimum spanning tree for
// i.i.d. random edge weights (the tree GerryChain's ReCom draws by
// default). It returns false when the region is not connected.
func (s *state) randomTree(sp *splitter) bool {
	r := len(sp.units)
	ne := len(sp.eu)
	if cap(sp.perm) < ne {
		sp.perm = make([]int32, ne, ne+ne/4)
	}
	sp.perm = sp.perm[:ne]
	for i := range sp.perm {
		sp.perm[i] = int32(i)
	}
	for i := range r {
		sp.dsu[i] = int32(i)
		sp.tFill[i] = 0
	}
	// Kruskal over a lazily shuffled edge list (Fisher-Yates, one swap per
	// edge examined), stopping at r-1 tree edges.
	sp.tStart = sp.tStart[:r+1]
	nt := 0
	tree := sp.stk[:0]
	for i := 0; i < ne && nt < r-1; i++ {
		j := i + s.rng.IntN(ne-i)
		sp.perm[i], sp.perm[j] = sp.perm[j], sp.perm[i]
		e := sp.perm[i]
		x, y := find(sp.dsu, sp.eu[e]), find(sp.dsu, sp.ev[e])
		if x == y {
			continue
		}
		sp.dsu[x] = y
		nt++
		tree = append(tree, e)
		sp.tFill[sp.eu[e]]++
		sp.tFill[sp.ev[e]]++
	}
	sp.stk = tree
	if nt != r-1 {
		return false
	}
	sp.tStart[0] = 0
	for i := range r {
		sp.tStart[i+1] = sp.tStart[i] + sp.tFill[i]
		sp.tFill[i] = sp.tStart[i]
	}
	for _, e := range tree {
		x, y := sp.eu[e], sp.ev[e]
		sp.tAdj[sp.tFill[x]] = y
		sp.tFill[x]++
		sp.tAdj[sp.tFill[y]] = x
		sp.tFill[y]++
	}
	return true
}

// subtreeSums roots the tree at local node root and computes, for every
// node, the sums over its subtree of the metrics, area, perimeter,
// weighted and plain region degree, and pins and homes (for territories a
// and b); par[root] = -1 and sp.post lists the nodes in post-order.
// Shared lengths inside subtrees are left to internalSums.
func (s *state) subtreeSums(sp *splitter, a, b int32, root int32) {
	r := len(sp.units)
	m := s.m
	counts := s.hasPinOrHome
	for i := range r {
		u := sp.units[i]
		copy(sp.sm[i*m:i*m+m], s.val[int(u)*m:int(u)*m+m])
		sp.sa[i] = s.area[u]
		sp.sp[i] = s.perim[u]
		sp.it[i] = sp.tStart[i]
		if !counts {
			continue
		}
		c := sp.cnt[i*5 : i*5+5]
		c[0], c[1], c[2], c[3], c[4] = 0, 0, 0, 0, 0
		switch s.pin[u] {
		case a:
			c[0] = 1
		case b:
			c[1] = 1
		}
		switch h := s.home[u]; {
		case h == a:
			c[2], c[4] = 1, 1
		case h == b:
			c[3], c[4] = 1, 1
		case h >= 0:
			c[4] = 1
		}
	}
	if !counts {
		clear(sp.cnt[:5*r])
	}
	sp.post = sp.post[:0]
	sp.par[root] = -1
	stk := append(sp.stk[:0], root)
	for len(stk) > 0 {
		x := stk[len(stk)-1]
		if sp.it[x] < sp.tStart[x+1] {
			y := sp.tAdj[sp.it[x]]
			sp.it[x]++
			if y != sp.par[x] {
				sp.par[y] = x
				stk = append(stk, y)
			}
			continue
		}
		stk = stk[:len(stk)-1]
		sp.post = append(sp.post, x)
		if p := sp.par[x]; p >= 0 {
			for k := range m {
				sp.sm[int(p)*m+k] += sp.sm[int(x)*m+k]
			}
			sp.sa[p] += sp.sa[x]
			sp.sp[p] += sp.sp[x]
			sp.swd[p] += sp.swd[x]
			sp.sdc[p] += sp.sdc[x]
			if counts {
				for k := range 5 {
					sp.cnt[int(p)*5+k] += sp.cnt[int(x)*5+k]
				}
			}
		}
	}
	sp.stk = stk
}

// internalSums computes, after subtreeSums, each subtree's internal shared
// length and edge count: region edges whose endpoints' lowest common
// ancestor lies in the subtree, i.e. edges with both ends inside, found by
// Tarjan's offline LCA algorithm ("Applications of path compression on
// balanced trees", JACM 1979) over the post-order.
func (s *state) internalSums(sp *splitter) {
	r := len(sp.units)
	for i := range r {
		sp.scr[i] = 0
		sp.scc[i] = 0
		sp.lca[i] = int32(i)
		sp.anc[i] = int32(i)
		sp.black[i] = false
	}
	for _, x := range sp.post {
		// x is finished: answer its queries (region edges to finished
		// nodes), then merge it into its parent's set.
		sp.black[x] = true
		u := sp.units[x]
		for e := s.start[u]; e < s.start[u+1]; e++ {
			j := sp.loc[s.adj[e]]
			if j < 0 || !sp.black[j] || j == x {
				continue
			}
			l := sp.anc[find(sp.lca, j)]
			sp.scr[l] += s.shared[e]
			sp.scc[l]++
		}
		if p := sp.par[x]; p >= 0 {
			rx, rp := find(sp.lca, x), find(sp.lca, p)
			sp.lca[rx] = rp
			sp.anc[rp] = p
		}
	}
	for _, x := range sp.post {
		if p := sp.par[x]; p >= 0 {
			sp.scr[p] += sp.scr[x]
			sp.scc[p] += sp.scc[x]
		}
	}
}

// anyWithin reports whether some tree edge cut leaves both sides within
// tolerance, for either labelling (pins ignored).
func (s *state) anyWithin(sp *splitter, a, b int32, root int32) bool {
	m := s.m
	tot := sp.sm[int(root)*m : int(root)*m+m]
	for c := range int32(len(sp.units)) {
		if c == root {
			continue
		}
		sumS := sp.sm[int(c)*m : int(c)*m+m]
		for k := range m {
			sp.rest[k] = tot[k] - sumS[k]
		}
		if (s.within(a, sumS) && s.within(b, sp.rest)) || (s.within(b, sumS) && s.within(a, sp.rest)) {
			return true
		}
	}
	return false
}

// bestCut returns the best cut of the current spanning tree of the region
// of territories a and b (after subtreeSums with the given root): the tree
// edge and labelling that minimise the pair's objective (compactness,
// balance penalty, moves), honouring pins and the move cap.
func (s *state) bestCut(sp *splitter, a, b int32, root int32, oldMoved int, strict bool) cut {
	m := s.m
	r := int32(len(sp.units))
	copy(sp.tot, sp.sm[int(root)*m:int(root)*m+m])
	totA, totP, totW, totScr := sp.sa[root], sp.sp[root], sp.swd[root], sp.scr[root]
	_ = totW
	tc := sp.cnt[root*5 : root*5+5]
	best := cut{c: -1, score: math.Inf(1)}
	for c := range r {
		if c == root {
			continue
		}
		cc := sp.cnt[c*5 : c*5+5]
		aS, pS, wS, iS := sp.sa[c], sp.sp[c], sp.swd[c], sp.scr[c]
		cutS := wS - 2*iS
		cutN := sp.sdc[c] - 2*sp.scc[c] // cut edges between the sides
		perimS := pS - 2*iS
		iRest := totScr - iS - cutS
		perimR := (totP - pS) - 2*iRest
		sumS := sp.sm[int(c)*m : int(c)*m+m]
		for k := range m {
			sp.rest[k] = sp.tot[k] - sumS[k]
		}
		for lab := range 2 {
			toA := lab == 0
			ta, tb := a, b
			var movedNew int
			if toA {
				if cc[1] != 0 || cc[0] != tc[0] {
					continue
				}
				movedNew = int(cc[4]-cc[2]) + int((tc[4]-cc[4])-(tc[3]-cc[3]))
			} else {
				if cc[0] != 0 || cc[1] != tc[1] {
					continue
				}
				ta, tb = b, a
				movedNew = int(cc[4]-cc[3]) + int((tc[4]-cc[4])-(tc[2]-cc[2]))
			}
			if s.maxMove >= 0 && movedNew > oldMoved && s.moved+movedNew-oldMoved > s.maxMove {
				continue
			}
			ok := s.within(ta, sumS) && s.within(tb, sp.rest)
			if strict && !ok {
				continue
			}
			pa, pb := s.pen(ta, sumS), s.pen(tb, sp.rest)
			sc := s.comp(perimS, aS) + s.comp(perimR, totA-aS) + pa + pb + s.mu*float64(movedNew) + s.nu*cutN
			if sc < best.score {
				best = cut{c: c, toA: toA, score: sc, ok: ok}
			}
		}
	}
	return best
}

// recom is one merge-and-split move on territories a and b: merge them,
// draw up to tries random spanning trees until one has a cut that leaves
// both sides within tolerance (or, when the pair is out of tolerance now,
// keep the best cut of the first tree), and apply the best cut when the
// Metropolis rule at temperature T accepts it (T = 0: only improvements).
// It reports whether the alignment changed.
func (s *state) recom(sp *splitter, a, b int32, T float64, tries int) bool {
	if a == b || s.lockedT[a] || s.lockedT[b] {
		return false
	}
	s.loadRegion(sp, a, b)
	defer s.unloadRegion(sp)
	r := len(sp.units)
	if r < 2 {
		return false
	}
	oldMoved := 0
	for _, u := range sp.units {
		if h := s.home[u]; h >= 0 && h != s.assign[u] {
			oldMoved++
		}
	}
	abEdges := 0.0
	if s.nu != 0 {
		for _, u := range s.mem[a] {
			for e := s.start[u]; e < s.start[u+1]; e++ {
				if s.assign[s.adj[e]] == b {
					abEdges++
				}
			}
		}
	}
	old := s.terrScore(a) + s.terrScore(b) + s.mu*float64(oldMoved) + s.nu*abEdges
	pairOK := s.excessWith(a, nil) == 0 && s.excessWith(b, nil) == 0
	best := cut{c: -1}
	var bestRoot int32
	sp.wd0 = append(sp.wd0[:0], sp.swd[:r]...)
	sp.dc0 = append(sp.dc0[:0], sp.sdc[:r]...)
	for try := 0; try < max(1, tries); try++ {
		if !s.randomTree(sp) {
			return false
		}
		sp.trees++
		copy(sp.swd[:r], sp.wd0)
		copy(sp.sdc[:r], sp.dc0)
		root := int32(s.rng.IntN(r))
		s.subtreeSums(sp, a, b, root)
		if pairOK && !s.anyWithin(sp, a, b, root) {
			continue
		}
		s.internalSums(sp)
		c := s.bestCut(sp, a, b, root, oldMoved, pairOK)
		if c.c >= 0 && (c.ok || !pairOK) {
			best, bestRoot = c, root
			break
		}
	}
	if best.c < 0 {
		return false
	}
	d := best.score - old
	if d > 0 && (T <= 0 || s.rng.Float64() >= math.Exp(-d/T)) {
		return false
	}
	s.applyCut(sp, a, b, bestRoot, best, oldMoved)
	return true
}

// applyCut relabels the region after subtreeSums/bestCut: subtree(c) goes
// to a when toA, else to b; the rest to the other.
func (s *state) applyCut(sp *splitter, a, b int32, root int32, c cut, oldMoved int) {
	r := len(sp.units)
	// Mark subtree(c), reusing black as "in subtree".
	_ = root
	in := sp.black[:r]
	for i := range in {
		in[i] = false
	}
	// Collect subtree(c) by DFS in the tree from c away from its parent.
	stk := append(sp.stk[:0], c.c)
	in[c.c] = true
	for len(stk) > 0 {
		x := stk[len(stk)-1]
		stk = stk[:len(stk)-1]
		for e := sp.tStart[x]; e < sp.tStart[x+1]; e++ {
			y := sp.tAdj[e]
			if y != sp.par[x] && !in[y] {
				in[y] = true
				stk = append(stk, y)
			}
		}
	}
	sp.stk = stk
	ta, tb := a, b
	if !c.toA {
		ta, tb = b, a
	}
	newMoved := 0
	for i, u := range sp.units {
		t := tb
		if in[i] {
			t = ta
		}
		if old := s.assign[u]; old != t {
			s.assign[u] = t
			s.moveMember(u, old, t)
		}
		if h := s.home[u]; h >= 0 && h != t {
			newMoved++
		}
	}
	s.moved += newMoved - oldMoved
	s.refreshPair(sp.units, a, b)
}

// refreshPair recomputes territories a and b (sums, area, perimeter,
// size) and the foreign counts of the given units, which must be
// every unit of a and b.
func (s *state) refreshPair(units []int32, a, b int32) {
	m := s.m
	for _, t := range [2]int32{a, b} {
		for j := range m {
			s.sum[int(t)*m+j] = 0
		}
		s.ta[t], s.tp[t], s.size[t] = 0, 0, 0
		s.artOK[t] = false
	}
	for _, u := range units {
		t := s.assign[u]
		for j := range m {
			s.sum[int(t)*m+j] += s.val[int(u)*m+j]
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
		s.setBoundary(u)
	}
	// Neighbours outside the pair keep their foreign counts: a unit of
	// another territory sees units of a or b as foreign before and after.
}
