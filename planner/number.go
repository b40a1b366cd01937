package planner

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseNumber reads a number written as text in the format f (from
// Reader.Numbers or Dialect.Numbers). It returns false, never an error or a
// panic, for anything that is not clearly one number; the importer reports
// the cell.
//
// Accepted, after trimming white space (including no-break spaces):
//   - digits with the decimal separator f.Decimal ('.' when 0): "1.7" or, for
//     Decimal ',', "1,7"; a leading or trailing separator (".5", "5.") too;
//   - groups of three digits split by f.Group: "1,234.5", "200.000,50",
//     "1 234,5" (Group ' ' also accepts U+00A0 and U+202F, the spaces French
//     software writes) and "1'234.5" (Group '\” also accepts U+2019). The
//     first group has 1 to 3 digits and every later one exactly 3, so
//     "1,7" in a decimal-point file and "12,34,567" are refused;
//   - an exponent: "1.5E+06";
//   - a sign: "-12", "+12", "−12" (U+2212), or accounting-style parentheses
//     "(1,200)" for -1200;
//   - one currency symbol before or after the number ("$1,200",
//     "-$1,200", "$-1,200", "1.234,50 €"): $ € £ ¥ ₹ are dropped;
//   - a trailing percent sign: "12%" reads as 12, not 0.12, so that a
//     column mixing "12%" and "12" (as CRM exports do) reads the same.
//
// Refused: "", "N/A", "1.2.3", "12abc", "--1", "1,2,3", "Inf", "NaN",
// "0x1F", and any value beyond ±math.MaxFloat64. Placeholders such as -999
// are numbers here; the importer decides what they mean.
func ParseNumber(s string, f NumberFormat) (float64, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" || len(s) > 200 {
		return 0, false
	}
	neg := false
	if s[0] == '(' && s[len(s)-1] == ')' {
		neg = true
		s = strings.TrimFunc(s[1:len(s)-1], unicode.IsSpace)
	}
	// Sign, currency, sign (at most one sign), then the same mirrored at the
	// end for the currency and percent.
	signed := neg
	s, ok := takeSign(s, &neg, &signed)
	if !ok {
		return 0, false
	}
	if r, size := utf8.DecodeRuneInString(s); isCurrency(r) {
		s = strings.TrimLeftFunc(s[size:], unicode.IsSpace)
		if s, ok = takeSign(s, &neg, &signed); !ok {
			return 0, false
		}
	}
	if strings.HasSuffix(s, "%") {
		s = strings.TrimRightFunc(s[:len(s)-1], unicode.IsSpace)
	} else if r, size := utf8.DecodeLastRuneInString(s); isCurrency(r) {
		s = strings.TrimRightFunc(s[:len(s)-size], unicode.IsSpace)
	}
	if s == "" {
		return 0, false
	}

	dec := f.Decimal
	if dec == 0 {
		dec = '.'
	}
	group := f.Group
	if group == dec {
		group = 0
	}
	var buf [256]byte
	w := 0
	if neg {
		buf[w] = '-'
		w++
	}
	digits := 0    // digits in the number
	run := 0       // digits since the last group separator or the start
	groups := 0    // group separators seen
	state := 0     // 0 integer part, 1 fraction, 2 exponent
	expDigits := 0 // digits in the exponent
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= '0' && r <= '9':
			buf[w] = byte(r)
			w++
			if state == 2 {
				expDigits++
			} else {
				digits++
				if state == 0 {
					run++
				}
			}
		case state == 0 && group != 0 && isGroup(r, group):
			// The first group has 1-3 digits, later ones exactly 3.
			if run == 0 || (groups == 0 && run > 3) || (groups > 0 && run != 3) {
				return 0, false
			}
			groups++
			run = 0
		case state == 0 && r == dec:
			if groups > 0 && run != 3 {
				return 0, false
			}
			buf[w] = '.'
			w++
			state = 1
		case state < 2 && (r == 'e' || r == 'E') && digits > 0:
			if groups > 0 && state == 0 && run != 3 {
				return 0, false
			}
			buf[w] = 'e'
			w++
			state = 2
			if i < len(s) && (s[i] == '+' || s[i] == '-') {
				buf[w] = s[i]
				w++
				i++
			}
		default:
			return 0, false
		}
	}
	if digits == 0 || (state == 2 && expDigits == 0) {
		return 0, false
	}
	if state == 0 && groups > 0 && run != 3 {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(buf[:w]), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// takeSign removes one leading sign from s (trimming space after it),
// setting *neg for a minus; a second sign anywhere is refused.
func takeSign(s string, neg, signed *bool) (string, bool) {
	r, size := utf8.DecodeRuneInString(s)
	if r != '-' && r != '+' && r != '−' {
		return s, true
	}
	if *signed {
		return s, false
	}
	*signed = true
	if r != '+' {
		*neg = true
	}
	return strings.TrimLeftFunc(s[size:], unicode.IsSpace), true
}

func isCurrency(r rune) bool {
	switch r {
	case '$', '€', '£', '¥', '₹':
		return true
	}
	return false
}

func isGroup(r, group rune) bool {
	switch group {
	case ' ':
		return r == ' ' || r == '\u00a0' || r == '\u202f'
	case '\'':
		return r == '\'' || r == '’'
	}
	return r == group
}
