package planner_test

import (
	"slices"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// TestNamedAccountMovesOnePotential names one located hospital with known
// beds from its territory X to another territory Y: X loses exactly its
// beds and one account, Y gains exactly them, and every other territory
// and the white space are unchanged.
func TestNamedAccountMovesOnePotential(t *testing.T) {
	p, s := coverageSample(t)
	before := planner.ComputeMetrics(p, s)
	owners := s.AccountTerritories(p)
	pick := -1
	for i, a := range p.Accounts {
		if a.HasLocation && a.Potential.Known && a.Potential.Value > 0 && owners[i] == s.Territories[0].ID {
			pick = i
			break
		}
	}
	if pick < 0 {
		t.Fatal("no located account with beds in the first territory")
	}
	a := p.Accounts[pick]
	x, y := 0, 5 // New England → the fifth division after it
	s.NamedAccounts[a.ID] = s.Territories[y].ID
	after := planner.ComputeMetrics(p, s)
	for i := range before.Territories {
		b, g := before.Territories[i].Totals, after.Territories[i].Totals
		want := b
		switch i {
		case x:
			want.Accounts--
			want.Potential -= a.Potential.Value
		case y:
			want.Accounts++
			want.Potential += a.Potential.Value
		}
		if g != want {
			t.Errorf("%s: %+v, want %+v", before.Territories[i].Territory.Name, g, want)
		}
	}
	if before.WhiteSpace != after.WhiteSpace || before.Total != after.Total {
		t.Errorf("white space %+v → %+v, total %+v → %+v", before.WhiteSpace, after.WhiteSpace, before.Total, after.Total)
	}
	if after.DrawnAccounts != before.DrawnAccounts+1 {
		t.Errorf("drawn/named accounts %d → %d", before.DrawnAccounts, after.DrawnAccounts)
	}
	// The coverage report lists the override, taken from X.
	r := planner.BuildCoverage(p, s)
	if len(r.NamedAccounts) != 1 || r.NamedAccounts[0].Account.Index != pick || r.NamedAccounts[0].OwnerName != s.Territories[y].Name ||
		r.NamedAccounts[0].GeographicName != s.Territories[x].Name {
		t.Errorf("named accounts %+v", r.NamedAccounts)
	}
	// The segment report of every account moves it too.
	rep, err := planner.BuildSegmentReport(p, s, &planner.Segment{ID: 9, Name: "All"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Territories[x].Potential != after.Territories[x].Potential || rep.Territories[y].Accounts != after.Territories[y].Accounts {
		t.Errorf("segment report %+v", rep.Territories)
	}
}

// TestSampleSegmentReport checks the report of "Large acute hospitals"
// against an independent count (hospital type and beds read directly,
// territory by AccountTerritories), and of "Bed tiers": tier sizes A/B/C
// of 20/30/50% of the hospitals with known beds, tiers summing to each
// territory's line, and regions summing their territories.
func TestSampleSegmentReport(t *testing.T) {
	p, s := coverageSample(t)
	owners := s.AccountTerritories(p)
	large := p.SegmentNamed("Large acute hospitals")
	r, err := planner.BuildSegmentReport(p, s, large)
	if err != nil {
		t.Fatal(err)
	}
	count := map[int64]int{}
	pot := map[int64]float64{}
	members := 0
	for i, a := range p.Accounts {
		if a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 200 {
			members++
			count[owners[i]]++
			pot[owners[i]] += a.Potential.Value
		}
	}
	if r.Members != members || r.Total.Accounts != members || members < 500 {
		t.Errorf("members %d, total %d; independent count %d", r.Members, r.Total.Accounts, members)
	}
	for _, l := range r.Territories {
		if l.Accounts != count[l.ID] || l.Potential != pot[l.ID] {
			t.Errorf("%s: %d accounts, %v beds; want %d, %v", l.Name, l.Accounts, l.Potential, count[l.ID], pot[l.ID])
		}
	}
	if r.WhiteSpace.Accounts != count[0] || r.WhiteSpace.Potential != pot[0] {
		t.Errorf("white space %+v; want %d, %v", r.WhiteSpace, count[0], pot[0])
	}
	if r.Territories[0].Region != "Northeast" || r.Tiers != nil || r.Territories[0].Tiers != nil {
		t.Errorf("first line %+v, tiers %v", r.Territories[0], r.Tiers)
	}
	if o := r.Overlay; o == nil || o.Team != "Key accounts" || o.Accounts != members || o.Potential != r.Total.Potential || o.WhiteSpace != count[0] || o.Territories != 9 {
		t.Errorf("overlay %+v", r.Overlay)
	}
	checkRegions(t, s, r)

	tiers := p.SegmentNamed("Bed tiers")
	r, err = planner.BuildSegmentReport(p, s, tiers)
	if err != nil {
		t.Fatal(err)
	}
	known := 0
	for _, a := range p.Accounts {
		if a.Potential.Known {
			known++
		}
	}
	if r.Members != len(p.Accounts) || !slices.Equal(r.Tiers, []string{"A", "B", "C"}) || !r.ByQuantile || r.Overlay != nil {
		t.Fatalf("bed tiers: %d members, tiers %v", r.Members, r.Tiers)
	}
	// Cumulative rounding: A = round(0.2n), B = round(0.5n) − A, C = n − round(0.5n).
	a := int(float64(known)*0.2 + 0.5)
	ab := int(float64(known)*0.5 + 0.5)
	want := []int{a, ab - a, known - ab}
	for k, n := range want {
		if r.Total.Tiers[k].Accounts != n {
			t.Errorf("tier %s holds %d, want %d of %d", r.Tiers[k], r.Total.Tiers[k].Accounts, n, known)
		}
	}
	if r.Total.NoTier.Accounts != len(p.Accounts)-known || r.Total.NoTier.Potential != 0 {
		t.Errorf("no tier %+v, want %d accounts", r.Total.NoTier, len(p.Accounts)-known)
	}
	lines := append(slices.Clone(r.Territories), r.WhiteSpace, r.Total)
	for _, l := range lines {
		n, v := l.NoTier.Accounts, l.NoTier.Potential
		for _, x := range l.Tiers {
			n += x.Accounts
			v += x.Potential
		}
		if n != l.Accounts || v != l.Potential {
			t.Errorf("%s: tiers sum to %d, %v; line %d, %v", l.Name, n, v, l.Accounts, l.Potential)
		}
	}
	checkRegions(t, s, r)
}

// checkRegions checks that each region's line sums its territories'.
func checkRegions(t *testing.T, s *planner.Scenario, r planner.SegmentReport) {
	t.Helper()
	if len(r.Regions) != len(s.Regions) {
		t.Fatalf("%d region lines, want %d", len(r.Regions), len(s.Regions))
	}
	for _, g := range r.Regions {
		var want planner.SegmentLine
		want.Tiers = make([]planner.TierTotals, len(r.Tiers))
		for i, l := range r.Territories {
			if s.Territories[i].RegionID != g.ID {
				continue
			}
			want.Accounts += l.Accounts
			want.Potential += l.Potential
			for k := range l.Tiers {
				want.Tiers[k].Accounts += l.Tiers[k].Accounts
				want.Tiers[k].Potential += l.Tiers[k].Potential
			}
		}
		if g.Accounts != want.Accounts || g.Potential != want.Potential || (len(r.Tiers) > 0 && !slices.Equal(g.Tiers, want.Tiers)) {
			t.Errorf("region %s: %+v, want %+v", g.Name, g, want)
		}
	}
}

// TestSegmentReportFixture: threshold tiers, nested regions, the overlay
// view, named and drawn accounts counted where ComputeMetrics counts them.
func TestSegmentReportFixture(t *testing.T) {
	p, s := coverageFixture(t)
	s.Regions = []planner.Region{{ID: 1, Name: "All"}, {ID: 2, Name: "West", ParentID: 1}}
	s.Territories[0].RegionID = 2
	s.Territories[1].RegionID = 1
	g := &planner.Segment{ID: 5, Name: "Mid", Rule: "Potential >= 5", OverlayTeam: "Key", OverlayReps: []int64{1},
		Tiers: &planner.Tiering{Metric: "Revenue", Tiers: []planner.Tier{{Name: "Top", Value: 40}, {Name: "Rest", Value: 0}}}}
	r, err := planner.BuildSegmentReport(p, s, g)
	if err != nil {
		t.Fatal(err)
	}
	// Members: 1 (10, T1), 2 (20, T2), 3 (30, white), 7 (5, T1 named), 8 (40, T1 named), 9 (50, T3).
	type line struct {
		n    int
		v    float64
		top  int
		rest int
	}
	got := func(l planner.SegmentLine) line {
		return line{l.Accounts, l.Potential, l.Tiers[0].Accounts, l.Tiers[1].Accounts}
	}
	for i, want := range []line{{3, 55, 1, 2}, {1, 20, 0, 1}, {1, 50, 1, 0}} {
		if g := got(r.Territories[i]); g != want {
			t.Errorf("%s: %+v, want %+v", r.Territories[i].Name, g, want)
		}
	}
	if g := got(r.WhiteSpace); g != (line{1, 30, 0, 1}) {
		t.Errorf("white space %+v", g)
	}
	if g := got(r.Total); g != (line{6, 155, 2, 4}) || r.Members != 6 {
		t.Errorf("total %+v, members %d", g, r.Members)
	}
	// All = T1 + T2 (West under All); West = T1.
	if g := got(r.Regions[0]); g != (line{4, 75, 1, 3}) {
		t.Errorf("All %+v", g)
	}
	if g := got(r.Regions[1]); g != (line{3, 55, 1, 2}) {
		t.Errorf("West %+v", g)
	}
	if r.Territories[0].Region != "West" || r.Territories[0].Rep != "Ann" || r.Territories[2].Region != "" {
		t.Errorf("territory lines %+v", r.Territories)
	}
	o := r.Overlay
	if o == nil || o.Accounts != 6 || o.Potential != 155 || o.WhiteSpace != 1 || o.Territories != 3 || !slices.Equal(o.RepNames, []string{"Ann"}) ||
		!slices.Equal(o.Tiers, r.Total.Tiers) {
		t.Errorf("overlay %+v", o)
	}

	if _, err := planner.BuildSegmentReport(p, s, &planner.Segment{ID: 6, Name: "Bad", Rule: "Beds >="}); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("bad rule: %v", err)
	}
	if _, err := planner.BuildSegmentReport(p, s, nil); err == nil {
		t.Error("nil segment: no error")
	}
}

// BenchmarkSegmentReport measures the tiered segment report of the sample
// ("Bed tiers": every hospital, three tiers).
func BenchmarkSegmentReport(b *testing.B) {
	p, s := coverageSample(b)
	g := p.SegmentNamed("Bed tiers")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.BuildSegmentReport(p, s, g); err != nil {
			b.Fatal(err)
		}
	}
}
