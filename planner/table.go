package planner

import (
	"time"

	"github.com/paulmach/orb"
)

// CellKind says what a Cell read from a tabular file holds.
type CellKind uint8

// The kinds of Cell.
const (
	CellEmpty  CellKind = iota // nothing (an empty CSV field, a blank sheet cell)
	CellText                   // text: every CSV field, and sheet cells with text
	CellNumber                 // a number stored as a number (XLSX only)
	CellDate                   // a date or date-time (XLSX date serial with a date format)
	CellBool                   // TRUE/FALSE (XLSX only)
)

// Cell is one value read from a CSV or XLSX file. CSV readers return every
// non-empty field as CellText (the importer parses numbers with the file's
// NumberFormat); XLSX readers return the raw typed value.
type Cell struct {
	Kind   CellKind
	Text   string    // the text as the file shows it (for numbers and dates: the formatted value)
	Number float64   // when Kind is CellNumber or CellBool (1 or 0)
	Time   time.Time // when Kind is CellDate, in UTC (the workbook's local time, no zone)
}

// Record is one data row of a table.
type Record struct {
	// Row is the 1-based row number the user sees: the physical line where
	// the record starts in a CSV file (counting the header and any quoted
	// newlines before it), or the sheet row number in an XLSX file.
	Row int
	// Cells holds one Cell per header column; a ragged short row is padded
	// with CellEmpty, and a long one keeps its extra cells after the header's.
	// The slice may be reused by the next call to Next.
	Cells []Cell
}

// NumberFormat says how a text file writes numbers: '.' and ',' (1,234.5)
// or ',' and '.' (1.234,5); Group is 0 when the file uses none.
type NumberFormat struct {
	Decimal rune // '.' or ','
	Group   rune // ',', '.', ' ', '\'' or 0
}

// TableReader reads the rows of one table (a CSV file, or one sheet of a
// workbook) after its header row. Implementations: planner/csvfile and
// planner/xlsx.
type TableReader interface {
	// Source names the table in messages: the file name, and for a workbook
	// the sheet ("accounts.xlsx, sheet Export").
	Source() string
	// Header returns the column names, one per column, in file order; a
	// missing or blank name becomes "Column N" (1-based).
	Header() []string
	// HeaderRow is the 1-based row (CSV: line) number of the header.
	HeaderRow() int
	// Numbers is how text cells write numbers (detected for CSV; '.' for XLSX).
	Numbers() NumberFormat
	// Next returns the next data record, or io.EOF after the last one. Any
	// other error is a *Error naming the file and row. Wholly empty rows are
	// skipped.
	Next() (Record, error)
	// Progress returns the fraction of the input read so far, 0 to 1, for a
	// progress bar.
	Progress() float64
	// Close releases the file.
	Close() error
}

// MatchLevel says how precisely an account was geocoded, from best to worst.
type MatchLevel uint8

// The match levels of geocoding.
const (
	MatchNone   MatchLevel = iota // no usable location
	MatchCity                     // the centre of the account's city (gazetteer)
	MatchPostal                   // the centre of the account's postal code (gazetteer)
	MatchPoint                    // the file's own latitude and longitude
)

// String returns "exact point", "postal code", "city" or "none".
func (m MatchLevel) String() string {
	switch m {
	case MatchPoint:
		return "exact point"
	case MatchPostal:
		return "postal code"
	case MatchCity:
		return "city"
	default:
		return "none"
	}
}

// Address is what a geocoder reads of an account.
type Address struct {
	Street  string
	City    string
	State   string // state or province: a code ("CA") or a name ("California")
	ZIP     string // postal code as text, leading zeros kept when the file kept them
	Country string // ISO 3166-1 alpha-2 code or English name; "" means the plan's default country
}

// Geocoded is a geocoder's answer for one Address.
type Geocoded struct {
	Location orb.Point  // WGS84 degrees, lon/lat order; meaningful unless Level is MatchNone
	Level    MatchLevel // MatchPostal, MatchCity or MatchNone
	ZIP      string     // the postal code as matched (e.g. "02134" for "2134"), "" when not by postal code
	Warning  string     // e.g. "ZIP 2134 lost its leading zero; read as 02134"; "" when none
}

// Geocoder finds a location for an address offline, from gazetteers.
// Implementations: planner/geocode.
type Geocoder interface {
	Geocode(a Address) Geocoded
}
