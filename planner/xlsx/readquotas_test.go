package xlsx_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/xlsx"
	"github.com/xuri/excelize/v2"
)

// editTerritories opens the workbook at path, calls edit with the
// Territories sheet's column letters by header, and saves it.
func editTerritories(t *testing.T, path string, edit func(f *excelize.File, col map[string]string)) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Territories")
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]string{}
	for j, h := range rows[0] {
		col[h], _ = excelize.ColumnNumberToName(j + 1)
	}
	edit(f, col)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// TestQuotaRoundTrip exports the sample with quotas, changes two
// territories' annual quotas as finance would (one typed as a number, one
// as text with thousands separators) and renames a third territory in the
// sheet, then reads the quotas back: the change report lists exactly the
// two changes, with old, new and difference.
func TestQuotaRoundTrip(t *testing.T) {
	path, p := exportQuotaSample(t)
	s := p.Active()
	// Unchanged, the workbook reads back with no change.
	entries, err := xlsx.ReadQuotas(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(s.Territories) {
		t.Fatalf("%d entries, want %d", len(entries), len(s.Territories))
	}
	if e := entries[0]; e.Row != 2 || e.TerritoryID != s.Territories[0].ID || e.Territory != "New England" || e.Quota != s.Territories[0].Quota {
		t.Errorf("entry 0 = %+v, want New England's row 2 with quota %v", e, s.Territories[0].Quota)
	}
	if ch, err := planner.CompareQuotas(s, entries, "quota.xlsx"); err != nil || len(ch) != 0 {
		t.Fatalf("unchanged workbook: %v, %v", ch, err)
	}

	// Middle Atlantic (row 3) and South Atlantic (row 6) change; Pacific
	// (row 10) is renamed in the sheet only.
	editTerritories(t, path, func(f *excelize.File, col map[string]string) {
		q := col["Annual quota"]
		if err := f.SetCellValue("Territories", q+"3", 7_500_000); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue("Territories", q+"6", "1,250,000"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue("Territories", col["Territory"]+"10", "Pacific (West)"); err != nil {
			t.Fatal(err)
		}
	})
	entries, err = xlsx.ReadQuotas(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := planner.CompareQuotas(s, entries, "quota.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	mid, south := s.Territories[1], s.Territories[4]
	if mid.Name != "Middle Atlantic" || south.Name != "South Atlantic" {
		t.Fatalf("sample territories %q, %q", mid.Name, south.Name)
	}
	want := []planner.QuotaChange{
		{TerritoryID: mid.ID, Territory: "Middle Atlantic", Old: planner.Known(7_297_000), New: planner.Known(7_500_000), Diff: 203_000},
		{TerritoryID: south.ID, Territory: "South Atlantic", Old: south.Quota, New: planner.Known(1_250_000), Diff: 1_250_000 - south.Quota.Value},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes\n got %+v\nwant %+v", got, want)
	}
	for _, c := range got {
		t.Logf("%s: %s -> %s (%+.2f)", c.Territory, planner.FormatMoney(c.Old.Value, "USD"), planner.FormatMoney(c.New.Value, "USD"), c.Diff)
	}
}

func TestReadQuotasErrors(t *testing.T) {
	path, _ := exportQuotaSample(t)
	var quotaCol string
	editTerritories(t, path, func(f *excelize.File, col map[string]string) {
		quotaCol = col["Annual quota"]
		if err := f.SetCellValue("Territories", quotaCol+"7", "abc"); err != nil {
			t.Fatal(err)
		}
	})
	_, err := xlsx.ReadQuotas(path)
	want := fmt.Sprintf(`quota.xlsx: Territories!%s7 holds "abc", not an amount`, quotaCol)
	if err == nil || !strings.Contains(err.Error(), want) || planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("error %v, want EINVALID containing %q", err, want)
	}

	// A workbook without quota settings has no Annual quota column.
	noQuota := filepath.Join(t.TempDir(), "plain.xlsx")
	if err := xlsx.WriteFile(noQuota, testPlan(), 7); err != nil {
		t.Fatal(err)
	}
	if _, err := xlsx.ReadQuotas(noQuota); err == nil || !strings.Contains(err.Error(), `plain.xlsx: the Territories sheet has no "Annual quota" column`) {
		t.Errorf("no quota column: %v", err)
	}

	// A missing file.
	_, err = xlsx.ReadQuotas(filepath.Join(t.TempDir(), "missing.xlsx"))
	if !errors.Is(err, fs.ErrNotExist) || planner.ErrorCode(err) != planner.EIO {
		t.Errorf("missing file: %v", err)
	}
}

// TestQuotaWorkbook checks the quota sheets' cells as written (cached
// values, formulas, formats), without LibreOffice.
func TestQuotaWorkbook(t *testing.T) {
	path, p := exportQuotaSample(t)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	qp, err := planner.BuildQuotaPlan(p, p.Active())
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(xlsx.Sheets, ",") {
		t.Errorf("sheets %q", got)
	}
	// Territories: Region, Territory, ..., Annual quota in column N.
	wantText(t, f, "Territories", "N1", "Annual quota")
	wantNumber(t, f, "Territories", "N2", 2_422_000)
	wantShown(t, f, "Territories", "N2", "$2,422,000")
	wantText(t, f, "Territories", "Q1", "Split unit")
	wantCached(t, f, "Territories", "Q2", 1000)
	wantText(t, f, "Territories", "R1", "Q1")
	wantText(t, f, "Territories", "V1", "Feb 2027")
	wantText(t, f, "Territories", "AG1", "Jan 2028")
	wantText(t, f, "Territories", "AH1", "Territory ID")
	if h, _ := f.GetCellValue("Territories", "AI1"); h != "" {
		t.Errorf("Territories!AI1 = %q, want no helper columns after the Territory ID", h)
	}
	for j, col := range []string{"R", "S", "T", "U"} {
		wantCached(t, f, "Territories", col+"2", qp.Territories[0].Quarters[j])
	}
	for cell, want := range map[string]string{
		"R2":  "$Q2*ROUND(ROUND($N2*Settings!$B$33/$Q2,9),0)",
		"S2":  "$Q2*ROUND(ROUND($N2*Settings!$B$36/$Q2,9),0)-$Q2*ROUND(ROUND($N2*Settings!$B$33/$Q2,9),0)",
		"U2":  "$N2-$Q2*ROUND(ROUND($N2*Settings!$B$39/$Q2,9),0)",
		"V2":  "$Q2*ROUND(ROUND($N2*Settings!$B$31/$Q2,9),0)",
		"AG2": "$N2-$Q2*ROUND(ROUND($N2*Settings!$B$41/$Q2,9),0)",
	} {
		if fo, _ := f.GetCellFormula("Territories", cell); fo != want {
			t.Errorf("Territories!%s formula %q, want %q", cell, fo, want)
		}
	}
	for k := range 12 {
		c, _ := excelize.ColumnNumberToName(22 + k)
		wantCached(t, f, "Territories", c+"2", qp.Territories[0].Months[k])
	}
	if fo, _ := f.GetCellFormula("Territories", "N13"); fo != "SUM(N2:N10,N12)" {
		t.Errorf("N13 formula %q", fo)
	}
	if v, _ := f.GetColVisible("Territories", "AH"); v {
		t.Error("the Territory ID column AH is visible, want hidden")
	}
	if v, _ := f.GetColVisible("Territories", "Q"); !v {
		t.Error("the Split unit column Q is hidden, want visible")
	}
	// Settings: the season shares in fiscal order, as percentages.
	wantText(t, f, "Settings", "A16", "Feb 2027")
	// 20% over three months, at full precision: a constant formula, because
	// excelize writes number cells to 15 digits.
	wantCached(t, f, "Settings", "B16", 0.2/3)
	if fo, _ := f.GetCellFormula("Settings", "B16"); fo != "0.06666666666666667" {
		t.Errorf("Settings!B16 formula %q", fo)
	}
	wantNumber(t, f, "Settings", "B25", 0.1) // 10% is exact in 15 digits
	wantShown(t, f, "Settings", "B16", "6.7%")
	wantNumber(t, f, "Settings", "B8", 1000)
	wantNumber(t, f, "Settings", "B6", 0.1)
	wantShown(t, f, "Settings", "B6", "10.0%")
	// The cumulative shares: a running sum of the season shares, 100% at
	// the end of the year.
	wantText(t, f, "Settings", "A31", "Share of the year due by the end of Feb 2027")
	wantText(t, f, "Settings", "A42", "Share of the year due by the end of Jan 2028")
	cum := planner.CumulativeSeason(p.Quota.Season, p.Quota.StartMonth)
	for k := range 11 {
		wantCached(t, f, "Settings", fmt.Sprintf("B%d", 31+k), cum[k])
	}
	if fo, _ := f.GetCellFormula("Settings", "B33"); fo != "B32+B18" {
		t.Errorf("Settings!B33 formula %q", fo)
	}
	wantShown(t, f, "Settings", "B33", "20.0%")
	wantNumber(t, f, "Settings", "B42", 1)
	// Reps: Cy Diaz starts in June 2027, so carries part of the year.
	wantText(t, f, "Reps", "A4", "Cy Diaz")
	wantNumber(t, f, "Reps", "J4", qp.Reps[2].Quota)
	wantShown(t, f, "Reps", "E4", "2027-06-15")
	wantText(t, f, "Reps", "A5", "TBH (West North Central)")
	// Summary: the gap is a formula of the Summary's own cells.
	rows, _ := f.GetRows("Summary")
	found := false
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Gap" {
			found = true
			fo, _ := f.GetCellFormula("Summary", fmt.Sprintf("B%d", i+1))
			if fo != fmt.Sprintf("B%d-B%d", i-2, i-1) {
				t.Errorf("gap formula %q", fo)
			}
			wantCached(t, f, "Summary", fmt.Sprintf("B%d", i+1), qp.Report.Gap)
		}
	}
	if !found {
		t.Error("Summary has no Gap row")
	}
}

// wantCached checks a formula cell's cached value (to 15 significant
// digits, as excelize writes them).
func wantCached(t *testing.T, f *excelize.File, sheet, cell string, want float64) {
	t.Helper()
	if got := rawNumber(t, f, sheet, cell); math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
		t.Errorf("%s!%s cached %v, want %v", sheet, cell, got, want)
	}
	if fo, _ := f.GetCellFormula(sheet, cell); fo == "" {
		t.Errorf("%s!%s has no formula", sheet, cell)
	}
}

// TestWorkloadAndRoster checks a plan without quota settings but with a
// workload model: the Reps sheet lists the roster with workload and
// utilisation (a formula), no quota columns; the Summary has the capacity
// rows; the Territories sheet has no quota columns.
func TestWorkloadAndRoster(t *testing.T) {
	p := testPlan()
	p.Workload = &planner.WorkloadModel{Rules: []planner.VisitRule{{VisitsPerYear: 10, HoursPerVisit: 2}}}
	s := p.Scenario(7)
	cp := planner.BuildCapacityPlan(p, s, *p.Workload)
	path := filepath.Join(t.TempDir(), "w.xlsx")
	if err := xlsx.WriteFile(path, p, 7); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantRow(t, f, "Reps", 1, []string{"Rep", "Email", "Role", "Manager", "Start", "Territories", "Capacity (hours)", "Workload (hours)", "Utilisation", "Rep ID"})
	wantText(t, f, "Reps", "A2", "Ann Lee")
	wantText(t, f, "Reps", "F2", "North")
	wantNumber(t, f, "Reps", "H2", cp.Territories[0].Hours)
	wantCached(t, f, "Reps", "I2", cp.Territories[0].Hours/planner.DefaultCapacityHours)
	if fo, _ := f.GetCellFormula("Reps", "I2"); fo != `IF(G2>0,H2/G2,"")` {
		t.Errorf("utilisation formula %q", fo)
	}
	if h, _ := f.GetCellValue("Territories", "N1"); h != "" {
		t.Errorf("Territories!N1 = %q, want no quota columns", h)
	}
	rows, _ := f.GetRows("Summary")
	var labels []string
	for _, r := range rows {
		if len(r) > 0 {
			labels = append(labels, r[0])
		}
	}
	joined := strings.Join(labels, "|")
	if !strings.Contains(joined, "Reps needed|Reps assigned|Vacancies (TBH)|Reps to hire") || strings.Contains(joined, "Gap") {
		t.Errorf("Summary labels %q", labels)
	}
	wantText(t, f, "Settings", "B2", "none")
}

func TestInvalidQuotaSettings(t *testing.T) {
	p := testPlan()
	p.Quota = &planner.QuotaSettings{FiscalYear: 1200, StartMonth: 1, WeightPotential: 1}
	err := xlsx.WriteFile(filepath.Join(t.TempDir(), "bad.xlsx"), p, 7)
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(err.Error(), "fiscal year 1200") {
		t.Errorf("error %v, want EINVALID about the fiscal year", err)
	}
}
