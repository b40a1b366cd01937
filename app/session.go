package app

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"strconv"
	"time"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// session is an open plan: its file, the plan in memory, and what the map
// draws, projected once when the plan is loaded.
type session struct {
	db       *sqlite.DB
	plan     *planner.Plan
	scenario *planner.Scenario
	metrics  planner.Metrics

	areas        []orb.MultiPolygon // unit geometries in the map plane (geo.AlbersUSA)
	borders      orb.MultiLineString
	points       []orb.Point     // account locations in the map plane
	unitAccounts []int           // accounts per unit, by unit index
	territoryOf  []int           // index in scenario.Territories per unit, -1 for white space
	layers       *mapview.Layers // prepared off the UI thread by newSession
	untitled     bool            // the file lives in the untitled plans folder
	// pristine is the plan file's modification time when it was built from
	// the sample; zero for plans opened from a file.
	pristine time.Time
}

// close closes the plan file. An untitled plan that was never edited since
// it was built from the sample is deleted: it can be built again exactly,
// and keeping it would fill the untitled folder with copies.
func (s *session) close() {
	discard := false
	if s.untitled && !s.pristine.IsZero() {
		if mod, err := s.db.Modified(context.Background()); err == nil && mod.Equal(s.pristine) {
			discard = true
		}
	}
	if err := s.db.Close(); err == nil && discard {
		os.Remove(s.db.Path)
	}
}

// whiteSpaceColor fills units that belong to no territory.
var whiteSpaceColor = color.NRGBA{0xBA, 0xB0, 0xAC, 0xff}

// accountColor is the colour of account dots; pointOutlineColor rings them
// so that they stand out on every territory colour.
var (
	accountColor      = color.NRGBA{0x1a, 0x1a, 0x22, 0xff}
	pointOutlineColor = color.NRGBA{0xff, 0xff, 0xff, 0x90}
)

// stateBorderColor draws the borders between parent units (states).
var stateBorderColor = color.NRGBA{0x30, 0x30, 0x38, 0xff}

// repeatColor returns n copies of c.
func repeatColor(c color.NRGBA, n int) []color.NRGBA {
	out := make([]color.NRGBA, n)
	for i := range out {
		out[i] = c
	}
	return out
}

// openSession opens the plan file at path, loads it and prepares the map
// data. It runs off the UI thread; progress receives the fraction done.
func openSession(ctx context.Context, path string, progress func(float64)) (*session, error) {
	db, err := sqlite.OpenExisting(path) // a mistyped path is an error, not a new plan
	if err != nil {
		return nil, err
	}
	progress(0.1)
	p, err := db.Load(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	progress(0.6)
	s, err := newSession(ctx, db, p)
	if err != nil {
		db.Close()
		return nil, err
	}
	progress(1)
	return s, nil
}

// newSession prepares an open plan for display.
func newSession(ctx context.Context, db *sqlite.DB, p *planner.Plan) (*session, error) {
	s := &session{db: db, plan: p, scenario: p.Active()}
	if s.scenario == nil {
		return nil, planner.Errorf(planner.EINVALID, "%s has no scenario", db.Path)
	}
	proj := geo.AlbersUSA
	s.areas = make([]orb.MultiPolygon, len(p.Units))
	for i := range p.Units {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		s.areas[i] = proj.MultiPolygon(p.Units[i].Geometry)
	}
	s.borders = proj.MultiLineString(p.Borders)
	index := p.UnitIndex()
	s.unitAccounts = make([]int, len(p.Units))
	for _, a := range p.Accounts {
		if a.HasLocation {
			if q, ok := proj.Point(a.Location); ok {
				s.points = append(s.points, q)
			}
		}
		if i, ok := index[a.UnitCode]; ok {
			s.unitAccounts[i]++
		}
	}
	s.refresh()
	s.layers = s.mapLayers()
	return s, nil
}

// refresh recomputes the metrics and each unit's territory after an edit.
func (s *session) refresh() {
	s.metrics = planner.ComputeMetrics(s.plan, s.scenario)
	row := make(map[int64]int, len(s.scenario.Territories))
	for i, t := range s.scenario.Territories {
		row[t.ID] = i
	}
	s.territoryOf = make([]int, len(s.plan.Units))
	for i, u := range s.plan.Units {
		s.territoryOf[i] = -1
		if tid, ok := s.scenario.Alignment[u.Code]; ok {
			if r, ok := row[tid]; ok {
				s.territoryOf[i] = r
			}
		}
	}
}

// mapLayers prepares what the map draws: units filled in their territory's
// colour, parent (state) borders and account dots. It is costly (tens of
// milliseconds) and safe to run off the UI thread.
func (s *session) mapLayers() *mapview.Layers {
	return mapview.NewLayers().
		Areas(s.areas, s.fills()).
		Lines(s.borders, stateBorderColor, 1.2).
		Points(s.points, repeatColor(accountColor, len(s.points)), 1.8)
}

// styleMap sets the map's style for Meridian's layers.
func styleMap(mv *mapview.Map) {
	mv.SetPointOutline(pointOutlineColor, 0.5)
}

// fills returns each unit's fill colour: its territory's, or white space.
func (s *session) fills() []color.NRGBA {
	palette := make([]color.NRGBA, len(s.scenario.Territories))
	for i, t := range s.scenario.Territories {
		palette[i] = parseHexColor(t.Color, whiteSpaceColor)
	}
	out := make([]color.NRGBA, len(s.territoryOf))
	for i, r := range s.territoryOf {
		if r < 0 {
			out[i] = whiteSpaceColor
		} else {
			out[i] = palette[r]
		}
	}
	return out
}

// tooltip describes unit i for the map's hover box.
func (s *session) tooltip(i int) string {
	if i < 0 || i >= len(s.plan.Units) {
		return ""
	}
	u := s.plan.Units[i]
	territory := "White space (unassigned)"
	if r := s.territoryOf[i]; r >= 0 {
		territory = s.scenario.Territories[r].Name
	}
	pop := "no data"
	if u.Population.Known {
		pop = formatCount(u.Population.Value)
	}
	name := u.Name
	if u.ParentName != "" {
		name += ", " + u.ParentName
	}
	return fmt.Sprintf("%s\nTerritory: %s\nPopulation: %s\nAccounts: %s", name, territory, pop, formatCount(float64(s.unitAccounts[i])))
}

// parseHexColor parses "#RRGGBB"; it returns def for anything else.
func parseHexColor(s string, def color.NRGBA) color.NRGBA {
	if len(s) != 7 || s[0] != '#' {
		return def
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return def
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}
