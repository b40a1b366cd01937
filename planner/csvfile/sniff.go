package csvfile

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/meridianplan/meridian/planner"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encoding is the character encoding of a text file.
type Encoding uint8

// The encodings Sniff detects.
const (
	UTF8        Encoding = iota // UTF-8 without a byte order mark (and plain ASCII)
	UTF8BOM                     // UTF-8 starting with the byte order mark EF BB BF
	UTF16LE                     // UTF-16 little-endian (BOM FF FE, or detected from its NUL bytes)
	UTF16BE                     // UTF-16 big-endian (BOM FE FF, or detected from its NUL bytes)
	Windows1252                 // Windows-1252, the superset of ISO-8859-1 (Latin-1) that Excel writes on Windows
)

// String returns the encoding's name as the import wizard shows it, e.g.
// "UTF-8 with BOM" or "Windows-1252 (Latin-1)".
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8 with BOM"
	case UTF16LE:
		return "UTF-16 LE"
	case UTF16BE:
		return "UTF-16 BE"
	case Windows1252:
		return "Windows-1252 (Latin-1)"
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

// decoder returns the golang.org/x/text decoder for the encoding, or nil for
// UTF-8 with or without BOM (read as is; the caller skips the BOM). The
// UTF-16 decoders remove a leading BOM (unicode.UseBOM).
func (e Encoding) decoder() *encoding.Decoder {
	switch e {
	case UTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	case Windows1252:
		return charmap.Windows1252.NewDecoder()
	}
	return nil
}

// LineEnding is how a text file ends its lines.
type LineEnding uint8

// The line endings Sniff detects.
const (
	LF   LineEnding = iota // "\n": Unix, macOS, most exports
	CRLF                   // "\r\n": Windows, Excel, RFC 4180
	CR                     // "\r" alone: classic Mac OS and old Excel for Mac "CSV (Macintosh)"
)

// String returns "LF", "CRLF" or "CR".
func (l LineEnding) String() string {
	switch l {
	case LF:
		return "LF"
	case CRLF:
		return "CRLF"
	case CR:
		return "CR"
	}
	return fmt.Sprintf("LineEnding(%d)", uint8(l))
}

// Dialect says how a CSV file is written. Sniff guesses it from the first
// bytes of a file; the import wizard shows it (String) and lets the user
// change any part before reading with OpenWith or NewReaderWith.
type Dialect struct {
	Encoding   Encoding
	Delimiter  rune       // ',', ';', '\t' or '|' (any rune but '"', '\r', '\n' and utf8.RuneError is accepted)
	LineEnding LineEnding // CR-only files are converted so that records split
	// Numbers is how the file writes numbers in text cells. Decimal is ','
	// only when the sample shows a decimal comma; Group is the group
	// separator seen in the sample, or, when none is seen, the conventional
	// partner of Decimal (',' for '.', '.' for ',') so that a "1,234" further
	// down the file still reads.
	Numbers planner.NumberFormat
}

// DefaultDialect is what Sniff returns for an empty sample: UTF-8, comma,
// LF, decimal point with comma groups.
var DefaultDialect = Dialect{Encoding: UTF8, Delimiter: ',', LineEnding: LF,
	Numbers: planner.NumberFormat{Decimal: '.', Group: ','}}

// String describes the dialect for the wizard's "confirm how it was read"
// step, e.g. "UTF-8 with BOM, comma-separated, CRLF line endings, numbers
// like 1,234.5".
func (d Dialect) String() string {
	return fmt.Sprintf("%s, %s, %s line endings, numbers like %s",
		d.Encoding, delimiterName(d.Delimiter), d.LineEnding, numberExample(d.Numbers))
}

func delimiterName(r rune) string {
	switch r {
	case ',':
		return "comma-separated"
	case ';':
		return "semicolon-separated"
	case '\t':
		return "tab-separated"
	case '|':
		return "pipe-separated"
	}
	return fmt.Sprintf("separated by %q", r)
}

func numberExample(f planner.NumberFormat) string {
	dec := f.Decimal
	if dec == 0 {
		dec = '.'
	}
	if f.Group == 0 {
		return "1234" + string(dec) + "5"
	}
	return "1" + string(f.Group) + "234" + string(dec) + "5"
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// sniffLines is how many records Sniff looks at to choose the delimiter.
const sniffLines = 100

// Sniff guesses the Dialect of a CSV file from its first bytes (64 KiB is
// plenty; the sample may end anywhere, even inside a character). It never
// fails: an empty sample gives DefaultDialect.
//
//   - Encoding: a byte order mark decides (EF BB BF UTF-8, FF FE UTF-16 LE,
//     FE FF UTF-16 BE). Without one, a sample whose odd (even) bytes are
//     mostly NUL is UTF-16 LE (BE); else valid UTF-8 is UTF-8, and anything
//     else is Windows-1252 (the WHATWG Encoding Standard also reads
//     "ISO-8859-1" labels as Windows-1252).
//   - Line endings: the most common of CRLF, LF and lone CR outside quoted
//     fields (ties go to CRLF, then LF).
//   - Delimiter: each of , ; TAB | splits the first 100 records
//     (double-quoted fields respected, as RFC 4180 writes them); the one
//     whose records most often have the same number of fields (more than one)
//     wins, then the one with more fields, then the order above. This is the
//     consistency test of Python's csv.Sniffer, simplified.
//   - Numbers: fields that look like numbers vote: "1,7", "200.000,50" and
//     "200.000.000" for a decimal comma; "1.7", "1,234.5" and "1,234,567"
//     for a decimal point. Ambiguous ones ("1,234", "1.234") do not vote. A
//     decimal comma needs more votes than the point.
func Sniff(sample []byte) Dialect {
	d := DefaultDialect
	if len(sample) == 0 {
		return d
	}
	d.Encoding = sniffEncoding(sample)
	text := decodeSample(sample, d.Encoding)
	d.LineEnding = sniffLineEnding(text)
	if d.LineEnding == CR {
		text = strings.ReplaceAll(text, "\r", "\n")
	} else {
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	text = strings.ReplaceAll(text, "\x00", "")
	truncated := len(sample) >= 1024 && !strings.HasSuffix(text, "\n")
	d.Delimiter = sniffDelimiter(text, truncated)
	d.Numbers = sniffNumbers(text, d.Delimiter, truncated)
	return d
}

func sniffEncoding(b []byte) Encoding {
	switch {
	case bytes.HasPrefix(b, utf8BOM):
		return UTF8BOM
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	if len(b) >= 4 {
		var even, odd int
		n := len(b) &^ 1
		for i := 0; i < n; i += 2 {
			if b[i] == 0 {
				even++
			}
			if b[i+1] == 0 {
				odd++
			}
		}
		pairs := n / 2
		// Mostly-ASCII UTF-16 text has a NUL in nearly every pair, always on
		// the same side.
		if odd*10 >= pairs*6 && even*10 < pairs {
			return UTF16LE
		}
		if even*10 >= pairs*6 && odd*10 < pairs {
			return UTF16BE
		}
	}
	if utf8.Valid(trimPartialRune(b)) {
		return UTF8
	}
	return Windows1252
}

// trimPartialRune drops an incomplete UTF-8 sequence cut at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if c >= 0xC0 { // a start byte
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

func decodeSample(b []byte, e Encoding) string {
	dec := e.decoder()
	if dec == nil {
		return string(trimPartialRune(bytes.TrimPrefix(b, utf8BOM)))
	}
	if e == UTF16LE || e == UTF16BE {
		b = b[:len(b)&^1]
	}
	// The decoders used here replace bad input rather than fail; keep
	// whatever was decoded.
	out, _ := dec.Bytes(b)
	return string(out)
}

func sniffLineEnding(text string) LineEnding {
	var crlf, lf, cr int
	inQuotes := false
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '"':
			inQuotes = !inQuotes
		case '\r':
			if inQuotes {
				continue
			}
			if i+1 < len(text) && text[i+1] == '\n' {
				crlf++
				i++
			} else if i+1 < len(text) || crlf+lf == 0 {
				cr++
			}
		case '\n':
			if !inQuotes {
				lf++
			}
		}
	}
	switch {
	case crlf > 0 && crlf >= lf && crlf >= cr:
		return CRLF
	case cr > lf && cr > crlf:
		return CR
	}
	return LF
}

// splitSample splits text ("\n" line ends) into records of fields by delim,
// the way RFC 4180 quotes them, and calls fn for each record. A truncated
// sample's last record is dropped. fn returns false to stop.
func splitSample(text string, delim rune, truncated bool, fn func(fields []string) bool) {
	var fields []string
	var field strings.Builder
	inQuotes := false
	emit := func() bool {
		fields = append(fields, field.String())
		field.Reset()
		rec := fields
		fields = fields[:0]
		if len(rec) == 1 && rec[0] == "" {
			return true // blank line
		}
		return fn(rec)
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case inQuotes:
			if r == '"' {
				if i < len(text) && text[i] == '"' {
					field.WriteByte('"') // "" is an escaped quote
					i++
					continue
				}
				inQuotes = false
				continue
			}
			field.WriteRune(r)
		case r == '"' && field.Len() == 0:
			inQuotes = true
		case r == delim:
			fields = append(fields, field.String())
			field.Reset()
		case r == '\n':
			if !emit() {
				return
			}
		default:
			field.WriteRune(r) // including a bare quote inside an unquoted field
		}
	}
	if !truncated && (field.Len() > 0 || len(fields) > 0) {
		emit()
	}
}

func sniffDelimiter(text string, truncated bool) rune {
	best, bestConsistent, bestMode := ',', -1.0, 0
	for _, delim := range []rune{',', ';', '\t', '|'} {
		counts := map[int]int{}
		total := 0
		splitSample(text, delim, truncated, func(f []string) bool {
			counts[len(f)]++
			total++
			return total < sniffLines
		})
		mode, modeN := 0, 0
		for n, c := range counts {
			if c > modeN || (c == modeN && n > mode) {
				mode, modeN = n, c
			}
		}
		if mode < 2 {
			continue
		}
		consistent := float64(modeN) / float64(total)
		if consistent > bestConsistent+1e-9 || (consistent > bestConsistent-1e-9 && mode > bestMode) {
			best, bestConsistent, bestMode = delim, consistent, mode
		}
	}
	return best
}

// sniffNumbers looks at the data fields of the sample (not the first record,
// the header) and votes for a decimal comma or point; a tie in a
// semicolon-separated file goes to the comma.
func sniffNumbers(text string, delim rune, truncated bool) planner.NumberFormat {
	var comma, point int
	var groups [4]int // votes for group separators: '.', ',', ' ', '\''
	first := true
	n := 0
	splitSample(text, delim, truncated, func(fields []string) bool {
		if first {
			first = false
			return true
		}
		for _, f := range fields {
			c, p, g := numberVote(f)
			comma += c
			point += p
			if g >= 0 {
				groups[g]++
			}
		}
		n++
		return n < 1000
	})
	// With no evidence either way (only values such as "1.234", which read
	// as 1234 or 1.234), a semicolon-separated file is taken to come from a
	// locale that writes decimal commas, as spreadsheets there write it:
	// "1.234" is then 1234, and a point decimal such as "3.5" is reported
	// rather than silently read a thousand times too small.
	if comma > point || (comma == point && delim == ';') {
		nf := planner.NumberFormat{Decimal: ',', Group: '.'}
		switch {
		case groups[2] > groups[0] && groups[2] >= groups[3]:
			nf.Group = ' '
		case groups[3] > groups[0]:
			nf.Group = '\''
		}
		return nf
	}
	nf := planner.NumberFormat{Decimal: '.', Group: ','}
	switch {
	case groups[2] > groups[1] && groups[2] >= groups[3]:
		nf.Group = ' '
	case groups[3] > groups[1]:
		nf.Group = '\''
	}
	return nf
}

// numberVote returns votes for a decimal comma and a decimal point that one
// field gives, and the index of the group separator it shows (-1 for none):
// 0 '.', 1 ',', 2 ' ', 3 '\”.
func numberVote(f string) (comma, point, group int) {
	group = -1
	s := strings.TrimSpace(f)
	s = strings.TrimLeft(s, "+-($€£¥")
	s = strings.TrimRight(s, ")%$€£¥")
	s = strings.TrimSpace(s)
	if s == "" || s[0] < '0' || s[0] > '9' {
		return
	}
	// Split into runs of digits separated by single non-digit bytes.
	var seps []byte
	var runs []int
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			run++
			continue
		}
		if run == 0 || (c != '.' && c != ',' && c != ' ' && c != '\'') {
			return 0, 0, -1 // not a plain number
		}
		seps = append(seps, c)
		runs = append(runs, run)
		run = 0
	}
	if run == 0 {
		return 0, 0, -1
	}
	runs = append(runs, run)
	if len(seps) == 0 {
		return
	}
	last := seps[len(seps)-1]
	// Groups: every separator but the last one (and the last one when the
	// number has no decimals) must be the same and split 3-digit runs.
	groupsOK := func(upto int, sep byte) bool {
		if runs[0] > 3 {
			return false
		}
		for i := 0; i < upto; i++ {
			if seps[i] != sep || runs[i+1] != 3 {
				return false
			}
		}
		return true
	}
	gi := func(c byte) int {
		switch c {
		case '.':
			return 0
		case ',':
			return 1
		case ' ':
			return 2
		}
		return 3
	}
	switch {
	case len(seps) == 1 && (last == '.' || last == ','):
		if runs[1] == 3 && runs[0] <= 3 {
			return 0, 0, -1 // 1,234 or 1.234: ambiguous
		}
		if last == ',' {
			return 1, 0, -1
		}
		return 0, 1, -1
	case len(seps) >= 2 && groupsOK(len(seps), seps[0]):
		// Groups only: 200.000.000 or 1,234,567 or 1 234 567.
		switch seps[0] {
		case '.':
			return 1, 0, 0
		case ',':
			return 0, 1, 1
		}
		return 0, 0, gi(seps[0])
	case len(seps) >= 2 && (last == '.' || last == ',') && seps[0] != last && groupsOK(len(seps)-1, seps[0]):
		// Groups then decimals: 200.000,50 or 1,234.5 or 1 234,5.
		if last == ',' {
			return 1, 0, gi(seps[0])
		}
		return 0, 1, gi(seps[0])
	case len(seps) == 1 && (last == ' ' || last == '\''):
		if runs[0] <= 3 && runs[1] == 3 {
			return 0, 0, gi(last)
		}
	}
	return 0, 0, -1
}
