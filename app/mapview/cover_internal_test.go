package mapview

import (
	"image/color"
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
