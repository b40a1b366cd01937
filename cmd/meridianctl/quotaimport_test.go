package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The finance round trip from the command line: export, change two
// quotas in the workbook, import: the report lists exactly those two, and
// --write stores them as set by hand.
func TestQuotaImport(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "p.meridian")
	book := filepath.Join(dir, "p.xlsx")
	for _, args := range [][]string{
		{"sample", "--out", plan},
		{"quota", "--plan", plan, "--target", "50000000", "--overassign", "10", "--rounding", "1000", "--write"},
		{"export", "--plan", plan, "--out", book},
	} {
		if code, out, errOut := ctl(t, args...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errOut)
		}
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	// Find the annual quota column and the rows of two territories.
	rows, _ := f.GetRows("Territories")
	qcol, tcol := -1, -1
	for i, h := range rows[0] {
		switch h {
		case "Annual quota":
			qcol = i
		case "Territory":
			tcol = i
		}
	}
	if qcol < 0 || tcol < 0 {
		t.Fatalf("header %q", rows[0])
	}
	set := map[string]float64{"Pacific": 9_000_000, "New England": 2_500_000}
	for r, row := range rows {
		if tcol >= len(row) {
			continue
		}
		if v, ok := set[row[tcol]]; ok {
			cell, _ := excelize.CoordinatesToCellName(qcol+1, r+1)
			if err := f.SetCellValue("Territories", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, out, errOut := ctl(t, "quota", "import", "--plan", plan, "--file", book, "--json")
	var rep QuotaImportOut
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("import: %d %v %s", code, err, errOut)
	}
	if len(rep.Changes) != 2 || rep.Written {
		t.Fatalf("changes %+v", rep.Changes)
	}
	for _, c := range rep.Changes {
		if c.New == nil || *c.New != set[c.Territory] || c.Old == nil || c.Diff != *c.New-*c.Old {
			t.Errorf("change %+v", c)
		}
	}
	code, out, _ = ctl(t, "quota", "import", "--plan", plan, "--file", book, "--write")
	if code != 0 || !strings.Contains(out, "2 quotas changed; written as quotas set by hand") || !strings.Contains(out, "Pacific") {
		t.Errorf("write: %d %s", code, out)
	}
	// Imported again: nothing left to change.
	code, out, _ = ctl(t, "quota", "import", "--plan", plan, "--file", book)
	if code != 0 || !strings.Contains(out, "no quota differs") {
		t.Errorf("again: %d %s", code, out)
	}
}
