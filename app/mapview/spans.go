package mapview

import (
	"encoding/binary"
	"image"
	"math"
	"slices"
	"unsafe"
)

// ceilInt returns ⌈v⌉ for |v| < 2^62 (truncation, then a correction; faster
// than math.Ceil without SSE4.1).
func ceilInt(v float64) int {
	c := int(v)
	if float64(c) < v {
		c++
	}
	return c
}

// Span fills. When every area is opaque and the area borders are drawn as
// hairlines (the default), areas are not rasterized with anti-aliasing:
// each area becomes, per pixel row, the runs ("spans") of pixels whose
// centre lies inside it (non-zero winding, the rule of the x/image/vector
// rasterizer for rings normalised by scene.setAreas), and a span is a plain
// run of stores of the fill colour. This is the classic scanline polygon
// fill with the top-left rule (Foley, van Dam et al., "Computer Graphics:
// Principles and Practice", 2nd ed., §3.6): a pixel belongs to an area when
// its centre (x+0.5, y+0.5) is inside, or on a left or top edge, so areas
// that share a border (the simplified rings share their vertices, see
// simplify.go) tile the plane without gap or overlap. Each edge's crossing
// is computed from its upper end whatever the ring's direction, so the two
// areas of a shared edge get bit-identical crossings.
//
// The staircase such a fill leaves along a border is covered by the
// anti-aliased hairline that is drawn over every area border (shared
// borders once, outer borders too, see scene.setAreas), so the picture is
// that of an anti-aliased fill up to small differences in the one or two
// pixels under the hairline. Translucent fills, or borders that are not
// hairlines, use the anti-aliased masks instead (see cachedMask).

// spanScratch is a worker's scratch memory for building spans.
type spanScratch struct {
	edges []spanEdge         // edges crossing row centres, stepped in fixed point
	slow  []slowEdge         // the others (see fixMax)
	cnt   []uint32           // per row: crossings
	slot  [][spanSlots]int32 // per row: its first crossings, column<<1 | dir
	ovf   []uint64           // the other crossings: row<<32 | column<<1 | dir
	ovfAt int                // walkRows: next entry of ovf, -1 before spillRows
	tot   int                // crossings
	ks    []int32            // the crossings of a row with more than spanSlots
	row   []int32            // spans' row starts (rows+1)
	sp    []int32            // spans: x0, x1 pairs
}

// spanSlots is the number of crossings a row keeps in place (see
// buildSpans). Most rows of an area hold two, some four; the rare others
// spill to spanScratch.ovf.
const spanSlots = 4

// Crossings in fixed point. buildSpans steps an edge's crossing from row to
// row by adding its slope, in integers with fixBits fractional bits: the
// crossing of row r is X_s + (r-r_s)·K, exact integer arithmetic, where
// r_s is the edge's first row (unclamped), X_s its crossing there as
// computed in floats from the edge's upper end, and K the slope, rounded.
// The value at a row therefore does not depend on the row the walk starts
// from (the top of a strip or of an area's bound), so the two areas of a
// shared edge still get bit-identical crossings, as with the direct formula
// x0 + (r+0.5-y0)·k that it replaces: one integer addition per row instead
// of a conversion and four float operations, the ceiling of the top-left
// rule becomes a shift, and the clamp to the columns moves to the spans
// (see walkRows), fewer than the crossings. The rounding of K drifts
// by less than 2^-32 pixel per row, so a pixel can only move where a
// crossing lies within about 10^-7 pixel of a pixel centre (none does in
// the US counties views of the benchmarks: their images are unchanged).
const (
	fixBits = 32
	fixOne  = 1 << fixBits
	// fixMax bounds the coordinates (pixels) and slopes (pixels per row)
	// of the edges stepped in fixed point, far from overflows of int64
	// (crossings and the products (r-r_s)·K stay below 2^58). Edges
	// beyond it (a view zoomed far in, where rings reach millions of
	// pixels off the image) use the float formula; both areas of a shared
	// edge make the same choice, from the same numbers.
	fixMax = 1 << 24
)

// spanEdge is an edge that crosses the centres of rows r0..r1-1 (relative
// to the first row asked for): x is its crossing of row r0 and k the step
// per row (fixed point, see fixBits); dir is 1 for an edge going down in
// the image, 0 for one going up.
type spanEdge struct {
	x, k   int64
	r0, r1 int32
	dir    int32
}

// slowEdge is an edge beyond fixMax: upper end (x0, y0) and inverse slope
// k in pixels; rows (absolute) and dir as in spanEdge.
type slowEdge struct {
	x0, y0, k float64
	r0, r1    int
	dir       int32
}

// rowAt returns the first row whose centre r+0.5 is at or below y, clamped
// to [ya, yb] (fya, fyb: the same as floats). Inside (fya, fyb) the
// ceiling of y-0.5 already lies in [ya, yb] (ya-0.5 and yb-0.5 are exact
// and rounding is monotonic), so it needs no clamp.
func rowAt(y, fya, fyb float64, ya, yb int) int {
	if !(y > fya) {
		return ya
	}
	if !(y < fyb) {
		return yb
	}
	return ceilInt(y - 0.5)
}

// buildSpans computes the spans of the rings of it, transformed by t, in
// rows [ya, yb) with columns clamped to [xlo, xhi] (integers; all in the
// coordinates of t). s.row[r]..s.row[r+1] index the spans of row ya+r in
// s.sp (pairs of x0, x1: pixels x0..x1-1).
//
// Passes, most of them functions of their own so that their loops keep
// their variables in registers: findEdges lists the edges that cross row
// centres; pushCrossings writes each crossing straight into its row's
// slots (room for spanSlots), so no sort by row is needed (the previous
// version wrote row<<32 | crossing to a list, then scattered it into rows
// by a counting sort); walkRows sorts each row's crossings and walks them
// with the non-zero winding rule. The crossings of the rare rows with more
// than spanSlots (and of edges beyond fixMax) are gathered in s.ovf, sorted
// by row, when walkRows first meets such a row.
func (s *spanScratch) buildSpans(it *simpItem, t xform, ya, yb int, xlo, xhi float64) {
	nr := yb - ya
	if cap(s.cnt) < nr {
		s.cnt = make([]uint32, nr)
		s.slot = make([][spanSlots]int32, nr)
	}
	cnt, slot := s.cnt[:nr], s.slot[:nr]
	clear(cnt)
	s.findEdges(it, t, ya, yb)
	pushCrossings(cnt, slot, s.edges)
	// Rows with more than spanSlots crossings, or with a crossing of an
	// edge beyond fixMax, take all their crossings from s.ovf (see
	// rowSpans).
	s.ovf = s.ovf[:0]
	for _, e := range s.slow {
		for r := e.r0; r < e.r1; r++ {
			x := e.x0 + (float64(r)+0.5-e.y0)*e.k
			if x < xlo {
				x = xlo
			} else if x > xhi {
				x = xhi
			}
			key := int32(ceilInt(x-0.5))<<1 | e.dir
			s.ovf = append(s.ovf, uint64(r-ya)<<32|uint64(uint32(key)))
			cnt[r-ya] += spanSlots + 1
		}
		s.tot += e.r1 - e.r0
	}
	s.walkRows(cnt, slot, s.tot, int32(xlo), int32(xhi))
}

// findEdges lists in s.edges (and s.slow) the edges of the rings of it,
// transformed by t, that cross the centres of rows in [ya, yb).
func (s *spanScratch) findEdges(it *simpItem, t xform, ya, yb int) {
	// Every vertex starts at most one edge.
	if cap(s.edges) < len(it.pts) {
		s.edges = make([]spanEdge, len(it.pts))
	}
	edges := s.edges[:len(it.pts)]
	ne, tot := 0, 0
	s.slow = s.slow[:0]
	ts, tx, ty := t.s, t.tx, t.ty
	fya, fyb := float64(ya), float64(yb)
	pts := it.pts
	prev := 0
	for _, e := range it.ends {
		ring := pts[prev:e]
		prev = int(e)
		if len(ring) < 3 {
			continue
		}
		ax, ay := ring[len(ring)-1][0]*ts+tx, ty-ring[len(ring)-1][1]*ts
		ra := rowAt(ay, fya, fyb, ya, yb)
		for q := range ring {
			bx, by := ring[q][0]*ts+tx, ty-ring[q][1]*ts
			rb := rowAt(by, fya, fyb, ya, yb)
			// Rows r0..r1-1 have their centre r+0.5 in [y0, y1) (and are
			// in [ya, yb)); none for a flat edge.
			if ra == rb {
				ax, ay = bx, by
				continue
			}
			x0, y0, x1, y1, r0, r1 := ax, ay, bx, by, ra, rb
			ax, ay, ra = bx, by, rb
			var dir int32 = 1 // downwards in the image
			if r0 > r1 {
				x0, y0, x1, y1, r0, r1 = x1, y1, x0, y0, r1, r0
				dir = 0
			}
			k := (x1 - x0) / (y1 - y0)
			// One comparison for four bounds (false for NaNs too).
			if !(math.Abs(x0)+math.Abs(x1)+math.Abs(y0)+math.Abs(k) < fixMax) {
				s.slow = append(s.slow, slowEdge{x0: x0, y0: y0, k: k, r0: r0, r1: r1, dir: dir})
				continue
			}
			// rs: the edge's first row, unclamped (r0 > ya was not
			// clamped).
			rs := r0
			if r0 == ya {
				rs = ceilInt(y0 - 0.5)
			}
			kf := int64(k * fixOne)
			xf := int64((x0+(float64(rs)+0.5-y0)*k)*fixOne) + int64(r0-rs)*kf
			ed := &edges[ne]
			ed.x, ed.k, ed.r0, ed.r1, ed.dir = xf, kf, int32(r0-ya), int32(r1-ya), dir
			ne++
			tot += r1 - r0
		}
	}
	s.edges, s.tot = edges[:ne], tot
}

// pushCrossings stores the crossings of edges in the rows' slots (cnt and
// slot: s.cnt and s.slot), as column<<1 | dir, columns unclamped (walkRows
// clamps the spans). The loop is branch-free: a row's crossings beyond
// spanSlots overwrite its slots, and spillRows gathers all the crossings
// of such rows afterwards.
func pushCrossings(cnt []uint32, slot [][spanSlots]int32, edges []spanEdge) {
	slot = slot[:len(cnt)]
	for _, e := range edges {
		x, k, dir := e.x, e.k, e.dir
		for r, r1 := int(e.r0), int(e.r1); r < r1; r++ {
			// First pixel whose centre is at or right of the crossing:
			// ⌈x-0.5⌉ = ⌊x-0.5+1-2^-32⌋ in fixed point.
			key := int32((x+(fixOne/2-1))>>fixBits)<<1 | dir
			x += k
			n := cnt[r]
			slot[r][n&(spanSlots-1)] = key
			cnt[r] = n + 1
		}
	}
}

// spillRows appends to s.ovf the crossings (row<<32 | key) of s.edges in
// the rows that have more than spanSlots (see pushCrossings; the same
// arithmetic).
func (s *spanScratch) spillRows(cnt []uint32) {
	for i := range s.edges {
		e := &s.edges[i]
		x := e.x
		for r := e.r0; r < e.r1; r++ {
			if cnt[r] > spanSlots {
				key := int32((x+(fixOne/2-1))>>fixBits)<<1 | e.dir
				s.ovf = append(s.ovf, uint64(r)<<32|uint64(uint32(key)))
			}
			x += e.k
		}
	}
}

// walkRows turns the crossings of each row (cnt and slot, or s.ovf, sorted,
// for the rows with more than spanSlots) into spans clamped to columns
// [lo, hi] by the non-zero winding rule: s.row and s.sp. (Clamping the
// spans covers the same pixels of [lo, hi) as clamping the crossings: a
// crossing is left of a pixel centre in [lo, hi) whether clamped or not.)
// Rows of two crossings, most of them, are handled here; the others by
// rowSpans, out of line so that this loop keeps its variables in
// registers.
func (s *spanScratch) walkRows(cnt []uint32, slot [][spanSlots]int32, tot int, lo, hi int32) {
	nr := len(cnt)
	if cap(s.row) < nr+1 {
		s.row = make([]int32, nr+1)
	}
	row := s.row[:nr+1]
	// A span takes two crossings or more: tot (all the crossings) bounds
	// the length of sp.
	if cap(s.sp) < tot {
		s.sp = make([]int32, tot)
	}
	sp := s.sp[:tot]
	m := 0
	s.ovfAt = -1
	slot = slot[:nr]
	for r, n := range cnt {
		row[r] = int32(m)
		if n != 2 {
			m = s.rowSpans(sp, m, r, n, &slot[r], lo, hi)
			continue
		}
		// One span, if the crossings go opposite ways.
		a, b := slot[r][0], slot[r][1]
		a, b = min(a, b), max(a, b)
		if x0, x1 := max(a>>1, lo), min(b>>1, hi); (a^b)&1 != 0 && x1 > x0 {
			sp[m], sp[m+1] = x0, x1
			m += 2
		}
	}
	row[nr] = int32(m)
	s.sp = sp[:m]
}

// rowSpans writes the spans of row r (see walkRows), which has n
// crossings (in slot, or in s.ovf from s.ovfAt when n > spanSlots; the
// first such row has spillRows fill s.ovf), to sp from index m, and
// returns the index past them.
//
//go:noinline
func (s *spanScratch) rowSpans(sp []int32, m, r int, n uint32, slot *[spanSlots]int32, lo, hi int32) int {
	var ks []int32
	if n > spanSlots {
		if s.ovfAt < 0 {
			// The first such row: gather them all.
			s.spillRows(s.cnt)
			slices.Sort(s.ovf)
			s.ovfAt = 0
		}
		ovf := s.ovf[s.ovfAt:]
		buf := s.ks[:0]
		for len(ovf) > 0 && int(ovf[0]>>32) == r {
			buf = append(buf, int32(uint32(ovf[0])))
			ovf = ovf[1:]
		}
		s.ovfAt = len(s.ovf) - len(ovf)
		s.ks = buf
		ks = buf
	} else {
		ks = slot[:n]
	}
	// Insertion sort: rows hold few crossings.
	for a := 1; a < len(ks); a++ {
		v := ks[a]
		b := a
		for b > 0 && ks[b-1] > v {
			ks[b] = ks[b-1]
			b--
		}
		ks[b] = v
	}
	wind := 0
	var x0 int32
	for _, v := range ks {
		d := 1
		if v&1 == 0 {
			d = -1
		}
		was := wind
		wind += d
		if was == 0 {
			x0 = max(v>>1, lo)
		} else if wind == 0 {
			if x1 := min(v>>1, hi); x1 > x0 {
				sp[m], sp[m+1] = x0, x1
				m += 2
			}
		}
	}
	return m
}

// fillSpans stores packed colour p in the spans of rows y0..y1-1 of the
// image, where row ya+r of the spans (rows, sp as built by buildSpans) is
// image row ya+r+dy and span columns are shifted by dx; spans are clamped
// to dst's columns.
func fillSpans(dst *image.RGBA, rows, sp []int32, ya, dx, dy, y0, y1 int, p uint32) {
	if y0 >= y1 {
		return
	}
	minX, maxX := dst.Rect.Min.X, dst.Rect.Max.X
	p2 := uint64(p) | uint64(p)<<32
	// rs[j] starts the spans of image row y0+j; o is the byte offset of
	// that row's column 0 (not necessarily in the image).
	rs := rows[y0-dy-ya : y1-dy-ya+1]
	o := dst.PixOffset(minX, y0) - 4*minX
	pix := dst.Pix
	for j := 0; j+1 < len(rs); j, o = j+1, o+dst.Stride {
		for k := rs[j]; k < rs[j+1]; k += 2 {
			a, b := max(int(sp[k])+dx, minX), min(int(sp[k+1])+dx, maxX)
			if a >= b {
				continue
			}
			// The span's pixels, stored 8 bytes at a time; stores may
			// overlap, which stores the same bytes twice: a span of 2 to
			// 4 pixels takes two stores, 4 to 8 four, longer ones 32-byte
			// blocks and one last block ending at the span's end. The
			// slice expression checks the span's bounds; the stores, all
			// inside it, go through put64 without a check each. (Spans
			// are short, about 14 pixels in the US counties view at
			// 1440×900: the count of stores and tests is what costs.)
			d := pix[o+4*a : o+4*b]
			n := len(d)
			if n < 8 {
				binary.LittleEndian.PutUint32(d[:4], p)
				continue
			}
			q := unsafe.Pointer(unsafe.SliceData(d))
			if n <= 16 {
				put64(q, 0, p2)
				put64(q, n-8, p2)
				continue
			}
			if n <= 32 {
				put64(q, 0, p2)
				put64(q, 8, p2)
				put64(q, n-16, p2)
				put64(q, n-8, p2)
				continue
			}
			for k := 0; k < n-32; k += 32 {
				put64(q, k, p2)
				put64(q, k+8, p2)
				put64(q, k+16, p2)
				put64(q, k+24, p2)
			}
			put64(q, n-32, p2)
			put64(q, n-24, p2)
			put64(q, n-16, p2)
			put64(q, n-8, p2)
		}
	}
}

// put64 stores v little-endian at byte offset off from q; the caller has
// checked that the 8 bytes lie in the slice q points into.
func put64(q unsafe.Pointer, off int, v uint64) {
	binary.LittleEndian.PutUint64((*[8]uint8)(unsafe.Add(q, off))[:], v)
}

// addSpans adds full coverage over the spans of rows y0..y1-1 (see
// fillSpans) to the buffer; they must lie in the buffer's clip rows.
func (c *covBuf) addSpans(rows, sp []int32, ya, dx, dy, y0, y1 int) {
	clip := c.clip
	stride := clip.Dx()
	for y := y0; y < y1; y++ {
		r := y - dy - ya
		k := y - clip.Min.Y
		for q := rows[r]; q < rows[r+1]; q += 2 {
			a, b := max(int(sp[q])+dx, clip.Min.X)-clip.Min.X, min(int(sp[q+1])+dx, clip.Max.X)-clip.Min.X
			if a >= b {
				continue
			}
			row := c.pix[k*stride+a : k*stride+b]
			for x := range row {
				row[x] = 255
			}
			c.mark(k, a, b)
		}
	}
}

// cachedSpans returns the spans entry of area i (see cachedMask, whose
// entry it shares: ox, oy, w, h, border), building and storing it first if
// needed; nil when the area is empty.
func (w *worker) cachedSpans(job *renderJob, i int) *maskEntry {
	c := job.masks
	if e := c.entries[i].Load(); e != nil {
		return e
	}
	it, t, start, startEdge, ox, oy, mw, mh := w.areaPixels(job, i)
	defer w.releasePixels(start, startEdge)
	if mw <= 0 || mh <= 0 || mw+2 > maxPairFrame || mh+2 > maxPairFrame {
		return nil
	}
	w.spans.buildSpans(it, t, oy, oy+mh, float64(ox), float64(ox+mw))
	ar := &w.arenas[slotAreas]
	ar.sync(c, job.masksGen)
	if !ar.charge(&c.bytes, int64(4*(len(w.spans.sp)+mh+1))) {
		return nil
	}
	e := arenaNew(&ar.masks)
	*e = maskEntry{ox: ox, oy: oy, w: mw, h: mh,
		spanRows: arenaAlloc(&ar.i32, mh+1), spans: arenaAlloc(&ar.i32, len(w.spans.sp))}
	copy(e.spanRows, w.spans.row[:mh+1])
	copy(e.spans, w.spans.sp)
	if job.hairW > 0 {
		w.borderOf(job, e, it, start)
	}
	if !c.entries[i].CompareAndSwap(nil, e) {
		return c.entries[i].Load()
	}
	return e
}

// spanArea fills area i in the strip clip with spans, from the cache when
// the area lies inside the image (inside), and draws its border (hairlines:
// now from the cache entry, or later from w.drawn). lit adds it to the
// highlight's coverage, hat to the hatching's.
func (w *worker) spanArea(job *renderJob, clip image.Rectangle, i int, lit, hat, inside bool) {
	p := job.sc.fills[i].packed()
	if job.masks != nil && inside {
		if e := w.cachedSpans(job, i); e != nil {
			dy := job.ity
			y0, y1 := max(e.oy+dy, clip.Min.Y), min(e.oy+e.h+dy, clip.Max.Y)
			if y0 < y1 {
				fillSpans(job.dst, e.spanRows, e.spans, e.oy, job.itx, dy, y0, y1, p)
				if lit {
					w.hcov.addSpans(e.spanRows, e.spans, e.oy, job.itx, dy, y0, y1)
				}
				if hat {
					w.tcov.addSpans(e.spanRows, e.spans, e.oy, job.itx, dy, y0, y1)
				}
			}
			w.drawBorderPlots(job, clip, e)
			return
		}
	}
	r0 := int32(len(w.rings))
	w.transformArea(job, i)
	r1 := int32(len(w.rings))
	if r0 == r1 {
		return
	}
	w.drawn = append(w.drawn, drawnArea{r0: r0, r1: r1})
	it := job.areaLevel.get(&job.sc.area, i, &w.simp)
	ya, yb := clip.Min.Y-job.sdy, clip.Max.Y-job.sdy
	w.spans.buildSpans(it, job.sx, ya, yb, float64(clip.Min.X-job.sdx), float64(clip.Max.X-job.sdx))
	fillSpans(job.dst, w.spans.row, w.spans.sp, ya, job.sdx, job.sdy, clip.Min.Y, clip.Max.Y, p)
	if lit {
		w.hcov.addSpans(w.spans.row, w.spans.sp, ya, job.sdx, job.sdy, clip.Min.Y, clip.Max.Y)
	}
	if hat {
		w.tcov.addSpans(w.spans.row, w.spans.sp, ya, job.sdx, job.sdy, clip.Min.Y, clip.Max.Y)
	}
}
