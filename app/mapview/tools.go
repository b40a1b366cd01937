package mapview

import (
	"image/color"
	"math"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/paulmach/orb"
)

var (
	_ fyne.Tappable          = (*Map)(nil)
	_ fyne.SecondaryTappable = (*Map)(nil)
	_ desktop.Cursorable     = (*Map)(nil)
)

// Tool selects what taps and drags on the map do (see SetTool). Keyboard
// navigation, the mouse wheel and hover work the same with every tool.
type Tool int

const (
	// ToolPan (the default): a drag pans the map; a tap calls OnTap with the
	// area under the pointer.
	ToolPan Tool = iota
	// ToolPaint: a tap calls OnPaint with the area under it; a drag calls
	// OnPaint once for every new area the pointer passes over, then
	// OnPaintEnd once. The map does not pan while painting (the arrow keys
	// and the wheel still move it).
	ToolPaint
	// ToolLasso: a drag draws a freehand path, shown in the overlay; at the
	// end of the drag OnLasso gets it as a closed ring.
	ToolLasso
	// ToolPolygon: each tap adds a vertex; the overlay shows the polygon so
	// far and a rubber-band segment from its last vertex to the pointer. A
	// double click, Enter, or a tap on the first vertex closes it and calls
	// OnPolygon; Backspace removes the last vertex; Escape drops the
	// polygon. A drag pans the map.
	ToolPolygon
)

// String returns the tool's name, e.g. "pan".
func (t Tool) String() string {
	switch t {
	case ToolPan:
		return "pan"
	case ToolPaint:
		return "paint"
	case ToolLasso:
		return "lasso"
	case ToolPolygon:
		return "polygon"
	}
	return "unknown"
}

const (
	// PaintSampleSpacing is the distance, in device pixels, at which the
	// pointer's path between two drag events is hit-tested by ToolPaint.
	PaintSampleSpacing = 2
	// LassoSpacing is the minimum distance, in device pixels, between two
	// kept points of a lasso path; closer points are dropped.
	LassoSpacing = 3
	// VertexSpacing is the minimum distance, in device pixels, between a
	// new polygon vertex and the previous one; closer taps add no vertex.
	VertexSpacing = 3
	// DoubleClickSlop is how far apart (dp) two taps may be to count as a
	// double click; they must also follow each other within the driver's
	// double-tap delay (fyne.Driver.DoubleTapDelay, 300 ms on Linux).
	DoubleClickSlop = 6
	// MinRingPixels is the smallest area, in square device pixels at the
	// current zoom, of a lasso or drawn polygon passed to OnLasso or
	// OnPolygon; smaller ones (e.g. a straight stroke) are dropped.
	MinRingPixels = 9
	// HandleRadius is the radius (dp) of the vertex handles drawn on an
	// edited polygon and on the first vertex of a polygon being drawn.
	HandleRadius = 5
	// HandleHitRadius is how close (dp) to a handle's centre a tap, drag or
	// secondary tap must be to act on it.
	HandleHitRadius = 9
	// midHandleMinEdge: an edited polygon's edge gets a midpoint handle
	// only when it is at least this long on screen (dp), so that handles
	// do not overlap.
	midHandleMinEdge = 4 * HandleRadius
	// maxPaintSamples bounds the hit tests of one drag event.
	maxPaintSamples = 1 << 14
)

// gesture is what the current drag does.
type gesture int

const (
	gestureNone      gesture = iota
	gesturePan               // moves the view
	gesturePaint             // paints areas
	gestureLasso             // extends the lasso path
	gestureVertex            // moves a vertex of the edited polygon
	gestureCancelled         // ended early by Escape or SetTool: ignore the rest
)

// toolState is the map's interaction state; it is only touched on the UI
// thread.
type toolState struct {
	tool    Tool
	gesture gesture
	last    fyne.Position // previous drag position (dp)

	painted map[int]struct{} // areas painted by the current stroke

	lasso []orb.Point // lasso path (plane units)

	poly       []orb.Point // polygon being drawn (plane units)
	lastTapAt  time.Time   // time and place of the previous tap (double clicks)
	lastTapPos fyne.Position

	editing  bool
	edit     []orb.Point // edited polygon, open (plane units)
	onEdit   func(orb.Ring)
	sel      int       // selected vertex, -1 for none
	dragV    int       // vertex moved by the current drag
	dragOrig orb.Point // its position before the drag
	dragOff  orb.Point // vertex minus pointer at the drag start (plane units)
	dragNew  bool      // the vertex was inserted by this drag (midpoint handle)

	overlayColor color.NRGBA // zero: DefaultOverlayColor
}

// frame is a snapshot of the view geometry, for converting between widget
// positions (dp) and plane points.
type frame struct {
	sc   *scene
	v    View
	w, h int     // widget size in device pixels
	ps   float64 // device pixels per dp
}

// frame returns the current frame; ok is false while the map has no view or
// no size.
func (m *Map) frame() (f frame, ok bool) {
	ps := m.syncScale()
	m.mu.Lock()
	f = frame{sc: m.sc, v: m.view, w: m.pixW, h: m.pixH, ps: float64(ps)}
	m.mu.Unlock()
	return f, f.v.Scale > 0 && f.w > 0 && f.h > 0 && f.ps > 0
}

// plane returns the plane point under widget position p (dp).
func (f frame) plane(p fyne.Position) orb.Point {
	return orb.Point{
		f.v.Center[0] + (float64(p.X)*f.ps-float64(f.w)/2)/f.v.Scale,
		f.v.Center[1] - (float64(p.Y)*f.ps-float64(f.h)/2)/f.v.Scale,
	}
}

// pos returns the widget position (dp) of plane point q.
func (f frame) pos(q orb.Point) (x, y float64) {
	return ((q[0]-f.v.Center[0])*f.v.Scale + float64(f.w)/2) / f.ps,
		(float64(f.h)/2 - (q[1]-f.v.Center[1])*f.v.Scale) / f.ps
}

// SetTool chooses what taps and drags do (see Tool). Changing the tool ends
// the gesture in progress: a paint stroke ends (OnPaintEnd is called if it
// painted), a lasso or a polygon being drawn is dropped. Values other than
// the Tool constants act as ToolPan. Vertex editing (EditPolygon) is kept.
func (m *Map) SetTool(t Tool) {
	if t == m.ui.tool {
		return
	}
	switch m.ui.gesture {
	case gesturePaint:
		m.ui.gesture = gestureCancelled
		m.finishPaint()
	case gestureLasso:
		m.ui.gesture = gestureCancelled
		m.ui.lasso = nil
	}
	m.ui.poly = nil
	m.ui.tool = t
	m.updateOverlay()
}

// Tool returns the current tool.
func (m *Map) Tool() Tool { return m.ui.tool }

// Cursor is part of desktop.Cursorable: a crosshair for the drawing tools,
// the default arrow for ToolPan.
func (m *Map) Cursor() desktop.Cursor {
	switch m.ui.tool {
	case ToolPaint, ToolLasso, ToolPolygon:
		return desktop.CrosshairCursor
	}
	return desktop.DefaultCursor
}

// EditPolygon shows ring (plane units, closed or open, any orientation) with
// a handle on every vertex and on the midpoint of every edge long enough on
// screen, and lets the user edit it, whatever the tool:
//   - dragging a vertex handle moves the vertex;
//   - a tap on a vertex handle selects it; Delete or Backspace then deletes
//     it, as does a secondary tap (right click) on a handle — never below 3
//     vertices;
//   - a tap on a midpoint handle inserts a vertex there (dragging it
//     inserts and moves it);
//   - Escape during a vertex drag puts the vertex back.
//
// After each change onChange (if not nil) gets the new ring, closed (first
// point repeated), in the vertex order of ring; it runs on the UI thread,
// after a drag only at its end. The map keeps showing the changed ring; to
// refuse a change (e.g. a self-intersection) call EditPolygon again with
// the old ring. Non-finite points and repeated consecutive points are
// dropped; a ring with fewer than 3 vertices left stops editing instead.
// Taps and drags away from the handles do what the tool does.
func (m *Map) EditPolygon(ring orb.Ring, onChange func(orb.Ring)) {
	pts := cleanRing(ring)
	if len(pts) < 3 {
		m.StopEditing()
		return
	}
	if m.ui.gesture == gestureVertex {
		m.ui.gesture = gestureCancelled
	}
	m.ui.editing, m.ui.edit, m.ui.onEdit, m.ui.sel = true, pts, onChange, -1
	m.updateOverlay()
}

// StopEditing ends vertex editing (see EditPolygon) and removes the
// polygon and its handles from the overlay. onChange is not called.
func (m *Map) StopEditing() {
	if m.ui.gesture == gestureVertex {
		m.ui.gesture = gestureCancelled
	}
	m.ui.editing, m.ui.edit, m.ui.onEdit, m.ui.sel = false, nil, nil, -1
	m.updateOverlay()
}

// Editing reports whether a polygon is being edited, and returns its
// current vertices as a closed ring (plane units) when it is.
func (m *Map) Editing() (orb.Ring, bool) {
	if !m.ui.editing {
		return nil, false
	}
	return closeOpen(m.ui.edit), true
}

// DrawingPolygon returns the vertices (plane units) of the polygon being
// drawn with ToolPolygon, in the order they were added (nil when none).
func (m *Map) DrawingPolygon() []orb.Point { return slices.Clone(m.ui.poly) }

// Tapped is part of fyne.Tappable (a primary click without a drag). It
// focuses the map, then acts on a handle of the polygon being edited if the
// tap is on one, else does what the tool does (see Tool). ev.Position is in
// dp.
func (m *Map) Tapped(ev *fyne.PointEvent) {
	if ev == nil {
		return
	}
	m.requestFocus()
	pos := ev.Position
	now := time.Now()
	double := !m.ui.lastTapAt.IsZero() && now.Sub(m.ui.lastTapAt) <= doubleTapDelay() &&
		dist(pos, m.ui.lastTapPos) <= DoubleClickSlop
	m.ui.lastTapAt, m.ui.lastTapPos = now, pos
	if m.ui.editing && m.tapEdit(pos) {
		return
	}
	switch m.ui.tool {
	case ToolPaint:
		a := m.AreaAt(pos)
		if a < 0 {
			return
		}
		m.ui.painted = map[int]struct{}{}
		m.paint(a)
		m.finishPaint()
	case ToolLasso:
	case ToolPolygon:
		m.polygonTap(pos, double)
	default:
		if m.OnTap != nil {
			m.OnTap(m.AreaAt(pos))
		}
	}
}

// TappedSecondary is part of fyne.SecondaryTappable (a right click): on a
// vertex handle of the polygon being edited it deletes that vertex (never
// below 3 vertices). It also focuses the map.
func (m *Map) TappedSecondary(ev *fyne.PointEvent) {
	if ev == nil {
		return
	}
	m.requestFocus()
	if !m.ui.editing {
		return
	}
	f, ok := m.frame()
	if !ok {
		return
	}
	if i := m.vertexAt(f, ev.Position); i >= 0 {
		m.deleteVertex(i)
	}
}

func doubleTapDelay() time.Duration {
	if a := fyne.CurrentApp(); a != nil {
		if d := a.Driver().DoubleTapDelay(); d > 0 {
			return d
		}
	}
	return 300 * time.Millisecond
}

func dist(a, b fyne.Position) float64 {
	return math.Hypot(float64(a.X-b.X), float64(a.Y-b.Y))
}

// mapCanvas returns the canvas showing the map, or nil.
func (m *Map) mapCanvas() fyne.Canvas {
	if a := fyne.CurrentApp(); a != nil {
		return a.Driver().CanvasForObject(m)
	}
	return nil
}

// requestFocus gives the map the keyboard focus.
func (m *Map) requestFocus() {
	if c := m.mapCanvas(); c != nil && c.Focused() != m {
		c.Focus(m)
	}
}

// beginGesture decides what the drag starting with ev does.
func (m *Map) beginGesture(ev *fyne.DragEvent) {
	start := ev.Position.SubtractXY(ev.Dragged.DX, ev.Dragged.DY)
	m.ui.last = start
	f, ok := m.frame()
	if m.ui.editing && ok {
		if i := m.vertexAt(f, start); i >= 0 {
			m.startVertexDrag(f, i, start, false)
			return
		}
		if i := m.midpointAt(f, start); i >= 0 {
			a, b := m.ui.edit[i], m.ui.edit[(i+1)%len(m.ui.edit)]
			m.ui.edit = slices.Insert(m.ui.edit, i+1, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
			m.startVertexDrag(f, i+1, start, true)
			return
		}
	}
	switch m.ui.tool {
	case ToolPaint:
		m.ui.gesture = gesturePaint
		m.ui.painted = map[int]struct{}{}
		if ok {
			m.paintAlong(f, start, start, true)
		}
	case ToolLasso:
		m.ui.gesture = gestureLasso
		m.ui.lasso = m.ui.lasso[:0]
		if ok {
			m.ui.lasso = append(m.ui.lasso, f.plane(start))
		}
	default:
		m.ui.gesture = gesturePan
	}
}

func (m *Map) startVertexDrag(f frame, i int, start fyne.Position, inserted bool) {
	p := f.plane(start)
	v := m.ui.edit[i]
	m.ui.gesture = gestureVertex
	m.ui.dragV, m.ui.dragOrig, m.ui.dragNew = i, v, inserted
	m.ui.dragOff = orb.Point{v[0] - p[0], v[1] - p[1]}
	m.ui.sel = i
	m.updateOverlay()
}

// dragGesture handles a drag event of a gesture other than a pan.
func (m *Map) dragGesture(ev *fyne.DragEvent) {
	pos := ev.Position
	last := m.ui.last
	m.ui.last = pos
	f, ok := m.frame()
	if !ok {
		return
	}
	switch m.ui.gesture {
	case gesturePaint:
		m.paintAlong(f, last, pos, false)
	case gestureLasso:
		p := f.plane(pos)
		if !finite(p) {
			return
		}
		if n := len(m.ui.lasso); n > 0 {
			q := m.ui.lasso[n-1]
			if math.Hypot(p[0]-q[0], p[1]-q[1])*f.v.Scale < LassoSpacing {
				return
			}
		}
		m.ui.lasso = append(m.ui.lasso, p)
		m.updateOverlay()
	case gestureVertex:
		p := f.plane(pos)
		if !finite(p) || m.ui.dragV >= len(m.ui.edit) {
			return
		}
		m.ui.edit[m.ui.dragV] = orb.Point{p[0] + m.ui.dragOff[0], p[1] + m.ui.dragOff[1]}
		m.updateOverlay()
	}
}

// endGesture ends the current drag gesture, calling its callback; it
// reports whether the gesture was a pan.
func (m *Map) endGesture() bool {
	g := m.ui.gesture
	m.ui.gesture = gestureNone
	switch g {
	case gesturePan:
		return true
	case gesturePaint:
		m.finishPaint()
	case gestureLasso:
		var ring orb.Ring
		ok := false
		if f, fok := m.frame(); fok {
			ring, ok = closedRing(m.ui.lasso, f.minRingArea())
		}
		m.ui.lasso = m.ui.lasso[:0]
		m.updateOverlay()
		if ok && m.OnLasso != nil {
			m.OnLasso(ring)
		}
	case gestureVertex:
		m.ui.dragNew = false
		m.updateOverlay()
		m.emitEdit()
	}
	return false
}

// cancelGesture is Escape: it ends the drag gesture in progress (a paint
// stroke is ended as if the drag ended; a lasso is dropped; a moved vertex
// goes back), else drops the polygon being drawn, else clears the selected
// vertex of the polygon being edited.
func (m *Map) cancelGesture() {
	switch m.ui.gesture {
	case gesturePaint:
		m.ui.gesture = gestureCancelled
		m.finishPaint()
		return
	case gestureLasso:
		m.ui.gesture = gestureCancelled
		m.ui.lasso = m.ui.lasso[:0]
		m.updateOverlay()
		return
	case gestureVertex:
		m.ui.gesture = gestureCancelled
		if i := m.ui.dragV; i < len(m.ui.edit) {
			if m.ui.dragNew {
				m.ui.edit = slices.Delete(m.ui.edit, i, i+1)
			} else {
				m.ui.edit[i] = m.ui.dragOrig
			}
		}
		m.ui.dragNew, m.ui.sel = false, -1
		m.updateOverlay()
		return
	}
	if len(m.ui.poly) > 0 {
		m.ui.poly = nil
		m.updateOverlay()
		return
	}
	if m.ui.editing && m.ui.sel >= 0 {
		m.ui.sel = -1
		m.updateOverlay()
	}
}

// paintAlong hit-tests the segment a→b (dp) every PaintSampleSpacing device
// pixels (b included, a only when first) and paints the areas met.
func (m *Map) paintAlong(f frame, a, b fyne.Position, first bool) {
	dx, dy := float64(b.X-a.X)*f.ps, float64(b.Y-a.Y)*f.ps
	l := math.Hypot(dx, dy)
	if math.IsNaN(l) || math.IsInf(l, 0) {
		return
	}
	n := min(int(math.Ceil(l/PaintSampleSpacing)), maxPaintSamples)
	k0 := 1
	if first {
		k0 = 0
	}
	pa, pb := f.plane(a), f.plane(b)
	for k := k0; k <= n; k++ {
		t := 1.0
		if n > 0 {
			t = float64(k) / float64(n)
		}
		p := orb.Point{pa[0] + (pb[0]-pa[0])*t, pa[1] + (pb[1]-pa[1])*t}
		if ar := f.sc.areaAt(p); ar >= 0 {
			m.paint(ar)
		}
		if n == 0 {
			break
		}
	}
}

// paint calls OnPaint for area a unless the stroke has painted it.
func (m *Map) paint(a int) {
	if _, done := m.ui.painted[a]; done {
		return
	}
	if m.ui.painted == nil {
		m.ui.painted = map[int]struct{}{}
	}
	m.ui.painted[a] = struct{}{}
	if m.OnPaint != nil {
		m.OnPaint(a)
	}
}

// finishPaint ends a paint stroke: OnPaintEnd if it painted anything.
func (m *Map) finishPaint() {
	n := len(m.ui.painted)
	m.ui.painted = nil
	if n > 0 && m.OnPaintEnd != nil {
		m.OnPaintEnd()
	}
}

// polygonTap adds a vertex, or closes the polygon (double click, tap on
// the first vertex).
func (m *Map) polygonTap(pos fyne.Position, double bool) {
	f, ok := m.frame()
	if !ok {
		return
	}
	poly := m.ui.poly
	if m.OnLine != nil && double && len(poly) >= 2 {
		m.closePolygon()
		return
	}
	if len(poly) >= 3 && m.OnLine == nil {
		x, y := f.pos(poly[0])
		if double || math.Hypot(float64(pos.X)-x, float64(pos.Y)-y) <= HandleHitRadius {
			m.closePolygon()
			return
		}
	}
	if double {
		return // the second click of a double click adds no vertex
	}
	p := f.plane(pos)
	if !finite(p) {
		return
	}
	if n := len(poly); n > 0 && math.Hypot(p[0]-poly[n-1][0], p[1]-poly[n-1][1])*f.v.Scale < VertexSpacing {
		return
	}
	m.ui.poly = append(poly, p)
	m.updateOverlay()
}

// closePolygon ends the polygon being drawn and calls OnPolygon (Enter);
// with fewer than 3 vertices it does nothing.
func (m *Map) closePolygon() {
	if m.OnLine != nil {
		line := cleanRing(m.ui.poly)
		if len(line) < 2 {
			return
		}
		m.ui.poly = nil
		m.updateOverlay()
		m.OnLine(line)
		return
	}
	if len(m.ui.poly) < 3 {
		return
	}
	var ring orb.Ring
	ok := false
	if f, fok := m.frame(); fok {
		ring, ok = closedRing(m.ui.poly, f.minRingArea())
	}
	m.ui.poly = nil
	m.updateOverlay()
	if ok && m.OnPolygon != nil {
		m.OnPolygon(ring)
	}
}

// removeLastVertex is Backspace while drawing a polygon.
func (m *Map) removeLastVertex() {
	if n := len(m.ui.poly); n > 0 {
		m.ui.poly = m.ui.poly[:n-1]
		m.updateOverlay()
	}
}

// tapEdit handles a tap on a handle of the edited polygon; false when the
// tap is on none (the selection is then cleared).
func (m *Map) tapEdit(pos fyne.Position) bool {
	f, ok := m.frame()
	if !ok {
		return false
	}
	if i := m.vertexAt(f, pos); i >= 0 {
		m.ui.sel = i
		m.updateOverlay()
		return true
	}
	if i := m.midpointAt(f, pos); i >= 0 {
		a, b := m.ui.edit[i], m.ui.edit[(i+1)%len(m.ui.edit)]
		m.ui.edit = slices.Insert(m.ui.edit, i+1, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
		m.ui.sel = i + 1
		m.updateOverlay()
		m.emitEdit()
		return true
	}
	if m.ui.sel >= 0 {
		m.ui.sel = -1
		m.updateOverlay()
	}
	return false
}

// deleteVertex removes vertex i of the edited polygon if it keeps at least
// 3, and reports the change.
func (m *Map) deleteVertex(i int) {
	if !m.ui.editing || i < 0 || i >= len(m.ui.edit) || len(m.ui.edit) <= 3 {
		return
	}
	if m.ui.gesture == gestureVertex {
		m.ui.gesture = gestureCancelled
	}
	m.ui.edit = slices.Delete(m.ui.edit, i, i+1)
	m.ui.sel = -1
	m.updateOverlay()
	m.emitEdit()
}

// emitEdit passes the edited ring to the EditPolygon callback.
func (m *Map) emitEdit() {
	if m.ui.editing && m.ui.onEdit != nil {
		m.ui.onEdit(closeOpen(m.ui.edit))
	}
}

// vertexAt returns the edited polygon's vertex whose handle is nearest to
// pos within HandleHitRadius, or -1.
func (m *Map) vertexAt(f frame, pos fyne.Position) int {
	best, bd := -1, float64(HandleHitRadius)
	for i, v := range m.ui.edit {
		x, y := f.pos(v)
		if d := math.Hypot(float64(pos.X)-x, float64(pos.Y)-y); d <= bd {
			best, bd = i, d
		}
	}
	return best
}

// midpointAt returns the edge i (from vertex i to i+1) whose midpoint
// handle is nearest to pos within HandleHitRadius, or -1. Only edges with
// a handle shown (midHandleMinEdge) count.
func (m *Map) midpointAt(f frame, pos fyne.Position) int {
	best, bd := -1, float64(HandleHitRadius)
	n := len(m.ui.edit)
	for i := range n {
		ax, ay := f.pos(m.ui.edit[i])
		bx, by := f.pos(m.ui.edit[(i+1)%n])
		if math.Hypot(bx-ax, by-ay) < midHandleMinEdge {
			continue
		}
		if d := math.Hypot(float64(pos.X)-(ax+bx)/2, float64(pos.Y)-(ay+by)/2); d <= bd {
			best, bd = i, d
		}
	}
	return best
}

// cleanRing returns the finite vertices of ring without consecutive
// repeats and without the closing point.
func cleanRing(ring []orb.Point) []orb.Point {
	out := make([]orb.Point, 0, len(ring))
	for _, p := range ring {
		if !finite(p) || (len(out) > 0 && out[len(out)-1] == p) {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	return out
}

// closeOpen returns the open ring pts closed (first point repeated), as a
// new slice.
func closeOpen(pts []orb.Point) orb.Ring {
	r := make(orb.Ring, 0, len(pts)+1)
	r = append(r, pts...)
	if len(pts) > 0 {
		r = append(r, pts[0])
	}
	return r
}

// closedRing cleans pts (cleanRing), makes them counter-clockwise (positive
// shoelace area in the y-up plane; the first point stays first) and closes
// them. ok is false when fewer than 3 vertices remain or the ring encloses
// less than minArea (plane units²).
func closedRing(pts []orb.Point, minArea float64) (orb.Ring, bool) {
	c := cleanRing(pts)
	if len(c) < 3 {
		return nil, false
	}
	a := signedArea(c)
	if !(math.Abs(a) >= minArea) || math.Abs(a) == 0 {
		return nil, false
	}
	if a < 0 {
		slices.Reverse(c[1:])
	}
	return closeOpen(c), true
}

// minRingArea is the smallest area (plane units²) of a lasso or drawn
// polygon in frame f: MinRingPixels square device pixels.
func (f frame) minRingArea() float64 {
	return MinRingPixels / (f.v.Scale * f.v.Scale)
}

// signedArea returns the area enclosed by the open ring pts (at least 3
// points), positive when they run counter-clockwise in a y-up plane: the
// shoelace formula (Gauss's area formula) summed over the triangles of the
// fan from the first vertex, which keeps precision far from the origin.
func signedArea(pts []orb.Point) float64 {
	var s float64
	n := len(pts)
	o := pts[0] // relative to the first point, for precision
	for i := 1; i < n-1; i++ {
		a, b := pts[i], pts[i+1]
		s += (a[0]-o[0])*(b[1]-o[1]) - (b[0]-o[0])*(a[1]-o[1])
	}
	return s / 2
}
