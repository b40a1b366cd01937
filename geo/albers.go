package geo

import (
	"math"

	"github.com/paulmach/orb"
)

const rad = math.Pi / 180

// Albers is the spherical Albers equal-area conic projection, from Snyder,
// "Map Projections: A Working Manual" (USGS Professional Paper 1395, 1987),
// equations 14-1 to 14-6. Create it with NewAlbers.
type Albers struct {
	lon0     float64 // central meridian, radians
	n, c, r0 float64
}

// NewAlbers returns the projection with central meridian lon0, latitude of
// origin lat0 and standard parallels lat1 and lat2, all in degrees.
func NewAlbers(lon0, lat0, lat1, lat2 float64) Albers {
	s1, s2 := math.Sin(lat1*rad), math.Sin(lat2*rad)
	n := (s1 + s2) / 2
	c := math.Cos(lat1*rad)*math.Cos(lat1*rad) + 2*n*s1
	a := Albers{lon0: lon0 * rad, n: n, c: c}
	a.r0 = math.Sqrt(c-2*n*math.Sin(lat0*rad)) / n
	return a
}

// Project maps p (WGS84 degrees, lon/lat) to the plane of a unit sphere
// (radius 1): x east, y north, origin at (lon0, lat0). Longitudes are taken
// relative to the central meridian and wrapped to [-180°, 180°), so features
// that cross the antimeridian stay in one piece.
func (a Albers) Project(p orb.Point) orb.Point {
	dl := p[0]*rad - a.lon0
	dl = math.Mod(dl+3*math.Pi, 2*math.Pi) - math.Pi
	r := math.Sqrt(math.Max(0, a.c-2*a.n*math.Sin(p[1]*rad))) / a.n
	t := a.n * dl
	return orb.Point{r * math.Sin(t), a.r0 - r*math.Cos(t)}
}

// Projector is a map projection onto the plane of a unit sphere (radius
// 1, x east, y north): Albers and EqualEarthProjection.
type Projector interface {
	// Project maps p (WGS84 degrees, lon/lat) to the plane.
	Project(p orb.Point) orb.Point
	// Unproject maps a plane point back to lon/lat degrees.
	Unproject(q orb.Point) orb.Point
}

// Inset is one part of a composite map: the places it shows (a lon/lat
// bound, WGS84 degrees), its projection, and where it is drawn.
type Inset struct {
	Name   string
	Bound  orb.Bound // lon/lat box of the places drawn in this inset
	Proj   Projector
	Center orb.Point // lon/lat point placed at Offset
	Scale  float64   // plane units per unit-sphere unit
	Offset orb.Point // plane position of Center
	origin orb.Point // Proj.Project(Center), cached
}

// Composite is a projection made of insets, like an atlas page of the United
// States with Alaska and Hawaii moved next to the lower 48. The first inset
// whose Bound holds a feature's anchor point draws it. A point in no inset is
// not on the map (Point says so); a polygon or line in no inset is drawn by
// the last inset, so that no feature is lost. Output is a y-up plane.
type Composite []Inset

// AlbersUSA is the composite used for US maps, about 1,000 plane units wide:
// the lower 48 in an Albers conic with parallels 29.5° and 45.5°, Alaska at
// 0.35 scale and Hawaii below the south-west, with the parameters of d3-geo's
// geoAlbersUsa (github.com/d3/d3-geo, src/projection/albersUsa.js); Puerto
// Rico with the US Virgin Islands, Guam with the Northern Mariana Islands,
// and American Samoa are added as insets along the bottom so that no county
// equivalent is left off the map.
var AlbersUSA = NewComposite(
	Inset{Name: "Alaska", Bound: orb.Bound{Min: orb.Point{-180, 50}, Max: orb.Point{-129, 72}},
		Proj: NewAlbers(-154, 0, 55, 65), Center: orb.Point{-156, 58.5}, Scale: 350, Offset: orb.Point{-307, -201}},
	Inset{Name: "Alaska (west of 180°)", Bound: orb.Bound{Min: orb.Point{170, 50}, Max: orb.Point{180, 56}},
		Proj: NewAlbers(-154, 0, 55, 65), Center: orb.Point{-156, 58.5}, Scale: 350, Offset: orb.Point{-307, -201}},
	Inset{Name: "Hawaii", Bound: orb.Bound{Min: orb.Point{-161, 18}, Max: orb.Point{-154, 23}},
		Proj: NewAlbers(-157, 0, 8, 18), Center: orb.Point{-160, 19.9}, Scale: 1000, Offset: orb.Point{-205, -212}},
	Inset{Name: "Puerto Rico and US Virgin Islands", Bound: orb.Bound{Min: orb.Point{-68, 17}, Max: orb.Point{-64, 19}},
		Proj: NewAlbers(-66, 0, 8, 18), Center: orb.Point{-66, 18}, Scale: 1000, Offset: orb.Point{340, -225}},
	Inset{Name: "Guam and Northern Mariana Islands", Bound: orb.Bound{Min: orb.Point{144, 13}, Max: orb.Point{147, 21}},
		Proj: NewAlbers(145, 0, 8, 18), Center: orb.Point{145.5, 17}, Scale: 700, Offset: orb.Point{-40, -240}},
	Inset{Name: "American Samoa", Bound: orb.Bound{Min: orb.Point{-171.5, -15}, Max: orb.Point{-168, -10}},
		Proj: NewAlbers(-170, 0, -8, -18), Center: orb.Point{-170, -14.2}, Scale: 1000, Offset: orb.Point{10, -260}},
	Inset{Name: "Lower 48", Bound: orb.Bound{Min: orb.Point{-128, 23}, Max: orb.Point{-64, 51}},
		Proj: NewAlbers(-96, 0, 29.5, 45.5), Center: orb.Point{-96.6, 38.7}, Scale: 1000, Offset: orb.Point{0, 0}},
)

// NewComposite returns a Composite of the insets, with their origins cached.
func NewComposite(insets ...Inset) Composite {
	c := make(Composite, len(insets))
	for i, in := range insets {
		in.origin = in.Proj.Project(in.Center)
		c[i] = in
	}
	return c
}

// inset returns the inset that draws anchor (lon/lat), or nil.
func (c Composite) inset(anchor orb.Point) *Inset {
	for i := range c {
		if c[i].Bound.Contains(anchor) {
			return &c[i]
		}
	}
	return nil
}

// insetOrLast returns the inset that draws anchor, or the last one.
func (c Composite) insetOrLast(anchor orb.Point) *Inset {
	if in := c.inset(anchor); in != nil {
		return in
	}
	return &c[len(c)-1]
}

func (in *Inset) project(p orb.Point) orb.Point {
	q := in.Proj.Project(p)
	return orb.Point{(q[0]-in.origin[0])*in.Scale + in.Offset[0], (q[1]-in.origin[1])*in.Scale + in.Offset[1]}
}

// Point projects a lon/lat point (WGS84 degrees) to the plane; ok is false
// when no inset shows p (a hospital in Palau on a US map, say), and the
// point should not be drawn.
func (c Composite) Point(p orb.Point) (q orb.Point, ok bool) {
	in := c.inset(p)
	if in == nil {
		return orb.Point{}, false
	}
	return in.project(p), true
}

// MultiPolygon projects a lon/lat multipolygon to the plane as one piece: the
// inset is chosen by the centre of the bound of its largest part, so a
// county that spans the antimeridian or has far islands is drawn whole. The
// result is a new multipolygon; mp is not changed.
func (c Composite) MultiPolygon(mp orb.MultiPolygon) orb.MultiPolygon {
	if len(mp) == 0 {
		return nil
	}
	in := c.insetOrLast(largestPartCenter(mp))
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = in.project(p)
			}
			out[i][j] = r
		}
	}
	return out
}

// MultiLineString projects lon/lat lines (WGS84 degrees) to the plane, each
// line in the inset of its middle vertex.
func (c Composite) MultiLineString(ml orb.MultiLineString) orb.MultiLineString {
	out := make(orb.MultiLineString, 0, len(ml))
	for _, ls := range ml {
		if len(ls) == 0 {
			continue
		}
		in := c.insetOrLast(ls[len(ls)/2])
		l := make(orb.LineString, len(ls))
		for k, p := range ls {
			l[k] = in.project(p)
		}
		out = append(out, l)
	}
	return out
}
