package mapview_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// project is the tests' stand-in for the app's Albers composite: a plain
// equirectangular projection at 38°N, with eastern longitudes (the
// Aleutians west of the antimeridian) shifted next to Alaska.
func project(lon, lat float64) orb.Point {
	if lon > 0 {
		lon -= 360
	}
	return orb.Point{lon * math.Cos(38*math.Pi/180), lat}
}

func projectMulti(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, p := range ring {
				r[k] = project(p[0], p[1])
			}
			out[i][j] = r
		}
	}
	return out
}

// pacific reports the Pacific territories (American Samoa, Guam, Northern
// Mariana Islands) that the tests leave out: far from the rest, they would
// make the full view mostly ocean.
func pacific(fips string) bool {
	return strings.HasPrefix(fips, "60") || strings.HasPrefix(fips, "66") || strings.HasPrefix(fips, "69")
}

// loadStates returns the projected states, DC, PR and VI.
func loadStates(tb testing.TB) []orb.MultiPolygon {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "us_states_10m.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		tb.Fatal(err)
	}
	var out []orb.MultiPolygon
	for _, f := range fc.Features {
		id, _ := f.ID.(string)
		if pacific(id) {
			continue
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			out = append(out, projectMulti(orb.MultiPolygon{g}))
		case orb.MultiPolygon:
			out = append(out, projectMulti(g))
		}
	}
	if len(out) != 53 {
		tb.Fatalf("loaded %d states, want 53", len(out))
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

// loadCounties decodes the us-atlas counties TopoJSON (all 3,231 counties).
func loadCounties(tb testing.TB) []orb.MultiPolygon {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "us-atlas_counties-10m.topo.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var topo struct {
		Transform struct {
			Scale     [2]float64 `json:"scale"`
			Translate [2]float64 `json:"translate"`
		} `json:"transform"`
		Objects map[string]struct {
			Geometries []struct {
				Type string          `json:"type"`
				ID   string          `json:"id"`
				Arcs json.RawMessage `json:"arcs"`
			} `json:"geometries"`
		} `json:"objects"`
		Arcs [][][2]float64 `json:"arcs"`
	}
	if err := json.Unmarshal(data, &topo); err != nil {
		tb.Fatal(err)
	}
	// Decode the delta-encoded, quantized arcs once.
	arcs := make([][]orb.Point, len(topo.Arcs))
	for i, a := range topo.Arcs {
		var x, y float64
		pts := make([]orb.Point, len(a))
		for k, d := range a {
			x += d[0]
			y += d[1]
			pts[k] = project(x*topo.Transform.Scale[0]+topo.Transform.Translate[0], y*topo.Transform.Scale[1]+topo.Transform.Translate[1])
		}
		arcs[i] = pts
	}
	ring := func(idx []int) orb.Ring {
		var r orb.Ring
		for n, i := range idx {
			var a []orb.Point
			if i >= 0 {
				a = arcs[i]
			} else {
				src := arcs[^i]
				a = make([]orb.Point, len(src))
				for k := range src {
					a[k] = src[len(src)-1-k]
				}
			}
			if n > 0 && len(a) > 0 {
				a = a[1:]
			}
			r = append(r, a...)
		}
		return r
	}
	var out []orb.MultiPolygon
	for _, g := range topo.Objects["counties"].Geometries {
		var mp orb.MultiPolygon
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				tb.Fatal(err)
			}
			var poly orb.Polygon
			for _, r := range rings {
				poly = append(poly, ring(r))
			}
			mp = orb.MultiPolygon{poly}
		case "MultiPolygon":
			var polys [][][]int
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				tb.Fatal(err)
			}
			for _, p := range polys {
				var poly orb.Polygon
				for _, r := range p {
					poly = append(poly, ring(r))
				}
				mp = append(mp, poly)
			}
		}
		out = append(out, mp)
	}
	if len(out) != 3231 {
		tb.Fatalf("loaded %d counties, want 3231", len(out))
	}
	return out
}

// contiguous is the plane bound of the lower 48 states.
func contiguous() orb.Bound {
	return orb.Bound{Min: project(-125, 24.3), Max: project(-66.9, 49.5)}
}
