package app

import (
	"image"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/meridianplan/meridian/app/mapview"
)

// BenchmarkRenderSampleMap renders the map as the window shows it at start:
// the full US view of the sample plan at 1440×900 device pixels — 3,231
// counties filled by territory with their borders, the state borders and
// 7,146 hospital dots.
//   - first: every render at a new zoom, so nothing is cached (the render
//     after opening a plan or zooming);
//   - again: the same view again (the render after a recolour or a pan).
func BenchmarkRenderSampleMap(b *testing.B) {
	test.NewTempApp(b)
	m := &Meridian{UntitledDir: b.TempDir(), Now: nowForBench}
	s, err := m.buildSample(b.Context(), func(float64) {})
	if err != nil {
		b.Fatal(err)
	}
	defer s.db.Close()
	mv := mapview.New()
	styleMap(mv)
	mv.SetLayers(s.layers)
	v, ok := mv.FitView(1440, 900)
	if !ok {
		b.Fatal("no view")
	}
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			nv := v
			nv.Scale *= 1 + float64(i%2+1)*1e-9 // a new scale: no cached masks
			mv.RenderTo(dst, nv, 1)
			i++
		}
	})
	b.Run("again", func(b *testing.B) {
		mv.RenderTo(dst, v, 1)
		b.ReportAllocs()
		for b.Loop() {
			mv.RenderTo(dst, v, 1)
		}
	})
}

func nowForBench() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
