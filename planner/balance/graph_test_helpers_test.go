package balance_test

// Test inputs: a grid built by hand, Georgia's counties from the PySAL
// example data, and the sample plan's counties. This file is the only place
// that builds a balance.Graph from geometry, so that it can be swapped for
// geo.Graph later.

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/balance"
	"github.com/meridianplan/meridian/planner/sample"
)

// gridGraph is a w×h grid of unit squares (rook adjacency, shared length 1,
// area 1, perimeter 4), unit index y*w+x, with centroids.
func gridGraph(w, h int) *balance.Graph {
	n := w * h
	area, perim := make([]float64, n), make([]float64, n)
	for i := range n {
		area[i], perim[i] = 1, 4
	}
	g := balance.FromLists(n, func(i int) ([]int, []float64) {
		x, y := i%w, i/w
		var adj []int
		var sh []float64
		for _, d := range [][2]int{{0, -1}, {-1, 0}, {1, 0}, {0, 1}} {
			if xx, yy := x+d[0], y+d[1]; xx >= 0 && xx < w && yy >= 0 && yy < h {
				adj = append(adj, yy*w+xx)
				sh = append(sh, 1)
			}
		}
		return adj, sh
	}, area, perim)
	g.X, g.Y = make([]float64, n), make([]float64, n)
	for i := range n {
		g.X[i], g.Y[i] = float64(i%w)+0.5, float64(i/w)+0.5
	}
	return g
}

// fromGeometry builds the graph of planar units: rook adjacency with shared
// lengths from geo.Edges (grid snapping), ring areas and lengths from orb's
// planar package, area centroids, plus island links.
func fromGeometry(units []orb.MultiPolygon, grid float64, lonlat []orb.Point) *balance.Graph {
	e := geo.NewEdges(units, grid)
	n := len(units)
	area, perim := make([]float64, n), make([]float64, n)
	for i, mp := range units {
		for _, poly := range mp {
			for k, r := range poly {
				a := math.Abs(planar.Area(r))
				if k > 0 {
					a = -a
				}
				area[i] += a
				perim[i] += planar.Length(r)
			}
		}
	}
	links := islandLinks(n, e, lonlat)
	g := balance.FromLists(n, func(i int) ([]int, []float64) {
		var adj []int
		var sh []float64
		for _, b := range e.UnitNeighbors(i) {
			adj = append(adj, b.Unit)
			sh = append(sh, b.Length)
		}
		for _, l := range links {
			if l[0] == i {
				adj, sh = append(adj, l[1]), append(sh, 0)
			}
		}
		return adj, sh
	}, area, perim)
	g.X, g.Y = make([]float64, n), make([]float64, n)
	for i, mp := range units {
		c, _ := planar.CentroidArea(mp)
		g.X[i], g.Y[i] = c[0], c[1]
	}
	return g
}

// islandLinks connects the components of the rook graph: while there is
// more than one, every component but the largest links its unit nearest
// (by the chord between lon/lat points on the sphere) to any unit outside
// it. It returns the links as pairs (smaller component's unit first).
func islandLinks(n int, e *geo.Edges, lonlat []orb.Point) [][2]int {
	var links [][2]int
	xyz := make([][3]float64, n)
	for i, p := range lonlat {
		lo, la := p[0]*math.Pi/180, p[1]*math.Pi/180
		xyz[i] = [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
	}
	for {
		comp := make([]int, n)
		for i := range comp {
			comp[i] = -1
		}
		var sizes []int
		for s := range n {
			if comp[s] >= 0 {
				continue
			}
			c := len(sizes)
			sizes = append(sizes, 0)
			stack := []int{s}
			comp[s] = c
			for len(stack) > 0 {
				u := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				sizes[c]++
				next := []int{}
				for _, b := range e.UnitNeighbors(u) {
					next = append(next, b.Unit)
				}
				for _, l := range links {
					if l[0] == u {
						next = append(next, l[1])
					} else if l[1] == u {
						next = append(next, l[0])
					}
				}
				for _, v := range next {
					if comp[v] < 0 {
						comp[v] = c
						stack = append(stack, v)
					}
				}
			}
		}
		if len(sizes) <= 1 {
			return links
		}
		largest := 0
		for c := range sizes {
			if sizes[c] > sizes[largest] {
				largest = c
			}
		}
		for c := range sizes {
			if c == largest {
				continue
			}
			best, bu, bv := math.Inf(1), -1, -1
			for u := range n {
				if comp[u] != c {
					continue
				}
				for v := range n {
					if comp[v] == c {
						continue
					}
					d := 0.0
					for k := range 3 {
						d += (xyz[u][k] - xyz[v][k]) * (xyz[u][k] - xyz[v][k])
					}
					if d < best {
						best, bu, bv = d, u, v
					}
				}
			}
			links = append(links, [2]int{bu, bv})
		}
	}
}

// georgia is the Georgia input of bar B: 159 counties in UTM metres and
// their 1990 population.
type georgiaData struct {
	g   *balance.Graph
	pop []float64
}

var georgiaOnce = sync.OnceValues(func() (georgiaData, error) {
	b, err := os.ReadFile(filepath.Join("..", "..", "geo", "testdata", "adjacency", "georgia.geojson"))
	if err != nil {
		return georgiaData{}, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return georgiaData{}, err
	}
	var units []orb.MultiPolygon
	var pop []float64
	var ll []orb.Point
	for _, f := range fc.Features {
		switch geom := f.Geometry.(type) {
		case orb.Polygon:
			units = append(units, orb.MultiPolygon{geom})
		case orb.MultiPolygon:
			units = append(units, geom)
		}
		pop = append(pop, f.Properties.MustFloat64("TotPop90"))
		ll = append(ll, orb.Point{f.Properties.MustFloat64("Longitud"), f.Properties.MustFloat64("Latitude")})
	}
	return georgiaData{fromGeometry(units, 1e-3, ll), pop}, nil
})

func georgia(tb testing.TB) georgiaData {
	tb.Helper()
	d, err := georgiaOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// usData is the sample plan's 50 states and DC: counties projected to km
// (Albers equal-area, true scale, one projection each for the lower 48,
// Alaska and Hawaii), population and hospital beds per county.
type usData struct {
	g          *balance.Graph
	codes      []string // county FIPS
	state      []string // state FIPS
	pop, beds  []float64
	lower48    []bool
	stateUnits map[string][]int
}

const earthKm = 6371.0088

var usOnce = sync.OnceValues(func() (usData, error) {
	p, err := sample.Build(context.Background(), nil)
	if err != nil {
		return usData{}, err
	}
	return usFromPlan(p), nil
})

func usFromPlan(p *planner.Plan) usData {
	var d usData
	d.stateUnits = map[string][]int{}
	index := map[string]int{}
	var units []orb.MultiPolygon
	var ll []orb.Point
	l48 := geo.NewAlbers(-96, 23, 29.5, 45.5)
	ak := geo.NewAlbers(-154, 50, 55, 65)
	hi := geo.NewAlbers(-157, 13, 8, 18)
	for _, u := range p.Units {
		st := u.Code[:2]
		if slices.Contains([]string{"72", "60", "66", "69", "78"}, st) {
			continue
		}
		proj := l48
		switch st {
		case "02":
			proj = ak
		case "15":
			proj = hi
		}
		mp := make(orb.MultiPolygon, len(u.Geometry))
		for i, poly := range u.Geometry {
			mp[i] = make(orb.Polygon, len(poly))
			for j, r := range poly {
				rr := make(orb.Ring, len(r))
				for k, pt := range r {
					q := proj.Project(pt)
					rr[k] = orb.Point{q[0] * earthKm, q[1] * earthKm}
				}
				mp[i][j] = rr
			}
		}
		index[u.Code] = len(units)
		d.stateUnits[st] = append(d.stateUnits[st], len(units))
		units = append(units, mp)
		c, _ := planar.CentroidArea(u.Geometry)
		ll = append(ll, c)
		d.codes = append(d.codes, u.Code)
		d.state = append(d.state, st)
		pop := 0.0
		if u.Population.Known {
			pop = u.Population.Value
		}
		d.pop = append(d.pop, pop)
		d.lower48 = append(d.lower48, st != "02" && st != "15")
	}
	d.beds = make([]float64, len(units))
	for _, a := range p.Accounts {
		if i, ok := index[a.UnitCode]; ok && a.Potential.Known && a.Potential.Value > 0 {
			d.beds[i] += a.Potential.Value
		}
	}
	d.g = fromGeometry(units, 1e-6, ll)
	// Centroids in one projection (the lower 48's) so that Alaska and
	// Hawaii lie far from the mainland, where they are.
	for i, c := range ll {
		q := l48.Project(c)
		d.g.X[i], d.g.Y[i] = q[0]*earthKm, q[1]*earthKm
	}
	return d
}

func us(tb testing.TB) usData {
	tb.Helper()
	d, err := usOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// isState reports whether code is a county of the state with FIPS st.
func isState(code, st string) bool { return strings.HasPrefix(code, st) }
