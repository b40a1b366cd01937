package sample_test

import (
	"encoding/csv"
	"io"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/paulmach/orb/planar"
	"golang.org/x/text/encoding/charmap"
)

// mustBuild builds the sample plan once per test.
func mustBuild(tb testing.TB) *planner.Plan {
	tb.Helper()
	p, err := sample.Build(tb.Context(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// censusRows reads the embedded Census file independently of the package
// under test: every row as a map from column to value.
func censusRows(t *testing.T) []map[string]string {
	t.Helper()
	rc, err := assets.Population()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	recs, err := csv.NewReader(charmap.ISO8859_1.NewDecoder().Reader(rc)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func atoi(t *testing.T, s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDivisionsMatchCensus checks each territory (Census division) against
// sums taken straight from the Census file: the population is the sum of the
// division's state totals, and the county count is the number of county rows,
// less the two boundary changes the 2017 map predates (Connecticut's 9
// planning regions are 8 counties on the map; Alaska's 02063 and 02066 are
// one, 02261).
func TestDivisionsMatchCensus(t *testing.T) {
	p := mustBuild(t)
	if len(p.Units) != 3231 {
		t.Fatalf("%d units, want 3,231 counties", len(p.Units))
	}
	wantPop := map[int64]float64{}
	wantUnits := map[int64]int{}
	for _, r := range censusRows(t) {
		div := atoi(t, r["DIVISION"])
		switch r["SUMLEV"] {
		case "040":
			wantPop[div] += float64(atoi(t, r["POPESTIMATE2024"]))
		case "050":
			wantUnits[div]++
		}
	}
	wantUnits[1] -= 9 - 8 // New England: Connecticut
	wantUnits[9] -= 2 - 1 // Pacific: Alaska
	m := planner.ComputeMetrics(p, p.Active())
	if len(m.Territories) != 9 {
		t.Fatalf("%d territories, want 9", len(m.Territories))
	}
	var sumPop float64
	for i, tm := range m.Territories {
		div := int64(i + 1)
		if tm.Territory.Name != sample.Divisions[i] {
			t.Errorf("territory %d is %q, want %q", i, tm.Territory.Name, sample.Divisions[i])
		}
		if tm.Population != wantPop[div] || tm.PopulationMissing != 0 {
			t.Errorf("%s population %.0f (missing %d), Census %.0f", tm.Territory.Name, tm.Population, tm.PopulationMissing, wantPop[div])
		}
		if tm.Units != wantUnits[div] {
			t.Errorf("%s has %d counties, Census %d", tm.Territory.Name, tm.Units, wantUnits[div])
		}
		sumPop += tm.Population
	}
	// Values from the Census file, for a reader to check by eye.
	if m.Territories[0].Population != 15386085 || m.Territories[4].Units != 588 {
		t.Errorf("New England %.0f people, South Atlantic %d counties", m.Territories[0].Population, m.Territories[4].Units)
	}
	// 50 states + DC: 340,110,988 people in July 2024.
	if sumPop != 340110988 {
		t.Errorf("territories hold %.0f people, want 340,110,988", sumPop)
	}
	// White space: Puerto Rico's 78 municipios and 11 island-area units.
	if w := m.WhiteSpace; w.Units != 89 || w.PopulationMissing != 89 || w.Population != 0 {
		t.Errorf("white space %+v", w)
	}
	if m.Total.Units != 3231 || m.Total.Accounts != 7146 {
		t.Errorf("total %+v", m.Total)
	}
}

// TestPopulationReconciled checks that every state's counties sum to the
// Census state total, and the Connecticut and Alaska rules.
func TestPopulationReconciled(t *testing.T) {
	p := mustBuild(t)
	stateTotal := map[string]int64{}
	for _, r := range censusRows(t) {
		if r["SUMLEV"] == "040" {
			stateTotal[r["STATE"]] = atoi(t, r["POPESTIMATE2024"])
		}
	}
	sums := map[string]float64{}
	for _, u := range p.Units {
		if u.Population.Known {
			sums[u.ParentCode] += u.Population.Value
		}
	}
	if len(stateTotal) != 51 {
		t.Fatalf("%d state totals, want 51", len(stateTotal))
	}
	for st, total := range stateTotal {
		if sums[st] != float64(total) {
			t.Errorf("state %s: counties sum to %.0f, Census total %d", st, sums[st], total)
		}
	}
	byCode := map[string]planner.GeographyUnit{}
	for _, u := range p.Units {
		byCode[u.Code] = u
	}
	// Connecticut: 3,675,069 people spread by the 2019 estimates
	// (sum 3,565,287): each county within one person of its exact share.
	w2019 := map[string]float64{"09001": 943332, "09003": 891720, "09005": 180333, "09007": 162436, "09009": 854757, "09011": 265206, "09013": 150721, "09015": 116782}
	for code, w := range w2019 {
		exact := 3675069 * w / 3565287
		if got := byCode[code].Population; !got.Known || math.Abs(got.Value-exact) >= 1 {
			t.Errorf("%s population %v, exact share %.2f", code, got, exact)
		}
	}
	if u := byCode["09001"]; u.Name != "Fairfield County" || u.ParentName != "Connecticut" {
		t.Errorf("09001 = %q, %q", u.Name, u.ParentName)
	}
	// Alaska: Valdez-Cordova = Chugach (7,014) + Copper River (2,580), vintage 2024.
	var chugach, copper int64
	for _, r := range censusRows(t) {
		switch r["STATE"] + r["COUNTY"] {
		case "02063":
			chugach = atoi(t, r["POPESTIMATE2024"])
		case "02066":
			copper = atoi(t, r["POPESTIMATE2024"])
		}
	}
	if got := byCode["02261"].Population; !got.Known || got.Value != float64(chugach+copper) {
		t.Errorf("02261 population %v, want %d", got, chugach+copper)
	}
	// No estimate: no data, not zero.
	for _, code := range []string{"72127", "66010", "78030", "60010", "69110"} {
		if byCode[code].Population.Known {
			t.Errorf("%s has population %v, want no data", code, byCode[code].Population)
		}
	}
	// Latin-1 decoded.
	if u := byCode["35013"]; u.Name != "Doña Ana County" {
		t.Errorf("35013 is named %q", u.Name)
	}
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{10, []int64{1, 1, 1}, []int64{4, 3, 3}},
		{100, []int64{50, 30, 20}, []int64{50, 30, 20}},
		{7, []int64{0, 0}, []int64{4, 3}},
		{5, []int64{1, 2, 2}, []int64{1, 2, 2}},
		{0, []int64{3, 4}, []int64{0, 0}},
		{1, nil, []int64{}},
	} {
		got := sample.Apportion(tc.total, tc.weights)
		var sum int64
		for _, v := range got {
			sum += v
		}
		if len(got) != len(tc.want) || (len(got) > 0 && sum != tc.total) {
			t.Errorf("Apportion(%d, %v) = %v", tc.total, tc.weights, got)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Apportion(%d, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
				break
			}
		}
	}
}

// TestHospitalsLocated checks that known hospitals land in their county, that
// the located county agrees with the HIFLD COUNTYFIPS column for nearly all
// hospitals, and the account fields.
func TestHospitalsLocated(t *testing.T) {
	p := mustBuild(t)
	if len(p.Accounts) != 7146 {
		t.Fatalf("%d accounts, want the 7,146 open hospitals", len(p.Accounts))
	}
	byExt := map[string]*planner.Account{}
	for i := range p.Accounts {
		byExt[p.Accounts[i].ExternalID] = &p.Accounts[i]
	}
	for ext, want := range map[string]string{
		"0007702114": "25025", // Massachusetts General Hospital, Suffolk County MA
		"0005590048": "06037", // Cedars-Sinai, Los Angeles County CA
		"0000255902": "27109", // Mayo Clinic St Mary's, Olmsted County MN
		"0000799508": "02020", // Alaska Native Medical Center, Anchorage AK
		"0000496706": "15003", // Queen's Medical Center West, Honolulu HI
		"0002780204": "08031", // Denver Health, Denver CO
		"0002106102": "09003", // Hartford Hospital, Hartford County CT
		"0002222908": "51540", // UVA Medical Center, Charlottesville city VA
	} {
		a := byExt[ext]
		if a == nil {
			t.Errorf("hospital %s is missing", ext)
			continue
		}
		if a.UnitCode != want || a.Placement != planner.PlacedInside {
			t.Errorf("%s (%s) is in %q (%v), want %s", a.Name, ext, a.UnitCode, a.Placement, want)
		}
	}
	mgh := byExt["0007702114"]
	if mgh.Name != "MASSACHUSETTS GENERAL HOSPITAL" || mgh.City != "BOSTON" || mgh.State != "MA" || mgh.ZIP != "02114" ||
		mgh.Segment != "GENERAL ACUTE CARE" || mgh.Owner != "NON-PROFIT" || mgh.Potential != planner.Known(1035) {
		t.Errorf("MGH = %+v", mgh)
	}
	// Beds -999 means unknown, not negative.
	if w := byExt["0145622601"]; w.Potential.Known {
		t.Errorf("Winchester Rehabilitation Center potential %v, want unknown", w.Potential)
	}
	// Agreement with HIFLD's own COUNTYFIPS (Connecticut's codes differ by
	// design; the rest differ where HIFLD's point and county disagree).
	fips := hifldCountyFIPS(t)
	agree, total := 0, 0
	for _, a := range p.Accounts {
		if a.State == "CT" || a.UnitCode == "" {
			continue
		}
		total++
		if fips[a.ExternalID] == a.UnitCode {
			agree++
		}
	}
	if rate := float64(agree) / float64(total); rate < 0.985 {
		t.Errorf("located county agrees with COUNTYFIPS for %d of %d hospitals (%.2f%%), want ≥ 98.5%%", agree, total, 100*rate)
	}
	unplaced := 0
	for _, a := range p.Accounts {
		if a.Placement == planner.PlacedNone {
			unplaced++
			if a.State != "PW" {
				t.Errorf("%s (%s) is in no unit", a.Name, a.State)
			}
		}
	}
	if unplaced != 1 {
		t.Errorf("%d hospitals in no unit, want 1 (Palau)", unplaced)
	}
}

func hifldCountyFIPS(t *testing.T) map[string]string {
	rc, err := assets.Hospitals()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	out := map[string]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		out[rec[col["ID"]]] = rec[col["COUNTYFIPS"]]
	}
	return out
}

// TestHoleRespected: Winchester, an independent city, is a hole in
// Frederick County, Virginia. A hospital in Winchester lies inside
// Frederick's outer ring and bound but not in Frederick.
func TestHoleRespected(t *testing.T) {
	p := mustBuild(t)
	idx := p.UnitIndex()
	frederick := p.Units[idx["51069"]]
	var holes int
	for _, poly := range frederick.Geometry {
		holes += len(poly) - 1
	}
	if holes != 1 {
		t.Fatalf("Frederick County has %d holes, want 1", holes)
	}
	for _, a := range p.Accounts {
		if a.UnitCode != "51840" { // Winchester city
			continue
		}
		if !frederick.Geometry.Bound().Contains(a.Location) || !planar.RingContains(frederick.Geometry[0][0], a.Location) {
			t.Fatalf("%s is not inside Frederick's outer ring; the test proves nothing", a.Name)
		}
		if planar.MultiPolygonContains(frederick.Geometry, a.Location) {
			t.Errorf("%s at %v is in Frederick County's hole but Frederick contains it", a.Name, a.Location)
		}
		return
	}
	t.Fatal("no hospital located in Winchester city (51840)")
}

// BenchmarkLocateAccounts locates all 7,146 sample hospitals in the 3,231
// counties, building the spatial index each time.
func BenchmarkLocateAccounts(b *testing.B) {
	p := mustBuild(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.LocateAccounts(b.Context(), p.Units, p.Accounts, planner.DefaultSnapKm, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild builds the whole sample plan from the embedded assets.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		mustBuild(b)
	}
}

// Neighbouring divisions get different, colour-blind-safe colours.
func TestDivisionColors(t *testing.T) {
	p, err := sample.Build(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	palette := planner.TerritoryPalette()
	color := map[int64]string{}
	for _, tr := range p.Active().Territories {
		if !slices.Contains(palette, tr.Color) {
			t.Errorf("%s has colour %s, not from the palette", tr.Name, tr.Color)
		}
		color[tr.ID] = tr.Color
	}
	// Pairs of divisions that share a land border (Census division map):
	// each must differ.
	for _, pair := range [][2]int64{{1, 2}, {2, 3}, {2, 5}, {3, 4}, {3, 5}, {3, 6}, {4, 6}, {4, 7}, {4, 8}, {5, 6}, {6, 7}, {7, 8}, {8, 9}} {
		if color[pair[0]] == color[pair[1]] {
			t.Errorf("divisions %d and %d share colour %s", pair[0], pair[1], color[pair[0]])
		}
	}
}
