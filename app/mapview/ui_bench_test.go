package mapview_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

// UI-thread handler benchmarks on the real US counties (3,231 areas) in a
// 1440×900 test window, with the lower 48 filling the view. Each op is one
// event as fyne delivers it; the budget is a 16 ms frame. Handlers that
// change the view also request a background render: renders are coalesced,
// so they run beside the benchmark and their CPU shows in cpu-ms/op, not in
// the handler's ns/op.

// uiMap returns a counties map in a 1440×900 test window at the fitted view
// of the lower 48.
func uiMap(b *testing.B) (*mapview.Map, fyne.Window, mapview.View) {
	b.Helper()
	counties := loadCounties(b)
	test.NewTempApp(b)
	m := mapview.New()
	w := test.NewWindow(m)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1440, 900))
	m.SetAreas(counties, palette(len(counties)))
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	m.SetView(v)
	mapview.WaitIdle(b, m)
	b.Cleanup(func() {
		mapview.WaitIdle(b, m)
		w.Close()
	})
	return m, w, v
}

// randomPositions returns n widget positions (dp) in the 1440×900 window.
func randomPositions(n int) []fyne.Position {
	r := rand.New(rand.NewPCG(3, 4))
	pos := make([]fyne.Position, n)
	for i := range pos {
		pos[i] = fyne.NewPos(r.Float32()*1440, r.Float32()*900)
	}
	return pos
}

// BenchmarkUIAreaAt hit-tests random positions at several zoom levels
// (multiples of the fitted scale), centred on the dense Midwest.
func BenchmarkUIAreaAt(b *testing.B) {
	m, _, v := uiMap(b)
	pos := randomPositions(1024)
	for _, zoom := range []float64{1, 8, 64, 512} {
		b.Run(fmt.Sprintf("zoom=%v", zoom), func(b *testing.B) {
			m.SetView(mapview.View{Center: project(-90, 38), Scale: v.Scale * zoom})
			mapview.WaitIdle(b, m)
			hits, i := 0, 0
			b.ReportAllocs()
			for b.Loop() {
				if m.AreaAt(pos[i&1023]) >= 0 {
					hits++
				}
				i++
			}
			b.ReportMetric(float64(hits)/float64(i), "hit-ratio")
		})
	}
}

// BenchmarkUIHover: MouseMoved at random positions, with an OnHover and a
// two-line tooltip (as the app shows).
func BenchmarkUIHover(b *testing.B) {
	m, _, _ := uiMap(b)
	pos := randomPositions(1024)
	hovered := 0
	m.OnHover = func(int) { hovered++ }
	m.Tooltip = func(a int) string { return fmt.Sprintf("County %d\nTerritory %d", a, a%17) }
	m.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos[0]}})
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos[i&1023]}})
		i++
	}
	m.MouseOut()
}

// BenchmarkUIDragged: one pan drag event (the image moves; no render until
// DragEnd), without an overlay and with a 500-vertex polygon being edited
// (its 500 edges and its handles, thinned to one per HandleRadius, are
// re-placed per event).
func BenchmarkUIDragged(b *testing.B) {
	m, _, v := uiMap(b)
	for _, ov := range []string{"none", "edit500"} {
		b.Run("overlay="+ov, func(b *testing.B) {
			if ov == "edit500" {
				m.EditPolygon(circleRing(v.Center, 380/v.Scale, 500), nil)
			}
			m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}, Dragged: fyne.NewDelta(0, 0)})
			i := 0
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				d := float32(3)
				if i&1 == 1 {
					d = -3
				}
				m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100+d, 100)}, Dragged: fyne.NewDelta(d, 1.5*d)})
				i++
			}
			reportCPU(b, c0)
			l, h := mapview.OverlayObjects(m)
			b.ReportMetric(float64(len(l)+len(h)), "overlay-objects")
			m.DragEnd()
			m.StopEditing()
			m.SetView(v)
			mapview.WaitIdle(b, m)
		})
	}
}

// circleRing is an n-vertex ring around c of radius r (plane units).
func circleRing(c orb.Point, r float64, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		ring = append(ring, orb.Point{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)})
	}
	return append(ring, ring[0])
}

// BenchmarkUIScrolled: one wheel notch, alternately in and out, at the
// cursor; with overlay=lasso500 a 500-point lasso is being drawn, so its
// 500 lines are re-placed too.
func BenchmarkUIScrolled(b *testing.B) {
	m, _, v := uiMap(b)
	for _, ov := range []string{"none", "lasso500"} {
		b.Run("overlay="+ov, func(b *testing.B) {
			if ov == "lasso500" {
				m.SetTool(mapview.ToolLasso)
				dragMoves(m, lassoPath(500)...)
				if l, _ := mapview.OverlayObjects(m); len(l) < 400 {
					b.Fatalf("lasso shows %d lines", len(l))
				}
			}
			pos := fyne.NewPos(700, 420)
			i := 0
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				dy := float32(25)
				if i&1 == 1 {
					dy = -25
				}
				m.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pos, AbsolutePosition: pos}, Scrolled: fyne.NewDelta(0, dy)})
				i++
			}
			reportCPU(b, c0)
			m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			m.DragEnd()
			m.SetTool(mapview.ToolPan)
			m.SetView(v)
			mapview.WaitIdle(b, m)
		})
	}
}

// lassoPath is a pointer path (dp) of n+1 positions 4 dp apart, spiralling
// around the window centre.
func lassoPath(n int) []fyne.Position {
	out := make([]fyne.Position, 0, n+1)
	a, r := 0.0, 300.0
	for range n + 1 {
		out = append(out, fyne.NewPos(720+float32(r*math.Cos(a)), 450+float32(r*math.Sin(a))))
		a += 4 / r
		r -= 0.2
	}
	return out
}

// BenchmarkUIKeys: one arrow key press (pan by a sixth of the view),
// alternately left and right.
func BenchmarkUIKeys(b *testing.B) {
	m, _, _ := uiMap(b)
	i := 0
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		k := fyne.KeyLeft
		if i&1 == 1 {
			k = fyne.KeyRight
		}
		m.TypedKey(&fyne.KeyEvent{Name: k})
		i++
	}
	reportCPU(b, c0)
}

// BenchmarkUIPaintStroke: one paint drag event moving 24 dp (12 samples at
// 2 device px) over the counties, OnPaint recording the area; a stroke ends
// every 200 events (OnPaintEnd), so areas are painted again.
func BenchmarkUIPaintStroke(b *testing.B) {
	m, _, _ := uiMap(b)
	m.SetTool(mapview.ToolPaint)
	painted := 0
	m.OnPaint = func(int) { painted++ }
	m.OnPaintEnd = func() {}
	path := lassoPath(200) // 4 dp steps; use every 6th: 24 dp
	i := 0
	prev := path[0]
	b.ReportAllocs()
	for b.Loop() {
		p := path[(i*6)%len(path)]
		m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: fyne.NewDelta(p.X-prev.X, p.Y-prev.Y)})
		prev = p
		i++
		if i%200 == 0 {
			m.DragEnd()
		}
	}
	m.DragEnd()
	b.ReportMetric(float64(painted)/float64(i), "areas/op")
}

// BenchmarkUILasso: one lasso drag event adding a point, on lassos of up to
// 500 points (a lasso ends, calling OnLasso, every 500 events): the overlay
// is re-placed in full each time.
func BenchmarkUILasso(b *testing.B) {
	m, _, _ := uiMap(b)
	m.SetTool(mapview.ToolLasso)
	rings := 0
	m.OnLasso = func(orb.Ring) { rings++ }
	path := lassoPath(500)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		k := i%500 + 1
		p, q := path[k], path[k-1]
		m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: fyne.NewDelta(p.X-q.X, p.Y-q.Y)})
		i++
		if k == 500 {
			m.DragEnd()
		}
	}
	m.DragEnd()
	if i >= 500 && rings == 0 {
		b.Error("no lasso completed")
	}
}

// BenchmarkUIEditVertexDrag: one drag event moving a vertex of a
// 500-vertex polygon being edited.
func BenchmarkUIEditVertexDrag(b *testing.B) {
	m, _, v := uiMap(b)
	ring := circleRing(v.Center, 380/v.Scale, 500)
	m.EditPolygon(ring, func(orb.Ring) {})
	start := logicalPos(m, 1, ring[0])
	m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: start}, Dragged: fyne.NewDelta(0, 0)})
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		d := float32(2)
		if i&1 == 1 {
			d = -2
		}
		m.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: start.AddXY(d, 0)}, Dragged: fyne.NewDelta(d, 0)})
		i++
	}
	m.DragEnd()
}

// BenchmarkUIPolygonRubberBand: MouseMoved while a 50-vertex polygon is
// being drawn (hover hit test plus the overlay with its rubber band).
func BenchmarkUIPolygonRubberBand(b *testing.B) {
	m, _, _ := uiMap(b)
	m.SetTool(mapview.ToolPolygon)
	path := lassoPath(500)
	for k := 0; k < 500; k += 10 {
		test.TapAt(m, path[k])
	}
	if n := len(m.DrawingPolygon()); n != 50 {
		b.Fatalf("%d vertices", n)
	}
	pos := randomPositions(1024)
	m.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos[0]}})
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos[i&1023]}})
		i++
	}
}
