package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// Number formats.
const (
	fmtCount      = "#,##0"            // counts and population
	fmtPotential0 = "#,##0"            // potential when every value is whole
	fmtPotential1 = "#,##0.0"          // potential when some value has decimals
	fmtPercent    = "0.0%"             // deviations, stored as fractions
	fmtDegrees    = "0.000000"         // longitude and latitude
	fmtDate       = "yyyy-mm-dd hh:mm" // unambiguous in every locale
	fmtDay        = "yyyy-mm-dd"       // start dates
	fmtFTE        = "#,##0.0"          // reps (full-time equivalents)
	numFmtText    = 49                 // built-in "@": typed entries stay text
)

// styles holds the workbook's cell style IDs.
type styles struct {
	header    int // bold, shaded, bottom border
	headQuote int // header with the Text format and quote prefix: user text that looks like a formula
	label     int // bold text (Summary labels)
	text      int // Text format "@": codes and ZIPs stay text when edited
	quote     int // Text format and quote prefix: user text that looks like a formula
	count     int // #,##0
	potential int // #,##0 or #,##0.0
	percent   int // 0.0%
	degrees   int // 0.000000
	date      int // yyyy-mm-dd hh:mm
	day       int // yyyy-mm-dd
	fte       int // #,##0.0
	money     int // the currency format (moneyFormat)
	// The Total row: bold, top border.
	totalLabel, totalCount, totalPotential, totalMoney, totalFTE int
	// band is the conditional format (a light fill) of every other body
	// row of a table.
	band int

	moneyDecimals int // 0 or 2, the decimals of the money format

	potDecimals int // 0 or 1, the decimals of the potential format
}

// moneyFormat returns the number format of amounts in currency (an ISO
// 4217 code or "") with dec decimals (0 or 2): "$#,##0" for USD, "£#,##0"
// for GBP, "#,##0 \"EUR\"" for other codes, "#,##0" for none. Negative
// amounts get a minus sign before the symbol.
func moneyFormat(currency string, dec int) string {
	n := "#,##0"
	if dec > 0 {
		n += "." + strings.Repeat("0", dec)
	}
	switch currency {
	case "":
		return n
	case "USD":
		return `"$"` + n + `;-"$"` + n
	case "GBP":
		return `"£"` + n + `;-"£"` + n
	}
	return n + ` "` + currency + `"`
}

// newStyles creates the styles in f. potDecimals is 0 or 1; currency is
// the quota settings' currency and moneyDecimals 0 or 2.
func newStyles(f *excelize.File, potDecimals int, currency string, moneyDecimals int) (*styles, error) {
	st := &styles{potDecimals: potDecimals, moneyDecimals: moneyDecimals}
	moneyFmt := moneyFormat(currency, moneyDecimals)
	potFmt := fmtPotential0
	if potDecimals > 0 {
		potFmt = fmtPotential1
	}
	bold := &excelize.Font{Bold: true}
	top := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	var err error
	add := func(id *int, s *excelize.Style) {
		if err == nil {
			*id, err = f.NewStyle(s)
		}
	}
	add(&st.header, &excelize.Style{
		Font:      bold,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	add(&st.headQuote, &excelize.Style{
		Font:      bold,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", Horizontal: "left"},
		NumFmt:    numFmtText,
	})
	add(&st.label, &excelize.Style{Font: bold})
	add(&st.text, &excelize.Style{NumFmt: numFmtText})
	// The quote style must differ from the text style in a field that
	// excelize compares when it reuses styles (it does not compare the quote
	// prefix), or both would share one record: hence the left alignment.
	add(&st.quote, &excelize.Style{NumFmt: numFmtText, Alignment: &excelize.Alignment{Horizontal: "left"}})
	add(&st.count, &excelize.Style{CustomNumFmt: ptr(fmtCount)})
	add(&st.potential, &excelize.Style{CustomNumFmt: ptr(potFmt)})
	add(&st.percent, &excelize.Style{CustomNumFmt: ptr(fmtPercent)})
	add(&st.degrees, &excelize.Style{CustomNumFmt: ptr(fmtDegrees)})
	add(&st.date, &excelize.Style{CustomNumFmt: ptr(fmtDate)})
	add(&st.totalLabel, &excelize.Style{Font: bold, Border: top})
	add(&st.totalCount, &excelize.Style{Font: bold, Border: top, CustomNumFmt: ptr(fmtCount)})
	add(&st.totalPotential, &excelize.Style{Font: bold, Border: top, CustomNumFmt: ptr(potFmt)})
	add(&st.day, &excelize.Style{CustomNumFmt: ptr(fmtDay)})
	add(&st.fte, &excelize.Style{CustomNumFmt: ptr(fmtFTE)})
	add(&st.money, &excelize.Style{CustomNumFmt: ptr(moneyFmt)})
	add(&st.totalMoney, &excelize.Style{Font: bold, Border: top, CustomNumFmt: ptr(moneyFmt)})
	add(&st.totalFTE, &excelize.Style{Font: bold, Border: top, CustomNumFmt: ptr(fmtFTE)})
	if err != nil {
		return nil, err
	}
	st.band, err = f.NewConditionalStyle(&excelize.Style{
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
	})
	if err != nil {
		return nil, err
	}
	setQuotePrefix(f, st.quote)
	setQuotePrefix(f, st.headQuote)
	return st, nil
}

// setQuotePrefix sets the quotePrefix attribute of cell style id: Excel then
// shows the cell's text with a leading apostrophe in the formula bar and keeps
// it text when the user edits it. excelize.Style has no field for it (v2.11),
// so this sets it on the style record excelize writes as xl/styles.xml,
// reached through the exported File.Styles field. If a future excelize
// changes that, the cell is still a string cell with the Text format.
func setQuotePrefix(f *excelize.File, id int) {
	if f.Styles == nil || f.Styles.CellXfs == nil || id < 0 || id >= len(f.Styles.CellXfs.Xf) {
		return
	}
	f.Styles.CellXfs.Xf[id].QuotePrefix = ptr(true)
}

// str returns a cell for user text s: nil (no cell) when s is empty, a
// quote-prefixed text cell when s looks like a formula, else s itself.
func (st *styles) str(s string) any {
	switch {
	case s == "":
		return nil
	case planner.FormulaLike(s):
		return excelize.Cell{StyleID: st.quote, Value: s}
	}
	return s
}

// code returns a cell for an identifier such as a ZIP code or a FIPS code:
// like str, but with the Text format so that editing keeps leading zeros.
func (st *styles) code(s string) any {
	switch {
	case s == "":
		return nil
	case planner.FormulaLike(s):
		return excelize.Cell{StyleID: st.quote, Value: s}
	}
	return excelize.Cell{StyleID: st.text, Value: s}
}

// head returns a header cell for h, which may hold user text (a custom
// field's, a level's or a segment's name): the header style, or the quoted
// header style when h looks like a formula.
func (st *styles) head(h string) any {
	if planner.FormulaLike(h) {
		return excelize.Cell{StyleID: st.headQuote, Value: h}
	}
	return excelize.Cell{StyleID: st.header, Value: h}
}

// fixed returns a cell for text that Meridian itself writes (labels).
func fixed(style int, s string) any { return excelize.Cell{StyleID: style, Value: s} }

// num returns a number cell with the given style.
func num(style int, v float64) any { return excelize.Cell{StyleID: style, Value: v} }

// integer returns an integer cell with the count format.
func (st *styles) integer(n int) any { return excelize.Cell{StyleID: st.count, Value: n} }

// sum returns a SUM formula cell with its cached value v.
func sum(style int, formula string, v any) any {
	return excelize.Cell{StyleID: style, Formula: formula, Value: v}
}

// width estimates how many characters cell v shows.
func (st *styles) width(v any) int {
	c, ok := v.(excelize.Cell)
	if !ok {
		c.Value = v
	}
	switch x := c.Value.(type) {
	case string:
		n := utf8.RuneCountInString(x)
		if c.StyleID == st.header || c.StyleID == st.headQuote || c.StyleID == st.label || c.StyleID == st.totalLabel {
			n += n/10 + 1 // bold
		}
		return n
	case int:
		return numWidth(float64(x), 0, true)
	case float64:
		switch c.StyleID {
		case st.percent:
			return numWidth(x*100, 1, false) + 1
		case st.degrees:
			return numWidth(x, 6, false)
		case st.potential, st.totalPotential:
			return numWidth(x, st.potDecimals, true)
		case st.money, st.totalMoney:
			return numWidth(x, st.moneyDecimals, true) + 2 // the currency symbol
		case st.fte, st.totalFTE:
			return numWidth(x, 1, true)
		}
		return numWidth(x, 0, true)
	case time.Time:
		if c.StyleID == st.day {
			return len(fmtDay)
		}
		return len(fmtDate)
	}
	return 0
}

// numWidth returns the length of v formatted with dec decimals, and with
// thousands separators when grouped.
func numWidth(v float64, dec int, grouped bool) int {
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	n := len(s)
	if grouped {
		digits := n
		if dec > 0 {
			digits -= dec + 1
		}
		n += (digits - 1) / 3
	}
	if v < 0 {
		n++
	}
	return n
}

// colWidth turns a content width in characters into an Excel column width,
// with room for the padding and capped so that long addresses do not make
// the sheet unreadable.
func colWidth(chars int) float64 {
	w := float64(chars) + 2
	return math.Min(math.Max(w, 6), 60)
}

func ptr[T any](v T) *T { return &v }
