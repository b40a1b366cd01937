package xlsx_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/xlsx"
	"github.com/xuri/excelize/v2"
)

// findRow returns the 1-based sheet row whose column col holds text, or
// fails the test.
func findRow(t *testing.T, f *excelize.File, sheet, col, text string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := excelize.ColumnNameToNumber(col)
	for r, row := range rows {
		if len(row) >= j && row[j-1] == text {
			return r + 1
		}
	}
	t.Fatalf("%s has no row with %q in column %s", sheet, text, col)
	return 0
}

// findCol returns the letter of the column headed h in row r, or fails.
func findCol(t *testing.T, f *excelize.File, sheet string, r int, h string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if r <= len(rows) {
		for j, v := range rows[r-1] {
			if v == h {
				l, _ := excelize.ColumnNumberToName(j + 1)
				return l
			}
		}
	}
	t.Fatalf("%s row %d has no column %q", sheet, r, h)
	return ""
}

// cellNumber returns the cached number of a cell, 0 for a blank one.
func cellNumber(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw == "" {
		return 0
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q, not a number", sheet, ref, raw)
	}
	return v
}

// wantQuoted checks that a cell is a text cell with the quote prefix.
func wantQuoted(t *testing.T, f *excelize.File, sheet, ref, want string) {
	t.Helper()
	wantText(t, f, sheet, ref, want)
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix == nil || !*xf.QuotePrefix {
		t.Errorf("%s!%s: style %d has no quote prefix", sheet, ref, id)
	}
}

// TestSampleSegmentsSheet exports the sample plan with one named account
// and checks the Segments sheet and the hierarchy columns cell by cell.
func TestSampleSegmentsSheet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the sample plan")
	}
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Active()
	large := p.SegmentNamed("Large acute hospitals")
	mem, err := p.SegmentMembers(large)
	if err != nil {
		t.Fatal(err)
	}
	// Name the first large hospital of New England (territory 1) to the
	// Pacific (territory 9).
	geo := s.AccountTerritories(p)
	named := -1
	for i, in := range mem.In {
		if in && geo[i] == 1 {
			named = i
			break
		}
	}
	if named < 0 {
		t.Fatal("no large acute hospital in New England")
	}
	s.NamedAccounts = map[int64]int64{p.Accounts[named].ID: 9}

	path := filepath.Join(t.TempDir(), "sample.xlsx")
	if err := xlsx.WriteFile(path, p, s.ID); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sh = "Segments"

	// The segments table.
	wantRow(t, f, sh, 1, []string{"Segment", "Rule", "Tiers", "Overlay team", "Overlay reps", "Members", "Potential (Beds)", "Share of potential", "Note"})
	wantText(t, f, sh, "A2", "Large acute hospitals")
	wantText(t, f, sh, "B2", "Type = 'GENERAL ACUTE CARE' and Beds >= 200")
	wantText(t, f, sh, "D2", "Key accounts")
	wantNumber(t, f, sh, "F2", float64(mem.Members))
	// An independent count: general acute care hospitals with 200 beds or more.
	count, beds := 0, 0.0
	for _, a := range p.Accounts {
		if a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 200 {
			count++
			beds += a.Potential.Value
		}
	}
	if mem.Members != count || count < 100 {
		t.Errorf("SegmentMembers counts %d large acute hospitals, an independent count %d", mem.Members, count)
	}
	wantNumber(t, f, sh, "G2", beds)
	all := planner.ComputeMetrics(p, s).Total.Potential
	wantCached(t, f, sh, "H2", beds/all)
	if fo, _ := f.GetCellFormula(sh, "H2"); fo != `IF(Territories!$G$13=0,"",G2/Territories!$G$13)` {
		t.Errorf("Segments!H2 formula %q", fo)
	}
	wantText(t, f, sh, "A3", "Bed tiers")
	wantText(t, f, sh, "B3", "(every account)")
	wantText(t, f, sh, "C3", "By Beds: A top 20%, B next 30%, C rest")
	tiers, err := p.SegmentMembers(p.SegmentNamed("Bed tiers"))
	if err != nil {
		t.Fatal(err)
	}
	wantNumber(t, f, sh, "F3", float64(tiers.Members))
	note, _ := f.GetCellValue(sh, "I3")
	if want := fmt.Sprintf("Tier sizes A: %d, B: %d, C: %d", tiers.TierSizes[0], tiers.TierSizes[1], tiers.TierSizes[2]); !strings.HasPrefix(note, want) {
		t.Errorf("Segments!I3 = %q, want it to start with %q", note, want)
	}

	// The matrix: Region, Territory, then the pairs.
	title := findRow(t, f, sh, "A", "Segments by territory")
	hdr := title + 1
	wantRow(t, f, sh, hdr, []string{"Region", "Territory",
		"Large acute hospitals accounts", "Large acute hospitals potential (Beds)",
		"Bed tiers A accounts", "Bed tiers A potential (Beds)",
		"Bed tiers B accounts", "Bed tiers B potential (Beds)",
		"Bed tiers C accounts", "Bed tiers C potential (Beds)"})
	first, ws, total := hdr+1, hdr+1+len(s.Territories), hdr+2+len(s.Territories)
	wantText(t, f, sh, cell("A", first), "Northeast")
	wantText(t, f, sh, cell("B", first), "New England")
	wantText(t, f, sh, cell("A", ws), "White space")
	wantText(t, f, sh, cell("A", total), "Total")
	for j := 3; j <= 10; j++ {
		col, _ := excelize.ColumnNumberToName(j)
		sum := 0.0
		for r := first; r <= ws; r++ {
			sum += cellNumber(t, f, sh, cell(col, r))
		}
		if want := fmt.Sprintf("SUM(%s%d:%s%d)", col, first, col, ws); formula(f, sh, cell(col, total)) != want {
			t.Errorf("%s!%s%d formula %q, want %q", sh, col, total, formula(f, sh, cell(col, total)), want)
		}
		wantCached(t, f, sh, cell(col, total), sum)
		calc, err := f.CalcCellValue(sh, cell(col, total), excelize.Options{RawCellValue: true})
		if v, _ := strconv.ParseFloat(calc, 64); err != nil || v != sum {
			t.Errorf("%s!%s%d calculates to %q (%v), want %v", sh, col, total, calc, err, sum)
		}
	}
	// The large hospitals' total is the segment's count, and the named
	// account counts in the Pacific, not in New England.
	wantCached(t, f, sh, cell("C", total), float64(count))
	sm := planner.ComputeSegmentMetrics(p, s, large.Name, mem.In)
	wantNumber(t, f, sh, cell("C", first), float64(sm.Territories[0].Accounts))
	wantNumber(t, f, sh, cell("C", first+8), float64(sm.Territories[8].Accounts))
	s.NamedAccounts = nil
	geoM := planner.ComputeSegmentMetrics(p, s, large.Name, mem.In)
	pot := p.Accounts[named].Potential.Value
	if sm.Territories[0].Accounts != geoM.Territories[0].Accounts-1 || sm.Territories[8].Accounts != geoM.Territories[8].Accounts+1 {
		t.Errorf("named account: New England %d → %d, Pacific %d → %d", geoM.Territories[0].Accounts, sm.Territories[0].Accounts,
			geoM.Territories[8].Accounts, sm.Territories[8].Accounts)
	}
	wantNumber(t, f, sh, cell("D", first), geoM.Territories[0].Potential-pot)
	wantNumber(t, f, sh, cell("D", first+8), geoM.Territories[8].Potential+pot)

	// The by-field block, titled by the plan's segment field.
	by := findRow(t, f, sh, "A", "Accounts by Type")
	wantRow(t, f, sh, by+1, []string{"Type", "Accounts", "Potential (Beds)", "Share of potential", "Accounts with no potential data"})
	byTotal := findRow(t, f, sh, "A", "Total") // the first Total is the matrix's
	if byTotal != total {
		t.Errorf("first Total row %d, want the matrix's %d", byTotal, total)
	}

	// Territories: the Region column, found by its header.
	region := findCol(t, f, "Territories", 1, "Region")
	ne := findRow(t, f, "Territories", "B", "New England")
	wantText(t, f, "Territories", region+strconv.Itoa(ne), "Northeast")

	// Accounts: the named hospital is "named" in the Pacific, in the West;
	// no other account is named.
	rows, err := f.GetRows("Accounts")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"External ID", "Name", "Address", "City", "State", "ZIP", "Longitude", "Latitude",
		"Segment", "Owner", "Potential (Beds)", "Unit code", "Unit name", "Parent", "Region", "Territory", "Named", "Placement", "Located by"}
	if strings.Join(rows[0], "|") != strings.Join(wantHeader, "|") {
		t.Errorf("Accounts header %q", rows[0])
	}
	namedRows := 0
	for _, r := range rows[1:] {
		if len(r) > 16 && r[16] == "named" {
			namedRows++
			if r[0] != p.Accounts[named].ExternalID || r[14] != "West" || r[15] != "Pacific" {
				t.Errorf("named account row %q, want %s in the West's Pacific", r, p.Accounts[named].ExternalID)
			}
		}
	}
	if namedRows != 1 {
		t.Errorf("%d accounts are marked named, want 1", namedRows)
	}
}

func formula(f *excelize.File, sheet, ref string) string {
	fo, _ := f.GetCellFormula(sheet, ref)
	return fo
}

// hierarchyPlan is testPlan with a three-level hierarchy (Region > Area >
// Territory: North under the Coast area of the East region, +South
// directly under East), account 4 (white space) named to North, and three
// segments: "=cmd" (Beds >= 50), a threshold-tiered one, and one whose
// rule names a field the plan lacks.
func hierarchyPlan() *planner.Plan {
	p := testPlan()
	s := &p.Scenarios[0]
	s.Levels = []string{"Region", "Area", "Territory"}
	s.Regions = []planner.Region{{ID: 1, Name: "East"}, {ID: 2, Name: "Coast", ParentID: 1}}
	s.Territories[0].RegionID = 2
	s.Territories[1].RegionID = 1
	s.NamedAccounts = map[int64]int64{4: 11}
	p.Segments = []planner.Segment{
		{ID: 1, Name: "=cmd", Rule: "Beds >= 50", OverlayTeam: "+Team", OverlayReps: []int64{1}},
		{ID: 2, Name: "Tiered", Tiers: &planner.Tiering{Metric: "Beds", Tiers: []planner.Tier{{Name: "A", Value: 50}, {Name: "B", Value: 10}}}},
		{ID: 3, Name: "Broken", Rule: "Colour = 'red'"},
	}
	return p
}

func TestHierarchyAndSegments(t *testing.T) {
	p := hierarchyPlan()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	// Territories: Region and Area, then Territory.
	wantRow(t, f, "Territories", 1, []string{"Region", "Area", "Territory", "Reps", "Units", "Accounts", "Population", "Potential (Beds)",
		"Units deviation", "Accounts deviation", "Population deviation", "Potential deviation",
		"Units with no population data", "Accounts with no potential data", "Territory ID"})
	wantText(t, f, "Territories", "A2", "East")
	wantText(t, f, "Territories", "B2", "Coast")
	wantText(t, f, "Territories", "C2", "North")
	wantText(t, f, "Territories", "A3", "East")
	wantBlank(t, f, "Territories", "B3")
	wantQuoted(t, f, "Territories", "C3", "+South")
	wantNumber(t, f, "Territories", "F2", 3) // accounts 2, 3 and the named 4
	wantText(t, f, "Territories", "A5", "White space")
	if fo := formula(f, "Territories", "F6"); fo != "SUM(F2:F3,F5)" {
		t.Errorf("Territories!F6 formula %q", fo)
	}

	// Accounts: the hierarchy before Territory, then Named.
	wantRow(t, f, "Accounts", 1, []string{"External ID", "Name", "Address", "City", "State", "ZIP", "Longitude", "Latitude",
		"Segment", "Owner", "Potential (Beds)", "Unit code", "Unit name", "Parent", "Region", "Area", "Territory", "Named", "Placement", "Located by"})
	for r, want := range map[int][3]string{
		2: {"East", "", "+South"},     // account 1
		3: {"East", "Coast", "North"}, // account 2
		5: {"East", "Coast", "North"}, // account 4, named
		6: {"", "", ""},               // account 5: white space
		7: {"East", "", "+South"},     // account 6
	} {
		for j, col := range []string{"O", "P", "Q"} {
			if got, _ := f.GetCellValue("Accounts", cell(col, r)); got != want[j] {
				t.Errorf("Accounts!%s%d = %q, want %q", col, r, got, want[j])
			}
		}
	}
	wantText(t, f, "Accounts", "R5", "named")
	wantBlank(t, f, "Accounts", "R3")
	wantText(t, f, "Accounts", "S5", "inside")

	// Segments: "=cmd" stays text, in the table and in the matrix header.
	const sh = "Segments"
	wantQuoted(t, f, sh, "A2", "=cmd")
	wantText(t, f, sh, "B2", "Beds >= 50")
	wantQuoted(t, f, sh, "D2", "+Team")
	wantText(t, f, sh, "E2", "Ann Lee")
	wantNumber(t, f, sh, "F2", 2)     // accounts 1 and 2
	wantNumber(t, f, sh, "G2", 150.5) // 100 + 50.5
	wantCached(t, f, sh, "H2", 150.5/180.5)
	wantBlank(t, f, sh, "I2")
	wantText(t, f, sh, "A3", "Tiered")
	wantText(t, f, sh, "C3", "By Beds: A ≥ 50, B ≥ 10")
	wantNumber(t, f, sh, "F3", 6)
	wantText(t, f, sh, "I3", "Tier sizes A: 2, B: 2; 1 with no tier (no Beds); 1 with no tier (below the last tier)")
	// The broken rule: its message, no figures, and no matrix columns.
	wantText(t, f, sh, "A4", "Broken")
	for _, c := range []string{"F4", "G4", "H4"} {
		wantBlank(t, f, sh, c)
	}
	if msg, _ := f.GetCellValue(sh, "I4"); !strings.Contains(msg, "Colour") {
		t.Errorf("Segments!I4 = %q, want the rule's error", msg)
	}

	// The matrix starts after the three segments and an empty row.
	wantText(t, f, sh, "A6", "Segments by territory")
	wantRow(t, f, sh, 7, []string{"Region", "Area", "Territory", "=cmd accounts", "=cmd potential (Beds)",
		"Tiered A accounts", "Tiered A potential (Beds)", "Tiered B accounts", "Tiered B potential (Beds)"})
	wantQuoted(t, f, sh, "D7", "=cmd accounts")
	wantRow(t, f, sh, 8, []string{"East", "Coast", "North", "1", "50.5", "1", "50.5", "1", "20.0"})
	wantRow(t, f, sh, 9, []string{"East", "", "+South", "1", "100.0", "1", "100.0", "0", "0.0"})
	wantRow(t, f, sh, 10, []string{"White space", "", "", "0", "0.0", "0", "0.0", "1", "10.0"})
	wantText(t, f, sh, "A11", "Total")
	for col, want := range map[string]float64{"D": 2, "E": 150.5, "F": 2, "G": 150.5, "H": 2, "I": 30} {
		if fo := formula(f, sh, col+"11"); fo != fmt.Sprintf("SUM(%s8:%s10)", col, col) {
			t.Errorf("Segments!%s11 formula %q", col, fo)
		}
		wantCached(t, f, sh, col+"11", want)
	}
	// The by-field block after an empty row.
	wantText(t, f, sh, "A13", "Accounts by Segment")
	wantRow(t, f, sh, 15, []string{"  =1+1", "1", "20.0", "11.1%", "0"})
	wantQuoted(t, f, sh, "A15", "  =1+1")
	wantText(t, f, sh, "A17", "(no segment)")
	wantText(t, f, sh, "A18", "Total")
	if fo := formula(f, sh, "C18"); fo != "SUM(C15:C17)" {
		t.Errorf("Segments!C18 formula %q", fo)
	}
	wantCached(t, f, sh, "C18", 180.5)
	if fo := formula(f, sh, "D15"); fo != `IF($C$18=0,"",C15/$C$18)` {
		t.Errorf("Segments!D15 formula %q", fo)
	}
}

// TestLevelNamedLikeAColumn checks that a level called "Territory" does not
// take the Territory column's header, which ReadQuotas finds by name.
func TestLevelNamedLikeAColumn(t *testing.T) {
	p := hierarchyPlan()
	s := &p.Scenarios[0]
	s.Levels = []string{"territory", "=Zone", "Territory"}
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantText(t, f, "Territories", "A1", "territory (level)")
	wantQuoted(t, f, "Territories", "B1", "=Zone")
	wantText(t, f, "Territories", "C1", "Territory")
}

// TestNoSegments: a plan without segments or segment values has the
// segments table's header and nothing else.
func TestNoSegments(t *testing.T) {
	p := testPlan()
	for i := range p.Accounts {
		p.Accounts[i].Segment = ""
	}
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantRows(t, f, "Segments", 1)
	wantText(t, f, "Segments", "A1", "Segment")
}
