package mapview

import (
	"encoding/binary"
	"image"
	"math"
	"sort"
	"sync"
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
	m map[[2]float64]*discMasks
}

// discFor returns the (shared, read-only) disc masks for a radius and
// outline width in device pixels.
func discFor(radius, outline float64) *discMasks {
	key := [2]float64{radius, outline}
	discCache.Lock()
	defer discCache.Unlock()
	if d, ok := discCache.m[key]; ok {
		return d
	}
	d := newDiscMasks(radius, outline)
	if discCache.m == nil || len(discCache.m) >= 64 {
		discCache.m = make(map[[2]float64]*discMasks)
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

// sprite is a point's disc for one fill colour: the premultiplied source
// pixel (fill and outline mixed, anti-aliased) for each of the 16 sub-pixel
// phases; 0 where the disc does not reach.
type sprite [16][]uint32

// maxSprites bounds the distinct fill colours a worker keeps sprites for;
// past it the worker drops its sprites and rebuilds them as needed.
const maxSprites = 256

func (d *discMasks) sprite(fill, outline uint32) *sprite {
	sp := new(sprite)
	for k := range sp {
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
		sp[k] = px
	}
	return sp
}

func (w *worker) drawPoints(job *renderJob, clip image.Rectangle) {
	sc, d, dst := job.sc, job.disc, job.dst
	outp := sc.pointOutline.packed()
	if w.spriteDisc != d || w.spriteOutline != outp {
		w.spriteDisc, w.spriteOutline = d, outp
		clear(w.sprites)
		if w.sprites == nil {
			w.sprites = make(map[uint32]*sprite)
		}
	}
	lim := d.rad + 1
	cx0, cy0 := float64(clip.Min.X)-lim, float64(clip.Min.Y)-lim
	cx1, cy1 := float64(clip.Max.X)+lim, float64(clip.Max.Y)+lim
	// Points are sorted by decreasing plane y, i.e. increasing screen y:
	// find the ones in this strip's rows.
	yHi := (job.xf.ty - cy0) / job.xf.s
	yLo := (job.xf.ty - cy1) / job.xf.s
	pts := sc.points
	i0 := sort.Search(len(pts), func(i int) bool { return pts[i][1] <= yHi })
	i1 := sort.Search(len(pts), func(i int) bool { return pts[i][1] < yLo })
	for i := i0; i < i1; i++ {
		p := pts[i]
		x := p[0]*job.xf.s + job.xf.tx
		y := job.xf.ty - p[1]*job.xf.s
		if !(x >= cx0 && x <= cx1 && y >= cy0 && y <= cy1) {
			continue
		}
		fx, fy := math.Floor(x), math.Floor(y)
		phx := min(int((x-fx)*4), 3)
		phy := min(int((y-fy)*4), 3)
		k := phy*4 + phx
		fcp := sc.pointFills[i].packed()
		sp := w.sprites[fcp]
		if sp == nil {
			if len(w.sprites) >= maxSprites {
				clear(w.sprites)
			}
			sp = d.sprite(fcp, outp)
			w.sprites[fcp] = sp
		}
		px := sp[k]
		mx, my := int(fx)-d.r1, int(fy)-d.r1
		r := image.Rect(mx, my, mx+d.n, my+d.n).Intersect(clip)
		for yy := r.Min.Y; yy < r.Max.Y; yy++ {
			row := px[(yy-my)*d.n+r.Min.X-mx : (yy-my)*d.n+r.Max.X-mx]
			off := dst.PixOffset(r.Min.X, yy)
			for _, s := range row {
				if s != 0 {
					dp := dst.Pix[off : off+4 : off+4]
					if s>>24 == 255 {
						binary.LittleEndian.PutUint32(dp, s)
					} else {
						binary.LittleEndian.PutUint32(dp, over(binary.LittleEndian.Uint32(dp), s))
					}
				}
				off += 4
			}
		}
	}
}
