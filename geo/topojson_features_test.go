package geo_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/geo"
)

// TestRawFeatures: rings as the arcs give them (clockwise, degenerate ones
// kept); repairing them gives what Features gives.
func TestRawFeatures(t *testing.T) {
	topo := readString(t, handTopology)
	raw, err := topo.RawFeatures("shapes")
	if err != nil {
		t.Fatal(err)
	}
	norm, _ := topo.Features("shapes")
	if len(raw) != len(norm) {
		t.Fatalf("%d raw features, %d normalised", len(raw), len(norm))
	}
	// Square A: arcs 0 and 1, clockwise as in the file; hole arc 3.
	wantA := orb.Polygon{
		{{12, 20}, {10, 20}, {10, 28}, {12, 28}, {12, 20}},
		{{10.5, 22}, {11, 22}, {11, 24}, {10.5, 24}, {10.5, 22}},
	}
	if !reflect.DeepEqual(raw[0].Geometry, wantA) {
		t.Errorf("raw A = %v, want %v", raw[0].Geometry, wantA)
	}
	// B keeps its degenerate hole and degenerate second polygon.
	mpB := raw[1].Geometry.(orb.MultiPolygon)
	if len(mpB) != 2 || len(mpB[0]) != 2 || len(mpB[0][1]) != 2 || len(mpB[1]) != 2 {
		t.Errorf("raw B = %v", mpB)
	}
	for i := range raw {
		if raw[i].ID != norm[i].ID || !reflect.DeepEqual(raw[i].Properties, norm[i].Properties) {
			t.Errorf("feature %d: id/properties differ", i)
		}
		mp, ok := geo.Polygonal(raw[i].Geometry)
		if !ok {
			if !reflect.DeepEqual(raw[i].Geometry, norm[i].Geometry) {
				t.Errorf("feature %d: %v, Features gives %v", i, raw[i].Geometry, norm[i].Geometry)
			}
			continue
		}
		got, rep := geo.RepairMultiPolygon(mp, false)
		if want := geo.AsMultiPolygon(norm[i].Geometry); !reflect.DeepEqual(got, want) {
			t.Errorf("feature %d repaired = %v, Features gives %v", i, got, want)
		}
		if i == 1 && (rep.DroppedRings != 3 || rep.Reversed != 1) {
			t.Errorf("B report %+v, want 3 dropped (hole, exterior and its hole), 1 reversed", rep)
		}
	}
	if _, err := topo.RawFeatures("nope"); err == nil || !strings.Contains(err.Error(), `no object "nope"`) {
		t.Errorf("missing object: %v", err)
	}
}

// FuzzTopoJSON: no input makes ReadTopology, RawFeatures or the repair of
// their polygons panic.
func FuzzTopoJSON(f *testing.F) {
	f.Add([]byte(handTopology))
	f.Add([]byte(`{"type":"Topology","arcs":[[[170,0],[-170,0],[-170,10],[170,10],[170,0]]],"objects":{"o":{"type":"Polygon","id":"x","arcs":[[0]]}}}`))
	f.Add([]byte(`{"type":"Topology","transform":{"scale":[1e300,1e300],"translate":[0,0]},"arcs":[[[1,1],[1,0],[0,1],[-1,0]]],"objects":{"o":{"type":"MultiPolygon","arcs":[[[0]],[[-1]]]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := geo.ReadTopology(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, name := range topo.ObjectNames() {
			fs, err := topo.RawFeatures(name)
			if err != nil {
				t.Fatal(err)
			}
			geo.ListProperties(fs)
			for _, ft := range fs {
				if mp, ok := geo.Polygonal(ft.Geometry); ok {
					out, rep := geo.RepairMultiPolygon(mp, true)
					checkRepaired(t, out, rep)
				}
			}
		}
	})
}
