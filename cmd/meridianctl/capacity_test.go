package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// capacitySample writes the sample plan with a workload model (acute-care
// hospitals 12 visits of 2 hours, others 4 of 1; 1,600 hours a year) and a
// roster of two reps without home bases: Ann Lee (800 hours) and Ben Ross
// (default).
func capacitySample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := ctl(t, "workload", "--plan", plan, "--rule", "segment=GENERAL ACUTE CARE;visits=12;hours=2", "--rule", "visits=4;hours=1"); code != 0 {
		t.Fatal(errOut)
	}
	csv := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(csv, []byte("Name,Email,Capacity,Start Date\nAnn Lee,ann@example.com,800,2020-01-06\nBen Ross,ben@example.com,,2027-04-15\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := ctl(t, "reps", "import", "--plan", plan, "--file", csv); code != 0 {
		t.Fatal(errOut)
	}
	return plan
}

// TestCapacity checks capacity --json against planner.BuildCapacityPlan on
// the sample plan, hand-checks New England (reps needed = hours ÷ 1,600
// with nobody assigned; hours ÷ 1,200 with Ann Lee (800 h) at 50% and a
// vacancy (1,600 h) at 50%), the hiring answer, the text table and the
// errors.
func TestCapacity(t *testing.T) {
	plan := capacitySample(t)
	code, out, errOut := ctl(t, "capacity", "--plan", plan, "--json")
	var c CapacityOut
	if err := json.Unmarshal([]byte(out), &c); code != 0 || err != nil {
		t.Fatalf("capacity --json: %d %v %q", code, err, errOut)
	}
	p := loadPlan(t, plan)
	want := planner.BuildCapacityPlan(p, p.Active(), *p.Workload)
	if len(c.Territories) != 9 || len(want.Territories) != 9 || c.DefaultCapacityHours != 1600 || c.Scenario != "Census divisions" {
		t.Fatalf("%d territories, capacity %g, scenario %q", len(c.Territories), c.DefaultCapacityHours, c.Scenario)
	}
	sumHire := 0
	for i, l := range c.Territories {
		w := want.Territories[i]
		if l.Name != w.Name || l.RepsNeeded != w.RepsNeeded || l.Hours != w.Hours || l.ToHire != w.ToHire || l.Region != w.Region || l.Region == "" {
			t.Errorf("%s: %+v, want %+v", l.Name, l, w)
		}
		// Nobody is assigned: every rep needed is to hire.
		if l.RepsAssigned != 0 || l.Vacancies != 0 || l.Utilisation != 0 || l.ToHire != int(math.Ceil(l.RepsNeeded-1e-9)) || l.Gap != l.RepsNeeded {
			t.Errorf("%s unstaffed: %+v", l.Name, l)
		}
		sumHire += l.ToHire
	}
	ne := c.Territories[0]
	if ne.Name != "New England" || ne.Region != "Northeast" || ne.Accounts != 289 || math.Abs(ne.RepsNeeded-ne.Hours/1600) > 1e-12 || ne.Hours < 289 {
		t.Errorf("New England: %+v (hours/1600 = %g)", ne, ne.Hours/1600)
	}
	if c.Total.Name != "Total" || c.ToHire != sumHire || c.Total.ToHire != sumHire || c.Total.Accounts != 7065 || math.Abs(c.Total.RepsNeeded-want.Total.RepsNeeded) > 1e-9 {
		t.Errorf("total %+v, to hire %d, want %d", c.Total, c.ToHire, sumHire)
	}
	// The answer sums the territories' hires by Census region, most first.
	byRegion := map[string]int{}
	for _, l := range c.Territories {
		byRegion[l.Region] += l.ToHire
	}
	if len(c.Hire) != 4 || len(c.Regions) != 4 {
		t.Fatalf("hire %+v, regions %+v", c.Hire, c.Regions)
	}
	parts := []string{}
	for i, h := range c.Hire {
		if h.Reps != byRegion[h.Where] || (i > 0 && h.Reps > c.Hire[i-1].Reps) {
			t.Errorf("hire %+v, by region %v", c.Hire, byRegion)
		}
		parts = append(parts, h.Where+" "+strconv.Itoa(h.Reps))
	}
	if wantAns := "hire " + strconv.Itoa(sumHire) + ": " + strings.Join(parts, ", "); c.Answer != wantAns {
		t.Errorf("answer %q, want %q", c.Answer, wantAns)
	}
	for _, r := range c.Regions {
		if r.ToHire != byRegion[r.Name] {
			t.Errorf("region %s: to hire %d, want %d", r.Name, r.ToHire, byRegion[r.Name])
		}
	}
	for _, key := range []string{`"reps_needed"`, `"reps_assigned"`, `"tbh"`, `"utilisation"`, `"to_hire"`, `"default_capacity_hours"`, `"answer"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}

	// Ann Lee (800 h) 50% and a vacancy 50%: a full-time rep of New
	// England works 0.5 × 800 + 0.5 × 1,600 = 1,200 hours.
	if code, out, errOut := ctl(t, "reps", "assign", "--plan", plan, "--territory", "new england", "--reps", "ann lee=50,TBH=50", "--start", "2027-05-01"); code != 0 ||
		out != "New England: Ann Lee 50%, TBH from 2027-05-01 50% (was: nobody)\nwrote "+plan+"\n" {
		t.Fatalf("reps assign: %d %q %q", code, out, errOut)
	}
	code, out, _ = ctl(t, "capacity", "--plan", plan, "--json")
	var c2 CapacityOut
	if err := json.Unmarshal([]byte(out), &c2); code != 0 || err != nil {
		t.Fatalf("capacity after assign: %d %v", code, err)
	}
	ne2 := c2.Territories[0]
	wantNeeded := ne2.Hours / 1200
	// Ann Lee covers New England only, so all her time is there (1 rep),
	// and the vacancy is one more: 2 people at (800 + 1,600) / 2 h each.
	// To hire counts the vacancy: ceil(needed − 1 assigned).
	wantHire := max(0, int(math.Ceil(wantNeeded-1-1e-9)))
	if ne2.Reps != "Ann Lee 50%, TBH from 2027-05-01 50%" || ne2.RepsAssigned != 1 || ne2.Vacancies != 1 ||
		math.Abs(ne2.RepsNeeded-wantNeeded) > 1e-12 || math.Abs(ne2.Gap-(wantNeeded-2)) > 1e-12 ||
		math.Abs(ne2.Utilisation-ne2.Hours/2400) > 1e-12 || ne2.ToHire != wantHire {
		t.Errorf("New England staffed: %+v (hours/1200 = %g, to hire %d)", ne2, wantNeeded, wantHire)
	}

	// The text table: header, a territory row, the regions, the total and
	// the answer.
	code, out, _ = ctl(t, "capacity", "--plan", plan)
	for _, w := range []string{"Reps needed", "Assigned", "TBH", "Utilisation", "To hire", "Ann Lee 50%, TBH from 2027-05-01 50%", "\n" + c2.Answer + "\n"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("text lacks %q:\n%s", w, out)
		}
	}
	total := regexp.MustCompile(`\n +Total +7065 +` + strconv.FormatFloat(math.Round(c2.Total.Hours), 'f', 0, 64) + ` +` + strconv.FormatFloat(c2.Total.RepsNeeded, 'f', 2, 64) + ` +1\.00 +1\.00 .* ` + strconv.Itoa(c2.ToHire) + ` *\n`)
	region := regexp.MustCompile(`\n +Northeast +region +948 `)
	if !total.MatchString(out) || !region.MatchString(out) {
		t.Errorf("text lacks the total or the Northeast line:\n%s", out)
	}

	// Without a workload model, the error names the workload command.
	if code, _, errOut := ctl(t, "workload", "--plan", plan, "--clear"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := ctl(t, "capacity", "--plan", plan); code != 1 || !strings.Contains(errOut, "has no workload model yet") || !strings.Contains(errOut, "meridianctl workload --plan") {
		t.Errorf("no model: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "capacity"); code != 1 || !strings.Contains(errOut, "capacity needs --plan") {
		t.Errorf("no plan: %d %q", code, errOut)
	}
}
