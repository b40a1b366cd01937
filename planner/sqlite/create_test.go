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

// TestCreatePlanFile: the new file holds the plan, is one file (no WAL or
// temporary file left), and replaces an existing file.
func TestCreatePlanFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "new.meridian")
	writeFile(t, path, []byte("old content"))
	want := SmallPlan()
	if err := sqlite.CreatePlanFile(ctx, path, want); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"new.meridian"}) {
		t.Errorf("files = %q, want only new.meridian", got)
	}
	if version, appID := header(t, path); version != sqlite.SchemaVersion || appID != sqlite.ApplicationID {
		t.Errorf("header: user_version %d application_id %#x", version, appID)
	}
	db, err := sqlite.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	comparePlans(t, want, got)
}

// TestCreatePlanFile_Errors: a bad plan, a missing folder, a folder as the
// target and a cancelled context leave the folder as it was.
func TestCreatePlanFile_Errors(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep.meridian")
	writeFile(t, keep, []byte("keep me"))
	sub := filepath.Join(dir, "sub.meridian")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	bad := SmallPlan()
	bad.Name = ""
	for _, tc := range []struct {
		name string
		ctx  context.Context
		path string
		plan *planner.Plan
		code string // "" for any error
	}{
		{"nil plan", context.Background(), keep, nil, planner.EINVALID},
		{"invalid plan", context.Background(), keep, bad, planner.EINVALID},
		{"missing folder", context.Background(), filepath.Join(dir, "missing", "x.meridian"), SmallPlan(), planner.EIO},
		{"folder", context.Background(), sub, SmallPlan(), planner.EIO},
		{"cancelled", cancelled, keep, SmallPlan(), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshotDir(t, dir)
			err := sqlite.CreatePlanFile(tc.ctx, tc.path, tc.plan)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.code != "" && planner.ErrorCode(err) != tc.code {
				t.Errorf("code %q (%v), want %q", planner.ErrorCode(err), err, tc.code)
			}
			if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
				t.Errorf("folder changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}
