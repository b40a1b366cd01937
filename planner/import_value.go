package planner

import (
	"strconv"
	"strings"
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
