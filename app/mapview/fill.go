package mapview

import (
	"encoding/binary"
	"image"
	"image/draw"
	"slices"
)

// transformArea appends the rings of area i, simplified for the zoom level
// and transformed to device pixels, to w.xy, w.edge and w.rings.
func (w *worker) transformArea(job *renderJob, i int) {
	it := job.areaLevel.get(&job.sc.area, i, &w.simp)
	t := job.xf
	prev := int32(0)
	for _, end := range it.ends {
		w.rings = append(w.rings, int32(len(w.xy)))
		for k := prev; k < end; k++ {
			p := it.pts[k]
			w.xy = append(w.xy, float32(p[0]*t.s+t.tx), float32(t.ty-p[1]*t.s))
		}
		w.edge = append(w.edge, it.edge[prev:end]...)
		prev = end
	}
}

// appendItem appends the rings of a simplified area, transformed by t, to
// w.xy, and their ends to w.tmpRings. (Their edge flags are it.edge: vertex
// k of the item is w.xy[start+2k:] with start the length of w.xy before.)
func (w *worker) appendItem(it *simpItem, t xform) {
	n := len(w.xy)
	w.xy = slices.Grow(w.xy, 2*len(it.pts))[:n+2*len(it.pts)]
	xy := w.xy[n:]
	for k, p := range it.pts {
		d := xy[2*k : 2*k+2 : 2*k+2]
		d[0], d[1] = float32(p[0]*t.s+t.tx), float32(t.ty-p[1]*t.s)
	}
	for _, end := range it.ends {
		w.tmpRings = append(w.tmpRings, int32(n+2*int(end)))
	}
}

// rasterRings rasterizes rings r0..r1 of w.rings over rect into the
// coverage mask w.mask (rect.Dx() × rect.Dy(), stride rect.Dx()) and its
// row extents w.maskRows. All rings go into one rasterizer so holes
// (opposite winding) cut out. needClip clips the rings to rect first (see
// clipMarginPx). rect is at most maxMaskWidth wide.
func (w *worker) rasterRings(rect image.Rectangle, r0, r1 int32, needClip bool) {
	rw, rh := rect.Dx(), rect.Dy()
	w.r.Reset(rw, rh)
	ox, oy := float32(rect.Min.X), float32(rect.Min.Y)
	for k := r0; k < r1; k++ {
		end := int32(len(w.xy))
		if k+1 < int32(len(w.rings)) {
			end = w.rings[k+1]
		}
		ring := w.xy[w.rings[k]:end]
		if needClip {
			ring = w.clipPolygon(ring, ox-1, oy-1, ox+float32(rw)+1, oy+float32(rh)+1)
			if len(ring) < 6 {
				continue
			}
		}
		w.r.MoveTo(ring[0]-ox, ring[1]-oy)
		for q := 2; q < len(ring); q += 2 {
			w.r.LineTo(ring[q]-ox, ring[q+1]-oy)
		}
		w.r.ClosePath()
	}
	n := rw * rh
	if cap(w.maskBuf) < n {
		w.maskBuf = make([]uint8, n)
	}
	if cap(w.maskRows) < rh {
		w.maskRows = make([]maskRow, rh)
	}
	w.maskRows = w.maskRows[:rh]
	w.mask = w.maskBuf[:n]
	w.alpha.Pix, w.alpha.Stride, w.alpha.Rect = w.mask, rw, image.Rect(0, 0, rw, rh)
	w.r.DrawOp = draw.Src
	w.r.Draw(&w.alpha, w.alpha.Rect, image.Opaque, image.Point{})
	if rw > measureMinWidth {
		measureRows(w.mask, rw, rh, w.maskRows)
	} else {
		for y := range w.maskRows {
			w.maskRows[y] = maskRow{b: uint16(rw)}
		}
	}
}

// compositeRows blends premultiplied colour c (with blend table lut) through
// a w-wide mask with row extents rows, placed at (mx, my) in dst, into rows
// y0..y1-1 of dst (source-over). The mask lies within dst's columns.
func compositeRows(dst *image.RGBA, pix []uint8, w int, rows []maskRow, mx, my, y0, y1 int, c prgba, lut *blendLUT) {
	packed := c.packed()
	if c.a != 255 {
		compositeRowsAlpha(dst, pix, w, rows, mx, my, y0, y1, packed)
		return
	}
	// Partial coverage m: src[m] + d·(255−m)/255, from the table.
	src, inv := &lut.src, &lut.inv
	for y := y0; y < y1; y++ {
		r := rows[y-my]
		if r.a == r.b {
			continue
		}
		a, s, e, b := int(r.a), int(r.s), int(r.e), int(r.b)
		mrow := pix[(y-my)*w : (y-my)*w+b : (y-my)*w+b]
		off := dst.PixOffset(mx, y)
		drow := dst.Pix[off : off+4*b : off+4*b]
		// [a, s): partial coverage (or none) only.
		for x := a; x < s; x++ {
			if m := mrow[x]; m != 0 {
				d := drow[4*x : 4*x+4 : 4*x+4]
				binary.LittleEndian.PutUint32(d, src[m]+scale4(binary.LittleEndian.Uint32(d), inv[m]))
			}
		}
		for x := s; x < e; x++ {
			binary.LittleEndian.PutUint32(drow[4*x:4*x+4:4*x+4], packed)
		}
		for x := e; x < b; x++ {
			switch m := mrow[x]; m {
			case 0:
			case 255:
				binary.LittleEndian.PutUint32(drow[4*x:4*x+4:4*x+4], packed)
			default:
				d := drow[4*x : 4*x+4 : 4*x+4]
				binary.LittleEndian.PutUint32(d, src[m]+scale4(binary.LittleEndian.Uint32(d), inv[m]))
			}
		}
	}
}

// compositeRowsAlpha is compositeRows for a translucent colour.
func compositeRowsAlpha(dst *image.RGBA, pix []uint8, w int, rows []maskRow, mx, my, y0, y1 int, packed uint32) {
	for y := y0; y < y1; y++ {
		r := rows[y-my]
		a, b := int(r.a), int(r.b)
		mrow := pix[(y-my)*w : (y-my)*w+b : (y-my)*w+b]
		off := dst.PixOffset(mx, y)
		drow := dst.Pix[off : off+4*b : off+4*b]
		for x := a; x < b; x++ {
			if m := uint32(mrow[x]); m != 0 {
				d := drow[4*x : 4*x+4 : 4*x+4]
				binary.LittleEndian.PutUint32(d, over(binary.LittleEndian.Uint32(d), scale4(packed, m)))
			}
		}
	}
}

// compositeEntry composites the cached mask e placed at (mx, my) into the
// rows of the strip clip (see compositeRows).
func compositeEntry(dst *image.RGBA, e *maskEntry, mx, my int, clip image.Rectangle, c prgba, lut *blendLUT) {
	compositeRows(dst, e.pix, e.w, e.rows, mx, my, max(my, clip.Min.Y), min(my+e.h, clip.Max.Y), c, lut)
}

// addEntry adds (saturating) a cached mask placed at (mx, my) to the rows
// of the buffer (see addMask).
func (c *covBuf) addEntry(e *maskEntry, mx, my int) {
	y0, y1 := max(my, c.clip.Min.Y), min(my+e.h, c.clip.Max.Y)
	if y0 >= y1 {
		return
	}
	off := (y0 - my) * e.w
	c.addMask(image.Rect(mx, y0, mx+e.w, y1), e.pix[off:], e.w)
}

// clipPolygon clips a closed polygon (x, y pairs) to a rectangle with the
// Sutherland-Hodgman algorithm. The result may contain degenerate edges along
// the rectangle's sides; they lie just outside the area drawn (the rectangle
// is one pixel larger) and add no coverage inside it.
func (w *worker) clipPolygon(in []float32, x0, y0, x1, y1 float32) []float32 {
	a := append(w.clipA[:0], in...)
	b := w.clipB[:0]
	for edge := 0; edge < 4 && len(a) >= 6; edge++ {
		b = b[:0]
		inside := func(x, y float32) bool {
			switch edge {
			case 0:
				return x >= x0
			case 1:
				return x <= x1
			case 2:
				return y >= y0
			default:
				return y <= y1
			}
		}
		isect := func(ax, ay, bx, by float32) (float32, float32) {
			var t float32
			switch edge {
			case 0:
				t = (x0 - ax) / (bx - ax)
				return x0, ay + t*(by-ay)
			case 1:
				t = (x1 - ax) / (bx - ax)
				return x1, ay + t*(by-ay)
			case 2:
				t = (y0 - ay) / (by - ay)
				return ax + t*(bx-ax), y0
			default:
				t = (y1 - ay) / (by - ay)
				return ax + t*(bx-ax), y1
			}
		}
		n := len(a)
		px, py := a[n-2], a[n-1]
		pin := inside(px, py)
		for q := 0; q < n; q += 2 {
			cx, cy := a[q], a[q+1]
			cin := inside(cx, cy)
			if cin {
				if !pin {
					ix, iy := isect(px, py, cx, cy)
					b = append(b, ix, iy)
				}
				b = append(b, cx, cy)
			} else if pin {
				ix, iy := isect(px, py, cx, cy)
				b = append(b, ix, iy)
			}
			px, py, pin = cx, cy, cin
		}
		a, b = b, a
	}
	w.clipA, w.clipB = a, b
	return a
}

// fillLUT returns the blend table of an area fill colour, from the
// worker's tables (kept across renders, at most 256).
func (w *worker) fillLUT(c prgba) *blendLUT {
	if c == w.lastFill && w.lastLUT != nil {
		return w.lastLUT
	}
	l := w.luts[c]
	if l == nil {
		if w.luts == nil || len(w.luts) >= 256 {
			w.luts = make(map[prgba]*blendLUT)
		}
		l = newBlendLUT(c)
		w.luts[c] = l
	}
	w.lastFill, w.lastLUT = c, l
	return l
}
