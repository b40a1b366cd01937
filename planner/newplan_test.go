package planner_test

import (
	"os"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
)

// TestReadGeographyFile reads a GeoJSON file and a TopoJSON layer, picks
// the TopoJSON object with the most polygons, and reports bad input by file.
func TestReadGeographyFile(t *testing.T) {
	f, err := os.Open("../geo/testdata/romania_counties_ne.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := planner.ReadGeographyFile("data/romania_counties_ne.geojson", f, "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Topo || g.Source != "romania_counties_ne.geojson" || len(g.Features) != 42 {
		t.Errorf("GeoJSON: topo %v, source %q, %d features; want false, the base name, 42", g.Topo, g.Source, len(g.Features))
	}

	var world assets.BoundaryLayer
	for _, l := range assets.BoundaryLayers() {
		if l.Key == "world-countries" {
			world = l
		}
	}
	rc, err := world.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	w, err := planner.ReadGeographyFile(world.File, rc, "")
	if err != nil {
		t.Fatal(err)
	}
	if !w.Topo || w.Object != "countries" || strings.Join(w.Objects, ",") != "countries,land" || len(w.Features) != 241 {
		t.Errorf("TopoJSON: topo %v, object %q of %v, %d features; want countries of [countries land], 241", w.Topo, w.Object, w.Objects, len(w.Features))
	}
	hasName := false
	for _, p := range w.Properties {
		hasName = hasName || p.Name == "name"
	}
	if !hasName || w.Properties[0].Name != geo.FeatureIDProp {
		t.Errorf("properties %v: want the feature id first and name", w.Properties)
	}

	for _, c := range []struct{ name, text, object, code, msg string }{
		{"list.csv", "a,b\n1,2\n", "", planner.EINVALID, "list.csv is not a GeoJSON or TopoJSON file"},
		{"broken.json", `{"type":"FeatureCollection","features":[{]}`, "", planner.EINVALID, "broken.json is not a valid GeoJSON file"},
		{"t.topojson", `{"type":"Topology","objects":{"a":{"type":"GeometryCollection","geometries":[]}},"arcs":[]}`, "b", planner.ENOTFOUND, `t.topojson has no object "b"; it has: a`},
	} {
		_, err := planner.ReadGeographyFile(c.name, strings.NewReader(c.text), c.object)
		if planner.ErrorCode(err) != c.code || !strings.HasPrefix(planner.ErrorMessage(err), c.msg) {
			t.Errorf("%s: got %s %q, want %s %q", c.name, planner.ErrorCode(err), planner.ErrorMessage(err), c.code, c.msg)
		}
	}
}

// TestNewPlan builds a plan on Romania's counties: one empty scenario, every
// county white space, and a name required.
func TestNewPlan(t *testing.T) {
	f, err := os.Open("../geo/testdata/romania_counties_ne.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := planner.ReadGeographyFile("romania.geojson", f, "")
	if err != nil {
		t.Fatal(err)
	}
	units, _, err := planner.UnitsFromFeatures(g.Features, geo.FeatureIDProp, "name", planner.UnitOptions{Source: g.Source})
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.NewPlan(planner.PlanTemplate{Name: "  Romania 2027 ", UnitLevel: "County", Units: units})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	if p.Name != "Romania 2027" || len(p.Units) != 42 || p.Units[0].Code != "RO.DJ" || p.Units[0].Name != "Dolj" || s == nil || s.Name != "Base plan" || len(s.Territories) != 0 || len(s.Alignment) != 0 || p.PotentialName != "Potential" || p.Created.IsZero() {
		t.Errorf("plan %q: %d units, scenario %+v, potential %q", p.Name, len(p.Units), s, p.PotentialName)
	}
	if _, err := planner.NewPlan(planner.PlanTemplate{Name: " ", Units: units}); planner.ErrorMessage(err) != "The new plan needs a name" {
		t.Errorf("no name: %v", err)
	}
}

// TestReadGeographyFileShapefile checks that each part of an Esri
// shapefile gets a message saying how to convert it, not a JSON error.
func TestReadGeographyFileShapefile(t *testing.T) {
	for _, name := range []string{"blockgroups.shp", "blockgroups.shx", "blockgroups.dbf"} {
		f, err := os.Open("testdata/messy/" + name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = planner.ReadGeographyFile(name, f, "")
		f.Close()
		msg := planner.ErrorMessage(err)
		if planner.ErrorCode(err) != planner.EUNSUPPORTED || !strings.HasPrefix(msg, name+" is ") || !strings.Contains(msg, "Convert the shapefile to GeoJSON") {
			t.Errorf("%s: %s %q", name, planner.ErrorCode(err), msg)
		}
	}
	// The shape file's magic number is recognised whatever the name.
	f, err := os.Open("testdata/messy/blockgroups.shp")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := planner.ReadGeographyFile("upload.json", f, ""); !strings.Contains(planner.ErrorMessage(err), "upload.json is part of an Esri shapefile") {
		t.Errorf("renamed .shp: %v", err)
	}
}
