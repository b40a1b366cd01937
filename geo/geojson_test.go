package geo_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/geo"
)

const handGeoJSON = `{"type": "FeatureCollection", "features": [
  {"type": "Feature", "id": 1001, "properties": {"name": "Square", "pop": 12.5, "ok": true, "tags": ["a"]},
   "geometry": {"type": "Polygon", "coordinates": [[[0,0],[0,1],[1,1],[1,0]]]}},
  {"type": "Feature", "id": "B", "properties": {"name": "Two", "pop": null},
   "geometry": {"type": "MultiPolygon", "coordinates": [[[[2,0,5],[3,0,5],[3,1,5],[2,0,5]]], [[[4,0],[5,0],[5,1],[4,0]]]]}},
  {"type": "Feature", "properties": {"name": "Pin"}, "geometry": {"type": "Point", "coordinates": [7,8]}},
  {"type": "Feature", "id": 2.5, "properties": null, "geometry": null},
  {"type": "Feature", "id": "C", "properties": {"name": "Coll"},
   "geometry": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}]}}
]}`

func TestReadGeoJSONFeatureCollection(t *testing.T) {
	fs, err := geo.ReadGeoJSON(strings.NewReader(handGeoJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 5 {
		t.Fatalf("got %d features, want 5", len(fs))
	}
	wantIDs := []string{"1001", "B", "", "2.5", "C"}
	for i, f := range fs {
		if f.ID != wantIDs[i] {
			t.Errorf("feature %d id = %q, want %q", i, f.ID, wantIDs[i])
		}
	}
	// The ring is kept exactly as written: open and clockwise.
	wantPoly := orb.Polygon{{{0, 0}, {0, 1}, {1, 1}, {1, 0}}}
	if !reflect.DeepEqual(fs[0].Geometry, wantPoly) {
		t.Errorf("feature 0 geometry = %v, want %v", fs[0].Geometry, wantPoly)
	}
	wantMP := orb.MultiPolygon{{{{2, 0}, {3, 0}, {3, 1}, {2, 0}}}, {{{4, 0}, {5, 0}, {5, 1}, {4, 0}}}}
	if !reflect.DeepEqual(fs[1].Geometry, wantMP) {
		t.Errorf("feature 1 geometry = %v, want %v", fs[1].Geometry, wantMP)
	}
	if p, ok := fs[2].Geometry.(orb.Point); !ok || p != (orb.Point{7, 8}) {
		t.Errorf("feature 2 geometry = %#v, want Point(7 8)", fs[2].Geometry)
	}
	if fs[3].Geometry != nil || fs[3].Properties != nil {
		t.Errorf("feature 3 = %+v, want no geometry and no properties", fs[3])
	}
	if mp, ok := geo.Polygonal(fs[4].Geometry); !ok || len(mp) != 1 {
		t.Errorf("feature 4 collection of one polygon: Polygonal = %v, %v", mp, ok)
	}
	if _, ok := geo.Polygonal(fs[2].Geometry); ok {
		t.Error("a Point is Polygonal")
	}
	if got := geo.PropertyText(fs[0], "pop"); got != "12.5" {
		t.Errorf("pop = %q", got)
	}
	if got := geo.PropertyText(fs[0], "ok"); got != "true" {
		t.Errorf("ok = %q", got)
	}
	if got := geo.PropertyText(fs[0], "tags"); got != `["a"]` {
		t.Errorf("tags = %q", got)
	}
	if got := geo.PropertyText(fs[1], "pop"); got != "" {
		t.Errorf("null pop = %q", got)
	}
	if got := geo.PropertyText(fs[0], geo.FeatureIDProp); got != "1001" {
		t.Errorf("feature id = %q", got)
	}

	props := geo.ListProperties(fs)
	want := []geo.PropertyInfo{
		{Name: geo.FeatureIDProp, Count: 4, Distinct: 4, Examples: []string{"1001", "B", "2.5"}},
		{Name: "name", Count: 4, Distinct: 4, Examples: []string{"Square", "Two", "Pin"}},
		{Name: "ok", Count: 1, Distinct: 1, Examples: []string{"true"}},
		{Name: "pop", Count: 1, Distinct: 1, Examples: []string{"12.5"}},
		{Name: "tags", Count: 1, Distinct: 1, Examples: []string{`["a"]`}},
	}
	if !reflect.DeepEqual(props, want) {
		t.Errorf("ListProperties =\n%+v\nwant\n%+v", props, want)
	}
}

func TestReadGeoJSONSingleFeatureAndBareGeometry(t *testing.T) {
	fs, err := geo.ReadGeoJSON(strings.NewReader(`{"type":"Feature","id":"x","properties":{},"geometry":{"type":"Polygon","coordinates":[]}}`))
	if err != nil || len(fs) != 1 || fs[0].ID != "x" || fs[0].Properties == nil {
		t.Fatalf("Feature: %+v, %v", fs, err)
	}
	fs, err = geo.ReadGeoJSON(strings.NewReader(` {"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,1],[0,0]]]]} `))
	if err != nil || len(fs) != 1 || fs[0].ID != "" {
		t.Fatalf("bare geometry: %+v, %v", fs, err)
	}
	if want := (orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}}); !reflect.DeepEqual(fs[0].Geometry, want) {
		t.Errorf("bare geometry = %v", fs[0].Geometry)
	}
	for in, want := range map[string]orb.Geometry{
		`{"type":"MultiPoint","coordinates":[[1,2],[3,4,5]]}`:         orb.MultiPoint{{1, 2}, {3, 4}},
		`{"type":"LineString","coordinates":[[1,2],[3,4]]}`:           orb.LineString{{1, 2}, {3, 4}},
		`{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[]]}`: orb.MultiLineString{{{1, 2}, {3, 4}}, {}},
	} {
		fs, err := geo.ReadGeoJSON(strings.NewReader(in))
		if err != nil || len(fs) != 1 || !reflect.DeepEqual(fs[0].Geometry, want) {
			t.Errorf("%s: %v, %v", in, fs, err)
		}
	}
}

func TestReadGeoJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "decoding GeoJSON"},
		{`[]`, "decoding GeoJSON"},
		{`{}`, `no "type" member`},
		{`{"type":"FeatureCollection"}`, `no "features" array`},
		{`{"type":"FeatureCollection","features":[]} {}`, "trailing data"},
		{`{"type":"Topology","objects":{}}`, "read it with ReadTopology"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature"},{"type":"Polygon"}]}`, `feature 2: type is "Polygon", want "Feature"`},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1]]]}}]}`, "feature 1: ring 1 position 2 has 1 numbers"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0]]],[[["a"]]]]}}]}`, "MultiPolygon: decoding"},
		{`{"type":"Feature","id":{"a":1},"geometry":null}`, "neither a string nor a number"},
		{`{"type":"Feature","properties":[1],"geometry":null}`, "decoding properties"},
		{`{"type":"Feature","geometry":{"type":"Circle"}}`, `unknown geometry type "Circle"`},
		{`{"type":"Feature","geometry":{"type":"Point"}}`, `missing or null "coordinates"`},
		{`{"type":"Feature","geometry":{"type":"Feature"}}`, "a Feature where a geometry belongs"},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}`, "Point: position has 1 numbers"},
		{`{"type":"LineString","coordinates":[[0,0],[1]]}`, "LineString: position 2 has 1 numbers"},
		{`{"type":"MultiLineString","coordinates":[[[0,0]],[[1]]]}`, "MultiLineString line 2: position 1 has 1 numbers"},
		{`{"type":"GeometryCollection"}`, `no "geometries" array`},
		{`{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1e999]]]}`, "decoding"},
	} {
		_, err := geo.ReadGeoJSON(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "geo: ") {
			t.Errorf("ReadGeoJSON(%s) error = %v, want one containing %q", tc.in, err, tc.want)
		}
	}
	deep := strings.Repeat(`{"type":"GeometryCollection","geometries":[`, 40) + strings.Repeat(`]}`, 40)
	if _, err := geo.ReadGeoJSON(strings.NewReader(deep)); err == nil || !strings.Contains(err.Error(), "nested more than 32") {
		t.Errorf("deep nesting: %v", err)
	}
}

// TestReadGeoJSONRomania reads Natural Earth's Romanian counties: 42
// polygons with HASC ids.
func TestReadGeoJSONRomania(t *testing.T) {
	f, err := os.Open("testdata/romania_counties_ne.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fs, err := geo.ReadGeoJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 42 {
		t.Fatalf("%d features, want 42", len(fs))
	}
	props := geo.ListProperties(fs)
	if len(props) != 2 || props[0].Name != geo.FeatureIDProp || props[0].Distinct != 42 || props[1].Name != "name" || props[1].Distinct != 42 {
		t.Errorf("properties = %+v", props)
	}
	if fs[0].ID != "RO.DJ" || geo.PropertyText(fs[0], "name") != "Dolj" {
		t.Errorf("first feature %q %q", fs[0].ID, geo.PropertyText(fs[0], "name"))
	}
	var repaired, invalid int
	for _, f := range fs {
		mp, ok := geo.Polygonal(f.Geometry)
		if !ok {
			t.Fatalf("%s is not polygonal", f.ID)
		}
		out, rep := geo.RepairMultiPolygon(mp, true)
		if len(out) == 0 {
			t.Errorf("%s lost its geometry", f.ID)
		}
		if rep.Changed() {
			repaired++
		}
		if len(rep.Invalid) > 0 {
			invalid++
		}
	}
	if repaired != 0 || invalid != 0 {
		t.Errorf("repaired %d, invalid %d, want 0 and 0", repaired, invalid)
	}
}

// FuzzGeoJSON: no input makes the decoder, ListProperties or the repair
// panic, and whatever is repaired has closed rings of at least 4 points
// within [-180, 180] when it was split.
func FuzzGeoJSON(f *testing.F) {
	f.Add([]byte(handGeoJSON))
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[170,0],[-170,0],[-170,10],[170,10],[170,0]]]}`))
	f.Add([]byte(`{"type":"Polygon","coordinates":[[[-180,-80],[0,-80],[180,-80],[-180,-80]]]}`))
	f.Add([]byte(`{"type":"Feature","id":-99,"properties":{"a":{"b":[1,2]}},"geometry":{"type":"GeometryCollection","geometries":[]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := geo.ReadGeoJSON(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		geo.ListProperties(fs)
		for _, ft := range fs {
			mp, ok := geo.Polygonal(ft.Geometry)
			if !ok {
				continue
			}
			out, rep := geo.RepairMultiPolygon(mp, true)
			checkRepaired(t, out, rep)
		}
	})
}

// checkRepaired checks the invariants of RepairMultiPolygon's result.
func checkRepaired(t *testing.T, out orb.MultiPolygon, rep geo.RepairReport) {
	t.Helper()
	for _, p := range out {
		if len(p) == 0 {
			t.Fatal("empty polygon in the result")
		}
		for _, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Fatalf("ring %v is open or too short", r)
			}
			if rep.SplitPolygons > 0 && rep.UnsplitPolygons == 0 {
				for _, q := range r {
					if q[0] < -180 || q[0] > 180 {
						t.Fatalf("split ring has longitude %v", q[0])
					}
				}
			}
		}
	}
	for _, is := range rep.Invalid {
		if is.Polygon >= len(out) || is.Ring >= len(out[is.Polygon]) || is.Err == nil {
			t.Fatalf("bad RingIssue %+v", is)
		}
	}
}
