package app

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// hierarchyView is the Hierarchy tab: a tree of the active scenario's
// regions and territories with rolled-up metrics, the level names, and the
// buttons that edit the hierarchy. Rows can be dragged onto other rows to
// move them (see hierRow).
type hierarchyView struct {
	m       *Meridian
	content fyne.CanvasObject
	tree    *widget.Tree
	levels  *widget.Label // "Levels: Region > Area > Territory"
	info    *widget.Label // the drag cue and the outcome of the last move

	s        *session
	roots    []planner.HierarchyNode
	nodes    map[widget.TreeNodeID]*planner.HierarchyNode
	kids     map[widget.TreeNodeID][]widget.TreeNodeID
	known    map[widget.TreeNodeID]bool // region rows seen (opened once)
	selected widget.TreeNodeID
	rows     map[*hierRow]bool // every row widget the tree made

	drag struct {
		uid     widget.TreeNodeID // the row being dragged, "" when none
		pointer fyne.Position     // absolute (canvas) position of the pointer
		target  widget.TreeNodeID // the row under the pointer
	}
}

// nodeUID is a tree node's ID: "r<ID>" for a region, "t<ID>" for a
// territory.
func nodeUID(kind planner.NodeKind, id int64) widget.TreeNodeID {
	if kind == planner.NodeTerritory {
		return "t" + strconv.FormatInt(id, 10)
	}
	return "r" + strconv.FormatInt(id, 10)
}

func (m *Meridian) newHierarchyView() *hierarchyView {
	hv := &hierarchyView{m: m, nodes: map[string]*planner.HierarchyNode{}, kids: map[string][]string{},
		known: map[string]bool{}, rows: map[*hierRow]bool{}}
	hv.tree = widget.NewTree(
		func(uid widget.TreeNodeID) []widget.TreeNodeID { return hv.kids[uid] },
		func(uid widget.TreeNodeID) bool { return uid == "" || strings.HasPrefix(uid, "r") },
		func(bool) fyne.CanvasObject {
			r := &hierRow{hv: hv, label: widget.NewLabel("")}
			r.label.Truncation = fyne.TextTruncateEllipsis
			r.ExtendBaseWidget(r)
			hv.rows[r] = true
			return r
		},
		func(uid widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			r := o.(*hierRow)
			r.uid = uid
			r.label.SetText(hv.rowText(uid))
			r.Refresh() // the indent follows the node's depth
		})
	hv.tree.OnSelected = func(uid widget.TreeNodeID) {
		hv.selected = uid
		if n := hv.nodes[uid]; n != nil && n.Kind == planner.NodeTerritory {
			m.setActive(n.ID)
		}
	}
	hv.tree.OnUnselected = func(widget.TreeNodeID) { hv.selected = "" }
	hv.levels = widget.NewLabel("")
	hv.info = widget.NewLabel("Drag a row onto another to move it under that row's region.")
	hv.info.Wrapping = fyne.TextWrapWord
	buttons := container.NewHScroll(container.NewHBox(
		widget.NewButton("Levels…", hv.askLevels),
		widget.NewButton("New region…", hv.askNewRegion),
		widget.NewButton("Rename…", hv.askRename),
		widget.NewButton("Delete region", hv.deleteSelectedRegion),
		widget.NewButton("Move to…", hv.askMove),
	))
	hv.content = container.NewBorder(container.NewVBox(hv.levels, buttons), hv.info, nil, nil, hv.tree)
	return hv
}

// set shows session s's hierarchy with the metrics of its last derive,
// and updates the map's "Colour by" levels.
func (hv *hierarchyView) set(s *session) {
	hv.s = s
	hv.roots = planner.BuildHierarchy(s.scenario, s.metrics)
	hv.nodes = map[string]*planner.HierarchyNode{}
	hv.kids = map[string][]string{}
	var index func(parent string, ns []planner.HierarchyNode)
	index = func(parent string, ns []planner.HierarchyNode) {
		for i := range ns {
			n := &ns[i]
			uid := nodeUID(n.Kind, n.ID)
			hv.nodes[uid] = n
			hv.kids[parent] = append(hv.kids[parent], uid)
			index(uid, n.Children)
		}
	}
	index("", hv.roots)
	hv.levels.SetText("Levels: " + strings.Join(s.scenario.LevelNames(), " > "))
	hv.tree.Refresh()
	for uid, n := range hv.nodes {
		if n.Kind == planner.NodeRegion && !hv.known[uid] {
			hv.known[uid] = true
			hv.tree.OpenBranch(uid)
		}
	}
	if hv.nodes[hv.selected] == nil {
		hv.selected = ""
	}
	hv.m.refreshColorByLevels()
}

// rowText is a tree row: "name — level — accounts · potential ·
// population", rolled up for regions.
func (hv *hierarchyView) rowText(uid widget.TreeNodeID) string {
	n := hv.nodes[uid]
	if n == nil || hv.s == nil {
		return ""
	}
	return hierarchyRowText(n, hv.s.plan.PotentialName)
}

// hierarchyRowText formats a node's row, e.g. "Northeast — Region — 948
// accts · 172,084 Beds · 57,832,935 people".
func hierarchyRowText(n *planner.HierarchyNode, potentialName string) string {
	if potentialName == "" {
		potentialName = "potential"
	}
	pop := formatCount(n.Totals.Population) + " people"
	if n.Totals.Units > 0 && n.Totals.PopulationMissing == n.Totals.Units {
		pop = "no population data"
	}
	return fmt.Sprintf("%s — %s — %s accts · %s %s · %s", n.Name, n.LevelName,
		formatCount(float64(n.Totals.Accounts)), formatCount(n.Totals.Potential), potentialName, pop)
}

// hierarchyChange replaces the active scenario's regions and territory
// membership (territory ID → region ID, 0 for none) from the old ones to
// the new ones, in memory and with sqlite.SetRegionsEdit.
func hierarchyChange(label string, scenarioID int64, oldRegions []planner.Region, oldMem map[int64]int64, newRegions []planner.Region, newMem map[int64]int64) *change {
	set := func(s *session, regions []planner.Region, mem map[int64]int64) {
		s.scenario.Regions = append([]planner.Region(nil), regions...)
		for i := range s.scenario.Territories {
			t := &s.scenario.Territories[i]
			if r, ok := mem[t.ID]; ok {
				t.RegionID = r
			}
		}
	}
	return &change{
		label:  label,
		do:     func(s *session) { set(s, newRegions, newMem) },
		undo:   func(s *session) { set(s, oldRegions, oldMem) },
		write:  []sqlite.Edit{sqlite.SetRegionsEdit(scenarioID, newRegions, newMem)},
		revert: []sqlite.Edit{sqlite.SetRegionsEdit(scenarioID, oldRegions, oldMem)},
	}
}

// commitRegions commits a change of the hierarchy to regions and mem and
// shows it at once.
func (hv *hierarchyView) commitRegions(label string, regions []planner.Region, mem map[int64]int64) {
	s := hv.m.session
	old := append([]planner.Region(nil), s.scenario.Regions...)
	hv.m.commit(hierarchyChange(label, s.scenario.ID, old, s.scenario.Membership(), regions, mem), false)
	hv.set(s)
	hv.m.applyFills()
}

// selectedNode returns the selected row's node, or nil.
func (hv *hierarchyView) selectedNode() *planner.HierarchyNode { return hv.nodes[hv.selected] }

// parentFor returns the region a node dropped on (or created under) node
// n goes under: n itself for a region, n's region for a territory, the
// top (0) for nil.
func parentFor(n *planner.HierarchyNode) int64 {
	if n == nil {
		return 0
	}
	if n.Kind == planner.NodeRegion {
		return n.ID
	}
	return n.ParentID
}

// move moves node src under region parent as one undoable change; it
// returns the error of planner.MoveInHierarchy, and nil without a change
// when the node is already there.
func (hv *hierarchyView) move(src *planner.HierarchyNode, parent int64) error {
	s := hv.m.session
	if s == nil || src == nil {
		return nil
	}
	if src.ParentID == parent {
		return nil
	}
	regions, mem, err := planner.MoveInHierarchy(s.scenario, src.Kind, src.ID, parent)
	if err != nil {
		return err
	}
	hv.commitRegions(moveLabel(s, src.Name, parent), regions, mem)
	return nil
}

// moveLabel describes a move: "Move Pacific under West", "Move Pacific to
// the top".
func moveLabel(s *session, name string, parent int64) string {
	if g := s.scenario.Region(parent); g != nil {
		return "Move " + name + " under " + g.Name
	}
	return "Move " + name + " to the top"
}

// askNewRegion asks for a region's name and adds it under the selected
// region (or the selected territory's region), else at the top.
func (hv *hierarchyView) askNewRegion() {
	s := hv.m.session
	if s == nil {
		return
	}
	parent := parentFor(hv.selectedNode())
	entry := widget.NewEntry()
	entry.Validator = func(v string) error {
		_, _, err := planner.AddRegion(s.scenario, v, parent)
		return err
	}
	where := "at the top of the hierarchy"
	if g := s.scenario.Region(parent); g != nil {
		where = "under " + g.Name
	}
	hv.m.askValue("New region", "Name", entry, "The region is added "+where+"; drag territories onto it to fill it.", func(v string) error {
		if hv.m.session != s {
			return nil
		}
		return hv.addRegion(v, parent)
	})
}

// addRegion adds a region named name under parent (0: the top) as one
// undoable change.
func (hv *hierarchyView) addRegion(name string, parent int64) error {
	s := hv.m.session
	regions, g, err := planner.AddRegion(s.scenario, name, parent)
	if err != nil {
		return err
	}
	hv.commitRegions("New region "+g.Name, regions, s.scenario.Membership())
	return nil
}

// askRename renames the selected region, or the selected territory.
func (hv *hierarchyView) askRename() {
	s := hv.m.session
	n := hv.selectedNode()
	if s == nil || n == nil {
		hv.info.SetText("Select a region or territory first.")
		return
	}
	if n.Kind == planner.NodeTerritory {
		hv.m.askRenameTerritory(n.ID)
		return
	}
	id := n.ID
	entry := widget.NewEntry()
	entry.SetText(n.Name)
	entry.Validator = func(v string) error {
		_, err := planner.RenameRegion(s.scenario, id, v)
		return err
	}
	hv.m.askValue("Rename region", "Name", entry, "", func(v string) error {
		if hv.m.session != s {
			return nil
		}
		return hv.renameRegion(id, v)
	})
}

// renameRegion renames region id as one undoable change.
func (hv *hierarchyView) renameRegion(id int64, name string) error {
	s := hv.m.session
	g := s.scenario.Region(id)
	if g == nil {
		return nil
	}
	old := g.Name
	regions, err := planner.RenameRegion(s.scenario, id, name)
	if err != nil {
		return err
	}
	hv.commitRegions("Rename region "+old+" to "+strings.TrimSpace(name), regions, s.scenario.Membership())
	return nil
}

// deleteSelectedRegion deletes the selected region; its children move up
// to its parent. Undo brings it back.
func (hv *hierarchyView) deleteSelectedRegion() {
	n := hv.selectedNode()
	if hv.m.session == nil || n == nil || n.Kind != planner.NodeRegion {
		hv.info.SetText("Select a region first.")
		return
	}
	hv.deleteRegion(n.ID)
}

// deleteRegion deletes region id as one undoable change.
func (hv *hierarchyView) deleteRegion(id int64) {
	s := hv.m.session
	g := s.scenario.Region(id)
	if g == nil {
		return
	}
	name := g.Name
	regions, mem, err := planner.DeleteRegion(s.scenario, id)
	if err != nil {
		hv.m.showError(err)
		return
	}
	hv.selected = ""
	hv.commitRegions("Delete region "+name, regions, mem)
	hv.info.SetText("Deleted " + name + "; what it held moved up a level. Undo (Ctrl+Z) brings it back.")
}

// askMove asks for the selected node's new parent region.
func (hv *hierarchyView) askMove() {
	s := hv.m.session
	n := hv.selectedNode()
	if s == nil || n == nil {
		hv.info.SetText("Select a region or territory first.")
		return
	}
	src := *n
	const top = "(top of the hierarchy)"
	options := []string{top}
	for _, g := range s.scenario.Regions {
		if src.Kind == planner.NodeRegion && g.ID == src.ID {
			continue
		}
		options = append(options, strings.Repeat("   ", max(0, s.scenario.RegionDepth(g.ID)))+g.Name)
	}
	pick := widget.NewSelect(options, nil)
	pick.PlaceHolder = "New parent"
	d := dialog.NewCustomConfirm("Move "+src.Name, "Move", "Cancel", pick, func(ok bool) {
		if !ok || hv.m.session != s || pick.Selected == "" {
			return
		}
		var parent int64
		if pick.Selected != top {
			for _, g := range s.scenario.Regions {
				if g.Name == strings.TrimSpace(pick.Selected) {
					parent = g.ID
				}
			}
		}
		if err := hv.move(&src, parent); err != nil {
			hv.m.showError(err)
		}
	}, hv.m.win)
	d.Resize(fyne.NewSize(400, d.MinSize().Height))
	d.Show()
}

// askLevels asks for the hierarchy's level names, top first, separated by
// ">" (at most planner.MaxLevels).
func (hv *hierarchyView) askLevels() {
	s := hv.m.session
	if s == nil {
		return
	}
	entry := widget.NewEntry()
	entry.SetText(strings.Join(s.scenario.LevelNames(), " > "))
	entry.Validator = func(v string) error { _, err := checkLevelsText(s.scenario, v); return err }
	help := fmt.Sprintf("Name the levels from the top down, separated by >, the territories' level last (2 to %d levels).", planner.MaxLevels)
	hv.m.askValue("Hierarchy levels", "Levels", entry, help, func(v string) error {
		if hv.m.session != s {
			return nil
		}
		return hv.setLevels(v)
	})
}

// checkLevelsText parses "Region > Area > Territory" into level names and
// checks them against scenario sc (planner.CheckLevels).
func checkLevelsText(sc *planner.Scenario, v string) ([]string, error) {
	var levels []string
	for _, l := range strings.Split(v, ">") {
		levels = append(levels, strings.TrimSpace(l))
	}
	c := *sc
	c.Levels = levels
	if err := planner.CheckLevels(&c); err != nil {
		return nil, err
	}
	return levels, nil
}

// setLevels sets the level names from text as one undoable change.
func (hv *hierarchyView) setLevels(text string) error {
	s := hv.m.session
	levels, err := checkLevelsText(s.scenario, text)
	if err != nil {
		return err
	}
	old := append([]string(nil), s.scenario.Levels...)
	if slices.Equal(old, levels) {
		return nil
	}
	set := func(s *session, l []string) { s.scenario.Levels = append([]string(nil), l...) }
	id := s.scenario.ID
	hv.m.commit(&change{
		label:  "Set levels " + strings.Join(levels, " > "),
		do:     func(s *session) { set(s, levels) },
		undo:   func(s *session) { set(s, old) },
		write:  []sqlite.Edit{sqlite.SetLevelsEdit(id, levels)},
		revert: []sqlite.Edit{sqlite.SetLevelsEdit(id, old)},
	}, false)
	hv.set(s)
	return nil
}

// hierRow is one row of the hierarchy tree. It is fyne.Draggable (Fyne's
// Tree has no drag and drop): a drag tracks the pointer in canvas
// coordinates, names the move in the info line, and on release moves the
// dragged node under the region of the row under the pointer. Taps pass
// through to the tree, which selects the row.
type hierRow struct {
	widget.BaseWidget
	hv    *hierarchyView
	uid   widget.TreeNodeID
	label *widget.Label
}

// hierIndent is how far a tree row moves right per region above it (dp):
// Fyne's tree shifts leaves past the branches' icons but does not indent
// nested branches, so an area under a region would line up with it.
const hierIndent = 24

// CreateRenderer draws the row's label, indented by its depth.
func (r *hierRow) CreateRenderer() fyne.WidgetRenderer { return &hierRowRenderer{r: r} }

// hierRowRenderer lays out a hierarchy row: its label, indented by the
// number of regions above the node.
type hierRowRenderer struct{ r *hierRow }

func (h *hierRowRenderer) indent() float32 {
	if n := h.r.hv.nodes[h.r.uid]; n != nil {
		return float32(n.Depth) * hierIndent
	}
	return 0
}

func (h *hierRowRenderer) Layout(size fyne.Size) {
	x := h.indent()
	h.r.label.Move(fyne.NewPos(x, 0))
	h.r.label.Resize(fyne.NewSize(max(size.Width-x, 0), size.Height))
}

func (h *hierRowRenderer) MinSize() fyne.Size {
	m := h.r.label.MinSize()
	return fyne.NewSize(m.Width+h.indent(), m.Height)
}

func (h *hierRowRenderer) Refresh() {
	h.Layout(h.r.Size())
	h.r.label.Refresh()
}

func (h *hierRowRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{h.r.label} }
func (h *hierRowRenderer) Destroy()                     {}

// Dragged follows the pointer while the row is dragged.
func (r *hierRow) Dragged(e *fyne.DragEvent) { r.hv.dragged(r, e) }

// DragEnd drops the row on the row under the pointer.
func (r *hierRow) DragEnd() { r.hv.dragEnd() }

// absPos returns o's position on the canvas.
func absPos(o fyne.CanvasObject) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
}

// dragged updates the drag from an event of row r. The desktop driver
// gives the pointer's canvas position; test.Drag gives only the press
// position in r and the whole delta, from which it is computed.
func (hv *hierarchyView) dragged(r *hierRow, e *fyne.DragEvent) {
	first := hv.drag.uid == ""
	if first {
		hv.drag.uid = r.uid
	}
	switch {
	case !e.AbsolutePosition.IsZero():
		hv.drag.pointer = e.AbsolutePosition
	case first:
		hv.drag.pointer = absPos(r).Add(e.Position).Add(fyne.NewPos(e.Dragged.DX, e.Dragged.DY))
	default:
		hv.drag.pointer = hv.drag.pointer.Add(fyne.NewPos(e.Dragged.DX, e.Dragged.DY))
	}
	hv.drag.target = hv.rowAt(hv.drag.pointer)
	hv.info.SetText(hv.dragCue())
}

// dragCue says what dropping now would do.
func (hv *hierarchyView) dragCue() string {
	src, dst := hv.nodes[hv.drag.uid], hv.nodes[hv.drag.target]
	if src == nil || hv.s == nil {
		return ""
	}
	if dst == nil || dst == src {
		return "Drop " + src.Name + " on a region or territory row to move it there."
	}
	parent := parentFor(dst)
	if parent == src.ParentID {
		return src.Name + " is already there."
	}
	return moveLabel(hv.s, src.Name, parent)
}

// dragEnd moves the dragged node under the region of the row it was
// dropped on.
func (hv *hierarchyView) dragEnd() {
	src, dst := hv.nodes[hv.drag.uid], hv.nodes[hv.rowAt(hv.drag.pointer)]
	hv.drag.uid, hv.drag.target = "", ""
	if src == nil || dst == nil || dst == src {
		hv.info.SetText("Drag a row onto another to move it under that row's region.")
		return
	}
	moved := *src
	parent := parentFor(dst)
	if err := hv.move(&moved, parent); err != nil {
		hv.info.SetText(err.Error())
		hv.m.setStatus(err.Error())
		return
	}
	hv.info.SetText(moveLabel(hv.m.session, moved.Name, parent) + ". Undo (Ctrl+Z) moves it back.")
}

// rowAt returns the ID of the tree row shown at canvas position p, "" for
// none: the tree's rendered rows, by their canvas positions (rows the tree
// keeps for reuse are not on the canvas and not inside the tree's bounds).
func (hv *hierarchyView) rowAt(p fyne.Position) widget.TreeNodeID {
	tp, ts := absPos(hv.tree), hv.tree.Size()
	if !inside(p, tp, ts) {
		return ""
	}
	for r := range hv.rows {
		if r.uid == "" || !r.Visible() || hv.nodes[r.uid] == nil {
			continue
		}
		rp := absPos(r)
		if rp.IsZero() {
			continue
		}
		if inside(p, rp, r.Size()) {
			return r.uid
		}
	}
	return ""
}

// inside reports whether p lies in the rectangle at pos of size sz.
func inside(p, pos fyne.Position, sz fyne.Size) bool {
	return p.X >= pos.X && p.Y >= pos.Y && p.X < pos.X+sz.Width && p.Y < pos.Y+sz.Height
}

// colorByChoice maps the "Colour by" select's index to a colour mode: the
// fixed modes (colorByNames), then one per level above the territories
// (byLevel + level index).
func colorByChoice(i int) colorBy {
	if i >= len(colorByNames) {
		return byLevel + colorBy(i-len(colorByNames))
	}
	return colorBy(max(0, i))
}

// refreshColorByLevels puts one "Colour by" entry per level above the
// territories (e.g. "Region", "Area") after the fixed ones, keeping the
// choice when it still exists.
func (m *Meridian) refreshColorByLevels() {
	s, e := m.session, m.ed
	if s == nil {
		return
	}
	names := s.scenario.LevelNames()
	opts := append([]string(nil), colorByNames...)
	for _, l := range names[:len(names)-1] {
		if slices.Contains(opts, l) {
			l += " (level)"
		}
		opts = append(opts, l)
	}
	if slices.Equal(opts, e.colorBy.Options) {
		return
	}
	i := e.colorBy.SelectedIndex()
	if i >= len(opts) {
		i = 0
	}
	e.ignore = true
	e.colorBy.SetOptions(opts)
	e.colorBy.SetSelectedIndex(max(0, i))
	e.ignore = false
}

// levelFills colours each unit by its territory's region at hierarchy
// level (0 = the top): a palette colour (planner.TerritoryPalette) per
// region of that level, in the scenario's region order, so a region keeps
// its colour while others are added after it; units in no territory, or
// whose territory has no region at that level, are white-space grey. The
// legend lists the regions with their rolled-up accounts, potential and
// population.
func (s *session) levelFills(level int, snap *planner.Scenario, m planner.Metrics) ([]color.NRGBA, []legendEntry) {
	pal := planner.TerritoryPalette()
	tree := planner.BuildHierarchy(snap, m)
	colorOf := map[int64]color.NRGBA{}
	var legend []legendEntry
	potential := s.plan.PotentialName
	if potential == "" {
		potential = "potential"
	}
	for _, g := range snap.Regions {
		if snap.RegionDepth(g.ID) != level {
			continue
		}
		c := parseHexColor(pal[len(colorOf)%len(pal)], whiteSpaceColor)
		colorOf[g.ID] = c
		detail := ""
		if n := planner.FindNode(tree, planner.NodeRegion, g.ID); n != nil {
			detail = fmt.Sprintf("%s accts · %s %s · %s people", formatCount(float64(n.Totals.Accounts)), formatCount(n.Totals.Potential), potential, formatCount(n.Totals.Population))
		}
		legend = append(legend, legendEntry{c, ellipsis(g.Name, legendNameMax), detail})
	}
	rowColor := make([]color.NRGBA, len(snap.Territories))
	for i, t := range snap.Territories {
		rowColor[i] = whiteSpaceColor
		if c, ok := colorOf[snap.RegionAncestor(t.ID, level)]; ok {
			rowColor[i] = c
		}
	}
	out := make([]color.NRGBA, len(s.plan.Units))
	grey := 0
	for i := range out {
		out[i] = whiteSpaceColor
		if r := s.territoryOf[i]; r >= 0 && r < len(rowColor) {
			out[i] = rowColor[r]
		}
		if out[i] == whiteSpaceColor {
			grey++
		}
	}
	legend = append(legend, legendEntry{whiteSpaceColor, "None / white space", fmt.Sprintf("%s units", formatCount(float64(grey)))})
	return out, legend
}
