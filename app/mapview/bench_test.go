package mapview_test

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
)

// palette gives areas a few distinct colours, like territories.
func palette(n int) []color.NRGBA {
	base := []color.NRGBA{
		{0x8d, 0xd3, 0xc7, 0xff}, {0xff, 0xff, 0xb3, 0xff}, {0xbe, 0xba, 0xda, 0xff},
		{0xfb, 0x80, 0x72, 0xff}, {0x80, 0xb1, 0xd3, 0xff}, {0xfd, 0xb4, 0x62, 0xff},
		{0xb3, 0xde, 0x69, 0xff}, {0xfc, 0xcd, 0xe5, 0xff},
	}
	out := make([]color.NRGBA, n)
	for i := range out {
		out[i] = base[i%len(base)]
	}
	return out
}

// randomPoints returns n points uniformly inside b, with colours.
func randomPoints(n int, b orb.Bound) ([]orb.Point, []color.NRGBA) {
	r := rand.New(rand.NewPCG(1, 2))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
	}
	return pts, palette(n)
}

func benchRender(b *testing.B, m *mapview.Map, v mapview.View) {
	b.Run("Render", func(b *testing.B) {
		b.ReportAllocs()
		c0 := cpuTime()
		for b.Loop() {
			m.Render(v, 1440, 900)
		}
		reportCPU(b, c0)
	})
	b.Run("RenderTo", func(b *testing.B) {
		dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
		b.ReportAllocs()
		c0 := cpuTime()
		for b.Loop() {
			m.RenderTo(dst, v, 1)
		}
		reportCPU(b, c0)
	})
}

// BenchmarkRenderUSStates1440x900: 53 states (fills and borders) and 6,500
// points, full view.
func BenchmarkRenderUSStates1440x900(b *testing.B) {
	states := loadStates(b)
	m := mapview.New()
	m.SetAreas(states, palette(len(states)))
	v, _ := m.FitView(1440, 900)
	pts, fills := randomPoints(6500, orb.Bound{Min: v.Center, Max: v.Center}.Pad(700/v.Scale))
	m.SetPoints(pts, fills, 3)
	benchRender(b, m, v)
}

// usScene is the target case: all 3,231 counties (fills and hairline
// borders), the state borders as a 1.5 dp overlay, 9 territory outlines
// (state i in territory i mod 9) at 2.5 dp and 6,500 points of radius 3 dp,
// with the lower 48 filling a 1440×900 view. It returns the map and that
// view.
func usScene(b *testing.B, lines, outlines bool) (*mapview.Map, mapview.View) {
	counties := loadCounties(b)
	states := loadStates(b)
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	pts, fills := randomPoints(6500, bound)
	l := mapview.NewLayers().Areas(counties, palette(len(counties))).Points(pts, fills, 3)
	if lines {
		l.Lines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
	}
	if outlines {
		l.Outlines(territoryOutlines(states, 9), palette(9), 2.5)
	}
	m := mapview.New()
	m.SetLayers(l)
	return m, v
}

// runRender runs render as a sub-benchmark, reporting the CPU time per op.
// render gets the iteration number (-1 for a first, untimed call).
func runRender(b *testing.B, name string, render func(i int)) {
	b.Run(name, func(b *testing.B) {
		render(-1)
		b.ReportAllocs()
		c0 := cpuTime()
		i := 0
		for b.Loop() {
			render(i)
			i++
		}
		reportCPU(b, c0)
	})
}

// coldView returns v at a new scale for every i, so that no cached mask
// can be used (the simplified geometry of the zoom level is reused).
func coldView(v mapview.View, i int) mapview.View {
	v.Scale *= 1 + float64(i&1)*1e-9
	return v
}

// BenchmarkRenderUSCounties1440x900 renders the US counties case (see
// usScene):
//   - cold: every render at a new scale, as after a zoom (all areas and
//     lines are rasterized);
//   - warm: RenderTo at an unchanged scale, as after SetAreaFills or a pan
//     (coverage comes from the mask cache);
//   - afterSetOutlines: SetOutlines (new outlines) then a warm render, as
//     after an edit of the territories;
//   - afterSetHighlight: SetHighlight of 300 counties then a warm render;
//   - newLevel: every render at a new zoom level (±1/4 octave), so the
//     simplification is computed too;
//   - hidpi/cold, hidpi/warm: 2880×1800 at pixel scale 2;
//   - noLines/cold, noLines/warm: without state borders and outlines (the
//     case measured before they existed);
//   - Render: warm through Render, which allocates the 5 MB image each time.
func BenchmarkRenderUSCounties1440x900(b *testing.B) {
	m, v := usScene(b, true, true)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	runRender(b, "cold", func(i int) { m.RenderTo(dst, coldView(v, i), 1) })
	runRender(b, "warm", func(int) { m.RenderTo(dst, v, 1) })
	states := loadStates(b)
	sets := [2][]orb.MultiLineString{territoryOutlines(states, 9), territoryOutlines(states, 7)}
	runRender(b, "afterSetOutlines", func(i int) {
		m.SetOutlines(sets[i&1], palette(9), 2.5)
		m.RenderTo(dst, v, 1)
	})
	sel := make([]int, 300)
	for k := range sel {
		sel[k] = 1000 + k
	}
	runRender(b, "afterSetHighlight", func(i int) {
		m.SetHighlight(sel[i&1:], color.NRGBA{0x10, 0x60, 0xd0, 0xff})
		m.RenderTo(dst, v, 1)
	})
	m.SetHighlight(nil, color.NRGBA{})
	runRender(b, "newLevel", func(i int) {
		lv := v
		lv.Scale *= math.Pow(2, float64(i%8)/4)
		m.RenderTo(dst, lv, 1)
	})
	hi := image.NewRGBA(image.Rect(0, 0, 2880, 1800))
	hv := v
	hv.Scale *= 2
	runRender(b, "hidpi/cold", func(i int) { m.RenderTo(hi, coldView(hv, i), 2) })
	runRender(b, "hidpi/warm", func(int) { m.RenderTo(hi, hv, 2) })
	m0, _ := usScene(b, false, false)
	runRender(b, "noLines/cold", func(i int) { m0.RenderTo(dst, coldView(v, i), 1) })
	runRender(b, "noLines/warm", func(int) { m0.RenderTo(dst, v, 1) })
	runRender(b, "Render", func(int) { m.Render(v, 1440, 900) })
}

// BenchmarkRenderWorld1440x900 renders the world-atlas 1:50m countries
// (Equal Earth; fills and hairline borders) and 6,500 points fitted to
// 1440×900, cold and warm as BenchmarkRenderUSCounties1440x900, and at
// 2880×1800 (pixel scale 2).
func BenchmarkRenderWorld1440x900(b *testing.B) {
	world := loadWorld(b)
	m := mapview.New()
	m.SetAreas(world, palette(len(world)))
	v, _ := m.FitView(1440, 900)
	r := rand.New(rand.NewPCG(5, 6))
	pts := make([]orb.Point, 6500)
	for i := range pts {
		pts[i] = geo.EqualEarth(orb.Point{r.Float64()*360 - 180, r.Float64()*140 - 60})
	}
	m.SetPoints(pts, palette(len(pts)), 3)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	runRender(b, "cold", func(i int) { m.RenderTo(dst, coldView(v, i), 1) })
	runRender(b, "warm", func(int) { m.RenderTo(dst, v, 1) })
	hi := image.NewRGBA(image.Rect(0, 0, 2880, 1800))
	hv := v
	hv.Scale *= 2
	runRender(b, "hidpi/cold", func(i int) { m.RenderTo(hi, coldView(hv, i), 2) })
	runRender(b, "hidpi/warm", func(int) { m.RenderTo(hi, hv, 2) })
}

// cpuTime is the process's user+system CPU time: with several goroutines it
// shows the total work, and it is less disturbed than wall time when other
// processes share the machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func reportCPU(b *testing.B, c0 int64) {
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkRenderLayers renders the counties case one layer at a time,
// warm (cached coverage).
func BenchmarkRenderLayers(b *testing.B) {
	counties := loadCounties(b)
	states := loadStates(b)
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	pts, fills := randomPoints(6500, bound)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	for _, layer := range []string{"background", "fills", "fills+borders", "lines", "outlines", "points", "labels"} {
		m := mapview.New()
		switch layer {
		case "fills", "fills+borders":
			m.SetAreas(counties, palette(len(counties)))
		case "lines":
			m.SetLines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
		case "outlines":
			m.SetOutlines(territoryOutlines(states, 9), palette(9), 2.5)
		case "points":
			m.SetPoints(pts, fills, 3)
		case "labels":
			var ls []mapview.Label
			for k := range 9 {
				ls = append(ls, mapview.Label{At: pts[k], Text: fmt.Sprintf("Territory %d\n%d accounts", k+1, 100*k), Size: 12,
					Color: color.NRGBA{0x10, 0x10, 0x10, 0xff}, Halo: color.NRGBA{0xff, 0xff, 0xff, 0xe0}, Bold: true})
			}
			m.SetLabels(ls)
		}
		if layer == "fills" {
			m.SetAreaStroke(color.NRGBA{}, 0)
		}
		b.Run(layer, func(b *testing.B) {
			m.RenderTo(dst, v, 1)
			c0 := cpuTime()
			for b.Loop() {
				m.RenderTo(dst, v, 1)
			}
			reportCPU(b, c0)
		})
	}
}

func BenchmarkAreaAt(b *testing.B) {
	counties := loadCounties(b)
	test.NewTempApp(b)
	m := mapview.New()
	w := test.NewWindow(m)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1440, 900))
	m.SetAreas(counties, palette(len(counties)))
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	m.SetView(v)
	mapview.WaitIdle(b, m)
	r := rand.New(rand.NewPCG(3, 4))
	pos := make([]fyne.Position, 1024)
	for i := range pos {
		pos[i] = fyne.NewPos(r.Float32()*1440, r.Float32()*900)
	}
	hits := 0
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if m.AreaAt(pos[i&1023]) >= 0 {
			hits++
		}
		i++
	}
	b.ReportMetric(float64(hits)/float64(i), "hit-ratio")
}
