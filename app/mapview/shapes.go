package mapview

import (
	"math"
	"slices"
)

// PointShape is the marker drawn for a point (see SetPointShapes).
type PointShape uint8

const (
	// PointDot is a filled disc of the point's radius with the point
	// outline (SetPointOutline): the default.
	PointDot PointShape = iota
	// PointDiamond is a filled square standing on a corner, of the same
	// fill colour and outline as a dot, whose half-diagonal (centre to
	// tip) is DiamondScale times the point's radius, e.g. to mark named
	// accounts.
	PointDiamond
)

// DiamondScale is the ratio of a PointDiamond's half-diagonal to the
// point's radius: at 1.35 the diamond's area (2·1.35²·r² ≈ 3.6 r²) is
// about that of the disc (π r² ≈ 3.1 r²), so neither shape looks heavier,
// while its tips reach past the disc.
const DiamondScale = 1.35

// SetPointShapes sets the marker of each point: shapes[i] is the shape of
// the point i of the last SetPoints or SetPointsSized (the caller's index,
// before the renderer's sorting). nil, or a slice shorter than the points,
// draws PointDot for the points it does not reach; values other than the
// PointShape constants are PointDot; extra entries are ignored. The slice
// is copied.
//
// The rule when the points change: SetPoints, SetPointsSized and SetLayers
// keep the shapes (by index) when the new points are as many as those the
// shapes were set for — a recolour or resize of the same accounts — and
// drop them (all dots) otherwise. Layers.PointShapes sets shapes with
// prepared layers.
//
// It is cheap: areas are not rasterized again; diamonds are pre-rendered
// sprites like the dots.
func (m *Map) SetPointShapes(shapes []PointShape) {
	shapes = slices.Clone(shapes)
	m.update(func(sc *scene) { sc.setPointShapes(shapes) })
}

// PointShapes sets the points' shapes, as SetPointShapes does (the slice is
// copied), and returns l. Call it after Points or PointsSized.
func (l *Layers) PointShapes(shapes []PointShape) *Layers {
	l.sc.setPointShapes(slices.Clone(shapes))
	return l
}

// setPointShapes sets the shapes as given (caller's indexes, not copied)
// for the current points and maps them to the sorted points.
func (s *scene) setPointShapes(shapes []PointShape) {
	s.shapesIn, s.shapesN = shapes, s.pointsN
	if len(shapes) == 0 {
		s.shapesIn = nil
	}
	s.applyPointShapes()
}

// applyPointShapes maps s.shapesIn to s.pointShape (sorted points), or
// drops them when they were set for another number of points.
func (s *scene) applyPointShapes() {
	s.pointShape, s.hasDiamond = nil, false
	if s.shapesIn == nil || s.shapesN != s.pointsN {
		s.shapesIn = nil
		return
	}
	sh := make([]PointShape, len(s.pointIdx))
	for k, i := range s.pointIdx {
		if int(i) < len(s.shapesIn) && s.shapesIn[i] == PointDiamond {
			sh[k] = PointDiamond
			s.hasDiamond = true
		}
	}
	if s.hasDiamond {
		s.pointShape = sh
	}
}

// newDiamondMasks returns the masks of a PointDiamond whose half-diagonal
// is half (device pixels) with an outline of the given width, in the
// layout of newDiscMasks (4×4 sub-pixel phases). Coverage is
// clamp(1/2 − d, 0, 1) with d the signed Euclidean distance from the pixel
// centre to the diamond (negative inside), as for the discs (where d is
// the distance to the circle); d is that of a square of half side
// half/√2 in coordinates rotated by 45° (the exact signed distance of a
// box, I. Quilez, "2D distance functions",
// https://iquilezles.org/articles/distfunctions2d/).
func newDiamondMasks(half, outline float64) *discMasks {
	if !(half > 0) || half > 1024 {
		return nil
	}
	s := half / math.Sqrt2 // half side of the square
	outline = max(0, min(outline, s))
	r1 := int(math.Ceil(half)) + 1
	d := &discMasks{r1: r1, n: 2*r1 + 1, rad: half}
	sd := func(x, y float64) float64 {
		u, v := math.Abs(x+y)/math.Sqrt2-s, math.Abs(x-y)/math.Sqrt2-s
		return math.Hypot(max(u, 0), max(v, 0)) + min(max(u, v), 0)
	}
	for py := 0; py < 4; py++ {
		for px := 0; px < 4; px++ {
			cx := float64(r1) + (float64(px)+0.5)/4
			cy := float64(r1) + (float64(py)+0.5)/4
			o := make([]uint8, d.n*d.n)
			f := make([]uint8, d.n*d.n)
			for y := 0; y < d.n; y++ {
				for x := 0; x < d.n; x++ {
					dist := sd(float64(x)+0.5-cx, float64(y)+0.5-cy)
					o[y*d.n+x] = uint8(255*clamp01(0.5-dist) + 0.5)
					if s > outline {
						f[y*d.n+x] = uint8(255*clamp01(0.5-outline-dist) + 0.5)
					}
				}
			}
			d.outer[py*4+px] = o
			d.fill[py*4+px] = f
		}
	}
	return d
}
