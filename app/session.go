package app

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/balance"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/paulmach/orb"
)

// session is an open plan: its file, the plan in memory, and what the map
// draws, projected once when the plan is loaded.
type session struct {
	db       *sqlite.DB
	plan     *planner.Plan
	scenario *planner.Scenario // the active scenario, edited in place on the UI thread
	metrics  planner.Metrics

	areas         []orb.MultiPolygon // unit geometries in the map plane (proj)
	proj          geo.Composite      // the map projection of the plan (geo.FitMap of its units)
	borders       orb.MultiLineString
	points        []orb.Point     // account locations in the map plane
	pointAccount  []int           // index in plan.Accounts of each point
	unitAccounts  []int           // accounts per unit, by unit index
	unitPotential []float64       // known potential of the accounts per unit
	interior      []orb.Point     // each unit's interior point (plane), for lasso selection
	edges         *geo.Edges      // the units' shared borders, for outlines and neighbours
	territoryOf   []int           // index in scenario.Territories per unit, -1 for white space
	layers        *mapview.Layers // prepared off the UI thread by newSession
	derived       derived         // outlines, labels and metrics of the last derive
	// graph is the units' adjacency (geo.USGraphOptions: km, km², islands
	// linked), built once by newSession: it depends only on the units. It
	// measures contiguity and Polsby-Popper compactness.
	graph *geo.Graph
	// balance is the Balance view's report of the last derive, computed
	// for balanceQ.
	balance  planner.BalanceReport
	balanceQ balanceQuery
	opt      *optimizerGraph // the optimizer's graph, built when first needed
	untitled bool            // the file lives in the untitled plans folder
	// pristine is the plan file's modification time when it was built from
	// the sample; zero for plans opened from a file.
	pristine time.Time

	history history
	writer  *writer

	seg *segmentState // the active segment filter and segment members (segments.go); shared by copies
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
// It is a light neutral grey that stays apart (ΔE76 ≥ 10) from every
// territory palette colour under simulated colour-vision deficiencies.
var whiteSpaceColor = color.NRGBA{0xEE, 0xEE, 0xEE, 0xff}

// accountColor is the colour of account dots; pointOutlineColor rings them
// so that they stand out on every territory colour.
var (
	accountColor      = color.NRGBA{0x1a, 0x1a, 0x22, 0xc0}
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

// edgeGrid is the snap grid (plane units) for matching the units' shared
// borders: AlbersUSA's plane is about 1,000 units wide, so this is about
// half a metre, far below the data's precision and far above float noise.
const edgeGrid = 1e-4

// newSession prepares an open plan for display. It runs off the UI thread.
func newSession(ctx context.Context, db *sqlite.DB, p *planner.Plan) (*session, error) {
	s := &session{db: db, plan: p, scenario: p.Active(), seg: &segmentState{}}
	if s.scenario == nil {
		return nil, planner.Errorf(planner.EINVALID, "%s has no scenario", db.Path)
	}
	if s.scenario.Alignment == nil {
		s.scenario.Alignment = map[string]int64{}
	}
	geoms := make([]orb.MultiPolygon, len(p.Units))
	for i := range p.Units {
		geoms[i] = p.Units[i].Geometry
	}
	s.proj = geo.FitMap(geoms)
	proj := s.proj
	s.areas = make([]orb.MultiPolygon, len(p.Units))
	s.interior = make([]orb.Point, len(p.Units))
	for i := range p.Units {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		s.areas[i] = proj.MultiPolygon(p.Units[i].Geometry)
		s.interior[i] = geo.InteriorPoint(s.areas[i])
	}
	s.borders = proj.MultiLineString(p.Borders)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.edges = geo.NewEdges(s.areas, edgeGrid)
	s.points, s.pointAccount, s.unitAccounts, s.unitPotential = accountViews(p, proj)
	s.refreshTerritoryOf()
	s.graph = balance.NewPlanGraph(p)
	s.opt = &optimizerGraph{}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	snap := s.snapshot()
	s.derived = s.derive(s.plan, snap)
	s.metrics = s.derived.metrics
	s.balanceQ = defaultBalanceQuery()
	s.balance = s.balanceReport(s.plan, snap, s.balanceQ, s.metrics)
	fills, _ := s.fills(viewOptions{}, s.scenario, s.metrics)
	s.layers = s.mapLayers(fills, s.derived)
	return s, nil
}

// optimizerGraph is the optimizer's form of a session's graph, with unit
// centroids in geo.EqualAreaUS (km), built once on first use off the UI
// thread (see session.optimizerGraph).
type optimizerGraph struct {
	once sync.Once
	g    *balance.Graph
}

// optimizerGraph returns the optimizer's graph of the session's units
// (balance.FromGeo over s.graph, centroids in geo.EqualAreaUS km). The
// first call builds it (tens of milliseconds for the sample's 3,231
// counties), so call it off the UI thread; it is safe for concurrent use.
func (s *session) optimizerGraph() *balance.Graph {
	s.opt.once.Do(func() {
		units := make([]orb.MultiPolygon, len(s.plan.Units))
		for i := range s.plan.Units {
			units[i] = s.plan.Units[i].Geometry
		}
		s.opt.g = balance.FromGeo(s.graph, units, geo.EqualAreaUS)
	})
	return s.opt.g
}

// refreshTerritoryOf recomputes each unit's territory row after an edit.
func (s *session) refreshTerritoryOf() {
	s.territoryOf = territoryRows(s.plan, s.scenario, s.territoryOf)
}

// styleMap sets the map's style for Meridian's layers.
func styleMap(mv *mapview.Map) {
	mv.SetPointOutline(pointOutlineColor, 0.5)
}

// tooltip describes unit i for the map's hover box.
func (s *session) tooltip(i int) string {
	if i < 0 || i >= len(s.plan.Units) {
		return ""
	}
	u := s.plan.Units[i]
	territory := "White space (unassigned)"
	if r := s.territoryOf[i]; r >= 0 && r < len(s.scenario.Territories) {
		territory = s.scenario.Territories[r].Name
		if r < len(s.metrics.Territories) && s.metrics.Territories[r].Territory.ID == s.scenario.Territories[r].ID {
			tm := s.metrics.Territories[r]
			territory += fmt.Sprintf(" (population %s, %s accounts vs mean)", formatPercent(tm.Deviation.Population), formatPercent(tm.Deviation.Accounts))
		}
	}
	pop := "no data"
	if u.Population.Known {
		pop = formatCount(u.Population.Value)
	}
	name := u.Name
	if u.ParentName != "" {
		name += ", " + u.ParentName
	}
	potential := s.plan.PotentialName
	if potential == "" {
		potential = "Potential"
	}
	return fmt.Sprintf("%s\nTerritory: %s\nPopulation: %s\nAccounts: %s\n%s: %s", name, territory, pop,
		formatCount(float64(s.unitAccounts[i])), potential, formatCount(s.unitPotential[i]))
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
