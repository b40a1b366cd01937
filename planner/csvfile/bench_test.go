package csvfile_test

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/meridianplan/meridian/planner/csvfile"
)

// cpuTime is the process's user+system CPU time in nanoseconds (garbage
// collection included); less disturbed than wall time when other processes
// share the machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

var (
	benchOnce sync.Once
	benchDir  string
	benchFile string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// bigCSV writes, once per test binary, a CRM-like CSV of rows rows and 20
// columns: ids, names, addresses with quoted commas, ZIPs with leading
// zeros, coordinates, revenue with quoted thousands separators, dates.
func bigCSV(tb testing.TB, rows int) string {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "csvfile-bench-")
		if benchErr != nil {
			return
		}
		benchFile = filepath.Join(benchDir, "accounts-1M.csv")
		f, err := os.Create(benchFile)
		if err != nil {
			benchErr = err
			return
		}
		defer f.Close()
		w := bufio.NewWriterSize(f, 1<<20)
		rng := rand.New(rand.NewPCG(1, 2))
		names := []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell"}
		suffix := []string{"Inc", "LLC", "Corp", "Holdings", "Group", "Partners, Ltd", "Co"}
		streets := []string{"Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Elm St", "Washington Blvd"}
		cities := []string{"Springfield", "Boston", "Denver", "Austin", "Portland", "Columbus", "San José"}
		states := []string{"IL", "MA", "CO", "TX", "OR", "OH", "CA"}
		industries := []string{"Healthcare", "Manufacturing", "Retail", "Software", "Finance, Banking", "Energy"}
		owners := []string{"Ana Pop", "John O'Neil", "Mary Smith", "Li Wei", "Jürgen Müller"}
		w.WriteString("Account ID,Account Name,Billing Street,Billing City,Billing State,Billing Zip,Billing Country,Latitude,Longitude,Annual Revenue,Employees,Industry,Account Owner,Phone,Website,Created Date,Status,Rating,Notes,Score\n")
		var buf []byte
		for i := range rows {
			b := buf[:0]
			b = append(b, "001A"...)
			b = strconv.AppendInt(b, int64(1000000+i), 10)
			b = append(b, ',')
			name := names[rng.IntN(len(names))] + " " + suffix[rng.IntN(len(suffix))]
			if strings.Contains(name, ",") || rng.IntN(7) == 5 {
				b = append(b, '"')
				b = append(b, name...)
				b = append(b, '"')
			} else {
				b = append(b, name...)
			}
			b = append(b, ",\""...)
			b = strconv.AppendInt(b, int64(rng.IntN(9999)+1), 10)
			b = append(b, ' ')
			b = append(b, streets[rng.IntN(len(streets))]...)
			b = append(b, ", Suite "...)
			b = strconv.AppendInt(b, int64(rng.IntN(900)+100), 10)
			b = append(b, "\","...)
			k := rng.IntN(len(cities))
			b = append(b, cities[k]...)
			b = append(b, ',')
			b = append(b, states[k]...)
			b = append(b, ',')
			zip := rng.IntN(99999)
			b = append(b, []byte(strconv.Itoa(100000 + zip))[1:]...)
			b = append(b, ",United States,"...)
			b = strconv.AppendFloat(b, 25+rng.Float64()*24, 'f', 6, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, -124+rng.Float64()*57, 'f', 6, 64)
			b = append(b, ",\""...)
			rev := rng.IntN(900000000)
			b = append(b, groupThousands(rev)...)
			b = append(b, ".00\","...)
			b = strconv.AppendInt(b, int64(rng.IntN(50000)), 10)
			b = append(b, ',')
			ind := industries[rng.IntN(len(industries))]
			if ind == "Finance, Banking" {
				b = append(b, "\"Finance, Banking\""...)
			} else {
				b = append(b, ind...)
			}
			b = append(b, ',')
			b = append(b, owners[rng.IntN(len(owners))]...)
			b = append(b, ",(555) "...)
			b = strconv.AppendInt(b, int64(rng.IntN(900)+100), 10)
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(rng.IntN(9000)+1000), 10)
			b = append(b, ",https://www.example"...)
			b = strconv.AppendInt(b, int64(i%5000), 10)
			b = append(b, ".com,20"...)
			b = strconv.AppendInt(b, int64(10+rng.IntN(16)), 10)
			b = append(b, "-0"...)
			b = strconv.AppendInt(b, int64(1+rng.IntN(9)), 10)
			b = append(b, "-1"...)
			b = strconv.AppendInt(b, int64(rng.IntN(9)), 10)
			if rng.IntN(10) == 0 {
				b = append(b, ",Closed,Cold,\"Moved, see \"\"new\"\" record\","...)
			} else {
				b = append(b, ",Active,Hot,,"...)
			}
			b = strconv.AppendInt(b, int64(rng.IntN(100)), 10)
			b = append(b, '\n')
			w.Write(b)
			buf = b
		}
		benchErr = w.Flush()
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchFile
}

func groupThousands(n int) string {
	s := strconv.Itoa(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// BenchmarkRead1M reads a generated 1,000,000-row, 20-column CSV (about
// 222 MB): open, sniff, and every record to the end.
func BenchmarkRead1M(b *testing.B) {
	const rows = 1_000_000
	path := bigCSV(b, rows)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		r, err := csvfile.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Header()) != 20 {
			b.Fatalf("header %q", r.Header())
		}
		n := 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			if len(rec.Cells) != 20 {
				b.Fatalf("row %d has %d cells", rec.Row, len(rec.Cells))
			}
			n++
		}
		r.Close()
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
