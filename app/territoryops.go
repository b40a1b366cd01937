package app

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// Territory operations of the Territories tab: new, rename, recolour,
// delete, merge and split. Each acts on the active territory (the row
// selected in the table, or the toolbar's choice) and is one undoable
// change.

// territoryOpsBar is the row of territory operations above the
// Territories table; it scrolls sideways rather than widen the side pane.
func (m *Meridian) territoryOpsBar() fyne.CanvasObject {
	return container.NewHScroll(container.NewHBox(
		widget.NewButton("New…", m.askNewTerritory),
		widget.NewButton("Rename…", func() { m.askRenameTerritory(m.ed.activeID) }),
		widget.NewButton("Colour…", m.askTerritoryColor),
		widget.NewButton("Delete…", m.askDeleteTerritory),
		widget.NewButton("Merge…", m.askMergeTerritory),
		widget.NewButton("Split selection…", m.askSplitBySelection),
		widget.NewButton("Split by line", m.startSplitByLine),
	))
}

// opTerritory returns the territory the operations act on (the active
// one), or nil after telling the user to pick one.
func (m *Meridian) opTerritory() *planner.Territory {
	s := m.session
	if s == nil {
		return nil
	}
	t := s.territory(m.ed.activeID)
	if t == nil {
		m.setStatus("Select a territory in the table first.")
	}
	return t
}

// askNewTerritory asks for a name and makes an empty territory.
func (m *Meridian) askNewTerritory() {
	if m.session == nil {
		return
	}
	m.askTerritoryName(func(name string) { m.createTerritory(name, nil, nil) })
}

// checkRename checks a new name for territory id: as checkTerritoryName,
// but the territory's own name (in another case) is allowed.
func checkRename(s *session, id int64, v string) error {
	v = strings.TrimSpace(v)
	if t := s.territory(id); t != nil && strings.EqualFold(strings.TrimSpace(t.Name), v) {
		if v == "" {
			return errors.New("a territory needs a name")
		}
		return nil
	}
	return checkTerritoryName(s, v)
}

// askRenameTerritory asks for territory id's new name.
func (m *Meridian) askRenameTerritory(id int64) {
	s := m.session
	if s == nil {
		return
	}
	t := s.territory(id)
	if t == nil {
		m.setStatus("Select a territory in the table first.")
		return
	}
	entry := widget.NewEntry()
	entry.SetText(t.Name)
	entry.Validator = func(v string) error { return checkRename(s, id, v) }
	m.askValue("Rename territory", "Name", entry, "The territory keeps its units, reps, region and quota.", func(v string) error {
		if m.session != s {
			return nil
		}
		return m.renameTerritory(id, v)
	})
}

// renameTerritory renames territory id to name (trimmed) as one undoable
// change. It returns an error for a name checkRename refuses.
func (m *Meridian) renameTerritory(id int64, name string) error {
	s := m.session
	t := s.territory(id)
	if t == nil {
		return fmt.Errorf("the territory is gone")
	}
	name = strings.TrimSpace(name)
	if err := checkRename(s, id, name); err != nil {
		return fmt.Errorf("cannot rename %s: %w", t.Name, err)
	}
	old := t.Name
	if old == name {
		return nil
	}
	set := func(s *session, n string) {
		if t := s.territory(id); t != nil {
			t.Name = n
		}
	}
	m.commit(&change{
		label:  "Rename " + old + " to " + name,
		do:     func(s *session) { set(s, name) },
		undo:   func(s *session) { set(s, old) },
		write:  []sqlite.Edit{sqlite.RenameTerritoryEdit(id, name)},
		revert: []sqlite.Edit{sqlite.RenameTerritoryEdit(id, old)},
	}, false)
	return nil
}

// hexColor returns c as "#RRGGBB" (alpha dropped, colour not
// premultiplied).
func hexColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02X%02X%02X", n.R, n.G, n.B)
}

// askTerritoryColor shows a colour picker for the active territory.
func (m *Meridian) askTerritoryColor() {
	t := m.opTerritory()
	if t == nil {
		return
	}
	s, id := m.session, t.ID
	p := dialog.NewColorPicker("Territory colour", "The map colour of "+t.Name, func(c color.Color) {
		if m.session == s {
			m.recolorTerritory(id, hexColor(c))
		}
	}, m.win)
	p.Advanced = true
	p.SetColor(parseHexColor(t.Color, whiteSpaceColor))
	p.Show()
}

// recolorTerritory sets territory id's colour ("#RRGGBB") as one undoable
// change.
func (m *Meridian) recolorTerritory(id int64, hex string) {
	s := m.session
	t := s.territory(id)
	if t == nil || strings.EqualFold(t.Color, hex) {
		return
	}
	m.commit(colorChange("Recolour "+t.Name, map[int64]string{id: hex}, map[int64]string{id: t.Color}), false)
}

// territoryParts are what belongs to territory id in the active scenario:
// its units (code → id) and its named accounts (account ID → id).
func territoryParts(s *session, id int64) (units map[string]int64, named map[int64]int64) {
	units, named = map[string]int64{}, map[int64]int64{}
	for code, tid := range s.scenario.Alignment {
		if tid == id {
			units[code] = id
		}
	}
	for aid, tid := range s.scenario.NamedAccounts {
		if tid == id {
			named[aid] = id
		}
	}
	return units, named
}

// remap returns a copy of m with every value set to v.
func remap[K comparable](m map[K]int64, v int64) map[K]int64 {
	out := make(map[K]int64, len(m))
	for k := range m {
		out[k] = v
	}
	return out
}

// setNamed applies named-account changes in memory: account ID →
// territory ID, 0 removing the override.
func (s *session) setNamed(to map[int64]int64) {
	if len(to) == 0 {
		return
	}
	if s.scenario.NamedAccounts == nil {
		s.scenario.NamedAccounts = map[int64]int64{}
	}
	for aid, tid := range to {
		if tid == 0 {
			delete(s.scenario.NamedAccounts, aid)
		} else {
			s.scenario.NamedAccounts[aid] = tid
		}
	}
}

// deleteTerritoryChange deletes territory t: its units become white space
// and its named accounts go back to their geography. Undo adds it back
// (last in the scenario's order, as the plan file does) with everything
// AddTerritoryEdit keeps (reps, region, boundary, capacity, quota), its
// units and its named accounts.
func deleteTerritoryChange(scenarioID int64, t planner.Territory, units map[string]int64, named map[int64]int64) *change {
	revert := []sqlite.Edit{sqlite.AddTerritoryEdit(scenarioID, t)}
	if len(units) > 0 {
		revert = append(revert, sqlite.RealignEdit(scenarioID, units))
	}
	if len(named) > 0 {
		revert = append(revert, sqlite.SetNamedAccountsEdit(scenarioID, named))
	}
	return &change{
		label: "Delete territory " + t.Name,
		do: func(s *session) {
			s.setNamed(remap(named, 0))
			s.setAlignment(remap(units, 0))
			s.removeTerritory(t.ID)
		},
		undo: func(s *session) {
			s.scenario.Territories = append(s.scenario.Territories, t)
			s.setAlignment(units)
			s.setNamed(named)
		},
		write:  []sqlite.Edit{sqlite.DeleteTerritoryEdit(t.ID)},
		revert: revert,
	}
}

// territoryAccounts returns how many accounts count in territory id by
// the last metrics (0 when it has no row).
func territoryAccounts(s *session, id int64) int {
	for _, tm := range s.metrics.Territories {
		if tm.Territory.ID == id {
			return tm.Accounts
		}
	}
	return 0
}

// askDeleteTerritory confirms and deletes the active territory.
func (m *Meridian) askDeleteTerritory() {
	t := m.opTerritory()
	if t == nil {
		return
	}
	s, id := m.session, t.ID
	units, named := territoryParts(s, id)
	msg := fmt.Sprintf("Delete %s? Its %s become white space and its %s unassigned", t.Name,
		unitCount(len(units), s.plan.UnitLevel), plural(territoryAccounts(s, id), "account is", "accounts are"))
	if len(named) > 0 {
		msg += fmt.Sprintf("; %s go back to their geography", plural(len(named), "named account", "named accounts"))
	}
	msg += ". Undo (Ctrl+Z) brings it back."
	dialog.ShowConfirm("Delete territory", msg, func(ok bool) {
		if ok && m.session == s {
			m.deleteTerritory(id)
		}
	}, m.win)
}

// deleteTerritory deletes territory id as one undoable change.
func (m *Meridian) deleteTerritory(id int64) {
	s := m.session
	t := s.territory(id)
	if t == nil {
		return
	}
	units, named := territoryParts(s, id)
	m.commit(deleteTerritoryChange(s.scenario.ID, *t, units, named), false)
}

// mergeChange moves the units and named accounts of territory gone into
// territory keep and deletes gone; undo restores gone as deleteTerritory's
// undo does, with its units and named accounts.
func mergeChange(scenarioID int64, keep, gone planner.Territory, units map[string]int64, named map[int64]int64) *change {
	toKeep, toKeepNamed := remap(units, keep.ID), remap(named, keep.ID)
	var write []sqlite.Edit
	if len(units) > 0 {
		write = append(write, sqlite.RealignEdit(scenarioID, toKeep))
	}
	if len(named) > 0 {
		write = append(write, sqlite.SetNamedAccountsEdit(scenarioID, toKeepNamed))
	}
	write = append(write, sqlite.DeleteTerritoryEdit(gone.ID))
	del := deleteTerritoryChange(scenarioID, gone, units, named)
	return &change{
		label: "Merge " + gone.Name + " into " + keep.Name,
		do: func(s *session) {
			s.setAlignment(toKeep)
			s.setNamed(toKeepNamed)
			s.removeTerritory(gone.ID)
		},
		undo:   del.undo,
		write:  write,
		revert: del.revert,
	}
}

// askMergeTerritory asks which territory to merge into the active one.
func (m *Meridian) askMergeTerritory() {
	t := m.opTerritory()
	if t == nil {
		return
	}
	s, keep := m.session, t.ID
	var names []string
	for _, o := range s.scenario.Territories {
		if o.ID != keep {
			names = append(names, o.Name)
		}
	}
	if len(names) == 0 {
		m.setStatus("There is no other territory to merge.")
		return
	}
	pick := widget.NewSelect(names, nil)
	pick.PlaceHolder = "Territory to merge in"
	info := widget.NewLabel(fmt.Sprintf("Its units and named accounts move into %s, and it is deleted (its drawn boundary, reps and quota with it). Undo brings it back.", t.Name))
	info.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Merge into "+t.Name, "Merge", "Cancel", container.NewVBox(pick, info), func(ok bool) {
		if !ok || m.session != s || pick.Selected == "" {
			return
		}
		if g := s.scenario.TerritoryByName(pick.Selected); g != nil {
			m.mergeTerritories(keep, g.ID)
		}
	}, m.win)
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
}

// mergeTerritories merges territory gone into keep as one undoable change.
func (m *Meridian) mergeTerritories(keep, gone int64) {
	s := m.session
	k, g := s.territory(keep), s.territory(gone)
	if k == nil || g == nil || keep == gone {
		return
	}
	units, named := territoryParts(s, gone)
	m.commit(mergeChange(s.scenario.ID, *k, *g, units, named), false)
	m.ed.activeID = keep
	m.refreshToolbar()
}

// splitTerritory moves units (indexes in plan.Units, all of territory id)
// into a new territory named name in the same region, coloured apart from
// its neighbours, as one undoable change; the new territory becomes
// active.
func (m *Meridian) splitTerritory(id int64, name string, units []int) {
	s := m.session
	t := s.territory(id)
	if t == nil || len(units) == 0 {
		return
	}
	nt := planner.Territory{ID: s.nextTerritoryID(), Name: name, RegionID: t.RegionID, Color: m.colorForNew(units)}
	to, from := map[string]int64{}, map[string]int64{}
	for _, i := range units {
		code := s.plan.Units[i].Code
		to[code], from[code] = nt.ID, s.scenario.Alignment[code]
	}
	c := newTerritoryChange(s.scenario.ID, nt, to, from)
	c.label = fmt.Sprintf("Split %s: %s to %s", t.Name, unitCount(len(units), s.plan.UnitLevel), name)
	m.ed.activeID = nt.ID
	m.commit(c, false)
}

// unitsOf returns the indexes of units (in plan.Units) aligned to
// territory id, among those of idx (all units when idx is nil).
func unitsOf(s *session, id int64, idx []int) []int {
	var out []int
	if idx == nil {
		for i := range s.plan.Units {
			if s.scenario.Alignment[s.plan.Units[i].Code] == id {
				out = append(out, i)
			}
		}
		return out
	}
	for _, i := range idx {
		if i >= 0 && i < len(s.plan.Units) && s.scenario.Alignment[s.plan.Units[i].Code] == id {
			out = append(out, i)
		}
	}
	return out
}

// askSplitBySelection splits the active territory's selected units (lasso
// or clicks) into a new territory.
func (m *Meridian) askSplitBySelection() {
	t := m.opTerritory()
	if t == nil {
		return
	}
	s, id := m.session, t.ID
	sel := unitsOf(s, id, m.ed.selection)
	all := len(unitsOf(s, id, nil))
	switch {
	case len(sel) == 0:
		m.showError(fmt.Errorf("None of the selected units is in %s: select some of its units with the Lasso tool first", t.Name))
		return
	case len(sel) == all:
		m.showError(fmt.Errorf("All of %s's units are selected: a split needs some units on each side", t.Name))
		return
	}
	m.askSplitName(t, fmt.Sprintf("%s of %s's %s go to the new territory.", unitCount(len(sel), s.plan.UnitLevel), t.Name, formatCount(float64(all))), func(name string) {
		m.clearSelection()
		m.splitTerritory(id, name, sel)
	})
}

// defaultSplitName is the new territory's suggested name: "<name> 2", or
// the first of "<name> 3", ... that no territory has.
func defaultSplitName(s *session, name string) string {
	for n := 2; ; n++ {
		v := ellipsis(name, maxTerritoryName-4) + fmt.Sprintf(" %d", n)
		if checkTerritoryName(s, v) == nil || n > 999 {
			return v
		}
	}
}

// askSplitName asks for the name of the territory split from t.
func (m *Meridian) askSplitName(t *planner.Territory, help string, done func(name string)) {
	s := m.session
	entry := widget.NewEntry()
	entry.SetText(defaultSplitName(s, t.Name))
	entry.Validator = func(v string) error { return checkTerritoryName(s, v) }
	m.askValue("Split "+t.Name, "New territory", entry, help, func(v string) error {
		if m.session == s {
			done(strings.TrimSpace(v))
		}
		return nil
	})
}

// startSplitByLine switches the map to the Draw tool; the next line drawn
// splits the active territory (see splitByLine).
func (m *Meridian) startSplitByLine() {
	t := m.opTerritory()
	if t == nil {
		return
	}
	m.selectTool(mapview.ToolPolygon)
	m.ed.splitID = t.ID
	m.mapView.OnLine = m.splitByLine
	m.setStatus("Split " + t.Name + ": click the points of a line across it (2 or more), double-click or press Enter to end it. The units left of the line, as you drew it, form the new territory. Escape cancels.")
}

// splitByLine ends a split by a drawn line: line is what the Draw tool in
// line mode gave (plane units, in the order drawn). It asks for the new
// territory's name and side (the units left of the line as drawn first),
// or says why the line does not split the territory.
func (m *Meridian) splitByLine(line []orb.Point) {
	s := m.session
	id := m.ed.splitID
	m.ed.splitID = 0
	m.mapView.OnLine = nil
	m.selectTool(mapview.ToolPan)
	if s == nil {
		return
	}
	t := s.territory(id)
	if t == nil {
		return
	}
	left, right, err := splitUnits(s, id, line)
	if err != nil {
		m.showError(err)
		return
	}
	// Left of the line as drawn is offered first; the dialog lets the
	// user take the other side instead.
	sides := []string{sideText(s, left), sideText(s, right)}
	side := widget.NewRadioGroup(sides, nil)
	side.Required = true
	side.SetSelected(sides[0])
	entry := widget.NewEntry()
	entry.SetText(defaultSplitName(s, t.Name))
	entry.Validator = func(v string) error { return checkTerritoryName(s, v) }
	info := widget.NewLabel("The new territory takes the units on one side of the line; the others stay in " + t.Name + ".")
	info.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Split "+t.Name, "Split", "Cancel", []*widget.FormItem{
		widget.NewFormItem("", info), widget.NewFormItem("Side", side), widget.NewFormItem("New territory", entry),
	}, func(ok bool) {
		if !ok || m.session != s {
			return
		}
		units := left
		if side.Selected == sides[1] {
			units = right
		}
		m.splitTerritory(id, strings.TrimSpace(entry.Text), units)
	}, m.win)
	d.Resize(fyne.NewSize(520, d.MinSize().Height))
	d.Show()
}

// sideText describes the units of one side of a split line: "31 counties:
// Fairfield, Hartford, Litchfield, …".
func sideText(s *session, units []int) string {
	var names []string
	for _, i := range units[:min(3, len(units))] {
		names = append(names, s.plan.Units[i].Name)
	}
	if len(units) > 3 {
		names = append(names, "…")
	}
	return unitCount(len(units), s.plan.UnitLevel) + ": " + strings.Join(names, ", ")
}

// splitUnits returns territory id's units (indexes in plan.Units) whose
// interior point lies left of the polyline line (plane units, in the order
// drawn, extended at both ends beyond the territory), and the others.
// Errors: a line of fewer than 2 distinct points, a territory with no
// units, or a line with all the units on one side.
func splitUnits(s *session, id int64, line []orb.Point) (left, right []int, err error) {
	name := "the territory"
	if t := s.territory(id); t != nil {
		name = t.Name
	}
	line = distinctPoints(line)
	if len(line) < 2 {
		return nil, nil, fmt.Errorf("The line needs at least 2 distinct points; draw it again")
	}
	units := unitsOf(s, id, nil)
	if len(units) == 0 {
		return nil, nil, fmt.Errorf("%s has no units to split", name)
	}
	pts := make([]orb.Point, len(units))
	b := orb.MultiPoint(line).Bound()
	for k, i := range units {
		pts[k] = s.interior[i]
		b = b.Extend(pts[k])
	}
	ext := 2*math.Hypot(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1
	side := leftOfLine(extendLine(line, ext), pts)
	for k, i := range units {
		if side[k] {
			left = append(left, i)
		} else {
			right = append(right, i)
		}
	}
	if len(left) == 0 || len(right) == 0 {
		return nil, nil, fmt.Errorf("The line leaves all %s of %s on one side; draw it across the territory", unitCount(len(units), s.plan.UnitLevel), name)
	}
	return left, right, nil
}

// distinctPoints returns pts without consecutive repeats.
func distinctPoints(pts []orb.Point) []orb.Point {
	out := make([]orb.Point, 0, len(pts))
	for _, p := range pts {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// extendLine returns line with its first and last segments extended
// outwards by ext (plane units), so that it crosses the whole territory.
func extendLine(line []orb.Point, ext float64) []orb.Point {
	out := append([]orb.Point(nil), line...)
	n := len(out)
	if n < 2 {
		return out
	}
	unit := func(a, b orb.Point) orb.Point {
		d := math.Hypot(b[0]-a[0], b[1]-a[1])
		if d == 0 {
			return orb.Point{}
		}
		return orb.Point{(b[0] - a[0]) / d, (b[1] - a[1]) / d}
	}
	u := unit(out[1], out[0])
	out[0] = orb.Point{out[0][0] + ext*u[0], out[0][1] + ext*u[1]}
	v := unit(out[n-2], out[n-1])
	out[n-1] = orb.Point{out[n-1][0] + ext*v[0], out[n-1][1] + ext*v[1]}
	return out
}

// leftOfLine reports for each point of pts whether it lies strictly left
// of the open polyline line (plane units, y up; left as seen walking from
// line[0] to its end). A point belongs to the side of its nearest point on
// the line: inside a segment, the sign of the cross product; at a vertex
// joining two segments, left of both when the line turns left there and
// left of either when it turns right (the 2-D case of the angle-weighted
// pseudo-normal sign test, Bærentzen & Aanæs, "Signed distance computation
// using the angle weighted pseudonormal", IEEE TVCG 11(3), 2005). Points
// on the line are not left. O(len(pts) × len(line)).
func leftOfLine(line []orb.Point, pts []orb.Point) []bool {
	out := make([]bool, len(pts))
	n := len(line)
	if n < 2 {
		return out
	}
	cross := func(o, a, b orb.Point) float64 { // (a−o) × (b−o)
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	for k, q := range pts {
		best, seg, vertex := math.Inf(1), 0, -1
		for i := 0; i+1 < n; i++ {
			a, b := line[i], line[i+1]
			dx, dy := b[0]-a[0], b[1]-a[1]
			l2 := dx*dx + dy*dy
			t := 0.0
			if l2 > 0 {
				t = ((q[0]-a[0])*dx + (q[1]-a[1])*dy) / l2
			}
			v := -1
			switch {
			case t <= 0:
				t, v = 0, i
			case t >= 1:
				t, v = 1, i+1
			}
			px, py := a[0]+t*dx, a[1]+t*dy
			if d := math.Hypot(q[0]-px, q[1]-py); d < best {
				best, seg, vertex = d, i, v
			}
		}
		if vertex <= 0 || vertex >= n-1 {
			// Inside a segment, or at an end of the line.
			out[k] = cross(line[seg], line[seg+1], q) > 0
			continue
		}
		p := line[vertex]
		prev, next := line[vertex-1], line[vertex+1]
		c1 := cross(prev, p, q) // left of the incoming segment
		c2 := cross(p, next, q) // left of the outgoing one
		turn := cross(prev, p, next)
		if turn > 0 {
			out[k] = c1 > 0 && c2 > 0
		} else {
			out[k] = c1 > 0 || c2 > 0
		}
	}
	return out
}
