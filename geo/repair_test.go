package geo_test

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

func TestRepairMultiPolygon(t *testing.T) {
	in := orb.MultiPolygon{
		// Open, clockwise exterior with a repeated point; a counter-
		// clockwise hole; a three-point hole (dropped); a zero-area hole
		// (dropped).
		{
			{{0, 0}, {0, 10}, {0, 10}, {10, 10}, {10, 0}},
			{{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}},
			{{5, 5}, {6, 5}, {5, 5}},
			{{6, 6}, {7, 7}, {8, 8}, {6, 6}},
		},
		// A figure of eight with unequal loops: kept, reported.
		{{{20, 0}, {30, 10}, {30, 0}, {20, 20}, {20, 0}}},
		// A NaN: dropped.
		{{{40, 0}, {41, 0}, {41, math.NaN()}, {40, 0}}},
		// A collapsed exterior takes its hole along.
		{{{50, 0}, {51, 0}, {50, 0}}, {{50, 0}, {50.5, 0}, {50.5, 0.5}, {50, 0}}},
	}
	inCopy := orb.MultiPolygon{in[0].Clone()}
	out, rep := geo.RepairMultiPolygon(in, true)
	want := orb.MultiPolygon{
		{
			{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
			{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}},
		},
		{{{20, 0}, {30, 10}, {30, 0}, {20, 20}, {20, 0}}},
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("repaired =\n%v\nwant\n%v", out, want)
	}
	if !reflect.DeepEqual(in[0], inCopy[0]) {
		t.Error("RepairMultiPolygon modified its input")
	}
	if rep.OpenRings != 1 || rep.DuplicatePoints != 1 || rep.Reversed != 2 || rep.DroppedRings != 5 || rep.SplitPolygons != 0 {
		t.Errorf("report = %+v", rep)
	}
	if len(rep.Invalid) != 1 || rep.Invalid[0].Polygon != 1 || rep.Invalid[0].Ring != 0 || rep.Invalid[0].Err.Reason != geo.RingCrosses {
		t.Errorf("invalid = %+v", rep.Invalid)
	}
	if got, wantS := rep.Summary(), "closed 1 open ring, removed 1 repeated point, dropped 5 rings with no area"; got != wantS {
		t.Errorf("Summary = %q, want %q", got, wantS)
	}
	if !rep.Changed() {
		t.Error("Changed = false")
	}

	// Already clean: nothing to report.
	out, rep = geo.RepairMultiPolygon(want[:1], true)
	if !reflect.DeepEqual(out, want[:1]) || rep.Changed() || rep.Reversed != 0 || rep.Summary() != "" || len(rep.Invalid) != 0 {
		t.Errorf("clean input: %v %+v", out, rep)
	}
	if out, _ := geo.RepairMultiPolygon(nil, true); out != nil {
		t.Errorf("nil input gave %v", out)
	}
}

// TestRepairUSCounties repairs the raw us-atlas counties as an importer
// does and checks what the geo README documents: 22 degenerate rings in 19
// counties, Falls Church city left with no polygon, Aleutians West in parts
// on both sides of the antimeridian with no ring crossing it.
func TestRepairUSCounties(t *testing.T) {
	data, err := countiesJSON()
	if err != nil {
		t.Fatal(err)
	}
	topo, err := geo.ReadTopology(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := topo.RawFeatures("counties")
	if err != nil {
		t.Fatal(err)
	}
	norm, _ := topo.Features("counties")
	if len(raw) != 3231 {
		t.Fatalf("%d counties, want 3231", len(raw))
	}
	var dropped, withDropped, invalid, split, dups int
	var empty []string
	for i, f := range raw {
		mp, ok := geo.Polygonal(f.Geometry)
		if !ok {
			t.Fatalf("county %s is not polygonal", f.ID)
		}
		out, rep := geo.RepairMultiPolygon(mp, true)
		checkRepaired(t, out, rep)
		dropped += rep.DroppedRings
		dups += rep.DuplicatePoints
		if rep.DroppedRings > 0 {
			withDropped++
		}
		if len(rep.Invalid) > 0 {
			invalid++
		}
		split += rep.SplitPolygons
		if len(out) == 0 {
			empty = append(empty, f.ID)
		}
		// Same area as the decoder's own normalisation.
		if a, b := planar.Area(out), planar.Area(geo.AsMultiPolygon(norm[i].Geometry)); math.Abs(a-b) > 1e-9*math.Max(1, math.Abs(b)) {
			t.Errorf("county %s area %g, Features gives %g", f.ID, a, b)
		}
		if f.ID == "02016" {
			checkAleutiansWest(t, out)
		}
	}
	if dropped != 22 || withDropped != 19 || split != 0 || !reflect.DeepEqual(empty, []string{"51610"}) {
		t.Errorf("dropped %d rings in %d counties, split %d, empty %v; want 22 in 19, 0, [51610]", dropped, withDropped, split, empty)
	}
	if dups != 86 || invalid != 22 {
		t.Errorf("repeated points %d, counties with invalid rings %d; want 86 and 22", dups, invalid)
	}
}

// checkAleutiansWest: islands on both sides of ±180°, each part narrow,
// points on each side inside.
func checkAleutiansWest(t *testing.T, mp orb.MultiPolygon) {
	t.Helper()
	var east, west int
	for _, p := range mp {
		b := p.Bound()
		if b.Max[0]-b.Min[0] > 10 {
			t.Errorf("Aleutians West part %v is %g° wide", b, b.Max[0]-b.Min[0])
		}
		if b.Min[0] > 0 {
			east++
		} else {
			west++
		}
	}
	if east == 0 || west == 0 {
		t.Errorf("Aleutians West parts: %d east of Greenwich, %d west; want both", east, west)
	}
	// Adak (176.66 W, 51.88 N) and Attu (173.2 E, 52.9 N) islands.
	for _, pt := range []orb.Point{{-176.66, 51.88}, {173.2, 52.9}} {
		if !planar.MultiPolygonContains(mp, pt) {
			t.Errorf("Aleutians West does not contain %v", pt)
		}
	}
}

func TestPolygonal(t *testing.T) {
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	for _, tc := range []struct {
		g    orb.Geometry
		n    int
		want bool
	}{
		{sq, 1, true},
		{orb.MultiPolygon{sq, sq}, 2, true},
		{orb.Collection{sq, orb.MultiPolygon{sq}}, 2, true},
		{orb.Collection{sq, orb.Point{}}, 0, false},
		{orb.Collection{}, 0, false},
		{orb.LineString{{0, 0}, {1, 1}}, 0, false},
		{nil, 0, false},
	} {
		mp, ok := geo.Polygonal(tc.g)
		if ok != tc.want || len(mp) != tc.n {
			t.Errorf("Polygonal(%v) = %v, %v", tc.g, mp, ok)
		}
	}
}

func BenchmarkRepairUSCounties(b *testing.B) {
	data, err := countiesJSON()
	if err != nil {
		b.Fatal(err)
	}
	topo, err := geo.ReadTopology(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := topo.RawFeatures("counties")
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range raw {
			mp, _ := geo.Polygonal(f.Geometry)
			geo.RepairMultiPolygon(mp, true)
		}
	}
}
