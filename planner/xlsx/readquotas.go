package xlsx

import (
	"errors"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// ReadQuotas reads the annual quotas back from the Territories sheet of a
// workbook this package wrote (and finance edited, in Excel or
// LibreOffice): one planner.QuotaEntry per territory row, in sheet order,
// for [planner.CompareQuotas].
//
// Columns are found by their header in row 1, whatever their letter:
// "Territory", "Annual quota" and, when present, the hidden "Territory ID"
// (so that a renamed territory still matches); case and spaces in headers
// do not matter. Rows with neither an ID nor a territory name, and the
// "White space" and "Total" rows, are skipped. A quota cell may hold a
// number, a formula (its cached value is read), a number typed as text
// ("1,250,000", "$1,250,000": [planner.ParseNumber] with a decimal point
// and comma groups) or nothing (Unknown). Entry.Column is the cell's
// column letter.
//
// Errors (*planner.Error): EIO naming the file when it cannot be opened
// (errors.Is(err, fs.ErrNotExist) holds for a missing file); EINVALID when
// it is not a workbook, has no Territories sheet or no Territory or Annual
// quota column, or when a quota or an ID cell holds anything else than a
// number: the message names the file and the cell, e.g.
// "plan.xlsx: Territories!P7 holds "abc", not an amount".
func ReadQuotas(path string) ([]planner.QuotaEntry, error) {
	name := filepath.Base(path)
	f, err := excelize.OpenFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fileError("Could not open %s", path, err)
		}
		return nil, &planner.Error{Code: planner.EINVALID, Message: name + " is not an Excel workbook (.xlsx) that Meridian can read", Err: err}
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex(SheetTerritories); err != nil || idx < 0 {
		return nil, planner.Errorf(planner.EINVALID, "%s has no %s sheet: import quotas from a workbook that Meridian exported", name, SheetTerritories)
	}
	rows, err := f.GetRows(SheetTerritories, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &planner.Error{Code: planner.EINVALID, Message: "Could not read the " + SheetTerritories + " sheet of " + name, Err: err}
	}
	key := headerKey
	colTerr, colQuota, colID := -1, -1, -1
	if len(rows) > 0 {
		for j, h := range rows[0] {
			switch key(h) {
			case key(hdrTerritory):
				if colTerr < 0 {
					colTerr = j
				}
			case key(hdrAnnualQuota):
				if colQuota < 0 {
					colQuota = j
				}
			case key(hdrTerritoryID):
				if colID < 0 {
					colID = j
				}
			}
		}
	}
	switch {
	case colTerr < 0:
		return nil, planner.Errorf(planner.EINVALID, "%s: the %s sheet has no %q column in row 1", name, SheetTerritories, hdrTerritory)
	case colQuota < 0:
		return nil, planner.Errorf(planner.EINVALID, "%s: the %s sheet has no %q column in row 1 (export the plan with quota settings first)", name, SheetTerritories, hdrAnnualQuota)
	}
	letter := func(j int) string { l, _ := excelize.ColumnNumberToName(j + 1); return l }
	ref := func(j, r int) string { return SheetTerritories + "!" + letter(j) + strconv.Itoa(r) }
	get := func(row []string, j int) string {
		if j >= 0 && j < len(row) {
			return strings.TrimSpace(row[j])
		}
		return ""
	}
	var out []planner.QuotaEntry
	for i := 1; i < len(rows); i++ {
		row, r := rows[i], i+1
		terr, idText := get(row, colTerr), get(row, colID)
		first := key(get(row, 0))
		if idText == "" && (terr == "" || first == "whitespace" || first == "total") {
			continue
		}
		e := planner.QuotaEntry{Row: r, Territory: terr, Column: letter(colQuota)}
		if idText != "" {
			id, err := strconv.ParseFloat(idText, 64)
			if err != nil || id != math.Trunc(id) || id <= 0 || id > 1<<53 {
				return nil, planner.Errorf(planner.EINVALID, "%s: %s holds %q, not a territory ID; leave the hidden %s column as exported", name, ref(colID, r), idText, hdrTerritoryID)
			}
			e.TerritoryID = int64(id)
		}
		if v := get(row, colQuota); v != "" {
			x, err := quotaValue(f, ref(colQuota, r), letter(colQuota)+strconv.Itoa(r), v)
			if err != nil {
				return nil, planner.Errorf(planner.EINVALID, "%s: %s holds %q, not an amount; type a number such as 1250000", name, ref(colQuota, r), v)
			}
			e.Quota = planner.Known(x)
		}
		out = append(out, e)
	}
	return out, nil
}

// quotaValue reads the raw value v of quota cell c (for messages, ref): a
// number cell's value, or a number typed as text.
func quotaValue(f *excelize.File, ref, c, v string) (float64, error) {
	typ, err := f.GetCellType(SheetTerritories, c)
	if err != nil {
		return 0, err
	}
	switch typ {
	case excelize.CellTypeBool, excelize.CellTypeError:
		return 0, errors.New(ref + ": not a number")
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
		// Text, or a formula whose cached value is text: parse it.
	default:
		if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x, nil
		}
	}
	if x, ok := planner.ParseNumber(v, planner.NumberFormat{Decimal: '.', Group: ','}); ok {
		return x, nil
	}
	return 0, errors.New(ref + ": not a number")
}
