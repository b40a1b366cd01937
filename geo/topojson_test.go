package geo_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
)

const (
	countiesFile = "us-atlas_counties-10m.topo.json (package assets)"
	worldFile    = "testdata/world-atlas_countries-110m.topo.json"
)

// countiesJSON returns the us-atlas counties TopoJSON that Meridian embeds
// (package assets keeps it gzip-compressed).
func countiesJSON() ([]byte, error) {
	rc, err := assets.Counties()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// handTopology is a small quantized topology: x = 10 + 0.5*qx, y = 20 + 2*qy.
//
//	arc 0: (12,20) (10,20) (10,28) (12,28)   west part of square A
//	arc 1: (12,28) (12,20)                   border shared by A and B
//	arc 2: (12,28) (14,28) (14,20) (12,20)   east part of square B
//	arc 3: (10.5,22) (11,22) (11,24) (10.5,24) (10.5,22)   hole in A (CCW in the file)
//	arc 4: (13,22) (13,22)                   empty arc: a degenerate hole in B
//	arc 5: (14.5,38) (15,38)                 a degenerate exterior ring
//
// Rings A and B are clockwise in the file (d3 convention), so the decoder
// must reverse them.
const handTopology = `{
  "type": "Topology",
  "bbox": [10, 20, 15, 38],
  "transform": {"scale": [0.5, 2], "translate": [10, 20]},
  "arcs": [
    [[4,0],[-4,0],[0,4],[4,0]],
    [[4,4],[0,-4]],
    [[4,4],[4,0],[0,-4],[-4,0]],
    [[1,1],[1,0],[0,1],[-1,0],[0,-1]],
    [[6,1],[0,0]],
    [[9,9],[1,0]]
  ],
  "objects": {
    "shapes": {"type": "GeometryCollection", "geometries": [
      {"type": "Polygon", "id": 42, "properties": {"name": "A", "tags": ["x", {"k": 1}]}, "arcs": [[0, 1], [3]]},
      {"type": "MultiPolygon", "id": "B", "arcs": [[[-2, 2], [4]], [[5], [3]]]},
      {"type": "Point", "id": 1.5e3, "coordinates": [2, 3]},
      {"type": null, "id": "nothing", "properties": null},
      {"type": "LineString", "arcs": [-3]},
      {"type": "MultiPoint", "coordinates": [[0, 0], [8, 4, 99]]},
      {"type": "MultiLineString", "arcs": [[0], [1]]},
      {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [0, 0]}, {"arcs": [99]}, {"type": "LineString", "arcs": [0]}]}
    ]},
    "pair": {"type": "GeometryCollection", "geometries": [
      {"type": "Polygon", "arcs": [[0, 1]]},
      {"type": "Polygon", "arcs": [[-2, 2]]}
    ]},
    "point": {"type": "Point", "id": "p", "properties": {"n": 2.5}, "coordinates": [8, 4]}
  }
}`

// plainTopology is not quantized: arc positions are absolute.
const plainTopology = `{
  "type": "Topology",
  "arcs": [
    [[0,0],[0,1],[1,1],[1,0],[0,0]],
    [[5,5],[6,5]],
    [[6,5],[6,6],[5,5]],
    [[0,0],[1,1],[2,2],[0,0]],
    [[0,0],[2,0],[2,2]]
  ],
  "objects": {
    "sq":   {"type": "Polygon", "arcs": [[0]]},
    "tri":  {"type": "Polygon", "arcs": [[1, 2]]},
    "flat": {"type": "Polygon", "arcs": [[3]]},
    "open": {"type": "Polygon", "arcs": [[4]]},
    "pts":  {"type": "MultiPoint", "coordinates": [[1.5, 2.5]]}
  }
}`

func readString(t testing.TB, s string) *geo.Topology {
	t.Helper()
	topo, err := geo.ReadTopology(strings.NewReader(s))
	if err != nil {
		t.Fatalf("ReadTopology: %v", err)
	}
	return topo
}

func readFile(t testing.TB, path string) *geo.Topology {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	topo, err := geo.ReadTopology(f)
	if err != nil {
		t.Fatalf("ReadTopology(%s): %v", path, err)
	}
	return topo
}

func features(t testing.TB, topo *geo.Topology, object string) []geo.Feature {
	t.Helper()
	fs, err := topo.Features(object)
	if err != nil {
		t.Fatalf("Features(%q): %v", object, err)
	}
	return fs
}

var (
	countiesOnce = sync.OnceValues(func() (*geo.Topology, error) {
		data, err := countiesJSON()
		if err != nil {
			return nil, err
		}
		return geo.ReadTopology(bytes.NewReader(data))
	})
)

// counties returns the shared us-atlas topology; callers must not rely on
// mutating results from it (Features returns fresh copies anyway).
func counties(t testing.TB) *geo.Topology {
	t.Helper()
	topo, err := countiesOnce()
	if err != nil {
		t.Fatalf("reading %s: %v", countiesFile, err)
	}
	return topo
}

func featureByID(t testing.TB, fs []geo.Feature, id string) (int, geo.Feature) {
	t.Helper()
	for i, f := range fs {
		if f.ID == id {
			return i, f
		}
	}
	t.Fatalf("no feature with id %q", id)
	return -1, geo.Feature{}
}

func TestHandTopologyFeatures(t *testing.T) {
	topo := readString(t, handTopology)
	if got, want := topo.ObjectNames(), []string{"pair", "point", "shapes"}; !slices.Equal(got, want) {
		t.Fatalf("ObjectNames = %v, want %v", got, want)
	}
	fs := features(t, topo, "shapes")
	if len(fs) != 8 {
		t.Fatalf("got %d features, want 8", len(fs))
	}

	// 0: polygon with a hole; exterior reversed to CCW, hole reversed to CW.
	wantA := orb.Polygon{
		{{12, 20}, {12, 28}, {10, 28}, {10, 20}, {12, 20}},
		{{10.5, 22}, {10.5, 24}, {11, 24}, {11, 22}, {10.5, 22}},
	}
	if g, ok := fs[0].Geometry.(orb.Polygon); !ok || !g.Equal(wantA) {
		t.Errorf("feature 0 geometry = %#v, want %v", fs[0].Geometry, wantA)
	}
	if fs[0].ID != "42" {
		t.Errorf("feature 0 ID = %q, want %q", fs[0].ID, "42")
	}
	wantProps := map[string]any{"name": "A", "tags": []any{"x", map[string]any{"k": 1.0}}}
	if !reflect.DeepEqual(fs[0].Properties, wantProps) {
		t.Errorf("feature 0 properties = %v, want %v", fs[0].Properties, wantProps)
	}
	if got := planar.Area(fs[0].Geometry); got != 16-1 {
		t.Errorf("feature 0 area = %v, want 15", got)
	}

	// 1: reversed arc ~1; degenerate hole (empty arc) dropped; the second
	// polygon's exterior is degenerate, so it goes with its hole.
	wantB := orb.MultiPolygon{{{{12, 20}, {14, 20}, {14, 28}, {12, 28}, {12, 20}}}}
	if g, ok := fs[1].Geometry.(orb.MultiPolygon); !ok || !g.Equal(wantB) {
		t.Errorf("feature 1 geometry = %#v, want %v", fs[1].Geometry, wantB)
	}
	if fs[1].ID != "B" || fs[1].Properties != nil {
		t.Errorf("feature 1 ID, Properties = %q, %v; want \"B\", nil", fs[1].ID, fs[1].Properties)
	}

	// 2: Point coordinates are transformed but not delta-decoded; numeric id.
	if g, ok := fs[2].Geometry.(orb.Point); !ok || g != (orb.Point{11, 26}) {
		t.Errorf("feature 2 geometry = %#v, want Point(11 26)", fs[2].Geometry)
	}
	if fs[2].ID != "1500" {
		t.Errorf("feature 2 ID = %q, want %q", fs[2].ID, "1500")
	}

	// 3: null geometry.
	if fs[3].Geometry != nil || fs[3].ID != "nothing" || fs[3].Properties != nil {
		t.Errorf("feature 3 = %#v, want nil geometry, ID \"nothing\", nil properties", fs[3])
	}

	// 4: LineString of a reversed arc.
	wantLine := orb.LineString{{12, 20}, {14, 20}, {14, 28}, {12, 28}}
	if g, ok := fs[4].Geometry.(orb.LineString); !ok || !g.Equal(wantLine) {
		t.Errorf("feature 4 geometry = %#v, want %v", fs[4].Geometry, wantLine)
	}
	if fs[4].ID != "" {
		t.Errorf("feature 4 ID = %q, want empty", fs[4].ID)
	}

	// 5: MultiPoint, extra position members ignored.
	wantMP := orb.MultiPoint{{10, 20}, {14, 28}}
	if g, ok := fs[5].Geometry.(orb.MultiPoint); !ok || !g.Equal(wantMP) {
		t.Errorf("feature 5 geometry = %#v, want %v", fs[5].Geometry, wantMP)
	}

	// 6: MultiLineString.
	wantMLS := orb.MultiLineString{{{12, 20}, {10, 20}, {10, 28}, {12, 28}}, {{12, 28}, {12, 20}}}
	if g, ok := fs[6].Geometry.(orb.MultiLineString); !ok || !g.Equal(wantMLS) {
		t.Errorf("feature 6 geometry = %#v, want %v", fs[6].Geometry, wantMLS)
	}

	// 7: nested GeometryCollection -> orb.Collection without its null
	// member (whose arcs are ignored, not even range-checked).
	wantColl := orb.Collection{orb.Point{10, 20}, orb.LineString{{12, 20}, {10, 20}, {10, 28}, {12, 28}}}
	if g, ok := fs[7].Geometry.(orb.Collection); !ok || !g.Equal(wantColl) {
		t.Errorf("feature 7 geometry = %#v, want %v", fs[7].Geometry, wantColl)
	}

	// A single-geometry object gives one feature.
	ps := features(t, topo, "point")
	if len(ps) != 1 || ps[0].Geometry != (orb.Point{14, 28}) || ps[0].ID != "p" || ps[0].Properties["n"] != 2.5 {
		t.Errorf("Features(point) = %#v", ps)
	}
}

func TestFeaturesReturnsFreshCopies(t *testing.T) {
	topo := readString(t, handTopology)
	fs := features(t, topo, "shapes")
	fs[0].Geometry.(orb.Polygon)[0][0] = orb.Point{-1, -1}
	fs[0].Properties["name"] = "changed"
	fs[0].Properties["tags"].([]any)[0] = "changed"
	again := features(t, topo, "shapes")
	if again[0].Geometry.(orb.Polygon)[0][0] != (orb.Point{12, 20}) {
		t.Error("modifying a returned geometry changed the topology")
	}
	if again[0].Properties["name"] != "A" || again[0].Properties["tags"].([]any)[0] != "x" {
		t.Error("modifying returned properties changed the topology")
	}
	names := topo.ObjectNames()
	names[0] = "changed"
	if topo.ObjectNames()[0] != "pair" {
		t.Error("modifying ObjectNames' result changed the topology")
	}
}

func TestPlainTopology(t *testing.T) {
	topo := readString(t, plainTopology)
	one := func(name string) orb.Geometry {
		t.Helper()
		fs := features(t, topo, name)
		if len(fs) != 1 {
			t.Fatalf("Features(%q) gave %d features, want 1", name, len(fs))
		}
		return fs[0].Geometry
	}
	// Clockwise square, reversed; no delta decoding.
	if g := one("sq"); !g.(orb.Polygon).Equal(orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}) {
		t.Errorf("sq = %v", g)
	}
	// Two arcs joined, the shared point kept once; already CCW.
	if g := one("tri"); !g.(orb.Polygon).Equal(orb.Polygon{{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}) {
		t.Errorf("tri = %v", g)
	}
	// A zero-area exterior ring is dropped: an empty Polygon.
	flat := one("flat")
	if p, ok := flat.(orb.Polygon); !ok || len(p) != 0 {
		t.Errorf("flat = %#v, want empty orb.Polygon", flat)
	}
	if mp := geo.AsMultiPolygon(flat); mp != nil {
		t.Errorf("AsMultiPolygon(empty polygon) = %v, want nil", mp)
	}
	// An unclosed ring is closed.
	if g := one("open"); !g.(orb.Polygon).Equal(orb.Polygon{{{0, 0}, {2, 0}, {2, 2}, {0, 0}}}) {
		t.Errorf("open = %v", g)
	}
	if g := one("pts"); !g.(orb.MultiPoint).Equal(orb.MultiPoint{{1.5, 2.5}}) {
		t.Errorf("pts = %v", g)
	}
	m, err := topo.Mesh("tri", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (orb.MultiLineString{{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}); !m.Equal(want) {
		t.Errorf("Mesh(tri) = %v, want %v", m, want)
	}
}

func TestFeatureIDs(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`42`, "42"},
		{`-7`, "-7"},
		{`0`, "0"},
		{`1.5e3`, "1500"},
		{`2.50`, "2.5"},
		{`0.1`, "0.1"},
		{`1e21`, "1000000000000000000000"},
		{`12345678901234567890123`, "12345678901234567890123"},
		{`"06037"`, "06037"},
		{`""`, ""},
		{`null`, ""},
	} {
		doc := `{"type":"Topology","objects":{"o":{"type":null,"id":` + tc.raw + `}}}`
		fs := features(t, readString(t, doc), "o")
		if fs[0].ID != tc.want {
			t.Errorf("id %s: got %q, want %q", tc.raw, fs[0].ID, tc.want)
		}
	}
}

func TestAsMultiPolygon(t *testing.T) {
	poly := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	mp := orb.MultiPolygon{poly, poly}
	if got := geo.AsMultiPolygon(poly); len(got) != 1 || !got[0].Equal(poly) {
		t.Errorf("AsMultiPolygon(Polygon) = %v", got)
	}
	if got := geo.AsMultiPolygon(mp); !got.Equal(mp) {
		t.Errorf("AsMultiPolygon(MultiPolygon) = %v", got)
	}
	for _, g := range []orb.Geometry{nil, orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}, orb.Ring(poly[0]), orb.Collection{poly}} {
		if got := geo.AsMultiPolygon(g); got != nil {
			t.Errorf("AsMultiPolygon(%T) = %v, want nil", g, got)
		}
	}
}

// sortedLines renders lines as strings in sorted order, for comparisons
// that ignore the order of the lines.
func sortedLines(m orb.MultiLineString) []string {
	out := make([]string, len(m))
	for i, l := range m {
		out[i] = fmt.Sprint(l)
	}
	slices.Sort(out)
	return out
}

func TestHandTopologyMesh(t *testing.T) {
	topo := readString(t, handTopology)
	// Expected values were cross-checked with topojson-client 3.1.0.
	for _, tc := range []struct {
		name   string
		object string
		filter func(a, b int) bool
		want   orb.MultiLineString
	}{
		{"all", "pair", nil, orb.MultiLineString{{{12, 28}, {14, 28}, {14, 20}, {12, 20}, {10, 20}, {10, 28}, {12, 28}, {12, 20}}}},
		{"inner", "pair", func(a, b int) bool { return a != b }, orb.MultiLineString{{{12, 28}, {12, 20}}}},
		{"outer", "pair", func(a, b int) bool { return a == b }, orb.MultiLineString{{{12, 20}, {10, 20}, {10, 28}, {12, 28}, {14, 28}, {14, 20}, {12, 20}}}},
		{"none", "pair", func(a, b int) bool { return false }, nil},
		{"no arcs", "point", nil, nil},
		{"shapes", "shapes", nil, orb.MultiLineString{
			{{13, 22}, {13, 22}},
			{{10.5, 22}, {11, 22}, {11, 24}, {10.5, 24}, {10.5, 22}},
			{{12, 28}, {14, 28}, {14, 20}, {12, 20}, {10, 20}, {10, 28}, {12, 28}},
			{{14.5, 38}, {15, 38}},
			{{12, 28}, {12, 20}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := topo.Mesh(tc.object, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sortedLines(got), sortedLines(tc.want)) {
				t.Errorf("Mesh = %v, want %v", got, tc.want)
			}
		})
	}

	// The filter sees the first and last top-level geometry of each arc:
	// arc 0 (A, MultiLineString), 1 (A, B, MultiLineString), 2 (B,
	// LineString), 3 (A, B), 4 (B), 5 (B); the nested collection (7) uses
	// arc 0 too, so arc 0 is reported as 0-7.
	var calls []string
	if _, err := topo.Mesh("shapes", func(a, b int) bool {
		calls = append(calls, fmt.Sprintf("%d-%d", a, b))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"0-7", "0-6", "1-4", "0-1", "1-1", "1-1"}
	if !slices.Equal(calls, want) {
		t.Errorf("filter calls = %v, want %v", calls, want)
	}
}

func TestReadTopologyErrors(t *testing.T) {
	wrap := func(objects string) string {
		return `{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"o":` + objects + `}}`
	}
	for _, tc := range []struct {
		name, input, want string
	}{
		{"empty", ``, "decoding topology JSON"},
		{"not JSON", `not json`, "decoding topology JSON"},
		{"truncated", `{"type":"Topology","objects":{`, "decoding topology JSON"},
		{"trailing data", `{"type":"Topology","objects":{}} {}`, "trailing data"},
		{"array", `[1,2]`, "decoding topology JSON"},
		{"no type", `{"objects":{}}`, `no "type" member`},
		{"wrong type", `{"type":"FeatureCollection","objects":{}}`, `"FeatureCollection", want "Topology"`},
		{"numeric type", `{"type":7,"objects":{}}`, "decoding topology JSON"},
		{"no objects", `{"type":"Topology","arcs":[]}`, `no "objects" member`},
		{"short scale", `{"type":"Topology","objects":{},"transform":{"scale":[1],"translate":[0,0]}}`, "2 scale and 2 translate"},
		{"no translate", `{"type":"Topology","objects":{},"transform":{"scale":[1,1]}}`, "2 scale and 2 translate"},
		{"bad transform", `{"type":"Topology","objects":{},"transform":5}`, "decoding topology transform"},
		{"one-position arc", `{"type":"Topology","objects":{},"arcs":[[[0,0]]]}`, "arc 0 has 1 positions"},
		{"short position", `{"type":"Topology","objects":{},"arcs":[[[0,0],[1,1]],[[0,0],[1]]]}`, "arc 1 position 1 has 1 numbers"},
		{"arcs not array", `{"type":"Topology","objects":{},"arcs":{}}`, "decoding topology JSON"},
		{"geometry not object", wrap(`5`), `object "o": decoding geometry`},
		{"numeric geometry type", wrap(`{"type":5}`), "decoding geometry type"},
		{"unknown type", wrap(`{"type":"Circle"}`), `unknown geometry type "Circle"`},
		{"polygon without arcs", wrap(`{"type":"Polygon"}`), `missing or null "arcs"`},
		{"polygon null arcs", wrap(`{"type":"Polygon","arcs":null}`), `missing or null "arcs"`},
		{"arc index too big", wrap(`{"type":"Polygon","arcs":[[1]]}`), "arc index 1 out of range (topology has 1 arcs)"},
		{"reversed arc index too big", wrap(`{"type":"Polygon","arcs":[[-2]]}`), "arc index -2 out of range"},
		{"linestring index", wrap(`{"type":"LineString","arcs":[0,3]}`), "arc index 3 out of range"},
		{"multilinestring index", wrap(`{"type":"MultiLineString","arcs":[[0],[9]]}`), "arc index 9 out of range"},
		{"multipolygon index", wrap(`{"type":"MultiPolygon","arcs":[[[0]],[[-9]]]}`), "arc index -9 out of range"},
		{"fractional arc index", wrap(`{"type":"LineString","arcs":[1.5]}`), `decoding "arcs"`},
		{"huge arc index", wrap(`{"type":"LineString","arcs":[1e30]}`), `decoding "arcs"`},
		{"arcs wrong depth", wrap(`{"type":"Polygon","arcs":[0]}`), `decoding "arcs"`},
		{"point without coordinates", wrap(`{"type":"Point"}`), `missing or null "coordinates"`},
		{"short point", wrap(`{"type":"Point","coordinates":[1]}`), "position has 1 numbers"},
		{"point coordinates not numbers", wrap(`{"type":"Point","coordinates":["a","b"]}`), `decoding "coordinates"`},
		{"short multipoint position", wrap(`{"type":"MultiPoint","coordinates":[[1,2],[3]]}`), "position 1 has 1 numbers"},
		{"multipoint without coordinates", wrap(`{"type":"MultiPoint"}`), `missing or null "coordinates"`},
		{"collection without geometries", wrap(`{"type":"GeometryCollection"}`), `missing or null "geometries"`},
		{"bad collection member", wrap(`{"type":"GeometryCollection","geometries":[{"type":null},{"type":"Polygon","arcs":[[4]]}]}`), "geometries[1]: "},
		{"boolean id", wrap(`{"type":null,"id":true}`), "neither a string nor a number"},
		{"object id", wrap(`{"type":null,"id":{}}`), "neither a string nor a number"},
		{"properties not object", wrap(`{"type":null,"id":"x","properties":[1]}`), `geometry "x": decoding properties`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			topo, err := geo.ReadTopology(strings.NewReader(tc.input))
			if err == nil {
				t.Fatalf("ReadTopology succeeded (%v), want error containing %q", topo.ObjectNames(), tc.want)
			}
			if !strings.HasPrefix(err.Error(), "geo: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want prefix \"geo: \" and %q", err, tc.want)
			}
		})
	}
}

func TestReadTopologyReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := geo.ReadTopology(iotest.ErrReader(boom))
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "geo: reading topology") {
		t.Errorf("error = %v, want a geo: reading topology error wrapping %v", err, boom)
	}
}

func TestUnknownObject(t *testing.T) {
	topo := readString(t, handTopology)
	if _, err := topo.Features("nope"); err == nil || err.Error() != `geo: topology has no object "nope"` {
		t.Errorf("Features(nope) error = %v", err)
	}
	if _, err := topo.Mesh("nope", nil); err == nil || err.Error() != `geo: topology has no object "nope"` {
		t.Errorf("Mesh(nope) error = %v", err)
	}
}

// checkNormalised reports rings that are not closed, too short, or not
// oriented exterior-CCW / holes-CW.
func checkNormalised(t *testing.T, id string, mp orb.MultiPolygon) {
	t.Helper()
	for pi, p := range mp {
		if len(p) == 0 {
			t.Errorf("%s: polygon %d is empty", id, pi)
		}
		for ri, r := range p {
			want := orb.CCW
			if ri > 0 {
				want = orb.CW
			}
			if !r.Closed() || r.Orientation() != want {
				t.Errorf("%s: polygon %d ring %d: closed=%v orientation=%v, want closed %v", id, pi, ri, r.Closed(), r.Orientation(), want)
			}
		}
	}
}

func TestUSAtlasCounts(t *testing.T) {
	topo := counties(t)
	if got, want := topo.ObjectNames(), []string{"counties", "nation", "states"}; !slices.Equal(got, want) {
		t.Fatalf("ObjectNames = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		object string
		n      int
	}{{"counties", 3231}, {"states", 56}, {"nation", 1}} {
		fs := features(t, topo, tc.object)
		if len(fs) != tc.n {
			t.Errorf("%s: %d features, want %d", tc.object, len(fs), tc.n)
		}
		for _, f := range fs {
			mp := geo.AsMultiPolygon(f.Geometry)
			if f.Geometry == nil || (mp == nil && f.ID != "51610") {
				t.Errorf("%s %q: geometry %T is not polygonal", tc.object, f.ID, f.Geometry)
			}
			checkNormalised(t, tc.object+" "+f.ID, mp)
		}
	}
}

func TestUSAtlasMohave(t *testing.T) {
	fs := features(t, counties(t), "counties")
	_, f := featureByID(t, fs, "04015")
	if f.Properties["name"] != "Mohave" {
		t.Errorf("04015 name = %v, want Mohave", f.Properties["name"])
	}
	b := f.Geometry.Bound()
	if b.Min[0] < -115 || b.Max[0] > -112.5 || b.Min[1] < 34 || b.Max[1] > 37.1 {
		t.Errorf("Mohave bound %v outside lon [-115,-112.5] lat [34,37.1]", b)
	}
	if b.Max[0]-b.Min[0] < 1 || b.Max[1]-b.Min[1] < 2 {
		t.Errorf("Mohave bound %v is implausibly small", b)
	}
}

// rawCounties decodes the county rings straight from the JSON file (arc
// indices only), for comparing the decoder's output with the file.
func rawCounties(t *testing.T) map[string][][][]int {
	t.Helper()
	data, err := countiesJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Objects struct {
			Counties struct {
				Geometries []struct {
					Type string          `json:"type"`
					ID   string          `json:"id"`
					Arcs json.RawMessage `json:"arcs"`
				} `json:"geometries"`
			} `json:"counties"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string][][][]int{}
	for _, g := range doc.Objects.Counties.Geometries {
		var polys [][][]int
		if g.Type == "Polygon" {
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				t.Fatal(err)
			}
			polys = [][][]int{p}
		} else if err := json.Unmarshal(g.Arcs, &polys); err != nil {
			t.Fatal(err)
		}
		out[g.ID] = polys
	}
	return out
}

func TestUSAtlasHolesAndDegenerateRings(t *testing.T) {
	raw := rawCounties(t)
	fs := features(t, counties(t), "counties")

	var rawHoles, holes, shrunk []string
	droppedRings := 0
	for _, f := range fs {
		rawRings, hasRawHole := 0, false
		for _, p := range raw[f.ID] {
			rawRings += len(p)
			hasRawHole = hasRawHole || len(p) > 1
		}
		rings, hasHole := 0, false
		for _, p := range geo.AsMultiPolygon(f.Geometry) {
			rings += len(p)
			hasHole = hasHole || len(p) > 1
		}
		if hasRawHole {
			rawHoles = append(rawHoles, f.ID)
		}
		if hasHole {
			holes = append(holes, f.ID)
		}
		if rings < rawRings {
			shrunk = append(shrunk, f.ID)
			droppedRings += rawRings - rings
		}
	}
	slices.Sort(rawHoles)
	slices.Sort(holes)
	slices.Sort(shrunk)

	// The file has 18 counties with holes; in 6 of them (Haines AK, Denver,
	// Boulder, Broomfield CO, Manassas and Radford VA) every hole is a
	// one-arc, two-point ring that simplification collapsed, so 12 keep a
	// hole after decoding (all Virginia counties around independent cities).
	if len(rawHoles) != 18 {
		t.Errorf("file: %d counties with holes, want 18: %v", len(rawHoles), rawHoles)
	}
	wantHoles := []string{"51003", "51005", "51015", "51059", "51069", "51081", "51089", "51153", "51161", "51163", "51165", "51195"}
	if !slices.Equal(holes, wantHoles) {
		t.Errorf("decoded counties with holes = %v, want %v", holes, wantHoles)
	}
	// 22 degenerate rings in 19 counties are dropped.
	wantShrunk := []string{"02100", "02105", "06075", "08005", "08013", "08014", "08031", "08059", "08123", "10003", "22057", "35043", "45077", "47185", "51121", "51153", "51610", "51683", "51750"}
	if !slices.Equal(shrunk, wantShrunk) || droppedRings != 22 {
		t.Errorf("counties with dropped rings = %v (%d rings), want %v (22 rings)", shrunk, droppedRings, wantShrunk)
	}
	// Falls Church city collapsed to a sliver in the 10m data: no polygon left.
	_, fc := featureByID(t, fs, "51610")
	if p, ok := fc.Geometry.(orb.Polygon); !ok || len(p) != 0 {
		t.Errorf("51610 Falls Church geometry = %#v, want empty orb.Polygon", fc.Geometry)
	}
}

func TestUSAtlasFairfaxHole(t *testing.T) {
	fs := features(t, counties(t), "counties")
	_, county := featureByID(t, fs, "51059")
	_, city := featureByID(t, fs, "51600")
	countyMP, cityMP := geo.AsMultiPolygon(county.Geometry), geo.AsMultiPolygon(city.Geometry)
	if county.Properties["name"] != "Fairfax" || city.Properties["name"] != "Fairfax" {
		t.Fatalf("names = %v, %v", county.Properties["name"], city.Properties["name"])
	}
	c, _ := planar.CentroidArea(cityMP)
	if !planar.MultiPolygonContains(cityMP, c) {
		t.Fatalf("centroid %v of 51600 is not inside it", c)
	}
	if planar.MultiPolygonContains(countyMP, c) {
		t.Errorf("point %v in Fairfax city is inside Fairfax County; the hole was lost", c)
	}
	// The point is within the county's exterior ring: it is the hole that excludes it.
	if !planar.RingContains(countyMP[0][0], c) {
		t.Errorf("point %v is not within Fairfax County's exterior ring", c)
	}
	if len(countyMP) != 1 || len(countyMP[0]) != 2 {
		t.Errorf("Fairfax County has %d polygons, first with %d rings; want 1 polygon with 2 rings", len(countyMP), len(countyMP[0]))
	}
	if a := math.Abs(planar.Area(countyMP[0][1])); math.Abs(a-planar.Area(cityMP)) > 1e-12 {
		t.Errorf("hole area %v differs from Fairfax city area %v", a, planar.Area(cityMP))
	}
}

func TestUSAtlasAntimeridian(t *testing.T) {
	fs := features(t, counties(t), "counties")
	_, f := featureByID(t, fs, "02016")
	if f.Properties["name"] != "Aleutians West" {
		t.Errorf("02016 name = %v", f.Properties["name"])
	}
	mp := geo.AsMultiPolygon(f.Geometry)
	east, west := 0, 0 // parts entirely east of 170°E / west of 170°W
	for _, p := range mp {
		b := p.Bound()
		switch {
		case b.Min[0] > 170:
			east++
		case b.Max[0] < -170:
			west++
		case b.Max[0]-b.Min[0] > 180:
			t.Errorf("part with bound %v spans the map: coordinates were unwrapped", b)
		}
	}
	// The data keeps coordinates in [-180, 180]: islands west of the
	// antimeridian (Attu, Kiska, ...) have longitudes near +172..+179.8,
	// those east of it near -179.1..-167, and no ring crosses ±180.
	if east == 0 || west == 0 {
		t.Errorf("Aleutians West: %d parts east of 170E, %d west of 170W; want both > 0", east, west)
	}
	b := mp.Bound()
	if b.Min[0] > -179 || b.Min[0] < -180 || b.Max[0] < 179 || b.Max[0] > 180 {
		t.Errorf("Aleutians West bound %v, want lon from about -179.1 to +179.8", b)
	}
}

func TestUSAtlasStatesClosedRing(t *testing.T) {
	// In the states object one Illinois ring's last arc ends one quantum
	// (~0.00086°) north of where its first arc starts, so the file's ring
	// is not closed; the decoder closes it.
	fs := features(t, counties(t), "states")
	_, il := featureByID(t, fs, "17")
	for _, p := range geo.AsMultiPolygon(il.Geometry) {
		for _, r := range p {
			if !r.Closed() {
				t.Errorf("Illinois ring not closed: %v ... %v", r[0], r[len(r)-1])
			}
		}
	}
}

func meshLength(m orb.MultiLineString) float64 {
	var l float64
	for _, ls := range m {
		for i := 1; i < len(ls); i++ {
			l += planar.Distance(ls[i-1], ls[i])
		}
	}
	return l
}

func TestUSAtlasStateMesh(t *testing.T) {
	topo := counties(t)
	all, err := topo.Mesh("states", nil)
	if err != nil {
		t.Fatal(err)
	}
	inner, err := topo.Mesh("states", func(a, b int) bool { return a != b })
	if err != nil {
		t.Fatal(err)
	}
	outer, err := topo.Mesh("states", func(a, b int) bool { return a == b })
	if err != nil {
		t.Fatal(err)
	}
	la, li, lo := meshLength(all), meshLength(inner), meshLength(outer)
	// Internal state borders: about 380 degrees of line (planar lon/lat).
	if li < 300 || li > 450 {
		t.Errorf("internal border length %.1f°, want within [300, 450]", li)
	}
	if li >= la {
		t.Errorf("internal border length %.1f° is not less than the full mesh %.1f°", li, la)
	}
	// Every arc is either internal or not, so the parts add up.
	if math.Abs(li+lo-la) > 1e-6 {
		t.Errorf("inner %.6f + outer %.6f != all %.6f", li, lo, la)
	}
	if len(inner) != 59 || len(all) != 319 || len(outer) != 251 {
		t.Errorf("mesh line counts all/inner/outer = %d/%d/%d, want 319/59/251 (as topojson-client)", len(all), len(inner), len(outer))
	}
	// Internal borders lie within the contiguous US plus Alaska-free
	// bounds: no coastline of Hawaii or Alaska (which border no state).
	b := inner.Bound()
	if b.Min[0] < -125 || b.Max[0] > -66 || b.Min[1] < 24 || b.Max[1] > 50 {
		t.Errorf("internal borders bound %v extends beyond the contiguous US", b)
	}
	for _, ls := range all {
		if len(ls) < 2 {
			t.Fatalf("mesh line with %d points", len(ls))
		}
	}
}

func TestWorldAtlas(t *testing.T) {
	topo := readFile(t, worldFile)
	if got, want := topo.ObjectNames(), []string{"countries", "land"}; !slices.Equal(got, want) {
		t.Fatalf("ObjectNames = %v, want %v", got, want)
	}
	fs := features(t, topo, "countries")
	if len(fs) != 177 {
		t.Fatalf("%d countries, want 177", len(fs))
	}
	var noID []string
	for _, f := range fs {
		if f.ID == "" {
			noID = append(noID, f.Properties["name"].(string))
		}
		checkNormalised(t, f.ID, geo.AsMultiPolygon(f.Geometry))
	}
	slices.Sort(noID)
	if want := []string{"Kosovo", "N. Cyprus", "Somaliland"}; !slices.Equal(noID, want) {
		t.Errorf("countries without id = %v, want %v", noID, want)
	}
	_, fiji := featureByID(t, fs, "242")
	if fiji.Properties["name"] != "Fiji" {
		t.Errorf("242 name = %v, want Fiji", fiji.Properties["name"])
	}
	if b := fiji.Geometry.Bound(); b.Min[0] > -179 || b.Max[0] < 179 {
		t.Errorf("Fiji bound %v: want parts on both sides of the antimeridian", b)
	}
	land := features(t, topo, "land")
	if len(land) != 1 || len(geo.AsMultiPolygon(land[0].Geometry)) < 100 {
		t.Errorf("land: %d features", len(land))
	}
}

func BenchmarkReadTopology(b *testing.B) {
	data, err := countiesJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := geo.ReadTopology(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFeaturesCounties(b *testing.B) {
	topo := counties(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := topo.Features("counties"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMeshStates(b *testing.B) {
	topo := counties(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := topo.Mesh("states", func(a, b int) bool { return a != b }); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzReadTopology(f *testing.F) {
	f.Add([]byte(handTopology))
	f.Add([]byte(plainTopology))
	f.Add([]byte(`{"type":"Topology","objects":{}}`))
	f.Add([]byte(`{"type":"Topology","arcs":[[[0,0],[0,0]]],"objects":{"o":{"type":"MultiPolygon","arcs":[[[0,-1]]]}}}`))
	f.Add([]byte(`{"type":"Topology","transform":{"scale":[1e308,1e308],"translate":[1e308,0]},"arcs":[[[1,1],[1,0],[0,1]]],"objects":{"o":{"type":"Polygon","arcs":[[0,-1]]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := geo.ReadTopology(bytes.NewReader(data))
		if err != nil {
			if topo != nil || !strings.HasPrefix(err.Error(), "geo: ") {
				t.Fatalf("error %q with topology %v", err, topo)
			}
			return
		}
		var geoms []orb.MultiPolygon
		for _, name := range topo.ObjectNames() {
			fs, err := topo.Features(name)
			if err != nil {
				t.Fatalf("Features(%q) of a listed object: %v", name, err)
			}
			for _, f := range fs {
				mp := geo.AsMultiPolygon(f.Geometry)
				for _, p := range mp {
					for ri, r := range p {
						if !r.Closed() || (ri == 0) != (r.Orientation() == orb.CCW) {
							t.Fatalf("object %q: ring %d not normalised: %v", name, ri, r)
						}
					}
				}
				geoms = append(geoms, mp)
			}
			for _, filter := range []func(a, b int) bool{nil, func(a, b int) bool { return a != b }} {
				if _, err := topo.Mesh(name, filter); err != nil {
					t.Fatalf("Mesh(%q): %v", name, err)
				}
			}
		}
		ix := geo.NewPolygonIndex(geoms)
		if ix.Len() != len(geoms) {
			t.Fatalf("Len = %d, want %d", ix.Len(), len(geoms))
		}
		for _, p := range []orb.Point{{0, 0}, {11, 25}, {12, 20}} {
			if i := ix.Locate(p); i >= len(geoms) {
				t.Fatalf("Locate = %d out of range", i)
			}
			ix.Nearest(p, 1)
		}
	})
}
