package mapview_test

import (
	"image/color"
	"image/png"
	"os"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
)

// TestWritePNG writes sample renders to $MAPVIEW_PNG_DIR for a visual check.
func TestWritePNG(t *testing.T) {
	dir := os.Getenv("MAPVIEW_PNG_DIR")
	if dir == "" {
		t.Skip("set MAPVIEW_PNG_DIR to write sample renders")
	}
	counties := loadCounties(t)
	states := loadStates(t)
	m := mapview.New()
	m.SetAreas(counties, palette(len(counties)))
	m.SetLines(stateLines(states), color.NRGBA{0x30, 0x30, 0x30, 0xff}, 1.5)
	bound := contiguous()
	pts, fills := randomPoints(6500, bound)
	m.SetPoints(pts, fills, 3)
	m2 := mapview.New()
	m2.SetAreas([]orb.MultiPolygon{{{bound.ToRing()}}}, nil)
	v, _ := m2.FitView(1440, 900)
	write := func(name string, v mapview.View, w, h int) {
		f, err := os.Create(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, m.Render(v, w, h)); err != nil {
			t.Fatal(err)
		}
	}
	write("us.png", v, 1440, 900)
	v.Center = project(-77.5, 38.5) // Virginia: independent cities are holes
	v.Scale *= 12
	write("virginia.png", v, 800, 600)
}
