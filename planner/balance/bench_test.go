package balance_test

import (
	"context"
	"syscall"
	"testing"

	"github.com/meridianplan/meridian/planner/balance"
)

// cpuTime is the process's user+system CPU time in nanoseconds: Solve
// runs two searches in parallel, so it shows the total work, and it is
// less disturbed than wall time when other processes share the machine.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkSolveUS times bar A: 3,142 counties, 20 territories,
// population and beds within ±5% (two searches on two cores).
func BenchmarkSolveUS(b *testing.B) {
	d := us(b)
	p := usProblem(d)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		if _, err := balance.Solve(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkSolveGeorgia times bar B: 159 counties, 5 territories.
func BenchmarkSolveGeorgia(b *testing.B) {
	g := georgia(b)
	p := balance.Problem{Graph: g.g, K: 5, Metrics: []balance.Metric{{Name: "Population", Values: g.pop}}, Seed: 1}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		if _, err := balance.Solve(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkRebalanceUS times bar D: rebalancing the sample after the
// counties of one state moved into a neighbouring territory, 10%
// disruption limit.
func BenchmarkRebalanceUS(b *testing.B) {
	d := us(b)
	base, err := usResult()
	if err != nil {
		b.Fatal(err)
	}
	cur, _ := moveOneState(d, base)
	if cur == nil {
		b.Skip("no state to move")
	}
	p := usProblem(d)
	p.Current, p.Disruption = cur, 0.10
	b.ResetTimer()
	c0 := cpuTime()
	for range b.N {
		if _, err := balance.Solve(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
