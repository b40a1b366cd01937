package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/geo"
)

// TestAlbersEqualArea checks the defining properties of the Albers
// projection (Snyder 1987, ch. 14) rather than copied numbers: the projected
// area of a lon/lat cell equals its area on the unit sphere,
// Δλ·(sin φ2 − sin φ1), anywhere in the US; and the scale along a parallel is
// exactly 1 on the two standard parallels.
func TestAlbersEqualArea(t *testing.T) {
	a := geo.NewAlbers(-96, 23, 29.5, 45.5)
	const d = 0.01 // degrees
	for _, c := range []orb.Point{{-75, 35}, {-120, 47}, {-96, 23}, {-80, 26}, {-70, 45}} {
		corners := orb.Ring{
			a.Project(orb.Point{c[0], c[1]}), a.Project(orb.Point{c[0] + d, c[1]}),
			a.Project(orb.Point{c[0] + d, c[1] + d}), a.Project(orb.Point{c[0], c[1] + d}),
		}
		corners = append(corners, corners[0])
		var area float64 // shoelace
		for i := 0; i < 4; i++ {
			area += corners[i][0]*corners[i+1][1] - corners[i+1][0]*corners[i][1]
		}
		area = math.Abs(area) / 2
		rad := math.Pi / 180
		want := d * rad * (math.Sin((c[1]+d)*rad) - math.Sin(c[1]*rad))
		if math.Abs(area-want)/want > 1e-4 {
			t.Errorf("cell at %v: projected area %.6g, sphere %.6g", c, area, want)
		}
	}
	for _, lat := range []float64{29.5, 45.5} {
		p, q := a.Project(orb.Point{-96, lat}), a.Project(orb.Point{-96 + d, lat})
		want := d * math.Pi / 180 * math.Cos(lat*math.Pi/180)
		if got := math.Hypot(q[0]-p[0], q[1]-p[1]); math.Abs(got-want)/want > 1e-5 {
			t.Errorf("scale along %v°N = %.6f, want 1", lat, got/want)
		}
	}
	// The origin maps to (0, 0).
	if o := a.Project(orb.Point{-96, 23}); math.Abs(o[0]) > 1e-12 || math.Abs(o[1]) > 1e-12 {
		t.Errorf("origin -> %v", o)
	}
}

// TestAlbersUSAInsets: each part of the US lands in its inset, in the
// arrangement of a US atlas page, and places outside every inset are not on
// the map.
func TestAlbersUSAInsets(t *testing.T) {
	p := func(lon, lat float64) orb.Point {
		q, ok := geo.AlbersUSA.Point(orb.Point{lon, lat})
		if !ok {
			t.Fatalf("(%v, %v) is not on the map", lon, lat)
		}
		return q
	}
	kansas, maine, seattle, miami := p(-98.5, 39), p(-69, 45.5), p(-122.3, 47.6), p(-80.2, 25.8)
	anchorage, honolulu, sanJuan := p(-149.9, 61.2), p(-157.9, 21.3), p(-66.1, 18.5)
	if !(seattle[0] < kansas[0] && kansas[0] < maine[0]) || !(miami[1] < kansas[1] && kansas[1] < seattle[1]) {
		t.Errorf("lower 48 out of order: Seattle %v Kansas %v Maine %v Miami %v", seattle, kansas, maine, miami)
	}
	// Alaska and Hawaii below the south-west, Puerto Rico east of Florida.
	if !(anchorage[0] < kansas[0] && anchorage[1] < kansas[1] && honolulu[0] < kansas[0] && honolulu[1] < kansas[1]) {
		t.Errorf("Alaska %v or Hawaii %v misplaced (Kansas %v)", anchorage, honolulu, kansas)
	}
	if !(sanJuan[0] > miami[0] && sanJuan[1] < miami[1]) {
		t.Errorf("San Juan %v misplaced (Miami %v)", sanJuan, miami)
	}
	// The Aleutians on both sides of 180° stay together.
	east, west := p(-179.5, 51.8), p(179.5, 51.8)
	if d := math.Hypot(east[0]-west[0], east[1]-west[1]); d > 10 {
		t.Errorf("Aleutians split across the antimeridian: %v and %v are %.1f apart", east, west, d)
	}
	for _, q := range []orb.Point{{134.46, 7.35} /* Palau */, {2.35, 48.86} /* Paris */, {-99.1, 19.4} /* Mexico City */} {
		if _, ok := geo.AlbersUSA.Point(q); ok {
			t.Errorf("%v is on the US map", q)
		}
	}
	// A polygon in no inset is still drawn (by the last inset).
	sq := orb.MultiPolygon{{{{2, 48}, {3, 48}, {3, 49}, {2, 49}, {2, 48}}}}
	if got := geo.AlbersUSA.MultiPolygon(sq); len(got) != 1 || len(got[0][0]) != 5 {
		t.Errorf("polygon in no inset -> %v", got)
	}
}
