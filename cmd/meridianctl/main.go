// Command meridianctl works on Meridian plan files without a GUI: it builds
// the sample plan, reports territory metrics and exports the Excel workbook.
// It builds with CGO_ENABLED=0.
//
//	meridianctl sample --out FILE.meridian [--force]
//	meridianctl report --plan FILE.meridian [--scenario NAME] [--segment NAME] [--json]
//	meridianctl export --plan FILE.meridian --out FILE.xlsx [--scenario NAME] [--force]
//	meridianctl map --plan FILE.meridian --out FILE.png [--width N] [--force]
//	meridianctl balance --plan FILE.meridian [--territories N] [--metrics population:5,potential:5]
//	    [--lock T1,T2] [--disruption 0.1] [--seed 1] [--by-capacity] [--scenario NAME]
//	    [--into-scenario NAME | --replace] [--json]
//	meridianctl workload --plan FILE.meridian [--rule RULE ...] [--json]
//	meridianctl capacity --plan FILE.meridian [--scenario NAME] [--json]
//	meridianctl quota --plan FILE.meridian [--target N] [--override T=N,...] [--ramp 0,25,50,75] [--write] [--json]
//	meridianctl quota import --plan FILE.meridian --file F.xlsx [--write] [--json]
//	meridianctl reps --plan FILE.meridian [--json]
//	meridianctl reps import --plan FILE.meridian --file F.csv|F.xlsx [--sheet S] [--map field=Column,...] [--skip-bad] [--json]
//	meridianctl reps assign --plan FILE.meridian --territory NAME --reps "Ann Lee=60,TBH=40" [--start 2027-05-01]
//	meridianctl segment --plan FILE.meridian [--name N --rule RULE [--tiers A=20,B=30,C=50] [--delete] ...] [--json]
//	meridianctl coverage --plan FILE.meridian [--scenario NAME] [--json]
//
// See the usage text (meridianctl help) for every flag.
//
// Errors go to standard error and the exit status is 1; a segment rule
// that is refused (nothing written) exits with status 2.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/meridianplan/meridian/app"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/meridianplan/meridian/planner/xlsx"
)

const usage = `usage:
  meridianctl sample --out FILE.meridian [--force]
      build the US Hospitals sample plan into a new plan file
  meridianctl report --plan FILE.meridian [--scenario NAME] [--segment NAME] [--json]
      print each territory's units, accounts, population, potential and deviation; with
      --segment, the segment's accounts and potential per territory, region and tier, the
      white space, and the overlay team's view (the whole segment)
  meridianctl export --plan FILE.meridian --out FILE.xlsx [--scenario NAME] [--force]
      write the plan's Excel workbook
  meridianctl map --plan FILE.meridian --out FILE.png [--width N] [--force]
      write the map of the active scenario as a PNG picture for a meeting:
      title, territories, legend with metrics, scale note, date (N: 400-4000 px, default 2400)
  meridianctl balance --plan FILE.meridian [--territories N] [--metrics population:5,potential:5]
        [--lock T1,T2] [--lock-units CODE,...] [--seeds CODE=Territory,...]
        [--disruption 0.1] [--seed 1] [--by-capacity] [--scenario NAME]
        [--into-scenario NAME | --replace] [--json]
      balance the territories on the metrics (quantity:tolerance%[:weight]; quantities:
      accounts, potential, population, units), keep them contiguous and compact, and print
      the result; it is written only with --into-scenario (a new, active scenario) or
      --replace (the scenario's alignment). N other than today's draws new territories.
  meridianctl workload --plan FILE.meridian [--rule "segment=NAME;visits=N;hours=H[;min-potential=P]" ...]
        [--speed 60] [--circuity 1.3] [--capacity 1600] [--clear] [--scenario NAME] [--json]
      with --rule, set the plan's workload model (visits a year and hours a visit by segment,
      the first matching rule counts; travel = 2 x straight line x circuity / speed from the
      rep's home base); then print each territory's hours and the reps it needs. Balance on it
      with balance --metrics workload:5
  meridianctl capacity --plan FILE.meridian [--scenario NAME] [--json]
      how many reps to hire, and where: each territory's workload hours (the plan's workload
      model, see workload), the reps it needs (hours / a full-time rep's capacity), the reps
      assigned and open positions (TBH), the gap, utilisation and whole reps to hire, with the
      regions and the total, then one line: "hire 5: West 3, South 2"
  meridianctl quota --plan FILE.meridian [--target 50000000] [--weights potential=0.6,history=0.4]
        [--history FIELD] [--overassign 10] [--floor -10] [--ceiling 25] [--rounding 1000]
        [--season 20,25,25,30] [--ramp 0,25,50,75] [--fiscal-year 2027 --start-month 1]
        [--currency USD] [--override "Territory=amount,..."] [--clear-overrides]
        [--scenario NAME] [--write] [--json]
      allocate the company target over the territories by a weighted mix of their potential
      and last year's sales (FIELD: a numeric custom field of the accounts), with a floor and
      a ceiling on change against last year, rounded so that quotas sum exactly to target x
      (1 + over-assignment%); split by quarter with the season (4 quarter or 12 month
      percentages in fiscal order); print each quota and how it was computed, and each rep's
      quota when reps are assigned: their share of each territory's quota, ramped from their
      start by --ramp (percent of full quota in the month of the start, the next month, ...;
      100% after). --override sets quotas by hand (Territory= drops one); the others share the
      rest. Quotas set by hand and stored in the plan are kept unless --clear-overrides.
      Settings not given are the plan's stored ones (history field and ramp included), else:
      rounding 1000, weights potential only (0.6/0.4 with --history), no ramp, fiscal year from
      January of this year. --write stores the quotas, overrides and settings in the plan
  meridianctl quota import --plan FILE.meridian --file F.xlsx [--scenario NAME] [--write] [--json]
      read back the annual quotas of the Territories sheet of an exported workbook that
      finance edited, and print the change report (territory, old, new, difference); a bad
      cell, a cleared quota or a deleted row is refused by sheet, row and column. --write
      stores the changed quotas as set by hand (kept by later quota runs)
  meridianctl import accounts --plan FILE.meridian --file F.csv|F.xlsx [--sheet S]
        [--map field=Column,...] [--country CC] [--skip-bad] [--delete-removed] [--json]
      import accounts: columns guessed from their headers (fields: external_id, name,
      address, city, state, zip, country, latitude, longitude, potential, segment, owner,
      employees, revenue), located by their coordinates or offline by postal code or city,
      merged by external ID (accounts no longer in the file are kept unless --delete-removed);
      addresses without a country are in --country, by default the plan's (RO for Romania's
      counties, US for US counties) or else US;
      other columns are kept as custom fields; prints every problem by row and column
  meridianctl import geography --plan NEW.meridian (--file F.geojson|F.topojson --id PROP
        [--name PROP] [--object NAME] | --layer KEY) [--title "Plan name"] [--level County] [--force]
      start a new plan on a geography layer: a GeoJSON or TopoJSON file (PROP "(feature id)"
      is the feature's own id), or a shipped layer (KEY: us-counties, world-countries,
      canada-provinces, romania-counties); prints what was repaired or skipped
  meridianctl reps --plan FILE.meridian [--json]
      list the rep roster: role, manager, home base, start date, capacity, cost, territories
  meridianctl reps import --plan FILE.meridian --file F.csv|F.xlsx [--sheet S]
        [--map field=Column,...] [--skip-bad] [--json]
      import a rep roster: columns guessed from their headers (Name or First/Last Name, Email,
      Role/Title, Manager/Reports To, Home ZIP/Postal Code, Home Latitude/Longitude, Start Date,
      Capacity (hours), Annual Cost) or mapped with --map (fields: name, first_name, last_name,
      email, role, manager, home_zip, home_latitude, home_longitude, home_city, home_state, start, capacity, cost);
      home bases geocoded offline by postal code, else city (and state), in the plan's country; merged by email, else
      name (IDs kept; reps not in the file are kept); prints every problem by row and column.
      A row that cannot be used (no name or email, an email twice) stops the import and nothing
      is written, unless --skip-bad skips such rows
  meridianctl reps assign --plan FILE.meridian --territory NAME --reps "Ann Lee=60,TBH=40"
        [--start 2027-05-01] [--scenario NAME] [--json]
      set who covers a territory: reps by roster name (or email; case ignored) with shares in
      percent summing to 100, TBH for a vacancy (--start: its planned start); one name alone
      means 100%; --reps "" leaves the territory to nobody
  meridianctl segment --plan FILE.meridian [--json]
      list the plan's segments with their members, potential and tier sizes
  meridianctl segment --plan FILE.meridian --name N [--rule "Beds >= 200 and Type = 'GENERAL ACUTE CARE'"]
        [--tiers "A=20,B=30,C=50" --tier-metric Beds --by quantile|threshold] [--overlay-team T]
        [--overlay-reps "Ann Lee,Bo Chen"] [--delete] [--json]
      add the segment N (--rule is needed for a new one; --rule "" selects every account), or
      change it (name case ignored; flags not given are kept), or delete it, and print its
      members, potential and tier sizes. Rules compare any field, custom fields included (=,
      !=, <, <=, >, >=, in (...), contains, is empty; and, or, not, parentheses); tiers are the
      top share in percent by quantile, or lower thresholds of the metric. A rule, tiers or
      reps that are refused give status 2, and nothing is written
  meridianctl coverage --plan FILE.meridian [--scenario NAME] [--json]
      what nobody covers or two territories claim: unassigned units, accounts in white space
      or in no unit, territories without a rep, accounts claimed twice, named accounts, and
      overlay teams (text lists the first 20 of each; JSON lists all)
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

// run executes one command and returns the exit status: 0 on success, 1 on
// any error (printed to stderr).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case isRefused(err):
		fmt.Fprintf(stderr, "meridianctl: %s\n", message(err))
		return exitRefused
	case errors.Is(err, errUsage):
		fmt.Fprint(stderr, usage)
	default:
		fmt.Fprintf(stderr, "meridianctl: %s\n", message(err))
	}
	return 1
}

// message returns the user-facing text of err.
func message(err error) string {
	if code := planner.ErrorCode(err); code == planner.EINTERNAL || code == planner.EIO {
		return err.Error() // with the system's reason
	}
	return planner.ErrorMessage(err)
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	fs := flag.NewFlagSet("meridianctl "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run prints the error and the usage once
	out := fs.String("out", "", "output file")
	plan := fs.String("plan", "", "plan file (.meridian)")
	scenario := fs.String("scenario", "", "scenario name (default: the plan's active scenario)")
	asJSON := fs.Bool("json", false, "print JSON")
	force := fs.Bool("force", false, "replace an existing output file (sample, export, map)")
	width := fs.Int("width", app.MapPictureWidth, "picture width in pixels (map)")
	var ba balanceArgs
	fs.IntVar(&ba.territories, "territories", 0, "number of territories (balance; default: the scenario's)")
	fs.StringVar(&ba.metrics, "metrics", "population:5", "quantities to balance with tolerance in percent (balance)")
	fs.StringVar(&ba.lock, "lock", "", "territories that keep their units, by name (balance)")
	fs.StringVar(&ba.lockUnits, "lock-units", "", "units that keep their territory, by code (balance)")
	fs.StringVar(&ba.seeds, "seeds", "", "UNIT=Territory pairs: units that must end in that territory, e.g. a rep's home (balance)")
	fs.StringVar(&ba.disruption, "disruption", "", "largest share of units that may move, e.g. 0.1 or 10% (balance)")
	fs.Uint64Var(&ba.seed, "seed", 1, "random seed (balance)")
	fs.StringVar(&ba.into, "into-scenario", "", "write the result as a new scenario with this name (balance)")
	fs.BoolVar(&ba.replace, "replace", false, "write the result into the scenario itself (balance)")
	fs.BoolVar(&ba.byCapacity, "by-capacity", false, "targets in proportion to territory capacity (balance)")
	var ga geoArgs
	fs.StringVar(&ga.file, "file", "", "file to import (import)")
	fs.StringVar(&ga.layer, "layer", "", "shipped geography layer (import geography)")
	fs.StringVar(&ga.object, "object", "", "TopoJSON object with the units (import geography)")
	fs.StringVar(&ga.idProp, "id", "", "property with the unit code (import geography)")
	fs.StringVar(&ga.nameProp, "name", "", "property with the unit name (import geography); the segment's name (segment)")
	fs.StringVar(&ga.title, "title", "", "name of the new plan (import geography)")
	fs.StringVar(&ga.unitLevel, "level", "", "what one unit is, e.g. County (import geography)")
	var wa workloadArgs
	fs.Func("rule", "a visit rule, segment=NAME;visits=N;hours=H[;min-potential=P] (workload; repeat); the segment's rule (segment)", func(v string) error {
		wa.rules = append(wa.rules, v)
		return nil
	})
	fs.Float64Var(&wa.speed, "speed", 0, "average driving speed in km/h (workload; default 60)")
	fs.Float64Var(&wa.circuity, "circuity", 0, "road over straight-line distance (workload; default 1.3)")
	fs.Float64Var(&wa.capacity, "capacity", 0, "a rep's hours a year (workload; default 1600)")
	fs.BoolVar(&wa.clear, "clear", false, "remove the plan's workload model (workload)")
	var qa quotaArgs
	qa.register(fs)
	var aa accountArgs
	fs.StringVar(&aa.sheet, "sheet", "", "sheet of an Excel workbook (import accounts, reps import)")
	fs.StringVar(&aa.mapping, "map", "", "field=Column pairs, comma separated (import accounts, reps import)")
	fs.StringVar(&aa.country, "country", "", "country of addresses without one (import accounts; default: the plan's, else US)")
	fs.BoolVar(&aa.skipBad, "skip-bad", false, "skip rows that cannot be used instead of importing them unlocated (import accounts) or of stopping (reps import)")
	fs.BoolVar(&aa.deleteRemoved, "delete-removed", false, "delete the plan's accounts no longer in the file (import accounts)")
	var sa segmentArgs
	sa.register(fs)
	var ra repsAssignArgs
	fs.StringVar(&ra.territory, "territory", "", "territory name (reps assign)")
	fs.Func("reps", `who covers the territory, "Name=share,..." with TBH for a vacancy; "" for nobody (reps assign)`, func(v string) error {
		ra.reps, ra.repsGiven = v, true
		return nil
	})
	fs.StringVar(&ra.start, "start", "", "planned start of the vacancies (TBH), YYYY-MM-DD (reps assign)")
	cmd := args[0]
	if cmd == "import" {
		if len(args) < 2 || (args[1] != "geography" && args[1] != "accounts") {
			fmt.Fprintf(stderr, "meridianctl: import needs a kind: accounts or geography\n")
			return errUsage
		}
		cmd, args = "import "+args[1], args[1:]
	}
	if cmd == "reps" && len(args) > 1 && (args[1] == "import" || args[1] == "assign") {
		cmd, args = "reps "+args[1], args[1:]
	}
	if cmd == "quota" && len(args) > 1 && args[1] == "import" {
		cmd, args = "quota import", args[1:]
	}
	switch cmd {
	case "-h", "-help", "--help", "help":
		return flag.ErrHelp
	case "sample", "report", "export", "map", "balance", "workload", "capacity", "quota", "import geography", "import accounts", "reps", "reps import", "reps assign", "quota import", "segment", "coverage":
	default:
		fmt.Fprintf(stderr, "meridianctl: unknown command %q\n", args[0])
		return errUsage
	}
	if err := fs.Parse(args[1:]); errors.Is(err, flag.ErrHelp) {
		return err
	} else if err != nil {
		fmt.Fprintf(stderr, "meridianctl: %v\n", err)
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "meridianctl: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	switch cmd {
	case "workload":
		if *plan == "" {
			return fmt.Errorf("workload needs --plan FILE.meridian")
		}
		wa.plan, wa.scenario, wa.asJSON = *plan, *scenario, *asJSON
		fs.Visit(func(f *flag.Flag) {
			wa.setModelFlag = wa.setModelFlag || f.Name == "speed" || f.Name == "circuity" || f.Name == "capacity"
		})
		return cmdWorkload(ctx, wa, stdout)
	case "quota":
		if *plan == "" {
			return fmt.Errorf("quota needs --plan FILE.meridian")
		}
		qa.plan, qa.scenario, qa.asJSON = *plan, *scenario, *asJSON
		return cmdQuota(ctx, qa, stdout)
	case "quota import":
		if *plan == "" || ga.file == "" {
			return fmt.Errorf("quota import needs --plan FILE.meridian and --file F.xlsx")
		}
		return cmdQuotaImport(ctx, *plan, *scenario, ga.file, qa.write, *asJSON, stdout)
	case "import accounts":
		if *plan == "" || ga.file == "" {
			return fmt.Errorf("import accounts needs --plan FILE.meridian and --file F.csv|F.xlsx")
		}
		aa.plan, aa.file, aa.asJSON = *plan, ga.file, *asJSON
		return cmdImportAccounts(ctx, aa, stdout, stderr)
	case "reps":
		if *plan == "" {
			return fmt.Errorf("reps needs --plan FILE.meridian")
		}
		return cmdReps(ctx, *plan, *asJSON, stdout)
	case "reps import":
		if *plan == "" || ga.file == "" {
			return fmt.Errorf("reps import needs --plan FILE.meridian and --file F.csv|F.xlsx")
		}
		return cmdRepsImport(ctx, repsImportArgs{plan: *plan, file: ga.file, sheet: aa.sheet, mapping: aa.mapping, skipBad: aa.skipBad, asJSON: *asJSON}, stdout)
	case "reps assign":
		if *plan == "" {
			return fmt.Errorf("reps assign needs --plan FILE.meridian")
		}
		ra.plan, ra.scenario, ra.asJSON = *plan, *scenario, *asJSON
		return cmdRepsAssign(ctx, ra, stdout)
	case "capacity":
		if *plan == "" {
			return fmt.Errorf("capacity needs --plan FILE.meridian")
		}
		return cmdCapacity(ctx, *plan, *scenario, *asJSON, stdout)
	case "import geography":
		if *plan == "" {
			return fmt.Errorf("import geography needs --plan NEW.meridian")
		}
		ga.plan, ga.force = *plan, *force
		return cmdImportGeography(ctx, ga, stdout)
	case "sample":
		if *out == "" {
			return fmt.Errorf("sample needs --out FILE.meridian")
		}
		return cmdSample(ctx, *out, *force, stdout)
	case "report":
		if *plan == "" {
			return fmt.Errorf("report needs --plan FILE.meridian")
		}
		if sa.segment != "" {
			return cmdSegmentReport(ctx, *plan, *scenario, sa.segment, *asJSON, stdout)
		}
		return cmdReport(ctx, *plan, *scenario, *asJSON, stdout)
	case "segment":
		if *plan == "" {
			return fmt.Errorf("segment needs --plan FILE.meridian")
		}
		sa.plan, sa.name, sa.rules, sa.asJSON = *plan, ga.nameProp, wa.rules, *asJSON
		sa.given = map[string]bool{}
		fs.Visit(func(f *flag.Flag) { sa.given[f.Name] = true })
		return cmdSegment(ctx, sa, stdout)
	case "coverage":
		if *plan == "" {
			return fmt.Errorf("coverage needs --plan FILE.meridian")
		}
		return cmdCoverage(ctx, *plan, *scenario, *asJSON, stdout)
	case "balance":
		if *plan == "" {
			return fmt.Errorf("balance needs --plan FILE.meridian")
		}
		ba.plan, ba.scenario, ba.asJSON = *plan, *scenario, *asJSON
		fs.Visit(func(f *flag.Flag) { ba.intoSet = ba.intoSet || f.Name == "into-scenario" })
		return cmdBalance(ctx, ba, stdout, stderr)
	case "map":
		if *plan == "" || *out == "" {
			return fmt.Errorf("map needs --plan FILE.meridian and --out FILE.png")
		}
		return cmdMap(ctx, *plan, *out, *width, *force, stdout)
	default:
		if *plan == "" || *out == "" {
			return fmt.Errorf("export needs --plan FILE.meridian and --out FILE.xlsx")
		}
		return cmdExport(ctx, *plan, *scenario, *out, *force, stdout)
	}
}

// cmdSample builds the sample plan into a temporary file next to out and
// renames it into place, so that out is never half-written.
func cmdSample(ctx context.Context, out string, force bool, stdout io.Writer) error {
	if err := checkOut(out, force); err != nil {
		return err
	}
	p, err := sample.Build(ctx, nil)
	if err != nil {
		return err
	}
	if err := writeNewPlan(ctx, out, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d units, %d accounts, %d territories\n", out, len(p.Units), len(p.Accounts), len(p.Active().Territories))
	return nil
}

// checkOut checks that an output file can be written: its folder exists, it
// is not a folder, and it does not exist unless force is set.
func checkOut(out string, force bool) error {
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return fmt.Errorf("the folder %s does not exist", filepath.Dir(out))
	}
	fi, err := os.Stat(out)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a folder; give a file name", out)
	case err == nil && !force:
		return fmt.Errorf("%s already exists; use --force to replace it", out)
	}
	return nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return filepath.Clean(a)
	}
	return p
}

// openPlan reads the plan file at path and picks the scenario by name (the
// active one when name is empty). With write, the file is opened for
// writing (an older plan is upgraded) and db is returned open, so that the
// read and the write use one connection: the caller Applies its edits and
// Closes it. Without write, the file is only read and db is nil.
func openPlan(ctx context.Context, path, name string, write bool) (db *sqlite.DB, p *planner.Plan, s *planner.Scenario, err error) {
	if !write {
		p, s, err = load(ctx, path, name)
		return nil, p, s, err
	}
	if db, err = sqlite.OpenExisting(path); err != nil {
		return nil, nil, nil, err
	}
	if p, err = db.Load(ctx); err == nil {
		s, err = pickScenario(p, path, name)
	}
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, p, s, nil
}

// load opens a plan file read-only, reads it and picks the scenario by name (the
// active one when name is empty).
func load(ctx context.Context, path, name string) (*planner.Plan, *planner.Scenario, error) {
	db, err := sqlite.OpenReadOnly(path) // reports and exports change nothing
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	p, err := db.Load(ctx)
	if err != nil {
		return nil, nil, err
	}
	if name == "" {
		return p, p.Active(), nil
	}
	var names []string
	for i := range p.Scenarios {
		if p.Scenarios[i].Name == name {
			return p, &p.Scenarios[i], nil
		}
		names = append(names, p.Scenarios[i].Name)
	}
	return nil, nil, planner.Errorf(planner.ENOTFOUND, "%s has no scenario %q (it has: %s)", path, name, strings.Join(names, ", "))
}

// Report is the JSON shape of `meridianctl report --json`. Population is in
// people, potential in the plan's potential unit (see potential_name),
// deviations in percent from the mean over territories.
type Report struct {
	Plan          string            `json:"plan"`
	Scenario      string            `json:"scenario"`
	PotentialName string            `json:"potential_name"`
	Territories   []ReportTerritory `json:"territories"`
	Unassigned    ReportUnassigned  `json:"unassigned"`
	Totals        ReportTotals      `json:"totals"`
}

// ReportTerritory is one territory's row of Report.
type ReportTerritory struct {
	Name         string       `json:"name"`
	Rep          string       `json:"rep"`
	Units        int          `json:"units"`
	Accounts     int          `json:"accounts"`
	Population   float64      `json:"population"`
	Potential    float64      `json:"potential"`
	DeviationPct ReportDevPct `json:"deviation_pct"`
}

// ReportDevPct holds deviations from the mean, in percent.
type ReportDevPct struct {
	Units      float64 `json:"units"`
	Accounts   float64 `json:"accounts"`
	Population float64 `json:"population"`
	Potential  float64 `json:"potential"`
}

// ReportUnassigned is the white space: units in no territory and the
// accounts in them, plus accounts located in no unit (also counted in
// unlocated_accounts).
type ReportUnassigned struct {
	Units             int     `json:"units"`
	Accounts          int     `json:"accounts"`
	UnlocatedAccounts int     `json:"unlocated_accounts"`
	Population        float64 `json:"population"`
	// UnitsWithoutPopulation counts units with no population estimate (not
	// zero people: no data), left out of population.
	UnitsWithoutPopulation int     `json:"units_without_population"`
	Potential              float64 `json:"potential"`
}

// ReportTotals covers the whole plan.
type ReportTotals struct {
	Territories int     `json:"territories"`
	Units       int     `json:"units"`
	Accounts    int     `json:"accounts"`
	Population  float64 `json:"population"`
	Potential   float64 `json:"potential"`
}

// newReport turns metrics into the report's shape; deviations are rounded to
// 0.01 percentage points.
func newReport(p *planner.Plan, m planner.Metrics) Report {
	r := Report{Plan: p.Name, Scenario: m.ScenarioName, PotentialName: p.PotentialName, Territories: []ReportTerritory{}}
	round := func(v float64) float64 { return float64(int64(v*100+sign(v)*0.5)) / 100 }
	for _, t := range m.Territories {
		r.Territories = append(r.Territories, ReportTerritory{
			Name: t.Territory.Name, Rep: t.RepName, Units: t.Units, Accounts: t.Accounts,
			Population: t.Population, Potential: t.Potential,
			DeviationPct: ReportDevPct{round(t.Deviation.Units), round(t.Deviation.Accounts), round(t.Deviation.Population), round(t.Deviation.Potential)},
		})
	}
	w := m.WhiteSpace
	r.Unassigned = ReportUnassigned{Units: w.Units, Accounts: w.Accounts, UnlocatedAccounts: m.UnlocatedAccounts, Population: w.Population, UnitsWithoutPopulation: w.PopulationMissing, Potential: w.Potential}
	r.Totals = ReportTotals{Territories: len(m.Territories), Units: m.Total.Units, Accounts: m.Total.Accounts, Population: m.Total.Population, Potential: m.Total.Potential}
	return r
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

func cmdReport(ctx context.Context, path, scenario string, asJSON bool, stdout io.Writer) error {
	p, s, err := load(ctx, path, scenario)
	if err != nil {
		return err
	}
	m := planner.ComputeMetrics(p, s)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(newReport(p, m))
	}
	return writeTextReport(stdout, p, m)
}

// writeTextReport prints the metrics as an aligned table.
func writeTextReport(w io.Writer, p *planner.Plan, m planner.Metrics) error {
	potential := p.PotentialName
	if potential == "" {
		potential = "Potential"
	}
	fmt.Fprintf(w, "%s — scenario %s\n\n", p.Name, m.ScenarioName)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// Names are padded so that they read left-aligned in a right-aligned table.
	width := len("White space")
	for _, t := range m.Territories {
		width = max(width, len([]rune(t.Territory.Name)))
	}
	name := func(s string) string { return s + strings.Repeat(" ", width-len([]rune(s))) }
	pop := func(t planner.Totals) string {
		if t.PopulationMissing > 0 && t.PopulationMissing == t.Units {
			return "no data"
		}
		return fmt.Sprintf("%.0f", t.Population)
	}
	fmt.Fprintf(tw, "%s\tRep\tUnits\tDev %%\tAccounts\tDev %%\tPopulation\tDev %%\t%s\tDev %%\t\n", name("Territory"), potential)
	for _, t := range m.Territories {
		rep := t.RepName
		if rep == "" {
			rep = "vacant"
		}
		d := t.Deviation
		fmt.Fprintf(tw, "%s\t%s\t%d\t%+.1f\t%d\t%+.1f\t%s\t%+.1f\t%.0f\t%+.1f\t\n", name(t.Territory.Name), rep, t.Units, d.Units, t.Accounts, d.Accounts, pop(t.Totals), d.Population, t.Potential, d.Potential)
	}
	fmt.Fprintf(tw, "%s\t\t%d\t\t%d\t\t%s\t\t%.0f\t\t\n", name("White space"), m.WhiteSpace.Units, m.WhiteSpace.Accounts, pop(m.WhiteSpace), m.WhiteSpace.Potential)
	fmt.Fprintf(tw, "%s\t\t%d\t\t%d\t\t%s\t\t%.0f\t\t\n", name("Total"), m.Total.Units, m.Total.Accounts, pop(m.Total), m.Total.Potential)
	if err := tw.Flush(); err != nil {
		return err
	}
	if n := m.UnlocatedAccounts; n == 1 {
		fmt.Fprintln(w, "\n1 account is in no unit (counted in the white space).")
	} else if n > 1 {
		fmt.Fprintf(w, "\n%d accounts are in no unit (counted in the white space).\n", n)
	}
	return nil
}

func cmdExport(ctx context.Context, path, scenario, out string, force bool, stdout io.Writer) error {
	if a, b := absPath(path), absPath(out); a == b {
		return fmt.Errorf("--out %s is the plan file itself; choose another name", out)
	}
	if err := checkOut(out, force); err != nil {
		return err
	}
	p, s, err := load(ctx, path, scenario)
	if err != nil {
		return err
	}
	if err := xlsx.WriteFile(out, p, s.ID); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: scenario %s, %d territories, %d accounts\n", out, s.Name, len(s.Territories), len(p.Accounts))
	return nil
}

// cmdMap writes the plan's map picture (see app.WriteMapPNG).
func cmdMap(ctx context.Context, path, out string, width int, force bool, stdout io.Writer) error {
	if absPath(out) == absPath(path) {
		return fmt.Errorf("--out %s is the plan file itself; give another file name", out)
	}
	if !strings.EqualFold(filepath.Ext(out), ".png") {
		return fmt.Errorf("--out %s: the picture is a PNG; give a file name ending in .png", out)
	}
	if err := checkOut(out, force); err != nil {
		return err
	}
	if err := app.WriteMapPNG(ctx, path, out, width, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d px wide)\n", out, width)
	return nil
}
