package mapview_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
)

// project maps lon/lat to the plane as the app does, with geo.AlbersUSA.
func project(lon, lat float64) orb.Point {
	q, _ := geo.AlbersUSA.Point(orb.Point{lon, lat})
	return q
}

// pacific reports the Pacific territories (American Samoa, Guam, Northern
// Mariana Islands), which loadStates leaves out.
func pacific(fips string) bool {
	return strings.HasPrefix(fips, "60") || strings.HasPrefix(fips, "66") || strings.HasPrefix(fips, "69")
}

// topology decodes the us-atlas counties TopoJSON that package assets embeds.
var topology = sync.OnceValues(func() (*geo.Topology, error) {
	rc, err := assets.Counties()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return geo.ReadTopology(rc)
})

// load returns the projected geometries of a topology object, leaving out
// those for which skip is true.
func load(tb testing.TB, object string, skip func(id string) bool) []orb.MultiPolygon {
	tb.Helper()
	topo, err := topology()
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := topo.Features(object)
	if err != nil {
		tb.Fatal(err)
	}
	var out []orb.MultiPolygon
	for _, f := range fs {
		if skip != nil && skip(f.ID) {
			continue
		}
		out = append(out, geo.AlbersUSA.MultiPolygon(geo.AsMultiPolygon(f.Geometry)))
	}
	return out
}

// loadStates returns the projected states, DC, PR and VI.
func loadStates(tb testing.TB) []orb.MultiPolygon {
	tb.Helper()
	out := load(tb, "states", pacific)
	if len(out) != 53 {
		tb.Fatalf("loaded %d states, want 53", len(out))
	}
	return out
}

// loadCounties returns all 3,231 projected counties.
func loadCounties(tb testing.TB) []orb.MultiPolygon {
	tb.Helper()
	out := load(tb, "counties", nil)
	if len(out) != 3231 {
		tb.Fatalf("loaded %d counties, want 3231", len(out))
	}
	return out
}

// stateLines returns the state outlines as lines (the overlay layer).
func stateLines(states []orb.MultiPolygon) orb.MultiLineString {
	var ls orb.MultiLineString
	for _, mp := range states {
		for _, poly := range mp {
			for _, ring := range poly {
				ls = append(ls, orb.LineString(ring))
			}
		}
	}
	return ls
}

// contiguous is the plane bound of the lower 48 states.
func contiguous() orb.Bound {
	b := project(-125, 24.3).Bound()
	for lon := -125.0; lon <= -66.9; lon += 0.5 {
		b = b.Extend(project(lon, 24.3)).Extend(project(lon, 49.5))
	}
	return b
}

// loadWorld returns the countries of the world-atlas 1:50m TopoJSON,
// projected with geo.EqualEarth (unit sphere).
func loadWorld(tb testing.TB) []orb.MultiPolygon {
	tb.Helper()
	f, err := os.Open("../../geo/testdata/world-atlas_countries-50m.topo.json")
	if err != nil {
		tb.Skip("world data:", err)
	}
	defer f.Close()
	topo, err := geo.ReadTopology(f)
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := topo.Features("countries")
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]orb.MultiPolygon, 0, len(fs))
	for _, f := range fs {
		out = append(out, geo.EqualEarthMultiPolygon(geo.AsMultiPolygon(f.Geometry)))
	}
	return out
}

// territoryOutlines groups the state outlines into n territories (state i
// goes to territory i mod n), one line set per territory, as the app draws
// territory outlines.
func territoryOutlines(states []orb.MultiPolygon, n int) []orb.MultiLineString {
	out := make([]orb.MultiLineString, n)
	for i, mp := range states {
		for _, poly := range mp {
			for _, ring := range poly {
				out[i%n] = append(out[i%n], orb.LineString(ring))
			}
		}
	}
	return out
}
