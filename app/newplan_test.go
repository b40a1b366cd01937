package app

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
)

// newPlanFor opens the New plan dialog on a test window.
func newPlanFor(t *testing.T) (*Meridian, *newPlanDialog) {
	t.Helper()
	m := newTestMeridian(t)
	np := m.newPlanDialog()
	np.dlg.Show()
	return m, np
}

// createAndOpen creates the dialog's plan at a new path and waits until the
// window shows it.
func createAndOpen(t *testing.T, m *Meridian, np *newPlanDialog) (string, *planner.Plan) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "created"+PlanExtension)
	np.create(path)
	if err := waitTask(t, m); err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := waitTask(t, m); err != nil {
		t.Fatalf("open: %v", err)
	}
	if m.session == nil || m.session.db.Path != path {
		t.Fatalf("the window does not show %s", path)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) == 0 {
		t.Fatal("no plan file written")
	}
	return path, m.session.plan
}

// TestNewPlanWorldLayer: the world countries layer gives a plan file with
// 241 countries, one scenario and no territories, opened in the window.
func TestNewPlanWorldLayer(t *testing.T) {
	m, np := newPlanFor(t)
	var world assets.BoundaryLayer
	for _, l := range assets.BoundaryLayers() {
		if l.Key == "world-countries" {
			world = l
		}
	}
	if got := layerOption(world); got != "World countries (Natural Earth 1:50m) — 241 units" {
		t.Errorf("option = %q", got)
	}
	np.source.SetSelected(layerOption(world))
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if !np.ready || len(np.units) != 241 || np.createBtn.Disabled() {
		t.Fatalf("ready %v, %d units, Create disabled %v; report %q", np.ready, len(np.units), np.createBtn.Disabled(), np.report.Text)
	}
	if !strings.HasPrefix(np.report.Text, "world-atlas_countries-50m.topo.json: 241 features, 241 units, 0 skipped") {
		t.Errorf("report = %q", np.report.Text)
	}
	if np.name.Text != world.Name {
		t.Errorf("plan name = %q, want the layer's name", np.name.Text)
	}
	np.name.SetText("World plan")
	_, p := createAndOpen(t, m, np)
	if p.Name != "World plan" || len(p.Units) != 241 || p.UnitLevel != "Country" {
		t.Errorf("plan %q: %d units (%s)", p.Name, len(p.Units), p.UnitLevel)
	}
	if len(p.Scenarios) != 1 || len(p.Scenarios[0].Territories) != 0 || len(p.Accounts) != 0 {
		t.Errorf("%d scenarios, %d territories, %d accounts; want 1, 0, 0", len(p.Scenarios), len(p.Scenarios[0].Territories), len(p.Accounts))
	}
	if p.Attribution != world.Attribution {
		t.Errorf("attribution = %q", p.Attribution)
	}
	if np.dlg.MinSize().Width == 0 || m.win.Title() != "Meridian — World plan" {
		t.Errorf("title = %q", m.win.Title())
	}
	// The world is drawn in Equal Earth, not in the US projection, and the
	// picture's scale note says so.
	if s := m.session; s == nil || len(s.proj) != 1 || !strings.Contains(scaleNote(1, s.proj), "km (at the equator, Equal Earth)") {
		t.Errorf("the world plan's projection has %d insets; scale note %q", len(m.session.proj), scaleNote(1, m.session.proj))
	}
}

// TestNewPlanGeoJSON: Romania's counties from a GeoJSON file, with the
// guessed "(feature id)" and name, give 42 units named right.
func TestNewPlanGeoJSON(t *testing.T) {
	m, np := newPlanFor(t)
	np.chooseGeographyFile(filepath.Join("testdata", "romania_counties_ne.geojson"))
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if np.source.Selected != fromFileOption {
		t.Errorf("source = %q", np.source.Selected)
	}
	if np.in.idProp != geo.FeatureIDProp || np.in.nameProp != "name" {
		t.Errorf("guessed code %q, name %q; want %q and name", np.in.idProp, np.in.nameProp, geo.FeatureIDProp)
	}
	if want := `(feature id) — e.g. "RO.DJ"; 42 unique values`; np.idSel.Selected != want {
		t.Errorf("code select = %q, want %q", np.idSel.Selected, want)
	}
	if want := `name — e.g. "Dolj"; 42 unique values`; np.nameSel.Selected != want {
		t.Errorf("name select = %q, want %q", np.nameSel.Selected, want)
	}
	if np.objectBox.Visible() {
		t.Error("the object select shows for a GeoJSON file")
	}
	if np.name.Text != "romania_counties_ne" {
		t.Errorf("plan name = %q", np.name.Text)
	}
	_, p := createAndOpen(t, m, np)
	if len(p.Units) != 42 {
		t.Fatalf("%d units, want 42", len(p.Units))
	}
	byCode := map[string]string{}
	for _, u := range p.Units {
		byCode[u.Code] = u.Name
	}
	for code, name := range map[string]string{"RO.DJ": "Dolj", "RO.BI": "Bucharest", "RO.DB": "Dâmbovita", "RO.TL": "Tulcea"} {
		if byCode[code] != name {
			t.Errorf("unit %s is named %q, want %q", code, byCode[code], name)
		}
	}
	if p.Attribution != "Geography: romania_counties_ne.geojson" {
		t.Errorf("attribution = %q", p.Attribution)
	}

	// Choosing the name as code, and no name, is followed.
	_, np2 := m, m.newPlanDialog()
	np2.chooseGeographyFile(filepath.Join("testdata", "romania_counties_ne.geojson"))
	waitTask(t, m)
	np2.nameSel.SetSelected(useCodeOption)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if np2.units[0].Name != "RO.DJ" {
		t.Errorf("without a name property, unit 0 is named %q", np2.units[0].Name)
	}
}

// TestNewPlanWeights: a weights CSV joined by code sets the population of
// the matching units and reports the rows that match no unit.
func TestNewPlanWeights(t *testing.T) {
	m, np := newPlanFor(t)
	np.chooseGeographyFile(filepath.Join("testdata", "romania_counties_ne.geojson"))
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	np.setWeights(filepath.Join("testdata", "ro_weights.csv"))
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if np.codeSel.Selected != "code" || np.valueSel.Selected != "population" {
		t.Errorf("columns %q, %q; want code, population", np.codeSel.Selected, np.valueSel.Selected)
	}
	if np.join == nil {
		t.Fatalf("no join; report %q", np.report.Text)
	}
	if np.join.Rows != 6 || np.join.Matched != 3 || len(np.join.UnmatchedRows) != 2 || len(np.join.Issues) != 1 {
		t.Errorf("join: %d rows, %d matched, %d unmatched rows, %d issues; want 6, 3, 2, 1",
			np.join.Rows, np.join.Matched, len(np.join.UnmatchedRows), len(np.join.Issues))
	}
	if !strings.Contains(np.report.Text, "Weights ro_weights.csv: 6 rows; 3 units got a population, 39 have none; 2 rows matched no unit; 1 row with problems.") {
		t.Errorf("report = %q", np.report.Text)
	}
	if !strings.Contains(np.report.Text, "code RO.XX matches no unit") {
		t.Errorf("report lacks the unmatched row: %q", np.report.Text)
	}
	_, p := createAndOpen(t, m, np)
	pop := map[string]planner.Measure{}
	for _, u := range p.Units {
		pop[u.Code] = u.Population
	}
	for code, want := range map[string]float64{"RO.DJ": 599442, "RO.CJ": 679141, "RO.BI": 1716961} {
		if got := pop[code]; !got.Known || got.Value != want {
			t.Errorf("population of %s = %+v, want %g", code, got, want)
		}
	}
	for _, code := range []string{"RO.TM", "RO.GJ"} {
		if pop[code].Known {
			t.Errorf("population of %s = %+v, want unknown", code, pop[code])
		}
	}

	// Removing the weights leaves every population unknown.
	np2 := m.newPlanDialog()
	np2.chooseGeographyFile(filepath.Join("testdata", "romania_counties_ne.geojson"))
	waitTask(t, m)
	np2.setWeights(filepath.Join("testdata", "ro_weights.csv"))
	waitTask(t, m)
	np2.setWeights("")
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if np2.join != nil || np2.units[0].Population.Known {
		t.Errorf("after Remove: join %v, unit 0 population %+v", np2.join, np2.units[0].Population)
	}
}

// TestNewPlanBadFile: a file that is not GeoJSON shows its error message,
// in a dialog and in the report, and Create stays disabled.
func TestNewPlanBadFile(t *testing.T) {
	m, np := newPlanFor(t)
	np.chooseGeographyFile(filepath.Join("testdata", "not_geojson.geojson"))
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	const want = "not_geojson.geojson is not a GeoJSON or TopoJSON file: it does not start with '{'"
	if np.report.Text != want {
		t.Errorf("report = %q, want %q", np.report.Text, want)
	}
	if !np.createBtn.Disabled() || np.ready {
		t.Error("Create is enabled after a bad file")
	}
	found := false
	for _, l := range overlayWidgets[*widget.Label](m) {
		// Fyne's error dialog capitalises the first letter.
		found = found || strings.Contains(strings.ToLower(l.Text), strings.ToLower(want))
	}
	if !found {
		t.Error("no error dialog with the message")
	}

	// A weights file without the chosen column names the columns it has.
	m2, np2 := newPlanFor(t)
	np2.chooseGeographyFile(filepath.Join("testdata", "romania_counties_ne.geojson"))
	waitTask(t, m2)
	np2.setWeights(filepath.Join("testdata", "ro_weights.csv"))
	waitTask(t, m2)
	np2.in.valueCol = "people"
	np2.update()
	if err := waitTask(t, m2); err != nil {
		t.Fatal(err)
	}
	if want := `ro_weights.csv has no column "people"; its columns are: code, county, population`; np2.report.Text != want {
		t.Errorf("report = %q, want %q", np2.report.Text, want)
	}
	// Create with nothing ready shows an error instead of a save dialog.
	test.Tap(np2.createBtn) // disabled: nothing happens
	np2.askCreate()
	found = false
	for _, l := range overlayWidgets[*widget.Label](m2) {
		found = found || strings.Contains(l.Text, "Choose a geography")
	}
	if !found {
		t.Error("Create without units did not say why")
	}
}

// TestGuessProperties pins the code and name guesses.
func TestGuessProperties(t *testing.T) {
	props := []geo.PropertyInfo{
		{Name: geo.FeatureIDProp, Count: 10, Distinct: 10},
		{Name: "ISO_A3", Count: 10, Distinct: 10},
		{Name: "NAME", Count: 10, Distinct: 10},
		{Name: "region", Count: 10, Distinct: 3},
	}
	if got := guessIDProp(props); got != "ISO_A3" {
		t.Errorf("id = %q, want ISO_A3", got)
	}
	if got := guessNameProp(props); got != "NAME" {
		t.Errorf("name = %q, want NAME", got)
	}
	props[1].Distinct = 9 // not unique
	if got := guessIDProp(props); got != geo.FeatureIDProp {
		t.Errorf("id = %q, want the feature id", got)
	}
	if got := guessIDProp(props[3:]); got != "region" {
		t.Errorf("id without unique values = %q, want the first property", got)
	}
	if got := guessNameProp(props[3:]); got != "" {
		t.Errorf("name = %q, want none", got)
	}
	header := []string{"SUMLEV", "STATE", "COUNTY", "POPESTIMATE2023", "POPESTIMATE2024"}
	if c := guessCodeColumn(header); c != "STATE+COUNTY" {
		t.Errorf("code column = %q", c)
	}
	if v := guessValueColumn(header, "STATE+COUNTY"); v != "POPESTIMATE2024" {
		t.Errorf("value column = %q", v)
	}
	if c, v := guessCodeColumn([]string{"name", "FIPS", "pop"}), guessValueColumn([]string{"name", "FIPS", "pop"}, "FIPS"); c != "FIPS" || v != "pop" {
		t.Errorf("columns %q, %q", c, v)
	}
}

// TestNewPlanTopoJSONObjects: a TopoJSON file with several objects shows
// the object select, starts on the object with the most polygons, and
// reads another object when chosen.
func TestNewPlanTopoJSONObjects(t *testing.T) {
	m, np := newPlanFor(t)
	var world assets.BoundaryLayer
	for _, l := range assets.BoundaryLayers() {
		if l.Key == "world-countries" {
			world = l
		}
	}
	rc, err := world.Open()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "countries.topojson")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	np.chooseGeographyFile(path)
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if !np.objectBox.Visible() || strings.Join(np.objectSel.Options, ",") != "countries,land" || np.objectSel.Selected != "countries" {
		t.Errorf("object select: visible %v, options %q, selected %q", np.objectBox.Visible(), np.objectSel.Options, np.objectSel.Selected)
	}
	if np.in.idProp != geo.FeatureIDProp || np.in.nameProp != "name" || len(np.units) != 241 {
		t.Errorf("code %q, name %q, %d units; want the feature id, name, 241", np.in.idProp, np.in.nameProp, len(np.units))
	}
	np.objectSel.SetSelected("land")
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if want := "countries.topojson: choose the property that holds each unit's code"; np.report.Text != want || np.ready {
		t.Errorf("land: report %q (ready %v), want %q", np.report.Text, np.ready, want)
	}
}

// TestNewPlanCensusWeights: the US counties layer with the Census county
// estimates (New Mexico's rows, Latin-1): STATE+COUNTY and the latest
// POPESTIMATE are guessed, the 33 counties get their population, and the
// state total row matches no unit.
func TestNewPlanCensusWeights(t *testing.T) {
	m, np := newPlanFor(t)
	for _, l := range assets.BoundaryLayers() {
		if l.Key == "us-counties" {
			np.source.SetSelected(layerOption(l))
		}
	}
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if len(np.units) != 3231 {
		t.Fatalf("%d units, want 3231; report %q", len(np.units), np.report.Text)
	}
	np.setWeights(filepath.Join("testdata", "co-est2024-nm.csv"))
	if err := waitTask(t, m); err != nil {
		t.Fatal(err)
	}
	if np.codeSel.Selected != "STATE+COUNTY" || np.valueSel.Selected != "POPESTIMATE2024" {
		t.Errorf("columns %q, %q", np.codeSel.Selected, np.valueSel.Selected)
	}
	if np.join == nil || np.join.Rows != 34 || np.join.Matched != 33 || len(np.join.UnmatchedRows) != 1 || np.join.UnmatchedRows[0].Code != "35000" {
		t.Fatalf("join = %+v; report %q", np.join, np.report.Text)
	}
	for _, u := range np.units {
		if u.Code == "35013" && (u.Name != "Doña Ana" || u.Population != planner.Known(229366)) {
			t.Errorf("35013: %q, population %+v; want Doña Ana, 229,366", u.Name, u.Population)
		}
	}
}
