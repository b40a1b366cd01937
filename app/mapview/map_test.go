package mapview_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/app/mapview"
)

var (
	red   = color.NRGBA{R: 0xd0, G: 0x30, B: 0x30, A: 0xff}
	blue  = color.NRGBA{R: 0x30, G: 0x50, B: 0xd0, A: 0xff}
	green = color.NRGBA{R: 0x20, G: 0xa0, B: 0x40, A: 0xff}
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// twoSquares: area 0 is [0,10]², area 1 is [20,30]×[0,10].
func twoSquares() []orb.MultiPolygon {
	return []orb.MultiPolygon{
		{{square(0, 0, 10, 10)}},
		{{square(20, 0, 30, 10)}},
	}
}

// newTestMap shows a map in a w×h test window. fyne's test driver runs
// fyne.Do callbacks on the calling goroutine, so a background render touches
// the widget's objects concurrently with the test: tests wait for renders
// (mapview.WaitIdle) before they touch the window or read its image.
func newTestMap(t *testing.T, w, h float32) (*mapview.Map, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	m := mapview.New()
	win := test.NewWindow(m)
	mapview.WaitIdle(t, m)
	win.SetPadded(false)
	mapview.WaitIdle(t, m)
	win.Resize(fyne.NewSize(w, h))
	mapview.WaitIdle(t, m)
	t.Cleanup(func() {
		mapview.WaitIdle(t, m)
		win.Close()
	})
	return m, win
}

// devicePt maps a plane point to continuous device-pixel coordinates.
func devicePt(v mapview.View, w, h int, p orb.Point) (float64, float64) {
	return (p[0]-v.Center[0])*v.Scale + float64(w)/2, float64(h)/2 - (p[1]-v.Center[1])*v.Scale
}

// planePt is the inverse of devicePt.
func planePt(v mapview.View, w, h int, x, y float64) orb.Point {
	return orb.Point{v.Center[0] + (x-float64(w)/2)/v.Scale, v.Center[1] - (y-float64(h)/2)/v.Scale}
}

func pixelAt(img *image.RGBA, v mapview.View, p orb.Point) color.RGBA {
	x, y := devicePt(v, img.Rect.Dx(), img.Rect.Dy(), p)
	return img.RGBAAt(int(math.Floor(x)), int(math.Floor(y)))
}

func rgba(c color.NRGBA) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// logicalPos is the widget position (dp) of a plane point at pixel scale ps.
func logicalPos(m *mapview.Map, ps float32, p orb.Point) fyne.Position {
	v := m.View()
	sz := m.Size()
	w, h := int(math.Round(float64(sz.Width*ps))), int(math.Round(float64(sz.Height*ps)))
	x, y := devicePt(v, w, h, p)
	return fyne.NewPos(float32(x)/ps, float32(y)/ps)
}

func TestRenderColours(t *testing.T) {
	m, _ := newTestMap(t, 400, 200)
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	m.FitAll()
	v := m.View()
	if !(v.Scale > 0) {
		t.Fatalf("FitAll gave view %+v", v)
	}
	if want := 400 * 0.94 / 30; math.Abs(v.Scale-want) > 1e-9 || v.Center != (orb.Point{15, 5}) {
		t.Errorf("FitAll view = %+v, want centre (15,5) scale %.4f", v, want)
	}
	img := m.Render(v, 400, 200)
	bg := rgba(mapview.DefaultBackground)
	for _, c := range []struct {
		name string
		p    orb.Point
		want color.RGBA
	}{
		{"centre of area 0", orb.Point{5, 5}, rgba(red)},
		{"centre of area 1", orb.Point{25, 5}, rgba(blue)},
		{"between the squares", orb.Point{15, 5}, bg},
		{"above", orb.Point{5, 11}, bg},
	} {
		if got := pixelAt(img, v, c.p); got != c.want {
			t.Errorf("%s: pixel %v, want %v", c.name, got, c.want)
		}
	}
	if got := img.RGBAAt(0, 0); got != bg {
		t.Errorf("corner: %v, want background %v", got, bg)
	}
	// The border of a square is anti-aliased and lighter (white stroke).
	edge := pixelAt(img, v, orb.Point{10 - 0.2/v.Scale, 5})
	if edge == rgba(red) || edge == bg {
		t.Errorf("edge pixel %v: expected a blend", edge)
	}
}

func TestRenderHole(t *testing.T) {
	for _, sameWinding := range []bool{false, true} {
		t.Run(fmt.Sprintf("sameWinding=%v", sameWinding), func(t *testing.T) {
			m := mapview.New()
			hole := orb.Ring{{3, 3}, {3, 7}, {7, 7}, {7, 3}, {3, 3}} // clockwise
			if sameWinding {
				hole = square(3, 3, 7, 7) // counter-clockwise like the exterior
			}
			m.SetAreas([]orb.MultiPolygon{{{square(0, 0, 10, 10), hole}}}, []color.NRGBA{green})
			v, ok := m.FitView(200, 200)
			if !ok {
				t.Fatal("FitView failed")
			}
			img := m.Render(v, 200, 200)
			if got, want := pixelAt(img, v, orb.Point{5, 5}), rgba(mapview.DefaultBackground); got != want {
				t.Errorf("hole: %v, want background %v", got, want)
			}
			if got, want := pixelAt(img, v, orb.Point{1.5, 1.5}), rgba(green); got != want {
				t.Errorf("ring: %v, want fill %v", got, want)
			}
		})
	}
}

func TestRenderLinesAndPoints(t *testing.T) {
	m := mapview.New()
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	black := color.NRGBA{A: 0xff}
	m.SetLines(orb.MultiLineString{{{0, 12}, {30, 12}}}, black, 2)
	m.SetPoints([]orb.Point{{15, 5}, {1e9, 1e9}}, []color.NRGBA{green}, 4)
	v := mapview.View{Center: orb.Point{15, 6}, Scale: 10}
	img := m.Render(v, 400, 200)
	if got := pixelAt(img, v, orb.Point{15, 12}); got != rgba(black) {
		t.Errorf("line pixel %v, want black", got)
	}
	if got := pixelAt(img, v, orb.Point{15, 5}); got != rgba(green) {
		t.Errorf("point centre %v, want green", got)
	}
	// Outline: 3.5 px from the centre is in the dark outline.
	x, y := devicePt(v, 400, 200, orb.Point{15, 5})
	if got := img.RGBAAt(int(x)+3, int(y)); got.G > 0x80 {
		t.Errorf("outline pixel %v, want dark", got)
	}
	// HiDPI: at pixel scale 2 the point radius doubles.
	img2 := image.NewRGBA(image.Rect(0, 0, 400, 200))
	m.RenderTo(img2, v, 2)
	if got := img2.RGBAAt(int(x)+5, int(y)); got != rgba(green) {
		t.Errorf("scale 2: pixel 5 px from the centre %v, want green", got)
	}
}

func TestAreaAt(t *testing.T) {
	for _, scale := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", scale), func(t *testing.T) {
			m, win := newTestMap(t, 400, 200)
			win.Canvas().(test.WindowlessCanvas).SetScale(scale)
			m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
			m.FitAll()
			if got, want := m.View().Scale, float64(scale)*400*0.94/30; math.Abs(got-want) > 1e-9 {
				t.Errorf("scale %v, want %v (device pixels per unit)", got, want)
			}
			check := func() {
				t.Helper()
				for _, c := range []struct {
					p    orb.Point
					want int
				}{{orb.Point{5, 5}, 0}, {orb.Point{25, 5}, 1}, {orb.Point{15, 5}, -1}, {orb.Point{5, 10.5}, -1}, {orb.Point{0.1, 0.1}, 0}} {
					pos := logicalPos(m, scale, c.p)
					if got := m.AreaAt(pos); got != c.want {
						t.Errorf("AreaAt(%v) (plane %v) = %d, want %d", pos, c.p, got, c.want)
					}
				}
				// Logical centre of area 1 does not depend on the scale.
				if got := m.AreaAt(fyne.NewPos(200+10*400*0.94/30, 100)); got != 1 {
					t.Errorf("AreaAt(logical centre of area 1) = %d, want 1", got)
				}
				if got := m.AreaAt(fyne.NewPos(-5, -5)); got != -1 {
					t.Errorf("AreaAt outside the widget = %d", got)
				}
			}
			check()
			// Changing the canvas scale keeps the same logical picture.
			win.Canvas().(test.WindowlessCanvas).SetScale(3 - scale)
			check2 := m.AreaAt(fyne.NewPos(200+10*400*0.94/30, 100))
			if check2 != 1 {
				t.Errorf("after scale change AreaAt = %d, want 1", check2)
			}
		})
	}
}

func TestDragPans(t *testing.T) {
	for _, scale := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", scale), func(t *testing.T) {
			m, win := newTestMap(t, 400, 200)
			win.Canvas().(test.WindowlessCanvas).SetScale(scale)
			m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
			m.FitAll()
			v0 := m.View()
			test.Drag(win.Canvas(), fyne.NewPos(100, 100), 30, -20)
			v1 := m.View()
			wantX := v0.Center[0] - 30*float64(scale)/v0.Scale
			wantY := v0.Center[1] - 20*float64(scale)/v0.Scale
			if math.Abs(v1.Center[0]-wantX) > 1e-9 || math.Abs(v1.Center[1]-wantY) > 1e-9 || v1.Scale != v0.Scale {
				t.Errorf("after drag view %+v, want centre (%v, %v)", v1, wantX, wantY)
			}
			mapview.WaitIdle(t, m)
			// The re-rendered image shows area 0 where it now is.
			img := win.Canvas().Capture()
			pos := logicalPos(m, scale, orb.Point{5, 5})
			px := img.At(int(pos.X*scale), int(pos.Y*scale))
			if r, g, b, _ := px.RGBA(); r>>8 != uint32(red.R) || g>>8 != uint32(red.G) || b>>8 != uint32(red.B) {
				t.Errorf("captured pixel at area 0 = %v, want %v", px, red)
			}
		})
	}
}

func TestScrollZoomsTowardsCursor(t *testing.T) {
	m, win := newTestMap(t, 400, 200)
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	m.FitAll()
	v0 := m.View()
	cursor := fyne.NewPos(300, 60)
	q := planePt(v0, 400, 200, 300, 60)

	// fyne's test.Scroll sends no position: the hover position is used.
	test.MoveMouse(win.Canvas(), cursor)
	test.Scroll(win.Canvas(), cursor, 0, 25) // one wheel notch up
	v1 := m.View()
	if math.Abs(v1.Scale/v0.Scale-mapview.WheelZoomFactor) > 1e-9 {
		t.Errorf("zoom factor %v, want %v", v1.Scale/v0.Scale, mapview.WheelZoomFactor)
	}
	if got := planePt(v1, 400, 200, 300, 60); planar.Distance(got, q) > 1e-9 {
		t.Errorf("plane point under the cursor moved from %v to %v", q, got)
	}

	// An event with a position (as from the GLFW driver), zooming out.
	cursor2 := fyne.NewPos(50, 150)
	q2 := planePt(v1, 400, 200, 50, 150)
	m.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: cursor2, AbsolutePosition: cursor2}, Scrolled: fyne.Delta{DY: -50}})
	v2 := m.View()
	if math.Abs(v2.Scale/v1.Scale-1/(mapview.WheelZoomFactor*mapview.WheelZoomFactor)) > 1e-9 {
		t.Errorf("zoom-out factor %v", v2.Scale/v1.Scale)
	}
	if got := planePt(v2, 400, 200, 50, 150); planar.Distance(got, q2) > 1e-9 {
		t.Errorf("plane point under the cursor moved from %v to %v", q2, got)
	}

	// Zoom is clamped.
	for range 200 {
		m.Zoom(0.5, cursor)
	}
	if got, lo := m.View().Scale, v0.Scale*mapview.MinZoomOut; math.Abs(got-lo) > 1e-9 {
		t.Errorf("min scale %v, want %v", got, lo)
	}
	for range 200 {
		m.Zoom(2, cursor)
	}
	if got, hi := m.View().Scale, v0.Scale*mapview.MaxZoomIn; math.Abs(got-hi) > 1e-6*hi {
		t.Errorf("max scale %v, want %v", got, hi)
	}
}

func TestHoverTooltip(t *testing.T) {
	m, win := newTestMap(t, 400, 200)
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	m.FitAll()
	var hovered []int
	m.OnHover = func(a int) { hovered = append(hovered, a) }
	m.Tooltip = func(a int) string {
		if a == 1 {
			return ""
		}
		return fmt.Sprintf("Area %d\nsecond line", a)
	}

	pos0 := logicalPos(m, 1, orb.Point{5, 5})
	m.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos0}})
	if got := m.TooltipText(); got != "Area 0\nsecond line" {
		t.Errorf("tooltip %q", got)
	}
	objs := test.WidgetRenderer(m).Objects()
	tip := objs[len(objs)-1] // the tooltip is on top
	if !tip.Visible() {
		t.Fatal("tooltip object hidden")
	}
	// Near the bottom-right corner the box stays inside the widget.
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: logicalPos(m, 1, orb.Point{9.9, 0.1})}})
	if p, s := tip.Position(), tip.Size(); p.X < 0 || p.Y < 0 || p.X+s.Width > 400 || p.Y+s.Height > 200 {
		t.Errorf("tooltip at %v size %v outside the 400×200 widget", p, s)
	}
	// Area 1 has an empty tooltip: hidden.
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: logicalPos(m, 1, orb.Point{25, 5})}})
	if got := m.TooltipText(); got != "" {
		t.Errorf("tooltip for empty text %q", got)
	}
	// Back on area 0, then outside any area.
	test.MoveMouse(win.Canvas(), pos0)
	if got := m.TooltipText(); got != "Area 0\nsecond line" {
		t.Errorf("tooltip %q", got)
	}
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: logicalPos(m, 1, orb.Point{15, 5})}})
	if got := m.TooltipText(); got != "" || tip.Visible() {
		t.Errorf("tooltip outside areas %q visible=%v", got, tip.Visible())
	}
	if m.HoveredArea() != -1 {
		t.Errorf("HoveredArea = %d", m.HoveredArea())
	}
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos0}})
	m.MouseOut()
	if got := m.TooltipText(); got != "" {
		t.Errorf("tooltip after MouseOut %q", got)
	}
	want := []int{0, 1, 0, -1, 0, -1}
	if fmt.Sprint(hovered) != fmt.Sprint(want) {
		t.Errorf("OnHover calls %v, want %v", hovered, want)
	}
}

func TestSetAreaFillsRecolours(t *testing.T) {
	m, win := newTestMap(t, 400, 200)
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	m.FitAll()
	mapview.WaitIdle(t, m)
	m.SetAreaFills([]color.NRGBA{green}) // one colour short: area 1 is grey
	v := m.View()
	img := m.Render(v, 400, 200)
	if got := pixelAt(img, v, orb.Point{5, 5}); got != rgba(green) {
		t.Errorf("area 0 %v, want green", got)
	}
	if got := pixelAt(img, v, orb.Point{25, 5}); got != rgba(mapview.DefaultFill) {
		t.Errorf("area 1 %v, want default grey", got)
	}
	// The widget's own background render picks the new colours up.
	mapview.WaitIdle(t, m)
	cap := win.Canvas().Capture()
	pos := logicalPos(m, 1, orb.Point{5, 5})
	if r, g, b, _ := cap.At(int(pos.X), int(pos.Y)).RGBA(); r>>8 != uint32(green.R) || g>>8 != uint32(green.G) || b>>8 != uint32(green.B) {
		t.Errorf("captured %v, want green", cap.At(int(pos.X), int(pos.Y)))
	}
}

func TestEmptyAndBadInput(t *testing.T) {
	m := mapview.New()
	// No app, no size, no layers.
	if img := m.Render(mapview.View{}, 10, 10); img.Bounds().Dx() != 10 {
		t.Error("bad image size")
	}
	if img := m.Render(mapview.View{Scale: 1}, 0, -5); !img.Bounds().Empty() {
		t.Error("expected empty image")
	}
	if _, ok := m.FitView(100, 100); ok {
		t.Error("FitView with no content")
	}
	nan := math.NaN()
	m.SetAreas([]orb.MultiPolygon{nil, {{}}, {{{{0, 0}, {1, 1}}}}, {{square(0, 0, 1, 1), {{nan, 0}}}}}, nil)
	m.SetAreaFills(nil)
	m.SetLines(orb.MultiLineString{nil, {{0, 0}}, {{nan, nan}, {1, 1}}, {{0, 0}, {1, 1}}}, red, float32(math.NaN()))
	m.SetPoints([]orb.Point{{nan, 1}, {0.5, 0.5}}, nil, -3)
	m.SetAreaStroke(red, 3) // wide borders use the quad path
	if v, ok := m.FitView(64, 64); !ok {
		t.Error("FitView failed")
	} else {
		img := m.Render(v, 64, 64)
		if got := pixelAt(img, v, orb.Point{0.5, 0.5}); got != rgba(mapview.DefaultFill) {
			t.Errorf("fill with missing colours %v, want default grey", got)
		}
	}
	for _, v := range []mapview.View{{Scale: -1}, {Scale: math.Inf(1)}, {Center: orb.Point{nan, 0}, Scale: 1}, {Scale: 1e12}, {Scale: 1e-12}} {
		m.Render(v, 32, 32)
	}
	if got := m.AreaAt(fyne.NewPos(1, 1)); got != -1 {
		t.Errorf("AreaAt without size = %d", got)
	}
	m.Zoom(2, fyne.NewPos(0, 0))
	m.FitAll()
	m.SetView(mapview.View{Scale: 0})

	// Shown but empty.
	test.NewTempApp(t)
	e := mapview.New()
	w := test.NewWindow(e)
	defer w.Close()
	w.Resize(fyne.NewSize(100, 100))
	e.FitAll()
	e.Zoom(2, fyne.NewPos(50, 50))
	test.Drag(w.Canvas(), fyne.NewPos(50, 50), 10, 10)
	test.Scroll(w.Canvas(), fyne.NewPos(50, 50), 0, 25)
	test.MoveMouse(w.Canvas(), fyne.NewPos(50, 50))
	if e.AreaAt(fyne.NewPos(50, 50)) != -1 {
		t.Error("AreaAt on empty map")
	}
	mapview.WaitIdle(t, e)
	w.Canvas().Capture()
}

// TestDeepZoom renders a state at the maximum zoom: polygons are clipped
// before rasterizing, so this stays fast.
func TestDeepZoom(t *testing.T) {
	states := loadStates(t)
	m := mapview.New()
	fills := make([]color.NRGBA, len(states))
	for i := range fills {
		fills[i] = red
	}
	m.SetAreas(states, fills)
	m.SetLines(stateLines(states), color.NRGBA{A: 0xff}, 2)
	v, _ := m.FitView(1440, 900)
	v.Scale *= mapview.MaxZoomIn
	v.Center = project(-98.5, 39.5) // Kansas
	img := m.Render(v, 1440, 900)
	if got := img.RGBAAt(720, 450); got != rgba(red) {
		t.Errorf("deep zoom centre %v, want fill", got)
	}
}

// TestRenderStatesSanity renders real data and hit-tests it.
func TestRenderStatesSanity(t *testing.T) {
	states := loadStates(t)
	m := mapview.New()
	m.SetAreas(states, nil)
	v, _ := m.FitView(720, 450)
	img := m.Render(v, 720, 450)
	// Kansas is land, the Gulf of Mexico is water.
	if got := pixelAt(img, v, project(-98.5, 38.5)); got != rgba(mapview.DefaultFill) {
		t.Errorf("Kansas %v", got)
	}
	if got := pixelAt(img, v, project(-90, 26)); got != rgba(mapview.DefaultBackground) {
		t.Errorf("Gulf %v", got)
	}
	hit := 0
	idx := -1
	for i, s := range states {
		if s.Bound().Contains(project(-98.5, 38.5)) {
			hit++
			idx = i
		}
	}
	if hit == 0 {
		t.Fatal("no state bound contains Kansas")
	}
	test.NewTempApp(t)
	w := test.NewWindow(m)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(720, 450))
	m.SetView(v)
	if got := m.AreaAt(logicalPos(m, 1, project(-98.5, 38.5))); got != idx && hit == 1 {
		t.Errorf("AreaAt(Kansas) = %d, want %d", got, idx)
	}
	mapview.WaitIdle(t, m)
}

// TestStripBoundaries checks that the image does not depend on how it is cut
// into the strips rendered in parallel: a window of rows of a tall render
// matches a render of just that window.
func TestStripBoundaries(t *testing.T) {
	states := loadStates(t)
	m := mapview.New()
	m.SetAreas(states, nil)
	m.SetLines(stateLines(states), color.NRGBA{A: 0xff}, 1.5)
	var pts []orb.Point
	for i := range 400 {
		pts = append(pts, project(-124+float64(i%40)*1.4, 26+float64(i/40)*2.2))
	}
	m.SetPoints(pts, nil, 3)
	const w, h = 700, 500
	v := mapview.View{Center: project(-96, 38), Scale: 9}
	big := m.Render(v, w, h)
	for _, top := range []int{37, 150, 301} {
		const sh = 130
		c := planePt(v, w, h, float64(w)/2, float64(top)+sh/2)
		small := m.Render(mapview.View{Center: c, Scale: v.Scale}, w, sh)
		bad := 0
		for y := 0; y < sh; y++ {
			for x := 0; x < w; x++ {
				a, b := big.RGBAAt(x, top+y), small.RGBAAt(x, y)
				if d := max(absDiff(a.R, b.R), absDiff(a.G, b.G), absDiff(a.B, b.B)); d > 6 {
					bad++
				}
			}
		}
		if bad > w*sh/2000 {
			t.Errorf("rows %d..%d: %d pixels differ", top, top+sh, bad)
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestMaskCacheConsistent checks that renders reusing cached area masks
// (same view again, recolour, pan by whole pixels, new border width) match
// renders of a map that has never drawn before.
func TestMaskCacheConsistent(t *testing.T) {
	counties := loadCounties(t)
	states := loadStates(t)
	setup := func(m *mapview.Map) {
		m.SetAreas(counties, palette(len(counties)))
		m.SetLines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
		pts, fills := randomPoints(500, contiguous())
		m.SetPoints(pts, fills, 3)
	}
	warm := mapview.New()
	setup(warm)
	v := mapview.View{Center: project(-90, 38), Scale: 40}
	const w, h = 640, 400
	cold := func(v mapview.View, change func(*mapview.Map)) *image.RGBA {
		m := mapview.New()
		setup(m)
		if change != nil {
			change(m)
		}
		return m.Render(v, w, h)
	}
	compare := func(name string, got, want *image.RGBA, tol int) {
		t.Helper()
		bad := 0
		for i := range got.Pix {
			if absDiff(got.Pix[i], want.Pix[i]) > tol {
				bad++
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d channel values differ by more than %d", name, bad, tol)
		}
	}
	warm.Render(v, w, h) // fills the cache
	compare("same view", warm.Render(v, w, h), cold(v, nil), 0)

	recolour := func(m *mapview.Map) { m.SetAreaFills(palette(len(counties) + 3)[3:]) }
	recolour(warm)
	compare("recoloured", warm.Render(v, w, h), cold(v, recolour), 0)

	pan := v
	pan.Center[0] += 37 / v.Scale
	pan.Center[1] -= 12 / v.Scale
	compare("panned by whole pixels", warm.Render(pan, w, h), cold(pan, recolour), 1)

	stroke := func(m *mapview.Map) { recolour(m); m.SetAreaStroke(color.NRGBA{A: 0xff}, 1) }
	warm.SetAreaStroke(color.NRGBA{A: 0xff}, 1)
	compare("new border", warm.Render(pan, w, h), cold(pan, stroke), 1)
}

// TestRendersAfterBurstOfChanges: setters called back to back (as when a plan
// is opened) cancel each other's renders; the last state must still be
// rendered and shown.
func TestRendersAfterBurstOfChanges(t *testing.T) {
	m, win := newTestMap(t, 400, 200)
	for k := range 30 {
		fill := []color.NRGBA{red, blue}
		if k%2 == 1 {
			fill = []color.NRGBA{green, green}
		}
		m.SetAreas(twoSquares(), fill)
		m.SetLines(orb.MultiLineString{{{0, 12}, {30, 12}}}, color.NRGBA{A: 0xff}, 1)
		m.SetPoints([]orb.Point{{15, 5}}, nil, 2)
		m.FitAll()
		mapview.WaitIdle(t, m)
		img := win.Canvas().Capture()
		pos := logicalPos(m, 1, orb.Point{5, 5})
		want := fill[0]
		if r, g, b, _ := img.At(int(pos.X), int(pos.Y)).RGBA(); r>>8 != uint32(want.R) || g>>8 != uint32(want.G) || b>>8 != uint32(want.B) {
			t.Fatalf("burst %d: shown pixel %v, want %v", k, img.At(int(pos.X), int(pos.Y)), want)
		}
	}
}

// TestSetLayers: layers prepared in another goroutine render like the same
// data given through SetAreas, SetLines and SetPoints, and keep the map's
// style.
func TestSetLayers(t *testing.T) {
	test.NewTempApp(t)
	states := loadStates(t)
	fills := palette(len(states))
	lines := stateLines(states)
	pts, pfills := randomPoints(300, contiguous())
	outline := color.NRGBA{0xff, 0, 0, 0xff}

	direct := mapview.New()
	direct.SetPointOutline(outline, 1)
	direct.SetAreas(states, fills)
	direct.SetLines(lines, color.NRGBA{A: 0xff}, 1.5)
	direct.SetPoints(pts, pfills, 3)

	prepared := make(chan *mapview.Layers)
	go func() {
		prepared <- mapview.NewLayers().Areas(states, fills).Lines(lines, color.NRGBA{A: 0xff}, 1.5).Points(pts, pfills, 3)
	}()
	viaLayers := mapview.New()
	viaLayers.SetPointOutline(outline, 1)
	viaLayers.SetLayers(<-prepared)

	v, ok := direct.FitView(400, 250)
	if !ok {
		t.Fatal("no view")
	}
	a, b := direct.Render(v, 400, 250), viaLayers.Render(v, 400, 250)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("SetLayers renders differently from SetAreas + SetLines + SetPoints")
	}
	viaLayers.SetLayers(nil)
	if img := viaLayers.Render(v, 10, 10); img.RGBAAt(5, 5) != rgba(mapview.DefaultBackground) {
		t.Errorf("empty layers draw %v", img.RGBAAt(5, 5))
	}
}

// TestFitFollowsResize: a fitted view is fitted again when the widget is
// resized; once the user pans, a resize keeps the user's view.
func TestFitFollowsResize(t *testing.T) {
	m, win := newTestMap(t, 400, 200)
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	m.FitAll()
	v0 := m.View()
	win.Resize(fyne.NewSize(800, 400))
	mapview.WaitIdle(t, m)
	v1 := m.View()
	if math.Abs(v1.Scale-2*v0.Scale) > 1e-9*v0.Scale || v1.Center != v0.Center {
		t.Errorf("after doubling the size the view is %+v, want scale %v (fitted)", v1, 2*v0.Scale)
	}
	test.Drag(win.Canvas(), fyne.NewPos(100, 100), 30, 0)
	mapview.WaitIdle(t, m)
	v2 := m.View()
	win.Resize(fyne.NewSize(400, 200))
	mapview.WaitIdle(t, m)
	if v3 := m.View(); v3 != v2 {
		t.Errorf("after a pan and a resize the view is %+v, want the user's %+v", v3, v2)
	}
}
