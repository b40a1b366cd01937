package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// SmallPlan returns a small plan that uses every feature of the format:
// multipolygons with a hole, a unit with no population, accounts with and
// without a location, with unknown potential and in no unit, a vacant
// territory, two scenarios, borders, and rows deliberately out of ID order
// so that Load must keep the written order.
func SmallPlan() *planner.Plan {
	// Exterior rings counter-clockwise, holes clockwise.
	autauga := orb.MultiPolygon{{
		{{-86.9, 32.3}, {-86.4, 32.3}, {-86.4, 32.7}, {-86.9, 32.7}, {-86.9, 32.3}},
		{{-86.7, 32.4}, {-86.7, 32.5}, {-86.6, 32.5}, {-86.6, 32.4}, {-86.7, 32.4}}, // a lake
	}}
	baldwin := orb.MultiPolygon{
		{{{-88.0, 30.2}, {-87.4, 30.2}, {-87.4, 31.3}, {-88.0, 31.3}, {-88.0, 30.2}}},
		{{{-88.1, 30.22}, {-88.05, 30.22}, {-88.05, 30.25}, {-88.1, 30.22}}}, // an island
	}
	barbour := orb.MultiPolygon{{{{-85.7, 31.6}, {-85.0, 31.6}, {-85.0, 32.1}, {-85.7, 32.1}, {-85.7, 31.6}}}}
	appling := orb.MultiPolygon{{{{-82.6, 31.6}, {-82.1, 31.6}, {-82.1, 32.0}, {-82.6, 32.0}, {-82.6, 31.6}}}}
	return &planner.Plan{
		Name:          "Southeast hospitals",
		Description:   "Test plan: 4 counties, 5 hospitals.\nSecond line.",
		Created:       time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC),
		Attribution:   "US Census Bureau, public domain\n\"Hospitals\" © HIFLD, CC0",
		UnitLevel:     "County",
		ParentLevel:   "State",
		PotentialName: "Beds",
		Units: []planner.GeographyUnit{
			{Code: "13001", Name: "Appling", ParentCode: "13", ParentName: "Georgia", Population: planner.Known(18444), Geometry: appling},
			{Code: "01001", Name: "Autauga", ParentCode: "01", ParentName: "Alabama", Population: planner.Known(58805), Geometry: autauga},
			{Code: "01003", Name: "Baldwin", ParentCode: "01", ParentName: "Alabama", Population: planner.Known(231767.5), Geometry: baldwin},
			{Code: "01005", Name: "Barbour", ParentCode: "01", ParentName: "Alabama", Population: planner.Unknown, Geometry: barbour},
			{Code: "35013", Name: "Doña Ana", ParentCode: "35", ParentName: "New Mexico", Population: planner.Known(0)}, // no geometry
		},
		Borders: orb.MultiLineString{
			{{-88.47, 30.22}, {-88.2, 35.0}},
			{{-85.6, 30.99}, {-85.0, 32.0}, {-85.6, 35.0}},
		},
		Accounts: []planner.Account{
			{ID: 9, ExternalID: "H-009", Name: "Prattville Baptist Hospital", Address: "124 S Memorial Dr", City: "Prattville", State: "AL", ZIP: "36067",
				Location: orb.Point{-86.46, 32.46}, HasLocation: true, Match: planner.MatchPoint, Segment: "GENERAL ACUTE CARE", Owner: "NON-PROFIT",
				Potential: planner.Known(85), UnitCode: "01001", Placement: planner.PlacedInside},
			{ID: 2, Name: "Thomas Hospital", City: "Fairhope", State: "AL", ZIP: "36532",
				Location: orb.Point{-87.91, 30.52}, HasLocation: true, Match: planner.MatchPoint, Segment: "GENERAL ACUTE CARE",
				Potential: planner.Unknown, UnitCode: "01003", Placement: planner.PlacedNearest},
			{ID: 5, ExternalID: "H-005", Name: "Mobile Clinic (no address)", ZIP: "00501",
				Potential: planner.Known(0), Placement: planner.PlacedNone},
			{ID: 7, ExternalID: "H-007", Name: "Appling Healthcare", Address: "163 E Tollison St", City: "Baxley", State: "GA", ZIP: "31513",
				Location: orb.Point{-82.35, 31.78}, HasLocation: true, Match: planner.MatchPoint, Segment: "CRITICAL ACCESS", Owner: "GOVERNMENT - LOCAL",
				Potential: planner.Known(12.5), UnitCode: "13001", Placement: planner.PlacedInside},
			{ID: 1, ExternalID: "H-001", Name: "Offshore Platform Infirmary", State: "AL",
				Location: orb.Point{-88.5, 29.0}, HasLocation: true, Match: planner.MatchPoint,
				Potential: planner.Known(4), Placement: planner.PlacedNone},
			{ID: 3, ExternalID: "H-003", Name: "Barbour General", City: "Eufaula", State: "AL", ZIP: "36027",
				Location: orb.Point{-85.15, 31.89}, HasLocation: true, Match: planner.MatchPoint, Segment: "GENERAL ACUTE CARE",
				Potential: planner.Known(74), UnitCode: "01005", Placement: planner.PlacedInside},
		},
		Reps: []planner.Rep{
			{ID: 3, Name: "Dana Whitfield", Email: "dana@example.com"},
			{ID: 1, Name: "Luis Ortega"},
		},
		Scenarios: []planner.Scenario{
			{ID: 20, Name: "Current", Territories: []planner.Territory{
				{ID: 202, Name: "South", Color: "#ff7f0e", Reps: []planner.Assignment{{RepID: 3, Share: 100}}},
				{ID: 201, Name: "North", Color: "#1f77b4"}, // vacant
			}, Alignment: map[string]int64{"01001": 201, "01003": 202, "01005": 202}},
			{ID: 10, Name: "Draft: split Georgia", Territories: []planner.Territory{
				{ID: 101, Name: "North", Color: "#2ca02c", Reps: []planner.Assignment{{RepID: 1, Share: 100}}},
				{ID: 103, Name: "East", Color: "#d62728", Reps: []planner.Assignment{{RepID: 3, Share: 100}}},
			}, Alignment: map[string]int64{"01001": 101, "13001": 103}},
			{ID: 30, Name: "Empty draft", Alignment: map[string]int64{}},
		},
		ActiveScenario: 10,
	}
}

// comparePlans reports the differences between want and got, section by
// section, so that a failure says where the plans differ.
func comparePlans(tb testing.TB, want, got *planner.Plan) {
	tb.Helper()
	if reflect.DeepEqual(want, got) {
		return
	}
	w, g := *want, *got
	w.Units, w.Accounts, w.Reps, w.Scenarios, w.Borders = nil, nil, nil, nil, nil
	g.Units, g.Accounts, g.Reps, g.Scenarios, g.Borders = nil, nil, nil, nil, nil
	if !reflect.DeepEqual(w, g) {
		tb.Errorf("plan metadata:\n got %#v\nwant %#v", g, w)
	}
	if len(got.Units) != len(want.Units) {
		tb.Errorf("%d units, want %d", len(got.Units), len(want.Units))
	}
	for i := range min(len(got.Units), len(want.Units)) {
		if !reflect.DeepEqual(got.Units[i], want.Units[i]) {
			tb.Errorf("unit %d:\n got %#v\nwant %#v", i, got.Units[i], want.Units[i])
		}
	}
	if !reflect.DeepEqual(got.Borders, want.Borders) {
		tb.Errorf("borders:\n got %v\nwant %v", got.Borders, want.Borders)
	}
	if len(got.Accounts) != len(want.Accounts) {
		tb.Errorf("%d accounts, want %d", len(got.Accounts), len(want.Accounts))
	}
	for i := range min(len(got.Accounts), len(want.Accounts)) {
		if !reflect.DeepEqual(got.Accounts[i], want.Accounts[i]) {
			tb.Errorf("account %d:\n got %#v\nwant %#v", i, got.Accounts[i], want.Accounts[i])
		}
	}
	if !reflect.DeepEqual(got.Reps, want.Reps) {
		tb.Errorf("reps:\n got %#v\nwant %#v", got.Reps, want.Reps)
	}
	if !reflect.DeepEqual(got.Scenarios, want.Scenarios) {
		tb.Errorf("scenarios:\n got %#v\nwant %#v", got.Scenarios, want.Scenarios)
	}
}

func TestRoundTrip(t *testing.T) {
	want := SmallPlan()
	db := MustOpenDB(t)
	MustReplace(t, db, want)
	db = MustReopen(t, db)
	got := MustLoad(t, db)
	comparePlans(t, want, got)

	// Spot checks of what comparePlans covers, as values.
	if got.Units[3].Population.Known {
		t.Errorf("Barbour population = %v, want no data", got.Units[3].Population)
	}
	if hole := got.Units[1].Geometry[0][1]; len(hole) != 5 || hole[1] != (orb.Point{-86.7, 32.5}) {
		t.Errorf("Autauga hole = %v", hole)
	}
	if got.Units[4].Geometry != nil {
		t.Errorf("Doña Ana geometry = %v, want nil", got.Units[4].Geometry)
	}
	if a := got.Accounts[2]; a.HasLocation || a.Location != (orb.Point{}) || a.UnitCode != "" {
		t.Errorf("account without location = %+v", a)
	}
	if a := got.Accounts[1]; a.Potential.Known || a.Placement != planner.PlacedNearest {
		t.Errorf("account 2 = %+v, want unknown potential, placed nearest", a)
	}
	if got.Created.Location() != time.UTC || !got.Created.Equal(want.Created) {
		t.Errorf("Created = %v, want %v in UTC", got.Created, want.Created)
	}

	// The metrics agree before and after.
	for i := range want.Scenarios {
		s := &want.Scenarios[i]
		mw := planner.ComputeMetrics(want, s)
		mg := planner.ComputeMetrics(got, got.Scenario(s.ID))
		if !reflect.DeepEqual(mw, mg) {
			t.Errorf("metrics of scenario %d:\n got %+v\nwant %+v", s.ID, mg, mw)
		}
	}
	m := planner.ComputeMetrics(got, got.Active())
	if m.ScenarioID != 10 || len(m.Territories) != 2 {
		t.Fatalf("active metrics = %+v", m)
	}
	north, east := m.Territories[0], m.Territories[1]
	if north.Units != 1 || north.Accounts != 1 || north.Population != 58805 || north.Potential != 85 || north.RepName != "Luis Ortega" {
		t.Errorf("North = %+v", north)
	}
	if east.Units != 1 || east.Accounts != 1 || east.Population != 18444 || east.Potential != 12.5 {
		t.Errorf("East = %+v", east)
	}
	// White space: Baldwin, Barbour (no data), Doña Ana; Thomas (unknown
	// potential), Barbour General, and the two accounts in no unit.
	ws := m.WhiteSpace
	if ws.Units != 3 || ws.Population != 231767.5 || ws.PopulationMissing != 1 ||
		ws.Accounts != 4 || ws.Potential != 78 || ws.PotentialMissing != 1 || m.UnlocatedAccounts != 2 {
		t.Errorf("white space = %+v, unlocated %d", ws, m.UnlocatedAccounts)
	}
}

// A second Replace replaces everything the first wrote.
func TestReplace_ReplacesAll(t *testing.T) {
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	want := &planner.Plan{
		Name:      "Tiny",
		Created:   time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Units:     []planner.GeographyUnit{{Code: "A", Name: "Unit A", Population: planner.Known(1)}},
		Scenarios: []planner.Scenario{{ID: 1, Name: "Only", Alignment: map[string]int64{}}},
	}
	MustReplace(t, db, want)
	db = MustReopen(t, db)
	comparePlans(t, want, MustLoad(t, db))
}

// Replace with a plan that fails validation, or that the database refuses
// half-way, changes nothing.
func TestReplace_Invalid(t *testing.T) {
	ctx := context.Background()
	orig := SmallPlan()
	db := MustOpenDB(t)
	MustReplace(t, db, orig)
	modified, err := db.Modified(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return modified.Add(time.Hour) }
	// A trigger (added through a second connection) makes the database
	// refuse one account after the units and reps were written.
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON account WHEN NEW.name = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	tests := []struct {
		name   string
		change func(p *planner.Plan)
		code   string
	}{
		{"duplicate unit code", func(p *planner.Plan) { p.Units[1].Code = p.Units[0].Code }, planner.EINVALID},
		{"no name", func(p *planner.Plan) { p.Name = "" }, planner.EINVALID},
		{"infinite potential", func(p *planner.Plan) { p.Accounts[0].Potential = planner.Known(math.Inf(1)) }, planner.EINVALID},
		{"alignment to another scenario's territory", func(p *planner.Plan) { p.Scenarios[0].Alignment["13001"] = 101 }, planner.EINVALID},
		{"unknown active scenario", func(p *planner.Plan) { p.ActiveScenario = 99 }, planner.EINVALID},
		// Passes Validate but the database refuses it after units and reps
		// were written: the transaction must roll back.
		{"refused half-way", func(p *planner.Plan) { p.Accounts[5].Name = "Boom" }, planner.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := SmallPlan()
			bad.Name = "Changed"
			tt.change(bad)
			err := db.Replace(ctx, bad)
			if code := planner.ErrorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %q", code, err, tt.code)
			}
			comparePlans(t, orig, MustLoad(t, db))
			if got, _ := db.Modified(ctx); !got.Equal(modified) {
				t.Errorf("Modified = %v, want unchanged %v", got, modified)
			}
		})
	}

	// A cancelled context also leaves the old plan.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := db.Replace(cctx, SmallPlan()); err == nil {
		t.Error("Replace with a cancelled context succeeded")
	}
	db = MustReopen(t, db)
	comparePlans(t, orig, MustLoad(t, db))
}

// Edits are written as they happen and survive reopening.
func TestEdits(t *testing.T) {
	ctx := context.Background()
	want := SmallPlan()
	db := MustOpenDB(t)
	MustReplace(t, db, want)
	if got, err := db.Modified(ctx); err != nil || !got.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("Modified after Replace = %v, %v", got, err)
	}
	edited := time.Date(2026, 2, 3, 4, 5, 6, 7000, time.UTC)
	db.Now = func() time.Time { return edited.In(time.FixedZone("EST", -5*3600)) }

	if err := db.SetAlignment(ctx, 20, []string{"13001", "01003"}, 201); err != nil {
		t.Fatal(err)
	}
	want.Scenarios[0].Alignment["13001"] = 201
	want.Scenarios[0].Alignment["01003"] = 201
	if err := db.SetAlignment(ctx, 20, []string{"01005", "35013"}, 0); err != nil { // 35013 was not aligned
		t.Fatal(err)
	}
	delete(want.Scenarios[0].Alignment, "01005")
	if err := db.SetAlignment(ctx, 30, []string{"01001"}, 0); err != nil { // a scenario with no territory
		t.Fatal(err)
	}
	if err := db.SetAlignment(ctx, 10, nil, 103); err != nil {
		t.Fatal(err)
	}
	if err := db.RenameTerritory(ctx, 201, "North & Georgia"); err != nil {
		t.Fatal(err)
	}
	want.Scenarios[0].Territories[1].Name = "North & Georgia"
	if err := db.RenameTerritory(ctx, 101, "North"); err != nil { // its own name
		t.Fatal(err)
	}
	if err := db.RenameTerritory(ctx, 103, "North & Georgia"); err != nil { // taken in the other scenario only
		t.Fatal(err)
	}
	want.Scenarios[1].Territories[1].Name = "North & Georgia"
	if err := db.SetActiveScenario(ctx, 20); err != nil {
		t.Fatal(err)
	}
	want.ActiveScenario = 20

	db = MustReopen(t, db)
	got := MustLoad(t, db)
	comparePlans(t, want, got)
	if m, err := db.Modified(ctx); err != nil || !m.Equal(edited) || m.Location() != time.UTC {
		t.Errorf("Modified = %v, %v, want %v in UTC", m, err, edited)
	}
	m := planner.ComputeMetrics(got, got.Active())
	if north := m.Territories[1]; north.Territory.Name != "North & Georgia" || north.Units != 3 || north.Accounts != 3 ||
		north.Potential != 85+12.5 || north.PotentialMissing != 1 {
		t.Errorf("North & Georgia = %+v", north)
	}
}

// Failed edits return the right code and change nothing.
func TestEdits_Errors(t *testing.T) {
	ctx := context.Background()
	want := SmallPlan()
	db := MustOpenDB(t)
	MustReplace(t, db, want)
	modified, _ := db.Modified(ctx)
	db.Now = func() time.Time { return modified.Add(time.Hour) }
	// A trigger (added through a second connection) makes the database
	// refuse one account after the units and reps were written.
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON account WHEN NEW.name = 'Boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	tests := []struct {
		name string
		edit func() error
		code string
	}{
		{"unknown territory", func() error { return db.SetAlignment(ctx, 20, []string{"01001"}, 999) }, planner.ENOTFOUND},
		{"territory of another scenario", func() error { return db.SetAlignment(ctx, 20, []string{"01001"}, 101) }, planner.ENOTFOUND},
		{"negative territory", func() error { return db.SetAlignment(ctx, 20, []string{"01001"}, -1) }, planner.ENOTFOUND},
		{"unknown scenario", func() error { return db.SetAlignment(ctx, 99, []string{"01001"}, 201) }, planner.ENOTFOUND},
		{"unknown scenario, unassign", func() error { return db.SetAlignment(ctx, 99, []string{"01001"}, 0) }, planner.ENOTFOUND},
		// The first unit would change; the unknown second one rolls it back.
		{"unknown unit", func() error { return db.SetAlignment(ctx, 20, []string{"13001", "99999"}, 201) }, planner.ENOTFOUND},
		{"unknown unit, unassign", func() error { return db.SetAlignment(ctx, 20, []string{"01001", "99999"}, 0) }, planner.ENOTFOUND},
		{"rename unknown territory", func() error { return db.RenameTerritory(ctx, 999, "West") }, planner.ENOTFOUND},
		{"rename to a taken name", func() error { return db.RenameTerritory(ctx, 201, "South") }, planner.ECONFLICT},
		{"rename to nothing", func() error { return db.RenameTerritory(ctx, 201, "") }, planner.EINVALID},
		{"rename to spaces", func() error { return db.RenameTerritory(ctx, 201, "  ") }, planner.EINVALID},
		{"unknown active scenario", func() error { return db.SetActiveScenario(ctx, 99) }, planner.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.edit()
			if code := planner.ErrorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %q", code, err, tt.code)
			}
			comparePlans(t, want, MustLoad(t, db))
			if got, _ := db.Modified(ctx); !got.Equal(modified) {
				t.Errorf("Modified = %v, want unchanged %v", got, modified)
			}
		})
	}
	db = MustReopen(t, db)
	comparePlans(t, want, MustLoad(t, db))
}

// LargePlan returns a synthetic plan the size of the sample: units each
// with a 40-vertex polygon in a grid over the contiguous US, accounts
// spread over them, and one scenario with 9 territories aligning every unit.
func LargePlan(units, accounts, territories int) *planner.Plan {
	p := &planner.Plan{
		Name:          "Synthetic",
		Created:       time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC),
		UnitLevel:     "County",
		ParentLevel:   "State",
		PotentialName: "Beds",
	}
	cols := int(math.Ceil(math.Sqrt(float64(units))))
	w, h := 58.0/float64(cols), 24.0/float64(cols)
	for i := range units {
		cx := -125 + (float64(i%cols)+0.5)*w
		cy := 25 + (float64(i/cols)+0.5)*h
		ring := make(orb.Ring, 0, 41)
		for k := range 40 {
			a := 2 * math.Pi * float64(k) / 40
			ring = append(ring, orb.Point{cx + 0.45*w*math.Cos(a), cy + 0.45*h*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		pop := planner.Known(float64(1000 + i*37%90000))
		if i%97 == 0 {
			pop = planner.Unknown
		}
		p.Units = append(p.Units, planner.GeographyUnit{
			Code: fmt.Sprintf("%05d", i+1), Name: fmt.Sprintf("County %d", i+1),
			ParentCode: fmt.Sprintf("%02d", i/64+1), ParentName: fmt.Sprintf("State %d", i/64+1),
			Population: pop, Geometry: orb.MultiPolygon{{ring}},
		})
	}
	for i := range accounts {
		u := &p.Units[i*7%units]
		c := u.Geometry[0][0].Bound().Center()
		a := planner.Account{
			ID: int64(i + 1), ExternalID: fmt.Sprintf("HOSP-%06d", i+1), Name: fmt.Sprintf("Hospital %d", i+1),
			Address: fmt.Sprintf("%d Main St", i+1), City: "Springfield", State: "ST", ZIP: fmt.Sprintf("%05d", i*13%99999),
			Location: c, HasLocation: true, Match: planner.MatchPoint, Segment: "GENERAL ACUTE CARE", Owner: "NON-PROFIT",
			Potential: planner.Known(float64(10 + i%400)), UnitCode: u.Code, Placement: planner.PlacedInside,
		}
		if i%50 == 0 {
			a.Potential = planner.Unknown
		}
		p.Accounts = append(p.Accounts, a)
	}
	s := planner.Scenario{ID: 1, Name: "Current", Alignment: make(map[string]int64, units)}
	for k := range territories {
		p.Reps = append(p.Reps, planner.Rep{ID: int64(k + 1), Name: fmt.Sprintf("Rep %d", k+1)})
		s.Territories = append(s.Territories, planner.Territory{
			ID: int64(k + 1), Name: fmt.Sprintf("Territory %d", k+1), Color: "#336699", Reps: []planner.Assignment{{RepID: int64(k + 1), Share: 100}}})
	}
	for i := range p.Units {
		s.Alignment[p.Units[i].Code] = int64(i*territories/units + 1)
	}
	p.Scenarios = []planner.Scenario{s}
	p.ActiveScenario = 1
	return p
}

func TestLargePlan(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	want := LargePlan(3231, 7000, 9)
	db := MustOpenDB(t)
	start := time.Now()
	MustReplace(t, db, want)
	t.Logf("Replace: %v", time.Since(start))
	db = MustReopen(t, db)
	start = time.Now()
	got := MustLoad(t, db)
	t.Logf("Load: %v", time.Since(start))
	comparePlans(t, want, got)
}
