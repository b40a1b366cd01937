package xlsx

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// readAll reads every record of tr, copying the cells.
func readAll(t testing.TB, tr planner.TableReader) []planner.Record {
	t.Helper()
	var recs []planner.Record
	for {
		r, err := tr.Next()
		if err == io.EOF {
			return recs
		} else if err != nil {
			t.Fatalf("Next after %d records: %v", len(recs), err)
		}
		r.Cells = append([]planner.Cell(nil), r.Cells...)
		recs = append(recs, r)
	}
}

func cNum(text string, v float64) planner.Cell {
	return planner.Cell{Kind: planner.CellNumber, Text: text, Number: v}
}

func cTxt(s string) planner.Cell { return planner.Cell{Kind: planner.CellText, Text: s} }

func cDate(text string, tm time.Time) planner.Cell {
	return planner.Cell{Kind: planner.CellDate, Text: text, Time: tm}
}

func TestCensusWorkbook(t *testing.T) {
	w, err := OpenWorkbook("testdata/census_co-est2019-annres.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	want := []SheetInfo{{Name: "CO-EST2019-ANNRES", Rows: 3153, Columns: 13}}
	if got := w.Sheets(); !reflect.DeepEqual(got, want) {
		t.Errorf("Sheets = %+v; want %+v", got, want)
	}
	if got := w.DefaultSheet(); got != "CO-EST2019-ANNRES" {
		t.Errorf("DefaultSheet = %q", got)
	}
	tr, err := w.Table("CO-EST2019-ANNRES")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if got := tr.Source(); got != "census_co-est2019-annres.xlsx, sheet CO-EST2019-ANNRES" {
		t.Errorf("Source = %q", got)
	}
	if got := tr.HeaderRow(); got != 3 {
		t.Errorf("HeaderRow = %d; want 3", got)
	}
	if got := tr.Numbers(); got != (planner.NumberFormat{Decimal: '.'}) {
		t.Errorf("Numbers = %+v", got)
	}
	pop := "Population Estimate (as of July 1) "
	header := []string{"Geographic Area", "2010-04-01 Census", "2010-04-01 Estimates Base"}
	for y := 2010; y <= 2019; y++ {
		header = append(header, pop+fmt.Sprint(y))
	}
	if got := tr.Header(); !reflect.DeepEqual(got, header) {
		t.Errorf("Header =\n%q\nwant\n%q", got, header)
	}
	if p := tr.Progress(); p < 0 || p > 0.1 {
		t.Errorf("Progress before reading = %v", p)
	}
	recs := readAll(t, tr)
	// rows 5 to 3147 are counties (and the nation), 3148 to 3153 notes
	if len(recs) != 3149 {
		t.Fatalf("%d records; want 3149", len(recs))
	}
	if p := tr.Progress(); p != 1 {
		t.Errorf("Progress at the end = %v", p)
	}
	us := recs[0]
	if us.Row != 5 || len(us.Cells) != 13 {
		t.Fatalf("first record: row %d, %d cells", us.Row, len(us.Cells))
	}
	for i, c := range map[int]planner.Cell{
		0:  cTxt("United States"),
		1:  cNum("308,745,538", 308745538),
		2:  cNum("308,758,105", 308758105),
		12: cNum("328,239,523", 328239523),
	} {
		if us.Cells[i] != c {
			t.Errorf("row 5 cell %d = %+v; want %+v", i, us.Cells[i], c)
		}
	}
	autauga := recs[1]
	if autauga.Row != 6 || autauga.Cells[0] != cTxt(".Autauga County, Alabama") || autauga.Cells[12] != cNum("55,869", 55869) {
		t.Errorf("row 6 = %+v", autauga)
	}
	weston := recs[3142]
	if weston.Row != 3147 || weston.Cells[0] != cTxt(".Weston County, Wyoming") || weston.Cells[3] != cNum("7,198", 7198) {
		t.Errorf("row 3147 = %+v", weston)
	}
	// Footnotes are data rows for the importer to report: text in column A
	// (merged over A:M, so the value stays in A), nothing else.
	last := recs[len(recs)-1]
	if last.Row != 3153 || last.Cells[0] != cTxt("Release Date: March 2020") {
		t.Errorf("last record = %+v", last)
	}
	note := recs[3143]
	if note.Row != 3148 || !strings.HasPrefix(note.Cells[0].Text, "Note: The estimates are based on the 2010 Census") {
		t.Errorf("row 3148 = %+v", note)
	}
	for _, r := range recs[3143:] {
		if len(r.Cells) != 13 {
			t.Errorf("row %d has %d cells", r.Row, len(r.Cells))
		}
		for _, c := range r.Cells[1:] {
			if c.Kind != planner.CellEmpty {
				t.Errorf("row %d: note row has a value beyond column A: %+v", r.Row, c)
			}
		}
	}
	if _, err := tr.Next(); err != io.EOF {
		t.Errorf("Next after the end = %v; want io.EOF", err)
	}
}

func TestTestXLSX(t *testing.T) {
	tr, err := OpenTable("testdata/test.xlsx", "")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if got, want := tr.Header(), []string{"text", "date", "integer", "boolean", "float", "datetime", "empty_column"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Header = %q; want %q", got, want)
	}
	if tr.HeaderRow() != 1 || tr.Source() != "test.xlsx, sheet Sheet1" {
		t.Errorf("HeaderRow %d, Source %q", tr.HeaderRow(), tr.Source())
	}
	recs := readAll(t, tr)
	if len(recs) != 5 {
		t.Fatalf("%d records; want 5", len(recs))
	}
	utc := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	tru := planner.Cell{Kind: planner.CellBool, Text: "TRUE", Number: 1}
	fals := planner.Cell{Kind: planner.CellBool, Text: "FALSE"}
	// The workbook uses the 1904 date system: serial 24472 is 1971-01-01.
	want := [][]planner.Cell{
		{cTxt("Chicago Reader"), cDate("1971-01-01", utc(1971, 1, 1, 0, 0, 0)), cNum("40", 40), tru, cNum("1", 1),
			cDate("1971-01-01 04:14:00", utc(1971, 1, 1, 4, 14, 0)), {}},
		{cTxt("Chicago Sun-Times"), cDate("1948-01-01", utc(1948, 1, 1, 0, 0, 0)), cNum("63", 63), tru, cNum("1.27", 1.27),
			cDate("1948-01-01 14:57:13", utc(1948, 1, 1, 14, 57, 13)), {}, cTxt("Extra data beyond headers will be trimmed")},
		{cTxt("Chicago Tribune"), cDate("1920-01-01", utc(1920, 1, 1, 0, 0, 0)), cNum("164", 164), fals, cNum("41800000.01", 41800000.01),
			cDate("1920-01-01 00:00:00", utc(1920, 1, 1, 0, 0, 0)), {}},
		{cTxt("This row has blanks"), {}, {}, {}, {}, {}, {}},
		{cTxt("Unicode! Σ"), {}, {}, {}, {}, {}, {}},
	}
	for i, r := range recs {
		if r.Row != i+2 {
			t.Errorf("record %d: Row %d; want %d", i, r.Row, i+2)
		}
		if !reflect.DeepEqual(r.Cells, want[i]) {
			t.Errorf("row %d =\n%+v\nwant\n%+v", r.Row, r.Cells, want[i])
		}
	}
}

// buildWorkbook writes a workbook like a hand-made CRM export: an empty
// first sheet, then "Accounts" with a title row, a blank row and the header
// on row 3.
func buildWorkbook(t testing.TB, path string) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Empty"))
	_, err := f.NewSheet("Accounts")
	must(err)
	_, err = f.NewSheet("Hidden")
	must(err)
	must(f.SetCellValue("Hidden", "A1", "secret"))
	must(f.SetSheetVisible("Hidden", false))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	stampFmt := "yyyy-mm-dd hh:mm:ss"
	stampStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &stampFmt})
	must(err)
	moneyStyle, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	must(err)
	emptyStyle, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	must(err)
	must(f.SetCellStyle("Empty", "A1", "C3", emptyStyle)) // styled but empty cells
	set := func(cell string, v any) { t.Helper(); must(f.SetCellValue("Accounts", cell, v)) }
	set("A1", "Accounts export, 30 Nov 2026")
	must(f.MergeCell("Accounts", "A1", "F1"))
	for i, h := range []string{"Account", "Signed", "Revenue", "Active", "ZIP", "Last call"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		set(cell, h)
	}
	rows := [][]any{
		{"Acme, Inc.", time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC), 1234567.891, true, "02134", time.Date(2024, 3, 1, 13, 45, 30, 0, time.UTC)},
		{"=HYPERLINK(\"http://x\",\"y\")", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), -0.1, false, "12345", nil},
		nil, // a blank row, skipped
		{"Gamma GmbH", nil, 0.30000000000000004, nil, nil, time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"Delta", time.Date(2031, 7, 4, 0, 0, 0, 0, time.UTC), 1e-7, true, 2134, nil},
	}
	for i, r := range rows {
		for j, v := range r {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+4)
			if x, ok := v.(float64); ok {
				// SetCellValue keeps Excel's 15 significant digits; store
				// the shortest exact form to check that reading is exact.
				must(f.SetCellDefault("Accounts", cell, strconv.FormatFloat(x, 'g', -1, 64)))
			} else {
				set(cell, v)
			}
			switch j {
			case 1:
				must(f.SetCellStyle("Accounts", cell, cell, dateStyle))
			case 2:
				must(f.SetCellStyle("Accounts", cell, cell, moneyStyle))
			case 5:
				must(f.SetCellStyle("Accounts", cell, cell, stampStyle))
			}
		}
	}
	must(f.SetCellStr("Accounts", "A9", "Total: 4 accounts"))
	must(f.SaveAs(path))
}

func TestBuiltWorkbookRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crm export.xlsx")
	buildWorkbook(t, path)
	w, err := OpenWorkbook(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	wantSheets := []SheetInfo{
		{Name: "Empty", Empty: true},
		{Name: "Accounts", Rows: 9, Columns: 6},
		{Name: "Hidden", Rows: 1, Columns: 1, Hidden: true},
	}
	if got := w.Sheets(); !reflect.DeepEqual(got, wantSheets) {
		t.Errorf("Sheets =\n%+v\nwant\n%+v", got, wantSheets)
	}
	if got := w.DefaultSheet(); got != "Accounts" {
		t.Errorf("DefaultSheet = %q; want Accounts", got)
	}
	if _, err := w.Table("Empty"); planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(planner.ErrorMessage(err), "crm export.xlsx, sheet Empty is empty") {
		t.Errorf("Table(Empty) = %v", err)
	}
	if _, err := w.Table("Nope"); planner.ErrorCode(err) != planner.ENOTFOUND || !strings.Contains(planner.ErrorMessage(err), "Empty, Accounts, Hidden") {
		t.Errorf("Table(Nope) = %v", err)
	}
	tr, err := w.Table("Accounts")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if tr.HeaderRow() != 3 {
		t.Errorf("HeaderRow = %d; want 3", tr.HeaderRow())
	}
	if got, want := tr.Header(), []string{"Account", "Signed", "Revenue", "Active", "ZIP", "Last call"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Header = %q; want %q", got, want)
	}
	recs := readAll(t, tr)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tru := planner.Cell{Kind: planner.CellBool, Text: "TRUE", Number: 1}
	fals := planner.Cell{Kind: planner.CellBool, Text: "FALSE"}
	want := []planner.Record{
		{Row: 4, Cells: []planner.Cell{cTxt("Acme, Inc."), cDate("2024-01-05", d(2024, 1, 5)), cNum("1,234,567.89", 1234567.891), tru, cTxt("02134"),
			cDate("2024-03-01 13:45:30", time.Date(2024, 3, 1, 13, 45, 30, 0, time.UTC))}},
		{Row: 5, Cells: []planner.Cell{cTxt("=HYPERLINK(\"http://x\",\"y\")"), cDate("1999-12-31", d(1999, 12, 31)), cNum("-0.10", -0.1), fals, cTxt("12345"), {}}},
		{Row: 7, Cells: []planner.Cell{cTxt("Gamma GmbH"), {}, cNum("0.30", 0.30000000000000004), {}, {}, cDate("1900-03-01 00:00:00", d(1900, 3, 1))}},
		{Row: 8, Cells: []planner.Cell{cTxt("Delta"), cDate("2031-07-04", d(2031, 7, 4)), cNum("0.00", 1e-7), tru, cNum("2134", 2134), {}}},
		{Row: 9, Cells: []planner.Cell{cTxt("Total: 4 accounts"), {}, {}, {}, {}, {}}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records =\n%+v\nwant\n%+v", recs, want)
	}
	for _, r := range recs {
		if c := r.Cells[2]; c.Kind == planner.CellNumber && math.Float64bits(c.Number) != math.Float64bits(map[int]float64{4: 1234567.891, 5: -0.1, 7: 0.30000000000000004, 8: 1e-7}[r.Row]) {
			t.Errorf("row %d: Revenue %v does not round-trip", r.Row, c.Number)
		}
	}
}

func TestOpenWorkbookErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	var emptyZip strings.Builder
	zw := zip.NewWriter(&emptyZip)
	fw, _ := zw.Create("hello.txt")
	fw.Write([]byte("hi"))
	zw.Close()
	var ods strings.Builder
	zw = zip.NewWriter(&ods)
	fw, _ = zw.Create("mimetype")
	fw.Write([]byte("application/vnd.oasis.opendocument.spreadsheet"))
	zw.Close()
	for _, tc := range []struct {
		name, path string
		code       string
		says       []string
	}{
		{"xls by magic", write("Accounts 2019.xls", ole), planner.EUNSUPPORTED,
			[]string{"Accounts 2019.xls is an Excel 97-2003 workbook (.xls)", "Excel or LibreOffice", "save it as \"Excel Workbook (.xlsx)\""}},
		{"xls by extension", write("renamed.XLS", []byte("PK\x03\x04 anything")), planner.EUNSUPPORTED,
			[]string{"renamed.XLS is an Excel 97-2003 workbook (.xls)", ".xlsx"}},
		{"xls magic without extension", write("export", ole), planner.EUNSUPPORTED,
			[]string{"export is an Excel 97-2003 workbook (.xls)"}},
		{"encrypted or renamed xls", write("locked.xlsx", ole), planner.EUNSUPPORTED,
			[]string{"locked.xlsx is password-protected", ".xlsx"}},
		{"text", write("notes.xlsx", []byte("name,city\nAcme,Boston\n")), planner.EINVALID,
			[]string{"notes.xlsx is not an Excel workbook (.xlsx)", "import it as CSV"}},
		{"empty file", write("empty.xlsx", nil), planner.EINVALID, []string{"empty.xlsx is not an Excel workbook"}},
		{"truncated zip", write("cut.xlsx", []byte("PK\x03\x04\x14\x00")), planner.EINVALID, []string{"cut.xlsx is not an Excel workbook (.xlsx): it is damaged"}},
		{"zip without workbook", write("other.xlsx", []byte(emptyZip.String())), planner.EINVALID, []string{"other.xlsx is not an Excel workbook (.xlsx): it has no workbook part"}},
		{"ods", write("calc.ods", []byte(ods.String())), planner.EUNSUPPORTED, []string{"calc.ods is an OpenDocument spreadsheet", ".xlsx"}},
		{"missing", filepath.Join(dir, "gone.xlsx"), planner.EIO, []string{"Could not open gone.xlsx."}},
		{"folder", dir, planner.EINVALID, []string{"is a folder"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := OpenWorkbook(tc.path)
			if err == nil {
				w.Close()
				t.Fatal("no error")
			}
			var pe *planner.Error
			if !errors.As(err, &pe) || pe.Code != tc.code {
				t.Fatalf("error %v (code %q); want code %q", err, planner.ErrorCode(err), tc.code)
			}
			for _, s := range tc.says {
				if !strings.Contains(pe.Message, s) {
					t.Errorf("message %q does not say %q", pe.Message, s)
				}
			}
		})
	}
}

// TestDamagedSheet checks that a sheet whose XML is cut short opens (the
// workbook's other sheets stay readable) and then fails in Table with a
// message naming the file and sheet, and never panics.
func TestDamagedSheet(t *testing.T) {
	src := filepath.Join(t.TempDir(), "good.xlsx")
	buildWorkbook(t, src)
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dst := filepath.Join(t.TempDir(), "bad.xlsx")
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet2.xml" {
			b = b[:len(b)*2/3]
		}
		fw, _ := zw.Create(f.Name)
		fw.Write(b)
	}
	zw.Close()
	out.Close()
	w, err := OpenWorkbook(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if tr, err := w.Table("Hidden"); err != nil {
		t.Errorf("Table(Hidden) = %v", err)
	} else {
		tr.Close()
	}
	tr, err := w.Table("Accounts")
	if err == nil {
		tr.Close()
		t.Fatal("no error")
	}
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(planner.ErrorMessage(err), "bad.xlsx, sheet Accounts: the workbook is damaged after row") {
		t.Errorf("error = %v", err)
	}
}

// TestDamagedSheetNext checks that a sheet cut short between two rows fails
// when its table is opened, with a message naming the file, the sheet and
// the last row read. (excelize loads the whole worksheet to give cell types,
// so the damage is found before the first row, not at row 2001 in Next.)
func TestDamagedSheetNext(t *testing.T) {
	b, err := os.ReadFile("testdata/census_co-est2019-annres.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(strings.NewReader(string(b)), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "census cut.xlsx")
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "xl/worksheets/sheet1.xml" {
			i := strings.Index(string(b), `<row r="2001"`)
			b = b[:i] // cut between two rows
		}
		fw, _ := zw.Create(f.Name)
		fw.Write(b)
	}
	zw.Close()
	out.Close()
	tr, err := OpenTable(dst, "")
	if err == nil {
		tr.Close()
		t.Fatal("no error")
	}
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(planner.ErrorMessage(err), "census cut.xlsx, sheet CO-EST2019-ANNRES: the workbook is damaged after row 2000") {
		t.Errorf("error = %v", err)
	}
}

// TestTableAfterClose checks that reading a table after its workbook was
// closed fails with a message instead of panicking.
func TestTableAfterClose(t *testing.T) {
	w, err := OpenWorkbook("testdata/census_co-est2019-annres.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := w.Table("CO-EST2019-ANNRES")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for range 200 { // past the rows decoded with the header sample
		if _, err = tr.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Next(); planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(planner.ErrorMessage(err), "sheet CO-EST2019-ANNRES cannot be read: the workbook was closed") {
		t.Errorf("Next after Close = %v", err)
	}
	if _, err := tr.Next(); err != io.EOF {
		t.Errorf("Next after the error = %v; want io.EOF", err)
	}
	if _, err := w.Table("CO-EST2019-ANNRES"); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("Table after Close = %v", err)
	}
}

// writeZip writes the parts to a new zip file at path.
func writeZip(t testing.TB, path string, parts map[string]string) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for name, body := range parts {
		fw, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestHandWrittenParts reads a workbook written part by part the way other
// tools write them (no r attributes on cells, inline strings, formula
// results of every type, ISO dates, phonetic guides in shared strings, a
// custom date format, a number stored as text, an error value) and checks
// every cell's kind and text.
func TestHandWrittenParts(t *testing.T) {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	path := filepath.Join(t.TempDir(), "tool export.xlsx")
	writeZip(t, path, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			`</Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + `><sheets>` +
			`<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
			`</Relationships>`,
		"xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8"?><sst ` + ns + ` count="4" uniqueCount="4">` +
			`<si><t>Name</t></si><si><t>Amount</t></si><si><r><t>Sig</t></r><r><rPr><b/></rPr><t>ned</t></r></si>` +
			`<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si></sst>`,
		"xl/styles.xml": `<?xml version="1.0" encoding="UTF-8"?><styleSheet ` + ns + `>` +
			`<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>` +
			`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
			`<fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
			`<borders count="1"><border/></borders>` +
			`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
			`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
			`<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
			`</styleSheet>`,
		"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `><sheetData>` +
			`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="inlineStr"><is><t>Active</t></is></c></row>` +
			`<row><c t="s"><v>3</v></c><c s="2"><f>1000*1.5</f><v>1500</v></c><c s="1"><v>45292</v></c><c t="b"><f>TRUE()</f><v>1</v></c></row>` +
			`<row><c t="str"><f>"A"&amp;"B"</f><v>AB</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c><c t="d"><v>2024-02-29T12:30:00</v></c><c t="b"><v>0</v></c></row>` +
			`<row r="5"><c r="A5" t="inlineStr"><is><t>  </t></is></c></row>` +
			`<row r="6"><c r="B6" t="inlineStr"><is><t>00501</t></is></c><c r="D6"><v>2</v></c></row>` +
			`</sheetData></worksheet>`,
	})
	tr, err := OpenTable(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if got, want := tr.Header(), []string{"Name", "Amount", "Signed", "Active"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Header = %q; want %q", got, want)
	}
	recs := readAll(t, tr)
	want := []planner.Record{
		{Row: 2, Cells: []planner.Cell{cTxt("東京"), cNum("1,500", 1500), cDate("2024-01-01", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)),
			{Kind: planner.CellBool, Text: "TRUE", Number: 1}}},
		{Row: 3, Cells: []planner.Cell{cTxt("AB"), cTxt("#DIV/0!"), cDate("2024-02-29 12:30:00", time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC)),
			{Kind: planner.CellBool, Text: "FALSE"}}},
		// row 5 holds only blanks: skipped
		{Row: 6, Cells: []planner.Cell{{}, cTxt("00501"), {}, cNum("2", 2)}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records =\n%+v\nwant\n%+v", recs, want)
	}
}

// TestTableTwice checks that a sheet's table can be read a second time from
// the same Workbook (the values OpenWorkbook kept are used once; the second
// read goes back to excelize's loaded worksheet).
func TestTableTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "twice.xlsx")
	buildWorkbook(t, path)
	w, err := OpenWorkbook(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var runs [2][]planner.Record
	for i := range runs {
		tr, err := w.Table("Accounts")
		if err != nil {
			t.Fatalf("read %d: %v", i+1, err)
		}
		if tr.HeaderRow() != 3 {
			t.Errorf("read %d: HeaderRow = %d; want 3", i+1, tr.HeaderRow())
		}
		runs[i] = readAll(t, tr)
		tr.Close()
	}
	if len(runs[0]) != 5 || !reflect.DeepEqual(runs[0], runs[1]) {
		t.Errorf("first read\n%+v\nsecond read\n%+v", runs[0], runs[1])
	}
}

// BenchmarkTable reads a generated 100,000-row, 10-column sheet (text,
// integers, decimals and dates) through Table.
func BenchmarkTable(b *testing.B) {
	const rows, cols = 100_000, 10
	path := filepath.Join(b.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	head := make([]any, cols)
	for j := range head {
		head[j] = fmt.Sprintf("Field %d", j+1)
	}
	sw.SetRow("A1", head)
	row := make([]any, cols)
	for i := 0; i < rows; i++ {
		for j := range row {
			switch j % 4 {
			case 0:
				row[j] = fmt.Sprintf("Account %d-%d", i, j)
			case 1:
				row[j] = i * j
			case 2:
				row[j] = float64(i) / 7
			case 3:
				row[j] = excelize.Cell{StyleID: dateStyle, Value: time.Date(2020, 1, 1+i%365, 0, 0, 0, 0, time.UTC)}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	f.Close()
	// 100,001 rows with the header: just above MaxCells.
	old := MaxCells
	MaxCells = 2_000_000
	defer func() { MaxCells = old }()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tr, err := OpenTable(path, "")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := tr.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			n++
		}
		tr.Close()
		if n != rows {
			b.Fatalf("%d records", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
}

func TestNumFmt(t *testing.T) {
	for _, tc := range []struct {
		id     int
		code   string
		custom bool
		v      float64
		want   string
	}{
		{0, "", false, 308745538, "308745538"},
		{0, "", false, 0.30000000000000004, "0.30000000000000004"},
		{1, "", false, 2.5, "2"}, // Go rounds half to even
		{2, "", false, -0.125, "-0.12"},
		{3, "", false, 308745538, "308,745,538"},
		{3, "", false, -1234.5, "-1,234"},
		{4, "", false, 1234567.891, "1,234,567.89"},
		{4, "", false, 999.999, "1,000.00"},
		{9, "", false, 0.125, "12%"},
		{10, "", false, -0.12345, "-12.35%"},
		{164, "#,##0.000", true, 1234.5, "1,234.500"},
		{165, "0.0%;[Red]-0.0%", true, 0.5, "50.0%"},
		{166, `"$"#,##0.00`, true, 12.5, "12.50"},
		{167, `#,##0,`, true, 12345, "12345"},   // scaled by 1000: plain
		{168, `0.00E+00`, true, 12345, "12345"}, // scientific: plain
		{169, `# ?/?`, true, 1.5, "1.5"},        // fraction: plain
		{170, `@`, true, 7, "7"},
		{49, "", false, 7, "7"},
	} {
		if got := parseNumFmt(tc.id, tc.code, tc.custom).format(tc.v); got != tc.want {
			t.Errorf("format %d %q of %v = %q; want %q", tc.id, tc.code, tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		id         int
		code       string
		date, time bool
	}{
		{14, "", true, false}, {22, "", true, true}, {20, "", true, true},
		{164, `mmmm\ d\,\ yyyy`, true, false}, {165, `mm/dd/yy\ hh:mm\ AM/PM`, true, true},
		{166, `[h]:mm`, true, true}, {167, `"TRUE";"TRUE";"FALSE"`, false, false},
		{168, `[Magenta]yyyy-mm-dd`, true, false}, {169, `[Magenta]0.0`, false, false},
	} {
		nf := parseNumFmt(tc.id, tc.code, tc.code != "")
		if nf.date != tc.date || nf.time != tc.time {
			t.Errorf("parseNumFmt(%d, %q) = %+v; want date %v time %v", tc.id, tc.code, nf, tc.date, tc.time)
		}
	}
}

// TestTooLargeSheet checks that a sheet beyond MaxCells is refused with the
// advice to import it as CSV, naming the file and sheet, and that smaller
// sheets of the same workbook are still listed.
func TestTooLargeSheet(t *testing.T) {
	old := MaxCells
	MaxCells = 50
	defer func() { MaxCells = old }()
	path := filepath.Join(t.TempDir(), "big.xlsx")
	f := excelize.NewFile()
	for r := 1; r <= 11; r++ {
		for c := 1; c <= 5; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			f.SetCellValue("Sheet1", cell, r*c)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err := OpenWorkbook(path)
	want := "big.xlsx, sheet Sheet1, is too large to import from a workbook (more than 11 rows × 5 columns). Save it as CSV"
	if planner.ErrorCode(err) != planner.EUNSUPPORTED || !strings.HasPrefix(planner.ErrorMessage(err), want) {
		t.Errorf("got %s %q, want %q…", planner.ErrorCode(err), planner.ErrorMessage(err), want)
	}
	MaxCells = 55
	if w, err := OpenWorkbook(path); err != nil {
		t.Errorf("55 cells with MaxCells 55: %v", err)
	} else {
		w.Close()
	}
}
