package mapview

import (
	"image/color"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
)

// Default colours. All colours given to the package are non-premultiplied
// (color.NRGBA); they are premultiplied once when stored.
var (
	// DefaultBackground is the light grey-blue "water" colour drawn where
	// there is no area.
	DefaultBackground = color.NRGBA{R: 0xdc, G: 0xe4, B: 0xec, A: 0xff}
	// DefaultFill is the neutral grey used for an area or point whose colour
	// is missing (colour slice shorter than the geometry slice).
	DefaultFill = color.NRGBA{R: 0xbd, G: 0xbd, B: 0xbd, A: 0xff}
	// DefaultAreaStroke is the colour of the thin border drawn around every
	// area: semi-transparent white.
	DefaultAreaStroke = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xb4}
	// DefaultPointOutline is the colour of the thin outline around points.
	DefaultPointOutline = color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xd0}
)

const (
	// DefaultAreaStrokeWidth is the width of area borders in device pixels.
	DefaultAreaStrokeWidth = 0.5
	// DefaultPointOutlineWidth is the width of the point outline in
	// device-independent pixels.
	DefaultPointOutlineWidth = 0.8
	// DefaultPointRadius is the radius of points, in device-independent
	// pixels, when none is given (see Layers.PointsSized).
	DefaultPointRadius = 3
)

// prgba is a premultiplied colour with 8-bit channels.
type prgba struct{ r, g, b, a uint32 }

func premul(c color.NRGBA) prgba {
	a := uint32(c.A)
	return prgba{
		r: (uint32(c.R)*a + 127) / 255,
		g: (uint32(c.G)*a + 127) / 255,
		b: (uint32(c.B)*a + 127) / 255,
		a: a,
	}
}

// packed returns the colour as the 4 bytes of an image.RGBA pixel read as a
// little-endian uint32.
func (c prgba) packed() uint32 { return c.r | c.g<<8 | c.b<<16 | c.a<<24 }

// scale multiplies the colour by f in [0,1].
func (c prgba) scale(f float64) prgba {
	if f >= 1 {
		return c
	}
	if f <= 0 {
		return prgba{}
	}
	return prgba{
		r: uint32(float64(c.r)*f + 0.5),
		g: uint32(float64(c.g)*f + 0.5),
		b: uint32(float64(c.b)*f + 0.5),
		a: uint32(float64(c.a)*f + 0.5),
	}
}

// scene is an immutable snapshot of everything Render needs. Setters build a
// new scene (sharing the slices that did not change) and swap the pointer, so
// a render running in the background keeps a consistent view of the layers
// without holding a lock.
type scene struct {
	// Areas. geoms is the caller's geometry, used for hit-testing; the
	// renderer uses the flattened, orientation-normalised copy in area
	// (item i is area i, its paths are its rings).
	geoms  []orb.MultiPolygon
	geomID uint64 // identifies the area geometry (for the mask cache)
	area   pathSet
	// areaDup is the area.dup of the geometry alone (shared borders);
	// area.dup adds the segments under the line overlay (see coverAreaEdges).
	areaDup []bool
	bounds  []orb.Bound // per area; empty areas get an inverted bound
	all     orb.Bound   // union of the area bounds
	hasAll  bool
	fills   []prgba
	index   *gridIndex
	order   []int32 // areas by decreasing max y: the drawing order
	// orderBounds holds bounds in the drawing order (orderBounds[k] is
	// bounds[order[k]]), so that a render finds the visible areas in one
	// pass over memory in address order (see cullAreas).
	orderBounds []orb.Bound

	// lines is the overlay drawn over the areas (e.g. state borders),
	// outlines the line sets drawn over it (e.g. territory outlines); nil
	// when empty.
	lines    *lineLayer
	outlines *lineLayer
	// linesHidden marks the chunks of lines that lie under the outlines
	// (see hideLinesUnderOutlines); nil when none.
	linesHidden *chunkMask

	// Points, sorted by decreasing y.
	points       []orb.Point
	pointFills   []prgba
	pointRList   []float32 // distinct radii (device-independent pixels); [0] is pointRadius
	pointRK      []uint16  // per point: its radius in pointRList; nil: all have pointRadius
	pointRadius  float32   // device-independent pixels
	pointMaxR    float32   // largest radius (device-independent pixels)
	pointOutline prgba
	pointOutW    float32 // device-independent pixels
	// pointIdx gives, per sorted point, its index in the caller's slice;
	// pointsN is that slice's length (non-finite points included).
	pointIdx []int32
	pointsN  int
	// Shapes (see SetPointShapes): shapesIn as given, for shapesN points;
	// pointShape per sorted point, nil when all are dots.
	shapesIn   []PointShape
	shapesN    int
	pointShape []PointShape
	hasDiamond bool

	labels    []Label
	highlight *highlight // nil: none
	hatch     *hatchSet  // nil: none

	// Style.
	background  prgba
	areaStroke  prgba
	areaStrokeW float32 // device pixels
}

func newScene() *scene {
	return &scene{
		background:   premul(DefaultBackground),
		areaStroke:   premul(DefaultAreaStroke),
		areaStrokeW:  DefaultAreaStrokeWidth,
		pointOutline: premul(DefaultPointOutline),
		pointOutW:    DefaultPointOutlineWidth,
		pointRadius:  DefaultPointRadius,
		pointMaxR:    DefaultPointRadius,
		pointRList:   []float32{DefaultPointRadius},
	}
}

func (s *scene) clone() *scene {
	c := *s
	return &c
}

// premulAll converts colours for n items; missing colours become DefaultFill.
func premulAll(cs []color.NRGBA, n int) []prgba {
	out := make([]prgba, n)
	def := premul(DefaultFill)
	for i := range out {
		if i < len(cs) {
			out[i] = premul(cs[i])
		} else {
			out[i] = def
		}
	}
	return out
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

// ringArea2 returns twice the signed area of a ring (positive when
// counter-clockwise in a y-up plane).
func ringArea2(r []orb.Point) float64 {
	var a float64
	n := len(r)
	for i := 0; i < n; i++ {
		p, q := r[i], r[(i+1)%n]
		a += p[0]*q[1] - q[0]*p[1]
	}
	return a
}

// setAreas flattens the geometry. Rings are normalised so that the first ring
// of every polygon (the exterior) is counter-clockwise and the others (holes)
// are clockwise. The x/image/vector rasterizer accumulates signed coverage and
// takes its absolute value, so a hole only cuts out when its winding is
// opposite to the exterior's; normalising here means we do not depend on the
// input following the GeoJSON right-hand rule. It also finds the junctions
// of the rings for watertight simplification (see simplify.go).
func (s *scene) setAreas(geoms []orb.MultiPolygon, fills []color.NRGBA) {
	s.geoms = geoms
	s.geomID = geomIDs.Add(1)
	s.highlight = s.highlight.rebase(len(geoms))
	s.hatch = s.hatch.rebase(len(geoms))
	nv, nr := 0, 0
	for _, mp := range geoms {
		for _, poly := range mp {
			for _, ring := range poly {
				nv += len(ring)
				nr++
			}
		}
	}
	pts := make([]orb.Point, 0, nv)
	ringStart := make([]int32, 0, nr+1)
	areaRing := make([]int32, 0, len(geoms)+1)
	s.bounds = make([]orb.Bound, len(geoms))
	s.hasAll = false
	for i, mp := range geoms {
		areaRing = append(areaRing, int32(len(ringStart)))
		b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, poly := range mp {
			for k, ring := range poly {
				start := len(pts)
				for _, p := range ring {
					if !finite(p) {
						continue
					}
					// Drop repeated vertices.
					if len(pts) > start && pts[len(pts)-1] == p {
						continue
					}
					pts = append(pts, p)
				}
				r := pts[start:]
				// Drop the closing duplicate; the rasterizer closes paths.
				if len(r) > 1 && r[0] == r[len(r)-1] {
					pts = pts[:len(pts)-1]
					r = r[:len(r)-1]
				}
				if len(r) < 3 {
					pts = pts[:start]
					continue
				}
				a := ringArea2(r)
				if (k == 0 && a < 0) || (k > 0 && a > 0) {
					for x, y := 0, len(r)-1; x < y; x, y = x+1, y-1 {
						r[x], r[y] = r[y], r[x]
					}
				}
				for _, p := range r {
					b = b.Extend(p)
				}
				ringStart = append(ringStart, int32(start))
			}
		}
		s.bounds[i] = b
		if b.Min[0] <= b.Max[0] {
			if !s.hasAll {
				s.all, s.hasAll = b, true
			} else {
				s.all = s.all.Union(b)
			}
		}
	}
	ringStart = append(ringStart, int32(len(pts)))
	areaRing = append(areaRing, int32(len(ringStart)-1))
	s.fills = premulAll(fills, len(geoms))
	s.index = newGridIndex(s.bounds, s.all, s.hasAll)
	// Drawing order: by decreasing top (max y), i.e. top of the screen first;
	// empty areas (inverted bounds, max y = -Inf) go last.
	s.order = make([]int32, len(geoms))
	for i := range s.order {
		s.order[i] = int32(i)
	}
	sort.SliceStable(s.order, func(a, b int) bool {
		return s.bounds[s.order[a]].Max[1] > s.bounds[s.order[b]].Max[1]
	})
	s.orderBounds = make([]orb.Bound, len(s.order))
	for k, i := range s.order {
		s.orderBounds[k] = s.bounds[i]
	}
	// A border shared by two areas is stroked by the one drawn later, so
	// that it can be stroked right after that area's fill (the earlier
	// area's fill is already there): mark repeats visiting the rings in
	// reverse drawing order.
	ringOrder := make([]int32, 0, len(ringStart)-1)
	for k := len(s.order) - 1; k >= 0; k-- {
		a := s.order[k]
		for j := areaRing[a]; j < areaRing[a+1]; j++ {
			ringOrder = append(ringOrder, j)
		}
	}
	s.areaDup = markRepeatsOrder(pts, ringStart, true, ringOrder)
	s.area = pathSet{
		pts: pts, start: ringStart, item: areaRing, closed: true,
		dup:   s.areaDup,
		fixed: junctions(pts, ringStart),
		simp:  &simpCache{},
	}
	s.coverAreaEdges()
}

// coverAreaEdges sets s.area.dup to s.areaDup plus the area segments that
// are also segments (same end points, either direction) of the line overlay
// when that overlay is opaque and at least 1 device-independent pixel wide:
// their hairline border would be drawn under the line, so it is not drawn.
// A change of the overlay gives the areas a new geometry id and
// simplification cache, as their stroked segments changed.
func (s *scene) coverAreaEdges() {
	if s.areaDup == nil {
		return
	}
	dup := s.areaDup
	if l := s.lines; l != nil && l.width >= 1 && allOpaque(l.colors) {
		ps := &l.paths
		on := make(map[segKey]struct{}, len(ps.pts))
		for j := 0; j+1 < len(ps.start); j++ {
			pts := ps.pts[ps.start[j]:ps.start[j+1]]
			for k := 0; k+1 < len(pts); k++ {
				on[segKeyOf(pts[k], pts[k+1])] = struct{}{}
			}
		}
		dup = nil
		a := &s.area
		for j := 0; j+1 < len(a.start); j++ {
			r0, r1 := int(a.start[j]), int(a.start[j+1])
			n := r1 - r0
			for k := 0; k < n; k++ {
				if s.areaDup[r0+k] {
					continue
				}
				if _, ok := on[segKeyOf(a.pts[r0+k], a.pts[r0+(k+1)%n])]; ok {
					if dup == nil {
						dup = append([]bool(nil), s.areaDup...)
					}
					dup[r0+k] = true
				}
			}
		}
		if dup == nil {
			dup = s.areaDup
		}
	}
	if len(dup) == 0 || &dup[0] == &s.area.dup[0] {
		return
	}
	s.area.dup = dup
	s.area.simp = &simpCache{}
	s.geomID = geomIDs.Add(1)
}

// allOpaque reports whether every colour of cs is opaque.
func allOpaque(cs []prgba) bool {
	for _, c := range cs {
		if c.a != 255 {
			return false
		}
	}
	return true
}

// markRepeats returns, per vertex of the paths pts[starts[j]:starts[j+1]],
// whether the segment starting there already occurred (in either direction)
// earlier. Areas use it to stroke a border shared by two areas once (half the
// work, and the same strength as an outer border); lines to skip segments
// given twice (state outlines share their borders), which draws the same
// pixels since strokes are drawn as the union of their segments.
func markRepeats(pts []orb.Point, starts []int32, closed bool) []bool {
	dup, _ := markRepeatsSet(pts, starts, closed, nil)
	return dup
}

// markRepeatsOrder is markRepeats visiting the paths in the given order
// (nil: in index order).
func markRepeatsOrder(pts []orb.Point, starts []int32, closed bool, order []int32) []bool {
	dup, _ := markRepeatsSet(pts, starts, closed, order)
	return dup
}

// markRepeatsSet is markRepeatsOrder that also returns the set of the
// segments seen.
func markRepeatsSet(pts []orb.Point, starts []int32, closed bool, order []int32) ([]bool, map[segKey]struct{}) {
	seen := make(map[segKey]struct{}, len(pts))
	dup := make([]bool, len(pts))
	n := len(starts) - 1
	for q := 0; q < n; q++ {
		j := q
		if order != nil {
			j = int(order[q])
		}
		r0, r1 := int(starts[j]), int(starts[j+1])
		n := r1 - r0
		last := n - 1
		if closed {
			last = n
		}
		for k := 0; k < last; k++ {
			key := segKeyOf(pts[r0+k], pts[r0+(k+1)%n])
			if _, ok := seen[key]; ok {
				dup[r0+k] = true
			} else {
				seen[key] = struct{}{}
			}
		}
	}
	return dup, seen
}

func (s *scene) setLines(lines orb.MultiLineString, c color.NRGBA, width float32) {
	s.lines = newLineLayer([]orb.MultiLineString{lines}, []color.NRGBA{c}, width)
	s.coverAreaEdges()
	s.hideLinesUnderOutlines()
}

// setOutlines sets the outline layer (see Map.SetOutlines).
func (s *scene) setOutlines(ol *lineLayer) {
	s.outlines = ol
	s.hideLinesUnderOutlines()
}

// hideLinesUnderOutlines sets s.linesHidden: the chunks of the overlay
// lines all of whose segments are also segments of the outlines (same end
// points, either direction), when the outlines are opaque and at least as
// wide as the overlay, so that the overlay's stroke lies wholly under the
// outlines' and need not be drawn. With territories made of whole states,
// the state borders between territories are such chunks. The mask keeps its
// id when its bits do not change, so that the overlay's cached coverage
// stays valid across edits that do not move a territory border along a
// state border.
func (s *scene) hideLinesUnderOutlines() {
	l, o := s.lines, s.outlines
	if l == nil || o == nil || o.width < l.width || !allOpaque(o.colors) || len(o.segs) == 0 {
		s.linesHidden = nil
		return
	}
	ps := &l.paths
	n := len(ps.start) - 1
	hide := make([]bool, n)
	any := false
	for c := 0; c < n; c++ {
		pts := ps.pts[ps.start[c]:ps.start[c+1]]
		h := len(pts) >= 2
		for k := 0; h && k+1 < len(pts); k++ {
			_, h = o.segs[segKeyOf(pts[k], pts[k+1])]
		}
		hide[c] = h
		any = any || h
	}
	switch old := s.linesHidden; {
	case !any:
		s.linesHidden = nil
	case old != nil && old.layer == l.id && slices.Equal(old.hide, hide):
		// Unchanged: keep the id (and the cached coverage).
	default:
		s.linesHidden = &chunkMask{id: geomIDs.Add(1), layer: l.id, hide: hide}
	}
}

// chunkMask marks chunks of a line layer not to draw.
type chunkMask struct {
	id    uint64 // identifies this mask's bits, for the coverage cache
	layer uint64 // the id of the line layer it applies to
	hide  []bool // per chunk
}

// setPoints keeps the finite points, sorted by decreasing y (north to south,
// top to bottom on screen) so that each strip of the image finds its points
// by binary search and draws them with good memory locality.
func (s *scene) setPoints(pts []orb.Point, fills []color.NRGBA, radius float32) {
	s.setPointsSized(pts, fills, nil, radius)
}

// setPointsSized is setPoints with a radius per point (device-independent
// pixels, rounded to 1/8); radii may be nil (every point has radius) or
// short (missing radii are radius). Point shapes set before are kept when
// there are as many points as before (see SetPointShapes).
func (s *scene) setPointsSized(pts []orb.Point, fills []color.NRGBA, radii []float32, radius float32) {
	okRadius := func(r float32) float32 {
		if !(r > 0) || math.IsInf(float64(r), 0) {
			return 0
		}
		return quantizeRadius(min(r, maxPointRadius))
	}
	radius = okRadius(radius)
	all := premulAll(fills, len(pts))
	idx := make([]int, 0, len(pts))
	for i, p := range pts {
		if finite(p) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return pts[idx[a]][1] > pts[idx[b]][1] })
	s.points = make([]orb.Point, len(idx))
	s.pointFills = make([]prgba, len(idx))
	s.pointIdx = make([]int32, len(idx))
	s.pointsN = len(pts)
	s.pointRList = []float32{radius}
	s.pointRK = nil
	if radii != nil {
		s.pointRK = make([]uint16, len(idx))
	}
	rk := map[float32]uint16{radius: 0}
	for k, i := range idx {
		s.points[k] = pts[i]
		s.pointFills[k] = all[i]
		s.pointIdx[k] = int32(i)
		if radii != nil && i < len(radii) {
			r := okRadius(radii[i])
			q, ok := rk[r]
			if !ok {
				q = uint16(len(s.pointRList))
				rk[r] = q
				s.pointRList = append(s.pointRList, r)
			}
			s.pointRK[k] = q
		}
	}
	s.applyPointShapes()
	s.pointRadius = radius
	s.pointMaxR = 0
	for q, r := range s.pointRList {
		if s.pointRK == nil && q > 0 {
			break
		}
		s.pointMaxR = max(s.pointMaxR, r)
	}
}

// contentBound is the bound FitAll uses: the areas, or when there are none the
// lines and points.
func (s *scene) contentBound() (orb.Bound, bool) {
	if s.hasAll {
		return s.all, true
	}
	var b orb.Bound
	ok := false
	add := func(x orb.Bound) {
		if !(x.Min[0] <= x.Max[0]) {
			return
		}
		if !ok {
			b, ok = x, true
		} else {
			b = b.Union(x)
		}
	}
	for _, l := range []*lineLayer{s.lines, s.outlines} {
		if l != nil && l.hasAll {
			add(l.all)
		}
	}
	for _, p := range s.points {
		if finite(p) {
			add(orb.Bound{Min: p, Max: p})
		}
	}
	return b, ok
}

// gridIndex is a uniform grid over the union bound of the areas; every cell
// lists the areas whose bound touches it (CSR layout: two flat slices).
type gridIndex struct {
	b      orb.Bound
	nx, ny int
	cw, ch float64
	start  []int32 // cell c lists items[start[c]:start[c+1]]
	items  []int32
}

func newGridIndex(bounds []orb.Bound, all orb.Bound, ok bool) *gridIndex {
	if !ok || len(bounds) == 0 {
		return nil
	}
	// About one area per cell, at most 256x256 cells.
	n := int(math.Ceil(math.Sqrt(float64(len(bounds)))))
	n = max(1, min(n, 256))
	g := &gridIndex{b: all, nx: n, ny: n}
	g.cw = (all.Max[0] - all.Min[0]) / float64(n)
	g.ch = (all.Max[1] - all.Min[1]) / float64(n)
	if g.cw <= 0 {
		g.cw = 1
	}
	if g.ch <= 0 {
		g.ch = 1
	}
	counts := make([]int32, n*n+1)
	each := func(b orb.Bound, f func(c int)) {
		if !(b.Min[0] <= b.Max[0]) {
			return
		}
		x0, y0 := g.cell(b.Min)
		x1, y1 := g.cell(b.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(y*n + x)
			}
		}
	}
	for _, b := range bounds {
		each(b, func(c int) { counts[c+1]++ })
	}
	for c := 1; c <= n*n; c++ {
		counts[c] += counts[c-1]
	}
	g.start = counts
	g.items = make([]int32, counts[n*n])
	fill := make([]int32, n*n)
	copy(fill, counts[:n*n])
	for i, b := range bounds {
		each(b, func(c int) {
			g.items[fill[c]] = int32(i)
			fill[c]++
		})
	}
	return g
}

func (g *gridIndex) cell(p orb.Point) (int, int) {
	x := int((p[0] - g.b.Min[0]) / g.cw)
	y := int((p[1] - g.b.Min[1]) / g.ch)
	return max(0, min(x, g.nx-1)), max(0, min(y, g.ny-1))
}

// candidates returns the areas whose bound may contain p, in index order.
func (g *gridIndex) candidates(p orb.Point) []int32 {
	if g == nil || !g.b.Contains(p) {
		return nil
	}
	x, y := g.cell(p)
	c := y*g.nx + x
	return g.items[g.start[c]:g.start[c+1]]
}

// segKey is a segment whatever its direction: its end points in order.
type segKey struct{ a, b orb.Point }

// segKeyOf returns the key of the segment from a to b (or from b to a).
func segKeyOf(a, b orb.Point) segKey {
	if less(b, a) {
		a, b = b, a
	}
	return segKey{a, b}
}
