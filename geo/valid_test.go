package geo_test

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
)

func TestValidateRing(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		ring   orb.Ring
		reason geo.RingProblem // 0: valid
		a, b   int
		vertex int
		at     orb.Point
		msg    string
	}{
		{name: "triangle", ring: orb.Ring{{0, 0}, {1, 0}, {0, 1}}},
		{name: "closed concave L", ring: orb.Ring{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}},
		{name: "clockwise concave", ring: orb.Ring{{0, 0}, {0, 10}, {5, 3}, {10, 10}, {10, 0}}},
		{name: "double click", ring: orb.Ring{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 1}}},
		{name: "collinear vertex on a side", ring: orb.Ring{{0, 0}, {1, 0}, {2, 0}, {2, 2}, {0, 2}}},
		{
			name: "bow-tie", ring: orb.Ring{{0, 0}, {2, 2}, {2, 0}, {0, 2}},
			reason: geo.RingCrosses, a: 0, b: 2, vertex: -1, at: orb.Point{1, 1},
			msg: "geo: the boundary crosses itself: edge 0 (between vertices 0 and 1) crosses edge 2 (between vertices 2 and 3)",
		},
		{
			name: "closed bow-tie after a double click", ring: orb.Ring{{0, 0}, {0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}},
			reason: geo.RingCrosses, a: 1, b: 3, vertex: -1, at: orb.Point{1, 1},
			msg: "geo: the boundary crosses itself: edge 1 (between vertices 1 and 2) crosses edge 3 (between vertices 3 and 4)",
		},
		{
			name: "figure 8", ring: orb.Ring{{0, 0}, {2, 1}, {4, 0}, {4, 2}, {2, 1}, {0, 2}},
			reason: geo.RingTouches, a: 0, b: 3, vertex: 1, at: orb.Point{2, 1},
			msg: "geo: the boundary touches itself: vertices 1 and 4 are at the same place",
		},
		{
			name: "vertex on an edge", ring: orb.Ring{{0, 0}, {6, 0}, {6, 4}, {3, 0}, {0, 4}},
			reason: geo.RingTouches, a: 0, b: 2, vertex: 3, at: orb.Point{3, 0},
			msg: "geo: the boundary touches itself: vertex 3 lies on edge 0 (between vertices 0 and 1)",
		},
		{
			name: "closing edge crosses", ring: orb.Ring{{2, 2}, {2, 0}, {0, 2}, {0, 0}},
			reason: geo.RingCrosses, a: 1, b: 3, vertex: -1, at: orb.Point{1, 1},
			msg: "geo: the boundary crosses itself: edge 1 (between vertices 1 and 2) crosses edge 3 (between vertices 3 and 0)",
		},
		{
			name: "collinear overlap", ring: orb.Ring{{0, 0}, {4, 0}, {4, -2}, {3, -2}, {3, 0}, {1, 0}, {1, 2}, {0, 2}},
			reason: geo.RingOverlaps, a: 0, b: 4, vertex: -1, at: orb.Point{1, 0},
			msg: "geo: the boundary runs along itself: edge 0 (between vertices 0 and 1) overlaps edge 4 (between vertices 4 and 5)",
		},
		{
			name: "doubling back", ring: orb.Ring{{0, 0}, {4, 0}, {2, 0}, {2, 3}},
			reason: geo.RingOverlaps, a: 0, b: 1, vertex: 1, at: orb.Point{4, 0},
			msg: "geo: the boundary turns back on itself at vertex 1, so edge 0 (between vertices 0 and 1) and edge 1 (between vertices 1 and 2) overlap",
		},
		{
			name: "too few", ring: orb.Ring{{0, 0}, {1, 1}, {1, 1}, {0, 0}},
			reason: geo.RingTooFewVertices, a: -1, b: -1, vertex: -1,
			msg: "geo: the shape needs at least 3 separate vertices; it has 2",
		},
		{
			name: "empty", ring: nil,
			reason: geo.RingTooFewVertices, a: -1, b: -1, vertex: -1,
			msg: "geo: the shape needs at least 3 separate vertices; it has 0",
		},
		{
			name: "on a line", ring: orb.Ring{{0, 0}, {1, 1}, {3, 3}, {2, 2}, {0, 0}},
			reason: geo.RingZeroArea, a: -1, b: -1, vertex: -1,
			msg: "geo: the shape has no area: all its vertices lie on one straight line",
		},
		{
			name: "NaN", ring: orb.Ring{{0, 0}, {1, 0}, {nan, 1}, {0, 1}},
			reason: geo.RingBadCoordinate, a: -1, b: -1, vertex: 2,
			msg: "geo: vertex 2 has no valid position",
		},
	} {
		err := geo.ValidateRing(tc.ring)
		if tc.reason == 0 {
			if err != nil {
				t.Errorf("%s: %v, want valid", tc.name, err)
			}
			continue
		}
		var re *geo.RingError
		if !errors.As(err, &re) {
			t.Errorf("%s: error %v, want a *RingError", tc.name, err)
			continue
		}
		if re.Reason != tc.reason || re.EdgeA != tc.a || re.EdgeB != tc.b || re.Vertex != tc.vertex || re.At != tc.at {
			t.Errorf("%s: %+v, want reason %d edges %d, %d vertex %d at %v", tc.name, re, tc.reason, tc.a, tc.b, tc.vertex, tc.at)
		}
		if err.Error() != tc.msg {
			t.Errorf("%s: message\n%q, want\n%q", tc.name, err.Error(), tc.msg)
		}
	}
}

// star returns a star-shaped ring of n vertices around (0,0), radii
// alternating between 100 and 60 (a simple, concave polygon).
func star(n int) orb.Ring {
	r := make(orb.Ring, n)
	for i := range r {
		rad := 100.0
		if i%2 == 1 {
			rad = 60
		}
		a := 2 * math.Pi * float64(i) / float64(n)
		r[i] = orb.Point{rad * math.Cos(a), rad * math.Sin(a)}
	}
	return r
}

func TestValidateRingLarge(t *testing.T) {
	r := star(1000)
	if err := geo.ValidateRing(r); err != nil {
		t.Fatalf("star: %v", err)
	}
	// Swap two far-apart vertices: the ring now crosses itself.
	r[100], r[600] = r[600], r[100]
	var re *geo.RingError
	if err := geo.ValidateRing(r); !errors.As(err, &re) || re.Reason != geo.RingCrosses {
		t.Fatalf("star with swapped vertices: %v", err)
	}
	if re.EdgeA != 99 {
		t.Errorf("first crossing edges %d, %d; want edge 99 first", re.EdgeA, re.EdgeB)
	}
}

func BenchmarkValidateRing1000(b *testing.B) {
	r := star(1000)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if geo.ValidateRing(r) != nil {
			b.Fatal("invalid")
		}
	}
	reportCPU(b, c0)
}

// ringFromBytes turns fuzz input into a ring of small integer points (two
// bytes a point, values 0..15), so that touching and overlapping edges are
// common.
func ringFromBytes(data []byte) orb.Ring {
	var r orb.Ring
	for i := 0; i+1 < len(data) && len(r) < 40; i += 2 {
		r = append(r, orb.Point{float64(data[i] % 16), float64(data[i+1] % 16)})
	}
	return r
}

func FuzzValidateRing(f *testing.F) {
	f.Add([]byte{0, 0, 2, 2, 2, 0, 0, 2})
	f.Add([]byte{0, 0, 4, 0, 4, 4, 0, 4})
	f.Add([]byte{0, 0, 2, 1, 4, 0, 4, 2, 2, 1, 0, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := ringFromBytes(data)
		err := geo.ValidateRing(r)
		if err == nil {
			// A valid ring has area, and so do its interior point and
			// pole of inaccessibility.
			if r.Orientation() == 0 {
				t.Fatalf("valid ring %v with zero area", r)
			}
			poly := orb.Polygon{r}
			if p, d := geo.PolyLabel(poly, 0.01); !(d > 0) || !planar.PolygonContains(poly, p) {
				t.Fatalf("ring %v: pole %v at %v", r, p, d)
			}
			return
		}
		var re *geo.RingError
		if !errors.As(err, &re) {
			t.Fatalf("error %T", err)
		}
		if re.Error() == "" || (re.EdgeA >= 0 && re.EdgeA >= re.EdgeB) {
			t.Fatalf("bad error %+v", re)
		}
		p := geo.InteriorPoint(orb.MultiPolygon{{r}})
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			t.Fatalf("NaN interior point for %v", r)
		}
	})
}
