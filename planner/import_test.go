package planner_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/geocode"
	"github.com/paulmach/orb"
)

// impCSV is a test-only planner.TableReader over encoding/csv (the real
// CSV reader, planner/csvfile, is built separately): comma-separated, UTF-8
// with an optional BOM, every non-empty field a CellText.
type impCSV struct {
	name   string
	r      *csv.Reader
	header []string
	nf     planner.NumberFormat
	read   func() float64
	cells  []planner.Cell
}

func newImpCSV(t testing.TB, name string, src io.Reader, nf planner.NumberFormat) *impCSV {
	t.Helper()
	br := &impCountReader{r: src}
	r := csv.NewReader(br)
	if nf.Decimal == ',' {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	h, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	header := append([]string(nil), h...)
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	return &impCSV{name: name, r: r, header: header, nf: nf, read: func() float64 { return float64(br.n) }}
}

type impCountReader struct {
	r io.Reader
	n int
}

func (c *impCountReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func (c *impCSV) Source() string                { return c.name }
func (c *impCSV) Header() []string              { return c.header }
func (c *impCSV) HeaderRow() int                { return 1 }
func (c *impCSV) Numbers() planner.NumberFormat { return c.nf }
func (c *impCSV) Progress() float64             { return math.Min(1, c.read()/4e6) }
func (c *impCSV) Close() error                  { return nil }
func (c *impCSV) Next() (planner.Record, error) {
	for {
		rec, err := c.r.Read()
		if err != nil {
			return planner.Record{}, err
		}
		line, _ := c.r.FieldPos(0)
		c.cells = c.cells[:0]
		empty := true
		for _, f := range rec {
			if f == "" {
				c.cells = append(c.cells, planner.Cell{})
			} else {
				c.cells = append(c.cells, planner.Cell{Kind: planner.CellText, Text: f})
				empty = false
			}
		}
		for len(c.cells) < len(c.header) {
			c.cells = append(c.cells, planner.Cell{})
		}
		if !empty {
			return planner.Record{Row: line, Cells: c.cells}, nil
		}
	}
}

var impDot = planner.NumberFormat{Decimal: '.'}

// table reads CSV text.
func impTable(t testing.TB, text string) *impCSV {
	return newImpCSV(t, "test.csv", strings.NewReader(text), impDot)
}

func impHospitals(t testing.TB) *impCSV {
	f, err := os.Open("testdata/us_hospitals_hifld.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return newImpCSV(t, "us_hospitals_hifld.csv", z, impDot)
}

func impMust(t testing.TB, r planner.TableReader, opt planner.ImportOptions) *planner.ImportResult {
	t.Helper()
	if opt.Mapping == (planner.Mapping{}) {
		opt.Mapping = planner.GuessMapping(r.Header())
	}
	res, err := planner.ImportAccounts(context.Background(), r, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func impProblems(res *planner.ImportResult) []string {
	var s []string
	for _, p := range res.Problems {
		s = append(s, p.Severity.String()+": "+p.String())
	}
	return s
}

func impSame(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// The real HIFLD hospital file: every row read and located by its own
// point, BEDS -999 read as unknown, the other columns kept as custom
// fields, the rows sharing a name and ZIP flagged. Counts from Python's csv
// module on the same file.
func TestImportAccounts_Hospitals(t *testing.T) {
	r := impHospitals(t)
	impCheckMapping(t, r.Header(), planner.GuessMapping(r.Header()), impHospitalMapping())
	var progress []float64
	res := impMust(t, r, planner.ImportOptions{Progress: func(f float64) { progress = append(progress, f) }})
	if res.Rows != 7581 || len(res.Accounts) != 7581 || len(res.AccountRows) != 7581 || len(res.Levels) != 7581 {
		t.Fatalf("%d rows, %d accounts, want 7581", res.Rows, len(res.Accounts))
	}
	if res.Matches[planner.MatchPoint] != 7581 || res.Placements[planner.PlacedNone] != 7581 {
		t.Errorf("matches %v placements %v", res.Matches, res.Placements)
	}
	if len(res.Problems) != 0 || res.ErrorRows != 0 || res.Skipped != 0 {
		t.Errorf("problems %d error rows %d skipped %d: %q", len(res.Problems), res.ErrorRows, res.Skipped, impProblems(res)[:min(5, len(res.Problems))])
	}
	if res.PotentialName != "BEDS" {
		t.Errorf("PotentialName %q", res.PotentialName)
	}
	unknown, sum := 0, 0.0
	for _, a := range res.Accounts {
		if a.Potential.Known {
			sum += a.Potential.Value
		} else {
			unknown++
		}
	}
	if unknown != 662 || sum != 1014110 {
		t.Errorf("%d unknown potentials, sum %v; want 662 and 1014110", unknown, sum)
	}
	a := res.Accounts[0]
	want := planner.Account{ExternalID: "0005793230", Name: "CENTRAL VALLEY GENERAL HOSPITAL", Address: "1025 NORTH DOUTY STREET",
		City: "HANFORD", State: "CA", ZIP: "93230", Location: orb.Point{-119.645667298, 36.3361588500001}, HasLocation: true, Match: planner.MatchPoint,
		Segment: "GENERAL ACUTE CARE", Owner: "PROPRIETARY", Potential: planner.Known(49)}
	a.Fields, want.Fields = nil, nil
	if !reflect.DeepEqual(a, want) {
		t.Errorf("first account:\n got %+v\nwant %+v", a, want)
	}
	if res.AccountRows[0] != 2 || res.AccountRows[7580] != 7582 {
		t.Errorf("rows %d..%d, want 2..7582", res.AccountRows[0], res.AccountRows[7580])
	}

	// 32 columns, 11 fill Account fields; COUNTRY and TTL_STAFF are kept.
	var names []string
	numeric := map[string]bool{}
	for _, f := range res.CustomFields {
		names = append(names, f.Name)
		numeric[f.Name] = f.Numeric
	}
	impSame(t, "custom fields", names, []string{"FID", "ZIP4", "TELEPHONE", "STATUS", "POPULATION", "COUNTY", "COUNTYFIPS",
		"COUNTRY", "NAICS_CODE", "NAICS_DESC", "SOURCE", "SOURCEDATE", "VAL_METHOD", "VAL_DATE", "WEBSITE", "STATE_ID",
		"ALT_NAME", "ST_FIPS", "TTL_STAFF", "TRAUMA", "HELIPAD"})
	for name, want := range map[string]bool{"FID": true, "POPULATION": true, "NAICS_CODE": true, "TTL_STAFF": true,
		"COUNTYFIPS": false, "ST_FIPS": false, "ZIP4": false, "STATUS": false} {
		if numeric[name] != want {
			t.Errorf("custom field %s numeric %v, want %v", name, numeric[name], want)
		}
	}
	p := &planner.Plan{CustomFields: res.CustomFields}
	for name, want := range map[string]string{"FID": "1", "ZIP4": "", "TELEPHONE": "", "STATUS": "CLOSED", "COUNTYFIPS": "06031",
		"ST_FIPS": "06", "TTL_STAFF": "", "COUNTRY": "USA", "HELIPAD": "N"} {
		if got, _ := p.Field(&res.Accounts[0], name); got != want {
			t.Errorf("first account's %s = %q, want %q", name, got, want)
		}
	}
	closed := 0
	for i := range res.Accounts {
		if v, _ := p.Field(&res.Accounts[i], "STATUS"); v == "CLOSED" {
			closed++
		}
	}
	if closed != 435 {
		t.Errorf("%d CLOSED, want 435", closed)
	}

	// 43 pairs share a normalised name and ZIP; no ID repeats. Groups come
	// in the order of their first rows.
	if len(res.Duplicates) != 43 {
		t.Errorf("%d duplicate groups, want 43", len(res.Duplicates))
	} else {
		g := res.Duplicates[0]
		if g.Reason != planner.DuplicateNameAndPostal || g.Resolution != planner.KeepAll || len(g.Accounts) != 2 ||
			res.AccountRows[g.Accounts[0]] != 238 || res.AccountRows[g.Accounts[1]] != 5591 {
			t.Errorf("first group %+v (rows %d, %d), want rows 238 and 5591 by name and postal code", g,
				res.AccountRows[g.Accounts[0]], res.AccountRows[g.Accounts[1]])
		}
	}
	if len(progress) < 2 || progress[len(progress)-1] != 1 {
		t.Errorf("progress %v", progress)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i] < progress[i-1] {
			t.Errorf("progress goes back: %v", progress)
		}
	}

	// Into a new plan: every account numbered, valid, custom fields kept.
	base := &planner.Plan{Name: "Hospitals", Scenarios: []planner.Scenario{{ID: 1, Name: "Base"}}}
	q, rep, err := base.WithImport(res, planner.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 7581 || len(q.Accounts) != 7581 || q.Accounts[7580].ID != 7581 || q.PotentialName != "BEDS" || len(q.CustomFields) != 21 {
		t.Errorf("report %+v, %d accounts, last ID %d, potential %q", rep, len(q.Accounts), q.Accounts[7580].ID, q.PotentialName)
	}
	if base.Accounts != nil || base.PotentialName != "" {
		t.Error("WithImport changed the plan")
	}
	if len(res.Accounts) != 7581 || res.Accounts[0].ID != 0 {
		t.Error("WithImport changed the import")
	}
	// Consume: the same plan, made of the import's own memory.
	q2, rep2, err := base.WithImport(res, planner.MergeOptions{Consume: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Added != 7581 || res.Accounts != nil || !reflect.DeepEqual(q2, q) {
		t.Errorf("Consume: report %+v, import left %d accounts, same plan %v", rep2, len(res.Accounts), reflect.DeepEqual(q2, q))
	}
}

// Placeholders read as empty values in text, number and custom columns,
// whatever their case and spaces.
func TestImportAccounts_Placeholders(t *testing.T) {
	if len(planner.Placeholders) != 8 {
		t.Errorf("Placeholders %q", planner.Placeholders)
	}
	var b strings.Builder
	b.WriteString("Name,City,ZIP,Beds,Phone,Latitude,Longitude\n")
	for _, p := range []string{"NOT AVAILABLE", "N/A", "NA", "#N/A", "-999", "NULL", "none", "-", " n/a ", "Not Available", "null", "NONE", ""} {
		b.WriteString("Acme," + p + "," + p + "," + p + "," + p + ",40,-75\n")
	}
	res := impMust(t, impTable(t, b.String()), planner.ImportOptions{})
	if len(res.Accounts) != 13 || len(res.Problems) != 0 {
		t.Fatalf("%d accounts, problems %q", len(res.Accounts), impProblems(res))
	}
	for i, a := range res.Accounts {
		if a.City != "" || a.ZIP != "" || a.Potential.Known || a.Fields[0] != "" {
			t.Errorf("row %d: %+v", i+2, a)
		}
	}
	for s, want := range map[string]bool{"n/a": true, " - ": true, "NA ": true, "NAN": false, "0": false, "-9999": false, "Nancy": false} {
		if planner.IsPlaceholder(s) != want {
			t.Errorf("IsPlaceholder(%q) != %v", s, want)
		}
	}
}

// impGeocoder knows ZIP 02134 (also when written 2134) and the city of
// Boston.
type impGeocoder struct{ calls int }

func (g *impGeocoder) Geocode(a planner.Address) planner.Geocoded {
	g.calls++
	switch {
	case a.ZIP == "02134":
		return planner.Geocoded{Location: orb.Point{-71.13, 42.35}, Level: planner.MatchPostal, ZIP: "02134"}
	case a.ZIP == "2134":
		return planner.Geocoded{Location: orb.Point{-71.13, 42.35}, Level: planner.MatchPostal, ZIP: "02134",
			Warning: "ZIP 2134 lost its leading zero; read as 02134"}
	case strings.EqualFold(a.City, "Boston"):
		return planner.Geocoded{Location: orb.Point{-71.06, 42.36}, Level: planner.MatchCity}
	}
	return planner.Geocoded{}
}

// Every bad value and unusable row is a problem that names the row and
// column; bad numbers read as unknown; the rows that cannot be located are
// imported unlocated, or skipped with SkipBad.
func TestImportAccounts_Problems(t *testing.T) {
	const text = "ID,Name,City,ZIP,Lat,Lon,Beds,Employees,Note\n" +
		"1,Good,,,42.1,-71.2,12,5,\n" + // row 2
		"2,Bad beds,,,42.1,-71.2,12x,5,=1+2\n" + // 3
		"3,Bad lat,Boston,,abc,-71.2,1,x,\n" + // 4: geocoded by city
		"4,Out of range,,02134,95,-71.2,1,,\n" + // 5: by postal code
		"5,Lost zero,,2134,,,1,,\n" + // 6: ZIP padded
		"6,Nowhere,Atlantis,99999,0,0,,,\n" + // 7: 0,0 and not in the gazetteer
		"7,,Boston,,,,,,\n" + // 8: no name
		"8,Long,,,42,-71,1,,,extra\n" // 9: too many values
	opt := planner.ImportOptions{Geocoder: &impGeocoder{}}
	res := impMust(t, impTable(t, text), opt)
	impSame(t, "problems", impProblems(res), []string{
		"warning: Row 3, column Beds: '12x' is not a number; the potential is unknown",
		"warning: Row 4, column Lat: 'abc' is not a number",
		"warning: Row 4, column Employees: 'x' is not a number; the value is left empty",
		"warning: Row 5, column Lat: latitude '95' is not between -90 and 90 degrees",
		"warning: Row 6, column ZIP: ZIP 2134 lost its leading zero; read as 02134",
		"warning: Row 7, column Lat: latitude 0, longitude 0 is a placeholder, not a location",
		"error: Row 7: cannot be located: no valid latitude and longitude, postal code '99999' and city 'Atlantis' not found",
		"error: Row 8, column Name: the account has no name",
		"warning: Row 9: the row has 10 values, more than the 9 columns of the header; the extra values are ignored",
	})
	if res.Rows != 8 || len(res.Accounts) != 8 || res.ErrorRows != 2 || res.Skipped != 0 {
		t.Errorf("rows %d accounts %d error rows %d skipped %d", res.Rows, len(res.Accounts), res.ErrorRows, res.Skipped)
	}
	wantLevels := []planner.MatchLevel{planner.MatchPoint, planner.MatchPoint, planner.MatchCity, planner.MatchPostal,
		planner.MatchPostal, planner.MatchNone, planner.MatchCity, planner.MatchPoint}
	if !reflect.DeepEqual(res.Levels, wantLevels) {
		t.Errorf("levels %v, want %v", res.Levels, wantLevels)
	}
	if res.Matches != [4]int{1, 2, 2, 3} {
		t.Errorf("matches %v", res.Matches)
	}
	if a := res.Accounts[1]; a.Potential.Known || a.Fields[1] != "=1+2" {
		t.Errorf("row 3: %+v", a)
	}
	if a := res.Accounts[4]; a.ZIP != "02134" || a.Location != (orb.Point{-71.13, 42.35}) {
		t.Errorf("row 6: %+v", a)
	}
	if a := res.Accounts[5]; a.HasLocation || a.Name != "Nowhere" {
		t.Errorf("row 7: %+v", a)
	}
	if a := res.Accounts[6]; a.Name != "7" {
		t.Errorf("row 8 named %q, want its external ID", a.Name)
	}
	if f := res.CustomFields; len(f) != 2 || f[0] != (planner.CustomField{Name: "Employees", Numeric: true}) || f[1] != (planner.CustomField{Name: "Note"}) {
		t.Errorf("custom fields %+v", f)
	}

	// The report as CSV: formula-like text is quoted with an apostrophe.
	var buf bytes.Buffer
	if err := planner.WriteProblemsCSV(&buf, append(res.Problems[:1:1], planner.Problem{Row: 3, Column: "Note", Value: "=1+2", Reason: "-1 is bad"})); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "Row,Column,Value,Severity,Problem\r\n"+
		"3,Beds,12x,warning,'12x' is not a number; the potential is unknown\r\n"+
		"3,Note,'=1+2,warning,'-1 is bad\r\n"; got != want {
		t.Errorf("CSV report:\n%s\nwant\n%s", got, want)
	}

	// SkipBad: the two error rows are left out, still reported.
	opt.SkipBad = true
	res = impMust(t, impTable(t, text), opt)
	if len(res.Accounts) != 6 || res.Skipped != 2 || res.ErrorRows != 2 || len(res.Problems) != 9 {
		t.Errorf("SkipBad: %d accounts, %d skipped, %d problems", len(res.Accounts), res.Skipped, len(res.Problems))
	}
	if !reflect.DeepEqual(res.AccountRows, []int{2, 3, 4, 5, 6, 9}) {
		t.Errorf("SkipBad rows %v", res.AccountRows)
	}

	// No geocoder: the rows without a point cannot be located.
	res = impMust(t, impTable(t, text), planner.ImportOptions{})
	if res.ErrorRows != 5 || res.Problems[2].String() != "Row 4: cannot be located: no valid latitude and longitude, no gazetteer to look up the postal code or city" {
		t.Errorf("no geocoder: %d error rows, %q", res.ErrorRows, impProblems(res))
	}
}

// Locate gives each located account its unit.
func TestImportAccounts_Locate(t *testing.T) {
	locate := func(p orb.Point) (string, planner.Placement) {
		switch {
		case p[0] < -100:
			return "", planner.PlacedNone
		case p[1] > 40:
			return "N", planner.PlacedInside
		}
		return "S", planner.PlacedNearest
	}
	res := impMust(t, impTable(t, "Name,lat,lon\nA,41,-75\nB,39,-75\nC,39,-120\nD,,\n"), planner.ImportOptions{Locate: locate})
	var got []string
	for _, a := range res.Accounts {
		got = append(got, a.UnitCode+"/"+a.Placement.String())
	}
	impSame(t, "units", got, []string{"N/inside", "S/nearest", "/none", "/none"})
	if res.Placements != [3]int{2, 1, 1} {
		t.Errorf("placements %v", res.Placements)
	}
}

// A file with decimal commas: numbers are read in its format, numeric
// custom fields stored as plain decimals, a misread value reported.
func TestImportAccounts_DecimalComma(t *testing.T) {
	text := "Name;Latitude;Longitude;Annual Revenue;Umsatz;Code\n" +
		"A;52,52;13,405;200.000,50;1.234,5;007\n" +
		"B;48,1;11,6;1,7;12;042\n" +
		"C;48,1;11,6;x;;1\n"
	// Commas are the decimal sign here: the file is ;-separated.
	r := newImpCSV(t, "de.csv", strings.NewReader(text), planner.NumberFormat{Decimal: ',', Group: '.'})
	res := impMust(t, r, planner.ImportOptions{})
	a := res.Accounts[0]
	if a.Location != (orb.Point{13.405, 52.52}) || a.Potential != planner.Known(200000.5) {
		t.Errorf("row 2: %+v", a)
	}
	if p := res.Accounts[1].Potential; p != planner.Known(1.7) {
		t.Errorf("row 3 potential %v", p)
	}
	// Annual Revenue is the potential, so it is no custom field.
	want := []planner.CustomField{{Name: "Umsatz", Numeric: true}, {Name: "Code"}}
	if !reflect.DeepEqual(res.CustomFields, want) {
		t.Errorf("custom fields %+v", res.CustomFields)
	}
	impSame(t, "row 2 fields", res.Accounts[0].Fields, []string{"1234.5", "007"})
	impSame(t, "row 3 fields", res.Accounts[1].Fields, []string{"12", "042"})
	impSame(t, "problems", impProblems(res), []string{
		"warning: Row 4, column Annual Revenue: 'x' is not a number; the potential is unknown",
	})
	p := &planner.Plan{Name: "x", Scenarios: []planner.Scenario{{ID: 1}}}
	if _, _, err := p.WithImport(res, planner.MergeOptions{}); err != nil {
		t.Errorf("WithImport: %v", err)
	}
}

func TestParseNumberImportCases(t *testing.T) {
	us := planner.NumberFormat{Decimal: '.', Group: ','}
	eu := planner.NumberFormat{Decimal: ',', Group: '.'}
	fr := planner.NumberFormat{Decimal: ',', Group: ' '}
	ch := planner.NumberFormat{Decimal: '.', Group: '\''}
	for _, tt := range []struct {
		s  string
		f  planner.NumberFormat
		v  float64
		ok bool
	}{
		{"12", impDot, 12, true}, {" -3.5 ", impDot, -3.5, true}, {"+7", impDot, 7, true}, {".5", impDot, 0.5, true},
		{"1e3", impDot, 1000, true}, {"2.5E-1", impDot, 0.25, true}, {"12%", impDot, 12, true},
		{"1,234.5", us, 1234.5, true}, {"1,234,567", us, 1234567, true}, {"$1,234", us, 1234, true},
		{"-$5", us, -5, true}, {"5 €", eu, 5, true}, {"1,7", us, 0, false}, {"12,34,567", us, 0, false},
		{"1234,567", us, 0, false}, {"1,7", eu, 1.7, true}, {"200.000,50", eu, 200000.5, true},
		{"1.5", eu, 0, false}, {"1 234,5", fr, 1234.5, true}, {"1\u00a0234,5", fr, 1234.5, true},
		{"1\u202f234", fr, 1234, true}, {"1'234.5", ch, 1234.5, true}, {"1,234", impDot, 0, false},
		{"", impDot, 0, false}, {"-", impDot, 0, false}, {"abc", impDot, 0, false}, {"12x", impDot, 0, false},
		{"NaN", impDot, 0, false}, {"Inf", impDot, 0, false}, {"0x10", impDot, 0, false}, {"1e", impDot, 0, false},
		{"1e999", impDot, 0, false}, {"1_000", impDot, 0, false}, {"--1", impDot, 0, false}, {"1.2.3", impDot, 0, false},
		{"12", planner.NumberFormat{}, 12, true},
	} {
		v, ok := planner.ParseNumber(tt.s, tt.f)
		if ok != tt.ok || v != tt.v {
			t.Errorf("ParseNumber(%q, %q) = %v, %v; want %v, %v", tt.s, []rune{tt.f.Decimal, tt.f.Group}, v, ok, tt.v, tt.ok)
		}
	}
}

// impCells is a planner.TableReader over cells, like an XLSX sheet.
type impCells struct {
	header []string
	rows   [][]planner.Cell
	i      int
	err    error // returned after the rows instead of io.EOF
}

func (c *impCells) Source() string                { return "book.xlsx, sheet Export" }
func (c *impCells) Header() []string              { return c.header }
func (c *impCells) HeaderRow() int                { return 1 }
func (c *impCells) Numbers() planner.NumberFormat { return impDot }
func (c *impCells) Progress() float64             { return float64(c.i) / float64(max(1, len(c.rows))) }
func (c *impCells) Close() error                  { return nil }
func (c *impCells) Next() (planner.Record, error) {
	if c.i >= len(c.rows) {
		if c.err != nil {
			return planner.Record{}, c.err
		}
		return planner.Record{}, io.EOF
	}
	c.i++
	return planner.Record{Row: c.i + 1, Cells: c.rows[c.i-1]}, nil
}

func impTxt(s string) planner.Cell { return planner.Cell{Kind: planner.CellText, Text: s} }
func impNumber(v float64, s string) planner.Cell {
	return planner.Cell{Kind: planner.CellNumber, Number: v, Text: s}
}

// Typed cells: numbers as numbers (-999 too is a placeholder), dates and
// booleans as text.
func TestImportAccounts_TypedCells(t *testing.T) {
	day := planner.Cell{Kind: planner.CellDate, Text: "3/1/2024", Time: impTime(t, "2024-03-01T00:00:00Z")}
	at := planner.Cell{Kind: planner.CellDate, Text: "3/1/2024 9:30", Time: impTime(t, "2024-03-01T09:30:00Z")}
	r := &impCells{header: []string{"Name", "Potential", "Since", "Active", "Score"}, rows: [][]planner.Cell{
		{impTxt("A"), impNumber(1500, "1,500"), day, {Kind: planner.CellBool, Number: 1, Text: "TRUE"}, impNumber(2.5, "2.50")},
		{impTxt("B"), impNumber(-999, "-999"), at, {Kind: planner.CellBool, Text: "FALSE"}, impNumber(3, "3")},
		{impTxt("C"), day, {}, {}, impTxt("7")},
	}}
	res := impMust(t, r, planner.ImportOptions{})
	if res.Accounts[0].Potential != planner.Known(1500) || res.Accounts[1].Potential.Known || res.Accounts[2].Potential.Known {
		t.Errorf("potentials %v %v %v", res.Accounts[0].Potential, res.Accounts[1].Potential, res.Accounts[2].Potential)
	}
	impSame(t, "row 2", res.Accounts[0].Fields, []string{"2024-03-01", "TRUE", "2.5"})
	impSame(t, "row 3", res.Accounts[1].Fields, []string{"2024-03-01 09:30:00", "FALSE", "3"})
	if !res.CustomFields[2].Numeric || res.CustomFields[0].Numeric || res.CustomFields[1].Numeric {
		t.Errorf("custom fields %+v", res.CustomFields)
	}
	impSame(t, "problems", impProblems(res), []string{
		"error: Row 2: cannot be located: no postal code or city",
		"error: Row 3: cannot be located: no postal code or city",
		"error: Row 4: cannot be located: no postal code or city",
		"warning: Row 4, column Potential: '3/1/2024' is not a number; the potential is unknown",
	})
}

// ImportAccounts stops with ECANCELED, and no result, when its context is
// cancelled; a reader's error comes back as it is.
func TestImportAccounts_Errors(t *testing.T) {
	rows := make([][]planner.Cell, 5000)
	for i := range rows {
		rows[i] = []planner.Cell{impTxt("A")}
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	r := &impCells{header: []string{"Name"}, rows: rows}
	res, err := planner.ImportAccounts(ctx, r, planner.ImportOptions{Mapping: planner.GuessMapping(r.header),
		Progress: func(float64) {
			if n++; n == 1 {
				cancel()
			}
		}})
	if res != nil || planner.ErrorCode(err) != planner.ECANCELED || !errors.Is(err, context.Canceled) ||
		planner.ErrorMessage(err) != "The import of book.xlsx, sheet Export was cancelled" {
		t.Errorf("cancelled: %v, %v", res, err)
	}
	if r.i != 1024 {
		t.Errorf("read %d rows after cancelling", r.i)
	}

	bad := planner.Errorf(planner.EINVALID, "book.xlsx, row 3: broken")
	r = &impCells{header: []string{"Name"}, rows: rows[:2], err: bad}
	if res, err := planner.ImportAccounts(context.Background(), r, planner.ImportOptions{Mapping: planner.GuessMapping(r.header)}); res != nil || err != bad {
		t.Errorf("reader error: %v, %v", res, err)
	}
	r = &impCells{header: []string{"Name"}, rows: rows[:2], err: io.ErrUnexpectedEOF}
	if _, err := planner.ImportAccounts(context.Background(), r, planner.ImportOptions{Mapping: planner.GuessMapping(r.header)}); planner.ErrorCode(err) != planner.EIO ||
		planner.ErrorMessage(err) != "Cannot read book.xlsx, sheet Export after row 3" {
		t.Errorf("other reader error: %v", err)
	}
	if _, err := planner.ImportAccounts(context.Background(), r, planner.ImportOptions{Mapping: planner.NoMapping()}); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("no mapping: %v", err)
	}
}

func impTime(t testing.TB, s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Custom fields are named by their header, made unique; ignored columns
// are dropped.
func TestImportAccounts_CustomFieldNames(t *testing.T) {
	r := impTable(t, "Name,Phone,Phone,Fax,Column 5\nA,1,2,3,4\n")
	res := impMust(t, r, planner.ImportOptions{IgnoreColumns: []int{3, 99}})
	want := []planner.CustomField{{Name: "Phone", Numeric: true}, {Name: "Phone (2)", Numeric: true}, {Name: "Column 5", Numeric: true}}
	if !reflect.DeepEqual(res.CustomFields, want) {
		t.Errorf("custom fields %+v", res.CustomFields)
	}
	impSame(t, "fields", res.Accounts[0].Fields, []string{"1", "2", "4"})
}

// A geocoder's warning about a ZIP names the ZIP column, even when the
// account was then found by its city.
func TestImportAccounts_ZIPWarningColumn(t *testing.T) {
	r := &impCells{header: []string{"Name", "Billing City", "Billing State", "Billing Zip"}, rows: [][]planner.Cell{
		{impTxt("Acme"), impTxt("Springfield"), impTxt("IL"), impTxt("99999")},
	}}
	gc, err := geocode.New("US")
	if err != nil {
		t.Fatal(err)
	}
	res := impMust(t, r, planner.ImportOptions{Mapping: planner.GuessMapping(r.header), Geocoder: gc})
	if len(res.Problems) == 0 || res.Problems[0].Column != "Billing Zip" || !strings.HasPrefix(res.Problems[0].Reason, "ZIP 99999 is not in the GeoNames postal code list") {
		t.Fatalf("problems %+v", res.Problems)
	}
	if res.Accounts[0].Match != planner.MatchCity {
		t.Errorf("located by %v, want city", res.Accounts[0].Match)
	}
}
