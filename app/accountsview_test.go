package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/meridianplan/meridian/planner"
)

// drawnTexts returns the visible, non-empty canvas.Text objects under o as
// drawn: it walks the widgets' current renderers (test.WidgetRenderer), not
// fresh ones as test.LaidOutObjects does, which would hold no table cells
// beyond the sticky column.
func drawnTexts(o fyne.CanvasObject) map[string]*canvas.Text {
	seen := map[string]*canvas.Text{}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch c := o.(type) {
		case *canvas.Text:
			if c.Text != "" {
				seen[c.Text] = c
			}
		case fyne.Widget:
			for _, child := range test.WidgetRenderer(c).Objects() {
				walk(child)
			}
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		}
	}
	walk(o)
	return seen
}

// showAccounts puts the view in a 2200×600 test window (every column of the test plans visible).
func showAccounts(t *testing.T, av *accountsView) {
	t.Helper()
	w := test.NewWindow(av.content)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(2200, 600))
}

func TestAccountsViewSample(t *testing.T) {
	test.NewTempApp(t)
	p := loadPlan(t, samplePlanFile(t))
	av := (&Meridian{}).newAccountsView()
	av.set(p, p.Active())

	rows, cols := av.table.Length()
	if rows != len(p.Accounts) || cols != 1+13+len(p.CustomFields) { // the tick column, then the data
		t.Fatalf("table is %d×%d, want %d×%d", rows, cols, len(p.Accounts), 1+13+len(p.CustomFields))
	}
	want := []string{"Name", "External ID", "City", "State", "ZIP", "Type", "Owner", "Beds", "Territory", "Named", "County", "Located by", "Location from"}
	for i, c := range p.CustomFields {
		want = append(want, c.Name)
		if av.columns[13+i].trailing != c.Numeric {
			t.Errorf("custom field %q right-aligned %v, want %v", c.Name, av.columns[12+i].trailing, c.Numeric)
		}
	}
	if got := av.columnTitles(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("columns %q, want %q", got, want)
	}
	if got, wantLabel := av.label.Text, formatCount(float64(len(p.Accounts)))+" accounts"; got != wantLabel {
		t.Errorf("label %q, want %q", got, wantLabel)
	}

	mgh := -1
	for i := range p.Accounts {
		if p.Accounts[i].ExternalID == "0007702114" {
			mgh = i
		}
	}
	if mgh < 0 {
		t.Fatal("Massachusetts General Hospital is not in the sample")
	}
	for col, want := range map[int]string{
		0: "MASSACHUSETTS GENERAL HOSPITAL", 1: "0007702114", 2: "BOSTON", 3: "MA", 4: "02114",
		5: "GENERAL ACUTE CARE", 6: "NON-PROFIT", 7: "1,035", 8: "New England", 9: "", 10: "Suffolk County", 11: "in county",
	} {
		if got := av.cellText(mgh, col); got != want {
			t.Errorf("MGH column %q = %q, want %q", av.columns[col].title, got, want)
		}
	}
	// Unknown beds (-999 in the source) are "no data".
	for i := range p.Accounts {
		if p.Accounts[i].ExternalID == "0145622601" {
			if got := av.cellText(i, 7); got != "no data" {
				t.Errorf("Winchester Rehabilitation Center beds %q, want no data", got)
			}
		}
	}
	if got := av.cellText(rows, 0); got != "" {
		t.Errorf("row past the end shows %q", got)
	}

	// Drawn: the sticky header and the first rows, each cell within its column.
	showAccounts(t, av)
	seen := drawnTexts(av.table)
	for _, h := range []string{"Name", "Beds", "Territory", "County", "Located by"} {
		if seen[h] == nil {
			t.Errorf("header %q not drawn", h)
		}
	}
	first := &av.columns[0]
	name := fitText(p.Accounts[0].Name, first.width-2*theme.Padding(), theme.TextSize()-1, fyne.TextStyle{})
	if seen[name] == nil {
		t.Errorf("first account %q (drawn as %q) not drawn", p.Accounts[0].Name, name)
	}
	for s, txt := range seen {
		if txt.Position().X < 0 || txt.Size().Width > 0 && fyne.MeasureText(s, txt.TextSize, txt.TextStyle).Width > txt.Size().Width+0.5 {
			t.Errorf("%q overflows its %v-wide cell", s, txt.Size().Width)
		}
	}
}

// customPlan has two custom fields, "Staff" (numeric) and "Website", and
// accounts with whole, short and missing Fields, unknown unit codes and
// every placement.
func customPlan() *planner.Plan {
	return &planner.Plan{
		Name: "Custom", UnitLevel: "County", PotentialName: "Revenue",
		Units:        []planner.GeographyUnit{{Code: "001", Name: "Alpha"}, {Code: "002", Name: "Beta"}},
		CustomFields: []planner.CustomField{{Name: "Staff", Numeric: true}, {Name: "Website"}},
		Accounts: []planner.Account{
			{ID: 1, Name: "Acme", Potential: planner.Known(2500000), UnitCode: "001", Placement: planner.PlacedInside,
				HasLocation: true, Fields: []string{"120", "acme.example"}},
			{ID: 2, Name: "Bolt", HasLocation: true}, // no Fields, outside every unit
			{ID: 3, Name: "Cogs", UnitCode: "999", Placement: planner.PlacedNearest, HasLocation: true,
				Fields: []string{"7"}}, // short Fields, unknown unit
			{ID: 4, Name: "Dyne", UnitCode: "002", Placement: planner.PlacedInside, HasLocation: true,
				Fields: []string{"", "dyne.example", "extra"}},
			{ID: 5, Name: "Echo"}, // no location
		},
		Scenarios: []planner.Scenario{{ID: 1, Name: "Base",
			Territories: []planner.Territory{{ID: 10, Name: "North"}},
			Alignment:   map[string]int64{"001": 10, "999": 11}}},
	}
}

func TestAccountsViewCustomFields(t *testing.T) {
	test.NewTempApp(t)
	p := customPlan()
	av := (&Meridian{}).newAccountsView()
	av.set(p, p.Active())

	if rows, cols := av.table.Length(); rows != 5 || cols != 16 {
		t.Fatalf("table is %d×%d, want 5×16", rows, cols)
	}
	titles := av.columnTitles()
	if titles[7] != "Revenue" || titles[9] != "Named" || titles[10] != "County" || titles[12] != "Location from" || titles[13] != "Staff" || titles[14] != "Website" {
		t.Errorf("columns %q", titles)
	}
	if !av.columns[13].trailing || av.columns[14].trailing || !av.columns[7].trailing || av.columns[0].trailing {
		t.Error("numbers must be right-aligned, text left-aligned")
	}
	if av.label.Text != "5 accounts · 2 custom fields" {
		t.Errorf("label %q", av.label.Text)
	}
	want := [][]string{ // Name, Revenue, Territory, County, Located by, Staff, Website
		{"Acme", "2,500,000", "North", "Alpha", "in county", "120", "acme.example"},
		{"Bolt", "no data", "White space", "", "outside every county", "", ""},
		{"Cogs", "no data", "White space", "999", "nearest county (≤5 km)", "7", ""},
		{"Dyne", "no data", "White space", "Beta", "in county", "", "dyne.example"},
		{"Echo", "no data", "White space", "", "not located", "", ""},
	}
	for row, w := range want {
		for k, col := range []int{0, 7, 8, 10, 11, 13, 14} {
			if got := av.cellText(row, col); got != w[k] {
				t.Errorf("row %d %q = %q, want %q", row, titles[col], got, w[k])
			}
		}
	}

	showAccounts(t, av)
	seen := drawnTexts(av.table)
	for _, s := range []string{"Staff", "Website", "120", "acme.example", "North", "nearest county (≤5 km)", "Alpha", "2,500,000"} {
		if seen[s] == nil {
			t.Errorf("%q not drawn", s)
		}
	}
	if txt := seen["120"]; txt != nil && txt.Alignment != fyne.TextAlignTrailing {
		t.Errorf("Staff value aligned %v, want trailing", txt.Alignment)
	}
	if txt := seen["Staff"]; txt != nil && txt.Alignment != fyne.TextAlignTrailing {
		t.Errorf("Staff header aligned %v, want trailing", txt.Alignment)
	}

	// Without a scenario every account is white space; a new plan with no
	// custom field drops their columns.
	av.set(p, nil)
	if got := av.cellText(0, 8); got != "White space" {
		t.Errorf("no scenario: territory %q", got)
	}
	p2 := customPlan()
	p2.CustomFields, p2.UnitLevel, p2.PotentialName = nil, "", ""
	av.set(p2, p2.Active())
	if _, cols := av.table.Length(); cols != 14 || av.columns[7].title != "Potential" || av.columns[10].title != "Unit" {
		t.Errorf("%d columns %q", cols, av.columnTitles())
	}
	if got := av.cellText(0, 11); got != "in unit" {
		t.Errorf("located by %q, want in unit", got)
	}
	if got := av.cellText(2, 13); got != "" {
		t.Errorf("column past the end shows %q", got)
	}
}

func TestAccountsViewEmpty(t *testing.T) {
	test.NewTempApp(t)
	av := (&Meridian{}).newAccountsView()
	showAccounts(t, av)
	if av.label.Text != noAccountsText {
		t.Errorf("label %q", av.label.Text)
	}
	p := customPlan()
	p.Accounts = nil
	av.set(p, p.Active())
	if rows, _ := av.table.Length(); rows != 0 || av.label.Text != noAccountsText {
		t.Errorf("%d rows, label %q", rows, av.label.Text)
	}
	if seen := drawnTexts(av.content); seen[noAccountsText] == nil {
		t.Errorf("%q not drawn", noAccountsText)
	}
	av.set(nil, nil)
	if rows, _ := av.table.Length(); rows != 0 || av.cellText(0, 0) != "" {
		t.Errorf("nil plan: %d rows", rows)
	}
}

func TestFitText(t *testing.T) {
	test.NewTempApp(t)
	style := fyne.TextStyle{}
	long := "MASSACHUSETTS GENERAL HOSPITAL OF THE COMMONWEALTH"
	for _, width := range []float32{40, 100, 200} {
		got := fitText(long, width, 13, style)
		if !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
			t.Errorf("width %v: %q", width, got)
		}
		if w := fyne.MeasureText(got, 13, style).Width; w > width {
			t.Errorf("width %v: %q is %v wide", width, got, w)
		}
	}
	if got := fitText("Alpha", 200, 13, style); got != "Alpha" {
		t.Errorf("short text shortened to %q", got)
	}
	if got := fitText("Alpha", 1, 13, style); got != "…" {
		t.Errorf("no room: %q", got)
	}
}

// BenchmarkAccountsViewSet measures set on 100,000 accounts with 3 custom
// fields in 3,000 units and 10 territories, shown in an 800×600 window.
func BenchmarkAccountsViewSet(b *testing.B) {
	test.NewTempApp(b)
	p := &planner.Plan{Name: "Bench", UnitLevel: "County", PotentialName: "Beds",
		CustomFields: []planner.CustomField{{Name: "Staff", Numeric: true}, {Name: "Website"}, {Name: "Phone"}}}
	s := planner.Scenario{ID: 1, Name: "Base", Alignment: map[string]int64{}}
	for t := range 10 {
		s.Territories = append(s.Territories, planner.Territory{ID: int64(t + 1), Name: fmt.Sprintf("Territory %d", t+1)})
	}
	for u := range 3000 {
		code := fmt.Sprintf("%05d", u)
		p.Units = append(p.Units, planner.GeographyUnit{Code: code, Name: "County " + code})
		if u%7 != 0 {
			s.Alignment[code] = int64(u%10 + 1)
		}
	}
	p.Scenarios = []planner.Scenario{s}
	p.Accounts = make([]planner.Account, 100_000)
	for i := range p.Accounts {
		p.Accounts[i] = planner.Account{ID: int64(i + 1), Name: fmt.Sprintf("Account %d", i), City: "Springfield",
			Potential: planner.Known(float64(i % 500)), UnitCode: p.Units[i%3000].Code, Placement: planner.PlacedInside,
			Fields: []string{"12", "example.com", "555-0100"}}
	}
	av := (&Meridian{}).newAccountsView()
	w := test.NewWindow(av.content) // shown, as in the app: Refresh redraws the visible cells
	defer w.Close()
	w.Resize(fyne.NewSize(800, 600))
	av.set(p, &p.Scenarios[0])
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		av.set(p, &p.Scenarios[0])
	}
}

// setOwners uses the territories it is given (the background derive's),
// and computes them itself only when their count does not match.
func TestAccountsViewSetOwners(t *testing.T) {
	test.NewTempApp(t)
	p := customPlan()
	s := p.Active()
	av := (&Meridian{}).newAccountsView()
	given := make([]int64, len(p.Accounts))
	for i := range given {
		given[i] = s.Territories[0].ID
	}
	av.setOwners(p, s, given)
	for row := range p.Accounts {
		if got := av.cellText(row, 8); got != s.Territories[0].Name {
			t.Errorf("row %d territory %q, want %q (as given)", row, got, s.Territories[0].Name)
		}
	}
	av.setOwners(p, s, given[:1])
	want := (&Meridian{}).newAccountsView()
	want.set(p, s)
	for row := range p.Accounts {
		if got, w := av.cellText(row, 8), want.cellText(row, 8); got != w {
			t.Errorf("row %d territory %q, want %q (computed)", row, got, w)
		}
	}
}
