package mapview_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

// darkRows returns the rows of img, within columns x0..x1, that hold a
// label glyph pixel (dark), as a set.
func darkRows(img *image.RGBA, x0, x1 int) map[int]bool {
	out := map[int]bool{}
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := x0; x < x1; x++ {
			if c := img.RGBAAt(x, y); c.R < 0x60 && c.G < 0x60 && c.B < 0x60 {
				out[y] = true
			}
		}
	}
	return out
}

// Labels never overlap: the first keeps its place, a two-line label that
// would overlap it keeps only its first line when that fits, and a label
// that cannot fit at all is left out.
func TestLabelsNeverOverlap(t *testing.T) {
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	black := color.NRGBA{0, 0, 0, 0xff}
	render := func(labels ...mapview.Label) *image.RGBA {
		m := mapview.New()
		m.SetBackground(white)
		m.SetLayers(mapview.NewLayers().
			Areas([]orb.MultiPolygon{{{fxRing(0, 0, 20, 10)}}}, []color.NRGBA{white}).
			Labels(labels))
		return m.Render(fxView, fxW, fxH)
	}
	// Alone, the two-line label at (10, 5) (pixel 150, 100) spans about
	// 2 × 1.2 × 12 px of rows.
	two := mapview.Label{At: orb.Point{10, 5}, Text: "Second\nline two", Size: 12, Color: black}
	alone := darkRows(render(two), 100, 200)
	if len(alone) < 18 {
		t.Fatalf("two-line label alone draws %d rows", len(alone))
	}
	// A first label just below it (pixel row 122): the second keeps its
	// first line only, which ends above the first label.
	first := mapview.Label{At: orb.Point{10, 2.8}, Text: "First", Size: 12, Color: black}
	both := darkRows(render(first, two), 100, 200)
	firstOnly := darkRows(render(first), 100, 200)
	shortened := 0
	for y := range both {
		if !firstOnly[y] {
			shortened++
		}
	}
	if shortened == 0 || shortened >= len(alone)-4 {
		t.Errorf("the second label drew %d rows of its own (alone %d): want its first line only", shortened, len(alone))
	}
	// The same label at the same place as the first is left out.
	same := mapview.Label{At: orb.Point{10, 2.8}, Text: "Other", Size: 12, Color: black}
	a, b := render(first, same), render(first)
	if !a.Rect.Eq(b.Rect) || string(a.Pix) != string(b.Pix) {
		t.Error("a label on top of another was drawn")
	}
}
