package geo_test

import (
	"math"
	"testing"

	"github.com/meridianplan/meridian/geo"
	"github.com/paulmach/orb"
)

// Invert undoes Point everywhere on the AlbersUSA map, in every inset.
func TestAlbersUSAInvert(t *testing.T) {
	for _, p := range []orb.Point{
		{-73.97, 40.78},  // New York
		{-122.42, 37.77}, // San Francisco
		{-80.19, 25.76},  // Miami
		{-149.9, 61.22},  // Anchorage (Alaska inset)
		{-176.6, 51.88},  // Adak, west Aleutians
		{173.2, 52.9},    // Attu, west of 180°
		{-157.86, 21.31}, // Honolulu
		{-66.1, 18.47},   // San Juan
		{144.79, 13.44},  // Hagåtña, Guam
		{-170.7, -14.28}, // Pago Pago
		{-96.6, 38.7},    // the lower 48's centre
		{-124.2, 48.4},   // Cape Flattery
		{-67.0, 44.8},    // Eastport, Maine
	} {
		q, ok := geo.AlbersUSA.Point(p)
		if !ok {
			t.Fatalf("%v is not on the map", p)
		}
		back, ok := geo.AlbersUSA.Invert(q)
		if !ok || math.Abs(back[0]-p[0]) > 1e-9 || math.Abs(back[1]-p[1]) > 1e-9 {
			t.Errorf("Invert(Point(%v)) = %v, %v", p, back, ok)
		}
	}
	// The middle of the Pacific, between insets, is in none.
	if _, ok := geo.AlbersUSA.Invert(orb.Point{-600, 400}); ok {
		t.Error("a point far off the map was inverted into an inset")
	}
}

// A polygon drawn on the map comes back to lon/lat in one inset, and
// projects again onto the same plane positions.
func TestAlbersUSAInvertPolygon(t *testing.T) {
	ll := orb.Polygon{{{-75, 40}, {-73, 40}, {-73, 41.5}, {-75, 41.5}, {-75, 40}}}
	plane := geo.AlbersUSA.Polygon(ll)
	back := geo.AlbersUSA.InvertPolygon(plane)
	for k := range ll[0] {
		if d := math.Hypot(back[0][k][0]-ll[0][k][0], back[0][k][1]-ll[0][k][1]); d > 1e-9 {
			t.Errorf("vertex %d: %v, want %v", k, back[0][k], ll[0][k])
		}
	}
}
