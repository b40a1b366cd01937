package planner_test

import (
	"math"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

var (
	commaPoint = planner.NumberFormat{Decimal: ',', Group: '.'}
	pointComma = planner.NumberFormat{Decimal: '.', Group: ','}
)

func TestParseNumber(t *testing.T) {
	space := planner.NumberFormat{Decimal: ',', Group: ' '}
	swiss := planner.NumberFormat{Decimal: '.', Group: '\''}
	noGroup := planner.NumberFormat{Decimal: ','}
	zero := planner.NumberFormat{}
	tests := []struct {
		s    string
		f    planner.NumberFormat
		want float64
		ok   bool
	}{
		{"1,7", commaPoint, 1.7, true},
		{"200.000,50", commaPoint, 200000.5, true},
		{"200.000.000", commaPoint, 200000000, true},
		{"1.234", commaPoint, 1234, true},
		{"-1,5", commaPoint, -1.5, true},
		{"1,7", noGroup, 1.7, true},
		{"1.234,5", noGroup, 0, false},
		{"1,234.5", pointComma, 1234.5, true},
		{"1,234,567", pointComma, 1234567, true},
		{"1,234", pointComma, 1234, true},
		{"1.234", pointComma, 1.234, true},
		{"1,7", pointComma, 0, false},
		{"12,34,567", pointComma, 0, false},
		{"1,2,3", pointComma, 0, false},
		{"1234,567.5", pointComma, 0, false},
		{",123", pointComma, 0, false},
		{"1,", pointComma, 0, false},
		{"1,23.5", pointComma, 0, false},
		{"  42  ", pointComma, 42, true},
		{"42", zero, 42, true},
		{"4.5", zero, 4.5, true},
		{".5", pointComma, 0.5, true},
		{"5.", pointComma, 5, true},
		{"-0.25", pointComma, -0.25, true},
		{"+7", pointComma, 7, true},
		{"−7", pointComma, -7, true},
		{"$1,200", pointComma, 1200, true},
		{"-$1,200.50", pointComma, -1200.5, true},
		{"$-1,200.50", pointComma, -1200.5, true},
		{"$ 99", pointComma, 99, true},
		{"1.234,50 €", commaPoint, 1234.5, true},
		{"£7", pointComma, 7, true},
		{"(1,200)", pointComma, -1200, true},
		{"($1,200.00)", pointComma, -1200, true},
		{"(-1)", pointComma, 0, false},
		{"12%", pointComma, 12, true},
		{"12,5 %", commaPoint, 12.5, true},
		{"1.5E+06", pointComma, 1.5e6, true},
		{"2e-3", pointComma, 0.002, true},
		{"1,5e3", commaPoint, 1500, true},
		{"1e", pointComma, 0, false},
		{"e5", pointComma, 0, false},
		{"1 234,5", space, 1234.5, true},
		{"1\u00a0234\u00a0567,5", space, 1234567.5, true},
		{"1\u202f234", space, 1234, true},
		{"1'234.5", swiss, 1234.5, true},
		{"1’234’567", swiss, 1234567, true},
		{"-999", pointComma, -999, true},
		{"0", pointComma, 0, true},
		{"007", pointComma, 7, true},
		{"", pointComma, 0, false},
		{"   ", pointComma, 0, false},
		{"N/A", pointComma, 0, false},
		{"NOT AVAILABLE", pointComma, 0, false},
		{"1.2.3", pointComma, 0, false},
		{"12abc", pointComma, 0, false},
		{"--1", pointComma, 0, false},
		{"+-1", pointComma, 0, false},
		{"-", pointComma, 0, false},
		{"$", pointComma, 0, false},
		{"%", pointComma, 0, false},
		{"()", pointComma, 0, false},
		{"Inf", pointComma, 0, false},
		{"-Inf", pointComma, 0, false},
		{"NaN", pointComma, 0, false},
		{"0x1F", pointComma, 0, false},
		{"1_000", pointComma, 0, false},
		{"1e999", pointComma, 0, false},
		{"12 34", pointComma, 0, false},
		{"$$5", pointComma, 0, false},
		{"5$%", pointComma, 0, false},
	}
	for _, tt := range tests {
		got, ok := planner.ParseNumber(tt.s, tt.f)
		if ok != tt.ok || (ok && math.Abs(got-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want))) {
			t.Errorf("ParseNumber(%q, %q/%q) = %v, %v; want %v, %v", tt.s, tt.f.Decimal, tt.f.Group, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1,7", "200.000,50", "(1,200)", "$-1.5e3", "12%", "1 234,5", "1’234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, nf := range []planner.NumberFormat{pointComma, commaPoint, {Decimal: ',', Group: ' '}, {}} {
			if v, ok := planner.ParseNumber(s, nf); ok && (math.IsInf(v, 0) || math.IsNaN(v)) {
				t.Fatalf("ParseNumber(%q) = %v", s, v)
			} else if !ok && v != 0 {
				t.Fatalf("ParseNumber(%q) = %v, false", s, v)
			}
		}
	})
}

func BenchmarkParseNumber(b *testing.B) {
	in := []string{"1,234.5", "42", "-0.25", "$1,200", "N/A", "36.3361588500001"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		planner.ParseNumber(in[i%len(in)], pointComma)
	}
}
