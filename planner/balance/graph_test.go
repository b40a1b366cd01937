package balance_test

import (
	"math"
	"slices"
	"testing"

	"github.com/meridianplan/meridian/planner/balance"
)

// FromLists sorts, deduplicates (summing repeats within a list),
// symmetrizes with the larger length and drops bad entries.
func TestFromLists(t *testing.T) {
	lists := map[int][]int{0: {2, 1, 1, 7, 0}, 1: {0}, 2: {}}
	lengths := map[int][]float64{0: {3, 1, 0.5, 9, 4}, 1: {2}, 2: {}}
	g := balance.FromLists(3, func(i int) ([]int, []float64) { return lists[i], lengths[i] }, []float64{1, 2, 3}, nil)
	if g == nil {
		t.Fatal("nil graph")
	}
	wantStart := []int32{0, 2, 3, 4}
	wantAdj := []int32{1, 2, 0, 0}
	wantShared := []float64{2, 3, 2, 3} // 0-1: max(1+0.5, 2); 0-2: 3 (2 lists none)
	if !slices.Equal(g.Start, wantStart) || !slices.Equal(g.Adj, wantAdj) || !slices.Equal(g.Shared, wantShared) {
		t.Errorf("got %v %v %v, want %v %v %v", g.Start, g.Adj, g.Shared, wantStart, wantAdj, wantShared)
	}
	if !slices.Equal(g.Area, []float64{1, 2, 3}) || !slices.Equal(g.Perimeter, []float64{0, 0, 0}) {
		t.Errorf("area %v perimeter %v", g.Area, g.Perimeter)
	}
	if g.Len() != 3 {
		t.Errorf("Len %d", g.Len())
	}
	if balance.FromLists(3, nil, []float64{1}, nil) != nil {
		t.Error("FromLists accepted areas of the wrong length")
	}
	var nilGraph *balance.Graph
	if nilGraph.Len() != 0 {
		t.Error("nil graph has units")
	}
}

// Polsby-Popper, cut edges and pieces on a 4×4 grid of unit squares cut
// into a 2×4 left half, a 2×2 square and two single squares.
func TestGridMeasures(t *testing.T) {
	g := gridGraph(4, 4)
	assign := []int{
		0, 0, 1, 1,
		0, 0, 1, 1,
		0, 0, 2, 3,
		0, 0, 3, 2,
	}
	pp := balance.PolsbyPopper(g, assign, 4)
	want := []float64{
		4 * math.Pi * 8 / (12 * 12), // 2×4 rectangle
		4 * math.Pi * 4 / (8 * 8),   // 2×2 square
		4 * math.Pi * 2 / (8 * 8),   // two separate squares
		4 * math.Pi * 2 / (8 * 8),
	}
	for i := range want {
		if math.Abs(pp[i]-want[i]) > 1e-12 {
			t.Errorf("PP[%d] = %v, want %v", i, pp[i], want[i])
		}
	}
	if c := balance.CutEdges(g, assign); c != 10 {
		t.Errorf("cut edges %d, want 10", c)
	}
	if p := balance.Parts(g, assign, 5); !slices.Equal(p, []int{1, 1, 2, 2, 0}) {
		t.Errorf("parts %v, want [1 1 2 2 0]", p)
	}
	if balance.PolsbyPopper(g, assign[:3], 4) != nil || balance.CutEdges(g, nil) != -1 || balance.Parts(g, nil, 2) != nil {
		t.Error("measures accepted an alignment of the wrong length")
	}
}
