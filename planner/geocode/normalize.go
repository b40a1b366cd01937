package geocode

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// special folds letters that Unicode canonical decomposition leaves alone.
var special = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŀ': "l", 'ŧ': "t",
}

// latinFold caches the NFKD decomposition of the Latin-1 Supplement and
// Latin Extended-A and -B letters, which are most of the accented letters of
// the gazetteer: key() runs on every city name when the gazetteer loads.
var latinFold = func() (t [0x250]string) {
	for r := rune(0x80); r < 0x250; r++ {
		t[r] = norm.NFKD.String(string(r))
	}
	return t
}()

// abbreviations expands the abbreviations US and Canadian place names are
// written with, so "St. Louis", "St Louis" and "Saint Louis" share a key.
var abbreviations = map[string]string{
	"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort",
}

// key returns the form in which names are compared: lower case, accents
// removed (Unicode NFKD, combining marks dropped, plus the letters in
// special), "&" read as "and", the abbreviations expanded word by word,
// and everything that is not a letter or digit (spaces, hyphens,
// apostrophes, dots) removed. "Winston-Salem" and "Winston Salem",
// "Coeur d'Alene" and "Coeur D Alene", "St. Louis" and "SAINT LOUIS" have
// the same key; so do "München" and "Munchen" (but not "Muenchen").
func key(s string) string {
	buf := make([]byte, 0, len(s)+8)
	word := 0 // start of the current word in buf
	end := func() {
		if x, ok := abbreviations[string(buf[word:])]; ok {
			buf = append(buf[:word], x...)
		}
		word = len(buf)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				buf = append(buf, c)
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+'a'-'A')
			case c == '\'' || c == '`':
				// O'Fallon, Coeur d'Alene: one word
			case c == '&':
				end()
				buf = append(buf, "and"...)
				end()
			default:
				end()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		r = unicode.ToLower(r)
		if x, ok := special[r]; ok {
			buf = append(buf, x...)
			continue
		}
		switch {
		case r == '’' || r == 'ʻ' || r == '´' || unicode.Is(unicode.Mn, r):
			continue // apostrophes, combining marks
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			end()
			continue
		}
		fold := ""
		if r < rune(len(latinFold)) {
			fold = latinFold[r]
		} else {
			fold = norm.NFKD.String(string(r))
		}
		for _, d := range fold {
			switch {
			case 'a' <= d && d <= 'z', '0' <= d && d <= '9':
				buf = append(buf, byte(d))
			case 'A' <= d && d <= 'Z':
				buf = append(buf, byte(d)+'a'-'A')
			case d >= utf8.RuneSelf && !unicode.Is(unicode.Mn, d):
				buf = utf8.AppendRune(buf, unicode.ToLower(d))
			}
		}
	}
	end()
	return string(buf)
}

// ParseZIP reads a US ZIP code as a CRM export or spreadsheet writes it and
// returns its 5 digits. It accepts "02134", ZIP+4 ("02134-1234",
// "02134 1234", "021341234"), surrounding spaces, and a number that a
// spreadsheet wrote with a decimal part ("2134.0"). A 3- or 4-digit ZIP
// ("501", "2134", "2134-1234") lost its leading zeros when a spreadsheet
// read it as a number; it is padded with zeros ("00501", "02134") and
// warning says so. ok is false, with zip and warning "", for anything else
// (letters, 1-2 or 6-8 digits, a Canadian or UK postcode).
func ParseZIP(s string) (zip, warning string, ok bool) {
	t := strings.TrimSpace(s)
	if i := strings.IndexByte(t, '.'); i > 0 && strings.Trim(t[i+1:], "0") == "" {
		t = t[:i] // 2134.0
	}
	five := t
	if len(t) == 9 && digits(t) {
		five = t[:5]
	} else if i := strings.IndexAny(t, "- "); i > 0 {
		if plus := strings.TrimSpace(t[i+1:]); len(plus) != 4 || !digits(plus) {
			return "", "", false
		}
		five = t[:i]
	}
	if !digits(five) {
		return "", "", false
	}
	switch len(five) {
	case 5:
		return five, "", true
	case 3, 4:
		zip = strings.Repeat("0", 5-len(five)) + five
		lost := "zero"
		if len(five) == 3 {
			lost = "zeros"
		}
		return zip, "ZIP " + strings.TrimSpace(s) + " lost its leading " + lost + "; read as " + zip, true
	}
	return "", "", false
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
