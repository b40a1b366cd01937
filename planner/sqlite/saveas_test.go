package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

func TestSaveAs(t *testing.T) {
	ctx := context.Background()
	want := SmallPlan()
	db := MustOpenDB(t)
	MustReplace(t, db, want)
	// An edit still in the WAL must be in the copy.
	if err := db.SetAlignment(ctx, 10, []string{"01003"}, 101); err != nil {
		t.Fatal(err)
	}
	want.Scenarios[1].Alignment["01003"] = 101

	dir := t.TempDir()
	dest := filepath.Join(dir, "copy.meridian")
	if err := db.SaveAs(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"copy.meridian"}) {
		t.Errorf("files = %q, want only copy.meridian", got)
	}
	// The copy is a single file in rollback-journal mode (header bytes 18
	// and 19 are 1), not in WAL mode (2).
	if buf, err := os.ReadFile(dest); err != nil || buf[18] != 1 || buf[19] != 1 {
		t.Errorf("copy's file format bytes: %v, %v", buf[18:20], err)
	}
	version, appID := header(t, dest)
	if version != sqlite.SchemaVersion || appID != sqlite.ApplicationID {
		t.Errorf("copy's header: user_version %d application_id %#x", version, appID)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm()&0o600 != 0o600 {
		t.Errorf("copy's mode: %v, %v", fi, err)
	}

	// The source goes on working on its own file.
	if err := db.RenameTerritory(ctx, 101, "Renamed after SaveAs"); err != nil {
		t.Fatal(err)
	}

	cp := MustOpenPath(t, dest)
	comparePlans(t, want, MustLoad(t, cp))
	MustCloseDB(t, cp)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"copy.meridian"}) {
		t.Errorf("files after closing the copy = %q", got)
	}
}

// An existing file at dest is replaced.
func TestSaveAs_Replace(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())

	dir := t.TempDir()
	dest := filepath.Join(dir, "old.meridian")
	writeFile(t, dest, []byte("an older, unrelated file"))
	if err := db.SaveAs(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"old.meridian"}) {
		t.Errorf("files = %q", got)
	}
	comparePlans(t, SmallPlan(), MustLoad(t, MustOpenPath(t, dest)))

	// Again, over a plan.
	other := LargePlan(10, 10, 2)
	MustReplace(t, db, other)
	if err := db.SaveAs(ctx, dest); err != nil {
		t.Fatal(err)
	}
	comparePlans(t, other, MustLoad(t, MustOpenPath(t, dest+"")))
}

// Failures leave dest as it was and no temporary file behind.
func TestSaveAs_Errors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	dir := t.TempDir()

	t.Run("missing folder", func(t *testing.T) {
		before := snapshotDir(t, dir)
		err := db.SaveAs(ctx, filepath.Join(dir, "missing", "copy.meridian"))
		if code := planner.ErrorCode(err); code != planner.EIO {
			t.Errorf("code %q (%v), want %q", code, err, planner.EIO)
		}
		if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
			t.Errorf("folder changed: %+v", after)
		}
	})
	t.Run("dest is a folder", func(t *testing.T) {
		sub := filepath.Join(dir, "sub.meridian")
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(sub)
		before := snapshotDir(t, dir)
		err := db.SaveAs(ctx, sub)
		if code := planner.ErrorCode(err); code != planner.EIO {
			t.Errorf("code %q (%v), want %q", code, err, planner.EIO)
		}
		if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
			t.Errorf("folder changed: %+v", after)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		dest := filepath.Join(dir, "keep.meridian")
		writeFile(t, dest, []byte("keep me"))
		defer os.Remove(dest)
		before := snapshotDir(t, dir)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := db.SaveAs(cctx, dest); err == nil {
			t.Error("SaveAs with a cancelled context succeeded")
		}
		if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
			t.Errorf("folder changed:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

// Saving a plan onto its own file does nothing and breaks nothing.
func TestSaveAs_Self(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	if err := db.SaveAs(context.Background(), db.Path); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(mustGetwd(t), db.Path)
	if err == nil {
		if err := db.SaveAs(context.Background(), rel); err != nil {
			t.Fatal(err)
		}
	}
	db = MustReopen(t, db)
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
