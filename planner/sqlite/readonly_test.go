package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// permissionsApply reports whether the permission bits of dir, just made
// read-only, stop this process from creating a file in it. They do not for
// root (or with CAP_DAC_OVERRIDE).
func permissionsApply(t *testing.T, dir string) bool {
	t.Helper()
	probe := filepath.Join(dir, ".probe")
	f, err := os.OpenFile(probe, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return true
	}
	f.Close()
	os.Remove(probe)
	return false
}

// chmod changes the mode of path, and restores mode 0755 (folders) or 0644
// when the test ends, so that the test's folder can be removed.
func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		restore := os.FileMode(0o644)
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			restore = 0o755
		}
		os.Chmod(path, restore)
	})
}

// checkReadOnly opens the plan at path with OpenReadOnly, checks that it
// loads as want, that edits are refused and SaveAs works, and that the
// folder holds exactly what it held before, byte for byte, throughout.
func checkReadOnly(t *testing.T, path string, want *planner.Plan) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Dir(path)
	// File times have a coarse resolution on some systems; let any change
	// show.
	time.Sleep(10 * time.Millisecond)
	before := snapshotDir(t, dir)

	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	if db.Path != path {
		t.Errorf("Path = %q, want %q", db.Path, path)
	}
	comparePlans(t, want, MustLoad(t, db))
	if got := snapshotDir(t, dir); !reflect.DeepEqual(before, got) {
		t.Errorf("folder while open:\nbefore %+v\nnow    %+v", before, got)
	}
	if m, err := db.Modified(ctx); err != nil || !m.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Modified = %v, %v", m, err)
	}

	edits := map[string]func() error{
		"Replace":           func() error { return db.Replace(ctx, SmallPlan()) },
		"SetAlignment":      func() error { return db.SetAlignment(ctx, 10, []string{"01003"}, 101) },
		"RenameTerritory":   func() error { return db.RenameTerritory(ctx, 101, "Renamed") },
		"SetActiveScenario": func() error { return db.SetActiveScenario(ctx, 20) },
	}
	for name, edit := range edits {
		err := edit()
		if code := planner.ErrorCode(err); code != planner.EIO {
			t.Errorf("%s: code %q (%v), want %q", name, code, err, planner.EIO)
		}
		if msg := planner.ErrorMessage(err); !strings.Contains(msg, path) || !strings.Contains(msg, "opened read-only") {
			t.Errorf("%s: message %q", name, msg)
		}
	}

	// Save As keeps an editable copy elsewhere.
	copyPath := filepath.Join(t.TempDir(), "copy.meridian")
	if err := db.SaveAs(ctx, copyPath); err != nil {
		t.Fatalf("SaveAs: %v", err)
	}
	MustCloseDB(t, db)
	if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("OpenReadOnly changed the folder:\nbefore %+v\nafter  %+v", before, after)
	}
	cp := MustOpenPath(t, copyPath)
	comparePlans(t, want, MustLoad(t, cp))
}

// A plan in a writable folder (where the other tests run): nothing is
// written, and no -wal or -shm file appears, not even for a moment.
func TestOpenReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.meridian")
	mustWritePlan(t, path, SmallPlan())
	checkReadOnly(t, path, SmallPlan())
}

// A read-only plan file (0444): OpenReadOnly reads it and leaves nothing
// (it used to leave 0444 -wal and -shm files); Open refuses it with EIO and
// leaves nothing either.
func TestOpenReadOnly_ReadOnlyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	mustWritePlan(t, path, SmallPlan())
	chmod(t, path, 0o444)
	checkReadOnly(t, path, SmallPlan())

	t.Run("Open refuses it", func(t *testing.T) {
		if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			f.Close()
			t.Skip("running with privileges that ignore the file mode (root?)")
		}
		checkOpenRefused(t, path, planner.EIO, "cannot be written")
	})
}

// A plan in a read-only folder: OpenReadOnly reads it (SQLite could not
// create the -shm there); Open refuses it with EIO.
func TestOpenReadOnly_ReadOnlyFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	mustWritePlan(t, path, SmallPlan())
	chmod(t, dir, 0o555)
	checkReadOnly(t, path, SmallPlan())

	t.Run("Open refuses it", func(t *testing.T) {
		if !permissionsApply(t, dir) {
			t.Skip("running with privileges that ignore the folder's mode (root?)")
		}
		checkOpenRefused(t, path, planner.EIO, "cannot be written")
		// Nor can a new plan be created there.
		newPath := filepath.Join(dir, "new.meridian")
		for name, open := range map[string]func(string) (*sqlite.DB, error){"Open": sqlite.Open, "OpenReadOnly": sqlite.OpenReadOnly} {
			_, err := open(newPath)
			if name == "OpenReadOnly" {
				if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
					t.Errorf("%s of a new file: code %q (%v), want %q", name, code, err, planner.ENOTFOUND)
				}
				continue
			}
			if code := planner.ErrorCode(err); code != planner.EIO {
				t.Errorf("%s of a new file: code %q (%v), want %q", name, code, err, planner.EIO)
			}
			if msg := planner.ErrorMessage(err); !strings.Contains(msg, "Cannot create "+newPath) {
				t.Errorf("%s: message %q", name, msg)
			}
		}
		if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian"}) {
			t.Errorf("files = %q", got)
		}
	})
}

// checkOpenRefused checks that Open and OpenExisting refuse the file at
// path with code and a message naming it that contains text, and change
// nothing in its folder.
func checkOpenRefused(t *testing.T, path, code, text string) {
	t.Helper()
	dir := filepath.Dir(path)
	time.Sleep(10 * time.Millisecond)
	before := snapshotDir(t, dir)
	for name, open := range map[string]func(string) (*sqlite.DB, error){"Open": sqlite.Open, "OpenExisting": sqlite.OpenExisting} {
		db, err := open(path)
		if err == nil {
			db.Close()
			t.Fatalf("%s succeeded", name)
		}
		if got := planner.ErrorCode(err); got != code {
			t.Errorf("%s: code %q (%v), want %q", name, got, err, code)
		}
		msg := planner.ErrorMessage(err)
		if !strings.Contains(msg, path) || !strings.Contains(msg, text) {
			t.Errorf("%s: message %q does not name %s or say %q", name, msg, path, text)
		}
		if strings.Contains(err.Error(), "begin migration") {
			t.Errorf("%s: %v", name, err)
		}
		if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
			t.Errorf("%s changed the folder:\nbefore %+v\nafter  %+v", name, before, after)
		}
	}
}

// A file, or a plan's -wal, that cannot be written makes Open fail with EIO
// (not "begin migration: attempt to write a readonly database").
func TestOpen_ReadOnlySideFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	a := MustOpenPath(t, path)
	MustReplace(t, a, SmallPlan())
	// Leave the -wal and -shm behind, as a killed Meridian would, made
	// read-only.
	if err := a.SetAlignment(context.Background(), 10, []string{"01003"}, 101); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Skip("no -wal file on this system")
	}
	chmod(t, path+"-wal", 0o444)
	if f, err := os.OpenFile(path+"-wal", os.O_WRONLY, 0); err == nil {
		f.Close()
		t.Skip("running with privileges that ignore the file mode (root?)")
	}
	_, err := sqlite.Open(path)
	if code := planner.ErrorCode(err); code != planner.EIO {
		t.Errorf("code %q (%v), want %q", code, err, planner.EIO)
	}
	if msg := planner.ErrorMessage(err); !strings.Contains(msg, path+" cannot be written") {
		t.Errorf("message %q", msg)
	}
}

// An empty (0-byte) file holds no plan yet: OpenReadOnly says so and, unlike
// Open, leaves it empty.
func TestOpenReadOnly_EmptyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "empty.meridian")
	writeFile(t, path, nil)
	time.Sleep(10 * time.Millisecond)
	before := snapshotDir(t, dir)
	db, err := sqlite.OpenReadOnly(path)
	if err == nil {
		db.Close()
		t.Fatal("OpenReadOnly succeeded")
	}
	if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
		t.Errorf("code %q (%v), want %q", code, err, planner.ENOTFOUND)
	}
	if msg, want := planner.ErrorMessage(err), path+" holds no plan yet"; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) || after[0].Size != 0 {
		t.Errorf("OpenReadOnly changed the folder:\nbefore %+v\nafter  %+v", before, after)
	}
}

// A Meridian file with no tables (no schema) holds no plan yet.
func TestOpenReadOnly_NoSchema(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bare.meridian")
	rawExec(t, path, `PRAGMA application_id = 1297238340`, `PRAGMA user_version = `+strconv.Itoa(sqlite.SchemaVersion))
	before := snapshotDir(t, dir)
	_, err := sqlite.OpenReadOnly(path)
	if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
		t.Errorf("code %q (%v), want %q", code, err, planner.ENOTFOUND)
	}
	if msg, want := planner.ErrorMessage(err), path+" holds no plan yet"; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("folder changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// A new plan file that Open created holds no plan yet, read-only too.
func TestOpenReadOnly_NewPlan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.meridian")
	MustCloseDB(t, MustOpenPath(t, path))
	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Load(context.Background())
	if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
		t.Errorf("code %q (%v), want %q", code, err, planner.ENOTFOUND)
	}
	if msg, want := planner.ErrorMessage(err), path+" holds no plan yet"; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
}

func TestOpenReadOnly_Missing(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "missing.meridian"), filepath.Join(dir, "no", "such", "plan.meridian")} {
		_, err := sqlite.OpenReadOnly(path)
		if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
			t.Errorf("code %q (%v), want %q", code, err, planner.ENOTFOUND)
		}
		if msg, want := planner.ErrorMessage(err), "No plan file at "+path; msg != want {
			t.Errorf("message %q, want %q", msg, want)
		}
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("files = %q", got)
	}
}

// Files that are not plans, or are too new, are refused as Open refuses
// them, and left as they were.
func TestOpenReadOnly_Refused(t *testing.T) {
	for _, tt := range []struct {
		name string
		make func(t *testing.T, path string)
		code string
	}{
		{"text", func(t *testing.T, path string) { writeFile(t, path, []byte(strings.Repeat("County,State\n", 20))) }, planner.ENOTPLAN},
		{"other sqlite database in wal mode", func(t *testing.T, path string) {
			rawExec(t, path, `PRAGMA journal_mode = wal`, `CREATE TABLE t (x)`, `PRAGMA user_version = 1`)
		}, planner.ENOTPLAN},
		{"newer plan", func(t *testing.T, path string) {
			mustWritePlan(t, path, SmallPlan())
			rawExec(t, path, `PRAGMA user_version = 2147483647`)
		}, planner.ETOONEW},
		{"folder", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o755); err != nil {
				t.Fatal(err)
			}
		}, planner.ENOTPLAN},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "file.meridian")
			tt.make(t, path)
			time.Sleep(10 * time.Millisecond)
			before := snapshotDir(t, dir)
			_, err := sqlite.OpenReadOnly(path)
			if code := planner.ErrorCode(err); code != tt.code {
				t.Errorf("code %q (%v), want %q", code, err, tt.code)
			}
			if msg := planner.ErrorMessage(err); !strings.Contains(msg, path) {
				t.Errorf("message %q does not name %s", msg, path)
			}
			if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
				t.Errorf("folder changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

// The error for a plan of an older schema version, which OpenReadOnly
// cannot migrate. (No such file can exist while SchemaVersion is 1.)
func TestOpenReadOnly_OlderPlan(t *testing.T) {
	err := sqlite.OlderPlan("/plans/q3.meridian", 2, 3)
	if code := planner.ErrorCode(err); code != planner.EUNSUPPORTED {
		t.Errorf("code %q, want %q", code, planner.EUNSUPPORTED)
	}
	want := "/plans/q3.meridian was saved by an older version of Meridian (plan format 2; this version reads format 3). " +
		"Open it in Meridian once to upgrade it, then try again"
	if msg := planner.ErrorMessage(err); msg != want {
		t.Errorf("message %q\nwant    %q", msg, want)
	}
}

// While Meridian has the plan open, OpenReadOnly reads its edits from the
// WAL, sees later edits, and leaves the -wal and -shm to their owner.
func TestOpenReadOnly_WhileOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	rw := MustOpenPath(t, path)
	MustReplace(t, rw, SmallPlan())
	if err := rw.SetAlignment(ctx, 10, []string{"01003"}, 101); err != nil {
		t.Fatal(err)
	}
	want := SmallPlan()
	want.Scenarios[1].Alignment["01003"] = 101

	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	comparePlans(t, want, MustLoad(t, ro))
	if err := rw.RenameTerritory(ctx, 101, "North & Georgia"); err != nil {
		t.Fatal(err)
	}
	want.Scenarios[1].Territories[0].Name = "North & Georgia"
	comparePlans(t, want, MustLoad(t, ro))
	MustCloseDB(t, ro)
	MustCloseDB(t, rw)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian"}) {
		t.Errorf("files after both Close = %q", got)
	}
}

// A plan opened read-only while no one had it open, then written by
// Meridian: the next Load sees the new content, both while Meridian has it
// open and after Meridian closed it.
func TestOpenReadOnly_ChangedUnderneath(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	mustWritePlan(t, path, SmallPlan())
	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	comparePlans(t, SmallPlan(), MustLoad(t, ro))

	other := LargePlan(50, 60, 3)
	rw := MustOpenPath(t, path)
	MustReplace(t, rw, other) // checkpointed into the main file
	comparePlans(t, other, MustLoad(t, ro))
	if err := rw.RenameTerritory(ctx, 1, "Renamed"); err != nil { // in the WAL only
		t.Fatal(err)
	}
	other.Scenarios[0].Territories[0].Name = "Renamed"
	comparePlans(t, other, MustLoad(t, ro))
	if m, err := ro.Modified(ctx); err != nil || !m.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Modified = %v, %v", m, err)
	}
	// Meridian closes the plan while it is open read-only: the read-only
	// connection's lock keeps Meridian from removing the -wal and -shm,
	// as SQLite does for any reader, but Meridian's Close emptied the WAL.
	MustCloseDB(t, rw)

	// Several goroutines at once, after the writer has gone.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			p, err := ro.Load(ctx)
			if err != nil {
				t.Error(err)
			} else if p.Scenarios[0].Territories[0].Name != "Renamed" {
				t.Errorf("territory name %q", p.Scenarios[0].Territories[0].Name)
			}
		})
	}
	wg.Wait()
	MustCloseDB(t, ro)
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("-wal left with %d bytes", fi.Size())
	}
	// The next Open and Close clean up.
	MustCloseDB(t, MustOpenPath(t, path))
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian"}) {
		t.Errorf("files = %q", got)
	}
	// With the writer gone first, the reader leaves nothing.
	rw = MustOpenPath(t, path)
	if err := rw.RenameTerritory(ctx, 1, "Again"); err != nil {
		t.Fatal(err)
	}
	ro, err = sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, ro); got.Scenarios[0].Territories[0].Name != "Again" {
		t.Errorf("territory name %q", got.Scenarios[0].Territories[0].Name)
	}
	MustCloseDB(t, ro)
	MustCloseDB(t, rw)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian"}) {
		t.Errorf("files = %q", got)
	}
}

// Meridian was killed with an edit in the WAL, and the plan was copied with
// its -wal but not its -shm: the edit can be read only by creating a -shm,
// so OpenReadOnly refuses with EIO and creates nothing. With the -shm, it
// reads the edit.
func TestOpenReadOnly_LeftoverWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plan.meridian")
	rw := MustOpenPath(t, path)
	MustReplace(t, rw, SmallPlan())
	if err := rw.SetAlignment(ctx, 10, []string{"01003"}, 101); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Skipf("no WAL content on this system: %v", err)
	}
	want := SmallPlan()
	want.Scenarios[1].Alignment["01003"] = 101

	dir := t.TempDir()
	cp := filepath.Join(dir, "copy.meridian")
	copyFile(t, path, cp)
	copyFile(t, path+"-wal", cp+"-wal")
	time.Sleep(10 * time.Millisecond)
	before := snapshotDir(t, dir)
	_, err := sqlite.OpenReadOnly(cp)
	if code := planner.ErrorCode(err); code != planner.EIO {
		t.Errorf("code %q (%v), want %q", code, err, planner.EIO)
	}
	if msg := planner.ErrorMessage(err); !strings.Contains(msg, cp+"-wal") || !strings.Contains(msg, "Open the plan in Meridian") {
		t.Errorf("message %q", msg)
	}
	if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("folder changed:\nbefore %+v\nafter  %+v", before, after)
	}

	copyFile(t, path+"-shm", cp+"-shm")
	before = snapshotDir(t, dir)
	ro, err := sqlite.OpenReadOnly(cp)
	if err != nil {
		t.Fatal(err)
	}
	comparePlans(t, want, MustLoad(t, ro))
	MustCloseDB(t, ro)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"copy.meridian", "copy.meridian-shm", "copy.meridian-wal"}) {
		t.Errorf("files = %q", got)
	}
	if after := snapshotDir(t, dir); !reflect.DeepEqual(before[0], after[0]) {
		t.Errorf("plan file changed:\nbefore %+v\nafter  %+v", before[0], after[0])
	}

	// Open (read-write) folds the WAL in and leaves one file.
	MustCloseDB(t, MustOpenPath(t, cp))
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"copy.meridian"}) {
		t.Errorf("files after Open and Close = %q", got)
	}
	comparePlans(t, want, MustLoad(t, MustOpenPath(t, cp)))
}

// After Replace, the main file alone holds the plan: a copy of it without
// its -wal (a hard kill, a backup tool) loads in full.
func TestReplace_Checkpoints(t *testing.T) {
	ctx := context.Background()
	for _, want := range []*planner.Plan{SmallPlan(), LargePlan(1000, 2000, 9)} {
		db := MustOpenDB(t)
		MustReplace(t, db, want)
		cp := filepath.Join(t.TempDir(), "copy.meridian")
		copyFile(t, db.Path, cp)
		for name, open := range map[string]func(string) (*sqlite.DB, error){"Open": sqlite.Open, "OpenReadOnly": sqlite.OpenReadOnly} {
			c, err := open(cp)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := c.Load(ctx)
			if err != nil {
				t.Fatalf("%s: Load of the copy: %v", name, err)
			}
			comparePlans(t, want, got)
			MustCloseDB(t, c)
		}
		// Small edits may stay in the WAL; the plan is still there.
		if err := db.SetActiveScenario(ctx, want.Scenarios[0].ID); err != nil {
			t.Fatal(err)
		}
		copyFile(t, db.Path, cp)
		c := MustOpenPath(t, cp)
		if got := MustLoad(t, c); got.Name != want.Name || len(got.Units) != len(want.Units) {
			t.Errorf("copy after an edit: %q, %d units", got.Name, len(got.Units))
		}
	}
}

// OpenExisting opens what Open opens, but creates nothing for a path where
// there is no file.
func TestOpenExisting(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "typo.meridian"), filepath.Join(dir, "no such folder", "plan.meridian")} {
		db, err := sqlite.OpenExisting(path)
		if err == nil {
			db.Close()
			t.Fatalf("OpenExisting(%s) succeeded", path)
		}
		if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
			t.Errorf("code %q (%v), want %q", code, err, planner.ENOTFOUND)
		}
		if msg, want := planner.ErrorMessage(err), "No plan file at "+path; msg != want {
			t.Errorf("message %q, want %q", msg, want)
		}
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("files = %q", got)
	}

	// An existing plan opens for editing.
	path := filepath.Join(dir, "plan.meridian")
	mustWritePlan(t, path, SmallPlan())
	db, err := sqlite.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if err := db.SetActiveScenario(context.Background(), 20); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)
	if got := MustLoad(t, MustOpenPath(t, path)); got.ActiveScenario != 20 {
		t.Errorf("ActiveScenario = %d, want 20", got.ActiveScenario)
	}

	// An empty file becomes a new plan, as with Open; refusals are Open's.
	empty := filepath.Join(dir, "empty.meridian")
	writeFile(t, empty, nil)
	db, err = sqlite.OpenExisting(empty)
	if err != nil {
		t.Fatal(err)
	}
	MustReplace(t, db, SmallPlan())
	MustCloseDB(t, db)
	text := filepath.Join(dir, "notes.meridian")
	writeFile(t, text, []byte("not a plan, but long enough to have a header of one hundred bytes, if it were a database file at all."))
	if _, err := sqlite.OpenExisting(text); planner.ErrorCode(err) != planner.ENOTPLAN {
		t.Errorf("OpenExisting of a text file: %v, want ENOTPLAN", err)
	}
}

// Meridian was killed with an edit in the WAL, and the folder is read-only
// now: OpenReadOnly reads the edit through the existing, read-only -shm,
// and changes nothing.
func TestOpenReadOnly_LeftoverWALReadOnlyFolder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plan.meridian")
	rw := MustOpenPath(t, path)
	MustReplace(t, rw, SmallPlan())
	if err := rw.RenameTerritory(ctx, 101, "Killed"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
		t.Skipf("no WAL content on this system: %v", err)
	}
	want := SmallPlan()
	want.Scenarios[1].Territories[0].Name = "Killed"

	dir := t.TempDir()
	cp := filepath.Join(dir, "plan.meridian")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		copyFile(t, path+suffix, cp+suffix)
		chmod(t, cp+suffix, 0o444)
	}
	chmod(t, dir, 0o555)
	time.Sleep(10 * time.Millisecond)
	before := snapshotDir(t, dir)
	ro, err := sqlite.OpenReadOnly(cp)
	if err != nil {
		t.Fatal(err)
	}
	comparePlans(t, want, MustLoad(t, ro))
	MustCloseDB(t, ro)
	// A reader may record its read mark in a -shm that it can write (as
	// root can, whatever the mode): that is SQLite's shared memory, not
	// data. The rest stays byte for byte.
	after := snapshotDir(t, dir)
	for i := range after {
		if i < len(before) && after[i].Name == "plan.meridian-shm" {
			after[i].Sum, after[i].ModTime = before[i].Sum, before[i].ModTime
		}
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("folder changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// A copy in rollback-journal mode (from SaveAs) opened read-only, then
// opened by Meridian, which switches it to WAL, edits it and closes it: the
// next read sees the edit and creates no -wal or -shm.
func TestOpenReadOnly_RollbackFile(t *testing.T) {
	ctx := context.Background()
	src := MustOpenDB(t)
	MustReplace(t, src, SmallPlan())
	dir := t.TempDir()
	path := filepath.Join(dir, "copy.meridian")
	if err := src.SaveAs(ctx, path); err != nil {
		t.Fatal(err)
	}
	checkReadOnly(t, path, SmallPlan())

	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	comparePlans(t, SmallPlan(), MustLoad(t, ro))
	rw := MustOpenPath(t, path)
	if err := rw.RenameTerritory(ctx, 101, "Edited"); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, rw)
	if buf, err := os.ReadFile(path); err != nil || buf[18] != 2 {
		t.Fatalf("file format bytes after Open: %v, %v; want WAL (2)", buf[18:20], err)
	}
	if got := MustLoad(t, ro).Scenarios[1].Territories[0].Name; got != "Edited" {
		t.Errorf("territory name %q, want Edited", got)
	}
	MustCloseDB(t, ro)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"copy.meridian"}) {
		t.Errorf("files = %q", got)
	}
}
