package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/meridianplan/meridian/planner"
)

// newTestMeridian returns the main window on a headless test app, with
// untitled plans in a temporary folder.
func newTestMeridian(t *testing.T) *Meridian {
	t.Helper()
	a := test.NewTempApp(t)
	m := New(a)
	m.UntitledDir = t.TempDir()
	m.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 15, 0, 0, time.UTC) }
	t.Cleanup(func() {
		if m.session != nil {
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
	if len(s.areas) != 3231 || len(s.points) != 7146 {
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
	waitFor(t, func() bool { return m.session != nil && m.session.db.Path == dest })
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

// waitFor polls cond (work runs in goroutines and reports through fyne.Do).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		fyne.DoAndWait(func() { ok = cond() })
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met within 30 s")
}
