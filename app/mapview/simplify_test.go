package mapview

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// wiggle returns n+1 points from a to b with every other one moved
// sideways by amp (plane units).
func wiggle(a, b orb.Point, n int, amp float64) []orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := math.Hypot(dx, dy)
	nx, ny := -dy/l, dx/l
	var out []orb.Point
	for k := 0; k <= n; k++ {
		t := float64(k) / float64(n)
		off := 0.0
		if k%2 == 1 {
			off = amp
		}
		out = append(out, orb.Point{a[0] + t*dx + off*nx, a[1] + t*dy + off*ny})
	}
	return out
}

// keptOn returns the kept vertices of an item that lie on the given chain.
func keptOn(it *simpItem, chain []orb.Point) map[orb.Point]bool {
	on := map[orb.Point]bool{}
	for _, p := range chain {
		on[p] = true
	}
	kept := map[orb.Point]bool{}
	for _, p := range it.pts {
		if on[p] {
			kept[p] = true
		}
	}
	return kept
}

func sameSet(a, b map[orb.Point]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for p := range a {
		if !b[p] {
			return false
		}
	}
	return true
}

// TestSimplifySharedBorder: two areas sharing a wiggly border keep the same
// vertices on it, its ends (junctions) included, and every dropped vertex
// lies within the tolerance of the simplified ring.
func TestSimplifySharedBorder(t *testing.T) {
	border := wiggle(orb.Point{0, 0}, orb.Point{3, 10}, 200, 0.02)
	left := orb.Ring{{-5, 10}, {-5, 0}}
	left = append(left, border...)
	right := orb.Ring{{8, 0}, {8, 10}}
	for k := len(border) - 1; k >= 0; k-- {
		right = append(right, border[k])
	}
	// A third area touching the border's top end makes it a junction of
	// three rings.
	top := orb.Ring{{-5, 10}, {3, 10}, {8, 10}, {8, 12}, {-5, 12}}
	sc := newScene()
	sc.setAreas([]orb.MultiPolygon{{{left}}, {{right}}, {{top}}}, nil)
	for _, tol := range []float64{0.005, 0.03, 0.1, 0.5, 3} {
		var s simpScratch
		a := sc.area.simplifyItem(0, tol, &s)
		b := sc.area.simplifyItem(1, tol, &s)
		ka, kb := keptOn(a, border), keptOn(b, border)
		if !sameSet(ka, kb) {
			t.Errorf("tol %g: %d vertices of the border kept by one area, %d by the other", tol, len(ka), len(kb))
		}
		if !ka[border[0]] || !ka[border[len(border)-1]] {
			t.Errorf("tol %g: the border's ends are not kept", tol)
		}
		if tol < 0.01 && len(ka) != len(border) {
			t.Errorf("tol %g: kept %d of %d border vertices, want all", tol, len(ka), len(border))
		}
		if tol >= 0.5 && len(ka) > 3 {
			t.Errorf("tol %g: kept %d border vertices, want the ends (and at most one more)", tol, len(ka))
		}
		// Deviation: every input vertex of area 0 is within tol of its
		// simplified ring.
		ring := orb.Ring(append(append([]orb.Point{}, a.pts...), a.pts[0]))
		for _, p := range left {
			if d := planar.DistanceFrom(orb.LineString(ring), p); d > tol*(1+1e-9) {
				t.Fatalf("tol %g: vertex %v is %g from the simplified ring", tol, p, d)
			}
		}
	}
}

// TestSimplifyHoleMatchesIsland: a ring given as another polygon's hole and
// as an island polygon (no junction on it) simplifies to the same vertices.
func TestSimplifyHoleMatchesIsland(t *testing.T) {
	var island orb.Ring
	for k := 0; k < 360; k++ {
		a := float64(k) * math.Pi / 180
		r := 5 + 0.01*float64(k%3)
		island = append(island, orb.Point{10 + r*math.Cos(a), 10 + r*math.Sin(a)})
	}
	island = append(island, island[0])
	hole := make(orb.Ring, len(island))
	for k := range island {
		hole[k] = island[len(island)-1-k]
	}
	// Start the hole elsewhere: the rings must not depend on where they
	// start.
	hole = append(append(orb.Ring{}, hole[100:len(hole)-1]...), hole[:101]...)
	outer := orb.Polygon{fxSquare(0, 0, 20, 20), hole}
	sc := newScene()
	sc.setAreas([]orb.MultiPolygon{{outer}, {{island}}}, nil)
	for _, tol := range []float64{0.001, 0.05, 0.3, 2} {
		var s simpScratch
		a := sc.area.simplifyItem(0, tol, &s)
		b := sc.area.simplifyItem(1, tol, &s)
		if ka, kb := keptOn(a, island), keptOn(b, island); !sameSet(ka, kb) || len(ka) < 3 {
			t.Errorf("tol %g: hole keeps %d vertices, island %d (or different ones)", tol, len(ka), len(kb))
		}
	}
}

func fxSquare(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// TestJunctions: on two squares sharing a side, exactly the shared side's
// ends are junctions.
func TestJunctions(t *testing.T) {
	sc := newScene()
	sc.setAreas([]orb.MultiPolygon{{{fxSquare(0, 0, 1, 1)}}, {{fxSquare(1, 0, 2, 1)}}}, nil)
	var got []orb.Point
	for k, p := range sc.area.pts {
		if sc.area.fixed[k] {
			got = append(got, p)
		}
	}
	want := map[orb.Point]bool{{1, 0}: true, {1, 1}: true}
	if len(got) != 4 {
		t.Fatalf("junctions %v, want (1,0) and (1,1) in both rings", got)
	}
	for _, p := range got {
		if !want[p] {
			t.Errorf("unexpected junction %v", p)
		}
	}
}

// TestZoomLevel: the tolerance of a scale's level is between simplifyTolPx
// and 2^(1/4) times it, in device pixels.
func TestZoomLevel(t *testing.T) {
	for _, s := range []float64{1e-6, 0.013, 0.7, 1, 1.4687, 3, 1024, 7.7e5} {
		_, tol := zoomLevel(s)
		px := tol * s
		if px < simplifyTolPx*(1-1e-9) || px > simplifyTolPx*math.Pow(2, 0.25)*(1+1e-9) {
			t.Errorf("scale %g: tolerance %g px", s, px)
		}
	}
}

// TestSimpCacheLevels: a level's items are computed once and kept while
// the level is among the last simplifyLevels used.
func TestSimpCacheLevels(t *testing.T) {
	sc := newScene()
	sc.setAreas([]orb.MultiPolygon{{{fxSquare(0, 0, 1, 1)}}}, nil)
	var s simpScratch
	c := sc.area.simp
	it := c.level(2, 1).get(&sc.area, 0, &s)
	if c.level(2.01, 1).get(&sc.area, 0, &s) != it {
		t.Error("same level: item computed again")
	}
	for k := 1; k <= simplifyLevels; k++ {
		c.level(2*math.Pow(2, float64(k)), 1)
	}
	if c.level(2, 1).items[0].Load() != nil {
		t.Error("least recently used level kept")
	}
}
