package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Coefficients of the Equal Earth projection (Šavrič, Patterson and Jenny
// 2018, equations 2 and 3).
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

// eeM is √3/2, the M of the paper.
var eeM = math.Sqrt(3) / 2

// EqualEarth projects p (WGS84 lon/lat degrees) with the Equal Earth
// projection of Bojan Šavrič, Tom Patterson and Bernhard Jenny, "The Equal
// Earth map projection", International Journal of Geographical Information
// Science 33(3), 2019 (online 2018), doi:10.1080/13658816.2018.1504949:
//
//	sin θ = (√3/2) sin φ
//	x = 2√3 λ cos θ / (3 (9 A4 θ⁸ + 7 A3 θ⁶ + 3 A2 θ² + A1))
//	y = A4 θ⁹ + A3 θ⁷ + A2 θ³ + A1 θ
//
// with λ, φ in radians and A1 = 1.340264, A2 = −0.081106, A3 = 0.000893,
// A4 = 0.003796; the same formula as d3-geo's geoEqualEarthRaw. The result
// is on the plane of a unit sphere (radius 1), x east and y north, origin at
// (0°, 0°): x spans ±2.70663 at the equator and y ±1.31736 at the poles.
// The projection is equal-area: planar areas are areas on the unit sphere.
//
// Longitudes are used as given, not wrapped: ±180° are the left and right
// edges of the map; latitudes are clamped to [−90°, 90°]. No antimeridian
// cutting is done, so a ring that crosses ±180° (Fiji, Russia, Antarctica in
// world-atlas) comes out stretched across the map. NaN or infinite input
// gives NaN output.
func EqualEarth(p orb.Point) orb.Point {
	lam := p[0] * rad
	phi := max(-90, min(90, p[1])) * rad
	if math.IsNaN(p[1]) {
		phi = math.NaN()
	}
	th := math.Asin(eeM * math.Sin(phi))
	t2 := th * th
	t6 := t2 * t2 * t2
	x := lam * math.Cos(th) / (eeM * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)))
	y := th * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return orb.Point{x, y}
}

// EqualEarthMultiPolygon projects every vertex of mp (WGS84 lon/lat
// degrees) with [EqualEarth] to the unit-sphere plane. The result is a new
// multipolygon with the same structure; mp is not changed. Ring orientation
// is kept (the projection preserves it). nil gives nil.
func EqualEarthMultiPolygon(mp orb.MultiPolygon) orb.MultiPolygon {
	if mp == nil {
		return nil
	}
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = EqualEarth(p)
			}
			out[i][j] = r
		}
	}
	return out
}
