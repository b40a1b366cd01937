package sqlite_test

import (
	"context"
	"math"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// box is a closed lon/lat rectangle ring.
func box(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// Drawn boundaries survive a save and a reopen, with their holes.
func TestTerritoryBoundaryRoundTrip(t *testing.T) {
	p := SmallPlan()
	p.Scenarios[0].Territories[1].Boundary = orb.Polygon{box(-87, 31, -86, 32), box(-86.8, 31.2, -86.6, 31.4)}
	db := MustOpenDB(t)
	MustReplace(t, db, p)
	db = MustReopen(t, db)
	comparePlans(t, p, MustLoad(t, db))
}

// Every territory edit used by the map editor and its undo is written at
// once and read back as it was made.
func TestTerritoryEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	want := SmallPlan()

	// A new territory from a lasso: next ID after the largest (202), at the
	// end of scenario 10, with a drawn boundary.
	drawn := orb.Polygon{box(-88, 30, -87, 31)}
	id, err := db.AddTerritory(ctx, 10, planner.Territory{Name: "Gulf", Color: "#59a14f", Boundary: drawn})
	if err != nil || id != 203 {
		t.Fatalf("AddTerritory = %d, %v; want 203", id, err)
	}
	// Units leave North for Gulf; Appling becomes white space; Baldwin
	// joins Gulf.
	if err := db.Realign(ctx, 10, map[string]int64{"01001": 203, "13001": 0, "01003": 203}); err != nil {
		t.Fatal(err)
	}
	s := want.Scenario(10)
	s.Territories = append(s.Territories, planner.Territory{ID: 203, Name: "Gulf", Color: "#59a14f", Boundary: drawn})
	s.Alignment = map[string]int64{"01001": 203, "01003": 203}
	db = MustReopen(t, db)
	comparePlans(t, want, MustLoad(t, db))

	// Undo: the units go back, the territory goes; redo keeps its ID.
	if err := db.DeleteTerritory(ctx, 203); err != nil {
		t.Fatal(err)
	}
	if err := db.Realign(ctx, 10, map[string]int64{"01001": 101, "13001": 103}); err != nil {
		t.Fatal(err)
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if id, err := db.AddTerritory(ctx, 10, planner.Territory{ID: 203, Name: "Gulf", Color: "#59a14f"}); err != nil || id != 203 {
		t.Fatalf("AddTerritory again = %d, %v", id, err)
	}
	if err := db.SetTerritoryBoundary(ctx, 203, drawn); err != nil {
		t.Fatal(err)
	}
	if err := db.SetTerritoryColor(ctx, 101, "#AABBCC"); err != nil {
		t.Fatal(err)
	}
	got := MustLoad(t, db)
	if g := got.Scenario(10).Territory(203); g == nil || len(g.Boundary) != 1 || len(g.Boundary[0]) != 5 {
		t.Errorf("Gulf = %+v", g)
	}
	if c := got.Scenario(10).Territory(101).Color; c != "#AABBCC" {
		t.Errorf("colour = %q", c)
	}
	if err := db.SetTerritoryBoundary(ctx, 203, nil); err != nil {
		t.Fatal(err)
	}
	if b := MustLoad(t, db).Scenario(10).Territory(203).Boundary; b != nil {
		t.Errorf("boundary after removal = %v", b)
	}
}

func TestTerritoryEditErrors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	for name, tc := range map[string]struct {
		err  error
		code string
	}{
		"unknown scenario":           {db.Realign(ctx, 99, map[string]int64{"01001": 101}), planner.ENOTFOUND},
		"other scenario's territory": {db.Realign(ctx, 10, map[string]int64{"01001": 201}), planner.ENOTFOUND},
		"unknown unit":               {db.Realign(ctx, 10, map[string]int64{"99999": 101}), planner.ENOTFOUND},
		"name taken":                 {func() error { _, err := db.AddTerritory(ctx, 10, planner.Territory{Name: "North"}); return err }(), planner.ECONFLICT},
		"ID taken":                   {func() error { _, err := db.AddTerritory(ctx, 10, planner.Territory{ID: 201, Name: "X"}); return err }(), planner.ECONFLICT},
		"no name":                    {func() error { _, err := db.AddTerritory(ctx, 10, planner.Territory{Name: " "}); return err }(), planner.EINVALID},
		"open boundary":              {db.SetTerritoryBoundary(ctx, 101, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}), planner.EINVALID},
		"unknown territory":          {db.SetTerritoryBoundary(ctx, 999, nil), planner.ENOTFOUND},
		"bad colour":                 {db.SetTerritoryColor(ctx, 101, "red"), planner.EINVALID},
		"negative capacity":          {db.Apply(ctx, sqlite.SetTerritoryCapacityEdit(101, -1)), planner.EINVALID},
		"NaN capacity":               {db.Apply(ctx, sqlite.SetTerritoryCapacityEdit(101, math.NaN())), planner.EINVALID},
		"capacity of unknown":        {db.Apply(ctx, sqlite.SetTerritoryCapacityEdit(999, 2)), planner.ENOTFOUND},
		"delete unknown":             {db.DeleteTerritory(ctx, 999), planner.ENOTFOUND},
	} {
		if code := planner.ErrorCode(tc.err); code != tc.code {
			t.Errorf("%s: code %q (%v), want %q", name, code, tc.err, tc.code)
		}
	}
	// A failed Realign changes nothing, even the changes before the bad one.
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

// A plan of format 1 (before drawn boundaries) is migrated when opened for
// editing, and keeps everything; a read-only open asks to upgrade it.
func TestMigrateFormat1(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, dropFormat4...)
	rawExec(t, path, `ALTER TABLE territory DROP COLUMN capacity`, `ALTER TABLE territory DROP COLUMN boundary`, `PRAGMA user_version = 1`)

	if _, err := sqlite.OpenReadOnly(path); planner.ErrorCode(err) != planner.EUNSUPPORTED {
		t.Errorf("OpenReadOnly of format 1: %v", err)
	}
	db = MustOpenPath(t, path)
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if err := db.SetTerritoryBoundary(context.Background(), 101, orb.Polygon{box(0, 0, 1, 1)}); err != nil {
		t.Fatal(err)
	}
}

// A plan of format 2 (before capacities) is migrated when opened; its
// territories get capacity 0 (one rep), and capacities round-trip.
func TestMigrateFormat2AndCapacity(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, dropFormat4...)
	rawExec(t, path, `ALTER TABLE territory DROP COLUMN capacity`, `PRAGMA user_version = 2`)
	db = MustOpenPath(t, path)
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if err := db.Apply(context.Background(), sqlite.SetTerritoryCapacityEdit(101, 1.5)); err != nil {
		t.Fatal(err)
	}
	want := SmallPlan()
	want.Scenarios[1].Territories[0].Capacity = 1.5
	if want.Scenarios[1].Territories[0].ID != 101 {
		t.Fatalf("fixture changed: %+v", want.Scenarios[1].Territories[0])
	}
	comparePlans(t, want, MustLoad(t, db))
	// Replace writes capacities too.
	want.Scenarios[0].Territories[1].Capacity = 2
	MustReplace(t, db, want)
	comparePlans(t, want, MustLoad(t, db))
}

// Apply writes a new territory and its units in one transaction: when a
// later edit fails, the territory is not written either.
func TestApplyIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	err := db.Apply(ctx,
		sqlite.AddTerritoryEdit(10, planner.Territory{ID: 500, Name: "Gulf", Color: "#59a14f"}),
		sqlite.RealignEdit(10, map[string]int64{"01003": 500}),
		sqlite.RealignEdit(10, map[string]int64{"nope": 500}))
	if planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Fatalf("Apply = %v", err)
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if err := db.Apply(ctx, sqlite.AddTerritoryEdit(10, planner.Territory{Name: "No ID"})); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("Apply without an ID = %v", err)
	}
	if err := db.Apply(ctx,
		sqlite.AddTerritoryEdit(10, planner.Territory{ID: 500, Name: "Gulf", Color: "#59a14f"}),
		sqlite.RealignEdit(10, map[string]int64{"01003": 500})); err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, db).Scenario(10).Alignment["01003"]; got != 500 {
		t.Errorf("01003 in %d, want 500", got)
	}
}
