package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// quotaImport is the change report of File > Import quotas from Excel…:
// what the workbook changes, shown before anything is applied.
type quotaImport struct {
	s       *session
	path    string
	changes []planner.QuotaChange
	dialog  dialog.Dialog
	table   *textTable
	label   *widget.Label
}

// showImportQuotas asks for a workbook exported by Meridian whose quotas
// finance edited, and shows the change report before applying it.
func (m *Meridian) showImportQuotas() {
	s := m.session
	if s == nil {
		return
	}
	if s.plan.Quota == nil {
		m.showError(errors.New("The plan has no quota settings yet: set them and allocate quotas in the Quotas tab (Settings…), export the plan to Excel, and import the quotas finance edited in that workbook"))
		return
	}
	m.pickFile([]string{".xlsx"}, m.importQuotasFile)
}

// importQuotasFile reads the quotas of the workbook at path
// (xlsx.ReadQuotas) in the background, compares them with the active
// scenario's (planner.CompareQuotas) and shows the change report. Errors
// name the file, sheet, row and column. Cancel stops waiting for the read;
// nothing is applied before the report's Apply.
func (m *Meridian) importQuotasFile(path string) {
	s := m.session
	if s == nil {
		return
	}
	snap := s.snapshot()
	var changes []planner.QuotaChange
	m.runTask("Reading quotas from "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		progress(0.05)
		type result struct {
			entries []planner.QuotaEntry
			err     error
		}
		done := make(chan result, 1)
		go func() { // ReadQuotas takes no context: stop waiting on Cancel
			e, err := xlsx.ReadQuotas(path)
			done <- result{e, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		progress(0.8)
		var err error
		changes, err = planner.CompareQuotas(snap, r.entries, filepath.Base(path))
		progress(1)
		return err
	}, func() {
		if m.session != s {
			return
		}
		m.showQuotaChanges(s, path, changes)
	})
}

// showQuotaChanges shows the change report of an import of quotas: one line
// per territory whose quota changes (old, new, difference), the count and
// the total change. Apply stores the new quotas as set by hand, as one
// undoable change; Cancel changes nothing.
func (m *Meridian) showQuotaChanges(s *session, path string, changes []planner.QuotaChange) {
	set := s.plan.Quota
	currency := ""
	if set != nil {
		currency = set.Currency
	}
	money := func(x planner.Measure) string {
		if !x.Known {
			return "no quota"
		}
		return planner.FormatMoney(x.Value, currency)
	}
	name := filepath.Base(path)
	imp := &quotaImport{s: s, path: path, changes: changes}
	m.qv.lastImport = imp
	if len(changes) == 0 {
		imp.label = widget.NewLabel(name + ": every quota in the workbook equals the plan's; nothing to import.")
		imp.dialog = dialog.NewCustom("Import quotas", "Close", imp.label, m.win)
		imp.dialog.Show()
		return
	}
	rows := make([][]string, 0, len(changes)+1)
	total := 0.0
	for _, c := range changes {
		diff := planner.FormatMoney(c.Diff, currency)
		if c.Diff > 0 {
			diff = "+" + diff
		}
		rows = append(rows, []string{c.Territory, money(c.Old), money(c.New), diff})
		total += c.Diff
	}
	totalText := planner.FormatMoney(total, currency)
	if total > 0 {
		totalText = "+" + totalText
	}
	rows = append(rows, []string{"Total", "", "", totalText})
	imp.table = newTextTable([]textColumn{{"Territory", 170, false}, {"Old quota", 130, true}, {"New quota", 130, true}, {"Difference", 130, true}}, nil)
	bold := make([][]bool, len(rows))
	bold[len(rows)-1] = []bool{true, false, false, true}
	imp.table.setRows(nil, rows, bold)
	imp.label = widget.NewLabel(fmt.Sprintf("%s changes the quotas of %s, by %s in total. Nothing is applied yet: Apply stores the new quotas as set by hand (allocation keeps them); Edit > Undo takes them back.",
		name, plural(len(changes), "territory", "territories"), totalText))
	imp.label.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton("Cancel", func() { imp.dialog.Hide() })
	apply := widget.NewButtonWithIcon("Apply", theme.ConfirmIcon(), func() {
		imp.dialog.Hide()
		if err := m.applyQuotaImport(imp); err != nil {
			m.showError(err)
		}
	})
	apply.Importance = widget.HighImportance
	body := container.NewBorder(imp.label, container.NewHBox(layout.NewSpacer(), cancel, apply), nil, nil, imp.table.table)
	imp.dialog = dialog.NewCustomWithoutButtons("Import quotas: change report", body, m.win)
	imp.dialog.Resize(fyne.NewSize(640, 480))
	imp.dialog.Show()
}

// applyQuotaImport stores the quotas of report imp as set by hand (an
// unknown new quota removes the territory's quota), as one undoable
// change.
func (m *Meridian) applyQuotaImport(imp *quotaImport) error {
	s := imp.s
	if m.session != s {
		return errors.New("The plan changed since the workbook was read: import it again")
	}
	from := currentQuotaState(s.plan, s.scenario)
	to := from.clone()
	for _, c := range imp.changes {
		if s.territory(c.TerritoryID) == nil {
			return fmt.Errorf("Territory %s is no longer in the scenario: import the workbook again", c.Territory)
		}
		if c.New.Known {
			to.quotas[c.TerritoryID] = c.New.Value
			to.overridden[c.TerritoryID] = true
		} else {
			delete(to.quotas, c.TerritoryID)
			delete(to.overridden, c.TerritoryID)
		}
	}
	label := fmt.Sprintf("Import %s from %s", plural(len(imp.changes), "quota", "quotas"), filepath.Base(imp.path))
	m.commit(quotaChange(label, s.scenario.ID, from, to), false)
	return nil
}
