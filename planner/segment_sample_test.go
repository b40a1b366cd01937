package planner_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
)

// The "must show" tests: segments and tiers on the embedded sample
// plan (the open US hospitals, potential = staffed beds, segment field =
// hospital type). Each count is checked twice: against an independent loop
// over the accounts, and against a literal so that a change in the sample
// data or the rule engine shows up.

// samplePlan builds the sample plan and names its segment field "Type" (as
// the sample does, or will).
func samplePlan(t *testing.T) *planner.Plan {
	t.Helper()
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.SegmentName == "" {
		p.SegmentName = "Type"
	}
	return p
}

// TestSampleHospitalSegment: "Large acute hospitals" = general acute care
// hospitals with at least 200 beds.
func TestSampleHospitalSegment(t *testing.T) {
	p := samplePlan(t)
	g := &planner.Segment{ID: 1, Name: "Large acute hospitals", Rule: "Beds >= 200 and Type = 'GENERAL ACUTE CARE'"}
	m, err := p.SegmentMembers(g)
	if err != nil {
		t.Fatal(err)
	}

	want := 0
	for i, a := range p.Accounts {
		in := a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 200
		if in {
			want++
		}
		if m.In[i] != in {
			t.Errorf("account %d %q (%s, %v beds): in = %v, want %v", a.ID, a.Name, a.Segment, a.Potential, m.In[i], in)
		}
	}
	if want == 0 || m.Members != want {
		t.Fatalf("Members = %d, want %d (independent count, > 0)", m.Members, want)
	}
	const literal = 1508 // the sample's count, to catch regressions
	if m.Members != literal {
		t.Errorf("Members = %d, want the sample's %d", m.Members, literal)
	}
	if m.TierSizes != nil || m.Tier[0] != -1 {
		t.Errorf("a segment without tiering has TierSizes %v, Tier[0] %d", m.TierSizes, m.Tier[0])
	}

	// The same segment written with the built-in names and other spellings.
	for _, rule := range []string{
		"Segment is GENERAL ACUTE CARE && Potential ≥ 200",
		"type = 'general acute care' AND NOT beds < 200 AND beds IS NOT EMPTY",
		`[Beds] >= 200.0 and "Type" in ("GENERAL ACUTE CARE")`,
	} {
		r, err := planner.ParseRule(rule)
		if err != nil {
			t.Fatal(err)
		}
		in, err := p.MatchRule(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := countTrue(in); got != want {
			t.Errorf("%s: %d accounts, want %d", rule, got, want)
		}
	}
}

// TestSampleABCTiersByQuantile: tiers A (top 20%), B (next 30%), C (last
// 50%) of all hospitals by beds.
func TestSampleABCTiersByQuantile(t *testing.T) {
	p := samplePlan(t)
	g := &planner.Segment{ID: 1, Name: "All hospitals", Tiers: planner.DefaultTiering("Beds")}
	m, err := p.SegmentMembers(g)
	if err != nil {
		t.Fatal(err)
	}
	if m.Members != len(p.Accounts) {
		t.Fatalf("Members = %d, want every account (%d)", m.Members, len(p.Accounts))
	}
	n := 0
	for _, a := range p.Accounts {
		if a.Potential.Known {
			n++
		}
	}
	round := func(x float64) int { return int(math.Round(x)) }
	want := []int{round(float64(n) * 0.2), round(float64(n)*0.5) - round(float64(n)*0.2), n - round(float64(n)*0.5)}
	if !slices.Equal(m.TierSizes, want) {
		t.Fatalf("TierSizes = %v, want %v (n = %d accounts with known beds)", m.TierSizes, want, n)
	}
	literal := []int{1315, 1973, 3288} // the sample's sizes, to catch regressions
	if !slices.Equal(m.TierSizes, literal) {
		t.Errorf("TierSizes = %v, want the sample's %v", m.TierSizes, literal)
	}

	// Recount, and check the order: every A has at least the beds of
	// every B, every B at least those of every C; unknown beds get no
	// tier.
	sizes := make([]int, 3)
	minBeds := []float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	maxBeds := []float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for i, a := range p.Accounts {
		k := m.Tier[i]
		if !a.Potential.Known {
			if k != -1 {
				t.Errorf("account %d has unknown beds but tier %d", a.ID, k)
			}
			continue
		}
		if k < 0 || k > 2 {
			t.Fatalf("account %d (%v beds) has tier %d", a.ID, a.Potential, k)
		}
		sizes[k]++
		minBeds[k] = min(minBeds[k], a.Potential.Value)
		maxBeds[k] = max(maxBeds[k], a.Potential.Value)
	}
	if !slices.Equal(sizes, want) {
		t.Errorf("recounted tier sizes %v, want %v", sizes, want)
	}
	if minBeds[0] < maxBeds[1] || minBeds[1] < maxBeds[2] {
		t.Errorf("tiers overlap: A %v-%v, B %v-%v, C %v-%v beds", minBeds[0], maxBeds[0], minBeds[1], maxBeds[1], minBeds[2], maxBeds[2])
	}
	t.Logf("n = %d; sizes %v; A from %v beds, B from %v, C from %v", n, m.TierSizes, minBeds[0], minBeds[1], minBeds[2])
}

// TestSampleOwnerAndContains: "Owner in (...)" and "Name contains ..."
// against independent counts.
func TestSampleOwnerAndContains(t *testing.T) {
	p := samplePlan(t)
	g := &planner.Segment{ID: 1, Name: "Public and children's",
		Rule: "Owner in ('GOVERNMENT - STATE', GOVERNMENT - FEDERAL) or Name contains children's"}
	m, err := p.SegmentMembers(g)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, a := range p.Accounts {
		if a.Owner == "GOVERNMENT - STATE" || a.Owner == "GOVERNMENT - FEDERAL" ||
			strings.Contains(strings.ToLower(a.Name), "children's") {
			want++
		}
	}
	if want == 0 || m.Members != want {
		t.Fatalf("Members = %d, want %d (independent count, > 0)", m.Members, want)
	}
	const literal = 617
	if m.Members != literal {
		t.Errorf("Members = %d, want the sample's %d", m.Members, literal)
	}
}

// countTrue counts the true values of in.
func countTrue(in []bool) int {
	n := 0
	for _, b := range in {
		if b {
			n++
		}
	}
	return n
}
