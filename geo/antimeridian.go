package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// This file splits lon/lat polygons that cross the antimeridian (±180°) into
// parts that each lie within [-180°, 180°], the approach of d3-geo's
// clipAntimeridian (https://github.com/d3/d3-geo, src/clip/antimeridian.js)
// and of the Python "antimeridian" package by Pete Gadomski
// (https://github.com/gadomski/antimeridian), done in the plane:
//
//  1. each ring is unwrapped: whenever two consecutive points are more than
//     180° of longitude apart, the rest of the ring is shifted by 360° so
//     that it continues on the same side (RFC 7946 section 3.1.9 asks
//     writers to cut such rings; many files do not);
//  2. a ring that, once unwrapped, ends 360° from where it started encircles
//     a pole: it is closed along the pole's parallel (±90°), the pole on the
//     side of the ring's mean latitude (Antarctica);
//  3. the unwrapped polygon is cut by every meridian 180°+k·360° it spans;
//     along a cut line the crossing points, sorted by latitude, pair up as
//     the ends of the polygon's inside stretches (even-odd rule), and each
//     side's chains are joined along those stretches;
//  4. each part is shifted by a multiple of 360° back into [-180°, 180°].
//
// A part's planar point-in-polygon test then agrees with the sphere's for
// points off the cut, and its bound is no wider than 360°.

// crossesAntimeridian reports whether a ring of a lon/lat polygon has two
// consecutive points more than 180° of longitude apart, or a longitude
// outside [-180, 180].
func crossesAntimeridian(poly orb.Polygon) bool {
	for _, r := range poly {
		for i, p := range r {
			if p[0] < -180 || p[0] > 180 {
				return true
			}
			if i > 0 && jumps(r[i-1], p) {
				return true
			}
		}
	}
	return false
}

// jumps reports whether the step from a to b crosses the antimeridian: more
// than 180° of longitude, unless both points lie on the same pole's line
// (|latitude| within 0.01° of 90°), where a polygon already cut at ±180°
// (Antarctica in world-atlas) runs along the bottom of the map.
func jumps(a, b orb.Point) bool {
	if math.Abs(b[0]-a[0]) <= 180 {
		return false
	}
	return !(math.Abs(a[1]) > 89.99 && math.Abs(b[1]) > 89.99 && (a[1] > 0) == (b[1] > 0))
}

// SplitAntimeridian splits a lon/lat polygon (WGS84 degrees, lon/lat order;
// closed rings, first ring the exterior) whose rings cross the antimeridian
// (a jump of more than 180° of longitude between consecutive points, or
// longitudes beyond ±180°, as in files written in 0..360°) into polygons
// that each lie within longitudes [-180, 180], with exterior rings
// counter-clockwise and holes clockwise. See the comment at the top of
// antimeridian.go for the method (after d3-geo's clipAntimeridian).
//
// split is false, and the result is poly itself, when no ring crosses. ok is
// false, and the result is poly itself, when the polygon cannot be split
// safely: coordinates beyond ±540° of longitude or ±90.5° of latitude (not
// lon/lat degrees), a polygon spanning more than three cut lines, or ring
// crossings that do not pair up (a self-intersecting ring). Parts may include
// zero-area slivers along the cut, which callers drop (see
// [RepairMultiPolygon]). It does not modify poly.
func SplitAntimeridian(poly orb.Polygon) (parts []orb.Polygon, split, ok bool) {
	if len(poly) == 0 || !crossesAntimeridian(poly) {
		return []orb.Polygon{poly}, false, true
	}
	for _, r := range poly {
		for _, p := range r {
			if !finite(p) || math.Abs(p[0]) > 540 || math.Abs(p[1]) > 90.5 {
				return []orb.Polygon{poly}, false, false
			}
		}
	}

	// A ring that only runs along a pole's line, with a ring around that
	// pole (d3's form of Antarctica: the exterior is the pole line and the
	// coastline comes second), is the pole's side of the coastline: the
	// coastline becomes the exterior, closed at the pole below.
	if onPoleLine(poly[0]) {
		for k := 1; k < len(poly); k++ {
			if _, enc := unwrapRing(poly[k]); enc {
				rest := append(orb.Polygon{poly[k]}, poly[1:k]...)
				poly = append(rest, poly[k+1:]...)
				break
			}
		}
	}

	// 1-2: unwrap, closing pole-encircling rings; orient.
	un := make(orb.Polygon, 0, len(poly))
	for k, r := range poly {
		if k > 0 && onPoleLine(r) {
			continue
		}
		u, encircles := unwrapRing(r)
		if len(u) < 4 {
			if k == 0 {
				return []orb.Polygon{poly}, false, false
			}
			continue
		}
		if encircles {
			if k > 0 {
				continue // a hole around a pole inside an exterior: meaningless in the plane
			}
			u = closeAtPole(u)
		}
		o := ringOrientation(u)
		if o == 0 {
			if k == 0 {
				return nil, true, true // the whole polygon has no area
			}
			continue
		}
		if (k == 0) != (o == orb.CCW) {
			u.Reverse()
		}
		un = append(un, u)
	}
	ext := un[0].Bound()
	for k := 1; k < len(un); k++ {
		// Put each hole in the same 360° turn as the exterior.
		d := un[k].Bound().Center()[0] - ext.Center()[0]
		if s := 360 * math.Round(d/360); s != 0 {
			un[k] = shiftRing(un[k], -s)
		}
	}

	// 3: cut at each meridian 180 + k*360 strictly inside the bound.
	var cuts []float64
	for k := math.Ceil((ext.Min[0] - 180) / 360); 180+360*k < ext.Max[0]; k++ {
		if c := 180 + 360*k; c > ext.Min[0] {
			cuts = append(cuts, c)
		}
		if len(cuts) > 3 {
			return []orb.Polygon{poly}, false, false
		}
	}
	parts = []orb.Polygon{un}
	for _, c := range cuts {
		var next []orb.Polygon
		for _, p := range parts {
			q, ok := splitAt(p, c)
			if !ok {
				return []orb.Polygon{poly}, false, false
			}
			next = append(next, q...)
		}
		parts = next
	}

	// 4: shift back into [-180, 180].
	for i, p := range parts {
		cx := p[0].Bound().Center()[0]
		if s := 360 * math.Floor((cx+180)/360); s != 0 {
			q := make(orb.Polygon, len(p))
			for k, r := range p {
				q[k] = shiftRing(r, -s)
			}
			parts[i] = q
		}
	}
	return parts, true, true
}

// unwrapRing returns r with longitudes made continuous (no step of more than
// 180°), and whether the unwrapped ring ends a multiple of 360° away from its
// start (it encircles a pole). r is a closed ring.
func unwrapRing(r orb.Ring) (orb.Ring, bool) {
	u := make(orb.Ring, len(r))
	off := 0.0
	for i, p := range r {
		if i > 0 && jumps(r[i-1], p) {
			off -= 360 * math.Round((p[0]-r[i-1][0])/360)
		}
		u[i] = orb.Point{p[0] + off, p[1]}
	}
	return u, off != 0
}

// onPoleLine reports whether every point of r lies within 0.01° of one
// pole's latitude.
func onPoleLine(r orb.Ring) bool {
	if len(r) == 0 {
		return false
	}
	north := r[0][1] > 0
	for _, p := range r {
		if math.Abs(p[1]) <= 89.99 || (p[1] > 0) != north {
			return false
		}
	}
	return true
}

// closeAtPole closes an unwrapped pole-encircling ring u (which ends 360°
// away from its start) along the pole on the side of its mean latitude.
func closeAtPole(u orb.Ring) orb.Ring {
	var sum float64
	for _, p := range u {
		sum += p[1]
	}
	pole := 90.0
	if sum < 0 {
		pole = -90
	}
	first, last := u[0], u[len(u)-1]
	return append(u, orb.Point{last[0], pole}, orb.Point{first[0], pole}, first)
}

// shiftRing returns a copy of r moved by dx in longitude.
func shiftRing(r orb.Ring, dx float64) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[i] = orb.Point{p[0] + dx, p[1]}
	}
	return out
}

// sides counts a ring's points strictly west and strictly east of x = c.
func sides(r orb.Ring, c float64) (west, east int) {
	for _, p := range r {
		switch {
		case p[0] < c:
			west++
		case p[0] > c:
			east++
		}
	}
	return west, east
}

// cutPoint returns where segment p-q crosses x = c (an end point when it
// lies on the line), computed from the western end so that both directions
// of a segment give the same point.
func cutPoint(p, q orb.Point, c float64) orb.Point {
	switch {
	case p[0] == c:
		return p
	case q[0] == c:
		return q
	}
	if p[0] > q[0] {
		p, q = q, p
	}
	t := (c - p[0]) / (q[0] - p[0])
	return orb.Point{c, p[1] + t*(q[1]-p[1])}
}

// splitAt splits an oriented polygon (exterior CCW, holes CW) by the line
// x = c into polygons on each side. Points on the line count as east. ok is
// false when the crossings do not pair up consistently.
func splitAt(poly orb.Polygon, c float64) ([]orb.Polygon, bool) {
	if w, e := sides(poly[0], c); w == 0 || e == 0 {
		return []orb.Polygon{poly}, true
	}
	type chain struct {
		pts        []orb.Point
		east       bool
		start, end int // crossing indices
	}
	type crossing struct {
		p          orb.Point
		startChain int // the chain that begins here
	}
	var chains []chain
	var crossings []crossing
	var holes [2][]orb.Ring // [west, east] holes that do not cross

	for k, r := range poly {
		if k > 0 {
			w, e := sides(r, c)
			if e == 0 {
				holes[0] = append(holes[0], r)
				continue
			}
			if w == 0 {
				holes[1] = append(holes[1], r)
				continue
			}
		}
		n := len(r) - 1 // closed ring: r[n] == r[0]
		s := slices.IndexFunc(r[:n], func(p orb.Point) bool { return p[0] < c })
		if n < 3 || s < 0 {
			return nil, false
		}
		first := len(chains)
		cur := chain{pts: []orb.Point{r[s]}, start: -1}
		for i := range n {
			p, q := r[(s+i)%n], r[(s+i+1)%n]
			if pe, qe := p[0] >= c, q[0] >= c; pe != qe {
				x := cutPoint(p, q, c)
				if cur.pts[len(cur.pts)-1] != x {
					cur.pts = append(cur.pts, x)
				}
				ci := len(crossings)
				cur.end = ci
				chains = append(chains, cur)
				crossings = append(crossings, crossing{p: x, startChain: len(chains)})
				cur = chain{pts: []orb.Point{x}, east: qe, start: ci}
			}
			if cur.pts[len(cur.pts)-1] != q {
				cur.pts = append(cur.pts, q)
			}
		}
		// cur is the western chain that ends at r[s]: join it to the
		// ring's first chain, which starts there.
		if len(chains) == first || cur.east {
			return nil, false
		}
		chains[first].pts = append(cur.pts, chains[first].pts[1:]...)
		chains[first].start = cur.start
		crossings[cur.start].startChain = first
	}
	if len(crossings)%2 != 0 {
		return nil, false
	}

	// Pair the crossings along the line by latitude.
	order := make([]int, len(crossings))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(crossings[a].p[1], crossings[b].p[1]) })
	partner := make([]int, len(crossings))
	for i := 0; i < len(order); i += 2 {
		partner[order[i]], partner[order[i+1]] = order[i+1], order[i]
	}

	var parts [2][]orb.Polygon
	visited := make([]bool, len(chains))
	for i := range chains {
		if visited[i] {
			continue
		}
		var ring orb.Ring
		j := i
		for steps := 0; ; steps++ {
			if visited[j] || steps > len(chains) {
				return nil, false
			}
			visited[j] = true
			pts := chains[j].pts
			if len(ring) > 0 && ring[len(ring)-1] == pts[0] {
				pts = pts[1:]
			}
			ring = append(ring, pts...)
			nj := crossings[partner[chains[j].end]].startChain
			if nj < 0 || nj >= len(chains) || chains[nj].east != chains[i].east {
				return nil, false
			}
			if nj == i {
				break
			}
			j = nj
		}
		if ring[0] != ring[len(ring)-1] {
			ring = append(ring, ring[0])
		}
		side := 0
		if chains[i].east {
			side = 1
		}
		parts[side] = append(parts[side], orb.Polygon{ring})
	}

	// Give each hole that does not cross to the part that contains it.
	for side := range 2 {
		for _, h := range holes[side] {
			at := slices.IndexFunc(h, func(p orb.Point) bool { return p[0] != c })
			if at < 0 {
				continue
			}
			for k := range parts[side] {
				if planar.RingContains(parts[side][k][0], h[at]) {
					parts[side][k] = append(parts[side][k], h)
					break
				}
			}
		}
	}
	return append(parts[0], parts[1]...), true
}
