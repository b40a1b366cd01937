package geocode

import (
	"encoding/csv"
	"io"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/planner"
)

// cpuTime returns the process's user+system CPU time in nanoseconds, so that
// benchmarks can report CPU time per op next to wall time (other tests run
// on the same machine).
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkLoad decompresses and indexes both embedded gazetteers, which New
// does once per process. peak-MB is the heap in use after the load.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	var g *gazetteer
	c0 := cpuTime()
	for b.Loop() {
		var err error
		if g, err = build(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	runtime.KeepAlive(g)
}

// addresses100k returns 100,000 addresses cycled from the open and closed
// HIFLD hospitals in three forms: ZIP only, ZIP+4 with city and state
// (postal match), and city and state without ZIP (city match), plus every
// tenth a world city with a country name.
func addresses100k(b *testing.B) []planner.Address {
	rc, err := assets.Hospitals()
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	head, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\uFEFF")] = i
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		rows = append(rows, rec)
	}
	world := []planner.Address{
		{City: "München", Country: "Germany"}, {City: "London", Country: "UK"},
		{City: "Toronto", State: "ON", Country: "Canada"}, {City: "São Paulo", Country: "Brazil"},
		{City: "Lyon", Country: "FR"},
	}
	out := make([]planner.Address, 100000)
	for i := range out {
		rec := rows[i%len(rows)]
		switch {
		case i%10 == 9:
			out[i] = world[i/10%len(world)]
		case i%3 == 0:
			out[i] = planner.Address{ZIP: rec[col["ZIP"]]}
		case i%3 == 1:
			out[i] = planner.Address{ZIP: rec[col["ZIP"]] + "-1234", City: rec[col["CITY"]], State: rec[col["STATE"]]}
		default:
			out[i] = planner.Address{City: rec[col["CITY"]], State: rec[col["STATE"]], Country: "USA"}
		}
	}
	return out
}

// BenchmarkGeocode100k geocodes 100,000 mixed addresses per op; ns/address
// is the time per address.
func BenchmarkGeocode100k(b *testing.B) {
	gc := newGC(b)
	addrs := addresses100k(b)
	b.ReportAllocs()
	c0 := cpuTime()
	located := 0
	for b.Loop() {
		located = 0
		for _, a := range addrs {
			if gc.Geocode(a).Level != planner.MatchNone {
				located++
			}
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(addrs)), "ns/address")
	b.ReportMetric(float64(located), "located")
}
