package mapview

import "fyne.io/fyne/v2/canvas"

// OverlayObjects returns the lines and handles the tool overlay shows, for
// tests; nil before the map has a renderer.
func OverlayObjects(m *Map) (lines []*canvas.Line, handles []*canvas.Circle) {
	if m.rend == nil {
		return nil, nil
	}
	o := &m.rend.ov
	return o.lines[:o.shownL], o.circles[:o.shownC]
}
