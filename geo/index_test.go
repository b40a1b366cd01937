package geo_test

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

// Bounds (lon/lat degrees) used for random test points.
var (
	contiguousUS = orb.Bound{Min: orb.Point{-125, 24.4}, Max: orb.Point{-66.9, 49.4}}
	alaska       = orb.Bound{Min: orb.Point{-180, 51}, Max: orb.Point{-129, 71.5}}
	aleutiansEW  = orb.Bound{Min: orb.Point{172, 51}, Max: orb.Point{180, 53.5}}
	hawaii       = orb.Bound{Min: orb.Point{-160.5, 18.8}, Max: orb.Point{-154.7, 22.3}}
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

type countyData struct {
	features []geo.Feature
	geoms    []orb.MultiPolygon
	index    *geo.PolygonIndex
}

var countyDataOnce = sync.OnceValues(func() (*countyData, error) {
	topo, err := countiesOnce()
	if err != nil {
		return nil, err
	}
	fs, err := topo.Features("counties")
	if err != nil {
		return nil, err
	}
	d := &countyData{features: fs, geoms: make([]orb.MultiPolygon, len(fs))}
	for i, f := range fs {
		d.geoms[i] = geo.AsMultiPolygon(f.Geometry)
	}
	d.index = geo.NewPolygonIndex(d.geoms)
	return d, nil
})

func countyIndex(t testing.TB) *countyData {
	t.Helper()
	d, err := countyDataOnce()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func bruteForceLocate(geoms []orb.MultiPolygon, p orb.Point) int {
	for i, mp := range geoms {
		if planar.MultiPolygonContains(mp, p) {
			return i
		}
	}
	return -1
}

// partBounds returns the bound of every polygon part of every geometry.
func partBounds(geoms []orb.MultiPolygon) [][]orb.Bound {
	out := make([][]orb.Bound, len(geoms))
	for i, mp := range geoms {
		for _, p := range mp {
			out[i] = append(out[i], p.Bound())
		}
	}
	return out
}

// boundedBruteForceLocate is bruteForceLocate with each part's bound
// checked first (which planar.PolygonContains would also reject), so the
// comparison with the index runs in reasonable time.
func boundedBruteForceLocate(geoms []orb.MultiPolygon, bounds [][]orb.Bound, p orb.Point) int {
	for i, mp := range geoms {
		for k, poly := range mp {
			if bounds[i][k].Contains(p) && planar.PolygonContains(poly, p) {
				return i
			}
		}
	}
	return -1
}

func randomPoints(r *rand.Rand, b orb.Bound, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{
			b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]),
			b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1]),
		}
	}
	return pts
}

func TestPolygonIndexGrid(t *testing.T) {
	// 50 x 40 unit squares: enough entries for a three-level tree.
	const nx, ny = 50, 40
	var geoms []orb.MultiPolygon
	for y := range ny {
		for x := range nx {
			geoms = append(geoms, orb.MultiPolygon{square(float64(x), float64(y), float64(x+1), float64(y+1))})
		}
	}
	ix := geo.NewPolygonIndex(geoms)
	if ix.Len() != nx*ny {
		t.Fatalf("Len = %d, want %d", ix.Len(), nx*ny)
	}
	for y := range ny {
		for x := range nx {
			p := orb.Point{float64(x) + 0.5, float64(y) + 0.25}
			if got, want := ix.Locate(p), y*nx+x; got != want {
				t.Fatalf("Locate(%v) = %d, want %d", p, got, want)
			}
		}
	}
	// Shared corners and edges count for every square; the lowest wins.
	if got := ix.Locate(orb.Point{3, 2}); got != 1*nx+2 {
		t.Errorf("Locate at a shared corner = %d, want %d", got, 1*nx+2)
	}
	for _, p := range []orb.Point{{-0.1, 5}, {50.1, 5}, {5, 40.5}, {5, -1e-9}} {
		if got := ix.Locate(p); got != -1 {
			t.Errorf("Locate(%v) outside the grid = %d, want -1", p, got)
		}
	}
}

func TestPolygonIndexLowestIndexAndHoles(t *testing.T) {
	big := square(0, 0, 10, 10)
	small := square(2, 2, 3, 3)
	withHole := orb.Polygon{big[0], orb.Ring{{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}}}
	for _, tc := range []struct {
		name  string
		geoms []orb.MultiPolygon
		p     orb.Point
		want  int
	}{
		{"big first", []orb.MultiPolygon{{big}, {small}}, orb.Point{2.5, 2.5}, 0},
		{"small first", []orb.MultiPolygon{{small}, {big}}, orb.Point{2.5, 2.5}, 0},
		{"only big", []orb.MultiPolygon{{small}, {big}}, orb.Point{5, 5}, 1},
		{"shared edge", []orb.MultiPolygon{{square(1, 0, 2, 1)}, {square(0, 0, 1, 1)}}, orb.Point{1, 0.5}, 0},
		{"in hole", []orb.MultiPolygon{{withHole}}, orb.Point{5, 5}, -1},
		{"on a hole boundary: outside, as in orb/planar", []orb.MultiPolygon{{withHole}}, orb.Point{4, 5}, -1},
		{"outside hole", []orb.MultiPolygon{{withHole}}, orb.Point{3, 5}, 0},
		{"island in hole", []orb.MultiPolygon{{withHole}, {square(4, 4, 6, 6)}}, orb.Point{5, 5}, 1},
		{"second part", []orb.MultiPolygon{{square(0, 0, 1, 1), square(100, 100, 101, 101)}}, orb.Point{100.5, 100.5}, 0},
		{"between parts", []orb.MultiPolygon{{square(0, 0, 1, 1), square(100, 100, 101, 101)}}, orb.Point{50, 50}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := geo.NewPolygonIndex(tc.geoms)
			if got := ix.Locate(tc.p); got != tc.want {
				t.Errorf("Locate(%v) = %d, want %d", tc.p, got, tc.want)
			}
			if got := bruteForceLocate(tc.geoms, tc.p); got != tc.want {
				t.Errorf("brute force gives %d, want %d", got, tc.want)
			}
		})
	}
}

func TestPolygonIndexBadEntries(t *testing.T) {
	nan := math.NaN()
	geoms := []orb.MultiPolygon{
		nil,
		{},
		{{}},
		{{{}}},
		{{{{nan, nan}, {1, 0}, {1, 1}, {nan, nan}}}},
		{{{{0, 0}, {1, 0}, {1, math.Inf(1)}, {0, 0}}}},
		{{{{0, 0}, {1, 0}, {nan, 1}, {0, 1}, {0, 0}}}},
		{{square(0, 0, 1, 1)[0], {}}}, // empty hole ring
	}
	ix := geo.NewPolygonIndex(geoms)
	if ix.Len() != len(geoms) {
		t.Errorf("Len = %d, want %d", ix.Len(), len(geoms))
	}
	if got := ix.Locate(orb.Point{0.5, 0.5}); got != 7 {
		t.Errorf("Locate = %d, want 7", got)
	}
	for _, p := range []orb.Point{{nan, 0.5}, {0.5, nan}, {math.Inf(1), 0.5}, {0.5, math.Inf(-1)}} {
		if got := ix.Locate(p); got != -1 {
			t.Errorf("Locate(%v) = %d, want -1", p, got)
		}
	}
	if i, d := ix.Nearest(orb.Point{1.5, 0.5}, 1); i != 7 || d != 0.5 {
		t.Errorf("Nearest = %d, %v; want 7, 0.5", i, d)
	}
	if len(geoms[7][0]) != 2 {
		t.Error("NewPolygonIndex modified its input")
	}

	for name, ix := range map[string]*geo.PolygonIndex{
		"nil input":    geo.NewPolygonIndex(nil),
		"nothing real": geo.NewPolygonIndex(geoms[:4]),
		"nil index":    nil,
	} {
		if got := ix.Locate(orb.Point{0.5, 0.5}); got != -1 {
			t.Errorf("%s: Locate = %d, want -1", name, got)
		}
		if i, d := ix.Nearest(orb.Point{0.5, 0.5}, 10); i != -1 || d != 0 {
			t.Errorf("%s: Nearest = %d, %v; want -1, 0", name, i, d)
		}
	}
	if n := (*geo.PolygonIndex)(nil).Len(); n != 0 {
		t.Errorf("nil index Len = %d", n)
	}
}

func TestPolygonIndexNearest(t *testing.T) {
	a := square(0, 0, 1, 1)
	b := square(3, 0, 4, 1)
	donut := orb.Polygon{square(10, 0, 20, 10)[0], orb.Ring{{14, 4}, {14, 6}, {16, 6}, {16, 4}, {14, 4}}}
	open := orb.Polygon{{{30, 0}, {31, 0}, {31, 1}, {30, 1}}} // not closed
	ix := geo.NewPolygonIndex([]orb.MultiPolygon{{a}, {b}, {donut}, {open}})
	rev := geo.NewPolygonIndex([]orb.MultiPolygon{{b}, {a}})
	for _, tc := range []struct {
		name    string
		ix      *geo.PolygonIndex
		p       orb.Point
		maxDist float64
		want    int
		dist    float64
	}{
		{"right of a", ix, orb.Point{1.5, 0.5}, 1, 0, 0.5},
		{"diagonal to a corner", ix, orb.Point{-0.3, -0.4}, 1, 0, 0.5},
		{"too far", ix, orb.Point{1.5, 0.5}, 0.4, -1, 0},
		{"exactly maxDist", ix, orb.Point{1.5, 0.5}, 0.5, 0, 0.5},
		{"tie goes to lowest", ix, orb.Point{2, 0.5}, 1, 0, 1},
		{"tie goes to lowest, reversed input", rev, orb.Point{2, 0.5}, 1, 0, 1},
		{"closer to b", ix, orb.Point{2.6, 0.5}, 1, 1, 0.4},
		{"inside a", ix, orb.Point{0.5, 0.2}, 1, 0, 0.2},
		{"on boundary, zero maxDist", ix, orb.Point{1, 0.5}, 0, 0, 0},
		{"hole ring counts", ix, orb.Point{15, 5}, 2, 2, 1},
		{"closing segment of an open ring", ix, orb.Point{29.5, 0.5}, 1, 3, 0.5},
		{"negative maxDist", ix, orb.Point{1, 0.5}, -1, -1, 0},
		{"NaN maxDist", ix, orb.Point{1, 0.5}, math.NaN(), -1, 0},
		{"NaN point", ix, orb.Point{math.NaN(), 0.5}, 1, -1, 0},
		{"infinite point", ix, orb.Point{0.5, math.Inf(-1)}, math.Inf(1), -1, 0},
		{"infinite maxDist", ix, orb.Point{100, 100}, math.Inf(1), 2, math.Hypot(80, 90)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, d := tc.ix.Nearest(tc.p, tc.maxDist)
			if got != tc.want || math.Abs(d-tc.dist) > 1e-12 {
				t.Errorf("Nearest(%v, %v) = %d, %v; want %d, %v", tc.p, tc.maxDist, got, d, tc.want, tc.dist)
			}
		})
	}
}

func TestPolygonIndexUSAtlasKnownPoints(t *testing.T) {
	d := countyIndex(t)
	if d.index.Len() != 3231 {
		t.Fatalf("Len = %d, want 3231", d.index.Len())
	}
	for _, tc := range []struct {
		name string
		p    orb.Point
		id   string // "" for no county
	}{
		{"Los Angeles city hall", orb.Point{-118.2427, 34.0537}, "06037"},
		{"Chicago Loop", orb.Point{-87.6298, 41.8781}, "17031"},
		{"Manhattan", orb.Point{-73.9855, 40.7580}, "36061"},
		{"Honolulu", orb.Point{-157.8583, 21.3069}, "15003"},
		{"Denver", orb.Point{-104.9903, 39.7392}, "08031"},
		{"Anchorage", orb.Point{-149.9003, 61.2181}, "02020"},
		{"Kingman AZ", orb.Point{-114.0530, 35.1894}, "04015"},
		{"Adak, Aleutians West", orb.Point{-176.6581, 51.8800}, "02016"},
		{"Atlantic Ocean", orb.Point{-60, 35}, ""},
		{"Gulf of Mexico", orb.Point{-90, 26}, ""},
		{"Greenwich", orb.Point{0, 51.48}, ""},
	} {
		got := d.index.Locate(tc.p)
		gotID := ""
		if got >= 0 {
			gotID = d.features[got].ID
		}
		if gotID != tc.id {
			t.Errorf("%s %v: got %d (%q), want %q", tc.name, tc.p, got, gotID, tc.id)
		}
	}
}

func TestPolygonIndexUSAtlasVirginiaHole(t *testing.T) {
	d := countyIndex(t)
	cityIdx, city := featureByID(t, d.features, "51600")
	countyIdx, _ := featureByID(t, d.features, "51059")
	c, _ := planar.CentroidArea(city.Geometry)
	if got := d.index.Locate(c); got != cityIdx {
		t.Errorf("Locate(Fairfax city centroid %v) = %d, want %d (51600)", c, got, cityIdx)
	}
	// A point in Fairfax County just west of the city.
	b := city.Geometry.Bound()
	west := orb.Point{b.Min[0] - 0.01, c[1]}
	if got := d.index.Locate(west); got != countyIdx {
		t.Errorf("Locate(%v) = %d, want %d (51059)", west, got, countyIdx)
	}
}

func TestPolygonIndexUSAtlasAntimeridian(t *testing.T) {
	d := countyIndex(t)
	idx, f := featureByID(t, d.features, "02016")
	// The largest part east of 170°E (Attu/Kiska side of the antimeridian).
	var attu orb.Polygon
	for _, p := range geo.AsMultiPolygon(f.Geometry) {
		if p.Bound().Min[0] > 170 && planar.Area(p) > planar.Area(attu) {
			attu = p
		}
	}
	if attu == nil {
		t.Fatal("Aleutians West has no part east of 170°E")
	}
	c, _ := planar.CentroidArea(attu)
	if !planar.PolygonContains(attu, c) {
		t.Fatalf("centroid %v of the part is outside it", c)
	}
	if c[0] < 170 {
		t.Fatalf("centroid %v not at positive longitude", c)
	}
	if got := d.index.Locate(c); got != idx {
		t.Errorf("Locate(%v) = %d, want %d (02016)", c, got, idx)
	}
	// Between the two sides (over the Atlantic, Europe, ...) nothing is found.
	for _, p := range []orb.Point{{0, 52}, {-100, 52.5}, {100, 52}} {
		if got := d.index.Locate(p); got != -1 && d.features[got].ID == "02016" {
			t.Errorf("Locate(%v) = 02016", p)
		}
	}
}

func TestPolygonIndexUSAtlasMatchesBruteForce(t *testing.T) {
	d := countyIndex(t)
	r := rand.New(rand.NewPCG(1, 2))
	var pts []orb.Point
	pts = append(pts, randomPoints(r, contiguousUS, 10000)...)
	pts = append(pts, randomPoints(r, alaska, 1000)...)
	pts = append(pts, randomPoints(r, aleutiansEW, 500)...)
	pts = append(pts, randomPoints(r, hawaii, 500)...)
	// Vertices lie on shared borders: the lowest index must win there too.
	for i := 0; i < len(d.geoms); i += 7 {
		for _, p := range d.geoms[i] {
			pts = append(pts, p[0][0], p[0][len(p[0])/2])
		}
	}
	bounds := partBounds(d.geoms)
	found := 0
	for i, p := range pts {
		got, want := d.index.Locate(p), boundedBruteForceLocate(d.geoms, bounds, p)
		if got != want {
			t.Fatalf("Locate(%v) = %d, brute force = %d", p, got, want)
		}
		if i%50 == 0 {
			if plain := bruteForceLocate(d.geoms, p); plain != want {
				t.Fatalf("brute force with bounds %d, without %d for %v", want, plain, p)
			}
		}
		if got >= 0 {
			found++
		}
	}
	// About three quarters of the contiguous-US box is land.
	if found < len(pts)/2 {
		t.Errorf("only %d of %d points were in a county", found, len(pts))
	}
}

func TestPolygonIndexUSAtlasNearestCoast(t *testing.T) {
	d := countyIndex(t)
	idx, f := featureByID(t, d.features, "06023") // Humboldt, CA: Cape Mendocino
	var west orb.Point
	west[0] = math.Inf(1)
	for _, p := range geo.AsMultiPolygon(f.Geometry) {
		for _, q := range p[0] {
			if q[0] < west[0] {
				west = q
			}
		}
	}
	p := orb.Point{west[0] - 0.02, west[1]} // 0.02° out to sea
	if got := d.index.Locate(p); got != -1 {
		t.Fatalf("Locate(%v) = %d, want -1 (in the Pacific)", p, got)
	}
	got, dist := d.index.Nearest(p, 0.05)
	if got != idx || math.Abs(dist-0.02) > 1e-9 {
		t.Errorf("Nearest(%v, 0.05) = %d, %v; want %d (06023), 0.02", p, got, dist, idx)
	}
	if got, dist := d.index.Nearest(p, 0.019); got != -1 || dist != 0 {
		t.Errorf("Nearest(%v, 0.019) = %d, %v; want -1, 0", p, got, dist)
	}
}

func BenchmarkPolygonIndexLocate(b *testing.B) {
	d := countyIndex(b)
	pts := randomPoints(rand.New(rand.NewPCG(3, 4)), contiguousUS, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.index.Locate(pts[i&4095])
		i++
	}
}

func BenchmarkPolygonIndexLocateBruteForce(b *testing.B) {
	d := countyIndex(b)
	pts := randomPoints(rand.New(rand.NewPCG(3, 4)), contiguousUS, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bruteForceLocate(d.geoms, pts[i&4095])
		i++
	}
}

func BenchmarkPolygonIndexNearest(b *testing.B) {
	d := countyIndex(b)
	pts := randomPoints(rand.New(rand.NewPCG(5, 6)), contiguousUS, 4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.index.Nearest(pts[i&4095], 0.05)
		i++
	}
}

func BenchmarkNewPolygonIndex(b *testing.B) {
	d := countyIndex(b)
	b.ReportAllocs()
	for b.Loop() {
		geo.NewPolygonIndex(d.geoms)
	}
}
