package mapview

import (
	"encoding/binary"
	"image"
	"math"
	"sort"
	"sync"
	"unsafe"
)

// discMasks holds anti-aliased disc coverage masks for the point layer at
// 4×4 sub-pixel phases: outer (whole disc) and fill (disc minus outline).
type discMasks struct {
	r1    int // margin: mask origin is floor(centre) - r1
	n     int // mask side
	outer [16][]uint8
	fill  [16][]uint8
	rad   float64
}

// discCache keeps the disc masks of the radii in use, so that renders (and
// the workers' sprites, keyed by the masks) are reused across renders.
var discCache struct {
	sync.Mutex
	m map[discKey]*discMasks
}

// discKey identifies the masks of a shape.
type discKey struct {
	radius, outline float64
	shape           PointShape
}

// discFor returns the (shared, read-only) disc masks for a radius and
// outline width in device pixels.
func discFor(radius, outline float64) *discMasks {
	return shapeMasksFor(radius, outline, PointDot)
}

// shapeMasksFor returns the (shared, read-only) masks of a point shape of
// a radius and outline width in device pixels (see newDiscMasks,
// newDiamondMasks).
func shapeMasksFor(radius, outline float64, shape PointShape) *discMasks {
	key := discKey{radius, outline, shape}
	discCache.Lock()
	defer discCache.Unlock()
	if d, ok := discCache.m[key]; ok {
		return d
	}
	var d *discMasks
	if shape == PointDiamond {
		d = newDiamondMasks(DiamondScale*radius, outline)
	} else {
		d = newDiscMasks(radius, outline)
	}
	if discCache.m == nil || len(discCache.m) >= 64 {
		discCache.m = make(map[discKey]*discMasks)
	}
	discCache.m[key] = d
	return d
}

func newDiscMasks(radius, outline float64) *discMasks {
	if !(radius > 0) || radius > 512 {
		return nil
	}
	outline = max(0, min(outline, radius))
	r1 := int(math.Ceil(radius)) + 1
	d := &discMasks{r1: r1, n: 2*r1 + 1, rad: radius}
	rf := radius - outline
	for py := 0; py < 4; py++ {
		for px := 0; px < 4; px++ {
			cx := float64(r1) + (float64(px)+0.5)/4
			cy := float64(r1) + (float64(py)+0.5)/4
			o := make([]uint8, d.n*d.n)
			f := make([]uint8, d.n*d.n)
			for y := 0; y < d.n; y++ {
				for x := 0; x < d.n; x++ {
					dist := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
					o[y*d.n+x] = uint8(255*clamp01(radius+0.5-dist) + 0.5)
					if rf > 0 {
						f[y*d.n+x] = uint8(255*clamp01(rf+0.5-dist) + 0.5)
					}
				}
			}
			d.outer[py*4+px] = o
			d.fill[py*4+px] = f
		}
	}
	return d
}

func clamp01(v float64) float64 { return max(0, min(v, 1)) }

// maxPointRadius bounds point radii (device-independent pixels).
const maxPointRadius = 64

// quantizeRadius rounds a radius (device-independent pixels) to 1/8, so
// that sized points share a few disc masks.
func quantizeRadius(r float32) float32 { return float32(math.Round(float64(r)*8) / 8) }

// sprite is a point's disc for one fill colour: the premultiplied source
// pixel (fill and outline mixed, anti-aliased) for each of the 16 sub-pixel
// phases, 0 where the disc does not reach; and, per phase, how to draw it
// into an image of row stride stride (bytes): runs of opaque pixels are
// stored, the other pixels blended. Runs and blends are kept in two lists
// (they never touch the same pixel, so their order does not matter), so
// that the drawing loops do not branch on the kind of step: mixed, such a
// branch is mispredicted about every other pixel.
type sprite struct {
	n  int // side
	px [16][]uint32
	// runs and blends of each phase; those of sprite row y are
	// runs[k][runRow[k][y]:runRow[k][y+1]], and likewise for blends.
	runs   [16][]spriteOp
	blends [16][]spriteOp
	runRow [16][]int32
	// bl[k] is blends[k] without what only clipped sprites need (see
	// blendPx).
	bl      [16][]blendPx
	blndRow [16][]int32
	stride  int
}

// spriteOp is one step of drawing a sprite: a run stores v into n pixels
// from pixel (dx, dy) of the sprite (byte offset off for the stride); a
// blend (n == 1) composites v over that pixel.
type spriteOp struct {
	off, n int32
	dx, dy uint16
	v      uint32
}

// blendPx is a blend step (see spriteOp) reduced to what drawing an
// unclipped sprite needs, so that the blend loop, which does most of the
// point layer's work, reads less memory: the offset, the premultiplied
// colour v and the factor 255 − alpha(v) that the destination is scaled by
// (see over), worked out once per sprite rather than once per pixel.
type blendPx struct {
	off int32
	v   uint32
	inv uint32
}

// opsFor makes sp's runs and blends for a row stride (bytes).
func (sp *sprite) opsFor(stride int) {
	sp.stride = stride
	for k := range sp.px {
		runs, blends := sp.runs[k][:0], sp.blends[k][:0]
		runRow, blndRow := sp.runRow[k][:0], sp.blndRow[k][:0]
		px := sp.px[k]
		for y := range sp.n {
			runRow = append(runRow, int32(len(runs)))
			blndRow = append(blndRow, int32(len(blends)))
			row := px[y*sp.n : (y+1)*sp.n]
			for x := 0; x < sp.n; x++ {
				v := row[x]
				switch {
				case v == 0:
				case v>>24 == 255:
					e := x + 1
					for e < sp.n && row[e] == v {
						e++
					}
					runs = append(runs, spriteOp{off: int32(y*stride + 4*x), n: int32(e - x), dx: uint16(x), dy: uint16(y), v: v})
					x = e - 1
				default:
					blends = append(blends, spriteOp{off: int32(y*stride + 4*x), n: 1, dx: uint16(x), dy: uint16(y), v: v})
				}
			}
		}
		sp.runs[k], sp.blends[k] = runs, blends
		bl := sp.bl[k][:0]
		for _, op := range blends {
			bl = append(bl, blendPx{off: op.off, v: op.v, inv: 255 - op.v>>24})
		}
		sp.bl[k] = bl
		sp.runRow[k] = append(runRow, int32(len(runs)))
		sp.blndRow[k] = append(blndRow, int32(len(blends)))
	}
}

// maxSprites bounds the distinct (disc, fill colour) pairs a worker keeps
// sprites for; past it the worker drops its sprites and rebuilds them as
// needed.
const maxSprites = 256

// spriteHotBits: a worker's direct-mapped table of recent sprites has
// 1<<spriteHotBits entries.
const spriteHotBits = 6

// spriteSlot is an entry of a worker's table of recent sprites.
type spriteSlot struct {
	key spriteKey
	sp  *sprite
}

type spriteKey struct {
	d    *discMasks
	fill uint32
}

func (d *discMasks) sprite(fill, outline uint32) *sprite {
	sp := &sprite{n: d.n}
	for k := range sp.px {
		om, fm := d.outer[k], d.fill[k]
		px := make([]uint32, len(om))
		for i := range om {
			co, cf := uint32(om[i]), uint32(fm[i])
			if co == 0 {
				continue
			}
			if cf == 255 {
				px[i] = fill
			} else {
				// fill*cf + outline*(co-cf), premultiplied
				px[i] = scale4(fill, cf) + scale4(outline, co-min(cf, co))
			}
		}
		sp.px[k] = px
	}
	return sp
}

// pointJob is the per-render state of the point layer.
type pointJob struct {
	discs []*discMasks // per distinct radius of the scene (see scene.pointRList)
	// diamonds: the PointDiamond masks per distinct radius, when the
	// scene has diamonds.
	diamonds []*discMasks
	reach    float64 // largest radius plus one, device pixels
	out      uint32  // packed outline colour
}

func newPointJob(sc *scene, ps float64) *pointJob {
	if len(sc.points) == 0 || !(sc.pointMaxR > 0) {
		return nil
	}
	pj := &pointJob{reach: float64(sc.pointMaxR)*ps + 1, out: sc.pointOutline.packed()}
	for _, r := range sc.pointRList {
		pj.discs = append(pj.discs, discFor(float64(r)*ps, float64(sc.pointOutW)*ps))
	}
	if sc.pointShape != nil {
		pj.reach = DiamondScale*float64(sc.pointMaxR)*ps + 1
		for _, r := range sc.pointRList {
			pj.diamonds = append(pj.diamonds, shapeMasksFor(float64(r)*ps, float64(sc.pointOutW)*ps, PointDiamond))
		}
	}
	return pj
}

func (w *worker) drawPoints(job *renderJob, clip image.Rectangle) {
	sc, pj, dst := job.sc, job.points, job.dst
	if w.spriteOutline != pj.out || w.sprites == nil {
		w.spriteOutline = pj.out
		clear(w.sprites)
		clear(w.spriteHot[:])
		if w.sprites == nil {
			w.sprites = make(map[spriteKey]*sprite)
		}
	}
	lim := pj.reach
	cx0, cy0 := float64(clip.Min.X)-lim, float64(clip.Min.Y)-lim
	cx1, cy1 := float64(clip.Max.X)+lim, float64(clip.Max.Y)+lim
	// Points are sorted by decreasing plane y, i.e. increasing screen y:
	// find the ones in this strip's rows.
	yHi := (job.xf.ty - cy0) / job.xf.s
	yLo := (job.xf.ty - cy1) / job.xf.s
	pts := sc.points
	i0 := sort.Search(len(pts), func(i int) bool { return pts[i][1] <= yHi })
	i1 := sort.Search(len(pts), func(i int) bool { return pts[i][1] < yLo })
	var lastKey spriteKey
	var sp *sprite
	// Locals, which the loop keeps in registers (fields are loaded again
	// after every store through a pointer).
	s, tx, ty := job.xf.s, job.xf.tx, job.xf.ty
	shapes, rks, fills := sc.pointShape, sc.pointRK, sc.pointFills
	for i := i0; i < i1; i++ {
		p := pts[i]
		x := p[0]*s + tx
		y := ty - p[1]*s
		if !(x >= cx0 && x <= cx1 && y >= cy0 && y <= cy1) {
			continue
		}
		discs := pj.discs
		if shapes != nil && shapes[i] == PointDiamond {
			discs = pj.diamonds
		}
		d := discs[0]
		if rks != nil {
			d = discs[rks[i]]
		}
		if d == nil {
			continue
		}
		key := spriteKey{d, fills[i].packed()}
		if key != lastKey || sp == nil {
			// A small direct-mapped table in front of the map: points of
			// a few colours alternate, and a map look-up per point costs
			// more than drawing it.
			h := &w.spriteHot[(key.fill*0x9e3779b1)>>(32-spriteHotBits)]
			if h.key == key && h.sp != nil {
				sp = h.sp
			} else {
				sp = w.sprites[key]
				h.key, h.sp = key, sp
			}
			if sp == nil {
				if len(w.sprites) >= maxSprites {
					clear(w.sprites)
					clear(w.spriteHot[:])
				}
				sp = d.sprite(key.fill, pj.out)
				w.sprites[key] = sp
				h.key, h.sp = key, sp
			}
			lastKey = key
		}
		fx, fy := math.Floor(x), math.Floor(y)
		phx := min(int((x-fx)*4), 3)
		phy := min(int((y-fy)*4), 3)
		mx, my := int(fx)-d.r1, int(fy)-d.r1
		if sp.stride != dst.Stride {
			sp.opsFor(dst.Stride)
		}
		if mx >= clip.Max.X || my >= clip.Max.Y || mx+d.n <= clip.Min.X || my+d.n <= clip.Min.Y {
			continue
		}
		k := phy*4 + phx
		r0, r1 := max(clip.Min.Y-my, 0), min(clip.Max.Y-my, d.n)
		pix := dst.Pix
		if mx >= clip.Min.X && mx+d.n <= clip.Max.X {
			// The sprite's columns are in the strip: its rows in the strip
			// (all of them, or those on this side of a strip edge). base
			// may be outside dst.Pix (sprite rows above the image); only
			// the offsets of rows in the strip are used.
			base := dst.PixOffset(mx, my)
			storeRuns(pix, base, sp.runs[k][sp.runRow[k][r0]:sp.runRow[k][r1]])
			blendPxs(pix, base, sp.bl[k][sp.blndRow[k][r0]:sp.blndRow[k][r1]])
			continue
		}
		// Clipped at a side of the image: op by op.
		for _, ops := range [2][]spriteOp{sp.runs[k][sp.runRow[k][r0]:sp.runRow[k][r1]], sp.blends[k][sp.blndRow[k][r0]:sp.blndRow[k][r1]]} {
			for _, op := range ops {
				y := my + int(op.dy)
				x0 := mx + int(op.dx)
				x1 := x0 + int(op.n)
				x0, x1 = max(x0, clip.Min.X), min(x1, clip.Max.X)
				if x0 >= x1 {
					continue
				}
				off := dst.PixOffset(x0, y)
				if op.v>>24 != 255 {
					p := pix[off : off+4 : off+4]
					binary.LittleEndian.PutUint32(p, over(binary.LittleEndian.Uint32(p), op.v))
					continue
				}
				run := pix[off : off+4*(x1-x0)]
				for q := 0; q+4 <= len(run); q += 4 {
					binary.LittleEndian.PutUint32(run[q:q+4:q+4], op.v)
				}
			}
		}
	}
}

// storeRuns stores the runs of a sprite whose top-left pixel is at byte
// offset base of pix. It and blendPxs are apart from drawPoints so that
// their loops, which do most of the point layer's work, keep their
// variables in registers. Runs are in increasing order of offset (see
// opsFor): when the first and the last lie in pix all do, which is checked
// once; the pixels are then reached through pixAt without a check each
// (otherwise, never for the sprites drawPoints draws, every run is
// checked).
func storeRuns(pix []uint8, base int, runs []spriteOp) {
	if len(runs) == 0 {
		return
	}
	l := &runs[len(runs)-1]
	if lo, hi := base+int(runs[0].off), base+int(l.off)+4*int(l.n); lo < 0 || hi > len(pix) || lo > hi {
		for _, op := range runs {
			if o := base + int(op.off); o >= 0 && o+4*int(op.n) <= len(pix) {
				run := pix[o : o+4*int(op.n)]
				for q := 0; q+4 <= len(run); q += 4 {
					binary.LittleEndian.PutUint32(run[q:q+4:q+4], op.v)
				}
			}
		}
		return
	}
	p0 := unsafe.Pointer(unsafe.SliceData(pix))
	for _, op := range runs {
		o := uint(base + int(op.off))
		for e := o + 4*uint(op.n); o < e; o += 4 {
			binary.LittleEndian.PutUint32(pixAt(p0, o)[:], op.v)
		}
	}
}

// blendPxs composites the blend steps bl of a sprite whose top-left pixel
// is at byte offset base of pix. The steps are in increasing order of
// offset (see opsFor), so when the first and the last lie in pix all do:
// that is checked once, and the pixels are then reached through pixAt
// without a bounds check each (a third fewer instructions per pixel in
// this loop, which does most of the point layer's work); otherwise
// (never, for the sprites drawPoints draws) every step is checked.
func blendPxs(pix []uint8, base int, bl []blendPx) {
	if len(bl) == 0 {
		return
	}
	if lo, hi := base+int(bl[0].off), base+int(bl[len(bl)-1].off); lo < 0 || hi > len(pix)-4 || lo > hi {
		for _, b := range bl {
			if o := base + int(b.off); o >= 0 && o <= len(pix)-4 {
				p := pix[o : o+4 : o+4]
				binary.LittleEndian.PutUint32(p, over(binary.LittleEndian.Uint32(p), b.v))
			}
		}
		return
	}
	p0 := unsafe.Pointer(unsafe.SliceData(pix))
	for _, b := range bl {
		p := pixAt(p0, uint(base+int(b.off)))
		// over(d, b.v), with its factor from the step.
		binary.LittleEndian.PutUint32(p[:], b.v+scale4(binary.LittleEndian.Uint32(p[:]), b.inv))
	}
}
