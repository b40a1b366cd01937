package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

func TestSavePath(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		bad        bool
	}{
		{"West plan", "/d/West plan.meridian", false},
		{"West plan.meridian", "/d/West plan.meridian", false},
		{"  West.MERIDIAN ", "/d/West.MERIDIAN", false},
		{"report.xlsx", "/d/report.xlsx.meridian", false},
		{"", "", true},
		{".meridian", "", true},
		{"../etc/passwd", "", true},
		{`a\b`, "", true},
		{".hidden", "", true},
	} {
		got, err := savePath("/d", tc.name, PlanExtension)
		if tc.bad {
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("savePath(%q) = %q, %v; want an EINVALID error", tc.name, got, err)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("savePath(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// overlayWidgets returns the widgets of type T in the top dialog.
func overlayWidgets[T fyne.CanvasObject](m *Meridian) []T {
	var out []T
	for _, o := range test.LaidOutObjects(m.win.Canvas().Overlays().Top()) {
		if w, ok := o.(T); ok && o.Visible() {
			out = append(out, w)
		}
	}
	return out
}

func tapButton(t *testing.T, m *Meridian, text string) {
	t.Helper()
	for _, b := range overlayWidgets[*widget.Button](m) {
		if b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no %q button in the dialog", text)
}

// TestChooseSavePathNeverTouchesFiles: choosing a name creates nothing, an
// existing file is replaced only after the user confirms, and cancelling the
// confirmation leaves it as it was.
func TestChooseSavePathNeverTouchesFiles(t *testing.T) {
	m := newTestMeridian(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "Plan.meridian")
	os.WriteFile(existing, []byte("precious"), 0o644)

	var chosen []string
	choose := func() {
		m.chooseSavePath("Save plan as", "Save", "New plan", PlanExtension, dir, func(p string) { chosen = append(chosen, p) })
	}
	// A new name: chosen at once, nothing created.
	choose()
	tapButton(t, m, "Save")
	if len(chosen) != 1 || chosen[0] != filepath.Join(dir, "New plan.meridian") {
		t.Fatalf("chosen = %q", chosen)
	}
	if _, err := os.Stat(chosen[0]); !os.IsNotExist(err) {
		t.Errorf("choosing a name created %s", chosen[0])
	}
	// An existing name: asks first; No keeps the file and chooses nothing.
	choose()
	entry := overlayWidgets[*widget.Entry](m)[0]
	entry.SetText("Plan")
	tapButton(t, m, "Save")
	tapButton(t, m, "No")
	if len(chosen) != 1 {
		t.Errorf("chosen after No = %q", chosen)
	}
	// Yes chooses it; the file is still untouched (the caller writes it).
	choose()
	overlayWidgets[*widget.Entry](m)[0].SetText("Plan.meridian")
	tapButton(t, m, "Save")
	tapButton(t, m, "Yes")
	if len(chosen) != 2 || chosen[1] != existing {
		t.Errorf("chosen after Yes = %q", chosen)
	}
	if b, _ := os.ReadFile(existing); string(b) != "precious" {
		t.Errorf("the existing file holds %q", b)
	}
}

// TestSaveAsOverExistingKeepsItOnFailure: Save As onto the open plan does
// nothing, and a Save As that fails (a read-only folder) leaves an existing
// target file as it was.
func TestSaveAsOverExistingKeepsItOnFailure(t *testing.T) {
	m := newTestMeridian(t)
	s, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(s)
	dir := t.TempDir()
	target := filepath.Join(dir, "Plan.meridian")
	os.WriteFile(target, []byte("precious"), 0o644)
	// The same path as the open plan: nothing happens.
	m.saveAs(s.db.Path)
	if m.session.db.Path != s.db.Path {
		t.Fatal("saving onto the open plan switched files")
	}
	if fi, err := os.Stat(s.db.Path); err != nil || fi.Size() == 0 {
		t.Fatalf("saving onto the open plan emptied it: %v", err)
	}
	// Make the folder read-only so the copy cannot be written (root ignores
	// the permission bits, so check that it really is read-only).
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if f, err := os.CreateTemp(dir, "probe"); err == nil {
		f.Close()
		os.Remove(f.Name())
		t.Skip("running as root: cannot make a read-only folder")
	}
	m.saveAs(target)
	if err := waitTask(t, m); planner.ErrorCode(err) != planner.EIO {
		t.Fatalf("Save As into a read-only folder: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious" {
		t.Errorf("the target holds %q after a failed Save As", b)
	}
}

// TestEmptyStateAndBusy: with no plan, Save As and Export are disabled and
// the map says what to do; a second task does not start while one runs; a
// missing path is an error, not a new file.
func TestEmptyStateAndBusy(t *testing.T) {
	m := newTestMeridian(t)
	for _, item := range m.needsPlan {
		if !item.Disabled {
			t.Errorf("%q is enabled with no plan open", item.Label)
		}
	}
	if !m.placeholder.Visible() || m.placeholder.Text != noPlanText {
		t.Errorf("placeholder %v %q", m.placeholder.Visible(), m.placeholder.Text)
	}
	missing := filepath.Join(t.TempDir(), "typo.meridian")
	m.open(missing)
	if err := waitTask(t, m); planner.ErrorCode(err) != planner.ENOTFOUND || planner.ErrorMessage(err) != "No plan file at "+missing {
		t.Errorf("open of a missing file: %v", err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("opening a missing file created it")
	}

	release := make(chan struct{})
	m.runTask("First", func(ctx context.Context, _ func(float64)) error { <-release; return nil }, nil)
	m.newFromSample() // refused while First runs
	if m.status.Text != "Busy: wait for the current task to finish, or cancel it." {
		t.Errorf("status = %q", m.status.Text)
	}
	close(release)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-taskEnds[m]:
		t.Errorf("a second task ran: %v", err)
	default:
	}
	s, err := m.buildSample(t.Context(), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	m.show(s)
	for _, item := range m.needsPlan {
		if item.Disabled {
			t.Errorf("%q is disabled with a plan open", item.Label)
		}
	}
	if m.placeholder.Visible() {
		t.Error("placeholder shown with a plan open")
	}
}
