package mapview

import (
	"image/color"

	"github.com/paulmach/orb"
)

// Layers is a prepared set of the map's data layers: areas with their fills,
// the overlay lines and the points. Preparing them (normalising rings,
// dropping repeated vertices, indexing areas for hit tests) is the costly
// part of SetAreas, SetLines and SetPoints — tens of milliseconds for
// thousands of areas — so build a Layers in a background goroutine and hand
// it to SetLayers on the UI thread, which is then cheap. A Layers is not safe
// for concurrent use while it is being built; once given to SetLayers it
// must not be changed.
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

// Points sets the points, as SetPoints does, and returns l.
func (l *Layers) Points(pts []orb.Point, fills []color.NRGBA, radius float32) *Layers {
	l.sc.setPoints(pts, fills, radius)
	return l
}

// SetLayers replaces all data layers at once with prepared layers, keeping
// the map's style (background, area stroke, point outline) and view. Call it
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
	m.installScene(sc)
}
