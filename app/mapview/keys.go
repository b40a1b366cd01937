package mapview

import (
	"math"

	"fyne.io/fyne/v2"
	"github.com/paulmach/orb"
)

var _ fyne.Focusable = (*Map)(nil)

// Keyboard control. The map takes the keyboard focus when it is tapped or
// dragged (or through Tab, like any fyne.Focusable). Then:
//   - the arrow keys pan by KeyPanFraction of the widget's width or height
//     (rounded to whole device pixels, like a drag, so that cached area
//     masks stay valid); Left shows more of the west (the view centre moves
//     to smaller x), Up more of the north (larger y);
//   - '+' or '=' zooms in and '-' zooms out by KeyZoomFactor around the
//     widget centre (the view centre does not move); these are read as typed
//     characters (TypedRune), so they follow the keyboard layout and the
//     numeric keypad works too;
//   - Escape cancels: during a drag it ends a paint stroke (OnPaintEnd is
//     called, as if the drag ended), drops the lasso or puts a dragged
//     vertex back, and the rest of the drag is ignored; otherwise it drops
//     the polygon being drawn, else unselects the edited polygon's vertex;
//   - Enter closes the polygon being drawn; Backspace removes its last
//     vertex or, when a vertex of an edited polygon is selected, deletes
//     that vertex, as Delete does (never below 3 vertices).
//
// Keys reach the map only while it has the focus; note that a focused
// widget gets the typed keys a canvas.SetOnTypedKey handler would
// otherwise get (canvas shortcuts such as Ctrl+Z still work).
//
// Pinch zoom is not available. Fyne 2.7.1 has no pinch or magnify event:
// fyne.io/fyne/v2 defines no gesture interface besides taps, drags and
// scrolls (canvasobject.go, driver/desktop), and its desktop driver
// (internal/driver/glfw/window_desktop.go) registers only GLFW's
// cursor-position, mouse-button, scroll, key, char, focus and window
// callbacks; GLFW 3.3 (github.com/go-gl/glfw/v3.3) has no gesture callback
// at all. The mobile driver turns each touch sequence into taps and drags.
// A trackpad's two-finger scroll arrives as scroll events, so it zooms
// through Scrolled.
const (
	// KeyPanFraction is the part of the widget's width (Left, Right) or
	// height (Up, Down) that an arrow key pans.
	KeyPanFraction = 1.0 / 6
	// KeyZoomFactor is the zoom factor of the '+' and '-' keys.
	KeyZoomFactor = 1.5
	// zoomToMargin is the fraction of the widget left empty around the
	// bound shown by ZoomTo (on each side).
	zoomToMargin = 0.08
)

// FocusGained is part of fyne.Focusable.
func (m *Map) FocusGained() {}

// FocusLost is part of fyne.Focusable.
func (m *Map) FocusLost() {}

// TypedRune is part of fyne.Focusable: '+' and '=' zoom in, '-' zooms out
// by KeyZoomFactor around the widget centre.
func (m *Map) TypedRune(r rune) {
	switch r {
	case '+', '=':
		m.zoomDevice(KeyZoomFactor, 0, 0)
	case '-':
		m.zoomDevice(1/KeyZoomFactor, 0, 0)
	}
}

// TypedKey is part of fyne.Focusable: arrow keys pan, Escape cancels the
// current gesture, Enter closes the polygon being drawn, Backspace and
// Delete remove vertices (see the keyboard notes above KeyPanFraction).
func (m *Map) TypedKey(ev *fyne.KeyEvent) {
	if ev == nil {
		return
	}
	switch ev.Name {
	case fyne.KeyLeft:
		m.panKey(-1, 0)
	case fyne.KeyRight:
		m.panKey(1, 0)
	case fyne.KeyUp:
		m.panKey(0, 1)
	case fyne.KeyDown:
		m.panKey(0, -1)
	case fyne.KeyEscape:
		m.cancelGesture()
	case fyne.KeyReturn, fyne.KeyEnter:
		if m.ui.tool == ToolPolygon {
			m.closePolygon()
		}
	case fyne.KeyBackspace:
		if m.ui.tool == ToolPolygon && len(m.ui.poly) > 0 {
			m.removeLastVertex()
		} else if m.ui.editing {
			m.deleteVertex(m.ui.sel)
		}
	case fyne.KeyDelete:
		if m.ui.editing {
			m.deleteVertex(m.ui.sel)
		}
	}
}

// panKey moves the view centre by KeyPanFraction of the widget size, in
// whole device pixels, sx steps east and sy steps north.
func (m *Map) panKey(sx, sy float64) {
	m.syncScale()
	m.mu.Lock()
	if !m.hasView || m.pixW <= 0 || m.pixH <= 0 {
		m.mu.Unlock()
		return
	}
	dx := math.Round(float64(m.pixW)*KeyPanFraction) * sx
	dy := math.Round(float64(m.pixH)*KeyPanFraction) * sy
	m.view.Center[0] += dx / m.view.Scale
	m.view.Center[1] += dy / m.view.Scale
	m.fitted = false
	m.mu.Unlock()
	m.changed(false)
}

// ZoomTo shows bound b (plane units) centred in the widget, as large as
// fits with 8% of the widget left empty on each side ("zoom to territory"),
// within the zoom range (MinZoomOut, MaxZoomIn). A bound of a single point
// only centres the view on it (keeping the scale). Bounds with non-finite
// or inverted corners are ignored. Before the widget has a size, the zoom
// is done at its first layout (a later SetView or FitAll replaces it).
func (m *Map) ZoomTo(b orb.Bound) {
	if !finite(b.Min) || !finite(b.Max) || b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] {
		return
	}
	m.syncScale()
	m.mu.Lock()
	if m.pixW <= 0 || m.pixH <= 0 {
		m.zoomTo, m.zoomPending = b, true
		m.fitPending = false
		m.mu.Unlock()
		return
	}
	m.zoomToLocked(b)
	m.mu.Unlock()
	m.changed(false)
}

// zoomToLocked sets the view to show b; the widget has a size.
func (m *Map) zoomToLocked(b orb.Bound) {
	s := m.view.Scale
	if b.Max[0] > b.Min[0] || b.Max[1] > b.Min[1] || !(s > 0) {
		s = fitScaleMargin(b, m.pixW, m.pixH, zoomToMargin)
	}
	lo, hi := m.scaleLimitsLocked()
	s = max(lo, min(s, hi))
	m.view = View{Center: b.Center(), Scale: s}
	m.hasView, m.fitPending, m.fitted, m.zoomPending = true, false, false, false
}
