package mapview

import (
	"math"
	"testing"
)

func TestClipOverlaySegment(t *testing.T) {
	const x0, y0, x1, y1 = 0, 0, 100, 50
	nan := math.NaN()
	for _, c := range []struct {
		name           string
		ax, ay, bx, by float64
		ok             bool
		want           [4]float64
	}{
		{"inside", 10, 10, 90, 40, true, [4]float64{10, 10, 90, 40}},
		{"crosses left and right", -100, 25, 200, 25, true, [4]float64{0, 25, 100, 25}},
		{"diagonal through a corner region", -10, -10, 60, 60, true, [4]float64{0, 0, 50, 50}},
		{"vertical, clipped at the bottom", 50, 10, 50, 1e12, true, [4]float64{50, 10, 50, 50}},
		{"reversed", 200, 25, 50, 25, true, [4]float64{100, 25, 50, 25}},
		{"outside left", -20, 0, -10, 50, false, [4]float64{}},
		{"outside, parallel above", 0, -5, 100, -5, false, [4]float64{}},
		{"misses the corner", 90, -20, 120, 10, false, [4]float64{}},
		{"NaN", nan, 0, 10, 10, false, [4]float64{}},
	} {
		ax, ay, bx, by, ok := clipOverlaySegment(c.ax, c.ay, c.bx, c.by, x0, y0, x1, y1)
		got := [4]float64{ax, ay, bx, by}
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("%s: got %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
