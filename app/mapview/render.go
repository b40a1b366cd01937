package mapview

// The renderer. A render cuts the image into horizontal strips that workers
// (one per CPU, at most 8) take from a queue (each its own run of
// neighbouring strips first, see stripQueue); in each strip it draws the
// background, then every visible area and right after it its hairline
// border (less the segments that an opaque line overlay at least 1 dp wide
// covers, see scene.coverAreaEdges), then the highlight's tint, the line layers (each set's strokes
// merged into one coverage buffer, composited once; kept per strip for
// renders of the same view), the points (pre-rendered sprites) and the
// labels (pre-rendered glyph and halo coverage, see labels.go).
//
// Areas come from their rings simplified for the zoom level (see
// simplify.go). When every fill is opaque and borders are hairlines (the
// default), an area is a list of spans per pixel row, stored with no blend
// (spans.go); otherwise it is an anti-aliased coverage mask rasterized with
// golang.org/x/image/vector and composited. Either is kept in the mask cache
// (maskcache.go) with the area's border pixels, for renders at the same
// scale and sub-pixel phase.
//
// Speed, measured by BenchmarkRenderUSCounties1440x900 and
// BenchmarkRenderWorld1440x900 (bench_test.go), comes from doing the
// per-scale work once per scale (spans or masks, borders), the
// per-zoom-level work once per level (simplification), no anti-aliased
// accumulation or per-pixel blending for area interiors, and nothing per
// polygon that is sized by the image: rasterizers are sized to each
// polygon's pixel bound, polygons reaching far outside the strip are
// clipped first, and spans are built only for the rows being drawn.

import (
	"image"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// View is the part of the plane shown by the map.
type View struct {
	// Center is the plane point (in plane units) shown at the centre of the
	// widget or image.
	Center orb.Point
	// Scale is the zoom: device pixels per plane unit. A View with Scale <= 0
	// shows nothing but the background.
	Scale float64
}

// Tuning constants of the renderer.
const (
	// clipMarginPx: a polygon reaching further than this outside the area
	// being drawn is clipped (Sutherland-Hodgman) before rasterizing, so that
	// deep zooms do not make the rasterizer walk millions of off-screen
	// rows and columns.
	clipMarginPx = 256
	// hairlineMaxPx: area borders up to this width (device pixels) use the
	// fast anti-aliased hairline plotter; wider ones use the stroke coverage
	// buffer (see strokeBegin).
	hairlineMaxPx = 1.5
	// stripRows: the image is cut into horizontal strips of about this many
	// rows, which are rendered in parallel (a strip of a 1440 px wide image
	// is 184 KB, so the strips of two workers can stay in a 512 KB L2 cache
	// while drawn). There are
	// at least two strips per worker (and strips at least minStripRows high)
	// so that workers balance busy and empty parts of the map; areas that
	// straddle strips are partly drawn by each.
	stripRows    = 32
	minStripRows = 16
)

// xform maps plane coordinates to device pixels: x = X*s + tx, y = ty - Y*s.
type xform struct{ s, tx, ty float64 }

func makeXform(v View, r image.Rectangle) xform {
	w, h := float64(r.Dx()), float64(r.Dy())
	return xform{
		s:  v.Scale,
		tx: float64(r.Min.X) + w/2 - v.Center[0]*v.Scale,
		ty: float64(r.Min.Y) + h/2 + v.Center[1]*v.Scale,
	}
}

// pixelBound returns the device-pixel bound of a plane bound.
func (t xform) pixelBound(b orb.Bound) (x0, y0, x1, y1 float64) {
	return b.Min[0]*t.s + t.tx, t.ty - b.Max[1]*t.s, b.Max[0]*t.s + t.tx, t.ty - b.Min[1]*t.s
}

// Render draws every layer for the view into a new w×h image, with
// device-independent sizes (line widths, point radii, label sizes) taken as
// device pixels (pixel scale 1). It is safe to call from any goroutine,
// including while the widget renders in the background, and on a Map that
// was never shown (no Fyne app is needed). Non-positive sizes give an empty
// image.
func (m *Map) Render(v View, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	m.RenderTo(img, v, 1)
	return img
}

// RenderTo draws every layer for the view into dst (over its whole bounds,
// replacing what was there). pixelScale is the number of device pixels per
// device-independent pixel (the canvas scale, 2 on a HiDPI screen, e.g. for
// a sharp PNG export); it only affects the sizes given in
// device-independent pixels: line and outline widths, point radii and
// outlines, label sizes and halos. Reusing dst across calls avoids
// allocating a new image per frame. Safe to call from any goroutine, and on
// a Map that was never shown. Area masks and line coverage are shared with
// the widget's renders through the map's caches when the scale and
// sub-pixel phase match (see maskcache.go); the result is the same as
// without them, up to a rounding difference of 1 in a channel value.
func (m *Map) RenderTo(dst *image.RGBA, v View, pixelScale float32) {
	m.mu.Lock()
	sc := m.sc
	m.mu.Unlock()
	renderScene(dst, sc, v, pixelScale, nil, &m.masks)
}

// renderJob is the read-only state shared by the strips of one render.
type renderJob struct {
	sc     *scene
	dst    *image.RGBA
	xf     xform
	ps     float64 // device pixels per device-independent pixel
	cancel func() bool
	// The view's translation is (itx+fx, ity+fy) with integer itx, ity
	// when a cache is used (see maskcache.go).
	itx, ity int
	fx, fy   float64
	// masks, when not nil, is the area mask cache this render uses
	// (generation masksGen).
	masks    *phaseCache[maskEntry]
	masksGen uint64
	// hairW is the width of hairline area borders (device pixels), 0 when
	// borders are not drawn as hairlines; cached masks carry their pixels.
	hairW float64
	// spans: areas are filled with spans (see spans.go); sx is the
	// transform their spans are built with, and (sdx, sdy) the whole
	// pixels from its coordinates to the image's.
	spans    bool
	sx       xform
	sdx, sdy int
	// areaLevel holds the areas simplified for this zoom level.
	areaLevel *simpLevel
	// vis lists the areas visible in dst with their pixel bounds, in the
	// drawing order; visMaxY[k] is the largest bottom of vis[:k+1].
	vis     []visItem
	visMaxY []float64
	// Blend table of the area stroke colour (nil when transparent).
	strokeLUT *blendLUT
	// Line layers: the overlay, the outlines and the highlight's stroke
	// (nil when not drawn).
	lines, outlines, hlLine *lineJob
	lineMem                 [3]lineJob // memory of the three, reused
	// hl is the highlight (nil: none), hlLUT its fill colour.
	hl    *highlight
	hlLUT *blendLUT
	// ht is the hatching (nil: none), htLUT its colour, htPat its
	// pattern and htOff the pattern's offset (see hatchPattern).
	ht     *hatchSet
	htLUT  *blendLUT
	htPat  []uint8
	htOff  int
	points *pointJob
	labels []placedLabel
	abort  atomic.Bool
	queue  stripQueue // hands out the strips to the workers
	// ready is set, and setup done, once the setup of the render is
	// complete (see waitSetup).
	ready atomic.Bool
	setup sync.WaitGroup
}

// waitSetup returns once the render's setup is complete: it yields for a
// while (the setup usually takes 0.1 ms; a goroutine that blocks waits for
// a wake-up of about as long), then blocks.
func (job *renderJob) waitSetup() {
	for n := 0; n < 1000 && !job.ready.Load(); n++ {
		runtime.Gosched()
	}
	job.setup.Wait()
}

// stripQueue hands out the strips of a render to its workers. The strips
// are cut into one run of neighbouring strips per worker; a worker takes
// the strips of its own run from the top down and, when its run is empty,
// takes the bottom strip of the run with the most strips left. So two
// workers draw neighbouring strips at once only where their runs meet:
// an area that straddles two strips (most counties of the US view cross
// a strip border) is built once (spans, border pixels, see cachedSpans)
// and found again in the same core's cache by the next strip, where two
// workers on neighbouring strips, both walking the areas of the border
// between their strips in the same order, built 6 to 10% of the areas
// twice (counted in the US counties view, 2 workers). Workers still
// balance uneven strips (work stealing, as in W. Blumofe and C. Leiserson,
// "Scheduling multithreaded computations by work stealing", JACM 1999, but
// with one strip as the unit).
type stripQueue struct {
	runs [8]atomic.Uint64 // per worker: next<<32 | end, strips next..end-1 left
	n    int              // runs in use
}

// init cuts n strips into runs for workers workers (1 to 8).
func (q *stripQueue) init(n, workers int) {
	q.n = workers
	for k := range workers {
		lo, hi := k*n/workers, (k+1)*n/workers
		q.runs[k].Store(uint64(lo)<<32 | uint64(hi))
	}
}

// take returns the next strip for worker k, -1 when none is left.
func (q *stripQueue) take(k int) int {
	r := &q.runs[k]
	for {
		v := r.Load()
		lo, hi := v>>32, v&0xffffffff
		if lo >= hi {
			break
		}
		if r.CompareAndSwap(v, (lo+1)<<32|hi) {
			return int(lo)
		}
	}
	// Steal from the bottom of the longest run.
	for {
		best, most := -1, uint64(0)
		for j := range q.n {
			v := q.runs[j].Load()
			if lo, hi := v>>32, v&0xffffffff; hi > lo && hi-lo > most {
				best, most = j, hi-lo
			}
		}
		if best < 0 {
			return -1
		}
		r := &q.runs[best]
		v := r.Load()
		if lo, hi := v>>32, v&0xffffffff; lo < hi && r.CompareAndSwap(v, lo<<32|(hi-1)) {
			return int(hi - 1)
		}
	}
}

// visItem is an item (area, line chunk) visible in the image and its
// device-pixel bound.
type visItem struct {
	i              int32
	x0, y0, x1, y1 float64
}

var (
	workerPool = sync.Pool{New: func() any { return new(worker) }}
	jobPool    = sync.Pool{New: func() any { return new(renderJob) }}
)

// cullAreas fills job.vis and job.visMaxY. It reads the bounds in the
// drawing order (scene.orderBounds), in address order: reading them through
// scene.order, in the order of the areas' indices, took 40 to 60 ns per
// area in the US counties view, where the previous render had pushed them
// out of the CPU's L2 cache (this serial part of a render took 3 times as
// long).
func (job *renderJob) cullAreas(r image.Rectangle) {
	job.vis, job.visMaxY = job.vis[:0], job.visMaxY[:0]
	rx0, ry0, rx1, ry1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	maxY := math.Inf(-1)
	order := job.sc.order
	for k, b := range job.sc.orderBounds[:len(order)] {
		i := order[k]
		if !(b.Min[0] <= b.Max[0]) {
			break // empty areas sort last
		}
		x0, y0, x1, y1 := job.xf.pixelBound(b)
		if y0 > ry1 {
			break
		}
		if x1 < rx0 || x0 > rx1 || y1 < ry0 {
			continue
		}
		maxY = max(maxY, y1)
		job.vis = append(job.vis, visItem{i: i, x0: x0, y0: y0, x1: x1, y1: y1})
		job.visMaxY = append(job.visMaxY, maxY)
	}
}

// renderScene renders sc into dst. cancel, when not nil, is polled and the
// render stops early (leaving dst partly drawn) once it returns true; it
// reports whether it was cancelled. mc, when not nil, holds the caches the
// render may use.
func renderScene(dst *image.RGBA, sc *scene, v View, pixelScale float32, cancel func() bool, mc *maskCache) bool {
	r := dst.Rect
	if r.Empty() || sc == nil {
		return false
	}
	ps := float64(pixelScale)
	if !(ps > 0) || math.IsInf(ps, 0) {
		ps = 1
	}
	job := jobPool.Get().(*renderJob)
	*job = renderJob{
		sc: sc, dst: dst, xf: makeXform(v, r), ps: ps, cancel: cancel,
		vis: job.vis[:0], visMaxY: job.visMaxY[:0], labels: job.labels[:0], lineMem: job.lineMem,
	}
	valid := v.Scale > 0 && !math.IsInf(v.Scale, 0) && finite(v.Center)
	// Workers take strips from a queue (see stripRows, stripQueue).
	nWorkers := min(runtime.GOMAXPROCS(0), 8)
	nStrips := max((r.Dy()+stripRows-1)/stripRows, min(2*nWorkers, (r.Dy()+minStripRows-1)/minStripRows), 1)
	nWorkers = min(nWorkers, nStrips)
	job.queue.init(nStrips, nWorkers)
	run := func(k int, w *worker) {
		defer workerPool.Put(w)
		for {
			i := job.queue.take(k)
			if i < 0 || job.abort.Load() {
				return
			}
			y0 := r.Min.Y + i*r.Dy()/nStrips
			y1 := r.Min.Y + (i+1)*r.Dy()/nStrips
			clip := image.Rect(r.Min.X, y0, r.Max.X, y1)
			fillRect(dst, clip, sc.background)
			if valid {
				w.renderStrip(job, clip, i)
			}
		}
	}
	// The helper goroutines start now, before the setup below (culling,
	// line and point jobs, labels), which they wait for: waking an idle
	// core took 130 to 170 µs on the 2-core VM of the benchmarks, longer
	// than the setup, so that the second worker started its first strip
	// that much after the first, which had the setup done.
	var wg sync.WaitGroup
	job.setup.Add(1)
	for k := range nWorkers - 1 {
		wg.Go(func() {
			w := workerPool.Get().(*worker)
			job.waitSetup()
			run(k+1, w)
		})
	}
	if valid && sc.areaStroke.a > 0 && sc.areaStrokeW > 0 && sc.areaStrokeW <= hairlineMaxPx {
		job.hairW = float64(sc.areaStrokeW)
		job.spans = true
		for _, c := range sc.fills {
			if c.a != 255 {
				job.spans = false
				break
			}
		}
	}
	job.sx = job.xf
	// Snap the translation to the cache's phase (see maskcache.go).
	if valid && mc != nil {
		itx, ity := math.Floor(job.xf.tx), math.Floor(job.xf.ty)
		if math.Abs(itx) < 1<<30 && math.Abs(ity) < 1<<30 {
			fx, fy := job.xf.tx-itx, job.xf.ty-ity
			if len(sc.bounds) > 0 {
				k := cacheKey{geom: sc.geomID, n: len(sc.bounds), scale: v.Scale, hairW: job.hairW, spans: job.spans}
				var gen uint64
				var ok bool
				if fx, fy, gen, ok = mc.areas.acquire(k, fx, fy); ok {
					defer mc.areas.release()
					job.masks, job.masksGen = &mc.areas, gen
				}
			}
			job.itx, job.ity, job.fx, job.fy = int(itx), int(ity), fx, fy
			job.xf.tx, job.xf.ty = itx+fx, ity+fy
			job.sx = job.xf
			if math.Abs(itx) < 1<<28 && math.Abs(ity) < 1<<28 {
				// Spans of areas that are not cached are built in the
				// cache's coordinates too, so that they tile exactly with
				// the cached ones.
				job.sx.tx, job.sx.ty, job.sdx, job.sdy = fx, fy, job.itx, job.ity
			}
		}
	}
	if valid {
		if len(sc.bounds) > 0 {
			job.areaLevel = sc.area.simp.level(v.Scale, sc.area.items())
			job.cullAreas(r)
		}
		if sc.areaStroke.a > 0 {
			job.strokeLUT = blendLUTFor(sc.areaStroke)
		}
		job.lines = newLineJob(&job.lineMem[0], sc.lines, sc.linesHidden, job.xf, ps, r)
		job.outlines = newLineJob(&job.lineMem[1], sc.outlines, nil, job.xf, ps, r)
		if mc != nil {
			// Line layers keep their coverage per strip for renders of
			// the same view.
			var hideID uint64
			if h := sc.linesHidden; h != nil {
				hideID = h.id
			}
			for _, x := range []struct {
				lj   *lineJob
				c    *phaseCache[stripCov]
				slot int
				hide uint64
			}{{job.lines, &mc.lines, slotLines, hideID}, {job.outlines, &mc.outlines, slotOutlines, 0}} {
				if x.lj == nil {
					continue
				}
				k := cacheKey{geom: x.lj.l.id, n: nStrips, scale: v.Scale, lineHW: x.lj.hw, rect: r, hide: x.hide}
				if _, _, gen, ok := x.c.acquire(k, job.xf.tx, job.xf.ty); ok {
					defer x.c.release()
					x.lj.cache, x.lj.gen, x.lj.slot = x.c, gen, x.slot
				}
			}
		}
		if h := sc.highlight; h != nil && job.areaLevel != nil {
			job.hl = h
			if h.fill.a > 0 {
				job.hlLUT = blendLUTFor(h.fill)
			}
			job.hlLine = newLineJob(&job.lineMem[2], h.boundary(sc), nil, job.xf, ps, r)
		}
		if h := sc.hatch; h != nil && job.areaLevel != nil {
			job.ht, job.htLUT, job.htPat = h, blendLUTFor(h.fill), hatchPattern(ps)
			job.htOff = hatchOffset(job.xf, len(job.htPat))
		}
		job.points = newPointJob(sc, ps)
		job.placeLabels(r)
	}

	// Setup is done: the helpers may take strips.
	job.ready.Store(true)
	job.setup.Done()
	run(0, workerPool.Get().(*worker))
	wg.Wait()
	aborted := job.abort.Load()
	vis, visMaxY, labels, lineMem := job.vis, job.visMaxY, job.labels, job.lineMem
	clear(labels)
	for k := range lineMem {
		lm := &lineMem[k]
		clear(lm.luts)
		*lm = lineJob{luts: lm.luts[:0], vis: lm.vis[:0], maxY: lm.maxY[:0], set: lm.set[:0]}
	}
	*job = renderJob{vis: vis, visMaxY: visMaxY, labels: labels, lineMem: lineMem}
	jobPool.Put(job)
	return aborted
}

// worker holds the scratch buffers of one rendering goroutine; workers are
// pooled so buffers are reused across renders.
type worker struct {
	r        vector.Rasterizer
	alpha    image.Alpha
	mask     []uint8 // coverage of the area drawn directly (see rasterRings)
	maskRows []maskRow
	maskBuf  []uint8

	xy            []float32 // transformed ring vertices (x, y pairs)
	edge          []bool    // per vertex of xy (areas): draw the border segment from it
	rings         []int32   // ring k is xy[rings[k]:rings[k+1]]
	drawn         []drawnArea
	hl            []drawnArea // highlighted areas drawn in the strip
	clipA         []float32
	clipB         []float32
	lxy           []float32 // a line chunk's vertices (x, y pairs)
	sprites       map[spriteKey]*sprite
	spriteHot     [1 << spriteHotBits]spriteSlot
	luts          map[prgba]*blendLUT // blend tables of area fills (see fillLUT)
	lastFill      prgba
	lastLUT       *blendLUT
	spriteOutline uint32
	cov           covBuf   // the strip's stroke coverage (see covBuf)
	hcov          covBuf   // the strip's highlight coverage
	tcov          covBuf   // the strip's hatched areas' coverage
	keepBits      []uint64 // coverage being kept (see covBuf.end)
	keepData      []uint8
	tmpRings      []int32  // ring ends while rasterizing a cached mask
	hp            []uint64 // hairline pixels (see hairPlots)
	simp          simpScratch
	spans         spanScratch
	arenas        [nSlots]arena // memory of cache entries, per cache
}

// drawnArea remembers, for the border pass, which rings of w.rings belong to
// a filled area.
type drawnArea struct{ r0, r1 int32 }

func (w *worker) renderStrip(job *renderJob, clip image.Rectangle, strip int) {
	sc := job.sc
	w.xy = w.xy[:0]
	w.edge = w.edge[:0]
	w.rings = w.rings[:0]
	w.drawn = w.drawn[:0]
	w.hl = w.hl[:0]
	cx0, cy0 := float64(clip.Min.X), float64(clip.Min.Y)
	cx1, cy1 := float64(clip.Max.X), float64(clip.Max.Y)
	dr := job.dst.Rect
	rx0, ry0, rx1, ry1 := float64(dr.Min.X), float64(dr.Min.Y), float64(dr.Max.X), float64(dr.Max.Y)
	hl := job.hl
	if hl != nil {
		w.hcov.begin(clip)
	}
	ht := job.ht
	if ht != nil {
		w.tcov.begin(clip)
	}

	// Fills, in the drawing order (top of the image first, see
	// scene.order), so consecutive areas touch the same rows of dst while
	// they are in the CPU cache. job.vis holds the areas visible in the
	// image; skip those that end above this strip and stop at the first
	// that starts below it.
	vis := job.vis
	start := sort.Search(len(vis), func(k int) bool { return job.visMaxY[k] >= cy0 })
	for n := start; n < len(vis); n++ {
		if n&63 == 63 && job.cancel != nil && job.cancel() {
			job.abort.Store(true)
			// Coverage buffers are kept zeroed between uses.
			if hl != nil {
				w.hcov.clearAll()
			}
			if ht != nil {
				w.tcov.clearAll()
			}
			return
		}
		va := &vis[n]
		x0, y0, x1, y1 := va.x0, va.y0, va.x1, va.y1
		if y0 > cy1 {
			break
		}
		if x1 < cx0 || x0 > cx1 || y1 < cy0 {
			continue
		}
		i := int(va.i)
		if x1-x0 < 1 && y1-y0 < 1 {
			// Sub-pixel area: one pixel with coverage ~ its bound area.
			px, py := int(math.Floor((x0+x1)/2)), int(math.Floor((y0+y1)/2))
			if image.Pt(px, py).In(clip) {
				cov := max((x1-x0)*(y1-y0), 0.25)
				blendPixel(job.dst, px, py, sc.fills[i].scale(cov))
			}
			continue
		}
		rect := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1))).Intersect(clip)
		if rect.Empty() {
			continue
		}
		lit := hl != nil && hl.has(i)
		hat := ht != nil && ht.has(i)
		if job.spans {
			w.spanArea(job, clip, i, lit, hat, x0 >= rx0 && y0 >= ry0 && x1 <= rx1 && y1 <= ry1)
			continue
		}
		if job.masks != nil && x0 >= rx0 && y0 >= ry0 && x1 <= rx1 && y1 <= ry1 {
			if e := w.cachedMask(job, i); e != nil {
				mx, my := e.ox+job.itx, e.oy+job.ity
				compositeEntry(job.dst, e, mx, my, clip, sc.fills[i], w.fillLUT(sc.fills[i]))
				if lit {
					w.hcov.addEntry(e, mx, my)
				}
				if hat {
					w.tcov.addEntry(e, mx, my)
				}
				switch {
				case job.hairW > 0:
					// Its border now, while its pixels are in the CPU
					// cache: borders shared with areas drawn before are
					// this area's to stroke (see scene.setAreas), the
					// others are stroked by the areas drawn after it.
					w.drawBorderPlots(job, clip, e)
				case job.strokeLUT != nil && sc.areaStrokeW > 0:
					r0 := int32(len(w.rings))
					w.transformArea(job, i)
					w.drawn = append(w.drawn, drawnArea{r0: r0, r1: int32(len(w.rings))})
				}
				continue
			}
		}
		needClip := x0 < cx0-clipMarginPx || y0 < cy0-clipMarginPx || x1 > cx1+clipMarginPx || y1 > cy1+clipMarginPx
		r0 := int32(len(w.rings))
		w.transformArea(job, i)
		r1 := int32(len(w.rings))
		if r0 == r1 {
			continue
		}
		w.drawn = append(w.drawn, drawnArea{r0: r0, r1: r1})
		// Rasterize in tiles narrow enough for maskRow.
		for tx := rect.Min.X; tx < rect.Max.X; tx += maxMaskWidth {
			tr := image.Rect(tx, rect.Min.Y, min(tx+maxMaskWidth, rect.Max.X), rect.Max.Y)
			w.rasterRings(tr, r0, r1, needClip || tr != rect)
			compositeRows(job.dst, w.mask, tr.Dx(), w.maskRows, tr.Min.X, tr.Min.Y, tr.Min.Y, tr.Max.Y, sc.fills[i], w.fillLUT(sc.fills[i]))
			if lit {
				w.hcov.addMask(tr, w.mask, tr.Dx())
			}
			if hat {
				w.tcov.addMask(tr, w.mask, tr.Dx())
			}
		}
	}
	w.rings = append(w.rings, int32(len(w.xy)))

	// Area borders.
	if job.strokeLUT != nil && sc.areaStrokeW > 0 {
		width := float64(sc.areaStrokeW)
		if width <= hairlineMaxPx {
			for _, a := range w.drawn {
				for k := a.r0; k < a.r1; k++ {
					s, e := w.rings[k], w.rings[k+1]
					w.hairRing(job.dst, clip, w.xy[s:e], w.edge[s/2:e/2], job.strokeLUT, width)
				}
			}
		} else {
			w.cov.begin(clip)
			for _, a := range w.drawn {
				for k := a.r0; k < a.r1; k++ {
					s, e := w.rings[k], w.rings[k+1]
					w.cov.strokePath(w.xy[s:e], w.edge[s/2:e/2], true, width/2)
				}
			}
			w.cov.end(job.dst, job.strokeLUT, w, false)
		}
	}

	// Highlight fill, over the areas and their borders.
	if hl != nil {
		if job.hlLUT != nil {
			w.hcov.end(job.dst, job.hlLUT, w, false)
		} else {
			w.hcov.clearAll()
		}
	}

	// Hatching, over the highlight's tint.
	if ht != nil {
		w.tcov.endHatch(job.dst, job.htLUT, job.htPat, job.htOff)
	}

	// Line layers: the overlay, then the outlines over it, then the
	// highlight's outline.
	for _, lj := range []*lineJob{job.lines, job.outlines, job.hlLine} {
		if lj != nil {
			w.drawLines(job, lj, clip, strip)
		}
	}

	// Points.
	if job.points != nil {
		w.drawPoints(job, clip)
	}

	// Labels.
	if len(job.labels) > 0 {
		drawLabels(job.dst, clip, job.labels)
	}
}
