package app

import (
	"maps"
	"slices"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// cloneSegments returns a deep copy of segments: each segment's Tiers and
// OverlayReps are copied too, so that a change holds values that later
// edits cannot reach.
func cloneSegments(segments []planner.Segment) []planner.Segment {
	if segments == nil {
		return nil
	}
	out := make([]planner.Segment, len(segments))
	for i, g := range segments {
		out[i] = cloneSegment(g)
	}
	return out
}

// cloneSegment returns a deep copy of g (its Tiers and OverlayReps).
func cloneSegment(g planner.Segment) planner.Segment {
	if g.Tiers != nil {
		t := *g.Tiers
		t.Tiers = slices.Clone(t.Tiers)
		g.Tiers = &t
	}
	g.OverlayReps = slices.Clone(g.OverlayReps)
	return g
}

// segmentsChange replaces the plan's whole segment list from with to (in
// the user's order): new, edit, duplicate and delete are each one such
// change, written with sqlite.SetSegmentsEdit of the whole new list and
// undone with the old one. Segments belong to the plan, not to a scenario.
func segmentsChange(label string, from, to []planner.Segment) *change {
	from, to = cloneSegments(from), cloneSegments(to)
	return &change{
		label:  label,
		do:     func(s *session) { s.plan.Segments = cloneSegments(to) },
		undo:   func(s *session) { s.plan.Segments = cloneSegments(from) },
		write:  []sqlite.Edit{sqlite.SetSegmentsEdit(to)},
		revert: []sqlite.Edit{sqlite.SetSegmentsEdit(from)},
	}
}

// namedAccountsChange changes named-account overrides of scenario
// scenarioID: to maps an account ID to the territory that now owns it
// whatever its geography, 0 removing its override; from gives each
// account's territory before (0 where it had no override). It is written
// with sqlite.SetNamedAccountsEdit and undone with from.
func namedAccountsChange(label string, scenarioID int64, to, from map[int64]int64) *change {
	to, from = maps.Clone(to), maps.Clone(from)
	set := func(s *session, c map[int64]int64) {
		sc := s.plan.Scenario(scenarioID)
		if sc == nil {
			return
		}
		named := maps.Clone(sc.NamedAccounts) // snapshots share the old map
		if named == nil {
			named = map[int64]int64{}
		}
		for aid, tid := range c {
			if tid == 0 {
				delete(named, aid)
			} else {
				named[aid] = tid
			}
		}
		sc.NamedAccounts = named
	}
	return &change{
		label:  label,
		do:     func(s *session) { set(s, to) },
		undo:   func(s *session) { set(s, from) },
		write:  []sqlite.Edit{sqlite.SetNamedAccountsEdit(scenarioID, to)},
		revert: []sqlite.Edit{sqlite.SetNamedAccountsEdit(scenarioID, from)},
	}
}
