package geo_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/meridianplan/meridian/geo"
)

// The rook and queen neighbours that Edges finds are exactly libpysal's
// (Rook/Queen.from_dataframe, libpysal 4.7.0) on its five example
// polygon sets, in their own coordinate units (degrees or UTM metres),
// islands and holes included.
func TestEdgesMatchPySAL(t *testing.T) {
	for _, name := range []string{"10740", "sids2", "columbus", "georgia", "mexico"} {
		t.Run(name, func(t *testing.T) {
			units := readGeoJSONUnits(t, filepath.Join("testdata", "adjacency", name+".geojson"))
			var ref struct{ Rook, Queen map[string][]int }
			b, err := os.ReadFile(filepath.Join("testdata", "adjacency", name+"_adjacency.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &ref); err != nil {
				t.Fatal(err)
			}
			var bound orb.Bound
			for i, u := range units {
				if i == 0 {
					bound = u.Bound()
				} else {
					bound = bound.Union(u.Bound())
				}
			}
			grid := 1e-9 * max(bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1])
			e := geo.NewEdges(units, grid)
			rookEdges, queenEdges := 0, 0
			for i := range units {
				var rook []int
				for _, nb := range e.UnitNeighbors(i) {
					rook = append(rook, nb.Unit)
				}
				queen := append(slices.Clone(rook), e.UnitCornerNeighbors(i)...)
				slices.Sort(rook)
				slices.Sort(queen)
				wantRook, wantQueen := sorted(ref.Rook[strconv.Itoa(i)]), sorted(ref.Queen[strconv.Itoa(i)])
				if !slices.Equal(rook, wantRook) {
					t.Errorf("unit %d rook %v, want %v", i, rook, wantRook)
				}
				if !slices.Equal(queen, wantQueen) {
					t.Errorf("unit %d queen %v, want %v", i, queen, wantQueen)
				}
				rookEdges += len(rook)
				queenEdges += len(queen)
			}
			want := map[string][2]int{"10740": {501, 607}, "sids2": {231, 245}, "columbus": {100, 118}, "georgia": {416, 431}, "mexico": {65, 69}}[name]
			if got := [2]int{rookEdges / 2, queenEdges / 2}; got != want {
				t.Errorf("edges rook/queen %v, want %v (README of the data)", got, want)
			}
		})
	}
}

func sorted(s []int) []int {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// readGeoJSONUnits reads a FeatureCollection of polygons and multipolygons.
func readGeoJSONUnits(t *testing.T, path string) []orb.MultiPolygon {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := make([]orb.MultiPolygon, len(fc.Features))
	for i, f := range fc.Features {
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			out[i] = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			out[i] = g
		default:
			t.Fatalf("%s feature %d: %s", path, i, fmt.Sprintf("%T", g))
		}
	}
	return out
}
