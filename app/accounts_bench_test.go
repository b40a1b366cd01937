package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/meridianplan/meridian/planner"
)

// benchAccountsData returns the Accounts tab's data for 100,000 synthetic
// accounts (3 custom fields, one numeric) in 3,000 units and 10
// territories, with a rule segment, 100 named accounts and the sort and
// search keys not built yet.
func benchAccountsData(b *testing.B) *accountsData {
	b.Helper()
	test.NewTempApp(b)
	p := &planner.Plan{Name: "Bench", UnitLevel: "County", PotentialName: "Beds", SegmentName: "Type",
		CustomFields: []planner.CustomField{{Name: "Staff", Numeric: true}, {Name: "Website"}, {Name: "Phone"}},
		Segments:     []planner.Segment{{ID: 1, Name: "Large", Rule: "Beds >= 250 and Type = 'ACUTE'"}}}
	s := planner.Scenario{ID: 1, Name: "Base", Alignment: map[string]int64{}, NamedAccounts: map[int64]int64{}}
	for t := range 10 {
		s.Territories = append(s.Territories, planner.Territory{ID: int64(t + 1), Name: fmt.Sprintf("Territory %d", t+1)})
	}
	for u := range 3000 {
		code := fmt.Sprintf("%05d", u)
		p.Units = append(p.Units, planner.GeographyUnit{Code: code, Name: "County " + code})
		if u%7 != 0 {
			s.Alignment[code] = int64(u%10 + 1)
		}
	}
	types := []string{"ACUTE", "CHILDREN", "PSYCHIATRIC", "REHABILITATION"}
	cities := []string{"Springfield", "Riverside", "Franklin", "Greenville", "Bristol"}
	p.Accounts = make([]planner.Account, 100_000)
	for i := range p.Accounts {
		pot := planner.Known(float64((i * 7919) % 500))
		if i%50 == 0 {
			pot = planner.Unknown
		}
		p.Accounts[i] = planner.Account{ID: int64(i + 1), Name: fmt.Sprintf("Account %d Medical Center", (i*7919)%100_000),
			City: cities[i%len(cities)], State: "MA", ZIP: fmt.Sprintf("%05d", i%90000), ExternalID: fmt.Sprintf("X%07d", i),
			Segment: types[i%len(types)], Owner: "NON-PROFIT", Potential: pot, UnitCode: p.Units[i%3000].Code,
			Placement: planner.PlacedInside, Match: planner.MatchLevel(i % 4),
			Fields: []string{fmt.Sprint(i % 300), "example.com", "555-0100"}}
		if i%1000 == 0 {
			s.NamedAccounts[int64(i+1)] = 3
		}
	}
	p.Scenarios = []planner.Scenario{s}
	av := (&Meridian{}).newAccountsView()
	av.set(p, &p.Scenarios[0])
	return av.data
}

// BenchmarkAccountsFilter measures accountOrder (the Accounts tab's
// filter, run off the UI thread above accountsAsyncRows accounts) on
// 100,000 accounts: a search typed in the box (the haystack built once,
// before the timer), the territory filter, and the segment filter (its
// membership cached after the first evaluation).
func BenchmarkAccountsFilter(b *testing.B) {
	d := benchAccountsData(b)
	q0 := accountQuery{seg: noFilter, territory: -1, match: -1, sortCol: -1}
	for _, c := range []struct {
		name string
		q    func(q accountQuery) accountQuery
	}{
		{"search", func(q accountQuery) accountQuery { q.search = "account 4242"; return q }},
		{"territory", func(q accountQuery) accountQuery { q.territory = 3; return q }},
		{"segment+match", func(q accountQuery) accountQuery {
			q.seg, q.match = segmentFilter{id: 1, tier: -1}, int(planner.MatchPoint)
			return q
		}},
	} {
		q := c.q(q0)
		if _, err := accountOrder(d, q); err != nil { // warm: haystack, membership
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			c0 := accountsCPUTime()
			for b.Loop() {
				if _, err := accountOrder(d, q); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0)
		})
	}
}

// BenchmarkAccountsSort measures sorting all 100,000 accounts by a numeric
// column (Beds, descending) and a text column (Name), with the keys built
// (warm: the cost of each later sort) and built in the loop (cold: the
// first sort of a column).
func BenchmarkAccountsSort(b *testing.B) {
	d := benchAccountsData(b)
	for _, c := range []struct {
		name string
		col  int
		desc bool
	}{{"beds", 7, true}, {"name", 0, false}, {"territory", 8, false}} {
		q := accountQuery{seg: noFilter, territory: -1, match: -1, sortCol: c.col, desc: c.desc}
		if _, err := accountOrder(d, q); err != nil {
			b.Fatal(err)
		}
		b.Run(c.name+"/warm", func(b *testing.B) {
			b.ReportAllocs()
			c0 := accountsCPUTime()
			for b.Loop() {
				accountOrder(d, q)
			}
			reportCPU(b, c0)
		})
		b.Run(c.name+"/cold", func(b *testing.B) {
			b.ReportAllocs()
			c0 := accountsCPUTime()
			for b.Loop() {
				d.keys = &accountKeys{}
				accountOrder(d, q)
			}
			reportCPU(b, c0)
		})
	}
}

// reportCPU reports the CPU time per iteration since c0 (accountsCPUTime)
// as cpu-ms/op.
func reportCPU(b *testing.B, c0 int64) {
	b.ReportMetric(float64(accountsCPUTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
