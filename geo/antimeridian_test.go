package geo_test

import (
	"math"
	"os"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

// area sums the shoelace areas of parts (positive when exteriors are CCW and
// holes CW).
func area(parts []orb.Polygon) float64 {
	var a float64
	for _, p := range parts {
		a += planar.Area(p) // planar.Area is unsigned per ring: exterior minus holes
	}
	return a
}

func checkOriented(t *testing.T, parts []orb.Polygon) {
	t.Helper()
	for _, p := range parts {
		for k, r := range p {
			if want := orb.CCW; k > 0 {
				if r.Orientation() != orb.CW {
					t.Errorf("hole %v is not clockwise", r)
				}
			} else if r.Orientation() != want {
				t.Errorf("exterior %v is not counter-clockwise", r)
			}
			if r[0] != r[len(r)-1] {
				t.Errorf("ring %v is open", r)
			}
		}
	}
}

func TestSplitAntimeridianSquare(t *testing.T) {
	// 170°E to 170°W across the line, clockwise, with a hole across the
	// line too; and the same square written in 0..360° longitudes.
	jump := orb.Polygon{
		{{170, -10}, {170, 10}, {-170, 10}, {-170, -10}, {170, -10}},
		{{175, -5}, {-175, -5}, {-175, 5}, {175, 5}, {175, -5}},
	}
	wide := orb.Polygon{
		{{170, -10}, {190, -10}, {190, 10}, {170, 10}, {170, -10}},
		{{175, -5}, {175, 5}, {185, 5}, {185, -5}, {175, -5}},
	}
	for name, poly := range map[string]orb.Polygon{"jump": jump, "0..360": wide} {
		parts, split, ok := geo.SplitAntimeridian(poly)
		if !split || !ok {
			t.Fatalf("%s: split %v ok %v", name, split, ok)
		}
		var east, west int
		for _, p := range parts {
			b := p.Bound()
			if b.Min[0] < -180 || b.Max[0] > 180 || b.Max[0]-b.Min[0] > 10+1e-9 {
				t.Errorf("%s: part bound %v", name, b)
			}
			if b.Min[0] >= 0 {
				east++
			} else {
				west++
			}
		}
		if east == 0 || west == 0 {
			t.Errorf("%s: %d parts east, %d west", name, east, west)
		}
		checkOriented(t, parts)
		if a := area(parts); math.Abs(a-300) > 1e-9 {
			t.Errorf("%s: area %g, want 400-100", name, a)
		}
		mp := orb.MultiPolygon(parts)
		for pt, want := range map[orb.Point]bool{{172, 0}: true, {-172, 0}: true, {178, 0}: false, {-178, 0}: false, {178, 8}: true, {-178, -8}: true, {0, 0}: false, {165, 0}: false} {
			if got := planar.MultiPolygonContains(mp, pt); got != want {
				t.Errorf("%s: contains %v = %v, want %v", name, pt, got, want)
			}
		}
	}

	// No crossing: the polygon itself.
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	if parts, split, ok := geo.SplitAntimeridian(sq); split || !ok || len(parts) != 1 || &parts[0][0][0] != &sq[0][0] {
		t.Errorf("no crossing: %v %v %v", parts, split, ok)
	}
	// Not degrees: refused.
	utm := orb.Polygon{{{500000, 0}, {600000, 0}, {600000, 100000}, {500000, 0}}}
	if _, split, ok := geo.SplitAntimeridian(utm); split || ok {
		t.Errorf("UTM coordinates: split %v ok %v", split, ok)
	}
}

// TestSplitAntimeridianPole: a ring around the south pole written with a
// jump from 180 to -180 is closed along the pole.
func TestSplitAntimeridianPole(t *testing.T) {
	ring := orb.Ring{{-180, -80}, {-90, -80}, {0, -80}, {90, -80}, {180, -80}, {-180, -80}}
	parts, split, ok := geo.SplitAntimeridian(orb.Polygon{ring})
	if !split || !ok || len(parts) != 1 {
		t.Fatalf("split %v ok %v parts %v", split, ok, parts)
	}
	b := parts[0].Bound()
	if b != (orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, -80}}) {
		t.Errorf("bound %v", b)
	}
	checkOriented(t, parts)
	for pt, want := range map[orb.Point]bool{{0, -85}: true, {179, -89}: true, {0, -70}: false} {
		if got := planar.PolygonContains(parts[0], pt); got != want {
			t.Errorf("contains %v = %v", pt, got)
		}
	}
}

// TestSplitAntimeridianWorldAtlas: Fiji and Russia in Natural Earth 1:50m
// (world-atlas) have rings that jump across ±180°.
func TestSplitAntimeridianWorldAtlas(t *testing.T) {
	f, err := os.Open("testdata/world-atlas_countries-50m.topo.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	topo, err := geo.ReadTopology(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := topo.RawFeatures("countries")
	if err != nil {
		t.Fatal(err)
	}
	splitIDs := map[string]int{}
	for _, ft := range raw {
		mp, _ := geo.Polygonal(ft.Geometry)
		out, rep := geo.RepairMultiPolygon(mp, true)
		checkRepaired(t, out, rep)
		if rep.SplitPolygons > 0 {
			splitIDs[geo.PropertyText(ft, "name")] = rep.SplitPolygons
		}
		if rep.UnsplitPolygons > 0 {
			t.Errorf("%s: %d polygons not split", ft.ID, rep.UnsplitPolygons)
		}
		for _, p := range out {
			if b := p.Bound(); b.Max[0]-b.Min[0] > 180 && ft.ID != "010" {
				t.Errorf("%s: a part spans %v", geo.PropertyText(ft, "name"), b)
			}
		}
		var inside []orb.Point
		switch ft.ID {
		case "242": // Fiji: Vanua Levu's tip (179.99 E) and Taveuni and the islet east of the line
			inside = []orb.Point{{179.993, -16.523}, {-179.968, -16.496}, {-179.92, -16.81}, {179.4, -16.54}}
		case "643": // Russia: Anadyr district west of the line, Chukotka east of it
			inside = []orb.Point{{175, 67}, {-177.35, 66.93}, {179.72, 71.2}, {-179.43, 71.24}, {100, 60}}
		case "010": // Antarctica: world-atlas gives the pole line first and the coastline second;
			// the continent (South Pole station, Vostok, and land on both sides of 180° south of the Ross Ice Shelf)
			// must survive, about 6,000 square degrees in lon/lat.
			inside = []orb.Point{{0, -89.5}, {106.8, -78.5}, {179, -86}, {-179, -86}, {-60, -80}}
			area := 0.0
			for _, p := range out {
				area += planar.Area(p)
			}
			if area < 5500 || area > 6500 {
				t.Errorf("Antarctica's area is %.0f square degrees, want about 6,000", area)
			}
		}
		for _, pt := range inside {
			if !planar.MultiPolygonContains(out, pt) {
				t.Errorf("%s does not contain %v", geo.PropertyText(ft, "name"), pt)
			}
		}
		if ft.ID == "242" || ft.ID == "643" {
			for _, pt := range []orb.Point{{0, 0}, {180, 0}, {-180, 50}} {
				if planar.MultiPolygonContains(out, pt) {
					t.Errorf("%s contains %v", ft.ID, pt)
				}
			}
		}
	}
	want := map[string]int{"Fiji": 1, "Russia": 2, "Antarctica": 1}
	if len(splitIDs) != len(want) {
		t.Errorf("split %v, want %v", splitIDs, want)
	}
	for k, v := range want {
		if splitIDs[k] != v {
			t.Errorf("split %v, want %v", splitIDs, want)
		}
	}
}
