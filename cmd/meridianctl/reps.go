package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

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
// JSON).
type RepsImportOut struct {
	File        string            `json:"file"`
	Rows        int               `json:"rows"`
	Reps        int               `json:"reps"`
	Skipped     int               `json:"skipped_rows"`
	Mapping     map[string]string `json:"mapping"`
	HomeByPoint int               `json:"home_by_coordinates"`
	HomeByZIP   int               `json:"home_by_postal_code"`
	Added       int               `json:"added"`
	Updated     int               `json:"updated"`
	Unchanged   int               `json:"unchanged"`
	Kept        int               `json:"kept_not_in_file"`
	Problems    []problemJSON     `json:"problems"`
}

// cmdRepsImport imports a roster file into a plan: columns guessed from
// their headers, home bases from coordinates or geocoded offline by postal
// code in the plan's default country, merged by email (else name) with the
// plan's reps, and written in one transaction.
func cmdRepsImport(ctx context.Context, plan, file string, asJSON bool, stdout io.Writer) error {
	db, err := sqlite.OpenExisting(plan)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.Load(ctx)
	if err != nil {
		return err
	}
	r, err := openTable(file, "")
	if err != nil {
		return err
	}
	defer r.Close()
	gc, err := geocode.New(p.DefaultCountry())
	if err != nil {
		return err
	}
	m := planner.GuessRosterMapping(r.Header())
	res, err := planner.ImportRoster(ctx, r, planner.RosterOptions{Mapping: m, Geocoder: gc})
	if err != nil {
		if planner.ErrorCode(err) == planner.EINVALID && !strings.Contains(planner.ErrorMessage(err), r.Source()) {
			return fmt.Errorf("%s: %s. Its columns are: %s", r.Source(), strings.TrimSuffix(planner.ErrorMessage(err), "."), strings.Join(r.Header(), ", "))
		}
		return err
	}
	merged, mr, err := p.WithRoster(res)
	if err != nil {
		return err
	}
	if err := db.Replace(ctx, merged); err != nil {
		return err
	}
	out := RepsImportOut{File: res.Source, Rows: res.Rows, Reps: len(res.Reps), Skipped: res.Skipped, Mapping: map[string]string{},
		HomeByPoint: res.HomeByPoint, HomeByZIP: res.HomeByZIP,
		Added: mr.Added, Updated: mr.Updated, Unchanged: mr.Unchanged, Kept: mr.Kept, Problems: []problemJSON{}}
	for f := planner.RosterField(0); f < planner.NumRosterFields; f++ {
		if c := m[f]; c >= 0 && c < len(r.Header()) {
			out.Mapping[f.String()] = r.Header()[c]
		}
	}
	for _, pr := range res.Problems {
		out.Problems = append(out.Problems, problemJSON{Row: pr.Row, Column: pr.Column, Value: pr.Value, Severity: pr.Severity.String(), Reason: pr.Reason})
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(stdout, "%s: %s read, %s imported", out.File, count(out.Rows, "row"), count(out.Reps, "rep"))
	if out.Skipped > 0 {
		fmt.Fprintf(stdout, ", %s skipped", count(out.Skipped, "row"))
	}
	fmt.Fprintln(stdout)
	var cols []string
	for f := planner.RosterField(0); f < planner.NumRosterFields; f++ {
		if c, ok := out.Mapping[f.String()]; ok {
			cols = append(cols, f.String()+"="+c)
		}
	}
	fmt.Fprintf(stdout, "columns: %s\n", strings.Join(cols, ", "))
	fmt.Fprintf(stdout, "home bases: %d by their own coordinates, %d by postal code\n", out.HomeByPoint, out.HomeByZIP)
	fmt.Fprintf(stdout, "roster: %d added, %d updated, %d unchanged, %d not in the file (kept)\n", out.Added, out.Updated, out.Unchanged, out.Kept)
	if n := len(out.Problems); n > 0 {
		fmt.Fprintf(stdout, "%s:\n", count(n, "problem"))
	}
	for _, pr := range out.Problems {
		col := ""
		if pr.Column != "" {
			col = ", column " + pr.Column
		}
		fmt.Fprintf(stdout, "  %s: row %d%s: %s\n", pr.Severity, pr.Row, col, pr.Reason)
	}
	fmt.Fprintf(stdout, "wrote %s\n", plan)
	return nil
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
				if t.RepID == r.ID {
					o.Territories = append(o.Territories, t.Name)
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
