package mapview_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

// shapeMap is a 200×200 map at scale 1 centred on (0, 0) (plane (X, Y) is
// pixel (100 + X, 100 − Y)) with one square area of fill fxA under a point
// of radius 4 dp and colour fxPoint whose centre is at pixel
// (100.625, 100.625) (a sub-pixel phase of the sprites, so no rounding of
// the position is involved), and a second point far to the left.
func shapeMap() *mapview.Map {
	m := mapview.New()
	m.SetAreas([]orb.MultiPolygon{{{fxRing(-90, -90, 90, 90)}}}, []color.NRGBA{fxA})
	m.SetPointsSized([]orb.Point{{0.625, -0.625}, {-60.375, -0.625}}, []color.NRGBA{fxPoint, fxPoint}, []float32{4, 4})
	return m
}

var shapeView = mapview.View{Center: orb.Point{0, 0}, Scale: 1}

// TestPointDiamond: a diamond (half-diagonal 1.35 × 4 = 5.4 px) covers the
// pixels at its four tips, 4.875 and 5.125 px from its centre along the
// axes, which a dot of the same radius (coverage up to 4.5 px) leaves
// alone; both have
// the fill colour at the centre; the dot elsewhere is unchanged.
func TestPointDiamond(t *testing.T) {
	m := shapeMap()
	dots := m.Render(shapeView, 200, 200)
	m.SetPointShapes([]mapview.PointShape{mapview.PointDiamond})
	dia := m.Render(shapeView, 200, 200)
	tips := [][2]int{{105, 100}, {95, 100}, {100, 105}, {100, 95}}
	for _, p := range tips {
		if got := dots.RGBAAt(p[0], p[1]); !fxNear(got, fxA, 0) {
			t.Errorf("dot: tip pixel %v = %v, want the area fill %v", p, got, fxA)
		}
		got := dia.RGBAAt(p[0], p[1])
		if fxNear(got, fxA, 40) {
			t.Errorf("diamond: tip pixel %v = %v, not covered", p, got)
		}
		// Mostly outline (DefaultPointOutline is dark grey): darker than
		// the area.
		if fxLum(got) > fxLum(dia.RGBAAt(120, 120))-60 {
			t.Errorf("diamond: tip pixel %v = %v, want the dark outline", p, got)
		}
	}
	// Just beyond the tips (6.875 and 6.125 px; the diamond's coverage
	// ends 5.9 px out): nothing.
	for _, p := range [][2]int{{107, 100}, {100, 107}, {94, 100}, {100, 94}} {
		if got := dia.RGBAAt(p[0], p[1]); !fxNear(got, fxA, 0) {
			t.Errorf("diamond: pixel %v beyond the tip = %v, want %v", p, got, fxA)
		}
	}
	for _, img := range []*image.RGBA{dots, dia} {
		if got := img.RGBAAt(100, 100); !fxNear(got, fxPoint, 0) {
			t.Errorf("centre = %v, want the point fill %v", got, fxPoint)
		}
	}
	// The second point is still a dot (a short slice): its part of the
	// image is the same in both.
	for y := 90; y < 110; y++ {
		for x := 30; x < 50; x++ {
			if dots.RGBAAt(x, y) != dia.RGBAAt(x, y) {
				t.Fatalf("second point: pixel (%d,%d) changed", x, y)
			}
		}
	}
	// A diamond's pixels differ from a dot's in more than the tips.
	changed := 0
	for y := 90; y < 111; y++ {
		for x := 90; x < 111; x++ {
			if dots.RGBAAt(x, y) != dia.RGBAAt(x, y) {
				changed++
			}
		}
	}
	if changed < 16 {
		t.Errorf("%d pixels differ between the dot and the diamond", changed)
	}
}

// TestPointShapesKept: shapes stay when the points are replaced by as many
// points and are dropped when their number changes; nil restores dots.
func TestPointShapesKept(t *testing.T) {
	m := shapeMap()
	dots := m.Render(shapeView, 200, 200)
	m.SetPointShapes([]mapview.PointShape{mapview.PointDiamond, 7}) // 7: not a shape, a dot
	dia := m.Render(shapeView, 200, 200)
	tip := func(img *image.RGBA) bool { return !fxNear(img.RGBAAt(105, 100), fxA, 40) }
	if !tip(dia) {
		t.Fatal("no diamond")
	}
	for y := 80; y < 120; y++ {
		for x := 20; x < 60; x++ {
			if dia.RGBAAt(x, y) != dots.RGBAAt(x, y) {
				t.Fatalf("an invalid shape value is not drawn as a dot: pixel (%d,%d)", x, y)
			}
		}
	}
	// Same number of points, other colours: still a diamond.
	red := color.NRGBA{0xd0, 0x20, 0x20, 0xff}
	m.SetPointsSized([]orb.Point{{0.625, -0.625}, {-60.375, -0.625}}, []color.NRGBA{red, red}, []float32{4, 4})
	if img := m.Render(shapeView, 200, 200); !tip(img) || !fxNear(img.RGBAAt(100, 100), red, 0) {
		t.Error("shapes dropped when the points were recoloured")
	}
	// Another number of points: dots.
	m.SetPointsSized([]orb.Point{{0.625, -0.625}}, []color.NRGBA{fxPoint}, []float32{4})
	if img := m.Render(shapeView, 200, 200); tip(img) {
		t.Error("shapes kept for another number of points")
	}
	// Layers: shapes set with the layers.
	m.SetLayers(mapview.NewLayers().Areas([]orb.MultiPolygon{{{fxRing(-90, -90, 90, 90)}}}, []color.NRGBA{fxA}).
		PointsSized([]orb.Point{{0.625, -0.625}}, []color.NRGBA{fxPoint}, []float32{4}).
		PointShapes([]mapview.PointShape{mapview.PointDiamond}))
	if img := m.Render(shapeView, 200, 200); !tip(img) {
		t.Error("Layers.PointShapes: no diamond")
	}
	m.SetPointShapes(nil)
	if img := m.Render(shapeView, 200, 200); tip(img) {
		t.Error("SetPointShapes(nil): still a diamond")
	}
}

// TestPointDiamondHiDPI: at pixel scale 2 the diamond doubles: its tip is
// 10.8 px from the centre.
func TestPointDiamondHiDPI(t *testing.T) {
	m := shapeMap()
	m.SetPointShapes([]mapview.PointShape{mapview.PointDiamond})
	v := shapeView
	v.Scale = 2
	img := image.NewRGBA(image.Rect(0, 0, 400, 400))
	m.RenderTo(img, v, 2)
	// Centre at (201.375, 201.375) (the position 201.25 in sprite phases of
	// 1/4 px): pixel 211 (centre 211.5) is 10.125 px right, inside; pixel
	// 213 is 12.125 px right, beyond the tip's 10.8 + 0.5.
	if got := img.RGBAAt(211, 201); fxNear(got, fxA, 40) {
		t.Errorf("tip pixel = %v, not covered", got)
	}
	if got := img.RGBAAt(213, 201); !fxNear(got, fxA, 0) {
		t.Errorf("beyond the tip = %v, want %v", got, fxA)
	}
}
