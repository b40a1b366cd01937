package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// hospitals500 is the header and first 500 rows of the HIFLD hospitals file.
const hospitals500 = "testdata/import_hospitals_500.csv"

// newImportTestMeridian returns the main window with the sample plan open
// after removing its accounts (written to its file), so that an import adds
// every account it reads.
func newImportTestMeridian(t *testing.T) *Meridian {
	t.Helper()
	m := newTestMeridian(t)
	ctx := t.Context()
	s, err := m.buildSample(ctx, func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	p := *s.plan
	p.Accounts, p.CustomFields, p.PotentialName = nil, nil, ""
	if err := s.db.Apply(ctx, sqlite.ReplaceAccountsEdit(nil, nil, "")); err != nil {
		t.Fatal(err)
	}
	ns, err := newSession(ctx, s.db, &p)
	if err != nil {
		t.Fatal(err)
	}
	m.show(ns)
	derived := make(chan struct{}, 16)
	m.derivedHook = func() { derived <- struct{}{} }
	derivedEnds[m] = derived
	return m
}

// derivedEnds receives a value each time a derive after an edit was shown,
// per window.
var derivedEnds = map[*Meridian]chan struct{}{}

// waitImportDerived waits for the derive that an edit started to be shown, so
// that the test touches no widget while it is (the test driver runs fyne.Do
// on the calling goroutine).
func waitImportDerived(t *testing.T, m *Meridian) {
	t.Helper()
	select {
	case <-derivedEnds[m]:
	case <-time.After(60 * time.Second):
		t.Fatal("no derive within 60 s")
	}
}

// openWizard opens the wizard on path and waits for its preview.
func openWizard(t *testing.T, m *Meridian, path string) (*importWizard, error) {
	t.Helper()
	w := m.newImportWizard()
	loaded := make(chan error, 1)
	w.hook = func(err error) { loaded <- err }
	w.dlg.Show()
	w.openFile(path)
	select {
	case err := <-loaded:
		return w, err
	case <-time.After(30 * time.Second):
		t.Fatal("the preview was not read within 30 s")
		return nil, nil
	}
}

// loadAccounts reads the plan file again and returns its accounts.
func loadAccounts(t *testing.T, m *Meridian) *planner.Plan {
	t.Helper()
	m.session.writer.flush()
	p, err := m.session.db.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportWizardHospitals walks the wizard through the hospital file:
// preview, guessed mapping, problems and counts, import, undo and redo, and
// a re-import that updates by external ID.
func TestImportWizardHospitals(t *testing.T) {
	m := newImportTestMeridian(t)
	w, err := openWizard(t, m, hospitals500)
	if err != nil {
		t.Fatal(err)
	}
	// File step: how it was read and the preview.
	if got := w.src.header[:4]; !equalStrings(got, []string{"FID", "ID", "NAME", "ADDRESS"}) {
		t.Errorf("header starts %q", got)
	}
	if len(w.src.header) != 32 || w.src.headerRow != 1 || len(w.src.rows) != importPreviewRows {
		t.Errorf("%d columns, header row %d, %d preview rows", len(w.src.header), w.src.headerRow, len(w.src.rows))
	}
	for c, want := range map[int]string{0: "2", 1: "1", 2: "0005793230", 3: "CENTRAL VALLEY GENERAL HOSPITAL", 7: "93230", 30: "49", 31: "NOT AVAILABLE"} {
		if got := w.previewText(0, c); got != want {
			t.Errorf("preview row 1, column %d = %q, want %q", c, got, want)
		}
	}
	if got := w.previewText(19, 0); got != "21" {
		t.Errorf("last preview row is line %s, want 21", got)
	}
	if w.encSel.Selected != "UTF-8 with BOM" || w.delimSel.Selected != importDelimComma || w.endSel.SelectedIndex() != 0 || w.decSel.Selected != "1,234.5" {
		t.Errorf("read as %q, %q, %q, %q", w.encSel.Selected, w.delimSel.Selected, w.endSel.Selected, w.decSel.Selected)
	}
	if !strings.Contains(w.readLabel.Text, "UTF-8 with BOM, comma-separated, LF line endings") {
		t.Errorf("how it was read: %q", w.readLabel.Text)
	}
	if w.next.Disabled() {
		t.Fatal("Next is disabled after a good preview")
	}
	// Overriding the delimiter reads the preview again.
	reread := func(sel *widget.Select, choice string) {
		t.Helper()
		loaded := make(chan error, 1)
		w.hook = func(err error) { loaded <- err }
		// As the select's OnChanged does, but with the select refreshed
		// before the read starts: the test driver runs fyne.Do on the
		// reading goroutine, which would race the select's own refresh.
		w.quiet = true
		sel.SetSelected(choice)
		w.quiet = false
		w.dialectChanged()
		select {
		case err := <-loaded:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the preview was not read again")
		}
	}
	reread(w.delimSel, "Semicolon ;")
	if len(w.src.header) != 1 || w.src.dialect.Delimiter != ';' || !strings.Contains(w.readLabel.Text, "semicolon-separated") {
		t.Errorf("read with ';': %d columns, %q", len(w.src.header), w.readLabel.Text)
	}
	reread(w.delimSel, importDelimComma)
	if len(w.src.header) != 32 || w.previewText(0, 3) != "CENTRAL VALLEY GENERAL HOSPITAL" {
		t.Errorf("read with ',' again: %d columns", len(w.src.header))
	}

	// Mapping step: GuessMapping's guess preselected.
	test.Tap(w.next)
	if w.step != importStepMapping {
		t.Fatalf("step = %d", w.step)
	}
	for f, want := range map[planner.Field]string{
		planner.FieldExternalID: "ID", planner.FieldName: "NAME", planner.FieldZIP: "ZIP",
		planner.FieldLatitude: "LATITUDE", planner.FieldLongitude: "LONGITUDE", planner.FieldPotential: "BEDS",
		planner.FieldSegment: "TYPE", planner.FieldOwner: "OWNER", planner.FieldRevenue: importNone,
	} {
		if got := w.fieldSels[f].Selected; got != want {
			t.Errorf("%s ← %q, want %q", f, got, want)
		}
	}
	if got := w.fieldEgs[planner.FieldName].Text; got != "e.g. CENTRAL VALLEY GENERAL HOSPITAL" {
		t.Errorf("name example = %q", got)
	}
	for _, col := range []string{"FID", "TELEPHONE", "COUNTY", "COUNTRY", "TTL_STAFF"} {
		if !strings.Contains(w.customLbl.Text, col) {
			t.Errorf("custom fields %q lack %s", w.customLbl.Text, col)
		}
	}
	if strings.Contains(w.customLbl.Text, "BEDS") || strings.Contains(w.customLbl.Text, " NAME") {
		t.Errorf("custom fields %q hold a mapped column", w.customLbl.Text)
	}
	// Unmapping the name and the ID makes the mapping unusable.
	w.fieldSels[planner.FieldName].SetSelected(importNone)
	w.fieldSels[planner.FieldExternalID].SetSelected(importNone)
	if !w.next.Disabled() || w.mapErr.Text == "" {
		t.Errorf("no name or ID: Next disabled %v, message %q", w.next.Disabled(), w.mapErr.Text)
	}
	w.fieldSels[planner.FieldName].SetSelected("NAME")
	w.fieldSels[planner.FieldExternalID].SetSelected("ID")
	if w.next.Disabled() {
		t.Fatalf("Next disabled: %s", w.mapErr.Text)
	}

	// Problems step.
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if w.step != importStepProblems {
		t.Fatalf("step = %d", w.step)
	}
	res := w.res
	if res.Rows != 500 || len(res.Accounts) != 500 {
		t.Errorf("rows %d, accounts %d; want 500", res.Rows, len(res.Accounts))
	}
	// Every row of the file has its own point.
	n := countResult(res, w.errorRows, false)
	if n.matches[planner.MatchPoint] != 500 || n.matches[planner.MatchNone] != 0 {
		t.Errorf("match levels %v, want 500 exact points", n.matches)
	}
	// One hospital lies on the shore, within 5 km of a county.
	if n.placements != [3]int{planner.PlacedNone: 0, planner.PlacedInside: 499, planner.PlacedNearest: 1} {
		t.Errorf("placements %v, want 499 inside and 1 nearest", n.placements)
	}
	if len(res.Problems) != 0 || len(res.Duplicates) != 0 || res.ErrorRows != 0 {
		t.Errorf("%d problems, %d duplicate groups, %d error rows; want none", len(res.Problems), len(res.Duplicates), res.ErrorRows)
	}
	if !strings.Contains(w.counts.Text, "Read 500 rows from import_hospitals_500.csv: 500 accounts") ||
		!strings.Contains(w.counts.Text, "exact point 500 · postal code 0 · city 0 · none 0") ||
		!strings.Contains(w.counts.Text, "499 inside · 1 within 5 km of one · 0 in none") {
		t.Errorf("counts = %q", w.counts.Text)
	}

	// A problem report saved as CSV.
	report := filepath.Join(t.TempDir(), "problems.csv")
	if err := writeProblemReport(report, res.Problems); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(report); err != nil || !strings.HasPrefix(string(b), "Row,Column,Value,Severity,Problem\r\n") {
		t.Errorf("report = %.60q, %v", b, err)
	}

	// Import.
	want := n.toImport
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitImportDerived(t, m)
	if w.step != importStepDone || w.report.Added != want || w.report.Updated != 0 {
		t.Fatalf("step %d, report %+v, want %d added", w.step, w.report, want)
	}
	if !strings.Contains(w.summary.Text, "Added: "+formatCount(float64(want))) {
		t.Errorf("summary = %q", w.summary.Text)
	}
	if got := len(m.session.plan.Accounts); got != want {
		t.Errorf("plan in memory has %d accounts, want %d", got, want)
	}
	p := loadAccounts(t, m)
	if len(p.Accounts) != want || p.PotentialName != "BEDS" || len(p.CustomFields) == 0 {
		t.Fatalf("plan file: %d accounts, potential %q, %d custom fields; want %d accounts of BEDS", len(p.Accounts), p.PotentialName, len(p.CustomFields), want)
	}
	if a := p.Accounts[0]; a.Name != "CENTRAL VALLEY GENERAL HOSPITAL" || a.ExternalID != "0005793230" || a.ZIP != "93230" || a.Potential != planner.Known(49) || a.UnitCode != "06031" {
		t.Errorf("first account = %+v", a)
	}
	if len(m.session.points) == 0 || m.session.unitAccounts[m.session.plan.UnitIndex()["06031"]] == 0 {
		t.Error("the map's points and unit counts were not refreshed")
	}

	// Undo restores the accounts as they were (none), in memory and in the
	// file; redo imports them again.
	m.undo()
	waitImportDerived(t, m)
	if got := len(m.session.plan.Accounts); got != 0 {
		t.Errorf("after undo the plan has %d accounts", got)
	}
	if got := len(loadAccounts(t, m).Accounts); got != 0 {
		t.Errorf("after undo the file has %d accounts", got)
	}
	if len(m.session.points) != 0 {
		t.Errorf("after undo the map has %d points", len(m.session.points))
	}
	m.redo()
	waitImportDerived(t, m)
	if got := len(loadAccounts(t, m).Accounts); got != want {
		t.Errorf("after redo the file has %d accounts, want %d", got, want)
	}

	// Re-import of the same file: every account is matched by its
	// external ID, nothing is added.
	w2, err := openWizard(t, m, hospitals500)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(w2.next)
	test.Tap(w2.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	test.Tap(w2.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitImportDerived(t, m)
	if r := w2.report; r.Added != 0 || r.Unchanged+r.Updated != want || len(r.Removed) != 0 {
		t.Errorf("re-import report %+v, want %d unchanged or updated", r, want)
	}
	if got := len(loadAccounts(t, m).Accounts); got != want {
		t.Errorf("after re-import the file has %d accounts, want %d", got, want)
	}
}

// TestImportWizardBadNumber: a BEDS cell that is not a number is listed
// with its row and column, and the row is still imported.
func TestImportWizardBadNumber(t *testing.T) {
	m := newImportTestMeridian(t)
	w, err := openWizard(t, m, "testdata/import_bad_number.csv")
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(w.next)
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	found := false
	for r := range w.res.Problems {
		if w.problemText(r, 0) == "4" && w.problemText(r, 1) == "BEDS" && w.problemText(r, 2) == "12x" {
			found = true
			if got := w.problemText(r, 4); got != "'12x' is not a number; the potential is unknown" || w.problemText(r, 3) != "warning" {
				t.Errorf("problem = %q (%s)", got, w.problemText(r, 3))
			}
		}
	}
	if !found {
		t.Errorf("no problem at row 4, column BEDS in %+v", w.res.Problems)
	}
	if len(w.res.Accounts) != 3 || w.res.Accounts[2].Potential.Known {
		t.Errorf("accounts %d, third potential %v", len(w.res.Accounts), w.res.Accounts[2].Potential)
	}
}

// TestImportWizardCancel cancels while the rows are read and while the plan
// file is written: the plan file keeps its accounts (none) and its
// modification time.
func TestImportWizardCancel(t *testing.T) {
	m := newImportTestMeridian(t)
	modified, err := m.session.db.Modified(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w, err := openWizard(t, m, hospitals500)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(w.next)
	started := make(chan struct{})
	w.beforeImport = func(ctx context.Context) { close(started); <-ctx.Done() }
	test.Tap(w.next)
	<-started
	tapCancel(t, m)
	if err := waitTask(t, m); !errors.Is(err, context.Canceled) && planner.ErrorCode(err) != planner.ECANCELED {
		t.Fatalf("task ended with %v", err)
	}
	if w.step != importStepMapping || w.res != nil {
		t.Errorf("after cancel: step %d, result %v", w.step, w.res != nil)
	}

	// Read, then cancel the write.
	w.beforeImport = nil
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	writing := make(chan struct{})
	w.beforeWrite = func(ctx context.Context) { close(writing); <-ctx.Done() }
	test.Tap(w.next)
	<-writing
	tapCancel(t, m)
	if err := waitTask(t, m); !errors.Is(err, context.Canceled) {
		t.Fatalf("task ended with %v", err)
	}
	if w.step != importStepProblems || len(m.session.plan.Accounts) != 0 || len(m.session.history.done) != 0 {
		t.Errorf("after cancel: step %d, %d accounts, %d edits", w.step, len(m.session.plan.Accounts), len(m.session.history.done))
	}
	if got := len(loadAccounts(t, m).Accounts); got != 0 {
		t.Errorf("the file has %d accounts after cancel", got)
	}
	if mod, err := m.session.db.Modified(t.Context()); err != nil || !mod.Equal(modified) {
		t.Errorf("modified %v → %v (%v)", modified, mod, err)
	}
}

// tapCancel taps Cancel in the progress dialog on top of the window.
func tapCancel(t *testing.T, m *Meridian) {
	t.Helper()
	for _, o := range test.LaidOutObjects(m.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Cancel" {
			test.Tap(b)
			return
		}
	}
	t.Fatal("no Cancel button in the progress dialog")
}

// TestImportWizardXLS: an Excel 97-2003 file is refused with the message
// that says to save it as .xlsx.
func TestImportWizardXLS(t *testing.T) {
	m := newImportTestMeridian(t)
	path := filepath.Join(t.TempDir(), "accounts.xls")
	if err := os.WriteFile(path, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := openWizard(t, m, path)
	if planner.ErrorCode(err) != planner.EUNSUPPORTED {
		t.Fatalf("err = %v, want EUNSUPPORTED", err)
	}
	if txt := w.errLabel.Text; !strings.Contains(txt, "accounts.xls") || !strings.Contains(txt, "save it as") || !strings.Contains(txt, ".xlsx") {
		t.Errorf("message = %q", txt)
	}
	if !w.next.Disabled() || w.src != nil {
		t.Error("Next is enabled for an .xls file")
	}
}

// TestImportWizardXLSX: a workbook whose first sheet is empty opens on its
// first sheet with values, lists the empty one as empty and refuses it, and
// finds the header under a title row.
func TestImportWizardXLSX(t *testing.T) {
	m := newImportTestMeridian(t)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Notes")
	if _, err := f.NewSheet("Accounts"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Account export 2026"},
		{},
		{"Account Name", "Account ID", "Billing Zip/Postal Code", "Annual Revenue"},
		{"Acme Clinic", "A-1", "02134", 1200000},
		{"Beta Health", "A-2", "94103", 800000},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Accounts", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "crm.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	w, err := openWizard(t, m, path)
	if err != nil {
		t.Fatal(err)
	}
	if w.src.sheet != "Accounts" || w.src.headerRow != 3 || !equalStrings(w.src.header, []string{"Account Name", "Account ID", "Billing Zip/Postal Code", "Annual Revenue"}) {
		t.Errorf("sheet %q, header row %d, header %q", w.src.sheet, w.src.headerRow, w.src.header)
	}
	if opts := w.sheetSel.Options; len(opts) != 2 || opts[0] != "Notes (empty)" || w.sheetSel.Selected != opts[1] {
		t.Errorf("sheet choices %q, selected %q", opts, w.sheetSel.Selected)
	}
	if got := w.previewText(0, 1); got != "Acme Clinic" {
		t.Errorf("preview = %q", got)
	}
	w.sheetSel.SetSelectedIndex(0)
	if !strings.Contains(w.errLabel.Text, "Notes is empty") || w.src.sheet != "Accounts" || w.sheetSel.SelectedIndex() != 1 {
		t.Errorf("empty sheet chosen: %q, sheet %q", w.errLabel.Text, w.src.sheet)
	}
	test.Tap(w.next)
	if w.fieldSels[planner.FieldName].Selected != "Account Name" || w.fieldSels[planner.FieldZIP].Selected != "Billing Zip/Postal Code" ||
		w.fieldSels[planner.FieldPotential].Selected != "Annual Revenue" {
		t.Errorf("mapping: name %q, zip %q, potential %q", w.fieldSels[planner.FieldName].Selected,
			w.fieldSels[planner.FieldZIP].Selected, w.fieldSels[planner.FieldPotential].Selected)
	}
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	n := countResult(w.res, w.errorRows, false)
	if len(w.res.Accounts) != 2 || n.matches[planner.MatchPostal] != 2 {
		t.Errorf("%d accounts, matches %v; want 2 by postal code", len(w.res.Accounts), n.matches)
	}
}

// TestImportWizardSkipAndDuplicates: a row that cannot be located is an
// error row that the user may skip, and two rows with one external ID are a
// duplicate group merged by default, or kept.
func TestImportWizardSkipAndDuplicates(t *testing.T) {
	m := newImportTestMeridian(t)
	path := filepath.Join(t.TempDir(), "crm.csv")
	csv := "Account ID,Account Name,Billing Zip/Postal Code,Potential\n" +
		"A-1,Acme Clinic,02134,10\n" +
		"A-2,Nowhere Inc,,5\n" +
		"A-1,Acme Clinic Annex,02134,\n" +
		"A-3,Beta Health,94103,7\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := openWizard(t, m, path)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(w.next)
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if w.res.ErrorRows != 1 || !w.errorRows[3] || len(w.res.Duplicates) != 1 {
		t.Fatalf("error rows %d %v, duplicates %+v", w.res.ErrorRows, w.errorRows, w.res.Duplicates)
	}
	if got := w.duplicateText(0); got != "Rows 2, 4 (same external ID): Acme Clinic" {
		t.Errorf("duplicate group = %q", got)
	}
	if n := countResult(w.res, w.errorRows, false); n.accounts != 4 || n.toImport != 3 || n.matches[planner.MatchNone] != 1 {
		t.Errorf("import unlocated: %+v", n)
	}
	w.skipRadio.SetSelected(w.skipRadio.Options[0])
	if !w.skipBad || !strings.Contains(w.counts.Text, "3 accounts (1 rows with errors skipped); 2 to import") {
		t.Errorf("skip: %v, counts %q", w.skipBad, w.counts.Text)
	}
	test.Tap(w.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitImportDerived(t, m)
	p := loadAccounts(t, m)
	if len(p.Accounts) != 2 || p.Accounts[0].ExternalID != "A-1" || p.Accounts[0].Potential != planner.Known(10) || p.Accounts[1].Name != "Beta Health" {
		t.Fatalf("accounts = %+v", p.Accounts)
	}
	if w.report.Added != 2 || !strings.Contains(w.summary.Text, "Rows with errors skipped: 1") {
		t.Errorf("report %+v, summary %q", w.report, w.summary.Text)
	}

	// Keep both duplicates, and the unlocated row.
	m.undo()
	waitImportDerived(t, m)
	w2, err := openWizard(t, m, path)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(w2.next)
	test.Tap(w2.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	w2.dupAll.SetSelected("Keep all")
	if !strings.Contains(w2.counts.Text, "4 to import") {
		t.Errorf("counts %q", w2.counts.Text)
	}
	test.Tap(w2.next)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	waitImportDerived(t, m)
	if p := loadAccounts(t, m); len(p.Accounts) != 4 || p.Accounts[1].HasLocation || p.Accounts[2].ExternalID != "" {
		t.Errorf("accounts = %+v", p.Accounts)
	}
}
