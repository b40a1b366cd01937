package sqlite_test

import (
	"context"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// ReplaceAccountsEdit replaces the accounts, custom fields and potential
// name in one transaction and leaves the rest of the plan as it was; an
// invalid account changes nothing.
func TestReplaceAccountsEdit(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old := SmallPlan()
	MustReplace(t, db, old)

	fields := []planner.CustomField{{Name: "Phone"}, {Name: "Staff", Numeric: true}}
	accounts := []planner.Account{
		{ID: 1, ExternalID: "X-1", Name: "Acme Clinic", ZIP: "36067", Location: orb.Point{-86.5, 32.5}, HasLocation: true,
			Potential: planner.Known(40), UnitCode: "01001", Placement: planner.PlacedInside, Fields: []string{"555-0100", "12"}},
		{ID: 2, Name: "Unlocated Co", Fields: nil},
	}
	if err := db.Apply(ctx, sqlite.ReplaceAccountsEdit(accounts, fields, "Staff")); err != nil {
		t.Fatal(err)
	}
	db = MustReopen(t, db)
	got := MustLoad(t, db)
	if len(got.Accounts) != 2 || got.Accounts[0].Name != "Acme Clinic" || got.Accounts[1].Name != "Unlocated Co" {
		t.Fatalf("accounts = %+v", got.Accounts)
	}
	if a := got.Accounts[0]; a.UnitCode != "01001" || !a.HasLocation || a.Location != (orb.Point{-86.5, 32.5}) ||
		a.Potential != planner.Known(40) || len(a.Fields) != 2 || a.Fields[1] != "12" {
		t.Errorf("account 1 = %+v", a)
	}
	if got.Accounts[1].HasLocation || got.Accounts[1].Fields != nil {
		t.Errorf("account 2 = %+v", got.Accounts[1])
	}
	if len(got.CustomFields) != 2 || got.CustomFields[1] != (planner.CustomField{Name: "Staff", Numeric: true}) || got.PotentialName != "Staff" {
		t.Errorf("fields = %+v, potential %q", got.CustomFields, got.PotentialName)
	}
	if len(got.Units) != len(old.Units) || len(got.Scenarios) != len(old.Scenarios) || got.ActiveScenario != old.ActiveScenario {
		t.Errorf("units/scenarios changed: %d units, %d scenarios", len(got.Units), len(got.Scenarios))
	}

	// Invalid: a unit the plan lacks. Nothing changes.
	bad := []planner.Account{{ID: 1, Name: "Nowhere", UnitCode: "99999", Placement: planner.PlacedInside}}
	err := db.Apply(ctx, sqlite.ReplaceAccountsEdit(bad, nil, ""))
	if planner.ErrorCode(err) != planner.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	for _, c := range []struct {
		name string
		acc  []planner.Account
	}{
		{"duplicate ID", []planner.Account{{ID: 1, Name: "A"}, {ID: 1, Name: "B"}}},
		{"duplicate external ID", []planner.Account{{ID: 1, Name: "A", ExternalID: "E"}, {ID: 2, Name: "B", ExternalID: "E"}}},
		{"no name", []planner.Account{{ID: 1}}},
		{"fields", []planner.Account{{ID: 1, Name: "A", Fields: []string{"x"}}}},
	} {
		if err := db.Apply(ctx, sqlite.ReplaceAccountsEdit(c.acc, nil, "")); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", c.name, err)
		}
	}
	if again := MustLoad(t, db); len(again.Accounts) != 2 || again.PotentialName != "Staff" {
		t.Errorf("a failed edit changed the plan: %d accounts, potential %q", len(again.Accounts), again.PotentialName)
	}

	// Undo: the old accounts come back.
	if err := db.Apply(ctx, sqlite.ReplaceAccountsEdit(old.Accounts, old.CustomFields, old.PotentialName)); err != nil {
		t.Fatal(err)
	}
	comparePlans(t, old, MustLoad(t, db))
}

// BenchmarkReplaceAccountsEdit writes 100,000 accounts over 100,000 others
// in one transaction: what an import of that size, and its undo, write.
func BenchmarkReplaceAccountsEdit(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	p := LargePlan(3000, 100_000, 50)
	MustReplace(b, db, p)
	edit := sqlite.ReplaceAccountsEdit(p.Accounts, p.CustomFields, p.PotentialName)
	b.ResetTimer()
	for b.Loop() {
		if err := db.Apply(ctx, edit); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Accounts)), "accounts")
}
