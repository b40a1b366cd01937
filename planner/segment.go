package planner

// Segment is a named group of the plan's accounts chosen by a rule on their
// fields, for example "Large acute hospitals": Type = 'GENERAL ACUTE CARE'
// and Beds >= 200. A segment may split its members into tiers (ABC) by a
// metric, and may be covered by an overlay team on top of the geographic
// territories. Segments belong to the plan, not to a scenario: they select
// accounts, which every scenario shares.
type Segment struct {
	ID   int64  // > 0, unique in the plan
	Name string // unique in the plan (case-insensitive), not empty
	// Rule is the segment's rule in the rule language of [ParseRule], e.g.
	// "Beds >= 200 and Type = 'GENERAL ACUTE CARE'"; "" selects every
	// account.
	Rule string
	// Tiers, when not nil, splits the segment's members into named tiers
	// by a metric (see [Tiering]).
	Tiers *Tiering
	// OverlayTeam names the overlay team that covers the segment's
	// accounts on top of their geographic territories (for example
	// "Key accounts"); "" when none. Overlay coverage does not move an
	// account out of its territory: metrics show both views (see
	// [SegmentReport]).
	OverlayTeam string
	// OverlayReps are the reps (Plan.Reps IDs) of the overlay team, in
	// order; empty when the team has nobody yet.
	OverlayReps []int64
}

// Tiering splits a segment's members into tiers (A, B, C, ...) by a
// numeric metric: the top tier holds the largest values.
type Tiering struct {
	// Metric names the number tiers are cut on: "Potential" (or the plan's
	// PotentialName, e.g. "Beds") or a numeric custom field. Members whose
	// metric is unknown or not a number get no tier.
	Metric string
	// ByQuantile chooses how Tiers' Value is read: true, as the percentage
	// of the members (with a known metric) that the tier holds, top tier
	// first (20, 30, 50 is the top 20% as A, the next 30% as B, the rest as
	// C); false, as the tier's lower threshold in the metric's unit (a
	// member is in the first tier whose Value it reaches).
	ByQuantile bool
	// Tiers are the tiers, top first: 1 to 12 of them, with unique,
	// non-empty names.
	Tiers []Tier
}

// Tier is one tier of a [Tiering].
type Tier struct {
	Name string // e.g. "A"
	// Value is the tier's share of the members in percent (0 to 100) when
	// the tiering is by quantile, else its lower threshold in the metric's
	// unit (values at or above it, and below the tier above's threshold,
	// are in it).
	Value float64
}

// MaxTiers is the most tiers a Tiering may have.
const MaxTiers = 12

// Segment returns the plan's segment with the given ID, or nil.
func (p *Plan) Segment(id int64) *Segment {
	for i := range p.Segments {
		if p.Segments[i].ID == id {
			return &p.Segments[i]
		}
	}
	return nil
}

// SegmentNamed returns the plan's segment called name (case-insensitive,
// surrounding spaces ignored), or nil.
func (p *Plan) SegmentNamed(name string) *Segment {
	for i := range p.Segments {
		if SameScenarioName(p.Segments[i].Name, name) {
			return &p.Segments[i]
		}
	}
	return nil
}
