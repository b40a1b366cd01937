package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWorkload sets a workload model on the sample plan, reads the
// territories' hours back, balances on workload and population, and checks
// the errors.
func TestWorkload(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := ctl(t, "workload", "--plan", plan); code != 1 || !strings.Contains(errOut, "has no workload model yet: give one with --rule") {
		t.Errorf("no model: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "balance", "--plan", plan, "--metrics", "workload:10"); code != 1 || !strings.Contains(errOut, "The plan has no workload model yet") {
		t.Errorf("balance without a model: %d %q", code, errOut)
	}
	// Acute-care hospitals: 12 visits of 2 hours; every other one 4 of 1.
	// The 7,065 hospitals in territories (81 are white space) make 61,516
	// visits and 111,400 hours on site; travel depends on distances.
	code, out, errOut := ctl(t, "workload", "--plan", plan, "--rule", "segment=GENERAL ACUTE CARE;visits=12;hours=2", "--rule", "visits=4;hours=1")
	if code != 0 || !regexp.MustCompile(`Total +7065 +61516 +111400 `).MatchString(out) {
		t.Fatalf("workload: %d %q\n%s", code, errOut, out)
	}
	if strings.Contains(out, "warning:") {
		t.Errorf("warnings for rules that match:\n%s", out)
	}
	// A misspelt segment matches nothing: said, with the segments there are.
	_, warn, _ := ctl(t, "workload", "--plan", plan, "--rule", "segment=GENERAL ACUTE;visits=12;hours=2", "--rule", "visits=4;hours=1")
	if !strings.Contains(warn, "warning: rule 1 (segment=GENERAL ACUTE;visits=12;hours=2) matches no account: check the segment's spelling (segments: GENERAL ACUTE CARE, ") {
		t.Errorf("no warning for a rule that matches nothing:\n%s", warn)
	}
	ctl(t, "workload", "--plan", plan, "--rule", "segment=GENERAL ACUTE CARE;visits=12;hours=2", "--rule", "visits=4;hours=1")
	code, out, _ = ctl(t, "workload", "--plan", plan, "--json")
	var rows []WorkloadRowOut
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil || len(rows) != 9 || rows[0].Territory != "New England" || rows[0].Hours <= rows[0].VisitHours {
		t.Errorf("--json: %d %v %+v", code, err, rows)
	}
	code, out, errOut = ctl(t, "balance", "--plan", plan, "--metrics", "workload:10,population:10", "--json")
	var res BalanceResult
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("balance on workload: %d %v %q", code, err, errOut)
	}
	for _, m := range res.Metrics {
		if m.MaxAbsDeviation > 10 {
			t.Errorf("%s is off by %.1f%%, want within 10%%", m.Name, m.MaxAbsDeviation)
		}
	}
	if res.Metrics[0].Key != "workload" || res.Contiguous != 9 {
		t.Errorf("metrics %+v, contiguous %d", res.Metrics, res.Contiguous)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--rule", "visits=4"}, "needs visits=N and hours=H"},
		{[]string{"--rule", "visits=four;hours=1"}, "visits must be a number"},
		{[]string{"--rule", "visits=4;hours=1;colour=red"}, `unknown key "colour"`},
		{[]string{"--rule", "visits=-4;hours=1"}, "visits"},
		{[]string{"--speed", "50"}, "go with --rule"},
	} {
		args := append([]string{"workload", "--plan", plan}, c.args...)
		if code, _, errOut := ctl(t, args...); code != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.msg)
		}
	}
	if code, out, _ := ctl(t, "workload", "--plan", plan, "--clear"); code != 0 || !strings.Contains(out, "has no workload model now") {
		t.Errorf("--clear: %d %q", code, out)
	}
}
