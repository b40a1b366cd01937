package planner_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
	"github.com/paulmach/orb"
)

// rosterCSV is a roster of 4 reps: one with its own home coordinates, one
// with a ZIP code only (and a US-style date), one with a bad capacity, and
// one with an email but no name.
const rosterCSV = `Full Name,E-mail,Title,Reports To,Home ZIP,Home Latitude,Home Longitude,Start Date,Capacity (hours),Annual Cost (USD)
Dana Whitfield,dana@example.com,Account Executive,Mia Chen,36067,32.4609,-86.4806,2024-02-29,1450,"$182,500"
Luis Ortega,luis@example.com,Sales Rep,Mia Chen,2134,,,03/15/2023,"1,600",95000
Ana Pop,ana@example.com,Sales Rep,Dana Whitfield,,,,,lots,90000
,sam@example.com,Intern,,,,,,,
`

// rosterGeocoder knows ZIP 02134 (also written 2134, with a warning).
type rosterGeocoder struct{ calls int }

func (g *rosterGeocoder) Geocode(a planner.Address) planner.Geocoded {
	g.calls++
	switch a.ZIP {
	case "02134":
		return planner.Geocoded{Location: orb.Point{-71.13, 42.35}, Level: planner.MatchPostal, ZIP: "02134"}
	case "2134":
		return planner.Geocoded{Location: orb.Point{-71.13, 42.35}, Level: planner.MatchPostal, ZIP: "02134",
			Warning: "ZIP 2134 lost its leading zero; read as 02134"}
	}
	if a.City == "Portland" && a.State == "OR" {
		return planner.Geocoded{Location: orb.Point{-122.68, 45.52}, Level: planner.MatchCity}
	}
	return planner.Geocoded{}
}

func readRoster(t *testing.T, name, src string, gc planner.Geocoder) *planner.RosterResult {
	t.Helper()
	r, err := csvfile.NewReader(name, strings.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, err := planner.ImportRoster(context.Background(), r, planner.RosterOptions{Mapping: planner.GuessRosterMapping(r.Header()), Geocoder: gc})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func rosterBase() *planner.Plan {
	return &planner.Plan{Name: "Roster test", Scenarios: []planner.Scenario{{ID: 1, Name: "Base", Alignment: map[string]int64{}}},
		Reps: []planner.Rep{{ID: 5, Name: "Old Timer", Email: "old@example.com"}}}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestGuessRosterMapping(t *testing.T) {
	m := planner.GuessRosterMapping(strings.Split("Rep,Email Address,Role,Manager,Postal Code,Hire Date,Capacity (hours/yr),Cost,Notes", ","))
	want := planner.NoRosterMapping()
	want[planner.RosterName], want[planner.RosterEmail], want[planner.RosterRole], want[planner.RosterManager] = 0, 1, 2, 3
	want[planner.RosterHomeZIP], want[planner.RosterStart], want[planner.RosterCapacity], want[planner.RosterCost] = 4, 5, 6, 7
	if m != want {
		t.Errorf("mapping %v, want %v", m, want)
	}
	// First and last name; half a location is none.
	m = planner.GuessRosterMapping([]string{"First Name", "Last Name", "Latitude"})
	if m[planner.RosterFirstName] != 0 || m[planner.RosterLastName] != 1 || m[planner.RosterHomeLatitude] != -1 || m.Check(3) != nil {
		t.Errorf("mapping %v, check %v", m, m.Check(3))
	}
	if err := planner.GuessRosterMapping([]string{"Territory", "Quota"}).Check(2); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("no name or email column: %v", err)
	}
}

func TestImportRoster(t *testing.T) {
	gc := &rosterGeocoder{}
	res := readRoster(t, "roster.csv", rosterCSV, gc)
	if res.Rows != 4 || len(res.Reps) != 4 || res.Skipped != 0 || res.HomeByPoint != 1 || res.HomeByZIP != 1 {
		t.Fatalf("rows %d, reps %d, skipped %d, homes %d+%d", res.Rows, len(res.Reps), res.Skipped, res.HomeByPoint, res.HomeByZIP)
	}
	want := []planner.Rep{
		{Name: "Dana Whitfield", Email: "dana@example.com", Role: "Account Executive", Manager: "Mia Chen",
			HomeBase: orb.Point{-86.4806, 32.4609}, HasHome: true, HomeZIP: "36067", Start: date(2024, 2, 29), CapacityHours: 1450, AnnualCost: 182500},
		{Name: "Luis Ortega", Email: "luis@example.com", Role: "Sales Rep", Manager: "Mia Chen",
			HomeBase: orb.Point{-71.13, 42.35}, HasHome: true, HomeZIP: "02134", Start: date(2023, 3, 15), CapacityHours: 1600, AnnualCost: 95000},
		{Name: "Ana Pop", Email: "ana@example.com", Role: "Sales Rep", Manager: "Dana Whitfield", AnnualCost: 90000},
		{Name: "sam@example.com", Email: "sam@example.com", Role: "Intern"},
	}
	if !reflect.DeepEqual(res.Reps, want) {
		t.Errorf("reps:\n got %+v\nwant %+v", res.Reps, want)
	}
	if gc.calls != 1 {
		t.Errorf("geocoder called %d times, want 1 (only the rep without coordinates)", gc.calls)
	}
	if !reflect.DeepEqual(res.RepRows, []int{2, 3, 4, 5}) {
		t.Errorf("rows %v", res.RepRows)
	}
	if res.Set[2][planner.RosterCapacity] || !res.Set[2][planner.RosterCost] || !res.Set[1][planner.RosterCapacity] {
		t.Errorf("set flags of row 4: %v", res.Set[2])
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.String())
	}
	wantProbs := []string{
		"Row 3, column Home ZIP: ZIP 2134 lost its leading zero; read as 02134",
		"Row 4, column Capacity (hours): 'lots' is not a number; the rep gets the plan's default capacity",
		"Row 5, column Full Name: the rep has no name; named after the email 'sam@example.com'",
	}
	if !reflect.DeepEqual(got, wantProbs) {
		t.Errorf("problems:\n got %q\nwant %q", got, wantProbs)
	}
	if p := res.Problems[1]; p.Row != 4 || p.Column != "Capacity (hours)" || p.Value != "lots" || p.Severity != planner.SeverityWarning {
		t.Errorf("capacity problem %+v", p)
	}
}

// Re-importing by email (case ignored) updates the reps, keeps their IDs,
// leaves fields the file does not have alone, keeps a value that has a
// problem, and numbers new reps after the plan's largest ID.
func TestWithRosterReimport(t *testing.T) {
	p, mr, err := rosterBase().WithRoster(readRoster(t, "roster.csv", rosterCSV, &rosterGeocoder{}))
	if err != nil {
		t.Fatal(err)
	}
	if mr != (planner.RosterMerge{Added: 4, Kept: 1}) {
		t.Errorf("first merge %+v", mr)
	}
	var ids []int64
	for _, r := range p.Reps {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []int64{5, 6, 7, 8, 9}) {
		t.Fatalf("IDs %v", ids)
	}
	second := "Email,Name,Capacity,Start\n" +
		"DANA@EXAMPLE.COM ,Dana Whitfield-Ross,1500,\n" + // new name and capacity; start date cleared
		"luis@example.com,Luis Ortega,many,2023-03-15\n" + // bad capacity: the old one stays
		"new@example.com,Nia Brooks,1200,15.04.2025\n" // new rep; a day-first date
	q, mr, err := p.WithRoster(readRoster(t, "roster2.csv", second, nil))
	if err != nil {
		t.Fatal(err)
	}
	if mr != (planner.RosterMerge{Added: 1, Updated: 1, Unchanged: 1, Kept: 3}) {
		t.Errorf("second merge %+v", mr)
	}
	dana := q.Rep(6)
	if dana == nil || dana.Name != "Dana Whitfield-Ross" || dana.Email != "DANA@EXAMPLE.COM" || dana.CapacityHours != 1500 ||
		!dana.Start.IsZero() || dana.Role != "Account Executive" || !dana.HasHome || dana.AnnualCost != 182500 {
		t.Errorf("Dana after re-import: %+v", dana)
	}
	if luis := q.Rep(7); luis == nil || luis.CapacityHours != 1600 || !luis.Start.Equal(date(2023, 3, 15)) {
		t.Errorf("Luis after re-import: %+v", luis)
	}
	if nia := q.Rep(10); nia == nil || nia.Name != "Nia Brooks" || nia.CapacityHours != 1200 || !nia.Start.Equal(date(2025, 4, 15)) {
		t.Errorf("new rep: %+v", nia)
	}
	if len(p.Reps) != 5 || p.Rep(6).Name != "Dana Whitfield" {
		t.Errorf("WithRoster changed the original plan: %+v", p.Reps)
	}
	// By name when the row has no email.
	r, _, err := q.WithRoster(readRoster(t, "r3.csv", "Name,Role\nold  timer,Manager\n", nil))
	if err != nil || r.Rep(5).Role != "Manager" || len(r.Reps) != 6 {
		t.Errorf("match by name: %v %+v", err, r.Rep(5))
	}
}

// Rows without name or email and repeated emails are skipped as errors;
// dates and numbers in other forms are read.
func TestImportRosterProblems(t *testing.T) {
	src := "Name,Email,Start,Latitude,Longitude,Annual Cost,Capacity\n" +
		",,2024-01-01,,,,\n" +
		"A,a@x.com,01/02/2024,95,10,-5,9000\n" +
		"B,A@X.COM,,,,,\n" +
		"C,c@x.com,next week,40,-100,,\n" +
		"D,d@x.com,45352,,,,\n"
	res := readRoster(t, "p.csv", src, nil)
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.Severity.String()+" "+p.String())
	}
	want := []string{
		"error Row 2, column Name: the rep has no name and no email; the row is skipped",
		"warning Row 3, column Latitude: latitude '95' is not between -90 and 90 degrees",
		"warning Row 3, column Start: '01/02/2024' could be read two ways; the column's dates are read as month/day/year (2 January 2024)",
		"warning Row 3, column Capacity: capacity '9000' is not a number of hours a year from 0 to 8784; the rep gets the plan's default capacity",
		"warning Row 3, column Annual Cost: annual cost '-5' is negative; it is left out",
		"error Row 4, column Email: the email 'A@X.COM' is also on row 3; the row is skipped",
		"warning Row 5, column Start: 'next week' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-01",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
	if res.Skipped != 2 || len(res.Reps) != 3 {
		t.Fatalf("skipped %d, reps %d", res.Skipped, len(res.Reps))
	}
	if c := res.Reps[1]; !c.HasHome || c.HomeBase != (orb.Point{-100, 40}) {
		t.Errorf("C: %+v", c)
	}
	// 45352 is the Excel serial date of 2024-03-01.
	if d := res.Reps[2]; !d.Start.Equal(date(2024, 3, 1)) {
		t.Errorf("D start %v", d.Start)
	}
}

// The Maven CRM sales team file names its reps "sales_agent".
func TestGuessRosterMappingSalesAgent(t *testing.T) {
	m := planner.GuessRosterMapping([]string{"sales_agent", "manager", "regional_office"})
	if m[planner.RosterName] != 0 || m[planner.RosterManager] != 1 {
		t.Errorf("mapping %v", m)
	}
}

// Capacities written with their unit are read; one that looks like 1,600
// written with a European separator ("1.600" in a file with a decimal
// point) is kept but warned about.
func TestRosterCapacityUnitsAndDoubt(t *testing.T) {
	const roster = "Name,Email,Capacity\nAnn,a@x.com,\"1,600 h\"\nBo,b@x.com,1200 hours\nCy,c@x.com,1.600\n"
	res := readRoster(t, "r.csv", roster, &rosterGeocoder{})
	if len(res.Reps) != 3 || res.Reps[0].CapacityHours != 1600 || res.Reps[1].CapacityHours != 1200 || res.Reps[2].CapacityHours != 1.6 {
		t.Fatalf("reps %+v", res.Reps)
	}
	if len(res.Problems) != 1 || res.Problems[0].Row != 4 || !strings.Contains(res.Problems[0].Reason, "looks too low: if it means 1600") {
		t.Errorf("problems %+v", res.Problems)
	}
}

// A home base given as a city (with its state) is located at the city's
// centre when there is no postal code; an unknown city is a warning.
func TestRosterHomeCity(t *testing.T) {
	const roster = "Name,Email,Home City,Home State,Home ZIP\nAnn,a@x.com,Portland,OR,\nBo,b@x.com,Portland,OR,02134\nCy,c@x.com,Atlantis,,\n"
	res := readRoster(t, "r.csv", roster, &rosterGeocoder{})
	if len(res.Reps) != 3 || res.HomeByCity != 1 || res.HomeByZIP != 1 {
		t.Fatalf("reps %+v, by city %d, by ZIP %d", res.Reps, res.HomeByCity, res.HomeByZIP)
	}
	if r := res.Reps[0]; !r.HasHome || r.HomeBase != (orb.Point{-122.68, 45.52}) || r.HomeZIP != "" {
		t.Errorf("Ann %+v", r)
	}
	if r := res.Reps[1]; r.HomeBase != (orb.Point{-71.13, 42.35}) { // the postal code wins
		t.Errorf("Bo %+v", r)
	}
	if r := res.Reps[2]; r.HasHome || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Reason, "city 'Atlantis' not found") {
		t.Errorf("Cy %+v, problems %+v", r, res.Problems)
	}
}

// The Maven team file's regional_office fills no roster field: listed.
func TestRosterMappingUnused(t *testing.T) {
	header := []string{"sales_agent", "manager", "regional_office", " "}
	if got := planner.GuessRosterMapping(header).Unused(header); !reflect.DeepEqual(got, []string{"regional_office"}) {
		t.Errorf("unused %q", got)
	}
}
