package geo_test

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/meridianplan/meridian/geo"
	"github.com/paulmach/orb"
)

// layerUnits reads a TopoJSON object's features as repaired multipolygons
// (split at the antimeridian), as a plan's units are.
func layerUnits(t *testing.T, data []byte, object string) []orb.MultiPolygon {
	t.Helper()
	topo, err := geo.ReadTopology(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	fs, err := topo.RawFeatures(object)
	if err != nil {
		t.Fatal(err)
	}
	var out []orb.MultiPolygon
	for _, f := range fs {
		if mp, ok := geo.Polygonal(f.Geometry); ok {
			mp, _ = geo.RepairMultiPolygon(mp, true)
			out = append(out, mp)
		}
	}
	return out
}

// TestFitMap checks the projection chosen for US counties (geo.AlbersUSA), the
// world (Equal Earth, about 1,000 units wide) and a country-sized layer (a
// fitted geo.Albers conic), and that Equal Earth inverts.
func TestFitMap(t *testing.T) {
	counties, err := countiesJSON()
	if err != nil {
		t.Fatal(err)
	}
	if got := geo.FitMap(layerUnits(t, counties, "counties")); len(got) != len(geo.AlbersUSA) || got.KmPerUnit() != 6.371 {
		t.Errorf("US counties: %d insets, %v km per unit; want geo.AlbersUSA (%d insets, 6.371)", len(got), got.KmPerUnit(), len(geo.AlbersUSA))
	}
	world, err := os.ReadFile(worldFile)
	if err != nil {
		t.Fatal(err)
	}
	w := geo.FitMap(layerUnits(t, world, "countries"))
	if len(w) != 1 {
		t.Fatalf("world: %d insets", len(w))
	}
	if _, ok := w[0].Proj.(geo.EqualEarthProjection); !ok {
		t.Errorf("world: projection %T, want Equal Earth", w[0].Proj)
	}
	// The countries span 1,000 units; the equator (±2.70663 on the unit
	// sphere) a little more, as no land reaches ±180° there: 34.5 km per
	// unit at most.
	if k := w.KmPerUnit(); k < 33 || k > 6371*2*2.70663/1000 {
		t.Errorf("world: %v km per unit, want 33 to 34.5", k)
	}
	a, _ := w.Point(orb.Point{-180, 0})
	b, _ := w.Point(orb.Point{180, 0})
	if d := b[0] - a[0]; d < 1000 || d > 1040 {
		t.Errorf("world: the equator is %v units wide, want 1,000 to 1,040", d)
	}
	for _, p := range []orb.Point{{0, 0}, {-74, 40.7}, {151.2, -33.9}, {179.9, 65}, {-120, -80}} {
		q := geo.EqualEarthProjection{}.Unproject(geo.EqualEarth(p))
		if math.Abs(q[0]-p[0]) > 1e-9 || math.Abs(q[1]-p[1]) > 1e-9 {
			t.Errorf("Equal Earth round trip of %v: %v", p, q)
		}
		if back, ok := w.Invert(mustPoint(t, w, p)); !ok || math.Abs(back[0]-p[0]) > 1e-6 || math.Abs(back[1]-p[1]) > 1e-6 {
			t.Errorf("world map round trip of %v: %v %v", p, back, ok)
		}
	}

	// Romania: a conic on its own bound, about 1,000 units across.
	ro := []orb.MultiPolygon{{{{{20.3, 43.6}, {29.7, 43.6}, {29.7, 48.3}, {20.3, 48.3}, {20.3, 43.6}}}}}
	r := geo.FitMap(ro)
	if _, ok := r[0].Proj.(geo.Albers); len(r) != 1 || !ok {
		t.Fatalf("Romania: %d insets, %T", len(r), r[0].Proj)
	}
	west, _ := r.Point(orb.Point{20.3, 43.6})
	east, _ := r.Point(orb.Point{29.7, 43.6})
	if d := east[0] - west[0]; math.Abs(d-1000) > 1 {
		t.Errorf("Romania's southern edge is %v units wide, want 1,000", d)
	}
	// 9.4° of longitude at 43.6°N is about 757 km: ~0.76 km per unit.
	if k := r.KmPerUnit(); k < 0.7 || k > 0.82 {
		t.Errorf("Romania: %v km per unit, want about 0.76", k)
	}
	if got := geo.FitMap(nil); len(got) != len(geo.AlbersUSA) {
		t.Errorf("no units: %d insets, want geo.AlbersUSA", len(got))
	}
}

func mustPoint(t *testing.T, c geo.Composite, p orb.Point) orb.Point {
	t.Helper()
	q, ok := c.Point(p)
	if !ok {
		t.Fatalf("%v is not on the map", p)
	}
	return q
}
