package planner_test

import (
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// TestDefaultCountry guesses the country from unit codes: HASC prefixes,
// US FIPS, and none for a world layer.
func TestDefaultCountry(t *testing.T) {
	plan := func(codes ...string) *planner.Plan {
		p := &planner.Plan{}
		for _, c := range codes {
			p.Units = append(p.Units, planner.GeographyUnit{Code: c})
		}
		return p
	}
	for _, c := range []struct {
		p    *planner.Plan
		want string
	}{
		{plan("RO.BV", "RO.B", "RO.CJ"), "RO"},
		{plan("CA.QC", "CA.ON"), "CA"},
		{plan("01001", "06037", "72001"), "US"},
		{plan("01", "06"), "US"},
		{plan("840", "124", "Kosovo"), ""},   // world-atlas: ISO numeric ids and names
		{plan("RO.BV", "CA.QC"), ""},         // two countries
		{plan("E12000007", "E12000008"), ""}, // codes that say nothing
		{plan(), ""},
	} {
		if got := c.p.DefaultCountry(); got != c.want {
			t.Errorf("%v: %q, want %q", c.p.Units, got, c.want)
		}
	}
}
