package mapview

import (
	"encoding/binary"
	"image"
	"image/draw"
	"math"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The mask caches keep what was rasterized, so that renders that only
// recolour (SetAreaFills), change another layer (SetOutlines, SetHighlight,
// SetLabels, points) or pan by whole device pixels skip rasterization and
// only composite:
//   - per area, at the current scale, its anti-aliased coverage mask and its
//     hairline border. These are computed in "phase space": plane point X
//     maps to X*Scale + phase, where phase is the fractional part of the
//     view's translation, and an image pixel is a phase-space pixel plus the
//     integer part. Two views with the same scale and phase (a pan by whole
//     pixels; Dragged rounds pans to whole device pixels) therefore have
//     identical masks, shifted. Only areas lying entirely inside the image
//     are cached (the others are clipped and rasterized each time).
//   - per line layer (overlay lines, outlines), the coverage it drew in each
//     strip of the image, for renders of the same view and image size.
//
// The memory of the entries comes from per-worker arenas owned by the cache
// generation.

const (
	// maxCachedMaskPx is the largest mask (pixels) kept in the cache.
	maxCachedMaskPx = 1 << 20
	// maxCacheBytes bounds the memory of one cache generation.
	maxCacheBytes = 64 << 20
	// phaseTolerance: phases closer than this (device pixels) share masks.
	phaseTolerance = 1e-6
	// arenaChunk is the size of the arena chunks entries are cut from.
	arenaChunk = 256 << 10
)

var geomIDs atomic.Uint64

// maskCache holds a Map's caches, one per cached layer. The zero value is
// ready to use.
type maskCache struct {
	areas    phaseCache[maskEntry]
	lines    phaseCache[stripCov]
	outlines phaseCache[stripCov]
}

// Arena slots of the caches (see worker.arenas).
const (
	slotAreas = iota
	slotLines
	slotOutlines
	nSlots
)

// cacheKey identifies what a cache generation holds: a geometry (or line
// layer), its number of items (or strips), the scale, the stroke widths in
// device pixels and, for line layers, the image rectangle.
type cacheKey struct {
	geom   uint64
	n      int
	scale  float64
	hairW  float64
	lineHW float64
	rect   image.Rectangle
	spans  bool   // area entries hold spans (see spans.go), not masks
	hide   uint64 // line layers: the id of the mask of chunks left out, 0 when none
}

// phaseCache is one generation of cached entries for one key and phase.
// Renders with other parameters leave it alone while it is in use.
type phaseCache[E any] struct {
	mu      sync.Mutex
	users   int
	gen     uint64 // bumped on every reset
	key     cacheKey
	fx, fy  float64
	entries []atomic.Pointer[E]
	bytes   atomic.Int64
}

// acquire returns the phase to render with, the cache generation and true
// when the render may use the cache (release it afterwards); a cache with
// other parameters that no render uses is reset for these. fx, fy come back
// snapped to the cache's phase when they are within phaseTolerance.
func (c *phaseCache[E]) acquire(k cacheKey, fx, fy float64) (float64, float64, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key == k && c.entries != nil && math.Abs(c.fx-fx) < phaseTolerance && math.Abs(c.fy-fy) < phaseTolerance {
		c.users++
		return c.fx, c.fy, c.gen, true
	}
	if c.users > 0 {
		return fx, fy, 0, false
	}
	c.gen++
	c.key, c.fx, c.fy = k, fx, fy
	if cap(c.entries) >= k.n {
		// Plain stores (a clear) rather than one atomic store per entry:
		// no render uses the cache (users is 0), and those that will
		// acquire it under c.mu. (A render runs this before its workers
		// take strips: 3,231 atomic stores took about 15 µs.)
		c.entries = c.entries[:k.n]
		clear(c.entries)
	} else {
		c.entries = make([]atomic.Pointer[E], k.n)
	}
	c.bytes.Store(0)
	c.users = 1
	return fx, fy, c.gen, true
}

func (c *phaseCache[E]) release() {
	c.mu.Lock()
	c.users--
	c.mu.Unlock()
}

// maskEntry is the coverage mask of one area: w×h pixels at phase-space
// origin (ox, oy), with per row the parts to composite (see maskRow); and
// the pixels of its hairline border (see hairPairs) in the frame one pixel
// larger on every side, as pairs of neighbouring pixels packed as in
// pairPlot (frame coordinates), in the order they are to be blended.
type maskEntry struct {
	ox, oy, w, h int
	pix          []uint8
	rows         []maskRow
	border       []uint64
	// spanRows, spans: the area's spans instead of pix and rows, when
	// areas are span-filled (see spans.go): row r (phase-space row oy+r)
	// has spans[spanRows[r]:spanRows[r+1]], x0, x1 pairs in phase-space
	// columns.
	spanRows []int32
	spans    []int32
}

// maskRow describes one row of a mask: columns [a, s) and [e, b) hold any
// coverage, [s, e) full coverage, the rest none (a == b: an empty row).
type maskRow struct{ a, s, e, b uint16 }

// measureMinWidth: masks up to this wide are not measured (see
// measureRows); their rows are composited pixel by pixel, which costs less
// than measuring them.
const measureMinWidth = 32

// maxMaskWidth is the widest mask that is cached (maskRow holds uint16).
const maxMaskWidth = math.MaxUint16

// cachedMask returns the mask of area i, rasterizing and storing it first
// if needed (nil when it is empty or too big to cache). Two workers may
// rasterize the same area at once; both results are identical and one is
// kept.
func (w *worker) cachedMask(job *renderJob, i int) *maskEntry {
	c := job.masks
	if e := c.entries[i].Load(); e != nil {
		return e
	}
	it, _, start, startEdge, ox, oy, mw, mh := w.areaPixels(job, i)
	defer w.releasePixels(start, startEdge)
	n := mw * mh
	ar := &w.arenas[slotAreas]
	ar.sync(c, job.masksGen)
	if mw <= 0 || mh <= 0 || mw > maxMaskWidth || n > maxCachedMaskPx || !ar.charge(&c.bytes, int64(n+8*mh)) {
		return nil
	}
	w.r.Reset(mw, mh)
	fox, foy := float32(ox), float32(oy)
	prev := start
	for _, end := range w.tmpRings {
		ring := w.xy[prev:end]
		prev = int(end)
		w.r.MoveTo(ring[0]-fox, ring[1]-foy)
		for q := 2; q < len(ring); q += 2 {
			w.r.LineTo(ring[q]-fox, ring[q+1]-foy)
		}
		w.r.ClosePath()
	}
	e := arenaNew(&ar.masks)
	*e = maskEntry{ox: ox, oy: oy, w: mw, h: mh, pix: arenaAlloc(&ar.b, n), rows: arenaAlloc(&ar.rows, mh)}
	w.alpha.Pix, w.alpha.Stride, w.alpha.Rect = e.pix, mw, image.Rect(0, 0, mw, mh)
	w.r.DrawOp = draw.Src
	w.r.Draw(&w.alpha, w.alpha.Rect, image.Opaque, image.Point{})
	if mw > measureMinWidth {
		measureRows(e.pix, mw, mh, e.rows)
	} else {
		for y := range e.rows {
			e.rows[y] = maskRow{b: uint16(mw)} // all of the row, pixel by pixel
		}
	}
	if job.hairW > 0 {
		w.borderOf(job, e, it, start)
	}
	if !c.entries[i].CompareAndSwap(nil, e) {
		return c.entries[i].Load()
	}
	return e
}

// borderOf records in e.border the pixels of the hairline border of the
// area it whose rings are w.xy[start:] (ring ends in w.tmpRings, phase
// space; see appendItem), in the frame one pixel larger than e on every
// side.
func (w *worker) borderOf(job *renderJob, e *maskEntry, it *simpItem, start int) {
	frame := image.Rect(e.ox-1, e.oy-1, e.ox+e.w+1, e.oy+e.h+1)
	w.hp = w.hp[:0]
	prev := start
	for _, end := range w.tmpRings {
		ring, edge := w.xy[prev:end], it.edge[(prev-start)/2:(int(end)-start)/2]
		prev = int(end)
		nr := len(ring)
		for q := 0; q+1 < nr; q += 2 {
			if edge[q/2] {
				nq := q + 2 // the next vertex; a comparison, not a (slow) division
				if nq >= nr {
					nq = 0
				}
				w.hairPairs(frame, float64(ring[q]), float64(ring[q+1]), float64(ring[nq]), float64(ring[nq+1]), job.hairW)
			}
		}
	}
	ar := &w.arenas[slotAreas]
	b := arenaAlloc(&ar.u64, len(w.hp))
	copy(b, w.hp)
	e.border = b
	ar.charge(&job.masks.bytes, int64(8*len(b)))
}

// drawBorderPlots blends the cached border pixels of e that fall in the
// strip clip.
func (w *worker) drawBorderPlots(job *renderJob, clip image.Rectangle, e *maskEntry) {
	fx0, fy0 := e.ox-1+job.itx, e.oy-1+job.ity // image position of the frame
	lut := job.strokeLUT
	dst := job.dst
	b := e.border
	// Rows of the frame in the strip.
	r0, r1 := max(clip.Min.Y-fy0, 0), min(clip.Max.Y-fy0, e.h+2)
	if r0 >= r1 {
		return
	}
	if fx0 < clip.Min.X || fx0+e.w+2 > clip.Max.X {
		// The frame crosses the side of the image (by a pixel).
		plot := func(x, y int, a uint32) {
			if y < clip.Min.Y || y >= clip.Max.Y || x < clip.Min.X || x >= clip.Max.X {
				return
			}
			off := dst.PixOffset(x, y)
			lut.blend(dst.Pix[off:off+4:off+4], a)
		}
		for _, p := range b {
			x, y := fx0+int(p>>pairColShift&pairColMask), fy0+int(p>>pairRowShift&pairRowMask)
			plot(x, y, uint32(p&0xff))
			if p&pairSteep != 0 {
				plot(x+1, y, uint32(p>>8&0xff))
			} else {
				plot(x, y+1, uint32(p>>8&0xff))
			}
		}
		return
	}
	// Byte offset of the frame's origin (negative when the frame starts a
	// row above the image: those rows are skipped).
	base := (fy0-dst.Rect.Min.Y)*dst.Stride + (fx0-dst.Rect.Min.X)*4
	blendPairs(dst.Pix, base, dst.Stride, b, r0, r1, lut)
}

// blendPairs blends, with colour lut, the pixels of the pairs of b (packed
// as in pairPlot) in rows r0..r1-1 of a frame whose origin is at byte
// offset base of pix (row stride stride), in order: the first pixel of a
// pair, then the second. A pair's coverage of 0 leaves its pixel as it is
// (lut.src[0] is 0 and lut.inv[0] 255, which scale4 applies exactly), so
// the loop blends both pixels without a test of the coverage.
//
// It is apart from drawBorderPlots so that its loop keeps its variables in
// registers, and written for few live values (Go's register allocator
// spills otherwise): rows are tested on the packed value, and pixels are
// reached from the first pixel of row r0 of the frame through pixAt after
// one unsigned comparison of the offset with the pixels left in pix, the
// slice's bounds check done once instead of twice.
func blendPairs(pix []uint8, base, stride int, b []uint64, r0, r1 int, lut *blendLUT) {
	base += r0 * stride // row r0 of the frame: in the image
	if r0 >= r1 || base < 0 || base > len(pix)-4 {
		return
	}
	// t = p&^pairSteep - lo is (row - r0)<<pairRowShift plus the lower
	// fields, modulo 2^64: below span exactly when r0 <= row < r1.
	// Adding 1<<pairRowShift moves the test to the next row.
	lo := uint64(r0) << pairRowShift
	span := uint64(r1-r0) << pairRowShift
	last := uint(len(pix) - 4 - base)
	p0 := unsafe.Add(unsafe.Pointer(unsafe.SliceData(pix)), base)
	for i := range b {
		p := b[i]
		t := p&^pairSteep - lo
		// The row relative to r0, negative above it (so that the offset of
		// the next row, below, comes out right modulo 2^64).
		off := uint(int64(t)>>pairRowShift)*uint(stride) + uint(p>>(pairColShift-2)&(pairColMask<<2))
		if t < span && off <= last {
			d := pixAt(p0, off)
			a := uint8(p)
			binary.LittleEndian.PutUint32(d[:], lut.src[a]+scale4(binary.LittleEndian.Uint32(d[:]), lut.inv[a]))
		}
		if p&pairSteep != 0 {
			off += 4
		} else {
			t += 1 << pairRowShift
			off += uint(stride)
		}
		if t < span && off <= last {
			d := pixAt(p0, off)
			a := uint8(p >> 8)
			binary.LittleEndian.PutUint32(d[:], lut.src[a]+scale4(binary.LittleEndian.Uint32(d[:]), lut.inv[a]))
		}
	}
}

// pixAt returns the 4 bytes at byte offset off from p0, which the caller
// has checked to lie in the pixel slice p0 points into.
func pixAt(p0 unsafe.Pointer, off uint) *[4]uint8 {
	return (*[4]uint8)(unsafe.Add(p0, off))
}

// arena is a worker's memory for the entries of one cache generation.
// When the cache moves to a new generation its memory is reused: a cache is
// only reset while no render uses it, so nothing refers to the entries of
// the old generation any more.
type arena struct {
	owner  any
	gen    uint64
	credit int64 // bytes counted in the cache's total but not used yet (see charge)
	b      slab[uint8]
	u64    slab[uint64]
	i32    slab[int32]
	rows   slab[maskRow]
	masks  slab[maskEntry]
	strips slab[stripCov]
	sets   slab[covBlocks]
}

// sync prepares the arena for generation gen of cache owner.
func (a *arena) sync(owner any, gen uint64) {
	if a.owner == owner && a.gen == gen {
		return
	}
	if a.owner != owner {
		*a = arena{}
	}
	a.owner, a.gen, a.credit = owner, gen, 0
	a.b.reset()
	a.u64.reset()
	a.i32.reset()
	a.rows.reset()
	a.masks.reset()
	a.strips.reset()
	a.sets.reset()
}

// chargeChunk is the number of bytes a worker adds at once to a cache's
// count of bytes (see arena.charge).
const chargeChunk = 256 << 10

// charge counts n more bytes of entries of the arena's cache generation,
// whose total is total, and reports whether the total stays within
// maxCacheBytes. The arena takes the total in slices of chargeChunk bytes
// and counts its entries off its slice: one atomic addition per slice
// rather than two per area, whose cache line the workers' cores passed to
// each other thousands of times per render. Up to chargeChunk bytes per
// worker are counted but not used, so the limit is reached that much
// earlier at most.
func (a *arena) charge(total *atomic.Int64, n int64) bool {
	if n <= a.credit {
		a.credit -= n
		return true
	}
	take := max(n, chargeChunk)
	if total.Add(take) > maxCacheBytes {
		return false
	}
	a.credit += take - n
	return true
}

// slab hands out slices cut from chunks of arenaChunk bytes; reset makes
// the chunks available again.
type slab[T any] struct {
	chunks [][]T
	cur    int // chunk being cut
	used   int // elements cut from chunks[cur]
}

func (s *slab[T]) reset() { s.cur, s.used = 0, 0 }

// alloc returns n elements (not zeroed when reused).
func (s *slab[T]) alloc(n int) []T {
	for s.cur < len(s.chunks) {
		if c := s.chunks[s.cur]; s.used+n <= len(c) {
			s.used += n
			return c[s.used-n : s.used : s.used]
		}
		s.cur++
		s.used = 0
	}
	var zero T
	size := max(arenaChunk/max(1, int(unsafe.Sizeof(zero))), n)
	s.chunks = append(s.chunks, make([]T, size))
	s.cur, s.used = len(s.chunks)-1, n
	return s.chunks[s.cur][:n:n]
}

// arenaAlloc returns n elements from s.
func arenaAlloc[T any](s *slab[T], n int) []T { return s.alloc(n) }

// arenaNew returns one element from s.
func arenaNew[T any](s *slab[T]) *T { return &s.alloc(1)[0] }

// areaPixels transforms area i's rings, simplified for the zoom level, into
// w.xy from index start (ring ends in w.tmpRings) and returns them with
// their pixel bound (ox, oy, mw×mh; 0×0 when the area has fewer than 3
// vertices). Call w.releasePixels(start, startEdge) when done, to restore
// w's buffers.
func (w *worker) areaPixels(job *renderJob, i int) (it *simpItem, t xform, start, startEdge, ox, oy, mw, mh int) {
	t = xform{s: job.xf.s, tx: job.fx, ty: job.fy}
	it = job.areaLevel.get(&job.sc.area, i, &w.simp)
	start = len(w.xy)
	startEdge = len(w.edge)
	w.tmpRings = w.tmpRings[:0]
	w.appendItem(it, t)
	if len(w.xy)-start < 6 {
		return it, t, start, startEdge, 0, 0, 0, 0
	}
	// The bound of the transformed vertices is the transformed plane
	// bound of the item: x·s + tx and ty − y·s, rounded to float64 then
	// to float32 as appendItem rounds them, are monotonic in x and y (s >
	// 0), so the least and the largest of them come from the least and
	// the largest coordinates.
	minX, maxX := float32(it.lo[0]*t.s+t.tx), float32(it.hi[0]*t.s+t.tx)
	minY, maxY := float32(t.ty-it.hi[1]*t.s), float32(t.ty-it.lo[1]*t.s)
	ox, oy = int(math.Floor(float64(minX))), int(math.Floor(float64(minY)))
	mw, mh = int(math.Ceil(float64(maxX)))-ox, int(math.Ceil(float64(maxY)))-oy
	return it, t, start, startEdge, ox, oy, mw, mh
}

// releasePixels drops what areaPixels appended to w's buffers.
func (w *worker) releasePixels(start, startEdge int) {
	w.xy, w.edge, w.tmpRings = w.xy[:start], w.edge[:startEdge], w.tmpRings[:0]
}
