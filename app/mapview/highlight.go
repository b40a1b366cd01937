package mapview

import (
	"image/color"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

const (
	// HighlightFillOpacity is the fraction of the highlight colour's alpha
	// used for the tint drawn over highlighted areas (see SetHighlight).
	HighlightFillOpacity = 0.35
	// HighlightStrokeWidth is the width, in device-independent pixels, of
	// the outline drawn around highlighted areas.
	HighlightStrokeWidth = 2
)

// highlight is a set of areas drawn tinted and outlined.
type highlight struct {
	areas  []int // the valid indexes given, sorted, without repeats
	in     []bool
	fill   prgba // tint
	stroke prgba
	color  color.NRGBA

	once sync.Once
	line *lineLayer // outline of the union of the areas, built on first use
}

// newHighlight returns the highlight of areas (indexes out of [0, n) are
// ignored) in colour c, or nil when there is nothing to draw.
func newHighlight(areas []int, c color.NRGBA, n int) *highlight {
	if c.A == 0 {
		return nil
	}
	h := &highlight{in: make([]bool, n), color: c, stroke: premul(c)}
	fc := c
	fc.A = uint8(float64(c.A)*HighlightFillOpacity + 0.5)
	h.fill = premul(fc)
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

// rebase returns the same highlight for n areas of a new geometry.
func (h *highlight) rebase(n int) *highlight {
	if h == nil {
		return nil
	}
	return newHighlight(h.areas, h.color, n)
}

func (h *highlight) has(i int) bool { return i < len(h.in) && h.in[i] }

// boundary returns the outline of the union of the highlighted areas of sc
// (segments shared by two highlighted areas are left out) as a line layer,
// building it on first use.
func (h *highlight) boundary(sc *scene) *lineLayer {
	h.once.Do(func() {
		ps := &sc.area
		count := make(map[segKey]int32)
		for _, i := range h.areas {
			for j := ps.item[i]; j < ps.item[i+1]; j++ {
				r := ps.pts[ps.start[j]:ps.start[j+1]]
				for k := range r {
					count[segKeyOf(r[k], r[(k+1)%len(r)])]++
				}
			}
		}
		var paths [][]orb.Point
		for _, i := range h.areas {
			for j := ps.item[i]; j < ps.item[i+1]; j++ {
				r := ps.pts[ps.start[j]:ps.start[j+1]]
				n := len(r)
				outer := func(k int) bool { return count[segKeyOf(r[k%n], r[(k+1)%n])] == 1 }
				// Start after an inner segment, if any.
				k0 := -1
				for k := range n {
					if !outer((k + n - 1) % n) {
						k0 = k
						break
					}
				}
				if k0 < 0 {
					// The whole ring is outline.
					p := append(append(make([]orb.Point, 0, n+1), r...), r[0])
					paths = append(paths, p)
					continue
				}
				var cur []orb.Point
				for q := range n {
					k := (k0 + q) % n
					if outer(k) {
						if cur == nil {
							cur = append(cur, r[k])
						}
						cur = append(cur, r[(k+1)%n])
					} else if cur != nil {
						paths = append(paths, cur)
						cur = nil
					}
				}
				if cur != nil {
					paths = append(paths, cur)
				}
			}
		}
		h.line = newLineLayerPaths(paths, make([]int32, len(paths)), []prgba{h.stroke}, HighlightStrokeWidth)
	})
	return h.line
}
