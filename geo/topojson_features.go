package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// RawFeatures converts the named object to features like [Topology.Features]
// (one per member of a GeometryCollection object, in file order; IDs and
// properties as documented on [Feature]) but leaves polygon rings exactly as
// the arcs give them: rings are not closed, not re-oriented and degenerate
// rings are not dropped. An importer that must report what it repairs
// passes the result to [RepairMultiPolygon]; a ring that crosses the
// antimeridian keeps its ±180° jump (Features would orient such a ring by
// its planar area, which is meaningless for it).
//
// Coordinates are in the topology's coordinate system (WGS84 lon/lat degrees
// for us-atlas and world-atlas). It returns an error (prefixed "geo: ") when
// the topology has no object with that name.
func (t *Topology) RawFeatures(object string) ([]Feature, error) {
	return t.features(object, t.rawGeometry)
}

// rawGeometry is [Topology.geometry] without polygon normalisation.
func (t *Topology) rawGeometry(g *topoGeometry) orb.Geometry {
	switch g.typ {
	case "Polygon":
		return t.rawPolygon(g.arcs2)
	case "MultiPolygon":
		mp := make(orb.MultiPolygon, 0, len(g.arcs3))
		for _, p := range g.arcs3 {
			mp = append(mp, t.rawPolygon(p))
		}
		return mp
	case "GeometryCollection":
		c := make(orb.Collection, 0, len(g.children))
		for _, ch := range g.children {
			if geom := t.rawGeometry(ch); geom != nil {
				c = append(c, geom)
			}
		}
		return c
	default:
		return t.geometry(g)
	}
}

// rawPolygon concatenates the arcs of each ring (see [Topology.line]).
func (t *Topology) rawPolygon(rings [][]int) orb.Polygon {
	poly := make(orb.Polygon, 0, len(rings))
	for _, idx := range rings {
		poly = append(poly, orb.Ring(slices.Clip(t.line(idx))))
	}
	return poly
}
