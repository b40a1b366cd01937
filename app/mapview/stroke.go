package mapview

import (
	"encoding/binary"
	"image"
	"math"
	"math/bits"
	"slices"
	"unsafe"
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
// hairlines of the given width (<= hairlineMaxPx device pixels), clipped to
// clip.
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
		e := q + 2
		if e >= n {
			e = 0
		}
		w.hairPlots(clip, float64(ring[q]), float64(ring[q+1]), float64(ring[e]), float64(ring[e+1]), width, false)
	}
	base := dst.PixOffset(clip.Min.X, clip.Min.Y)
	for _, p := range w.hp {
		off := base + int(p>>40)*dst.Stride + 4*int(p>>8&0xffffffff)
		c.blend(dst.Pix[off:off+4:off+4], uint32(p&0xff))
	}
}

// hairPlots appends to w.hp the pixels inside frame of an anti-aliased line
// of width <= ~1.5 px (Wu-style: along the major axis every pixel column/row
// gets ink width*length spread over the two nearest pixels), each packed as
// row<<40 | column<<8 | coverage with row and column relative to
// frame.Min. The segment covers pixel centres in [a, b) along the major
// axis so that joined segments do not draw their shared vertex twice.
// inside tells that the segment lies within frame (no clipping needed).
func (w *worker) hairPlots(frame image.Rectangle, ax, ay, bx, by float64, width float64, inside bool) {
	if !inside {
		x0, y0, x1, y1 := float64(frame.Min.X)-1, float64(frame.Min.Y)-1, float64(frame.Max.X)+1, float64(frame.Max.Y)+1
		if max(ay, by) < y0 || min(ay, by) > y1 || max(ax, bx) < x0 || min(ax, bx) > x1 {
			return
		}
		if !(ax >= x0 && ax <= x1 && bx >= x0 && bx <= x1 && ay >= y0 && ay <= y1 && by >= y0 && by <= y1) {
			var ok bool
			if ax, ay, bx, by, ok = clipSegment(ax, ay, bx, by, x0, y0, x1, y1); !ok {
				return
			}
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
	ink := width * 255 * math.Sqrt(1+slope*slope)
	ink = min(ink, 255)
	// Major-axis range of the frame, and the place values of a (major,
	// minor) pixel in a plot.
	lo, hi := frame.Min.X, frame.Max.X
	mlo, mhi := frame.Min.Y, frame.Max.Y
	var majUnit, minUnit uint64 = 1 << 8, 1 << 40
	if steep {
		lo, hi, mlo, mhi = frame.Min.Y, frame.Max.Y, frame.Min.X, frame.Max.X
		majUnit, minUnit = 1<<40, 1<<8
	}
	const off = 1 << 40         // floor by truncation of positive values
	i0 := int(ax-0.5+off) - off // ceil(ax-0.5)
	if float64(i0) < ax-0.5 {
		i0++
	}
	i1 := int(bx-0.5+off) - off // ceil(bx-0.5)
	if float64(i1) < bx-0.5 {
		i1++
	}
	i0, i1 = max(i0, lo), min(i1, hi)
	if i0 >= i1 {
		return
	}
	n := len(w.hp)
	if cap(w.hp)-n < 2*(i1-i0) {
		w.hp = slices.Grow(w.hp, 2*(i1-i0))
	}
	yy := ay + (float64(i0)+0.5-ax)*slope - 0.5
	n = wuPlots(w.hp[:n+2*(i1-i0)], n, i1-i0, yy, slope, ink, uint64(i0-lo)*majUnit, majUnit, minUnit, mlo, uint(mhi-mlo))
	w.hp = w.hp[:n]
}

// Pairs of hairline pixels (see hairPairs): bits 0-7 hold the coverage of
// the first pixel, 8-15 that of the second, 16-39 the first pixel's column
// and 40-62 its row (frame coordinates); bit 63 (pairSteep) tells that the
// second pixel is right of the first, else it is below it.
const (
	pairColShift = 16
	pairColMask  = 1<<24 - 1
	pairRowShift = 40
	pairRowMask  = 1<<23 - 1
	pairSteep    = 1 << 63
	// maxPairFrame bounds the frames whose border is kept as pairs
	// (columns and rows must fit the fields).
	maxPairFrame = pairRowMask
)

// pairPlot packs a pair of hairline pixels: the first at (row, col) with
// coverage a0, the second right of it (steep) or below it with coverage a1.
func pairPlot(row, col int, a0, a1 uint8, steep bool) uint64 {
	p := uint64(row)<<pairRowShift | uint64(col)<<pairColShift | uint64(a1)<<8 | uint64(a0)
	if steep {
		p |= pairSteep
	}
	return p
}

// hairPairs appends to w.hp the pixels of the hairline a-b, as hairPlots
// computes them for a segment inside frame, as pairs (see pairPlot): the
// two pixels of one major step, nearest the line along the minor axis,
// share one entry, which halves the entries to store and to read when they
// are blended. The segment must lie within frame shrunk by one pixel on
// every side (as an area's rings lie within its frame, see borderOf), so
// that both pixels of every step are in the frame; a step that is not (a
// coordinate that is not finite) is left out. Coverages and blending order
// are those of hairPlots: the images are the same.
func (w *worker) hairPairs(frame image.Rectangle, ax, ay, bx, by float64, width float64) {
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
	ink := width * 255 * math.Sqrt(1+slope*slope)
	ink = min(ink, 255)
	lo, hi := frame.Min.X, frame.Max.X
	mlo, mhi := frame.Min.Y, frame.Max.Y
	var majUnit, minUnit, flag uint64 = 1 << pairColShift, 1 << pairRowShift, 0
	if steep {
		lo, hi, mlo, mhi = frame.Min.Y, frame.Max.Y, frame.Min.X, frame.Max.X
		majUnit, minUnit, flag = 1<<pairRowShift, 1<<pairColShift, pairSteep
	}
	const off = 1 << 40         // floor by truncation of positive values
	i0 := int(ax-0.5+off) - off // ceil(ax-0.5)
	if float64(i0) < ax-0.5 {
		i0++
	}
	i1 := int(bx-0.5+off) - off // ceil(bx-0.5)
	if float64(i1) < bx-0.5 {
		i1++
	}
	i0, i1 = max(i0, lo), min(i1, hi)
	if i0 >= i1 || mhi-mlo < 2 {
		return
	}
	n := len(w.hp)
	if cap(w.hp)-n < i1-i0 {
		w.hp = slices.Grow(w.hp, i1-i0)
	}
	yy := ay + (float64(i0)+0.5-ax)*slope - 0.5
	n = wuPairs(w.hp[:n+i1-i0], n, i1-i0, yy, slope, ink, uint64(i0-lo)*majUnit|flag, majUnit, minUnit, mlo, uint(mhi-mlo-1))
	w.hp = w.hp[:n]
}

// wuPairs is the loop of hairPairs (see wuPlots, whose coverages it
// computes): it stores one pair per major step whose first pixel's minor
// coordinate is below lim (relative to mlo; the second is then in the
// frame too).
func wuPairs(hp []uint64, n, steps int, yy, slope, ink float64, maj, majUnit, minUnit uint64, mlo int, lim uint) int {
	const off = 1 << 40 // floor by truncation of positive values
	ink0 := uint64(int32(ink + 0.5))
	for range steps {
		ri := int(yy+off) - off
		f := yy - float64(ri)
		yy += slope
		a1 := uint64(int32(ink*f + 0.5))
		a0 := ink0 - a1
		if m := uint(ri - mlo); m < lim {
			hp[n] = maj | uint64(m)*minUnit | a1<<8 | a0
			n++
		}
		maj += majUnit
	}
	return n
}

// wuPlots is the loop of hairPlots: it stores from hp[n] on the plots of
// steps major steps, the first at major place value maj (majUnit more for
// each next one) and minor coordinate yy (slope more for each next one),
// with minor rows mlo..mlo+span-1 of the frame kept, and returns the new
// length. It is apart from hairPlots so that its loop keeps its variables
// in registers.
func wuPlots(hp []uint64, n, steps int, yy, slope, ink float64, maj, majUnit, minUnit uint64, mlo int, span uint) int {
	const off = 1 << 40 // floor by truncation of positive values
	ink0 := uint64(int32(ink + 0.5))
	for range steps {
		ri := int(yy+off) - off
		f := yy - float64(ri)
		yy += slope
		a1 := uint64(int32(ink*f + 0.5))
		a0 := ink0 - a1
		m := uint(ri - mlo)
		if m < span && a0 > 0 {
			hp[n] = maj | uint64(m)*minUnit | a0
			n++
		}
		if m+1 < span && a1 > 0 {
			hp[n] = maj | uint64(m+1)*minUnit | a1
			n++
		}
		maj += majUnit
	}
	return n
}

// The stroke coverage buffer: strokes of one layer (overlay lines, or area
// borders wider than a hairline) are plotted into a per-strip 8-bit buffer
// as the maximum of the coverages of their segments, then composited once.
// Taking the maximum makes a path the union of its segments (each extended
// by the half width, or round-capped when wide), so joins are filled and
// nothing is blended twice where segments or lines overlap; the cost is
// slightly light anti-aliased edges exactly at joins.

// covBlock is the width (pixels) of the blocks whose use a coverage buffer
// tracks, so that compositing visits only blocks that were drawn in.
const covBlock = 32

// covBuf is a coverage buffer: 8-bit coverage over the rectangle clip (in
// image coordinates), with, per row, a bit set for each block of covBlock
// columns drawn in. Buffers are kept zeroed between uses: end and clearAll
// clear what was drawn.
type covBuf struct {
	pix  []uint8
	clip image.Rectangle
	wpr  int      // words of bits per row
	bits []uint64 // row r's blocks are bits of bits[r*wpr : (r+1)*wpr]
}

// begin prepares the buffer for clip.
func (c *covBuf) begin(clip image.Rectangle) {
	n := clip.Dx() * clip.Dy()
	if cap(c.pix) < n {
		c.pix = make([]uint8, n) // zeroed; end clears what it used
	}
	c.pix = c.pix[:n]
	c.clip = clip
	c.wpr = ((clip.Dx()+covBlock-1)/covBlock + 63) / 64
	nb := c.wpr * clip.Dy()
	if cap(c.bits) < nb {
		c.bits = make([]uint64, nb)
	}
	c.bits = c.bits[:nb]
	clear(c.bits)
}

// mark records that columns [x0, x1) of row r (relative to the clip) were
// drawn in.
func (c *covBuf) mark(r, x0, x1 int) {
	if x0 >= x1 {
		return
	}
	b0, b1 := x0/covBlock, (x1-1)/covBlock
	if b0 == b1 {
		c.bits[r*c.wpr+(b0>>6)] |= 1 << (b0 & 63)
		return
	}
	row := c.bits[r*c.wpr : (r+1)*c.wpr]
	for b := b0; b <= b1; b++ {
		row[b>>6] |= 1 << (b & 63)
	}
}

// strokePath plots the flagged segments of a path (device pixels, x/y
// pairs; edge nil: all segments) with half width hw into the coverage
// buffer.
func (c *covBuf) strokePath(xy []float32, edge []bool, closed bool, hw float64) {
	n := len(xy) / 2
	if n < 2 || hw <= 0 {
		return
	}
	segs := n - 1
	if closed {
		segs = n
	}
	// Rows beyond which a segment's stroke cannot reach the buffer (those
	// of clipStroke for the reach hw + 0.5 of thinLine and capsule), so
	// that the many segments of a chunk that lie above or below the strip
	// are left out here, before two calls: the test is the first one
	// clipStroke makes, on the same values.
	reach := hw + 0.5
	ylo, yhi := float64(c.clip.Min.Y)-reach-1, float64(c.clip.Max.Y)+reach+1
	for s := 0; s < segs; s++ {
		if edge != nil && !edge[s] {
			continue
		}
		e := s + 1
		if e == n {
			e = 0
		}
		if y0, y1 := float64(xy[2*s+1]), float64(xy[2*e+1]); max(y0, y1) < ylo || min(y0, y1) > yhi {
			continue
		}
		ax, ay, bx, by := float64(xy[2*s]), float64(xy[2*s+1]), float64(xy[2*e]), float64(xy[2*e+1])
		if hw <= thinLineMaxHW {
			c.thinLine(ax, ay, bx, by, hw)
		} else {
			c.capsule(ax, ay, bx, by, hw)
		}
	}
}

// thinLineMaxHW: strokes up to this half width (device pixels) are plotted
// column by column (thinLine); wider ones as exact capsules.
const thinLineMaxHW = 1.5

// clipStroke clips the segment a-b to the coverage buffer's clip rectangle
// grown by the stroke's reach R (device pixels); ok is false when nothing of
// the stroke can touch the buffer.
func (c *covBuf) clipStroke(ax, ay, bx, by, R float64) (float64, float64, float64, float64, bool) {
	clip := c.clip
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
// buffer, stepping along the major axis (X. Wu, "An efficient antialiasing
// technique", SIGGRAPH 1991, widened): in each column (or row, for steep
// segments) the stroke covers the interval of half length hw·√(1+slope²)
// around the line along the minor axis, and each pixel gets the part of it
// that it overlaps. The segment is extended by hw at both ends so that,
// with the buffer's maximum, joins are filled.
func (c *covBuf) thinLine(ax, ay, bx, by, hw float64) {
	clip := c.clip
	var ok bool
	if ax, ay, bx, by, ok = c.clipStroke(ax, ay, bx, by, hw+0.5); !ok {
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
	half := hw * math.Sqrt(1+slope*slope) // minor half-extent of the stroke
	lo, hi := clip.Min.X, clip.Max.X
	mlo, mhi := clip.Min.Y, clip.Max.Y
	if steep {
		lo, hi, mlo, mhi = clip.Min.Y, clip.Max.Y, clip.Min.X, clip.Max.X
	}
	const off = 1 << 40                // floor by truncation of positive values
	i0 := int(ax-hw-0.5+off) - off + 1 // ceil, but for exact integers
	i1 := int(bx+hw-0.5+off) - off + 1
	i0, i1 = max(i0, lo), min(i1, hi)
	if i0 >= i1 {
		return
	}
	stride := clip.Dx()
	m := ay + (float64(i0)+0.5-ax)*slope // minor coordinate of the line
	// Per major step i the stroke covers [m-half, m+half) on the minor
	// axis: pixels jl..jh get the part of it they overlap. Pixel (i, j) is
	// c.pix[k + j*step] with k, step depending on the orientation.
	var k0, kstep, step int
	if steep {
		k0, kstep, step = (i0-clip.Min.Y)*stride-clip.Min.X, stride, 1
	} else {
		k0, kstep, step = -clip.Min.Y*stride+i0-clip.Min.X, 1, stride
	}
	pix := c.pix
	jlo, jhi := mhi, mlo
	for i, k := i0, k0; i < i1; i, k, m = i+1, k+kstep, m+slope {
		l, h := m-half, m+half
		jl, jh := int(l+off)-off, int(h+off)-off // pixels holding the ends
		if jl == jh {
			if jl >= mlo && jl < mhi {
				if v := covByte(h - l); v > pix[k+jl*step] {
					pix[k+jl*step] = v
				}
			}
		} else {
			if jl >= mlo && jl < mhi {
				if v := covByte(float64(jl+1) - l); v > pix[k+jl*step] {
					pix[k+jl*step] = v
				}
			}
			for j := max(jl+1, mlo); j < min(jh, mhi); j++ {
				pix[k+j*step] = 255
			}
			if jh >= mlo && jh < mhi {
				if v := covByte(h - float64(jh)); v > pix[k+jh*step] {
					pix[k+jh*step] = v
				}
			}
		}
		j0, j1 := max(jl, mlo), min(jh+1, mhi)
		if steep {
			// c.mark(i-clip.Min.Y, j0-clip.Min.X, j1-clip.Min.X), with
			// its usual case (the columns in one block) in line.
			if x0, x1 := j0-clip.Min.X, j1-clip.Min.X; x0 < x1 {
				if b0, b1 := uint(x0)/covBlock, uint(x1-1)/covBlock; b0 == b1 {
					c.bits[(i-clip.Min.Y)*c.wpr+int(b0>>6)] |= 1 << (b0 & 63)
				} else {
					c.mark(i-clip.Min.Y, x0, x1)
				}
			}
		} else {
			jlo, jhi = min(jlo, j0), max(jhi, j1)
		}
	}
	if !steep {
		for j := jlo; j < jhi; j++ {
			c.mark(j-clip.Min.Y, i0-clip.Min.X, i1-clip.Min.X)
		}
	}
}

// covByte converts a coverage in [0, 1] (clamped) to 0..255, rounded.
func covByte(cov float64) uint8 {
	if cov >= 1 {
		return 255
	}
	if cov <= 0 {
		return 0
	}
	return uint8(int32(cov*255 + 0.5))
}

// capsule plots the segment a-b with half width hw and round caps: every
// pixel gets coverage hw + 0.5 - (distance from its centre to the segment),
// clamped to [0, 1].
func (c *covBuf) capsule(ax, ay, bx, by, hw float64) {
	clip := c.clip
	R := hw + 0.5
	var ok bool
	if ax, ay, bx, by, ok = c.clipStroke(ax, ay, bx, by, R); !ok {
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
			cc := ny * (yc - ay)
			s0, s1 := ax+(-R-cc)/nx, ax+(R-cc)/nx
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
		row := c.pix[(j-clip.Min.Y)*stride : (j-clip.Min.Y+1)*stride]
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
			cv := R - d
			if cv <= 0 {
				continue
			}
			v := uint8(255)
			if cv < 1 {
				v = uint8(int32(cv*255 + 0.5))
			}
			if v > row[i-clip.Min.X] {
				row[i-clip.Min.X] = v
			}
		}
		c.mark(j-clip.Min.Y, i0-clip.Min.X, i1-clip.Min.X)
	}
}

// covBlocks is the coverage of a buffer kept for later renders: the blocks
// drawn in (as covBuf.bits) and their bytes, in row and block order.
type covBlocks struct {
	bits []uint64
	data []uint8
}

// end composites the coverage buffer into dst (which must contain the
// buffer's clip) with colour lut and clears it; when keep is not nil the
// coverage is also appended to w.keepBits and w.keepData.
func (c *covBuf) end(dst *image.RGBA, lut *blendLUT, w *worker, keep bool) {
	clip := c.clip
	stride := clip.Dx()
	for r := 0; r < clip.Dy(); r++ {
		for wi := 0; wi < c.wpr; wi++ {
			word := c.bits[r*c.wpr+wi]
			if keep {
				w.keepBits = append(w.keepBits, word)
			}
			if word == 0 {
				continue
			}
			c.bits[r*c.wpr+wi] = 0
			for word != 0 {
				b := wi*64 + bits.TrailingZeros64(word)
				word &= word - 1
				x0 := b * covBlock
				x1 := min(x0+covBlock, stride)
				seg := c.pix[r*stride+x0 : r*stride+x1]
				if keep {
					w.keepData = append(w.keepData, seg...)
				}
				blendSeg(dst, clip.Min.X+x0, clip.Min.Y+r, seg, lut)
				clear(seg)
			}
		}
	}
}

// drawBlocks composites kept coverage (see end) over clip with colour lut.
func drawBlocks(dst *image.RGBA, clip image.Rectangle, kb *covBlocks, lut *blendLUT) {
	stride := clip.Dx()
	wpr := ((stride+covBlock-1)/covBlock + 63) / 64
	data := kb.data
	for r := 0; r < clip.Dy(); r++ {
		for wi := 0; wi < wpr; wi++ {
			word := kb.bits[r*wpr+wi]
			for word != 0 {
				b := wi*64 + bits.TrailingZeros64(word)
				word &= word - 1
				x0 := b * covBlock
				n := min(covBlock, stride-x0)
				blendSeg(dst, clip.Min.X+x0, clip.Min.Y+r, data[:n], lut)
				data = data[n:]
			}
		}
	}
}

// blendSeg blends colour lut with coverage seg into the pixels of dst from
// (x, y) on. Coverage is read 8 bytes at a time and only its nonzero bytes
// are visited. The slice expression of the pixels checks their bounds;
// pixels are then reached through pixAt (every index is below len(seg)),
// without a check each.
func blendSeg(dst *image.RGBA, x, y int, seg []uint8, lut *blendLUT) {
	solid := lut.src[255]
	opaque := solid>>24 == 255
	off := dst.PixOffset(x, y)
	d := dst.Pix[off : off+4*len(seg) : off+4*len(seg)]
	if len(d) == 0 {
		return
	}
	p0 := unsafe.Pointer(unsafe.SliceData(d))
	q := 0
	for ; q+8 <= len(seg); q += 8 {
		v := le64(seg[q:])
		for v != 0 {
			sh := uint(bits.TrailingZeros64(v)) &^ 7
			a := uint32(v>>sh) & 0xff
			v &^= 0xff << sh
			p := pixAt(p0, uint(4*q)+uint(sh>>1))
			if a == 255 && opaque {
				binary.LittleEndian.PutUint32(p[:], solid)
			} else {
				lut.blend(p[:], a)
			}
		}
	}
	for ; q < len(seg); q++ {
		a := uint32(seg[q])
		if a == 0 {
			continue
		}
		p := d[4*q : 4*q+4 : 4*q+4]
		if a == 255 && opaque {
			binary.LittleEndian.PutUint32(p, solid)
		} else {
			lut.blend(p, a)
		}
	}
}

// clearAll zeroes what was drawn, without compositing.
func (c *covBuf) clearAll() {
	stride := c.clip.Dx()
	for r := 0; r < c.clip.Dy(); r++ {
		for wi := 0; wi < c.wpr; wi++ {
			word := c.bits[r*c.wpr+wi]
			c.bits[r*c.wpr+wi] = 0
			for word != 0 {
				b := wi*64 + bits.TrailingZeros64(word)
				word &= word - 1
				x0 := b * covBlock
				clear(c.pix[r*stride+x0 : r*stride+min(x0+covBlock, stride)])
			}
		}
	}
}

// addMask adds (saturating) the 8-bit coverage mask of rect (stride
// mstride) to the buffer; rect must lie in the buffer's clip. Adding the
// masks of areas that share a border gives full coverage along it, where
// compositing them one after the other would leave a seam.
func (c *covBuf) addMask(rect image.Rectangle, mask []uint8, mstride int) {
	clip := c.clip
	stride := clip.Dx()
	rw := rect.Dx()
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		k := y - clip.Min.Y
		mrow := mask[(y-rect.Min.Y)*mstride : (y-rect.Min.Y)*mstride+rw]
		row := c.pix[k*stride+rect.Min.X-clip.Min.X : k*stride+rect.Max.X-clip.Min.X]
		lo, hi := -1, -1
		for x, m := range mrow {
			if m == 0 {
				continue
			}
			if lo < 0 {
				lo = x
			}
			hi = x
			row[x] = uint8(min(uint32(row[x])+uint32(m), 255))
		}
		if lo >= 0 {
			c.mark(k, rect.Min.X-clip.Min.X+lo, rect.Min.X-clip.Min.X+hi+1)
		}
	}
}
