package assets

import (
	_ "embed"
	"io"
)

// The GeoNames gazetteers of planner/geocode, trimmed by
// planner/geocode/internal/gengazetteer (see README.md, section Gazetteers).

//go:embed us_postal.tsv.gz
var usPostalGz []byte

//go:embed cities.tsv.gz
var citiesGz []byte

// USPostalCodes returns the GeoNames US postal codes gazetteer: 41,488 lines
// of UTF-8 text, no header, tab-separated columns ZIP (5 digits), place name,
// USPS state code ("" for APO/FPO codes), latitude and longitude (WGS84
// degrees, decimal point), sorted by ZIP; each line ends in "\n". The caller
// closes it. The error (only if the embedded file is corrupt) names the file.
func USPostalCodes() (io.ReadCloser, error) { return gunzip("US postal codes", usPostalGz) }

// Cities returns the GeoNames world cities gazetteer: 135,233 lines of UTF-8
// text, no header, tab-separated columns name, ISO 3166-1 alpha-2 country
// code, GeoNames admin1 code (for the US the USPS state code, elsewhere the
// GeoNames code, e.g. "08" Ontario, "02" Bavaria; may be ""), population,
// latitude and longitude (WGS84 degrees, decimal point), sorted by country
// and name; each line ends in "\n". The caller closes it. The error (only if
// the embedded file is corrupt) names the file.
func Cities() (io.ReadCloser, error) { return gunzip("world cities", citiesGz) }

// GazetteerBytes is the embedded (compressed) size of the two gazetteers in
// bytes, for the README's size budget and a test that keeps it under 4 MB.
func GazetteerBytes() int { return len(usPostalGz) + len(citiesGz) }
