package mapview_test

import (
	"image"
	"os"
	"testing"

	"github.com/meridianplan/meridian/app/mapview"
)

// Temporary (render2 helper): dumps renders for a pixel comparison.
func BenchmarkZZDump(b *testing.B) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		b.Skip()
	}
	m, v := usScene(b, true, true)
	m0, _ := usScene(b, false, false)
	save := func(name string, img *image.RGBA) {
		if err := os.WriteFile(dir+"/"+name+".raw", img.Pix, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i, f := range []float64{1, 1 + 1e-9, 1.37, 2.9, 7.3, 31} {
		vv := v
		vv.Scale *= f
		vv.Center[0] += float64(i) * 37 / v.Scale
		dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
		m.RenderTo(dst, vv, 1)
		save("lines"+string(rune('a'+i)), dst)
		dst = image.NewRGBA(image.Rect(0, 0, 1440, 900))
		m0.RenderTo(dst, vv, 1)
		save("nolines"+string(rune('a'+i)), dst)
		hi := image.NewRGBA(image.Rect(0, 0, 2880, 1800))
		hv := vv
		hv.Scale *= 2
		m.RenderTo(hi, hv, 2)
		save("hi"+string(rune('a'+i)), hi)
	}
	_ = mapview.View{}
	for b.Loop() {
	}
}
