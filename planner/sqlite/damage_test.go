package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// mustWritePlan writes p into a new, closed plan file at path.
func mustWritePlan(tb testing.TB, path string, p *planner.Plan) {
	tb.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	if err := db.Replace(context.Background(), p); err != nil {
		tb.Fatal(err)
	}
	MustCloseDB(tb, db)
}

// copyFile copies the file src to dst.
func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	buf, err := os.ReadFile(src)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(dst, buf, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// loadFile opens the plan file at path with open and loads it, turning a
// panic into a test failure. It returns Load's error, or open's.
func loadFile(t *testing.T, open func(string) (*sqlite.DB, error), path string) (p *planner.Plan, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := db.Close(); cerr != nil {
			t.Errorf("Close: %v", cerr)
		}
	}()
	return db.Load(context.Background())
}

// loosen recreates table without its constraints (types, NOT NULL, CHECK,
// keys) and with the same rows, as a damaged file could have it, so that
// any value can be put in any column.
func loosen(table string) []string {
	return []string{
		`CREATE TABLE loose_copy AS SELECT * FROM ` + table,
		`DROP TABLE ` + table,
		`CREATE TABLE ` + table + ` AS SELECT * FROM loose_copy`,
		`DROP TABLE loose_copy`,
	}
}

func damageStmts(stmts ...[]string) []string {
	all := []string{`PRAGMA foreign_keys = OFF`, `PRAGMA synchronous = OFF`}
	for _, s := range stmts {
		all = append(all, s...)
	}
	return all
}

// A plan damaged behind Meridian's back, with the sqlite3 shell's
// foreign_keys off, loads as EINVALID "The plan in <file> is damaged: ..."
// naming the problem; Load neither panics nor attaches rows to the wrong
// scenario. Both Open and OpenReadOnly see the same.
func TestLoad_Damaged(t *testing.T) {
	src := filepath.Join(t.TempDir(), "good.meridian")
	mustWritePlan(t, src, SmallPlan())

	tests := []struct {
		name  string
		stmts []string
		want  string // in the message, after "The plan in <file> is damaged: "
	}{
		{"territory in an unknown scenario",
			damageStmts([]string{`UPDATE territory SET scenario_id = 99 WHERE id = 202`}),
			`territory 202 ("South") belongs to scenario 99, which the plan does not have`},
		{"territories of a deleted scenario, others left",
			damageStmts([]string{`DELETE FROM scenario WHERE id = 20`}),
			`territory 202 ("South") belongs to scenario 20, which the plan does not have`},
		{"territories with no scenario at all",
			damageStmts([]string{`DELETE FROM scenario`}),
			`territory 101 ("North") belongs to scenario 10, which the plan does not have`},
		{"assignment in an unknown scenario",
			damageStmts([]string{`DELETE FROM territory WHERE scenario_id = 20`, `DELETE FROM scenario WHERE id = 20`}),
			`unit "01001" is aligned in scenario 20, which the plan does not have`},
		{"assignment to an unknown territory",
			damageStmts([]string{`UPDATE assignment SET territory_id = 999 WHERE scenario_id = 20 AND unit_code = '01001'`}),
			`Scenario "Current" aligns unit "01001" to territory 999, which is not in that scenario`},
		{"assignment to another scenario's territory",
			damageStmts([]string{`UPDATE assignment SET territory_id = 101 WHERE scenario_id = 20 AND unit_code = '01001'`}),
			`Scenario "Current" aligns unit "01001" to territory 101, which is not in that scenario`},
		{"assignment of an unknown unit",
			damageStmts([]string{`INSERT INTO assignment (scenario_id, unit_code, territory_id) VALUES (20, '99999', 201)`}),
			`Scenario "Current" aligns unit "99999", which the plan does not have`},
		{"assignment of a deleted unit",
			damageStmts([]string{`DELETE FROM unit WHERE code = '01003'`}),
			`unit "01003"`},
		{"duplicate assignment",
			damageStmts(loosen("assignment"), []string{`INSERT INTO assignment VALUES (20, '01001', 202)`}),
			`unit "01001" is aligned twice in scenario "Current"`},
		{"account in an unknown unit",
			damageStmts([]string{`UPDATE account SET unit_code = '99999' WHERE unit_code = '01001'`}),
			`is in unit "99999", which the plan does not have`},
		{"garbage geometry",
			damageStmts([]string{`UPDATE unit SET geometry = x'0102030405' WHERE code = '01001'`}),
			`geography unit "01001" has an unreadable geometry`},
		{"truncated geometry",
			damageStmts([]string{`UPDATE unit SET geometry = substr(geometry, 1, length(geometry) - 9) WHERE code = '01003'`}),
			`geography unit "01003" has an unreadable geometry`},
		{"point instead of a multipolygon",
			damageStmts([]string{`UPDATE unit SET geometry = x'0101000000000000000000F03F0000000000000040' WHERE code = '01005'`}),
			`geography unit "01005" has an unreadable geometry`},
		{"text geometry",
			damageStmts(loosen("unit"), []string{`UPDATE unit SET geometry = 'POLYGON((0 0, 1 1, 1 0, 0 0))' WHERE code = '13001'`}),
			`geography unit "13001" has an unreadable geometry`},
		{"garbage borders",
			damageStmts([]string{`UPDATE overlay SET geometry = x'00' WHERE name = 'borders'`}),
			`the borders have an unreadable geometry`},
		{"NULL unit name",
			damageStmts(loosen("unit"), []string{`UPDATE unit SET name = NULL WHERE code = '01001'`}),
			`row 2 of the unit table cannot be read (column index 1, name "name": converting NULL to string is unsupported)`},
		{"NULL rep name",
			damageStmts(loosen("rep"), []string{`UPDATE rep SET name = NULL WHERE id = 1`}),
			`row 2 of the rep table cannot be read (column index 1, name "name"`},
		{"NULL territory name",
			damageStmts(loosen("territory"), []string{`UPDATE territory SET name = NULL WHERE id = 101`}),
			`of the territory table cannot be read (column index 2, name "name"`},
		{"NULL territory scenario",
			damageStmts(loosen("territory"), []string{`UPDATE territory SET scenario_id = NULL WHERE id = 101`}),
			`of the territory table cannot be read (column index 1, name "scenario_id"`},
		{"NULL assignment unit",
			damageStmts(loosen("assignment"), []string{`UPDATE assignment SET unit_code = NULL WHERE territory_id = 103`}),
			`of the assignment table cannot be read (column index 1, name "unit_code"`},
		{"NULL creation time",
			damageStmts(loosen("plan"), []string{`UPDATE plan SET created = NULL`}),
			`row 1 of the plan table cannot be read (column index 2, name "created"`},
		{"bad creation time",
			damageStmts([]string{`UPDATE plan SET created = 'last Tuesday'`}),
			`the creation time "last Tuesday" is not a valid time`},
		{"text in an ID",
			damageStmts(loosen("scenario"), []string{`UPDATE scenario SET id = 'ten' WHERE id = 10`}),
			`of the scenario table cannot be read (column index 0, name "id"`},
		{"text population",
			damageStmts(loosen("unit"), []string{`UPDATE unit SET population = 'many' WHERE code = '01001'`}),
			`row 2 of the unit table cannot be read (column index 4, name "population"`},
		{"text placement",
			damageStmts(loosen("account"), []string{`UPDATE account SET placement = 'inside' WHERE id = (SELECT min(id) FROM account)`}),
			`of the account table cannot be read (column index 13, name "placement"`},
		{"half a location",
			damageStmts(loosen("account"), []string{`UPDATE account SET lat = NULL WHERE lon IS NOT NULL AND id = (SELECT min(id) FROM account WHERE lon IS NOT NULL)`}),
			`has half a location`},
		{"duplicate scenario ID",
			damageStmts(loosen("scenario"), []string{`INSERT INTO scenario VALUES (20, 9, 'Copy', '')`}),
			`Scenario "Copy" has a missing or duplicate ID 20`},
		{"unknown active scenario",
			damageStmts([]string{`UPDATE plan SET active_scenario_id = 99`}),
			`The active scenario 99 is not in the plan`},
		{"plan row missing",
			damageStmts([]string{`DELETE FROM plan`}),
			`the plan's name and details (the row of the plan table) are missing`},
		{"table dropped",
			damageStmts([]string{`DROP TABLE assignment`}),
			`the assignment table is missing`},
		{"plan table dropped",
			damageStmts([]string{`DROP TABLE plan`}),
			`the plan table is missing`},
		{"column dropped",
			damageStmts([]string{`ALTER TABLE account DROP COLUMN segment`}),
			`the account table cannot be read`},
	}
	opens := []struct {
		name string
		open func(string) (*sqlite.DB, error)
	}{{"Open", sqlite.Open}, {"OpenReadOnly", sqlite.OpenReadOnly}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "damaged.meridian")
			copyFile(t, src, path)
			rawExec(t, path, tt.stmts...)
			for _, o := range opens {
				_, err := loadFile(t, o.open, path)
				if code := planner.ErrorCode(err); code != planner.EINVALID {
					t.Fatalf("%s: code %q (%v), want %q", o.name, code, err, planner.EINVALID)
				}
				prefix := "The plan in " + path + " is damaged: "
				msg := planner.ErrorMessage(err)
				if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg[len(prefix):], tt.want) {
					t.Errorf("%s: message %q\nwant %q followed by %q", o.name, msg, prefix, tt.want)
				}
			}
			if got := names(t, dir); !reflect.DeepEqual(got, []string{"damaged.meridian"}) {
				t.Errorf("files after Close = %q", got)
			}
		})
	}
}

// A plan file emptied of its rows, or of its tables, holds no plan yet.
func TestLoad_Emptied(t *testing.T) {
	for _, tt := range []struct {
		name  string
		stmts []string
	}{
		{"rows deleted", damageStmts([]string{`DELETE FROM plan`, `DELETE FROM assignment`, `DELETE FROM territory`,
			`DELETE FROM scenario`, `DELETE FROM account`, `DELETE FROM rep`, `DELETE FROM overlay`, `DELETE FROM unit`})},
		{"tables dropped", damageStmts([]string{`DROP TABLE named_account`, `DROP TABLE segment`, `DROP TABLE plan`, `DROP TABLE assignment`, `DROP TABLE territory_rep`, `DROP TABLE territory`, `DROP TABLE region`,
			`DROP TABLE scenario`, `DROP TABLE account`, `DROP TABLE rep`, `DROP TABLE overlay`, `DROP TABLE unit`})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "plan.meridian")
			mustWritePlan(t, path, SmallPlan())
			rawExec(t, path, tt.stmts...)
			for _, open := range []func(string) (*sqlite.DB, error){sqlite.Open, sqlite.OpenReadOnly} {
				_, err := loadFile(t, open, path)
				if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
					t.Fatalf("code %q (%v), want %q", code, err, planner.ENOTFOUND)
				}
				if msg, want := planner.ErrorMessage(err), path+" holds no plan yet"; msg != want {
					t.Errorf("message %q, want %q", msg, want)
				}
			}
		})
	}
}

// Any value of any type in any column of a loosened table: Load returns the
// plan or EINVALID, and never panics.
func TestLoad_AnyValue(t *testing.T) {
	src := filepath.Join(t.TempDir(), "good.meridian")
	mustWritePlan(t, src, SmallPlan())
	columns := map[string][]string{
		"plan":       {"id", "name", "description", "created", "modified", "attribution", "unit_level", "parent_level", "potential_name", "active_scenario_id"},
		"unit":       {"code", "ord", "name", "parent_code", "parent_name", "population", "geometry"},
		"overlay":    {"name", "geometry"},
		"rep":        {"id", "ord", "name", "email"},
		"account":    {"id", "ord", "external_id", "name", "address", "city", "state", "zip", "lon", "lat", "segment", "owner", "potential", "unit_code", "placement"},
		"scenario":   {"id", "ord", "name"},
		"territory":  {"id", "scenario_id", "ord", "name", "color", "rep_id"},
		"assignment": {"scenario_id", "unit_code", "territory_id"},
	}
	values := []string{"NULL", "''", "'x'", "x'00ff'", "-1", "1e308", "9223372036854775807", "'01001'", "20"}
	for table, cols := range columns {
		t.Run(table, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			n, loaded := 0, 0
			for _, col := range cols {
				for _, v := range values {
					n++
					path := filepath.Join(dir, fmt.Sprintf("p%d.meridian", n))
					copyFile(t, src, path)
					rawExec(t, path, damageStmts(loosen(table), []string{
						fmt.Sprintf(`UPDATE %s SET %s = %s WHERE rowid = (SELECT min(rowid) FROM %s)`, table, col, v, table)})...)
					for _, open := range []func(string) (*sqlite.DB, error){sqlite.Open, sqlite.OpenReadOnly} {
						p, err := loadFile(t, open, path)
						if code := planner.ErrorCode(err); code != "" && code != planner.EINVALID {
							t.Errorf("%s.%s = %s: code %q (%v), want EINVALID or none", table, col, v, code, err)
						}
						if err == nil {
							loaded++
							if p.Validate() != nil {
								t.Errorf("%s.%s = %s: Load returned an invalid plan", table, col, v)
							}
						}
					}
				}
			}
			t.Logf("%d damaged files, %d loads succeeded", n, loaded)
		})
	}
}

// Random bytes overwritten anywhere in a plan file: Open, OpenReadOnly and
// Load return a *planner.Error or the plan, and never panic.
func TestLoad_Garbled(t *testing.T) {
	src := filepath.Join(t.TempDir(), "good.meridian")
	mustWritePlan(t, src, LargePlan(60, 80, 3))
	good, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	rounds := 300
	if testing.Short() {
		rounds = 60
	}
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	codes := map[string]int{}
	for i := range rounds {
		buf := append([]byte(nil), good...)
		for range 1 + rng.IntN(8) {
			var off int
			if rng.IntN(10) == 0 {
				off = rng.IntN(100) // the header
			} else {
				off = rng.IntN(len(buf))
			}
			buf[off] = byte(rng.IntN(256))
		}
		for _, o := range []struct {
			name string
			open func(string) (*sqlite.DB, error)
		}{{"OpenReadOnly", sqlite.OpenReadOnly}, {"Open", sqlite.Open}} {
			path := filepath.Join(dir, fmt.Sprintf("g%d-%s.meridian", i, o.name))
			if err := os.WriteFile(path, buf, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := loadFile(t, o.open, path)
			code := planner.ErrorCode(err)
			codes[o.name+" "+code]++
			var perr *planner.Error
			if err != nil && (!errors.As(err, &perr) || code == planner.EINTERNAL) {
				t.Errorf("round %d, %s: %v (code %q), want a *planner.Error", i, o.name, err, code)
			}
			if err != nil && !strings.Contains(planner.ErrorMessage(err), path) {
				t.Errorf("round %d, %s: message %q does not name the file", i, o.name, planner.ErrorMessage(err))
			}
			if o.name == "OpenReadOnly" {
				if after, _ := os.ReadFile(path); string(after) != string(buf) {
					t.Errorf("round %d: OpenReadOnly changed the file", i)
				}
			}
		}
	}
	t.Logf("results: %v", codes)
}

// A truncated copy of a plan (a download or copy cut short) is EINVALID
// "<path> is damaged and cannot be read", and nothing changes on disk.
func TestOpen_Truncated(t *testing.T) {
	src := filepath.Join(t.TempDir(), "big.meridian")
	mustWritePlan(t, src, LargePlan(800, 1500, 5))
	full, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{len(full) / 3, len(full) / 4096 / 2 * 4096, len(full) - 4096, 4096, 1000} {
		t.Run(fmt.Sprintf("%d of %d bytes", cut, len(full)), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "cut.meridian")
			writeFile(t, path, full[:cut])
			before := snapshotDir(t, dir)
			for _, o := range []struct {
				name string
				open func(string) (*sqlite.DB, error)
			}{{"Open", sqlite.Open}, {"OpenExisting", sqlite.OpenExisting}, {"OpenReadOnly", sqlite.OpenReadOnly}} {
				_, err := loadFile(t, o.open, path)
				if code := planner.ErrorCode(err); code != planner.EINVALID {
					t.Fatalf("%s: code %q (%v), want %q", o.name, code, err, planner.EINVALID)
				}
				if msg, want := planner.ErrorMessage(err), path+" is damaged and cannot be read"; msg != want {
					t.Errorf("%s: message %q, want %q", o.name, msg, want)
				}
				if errors.Unwrap(err) == nil {
					t.Errorf("%s: %v wraps no cause", o.name, err)
				}
				if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
					t.Errorf("%s changed the folder:\nbefore %+v\nafter  %+v", o.name, before, after)
				}
			}
		})
	}
}

// A copy in rollback-journal mode (as SaveAs makes) with a damaged page is
// refused before Open switches it to WAL, so that it stays as it was.
func TestOpen_DamagedRollbackFile(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, LargePlan(300, 500, 4))
	dir := t.TempDir()
	path := filepath.Join(dir, "copy.meridian")
	if err := db.SaveAs(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if buf[18] != 1 || buf[19] != 1 {
		t.Fatalf("copy's journal mode bytes %v, want rollback (1 1)", buf[18:20])
	}
	// Overwrite the b-tree page header of page 5 (1-based), in the middle.
	for i := 4 * 4096; i < 4*4096+12; i++ {
		buf[i] = 0xee
	}
	writeFile(t, path, buf)
	before := snapshotDir(t, dir)
	_, err = loadFile(t, sqlite.Open, path)
	if code := planner.ErrorCode(err); code != planner.EINVALID {
		t.Fatalf("code %q (%v), want %q", code, err, planner.EINVALID)
	}
	if msg, want := planner.ErrorMessage(err), path+" is damaged and cannot be read"; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	if after := snapshotDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("Open changed the folder:\nbefore %+v\nafter  %+v", before, after)
	}
}
