package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
	"github.com/meridianplan/meridian/planner/geocode"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// accountArgs are the flags of "import accounts".
type accountArgs struct {
	plan, file, sheet, mapping, country string
	skipBad, deleteRemoved, asJSON      bool
}

// importReport is what "import accounts" prints (--json: this as JSON).
type importReport struct {
	File       string            `json:"file"`
	Rows       int               `json:"rows"`
	Accounts   int               `json:"accounts"`
	Skipped    int               `json:"skipped_rows"`
	ErrorRows  int               `json:"error_rows"`
	Mapping    map[string]string `json:"mapping"`
	Custom     []string          `json:"custom_fields"`
	Matches    map[string]int    `json:"match_levels"`
	InUnit     int               `json:"in_a_unit"`
	Added      int               `json:"added"`
	Updated    int               `json:"updated"`
	Unchanged  int               `json:"unchanged"`
	Removed    int               `json:"removed"`
	Deleted    bool              `json:"removed_deleted"`
	Duplicates int               `json:"duplicate_groups"`
	DupGroups  []duplicateJSON   `json:"duplicates"`
	RemovedIDs []string          `json:"removed_external_ids"`
	Problems   []problemJSON     `json:"problems"`
}

// duplicateJSON is one group of likely duplicates: its file rows, the first
// row's name, why, and what the import did (keep all, merge, skip later rows).
type duplicateJSON struct {
	Rows   []int  `json:"rows"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Action string `json:"action"`
}

type problemJSON struct {
	Row      int    `json:"row"`
	Column   string `json:"column,omitempty"`
	Value    string `json:"value,omitempty"`
	Severity string `json:"severity"`
	Reason   string `json:"reason"`
}

// openTable opens a CSV or XLSX file by its extension (sheet: the XLSX
// sheet, "" for the first non-empty one).
//
// A file named .xls that is really text (CRM systems often export CSV or
// tab-separated text under that name) is read as CSV.
func openTable(path, sheet string) (planner.TableReader, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm", ".ods":
		return xlsx.OpenTable(path, sheet)
	case ".xls":
		if !csvfile.IsTextFile(path) {
			return xlsx.OpenTable(path, sheet)
		}
	}
	if sheet != "" {
		return nil, fmt.Errorf("--sheet is for Excel workbooks; %s is read as CSV", filepath.Base(path))
	}
	return csvfile.Open(path)
}

// parseMapping applies --map field=Column,... to m: each field by its key
// or label (planner.ParseField), each column by its header name (case
// ignored); "field=" unmaps a field.
func parseMapping(m *planner.Mapping, spec string, header []string) error {
	if strings.TrimSpace(spec) == "" {
		return nil
	}
	for _, part := range strings.Split(spec, ",") {
		k, col, ok := strings.Cut(part, "=")
		f, known := planner.ParseField(strings.TrimSpace(k))
		if !ok || !known {
			var keys []string
			for f := planner.Field(0); f < planner.NumFields; f++ {
				keys = append(keys, f.Key())
			}
			return fmt.Errorf("--map %q: write field=Column with a field among %s", part, strings.Join(keys, ", "))
		}
		col = strings.TrimSpace(col)
		if col == "" {
			m[f] = -1
			continue
		}
		idx := columnIndex(header, col)
		if idx < 0 {
			return fmt.Errorf("--map %s=%s: the file has no column %q; it has: %s", f.Key(), col, col, strings.Join(header, ", "))
		}
		m[f] = idx
	}
	return nil
}

// cmdImportAccounts imports a CSV or XLSX file of accounts into a plan:
// columns guessed from their headers (changed with --map), located by their
// own coordinates or offline by postal code or city, merged by external ID
// with the plan's accounts, and written in one transaction.
func cmdImportAccounts(ctx context.Context, a accountArgs, stdout, stderr io.Writer) error {
	db, err := sqlite.OpenExisting(a.plan)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.Load(ctx)
	if err != nil {
		return err
	}
	r, err := openTable(a.file, a.sheet)
	if err != nil {
		return err
	}
	defer r.Close()
	m := planner.GuessMapping(r.Header())
	if err := parseMapping(&m, a.mapping, r.Header()); err != nil {
		return err
	}
	country := a.country
	if country == "" {
		country = p.DefaultCountry() // "" (a world plan): the geocoder's default, US
	}
	gc, err := geocode.New(country)
	if err != nil {
		return err
	}
	loc := planner.NewLocator(p.Units, planner.DefaultSnapKm)
	next := 0.1
	res, err := planner.ImportAccounts(ctx, r, planner.ImportOptions{
		Mapping:  m,
		Geocoder: gc,
		Locate:   loc.Locate,
		SkipBad:  a.skipBad,
		Progress: func(f float64) {
			if f >= next && f < 1 {
				fmt.Fprintf(stderr, "reading %s: %.0f%%\n", r.Source(), 100*f)
				next = f + 0.1
			}
		},
	})
	if err != nil {
		if planner.ErrorCode(err) == planner.EINVALID && !strings.Contains(planner.ErrorMessage(err), r.Source()) {
			return fmt.Errorf("%s: %s. Its columns are: %s; map them with --map field=Column", r.Source(), strings.TrimSuffix(planner.ErrorMessage(err), "."), strings.Join(r.Header(), ", "))
		}
		return err
	}
	// Describe the duplicate groups before WithImport, which may consume
	// the imported accounts.
	var dups []duplicateJSON
	for _, g := range res.Duplicates {
		d := duplicateJSON{Reason: g.Reason.String(), Action: g.Resolution.String()}
		for _, i := range g.Accounts {
			d.Rows = append(d.Rows, res.AccountRows[i])
		}
		if len(g.Accounts) > 0 {
			d.Name = res.Accounts[g.Accounts[0]].Name
		}
		dups = append(dups, d)
	}
	merged, mr, err := p.WithImport(res, planner.MergeOptions{DeleteRemoved: a.deleteRemoved})
	if err != nil {
		return err
	}
	if a.deleteRemoved && len(mr.Removed) > 0 && mr.Updated+mr.Unchanged == 0 {
		return fmt.Errorf("%s: none of its external IDs is in %s, so --delete-removed would delete all %d accounts of the plan; nothing was written. Check that this is a newer export of the same accounts, or leave --delete-removed out", r.Source(), a.plan, len(mr.Removed))
	}
	if err := db.Replace(ctx, merged); err != nil {
		return err
	}
	rep := importReport{
		File: res.Source, Rows: res.Rows, Accounts: len(res.Levels), Skipped: res.Skipped, ErrorRows: res.ErrorRows,
		Mapping: map[string]string{}, Matches: map[string]int{},
		InUnit: res.Placements[planner.PlacedInside] + res.Placements[planner.PlacedNearest],
		Added:  mr.Added, Updated: mr.Updated, Unchanged: mr.Unchanged, Removed: len(mr.Removed), Deleted: a.deleteRemoved,
		Duplicates: len(res.Duplicates), DupGroups: dups, Problems: []problemJSON{},
	}
	for _, r := range mr.Removed {
		rep.RemovedIDs = append(rep.RemovedIDs, r.ExternalID)
	}
	for f := planner.Field(0); f < planner.NumFields; f++ {
		if c := res.Mapping.Column(f); c >= 0 && c < len(r.Header()) {
			rep.Mapping[f.Key()] = r.Header()[c]
		}
	}
	for _, c := range res.CustomFields {
		rep.Custom = append(rep.Custom, c.Name)
	}
	for l := planner.MatchNone; l <= planner.MatchPoint; l++ {
		rep.Matches[l.String()] = res.Matches[l]
	}
	for _, pr := range res.Problems {
		rep.Problems = append(rep.Problems, problemJSON{Row: pr.Row, Column: pr.Column, Value: pr.Value, Severity: pr.Severity.String(), Reason: pr.Reason})
	}
	if a.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printImportReport(stdout, rep, a.plan)
	return nil
}

// count writes n and the noun, with an s unless n is 1: "1 row", "3 rows".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// printImportReport prints rep as text: counts, mapping, match levels and
// the first 20 problems.
func printImportReport(w io.Writer, rep importReport, plan string) {
	fmt.Fprintf(w, "%s: %s read, %s imported", rep.File, count(rep.Rows, "row"), count(rep.Accounts, "account"))
	if rep.Skipped > 0 {
		fmt.Fprintf(w, ", %s with errors skipped", count(rep.Skipped, "row"))
	}
	fmt.Fprintln(w)
	var cols []string
	for f := planner.Field(0); f < planner.NumFields; f++ {
		if c, ok := rep.Mapping[f.Key()]; ok {
			cols = append(cols, f.Key()+"="+c)
		}
	}
	fmt.Fprintf(w, "columns: %s\n", strings.Join(cols, ", "))
	if len(rep.Custom) > 0 {
		fmt.Fprintf(w, "kept as custom fields: %s\n", strings.Join(rep.Custom, ", "))
	}
	fmt.Fprintf(w, "located: %d by their own coordinates, %d by postal code, %d by city, %d not located; %d in a unit of the plan\n",
		rep.Matches[planner.MatchPoint.String()], rep.Matches[planner.MatchPostal.String()], rep.Matches[planner.MatchCity.String()], rep.Matches[planner.MatchNone.String()], rep.InUnit)
	removed := "kept"
	if rep.Deleted {
		removed = "deleted"
	}
	fmt.Fprintf(w, "plan: %d added, %d updated, %d unchanged, %d no longer in the file (%s); %s of likely duplicates\n",
		rep.Added, rep.Updated, rep.Unchanged, rep.Removed, removed, count(rep.Duplicates, "group"))
	const most = 20
	for i, d := range rep.DupGroups {
		if i == most {
			fmt.Fprintf(w, "  … and %d more groups (use --json for all)\n", len(rep.DupGroups)-most)
			break
		}
		rows := make([]string, len(d.Rows))
		for k, r := range d.Rows {
			rows[k] = fmt.Sprint(r)
		}
		fmt.Fprintf(w, "  rows %s (%s): %s — %s\n", strings.Join(rows, ", "), d.Reason, d.Name, d.Action)
	}
	if n := len(rep.RemovedIDs); n > 0 && n <= most {
		fmt.Fprintf(w, "  no longer in the file: %s\n", strings.Join(rep.RemovedIDs, ", "))
	}
	if n := len(rep.Problems); n > 0 {
		fmt.Fprintf(w, "%s:\n", count(n, "problem"))
	}
	for i, pr := range rep.Problems {
		if i == most {
			fmt.Fprintf(w, "  … and %d more (use --json for all)\n", len(rep.Problems)-most)
			break
		}
		col := ""
		if pr.Column != "" {
			col = ", column " + pr.Column
		}
		fmt.Fprintf(w, "  %s: row %d%s: %s\n", pr.Severity, pr.Row, col, pr.Reason)
	}
	fmt.Fprintf(w, "wrote %s\n", plan)
}

// columnIndex returns the index of the header named col (an exact match
// first, else the first match ignoring case), or -1.
func columnIndex(header []string, col string) int {
	idx := -1
	for i, h := range header {
		if h == col {
			return i
		}
		if idx < 0 && strings.EqualFold(h, col) {
			idx = i
		}
	}
	return idx
}
