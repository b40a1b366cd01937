// Package mapview is Meridian's map widget: filled areas (e.g. counties),
// an overlay of lines (e.g. state borders) and dots (e.g. accounts), with
// panning, zooming towards the cursor, hit-testing and a hover tooltip.
//
// The package knows geometry, not the domain. All inputs are in a planar,
// y-up coordinate system ("plane units", already projected by the caller).
// Sizes are in one of two pixel units:
//   - device pixels: pixels of the rendered image / the screen (View.Scale,
//     area border width);
//   - device-independent pixels (dp): Fyne's logical units, equal to device
//     pixels times the canvas scale (line widths, point radii, widget
//     positions such as those given to AreaAt and Zoom).
//
// Interaction: a Tool (SetTool) decides what taps and drags do — pan, paint
// areas, draw a lasso or a polygon — and EditPolygon lets the user move,
// insert and delete the vertices of a polygon; their shapes are drawn in an
// overlay of Fyne lines and circles above the image (overlay.go). The map
// is fyne.Focusable: arrow keys pan, '+'/'-' zoom, Escape cancels (see
// KeyPanFraction, which also explains why there is no pinch zoom).
//
// Rendering happens off the UI thread into a cached image shown by one
// canvas.Raster; panning moves that image and re-renders when the drag ends.
// Setters and interaction methods must be called on the Fyne UI thread (or
// inside fyne.Do), like those of any Fyne widget; Render and RenderTo may be
// called from any goroutine.
//
// Rendering: opaque areas with hairline borders (the default) are filled
// without anti-aliasing, as runs of the pixels whose centres they contain
// (spans, spans.go; neighbours tile exactly), and their borders are drawn
// over them as anti-aliased hairlines (a border shared by two areas once,
// outer borders too), which hides the staircase; translucent fills or wider
// borders use anti-aliased coverage masks (golang.org/x/image/vector, one
// rasterizer sized to each area's pixel bound) instead. Then come the lines,
// the points and the labels. The image is cut into horizontal strips
// rendered in parallel. Each area's spans (or mask) and border pixels are
// kept for the current zoom scale, so renders after SetAreaFills, a pan
// (rounded to whole device pixels) or a resize only composite; a zoom
// computes them again.
package mapview

import (
	"image"
	"image/color"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

var (
	_ fyne.Widget         = (*Map)(nil)
	_ fyne.Draggable      = (*Map)(nil)
	_ fyne.Scrollable     = (*Map)(nil)
	_ desktop.Hoverable   = (*Map)(nil)
	_ fyne.WidgetRenderer = (*mapRenderer)(nil)
)

const (
	// WheelZoomFactor is the zoom factor of one mouse-wheel notch.
	WheelZoomFactor = 1.2
	// MinZoomOut and MaxZoomIn bound the zoom relative to the scale at which
	// all areas fit the widget (see FitAll): from 1/4 of it to 4096 times it.
	MinZoomOut = 0.25
	MaxZoomIn  = 4096
	// fitMargin is the fraction of the widget left empty around the content
	// by FitAll (on each side).
	fitMargin = 0.03
	// minRenderInterval throttles background renders to about 60 per second.
	minRenderInterval = 16 * time.Millisecond
)

// Map is a widget showing areas, lines and points of a plane.
type Map struct {
	widget.BaseWidget

	// Tooltip, when set, gives the text shown in a small box near the cursor
	// while it hovers over an area (multi-line text allowed); an empty string
	// shows no box. It is called on the UI thread.
	Tooltip func(area int) string
	// OnHover, when set, is called on the UI thread when the hovered area
	// changes; -1 means no area.
	OnHover func(area int)

	// Tool callbacks (see Tool and SetTool); all run on the UI thread.
	//
	// OnTap is called by ToolPan for a tap (a primary click without a drag)
	// with the area under the pointer, or -1 when there is none.
	OnTap func(area int)
	// OnPaint is called by ToolPaint for the area under a tap, and during a
	// drag once for every new area the pointer passes over (each area at
	// most once per stroke; the path between two drag events is sampled
	// every PaintSampleSpacing device pixels, so fast strokes skip no area).
	OnPaint func(area int)
	// OnPaintEnd is called by ToolPaint once after every stroke (a tap or a
	// drag) that called OnPaint at least once, or when Escape or SetTool
	// ends such a stroke early: commit the stroke as one undoable step.
	OnPaintEnd func()
	// OnLasso is called by ToolLasso at the end of a drag with the freehand
	// path as a closed ring in plane units (first point repeated,
	// counter-clockwise in the y-up plane; points closer than
	// LassoSpacing device pixels dropped). Paths with fewer than 3
	// distinct points or enclosing less than MinRingPixels square device
	// pixels (e.g. a straight stroke) are dropped without a call.
	OnLasso func(ring orb.Ring)
	// OnPolygon is called by ToolPolygon when the polygon being drawn is
	// closed (double click, Enter, or a tap on its first vertex) with its
	// vertices as a closed, counter-clockwise ring in plane units (first
	// vertex first; clockwise input is reversed). Polygons enclosing less
	// than MinRingPixels square device pixels are dropped without a call.
	OnPolygon func(ring orb.Ring)
	// OnLine, when not nil, turns ToolPolygon into a line tool: the
	// vertices clicked (at least 2) end with a double click or Enter, and
	// OnLine gets them as an open polyline in plane units, in the order
	// drawn (no closing point, consecutive repeats dropped); OnPolygon is
	// not called. Used to split a territory by a drawn line.
	OnLine func(line []orb.Point)

	mu         sync.Mutex // guards the fields below up to the UI-only ones
	sc         *scene
	view       View
	hasView    bool
	fitPending bool
	fitted     bool    // the view is a fit (FitAll) the user has not moved: refit on resize
	pixW, pixH int     // device size of the widget at the last layout
	texScale   float32 // device px per dp reported by the painter (0 = unknown)
	viewScale  float32 // pixel scale the view was last adjusted to
	// zoomTo is the bound a ZoomTo before the first layout will show
	// (when zoomPending).
	zoomTo      orb.Bound
	zoomPending bool
	// background render state
	rendering bool
	dirty     bool
	gen       uint64 // bumped on every render request
	lastStart time.Time
	front     *image.RGBA // last image shown
	frontView View
	frontGen  uint64
	spare     *image.RGBA
	live      bool // CreateRenderer has run
	abortGen  atomic.Uint64
	masks     maskCache // area masks at the current scale (own locking)

	// UI-thread-only state.
	rend     *mapRenderer
	hover    int
	hoverPos fyne.Position
	inside   bool
	dragging bool
	dragRemX float64 // sub-pixel remainder of the drag (device pixels)
	dragRemY float64
	ui       toolState // tools, gestures and overlay state (tools.go)
}

// New returns an empty map. Give it layers with SetAreas, SetLines and
// SetPoints; the first time it has both areas and a size it fits them (see
// FitAll) unless SetView was called.
func New() *Map {
	m := &Map{sc: newScene(), hover: -1}
	m.ExtendBaseWidget(m)
	return m
}

// SetAreas replaces the filled layer. geoms are in plane units; fills gives
// each area's colour (same length as geoms; missing colours are DefaultFill,
// extra ones are ignored). The rings of each polygon may be given in any
// orientation (holes are normalised to the opposite winding of their
// exterior). Areas are expected not to overlap (they are drawn from the top
// of the view down, not in index order). The slices are kept, not copied:
// do not modify them afterwards.
func (m *Map) SetAreas(geoms []orb.MultiPolygon, fills []color.NRGBA) {
	m.mu.Lock()
	sc := m.sc.clone()
	m.mu.Unlock()
	sc.setAreas(geoms, fills)
	m.installScene(sc)
}

// installScene makes sc the map's scene (after a change of its areas),
// schedules a fit when the map had no view yet, and a render.
func (m *Map) installScene(sc *scene) {
	m.mu.Lock()
	m.sc = sc
	if !m.hasView && sc.hasAll {
		m.fitPending = true
	}
	m.mu.Unlock()
	m.changed(true)
	m.refreshHover()
}

// SetAreaFills recolours the areas (cheap: geometry and index are kept) and
// triggers a background re-render. Missing colours are DefaultFill.
func (m *Map) SetAreaFills(fills []color.NRGBA) {
	m.mu.Lock()
	sc := m.sc.clone()
	sc.fills = premulAll(fills, len(sc.geoms))
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
	m.refreshHover()
}

// SetLines replaces the overlay drawn over the areas (e.g. state borders):
// lines in plane units, colour c, width in device-independent pixels.
func (m *Map) SetLines(lines orb.MultiLineString, c color.NRGBA, width float32) {
	m.mu.Lock()
	sc := m.sc.clone()
	sc.setLines(lines, c, width)
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
}

// SetPoints replaces the dots drawn on top (e.g. accounts): positions in
// plane units, fill colours (missing ones are DefaultFill) and a radius in
// device-independent pixels. Each dot has a thin outline (SetPointOutline).
// Dots are drawn from north to south (a southern dot covers a northern one it
// overlaps); points with NaN or infinite coordinates are dropped.
func (m *Map) SetPoints(pts []orb.Point, fills []color.NRGBA, radius float32) {
	m.mu.Lock()
	sc := m.sc.clone()
	sc.setPoints(pts, fills, radius)
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
}

// SetBackground sets the colour drawn where there is no area
// (DefaultBackground by default).
func (m *Map) SetBackground(c color.NRGBA) {
	m.mu.Lock()
	sc := m.sc.clone()
	sc.background = premul(c)
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
	if r := m.rend; r != nil {
		r.applyTheme()
		r.bg.Refresh()
	}
}

// SetAreaStroke sets the colour and width (device pixels) of the borders
// drawn around every area; width 0 or a transparent colour draws none.
// Widths up to 1.5 use a fast hairline plotter. A border shared by two
// areas (the same segment in both) is drawn once. Default:
// DefaultAreaStroke, DefaultAreaStrokeWidth.
func (m *Map) SetAreaStroke(c color.NRGBA, width float32) {
	m.mu.Lock()
	sc := m.sc.clone()
	sc.areaStroke = premul(c)
	if !(width > 0) || math.IsInf(float64(width), 0) {
		width = 0
	}
	sc.areaStrokeW = width
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
}

// SetPointOutline sets the colour and width (device-independent pixels) of
// the outline of points. Default: DefaultPointOutline,
// DefaultPointOutlineWidth.
func (m *Map) SetPointOutline(c color.NRGBA, width float32) {
	m.mu.Lock()
	sc := m.sc.clone()
	sc.pointOutline = premul(c)
	if !(width >= 0) || math.IsInf(float64(width), 0) {
		width = 0
	}
	sc.pointOutW = width
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
}

// View returns the current view. Its Scale is 0 until a view was set or
// fitted.
func (m *Map) View() View {
	m.syncScale()
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.view
}

// SetView sets the view (centre in plane units, scale in device pixels per
// plane unit). Views with a non-positive or non-finite scale are ignored.
func (m *Map) SetView(v View) {
	if !(v.Scale > 0) || math.IsInf(v.Scale, 0) || !finite(v.Center) {
		return
	}
	m.syncScale()
	m.mu.Lock()
	m.view, m.hasView, m.fitPending, m.fitted = v, true, false, false
	m.zoomPending = false
	m.mu.Unlock()
	m.changed(false)
}

// FitAll sets the view to show the bound of all areas (or, with no areas,
// of the lines and points) with a small margin. Before the widget has a size
// the fit is done at its first layout. The view stays fitted when the widget
// is resized, until the user pans or zooms or SetView is called.
func (m *Map) FitAll() {
	m.syncScale()
	m.mu.Lock()
	m.zoomPending = false
	ok := m.fitLocked()
	if !ok {
		m.fitPending = true
	}
	m.mu.Unlock()
	if ok {
		m.changed(false)
	}
}

// fitLocked fits the view to the content; false if there is no size or no
// content yet.
func (m *Map) fitLocked() bool {
	v, ok := fitView(m.sc, m.pixW, m.pixH)
	if !ok {
		return false
	}
	m.view = v
	m.hasView, m.fitPending, m.fitted = true, false, true
	return true
}

// FitView returns the view at which all areas (or, with no areas, the lines
// and points) fit a w×h device-pixel image with a small margin, as FitAll
// does for the widget; use it with Render for exports. ok is false when
// there is nothing to fit or the size is not positive.
func (m *Map) FitView(w, h int) (v View, ok bool) {
	m.mu.Lock()
	sc := m.sc
	m.mu.Unlock()
	return fitView(sc, w, h)
}

func fitView(sc *scene, w, h int) (View, bool) {
	b, ok := sc.contentBound()
	if !ok || w <= 0 || h <= 0 {
		return View{}, false
	}
	return View{Center: b.Center(), Scale: fitScale(b, w, h)}, true
}

// fitScale is the scale at which b fills w×h device pixels minus margins.
func fitScale(b orb.Bound, w, h int) float64 {
	return fitScaleMargin(b, w, h, fitMargin)
}

// fitScaleMargin is the scale at which b fills w×h device pixels less the
// fraction margin of them on each side.
func fitScaleMargin(b orb.Bound, w, h int, margin float64) float64 {
	bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	fw, fh := float64(w)*(1-2*margin), float64(h)*(1-2*margin)
	s := math.Inf(1)
	if bw > 0 {
		s = fw / bw
	}
	if bh > 0 {
		s = min(s, fh/bh)
	}
	if math.IsInf(s, 0) { // a single point
		s = 1
	}
	return s
}

// scaleLimits returns the allowed zoom range (device px per plane unit).
func (m *Map) scaleLimitsLocked() (float64, float64) {
	b, ok := m.sc.contentBound()
	if !ok || m.pixW <= 0 || m.pixH <= 0 {
		return 1e-12, 1e12
	}
	s := fitScale(b, m.pixW, m.pixH)
	return s * MinZoomOut, s * MaxZoomIn
}

// Zoom multiplies the scale by factor (clamped to the zoom range), keeping
// the plane point under the widget position around (device-independent
// pixels) fixed.
func (m *Map) Zoom(factor float64, around fyne.Position) {
	if !(factor > 0) || math.IsInf(factor, 0) {
		return
	}
	ps := m.syncScale()
	m.mu.Lock()
	dx := float64(around.X)*float64(ps) - float64(m.pixW)/2
	dy := float64(around.Y)*float64(ps) - float64(m.pixH)/2
	m.mu.Unlock()
	m.zoomDevice(factor, dx, dy)
}

// zoomDevice multiplies the scale by factor (clamped to the zoom range),
// keeping the plane point dx, dy device pixels from the widget centre fixed.
func (m *Map) zoomDevice(factor, dx, dy float64) {
	m.syncScale()
	m.mu.Lock()
	if !m.hasView || m.pixW <= 0 {
		m.mu.Unlock()
		return
	}
	v := m.view
	lo, hi := m.scaleLimitsLocked()
	ns := max(lo, min(v.Scale*factor, hi))
	if ns == v.Scale {
		m.mu.Unlock()
		return
	}
	// Plane point under the cursor stays under the cursor.
	qx, qy := v.Center[0]+dx/v.Scale, v.Center[1]-dy/v.Scale
	m.view = View{Center: orb.Point{qx - dx/ns, qy + dy/ns}, Scale: ns}
	m.fitted = false
	m.mu.Unlock()
	m.changed(false)
}

// AreaAt returns the index of the area under a widget position
// (device-independent pixels), or -1 if there is none. When areas overlap,
// the highest index wins.
func (m *Map) AreaAt(pos fyne.Position) int {
	f, ok := m.frame()
	if !ok {
		return -1
	}
	return f.sc.areaAt(f.plane(pos))
}

// areaAt is the plane-coordinate hit test.
func (s *scene) areaAt(p orb.Point) int {
	c := s.index.candidates(p)
	for k := len(c) - 1; k >= 0; k-- {
		i := c[k]
		if !s.bounds[i].Contains(p) {
			continue
		}
		if planar.MultiPolygonContains(s.geoms[i], p) {
			return int(i)
		}
	}
	return -1
}

// pixelScale returns device pixels per device-independent pixel: what the
// painter reported through the raster generator, else the canvas scale.
func (m *Map) pixelScale() float32 {
	m.mu.Lock()
	ts, live := m.texScale, m.live
	m.mu.Unlock()
	if ts > 0 {
		return ts
	}
	if !live {
		// Never shown (e.g. rendering a picture headless): no canvas, and
		// asking for the app without one only logs an error.
		return 1
	}
	if a := fyne.CurrentApp(); a != nil {
		if c := a.Driver().CanvasForObject(m); c != nil {
			if s := c.Scale(); s > 0 {
				return s
			}
		}
	}
	return 1
}

// syncScale adopts the current pixel scale: the device size is recomputed
// and, when the scale changed, the view's Scale is adjusted so that the same
// part of the plane stays visible. It returns the scale.
func (m *Map) syncScale() float32 {
	ps := m.pixelScale()
	size := m.Size()
	m.mu.Lock()
	changed := false
	if m.viewScale > 0 && m.viewScale != ps && m.hasView {
		m.view.Scale *= float64(ps / m.viewScale)
		changed = true
	}
	m.viewScale = ps
	w, h := int(math.Round(float64(size.Width*ps))), int(math.Round(float64(size.Height*ps)))
	if w != m.pixW || h != m.pixH {
		m.pixW, m.pixH = w, h
		m.abortGen.Add(1)
		changed = true
		if m.fitted {
			m.fitPending = true // a fitted view stays fitted when the widget is resized
		}
	}
	fit := m.fitPending && m.fitLocked()
	if m.zoomPending && w > 0 && h > 0 {
		m.zoomToLocked(m.zoomTo)
		fit = true
	}
	m.mu.Unlock()
	if changed || fit {
		m.requestRender()
	}
	return ps
}

// changed is called after a state change: it schedules a render and updates
// the displayed image's placement. sceneChanged drops in-flight renders.
func (m *Map) changed(sceneChanged bool) {
	if sceneChanged {
		m.abortGen.Add(1)
	}
	m.syncScale() // also does a pending fit once there is a size
	m.requestRender()
	if r := m.rend; r != nil {
		r.placeRaster()
	}
	m.updateOverlay()
}

// requestRender schedules a background render; renders are coalesced (one
// running, at most one more queued) and throttled.
func (m *Map) requestRender() {
	m.mu.Lock()
	m.gen++
	if !m.live || m.pixW <= 0 || m.pixH <= 0 {
		m.mu.Unlock()
		return
	}
	if m.rendering {
		m.dirty = true
		m.mu.Unlock()
		return
	}
	m.rendering = true
	m.mu.Unlock()
	go m.renderLoop()
}

type renderResult struct {
	img  *image.RGBA
	view View
	gen  uint64
}

// renderLoop renders in the background until no request is pending: a
// request arriving during a render only marks the state dirty, so any number
// of requests cost at most one more render (coalescing); renders start at
// most every minRenderInterval (throttling). A render is cancelled, and its
// result dropped, when the layers or the widget size change under it
// (abortGen); swap drops results older than the image shown (gen).
func (m *Map) renderLoop() {
	for {
		m.mu.Lock()
		if wait := minRenderInterval - time.Since(m.lastStart); wait > 0 {
			m.mu.Unlock()
			time.Sleep(wait)
			m.mu.Lock()
		}
		// Clear dirty and read abortGen together, under the lock: a setter
		// changes the state, then bumps abortGen, then sets dirty (under the
		// lock), so whatever this render misses either cancels it or leaves
		// dirty set for the next one.
		m.dirty = false
		abort := m.abortGen.Load()
		m.lastStart = time.Now()
		sc, v, w, h, gen := m.sc, m.view, m.pixW, m.pixH, m.gen
		ps := m.viewScale
		buf := m.spare
		m.spare = nil
		m.mu.Unlock()

		if buf == nil || buf.Rect.Dx() != w || buf.Rect.Dy() != h {
			buf = image.NewRGBA(image.Rect(0, 0, w, h))
		}
		cancelled := renderScene(buf, sc, v, ps, func() bool { return m.abortGen.Load() != abort }, &m.masks)
		if !cancelled && m.abortGen.Load() == abort && fyne.CurrentApp() != nil {
			res := renderResult{img: buf, view: v, gen: gen}
			fyne.Do(func() { m.swap(res) })
		} else {
			m.mu.Lock()
			if m.spare == nil {
				m.spare = buf
			}
			m.mu.Unlock()
		}

		m.mu.Lock()
		again := m.dirty || cancelled // a cancelled render always has a successor
		if !again {
			m.rendering = false
		}
		m.mu.Unlock()
		if !again {
			return
		}
		runtime.Gosched()
	}
}

// swap shows a finished render (UI thread). Results older than the image
// shown, or for another size, are dropped.
func (m *Map) swap(res renderResult) {
	m.mu.Lock()
	if res.gen < m.frontGen || res.img.Rect.Dx() != m.pixW || res.img.Rect.Dy() != m.pixH {
		m.mu.Unlock()
		return
	}
	old := m.front
	m.front, m.frontView, m.frontGen = res.img, res.view, res.gen
	if old != nil && old != res.img && m.spare == nil && old.Rect == res.img.Rect {
		m.spare = old
	}
	m.mu.Unlock()
	if r := m.rend; r != nil {
		r.placeRaster()
		r.refreshRaster()
	}
}

// Dragged is part of fyne.Draggable. With ToolPan and ToolPolygon it pans
// the map: the cached image moves with the pointer and the map is
// re-rendered when the drag ends. The pan is rounded to whole device pixels
// (the remainder is carried), which keeps cached area masks valid. With
// ToolPaint it paints, with ToolLasso it draws the lasso, and a drag that
// starts on a vertex handle of the polygon being edited moves that vertex
// (see Tool, EditPolygon). ev.Position is the pointer's current position
// and ev.Dragged the move since the previous event (dp), as fyne's desktop
// driver reports them; the drag starts at ev.Position - ev.Dragged of the
// first event. A drag also focuses the map (keyboard control).
func (m *Map) Dragged(ev *fyne.DragEvent) {
	if ev == nil {
		return
	}
	ps := m.syncScale()
	if !m.dragging {
		m.dragging = true
		if r := m.rend; r != nil {
			r.hideTip()
		}
		m.requestFocus()
		m.beginGesture(ev)
	}
	if m.ui.gesture != gesturePan {
		m.dragGesture(ev)
		return
	}
	m.mu.Lock()
	if !m.hasView {
		m.mu.Unlock()
		return
	}
	// Pan by whole device pixels (carrying the remainder), so that area
	// masks cached at this scale stay valid.
	s := m.view.Scale
	dx := float64(ev.Dragged.DX*ps) + m.dragRemX
	dy := float64(ev.Dragged.DY*ps) + m.dragRemY
	sx, sy := math.Round(dx), math.Round(dy)
	m.dragRemX, m.dragRemY = dx-sx, dy-sy
	m.view.Center[0] -= sx / s
	m.view.Center[1] += sy / s
	m.fitted = false
	m.mu.Unlock()
	if r := m.rend; r != nil {
		r.placeRaster()
	}
	m.updateOverlay()
}

// DragEnd is part of fyne.Draggable: it ends the gesture — a pan re-renders
// the map at the panned view; a paint stroke calls OnPaintEnd, a lasso
// OnLasso, a vertex drag the EditPolygon callback.
func (m *Map) DragEnd() {
	m.dragging = false
	m.dragRemX, m.dragRemY = 0, 0
	if m.endGesture() {
		m.requestRender()
	}
}

// Scrolled zooms towards the cursor by WheelZoomFactor per wheel notch.
// Without a position in the event (as from fyne's test.Scroll) the last
// hover position is used, else the widget centre.
func (m *Map) Scrolled(ev *fyne.ScrollEvent) {
	notch := float32(25) // what fyne's GLFW driver reports per notch
	if runtime.GOOS == "darwin" {
		notch = 10
	}
	steps := float64(ev.Scrolled.DY / notch)
	steps = max(-5, min(steps, 5))
	if steps == 0 {
		return
	}
	pos := ev.Position
	if pos.IsZero() && ev.AbsolutePosition.IsZero() {
		if m.inside {
			pos = m.hoverPos
		} else {
			sz := m.Size()
			pos = fyne.NewPos(sz.Width/2, sz.Height/2)
		}
	}
	m.Zoom(math.Pow(WheelZoomFactor, steps), pos)
}

// MouseIn starts hover tracking.
func (m *Map) MouseIn(ev *desktop.MouseEvent) {
	m.inside = true
	m.hoverAt(ev.Position)
	if len(m.ui.poly) > 0 {
		m.updateOverlay()
	}
}

// MouseMoved updates the hovered area and the tooltip, and the rubber-band
// segment of a polygon being drawn.
func (m *Map) MouseMoved(ev *desktop.MouseEvent) {
	m.inside = true
	m.hoverAt(ev.Position)
	if len(m.ui.poly) > 0 {
		m.updateOverlay()
	}
}

// MouseOut hides the tooltip (and the rubber band of a polygon being drawn)
// and reports no hovered area.
func (m *Map) MouseOut() {
	m.inside = false
	m.setHover(-1, fyne.Position{})
	if len(m.ui.poly) > 0 {
		m.updateOverlay()
	}
}

func (m *Map) hoverAt(pos fyne.Position) {
	if m.dragging {
		return
	}
	m.setHover(m.AreaAt(pos), pos)
}

func (m *Map) setHover(a int, pos fyne.Position) {
	m.hoverPos = pos
	prev := m.hover
	m.hover = a
	if a != prev {
		m.updateTip(true)
		if m.OnHover != nil {
			m.OnHover(a)
		}
		return
	}
	m.updateTip(false)
}

// refreshHover re-evaluates the hovered area after the layers changed.
func (m *Map) refreshHover() {
	if !m.inside {
		return
	}
	a := m.AreaAt(m.hoverPos)
	if a != m.hover {
		m.setHover(a, m.hoverPos)
		return
	}
	m.updateTip(true)
}

// updateTip shows or hides the tooltip for the hovered area; text is
// recomputed when retext is set.
func (m *Map) updateTip(retext bool) {
	r := m.rend
	if r == nil {
		return
	}
	if m.hover < 0 || m.Tooltip == nil || !m.inside {
		r.hideTip()
		return
	}
	if retext || r.tipText == "" {
		r.tipText = m.Tooltip(m.hover)
	}
	if r.tipText == "" {
		r.hideTip()
		return
	}
	r.showTip(m.hoverPos)
}

// TooltipText returns the text of the tooltip currently shown, "" when it is
// hidden. It is meant for tests and accessibility.
func (m *Map) TooltipText() string {
	if r := m.rend; r != nil && r.tip.Visible() {
		return r.label.Text
	}
	return ""
}

// HoveredArea returns the area under the mouse pointer, -1 if none.
func (m *Map) HoveredArea() int { return m.hover }

// CreateRenderer is part of fyne.Widget.
func (m *Map) CreateRenderer() fyne.WidgetRenderer {
	m.ExtendBaseWidget(m)
	r := newMapRenderer(m)
	m.rend = r
	m.mu.Lock()
	m.live = true
	m.mu.Unlock()
	return r
}

// generate is the raster's generator: it only returns the cached image.
// When the raster is shown unscaled it also learns the painter's pixel
// scale from the requested size.
func (m *Map) generate(w, h int) image.Image {
	r := m.rend
	if r != nil {
		rs, ws := r.raster.Size(), m.Size()
		if rs == ws && rs.Width > 0 {
			// The painter may use more pixels than the canvas scale says
			// (e.g. on a Retina display): adopt its scale when they differ
			// by more than rounding.
			ts := float32(w) / rs.Width
			if cur := m.pixelScale(); math.Abs(float64(ts-cur)) > 0.01*float64(cur) {
				m.mu.Lock()
				m.texScale = ts
				m.mu.Unlock()
				go fyne.Do(func() { m.syncScale(); m.rend.placeRaster(); m.updateOverlay() })
			}
		}
	}
	m.mu.Lock()
	img := m.front
	bg := m.sc.background
	m.mu.Unlock()
	if img == nil {
		one := image.NewRGBA(image.Rect(0, 0, 1, 1))
		one.Pix[0], one.Pix[1], one.Pix[2], one.Pix[3] = uint8(bg.r), uint8(bg.g), uint8(bg.b), uint8(bg.a)
		return one
	}
	return img
}
