package planner_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
	"github.com/paulmach/orb"
)

// TestImportAccounts_HospitalsCSVReader reads the hospital file with the real
// CSV reader (planner/csvfile): the same accounts as through encoding/csv.
func TestImportAccounts_HospitalsCSVReader(t *testing.T) {
	want := impMust(t, impHospitals(t), planner.ImportOptions{})
	path := filepath.Join(t.TempDir(), "us_hospitals_hifld.csv")
	f, err := os.Open("testdata/us_hospitals_hifld.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	impGunzip(t, f, path)
	cr, err := csvfile.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cr.Close()
	got := impMust(t, cr, planner.ImportOptions{})
	if got.Rows != want.Rows || len(got.Accounts) != len(want.Accounts) || len(got.Problems) != 0 || len(got.Duplicates) != len(want.Duplicates) {
		t.Fatalf("csvfile: %d rows, %d accounts, %d problems; encoding/csv: %d, %d, %d", got.Rows, len(got.Accounts), len(got.Problems),
			want.Rows, len(want.Accounts), len(want.Problems))
	}
	for i := range got.Accounts {
		if g, w := got.Accounts[i], want.Accounts[i]; !impSameAccount(g, w) || got.AccountRows[i] != want.AccountRows[i] {
			t.Fatalf("account %d (row %d):\n got %+v\nwant %+v", i, got.AccountRows[i], g, w)
		}
	}
}

func impSameAccount(a, b planner.Account) bool {
	return reflect.DeepEqual(a, b)
}

// BenchmarkImportCSV1M is the whole import of a 1,000,000-row, 20-column
// CSV file (about 200 MB, written once per run): csvfile.Open, which sniffs
// the file, then ImportAccounts with a trivial Locate, then
// Plan.WithImport into an empty plan (Consume). The target: 5 s and
// less than 1 GB. peak-MB (see impPeak) counts what earlier benchmarks of
// the same run left to the runtime: run it alone (-bench '^BenchmarkImportCSV1M$').
func BenchmarkImportCSV1M(b *testing.B) {
	const n = 1_000_000
	path := filepath.Join(b.TempDir(), "accounts.csv")
	impWriteCSV(b, path, n)
	locate := func(p orb.Point) (string, planner.Placement) { return "", planner.PlacedNone }
	base := &planner.Plan{Name: "x", Scenarios: []planner.Scenario{{ID: 1}}}
	b.ReportAllocs()
	var cpu int64
	peak := impPeak(b)
	for b.Loop() {
		c0 := impCPUTime()
		r, err := csvfile.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		res, err := planner.ImportAccounts(context.Background(), r, planner.ImportOptions{Mapping: planner.GuessMapping(r.Header()), Locate: locate})
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
		p, rep, err := base.WithImport(res, planner.MergeOptions{Consume: true})
		cpu += impCPUTime() - c0
		if err != nil || rep.Added != n || len(res.Problems) != 0 {
			b.Fatalf("%+v, %d problems %v, %v", rep, len(res.Problems), res.Problems[:min(3, len(res.Problems))], err)
		}
		runtime.KeepAlive(p)
		b.StopTimer()
		p, res = nil, nil
		runtime.GC()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(peak())/1e6, "peak-MB")
}

// impWriteCSV writes the rows of impGen as a CSV file.
func impWriteCSV(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(strings.Join(impGenHeader, ",") + "\n")
	g := &impGen{n: n}
	for {
		rec, err := g.Next()
		if err != nil {
			break
		}
		for k, c := range rec.Cells {
			if k > 0 {
				w.WriteByte(',')
			}
			w.WriteString(c.Text)
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

func impGunzip(t *testing.T, src *os.File, path string) {
	t.Helper()
	z, err := gzip.NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
