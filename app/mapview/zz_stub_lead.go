package mapview

// TEMPORARY stubs (lead's integration), removed when the renderer lands.

import (
	"image/color"

	"github.com/paulmach/orb"
)

type Label struct {
	At          orb.Point
	Text        string
	Size        float32
	Color, Halo color.NRGBA
}

func (l *Layers) Outlines(lines []orb.MultiLineString, colors []color.NRGBA, width float32) *Layers {
	return l
}
func (l *Layers) PointsSized(pts []orb.Point, fills []color.NRGBA, radii []float32) *Layers {
	return l.Points(pts, fills, 1.8)
}
func (l *Layers) Labels(labels []Label) *Layers                                             { return l }
func (m *Map) SetOutlines(lines []orb.MultiLineString, colors []color.NRGBA, width float32) {}
func (m *Map) SetLabels(labels []Label)                                                     {}
func (m *Map) SetHighlight(areas []int, c color.NRGBA)                                      {}
