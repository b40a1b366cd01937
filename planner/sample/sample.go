// Package sample builds Meridian's embedded sample plan, "US Hospitals
// sample", from the real public data in package assets: US counties as
// geography units, Census 2024 population, the open HIFLD hospitals as
// accounts (potential = beds), and one territory per US Census division.
// assets/README.md documents every source and rule.
package sample

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/charmap"
)

// Name is the sample plan's name, shown in the window title.
const Name = "US Hospitals sample"

// Divisions are the nine US Census divisions in the Census Bureau's order
// (DIVISION codes 1 to 9); the sample has one territory per division.
var Divisions = [9]string{
	"New England", "Middle Atlantic", "East North Central", "West North Central",
	"South Atlantic", "East South Central", "West South Central", "Mountain", "Pacific",
}

// Regions are the four US Census regions (REGION codes 1 to 4); the
// sample's territories report to them, as the Census groups divisions.
var Regions = [4]string{"Northeast", "Midwest", "South", "West"}

// divisionRegion is the Census region code of each division of Divisions:
// New England and Middle Atlantic are in the Northeast, and so on
// (Census Bureau, "Census Regions and Divisions of the United States").
var divisionRegion = [9]int{1, 1, 2, 2, 3, 3, 3, 4, 4}

// Source file names, used in error messages.
const (
	countiesFile   = "us-atlas_counties-10m.topo.json"
	populationFile = "co-est2024-pop.csv"
	ctFile         = "ct_counties_2019.csv"
	hospitalsFile  = "us_hospitals_hifld.csv"
)

// Build builds the sample plan. progress, when not nil, is called with the
// fraction done in [0, 1]; ctx cancels. Errors name the embedded file, row
// and column at fault (they would mean a broken build, not user error).
func Build(ctx context.Context, progress func(float64)) (*planner.Plan, error) {
	report := func(f float64) {
		if progress != nil {
			progress(f)
		}
	}
	report(0)
	units, borders, err := Geography()
	if err != nil {
		return nil, err
	}
	report(0.3)
	pop, err := Population()
	if err != nil {
		return nil, err
	}
	for i := range units {
		if v, ok := pop.County[units[i].Code]; ok {
			units[i].Population = planner.Known(float64(v))
			if n := pop.CountyName[units[i].Code]; n != "" {
				units[i].Name = n
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	report(0.4)
	accounts, err := Hospitals()
	if err != nil {
		return nil, err
	}
	report(0.5)
	if _, err := planner.LocateAccounts(ctx, units, accounts, planner.DefaultSnapKm, func(f float64) { report(0.5 + 0.45*f) }); err != nil {
		return nil, err
	}

	s := planner.Scenario{ID: 1, Name: "Census divisions", Alignment: map[string]int64{}}
	for _, u := range units {
		if d, ok := pop.StateDivision[u.ParentCode]; ok && d >= 1 && d <= 9 {
			s.Alignment[u.Code] = int64(d)
		}
	}
	colors := divisionColors(units, s.Alignment)
	for r, name := range Regions {
		s.Regions = append(s.Regions, planner.Region{ID: int64(r + 1), Name: name})
	}
	for d, name := range Divisions {
		s.Territories = append(s.Territories, planner.Territory{ID: int64(d + 1), Name: name, Color: colors[d], RegionID: int64(divisionRegion[d])})
	}
	p := &planner.Plan{
		Name: Name,
		Description: "US counties, 2024 population and the open hospitals of the United States, " +
			"with one territory per Census division. Potential is the number of staffed beds.",
		Created:        time.Now().UTC().Truncate(time.Second),
		Attribution:    assets.Attribution,
		UnitLevel:      "County",
		ParentLevel:    "State",
		PotentialName:  "Beds",
		SegmentName:    "Type",
		Segments:       Segments(),
		Units:          units,
		Borders:        borders,
		Accounts:       accounts,
		Scenarios:      []planner.Scenario{s},
		ActiveScenario: 1,
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	report(1)
	return p, nil
}

// Segments are the sample's account segments: large general acute care
// hospitals (200 beds or more), covered by a "Key accounts" overlay team
// with nobody on it yet, and every hospital in A/B/C tiers of 20/30/50% by
// beds.
func Segments() []planner.Segment {
	return []planner.Segment{
		{ID: 1, Name: "Large acute hospitals", Rule: "Type = 'GENERAL ACUTE CARE' and Beds >= 200", OverlayTeam: "Key accounts"},
		{ID: 2, Name: "Bed tiers", Tiers: planner.DefaultTiering("Beds")},
	}
}

// Geography returns the 3,231 county units (code = 5-digit FIPS, parent =
// state FIPS and name; geometry in WGS84 degrees, lon/lat; no population
// yet), in the TopoJSON's order, and the internal state borders.
func Geography() ([]planner.GeographyUnit, orb.MultiLineString, error) {
	rc, err := assets.Counties()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	topo, err := geo.ReadTopology(rc)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", countiesFile, err)
	}
	states, err := topo.Features("states")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", countiesFile, err)
	}
	stateName := map[string]string{}
	for _, f := range states {
		stateName[f.ID] = propString(f.Properties, "name")
	}
	counties, err := topo.Features("counties")
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", countiesFile, err)
	}
	units := make([]planner.GeographyUnit, 0, len(counties))
	for i, f := range counties {
		if len(f.ID) != 5 {
			return nil, nil, fmt.Errorf("%s: county %d has id %q, not a 5-digit FIPS code", countiesFile, i+1, f.ID)
		}
		units = append(units, planner.GeographyUnit{
			Code:       f.ID,
			Name:       propString(f.Properties, "name"),
			ParentCode: f.ID[:2],
			ParentName: stateName[f.ID[:2]],
			Geometry:   geo.AsMultiPolygon(f.Geometry),
		})
	}
	borders, err := topo.Mesh("states", func(a, b int) bool { return a != b })
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", countiesFile, err)
	}
	return units, borders, nil
}

func propString(props map[string]any, key string) string {
	s, _ := props[key].(string)
	return s
}

// PopulationTable is the Census 2024 estimate, reconciled to the county
// boundaries of the map (see assets/README.md).
type PopulationTable struct {
	County        map[string]int64  // 5-digit county FIPS -> POPESTIMATE2024 (people)
	CountyName    map[string]string // 5-digit county FIPS -> Census name, e.g. "Doña Ana County"
	State         map[string]int64  // 2-digit state FIPS -> state total (people)
	StateDivision map[string]int    // 2-digit state FIPS -> Census division 1..9
}

// Population reads the embedded Census estimates (Latin-1) and reconciles
// them with the map's counties: Connecticut's 2024 total is spread over its 8
// former counties in proportion to their 2019 estimates (largest remainder),
// and Alaska's Valdez-Cordova (02261) is the sum of Chugach (02063) and Copper
// River (02066). It returns an error if any state's county sum then differs
// from its Census state total.
func Population() (*PopulationTable, error) {
	rc, err := assets.Population()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	t := &PopulationTable{County: map[string]int64{}, CountyName: map[string]string{}, State: map[string]int64{}, StateDivision: map[string]int{}}
	err = readCSV(populationFile, charmap.ISO8859_1.NewDecoder().Reader(rc), []string{"SUMLEV", "DIVISION", "STATE", "COUNTY", "CTYNAME", "POPESTIMATE2024"}, func(r row) error {
		pop, err := r.int("POPESTIMATE2024")
		if err != nil {
			return err
		}
		state, county := r.get("STATE"), r.get("COUNTY")
		switch r.get("SUMLEV") {
		case "040":
			div, err := r.int("DIVISION")
			if err != nil {
				return err
			}
			t.State[state], t.StateDivision[state] = pop, int(div)
		case "050":
			t.County[state+county], t.CountyName[state+county] = pop, r.get("CTYNAME")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Connecticut: planning regions (09110-09190) -> former counties.
	var weights []int64
	var codes, names []string
	err = readCSV(ctFile, assets.ConnecticutCounties2019(), []string{"STATE", "COUNTY", "CTYNAME", "POPESTIMATE2019"}, func(r row) error {
		w, err := r.int("POPESTIMATE2019")
		if err != nil {
			return err
		}
		weights = append(weights, w)
		codes = append(codes, r.get("STATE")+r.get("COUNTY"))
		names = append(names, r.get("CTYNAME"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	for code := range t.County {
		if strings.HasPrefix(code, "09") {
			delete(t.County, code)
			delete(t.CountyName, code)
		}
	}
	for i, v := range Apportion(t.State["09"], weights) {
		t.County[codes[i]], t.CountyName[codes[i]] = v, names[i]
	}
	// Alaska: Valdez-Cordova was split in 2019.
	chugach, ok1 := t.County["02063"]
	copper, ok2 := t.County["02066"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s: Alaska's 02063 or 02066 is missing", populationFile)
	}
	t.County["02261"], t.CountyName["02261"] = chugach+copper, "Valdez-Cordova Census Area"
	delete(t.County, "02063")
	delete(t.County, "02066")
	delete(t.CountyName, "02063")
	delete(t.CountyName, "02066")

	sums := map[string]int64{}
	for code, v := range t.County {
		sums[code[:2]] += v
	}
	for st, total := range t.State {
		if sums[st] != total {
			return nil, fmt.Errorf("%s: state %s counties sum to %d, the state total is %d", populationFile, st, sums[st], total)
		}
	}
	return t, nil
}

// Apportion splits total into whole parts proportional to weights by the
// largest remainder (Hamilton) method: each part gets the floor of its exact
// share, then the units left over go to the largest fractional remainders
// (ties to the lower index). The parts sum to total exactly. All weights zero
// gives equal shares.
func Apportion(total int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	if len(weights) == 0 {
		return out
	}
	var sum int64
	for _, w := range weights {
		sum += w
	}
	ws := weights
	if sum == 0 {
		ws = make([]int64, len(weights))
		for i := range ws {
			ws[i] = 1
		}
		sum = int64(len(ws))
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(ws))
	var given int64
	for i, w := range ws {
		exact := float64(total) * float64(w) / float64(sum)
		out[i] = int64(math.Floor(exact))
		given += out[i]
		rems[i] = rem{i, exact - math.Floor(exact)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < total; k = (k + 1) % len(rems) {
		out[rems[k].i]++
		given++
	}
	return out
}

// Hospitals reads the open hospitals (STATUS = OPEN) as accounts, in file
// order with IDs 1, 2, ...: external ID, name, address, city, state, ZIP,
// location (lon/lat), segment = TYPE, owner, potential = BEDS (unknown when
// -999 or negative). "NOT AVAILABLE" becomes an empty value. Accounts are not
// located yet.
func Hospitals() ([]planner.Account, error) {
	rc, err := assets.Hospitals()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var out []planner.Account
	cols := []string{"ID", "NAME", "ADDRESS", "CITY", "STATE", "ZIP", "TYPE", "STATUS", "LATITUDE", "LONGITUDE", "OWNER", "BEDS"}
	err = readCSV(hospitalsFile, rc, cols, func(r row) error {
		if r.get("STATUS") != "OPEN" {
			return nil
		}
		a := planner.Account{
			ID:         int64(len(out) + 1),
			ExternalID: r.get("ID"),
			Name:       r.get("NAME"),
			Address:    r.get("ADDRESS"),
			City:       r.get("CITY"),
			State:      r.get("STATE"),
			ZIP:        r.get("ZIP"),
			Segment:    r.get("TYPE"),
			Owner:      r.get("OWNER"),
		}
		lat, errLat := r.float("LATITUDE")
		lon, errLon := r.float("LONGITUDE")
		if errLat == nil && errLon == nil && planner.ValidLonLat(orb.Point{lon, lat}) {
			a.Location, a.HasLocation, a.Match = orb.Point{lon, lat}, true, planner.MatchPoint
		}
		if beds, err := r.float("BEDS"); err == nil && beds >= 0 {
			a.Potential = planner.Known(beds)
		} else if err != nil && r.get("BEDS") != "" {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// row is one CSV record with its header, for error messages that name the
// file, row and column.
type row struct {
	file   string
	line   int // 1-based line of the record in the file (header = 1)
	index  map[string]int
	record []string
}

func (r row) get(col string) string {
	v := strings.TrimSpace(r.record[r.index[col]])
	if v == "NOT AVAILABLE" {
		return ""
	}
	return v
}

func (r row) int(col string) (int64, error) {
	v, err := strconv.ParseInt(r.get(col), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: row %d, column %s: %q is not a whole number", r.file, r.line, col, r.get(col))
	}
	return v, nil
}

func (r row) float(col string) (float64, error) {
	v, err := strconv.ParseFloat(r.get(col), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: row %d, column %s: %q is not a number", r.file, r.line, col, r.get(col))
	}
	return v, nil
}

// readCSV reads a CSV with a header row (a UTF-8 BOM is skipped), checks
// that the columns in need are present, and calls fn for every record.
func readCSV(file string, r io.Reader, need []string, fn func(row) error) error {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: reading the header: %w", file, err)
	}
	index := make(map[string]int, len(header))
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	for _, col := range need {
		if _, ok := index[col]; !ok {
			return fmt.Errorf("%s: column %s is missing from the header", file, col)
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err := fn(row{file: file, line: line, index: index, record: rec}); err != nil {
			return err
		}
	}
}

// divisionColors gives the nine division territories colours from
// planner's colour-blind-safe palette such that divisions that share a
// border differ (planner.AssignColors over the divisions' adjacency, found
// from the counties' shared borders with geo.Edges).
func divisionColors(units []planner.GeographyUnit, alignment map[string]int64) []string {
	geoms := make([]orb.MultiPolygon, len(units))
	group := make([]int, len(units))
	for i, u := range units {
		geoms[i] = u.Geometry
		group[i] = int(alignment[u.Code]) - 1 // -1: white space
	}
	var pairs [][2]int
	for _, b := range geo.NewEdges(geoms, 1e-7).GroupNeighbors(group, len(Divisions)) {
		pairs = append(pairs, [2]int{b.A, b.B})
	}
	return planner.AssignColors(len(Divisions), pairs, nil)
}
