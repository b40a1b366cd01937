package geo_test

import (
	"context"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner/sample"
)

// sampleUnits holds the sample plan's county codes, names and geometries
// (WGS84 lon/lat degrees), in the order of Plan.Units.
type sampleUnits struct {
	codes []string
	names []string
	geoms []orb.MultiPolygon
}

var sampleUnitsOnce = sync.OnceValues(func() (*sampleUnits, error) {
	p, err := sample.Build(context.Background(), nil)
	if err != nil {
		return nil, err
	}
	s := &sampleUnits{}
	for _, u := range p.Units {
		s.codes = append(s.codes, u.Code)
		s.names = append(s.names, u.Name)
		s.geoms = append(s.geoms, u.Geometry)
	}
	return s, nil
})

func loadSampleUnits(tb testing.TB) *sampleUnits {
	tb.Helper()
	s, err := sampleUnitsOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

var sampleGraphOnce = sync.OnceValue(func() *geo.Graph {
	s, err := sampleUnitsOnce()
	if err != nil {
		return nil
	}
	return geo.NewGraph(s.geoms, geo.USGraphOptions())
})

func sampleGraph(tb testing.TB) (*sampleUnits, *geo.Graph) {
	tb.Helper()
	s := loadSampleUnits(tb)
	return s, sampleGraphOnce()
}

// BenchmarkNewGraphUSCounties builds the graph of the sample plan's 3,231
// counties from WGS84 degrees: EqualAreaUS projection, exact matching,
// tolerant fallback at USToleranceKm and island links.
func BenchmarkNewGraphUSCounties(b *testing.B) {
	s := loadSampleUnits(b)
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		geo.NewGraph(s.geoms, geo.USGraphOptions())
	}
	reportCPU(b, c0)
}

// BenchmarkPolsbyPopper scores 20 territories of the sample's counties
// (consecutive runs of the FIPS order, so mostly whole states).
func BenchmarkPolsbyPopper(b *testing.B) {
	s, g := sampleGraph(b)
	group := make([]int, len(s.codes))
	for i := range group {
		group[i] = i * 20 / len(group)
	}
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		g.PolsbyPopper(group, 20)
	}
	reportCPU(b, c0)
}
