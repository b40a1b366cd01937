package geo_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/geo"
)

// Equal Earth constants (Šavrič, Patterson and Jenny 2018, eq. 2-3).
const (
	eeA1, eeA2, eeA3, eeA4 = 1.340264, -0.081106, 0.000893, 0.003796
)

func TestEqualEarthKnownValues(t *testing.T) {
	m := math.Sqrt(3) / 2
	// At the equator θ = 0, so x = λ / (M·A1): at λ = π that is the
	// map's half width, 2.7066 (d3-geo's geoEqualEarth at scale 1).
	xMax := math.Pi / (m * eeA1)
	// At the poles sin θ = M, θ = π/3, and y is the polynomial there.
	th := math.Pi / 3
	yMax := eeA4*math.Pow(th, 9) + eeA3*math.Pow(th, 7) + eeA2*math.Pow(th, 3) + eeA1*th
	xPole := 2 * math.Sqrt(3) * math.Pi * math.Cos(th) / (3 * (9*eeA4*math.Pow(th, 8) + 7*eeA3*math.Pow(th, 6) + 3*eeA2*th*th + eeA1))
	if r := xPole / xMax; math.Abs(r-0.5925) > 1e-3 {
		t.Errorf("pole line / equator = %v, want about 0.59", r)
	}
	for _, tc := range []struct {
		in, want orb.Point
	}{
		{orb.Point{0, 0}, orb.Point{0, 0}},
		{orb.Point{180, 0}, orb.Point{xMax, 0}},
		{orb.Point{-180, 0}, orb.Point{-xMax, 0}},
		{orb.Point{0, 90}, orb.Point{0, yMax}},
		{orb.Point{0, -90}, orb.Point{0, -yMax}},
		// The poles are lines about 0.59 times as long as the equator.
		{orb.Point{180, 90}, orb.Point{xPole, yMax}},
		{orb.Point{180, 100}, orb.Point{xPole, yMax}}, // latitude clamped
	} {
		got := geo.EqualEarth(tc.in)
		if math.Abs(got[0]-tc.want[0]) > 1e-12 || math.Abs(got[1]-tc.want[1]) > 1e-12 {
			t.Errorf("EqualEarth(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if math.Abs(xMax-2.7066) > 1e-3 || math.Abs(xMax-2.70663) > 1e-5 {
		t.Errorf("x extent %v, want 2.70663", xMax)
	}
	if math.Abs(yMax-1.3173627) > 1e-6 {
		t.Errorf("y extent %v, want 1.3173627", yMax)
	}
	// The paper gives the ratio of the axes as about 2.05:1.
	if r := xMax / yMax; math.Abs(r-2.05) > 0.01 {
		t.Errorf("axis ratio %v, want about 2.05", r)
	}
	// d3-geo's default geoEqualEarth: scale 177.158, translate [480, 250],
	// y down, which fits the map into 960 pixels: (0,0) → [480, 250];
	// (180,0) → [480 + 177.158·2.70663, 250] = [959.501, 250].
	d3 := func(p orb.Point) orb.Point {
		q := geo.EqualEarth(p)
		return orb.Point{480 + 177.158*q[0], 250 - 177.158*q[1]}
	}
	if got := d3(orb.Point{0, 0}); got != (orb.Point{480, 250}) {
		t.Errorf("d3 default (0,0) = %v", got)
	}
	if got := d3(orb.Point{180, 0}); math.Abs(got[0]-959.5012) > 1e-4 || got[1] != 250 {
		t.Errorf("d3 default (180,0) = %v, want [959.5012 250]", got)
	}
	if got := d3(orb.Point{0, 90}); math.Abs(got[1]-16.6186) > 1e-4 || got[0] != 480 {
		t.Errorf("d3 default (0,90) = %v, want [480 16.6186]", got)
	}
}

func TestEqualEarthSymmetryAndArea(t *testing.T) {
	const d = 0.01 // degrees
	for _, c := range []orb.Point{{0, 0}, {-75, 35}, {120, -47}, {179, 80}, {-10, -89}} {
		p := geo.EqualEarth(c)
		for _, s := range []struct{ in, want orb.Point }{
			{orb.Point{-c[0], c[1]}, orb.Point{-p[0], p[1]}},
			{orb.Point{c[0], -c[1]}, orb.Point{p[0], -p[1]}},
		} {
			if got := geo.EqualEarth(s.in); got != s.want {
				t.Errorf("EqualEarth(%v) = %v, want %v", s.in, got, s.want)
			}
		}
		// Equal area: a small cell's projected area is its area on the
		// unit sphere, Δλ·(sin φ2 − sin φ1).
		lat := min(c[1], 90-d)
		cell := orb.Ring{
			geo.EqualEarth(orb.Point{c[0], lat}), geo.EqualEarth(orb.Point{c[0] + d, lat}),
			geo.EqualEarth(orb.Point{c[0] + d, lat + d}), geo.EqualEarth(orb.Point{c[0], lat + d}),
		}
		cell = append(cell, cell[0])
		var area float64
		for i := range 4 {
			area += cell[i][0]*cell[i+1][1] - cell[i+1][0]*cell[i][1]
		}
		area /= 2
		r := math.Pi / 180
		want := d * r * (math.Sin((lat+d)*r) - math.Sin(lat*r))
		if math.Abs(area-want)/want > 1e-4 {
			t.Errorf("cell at %v: projected area %.6g, sphere %.6g", c, area, want)
		}
	}
	if p := geo.EqualEarth(orb.Point{math.NaN(), 0}); !math.IsNaN(p[0]) {
		t.Errorf("NaN longitude gave %v", p)
	}
}

func TestEqualEarthMultiPolygon(t *testing.T) {
	if geo.EqualEarthMultiPolygon(nil) != nil {
		t.Error("nil: want nil")
	}
	in := orb.MultiPolygon{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 4}, {4, 4}, {2, 2}}}}
	out := geo.EqualEarthMultiPolygon(in)
	if len(out) != 1 || len(out[0]) != 2 || len(out[0][0]) != 5 || len(out[0][1]) != 4 {
		t.Fatalf("structure %v", out)
	}
	if out[0][0][2] != geo.EqualEarth(orb.Point{10, 10}) || in[0][0][2] != (orb.Point{10, 10}) {
		t.Errorf("vertex %v, input %v", out[0][0][2], in[0][0][2])
	}
	if out[0][0].Orientation() != orb.CCW || out[0][1].Orientation() != orb.CW {
		t.Error("orientation not kept")
	}
}
