package planner_test

import (
	"reflect"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// Revenue is the potential; Phone the one custom field.
const impDupCSV = "ID,Name,ZIP,Lat,Lon,Revenue,Phone\n" +
	"A1,Acme Corp,10001,40.7,-74,100,\n" + // row 2
	"B1,Beta,10002,40.7,-74,,555-1\n" + // 3
	"A1,ACME corp.,,,,,555-2\n" + // 4: same ID as row 2
	"C1,St. Mary's,10003,40.7,-74,5,\n" + // 5
	"C2,ST MARYS,10003,,,,555-3\n" + // 6: same name and ZIP as row 5
	"A1,Acme (old),10001,40.7,-74,7,555-4\n" + // 7: same ID as row 2 again
	",Beta,10002,,,,\n" // 8: same name and ZIP as row 3, no ID

func impNames(as []planner.Account) []string {
	var s []string
	for _, a := range as {
		s = append(s, a.ExternalID+":"+a.Name)
	}
	return s
}

// Likely duplicates are grouped, with a default resolution per reason, and
// each resolution does what it says.
func TestDuplicates(t *testing.T) {
	res := impMust(t, impTable(t, impDupCSV), planner.ImportOptions{})
	type group struct {
		Reason     planner.DuplicateReason
		Rows       []int
		Resolution planner.Resolution
	}
	var got []group
	for _, g := range res.Duplicates {
		var rows []int
		for _, i := range g.Accounts {
			rows = append(rows, res.AccountRows[i])
		}
		got = append(got, group{g.Reason, rows, g.Resolution})
	}
	want := []group{
		{planner.DuplicateExternalID, []int{2, 4, 7}, planner.MergeDuplicates},
		{planner.DuplicateNameAndPostal, []int{3, 8}, planner.KeepAll},
		{planner.DuplicateNameAndPostal, []int{5, 6}, planner.KeepAll},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("groups %+v\nwant %+v", got, want)
	}

	// Defaults: the ID group merged into row 2, whose empty phone comes
	// from row 4; the others kept.
	acc := res.Resolved()
	impSame(t, "default", impNames(acc), []string{"A1:Acme Corp", "B1:Beta", "C1:St. Mary's", "C2:ST MARYS", ":Beta"})
	if a := acc[0]; a.Potential != planner.Known(100) || a.ZIP != "10001" || a.Fields[0] != "555-2" {
		t.Errorf("merged %+v", a)
	}
	if res.Accounts[0].Fields[0] != "" {
		t.Error("Resolved changed the import")
	}

	// Merge the name group: row 5 takes row 6's phone, keeps its own ID.
	res.Duplicates[2].Resolution = planner.MergeDuplicates
	res.Duplicates[1].Resolution = planner.SkipLater
	acc = res.Resolved()
	impSame(t, "merged", impNames(acc), []string{"A1:Acme Corp", "B1:Beta", "C1:St. Mary's"})
	if acc[2].Fields[0] != "555-3" || !acc[2].HasLocation {
		t.Errorf("merged by name %+v", acc[2])
	}

	// Keep all: the ID stays with the first row only.
	res.Duplicates[0].Resolution = planner.KeepAll
	acc = res.Resolved()
	impSame(t, "kept", impNames(acc), []string{"A1:Acme Corp", "B1:Beta", ":ACME corp.", "C1:St. Mary's", ":Acme (old)"})
	p := &planner.Plan{Name: "x", Scenarios: []planner.Scenario{{ID: 1}}}
	if _, _, err := p.WithImport(res, planner.MergeOptions{}); err != nil {
		t.Errorf("WithImport of kept duplicates: %v", err)
	}
}

// A newer export updates the plan's accounts by external ID, adds new ones,
// reports removed ones (deleting them only when asked), keeps the accounts
// without an ID and any manual unit, and merges the custom fields by name.
func TestReimport(t *testing.T) {
	first := impMust(t, impTable(t, "ID,Name,Lat,Lon,Phone,Tier\n"+
		"1,One,40,-75,555-1,1\n"+
		"2,Two,40,-75,555-2,2\n"+
		"3,Three,40,-75,,3\n"+
		",Nameless,40,-75,,\n"), planner.ImportOptions{})
	base := &planner.Plan{Name: "Plan", Scenarios: []planner.Scenario{{ID: 1, Name: "Base"}},
		Units: []planner.GeographyUnit{{Code: "U1"}, {Code: "U2"}}}
	p, rep, err := base.WithImport(first, planner.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 4 || rep.Updated != 0 || len(rep.Removed) != 0 {
		t.Errorf("first import %+v", rep)
	}
	// The user puts account 2 in unit U2 by hand.
	p.Accounts[1].UnitCode, p.Accounts[1].Placement = "U2", planner.PlacedInside

	// The newer export: 1 unchanged, 2 renamed, 3 gone, 4 new; Tier is
	// gone and Email is new.
	second := impMust(t, impTable(t, "Name,ID,Lat,Lon,Phone,Email\n"+
		"One,1,40,-75,555-1,\n"+
		"Two Inc,2,40,-75,555-2,b@x\n"+
		"Four,4,41,-75,,d@x\n"), planner.ImportOptions{})
	manual := func(a *planner.Account) bool { return a.UnitCode == "U2" }
	q, rep, err := p.WithImport(second, planner.MergeOptions{ManualPlacement: manual})
	if err != nil {
		t.Fatal(err)
	}
	// One is unchanged but for the new empty Email.
	if rep.Added != 1 || rep.Updated != 1 || rep.Unchanged != 1 || rep.KeptPlacement != 1 ||
		len(rep.Removed) != 1 || rep.Removed[0].Name != "Three" {
		t.Errorf("re-import %+v", rep)
	}
	impSame(t, "accounts", impNames(q.Accounts), []string{"1:One", "2:Two Inc", "3:Three", ":Nameless", "4:Four"})
	var ids []int64
	for _, a := range q.Accounts {
		ids = append(ids, a.ID)
	}
	if !reflect.DeepEqual(ids, []int64{1, 2, 3, 4, 5}) {
		t.Errorf("IDs %v", ids)
	}
	if a := q.Accounts[1]; a.UnitCode != "U2" || a.Placement != planner.PlacedInside {
		t.Errorf("manual unit lost: %+v", a)
	}
	wantFields := []planner.CustomField{{Name: "Phone"}, {Name: "Tier", Numeric: true}, {Name: "Email"}}
	if !reflect.DeepEqual(q.CustomFields, wantFields) {
		t.Errorf("custom fields %+v", q.CustomFields)
	}
	// Tier, which the newer file lacks, keeps its values.
	impSame(t, "One's fields", q.Accounts[0].Fields, []string{"555-1", "1", ""})
	impSame(t, "Two's fields", q.Accounts[1].Fields, []string{"555-2", "2", "b@x"})
	impSame(t, "Three's fields", q.Accounts[2].Fields, []string{"", "3", ""})
	impSame(t, "Four's fields", q.Accounts[4].Fields, []string{"", "", "d@x"})
	if len(p.Accounts) != 4 || p.Accounts[1].Name != "Two" || len(p.CustomFields) != 2 {
		t.Error("WithImport changed the plan")
	}

	// Only asked: removed accounts are deleted; the same file again
	// changes nothing.
	q, rep, err = p.WithImport(second, planner.MergeOptions{DeleteRemoved: true})
	if err != nil {
		t.Fatal(err)
	}
	impSame(t, "deleted", impNames(q.Accounts), []string{"1:One", "2:Two Inc", ":Nameless", "4:Four"})
	if q.Accounts[1].UnitCode != "" {
		t.Errorf("without the hook the unit is the import's: %+v", q.Accounts[1])
	}
	r, rep, err := q.WithImport(second, planner.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unchanged != 3 || rep.Updated != 0 || rep.Added != 0 || len(rep.Removed) != 0 || len(r.Accounts) != 4 {
		t.Errorf("same file again %+v", rep)
	}

	// Units the plan does not have are refused.
	bad := impMust(t, impTable(t, "Name,Lat,Lon\nX,40,-75\n"), planner.ImportOptions{
		Locate: func(orb.Point) (string, planner.Placement) { return "NOPE", planner.PlacedInside }})
	if _, _, err := p.WithImport(bad, planner.MergeOptions{}); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("unknown unit: %v", err)
	}
}

// Names that differ in case, punctuation or accents' case are the same
// name; others are not.
func TestDuplicates_Normalised(t *testing.T) {
	res := impMust(t, impTable(t, "Name,ZIP\n"+
		"Hôpital Saint-Éloi,75001\n"+ // 2
		"HÔPITAL SAINT ÉLOI,75001\n"+ // 3: same
		"Hopital Saint Eloi,75001\n"+ // 4: no accents: another name
		"Hôpital Saint-Éloi,75002\n"+ // 5: another ZIP
		"Hôpital Saint-Éloi,75-001\n"), // 6: same ZIP, punctuated
		planner.ImportOptions{})
	if len(res.Duplicates) != 1 || !reflect.DeepEqual(res.Duplicates[0].Accounts, []int{0, 1, 4}) {
		t.Errorf("groups %+v", res.Duplicates)
	}
}
