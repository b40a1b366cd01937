package app

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// legend is the box over the map that explains its colours: territories
// with their metrics, or the choropleth classes.
type legend struct {
	box     *fyne.Container
	title   *canvas.Text
	rows    *fyne.Container
	size    float32 // text size
	details bool    // show each entry's detail (metrics) after its label
	lines   []string
}

func newLegend(size float32, details bool) *legend {
	l := &legend{size: size, details: details}
	l.title = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	l.title.TextStyle = fyne.TextStyle{Bold: true}
	l.title.TextSize = size + 1
	l.rows = container.NewVBox()
	bg := canvas.NewRectangle(color.NRGBA{0xff, 0xff, 0xff, 0xe0})
	bg.CornerRadius = 4
	bg.StrokeColor = color.NRGBA{0x80, 0x80, 0x88, 0x80}
	bg.StrokeWidth = 1
	l.box = container.NewStack(bg, container.NewPadded(container.NewVBox(l.title, l.rows)))
	return l
}

// set shows entries under title.
func (l *legend) set(title string, entries []legendEntry) {
	l.title.Text = title
	l.title.Color = color.NRGBA{0x10, 0x10, 0x18, 0xff}
	l.title.Refresh()
	objs := make([]fyne.CanvasObject, 0, len(entries))
	l.lines = []string{title}
	for _, e := range entries {
		l.lines = append(l.lines, e.label+" "+e.detail)
		sw := canvas.NewRectangle(e.color)
		sw.StrokeColor = color.NRGBA{0x40, 0x40, 0x48, 0xff}
		sw.StrokeWidth = 0.5
		sw.SetMinSize(fyne.NewSize(l.size+2, l.size))
		name := canvas.NewText(e.label, color.NRGBA{0x10, 0x10, 0x18, 0xff})
		name.TextSize = l.size
		name.TextStyle = fyne.TextStyle{Bold: true}
		row := container.NewHBox(container.NewCenter(sw), name)
		if l.details {
			detail := canvas.NewText(e.detail, color.NRGBA{0x40, 0x40, 0x48, 0xff})
			detail.TextSize = l.size - 1
			row.Add(detail)
		}
		objs = append(objs, row)
	}
	l.rows.Objects = objs
	l.rows.Refresh()
	l.box.Refresh()
}

// texts returns the legend's title and entries (label and detail), for
// tests.
func (l *legend) texts() []string { return l.lines }

// legendTitle names what the fills show.
func legendTitle(o viewOptions, potentialName string) string {
	switch o.colorBy {
	case byPopulation:
		return "Population per unit"
	case byAccounts:
		return "Accounts per unit"
	case byPotential:
		if potentialName == "" {
			return "Potential per unit"
		}
		return potentialName + " per unit"
	case byDeviation:
		return "Territory population vs mean"
	}
	if o.colorBy >= byLevel {
		return "By " + o.level
	}
	return "Territories"
}

// applyFills recolours the map after an edit or a change of colour mode,
// and refreshes the legend. Call on the UI thread; it is cheap.
func (m *Meridian) applyFills() {
	s := m.session
	if s == nil {
		return
	}
	o := m.ed.options()
	fills, entries := s.fills(o, s.scenario, s.metrics)
	m.mapView.SetAreaFills(fills)
	m.legend.set(legendTitle(o, s.plan.PotentialName), entries)
	if m.presentation != nil {
		m.presentation.update(s, fills, entries, legendTitle(o, s.plan.PotentialName))
	}
}

// viewChanged is called when the colour mode or classes change.
func (m *Meridian) viewChanged() {
	o := m.ed.options()
	if o.colorBy == byTerritory || o.colorBy == byDeviation || o.colorBy >= byLevel { // deviation has fixed classes
		m.ed.method.Disable()
	} else {
		m.ed.method.Enable()
	}
	m.applyFills()
}

// edited refreshes everything that depends on the alignment after an edit,
// undo or redo: fills at once, then metrics, outlines and labels from a
// background derive.
func (m *Meridian) edited(status string) {
	m.applyFills()
	m.refreshToolbar()
	m.setStatus(status)
	m.rederive()
}

// rederive recomputes metrics, outlines and labels off the UI thread from a
// snapshot of the scenario, and shows them when they are still current.
// Derives are coalesced: while one runs, later requests make one more.
func (m *Meridian) rederive() {
	s := m.session
	if s == nil {
		return
	}
	m.deriveGen++
	if m.deriving {
		return
	}
	m.deriving = true
	plan := s.snapshotPlan()
	gen, snap, q := m.deriveGen, plan.Scenario(s.scenario.ID), m.bv.query()
	m.tasks.Add(1)
	run := func(f func()) { go f() }
	if m.syncDerive {
		run = func(f func()) { f() }
	}
	run(func() {
		defer m.tasks.Done()
		d := s.derive(plan, snap)
		b := s.balanceReport(plan, snap, q, d.metrics)
		fyne.Do(func() {
			m.deriving = false
			if m.session != s || m.quitting.Load() {
				return
			}
			if gen != m.deriveGen {
				m.rederive() // edits came in meanwhile
				return
			}
			m.applyBalance(b, q)
			m.applyDerived(d)
		})
	})
}

// applyBalance shows the balance report b computed for q by a derive. Call
// on the UI thread.
func (m *Meridian) applyBalance(b planner.BalanceReport, q balanceQuery) {
	s := m.session
	s.balance, s.balanceQ = b, q
	m.bv.set(s.plan, b)
}

// applyDerived shows a derive's result. Call on the UI thread.
func (m *Meridian) applyDerived(d derived) {
	s := m.session
	s.derived, s.metrics = d, d.shown()
	m.mapView.SetOutlines(d.outlines, d.colors, outlineWidth)
	m.mapView.SetLabels(d.labels)
	m.table.set(s.metrics, s.plan.PotentialName)
	m.av.setOwners(s.plan, s.scenario, d.accountOwner)
	m.rv.set(s)
	m.cv.set(s)
	m.qv.set(s)
	m.hv.set(s)
	m.covv.set(s)
	m.summary.SetText(segmentSummary(s.plan, s.metrics, summaryText(s.plan, s.metrics)))
	m.sv.derivedShown(s, d)
	m.applyFills() // legend metrics, and deviation colours
	if m.derivedHook != nil {
		m.derivedHook()
	}
}

// reload loads the open plan again from its file, dropping the undo
// history (after a failed write the file is the truth).
func (m *Meridian) reload() {
	s := m.session
	if s == nil {
		return
	}
	var ns *session
	m.runTask("Reloading "+s.db.Path+"…", func(ctx context.Context, progress func(float64)) error {
		s.writer.flush()
		p, err := s.db.Load(ctx)
		if err != nil {
			return err
		}
		ns, err = newSession(ctx, s.db, p)
		if err == nil {
			ns.untitled, ns.pristine = s.untitled, s.pristine
		}
		return err
	}, func() {
		s.writer.stop()
		m.show(ns)
	})
}

// toolbarRow is the map's toolbar (two rows: editing, then viewing) with
// the selection bar below it.
func (m *Meridian) toolbarRow() fyne.CanvasObject {
	return container.NewVBox(container.NewHScroll(m.ed.bar), container.NewHScroll(m.ed.viewBar), m.ed.selBar)
}

// sidePane puts the scenario selector on a row of its own above the tabs
// beside the map: neither the map's toolbars nor the tab bar (six tabs)
// have room left for it.
func (m *Meridian) sidePane() fyne.CanvasObject {
	wide := canvas.NewRectangle(color.Transparent) // room for a scenario's name
	wide.SetMinSize(fyne.NewSize(260, 0))
	scenario := container.NewHScroll(container.NewHBox(widget.NewLabel("Scenario:"), container.NewStack(wide, m.ed.scenario),
		widget.NewLabel("Segment:"), m.sv.filterBox())) // scrolls rather than widen the pane
	return container.NewBorder(scenario, nil, nil, nil, m.tabs)
}

// mapWithLegend stacks the legend in the map's bottom-right corner (over
// the Atlantic on US maps; metrics are in the table beside the map).
func (m *Meridian) mapWithLegend() fyne.CanvasObject {
	corner := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), m.legend.box), nil, nil)
	return container.NewStack(m.mapView, corner)
}
