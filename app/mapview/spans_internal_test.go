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

// windingGrid returns, per pixel of rows [ya, yb) and columns [0, w), 1
// when the non-zero winding number of the rings (image coordinates) at the
// pixel centre is not zero: the reference for buildSpans, for rings whose
// vertices avoid pixel centres' rows and columns.
func windingGrid(rings [][]orb.Point, ya, yb, w int) [][]int {
	g := make([][]int, yb-ya)
	for y := ya; y < yb; y++ {
		g[y-ya] = make([]int, w)
		cy := float64(y) + 0.5
		for x := range w {
			cx := float64(x) + 0.5
			wind := 0
			for _, r := range rings {
				for i := range r {
					a, b := r[i], r[(i+1)%len(r)]
					if (a[1] <= cy) != (b[1] <= cy) {
						// Crossing of the horizontal line through the centre.
						xc := a[0] + (cy-a[1])*(b[0]-a[0])/(b[1]-a[1])
						if xc < cx {
							if b[1] > a[1] {
								wind++
							} else {
								wind--
							}
						}
					}
				}
			}
			if wind != 0 {
				g[y-ya][x] = 1
			}
		}
	}
	return g
}

// spanRows builds the spans of rings (image coordinates) over rows
// [ya, yb) and columns [0, w] and returns the coverage per pixel.
func spanRows(rings [][]orb.Point, ya, yb, w int) [][]int {
	it := &simpItem{}
	for _, r := range rings {
		for _, p := range r {
			it.pts = append(it.pts, orb.Point{p[0], -p[1]})
		}
		it.ends = append(it.ends, int32(len(it.pts)))
	}
	var s spanScratch
	s.buildSpans(it, xform{s: 1}, ya, yb, 0, float64(w))
	g := make([][]int, yb-ya)
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

// TestBuildSpansWinding: a comb (rows of up to 12 crossings, more than the
// slots kept per row), a ring reaching beyond fixMax (the float path) and a
// self-overlapping ring match the non-zero winding rule at every pixel
// centre, over the whole grid and over windows of rows starting inside
// edges (the stepping must not depend on the first row).
func TestBuildSpansWinding(t *testing.T) {
	comb := []orb.Point{{1.3, 1.2}, {30.7, 1.2}, {30.7, 20.6}}
	for i := 6; i >= 0; i-- {
		x := 2.1 + float64(i)*4.1
		comb = append(comb, orb.Point{x + 2.2, 20.6}, orb.Point{x + 1.1, 6.3}, orb.Point{x, 20.6})
	}
	cases := map[string][][]orb.Point{
		"comb": {comb},
		"far":  {{{3.3 - 4e7, -4e7}, {28.2, 11.3}, {5.1, 22.4}}, {{12.2, 3.3}, {9.4, 16.8}, {14.6, 15.1}}},
		"star": {{{16.2, 0.3}, {20.9, 23.6}, {1.2, 8.7}, {30.6, 8.9}, {11.3, 23.4}}},
	}
	for name, rings := range cases {
		want := windingGrid(rings, 0, 24, 32)
		got := spanRows(rings, 0, 24, 32)
		for _, win := range [][2]int{{0, 24}, {5, 13}, {11, 24}} {
			part := spanRows(rings, win[0], win[1], 32)
			for y := win[0]; y < win[1]; y++ {
				for x := range 32 {
					if got[y][x] != want[y][x] {
						t.Fatalf("%s: pixel (%d,%d) covered %d times, want %d", name, x, y, got[y][x], want[y][x])
					}
					if part[y-win[0]][x] != want[y][x] {
						t.Fatalf("%s, rows %v: pixel (%d,%d) covered %d times, want %d", name, win, x, y, part[y-win[0]][x], want[y][x])
					}
				}
			}
		}
	}
}
