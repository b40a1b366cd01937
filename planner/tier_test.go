package planner_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// tierPlan returns a plan whose accounts have the given potentials (NaN for
// unknown) and custom field "Revenue" values.
func tierPlan(beds []float64, revenue []string) *planner.Plan {
	p := &planner.Plan{PotentialName: "Beds", CustomFields: []planner.CustomField{{Name: "Revenue"}}}
	for i, b := range beds {
		a := planner.Account{ID: int64(i + 1), Name: fmt.Sprintf("A%d", i+1), Segment: "H"}
		if !math.IsNaN(b) {
			a.Potential = planner.Known(b)
		}
		if i < len(revenue) {
			a.Fields = []string{revenue[i]}
		}
		p.Accounts = append(p.Accounts, a)
	}
	return p
}

func mustMembers(t *testing.T, p *planner.Plan, g *planner.Segment) planner.Membership {
	t.Helper()
	m, err := p.SegmentMembers(g)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTiersByThreshold(t *testing.T) {
	nan := math.NaN()
	p := tierPlan([]float64{600, 500, 499, 100, 99, 0, -5, nan, 700}, nil)
	p.Accounts[8].Segment = "other" // not a member
	g := &planner.Segment{ID: 1, Name: "H", Rule: "Segment = H", Tiers: &planner.Tiering{
		Metric: "Beds", Tiers: []planner.Tier{{Name: "A", Value: 500}, {Name: "B", Value: 100}, {Name: "C", Value: 0}}}}
	m := mustMembers(t, p, g)
	// 600, 500 reach A's 500; 499, 100 reach B; 99, 0 reach C; -5 is
	// below every threshold; unknown beds and the non-member get none.
	if want := []int8{0, 0, 1, 1, 2, 2, -1, -1, -1}; !slices.Equal(m.Tier, want) {
		t.Errorf("Tier = %v, want %v", m.Tier, want)
	}
	if want := []int{2, 2, 2}; !slices.Equal(m.TierSizes, want) || m.Members != 8 {
		t.Errorf("TierSizes = %v, Members %d; want %v, 8", m.TierSizes, m.Members, want)
	}
}

func TestTiersByQuantile(t *testing.T) {
	nan := math.NaN()
	// Nine members with known beds; 20 appears four times.
	p := tierPlan([]float64{10, 20, 20, 20, 5, nan, 30, 20, 1, 2}, nil)
	m := mustMembers(t, p, &planner.Segment{ID: 1, Name: "All", Tiers: planner.DefaultTiering("Potential")})
	// Sorted: 30 (#7), 20 (#2, #3, #4, #8 in account order), 10, 5, 2, 1.
	// Boundaries: round(9·20/100) = round(1.8) = 2, round(9·50/100) =
	// round(4.5) = 5, 9. The tie of 20s is split by account order: #2
	// is in A, #3, #4, #8 in B.
	if want := []int8{2, 0, 1, 1, 2, -1, 0, 1, 2, 2}; !slices.Equal(m.Tier, want) {
		t.Errorf("Tier = %v, want %v", m.Tier, want)
	}
	if want := []int{2, 3, 4}; !slices.Equal(m.TierSizes, want) {
		t.Errorf("TierSizes = %v, want %v", m.TierSizes, want)
	}

	// Shares adding up to less than 100: the rest get no tier.
	p = tierPlan([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil)
	g := &planner.Segment{ID: 1, Name: "Top", Tiers: &planner.Tiering{Metric: "beds", ByQuantile: true,
		Tiers: []planner.Tier{{Name: "Gold", Value: 10}, {Name: "Silver", Value: 20}}}}
	m = mustMembers(t, p, g)
	if want := []int8{-1, -1, -1, -1, -1, -1, -1, 1, 1, 0}; !slices.Equal(m.Tier, want) {
		t.Errorf("Tier = %v, want %v", m.Tier, want)
	}
	// A zero share is an empty tier; shares with float noise (33.3 +
	// 33.3 + 33.4) still tier everyone.
	g.Tiers.Tiers = []planner.Tier{{Name: "A", Value: 0}, {Name: "B", Value: 33.3}, {Name: "C", Value: 33.3}, {Name: "D", Value: 33.4}}
	m = mustMembers(t, p, g)
	if want := []int{0, 3, 4, 3}; !slices.Equal(m.TierSizes, want) {
		t.Errorf("TierSizes = %v, want %v", m.TierSizes, want)
	}
	// Only members are ranked.
	g.Rule, g.Tiers = "Beds <= 5", planner.DefaultTiering("Beds")
	m = mustMembers(t, p, g)
	if want := []int8{2, 2, 1, 1, 0, -1, -1, -1, -1, -1}; !slices.Equal(m.Tier, want) || m.Members != 5 {
		t.Errorf("Tier = %v (Members %d), want %v", m.Tier, m.Members, want)
	}
	// No member: empty tiers.
	g.Rule = "Beds > 100"
	m = mustMembers(t, p, g)
	if want := []int{0, 0, 0}; !slices.Equal(m.TierSizes, want) || m.Members != 0 {
		t.Errorf("TierSizes = %v, want %v", m.TierSizes, want)
	}
}

func TestTiersByCustomField(t *testing.T) {
	p := tierPlan([]float64{1, 1, 1, 1, 1}, []string{"100", "", "N/A", "2.5e3", " 40 "})
	g := &planner.Segment{ID: 1, Name: "Rev", Tiers: &planner.Tiering{Metric: "Revenue",
		Tiers: []planner.Tier{{Name: "Big", Value: 1000}, {Name: "Small", Value: 0}}}}
	_, err := p.SegmentMembers(g)
	want := `Segment "Rev": the tiers rank members by "Revenue", which is not a number for account "A3" ("N/A"); rank them by Beds or a numeric custom field, or leave such accounts out of the segment`
	if planner.ErrorCode(err) != planner.EINVALID || planner.ErrorMessage(err) != want {
		t.Errorf("error %v, want %s", err, want)
	}
	// Leaving the "N/A" account out makes the field numeric for the
	// segment; an empty value gets no tier.
	g.Rule = "Revenue != 'N/A'"
	m := mustMembers(t, p, g)
	if want := []int8{1, -1, -1, 0, 1}; !slices.Equal(m.Tier, want) {
		t.Errorf("Tier = %v, want %v", m.Tier, want)
	}
	// A field marked Numeric is taken as such; values that do not read
	// as numbers get no tier.
	g.Rule = ""
	p.CustomFields[0].Numeric = true
	m = mustMembers(t, p, g)
	if want := []int8{1, -1, -1, 0, 1}; !slices.Equal(m.Tier, want) {
		t.Errorf("Numeric: Tier = %v, want %v", m.Tier, want)
	}

	for _, c := range []struct{ metric, want string }{
		{"City", `Segment "Rev": the tiers rank members by "City", which is not a number; rank them by Beds or a numeric custom field`},
		{"Bedz", `Segment "Rev": the tiers rank members by "Bedz", which is not a field of this plan; fields: Name, External ID, Address, City, State, Postal code, Segment, Owner, Beds, Unit, Match, Revenue`},
	} {
		g.Tiers.Metric = c.metric
		if _, err := p.SegmentMembers(g); planner.ErrorMessage(err) != c.want {
			t.Errorf("metric %q: %v, want %s", c.metric, err, c.want)
		}
	}
	g.Tiers.Tiers = nil
	if _, err := p.SegmentMembers(g); planner.ErrorMessage(err) != `Segment "Rev": there are 0 tiers; a segment has 1 to 12 tiers` {
		t.Errorf("no tiers: %v", err)
	}
}

func TestCheckTiering(t *testing.T) {
	abc := func(q bool, v ...float64) *planner.Tiering {
		t := &planner.Tiering{Metric: "Beds", ByQuantile: q}
		for i, x := range v {
			t.Tiers = append(t.Tiers, planner.Tier{Name: string(rune('A' + i)), Value: x})
		}
		return t
	}
	for _, ok := range []*planner.Tiering{nil, planner.DefaultTiering("Beds"), abc(true, 100), abc(true, 33.3, 33.3, 33.4),
		abc(true, 10, 20), abc(true, 0, 100), abc(false, 500, 100, 0), abc(false, -1), abc(false, 5, -5)} {
		if err := planner.CheckTiering(ok); err != nil {
			t.Errorf("CheckTiering(%+v): %v", ok, err)
		}
	}
	many := abc(false)
	for i := range planner.MaxTiers + 1 {
		many.Tiers = append(many.Tiers, planner.Tier{Name: fmt.Sprint(i), Value: float64(-i)})
	}
	dup := abc(true, 50, 50)
	dup.Tiers[1].Name = " a "
	noName := abc(true, 50, 50)
	noName.Tiers[1].Name = " "
	noMetric := planner.DefaultTiering(" ")
	for _, c := range []struct {
		t    *planner.Tiering
		want string
	}{
		{noMetric, "the tiers name no metric to rank members by (e.g. Potential)"},
		{abc(true), "there are 0 tiers; a segment has 1 to 12 tiers"},
		{many, "there are 13 tiers; a segment has 1 to 12 tiers"},
		{noName, "tier 2 has no name"},
		{dup, `two tiers are called " a "`},
		{abc(true, 20, math.NaN()), `tier "B" has no valid value (NaN)`},
		{abc(false, math.Inf(1), 5), `tier "A" has no valid value (+Inf)`},
		{abc(true, -1, 50), `tier "A" has a share of -1%; a share is from 0% to 100%`},
		{abc(true, 101), `tier "A" has a share of 101%; a share is from 0% to 100%`},
		{abc(true, 20, 30, 70), "the tiers' shares add up to 120%; they may add up to at most 100%"},
		{abc(false, 100, 100), `tier "B" has threshold 100, which is not below tier "A"'s 100; thresholds decrease from the top tier`},
		{abc(false, 100, 200), `tier "B" has threshold 200, which is not below tier "A"'s 100; thresholds decrease from the top tier`},
	} {
		err := planner.CheckTiering(c.t)
		if planner.ErrorCode(err) != planner.EINVALID || planner.ErrorMessage(err) != c.want {
			t.Errorf("CheckTiering(%+v) = %v, want %s", c.t, err, c.want)
		}
	}
}

func TestDefaultTiering(t *testing.T) {
	want := &planner.Tiering{Metric: "Beds", ByQuantile: true, Tiers: []planner.Tier{{Name: "A", Value: 20}, {Name: "B", Value: 30}, {Name: "C", Value: 50}}}
	if got := planner.DefaultTiering("Beds"); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultTiering = %+v, want %+v", got, want)
	}
}

// FuzzParseRule checks that ParseRule never panics, that the canonical
// form of a parsed rule parses back to the same rule (and the same text),
// and that evaluating it on a small plan never panics.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"", "Beds >= 200 and Type = 'GENERAL ACUTE CARE'", "Type is GENERAL ACUTE CARE and Beds >= 200",
		"Industry in (Software, Fintech)", "not (a = 1 or b != 2) && c ≤ 3 || d ≥ 4", "Phone is not empty",
		`"Annual revenue (USD)" > 5 or [a]]b] contains 'O''Brien'`, "Name not contains x", "Owner not in (a, 'b c', 3)",
		"Région ≠ Île-de-France", "((a = 1))", "Beds >= ", "[x", "'y", "a = b c d and e <> f",
	} {
		f.Add(s)
	}
	p := &planner.Plan{
		PotentialName: "Beds", SegmentName: "Type",
		CustomFields: []planner.CustomField{{Name: "a"}, {Name: "b"}, {Name: "Industry"}},
		Accounts: []planner.Account{
			{ID: 1, Name: "X", Segment: "GENERAL ACUTE CARE", Potential: planner.Known(250), Fields: []string{"1", "x", "Software"}},
			{ID: 2, Name: "Épicerie"},
		},
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := planner.ParseRule(text)
		if err != nil {
			if planner.ErrorCode(err) != planner.EINVALID || !strings.HasPrefix(planner.ErrorMessage(err), "Rule ") {
				t.Fatalf("ParseRule(%q): error %v", text, err)
			}
			return
		}
		s := r.String()
		back, err := planner.ParseRule(s)
		if err != nil {
			t.Fatalf("ParseRule(%q) = %q, which does not parse: %v", text, s, err)
		}
		if back.String() != s || !reflect.DeepEqual(back, r) {
			t.Fatalf("ParseRule(%q) = %q, which reads back as %q", text, s, back.String())
		}
		if in, err := p.MatchRule(r); err == nil && len(in) != len(p.Accounts) {
			t.Fatalf("MatchRule(%q) has %d results", s, len(in))
		}
	})
}

// benchPlan is a plan of n synthetic accounts: types, beds (1 in 10
// unknown), and custom fields Industry (text) and Employees (numeric).
func benchPlan(n int) *planner.Plan {
	types := []string{"GENERAL ACUTE CARE", "CRITICAL ACCESS", "PSYCHIATRIC", "CHILDREN", "LONG TERM CARE"}
	industries := []string{"Software", "Fintech", "Retail", "Health care", "Manufacturing", "Logistics", ""}
	p := &planner.Plan{PotentialName: "Beds", SegmentName: "Type",
		CustomFields: []planner.CustomField{{Name: "Industry"}, {Name: "Employees", Numeric: true}}}
	p.Accounts = make([]planner.Account, n)
	fields := make([]string, 2*n)
	for i := range p.Accounts {
		a := &p.Accounts[i]
		a.ID = int64(i + 1)
		a.Name = fmt.Sprintf("Account %d", i+1)
		a.Segment = types[(i*7)%len(types)]
		if i%10 != 9 {
			a.Potential = planner.Known(float64((i * 37) % 800))
		}
		a.Fields = fields[2*i : 2*i+2 : 2*i+2]
		a.Fields[0] = industries[(i*3)%len(industries)]
		a.Fields[1] = fmt.Sprint((i * 13) % 5000)
	}
	return p
}

// BenchmarkSegmentMembers evaluates a three-clause segment rule on 100,000
// accounts; the Tiers variant also ranks the members into ABC tiers by
// quantile of beds.
func BenchmarkSegmentMembers(b *testing.B) {
	p := benchPlan(100_000)
	for _, c := range []struct {
		name string
		g    planner.Segment
	}{
		{"Rule", planner.Segment{ID: 1, Name: "S", Rule: "Type = 'GENERAL ACUTE CARE' and Beds >= 200 or Industry in (Software, Fintech)"}},
		{"RuleNumericText", planner.Segment{ID: 1, Name: "S", Rule: "Employees >= 1000 and Industry contains tech and Type != CHILDREN"}},
		{"RuleTiers", planner.Segment{ID: 1, Name: "S", Rule: "Type = 'GENERAL ACUTE CARE' and Beds >= 200 or Industry in (Software, Fintech)",
			Tiers: planner.DefaultTiering("Beds")}},
	} {
		b.Run(c.name, func(b *testing.B) {
			m, err := p.SegmentMembers(&c.g)
			if err != nil || m.Members == 0 {
				b.Fatal(m.Members, err)
			}
			b.ReportAllocs()
			c0 := impCPUTime()
			for b.Loop() {
				if _, err := p.SegmentMembers(&c.g); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(impCPUTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
