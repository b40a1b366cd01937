package planner_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
)

// TestSampleRegionRollUpEqualsSum: on the sample, each Census region's
// roll-up equals the sum over its territories computed here independently
// from the plan (units by alignment, accounts by owner, populations and
// potentials added up), and the hierarchy covers every territory once.
func TestSampleRegionRollUpEqualsSum(t *testing.T) {
	p, err := sample.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	m := planner.ComputeMetrics(p, s)
	tree := planner.BuildHierarchy(s, m)
	if len(tree) != 4 {
		t.Fatalf("%d top nodes, want the 4 Census regions", len(tree))
	}
	owner := s.AccountTerritories(p)
	type sums struct {
		units, accounts    int
		population, beds   float64
		popMissing, bedsNA int
	}
	want := map[int64]*sums{} // region ID -> independent sums
	for _, g := range s.Regions {
		want[g.ID] = &sums{}
	}
	regionOf := map[int64]int64{}
	for _, tr := range s.Territories {
		regionOf[tr.ID] = tr.RegionID
	}
	for _, u := range p.Units {
		if tid, ok := s.Alignment[u.Code]; ok {
			w := want[regionOf[tid]]
			w.units++
			if u.Population.Known {
				w.population += u.Population.Value
			} else {
				w.popMissing++
			}
		}
	}
	for i, a := range p.Accounts {
		if tid := owner[i]; tid != 0 {
			w := want[regionOf[tid]]
			w.accounts++
			if a.Potential.Known {
				w.beds += a.Potential.Value
			} else {
				w.bedsNA++
			}
		}
	}
	totalTerritories := 0
	for _, n := range tree {
		w := want[n.ID]
		if n.Kind != planner.NodeRegion || n.LevelName != "Region" || n.Depth != 0 || w == nil {
			t.Fatalf("top node %+v", n)
		}
		got := n.Totals
		if got.Units != w.units || got.Accounts != w.accounts || got.PopulationMissing != w.popMissing || got.PotentialMissing != w.bedsNA ||
			math.Abs(got.Population-w.population) > 1e-6 || math.Abs(got.Potential-w.beds) > 1e-6 {
			t.Errorf("%s: roll-up %+v, independent sums %+v", n.Name, got, *w)
		}
		if w.units == 0 || w.accounts == 0 || w.beds == 0 {
			t.Errorf("%s: empty sums %+v", n.Name, *w)
		}
		for _, c := range n.Children {
			if c.Kind != planner.NodeTerritory || c.LevelName != "Territory" || c.Depth != 1 || c.ParentID != n.ID {
				t.Errorf("child %+v of %s", c, n.Name)
			}
		}
		totalTerritories += n.Territories
		t.Logf("%s: %d territories, %d units, %d accounts, population %.0f, beds %.0f", n.Name, n.Territories, got.Units, got.Accounts, got.Population, got.Potential)
	}
	if totalTerritories != 9 {
		t.Errorf("%d territories under the regions, want 9", totalTerritories)
	}
	// Northeast = New England + Middle Atlantic (divisions 1, 2).
	ne := planner.FindNode(tree, planner.NodeRegion, 1)
	if ne == nil || ne.Name != "Northeast" || len(ne.Children) != 2 || ne.Children[0].Name != "New England" || ne.Children[1].Name != "Middle Atlantic" {
		t.Fatalf("Northeast: %+v", ne)
	}
	// The regions and the white space add up to the plan.
	var units, accounts int
	for _, n := range tree {
		units += n.Totals.Units
		accounts += n.Totals.Accounts
	}
	if units+m.WhiteSpace.Units != len(p.Units) || accounts+m.WhiteSpace.Accounts != len(p.Accounts) {
		t.Errorf("regions %d units %d accounts + white space %d/%d != plan %d/%d", units, accounts, m.WhiteSpace.Units, m.WhiteSpace.Accounts, len(p.Units), len(p.Accounts))
	}
}

// nested is a Region > Area > Territory fixture: region West (1) with
// areas Coast (2) and Mountain (3); Coast holds territories 10 and 11,
// Mountain territory 12; territory 13 is directly under West, and 14 in
// no region.
func nested() (*planner.Scenario, planner.Metrics) {
	s := &planner.Scenario{ID: 1, Name: "Nested",
		Regions: []planner.Region{{ID: 1, Name: "West"}, {ID: 2, Name: "Coast", ParentID: 1}, {ID: 3, Name: "Mountain", ParentID: 1}},
		Territories: []planner.Territory{
			{ID: 10, Name: "Seattle", RegionID: 2, Quota: planner.Known(100), Reps: []planner.Assignment{{RepID: 1, Share: 100}}},
			{ID: 11, Name: "Portland", RegionID: 2, Quota: planner.Known(50), Reps: []planner.Assignment{{RepID: 2, Share: 50}, {Share: 50}}},
			{ID: 12, Name: "Denver", RegionID: 3},
			{ID: 13, Name: "Alaska", RegionID: 1, Quota: planner.Known(7)},
			{ID: 14, Name: "Loose"},
		},
	}
	m := planner.Metrics{}
	for i, tr := range s.Territories {
		k := float64(i + 1)
		m.Territories = append(m.Territories, planner.TerritoryMetrics{Territory: tr, Totals: planner.Totals{
			Units: i + 1, Accounts: 10 * (i + 1), Population: 1000 * k, Potential: 5 * k, PotentialMissing: i % 2}})
	}
	return s, m
}

func TestNestedHierarchy(t *testing.T) {
	s, m := nested()
	tree := planner.BuildHierarchy(s, m)
	if len(tree) != 2 || tree[0].Name != "West" || tree[1].Name != "Loose" || tree[1].Kind != planner.NodeTerritory {
		t.Fatalf("top: %+v", tree)
	}
	west := tree[0]
	// West: Coast (Seattle 1, Portland 2), Mountain (Denver 3), Alaska 4.
	if west.Totals.Units != 1+2+3+4 || west.Totals.Accounts != 100 || west.Totals.Population != 10000 || west.Totals.Potential != 50 || west.Totals.PotentialMissing != 2 {
		t.Errorf("West totals %+v", west.Totals)
	}
	if west.Territories != 4 || west.Quota != 157 || west.QuotaMissing != 1 || west.RepFTE != 1.5 || west.Vacancies != 0.5 {
		t.Errorf("West: territories %d quota %v missing %d FTE %v vacancies %v", west.Territories, west.Quota, west.QuotaMissing, west.RepFTE, west.Vacancies)
	}
	if len(west.Children) != 3 || west.Children[0].Name != "Coast" || west.Children[1].Name != "Mountain" || west.Children[2].Name != "Alaska" {
		t.Fatalf("West's children: %+v", west.Children)
	}
	coast := west.Children[0]
	if coast.LevelName != "Area" || coast.Level != 1 || coast.Depth != 1 || coast.Totals.Units != 3 || coast.Totals.Potential != 15 || coast.Quota != 150 {
		t.Errorf("Coast: %+v", coast)
	}
	if sea := coast.Children[0]; sea.LevelName != "Territory" || sea.Level != 2 || sea.Depth != 2 || sea.ParentID != 2 {
		t.Errorf("Seattle: %+v", sea)
	}
	if ak := west.Children[2]; ak.Depth != 1 || ak.Level != 2 {
		t.Errorf("Alaska: %+v", ak)
	}
	// RegionAncestor per level.
	for _, c := range []struct {
		territory int64
		level     int
		want      int64
	}{{10, 0, 1}, {10, 1, 2}, {12, 1, 3}, {13, 0, 1}, {13, 1, 0}, {14, 0, 0}, {99, 0, 0}, {10, 2, 0}, {10, -1, 0}} {
		if got := s.RegionAncestor(c.territory, c.level); got != c.want {
			t.Errorf("RegionAncestor(%d, %d) = %d, want %d", c.territory, c.level, got, c.want)
		}
	}
}

func TestMoveInHierarchy(t *testing.T) {
	s, _ := nested()
	// A territory moves under another region.
	regions, mem, err := planner.MoveInHierarchy(s, planner.NodeTerritory, 12, 2)
	if err != nil || mem[12] != 2 || mem[10] != 2 || mem[14] != 0 || len(mem) != 5 || len(regions) != 3 {
		t.Fatalf("move Denver under Coast: %v %v %v", regions, mem, err)
	}
	if s.Territory(12).RegionID != 3 {
		t.Error("MoveInHierarchy changed the scenario")
	}
	// To the top.
	if _, mem, err := planner.MoveInHierarchy(s, planner.NodeTerritory, 10, 0); err != nil || mem[10] != 0 {
		t.Errorf("move Seattle to the top: %v %v", mem, err)
	}
	// A region moves under another (Mountain under Coast: 3 levels of
	// regions + territories = 4, within MaxLevels when no level is named).
	regions, _, err = planner.MoveInHierarchy(s, planner.NodeRegion, 3, 2)
	if err != nil || regions[2].ParentID != 2 {
		t.Fatalf("Mountain under Coast: %v %v", regions, err)
	}
	// With the levels named Region > Area > Territory, that is one too deep.
	s.Levels = []string{"Region", "Area", "Territory"}
	_, _, err = planner.MoveInHierarchy(s, planner.NodeRegion, 3, 2)
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(err.Error(), `"Mountain"`) || !strings.Contains(err.Error(), `"Coast"`) ||
		!strings.Contains(err.Error(), "4 levels") {
		t.Errorf("too deep: %v", err)
	}
	// A loop: West under Coast (which is inside West), and under itself.
	_, _, err = planner.MoveInHierarchy(s, planner.NodeRegion, 1, 2)
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(err.Error(), `region "West"`) || !strings.Contains(err.Error(), `region "Coast"`) || !strings.Contains(err.Error(), "loop") {
		t.Errorf("loop: %v", err)
	}
	if _, _, err = planner.MoveInHierarchy(s, planner.NodeRegion, 2, 2); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("under itself: %v", err)
	}
	// Unknown nodes.
	if _, _, err = planner.MoveInHierarchy(s, planner.NodeTerritory, 99, 1); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("unknown territory: %v", err)
	}
	if _, _, err = planner.MoveInHierarchy(s, planner.NodeTerritory, 10, 99); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("unknown parent: %v", err)
	}
	// Coast to the top is fine (depth shrinks), and the result passes
	// CheckRegions and CheckLevels.
	regions, _, err = planner.MoveInHierarchy(s, planner.NodeRegion, 2, 0)
	if err != nil || regions[1].ParentID != 0 {
		t.Fatalf("Coast to the top: %v %v", regions, err)
	}
	c := *s
	c.Regions = regions
	if err := planner.CheckRegions(&c); err != nil {
		t.Error(err)
	}
	if err := planner.CheckLevels(&c); err != nil {
		t.Error(err)
	}
}

func TestAddRenameDeleteRegion(t *testing.T) {
	s, _ := nested()
	s.Levels = []string{"Region", "Area", "Territory"}
	regions, g, err := planner.AddRegion(s, "  East ", 0)
	if err != nil || g.ID != 4 || g.Name != "East" || len(regions) != 4 || regions[3] != g {
		t.Fatalf("add East: %v %v %v", regions, g, err)
	}
	if _, _, err := planner.AddRegion(s, "coast", 0); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("duplicate name: %v", err)
	}
	if _, _, err := planner.AddRegion(s, "Bay", 2); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("too deep under an Area: %v", err)
	}
	if _, _, err := planner.AddRegion(s, "", 0); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("empty: %v", err)
	}
	regions, err = planner.RenameRegion(s, 2, "Pacific coast")
	if err != nil || regions[1].Name != "Pacific coast" || s.Regions[1].Name != "Coast" {
		t.Errorf("rename: %v %v", regions, err)
	}
	if _, err := planner.RenameRegion(s, 2, "WEST"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("rename to a taken name: %v", err)
	}
	// Deleting Coast moves Seattle and Portland up to West.
	regions, mem, err := planner.DeleteRegion(s, 2)
	if err != nil || len(regions) != 2 || mem[10] != 1 || mem[11] != 1 || mem[12] != 3 {
		t.Errorf("delete Coast: %v %v %v", regions, mem, err)
	}
	// Deleting West moves Coast, Mountain and Alaska to the top.
	regions, mem, err = planner.DeleteRegion(s, 1)
	if err != nil || len(regions) != 2 || regions[0].ParentID != 0 || regions[1].ParentID != 0 || mem[13] != 0 || mem[10] != 2 {
		t.Errorf("delete West: %v %v %v", regions, mem, err)
	}
	if _, _, err := planner.DeleteRegion(s, 42); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("delete unknown: %v", err)
	}
}

// A loop of parents (refused by CheckRegions) and a territory in an
// unknown region do not hang or drop anything: they are shown at the top.
func TestHierarchyBadData(t *testing.T) {
	s := &planner.Scenario{Regions: []planner.Region{{ID: 1, Name: "A", ParentID: 2}, {ID: 2, Name: "B", ParentID: 1}},
		Territories: []planner.Territory{{ID: 5, Name: "T", RegionID: 1}, {ID: 6, Name: "U", RegionID: 77}}}
	tree := planner.BuildHierarchy(s, planner.Metrics{})
	n := 0
	var walk func([]planner.HierarchyNode)
	walk = func(ns []planner.HierarchyNode) {
		for _, x := range ns {
			n++
			walk(x.Children)
		}
	}
	walk(tree)
	if n != 4 {
		t.Errorf("%d nodes, want 4: %+v", n, tree)
	}
	_ = s.RegionAncestor(5, 0)
}

// BenchmarkBuildHierarchy builds the sample's hierarchy (4 regions, 9
// territories) from its metrics, as the Hierarchy tab and the colour by
// level do after every derive.
func BenchmarkBuildHierarchy(b *testing.B) {
	p, err := sample.Build(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	s := p.Active()
	m := planner.ComputeMetrics(p, s)
	b.ReportAllocs()
	for b.Loop() {
		tree := planner.BuildHierarchy(s, m)
		if len(tree) != 4 {
			b.Fatal(len(tree))
		}
		for _, t := range s.Territories {
			_ = s.RegionAncestor(t.ID, 0)
		}
	}
}
