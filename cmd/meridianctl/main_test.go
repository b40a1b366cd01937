package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// ctl runs meridianctl in-process and returns its exit status and output.
func ctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestEndToEnd builds the sample plan, reports it as text and JSON and
// exports the workbook, checking values at every step.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	code, out, errOut := ctl(t, "sample", "--out", plan)
	if code != 0 || !strings.Contains(out, "3231 units, 7146 accounts, 9 territories") {
		t.Fatalf("sample: %d %q %q", code, out, errOut)
	}
	// A second run refuses to overwrite the plan.
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 1 || !strings.Contains(errOut, "already exists; use --force") {
		t.Fatalf("sample over an existing plan: %d %q", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the plan", len(entries))
	}

	code, out, errOut = ctl(t, "report", "--plan", plan, "--json")
	if code != 0 {
		t.Fatalf("report: %d %q", code, errOut)
	}
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, out)
	}
	if r.Plan != "US Hospitals sample" || r.Scenario != "Census divisions" || r.PotentialName != "Beds" || len(r.Territories) != 9 {
		t.Fatalf("report = %+v", r)
	}
	ne := r.Territories[0]
	if ne.Name != "New England" || ne.Units != 67 || ne.Accounts != 289 || ne.Population != 15386085 || ne.Potential != 42879 || ne.DeviationPct.Population != -59.29 {
		t.Errorf("New England = %+v", ne)
	}
	if u := r.Unassigned; u.Units != 89 || u.Accounts != 81 || u.UnlocatedAccounts != 1 || u.Population != 0 {
		t.Errorf("unassigned = %+v", u)
	}
	if tot := r.Totals; tot.Territories != 9 || tot.Units != 3231 || tot.Accounts != 7146 || tot.Population != 340110988 {
		t.Errorf("totals = %+v", tot)
	}
	// The raw JSON uses the documented keys.
	for _, key := range []string{`"plan"`, `"scenario"`, `"territories"`, `"deviation_pct"`, `"unassigned"`, `"totals"`, `"unlocated_accounts"`} {
		if !strings.Contains(out, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}

	code, out, _ = ctl(t, "report", "--plan", plan)
	if code != 0 || !strings.Contains(out, "New England") || !strings.Contains(out, "15386085") || !strings.Contains(out, "White space") {
		t.Errorf("text report: %d\n%s", code, out)
	}

	xlsxPath := filepath.Join(dir, "plan.xlsx")
	code, out, errOut = ctl(t, "export", "--plan", plan, "--out", xlsxPath)
	if code != 0 {
		t.Fatalf("export: %d %q", code, errOut)
	}
	// Export never overwrites without --force, and never the plan itself.
	if code, _, errOut := ctl(t, "export", "--plan", plan, "--out", xlsxPath); code != 1 || !strings.Contains(errOut, "already exists; use --force") {
		t.Errorf("export over an existing file: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "export", "--plan", plan, "--out", plan, "--force"); code != 1 || !strings.Contains(errOut, "is the plan file itself") {
		t.Errorf("export over the plan: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "export", "--plan", plan, "--out", xlsxPath, "--force"); code != 0 {
		t.Errorf("export --force: %d %q", code, errOut)
	}
	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) < 4 || got[0] != "Summary" || got[1] != "Territories" || !slices.Contains(got, "Accounts") || !slices.Contains(got, "Units") {
		t.Errorf("sheets = %v", got)
	}
	if v := cellByHeader(t, f, "Territories", "Territory", 2); v != "New England" {
		t.Errorf("Territories: the first territory is %q", v)
	}
	if v := cellByHeader(t, f, "Territories", "Population", 2); v != "15386085" {
		t.Errorf("Territories: New England's population is %q", v)
	}
	rows, _ := f.GetRows("Accounts")
	if len(rows) != 7147 {
		t.Errorf("Accounts has %d rows, want 7,146 + header", len(rows))
	}
	units, _ := f.GetRows("Units")
	if len(units) != 3232 {
		t.Errorf("Units has %d rows, want 3,231 + header", len(units))
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	notPlan := filepath.Join(dir, "notes.txt")
	os.WriteFile(notPlan, []byte("hello"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"report"}, "report needs --plan"},
		{[]string{"export", "--plan", notPlan}, "export needs --plan FILE.meridian and --out"},
		{[]string{"report", "--plan", filepath.Join(dir, "missing.meridian")}, "No plan file at " + filepath.Join(dir, "missing.meridian")},
		{[]string{"report", "--plan", notPlan}, "notes.txt is not a Meridian plan"},
		{[]string{"report", "--plan", notPlan, "extra"}, `unexpected argument "extra"`},
		{[]string{"sample"}, "sample needs --out"},
		{[]string{"sample", "--out", filepath.Join(dir, "no", "such", "dir", "x.meridian")}, "the folder " + filepath.Join(dir, "no", "such", "dir") + " does not exist"},
		{[]string{"sample", "--out", dir}, "is a folder; give a file name"},
		{[]string{"report", "--plan", notPlan, "--bogus"}, "flag provided but not defined: -bogus"},
	} {
		code, _, errOut := ctl(t, tc.args...)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("meridianctl %q: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
	if b, _ := os.ReadFile(notPlan); string(b) != "hello" {
		t.Errorf("report changed a file that is not a plan: %q", b)
	}
	if code, out, _ := ctl(t, "help"); code != 0 || !strings.Contains(out, "meridianctl sample") {
		t.Errorf("help: %d %q", code, out)
	}
}

// TestBinaryWithoutCgo builds meridianctl with CGO_ENABLED=0 and runs the
// real binary: errors go to stderr with exit status 1.
func TestBinaryWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "meridianctl")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	plan := filepath.Join(dir, "s.meridian")
	if out, err := exec.Command(bin, "sample", "--out", plan).CombinedOutput(); err != nil {
		t.Fatalf("sample: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "report", "--plan", plan, "--json").Output()
	if err != nil || !strings.Contains(string(out), `"name": "Pacific"`) {
		t.Fatalf("report: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "report", "--plan", filepath.Join(dir, "nope.meridian"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "No plan file at") {
		t.Fatalf("missing plan: %v, stderr %q", err, stderr.String())
	}
}

// TestMap writes the sample's map picture at a chosen width: a PNG of that
// width and 16:9 height; it refuses to overwrite without --force, to write
// over the plan, and widths out of range.
func TestMap(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatalf("sample: %q", errOut)
	}
	out := filepath.Join(dir, "map.png")
	code, stdout, errOut := ctl(t, "map", "--plan", plan, "--out", out, "--width", "1200")
	if code != 0 || !strings.Contains(stdout, "map.png (1200 px wide)") {
		t.Fatalf("map: %d %q %q", code, stdout, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 1200 || cfg.Height != 675 {
		t.Fatalf("picture %dx%d, %v; want 1200x675", cfg.Width, cfg.Height, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"map", "--plan", plan, "--out", out}, "already exists; use --force"},
		{[]string{"map", "--plan", plan, "--out", plan, "--force"}, "is the plan file itself"},
		{[]string{"map", "--plan", plan, "--out", filepath.Join(dir, "w.png"), "--width", "4001"}, "400 to 4000 pixels wide; 4001"},
		{[]string{"map", "--plan", plan}, "map needs --plan FILE.meridian and --out FILE.png"},
		{[]string{"map", "--plan", plan, "--out", filepath.Join(dir, "z.jpg")}, "give a file name ending in .png"},
	} {
		if code, _, errOut := ctl(t, tc.args...); code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("meridianctl %q: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "w.png")); !os.IsNotExist(err) {
		t.Errorf("a refused width left a file: %v", err)
	}
}

// cellByHeader returns the raw value of row (1-based) of sheet in the
// column whose first-row header is header; it fails the test when there is
// no such column.
func cellByHeader(t *testing.T, f *excelize.File, sheet, header string, row int) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	for c, h := range rows[0] {
		if h == header {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			return v
		}
	}
	t.Fatalf("sheet %s has no column %q (it has: %v)", sheet, header, rows[0])
	return ""
}
