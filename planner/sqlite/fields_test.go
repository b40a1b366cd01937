package sqlite_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// dropFormat4 turns a plan file of the current format back into format 3
// (before custom fields), for the tests of older formats.
// dropFormat10 undoes migration 0010 (segments, named accounts, levels);
// dropFormat9 also undoes migration 0009 (reps' shares, regions, hand-set
// quotas), putting each territory's first rep back in territory.rep_id;
// dropFormat8 also undoes migration 0008 (quotas), dropFormat7 migrations 0008
// and 0007 (the rep roster's fields), dropFormat6 also 0006 (workload
// model), dropFormat5 also 0005 (account match levels), and dropFormat4
// also 0004 (custom fields), to make plans of older formats.
var (
	dropFormat10 = []string{
		`DROP TABLE named_account`, `DROP TABLE segment`,
		`ALTER TABLE scenario DROP COLUMN levels`, `ALTER TABLE plan DROP COLUMN segment_name`,
	}
	dropFormat9 = []string{
		`DROP TABLE named_account`, `DROP TABLE segment`,
		`ALTER TABLE scenario DROP COLUMN levels`, `ALTER TABLE plan DROP COLUMN segment_name`,
		`UPDATE territory SET rep_id = (SELECT rep_id FROM territory_rep WHERE territory_id = territory.id AND ord = 0)`,
		`DROP TABLE territory_rep`, `DROP TABLE region`,
		`ALTER TABLE territory DROP COLUMN region_id`, `ALTER TABLE territory DROP COLUMN quota_override`,
	}
	// Clipped, so that tests appending to one list never write into the
	// backing array of another.
	dropFormat8 = slices.Clip(slices.Concat(dropFormat9, []string{`ALTER TABLE territory DROP COLUMN quota`, `ALTER TABLE plan DROP COLUMN quota_settings`}))
	dropFormat7 = slices.Clip(slices.Concat(dropFormat8, []string{
		`ALTER TABLE rep DROP COLUMN role`, `ALTER TABLE rep DROP COLUMN manager`,
		`ALTER TABLE rep DROP COLUMN home_lon`, `ALTER TABLE rep DROP COLUMN home_lat`,
		`ALTER TABLE rep DROP COLUMN home_zip`, `ALTER TABLE rep DROP COLUMN start`,
		`ALTER TABLE rep DROP COLUMN capacity_hours`, `ALTER TABLE rep DROP COLUMN annual_cost`,
	}))
	dropFormat6 = slices.Clip(slices.Concat(dropFormat7, []string{`ALTER TABLE plan DROP COLUMN workload`}))
	dropFormat5 = slices.Clip(slices.Concat(dropFormat6, []string{`ALTER TABLE account DROP COLUMN match`}))
	dropFormat4 = slices.Clip(slices.Concat(dropFormat5, []string{`ALTER TABLE account DROP COLUMN fields`, `ALTER TABLE plan DROP COLUMN custom_fields`}))
)

// fieldsPlan is SmallPlan with custom fields: values with quotes,
// backslashes, control characters, non-ASCII text and a formula, an account
// with no value (nil Fields) and one with all values empty.
func fieldsPlan() *planner.Plan {
	p := SmallPlan()
	p.CustomFields = []planner.CustomField{{Name: "Phone"}, {Name: "Employees", Numeric: true}, {Name: `Notes "x"`}}
	p.Accounts[0].Fields = []string{"+1 555 0100", "1200", "said \"hi\"\\\n\t\x01 – Doña Ana 日本"}
	p.Accounts[1].Fields = []string{"", "", ""}
	p.Accounts[2].Fields = []string{`=HYPERLINK("http://x","y")`, "-3.5e2", ""}
	return p
}

// Custom fields and their values round-trip through Replace and Load, and a
// later Replace without them leaves none behind.
func TestCustomFieldsRoundTrip(t *testing.T) {
	if len(SmallPlan().Accounts) < 4 {
		t.Fatalf("fixture changed: %d accounts", len(SmallPlan().Accounts))
	}
	db := MustOpenDB(t)
	want := fieldsPlan()
	MustReplace(t, db, want)
	got := MustLoad(t, db)
	comparePlans(t, want, got)
	if got.Accounts[3].Fields != nil {
		t.Errorf("account without values loads Fields %#v, want nil", got.Accounts[3].Fields)
	}
	if v, ok := got.Field(&got.Accounts[0], "Employees"); !ok || v != "1200" {
		t.Errorf("Field(Employees) = %q, %v", v, ok)
	}

	// Reopened from disk.
	path := db.Path
	MustCloseDB(t, db)
	db = MustOpenPath(t, path)
	comparePlans(t, want, MustLoad(t, db))

	MustReplace(t, db, SmallPlan())
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

// Replace refuses values that do not line up with the plan's fields.
func TestCustomFieldsInvalid(t *testing.T) {
	db := MustOpenDB(t)
	for name, edit := range map[string]func(p *planner.Plan){
		"short":       func(p *planner.Plan) { p.Accounts[0].Fields = p.Accounts[0].Fields[:2] },
		"not numeric": func(p *planner.Plan) { p.Accounts[0].Fields[1] = "12x" },
		"duplicate":   func(p *planner.Plan) { p.CustomFields[2].Name = "Phone" },
		"no name":     func(p *planner.Plan) { p.CustomFields[2].Name = " " },
	} {
		p := fieldsPlan()
		edit(p)
		if err := db.Replace(context.Background(), p); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: Replace = %v, want EINVALID", name, err)
		}
	}
}

// A plan of format 3 (before custom fields) is migrated when opened; it has
// no custom field, and custom fields can be written afterwards.
func TestMigrateFormat3(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat4, `PRAGMA user_version = 3`)...)
	if _, err := sqlite.OpenReadOnly(path); planner.ErrorCode(err) != planner.EUNSUPPORTED {
		t.Errorf("OpenReadOnly of format 3: %v", err)
	}
	db = MustOpenPath(t, path)
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	MustReplace(t, db, fieldsPlan())
	comparePlans(t, fieldsPlan(), MustLoad(t, db))
}

// A plan of format 4 (before match levels) is migrated when opened: its
// located accounts get MatchPoint (they were placed by their own
// coordinates), the others MatchNone.
func TestMigrateFormat4(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, fieldsPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat5, `PRAGMA user_version = 4`)...)
	db = MustOpenPath(t, path)
	got := MustLoad(t, db)
	comparePlans(t, fieldsPlan(), got)
	for _, a := range got.Accounts {
		if want := map[bool]planner.MatchLevel{true: planner.MatchPoint, false: planner.MatchNone}[a.HasLocation]; a.Match != want {
			t.Errorf("account %q: match %v, want %v", a.Name, a.Match, want)
		}
	}
	// Geocoded levels round-trip.
	p := fieldsPlan()
	p.Accounts[0].Match = planner.MatchPostal
	MustReplace(t, db, p)
	if got := MustLoad(t, db).Accounts[0].Match; got != planner.MatchPostal {
		t.Errorf("match after Replace: %v, want postal code", got)
	}
}

// Damaged custom field JSON is reported as damage, not a panic.
func TestCustomFieldsDamaged(t *testing.T) {
	for _, stmt := range []string{
		`UPDATE plan SET custom_fields = 'x'`,
		`UPDATE plan SET custom_fields = '{}'`,
		`UPDATE account SET fields = '[1' WHERE id = (SELECT min(id) FROM account)`,
		`UPDATE account SET fields = 'null' WHERE id = (SELECT min(id) FROM account)`,
		`UPDATE account SET fields = '[1,2]' WHERE id = (SELECT min(id) FROM account)`,
	} {
		db := MustOpenDB(t)
		MustReplace(t, db, fieldsPlan())
		path := db.Path
		MustCloseDB(t, db)
		rawExec(t, path, stmt)
		db = MustOpenPath(t, path)
		if _, err := db.Load(context.Background()); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: Load = %v, want EINVALID", stmt, err)
		}
		MustCloseDB(t, db)
	}
}

// The workload model round-trips, is removed with nil, refuses an invalid
// model, and a format-5 plan is migrated without one.
func TestWorkloadModel(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	if got := MustLoad(t, db).Workload; got != nil {
		t.Fatalf("a new plan has workload %+v", got)
	}
	m := &planner.WorkloadModel{Rules: []planner.VisitRule{
		{Segment: "GENERAL ACUTE CARE", MinPotential: 200, VisitsPerYear: 24, HoursPerVisit: 2},
		{VisitsPerYear: 4, HoursPerVisit: 1.5},
	}, SpeedKmh: 55, Circuity: 1.25, DefaultCapacityHours: 1500}
	if err := db.Apply(t.Context(), sqlite.SetWorkloadEdit(m)); err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, db).Workload; !reflect.DeepEqual(got, m) {
		t.Errorf("workload = %+v, want %+v", got, m)
	}
	bad := &planner.WorkloadModel{}
	if err := db.Apply(t.Context(), sqlite.SetWorkloadEdit(bad)); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("empty model: %v", err)
	}
	if got := MustLoad(t, db).Workload; !reflect.DeepEqual(got, m) {
		t.Errorf("after a refused edit: %+v", got)
	}
	// Replace writes it too; nil removes it.
	p := MustLoad(t, db)
	MustReplace(t, db, p)
	if got := MustLoad(t, db).Workload; !reflect.DeepEqual(got, m) {
		t.Errorf("after Replace: %+v", got)
	}
	if err := db.Apply(t.Context(), sqlite.SetWorkloadEdit(nil)); err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, db).Workload; got != nil {
		t.Errorf("after removing: %+v", got)
	}
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat6, `PRAGMA user_version = 5`)...)
	db = MustOpenPath(t, path)
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

// rosterPlan is SmallPlan with a full roster: a rep with every field set, one
// with a ZIP code but no home base, and one with nothing but a name (zero
// start date, no home, default capacity).
func rosterPlan() *planner.Plan {
	p := SmallPlan()
	p.Reps = []planner.Rep{
		{ID: 3, Name: "Dana Whitfield", Email: "dana@example.com", Role: "Account Executive", Manager: "Mia Chen",
			HomeBase: orb.Point{-86.4806, 32.4609}, HasHome: true, HomeZIP: "36067",
			Start: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), CapacityHours: 1450.5, AnnualCost: 182500.75},
		{ID: 1, Name: "Luis Ortega", Email: "luis@example.com", Role: "Sales Rep", HomeZIP: "00501",
			Start: time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{ID: 7, Name: "Zoë O'Brien \"Z\""},
	}
	return p
}

// Every Rep field round-trips through Replace and Load, also after the
// file is reopened, including a zero start date and a rep with no home.
func TestRepRosterRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	want := rosterPlan()
	MustReplace(t, db, want)
	got := MustLoad(t, db)
	if !reflect.DeepEqual(got.Reps, want.Reps) {
		t.Errorf("reps:\n got %+v\nwant %+v", got.Reps, want.Reps)
	}
	path := db.Path
	MustCloseDB(t, db)
	db = MustOpenPath(t, path)
	got = MustLoad(t, db)
	comparePlans(t, want, got)
	if r := got.Rep(7); r == nil || !r.Start.IsZero() || r.HasHome || r.HomeBase != (orb.Point{}) || r.Capacity(1600) != 1600 {
		t.Errorf("rep without data loads as %+v", r)
	}
	if r := got.Rep(3); r == nil || r.Capacity(1600) != 1450.5 || r.Start.Location() != time.UTC {
		t.Errorf("rep 3 loads as %+v", r)
	}
	// Replace with fewer fields leaves nothing behind.
	MustReplace(t, db, SmallPlan())
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

// Damaged roster values are reported as damage, not a panic.
func TestRepRosterDamaged(t *testing.T) {
	for _, stmt := range []string{
		`UPDATE rep SET home_lon = NULL WHERE id = 3`,
		`UPDATE rep SET start = '2024-13-45' WHERE id = 3`,
		`UPDATE rep SET capacity_hours = -1 WHERE id = 3`,
	} {
		db := MustOpenDB(t)
		MustReplace(t, db, rosterPlan())
		path := db.Path
		MustCloseDB(t, db)
		rawExec(t, path, `PRAGMA ignore_check_constraints = ON`, stmt)
		db = MustOpenPath(t, path)
		if _, err := db.Load(context.Background()); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: Load = %v, want EINVALID", stmt, err)
		}
		MustCloseDB(t, db)
	}
}

// A plan of format 6 (reps with only a name and an email) is migrated when
// opened: its reps keep their IDs, names and emails, and the new fields are
// zero; the full roster can be written afterwards.
func TestMigrateFormat6(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat7, `PRAGMA user_version = 6`)...)
	db = MustOpenPath(t, path)
	got := MustLoad(t, db)
	comparePlans(t, SmallPlan(), got)
	want := []planner.Rep{{ID: 3, Name: "Dana Whitfield", Email: "dana@example.com"}, {ID: 1, Name: "Luis Ortega"}}
	if !reflect.DeepEqual(got.Reps, want) {
		t.Errorf("migrated reps %+v, want %+v", got.Reps, want)
	}
	MustReplace(t, db, rosterPlan())
	comparePlans(t, rosterPlan(), MustLoad(t, db))
}
