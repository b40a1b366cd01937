package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExportQuotaPlan exports a plan with quotas, a ramp and reps (see
// quotaRepsPlan) through export (xlsx.WriteFile, which encodes with
// xlsx.Encoder) and opens the workbook with excelize: the quota plan's
// seven sheets in order, the reps' quotas after the ramp and the
// territories' quotas, West's set by hand.
func TestExportQuotaPlan(t *testing.T) {
	plan := quotaRepsPlan(t)
	if code, _, errOut := ctl(t, "quota", "--plan", plan, "--target", "1000000", "--rounding", "1000", "--fiscal-year", "2027",
		"--currency", "USD", "--ramp", "0,25,50,75", "--override", "West=250000", "--write"); code != 0 {
		t.Fatalf("quota: %q", errOut)
	}
	out := filepath.Join(t.TempDir(), "quota plan.xlsx")
	code, stdout, errOut := ctl(t, "export", "--plan", plan, "--out", out)
	if code != 0 || !strings.Contains(stdout, "scenario Base, 3 territories, 5 accounts") {
		t.Fatalf("export: %d %q %q", code, stdout, errOut)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Summary,Territories,Reps,Accounts,Segments,Units,Settings" {
		t.Errorf("sheets %s", got)
	}
	// The Reps sheet: the reps' quotas that quota printed (see
	// TestQuotaRepsRampOverride), ramp factors as fractions.
	for i, want := range []struct{ name, quota, ramp string }{
		{"Ann Lee", "469000", "1"}, {"Ben Ross", "152208.33", "0.541666"}, {"TBH (West)", "72916.67", "0.291666"},
	} {
		if v := cellByHeader(t, f, "Reps", "Rep", i+2); v != want.name {
			t.Errorf("Reps row %d: %q, want %q", i+2, v, want.name)
		}
		if v := cellByHeader(t, f, "Reps", "Quota", i+2); v != want.quota {
			t.Errorf("Reps %s: quota %q, want %s", want.name, v, want.quota)
		}
		if v := cellByHeader(t, f, "Reps", "Ramp factor", i+2); !strings.HasPrefix(v, want.ramp) {
			t.Errorf("Reps %s: ramp factor %q, want %s…", want.name, v, want.ramp)
		}
	}
	for i, want := range []struct{ name, quota string }{{"North", "188000"}, {"South", "562000"}, {"West", "250000"}} {
		if v := cellByHeader(t, f, "Territories", "Territory", i+2); v != want.name {
			t.Errorf("Territories row %d: %q, want %q", i+2, v, want.name)
		}
		if v := cellByHeader(t, f, "Territories", "Annual quota", i+2); v != want.quota {
			t.Errorf("Territories %s: quota %q, want %s", want.name, v, want.quota)
		}
	}
}
