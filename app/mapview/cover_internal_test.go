package mapview

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestCoverAreaEdges checks that area segments lying on an opaque line
// overlay at least 1 dp wide are not stroked, and that removing the overlay
// or making it translucent or thin strokes them again.
func TestCoverAreaEdges(t *testing.T) {
	// Two unit squares sharing the edge x=1; the line runs along the west
	// edge of the left square (from top to bottom, the other direction).
	left := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	right := orb.Ring{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}
	line := orb.MultiLineString{{{0, 1}, {0, 0}, {-1, -1}}}
	s := newScene()
	s.setAreas([]orb.MultiPolygon{{{left}}, {{right}}}, nil)
	stroked := func() int {
		n := 0
		for _, d := range s.area.dup {
			if !d {
				n++
			}
		}
		return n
	}
	// 8 segments, the shared one stroked once.
	if got := stroked(); got != 7 {
		t.Fatalf("without lines: %d stroked segments, want 7", got)
	}
	id := s.geomID
	s.setLines(line, color.NRGBA{A: 255}, 1.5)
	if got := stroked(); got != 6 {
		t.Errorf("under an opaque 1.5 dp line: %d stroked segments, want 6", got)
	}
	if s.geomID == id {
		t.Errorf("geometry id unchanged after covering segments")
	}
	// The segment under the line is the west edge (0,1)-(0,0) of the left square.
	for j := 0; j+1 < len(s.area.start); j++ {
		r0, r1 := int(s.area.start[j]), int(s.area.start[j+1])
		for k := r0; k < r1; k++ {
			a, b := s.area.pts[k], s.area.pts[r0+(k+1-r0)%(r1-r0)]
			west := a[0] == 0 && b[0] == 0
			if west != (s.area.dup[k] && !s.areaDup[k]) {
				t.Errorf("segment %v-%v: covered %v, want %v", a, b, s.area.dup[k] && !s.areaDup[k], west)
			}
		}
	}
	for _, c := range []struct {
		name  string
		c     color.NRGBA
		width float32
	}{{"translucent", color.NRGBA{A: 200}, 1.5}, {"thin", color.NRGBA{A: 255}, 0.5}} {
		s.setLines(line, c.c, c.width)
		if got := stroked(); got != 7 {
			t.Errorf("%s line: %d stroked segments, want 7", c.name, got)
		}
	}
	s.setLines(line, color.NRGBA{A: 255}, 1.5)
	s.setLines(nil, color.NRGBA{A: 255}, 1.5)
	if got := stroked(); got != 7 {
		t.Errorf("lines removed: %d stroked segments, want 7", got)
	}
	// Areas set after the lines are covered too.
	s.setLines(line, color.NRGBA{A: 255}, 1.5)
	s.setAreas([]orb.MultiPolygon{{{left}}, {{right}}}, nil)
	if got := stroked(); got != 6 {
		t.Errorf("areas set under lines: %d stroked segments, want 6", got)
	}
}

// TestHideLinesUnderOutlines checks that overlay chunks lying wholly on an
// opaque outline at least as wide are left out, that the mask keeps its id
// while its bits do not change, and that the picture differs from the one
// with every chunk drawn only where the outline's anti-aliased edge is.
func TestHideLinesUnderOutlines(t *testing.T) {
	// A square "state" split into two "territories" along x=5: the overlay
	// has the middle border and a spur to the east that no outline covers.
	middle := orb.LineString{{5, 0}, {5, 10}}
	spur := orb.LineString{{5, 5}, {9, 5}}
	west := orb.LineString{{5, 0}, {0, 0}, {0, 10}, {5, 10}, {5, 0}}
	east := orb.LineString{{5, 0}, {10, 0}, {10, 10}, {5, 10}}
	dark := color.NRGBA{0x22, 0x22, 0x2a, 0xff}
	s := newScene()
	s.setLines(orb.MultiLineString{middle, spur}, dark, 1.5)
	s.setOutlines(newLineLayer([]orb.MultiLineString{{west}, {east}}, []color.NRGBA{dark, dark}, 2.5))
	h := s.linesHidden
	if h == nil || len(h.hide) != 2 || !h.hide[0] || h.hide[1] {
		t.Fatalf("hidden chunks = %+v, want [true false] (the middle border only)", h)
	}
	// The same outlines again (a new layer): same bits, same id.
	s.setOutlines(newLineLayer([]orb.MultiLineString{{east}, {west}}, []color.NRGBA{dark, dark}, 2.5))
	if s.linesHidden == nil || s.linesHidden.id != h.id {
		t.Errorf("unchanged mask got a new id")
	}
	for _, c := range []struct {
		name  string
		lines []orb.MultiLineString
		c     color.NRGBA
		width float32
	}{
		{"translucent outline", []orb.MultiLineString{{west}}, color.NRGBA{A: 200}, 2.5},
		{"outline thinner than the overlay", []orb.MultiLineString{{west}}, dark, 1},
		{"outline off the border", []orb.MultiLineString{{{{0, 0}, {0, 10}}}}, dark, 2.5},
	} {
		s.setOutlines(newLineLayer(c.lines, []color.NRGBA{c.c}, c.width))
		if s.linesHidden != nil {
			t.Errorf("%s: hidden chunks %v, want none", c.name, s.linesHidden.hide)
		}
	}

	// Rendered: hiding changes only pixels within the outline's reach.
	render := func(hide bool) *image.RGBA {
		l := NewLayers().Areas([]orb.MultiPolygon{{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}}}, []color.NRGBA{{0xc0, 0xd0, 0xe0, 0xff}}).
			Lines(orb.MultiLineString{middle, spur}, color.NRGBA{0x30, 0x30, 0x38, 0xff}, 1.5).
			Outlines([]orb.MultiLineString{{west}, {east}}, []color.NRGBA{dark, dark}, 2.5)
		if !hide {
			l.sc.linesHidden = nil
		}
		m := New()
		m.SetLayers(l)
		return m.Render(View{Center: orb.Point{5 - 0.3/8, 5}, Scale: 8}, 100, 100) // x=5 at pixel 50.3
	}
	on, off := render(true), render(false)
	changed, far := 0, 0
	for y := 0; y < 100; y++ {
		for x := 0; x < 100; x++ {
			if on.RGBAAt(x, y) == off.RGBAAt(x, y) {
				continue
			}
			changed++
			// The outline reaches 1.25 px to either side of x = 50.3.
			if d := math.Abs(float64(x) + 0.5 - 50.3); d > 2 {
				far++
			}
		}
	}
	if far != 0 || changed == 0 || changed > 2*100 {
		t.Errorf("%d pixels changed, %d of them farther than 2 px from the hidden border; want 1 to 200, none far", changed, far)
	}
}
