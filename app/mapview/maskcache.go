package mapview

import (
	"image"
	"image/draw"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// The mask cache keeps the anti-aliased coverage mask of every area drawn
// at the current scale, so that renders that only recolour (SetAreaFills) or
// pan by whole device pixels skip rasterization and only composite.
//
// Masks are computed in "phase space": plane point X maps to X*Scale + phase,
// where phase is the fractional part of the view's translation, and an image
// pixel is a phase-space pixel plus the integer part. Two views with the same
// scale and phase (a pan by whole pixels; Dragged rounds pans to whole device
// pixels) therefore have identical masks, shifted. Only areas lying entirely
// inside the image are cached (the others are clipped and rasterized each
// time), and a mask's memory comes from per-worker arenas owned by the cache
// generation.

const (
	// maxCachedMaskPx is the largest mask (pixels) kept in the cache.
	maxCachedMaskPx = 1 << 20
	// maxCacheBytes bounds the memory of one cache generation.
	maxCacheBytes = 64 << 20
	// phaseTolerance: phases closer than this (device pixels) share masks.
	phaseTolerance = 1e-6
	// arenaChunk is the size of the arena chunks masks are cut from.
	arenaChunk = 256 << 10
)

var geomIDs atomic.Uint64

// maskEntry is the coverage mask of one area: w×h pixels at phase-space
// origin (ox, oy); and the pixels of its hairline border (see hairPlots) in
// the frame one pixel larger on every side, each packed as
// offset<<8 | coverage with offset = row*(w+2) + column, sorted by row.
type maskEntry struct {
	ox, oy, w, h int
	pix          []uint8
	border       []uint64
}

// maskCache is one generation of masks, for one geometry, scale and phase.
// Renders with other parameters leave it alone while it is in use.
type maskCache struct {
	mu      sync.Mutex
	users   int
	gen     uint64 // bumped on every reset
	geom    uint64
	scale   float64
	hairW   float64
	fx, fy  float64
	entries []atomic.Pointer[maskEntry]
	bytes   atomic.Int64
}

// acquire returns the phase to render with and true when the render may use
// the cache (release it afterwards); a cache with other parameters that no
// render uses is reset for these. fx, fy come back snapped to the cache's
// phase when they are within phaseTolerance.
func (c *maskCache) acquire(geom uint64, n int, scale, hairW, fx, fy float64) (float64, float64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.geom == geom && c.scale == scale && c.hairW == hairW && len(c.entries) == n &&
		math.Abs(c.fx-fx) < phaseTolerance && math.Abs(c.fy-fy) < phaseTolerance {
		c.users++
		return c.fx, c.fy, true
	}
	if c.users > 0 {
		return fx, fy, false
	}
	c.gen++
	c.geom, c.scale, c.hairW, c.fx, c.fy = geom, scale, hairW, fx, fy
	c.entries = make([]atomic.Pointer[maskEntry], n)
	c.bytes.Store(0)
	c.users = 1
	return fx, fy, true
}

func (c *maskCache) release() {
	c.mu.Lock()
	c.users--
	c.mu.Unlock()
}

// cachedMask returns the mask of area i, rasterizing and storing it first
// if needed (nil when it is too big to cache). Two workers may rasterize
// the same area at once; both results are identical and one is kept.
func (w *worker) cachedMask(job *renderJob, i int) *maskEntry {
	c := job.masks
	if e := c.entries[i].Load(); e != nil {
		return e
	}
	sc := job.sc
	t := xform{s: job.xf.s, tx: job.fx, ty: job.fy}
	// Phase-space pixel bound of the simplified rings.
	start := len(w.xy)
	startEdge := len(w.edge)
	for j := sc.areaRing[i]; j < sc.areaRing[i+1]; j++ {
		r0, r1 := sc.ringStart[j], sc.ringStart[j+1]
		w.appendPath(sc.pts[r0:r1], sc.dup[r0:r1], t, true)
		w.tmpRings = append(w.tmpRings, int32(len(w.xy)))
	}
	defer func() {
		w.xy, w.edge, w.tmpRings = w.xy[:start], w.edge[:startEdge], w.tmpRings[:0]
	}()
	pts := w.xy[start:]
	if len(pts) < 6 {
		return nil
	}
	minX, minY, maxX, maxY := pts[0], pts[1], pts[0], pts[1]
	for k := 2; k < len(pts); k += 2 {
		minX, maxX = min(minX, pts[k]), max(maxX, pts[k])
		minY, maxY = min(minY, pts[k+1]), max(maxY, pts[k+1])
	}
	ox, oy := int(math.Floor(float64(minX))), int(math.Floor(float64(minY)))
	mw, mh := int(math.Ceil(float64(maxX)))-ox, int(math.Ceil(float64(maxY)))-oy
	n := mw * mh
	if mw <= 0 || mh <= 0 || n > maxCachedMaskPx || c.bytes.Add(int64(n)) > maxCacheBytes {
		return nil
	}
	w.r.Reset(mw, mh)
	fox, foy := float32(ox), float32(oy)
	prev := start
	for _, end := range w.tmpRings {
		ring := w.xy[prev:end]
		prev = int(end)
		if len(ring) < 6 {
			continue
		}
		w.r.MoveTo(ring[0]-fox, ring[1]-foy)
		for q := 2; q < len(ring); q += 2 {
			w.r.LineTo(ring[q]-fox, ring[q+1]-foy)
		}
		w.r.ClosePath()
	}
	e := w.newEntry(c)
	*e = maskEntry{ox: ox, oy: oy, w: mw, h: mh, pix: w.arenaAlloc(c, n)}
	w.mask.Pix, w.mask.Stride, w.mask.Rect = e.pix, mw, image.Rect(0, 0, mw, mh)
	w.r.DrawOp = draw.Src
	w.r.Draw(&w.mask, w.mask.Rect, image.Opaque, image.Point{})
	if job.hairW > 0 {
		// Border pixels, recorded in the frame around the mask.
		frame := image.Rect(ox-1, oy-1, ox+mw+1, oy+mh+1)
		fw := frame.Dx()
		w.hp = w.hp[:0]
		prev := start
		for _, end := range w.tmpRings {
			ring, edge := w.xy[prev:end], w.edge[prev/2:end/2]
			prev = int(end)
			nr := len(ring)
			for q := 0; q+1 < nr; q += 2 {
				if edge[q/2] {
					nq := (q + 2) % nr
					w.hairPlots(frame, float64(ring[q]), float64(ring[q+1]), float64(ring[nq]), float64(ring[nq+1]), job.hairW)
				}
			}
		}
		// Counting sort by row, so drawBorderPlots can find a strip's rows.
		fh := frame.Dy()
		w.rowCount = slices.Grow(w.rowCount[:0], fh+1)[:fh+1]
		clear(w.rowCount)
		for _, p := range w.hp {
			w.rowCount[int(p.y)-frame.Min.Y+1]++
		}
		for r := 1; r <= fh; r++ {
			w.rowCount[r] += w.rowCount[r-1]
		}
		b := w.arenaAlloc64(c, len(w.hp))
		for _, p := range w.hp {
			r := int(p.y) - frame.Min.Y
			b[w.rowCount[r]] = uint64(r*fw+int(p.x)-frame.Min.X)<<8 | uint64(p.a)
			w.rowCount[r]++
		}
		e.border = b
		c.bytes.Add(int64(8 * len(b)))
	}
	if !c.entries[i].CompareAndSwap(nil, e) {
		return c.entries[i].Load()
	}
	return e
}

// arenaAlloc returns n bytes from the worker's arena for cache generation
// c.gen.
func (w *worker) arenaAlloc(c *maskCache, n int) []uint8 {
	if w.arenaGen != c.gen || w.arenaCache != c || len(w.arena)+n > cap(w.arena) {
		w.arena = make([]uint8, 0, max(arenaChunk, n))
		w.arenaGen, w.arenaCache = c.gen, c
	}
	s := w.arena[len(w.arena) : len(w.arena)+n : len(w.arena)+n]
	w.arena = w.arena[:len(w.arena)+n]
	return s
}

// drawBorderPlots blends the cached border pixels of e that fall in the
// strip clip.
func (w *worker) drawBorderPlots(job *renderJob, clip image.Rectangle, e *maskEntry) {
	fx0, fy0 := e.ox-1+job.itx, e.oy-1+job.ity // image position of the frame
	fw := e.w + 2
	r0 := max(clip.Min.Y-fy0, 0)
	r1 := min(clip.Max.Y-fy0, e.h+2)
	if r0 >= r1 {
		return
	}
	b := e.border
	lo := uint64(r0*fw) << 8
	k := sort.Search(len(b), func(k int) bool { return b[k] >= lo })
	hi := uint64(r1*fw) << 8
	lut := job.strokeLUT
	dst := job.dst
	for ; k < len(b) && b[k] < hi; k++ {
		off := int(b[k] >> 8)
		y, x := off/fw+fy0, off%fw+fx0
		if x < clip.Min.X || x >= clip.Max.X {
			continue
		}
		p := dst.PixOffset(x, y)
		lut.blend(dst.Pix[p:p+4:p+4], uint32(b[k]&0xff))
	}
}

// arenaAlloc64 is arenaAlloc for uint64s.
func (w *worker) arenaAlloc64(c *maskCache, n int) []uint64 {
	if w.arena64Gen != c.gen || w.arena64Cache != c || len(w.arena64)+n > cap(w.arena64) {
		w.arena64 = make([]uint64, 0, max(arenaChunk/8, n))
		w.arena64Gen, w.arena64Cache = c.gen, c
	}
	s := w.arena64[len(w.arena64) : len(w.arena64)+n : len(w.arena64)+n]
	w.arena64 = w.arena64[:len(w.arena64)+n]
	return s
}

// newEntry returns a maskEntry from the worker's slab for cache generation
// c.gen (entries are allocated 256 at a time).
func (w *worker) newEntry(c *maskCache) *maskEntry {
	if w.slabGen != c.gen || w.slabCache != c || len(w.slab) == 0 {
		w.slab = make([]maskEntry, 256)
		w.slabGen, w.slabCache = c.gen, c
	}
	e := &w.slab[0]
	w.slab = w.slab[1:]
	return e
}
