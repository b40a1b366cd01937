package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/app/mapimage"
	"github.com/meridianplan/meridian/app/mapview"
)

// showExportPicture asks for the picture's width, then where to save it,
// and writes the current map view as a PNG for a planning meeting.
func (m *Meridian) showExportPicture() {
	if m.session == nil {
		return
	}
	width := widget.NewEntry()
	width.SetText(strconv.Itoa(MapPictureWidth))
	width.Validator = func(v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < mapimage.MinWidth || n > mapimage.MaxWidth {
			return fmt.Errorf("a width from %d to %d pixels", mapimage.MinWidth, mapimage.MaxWidth)
		}
		return nil
	}
	d := dialog.NewForm("Export map picture", "Next…", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Width (pixels)", width)},
		func(ok bool) {
			if !ok || m.session == nil {
				return
			}
			w, _ := strconv.Atoi(strings.TrimSpace(width.Text))
			m.chooseSavePath("Export map picture", "Export", m.session.plan.Name+".png", ".png", m.saveFolder(),
				func(path string) { m.exportPicture(path, w) })
		}, m.win)
	d.Resize(fyne.NewSize(380, d.MinSize().Height))
	d.Show()
}

// exportPicture renders the current view at width pixels, with the
// current colours, legend and labels, into path.
func (m *Meridian) exportPicture(path string, width int) {
	s := m.session
	if s == nil {
		return
	}
	pic, err := m.currentPicture(width)
	if err != nil {
		m.showError(err)
		return
	}
	m.runTask("Exporting "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		progress(0.1)
		img, err := pic.render(ctx)
		if err != nil {
			return err
		}
		progress(0.6)
		return writePNGAtomic(path, img)
	}, func() {
		m.setStatus(fmt.Sprintf("Exported the map picture %s (%d px wide).", path, width))
	})
}

// currentPicture captures what the main map shows (on the UI thread) so
// that it can be rendered in the background while editing goes on.
func (m *Meridian) currentPicture(width int) (*mapPicture, error) {
	s := m.session
	if s == nil {
		return nil, errors.New("no plan is open")
	}
	o := m.ed.options()
	fills, legend := s.fills(o, s.scenario, s.metrics)
	p := s.snapshotPlan()
	pic := &mapPicture{plan: p, proj: s.proj, scenario: p.Scenario(s.scenario.ID), legend: legend,
		title: legendTitle(o, s.plan.PotentialName), width: width, date: m.Now()}
	if v := m.mapView.View(); v.Scale > 0 {
		pic.view = v
		pic.viewWidth = int(m.mapView.Size().Width * m.win.Canvas().Scale())
	}
	d := s.derived
	pic.layers = func() *mapview.Layers { return s.mapLayers(fills, d) } // built in the background
	return pic, nil
}
