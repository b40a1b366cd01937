package mapview

import (
	"image/color"
	"slices"

	"github.com/paulmach/orb"
)

// Layers is a prepared set of the map's data layers, drawn in this order:
// the areas with their fills and borders, the highlight's tint (see
// SetHighlight), the hatching (see SetHatch), the overlay lines (e.g.
// state borders), the outlines (e.g. territory outlines), the highlight's
// outline, the points and the labels.
// Preparing them (normalising rings, finding shared borders, cutting lines
// into chunks, indexing areas for hit tests) is the costly part of
// SetAreas, SetLines and SetPoints — tens of milliseconds for thousands of
// areas — so build a Layers in a background goroutine and hand it to
// SetLayers on the UI thread, which is then cheap. A Layers is not safe for
// concurrent use while it is being built; once given to SetLayers it must
// not be changed.
type Layers struct{ sc *scene }

// NewLayers returns empty layers.
func NewLayers() *Layers { return &Layers{sc: newScene()} }

// Areas sets the filled layer, as SetAreas does, and returns l.
func (l *Layers) Areas(geoms []orb.MultiPolygon, fills []color.NRGBA) *Layers {
	l.sc.setAreas(geoms, fills)
	return l
}

// Lines sets the overlay lines, as SetLines does, and returns l.
func (l *Layers) Lines(lines orb.MultiLineString, c color.NRGBA, width float32) *Layers {
	l.sc.setLines(lines, c, width)
	return l
}

// Outlines sets the outline layer, as SetOutlines does, and returns l.
func (l *Layers) Outlines(lines []orb.MultiLineString, colors []color.NRGBA, width float32) *Layers {
	l.sc.setOutlines(newLineLayer(lines, colors, width))
	return l
}

// Points sets the points, as SetPoints does (one radius for all, in
// device-independent pixels), and returns l.
func (l *Layers) Points(pts []orb.Point, fills []color.NRGBA, radius float32) *Layers {
	l.sc.setPoints(pts, fills, radius)
	return l
}

// PointsSized sets the points with a radius each, as SetPointsSized does,
// and returns l.
func (l *Layers) PointsSized(pts []orb.Point, fills []color.NRGBA, radii []float32) *Layers {
	l.sc.setPointsSized(pts, fills, radii, DefaultPointRadius)
	return l
}

// Labels sets the labels, as SetLabels does (the slice is copied), and
// returns l.
func (l *Layers) Labels(labels []Label) *Layers {
	l.sc.labels = slices.Clone(labels)
	return l
}

// SetLayers replaces all data layers at once with prepared layers, keeping
// the map's style (background, area stroke, point outline), its highlight
// and hatching (the same area indexes, applied to the new areas) and its
// view; point shapes come from the layers (Layers.PointShapes), else the
// map's are kept when the points are as many (see SetPointShapes). Call it
// on the UI thread.
func (m *Map) SetLayers(l *Layers) {
	if l == nil {
		l = NewLayers()
	}
	sc := l.sc.clone()
	m.mu.Lock()
	old := m.sc
	m.mu.Unlock()
	sc.background, sc.areaStroke, sc.areaStrokeW = old.background, old.areaStroke, old.areaStrokeW
	sc.pointOutline, sc.pointOutW = old.pointOutline, old.pointOutW
	sc.highlight = old.highlight.rebase(len(sc.geoms))
	sc.hatch = old.hatch.rebase(len(sc.geoms))
	if sc.shapesIn == nil && old.shapesIn != nil {
		sc.shapesIn, sc.shapesN = old.shapesIn, old.shapesN
		sc.applyPointShapes()
	}
	m.installScene(sc)
}

// update applies f to a copy of the scene, installs the copy and schedules
// a render.
func (m *Map) update(f func(sc *scene)) {
	m.mu.Lock()
	sc := m.sc.clone()
	f(sc)
	m.sc = sc
	m.mu.Unlock()
	m.changed(true)
}

// SetOutlines replaces the outline layer drawn over the overlay lines (e.g.
// territory outlines): sets of lines in plane units, one colour per set
// (missing colours are DefaultFill), one width for all in
// device-independent pixels (2 to 3 reads well). Sets are drawn in order, a
// later one over an earlier one; a segment given more than once (in any
// set, as the border between two territories is) is drawn once, in the
// colour of the first set that has it. Strokes are the union of their
// segments with rounded ends, so joins are filled. It is cheap: the areas
// are not rasterized again. Call it on the UI thread; the slices are read
// before it returns.
func (m *Map) SetOutlines(lines []orb.MultiLineString, colors []color.NRGBA, width float32) {
	ol := newLineLayer(lines, colors, width)
	m.update(func(sc *scene) { sc.setOutlines(ol) })
}

// SetPointsSized replaces the dots drawn on top, as SetPoints does, with a
// radius per point in device-independent pixels (rounded to 1/8 and
// capped at 64; radii nil or shorter than pts: DefaultPointRadius for the
// missing ones; a radius of 0 hides the point) and a colour per point
// (missing ones are DefaultFill).
func (m *Map) SetPointsSized(pts []orb.Point, fills []color.NRGBA, radii []float32) {
	m.update(func(sc *scene) { sc.setPointsSized(pts, fills, radii, DefaultPointRadius) })
}

// SetLabels replaces the labels (see Label); nil removes them. The slice
// is copied.
func (m *Map) SetLabels(labels []Label) {
	labels = slices.Clone(labels)
	m.update(func(sc *scene) { sc.labels = labels })
}

// SetHighlight highlights areas (indexes into the areas; invalid ones are
// ignored) in colour c: a tint of c at HighlightFillOpacity of its alpha
// over the areas and their borders, and an outline of c,
// HighlightStrokeWidth device-independent pixels wide, around their union
// (borders between two highlighted areas are not outlined). An empty list
// or a transparent c removes the highlight. It is cheap: masks cached for
// the areas are reused (the union's outline is computed at the next render,
// in the background). Call it on the UI thread; the slice is read before it
// returns.
func (m *Map) SetHighlight(areas []int, c color.NRGBA) {
	m.update(func(sc *scene) { sc.highlight = newHighlight(areas, c, len(sc.geoms)) })
}
