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

// BenchmarkEdit measures what one map edit costs on the sample plan (3,231
// counties, 7,146 hospitals), moving Cook County, Illinois, between two
// territories:
//   - uiThread: the work done on the UI thread when a paint stroke ends
//     (alignment in memory, new fills, legend, toolbar, queueing the write);
//     it must stay far below a 16 ms frame;
//   - applyDerived: the UI-thread part of showing its result (new outline
//     and label layers, table, summary, legend);
//   - derive: the background work that follows (metrics, dissolved
//     territory outlines, label points);
//   - outlines: dissolving all territory outlines alone (target: 50 ms).
func BenchmarkEdit(b *testing.B) {
	m := New(test.NewTempApp(b))
	m.UntitledDir, m.Now = b.TempDir(), nowForBench
	s, err := m.buildSample(b.Context(), func(float64) {})
	if err != nil {
		b.Fatal(err)
	}
	m.show(s)
	defer func() {
		s.writer.stop()
		s.db.Close()
	}()
	cook := s.plan.UnitIndex()["17031"]
	ids := []int64{s.scenario.TerritoryByName("Pacific").ID, s.scenario.TerritoryByName("East North Central").ID}
	b.Run("uiThread", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m.ed.activeID = ids[i%2]
			m.paintUnit(cook)
			s.history.done = s.history.done[:0] // keep the stack small
			from := m.ed.stroke
			m.ed.stroke = nil
			to := map[string]int64{"17031": ids[i%2]}
			c := realignChange("bench", s.scenario.ID, to, from)
			s.history.done = append(s.history.done, c)
			s.writer.write(c.write)
			m.applyFills()
			m.refreshToolbar()
			i++
		}
		b.StopTimer()
		s.writer.flush()
	})
	b.Run("applyDerived", func(b *testing.B) {
		// The UI-thread part of showing a derive: outlines, labels, table,
		// summary, fills and legend.
		d := s.derive(s.plan, s.snapshot())
		b.ReportAllocs()
		for b.Loop() {
			m.applyDerived(d)
		}
	})
	b.Run("derive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.derive(s.plan, s.snapshot())
		}
	})
	b.Run("outlines", func(b *testing.B) {
		group := append([]int(nil), s.territoryOf...)
		b.ReportAllocs()
		for b.Loop() {
			s.edges.Outlines(group, len(s.scenario.Territories))
		}
	})
}
