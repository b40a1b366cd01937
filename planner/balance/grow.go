package balance

import (
	"container/heap"
	"math"
)

// weightOf is the combined size of unit u: the weighted mean of its
// metric values, each in units of the metric's mean target.
func (s *state) weightOf(u int32) float64 {
	w, ws := 0.0, 0.0
	for j := range s.m {
		w += s.w[j] * s.val[int(u)*s.m+j]
		ws += s.w[j]
	}
	if ws == 0 {
		return 0
	}
	return w / ws
}

// fill is how full territory t is: the weighted mean over metrics of sum
// over target (metrics with no target are skipped; 0 when none).
func (s *state) fill(t int32) float64 {
	f, ws := 0.0, 0.0
	for j := range s.m {
		tg := s.target[int(t)*s.m+j]
		if tg <= 0 {
			continue
		}
		f += s.w[j] * s.sum[int(t)*s.m+j] / tg
		ws += s.w[j]
	}
	if ws == 0 {
		return float64(s.size[t])
	}
	return f / ws
}

// components labels the connected components of the graph (comp per unit)
// and returns their count.
func (s *state) components(comp []int32) int {
	for i := range comp {
		comp[i] = -1
	}
	c := int32(0)
	var stk []int32
	for r := range s.n {
		if comp[r] >= 0 {
			continue
		}
		comp[r] = c
		stk = append(stk[:0], int32(r))
		for len(stk) > 0 {
			u := stk[len(stk)-1]
			stk = stk[:len(stk)-1]
			for e := s.start[u]; e < s.start[u+1]; e++ {
				if v := s.adj[e]; comp[v] < 0 {
					comp[v] = c
					stk = append(stk, v)
				}
			}
		}
		c++
	}
	return int(c)
}

// hops returns the graph distance (number of links) from the sources to
// every unit (-1 when unreachable), by breadth-first search.
func (s *state) hops(src []int32, d []int32) {
	for i := range d {
		d[i] = -1
	}
	q := make([]int32, 0, s.n)
	for _, u := range src {
		if d[u] < 0 {
			d[u] = 0
			q = append(q, u)
		}
	}
	for h := 0; h < len(q); h++ {
		u := q[h]
		for e := s.start[u]; e < s.start[u+1]; e++ {
			if v := s.adj[e]; d[v] < 0 {
				d[v] = d[u] + 1
				q = append(q, v)
			}
		}
	}
}

// growItem is a frontier unit of a growing territory.
type growItem struct {
	pri float64
	u   int32
}

type growHeap []growItem

func (h growHeap) Len() int { return len(h) }
func (h growHeap) Less(i, j int) bool {
	if h[i].pri != h[j].pri {
		return h[i].pri < h[j].pri
	}
	return h[i].u < h[j].u
}
func (h growHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *growHeap) Push(x any)   { *h = append(*h, x.(growItem)) }
func (h *growHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// grow assigns every unit with assign -1, growing the territories from
// their current units: repeatedly the territory that is least full (see
// fill) among those that can still grow takes its frontier unit fewest
// links away from its units (ties to the lowest unit index). Locked
// territories do not grow. Units that no territory can reach stay -1. sum
// and size are kept up to date for fill.
func (s *state) grow() {
	m := s.m
	clear(s.sum)
	clear(s.size)
	for u := range s.n {
		if t := s.assign[u]; t >= 0 {
			for j := range m {
				s.sum[int(t)*m+j] += s.val[u*m+j]
			}
			s.size[t]++
		}
	}
	hs := make([]growHeap, s.k)
	hop := make([]float64, s.n)
	push := func(t int32, from int32) {
		for e := s.start[from]; e < s.start[from+1]; e++ {
			if v := s.adj[e]; s.assign[v] < 0 {
				heap.Push(&hs[t], growItem{hop[from] + 1, v})
			}
		}
	}
	for u := range s.n {
		if t := s.assign[u]; t >= 0 && !s.lockedT[t] {
			push(t, int32(u))
		}
	}
	for {
		best, bf := int32(-1), math.Inf(1)
		for t := range s.k {
			for hs[t].Len() > 0 && s.assign[hs[t][0].u] >= 0 {
				heap.Pop(&hs[t])
			}
			if hs[t].Len() == 0 {
				continue
			}
			if f := s.fill(int32(t)); f < bf {
				best, bf = int32(t), f
			}
		}
		if best < 0 {
			return
		}
		it := heap.Pop(&hs[best]).(growItem)
		u := it.u
		s.assign[u] = best
		hop[u] = it.pri
		for j := range m {
			s.sum[int(best)*m+j] += s.val[int(u)*m+j]
		}
		s.size[best]++
		push(best, u)
	}
}

// allotComponents gives each territory a component of the graph: pinned
// territories that of their pins; the others in proportion to each
// component's total size (largest remainder), at least one territory per
// component while territories last.
func (s *state) allotComponents(comp []int32, nc int) []int32 {
	compOf := make([]int32, s.k)
	for t := range compOf {
		compOf[t] = -1
	}
	for u := range s.n {
		if t := s.pin[u]; t >= 0 {
			compOf[t] = comp[u]
		}
	}
	if nc == 1 {
		for t := range compOf {
			compOf[t] = 0
		}
		return compOf
	}
	size := make([]float64, nc)
	total := 0.0
	for u := range s.n {
		w := s.weightOf(int32(u))
		size[comp[u]] += w
		total += w
	}
	have := make([]int, nc)
	for t := range s.k {
		if compOf[t] >= 0 {
			have[compOf[t]]++
		}
	}
	// Desired counts by largest remainder.
	want := make([]float64, nc)
	for c := range nc {
		if total > 0 {
			want[c] = float64(s.k) * size[c] / total
		} else {
			want[c] = float64(s.k) / float64(nc)
		}
	}
	for t := range s.k {
		if compOf[t] >= 0 {
			continue
		}
		// The component most short of its share (uncovered ones first).
		best, bd := -1, math.Inf(-1)
		for c := range nc {
			d := want[c] - float64(have[c])
			if have[c] == 0 {
				d += float64(s.k)
			}
			if d > bd {
				best, bd = c, d
			}
		}
		compOf[t] = int32(best)
		have[best]++
	}
	return compOf
}

// fillStrays gives every unit still unassigned (reachable by no growing
// territory) to a free territory: that of an assigned free neighbour when
// there is one, else the least full free territory. Used as a last resort.
func (s *state) fillStrays() {
	for changed := true; changed; {
		changed = false
		for u := range s.n {
			if s.assign[u] >= 0 {
				continue
			}
			for e := s.start[u]; e < s.start[u+1]; e++ {
				if t := s.assign[s.adj[e]]; t >= 0 && !s.lockedT[t] {
					s.assign[u] = t
					changed = true
					break
				}
			}
		}
	}
	for u := range s.n {
		if s.assign[u] >= 0 {
			continue
		}
		best, bf := int32(0), math.Inf(1)
		for t := range s.k {
			if s.lockedT[t] {
				continue
			}
			if f := float64(s.size[t]); f < bf {
				best, bf = int32(t), f
			}
		}
		s.assign[u] = best
		s.size[best]++
	}
}
