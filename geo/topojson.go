package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// This file implements a TopoJSON decoder following the TopoJSON Format
// Specification 1.0 (https://github.com/topojson/topojson-specification)
// and the behaviour of topojson-client's feature, mesh and stitch functions
// (https://github.com/topojson/topojson-client, src/feature.js, src/mesh.js,
// src/stitch.js).

// Topology is a decoded TopoJSON topology (a JSON object with "type":
// "Topology"). Arcs are decoded once, by [ReadTopology], to absolute
// coordinates: the quantization transform (if any) is applied and delta
// encoding is undone, so every coordinate is in the file's own coordinate
// system (WGS84 lon/lat degrees, in lon/lat order, for us-atlas and
// world-atlas files).
//
// A Topology is immutable after ReadTopology returns and is safe for
// concurrent use by multiple goroutines. Every call to [Topology.Features] or
// [Topology.Mesh] builds fresh geometries that the caller may modify.
type Topology struct {
	arcs    [][]orb.Point
	objects map[string]*topoGeometry
	names   []string
}

// topoGeometry is a validated TopoJSON geometry object. Arc indices have been
// checked against the topology's arcs.
type topoGeometry struct {
	typ      string // "" for a null geometry
	id       string
	props    map[string]any
	arcs1    []int           // LineString
	arcs2    [][]int         // MultiLineString, Polygon
	arcs3    [][][]int       // MultiPolygon
	points   []orb.Point     // Point (one element), MultiPoint
	children []*topoGeometry // GeometryCollection
}

// Feature is one geometry object of a TopoJSON object, converted to orb types.
type Feature struct {
	// ID is the geometry's "id" member as a string: strings as they are,
	// integers as written in the file, other numbers formatted without an
	// exponent (strconv 'f' format, shortest representation). It is "" when
	// the member is absent or null.
	ID string
	// Properties is the geometry's "properties" member decoded with
	// encoding/json (numbers are float64). It is nil when absent or null.
	Properties map[string]any
	// Geometry is an orb.Point, orb.MultiPoint, orb.LineString,
	// orb.MultiLineString, orb.Polygon or orb.MultiPolygon, an orb.Collection
	// for a GeometryCollection nested inside the object's collection, or nil
	// for a null geometry ("type": null or absent). Coordinates are in the
	// topology's coordinate system (lon/lat degrees for us-atlas).
	//
	// Polygons are normalised: rings are closed, exterior rings are
	// counter-clockwise and holes clockwise (orb.Ring.Orientation), and
	// degenerate rings (fewer than 4 points once closed, or a signed area that
	// is zero up to rounding: at most 1e-12 of the ring's bounding-box area)
	// are dropped, together with the holes of a dropped exterior ring;
	// simplified data such as us-atlas has such rings. A Polygon
	// whose exterior ring was dropped is an empty orb.Polygon; a
	// MultiPolygon keeps only its non-empty polygons.
	Geometry orb.Geometry
}

// rawTopology mirrors the top-level TopoJSON object.
type rawTopology struct {
	Type      *string                    `json:"type"`
	Transform json.RawMessage            `json:"transform"`
	Arcs      [][][]float64              `json:"arcs"`
	Objects   map[string]json.RawMessage `json:"objects"`
}

// rawTransform mirrors the TopoJSON "transform" member.
type rawTransform struct {
	Scale     []float64 `json:"scale"`
	Translate []float64 `json:"translate"`
}

// rawGeometry mirrors a TopoJSON geometry object; members are decoded lazily
// according to its type.
type rawGeometry struct {
	Type        json.RawMessage   `json:"type"`
	ID          json.RawMessage   `json:"id"`
	Properties  json.RawMessage   `json:"properties"`
	Arcs        json.RawMessage   `json:"arcs"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

// transform is a decoded quantization transform.
type transform struct {
	sx, sy, tx, ty float64
}

func (tr *transform) apply(x, y float64) orb.Point {
	if tr == nil {
		return orb.Point{x, y}
	}
	return orb.Point{x*tr.sx + tr.tx, y*tr.sy + tr.ty}
}

// ReadTopology decodes a TopoJSON topology (TopoJSON Format Specification
// 1.0) from r. The whole input must be one JSON object whose "type" is
// "Topology" and which has an "objects" member; "arcs" may be absent when
// no object uses arcs. When a "transform" member is present the topology is
// quantized: arc positions are delta-decoded and, like Point and MultiPoint
// coordinates (which are not delta-encoded), mapped through
// x*scale[0]+translate[0], y*scale[1]+translate[1]. Positions may carry more
// than two numbers; only the first two are used. "bbox" members are ignored.
//
// It returns an error (prefixed "geo: ") when reading r fails, the input is not
// valid JSON or has trailing data, the type is not "Topology", the transform
// is malformed, an arc has fewer than two positions or a position fewer than
// two numbers, a geometry has an unknown type or malformed members (arcs,
// coordinates, geometries, properties that are not an object, an id that is
// neither a string nor a number), or an arc index is out of range. Arc index
// i >= 0 refers to arc i and a negative index ~i (that is -i-1) to arc i
// reversed.
func ReadTopology(r io.Reader) (*Topology, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("geo: reading topology: %w", err)
	}
	var raw rawTopology
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("geo: decoding topology JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("geo: decoding topology JSON: trailing data after the topology object")
	}
	if raw.Type == nil {
		return nil, errors.New(`geo: topology has no "type" member`)
	}
	if *raw.Type != "Topology" {
		return nil, fmt.Errorf(`geo: topology type is %q, want "Topology"`, *raw.Type)
	}
	if raw.Objects == nil {
		return nil, errors.New(`geo: topology has no "objects" member`)
	}

	var tr *transform
	if len(raw.Transform) > 0 && string(raw.Transform) != "null" {
		var rt rawTransform
		if err := json.Unmarshal(raw.Transform, &rt); err != nil {
			return nil, fmt.Errorf("geo: decoding topology transform: %w", err)
		}
		if len(rt.Scale) != 2 || len(rt.Translate) != 2 {
			return nil, fmt.Errorf("geo: topology transform needs 2 scale and 2 translate numbers, got %d and %d", len(rt.Scale), len(rt.Translate))
		}
		tr = &transform{sx: rt.Scale[0], sy: rt.Scale[1], tx: rt.Translate[0], ty: rt.Translate[1]}
	}

	t := &Topology{
		arcs:    make([][]orb.Point, len(raw.Arcs)),
		objects: make(map[string]*topoGeometry, len(raw.Objects)),
	}
	for i, arc := range raw.Arcs {
		if len(arc) < 2 {
			return nil, fmt.Errorf("geo: arc %d has %d positions, want at least 2", i, len(arc))
		}
		pts := make([]orb.Point, len(arc))
		var x, y float64
		for k, pos := range arc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("geo: arc %d position %d has %d numbers, want at least 2", i, k, len(pos))
			}
			if tr != nil {
				// Quantized: positions after the first are deltas. Summing
				// the (integer) quantized values before transforming keeps
				// shared arc end points bit-identical.
				x += pos[0]
				y += pos[1]
				pts[k] = tr.apply(x, y)
			} else {
				pts[k] = orb.Point{pos[0], pos[1]}
			}
		}
		t.arcs[i] = pts
	}

	for name, msg := range raw.Objects {
		g, err := t.decodeGeometry(msg, tr)
		if err != nil {
			return nil, fmt.Errorf("geo: object %q: %w", name, err)
		}
		t.objects[name] = g
		t.names = append(t.names, name)
	}
	slices.Sort(t.names)
	return t, nil
}

// decodeGeometry decodes and validates one geometry object. Errors are not
// prefixed; the caller adds the prefix and the object name.
func (t *Topology) decodeGeometry(msg json.RawMessage, tr *transform) (*topoGeometry, error) {
	var raw rawGeometry
	if err := json.Unmarshal(msg, &raw); err != nil {
		return nil, fmt.Errorf("decoding geometry: %w", err)
	}
	g := &topoGeometry{}

	var typ *string
	if len(raw.Type) > 0 {
		if err := json.Unmarshal(raw.Type, &typ); err != nil {
			return nil, fmt.Errorf("decoding geometry type: %w", err)
		}
	}
	if typ != nil {
		g.typ = *typ
	}

	id, err := decodeID(raw.ID)
	if err != nil {
		return nil, err
	}
	g.id = id

	if len(raw.Properties) > 0 && string(raw.Properties) != "null" {
		if err := json.Unmarshal(raw.Properties, &g.props); err != nil {
			return nil, fmt.Errorf("geometry %q: decoding properties: %w", g.id, err)
		}
		if g.props == nil {
			// Unmarshal leaves the map nil only for JSON null, handled above.
			g.props = map[string]any{}
		}
	}

	switch g.typ {
	case "":
		// Null geometry: "type" absent or null.
	case "Point":
		var c []float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &c); err != nil {
			return nil, fmt.Errorf("geometry %q (Point): %w", g.id, err)
		}
		if len(c) < 2 {
			return nil, fmt.Errorf("geometry %q (Point): position has %d numbers, want at least 2", g.id, len(c))
		}
		g.points = []orb.Point{tr.apply(c[0], c[1])}
	case "MultiPoint":
		var cs [][]float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &cs); err != nil {
			return nil, fmt.Errorf("geometry %q (MultiPoint): %w", g.id, err)
		}
		g.points = make([]orb.Point, len(cs))
		for k, c := range cs {
			if len(c) < 2 {
				return nil, fmt.Errorf("geometry %q (MultiPoint): position %d has %d numbers, want at least 2", g.id, k, len(c))
			}
			g.points[k] = tr.apply(c[0], c[1])
		}
	case "LineString":
		if err := unmarshalMember(raw.Arcs, "arcs", &g.arcs1); err != nil {
			return nil, fmt.Errorf("geometry %q (LineString): %w", g.id, err)
		}
		if err := t.checkArcs(g.arcs1); err != nil {
			return nil, fmt.Errorf("geometry %q (LineString): %w", g.id, err)
		}
	case "MultiLineString", "Polygon":
		if err := unmarshalMember(raw.Arcs, "arcs", &g.arcs2); err != nil {
			return nil, fmt.Errorf("geometry %q (%s): %w", g.id, g.typ, err)
		}
		for _, a := range g.arcs2 {
			if err := t.checkArcs(a); err != nil {
				return nil, fmt.Errorf("geometry %q (%s): %w", g.id, g.typ, err)
			}
		}
	case "MultiPolygon":
		if err := unmarshalMember(raw.Arcs, "arcs", &g.arcs3); err != nil {
			return nil, fmt.Errorf("geometry %q (MultiPolygon): %w", g.id, err)
		}
		for _, p := range g.arcs3 {
			for _, a := range p {
				if err := t.checkArcs(a); err != nil {
					return nil, fmt.Errorf("geometry %q (MultiPolygon): %w", g.id, err)
				}
			}
		}
	case "GeometryCollection":
		if raw.Geometries == nil {
			return nil, fmt.Errorf("geometry %q (GeometryCollection): missing or null \"geometries\" member", g.id)
		}
		g.children = make([]*topoGeometry, len(raw.Geometries))
		for k, m := range raw.Geometries {
			c, err := t.decodeGeometry(m, tr)
			if err != nil {
				return nil, fmt.Errorf("geometries[%d]: %w", k, err)
			}
			g.children[k] = c
		}
	default:
		return nil, fmt.Errorf("geometry %q: unknown geometry type %q", g.id, g.typ)
	}
	return g, nil
}

// unmarshalMember decodes a required JSON member into v.
func unmarshalMember(msg json.RawMessage, name string, v any) error {
	if len(msg) == 0 || string(msg) == "null" {
		return fmt.Errorf("missing or null %q member", name)
	}
	if err := json.Unmarshal(msg, v); err != nil {
		return fmt.Errorf("decoding %q: %w", name, err)
	}
	return nil
}

// checkArcs reports an error for an arc index outside the topology's arcs.
func (t *Topology) checkArcs(idx []int) error {
	for _, i := range idx {
		j := i
		if j < 0 {
			j = ^j
		}
		if j >= len(t.arcs) {
			return fmt.Errorf("arc index %d out of range (topology has %d arcs)", i, len(t.arcs))
		}
	}
	return nil
}

// decodeID converts a geometry "id" member to a string.
func decodeID(msg json.RawMessage) (string, error) {
	s := strings.TrimSpace(string(msg))
	if s == "" || s == "null" {
		return "", nil
	}
	switch s[0] {
	case '"':
		var id string
		if err := json.Unmarshal(msg, &id); err != nil {
			return "", fmt.Errorf("decoding geometry id: %w", err)
		}
		return id, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if !strings.ContainsAny(s, ".eE") {
			// An integer: keep its digits exactly, even beyond 2^53.
			return s, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return "", fmt.Errorf("decoding geometry id %s: %w", s, err)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	default:
		return "", fmt.Errorf("geometry id %s is neither a string nor a number", s)
	}
}

// ObjectNames returns the names of the topology's objects (the keys of its
// "objects" member), sorted in increasing byte order. The slice is a copy.
func (t *Topology) ObjectNames() []string {
	return slices.Clone(t.names)
}

// Features converts the named object to features: one per member geometry
// when the object is a GeometryCollection (in file order), otherwise a single
// feature for the object itself. See [Feature] for the geometry types and the
// polygon normalisation applied. Coordinates are in the topology's coordinate
// system (lon/lat degrees for us-atlas). It returns an error when the
// topology has no object with that name.
func (t *Topology) Features(object string) ([]Feature, error) {
	return t.features(object, t.geometry)
}

// features converts the members of the named object to features, their
// geometry by geom.
func (t *Topology) features(object string, geom func(*topoGeometry) orb.Geometry) ([]Feature, error) {
	g, ok := t.objects[object]
	if !ok {
		return nil, fmt.Errorf("geo: topology has no object %q", object)
	}
	members := []*topoGeometry{g}
	if g.typ == "GeometryCollection" {
		members = g.children
	}
	out := make([]Feature, len(members))
	for i, m := range members {
		out[i] = Feature{
			ID:         m.id,
			Properties: cloneProps(m.props),
			Geometry:   geom(m),
		}
	}
	return out, nil
}

// geometry converts one validated geometry object to orb types.
func (t *Topology) geometry(g *topoGeometry) orb.Geometry {
	switch g.typ {
	case "Point":
		return g.points[0]
	case "MultiPoint":
		return orb.MultiPoint(slices.Clone(g.points))
	case "LineString":
		return t.line(g.arcs1)
	case "MultiLineString":
		mls := make(orb.MultiLineString, len(g.arcs2))
		for i, a := range g.arcs2 {
			mls[i] = t.line(a)
		}
		return mls
	case "Polygon":
		return t.polygon(g.arcs2)
	case "MultiPolygon":
		mp := make(orb.MultiPolygon, 0, len(g.arcs3))
		for _, p := range g.arcs3 {
			if poly := t.polygon(p); len(poly) > 0 {
				mp = append(mp, poly)
			}
		}
		return mp
	case "GeometryCollection":
		c := make(orb.Collection, 0, len(g.children))
		for _, ch := range g.children {
			if geom := t.geometry(ch); geom != nil {
				c = append(c, geom)
			}
		}
		return c
	default:
		return nil
	}
}

// line concatenates arcs (negative index ~i = arc i reversed), dropping the
// first point of every arc after the first, which duplicates the previous
// arc's last point in a valid topology.
func (t *Topology) line(idx []int) orb.LineString {
	n := 0
	for _, i := range idx {
		n += len(t.arcs[arcIndex(i)])
	}
	ls := make(orb.LineString, 0, n)
	for k, i := range idx {
		arc := t.arcs[arcIndex(i)]
		start := len(ls)
		ls = append(ls, arc...)
		if i < 0 {
			slices.Reverse(ls[start:])
		}
		if k > 0 {
			ls = slices.Delete(ls, start, start+1)
		}
	}
	return ls
}

// arcIndex returns the arc referred to by a signed arc index.
func arcIndex(i int) int {
	if i < 0 {
		return ^i
	}
	return i
}

// polygon builds a normalised polygon from rings of arc indices: closed
// rings, exterior counter-clockwise, holes clockwise, degenerate rings
// dropped. It returns nil when the exterior ring is degenerate.
func (t *Topology) polygon(rings [][]int) orb.Polygon {
	var poly orb.Polygon
	for k, idx := range rings {
		r := orb.Ring(t.line(idx))
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0])
		}
		o := ringOrientation(r)
		if o == 0 {
			if k == 0 {
				return nil // a dropped exterior takes its holes with it
			}
			continue
		}
		if (k == 0 && o == orb.CW) || (k > 0 && o == orb.CCW) {
			r.Reverse()
		}
		poly = append(poly, r)
	}
	return poly
}

// ringOrientation returns orb.CCW or orb.CW for a closed ring, or 0 when the
// ring is degenerate: fewer than 4 points, a zero or non-finite signed area,
// or an area negligible against its bounding box (collinear points that
// rounding made slightly non-zero).
func ringOrientation(r orb.Ring) orb.Orientation {
	if len(r) < 4 {
		return 0
	}
	ox, oy := r[0][0], r[0][1]
	var area float64
	for i := 1; i < len(r)-1; i++ {
		area += (r[i][0]-ox)*(r[i+1][1]-oy) - (r[i+1][0]-ox)*(r[i][1]-oy)
	}
	if area == 0 || math.IsNaN(area) || math.IsInf(area, 0) {
		return 0
	}
	b := r.Bound()
	if math.Abs(area) <= degenerateAreaRatio*(b.Max[0]-b.Min[0])*(b.Max[1]-b.Min[1]) {
		return 0
	}
	if area > 0 {
		return orb.CCW
	}
	return orb.CW
}

// degenerateAreaRatio is the fraction of a ring's bounding-box area below
// which its (doubled) signed area counts as zero.
const degenerateAreaRatio = 1e-12

// cloneProps deep-copies a decoded JSON object so callers may modify it.
func cloneProps(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneJSON(v)
	}
	return out
}

func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneProps(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneJSON(e)
		}
		return out
	default:
		return v
	}
}

// AsMultiPolygon returns g as a MultiPolygon: an orb.Polygon becomes a
// one-element MultiPolygon (nil when the polygon is empty), an
// orb.MultiPolygon is returned as is (sharing its storage), and any other
// geometry, including nil, gives nil. Coordinates are unchanged.
func AsMultiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) == 0 {
			return nil
		}
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	default:
		return nil
	}
}

// Mesh returns the arcs of the named object as lines stitched end to end,
// following topojson-client's mesh/meshArcs and stitch: every arc used by
// the object's geometries is considered once (in increasing arc index,
// oriented as first referenced), and arcs that share end points are joined
// into longer lines; closed chains come out as closed lines.
//
// With filter == nil every arc of the object is kept. Otherwise filter(a, b)
// is called once per arc and the arc is kept when it returns true; a and b
// are the indices, in [Topology.Features] order, of the first and last
// geometries that reference the arc, and a == b for an arc used by only one
// geometry. For a GeometryCollection object a geometry is a top-level member
// (arcs of a nested collection count as its top-level member's); for any
// other object both are 0. Typical filters: a != b for internal borders,
// a == b for the outer boundary.
//
// Coordinates are in the topology's coordinate system (lon/lat degrees for
// us-atlas). The result is nil when no arc is kept. It returns an error when
// the topology has no object with that name.
func (t *Topology) Mesh(object string, filter func(a, b int) bool) (orb.MultiLineString, error) {
	g, ok := t.objects[object]
	if !ok {
		return nil, fmt.Errorf("geo: topology has no object %q", object)
	}

	// For each arc: the first signed index referencing it, and the first and
	// last top-level geometry referencing it.
	type use struct {
		signed      int
		first, last int
		used        bool
	}
	uses := make([]use, len(t.arcs))
	visit := func(i, geom int) {
		j := arcIndex(i)
		u := &uses[j]
		if !u.used {
			*u = use{signed: i, first: geom, last: geom, used: true}
		} else {
			u.last = geom
		}
	}
	var walk func(g *topoGeometry, geom int)
	walk = func(g *topoGeometry, geom int) {
		switch g.typ {
		case "LineString":
			for _, i := range g.arcs1 {
				visit(i, geom)
			}
		case "MultiLineString", "Polygon":
			for _, a := range g.arcs2 {
				for _, i := range a {
					visit(i, geom)
				}
			}
		case "MultiPolygon":
			for _, p := range g.arcs3 {
				for _, a := range p {
					for _, i := range a {
						visit(i, geom)
					}
				}
			}
		case "GeometryCollection":
			for _, c := range g.children {
				walk(c, geom)
			}
		}
	}
	if g.typ == "GeometryCollection" {
		for k, c := range g.children {
			walk(c, k)
		}
	} else {
		walk(g, 0)
	}

	var arcs []int
	for _, u := range uses {
		if u.used && (filter == nil || filter(u.first, u.last)) {
			arcs = append(arcs, u.signed)
		}
	}
	if len(arcs) == 0 {
		return nil, nil
	}
	frags := t.stitch(arcs)
	out := make(orb.MultiLineString, len(frags))
	for k, f := range frags {
		out[k] = t.line(f)
	}
	return out, nil
}

// fragment is a chain of signed arc indices being stitched.
type fragment struct {
	arcs       []int
	start, end orb.Point
	seq        int // creation order, for deterministic output
}

// stitch joins arcs that share end points into chains, as topojson-client's
// stitch does (including its treatment of empty arcs, which are stitched
// first since they may be subsumed by other arcs). Output order is
// deterministic.
func (t *Topology) stitch(arcs []int) [][]int {
	arcs = slices.Clone(arcs)
	// Move empty arcs (two identical points) to the front.
	empty := -1
	for j, i := range arcs {
		a := t.arcs[arcIndex(i)]
		if len(a) < 3 && a[0] == a[len(a)-1] {
			empty++
			arcs[empty], arcs[j] = i, arcs[empty]
		}
	}

	ends := func(i int) (orb.Point, orb.Point) {
		a := t.arcs[arcIndex(i)]
		p0, p1 := a[0], a[len(a)-1]
		if i < 0 {
			return p1, p0
		}
		return p0, p1
	}

	byStart := map[orb.Point]*fragment{}
	byEnd := map[orb.Point]*fragment{}
	seq := 0
	for _, i := range arcs {
		start, end := ends(i)
		if f, ok := byEnd[start]; ok {
			delete(byEnd, f.end)
			f.arcs = append(f.arcs, i)
			f.end = end
			if g, ok := byStart[end]; ok {
				delete(byStart, g.start)
				fg := f
				if g != f {
					fg = &fragment{arcs: slices.Concat(f.arcs, g.arcs), seq: seq}
					seq++
				}
				fg.start, fg.end = f.start, g.end
				byStart[fg.start] = fg
				byEnd[fg.end] = fg
			} else {
				byStart[f.start] = f
				byEnd[f.end] = f
			}
		} else if f, ok := byStart[end]; ok {
			delete(byStart, f.start)
			f.arcs = slices.Insert(f.arcs, 0, i)
			f.start = start
			if g, ok := byEnd[start]; ok {
				delete(byEnd, g.end)
				gf := f
				if g != f {
					gf = &fragment{arcs: slices.Concat(g.arcs, f.arcs), seq: seq}
					seq++
				}
				gf.start, gf.end = g.start, f.end
				byStart[gf.start] = gf
				byEnd[gf.end] = gf
			} else {
				byStart[f.start] = f
				byEnd[f.end] = f
			}
		} else {
			f := &fragment{arcs: []int{i}, start: start, end: end, seq: seq}
			seq++
			byStart[start] = f
			byEnd[end] = f
		}
	}

	// Flush the fragments indexed by end, then those left indexed by start,
	// then any arc whose fragment was lost to a colliding end point, exactly
	// as topojson-client does (but in creation order, for determinism).
	stitched := map[int]bool{}
	var out [][]int
	emit := func(f *fragment) {
		for _, i := range f.arcs {
			stitched[arcIndex(i)] = true
		}
		out = append(out, f.arcs)
	}
	for _, f := range sortedFragments(byEnd) {
		delete(byStart, f.start)
		emit(f)
	}
	for _, f := range sortedFragments(byStart) {
		emit(f)
	}
	for _, i := range arcs {
		if !stitched[arcIndex(i)] {
			out = append(out, []int{i})
		}
	}
	return out
}

// sortedFragments returns the fragments of m in creation order.
func sortedFragments(m map[orb.Point]*fragment) []*fragment {
	fs := make([]*fragment, 0, len(m))
	for _, f := range m {
		fs = append(fs, f)
	}
	slices.SortFunc(fs, func(a, b *fragment) int { return a.seq - b.seq })
	return fs
}
