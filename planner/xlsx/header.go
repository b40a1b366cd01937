package xlsx

import (
	"strconv"
	"strings"
)

// MaxHeaderRows is the most rows DetectHeader combines into one header.
const MaxHeaderRows = 3

// DetectHeader finds the header of a table in the first rows of a sheet.
//
// rows holds the sheet's first rows as text, rows[i][j] being the cell in
// row i, column j (0-based; the caller maps them to sheet rows). Cells of a
// merged range should all hold the range's text (see Table), numbers their
// raw value ("40269") and dates an ISO date ("2010-04-01"). Ragged rows are
// fine; nil rows are empty rows.
//
// It returns the 0-based index of the first header row in rows and the
// number of header rows (1 to MaxHeaderRows), or (-1, 0) when every row is
// blank. It never panics.
//
// The rule, after messytables' headers_guess (github.com/okfn/messytables,
// "the first row which contains the modal number of columns"):
//
//  1. The width of a row is its number of non-blank cells. The target width
//     is the most common width among non-blank rows (ties go to the wider).
//  2. The header is the first row whose width is at least the target less
//     a fifth (less one when the target is under 10, so that a header may
//     leave its row-label column blank), that holds at least two distinct
//     texts (so a title merged across the table, which fills every column
//     with one text, is skipped; a one-column table needs one), and at
//     least one cell that is not a number or an ISO date. Title rows, notes
//     and blank rows above it are skipped. When no row qualifies, the first
//     row of the target width is the header.
//  3. A second header row is combined with it when the header repeats one
//     text over two or more adjacent columns (a merged cell spanning
//     columns, like "Population Estimate" over ten year columns) and the
//     next row gives each of those columns a distinct, non-blank text, is
//     blank or repeats the header elsewhere (a merged cell spanning both
//     rows, like "Geographic Area"), and holds at least one text that is
//     neither a number nor a copy of the cell above. The rule repeats on
//     the combined names, up to MaxHeaderRows rows.
//
// HeaderNames turns the rows found into column names.
func DetectHeader(rows [][]string) (headerIndex, headerRows int) {
	widths := make([]int, len(rows))
	counts := map[int]int{}
	for i, r := range rows {
		for _, c := range r {
			if !hdrBlank(c) {
				widths[i]++
			}
		}
		if widths[i] > 0 {
			counts[widths[i]]++
		}
	}
	if len(counts) == 0 {
		return -1, 0
	}
	target, best := 0, 0
	for w, n := range counts {
		if n > best || (n == best && w > target) {
			target, best = w, n
		}
	}
	minWidth := max(1, target-max(1, target/5))
	minDistinct := 2
	if target < 2 {
		minDistinct = 1
	}
	headerIndex = -1
	for i, r := range rows {
		if widths[i] >= minWidth && hdrDistinct(r) >= minDistinct && hdrHasText(r) {
			headerIndex = i
			break
		}
	}
	if headerIndex < 0 {
		for i := range rows {
			if widths[i] >= target {
				headerIndex = i
				break
			}
		}
	}

	headerRows = 1
	for headerRows < MaxHeaderRows && headerIndex+headerRows < len(rows) {
		above, next := rows[headerIndex+headerRows-1], rows[headerIndex+headerRows]
		if !isSubHeader(above, hdrJoined(rows, headerIndex, headerRows), next) {
			break
		}
		headerRows++
	}
	return headerIndex, headerRows
}

// isSubHeader reports whether next is a second header row under the header
// whose last row is above and whose texts so far are names (from joined;
// rule 3 of DetectHeader).
func isSubHeader(above []string, names []string, next []string) bool {
	inRun := make([]bool, len(names))
	runs := false
	for j := 0; j < len(names); {
		k := j + 1
		for k < len(names) && names[j] != "" && names[k] == names[j] {
			k++
		}
		if k-j >= 2 {
			runs = true
			seen := map[string]bool{}
			for c := j; c < k; c++ {
				inRun[c] = true
				t := hdrNorm(hdrCell(next, c))
				if t == "" || seen[t] {
					return false
				}
				seen[t] = true
			}
		}
		j = k
	}
	if !runs {
		return false
	}
	text := false
	for c := 0; c < len(names) || c < len(next); c++ {
		t := hdrNorm(hdrCell(next, c))
		if t == "" {
			continue
		}
		if c >= len(names) || (!inRun[c] && t != hdrNorm(hdrCell(above, c))) {
			return false // a value under a single-column heading: data
		}
		if t != hdrNorm(hdrCell(above, c)) && !hdrIsValue(t) {
			text = true
		}
	}
	return text
}

// HeaderNames returns the column names of a header of n rows starting at
// rows[index] (as found by DetectHeader), one per column up to the widest
// of those rows.
//
// Each name joins the column's non-blank texts from top to bottom with a
// space, dropping a text equal to the one above it (a merged cell spanning
// the header rows): "Population Estimate (as of July 1)" over "2010" gives
// "Population Estimate (as of July 1) 2010", and "Geographic Area" merged
// over two rows gives "Geographic Area". Runs of spaces, tabs and line
// breaks inside a cell become one space. A blank name becomes "Column N"
// (N 1-based), and a name already used becomes "Name (2)", "Name (3)"...
// so that every name is unique (compared ignoring case).
//
// Out-of-range index or n give nil.
func HeaderNames(rows [][]string, index, n int) []string {
	if index < 0 || n < 1 || index >= len(rows) {
		return nil
	}
	if n > len(rows)-index {
		n = len(rows) - index
	}
	names := hdrJoined(rows, index, n)
	used := make(map[string]bool, len(names))
	for c, name := range names {
		if name == "" {
			name = "Column " + strconv.Itoa(c+1)
		}
		unique := name
		for k := 2; used[strings.ToLower(unique)]; k++ {
			unique = name + " (" + strconv.Itoa(k) + ")"
		}
		used[strings.ToLower(unique)] = true
		names[c] = unique
	}
	return names
}

// hdrJoined returns, for each column up to the widest of rows[index:index+n],
// its non-blank normalised texts joined top to bottom with a space, a text
// equal to the one above it dropped; "" for a blank column. The caller
// checks the bounds.
func hdrJoined(rows [][]string, index, n int) []string {
	width := 0
	for _, r := range rows[index : index+n] {
		width = max(width, len(r))
	}
	names := make([]string, width)
	for c := range names {
		var parts []string
		for _, r := range rows[index : index+n] {
			t := hdrNorm(hdrCell(r, c))
			if t != "" && (len(parts) == 0 || parts[len(parts)-1] != t) {
				parts = append(parts, t)
			}
		}
		names[c] = strings.Join(parts, " ")
	}
	return names
}

// hdrCell returns r[j], or "" past the end of r.
func hdrCell(r []string, j int) string {
	if j < len(r) {
		return r[j]
	}
	return ""
}

// hdrNorm trims s and collapses runs of white space to one space.
func hdrNorm(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// hdrBlank reports whether s holds only white space.
func hdrBlank(s string) bool { return strings.TrimSpace(s) == "" }

// hdrDistinct counts the distinct non-blank texts of r.
func hdrDistinct(r []string) int {
	seen := make(map[string]bool, len(r))
	for _, c := range r {
		if t := hdrNorm(c); t != "" {
			seen[t] = true
		}
	}
	return len(seen)
}

// hdrHasText reports whether r holds a non-blank cell that is not a value.
func hdrHasText(r []string) bool {
	for _, c := range r {
		if t := hdrNorm(c); t != "" && !hdrIsValue(t) {
			return true
		}
	}
	return false
}

// hdrIsValue reports whether t reads as a number or an ISO date (YYYY-MM-DD,
// optionally followed by a time).
func hdrIsValue(t string) bool {
	if _, err := strconv.ParseFloat(t, 64); err == nil {
		return true
	}
	if len(t) >= 10 && t[4] == '-' && t[7] == '-' {
		for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return len(t) == 10 || t[10] == ' ' || t[10] == 'T'
	}
	return false
}
