package mapview_test

import (
	"image"
	"image/color"
	"sort"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

var sinkN uint64

func refChain() time.Duration {
	t := time.Now()
	x := uint64(1)
	for i := 0; i < 1<<22; i++ {
		x = x*3 + uint64(i)
	}
	sinkN = x
	return time.Since(t)
}

// TestNormBench: each layer rendered 30 times interleaved with a reference
// loop; reports per-layer time normalised by reference speed (ref 3.1ms = 1).
func TestNormBench(t *testing.T) {
	counties := loadCounties(t)
	states := loadStates(t)
	bound := contiguous()
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	pts, fills := randomPoints(6500, bound)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	for _, layer := range []string{"fills", "fills+borders", "lines", "points", "all"} {
		m := mapview.New()
		switch layer {
		case "fills", "fills+borders", "all":
			m.SetAreas(counties, palette(len(counties)))
		}
		if layer == "lines" || layer == "all" {
			m.SetLines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
		}
		if layer == "points" || layer == "all" {
			m.SetPoints(pts, fills, 3)
		}
		if layer == "fills" {
			m.SetAreaStroke(color.NRGBA{}, 0)
		}
		m.RenderTo(dst, v, 1)
		var norm, raw []float64
		for range 30 {
			r0 := refChain()
			t0 := time.Now()
			m.RenderTo(dst, v, 1)
			d := time.Since(t0)
			r1 := refChain()
			ref := float64(min(r0, r1)) / 3.1e6
			raw = append(raw, float64(d)/1e6)
			norm = append(norm, float64(d)/1e6/ref)
		}
		sort.Float64s(norm)
		sort.Float64s(raw)
		t.Logf("%-14s norm min %6.2f med %6.2f ms | raw min %6.2f med %6.2f", layer, norm[0], norm[15], raw[0], raw[15])
	}
}
