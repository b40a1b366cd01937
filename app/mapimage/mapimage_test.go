package mapimage_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/app/mapimage"
)

var white = color.RGBA{0xff, 0xff, 0xff, 0xff}

const refWidth = 1200 // the width the layout's reference sizes are for

// tolLight is the legend of the tests: nine territories in Paul Tol's light
// colours, with details.
func legend(n int) []mapimage.LegendEntry {
	cs := []color.NRGBA{
		{0x77, 0xAA, 0xDD, 0xff}, {0xEE, 0x88, 0x66, 0xff}, {0xEE, 0xDD, 0x88, 0xff},
		{0xFF, 0xAA, 0xBB, 0xff}, {0x99, 0xDD, 0xFF, 0xff}, {0x44, 0xBB, 0x99, 0xff},
		{0xBB, 0xCC, 0x33, 0xff}, {0xAA, 0xAA, 0x00, 0xff}, {0xEE, 0xEE, 0xBB, 0xff},
	}
	out := make([]mapimage.LegendEntry, n)
	for i := range out {
		out[i] = mapimage.LegendEntry{
			Color:  cs[i%len(cs)],
			Label:  fmt.Sprintf("Territory %d", i+1),
			Detail: fmt.Sprintf("%d accounts · %.1f M people · +%.1f%%", 400+i, 31.2-float64(i), 4.1),
		}
	}
	return out
}

func options(width, entries int) mapimage.Options {
	return mapimage.Options{
		Width:       width,
		Title:       "US Hospitals sample — territories by Census division",
		Subtitle:    "Scenario: Current · population 2024",
		Date:        time.Date(2026, time.November, 30, 0, 0, 0, 0, time.UTC),
		ScaleNote:   "Scale at the centre: 1 cm ≈ 95 km",
		Attribution: "Boundaries: US Census Bureau · Hospitals: HIFLD",
		LegendTitle: "Territories",
		Legend:      legend(entries),
	}
}

// mapOf returns a w×h opaque test map: a horizontal gradient with a dark
// diagonal, so copies and placement can be checked pixel by pixel.
func mapOf(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / max(1, w-1)), 0x90, uint8(y * 255 / max(1, h-1)), 0xff}
			if x == y {
				c = color.RGBA{0, 0, 0, 0xff}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// compose renders o with a map of exactly MapSize(o) and returns the
// picture and its layout.
func compose(t *testing.T, o mapimage.Options) (*image.RGBA, mapimage.Layout, *image.RGBA) {
	t.Helper()
	l, err := mapimage.ComputeLayout(o)
	if err != nil {
		t.Fatal(err)
	}
	w, h, err := mapimage.MapSize(o)
	if err != nil || w != l.Map.Dx() || h != l.Map.Dy() {
		t.Fatalf("MapSize = %d×%d, %v; layout map %v", w, h, err, l.Map)
	}
	m := mapOf(w, h)
	img, err := mapimage.Compose(m, o)
	if err != nil {
		t.Fatal(err)
	}
	return img, l, m
}

// inkIn counts the pixels of r that are not the white background.
func inkIn(img *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y) != white {
				n++
			}
		}
	}
	return n
}

func TestComposeSizes(t *testing.T) {
	for _, tc := range []struct {
		width, height, wantH int
	}{
		{400, 0, 225}, {1200, 0, 675}, {1920, 0, 1080}, {4000, 0, 2250},
		{1200, 900, 900}, {800, 2000, 2000},
	} {
		o := options(tc.width, 9)
		o.Height = tc.height
		img, l, _ := compose(t, o)
		if b := img.Bounds(); b != image.Rect(0, 0, tc.width, tc.wantH) {
			t.Errorf("width %d height %d: bounds %v, want %d×%d", tc.width, tc.height, b, tc.width, tc.wantH)
		}
		if l.Width != tc.width || l.Height != tc.wantH {
			t.Errorf("layout size %d×%d", l.Width, l.Height)
		}
		// Every block inside the page, and no two overlap.
		page := image.Rect(0, 0, tc.width, tc.wantH)
		blocks := []image.Rectangle{l.Title, l.Map, l.Legend, l.Footer}
		for i, a := range blocks {
			if !a.In(page) {
				t.Errorf("width %d: block %d %v outside the page", tc.width, i, a)
			}
			for _, b := range blocks[i+1:] {
				if a.Overlaps(b) {
					t.Errorf("width %d: blocks %v and %v overlap", tc.width, a, b)
				}
			}
		}
	}
}

func TestComposeLayoutValues(t *testing.T) {
	_, l, _ := compose(t, options(1200, 9))
	// At 1,200 px: 28 px margins; the nine entries fit at the right.
	if l.LegendBelow || l.More != 0 || len(l.Swatches) != 9 {
		t.Fatalf("legend below %v, more %d, %d swatches", l.LegendBelow, l.More, len(l.Swatches))
	}
	if l.Title.Min != image.Pt(28, 28) || l.Footer.Max != image.Pt(1172, 647) {
		t.Errorf("title %v footer %v", l.Title, l.Footer)
	}
	if l.Legend.Max.X != 1172 || l.Map.Min.X != 28 || l.Map.Max.X+16 != l.Legend.Min.X {
		t.Errorf("map %v legend %v", l.Map, l.Legend)
	}
	for i, s := range l.Swatches {
		if s.Dx() != 26 || s.Dy() != 26 || !s.In(l.Legend) || !s.In(l.Entries[i]) {
			t.Errorf("swatch %d %v (entry %v, legend %v)", i, s, l.Entries[i], l.Legend)
		}
		if i > 0 && s.Min.Y <= l.Swatches[i-1].Max.Y {
			t.Errorf("swatch %d %v not below %v", i, s, l.Swatches[i-1])
		}
	}
	// Proportional: the same picture at 4,000 px has every rectangle about
	// 10/3 as large (rounding of each size to whole pixels aside).
	_, big, _ := compose(t, options(4000, 9))
	k := 4000.0 / 1200
	for _, p := range []struct {
		name  string
		a, b  int
		slack float64
	}{
		{"title height", l.Title.Dy(), big.Title.Dy(), 4},
		{"map width", l.Map.Dx(), big.Map.Dx(), 8},
		{"map height", l.Map.Dy(), big.Map.Dy(), 8},
		{"legend width", l.Legend.Dx(), big.Legend.Dx(), 8},
		{"legend height", l.Legend.Dy(), big.Legend.Dy(), 8},
		{"footer top", l.Footer.Min.Y, big.Footer.Min.Y, 8},
	} {
		if d := float64(p.b) - k*float64(p.a); d < -p.slack || d > p.slack {
			t.Errorf("%s: %d at 1,200 px, %d at 4,000 px, want about %.0f", p.name, p.a, p.b, k*float64(p.a))
		}
	}
}

func TestComposeDrawsMapSwatchesAndText(t *testing.T) {
	for _, width := range []int{400, 1200, 4000} {
		o := options(width, 9)
		img, l, m := compose(t, o)
		// The map is copied pixel for pixel into l.Map.
		for _, p := range []image.Point{{0, 0}, {5, 5}, {m.Bounds().Dx() - 1, m.Bounds().Dy() - 1}, {m.Bounds().Dx() / 2, 3}} {
			if got, want := img.RGBAAt(l.Map.Min.X+p.X, l.Map.Min.Y+p.Y), m.RGBAAt(p.X, p.Y); got != want {
				t.Errorf("width %d: map pixel %v = %v, want %v", width, p, got, want)
			}
		}
		// Every pixel of every swatch is its entry's colour.
		for i, s := range l.Swatches {
			c := o.Legend[i].Color
			want := color.RGBA{c.R, c.G, c.B, 0xff}
			for y := s.Min.Y; y < s.Max.Y; y++ {
				for x := s.Min.X; x < s.Max.X; x++ {
					if got := img.RGBAAt(x, y); got != want {
						t.Fatalf("width %d: swatch %d pixel (%d,%d) = %v, want %v", width, i, x, y, got, want)
					}
				}
			}
		}
		// Text is drawn: ink in the title block, beside each swatch and in
		// the footer; none between the blocks.
		if n := inkIn(img, l.Title); n < l.Title.Dx()*l.Title.Dy()/50 {
			t.Errorf("width %d: only %d ink pixels in the title %v", width, n, l.Title)
		}
		for i, e := range l.Entries {
			text := image.Rect(l.Swatches[i].Max.X+1, e.Min.Y, e.Max.X, e.Max.Y)
			if n := inkIn(img, text); n < 20 {
				t.Errorf("width %d: entry %d: %d ink pixels in its text %v", width, i, n, text)
			}
		}
		if n := inkIn(img, l.Footer); n < 50 {
			t.Errorf("width %d: %d ink pixels in the footer", width, n)
		}
		frame := (width + refWidth - 1) / refWidth // the map's hairline frame
		between := image.Rect(0, l.Title.Max.Y, width, l.Map.Min.Y-frame)
		if n := inkIn(img, between); n != 0 {
			t.Errorf("width %d: %d ink pixels between title and map %v", width, n, between)
		}
	}
}

func TestComposeLegendBelowAndOverflow(t *testing.T) {
	// 30 entries do not fit in one column at 1,200×675: below, in columns,
	// read down then across.
	o := options(1200, 30)
	img, l, _ := compose(t, o)
	if !l.LegendBelow || l.Legend.Min.Y <= l.Map.Max.Y || l.Legend.Dx() != l.Map.Dx() {
		t.Fatalf("30 entries: below %v, legend %v, map %v", l.LegendBelow, l.Legend, l.Map)
	}
	if l.Legend.Dy() > (l.Footer.Min.Y-16-l.Map.Min.Y)*45/100 {
		t.Errorf("legend %v taller than 45%% of the body", l.Legend)
	}
	if len(l.Swatches)+l.More != 30 || l.More == 0 || l.MoreText.Empty() {
		t.Errorf("%d swatches, %d more, more text %v", len(l.Swatches), l.More, l.MoreText)
	}
	if n := inkIn(img, l.MoreText); n < 20 {
		t.Errorf("%d ink pixels in %q", n, "+ N more")
	}
	if len(l.Swatches) > 1 && l.Swatches[1].Min.X != l.Swatches[0].Min.X {
		t.Errorf("entries 0 and 1 not in the same column: %v %v", l.Swatches[0], l.Swatches[1])
	}
	// A taller page holds all 30.
	o.Height = 2000
	_, l, _ = compose(t, o)
	if l.More != 0 || len(l.Swatches) != 30 {
		t.Errorf("1200×2000: %d swatches, %d more", len(l.Swatches), l.More)
	}
	// 500 entries at 400 px: no panic, most summarised.
	o = options(400, 500)
	_, l, _ = compose(t, o)
	if len(l.Swatches)+l.More != 500 || l.More < 400 {
		t.Errorf("500 entries at 400 px: %d swatches, %d more", len(l.Swatches), l.More)
	}
}

func TestComposeEmptyAndLongTexts(t *testing.T) {
	// No texts and no legend: the map takes the page inside the margins.
	o := mapimage.Options{Width: 1000}
	_, l, _ := compose(t, o)
	if !l.Title.Empty() || !l.Legend.Empty() || !l.Footer.Empty() || l.Map != image.Rect(23, 23, 977, 539) {
		t.Errorf("bare layout %+v", l)
	}
	// Very long texts are cut short inside their blocks.
	long := strings.Repeat("Very long territory name ", 40)
	o = options(800, 3)
	o.Title, o.Subtitle, o.ScaleNote, o.Attribution = long, long, long, long
	o.Legend[0].Label, o.Legend[0].Detail = long, long+"\xff\xfe" // invalid UTF-8 too
	img, l, _ := compose(t, o)
	outside := 0
	for x := 0; x < 800; x++ { // the right margin stays blank
		for y := 0; y < img.Bounds().Dy(); y++ {
			if x >= l.Title.Max.X+1 && img.RGBAAt(x, y) != white {
				outside++
			}
		}
	}
	if outside != 0 {
		t.Errorf("%d ink pixels in the right margin", outside)
	}
}

func TestComposeScalesOtherMapSizes(t *testing.T) {
	o := options(1200, 9)
	l, err := mapimage.ComputeLayout(o)
	if err != nil {
		t.Fatal(err)
	}
	// A map twice as wide as tall, half the area's size: scaled to the full
	// width, centred vertically; an orange map for easy checks.
	m := image.NewRGBA(image.Rect(10, 10, 10+l.Map.Dx()/2, 10+l.Map.Dx()/4))
	orange := color.RGBA{0xEE, 0x88, 0x66, 0xff}
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			m.SetRGBA(x, y, orange)
		}
	}
	img, err := mapimage.Compose(m, o)
	if err != nil {
		t.Fatal(err)
	}
	c := image.Pt((l.Map.Min.X+l.Map.Max.X)/2, (l.Map.Min.Y+l.Map.Max.Y)/2)
	if got := img.RGBAAt(c.X, c.Y); got != orange {
		t.Errorf("centre of the map %v = %v, want orange", c, got)
	}
	if got := img.RGBAAt(l.Map.Min.X+2, c.Y); got != orange {
		t.Errorf("left edge of the map = %v, want orange (full width)", got)
	}
	if got := img.RGBAAt(c.X, l.Map.Min.Y+1); got != white {
		t.Errorf("top of the map area = %v, want white (centred vertically)", got)
	}
}

func TestComposeErrors(t *testing.T) {
	m := mapOf(10, 10)
	for _, tc := range []struct {
		o    mapimage.Options
		m    image.Image
		want error
	}{
		{mapimage.Options{Width: 399}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: 4001}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: 0}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: -5}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: 1200, Height: 299}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: 1200, Height: 4001}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: 4000, Height: 300, Title: "T", Subtitle: "S", ScaleNote: "N"}, m, mapimage.ErrBadSize},
		{mapimage.Options{Width: 1200}, nil, mapimage.ErrNoMap},
		{mapimage.Options{Width: 1200}, image.NewRGBA(image.Rect(0, 0, 0, 5)), mapimage.ErrNoMap},
	} {
		img, err := mapimage.Compose(tc.m, tc.o)
		if !errors.Is(err, tc.want) || img != nil {
			t.Errorf("Compose(%+v): %v, want %v", tc.o, err, tc.want)
		}
		if tc.want == mapimage.ErrBadSize {
			if _, _, err := mapimage.MapSize(tc.o); !errors.Is(err, mapimage.ErrBadSize) {
				t.Errorf("MapSize(%+v): %v", tc.o, err)
			}
		}
	}
	if err := mapimage.EncodePNG(&bytes.Buffer{}, nil); err == nil {
		t.Error("EncodePNG(nil) succeeded")
	}
	if err := mapimage.EncodePNG(failWriter{}, m); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("EncodePNG to a failing writer: %v", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEncodePNGRoundTrip(t *testing.T) {
	img, _, _ := compose(t, options(800, 5))
	var buf bytes.Buffer
	if err := mapimage.EncodePNG(&buf, img); err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Bounds() != img.Bounds() {
		t.Fatalf("decoded %v, want %v", back.Bounds(), img.Bounds())
	}
	for _, p := range []image.Point{{0, 0}, {400, 200}, {799, 449}, {123, 321}} {
		r1, g1, b1, a1 := back.At(p.X, p.Y).RGBA()
		r2, g2, b2, a2 := img.At(p.X, p.Y).RGBA()
		if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
			t.Errorf("pixel %v changed in the round trip", p)
		}
	}
}

func benchmarkCompose(b *testing.B, width int) {
	o := options(width, 9)
	w, h, err := mapimage.MapSize(o)
	if err != nil {
		b.Fatal(err)
	}
	m := mapOf(w, h)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := mapimage.Compose(m, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompose1200(b *testing.B) { benchmarkCompose(b, 1200) }
func BenchmarkCompose4000(b *testing.B) { benchmarkCompose(b, 4000) }

func BenchmarkEncodePNG1200(b *testing.B) {
	o := options(1200, 9)
	w, h, _ := mapimage.MapSize(o)
	img, err := mapimage.Compose(mapOf(w, h), o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := mapimage.EncodePNG(&buf, img); err != nil {
			b.Fatal(err)
		}
	}
}
