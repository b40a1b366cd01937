package app

import (
	"math"
	"strconv"
)

// formatCount formats v rounded to a whole number with thousands separators,
// e.g. 1234567.4 -> "1,234,567".
func formatCount(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatInt(int64(math.Round(math.Abs(v))), 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if v < 0 && math.Round(v) != 0 {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// formatPercent formats a deviation in percent with a sign and one decimal,
// e.g. "+12.3%", "−4.0%" (with a true minus sign).
func formatPercent(v float64) string {
	r := math.Round(v*10) / 10
	switch {
	case r > 0:
		return "+" + strconv.FormatFloat(r, 'f', 1, 64) + "%"
	case r < 0:
		return "−" + strconv.FormatFloat(-r, 'f', 1, 64) + "%"
	default:
		return "0.0%"
	}
}
