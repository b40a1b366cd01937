package mapview

import (
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// mapRenderer shows the cached image in one canvas.Raster (inside a clip so
// that a panned image does not spill over neighbouring widgets), over a
// background rectangle; above it the tool overlay (lines and handles, in
// its own clip, see overlay.go), with the tooltip on top.
type mapRenderer struct {
	m *Map
	// rasterMu serialises moving and refreshing the raster. Fyne calls
	// these on its UI thread, but fyne's test driver runs fyne.Do callbacks
	// (the swap of a finished render) on the rendering goroutine.
	rasterMu sync.Mutex
	bg       *canvas.Rectangle
	raster   *canvas.Raster
	clip     *container.Clip
	tip      *fyne.Container
	tipBg    *canvas.Rectangle
	label    *widget.Label
	tipText  string
	ov       overlay
	objects  []fyne.CanvasObject
}

func newMapRenderer(m *Map) *mapRenderer {
	r := &mapRenderer{m: m}
	r.bg = canvas.NewRectangle(color.Transparent)
	r.raster = canvas.NewRaster(m.generate)
	r.raster.ScaleMode = canvas.ImageScaleFastest
	r.clip = container.NewClip(container.NewWithoutLayout(r.raster))
	r.tipBg = canvas.NewRectangle(color.Transparent)
	r.label = widget.NewLabel("")
	r.tip = container.NewStack(r.tipBg, r.label)
	r.tip.Hide()
	r.ov.init()
	r.objects = []fyne.CanvasObject{r.bg, r.clip, r.ov.clip, r.tip}
	r.applyTheme()
	return r
}

func (r *mapRenderer) applyTheme() {
	r.m.mu.Lock()
	bg := r.m.sc.background
	r.m.mu.Unlock()
	r.bg.FillColor = unpremul(bg)
	r.tipBg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	r.tipBg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.tipBg.StrokeWidth = 1
	r.tipBg.CornerRadius = theme.SelectionRadiusSize()
}

func unpremul(c prgba) color.NRGBA {
	if c.a == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{
		R: uint8(min(255, (c.r*255+c.a/2)/c.a)),
		G: uint8(min(255, (c.g*255+c.a/2)/c.a)),
		B: uint8(min(255, (c.b*255+c.a/2)/c.a)),
		A: uint8(c.a),
	}
}

func (r *mapRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.clip.Move(fyne.NewPos(0, 0))
	r.clip.Resize(size)
	r.ov.clip.Move(fyne.NewPos(0, 0))
	r.ov.clip.Resize(size)
	r.m.syncScale()
	r.placeRaster()
	r.m.updateOverlay()
	if r.tip.Visible() {
		r.showTip(r.m.hoverPos)
	}
}

func (r *mapRenderer) MinSize() fyne.Size { return fyne.NewSize(64, 64) }

func (r *mapRenderer) Refresh() {
	r.applyTheme()
	r.bg.Refresh()
	r.tipBg.Refresh()
	r.m.syncScale()
	r.placeRaster()
	r.refreshRaster()
	r.m.updateOverlay()
}

// refreshRaster asks for the raster to be drawn again (its generator then
// returns the new image).
func (r *mapRenderer) refreshRaster() {
	r.rasterMu.Lock()
	defer r.rasterMu.Unlock()
	r.raster.Refresh()
}

func (r *mapRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *mapRenderer) Destroy() {}

// placeRaster positions and sizes the raster so that the cached image,
// rendered for frontView, lines up with the current view: a pan moves it, a
// zoom scales it, until the next render replaces it.
func (r *mapRenderer) placeRaster() {
	r.rasterMu.Lock()
	defer r.rasterMu.Unlock()
	m := r.m
	m.mu.Lock()
	img, fv, v, pw, ph, ps := m.front, m.frontView, m.view, m.pixW, m.pixH, m.viewScale
	m.mu.Unlock()
	size := m.Size()
	if img == nil || !(fv.Scale > 0) || !(v.Scale > 0) || !(ps > 0) {
		r.raster.Move(fyne.NewPos(0, 0))
		r.raster.Resize(size)
		return
	}
	iw, ih := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	k := v.Scale / fv.Scale
	x0 := (fv.Center[0]-v.Center[0])*v.Scale - iw/2*k + float64(pw)/2
	y0 := -(fv.Center[1]-v.Center[1])*v.Scale - ih/2*k + float64(ph)/2
	p := float64(ps)
	if math.Abs(k-1) < 1e-9 && img.Rect.Dx() == pw && img.Rect.Dy() == ph {
		r.raster.Resize(size)
	} else {
		r.raster.Resize(fyne.NewSize(float32(iw*k/p), float32(ih*k/p)))
	}
	r.raster.Move(fyne.NewPos(float32(x0/p), float32(y0/p)))
}

// showTip places the tooltip near pos, kept inside the widget.
func (r *mapRenderer) showTip(pos fyne.Position) {
	changed := false
	if r.label.Text != r.tipText {
		r.label.SetText(r.tipText)
		changed = true
	}
	ts := r.tip.MinSize()
	ws := r.m.Size()
	const dx, dy = 14, 18
	x, y := pos.X+dx, pos.Y+dy
	if x+ts.Width > ws.Width {
		x = pos.X - dx/2 - ts.Width
	}
	if y+ts.Height > ws.Height {
		y = pos.Y - dy/2 - ts.Height
	}
	x = max(0, min(x, ws.Width-ts.Width))
	y = max(0, min(y, ws.Height-ts.Height))
	if r.tip.Size() != ts {
		r.tip.Resize(ts)
		changed = true
	}
	r.tip.Move(fyne.NewPos(x, y))
	if !r.tip.Visible() {
		r.tip.Show()
		changed = true
	}
	if changed {
		r.tip.Refresh()
	}
	// A container that was hidden is unknown to the canvas, so its Show,
	// Move and Refresh do not ask for a repaint: ask through the map's
	// canvas.
	if a := fyne.CurrentApp(); a != nil {
		if c := a.Driver().CanvasForObject(r.m); c != nil {
			c.Refresh(r.tip)
		}
	}
}

func (r *mapRenderer) hideTip() {
	if r.tip.Visible() {
		r.tip.Hide()
	}
}
