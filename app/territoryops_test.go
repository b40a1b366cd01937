package app

import (
	"math"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// countUnits returns how many units of the alignment a are in territory id.
func countUnits(a map[string]int64, id int64) int {
	n := 0
	for _, tid := range a {
		if tid == id {
			n++
		}
	}
	return n
}

// metricsOf returns territory id's row of the last derive.
func metricsOf(t *testing.T, m *Meridian, id int64) planner.TerritoryMetrics {
	t.Helper()
	for _, tm := range m.session.metrics.Territories {
		if tm.Territory.ID == id {
			return tm
		}
	}
	t.Fatalf("no metrics for territory %d", id)
	return planner.TerritoryMetrics{}
}

func TestRenameTerritory(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	pacific := territoryID(t, s, "Pacific")
	if err := m.renameTerritory(pacific, "  Pacific Coast "); err != nil {
		t.Fatal(err)
	}
	if got := s.territory(pacific).Name; got != "Pacific Coast" {
		t.Fatalf("name %q", got)
	}
	if err := m.renameTerritory(pacific, "mountain"); err == nil {
		t.Error("renamed to another territory's name")
	}
	if err := m.renameTerritory(pacific, "PACIFIC COAST"); err != nil { // its own name in another case
		t.Error(err)
	}
	waitDerived(t, derived)
	s.writer.flush()
	if got := loadPlan(t, s.db.Path).Active().Territory(pacific).Name; got != "PACIFIC COAST" {
		t.Errorf("plan file: %q", got)
	}
	m.undo()
	m.undo()
	s.writer.flush()
	if s.territory(pacific).Name != "Pacific" || loadPlan(t, s.db.Path).Active().Territory(pacific).Name != "Pacific" {
		t.Errorf("after undo: %q", s.territory(pacific).Name)
	}
	m.recolorTerritory(pacific, "#123456")
	s.writer.flush()
	if s.territory(pacific).Color != "#123456" || loadPlan(t, s.db.Path).Active().Territory(pacific).Color != "#123456" {
		t.Errorf("recolour: %q", s.territory(pacific).Color)
	}
	if hexColor(parseHexColor("#A0B1C2", whiteSpaceColor)) != "#A0B1C2" {
		t.Error("hexColor does not round-trip")
	}
}

// nameAccount names account aid to territory tid as a test edit.
func nameAccount(m *Meridian, aid, tid int64) {
	s := m.session
	old := s.scenario.NamedAccounts[aid]
	m.commit(&change{
		label:  "Name account",
		do:     func(s *session) { s.setNamed(map[int64]int64{aid: tid}) },
		undo:   func(s *session) { s.setNamed(map[int64]int64{aid: old}) },
		write:  []sqlite.Edit{sqlite.SetNamedAccountsEdit(s.scenario.ID, map[int64]int64{aid: tid})},
		revert: []sqlite.Edit{sqlite.SetNamedAccountsEdit(s.scenario.ID, map[int64]int64{aid: old})},
	}, false)
}

// Deleting New England (with a Middle Atlantic hospital named to it)
// makes its 67 counties white space and sends the hospital back to
// Middle Atlantic; undo restores the territory, its units, region, reps,
// and the named account, in memory and in the file.
func TestDeleteTerritoryUndo(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	ne, ma := territoryID(t, s, "New England"), territoryID(t, s, "Middle Atlantic")
	owner := s.scenario.AccountTerritories(s.plan)
	var aid int64
	for i, o := range owner {
		if o == ma {
			aid = s.plan.Accounts[i].ID
			break
		}
	}
	nameAccount(m, aid, ne)
	waitDerived(t, derived)
	before := *s.territory(ne)
	units := countUnits(s.scenario.Alignment, ne)
	if units != 67 {
		t.Fatalf("New England has %d counties, want 67", units)
	}
	white := s.metrics.WhiteSpace.Units
	accounts := metricsOf(t, m, ne).Accounts
	maAccounts := metricsOf(t, m, ma).Accounts

	m.deleteTerritory(ne)
	if s.territory(ne) != nil || countUnits(s.scenario.Alignment, ne) != 0 || s.scenario.NamedAccounts[aid] != 0 {
		t.Fatalf("after delete: territory %v, %d units, named %d", s.territory(ne), countUnits(s.scenario.Alignment, ne), s.scenario.NamedAccounts[aid])
	}
	waitDerived(t, derived)
	if got := s.metrics.WhiteSpace.Units; got != white+67 {
		t.Errorf("white space %d units, want %d", got, white+67)
	}
	if got := metricsOf(t, m, ma).Accounts; got != maAccounts+1 {
		t.Errorf("Middle Atlantic %d accounts, want %d (the named one back)", got, maAccounts+1)
	}
	if len(m.table.rows) != 8 {
		t.Errorf("%d table rows, want 8", len(m.table.rows))
	}
	s.writer.flush()
	p := loadPlan(t, s.db.Path).Active()
	if p.Territory(ne) != nil || countUnits(p.Alignment, ne) != 0 || p.NamedAccounts[aid] != 0 {
		t.Errorf("plan file after delete still has New England")
	}

	m.undo()
	waitDerived(t, derived)
	after := s.territory(ne)
	if after == nil || after.RegionID != before.RegionID || after.Color != before.Color || countUnits(s.scenario.Alignment, ne) != 67 || s.scenario.NamedAccounts[aid] != ne {
		t.Fatalf("after undo: %+v", after)
	}
	if got := metricsOf(t, m, ne).Accounts; got != accounts {
		t.Errorf("New England %d accounts after undo, want %d", got, accounts)
	}
	s.writer.flush()
	p = loadPlan(t, s.db.Path).Active()
	if tr := p.Territory(ne); tr == nil || tr.RegionID != 1 || countUnits(p.Alignment, ne) != 67 || p.NamedAccounts[aid] != ne {
		t.Errorf("plan file after undo: %+v, %d units, named %d", tr, countUnits(p.Alignment, ne), p.NamedAccounts[aid])
	}
}

// Merging Middle Atlantic into New England gives New England both
// territories' counties and accounts; one undo restores both.
func TestMergeTerritoriesUndo(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	ne, ma := territoryID(t, s, "New England"), territoryID(t, s, "Middle Atlantic")
	u1, u2 := countUnits(s.scenario.Alignment, ne), countUnits(s.scenario.Alignment, ma)
	a1, a2 := metricsOf(t, m, ne).Accounts, metricsOf(t, m, ma).Accounts
	p1, p2 := metricsOf(t, m, ne).Potential, metricsOf(t, m, ma).Potential
	m.mergeTerritories(ne, ma)
	waitDerived(t, derived)
	if s.territory(ma) != nil || countUnits(s.scenario.Alignment, ne) != u1+u2 {
		t.Fatalf("after merge: Middle Atlantic %v, New England %d units, want %d", s.territory(ma), countUnits(s.scenario.Alignment, ne), u1+u2)
	}
	got := metricsOf(t, m, ne)
	if got.Accounts != a1+a2 || math.Abs(got.Potential-(p1+p2)) > 1e-9 {
		t.Errorf("merged New England: %d accounts, %v beds; want %d, %v", got.Accounts, got.Potential, a1+a2, p1+p2)
	}
	s.writer.flush()
	p := loadPlan(t, s.db.Path).Active()
	if p.Territory(ma) != nil || countUnits(p.Alignment, ne) != u1+u2 {
		t.Errorf("plan file after merge")
	}
	if !strings.HasPrefix(m.undoItem.Label, "Undo Merge Middle Atlantic into New England") {
		t.Errorf("undo item %q", m.undoItem.Label)
	}
	m.undo()
	waitDerived(t, derived)
	if s.territory(ma) == nil || countUnits(s.scenario.Alignment, ne) != u1 || countUnits(s.scenario.Alignment, ma) != u2 {
		t.Fatalf("after undo: %d and %d units", countUnits(s.scenario.Alignment, ne), countUnits(s.scenario.Alignment, ma))
	}
	if metricsOf(t, m, ma).Accounts != a2 || metricsOf(t, m, ne).Accounts != a1 {
		t.Errorf("accounts after undo")
	}
	s.writer.flush()
	p = loadPlan(t, s.db.Path).Active()
	if p.Territory(ma) == nil || p.Territory(ma).RegionID != 1 || countUnits(p.Alignment, ma) != u2 || countUnits(p.Alignment, ne) != u1 {
		t.Errorf("plan file after undo")
	}
}

// Splitting Maine's 16 counties out of New England by picking them makes
// a new territory in the Northeast; undo removes it.
func TestSplitBySelection(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	ne := territoryID(t, s, "New England")
	var maine, all []int
	for i, u := range s.plan.Units {
		all = append(all, i)
		if u.ParentCode == "23" {
			maine = append(maine, i)
		}
	}
	// Units of other territories in the selection are left out.
	sel := unitsOf(s, ne, all)
	if len(sel) != 67 {
		t.Fatalf("%d New England units", len(sel))
	}
	picked := unitsOf(s, ne, maine)
	if len(picked) != 16 {
		t.Fatalf("%d Maine counties, want 16", len(picked))
	}
	if got := defaultSplitName(s, "New England"); got != "New England 2" {
		t.Errorf("default name %q", got)
	}
	m.splitTerritory(ne, "Maine", picked)
	nt := s.scenario.TerritoryByName("Maine")
	if nt == nil || nt.RegionID != 1 || countUnits(s.scenario.Alignment, nt.ID) != 16 || countUnits(s.scenario.Alignment, ne) != 51 {
		t.Fatalf("after split: %+v, New England %d", nt, countUnits(s.scenario.Alignment, ne))
	}
	if m.ed.activeID != nt.ID {
		t.Error("the new territory is not active")
	}
	waitDerived(t, derived)
	s.writer.flush()
	p := loadPlan(t, s.db.Path).Active()
	if tr := p.TerritoryByName("Maine"); tr == nil || tr.RegionID != 1 || countUnits(p.Alignment, tr.ID) != 16 {
		t.Errorf("plan file: %+v", tr)
	}
	m.undo()
	if s.scenario.TerritoryByName("Maine") != nil || countUnits(s.scenario.Alignment, ne) != 67 {
		t.Errorf("after undo")
	}
}

// A line drawn north through New England at plane x = c splits its
// counties by the x of their interior points: the ones west of it (left
// of a northward line) form the new territory. The count equals an
// independent count of interior points with x < c.
func TestSplitByLine(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	ne := territoryID(t, s, "New England")
	var xs []float64
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, i := range unitsOf(s, ne, nil) {
		xs = append(xs, s.interior[i][0])
		b = b.Extend(s.interior[i])
	}
	sort.Float64s(xs)
	// c: the middle of the widest gap between interior x values near the
	// median, so no point lies close to the line.
	k, gap := 0, 0.0
	for j := len(xs) / 3; j < 2*len(xs)/3; j++ {
		if d := xs[j+1] - xs[j]; d > gap {
			k, gap = j, d
		}
	}
	c := (xs[k] + xs[k+1]) / 2
	west := 0
	for _, x := range xs {
		if x < c {
			west++
		}
	}
	if west != k+1 || west == 0 || west == len(xs) {
		t.Fatalf("independent count %d (k %d) of %d", west, k, len(xs))
	}
	// A line drawn northward (two clicks, the second repeated by the
	// double click): the counties west of it are on its left.
	north := []orb.Point{{c, b.Min[1] - 1}, {c, b.Max[1] + 1}, {c, b.Max[1] + 1}}
	left, right, err := splitUnits(s, ne, north)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != west || len(right) != len(xs)-west {
		t.Fatalf("split %d | %d, want %d | %d", len(left), len(right), west, len(xs)-west)
	}
	for _, i := range left {
		if s.interior[i][0] >= c {
			t.Fatalf("unit %d (x %v) is east of the line", i, s.interior[i][0])
		}
	}
	t.Logf("line at x = %.4f: %d counties west, %d east", c, len(left), len(right))
	// The same line drawn southward has the east side on its left.
	south := []orb.Point{{c, b.Max[1] + 1}, {c, b.Min[1] - 1}}
	if l2, _, err := splitUnits(s, ne, south); err != nil || len(l2) != len(xs)-west {
		t.Errorf("southward: %d left (%v), want %d", len(l2), err, len(xs)-west)
	}
	// A line east of the territory leaves everything on one side; a
	// single point is no line.
	far := []orb.Point{{b.Max[0] + 5, b.Min[1]}, {b.Max[0] + 5, b.Max[1]}}
	if _, _, err := splitUnits(s, ne, []orb.Point{{c, 0}, {c, 0}}); err == nil {
		t.Error("a one-point line was accepted")
	}
	if _, _, err := splitUnits(s, ne, far); err == nil || !strings.Contains(err.Error(), "one side") {
		t.Errorf("line beside the territory: %v", err)
	}

	// Through the Draw tool's callback in split mode: the name is asked.
	m.ed.activeID = ne
	m.startSplitByLine()
	if m.ed.splitID != ne {
		t.Fatal("split mode not set")
	}
	if m.mapView.OnLine == nil {
		t.Fatal("the map is not in line mode")
	}
	m.mapView.OnLine(north)
	if m.ed.splitID != 0 || m.mapView.OnLine != nil || m.win.Canvas().Overlays().Top() == nil {
		t.Errorf("split mode %d, dialog %v", m.ed.splitID, m.win.Canvas().Overlays().Top())
	}
	m.win.Canvas().Overlays().Top().Hide()
	m.splitTerritory(ne, "New England 2", left)
	nt := s.scenario.TerritoryByName("New England 2")
	if nt == nil || countUnits(s.scenario.Alignment, nt.ID) != west || countUnits(s.scenario.Alignment, ne) != len(xs)-west {
		t.Fatalf("after the split: %+v", nt)
	}
	waitDerived(t, derived)
	s.writer.flush()
	if got := countUnits(loadPlan(t, s.db.Path).Active().Alignment, nt.ID); got != west {
		t.Errorf("plan file: %d units in the new territory", got)
	}
	m.undo()
	if s.scenario.TerritoryByName("New England 2") != nil || countUnits(s.scenario.Alignment, ne) != len(xs) {
		t.Error("undo did not restore New England")
	}
}

// leftOfLine on an L-shaped line (east, then north: a left turn) and a
// line turning right.
func TestLeftOfLine(t *testing.T) {
	l := []orb.Point{{0, 0}, {10, 0}, {10, 10}}
	pts := []orb.Point{{5, 1}, {5, -1}, {9, 5}, {11, 5}, {11, -1}, {12, -3}, {9, 1}, {5, 0}}
	want := []bool{true, false, true, false, false, false, true, false}
	if got := leftOfLine(l, pts); !slices.Equal(got, want) {
		t.Errorf("left turn: %v, want %v", got, want)
	}
	r := []orb.Point{{0, 0}, {10, 0}, {10, -10}} // east, then south
	pts = []orb.Point{{11, 1}, {12, 0.5}, {9, -1}, {11, -5}, {9, -5}}
	want = []bool{true, true, false, true, false}
	if got := leftOfLine(r, pts); !slices.Equal(got, want) {
		t.Errorf("right turn: %v, want %v", got, want)
	}
	if got := distinctPoints([]orb.Point{{0, 0}, {1, 0.1}, {1, 0.1}, {2, 0}}); !slices.Equal(got, []orb.Point{{0, 0}, {1, 0.1}, {2, 0}}) {
		t.Errorf("distinctPoints: %v", got)
	}
	if got := extendLine([]orb.Point{{0, 0}, {1, 0}}, 5); !slices.Equal(got, []orb.Point{{-5, 0}, {6, 0}}) {
		t.Errorf("extendLine: %v", got)
	}
}
