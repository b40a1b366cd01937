package mapview_test

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

// The fixture map: two adjacent squares A = [0,10]² (fill fxA) and
// B = [10,20]×[0,10] (fill fxB), shown at 10 px per plane unit in a 300×200
// image centred on (10, 5), so that plane (X, Y) is pixel
// (50 + 10X, 150 − 10Y): A covers pixels x 50..150, B x 150..250, both
// y 50..150.
var (
	fxA       = color.NRGBA{0xe0, 0xc0, 0x40, 0xff}
	fxB       = color.NRGBA{0x40, 0xa0, 0xe0, 0xff}
	fxLine    = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	fxOutline = color.NRGBA{0xd0, 0x10, 0x10, 0xff}
	fxPoint   = color.NRGBA{0x10, 0xb0, 0x30, 0xff}
	fxLabel   = color.NRGBA{0x10, 0x10, 0x10, 0xff}
	fxHalo    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	fxView    = mapview.View{Center: orb.Point{10, 5}, Scale: 10}
)

const fxW, fxH = 300, 200

func fxRing(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// fixtureLayers: the two squares; a horizontal black line (1.5 dp) across
// both at Y = 4.95 (centred on pixel row 100); a red outline (3 dp) around A; a green
// point of radius 4 dp at (15, 2) (pixel 200, 130); a label "AB" at (5, 8)
// (pixel 100, 70).
func fixtureLayers() *mapview.Layers {
	return mapview.NewLayers().
		Areas([]orb.MultiPolygon{{{fxRing(0, 0, 10, 10)}}, {{fxRing(10, 0, 20, 10)}}}, []color.NRGBA{fxA, fxB}).
		Lines(orb.MultiLineString{{{-1, 4.95}, {21, 4.95}}}, fxLine, 1.5).
		Outlines([]orb.MultiLineString{{orb.LineString(fxRing(0, 0, 10, 10))}}, []color.NRGBA{fxOutline}, 3).
		PointsSized([]orb.Point{{15, 2}}, []color.NRGBA{fxPoint}, []float32{4}).
		Labels([]mapview.Label{{At: orb.Point{5, 8}, Text: "AB", Size: 12, Color: fxLabel, Halo: fxHalo}})
}

func fixtureMap() *mapview.Map {
	m := mapview.New()
	m.SetLayers(fixtureLayers())
	return m
}

// fxNear reports whether the pixel is within tol of c in every channel.
func fxNear(got color.RGBA, c color.NRGBA, tol int) bool {
	r, g, b, a := c.RGBA()
	want := [4]int{int(r >> 8), int(g >> 8), int(b >> 8), int(a >> 8)}
	have := [4]int{int(got.R), int(got.G), int(got.B), int(got.A)}
	for i := range want {
		if d := have[i] - want[i]; d > tol || d < -tol {
			return false
		}
	}
	return true
}

func fxLum(c color.RGBA) int { return (int(c.R)*3 + int(c.G)*6 + int(c.B)) / 10 }

// TestRenderFixture checks pixels of every layer of the fixture: area
// fills, background, the line, the outline drawn over the line, the point
// and the label, with its halo, drawn in its box and nowhere else. The map
// was never shown: RenderTo works without a Fyne app.
func TestRenderFixture(t *testing.T) {
	m := fixtureMap()
	img := image.NewRGBA(image.Rect(0, 0, fxW, fxH))
	m.RenderTo(img, fxView, 1)
	check := func(name string, x, y int, c color.NRGBA, tol int) {
		t.Helper()
		if got := img.RGBAAt(x, y); !fxNear(got, c, tol) {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", name, x, y, got, c)
		}
	}
	check("inside A", 80, 120, fxA, 0)
	check("inside B", 220, 70, fxB, 0)
	check("background", 10, 10, mapview.DefaultBackground, 0)
	check("background right of B", 290, 100, mapview.DefaultBackground, 0)
	check("line in A", 100, 100, fxLine, 0)
	check("line in B", 230, 100, fxLine, 0)
	check("beside the line", 100, 102, fxA, 0)
	check("outline, left side of A", 50, 120, fxOutline, 0)
	check("outline, top of A", 120, 50, fxOutline, 0)
	check("outline over the line", 50, 100, fxOutline, 0)
	check("outline on the shared side", 150, 80, fxOutline, 0)
	check("point centre", 200, 130, fxPoint, 0)
	check("beside the point", 210, 130, fxB, 0)
	// The outline is 3 px wide: nothing of it 4 px inside A.
	check("inside the outline", 54, 120, fxA, 0)

	// The label: dark glyph pixels and light halo pixels (A's fill has
	// little blue; the white halo adds it) in its box around (100, 70),
	// none elsewhere in A.
	dark, halo := 0, 0
	for y := 55; y < 86; y++ {
		for x := 80; x < 121; x++ {
			c := img.RGBAAt(x, y)
			if fxLum(c) < 60 {
				dark++
			}
			if c.B > 0xa0 {
				halo++
			}
		}
	}
	if dark < 20 || halo < 20 {
		t.Errorf("label: %d dark and %d halo pixels in its box, want 20 or more of each", dark, halo)
	}
	for y := 53; y < 147; y++ {
		for x := 53; x < 147; x++ {
			if x >= 70 && x < 131 && y >= 53 && y < 91 || y >= 97 && y < 104 {
				continue // the label box, with room; the line
			}
			if c := img.RGBAAt(x, y); c != img.RGBAAt(80, 120) {
				t.Fatalf("pixel (%d,%d) = %v in A outside the label box", x, y, c)
			}
		}
	}
}

// TestRenderFixtureHiDPI: at pixel scale 2 (a 600×400 image) the sizes in
// dp double: the outline is 6 px wide and the label box twice as high.
func TestRenderFixtureHiDPI(t *testing.T) {
	m := fixtureMap()
	v := fxView
	v.Scale *= 2
	img := image.NewRGBA(image.Rect(0, 0, 2*fxW, 2*fxH))
	m.RenderTo(img, v, 2)
	if got := img.RGBAAt(2*50+2, 2*120); !fxNear(got, fxOutline, 0) {
		t.Errorf("outline 2 px in: %v, want %v", got, fxOutline)
	}
	if got := img.RGBAAt(2*50+5, 2*120); !fxNear(got, fxA, 0) {
		t.Errorf("5 px in: %v, want fill %v", got, fxA)
	}
	if got := img.RGBAAt(2*200, 2*130); !fxNear(got, fxPoint, 0) {
		t.Errorf("point centre: %v, want %v", got, fxPoint)
	}
	// Height of the label's dark pixels: about 2× the 1× render's.
	darkRows := func(img *image.RGBA, x0, y0, x1, y1 int) int {
		n := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if fxLum(img.RGBAAt(x, y)) < 60 {
					n++
					break
				}
			}
		}
		return n
	}
	one := image.NewRGBA(image.Rect(0, 0, fxW, fxH))
	m.RenderTo(one, fxView, 1)
	h1, h2 := darkRows(one, 80, 55, 121, 86), darkRows(img, 160, 110, 242, 172)
	if h1 < 5 || h2 < 2*h1-3 || h2 > 2*h1+3 {
		t.Errorf("label glyph rows: %d at 1×, %d at 2×", h1, h2)
	}
}

// TestSetHighlightChangesOnlyTheArea: highlighting B changes B's pixels
// (tint) and its outline's, and nothing else.
func TestSetHighlightChangesOnlyTheArea(t *testing.T) {
	m := mapview.New()
	m.SetAreas([]orb.MultiPolygon{{{fxRing(0, 0, 10, 10)}}, {{fxRing(10, 0, 20, 10)}}}, []color.NRGBA{fxA, fxB})
	before := m.Render(fxView, fxW, fxH)
	hl := color.NRGBA{0x00, 0x40, 0xff, 0xff}
	m.SetHighlight([]int{1, 7, -3}, hl) // invalid indexes are ignored
	after := m.Render(fxView, fxW, fxH)
	// B is pixels [150,250)×[50,150); its outline (2 dp) reaches 2 px out.
	for y := 0; y < fxH; y++ {
		for x := 0; x < fxW; x++ {
			changed := before.RGBAAt(x, y) != after.RGBAAt(x, y)
			inside := x >= 152 && x < 248 && y >= 52 && y < 148
			nearB := x >= 148 && x < 252 && y >= 48 && y < 152
			if inside && !changed {
				t.Fatalf("pixel (%d,%d) inside B is unchanged", x, y)
			}
			if changed && !nearB {
				t.Fatalf("pixel (%d,%d) outside B changed: %v -> %v", x, y, before.RGBAAt(x, y), after.RGBAAt(x, y))
			}
		}
	}
	// The tint: B's fill moved towards the highlight colour, not replaced.
	got := after.RGBAAt(200, 100)
	if !(got.B > 0xe0 && got.R < 0x40 && got.R > 0x10) {
		t.Errorf("tinted B = %v, want a mix of %v and %v", got, fxB, hl)
	}
	// The stroke on B's left side (the border shared with A).
	if got := after.RGBAAt(150, 100); !fxNear(got, hl, 0) {
		t.Errorf("highlight stroke at (150,100) = %v, want %v", got, hl)
	}
	// Removing the highlight restores the image.
	m.SetHighlight(nil, hl)
	if again := m.Render(fxView, fxW, fxH); !fxSame(again, before) {
		t.Error("image differs after the highlight is removed")
	}
}

// TestHighlightUnionOutline: two highlighted neighbours are outlined as one
// region: no stroke on their shared border.
func TestHighlightUnionOutline(t *testing.T) {
	m := mapview.New()
	m.SetAreaStroke(color.NRGBA{}, 0)
	m.SetAreas([]orb.MultiPolygon{{{fxRing(0, 0, 10, 10)}}, {{fxRing(10, 0, 20, 10)}}}, []color.NRGBA{fxA, fxA})
	hl := color.NRGBA{0x00, 0x40, 0xff, 0xff}
	m.SetHighlight([]int{0, 1}, hl)
	img := m.Render(fxView, fxW, fxH)
	if got := img.RGBAAt(50, 100); !fxNear(got, hl, 0) {
		t.Errorf("outer side: %v, want the stroke %v", got, hl)
	}
	if a, b := img.RGBAAt(150, 100), img.RGBAAt(100, 100); a != b {
		t.Errorf("shared side (150,100) = %v differs from the inside %v", a, b)
	}
}

// TestOutlinesOverLines: where an outline and the line layer cross, the
// outline's colour shows; SetOutlines replaces the outlines and keeps the
// rest of the image.
func TestOutlinesOverLines(t *testing.T) {
	m := fixtureMap()
	img := m.Render(fxView, fxW, fxH)
	if got := img.RGBAAt(50, 100); !fxNear(got, fxOutline, 0) {
		t.Errorf("crossing = %v, want the outline %v", got, fxOutline)
	}
	m.SetOutlines(nil, nil, 3)
	img2 := m.Render(fxView, fxW, fxH)
	if got := img2.RGBAAt(51, 100); !fxNear(got, fxLine, 0) {
		t.Errorf("without outlines = %v, want the line %v", got, fxLine)
	}
	if got := img2.RGBAAt(50, 120); fxNear(got, fxOutline, 60) {
		t.Errorf("outline still drawn: %v", got)
	}
	// A second outline set drawn over the first where they share a segment
	// is not drawn twice: the first set's colour shows.
	blue := color.NRGBA{0x10, 0x10, 0xd0, 0xff}
	m.SetOutlines([]orb.MultiLineString{
		{orb.LineString(fxRing(0, 0, 10, 10))},
		{orb.LineString(fxRing(10, 0, 20, 10))},
	}, []color.NRGBA{fxOutline, blue}, 3)
	img3 := m.Render(fxView, fxW, fxH)
	if got := img3.RGBAAt(150, 80); !fxNear(got, fxOutline, 0) {
		t.Errorf("shared side = %v, want the first set's %v", got, fxOutline)
	}
	if got := img3.RGBAAt(250, 80); !fxNear(got, blue, 0) {
		t.Errorf("B's right side = %v, want %v", got, blue)
	}
}

// TestCachedRendersMatchFresh: renders of a map that reuse its caches
// (same view; after SetOutlines, SetHighlight, SetLabels; panned by whole
// pixels) equal renders of a new map with the same layers.
func TestCachedRendersMatchFresh(t *testing.T) {
	counties := loadCounties(t)
	states := loadStates(t)
	pts, fills := randomPoints(500, contiguous())
	layers := func() *mapview.Layers {
		return mapview.NewLayers().Areas(counties, palette(len(counties))).
			Lines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5).
			Outlines(territoryOutlines(states, 9), palette(9), 2.5).
			Points(pts, fills, 3)
	}
	v := mapview.View{Center: project(-90, 38), Scale: 60}
	const w, h = 640, 400
	warm := mapview.New()
	warm.SetLayers(layers())
	fresh := func(v mapview.View, change func(*mapview.Map)) *image.RGBA {
		m := mapview.New()
		m.SetLayers(layers())
		if change != nil {
			change(m)
		}
		return m.Render(v, w, h)
	}
	warm.Render(v, w, h)
	if !fxSame(warm.Render(v, w, h), fresh(v, nil)) {
		t.Error("same view: cached render differs")
	}
	outl := func(m *mapview.Map) { m.SetOutlines(territoryOutlines(states, 5), palette(5), 2) }
	outl(warm)
	if !fxSame(warm.Render(v, w, h), fresh(v, outl)) {
		t.Error("after SetOutlines: cached render differs")
	}
	hl := func(m *mapview.Map) {
		outl(m)
		m.SetHighlight([]int{100, 101, 102, 2000}, color.NRGBA{0, 0, 0xff, 0xc0})
		m.SetLabels([]mapview.Label{{At: project(-90, 38), Text: "Midwest\n12 accounts", Size: 14, Color: color.NRGBA{A: 0xff}, Halo: color.NRGBA{0xff, 0xff, 0xff, 0xc0}, Bold: true}})
	}
	hl(warm)
	if !fxSame(warm.Render(v, w, h), fresh(v, hl)) {
		t.Error("after SetHighlight and SetLabels: cached render differs")
	}
	pan := v
	pan.Center[0] += 23 / v.Scale
	pan.Center[1] -= 9 / v.Scale
	got, want := warm.Render(pan, w, h), fresh(pan, hl)
	if d := fxMaxDiff(got, want); d > 1 {
		t.Errorf("panned: channel values differ by up to %d", d)
	}
}

// TestSimplifiedBordersWatertight: at scales where the shared border of two
// areas (a fine zigzag) is simplified, no more background shows through
// between them than anti-aliasing two abutting edges lets through (at most
// a quarter, where each covers half a pixel): both sides of the border keep
// the same vertices.
func TestSimplifiedBordersWatertight(t *testing.T) {
	// The border between the areas runs from (0,0) to (0,100) with a
	// zigzag of amplitude 0.01 every 0.1 plane units.
	var border []orb.Point
	for k := 0; k <= 1000; k++ {
		border = append(border, orb.Point{0.01 * float64(k%2), 0.1 * float64(k)})
	}
	left := orb.Ring{{-50, 100}, {-50, 0}}
	left = append(left, border...)
	left = append(left, orb.Point{-50, 100})
	right := orb.Ring{{50, 0}, {50, 100}}
	for k := len(border) - 1; k >= 0; k-- {
		right = append(right, border[k])
	}
	right = append(right, orb.Point{50, 0})
	m := mapview.New()
	m.SetAreaStroke(color.NRGBA{}, 0)
	c := color.NRGBA{0x80, 0x20, 0x20, 0xff}
	bg := mapview.DefaultBackground
	m.SetAreas([]orb.MultiPolygon{{{left}}, {{right}}}, []color.NRGBA{c, c})
	for _, scale := range []float64{1.7, 3.1, 5.3, 9.9, 17.3} {
		v := mapview.View{Center: orb.Point{0.3, 50}, Scale: scale}
		img := m.Render(v, 64, 64)
		for y := 2; y < 62; y++ {
			for x := 20; x < 44; x++ {
				got := img.RGBAAt(x, y)
				// Weight of the background in the pixel.
				if w := float64(int(got.R)-int(c.R)) / float64(int(bg.R)-int(c.R)); w > 0.26 {
					t.Fatalf("scale %g: pixel (%d,%d) = %v: %.2f background", scale, x, y, got, w)
				}
			}
		}
	}
}

// TestPointsSized: points keep their own radius and colour; radius 0
// hides a point; missing radii are DefaultPointRadius.
func TestPointsSized(t *testing.T) {
	m := mapview.New()
	m.SetBackground(color.NRGBA{0xff, 0xff, 0xff, 0xff})
	m.SetPointOutline(color.NRGBA{}, 0)
	c1, c2, c3 := color.NRGBA{0xff, 0, 0, 0xff}, color.NRGBA{0, 0xff, 0, 0xff}, color.NRGBA{0, 0, 0xff, 0xff}
	m.SetPointsSized([]orb.Point{{10, 10}, {30, 10}, {50, 10}, {70, 10}}, []color.NRGBA{c1, c2, c3, c1}, []float32{2, 6, 0})
	img := m.Render(mapview.View{Center: orb.Point{40, 10}, Scale: 1}, 80, 20)
	width := func(x0, x1 int, c color.NRGBA) int {
		n := 0
		for x := x0; x < x1; x++ {
			if fxNear(img.RGBAAt(x, 10), c, 0) {
				n++
			}
		}
		return n
	}
	if w1, w2 := width(0, 20, c1), width(20, 40, c2); !(w1 >= 3 && w1 <= 4 && w2 >= 11 && w2 <= 12) {
		t.Errorf("full-colour widths %d (r=2), %d (r=6)", w1, w2)
	}
	if n := width(40, 60, c3); n != 0 {
		t.Errorf("radius 0 point drawn (%d px)", n)
	}
	if w := width(60, 80, c1); w < 5 || w > 6 {
		t.Errorf("default radius point: width %d, want 5 or 6 (r=%d)", w, mapview.DefaultPointRadius)
	}
}

// TestBadLayerInput: non-finite or out-of-range input draws what it can and
// never panics.
func TestBadLayerInput(t *testing.T) {
	nan := math.NaN()
	m := mapview.New()
	m.SetLayers(mapview.NewLayers().
		Areas([]orb.MultiPolygon{{{fxRing(0, 0, 10, 10)}}, {{{{nan, 0}, {1, 1}}}}}, nil).
		Outlines([]orb.MultiLineString{{{{nan, nan}, {1, 2}}}, nil, {{{0, 0}}}}, nil, float32(math.Inf(1))).
		Outlines([]orb.MultiLineString{{{{0, 0}, {nan, 2}, {5, 5}}}}, nil, 2).
		PointsSized([]orb.Point{{nan, 1}, {2, 2}, {3, 3}}, nil, []float32{float32(nan), -1, 1e9}).
		Labels([]mapview.Label{
			{At: orb.Point{nan, 0}, Text: "x"},
			{At: orb.Point{5, 5}, Text: ""},
			{At: orb.Point{5, 5}, Text: "\n\n", Size: -3, Color: fxLabel},
			{At: orb.Point{5, 5}, Text: "big", Size: 1e9, Color: fxLabel, Halo: fxHalo},
			{At: orb.Point{1e300, 5}, Text: "far", Color: fxLabel},
		}))
	m.SetHighlight([]int{-1, 0, 1, 99}, color.NRGBA{0, 0, 0xff, 0xff})
	for _, v := range []mapview.View{fxView, {Center: orb.Point{5, 5}, Scale: 1e7}, {Center: orb.Point{5, 5}, Scale: 1e-9}} {
		m.Render(v, fxW, fxH)
		m.RenderTo(image.NewRGBA(image.Rect(0, 0, 30, 20)), v, 3)
	}
}

func fxSame(a, b *image.RGBA) bool {
	if a.Rect != b.Rect {
		return false
	}
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			return false
		}
	}
	return true
}

func fxMaxDiff(a, b *image.RGBA) int {
	d := 0
	for i := range a.Pix {
		d = max(d, int(a.Pix[i])-int(b.Pix[i]), int(b.Pix[i])-int(a.Pix[i]))
	}
	return d
}
