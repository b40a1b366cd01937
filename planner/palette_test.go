package planner_test

import (
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// Colour science for the palette tests. sRGB is IEC 61966-2-1 (D65); CIELAB
// is CIE 15:2004 with the D65 white; the dichromacy simulations are the
// severity-1.0 matrices of Machado, Oliveira & Fernandes, "A Physiologically-
// based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6),
// 2009, applied to linear RGB and clamped to [0, 1].

type rgb [3]float64 // linear RGB, 0..1

var visions = []struct {
	name string
	m    *[3][3]float64 // nil: normal vision
}{
	{"normal", nil},
	{"protanopia", &[3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}},
	{"deuteranopia", &[3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}},
	{"tritanopia", &[3][3]float64{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}},
}

func hexToLinear(t *testing.T, h string) rgb {
	t.Helper()
	if len(h) != 7 || h[0] != '#' {
		t.Fatalf("colour %q is not #RRGGBB", h)
	}
	v, err := strconv.ParseUint(h[1:], 16, 32)
	if err != nil {
		t.Fatalf("colour %q: %v", h, err)
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return rgb{lin(v >> 16 & 255), lin(v >> 8 & 255), lin(v & 255)}
}

func simulate(c rgb, m *[3][3]float64) rgb {
	if m == nil {
		return c
	}
	var o rgb
	for i := range o {
		o[i] = math.Min(1, math.Max(0, m[i][0]*c[0]+m[i][1]*c[1]+m[i][2]*c[2]))
	}
	return o
}

func toLab(c rgb) [3]float64 {
	x := 0.4124564*c[0] + 0.3575761*c[1] + 0.1804375*c[2]
	y := 0.2126729*c[0] + 0.7151522*c[1] + 0.0721750*c[2]
	z := 0.0193339*c[0] + 0.1191920*c[1] + 0.9503041*c[2]
	f := func(t float64) float64 {
		const d = 6.0 / 29
		if t > d*d*d {
			return math.Cbrt(t)
		}
		return t/(3*d*d) + 4.0/29
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

func deltaE76(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

// minDeltaE returns the smallest CIE76 ΔE between two colours over the four
// visions, and the vision where it occurs.
func minDeltaE(t *testing.T, a, b string) (float64, string) {
	ca, cb := hexToLinear(t, a), hexToLinear(t, b)
	best, where := math.Inf(1), ""
	for _, v := range visions {
		if e := deltaE76(toLab(simulate(ca, v.m)), toLab(simulate(cb, v.m))); e < best {
			best, where = e, v.name
		}
	}
	return best, where
}

// TestColourScience checks the helpers against published values so that the
// palette tests below measure what they claim.
func TestColourScience(t *testing.T) {
	// sRGB red in CIELAB (D65): L* 53.24, a* 80.09, b* 67.20.
	lab := toLab(hexToLinear(t, "#FF0000"))
	for i, want := range [3]float64{53.24, 80.09, 67.20} {
		if math.Abs(lab[i]-want) > 0.01 {
			t.Errorf("Lab(#FF0000)[%d] = %.3f, want %.2f", i, lab[i], want)
		}
	}
	// Machado matrices leave greys grey (rows sum to 1).
	for _, v := range visions[1:] {
		g := simulate(rgb{0.5, 0.5, 0.5}, v.m)
		for i := range g {
			if math.Abs(g[i]-0.5) > 1e-5 {
				t.Errorf("%s maps grey 0.5 to %v", v.name, g)
			}
		}
	}
	// Protanopes and deuteranopes confuse red and green; tritanopes do not.
	red, green := hexToLinear(t, "#FF0000"), hexToLinear(t, "#00A000")
	for _, v := range visions {
		e := deltaE76(toLab(simulate(red, v.m)), toLab(simulate(green, v.m)))
		confused := v.name == "protanopia" || v.name == "deuteranopia"
		if confused != (e < 40) {
			t.Errorf("%s: ΔE76(red, green) = %.1f", v.name, e)
		}
	}
}

func TestTerritoryPaletteReadableAndDistinct(t *testing.T) {
	p := planner.TerritoryPalette()
	if len(p) < 8 {
		t.Fatalf("palette has %d colours, want at least 8", len(p))
	}
	p[0] = "#000000" // a copy: changing it changes nothing
	p = planner.TerritoryPalette()
	if p[0] != "#77AADD" {
		t.Fatalf("TerritoryPalette()[0] = %s after a caller changed its copy", p[0])
	}
	seen := map[string]bool{}
	for _, c := range p {
		if c != strings.ToUpper(c) || seen[c] {
			t.Errorf("colour %s is not upper case or repeats", c)
		}
		seen[c] = true
		// WCAG 2 relative luminance and contrast ratio against black.
		l := hexToLinear(t, c)
		y := 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
		if ratio := (y + 0.05) / 0.05; ratio < 4.5 {
			t.Errorf("%s: contrast with black %.2f:1, want >= 4.5:1", c, ratio)
		}
	}
	// Every pair AssignColors may put side by side is at least
	// NearColorDeltaE apart for every vision; the near pairs are exactly these.
	wantNear := map[[2]string]bool{{"#CC6677", "#009988"}: true, {"#CC79A7", "#009988"}: true}
	smallest, smallestPair := math.Inf(1), ""
	for i := range p {
		for j := i + 1; j < len(p); j++ {
			e, where := minDeltaE(t, p[i], p[j])
			isNear := e < planner.NearColorDeltaE
			if isNear != wantNear[[2]string{p[i], p[j]}] {
				t.Errorf("%s/%s: min ΔE76 %.2f (%s); near = %v, want %v", p[i], p[j], e, where, isNear, !isNear)
			}
			if !isNear && e < smallest {
				smallest, smallestPair = e, fmt.Sprintf("%s/%s (%s)", p[i], p[j], where)
			}
			// AssignColors keeps two neighbours' distinct colours unless near.
			got := planner.AssignColors(2, [][2]int{{0, 1}}, []string{p[i], p[j]})
			if !isNear && (got[0] != p[i] || got[1] != p[j]) {
				t.Errorf("AssignColors(%s, %s) = %v, want both kept", p[i], p[j], got)
			}
			if isNear {
				if got[0] != p[i] || got[1] == p[j] {
					t.Errorf("AssignColors(%s, %s) = %v, want the first kept and the second changed", p[i], p[j], got)
				}
				if e2, _ := minDeltaE(t, got[0], got[1]); e2 < planner.NearColorDeltaE {
					t.Errorf("AssignColors(%s, %s) = %v, still near (ΔE76 %.2f)", p[i], p[j], got, e2)
				}
			}
		}
	}
	// The closest allowed pair: Tol's pear and olive under deuteranopia.
	if smallest < 10.5 || smallest > 10.7 {
		t.Errorf("closest allowed pair %s ΔE76 %.2f, want 10.6", smallestPair, smallest)
	}
	t.Logf("closest allowed pair: %s at ΔE76 %.2f", smallestPair, smallest)
}

// checkColouring fails when neighbours share a colour or get a near pair, or
// when a colour is not in the palette.
func checkColouring(t *testing.T, name string, n int, edges [][2]int, got []string) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("%s: %d colours for %d territories", name, len(got), n)
	}
	inPalette := map[string]bool{}
	for _, c := range planner.TerritoryPalette() {
		inPalette[c] = true
	}
	for i, c := range got {
		if !inPalette[c] {
			t.Errorf("%s: territory %d got %q, not a palette colour", name, i, c)
		}
	}
	for _, e := range edges {
		a, b := got[e[0]], got[e[1]]
		if a == b {
			t.Errorf("%s: neighbours %d and %d share %s", name, e[0], e[1], a)
		} else if d, where := minDeltaE(t, a, b); d < planner.NearColorDeltaE {
			t.Errorf("%s: neighbours %d and %d get near colours %s/%s (ΔE76 %.1f, %s)", name, e[0], e[1], a, b, d, where)
		}
	}
}

func ring(n int) [][2]int {
	var e [][2]int
	for i := 0; i < n; i++ {
		e = append(e, [2]int{i, (i + 1) % n})
	}
	return e
}

func complete(n int) [][2]int {
	var e [][2]int
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			e = append(e, [2]int{i, j})
		}
	}
	return e
}

// triangulatedGrid is a planar map-like graph: an r×c grid of cells, each
// bordering its right, lower and lower-right neighbours (degree up to 6,
// full of triangles, like a map of counties).
func triangulatedGrid(r, c int) [][2]int {
	var e [][2]int
	id := func(i, j int) int { return i*c + j }
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if j+1 < c {
				e = append(e, [2]int{id(i, j), id(i, j+1)})
			}
			if i+1 < r {
				e = append(e, [2]int{id(i, j), id(i+1, j)})
			}
			if i+1 < r && j+1 < c {
				e = append(e, [2]int{id(i, j), id(i+1, j+1)})
			}
		}
	}
	return e
}

// censusDivisions is the land-border graph of the nine US Census divisions
// (indices in the Census order of sample.Divisions: New England, Middle
// Atlantic, East North Central, West North Central, South Atlantic, East South
// Central, West South Central, Mountain, Pacific).
var censusDivisions = [][2]int{
	{0, 1}, {1, 2}, {1, 4}, {2, 3}, {2, 4}, {2, 5}, {3, 5}, {3, 6}, {3, 7},
	{4, 5}, {5, 6}, {6, 7}, {7, 8},
}

func distinct(cs []string) int {
	m := map[string]bool{}
	for _, c := range cs {
		m[c] = true
	}
	return len(m)
}

func TestAssignColorsGraphs(t *testing.T) {
	for _, tc := range []struct {
		name     string
		n        int
		edges    [][2]int
		distinct int // expected number of distinct colours
	}{
		{"ring 7", 7, ring(7), 7},
		// Teal (near rose and purple) comes last and falls between
		// colours it is not near: all twelve are used.
		{"ring 12", 12, ring(12), 12},
		{"K5", 5, complete(5), 5},
		{"Census divisions", 9, censusDivisions, 9},
		{"triangulated grid 12x12", 144, triangulatedGrid(12, 12), 12},
		{"ring 40", 40, ring(40), 12},
	} {
		got := planner.AssignColors(tc.n, tc.edges, nil)
		checkColouring(t, tc.name, tc.n, tc.edges, got)
		if d := distinct(got); d != tc.distinct {
			t.Errorf("%s: %d distinct colours, want %d", tc.name, d, tc.distinct)
		}
	}
	// Up to 12 territories get distinct colours even with no borders.
	if got := planner.AssignColors(12, nil, nil); !reflect.DeepEqual(got, planner.TerritoryPalette()) {
		t.Errorf("12 isolated territories: %v, want the palette in order", got)
	}
	// The nine divisions, exactly: DSatur starts with East North Central
	// (index 2, four neighbours, the lowest index among the busiest).
	want := []string{"#CC6677", "#99DDFF", "#77AADD", "#EE8866", "#FFAABB", "#EEDD88", "#44BB99", "#BBCC33", "#CC79A7"}
	if got := planner.AssignColors(9, censusDivisions, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("Census divisions: %v, want %v", got, want)
	}
}

// clashes counts neighbour pairs with the same colour and with near colours.
func clashes(t *testing.T, edges [][2]int, got []string) (same, near int) {
	for _, e := range edges {
		a, b := got[e[0]], got[e[1]]
		if a == b {
			same++
		} else if d, _ := minDeltaE(t, a, b); d < planner.NearColorDeltaE {
			near++
		}
	}
	return same, near
}

func TestAssignColorsMoreNeighboursThanColours(t *testing.T) {
	// K12: all 12 colours, so no shared colour; the two near pairs are then
	// unavoidable (a shared colour is worse than a near pair).
	got := planner.AssignColors(12, complete(12), nil)
	if same, near := clashes(t, complete(12), got); same != 0 || near != 2 {
		t.Errorf("K12: %d same, %d near, want 0 and 2 (%v)", same, near, got)
	}
	// K13: one pair must share a colour, and only one.
	got = planner.AssignColors(13, complete(13), nil)
	if same, _ := clashes(t, complete(13), got); same != 1 {
		t.Errorf("K13: %d same-colour pairs, want 1 (%v)", same, got)
	}
	// K24: each colour exactly twice, 12 same-colour pairs.
	got = planner.AssignColors(24, complete(24), nil)
	if same, _ := clashes(t, complete(24), got); same != 12 {
		t.Errorf("K24: %d same-colour pairs, want 12 (%v)", same, got)
	}
}

func TestAssignColorsKeepsCurrent(t *testing.T) {
	p := planner.TerritoryPalette()
	// A valid colouring is returned unchanged, even if not DSatur's choice.
	cur := []string{p[3], p[7], p[3], p[7], p[3], p[7]}
	if got := planner.AssignColors(6, ring(6), cur); !reflect.DeepEqual(got, cur) {
		t.Errorf("valid ring colouring changed: %v -> %v", cur, got)
	}
	// Case and spaces are ignored; the canonical form is returned.
	if got := planner.AssignColors(2, [][2]int{{0, 1}}, []string{" #77aadd", "#ee8866 "}); !reflect.DeepEqual(got, p[:2]) {
		t.Errorf("lower-case colours: %v", got)
	}
	// Path 0-1-2 with 0 and 1 both light blue: 0 keeps it (lower index), 1
	// changes, 2 keeps orange; 1 then takes a colour used least (not blue or
	// orange).
	got := planner.AssignColors(3, [][2]int{{0, 1}, {1, 2}}, []string{p[0], p[0], p[1]})
	if got[0] != p[0] || got[2] != p[1] || got[1] != p[2] {
		t.Errorf("path with a clash: %v, want [%s %s %s]", got, p[0], p[2], p[1])
	}
	// Colours not in the palette are replaced.
	got = planner.AssignColors(4, ring(4), []string{"#4E79A7", "", "red", "#12345"})
	checkColouring(t, "foreign colours", 4, ring(4), got)
	if !reflect.DeepEqual(got, p[:4]) {
		t.Errorf("foreign colours: %v, want %v", got, p[:4])
	}
	// Adding a territory to the Census divisions moves no existing colour.
	before := planner.AssignColors(9, censusDivisions, nil)
	edges := append(append([][2]int(nil), censusDivisions...), [2]int{9, 7}, [2]int{9, 8})
	after := planner.AssignColors(10, edges, before)
	if !reflect.DeepEqual(after[:9], before) {
		t.Errorf("adding a territory moved colours: %v -> %v", before, after[:9])
	}
	checkColouring(t, "divisions + 1", 10, edges, after)
	// Kept colours that leave a territory no free colour are dropped when a
	// fresh colouring has no clash: a star whose 12 leaves hold all 12 colours.
	var star [][2]int
	cur = []string{""}
	for i := 1; i <= 12; i++ {
		star = append(star, [2]int{0, i})
		cur = append(cur, p[i-1])
	}
	got = planner.AssignColors(13, star, cur)
	checkColouring(t, "star", 13, star, got)
	if kept := countEqual(got[1:], cur[1:]); kept != 11 {
		t.Errorf("star: %d leaves kept their colour, want 11 (%v)", kept, got)
	}
}

func countEqual(a, b []string) int {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return n
}

func TestAssignColorsRobustAndDeterministic(t *testing.T) {
	if got := planner.AssignColors(0, nil, nil); got == nil || len(got) != 0 {
		t.Errorf("n = 0: %#v", got)
	}
	if got := planner.AssignColors(-3, [][2]int{{0, 1}}, []string{"x"}); len(got) != 0 {
		t.Errorf("n < 0: %#v", got)
	}
	// Out-of-range pairs, self-pairs and duplicates are ignored; current may
	// be longer than n.
	bad := [][2]int{{0, 1}, {1, 0}, {0, 1}, {2, 2}, {-1, 0}, {0, 99}}
	got := planner.AssignColors(3, bad, []string{"", "", "", "#77AADD"})
	checkColouring(t, "bad pairs", 3, [][2]int{{0, 1}}, got)
	// The order of the pairs does not matter.
	edges := triangulatedGrid(8, 9)
	want := planner.AssignColors(72, edges, nil)
	r := rand.New(rand.NewSource(1))
	for k := 0; k < 5; k++ {
		sh := append([][2]int(nil), edges...)
		r.Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
		for i := range sh {
			if r.Intn(2) == 0 {
				sh[i][0], sh[i][1] = sh[i][1], sh[i][0]
			}
		}
		if got := planner.AssignColors(72, sh, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled pairs changed the colouring")
		}
	}
}

func BenchmarkAssignColorsGrid30x30(b *testing.B) {
	edges := triangulatedGrid(30, 30)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		planner.AssignColors(900, edges, nil)
	}
}

func BenchmarkAssignColorsDivisions(b *testing.B) {
	cur := planner.AssignColors(9, censusDivisions, nil)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		planner.AssignColors(9, censusDivisions, cur)
	}
}
