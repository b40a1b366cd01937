package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
)

// This file decodes GeoJSON as specified by RFC 7946
// (https://www.rfc-editor.org/rfc/rfc7946) into orb geometries. It does not
// use github.com/paulmach/orb/geojson: that package fills a position with
// one number with a zero instead of reporting it, and it would bring the
// MongoDB BSON library into every binary that imports geo.

// rawGeoJSON mirrors any GeoJSON object: a FeatureCollection, a Feature or
// a geometry. Members are decoded according to "type".
type rawGeoJSON struct {
	Type        *string           `json:"type"`
	ID          json.RawMessage   `json:"id"`
	Properties  json.RawMessage   `json:"properties"`
	Geometry    json.RawMessage   `json:"geometry"`
	Features    []json.RawMessage `json:"features"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

// maxGeoJSONDepth bounds the nesting of GeometryCollections.
const maxGeoJSONDepth = 32

// ReadGeoJSON decodes a GeoJSON document (RFC 7946) from r into features: one
// per member of a FeatureCollection (in file order), one for a single
// Feature, and one with no ID and no properties for a bare geometry.
//
// Feature.ID is the feature's "id" member as a string (strings as they are,
// integers as written, other numbers in shortest 'f' form; "" when absent
// or null). Properties is the "properties" object decoded with encoding/json
// (numbers are float64), nil when absent or null. Geometry is:
//   - orb.Polygon or orb.MultiPolygon with the file's rings exactly as
//     written (not closed, re-oriented or cleaned: see [RepairMultiPolygon]);
//     positions are lon/lat degrees (WGS84) per RFC 7946, any third number
//     (altitude) is ignored;
//   - orb.Point, orb.MultiPoint, orb.LineString, orb.MultiLineString or
//     orb.Collection for the other geometry types (a collection's members
//     decoded the same way);
//   - nil for a null geometry.
//
// It returns an error (prefixed "geo: ") when reading r fails, the input is
// not one valid JSON object (or has trailing data), the top-level or a
// feature's "type" is missing or unknown (a "Topology" gets a message that
// says to read it as TopoJSON), or a feature's id, properties or
// coordinates are malformed (a position with fewer than two numbers, rings
// that are not arrays of positions); the message names the feature by its
// 1-based position in the file.
func ReadGeoJSON(r io.Reader) ([]Feature, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("geo: reading GeoJSON: %w", err)
	}
	var raw rawGeoJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("geo: decoding GeoJSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("geo: decoding GeoJSON: trailing data after the GeoJSON object")
	}
	if raw.Type == nil {
		return nil, errors.New(`geo: GeoJSON object has no "type" member`)
	}
	switch *raw.Type {
	case "FeatureCollection":
		if raw.Features == nil {
			return nil, errors.New(`geo: GeoJSON FeatureCollection has no "features" array`)
		}
		out := make([]Feature, 0, len(raw.Features))
		for i, msg := range raw.Features {
			var rf rawGeoJSON
			if err := json.Unmarshal(msg, &rf); err != nil {
				return nil, fmt.Errorf("geo: GeoJSON feature %d: %w", i+1, err)
			}
			f, err := decodeGeoJSONFeature(&rf)
			if err != nil {
				return nil, fmt.Errorf("geo: GeoJSON feature %d: %w", i+1, err)
			}
			out = append(out, f)
		}
		return out, nil
	case "Feature":
		f, err := decodeGeoJSONFeature(&raw)
		if err != nil {
			return nil, fmt.Errorf("geo: GeoJSON feature 1: %w", err)
		}
		return []Feature{f}, nil
	case "Topology":
		return nil, errors.New("geo: this is a TopoJSON topology, not GeoJSON; read it with ReadTopology")
	default:
		g, err := decodeGeoJSONGeometry(&raw, 0)
		if err != nil {
			return nil, fmt.Errorf("geo: GeoJSON geometry: %w", err)
		}
		return []Feature{{Geometry: g}}, nil
	}
}

// decodeGeoJSONFeature decodes one Feature object.
func decodeGeoJSONFeature(raw *rawGeoJSON) (Feature, error) {
	var f Feature
	if raw.Type == nil || *raw.Type != "Feature" {
		t := "none"
		if raw.Type != nil {
			t = strconv.Quote(*raw.Type)
		}
		return f, fmt.Errorf(`type is %s, want "Feature"`, t)
	}
	id, err := decodeID(raw.ID)
	if err != nil {
		return f, err
	}
	f.ID = id
	if len(raw.Properties) > 0 && string(raw.Properties) != "null" {
		if err := json.Unmarshal(raw.Properties, &f.Properties); err != nil {
			return f, fmt.Errorf("decoding properties: %w", err)
		}
		if f.Properties == nil {
			f.Properties = map[string]any{}
		}
	}
	if len(raw.Geometry) == 0 || string(raw.Geometry) == "null" {
		return f, nil
	}
	var rg rawGeoJSON
	if err := json.Unmarshal(raw.Geometry, &rg); err != nil {
		return f, fmt.Errorf("decoding geometry: %w", err)
	}
	g, err := decodeGeoJSONGeometry(&rg, 0)
	if err != nil {
		return f, err
	}
	f.Geometry = g
	return f, nil
}

// decodeGeoJSONGeometry decodes a geometry object.
func decodeGeoJSONGeometry(raw *rawGeoJSON, depth int) (orb.Geometry, error) {
	if raw.Type == nil {
		return nil, errors.New(`geometry has no "type" member`)
	}
	switch t := *raw.Type; t {
	case "Polygon":
		var c [][][]float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &c); err != nil {
			return nil, fmt.Errorf("Polygon: %w", err)
		}
		return polygonFromJSON(c)
	case "MultiPolygon":
		var c [][][][]float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &c); err != nil {
			return nil, fmt.Errorf("MultiPolygon: %w", err)
		}
		mp := make(orb.MultiPolygon, 0, len(c))
		for k, pc := range c {
			p, err := polygonFromJSON(pc)
			if err != nil {
				return nil, fmt.Errorf("MultiPolygon polygon %d: %w", k+1, err)
			}
			mp = append(mp, p)
		}
		return mp, nil
	case "GeometryCollection":
		if depth >= maxGeoJSONDepth {
			return nil, fmt.Errorf("GeometryCollections nested more than %d deep", maxGeoJSONDepth)
		}
		if raw.Geometries == nil {
			return nil, errors.New(`GeometryCollection has no "geometries" array`)
		}
		c := make(orb.Collection, 0, len(raw.Geometries))
		for k, msg := range raw.Geometries {
			var rg rawGeoJSON
			if err := json.Unmarshal(msg, &rg); err != nil {
				return nil, fmt.Errorf("GeometryCollection member %d: %w", k+1, err)
			}
			g, err := decodeGeoJSONGeometry(&rg, depth+1)
			if err != nil {
				return nil, fmt.Errorf("GeometryCollection member %d: %w", k+1, err)
			}
			if g != nil {
				c = append(c, g)
			}
		}
		return c, nil
	case "Point":
		var c []float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &c); err != nil {
			return nil, fmt.Errorf("Point: %w", err)
		}
		if len(c) < 2 {
			return nil, fmt.Errorf("Point: position has %d numbers, want at least 2", len(c))
		}
		return orb.Point{c[0], c[1]}, nil
	case "MultiPoint", "LineString":
		var c [][]float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &c); err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		pts, err := positionsFromJSON(c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		if t == "MultiPoint" {
			return orb.MultiPoint(pts), nil
		}
		return orb.LineString(pts), nil
	case "MultiLineString":
		var c [][][]float64
		if err := unmarshalMember(raw.Coordinates, "coordinates", &c); err != nil {
			return nil, fmt.Errorf("MultiLineString: %w", err)
		}
		mls := make(orb.MultiLineString, len(c))
		for k, lc := range c {
			pts, err := positionsFromJSON(lc)
			if err != nil {
				return nil, fmt.Errorf("MultiLineString line %d: %w", k+1, err)
			}
			mls[k] = pts
		}
		return mls, nil
	case "Feature", "FeatureCollection":
		return nil, fmt.Errorf("a %s where a geometry belongs", t)
	default:
		return nil, fmt.Errorf("unknown geometry type %q", t)
	}
}

// positionsFromJSON converts decoded positions, checking that each has at
// least two numbers.
func positionsFromJSON(c [][]float64) ([]orb.Point, error) {
	pts := make([]orb.Point, len(c))
	for j, pos := range c {
		if len(pos) < 2 {
			return nil, fmt.Errorf("position %d has %d numbers, want at least 2", j+1, len(pos))
		}
		pts[j] = orb.Point{pos[0], pos[1]}
	}
	return pts, nil
}

// polygonFromJSON converts decoded polygon coordinates, checking that every
// position has at least two numbers.
func polygonFromJSON(c [][][]float64) (orb.Polygon, error) {
	poly := make(orb.Polygon, len(c))
	for k, rc := range c {
		pts, err := positionsFromJSON(rc)
		if err != nil {
			return nil, fmt.Errorf("ring %d %w", k+1, err)
		}
		poly[k] = pts
	}
	return poly, nil
}

// FeatureIDProp is the property name under which [ListProperties] lists, and
// [PropertyText] reads, a feature's own "id" member (Feature.ID) rather than
// an entry of its properties.
const FeatureIDProp = "(feature id)"

// PropertyInfo describes one property of a set of features, so that a user
// can choose which property holds the unit's code and which its name.
type PropertyInfo struct {
	Name     string   // the property name, or FeatureIDProp
	Count    int      // features with a non-empty value
	Distinct int      // distinct non-empty values; Distinct == Count means the values are unique
	Examples []string // the first three distinct non-empty values, in feature order
}

// ListProperties lists the properties of features: first FeatureIDProp when
// any feature has an id, then every property name found in any feature's
// Properties, sorted in increasing byte order. Values are compared as
// [PropertyText] gives them. It costs O(features × properties).
func ListProperties(features []Feature) []PropertyInfo {
	names := map[string]bool{}
	hasID := false
	for _, f := range features {
		hasID = hasID || f.ID != ""
		for k := range f.Properties {
			names[k] = true
		}
	}
	order := make([]string, 0, len(names)+1)
	if hasID {
		order = append(order, FeatureIDProp)
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	order = append(order, sorted...)

	out := make([]PropertyInfo, 0, len(order))
	for _, name := range order {
		info := PropertyInfo{Name: name}
		seen := map[string]bool{}
		for _, f := range features {
			v := PropertyText(f, name)
			if v == "" {
				continue
			}
			info.Count++
			if !seen[v] {
				seen[v] = true
				if len(info.Examples) < 3 {
					info.Examples = append(info.Examples, v)
				}
			}
		}
		info.Distinct = len(seen)
		out = append(out, info)
	}
	return out
}

// PropertyText returns feature f's value of the named property as text: f.ID
// for FeatureIDProp; a string as it is; a number in shortest form without
// exponent ("1001", "12.5"); "true" or "false"; "" for an absent or null
// property; arrays and objects as compact JSON.
func PropertyText(f Feature, name string) string {
	if name == FeatureIDProp {
		return f.ID
	}
	switch v := f.Properties[name].(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}
