package planner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// ImportOptions says how ImportAccounts turns rows into accounts.
type ImportOptions struct {
	// Mapping says which column fills each standard field (see
	// GuessMapping); it must name a name or an external ID column.
	Mapping Mapping
	// IgnoreColumns lists 0-based columns that are neither mapped nor kept
	// as custom fields. Every other column that fills no Account field is
	// kept as a custom field (see ImportResult.CustomFields).
	IgnoreColumns []int
	// Geocoder locates the rows without a valid latitude and longitude by
	// postal code or city (planner/geocode); nil: such rows stay unlocated.
	Geocoder Geocoder
	// Locate finds the plan's geography unit of a located account (for
	// example (*Locator).Locate); nil: accounts get no unit.
	Locate func(orb.Point) (unitCode string, p Placement)
	// SkipBad skips the rows with a SeverityError problem (unlocatable, or
	// without a name); otherwise they are imported unlocated.
	SkipBad bool
	// Progress, when not nil, is called now and then with the fraction of
	// the file read (TableReader.Progress, 0 to 1), and with 1 at the end.
	Progress func(float64)
}

// ImportResult is what ImportAccounts read: the accounts, with their rows,
// match levels, problems and likely duplicates. Nothing is in a plan yet:
// see Resolved and Plan.WithImport.
type ImportResult struct {
	Source string // the table's TableReader.Source, for messages
	Rows   int    // data rows read (after the header; wholly empty rows are not counted)

	// Accounts are the accounts made of the rows that were not skipped, in
	// file order, with ID 0 (Plan.WithImport numbers them). Fields line
	// up with CustomFields.
	Accounts []Account
	// AccountRows[i] is the file row of Accounts[i].
	AccountRows []int
	// Levels[i] is how Accounts[i] was located.
	Levels []MatchLevel

	// CustomFields are the kept columns, in file order, named by their
	// header (made unique with " (2)", " (3)" ...). A column is Numeric
	// when every non-empty value is a number in the file's NumberFormat
	// and none has a leading zero (a code such as "06031" stays text);
	// numeric values are then stored as plain decimals ("1234.5").
	CustomFields []CustomField
	// Mapping is ImportOptions.Mapping: which fields the file filled.
	Mapping Mapping
	// PotentialName is the header of the potential column, "" when none.
	PotentialName string

	// Problems lists every bad value and unusable row, in row order.
	Problems []Problem
	// ErrorRows counts the rows with a SeverityError problem; Skipped
	// those of them that were skipped (ImportOptions.SkipBad).
	ErrorRows, Skipped int
	// Matches counts the accounts per match level, indexed by MatchLevel.
	Matches [MatchPoint + 1]int
	// Placements counts the accounts per placement, indexed by Placement
	// (all PlacedNone when ImportOptions.Locate is nil).
	Placements [PlacedNearest + 1]int
	// Duplicates lists the groups of likely duplicates (see
	// DuplicateGroup), in the order of their first accounts; each group's Resolution can be changed before
	// Resolved or Plan.WithImport.
	Duplicates []DuplicateGroup
}

// checkEvery is how many rows ImportAccounts reads between two checks of
// its context, and progressEvery between two progress reports.
const (
	checkEvery    = 1024
	progressEvery = 8192
)

// ImportAccounts reads every row of r and makes an account of each (see
// ImportResult), streaming: it keeps the accounts, not the rows.
//
// Per row: cells are trimmed and placeholders (see Placeholders) read as
// empty. Numbers are read from number cells as they are and from text with
// ParseNumber and r.Numbers(). An account is located by its own latitude and
// longitude when both are numbers in range and not 0, 0 (MatchPoint); else
// by opt.Geocoder from its postal code, city, state and country (a ZIP code
// the geocoder corrects, such as "2134" read as "02134", is stored
// corrected, with a warning); else it is unlocated (MatchNone), which is a
// SeverityError problem. A located account gets its unit from opt.Locate. A
// value that is not a number in a numeric field is a warning and reads as
// unknown; a row without a name is an error (imported under its external ID,
// or "Row N"). Columns that fill no Account field are kept as custom fields.
// Likely duplicates are grouped (see DuplicateGroup).
//
// It returns a *Error: EINVALID when opt.Mapping does not fit the table (see
// Mapping.Check); the reader's error (naming the file and row) when a row
// cannot be read; ECANCELED, and no result, when ctx is cancelled (checked
// every 1,024 rows).
func ImportAccounts(ctx context.Context, r TableReader, opt ImportOptions) (*ImportResult, error) {
	header := r.Header()
	if err := opt.Mapping.Check(len(header)); err != nil {
		return nil, err
	}
	im := newImporter(r, header, opt)
	res := im.res
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, &Error{Code: ECANCELED, Message: fmt.Sprintf("The import of %s was cancelled", r.Source()), Err: err}
			}
			if n%progressEvery == 0 && opt.Progress != nil {
				opt.Progress(r.Progress())
			}
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			var perr *Error
			if errors.As(err, &perr) {
				return nil, err
			}
			return nil, &Error{Code: EIO, Message: fmt.Sprintf("Cannot read %s after row %d", r.Source(), im.lastRow), Err: err}
		}
		im.row(rec)
		if n == estimateAfter {
			im.reserve()
		}
	}
	im.finish()
	if opt.Progress != nil {
		opt.Progress(1)
	}
	return res, nil
}

// estimateAfter is the number of rows after which ImportAccounts estimates
// the table's length from TableReader.Progress, to allocate the accounts
// once rather than grow them by copying (a million accounts are 230 MB).
const estimateAfter = 4096

// reserve grows the result's slices to the number of rows that the reader's
// progress predicts, plus 5%; an estimate that falls short only means that
// append grows them later.
func (im *importer) reserve() {
	p := im.r.Progress()
	if !(p > 0.0001 && p < 1) {
		return
	}
	res := im.res
	n := int(float64(len(res.Accounts))/p*1.05) + 1024
	n = min(n, 50_000_000)
	if n <= cap(res.Accounts) {
		return
	}
	res.Accounts = slices.Grow(res.Accounts, n-len(res.Accounts))
	res.AccountRows = slices.Grow(res.AccountRows, n-len(res.AccountRows))
	res.Levels = slices.Grow(res.Levels, n-len(res.Levels))
	if len(im.dups.byID) > 0 {
		im.dups.byID = slices.Grow(im.dups.byID, n-len(im.dups.byID))
	}
	if len(im.dups.byName) > 0 {
		im.dups.byName = slices.Grow(im.dups.byName, n-len(im.dups.byName))
	}
}

// customCol is one column kept as a custom field.
type customCol struct {
	col     int
	field   Field // FieldEmployees or FieldRevenue when mapped so, else NumFields
	numeric bool  // every value so far is a number
	rewrite bool  // some value must be rewritten as a plain decimal
}

// importer holds the state of one ImportAccounts.
type importer struct {
	r       TableReader
	header  []string
	opt     ImportOptions
	m       Mapping
	nf      NumberFormat
	res     *ImportResult
	custom  []customCol
	slab    []string // backing store of the accounts' Fields
	lastRow int
	dups    dupFinder

	// per row, reused
	fields []string
	probs  []Problem
}

func newImporter(r TableReader, header []string, opt ImportOptions) *importer {
	im := &importer{r: r, header: header, opt: opt, m: opt.Mapping, nf: r.Numbers(),
		res: &ImportResult{Source: r.Source(), Mapping: opt.Mapping}}
	if c := im.m[FieldPotential]; c >= 0 {
		im.res.PotentialName = header[c]
	}
	ignore := make([]bool, len(header))
	for _, c := range opt.IgnoreColumns {
		if c >= 0 && c < len(header) {
			ignore[c] = true
		}
	}
	used := make([]bool, len(header))
	for f, c := range im.m {
		if c >= 0 && Field(f).accountField() {
			used[c] = true
		}
	}
	names := map[string]bool{}
	for c := range header {
		if used[c] || ignore[c] {
			continue
		}
		cc := customCol{col: c, field: NumFields, numeric: true}
		if c == im.m[FieldEmployees] {
			cc.field = FieldEmployees
		} else if c == im.m[FieldRevenue] {
			cc.field = FieldRevenue
		}
		im.custom = append(im.custom, cc)
		name := strings.TrimSpace(header[c])
		if name == "" {
			name = "Column " + strconv.Itoa(c+1)
		}
		for k := 2; names[name]; k++ {
			name = fmt.Sprintf("%s (%d)", strings.TrimSpace(header[c]), k)
		}
		names[name] = true
		im.res.CustomFields = append(im.res.CustomFields, CustomField{Name: name})
	}
	im.fields = make([]string, len(im.custom))
	return im
}

// text returns the trimmed text of cell col of cells, "" for a missing
// cell, an empty one or a placeholder.
func (im *importer) text(cells []Cell, col int) string { return cellText(cells, col) }

// number reads cell col as a number: ok is false when the cell is empty, a
// placeholder or not a number; bad is true for a value that is not a number.
func (im *importer) number(cells []Cell, col int) (v float64, ok, bad bool, s string) {
	return cellNumber(cells, col, im.nf)
}

// problem records a problem of the current row.
func (im *importer) problem(row, col int, value, reason string, sev Severity) {
	name := ""
	if col >= 0 && col < len(im.header) {
		name = im.header[col]
	}
	im.probs = append(im.probs, Problem{Row: row, Column: name, Value: value, Reason: reason, Severity: sev})
}

// notNumber is the reason for a value that is not a number.
func notNumber(s string) string { return "'" + s + "' is not a number" }

func (im *importer) row(rec Record) {
	res, m, cells := im.res, &im.m, rec.Cells
	res.Rows++
	im.lastRow = rec.Row
	im.probs = im.probs[:0]
	bad := false // a SeverityError problem

	a := Account{
		ExternalID: im.text(cells, m[FieldExternalID]),
		Name:       im.text(cells, m[FieldName]),
		Address:    im.text(cells, m[FieldAddress]),
		City:       im.text(cells, m[FieldCity]),
		State:      im.text(cells, m[FieldState]),
		ZIP:        im.text(cells, m[FieldZIP]),
		Segment:    im.text(cells, m[FieldSegment]),
		Owner:      im.text(cells, m[FieldOwner]),
	}
	if a.Name == "" {
		bad = true
		col := m[FieldName]
		if col < 0 {
			col = m[FieldExternalID]
		}
		im.problem(rec.Row, col, "", "the account has no name", SeverityError)
		if a.ExternalID != "" {
			a.Name = a.ExternalID
		} else {
			a.Name = "Row " + strconv.Itoa(rec.Row)
		}
	}

	// Location: the file's own point first.
	level := MatchNone
	if m[FieldLatitude] >= 0 {
		lat, latOK, latBad, latS := im.number(cells, m[FieldLatitude])
		lon, lonOK, lonBad, lonS := im.number(cells, m[FieldLongitude])
		if latBad {
			im.problem(rec.Row, m[FieldLatitude], latS, notNumber(latS), SeverityWarning)
		}
		if lonBad {
			im.problem(rec.Row, m[FieldLongitude], lonS, notNumber(lonS), SeverityWarning)
		}
		switch {
		case !latOK || !lonOK:
			if latOK != lonOK && !latBad && !lonBad {
				col, s := m[FieldLongitude], latS
				if lonOK {
					col, s = m[FieldLatitude], lonS
				}
				im.problem(rec.Row, col, s, "the latitude or the longitude is missing", SeverityWarning)
			}
		case lat < -90 || lat > 90:
			im.problem(rec.Row, m[FieldLatitude], latS, "latitude '"+latS+"' is not between -90 and 90 degrees", SeverityWarning)
		case lon < -180 || lon > 180:
			im.problem(rec.Row, m[FieldLongitude], lonS, "longitude '"+lonS+"' is not between -180 and 180 degrees", SeverityWarning)
		case lat == 0 && lon == 0:
			im.problem(rec.Row, m[FieldLatitude], latS, "latitude 0, longitude 0 is a placeholder, not a location", SeverityWarning)
		default:
			a.Location, a.HasLocation, level = orb.Point{lon, lat}, true, MatchPoint
		}
	}
	// Then the gazetteers.
	if !a.HasLocation && im.opt.Geocoder != nil && (a.ZIP != "" || a.City != "") {
		g := im.opt.Geocoder.Geocode(Address{Street: a.Address, City: a.City, State: a.State, ZIP: a.ZIP,
			Country: im.text(cells, m[FieldCountry])})
		if g.Warning != "" {
			col := m[FieldZIP] // the geocoder's ZIP warnings start with "ZIP"
			if g.ZIP == "" && !strings.HasPrefix(g.Warning, "ZIP") {
				col = m[FieldCity]
			}
			im.problem(rec.Row, col, im.text(cells, col), g.Warning, SeverityWarning)
		}
		if g.Level != MatchNone && g.Level <= MatchPostal && ValidLonLat(g.Location) {
			a.Location, a.HasLocation, level = g.Location, true, g.Level
			if g.ZIP != "" {
				a.ZIP = g.ZIP
			}
		}
	}
	if !a.HasLocation {
		bad = true
		im.problem(rec.Row, -1, "", im.unlocatedReason(a), SeverityError)
	}

	// Potential.
	if col := m[FieldPotential]; col >= 0 {
		v, ok, isBad, s := im.number(cells, col)
		if isBad {
			im.problem(rec.Row, col, s, notNumber(s)+"; the potential is unknown", SeverityWarning)
		} else if ok {
			a.Potential = Known(v)
		}
	}

	// Extra cells.
	if extra := len(cells) - len(im.header); extra > 0 {
		for _, c := range cells[len(im.header):] {
			if c.Kind != CellEmpty && strings.TrimSpace(c.Text) != "" {
				im.problem(rec.Row, -1, "", fmt.Sprintf("the row has %d values, more than the %d columns of the header; the extra values are ignored", len(cells), len(im.header)), SeverityWarning)
				break
			}
		}
	}

	// Custom fields.
	for k := range im.custom {
		im.fields[k] = im.customValue(&im.custom[k], cells, rec.Row)
	}

	if bad {
		res.ErrorRows++
	}
	res.Problems = append(res.Problems, im.probs...)
	if bad && im.opt.SkipBad {
		res.Skipped++
		return
	}

	if a.HasLocation && im.opt.Locate != nil {
		a.UnitCode, a.Placement = im.opt.Locate(a.Location)
		if a.UnitCode == "" {
			a.Placement = PlacedNone
		} else if a.Placement == PlacedNone {
			a.Placement = PlacedInside
		}
	}
	if len(im.custom) > 0 {
		if len(im.slab)+len(im.custom) > cap(im.slab) {
			im.slab = make([]string, 0, len(im.custom)*4096)
		}
		n := len(im.slab)
		im.slab = append(im.slab, im.fields...)
		a.Fields = im.slab[n:len(im.slab):len(im.slab)]
	}
	a.Match = level
	i := len(res.Accounts)
	res.Accounts = append(res.Accounts, a)
	res.AccountRows = append(res.AccountRows, rec.Row)
	res.Levels = append(res.Levels, level)
	res.Matches[level]++
	res.Placements[a.Placement]++
	im.dups.add(res, i)
}

// unlocatedReason explains why account a could not be located.
func (im *importer) unlocatedReason(a Account) string {
	m := &im.m
	var what []string
	if m[FieldLatitude] >= 0 {
		what = append(what, "no valid latitude and longitude")
	}
	switch {
	case im.opt.Geocoder == nil && (a.ZIP != "" || a.City != ""):
		what = append(what, "no gazetteer to look up the postal code or city")
	case a.ZIP != "" && a.City != "":
		what = append(what, "postal code '"+a.ZIP+"' and city '"+a.City+"' not found")
	case a.ZIP != "":
		what = append(what, "postal code '"+a.ZIP+"' not found")
	case a.City != "":
		what = append(what, "city '"+a.City+"' not found")
	default:
		what = append(what, "no postal code or city")
	}
	return "cannot be located: " + strings.Join(what, ", ")
}

// customValue returns the value of custom column cc in cells and updates
// whether the column is numeric.
func (im *importer) customValue(cc *customCol, cells []Cell, row int) string {
	if cc.col >= len(cells) {
		return ""
	}
	c := &cells[cc.col]
	switch c.Kind {
	case CellEmpty:
		return ""
	case CellNumber:
		if math.IsNaN(c.Number) || math.IsInf(c.Number, 0) {
			cc.numeric = false
			return strings.TrimSpace(c.Text)
		}
		return formatNumber(c.Number)
	case CellBool:
		cc.numeric = false
		if c.Number != 0 {
			return "TRUE"
		}
		return "FALSE"
	case CellDate:
		cc.numeric = false
		if h, mi, s := c.Time.Clock(); h == 0 && mi == 0 && s == 0 && c.Time.Nanosecond() == 0 {
			return c.Time.Format(time.DateOnly)
		}
		return c.Time.Format(time.DateTime)
	}
	s := strings.TrimSpace(c.Text)
	if IsPlaceholder(s) {
		return ""
	}
	if !cc.numeric && cc.field == NumFields {
		return s
	}
	if canonicalNumber(s) {
		return s
	}
	if !leadingZero(s) {
		if _, ok := ParseNumber(s, im.nf); ok {
			cc.rewrite = true
			return s
		}
	}
	if cc.field != NumFields {
		// Mapped as employees or revenue: keep the column numeric.
		im.problem(row, cc.col, s, notNumber(s)+"; the value is left empty", SeverityWarning)
		return ""
	}
	cc.numeric = false
	return s
}

// finish settles the custom fields' types once every row is read.
func (im *importer) finish() {
	res := im.res
	for k := range im.custom {
		cc := &im.custom[k]
		res.CustomFields[k].Numeric = cc.numeric
		if !cc.numeric || !cc.rewrite {
			continue
		}
		for i := range res.Accounts {
			f := res.Accounts[i].Fields
			if s := f[k]; s != "" && !canonicalNumber(s) {
				v, _ := ParseNumber(s, im.nf)
				f[k] = formatNumber(v)
			}
		}
	}
	im.dups.done(res)
}

// cellText returns cell col of a row as trimmed text ("" when absent,
// empty or a placeholder); a number cell without text is formatted.
func cellText(cells []Cell, col int) string {
	if col < 0 || col >= len(cells) {
		return ""
	}
	c := &cells[col]
	if c.Kind == CellEmpty {
		return ""
	}
	s := strings.TrimSpace(c.Text)
	if s == "" && c.Kind == CellNumber {
		s = formatNumber(c.Number)
	}
	if IsPlaceholder(s) {
		return ""
	}
	return s
}

// cellNumber reads cell col of a row as a number (text parsed with nf): ok
// is false when the cell is empty, a placeholder or not a number; bad is
// true for a value that is not a number; s is the cell's text.
func cellNumber(cells []Cell, col int, nf NumberFormat) (v float64, ok, bad bool, s string) {
	if col < 0 || col >= len(cells) {
		return 0, false, false, ""
	}
	c := &cells[col]
	switch c.Kind {
	case CellEmpty:
		return 0, false, false, ""
	case CellNumber, CellBool:
		if math.IsNaN(c.Number) || math.IsInf(c.Number, 0) {
			return 0, false, true, c.Text
		}
		if c.Number == -999 { // the placeholder, stored as a number
			return 0, false, false, c.Text
		}
		return c.Number, true, false, c.Text
	}
	s = strings.TrimSpace(c.Text)
	if IsPlaceholder(s) {
		return 0, false, false, s
	}
	if c.Kind == CellDate {
		return 0, false, true, s
	}
	v, ok = ParseNumber(s, nf)
	return v, ok, !ok, s
}
