package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// change is one undoable edit of the open plan's active scenario: what it
// does in memory (on the UI thread) and in the plan file (one transaction
// each way, written in order by the session's writer).
type change struct {
	label         string         // for the Edit menu: "Undo Assign 3 counties to Pacific"
	do, undo      func(*session) // in memory, UI thread
	write, revert []sqlite.Edit  // the plan-file edits of do and undo
}

// history is the session's undo and redo stacks.
type history struct {
	done, undone []*change
}

// writer writes edits to the plan file in order, off the UI thread, so that
// a slow disk never blocks the window. Each batch is one transaction.
type writer struct {
	db      *sqlite.DB
	queue   chan []sqlite.Edit
	pending sync.WaitGroup
	failed  func(error) // called (off the UI thread) when a write fails
	once    sync.Once
}

func newWriter(db *sqlite.DB, failed func(error)) *writer {
	w := &writer{db: db, queue: make(chan []sqlite.Edit, 256), failed: failed}
	go w.run()
	return w
}

func (w *writer) run() {
	for edits := range w.queue {
		if err := w.db.Apply(context.Background(), edits...); err != nil && w.failed != nil {
			w.failed(err)
		}
		w.pending.Done()
	}
}

// write queues one transaction.
func (w *writer) write(edits []sqlite.Edit) {
	if len(edits) == 0 {
		return
	}
	w.pending.Add(1)
	w.queue <- edits
}

// flush waits until every queued edit is written.
func (w *writer) flush() { w.pending.Wait() }

// stop writes what is queued and ends the writer.
func (w *writer) stop() {
	w.once.Do(func() {
		w.flush()
		close(w.queue)
	})
}

// realignChange moves units between territories: to gives each unit's new
// territory ID and from its former one (0 = white space).
func realignChange(label string, scenarioID int64, to, from map[string]int64) *change {
	return &change{
		label:  label,
		do:     func(s *session) { s.setAlignment(to) },
		undo:   func(s *session) { s.setAlignment(from) },
		write:  []sqlite.Edit{sqlite.RealignEdit(scenarioID, to)},
		revert: []sqlite.Edit{sqlite.RealignEdit(scenarioID, from)},
	}
}

// newTerritoryChange adds territory t (with its ID chosen) and moves the
// units in to into it; from gives their former territories.
func newTerritoryChange(scenarioID int64, t planner.Territory, to, from map[string]int64) *change {
	return &change{
		label: "New territory " + t.Name,
		do: func(s *session) {
			s.scenario.Territories = append(s.scenario.Territories, t)
			s.setAlignment(to)
		},
		undo: func(s *session) {
			s.setAlignment(from)
			s.removeTerritory(t.ID)
		},
		write:  []sqlite.Edit{sqlite.AddTerritoryEdit(scenarioID, t), sqlite.RealignEdit(scenarioID, to)},
		revert: []sqlite.Edit{sqlite.RealignEdit(scenarioID, from), sqlite.DeleteTerritoryEdit(t.ID)},
	}
}

// boundaryChange sets territory id's drawn boundary (lon/lat) from old to
// new; nil removes it.
func boundaryChange(label string, id int64, old, new planner.Territory) *change {
	return &change{
		label:  label,
		do:     func(s *session) { s.territory(id).Boundary = new.Boundary },
		undo:   func(s *session) { s.territory(id).Boundary = old.Boundary },
		write:  []sqlite.Edit{sqlite.SetTerritoryBoundaryEdit(id, new.Boundary)},
		revert: []sqlite.Edit{sqlite.SetTerritoryBoundaryEdit(id, old.Boundary)},
	}
}

// colorChange recolours territories: to and from map IDs to "#RRGGBB".
func colorChange(label string, to, from map[int64]string) *change {
	set := func(s *session, c map[int64]string) {
		for id, col := range c {
			if t := s.territory(id); t != nil {
				t.Color = col
			}
		}
	}
	var write, revert []sqlite.Edit
	for id, col := range to {
		write = append(write, sqlite.SetTerritoryColorEdit(id, col))
		revert = append(revert, sqlite.SetTerritoryColorEdit(id, from[id]))
	}
	return &change{
		label: label,
		do:    func(s *session) { set(s, to) },
		undo:  func(s *session) { set(s, from) },
		write: write, revert: revert,
	}
}

// replaceAlignmentChange replaces the whole alignment of scenario
// scenarioID (the active one) with to; from is the whole alignment before
// (unit code -> territory ID; absent units are white space). Undo restores
// from exactly, in memory and in the plan file (sqlite.ReplaceAlignmentEdit
// writes only the difference).
func replaceAlignmentChange(label string, scenarioID int64, to, from map[string]int64) *change {
	set := func(s *session, a map[string]int64) {
		s.scenario.Alignment = maps.Clone(a)
		if s.scenario.Alignment == nil {
			s.scenario.Alignment = map[string]int64{}
		}
		s.refreshTerritoryOf()
	}
	return &change{
		label:  label,
		do:     func(s *session) { set(s, to) },
		undo:   func(s *session) { set(s, from) },
		write:  []sqlite.Edit{sqlite.ReplaceAlignmentEdit(scenarioID, to)},
		revert: []sqlite.Edit{sqlite.ReplaceAlignmentEdit(scenarioID, from)},
	}
}

// capacityChange sets territory id's capacity in reps
// (planner.Territory.Capacity, 0 = unset, which counts as 1) from old to
// new.
func capacityChange(label string, id int64, old, new float64) *change {
	set := func(s *session, c float64) {
		if t := s.territory(id); t != nil {
			t.Capacity = c
		}
	}
	return &change{
		label:  label,
		do:     func(s *session) { set(s, new) },
		undo:   func(s *session) { set(s, old) },
		write:  []sqlite.Edit{sqlite.SetTerritoryCapacityEdit(id, new)},
		revert: []sqlite.Edit{sqlite.SetTerritoryCapacityEdit(id, old)},
	}
}

// renameScenarioChange renames scenario id from old to new (cleaned by
// planner.CleanScenarioName beforehand).
func renameScenarioChange(id int64, old, new string) *change {
	set := func(s *session, name string) {
		if sc := s.plan.Scenario(id); sc != nil {
			sc.Name = name
		}
	}
	return &change{
		label:  "Rename scenario " + old + " to " + new,
		do:     func(s *session) { set(s, new) },
		undo:   func(s *session) { set(s, old) },
		write:  []sqlite.Edit{sqlite.RenameScenarioEdit(id, new)},
		revert: []sqlite.Edit{sqlite.RenameScenarioEdit(id, old)},
	}
}

// deleteScenarioChange deletes scenario sc, which is at position index of
// the plan's scenarios and is not the active one; undo puts it back there.
func deleteScenarioChange(sc planner.Scenario, index int) *change {
	return &change{
		label: "Delete scenario " + sc.Name,
		do: func(s *session) {
			active := s.scenario.ID
			s.plan.Scenarios = slices.DeleteFunc(slices.Clone(s.plan.Scenarios), func(x planner.Scenario) bool { return x.ID == sc.ID })
			s.scenario = s.plan.Scenario(active) // the slice moved
		},
		undo: func(s *session) {
			active := s.scenario.ID
			i := min(max(index, 0), len(s.plan.Scenarios))
			s.plan.Scenarios = slices.Insert(slices.Clone(s.plan.Scenarios), i, sc)
			s.scenario = s.plan.Scenario(active)
		},
		write:  []sqlite.Edit{sqlite.DeleteScenarioEdit(sc.ID)},
		revert: []sqlite.Edit{sqlite.InsertScenarioEdit(sc, index)},
	}
}

// setAlignment applies alignment changes in memory: unit code -> territory
// ID, 0 for white space.
func (s *session) setAlignment(to map[string]int64) {
	for code, id := range to {
		if id == 0 {
			delete(s.scenario.Alignment, code)
		} else {
			s.scenario.Alignment[code] = id
		}
	}
	s.refreshTerritoryOf()
}

// removeTerritory removes territory id from the scenario in memory.
func (s *session) removeTerritory(id int64) {
	ts := s.scenario.Territories
	for i := range ts {
		if ts[i].ID == id {
			s.scenario.Territories = append(ts[:i:i], ts[i+1:]...)
			break
		}
	}
	s.refreshTerritoryOf()
}

// territory returns the active scenario's territory id, or nil.
func (s *session) territory(id int64) *planner.Territory { return s.scenario.Territory(id) }

// nextTerritoryID returns an ID no territory of the plan has.
func (s *session) nextTerritoryID() int64 {
	var top int64
	for _, sc := range s.plan.Scenarios {
		for _, t := range sc.Territories {
			top = max(top, t.ID)
		}
	}
	return top + 1
}

// snapshot returns a copy of the active scenario that background work can
// read while the UI thread edits the original.
func (s *session) snapshot() *planner.Scenario {
	c := *s.scenario
	c.Territories = append([]planner.Territory(nil), s.scenario.Territories...)
	c.Alignment = maps.Clone(s.scenario.Alignment)
	c.NamedAccounts = maps.Clone(s.scenario.NamedAccounts)
	c.Regions = append([]planner.Region(nil), s.scenario.Regions...)
	c.Levels = append([]string(nil), s.scenario.Levels...)
	return &c
}

// snapshotPlan returns a shallow copy of the plan whose active scenario is
// a snapshot, for background work such as exports.
func (s *session) snapshotPlan() *planner.Plan {
	p := *s.plan
	p.Scenarios = append([]planner.Scenario(nil), s.plan.Scenarios...)
	p.Segments = append([]planner.Segment(nil), s.plan.Segments...)
	for i := range p.Scenarios {
		if p.Scenarios[i].ID == s.scenario.ID {
			p.Scenarios[i] = *s.snapshot()
		}
	}
	return &p
}

// commit records c as done, after its do has run (painting applies each
// unit as the pointer passes; other edits call apply first), writes it to
// the plan file, and refreshes what depends on it.
func (m *Meridian) commit(c *change, applied bool) {
	s := m.session
	if s == nil {
		return
	}
	if !applied {
		c.do(s)
	}
	s.history.done = append(s.history.done, c)
	s.history.undone = nil
	s.writer.write(c.write)
	m.edited(c.label)
}

// undo reverts the last edit, in memory and in the plan file.
func (m *Meridian) undo() {
	if s := m.session; s != nil {
		m.replay(&s.history.done, &s.history.undone, false, "Undid: ")
	}
}

// redo makes the last undone edit again.
func (m *Meridian) redo() {
	if s := m.session; s != nil {
		m.replay(&s.history.undone, &s.history.done, true, "Redid: ")
	}
}

// replay moves the top edit of from to to, doing it (forward) or undoing
// it, in memory and in the plan file.
func (m *Meridian) replay(from, to *[]*change, forward bool, verb string) {
	s := m.session
	if len(*from) == 0 {
		return
	}
	c := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	if forward {
		c.do(s)
		s.writer.write(c.write)
	} else {
		c.undo(s)
		s.writer.write(c.revert)
	}
	*to = append(*to, c)
	m.edited(verb + c.label)
}

// writeFailed is called off the UI thread when an edit could not be
// written: the plan file holds the edits before it, so the plan is loaded
// again from the file and the user told what was lost.
func (m *Meridian) writeFailed(s *session, err error) {
	fyne.Do(func() {
		if m.session != s || m.quitting.Load() {
			return
		}
		m.showError(fmt.Errorf("%s could not be written, so the plan was reloaded from the file and the last edits are undone: %w", s.db.Path, err))
		m.reload()
	})
}
