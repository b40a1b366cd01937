package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner/sqlite"
)

// TestImportGeography starts plans on a shipped layer and on a GeoJSON
// file, reads them back, and checks the errors for missing choices.
func TestImportGeography(t *testing.T) {
	dir := t.TempDir()
	world := filepath.Join(dir, "world.meridian")
	code, out, errOut := ctl(t, "import", "geography", "--plan", world, "--layer", "world-countries")
	if code != 0 || !strings.Contains(out, "241 features, 241 units, 0 skipped; 3 split at the 180° meridian") ||
		!strings.Contains(out, `feature 230 "Ashmore and Cartier Is." (code 036): its code is already used by feature 226; imported as 036-2`) {
		t.Fatalf("world: %d %q %q", code, out, errOut)
	}
	db, err := sqlite.OpenReadOnly(world)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Load(t.Context())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "World countries (Natural Earth 1:50m)" || p.UnitLevel != "Country" || len(p.Units) != 241 || len(p.Active().Territories) != 0 || !strings.Contains(p.Attribution, "Natural Earth") {
		t.Errorf("world plan: %q, %q, %d units, %d territories, attribution %q", p.Name, p.UnitLevel, len(p.Units), len(p.Active().Territories), p.Attribution)
	}

	ro := filepath.Join(dir, "ro.meridian")
	file := filepath.Join("..", "..", "geo", "testdata", "romania_counties_ne.geojson")
	code, _, errOut = ctl(t, "import", "geography", "--plan", ro, "--file", file)
	if code != 1 || !strings.Contains(errOut, "needs --id PROP naming the property with each unit's code; romania_counties_ne.geojson has: (feature id) (e.g. RO.DJ), name (e.g. Dolj)") {
		t.Errorf("no --id: %d %q", code, errOut)
	}
	code, out, errOut = ctl(t, "import", "geography", "--plan", ro, "--file", file, "--id", "(feature id)", "--name", "name", "--level", "County", "--title", "Romania")
	if code != 0 || !strings.Contains(out, `wrote `+ro+`: plan "Romania", 42 units (County)`) {
		t.Errorf("romania: %d %q %q", code, out, errOut)
	}
	// Accounts with a city only are looked for in the plan's country (RO,
	// from the units' HASC codes), not in the US.
	csv := filepath.Join(dir, "ro.csv")
	os.WriteFile(csv, []byte("Name,City\nSpital Cluj,Cluj-Napoca\nSpital Iasi,Iasi\nSpital Brasov,Brasov\n"), 0o644)
	if code, out, errOut := ctl(t, "import", "accounts", "--plan", ro, "--file", csv); code != 0 || !strings.Contains(out, "located: 0 by their own coordinates, 0 by postal code, 3 by city, 0 not located; 3 in a unit of the plan") {
		t.Errorf("Romanian cities: %d %q %q", code, out, errOut)
	}
	// Without population data, the report says so on every line, the total too.
	if code, out, _ := ctl(t, "report", "--plan", ro); code != 0 || !regexp.MustCompile(`Total +42 +3 +no data`).MatchString(out) {
		t.Errorf("report without population: %d\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"import", "geography", "--plan", ro, "--file", file, "--id", "name"}, "already exists; use --force"},
		{[]string{"import", "geography", "--plan", filepath.Join(dir, "x.meridian"), "--layer", "mars"}, `there is no layer "mars"; the layers are: us-counties, world-countries`},
		{[]string{"import", "geography", "--plan", filepath.Join(dir, "x.meridian"), "--file", file, "--id", "code"}, `property`},
		{[]string{"import", "geography", "--plan", filepath.Join(dir, "x.meridian")}, "needs --file"},
		{[]string{"import", "lasagne"}, "import needs a kind: accounts or geography"},
	} {
		if code, _, errOut := ctl(t, c.args...); code != 1 || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: %d %q, want %q", c.args, code, errOut, c.msg)
		}
	}
}
