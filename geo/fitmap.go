package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// EqualEarthProjection is [EqualEarth] as a Projector, with its inverse.
type EqualEarthProjection struct{}

// Project is [EqualEarth].
func (EqualEarthProjection) Project(p orb.Point) orb.Point { return EqualEarth(p) }

// Unproject inverts [EqualEarth] by Newton's method on θ (as d3-geo's
// geoEqualEarthRaw.invert does), to 1e-12 radians in at most 12 steps;
// points beyond the map's edge give longitudes beyond ±180°.
func (EqualEarthProjection) Unproject(q orb.Point) orb.Point {
	th := q[1]
	t2 := th * th
	t6 := t2 * t2 * t2
	for range 12 {
		fy := th*(eeA1+eeA2*t2+t6*(eeA3+eeA4*t2)) - q[1]
		fpy := eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)
		d := fy / fpy
		th -= d
		t2 = th * th
		t6 = t2 * t2 * t2
		if math.Abs(d) < 1e-12 {
			break
		}
	}
	lam := eeM * q[0] * (eeA1 + 3*eeA2*t2 + t6*(7*eeA3+9*eeA4*t2)) / math.Cos(th)
	phi := math.Asin(max(-1, min(1, math.Sin(th)/eeM)))
	return orb.Point{lam / rad, phi / rad}
}

// mapWidth is the plane width FitMap aims at, in plane units, as AlbersUSA
// (about 1,000 units wide), so that snapping grids and line widths tuned
// for it hold for every map.
const mapWidth = 1000

// FitMap returns the projection for a map of units (WGS84 lon/lat
// multipolygons, split at the antimeridian):
//   - AlbersUSA when at least 90% of the units with a shape lie in its
//     insets (the US counties or states, with Alaska, Hawaii and the
//     island areas moved next to the lower 48);
//   - Equal Earth centred on Greenwich when the units span more than 150°
//     of longitude or 70° of latitude (a world map);
//   - else an Albers equal-area conic fitted to the units' bound: central
//     meridian and latitude of origin at its centre, standard parallels
//     one sixth of the latitude span inside its edges (Snyder, "Map
//     Projections: A Working Manual", 1987, p. 99).
//
// A single-inset map has Scale set so that the units span about 1,000
// plane units across (see Composite.KmPerUnit). With no shape at all it
// returns AlbersUSA.
func FitMap(units []orb.MultiPolygon) Composite {
	var b orb.Bound
	n, inUS := 0, 0
	for _, mp := range units {
		if len(mp) == 0 {
			continue
		}
		ub := mp.Bound()
		if n == 0 {
			b = ub
		} else {
			b = b.Union(ub)
		}
		n++
		if AlbersUSA.inset(largestPartCenter(mp)) != nil {
			inUS++
		}
	}
	if n == 0 || inUS*10 >= n*9 {
		return AlbersUSA
	}
	in := Inset{Bound: orb.Bound{Min: orb.Point{-540, -90}, Max: orb.Point{540, 90}}, Center: b.Center()}
	lonSpan, latSpan := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if lonSpan > 150 || latSpan > 70 {
		in.Name = "at the equator, Equal Earth"
		in.Proj = EqualEarthProjection{}
		in.Center = orb.Point{0, 0}
	} else {
		c := b.Center()
		in.Name = "Albers equal-area"
		in.Proj = NewAlbers(c[0], c[1], b.Min[1]+latSpan/6, b.Max[1]-latSpan/6)
	}
	// The projected width at scale 1, from the units' vertices.
	x0, x1 := math.Inf(1), math.Inf(-1)
	for _, mp := range units {
		for _, poly := range mp {
			if len(poly) == 0 {
				continue
			}
			for _, p := range poly[0] {
				x := in.Proj.Project(p)[0]
				x0, x1 = min(x0, x), max(x1, x)
			}
		}
	}
	in.Scale = 1
	if w := x1 - x0; w > 0 && !math.IsInf(w, 0) {
		in.Scale = mapWidth / w
	}
	return NewComposite(in)
}

// largestPartCenter returns the centre of the bound of the exterior ring of
// mp's largest part (by bound area): the anchor Composite uses to pick an
// inset; (0, 0) when mp has no ring.
func largestPartCenter(mp orb.MultiPolygon) orb.Point {
	best, area := -1, -1.0
	for i, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		b := poly[0].Bound()
		if a := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1]); a > area {
			best, area = i, a
		}
	}
	if best < 0 {
		return orb.Point{}
	}
	return mp[best][0].Bound().Center()
}

// KmPerUnit returns the ground distance of one plane unit of the map's
// last (main) inset at its projection's standard scale: the Earth's mean
// radius, 6,371 km, over the inset's Scale (for AlbersUSA, 6.371 km).
func (c Composite) KmPerUnit() float64 {
	if len(c) == 0 || c[len(c)-1].Scale == 0 {
		return 0
	}
	return 6371 / c[len(c)-1].Scale
}
