package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/xlsx"
	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
)

var exported = time.Date(2025, 3, 14, 15, 30, 0, 0, time.UTC)

const hyperlink = `=HYPERLINK("http://x","y")`

// testPlan is a small plan: five units (one with no population), six
// accounts (one with unknown potential, one with no location and no unit,
// several named like formulas), two territories and one white-space unit.
//
//	North (Ann Lee): 01001, 01003        accounts 2, 3
//	+South (vacant): 25017, 25027        accounts 1, 6
//	white space:     25025 and no unit   accounts 4, 5
func testPlan() *planner.Plan {
	k := planner.Known
	return &planner.Plan{
		Name:          "US Hospitals test",
		UnitLevel:     "County",
		ParentLevel:   "State",
		PotentialName: "Beds",
		Units: []planner.GeographyUnit{
			{Code: "01001", Name: "Autauga", ParentCode: "01", ParentName: "Alabama", Population: k(1000)},
			{Code: "01003", Name: "Baldwin", ParentCode: "01", ParentName: "Alabama", Population: k(2000)},
			{Code: "25017", Name: "Middlesex", ParentCode: "25", ParentName: "Massachusetts", Population: k(3000)},
			{Code: "25025", Name: "Suffolk", ParentCode: "25", ParentName: "Massachusetts", Population: planner.Unknown},
			{Code: "25027", Name: "Worcester", ParentCode: "25", ParentName: "Massachusetts", Population: k(500)},
		},
		Accounts: []planner.Account{
			{ID: 1, ExternalID: "H-0001", Name: "Mount Auburn Hospital", Address: "330 Mount Auburn St",
				City: "Cambridge", State: "MA", ZIP: "02139", Location: orb.Point{-71.1, 42.37}, HasLocation: true, Match: planner.MatchPostal,
				Segment: "GENERAL ACUTE CARE", Owner: "NON-PROFIT", Potential: k(100), UnitCode: "25017", Placement: planner.PlacedInside},
			{ID: 2, ExternalID: "H-0002", Name: hyperlink, City: "Prattville", State: "AL", ZIP: "36067",
				Location: orb.Point{-86.46, 32.46}, HasLocation: true, Potential: k(50.5), UnitCode: "01001", Placement: planner.PlacedInside},
			{ID: 3, ExternalID: "H-0003", Name: "+1", State: "AL", Location: orb.Point{-87.9, 30.3}, HasLocation: true,
				Potential: planner.Unknown, UnitCode: "01003", Placement: planner.PlacedNearest},
			{ID: 4, ExternalID: "H-0004", Name: "-5", State: "MA", Location: orb.Point{-71.06, 42.36}, HasLocation: true,
				Segment: "  =1+1", Potential: k(20), UnitCode: "25025", Placement: planner.PlacedInside},
			{ID: 5, ExternalID: "H-0005", Name: "@SUM(A1)", Owner: "\tcmd", Potential: k(10)},
			{ID: 6, ExternalID: "00123", Name: "Worcester Clinic", State: "MA", ZIP: "01608",
				Location: orb.Point{-71.8, 42.26}, HasLocation: true, Potential: k(0), UnitCode: "25027", Placement: planner.PlacedInside},
		},
		Reps: []planner.Rep{{ID: 1, Name: "Ann Lee"}},
		Scenarios: []planner.Scenario{{
			ID:   7,
			Name: "Q3 draft",
			Territories: []planner.Territory{
				{ID: 11, Name: "North", Reps: []planner.Assignment{{RepID: 1, Share: 100}}},
				{ID: 12, Name: "+South"},
			},
			Alignment: map[string]int64{"01001": 11, "01003": 11, "25017": 12, "25027": 12},
		}},
		ActiveScenario: 7,
	}
}

// encode encodes scenario 7 of p and returns the workbook's bytes.
func encode(t testing.TB, p *planner.Plan) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := xlsx.NewEncoder(&buf)
	e.Now = func() time.Time { return exported }
	if err := e.Encode(p, 7); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

// open encodes the test plan and reopens it with excelize.
func open(t *testing.T) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, testPlan())))
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func wantText(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	if got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
	typ, _ := f.GetCellType(sheet, cell)
	if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("%s!%s: type %v, want a string", sheet, cell, typ)
	}
	if fo, _ := f.GetCellFormula(sheet, cell); fo != "" {
		t.Errorf("%s!%s: formula %q, want none", sheet, cell, fo)
	}
}

// rawNumber returns the stored value of a numeric cell.
func rawNumber(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s: type %v, want a number", sheet, cell, typ)
	}
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Errorf("%s!%s = %q, want a number", sheet, cell, raw)
	}
	return v
}

func wantNumber(t *testing.T, f *excelize.File, sheet, cell string, want float64) {
	t.Helper()
	if got := rawNumber(t, f, sheet, cell); math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s!%s = %v, want %v", sheet, cell, got, want)
	}
	if fo, _ := f.GetCellFormula(sheet, cell); fo != "" {
		t.Errorf("%s!%s: formula %q, want none", sheet, cell, fo)
	}
}

// wantShown checks the value as formatted by the cell's number format.
func wantShown(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	if got, _ := f.GetCellValue(sheet, cell); got != want {
		t.Errorf("%s!%s shows %q, want %q", sheet, cell, got, want)
	}
}

func wantBlank(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	got, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	typ, _ := f.GetCellType(sheet, cell)
	if got != "" || typ != excelize.CellTypeUnset {
		t.Errorf("%s!%s = %q (type %v), want blank", sheet, cell, got, typ)
	}
}

func wantRow(t *testing.T, f *excelize.File, sheet string, row int, want []string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if row > len(rows) {
		t.Fatalf("%s has %d rows, want row %d", sheet, len(rows), row)
	}
	if got := rows[row-1]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s row %d:\n got %q\nwant %q", sheet, row, got, want)
	}
}

func wantRows(t *testing.T, f *excelize.File, sheet string, want int) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != want {
		t.Errorf("%s has %d rows, want %d", sheet, len(rows), want)
	}
}

func TestSheets(t *testing.T) {
	f := open(t)
	want := []string{"Summary", "Territories", "Reps", "Accounts", "Segments", "Units", "Settings"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets %q, want %q", got, want)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0 (Summary)", got)
	}
}

func TestSummary(t *testing.T) {
	f := open(t)
	const s = "Summary"
	wantRows(t, f, s, 19)
	labels := []string{
		"Plan", "Scenario", "Exported", "Unit level", "Parent level", "Potential measure", "",
		"Territories", "Units", "Accounts", "Population", "Potential (Beds)",
		"White-space units", "White-space accounts", "White-space population", "White-space potential (Beds)",
		"Unlocated accounts", "Max. absolute deviation, population", "Max. absolute deviation, potential",
	}
	for i, l := range labels {
		if got, _ := f.GetCellValue(s, fmt.Sprintf("A%d", i+1)); got != l {
			t.Errorf("A%d = %q, want %q", i+1, got, l)
		}
	}
	wantText(t, f, s, "B1", "US Hospitals test")
	wantText(t, f, s, "B2", "Q3 draft")
	wantText(t, f, s, "B4", "County")
	wantText(t, f, s, "B5", "State")
	wantText(t, f, s, "B6", "Beds")

	// The export date is a real date: a serial number with a date format.
	serial := rawNumber(t, f, s, "B3")
	if got, err := excelize.ExcelDateToTime(serial, false); err != nil || got.Sub(exported).Abs() > time.Second {
		t.Errorf("B3 = %v (%v), want %v", got, err, exported)
	}
	wantShown(t, f, s, "B3", "2025-03-14 15:30")

	for cell, want := range map[string]float64{
		"B8": 2, "B9": 5, "B10": 6, "B11": 6500, "B12": 180.5,
		"B13": 1, "B14": 2, "B16": 30, "B17": 1,
		"B18": 250.0 / 3250, "B19": (100 - 75.25) / 75.25,
	} {
		wantNumber(t, f, s, cell, want)
	}
	wantBlank(t, f, s, "B15") // the only white-space unit has no population data
	wantText(t, f, s, "C15", "1 unit with no data, not counted")
	wantShown(t, f, s, "B11", "6,500")
	wantShown(t, f, s, "B12", "180.5")
	wantShown(t, f, s, "B18", "7.7%")
	wantShown(t, f, s, "B19", "32.9%")
	wantText(t, f, s, "C11", "1 unit with no data, not counted")
	wantText(t, f, s, "C12", "1 account with no data, not counted")
}

func TestTerritories(t *testing.T) {
	f := open(t)
	const s = "Territories"
	wantRows(t, f, s, 6)
	wantRow(t, f, s, 1, []string{"Territory", "Reps", "Units", "Accounts", "Population", "Potential (Beds)",
		"Units deviation", "Accounts deviation", "Population deviation", "Potential deviation",
		"Units with no population data", "Accounts with no potential data", "Territory ID"})
	wantRow(t, f, s, 2, []string{"North", "Ann Lee", "2", "2", "3,000", "50.5", "0.0%", "0.0%", "-7.7%", "-32.9%", "0", "1", "11"})
	wantRow(t, f, s, 3, []string{"+South", "Vacant", "2", "2", "3,500", "100.0", "0.0%", "0.0%", "7.7%", "32.9%", "0", "0", "12"})
	wantRow(t, f, s, 4, nil) // the empty row between the table and its footer
	wantRow(t, f, s, 5, []string{"White space", "", "1", "2", "", "30.0", "", "", "", "", "1", "0"})
	wantRow(t, f, s, 6, []string{"Total", "", "5", "6", "6,500", "180.5", "", "", "", "", "1", "1"})

	wantText(t, f, s, "A3", "+South")
	wantNumber(t, f, s, "C2", 2)
	wantNumber(t, f, s, "E2", 3000)
	wantNumber(t, f, s, "F2", 50.5)
	wantNumber(t, f, s, "I2", -250.0/3250) // a fraction, shown as a percentage
	wantNumber(t, f, s, "J3", 24.75/75.25)
	wantNumber(t, f, s, "L2", 1)
	wantBlank(t, f, s, "E5") // no data, not 0
	wantBlank(t, f, s, "G5")

	// The Total row: formulas over the territories and the white space, with
	// cached numeric values for readers that do not recalculate.
	for col, want := range map[string]float64{"C": 5, "D": 6, "E": 6500, "F": 180.5, "K": 1, "L": 1} {
		cell := col + "6"
		fo, _ := f.GetCellFormula(s, cell)
		if wantF := fmt.Sprintf("SUM(%s2:%s3,%s5)", col, col, col); fo != wantF {
			t.Errorf("%s formula %q, want %q", cell, fo, wantF)
		}
		if got := rawNumber(t, f, s, cell); got != want {
			t.Errorf("%s cached %v, want %v", cell, got, want)
		}
		// excelize's own calculation agrees with the cached value.
		calc, err := f.CalcCellValue(s, cell, excelize.Options{RawCellValue: true})
		if v, _ := strconv.ParseFloat(calc, 64); err != nil || v != want {
			t.Errorf("%s calculates to %q (%v), want %v", cell, calc, err, want)
		}
	}
	wantBlank(t, f, s, "G6")
}

func TestAccounts(t *testing.T) {
	f := open(t)
	const s = "Accounts"
	wantRows(t, f, s, 7)
	wantRow(t, f, s, 1, []string{"External ID", "Name", "Address", "City", "State", "ZIP", "Longitude", "Latitude",
		"Segment", "Owner", "Potential (Beds)", "Unit code", "Unit name", "Parent", "Territory", "Named", "Placement", "Located by"})
	wantRow(t, f, s, 2, []string{"H-0001", "Mount Auburn Hospital", "330 Mount Auburn St", "Cambridge", "MA", "02139",
		"-71.100000", "42.370000", "GENERAL ACUTE CARE", "NON-PROFIT", "100.0", "25017", "Middlesex", "Massachusetts", "+South", "", "inside", "postal code"})

	wantText(t, f, s, "F2", "02139") // leading zero kept: a text cell
	wantText(t, f, s, "A7", "00123")
	wantText(t, f, s, "L2", "25017")
	wantNumber(t, f, s, "G2", -71.1)
	wantNumber(t, f, s, "H2", 42.37)
	wantNumber(t, f, s, "K2", 100)
	wantNumber(t, f, s, "K3", 50.5)
	wantNumber(t, f, s, "K7", 0) // known zero is a number, not a blank
	wantBlank(t, f, s, "K4")     // unknown potential
	wantText(t, f, s, "Q4", "nearest")
	wantBlank(t, f, s, "O5") // white space: no territory
	// Account 5 has no location and no unit.
	for _, c := range []string{"G6", "H6", "L6", "M6", "N6", "O6"} {
		wantBlank(t, f, s, c)
	}
	wantText(t, f, s, "Q6", "none")
	wantText(t, f, s, "O3", "North")
}

func TestUnits(t *testing.T) {
	f := open(t)
	const s = "Units"
	wantRows(t, f, s, 6)
	wantRow(t, f, s, 1, []string{"Unit code", "Unit name", "Parent code", "Parent name", "Territory",
		"Population", "Accounts", "Potential (Beds)", "Note"})
	wantRow(t, f, s, 2, []string{"01001", "Autauga", "01", "Alabama", "North", "1,000", "1", "50.5"})
	wantText(t, f, s, "A2", "01001")
	wantText(t, f, s, "C2", "01")
	wantNumber(t, f, s, "F2", 1000)
	wantNumber(t, f, s, "G2", 1)
	wantNumber(t, f, s, "H2", 50.5)
	// Baldwin's only account has unknown potential.
	wantBlank(t, f, s, "H3")
	wantText(t, f, s, "I3", "Potential: no data for 1 of 1 account")
	// Suffolk: unknown population, white space.
	wantBlank(t, f, s, "F5")
	wantText(t, f, s, "I5", "Population: no data")
	wantBlank(t, f, s, "E5")
	wantNumber(t, f, s, "G5", 1)
	wantNumber(t, f, s, "H5", 20)
	// Worcester: one account with a known potential of 0.
	wantNumber(t, f, s, "H6", 0)
	wantBlank(t, f, s, "I6")
}

func TestFormulaLikeTextStaysText(t *testing.T) {
	f := open(t)
	for _, c := range []struct{ sheet, cell, want string }{
		{"Accounts", "B3", hyperlink},
		{"Accounts", "B4", "+1"},
		{"Accounts", "B5", "-5"},
		{"Accounts", "B6", "@SUM(A1)"},
		{"Accounts", "I5", "  =1+1"},
		{"Accounts", "J6", "\tcmd"},
		{"Territories", "A3", "+South"},
		{"Units", "E6", "+South"},
	} {
		wantText(t, f, c.sheet, c.cell, c.want)
		id, err := f.GetCellStyle(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.NumFmt != 49 {
			t.Errorf("%s!%s: number format %d, want 49 (Text)", c.sheet, c.cell, st.NumFmt)
		}
		if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix == nil || !*xf.QuotePrefix {
			t.Errorf("%s!%s: style %d has no quote prefix", c.sheet, c.cell, id)
		}
	}
	// Ordinary text has no quote prefix.
	id, _ := f.GetCellStyle("Accounts", "B2")
	if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix != nil && *xf.QuotePrefix {
		t.Errorf("Accounts!B2: plain text has a quote prefix")
	}
}

func TestLayout(t *testing.T) {
	f := open(t)
	filters := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			filters[d.Scope] = d.RefersTo
		}
	}
	for _, c := range []struct{ sheet, ref string }{
		{"Territories", "$A$1:$M$3"},
		{"Accounts", "$A$1:$R$7"},
		{"Units", "$A$1:$I$6"},
	} {
		if got, want := filters[c.sheet], "'"+c.sheet+"'!"+c.ref; got != want {
			t.Errorf("%s autofilter %q, want %q", c.sheet, got, want)
		}
		panes, err := f.GetPanes(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
			t.Errorf("%s panes %+v, want frozen below row 1", c.sheet, panes)
		}
		id, _ := f.GetCellStyle(c.sheet, "A1")
		if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold {
			t.Errorf("%s header is not bold", c.sheet)
		}
		layout, _ := f.GetPageLayout(c.sheet)
		if *layout.Orientation != "landscape" && c.sheet != "Units" || *layout.FitToWidth != 1 {
			t.Errorf("%s page layout %s, fit to %d wide", c.sheet, *layout.Orientation, *layout.FitToWidth)
		}
	}
	if _, ok := filters["Summary"]; ok {
		t.Error("Summary has an autofilter")
	}
	// The autofilter is also in the sheet XML (Accounts is sheet4.xml), and
	// the column widths are in ascending column order, as Excel wants.
	x := sheetXML(t, encode(t, testPlan()), 4)
	if !strings.Contains(x, `<autoFilter ref="$A$1:$R$7">`) {
		t.Errorf("sheet4.xml has no autoFilter $A$1:$R$7")
	}
	if !strings.Contains(x, `<dimension ref="A1:R7">`) {
		t.Errorf("sheet4.xml: wrong dimension")
	}
	if x := sheetXML(t, encode(t, testPlan()), 2); !strings.Contains(x, `<dimension ref="A1:M6">`) {
		t.Errorf("sheet2.xml: wrong dimension")
	}
	if i := strings.Index(x, "<cols>"); i < 0 || !strings.HasPrefix(x[i:], `<cols><col min="1" max="1"`) ||
		!strings.Contains(x, `<col min="18" max="18" width="`) || !strings.HasSuffix(x[:strings.Index(x, "</cols>")+7], `customWidth="1"/></cols>`) {
		t.Errorf("sheet4.xml columns not in order")
	}
	// Column widths follow the content, capped.
	for _, c := range []struct {
		sheet, col string
		min        float64
	}{
		{"Accounts", "B", float64(len("Mount Auburn Hospital"))},
		{"Accounts", "F", 6},
		{"Summary", "A", float64(len("Max. absolute deviation, population"))},
	} {
		w, err := f.GetColWidth(c.sheet, c.col)
		if err != nil || w < c.min || w > 60 {
			t.Errorf("%s column %s width %v (%v), want %v to 60", c.sheet, c.col, w, err, c.min)
		}
	}
}

// sheetXML returns xl/worksheets/sheet<n>.xml of the workbook.
func sheetXML(t *testing.T, b []byte, n int) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := z.Open(fmt.Sprintf("xl/worksheets/sheet%d.xml", n))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(x)
}

func TestUnknownScenario(t *testing.T) {
	var buf bytes.Buffer
	err := xlsx.NewEncoder(&buf).Encode(testPlan(), 99)
	if code := planner.ErrorCode(err); code != planner.ENOTFOUND {
		t.Errorf("Encode(99) = %v (code %q), want ENOTFOUND", err, code)
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes for an unknown scenario", buf.Len())
	}
	if code := planner.ErrorCode(xlsx.NewEncoder(&buf).Encode(nil, 7)); code != planner.EINVALID {
		t.Errorf("Encode(nil) code %q, want EINVALID", code)
	}
}

func TestWriteError(t *testing.T) {
	err := xlsx.NewEncoder(failWriter{}).Encode(testPlan(), 7)
	if code := planner.ErrorCode(err); code != planner.EIO || !errors.Is(err, errDiskFull) {
		t.Errorf("Encode to a failing writer = %v (code %q)", err, code)
	}
}

var errDiskFull = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

// A sum over values that are all unknown is "no data": a blank cell, not 0.
func TestAllUnknownIsBlank(t *testing.T) {
	p := testPlan()
	for i := range p.Units {
		p.Units[i].Population = planner.Unknown
	}
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantBlank(t, f, "Summary", "B11")
	wantText(t, f, "Summary", "C11", "5 units with no data, not counted")
	wantBlank(t, f, "Territories", "E2")
	wantBlank(t, f, "Territories", "E5")
	wantNumber(t, f, "Territories", "K2", 2)
	// Baldwin's only account has unknown potential; Middlesex has accounts
	// with known potential, Worcester with a known 0.
	wantBlank(t, f, "Units", "H3")
	wantNumber(t, f, "Units", "H6", 0)
}

func TestEmptyScenario(t *testing.T) {
	p := testPlan()
	p.Scenarios[0].Territories, p.Scenarios[0].Alignment = nil, nil
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantRows(t, f, "Territories", 4)
	wantRow(t, f, "Territories", 3, []string{"White space", "", "5", "6", "6,500", "180.5", "", "", "", "", "1", "1"})
	if fo, _ := f.GetCellFormula("Territories", "C4"); fo != "SUM(C3)" {
		t.Errorf("Total formula %q, want SUM(C3)", fo)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.WriteFile(path, testPlan(), 7); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "plan.xlsx" {
		t.Errorf("directory holds %q, want only plan.xlsx", names)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantText(t, f, "Accounts", "F2", "02139")
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want the existing file's 0640", fi.Mode().Perm(), err)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "missing", "plan.xlsx")
	err := xlsx.WriteFile(path, testPlan(), 7)
	if err == nil || !errors.Is(err, fs.ErrNotExist) || planner.ErrorCode(err) != planner.EIO {
		t.Fatalf("WriteFile into a missing directory = %v", err)
	}
	if msg := planner.ErrorMessage(err); !strings.Contains(msg, path) {
		t.Errorf("message %q does not name %s", msg, path)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("directory holds %q, want nothing", names)
	}
}

func TestWriteFileErrorKeepsTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := xlsx.WriteFile(path, testPlan(), 99); planner.ErrorCode(err) != planner.ENOTFOUND {
		t.Fatalf("WriteFile(unknown scenario) = %v, want ENOTFOUND", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "old" {
		t.Errorf("target now %q (%v), want it unchanged", b, err)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only plan.xlsx", names)
	}
}

// syntheticPlan is a plan the size of the sample: 3,231 units, 7,000
// accounts and 9 territories, with some unknown populations and potentials.
func syntheticPlan() *planner.Plan {
	r := rand.New(rand.NewPCG(1, 2))
	p := &planner.Plan{Name: "Synthetic", UnitLevel: "County", ParentLevel: "State", PotentialName: "Beds"}
	s := planner.Scenario{ID: 7, Name: "Divisions", Alignment: map[string]int64{}}
	for i := range 9 {
		p.Reps = append(p.Reps, planner.Rep{ID: int64(i + 1), Name: fmt.Sprintf("Rep %d", i+1)})
		s.Territories = append(s.Territories, planner.Territory{ID: int64(i + 1), Name: fmt.Sprintf("Division %d", i+1), Reps: []planner.Assignment{{RepID: int64(i + 1), Share: 100}}})
	}
	for i := range 3231 {
		u := planner.GeographyUnit{
			Code: fmt.Sprintf("%05d", 1001+i), Name: fmt.Sprintf("County %d", i),
			ParentCode: fmt.Sprintf("%02d", i/60+1), ParentName: fmt.Sprintf("State %d", i/60+1),
			Population: planner.Known(float64(r.IntN(1_000_000))),
		}
		if i%97 == 0 {
			u.Population = planner.Unknown
		}
		p.Units = append(p.Units, u)
		if i%50 != 0 {
			s.Alignment[u.Code] = int64(i%9 + 1)
		}
	}
	for i := range 7000 {
		u := &p.Units[r.IntN(len(p.Units))]
		a := planner.Account{
			ID: int64(i + 1), ExternalID: fmt.Sprintf("%010d", i+1), Name: fmt.Sprintf("General Hospital %d", i),
			Address: fmt.Sprintf("%d Main Street", r.IntN(9999)), City: "Springfield", State: "ST",
			ZIP: fmt.Sprintf("%05d", r.IntN(99999)), Location: orb.Point{-120 + 50*r.Float64(), 25 + 20*r.Float64()},
			HasLocation: true, Segment: "GENERAL ACUTE CARE", Owner: "NON-PROFIT",
			Potential: planner.Known(float64(r.IntN(900))), UnitCode: u.Code, Placement: planner.PlacedInside,
		}
		if i%100 == 0 {
			a.Potential = planner.Unknown
		}
		if i%500 == 0 {
			a.HasLocation, a.UnitCode, a.Placement = false, "", planner.PlacedNone
		}
		p.Accounts = append(p.Accounts, a)
	}
	p.Scenarios = []planner.Scenario{s}
	p.ActiveScenario = 7
	return p
}

func TestSyntheticPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("reading back 10,000 rows takes seconds")
	}
	p := syntheticPlan()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantRows(t, f, "Accounts", 7001)
	wantRows(t, f, "Units", 3232)
	wantRows(t, f, "Territories", 13)
	m := planner.ComputeMetrics(p, &p.Scenarios[0])
	wantNumber(t, f, "Summary", "B11", m.Total.Population)
	if fo, _ := f.GetCellFormula("Territories", "E13"); fo != "SUM(E2:E10,E12)" {
		t.Errorf("Total population formula %q", fo)
	}
	calc, err := f.CalcCellValue("Territories", "E13", excelize.Options{RawCellValue: true})
	if v, _ := strconv.ParseFloat(calc, 64); err != nil || v != m.Total.Population {
		t.Errorf("Total population calculates to %q (%v), want %v", calc, err, m.Total.Population)
	}
}

func BenchmarkEncode(b *testing.B) {
	p := syntheticPlan()
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := xlsx.NewEncoder(&buf).Encode(p, 7); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "bytes/workbook")
}
