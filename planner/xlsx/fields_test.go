package xlsx_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// rowsTable is a planner.TableReader over rows of text, for the import test.
type rowsTable struct {
	header []string
	rows   [][]string
	i      int
}

func (r *rowsTable) Source() string                { return "crm.csv" }
func (r *rowsTable) Header() []string              { return r.header }
func (r *rowsTable) HeaderRow() int                { return 1 }
func (r *rowsTable) Numbers() planner.NumberFormat { return planner.NumberFormat{Decimal: '.'} }
func (r *rowsTable) Progress() float64             { return float64(r.i) / float64(len(r.rows)) }
func (r *rowsTable) Close() error                  { return nil }
func (r *rowsTable) Next() (planner.Record, error) {
	if r.i >= len(r.rows) {
		return planner.Record{}, io.EOF
	}
	r.i++
	cells := make([]planner.Cell, len(r.rows[r.i-1]))
	for k, s := range r.rows[r.i-1] {
		if s != "" {
			cells[k] = planner.Cell{Kind: planner.CellText, Text: s}
		}
	}
	return planner.Record{Row: r.i + 1, Cells: cells}, nil
}

// An account imported with the name =HYPERLINK("http://x","y") and a custom
// value +1 is exported as text, not as a formula or a number; a numeric
// custom field is exported as numbers, after the standard columns.
func TestImportedTextStaysText(t *testing.T) {
	r := &rowsTable{
		header: []string{"Account ID", "Account Name", "Latitude", "Longitude", "Phone", "Employees", "Note", "Annual Revenue"},
		rows: [][]string{
			{"CRM-1", hyperlink, "42.37", "-71.1", "+1", "1200", "@note", "5000000"},
			{"CRM-2", "Plain Clinic", "42.26", "-71.8", "555-0100", "", "ok", ""},
		},
	}
	res, err := planner.ImportAccounts(context.Background(), r, planner.ImportOptions{Mapping: planner.GuessMapping(r.header)})
	if err != nil {
		t.Fatal(err)
	}
	// Annual Revenue is the potential; Employees is a numeric custom field.
	p, _, err := testPlan().WithImport(res, planner.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.CustomFields) != 3 || !p.CustomFields[1].Numeric {
		t.Fatalf("custom fields %+v", p.CustomFields)
	}
	f, err := excelize.OpenReader(bytes.NewReader(encode(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The six test accounts are rows 2 to 7; the imported ones 8 and 9.
	// Custom fields follow Named (P), Placement (Q) and Located by (R): S, T, U.
	wantRow(t, f, "Accounts", 1, []string{"External ID", "Name", "Address", "City", "State", "ZIP", "Longitude", "Latitude",
		"Segment", "Owner", "Potential (Beds)", "Unit code", "Unit name", "Parent", "Territory", "Named", "Placement", "Located by", "Phone", "Employees", "Note"})
	wantText(t, f, "Accounts", "A8", "CRM-1")
	wantText(t, f, "Accounts", "B8", hyperlink)
	wantText(t, f, "Accounts", "R8", "exact point")
	wantText(t, f, "Accounts", "S8", "+1")
	wantText(t, f, "Accounts", "U8", "@note")
	wantNumber(t, f, "Accounts", "T8", 1200)
	wantNumber(t, f, "Accounts", "K8", 5e6)
	wantText(t, f, "Accounts", "S9", "555-0100")
	wantBlank(t, f, "Accounts", "T9")
	wantBlank(t, f, "Accounts", "S2") // accounts from before the import have no values
	for _, cell := range []string{"B8", "S8", "U8"} {
		id, err := f.GetCellStyle("Accounts", cell)
		if err != nil {
			t.Fatal(err)
		}
		if xf := f.Styles.CellXfs.Xf[id]; xf.QuotePrefix == nil || !*xf.QuotePrefix {
			t.Errorf("Accounts!%s: style %d has no quote prefix", cell, id)
		}
	}
	if typ, _ := f.GetCellType("Accounts", "S9"); typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
		t.Errorf("Accounts!S9 type %v", typ)
	}
}
