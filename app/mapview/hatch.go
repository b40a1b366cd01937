package mapview

import (
	"image"
	"image/color"
	"math"
	"math/bits"
	"slices"
)

const (
	// HatchSpacing is the distance, in device-independent pixels, between
	// the centre lines of neighbouring hatch lines (see SetHatch), measured
	// across the lines. In device pixels it is rounded so that the pattern
	// repeats every whole number of pixels along a row (see hatchPattern),
	// which keeps it within 0.05 dp of this value at pixel scales 1 and 2.
	HatchSpacing = 7
	// HatchWidth is the width of a hatch line in device-independent pixels.
	HatchWidth = 1.5
)

// hatchSet is a set of areas drawn with diagonal hatching (see SetHatch).
type hatchSet struct {
	areas []int // the valid indexes given, sorted, without repeats
	in    []bool
	color color.NRGBA
	fill  prgba
}

// newHatch returns the hatching of areas (indexes out of [0, n) are
// ignored) in colour c, or nil when there is nothing to draw.
func newHatch(areas []int, c color.NRGBA, n int) *hatchSet {
	if c.A == 0 || len(areas) == 0 {
		return nil
	}
	h := &hatchSet{in: make([]bool, n), color: c, fill: premul(c)}
	for _, i := range areas {
		if i >= 0 && i < n && !h.in[i] {
			h.in[i] = true
			h.areas = append(h.areas, i)
		}
	}
	if len(h.areas) == 0 {
		return nil
	}
	slices.Sort(h.areas)
	return h
}

// rebase returns the same hatching for n areas of a new geometry.
func (h *hatchSet) rebase(n int) *hatchSet {
	if h == nil {
		return nil
	}
	return newHatch(h.areas, h.color, n)
}

func (h *hatchSet) has(i int) bool { return i < len(h.in) && h.in[i] }

// SetHatch draws diagonal hatching over areas (indexes into the areas;
// invalid ones are ignored), e.g. to show white space (areas no territory
// covers) on demand: lines of colour c (its alpha is kept), HatchWidth
// device-independent pixels wide every HatchSpacing, rising at 45° from
// lower left to upper right, anti-aliased. The hatching is clipped to the
// areas: it is the areas' own coverage (the spans or masks the fills use,
// from the same mask cache as SetHighlight) times the line pattern, so no
// hatch pixel falls outside a hatched area. It is drawn over the areas,
// their borders and the highlight's tint, under the overlay lines,
// outlines, points and labels; it is independent of SetHighlight (both can
// be shown at once). The pattern is anchored to the plane (it moves with
// a pan). nil or an empty list, or a transparent c, removes it. It is
// cheap: no area is rasterized again. SetLayers and SetAreas keep it (the
// same indexes). Call it on the UI thread; the slice is read before it
// returns.
func (m *Map) SetHatch(areas []int, c color.NRGBA) {
	m.update(func(sc *scene) { sc.hatch = newHatch(areas, c, len(sc.geoms)) })
}

// hatchPattern returns the coverage (0..255) of the hatch lines for pixel
// scale ps (device pixels per dp) as a function of t = (x + y + off) mod
// len(pattern), for the pixel (x, y): the lines x + y = k·p (pixel
// centres, p the returned length) rise at 45° in the image. p is
// HatchSpacing·ps·√2 rounded (the spacing along a row), so that a pixel's
// coverage depends on the integer x + y only. The coverage of a pixel is
// that of a box filter approximated by the distance d from its centre to
// the nearest line: clamp(w/2 + 1/2 − d, 0, 1) with w = HatchWidth·ps, the
// same approximation as the capsule strokes (stroke.go).
func hatchPattern(ps float64) []uint8 {
	p := max(3, int(math.Round(HatchSpacing*ps*math.Sqrt2)))
	pat := make([]uint8, p)
	hw := HatchWidth * ps / 2
	for t := range pat {
		k := float64(min(t, p-t)) // along a row, from the nearest line
		d := k / math.Sqrt2       // across the lines
		pat[t] = covByte(hw + 0.5 - d)
	}
	return pat
}

// hatchOffset returns the pattern offset (see hatchPattern) that anchors
// the hatching to the plane for the transform t: pixels that show the same
// plane point in two views panned by whole pixels get the same coverage.
func hatchOffset(t xform, p int) int {
	s := math.Floor(t.tx) + math.Floor(t.ty)
	o := math.Mod(-s, float64(p))
	if !(o >= 0) {
		o += float64(p)
	}
	if !(o >= 0 && o < float64(p)) {
		return 0
	}
	return int(o)
}

// endHatch composites the coverage buffer into dst multiplied by the hatch
// pattern pat (see hatchPattern; pixel (x, y) takes pat[(x+y+off) mod
// len(pat)]) with colour lut, and clears it.
func (c *covBuf) endHatch(dst *image.RGBA, lut *blendLUT, pat []uint8, off int) {
	clip := c.clip
	stride := clip.Dx()
	p := len(pat)
	for r := 0; r < clip.Dy(); r++ {
		for wi := 0; wi < c.wpr; wi++ {
			word := c.bits[r*c.wpr+wi]
			if word == 0 {
				continue
			}
			c.bits[r*c.wpr+wi] = 0
			for word != 0 {
				b := wi*64 + bits.TrailingZeros64(word)
				word &= word - 1
				x0 := b * covBlock
				x1 := min(x0+covBlock, stride)
				seg := c.pix[r*stride+x0 : r*stride+x1]
				x, y := clip.Min.X+x0, clip.Min.Y+r
				k := (x + y + off) % p
				if k < 0 {
					k += p
				}
				o := dst.PixOffset(x, y)
				d := dst.Pix[o : o+4*len(seg) : o+4*len(seg)]
				for q, a := range seg {
					// Most pixels are between the lines (pat[k] == 0).
					if pk := pat[k]; pk != 0 && a != 0 {
						if m := mul255(uint32(a), uint32(pk)); m != 0 {
							lut.blend(d[4*q:4*q+4:4*q+4], m)
						}
					}
					if k++; k == p {
						k = 0
					}
				}
				clear(seg)
			}
		}
	}
}

// mul255 returns a·b/255 rounded, for a, b in 0..255 (Blinn's exact
// rounding, see scale4).
func mul255(a, b uint32) uint32 {
	x := a*b + 128
	return (x + x>>8) >> 8
}
