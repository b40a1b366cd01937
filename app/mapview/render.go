package mapview

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
	// simplifyPx: consecutive vertices closer than this (device pixels) are
	// merged when drawing.
	simplifyPx = 0.5
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
	// is 370 KB, so it can stay in a 512 KB L2 cache while drawn). There are
	// at least two strips per worker (and strips at least minStripRows high)
	// so that workers balance busy and empty parts of the map; areas that
	// straddle strips are partly drawn by each.
	stripRows    = 64
	minStripRows = 32
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
// device-independent sizes (line widths, point radii) taken as device pixels
// (pixel scale 1). It is safe to call from any goroutine, including while the
// widget renders in the background. Non-positive sizes give an empty image.
func (m *Map) Render(v View, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 0), max(h, 0)))
	m.RenderTo(img, v, 1)
	return img
}

// RenderTo draws every layer for the view into dst (over its whole bounds,
// replacing what was there). pixelScale is the number of device pixels per
// device-independent pixel (the canvas scale, 2 on a HiDPI screen); it only
// affects line widths, point radii and outlines, which are given in
// device-independent pixels. Reusing dst across calls avoids allocating a
// new image per frame. Safe to call from any goroutine. Area masks are shared
// with the widget's renders through the map's mask cache when the scale and
// sub-pixel phase match (see the package documentation); the result is the
// same as without it, up to a rounding difference of 1 in a channel value.
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
	// masks, when not nil, is the mask cache this render uses; the view's
	// translation is then (itx+fx, ity+fy) with integer itx, ity.
	masks    *maskCache
	itx, ity int
	fx, fy   float64
	// hairW is the width of hairline area borders (device pixels), 0 when
	// borders are not drawn as hairlines; cached masks carry their pixels.
	hairW float64
	// lineXY holds the overlay lines visible in dst, transformed and
	// simplified (x, y pairs; line k ends at lineEnds[k]), with lineEdge
	// flags per vertex like worker.edge.
	lineXY   []float32
	lineEdge []bool
	lineEnds []int32
	// vis lists the areas visible in dst with their pixel bounds, in the
	// drawing order; visMaxY[k] is the largest bottom of vis[:k+1].
	vis     []visArea
	visMaxY []float64
	disc    *discMasks
	// Blend tables of the area stroke and overlay line colours (nil when
	// the colour is transparent).
	strokeLUT, lineLUT *blendLUT
	abort              atomic.Bool
}

// visArea is an area visible in the image and its device-pixel bound.
type visArea struct {
	i              int32
	x0, y0, x1, y1 float64
}

var (
	workerPool = sync.Pool{New: func() any { return new(worker) }}
	jobPool    = sync.Pool{New: func() any { return new(renderJob) }}
)

// transformLines fills job.lineXY, lineEdge and lineEnds with the lines
// whose bound (plus the half width) meets r.
func (job *renderJob) transformLines(r image.Rectangle) {
	sc := job.sc
	hw := float64(sc.lineWidth)*job.ps/2 + 1
	rx0, ry0, rx1, ry1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	w := worker{xy: job.lineXY, edge: job.lineEdge}
	for j, b := range sc.lineBound {
		x0, y0, x1, y1 := job.xf.pixelBound(b)
		if x1+hw < rx0 || x0-hw > rx1 || y1+hw < ry0 || y0-hw > ry1 {
			continue
		}
		l0, l1 := sc.lineStart[j], sc.lineStart[j+1]
		w.appendPath(sc.linePts[l0:l1], sc.lineDup[l0:l1], job.xf, false)
		job.lineEnds = append(job.lineEnds, int32(len(w.xy)))
	}
	job.lineXY, job.lineEdge = w.xy, w.edge
}

// cullAreas fills job.vis and job.visMaxY.
func (job *renderJob) cullAreas(r image.Rectangle) {
	job.vis, job.visMaxY = job.vis[:0], job.visMaxY[:0]
	rx0, ry0, rx1, ry1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	maxY := math.Inf(-1)
	for _, i := range job.sc.order {
		b := job.sc.bounds[i]
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
		job.vis = append(job.vis, visArea{i: i, x0: x0, y0: y0, x1: x1, y1: y1})
		job.visMaxY = append(job.visMaxY, maxY)
	}
}

// renderScene renders sc into dst. cancel, when not nil, is polled and the
// render stops early (leaving dst partly drawn) once it returns true; it
// reports whether it was cancelled.
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
		vis: job.vis[:0], visMaxY: job.visMaxY[:0],
		lineXY: job.lineXY[:0], lineEdge: job.lineEdge[:0], lineEnds: job.lineEnds[:0],
	}
	valid := v.Scale > 0 && !math.IsInf(v.Scale, 0) && finite(v.Center)
	if valid && mc != nil && len(sc.bounds) > 0 {
		itx, ity := math.Floor(job.xf.tx), math.Floor(job.xf.ty)
		if math.Abs(itx) < 1<<30 && math.Abs(ity) < 1<<30 {
			if sc.areaStroke.a > 0 && sc.areaStrokeW > 0 && sc.areaStrokeW <= hairlineMaxPx {
				job.hairW = float64(sc.areaStrokeW)
			}
			fx, fy, ok := mc.acquire(sc.geomID, len(sc.bounds), v.Scale, job.hairW, job.xf.tx-itx, job.xf.ty-ity)
			if ok {
				defer mc.release()
				job.masks = mc
				job.itx, job.ity, job.fx, job.fy = int(itx), int(ity), fx, fy
				job.xf.tx, job.xf.ty = itx+fx, ity+fy
			}
		}
	}
	if valid {
		job.cullAreas(r)
	}
	if valid && sc.areaStroke.a > 0 {
		job.strokeLUT = newBlendLUT(sc.areaStroke)
	}
	if valid && sc.lineColor.a > 0 && sc.lineWidth > 0 {
		job.lineLUT = newBlendLUT(sc.lineColor)
		job.transformLines(r)
	}
	if valid && len(sc.points) > 0 && sc.pointRadius > 0 {
		job.disc = discFor(float64(sc.pointRadius)*ps, float64(sc.pointOutW)*ps)
	}

	// Workers take strips from a shared counter (see stripRows).
	nWorkers := min(runtime.GOMAXPROCS(0), 8)
	nStrips := max((r.Dy()+stripRows-1)/stripRows, min(2*nWorkers, (r.Dy()+minStripRows-1)/minStripRows), 1)
	nWorkers = min(nWorkers, nStrips)
	var next atomic.Int32
	run := func() {
		w := workerPool.Get().(*worker)
		defer workerPool.Put(w)
		for {
			i := int(next.Add(1)) - 1
			if i >= nStrips || job.abort.Load() {
				return
			}
			y0 := r.Min.Y + i*r.Dy()/nStrips
			y1 := r.Min.Y + (i+1)*r.Dy()/nStrips
			clip := image.Rect(r.Min.X, y0, r.Max.X, y1)
			fillRect(dst, clip, sc.background)
			if valid {
				w.renderStrip(job, clip)
			}
		}
	}
	if nWorkers == 1 {
		run()
	} else {
		var wg sync.WaitGroup
		for range nWorkers - 1 {
			wg.Go(run)
		}
		run()
		wg.Wait()
	}
	aborted := job.abort.Load()
	job.sc, job.dst, job.cancel, job.disc, job.strokeLUT, job.lineLUT, job.masks = nil, nil, nil, nil, nil, nil, nil
	jobPool.Put(job)
	return aborted
}

// worker holds the scratch buffers of one rendering goroutine; workers are
// pooled so buffers are reused across renders.
type worker struct {
	r       vector.Rasterizer
	mask    image.Alpha
	maskBuf []uint8

	xy            []float32 // transformed, simplified ring vertices (x, y pairs)
	edge          []bool    // per vertex of xy (areas): draw the border segment from it
	rings         []int32   // ring k is xy[rings[k]:rings[k+1]]
	drawn         []drawnArea
	clipA         []float32
	clipB         []float32
	sprites       map[uint32]*sprite // point sprites by fill colour, for spriteDisc and spriteOutline
	spriteDisc    *discMasks
	spriteOutline uint32
	cov           []uint8 // stroke coverage buffer of the strip (see strokeBegin)
	covClip       image.Rectangle
	spanX0        []int32 // per row of the strip: touched columns [spanX0, spanX1)
	spanX1        []int32
	tmpRings      []int32 // ring ends while rasterizing a cached mask
	hp            []hairPlot
	rowCount      []int32
	arena64       []uint64
	arena64Gen    uint64
	arena64Cache  *maskCache
	slab          []maskEntry
	slabGen       uint64
	slabCache     *maskCache
	arena         []uint8 // mask memory for cache generation arenaGen of arenaCache
	arenaGen      uint64
	arenaCache    *maskCache
}

// drawnArea remembers, for the border pass, which rings of w.rings belong to
// a filled area, or the cached mask entry holding its border pixels.
type drawnArea struct {
	r0, r1 int32
	e      *maskEntry
}

func (w *worker) renderStrip(job *renderJob, clip image.Rectangle) {
	sc := job.sc
	w.xy = w.xy[:0]
	w.edge = w.edge[:0]
	w.rings = w.rings[:0]
	w.drawn = w.drawn[:0]
	cx0, cy0 := float64(clip.Min.X), float64(clip.Min.Y)
	cx1, cy1 := float64(clip.Max.X), float64(clip.Max.Y)
	dr := job.dst.Rect
	rx0, ry0, rx1, ry1 := float64(dr.Min.X), float64(dr.Min.Y), float64(dr.Max.X), float64(dr.Max.Y)

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
		if job.masks != nil && x0 >= rx0 && y0 >= ry0 && x1 <= rx1 && y1 <= ry1 {
			if e := w.cachedMask(job, i); e != nil {
				mr := image.Rect(e.ox+job.itx, e.oy+job.ity, e.ox+job.itx+e.w, e.oy+job.ity+e.h)
				if cr := mr.Intersect(clip); !cr.Empty() {
					off := (cr.Min.Y-mr.Min.Y)*e.w + cr.Min.X - mr.Min.X
					compositeMask(job.dst, cr, e.pix[off:], e.w, sc.fills[i])
				}
				switch {
				case job.hairW > 0:
					w.drawn = append(w.drawn, drawnArea{e: e})
				case job.strokeLUT != nil && sc.areaStrokeW > 0:
					r0 := int32(len(w.rings))
					w.transformArea(sc, i, job.xf)
					w.drawn = append(w.drawn, drawnArea{r0: r0, r1: int32(len(w.rings))})
				}
				continue
			}
		}
		needClip := x0 < cx0-clipMarginPx || y0 < cy0-clipMarginPx || x1 > cx1+clipMarginPx || y1 > cy1+clipMarginPx
		r0 := int32(len(w.rings))
		w.transformArea(sc, i, job.xf)
		r1 := int32(len(w.rings))
		if r0 == r1 {
			continue
		}
		w.drawn = append(w.drawn, drawnArea{r0: r0, r1: r1})
		w.fillRings(job.dst, rect, r0, r1, needClip, sc.fills[i])
	}
	w.rings = append(w.rings, int32(len(w.xy)))

	// Area borders.
	if job.strokeLUT != nil && sc.areaStrokeW > 0 {
		width := float64(sc.areaStrokeW)
		if width <= hairlineMaxPx {
			for _, a := range w.drawn {
				if a.e != nil {
					w.drawBorderPlots(job, clip, a.e)
					continue
				}
				for k := a.r0; k < a.r1; k++ {
					s, e := w.rings[k], w.rings[k+1]
					w.hairRing(job.dst, clip, w.xy[s:e], w.edge[s/2:e/2], job.strokeLUT, width)
				}
			}
		} else {
			w.strokeBegin(clip)
			for _, a := range w.drawn {
				for k := a.r0; k < a.r1; k++ {
					s, e := w.rings[k], w.rings[k+1]
					w.strokePath(w.xy[s:e], w.edge[s/2:e/2], true, width/2)
				}
			}
			w.strokeEnd(job.dst, job.strokeLUT)
		}
	}

	// Overlay lines (transformed once per render in job.lineXY).
	if job.lineLUT != nil && len(job.lineEnds) > 0 {
		hw := float64(sc.lineWidth) * job.ps / 2
		w.strokeBegin(clip)
		prev := 0
		for _, end := range job.lineEnds {
			xy := job.lineXY[prev:end]
			edge := job.lineEdge[prev/2 : end/2]
			prev = int(end)
			w.strokePath(xy, edge, false, hw)
		}
		w.strokeEnd(job.dst, job.lineLUT)
	}

	// Points.
	if job.disc != nil {
		w.drawPoints(job, clip)
	}
}
