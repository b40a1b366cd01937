package planner_test

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
)

// impGen is a generated planner.TableReader of n rows × 20 columns, made
// row by row as a CSV reader would: one string per row, the cells slices of
// it, every cell CellText.
type impGen struct {
	n, i  int
	buf   []byte
	ends  [20]int
	cells [20]planner.Cell
}

var impGenHeader = []string{"Account ID", "Account Name", "Billing Street", "Billing City", "Billing State/Province",
	"Billing Zip/Postal Code", "Billing Country", "Latitude", "Longitude", "Annual Revenue", "Employees", "Industry",
	"Account Owner", "Phone", "Website", "Status", "Created", "Tier", "Score", "Notes"}

var (
	impGenCities     = []string{"Springfield", "Riverside", "Franklin", "Greenville", "Bristol", "Clinton", "Fairview", "Salem"}
	impGenStates     = []string{"CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA"}
	impGenIndustries = []string{"Healthcare", "Manufacturing", "Retail", "Finance", "Education", "Technology"}
	impGenOwners     = []string{"Ann Lee", "Bo Chen", "Cy Diaz", "Di Evans", "Ed Fox"}
)

func (g *impGen) Source() string                { return "generated.csv" }
func (g *impGen) Header() []string              { return impGenHeader }
func (g *impGen) HeaderRow() int                { return 1 }
func (g *impGen) Numbers() planner.NumberFormat { return impDot }
func (g *impGen) Progress() float64             { return float64(g.i) / float64(g.n) }
func (g *impGen) Close() error                  { return nil }
func (g *impGen) Next() (planner.Record, error) {
	if g.i >= g.n {
		return planner.Record{}, io.EOF
	}
	i := g.i
	g.i++
	b := g.buf[:0]
	col := 0
	end := func() { g.ends[col] = len(b); col++ }
	b = append(b, "001"...)
	b = strconv.AppendInt(b, int64(i), 10)
	end()
	b = append(b, "Account "...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, " Inc"...)
	end()
	b = strconv.AppendInt(b, int64(i%9999+1), 10)
	b = append(b, " Main Street"...)
	end()
	b = append(b, impGenCities[i%len(impGenCities)]...)
	end()
	b = append(b, impGenStates[i%len(impGenStates)]...)
	end()
	zip := 10000 + i%89999
	b = strconv.AppendInt(b, int64(zip), 10)
	end()
	b = append(b, "US"...)
	end()
	b = strconv.AppendFloat(b, 25+float64(i%2400)/100, 'f', 4, 64)
	end()
	b = strconv.AppendFloat(b, -70-float64(i%5000)/100, 'f', 4, 64)
	end()
	if i%50 == 0 {
		b = append(b, "N/A"...)
	} else {
		b = strconv.AppendInt(b, int64(i%1000)*1000+500, 10)
	}
	end()
	b = strconv.AppendInt(b, int64(i%5000), 10)
	end()
	b = append(b, impGenIndustries[i%len(impGenIndustries)]...)
	end()
	b = append(b, impGenOwners[i%len(impGenOwners)]...)
	end()
	b = append(b, "+1 555 "...)
	b = strconv.AppendInt(b, int64(1000000+i%9000000), 10)
	end()
	b = append(b, "https://account"...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ".example.com"...)
	end()
	b = append(b, "Active"...)
	end()
	b = append(b, "2024-01-15"...)
	end()
	b = strconv.AppendInt(b, int64(i%3+1), 10)
	end()
	b = strconv.AppendFloat(b, float64(i%1000)/10, 'f', 1, 64)
	end()
	if i%7 == 0 {
		b = append(b, "Key account; renewal in Q3"...)
	}
	end()
	g.buf = b
	row := string(b)
	start := 0
	for k, e := range g.ends {
		if e == start {
			g.cells[k] = planner.Cell{}
		} else {
			g.cells[k] = planner.Cell{Kind: planner.CellText, Text: row[start:e]}
		}
		start = e
	}
	return planner.Record{Row: i + 2, Cells: g.cells[:]}, nil
}

// BenchmarkImport1M imports 1,000,000 generated rows of 20 columns (a
// Salesforce-like export: 12 mapped fields, 9 custom fields, 2% revenue
// placeholders) with a trivial Locate; the time includes making the rows
// (see BenchmarkGenerate1M). live-MB is the heap in use after the import,
// with the result alive; peak-MB the most memory the Go runtime held from
// the system during the import (runtime/metrics /memory/classes/total:bytes,
// sampled every 5 ms).
func BenchmarkImport1M(b *testing.B) {
	const n = 1_000_000
	locate := func(p orb.Point) (string, planner.Placement) { return "06037", planner.PlacedInside }
	mapping := planner.GuessMapping(impGenHeader)
	b.ReportAllocs()
	var live uint64
	var cpu int64
	peak := impPeak(b)
	for b.Loop() {
		c0 := impCPUTime()
		res, err := planner.ImportAccounts(context.Background(), &impGen{n: n}, planner.ImportOptions{Mapping: mapping, Locate: locate})
		if err != nil {
			b.Fatal(err)
		}
		cpu += impCPUTime() - c0
		if len(res.Accounts) != n || len(res.CustomFields) != 9 || len(res.Problems) != 0 || res.Matches[planner.MatchPoint] != n {
			b.Fatalf("%d accounts, %d custom fields, %d problems", len(res.Accounts), len(res.CustomFields), len(res.Problems))
		}
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		live = ms.HeapAlloc
		runtime.KeepAlive(res)
		res = nil
		runtime.GC()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(live)/1e6, "live-MB")
	b.ReportMetric(float64(peak())/1e6, "peak-MB")
}

// impPeak samples the memory that the Go runtime holds from the system
// every 5 ms until the benchmark ends; the returned function stops the
// sampling and returns the largest sample, in bytes.
func impPeak(b *testing.B) func() uint64 {
	stop := make(chan struct{})
	done := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
		var peak uint64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	var once uint64
	b.Cleanup(func() {
		if once == 0 {
			close(stop)
			<-done
		}
	})
	return func() uint64 {
		close(stop)
		once = <-done
		return once
	}
}

// BenchmarkGenerate1M is the cost of making the rows alone, to subtract
// from BenchmarkImport1M.
func BenchmarkGenerate1M(b *testing.B) {
	b.ReportAllocs()
	c0 := impCPUTime()
	for b.Loop() {
		g := &impGen{n: 1_000_000}
		for {
			if _, err := g.Next(); err != nil {
				break
			}
		}
	}
	b.ReportMetric(float64(impCPUTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkWithImport1M merges a 1,000,000-account import into a plan that
// has the same accounts (a re-import: every account matched by external
// ID).
func BenchmarkWithImport1M(b *testing.B) {
	const n = 1_000_000
	res, err := planner.ImportAccounts(context.Background(), &impGen{n: n}, planner.ImportOptions{Mapping: planner.GuessMapping(impGenHeader)})
	if err != nil {
		b.Fatal(err)
	}
	base := &planner.Plan{Name: "x", Scenarios: []planner.Scenario{{ID: 1}}}
	p, _, err := base.WithImport(res, planner.MergeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	c0 := impCPUTime()
	for b.Loop() {
		q, rep, err := p.WithImport(res, planner.MergeOptions{})
		if err != nil || rep.Unchanged != n || len(q.Accounts) != n {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(impCPUTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
