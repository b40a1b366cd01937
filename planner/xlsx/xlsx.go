// Package xlsx writes a Meridian plan's scenario as an Excel workbook (.xlsx)
// that finance can use as it is: real numbers with number formats, a Total
// row made of SUM formulas with cached values, text kept as text (ZIP codes
// keep their leading zeros), and "no data" shown as a blank cell, never as 0.
//
// It is the Excel adapter of package planner, which stays free of any
// spreadsheet library. The workbook has seven sheets, in this order:
//
//   - Summary: label in column A, value in column B, note in column C; with
//     quota settings also the target, over-assignment, quota total
//     expected, quotas assigned and gap, with a workload model the reps
//     needed, assigned and to hire; bar charts of quota (with quota
//     settings) and potential by territory.
//   - Territories: one row per territory (hierarchy: one column per level
//     above the territories, headed by the scenario's level name, e.g.
//     Region and Area; territory, reps,
//     balance metrics; with quota settings last year, annual quota, set by
//     hand, explanation, split unit, Q1 to Q4 and the twelve fiscal months
//     as formulas of the annual quota, the split unit and the Settings
//     sheet's cumulative season shares: see split.go), the white space and
//     the total; a hidden Territory ID column.
//   - Reps: one row per rep of the roster and per vacancy ("TBH
//     (territory)"): contact, start, territories, capacity, workload and
//     utilisation (with a workload model), full quota, ramp factor, quota
//     and explanation (with quota settings), and the total.
//   - Accounts: one row per account (written with excelize's StreamWriter),
//     with its territory's hierarchy columns, its territory and whether it
//     is a named account there ("named").
//   - Segments: one row per rule-based segment of the plan (rule, tiers,
//     overlay team and reps, members, potential, share of potential, a
//     note with tier sizes or why the rule fails); then "Segments by
//     territory", accounts and potential per territory (with its
//     hierarchy), white space and a Total of SUM formulas, for each
//     segment or tier; then "Accounts by <segment field>", the accounts
//     grouped by their Segment value, and the total.
//   - Units: one row per geography unit.
//   - Settings: the quota settings, the season shares of the fiscal months
//     (cells B16:B27), the cumulative shares "Share of the year due by the
//     end of <month>" (cells B31:B42, which the Territories formulas use)
//     and the ramp; "none" without quota settings.
//
// Without quota settings (Plan.Quota nil) the quota columns and rows are
// left out, not written empty. Every table has its header row frozen, an
// autofilter (except Settings, whose cells formulas refer to), banded rows
// (a conditional format), fitted column widths and a landscape page set to
// print one page wide. Money has the currency's number format ("$#,##0"
// for USD, "#,##0 "EUR"" for other codes; with cents when the rounding
// unit is under 1). The workbook asks to be fully recalculated on load.
// [ReadQuotas] reads the annual quotas back from the Territories sheet.
//
// Deviations are stored as fractions (-0.123) with the percent format
// "0.0%", so that Excel shows -12.3% and formulas can use them directly.
//
// Any text cell that comes from user data and could be taken for a formula
// (it starts with =, +, - or @, possibly after spaces, or with a tab or a
// carriage return, as OWASP's CSV-injection guidance lists) is written as a
// string cell, never as a formula, with the Text number format and Excel's
// quote prefix, so that editing the cell keeps it text.
package xlsx

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/xuri/excelize/v2"
)

// Sheet names.
const (
	SheetSummary     = "Summary"     // plan facts and totals, label/value pairs, charts
	SheetTerritories = "Territories" // one row per territory, white space, total
	SheetReps        = "Reps"        // one row per rep and per vacancy, total
	SheetAccounts    = "Accounts"    // one row per account
	SheetSegments    = "Segments"    // rule-based segments, segments by territory, accounts by segment field
	SheetUnits       = "Units"       // one row per geography unit
	SheetSettings    = "Settings"    // quota settings, season shares, ramp
)

// Sheets lists the sheet names in workbook order.
var Sheets = []string{SheetSummary, SheetTerritories, SheetReps, SheetAccounts, SheetSegments, SheetUnits, SheetSettings}

// Encoder writes a plan's scenario as an .xlsx workbook to an io.Writer.
type Encoder struct {
	w io.Writer
	// Now returns the time written as the Summary's "Exported" date; nil
	// means time.Now. The cell holds the wall-clock time of the returned
	// value in its own location. Tests inject a fixed time.
	Now func() time.Time
}

// NewEncoder returns an Encoder that writes to w. Each call to Encode writes
// one complete workbook to w (built in memory first: about 1 MB for a plan
// the size of the sample) and does not close w.
func NewEncoder(w io.Writer) *Encoder {
	return &Encoder{w: w, Now: time.Now}
}

// Encode writes scenario scenarioID of plan p as a complete .xlsx workbook
// (the sheets of [Sheets], in that order). With quota settings, the quota
// figures are [planner.BuildQuotaPlan]'s.
//
// It returns a *planner.Error with code EINVALID when p is nil, ENOTFOUND
// when the plan has no scenario scenarioID (nothing is written then),
// BuildQuotaPlan's *planner.Error (EINVALID: invalid quota settings or
// history field; nothing is written), EINTERNAL wrapping the cause when the
// workbook cannot be built, and EIO wrapping it when the workbook cannot be
// written to the underlying writer (part of the workbook may have been
// written then).
func (e *Encoder) Encode(p *planner.Plan, scenarioID int64) error {
	if p == nil {
		return planner.Errorf(planner.EINVALID, "There is no plan to export")
	}
	s := p.Scenario(scenarioID)
	if s == nil {
		return planner.Errorf(planner.ENOTFOUND, "Plan %q has no scenario with ID %d", p.Name, scenarioID)
	}
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	f := excelize.NewFile()
	defer f.Close() // removes the stream writers' temporary files, if any

	b := &book{f: f, p: p, s: s, m: planner.ComputeMetrics(p, s), now: now()}
	if err := b.build(); err != nil {
		if pe, ok := err.(*planner.Error); ok {
			return pe // the quota plan's: invalid settings or history field
		}
		return &planner.Error{Code: planner.EINTERNAL, Message: "Could not build the Excel workbook", Err: err}
	}
	if err := f.Write(e.w); err != nil {
		return &planner.Error{Code: planner.EIO, Message: "Could not write the Excel workbook", Err: err}
	}
	return nil
}

// WriteFile writes scenario scenarioID of plan p as an .xlsx workbook to
// path, atomically: it encodes into a temporary file in the same directory,
// syncs it, then renames it over path. An existing file at path keeps its
// permissions; a new one gets mode 0644.
//
// On any error path is left untouched and the temporary file is removed. The
// error is the *planner.Error from Encode (ENOTFOUND for an unknown
// scenario), or a *planner.Error with code EIO whose message names the
// file and wraps the operating-system error (errors.Is(err, fs.ErrNotExist)
// holds when the directory does not exist).
func WriteFile(path string, p *planner.Plan, scenarioID int64) error {
	return writeFile(path, p, scenarioID)
}

// writeFile is WriteFile, with a named result for its clean-up.
func writeFile(path string, p *planner.Plan, scenarioID int64) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fileError("Could not save the workbook as %s", path, err)
	}
	name, closed := tmp.Name(), false
	defer func() {
		if err != nil {
			if !closed {
				tmp.Close()
			}
			os.Remove(name)
		}
	}()

	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := NewEncoder(bw).Encode(p, scenarioID); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fileError("Could not save the workbook as %s", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fileError("Could not save the workbook as %s", path, err)
	}
	closed = true
	if err := tmp.Close(); err != nil {
		return fileError("Could not save the workbook as %s", path, err)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.Chmod(name, mode); err != nil {
		return fileError("Could not save the workbook as %s", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fileError("Could not replace %s. If it is open in Excel, close it and export again", path, err)
	}
	return nil
}

// fileError wraps a file-system error in a *planner.Error that names path.
func fileError(format, path string, err error) error {
	return &planner.Error{Code: planner.EIO, Message: fmt.Sprintf(format, path), Err: err}
}
