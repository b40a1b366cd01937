package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
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
		Scenarios: []planner.Scenario{{ID: 1, Name: "Base", Territories: []planner.Territory{{ID: 10, Name: "South", Color: "#ff7f0e", Reps: []planner.Assignment{{RepID: 2, Share: 100}}}},
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
	src := "Full Name,Email,Title,Reports To,Home ZIP,Home Latitude,Home Longitude,Start Date,Capacity (hours),Annual Cost,Regional Office\n" +
		"Dana Whitfield,dana@example.com,Account Executive,Mia Chen,36067,32.4609,-86.4806,2024-02-29,1450,182500,South\n" +
		"Luis Ortega,luis@example.com,Sales Rep,Mia Chen,02134,,,2023-03-15,1600,95000,East\n" +
		"Ana Pop,ana@example.com,Sales Rep,Dana Whitfield,,,,,lots,90000,South\n" +
		"Sam Lee,sam@example.com,Intern,Dana Whitfield,,,,2025-06-01,,,South\n"
	if err := os.WriteFile(csv, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ctl(t, "reps", "import", "--plan", plan, "--file", csv)
	for _, want := range []string{
		"roster.csv: 4 rows read, 4 reps imported\n",
		"home bases: 1 by their own coordinates, 1 by postal code, 0 by city\n",
		"not used: Regional Office (map one with --map field=Column if it was meant)\n",
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

// TestRepsImportOptions maps columns by hand (--map) from the second sheet
// of a workbook (--sheet), stops on a row that cannot be used unless
// --skip-bad (nothing written), and prints JSON.
func TestRepsImportOptions(t *testing.T) {
	plan := repsPlan(t)
	book := filepath.Join(t.TempDir(), "roster.xlsx")
	f := excelize.NewFile()
	if _, err := f.NewSheet("Team"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Person", "Mail", "Hours", "Boss"},
		{"Ann Lee", "ann@example.com", 1200, "Mia Chen"},
		{"", "", 1000, "Mia Chen"},              // no name, no email: unusable
		{"Bo Dahl", "ANN@example.com", 900, ""}, // the same email again: unusable
		{"Cy Fox", "cy@example.com", "", "Ann Lee"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Team", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	f.Close()
	base := []string{"reps", "import", "--plan", plan, "--file", book, "--sheet", "Team", "--map", "name=Person,email=mail,capacity=Hours,Manager=Boss"}

	// Without --skip-bad: rows 3 and 4 stop the import; nothing written.
	code, out, errOut := ctl(t, append(base, "--json")...)
	var r RepsImportOut
	if err := json.Unmarshal([]byte(out), &r); code != 1 || err != nil || r.Written || !reflect.DeepEqual(r.SkippedRows, []int{3, 4}) {
		t.Fatalf("without --skip-bad: %d %v %+v %q", code, err, r, errOut)
	}
	for _, w := range []string{"roster.xlsx", "2 rows cannot be imported, so nothing was written (add --skip-bad to import the other rows)",
		"row 3, column Person: the rep has no name and no email\n", "row 4, column Mail: the email 'ANN@example.com' is also on row 2\n"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("error lacks %q: %q", w, errOut)
		}
	}
	if p := loadPlan(t, plan); len(p.Reps) != 1 {
		t.Fatalf("a stopped import wrote %d reps", len(p.Reps))
	}

	// With --skip-bad: Ann and Cy imported, rows 3 and 4 listed.
	code, out, errOut = ctl(t, append(base, "--skip-bad")...)
	for _, w := range []string{"4 rows read, 2 reps imported, 2 rows skipped (3, 4)\n",
		"columns: Name=Person, Email=Mail, Manager=Boss, Capacity (hours a year)=Hours\n", "roster: 2 added, 0 updated, 0 unchanged, 1 not in the file (kept)\n"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("--skip-bad lacks %q: %d %q\n%s", w, code, errOut, out)
		}
	}
	p := loadPlan(t, plan)
	if len(p.Reps) != 3 || p.Reps[1].Name != "Ann Lee" || p.Reps[1].CapacityHours != 1200 || p.Reps[1].Manager != "Mia Chen" ||
		p.Reps[2].Name != "Cy Fox" || p.Reps[2].CapacityHours != 0 || p.Reps[2].Manager != "Ann Lee" {
		t.Errorf("reps %+v", p.Reps)
	}

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--sheet", "Team", "--map", "colour=Person"}, `--map "colour=Person": write field=Column with a field among name, first_name`},
		{[]string{"--sheet", "Team", "--map", "name=Nom"}, `--map name=Nom: the file has no column "Nom"; it has: Person, Mail, Hours, Boss`},
		{[]string{"--sheet", "Nope"}, "Nope"},
		{[]string{"--sheet", "Team", "--map", "name=,email="}, "needs a name column"},
	} {
		if code, _, errOut := ctl(t, append([]string{"reps", "import", "--plan", plan, "--file", book}, c.args...)...); code != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.msg)
		}
	}
}

// TestRepsAssign assigns reps by name, email and case, checks the shares,
// a vacancy's planned start, the errors (nothing written) and --reps "".
func TestRepsAssign(t *testing.T) {
	plan := repsPlan(t)
	db, err := sqlite.OpenExisting(plan)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Apply(t.Context(), sqlite.PutRepEdit(planner.Rep{ID: 3, Name: "Ann Lee", Email: "ann@example.com"}),
		sqlite.PutRepEdit(planner.Rep{ID: 4, Name: "Lee, Bo"})); err != nil {
		t.Fatal(err)
	}
	db.Close()
	code, out, errOut := ctl(t, "reps", "assign", "--plan", plan, "--territory", "south", "--reps", "ANN LEE=60, dana@example.com = 20%, TBH=20", "--start", "2027-05-01", "--json")
	var a AssignOut
	if err := json.Unmarshal([]byte(out), &a); code != 0 || err != nil {
		t.Fatalf("assign: %d %v %q", code, err, errOut)
	}
	want := []AssignLineOut{{RepID: 3, Name: "Ann Lee", Share: 60}, {RepID: 2, Name: "Dana W.", Share: 20}, {Name: "TBH", Share: 20, PlannedStart: "2027-05-01"}}
	if a.Territory != "South" || !reflect.DeepEqual(a.Reps, want) || a.Summary != "Ann Lee 60%, Dana W. 20%, TBH from 2027-05-01 20%" || a.Previous != "Dana W." {
		t.Errorf("assign = %+v", a)
	}
	got := loadPlan(t, plan).Active().Territories[0].Reps
	wantA := []planner.Assignment{{RepID: 3, Share: 60}, {RepID: 2, Share: 20}, {Share: 20, PlannedStart: time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)}}
	if len(got) != 3 || got[0] != wantA[0] || got[1] != wantA[1] || got[2].RepID != 0 || got[2].Share != 20 || !got[2].PlannedStart.Equal(wantA[2].PlannedStart) {
		t.Errorf("stored %+v", got)
	}

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--territory", "South", "--reps", "Ann Lee=60,TBH=30"}, "the shares add up to 90%, not 100%"},
		{[]string{"--territory", "South", "--reps", "Zed=100"}, `--reps: the plan has no rep "Zed" (it has: Dana W., Ann Lee, Lee, Bo; see meridianctl reps)`},
		{[]string{"--territory", "South", "--reps", "Ann Lee=50,ann@example.com=50"}, "names Ann Lee twice"},
		{[]string{"--territory", "South", "--reps", "Ann Lee=0,TBH=100"}, "the share of Ann Lee must be a percentage more than 0"},
		{[]string{"--territory", "South", "--reps", "Ann Lee", "--start", "2027-05-01"}, "--start is the planned start of a vacancy"},
		{[]string{"--territory", "South", "--reps", "TBH=100", "--start", "May 1"}, "--start must be a date written YYYY-MM-DD"},
		{[]string{"--territory", "North", "--reps", "Ann Lee"}, `scenario "Base" has no territory "North" (it has: South)`},
		{[]string{"--territory", "South"}, "reps assign needs --territory NAME and --reps"},
	} {
		if code, _, errOut := ctl(t, append([]string{"reps", "assign", "--plan", plan}, c.args...)...); code != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.msg)
		}
	}
	if got := loadPlan(t, plan).Active().Territories[0].Reps; len(got) != 3 {
		t.Errorf("a failed assign changed the territory: %+v", got)
	}
	// A name with a comma, alone: 100%; then --reps "" clears.
	if code, out, errOut := ctl(t, "reps", "assign", "--plan", plan, "--territory", "South", "--reps", "Lee, Bo"); code != 0 ||
		!strings.HasPrefix(out, "South: Lee, Bo (was: Ann Lee 60%, Dana W. 20%, TBH from 2027-05-01 20%)\n") {
		t.Errorf("one rep: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := ctl(t, "reps", "assign", "--plan", plan, "--territory", "South", "--reps", ""); code != 0 || !strings.HasPrefix(out, "South: nobody (was: Lee, Bo)\n") {
		t.Errorf("clear: %d %q %q", code, out, errOut)
	}
	if got := loadPlan(t, plan).Active().Territories[0].Reps; len(got) != 0 {
		t.Errorf("cleared territory has %+v", got)
	}
}
