package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCoverageCommand: coverage --json on the sample lists every Puerto
// Rico county (counted independently from the plan's units) among the 89
// unassigned units and no county of a state; the white space matches
// report's "unassigned"; the text lists the first 20 with "… and 69 more".
func TestCoverageCommand(t *testing.T) {
	plan := segmentSamplePlan(t)
	p := loadPlan(t, plan)
	pr := map[string]bool{}
	for _, u := range p.Units {
		if u.ParentCode == "72" {
			pr[u.Code] = true
		}
	}
	code, out, errOut := ctl(t, "coverage", "--plan", plan, "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	var c CoverageOut
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	listed := 0
	for _, u := range c.UnassignedUnits {
		if pr[u.Code] {
			listed++
			if u.Parent != "Puerto Rico" {
				t.Errorf("%s: parent %q", u.Code, u.Parent)
			}
		}
	}
	if len(pr) != 78 || listed != len(pr) || len(c.UnassignedUnits) != 89 {
		t.Errorf("%d Puerto Rico units listed of %d; %d unassigned units", listed, len(pr), len(c.UnassignedUnits))
	}
	code, rout, _ := ctl(t, "report", "--plan", plan, "--json")
	var r Report
	if err := json.Unmarshal([]byte(rout), &r); code != 0 || err != nil {
		t.Fatal(err)
	}
	if c.WhiteSpace.Units != r.Unassigned.Units || c.WhiteSpace.Accounts != r.Unassigned.Accounts || c.WhiteSpace.Potential != r.Unassigned.Potential ||
		c.Total.Accounts != 7146 || len(c.WhiteSpaceAccounts) != 80 || len(c.AccountsWithoutLocation)+len(c.AccountsOutsideUnits) != 1 {
		t.Errorf("white space %+v, report %+v; %d accounts listed", c.WhiteSpace, r.Unassigned, len(c.WhiteSpaceAccounts))
	}
	if len(c.TerritoriesWithoutRep) != 9 || c.TerritoriesWithoutRep[0].Gap != "no rep" || len(c.NamedAccounts) != 0 || len(c.MultiClaimed) != 0 {
		t.Errorf("territories without rep %+v", c.TerritoriesWithoutRep)
	}
	if len(c.Overlays) != 1 || c.Overlays[0].Team != "Key accounts" || c.Overlays[0].Members == 0 {
		t.Errorf("overlays %+v", c.Overlays)
	}
	if a := c.WhiteSpaceAccounts[0]; a.Location == nil || a.Territory != "" || a.Unit == "" {
		t.Errorf("first white space account %+v", a)
	}
	if !strings.HasPrefix(c.Summary, "White space: 89 units (Puerto Rico 78,") {
		t.Errorf("summary %q", c.Summary)
	}

	code, out, _ = ctl(t, "coverage", "--plan", plan)
	if code != 0 || !strings.Contains(out, "Unassigned units: 89\n") || !strings.Contains(out, "  … and 69 more\n") ||
		!strings.Contains(out, ", Puerto Rico: ") || !strings.Contains(out, "Territories without a rep: 9\n  New England: no rep") {
		t.Errorf("text:\n%s", out)
	}
	if code, _, errOut = ctl(t, "coverage", "--plan", plan, "--scenario", "Nope"); code != 1 || !strings.Contains(errOut, "no scenario") {
		t.Errorf("unknown scenario: %d %q", code, errOut)
	}
}
