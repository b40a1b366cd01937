package mapview_test

import (
	"image"
	"image/color"
	"math/rand/v2"
	"syscall"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
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

// BenchmarkRenderUSCounties1440x900 is the target case: all 3,231 counties
// (fills and borders) and 6,500 points, with the lower 48 filling the
// 1440×900 view.
//   - warm: RenderTo at an unchanged scale, as after SetAreaFills or a pan
//     (area masks come from the mask cache);
//   - cold: every render at a new scale, as after a zoom (all areas are
//     rasterized);
//   - warm+stateLines: warm, plus the state borders as a 1.5 dp overlay;
//   - Render: warm through Render, which allocates the 5 MB image each time.
func BenchmarkRenderUSCounties1440x900(b *testing.B) {
	counties := loadCounties(b)
	states := loadStates(b)
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	pts, fills := randomPoints(6500, bound)
	m := mapview.New()
	m.SetAreas(counties, palette(len(counties)))
	m.SetPoints(pts, fills, 3)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	run := func(name string, render func(i int)) {
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
	run("warm", func(int) { m.RenderTo(dst, v, 1) })
	run("cold", func(i int) {
		cv := v
		cv.Scale *= 1 + float64(i&1)*1e-9 // a new scale each time: no cached masks
		m.RenderTo(dst, cv, 1)
	})
	run("Render", func(int) { m.Render(v, 1440, 900) })
	m.SetLines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
	run("warm+stateLines", func(int) { m.RenderTo(dst, v, 1) })
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

// BenchmarkRenderLayers renders the counties case one layer at a time.
func BenchmarkRenderLayers(b *testing.B) {
	counties := loadCounties(b)
	states := loadStates(b)
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	pts, fills := randomPoints(6500, bound)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	for _, layer := range []string{"background", "fills", "fills+borders", "lines", "points"} {
		m := mapview.New()
		switch layer {
		case "fills", "fills+borders":
			m.SetAreas(counties, palette(len(counties)))
		case "lines":
			m.SetLines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
		case "points":
			m.SetPoints(pts, fills, 3)
		}
		if layer == "fills" {
			m.SetAreaStroke(color.NRGBA{}, 0)
		}
		b.Run(layer, func(b *testing.B) {
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
