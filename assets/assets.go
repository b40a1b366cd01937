// Package assets embeds the real public data that Meridian ships: the US
// county boundaries, the Census population estimates and the HIFLD hospitals
// from which the sample plan is built, and the application icon. README.md in
// this folder names every file's source and licence; Attribution repeats it
// for the app's Help > About.
package assets

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
)

//go:embed us-atlas_counties-10m.topo.json.gz
var countiesGz []byte

//go:embed co-est2024-pop.csv.gz
var populationGz []byte

//go:embed us_hospitals_hifld.csv.gz
var hospitalsGz []byte

//go:embed ct_counties_2019.csv
var ctCounties2019 []byte

// Icon is the application icon, a 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

// Attribution lists the data sources and licences of the embedded files, one
// per line, for Help > About and the plan's metadata.
const Attribution = `US county and state boundaries: US Census Bureau cartographic boundary files 2017 (1:10m), public domain, via us-atlas 3.0.1 by Mike Bostock (ISC licence).
County population: US Census Bureau, Population Estimates Program, vintage 2024 (co-est2024-alldata), public domain.
Connecticut's former counties: US Census Bureau, county population estimates vintage 2019 (co-est2019-annres), public domain.
Hospitals: Homeland Infrastructure Foundation-Level Data (HIFLD) Open "Hospitals", US federal open data, public domain.`

func gunzip(name string, b []byte) (io.ReadCloser, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("assets: %s: %w", name, err)
	}
	return zr, nil
}

// Counties returns the us-atlas counties-10m TopoJSON (objects "counties",
// "states" and "nation"; ids are 5-digit county and 2-digit state FIPS codes;
// coordinates in WGS84 degrees, lon/lat). The caller closes it.
func Counties() (io.ReadCloser, error) { return gunzip("counties", countiesGz) }

// Population returns the Census vintage 2024 county population estimates
// (co-est2024-alldata, identity and POPESTIMATE columns only), Latin-1
// encoded CSV; rows with SUMLEV 040 are state totals, 050 counties. The
// caller closes it.
func Population() (io.ReadCloser, error) { return gunzip("population", populationGz) }

// Hospitals returns the HIFLD hospitals CSV (UTF-8 with BOM; columns ID,
// NAME, ADDRESS, CITY, STATE, ZIP, TYPE, STATUS, COUNTYFIPS, LATITUDE,
// LONGITUDE, OWNER, BEDS, where BEDS = -999 means unknown). The caller closes
// it.
func Hospitals() (io.ReadCloser, error) { return gunzip("hospitals", hospitalsGz) }

// ConnecticutCounties2019 returns the July 2019 population estimates of
// Connecticut's eight former counties (CSV: STATE, COUNTY, CTYNAME,
// POPESTIMATE2019), used to spread the 2024 state total over the county
// boundaries that us-atlas still draws.
func ConnecticutCounties2019() io.Reader { return bytes.NewReader(ctCounties2019) }

// GazetteerAttribution credits the gazetteers that planner/geocode reads.
const GazetteerAttribution = `World cities and US postal codes: GeoNames (geonames.org), CC BY 4.0, attribution "GeoNames".`

// AllAttribution lists the sources and licences of everything the app
// ships, one per line, for Help > About: Attribution (the sample plan's
// files), the gazetteers, and the boundary layers a plan can start from.
func AllAttribution() string {
	lines := []string{Attribution, GazetteerAttribution}
	seen := map[string]bool{}
	for _, l := range BoundaryLayers() {
		if l.Attribution != "" && !seen[l.Attribution] && !strings.Contains(Attribution, l.Attribution) {
			seen[l.Attribution] = true
			lines = append(lines, l.Attribution)
		}
	}
	return strings.Join(lines, "\n")
}
