package csvfile_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
)

// FuzzReader reads any bytes as a CSV file, sniffed and with a dialect
// chosen from the input, and checks that it never panics, that errors are
// *planner.Error, that headers are clean and unique, that every record has
// at least the header's cells, that rows only grow, and that it ends.
// Seeds: every testdata/*.csv file and testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("a;b\r\n\"x\r\ny\";1,5\r\n"))
	f.Add(utf16("Name\tRevenue\nA\t1.234,5\n", true))
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data, nil)
		if len(data) >= 2 {
			d := csvfile.Dialect{
				Encoding:   csvfile.Encoding(data[0] % 5),
				Delimiter:  []rune{',', ';', '\t', '|', 'é'}[int(data[1])%5],
				LineEnding: csvfile.LineEnding(data[0] / 5 % 3),
				Numbers:    commaPoint,
			}
			check(t, data, &d)
		}
	})
}

func check(t *testing.T, data []byte, d *csvfile.Dialect) {
	var r *csvfile.Reader
	var err error
	if d == nil {
		r, err = csvfile.NewReader("fuzz.csv", bytes.NewReader(data), int64(len(data)))
	} else {
		r, err = csvfile.NewReaderWith("fuzz.csv", bytes.NewReader(data), int64(len(data)), *d)
	}
	if err != nil {
		var pe *planner.Error
		if !errors.As(err, &pe) || !strings.Contains(pe.Message, "fuzz.csv") {
			t.Fatalf("error %v is not a *planner.Error naming the file", err)
		}
		return
	}
	defer r.Close()
	header := r.Header()
	if len(header) == 0 {
		t.Fatal("empty header")
	}
	seen := map[string]bool{}
	for _, h := range header {
		if h == "" || strings.TrimSpace(h) != h || strings.ContainsAny(h, "\r\n\t") {
			t.Fatalf("header name %q is not clean", h)
		}
		if seen[strings.ToLower(h)] {
			t.Fatalf("header name %q repeats in %q", h, header)
		}
		seen[strings.ToLower(h)] = true
	}
	last := r.HeaderRow()
	if last < 1 {
		t.Fatalf("HeaderRow = %d", last)
	}
	for n := 0; ; n++ {
		if n > len(data)+1 {
			t.Fatal("more records than bytes")
		}
		if p := r.Progress(); p < 0 || p > 1 {
			t.Fatalf("Progress = %v", p)
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if len(rec.Cells) < len(header) {
			t.Fatalf("row %d: %d cells for %d columns", rec.Row, len(rec.Cells), len(header))
		}
		if rec.Row <= last {
			t.Fatalf("row %d after row %d", rec.Row, last)
		}
		last = rec.Row
		blank := true
		for _, c := range rec.Cells {
			if (c.Kind == planner.CellEmpty) != (c.Text == "") {
				t.Fatalf("row %d: cell %+v", rec.Row, c)
			}
			if strings.TrimSpace(c.Text) != "" {
				blank = false
			}
			if strings.IndexByte(c.Text, 0) >= 0 {
				t.Fatalf("row %d: NUL kept in %q", rec.Row, c.Text)
			}
		}
		if blank {
			t.Fatalf("row %d is blank and was not skipped", rec.Row)
		}
	}
	if r.Progress() != 1 {
		t.Fatalf("Progress at the end = %v", r.Progress())
	}
}
