package app

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// historyNote ends the status line after a switch of scenario: undo and
// redo work within one scenario's session.
const historyNote = " Undo history starts afresh in each scenario."

// scenarioMenuItems returns the Scenario menu: new copy, rename, delete,
// then one item per scenario of the open plan (the active one checked) to
// switch to it.
func (m *Meridian) scenarioMenuItems() []*fyne.MenuItem {
	items := []*fyne.MenuItem{m.copyItem, m.renameItem, m.deleteItem}
	s := m.session
	if s == nil {
		return items
	}
	items = append(items, fyne.NewMenuItemSeparator())
	for _, sc := range s.plan.Scenarios {
		id := sc.ID
		item := fyne.NewMenuItem(sc.Name, func() { m.switchScenario(id) })
		item.Checked = id == s.scenario.ID
		items = append(items, item)
	}
	return items
}

// refreshScenarios updates the toolbar's scenario selector and the Scenario
// menu from the session. Call on the UI thread.
func (m *Meridian) refreshScenarios() {
	e, s := m.ed, m.session
	if m.scenarioMenu != nil {
		m.scenarioMenu.Items = m.scenarioMenuItems()
	}
	ignore := e.ignore
	e.ignore = true
	defer func() { e.ignore = ignore }()
	if s == nil {
		e.scenario.SetOptions(nil)
		return
	}
	names := make([]string, len(s.plan.Scenarios))
	for i, sc := range s.plan.Scenarios {
		names[i] = sc.Name
	}
	e.scenario.SetOptions(names)
	e.scenario.SetSelected(s.scenario.Name)
}

// switchScenarioByName makes the named scenario active (toolbar).
func (m *Meridian) switchScenarioByName(name string) {
	if s := m.session; s != nil {
		if sc := s.plan.ScenarioNamed(name); sc != nil {
			m.switchScenario(sc.ID)
		}
	}
}

// switchScenario makes scenario id the active one: it is stored in the plan
// file (sqlite.SetActiveScenarioEdit) and the plan is loaded again from
// the file off the UI thread. The undo history is dropped.
func (m *Meridian) switchScenario(id int64) {
	s := m.session
	if s == nil {
		return
	}
	sc := s.plan.Scenario(id)
	if sc == nil || id == s.scenario.ID {
		m.refreshScenarios()
		return
	}
	name := sc.Name
	m.refreshScenarios() // the selector shows the active scenario until the switch is done
	m.reopen("Switching to scenario "+name+"…", []sqlite.Edit{sqlite.SetActiveScenarioEdit(id)}, func() {
		m.setStatus("Scenario " + name + " is active." + historyNote)
	})
}

// reopen writes edits to the plan file (one transaction, after every
// queued edit) and loads the plan again from the file, off the UI thread;
// then it shows the plan, keeping the map's view, and calls done. On
// failure the open plan stays as it was and an error is shown.
func (m *Meridian) reopen(title string, edits []sqlite.Edit, done func()) {
	s := m.session
	if s == nil {
		return
	}
	var ns *session
	m.runTask(title, func(ctx context.Context, progress func(float64)) error {
		s.writer.flush()
		if len(edits) > 0 {
			if err := s.db.Apply(ctx, edits...); err != nil {
				return err
			}
		}
		progress(0.2)
		p, err := s.db.Load(ctx)
		if err != nil {
			return err
		}
		progress(0.5)
		ns, err = newSession(ctx, s.db, p)
		if err == nil {
			ns.untitled, ns.pristine = s.untitled, s.pristine
		}
		return err
	}, func() {
		if m.session != s {
			return
		}
		view := m.mapView.View()
		s.writer.stop()
		m.show(ns)
		if view.Scale > 0 {
			m.mapView.SetView(view)
		}
		if done != nil {
			done()
		}
	})
}

// askNewScenario asks for the name of a copy of the active scenario and
// makes it.
func (m *Meridian) askNewScenario() {
	s := m.session
	if s == nil {
		return
	}
	entry := widget.NewEntry()
	entry.SetText(s.plan.NextScenarioName(s.scenario.Name + " copy"))
	entry.Validator = func(v string) error { return checkScenarioName(s.plan, 0, v) }
	d := dialog.NewForm("New copy of "+s.scenario.Name, "Create", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", entry)},
		func(ok bool) {
			if ok && m.session == s {
				m.newScenarioCopy(entry.Text)
			}
		}, m.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	m.win.Canvas().Focus(entry)
}

// checkScenarioName checks a new name for scenario id (0 for a new one):
// planner.CleanScenarioName, and no other scenario of p has it.
func checkScenarioName(p *planner.Plan, id int64, v string) error {
	name, err := planner.CleanScenarioName(v)
	if err != nil {
		return err
	}
	if other := p.ScenarioNamed(name); other != nil && other.ID != id {
		return planner.Errorf(planner.ECONFLICT, "A scenario named %q already exists", other.Name)
	}
	return nil
}

// newScenarioCopy adds a copy of the active scenario named name
// (planner.Plan.CopyScenario) to the plan file, makes it active and opens
// it. It returns the name's error, also shown to the user.
func (m *Meridian) newScenarioCopy(name string) error {
	s := m.session
	if s == nil {
		return nil
	}
	c, err := s.plan.CopyScenario(s.scenario, name)
	if err != nil {
		m.showError(err)
		return err
	}
	from := s.scenario.Name
	m.reopen("Creating scenario "+c.Name+"…", []sqlite.Edit{sqlite.AddScenarioEdit(c), sqlite.SetActiveScenarioEdit(c.ID)}, func() {
		m.setStatus("Scenario " + c.Name + " (a copy of " + from + ") is active." + historyNote)
	})
	return nil
}

// askRenameScenario asks for the active scenario's new name.
func (m *Meridian) askRenameScenario() {
	s := m.session
	if s == nil {
		return
	}
	id := s.scenario.ID
	entry := widget.NewEntry()
	entry.SetText(s.scenario.Name)
	entry.Validator = func(v string) error { return checkScenarioName(s.plan, id, v) }
	d := dialog.NewForm("Rename scenario "+s.scenario.Name, "Rename", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", entry)},
		func(ok bool) {
			if ok && m.session == s {
				m.renameScenario(id, entry.Text)
			}
		}, m.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	d.Show()
	m.win.Canvas().Focus(entry)
}

// renameScenario renames scenario id as one undoable edit. It returns the
// name's error, also shown to the user.
func (m *Meridian) renameScenario(id int64, name string) error {
	s := m.session
	if s == nil {
		return nil
	}
	sc := s.plan.Scenario(id)
	if sc == nil {
		return nil
	}
	if err := checkScenarioName(s.plan, id, name); err != nil {
		m.showError(err)
		return err
	}
	clean, _ := planner.CleanScenarioName(name)
	if clean == sc.Name {
		return nil
	}
	m.commit(renameScenarioChange(id, sc.Name, clean), false)
	return nil
}

// askDeleteScenario asks which scenario to delete and confirms.
func (m *Meridian) askDeleteScenario() {
	s := m.session
	if s == nil {
		return
	}
	if err := deletable(s, 0); err != nil {
		m.showError(err)
		return
	}
	var names []string
	for _, sc := range s.plan.Scenarios {
		if sc.ID != s.scenario.ID {
			names = append(names, sc.Name)
		}
	}
	pick := widget.NewSelect(names, nil)
	pick.SetSelectedIndex(0)
	note := widget.NewLabel("The active scenario, " + s.scenario.Name + ", cannot be deleted; switch to another first. Edit > Undo brings a deleted scenario back.")
	note.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Delete a scenario", "Delete", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Scenario", pick), widget.NewFormItem("", note)},
		func(ok bool) {
			if !ok || m.session != s {
				return
			}
			if sc := s.plan.ScenarioNamed(pick.Selected); sc != nil {
				m.deleteScenario(sc.ID)
			}
		}, m.win)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
}

// deletable returns why scenario id (0: any) of s cannot be deleted, or nil:
// a plan keeps at least one scenario, and the active one stays.
func deletable(s *session, id int64) error {
	if len(s.plan.Scenarios) <= 1 {
		return planner.Errorf(planner.EINVALID, "Scenario %q is the plan's only scenario, and a plan needs at least one", s.scenario.Name)
	}
	if id == s.scenario.ID {
		return planner.Errorf(planner.EINVALID, "Scenario %q is the active scenario; switch to another scenario first, then delete it", s.scenario.Name)
	}
	return nil
}

// deleteScenario deletes scenario id as one undoable edit. It refuses the
// active scenario and the plan's last one; the error is shown and
// returned.
func (m *Meridian) deleteScenario(id int64) error {
	s := m.session
	if s == nil {
		return nil
	}
	index := slices.IndexFunc(s.plan.Scenarios, func(sc planner.Scenario) bool { return sc.ID == id })
	if index < 0 {
		err := planner.Errorf(planner.ENOTFOUND, "Scenario %d is not in the plan", id)
		m.showError(err)
		return err
	}
	if err := deletable(s, id); err != nil {
		m.showError(err)
		return err
	}
	name := s.plan.Scenarios[index].Name
	m.commit(deleteScenarioChange(s.plan.Scenarios[index], index), false)
	m.setStatus(fmt.Sprintf("Deleted scenario %s. Edit > Undo brings it back.", name))
	return nil
}
