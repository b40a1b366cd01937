package mapview

import (
	"image"
	"image/color"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// lineChunkSegs is the most segments in a chunk of a line layer. Lines are
// cut into chunks so that strips find the chunks they cross by their
// bounds, and each chunk is simplified on its own (see simplify.go).
const lineChunkSegs = 32

// lineLayer is a prepared set of lines drawn with one width: one or more
// sets, each with its colour, drawn in order (a later set over an earlier
// one). A segment given more than once (in any set) is drawn once, by the
// first set that has it: state outlines share their borders, and so do
// territory outlines.
type lineLayer struct {
	id     uint64      // identifies the layer (for the caches)
	paths  pathSet     // one open path per item: the chunks
	bounds []orb.Bound // per chunk
	sets   []int32     // chunks of set k are sets[k] .. sets[k+1]-1, by decreasing max y
	colors []prgba     // per set
	width  float32     // device-independent pixels
	all    orb.Bound   // union of the chunk bounds
	hasAll bool
	// segs holds every segment of the layer (full resolution), so that
	// another layer can tell which of its segments this one covers.
	segs map[segKey]struct{}
}

// newLineLayer prepares line sets (plane units) with their colours (missing
// colours are DefaultFill) and a width in device-independent pixels. It
// returns nil when nothing would be drawn.
func newLineLayer(sets []orb.MultiLineString, colors []color.NRGBA, width float32) *lineLayer {
	if !(width > 0) || math.IsInf(float64(width), 0) {
		return nil
	}
	var paths [][]orb.Point
	var pathSetOf []int32
	for k, ls := range sets {
		for _, l := range ls {
			paths = append(paths, l)
			pathSetOf = append(pathSetOf, int32(k))
		}
	}
	return newLineLayerPaths(paths, pathSetOf, premulAll(colors, len(sets)), width)
}

// newLineLayerPaths builds a layer from paths, the set of each path and
// the (premultiplied) colours of the sets.
func newLineLayerPaths(paths [][]orb.Point, pathSetOf []int32, colors []prgba, width float32) *lineLayer {
	nv := 0
	for _, l := range paths {
		nv += len(l)
	}
	pts := make([]orb.Point, 0, nv)
	starts := make([]int32, 0, len(paths)+1)
	setOf := make([]int32, 0, len(paths))
	for j, l := range paths {
		start := len(pts)
		for _, p := range l {
			if finite(p) && (len(pts) == start || pts[len(pts)-1] != p) {
				pts = append(pts, p)
			}
		}
		if len(pts)-start < 2 {
			pts = pts[:start]
			continue
		}
		starts = append(starts, int32(start))
		setOf = append(setOf, pathSetOf[j])
	}
	starts = append(starts, int32(len(pts)))
	dup, segs := markRepeatsSet(pts, starts, false, nil)

	// Chunks: runs of segments to draw, at most lineChunkSegs long.
	type chunk struct {
		set  int32
		a, b int32 // vertices a..b (inclusive)
		bd   orb.Bound
	}
	var chunks []chunk
	for j := 0; j+1 < len(starts); j++ {
		p0, p1 := int(starts[j]), int(starts[j+1])
		s := p0
		for s < p1-1 {
			if dup[s] {
				s++
				continue
			}
			e := s
			for e < p1-1 && !dup[e] && e-s < lineChunkSegs {
				e++
			}
			// Segments s..e-1, vertices s..e.
			bd := orb.Bound{Min: pts[s], Max: pts[s]}
			for _, p := range pts[s+1 : e+1] {
				bd = bd.Extend(p)
			}
			chunks = append(chunks, chunk{set: setOf[j], a: int32(s), b: int32(e), bd: bd})
			s = e
		}
	}
	if len(chunks) == 0 {
		return nil
	}
	sort.SliceStable(chunks, func(x, y int) bool {
		if chunks[x].set != chunks[y].set {
			return chunks[x].set < chunks[y].set
		}
		return chunks[x].bd.Max[1] > chunks[y].bd.Max[1]
	})
	l := &lineLayer{id: geomIDs.Add(1), colors: colors, width: width, segs: segs}
	l.paths = pathSet{
		pts:   make([]orb.Point, 0, nv),
		start: make([]int32, 0, len(chunks)+1),
		item:  make([]int32, 0, len(chunks)+1),
		simp:  &simpCache{},
	}
	l.bounds = make([]orb.Bound, len(chunks))
	l.sets = make([]int32, len(colors)+1)
	for k, c := range chunks {
		l.paths.item = append(l.paths.item, int32(k))
		l.paths.start = append(l.paths.start, int32(len(l.paths.pts)))
		l.paths.pts = append(l.paths.pts, pts[c.a:c.b+1]...)
		l.bounds[k] = c.bd
		l.sets[c.set+1]++
		if k == 0 {
			l.all = c.bd
		} else {
			l.all = l.all.Union(c.bd)
		}
	}
	l.hasAll = true
	l.paths.item = append(l.paths.item, int32(len(chunks)))
	l.paths.start = append(l.paths.start, int32(len(l.paths.pts)))
	for k := 1; k < len(l.sets); k++ {
		l.sets[k] += l.sets[k-1]
	}
	return l
}

// stripCov is the coverage a line layer drew in one strip of an image, per
// set, kept so that renders of the same view (after SetAreaFills,
// SetOutlines of another layer, SetHighlight, ...) composite it again
// without rasterizing.
type stripCov struct{ sets []covBlocks }

// lineJob is the per-render state of a line layer.
type lineJob struct {
	l    *lineLayer
	lv   *simpLevel
	hw   float64     // half width, device pixels
	luts []*blendLUT // per set; nil when the colour is transparent
	vis  []visItem   // visible chunks; set k's are vis[set[k]:set[k+1]]
	maxY []float64   // maxY[n]: largest bottom of the set's vis up to n
	set  []int32     // see vis
	// cache, when not nil, holds the coverage of each strip of this view
	// (generation gen, arena slot slot).
	cache *phaseCache[stripCov]
	gen   uint64
	slot  int
}

// newLineJob prepares layer l for a render into r with transform xf and
// pixel scale ps, reusing the memory of lj; nil when nothing is to be
// drawn. Chunks marked in hidden (nil: none) are left out.
func newLineJob(lj *lineJob, l *lineLayer, hidden *chunkMask, xf xform, ps float64, r image.Rectangle) *lineJob {
	if l == nil {
		return nil
	}
	hw := float64(l.width) * ps / 2
	*lj = lineJob{l: l, hw: hw, luts: lj.luts[:0], vis: lj.vis[:0], maxY: lj.maxY[:0], set: lj.set[:0]}
	visible := false
	for _, c := range l.colors {
		var lut *blendLUT
		if c.a > 0 {
			lut = blendLUTFor(c)
			visible = true
		}
		lj.luts = append(lj.luts, lut)
	}
	if !visible {
		return nil
	}
	lj.lv = l.paths.simp.level(xf.s, l.paths.items())
	R := hw + 1
	rx0, ry0, rx1, ry1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	var hide []bool
	if hidden != nil && hidden.layer == l.id {
		hide = hidden.hide
	}
	for k := 0; k+1 < len(l.sets); k++ {
		lj.set = append(lj.set, int32(len(lj.vis)))
		maxY := math.Inf(-1)
		for c := l.sets[k]; c < l.sets[k+1]; c++ {
			x0, y0, x1, y1 := xf.pixelBound(l.bounds[c])
			x0, y0, x1, y1 = x0-R, y0-R, x1+R, y1+R
			if y0 > ry1 {
				break
			}
			if x1 < rx0 || x0 > rx1 || y1 < ry0 || lj.luts[k] == nil || (hide != nil && hide[c]) {
				continue
			}
			maxY = max(maxY, y1)
			lj.vis = append(lj.vis, visItem{i: c, x0: x0, y0: y0, x1: x1, y1: y1})
			lj.maxY = append(lj.maxY, maxY)
		}
	}
	lj.set = append(lj.set, int32(len(lj.vis)))
	if len(lj.vis) == 0 {
		return nil
	}
	return lj
}

// drawLines draws a line layer into strip number strip (clip): per set,
// the union of the strokes of its chunks, composited once; or what was kept
// from an earlier render of the same view.
func (w *worker) drawLines(job *renderJob, lj *lineJob, clip image.Rectangle, strip int) {
	if lj.cache != nil {
		if st := lj.cache.entries[strip].Load(); st != nil {
			for k := range st.sets {
				if kb := &st.sets[k]; len(kb.data) > 0 && lj.luts[k] != nil {
					drawBlocks(job.dst, clip, kb, lj.luts[k])
				}
			}
			return
		}
	}
	var st *stripCov
	var ar *arena
	if lj.cache != nil {
		ar = &w.arenas[lj.slot]
		ar.sync(lj.cache, lj.gen)
		st = arenaNew(&ar.strips)
		*st = stripCov{sets: arenaAlloc(&ar.sets, len(lj.set)-1)}
		clear(st.sets) // arena memory is reused
	}
	cx0, cy0 := float64(clip.Min.X), float64(clip.Min.Y)
	cx1, cy1 := float64(clip.Max.X), float64(clip.Max.Y)
	for k := 0; k+1 < len(lj.set); k++ {
		lo, hi := int(lj.set[k]), int(lj.set[k+1])
		if lo == hi {
			continue
		}
		n := lo + sort.Search(hi-lo, func(q int) bool { return lj.maxY[lo+q] >= cy0 })
		began := false
		for ; n < hi; n++ {
			va := &lj.vis[n]
			if va.y0 > cy1 {
				break
			}
			if va.y1 < cy0 || va.x1 < cx0 || va.x0 > cx1 {
				continue
			}
			if !began {
				w.cov.begin(clip)
				began = true
			}
			it := lj.lv.get(&lj.l.paths, int(va.i), &w.simp)
			w.lxy = appendXY(w.lxy[:0], it.pts, job.xf)
			w.cov.strokePath(w.lxy, nil, false, lj.hw)
		}
		if began {
			w.keepBits, w.keepData = w.keepBits[:0], w.keepData[:0]
			w.cov.end(job.dst, lj.luts[k], w, st != nil)
			if st != nil {
				kb := covBlocks{bits: arenaAlloc(&ar.u64, len(w.keepBits)), data: arenaAlloc(&ar.b, len(w.keepData))}
				copy(kb.bits, w.keepBits)
				copy(kb.data, w.keepData)
				st.sets[k] = kb
			}
		}
	}
	if st != nil && !job.abort.Load() {
		lj.cache.entries[strip].CompareAndSwap(nil, st)
	}
}

// appendXY appends pts transformed to device pixels as x, y pairs.
func appendXY(xy []float32, pts []orb.Point, t xform) []float32 {
	for _, p := range pts {
		xy = append(xy, float32(p[0]*t.s+t.tx), float32(t.ty-p[1]*t.s))
	}
	return xy
}
