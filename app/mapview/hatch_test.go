package mapview_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

var fxHatch = color.NRGBA{0x20, 0x20, 0x20, 0xff}

// hatchChanges renders the fixture squares (A: pixels x 50..150, B: x
// 150..250, both y 50..150) before and after SetHatch(areas) and returns
// both images; fills may make them translucent (masks instead of spans).
func hatchImages(t *testing.T, fills []color.NRGBA, areas []int, before func(*mapview.Map)) (*image.RGBA, *image.RGBA) {
	t.Helper()
	m := mapview.New()
	m.SetAreas([]orb.MultiPolygon{{{fxRing(0, 0, 10, 10)}}, {{fxRing(10, 0, 20, 10)}}}, fills)
	if before != nil {
		before(m)
	}
	a := m.Render(fxView, fxW, fxH)
	m.SetHatch(areas, fxHatch)
	return a, m.Render(fxView, fxW, fxH)
}

// checkHatchInB checks that pixels changed only inside B, and along
// diagonal lines (x + y constant) every 10 px (7 dp × √2 along a row) in
// B's interior.
func checkHatchInB(t *testing.T, before, after *image.RGBA) {
	t.Helper()
	changed := func(x, y int) bool { return before.RGBAAt(x, y) != after.RGBAAt(x, y) }
	n := 0
	for y := 0; y < fxH; y++ {
		for x := 0; x < fxW; x++ {
			if !changed(x, y) {
				continue
			}
			n++
			if x < 150 || x >= 250 || y < 50 || y >= 150 {
				t.Fatalf("hatch pixel (%d,%d) outside B: %v -> %v", x, y, before.RGBAAt(x, y), after.RGBAAt(x, y))
			}
		}
	}
	// Lines 1.5 px wide every 7 px: about 1/5 of B's 10,000 pixels, with
	// anti-aliased neighbours.
	if n < 2000 || n > 4500 {
		t.Errorf("%d hatch pixels in B, want 2,000 to 4,500", n)
	}
	for y := 52; y < 148; y++ {
		for x := 152; x < 238; x++ {
			if changed(x, y) != changed(x+10, y) || changed(x, y) != changed(x+1, y-1) {
				t.Fatalf("pattern not periodic along the diagonal at (%d,%d)", x, y)
			}
		}
	}
	// Full-strength line pixels: the hatch colour itself.
	full := 0
	for x := 152; x < 248; x++ {
		if fxNear(after.RGBAAt(x, 100), fxHatch, 0) {
			full++
		}
	}
	if full < 8 || full > 12 {
		t.Errorf("row 100: %d pixels of the hatch colour, want about 10 (one per line)", full)
	}
}

// TestSetHatch: hatching of B changes pixels inside B only, in a diagonal
// pattern; removing it restores the image.
func TestSetHatch(t *testing.T) {
	before, after := hatchImages(t, []color.NRGBA{fxA, fxB}, []int{1, 5, -1}, nil)
	checkHatchInB(t, before, after)
	m := mapview.New()
	m.SetAreas([]orb.MultiPolygon{{{fxRing(0, 0, 10, 10)}}, {{fxRing(10, 0, 20, 10)}}}, []color.NRGBA{fxA, fxB})
	m.SetHatch([]int{1}, fxHatch)
	m.SetHatch(nil, fxHatch)
	if !fxSame(m.Render(fxView, fxW, fxH), before) {
		t.Error("image differs after the hatching is removed")
	}
}

// TestSetHatchMasks: with translucent fills areas are anti-aliased masks;
// the hatching is clipped to them too.
func TestSetHatchMasks(t *testing.T) {
	a, b := fxA, fxB
	a.A, b.A = 0xc0, 0xc0
	before, after := hatchImages(t, []color.NRGBA{a, b}, []int{1}, nil)
	checkHatchInB(t, before, after)
}

// TestSetHatchWithHighlight: hatching and highlight together; the hatching
// changes only B's pixels of the highlighted image.
func TestSetHatchWithHighlight(t *testing.T) {
	hl := func(m *mapview.Map) { m.SetHighlight([]int{0, 1}, color.NRGBA{0x00, 0x40, 0xff, 0xff}) }
	before, after := hatchImages(t, []color.NRGBA{fxA, fxB}, []int{1}, hl)
	changed := 0
	for y := 0; y < fxH; y++ {
		for x := 0; x < fxW; x++ {
			if before.RGBAAt(x, y) == after.RGBAAt(x, y) {
				continue
			}
			changed++
			if x < 150 || x >= 250 || y < 50 || y >= 150 {
				t.Fatalf("hatch pixel (%d,%d) outside B", x, y)
			}
		}
	}
	if changed < 1000 {
		t.Errorf("%d pixels changed", changed)
	}
}

// TestSetHatchCounties: on the counties (spans, cached or not at the
// image's edges, many strips, areas cut by strip edges) hatching a set of
// counties changes no pixel outside them, and a cached render equals a
// fresh one.
func TestSetHatchCounties(t *testing.T) {
	counties := loadCounties(t)
	const w, h = 640, 400
	fit := mapview.New()
	fit.SetAreas([]orb.MultiPolygon{{{contiguous().ToRing()}}}, nil)
	v, _ := fit.FitView(w, h)
	v.Scale *= 3 // a part of the lower 48, counties of 10 to 100 px
	// Every 5th county whose bound reaches into the view.
	view := orb.Bound{Min: v.Center, Max: v.Center}.Pad(w / 2 / v.Scale)
	var sel []int
	for i, c := range counties {
		if c.Bound().Intersects(view) {
			if i%5 == 0 {
				sel = append(sel, i)
			}
		}
	}
	if len(sel) < 50 {
		t.Fatalf("%d counties selected", len(sel))
	}
	m := mapview.New()
	m.SetAreas(counties, palette(len(counties)))
	base := m.Render(v, w, h)
	m.SetHatch(sel, fxHatch)
	got := m.Render(v, w, h)
	// Where the selected counties are: black on white, anti-aliased
	// (without borders areas are coverage masks): a pixel with any part
	// in them is not white.
	id := mapview.New()
	id.SetBackground(color.NRGBA{0xff, 0xff, 0xff, 0xff})
	fills := make([]color.NRGBA, len(counties))
	for k := range fills {
		fills[k] = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	}
	for _, i := range sel {
		fills[i] = color.NRGBA{0, 0, 0, 0xff}
	}
	id.SetAreaStroke(color.NRGBA{}, 0)
	id.SetAreas(counties, fills)
	mask := id.Render(v, w, h)
	n := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if base.RGBAAt(x, y) == got.RGBAAt(x, y) {
				continue
			}
			n++
			if mask.RGBAAt(x, y).R == 0xff {
				t.Fatalf("hatch pixel (%d,%d) outside the hatched counties: %v -> %v, id %v", x, y, base.RGBAAt(x, y), got.RGBAAt(x, y), mask.RGBAAt(x, y))
			}
		}
	}
	if n < 100 {
		t.Errorf("%d hatch pixels", n)
	}
	fresh := mapview.New()
	fresh.SetAreas(counties, palette(len(counties)))
	fresh.SetHatch(sel, fxHatch)
	if !fxSame(fresh.Render(v, w, h), got) {
		t.Error("cached render differs from a fresh one")
	}
}
