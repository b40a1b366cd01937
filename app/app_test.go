package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
)

// taskEnds receives the error of every task that ends, per window.
var taskEnds = map[*Meridian]chan error{}

// newTestMeridian returns the main window on a headless test app, with
// untitled plans in a temporary folder.
func newTestMeridian(t *testing.T) *Meridian {
	t.Helper()
	a := test.NewTempApp(t)
	m := New(a)
	m.UntitledDir = t.TempDir()
	m.syncDerive = true // the test driver runs fyne.Do inline: see Meridian.syncDerive
	m.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC) }
	ended := make(chan error, 1)
	m.taskEnded = func(err error) { ended <- err }
	taskEnds[m] = ended
	t.Cleanup(func() {
		// Background derives update widgets through fyne.Do, which the test
		// driver runs on their own goroutine: let them finish (without
		// touching the UI) before the next test, or they race with it.
		m.quitting.Store(true)
		m.tasks.Wait()
		if m.session != nil {
			if m.session.writer != nil {
				m.session.writer.stop()
			}
			m.session.db.Close()
		}
	})
	return m
}

// TestSampleWindow builds the sample plan as `meridian` does without a file
// and checks what the window shows: the title, the 9-row territory table with
// values, the summary, and a map with every county.
func TestSampleWindow(t *testing.T) {
	m := newTestMeridian(t)
	s, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(s)

	if got := m.win.Title(); got != "Meridian — US Hospitals sample" {
		t.Errorf("title = %q", got)
	}
	rows, cols := m.table.Length()
	if rows != 9 || cols != 10 {
		t.Fatalf("territory table is %d×%d, want 9 rows × 10 columns", rows, cols)
	}
	if got := m.table.cellText(0, 0); got != "New England" {
		t.Errorf("row 0 = %q", got)
	}
	if got := m.table.cellText(8, 0); got != "Pacific" {
		t.Errorf("row 8 = %q", got)
	}
	// New England: 67 counties, 15,386,085 people (Census 2024).
	if got := m.table.cellText(0, 2); got != "67" {
		t.Errorf("New England units = %q", got)
	}
	if got := m.table.cellText(0, 6); got != "15,386,085" {
		t.Errorf("New England population = %q", got)
	}
	if got := m.table.cellText(0, 1); got != "Vacant" {
		t.Errorf("New England rep = %q", got)
	}
	if got := m.table.columns[8].title; got != "Beds" {
		t.Errorf("potential column is titled %q", got)
	}
	if !strings.Contains(m.summary.Text, "White space: 89 units (89 without population data), 81 accounts") {
		t.Errorf("summary = %q", m.summary.Text)
	}
	if !strings.HasPrefix(s.db.Path, m.UntitledDir) || !strings.HasSuffix(s.db.Path, "US Hospitals sample 2026-11-30 0915.meridian") {
		t.Errorf("plan file = %q", s.db.Path)
	}
	// Every hospital has a dot but the one in Palau, which is not on a US map.
	if len(s.areas) != 3231 || len(s.points) != 7145 {
		t.Errorf("map has %d areas and %d points", len(s.areas), len(s.points))
	}
	// Hover text for Los Angeles County.
	la := s.plan.UnitIndex()["06037"]
	tip := s.tooltip(la)
	for _, want := range []string{"Los Angeles County, California", "Territory: Pacific", "Population: 9,757,179", "Accounts: "} {
		if !strings.Contains(tip, want) {
			t.Errorf("tooltip %q lacks %q", tip, want)
		}
	}
	// Puerto Rico: white space, no data.
	pr := s.tooltip(s.plan.UnitIndex()["72127"])
	if !strings.Contains(pr, "White space") || !strings.Contains(pr, "Population: no data") {
		t.Errorf("San Juan tooltip = %q", pr)
	}
}

// TestOpenRejectsNonPlan opens a text file: the error names it, the file is
// unchanged and no session opens.
func TestOpenRejectsNonPlan(t *testing.T) {
	m := newTestMeridian(t)
	path := filepath.Join(t.TempDir(), "notes.meridian")
	if err := os.WriteFile(path, []byte("not a plan\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := openSession(t.Context(), path, func(float64) {})
	if planner.ErrorCode(err) != planner.ENOTPLAN || !strings.Contains(planner.ErrorMessage(err), "notes.meridian") {
		t.Fatalf("err = %v (code %s)", err, planner.ErrorCode(err))
	}
	if b, _ := os.ReadFile(path); string(b) != "not a plan\n" {
		t.Errorf("file changed to %q", b)
	}
	if m.session != nil {
		t.Error("a session opened")
	}
}

// TestSaveAsContinuesInCopy saves the untitled sample elsewhere: the copy
// opens with the same metrics, the untitled file is gone.
func TestSaveAsContinuesInCopy(t *testing.T) {
	m := newTestMeridian(t)
	s, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(s)
	untitled := s.db.Path
	dest := filepath.Join(t.TempDir(), "West plan.meridian")
	m.saveAs(dest)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if m.session.db.Path != dest {
		t.Fatalf("working in %s, want %s", m.session.db.Path, dest)
	}
	if _, err := os.Stat(untitled); !os.IsNotExist(err) {
		t.Errorf("untitled file %s still exists (err %v)", untitled, err)
	}
	s2, err := openSession(t.Context(), dest, func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.db.Close()
	if s2.metrics.Total != s.metrics.Total || len(s2.metrics.Territories) != 9 {
		t.Errorf("copy metrics %+v, want %+v", s2.metrics.Total, s.metrics.Total)
	}
	if !strings.Contains(m.status.Text, dest) {
		t.Errorf("status = %q", m.status.Text)
	}
}

// waitTask waits for the task that the test started to end and returns its
// error. Receiving from the channel orders the task's UI updates before the
// test's reads.
func waitTask(t *testing.T, m *Meridian) error {
	t.Helper()
	select {
	case err := <-taskEnds[m]:
		return err
	case <-time.After(60 * time.Second):
		t.Fatal("the task did not end within 60 s")
		return nil
	}
}

// TestTableRendered lays the window out at 1440×900 and finds every
// territory's name drawn exactly once in the territory table.
func TestTableRendered(t *testing.T) {
	m := newTestMeridian(t)
	s, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(s)
	m.win.Resize(fyne.NewSize(1440, 900))
	seen := map[string]int{}
	for _, o := range test.LaidOutObjects(m.table) {
		if txt, ok := o.(*canvas.Text); ok && o.Visible() {
			seen[txt.Text]++
		}
	}
	for _, name := range sample.Divisions {
		if seen[name] != 1 {
			t.Errorf("%q drawn %d times in the table", name, seen[name])
		}
	}
	for _, h := range []string{"Territory", "Population", "Beds", "Accounts"} {
		if seen[h] == 0 {
			t.Errorf("header %q not drawn", h)
		}
	}
}

// TestExport writes the workbook as File > Export to Excel… does.
func TestExport(t *testing.T) {
	m := newTestMeridian(t)
	s, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(s)
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	m.export(path)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.status.Text, "Exported "+path) {
		t.Errorf("status = %q", m.status.Text)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Row 10 is the ninth territory: region West, territory Pacific.
	if a, _ := f.GetCellValue("Territories", "A10"); a != "West" {
		t.Errorf("Territories!A10 = %q", a)
	}
	if b, _ := f.GetCellValue("Territories", "B10"); b != "Pacific" {
		t.Errorf("Territories!B10 = %q", b)
	}
}

// TestTaskCancel taps Cancel in the progress dialog of a long task: the work
// sees its context cancelled and the status bar says so.
func TestTaskCancel(t *testing.T) {
	m := newTestMeridian(t)
	started := make(chan struct{})
	m.runTask("Counting to infinity…", func(ctx context.Context, progress func(float64)) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}, func() { t.Error("onDone ran for a cancelled task") })
	<-started
	var cancel *widget.Button
	for _, o := range test.LaidOutObjects(m.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Cancel" {
			cancel = b
		}
	}
	if cancel == nil {
		t.Fatal("no Cancel button in the progress dialog")
	}
	test.Tap(cancel)
	if err := waitTask(t, m); !errors.Is(err, context.Canceled) {
		t.Fatalf("task ended with %v", err)
	}
	if m.status.Text != "Counting to infinity… cancelled." {
		t.Errorf("status = %q", m.status.Text)
	}
	if m.win.Canvas().Overlays().Top() != nil {
		t.Error("the progress dialog is still shown")
	}
}

// TestUntitledSampleNotPiledUp: building the sample again replaces an
// untitled plan nobody edited (it is deleted, not kept as a copy), while an
// edited one is kept.
func TestUntitledSampleNotPiledUp(t *testing.T) {
	m := newTestMeridian(t)
	first, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(first)
	m.Now = func() time.Time { return time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) }
	second, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(second)
	if _, err := os.Stat(first.db.Path); !os.IsNotExist(err) {
		t.Errorf("unedited untitled plan %s kept (err %v)", first.db.Path, err)
	}
	// An edit makes it worth keeping.
	second.db.Now = func() time.Time { return time.Date(2026, 11, 30, 10, 5, 0, 0, time.UTC) }
	if err := second.db.RenameTerritory(t.Context(), 1, "Northeast"); err != nil {
		t.Fatal(err)
	}
	m.Now = func() time.Time { return time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC) }
	third, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(third)
	if _, err := os.Stat(second.db.Path); err != nil {
		t.Errorf("edited untitled plan was removed: %v", err)
	}
	plans, _ := filepath.Glob(filepath.Join(m.UntitledDir, "*"+PlanExtension))
	if len(plans) != 2 {
		t.Errorf("untitled folder holds %q, want the edited and the open plan", plans)
	}
}
