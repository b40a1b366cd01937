package planner

import (
	"sort"
	"strings"
)

// territoryPalette is the categorical palette for territory fills, "#RRGGBB"
// in sRGB. Every colour is light enough for black labels and dark outlines:
// its WCAG 2 contrast ratio against black is at least 4.5:1 (Tol's "light"
// colours at least 8.3:1). Sources:
//
//   - 0–6 and 9: Paul Tol's "light" qualitative scheme, in Tol's order (light
//     blue, orange, light yellow, pink, light cyan, mint, pear; then olive),
//     without its pale grey, which maps keep for no data. P. Tol, "Colour
//     Schemes", SRON technical note SRON/EPS/TN/09-002,
//     https://personal.sron.nl/~pault/.
//   - 7: Tol's "muted" scheme, rose.
//   - 8: Okabe & Ito's reddish purple: M. Okabe and K. Ito, "Color Universal
//     Design (CUD): how to make figures and presentations that are friendly
//     to colorblind people", 2008, https://jfly.uni-koeln.de/color/.
//   - 10: Tol's "pale" scheme, pale yellow.
//   - 11: Tol's "vibrant" scheme, teal.
//
// The order is the order of preference: olive and pale yellow come after
// rose and purple because to normal vision they read as lighter or darker
// versions of pear and light yellow, which plans of nine or ten territories
// would otherwise show side by side in the legend.
//
// Distinctness is measured as the smallest CIE76 ΔE (CIELAB, D65) between two
// colours under normal vision and under protanopia, deuteranopia and
// tritanopia simulated with the severity-1.0 matrices of Machado, Oliveira &
// Fernandes (2009) in linear RGB. Every pair is at least NearColorDeltaE
// apart except the pairs in nearColors; palette_test.go recomputes all of it.
var territoryPalette = [...]string{
	"#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33",
	"#CC6677",
	"#CC79A7",
	"#AAAA00",
	"#EEEEBB",
	"#009988",
}

// NearColorDeltaE is the distinctness threshold of the territory palette, in
// CIE76 ΔE units: two palette colours are "near" when, under normal vision or
// any of the three simulated dichromacies (Machado, Oliveira & Fernandes 2009,
// severity 1.0), they are less than this far apart in CIELAB (D65).
// AssignColors never gives neighbours a near pair when it can avoid it.
const NearColorDeltaE = 10

// nearColors lists the pairs of territoryPalette indices that are closer than
// NearColorDeltaE for some vision: rose/teal (ΔE76 9.1 under protanopia) and
// reddish purple/teal (8.9 under deuteranopia).
var nearColors = [][2]int{{7, 11}, {8, 11}}

// TerritoryPalette returns a new copy of the categorical palette for
// territory fills: 12 colour-blind-safe colours as "#RRGGBB" strings
// (upper-case hexadecimal sRGB), in order of preference: seven of Paul Tol's
// "light" scheme, Tol's muted rose, Okabe & Ito's reddish purple, Tol's
// olive, Tol's pale yellow and Tol's vibrant teal (see territoryPalette for
// the sources and the order). All have a WCAG 2 contrast ratio of at least 4.5:1 against black.
// Every pair is at least NearColorDeltaE (CIE76) apart under normal vision
// and simulated protanopia, deuteranopia and tritanopia, except two near
// pairs (rose/teal and reddish purple/teal) that AssignColors keeps apart.
func TerritoryPalette() []string {
	return append([]string(nil), territoryPalette[:]...)
}

// AssignColors returns a fill colour ("#RRGGBB" from TerritoryPalette) for
// each of n territories, indexed 0..n-1. neighbors lists pairs of territory
// indices that share a border; pairs out of range, self-pairs and duplicates
// are ignored. current[i], when i < len(current), is territory i's present
// colour (case and surrounding spaces ignored); current may be nil.
//
// Neighbours never get the same colour or a near pair (see NearColorDeltaE)
// when the palette allows it. A territory keeps its current colour when that
// is a palette colour that clashes with no neighbour that keeps its own
// (territories are considered in index order, so of two clashing neighbours
// the lower index keeps its colour); this keeps colours stable across edits.
//
// The other territories are coloured by DSatur (D. Brélaz, "New methods to
// color the vertices of a graph", Communications of the ACM 22(4), 1979):
// repeatedly take the uncoloured territory whose neighbours block the most
// palette colours (Brélaz's saturation degree, where a colour is blocked when
// it equals or is near a neighbour's colour), ties broken by the most
// uncoloured neighbours, then the lowest index; give it the free colour used
// least so far (ties: first in the palette), so that up to 12 territories get
// distinct colours. When no colour is free (more mutually adjacent
// territories than colours) it takes the colour with the fewest same-colour
// neighbours, then the fewest near-colour neighbours. If the result has a
// clash while some colours were kept, a fresh DSatur run that only prefers
// current colours is used instead when it has fewer clashes.
//
// The result is deterministic: it depends only on n, the set of neighbour
// pairs and current, not on the order of the pairs. n <= 0 gives an empty,
// non-nil slice.
func AssignColors(n int, neighbors [][2]int, current []string) []string {
	if n <= 0 {
		return []string{}
	}
	adj := adjacency(n, neighbors)
	want := make([]int, n)
	for i := range want {
		want[i] = -1
		if i < len(current) {
			want[i] = paletteIndex(current[i])
		}
	}
	near := nearTable()

	// Keep the current colours that do not clash with an earlier kept one.
	kept := make([]int, n)
	for i := range kept {
		kept[i] = -1
	}
	anyKept := false
	for i := range kept {
		c := want[i]
		if c < 0 {
			continue
		}
		ok := true
		for _, j := range adj[i] {
			if d := kept[j]; d >= 0 && (d == c || near[c][d]) {
				ok = false
				break
			}
		}
		if ok {
			kept[i], anyKept = c, true
		}
	}
	col := dsatur(adj, kept, want, near)
	if anyKept {
		same, nr := countClashes(adj, col, near)
		if same+nr > 0 {
			none := make([]int, n)
			for i := range none {
				none[i] = -1
			}
			fresh := dsatur(adj, none, want, near)
			fs, fn := countClashes(adj, fresh, near)
			if fs < same || (fs == same && fn < nr) {
				col = fresh
			}
		}
	}
	out := make([]string, n)
	for i, c := range col {
		out[i] = territoryPalette[c]
	}
	return out
}

// paletteIndex returns the index of s in territoryPalette, ignoring case and
// surrounding spaces, or -1.
func paletteIndex(s string) int {
	s = strings.TrimSpace(s)
	for i, p := range territoryPalette {
		if strings.EqualFold(s, p) {
			return i
		}
	}
	return -1
}

// nearTable returns the symmetric near relation of territoryPalette indices
// (false on the diagonal).
func nearTable() [len(territoryPalette)][len(territoryPalette)]bool {
	var t [len(territoryPalette)][len(territoryPalette)]bool
	for _, p := range nearColors {
		t[p[0]][p[1]], t[p[1]][p[0]] = true, true
	}
	return t
}

// adjacency returns sorted, duplicate-free neighbour lists of vertices
// 0..n-1, ignoring pairs out of range and self-pairs.
func adjacency(n int, pairs [][2]int) [][]int {
	adj := make([][]int, n)
	for _, p := range pairs {
		a, b := p[0], p[1]
		if a < 0 || b < 0 || a >= n || b >= n || a == b {
			continue
		}
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	for i, l := range adj {
		if len(l) < 2 {
			continue
		}
		sort.Ints(l)
		k := 1
		for _, v := range l[1:] {
			if v != l[k-1] {
				l[k] = v
				k++
			}
		}
		adj[i] = l[:k]
	}
	return adj
}

// dsatur completes the colouring pre (palette indices, -1 = uncoloured) by
// DSatur as documented on AssignColors; want[v] (-1 = none) is v's preferred
// colour, taken when it is free. It returns a new slice.
func dsatur(adj [][]int, pre, want []int, near [len(territoryPalette)][len(territoryPalette)]bool) []int {
	const P = len(territoryPalette)
	n := len(adj)
	col := append([]int(nil), pre...)
	blocked := make([]int32, n*P) // coloured neighbours whose colour equals or is near c
	same := make([]int32, n*P)    // coloured neighbours whose colour is c
	sat := make([]int, n)         // colours blocked for v
	udeg := make([]int, n)        // uncoloured neighbours of v
	var used [P]int
	var clashWith [P][]int
	for c := 0; c < P; c++ {
		clashWith[c] = append(clashWith[c], c)
		for d := 0; d < P; d++ {
			if near[c][d] {
				clashWith[c] = append(clashWith[c], d)
			}
		}
	}
	for v := range adj {
		for _, u := range adj[v] {
			if col[u] < 0 {
				udeg[v]++
			}
		}
	}
	paint := func(u, c int) {
		col[u] = c
		used[c]++
		for _, v := range adj[u] {
			udeg[v]--
			same[v*P+c]++
			for _, d := range clashWith[c] {
				blocked[v*P+d]++
				if blocked[v*P+d] == 1 {
					sat[v]++
				}
			}
		}
	}
	left := 0
	for u, c := range pre {
		if c >= 0 {
			used[c]++
			for _, v := range adj[u] {
				same[v*P+c]++
				for _, d := range clashWith[c] {
					blocked[v*P+d]++
					if blocked[v*P+d] == 1 {
						sat[v]++
					}
				}
			}
		} else {
			left++
		}
	}
	for ; left > 0; left-- {
		v := -1
		for u := range col {
			if col[u] >= 0 {
				continue
			}
			if v < 0 || sat[u] > sat[v] || (sat[u] == sat[v] && udeg[u] > udeg[v]) {
				v = u
			}
		}
		b, s := blocked[v*P:v*P+P], same[v*P:v*P+P]
		best := -1
		if w := want[v]; w >= 0 && b[w] == 0 {
			best = w
		} else if sat[v] < P {
			for c := 0; c < P; c++ {
				if b[c] == 0 && (best < 0 || used[c] < used[best]) {
					best = c
				}
			}
		} else {
			for c := 0; c < P; c++ {
				if best < 0 || s[c] < s[best] ||
					(s[c] == s[best] && b[c]-s[c] < b[best]-s[best]) ||
					(s[c] == s[best] && b[c]-s[c] == b[best]-s[best] && used[c] < used[best]) {
					best = c
				}
			}
		}
		paint(v, best)
	}
	return col
}

// countClashes returns the number of neighbour pairs with the same colour and
// with near colours in the colouring col.
func countClashes(adj [][]int, col []int, near [len(territoryPalette)][len(territoryPalette)]bool) (same, nr int) {
	for a, l := range adj {
		for _, b := range l {
			if b <= a {
				continue
			}
			if col[a] == col[b] {
				same++
			} else if near[col[a]][col[b]] {
				nr++
			}
		}
	}
	return same, nr
}
