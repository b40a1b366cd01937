// Package csvfile reads the user's CSV files (CRM exports, spreadsheets saved
// as CSV) as a planner.TableReader: it detects the encoding, delimiter, line
// endings and number format (Sniff), forgives form (ragged rows, stray
// quotes, NUL bytes, CR-only line endings, blank or duplicate header names)
// and reports every record with the line it starts on.
//
// The text is decoded with golang.org/x/text, then split into records by a
// forgiving RFC 4180 parser (see Reader.Next). Choices made for messy files:
//   - NUL bytes are removed, not refused (Reader.NULsRemoved counts them);
//   - a field that is not valid UTF-8 in a file read as UTF-8 is decoded as
//     Windows-1252 (Reader.RepairedFields counts them);
//   - CR-only line endings are converted to "\n", also inside quoted fields;
//   - header names are trimmed, blank ones named "Column N", repeated ones
//     numbered (Reader.Header);
//   - files that are Excel workbooks, PDFs or binary are refused with a
//     message saying what to do.
package csvfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/meridianplan/meridian/planner"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// SampleSize is how many bytes from the start of a file Sniff looks at.
const SampleSize = 64 << 10

// Reader reads the records of one CSV file after its header. It implements
// planner.TableReader. A Reader is not safe for concurrent use.
type Reader struct {
	name      string
	closer    io.Closer // the file opened by Open; nil for NewReader
	size      int64
	count     *countingReader
	clean     *cleanReader
	p         *parser
	dialect   Dialect
	header    []string
	headerRow int
	cells     []planner.Cell
	done      bool
	fixed     int // UTF-8 fields repaired as Windows-1252
}

var _ planner.TableReader = (*Reader)(nil)

// Open opens the CSV file at path, sniffs its Dialect from the first
// SampleSize bytes and reads its header. Errors are *planner.Error: EIO when
// the file cannot be opened or read (wrapping the os error, so
// errors.Is(err, fs.ErrNotExist) works), EUNSUPPORTED when it is an Excel
// workbook or not text, EINVALID when it is empty.
func Open(path string) (*Reader, error) {
	return open(path, nil)
}

// OpenWith is Open with the Dialect given rather than sniffed: the import
// wizard calls it when the user corrects how the file was read. Errors as
// Open, plus EINVALID for an unusable delimiter.
func OpenWith(path string, d Dialect) (*Reader, error) {
	return open(path, &d)
}

func open(path string, d *Dialect) (*Reader, error) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		msg := "Could not open " + name
		if errors.Is(err, fs.ErrNotExist) {
			msg += ": the file does not exist"
		} else if errors.Is(err, fs.ErrPermission) {
			msg += ": permission denied"
		}
		return nil, &planner.Error{Code: planner.EIO, Message: msg, Err: err}
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, planner.Errorf(planner.EINVALID, "%s is a folder, not a CSV file", name)
		}
		size = st.Size()
	}
	r, err := newReader(name, f, size, d)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

// NewReader reads a CSV file from r, named name in messages (e.g.
// "accounts.csv"). size is r's length in bytes for Progress, or 0 when
// unknown. It sniffs the Dialect from the first SampleSize bytes. Close does
// not close r. Errors as Open.
func NewReader(name string, r io.Reader, size int64) (*Reader, error) {
	return newReader(name, r, size, nil)
}

// NewReaderWith is NewReader with the Dialect given rather than sniffed.
func NewReaderWith(name string, r io.Reader, size int64, d Dialect) (*Reader, error) {
	return newReader(name, r, size, &d)
}

func newReader(name string, raw io.Reader, size int64, d *Dialect) (*Reader, error) {
	cr := &countingReader{r: raw}
	sampleSize := SampleSize
	if size > 0 && size < SampleSize {
		sampleSize = int(size) + 1 // +1 sees the end of a file of known size
	}
	sample := make([]byte, sampleSize)
	n, err := io.ReadFull(cr, sample)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, &planner.Error{Code: planner.EIO, Message: "Could not read " + name, Err: err}
	}
	sample = sample[:n]
	if err := checkText(name, sample); err != nil {
		return nil, err
	}
	var dialect Dialect
	if d != nil {
		dialect = *d
	} else {
		dialect = Sniff(sample)
	}
	if !validDelimiter(dialect.Delimiter) {
		return nil, planner.Errorf(planner.EINVALID, "Cannot read %s with the delimiter %q: choose a comma, semicolon, tab or pipe", name, dialect.Delimiter)
	}
	if dialect.Numbers.Decimal == 0 {
		dialect.Numbers.Decimal = '.'
	}
	if dialect.Encoding > Windows1252 {
		dialect.Encoding = UTF8
	}
	if dialect.Encoding == UTF8 || dialect.Encoding == UTF8BOM {
		sample = bytes.TrimPrefix(sample, utf8BOM)
	}
	var stream io.Reader = io.MultiReader(bytes.NewReader(sample), cr)
	if dec := dialect.Encoding.decoder(); dec != nil {
		stream = transform.NewReader(stream, dec)
	}
	clean := &cleanReader{r: stream, cr: dialect.LineEnding == CR}
	p := newParser(clean, dialect.Delimiter)
	r := &Reader{name: name, size: size, count: cr, clean: clean, p: p, dialect: dialect}
	for {
		rec, line, err := p.read()
		if err == io.EOF {
			return nil, planner.Errorf(planner.EINVALID, "%s is empty: it has no header row", name)
		} else if err != nil {
			return nil, &planner.Error{Code: planner.EIO, Message: "Could not read the header of " + name, Err: err}
		}
		if blankRecord(rec) {
			continue
		}
		r.headerRow = line
		r.header = headerNames(r.fixUTF8(rec))
		break
	}
	return r, nil
}

func validDelimiter(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && r != 0xFEFF && utf8.ValidRune(r)
}

// checkText refuses files that are clearly not CSV text, with a message
// that says what to do instead.
func checkText(name string, b []byte) error {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return planner.Errorf(planner.EUNSUPPORTED, "%s is an Excel workbook (or another zipped file), not a CSV file: import it as an Excel .xlsx file", name)
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return planner.Errorf(planner.EUNSUPPORTED, "%s is an old Excel .xls workbook, not a CSV file: open it in Excel and save it as .xlsx or CSV", name)
	case bytes.HasPrefix(b, []byte("%PDF")):
		return planner.Errorf(planner.EUNSUPPORTED, "%s is a PDF document, not a CSV file", name)
	}
	enc := sniffEncoding(b)
	if enc == UTF16LE || enc == UTF16BE || len(b) < 64 {
		return nil
	}
	// Text (other than UTF-16) has no control bytes but tab and line breaks;
	// a few stray NULs are forgiven (and removed), a binary file has many.
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			ctl++
		}
	}
	if ctl*10 > len(b) {
		return planner.Errorf(planner.EUNSUPPORTED, "%s does not look like a text (CSV) file: %d of its first %d bytes are binary", name, ctl, len(b))
	}
	return nil
}

// Source returns the file name given to Open or NewReader.
func (r *Reader) Source() string { return r.name }

// Header returns the column names, one per column of the header record, in
// file order. Each name has its surrounding white space trimmed and inner
// runs of white space (including line breaks in a quoted name) collapsed to
// one space; a blank name becomes "Column N" (N 1-based), and a name equal
// (ignoring case) to an earlier one gets " (2)", " (3)"... appended, so that
// every name is unique. The slice is a copy.
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// HeaderRow returns the 1-based line number of the header: 1 unless blank
// lines come before it.
func (r *Reader) HeaderRow() int { return r.headerRow }

// Numbers returns the Dialect's number format.
func (r *Reader) Numbers() planner.NumberFormat { return r.dialect.Numbers }

// Dialect returns how the file is being read: sniffed by Open and
// NewReader, or as given to OpenWith and NewReaderWith.
func (r *Reader) Dialect() Dialect { return r.dialect }

// NULsRemoved returns how many NUL bytes (U+0000) were removed from the text
// read so far. NULs are never meaningful in account data (they are left by
// broken exports and padding), so they are removed rather than refused; the
// importer can report the count.
func (r *Reader) NULsRemoved() int64 { return r.clean.nuls }

// RepairedFields returns how many fields so far were not valid UTF-8 in a
// file read as UTF-8 and were decoded as Windows-1252 instead (a file
// appended to by a program that wrote Latin-1).
func (r *Reader) RepairedFields() int { return r.fixed }

// Next returns the next data record: Row is the line it starts on (lines
// counted with "\n", "\r\n" or "\r" as the file uses), Cells holds one
// CellText per non-empty field (the text exactly as in the file, quotes
// removed) and CellEmpty per empty one, padded with CellEmpty to the
// header's length; fields beyond the header are kept. Records whose fields
// are all empty or white space are skipped.
//
// Fields follow RFC 4180: a field starting with '"' may hold delimiters,
// line breaks (kept as "\n") and "" for a quote. Bad quoting is forgiven
// without losing more than one field: a quote inside an unquoted field is
// text (Acme "The Best" Inc); a closing quote followed by anything but the
// delimiter or line end is a stray quote, and the field keeps both quotes
// and runs to the next delimiter ("Big" Bob's Diner stays as written); a
// quoted field still open at the end of the file ends there. The Cells slice is reused by the
// next call. After the last record Next returns io.EOF; a read error is a
// *planner.Error with code EIO naming the file and line.
func (r *Reader) Next() (planner.Record, error) {
	if r.done {
		return planner.Record{}, io.EOF
	}
	for {
		fields, line, err := r.p.read()
		if err == io.EOF {
			r.done = true
			return planner.Record{}, io.EOF
		} else if err != nil {
			r.done = true
			if line == 0 {
				line = r.p.line
			}
			return planner.Record{}, &planner.Error{Code: planner.EIO,
				Message: "Could not read " + r.name + " at line " + strconv.Itoa(line), Err: err}
		}
		if blankRecord(fields) {
			continue
		}
		n := max(len(fields), len(r.header))
		if cap(r.cells) < n {
			r.cells = make([]planner.Cell, n)
		}
		cells := r.cells[:n]
		for i, f := range fields {
			if f == "" {
				cells[i] = planner.Cell{}
				continue
			}
			if !r.p.valid && r.dialect.Encoding <= UTF8BOM && !utf8.ValidString(f) {
				f = decode1252(f)
				r.fixed++
			}
			cells[i] = planner.Cell{Kind: planner.CellText, Text: f}
		}
		clear(cells[len(fields):])
		return planner.Record{Row: line, Cells: cells}, nil
	}
}

// Progress returns the fraction of the file's bytes read so far, 0 to 1 (0
// until the end when the size is unknown). It runs ahead of Next by at most
// the read buffers (about 130 KiB).
func (r *Reader) Progress() float64 {
	if r.done {
		return 1
	}
	if r.size <= 0 {
		return 0
	}
	return min(1, float64(r.count.n)/float64(r.size))
}

// Close closes the file opened by Open or OpenWith; for NewReader it does
// nothing. It returns the os error, if any, unwrapped.
func (r *Reader) Close() error {
	r.done = true
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

func blankRecord(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// fixUTF8 repairs the header's invalid UTF-8 fields as Next does.
func (r *Reader) fixUTF8(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if r.dialect.Encoding <= UTF8BOM && !utf8.ValidString(f) {
			f = decode1252(f)
			r.fixed++
		}
		out[i] = f
	}
	return out
}

// decode1252 keeps the valid UTF-8 of s and decodes each invalid byte as
// Windows-1252.
func decode1252(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(charmap.Windows1252.DecodeByte(s[i]))
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// headerNames cleans the header record's names (see Reader.Header).
func headerNames(fields []string) []string {
	names := make([]string, len(fields))
	seen := make(map[string]bool, len(fields))
	for i, f := range fields {
		name := strings.Join(strings.FieldsFunc(f, func(r rune) bool {
			return unicode.IsSpace(r) || r == 0xFEFF
		}), " ")
		if name == "" {
			name = "Column " + strconv.Itoa(i+1)
		}
		base := name
		for k := 2; seen[strings.ToLower(name)]; k++ {
			name = base + " (" + strconv.Itoa(k) + ")"
		}
		seen[strings.ToLower(name)] = true
		names[i] = name
	}
	return names
}

// countingReader counts the bytes read from the file, for Progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// cleanReader removes NUL bytes and, for CR-only files, turns "\r" (and
// "\r\n") into "\n" so that encoding/csv splits records.
type cleanReader struct {
	r      io.Reader
	cr     bool
	lastCR bool
	nuls   int64
}

func (c *cleanReader) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		n = c.filter(p[:n])
		if n > 0 || err != nil {
			return n, err
		}
	}
}

func (c *cleanReader) filter(b []byte) int {
	if !c.cr {
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return len(b)
		}
		w := i
		for _, x := range b[i:] {
			if x == 0 {
				c.nuls++
				continue
			}
			b[w] = x
			w++
		}
		return w
	}
	w := 0
	for _, x := range b {
		switch {
		case x == 0:
			c.nuls++
			continue
		case x == '\r':
			x = '\n'
			c.lastCR = true
		case x == '\n' && c.lastCR:
			c.lastCR = false
			continue
		default:
			c.lastCR = false
		}
		b[w] = x
		w++
	}
	return w
}

// IsTextFile reports whether the file at path starts like text rather than
// a zip (XLSX) or OLE2 (XLS) container: its first 512 bytes hold no byte
// below a tab, or it starts with a UTF-16 byte order mark. CRM systems
// often export CSV or tab-separated text under an .xls name; importers
// read such a file as CSV. It is false when the file cannot be read.
func IsTextFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if n == 0 || bytes.HasPrefix(buf, []byte("PK")) || bytes.HasPrefix(buf, []byte{0xd0, 0xcf, 0x11, 0xe0}) {
		return false
	}
	if bytes.HasPrefix(buf, []byte{0xff, 0xfe}) || bytes.HasPrefix(buf, []byte{0xfe, 0xff}) {
		return true
	}
	for _, c := range buf {
		if c < '\t' {
			return false
		}
	}
	return true
}
