package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	_ "modernc.org/sqlite"
)

// MustOpenDB opens a new plan file in a temporary directory, with a fixed
// clock. It is closed when the test ends.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "plan.meridian"))
}

// MustOpenPath opens the plan file at path. It is closed when the test ends.
func MustOpenPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	db.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// MustCloseDB closes db. Fatal on error.
func MustCloseDB(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// MustReopen closes db and opens its file again.
func MustReopen(tb testing.TB, db *sqlite.DB) *sqlite.DB {
	tb.Helper()
	MustCloseDB(tb, db)
	return MustOpenPath(tb, db.Path)
}

// MustLoad loads the plan. Fatal on error.
func MustLoad(tb testing.TB, db *sqlite.DB) *planner.Plan {
	tb.Helper()
	p, err := db.Load(context.Background())
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return p
}

// MustReplace writes p. Fatal on error.
func MustReplace(tb testing.TB, db *sqlite.DB, p *planner.Plan) {
	tb.Helper()
	if err := db.Replace(context.Background(), p); err != nil {
		tb.Fatalf("Replace: %v", err)
	}
}

// fileState is what a test expects to stay the same about a file.
type fileState struct {
	Name    string
	Size    int64
	Mode    fs.FileMode
	ModTime time.Time
	Sum     [32]byte
}

// snapshotDir lists dir with each file's size, mode, time and content hash.
func snapshotDir(tb testing.TB, dir string) []fileState {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var states []fileState
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			tb.Fatal(err)
		}
		st := fileState{Name: e.Name(), Size: fi.Size(), Mode: fi.Mode(), ModTime: fi.ModTime()}
		if fi.Mode().IsRegular() {
			buf, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			st.Sum = sha256.Sum256(buf)
		}
		states = append(states, st)
	}
	return states
}

// names returns the names of the entries of dir, sorted.
func names(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	sort.Strings(ns)
	return ns
}

// header returns user_version and application_id from the file's header.
func header(tb testing.TB, path string) (version, appID uint32) {
	tb.Helper()
	buf, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if len(buf) < 100 || string(buf[:16]) != "SQLite format 3\x00" {
		tb.Fatalf("%s has no SQLite header", path)
	}
	return binary.BigEndian.Uint32(buf[60:]), binary.BigEndian.Uint32(buf[68:])
}

// rawExec runs statements on the SQLite file at path with the driver alone.
func rawExec(tb testing.TB, path string, stmts ...string) {
	tb.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

func TestApplicationID(t *testing.T) {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], sqlite.ApplicationID)
	if string(b[:]) != "MRID" {
		t.Fatalf("ApplicationID spells %q, want MRID", b[:])
	}
}

// A new file gets the schema, the application ID and the schema version in
// its header, holds no plan yet, and is one file after Close.
func TestOpen_New(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.meridian")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if db.Path != path {
		t.Errorf("Path = %q, want %q", db.Path, path)
	}
	_, err = db.Load(context.Background())
	if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
		t.Errorf("Load of a new file: code %q (%v), want %q", code, err, planner.ENOTFOUND)
	}
	if _, err := db.Modified(context.Background()); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("Modified of a new file: %v, want ENOTFOUND", err)
	}
	MustCloseDB(t, db)
	MustCloseDB(t, db) // a second Close does nothing

	if got := names(t, dir); !reflect.DeepEqual(got, []string{"new.meridian"}) {
		t.Errorf("files after Close = %q, want only new.meridian", got)
	}
	version, appID := header(t, path)
	if version != sqlite.SchemaVersion || appID != sqlite.ApplicationID {
		t.Errorf("header user_version %d application_id %#x, want %d %#x", version, appID, sqlite.SchemaVersion, sqlite.ApplicationID)
	}

	// Opening it again needs no migration and loads the same nothing.
	db = MustOpenPath(t, path)
	if _, err := db.Load(context.Background()); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("Load after reopen: %v, want ENOTFOUND", err)
	}
}

// An empty file (as a file dialog may create) becomes a new plan.
func TestOpen_EmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.meridian")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db := MustOpenPath(t, path)
	MustReplace(t, db, SmallPlan())
	db = MustReopen(t, db)
	if got := MustLoad(t, db); got.Name != SmallPlan().Name {
		t.Errorf("Name = %q", got.Name)
	}
}

// Paths with characters that mean something in a URI work.
func TestOpen_OddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Q3 plans #2 (100%)")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "what?&mode=ro.meridian")
	db := MustOpenPath(t, path)
	MustReplace(t, db, SmallPlan())
	db = MustReopen(t, db)
	MustLoad(t, db)
	MustCloseDB(t, db)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"what?&mode=ro.meridian"}) {
		t.Errorf("files = %q", got)
	}
}

// Files that are not Meridian plans, or are plans from a newer Meridian, are
// refused before SQLite touches them.
func TestOpen_Refused(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 300)...)
	for i := range png[16:] {
		png[16+i] = byte(i * 7)
	}
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		code string
	}{
		{"short text", func(t *testing.T, path string) {
			writeFile(t, path, []byte("territories: north, south\n"))
		}, planner.ENOTPLAN},
		{"long text", func(t *testing.T, path string) {
			writeFile(t, path, []byte(strings.Repeat("County,State,Population\n", 50)))
		}, planner.ENOTPLAN},
		{"png", func(t *testing.T, path string) { writeFile(t, path, png) }, planner.ENOTPLAN},
		{"other sqlite database", func(t *testing.T, path string) {
			rawExec(t, path, `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)`,
				`INSERT INTO customers (name) VALUES ('Acme')`)
		}, planner.ENOTPLAN},
		{"other sqlite database in wal mode", func(t *testing.T, path string) {
			rawExec(t, path, `PRAGMA journal_mode = wal`, `CREATE TABLE t (x)`, `PRAGMA user_version = 1`)
		}, planner.ENOTPLAN},
		{"meridian application id without version", func(t *testing.T, path string) {
			rawExec(t, path, `PRAGMA application_id = 1297238340`, `CREATE TABLE t (x)`)
		}, planner.ENOTPLAN},
		{"newer plan", func(t *testing.T, path string) {
			db, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Replace(context.Background(), SmallPlan()); err != nil {
				t.Fatal(err)
			}
			MustCloseDB(t, db)
			rawExec(t, path, `PRAGMA user_version = 2147483647`)
		}, planner.ETOONEW},
		{"next plan version", func(t *testing.T, path string) {
			db, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			MustCloseDB(t, db)
			rawExec(t, path, `PRAGMA user_version = `+strconv.Itoa(sqlite.SchemaVersion+1))
		}, planner.ETOONEW},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "file.meridian")
			tt.make(t, path)
			// File times have a coarse resolution on some systems; let any
			// change by Open show.
			time.Sleep(10 * time.Millisecond)
			before := snapshotDir(t, dir)
			if len(before) != 1 {
				t.Fatalf("setup left %d files: %+v", len(before), before)
			}

			db, err := sqlite.Open(path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if code := planner.ErrorCode(err); code != tt.code {
				t.Errorf("code %q (%v), want %q", code, err, tt.code)
			}
			if msg := planner.ErrorMessage(err); !strings.Contains(msg, path) {
				t.Errorf("message %q does not name %s", msg, path)
			}
			if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
				t.Errorf("Open changed the folder:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

func TestOpen_Folder(t *testing.T) {
	dir := t.TempDir()
	_, err := sqlite.Open(dir)
	if code := planner.ErrorCode(err); code != planner.ENOTPLAN {
		t.Errorf("code %q (%v), want %q", code, err, planner.ENOTPLAN)
	}
}

// A failed creation (here: the folder does not exist) leaves nothing.
func TestOpen_MissingFolder(t *testing.T) {
	dir := t.TempDir()
	_, err := sqlite.Open(filepath.Join(dir, "missing", "plan.meridian"))
	if err == nil {
		t.Fatal("Open succeeded")
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("files left: %q", got)
	}
}

// After edits and Close, the plan is one file: no -wal or -shm remains.
func TestClose_OneFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	db := MustOpenPath(t, path)
	MustReplace(t, db, SmallPlan())
	if err := db.SetAlignment(context.Background(), 10, []string{"01003"}, 103); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian", "plan.meridian-shm", "plan.meridian-wal"}) {
		t.Logf("files while open = %q (expected WAL files)", got)
	}
	MustCloseDB(t, db)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian"}) {
		t.Errorf("files after Close = %q, want only plan.meridian", got)
	}
	// The one file holds the edit.
	db = MustOpenPath(t, path)
	if got := MustLoad(t, db).Scenario(10).Alignment["01003"]; got != 103 {
		t.Errorf("alignment of 01003 = %d, want 103", got)
	}
}

// Methods of a closed DB fail instead of panicking.
func TestClosed(t *testing.T) {
	db := MustOpenDB(t)
	MustCloseDB(t, db)
	ctx := context.Background()
	if _, err := db.Load(ctx); err == nil {
		t.Error("Load on a closed DB succeeded")
	}
	if err := db.Replace(ctx, SmallPlan()); err == nil {
		t.Error("Replace on a closed DB succeeded")
	}
	if err := db.SetActiveScenario(ctx, 10); err == nil {
		t.Error("SetActiveScenario on a closed DB succeeded")
	}
	if err := db.SaveAs(ctx, filepath.Join(t.TempDir(), "x.meridian")); err == nil {
		t.Error("SaveAs on a closed DB succeeded")
	}
}

func writeFile(t *testing.T, path string, buf []byte) {
	t.Helper()
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Two handles on one file, as two windows on the same plan would have: each
// sees the other's edits, and the last Close leaves one file.
func TestTwoHandles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.meridian")
	a := MustOpenPath(t, path)
	MustReplace(t, a, SmallPlan())
	b := MustOpenPath(t, path)
	if err := b.SetAlignment(ctx, 10, []string{"01005"}, 103); err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, a).Scenario(10).Alignment["01005"]; got != 103 {
		t.Errorf("a sees alignment %d, want 103", got)
	}
	if err := a.RenameTerritory(ctx, 103, "Southeast"); err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, b).Scenario(10).Territory(103).Name; got != "Southeast" {
		t.Errorf("b sees name %q", got)
	}
	MustCloseDB(t, a)
	MustCloseDB(t, b)
	if got := names(t, dir); !reflect.DeepEqual(got, []string{"plan.meridian"}) {
		t.Errorf("files after both Close = %q", got)
	}
}

// Edits and loads from several goroutines run one at a time, each whole.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	codes := []string{"13001", "01001", "01003", "01005", "35013"}
	errc := make(chan error, 40)
	for g := range 4 {
		go func() {
			for i := range 10 {
				var err error
				switch i % 3 {
				case 0:
					err = db.SetAlignment(ctx, 20, codes, []int64{0, 201, 202}[(g+i)%3])
				case 1:
					var p *planner.Plan
					if p, err = db.Load(ctx); err == nil {
						// Every SetAlignment moves all units at once.
						al := p.Scenario(20).Alignment
						if len(al) != 0 && len(al) != len(codes) && !(len(al) == 3 && al["13001"] == 0) {
							err = fmt.Errorf("torn alignment %v", al)
						}
					}
				case 2:
					err = db.SetActiveScenario(ctx, []int64{10, 20, 30}[(g+i)%3])
				}
				errc <- err
			}
		}()
	}
	for range 40 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
