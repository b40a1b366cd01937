package geo_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

// checkCSR checks the structural promises of Graph: CSR shapes, neighbours
// increasing and symmetric with equal Shared and Kind at both ends, Shared
// > 0 exactly for non-links, every Link and Tolerant entry present as an
// edge of its kind, corner lists disjoint from rook edges and symmetric.
func checkCSR(t *testing.T, g *geo.Graph) {
	t.Helper()
	n := g.Len()
	if len(g.Start) != n+1 || len(g.Perimeter) != n || len(g.CornerStart) != n+1 || g.Start[0] != 0 || g.CornerStart[0] != 0 {
		t.Fatalf("shapes: n=%d Start %d Perimeter %d CornerStart %d", n, len(g.Start), len(g.Perimeter), len(g.CornerStart))
	}
	m := int(g.Start[n])
	if len(g.Adj) != m || len(g.Shared) != m || len(g.Kind) != m || int(g.CornerStart[n]) != len(g.Corner) {
		t.Fatalf("edge arrays: %d %d %d %d, corners %d/%d", m, len(g.Adj), len(g.Shared), len(g.Kind), g.CornerStart[n], len(g.Corner))
	}
	type end struct {
		shared float64
		kind   geo.EdgeKind
	}
	edges := map[[2]int32]end{}
	for i := range n {
		adj := g.Adj[g.Start[i]:g.Start[i+1]]
		if !slices.IsSorted(adj) || len(slices.Compact(slices.Clone(adj))) != len(adj) {
			t.Fatalf("unit %d neighbours %v not strictly increasing", i, adj)
		}
		for e := g.Start[i]; e < g.Start[i+1]; e++ {
			j := g.Adj[e]
			if int(j) == i || j < 0 || int(j) >= n {
				t.Fatalf("unit %d has neighbour %d", i, j)
			}
			if (g.Kind[e] == geo.EdgeLink) != (g.Shared[e] == 0) || g.Shared[e] < 0 {
				t.Errorf("edge %d-%d kind %d shared %g", i, j, g.Kind[e], g.Shared[e])
			}
			edges[[2]int32{int32(i), j}] = end{g.Shared[e], g.Kind[e]}
		}
	}
	for k, v := range edges {
		if w, ok := edges[[2]int32{k[1], k[0]}]; !ok || w != v {
			t.Errorf("edge %v = %v, reverse %v (%v)", k, v, w, ok)
		}
	}
	links, tol := 0, 0
	for _, v := range edges {
		switch v.kind {
		case geo.EdgeLink:
			links++
		case geo.EdgeTolerant:
			tol++
		}
	}
	if links != 2*len(g.Links) || tol != 2*len(g.Tolerant) {
		t.Errorf("%d link and %d tolerant edge ends, lists have %d and %d", links, tol, len(g.Links), len(g.Tolerant))
	}
	for _, l := range g.Links {
		if v, ok := edges[[2]int32{int32(l.A), int32(l.B)}]; !ok || v.kind != geo.EdgeLink || !(l.Distance >= 0) {
			t.Errorf("link %v: edge %v %v", l, v, ok)
		}
	}
	for _, l := range g.Tolerant {
		if v, ok := edges[[2]int32{int32(l.A), int32(l.B)}]; !ok || v.kind != geo.EdgeTolerant || l.A >= l.B || !(l.Distance >= 0) {
			t.Errorf("tolerant %v: edge %v %v", l, v, ok)
		}
	}
	corner := map[[2]int32]bool{}
	for i := range n {
		c := g.Corner[g.CornerStart[i]:g.CornerStart[i+1]]
		if !slices.IsSorted(c) {
			t.Errorf("unit %d corners %v not sorted", i, c)
		}
		for _, j := range c {
			corner[[2]int32{int32(i), j}] = true
			if v, ok := edges[[2]int32{int32(i), j}]; ok && v.kind != geo.EdgeLink {
				t.Errorf("corner pair %d-%d is also a rook edge", i, j)
			}
		}
	}
	for k := range corner {
		if !corner[[2]int32{k[1], k[0]}] {
			t.Errorf("corner %v not symmetric", k)
		}
	}
}

// edgeOf returns the Shared and Kind of edge i-j, ok false when absent.
func edgeOf(g *geo.Graph, i, j int) (shared float64, kind geo.EdgeKind, ok bool) {
	for e := g.Start[i]; e < g.Start[i+1]; e++ {
		if int(g.Adj[e]) == j {
			return g.Shared[e], g.Kind[e], true
		}
	}
	return 0, 0, false
}

func nearF(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// Polsby-Popper of squares and rectangles (4πA/P²), parts and cut edges on
// a 3×3 grid of unit squares.
func TestGraphGrid(t *testing.T) {
	g := geo.NewGraph(gridUnits(3, 3), geo.GraphOptions{Tolerance: 1e-6, LinkIslands: true})
	checkCSR(t, g)
	if g.Len() != 9 || len(g.Links) != 0 || len(g.Tolerant) != 0 || len(g.Isolated) != 0 {
		t.Fatalf("len %d links %v tolerant %v isolated %v", g.Len(), g.Links, g.Tolerant, g.Isolated)
	}
	for i := range 9 {
		if g.Area[i] != 1 || g.Perimeter[i] != 4 {
			t.Errorf("unit %d area %g perimeter %g, want 1 and 4", i, g.Area[i], g.Perimeter[i])
		}
	}
	// Unit 4 (the centre) has four rook and four corner neighbours.
	if got := g.Adj[g.Start[4]:g.Start[5]]; !slices.Equal(got, []int32{1, 3, 5, 7}) {
		t.Errorf("centre rook %v", got)
	}
	if got := g.Corner[g.CornerStart[4]:g.CornerStart[5]]; !slices.Equal(got, []int32{0, 2, 6, 8}) {
		t.Errorf("centre corners %v", got)
	}
	if sh, k, _ := edgeOf(g, 4, 5); sh != 1 || k != geo.EdgeExact {
		t.Errorf("edge 4-5 shared %g kind %d", sh, k)
	}

	// One unit square: π/4. Two squares side by side (2×1): A = 2, P = 6.
	// The whole grid (3×3 square): π/4. Units in no group are left out.
	pp := g.PolsbyPopper([]int{0, 1, 1, -1, -1, -1, -1, -1, -1}, 2)
	if !nearF(pp[0], math.Pi/4, 1e-15) || !nearF(pp[1], 4*math.Pi*2/36, 1e-15) {
		t.Errorf("PP square, 2×1 = %v, want %v %v", pp, math.Pi/4, 4*math.Pi*2/36)
	}
	all := make([]int, 9)
	if pp := g.PolsbyPopper(all, 1); !nearF(pp[0], math.Pi/4, 1e-15) {
		t.Errorf("PP 3×3 = %v, want π/4", pp)
	}
	// An L of three squares: A = 3, P = 8; an empty group scores 0.
	if pp := g.PolsbyPopper([]int{0, 0, 1, 0}, 3); !nearF(pp[0], 4*math.Pi*3/64, 1e-15) || !nearF(pp[1], math.Pi/4, 1e-15) || pp[2] != 0 {
		t.Errorf("PP L = %v, want %v π/4 0", pp, 4*math.Pi*3/64)
	}

	// Rows 0:0 0 1 / 1:1 1 1 / 2:0 2 0. Group 0 = {0, 1, 6, 8} is in three
	// parts (corner contact does not join 6 and the rest).
	group := []int{0, 0, 1, 1, 1, 1, 0, 2, 0}
	if got := g.Parts(group, 4); !slices.Equal(got, []int{3, 1, 1, 0}) {
		t.Errorf("Parts = %v, want [3 1 1 0]", got)
	}
	// Rook edges: 12; inside groups: 0-1, 2-5, 3-4, 4-5 → 8 cut.
	if got := g.CutEdges(group); got != 8 {
		t.Errorf("CutEdges = %d, want 8", got)
	}
	// Unassigned units (negative, or past the end of group) are skipped.
	if got := g.CutEdges([]int{0, 1, 0}); got != 2 {
		t.Errorf("CutEdges short = %d, want 2", got)
	}
	if got := g.Parts([]int{0, 5, 0, -1}, 2); !slices.Equal(got, []int{2, 0}) {
		t.Errorf("Parts short = %v, want [2 0]", got)
	}
	if g.Parts(group, 0) != nil || g.PolsbyPopper(group, -1) != nil {
		t.Error("k <= 0 should give nil")
	}
}

// A gap of 1e-4 between two unit squares: no exact edge; the fallback finds
// it at tolerance 1e-3 with the length of the left square's boundary within
// the tolerance of the right one's.
func TestGraphTolerantGap(t *testing.T) {
	const gap, tol = 1e-4, 1e-3
	units := []orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(1+gap, 0, 2+gap, 1)}}
	exact := geo.NewGraph(units, geo.GraphOptions{})
	checkCSR(t, exact)
	if len(exact.Adj) != 0 {
		t.Fatalf("exact matching found %v", exact.Adj)
	}
	linked := geo.NewGraph(units, geo.GraphOptions{LinkIslands: true})
	checkCSR(t, linked)
	if len(linked.Links) != 1 || linked.Links[0].A != 0 || linked.Links[0].B != 1 || !nearF(linked.Links[0].Distance, gap, 1e-15) {
		t.Errorf("links %v, want [{0 1 %g}]", linked.Links, gap)
	}

	g := geo.NewGraph(units, geo.GraphOptions{Tolerance: tol, LinkIslands: true})
	checkCSR(t, g)
	if len(g.Links) != 0 || len(g.Tolerant) != 1 || g.Tolerant[0].A != 0 || g.Tolerant[0].B != 1 || !nearF(g.Tolerant[0].Distance, gap, 1e-15) {
		t.Fatalf("links %v tolerant %v", g.Links, g.Tolerant)
	}
	// The right side of square 0 (length 1) plus, on its top and bottom
	// sides, the points within tol of square 1's corners: tol − gap each.
	want := 1 + 2*(tol-gap)
	if sh, k, ok := edgeOf(g, 0, 1); !ok || k != geo.EdgeTolerant || !nearF(sh, want, 1e-12) {
		t.Errorf("edge 0-1 shared %.12g kind %d, want %.12g tolerant", sh, k, want)
	}
	if got := g.Parts([]int{0, 0}, 1); got[0] != 1 {
		t.Errorf("Parts = %v, want 1", got)
	}
	if got := g.CutEdges([]int{0, 1}); got != 1 {
		t.Errorf("CutEdges = %d, want 1", got)
	}
	if pp := g.PolsbyPopper([]int{0, 0}, 1); !nearF(pp[0], 4*math.Pi*2/math.Pow(8-2*want, 2), 1e-12) {
		t.Errorf("PP = %v", pp)
	}
	// Tolerance below the gap: nothing; a corner that merely comes close
	// (squares diagonal to each other, 1e-4 apart) is not an edge.
	if g := geo.NewGraph(units, geo.GraphOptions{Tolerance: gap / 2}); len(g.Tolerant) != 0 {
		t.Errorf("tolerance below the gap found %v", g.Tolerant)
	}
	diag := []orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(1+gap, 1+gap, 2, 2)}}
	if g := geo.NewGraph(diag, geo.GraphOptions{Tolerance: tol}); len(g.Tolerant) != 0 {
		t.Errorf("diagonal squares found %v", g.Tolerant)
	}
}

// A T-junction: unit 0 spans the top of units 1 and 2 without a vertex
// where their border meets it, so exact matching sees 0 only at corners.
func TestGraphTJunction(t *testing.T) {
	units := []orb.MultiPolygon{
		{square(0, 1, 2, 2)},
		{square(0, 0, 1, 1)},
		{square(1, 0, 2, 1)},
	}
	exact := geo.NewGraph(units, geo.GraphOptions{})
	checkCSR(t, exact)
	if got := exact.Adj; !slices.Equal(got, []int32{2, 1}) {
		t.Errorf("exact rook %v, want only 1-2", got)
	}
	if got := exact.Corner; !slices.Equal(got, []int32{1, 2, 0, 0}) {
		t.Errorf("exact corners %v, want 0-1 and 0-2", got)
	}
	const tol = 1e-6
	g := geo.NewGraph(units, geo.GraphOptions{Tolerance: tol, LinkIslands: true})
	checkCSR(t, g)
	want := []geo.Link{{A: 0, B: 1}, {A: 0, B: 2}}
	if !reflect.DeepEqual(g.Tolerant, want) || len(g.Links) != 0 {
		t.Fatalf("tolerant %v links %v, want %v", g.Tolerant, g.Links, want)
	}
	// Unit 0's bottom within tol of unit 1's top: [0, 1+tol]; its left
	// side within tol of unit 1's corner (0, 1): tol.
	for _, j := range []int{1, 2} {
		if sh, k, _ := edgeOf(g, 0, j); k != geo.EdgeTolerant || !nearF(sh, 1+2*tol, 1e-9) {
			t.Errorf("edge 0-%d shared %.12g kind %d, want %.12g", j, sh, k, 1+2*tol)
		}
	}
	if len(g.Corner) != 0 {
		t.Errorf("corners %v, want none (now rook)", g.Corner)
	}
	// The three units together are a 2×2 square.
	if pp := g.PolsbyPopper([]int{0, 0, 0}, 1); !nearF(pp[0], math.Pi/4, 1e-5) {
		t.Errorf("PP = %v, want π/4", pp)
	}
}

// Degenerate input does not panic: nil, empty and NaN units are isolated.
func TestGraphDegenerate(t *testing.T) {
	if g := geo.NewGraph(nil, geo.USGraphOptions()); g.Len() != 0 || len(g.Start) != 1 {
		t.Errorf("nil input: %+v", g)
	}
	nan := math.NaN()
	units := []orb.MultiPolygon{
		nil,
		{square(0, 0, 1, 1)},
		{},
		{{{{nan, 0}, {1, nan}, {nan, nan}}}},
		{{{{5, 5}, {6, 6}, {5, 5}}}}, // zero area
		{square(3, 0, 4, 1)},
		{{}},
	}
	for _, opt := range []geo.GraphOptions{{}, {Tolerance: 10, LinkIslands: true}, {Grid: nan, Tolerance: math.Inf(1), LinkIslands: true}, geo.USGraphOptions()} {
		g := geo.NewGraph(units, opt)
		checkCSR(t, g)
		if !slices.Equal(g.Isolated, []int{0, 2, 3, 4, 6}) {
			t.Errorf("%+v: isolated %v", opt, g.Isolated)
		}
		g.Parts([]int{0, 0, 0, 0, 0, 0, 0}, 1)
		g.PolsbyPopper([]int{0, 1, 2}, 3)
		g.CutEdges(nil)
	}
	g := geo.NewGraph(units, geo.GraphOptions{LinkIslands: true})
	if len(g.Links) != 1 || g.Links[0] != (geo.Link{A: 1, B: 5, Distance: 2}) {
		t.Errorf("links %v, want [{1 5 2}]", g.Links)
	}
	// The five shapeless units are not on the map: no part of their own.
	if got := g.Parts([]int{0, 0, 0, 0, 0, 0, 0}, 1); got[0] != 1 {
		t.Errorf("parts %v, want 1 (two linked units; five without shape)", got)
	}
	if got := g.Parts([]int{0, 1, 1, 2, 0, 1, 0}, 3); !slices.Equal(got, []int{1, 1, 1}) {
		t.Errorf("parts %v, want [1 1 1] (a group of shapeless units is one part)", got)
	}
}

// Island links are a minimum spanning forest over the components: compared
// with Kruskal's algorithm on brute-force distances, on rotated rectangles
// scattered on a jittered grid, some of them in rook-adjacent pairs.
func TestGraphLinksAreMinimumSpanningTree(t *testing.T) {
	for seed := range uint64(5) {
		r := rand.New(rand.NewPCG(seed, 7))
		var units []orb.MultiPolygon
		place := func(ox, oy, th float64, x0, y0, x1, y1 float64) orb.MultiPolygon {
			c, s := math.Cos(th), math.Sin(th)
			f := func(x, y float64) orb.Point { return orb.Point{ox + c*x - s*y, oy + s*x + c*y} }
			return orb.MultiPolygon{{{f(x0, y0), f(x1, y0), f(x1, y1), f(x0, y1), f(x0, y0)}}}
		}
		for i := range 6 {
			for j := range 6 {
				ox, oy, th := 5*float64(i)+r.Float64(), 5*float64(j)+r.Float64(), r.Float64()*math.Pi
				w, h := 0.3+r.Float64(), 0.3+r.Float64()
				units = append(units, place(ox, oy, th, 0, 0, w, h))
				if r.IntN(3) == 0 { // a rook neighbour on the right
					units = append(units, place(ox, oy, th, w, 0, w+0.3+r.Float64(), h))
				}
			}
		}
		g := geo.NewGraph(units, geo.GraphOptions{LinkIslands: true})
		checkCSR(t, g)
		// Components of the exact edges, by brute force.
		comp := make([]int, len(units))
		for i := range comp {
			comp[i] = i
		}
		var find func(int) int
		find = func(x int) int {
			if comp[x] != x {
				comp[x] = find(comp[x])
			}
			return comp[x]
		}
		for i := range units {
			for e := g.Start[i]; e < g.Start[i+1]; e++ {
				if g.Kind[e] == geo.EdgeExact {
					comp[find(i)] = find(int(g.Adj[e]))
				}
			}
		}
		type cand struct {
			d    float64
			a, b int
		}
		var cands []cand
		for a := range units {
			for b := a + 1; b < len(units); b++ {
				cands = append(cands, cand{ringDist(units[a][0][0], units[b][0][0]), a, b})
			}
		}
		slices.SortFunc(cands, func(x, y cand) int { return compareFloat(x.d, y.d) })
		var want float64
		wantN := 0
		for _, c := range cands {
			if ra, rb := find(c.a), find(c.b); ra != rb {
				comp[ra] = rb
				want += c.d
				wantN++
			}
		}
		var got float64
		for _, l := range g.Links {
			got += l.Distance
			if d := ringDist(units[l.A][0][0], units[l.B][0][0]); !nearF(d, l.Distance, 1e-12) {
				t.Errorf("seed %d link %v: distance %g", seed, l, d)
			}
		}
		if len(g.Links) != wantN || !nearF(got, want, 1e-9) {
			t.Errorf("seed %d: %d links, total %.12g; Kruskal %d, %.12g", seed, len(g.Links), got, wantN, want)
		}
		all := make([]int, len(units))
		if p := g.Parts(all, 1); p[0] != 1 {
			t.Errorf("seed %d: %d parts", seed, p[0])
		}
	}
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ringDist is the distance between the boundaries of two disjoint rings:
// the least distance from a vertex of one to a segment of the other.
func ringDist(p, q orb.Ring) float64 {
	best := math.Inf(1)
	for _, pair := range [2][2]orb.Ring{{p, q}, {q, p}} {
		for _, v := range pair[0] {
			for k := 1; k < len(pair[1]); k++ {
				best = min(best, planar.DistanceFromSegment(pair[1][k-1], pair[1][k], v))
			}
		}
	}
	return best
}

// adjacencyRef reads a libpysal reference file.
func adjacencyRef(t *testing.T, name string) (rook, queen map[string][]int) {
	t.Helper()
	var ref struct{ Rook, Queen map[string][]int }
	b, err := os.ReadFile(filepath.Join("testdata", "adjacency", name+"_adjacency.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Rook, ref.Queen
}

// extent is the larger side of the bound of units.
func extent(units []orb.MultiPolygon) float64 {
	var bound orb.Bound
	for i, u := range units {
		if i == 0 {
			bound = u.Bound()
		} else {
			bound = bound.Union(u.Bound())
		}
	}
	return max(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1])
}

// On libpysal's five example sets (in their own units: degrees, or UTM
// metres for georgia), Graph's rook and queen neighbours equal libpysal's;
// the tolerant fallback adds nothing at the recommended tolerance (1e-7 of
// the extent) nor at 1e-3 of it; 10740's one island (feature 163) gets the
// only link.
func TestGraphMatchesPySAL(t *testing.T) {
	for _, name := range []string{"10740", "sids2", "columbus", "georgia", "mexico"} {
		t.Run(name, func(t *testing.T) {
			units := readGeoJSONUnits(t, filepath.Join("testdata", "adjacency", name+".geojson"))
			wantRook, wantQueen := adjacencyRef(t, name)
			ext := extent(units)
			for _, rel := range []float64{1e-7, 1e-3} {
				g := geo.NewGraph(units, geo.GraphOptions{Grid: 1e-9 * ext, Tolerance: rel * ext, LinkIslands: true})
				checkCSR(t, g)
				if len(g.Tolerant) != 0 || len(g.Isolated) != 0 {
					t.Errorf("tolerance %g×extent: tolerant %v isolated %v", rel, g.Tolerant, g.Isolated)
				}
				for i := range units {
					var rook []int
					for e := g.Start[i]; e < g.Start[i+1]; e++ {
						if g.Kind[e] != geo.EdgeLink {
							rook = append(rook, int(g.Adj[e]))
						}
					}
					queen := slices.Clone(rook)
					for _, c := range g.Corner[g.CornerStart[i]:g.CornerStart[i+1]] {
						queen = append(queen, int(c))
					}
					slices.Sort(queen)
					if w := sorted(wantRook[strconv.Itoa(i)]); !slices.Equal(rook, w) {
						t.Errorf("unit %d rook %v, want %v", i, rook, w)
					}
					if w := sorted(wantQueen[strconv.Itoa(i)]); !slices.Equal(queen, w) {
						t.Errorf("unit %d queen %v, want %v", i, queen, w)
					}
				}
				switch {
				case name == "10740":
					if len(g.Links) != 1 || g.Links[0].A != 163 || !(g.Links[0].Distance > 0) {
						t.Errorf("links %v, want one from 163", g.Links)
					}
					if rel == 1e-7 {
						t.Logf("10740 link %+v (degrees)", g.Links)
					}
				case len(g.Links) != 0:
					t.Errorf("links %v, want none", g.Links)
				}
				all := make([]int, len(units))
				if p := g.Parts(all, 1); p[0] != 1 {
					t.Errorf("%d parts", p[0])
				}
			}
		})
	}
}

// Area and Perimeter equal the AREA and PERIMETER attributes of the
// columbus and sids2 files (computed by ArcInfo on nearly the same
// polygons, in the files' plane units: within 2.2e-5 relative in columbus,
// within the rounding to 3 decimals in sids2). georgia's AREA attribute is wrong for some
// features (e.g. feature 33: 65,521.9 for about 1.56e9 m²), so it is not
// used.
func TestGraphAreaPerimeterAttributes(t *testing.T) {
	for _, c := range []struct {
		name     string
		rel, abs float64
	}{{"columbus", 3e-5, 0}, {"sids2", 0, 0.0005 + 1e-9}} {
		path := filepath.Join("testdata", "adjacency", c.name+".geojson")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatal(err)
		}
		g := geo.NewGraph(readGeoJSONUnits(t, path), geo.GraphOptions{})
		for i, f := range fc.Features {
			a, p := f.Properties.MustFloat64("AREA"), f.Properties.MustFloat64("PERIMETER")
			if !nearF(g.Area[i], a, c.rel*a+c.abs) || !nearF(g.Perimeter[i], p, c.rel*p+c.abs) {
				t.Errorf("%s feature %d: area %g perimeter %g, attributes %g %g", c.name, i, g.Area[i], g.Perimeter[i], a, p)
			}
		}
	}
}

// authalicArea is the exact area in km² of the WGS84 ellipsoid between
// latitudes lat1 < lat2 over dlon degrees of longitude:
// a²/2 · Δλ · (q(φ2) − q(φ1)), q of Snyder (1987) equation 3-12, computed
// here independently of the package.
func authalicArea(lat1, lat2, dlon float64) float64 {
	const a, f = 6378.137, 1 / 298.257223563
	e2 := f * (2 - f)
	e := math.Sqrt(e2)
	q := func(lat float64) float64 {
		s := math.Sin(lat * math.Pi / 180)
		return (1 - e2) * (s/(1-e2*s*s) + math.Atanh(e*s)/e)
	}
	return a * a / 2 * dlon * math.Pi / 180 * (q(lat2) - q(lat1))
}

// lonLatBox returns a lon/lat box as one polygon, each side cut into k
// pieces so that the projected straight edges follow the parallels.
func lonLatBox(lon0, lat0, lon1, lat1 float64, k int) orb.MultiPolygon {
	var r orb.Ring
	for i := range k {
		r = append(r, orb.Point{lon0 + (lon1-lon0)*float64(i)/float64(k), lat0})
	}
	for i := range k {
		r = append(r, orb.Point{lon1, lat0 + (lat1-lat0)*float64(i)/float64(k)})
	}
	for i := range k {
		r = append(r, orb.Point{lon1 - (lon1-lon0)*float64(i)/float64(k), lat1})
	}
	for i := range k {
		r = append(r, orb.Point{lon0, lat1 - (lat1-lat0)*float64(i)/float64(k)})
	}
	return orb.MultiPolygon{{append(r, r[0])}}
}

// EqualAreaUS is equal-area on the WGS84 ellipsoid in every region, and true
// to scale along each region's standard parallels.
func TestEqualAreaUS(t *testing.T) {
	for _, c := range []struct {
		name                string
		lon, lat            float64 // south-west corner of a 1° box
		parallel, parallel2 float64
	}{
		{"lower 48", -100, 40, 29.5, 45.5},
		{"Florida Keys", -81.5, 24.4, 29.5, 45.5},
		{"Alaska", -150, 61, 55, 65},
		{"Aleutians west of 180°", 172.5, 52.5, 55, 65},
		{"Hawaii", -156, 19, 8, 18},
		{"Puerto Rico", -66.5, 17.8, 17.5, 18.5},
		{"Guam", 144.6, 13.2, 13.5, 18},
		{"American Samoa", -170.9, -14.5, -12.5, -14.5},
	} {
		box := lonLatBox(c.lon, c.lat, c.lon+0.5, c.lat+0.5, 200)
		got := planar.Area(geo.EqualAreaUS(box))
		want := authalicArea(c.lat, c.lat+0.5, 0.5)
		if math.Abs(got-want)/want > 1e-6 {
			t.Errorf("%s: box area %.6f km², ellipsoid %.6f", c.name, got, want)
		}
		// Along a standard parallel, 0.01° of longitude is an arc of
		// a·cos φ/√(1−e² sin² φ)·Δλ. Project the two points as one unit, in
		// the region of the box.
		for _, lat := range []float64{c.parallel, c.parallel2} {
			const d = 0.01
			lon := c.lon + 0.25
			mp := geo.EqualAreaUS(orb.MultiPolygon{box[0], {{{lon, lat}, {lon + d, lat}, {lon, lat}}}})
			p, q := mp[1][0][0], mp[1][0][1]
			const a, f = 6378.137, 1 / 298.257223563
			s := math.Sin(lat * math.Pi / 180)
			want := a * math.Cos(lat*math.Pi/180) / math.Sqrt(1-f*(2-f)*s*s) * d * math.Pi / 180
			if got := planar.Distance(p, q); math.Abs(got-want)/want > 1e-6 {
				t.Errorf("%s: scale along %g° = %.8f", c.name, lat, got/want)
			}
		}
	}
	if EqualAreaNil := geo.EqualAreaUS(nil); EqualAreaNil != nil {
		t.Errorf("EqualAreaUS(nil) = %v", EqualAreaNil)
	}
}

// The sample plan's 3,231 counties: the graph is connected apart from
// 51610 Falls Church, which has no polygon in us-atlas; island links join
// Hawaii, the Alaska islands, Puerto Rico and its islands, the other
// territories and a few coastal islands; areas are right.
func TestGraphUSCounties(t *testing.T) {
	s, g := sampleGraph(t)
	checkCSR(t, g)
	index := map[string]int{}
	for i, c := range s.codes {
		index[c] = i
	}
	idx := func(code string) int {
		i, ok := index[code]
		if !ok {
			t.Fatalf("no county %s", code)
		}
		return i
	}
	if g.Len() != 3231 {
		t.Fatalf("%d units", g.Len())
	}
	if !slices.Equal(g.Isolated, []int{idx("51610")}) {
		t.Errorf("isolated %v, want only 51610 Falls Church", g.Isolated)
	}
	if len(g.Tolerant) != 0 {
		t.Errorf("tolerant edges %v: us-atlas is a topology, nothing to repair", g.Tolerant)
	}
	var lines []string
	for _, l := range g.Links {
		lines = append(lines, fmt.Sprintf("%s %s -> %s %s: %.1f km", s.codes[l.A], s.names[l.A], s.codes[l.B], s.names[l.B], l.Distance))
	}
	t.Logf("%d island links:\n%s", len(g.Links), strings.Join(lines, "\n"))

	// Connected; Falls Church, which has no shape, is no part of its own.
	all := make([]int, g.Len())
	if p := g.Parts(all, 1); p[0] != 1 {
		t.Errorf("%d parts, want 1", p[0])
	}
	// Links form a spanning tree of the components of the rook graph.
	exactOnly := make([]int, g.Len())
	comps := 0
	{
		seen := make([]bool, g.Len())
		for i := range seen {
			if seen[i] || i == idx("51610") {
				continue
			}
			comps++
			stack := []int{i}
			seen[i] = true
			for len(stack) > 0 {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				exactOnly[u] = comps
				for e := g.Start[u]; e < g.Start[u+1]; e++ {
					if v := int(g.Adj[e]); g.Kind[e] != geo.EdgeLink && !seen[v] {
						seen[v] = true
						stack = append(stack, v)
					}
				}
			}
		}
	}
	if len(g.Links) != comps-1 {
		t.Errorf("%d links for %d components", len(g.Links), comps)
	}

	// Groups by prefix: each must be one part, linked to the rest.
	byPrefix := func(prefix string) []int {
		group := make([]int, g.Len())
		for i, c := range s.codes {
			if !strings.HasPrefix(c, prefix) {
				group[i] = -1
			}
		}
		return group
	}
	linksOut := func(prefix string) (n int) {
		for _, l := range g.Links {
			if strings.HasPrefix(s.codes[l.A], prefix) != strings.HasPrefix(s.codes[l.B], prefix) {
				n++
			}
		}
		return n
	}
	for _, c := range []struct{ prefix, what string }{
		{"15", "Hawaii"}, {"72", "Puerto Rico"}, {"02", "Alaska"}, {"69", "Northern Mariana Islands"}, {"78", "US Virgin Islands"},
	} {
		if p := g.Parts(byPrefix(c.prefix), 1); p[0] != 1 {
			t.Errorf("%s is in %d parts", c.what, p[0])
		}
		if linksOut(c.prefix) == 0 {
			t.Errorf("%s has no link to elsewhere", c.what)
		}
	}
	hasLink := func(code string) bool {
		i := idx(code)
		for _, l := range g.Links {
			if l.A == i || l.B == i {
				return true
			}
		}
		return false
	}
	for _, code := range []string{"02016", "72147", "72049", "15001", "15003", "15007", "25019", "66010", "60010"} {
		if !hasLink(code) {
			t.Errorf("%s has no link", code)
		}
	}
	// Kalawao (15005, on Molokai) needs no link: it borders Maui County.
	if sh, k, ok := edgeOf(g, idx("15005"), idx("15009")); !ok || k != geo.EdgeExact || !(sh > 0) {
		t.Errorf("Kalawao-Maui %g %d %v", sh, k, ok)
	}
	// Monroe FL (the Keys) reaches the mainland by rook: its mainland part
	// borders Miami-Dade and Collier.
	for _, nb := range []string{"12086", "12021"} {
		if sh, k, ok := edgeOf(g, idx("12087"), idx(nb)); !ok || k != geo.EdgeExact || !(sh > 10) {
			t.Errorf("Monroe-%s: %g km kind %d %v", nb, sh, k, ok)
		}
	}
	if hasLink("12087") {
		t.Error("Monroe needs no link")
	}

	// Areas (km²). us-atlas is built from the Census cartographic boundary
	// files, which are clipped to the shoreline: Los Angeles County is its
	// land area (10,510 km², Census 2010) plus inland water, not its total
	// area with 1,794 km² of ocean (12,305 km²).
	area := func(prefix string) (a float64) {
		for i, c := range s.codes {
			if strings.HasPrefix(c, prefix) {
				a += g.Area[i]
			}
		}
		return a
	}
	for _, c := range []struct {
		prefix     string
		want, tol  float64
		what, from string
	}{
		{"06037", 10510, 0.02, "Los Angeles County", "land area"},
		{"08", 269601, 0.005, "Colorado", "total area"},
		{"56", 253335, 0.005, "Wyoming", "total area"},
		{"44", 2678, 0.08, "Rhode Island", "land area (the file keeps part of Narragansett Bay)"},
	} {
		got := area(c.prefix)
		t.Logf("%s: %.0f km², %s %.0f km² (%+.1f%%)", c.what, got, c.from, c.want, 100*(got/c.want-1))
		if math.Abs(got/c.want-1) > c.tol {
			t.Errorf("%s area %.0f km², want %s %.0f within %g%%", c.what, got, c.from, c.want, 100*c.tol)
		}
	}
	if a := g.Area[idx("06037")]; a > 11000 {
		t.Errorf("Los Angeles %.0f km², should exclude the ocean", a)
	}
}

// Building twice gives the same graph.
func TestGraphDeterministic(t *testing.T) {
	s, g := sampleGraph(t)
	if h := geo.NewGraph(s.geoms, geo.USGraphOptions()); !reflect.DeepEqual(g, h) {
		t.Error("two builds differ")
	}
}

// us-atlas is a topology, so the fallback adds nothing up to 1 km; at 3 km
// it bridges the narrowest water between counties, such as Puget Sound
// between King and Kitsap (1.2 km in the file).
func TestGraphUSCountiesTolerance(t *testing.T) {
	s := loadSampleUnits(t)
	opt := geo.USGraphOptions()
	opt.Tolerance = 1
	if g := geo.NewGraph(s.geoms, opt); len(g.Tolerant) != 0 {
		t.Errorf("1 km: tolerant %v", g.Tolerant)
	}
	opt.Tolerance = 3
	g := geo.NewGraph(s.geoms, opt)
	checkCSR(t, g)
	var pairs []string
	for _, l := range g.Tolerant {
		pairs = append(pairs, fmt.Sprintf("%s-%s %.2f", s.codes[l.A], s.codes[l.B], l.Distance))
	}
	t.Logf("3 km: %v", pairs)
	found := false
	for _, l := range g.Tolerant {
		if s.codes[l.A] == "53033" && s.codes[l.B] == "53035" {
			found = true
			sh, k, _ := edgeOf(g, l.A, l.B)
			if !(l.Distance > 1 && l.Distance < 1.5) || k != geo.EdgeTolerant || !(sh > 5) {
				t.Errorf("King-Kitsap gap %.2f km, shared %.2f km, kind %d", l.Distance, sh, k)
			}
		}
	}
	if !found {
		t.Errorf("King-Kitsap not joined at 3 km: %v", pairs)
	}
}
