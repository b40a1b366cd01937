package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// repsPlan writes a plan file with one territory covered by rep 2 (Dana,
// known by email) and returns its path.
func repsPlan(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reps.meridian")
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := &planner.Plan{Name: "Reps test", Reps: []planner.Rep{{ID: 2, Name: "Dana W.", Email: "dana@example.com"}},
		Scenarios: []planner.Scenario{{ID: 1, Name: "Base", Territories: []planner.Territory{{ID: 10, Name: "South", Color: "#ff7f0e", RepID: 2}},
			Alignment: map[string]int64{}}}}
	if err := db.Replace(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRepsImport imports a roster of 4 reps into a plan file, checks the
// stored reps (one home base geocoded from its ZIP code by the shipped
// gazetteer), the problem report, the listing, and a re-import by email.
func TestRepsImport(t *testing.T) {
	plan := repsPlan(t)
	csv := filepath.Join(t.TempDir(), "roster.csv")
	src := "Full Name,Email,Title,Reports To,Home ZIP,Home Latitude,Home Longitude,Start Date,Capacity (hours),Annual Cost\n" +
		"Dana Whitfield,dana@example.com,Account Executive,Mia Chen,36067,32.4609,-86.4806,2024-02-29,1450,182500\n" +
		"Luis Ortega,luis@example.com,Sales Rep,Mia Chen,02134,,,2023-03-15,1600,95000\n" +
		"Ana Pop,ana@example.com,Sales Rep,Dana Whitfield,,,,,lots,90000\n" +
		"Sam Lee,sam@example.com,Intern,Dana Whitfield,,,,2025-06-01,,\n"
	if err := os.WriteFile(csv, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ctl(t, "reps", "import", "--plan", plan, "--file", csv)
	for _, want := range []string{
		"roster.csv: 4 rows read, 4 reps imported\n",
		"home bases: 1 by their own coordinates, 1 by postal code\n",
		"roster: 3 added, 1 updated, 0 unchanged, 0 not in the file (kept)\n",
		"1 problem:\n  warning: row 4, column Capacity (hours): 'lots' is not a number; the rep gets the plan's default capacity\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("reps import: %d, output lacks %q:\n%s\n%s", code, want, out, errOut)
		}
	}
	p := loadPlan(t, plan)
	if len(p.Reps) != 4 {
		t.Fatalf("%d reps", len(p.Reps))
	}
	dana := p.Rep(2) // matched by email: keeps its ID and territory
	if dana.Name != "Dana Whitfield" || dana.Role != "Account Executive" || dana.Manager != "Mia Chen" || dana.HomeBase != (orb.Point{-86.4806, 32.4609}) ||
		!dana.HasHome || dana.HomeZIP != "36067" || !dana.Start.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) || dana.CapacityHours != 1450 || dana.AnnualCost != 182500 {
		t.Errorf("Dana: %+v", dana)
	}
	luis := p.Rep(3)
	// ZIP 02134 (Allston, Boston MA) from the shipped gazetteer.
	if luis == nil || luis.Name != "Luis Ortega" || !luis.HasHome || luis.HomeBase.Lat() < 42.3 || luis.HomeBase.Lat() > 42.4 ||
		luis.HomeBase.Lon() < -71.2 || luis.HomeBase.Lon() > -71.0 || luis.HomeZIP != "02134" {
		t.Errorf("Luis: %+v", luis)
	}
	if ana := p.Rep(4); ana == nil || ana.CapacityHours != 0 || ana.AnnualCost != 90000 || ana.HasHome {
		t.Errorf("Ana: %+v", ana)
	}

	code, out, _ = ctl(t, "reps", "--plan", plan, "--json")
	var reps []RepOut
	if err := json.Unmarshal([]byte(out), &reps); code != 0 || err != nil || len(reps) != 4 {
		t.Fatalf("reps --json: %d %v %q", code, err, out)
	}
	if r := reps[0]; r.ID != 2 || r.Start != "2024-02-29" || r.HomeLat == nil || *r.HomeLat != 32.4609 || len(r.Territories) != 1 || r.Territories[0] != "South" {
		t.Errorf("reps[0] = %+v", r)
	}
	if r := reps[2]; r.Name != "Ana Pop" || r.CapacityHours != 0 || r.CapacityUsed != 1600 || r.HomeLon != nil || r.Start != "" {
		t.Errorf("reps[2] = %+v", r)
	}
	code, out, _ = ctl(t, "reps", "--plan", plan)
	if code != 0 || !strings.Contains(out, "1600 (default)") || !strings.Contains(out, "-86.4806, 32.4609") {
		t.Errorf("reps:\n%s", out)
	}

	// Re-import by email: Ana's capacity set, nothing else changes.
	src2 := "Email,Capacity\nANA@example.com,1500\n"
	if err := os.WriteFile(csv, []byte(src2), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = ctl(t, "reps", "import", "--plan", plan, "--file", csv, "--json")
	var rep RepsImportOut
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || rep.Updated != 1 || rep.Added != 0 || rep.Kept != 3 {
		t.Fatalf("re-import: %d %v %+v", code, err, rep)
	}
	q := loadPlan(t, plan)
	if ana := q.Rep(4); ana.CapacityHours != 1500 || ana.Name != "Ana Pop" || ana.AnnualCost != 90000 || len(q.Reps) != 4 {
		t.Errorf("Ana after re-import: %+v", ana)
	}

	// Errors.
	if code, _, errOut := ctl(t, "reps", "import", "--plan", plan); code != 1 || !strings.Contains(errOut, "reps import needs --plan") {
		t.Errorf("no file: %d %q", code, errOut)
	}
	if err := os.WriteFile(csv, []byte("Territory,Quota\nSouth,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := ctl(t, "reps", "import", "--plan", plan, "--file", csv); code != 1 || !strings.Contains(errOut, "needs a name column") || !strings.Contains(errOut, "Territory, Quota") {
		t.Errorf("no name column: %d %q", code, errOut)
	}
}
