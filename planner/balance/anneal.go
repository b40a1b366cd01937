package balance

import (
	"context"
	"math"
	"slices"
)

// flipDelta evaluates moving boundary unit u from its territory to b: the
// change of the objective and the boundary lengths u shares with its
// territory (sa) and with b (sb).
func (s *state) flipDelta(u, b int32) (d, sa, sb float64) {
	a := s.assign[u]
	na, nb := 0, 0
	for e := s.start[u]; e < s.start[u+1]; e++ {
		switch s.assign[s.adj[e]] {
		case a:
			sa += s.shared[e]
			na++
		case b:
			sb += s.shared[e]
			nb++
		}
	}
	d = s.nu * float64(na-nb)
	pu, au := s.perim[u], s.area[u]
	d += s.comp(s.tp[a]-pu+2*sa, s.ta[a]-au) + s.comp(s.tp[b]+pu-2*sb, s.ta[b]+au) -
		s.comp(s.tp[a], s.ta[a]) - s.comp(s.tp[b], s.ta[b])
	m := s.m
	d += s.penFlip(a, u, -1) + s.penFlip(b, u, 1) -
		s.pen(a, s.sum[int(a)*m:int(a)*m+m]) - s.pen(b, s.sum[int(b)*m:int(b)*m+m])
	switch s.home[u] {
	case a:
		d += s.mu
	case b:
		d -= s.mu
	}
	return d, sa, sb
}

// proposeFlip picks a random boundary unit that may move and a random
// neighbouring territory it may move to; ok is false when the draw gives
// none.
func (s *state) proposeFlip() (u, b int32, ok bool) {
	if len(s.bnd) == 0 {
		return 0, 0, false
	}
	u = s.bnd[s.rng.IntN(len(s.bnd))]
	a := s.assign[u]
	if s.pin[u] >= 0 || s.lockedT[a] {
		return 0, 0, false
	}
	deg := s.start[u+1] - s.start[u]
	off := int32(s.rng.IntN(int(deg)))
	for i := range deg {
		e := s.start[u] + (off+i)%deg
		if t := s.assign[s.adj[e]]; t != a && !s.lockedT[t] {
			return u, t, true
		}
	}
	return 0, 0, false
}

// proposeFocused proposes a flip that touches a territory out of
// tolerance (listed in s.bad): one of its boundary units out, or a
// neighbouring unit in, with equal chances.
func (s *state) proposeFocused() (u, b int32, ok bool) {
	a := s.bad[s.rng.IntN(len(s.bad))]
	mem := s.mem[a]
	if len(mem) == 0 {
		return 0, 0, false
	}
	w := mem[s.rng.IntN(len(mem))]
	if s.foreign[w] == 0 {
		return 0, 0, false
	}
	deg := s.start[w+1] - s.start[w]
	off := int32(s.rng.IntN(int(deg)))
	for i := range deg {
		v := s.adj[s.start[w]+(off+i)%deg]
		t := s.assign[v]
		if t == a || s.lockedT[t] {
			continue
		}
		if s.rng.IntN(2) == 0 {
			if s.pin[w] >= 0 {
				return 0, 0, false
			}
			return w, t, true // w leaves a
		}
		if s.pin[v] >= 0 {
			return 0, 0, false
		}
		return v, a, true // v joins a
	}
	return 0, 0, false
}

// updateBad lists the free territories out of the search tolerance.
func (s *state) updateBad() {
	s.bad = s.bad[:0]
	for t := range s.k {
		if !s.lockedT[t] && s.excessWith(int32(t), nil) > 0 {
			s.bad = append(s.bad, int32(t))
		}
	}
}

// tryFlip proposes one boundary flip and applies it when the Metropolis
// rule at temperature T accepts it (T = 0: only non-worsening moves), the
// move cap allows it and the unit's territory stays connected. It reports
// whether the alignment changed.
func (s *state) tryFlip(T float64) bool {
	u, b, ok := s.proposeFlip()
	if len(s.bad) > 0 && s.rng.IntN(2) == 0 {
		u, b, ok = s.proposeFocused()
	}
	if !ok {
		return false
	}
	a := s.assign[u]
	capped := s.maxMove >= 0 && s.home[u] == a && s.moved >= s.maxMove
	d, sa, sb := s.flipDelta(u, b)
	thr := 0.0 // accept a change of the objective up to thr (Metropolis)
	if T > 0 {
		thr = -T * math.Log(1-s.rng.Float64())
	}
	if d <= thr && !capped {
		if !s.canLeave(u) {
			return false
		}
		s.flip(u, b, sa, sb)
		return true
	}
	if !s.swaps || !s.canLeave(u) {
		return false
	}
	// Swap: the flip alone is refused (by balance, mostly); try it with a
	// compensating flip of a unit of b near u back into a.
	pu, au := s.perim[u], s.area[u]
	dc := s.comp(s.tp[a]-pu+2*sa, s.ta[a]-au) + s.comp(s.tp[b]+pu-2*sb, s.ta[b]+au) -
		s.comp(s.tp[a], s.ta[a]) - s.comp(s.tp[b], s.ta[b])
	if dc >= 0 {
		return false
	}
	s.flip(u, b, sa, sb)
	bestV, bestD := int32(-1), math.Inf(1)
	s.cands = s.cands[:0]
	consider := func(v int32) {
		if v == u || s.assign[v] != b || s.pin[v] >= 0 || slices.Contains(s.cands, v) {
			return
		}
		s.cands = append(s.cands, v)
		for e := s.start[v]; e < s.start[v+1]; e++ {
			if s.assign[s.adj[e]] == a {
				if dv, _, _ := s.flipDelta(v, a); dv < bestD {
					bestV, bestD = v, dv
				}
				return
			}
		}
	}
	for e := s.start[u]; e < s.start[u+1]; e++ {
		w := s.adj[e]
		if s.assign[w] != b {
			continue
		}
		consider(w)
		for e2 := s.start[w]; e2 < s.start[w+1]; e2++ {
			consider(s.adj[e2])
		}
	}
	if bestV >= 0 && d+bestD <= thr && s.canLeave(bestV) {
		_, va, vb := s.flipDelta(bestV, a)
		s.flip(bestV, a, va, vb)
		if s.maxMove < 0 || s.moved <= s.maxMove {
			return true
		}
		_, va, vb = s.flipDelta(bestV, b)
		s.flip(bestV, b, va, vb)
	}
	_, ra, rb := s.flipDelta(u, a)
	s.flip(u, a, ra, rb)
	return false
}

// typicalDelta estimates the size of a compactness change by one flip: the
// median absolute change of the compactness term over up to 2,000 random
// proposals (1e-3 when there are none).
func (s *state) typicalDelta() float64 {
	var ds []float64
	for range 2000 {
		u, b, ok := s.proposeFlip()
		if !ok {
			continue
		}
		a := s.assign[u]
		sa, sb := 0.0, 0.0
		for e := s.start[u]; e < s.start[u+1]; e++ {
			switch s.assign[s.adj[e]] {
			case a:
				sa += s.shared[e]
			case b:
				sb += s.shared[e]
			}
		}
		pu, au := s.perim[u], s.area[u]
		d := s.comp(s.tp[a]-pu+2*sa, s.ta[a]-au) + s.comp(s.tp[b]+pu-2*sb, s.ta[b]+au) -
			s.comp(s.tp[a], s.ta[a]) - s.comp(s.tp[b], s.ta[b])
		if d != 0 && !math.IsNaN(d) && !math.IsInf(d, 0) {
			ds = append(ds, math.Abs(d))
		}
	}
	if len(ds) == 0 {
		return 1e-3
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// schedule is an annealing run: flips attempts with the temperature
// falling geometrically from t0 to t1 (t0 = 0: zero temperature), and a
// merge-and-split attempt every recomEvery flips (0: none), each drawing
// up to tries trees.
type schedule struct {
	flips      int
	t0, t1     float64
	recomEvery int
	tries      int
	// kappa0 and kappaEnd (both > 0, or both 0 to switch the pressure
	// off) are the balance pressure state.kappa at the start and at the
	// end, changing geometrically in between.
	kappa0, kappaEnd float64
	// keepBest restores the best alignment seen (least excess, then lowest
	// objective) at the end; otherwise the run ends where it ends.
	keepBest bool
	// focus makes half the moves touch territories out of tolerance.
	focus bool
	// stopFeasible ends the run as soon as every territory is within
	// tolerance (checked every max(1024, n) attempts).
	stopFeasible bool
}

// plainScore is the objective without penalties: compactness (with the
// cut edges term) and moves.
func (s *state) plainScore() float64 {
	f := s.mu*float64(s.moved) + s.nu*float64(s.cutEdges())
	for t := range s.k {
		f += s.comp(s.tp[t], s.ta[t])
	}
	return f
}

// snapshot is a saved alignment with its quality.
type snapshot struct {
	assign []int32
	excess float64
	score  float64
	ok     bool
}

// better reports whether (excess, score) beats the snapshot: less excess
// deviation first, then a lower objective.
func (b *snapshot) better(excess, score float64) bool {
	if !b.ok {
		return true
	}
	const eps = 1e-12
	if excess < b.excess-eps {
		return true
	}
	return excess <= b.excess+eps && score < b.score-1e-12
}

func (b *snapshot) take(s *state, excess, score float64) {
	b.assign = append(b.assign[:0], s.assign...)
	b.excess, b.score, b.ok = excess, score, true
}

// anneal runs the schedule. With keepBest it keeps the best alignment
// seen (checked every max(1024, n) attempts and at the end) and restores
// it at the end. report, when not nil, gets the fraction done. It returns
// the number of attempts made and ctx.Err() when cancelled (checked every
// 1,024 attempts; the state then holds the best alignment so far).
func (s *state) anneal(ctx context.Context, sp *splitter, sc schedule, report func(float64)) (int, error) {
	var best snapshot
	best.take(s, s.excess(), s.plainScore())
	check := max(1024, s.n)
	T := sc.t0
	ratio := 1.0
	if sc.t0 > 0 && sc.t1 > 0 {
		ratio = sc.t1 / sc.t0
	}
	s.kappa = 0
	steps := 0
	var err error
	for i := range sc.flips {
		if i&1023 == 0 {
			if e := ctx.Err(); e != nil {
				err = e
				break
			}
			if sc.focus {
				s.updateBad()
			}
			frac := float64(i) / float64(sc.flips)
			T = 0
			if sc.t0 > 0 {
				T = sc.t0 * math.Pow(ratio, frac)
			}
			if sc.kappa0 > 0 && sc.kappaEnd > 0 {
				s.kappa = sc.kappa0 * math.Pow(sc.kappaEnd/sc.kappa0, frac)
			}
			if report != nil && i&(1<<14-1) == 0 {
				report(frac)
			}
		}
		if i%check == 0 && i > 0 {
			ex, scr := s.excess(), s.plainScore()
			if best.better(ex, scr) {
				best.take(s, ex, scr)
			}
			if sc.stopFeasible && ex == 0 {
				break
			}
		}
		s.tryFlip(T)
		steps++
		if sc.recomEvery > 0 && i%sc.recomEvery == sc.recomEvery-1 {
			u, b, ok := s.proposeFlip()
			if len(s.bad) > 0 && s.rng.IntN(2) == 0 {
				u, b, ok = s.proposeFocused()
			}
			if ok {
				s.recom(sp, s.assign[u], b, T, sc.tries)
			}
		}
	}
	s.kappa = 0
	s.bad = s.bad[:0]
	s.recount()
	if ex, scr := s.excess(), s.plainScore(); !sc.keepBest || best.better(ex, scr) {
		best.take(s, ex, scr)
	} else {
		copy(s.assign, best.assign)
		s.init()
	}
	return steps, err
}

// cutEdges counts adjacent unit pairs in different territories.
func (s *state) cutEdges() int {
	c := 0
	for u := range s.n {
		c += int(s.foreign[u])
	}
	return c / 2
}
