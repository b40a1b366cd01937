package balance

import (
	"context"
	"math"
	"testing"
)

// gridState is a w×h grid of unit squares (population 1 each) split into
// k territories within ±tol: a splitline alignment, balanced.
func gridState(tb testing.TB, w, h, k int, tol float64) *state {
	tb.Helper()
	n := w * h
	g := FromLists(n, func(i int) ([]int, []float64) {
		x, y := i%w, i/w
		var adj []int
		var sh []float64
		for _, d := range [][2]int{{0, -1}, {-1, 0}, {1, 0}, {0, 1}} {
			if xx, yy := x+d[0], y+d[1]; xx >= 0 && xx < w && yy >= 0 && yy < h {
				adj = append(adj, yy*w+xx)
				sh = append(sh, 1)
			}
		}
		return adj, sh
	}, nil, nil)
	g.X, g.Y = make([]float64, n), make([]float64, n)
	ones := make([]float64, n)
	for i := range n {
		g.Area[i], g.Perimeter[i] = 1, 4
		g.X[i], g.Y[i] = float64(i%w)+0.5, float64(i/w)+0.5
		ones[i] = 1
	}
	p := Problem{Graph: g, K: k, Metrics: []Metric{{Values: ones, Tolerance: tol}}, Seed: 3}
	s, _, err := build(&p, false)
	if err != nil {
		tb.Fatal(err)
	}
	s.splitline(context.Background())
	delta := s.typicalDelta()
	if _, err := s.balancePhase(context.Background(), &splitter{}, 50*n, delta, 100, nil); err != nil {
		tb.Fatal(err)
	}
	if s.excess() != 0 {
		tb.Fatalf("grid not balanced: excess %v", s.excess())
	}
	s.lambda = 50 * delta * float64(n) / float64(k)
	return s
}

// checkState fails unless every territory is connected and within the
// search tolerance.
func checkState(tb testing.TB, s *state) {
	tb.Helper()
	assign := make([]int, s.n)
	for i := range assign {
		assign[i] = int(s.assign[i])
	}
	for t, p := range Parts(&Graph{Start: s.start, Adj: s.adj}, assign, s.k) {
		if p != 1 {
			tb.Fatalf("territory %d has %d pieces", t, p)
		}
	}
	if e := s.excess(); e != 0 {
		tb.Fatalf("excess %v", e)
	}
}

// Bar C: merge-and-split steps on a 95×95 grid, 17 territories, ±1%: every
// step that finds a balanced cut applies it (as a ReCom chain does), and
// the territories stay connected and balanced.
func TestRecomStepGrid(t *testing.T) {
	s := gridState(t, 95, 95, 17, 0.01)
	sp := &splitter{}
	applied := 0
	for range 300 {
		u, b, ok := s.proposeFlip()
		if !ok {
			t.Fatal("no boundary")
		}
		if s.recom(sp, s.assign[u], b, math.Inf(1), 50) {
			applied++
		}
	}
	checkState(t, s)
	for tt := range s.k {
		if d := math.Abs(s.sum[tt]/s.target[tt] - 1); d > 0.01 {
			t.Errorf("territory %d off by %.4f", tt, d)
		}
	}
	t.Logf("%d of 300 steps applied", applied)
	if applied < 250 {
		t.Errorf("only %d of 300 steps found a balanced cut", applied)
	}
}

// BenchmarkRecomStepGrid times bar C: one merge-and-split step (merge two
// neighbouring territories of about 531 squares each, draw random spanning
// trees until one has a cut with both sides within ±1%, cut it at the most
// compact such edge and apply the result).
func BenchmarkRecomStepGrid(b *testing.B) {
	s := gridState(b, 95, 95, 17, 0.01)
	sp := &splitter{}
	b.ReportAllocs()
	b.ResetTimer()
	applied := 0
	for range b.N {
		u, t, _ := s.proposeFlip()
		if s.recom(sp, s.assign[u], t, math.Inf(1), 50) {
			applied++
		}
	}
	b.ReportMetric(float64(applied)/float64(b.N), "applied/op")
	b.ReportMetric(float64(sp.trees)/float64(b.N), "trees/op")
}
