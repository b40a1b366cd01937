package app

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
)

// toolNames are the map tools of the toolbar, in mapview.Tool order.
var toolNames = []string{"Pan", "Paint", "Lasso", "Draw"}

// selectionColor highlights the units of a lasso selection.
var selectionColor = color.NRGBA{0x00, 0x5f, 0xcc, 0x70}

// editor is the map toolbar and the state of map editing: the active
// territory, the paint stroke under way, and the lasso selection.
type editor struct {
	tools      *widget.RadioGroup
	active     *widget.Select // the active territory, by name
	scenario   *widget.Select // the active scenario, by name (over the side pane's tab bar)
	undo, redo *widget.Button
	colorBy    *widget.Select
	method     *widget.Select
	boundary   *widget.Button    // edit the active territory's drawn boundary
	bar        fyne.CanvasObject // editing: tools, active territory, undo
	viewBar    fyne.CanvasObject // viewing: colours, zoom, presentation

	selBar   *container.Scroll // shown while units are selected; scrolls sideways
	selLabel *widget.Label

	activeID  int64            // the active territory's ID, 0 for none
	stroke    map[string]int64 // units painted in this stroke: code -> former territory
	selection []int            // selected units (lasso)
	ignore    bool             // set while the toolbar is updated from code
	splitID   int64            // the territory the next drawn line splits (territoryops.go), 0 for none
}

// newEditor builds the toolbar; wire connects it once the Meridian exists.
func (m *Meridian) newEditor() *editor {
	e := &editor{ignore: true} // no callbacks while the toolbar is built
	defer func() { e.ignore = false }()
	e.tools = widget.NewRadioGroup(toolNames, func(s string) {
		if e.ignore {
			return
		}
		for i, n := range toolNames {
			if n == s {
				m.setTool(mapview.Tool(i))
			}
		}
	})
	e.tools.Horizontal = true
	e.tools.Required = true
	e.tools.Selected = toolNames[0]
	e.active = widget.NewSelect(nil, func(name string) {
		if e.ignore {
			return
		}
		m.setActiveByName(name)
	})
	e.active.PlaceHolder = "Active territory"
	e.scenario = widget.NewSelect(nil, func(name string) {
		if !e.ignore {
			m.switchScenarioByName(name)
		}
	})
	e.scenario.PlaceHolder = "Scenario"
	e.undo = widget.NewButtonWithIcon("", theme.ContentUndoIcon(), m.undo)
	e.redo = widget.NewButtonWithIcon("", theme.ContentRedoIcon(), m.redo)
	e.undo.Disable()
	e.redo.Disable()
	e.colorBy = widget.NewSelect(colorByNames, func(string) {
		if !e.ignore {
			m.viewChanged()
		}
	})
	e.colorBy.SetSelectedIndex(0)
	e.method = widget.NewSelect([]string{"Quantile", "Equal interval"}, func(string) {
		if !e.ignore {
			m.viewChanged()
		}
	})
	e.method.SetSelectedIndex(0)
	e.method.Disable()
	e.boundary = widget.NewButton("Edit boundary", m.editBoundary)
	e.boundary.Disable()
	fit := widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { m.mapView.FitAll() })
	zoomT := widget.NewButton("Zoom to territory", m.zoomToActive)
	present := widget.NewButton("Present", m.present)
	e.bar = container.NewHBox(
		e.tools, widget.NewSeparator(),
		widget.NewLabel("Territory:"), e.active, widget.NewSeparator(),
		e.undo, e.redo,
	)
	e.viewBar = container.NewHBox(
		widget.NewLabel("Colour by:"), e.colorBy, e.method, widget.NewSeparator(),
		fit, zoomT, e.boundary, present,
	)
	e.selLabel = widget.NewLabel("")
	// The row scrolls sideways rather than widen the map pane (a wider
	// minimum would move the split and refit the map under the cursor).
	e.selBar = container.NewHScroll(container.NewHBox(e.selLabel,
		widget.NewButton("Assign to active territory", m.assignSelection),
		widget.NewButton("New territory from selection…", m.newTerritoryFromSelection),
		widget.NewButton("Clear selection", m.clearSelection)))
	e.selBar.Hide()
	return e
}

// options returns the map view options chosen in the toolbar.
func (e *editor) options() viewOptions {
	o := viewOptions{colorBy: colorByChoice(e.colorBy.SelectedIndex()), level: e.colorBy.Selected}
	if e.method.SelectedIndex() == 1 {
		o.method = planner.EqualInterval
	}
	return o
}

// wireMap connects the map's tool callbacks to the editor.
func (m *Meridian) wireMap() {
	mv := m.mapView
	mv.OnPaint = m.paintUnit
	mv.OnPaintEnd = m.endStroke
	mv.OnLasso = m.lassoSelect
	mv.OnPolygon = m.polygonDrawn
	mv.OnTap = func(area int) {
		if m.session != nil && area >= 0 {
			m.setStatus(strings.ReplaceAll(m.session.tooltip(area), "\n", " · "))
		}
	}
}

// setTool switches the map tool; leaving a tool ends its gesture.
func (m *Meridian) setTool(t mapview.Tool) {
	m.mapView.SetTool(t)
	if t != mapview.ToolPolygon {
		m.ed.splitID = 0 // leaving Draw ends a split by a line
		m.mapView.OnLine = nil
	}
	switch t {
	case mapview.ToolPaint:
		if m.ed.activeID == 0 {
			m.setStatus("Paint: pick the active territory first, then click or drag over units to assign them.")
		} else {
			m.setStatus("Paint: click or drag over units to assign them to " + m.activeName() + ". Ctrl+Z undoes.")
		}
	case mapview.ToolLasso:
		m.setStatus("Lasso: drag around units to select them (a unit is selected when its interior point is inside).")
	case mapview.ToolPolygon:
		m.setStatus("Draw: click to add vertices; double-click, Enter or a click on the first vertex closes the shape. Backspace removes a vertex, Escape cancels.")
	default:
		m.setStatus("Pan: drag to move, scroll or +/- to zoom, arrow keys to pan.")
	}
}

// selectTool sets the toolbar's tool (and so the map's).
func (m *Meridian) selectTool(t mapview.Tool) { m.ed.tools.SetSelected(toolNames[t]) }

// refreshToolbar updates the toolbar from the session: territory names,
// the active territory, undo and redo.
func (m *Meridian) refreshToolbar() {
	e, s := m.ed, m.session
	e.ignore = true
	defer func() { e.ignore = false }()
	m.refreshScenarios()
	if s == nil {
		e.active.SetOptions(nil)
		return
	}
	names := make([]string, len(s.scenario.Territories))
	for i, t := range s.scenario.Territories {
		names[i] = t.Name
	}
	e.active.SetOptions(names)
	if t := s.territory(e.activeID); t != nil {
		e.active.SetSelected(t.Name)
		if len(t.Boundary) > 0 {
			e.boundary.Enable()
		} else {
			e.boundary.Disable()
		}
	} else if len(s.scenario.Territories) > 0 {
		// The active territory is gone (undone or deleted): the first one
		// takes its place, so that painting goes on.
		e.activeID = s.scenario.Territories[0].ID
		e.active.SetSelected(s.scenario.Territories[0].Name)
		setEnabled(e.boundary, len(s.scenario.Territories[0].Boundary) > 0)
	} else {
		e.activeID = 0
		e.active.ClearSelected()
		e.boundary.Disable()
	}
	setEnabled(e.undo, len(s.history.done) > 0)
	setEnabled(e.redo, len(s.history.undone) > 0)
	m.undoItem.Disabled = len(s.history.done) == 0
	m.redoItem.Disabled = len(s.history.undone) == 0
	m.undoItem.Label, m.redoItem.Label = "Undo", "Redo"
	if n := len(s.history.done); n > 0 {
		m.undoItem.Label = "Undo " + s.history.done[n-1].label
	}
	if n := len(s.history.undone); n > 0 {
		m.redoItem.Label = "Redo " + s.history.undone[n-1].label
	}
	m.menu.Refresh()
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// setActiveByName makes the named territory the active one.
func (m *Meridian) setActiveByName(name string) {
	s := m.session
	if s == nil {
		return
	}
	for _, t := range s.scenario.Territories {
		if t.Name == name {
			m.setActive(t.ID)
			return
		}
	}
}

// setActive makes territory id the one that painting and the selection
// assign to.
func (m *Meridian) setActive(id int64) {
	m.ed.activeID = id
	m.refreshToolbar()
	if m.mapView.Tool() == mapview.ToolPaint {
		m.setTool(mapview.ToolPaint)
	}
}

func (m *Meridian) activeName() string {
	if m.session != nil {
		if t := m.session.territory(m.ed.activeID); t != nil {
			return t.Name
		}
	}
	return ""
}

// paintUnit assigns unit i to the active territory as the paint stroke
// passes over it. The fill changes at once; the stroke becomes one undoable
// edit when it ends.
func (m *Meridian) paintUnit(i int) {
	s := m.session
	if s == nil || i < 0 || i >= len(s.plan.Units) {
		return
	}
	if m.ed.activeID == 0 || s.territory(m.ed.activeID) == nil {
		m.setStatus("Pick the active territory first (toolbar), then paint.")
		return
	}
	code := s.plan.Units[i].Code
	prev := s.scenario.Alignment[code]
	if prev == m.ed.activeID {
		return
	}
	if m.ed.stroke == nil {
		m.ed.stroke = map[string]int64{}
	}
	if _, seen := m.ed.stroke[code]; !seen {
		m.ed.stroke[code] = prev
	}
	s.setAlignment(map[string]int64{code: m.ed.activeID})
	m.applyFills()
}

// endStroke makes the paint stroke one undoable edit.
func (m *Meridian) endStroke() {
	s, from := m.session, m.ed.stroke
	m.ed.stroke = nil
	if s == nil || len(from) == 0 {
		return
	}
	to := make(map[string]int64, len(from))
	for code := range from {
		to[code] = m.ed.activeID
	}
	m.commit(realignChange(fmt.Sprintf("Assign %s to %s", m.unitsText(len(to)), m.activeName()), s.scenario.ID, to, from), true)
}

// unitsText is "1 county", "12 counties" in the plan's unit level.
func (m *Meridian) unitsText(n int) string {
	level := ""
	if s := m.session; s != nil {
		level = s.plan.UnitLevel
	}
	return unitCount(n, level)
}

// unitCount is "1 county", "12 counties" for a plan's unit level ("" is
// "unit").
func unitCount(n int, level string) string {
	level = strings.ToLower(level)
	if level == "" {
		level = "unit"
	}
	if n == 1 {
		return "1 " + level
	}
	if strings.HasSuffix(level, "y") {
		return formatCount(float64(n)) + " " + strings.TrimSuffix(level, "y") + "ies"
	}
	return formatCount(float64(n)) + " " + level + "s"
}

// lassoUnits returns the units whose interior point lies inside ring
// (plane units), in unit order.
func (s *session) lassoUnits(ring orb.Ring) []int {
	b := ring.Bound()
	var out []int
	for i, p := range s.interior {
		if len(s.areas[i]) > 0 && b.Contains(p) && planar.RingContains(ring, p) {
			out = append(out, i)
		}
	}
	return out
}

// lassoSelect selects the units inside a lasso and offers what to do.
func (m *Meridian) lassoSelect(ring orb.Ring) {
	s := m.session
	if s == nil {
		return
	}
	m.setSelection(s.lassoUnits(ring))
}

// setSelection highlights units and shows the selection bar.
func (m *Meridian) setSelection(sel []int) {
	s := m.session
	m.ed.selection = sel
	m.mapView.SetHighlight(sel, selectionColor)
	if len(sel) == 0 || s == nil {
		m.ed.selBar.Hide()
		if s != nil {
			m.setStatus("The lasso holds no unit's interior point.")
		}
		return
	}
	var pop float64
	var accts, known int
	for _, i := range sel {
		if u := s.plan.Units[i]; u.Population.Known {
			pop += u.Population.Value
			known++
		}
		accts += s.unitAccounts[i]
	}
	people := formatCount(pop) + " people"
	if known == 0 {
		people = "no population data"
	}
	m.ed.selLabel.SetText(fmt.Sprintf("%s selected: %s, %s.", m.unitsText(len(sel)), people, plural(accts, "account", "accounts")))
	m.ed.selBar.Show()
}

func (m *Meridian) clearSelection() { m.setSelection(nil) }

// assignSelection assigns the selected units to the active territory, as
// one undoable edit.
func (m *Meridian) assignSelection() {
	s := m.session
	if s == nil || len(m.ed.selection) == 0 {
		return
	}
	if s.territory(m.ed.activeID) == nil {
		m.showError(errors.New("Pick the active territory first (toolbar), then assign the selection to it"))
		return
	}
	to, from := map[string]int64{}, map[string]int64{}
	for _, i := range m.ed.selection {
		code := s.plan.Units[i].Code
		if prev := s.scenario.Alignment[code]; prev != m.ed.activeID {
			to[code], from[code] = m.ed.activeID, prev
		}
	}
	n := len(m.ed.selection)
	m.clearSelection()
	if len(to) == 0 {
		m.setStatus(fmt.Sprintf("All %s are already in %s.", m.unitsText(n), m.activeName()))
		return
	}
	m.commit(realignChange(fmt.Sprintf("Assign %s to %s", m.unitsText(len(to)), m.activeName()), s.scenario.ID, to, from), false)
}

// newTerritoryFromSelection asks for a name and makes a new territory of
// the selected units.
func (m *Meridian) newTerritoryFromSelection() {
	s := m.session
	if s == nil || len(m.ed.selection) == 0 {
		return
	}
	sel := append([]int(nil), m.ed.selection...)
	m.askTerritoryName(func(name string) {
		m.clearSelection()
		m.createTerritory(name, sel, nil)
	})
}

// askTerritoryName asks for a new territory's name (unique in the
// scenario) and calls done with it.
func (m *Meridian) askTerritoryName(done func(name string)) {
	s := m.session
	entry := widget.NewEntry()
	entry.SetText(fmt.Sprintf("Territory %d", len(s.scenario.Territories)+1))
	entry.Validator = func(v string) error { return checkTerritoryName(s, v) }
	d := dialog.NewForm("New territory", "Create", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", entry)},
		func(ok bool) {
			if ok && m.session == s {
				done(strings.TrimSpace(entry.Text))
			}
		}, m.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	m.win.Canvas().Focus(entry)
}

// maxTerritoryName is the longest territory name, in characters: longer
// names do not fit the legend, the table or a map label.
const maxTerritoryName = 40

// checkTerritoryName checks a new territory's name: not empty, at most
// maxTerritoryName characters, and not the name of another territory of
// the scenario, ignoring case and surrounding spaces.
func checkTerritoryName(s *session, v string) error {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return errors.New("a territory needs a name")
	case utf8.RuneCountInString(v) > maxTerritoryName:
		return fmt.Errorf("at most %d characters", maxTerritoryName)
	}
	for _, t := range s.scenario.Territories {
		if strings.EqualFold(strings.TrimSpace(t.Name), v) {
			return fmt.Errorf("%q is taken", t.Name)
		}
	}
	return nil
}

// createTerritory makes a new territory named name of the units sel and
// with the drawn boundary b (lon/lat; nil for none), coloured so that it
// differs from its neighbours, as one undoable edit; it becomes active.
func (m *Meridian) createTerritory(name string, sel []int, b orb.Polygon) {
	s := m.session
	t := planner.Territory{ID: s.nextTerritoryID(), Name: name, Boundary: b}
	to, from := map[string]int64{}, map[string]int64{}
	for _, i := range sel {
		code := s.plan.Units[i].Code
		to[code], from[code] = t.ID, s.scenario.Alignment[code]
	}
	t.Color = m.colorForNew(sel)
	m.ed.activeID = t.ID // shown by the toolbar refresh of commit
	m.commit(newTerritoryChange(s.scenario.ID, t, to, from), false)
}

// colorForNew picks the palette colour of a new territory made of units
// sel: planner.AssignColors with the current colours kept, so nothing else
// changes colour and the new one differs from its neighbours.
func (m *Meridian) colorForNew(sel []int) string {
	s := m.session
	n := len(s.scenario.Territories)
	group := append([]int(nil), s.territoryOf...)
	for _, i := range sel {
		group[i] = n
	}
	var pairs [][2]int
	for _, b := range s.edges.GroupNeighbors(group, n+1) {
		pairs = append(pairs, [2]int{b.A, b.B})
	}
	current := make([]string, n+1)
	for i, t := range s.scenario.Territories {
		current[i] = t.Color
	}
	return planner.AssignColors(n+1, pairs, current)[n]
}

// polygonDrawn checks a drawn shape and asks what it is for: a new
// territory, or the active territory's drawn boundary.
func (m *Meridian) polygonDrawn(ring orb.Ring) {
	s := m.session
	if s == nil {
		return
	}
	if err := geo.ValidateRing(ring); err != nil {
		m.showError(fmt.Errorf("This shape cannot be a territory boundary: %s. Draw it again", ringProblem(err)))
		return
	}
	b := s.proj.InvertPolygon(orb.Polygon{closeRing(ring)})
	newName := widget.NewEntry()
	newName.SetText(fmt.Sprintf("Territory %d", len(s.scenario.Territories)+1))
	choices := []string{"A new territory named:"}
	if t := s.territory(m.ed.activeID); t != nil {
		choices = append(choices, "The drawn boundary of "+t.Name)
	}
	choice := widget.NewRadioGroup(choices, nil)
	choice.Required = true
	choice.SetSelected(choices[0])
	inside, taken := drawnCounts(s, b)
	text := fmt.Sprintf("%s accounts lie inside the shape; they will belong to its territory whatever their %s.", formatCount(float64(inside)), strings.ToLower(s.plan.UnitLevel))
	if taken > 0 {
		text = fmt.Sprintf("%s accounts lie inside the shape. %s of them are inside an earlier drawn boundary and stay with it; the other %s will belong to the shape's territory whatever their %s.",
			formatCount(float64(inside)), formatCount(float64(taken)), formatCount(float64(inside-taken)), strings.ToLower(s.plan.UnitLevel))
	}
	if t := s.territory(m.ed.activeID); t != nil && len(t.Boundary) > 0 {
		text += " Choosing " + t.Name + " replaces its current drawn boundary."
	}
	info := widget.NewLabel(text)
	info.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Drawn boundary", "Save", "Cancel",
		container.NewVBox(info, choice, newName), func(ok bool) {
			if !ok || m.session != s {
				return
			}
			if choice.Selected == choices[0] {
				name := strings.TrimSpace(newName.Text)
				if err := checkTerritoryName(s, name); err != nil {
					m.showError(fmt.Errorf("The name %q cannot be used (%v); draw the shape again with another name", name, err))
					return
				}
				m.createTerritory(name, nil, b)
				return
			}
			t := s.territory(m.ed.activeID)
			if t == nil {
				return
			}
			nt := *t
			nt.Boundary = b
			m.commit(boundaryChange("Draw the boundary of "+t.Name, t.ID, *t, nt), false)
		}, m.win)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
}

// drawnCounts returns how many accounts lie inside the drawn boundary b
// (lon/lat), and how many of those an earlier drawn boundary of the
// scenario already owns (it keeps them: the first boundary wins).
func drawnCounts(s *session, b orb.Polygon) (inside, taken int) {
	probe := planner.Scenario{Territories: []planner.Territory{{ID: 1, Boundary: b}}}
	var earlier planner.Scenario
	for _, t := range s.scenario.Territories {
		if len(t.Boundary) > 0 {
			earlier.Territories = append(earlier.Territories, planner.Territory{ID: t.ID, Boundary: t.Boundary})
		}
	}
	in, owner := probe.AccountTerritories(s.plan), earlier.AccountTerritories(s.plan)
	for k := range in {
		if in[k] == 1 {
			inside++
			if owner[k] != 0 {
				taken++
			}
		}
	}
	return inside, taken
}

// closeRing returns r with its first point repeated at the end.
func closeRing(r orb.Ring) orb.Ring {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r[:len(r):len(r)], r[0])
	}
	return r
}

// editBoundary lets the user move, insert and delete the vertices of the
// active territory's drawn boundary; each change is one undoable edit, and
// a self-intersecting result is refused.
func (m *Meridian) editBoundary() {
	s := m.session
	if s == nil {
		return
	}
	t := s.territory(m.ed.activeID)
	if t == nil || len(t.Boundary) == 0 {
		return
	}
	id := t.ID
	m.selectTool(mapview.ToolPan)
	var onChange func(orb.Ring)
	onChange = func(r orb.Ring) {
		cur := s.territory(id)
		if cur == nil || m.session != s {
			m.mapView.StopEditing()
			return
		}
		if err := geo.ValidateRing(r); err != nil {
			m.showError(fmt.Errorf("That change would make the boundary invalid (%s); it was not made", ringProblem(err)))
			m.mapView.EditPolygon(s.proj.Polygon(cur.Boundary)[0], onChange)
			return
		}
		nt := *cur
		nt.Boundary = append(orb.Polygon{s.proj.InvertPolygon(orb.Polygon{closeRing(r)})[0]}, cur.Boundary[1:]...)
		m.commit(boundaryChange("Edit the boundary of "+cur.Name, id, *cur, nt), false)
	}
	m.mapView.EditPolygon(s.proj.Polygon(t.Boundary)[0], onChange)
	m.setStatus("Editing the boundary of " + t.Name + ": drag a vertex to move it, right-click it to delete it, click a midpoint to add one. Escape ends.")
}

// zoomToActive shows the active territory (its units and drawn boundary).
func (m *Meridian) zoomToActive() {
	s := m.session
	if s == nil {
		return
	}
	t := s.territory(m.ed.activeID)
	if t == nil {
		m.setStatus("Pick a territory in the toolbar to zoom to it.")
		return
	}
	var b orb.Bound
	first := true
	add := func(x orb.Bound) {
		if first {
			b, first = x, false
		} else {
			b = b.Union(x)
		}
	}
	for i, u := range s.plan.Units {
		if s.scenario.Alignment[u.Code] == t.ID && len(s.areas[i]) > 0 {
			add(s.areas[i].Bound())
		}
	}
	if len(t.Boundary) > 0 {
		add(s.proj.Polygon(t.Boundary).Bound())
	}
	if first {
		m.setStatus(t.Name + " has no units yet.")
		return
	}
	m.mapView.ZoomTo(b)
}

// ringProblem returns what is wrong with a drawn ring, for the user, with
// edges counted from 1 in the order the points were clicked.
func ringProblem(err error) string {
	var re *geo.RingError
	if !errors.As(err, &re) {
		return err.Error()
	}
	switch re.Reason {
	case geo.RingCrosses, geo.RingTouches, geo.RingOverlaps:
		return fmt.Sprintf("the boundary crosses or touches itself: side %d meets side %d (sides counted from the first point clicked)", re.EdgeA+1, re.EdgeB+1)
	}
	return re.Message()
}
