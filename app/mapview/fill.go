package mapview

import (
	"encoding/binary"
	"image"
	"image/draw"

	"github.com/paulmach/orb"
)

// transformArea appends the rings of area i, transformed to device pixels and
// simplified, to w.xy and w.rings (see appendPath).
func (w *worker) transformArea(sc *scene, i int, t xform) {
	for j := sc.areaRing[i]; j < sc.areaRing[i+1]; j++ {
		start := len(w.xy)
		r0, r1 := sc.ringStart[j], sc.ringStart[j+1]
		w.appendPath(sc.pts[r0:r1], sc.dup[r0:r1], t, true)
		if len(w.xy)-start < 6 {
			w.xy = w.xy[:start]
			w.edge = w.edge[:start/2]
			continue
		}
		w.rings = append(w.rings, int32(start))
	}
}

// appendPath transforms pts into w.xy, dropping vertices closer than
// simplifyPx to the previously kept one (an open path keeps its last
// vertex; a closed one is closed implicitly). For every kept vertex w.edge
// gets whether the segment starting there is to be stroked: false when dup
// marks it as a repeat of an earlier segment (a border shared by two areas,
// or a line given twice).
func (w *worker) appendPath(pts []orb.Point, dup []bool, t xform, closed bool) {
	const tol2 = simplifyPx * simplifyPx
	var lx, ly float64
	n := len(pts)
	kept := 0
	for k, p := range pts {
		x := p[0]*t.s + t.tx
		y := t.ty - p[1]*t.s
		if kept > 0 {
			dx, dy := x-lx, y-ly
			if dx*dx+dy*dy < tol2 && (closed || k < n-1) {
				continue
			}
		}
		w.xy = append(w.xy, float32(x), float32(y))
		w.edge = append(w.edge, !dup[k])
		lx, ly = x, y
		kept++
	}
}

// fillRings rasterizes rings r0..r1 of w.rings into rect of dst. All rings go
// into one rasterizer so holes (opposite winding) cut out.
func (w *worker) fillRings(dst *image.RGBA, rect image.Rectangle, r0, r1 int32, needClip bool, c prgba) {
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
	w.drawMask(dst, rect, c)
}

// drawMask turns the rasterizer's accumulation into an 8-bit coverage mask
// (the vectorised Src path of x/image/vector) and composites c through it
// into rect of dst.
func (w *worker) drawMask(dst *image.RGBA, rect image.Rectangle, c prgba) {
	rw, rh := rect.Dx(), rect.Dy()
	n := rw * rh
	if cap(w.maskBuf) < n {
		w.maskBuf = make([]uint8, n)
	}
	w.mask.Pix = w.maskBuf[:n]
	w.mask.Stride = rw
	w.mask.Rect = image.Rect(0, 0, rw, rh)
	w.r.DrawOp = draw.Src
	w.r.Draw(&w.mask, w.mask.Rect, image.Opaque, image.Point{})
	compositeMask(dst, rect, w.mask.Pix, rw, c)
}

// compositeMask blends premultiplied colour c through an 8-bit coverage mask
// (stride mstride) into rect of dst (source-over).
func compositeMask(dst *image.RGBA, rect image.Rectangle, mask []uint8, mstride int, c prgba) {
	packed := c.packed()
	rw := rect.Dx()
	if c.a != 255 {
		for y := 0; y < rect.Dy(); y++ {
			mrow := mask[y*mstride : y*mstride+rw]
			off := dst.PixOffset(rect.Min.X, rect.Min.Y+y)
			drow := dst.Pix[off : off+4*rw]
			for x, m := range mrow {
				if m != 0 {
					d := drow[4*x : 4*x+4 : 4*x+4]
					binary.LittleEndian.PutUint32(d, over(binary.LittleEndian.Uint32(d), scale4(packed, uint32(m))))
				}
			}
		}
		return
	}
	// Opaque colour: full coverage is a store, partial a single-pass lerp.
	for y := 0; y < rect.Dy(); y++ {
		mrow := mask[y*mstride : y*mstride+rw]
		off := dst.PixOffset(rect.Min.X, rect.Min.Y+y)
		drow := dst.Pix[off : off+4*rw]
		x := 0
		for x < rw {
			// Eight mask bytes at a time: skip empty runs, store solid runs.
			if x+8 <= rw {
				v := binary.LittleEndian.Uint64(mrow[x : x+8])
				if v == 0 {
					x += 8
					continue
				}
				if v == ^uint64(0) {
					d := drow[4*x : 4*x+32 : 4*x+32]
					for k := 0; k < 32; k += 4 {
						binary.LittleEndian.PutUint32(d[k:k+4], packed)
					}
					x += 8
					continue
				}
			}
			end := min(x+8, rw)
			for ; x < end; x++ {
				m := mrow[x]
				if m == 0 {
					continue
				}
				d := drow[4*x : 4*x+4 : 4*x+4]
				if m == 255 {
					binary.LittleEndian.PutUint32(d, packed)
				} else {
					binary.LittleEndian.PutUint32(d, lerp4(binary.LittleEndian.Uint32(d), packed, uint32(m)))
				}
			}
		}
	}
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
