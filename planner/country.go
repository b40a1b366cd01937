package planner

import (
	"strings"
)

// DefaultCountry guesses the country of a plan's geography, for geocoding
// addresses that give none: the shared prefix of HASC unit codes ("RO.BV",
// "CA.QC": Natural Earth admin-1 layers) as an ISO 3166-1 alpha-2 code;
// "US" for US county or state FIPS codes (all digits, 2 or 5 long); "" when
// the units span several countries (a world layer) or nothing tells.
func (p *Plan) DefaultCountry() string {
	if len(p.Units) == 0 {
		return ""
	}
	prefix, fips := "", true
	for i, u := range p.Units {
		c := u.Code
		fips = fips && (len(c) == 5 || len(c) == 2) && strings.Trim(c, "0123456789") == ""
		hasc := len(c) > 3 && c[2] == '.' && isUpper(c[0]) && isUpper(c[1])
		switch {
		case !hasc:
			prefix = "-"
		case i == 0:
			prefix = c[:2]
		case prefix != c[:2]:
			prefix = "-"
		}
	}
	switch {
	case prefix != "-" && prefix != "":
		return prefix
	case fips:
		return "US"
	}
	return ""
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
