package mapview

import (
	"image"
	"image/color"
	"math"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Label is a text drawn into the map image, centred on a plane point, at a
// fixed size on screen (it does not scale with the zoom). Labels are drawn
// over every other layer, in the order given, so they also appear in
// exports made with Render and RenderTo. They never overlap: a label that
// would overlap one before it keeps only its first line, or is left out
// when even that overlaps (so put the most important labels first).
type Label struct {
	// At is the point (plane units) the text block is centred on.
	At orb.Point
	// Text is the text; "\n" separates lines (e.g. a territory name and a
	// metric), each centred horizontally. An empty text draws nothing.
	Text string
	// Size is the font size (em height) in device-independent pixels;
	// 0 or less means DefaultLabelSize. Lines are 1.2 × Size apart.
	Size float32
	// Color is the colour of the glyphs; Halo the colour of the outline
	// drawn around them so that they read on any fill (its width is
	// LabelHaloWidth(Size)). A transparent Halo draws no halo.
	Color, Halo color.NRGBA
	// Bold sets the first line in Go Bold; the other lines (and the first
	// when Bold is false) are set in Go Regular.
	Bold bool
}

const (
	// DefaultLabelSize is the font size of labels, in device-independent
	// pixels, when Label.Size is not positive.
	DefaultLabelSize = 12
	// maxLabelSize bounds label sizes (device-independent pixels).
	maxLabelSize = 96
	// maxLabelLines bounds the lines of a label.
	maxLabelLines = 16
	// maxLabelSprites bounds the rasterized labels kept in memory.
	maxLabelSprites = 1024
)

// LabelHaloWidth returns the width of the halo around the glyphs of a label
// of the given size: an eighth of the size, at least 1 and at most 6 (all
// in device-independent pixels).
func LabelHaloWidth(size float32) float32 { return min(6, max(1, size/8)) }

// labelSprite is a rasterized label: coverage of the glyphs and of the
// halo over w×h pixels; the label point falls on the top-left corner of
// pixel (ax, ay).
type labelSprite struct {
	w, h, ax, ay int
	text, halo   []uint8
}

type labelKey struct {
	text   string
	sizePx float32
	haloPx float32
	bold   bool
}

type faceKey struct {
	sizePx float32
	bold   bool
}

// labelFonts holds the parsed fonts, the faces by size (a face is not safe
// for concurrent use: all use is under mu) and the rasterized labels.
var labelFonts struct {
	mu      sync.Mutex
	regular *opentype.Font
	bold    *opentype.Font
	err     error
	faces   map[faceKey]font.Face
	sprites map[labelKey]*labelSprite
}

// labelFace returns the face for a size in device pixels (labelFonts.mu
// held).
func labelFace(sizePx float32, bold bool) font.Face {
	lf := &labelFonts
	if lf.regular == nil && lf.err == nil {
		if lf.regular, lf.err = opentype.Parse(goregular.TTF); lf.err == nil {
			lf.bold, lf.err = opentype.Parse(gobold.TTF)
		}
	}
	if lf.err != nil {
		return nil
	}
	k := faceKey{sizePx, bold}
	if f, ok := lf.faces[k]; ok {
		return f
	}
	fnt := lf.regular
	if bold {
		fnt = lf.bold
	}
	f, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: float64(sizePx), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	if lf.faces == nil || len(lf.faces) >= 64 {
		lf.faces = make(map[faceKey]font.Face)
	}
	lf.faces[k] = f
	return f
}

// labelSpriteFor returns the rasterized label (nil when it draws nothing).
func labelSpriteFor(k labelKey) *labelSprite {
	lf := &labelFonts
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if sp, ok := lf.sprites[k]; ok {
		return sp
	}
	sp := rasterizeLabel(k)
	if lf.sprites == nil || len(lf.sprites) >= maxLabelSprites {
		lf.sprites = make(map[labelKey]*labelSprite)
	}
	lf.sprites[k] = sp
	return sp
}

// rasterizeLabel draws the lines of a label centred in a sprite, then its
// halo: the glyph coverage dilated by a disc of radius haloPx (each pixel
// takes the largest coverage within the disc around it, weighted by an
// anti-aliased disc edge).
func rasterizeLabel(k labelKey) *labelSprite {
	lines := strings.Split(strings.ReplaceAll(k.text, "\r", ""), "\n")
	if len(lines) > maxLabelLines {
		lines = lines[:maxLabelLines]
	}
	faces := make([]font.Face, len(lines))
	widths := make([]fixed.Int26_6, len(lines))
	maxW := fixed.Int26_6(0)
	for i, l := range lines {
		faces[i] = labelFace(k.sizePx, k.bold && i == 0)
		if faces[i] == nil {
			return nil
		}
		widths[i] = font.MeasureString(faces[i], l)
		maxW = max(maxW, widths[i])
	}
	if maxW <= 0 {
		return nil
	}
	m := faces[0].Metrics()
	lineH := float64(k.sizePx) * 1.2
	asc, desc := float64(m.Ascent)/64, float64(m.Descent)/64
	pad := int(math.Ceil(float64(k.haloPx))) + 1
	w := int(math.Ceil(float64(maxW)/64)) + 2*pad
	blockH := lineH*float64(len(lines)-1) + asc + desc
	h := int(math.Ceil(blockH)) + 2*pad
	if w <= 0 || h <= 0 || w*h > 1<<22 {
		return nil
	}
	text := image.NewAlpha(image.Rect(0, 0, w, h))
	for i, l := range lines {
		x := float64(pad) + float64(maxW-widths[i])/128
		y := float64(pad) + asc + lineH*float64(i)
		d := font.Drawer{Dst: text, Src: image.Opaque, Face: faces[i],
			Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y) * 64)}}
		d.DrawString(l)
	}
	sp := &labelSprite{w: w, h: h, ax: w / 2, ay: int(math.Round(float64(pad) + blockH/2)), text: text.Pix}
	if k.haloPx > 0 {
		sp.halo = dilate(text.Pix, w, h, float64(k.haloPx))
	}
	return sp
}

// dilate returns the w×h coverage src dilated by a disc of radius r
// (pixels): each pixel takes the largest coverage within the disc around
// it, weighted by the disc's anti-aliased edge. Radii over dilateExact are
// done as a disc of that radius followed by one-pixel steps alternating
// between the 4- and the 8-neighbourhood, which grows an octagon.
func dilate(src []uint8, w, h int, r float64) []uint8 {
	const dilateExact = 3
	re := min(r, dilateExact)
	type tap struct {
		dx, dy int
		wt     uint32 // weight 0..256
	}
	var taps []tap
	ri := int(math.Ceil(re + 0.5))
	for dy := -ri; dy <= ri; dy++ {
		for dx := -ri; dx <= ri; dx++ {
			c := clamp01(re + 0.5 - math.Hypot(float64(dx), float64(dy)))
			if c > 0 {
				taps = append(taps, tap{dx, dy, uint32(c*256 + 0.5)})
			}
		}
	}
	out := make([]uint8, w*h)
	for y := range h {
		for x := range w {
			t := uint32(src[y*w+x])
			if t == 0 {
				continue
			}
			for _, tp := range taps {
				xx, yy := x+tp.dx, y+tp.dy
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					continue
				}
				if v := uint8(t * tp.wt >> 8); v > out[yy*w+xx] {
					out[yy*w+xx] = v
				}
			}
		}
	}
	steps := int(math.Round(r - re))
	if steps <= 0 {
		return out
	}
	tmp := make([]uint8, w*h)
	for k := range steps {
		diag := k%2 == 1
		for y := range h {
			for x := range w {
				v := out[y*w+x]
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						if (dx != 0 && dy != 0 && !diag) || x+dx < 0 || y+dy < 0 || x+dx >= w || y+dy >= h {
							continue
						}
						v = max(v, out[(y+dy)*w+x+dx])
					}
				}
				tmp[y*w+x] = v
			}
		}
		out, tmp = tmp, out
	}
	return out
}

// placedLabel is a label sprite placed in the image for one render.
type placedLabel struct {
	sp         *labelSprite
	x, y       int // image position of the sprite's top-left pixel
	text, halo prgba
}

// labelGap is the least room, in device-independent pixels, kept between
// two labels' sprites (halo included).
const labelGap = 2

// placeLabels rasterizes (or finds) the sprites of the scene's labels and
// places those that meet r. Labels never overlap: in the order given (the
// first has priority), a label whose sprite would overlap one already
// placed is shortened to its first line, and left out when even that
// overlaps. The result depends on the view only, not on r.
func (job *renderJob) placeLabels(r image.Rectangle) {
	var taken []image.Rectangle
	gap := int(math.Ceil(labelGap * job.ps))
	free := func(b image.Rectangle) bool {
		b = b.Inset(-gap)
		for _, t := range taken {
			if t.Overlaps(b) {
				return false
			}
		}
		return true
	}
	for _, l := range job.sc.labels {
		if l.Text == "" || !finite(l.At) || (l.Color.A == 0 && l.Halo.A == 0) {
			continue
		}
		size := l.Size
		if !(size > 0) {
			size = DefaultLabelSize
		}
		size = min(size, maxLabelSize)
		halo := float32(0)
		if l.Halo.A > 0 {
			halo = LabelHaloWidth(size) * float32(job.ps)
		}
		px := l.At[0]*job.xf.s + job.xf.tx
		py := job.xf.ty - l.At[1]*job.xf.s
		if !(math.Abs(px) < 1<<30 && math.Abs(py) < 1<<30) {
			continue
		}
		text := l.Text
		var sp *labelSprite
		var x, y int
		for {
			sp = labelSpriteFor(labelKey{text: text, sizePx: size * float32(job.ps), haloPx: halo, bold: l.Bold})
			if sp == nil {
				break
			}
			// Rounded (not floored) so that a label on a whole pixel stays
			// there when the translation is snapped to a cached phase (see
			// maskcache.go).
			x, y = int(math.Floor(px+0.5))-sp.ax, int(math.Floor(py+0.5))-sp.ay
			if free(image.Rect(x, y, x+sp.w, y+sp.h)) {
				break
			}
			first, _, multi := strings.Cut(text, "\n")
			if !multi {
				sp = nil
				break
			}
			text = first
		}
		if sp == nil {
			continue
		}
		taken = append(taken, image.Rect(x, y, x+sp.w, y+sp.h))
		if !image.Rect(x, y, x+sp.w, y+sp.h).Overlaps(r) {
			continue
		}
		job.labels = append(job.labels, placedLabel{sp: sp, x: x, y: y, text: premul(l.Color), halo: premul(l.Halo)})
	}
}

// drawLabels blends the placed labels into the strip clip: halo, then
// glyphs.
func drawLabels(dst *image.RGBA, clip image.Rectangle, labels []placedLabel) {
	for i := range labels {
		pl := &labels[i]
		sp := pl.sp
		r := image.Rect(pl.x, pl.y, pl.x+sp.w, pl.y+sp.h).Intersect(clip)
		if r.Empty() {
			continue
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			so := (y-pl.y)*sp.w + r.Min.X - pl.x
			off := dst.PixOffset(r.Min.X, y)
			for x := 0; x < r.Dx(); x++ {
				d := dst.Pix[off+4*x : off+4*x+4 : off+4*x+4]
				if sp.halo != nil && pl.halo.a > 0 {
					if m := sp.halo[so+x]; m != 0 {
						blend4(d, pl.halo, uint32(m))
					}
				}
				if m := sp.text[so+x]; m != 0 && pl.text.a > 0 {
					blend4(d, pl.text, uint32(m))
				}
			}
		}
	}
}
