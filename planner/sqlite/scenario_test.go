package sqlite_test

import (
	"context"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// An optimiser's result into a new scenario, a rename, an in-place
// replacement of an alignment, and the undo of each, written with Apply
// and read back (also after reopening the file).
func TestScenarioEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	want := SmallPlan()

	// "Balanced draft 1": a copy of Current (20) with new IDs (31; 203,
	// 204), a drawn boundary, and its own alignment; it becomes active.
	c, err := want.CopyScenario(want.Scenario(20), want.NextScenarioName("Balanced draft"))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != 31 || c.Name != "Balanced draft 1" || c.Territories[0].ID != 203 || c.Territories[1].ID != 204 {
		t.Fatalf("copy = %+v", c)
	}
	c.Territories[1].Boundary = orb.Polygon{box(-87, 31, -86, 32)}
	c.Alignment = map[string]int64{"01001": 204, "01003": 203, "01005": 203, "13001": 204}
	if err := db.Apply(ctx, sqlite.AddScenarioEdit(c), sqlite.SetActiveScenarioEdit(c.ID)); err != nil {
		t.Fatal(err)
	}
	want.Scenarios = append(want.Scenarios, c)
	want.ActiveScenario = c.ID
	comparePlans(t, want, MustLoad(t, db))
	db = MustReopen(t, db)
	comparePlans(t, want, MustLoad(t, db))

	// Renames: trimmed; a scenario may change the case of its own name.
	if err := db.RenameScenario(ctx, 31, "  Balanced (final) "); err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, sqlite.RenameScenarioEdit(31, "balanced (FINAL)")); err != nil {
		t.Fatal(err)
	}
	want.Scenario(31).Name = "balanced (FINAL)"

	// In place: Current's alignment replaced whole; 01005 becomes white
	// space, 35013 is aligned for the first time, 0 means unassigned.
	before := want.Scenario(20).Alignment
	after := map[string]int64{"01001": 202, "01003": 201, "35013": 201, "13001": 0}
	if err := db.ReplaceAlignment(ctx, 20, after); err != nil {
		t.Fatal(err)
	}
	want.Scenario(20).Alignment = map[string]int64{"01001": 202, "01003": 201, "35013": 201}
	comparePlans(t, want, MustLoad(t, db))

	// Undo, newest first: the alignment, the renames, the new scenario.
	if err := db.Apply(ctx, sqlite.ReplaceAlignmentEdit(20, before)); err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, sqlite.RenameScenarioEdit(31, "Balanced draft 1")); err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, sqlite.SetActiveScenarioEdit(10), sqlite.DeleteScenarioEdit(31)); err != nil {
		t.Fatal(err)
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))

	// Deleting and undoing puts each scenario back in its place: first,
	// last, and (with the first gone) in the middle.
	orig := SmallPlan()
	for _, step := range []struct {
		id    int64
		index int
	}{{20, 0}, {30, 2}, {20, 0}} {
		if err := db.DeleteScenario(ctx, step.id); err != nil {
			t.Fatalf("delete %d: %v", step.id, err)
		}
		if p := MustLoad(t, db); len(p.Scenarios) != 2 || p.Scenario(step.id) != nil {
			t.Fatalf("after deleting %d: %+v", step.id, p.Scenarios)
		}
		if err := db.Apply(ctx, sqlite.InsertScenarioEdit(*orig.Scenario(step.id), step.index)); err != nil {
			t.Fatalf("reinsert %d: %v", step.id, err)
		}
		comparePlans(t, orig, MustLoad(t, db))
	}
	if err := db.DeleteScenario(ctx, 30); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteScenario(ctx, 20); err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(ctx, sqlite.InsertScenarioEdit(*orig.Scenario(20), 0), sqlite.InsertScenarioEdit(*orig.Scenario(30), 99)); err != nil {
		t.Fatal(err)
	}
	comparePlans(t, orig, MustLoad(t, db))

	// No stored active scenario, and back.
	if err := db.Apply(ctx, sqlite.SetActiveScenarioEdit(0)); err != nil {
		t.Fatal(err)
	}
	if p := MustLoad(t, db); p.ActiveScenario != 0 || p.Active().ID != 20 {
		t.Errorf("active = %d (%d)", p.ActiveScenario, p.Active().ID)
	}
	if err := db.Apply(ctx, sqlite.SetActiveScenarioEdit(10)); err != nil {
		t.Fatal(err)
	}
	db = MustReopen(t, db)
	comparePlans(t, orig, MustLoad(t, db))
}

// Every scenario edit refuses what would make a bad plan, with the right
// code and message, and changes nothing.
func TestScenarioEditErrors(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	modified, err := db.Modified(ctx)
	if err != nil {
		t.Fatal(err)
	}
	good := func() planner.Scenario {
		return planner.Scenario{ID: 40, Name: "New", Territories: []planner.Territory{
			{ID: 401, Name: "West", Reps: []planner.Assignment{{RepID: 1, Share: 100}}}, {ID: 402, Name: "East"},
		}, Alignment: map[string]int64{"01001": 401, "13001": 402}}
	}
	with := func(f func(s *planner.Scenario)) planner.Scenario {
		s := good()
		f(&s)
		return s
	}
	for _, tc := range []struct {
		name string
		edit sqlite.Edit
		code string
		msg  string // when not "", the message expected
	}{
		{"add: no ID", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.ID = 0 })), planner.EINVALID, ""},
		{"add: no name", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Name = "  " })), planner.EINVALID, ""},
		{"add: ID taken", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.ID = 20 })), planner.ECONFLICT, "Scenario ID 20 is taken"},
		{"add: name taken", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Name = " current" })), planner.ECONFLICT,
			`A scenario named "Current" already exists`},
		{"add: territory ID taken", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Territories[1].ID = 101 })), planner.ECONFLICT, ""},
		{"add: territory ID twice", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Territories[1].ID = 401 })), planner.ECONFLICT, ""},
		{"add: territory without ID", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Territories[1].ID = 0 })), planner.EINVALID, ""},
		{"add: territory name twice", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Territories[1].Name = "West" })), planner.ECONFLICT, ""},
		{"add: territory without name", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Territories[1].Name = "" })), planner.EINVALID, ""},
		{"add: unknown rep", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Territories[1].Reps = []planner.Assignment{{RepID: 77, Share: 100}} })), planner.ENOTFOUND, ""},
		{"add: open boundary", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) {
			s.Territories[0].Boundary = orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}
		})), planner.EINVALID, ""},
		{"add: another scenario's territory", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Alignment["01003"] = 101 })), planner.ENOTFOUND,
			`Geography unit "01003" is aligned to territory 101, which is not in scenario "New"`},
		{"add: unknown unit", sqlite.AddScenarioEdit(with(func(s *planner.Scenario) { s.Alignment["99999"] = 401 })), planner.ENOTFOUND,
			`Geography unit "99999" is not in the plan`},
		{"delete: unknown", sqlite.DeleteScenarioEdit(99), planner.ENOTFOUND, "Scenario 99 is not in the plan"},
		{"delete: active", sqlite.DeleteScenarioEdit(10), planner.EINVALID,
			`Scenario "Draft: split Georgia" cannot be deleted while it is the active scenario; switch to another scenario first`},
		{"rename: empty", sqlite.RenameScenarioEdit(20, " "), planner.EINVALID, "A scenario needs a name"},
		{"rename: too long", sqlite.RenameScenarioEdit(20, strings.Repeat("x", 61)), planner.EINVALID, ""},
		{"rename: taken", sqlite.RenameScenarioEdit(20, "EMPTY DRAFT "), planner.ECONFLICT, `A scenario named "Empty draft" already exists`},
		{"rename: unknown", sqlite.RenameScenarioEdit(99, "X"), planner.ENOTFOUND, ""},
		{"active: unknown", sqlite.SetActiveScenarioEdit(99), planner.ENOTFOUND, ""},
		{"replace: unknown scenario", sqlite.ReplaceAlignmentEdit(99, nil), planner.ENOTFOUND, ""},
		{"replace: other scenario's territory", sqlite.ReplaceAlignmentEdit(20, map[string]int64{"01001": 101}), planner.ENOTFOUND, ""},
		{"replace: first bad unit", sqlite.ReplaceAlignmentEdit(20, map[string]int64{"99999": 201, "00000": 201, "01001": 201}), planner.ENOTFOUND,
			`Geography unit "00000" is not in the plan`},
	} {
		err := db.Apply(ctx, tc.edit)
		if planner.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want code %q", tc.name, err, tc.code)
		} else if tc.msg != "" && planner.ErrorMessage(err) != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, planner.ErrorMessage(err), tc.msg)
		}
	}
	comparePlans(t, SmallPlan(), MustLoad(t, db))
	if m, err := db.Modified(ctx); err != nil || !m.Equal(modified) {
		t.Errorf("Modified = %v, %v; want %v", m, err, modified)
	}
	// The good scenario is accepted: the cases above fail for their own
	// reason.
	if err := db.AddScenario(ctx, good()); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteScenario(ctx, 40); err != nil {
		t.Fatal(err)
	}

	// With no stored active scenario, the first one (20) is the active
	// one and cannot be deleted.
	if err := db.Apply(ctx, sqlite.SetActiveScenarioEdit(0)); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteScenario(ctx, 20); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("delete first with none active: %v", err)
	}

	// The only scenario cannot be deleted.
	one := SmallPlan()
	one.Scenarios, one.ActiveScenario = one.Scenarios[:1], 0
	MustReplace(t, db, one)
	err = db.DeleteScenario(ctx, 20)
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(planner.ErrorMessage(err), "only scenario") {
		t.Errorf("delete the only scenario: %v", err)
	}
	comparePlans(t, one, MustLoad(t, db))
}

// A batch of scenario edits is one transaction: when its last edit fails,
// the scenario added, the active scenario and the replaced alignment
// before it are not written either.
func TestScenarioApplyIsOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	MustReplace(t, db, SmallPlan())
	p := MustLoad(t, db)
	c, err := p.CopyScenario(p.Scenario(20), "Balanced draft 1")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Apply(ctx,
		sqlite.AddScenarioEdit(c),
		sqlite.SetActiveScenarioEdit(c.ID),
		sqlite.ReplaceAlignmentEdit(20, map[string]int64{"01001": 202}),
		sqlite.DeleteScenarioEdit(30),
		sqlite.RenameScenarioEdit(10, "balanced DRAFT 1"))
	if planner.ErrorCode(err) != planner.ECONFLICT {
		t.Fatalf("Apply = %v", err)
	}
	comparePlans(t, p, MustLoad(t, db))
	db = MustReopen(t, db)
	comparePlans(t, p, MustLoad(t, db))
}

// largeAlignments returns the alignment of LargePlan's scenario and
// another one that moves every unit to the next territory, with every
// 10th unit unassigned.
func largeAlignments(p *planner.Plan) (a, b map[string]int64) {
	a = p.Scenarios[0].Alignment
	b = make(map[string]int64, len(a))
	n := int64(len(p.Scenarios[0].Territories))
	for i, u := range p.Units {
		if i%10 != 0 {
			b[u.Code] = a[u.Code]%n + 1
		}
	}
	return a, b
}

// The whole alignment of a sample-sized plan (3,231 units) is replaced in
// one transaction, and a bad code at its end leaves the file as it was.
func TestReplaceAlignment_Large(t *testing.T) {
	ctx := context.Background()
	want := LargePlan(benchUnits, benchAccounts, benchTerritories)
	db := MustOpenDB(t)
	MustReplace(t, db, want)
	_, b := largeAlignments(want)
	if err := db.ReplaceAlignment(ctx, 1, b); err != nil {
		t.Fatal(err)
	}
	want.Scenarios[0].Alignment = b
	comparePlans(t, want, MustLoad(t, db))

	bad := make(map[string]int64, len(b)+1)
	for code := range b {
		bad[code] = 1
	}
	bad["zzzzz"] = 1 // the last code in code order
	err := db.ReplaceAlignment(ctx, 1, bad)
	if planner.ErrorCode(err) != planner.ENOTFOUND || planner.ErrorMessage(err) != `Geography unit "zzzzz" is not in the plan` {
		t.Errorf("bad code: %v", err)
	}
	db = MustReopen(t, db)
	comparePlans(t, want, MustLoad(t, db))
	m := planner.ComputeMetrics(want, &want.Scenarios[0])
	if m.WhiteSpace.Units != (benchUnits+9)/10 {
		t.Errorf("white space %d units, want %d", m.WhiteSpace.Units, (benchUnits+9)/10)
	}
}

// BenchmarkReplaceAlignment replaces the whole alignment of a
// sample-sized plan (3,231 units, 9 territories) in one transaction, as an
// optimiser's result "in place" and its undo do, going back and forth
// between two alignments: in "all", every unit moves to another territory
// or (one in ten) to white space; in "tenth", one unit in ten moves.
func BenchmarkReplaceAlignment(b *testing.B) {
	p := LargePlan(benchUnits, benchAccounts, benchTerritories)
	one, all := largeAlignments(p)
	tenth := make(map[string]int64, len(one))
	for i, u := range p.Units {
		tenth[u.Code] = one[u.Code]
		if i%10 == 0 {
			tenth[u.Code] = one[u.Code]%benchTerritories + 1
		}
	}
	for _, bc := range []struct {
		name  string
		other map[string]int64
	}{{"all", all}, {"tenth", tenth}} {
		b.Run(bc.name, func(b *testing.B) {
			db := MustOpenDB(b)
			MustReplace(b, db, p)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				a := one
				if i%2 == 0 {
					a = bc.other
				}
				if err := db.ReplaceAlignment(ctx, 1, a); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkCopyScenario stores a copy of a sample-sized scenario (3,231
// units aligned) as a new scenario and deletes it again: an optimiser's
// result "into a new scenario" and its undo.
func BenchmarkCopyScenario(b *testing.B) {
	p := LargePlan(benchUnits, benchAccounts, benchTerritories)
	db := MustOpenDB(b)
	MustReplace(b, db, p)
	c, err := p.CopyScenario(&p.Scenarios[0], "Balanced draft 1")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := db.AddScenario(ctx, c); err != nil {
			b.Fatal(err)
		}
		if err := db.DeleteScenario(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
	}
}
