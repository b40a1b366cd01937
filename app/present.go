package app

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/app/mapview"
)

// presentLabelScale enlarges territory labels in the presentation view,
// where they show the territory's name only (the metrics are in the
// legend beside the map).
const presentLabelScale = 1.6

// presentation is the full-screen map for planning meetings: the map with
// large labels and a legend of the territories with their metrics. It
// follows the main window's edits and colour mode.
type presentation struct {
	win    fyne.Window
	mv     *mapview.Map
	legend *legend
	title  *canvas.Text
}

// present opens the presentation view (or brings it to the front).
func (m *Meridian) present() {
	s := m.session
	if s == nil {
		return
	}
	if m.presentation != nil {
		m.presentation.win.RequestFocus()
		return
	}
	p := &presentation{mv: mapview.New(), legend: newLegend(20, true)}
	styleMap(p.mv)
	p.mv.Tooltip = s.tooltip
	p.title = canvas.NewText(s.plan.Name+" — "+s.scenario.Name, color.NRGBA{0x10, 0x10, 0x18, 0xff})
	p.title.TextSize = 28
	p.title.TextStyle = fyne.TextStyle{Bold: true}
	p.win = m.app.NewWindow("Meridian — " + s.plan.Name + " (presentation)")
	closeButton := widget.NewButton("Close (Esc)", func() { p.win.Close() })
	bg := canvas.NewRectangle(color.White)
	top := container.NewBorder(nil, nil, nil, closeButton, container.NewPadded(p.title))
	side := container.NewVScroll(p.legend.box)
	p.win.SetContent(container.NewStack(bg, container.NewBorder(top, nil, nil, side, p.mv)))
	p.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			p.win.Close()
		}
	})
	p.win.SetOnClosed(func() {
		if m.presentation == p {
			m.presentation = nil
		}
	})
	m.presentation = p
	o := m.ed.options()
	fills, entries := s.fills(o, s.scenario, s.metrics)
	p.legend.set(legendTitle(o, s.plan.PotentialName), entries)
	d := s.derived
	m.tasks.Add(1)
	go func() { // building the layers takes tens of milliseconds
		defer m.tasks.Done()
		l := s.mapLayers(fills, presentDerived(d))
		fyne.Do(func() {
			if m.presentation == p {
				p.mv.SetLayers(l)
				p.mv.FitAll()
			}
		})
	}()
	p.win.Resize(fyne.NewSize(1440, 900))
	p.win.SetFullScreen(true)
	p.win.Show()
}

// presentDerived returns d with labels enlarged for the presentation view,
// names only.
func presentDerived(d derived) derived {
	d.labels = append([]mapview.Label(nil), d.labels...)
	for i := range d.labels {
		d.labels[i].Size *= presentLabelScale
		d.labels[i].Text, _, _ = strings.Cut(d.labels[i].Text, "\n")
	}
	return d
}

// update follows a change of fills (edit or colour mode) in the main window.
func (p *presentation) update(s *session, fills []color.NRGBA, entries []legendEntry, title string) {
	p.mv.SetAreaFills(fills)
	p.legend.set(title, entries)
	d := presentDerived(s.derived)
	p.mv.SetOutlines(d.outlines, d.colors, outlineWidth)
	p.mv.SetLabels(d.labels)
}
