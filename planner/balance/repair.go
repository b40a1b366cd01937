package balance

import (
	"math"
	"slices"
)

// repair makes every free territory connected where pins allow: each
// territory keeps the piece that holds its pinned units (or, with none, its
// largest piece by size, see weightOf, ties to the piece with the lowest
// unit index), and every other piece joins the neighbouring free territory
// where it adds the least excess deviation, ties broken by the longer
// shared boundary, then the lower territory index. Pieces with pins of
// their territory, or with no free neighbouring territory, stay. It works
// on s.assign and rebuilds the state; it returns the number of pieces
// moved.
func (s *state) repair() int {
	moved := 0
	piece := make([]int32, s.n)
	var units, stk []int32
	touch := make([]bool, s.k)
	for round := 0; round < 4*s.k+4; round++ {
		changed := false
		for i := range piece {
			piece[i] = -1
		}
		// Label pieces; remember for each territory its kept piece.
		type pinfo struct {
			t      int32
			first  int32 // lowest unit index (first found)
			w      float64
			pinned bool
		}
		var ps []pinfo
		for r := range s.n {
			if piece[r] >= 0 {
				continue
			}
			t := s.assign[r]
			id := int32(len(ps))
			info := pinfo{t: t, first: int32(r)}
			piece[r] = id
			stk = append(stk[:0], int32(r))
			for len(stk) > 0 {
				u := stk[len(stk)-1]
				stk = stk[:len(stk)-1]
				info.w += s.weightOf(u) + 1e-12
				if s.pin[u] == t {
					info.pinned = true
				}
				for e := s.start[u]; e < s.start[u+1]; e++ {
					if v := s.adj[e]; piece[v] < 0 && s.assign[v] == t {
						piece[v] = id
						stk = append(stk, v)
					}
				}
			}
			ps = append(ps, info)
		}
		keep := make([]int32, s.k)
		for t := range keep {
			keep[t] = -1
		}
		for id, p := range ps {
			if s.lockedT[p.t] {
				continue
			}
			k := keep[p.t]
			if k < 0 || (p.pinned && !ps[k].pinned) || (p.pinned == ps[k].pinned && p.w > ps[k].w) {
				keep[p.t] = int32(id)
			}
		}
		// Strays, smallest first (then by lowest unit) so that small bits
		// settle before large ones.
		order := make([]int32, 0, len(ps))
		for id, p := range ps {
			if !s.lockedT[p.t] && keep[p.t] != int32(id) && !p.pinned {
				order = append(order, int32(id))
			}
		}
		if len(order) == 0 {
			break
		}
		slices.SortStableFunc(order, func(x, y int32) int {
			if ps[x].w != ps[y].w {
				if ps[x].w < ps[y].w {
					return -1
				}
				return 1
			}
			return int(ps[x].first - ps[y].first)
		})
		s.recountSums()
		// Units of each piece, grouped by a counting sort on piece id.
		pStart := make([]int32, len(ps)+1)
		for u := range s.n {
			pStart[piece[u]+1]++
		}
		for i := range ps {
			pStart[i+1] += pStart[i]
		}
		pUnits := make([]int32, s.n)
		fill := slices.Clone(pStart[:len(ps)])
		for u := range s.n {
			pUnits[fill[piece[u]]] = int32(u)
			fill[piece[u]]++
		}
		add := make([]float64, s.m)
		sharedWith := make([]float64, s.k)
		for _, id := range order {
			t := ps[id].t
			units = append(units[:0], pUnits[pStart[id]:pStart[id+1]]...)
			clear(add)
			clear(sharedWith)
			clear(touch)
			for _, u := range units {
				for j := range s.m {
					add[j] += s.val[int(u)*s.m+j]
				}
				for e := s.start[u]; e < s.start[u+1]; e++ {
					if b := s.assign[s.adj[e]]; b != t && !s.lockedT[b] {
						touch[b] = true
						sharedWith[b] += s.shared[e]
					}
				}
			}
			best, bCost, bShared := int32(-1), math.Inf(1), 0.0
			for b := range s.k {
				if !touch[b] {
					continue
				}
				cost := s.excessWith(int32(b), add) - s.excessWith(int32(b), nil)
				if cost < bCost-1e-15 || (math.Abs(cost-bCost) <= 1e-15 && sharedWith[b] > bShared) {
					best, bCost, bShared = int32(b), cost, sharedWith[b]
				}
			}
			if best < 0 {
				continue
			}
			for _, u := range units {
				s.assign[u] = best
			}
			for j := range s.m {
				s.sum[int(t)*s.m+j] -= add[j]
				s.sum[int(best)*s.m+j] += add[j]
			}
			moved++
			changed = true
		}
		if !changed {
			break
		}
	}
	s.init()
	return moved
}

// recountSums recomputes only the metric sums of every territory from
// assign.
func (s *state) recountSums() {
	clear(s.sum)
	for u := range s.n {
		if t := s.assign[u]; t >= 0 {
			for j := range s.m {
				s.sum[int(t)*s.m+j] += s.val[u*s.m+j]
			}
		}
	}
}

// excessWith is territory t's weighted excess deviation with add (length
// m, or nil) added to its sums.
func (s *state) excessWith(t int32, add []float64) float64 {
	e := 0.0
	for j := range s.m {
		tg := s.target[int(t)*s.m+j]
		if tg <= 0 {
			continue
		}
		v := s.sum[int(t)*s.m+j]
		if add != nil {
			v += add[j]
		}
		if d := math.Abs(v/tg-1) - s.tol[j]; d > 0 {
			e += s.w[j] * d
		}
	}
	return e
}
