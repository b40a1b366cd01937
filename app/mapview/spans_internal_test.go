package mapview

import (
	"testing"

	"github.com/paulmach/orb"
)

// spanGrid builds the spans of rings given in image coordinates (x right,
// y down; the transform is the identity up to the y flip) over rows
// [0, h) and columns [0, w], and returns per pixel how many times it is
// covered.
func spanGrid(t *testing.T, rings [][]orb.Point, w, h int) [][]int {
	t.Helper()
	it := &simpItem{}
	for _, r := range rings {
		for _, p := range r {
			it.pts = append(it.pts, orb.Point{p[0], -p[1]})
		}
		it.ends = append(it.ends, int32(len(it.pts)))
	}
	var s spanScratch
	s.buildSpans(it, xform{s: 1}, 0, h, 0, float64(w))
	g := make([][]int, h)
	for y := range g {
		g[y] = make([]int, w)
		for k := s.row[y]; k < s.row[y+1]; k += 2 {
			for x := s.sp[k]; x < s.sp[k+1]; x++ {
				g[y][x]++
			}
		}
	}
	return g
}

// TestBuildSpansRect: a rectangle covers the pixels whose centres it
// contains (top-left rule).
func TestBuildSpansRect(t *testing.T) {
	g := spanGrid(t, [][]orb.Point{{{0.3, 0.2}, {4.7, 0.2}, {4.7, 3.9}, {0.3, 3.9}}}, 8, 6)
	for y := range 6 {
		for x := range 8 {
			want := 0
			if x < 5 && y < 4 { // centres 0.5..4.5 and 0.5..3.5
				want = 1
			}
			if g[y][x] != want {
				t.Fatalf("pixel (%d,%d) covered %d times, want %d", x, y, g[y][x], want)
			}
		}
	}
}

// TestBuildSpansTile: two triangles sharing a slanted edge (given in
// opposite directions) cover every pixel of their square exactly once, and
// a hole (opposite winding) is left out.
func TestBuildSpansTile(t *testing.T) {
	a := [][]orb.Point{{{0, 0}, {9.3, 0}, {0, 7.1}}}
	b := [][]orb.Point{{{9.3, 0}, {9.3, 7.1}, {0, 7.1}}}
	ga, gb := spanGrid(t, a, 12, 10), spanGrid(t, b, 12, 10)
	for y := range 10 {
		for x := range 12 {
			want := 0
			if x < 9 && y < 7 {
				want = 1
			}
			if n := ga[y][x] + gb[y][x]; n != want {
				t.Fatalf("pixel (%d,%d) covered %d times, want %d", x, y, n, want)
			}
		}
	}
	// The hole is wound opposite to the outer ring (as scene.setAreas
	// makes it).
	holed := [][]orb.Point{
		{{0, 0}, {8, 0}, {8, 8}, {0, 8}},
		{{2, 2}, {2, 6}, {6, 6}, {6, 2}},
	}
	g := spanGrid(t, holed, 8, 8)
	for y := range 8 {
		for x := range 8 {
			want := 1
			if x >= 2 && x < 6 && y >= 2 && y < 6 {
				want = 0
			}
			if g[y][x] != want {
				t.Fatalf("holed: pixel (%d,%d) covered %d times, want %d", x, y, g[y][x], want)
			}
		}
	}
}

// TestBuildSpansClamp: rows and columns outside the range asked for are
// left out, for coordinates far outside it.
func TestBuildSpansClamp(t *testing.T) {
	g := spanGrid(t, [][]orb.Point{{{-1e12, -1e12}, {1e12, -1e12}, {1e12, 1e12}, {-1e12, 1e12}}}, 5, 3)
	for y := range 3 {
		for x := range 5 {
			if g[y][x] != 1 {
				t.Fatalf("pixel (%d,%d) covered %d times, want 1", x, y, g[y][x])
			}
		}
	}
}
