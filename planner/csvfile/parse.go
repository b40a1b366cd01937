package csvfile

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"
)

// parser splits decoded UTF-8 text ("\n" or "\r\n" line ends) into records.
// It follows RFC 4180 (double-quoted fields may hold delimiters, line
// breaks and "" for a quote) and forgives what Excel, Python's csv module
// and most readers forgive, but keeps damage to one field:
//
//   - a quote inside an unquoted field is kept as text: Acme "The Best" Inc;
//   - a quote that closes a quoted field but is followed by something other
//     than the delimiter or the line end is a stray quote: the field's text
//     keeps both quotes and runs, unquoted, to the next delimiter or line end
//     ("Big" Bob's Diner reads as "Big" Bob's Diner). encoding/csv's
//     LazyQuotes would instead read on, possibly to the end of the file;
//   - a quoted field still open at the end of the file ends there;
//   - blank lines are skipped.
//
// Like encoding/csv with ReuseRecord, it makes one string per record and
// slices the fields from it.
type parser struct {
	br     *bufio.Reader
	comma  []byte // the delimiter, UTF-8 encoded
	line   int    // lines read so far
	buf    []byte // the current record's field bytes
	ends   []int  // end offset in buf of each field
	fields []string
	long   []byte // a line longer than br's buffer
	valid  bool   // the last record read is valid UTF-8
	err    error  // the reader's error, held back while its line is parsed
}

func newParser(r io.Reader, delim rune) *parser {
	return &parser{br: bufio.NewReaderSize(r, 64<<10), comma: utf8.AppendRune(nil, delim)}
}

// readLine returns the next line with "\r\n" normalised to "\n" (the last
// line may lack it), or an empty line and the error (io.EOF at the end).
// The line is valid until the next call.
func (p *parser) readLine() ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	line, err := p.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.long = append(p.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = p.br.ReadSlice('\n')
			p.long = append(p.long, line...)
		}
		line = p.long
	}
	if len(line) > 0 {
		p.line++
		if err != nil {
			p.err = err // returned by the next call, after this line
			err = nil
		}
		if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
			line[n-2] = '\n'
			line = line[:n-1]
		}
	}
	return line, err
}

// read returns the fields of the next non-blank record and the line it
// starts on. The fields are valid until the next call. At the end it returns
// io.EOF; an error of the underlying reader is returned as is.
func (p *parser) read() ([]string, int, error) {
	var line []byte
	var err error
	for {
		line, err = p.readLine()
		if len(line) == 0 && err != nil {
			return nil, 0, err
		}
		if len(line) > 1 || (len(line) == 1 && line[0] != '\n') {
			break
		}
	}
	start := p.line
	p.buf = p.buf[:0]
	p.ends = p.ends[:0]
	comma := p.comma
	var readErr error
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			// An unquoted field.
			i := index(line, comma)
			if i >= 0 {
				p.buf = append(p.buf, line[:i]...)
				p.ends = append(p.ends, len(p.buf))
				line = line[i+len(comma):]
				continue
			}
			p.buf = append(p.buf, trimNewline(line)...)
			p.ends = append(p.ends, len(p.buf))
			break
		}
		// A quoted field.
		fieldStart := len(p.buf)
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				p.buf = append(p.buf, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"':
					p.buf = append(p.buf, '"') // "" is a quote
					line = line[1:]
					continue
				case bytes.HasPrefix(line, comma):
					p.ends = append(p.ends, len(p.buf))
					line = line[len(comma):]
					continue fields
				case len(line) == 0 || (len(line) == 1 && line[0] == '\n'):
					p.ends = append(p.ends, len(p.buf))
					break fields
				}
				// A stray quote: keep both quotes, and read the rest of
				// the field unquoted.
				p.buf = append(p.buf, 0)
				copy(p.buf[fieldStart+1:], p.buf[fieldStart:])
				p.buf[fieldStart] = '"'
				p.buf = append(p.buf, '"')
				j := index(line, comma)
				if j >= 0 {
					p.buf = append(p.buf, line[:j]...)
					p.ends = append(p.ends, len(p.buf))
					line = line[j+len(comma):]
					continue fields
				}
				p.buf = append(p.buf, trimNewline(line)...)
				p.ends = append(p.ends, len(p.buf))
				break fields
			case len(line) > 0:
				// A line break inside the quotes.
				p.buf = append(p.buf, line...)
				line, readErr = p.readLine()
				if len(line) == 0 && readErr != nil {
					p.ends = append(p.ends, len(p.buf)) // open at the end of the file
					break fields
				}
			default:
				p.ends = append(p.ends, len(p.buf))
				break fields
			}
		}
	}
	p.valid = utf8.Valid(p.buf)
	s := string(p.buf)
	p.fields = p.fields[:0]
	prev := 0
	for _, e := range p.ends {
		p.fields = append(p.fields, s[prev:e])
		prev = e
	}
	if readErr == io.EOF {
		readErr = nil
	}
	return p.fields, start, readErr
}

func index(line, comma []byte) int {
	if len(comma) == 1 {
		return bytes.IndexByte(line, comma[0])
	}
	return bytes.Index(line, comma)
}

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1]
	}
	return b
}
