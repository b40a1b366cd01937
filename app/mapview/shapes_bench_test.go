package mapview_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/meridianplan/meridian/app/mapview"
)

// BenchmarkRenderUSMarkers renders the US counties case (usScene) with
// issue 7's additions, warm (as after the change, the areas cached):
//   - diamonds: every 10th of the 6,500 points a PointDiamond (named
//     accounts);
//   - afterSetPointShapes: SetPointShapes (alternating two sets) then a
//     warm render;
//   - afterSetHatch: SetHatch of 300 counties (white space, alternating
//     two sets) then a warm render;
//   - hatch/cold: the hatching of 300 counties in a cold render.
//
// Compare with BenchmarkRenderUSCounties1440x900/warm and /cold.
func BenchmarkRenderUSMarkers(b *testing.B) {
	m, v := usScene(b, true, true)
	dst := image.NewRGBA(image.Rect(0, 0, 1440, 900))
	shapes := [2][]mapview.PointShape{make([]mapview.PointShape, 6500), make([]mapview.PointShape, 6500)}
	for k := range shapes[0] {
		if k%10 == 0 {
			shapes[0][k] = mapview.PointDiamond
		}
		if k%10 == 5 {
			shapes[1][k] = mapview.PointDiamond
		}
	}
	m.SetPointShapes(shapes[0])
	runRender(b, "diamonds", func(int) { m.RenderTo(dst, v, 1) })
	runRender(b, "afterSetPointShapes", func(i int) {
		m.SetPointShapes(shapes[i&1])
		m.RenderTo(dst, v, 1)
	})
	m.SetPointShapes(nil)
	sel := make([]int, 301)
	for k := range sel {
		sel[k] = 1000 + k
	}
	grey := color.NRGBA{0x30, 0x30, 0x30, 0xb0}
	runRender(b, "afterSetHatch", func(i int) {
		m.SetHatch(sel[i&1:], grey)
		m.RenderTo(dst, v, 1)
	})
	runRender(b, "hatch/cold", func(i int) { m.RenderTo(dst, coldView(v, i), 1) })
}
