package sqlite_test

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// quotaSettings are valid settings with every field set.
func quotaSettings() *planner.QuotaSettings {
	return &planner.QuotaSettings{
		FiscalYear: 2027, StartMonth: time.February, Currency: "USD", Target: 40_000_000,
		OverAssignPct: 10, Rounding: 1000, WeightPotential: 0.6, WeightHistory: 0.4,
		FloorPct: -10, CeilingPct: 25,
		Season: planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.February),
	}
}

// Quota settings and territory quotas survive Replace and Load.
func TestQuotaRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	p := SmallPlan()
	p.Quota = quotaSettings()
	p.Scenarios[0].Territories[0].Quota = planner.Known(24_200_000)
	p.Scenarios[0].Territories[1].Quota = planner.Known(0)
	MustReplace(t, db, p)
	comparePlans(t, p, MustLoad(t, db))
}

// SetQuotasEdit writes the settings and one scenario's quotas, clears
// that scenario's territories left out, and leaves other scenarios alone.
func TestSetQuotasEdit(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	p := SmallPlan()
	p.Scenarios[1].Territories[0].Quota = planner.Known(5) // another scenario: kept
	p.Scenarios[0].Territories[1].Quota = planner.Known(7) // left out below: cleared
	MustReplace(t, db, p)
	s := quotaSettings()
	if err := db.Apply(ctx, sqlite.SetQuotasEdit(20, s, map[int64]float64{202: 26_400_000.5}, nil)); err != nil {
		t.Fatal(err)
	}
	got := MustLoad(t, db)
	want := SmallPlan()
	want.Quota = s
	want.Scenarios[1].Territories[0].Quota = planner.Known(5)
	want.Scenarios[0].Territories[0].Quota = planner.Known(26_400_000.5)
	comparePlans(t, want, got)

	// nil settings remove them.
	if err := db.Apply(ctx, sqlite.SetQuotasEdit(20, nil, nil, nil)); err != nil {
		t.Fatal(err)
	}
	got = MustLoad(t, db)
	if got.Quota != nil || got.Scenarios[0].Territories[0].Quota.Known {
		t.Errorf("after clearing: settings %+v, quota %v", got.Quota, got.Scenarios[0].Territories[0].Quota)
	}
}

// A failing SetQuotasEdit writes nothing and says why.
func TestSetQuotasEditErrors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	bad := quotaSettings()
	bad.Season[0] += 1
	for _, tc := range []struct {
		name     string
		scenario int64
		s        *planner.QuotaSettings
		q        map[int64]float64
		code     string
	}{
		{"season not 100%", 20, bad, nil, planner.EINVALID},
		{"negative quota", 20, quotaSettings(), map[int64]float64{202: -1}, planner.EINVALID},
		{"NaN quota", 20, quotaSettings(), map[int64]float64{202: math.NaN()}, planner.EINVALID},
		{"infinite quota", 20, quotaSettings(), map[int64]float64{202: math.Inf(1)}, planner.EINVALID},
		{"no scenario", 99, quotaSettings(), nil, planner.ENOTFOUND},
		{"territory of another scenario", 20, quotaSettings(), map[int64]float64{202: 1, 101: 1}, planner.ENOTFOUND},
	} {
		err := db.Apply(ctx, sqlite.SetQuotasEdit(tc.scenario, tc.s, tc.q, nil))
		if planner.ErrorCode(err) != tc.code {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.code)
		}
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

// Stored quota values that break the rules are damage: Load refuses them.
func TestQuotaDamage(t *testing.T) {
	for _, stmt := range []string{
		`UPDATE plan SET quota_settings = '{"fiscal_year": 2027'`,
		`UPDATE plan SET quota_settings = '{"fiscal_year": 2027, "start_month": 13, "weight_potential": 1}'`,
	} {
		db := MustOpenDB(t)
		MustReplace(t, db, SmallPlan())
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

// A plan of format 7 (before quotas) is migrated when opened: no settings
// and no quotas; they can be written afterwards.
func TestMigrateFormat7(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	path := db.Path
	MustCloseDB(t, db)
	rawExec(t, path, append(dropFormat8, `PRAGMA user_version = 7`)...)
	db = MustOpenPath(t, path)
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if err := db.Apply(context.Background(), sqlite.SetQuotasEdit(20, quotaSettings(), map[int64]float64{201: 1000}, nil)); err != nil {
		t.Fatal(err)
	}
	got := MustLoad(t, db)
	if got.Quota == nil || !reflect.DeepEqual(*got.Quota, *quotaSettings()) || got.Scenarios[0].Territory(201).Quota != planner.Known(1000) {
		t.Errorf("after migration: settings %+v, North quota %v", got.Quota, got.Scenarios[0].Territory(201).Quota)
	}
}

// Plan.Validate refuses a negative or non-finite territory quota and
// invalid quota settings, so Replace writes nothing.
func TestReplaceQuotaInvalid(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	for name, edit := range map[string]func(p *planner.Plan){
		"negative quota": func(p *planner.Plan) { p.Scenarios[0].Territories[0].Quota = planner.Known(-1) },
		"NaN quota":      func(p *planner.Plan) { p.Scenarios[0].Territories[0].Quota = planner.Known(math.NaN()) },
		"infinite quota": func(p *planner.Plan) { p.Scenarios[1].Territories[0].Quota = planner.Known(math.Inf(1)) },
		"bad settings": func(p *planner.Plan) {
			p.Quota = &planner.QuotaSettings{FiscalYear: 2027, StartMonth: 1, WeightPotential: 1, Target: -5}
		},
	} {
		p := SmallPlan()
		edit(p)
		if err := db.Replace(context.Background(), p); planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("%s: Replace = %v, want EINVALID", name, err)
		}
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))
}

// A territory added back (as an undo of its deletion does) keeps its quota.
func TestAddTerritoryKeepsQuota(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	ctx := t.Context()
	id, err := db.AddTerritory(ctx, 10, planner.Territory{Name: "Gulf", Color: "#59a14f", Quota: planner.Known(1.5e6)})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTerritory(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddTerritory(ctx, 10, planner.Territory{ID: id, Name: "Gulf", Color: "#59a14f", Quota: planner.Known(1.5e6)}); err != nil {
		t.Fatal(err)
	}
	if got := MustLoad(t, db).Scenario(10).Territory(id).Quota; got != planner.Known(1.5e6) {
		t.Errorf("quota after delete and add back: %v, want 1,500,000", got)
	}
}
