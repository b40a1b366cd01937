package planner

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// ClassMethod is a way of cutting a numeric variable into classes for a
// choropleth map.
type ClassMethod int

// Class methods for Classify.
const (
	// Quantile gives each class about the same number of values (the GIS
	// "quantile" or "equal count" method of QGIS and ArcGIS); see Classify
	// for the tie rule.
	Quantile ClassMethod = iota
	// EqualInterval cuts the range min..max into classes of equal width.
	EqualInterval
)

// String returns "quantile", "equal interval" or "ClassMethod(n)".
func (m ClassMethod) String() string {
	switch m {
	case Quantile:
		return "quantile"
	case EqualInterval:
		return "equal interval"
	}
	return "ClassMethod(" + strconv.Itoa(int(m)) + ")"
}

// MaxClasses is the largest number of classes Classify accepts and the
// ramps provide.
const MaxClasses = 12

// Classes is the result of Classify, in the units of the classified values.
//
// Class i holds the values v with Breaks[i] < v <= Breaks[i+1]; the first
// class also holds Breaks[0] (the minimum). So Breaks has one more element
// than Counts: Breaks[0] is the smallest known value and Breaks[len-1] the
// largest. With no known value, Breaks and Counts are empty.
type Classes struct {
	Method  ClassMethod
	Breaks  []float64 // ascending class bounds, len(Counts)+1 of them
	Counts  []int     // number of known values in each class
	Class   []int     // for each input value its class index, -1 when unknown
	Unknown int       // number of values that are not known (or NaN or ±Inf)
}

// Len returns the number of classes, which can be fewer than asked for
// (see Classify).
func (c Classes) Len() int { return len(c.Counts) }

// Label returns class i's range for a legend, "lower – upper" (en dash with
// spaces), each bound written by format, e.g. "1,000 – 5,000"; a class whose
// bounds are equal gets the single value ("5"). format nil writes the
// shortest decimal that round-trips (strconv 'f', -1). i out of range gives "".
func (c Classes) Label(i int, format func(float64) string) string {
	if i < 0 || i+1 >= len(c.Breaks) {
		return ""
	}
	if format == nil {
		format = func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	}
	lo, hi := c.Breaks[i], c.Breaks[i+1]
	if lo == hi {
		return format(lo)
	}
	return format(lo) + " – " + format(hi)
}

// Classify cuts the known values into at most k classes (1 <= k <= 12) by
// method and returns the bounds, the class of each value and the count per
// class. values[i] is known when known[i] is true (known nil means all are
// known) and it is finite: NaN and ±Inf count as unknown, get class -1 and
// are left out of the breaks and counts.
//
// Quantile (the "quantile"/"equal count" method of QGIS and ArcGIS): with the
// n known values sorted, class i should end after about i·n/k values. Every
// break is a data value, the largest of its class, and tied values are never
// split between classes: each cut moves to the nearest boundary between two
// different values (when two boundaries are equally near, the lower one).
// Cuts that meet are merged, so with many ties, or k larger than the number
// of distinct values, there are fewer than k classes and none is empty.
//
// EqualInterval: Breaks[i] = min + i·(max−min)/k exactly at both ends; empty
// classes are kept, since an equal-interval legend shows every interval.
//
// Both methods give one class [v, v] when all known values equal v, and no
// class when no value is known (not an error).
//
// Errors are *Error with code EINVALID when k < 1 or k > 12, when known is
// not nil and its length differs from values', or for an unknown method.
func Classify(values []float64, known []bool, k int, method ClassMethod) (Classes, error) {
	if k < 1 || k > MaxClasses {
		return Classes{}, Errorf(EINVALID, "The number of classes must be between 1 and %d, not %d.", MaxClasses, k)
	}
	if known != nil && len(known) != len(values) {
		return Classes{}, Errorf(EINVALID, "Classify: %d values but %d known flags.", len(values), len(known))
	}
	if method != Quantile && method != EqualInterval {
		return Classes{}, Errorf(EINVALID, "Unknown classification method %d.", int(method))
	}
	c := Classes{Method: method, Class: make([]int, len(values))}
	xs := make([]float64, 0, len(values))
	for i, v := range values {
		if (known != nil && !known[i]) || math.IsNaN(v) || math.IsInf(v, 0) {
			c.Class[i] = -1
			c.Unknown++
			continue
		}
		xs = append(xs, v)
	}
	if len(xs) == 0 {
		for i := range c.Class {
			c.Class[i] = -1
		}
		return c, nil
	}
	sort.Float64s(xs)
	lo, hi := xs[0], xs[len(xs)-1]
	switch {
	case lo == hi:
		c.Breaks = []float64{lo, hi}
	case method == Quantile:
		c.Breaks = quantileBreaks(xs, k)
	default:
		c.Breaks = make([]float64, k+1)
		w := hi - lo
		for i := range c.Breaks {
			b := lo + w*float64(i)/float64(k)
			if math.IsInf(w, 0) { // hi - lo overflows: interpolate instead
				t := float64(i) / float64(k)
				b = lo*(1-t) + hi*t
			}
			if i > 0 && b < c.Breaks[i-1] {
				b = c.Breaks[i-1]
			}
			c.Breaks[i] = b
		}
		c.Breaks[0], c.Breaks[k] = lo, hi
	}
	c.Counts = make([]int, len(c.Breaks)-1)
	upper := c.Breaks[1:]
	for i, v := range values {
		if c.Class[i] < 0 {
			continue
		}
		j := sort.SearchFloat64s(upper, v) // first upper bound >= v
		if j >= len(c.Counts) {
			j = len(c.Counts) - 1
		}
		c.Class[i] = j
		c.Counts[j]++
	}
	return c, nil
}

// quantileBreaks returns the quantile breaks of the sorted values xs (at
// least two distinct) for k classes, as documented on Classify.
func quantileBreaks(xs []float64, k int) []float64 {
	n := len(xs)
	// cuts[j] = p: the boundary between xs[p-1] and xs[p], xs[p-1] < xs[p].
	cuts := make([]int, 0, n-1)
	for p := 1; p < n; p++ {
		if xs[p-1] < xs[p] {
			cuts = append(cuts, p)
		}
	}
	breaks := []float64{xs[0]}
	last := 0
	for i := 1; i < k; i++ {
		target := float64(i) * float64(n) / float64(k)
		// The first cut at or after target, and the one before it.
		j := sort.Search(len(cuts), func(j int) bool { return float64(cuts[j]) >= target })
		p := 0
		switch {
		case j == len(cuts):
			p = cuts[j-1]
		case j == 0:
			p = cuts[0]
		case target-float64(cuts[j-1]) <= float64(cuts[j])-target:
			p = cuts[j-1]
		default:
			p = cuts[j]
		}
		if p > last {
			breaks = append(breaks, xs[p-1])
			last = p
		}
	}
	return append(breaks, xs[n-1])
}

// sequentialYlGnBu is ColorBrewer's YlGnBu (light yellow to dark blue)
// scheme for 3 to 9 classes, from Cynthia A. Brewer, ColorBrewer 2.0,
// https://colorbrewer2.org (Apache 2.0 licence), marked colour-blind safe
// there.
var sequentialYlGnBu = [...][]string{
	3: {"#EDF8B1", "#7FCDBB", "#2C7FB8"},
	4: {"#FFFFCC", "#A1DAB4", "#41B6C4", "#225EA8"},
	5: {"#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"},
	6: {"#FFFFCC", "#C7E9B4", "#7FCDBB", "#41B6C4", "#2C7FB8", "#253494"},
	7: {"#FFFFCC", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#0C2C84"},
	8: {"#FFFFD9", "#EDF8B1", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#0C2C84"},
	9: {"#FFFFD9", "#EDF8B1", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#253494", "#081D58"},
}

// divergingPuOr is ColorBrewer's PuOr (orange to purple through a neutral
// light grey) scheme for 3 to 11 classes, from Cynthia A. Brewer, ColorBrewer
// 2.0, https://colorbrewer2.org (Apache 2.0 licence), marked colour-blind
// safe there.
var divergingPuOr = [...][]string{
	3:  {"#F1A340", "#F7F7F7", "#998EC3"},
	4:  {"#E66101", "#FDB863", "#B2ABD2", "#5E3C99"},
	5:  {"#E66101", "#FDB863", "#F7F7F7", "#B2ABD2", "#5E3C99"},
	6:  {"#B35806", "#F1A340", "#FEE0B6", "#D8DAEB", "#998EC3", "#542788"},
	7:  {"#B35806", "#F1A340", "#FEE0B6", "#F7F7F7", "#D8DAEB", "#998EC3", "#542788"},
	8:  {"#B35806", "#E08214", "#FDB863", "#FEE0B6", "#D8DAEB", "#B2ABD2", "#8073AC", "#542788"},
	9:  {"#B35806", "#E08214", "#FDB863", "#FEE0B6", "#F7F7F7", "#D8DAEB", "#B2ABD2", "#8073AC", "#542788"},
	10: {"#7F3B08", "#B35806", "#E08214", "#FDB863", "#FEE0B6", "#D8DAEB", "#B2ABD2", "#8073AC", "#542788", "#2D004B"},
	11: {"#7F3B08", "#B35806", "#E08214", "#FDB863", "#FEE0B6", "#F7F7F7", "#D8DAEB", "#B2ABD2", "#8073AC", "#542788", "#2D004B"},
}

// SequentialRamp returns k colours ("#RRGGBB", upper case) from light to
// dark for classes of a quantity, class 0 first: ColorBrewer's YlGnBu
// (Cynthia A. Brewer, https://colorbrewer2.org; colour-blind safe). For 3 to
// 9 classes it is Brewer's scheme for that count exactly; 1 class gets the
// middle colour of the 3-class scheme and 2 classes its ends; 10 to 12
// classes are sampled evenly along the 9-class scheme with linear
// interpolation between neighbouring colours in gamma-encoded sRGB (as
// matplotlib and d3 interpolate ColorBrewer schemes). k < 1 or k > 12 gives
// nil.
func SequentialRamp(k int) []string {
	switch {
	case k < 1 || k > MaxClasses:
		return nil
	case k == 1:
		return []string{sequentialYlGnBu[3][1]}
	case k == 2:
		return []string{sequentialYlGnBu[3][0], sequentialYlGnBu[3][2]}
	case k <= 9:
		return append([]string(nil), sequentialYlGnBu[k]...)
	}
	return resample(sequentialYlGnBu[9], k)
}

// DivergingRamp returns k colours ("#RRGGBB", upper case) for classes of a
// deviation from the mean, most below the mean first: ColorBrewer's PuOr
// (Cynthia A. Brewer, https://colorbrewer2.org; colour-blind safe), dark
// orange (below) through the neutral light grey #F7F7F7 to dark purple
// (above). For odd k the middle class is the neutral grey. For 3 to 11
// classes it is Brewer's scheme for that count exactly; 1 class gets the
// neutral grey, 2 classes the ends of the 3-class scheme, and 12 classes are
// sampled evenly along the 11-class scheme with linear interpolation in
// gamma-encoded sRGB. k < 1 or k > 12 gives nil.
func DivergingRamp(k int) []string {
	switch {
	case k < 1 || k > MaxClasses:
		return nil
	case k == 1:
		return []string{divergingPuOr[3][1]}
	case k == 2:
		return []string{divergingPuOr[3][0], divergingPuOr[3][2]}
	case k <= 11:
		return append([]string(nil), divergingPuOr[k]...)
	}
	return resample(divergingPuOr[11], k)
}

// resample returns k >= 2 colours evenly spaced along the piecewise-linear
// path through the "#RRGGBB" colours of scheme, in gamma-encoded sRGB,
// rounded to the nearest integer per channel.
func resample(scheme []string, k int) []string {
	rgb := make([][3]float64, len(scheme))
	for i, h := range scheme {
		v, _ := strconv.ParseUint(h[1:], 16, 32)
		rgb[i] = [3]float64{float64(v >> 16 & 255), float64(v >> 8 & 255), float64(v & 255)}
	}
	out := make([]string, k)
	for i := range out {
		pos := float64(i) * float64(len(scheme)-1) / float64(k-1)
		j := int(pos)
		if j >= len(scheme)-1 {
			j = len(scheme) - 2
		}
		f := pos - float64(j)
		var c [3]int
		for ch := range c {
			c[ch] = int(math.Round(rgb[j][ch]*(1-f) + rgb[j+1][ch]*f))
		}
		out[i] = fmt.Sprintf("#%02X%02X%02X", c[0], c[1], c[2])
	}
	return out
}
