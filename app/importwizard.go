package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
	"github.com/meridianplan/meridian/planner/geocode"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// This file is File > Import accounts…: a wizard in one dialog that reads a
// CSV or XLSX file of the user's accounts (step File: preview and how it was
// read), maps its columns to the standard fields (Mapping), reads every row
// in the background and lists the problems and likely duplicates
// (Problems), and merges the accounts into the open plan as one undoable
// edit written in one transaction (Import). The domain work is
// planner.ImportAccounts and planner.Plan.WithImport; the readers are
// planner/csvfile and planner/xlsx; geocoding is planner/geocode.

// The wizard's steps, in order.
const (
	importStepFile = iota
	importStepMapping
	importStepProblems
	importStepDone
)

// importPreviewRows is how many data rows the File step previews.
const importPreviewRows = 20

// importPreviewChars is the most characters of a cell the preview shows.
const importPreviewChars = 60

// importNone is the mapping choice of no column.
const importNone = "(none)"

// importCountries are the default-country choices offered for geocoding
// (any ISO code or English name may be typed).
var importCountries = []string{"US", "CA", "MX", "GB", "IE", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "PL", "RO", "SE", "AU", "NZ", "IN", "JP", "BR"}

// importResolutions are the duplicate choices, in planner.Resolution order.
var importResolutions = []string{"Keep all", "Merge", "Skip later rows"}

// Choices of the Problems step for the rows with errors.
const (
	importSkipBad    = "Skip rows with errors"
	importKeepBad    = "Import them without a location"
	importDelimComma = "Comma ,"
)

// importSource is what the File step read of a file: how it was read, its
// header and the first data rows.
type importSource struct {
	path      string
	xlsx      bool
	dialect   csvfile.Dialect  // CSV: how the file is read
	sheets    []xlsx.SheetInfo // XLSX: the workbook's sheets
	sheet     string           // XLSX: the sheet read
	source    string           // TableReader.Source
	header    []string         // column names
	headerRow int              // 1-based row (line) of the header
	rows      [][]string       // the first data rows' cell texts, one per header column
	rowNums   []int            // the file row of each of rows
	numbers   planner.NumberFormat
}

// importWizard is the state and widgets of one File > Import accounts…
// dialog. Every method runs on the UI thread unless it says otherwise.
type importWizard struct {
	m    *Meridian
	dlg  dialog.Dialog
	step int

	title              *widget.Label
	body               *fyne.Container // holds the current step's content
	buttons            *fyne.Container // Cancel, Back, Next
	back, next, cancel *widget.Button
	steps              [importStepDone + 1]fyne.CanvasObject

	// File step.
	src       *importSource // nil until a file was read
	loadGen   int           // bumped per preview load; stale loads are dropped
	pathLabel *widget.Label
	readLabel *widget.Label // how the file was read
	errLabel  *widget.Label // why the file cannot be read
	csvForm   *fyne.Container
	xlsxForm  *fyne.Container
	encSel    *widget.Select
	delimSel  *widget.Select
	endSel    *widget.Select
	decSel    *widget.Select
	sheetSel  *widget.Select
	headerLbl *widget.Label
	preview   *widget.Table
	quiet     bool // set while selects are filled in code

	// Mapping step.
	mapping    planner.Mapping
	mapHeader  []string // the header the mapping was made for
	options    []string // importNone, then one unique label per column
	fieldSels  [planner.NumFields]*widget.Select
	fieldEgs   [planner.NumFields]*widget.Label
	customLbl  *widget.Label
	mapErr     *widget.Label
	countrySel *widget.SelectEntry
	mappingBox *fyne.Container

	// Problems step.
	res       *planner.ImportResult
	skipBad   bool
	errorRows map[int]bool // rows with a SeverityError problem
	counts    *widget.Label
	skipRadio *widget.RadioGroup
	problems  *widget.Table
	dupList   *widget.List
	dupLabel  *widget.Label
	dupAll    *widget.Select

	// Import step.
	summary *widget.Label
	report  planner.MergeReport

	// hook, when set, is called on the UI thread after a preview load ends
	// (tests wait on it).
	hook func(err error)
	// beforeImport and beforeWrite, when set, are called off the UI thread
	// before the rows are read and before the plan file is written (tests
	// cancel there).
	beforeImport, beforeWrite func(ctx context.Context)
}

// showImportAccounts opens the import wizard (File > Import accounts…) for
// the open plan; it does nothing without one.
func (m *Meridian) showImportAccounts() {
	if m.session == nil {
		return
	}
	w := m.newImportWizard()
	w.dlg.Show()
}

// showImportAccountsFile opens the import wizard on the file at path (a
// .csv, .txt or .xlsx file), which it starts reading at once: for tests and
// screenshots (MERIDIAN_IMPORT). It does nothing without an open plan.
func (m *Meridian) showImportAccountsFile(path string) {
	if m.session == nil {
		return
	}
	w := m.newImportWizard()
	w.dlg.Show()
	w.openFile(path)
}

// newImportWizard builds the wizard's dialog on the File step, not shown.
func (m *Meridian) newImportWizard() *importWizard {
	w := &importWizard{m: m, mapping: planner.NoMapping()}
	w.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.back = widget.NewButton("Back", w.goBack)
	w.next = widget.NewButton("Next", w.goNext)
	w.next.Importance = widget.HighImportance
	w.cancel = widget.NewButton("Cancel", func() { w.dlg.Hide() })
	w.steps[importStepFile] = w.fileStep()
	w.steps[importStepMapping] = w.mappingStep()
	w.steps[importStepProblems] = w.problemsStep()
	w.steps[importStepDone] = w.doneStep()
	w.body = container.NewStack()
	w.buttons = container.NewHBox(layout.NewSpacer(), w.cancel, w.back, w.next)
	content := container.NewBorder(w.title, w.buttons, nil, nil, w.body)
	w.dlg = dialog.NewCustomWithoutButtons("Import accounts", content, m.win)
	w.dlg.Resize(fyne.NewSize(1040, 740))
	w.setStep(importStepFile)
	return w
}

// setStep shows step i.
func (w *importWizard) setStep(i int) {
	w.step = i
	titles := [...]string{
		"1 of 4 · File: choose a CSV or Excel file and check how it was read",
		"2 of 4 · Columns: which column fills each field",
		"3 of 4 · Problems: what was read, and what could not be used",
		"4 of 4 · Imported",
	}
	w.title.SetText(titles[i])
	w.body.Objects = []fyne.CanvasObject{w.steps[i]}
	w.body.Refresh()
	w.back.Show()
	w.next.Show()
	w.cancel.SetText("Cancel")
	switch i {
	case importStepFile:
		w.back.Disable()
		w.next.SetText("Next")
		setEnabled(w.next, w.src != nil)
	case importStepMapping:
		w.back.Enable()
		w.next.SetText("Read all rows")
		w.mappingChanged()
	case importStepProblems:
		w.back.Enable()
		w.next.SetText("Import")
		w.next.Enable()
	case importStepDone:
		w.back.Hide()
		w.next.Hide()
		w.cancel.SetText("Close")
	}
	w.buttons.Refresh() // the buttons' texts and visibility changed
}

// setNote shows text in l, or hides l when text is "" (so that an empty
// message takes no room).
func setNote(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

func (w *importWizard) goBack() {
	if w.step > importStepFile && w.step < importStepDone {
		w.setStep(w.step - 1)
	}
}

func (w *importWizard) goNext() {
	switch w.step {
	case importStepFile:
		if w.src != nil {
			w.setStep(importStepMapping)
		}
	case importStepMapping:
		w.runImport()
	case importStepProblems:
		w.apply()
	}
}

// ---- Step 1: File ----

func (w *importWizard) fileStep() fyne.CanvasObject {
	w.pathLabel = widget.NewLabel("No file chosen.")
	w.pathLabel.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButton("Choose file…", w.browse)
	w.readLabel = widget.NewLabel("")
	w.readLabel.Wrapping = fyne.TextWrapWord
	w.errLabel = widget.NewLabel("")
	w.errLabel.Wrapping = fyne.TextWrapWord
	w.errLabel.Importance = widget.DangerImportance
	w.errLabel.Hide()

	encodings := []string{}
	for _, e := range importEncodings {
		encodings = append(encodings, e.String())
	}
	w.encSel = widget.NewSelect(encodings, func(string) { w.dialectChanged() })
	w.delimSel = widget.NewSelect(nil, func(string) { w.dialectChanged() })
	w.endSel = widget.NewSelect([]string{"LF (Unix, macOS)", "CRLF (Windows)", "CR only (old Mac)"}, func(string) { w.dialectChanged() })
	w.decSel = widget.NewSelect(nil, func(string) { w.dialectChanged() })
	w.csvForm = container.NewGridWithColumns(4,
		widget.NewForm(widget.NewFormItem("Encoding", w.encSel)),
		widget.NewForm(widget.NewFormItem("Delimiter", w.delimSel)),
		widget.NewForm(widget.NewFormItem("Line endings", w.endSel)),
		widget.NewForm(widget.NewFormItem("Numbers", w.decSel)))
	w.csvForm.Hide()
	w.sheetSel = widget.NewSelect(nil, func(string) { w.sheetChanged() })
	w.headerLbl = widget.NewLabel("")
	w.xlsxForm = container.NewHBox(widget.NewForm(widget.NewFormItem("Sheet", w.sheetSel)), w.headerLbl)
	w.xlsxForm.Hide()

	w.preview = importTable(
		func() []string {
			if w.src == nil {
				return nil
			}
			return append([]string{"Row"}, w.src.header...)
		},
		func() int {
			if w.src == nil {
				return 0
			}
			return len(w.src.rows)
		},
		w.previewText)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, choose, w.pathLabel),
		w.errLabel, w.csvForm, w.xlsxForm, w.readLabel,
		widget.NewLabelWithStyle(fmt.Sprintf("Preview: the first %d rows under the header", importPreviewRows), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	return container.NewBorder(top, nil, nil, nil, w.preview)
}

// previewText is the preview's cell (row r, column c; column 0 is the file
// row number).
func (w *importWizard) previewText(r, c int) string {
	if w.src == nil || r >= len(w.src.rows) {
		return ""
	}
	if c == 0 {
		return strconv.Itoa(w.src.rowNums[r])
	}
	if c-1 < len(w.src.rows[r]) {
		return w.src.rows[r][c-1]
	}
	return ""
}

// importEncodings are the encoding choices, in csvfile.Encoding order.
var importEncodings = []csvfile.Encoding{csvfile.UTF8, csvfile.UTF8BOM, csvfile.UTF16LE, csvfile.UTF16BE, csvfile.Windows1252}

// importDelimiters are the delimiter choices.
var importDelimiters = []struct {
	r     rune
	label string
}{{',', importDelimComma}, {';', "Semicolon ;"}, {'\t', "Tab"}, {'|', "Pipe |"}}

// importNumberFormats are the number format choices.
var importNumberFormats = []planner.NumberFormat{{Decimal: '.', Group: ','}, {Decimal: ',', Group: '.'}, {Decimal: ',', Group: ' '}, {Decimal: '.', Group: 0}, {Decimal: ',', Group: 0}}

// numberLabel shows a number format by example: "1,234.5".
func numberLabel(f planner.NumberFormat) string {
	dec := f.Decimal
	if dec == 0 {
		dec = '.'
	}
	switch f.Group {
	case 0:
		return "1234" + string(dec) + "5 (no groups)"
	case ' ':
		return "1 234" + string(dec) + "5"
	}
	return "1" + string(f.Group) + "234" + string(dec) + "5"
}

// browse picks the file with Fyne's file dialog.
func (w *importWizard) browse() {
	w.m.pickFile([]string{".csv", ".txt", ".tsv", ".xlsx", ".xls"}, w.openFile)
}

// openFile reads the file at path (sniffed as it is) for the preview.
func (w *importWizard) openFile(path string) {
	w.pathLabel.SetText(path)
	w.load(path, nil, "")
}

// dialectChanged re-reads the CSV preview with the dialect the selects
// show.
func (w *importWizard) dialectChanged() {
	if w.quiet || w.src == nil || w.src.xlsx {
		return
	}
	d := w.src.dialect
	if i := w.encSel.SelectedIndex(); i >= 0 {
		d.Encoding = importEncodings[i]
	}
	for _, o := range w.delimOptions(w.src.dialect.Delimiter) {
		if o.label == w.delimSel.Selected {
			d.Delimiter = o.r
		}
	}
	if i := w.endSel.SelectedIndex(); i >= 0 {
		d.LineEnding = csvfile.LineEnding(i)
	}
	for _, f := range importNumberFormats {
		if numberLabel(f) == w.decSel.Selected {
			d.Numbers = f
		}
	}
	w.load(w.src.path, &d, "")
}

// sheetChanged reads the chosen sheet; an empty sheet is refused.
func (w *importWizard) sheetChanged() {
	if w.quiet || w.src == nil || !w.src.xlsx {
		return
	}
	i := w.sheetSel.SelectedIndex()
	if i < 0 || i >= len(w.src.sheets) {
		return
	}
	s := w.src.sheets[i]
	if s.Empty {
		setNote(w.errLabel, fmt.Sprintf("Sheet %s is empty: choose another sheet.", s.Name))
		w.fillSelects()
		return
	}
	w.load(w.src.path, nil, s.Name)
}

// load reads the preview in the background: with dialect d when not nil
// (CSV), or sheet when not "" (XLSX).
func (w *importWizard) load(path string, d *csvfile.Dialect, sheet string) {
	w.loadGen++
	gen := w.loadGen
	w.next.Disable()
	w.readLabel.SetText("Reading " + filepath.Base(path) + "…")
	w.m.tasks.Add(1)
	go func() {
		defer w.m.tasks.Done()
		src, err := readImportPreview(path, d, sheet)
		fyne.Do(func() {
			if gen != w.loadGen {
				return
			}
			if err != nil && (d != nil || sheet != "") && w.src != nil && w.src.path == path {
				// A changed choice could not read the file: keep the
				// preview as it was read before, and its choices.
				setNote(w.errLabel, planner.ErrorMessage(err))
				w.showSource()
				w.m.showError(err)
			} else if err != nil {
				w.src = nil
				setNote(w.errLabel, planner.ErrorMessage(err))
				w.readLabel.SetText("")
				w.csvForm.Hide()
				w.xlsxForm.Hide()
				w.preview.Refresh()
				w.m.showError(err)
			} else {
				w.src = src
				setNote(w.errLabel, "")
				w.showSource()
			}
			setEnabled(w.next, w.src != nil && w.step == importStepFile)
			w.steps[importStepFile].Refresh() // lay out the forms just shown or hidden
			if w.hook != nil {
				w.hook(err)
			}
		})
	}()
}

// showSource shows how the file was read and its preview.
func (w *importWizard) showSource() {
	src := w.src
	if src.xlsx {
		w.csvForm.Hide()
		w.xlsxForm.Show()
		w.headerLbl.SetText(fmt.Sprintf("Header in row %d, %d columns", src.headerRow, len(src.header)))
		w.readLabel.SetText(fmt.Sprintf("How it was read: %s; header in row %d; %d columns; numbers and dates as stored in the workbook.",
			src.source, src.headerRow, len(src.header)))
	} else {
		w.xlsxForm.Hide()
		w.csvForm.Show()
		w.readLabel.SetText(fmt.Sprintf("How it was read: %s; header on line %d; %d columns. Change any choice above if the preview looks wrong.",
			src.dialect, src.headerRow, len(src.header)))
	}
	w.fillSelects()
	w.preview.Refresh()
	w.preview.ScrollToTop()
	for c := range len(src.header) + 1 {
		width := float32(60)
		if c > 0 {
			width = 140
		}
		w.preview.SetColumnWidth(c, width)
	}
}

// delimOptions are the delimiter choices, with the file's own when it is
// none of the usual ones.
func (w *importWizard) delimOptions(own rune) []struct {
	r     rune
	label string
} {
	opts := importDelimiters
	for _, o := range opts {
		if o.r == own {
			return opts
		}
	}
	return append(opts[:len(opts):len(opts)], struct {
		r     rune
		label string
	}{own, fmt.Sprintf("%q", own)})
}

// fillSelects sets the File step's selects to how the file was read.
func (w *importWizard) fillSelects() {
	w.quiet = true
	defer func() { w.quiet = false }()
	src := w.src
	if src.xlsx {
		opts := make([]string, len(src.sheets))
		for i, s := range src.sheets {
			switch {
			case s.Empty:
				opts[i] = s.Name + " (empty)"
			default:
				opts[i] = fmt.Sprintf("%s (%s rows)", s.Name, formatCount(float64(s.Rows)))
			}
			if s.Hidden {
				opts[i] += ", hidden"
			}
		}
		w.sheetSel.SetOptions(opts)
		for i, s := range src.sheets {
			if s.Name == src.sheet {
				w.sheetSel.SetSelectedIndex(i)
			}
		}
		return
	}
	d := src.dialect
	w.encSel.SetSelected(d.Encoding.String())
	var delims []string
	for _, o := range w.delimOptions(d.Delimiter) {
		delims = append(delims, o.label)
		if o.r == d.Delimiter {
			defer w.delimSel.SetSelected(o.label)
		}
	}
	w.delimSel.SetOptions(delims)
	w.endSel.SetSelectedIndex(int(d.LineEnding))
	var nums []string
	for _, f := range importNumberFormats {
		nums = append(nums, numberLabel(f))
	}
	if !containsNumberFormat(d.Numbers) {
		nums = append(nums, numberLabel(d.Numbers))
	}
	w.decSel.SetOptions(nums)
	w.decSel.SetSelected(numberLabel(d.Numbers))
}

func containsNumberFormat(f planner.NumberFormat) bool {
	for _, g := range importNumberFormats {
		if g == f {
			return true
		}
	}
	return false
}

// readImportPreview reads the header and the first importPreviewRows data
// rows of the file at path: an .xls or .xlsx file as a workbook (sheet, or
// its DefaultSheet when ""), anything else as CSV (with dialect d, or
// sniffed when nil). Errors are the readers' *planner.Error values, whose
// messages name the file (and sheet, and row). It runs off the UI thread.
func readImportPreview(path string, d *csvfile.Dialect, sheet string) (*importSource, error) {
	src := &importSource{path: path}
	var r planner.TableReader
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls" && !csvfile.IsTextFile(path):
		// A text file named .xls (a CRM's CSV export) is read as CSV.
		src.xlsx = true
		wb, err := xlsx.OpenWorkbook(path)
		if err != nil {
			return nil, err
		}
		defer wb.Close()
		src.sheets = wb.Sheets()
		if sheet == "" {
			sheet = wb.DefaultSheet()
		}
		src.sheet = sheet
		t, err := wb.Table(sheet)
		if err != nil {
			return nil, err
		}
		r = t
	default:
		var cr *csvfile.Reader
		var err error
		if d != nil {
			cr, err = csvfile.OpenWith(path, *d)
		} else {
			cr, err = csvfile.Open(path)
		}
		if err != nil {
			return nil, err
		}
		src.dialect = cr.Dialect()
		r = cr
	}
	defer r.Close()
	src.source, src.header, src.headerRow, src.numbers = r.Source(), r.Header(), r.HeaderRow(), r.Numbers()
	for len(src.rows) < importPreviewRows {
		rec, err := r.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		row := make([]string, len(src.header))
		for c := range row {
			if c < len(rec.Cells) {
				row[c] = previewCell(rec.Cells[c])
			}
		}
		src.rows = append(src.rows, row)
		src.rowNums = append(src.rowNums, rec.Row)
	}
	return src, nil
}

// previewCell is a cell's text as the preview shows it, cut to
// importPreviewChars characters on one line.
func previewCell(c planner.Cell) string {
	s := c.Text
	if s == "" && c.Kind == planner.CellNumber {
		s = strconv.FormatFloat(c.Number, 'f', -1, 64)
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > importPreviewChars {
		s = string([]rune(s)[:importPreviewChars-1]) + "…"
	}
	return s
}

// openImportTable opens src's table for reading every row.
func openImportTable(src *importSource) (planner.TableReader, error) {
	if src.xlsx {
		return xlsx.OpenTable(src.path, src.sheet)
	}
	return csvfile.OpenWith(src.path, src.dialect)
}

// ---- Step 2: Mapping ----

func (w *importWizard) mappingStep() fyne.CanvasObject {
	w.mappingBox = container.NewGridWithColumns(3)
	for f := planner.Field(0); f < planner.NumFields; f++ {
		f := f
		w.fieldSels[f] = widget.NewSelect(nil, func(string) {
			if !w.quiet {
				w.mapping[f] = w.columnOf(w.fieldSels[f].Selected)
				w.mappingChanged()
			}
		})
		w.fieldEgs[f] = widget.NewLabel("")
		w.fieldEgs[f].Truncation = fyne.TextTruncateEllipsis
		label := f.String()
		switch f {
		case planner.FieldPotential:
			label = "Potential (balanced)"
		case planner.FieldCountry:
			label = "Country (geocoding)"
		}
		w.mappingBox.Add(widget.NewLabel(label))
		w.mappingBox.Add(w.fieldSels[f])
		w.mappingBox.Add(w.fieldEgs[f])
	}
	w.customLbl = widget.NewLabel("")
	w.customLbl.Wrapping = fyne.TextWrapWord
	w.mapErr = widget.NewLabel("")
	w.mapErr.Wrapping = fyne.TextWrapWord
	w.mapErr.Importance = widget.DangerImportance
	w.mapErr.Hide()
	w.countrySel = widget.NewSelectEntry(importCountries)
	w.countrySel.SetText("US")
	if s := w.m.session; s != nil {
		if c := s.plan.DefaultCountry(); c != "" {
			w.countrySel.SetText(c) // e.g. RO for a plan on Romania's counties
		}
	}
	country := container.NewHBox(widget.NewLabel("Default country for addresses without one:"), container.NewGridWrap(fyne.NewSize(120, w.countrySel.MinSize().Height), w.countrySel))
	head := container.NewGridWithColumns(3, widget.NewLabelWithStyle("Field", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Column of the file", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("First value", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	bottom := container.NewVBox(w.mapErr, country, w.customLbl)
	return container.NewBorder(head, bottom, nil, nil, container.NewVScroll(w.mappingBox))
}

// columnOf returns the column index of a mapping select's choice, -1 for
// importNone.
func (w *importWizard) columnOf(choice string) int {
	for i, o := range w.options {
		if o == choice {
			return i - 1
		}
	}
	return -1
}

// refreshMapping fills the mapping selects for the file's header: the guess
// of GuessMapping for a new header, the user's choices otherwise.
func (w *importWizard) refreshMapping() {
	header := w.src.header
	if !equalStrings(header, w.mapHeader) {
		w.mapHeader = append([]string(nil), header...)
		w.mapping = planner.GuessMapping(header)
	}
	w.options = importColumnOptions(header)
	w.quiet = true
	for f := range w.fieldSels {
		w.fieldSels[f].SetOptions(w.options)
		w.fieldSels[f].SetSelected(w.options[w.mapping[f]+1])
	}
	w.quiet = false
}

// importColumnOptions returns importNone and then one label per column:
// its name, with " (column N)" when another column has the same name.
func importColumnOptions(header []string) []string {
	seen := map[string]int{}
	for _, h := range header {
		seen[h]++
	}
	opts := []string{importNone}
	for i, h := range header {
		if seen[h] > 1 || h == importNone {
			h = fmt.Sprintf("%s (column %d)", h, i+1)
		}
		opts = append(opts, h)
	}
	return opts
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// mappingChanged shows the first value of each mapped column, the columns
// kept as custom fields, and whether the mapping can be used.
func (w *importWizard) mappingChanged() {
	if w.src == nil {
		return
	}
	if !equalStrings(w.src.header, w.mapHeader) || len(w.options) != len(w.src.header)+1 {
		w.refreshMapping()
	}
	for f, c := range w.mapping {
		eg := ""
		if c >= 0 {
			eg = w.firstValue(c)
		}
		w.fieldEgs[f].SetText(eg)
	}
	kept := importCustomColumns(w.src.header, w.mapping)
	if len(kept) == 0 {
		w.customLbl.SetText("Every column fills a field: no custom fields.")
	} else {
		w.customLbl.SetText(fmt.Sprintf("Kept as custom fields (%d, visible and exported with the accounts): %s", len(kept), strings.Join(kept, ", ")))
	}
	err := w.mapping.Check(len(w.src.header))
	if err != nil {
		setNote(w.mapErr, planner.ErrorMessage(err))
	} else {
		setNote(w.mapErr, "")
	}
	if w.step == importStepMapping {
		setEnabled(w.next, err == nil)
	}
	w.steps[importStepMapping].Refresh() // the notes' heights changed
}

// firstValue is the first non-empty preview value of column c, quoted.
func (w *importWizard) firstValue(c int) string {
	for _, r := range w.src.rows {
		if c < len(r) && strings.TrimSpace(r[c]) != "" {
			return "e.g. " + r[c]
		}
	}
	return "(empty in the first rows)"
}

// importCustomColumns lists the columns of header that planner.ImportAccounts
// keeps as custom fields under mapping m: those that fill no Account field
// (country, employees and revenue are kept as custom fields too).
func importCustomColumns(header []string, m planner.Mapping) []string {
	used := make([]bool, len(header))
	for f, c := range m {
		switch planner.Field(f) {
		case planner.FieldCountry, planner.FieldEmployees, planner.FieldRevenue:
			continue
		}
		if c >= 0 && c < len(header) {
			used[c] = true
		}
	}
	var kept []string
	for c, h := range header {
		if !used[c] {
			kept = append(kept, h)
		}
	}
	return kept
}

// ---- Step 3: Problems ----

// runImport reads every row in the background (progress bar and Cancel),
// then shows the Problems step; a cancelled read stays on the Mapping step
// and changes nothing.
func (w *importWizard) runImport() {
	m, src, mapping := w.m, w.src, w.mapping
	if m.session == nil || src == nil {
		return
	}
	if err := mapping.Check(len(src.header)); err != nil {
		m.showError(err)
		return
	}
	country := strings.TrimSpace(w.countrySel.Text)
	units := m.session.plan.Units
	before := w.beforeImport
	var res *planner.ImportResult
	m.runTask("Reading "+filepath.Base(src.path)+"…", func(ctx context.Context, progress func(float64)) error {
		if before != nil {
			before(ctx)
		}
		gc, err := geocode.New(country)
		if err != nil {
			return err
		}
		progress(0.02)
		loc := planner.NewLocator(units, planner.DefaultSnapKm)
		r, err := openImportTable(src)
		if err != nil {
			return err
		}
		defer r.Close()
		res, err = planner.ImportAccounts(ctx, r, planner.ImportOptions{
			Mapping:  mapping,
			Geocoder: gc,
			Locate:   loc.Locate,
			Progress: func(f float64) { progress(0.02 + 0.98*f) },
		})
		return err
	}, func() { w.showResult(res) })
}

// showResult shows what ImportAccounts read.
func (w *importWizard) showResult(res *planner.ImportResult) {
	w.res = res
	w.errorRows = map[int]bool{}
	for _, p := range res.Problems {
		if p.Severity == planner.SeverityError {
			w.errorRows[p.Row] = true
		}
	}
	w.quiet = true
	w.skipRadio.Options = []string{
		fmt.Sprintf("%s (%s rows)", importSkipBad, formatCount(float64(res.ErrorRows))),
		importKeepBad,
	}
	w.skipRadio.SetSelected(w.skipRadio.Options[1])
	w.skipBad = false
	w.dupAll.ClearSelected()
	w.quiet = false
	w.skipRadio.Refresh()
	w.problems.Refresh()
	w.problems.ScrollToTop()
	w.dupList.Refresh()
	w.refreshCounts()
	w.setStep(importStepProblems)
}

func (w *importWizard) problemsStep() fyne.CanvasObject {
	w.counts = widget.NewLabel("")
	w.counts.Wrapping = fyne.TextWrapWord
	w.skipRadio = widget.NewRadioGroup([]string{importSkipBad, importKeepBad}, func(s string) {
		if w.quiet {
			return
		}
		w.skipBad = strings.HasPrefix(s, importSkipBad)
		w.refreshCounts()
	})
	w.skipRadio.Horizontal = true
	w.skipRadio.Required = true
	problemCols := []string{"Row", "Column", "Value", "Severity", "Problem"}
	w.problems = importTable(func() []string { return problemCols },
		func() int {
			if w.res == nil {
				return 0
			}
			return len(w.res.Problems)
		},
		w.problemText)
	for c, width := range []float32{60, 140, 160, 80, 520} {
		w.problems.SetColumnWidth(c, width)
	}
	save := widget.NewButton("Save problem report…", w.saveReport)

	w.dupLabel = widget.NewLabel("")
	w.dupAll = widget.NewSelect(importResolutions, func(s string) {
		if w.quiet || w.res == nil {
			return
		}
		r := planner.Resolution(indexOf(importResolutions, s))
		for i := range w.res.Duplicates {
			w.res.Duplicates[i].Resolution = r
		}
		w.dupList.Refresh()
		w.refreshCounts()
	})
	w.dupAll.PlaceHolder = "Set every group…"
	w.dupList = widget.NewList(
		func() int {
			if w.res == nil {
				return 0
			}
			return len(w.res.Duplicates)
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewSelect(importResolutions, nil), l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			l, sel := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Select)
			l.SetText(w.duplicateText(id))
			sel.OnChanged = nil
			sel.SetSelectedIndex(int(w.res.Duplicates[id].Resolution))
			sel.OnChanged = func(s string) {
				if id < len(w.res.Duplicates) {
					w.res.Duplicates[id].Resolution = planner.Resolution(indexOf(importResolutions, s))
					w.refreshCounts()
				}
			}
		})
	problemsBox := container.NewBorder(
		container.NewBorder(nil, nil, widget.NewLabelWithStyle("Problems", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), save),
		nil, nil, nil, w.problems)
	dupBox := container.NewBorder(
		container.NewBorder(nil, nil, w.dupLabel, w.dupAll), nil, nil, nil, w.dupList)
	split := container.NewVSplit(problemsBox, dupBox)
	split.Offset = 0.62
	top := container.NewVBox(w.counts,
		container.NewHBox(widget.NewLabel("Rows with errors:"), w.skipRadio))
	return container.NewBorder(top, nil, nil, nil, split)
}

func indexOf(opts []string, s string) int {
	for i, o := range opts {
		if o == s {
			return i
		}
	}
	return 0
}

// problemText is the problem table's cell (row r, column c).
func (w *importWizard) problemText(r, c int) string {
	if w.res == nil || r >= len(w.res.Problems) {
		return ""
	}
	p := w.res.Problems[r]
	switch c {
	case 0:
		return strconv.Itoa(p.Row)
	case 1:
		if p.Column == "" {
			return "(row)"
		}
		return p.Column
	case 2:
		return p.Value
	case 3:
		return p.Severity.String()
	}
	return p.Reason
}

// duplicateText describes duplicate group i: its rows, why, and the name.
func (w *importWizard) duplicateText(i int) string {
	g := w.res.Duplicates[i]
	rows := make([]string, 0, min(len(g.Accounts), 6))
	for k, a := range g.Accounts {
		if k == 5 {
			rows = append(rows, fmt.Sprintf("and %d more", len(g.Accounts)-5))
			break
		}
		rows = append(rows, strconv.Itoa(w.res.AccountRows[a]))
	}
	name := ""
	if len(g.Accounts) > 0 {
		name = w.res.Accounts[g.Accounts[0]].Name
	}
	return fmt.Sprintf("Rows %s (%s): %s", strings.Join(rows, ", "), g.Reason, name)
}

// importCounts is what the Problems step counts of the accounts to import
// under the current choices.
type importCounts struct {
	accounts   int // accounts read and not skipped
	toImport   int // after the duplicate resolutions
	matches    [planner.MatchPoint + 1]int
	placements [planner.PlacedNearest + 1]int
}

// countResult counts the accounts of res that are imported when the rows
// of errorRows are skipped (skip) and duplicates resolved as res says.
func countResult(res *planner.ImportResult, errorRows map[int]bool, skip bool) importCounts {
	var n importCounts
	kept := func(i int) bool { return !skip || !errorRows[res.AccountRows[i]] }
	for i := range res.Accounts {
		if !kept(i) {
			continue
		}
		n.accounts++
		n.matches[res.Levels[i]]++
		if pl := res.Accounts[i].Placement; int(pl) < len(n.placements) {
			n.placements[pl]++
		}
	}
	n.toImport = n.accounts
	for _, g := range res.Duplicates {
		if g.Resolution == planner.KeepAll {
			continue
		}
		k := 0
		for _, i := range g.Accounts {
			if kept(i) {
				k++
			}
		}
		if k > 1 {
			n.toImport -= k - 1
		}
	}
	return n
}

// refreshCounts shows the counts of the Problems step.
func (w *importWizard) refreshCounts() {
	res := w.res
	if res == nil {
		return
	}
	n := countResult(res, w.errorRows, w.skipBad)
	var b strings.Builder
	fmt.Fprintf(&b, "Read %s rows from %s: %s accounts", formatCount(float64(res.Rows)), res.Source, formatCount(float64(n.accounts)))
	if w.skipBad && res.ErrorRows > 0 {
		fmt.Fprintf(&b, " (%s rows with errors skipped)", formatCount(float64(res.ErrorRows)))
	} else if res.ErrorRows > 0 {
		fmt.Fprintf(&b, " (%s rows with errors imported without a location or under their ID)", formatCount(float64(res.ErrorRows)))
	}
	fmt.Fprintf(&b, "; %s to import after duplicates.\n", formatCount(float64(n.toImport)))
	fmt.Fprintf(&b, "Located by: exact point %s · postal code %s · city %s · none %s.\n",
		formatCount(float64(n.matches[planner.MatchPoint])), formatCount(float64(n.matches[planner.MatchPostal])),
		formatCount(float64(n.matches[planner.MatchCity])), formatCount(float64(n.matches[planner.MatchNone])))
	fmt.Fprintf(&b, "Placed in a unit: %s inside · %s within %g km of one · %s in none.\n",
		formatCount(float64(n.placements[planner.PlacedInside])), formatCount(float64(n.placements[planner.PlacedNearest])),
		float64(planner.DefaultSnapKm), formatCount(float64(n.placements[planner.PlacedNone])))
	fmt.Fprintf(&b, "%s problems (%s rows with errors).", formatCount(float64(len(res.Problems))), formatCount(float64(res.ErrorRows)))
	w.counts.SetText(b.String())
	w.dupLabel.SetText(fmt.Sprintf("Likely duplicates: %s groups", formatCount(float64(len(res.Duplicates)))))
}

// saveReport writes the problem list as CSV (planner.WriteProblemsCSV).
func (w *importWizard) saveReport() {
	res := w.res
	if res == nil {
		return
	}
	base := strings.TrimSuffix(filepath.Base(w.src.path), filepath.Ext(w.src.path))
	w.m.chooseSavePath("Save problem report", "Save", base+" problems.csv", ".csv", w.reportFolder(), func(path string) {
		if err := writeProblemReport(path, res.Problems); err != nil {
			w.m.showError(err)
			return
		}
		w.m.setStatus(fmt.Sprintf("Saved %s problems to %s.", formatCount(float64(len(res.Problems))), path))
	})
}

// reportFolder is where the problem report is offered: beside the file.
func (w *importWizard) reportFolder() string {
	if w.src != nil {
		return filepath.Dir(w.src.path)
	}
	return w.m.saveFolder()
}

// writeProblemReport writes problems as CSV to path, through a temporary
// file renamed into place, so that a failed write leaves an existing file
// as it was. Errors are *planner.Error (EIO) naming the file.
func writeProblemReport(path string, problems []planner.Problem) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".meridian-report-*.csv")
	if err != nil {
		return &planner.Error{Code: planner.EIO, Message: "Could not save " + path, Err: err}
	}
	err = planner.WriteProblemsCSV(tmp, problems)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return &planner.Error{Code: planner.EIO, Message: "Could not save " + path, Err: err}
	}
	return nil
}

// effectiveResult returns res without the accounts of the rows with errors
// when skip is set (duplicate groups renumbered, groups left with one
// account dropped), or res itself. res is not changed.
func effectiveResult(res *planner.ImportResult, errorRows map[int]bool, skip bool) *planner.ImportResult {
	if !skip || len(errorRows) == 0 {
		return res
	}
	out := *res
	out.Accounts, out.AccountRows, out.Levels = nil, nil, nil
	out.Matches, out.Placements = [planner.MatchPoint + 1]int{}, [planner.PlacedNearest + 1]int{}
	newIndex := make([]int, len(res.Accounts))
	for i := range res.Accounts {
		if errorRows[res.AccountRows[i]] {
			newIndex[i] = -1
			continue
		}
		newIndex[i] = len(out.Accounts)
		out.Accounts = append(out.Accounts, res.Accounts[i])
		out.AccountRows = append(out.AccountRows, res.AccountRows[i])
		out.Levels = append(out.Levels, res.Levels[i])
		out.Matches[res.Levels[i]]++
		if pl := res.Accounts[i].Placement; int(pl) < len(out.Placements) {
			out.Placements[pl]++
		}
	}
	out.Skipped = res.ErrorRows
	out.Duplicates = nil
	for _, g := range res.Duplicates {
		ng := planner.DuplicateGroup{Reason: g.Reason, Resolution: g.Resolution}
		for _, i := range g.Accounts {
			if newIndex[i] >= 0 {
				ng.Accounts = append(ng.Accounts, newIndex[i])
			}
		}
		if len(ng.Accounts) > 1 {
			out.Duplicates = append(out.Duplicates, ng)
		}
	}
	return &out
}

// ---- Step 4: Import ----

func (w *importWizard) doneStep() fyne.CanvasObject {
	w.summary = widget.NewLabel("")
	w.summary.Wrapping = fyne.TextWrapWord
	return container.NewVBox(w.summary)
}

// importState is what an import changes in a session: the plan's accounts,
// custom fields and potential name, and what the map draws of them.
type importState struct {
	accounts      []planner.Account
	fields        []planner.CustomField
	potentialName string
	points        []orb.Point
	pointAccount  []int
	unitAccounts  []int
	unitPotential []float64
	layers        *mapview.Layers
}

// accountViews computes what a session shows of p's accounts: the located
// accounts' points in the map plane of proj (the session's projection)
// with their account indices, and the accounts and known potential per
// unit. It is safe off the UI thread.
func accountViews(p *planner.Plan, proj geo.Composite) (points []orb.Point, pointAccount, unitAccounts []int, unitPotential []float64) {
	index := p.UnitIndex()
	unitAccounts = make([]int, len(p.Units))
	unitPotential = make([]float64, len(p.Units))
	for k, a := range p.Accounts {
		if a.HasLocation {
			if q, ok := proj.Point(a.Location); ok {
				points = append(points, q)
				pointAccount = append(pointAccount, k)
			}
		}
		if i, ok := index[a.UnitCode]; ok {
			unitAccounts[i]++
			if a.Potential.Known {
				unitPotential[i] += a.Potential.Value
			}
		}
	}
	return
}

// setImportState makes st the session's accounts in memory: a new Plan
// value (background work may still read the old one, which is not
// changed) with st's accounts, fields and potential name, and st's map
// data. Call on the UI thread.
func (s *session) setImportState(st *importState) {
	p := *s.plan
	p.Accounts, p.CustomFields, p.PotentialName = st.accounts, st.fields, st.potentialName
	s.plan = &p
	s.points, s.pointAccount = st.points, st.pointAccount
	s.unitAccounts, s.unitPotential = st.unitAccounts, st.unitPotential
	s.layers = st.layers
}

// importChange is the undoable edit of an import: before and after hold
// the accounts and their map data.
func (m *Meridian) importChange(label string, before, after *importState) *change {
	set := func(s *session, st *importState) {
		s.setImportState(st)
		if m.session == s {
			m.mapView.SetPointsSized(s.points, repeatColor(accountColor, len(s.points)), s.pointRadii())
		}
	}
	return &change{
		label:  label,
		do:     func(s *session) { set(s, after) },
		undo:   func(s *session) { set(s, before) },
		write:  []sqlite.Edit{sqlite.ReplaceAccountsEdit(after.accounts, after.fields, after.potentialName)},
		revert: []sqlite.Edit{sqlite.ReplaceAccountsEdit(before.accounts, before.fields, before.potentialName)},
	}
}

// apply merges the read accounts into the plan (planner.Plan.WithImport:
// re-imported external IDs update their accounts) and writes them to the
// plan file in one transaction, in the background; then it makes the
// import one undoable edit, refreshes the map and tables, and shows the
// summary. A cancelled or failed write leaves the plan as it was.
func (w *importWizard) apply() {
	m, s := w.m, w.m.session
	if s == nil || w.res == nil {
		return
	}
	res := effectiveResult(w.res, w.errorRows, w.skipBad)
	plan := s.plan
	before := &importState{accounts: plan.Accounts, fields: plan.CustomFields, potentialName: plan.PotentialName,
		points: s.points, pointAccount: s.pointAccount, unitAccounts: s.unitAccounts, unitPotential: s.unitPotential, layers: s.layers}
	fills, _ := s.fills(m.ed.options(), s.scenario, s.metrics)
	view := *s // the map's other layers, read in the background
	derivedNow := s.derived
	beforeWrite := w.beforeWrite
	var after *importState
	var rep planner.MergeReport
	label := "Import accounts from " + filepath.Base(w.src.path)
	m.runTask("Importing "+filepath.Base(w.src.path)+"…", func(ctx context.Context, progress func(float64)) error {
		q, r, err := plan.WithImport(res, planner.MergeOptions{})
		if err != nil {
			return err
		}
		progress(0.2)
		after = &importState{accounts: q.Accounts, fields: q.CustomFields, potentialName: q.PotentialName}
		after.points, after.pointAccount, after.unitAccounts, after.unitPotential = accountViews(q, s.proj)
		view.plan, view.points, view.pointAccount = q, after.points, after.pointAccount
		after.layers = view.mapLayers(fills, derivedNow)
		progress(0.4)
		if beforeWrite != nil {
			beforeWrite(ctx)
		}
		s.writer.flush() // earlier edits first
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.db.Apply(ctx, sqlite.ReplaceAccountsEdit(q.Accounts, q.CustomFields, q.PotentialName)); err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // cancelled: the transaction was rolled back
			}
			return err
		}
		rep = r
		progress(1)
		return nil
	}, func() {
		if m.session == s {
			c := m.importChange(label, before, after)
			c.do(s)
			s.history.done = append(s.history.done, c)
			s.history.undone = nil
			m.edited(label) // written above: the writer has nothing to do
		}
		w.report = rep
		w.summary.SetText(importSummary(filepath.Base(w.src.path), res, rep, len(after.accounts)))
		w.setStep(importStepDone)
	})
}

// importSummary describes a finished import.
func importSummary(file string, res *planner.ImportResult, rep planner.MergeReport, total int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %s: %s rows read.\n\n", file, formatCount(float64(res.Rows)))
	fmt.Fprintf(&b, "Added: %s\nUpdated: %s\nUnchanged: %s\n", formatCount(float64(rep.Added)),
		formatCount(float64(rep.Updated)), formatCount(float64(rep.Unchanged)))
	fmt.Fprintf(&b, "Removed: %s (in the plan but not in this file; kept in the plan)\n", formatCount(float64(len(rep.Removed))))
	if res.Skipped > 0 {
		fmt.Fprintf(&b, "Rows with errors skipped: %s\n", formatCount(float64(res.Skipped)))
	}
	fmt.Fprintf(&b, "\nThe plan now has %s accounts. Edit > Undo puts the accounts back as they were.", formatCount(float64(total)))
	return b.String()
}

// importTable returns a table with a header row of cols() and rows() rows
// whose cells are text(row, column).
func importTable(cols func() []string, rows func() int, text func(r, c int) string) *widget.Table {
	t := widget.NewTable(
		func() (int, int) { return rows(), len(cols()) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(text(id.Row, id.Col)) })
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		name := ""
		if cs := cols(); id.Col >= 0 && id.Col < len(cs) {
			name = cs[id.Col]
		}
		o.(*widget.Label).SetText(name)
	}
	return t
}
