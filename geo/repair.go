package geo

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// RingIssue is a problem found in one ring of a repaired geometry that
// cannot be repaired safely; the ring is kept as it is.
type RingIssue struct {
	Polygon int        // 0-based index of the polygon in the repaired MultiPolygon
	Ring    int        // 0-based ring index in that polygon: 0 is the exterior
	Err     *RingError // what is wrong, from [ValidateRing]
}

// RepairReport says what [RepairMultiPolygon] changed in one geometry and
// what it found but could not repair. Counts are of rings and points of the
// input.
type RepairReport struct {
	OpenRings       int // rings whose last point was not their first: closed
	DuplicatePoints int // consecutive repeated points removed
	Reversed        int // rings reversed: exteriors made counter-clockwise, holes clockwise
	DroppedRings    int // rings dropped: fewer than 4 points once closed, zero area or a non-finite coordinate (a dropped exterior's holes included)
	SplitPolygons   int // polygons split at the antimeridian (±180°)
	UnsplitPolygons int // polygons that cross the antimeridian but could not be split safely: kept as they are
	// Invalid lists the rings of the result that cross, touch or overlap
	// themselves (see ValidateRing); they are kept unchanged.
	Invalid []RingIssue
}

// Changed reports whether the repair closed, cleaned, dropped or split
// anything. Reversed rings do not count: a file that consistently uses the
// opposite convention (TopoJSON files written by d3 have clockwise
// exteriors) has no defect.
func (r RepairReport) Changed() bool {
	return r.OpenRings+r.DuplicatePoints+r.DroppedRings+r.SplitPolygons > 0
}

// Summary returns the changes counted by [RepairReport.Changed] in words for
// a person, such as "closed 1 open ring, removed 3 repeated points", or ""
// when there are none. Reversed rings, unsplit polygons and invalid rings
// are not included: callers report those separately.
func (r RepairReport) Summary() string {
	var parts []string
	plural := func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	if r.OpenRings > 0 {
		parts = append(parts, "closed "+plural(r.OpenRings, "open ring", "open rings"))
	}
	if r.DuplicatePoints > 0 {
		parts = append(parts, "removed "+plural(r.DuplicatePoints, "repeated point", "repeated points"))
	}
	if r.DroppedRings > 0 {
		parts = append(parts, "dropped "+plural(r.DroppedRings, "ring", "rings")+" with no area")
	}
	if r.SplitPolygons > 0 {
		parts = append(parts, "split "+plural(r.SplitPolygons, "polygon", "polygons")+" at the 180° meridian")
	}
	return strings.Join(parts, ", ")
}

// Polygonal returns g as a MultiPolygon when it is an area: an orb.Polygon
// (one element), an orb.MultiPolygon (shared, not copied) or an
// orb.Collection whose members are all polygons or multipolygons (their
// polygons in order). ok is false for nil, points, lines, an empty
// collection and a collection with a non-polygon member.
func Polygonal(g orb.Geometry) (mp orb.MultiPolygon, ok bool) {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}, true
	case orb.MultiPolygon:
		return g, true
	case orb.Collection:
		if len(g) == 0 {
			return nil, false
		}
		for _, m := range g {
			sub, ok := Polygonal(m)
			if !ok {
				return nil, false
			}
			mp = append(mp, sub...)
		}
		return mp, true
	}
	return nil, false
}

// RepairMultiPolygon returns a cleaned copy of mp and a report of what it
// did. mp is not modified. In order, for every ring:
//   - a ring with a NaN or infinite coordinate is dropped;
//   - consecutive repeated points are removed and an open ring is closed;
//   - a ring with fewer than 4 points is dropped.
//
// Then, when lonLat is true (coordinates are WGS84 degrees in lon/lat
// order), a polygon that crosses the antimeridian is split into parts with
// [SplitAntimeridian]. Every polygon is then oriented as
// planner.GeographyUnit and RFC 7946 section 3.1.6 want, exterior rings
// counter-clockwise and holes clockwise (orientation from the sign of the
// shoelace area), and rings whose area is zero (up to 1e-12 of their
// bounding box's, as [Topology.Features] does) are dropped, an exterior
// with its holes. Finally every ring kept is checked with [ValidateRing];
// one that crosses, touches or overlaps itself is reported in
// RepairReport.Invalid and kept unchanged, because no safe automatic repair
// exists. Holes lying outside their exterior and overlapping polygons are
// not detected. The result is nil when no polygon is left.
//
// Cost: O(n log n) for n points (dominated by ValidateRing).
func RepairMultiPolygon(mp orb.MultiPolygon, lonLat bool) (orb.MultiPolygon, RepairReport) {
	var rep RepairReport
	var out orb.MultiPolygon
	for _, poly := range mp {
		// Clean every ring; a dropped exterior takes its holes along.
		clean := make(orb.Polygon, 0, len(poly))
		for k, r := range poly {
			c := cleanRing(r, &rep)
			if c == nil {
				if k == 0 {
					rep.DroppedRings += len(poly) - 1
					clean = nil
					break
				}
				continue
			}
			clean = append(clean, c)
		}
		if len(clean) == 0 {
			continue
		}
		parts := []orb.Polygon{clean}
		counted := false
		if lonLat {
			ps, split, ok := SplitAntimeridian(clean)
			switch {
			case split:
				rep.SplitPolygons++
				parts, counted = ps, true
				if len(ps) == 0 {
					rep.DroppedRings += len(clean)
				}
				// SplitAntimeridian orients the parts itself, in unwrapped
				// coordinates: count the rings it had to reverse.
				for k, r := range clean {
					if u, encircles := unwrapRing(r); !encircles {
						if o := ringOrientation(u); o != 0 && (k == 0) != (o == orb.CCW) {
							rep.Reversed++
						}
					}
				}
			case !ok:
				rep.UnsplitPolygons++
			}
		}
		for _, p := range parts {
			counts := &rep
			if counted {
				counts = nil // slivers along the cut are not the file's rings
			}
			if p = orientPolygon(p, counts); len(p) > 0 {
				out = append(out, p)
			}
		}
	}
	for i, p := range out {
		for k, r := range p {
			if err := ValidateRing(r); err != nil {
				if re, ok := err.(*RingError); ok {
					rep.Invalid = append(rep.Invalid, RingIssue{Polygon: i, Ring: k, Err: re})
				}
			}
		}
	}
	return out, rep
}

// cleanRing returns a copy of r without consecutive repeated points, closed,
// or nil when it has a non-finite coordinate or fewer than 4 points.
func cleanRing(r orb.Ring, rep *RepairReport) orb.Ring {
	for _, p := range r {
		if !finite(p) {
			rep.DroppedRings++
			return nil
		}
	}
	c := make(orb.Ring, 0, len(r)+1)
	for i, p := range r {
		if i > 0 && p == r[i-1] {
			rep.DuplicatePoints++
			continue
		}
		c = append(c, p)
	}
	if len(c) > 0 && c[0] != c[len(c)-1] {
		// A ring of one repeated point is closed by definition; a ring
		// whose last point differs from its first is open.
		rep.OpenRings++
		c = append(c, c[0])
	}
	if len(c) < 4 {
		rep.DroppedRings++
		return nil
	}
	return c
}

// orientPolygon orients p's rings (exterior CCW, holes CW) in place and
// drops zero-area rings; a zero-area exterior drops the polygon (nil). When
// rep is not nil, reversals and drops are counted in it.
func orientPolygon(p orb.Polygon, rep *RepairReport) orb.Polygon {
	if len(p) == 0 {
		return nil
	}
	out := p[:0:0]
	for k, r := range p {
		o := ringOrientation(r)
		if o == 0 {
			if k == 0 {
				if rep != nil {
					rep.DroppedRings += len(p)
				}
				return nil
			}
			if rep != nil {
				rep.DroppedRings++
			}
			continue
		}
		if (k == 0) != (o == orb.CCW) {
			r = reversed(r)
			if rep != nil {
				rep.Reversed++
			}
		}
		out = append(out, r)
	}
	return out
}

// reversed returns a reversed copy of r.
func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}
