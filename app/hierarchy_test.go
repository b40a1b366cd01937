package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/meridianplan/meridian/planner"
)

// showHierarchyTab selects the Hierarchy tab so that the tree lays out
// its rows, and returns the view.
func showHierarchyTab(t *testing.T, m *Meridian) *hierarchyView {
	t.Helper()
	m.tasks.Wait() // the first derive: the test driver runs its fyne.Do on its goroutine
	m.showTab("Hierarchy")
	m.win.Resize(fyne.NewSize(1440, 900))
	hv := m.hv
	hv.tree.Refresh()
	if !hv.tree.Visible() {
		t.Fatal("the Hierarchy tab is not shown")
	}
	return hv
}

// rowOf returns the rendered tree row of node uid.
func rowOf(t *testing.T, hv *hierarchyView, uid string) *hierRow {
	t.Helper()
	for r := range hv.rows {
		if r.uid == uid && r.Visible() && !absPos(r).IsZero() {
			return r
		}
	}
	t.Fatalf("no rendered row for %s", uid)
	return nil
}

// The tree shows the sample's 4 regions over its 9 territories; West's
// row shows its roll-up, equal to the sums over Mountain and Pacific
// computed here from the territory table.
func TestHierarchyTreeRollUpText(t *testing.T) {
	m, _ := editingMeridian(t)
	hv := showHierarchyTab(t, m)
	s := m.session
	if got := len(hv.kids[""]); got != 4 {
		t.Fatalf("%d top rows, want 4 regions", got)
	}
	if got := hv.levels.Text; got != "Levels: Region > Area > Territory" {
		t.Errorf("levels line %q", got)
	}
	west := s.scenario.Region(4)
	if west == nil || west.Name != "West" {
		t.Fatalf("region 4: %+v", west)
	}
	var accounts int
	var beds, pop float64
	var names []string
	for _, row := range m.table.rows {
		if row.Territory.RegionID == 4 {
			accounts += row.Accounts
			beds += row.Potential
			pop += row.Population
			names = append(names, row.Territory.Name)
		}
	}
	if strings.Join(names, ",") != "Mountain,Pacific" {
		t.Fatalf("West's territories %v", names)
	}
	want := "West — Region — " + formatCount(float64(accounts)) + " accts · " + formatCount(beds) + " Beds · " + formatCount(pop) + " people"
	if got := hv.rowText("r4"); got != want {
		t.Errorf("West's row %q, want %q", got, want)
	}
	if got := rowOf(t, hv, "r4").label.Text; got != want {
		t.Errorf("rendered West row %q, want %q", got, want)
	}
	if got := hv.rowText(nodeUID(planner.NodeTerritory, territoryID(t, s, "Pacific"))); !strings.HasPrefix(got, "Pacific — Territory — ") {
		t.Errorf("Pacific's row %q", got)
	}
	t.Logf("%s", want)
}

// Dragging the Pacific row onto the South row moves Pacific under South:
// in memory, in the plan file, and in the tree; undo moves it back.
func TestHierarchyDragTerritory(t *testing.T) {
	m, derived := editingMeridian(t)
	hv := showHierarchyTab(t, m)
	s := m.session
	pacific := territoryID(t, s, "Pacific")
	from, to := rowOf(t, hv, nodeUID(planner.NodeTerritory, pacific)), rowOf(t, hv, "r3")
	start := absPos(from).Add(fyne.NewPos(20, from.Size().Height/2))
	end := absPos(to).Add(fyne.NewPos(20, to.Size().Height/2))
	test.Drag(m.win.Canvas(), start, end.X-start.X, end.Y-start.Y)
	if got := s.territory(pacific).RegionID; got != 3 {
		t.Fatalf("after the drag Pacific is in region %d, want South (3); info %q", got, hv.info.Text)
	}
	if !strings.HasPrefix(m.undoItem.Label, "Undo Move Pacific under South") {
		t.Errorf("undo item %q", m.undoItem.Label)
	}
	if got := hv.nodes["r3"].Territories; got != 4 {
		t.Errorf("South has %d territories in the tree, want 4", got)
	}
	m.session.writer.flush()
	if got := loadPlan(t, s.db.Path).Active().Territory(pacific).RegionID; got != 3 {
		t.Errorf("plan file: Pacific in region %d, want 3", got)
	}
	waitDerived(t, derived)
	m.undo()
	if got := s.territory(pacific).RegionID; got != 4 {
		t.Errorf("after undo Pacific is in region %d, want West (4)", got)
	}
	m.session.writer.flush()
	if got := loadPlan(t, s.db.Path).Active().Territory(pacific).RegionID; got != 4 {
		t.Errorf("plan file after undo: Pacific in region %d, want 4", got)
	}
	waitDerived(t, derived)
	if got := hv.nodes["r4"].Territories; got != 2 {
		t.Errorf("West has %d territories after undo, want 2", got)
	}

	// The cue while dragging names the move, and a drop on the row itself
	// changes nothing.
	from = rowOf(t, hv, nodeUID(planner.NodeTerritory, pacific))
	to = rowOf(t, hv, "r1")
	hv.dragged(from, &fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: absPos(to).Add(fyne.NewPos(5, 5))}})
	if hv.info.Text != "Move Pacific under Northeast" {
		t.Errorf("cue %q", hv.info.Text)
	}
	hv.dragged(from, &fyne.DragEvent{PointEvent: fyne.PointEvent{AbsolutePosition: absPos(from).Add(fyne.NewPos(5, 5))}})
	hv.dragEnd()
	if got := s.territory(pacific).RegionID; got != 4 {
		t.Errorf("a drop on itself moved Pacific to %d", got)
	}
}

// New region, move, levels and colour by level: an "Coast" area under
// West takes Pacific; colouring by Area paints Pacific's counties and
// leaves the others grey; the levels cannot shrink below the nesting;
// deleting the area puts Pacific back under West.
func TestHierarchyEditsAndColorByLevel(t *testing.T) {
	m, derived := editingMeridian(t)
	hv := showHierarchyTab(t, m)
	s := m.session
	pacific := territoryID(t, s, "Pacific")
	if err := hv.addRegion("Coast", 4); err != nil {
		t.Fatal(err)
	}
	settle(m, derived) // the test driver runs fyne.Do on the derive's goroutine
	coast := s.scenario.Regions[len(s.scenario.Regions)-1]
	if coast.Name != "Coast" || coast.ParentID != 4 || coast.ID != 5 {
		t.Fatalf("new region %+v", coast)
	}
	src := *hv.nodes[nodeUID(planner.NodeTerritory, pacific)]
	if err := hv.move(&src, coast.ID); err != nil {
		t.Fatal(err)
	}
	if s.territory(pacific).RegionID != coast.ID || s.scenario.RegionAncestor(pacific, 0) != 4 || s.scenario.RegionAncestor(pacific, 1) != coast.ID {
		t.Fatalf("Pacific after the move: %+v", s.territory(pacific))
	}
	waitDerived(t, derived)
	// The "Colour by" select gained Region and Area.
	opts := m.ed.colorBy.Options
	if n := len(opts); n != len(colorByNames)+2 || opts[n-2] != "Region" || opts[n-1] != "Area" {
		t.Fatalf("Colour by options %v", opts)
	}
	m.ed.colorBy.SetSelected("Area")
	o := m.ed.options()
	if o.colorBy != byLevel+1 || o.level != "Area" {
		t.Fatalf("options %+v", o)
	}
	fills, legend := s.fills(o, s.scenario, s.metrics)
	coloured, grey := 0, 0
	pacificUnits := 0
	for i, c := range fills {
		inPacific := s.scenario.Alignment[s.plan.Units[i].Code] == pacific
		if inPacific {
			pacificUnits++
		}
		switch {
		case c == whiteSpaceColor:
			grey++
			if inPacific {
				t.Fatalf("Pacific unit %d is grey", i)
			}
		default:
			coloured++
			if !inPacific {
				t.Fatalf("unit %d outside Pacific is coloured", i)
			}
		}
	}
	if coloured != pacificUnits || grey != len(fills)-pacificUnits || len(legend) != 2 || !strings.HasPrefix(legend[0].label, "Coast") {
		t.Errorf("area fills: %d coloured (Pacific %d), %d grey, legend %+v", coloured, pacificUnits, grey, legend)
	}
	if got := legendTitle(o, "Beds"); got != "By Area" {
		t.Errorf("legend title %q", got)
	}
	// By Region: four colours, one per region, and the legend lists them.
	m.ed.colorBy.SetSelected("Region")
	fills, legend = s.fills(m.ed.options(), s.scenario, s.metrics)
	if len(legend) != 5 || legend[3].label != "West" {
		t.Errorf("region legend %+v", legend)
	}
	mountain := territoryID(t, s, "Mountain")
	var west, other = -1, -1
	for i, u := range s.plan.Units {
		switch s.scenario.Alignment[u.Code] {
		case pacific, mountain:
			if west >= 0 && fills[i] != fills[west] {
				t.Fatalf("two colours in West")
			}
			west = i
		case territoryID(t, s, "New England"):
			other = i
		}
	}
	if west < 0 || other < 0 || fills[west] == fills[other] || fills[west] == whiteSpaceColor {
		t.Errorf("West %v, New England %v", fills[west], fills[other])
	}

	// Levels: two levels cannot hold an area.
	if err := hv.setLevels("Region > Territory"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("two levels with an area: %v", err)
	}
	if err := hv.setLevels("Division > District > Territory"); err != nil {
		t.Fatal(err)
	}
	settle(m, derived)
	if hv.levels.Text != "Levels: Division > District > Territory" {
		t.Errorf("levels %q", hv.levels.Text)
	}
	// Three levels: Coast (an area) cannot take a sub-area.
	if err := hv.addRegion("Bay", coast.ID); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("a fourth level: %v", err)
	}
	// Deleting Coast puts Pacific back under West.
	hv.deleteRegion(coast.ID)
	settle(m, derived)
	if s.territory(pacific).RegionID != 4 || s.scenario.Region(coast.ID) != nil {
		t.Errorf("after deleting Coast: Pacific in %d", s.territory(pacific).RegionID)
	}
	m.session.writer.flush()
	p := loadPlan(t, s.db.Path).Active()
	if p.Territory(pacific).RegionID != 4 || len(p.Regions) != 4 || strings.Join(p.Levels, ">") != "Division>District>Territory" {
		t.Errorf("plan file: Pacific in %d, %d regions, levels %v", p.Territory(pacific).RegionID, len(p.Regions), p.Levels)
	}
	// Undo three times: Coast is back, the levels are the defaults again.
	m.undo()
	settle(m, derived)
	m.undo()
	settle(m, derived)
	if s.territory(pacific).RegionID != coast.ID || len(s.scenario.Levels) != 0 {
		t.Errorf("after undo: Pacific in %d, levels %v", s.territory(pacific).RegionID, s.scenario.Levels)
	}
	m.session.writer.flush()
	p = loadPlan(t, s.db.Path).Active()
	if p.Territory(pacific).RegionID != coast.ID || len(p.Levels) != 0 {
		t.Errorf("plan file after undo: Pacific in %d, levels %v", p.Territory(pacific).RegionID, p.Levels)
	}
}

func TestColorByChoice(t *testing.T) {
	n := len(colorByNames)
	for i, want := range map[int]colorBy{-1: byTerritory, 0: byTerritory, 4: byDeviation, n: byLevel, n + 2: byLevel + 2} {
		if got := colorByChoice(i); got != want {
			t.Errorf("colorByChoice(%d) = %d, want %d", i, got, want)
		}
	}
}

// Rows are indented by the regions above them: an area under West sits
// one step right of West, and a territory under the area one more step
// right of a territory directly under a region.
func TestHierarchyRowIndent(t *testing.T) {
	m, derived := editingMeridian(t)
	hv := showHierarchyTab(t, m)
	if err := hv.addRegion("Coast", 4); err != nil {
		t.Fatal(err)
	}
	settle(m, derived)
	s := m.session
	coast := s.scenario.Regions[len(s.scenario.Regions)-1].ID
	pacific := territoryID(t, s, "Pacific")
	src := *hv.nodes[nodeUID(planner.NodeTerritory, pacific)]
	if err := hv.move(&src, coast); err != nil {
		t.Fatal(err)
	}
	settle(m, derived)
	hv.tree.Refresh()
	x := map[string]float32{}
	for r := range hv.rows {
		if r.uid != "" {
			x[r.uid] = r.label.Position().X
		}
	}
	west, area := x[nodeUID(planner.NodeRegion, 4)], x[nodeUID(planner.NodeRegion, coast)]
	under := x[nodeUID(planner.NodeTerritory, pacific)]
	direct := x[nodeUID(planner.NodeTerritory, territoryID(t, s, "Mountain"))]
	if area-west != hierIndent || under-direct != hierIndent || west != 0 {
		t.Errorf("indents: West %v, Coast %v, Mountain %v, Pacific %v", west, area, direct, under)
	}
}
