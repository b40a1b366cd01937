package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// Unproject is the inverse of Project: it maps a point of the unit-sphere
// plane back to lon/lat (WGS84 degrees, longitude wrapped to [-180°, 180°]),
// by Snyder's equations 14-8 to 14-11 (USGS Professional Paper 1395). Points
// beyond the projection's range are clamped to the poles.
func (a Albers) Unproject(q orb.Point) orb.Point {
	dx, dy := q[0], a.r0-q[1]
	s := 1.0
	if a.n < 0 {
		s = -1
	}
	r := s * math.Hypot(dx, dy)
	t := math.Atan2(s*dx, s*dy)
	sinLat := (a.c - r*r*a.n*a.n) / (2 * a.n)
	lat := math.Asin(math.Max(-1, math.Min(1, sinLat))) / rad
	lon := (a.lon0 + t/a.n) / rad
	lon = math.Mod(lon+540, 360) - 180
	return orb.Point{lon, lat}
}

func (in *Inset) unproject(q orb.Point) orb.Point {
	return in.Proj.Unproject(orb.Point{
		(q[0]-in.Offset[0])/in.Scale + in.origin[0],
		(q[1]-in.Offset[1])/in.Scale + in.origin[1],
	})
}

// Invert maps a plane point back to lon/lat (WGS84 degrees): through the
// first inset whose Bound holds the result. ok is false when no inset does
// (a point drawn in the sea between insets); p is then the inverse through
// the last inset (the lower 48 for AlbersUSA).
func (c Composite) Invert(q orb.Point) (p orb.Point, ok bool) {
	for i := range c {
		if p := c[i].unproject(q); c[i].Bound.Contains(p) {
			return p, true
		}
	}
	return c[len(c)-1].unproject(q), false
}

// InvertPolygon maps a plane polygon back to lon/lat (WGS84 degrees), all
// of it through one inset: the one that holds most of its vertices (the
// last inset when none holds any), so that a shape drawn on the map keeps
// its form. The result is a new polygon.
func (c Composite) InvertPolygon(poly orb.Polygon) orb.Polygon {
	votes := make([]int, len(c))
	for _, r := range poly {
		for _, q := range r {
			for i := range c {
				if c[i].Bound.Contains(c[i].unproject(q)) {
					votes[i]++
					break
				}
			}
		}
	}
	best := len(c) - 1
	for i, v := range votes {
		if v > votes[best] {
			best = i
		}
	}
	out := make(orb.Polygon, len(poly))
	for j, r := range poly {
		o := make(orb.Ring, len(r))
		for k, q := range r {
			o[k] = c[best].unproject(q)
		}
		out[j] = o
	}
	return out
}

// Polygon projects a lon/lat polygon (WGS84 degrees) to the plane as one
// piece, like MultiPolygon. The result is a new polygon.
func (c Composite) Polygon(p orb.Polygon) orb.Polygon {
	mp := c.MultiPolygon(orb.MultiPolygon{p})
	if len(mp) == 0 {
		return nil
	}
	return mp[0]
}
