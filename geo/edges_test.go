package geo_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"syscall"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

// gridUnits returns nx*ny unit squares, unit y*nx+x covering
// [x, x+1]×[y, y+1].
func gridUnits(nx, ny int) []orb.MultiPolygon {
	var units []orb.MultiPolygon
	for y := range ny {
		for x := range nx {
			units = append(units, orb.MultiPolygon{square(float64(x), float64(y), float64(x+1), float64(y+1))})
		}
	}
	return units
}

// canonRing returns a closed ring without its closing point, rotated to
// start at its lexicographically smallest vertex, as a string; it fails the
// test if the line is not closed.
func canonRing(t *testing.T, ls orb.LineString) string {
	t.Helper()
	if len(ls) < 4 || ls[0] != ls[len(ls)-1] {
		t.Fatalf("line %v is not a closed ring", ls)
	}
	pts := ls[:len(ls)-1]
	k := 0
	for i, p := range pts {
		if p[0] < pts[k][0] || (p[0] == pts[k][0] && p[1] < pts[k][1]) {
			k = i
		}
	}
	return fmt.Sprint(slices.Concat(pts[k:], pts[:k]))
}

func canonRings(t *testing.T, ml orb.MultiLineString) []string {
	t.Helper()
	var out []string
	for _, ls := range ml {
		out = append(out, canonRing(t, ls))
	}
	slices.Sort(out)
	return out
}

func lineLength(ls orb.LineString) float64 {
	var l float64
	for i := 1; i < len(ls); i++ {
		l += planar.Distance(ls[i-1], ls[i])
	}
	return l
}

func TestEdgesGrid3x3(t *testing.T) {
	// Units (index = 3y+x) and groups:
	//	row 2:  6:0  7:2  8:2
	//	row 1:  3:0  4:1  5:1
	//	row 0:  0:0  1:1  2:-1
	e := geo.NewEdges(gridUnits(3, 3), 0)
	if e.Len() != 9 {
		t.Fatalf("Len = %d, want 9", e.Len())
	}
	group := []int{0, 1, -1, 0, 1, 1, 0, 2, 2}
	out := e.Outlines(group, 3)
	if len(out) != 3 {
		t.Fatalf("%d outlines, want 3", len(out))
	}
	want := [][]string{
		{"[[0 0] [1 0] [1 1] [1 2] [1 3] [0 3] [0 2] [0 1]]"},
		{"[[1 0] [2 0] [2 1] [3 1] [3 2] [2 2] [1 2] [1 1]]"},
		{"[[1 2] [2 2] [3 2] [3 3] [2 3] [1 3]]"},
	}
	wantLen := []float64{8, 8, 6}
	for k := range out {
		if got := canonRings(t, out[k]); !slices.Equal(got, want[k]) {
			t.Errorf("group %d outline = %v, want %v", k, got, want[k])
		}
		if got := lineLength(out[k][0]); got != wantLen[k] {
			t.Errorf("group %d outline length = %v, want %v", k, got, wantLen[k])
		}
		if o := orb.Ring(out[k][0]).Orientation(); o != orb.CCW {
			t.Errorf("group %d outline orientation %v, want CCW", k, o)
		}
	}
	gotNb := e.GroupNeighbors(group, 3)
	wantNb := []geo.GroupBorder{{A: 0, B: 1, Length: 2}, {A: 0, B: 2, Length: 1}, {A: 1, B: 2, Length: 2}}
	if !slices.Equal(gotNb, wantNb) {
		t.Errorf("GroupNeighbors = %v, want %v", gotNb, wantNb)
	}
	if got, want := e.UnitNeighbors(4), []geo.UnitBorder{{1, 1}, {3, 1}, {5, 1}, {7, 1}}; !slices.Equal(got, want) {
		t.Errorf("UnitNeighbors(4) = %v, want %v", got, want)
	}
	if got, want := e.UnitNeighbors(0), []geo.UnitBorder{{1, 1}, {3, 1}}; !slices.Equal(got, want) {
		t.Errorf("UnitNeighbors(0) = %v, want %v", got, want)
	}
	if got, want := e.UnitCornerNeighbors(4), []int{0, 2, 6, 8}; !slices.Equal(got, want) {
		t.Errorf("UnitCornerNeighbors(4) = %v, want %v", got, want)
	}
	if got, want := e.UnitCornerNeighbors(2), []int{4}; !slices.Equal(got, want) {
		t.Errorf("UnitCornerNeighbors(2) = %v, want %v", got, want)
	}
	if e.UnitNeighbors(-1) != nil || e.UnitNeighbors(9) != nil || e.UnitCornerNeighbors(9) != nil {
		t.Error("out-of-range unit: want nil")
	}

	// Everything in one group: the outline is the 3×3 square's boundary.
	all := e.Outlines(make([]int, 9), 1)
	if got, want := canonRings(t, all[0]), []string{"[[0 0] [1 0] [2 0] [3 0] [3 1] [3 2] [3 3] [2 3] [1 3] [0 3] [0 2] [0 1]]"}; !slices.Equal(got, want) {
		t.Errorf("single group outline = %v, want %v", got, want)
	}
	if nb := e.GroupNeighbors(make([]int, 9), 1); len(nb) != 0 {
		t.Errorf("single group neighbours = %v, want none", nb)
	}
}

func TestEdgesBadGroups(t *testing.T) {
	e := geo.NewEdges(gridUnits(3, 1), 0)
	// Short group slice, out-of-range and negative groups count as -1.
	out := e.Outlines([]int{0, 7}, 2)
	if len(out) != 2 || out[1] != nil {
		t.Fatalf("Outlines = %v, want group 1 empty", out)
	}
	if got, want := canonRings(t, out[0]), []string{"[[0 0] [1 0] [1 1] [0 1]]"}; !slices.Equal(got, want) {
		t.Errorf("group 0 = %v, want %v", got, want)
	}
	if e.Outlines(nil, 0) != nil || e.GroupNeighbors(nil, -1) != nil || e.LabelPoints(nil, 0, 1) != nil {
		t.Error("n <= 0: want nil")
	}
	if got := e.Outlines(nil, 2); len(got) != 2 || got[0] != nil || got[1] != nil {
		t.Errorf("no grouping: %v", got)
	}
}

func TestEdgesFourCornersPinch(t *testing.T) {
	// 2×2 squares, diagonal pairs grouped: each group's outline touches
	// itself at (1,1) and must come out as two separate squares.
	e := geo.NewEdges(gridUnits(2, 2), 0)
	out := e.Outlines([]int{0, 1, 1, 0}, 2)
	want := [][]string{
		{"[[0 0] [1 0] [1 1] [0 1]]", "[[1 1] [2 1] [2 2] [1 2]]"},
		{"[[0 1] [1 1] [1 2] [0 2]]", "[[1 0] [2 0] [2 1] [1 1]]"},
	}
	for k := range out {
		if got := canonRings(t, out[k]); !slices.Equal(got, want[k]) {
			t.Errorf("group %d = %v, want %v", k, got, want[k])
		}
	}
	if nb := e.GroupNeighbors([]int{0, 1, 1, 0}, 2); len(nb) != 1 || nb[0] != (geo.GroupBorder{A: 0, B: 1, Length: 4}) {
		t.Errorf("GroupNeighbors = %v", nb)
	}
	if got := e.UnitCornerNeighbors(0); !slices.Equal(got, []int{3}) {
		t.Errorf("UnitCornerNeighbors(0) = %v, want [3]", got)
	}
}

func TestEdgesHoleAndOrientation(t *testing.T) {
	// Unit 0: a 4×4 square with a 2×2 hole, given clockwise (the "wrong"
	// way) and open; its hole given counter-clockwise. Unit 1 fills the hole
	// exactly, with coordinates off by 1e-12, matched by a 1e-9 grid.
	// Unit 2 borders unit 0 on the east.
	outer := orb.Ring{{0, 0}, {0, 4}, {4, 4}, {4, 0}}
	hole := orb.Ring{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}
	const eps = 1e-12
	fill := orb.Ring{{1 + eps, 1}, {3, 1 - eps}, {3, 3}, {1, 3}, {1 + eps, 1}}
	units := []orb.MultiPolygon{
		{{outer, hole}},
		{{fill}},
		{square(4, 0, 6, 4)},
	}
	e := geo.NewEdges(units, 1e-9)
	if got, want := e.UnitNeighbors(0), []geo.UnitBorder{{1, 8}, {2, 4}}; !slices.Equal(got, want) {
		t.Errorf("UnitNeighbors(0) = %v, want %v", got, want)
	}
	out := e.Outlines([]int{0, 1, 0}, 2)
	want0 := []string{
		"[[0 0] [4 0] [6 0] [6 4] [4 4] [0 4]]",
		"[[1 1] [1 3] [3 3] [3 1]]", // the hole, clockwise
	}
	if got := canonRings(t, out[0]); !slices.Equal(got, want0) {
		t.Errorf("group 0 = %v, want %v", got, want0)
	}
	for _, ls := range out[0] {
		o := orb.Ring(ls).Orientation()
		if isHole := ls[0][0] >= 1 && ls[0][0] <= 3 && ls[0][1] >= 1 && ls[0][1] <= 3; isHole != (o == orb.CW) {
			t.Errorf("ring %v orientation %v", ls, o)
		}
	}
	// Vertices keep the first input coordinates snapped to them: the hole
	// ring came first, so unit 1's outline uses exact integers.
	if got, want := canonRings(t, out[1]), []string{"[[1 1] [3 1] [3 3] [1 3]]"}; !slices.Equal(got, want) {
		t.Errorf("group 1 = %v, want %v", got, want)
	}
	// Without snapping only the hole's top side, whose end points are
	// exact in both, matches.
	exact := geo.NewEdges(units, 0)
	if got, want := exact.UnitNeighbors(1), []geo.UnitBorder{{0, 2}}; !slices.Equal(got, want) {
		t.Errorf("unsnapped UnitNeighbors(1) = %v, want %v", got, want)
	}
	if nb := e.GroupNeighbors([]int{0, 1, 0}, 2); len(nb) != 1 || nb[0] != (geo.GroupBorder{A: 0, B: 1, Length: 8}) {
		t.Errorf("GroupNeighbors = %v", nb)
	}
}

func TestEdgesDegenerateInput(t *testing.T) {
	nan := math.NaN()
	units := []orb.MultiPolygon{
		nil,
		{{}},
		{{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}}, // zero area
		{{{{0, 0}, {1, 1}}}},                 // too few points
		{{{{0, 0}, {nan, 0}, {1, 1}, {0, 1}, {0, 0}}}}, // NaN vertex
		{square(5, 5, 6, 6)},
	}
	e := geo.NewEdges(units, 1e-9)
	out := e.Outlines([]int{0, 0, 0, 0, 1, 2}, 3)
	if out[0] != nil {
		t.Errorf("degenerate units have outline %v", out[0])
	}
	if got := canonRings(t, out[2]); !slices.Equal(got, []string{"[[5 5] [6 5] [6 6] [5 6]]"}) {
		t.Errorf("group 2 = %v", got)
	}
	// The NaN ring loses its two segments at the NaN vertex: what is left
	// is an open chain, not a panic, oriented as the finite points are.
	if got, want := fmt.Sprint(out[1]), "[[[1 1] [0 1] [0 0]]]"; got != want {
		t.Errorf("group 1 = %v, want %v", got, want)
	}
	labels := e.LabelPoints([]int{0, 0, 0, 0, 1, 2}, 3, 0)
	if labels[0].OK || labels[0].At != (orb.Point{}) {
		t.Errorf("empty group label = %+v", labels[0])
	}
	if l := labels[2]; !l.OK || math.Abs(l.At[0]-5.5) > 0.01 || math.Abs(l.At[1]-5.5) > 0.01 || math.Abs(l.Dist-0.5) > 0.01 {
		t.Errorf("square label = %+v", l)
	}
	for _, l := range labels {
		if math.IsNaN(l.At[0]) || math.IsNaN(l.At[1]) || math.IsNaN(l.Dist) {
			t.Errorf("NaN label %+v", l)
		}
	}
}

func TestEdgesSpikeAndOverlap(t *testing.T) {
	// Unit 0 and unit 1 are the same square (overlapping input); unit 2
	// borders both on the east. Unit 3 borders unit 2 on the east and has a
	// spike sticking out north from (3,1): (3,1) (3,1.5) (3,1).
	units := []orb.MultiPolygon{
		{square(0, 0, 1, 1)},
		{square(0, 0, 1, 1)},
		{square(1, 0, 3, 1)},
		{{{{3, 0}, {4, 0}, {4, 1}, {3, 1}, {3, 1.5}, {3, 1}, {3, 0}}}},
	}
	e := geo.NewEdges(units, 0)
	if got, want := e.UnitNeighbors(2), []geo.UnitBorder{{0, 1}, {1, 1}, {3, 1}}; !slices.Equal(got, want) {
		t.Errorf("UnitNeighbors(2) = %v, want %v", got, want)
	}
	// Units 1 and 2 together are one rectangle; unit 0 is apart. The spike
	// cancels out.
	out := e.Outlines([]int{0, 1, 1, 1}, 2)
	if got, want := canonRings(t, out[0]), []string{"[[0 0] [1 0] [1 1] [0 1]]"}; !slices.Equal(got, want) {
		t.Errorf("group 0 = %v, want %v", got, want)
	}
	if got, want := canonRings(t, out[1]), []string{"[[0 0] [1 0] [3 0] [4 0] [4 1] [3 1] [1 1] [0 1]]"}; !slices.Equal(got, want) {
		t.Errorf("group 1 = %v, want %v", got, want)
	}
	// Both copies in one group: the square's outline comes out twice,
	// each copy a closed ring.
	out = e.Outlines([]int{0, 0, 1, 1}, 2)
	if got, want := canonRings(t, out[0]), []string{"[[0 0] [1 0] [1 1] [0 1]]", "[[0 0] [1 0] [1 1] [0 1]]"}; !slices.Equal(got, want) {
		t.Errorf("group 0 = %v, want %v", got, want)
	}
	if got, want := e.GroupNeighbors([]int{0, 0, 1, 1}, 2), []geo.GroupBorder{{A: 0, B: 1, Length: 2}}; !slices.Equal(got, want) {
		t.Errorf("GroupNeighbors = %v, want %v", got, want)
	}
}

// usCounties is the us-atlas counties projected with AlbersUSA, as the app
// draws them, with their FIPS codes.
type usCounties struct {
	ids   []string
	units []orb.MultiPolygon
	edges *geo.Edges
}

var usCountiesOnce = sync.OnceValues(func() (*usCounties, error) {
	d, err := countyDataOnce()
	if err != nil {
		return nil, err
	}
	c := &usCounties{}
	for i, f := range d.features {
		c.ids = append(c.ids, f.ID)
		c.units = append(c.units, geo.AlbersUSA.MultiPolygon(d.geoms[i]))
	}
	c.edges = geo.NewEdges(c.units, 1e-6)
	return c, nil
})

func projectedCounties(t testing.TB) *usCounties {
	t.Helper()
	c, err := usCountiesOnce()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// byState groups counties by state FIPS; it returns the groups and the
// state code of each group, in increasing code order.
func byState(ids []string) ([]int, []string) {
	var states []string
	for _, id := range ids {
		states = append(states, id[:2])
	}
	codes := slices.Compact(slices.Sorted(slices.Values(states)))
	group := make([]int, len(ids))
	for i, s := range states {
		group[i], _ = slices.BinarySearch(codes, s)
	}
	return group, codes
}

// censusDivision maps state FIPS to the nine Census divisions (0..8);
// territories are left out (-1).
var censusDivision = map[string]int{
	"09": 0, "23": 0, "25": 0, "33": 0, "44": 0, "50": 0, // New England
	"34": 1, "36": 1, "42": 1, // Middle Atlantic
	"17": 2, "18": 2, "26": 2, "39": 2, "55": 2, // East North Central
	"19": 3, "20": 3, "27": 3, "29": 3, "31": 3, "38": 3, "46": 3, // West North Central
	"10": 4, "11": 4, "12": 4, "13": 4, "24": 4, "37": 4, "45": 4, "51": 4, "54": 4, // South Atlantic
	"01": 5, "21": 5, "28": 5, "47": 5, // East South Central
	"05": 6, "22": 6, "40": 6, "48": 6, // West South Central
	"04": 7, "08": 7, "16": 7, "30": 7, "32": 7, "35": 7, "49": 7, "56": 7, // Mountain
	"02": 8, "06": 8, "15": 8, "41": 8, "53": 8, // Pacific
}

func byDivision(ids []string) []int {
	group := make([]int, len(ids))
	for i, id := range ids {
		g, ok := censusDivision[id[:2]]
		if !ok {
			g = -1
		}
		group[i] = g
	}
	return group
}

func TestEdgesUSColorado(t *testing.T) {
	c := projectedCounties(t)
	group, codes := byState(c.ids)
	co, _ := slices.BinarySearch(codes, "08")
	out := c.edges.Outlines(group, len(codes))
	if len(out[co]) != 1 {
		t.Fatalf("Colorado outline has %d lines, want 1", len(out[co]))
	}
	ring := out[co][0]
	if ring[0] != ring[len(ring)-1] {
		t.Fatalf("Colorado outline is not closed")
	}
	got := lineLength(ring)

	// The same boundary from the topology: arcs between a Colorado county
	// and a county of another state, or on the outside of a Colorado county.
	topo := counties(t)
	state := func(i int) string { return c.ids[i][:2] }
	mesh, err := topo.Mesh("counties", func(a, b int) bool {
		if a == b {
			return state(a) == "08"
		}
		return state(a) != state(b) && (state(a) == "08" || state(b) == "08")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := meshLength(geo.AlbersUSA.MultiLineString(mesh))
	if math.Abs(got-want) > 1e-9*want {
		t.Errorf("Colorado outline length %.12g, mesh %.12g", got, want)
	}
	// Colorado is about 610 km × 450 km, and a plane unit of AlbersUSA is
	// 1/1000 of the Earth's radius (6.371 km), so its perimeter is about
	// 2×(610+450)/6.371 ≈ 333 plane units.
	if got < 320 || got > 345 {
		t.Errorf("Colorado outline length %.1f plane units, want about 333", got)
	}
	if o := orb.Ring(ring).Orientation(); o != orb.CCW {
		t.Errorf("Colorado outline orientation %v, want CCW", o)
	}

	// Rook neighbours of Colorado: not Arizona (Four Corners is a point).
	var nbs []string
	for _, nb := range c.edges.GroupNeighbors(group, len(codes)) {
		if nb.A == co {
			nbs = append(nbs, codes[nb.B])
		} else if nb.B == co {
			nbs = append(nbs, codes[nb.A])
		}
	}
	slices.Sort(nbs)
	// 20 KS, 31 NE, 35 NM, 40 OK, 49 UT, 56 WY.
	if want := []string{"20", "31", "35", "40", "49", "56"}; !slices.Equal(nbs, want) {
		t.Errorf("Colorado neighbours %v, want %v", nbs, want)
	}
}

func countyIndexByID(t testing.TB, ids []string, id string) int {
	t.Helper()
	i := slices.Index(ids, id)
	if i < 0 {
		t.Fatalf("no county %s", id)
	}
	return i
}

func TestEdgesUSCountyNeighbors(t *testing.T) {
	c := projectedCounties(t)
	idx := func(id string) int { return countyIndexByID(t, c.ids, id) }
	// Four Corners: Montezuma CO, San Juan UT, Apache AZ, San Juan NM.
	mont, sjut := idx("08083"), idx("49037")
	corners := func(i int) []string {
		var ids []string
		for _, u := range c.edges.UnitCornerNeighbors(i) {
			ids = append(ids, c.ids[u])
		}
		slices.Sort(ids)
		return ids
	}
	// Apache AZ (Four Corners) and San Juan CO for Montezuma: point
	// contacts in this file.
	if got, want := corners(mont), []string{"04001", "08111"}; !slices.Equal(got, want) {
		t.Errorf("Montezuma corner neighbours = %v, want %v", got, want)
	}
	// San Juan NM (Four Corners), Emery UT and Mesa CO.
	if got, want := corners(sjut), []string{"08077", "35045", "49015"}; !slices.Equal(got, want) {
		t.Errorf("San Juan UT corner neighbours = %v, want %v", got, want)
	}
	rook := func(i int) []string {
		var ids []string
		for _, nb := range c.edges.UnitNeighbors(i) {
			if nb.Length <= 0 {
				t.Errorf("unit %s neighbour %s has length %v", c.ids[i], c.ids[nb.Unit], nb.Length)
			}
			ids = append(ids, c.ids[nb.Unit])
		}
		slices.Sort(ids)
		return ids
	}
	// Montezuma borders Dolores and La Plata (CO), San Juan UT and San Juan
	// NM.
	if got, want := rook(mont), []string{"08033", "08067", "35045", "49037"}; !slices.Equal(got, want) {
		t.Errorf("Montezuma neighbours %v, want %v", got, want)
	}
	// 48037 Bowie TX has a spike along its border with 05081 Little River
	// AR, which borders 05091 Miller AR on the other side of it.
	// (05061 Howard touches it only at a point in this file.)
	if got, want := rook(idx("05081")), []string{"05057", "05091", "05133", "40089", "48037"}; !slices.Equal(got, want) {
		t.Errorf("Little River neighbours %v, want %v", got, want)
	}
	if got, want := corners(idx("05081")), []string{"05061"}; !slices.Equal(got, want) {
		t.Errorf("Little River corner neighbours %v, want %v", got, want)
	}
	// Fairfax city (51600) is a hole in Fairfax County (51059) and borders
	// nothing else.
	if got, want := rook(idx("51600")), []string{"51059"}; !slices.Equal(got, want) {
		t.Errorf("Fairfax city neighbours %v, want %v", got, want)
	}
	// Symmetry of rook lengths over all counties.
	e := c.edges
	pairs := 0
	for i := range e.Len() {
		for _, nb := range e.UnitNeighbors(i) {
			pairs++
			back := e.UnitNeighbors(nb.Unit)
			k, ok := slices.BinarySearchFunc(back, i, func(x geo.UnitBorder, t int) int { return cmp.Compare(x.Unit, t) })
			if !ok || back[k].Length != nb.Length {
				t.Fatalf("asymmetric neighbours %s-%s", c.ids[i], c.ids[nb.Unit])
			}
		}
	}
	t.Logf("%d rook county pairs", pairs/2)
}

func TestEdgesUSDivisionsClosed(t *testing.T) {
	c := projectedCounties(t)
	// Every state's outline is made of closed rings.
	states, codes := byState(c.ids)
	for k, ml := range c.edges.Outlines(states, len(codes)) {
		for _, ls := range ml {
			if ls[0] != ls[len(ls)-1] {
				t.Errorf("state %s: open outline line of %d points", codes[k], len(ls))
			}
		}
	}
	group := byDivision(c.ids)
	out := c.edges.Outlines(group, 9)
	var total float64
	for k, ml := range out {
		if len(ml) == 0 {
			t.Errorf("division %d has no outline", k)
		}
		for _, ls := range ml {
			if ls[0] != ls[len(ls)-1] {
				t.Errorf("division %d: open outline line of %d points", k, len(ls))
			}
			total += lineLength(ls)
		}
	}
	// Every internal division border is counted twice, the coast once.
	var borders float64
	nbs := c.edges.GroupNeighbors(group, 9)
	for _, nb := range nbs {
		borders += nb.Length
	}
	t.Logf("divisions: %d neighbour pairs, outline length %.1f, shared %.1f", len(nbs), total, borders)
	// Mountain (7) and Pacific (8) share a border; New England (0) and
	// Pacific do not.
	has := func(a, b int) bool {
		return slices.ContainsFunc(nbs, func(x geo.GroupBorder) bool { return x.A == a && x.B == b })
	}
	if !has(7, 8) || has(0, 8) || !has(0, 1) {
		t.Errorf("division neighbours %v", nbs)
	}
}

// cpuTime is the process's user+system CPU time in nanoseconds: less
// disturbed than wall time when other processes share the machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU reports the CPU time per op since c0 as cpu-ms/op.
func reportCPU(b *testing.B, c0 int64) {
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

func BenchmarkNewEdgesUSCounties(b *testing.B) {
	c := projectedCounties(b)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		geo.NewEdges(c.units, 1e-6)
	}
	reportCPU(b, c0)
}

func BenchmarkOutlinesUSCounties(b *testing.B) {
	c := projectedCounties(b)
	group := byDivision(c.ids)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		c.edges.Outlines(group, 9)
	}
	reportCPU(b, c0)
}

func BenchmarkGroupNeighborsUSCounties(b *testing.B) {
	c := projectedCounties(b)
	group := byDivision(c.ids)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		c.edges.GroupNeighbors(group, 9)
	}
	reportCPU(b, c0)
}

const world50mFile = "testdata/world-atlas_countries-50m.topo.json"

func TestEdgesWorldCountries(t *testing.T) {
	fs := features(t, readFile(t, world50mFile), "countries")
	units := make([]orb.MultiPolygon, len(fs))
	names := make([]string, len(fs))
	for i, f := range fs {
		units[i] = geo.EqualEarthMultiPolygon(geo.AsMultiPolygon(f.Geometry))
		names[i], _ = f.Properties["name"].(string)
	}
	e := geo.NewEdges(units, 1e-9)
	nbNames := func(name string) []string {
		i := slices.Index(names, name)
		if i < 0 {
			t.Fatalf("no country %q", name)
		}
		var out []string
		for _, nb := range e.UnitNeighbors(i) {
			out = append(out, names[nb.Unit])
		}
		slices.Sort(out)
		return out
	}
	// France includes French Guiana in Natural Earth's admin-0 countries.
	want := []string{"Andorra", "Belgium", "Brazil", "Germany", "Italy", "Luxembourg", "Monaco", "Spain", "Suriname", "Switzerland"}
	if got := nbNames("France"); !slices.Equal(got, want) {
		t.Errorf("France neighbours %v, want %v", got, want)
	}
	if got, want := nbNames("Switzerland"), []string{"Austria", "France", "Germany", "Italy", "Liechtenstein"}; !slices.Equal(got, want) {
		t.Errorf("Switzerland neighbours %v, want %v", got, want)
	}
	// France alone as a group: its label goes to the European mainland (the
	// largest part), not to Corsica or French Guiana.
	fr := slices.Index(names, "France")
	group := make([]int, len(units))
	for i := range group {
		group[i] = -1
	}
	group[fr] = 0
	l := e.LabelPoints(group, 1, 0)[0]
	largest, area := orb.Polygon(nil), 0.0
	for _, p := range units[fr] {
		if a := planar.Area(p); a > area {
			largest, area = p, a
		}
	}
	if !l.OK || !planar.PolygonContains(largest, l.At) {
		t.Errorf("France label %+v is not in mainland France", l)
	}
	if lonlat := fs[fr].Geometry.Bound(); lonlat.Min[0] > -54 || lonlat.Max[0] < 9 {
		t.Errorf("France bound %v: want French Guiana and Corsica in it", lonlat)
	}
	for i, mp := range units {
		if len(mp) == 0 {
			continue
		}
		if p := geo.InteriorPoint(mp); !planar.MultiPolygonContains(mp, p) {
			t.Errorf("%s: interior point %v not inside", names[i], p)
		}
	}
}

func TestEdgesUSRandomGroups(t *testing.T) {
	// Random territories: every group is scattered over many parts. The
	// outlines of all groups together count every border between groups
	// twice and the outside boundary once.
	c := projectedCounties(t)
	e := c.edges
	var outside float64
	for _, ls := range e.Outlines(make([]int, e.Len()), 1)[0] {
		outside += lineLength(ls)
	}
	ix := geo.NewPolygonIndex(c.units)
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{2, 9, 50} {
		group := make([]int, e.Len())
		for i := range group {
			group[i] = r.IntN(n)
		}
		var total, borders float64
		for k, ml := range e.Outlines(group, n) {
			for _, ls := range ml {
				if ls[0] != ls[len(ls)-1] {
					t.Errorf("n=%d group %d: open line", n, k)
				}
				total += lineLength(ls)
			}
		}
		for _, nb := range e.GroupNeighbors(group, n) {
			borders += nb.Length
		}
		if want := 2*borders + outside; math.Abs(total-want) > 1e-9*want {
			t.Errorf("n=%d: outlines %.9f, want 2×%.9f + %.9f = %.9f", n, total, borders, outside, want)
		}
		for k, l := range e.LabelPoints(group, n, 0) {
			if u := ix.Locate(l.At); !l.OK || u < 0 || group[u] != k || !(l.Dist > 0) {
				t.Errorf("n=%d group %d: label %+v in unit %d", n, k, l, u)
			}
		}
	}
}

func FuzzEdges(f *testing.F) {
	f.Add([]byte{0, 0, 2, 0, 2, 2, 0, 2, 255, 2, 0, 4, 0, 4, 2, 2, 2}, []byte{0, 1})
	f.Add([]byte{0, 0, 4, 4, 4, 0, 0, 4, 255, 1, 1, 3, 1, 3, 3, 1, 3}, []byte{1, 1})
	f.Fuzz(func(t *testing.T, data, groups []byte) {
		// Units of one ring each, split at 255 bytes; points are byte
		// pairs with values 0..7, so rings share, cross and overlap.
		var units []orb.MultiPolygon
		var ring orb.Ring
		flush := func() {
			if len(units) < 6 {
				units = append(units, orb.MultiPolygon{{ring}})
			}
			ring = nil
		}
		for i := 0; i < len(data); i++ {
			if data[i] == 255 {
				flush()
				continue
			}
			if i+1 < len(data) && len(ring) < 30 {
				ring = append(ring, orb.Point{float64(data[i] % 8), float64(data[i+1] % 8)})
				i++
			}
		}
		flush()
		group := make([]int, len(units))
		for i := range group {
			group[i] = -1
			if i < len(groups) {
				group[i] = int(groups[i]%4) - 1
			}
		}
		e := geo.NewEdges(units, 0.5)
		for k, ml := range e.Outlines(group, 3) {
			for _, ls := range ml {
				if len(ls) < 3 || ls[0] != ls[len(ls)-1] {
					t.Fatalf("group %d: line %v is not a closed ring", k, ls)
				}
			}
		}
		for _, l := range e.LabelPoints(group, 3, 0) {
			if math.IsNaN(l.At[0]) || math.IsNaN(l.At[1]) || math.IsNaN(l.Dist) {
				t.Fatalf("NaN label %+v", l)
			}
		}
		for _, nb := range e.GroupNeighbors(group, 3) {
			if nb.A >= nb.B || !(nb.Length > 0) {
				t.Fatalf("bad group border %+v", nb)
			}
		}
		for i := range units {
			for _, nb := range e.UnitNeighbors(i) {
				if nb.Unit == i || !(nb.Length > 0) {
					t.Fatalf("unit %d: bad neighbour %+v", i, nb)
				}
			}
			for _, u := range e.UnitCornerNeighbors(i) {
				if u == i {
					t.Fatalf("unit %d is its own corner neighbour", i)
				}
			}
			if p := geo.InteriorPoint(units[i]); math.IsNaN(p[0]) || math.IsNaN(p[1]) {
				t.Fatalf("NaN interior point")
			}
		}
	})
}
