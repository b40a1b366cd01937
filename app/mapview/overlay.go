package mapview

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"github.com/paulmach/orb"
)

// The overlay shows the tools' shapes — the lasso path, the polygon being
// drawn with its rubber band, the edited polygon with its handles — as Fyne
// canvas objects (canvas.Line, canvas.Circle) above the raster, positioned
// in widget coordinates (dp). They are placed again from their plane
// coordinates whenever the view changes (pan, zoom, resize), which costs a
// few nanoseconds per vertex and no re-render of the raster. Objects are
// pooled, segments and handles outside the widget are left out, and
// segments are clipped to the widget, so a lasso of thousands of points or
// a zoomed-in polygon stay cheap.

var (
	// DefaultOverlayColor is the colour of the overlay's lines and handle
	// outlines (see SetOverlayColor): a saturated magenta that stands out
	// on the pastel territory fills and the grey borders.
	DefaultOverlayColor = color.NRGBA{R: 0xd0, G: 0x10, B: 0x78, A: 0xff}
	// handleFill is the fill of vertex handles; midHandleFill that of the
	// smaller, half-transparent midpoint handles. (Kept as color.Color so
	// that placing handles does not allocate.)
	handleFill    color.Color = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	midHandleFill color.Color = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xb0}
)

const (
	// OverlayLineWidth is the width (dp) of the overlay's lines.
	OverlayLineWidth = 2
	// handleStroke is the outline width (dp) of handles; smallHandle the
	// radius (dp) of midpoint handles and of the polygon's later vertices.
	handleStroke = 1.5
	smallHandle  = 3.5
	// overlayPad (dp): segments are clipped to the widget grown by this.
	overlayPad = 8
)

// SetOverlayColor sets the colour of the tool overlay's lines and handle
// outlines (DefaultOverlayColor by default; a fully transparent colour
// restores the default).
func (m *Map) SetOverlayColor(c color.NRGBA) {
	m.ui.overlayColor = c
	m.updateOverlay()
}

func (m *Map) overlayCol() color.NRGBA {
	if m.ui.overlayColor.A == 0 {
		return DefaultOverlayColor
	}
	return m.ui.overlayColor
}

// overlay holds the renderer's pooled overlay objects.
type overlay struct {
	box     *fyne.Container // without layout, at the widget's origin
	clip    *container.Clip
	lines   []*canvas.Line
	circles []*canvas.Circle
	nl, nc  int       // objects used by the current placement
	xy      []float64 // scratch: widget positions of the edited vertices
	shownL  int       // lines and circles in box.Objects
	shownC  int
	// widget rectangle (dp) grown by overlayPad, for culling
	x0, y0, x1, y1 float64
}

func (o *overlay) init() {
	o.box = container.NewWithoutLayout()
	o.clip = container.NewClip(o.box)
}

// segment adds the line a→b (dp), clipped to the widget; it adds nothing
// when the segment misses the widget.
func (o *overlay) segment(ax, ay, bx, by float64, c color.Color) {
	if !(ax >= o.x0 && ax <= o.x1 && ay >= o.y0 && ay <= o.y1 &&
		bx >= o.x0 && bx <= o.x1 && by >= o.y0 && by <= o.y1) {
		var ok bool
		if ax, ay, bx, by, ok = clipOverlaySegment(ax, ay, bx, by, o.x0, o.y0, o.x1, o.y1); !ok {
			return
		}
	}
	if o.nl == len(o.lines) {
		o.lines = append(o.lines, &canvas.Line{StrokeWidth: OverlayLineWidth})
	}
	l := o.lines[o.nl]
	o.nl++
	l.Position1 = fyne.NewPos(float32(ax), float32(ay))
	l.Position2 = fyne.NewPos(float32(bx), float32(by))
	l.StrokeColor = c
	l.Hidden = false
}

// handle adds a circle of radius r (dp) centred on x, y (dp) unless it is
// outside the widget.
func (o *overlay) handle(x, y, r float64, fill, stroke color.Color) {
	if !(x+r >= o.x0 && x-r <= o.x1 && y+r >= o.y0 && y-r <= o.y1) {
		return
	}
	if o.nc == len(o.circles) {
		o.circles = append(o.circles, &canvas.Circle{StrokeWidth: handleStroke})
	}
	c := o.circles[o.nc]
	o.nc++
	c.Position1 = fyne.NewPos(float32(x-r), float32(y-r))
	c.Position2 = fyne.NewPos(float32(x+r), float32(y+r))
	c.FillColor, c.StrokeColor = fill, stroke
	c.Hidden = false
}

// polyline adds the segments joining pts (plane units), and the closing
// one when closed.
func (o *overlay) polyline(f frame, pts []orb.Point, closed bool, c color.Color) {
	if len(pts) < 2 {
		return
	}
	px, py := f.pos(pts[0])
	fx, fy := px, py
	for _, p := range pts[1:] {
		x, y := f.pos(p)
		o.segment(px, py, x, y, c)
		px, py = x, y
	}
	if closed {
		o.segment(px, py, fx, fy, c)
	}
}

// hasOverlay reports whether any tool shape is to be shown.
func (m *Map) hasOverlay() bool {
	return len(m.ui.lasso) > 1 || len(m.ui.poly) > 0 || m.ui.editing
}

// updateOverlay places the overlay objects for the current tool state and
// view (UI thread). With nothing to show and nothing shown it does nothing.
func (m *Map) updateOverlay() {
	r := m.rend
	if r == nil {
		return
	}
	o := &r.ov
	if !m.hasOverlay() && o.shownL == 0 && o.shownC == 0 {
		return
	}
	o.nl, o.nc = 0, 0
	if f, ok := m.frame(); ok && m.hasOverlay() {
		m.placeOverlay(f, o)
	}
	if o.nl != o.shownL || o.nc != o.shownC {
		objs := make([]fyne.CanvasObject, 0, o.nl+o.nc)
		for _, l := range o.lines[:o.nl] {
			objs = append(objs, l)
		}
		for _, c := range o.circles[:o.nc] {
			objs = append(objs, c)
		}
		o.box.Objects = objs
		o.shownL, o.shownC = o.nl, o.nc
	}
	// New objects are unknown to the canvas: refresh through the map's
	// canvas, which repaints the container with its current children.
	if c := m.mapCanvas(); c != nil {
		c.Refresh(o.box)
	}
}

// placeOverlay computes the overlay objects in frame f.
func (m *Map) placeOverlay(f frame, o *overlay) {
	w, h := float64(f.w)/f.ps, float64(f.h)/f.ps
	o.x0, o.y0, o.x1, o.y1 = -overlayPad, -overlayPad, w+overlayPad, h+overlayPad
	var col color.Color = m.overlayCol() // boxed once

	o.polyline(f, m.ui.lasso, false, col)

	if poly := m.ui.poly; len(poly) > 0 {
		o.polyline(f, poly, false, col)
		if m.inside && m.ui.gesture == gestureNone {
			x, y := f.pos(poly[len(poly)-1])
			o.segment(x, y, float64(m.hoverPos.X), float64(m.hoverPos.Y), col)
		}
		for i, p := range poly {
			x, y := f.pos(p)
			if i == 0 {
				o.handle(x, y, HandleRadius, handleFill, col)
			} else {
				o.handle(x, y, smallHandle, col, col)
			}
		}
	}

	if m.ui.editing {
		pts := m.ui.edit
		n := len(pts)
		xy := o.xy[:0]
		for _, p := range pts {
			x, y := f.pos(p)
			xy = append(xy, x, y)
		}
		o.xy = xy
		for i := range n {
			j := (i + 1) % n
			o.segment(xy[2*i], xy[2*i+1], xy[2*j], xy[2*j+1], col)
		}
		for i := range n {
			j := (i + 1) % n
			ax, ay, bx, by := xy[2*i], xy[2*i+1], xy[2*j], xy[2*j+1]
			if math.Hypot(bx-ax, by-ay) >= midHandleMinEdge {
				o.handle((ax+bx)/2, (ay+by)/2, smallHandle, midHandleFill, col)
			}
		}
		// Vertex handles closer than HandleRadius to the previous one drawn
		// are left out (they would hide each other; each costs a draw call),
		// except the selected one; all vertices stay grabbable.
		lx, ly := math.Inf(1), math.Inf(1)
		for i := range n {
			x, y := xy[2*i], xy[2*i+1]
			fill := handleFill
			if i == m.ui.sel {
				fill = col
			} else if math.Hypot(x-lx, y-ly) < HandleRadius {
				continue
			}
			o.handle(x, y, HandleRadius, fill, col)
			lx, ly = x, y
		}
	}
}

// clipOverlaySegment clips the segment a→b to the rectangle
// [x0,x1]×[y0,y1] with the Liang–Barsky algorithm (Liang & Barsky, "A new
// concept and method for line clipping", ACM TOG 3(1), 1984); ok is false
// when nothing is left.
func clipOverlaySegment(ax, ay, bx, by, x0, y0, x1, y1 float64) (cax, cay, cbx, cby float64, ok bool) {
	dx, dy := bx-ax, by-ay
	t0, t1 := 0.0, 1.0
	for _, e := range [4][2]float64{{-dx, ax - x0}, {dx, x1 - ax}, {-dy, ay - y0}, {dy, y1 - ay}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return 0, 0, 0, 0, false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return 0, 0, 0, 0, false
			}
			t1 = min(t1, t)
		}
	}
	if math.IsNaN(t0) || math.IsNaN(t1) {
		return 0, 0, 0, 0, false
	}
	return ax + t0*dx, ay + t0*dy, ax + t1*dx, ay + t1*dy, true
}
