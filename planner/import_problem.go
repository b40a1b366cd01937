package planner

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Severity says whether a Problem stops a row from being used.
type Severity uint8

// The severities of import problems.
const (
	// SeverityWarning: a value was dropped or corrected (a bed count that
	// is not a number becomes unknown, a ZIP code gets its leading zero
	// back); the row is imported.
	SeverityWarning Severity = iota
	// SeverityError: the row cannot be used as it is (it cannot be located,
	// or has no name). With ImportOptions.SkipBad it is skipped; otherwise
	// it is imported unlocated, or named after its external ID or row.
	SeverityError
)

// String returns "warning" or "error".
func (s Severity) String() string {
	if s == SeverityError {
		return "error"
	}
	return "warning"
}

// Problem is one thing wrong with one row of an imported file.
type Problem struct {
	Row      int      // the 1-based row (CSV: line) number the user sees in the file
	Column   string   // the column's header name; "" when the problem is the whole row's
	Value    string   // the cell's text as read; "" when none
	Reason   string   // for the user, quoting the value: "'12x' is not a number"
	Severity Severity // warning: the row is imported; error: see SeverityError
}

// String returns the problem as one sentence: "Row 12, column BEDS: '12x' is
// not a number", or "Row 12: ..." when Column is "".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString("Row ")
	b.WriteString(strconv.Itoa(p.Row))
	if p.Column != "" {
		b.WriteString(", column ")
		b.WriteString(p.Column)
	}
	b.WriteString(": ")
	b.WriteString(p.Reason)
	return b.String()
}

// WriteProblemsCSV writes problems as a CSV report (RFC 4180, comma, CRLF
// line ends, UTF-8) with the header Row, Column, Value, Severity, Problem
// and one line per problem; Problem is Problem.Reason. Text that a
// spreadsheet could take for a formula (starting with =, +, -, @, a tab or a
// carriage return, or their full-width forms, as OWASP's CSV injection
// guidance lists) is written with a leading apostrophe, so that opening the
// report runs nothing. It returns the writer's error, if any.
func WriteProblemsCSV(w io.Writer, problems []Problem) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write([]string{"Row", "Column", "Value", "Severity", "Problem"}); err != nil {
		return err
	}
	for _, p := range problems {
		if err := cw.Write([]string{strconv.Itoa(p.Row), CSVText(p.Column), CSVText(p.Value), p.Severity.String(), CSVText(p.Reason)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVText returns s made safe for a CSV cell that a spreadsheet will open:
// with an apostrophe in front when it could be read as a formula (see
// FormulaLike; OWASP, "CSV Injection"), else unchanged.
func CSVText(s string) string {
	if FormulaLike(s) {
		return "'" + s
	}
	return s
}

// FormulaLike reports whether spreadsheet software could take text s for a
// formula: its first non-space character is =, +, - or @ or their
// full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), or it starts with a tab
// or a carriage return, as OWASP's CSV-injection guidance lists. Exports
// write such user text as text.
func FormulaLike(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '\t' || s[0] == '\r' {
		return true
	}
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return false
	}
	switch t[0] {
	case '=', '+', '-', '@':
		return true
	}
	switch r, _ := utf8.DecodeRuneInString(t); r {
	case '\uff1d', '\uff0b', '\uff0d', '\uff20':
		return true
	}
	return false
}
