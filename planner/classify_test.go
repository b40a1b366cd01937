package planner_test

import (
	"math"
	"reflect"
	"sort"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
)

func TestClassifySmall(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name   string
		values []float64
		known  []bool
		k      int
		method planner.ClassMethod
		breaks []float64
		counts []int
		class  []int
	}{
		{"quantile 1..10 k5", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, nil, 5, planner.Quantile,
			[]float64{1, 2, 4, 6, 8, 10}, []int{2, 2, 2, 2, 2}, []int{4, 4, 3, 3, 2, 2, 1, 1, 0, 0}},
		{"quantile 1..10 k3", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil, 3, planner.Quantile,
			[]float64{1, 3, 7, 10}, []int{3, 4, 3}, []int{0, 0, 0, 1, 1, 1, 1, 2, 2, 2}},
		// The tied 1s stay together in the lower class.
		{"quantile ties below", []float64{1, 1, 1, 1, 2, 3, 4, 5}, nil, 2, planner.Quantile,
			[]float64{1, 1, 5}, []int{4, 4}, []int{0, 0, 0, 0, 1, 1, 1, 1}},
		// The cut at 4 falls inside the run of 3s: the boundaries after 2
		// and after the 3s are equally near (2 values off); the lower wins.
		{"quantile ties straddle", []float64{1, 2, 3, 3, 3, 3, 4, 5}, nil, 2, planner.Quantile,
			[]float64{1, 2, 5}, []int{2, 6}, []int{0, 0, 1, 1, 1, 1, 1, 1}},
		// k larger than the number of distinct values: 3 classes, none empty.
		{"quantile k > distinct", []float64{5, 5, 7, 7, 9}, nil, 5, planner.Quantile,
			[]float64{5, 5, 7, 9}, []int{2, 2, 1}, []int{0, 0, 1, 1, 2}},
		{"quantile all equal", []float64{3, 3, 3}, nil, 4, planner.Quantile,
			[]float64{3, 3}, []int{3}, []int{0, 0, 0}},
		{"quantile unknowns", []float64{1, nan, inf, 2, -inf, 3, 100}, []bool{true, true, true, true, true, true, false}, 3, planner.Quantile,
			[]float64{1, 1, 2, 3}, []int{1, 1, 1}, []int{0, -1, -1, 1, -1, 2, -1}},
		{"quantile k1", []float64{4, 2, 9}, nil, 1, planner.Quantile,
			[]float64{2, 9}, []int{3}, []int{0, 0, 0}},
		{"equal 0..10 k5", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil, 5, planner.EqualInterval,
			[]float64{0, 2, 4, 6, 8, 10}, []int{3, 2, 2, 2, 2}, []int{0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4}},
		// Empty classes are kept in equal interval.
		{"equal skewed", []float64{1, 2, 100}, nil, 3, planner.EqualInterval,
			[]float64{1, 34, 67, 100}, []int{2, 0, 1}, []int{0, 0, 2}},
		{"equal k > distinct", []float64{0, 10}, nil, 4, planner.EqualInterval,
			[]float64{0, 2.5, 5, 7.5, 10}, []int{1, 0, 0, 1}, []int{0, 3}},
		{"equal all equal", []float64{-2, -2}, nil, 6, planner.EqualInterval,
			[]float64{-2, -2}, []int{2}, []int{0, 0}},
		{"equal huge range", []float64{-math.MaxFloat64, 0, math.MaxFloat64}, nil, 2, planner.EqualInterval,
			[]float64{-math.MaxFloat64, 0, math.MaxFloat64}, []int{2, 1}, []int{0, 0, 1}},
		{"nothing known", []float64{nan, 1}, []bool{true, false}, 5, planner.Quantile,
			nil, nil, []int{-1, -1}},
		{"no values", nil, nil, 5, planner.EqualInterval, nil, nil, []int{}},
	} {
		c, err := planner.Classify(tc.values, tc.known, tc.k, tc.method)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(c.Breaks, tc.breaks) || !reflect.DeepEqual(c.Counts, tc.counts) || !reflect.DeepEqual(c.Class, tc.class) {
			t.Errorf("%s:\n breaks %v, want %v\n counts %v, want %v\n class  %v, want %v", tc.name, c.Breaks, tc.breaks, c.Counts, tc.counts, c.Class, tc.class)
		}
		if c.Len() != len(tc.counts) || c.Method != tc.method {
			t.Errorf("%s: Len %d, Method %v", tc.name, c.Len(), c.Method)
		}
		unknown := 0
		for _, cl := range tc.class {
			if cl < 0 {
				unknown++
			}
		}
		if c.Unknown != unknown {
			t.Errorf("%s: Unknown = %d, want %d", tc.name, c.Unknown, unknown)
		}
	}
}

func TestClassifyErrors(t *testing.T) {
	for _, tc := range []struct {
		k      int
		known  []bool
		method planner.ClassMethod
	}{
		{0, nil, planner.Quantile},
		{-1, nil, planner.Quantile},
		{13, nil, planner.EqualInterval},
		{3, []bool{true}, planner.Quantile},
		{3, nil, planner.ClassMethod(7)},
	} {
		_, err := planner.Classify([]float64{1, 2}, tc.known, tc.k, tc.method)
		if planner.ErrorCode(err) != planner.EINVALID {
			t.Errorf("k=%d known=%v method=%v: error %v, want code %s", tc.k, tc.known, tc.method, err, planner.EINVALID)
		}
	}
	if _, err := planner.Classify(nil, nil, 12, planner.Quantile); err != nil {
		t.Errorf("k=12: %v", err)
	}
	if s := planner.ClassMethod(7).String(); s != "ClassMethod(7)" {
		t.Errorf("String = %q", s)
	}
}

// thousands writes an integer with comma separators, e.g. 1234567 -> "1,234,567".
func thousands(v float64) string {
	s := []byte{}
	n := int64(math.Round(math.Abs(v)))
	for i := 0; ; i++ {
		if i > 0 && i%3 == 0 {
			s = append([]byte{','}, s...)
		}
		s = append([]byte{byte('0' + n%10)}, s...)
		n /= 10
		if n == 0 {
			break
		}
	}
	if v < 0 {
		s = append([]byte{'-'}, s...)
	}
	return string(s)
}

func TestClassesLabel(t *testing.T) {
	c := planner.Classes{Breaks: []float64{1000, 5000, 5000, 12500.5}}
	for _, tc := range []struct {
		i      int
		format func(float64) string
		want   string
	}{
		{0, thousands, "1,000 – 5,000"},
		{1, thousands, "5,000"},
		{2, nil, "5000 – 12500.5"},
		{3, nil, ""},
		{-1, nil, ""},
	} {
		if got := c.Label(tc.i, tc.format); got != tc.want {
			t.Errorf("Label(%d) = %q, want %q", tc.i, got, tc.want)
		}
	}
	if got := (planner.Classes{}).Label(0, nil); got != "" {
		t.Errorf("empty Classes: Label(0) = %q", got)
	}
}

// TestClassifyCountyPopulation classifies the Census 2024 population of the
// 3,142 counties of the sample (Connecticut's 8 former counties, Alaska's
// Valdez-Cordova reunited; see assets/README.md).
func TestClassifyCountyPopulation(t *testing.T) {
	pop, err := sample.Population()
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]string, 0, len(pop.County))
	for code := range pop.County {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	values := make([]float64, len(codes))
	for i, code := range codes {
		values[i] = float64(pop.County[code])
	}
	if len(values) != 3142 {
		t.Fatalf("%d counties, want 3142", len(values))
	}

	q, err := planner.Classify(values, nil, 5, planner.Quantile)
	if err != nil {
		t.Fatal(err)
	}
	wantBreaks := []float64{48, 8695, 18834, 37084, 98409, 9757179}
	wantCounts := []int{628, 629, 628, 629, 628} // 3142 / 5 = 628.4
	if !reflect.DeepEqual(q.Breaks, wantBreaks) || !reflect.DeepEqual(q.Counts, wantCounts) {
		t.Errorf("quantile: breaks %v counts %v, want %v %v", q.Breaks, q.Counts, wantBreaks, wantCounts)
	}
	if got := q.Label(4, thousands); got != "98,409 – 9,757,179" {
		t.Errorf("top quantile label %q", got)
	}
	// The extremes: Loving County, Texas (48 people) and Los Angeles County
	// (9,757,179), alone in the top equal-interval class.
	for i, code := range codes {
		if code == "06037" && q.Class[i] != 4 || code == "48301" && q.Class[i] != 0 {
			t.Errorf("county %s (%v people) in class %d", code, values[i], q.Class[i])
		}
	}

	e, err := planner.Classify(values, nil, 5, planner.EqualInterval)
	if err != nil {
		t.Fatal(err)
	}
	wantBreaks = []float64{48, 1951474.2, 3902900.4, 5854326.6, 7805752.8, 9757179}
	wantCounts = []int{3125, 13, 3, 0, 1}
	for i := range wantBreaks {
		if math.Abs(e.Breaks[i]-wantBreaks[i]) > 1e-6 {
			t.Errorf("equal interval: breaks %v, want %v", e.Breaks, wantBreaks)
			break
		}
	}
	if !reflect.DeepEqual(e.Counts, wantCounts) {
		t.Errorf("equal interval: counts %v, want %v", e.Counts, wantCounts)
	}
}

func TestRamps(t *testing.T) {
	for k := 1; k <= planner.MaxClasses; k++ {
		for name, r := range map[string][]string{"sequential": planner.SequentialRamp(k), "diverging": planner.DivergingRamp(k)} {
			if len(r) != k {
				t.Errorf("%s(%d) has %d colours", name, k, len(r))
			}
			seen := map[string]bool{}
			for _, c := range r {
				if len(c) != 7 || c[0] != '#' || seen[c] {
					t.Errorf("%s(%d): bad or repeated colour %q in %v", name, k, c, r)
				}
				seen[c] = true
			}
		}
		// Sequential ramps get darker class by class (WCAG luminance).
		r := planner.SequentialRamp(k)
		for i := 1; i < len(r); i++ {
			if luminance(t, r[i]) >= luminance(t, r[i-1]) {
				t.Errorf("SequentialRamp(%d): %s is not darker than %s", k, r[i], r[i-1])
			}
		}
		// Diverging ramps: neutral middle for odd k.
		if d := planner.DivergingRamp(k); k%2 == 1 && d[k/2] != "#F7F7F7" {
			t.Errorf("DivergingRamp(%d) middle %s, want #F7F7F7", k, d[k/2])
		}
	}
	for _, tc := range []struct {
		got, want []string
	}{
		{planner.SequentialRamp(5), []string{"#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"}},
		{planner.SequentialRamp(2), []string{"#EDF8B1", "#2C7FB8"}},
		{planner.SequentialRamp(1), []string{"#7FCDBB"}},
		{planner.SequentialRamp(12)[:3], []string{"#FFFFD9", "#F2FABC", "#DCF1B2"}},
		{planner.SequentialRamp(12)[11:], []string{"#081D58"}},
		{planner.DivergingRamp(5), []string{"#E66101", "#FDB863", "#F7F7F7", "#B2ABD2", "#5E3C99"}},
		{planner.DivergingRamp(2), []string{"#F1A340", "#998EC3"}},
		{planner.DivergingRamp(12)[:1], []string{"#7F3B08"}},
		{planner.DivergingRamp(12)[11:], []string{"#2D004B"}},
		{planner.SequentialRamp(0), nil},
		{planner.SequentialRamp(13), nil},
		{planner.DivergingRamp(0), nil},
		{planner.DivergingRamp(13), nil},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("ramp %v, want %v", tc.got, tc.want)
		}
	}
	// A caller's change to a returned ramp does not leak into the next one.
	r := planner.SequentialRamp(5)
	r[0] = "#000000"
	if planner.SequentialRamp(5)[0] != "#FFFFCC" {
		t.Error("SequentialRamp returned shared storage")
	}
}

func luminance(t *testing.T, h string) float64 {
	l := hexToLinear(t, h)
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func BenchmarkClassifyQuantile3144(b *testing.B) {
	pop, err := sample.Population()
	if err != nil {
		b.Fatal(err)
	}
	values := make([]float64, 0, len(pop.County))
	for _, v := range pop.County {
		values = append(values, float64(v))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := planner.Classify(values, nil, 7, planner.Quantile); err != nil {
			b.Fatal(err)
		}
	}
}
