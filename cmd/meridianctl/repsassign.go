package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// repsAssignArgs are the flags of "reps assign".
type repsAssignArgs struct {
	plan, scenario, territory string
	reps                      string // "Ann Lee=60,TBH=40"; "" clears
	repsGiven                 bool   // --reps was on the command line
	start                     string // the vacancies' planned start, YYYY-MM-DD
	asJSON                    bool
}

// AssignOut is what "meridianctl reps assign --json" prints: the territory
// and who covers it now and before. Shares are percentages (60 = 60%),
// planned_start is YYYY-MM-DD ("" when none; vacancies only).
type AssignOut struct {
	Plan      string          `json:"plan"`
	Scenario  string          `json:"scenario"`
	Territory string          `json:"territory"`
	Reps      []AssignLineOut `json:"reps"`     // [] when nobody covers it
	Summary   string          `json:"summary"`  // e.g. "Ann Lee 60%, TBH from 2027-05-01 40%"
	Previous  string          `json:"previous"` // the same before the change
}

// AssignLineOut is one line of AssignOut.Reps.
type AssignLineOut struct {
	RepID        int64   `json:"rep_id"` // 0 for a vacancy (TBH)
	Name         string  `json:"name"`   // the rep's name, or "TBH"
	Share        float64 `json:"share"`
	PlannedStart string  `json:"planned_start"`
}

// findTerritory returns the territory of s named name: exactly, else with
// case ignored when that names one territory. The error lists the names.
func findTerritory(s *planner.Scenario, name string) (*planner.Territory, error) {
	var fold []*planner.Territory
	var names []string
	for i := range s.Territories {
		t := &s.Territories[i]
		if t.Name == name {
			return t, nil
		}
		if strings.EqualFold(t.Name, name) {
			fold = append(fold, t)
		}
		names = append(names, t.Name)
	}
	if len(fold) == 1 {
		return fold[0], nil
	}
	return nil, fmt.Errorf("scenario %q has no territory %q (it has: %s)", s.Name, name, listSome(names, 12))
}

// findRep returns the rep of p named (or with the email) who: the exact
// name, else the name or email with case and repeated spaces ignored. Two
// reps with that name are an error asking for the email.
func findRep(p *planner.Plan, who string) (*planner.Rep, error) {
	var exact, fold []*planner.Rep
	key := strings.ToLower(strings.Join(strings.Fields(who), " "))
	for i := range p.Reps {
		r := &p.Reps[i]
		switch {
		case r.Name == who:
			exact = append(exact, r)
		case strings.ToLower(strings.Join(strings.Fields(r.Name), " ")) == key || (r.Email != "" && strings.EqualFold(strings.TrimSpace(r.Email), key)):
			fold = append(fold, r)
		}
	}
	if len(exact) == 0 {
		exact = fold
	}
	switch len(exact) {
	case 1:
		return exact[0], nil
	case 0:
		if len(p.Reps) == 0 {
			return nil, fmt.Errorf("--reps: the plan has no rep %q: its roster is empty (import one with meridianctl reps import)", who)
		}
		names := make([]string, len(p.Reps))
		for i, r := range p.Reps {
			names[i] = r.Name
		}
		return nil, fmt.Errorf("--reps: the plan has no rep %q (it has: %s; see meridianctl reps)", who, listSome(names, 12))
	}
	return nil, fmt.Errorf("--reps: %d reps are named %q; name the one you mean by email", len(exact), who)
}

// parseAssignments reads --reps "Ann Lee=60,TBH=40": reps by name (see
// findRep) or "TBH" for a vacancy, each with a share in percent ("60" or
// "60%"), the shares summing to 100; a single rep may be named without a
// share (100%). start is given to the vacancies (--start). "" means
// nobody.
func parseAssignments(p *planner.Plan, spec string, start time.Time) ([]planner.Assignment, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	var parts []string
	if !strings.Contains(spec, "=") {
		parts = []string{spec + "=100"} // one rep, whole territory
	} else {
		parts = strings.Split(spec, ",")
	}
	var out []planner.Assignment
	sum := 0.0
	vacancies := 0
	for _, part := range parts {
		who, v, ok := strings.Cut(part, "=")
		who = strings.TrimSpace(who)
		if !ok || who == "" {
			return nil, fmt.Errorf("--reps %q: write Name=share,... with shares in percent summing to 100, e.g. \"Ann Lee=60,TBH=40\"", spec)
		}
		share, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), "%"), 64)
		if err != nil || !(share > 0) || share > 100 {
			return nil, fmt.Errorf("--reps %q: the share of %s must be a percentage more than 0 and at most 100, not %q", spec, who, strings.TrimSpace(v))
		}
		a := planner.Assignment{Share: share}
		if strings.EqualFold(who, "TBH") {
			a.PlannedStart = start
			vacancies++
		} else {
			r, err := findRep(p, who)
			if err != nil {
				return nil, err
			}
			for _, b := range out {
				if b.RepID == r.ID {
					return nil, fmt.Errorf("--reps %q names %s twice; give each rep one share", spec, r.Name)
				}
			}
			a.RepID = r.ID
		}
		out = append(out, a)
		sum += share
	}
	if math.Abs(sum-100) > 1e-6 {
		return nil, fmt.Errorf("--reps %q: the shares add up to %g%%, not 100%%", spec, math.Round(sum*1e4)/1e4)
	}
	if !start.IsZero() && vacancies == 0 {
		return nil, fmt.Errorf("--start is the planned start of a vacancy: add TBH=share to --reps, or leave --start out (a rep's start date is on the roster)")
	}
	return out, nil
}

// cmdRepsAssign sets who covers one territory of a scenario
// (sqlite.SetTerritoryRepsEdit, one transaction) and prints the change.
func cmdRepsAssign(ctx context.Context, a repsAssignArgs, stdout io.Writer) error {
	if a.territory == "" || !a.repsGiven {
		return fmt.Errorf("reps assign needs --territory NAME and --reps \"Name=share,...\" (--reps \"\" clears the territory)")
	}
	var start time.Time
	if a.start != "" {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(a.start))
		if err != nil {
			return fmt.Errorf("--start must be a date written YYYY-MM-DD, such as 2027-05-01, not %q", a.start)
		}
		start = t
	}
	db, p, s, err := openPlan(ctx, a.plan, a.scenario, true)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := findTerritory(s, a.territory)
	if err != nil {
		return err
	}
	reps, err := parseAssignments(p, a.reps, start)
	if err != nil {
		return err
	}
	before := p.RepNames(t)
	if err := db.Apply(ctx, sqlite.SetTerritoryRepsEdit(t.ID, reps)); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	after := *t
	after.Reps = reps
	out := AssignOut{Plan: p.Name, Scenario: s.Name, Territory: t.Name, Reps: []AssignLineOut{}, Summary: p.RepNames(&after), Previous: before}
	for _, r := range reps {
		l := AssignLineOut{RepID: r.RepID, Name: "TBH", Share: r.Share}
		if rp := p.Rep(r.RepID); rp != nil {
			l.Name = rp.Name
		}
		if !r.PlannedStart.IsZero() {
			l.PlannedStart = r.PlannedStart.Format(time.DateOnly)
		}
		out.Reps = append(out.Reps, l)
	}
	if a.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(stdout, "%s: %s (was: %s)\nwrote %s\n", out.Territory, orS(out.Summary, "nobody"), orS(out.Previous, "nobody"), a.plan)
	return nil
}

// listSome joins the first n names with commas, and says how many more
// there are: a roster of thousands must not flood an error message.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
