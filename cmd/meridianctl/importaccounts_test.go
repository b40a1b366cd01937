package main

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner/sqlite"
)

// gunzipTo writes the gzip file src, decompressed, to dst.
func gunzipTo(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestImportAccounts imports the HIFLD hospital file into a plan on the US
// counties, checks the report and the stored accounts, re-imports it (no
// change), and checks the errors for bad choices.
func TestImportAccounts(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "us.meridian")
	if code, _, errOut := ctl(t, "import", "geography", "--plan", plan, "--layer", "us-counties"); code != 0 {
		t.Fatalf("geography: %q", errOut)
	}
	csv := filepath.Join(dir, "hospitals.csv")
	gunzipTo(t, filepath.Join("..", "..", "planner", "testdata", "us_hospitals_hifld.csv.gz"), csv)

	code, out, errOut := ctl(t, "import", "accounts", "--plan", plan, "--file", csv, "--map", "potential=BEDS")
	for _, want := range []string{
		"hospitals.csv: 7581 rows read, 7581 accounts imported\n",
		"name=NAME, address=ADDRESS, city=CITY, state=STATE, zip=ZIP",
		"potential=BEDS",
		"located: 7581 by their own coordinates, 0 by postal code, 0 by city, 0 not located; 7580 in a unit of the plan\n",
		"plan: 7581 added, 0 updated, 0 unchanged, 0 no longer in the file (kept); 43 groups of likely duplicates\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("import: %d, output lacks %q:\n%s\n%s", code, want, out, errOut)
		}
	}
	db, err := sqlite.OpenReadOnly(plan)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Load(t.Context())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	beds, unknown := 0.0, 0
	for _, a := range p.Accounts {
		if a.Potential.Known {
			beds += a.Potential.Value
		} else {
			unknown++
		}
	}
	// BEDS -999 means unknown; the known beds of all 7,581 rows sum to 1,014,110.
	if len(p.Accounts) != 7581 || beds != 1014110 || unknown != 662 || p.PotentialName != "BEDS" || len(p.CustomFields) == 0 {
		t.Errorf("stored: %d accounts, %v beds, %d unknown, potential %q, %d custom fields", len(p.Accounts), beds, unknown, p.PotentialName, len(p.CustomFields))
	}

	// The same file again: every account matched by its ID, nothing changed.
	code, out, _ = ctl(t, "import", "accounts", "--plan", plan, "--file", csv, "--map", "potential=BEDS", "--json")
	var rep importReport
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("re-import --json: %d %v\n%s", code, err, out)
	}
	if rep.Added != 0 || rep.Unchanged != 7581 || rep.Updated != 0 || rep.Removed != 0 || rep.Mapping["potential"] != "BEDS" {
		t.Errorf("re-import: %+v", rep)
	}

	// Numeric custom fields can be balanced on, by name; text ones cannot.
	if code, _, errOut := ctl(t, "balance", "--plan", plan, "--metrics", "website:5"); code != 1 || !strings.Contains(errOut, `"WEBSITE" is a custom field with text values`) {
		t.Errorf("balance on a text field: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "balance", "--plan", plan, "--metrics", "staff:5"); code != 1 || !strings.Contains(errOut, "or a numeric field (FID, POPULATION, NAICS_CODE, TTL_STAFF)") {
		t.Errorf("balance on an unknown field: %d %q", code, errOut)
	}

	// A quantity without data is refused before any search: the plan's
	// counties have no population, and TTL_STAFF is -999 (unknown) in
	// every row of the hospital file.
	for _, m := range []string{"population:5", "TTL_STAFF:5"} {
		if code, _, errOut := ctl(t, "balance", "--plan", plan, "--territories", "3", "--metrics", m); code != 1 || !strings.Contains(errOut, "is 0 or unknown in every unit to balance: there is nothing to balance on it") {
			t.Errorf("balance on %s: %d %q", m, code, errOut)
		}
	}

	// --delete-removed refuses a file that matches none of the plan's IDs.
	other := filepath.Join(dir, "other.csv")
	os.WriteFile(other, []byte("Account ID,Account Name,Latitude,Longitude\nX-1,New Co,40.7,-74\nX-1,New Co again,40.7,-74\n"), 0o644)
	if code, _, errOut := ctl(t, "import", "accounts", "--plan", plan, "--file", other, "--delete-removed"); code != 1 ||
		!strings.Contains(errOut, "none of its external IDs is in "+plan+", so --delete-removed would delete all 7581 accounts of the plan; nothing was written") {
		t.Errorf("--delete-removed with no match: %d %q", code, errOut)
	}
	// Without it, the duplicate rows are named with what was done.
	if code, out, _ := ctl(t, "import", "accounts", "--plan", plan, "--file", other); code != 0 || !strings.Contains(out, "  rows 2, 3 (same external ID): New Co — merge\n") {
		t.Errorf("duplicates: %d %q", code, out)
	}

	// A CSV named .xls is read as CSV.
	textXLS := filepath.Join(dir, "export.xls")
	os.WriteFile(textXLS, []byte("Account ID,Account Name,Latitude,Longitude\nX-1,New Co,40.7,-74\n"), 0o644)
	if code, out, errOut := ctl(t, "import", "accounts", "--plan", plan, "--file", textXLS); code != 0 || !strings.Contains(out, "export.xls: 1 row read, 1 account imported") {
		t.Errorf("CSV named .xls: %d %q %q", code, out, errOut)
	}

	xls := filepath.Join(dir, "old.xls")
	os.WriteFile(xls, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, 0o644)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--file", csv, "--map", "beds=BEDS"}, `--map "beds=BEDS": write field=Column with a field among external_id, name`},
		{[]string{"--file", csv, "--map", "potential=Beds count"}, `the file has no column "Beds count"; it has: FID, ID, NAME, ADDRESS`},
		{[]string{"--file", csv, "--map", "name=,external_id="}, "hospitals.csv: Choose the column that holds the account name"},
		{[]string{"--file", xls}, `save it as "Excel Workbook (.xlsx)"`},
		{[]string{"--file", csv, "--sheet", "Data"}, "--sheet is for Excel workbooks"},
		{[]string{"--file", filepath.Join(dir, "missing.csv")}, "missing.csv"},
	} {
		args := append([]string{"import", "accounts", "--plan", plan}, c.args...)
		if code, _, errOut := ctl(t, args...); code != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.msg)
		}
	}
}
