package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

func near(p, q orb.Point, tol float64) bool {
	return math.Abs(p[0]-q[0]) <= tol && math.Abs(p[1]-q[1]) <= tol
}

func TestPolyLabelSquare(t *testing.T) {
	p, d := geo.PolyLabel(square(0, 0, 10, 10), 0.1)
	if p != (orb.Point{5, 5}) || d != 5 {
		t.Errorf("square: %v, %v; want [5 5], 5", p, d)
	}
	// Open ring, clockwise: the same answer.
	p, d = geo.PolyLabel(orb.Polygon{{{0, 0}, {0, 10}, {10, 10}, {10, 0}}}, 0.1)
	if p != (orb.Point{5, 5}) || d != 5 {
		t.Errorf("open clockwise square: %v, %v; want [5 5], 5", p, d)
	}
}

func TestPolyLabelLShape(t *testing.T) {
	// Arms 2 wide. The largest inscribed circle sits in the corner square,
	// on the diagonal x = y, touching both outer sides and the reentrant
	// corner (2,2): x = √2(2−x), so x = d = 4 − 2√2 ≈ 1.1716.
	l := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}}
	want := 4 - 2*math.Sqrt2
	p, d := geo.PolyLabel(l, 1e-6)
	if math.Abs(d-want) > 1e-6 {
		t.Errorf("L: distance %v, want %v", d, want)
	}
	if !near(p, orb.Point{want, want}, 1e-3) {
		t.Errorf("L: point %v, want [%v %v]", p, want, want)
	}
	// The centroid (about (3.1, 3.1)) is outside: a centroid label would
	// miss the shape.
	c, _ := planar.CentroidArea(l)
	if planar.PolygonContains(l, c) {
		t.Errorf("centroid %v unexpectedly inside", c)
	}
}

func TestPolyLabelHole(t *testing.T) {
	// 10×10 square with a 2×2 hole in the middle: the best circles sit on
	// the diagonals, touching two outer sides and a hole corner:
	// x = √2(4−x), so x = d = 8 − 4√2 ≈ 2.343 (better than 2, between a
	// side of the hole and the outside on an axis).
	poly := orb.Polygon{square(0, 0, 10, 10)[0], {{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}}}
	want := 8 - 4*math.Sqrt2
	p, d := geo.PolyLabel(poly, 1e-6)
	if math.Abs(d-want) > 1e-6 {
		t.Errorf("hole: distance %v, want %v", d, want)
	}
	ok := false
	for _, c := range []orb.Point{{want, want}, {10 - want, want}, {want, 10 - want}, {10 - want, 10 - want}} {
		ok = ok || near(p, c, 1e-3)
	}
	if !ok {
		t.Errorf("hole: point %v, want one of the four diagonal points at %v from the corners", p, want)
	}
	// Without the hole the centre wins.
	if p, _ := geo.PolyLabel(poly[:1], 0.01); p != (orb.Point{5, 5}) {
		t.Errorf("no hole: %v", p)
	}
}

func TestPolyLabelManyVertices(t *testing.T) {
	// A circle of radius 100 with 2,000 vertices (grid-indexed distances):
	// the pole is the centre, at distance r·cos(π/n) from the sides.
	const n, r = 2000, 100.0
	var ring orb.Ring
	for i := range n + 1 {
		a := 2 * math.Pi * float64(i%n) / n
		ring = append(ring, orb.Point{300 + r*math.Cos(a), -50 + r*math.Sin(a)})
	}
	p, d := geo.PolyLabel(orb.Polygon{ring}, 1e-3)
	if want := r * math.Cos(math.Pi/n); math.Abs(d-want) > 1e-3 {
		t.Errorf("circle: distance %v, want %v", d, want)
	}
	if !near(p, orb.Point{300, -50}, 0.1) {
		t.Errorf("circle: point %v, want [300 -50]", p)
	}
}

func TestPolyLabelDegenerate(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		p    orb.Polygon
		want orb.Point
	}{
		{"empty", nil, orb.Point{}},
		{"two points", orb.Polygon{{{1, 1}, {2, 2}}}, orb.Point{}},
		{"NaN", orb.Polygon{{{0, 0}, {nan, 0}, {1, 1}, {0, 0}}}, orb.Point{}},
		{"flat", orb.Polygon{{{0, 0}, {5, 0}, {10, 0}, {0, 0}}}, orb.Point{0, 0}},
	} {
		p, d := geo.PolyLabel(tc.p, 1)
		if p != tc.want || d != 0 {
			t.Errorf("%s: %v, %v; want %v, 0", tc.name, p, d, tc.want)
		}
	}
	// Precision 0, negative, NaN or infinite means 1% of the smaller side:
	// the L of TestPolyLabelLShape gets within 0.1 of its best distance.
	l := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}}
	for _, prec := range []float64{0, -1, nan, math.Inf(1)} {
		p, d := geo.PolyLabel(square(0, 0, 1, 1), prec)
		if p != (orb.Point{0.5, 0.5}) || d != 0.5 {
			t.Errorf("square, precision %v: %v, %v", prec, p, d)
		}
		if _, d := geo.PolyLabel(l, prec); d < 4-2*math.Sqrt2-0.1 || d > 4-2*math.Sqrt2 {
			t.Errorf("L, precision %v: distance %v", prec, d)
		}
	}
	// A tiny positive precision is raised to 1e-9 of the size, and the
	// search ends even on a flat optimum (a long rectangle).
	if p, d := geo.PolyLabel(square(0, 0, 100, 1), 1e-300); d != 0.5 || p[1] != 0.5 {
		t.Errorf("rectangle: %v, %v", p, d)
	}
}

func TestInteriorPoint(t *testing.T) {
	l := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}}
	small := square(20, 20, 21, 21)
	p := geo.InteriorPoint(orb.MultiPolygon{small, l})
	if !planar.PolygonContains(l, p) {
		t.Errorf("InteriorPoint = %v, not in the larger part", p)
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		mp   orb.MultiPolygon
		want orb.Point
	}{
		{"nil", nil, orb.Point{}},
		{"empty polygons", orb.MultiPolygon{{}, {{}}}, orb.Point{}},
		{"all NaN", orb.MultiPolygon{{{{nan, nan}, {nan, 1}, {1, nan}}}}, orb.Point{}},
		{"flat", orb.MultiPolygon{{{{0, 0}, {4, 0}, {2, 0}, {0, 0}}}}, orb.Point{2, 0}},
		{"flat with NaN", orb.MultiPolygon{{{{0, 0}, {nan, 0}, {4, 2}, {0, 0}}}}, orb.Point{2, 1}},
	} {
		if got := geo.InteriorPoint(tc.mp); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// A sliver 1e-7 high and 10 long: the search's cells, widened so that
	// at most 2^16 cover the bound, all have their centres outside, so the
	// scan line finds the point.
	sliver := orb.Polygon{{{0, 0}, {10, 0}, {10, 1e-7}, {0, 1e-7}, {0, 0}}}
	if p := geo.InteriorPoint(orb.MultiPolygon{sliver}); !planar.PolygonContains(sliver, p) {
		t.Errorf("sliver: %v not inside", p)
	}
	// A thin diagonal sliver, where the grid of search cells misses the
	// inside: the scan line finds it.
	diag := orb.Polygon{{{0, 0}, {1000, 1000}, {1000, 1000.001}, {0, 0}}}
	if p := geo.InteriorPoint(orb.MultiPolygon{diag}); !planar.PolygonContains(diag, p) || math.IsNaN(p[0]) {
		t.Errorf("diagonal sliver: %v not inside", p)
	}
}

func TestInteriorPointUSCounties(t *testing.T) {
	c := projectedCounties(t)
	n := 0
	for i, mp := range c.units {
		if len(mp) == 0 {
			continue // 51610 Falls Church has no polygon left
		}
		n++
		p := geo.InteriorPoint(mp)
		if !planar.MultiPolygonContains(mp, p) {
			t.Errorf("county %s: interior point %v is not inside", c.ids[i], p)
		}
	}
	if n != 3230 {
		t.Errorf("%d counties with polygons, want 3230", n)
	}
}

func TestLabelPointsGrid(t *testing.T) {
	// The 3×3 grid of TestEdgesGrid3x3.
	e := geo.NewEdges(gridUnits(3, 3), 0)
	group := []int{0, 1, -1, 0, 1, 1, 0, 2, 2}
	labels := e.LabelPoints(group, 4, 1e-3)
	// Group 0 is the 1×3 column x in [0,1]: any point on x = 0.5 with y in
	// [0.5, 2.5] is at distance 0.5; the centroid (0.5, 1.5) is found first.
	// (A flat optimum like this one makes the search probe cells all along
	// it down to the precision, so a fine precision costs time here.)
	if l := labels[0]; !l.OK || l.At != (orb.Point{0.5, 1.5}) || l.Dist != 0.5 {
		t.Errorf("group 0: %+v", l)
	}
	// Group 1 is an L of unit arms: the circle touches x = 1, y = 2 and the
	// reentrant corner (2,1): u = √2(1−u), u = d = 2 − √2 at (1+u, 2−u).
	u := 2 - math.Sqrt2
	if l := e.LabelPoints([]int{-1, 0, -1, -1, 0, 0, -1, -1, -1}, 1, 1e-6)[0]; !l.OK || math.Abs(l.Dist-u) > 1e-6 || !near(l.At, orb.Point{1 + u, 2 - u}, 1e-3) {
		t.Errorf("group 1: %+v, want %v at [%v %v]", l, u, 1+u, 2-u)
	}
	if l := labels[2]; !l.OK || l.Dist != 0.5 || l.At[1] != 2.5 || l.At[0] < 1.5 || l.At[0] > 2.5 {
		t.Errorf("group 2: %+v", l)
	}
	if l := labels[3]; l.OK || l.At != (orb.Point{}) || l.Dist != 0 {
		t.Errorf("empty group 3: %+v", l)
	}
}

func TestLabelPointsUS(t *testing.T) {
	c := projectedCounties(t)
	ix := geo.NewPolygonIndex(c.units)
	states, codes := byState(c.ids)
	for _, tc := range []struct {
		name  string
		group []int
		n     int
	}{
		{"states", states, len(codes)},
		{"divisions", byDivision(c.ids), 9},
	} {
		labels := c.edges.LabelPoints(tc.group, tc.n, 0)
		for k, l := range labels {
			if !l.OK {
				t.Errorf("%s: group %d has no label", tc.name, k)
				continue
			}
			u := ix.Locate(l.At)
			if u < 0 || tc.group[u] != k {
				t.Errorf("%s: group %d label %v is in unit %d", tc.name, k, l.At, u)
			}
			if !(l.Dist > 0) {
				t.Errorf("%s: group %d label distance %v", tc.name, k, l.Dist)
			}
		}
	}
	// Colorado is nearly a rectangle, about 96 plane units wide (its bound
	// is taller than its 70-unit height because parallels curve in the
	// conic projection): its label is about 35 units from the border.
	co, _ := slicesIndex(codes, "08")
	l := c.edges.LabelPoints(states, len(codes), 0.01)[co]
	var mp orb.MultiPolygon
	for i, id := range c.ids {
		if id[:2] == "08" {
			mp = append(mp, c.units[i]...)
		}
	}
	if l.Dist < 33 || l.Dist > 37 || !planar.MultiPolygonContains(mp, l.At) {
		t.Errorf("Colorado label %+v", l)
	}
}

func slicesIndex(s []string, v string) (int, bool) {
	for i, x := range s {
		if x == v {
			return i, true
		}
	}
	return -1, false
}

func BenchmarkInteriorPointUSCounties(b *testing.B) {
	c := projectedCounties(b)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		for _, mp := range c.units {
			geo.InteriorPoint(mp)
		}
	}
	reportCPU(b, c0)
}

func BenchmarkLabelPointsUSCounties(b *testing.B) {
	c := projectedCounties(b)
	group := byDivision(c.ids)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		c.edges.LabelPoints(group, 9, 0)
	}
	reportCPU(b, c0)
}
