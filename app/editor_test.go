package app

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/sqlite"
)

var (
	samplePlanOnce sync.Once
	samplePlanPath string
	samplePlanErr  error
)

// samplePlanFile returns a fresh copy of the sample plan file (built once
// per test run) in a temporary folder.
func samplePlanFile(t *testing.T) string {
	t.Helper()
	samplePlanOnce.Do(func() {
		dir, err := os.MkdirTemp("", "meridian-sample-")
		if err != nil {
			samplePlanErr = err
			return
		}
		samplePlanPath = filepath.Join(dir, "sample.meridian")
		p, err := sample.Build(context.Background(), nil)
		if err != nil {
			samplePlanErr = err
			return
		}
		db, err := sqlite.Open(samplePlanPath)
		if err != nil {
			samplePlanErr = err
			return
		}
		if samplePlanErr = db.Replace(context.Background(), p); samplePlanErr == nil {
			samplePlanErr = db.Close()
		}
	})
	if samplePlanErr != nil {
		t.Fatal(samplePlanErr)
	}
	b, err := os.ReadFile(samplePlanPath)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.meridian")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// editingMeridian opens a copy of the sample plan in a 1440×900 test window
// and returns it with a channel that receives after every derive.
func editingMeridian(t *testing.T) (*Meridian, chan struct{}) {
	t.Helper()
	m := newTestMeridian(t)
	s, err := openSession(t.Context(), samplePlanFile(t), func(float64) {})
	if err != nil {
		t.Fatal(err)
	}
	derived := make(chan struct{}, 64)
	m.derivedHook = func() {
		select {
		case derived <- struct{}{}:
		default: // nobody waits for that many
		}
	}
	m.show(s)
	m.win.Resize(fyne.NewSize(1440, 900))
	return m, derived
}

// waitDerived waits for the background derive after an edit.
func waitDerived(t *testing.T, ch chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatal("no derive within 30 s")
	}
}

// widgetPos returns where plane point q is drawn in the map widget (dp).
func widgetPos(mv *mapview.Map, q orb.Point, scale float32) fyne.Position {
	v, sz := mv.View(), mv.Size()
	x := (q[0]-v.Center[0])*v.Scale/float64(scale) + float64(sz.Width)/2
	y := (v.Center[1]-q[1])*v.Scale/float64(scale) + float64(sz.Height)/2
	return fyne.NewPos(float32(x), float32(y))
}

// storedAlignment reads unit code's territory from the plan file, after
// every queued edit was written.
func storedAlignment(t *testing.T, m *Meridian, code string) int64 {
	t.Helper()
	m.session.writer.flush()
	return loadPlan(t, m.session.db.Path).Active().Alignment[code]
}

func territoryID(t *testing.T, s *session, name string) int64 {
	t.Helper()
	tr := s.scenario.TerritoryByName(name)
	if tr == nil {
		t.Fatalf("no territory %q", name)
	}
	return tr.ID
}

// A tap with the Paint tool on Cook County, Illinois (East North Central)
// assigns it to the active territory, Pacific; undo and redo restore each
// state, in memory, in the plan file and in the metrics.
func TestTapAssignsUndoRedo(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	pacific, enc := territoryID(t, s, "Pacific"), territoryID(t, s, "East North Central")
	cook := s.plan.UnitIndex()["17031"]
	if got := s.scenario.Alignment["17031"]; got != enc {
		t.Fatalf("Cook County starts in %d, want %d", got, enc)
	}
	pacificUnits := m.table.rows[8].Units

	m.setActiveByName("Pacific")
	m.selectTool(mapview.ToolPaint)
	if m.mapView.Tool() != mapview.ToolPaint {
		t.Fatal("the toolbar did not switch the map to Paint")
	}
	pos := widgetPos(m.mapView, s.interior[cook], m.win.Canvas().Scale())
	if a := m.mapView.AreaAt(pos); a != cook {
		t.Fatalf("AreaAt(%v) = %d, want Cook County %d", pos, a, cook)
	}
	test.TapAt(m.mapView, pos)
	if got := s.scenario.Alignment["17031"]; got != pacific {
		t.Fatalf("after the tap Cook County is in %d, want Pacific %d", got, pacific)
	}
	waitDerived(t, derived)
	if got := m.table.rows[8].Units; got != pacificUnits+1 {
		t.Errorf("Pacific has %d units after the tap, want %d", got, pacificUnits+1)
	}
	if got := storedAlignment(t, m, "17031"); got != pacific {
		t.Errorf("plan file: Cook County in %d, want %d", got, pacific)
	}
	if !strings.HasPrefix(m.undoItem.Label, "Undo Assign 1 county to Pacific") || m.undoItem.Disabled {
		t.Errorf("undo item %q disabled=%v", m.undoItem.Label, m.undoItem.Disabled)
	}

	m.undo()
	if got := s.scenario.Alignment["17031"]; got != enc {
		t.Fatalf("after undo Cook County is in %d, want %d", got, enc)
	}
	waitDerived(t, derived)
	if got := m.table.rows[8].Units; got != pacificUnits {
		t.Errorf("Pacific has %d units after undo, want %d", got, pacificUnits)
	}
	if got := storedAlignment(t, m, "17031"); got != enc {
		t.Errorf("plan file after undo: Cook County in %d, want %d", got, enc)
	}
	m.redo()
	waitDerived(t, derived)
	if got := storedAlignment(t, m, "17031"); got != pacific || s.scenario.Alignment["17031"] != pacific {
		t.Errorf("after redo Cook County is in %d (file %d), want %d", s.scenario.Alignment["17031"], got, pacific)
	}
}

// A lasso drawn just inside the bound of a 2×2 block of central Iowa
// counties (Story, Marshall / Polk, Jasper) selects exactly those four; making a territory of them takes them out of West
// North Central in one undoable step, with a colour no neighbour has.
func TestLassoNewTerritory(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	want := []string{"19099", "19127", "19153", "19169"}
	var ri orb.Bound
	for k, code := range want {
		b := s.areas[s.plan.UnitIndex()[code]].Bound()
		if k == 0 {
			ri = b
		} else {
			ri = ri.Union(b)
		}
	}
	// Drag the lasso around the box, a little outside it, in widget
	// positions, as the user would.
	m.selectTool(mapview.ToolLasso)
	sc := m.win.Canvas().Scale()
	pad := ri.Pad(-0.03 * (ri.Max[0] - ri.Min[0])) // just inside the block's outer border
	corners := []orb.Point{pad.Min, {pad.Max[0], pad.Min[1]}, pad.Max, {pad.Min[0], pad.Max[1]}, pad.Min}
	start := widgetPos(m.mapView, corners[0], sc)
	prev := start
	for _, c := range corners[1:] {
		p := widgetPos(m.mapView, c, sc)
		for k := 1; k <= 8; k++ { // several events per side, as a real drag sends
			q := fyne.NewPos(prev.X+(p.X-prev.X)*float32(k)/8, prev.Y+(p.Y-prev.Y)*float32(k)/8)
			last := fyne.NewPos(prev.X+(p.X-prev.X)*float32(k-1)/8, prev.Y+(p.Y-prev.Y)*float32(k-1)/8)
			m.mapView.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: q}, Dragged: fyne.NewDelta(q.X-last.X, q.Y-last.Y)})
		}
		prev = p
	}
	m.mapView.DragEnd()
	var got []string
	for _, i := range m.ed.selection {
		got = append(got, s.plan.Units[i].Code)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("lasso selected %v, want %v", got, want)
	}
	if !m.ed.selBar.Visible() || !strings.Contains(m.ed.selLabel.Text, "4 counties selected") {
		t.Errorf("selection bar: visible %v, %q", m.ed.selBar.Visible(), m.ed.selLabel.Text)
	}

	ne := territoryID(t, s, "West North Central")
	sel := m.ed.selection
	m.clearSelection()
	m.createTerritory("Central Iowa", sel, nil)
	waitDerived(t, derived)
	ocean := s.scenario.TerritoryByName("Central Iowa")
	if ocean == nil || len(s.scenario.Territories) != 10 {
		t.Fatalf("territories after the new one: %d", len(s.scenario.Territories))
	}
	for _, code := range want {
		if s.scenario.Alignment[code] != ocean.ID {
			t.Errorf("%s in %d, want Central Iowa %d", code, s.scenario.Alignment[code], ocean.ID)
		}
	}
	if c := s.territory(ne).Color; c == ocean.Color || !slices.Contains(planner.TerritoryPalette(), ocean.Color) {
		t.Errorf("Central Iowa colour %s (New England %s)", ocean.Color, c)
	}
	if m.ed.activeID != ocean.ID || m.table.rows[9].Territory.Name != "Central Iowa" || m.table.rows[9].Units != 4 {
		t.Errorf("active %d, last row %+v", m.ed.activeID, m.table.rows[9].Territory)
	}
	if got := storedAlignment(t, m, "19153"); got != ocean.ID {
		t.Errorf("plan file: Polk in %d", got)
	}
	m.undo()
	waitDerived(t, derived)
	if m.ed.activeID != s.scenario.Territories[0].ID {
		t.Errorf("after undoing the new territory the active one is %d, want the first", m.ed.activeID)
	}
	if len(s.scenario.Territories) != 9 || s.scenario.Alignment["19153"] != ne {
		t.Errorf("after undo: %d territories, Polk in %d", len(s.scenario.Territories), s.scenario.Alignment["19153"])
	}
	if got := storedAlignment(t, m, "19153"); got != ne {
		t.Errorf("plan file after undo: Polk in %d", got)
	}
}

// A drawn boundary owns the hospitals inside it; a self-crossing shape is
// refused and changes nothing.
func TestDrawnBoundary(t *testing.T) {
	m, derived := editingMeridian(t)
	s := m.session
	// A box around Manhattan and the Bronx, drawn in the plane.
	ll := orb.Polygon{{{-74.03, 40.69}, {-73.85, 40.69}, {-73.85, 40.92}, {-74.03, 40.92}, {-74.03, 40.69}}}
	ring := geo.AlbersUSA.Polygon(ll)[0]
	inside := 0
	for _, a := range s.plan.Accounts {
		if a.HasLocation && a.Location[0] > -74.03 && a.Location[0] < -73.85 && a.Location[1] > 40.69 && a.Location[1] < 40.92 {
			inside++
		}
	}
	if inside < 10 {
		t.Fatalf("only %d hospitals in the box", inside)
	}
	b := geo.AlbersUSA.InvertPolygon(orb.Polygon{ring})
	m.createTerritory("Manhattan", nil, b)
	waitDerived(t, derived)
	last := m.table.rows[len(m.table.rows)-1]
	if last.Territory.Name != "Manhattan" || last.Accounts != inside || last.Units != 0 {
		t.Errorf("Manhattan: %d accounts, %d units; want %d accounts", last.Accounts, last.Units, inside)
	}
	if s.metrics.DrawnAccounts != inside {
		t.Errorf("drawn accounts %d, want %d", s.metrics.DrawnAccounts, inside)
	}

	// A bigger shape around it: its accounts stay with Manhattan, the
	// first drawn boundary.
	big := geo.AlbersUSA.InvertPolygon(orb.Polygon{geo.AlbersUSA.Polygon(orb.Polygon{{{-74.1, 40.6}, {-73.7, 40.6}, {-73.7, 41.0}, {-74.1, 41.0}, {-74.1, 40.6}}})[0]})
	if in, taken := drawnCounts(s, big); taken != inside || in <= inside {
		t.Errorf("bigger shape: %d inside, %d taken; want more than %d, %d taken", in, taken, inside, inside)
	}

	before := len(s.scenario.Territories)
	bowtie := orb.Ring{ring[0], ring[2], ring[1], ring[3], ring[0]}
	m.polygonDrawn(bowtie)
	if len(s.scenario.Territories) != before {
		t.Error("a self-crossing shape made a territory")
	}
}

// Choropleth mode colours counties by population classes with a legend,
// and switching back shows territory colours again.
func TestChoropleth(t *testing.T) {
	m, _ := editingMeridian(t)
	if got := m.legend.texts(); got[0] != "Territories" || len(got) != 11 {
		t.Fatalf("territory legend = %q", got)
	}
	m.ed.colorBy.SetSelectedIndex(int(byPopulation))
	got := m.legend.texts()
	if got[0] != "Population per unit" || len(got) != 7 || !strings.HasPrefix(got[6], "No data 89 units") {
		t.Fatalf("population legend = %q", got)
	}
	fills, _ := m.session.fills(m.ed.options(), m.session.scenario, m.session.metrics)
	la := m.session.plan.UnitIndex()["06037"]
	top := parseHexColor(planner.SequentialRamp(5)[4], whiteSpaceColor)
	if fills[la] != top {
		t.Errorf("Los Angeles fill %v, want the top class %v", fills[la], top)
	}
	// Deviation: fixed classes symmetric around the mean. South Atlantic
	// (+84.4% population) is above +30%, New England (−59.3%) below −30%,
	// West South Central (+14.0%) in +10% to +30%.
	m.ed.colorBy.SetSelectedIndex(int(byDeviation))
	got = m.legend.texts()
	if got[0] != "Territory population vs mean" || got[3] != "within ±10% 0 units" || !strings.HasPrefix(got[6], "White space") {
		t.Errorf("deviation legend = %q", got)
	}
	fills, _ = m.session.fills(m.ed.options(), m.session.scenario, m.session.metrics)
	ramp := planner.DivergingRamp(5)
	idx := m.session.plan.UnitIndex()
	for code, class := range map[string]int{"12086": 4, "25025": 0, "48201": 3} { // Miami-Dade, Suffolk MA, Harris TX
		if want := parseHexColor(ramp[class], whiteSpaceColor); fills[idx[code]] != want {
			t.Errorf("%s fill %v, want class %d %v", code, fills[idx[code]], class, want)
		}
	}
	if !m.ed.method.Disabled() {
		t.Error("the class method can be changed for deviation")
	}
	m.ed.colorBy.SetSelectedIndex(int(byTerritory))
	if got := m.legend.texts(); got[0] != "Territories" {
		t.Errorf("legend after switching back = %q", got)
	}
}

// New territory names: not empty, not too long, not another territory's
// name in any case.
func TestCheckTerritoryName(t *testing.T) {
	m, _ := editingMeridian(t)
	for name, ok := range map[string]bool{
		"Gulf Coast": true, "": false, "   ": false, " pacific ": false, "PACIFIC": false,
		strings.Repeat("x", maxTerritoryName): true, strings.Repeat("x", maxTerritoryName+1): false,
	} {
		if err := checkTerritoryName(m.session, name); (err == nil) != ok {
			t.Errorf("%q: %v", name, err)
		}
	}
}

// The exported picture of the sample plan has the requested size and shows
// every territory's colour.
func TestWriteMapPNG(t *testing.T) {
	plan := samplePlanFile(t)
	out := filepath.Join(t.TempDir(), "map.png")
	if err := WriteMapPNG(t.Context(), plan, out, 1600, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X != 1600 || sz.Y != 900 {
		t.Fatalf("picture is %v, want 1600×900", sz)
	}
	counts := map[[3]uint8]int{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c, g, bl, _ := img.At(x, y).RGBA()
			counts[[3]uint8{uint8(c >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
		}
	}
	p := loadPlan(t, plan)
	for _, tr := range p.Active().Territories {
		c := parseHexColor(tr.Color, whiteSpaceColor)
		if n := counts[[3]uint8{c.R, c.G, c.B}]; n < 500 {
			t.Errorf("territory %s colour %s: %d pixels", tr.Name, tr.Color, n)
		}
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("picture mode %v, %v; want rw-r--r-- to share it", fi.Mode(), err)
	}
	if err := WriteMapPNG(t.Context(), plan, out, 5000, time.Now()); planner.ErrorCode(err) != planner.EINVALID {
		t.Errorf("width 5000: %v", err)
	}
}

func loadPlan(t *testing.T, path string) *planner.Plan {
	t.Helper()
	db, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The presentation view shows the map with enlarged labels and the legend
// with each territory's metrics, and closes with Escape.
func TestPresentation(t *testing.T) {
	m, _ := editingMeridian(t)
	m.present()
	p := m.presentation
	if p == nil {
		t.Fatal("no presentation window")
	}
	lines := p.legend.texts()
	if len(lines) != 11 || !strings.HasPrefix(lines[1], "New England ") || !strings.Contains(lines[1], "accts") {
		t.Errorf("presentation legend = %q", lines)
	}
	d := presentDerived(m.session.derived)
	if d.labels[0].Size != labelBaseSize*presentLabelScale || m.session.derived.labels[0].Size != labelBaseSize {
		t.Errorf("label sizes %v / %v", d.labels[0].Size, m.session.derived.labels[0].Size)
	}
	k := slices.IndexFunc(m.session.derived.labels, func(l mapview.Label) bool { return strings.HasPrefix(l.Text, "New England\n") })
	if k < 0 || d.labels[k].Text != "New England" || m.session.derived.labels[k].Text != "New England\n289 accts · pop. −59.3%" {
		t.Errorf("New England label %d in %+v", k, m.session.derived.labels)
	}
	p.win.Close()
	if m.presentation != nil {
		t.Error("presentation still open after Close")
	}
}
