package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// Reading workbooks.
//
// OpenWorkbook reads an .xlsx (or .xlsm) file the user chose to import with
// excelize (github.com/xuri/excelize/v2): the zip package, the workbook,
// shared strings, styles and worksheets are excelize's to parse. Values are
// read with GetRows (raw cell values, no number formatting); cell types with
// GetCellType, number formats with GetCellStyle and GetStyle, merged ranges
// with GetMergeCells, the date system with GetWorkbookProps, and date
// serials are converted with ExcelDateToTime. What stays here is Meridian's
// own policy: which sheet to offer, where the header is, and what a cell
// means to the importer (its Kind and the Text it shows).

// SampleRows is the most non-blank rows at the top of a sheet that Table
// reads to find the header (see DetectHeader); the header must start within
// them.
const SampleRows = 100

// sampleSpan is the most sheet rows, blank or not, in the header sample.
const sampleSpan = 400

// maxColumns is Excel's last column (XFD): a merged range is never filled
// beyond it, nor beyond the sheet's last column with a value.
const maxColumns = 16384

// ole2Magic starts every OLE2 compound file: Excel 97-2003 workbooks (.xls)
// and password-protected .xlsx files ([MS-CFB] §2.2).
var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// SheetInfo describes one sheet of a workbook, for the import wizard's sheet
// choice.
type SheetInfo struct {
	Name string // the sheet's tab name
	// Rows and Columns are the sheet's extent: the last row and column
	// numbers (1-based, A = 1) holding a value; 0 when Empty. Formatted
	// but blank cells do not count. A chart sheet reads as an empty sheet.
	Rows, Columns int
	Hidden        bool // the sheet is hidden (or very hidden) in Excel
	Empty         bool // no cell holds a value
}

// Workbook is an .xlsx file opened for import. excelize holds the file's
// parts in memory (worksheets over 16 MB uncompressed in temporary files)
// until Close; the readers that Table returns read from it and must be
// closed before it. A Workbook is not safe for concurrent use.
type Workbook struct {
	name     string // the file's base name, for messages
	f        *excelize.File
	infos    []SheetInfo
	grids    map[string][][]string // raw values read by OpenWorkbook, until Table takes them
	date1904 bool
	fmts     map[int]numFmt // cell style ID -> how its number format shows numbers
}

// mergeRange is a merged range, 1-based and inclusive.
type mergeRange struct{ c1, r1, c2, r2 int }

// OpenWorkbook opens the .xlsx workbook at path for Sheets and Table. It
// reads every sheet's values once (excelize's streaming row reader) to find
// which sheets are empty and their extents, and keeps them for Table. A
// sheet whose XML is damaged is found by Table, which parses it strictly,
// so that the workbook's other sheets stay readable.
//
// Errors are *planner.Error: EIO when the file cannot be read; EUNSUPPORTED
// for an Excel 97-2003 .xls workbook (by its .xls extension or the OLE2
// signature D0 CF 11 E0), a password-protected workbook or an OpenDocument
// .ods file, with a message that says to save it as .xlsx in Excel or
// LibreOffice; EINVALID for any other file that is not a readable .xlsx
// workbook. Messages name the file.
func OpenWorkbook(path string) (*Workbook, error) {
	name := filepath.Base(path)
	if strings.EqualFold(filepath.Ext(path), ".xls") {
		return nil, xlsError(name)
	}
	head, err := sniff(path, name)
	if err != nil {
		return nil, err
	}
	if bytes.Equal(head, ole2Magic) || bytes.HasPrefix(head, ole2Magic[:4]) {
		if strings.EqualFold(filepath.Ext(name), ".xlsx") || strings.EqualFold(filepath.Ext(name), ".xlsm") {
			return nil, planner.Errorf(planner.EUNSUPPORTED,
				"%s is password-protected, or is an old Excel 97-2003 workbook (.xls) renamed to .xlsx, and Meridian cannot read it. "+
					"Open it in Excel or LibreOffice Calc, remove the password if it has one, save it as \"Excel Workbook (.xlsx)\" "+
					"(File > Save As), and import the new file.", name)
		}
		return nil, xlsError(name)
	}
	notXLSX := func(why string, cause error) error {
		return &planner.Error{Code: planner.EINVALID, Err: cause, Message: fmt.Sprintf(
			"%s is not an Excel workbook (.xlsx): %s. If it is a CSV or text file, import it as CSV; "+
				"otherwise open it in Excel or LibreOffice Calc and save it as \"Excel Workbook (.xlsx)\".", name, why)}
	}
	if !bytes.HasPrefix(head, []byte("PK")) {
		return nil, notXLSX("it is not a zip package, as every .xlsx file is", nil)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		switch {
		case f == nil && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission)):
			return nil, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Could not read %s.", name), Err: err}
		case f == nil: // including "readat: negative offset" from a damaged zip directory
			return nil, notXLSX("it is damaged (its zip package cannot be read)", err)
		}
		defer f.Close()
		if isODS(f) {
			return nil, odsError(name)
		}
		if !hasPart(f, "workbook.xml") {
			return nil, notXLSX("it has no workbook part", err)
		}
		return nil, notXLSX(fmt.Sprintf("its workbook part is damaged (%v)", err), err)
	}
	w := &Workbook{name: name, f: f, grids: map[string][][]string{}, fmts: map[int]numFmt{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		w.date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		defer f.Close()
		if isODS(f) {
			return nil, odsError(name)
		}
		return nil, notXLSX("it has no worksheets", nil)
	}
	for _, s := range sheets {
		info := SheetInfo{Name: s, Empty: true}
		if visible, err := f.GetSheetVisible(s); err == nil {
			info.Hidden = !visible
		}
		grid, err := readGrid(f, s, name)
		if err != nil {
			f.Close()
			return nil, err
		}
		for i, row := range grid {
			for j, v := range row {
				if v != "" {
					info.Empty = false
					info.Rows = i + 1
					info.Columns = max(info.Columns, j+1)
				}
			}
		}
		w.grids[s] = grid
		w.infos = append(w.infos, info)
	}
	return w, nil
}

// MaxCells is the most cells (rows × widest row) a sheet may have to be
// imported from a workbook: reading cell types through excelize keeps the
// whole sheet in memory, about 1 kB per cell, so a larger sheet is refused
// with advice to save it as CSV, which is read streaming (a million rows in
// seconds). A variable so that tests can lower it.
var MaxCells = 1_000_000

// readGrid reads the raw values of sheet s of f row by row; it returns an
// *planner.Error (EINVALID) when the sheet is damaged, or EUNSUPPORTED when
// it holds more than MaxCells cells.
func readGrid(f *excelize.File, s, name string) ([][]string, error) {
	rows, err := f.Rows(s)
	if err != nil {
		return nil, &planner.Error{Code: planner.EINVALID, Err: err,
			Message: fmt.Sprintf("%s is damaged: sheet %s cannot be read.", name, s)}
	}
	defer rows.Close()
	var grid [][]string
	cells, cols := 0, 0
	for rows.Next() {
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &planner.Error{Code: planner.EINVALID, Err: err,
				Message: fmt.Sprintf("%s is damaged: sheet %s cannot be read after row %d.", name, s, len(grid))}
		}
		grid = append(grid, row)
		cols = max(cols, len(row))
		if cells = len(grid) * cols; cells > MaxCells {
			return nil, planner.Errorf(planner.EUNSUPPORTED,
				"%s, sheet %s, is too large to import from a workbook (more than %d rows × %d columns). "+
					"Save it as CSV (in Excel: File > Save As > CSV UTF-8) and import the CSV file.", name, s, len(grid), cols)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &planner.Error{Code: planner.EINVALID, Err: err,
			Message: fmt.Sprintf("%s is damaged: sheet %s cannot be read.", name, s)}
	}
	return grid, nil
}

// sniff returns the first 8 bytes of the file at path (fewer when it is
// shorter), to tell .xls, encrypted and non-zip files apart before excelize
// reads it.
func sniff(path, name string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Could not open %s.", name), Err: err}
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Could not read %s.", name), Err: err}
	}
	if st.IsDir() {
		return nil, planner.Errorf(planner.EINVALID, "%s is a folder, not an Excel workbook.", name)
	}
	head := make([]byte, 8)
	n, err := io.ReadFull(fh, head)
	if err != nil && n == 0 && !errors.Is(err, io.EOF) {
		return nil, &planner.Error{Code: planner.EIO, Message: fmt.Sprintf("Could not read %s.", name), Err: err}
	}
	return head[:n], nil
}

// xlsError is the message for an old .xls workbook.
func xlsError(name string) error {
	return planner.Errorf(planner.EUNSUPPORTED,
		"%s is an Excel 97-2003 workbook (.xls), which Meridian cannot read. Open it in Excel or LibreOffice Calc, "+
			"save it as \"Excel Workbook (.xlsx)\" (File > Save As), and import the .xlsx file.", name)
}

// odsError is the message for an OpenDocument spreadsheet.
func odsError(name string) error {
	return planner.Errorf(planner.EUNSUPPORTED,
		"%s is an OpenDocument spreadsheet, which Meridian cannot read. Open it in LibreOffice Calc or Excel, "+
			"save it as \"Excel Workbook (.xlsx)\" (File > Save As), and import the .xlsx file.", name)
}

// isODS reports whether the package's mimetype part (OpenDocument v1.2
// Part 3, §3.3) names an OpenDocument file.
func isODS(f *excelize.File) bool {
	v, ok := f.Pkg.Load("mimetype")
	if !ok {
		return false
	}
	b, _ := v.([]byte)
	return bytes.Contains(b, []byte("opendocument"))
}

// hasPart reports whether the package holds a part whose name ends with
// suffix.
func hasPart(f *excelize.File, suffix string) bool {
	found := false
	f.Pkg.Range(func(k, _ any) bool {
		if s, ok := k.(string); ok && strings.HasSuffix(s, suffix) {
			found = true
		}
		return !found
	})
	return found
}

// Close releases the file and excelize's temporary files.
func (w *Workbook) Close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	w.grids = nil
	return err
}

// Sheets returns the workbook's sheets in tab order.
func (w *Workbook) Sheets() []SheetInfo {
	return append([]SheetInfo(nil), w.infos...)
}

// DefaultSheet returns the name of the first visible sheet that is not
// empty; failing that the first non-empty sheet, hidden or not; failing that
// the first sheet ("" for a workbook without sheets, which OpenWorkbook
// rejects).
func (w *Workbook) DefaultSheet() string {
	for _, s := range w.infos {
		if !s.Empty && !s.Hidden {
			return s.Name
		}
	}
	for _, s := range w.infos {
		if !s.Empty {
			return s.Name
		}
	}
	if len(w.infos) > 0 {
		return w.infos[0].Name
	}
	return ""
}

// IsDateFormat reports whether the number format numFmtID (with its format
// code, when custom is true) shows a date or a time.
//
// Built-in formats 14-22 (dates and times), 27-36 and 50-58 (East Asian
// dates) and 45-47 (times) are dates (ECMA-376 Part 1, §18.8.30), unless a
// custom code overrides them. A custom code is a date when its first section
// (before ';'), once quoted text, escaped characters (\x, _x, *x) and
// bracketed parts other than elapsed time ([h], [mm], [ss]) are removed,
// still holds d, m, y, h or s, as in openpyxl's is_date_format
// (openpyxl/styles/numbers.py).
func IsDateFormat(numFmtID int, code string, custom bool) bool {
	if !custom {
		return (numFmtID >= 14 && numFmtID <= 22) || (numFmtID >= 27 && numFmtID <= 36) ||
			(numFmtID >= 45 && numFmtID <= 47) || (numFmtID >= 50 && numFmtID <= 58)
	}
	r := []rune(code)
	for i := 0; i < len(r); i++ {
		switch c := r[i]; c {
		case ';':
			return false // only the first section counts
		case '"':
			for i++; i < len(r) && r[i] != '"'; i++ {
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := i + 1
			for j < len(r) && r[j] != ']' {
				j++
			}
			inner := strings.ToLower(string(r[i+1 : min(j, len(r))]))
			if inner != "" && strings.Trim(inner, "hms") == "" && strings.Trim(inner, inner[:1]) == "" {
				return true // [h], [mm], [ss]: elapsed time
			}
			i = j
		case 'd', 'D', 'm', 'M', 'y', 'Y', 'h', 'H', 's', 'S':
			return true
		}
	}
	return false
}

// parseRange parses "B3:C4"; a single cell is no merge.
func parseRange(ref string) (mergeRange, bool) {
	a, b, ok := strings.Cut(ref, ":")
	if !ok {
		return mergeRange{}, false
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(strings.ReplaceAll(a, "$", ""))
	c2, r2, err2 := excelize.CellNameToCoordinates(strings.ReplaceAll(b, "$", ""))
	if err1 != nil || err2 != nil {
		return mergeRange{}, false
	}
	m := mergeRange{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)}
	return m, m.c1 != m.c2 || m.r1 != m.r2 // a single cell is no merge
}

// numFmtOf returns how the cell style id shows numbers, cached per style.
// A style excelize cannot read shows numbers as General.
func (w *Workbook) numFmtOf(id int) numFmt {
	if nf, ok := w.fmts[id]; ok {
		return nf
	}
	var nf numFmt
	if st, err := w.f.GetStyle(id); err == nil && st != nil {
		if st.CustomNumFmt != nil {
			nf = parseNumFmt(st.NumFmt, *st.CustomNumFmt, true)
		} else {
			nf = parseNumFmt(st.NumFmt, "", false)
		}
	}
	w.fmts[id] = nf
	return nf
}

// decode turns the raw value v of the cell in column col, row row of sheet
// into a planner.Cell, with the cell's type and style as excelize reads them.
func (w *Workbook) decode(sheet string, col, row int, v string) (planner.Cell, error) {
	if v == "" {
		return planner.Cell{}, nil
	}
	if w.f == nil {
		return planner.Cell{}, errors.New("the workbook was closed before its table")
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return planner.Cell{}, err
	}
	typ, err := w.f.GetCellType(sheet, ref)
	if err != nil {
		return planner.Cell{}, err
	}
	switch typ {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula, excelize.CellTypeError:
		return textCell(v), nil
	case excelize.CellTypeBool:
		b := strings.TrimSpace(v)
		if b == "1" || strings.EqualFold(b, "true") {
			return planner.Cell{Kind: planner.CellBool, Text: "TRUE", Number: 1}, nil
		}
		return planner.Cell{Kind: planner.CellBool, Text: "FALSE", Number: 0}, nil
	case excelize.CellTypeDate:
		for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z07:00", "2006-01-02", "15:04:05"} {
			if tm, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
				tm = time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
				return planner.Cell{Kind: planner.CellDate, Text: isoText(tm, false), Time: tm}, nil
			}
		}
		return textCell(v), nil
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return textCell(v), nil // not a number after all: keep what is there
	}
	var nf numFmt
	if id, err := w.f.GetCellStyle(sheet, ref); err == nil {
		nf = w.numFmtOf(id)
	}
	if nf.date && x < 2958466 { // 2958466 is 10000-01-01
		if tm, err := excelize.ExcelDateToTime(x, w.date1904); err == nil {
			return planner.Cell{Kind: planner.CellDate, Text: isoText(tm, nf.time), Time: tm}, nil
		}
	}
	return planner.Cell{Kind: planner.CellNumber, Text: nf.format(x), Number: x}, nil
}

// numFmt is what Meridian understands of a number format.
type numFmt struct {
	date     bool // a date or time: the cell reads as CellDate
	time     bool // the format shows the time of day
	fixed    bool // a plain number pattern: decimals, group and percent apply
	decimals int  // digits after the decimal point
	group    bool // thousands separators
	percent  bool // the value shows multiplied by 100, with "%"
}

// parseNumFmt reads a number format: built-in numFmtID (ECMA-376 Part 1,
// §18.8.30), or a custom code when custom is true.
func parseNumFmt(id int, code string, custom bool) numFmt {
	if IsDateFormat(id, code, custom) {
		nf := numFmt{date: true, time: (id >= 18 && id <= 22) || (id >= 45 && id <= 47)}
		if custom {
			nf.time = hasElapsed(code)
			for _, r := range strings.ToLower(stripFormat(code)) {
				if r == 'h' || r == 's' {
					nf.time = true
				}
			}
		}
		return nf
	}
	if !custom {
		switch id {
		case 1:
			return numFmt{fixed: true}
		case 2:
			return numFmt{fixed: true, decimals: 2}
		case 3, 37, 38:
			return numFmt{fixed: true, group: true}
		case 4, 39, 40:
			return numFmt{fixed: true, decimals: 2, group: true}
		case 9:
			return numFmt{fixed: true, percent: true}
		case 10:
			return numFmt{fixed: true, decimals: 2, percent: true}
		}
		return numFmt{}
	}
	// A custom code of 0 # ? , . % only (after stripping quoted text and
	// brackets, in its first section): "#,##0.000", "0.0%".
	p := stripFormat(code)
	if p == "" || strings.HasSuffix(p, ",") {
		return numFmt{} // a trailing comma scales by 1000: show the plain value
	}
	nf := numFmt{fixed: true}
	intPart, frac, hasDot := strings.Cut(p, ".")
	for _, r := range p {
		if !strings.ContainsRune("0#?,.% ", r) {
			return numFmt{}
		}
	}
	nf.group = strings.Contains(intPart, ",")
	nf.percent = strings.Contains(p, "%")
	if hasDot {
		for _, r := range frac {
			if r == '0' || r == '#' || r == '?' {
				nf.decimals++
			}
		}
	}
	return nf
}

// hasElapsed reports whether a format code holds an elapsed-time part:
// [h], [hh], [m], [mm], [s] or [ss] (not a colour such as [Magenta]).
func hasElapsed(code string) bool {
	for rest := code; ; {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			return false
		}
		j := strings.IndexByte(rest[i:], ']')
		if j < 0 {
			return false
		}
		inner := strings.ToLower(rest[i+1 : i+j])
		if inner != "" && strings.Trim(inner, inner[:1]) == "" && strings.Contains("hms", inner[:1]) {
			return true
		}
		rest = rest[i+j:]
	}
}

// stripFormat returns the first section of a format code without quoted
// text, escaped characters (\x, _x, *x) and bracketed parts ([Red], [$-409]).
func stripFormat(code string) string {
	var sb strings.Builder
	r := []rune(code)
	for i := 0; i < len(r); i++ {
		switch r[i] {
		case ';':
			return sb.String()
		case '"':
			for i++; i < len(r) && r[i] != '"'; i++ {
			}
		case '\\', '_', '*':
			i++
		case '[':
			for i < len(r) && r[i] != ']' {
				i++
			}
		default:
			sb.WriteRune(r[i])
		}
	}
	return sb.String()
}

// format writes v as the format shows it when the format is a plain number
// pattern, and as the shortest decimal that reads back as v otherwise.
func (nf numFmt) format(v float64) string {
	if !nf.fixed {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if nf.percent {
		v *= 100
	}
	s := strconv.FormatFloat(v, 'f', nf.decimals, 64)
	if nf.group {
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimPrefix(s, "-")
		intPart, frac, hasDot := strings.Cut(s, ".")
		var sb strings.Builder
		if neg {
			sb.WriteByte('-')
		}
		for i, d := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				sb.WriteByte(',')
			}
			sb.WriteRune(d)
		}
		if hasDot {
			sb.WriteByte('.')
			sb.WriteString(frac)
		}
		s = sb.String()
	}
	if nf.percent {
		s += "%"
	}
	return s
}

// textCell is a text cell; an empty text is an empty cell.
func textCell(s string) planner.Cell {
	if s == "" {
		return planner.Cell{}
	}
	return planner.Cell{Kind: planner.CellText, Text: s}
}

// isoText writes t as "2006-01-02", or "2006-01-02 15:04:05" when withTime
// or when it has a time of day.
func isoText(t time.Time, withTime bool) string {
	if !withTime && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04:05")
}

// headerText is how a cell reads in a header name: text as is, numbers as
// formatted, dates as ISO dates (a date-serial header like 40269 formatted
// "April 1, 2010" reads "2010-04-01"), booleans TRUE/FALSE.
func headerText(c planner.Cell) string {
	if c.Kind == planner.CellDate {
		return isoText(c.Time, false)
	}
	return c.Text
}

// valueText is how a cell reads to DetectHeader: numbers raw ("308745538"),
// dates as ISO dates, others their text.
func valueText(c planner.Cell) string {
	switch c.Kind {
	case planner.CellNumber:
		return strconv.FormatFloat(c.Number, 'f', -1, 64)
	case planner.CellDate:
		return isoText(c.Time, false)
	}
	return c.Text
}

// sheetRow is one decoded row.
type sheetRow struct {
	row   int
	cells []planner.Cell // index 0 = column A
}

// Table returns a reader of the named sheet's table: it finds the header in
// the first SampleRows non-blank rows with DetectHeader (cells of merged
// ranges there all take the range's text, numbers their raw value, dates
// an ISO date) and names the columns with HeaderNames (header cells read as
// shown, except dates, which read as ISO dates "2010-04-01").
//
// The reader returns every later non-blank row, including notes and
// footnotes below the table (such as the Census Bureau's "Note: ..." and
// "Source: ..." lines): they are data rows for the importer to report, so
// that nothing is dropped silently. Below the header, a merged range keeps
// its value in its first cell only, as Excel stores it. Cells are typed:
// CellNumber for numbers, CellDate for numbers in a date or time format
// (Time in UTC, to the second, read with the workbook's 1900 or 1904 date
// system), CellBool, CellText for text, formula text results and error
// values like "#N/A"; formulas read as their cached value. Cell.Text of a
// number follows its number format when that is a plain pattern (General,
// 0, 0.00, #,##0, #,##0.00, percentages, and custom codes made of 0 # ? , .
// %: "308,745,538", "12.5%"); under other formats (currency, fractions,
// scientific) it is the shortest decimal that reads back as Number. Cell.Text
// of a date is ISO 8601, "2010-04-01", with " 15:04:05" when the format shows
// a time, whatever the cell's format: the importer sees one date form.
//
// Table loads the whole worksheet in memory (excelize's worksheet model,
// for cell types and styles): a damaged sheet, such as one whose XML is cut
// short, fails here, before any row is read, and the reader's Next never
// fails.
//
// Errors are *planner.Error: ENOTFOUND when the workbook has no such sheet,
// EINVALID when the sheet is empty or damaged; messages name the file and
// sheet, and the row after which a damaged sheet breaks off. Close the
// reader before the Workbook.
func (w *Workbook) Table(sheet string) (planner.TableReader, error) {
	var info SheetInfo
	found := false
	for _, s := range w.infos {
		if s.Name == sheet {
			info, found = s, true
		}
	}
	if !found {
		names := make([]string, len(w.infos))
		for i, s := range w.infos {
			names[i] = s.Name
		}
		return nil, planner.Errorf(planner.ENOTFOUND, "%s has no sheet named %q; its sheets are %s.", w.name, sheet, strings.Join(names, ", "))
	}
	source := fmt.Sprintf("%s, sheet %s", w.name, sheet)
	if info.Empty {
		return nil, planner.Errorf(planner.EINVALID, "%s is empty: there is nothing to import.", source)
	}
	if w.f == nil {
		return nil, planner.Errorf(planner.EINVALID, "%s cannot be read: the workbook is closed.", source)
	}
	grid, ok := w.grids[sheet]
	delete(w.grids, sheet)
	if !ok {
		var err error
		if grid, err = readGrid(w.f, sheet, w.name); err != nil {
			return nil, err
		}
	}
	// Loading the worksheet model reads the whole part strictly: the
	// streaming GetRows stops quietly where a damaged part breaks off.
	mc, err := w.f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, &planner.Error{Code: planner.EINVALID, Err: err, Message: fmt.Sprintf(
			"%s: the workbook is damaged after row %d and cannot be read. Open it in Excel or LibreOffice Calc "+
				"and save it again, or import a fresh export.", source, len(grid))}
	}
	var merges []mergeRange
	for _, m := range mc {
		if len(m) > 0 {
			if r, ok := parseRange(m[0]); ok {
				merges = append(merges, r)
			}
		}
	}
	t := &table{w: w, sheet: sheet, grid: grid, source: source, last: info.Rows, cols: info.Columns}
	if err := t.readHeader(merges); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// OpenTable opens the workbook at path and returns a reader of its sheet
// (DefaultSheet when sheet is ""); closing the reader closes the file. Errors
// are those of OpenWorkbook and Table.
func OpenTable(path, sheet string) (planner.TableReader, error) {
	w, err := OpenWorkbook(path)
	if err != nil {
		return nil, err
	}
	if sheet == "" {
		sheet = w.DefaultSheet()
	}
	t, err := w.Table(sheet)
	if err != nil {
		w.Close()
		return nil, err
	}
	t.(*table).owns = true
	return t, nil
}

// table is the planner.TableReader of one sheet.
type table struct {
	w         *Workbook
	sheet     string
	grid      [][]string // raw values, grid[i] is sheet row i+1; rows read are released
	next      int        // index in grid of the next row to decode
	source    string
	last      int // the sheet's last row (SheetInfo.Rows), for Progress
	cols      int // the sheet's last column (SheetInfo.Columns)
	header    []string
	headerRow int
	queue     []sheetRow // decoded rows after the header, read with the sample
	rec       []planner.Cell
	row       int // last row returned
	owns      bool
	done      bool
}

// readRow decodes the next row of the grid; ok is false at the end.
func (t *table) readRow() (sheetRow, bool, error) {
	if t.next >= len(t.grid) {
		return sheetRow{}, false, nil
	}
	if t.w.f == nil {
		return sheetRow{}, false, planner.Errorf(planner.EINVALID,
			"%s cannot be read: the workbook was closed before its table.", t.source)
	}
	i := t.next
	t.next++
	r := sheetRow{row: i + 1}
	vals := t.grid[i]
	t.grid[i] = nil
	for j, v := range vals {
		if v == "" || j >= maxColumns {
			continue
		}
		cell, err := t.w.decode(t.sheet, j+1, r.row, v)
		if err != nil {
			col, _ := excelize.ColumnNumberToName(j + 1)
			return r, false, &planner.Error{Code: planner.EINVALID, Err: err, Message: fmt.Sprintf(
				"%s, row %d, column %s: the cell cannot be read; the workbook is damaged.", t.source, r.row, col)}
		}
		if cell.Kind == planner.CellEmpty {
			continue
		}
		for len(r.cells) <= j {
			r.cells = append(r.cells, planner.Cell{})
		}
		r.cells[j] = cell
	}
	return r, true, nil
}

// blankRow reports whether a row holds no value but blank text.
func blankRow(cells []planner.Cell) bool {
	for _, c := range cells {
		if c.Kind != planner.CellEmpty && (c.Kind != planner.CellText || strings.TrimSpace(c.Text) != "") {
			return false
		}
	}
	return true
}

// readHeader reads the sample, finds the header and queues the data rows
// read with it.
func (t *table) readHeader(merges []mergeRange) error {
	var sample []sheetRow
	nonBlank := 0
	for nonBlank < SampleRows {
		r, ok, err := t.readRow()
		if err != nil {
			return err
		} else if !ok {
			break
		}
		if !blankRow(r.cells) {
			nonBlank++
		} else if nonBlank == 0 {
			continue
		}
		if nonBlank > 0 && len(sample) > 0 && r.row-sample[0].row >= sampleSpan {
			t.queue = append(t.queue, r)
			break
		}
		sample = append(sample, r)
	}
	if len(sample) == 0 {
		return planner.Errorf(planner.EINVALID, "%s is empty: there is nothing to import.", t.source)
	}
	// The grids: one row per sheet row from the first non-blank one.
	base := sample[0].row
	n := sample[len(sample)-1].row - base + 1
	values, texts := make([][]string, n), make([][]string, n)
	for _, r := range sample {
		i := r.row - base
		values[i], texts[i] = make([]string, len(r.cells)), make([]string, len(r.cells))
		for j, c := range r.cells {
			values[i][j], texts[i][j] = valueText(c), headerText(c)
		}
	}
	for _, m := range merges {
		i1, i2 := m.r1-base, min(m.r2-base, n-1)
		if i1 < 0 || i1 >= n || m.c1-1 >= len(values[i1]) {
			continue
		}
		v, tx := values[i1][m.c1-1], texts[i1][m.c1-1]
		if hdrBlank(v) {
			continue
		}
		c2 := min(m.c2, max(t.cols, m.c1), maxColumns)
		for i := i1; i <= i2; i++ {
			for len(values[i]) < c2 {
				values[i] = append(values[i], "")
				texts[i] = append(texts[i], "")
			}
			for j := m.c1 - 1; j < c2; j++ {
				values[i][j], texts[i][j] = v, tx
			}
		}
	}
	hi, hn := DetectHeader(values)
	if hi < 0 {
		return planner.Errorf(planner.EINVALID, "%s is empty: there is nothing to import.", t.source)
	}
	t.header = HeaderNames(texts, hi, hn)
	t.headerRow = base + hi
	var rest []sheetRow
	for _, r := range sample {
		if r.row >= base+hi+hn {
			rest = append(rest, r)
		}
	}
	t.queue = append(rest, t.queue...)
	return nil
}

// Source names the sheet in messages: "accounts.xlsx, sheet Export".
func (t *table) Source() string { return t.source }

// Header returns the column names (see HeaderNames); the caller must not
// modify the slice.
func (t *table) Header() []string { return t.header }

// HeaderRow is the sheet row number of the header's first row.
func (t *table) HeaderRow() int { return t.headerRow }

// Numbers is '.': a workbook stores numbers as numbers.
func (t *table) Numbers() planner.NumberFormat { return planner.NumberFormat{Decimal: '.'} }

// Next returns the next non-blank row after the header, with one Cell per
// header column (more when the row is longer); Record.Row is the sheet row.
// The Cells slice is reused by the next call.
func (t *table) Next() (planner.Record, error) {
	for {
		var r sheetRow
		if len(t.queue) > 0 {
			r, t.queue = t.queue[0], t.queue[1:]
		} else {
			if t.done {
				return planner.Record{}, io.EOF
			}
			var ok bool
			var err error
			if r, ok, err = t.readRow(); err != nil {
				t.done = true
				return planner.Record{}, err
			} else if !ok {
				t.done = true
				return planner.Record{}, io.EOF
			}
		}
		t.row = r.row
		if blankRow(r.cells) {
			continue
		}
		t.rec = append(t.rec[:0], r.cells...)
		for len(t.rec) < len(t.header) {
			t.rec = append(t.rec, planner.Cell{})
		}
		return planner.Record{Row: r.row, Cells: t.rec}, nil
	}
}

// Progress is the fraction of the sheet's rows read, 0 to 1.
func (t *table) Progress() float64 {
	if t.done || t.last <= 0 {
		return 1
	}
	return math.Min(1, float64(t.row)/float64(t.last))
}

// Close releases the sheet's values, and the workbook when OpenTable opened
// it.
func (t *table) Close() error {
	t.done = true
	t.queue = nil
	t.grid = nil
	if t.owns {
		return t.w.Close()
	}
	return nil
}
