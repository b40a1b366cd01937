package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/geocode"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// RepOut is one rep of the roster as `meridianctl reps --json` prints it.
// Home base in WGS84 degrees (null when none), start date as YYYY-MM-DD
// ("" when unknown), capacity in hours a year (0: the plan's default, shown
// in capacity_used), annual cost in the plan's currency, and the names of
// the territories the rep covers in the active scenario.
type RepOut struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	Email         string   `json:"email"`
	Role          string   `json:"role"`
	Manager       string   `json:"manager"`
	HomeZIP       string   `json:"home_zip"`
	HomeLon       *float64 `json:"home_lon"`
	HomeLat       *float64 `json:"home_lat"`
	Start         string   `json:"start"`
	CapacityHours float64  `json:"capacity_hours"`
	CapacityUsed  float64  `json:"capacity_used"`
	AnnualCost    float64  `json:"annual_cost"`
	Territories   []string `json:"territories"` // in the active scenario
}

// RepsImportOut is what `meridianctl reps import` prints (--json: this as
// JSON). Mapping maps a roster field's label to the column that filled it;
// SkippedRows lists the file rows that were not imported (with --skip-bad)
// or that stopped the import (without it, Written is false).
type RepsImportOut struct {
	File        string            `json:"file"`
	Rows        int               `json:"rows"`
	Reps        int               `json:"reps"`
	Skipped     int               `json:"skipped_rows"`
	SkippedRows []int             `json:"skipped_row_numbers"`
	Mapping     map[string]string `json:"mapping"`
	// Unused lists the file's columns that fill no roster field (a roster
	// keeps no custom fields): map one with --map if it was meant.
	Unused      []string      `json:"unused_columns"`
	HomeByPoint int           `json:"home_by_coordinates"`
	HomeByZIP   int           `json:"home_by_postal_code"`
	HomeByCity  int           `json:"home_by_city"`
	Added       int           `json:"added"`
	Updated     int           `json:"updated"`
	Unchanged   int           `json:"unchanged"`
	Kept        int           `json:"kept_not_in_file"`
	Problems    []problemJSON `json:"problems"`
	Written     bool          `json:"written"`
}

// repsImportArgs are the flags of "reps import".
type repsImportArgs struct {
	plan, file, sheet, mapping string
	skipBad, asJSON            bool
}

// rosterKeys are the --map keys of the roster fields, by planner.RosterField.
var rosterKeys = [planner.NumRosterFields]string{
	planner.RosterName: "name", planner.RosterFirstName: "first_name", planner.RosterLastName: "last_name",
	planner.RosterEmail: "email", planner.RosterRole: "role", planner.RosterManager: "manager",
	planner.RosterHomeZIP: "home_zip", planner.RosterHomeLatitude: "home_latitude", planner.RosterHomeLongitude: "home_longitude",
	planner.RosterStart: "start", planner.RosterCapacity: "capacity", planner.RosterCost: "cost",
	planner.RosterHomeCity: "home_city", planner.RosterHomeState: "home_state",
}

// normKey lower-cases s and keeps only its letters and digits, so that
// "Home ZIP", "home_zip" and "home-zip" are one key.
func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// parseRosterMapping applies --map field=Column,... to m: each field by its
// key (rosterKeys) or label (planner.RosterField.String), case and
// punctuation ignored; each column by its header name (exact, else case
// ignored); "field=" unmaps a field.
func parseRosterMapping(m *planner.RosterMapping, spec string, header []string) error {
	if strings.TrimSpace(spec) == "" {
		return nil
	}
	for _, part := range strings.Split(spec, ",") {
		k, col, ok := strings.Cut(part, "=")
		f := planner.NumRosterFields
		for g := planner.RosterField(0); g < planner.NumRosterFields; g++ {
			if n := normKey(k); n != "" && (n == normKey(rosterKeys[g]) || n == normKey(g.String())) {
				f = g
			}
		}
		if !ok || f == planner.NumRosterFields {
			return fmt.Errorf("--map %q: write field=Column with a field among %s", part, strings.Join(rosterKeys[:], ", "))
		}
		col = strings.TrimSpace(col)
		if col == "" {
			m[f] = -1
			continue
		}
		idx := columnIndex(header, col)
		if idx < 0 {
			return fmt.Errorf("--map %s=%s: the file has no column %q; it has: %s", rosterKeys[f], col, col, strings.Join(header, ", "))
		}
		// A column fills one field: the one named here.
		for g := range m {
			if m[g] == idx {
				m[g] = -1
			}
		}
		m[f] = idx
	}
	return nil
}

// cmdRepsImport imports a roster file into a plan: columns guessed from
// their headers (changed with --map), home bases from coordinates or
// geocoded offline by postal code in the plan's default country, merged by
// email (else name) with the plan's reps, and written in one transaction.
// A row that cannot be used (no name and no email, or an email already on
// an earlier row) stops the import with nothing written, unless --skip-bad
// skips it; values that cannot be read are warnings and never stop it.
func cmdRepsImport(ctx context.Context, a repsImportArgs, stdout io.Writer) error {
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
	gc, err := geocode.New(p.DefaultCountry())
	if err != nil {
		return err
	}
	m := planner.GuessRosterMapping(r.Header())
	if err := parseRosterMapping(&m, a.mapping, r.Header()); err != nil {
		return err
	}
	res, err := planner.ImportRoster(ctx, r, planner.RosterOptions{Mapping: m, Geocoder: gc})
	if err != nil {
		if planner.ErrorCode(err) == planner.EINVALID && !strings.Contains(planner.ErrorMessage(err), r.Source()) {
			return fmt.Errorf("%s: %s. Its columns are: %s; map them with --map field=Column", r.Source(), strings.TrimSuffix(planner.ErrorMessage(err), "."), strings.Join(r.Header(), ", "))
		}
		return err
	}
	out := RepsImportOut{File: res.Source, Rows: res.Rows, Reps: len(res.Reps), Skipped: res.Skipped, SkippedRows: []int{}, Mapping: map[string]string{},
		HomeByPoint: res.HomeByPoint, HomeByZIP: res.HomeByZIP, HomeByCity: res.HomeByCity, Problems: []problemJSON{}}
	for f := planner.RosterField(0); f < planner.NumRosterFields; f++ {
		if c := m[f]; c >= 0 && c < len(r.Header()) {
			out.Mapping[f.String()] = r.Header()[c]
		}
	}
	out.Unused = m.Unused(r.Header())
	var bad []string
	for _, pr := range res.Problems {
		out.Problems = append(out.Problems, problemJSON{Row: pr.Row, Column: pr.Column, Value: pr.Value, Severity: pr.Severity.String(), Reason: pr.Reason})
		if pr.Severity == planner.SeverityError {
			if n := len(out.SkippedRows); n == 0 || out.SkippedRows[n-1] != pr.Row {
				out.SkippedRows = append(out.SkippedRows, pr.Row)
			}
			// The importer's "; the row is skipped" holds only with --skip-bad.
			bad = append(bad, fmt.Sprintf("  row %d%s: %s", pr.Row, columnText(pr.Column), strings.TrimSuffix(pr.Reason, "; the row is skipped")))
		}
	}
	if len(out.SkippedRows) > 0 && !a.skipBad {
		if a.asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				return err
			}
		}
		return fmt.Errorf("%s: %s cannot be imported, so nothing was written (add --skip-bad to import the other rows):\n%s",
			res.Source, count(len(out.SkippedRows), "row"), strings.Join(bad, "\n"))
	}
	merged, mr, err := p.WithRoster(res)
	if err != nil {
		return err
	}
	if err := db.Replace(ctx, merged); err != nil {
		return err
	}
	out.Added, out.Updated, out.Unchanged, out.Kept, out.Written = mr.Added, mr.Updated, mr.Unchanged, mr.Kept, true
	if a.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(stdout, "%s: %s read, %s imported", out.File, count(out.Rows, "row"), count(out.Reps, "rep"))
	if len(out.SkippedRows) > 0 {
		rows := make([]string, len(out.SkippedRows))
		for i, n := range out.SkippedRows {
			rows[i] = fmt.Sprint(n)
		}
		fmt.Fprintf(stdout, ", %s skipped (%s)", count(len(out.SkippedRows), "row"), strings.Join(rows, ", "))
	}
	fmt.Fprintln(stdout)
	var cols []string
	for f := planner.RosterField(0); f < planner.NumRosterFields; f++ {
		if c, ok := out.Mapping[f.String()]; ok {
			cols = append(cols, f.String()+"="+c)
		}
	}
	fmt.Fprintf(stdout, "columns: %s\n", strings.Join(cols, ", "))
	if len(out.Unused) > 0 {
		fmt.Fprintf(stdout, "not used: %s (map one with --map field=Column if it was meant)\n", strings.Join(out.Unused, ", "))
	}
	fmt.Fprintf(stdout, "home bases: %d by their own coordinates, %d by postal code, %d by city\n", out.HomeByPoint, out.HomeByZIP, out.HomeByCity)
	fmt.Fprintf(stdout, "roster: %d added, %d updated, %d unchanged, %d not in the file (kept)\n", out.Added, out.Updated, out.Unchanged, out.Kept)
	if n := len(out.Problems); n > 0 {
		fmt.Fprintf(stdout, "%s:\n", count(n, "problem"))
	}
	for _, pr := range out.Problems {
		fmt.Fprintf(stdout, "  %s: row %d%s: %s\n", pr.Severity, pr.Row, columnText(pr.Column), pr.Reason)
	}
	fmt.Fprintf(stdout, "wrote %s\n", a.plan)
	return nil
}

// columnText returns ", column NAME", or "" when the column is unknown.
func columnText(col string) string {
	if col == "" {
		return ""
	}
	return ", column " + col
}

// cmdReps prints the plan's rep roster: one line per rep with the
// territories it covers in the active scenario (--json: []RepOut).
func cmdReps(ctx context.Context, plan string, asJSON bool, stdout io.Writer) error {
	p, s, err := load(ctx, plan, "")
	if err != nil {
		return err
	}
	def := planner.DefaultCapacityHours
	if p.Workload != nil && p.Workload.DefaultCapacityHours > 0 {
		def = p.Workload.DefaultCapacityHours
	}
	reps := make([]RepOut, 0, len(p.Reps))
	for _, r := range p.Reps {
		o := RepOut{ID: r.ID, Name: r.Name, Email: r.Email, Role: r.Role, Manager: r.Manager, HomeZIP: r.HomeZIP,
			CapacityHours: r.CapacityHours, CapacityUsed: r.Capacity(def), AnnualCost: r.AnnualCost, Territories: []string{}}
		if r.HasHome {
			lon, lat := r.HomeBase.Lon(), r.HomeBase.Lat()
			o.HomeLon, o.HomeLat = &lon, &lat
		}
		if !r.Start.IsZero() {
			o.Start = r.Start.Format(time.DateOnly)
		}
		if s != nil {
			for _, t := range s.Territories {
				if sh := t.Covers(r.ID); sh == 100 {
					o.Territories = append(o.Territories, t.Name)
				} else if sh > 0 {
					o.Territories = append(o.Territories, fmt.Sprintf("%s %g%%", t.Name, sh))
				}
			}
		}
		reps = append(reps, o)
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(reps)
	}
	if len(reps) == 0 {
		fmt.Fprintf(stdout, "%s has no reps yet; import a roster with meridianctl reps import --plan %s --file F.csv\n", plan, plan)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tName\tEmail\tRole\tManager\tHome ZIP\tHome (lon, lat)\tStart\tCapacity (h/yr)\tAnnual cost\tTerritories")
	for _, o := range reps {
		home := "-"
		if o.HomeLon != nil {
			home = fmt.Sprintf("%.4f, %.4f", *o.HomeLon, *o.HomeLat)
		}
		capa := fmt.Sprintf("%.0f", o.CapacityUsed)
		if o.CapacityHours == 0 {
			capa += " (default)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\n", o.ID, o.Name, o.Email, o.Role, o.Manager, o.HomeZIP, home,
			o.Start, capa, o.AnnualCost, strings.Join(o.Territories, ", "))
	}
	return tw.Flush()
}
