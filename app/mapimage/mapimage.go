// Package mapimage composes the picture of a map for a planning meeting: a
// title block, the map (rendered by the caller), a legend with colour
// swatches and a footer with the scale note, the date and the attribution,
// on a white page ready to paste into slides.
//
// It is pure Go image code and knows nothing of plans or territories: the
// caller passes an already-rendered map and the legend entries. All sizes are
// in pixels of the output image and proportional to its width (a 1,200 px
// picture and a 4,000 px one look the same), with text set in the Go fonts
// (golang.org/x/image/font/gofont) through golang.org/x/image/font/opentype.
//
// Call MapSize first and render the map at exactly that size: Compose then
// copies it pixel for pixel instead of resampling it.
package mapimage

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Limits of Options.Width and of a non-zero Options.Height, in pixels.
const (
	MinWidth  = 400
	MaxWidth  = 4000
	MinHeight = 300
	MaxHeight = 4000
)

// ErrBadSize is returned (wrapped, with the offending value) when
// Options.Width or Options.Height is out of range, or when the height leaves
// no room for the map.
var ErrBadSize = errors.New("mapimage: bad picture size")

// ErrNoMap is returned by Compose for a nil map image or one with no pixels.
var ErrNoMap = errors.New("mapimage: no map image")

// LegendEntry is one row of the legend: a colour swatch, a label (drawn in
// bold) and an optional detail line under it, e.g. Label "Pacific", Detail
// "412 accounts · 31.2 M people · +4.1%".
type LegendEntry struct {
	Color  color.NRGBA // swatch colour, drawn over white (alpha is honoured)
	Label  string
	Detail string
}

// Options describe the picture. Texts that do not fit their space are cut
// short with "…". Empty texts are left out, and their space goes to the map.
type Options struct {
	// Width is the total output width in pixels, MinWidth..MaxWidth.
	Width int
	// Height is the total output height in pixels; 0 means Width·9/16 (a
	// 16:9 slide), otherwise MinHeight..MaxHeight.
	Height int

	Title    string    // first line of the title block, bold
	Subtitle string    // second line, e.g. the scenario and the metric shown
	Date     time.Time // printed in the footer as "30 November 2026"; zero: left out

	ScaleNote   string // footer, first line, e.g. "Scale at the centre: 1 cm ≈ 95 km"
	Attribution string // footer, a line of its own, e.g. "Boundaries: US Census Bureau"

	LegendTitle string // optional heading of the legend, e.g. "Territories"
	// Legend entries in display order. Up to the number that fits in one
	// column beside the map the legend is a panel at the right; beyond that
	// it goes below the map in columns, at most 45% of the height left for
	// map and legend, and the entries that still do not fit are summarised
	// as "+ N more".
	Legend []LegendEntry
}

// Layout gives the rectangles of the picture, in output pixels with (0, 0)
// at the top left, as ComputeLayout and Compose use them.
type Layout struct {
	Width, Height int // the whole picture

	Title  image.Rectangle // title and subtitle; empty when both are ""
	Map    image.Rectangle // the map area; its size is MapSize's
	Legend image.Rectangle // the legend panel; empty when there is no entry
	Footer image.Rectangle // scale note, date, attribution; empty when all are empty

	// LegendBelow is true when the legend is below the map, false when it
	// is at the right.
	LegendBelow bool
	// Swatches[i] is the rectangle filled with Legend[i].Color (its outline
	// is drawn just outside it); Entries[i] is Legend[i]'s whole row, swatch
	// and text. Only drawn entries have one: len(Swatches) == len(Legend) -
	// More.
	Swatches []image.Rectangle
	Entries  []image.Rectangle
	// More is the number of legend entries left out for lack of room; when
	// positive, MoreText is the rectangle of the "+ N more" line.
	More     int
	MoreText image.Rectangle
}

// Colours of the page.
var (
	background    = color.RGBA{0xff, 0xff, 0xff, 0xff}
	inkDark       = color.RGBA{0x1a, 0x1a, 0x22, 0xff} // title, labels
	inkGrey       = color.RGBA{0x4a, 0x4a, 0x55, 0xff} // subtitle, details, footer
	swatchOutline = color.RGBA{0x5a, 0x5a, 0x64, 0xff}
	mapFrame      = color.RGBA{0xc8, 0xc8, 0xcc, 0xff}
)

// Font sizes and spacings in pixels for a 1,200 px wide picture; they scale
// with the width.
const (
	refWidth        = 1200
	sizeTitle       = 36
	sizeSubtitle    = 21
	sizeLegendTitle = 18
	sizeLabel       = 17
	sizeDetail      = 14
	sizeFooter      = 14
	minFontPx       = 8   // no text smaller than this, even at 400 px
	lineSpacing     = 1.2 // line height / font size
	spaceMargin     = 28
	spaceGap        = 16
	spaceSwatch     = 26
	spaceRow        = 10
)

var (
	fontsOnce     sync.Once
	fontRegular   *opentype.Font
	fontBold      *opentype.Font
	fontsParseErr error
)

func parseFonts() error {
	fontsOnce.Do(func() {
		fontRegular, fontsParseErr = opentype.Parse(goregular.TTF)
		if fontsParseErr == nil {
			fontBold, fontsParseErr = opentype.Parse(gobold.TTF)
		}
	})
	return fontsParseErr
}

// faces holds the font faces for one picture. A font.Face is not safe for
// concurrent use, so every call makes its own.
type faces struct {
	title, subtitle, legendTitle, label, detail, footer font.Face
}

func newFaces(width int) (*faces, error) {
	if err := parseFonts(); err != nil {
		return nil, fmt.Errorf("mapimage: Go fonts: %w", err)
	}
	sc := newScale(width)
	face := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: sc.font(size), DPI: 72, Hinting: font.HintingNone})
	}
	var fs faces
	var err error
	for _, x := range []struct {
		dst  *font.Face
		f    *opentype.Font
		size float64
	}{
		{&fs.title, fontBold, sizeTitle}, {&fs.subtitle, fontRegular, sizeSubtitle},
		{&fs.legendTitle, fontBold, sizeLegendTitle}, {&fs.label, fontBold, sizeLabel},
		{&fs.detail, fontRegular, sizeDetail}, {&fs.footer, fontRegular, sizeFooter},
	} {
		if *x.dst, err = face(x.f, x.size); err != nil {
			return nil, fmt.Errorf("mapimage: font face: %w", err)
		}
	}
	return &fs, nil
}

func (fs *faces) close() {
	for _, f := range []font.Face{fs.title, fs.subtitle, fs.legendTitle, fs.label, fs.detail, fs.footer} {
		f.Close()
	}
}

// height returns the output height for valid options.
func (o Options) height() int {
	if o.Height == 0 {
		return o.Width * 9 / 16
	}
	return o.Height
}

func (o Options) validate() error {
	if o.Width < MinWidth || o.Width > MaxWidth {
		return fmt.Errorf("%w: width %d px is outside %d..%d", ErrBadSize, o.Width, MinWidth, MaxWidth)
	}
	if o.Height != 0 && (o.Height < MinHeight || o.Height > MaxHeight) {
		return fmt.Errorf("%w: height %d px is outside %d..%d (or 0 for 16:9)", ErrBadSize, o.Height, MinHeight, MaxHeight)
	}
	return nil
}

// footerTexts returns the footer's left text (scale note and date) and right
// text (attribution).
func (o Options) footerTexts() (left, right string) {
	left = o.ScaleNote
	if !o.Date.IsZero() {
		if left != "" {
			left += "  ·  "
		}
		left += o.Date.Format("2 January 2006")
	}
	return left, o.Attribution
}

// MapSize returns the size in pixels of the map area of the picture o
// describes: render the map at exactly w×h pixels and Compose copies it
// without resampling. It depends on Width, Height, which texts are empty
// and on the legend (its entries and their text widths, which decide whether
// it sits at the right or below). Errors are those of ComputeLayout.
func MapSize(o Options) (w, h int, err error) {
	l, err := ComputeLayout(o)
	if err != nil {
		return 0, 0, err
	}
	return l.Map.Dx(), l.Map.Dy(), nil
}

// ComputeLayout returns the rectangles of the picture o describes, without
// drawing it. It returns an error wrapping ErrBadSize when Width or Height
// is out of range or the height leaves less than 1/4 of it to the map.
func ComputeLayout(o Options) (Layout, error) {
	if err := o.validate(); err != nil {
		return Layout{}, err
	}
	fs, err := newFaces(o.Width)
	if err != nil {
		return Layout{}, err
	}
	defer fs.close()
	return computeLayout(o, fs)
}

func computeLayout(o Options, fs *faces) (Layout, error) {
	W, H := o.Width, o.height()
	sc := newScale(W)
	px := sc.px
	m, gap := px(spaceMargin), px(spaceGap)
	l := Layout{Width: W, Height: H}

	top := m
	if o.Title != "" || o.Subtitle != "" {
		h := 0.0
		if o.Title != "" {
			h += sc.line(sizeTitle)
		}
		if o.Subtitle != "" {
			h += sc.line(sizeSubtitle)
		}
		l.Title = image.Rect(m, m, W-m, m+round(h))
		top = l.Title.Max.Y + gap
	}
	bottom := H - m
	if left, right := o.footerTexts(); left != "" || right != "" {
		lines := 1
		if left != "" && right != "" {
			lines = 2 // the attribution gets a line of its own
		}
		l.Footer = image.Rect(m, H-m-lines*round(sc.line(sizeFooter)), W-m, H-m)
		bottom = l.Footer.Min.Y - gap
	}
	if bottom-top < H/4 {
		return Layout{}, fmt.Errorf("%w: a %d×%d px picture leaves %d px of height for the map", ErrBadSize, W, H, bottom-top)
	}
	body := image.Rect(m, top, W-m, bottom)
	l.Map = body
	n := len(o.Legend)
	if n == 0 {
		return l, nil
	}

	// Legend rows: swatch, then label over detail. Vertical positions are
	// computed in fractional pixels and rounded once, so that the layout
	// scales with the width without accumulating rounding.
	sw, pad := px(spaceSwatch), px(spaceRow)
	anyDetail := false
	textW := 0
	for _, e := range o.Legend {
		textW = max(textW, font.MeasureString(fs.label, e.Label).Ceil())
		if e.Detail != "" {
			anyDetail = true
			textW = max(textW, font.MeasureString(fs.detail, e.Detail).Ceil())
		}
	}
	textH := sc.line(sizeLabel)
	if anyDetail {
		textH += sc.line(sizeDetail)
	}
	blockH := math.Max(sc.f(spaceSwatch), textH)
	rowGap := sc.f(spaceRow)
	rowH := blockH + rowGap
	titleH := 0.0
	if o.LegendTitle != "" {
		titleH = sc.line(sizeLegendTitle) + sc.f(spaceRow)
		textW = max(textW, font.MeasureString(fs.legendTitle, o.LegendTitle).Ceil()-sw-pad)
	}
	colW := min(max(sw+pad+textW, W*16/100), W*30/100)
	height := func(rows int) int { return round(titleH + float64(rows)*rowH - rowGap) }

	rows, cols, shown := n, 1, n
	if height(n) <= body.Dy() {
		l.Legend = image.Rect(body.Max.X-colW, body.Min.Y, body.Max.X, body.Min.Y+height(n))
		l.Map = image.Rect(body.Min.X, body.Min.Y, l.Legend.Min.X-gap, body.Max.Y)
	} else {
		l.LegendBelow = true
		cols = max(1, (body.Dx()+gap)/(colW+gap))
		colW = (body.Dx() - (cols-1)*gap) / cols
		rows = (n + cols - 1) / cols
		maxRows := max(1, int((float64(body.Dy())*0.45-titleH+rowGap)/rowH))
		if rows > maxRows {
			rows = maxRows
			shown = rows*cols - 1
		}
		l.Legend = image.Rect(body.Min.X, body.Max.Y-height(rows), body.Max.X, body.Max.Y)
		l.Map = image.Rect(body.Min.X, body.Min.Y, body.Max.X, l.Legend.Min.Y-gap)
	}
	l.More = n - shown
	gapX := 0
	if cols > 1 {
		gapX = gap
	}
	cell := func(i int) image.Rectangle { // column-major: read down, then across
		c, r := i/rows, i%rows
		x := l.Legend.Min.X + c*(colW+gapX)
		y := float64(l.Legend.Min.Y) + titleH + float64(r)*rowH
		return image.Rect(x, round(y), x+colW, round(y+blockH))
	}
	for i := 0; i < shown; i++ {
		e := cell(i)
		y := e.Min.Y + (e.Dy()-sw)/2
		l.Entries = append(l.Entries, e)
		l.Swatches = append(l.Swatches, image.Rect(e.Min.X, y, e.Min.X+sw, y+sw))
	}
	if l.More > 0 {
		l.MoreText = cell(shown)
	}
	if l.Map.Dx() < 1 || l.Map.Dy() < 1 {
		return Layout{}, fmt.Errorf("%w: no room left for the map in a %d×%d px picture", ErrBadSize, W, H)
	}
	return l, nil
}

// scale converts the sizes of a refWidth-wide picture to one of another
// width.
type scale struct{ s float64 }

func newScale(width int) scale { return scale{float64(width) / refWidth} }

// f returns v scaled, in fractional pixels.
func (sc scale) f(v float64) float64 { return v * sc.s }

// px returns v scaled and rounded to whole pixels, at least 1.
func (sc scale) px(v float64) int { return max(1, round(v*sc.s)) }

// font returns the pixel size of a font of reference size v: scaled, and
// never below minFontPx.
func (sc scale) font(v float64) float64 { return math.Max(v*sc.s, minFontPx) }

// line returns the line height of a font of reference size v, in fractional
// pixels: lineSpacing times its pixel size.
func (sc scale) line(v float64) float64 { return lineSpacing * sc.font(v) }

func round(v float64) int { return int(math.Round(v)) }

// Compose draws the meeting picture: o's title block, the map m, the legend
// and the footer on a white page of o.Width × (o.Height or o.Width·9/16)
// pixels, laid out as ComputeLayout(o) says. A map of exactly MapSize(o)
// pixels is copied pixel for pixel; any other size is scaled to fit the map
// area keeping its aspect ratio (Catmull-Rom resampling) and centred in it.
// Transparent map pixels show the white page.
//
// Errors: ErrBadSize (wrapped) for bad Width or Height, ErrNoMap (wrapped)
// for a nil or empty m.
func Compose(m image.Image, o Options) (*image.RGBA, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if m == nil || m.Bounds().Empty() {
		return nil, fmt.Errorf("%w: the map image is nil or has no pixels", ErrNoMap)
	}
	fs, err := newFaces(o.Width)
	if err != nil {
		return nil, err
	}
	defer fs.close()
	l, err := computeLayout(o, fs)
	if err != nil {
		return nil, err
	}
	sc := newScale(o.Width)
	px := sc.px
	dst := image.NewRGBA(image.Rect(0, 0, l.Width, l.Height))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)

	// Title block.
	y := float64(l.Title.Min.Y)
	if o.Title != "" {
		drawText(dst, fs.title, inkDark, l.Title.Min.X, round(y), l.Title.Dx(), o.Title)
		y += sc.line(sizeTitle)
	}
	if o.Subtitle != "" {
		drawText(dst, fs.subtitle, inkGrey, l.Title.Min.X, round(y), l.Title.Dx(), o.Subtitle)
	}

	// Map, framed by a hairline just outside it.
	mb := m.Bounds()
	target := l.Map
	if mb.Size() != l.Map.Size() {
		w, h := l.Map.Dx(), l.Map.Dy()
		if mb.Dx()*h > mb.Dy()*w { // wider than the area: fit the width
			h = max(1, int(math.Round(float64(w)*float64(mb.Dy())/float64(mb.Dx()))))
		} else {
			w = max(1, int(math.Round(float64(h)*float64(mb.Dx())/float64(mb.Dy()))))
		}
		x0 := l.Map.Min.X + (l.Map.Dx()-w)/2
		y0 := l.Map.Min.Y + (l.Map.Dy()-h)/2
		target = image.Rect(x0, y0, x0+w, y0+h)
	}
	frame := px(1)
	fillRect(dst, target.Inset(-frame), mapFrame)
	fillRect(dst, target, background)
	if target.Size() == mb.Size() {
		draw.Draw(dst, target, m, mb.Min, draw.Over)
	} else {
		draw.CatmullRom.Scale(dst, target, m, mb, draw.Over, nil)
	}

	// Legend.
	if len(o.Legend) > 0 {
		if o.LegendTitle != "" {
			drawText(dst, fs.legendTitle, inkDark, l.Legend.Min.X, l.Legend.Min.Y, l.Legend.Dx(), o.LegendTitle)
		}
		pad := px(spaceRow)
		textH := sc.line(sizeLabel)
		for _, e := range o.Legend {
			if e.Detail != "" {
				textH += sc.line(sizeDetail)
				break
			}
		}
		for i, sw := range l.Swatches {
			e := o.Legend[i]
			fillRect(dst, sw.Inset(-frame), swatchOutline)
			fillRect(dst, sw, background)
			draw.Draw(dst, sw, image.NewUniform(e.Color), image.Point{}, draw.Over)
			row := l.Entries[i]
			x := sw.Max.X + pad
			ty := float64(row.Min.Y) + (float64(row.Dy())-textH)/2
			drawText(dst, fs.label, inkDark, x, round(ty), row.Max.X-x, e.Label)
			if e.Detail != "" {
				drawText(dst, fs.detail, inkGrey, x, round(ty+sc.line(sizeLabel)), row.Max.X-x, e.Detail)
			}
		}
		if l.More > 0 {
			r := l.MoreText
			drawText(dst, fs.detail, inkGrey, r.Min.X, r.Min.Y+round((float64(r.Dy())-sc.line(sizeDetail))/2), r.Dx(), fmt.Sprintf("+ %d more", l.More))
		}
	}

	// Footer: scale note and date on the first line; the attribution on a
	// line of its own below (or alone), cut short with "…" only when even a
	// full line is too narrow.
	if left, right := o.footerTexts(); left != "" || right != "" {
		f := l.Footer
		y := f.Min.Y
		if left != "" {
			drawText(dst, fs.footer, inkGrey, f.Min.X, y, f.Dx(), left)
			y += f.Dy() / 2
		}
		if right != "" {
			right = fitText(fs.footer, right, f.Dx())
			drawText(dst, fs.footer, inkGrey, f.Min.X, y, f.Dx(), right)
		}
	}
	return dst, nil
}

// fillRect fills r with c.
func fillRect(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// drawText draws s with face f and colour c in the line whose top left
// corner is (x, top), cut short with "…" to at most maxW pixels.
func drawText(dst draw.Image, f font.Face, c color.Color, x, top, maxW int, s string) {
	s = fitText(f, s, maxW)
	if s == "" {
		return
	}
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f,
		Dot: fixed.P(x, top+f.Metrics().Ascent.Ceil())}
	d.DrawString(s)
}

// fitText returns s, or its longest prefix followed by "…" that is at most
// maxW pixels wide with face f ("" when even "…" does not fit).
func fitText(f font.Face, s string, maxW int) string {
	limit := fixed.I(maxW)
	if font.MeasureString(f, s) <= limit {
		return s
	}
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replace bad bytes so cuts fall on runes
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the answer keeps r[:k] for the largest fitting k
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if font.MeasureString(f, string(r[:mid])+"…") <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 && font.MeasureString(f, "…") > limit {
		return ""
	}
	return string(r[:lo]) + "…"
}

// EncodePNG writes img to w as a PNG (default compression). It returns an
// error for a nil img and wraps any encoding or write error.
func EncodePNG(w io.Writer, img image.Image) error {
	if img == nil {
		return fmt.Errorf("%w: nothing to encode", ErrNoMap)
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("mapimage: writing PNG: %w", err)
	}
	return nil
}
