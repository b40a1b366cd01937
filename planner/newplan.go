package planner

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/meridianplan/meridian/geo"
)

// GeographyFile is a GeoJSON or TopoJSON file decoded for import as a
// geography layer: its features (from one TopoJSON object) and what their
// properties hold, so that the user can choose the ID and name properties.
type GeographyFile struct {
	Source   string   // the file name, for messages
	Topo     bool     // TopoJSON (else GeoJSON)
	Objects  []string // TopoJSON: the object names, sorted; nil for GeoJSON
	Object   string   // TopoJSON: the object read
	Features []geo.Feature
	// Properties lists every property with how many features have it
	// (geo.ListProperties), geo.FeatureIDProp first when features have ids.
	Properties []geo.PropertyInfo
}

// ReadGeographyFile decodes a GeoJSON or TopoJSON file (told apart by its
// "type": "Topology"). For TopoJSON, object names the object holding the
// units; "" picks the only object, or the one with the most polygon
// features. Rings are kept as the file has them (repair happens in
// UnitsFromFeatures). source names the file in messages.
//
// It returns an *Error: EUNSUPPORTED for a part of an Esri shapefile (.shp,
// .shx, .dbf), saying how to convert it; EINVALID naming the file when it is
// neither GeoJSON nor TopoJSON or is malformed, ENOTFOUND when object is not in the file
// (listing those there are), EIO when r fails.
func ReadGeographyFile(source string, r io.Reader, object string) (*GeographyFile, error) {
	name := filepath.Base(source)
	br := bufio.NewReader(r)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{Code: EIO, Message: "Could not read " + name, Err: err}
	}
	f := &GeographyFile{Source: name}
	if msg := notGeoJSON(name, head); msg != "" {
		return nil, Errorf(EUNSUPPORTED, "%s", msg)
	}
	trimmed := bytes.TrimLeftFunc(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), unicode.IsSpace)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, Errorf(EINVALID, "%s is not a GeoJSON or TopoJSON file: it does not start with '{'", name)
	}
	if isTopology(head) {
		f.Topo = true
		t, err := geo.ReadTopology(br)
		if err != nil {
			return nil, &Error{Code: EINVALID, Message: name + " is not a valid TopoJSON file", Err: err}
		}
		f.Objects = t.ObjectNames()
		if object == "" {
			object = mostPolygons(t)
		}
		found := false
		for _, o := range f.Objects {
			found = found || o == object
		}
		if !found {
			return nil, Errorf(ENOTFOUND, "%s has no object %q; it has: %s", name, object, strings.Join(f.Objects, ", "))
		}
		f.Object = object
		if f.Features, err = t.RawFeatures(object); err != nil {
			return nil, &Error{Code: EINVALID, Message: name + ": object " + object + " could not be read", Err: err}
		}
	} else {
		if f.Features, err = geo.ReadGeoJSON(br); err != nil {
			return nil, &Error{Code: EINVALID, Message: name + " is not a valid GeoJSON file", Err: err}
		}
	}
	f.Properties = geo.ListProperties(f.Features)
	return f, nil
}

// notGeoJSON recognises the files people try instead of GeoJSON (an Esri
// shapefile's .shp, .shx or .dbf part) and returns what to do, or "".
func notGeoJSON(name string, head []byte) string {
	ext := strings.ToLower(filepath.Ext(name))
	shape := len(head) >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x27 && head[3] == 0x0a // file code 9994
	switch {
	case shape || ext == ".shp" || ext == ".shx":
		return name + " is part of an Esri shapefile, which Meridian cannot read. Convert the shapefile to GeoJSON (in QGIS: Export > Save Features As… > GeoJSON, coordinates in EPSG:4326) and import the .geojson file."
	case ext == ".dbf":
		return name + " is the attribute table of an Esri shapefile (dBASE), without the shapes. Convert the shapefile to GeoJSON (in QGIS: Export > Save Features As… > GeoJSON, coordinates in EPSG:4326) and import the .geojson file."
	}
	return ""
}

// isTopology reports whether the start of a JSON document says
// "type": "Topology".
func isTopology(head []byte) bool {
	i := bytes.Index(head, []byte(`"Topology"`))
	if i < 0 {
		return false
	}
	before := bytes.TrimRightFunc(head[:i], unicode.IsSpace)
	before = bytes.TrimSuffix(before, []byte(":"))
	before = bytes.TrimRightFunc(before, unicode.IsSpace)
	return bytes.HasSuffix(before, []byte(`"type"`))
}

// mostPolygons returns the object of t with the most polygon features
// (the first in name order on a tie).
func mostPolygons(t *geo.Topology) string {
	best, bestN := "", -1
	for _, o := range t.ObjectNames() {
		fs, err := t.RawFeatures(o)
		if err != nil {
			continue
		}
		n := 0
		for _, f := range fs {
			if _, ok := geo.Polygonal(f.Geometry); ok {
				n++
			}
		}
		if n > bestN {
			best, bestN = o, n
		}
	}
	return best
}

// PlanTemplate describes a new, empty plan (see NewPlan).
type PlanTemplate struct {
	Name          string // the plan's name; required
	Description   string
	UnitLevel     string // e.g. "Country"; "" becomes "Unit"
	ParentLevel   string // e.g. "Region"; may be ""
	PotentialName string // e.g. "Annual revenue (USD)"; "" becomes "Potential"
	Attribution   string // the layer's source and licence, one per line
	Units         []GeographyUnit
	Created       time.Time // UTC; zero means now
}

// NewPlan returns a plan on the template's geography layer with no
// accounts, no reps and one scenario, "Base plan" (ID 1, active), with no
// territories: every unit is white space until the user builds territories.
// It returns an *Error (EINVALID) when the name is empty or the units do not
// validate (see Plan.Validate).
func NewPlan(t PlanTemplate) (*Plan, error) {
	name := strings.TrimSpace(t.Name)
	if name == "" {
		return nil, Errorf(EINVALID, "The new plan needs a name")
	}
	if len(t.Units) == 0 {
		return nil, Errorf(EINVALID, "The new plan needs at least one geography unit")
	}
	p := &Plan{
		Name:          name,
		Description:   t.Description,
		Created:       t.Created,
		Attribution:   t.Attribution,
		UnitLevel:     t.UnitLevel,
		ParentLevel:   t.ParentLevel,
		PotentialName: t.PotentialName,
		Units:         t.Units,
		Scenarios: []Scenario{{
			ID:        1,
			Name:      "Base plan",
			Alignment: map[string]int64{},
		}},
		ActiveScenario: 1,
	}
	if p.Created.IsZero() {
		p.Created = time.Now().UTC()
	}
	if p.UnitLevel == "" {
		p.UnitLevel = "Unit"
	}
	if p.PotentialName == "" {
		p.PotentialName = "Potential"
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
