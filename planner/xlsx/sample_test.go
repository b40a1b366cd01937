package xlsx_test

import (
	"path/filepath"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/xlsx"
	"github.com/xuri/excelize/v2"
)

// TestSampleWorkbook exports the real sample plan and checks the workbook
// cell by cell against the plan's metrics.
func TestSampleWorkbook(t *testing.T) {
	if testing.Short() {
		t.Skip("reads back 10,000 rows")
	}
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sample.xlsx")
	if err := xlsx.WriteFile(path, p, 1); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := planner.ComputeMetrics(p, p.Active())
	wantRows(t, f, "Territories", 13) // header, 9 territories, blank, white space, total
	wantRows(t, f, "Accounts", 7147)
	wantRows(t, f, "Units", 3232)
	// Column A is the territory's Census region.
	wantText(t, f, "Territories", "A1", "Region")
	wantText(t, f, "Territories", "A2", "Northeast")
	wantText(t, f, "Territories", "G1", "Potential (Beds)")
	for i, tm := range m.Territories {
		row := i + 2
		wantText(t, f, "Territories", cell("B", row), tm.Territory.Name)
		wantText(t, f, "Territories", cell("C", row), "Vacant")
		wantNumber(t, f, "Territories", cell("D", row), float64(tm.Units))
		wantNumber(t, f, "Territories", cell("E", row), float64(tm.Accounts))
		wantNumber(t, f, "Territories", cell("F", row), tm.Population)
		wantNumber(t, f, "Territories", cell("G", row), tm.Potential)
		wantNumber(t, f, "Territories", cell("J", row), tm.Deviation.Population/100)
	}
	// New England from the Census: 15,386,085 people in 67 counties.
	wantNumber(t, f, "Territories", "F2", 15386085)
	wantShown(t, f, "Territories", "F2", "15,386,085")
	wantText(t, f, "Territories", "A12", "White space")
	wantNumber(t, f, "Territories", "D12", 89)
	wantText(t, f, "Territories", "A13", "Total")
	if fo, _ := f.GetCellFormula("Territories", "F13"); fo != "SUM(F2:F10,F12)" {
		t.Errorf("total population formula %q", fo)
	}
	if v := rawNumber(t, f, "Territories", "D13"); v != 3231 {
		t.Errorf("total units cached value %v, want 3,231", v)
	}
	// Massachusetts General Hospital.
	rows, _ := f.GetRows("Accounts")
	var mgh []string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "0007702114" {
			mgh = r
		}
	}
	// Columns: ..., Parent (N), Region (O), Territory (P), Named (Q), Placement (R).
	if len(mgh) < 18 || mgh[1] != "MASSACHUSETTS GENERAL HOSPITAL" || mgh[5] != "02114" || mgh[11] != "25025" || mgh[13] != "Massachusetts" ||
		mgh[14] != "Northeast" || mgh[15] != "New England" || mgh[16] != "" || mgh[17] != "inside" {
		t.Errorf("MGH row = %q", mgh)
	}
	// San Juan, Puerto Rico: white space, population blank with a note.
	units, _ := f.GetRows("Units")
	for i, r := range units {
		if len(r) > 0 && r[0] == "72127" {
			wantBlank(t, f, "Units", cell("F", i+1))
			if v, _ := f.GetCellValue("Units", cell("E", i+1)); v != "" {
				t.Errorf("San Juan's territory is %q, want blank (white space)", v)
			}
			if note, _ := f.GetCellValue("Units", cell("I", i+1)); note == "" {
				t.Error("San Juan has no note about missing population")
			}
		}
	}
}

func cell(col string, row int) string {
	name, _ := excelize.JoinCellName(col, row)
	return name
}

// BenchmarkSampleExport writes the sample plan's workbook to a file.
func BenchmarkSampleExport(b *testing.B) {
	p, err := sample.Build(b.Context(), nil)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "sample.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsx.WriteFile(path, p, 1); err != nil {
			b.Fatal(err)
		}
	}
}
