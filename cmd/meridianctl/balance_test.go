package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// TestBalance balances the sample into 20 territories on population and
// potential, as the example does: a dry run writes nothing, the
// figures printed meet the tolerances, and --into-scenario writes the same
// result as a new, active scenario.
func TestBalance(t *testing.T) {
	if testing.Short() {
		t.Skip("balances the sample plan")
	}
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	args := []string{"balance", "--plan", plan, "--territories", "20", "--metrics", "population:5,potential:5", "--seed", "1"}
	code, out, errOut := ctl(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("balance: %d %q", code, errOut)
	}
	var r BalanceResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	if r.Territories != 20 || len(r.Rows) != 20 || len(r.Metrics) != 2 || r.Written != "" || r.UnitsTotal != 3142 {
		t.Fatalf("result %+v", r)
	}
	for _, m := range r.Metrics {
		if m.MaxAbsDeviation > 5 {
			t.Errorf("%s: max |deviation| %.2f%% > 5%%", m.Name, m.MaxAbsDeviation)
		}
	}
	// Polsby-Popper over all 20 territories, Alaska's included (its coast
	// alone scores 0.02); planner/balance's tests hold the bar on
	// the lower 48.
	if !r.Feasible || r.Contiguous != 20 || r.PPMean < 0.2 || r.PPMin <= 0 {
		t.Errorf("feasible %v, contiguous %d, Polsby-Popper mean %.3f", r.Feasible, r.Contiguous, r.PPMean)
	}
	if r.Rows[0].Name != "Territory 01" {
		t.Errorf("first territory %q", r.Rows[0].Name)
	}
	p := loadPlan(t, plan)
	if len(p.Scenarios) != 1 {
		t.Fatalf("a dry run wrote %d scenarios", len(p.Scenarios))
	}

	code, out, errOut = ctl(t, append(args, "--into-scenario", "Twenty")...)
	if code != 0 || !strings.Contains(out, `Wrote the new scenario "Twenty"`) || !strings.Contains(out, "Contiguous: 20 of 20") || !strings.Contains(errOut, "balancing… 100%") {
		t.Fatalf("into scenario: %d\n%s\n%s", code, out, errOut)
	}
	p = loadPlan(t, plan)
	s := p.Active()
	if len(p.Scenarios) != 2 || s.Name != "Twenty" || len(s.Territories) != 20 || len(s.Alignment) != 3142 {
		t.Fatalf("scenarios %d, active %q with %d territories and %d units", len(p.Scenarios), s.Name, len(s.Territories), len(s.Alignment))
	}
	// The written scenario is the one reported: same populations.
	m := planner.ComputeMetrics(p, s)
	for i, row := range r.Rows {
		if got := m.Territories[i].Population; got != row.Values[0] {
			t.Errorf("%s: population %v in the file, %v reported", row.Name, got, row.Values[0])
		}
	}
	if code, _, errOut := ctl(t, append(args, "--into-scenario", "twenty")...); code != 1 || !strings.Contains(errOut, `already has a scenario named "Twenty"`) {
		t.Errorf("taken name: %d %q", code, errOut)
	}
}

func loadPlan(t *testing.T, path string) *planner.Plan {
	t.Helper()
	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBalanceErrors(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"balance"}, "balance needs --plan"},
		{[]string{"balance", "--plan", plan, "--metrics", "beds:5"}, `"beds" is not a quantity to balance on`},
		{[]string{"balance", "--plan", plan, "--metrics", "population:0"}, "the tolerance of population must be a percentage above 0"},
		{[]string{"balance", "--plan", plan, "--metrics", "population,population"}, "names population twice"},
		{[]string{"balance", "--plan", plan, "--metrics", "population:5:-1"}, "the weight of population must be a number above 0"},
		{[]string{"balance", "--plan", plan, "--disruption", "150%"}, "--disruption \"150%\""},
		{[]string{"balance", "--plan", plan, "--into-scenario", "X", "--replace"}, "either --into-scenario NAME or --replace"},
		{[]string{"balance", "--plan", plan, "--lock", "Atlantis"}, `has no territory "Atlantis"`},
		{[]string{"balance", "--plan", plan, "--lock-units", "06037,99999"}, `has no county with code "99999"`},
		{[]string{"balance", "--plan", plan, "--seeds", "06037"}, `--seeds "06037": write UNIT=Territory`},
		{[]string{"balance", "--plan", plan, "--seeds", "06037=Atlantis"}, `has no territory "Atlantis"`},
		{[]string{"balance", "--plan", plan, "--territories", "5", "--lock-units", "06037"}, "Locks and seeds keep units in today's territories"},
		{[]string{"balance", "--plan", plan, "--territories", "5", "--lock", "Pacific"}, "Locks and seeds keep units in today's territories"},
		{[]string{"balance", "--plan", plan, "--territories", "4000"}, "4000 territories cannot be balanced from 3142 units: each needs at least two; choose at most 1571"},
		{[]string{"balance", "--plan", plan, "--territories", "3142"}, "choose at most 1571"},
		{[]string{"balance", "--plan", plan, "--disruption", "0"}, "--disruption 0 would let no unit move; leave it out for no limit"},
		{[]string{"balance", "--plan", plan, "--into-scenario", ""}, "--into-scenario needs a name"},
		{[]string{"balance", "--plan", plan, "--into-scenario", "census divisions"}, `already has a scenario named "Census divisions"`},
	} {
		code, _, errOut := ctl(t, tc.args...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("meridianctl %q: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
	if p := loadPlan(t, plan); len(p.Scenarios) != 1 {
		t.Errorf("errors wrote %d scenarios", len(p.Scenarios))
	}
}

// Locked units keep their territory and seeded units end in theirs:
// Los Angeles stays in Pacific, Maricopa (Phoenix, in Mountain today) is
// seeded into Pacific.
func TestBalanceLockUnitsAndSeeds(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	code, _, errOut := ctl(t, "balance", "--plan", plan, "--metrics", "population:10", "--lock-units", "06037",
		"--seeds", "04013=Pacific", "--into-scenario", "Seeded")
	if code != 0 {
		t.Fatalf("balance: %q", errOut)
	}
	p := loadPlan(t, plan)
	s := p.ScenarioNamed("Seeded")
	if s == nil {
		t.Fatal("no scenario Seeded")
	}
	pacific := s.TerritoryByName("Pacific")
	if s.Alignment["06037"] != pacific.ID || s.Alignment["04013"] != pacific.ID {
		t.Errorf("Los Angeles in %d, Maricopa in %d; want both in Pacific (%d)", s.Alignment["06037"], s.Alignment["04013"], pacific.ID)
	}
}
