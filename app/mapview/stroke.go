package mapview

import (
	"encoding/binary"
	"image"
	"math"
)

// clipSegment clips a segment to a rectangle (Liang-Barsky). ok is false
// when nothing is left.
func clipSegment(ax, ay, bx, by, x0, y0, x1, y1 float64) (float64, float64, float64, float64, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := bx-ax, by-ay
	for _, e := range [4][2]float64{{-dx, ax - x0}, {dx, x1 - ax}, {-dy, ay - y0}, {dy, y1 - ay}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return 0, 0, 0, 0, false
			}
			t0 = max(t0, r)
		} else {
			if r < t0 {
				return 0, 0, 0, 0, false
			}
			t1 = min(t1, r)
		}
	}
	return ax + t0*dx, ay + t0*dy, ax + t1*dx, ay + t1*dy, true
}

// hairRing draws the closed ring's flagged segments as anti-aliased
// hairlines of the given width (<= hairlineMaxPx device pixels).
func (w *worker) hairRing(dst *image.RGBA, clip image.Rectangle, ring []float32, edge []bool, c *blendLUT, width float64) {
	n := len(ring)
	if n < 4 {
		return
	}
	w.hp = w.hp[:0]
	for q := 0; q < n; q += 2 {
		if !edge[q/2] {
			continue
		}
		e := (q + 2) % n
		w.hairPlots(clip, float64(ring[q]), float64(ring[q+1]), float64(ring[e]), float64(ring[e+1]), width)
	}
	for _, p := range w.hp {
		off := dst.PixOffset(int(p.x), int(p.y))
		c.blend(dst.Pix[off:off+4:off+4], uint32(p.a))
	}
}

// hairPlot is one pixel of a hairline and its coverage (0..255).
type hairPlot struct {
	x, y int32
	a    uint8
}

// hairPlots appends to w.hp the pixels inside clip of an anti-aliased line
// of width <= ~1.5 px (Wu-style: along the major axis every pixel column/row
// gets ink width*length spread over the two nearest pixels). The segment
// covers pixel centres in [a, b) along the major axis so that joined
// segments do not draw their shared vertex twice.
func (w *worker) hairPlots(clip image.Rectangle, ax, ay, bx, by float64, width float64) {
	x0, y0, x1, y1 := float64(clip.Min.X)-1, float64(clip.Min.Y)-1, float64(clip.Max.X)+1, float64(clip.Max.Y)+1
	if max(ay, by) < y0 || min(ay, by) > y1 || max(ax, bx) < x0 || min(ax, bx) > x1 {
		return
	}
	if !(ax >= x0 && ax <= x1 && bx >= x0 && bx <= x1 && ay >= y0 && ay <= y1 && by >= y0 && by <= y1) {
		var ok bool
		if ax, ay, bx, by, ok = clipSegment(ax, ay, bx, by, x0, y0, x1, y1); !ok {
			return
		}
	}
	dx, dy := bx-ax, by-ay
	steep := math.Abs(dy) > math.Abs(dx)
	if steep {
		ax, ay, bx, by, dx, dy = ay, ax, by, bx, dy, dx
	}
	if dx == 0 {
		return
	}
	if ax > bx {
		ax, ay, bx, by = bx, by, ax, ay
		dx, dy = -dx, -dy
	}
	slope := dy / dx
	ink := min(width*math.Sqrt(1+slope*slope), 1) * 255
	// Major-axis range of the clip rectangle.
	lo, hi := clip.Min.X, clip.Max.X
	mlo, mhi := clip.Min.Y, clip.Max.Y
	if steep {
		lo, hi, mlo, mhi = clip.Min.Y, clip.Max.Y, clip.Min.X, clip.Max.X
	}
	i0 := max(int(math.Ceil(ax-0.5)), lo)
	i1 := min(int(math.Ceil(bx-0.5)), hi)
	for i := i0; i < i1; i++ {
		yy := ay + (float64(i)+0.5-ax)*slope - 0.5
		r := math.Floor(yy)
		f := yy - r
		ri := int(r)
		a0 := uint8(min(ink*(1-f)+0.5, 255))
		a1 := uint8(min(ink*f+0.5, 255))
		if ri >= mlo && ri < mhi && a0 > 0 {
			w.hp = append(w.hp, plotAt(i, ri, steep, a0))
		}
		if ri+1 >= mlo && ri+1 < mhi && a1 > 0 {
			w.hp = append(w.hp, plotAt(i, ri+1, steep, a1))
		}
	}
}

func plotAt(major, minor int, steep bool, a uint8) hairPlot {
	if steep {
		return hairPlot{x: int32(minor), y: int32(major), a: a}
	}
	return hairPlot{x: int32(major), y: int32(minor), a: a}
}

// The stroke coverage buffer: strokes of one layer (overlay lines, or area
// borders wider than a hairline) are plotted into a per-strip 8-bit buffer
// as the maximum of the coverages of their segments, then composited once.
// Taking the maximum makes a path the union of its segments (each extended
// by the half width, or round-capped when wide), so joins are filled and
// nothing is blended twice where segments or lines overlap; the cost is
// slightly light anti-aliased edges exactly at joins. (One quad per segment
// in x/image/vector, rasterized per 32-px tile so that overlaps are not
// blended twice, measured no faster for 1.5 px state borders.)

// strokeBegin prepares the coverage buffer for the strip clip.
func (w *worker) strokeBegin(clip image.Rectangle) {
	n := clip.Dx() * clip.Dy()
	if cap(w.cov) < n {
		w.cov = make([]uint8, n) // zeroed; strokeEnd clears what it used
	}
	w.cov = w.cov[:n]
	w.covClip = clip
	h := clip.Dy()
	if cap(w.spanX0) < h {
		w.spanX0 = make([]int32, h)
		w.spanX1 = make([]int32, h)
	}
	w.spanX0, w.spanX1 = w.spanX0[:h], w.spanX1[:h]
	for i := range w.spanX0 {
		w.spanX0[i], w.spanX1[i] = math.MaxInt32, math.MinInt32
	}
}

// strokePath plots the flagged segments of a path (device pixels, x/y
// pairs) with half width hw into the coverage buffer.
func (w *worker) strokePath(xy []float32, edge []bool, closed bool, hw float64) {
	n := len(xy) / 2
	if n < 2 || hw <= 0 {
		return
	}
	segs := n - 1
	if closed {
		segs = n
	}
	for s := 0; s < segs; s++ {
		if !edge[s] {
			continue
		}
		e := (s + 1) % n
		ax, ay, bx, by := float64(xy[2*s]), float64(xy[2*s+1]), float64(xy[2*e]), float64(xy[2*e+1])
		if hw <= thinLineMaxHW {
			w.thinLine(ax, ay, bx, by, hw)
		} else {
			w.capsule(ax, ay, bx, by, hw)
		}
	}
}

// thinLineMaxHW: strokes up to this half width (device pixels) are plotted
// column by column (thinLine); wider ones as exact capsules.
const thinLineMaxHW = 1.5

// clipStroke clips the segment a-b to the coverage buffer's clip rectangle
// grown by the stroke's reach R (device pixels); ok is false when nothing of
// the stroke can touch the buffer.
func (w *worker) clipStroke(ax, ay, bx, by, R float64) (float64, float64, float64, float64, bool) {
	clip := w.covClip
	cx0, cy0 := float64(clip.Min.X)-R-1, float64(clip.Min.Y)-R-1
	cx1, cy1 := float64(clip.Max.X)+R+1, float64(clip.Max.Y)+R+1
	if max(ay, by) < cy0 || min(ay, by) > cy1 || max(ax, bx) < cx0 || min(ax, bx) > cx1 {
		return 0, 0, 0, 0, false
	}
	if ax >= cx0 && ax <= cx1 && bx >= cx0 && bx <= cx1 && ay >= cy0 && ay <= cy1 && by >= cy0 && by <= cy1 {
		return ax, ay, bx, by, true
	}
	return clipSegment(ax, ay, bx, by, cx0, cy0, cx1, cy1)
}

// thinLine plots the segment a-b with half width hw into the coverage
// buffer, stepping along the major axis: each pixel gets coverage
// hw + 0.5 - (its distance to the line), and the segment is extended by hw
// at both ends so that, with the buffer's maximum, joins are filled.
func (w *worker) thinLine(ax, ay, bx, by, hw float64) {
	clip := w.covClip
	R := hw + 0.5
	var ok bool
	if ax, ay, bx, by, ok = w.clipStroke(ax, ay, bx, by, R); !ok {
		return
	}
	dx, dy := bx-ax, by-ay
	steep := math.Abs(dy) > math.Abs(dx)
	if steep {
		ax, ay, bx, by, dx, dy = ay, ax, by, bx, dy, dx
	}
	if ax > bx {
		ax, ay, bx, by = bx, by, ax, ay
		dx, dy = -dx, -dy
	}
	slope := 0.0
	if dx != 0 {
		slope = dy / dx
	}
	cos := 1 / math.Sqrt(1+slope*slope) // distance = minor offset * cos
	span := R / cos                     // minor half-extent of the stroke
	lo, hi := clip.Min.X, clip.Max.X
	mlo, mhi := clip.Min.Y, clip.Max.Y
	if steep {
		lo, hi, mlo, mhi = clip.Min.Y, clip.Max.Y, clip.Min.X, clip.Max.X
	}
	i0 := max(int(math.Ceil(ax-hw-0.5)), lo)
	i1 := min(int(math.Ceil(bx+hw-0.5)), hi)
	stride := clip.Dx()
	for i := i0; i < i1; i++ {
		c := ay + (float64(i)+0.5-ax)*slope // minor coordinate of the line
		j0 := max(int(math.Ceil(c-span-0.5)), mlo)
		j1 := min(int(math.Floor(c+span-0.5))+1, mhi)
		for j := j0; j < j1; j++ {
			cov := R - math.Abs(float64(j)+0.5-c)*cos
			if cov <= 0 {
				continue
			}
			v := uint8(255)
			if cov < 1 {
				v = uint8(cov*255 + 0.5)
			}
			x, y := i, j
			if steep {
				x, y = j, i
			}
			k := (y-clip.Min.Y)*stride + x - clip.Min.X
			if v > w.cov[k] {
				w.cov[k] = v
			}
			r := y - clip.Min.Y
			w.spanX0[r] = min(w.spanX0[r], int32(x))
			w.spanX1[r] = max(w.spanX1[r], int32(x+1))
		}
	}
}

// capsule plots the segment a-b with half width hw and round caps: every
// pixel gets coverage hw + 0.5 - (distance from its centre to the segment),
// clamped to [0, 1].
func (w *worker) capsule(ax, ay, bx, by, hw float64) {
	clip := w.covClip
	R := hw + 0.5
	var ok bool
	if ax, ay, bx, by, ok = w.clipStroke(ax, ay, bx, by, R); !ok {
		return
	}
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	l := math.Sqrt(l2)
	var nx, ny float64 // unit normal
	if l > 1e-9 {
		nx, ny = -dy/l, dx/l
	}
	bx0, bx1 := min(ax, bx)-R, max(ax, bx)+R
	j0 := max(int(math.Floor(min(ay, by)-R)), clip.Min.Y)
	j1 := min(int(math.Ceil(max(ay, by)+R)), clip.Max.Y)
	stride := clip.Dx()
	for j := j0; j < j1; j++ {
		yc := float64(j) + 0.5
		xl, xr := bx0, bx1
		if math.Abs(nx) > 1e-6 {
			// Within distance R of the infinite line: |n·(p-a)| <= R.
			c := ny * (yc - ay)
			s0, s1 := ax+(-R-c)/nx, ax+(R-c)/nx
			if s0 > s1 {
				s0, s1 = s1, s0
			}
			xl, xr = max(xl, s0), min(xr, s1)
		}
		i0 := max(int(math.Ceil(xl-0.5)), clip.Min.X)
		i1 := min(int(math.Floor(xr-0.5))+1, clip.Max.X)
		if i0 >= i1 {
			continue
		}
		row := w.cov[(j-clip.Min.Y)*stride-clip.Min.X:]
		touched := false
		py := yc - ay
		for i := i0; i < i1; i++ {
			px := float64(i) + 0.5 - ax
			// Distance to the segment: to the line beside it, to an end
			// point beyond it.
			var d float64
			switch proj := px*dx + py*dy; {
			case proj <= 0:
				d = math.Sqrt(px*px + py*py)
			case proj >= l2:
				ex, ey := px-dx, py-dy
				d = math.Sqrt(ex*ex + ey*ey)
			default:
				d = math.Abs(px*nx + py*ny)
			}
			c := R - d
			if c <= 0 {
				continue
			}
			v := uint8(255)
			if c < 1 {
				v = uint8(c*255 + 0.5)
			}
			if v > row[i] {
				row[i] = v
			}
			touched = true
		}
		if touched {
			k := j - clip.Min.Y
			w.spanX0[k] = min(w.spanX0[k], int32(i0))
			w.spanX1[k] = max(w.spanX1[k], int32(i1))
		}
	}
}

// strokeEnd composites the coverage buffer into dst with colour lut and
// clears it.
func (w *worker) strokeEnd(dst *image.RGBA, lut *blendLUT) {
	clip := w.covClip
	stride := clip.Dx()
	solid := lut.src[255]
	opaque := solid>>24 == 255
	for k := range w.spanX0 {
		x0, x1 := int(w.spanX0[k]), int(w.spanX1[k])
		if x0 >= x1 {
			continue
		}
		y := clip.Min.Y + k
		row := w.cov[k*stride-clip.Min.X:]
		off := dst.PixOffset(x0, y)
		for x := x0; x < x1; x, off = x+1, off+4 {
			v := row[x]
			if v == 0 {
				continue
			}
			row[x] = 0
			d := dst.Pix[off : off+4 : off+4]
			if v == 255 && opaque {
				binary.LittleEndian.PutUint32(d, solid)
			} else {
				lut.blend(d, uint32(v))
			}
		}
	}
}
