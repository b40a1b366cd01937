package planner_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
)

// coveragePlan is workloadPlan with East shared 60/40 by Ada (1,000 h) and
// Bo (no capacity of his own: the model's 1,600 h), West open to a hire
// (TBH) from 1 July 2027, both territories in region "South" under "All".
func coveragePlan() *planner.Plan {
	p := workloadPlan()
	p.Reps = append(p.Reps, planner.Rep{ID: 2, Name: "Bo", Manager: "Grace"})
	p.Reps[0].Start = time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	s := &p.Scenarios[0]
	s.Regions = []planner.Region{{ID: 1, Name: "All"}, {ID: 2, Name: "South", ParentID: 1}}
	s.Territories[0].Reps = []planner.Assignment{{RepID: 1, Share: 60}, {RepID: 2, Share: 40}}
	s.Territories[0].RegionID = 2
	s.Territories[1].Reps = []planner.Assignment{{Share: 100, PlannedStart: time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)}}
	s.Territories[1].RegionID = 2
	return p
}

func TestAssignmentsValidate(t *testing.T) {
	if err := coveragePlan().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		edit func(p *planner.Plan)
		want string
	}{
		"shares short": {func(p *planner.Plan) { p.Scenarios[0].Territories[0].Reps[1].Share = 30 },
			`The shares of territory "East" add up to 90%, not 100%`},
		"rep twice": {func(p *planner.Plan) { p.Scenarios[0].Territories[0].Reps[1].RepID = 1 },
			`Territory "East" lists rep "Ada" twice`},
		"zero share": {func(p *planner.Plan) {
			p.Scenarios[0].Territories[0].Reps = []planner.Assignment{{RepID: 1, Share: 100}, {RepID: 2, Share: 0}}
		}, `Territory "East" gives rep "Bo" a share of 0%`},
		"start on a rep": {func(p *planner.Plan) { p.Scenarios[0].Territories[0].Reps[0].PlannedStart = time.Now() },
			`Territory "East" gives rep "Ada" a planned start`},
		"unknown region": {func(p *planner.Plan) { p.Scenarios[0].Territories[0].RegionID = 9 },
			`Territory "East" is in region 9`},
		"region loop": {func(p *planner.Plan) { p.Scenarios[0].Regions[0].ParentID = 2 },
			`The regions of scenario "Base" loop`},
	} {
		p := coveragePlan()
		tc.edit(p)
		if err := p.Validate(); err == nil || !strings.Contains(planner.ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	p := coveragePlan()
	if got := p.RepNames(&p.Scenarios[0].Territories[0]); got != "Ada 60%, Bo 40%" {
		t.Errorf("RepNames(East) = %q", got)
	}
	if got := p.RepNames(&p.Scenarios[0].Territories[1]); got != "TBH from 2027-07-01" {
		t.Errorf("RepNames(West) = %q", got)
	}
	if id := p.Scenarios[0].Territories[0].LeadRep(); id != 1 {
		t.Errorf("LeadRep(East) = %d", id)
	}
}

func TestBuildCapacityPlan(t *testing.T) {
	p, m := coveragePlan(), workloadModel()
	s := &p.Scenarios[0]
	// Bo also takes half of West, beside the vacancy: his 40 + 50 shares
	// split his time 4/9 to East and 5/9 to West; Ada covers East alone,
	// so all her time is East's.
	s.Territories[1].Reps = []planner.Assignment{{RepID: 2, Share: 50}, {Share: 50}}
	loads := planner.TerritoryWorkload(p, s, m)
	cp := planner.BuildCapacityPlan(p, s, m)
	east, west := cp.Territories[0], cp.Territories[1]
	// East: 1 + 4/9 FTE; one FTE of East is (1,000 + 4/9 × 1,600) ÷ (13/9) h.
	eastFTE, eastCap := 1+4.0/9, (1000+4.0/9*1600)/(13.0/9)
	if !wlNear(east.RepsAssigned, eastFTE, 1e-12) || east.Vacancies != 0 || !wlNear(east.RepsNeeded, loads[0].Hours/eastCap, 1e-12) {
		t.Errorf("East: %+v (hours %v)", east, loads[0].Hours)
	}
	if !wlNear(east.Utilisation, loads[0].Hours/(1000+4.0/9*1600), 1e-12) || east.Region != "All" || east.Reps != "Ada 60%, Bo 40%" {
		t.Errorf("East: %+v", east)
	}
	// West: Bo's 5/9 and one vacancy, all at the model's 1,600 h.
	if !wlNear(west.RepsAssigned, 5.0/9, 1e-12) || west.Vacancies != 1 || !wlNear(west.RepsNeeded, loads[1].Hours/1600, 1e-12) {
		t.Errorf("West: %+v", west)
	}
	if !wlNear(west.Gap, west.RepsNeeded-5.0/9-1, 1e-12) {
		t.Errorf("West gap %v", west.Gap)
	}
	// To hire, vacancies included: ceil(needed − assigned), at least 0.
	wantHire := func(l planner.CapacityLine) int {
		return max(0, int(math.Ceil(l.RepsNeeded-l.RepsAssigned-1e-9)))
	}
	if east.ToHire != wantHire(east) || west.ToHire != wantHire(west) {
		t.Errorf("to hire: East %d West %d", east.ToHire, west.ToHire)
	}
	// Four reps at 25% of a territory they alone cover are four reps.
	q := coveragePlan()
	q.Reps = append(q.Reps, planner.Rep{ID: 3, Name: "Cy"}, planner.Rep{ID: 4, Name: "Di"})
	q.Scenarios[0].Territories[0].Reps = []planner.Assignment{{RepID: 1, Share: 25}, {RepID: 2, Share: 25}, {RepID: 3, Share: 25}, {RepID: 4, Share: 25}}
	if got := planner.BuildCapacityPlan(q, &q.Scenarios[0], m).Territories[0].RepsAssigned; got != 4 {
		t.Errorf("four reps at 25%%: %v assigned", got)
	}
	// Both regions (All, and South under it) hold both territories.
	if len(cp.Regions) != 2 || cp.Regions[0].Name != "All" || cp.Regions[1].Name != "South" {
		t.Fatalf("regions %+v", cp.Regions)
	}
	for _, r := range append(cp.Regions, cp.Total) {
		if !wlNear(r.Hours, loads[0].Hours+loads[1].Hours, 1e-9) || !wlNear(r.RepsNeeded, east.RepsNeeded+west.RepsNeeded, 1e-12) ||
			!wlNear(r.RepsAssigned, 2, 1e-12) || r.Vacancies != 1 || r.Accounts != 5 || r.ToHire != east.ToHire+west.ToHire {
			t.Errorf("%s: %+v", r.Name, r)
		}
		// Utilisation of a sum: hours over the planned 1,000 + 1,600 h of
		// the two reps and 1,600 h of the vacancy.
		if !wlNear(r.Utilisation, (loads[0].Hours+loads[1].Hours)/4200, 1e-12) {
			t.Errorf("%s utilisation %v", r.Name, r.Utilisation)
		}
	}
}

func TestBuildQuotaPlan(t *testing.T) {
	p := coveragePlan()
	p.Workload = ptrTo(workloadModel())
	p.Quota = &planner.QuotaSettings{FiscalYear: 2027, StartMonth: time.January, Currency: "USD", Target: 1_000_000,
		WeightPotential: 1, Ramp: planner.DefaultRamp}
	s := &p.Scenarios[0]
	s.Territories[0].Quota = planner.Known(600_000)
	s.Territories[1].Quota, s.Territories[1].QuotaOverride = planner.Known(400_000), true
	s.Regions[1].OverAssignPct = 10
	qp, err := planner.BuildQuotaPlan(p, s)
	if err != nil {
		t.Fatal(err)
	}
	if qp.Report.Total != 1_000_000 || qp.Report.Gap != 0 || qp.Report.Overridden != 400_000 {
		t.Errorf("report %+v", qp.Report)
	}
	east := qp.Territories[0]
	if east.Quarters != [4]float64{150_000, 150_000, 150_000, 150_000} || east.Months[0] != 50_000 || strings.Join(east.Regions, ">") != "All>South" {
		t.Errorf("East: %+v", east)
	}
	if !qp.Territories[1].Overridden || !strings.HasPrefix(qp.Territories[1].Explain, "set by hand") {
		t.Errorf("West: %+v", qp.Territories[1])
	}
	// Reps: Ada starts on 1 May 2027 with 60% of East (360,000): the ramp
	// 0, 25, 50, 75% from May gives 0+0.25+0.5+0.75+4 = 5.5 full months
	// of 12: 165,000. Bo has 40% (240,000), in place all year. The TBH
	// starts on 1 July with West's 400,000: 0.25+0.5+0.75+1+1 = 3.5
	// months: 116,666.67.
	want := []struct {
		name        string
		full, quota float64
	}{{"Ada", 360_000, 165_000}, {"Bo", 240_000, 240_000}, {"TBH (West)", 400_000, 116_666.67}}
	if len(qp.Reps) != len(want) {
		t.Fatalf("reps %+v", qp.Reps)
	}
	for i, w := range want {
		r := qp.Reps[i]
		if r.Name != w.name || r.FullQuota != w.full || r.Quota != w.quota {
			t.Errorf("rep %d: %s full %v quota %v, want %+v", i, r.Name, r.FullQuota, r.Quota, w)
		}
	}
	if qp.Reps[0].RampFactor != 165_000.0/360_000 || qp.Reps[0].Territories != "East 60%" || !strings.Contains(qp.Reps[0].Explain, "ramped from start on 2027-05-01") {
		t.Errorf("Ada: %+v", qp.Reps[0])
	}
	// Workload: Ada carries 60% of East's hours.
	if hours := planner.TerritoryWorkload(p, s, *p.Workload)[0].Hours; !wlNear(qp.Reps[0].WorkloadHours, 0.6*hours, 1e-9) {
		t.Errorf("Ada's workload %v, East %v", qp.Reps[0].WorkloadHours, hours)
	}
	// Manager Grace: Ada's and Bo's quotas.
	if len(qp.Managers) != 1 || qp.Managers[0].Name != "Grace" || qp.Managers[0].Quota != 405_000 {
		t.Errorf("managers %+v", qp.Managers)
	}
	// Regions: South sums to 1,000,000 and carries 10% over-assignment, so
	// its quota is 909,090.91; All sums South's quota.
	if len(qp.Regions) != 2 || qp.Regions[1].Name != "South" || qp.Regions[1].Quota != 909_090.91 || qp.Regions[0].Quota != 909_090.91 {
		t.Errorf("regions %+v", qp.Regions)
	}
	// No settings: ENOTFOUND.
	p.Quota = nil
	if _, err := planner.BuildQuotaPlan(p, s); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Errorf("without settings: %v", err)
	}
}

func ptrTo[T any](v T) *T { return &v }
