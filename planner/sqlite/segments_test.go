package sqlite_test

import (
	"context"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// segmentedPlan is coveredPlan with a segment name, two segments (one
// tiered with an overlay team), hierarchy levels and a named account.
func segmentedPlan() *planner.Plan {
	p := coveredPlan()
	p.SegmentName = "Type"
	p.Segments = []planner.Segment{
		{ID: 4, Name: "Big = 'AL'", Rule: "State = 'AL' and Potential >= 100", OverlayTeam: "Key accounts", OverlayReps: []int64{3, 1}},
		{ID: 2, Name: "Tiers", Tiers: &planner.Tiering{Metric: "Potential", ByQuantile: true, Tiers: []planner.Tier{{Name: "A", Value: 20}, {Name: "B", Value: 80}}}},
	}
	s := p.Scenario(20)
	s.Levels = []string{"Division", "Zone", "Patch"}
	s.NamedAccounts = map[int64]int64{9: 202, 7: 201}
	return p
}

func TestSegmentsRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, segmentedPlan())
	got := MustLoad(t, MustReopen(t, db))
	comparePlans(t, segmentedPlan(), got)
	s := got.Scenario(20)
	if len(got.Segments) != 2 || got.Segments[0].ID != 4 || got.Segments[1].Tiers.Tiers[1].Value != 80 ||
		s.NamedAccounts[9] != 202 || len(s.Levels) != 3 || got.SegmentName != "Type" {
		t.Errorf("segments %+v, named %v, levels %v", got.Segments, s.NamedAccounts, s.Levels)
	}
}

func TestSegmentEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, segmentedPlan())
	// Replace the segment list: one left, renamed.
	one := []planner.Segment{{ID: 2, Name: "Tiered", Tiers: planner.DefaultTiering("Potential")}}
	if err := db.Apply(ctx, sqlite.SetSegmentsEdit(one)); err != nil {
		t.Fatal(err)
	}
	if p := MustLoad(t, db); len(p.Segments) != 1 || p.Segments[0].Name != "Tiered" || len(p.Segments[0].Tiers.Tiers) != 3 {
		t.Errorf("after set: %+v", p.Segments)
	}
	// Refused: a bad rule, a duplicate name, an unknown overlay rep; nothing written.
	for _, bad := range [][]planner.Segment{
		{{ID: 1, Name: "X", Rule: "Potential >= "}},
		{{ID: 1, Name: "X"}, {ID: 2, Name: " x "}},
		{{ID: 1, Name: "X", OverlayReps: []int64{99}}},
		{{ID: 1, Name: "X", Tiers: &planner.Tiering{Metric: "Potential"}}},
	} {
		if err := db.Apply(ctx, sqlite.SetSegmentsEdit(bad)); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if p := MustLoad(t, db); len(p.Segments) != 1 || p.Segments[0].Name != "Tiered" {
		t.Errorf("after refusals: %+v", p.Segments)
	}
	// Named accounts: change one, remove one, add one; unknown account or
	// another scenario's territory refused.
	if err := db.Apply(ctx, sqlite.SetNamedAccountsEdit(20, map[int64]int64{9: 201, 7: 0, 3: 202})); err != nil {
		t.Fatal(err)
	}
	s := MustLoad(t, db).Scenario(20)
	if len(s.NamedAccounts) != 2 || s.NamedAccounts[9] != 201 || s.NamedAccounts[3] != 202 {
		t.Errorf("named: %v", s.NamedAccounts)
	}
	if err := db.Apply(ctx, sqlite.SetNamedAccountsEdit(20, map[int64]int64{404: 201})); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("unknown account: %v", err)
	}
	if err := db.Apply(ctx, sqlite.SetNamedAccountsEdit(20, map[int64]int64{9: 101})); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("territory of another scenario: %v", err)
	}
	// Deleting a territory drops its named accounts.
	if err := db.Apply(ctx, sqlite.DeleteTerritoryEdit(202)); err != nil {
		t.Fatal(err)
	}
	if s := MustLoad(t, db).Scenario(20); len(s.NamedAccounts) != 1 || s.NamedAccounts[9] != 201 {
		t.Errorf("after deleting South: %v", s.NamedAccounts)
	}
	// Levels and renames.
	if err := db.Apply(ctx, sqlite.SetLevelsEdit(20, []string{"Area", "Zone", "Territory"}), sqlite.RenameTerritoryEdit(201, " Upstate ")); err != nil {
		t.Fatal(err)
	}
	s = MustLoad(t, db).Scenario(20)
	if len(s.Levels) != 3 || s.Levels[0] != "Area" || s.Territory(201).Name != "Upstate" {
		t.Errorf("levels %v, name %q", s.Levels, s.Territory(201).Name)
	}
	if err := db.Apply(ctx, sqlite.SetLevelsEdit(20, []string{"A", "B", "C", "D", "E", "F", "G"})); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("7 levels: %v", err)
	}
	if err := db.Apply(ctx, sqlite.RenameTerritoryEdit(201, "")); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("empty name: %v", err)
	}
}

// An import that deletes an account drops its named-account rows; one that
// keeps it (same ID) keeps them.
func TestReplaceAccountsKeepsNamed(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	p := segmentedPlan()
	MustReplace(t, db, p)
	var kept []planner.Account
	for _, a := range p.Accounts {
		if a.ID != 7 {
			kept = append(kept, a)
		}
	}
	if err := db.Apply(ctx, sqlite.ReplaceAccountsEdit(kept, p.CustomFields, p.PotentialName)); err != nil {
		t.Fatal(err)
	}
	if s := MustLoad(t, db).Scenario(20); len(s.NamedAccounts) != 1 || s.NamedAccounts[9] != 202 {
		t.Errorf("named after import: %v", s.NamedAccounts)
	}
}

func TestMigrateFormat9(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, coveredPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat10, `PRAGMA user_version = 9`)...)
	db = MustOpenPath(t, path)
	comparePlans(t, coveredPlan(), MustLoad(t, db))
	if err := db.Apply(context.Background(), sqlite.SetSegmentsEdit(segmentedPlan().Segments)); err != nil {
		t.Fatal(err)
	}
}
