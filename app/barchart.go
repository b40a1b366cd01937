package app

import (
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// quantityColor is the bar colour of each quantity in the deviation chart:
// colours of the Okabe-Ito palette (Okabe and Ito, "Color Universal
// Design", 2008), which stay distinct under the common colour-vision
// deficiencies.
func quantityColor(q planner.Quantity) color.NRGBA {
	switch q {
	case planner.QuantityAccounts:
		return color.NRGBA{0xE6, 0x9F, 0x00, 0xff} // orange
	case planner.QuantityPotential:
		return color.NRGBA{0x00, 0x72, 0xB2, 0xff} // blue
	case planner.QuantityPopulation:
		return color.NRGBA{0x00, 0x9E, 0x73, 0xff} // bluish green
	}
	if i, ok := q.FieldIndex(); ok {
		fields := []color.NRGBA{
			{0xD5, 0x5E, 0x00, 0xff}, // vermillion
			{0x56, 0xB4, 0xE9, 0xff}, // sky blue
			{0xF0, 0xE4, 0x42, 0xff}, // yellow
			{0x00, 0x00, 0x00, 0xff}, // black
		}
		return fields[i%len(fields)]
	}
	switch {
	default:
		return color.NRGBA{0xCC, 0x79, 0xA7, 0xff} // reddish purple
	}
}

// Styles of the deviation chart.
var (
	chartBandColor = color.NRGBA{0x80, 0x80, 0x88, 0x48} // the ±tolerance band
	chartGridColor = color.NRGBA{0x80, 0x80, 0x88, 0x50}
)

// Sizes of the deviation chart, in dp.
const (
	chartPad        = 4
	chartLabelWidth = 118 // territory names
	chartLegendH    = 20  // the row of quantity swatches
	chartAxisH      = 18  // tick labels under the plot
	chartBarH       = 9   // one bar
	chartRowGap     = 6   // between territories
	chartMarkW      = 12  // room for the "!" mark either side of the plot
	chartText       = 11  // text size
)

// barSeries is one quantity of the deviation chart: its name and colour.
type barSeries struct {
	name  string
	color color.NRGBA
}

// barChart draws each territory's deviation from its target per quantity
// as horizontal bars: one row per territory, one bar per quantity, a zero
// line, the ±tolerance band shaded, and bars beyond the tolerance outlined
// and marked "!". The axis is labelled in percent and symmetric around 0.
type barChart struct {
	widget.BaseWidget
	labels    []string    // one per row
	series    []barSeries // one per bar of a row
	values    [][]float64 // [row][series], deviation in percent
	tolerance float64     // percent, ≥ 0; 0 draws no band
}

func newBarChart() *barChart {
	c := &barChart{}
	c.ExtendBaseWidget(c)
	return c
}

// set shows values ([row][series], percent deviations) with the row labels
// and series, and the ±tolerance band (percent). Call on the UI thread.
func (c *barChart) set(labels []string, series []barSeries, values [][]float64, tolerance float64) {
	c.labels, c.series, c.values, c.tolerance = labels, series, values, tolerance
	c.Refresh()
}

// setReport shows a balance report's deviations with the band ±tolerance
// (percent); p names the quantities.
func (c *barChart) setReport(p *planner.Plan, r planner.BalanceReport, tolerance float64) {
	series := make([]barSeries, len(r.Quantities))
	for k, q := range r.Quantities {
		series[k] = barSeries{q.Name(p), quantityColor(q)}
	}
	labels := make([]string, len(r.Rows))
	values := make([][]float64, len(r.Rows))
	for i, row := range r.Rows {
		labels[i] = row.Territory.Name
		values[i] = row.Deviation
	}
	c.set(labels, series, values, tolerance)
}

// CreateRenderer implements fyne.Widget.
func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{c: c}
	r.rebuild()
	return r
}

// chartExtent returns the half-width of the axis in percent: a round
// number (1, 2 or 5 times a power of ten, or 25) at least the largest
// |value|, 1.5 × the tolerance and 5, so that the band and every bar fit.
func chartExtent(values [][]float64, tolerance float64) float64 {
	need := max(5, 1.5*tolerance)
	for _, row := range values {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				need = max(need, math.Abs(v))
			}
		}
	}
	for mag := 1.0; ; mag *= 10 {
		for _, f := range []float64{1, 2, 2.5, 5} {
			if e := f * mag; e >= need {
				return e
			}
		}
		if mag > 1e12 {
			return need
		}
	}
}

// formatTick labels an axis tick in percent: "−20%", "0%", "+12.5%".
func formatTick(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64) + "%"
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s
	}
	return s
}

// barChartRenderer draws a barChart with canvas objects, rebuilt when the
// data change and placed by Layout.
type barChartRenderer struct {
	c       *barChart
	band    *canvas.Rectangle
	zero    *canvas.Line
	grid    []*canvas.Line
	ticks   []*canvas.Text
	tickAt  []float64 // percent, per tick
	labels  []*canvas.Text
	swatch  []*canvas.Rectangle
	names   []*canvas.Text
	bars    [][]*canvas.Rectangle // [row][series]
	marks   [][]*canvas.Text      // [row][series]; nil within tolerance
	extent  float64               // percent at the plot's edges
	objects []fyne.CanvasObject
}

func (r *barChartRenderer) rebuild() {
	c := r.c
	fg := theme.Color(theme.ColorNameForeground)
	r.objects = r.objects[:0]
	r.extent = chartExtent(c.values, c.tolerance)
	r.band = canvas.NewRectangle(chartBandColor)
	if c.tolerance <= 0 {
		r.band.Hide()
	}
	r.objects = append(r.objects, r.band)
	r.grid, r.ticks, r.tickAt = nil, nil, nil
	for _, f := range []float64{-1, -0.5, 0, 0.5, 1} {
		v := f * r.extent
		l := canvas.NewLine(chartGridColor)
		l.StrokeWidth = 1
		t := canvas.NewText(formatTick(v), fg)
		t.TextSize = chartText
		t.Alignment = fyne.TextAlignCenter
		r.grid, r.ticks, r.tickAt = append(r.grid, l), append(r.ticks, t), append(r.tickAt, v)
		r.objects = append(r.objects, l, t)
	}
	r.zero = canvas.NewLine(fg)
	r.zero.StrokeWidth = 1.5
	r.swatch, r.names = nil, nil
	for _, s := range c.series {
		sw := canvas.NewRectangle(s.color)
		t := canvas.NewText(s.name, fg)
		t.TextSize = chartText
		r.swatch, r.names = append(r.swatch, sw), append(r.names, t)
		r.objects = append(r.objects, sw, t)
	}
	r.labels = make([]*canvas.Text, len(c.labels))
	r.bars = make([][]*canvas.Rectangle, len(c.labels))
	r.marks = make([][]*canvas.Text, len(c.labels))
	for i, name := range c.labels {
		t := canvas.NewText(ellipsis(name, 18), fg)
		t.TextSize = chartText
		r.labels[i] = t
		r.objects = append(r.objects, t)
		r.bars[i] = make([]*canvas.Rectangle, len(c.series))
		r.marks[i] = make([]*canvas.Text, len(c.series))
		for k, s := range c.series {
			b := canvas.NewRectangle(s.color)
			v := c.value(i, k)
			if c.beyond(v) { // outlined and marked in the text colour
				b.StrokeColor = fg
				b.StrokeWidth = 1
				m := canvas.NewText("!", fg)
				m.TextSize = chartText
				m.TextStyle = fyne.TextStyle{Bold: true}
				r.marks[i][k] = m
				r.objects = append(r.objects, m)
			}
			r.bars[i][k] = b
			r.objects = append(r.objects, b)
		}
	}
	r.objects = append(r.objects, r.zero) // over the bars
}

// value returns row i's deviation on series k, 0 when missing or not a
// number.
func (c *barChart) value(i, k int) float64 {
	if i < len(c.values) && k < len(c.values[i]) {
		if v := c.values[i][k]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v
		}
	}
	return 0
}

// beyond reports whether a deviation v (percent) is outside the tolerance.
func (c *barChart) beyond(v float64) bool {
	return c.tolerance > 0 && math.Abs(v) > c.tolerance*(1+1e-9)
}

func (r *barChartRenderer) rowHeight() float32 {
	return float32(max(1, len(r.c.series)))*chartBarH + chartRowGap
}

// plot returns the plot area's left edge and width (dp) for a widget width.
func (r *barChartRenderer) plot(width float32) (x0, w float32) {
	x0 = chartPad + chartLabelWidth + chartMarkW
	return x0, max(40, width-x0-chartMarkW-chartPad-8)
}

// xOf returns the x position (dp) of deviation v (percent).
func (r *barChartRenderer) xOf(v float64, width float32) float32 {
	x0, w := r.plot(width)
	v = max(-r.extent, min(r.extent, v))
	return x0 + w/2 + float32(v/r.extent)*w/2
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	c := r.c
	top := float32(chartLegendH + chartPad)
	rowH := r.rowHeight()
	bottom := top + rowH*float32(len(c.labels))
	// Legend: swatch, name, swatch, name…
	x := float32(chartPad) + chartLabelWidth
	for k := range r.swatch {
		r.swatch[k].Move(fyne.NewPos(x, chartPad+4))
		r.swatch[k].Resize(fyne.NewSize(12, 10))
		x += 16
		r.names[k].Move(fyne.NewPos(x, chartPad+1))
		x += r.names[k].MinSize().Width + 14
	}
	lo, hi := r.xOf(-c.tolerance, size.Width), r.xOf(c.tolerance, size.Width)
	r.band.Move(fyne.NewPos(lo, top))
	r.band.Resize(fyne.NewSize(hi-lo, bottom-top))
	for j, v := range r.tickAt {
		x := r.xOf(v, size.Width)
		r.grid[j].Position1 = fyne.NewPos(x, top)
		r.grid[j].Position2 = fyne.NewPos(x, bottom+3)
		ts := r.ticks[j].MinSize()
		r.ticks[j].Move(fyne.NewPos(x-ts.Width/2, bottom+3))
		r.ticks[j].Resize(ts)
	}
	x0 := r.xOf(0, size.Width)
	r.zero.Position1 = fyne.NewPos(x0, top-2)
	r.zero.Position2 = fyne.NewPos(x0, bottom+2)
	for i := range r.labels {
		y := top + rowH*float32(i)
		ls := r.labels[i].MinSize()
		r.labels[i].Move(fyne.NewPos(chartPad, y+(rowH-ls.Height)/2))
		for k, b := range r.bars[i] {
			v := c.value(i, k)
			xv := r.xOf(v, size.Width)
			by := y + chartRowGap/2 + chartBarH*float32(k)
			left, w := min(x0, xv), float32(math.Abs(float64(xv-x0)))
			b.Move(fyne.NewPos(left, by+0.5))
			b.Resize(fyne.NewSize(w, chartBarH-1))
			if m := r.marks[i][k]; m != nil {
				ms := m.MinSize()
				mx := xv + 2
				if v < 0 {
					mx = xv - 2 - ms.Width
				}
				m.Move(fyne.NewPos(mx, by+(chartBarH-ms.Height)/2))
			}
		}
	}
}

func (r *barChartRenderer) MinSize() fyne.Size {
	h := chartLegendH + chartPad + r.rowHeight()*float32(len(r.c.labels)) + chartAxisH + chartPad
	return fyne.NewSize(chartLabelWidth+2*chartMarkW+2*chartPad+160, h)
}

func (r *barChartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *barChartRenderer) Destroy() {}
