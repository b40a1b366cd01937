package planner

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Placeholders are the values that CRM and open-data exports write for "no
// data". The importer reads a cell that holds one of them, ignoring case and
// surrounding spaces, as empty: "NOT AVAILABLE", "N/A", "NA", "#N/A" (Excel's
// error value), "-999" (HIFLD's unknown bed count), "NULL", "none", "-".
var Placeholders = []string{"NOT AVAILABLE", "N/A", "NA", "#N/A", "-999", "NULL", "none", "-"}

// IsPlaceholder reports whether s is one of Placeholders (case and
// surrounding spaces ignored), or only spaces.
func IsPlaceholder(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	if len(s) > len("NOT AVAILABLE") {
		return false
	}
	switch s[0] {
	case 'N', 'n', '#', '-':
	default:
		return false
	}
	for _, p := range Placeholders {
		if strings.EqualFold(s, p) {
			return true
		}
	}
	return false
}

// ParseNumber reads a number written as text with the number format f:
// optional spaces, an optional sign (+ or -, also after a currency sign), an
// optional currency sign ($ € £ ¥) before or after, digits with f.Group
// between groups of three (the first group 1 to 3 digits), an optional
// f.Decimal and fraction, an optional exponent (e or E), an optional
// trailing %. A space group separator also accepts U+00A0 and U+202F, as
// spreadsheets write them. f.Decimal 0 means '.'. "1,7" with Group ',' is
// not a number (the group has 1 digit), so a misread decimal comma is
// reported rather than read as 17. NaN, infinities and hexadecimal are not
// numbers. The percent sign is only dropped: "12%" is 12.
//
// It is a stop-gap: planner/csvfile brings the CSV reader's ParseNumber,
// which the importer may use instead once it has landed.
func ParseNumber(s string, f NumberFormat) (float64, bool) {
	dec := f.Decimal
	if dec == 0 {
		dec = '.'
	}
	s = strings.TrimSpace(s)
	// Fast path: plain ASCII decimal, the common case.
	if plain(s) {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && dec == '.' {
			return v, true
		}
	}
	var buf [64]byte
	b := buf[:0]
	i := 0
	// Sign and currency, in either order.
	for k := 0; k < 2 && i < len(s); k++ {
		switch c := s[i]; {
		case c == '+' || c == '-':
			if len(b) > 0 {
				return 0, false
			}
			if c == '-' {
				b = append(b, '-')
			}
			i++
		default:
			if n := currency(s[i:]); n > 0 {
				i += n
				for i < len(s) && s[i] == ' ' {
					i++
				}
			}
		}
	}
	// Integer part with groups.
	digits, group := 0, -1 // group: digits since the last group separator, -1 before the first
	for i < len(s) {
		c := s[i]
		if c >= '0' && c <= '9' {
			b = append(b, c)
			digits++
			if group >= 0 {
				group++
			}
			i++
			if len(b) > 40 {
				return 0, false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if f.Group != 0 && digits > 0 && (r == f.Group || f.Group == ' ' && (r == '\u00a0' || r == '\u202f')) {
			if group == -1 && digits > 3 || group >= 0 && group != 3 {
				return 0, false
			}
			group = 0
			i += n
			continue
		}
		break
	}
	if group >= 0 && group != 3 {
		return 0, false
	}
	// Fraction.
	frac := 0
	if i < len(s) {
		if r, n := utf8.DecodeRuneInString(s[i:]); r == dec {
			b = append(b, '.')
			i += n
			for i < len(s) && s[i] >= '0' && s[i] <= '9' && len(b) < 60 {
				b = append(b, s[i])
				frac++
				i++
			}
		}
	}
	if digits == 0 && frac == 0 {
		return 0, false
	}
	// Exponent.
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		b = append(b, 'e')
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			b = append(b, s[i])
			i++
		}
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 4 {
			b = append(b, s[i])
			i++
			n++
		}
		if n == 0 {
			return 0, false
		}
	}
	// Trailing percent or currency.
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && s[i] == '%' {
		i++
	} else if n := currency(s[i:]); n > 0 {
		i += n
	}
	if i != len(s) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// plain reports whether s is made only of ASCII digits, at most one '.' and
// a leading '-', with at least one digit: what strconv.ParseFloat reads as
// is and every file writes the same way.
func plain(s string) bool {
	if s == "" || len(s) > 30 {
		return false
	}
	i, dot, digits := 0, false, 0
	if s[0] == '-' {
		i = 1
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// currency returns the length of the currency sign that s starts with, or 0.
func currency(s string) int {
	for _, c := range []string{"$", "€", "£", "¥"} {
		if strings.HasPrefix(s, c) {
			return len(c)
		}
	}
	return 0
}

// canonicalNumber reports whether s is exactly how a numeric custom field
// stores v: plain decimal (see plain) without a leading zero before a digit.
func canonicalNumber(s string) bool {
	return plain(s) && !leadingZero(s)
}

// leadingZero reports whether the digits of s start with a 0 followed by
// another digit ("06031"): an identifier such as a FIPS or ZIP code, which a
// number would lose.
func leadingZero(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), "-")
	return len(s) > 1 && s[0] == '0' && s[1] >= '0' && s[1] <= '9'
}

// formatNumber formats v as a numeric custom field stores it: the shortest
// decimal that reads back as v, without exponent.
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
