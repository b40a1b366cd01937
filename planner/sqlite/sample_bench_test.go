package sqlite_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// TestSampleRoundTrip writes the real sample plan, reopens it and checks
// that the metrics are the same.
func TestSampleRoundTrip(t *testing.T) {
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := MustOpenDB(t)
	MustReplace(t, db, p)
	db = MustReopen(t, db)
	got := MustLoad(t, db)
	want := planner.ComputeMetrics(p, p.Active())
	have := planner.ComputeMetrics(got, got.Active())
	if have.Total != want.Total || have.WhiteSpace != want.WhiteSpace || len(have.Territories) != 9 {
		t.Fatalf("metrics after reopening: %+v, want %+v", have.Total, want.Total)
	}
	for i := range want.Territories {
		if !reflect.DeepEqual(have.Territories[i], want.Territories[i]) {
			t.Errorf("territory %d: %+v, want %+v", i, have.Territories[i], want.Territories[i])
		}
	}
	if len(got.Units[0].Geometry) != len(p.Units[0].Geometry) || len(got.Borders) != len(p.Borders) {
		t.Error("geometry differs after reopening")
	}
}

func buildSample(b *testing.B) *planner.Plan {
	p, err := sample.Build(b.Context(), nil)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkSampleSave writes the real sample plan (3,231 counties with
// their boundaries, 7,146 hospitals) into a new plan file and closes it: what
// File > New from sample and `meridianctl sample` do after building.
func BenchmarkSampleSave(b *testing.B) {
	p := buildSample(b)
	dir := b.TempDir()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		db, err := sqlite.Open(filepath.Join(dir, "s"+string(rune('a'+n%26))+".meridian"))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Replace(b.Context(), p); err != nil {
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSampleOpen opens the sample plan file and loads the whole plan.
func BenchmarkSampleOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "sample.meridian")
	db, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Replace(b.Context(), buildSample(b)); err != nil {
		b.Fatal(err)
	}
	db.Close()
	b.ReportAllocs()
	for b.Loop() {
		db, err := sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Load(b.Context()); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkSampleSaveAs writes a consistent copy of the sample plan file
// (VACUUM INTO a temporary file, fsync, rename).
func BenchmarkSampleSaveAs(b *testing.B) {
	db := MustOpenDB(b)
	MustReplace(b, db, buildSample(b))
	dest := filepath.Join(b.TempDir(), "copy.meridian")
	b.ReportAllocs()
	for b.Loop() {
		if err := db.SaveAs(b.Context(), dest); err != nil {
			b.Fatal(err)
		}
	}
}
