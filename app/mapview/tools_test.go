package mapview_test

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

var yellow = color.NRGBA{R: 0xe0, G: 0xc0, B: 0x20, A: 0xff}

// grid2x2: area 0 is [0,10]², 1 is [10,20]×[0,10], 2 is [0,10]×[10,20],
// 3 is [10,20]².
func grid2x2() []orb.MultiPolygon {
	return []orb.MultiPolygon{
		{{square(0, 0, 10, 10)}},
		{{square(10, 0, 20, 10)}},
		{{square(0, 10, 10, 20)}},
		{{square(10, 10, 20, 20)}},
	}
}

// gridMap shows grid2x2 fitted in a 400×400 test window at canvas scale
// ps: the view is centre (10,10), 400·0.94/20 = 18.8 dp per plane unit.
func gridMap(t *testing.T, ps float32) (*mapview.Map, fyne.Window) {
	t.Helper()
	m, win := newTestMap(t, 400, 400)
	win.Canvas().(test.WindowlessCanvas).SetScale(ps)
	m.SetAreas(grid2x2(), []color.NRGBA{red, blue, green, yellow})
	m.FitAll()
	mapview.WaitIdle(t, m)
	if v := m.View(); v.Center != (orb.Point{10, 10}) || math.Abs(v.Scale-float64(ps)*18.8) > 1e-9 {
		t.Fatalf("fixture view %+v", v)
	}
	return m, win
}

// dragThrough sends the drag events of a pointer moving through pts (dp),
// as fyne's desktop driver does: Position is the pointer's position and
// Dragged the move since the previous event, then DragEnd.
func dragThrough(m *mapview.Map, pts ...fyne.Position) {
	dragMoves(m, pts...)
	m.DragEnd()
}

// dragMoves is dragThrough without the DragEnd.
func dragMoves(m *mapview.Map, pts ...fyne.Position) {
	for i := 1; i < len(pts); i++ {
		m.Dragged(&fyne.DragEvent{
			PointEvent: fyne.PointEvent{Position: pts[i]},
			Dragged:    fyne.NewDelta(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y),
		})
	}
}

// at returns the widget positions (dp) of plane points at pixel scale ps.
func at(m *mapview.Map, ps float32, pts ...orb.Point) []fyne.Position {
	out := make([]fyne.Position, len(pts))
	for i, p := range pts {
		out[i] = logicalPos(m, ps, p)
	}
	return out
}

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func ringNear(got orb.Ring, want orb.Ring, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !near(got[i], want[i], tol) {
			return false
		}
	}
	return true
}

func TestTapReportsArea(t *testing.T) {
	for _, ps := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", ps), func(t *testing.T) {
			m, win := gridMap(t, ps)
			var got []int
			m.OnTap = func(a int) { got = append(got, a) }
			for _, p := range []orb.Point{{5, 5}, {15, 5}, {5, 15}, {15, 15}, {19.8, 0.2}, {21, 5}} {
				test.TapAt(m, logicalPos(m, ps, p))
			}
			// Logical positions do not depend on the scale: (300, 100) dp is
			// plane (15.3, 15.3), area 3.
			test.TapAt(m, fyne.NewPos(300, 100))
			if want := []int{0, 1, 2, 3, 1, -1, 3}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("OnTap got %v, want %v", got, want)
			}
			if win.Canvas().Focused() != m {
				t.Errorf("a tap did not focus the map (focused %v)", win.Canvas().Focused())
			}
		})
	}
}

func TestPaint(t *testing.T) {
	for _, ps := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", ps), func(t *testing.T) {
			m, _ := gridMap(t, ps)
			m.SetTool(mapview.ToolPaint)
			var painted []int
			ends := 0
			m.OnPaint = func(a int) { painted = append(painted, a) }
			m.OnPaintEnd = func() { ends++ }
			m.OnTap = func(int) { t.Error("OnTap called by the paint tool") }

			test.TapAt(m, logicalPos(m, ps, orb.Point{15, 15}))
			if fmt.Sprint(painted) != "[3]" || ends != 1 {
				t.Errorf("tap: painted %v ends %d, want [3] 1", painted, ends)
			}
			// A tap outside every area paints nothing and ends nothing.
			test.TapAt(m, logicalPos(m, ps, orb.Point{20.3, 5}))
			if len(painted) != 1 || ends != 1 {
				t.Errorf("tap outside: painted %v ends %d", painted, ends)
			}

			// A drag across area 0 and area 1 paints both, each once, then
			// ends once; the map does not pan.
			painted, ends = nil, 0
			v0 := m.View()
			dragThrough(m, at(m, ps, orb.Point{2, 5}, orb.Point{4, 5}, orb.Point{8, 5}, orb.Point{6, 6}, orb.Point{12, 5}, orb.Point{18, 5})...)
			if fmt.Sprint(painted) != "[0 1]" || ends != 1 {
				t.Errorf("drag: painted %v ends %d, want [0 1] 1", painted, ends)
			}
			if m.View() != v0 {
				t.Errorf("painting panned the view: %+v, was %+v", m.View(), v0)
			}

			// A fast stroke: one event from area 2 to beyond area 3 paints
			// area 3 too (the path is sampled), and the drag starts where
			// the first event says (Position - Dragged).
			painted, ends = nil, 0
			dragThrough(m, at(m, ps, orb.Point{5, 15}, orb.Point{25, 15})...)
			if fmt.Sprint(painted) != "[2 3]" || ends != 1 {
				t.Errorf("fast stroke: painted %v ends %d, want [2 3] 1", painted, ends)
			}

			// Escape ends the stroke at once: OnPaintEnd, then nothing more.
			painted, ends = nil, 0
			pts := at(m, ps, orb.Point{5, 5}, orb.Point{6, 5}, orb.Point{15, 5}, orb.Point{15, 15})
			dragMoves(m, pts[:2]...)
			m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if fmt.Sprint(painted) != "[0]" || ends != 1 {
				t.Errorf("before Escape: painted %v ends %d, want [0] 1", painted, ends)
			}
			dragThrough(m, pts[1:]...)
			if fmt.Sprint(painted) != "[0]" || ends != 1 {
				t.Errorf("after Escape: painted %v ends %d, want [0] 1", painted, ends)
			}
			// Switching tools mid-stroke ends the stroke too.
			painted, ends = nil, 0
			dragMoves(m, at(m, ps, orb.Point{15, 5}, orb.Point{16, 5})...)
			m.SetTool(mapview.ToolPan)
			dragThrough(m, at(m, ps, orb.Point{16, 5}, orb.Point{5, 5})...)
			if fmt.Sprint(painted) != "[1]" || ends != 1 {
				t.Errorf("SetTool mid-stroke: painted %v ends %d, want [1] 1", painted, ends)
			}
		})
	}
}

func TestLasso(t *testing.T) {
	for _, ps := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", ps), func(t *testing.T) {
			m, _ := gridMap(t, ps)
			m.SetTool(mapview.ToolLasso)
			var rings []orb.Ring
			m.OnLasso = func(r orb.Ring) { rings = append(rings, r) }
			v := m.View()
			// Clockwise around the box [2,16]×[3,14], with many points
			// 0.05 units (0.94 dp) apart.
			var path []orb.Point
			for x := 2.0; x < 16; x += 0.05 {
				path = append(path, orb.Point{x, 14})
			}
			for y := 14.0; y > 3; y -= 0.05 {
				path = append(path, orb.Point{16, y})
			}
			for x := 16.0; x > 2; x -= 0.05 {
				path = append(path, orb.Point{x, 3})
			}
			for y := 3.0; y <= 14; y += 0.05 {
				path = append(path, orb.Point{2, y})
			}
			pos := at(m, ps, path...)
			dragMoves(m, pos...)
			lines, _ := mapview.OverlayObjects(m)
			if len(lines) < 20 {
				t.Errorf("overlay shows %d lines during the lasso", len(lines))
			}
			m.DragEnd()
			if len(rings) != 1 {
				t.Fatalf("OnLasso called %d times", len(rings))
			}
			r := rings[0]
			px := 1 / v.Scale // one device pixel in plane units
			if b := r.Bound(); !near(b.Min, orb.Point{2, 3}, px) || !near(b.Max, orb.Point{16, 14}, px) {
				t.Errorf("lasso bound %v, want [2,16]×[3,14] within %g", b, px)
			}
			if r[0] != r[len(r)-1] {
				t.Error("lasso ring not closed")
			}
			if r.Orientation() != orb.CCW {
				t.Error("lasso ring not counter-clockwise")
			}
			for i := 1; i < len(r)-1; i++ {
				if d := math.Hypot(r[i][0]-r[i-1][0], r[i][1]-r[i-1][1]) * v.Scale; d < mapview.LassoSpacing {
					t.Fatalf("lasso points %d and %d are %.2f device px apart", i-1, i, d)
				}
			}
			if n := len(r); n < 50 || n > 4*len(path)/3 {
				t.Errorf("lasso has %d points", n)
			}
			if lines, _ := mapview.OverlayObjects(m); len(lines) != 0 {
				t.Errorf("overlay keeps %d lines after the lasso", len(lines))
			}

			// Escape drops the lasso; a path without area is dropped.
			dragMoves(m, pos[:200]...)
			m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if lines, _ := mapview.OverlayObjects(m); len(lines) != 0 {
				t.Errorf("overlay keeps %d lines after Escape", len(lines))
			}
			dragThrough(m, pos[200:300]...)
			dragThrough(m, at(m, ps, orb.Point{2, 2}, orb.Point{5, 5}, orb.Point{8, 8})...)
			if len(rings) != 1 {
				t.Errorf("OnLasso called after Escape or for a line: %d calls", len(rings))
			}
		})
	}
}

func TestPolygonTool(t *testing.T) {
	a, b, c := orb.Point{2, 2}, orb.Point{16, 3}, orb.Point{14, 15}
	want := orb.Ring{a, b, c, a} // counter-clockwise
	const tol = 1e-4
	setup := func(t *testing.T) (*mapview.Map, fyne.Window, *[]orb.Ring) {
		m, win := gridMap(t, 1)
		m.SetTool(mapview.ToolPolygon)
		var rings []orb.Ring
		m.OnPolygon = func(r orb.Ring) { rings = append(rings, r) }
		m.OnTap = func(int) { t.Error("OnTap called by the polygon tool") }
		for _, p := range []orb.Point{a, b, c} {
			test.TapAt(m, logicalPos(m, 1, p))
		}
		if got := m.DrawingPolygon(); len(got) != 3 || !near(got[0], a, tol) || !near(got[2], c, tol) {
			t.Fatalf("vertices after 3 taps: %v", got)
		}
		return m, win, &rings
	}
	check := func(t *testing.T, m *mapview.Map, rings []orb.Ring) {
		t.Helper()
		if len(rings) != 1 || !ringNear(rings[0], want, tol) {
			t.Errorf("OnPolygon got %v, want %v", rings, want)
		}
		if m.DrawingPolygon() != nil {
			t.Errorf("polygon still drawn: %v", m.DrawingPolygon())
		}
		if l, h := mapview.OverlayObjects(m); len(l)+len(h) != 0 {
			t.Errorf("overlay keeps %d lines, %d handles", len(l), len(h))
		}
	}
	t.Run("double click", func(t *testing.T) {
		m, _, rings := setup(t)
		// The overlay shows 2 edges, the rubber band to the pointer and
		// 3 vertex handles.
		m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: logicalPos(m, 1, orb.Point{10, 18})}})
		if l, h := mapview.OverlayObjects(m); len(l) != 3 || len(h) != 3 {
			t.Errorf("overlay has %d lines, %d handles; want 3, 3", len(l), len(h))
		} else if end := l[2].Position2; dist(end, logicalPos(m, 1, orb.Point{10, 18})) > 1e-3 {
			t.Errorf("rubber band ends at %v", end)
		}
		test.TapAt(m, logicalPos(m, 1, c).AddXY(1, 1)) // second click of a double click at c
		check(t, m, *rings)
		// A third click right after closes nothing and starts nothing.
		test.TapAt(m, logicalPos(m, 1, c))
		if m.DrawingPolygon() != nil {
			t.Errorf("third click started a polygon %v", m.DrawingPolygon())
		}
	})
	t.Run("Enter", func(t *testing.T) {
		m, win, rings := setup(t)
		win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		check(t, m, *rings)
	})
	t.Run("first vertex", func(t *testing.T) {
		m, _, rings := setup(t)
		test.TapAt(m, logicalPos(m, 1, a).AddXY(4, -3))
		check(t, m, *rings)
	})
	t.Run("clockwise taps give a counter-clockwise ring", func(t *testing.T) {
		m, _ := gridMap(t, 1)
		m.SetTool(mapview.ToolPolygon)
		var rings []orb.Ring
		m.OnPolygon = func(r orb.Ring) { rings = append(rings, r) }
		for _, p := range []orb.Point{a, c, b} {
			test.TapAt(m, logicalPos(m, 1, p))
		}
		m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
		if len(rings) != 1 || !ringNear(rings[0], orb.Ring{a, b, c, a}, tol) {
			t.Errorf("got %v", rings)
		}
	})
	t.Run("Backspace and Escape", func(t *testing.T) {
		m, _, rings := setup(t)
		m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		if got := m.DrawingPolygon(); len(got) != 2 || !near(got[1], b, tol) {
			t.Errorf("after Backspace %v", got)
		}
		// Enter with 2 vertices does nothing.
		m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if len(m.DrawingPolygon()) != 2 {
			t.Errorf("Enter with 2 vertices: %v", m.DrawingPolygon())
		}
		// A double click that makes 2 vertices adds its vertex once.
		m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		d := orb.Point{4, 12}
		test.TapAt(m, logicalPos(m, 1, d))
		test.TapAt(m, logicalPos(m, 1, d))
		if got := m.DrawingPolygon(); len(got) != 2 || !near(got[1], d, tol) {
			t.Errorf("double click making 2 vertices: %v", got)
		}
		m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if m.DrawingPolygon() != nil {
			t.Errorf("after Escape %v", m.DrawingPolygon())
		}
		if l, h := mapview.OverlayObjects(m); len(l)+len(h) != 0 {
			t.Errorf("overlay keeps %d lines, %d handles after Escape", len(l), len(h))
		}
		if len(*rings) != 0 {
			t.Errorf("OnPolygon called: %v", *rings)
		}
	})
	t.Run("drag pans", func(t *testing.T) {
		m, _, _ := setup(t)
		v0 := m.View()
		dragThrough(m, fyne.NewPos(200, 200), fyne.NewPos(230, 200))
		if v := m.View(); math.Abs(v.Center[0]-(v0.Center[0]-30/v0.Scale)) > 1e-9 {
			t.Errorf("view after a drag %+v, was %+v", v, v0)
		}
		if len(m.DrawingPolygon()) != 3 {
			t.Errorf("a drag changed the polygon: %v", m.DrawingPolygon())
		}
		// The overlay follows the pan: the first handle is centred on a.
		_, h := mapview.OverlayObjects(m)
		if len(h) == 0 {
			t.Fatal("no handles")
		}
		centre := fyne.NewPos((h[0].Position1.X+h[0].Position2.X)/2, (h[0].Position1.Y+h[0].Position2.Y)/2)
		if dist(centre, logicalPos(m, 1, a)) > 1e-3 {
			t.Errorf("first handle at %v, vertex at %v", centre, logicalPos(m, 1, a))
		}
	})
	t.Run("SetTool drops the polygon", func(t *testing.T) {
		m, _, rings := setup(t)
		m.SetTool(mapview.ToolPan)
		if m.DrawingPolygon() != nil || len(*rings) != 0 {
			t.Errorf("polygon %v rings %v", m.DrawingPolygon(), *rings)
		}
	})
}

func dist(a, b fyne.Position) float64 {
	return math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y))
}

func TestEditPolygon(t *testing.T) {
	for _, ps := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", ps), func(t *testing.T) {
			m, win := gridMap(t, ps)
			var changes []orb.Ring
			onChange := func(r orb.Ring) { changes = append(changes, r) }
			sq := square(4, 4, 12, 12) // (4,4) (12,4) (12,12) (4,12)
			m.EditPolygon(sq, onChange)
			if l, h := mapview.OverlayObjects(m); len(l) != 4 || len(h) != 8 {
				t.Errorf("overlay: %d lines, %d handles; want 4 edges, 4 vertex + 4 midpoint handles", len(l), len(h))
			}
			const tol = 1e-4

			// Drag vertex 1 from (12,4) to (15,2), grabbing the handle 2 dp
			// off its centre: the vertex keeps that offset.
			grab := logicalPos(m, ps, orb.Point{12, 4}).AddXY(2, 0)
			dragMoves(m, grab, grab.AddXY(10, 5), logicalPos(m, ps, orb.Point{15, 2}).AddXY(2, 0))
			if len(changes) != 0 {
				t.Errorf("onChange called during the drag")
			}
			if r, ok := m.Editing(); !ok || !near(r[1], orb.Point{15, 2}, tol) {
				t.Errorf("during the drag the ring is %v", r)
			}
			m.DragEnd()
			want := orb.Ring{{4, 4}, {15, 2}, {12, 12}, {4, 12}, {4, 4}}
			if len(changes) != 1 || !ringNear(changes[0], want, tol) {
				t.Fatalf("after dragging vertex 1: %v, want %v", changes, want)
			}

			// Escape during a vertex drag puts the vertex back.
			dragMoves(m, at(m, ps, orb.Point{12, 12}, orb.Point{14, 14})...)
			m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			m.DragEnd()
			if r, _ := m.Editing(); len(changes) != 1 || !ringNear(r, want, tol) {
				t.Errorf("after Escape: ring %v, %d changes", r, len(changes))
			}

			// A tap on the midpoint of edge 3 ((4,12)→(4,4)) inserts (4,8).
			test.TapAt(m, logicalPos(m, ps, orb.Point{4, 8}))
			want = orb.Ring{{4, 4}, {15, 2}, {12, 12}, {4, 12}, {4, 8}, {4, 4}}
			if len(changes) != 2 || !ringNear(changes[1], want, tol) {
				t.Fatalf("after the midpoint tap: %v, want %v", changes[len(changes)-1], want)
			}

			// A secondary tap on vertex 2 deletes it.
			test.TapSecondaryAt(m, logicalPos(m, ps, orb.Point{12, 12}).AddXY(-3, 3))
			want = orb.Ring{{4, 4}, {15, 2}, {4, 12}, {4, 8}, {4, 4}}
			if len(changes) != 3 || !ringNear(changes[2], want, tol) {
				t.Fatalf("after the secondary tap: %v, want %v", changes[len(changes)-1], want)
			}

			// Tap vertex 3 (4,8) to select it, Delete deletes it.
			test.TapAt(m, logicalPos(m, ps, orb.Point{4, 8}))
			if len(changes) != 3 {
				t.Errorf("selecting a vertex called onChange")
			}
			win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
			want = orb.Ring{{4, 4}, {15, 2}, {4, 12}, {4, 4}}
			if len(changes) != 4 || !ringNear(changes[3], want, tol) {
				t.Fatalf("after Delete: %v, want %v", changes[len(changes)-1], want)
			}

			// Not below 3 vertices.
			test.TapSecondaryAt(m, logicalPos(m, ps, orb.Point{4, 4}))
			test.TapAt(m, logicalPos(m, ps, orb.Point{4, 12}))
			m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
			if r, _ := m.Editing(); len(changes) != 4 || len(r) != 4 {
				t.Errorf("deleted below 3 vertices: %v", r)
			}

			// The app refuses a change by giving the old ring back.
			old := want
			m.EditPolygon(old, func(r orb.Ring) {
				changes = append(changes, r)
				m.EditPolygon(old, onChange)
			})
			dragThrough(m, at(m, ps, orb.Point{15, 2}, orb.Point{18, 18})...)
			if r, _ := m.Editing(); len(changes) != 5 || !ringNear(r, old, 0) {
				t.Errorf("refused change: ring %v", r)
			}

			// Away from the handles the tool acts: a drag pans.
			v0 := m.View()
			dragThrough(m, at(m, ps, orb.Point{18, 10}, orb.Point{17, 10})...)
			if m.View() == v0 || len(changes) != 5 {
				t.Errorf("drag away from handles: view %+v (was %+v)", m.View(), v0)
			}

			m.StopEditing()
			if _, ok := m.Editing(); ok {
				t.Error("still editing")
			}
			if l, h := mapview.OverlayObjects(m); len(l)+len(h) != 0 {
				t.Errorf("overlay keeps %d lines, %d handles", len(l), len(h))
			}
			// Rings with fewer than 3 usable vertices are not edited.
			nan := math.NaN()
			m.EditPolygon(orb.Ring{{0, 0}, {nan, 1}, {1, 1}, {1, 1}, {0, 0}}, onChange)
			if _, ok := m.Editing(); ok {
				t.Error("editing a degenerate ring")
			}
		})
	}
}

func TestKeys(t *testing.T) {
	for _, ps := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", ps), func(t *testing.T) {
			m, win := newTestMap(t, 400, 200)
			win.Canvas().(test.WindowlessCanvas).SetScale(ps)
			m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
			m.FitAll()
			test.TapAt(m, fyne.NewPos(10, 10)) // focuses the map
			c := win.Canvas()
			if c.Focused() != m {
				t.Fatalf("map not focused")
			}
			key := func(k fyne.KeyName) { c.Focused().TypedKey(&fyne.KeyEvent{Name: k}) }
			v0 := m.View()
			// Whole device pixels: 400/6 dp = 66.67 dp.
			sx := math.Round(400 * float64(ps) / 6)
			sy := math.Round(200 * float64(ps) / 6)
			for _, k := range []struct {
				name   fyne.KeyName
				dx, dy float64
			}{{fyne.KeyLeft, -sx, 0}, {fyne.KeyRight, sx, 0}, {fyne.KeyUp, 0, sy}, {fyne.KeyDown, 0, -sy}} {
				key(k.name)
				v := m.View()
				want := orb.Point{v0.Center[0] + k.dx/v0.Scale, v0.Center[1] + k.dy/v0.Scale}
				if !near(v.Center, want, 1e-9) || v.Scale != v0.Scale {
					t.Errorf("%s: view %+v, want centre %v", k.name, v, want)
				}
				v0 = v
			}
			for _, k := range []struct {
				r      rune
				factor float64
			}{{'+', mapview.KeyZoomFactor}, {'=', mapview.KeyZoomFactor}, {'-', 1 / mapview.KeyZoomFactor}, {'x', 1}} {
				c.Focused().TypedRune(k.r)
				v := m.View()
				if math.Abs(v.Scale/v0.Scale-k.factor) > 1e-9 || !near(v.Center, v0.Center, 1e-9) {
					t.Errorf("%q: view %+v after %+v, want factor %v around the centre", k.r, v, v0, k.factor)
				}
				v0 = v
			}
			mapview.WaitIdle(t, m)
		})
	}
}

func TestZoomTo(t *testing.T) {
	m, _ := newTestMap(t, 400, 200)
	m.SetAreas(twoSquares(), []color.NRGBA{red, blue})
	m.FitAll()
	m.ZoomTo(orb.Bound{Min: orb.Point{20, 0}, Max: orb.Point{30, 10}})
	if v := m.View(); v.Center != (orb.Point{25, 5}) || math.Abs(v.Scale-200*0.84/10) > 1e-9 {
		t.Errorf("ZoomTo area 1: %+v, want centre (25,5) scale 16.8", v)
	}
	// A point keeps the scale; bad bounds are ignored.
	m.ZoomTo(orb.Point{1, 2}.Bound())
	if v := m.View(); v.Center != (orb.Point{1, 2}) || math.Abs(v.Scale-16.8) > 1e-9 {
		t.Errorf("ZoomTo a point: %+v", v)
	}
	m.ZoomTo(orb.Bound{Min: orb.Point{5, 5}, Max: orb.Point{1, 1}})
	m.ZoomTo(orb.Bound{Min: orb.Point{math.NaN(), 0}, Max: orb.Point{1, 1}})
	if v := m.View(); v.Center != (orb.Point{1, 2}) {
		t.Errorf("bad bounds changed the view: %+v", v)
	}
	// The zoom range applies.
	m.ZoomTo(orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{1 + 1e-9, 1}})
	fit := 400 * 0.94 / 30
	if v := m.View(); math.Abs(v.Scale-fit*mapview.MaxZoomIn) > 1e-6*v.Scale {
		t.Errorf("ZoomTo a tiny bound: scale %v, want the maximum %v", v.Scale, fit*mapview.MaxZoomIn)
	}
	mapview.WaitIdle(t, m)

	// Before the widget has a size, ZoomTo is done at the first layout.
	test.NewTempApp(t)
	e := mapview.New()
	e.SetAreas(twoSquares(), nil)
	e.ZoomTo(orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}})
	w := test.NewWindow(canvas.NewRectangle(color.Black))
	w.SetPadded(false)
	w.Resize(fyne.NewSize(400, 200))
	w.SetContent(e)
	if v := e.View(); v.Center != (orb.Point{5, 5}) || math.Abs(v.Scale-16.8) > 1e-9 {
		t.Errorf("ZoomTo before layout: %+v", v)
	}
	mapview.WaitIdle(t, e)
	w.Close()
}

func TestCursorAndToolNames(t *testing.T) {
	m := mapview.New()
	if m.Cursor() != desktop.DefaultCursor || m.Tool() != mapview.ToolPan {
		t.Error("default tool or cursor")
	}
	for _, tool := range []mapview.Tool{mapview.ToolPaint, mapview.ToolLasso, mapview.ToolPolygon} {
		m.SetTool(tool)
		if m.Cursor() != desktop.CrosshairCursor || m.Tool() != tool {
			t.Errorf("%v: cursor %v", tool, m.Cursor())
		}
	}
	if s := fmt.Sprint(mapview.ToolPan, mapview.ToolPaint, mapview.ToolLasso, mapview.ToolPolygon, mapview.Tool(9)); s != "pan paint lasso polygon unknown" {
		t.Errorf("names %q", s)
	}
	// Without a window nothing happens and nothing panics.
	m.Tapped(&fyne.PointEvent{})
	m.TappedSecondary(&fyne.PointEvent{})
	m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	m.TypedKey(nil)
	m.Tapped(nil)
	m.TappedSecondary(nil)
	m.Dragged(nil)
	m.TypedRune('+')
	dragThrough(m, fyne.NewPos(1, 1), fyne.NewPos(5, 5))
	m.EditPolygon(square(0, 0, 1, 1), nil)
	m.StopEditing()
}

// TestOverlayCapture renders the whole widget with the overlay in a test
// window and checks pixels: fills, an edited polygon's edge, its vertex
// handles (white, the selected one in the overlay colour) — also after a
// pan by an arrow key, which moves the overlay with the map.
func TestOverlayCapture(t *testing.T) {
	for _, ps := range []float32{1, 2} {
		t.Run(fmt.Sprintf("scale=%v", ps), func(t *testing.T) {
			m, win := gridMap(t, ps)
			m.EditPolygon(square(4, 4, 12, 12), nil)
			test.TapAt(m, logicalPos(m, ps, orb.Point{12, 12})) // selects vertex 2
			check := func(stage string) {
				t.Helper()
				mapview.WaitIdle(t, m)
				img := win.Canvas().Capture()
				px := func(p orb.Point, dx, dy float32) color.NRGBA {
					pos := logicalPos(m, ps, p).AddXY(dx, dy)
					x, y := int(math.Floor(float64(pos.X*ps))), int(math.Floor(float64(pos.Y*ps)))
					return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				}
				for _, c := range []struct {
					name   string
					p      orb.Point
					dx, dy float32
					want   color.NRGBA
				}{
					{"area 3", orb.Point{16, 16}, 0, 0, yellow},
					{"area 0 inside the polygon", orb.Point{6, 6}, 0, 0, red},
					{"bottom edge", orb.Point{6, 4}, 0, 0, mapview.DefaultOverlayColor},
					{"left edge", orb.Point{4, 10}, 0, 0, mapview.DefaultOverlayColor},
					{"vertex handle", orb.Point{4, 4}, 0, 0, color.NRGBA{0xff, 0xff, 0xff, 0xff}},
					{"selected handle", orb.Point{12, 12}, 0, 0, mapview.DefaultOverlayColor},
					{"just outside the edge", orb.Point{6, 4}, 0, 3, red},
				} {
					if got := px(c.p, c.dx, c.dy); !closeColour(got, c.want, 24) {
						t.Errorf("%s: %s pixel %v, want %v", stage, c.name, got, c.want)
					}
				}
			}
			check("fitted")
			m.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
			check("after a key pan")
		})
	}
}

func closeColour(a, b color.NRGBA, tol int) bool {
	return absDiff(a.R, b.R) <= tol && absDiff(a.G, b.G) <= tol && absDiff(a.B, b.B) <= tol && absDiff(a.A, b.A) <= tol
}

// TestOverlayDeepZoom: zoomed far into an edge of the edited polygon, the
// overlay's lines are clipped to the widget (plus a small pad) and the
// off-screen handles are left out (only the edge's midpoint handle, at the
// centre, stays); SetOverlayColor recolours the lines.
func TestOverlayDeepZoom(t *testing.T) {
	m, _ := gridMap(t, 1)
	m.EditPolygon(square(4, 4, 12, 12), nil)
	m.SetView(mapview.View{Center: orb.Point{4, 8}, Scale: 1e6})
	lines, handles := mapview.OverlayObjects(m)
	if len(lines) != 1 || len(handles) != 1 {
		t.Fatalf("deep zoom: %d lines, %d handles; want the left edge and its midpoint handle", len(lines), len(handles))
	}
	if h := handles[0]; h.Position1.AddXY(3.5, 3.5) != fyne.NewPos(200, 200) {
		t.Errorf("midpoint handle at %v, want centred on (200, 200)", h.Position1)
	}
	l := lines[0]
	for _, p := range []fyne.Position{l.Position1, l.Position2} {
		if p.X < 199 || p.X > 201 || p.Y < -8.01 || p.Y > 408.01 {
			t.Errorf("clipped line end %v", p)
		}
	}
	if l.StrokeColor != mapview.DefaultOverlayColor {
		t.Errorf("line colour %v", l.StrokeColor)
	}
	c := color.NRGBA{R: 0x10, G: 0x20, B: 0xf0, A: 0xff}
	m.SetOverlayColor(c)
	if lines, _ := mapview.OverlayObjects(m); len(lines) != 1 || lines[0].StrokeColor != c {
		t.Errorf("after SetOverlayColor: %v", lines)
	}
	m.SetOverlayColor(color.NRGBA{})
	if lines, _ := mapview.OverlayObjects(m); len(lines) != 1 || lines[0].StrokeColor != mapview.DefaultOverlayColor {
		t.Errorf("transparent colour did not restore the default: %v", lines)
	}
	mapview.WaitIdle(t, m)
}

// With OnLine set, the polygon tool draws a line: two clicks and a double
// click (or Enter) give the vertices in the order drawn, clockwise or not,
// and OnPolygon is not called.
func TestLineTool(t *testing.T) {
	a, b, c := orb.Point{2, 2}, orb.Point{16, 3}, orb.Point{14, 15}
	const tol = 1e-4
	for _, tc := range []struct {
		name   string
		clicks []orb.Point
		enter  bool
	}{
		{"double click", []orb.Point{b, a}, false},
		{"Enter, clockwise", []orb.Point{c, b, a}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, win := gridMap(t, 1)
			m.SetTool(mapview.ToolPolygon)
			var lines [][]orb.Point
			m.OnLine = func(l []orb.Point) { lines = append(lines, l) }
			m.OnPolygon = func(orb.Ring) { t.Error("OnPolygon called in line mode") }
			for _, p := range tc.clicks {
				test.TapAt(m, logicalPos(m, 1, p))
			}
			if tc.enter {
				win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			} else {
				last := tc.clicks[len(tc.clicks)-1]
				test.TapAt(m, logicalPos(m, 1, last).AddXY(1, 1)) // the double click's second click
			}
			if len(lines) != 1 || len(lines[0]) != len(tc.clicks) {
				t.Fatalf("OnLine got %v, want %v", lines, tc.clicks)
			}
			for i, p := range tc.clicks {
				if !near(lines[0][i], p, tol) {
					t.Errorf("vertex %d = %v, want %v", i, lines[0][i], p)
				}
			}
			if m.DrawingPolygon() != nil {
				t.Errorf("line still drawn: %v", m.DrawingPolygon())
			}
		})
	}
}
