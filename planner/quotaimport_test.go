package planner_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

func quotaScenario() *planner.Scenario {
	return &planner.Scenario{ID: 1, Name: "Base", Territories: []planner.Territory{
		{ID: 10, Name: "New England", Quota: planner.Known(1_200_000)},
		{ID: 11, Name: "Mid-Atlantic", Quota: planner.Known(2_500_000)},
		{ID: 12, Name: "Pacific"}, // no quota yet
		{ID: 13, Name: "Mountain", Quota: planner.Known(800_000.25)},
	}}
}

func TestCompareQuotas(t *testing.T) {
	s := quotaScenario()
	entries := []planner.QuotaEntry{
		{Row: 2, TerritoryID: 10, Territory: "New England (renamed)", Quota: planner.Known(1_250_000)},
		{Row: 3, Territory: "  mid-ATLANTIC ", Quota: planner.Known(2_500_000.004)}, // below half a cent
		{Row: 4, TerritoryID: 13, Territory: "Mountain", Quota: planner.Known(799_000)},
		{Row: 5, Territory: "pacific", Quota: planner.Known(300_000)},
	}
	got, err := planner.CompareQuotas(s, entries, "plan.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := []planner.QuotaChange{
		{TerritoryID: 10, Territory: "New England", Old: planner.Known(1_200_000), New: planner.Known(1_250_000), Diff: 50_000},
		{TerritoryID: 12, Territory: "Pacific", Old: planner.Unknown, New: planner.Known(300_000), Diff: 300_000},
		{TerritoryID: 13, Territory: "Mountain", Old: planner.Known(800_000.25), New: planner.Known(799_000), Diff: -1_000.25},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes\n got %+v\nwant %+v", got, want)
	}
}

func TestCompareQuotasClearAndMissing(t *testing.T) {
	s := quotaScenario()
	all := func() []planner.QuotaEntry {
		return []planner.QuotaEntry{
			{Row: 2, Territory: "New England", Quota: planner.Known(1_200_000), Column: "N"},
			{Row: 3, Territory: "Pacific", Column: "N"}, // unknown left unknown: no change
			{Row: 4, Territory: "Mid-Atlantic", Quota: planner.Known(2_500_000), Column: "N"},
			{Row: 5, Territory: "Mountain", Quota: planner.Known(800_000.25), Column: "N"},
		}
	}
	if got, err := planner.CompareQuotas(s, all(), "f.xlsx"); err != nil || len(got) != 0 {
		t.Errorf("unchanged file: %v, %v", got, err)
	}
	// Emptying a quota cell is refused: type 0 for none.
	cleared := all()
	cleared[0].Quota = planner.Unknown
	if _, err := planner.CompareQuotas(s, cleared, "f.xlsx"); err == nil ||
		planner.ErrorMessage(err) != `f.xlsx, row 2, column N: the quota of "New England" is empty; type its quota (0 for none)` {
		t.Errorf("cleared cell: %v", err)
	}
	// A deleted row is named.
	if _, err := planner.CompareQuotas(s, all()[:3], "f.xlsx"); err == nil ||
		!strings.Contains(planner.ErrorMessage(err), `f.xlsx has no row for "Mountain" of scenario "Base": put the row back`) {
		t.Errorf("deleted row: %v", err)
	}
}

func TestCompareQuotasErrors(t *testing.T) {
	s := quotaScenario()
	for _, tc := range []struct {
		name    string
		entries []planner.QuotaEntry
		want    []string
	}{
		{"unknown name", []planner.QuotaEntry{{Row: 7, Territory: "Atlantis", Quota: planner.Known(1), Column: "H"}},
			[]string{"plan.xlsx, row 7", `no territory named "Atlantis"`}},
		{"unknown id", []planner.QuotaEntry{{Row: 4, TerritoryID: 99, Territory: "Pacific", Quota: planner.Known(1)}},
			[]string{"plan.xlsx, row 4", "(ID 99) is not in scenario"}},
		{"twice", []planner.QuotaEntry{
			{Row: 2, TerritoryID: 12, Territory: "Pacific", Quota: planner.Known(1)},
			{Row: 9, Territory: "PACIFIC", Quota: planner.Known(2)}},
			[]string{"plan.xlsx, row 9", `"Pacific" is listed twice (rows 2 and 9)`}},
		{"negative", []planner.QuotaEntry{{Row: 3, Territory: "Mountain", Quota: planner.Known(-5), Column: "H"}},
			[]string{"plan.xlsx, row 3, column H", "is -5; a quota must be zero or more"}},
		{"infinite", []planner.QuotaEntry{{Row: 5, Territory: "Mountain", Quota: planner.Known(math.Inf(1))}},
			[]string{"plan.xlsx, row 5, the quota column", "is not a number"}},
		{"nan", []planner.QuotaEntry{{Row: 6, Territory: "Mountain", Quota: planner.Known(math.NaN()), Column: "Annual quota"}},
			[]string{"row 6, column Annual quota"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := planner.CompareQuotas(s, tc.entries, "plan.xlsx")
			if err == nil || got != nil {
				t.Fatalf("got %v, %v; want an error", got, err)
			}
			if planner.ErrorCode(err) != planner.EINVALID {
				t.Errorf("code %q", planner.ErrorCode(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
