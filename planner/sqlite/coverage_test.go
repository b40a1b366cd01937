package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// coveredPlan is SmallPlan with regions, a 60/40 split, a vacancy with a
// planned start and a quota set by hand in scenario "Current".
func coveredPlan() *planner.Plan {
	p := SmallPlan()
	s := &p.Scenarios[0]
	s.Regions = []planner.Region{{ID: 2, Name: "Deep South", ParentID: 1, OverAssignPct: 5}, {ID: 1, Name: "US"}}
	s.Territories[0].Reps = []planner.Assignment{{RepID: 3, Share: 60}, {RepID: 1, Share: 40}}
	s.Territories[0].RegionID = 2
	s.Territories[1].Reps = []planner.Assignment{{Share: 100, PlannedStart: time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)}}
	s.Territories[1].RegionID = 1
	s.Territories[1].Quota, s.Territories[1].QuotaOverride = planner.Known(125_000), true
	// The copy of a scenario keeps region IDs: they are per scenario.
	p.Scenarios[1].Regions = []planner.Region{{ID: 1, Name: "US"}}
	p.Scenarios[1].Territories[0].RegionID = 1
	return p
}

func TestCoverageRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, coveredPlan())
	comparePlans(t, coveredPlan(), MustLoad(t, MustReopen(t, db)))
}

func TestCoverageEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, coveredPlan())
	// Share North between a rep and a vacancy; then clear South.
	north := []planner.Assignment{{RepID: 1, Share: 75}, {Share: 25}}
	if err := db.Apply(ctx, sqlite.SetTerritoryRepsEdit(201, north), sqlite.SetTerritoryRepsEdit(202, nil)); err != nil {
		t.Fatal(err)
	}
	p := MustLoad(t, db)
	s := p.Scenario(20)
	if got := p.RepNames(s.Territory(201)); got != "Luis Ortega 75%, TBH 25%" || s.Territory(202).Reps != nil {
		t.Errorf("after assign: North %q, South %+v", got, s.Territory(202).Reps)
	}
	// Deleting Luis turns his line into a vacancy with the same share.
	if err := db.Apply(ctx, sqlite.DeleteRepEdit(1)); err != nil {
		t.Fatal(err)
	}
	p = MustLoad(t, db)
	if got := p.RepNames(p.Scenario(20).Territory(201)); got != "TBH 75%, TBH 25%" || p.Rep(1) != nil {
		t.Errorf("after delete: North %q", got)
	}
	// Put him back (the undo of the delete) and change Dana.
	luis := planner.Rep{ID: 1, Name: "Luis Ortega", Manager: "Kim", CapacityHours: 1500}
	dana := planner.Rep{ID: 3, Name: "Dana Whitfield", Email: "dana@example.com", Role: "AE", Start: time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC)}
	if err := db.Apply(ctx, sqlite.PutRepEdit(luis), sqlite.PutRepEdit(dana), sqlite.SetTerritoryRepsEdit(201, north)); err != nil {
		t.Fatal(err)
	}
	p = MustLoad(t, db)
	if r := p.Rep(1); r == nil || r.Manager != "Kim" || r.CapacityHours != 1500 || p.Reps[len(p.Reps)-1].ID != 1 {
		t.Errorf("Luis back: %+v (roster %+v)", r, p.Reps)
	}
	if r := p.Rep(3); r == nil || r.Role != "AE" || !r.Start.Equal(dana.Start) {
		t.Errorf("Dana: %+v", r)
	}
	// Regions: replace them, moving North to a new region.
	regions := []planner.Region{{ID: 5, Name: "Gulf"}}
	if err := db.Apply(ctx, sqlite.SetRegionsEdit(20, regions, map[int64]int64{201: 5})); err != nil {
		t.Fatal(err)
	}
	s = MustLoad(t, db).Scenario(20)
	if len(s.Regions) != 1 || s.Territory(201).RegionID != 5 || s.Territory(202).RegionID != 0 {
		t.Errorf("regions %+v, North in %d, South in %d", s.Regions, s.Territory(201).RegionID, s.Territory(202).RegionID)
	}
	before := MustLoad(t, db)
	for name, tc := range map[string]struct {
		edit sqlite.Edit
		code string
		msg  string
	}{
		"shares short":   {sqlite.SetTerritoryRepsEdit(201, []planner.Assignment{{RepID: 1, Share: 50}}), planner.EINVALID, "add up to 50%"},
		"unknown rep":    {sqlite.SetTerritoryRepsEdit(201, []planner.Assignment{{RepID: 9, Share: 100}}), planner.ENOTFOUND, "Rep 9"},
		"unknown terr":   {sqlite.SetTerritoryRepsEdit(999, nil), planner.ENOTFOUND, "Territory 999"},
		"rep twice":      {sqlite.SetTerritoryRepsEdit(201, []planner.Assignment{{RepID: 1, Share: 50}, {RepID: 1, Share: 50}}), planner.EINVALID, "twice"},
		"start on rep":   {sqlite.SetTerritoryRepsEdit(201, []planner.Assignment{{RepID: 1, Share: 100, PlannedStart: time.Now()}}), planner.EINVALID, "planned start"},
		"region loop":    {sqlite.SetRegionsEdit(20, []planner.Region{{ID: 1, Name: "A", ParentID: 2}, {ID: 2, Name: "B", ParentID: 1}}, nil), planner.EINVALID, "loop"},
		"region unknown": {sqlite.SetRegionsEdit(20, regions, map[int64]int64{201: 7}), planner.ENOTFOUND, "Region 7"},
		"other scenario": {sqlite.SetRegionsEdit(20, regions, map[int64]int64{101: 5}), planner.ENOTFOUND, "Territory 101"},
		"rep no name":    {sqlite.PutRepEdit(planner.Rep{ID: 4}), planner.EINVALID, "needs a name"},
		"rep bad cost":   {sqlite.PutRepEdit(planner.Rep{ID: 4, Name: "X", AnnualCost: -1}), planner.EINVALID, "annual cost"},
		"delete unknown": {sqlite.DeleteRepEdit(42), planner.ENOTFOUND, "Rep 42"},
	} {
		err := db.Apply(ctx, tc.edit)
		if planner.ErrorCode(err) != tc.code || !strings.Contains(planner.ErrorMessage(err), tc.msg) {
			t.Errorf("%s: %v, want %s %q", name, err, tc.code, tc.msg)
		}
	}
	comparePlans(t, before, MustLoad(t, db)) // nothing written by the failures
}

// A plan of format 8 (one rep per territory in territory.rep_id) is
// migrated when opened: each rep becomes a 100% line; no regions, no
// quotas set by hand.
func TestMigrateFormat8(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat9, `PRAGMA user_version = 8`)...)
	db = MustOpenPath(t, path)
	got := MustLoad(t, db)
	comparePlans(t, SmallPlan(), got)
	if r := got.Scenario(10).Territory(103).Reps; len(r) != 1 || r[0] != (planner.Assignment{RepID: 3, Share: 100}) {
		t.Errorf("East's reps after migration: %+v", r)
	}
}
