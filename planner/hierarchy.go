package planner

import (
	"maps"
	"strconv"
	"strings"
)

// NodeKind says what a [HierarchyNode] is: a region (any level above the
// territories) or a territory.
type NodeKind int

// The kinds of hierarchy node.
const (
	NodeRegion    NodeKind = iota // a Region of Scenario.Regions
	NodeTerritory                 // a Territory of Scenario.Territories
)

// String returns "region" or "territory".
func (k NodeKind) String() string {
	if k == NodeTerritory {
		return "territory"
	}
	return "region"
}

// HierarchyNode is one node of a scenario's territory hierarchy (see
// [BuildHierarchy]): a region with its rolled-up totals and its children,
// or a territory with its own totals.
type HierarchyNode struct {
	Kind NodeKind
	ID   int64  // the Region's or Territory's ID
	Name string // its name
	// Level is the index in Scenario.LevelNames() of the node's level: a
	// region's depth (0 for a top-level region), and the last index for
	// every territory, wherever it sits.
	Level     int
	LevelName string // Scenario.LevelNames()[Level], e.g. "Region" or "Territory"
	// Depth is how many regions lie above the node: 0 at the top of the
	// tree. A territory under a top-level region has depth 1.
	Depth int
	// ParentID is the region the node sits under, 0 at the top.
	ParentID int64
	// Children are a region's child regions (in Scenario.Regions order)
	// then its territories (in Scenario.Territories order); nil for a
	// territory.
	Children []HierarchyNode
	// Totals are the territory's metrics (units, accounts, population,
	// potential, from the Metrics given to BuildHierarchy), or for a region
	// the sum over its children, recursively.
	Totals Totals
	// Territories counts the territories at or below the node (1 for a
	// territory).
	Territories int
	// Quota is the sum of the known quotas (Territory.Quota, in the plan's
	// currency) of the territories at or below the node; QuotaMissing
	// counts those without one. It is the plain sum: a region's
	// over-assignment (see [RollUp]) is not applied.
	Quota        float64
	QuotaMissing int
	// RepFTE is how many reps' worth of named coverage the territories at
	// or below the node have: the sum of named reps' shares / 100 (a rep
	// covering one territory at 100% counts 1). Vacancies is the same for
	// vacancies (TBH lines).
	RepFTE, Vacancies float64
}

// BuildHierarchy returns the top of scenario s's hierarchy: its top-level
// regions (in Scenario.Regions order), then the territories in no region
// (in Scenario.Territories order), each with its children and rolled-up
// totals (see [HierarchyNode]). A territory's totals come from m (the
// row of m.Territories with its ID; zero when m has none). A territory
// whose region does not exist, and a region whose parent does not exist or
// that sits in a loop of parents (which [CheckRegions] refuses), are shown
// at the top rather than dropped. It runs in O(regions + territories).
func BuildHierarchy(s *Scenario, m Metrics) []HierarchyNode {
	levels := s.LevelNames()
	last := len(levels) - 1
	byTerritory := make(map[int64]*TerritoryMetrics, len(m.Territories))
	for i := range m.Territories {
		byTerritory[m.Territories[i].Territory.ID] = &m.Territories[i]
	}
	regionIDs := make(map[int64]bool, len(s.Regions))
	for _, g := range s.Regions {
		regionIDs[g.ID] = true
	}
	// parentOf: a region's effective parent, 0 at the top (unknown parent,
	// or a parent chain that loops).
	parentOf := make(map[int64]int64, len(s.Regions))
	for _, g := range s.Regions {
		p := g.ParentID
		if !regionIDs[p] || inLoop(s, g.ID) {
			p = 0
		}
		parentOf[g.ID] = p
	}
	childRegions := map[int64][]int{} // parent ID -> indexes in s.Regions
	for i, g := range s.Regions {
		childRegions[parentOf[g.ID]] = append(childRegions[parentOf[g.ID]], i)
	}
	childTerritories := map[int64][]int{}
	for i, t := range s.Territories {
		p := t.RegionID
		if !regionIDs[p] {
			p = 0
		}
		childTerritories[p] = append(childTerritories[p], i)
	}
	territoryNode := func(i, depth int, parent int64) HierarchyNode {
		t := &s.Territories[i]
		n := HierarchyNode{Kind: NodeTerritory, ID: t.ID, Name: t.Name, Level: last, LevelName: levels[last],
			Depth: depth, ParentID: parent, Territories: 1}
		if tm := byTerritory[t.ID]; tm != nil {
			n.Totals = tm.Totals
		}
		if t.Quota.Known {
			n.Quota = t.Quota.Value
		} else {
			n.QuotaMissing = 1
		}
		for _, a := range t.Reps {
			if a.Vacancy() {
				n.Vacancies += a.Share / 100
			} else {
				n.RepFTE += a.Share / 100
			}
		}
		return n
	}
	seen := make(map[int64]bool, len(s.Regions))
	var regionNode func(i, depth int, parent int64) HierarchyNode
	regionNode = func(i, depth int, parent int64) HierarchyNode {
		g := &s.Regions[i]
		seen[g.ID] = true
		level := min(depth, last-1)
		if last == 0 {
			level = 0
		}
		n := HierarchyNode{Kind: NodeRegion, ID: g.ID, Name: g.Name, Level: level, LevelName: levels[level],
			Depth: depth, ParentID: parent}
		for _, k := range childRegions[g.ID] {
			if seen[s.Regions[k].ID] {
				continue
			}
			n.Children = append(n.Children, regionNode(k, depth+1, g.ID))
		}
		for _, k := range childTerritories[g.ID] {
			n.Children = append(n.Children, territoryNode(k, depth+1, g.ID))
		}
		for _, c := range n.Children {
			n.add(&c)
		}
		return n
	}
	var out []HierarchyNode
	for _, k := range childRegions[0] {
		out = append(out, regionNode(k, 0, 0))
	}
	for _, k := range childTerritories[0] {
		out = append(out, territoryNode(k, 0, 0))
	}
	return out
}

// add adds child c's roll-ups to n.
func (n *HierarchyNode) add(c *HierarchyNode) {
	n.Totals.add(c.Totals)
	n.Territories += c.Territories
	n.Quota += c.Quota
	n.QuotaMissing += c.QuotaMissing
	n.RepFTE += c.RepFTE
	n.Vacancies += c.Vacancies
}

// inLoop reports whether region id's chain of parents comes back to a
// region already met (a loop that CheckRegions refuses).
func inLoop(s *Scenario, id int64) bool {
	met := map[int64]bool{}
	for id != 0 {
		if met[id] {
			return true
		}
		met[id] = true
		g := s.Region(id)
		if g == nil {
			return false
		}
		id = g.ParentID
	}
	return false
}

// FindNode returns the node of the given kind and ID in the tree nodes
// (depth first), or nil.
func FindNode(nodes []HierarchyNode, kind NodeKind, id int64) *HierarchyNode {
	for i := range nodes {
		if nodes[i].Kind == kind && nodes[i].ID == id {
			return &nodes[i]
		}
		if n := FindNode(nodes[i].Children, kind, id); n != nil {
			return n
		}
	}
	return nil
}

// RegionAncestor returns the ID of the region of level index level (0 for
// the top level, see [Scenario.LevelNames]) at or above territory
// territoryID's region, or 0 when there is none: the territory is in no
// region, or its region sits higher than that level (a territory directly
// under a top-level Region has no Area), or the territory does not exist.
// The map colours units by it when colouring by a level.
func (s *Scenario) RegionAncestor(territoryID int64, level int) int64 {
	t := s.Territory(territoryID)
	if t == nil || t.RegionID == 0 || level < 0 {
		return 0
	}
	d := s.RegionDepth(t.RegionID)
	if d < level {
		return 0
	}
	id := t.RegionID
	for ; d > level; d-- {
		g := s.Region(id)
		if g == nil {
			return 0
		}
		id = g.ParentID
	}
	if s.Region(id) == nil {
		return 0
	}
	return id
}

// Membership returns each territory of s with its region: territory ID →
// Territory.RegionID (0 for none), every territory listed. It is the form
// sqlite.SetRegionsEdit takes.
func (s *Scenario) Membership() map[int64]int64 {
	out := make(map[int64]int64, len(s.Territories))
	for _, t := range s.Territories {
		out[t.ID] = t.RegionID
	}
	return out
}

// levelLimit is how many levels, territories included, s's regions may
// use: its named levels, or MaxLevels when it names none (as CheckLevels
// reads it).
func levelLimit(s *Scenario) int {
	if len(s.Levels) > 0 {
		return min(len(s.Levels), MaxLevels)
	}
	return MaxLevels
}

// regionHeight returns how many levels of regions lie below region id
// (0 when it has no child region); loops stop at len(s.Regions).
func regionHeight(s *Scenario, id int64, steps int) int {
	if steps > len(s.Regions) {
		return 0
	}
	h := 0
	for _, g := range s.Regions {
		if g.ParentID == id && g.ID != id {
			h = max(h, 1+regionHeight(s, g.ID, steps+1))
		}
	}
	return h
}

// isBelow reports whether region id is region top or lies under it.
func isBelow(s *Scenario, id, top int64) bool {
	for steps := 0; id != 0 && steps <= len(s.Regions); steps++ {
		if id == top {
			return true
		}
		g := s.Region(id)
		if g == nil {
			return false
		}
		id = g.ParentID
	}
	return false
}

// nodeName names a node for messages: `region "West"`, `territory
// "Pacific"`, or "the top" for region ID 0.
func nodeName(s *Scenario, kind NodeKind, id int64) string {
	if id == 0 && kind == NodeRegion {
		return "the top"
	}
	if kind == NodeTerritory {
		if t := s.Territory(id); t != nil {
			return "territory " + quote(t.Name)
		}
		return "territory " + itoa(id)
	}
	if g := s.Region(id); g != nil {
		return "region " + quote(g.Name)
	}
	return "region " + itoa(id)
}

func quote(s string) string { return strconv.Quote(s) }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// MoveInHierarchy moves a node of scenario s (a region or a territory,
// with its ID) under region newParentID (0: to the top) and returns the
// scenario's new region list and territory → region membership (every
// territory listed, 0 for none), the arguments of
// sqlite.SetRegionsEdit; s itself is not changed. A region moves with
// everything below it. Moving a node where it already is returns the
// current regions and membership.
//
// Errors (*Error, EINVALID, the message naming both nodes): the node or
// the new parent does not exist; a region moved under itself or under one
// of its own descendants (a loop); a move that makes the hierarchy deeper
// than the scenario's levels (Scenario.Levels, or MaxLevels when it names
// none; a region at depth d needs d+2 levels, its own and the
// territories').
func MoveInHierarchy(s *Scenario, kind NodeKind, id, newParentID int64) (regions []Region, membership map[int64]int64, err error) {
	what, where := nodeName(s, kind, id), nodeName(s, NodeRegion, newParentID)
	if newParentID != 0 && s.Region(newParentID) == nil {
		return nil, nil, Errorf(EINVALID, "Cannot move %s under region %d: the scenario has no such region", what, newParentID)
	}
	regions = append([]Region(nil), s.Regions...)
	membership = s.Membership()
	switch kind {
	case NodeTerritory:
		if s.Territory(id) == nil {
			return nil, nil, Errorf(EINVALID, "Cannot move territory %d under %s: the scenario has no such territory", id, where)
		}
		membership[id] = newParentID
		return regions, membership, nil
	case NodeRegion:
		g := s.Region(id)
		if g == nil {
			return nil, nil, Errorf(EINVALID, "Cannot move region %d under %s: the scenario has no such region", id, where)
		}
		if g.ParentID == newParentID {
			return regions, membership, nil
		}
		if newParentID != 0 && isBelow(s, newParentID, id) {
			if newParentID == id {
				return nil, nil, Errorf(EINVALID, "Cannot move %s under itself", what)
			}
			return nil, nil, Errorf(EINVALID, "Cannot move %s under %s: %s lies inside %s, so the hierarchy would loop", what, where, where, what)
		}
		depth := 0
		if newParentID != 0 {
			depth = s.RegionDepth(newParentID) + 1
		}
		deepest := depth + regionHeight(s, id, 0)
		if limit := levelLimit(s); deepest+2 > limit {
			return nil, nil, Errorf(EINVALID, "Cannot move %s under %s: the hierarchy would need %d levels and it has %d (%s)",
				what, where, deepest+2, limit, strings.Join(levelNamesUpTo(s, limit), " > "))
		}
		for i := range regions {
			if regions[i].ID == id {
				regions[i].ParentID = newParentID
			}
		}
		return regions, membership, nil
	}
	return nil, nil, Errorf(EINVALID, "Cannot move a node of kind %d", int(kind))
}

// levelNamesUpTo returns the scenario's first n level names (numbered
// "Level k" where it names fewer), the territories' level last.
func levelNamesUpTo(s *Scenario, n int) []string {
	names := s.LevelNames()
	if len(names) > n {
		names = append(names[:n-1:n-1], names[len(names)-1])
	}
	return names
}

// AddRegion returns scenario s's regions with a new region named name
// (spaces trimmed) under parentID (0 at the top) appended, and the new
// region; its ID is one more than the largest region ID of s. s is not
// changed.
//
// Errors (*Error, EINVALID): an empty name or one another region has
// (case-insensitive); a parent that does not exist; a region deeper than
// the scenario's levels allow (see [MoveInHierarchy]).
func AddRegion(s *Scenario, name string, parentID int64) ([]Region, Region, error) {
	name = strings.TrimSpace(name)
	if err := checkRegionName(s, name, 0); err != nil {
		return nil, Region{}, err
	}
	depth := 0
	if parentID != 0 {
		if s.Region(parentID) == nil {
			return nil, Region{}, Errorf(EINVALID, "Cannot add region %s under region %d: the scenario has no such region", quote(name), parentID)
		}
		depth = s.RegionDepth(parentID) + 1
	}
	if limit := levelLimit(s); depth+2 > limit {
		return nil, Region{}, Errorf(EINVALID, "Cannot add region %s under %s: the hierarchy would need %d levels and it has %d (%s)",
			quote(name), nodeName(s, NodeRegion, parentID), depth+2, limit, strings.Join(levelNamesUpTo(s, limit), " > "))
	}
	var top int64
	for _, g := range s.Regions {
		top = max(top, g.ID)
	}
	g := Region{ID: top + 1, Name: name, ParentID: parentID}
	return append(append([]Region(nil), s.Regions...), g), g, nil
}

// checkRegionName checks a region's name: not empty, and not the name of
// another region of s than except (case-insensitive).
func checkRegionName(s *Scenario, name string, except int64) error {
	if name == "" {
		return Errorf(EINVALID, "A region needs a name")
	}
	for _, g := range s.Regions {
		if g.ID != except && SameScenarioName(g.Name, name) {
			return Errorf(EINVALID, "Another region is already called %s", quote(g.Name))
		}
	}
	return nil
}

// RenameRegion returns scenario s's regions with region id renamed to
// name (spaces trimmed); s is not changed. Errors (*Error, EINVALID): no
// such region, an empty name, or the name of another region
// (case-insensitive).
func RenameRegion(s *Scenario, id int64, name string) ([]Region, error) {
	name = strings.TrimSpace(name)
	if s.Region(id) == nil {
		return nil, Errorf(EINVALID, "The scenario has no region %d", id)
	}
	if err := checkRegionName(s, name, id); err != nil {
		return nil, err
	}
	out := append([]Region(nil), s.Regions...)
	for i := range out {
		if out[i].ID == id {
			out[i].Name = name
		}
	}
	return out, nil
}

// DeleteRegion returns scenario s's regions and membership (every
// territory listed) without region id: its child regions and territories
// move up to its parent (the top when it has none); s is not changed.
// Errors (*Error, EINVALID): no such region.
func DeleteRegion(s *Scenario, id int64) ([]Region, map[int64]int64, error) {
	g := s.Region(id)
	if g == nil {
		return nil, nil, Errorf(EINVALID, "The scenario has no region %d", id)
	}
	up := g.ParentID
	if up == id {
		up = 0
	}
	out := make([]Region, 0, len(s.Regions))
	for _, r := range s.Regions {
		if r.ID == id {
			continue
		}
		if r.ParentID == id {
			r.ParentID = up
		}
		out = append(out, r)
	}
	membership := s.Membership()
	for tid, rid := range maps.Clone(membership) {
		if rid == id {
			membership[tid] = up
		}
	}
	return out, membership, nil
}
