package xlsx_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// quotaSample returns the sample plan with quota settings (fiscal year
// 2027 from February, target $50,000,000 by potential only, 10%
// over-assignment, rounding $1,000, quarters 20/25/25/30, the default
// ramp), quotas allocated, and reps: Ann Lee 60% and Bo Chen 40% of the
// first territory, Cy Diaz (starting 2027-06-15, so ramped) on the second
// and third, and a vacancy planned from 2027-05-01 on the fourth.
func quotaSample(t testing.TB) *planner.Plan {
	t.Helper()
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	set := planner.QuotaSettings{
		FiscalYear: 2027, StartMonth: time.February, Currency: "USD",
		Target: 50_000_000, OverAssignPct: 10, Rounding: 1000,
		WeightPotential: 1,
		Season:          planner.QuarterSeason([4]float64{20, 25, 25, 30}, time.February),
		Ramp:            planner.DefaultRamp,
	}
	p.Quota = &set
	s := p.Active()
	in, err := planner.QuotaInputs(p, s, &set)
	if err != nil {
		t.Fatal(err)
	}
	lines, _, err := planner.AllocateQuotas(in, set)
	if err != nil {
		t.Fatal(err)
	}
	for i := range s.Territories {
		s.Territories[i].Quota = planner.Known(lines[i].Quota)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	p.Reps = append(p.Reps,
		planner.Rep{ID: 901, Name: "Ann Lee", Email: "ann@example.com", Role: "Account Executive", Manager: "Mia Park"},
		planner.Rep{ID: 902, Name: "Bo Chen", Email: "bo@example.com", Role: "Account Executive", Manager: "Mia Park", CapacityHours: 1400},
		planner.Rep{ID: 903, Name: "Cy Diaz", Email: "cy@example.com", Role: "Account Executive", Manager: "Raj Rao", Start: day(2027, time.June, 15)},
	)
	s.Territories[0].Reps = []planner.Assignment{{RepID: 901, Share: 60}, {RepID: 902, Share: 40}}
	s.Territories[1].Reps = []planner.Assignment{{RepID: 903, Share: 100}}
	s.Territories[2].Reps = []planner.Assignment{{RepID: 903, Share: 100}}
	s.Territories[3].Reps = []planner.Assignment{{Share: 100, PlannedStart: day(2027, time.May, 1)}}
	return p
}

// exportQuotaSample writes quotaSample's workbook and returns its path and
// the plan.
func exportQuotaSample(t *testing.T) (string, *planner.Plan) {
	t.Helper()
	p := quotaSample(t)
	path := filepath.Join(t.TempDir(), "quota.xlsx")
	if err := xlsx.WriteFile(path, p, p.Active().ID); err != nil {
		t.Fatal(err)
	}
	return path, p
}

// BenchmarkQuotaSampleExport writes quotaSample's workbook (the sample with
// quotas, reps, charts and the split formulas) to a file.
func BenchmarkQuotaSampleExport(b *testing.B) {
	p := quotaSample(b)
	path := filepath.Join(b.TempDir(), "quota.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsx.WriteFile(path, p, p.Active().ID); err != nil {
			b.Fatal(err)
		}
	}
}
