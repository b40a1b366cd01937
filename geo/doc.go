// Package geo holds Meridian's reusable, domain-free geometry code,
// including a TopoJSON decoder ([ReadTopology]) that yields
// github.com/paulmach/orb geometries and a static polygon spatial index
// ([PolygonIndex]) for point-in-polygon look-ups and nearest-boundary
// snapping.
//
// Coordinates are plain float64 pairs. Data decoded from TopoJSON files is in
// whatever coordinate system the file uses; for the usual us-atlas and
// world-atlas files that is WGS84 longitude/latitude in degrees, in lon/lat
// order. The index works in the planar units of its input (degrees treated as
// a flat plane, or projected units) and does no spherical math.
//
// Errors returned by this package are prefixed with "geo: ".
package geo
