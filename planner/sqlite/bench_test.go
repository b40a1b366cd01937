package sqlite_test

import (
	"context"
	"testing"
)

// The sample plan's size: 3,231 counties, about 7,000 hospitals, and the
// 9 territories of its starting scenario.
const (
	benchUnits       = 3231
	benchAccounts    = 7000
	benchTerritories = 9
)

// BenchmarkReplace writes a whole sample-sized plan (each unit a 40-vertex
// polygon) in one transaction, over the previous copy.
func BenchmarkReplace(b *testing.B) {
	p := LargePlan(benchUnits, benchAccounts, benchTerritories)
	db := MustOpenDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := db.Replace(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad reads and validates a whole sample-sized plan.
func BenchmarkLoad(b *testing.B) {
	db := MustOpenDB(b)
	MustReplace(b, db, LargePlan(benchUnits, benchAccounts, benchTerritories))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Load(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetAlignment moves 100 units to another territory, one
// transaction per call, as a lasso selection in the GUI would.
func BenchmarkSetAlignment(b *testing.B) {
	p := LargePlan(benchUnits, benchAccounts, benchTerritories)
	db := MustOpenDB(b)
	MustReplace(b, db, p)
	codes := make([]string, 100)
	for i := range codes {
		codes[i] = p.Units[i].Code
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := db.SetAlignment(ctx, 1, codes, int64(i%benchTerritories+1)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
