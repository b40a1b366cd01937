package planner_test

import (
	"slices"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
)

// The sample's bed tiers by quantile (20/30/50) start at 241, 80 and 2
// beds; tiering by those thresholds keeps every member's tier except
// those tied with a boundary member, which move up.
func TestQuantileThresholds(t *testing.T) {
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	g := &planner.Segment{ID: 1, Name: "Beds", Tiers: planner.DefaultTiering("Beds")}
	cuts, err := planner.QuantileThresholds(p, g)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cuts, []float64{241, 80, 2}) {
		t.Fatalf("thresholds %v", cuts)
	}
	q, _ := p.SegmentMembers(g)
	th := &planner.Segment{ID: 2, Name: "By beds", Tiers: &planner.Tiering{Metric: "Beds", Tiers: []planner.Tier{{Name: "A", Value: 241}, {Name: "B", Value: 80}, {Name: "C", Value: 2}}}}
	m, err := p.SegmentMembers(th)
	if err != nil {
		t.Fatal(err)
	}
	for i, tier := range q.Tier {
		if tier >= 0 && m.Tier[i] > tier {
			t.Fatalf("account %d: tier %d by quantile, %d by threshold", i, tier, m.Tier[i])
		}
	}
	if m.TierSizes[0] < q.TierSizes[0] || m.TierSizes[0]+m.TierSizes[1]+m.TierSizes[2] < q.TierSizes[0]+q.TierSizes[1]+q.TierSizes[2]-1 {
		t.Errorf("sizes by threshold %v, by quantile %v", m.TierSizes, q.TierSizes)
	}
	if _, err := planner.QuantileThresholds(p, th); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("thresholds of a threshold tiering: %v", err)
	}
}
