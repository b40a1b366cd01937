package csvfile_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// row is a record as the tests write it: its line and the text of its cells
// ("" for CellEmpty).
type row struct {
	Row   int
	Cells []string
}

// readAll reads every record of r, checking that cells are CellText exactly
// when non-empty and that no record is shorter than the header.
func readAll(t *testing.T, r *csvfile.Reader) []row {
	t.Helper()
	var rows []row
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if len(rec.Cells) < len(r.Header()) {
			t.Fatalf("row %d has %d cells, header %d", rec.Row, len(rec.Cells), len(r.Header()))
		}
		var cells []string
		for _, c := range rec.Cells {
			if (c.Kind == planner.CellEmpty) != (c.Text == "") || (c.Kind != planner.CellEmpty && c.Kind != planner.CellText) {
				t.Errorf("row %d: cell %+v has the wrong kind", rec.Row, c)
			}
			cells = append(cells, c.Text)
		}
		rows = append(rows, row{rec.Row, cells})
	}
	if p := r.Progress(); p != 1 {
		t.Errorf("Progress after EOF = %v, want 1", p)
	}
	return rows
}

func mustOpen(t *testing.T, path string) *csvfile.Reader {
	t.Helper()
	r, err := csvfile.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

var (
	pointComma = planner.NumberFormat{Decimal: '.', Group: ','}
	commaPoint = planner.NumberFormat{Decimal: ',', Group: '.'}
)

// TestMessyFiles reads every file of ../shared/data/messy/csv (csvkit's test
// fixtures, copied to testdata) and checks the dialect, header and every cell.
func TestMessyFiles(t *testing.T) {
	tests := []struct {
		file    string
		dialect csvfile.Dialect
		header  []string
		rows    []row
		nuls    int64
	}{
		{"bad.csv", csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"column_a", "column_b", "column_c"},
			[]row{
				{2, []string{"1", "27", "", "I'm too long!"}}, // ragged long: the extra cell is kept
				{3, []string{"", "I'm too short!", ""}},       // ragged short: padded
				{4, []string{"0", "mixed types.... uh oh", "17"}},
			}, 0},
		{"mac_newlines.csv", csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.CR, Numbers: pointComma},
			[]string{"a", "b", "c"},
			[]row{
				{2, []string{"1", "2", "3"}},
				{3, []string{"Once upon\na time", "5", "6"}},
			}, 0},
		{"null_byte.csv", csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"a", "b", "c"},
			[]row{{2, []string{"", "2", "3"}}}, 1},
		{"test_header_newline.csv", csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"start end", "b", "c"}, // the quoted header spans lines 1-4
			[]row{{5, []string{"d", "e", "f"}}}, 0},
		{"test_latin1.csv", csvfile.Dialect{Encoding: csvfile.Windows1252, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"a", "b", "c"},
			[]row{{2, []string{"1", "2", "3"}}, {3, []string{"4", "5", "©"}}}, 0},
		{"test_locale.csv", csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: commaPoint},
			[]string{"a", "b", "c"},
			[]row{{2, []string{"1,7", "200.000.000", ""}}}, 0},
		{"test_utf16_little.csv", csvfile.Dialect{Encoding: csvfile.UTF16LE, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"a", "b", "c"},
			[]row{{2, []string{"1", "2", "3"}}, {3, []string{"4", "5", "ʤ"}}}, 0},
		{"test_utf8_bom.csv", csvfile.Dialect{Encoding: csvfile.UTF8BOM, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"foo", "bar", "baz"},
			[]row{{2, []string{"1", "2", "3"}}, {3, []string{"4", "5", "ʤ"}}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := mustOpen(t, filepath.Join("testdata", tt.file))
			if got := r.Dialect(); got != tt.dialect {
				t.Errorf("Dialect = %v, want %v", got, tt.dialect)
			}
			if got := r.Numbers(); got != tt.dialect.Numbers {
				t.Errorf("Numbers = %+v", got)
			}
			if r.Source() != tt.file || r.HeaderRow() != 1 {
				t.Errorf("Source, HeaderRow = %q, %d", r.Source(), r.HeaderRow())
			}
			if got := r.Header(); !reflect.DeepEqual(got, tt.header) {
				t.Errorf("Header = %q, want %q", got, tt.header)
			}
			if got := readAll(t, r); !reflect.DeepEqual(got, tt.rows) {
				t.Errorf("rows = %#v\nwant   %#v", got, tt.rows)
			}
			if r.NULsRemoved() != tt.nuls {
				t.Errorf("NULsRemoved = %d, want %d", r.NULsRemoved(), tt.nuls)
			}
		})
	}
	// test_locale's numbers read with the sniffed format, as csvkit's
	// de_DE test expects: 1.7 and 200000000.
	r := mustOpen(t, "testdata/test_locale.csv")
	rec, _ := r.Next()
	for i, want := range []float64{1.7, 200000000} {
		if v, ok := planner.ParseNumber(rec.Cells[i].Text, r.Numbers()); !ok || v != want {
			t.Errorf("ParseNumber(%q) = %v, %v, want %v", rec.Cells[i].Text, v, ok, want)
		}
	}
}

// TestHospitals reads the HIFLD hospitals file (UTF-8 with BOM, 7,581 rows,
// 32 columns, 1,088 rows with quoted commas).
func TestHospitals(t *testing.T) {
	f, err := os.Open("testdata/us_hospitals_hifld.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	r, err := csvfile.NewReader("us_hospitals_hifld.csv", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := csvfile.Dialect{Encoding: csvfile.UTF8BOM, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma}
	if r.Dialect() != want {
		t.Errorf("Dialect = %v", r.Dialect())
	}
	h := r.Header()
	if len(h) != 32 || h[0] != "FID" || h[2] != "NAME" || h[15] != "LATITUDE" || h[29] != "BEDS" || h[31] != "HELIPAD" {
		t.Errorf("Header = %q", h)
	}
	col := map[string]int{}
	for i, n := range h {
		col[n] = i
	}
	var n, closed int
	var last float64
	byRow := map[int][]string{}
	for {
		if p := r.Progress(); p < last || p > 1 {
			t.Fatalf("Progress went from %v to %v", last, p)
		} else {
			last = p
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		if len(rec.Cells) != 32 {
			t.Fatalf("row %d has %d cells", rec.Row, len(rec.Cells))
		}
		if rec.Row != n+1 {
			t.Fatalf("record %d is on row %d", n, rec.Row)
		}
		if rec.Cells[col["STATUS"]].Text == "CLOSED" {
			closed++
		}
		switch rec.Row {
		case 2, 15, 704, 7582:
			var s []string
			for _, c := range rec.Cells {
				s = append(s, c.Text)
			}
			byRow[rec.Row] = s
		}
	}
	if n != 7581 || closed != 435 {
		t.Errorf("read %d rows, %d closed; want 7581, 435", n, closed)
	}
	checks := []struct {
		row        int
		col, value string
	}{
		{2, "NAME", "CENTRAL VALLEY GENERAL HOSPITAL"},
		{2, "ZIP", "93230"},
		{2, "LATITUDE", "36.3361588500001"},
		{2, "BEDS", "49"},
		{2, "TTL_STAFF", "-999"},
		{15, "ADDRESS", "393 S, TUSTIN STREET"}, // a quoted comma
		{15, "NAICS_DESC", "CHILDREN'S HOSPITALS, GENERAL"},
		{704, "ADDRESS", "PR-155 AVE LUIS MUÑOZ MARIN"},
		{7582, "FID", "7581"},
		{7582, "NAME", "WALTER REED NATIONAL MILITARY MEDICAL CENTER"},
		{7582, "LONGITUDE", "-77.093589723"},
		{7582, "HELIPAD", "Y"},
	}
	for _, c := range checks {
		if got := byRow[c.row][col[c.col]]; got != c.value {
			t.Errorf("row %d %s = %q, want %q", c.row, c.col, got, c.value)
		}
	}
}

// TestMavenAccounts reads the Maven CRM accounts export (CRLF line endings).
func TestMavenAccounts(t *testing.T) {
	r := mustOpen(t, "testdata/maven_accounts.csv")
	want := csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.CRLF, Numbers: pointComma}
	if r.Dialect() != want {
		t.Errorf("Dialect = %v", r.Dialect())
	}
	wantHeader := []string{"account", "sector", "year_established", "revenue", "employees", "office_location", "subsidiary_of"}
	if !reflect.DeepEqual(r.Header(), wantHeader) {
		t.Errorf("Header = %q", r.Header())
	}
	rows := readAll(t, r)
	if len(rows) != 85 {
		t.Fatalf("%d rows, want 85", len(rows))
	}
	if got := rows[0]; !reflect.DeepEqual(got, row{2, []string{"Acme Corporation", "technolgy", "1996", "1100.04", "2822", "United States", ""}}) {
		t.Errorf("first row = %#v", got)
	}
	for _, rw := range rows {
		for _, c := range rw.Cells {
			if strings.ContainsAny(c, "\r\n") {
				t.Errorf("row %d keeps a line break: %q", rw.Row, c)
			}
		}
	}
	if last := rows[84]; last.Row != 86 {
		t.Errorf("last row is on line %d, want 86", last.Row)
	}
}

func utf16(s string, bigEndian bool) []byte {
	e := unicode.LittleEndian
	if bigEndian {
		e = unicode.BigEndian
	}
	b, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// TestHandMade reads small files written for the cases the fixtures miss.
func TestHandMade(t *testing.T) {
	win1252, _ := charmap.Windows1252.NewEncoder().String("Name;City\nRenée;Köln\n")
	// A UTF-8 file with one Latin-1 row after the 64 KiB sample.
	mixed := "Name,City\n" + strings.Repeat("Acme,Boston\n", 7000) + "Caf\xe9 Noir,Montr\xe9al\n"
	tests := []struct {
		name    string
		data    []byte
		dialect csvfile.Dialect
		header  []string
		rows    []row // nil: do not check
		last    *row  // checked when set
	}{
		{"utf16be", utf16("Name\tRevenue\nMüller GmbH\t1.234,5\n", true),
			csvfile.Dialect{Encoding: csvfile.UTF16BE, Delimiter: '\t', LineEnding: csvfile.LF, Numbers: commaPoint},
			[]string{"Name", "Revenue"}, []row{{2, []string{"Müller GmbH", "1.234,5"}}}, nil},
		{"utf16le no BOM", utf16("a,b\r\n1,ü\r\n", false)[2:],
			csvfile.Dialect{Encoding: csvfile.UTF16LE, Delimiter: ',', LineEnding: csvfile.CRLF, Numbers: pointComma},
			[]string{"a", "b"}, []row{{2, []string{"1", "ü"}}}, nil},
		{"semicolon decimal comma", []byte("Kunde;Umsatz;Mitarbeiter\r\nAlpha AG;1,7;12\r\nBeta GmbH;200.000,50;3\r\n"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ';', LineEnding: csvfile.CRLF, Numbers: commaPoint},
			[]string{"Kunde", "Umsatz", "Mitarbeiter"},
			[]row{{2, []string{"Alpha AG", "1,7", "12"}}, {3, []string{"Beta GmbH", "200.000,50", "3"}}}, nil},
		{"semicolon with commas in text", []byte("Name;Address\nAcme;1 Main St, Springfield\nBeta;2 Elm St, Dover\n"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ';', LineEnding: csvfile.LF, Numbers: commaPoint},
			[]string{"Name", "Address"}, nil, nil},
		{"pipe", []byte("id|name|revenue\n1|Acme, Inc.|1,234.50\n2|\"Pipe | Co\"|7\n"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: '|', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"id", "name", "revenue"},
			[]row{{2, []string{"1", "Acme, Inc.", "1,234.50"}}, {3, []string{"2", "Pipe | Co", "7"}}}, nil},
		{"tab", []byte("id\tname\n1\tAcme; Inc, Ltd\n2\t\"Two\nLines\"\n3\tC\n"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: '\t', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"id", "name"},
			[]row{{2, []string{"1", "Acme; Inc, Ltd"}}, {3, []string{"2", "Two\nLines"}}, {5, []string{"3", "C"}}}, nil},
		{"CR only", []byte("id,name\r1,\"A\rB\"\r\r2,C\r"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.CR, Numbers: pointComma},
			[]string{"id", "name"},
			[]row{{2, []string{"1", "A\nB"}}, {5, []string{"2", "C"}}}, nil},
		{"windows-1252 semicolon", []byte(win1252),
			csvfile.Dialect{Encoding: csvfile.Windows1252, Delimiter: ';', LineEnding: csvfile.LF, Numbers: commaPoint},
			[]string{"Name", "City"}, []row{{2, []string{"Renée", "Köln"}}}, nil},
		{"blank lines, blank and duplicate names", []byte("\n\n  Name ,,name, City\t,\n\nAcme,x,y,Paris,\n,,,,\n , ,\n\"\",\"\"\nBeta,,,,extra,more\n"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"Name", "Column 2", "name (2)", "City", "Column 5"},
			[]row{{5, []string{"Acme", "x", "y", "Paris", ""}}, {9, []string{"Beta", "", "", "", "extra", "more"}}}, nil},
		{"bad quotes", []byte("name,note\nAcme \"The Best\" Inc,ok\n\"Beta \"\"B\"\"\",\"say \"\"hi\"\"\"\n\"Big\" Bob's Diner,x\n\"Delta\"\"\"Co,\"a\"b\"\nGamma,\"open\n"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"name", "note"},
			[]row{
				{2, []string{"Acme \"The Best\" Inc", "ok"}},
				{3, []string{"Beta \"B\"", "say \"hi\""}},
				{4, []string{"\"Big\" Bob's Diner", "x"}}, // a stray quote costs one field, not the file
				{5, []string{"\"Delta\"\"Co", "\"a\"b\""}},
				{6, []string{"Gamma", "open\n"}}, // still open at the end of the file
			}, nil},
		{"no final newline, header only", []byte("a,b"),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"a", "b"}, nil, nil},
		{"latin-1 after the sample", []byte(mixed),
			csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', LineEnding: csvfile.LF, Numbers: pointComma},
			[]string{"Name", "City"}, nil, &row{7002, []string{"Café Noir", "Montréal"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := csvfile.NewReader(tt.name+".csv", bytes.NewReader(tt.data), int64(len(tt.data)))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Dialect() != tt.dialect {
				t.Errorf("Dialect = %v\nwant      %v", r.Dialect(), tt.dialect)
			}
			if !reflect.DeepEqual(r.Header(), tt.header) {
				t.Errorf("Header = %q, want %q", r.Header(), tt.header)
			}
			rows := readAll(t, r)
			if tt.rows != nil && !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows = %#v\nwant   %#v", rows, tt.rows)
			}
			if tt.last != nil && (len(rows) == 0 || !reflect.DeepEqual(rows[len(rows)-1], *tt.last)) {
				t.Errorf("last row = %#v, want %#v", rows[len(rows)-1], *tt.last)
			}
		})
	}
}

func TestHeaderRowAfterBlankLines(t *testing.T) {
	r, err := csvfile.NewReader("x.csv", strings.NewReader("\r\n\r\nid,name\r\n1,A\r\n"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.HeaderRow() != 3 {
		t.Errorf("HeaderRow = %d, want 3", r.HeaderRow())
	}
	if r.Progress() != 0 {
		t.Errorf("Progress with unknown size = %v, want 0", r.Progress())
	}
	if rows := readAll(t, r); !reflect.DeepEqual(rows, []row{{4, []string{"1", "A"}}}) {
		t.Errorf("rows = %#v", rows)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after EOF = %v", err)
	}
}

// TestOpenWith reads a file with a dialect other than the sniffed one, as
// the wizard does when the user corrects it.
func TestOpenWith(t *testing.T) {
	d := csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ';', LineEnding: csvfile.LF, Numbers: commaPoint}
	r, err := csvfile.OpenWith("testdata/bad.csv", d)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Dialect() != d || r.Numbers() != commaPoint {
		t.Errorf("Dialect = %v", r.Dialect())
	}
	if !reflect.DeepEqual(r.Header(), []string{"column_a,column_b,column_c"}) {
		t.Errorf("Header = %q", r.Header())
	}
	// Latin-1 read as UTF-8: the invalid byte is repaired as Windows-1252.
	r2, err := csvfile.OpenWith("testdata/test_latin1.csv", csvfile.Dialect{Encoding: csvfile.UTF8, Delimiter: ',', Numbers: pointComma})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	rows := readAll(t, r2)
	if got := rows[1].Cells[2]; got != "©" || r2.RepairedFields() != 1 {
		t.Errorf("cell = %q, repaired %d", got, r2.RepairedFields())
	}
	// UTF-8 read as Windows-1252 gives mojibake, as the user asked.
	r3, err := csvfile.OpenWith("testdata/test_utf8_bom.csv", csvfile.Dialect{Encoding: csvfile.Windows1252, Delimiter: ','})
	if err != nil {
		t.Fatal(err)
	}
	defer r3.Close()
	if h := r3.Header(); h[0] != "ï»¿foo" {
		t.Errorf("Header = %q", h)
	}
	if r3.Numbers().Decimal != '.' {
		t.Errorf("a zero Decimal should read as '.': %+v", r3.Numbers())
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	binary := make([]byte, 4096)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	tests := []struct {
		path, code, msg string
	}{
		{filepath.Join(dir, "missing.csv"), planner.EIO, "Could not open missing.csv: the file does not exist"},
		{dir, planner.EINVALID, "is a folder, not a CSV file"},
		{write("empty.csv", nil), planner.EINVALID, "empty.csv is empty: it has no header row"},
		{write("blank.csv", []byte("\n\r\n ,\n")), planner.EINVALID, "blank.csv is empty"},
		{write("book.csv", []byte("PK\x03\x04rest of a zip")), planner.EUNSUPPORTED, "book.csv is an Excel workbook"},
		{write("old.csv", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}), planner.EUNSUPPORTED, "save it as .xlsx"},
		{write("noise.csv", binary), planner.EUNSUPPORTED, "noise.csv does not look like a text (CSV) file"},
	}
	for _, tt := range tests {
		r, err := csvfile.Open(tt.path)
		if err == nil {
			r.Close()
			t.Errorf("Open(%s) succeeded", tt.path)
			continue
		}
		if planner.ErrorCode(err) != tt.code || !strings.Contains(planner.ErrorMessage(err), tt.msg) {
			t.Errorf("Open(%s) = %q (%s), want %s %q", filepath.Base(tt.path), planner.ErrorMessage(err), planner.ErrorCode(err), tt.code, tt.msg)
		}
	}
	if _, err := csvfile.Open(filepath.Join(dir, "missing.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file error %v does not wrap fs.ErrNotExist", err)
	}
	_, err := csvfile.OpenWith("testdata/bad.csv", csvfile.Dialect{Delimiter: '"'})
	if planner.ErrorCode(err) != planner.EINVALID || !strings.Contains(planner.ErrorMessage(err), "bad.csv") {
		t.Errorf("bad delimiter: %v", err)
	}
	// A read error in the middle names the file and line.
	data := "a,b\n" + strings.Repeat("1,2\n", 50000)
	r, err := csvfile.NewReader("cut.csv", io.MultiReader(strings.NewReader(data), errReader{}), 0)
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = r.Next()
	}
	if planner.ErrorCode(err) != planner.EIO || !strings.HasPrefix(planner.ErrorMessage(err), "Could not read cut.csv at line ") {
		t.Errorf("read error = %v", err)
	}
}

// TestLongLines reads lines longer than the read buffer (64 KiB).
func TestLongLines(t *testing.T) {
	note := strings.Repeat("word, ", 40000) // 240 KB
	long := strings.Repeat("x", 100000)
	data := "id,note\n1,\"" + note + "\"\n2," + long + "\n3,\"a\n" + long + "\"\n4,end"
	r, err := csvfile.NewReader("long.csv", strings.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := []row{{2, []string{"1", note}}, {3, []string{"2", long}}, {4, []string{"3", "a\n" + long}}, {6, []string{"4", "end"}}}
	if rows := readAll(t, r); !reflect.DeepEqual(rows, want) {
		t.Errorf("rows differ: %d rows", len(rows))
	}
}

// TestErrorAfterLastLine checks that a read error right after a line with no
// line break is reported after that line's record, not lost.
func TestErrorAfterLastLine(t *testing.T) {
	// An error inside the sample is reported by NewReader.
	_, err := csvfile.NewReader("cut.csv", io.MultiReader(strings.NewReader("a,b\n1,2"), errReader{}), 0)
	if planner.ErrorCode(err) != planner.EIO || planner.ErrorMessage(err) != "Could not read cut.csv" {
		t.Errorf("NewReader = %v", err)
	}
	data := "a,b\n" + strings.Repeat("1,2\n", 20000) + "3,4"
	r, err := csvfile.NewReader("cut.csv", io.MultiReader(strings.NewReader(data), errReader{}), 0)
	if err != nil {
		t.Fatal(err)
	}
	var rec planner.Record
	for range 20001 {
		if rec, err = r.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if rec.Row != 20002 || rec.Cells[1].Text != "4" {
		t.Fatalf("last record = %+v", rec)
	}
	if _, err = r.Next(); planner.ErrorMessage(err) != "Could not read cut.csv at line 20002" || !strings.Contains(err.Error(), "disk unplugged") {
		t.Errorf("Next = %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk unplugged") }

func TestClose(t *testing.T) {
	r := mustOpen(t, "testdata/bad.csv")
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("Next after Close = %v, want io.EOF", err)
	}
}

func TestDialectString(t *testing.T) {
	d := csvfile.Dialect{Encoding: csvfile.UTF8BOM, Delimiter: ';', LineEnding: csvfile.CRLF, Numbers: commaPoint}
	if got, want := d.String(), "UTF-8 with BOM, semicolon-separated, CRLF line endings, numbers like 1.234,5"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got := csvfile.DefaultDialect.String(); got != "UTF-8, comma-separated, LF line endings, numbers like 1,234.5" {
		t.Errorf("String = %q", got)
	}
	d = csvfile.Dialect{Encoding: csvfile.Windows1252, Delimiter: '\t', LineEnding: csvfile.CR, Numbers: planner.NumberFormat{Decimal: ','}}
	if got := d.String(); got != "Windows-1252 (Latin-1), tab-separated, CR line endings, numbers like 1234,5" {
		t.Errorf("String = %q", got)
	}
}

// TestIsTextFile tells a CSV export named .xls from real workbooks.
func TestIsTextFile(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{
		{"export.xls", []byte("Account ID,Account Name\r\n1,Acme\r\n"), true},
		{"tabs.xls", []byte("ID\tName\n1\tAcme\n"), true},
		{"utf16.xls", append([]byte{0xff, 0xfe}, 'I', 0, 'D', 0), true},
		{"book.xls", []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, false},
		{"book.xlsx", []byte("PK\x03\x04rest"), false},
		{"binary.xls", []byte{'a', 0, 'b'}, false},
		{"empty.xls", nil, false},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := csvfile.IsTextFile(path); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if csvfile.IsTextFile(filepath.Join(dir, "missing.xls")) {
		t.Error("a missing file is text")
	}
}
