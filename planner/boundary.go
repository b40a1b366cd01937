package planner

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// drawn is a territory's hand-drawn boundary, ready for point tests.
type drawn struct {
	id    int64
	bound orb.Bound
	poly  orb.Polygon
}

// drawnBoundaries returns the scenario's drawn boundaries in territory
// order (the first that contains an account wins).
func (s *Scenario) drawnBoundaries() []drawn {
	var out []drawn
	for _, t := range s.Territories {
		if len(t.Boundary) > 0 && len(t.Boundary[0]) >= 4 {
			out = append(out, drawn{id: t.ID, bound: t.Boundary.Bound(), poly: t.Boundary})
		}
	}
	return out
}

// drawnOwner returns the territory whose drawn boundary contains the
// account's location, 0 when none does.
func drawnOwner(ds []drawn, a *Account) int64 {
	if !a.HasLocation {
		return 0
	}
	for i := range ds {
		if ds[i].bound.Contains(a.Location) && planar.PolygonContains(ds[i].poly, a.Location) {
			return ds[i].id
		}
	}
	return 0
}

// AccountTerritory returns the ID of the territory that account a belongs
// to in s: the territory it is named to (Scenario.NamedAccounts), else the
// first territory, in s.Territories order, whose drawn Boundary contains
// a's location (planar point-in-polygon on lon/lat degrees, holes
// excluded), else the territory its unit is aligned to; 0 when it is white
// space. For many accounts, [ComputeMetrics] and
// [Scenario.AccountTerritories] are faster.
func (s *Scenario) AccountTerritory(a *Account) int64 {
	if id, ok := s.NamedAccounts[a.ID]; ok {
		return id
	}
	return s.geoOwner(s.drawnBoundaries(), a)
}

// fixedOwner returns the territory that account a belongs to whatever
// its unit: the territory it is named to, else the drawn boundary that
// contains it (ds, as drawnBoundaries gives); 0 when its unit decides. A
// nil s gives 0.
func (s *Scenario) fixedOwner(ds []drawn, a *Account) int64 {
	if s == nil {
		return 0
	}
	if id, ok := s.NamedAccounts[a.ID]; ok {
		return id
	}
	return drawnOwner(ds, a)
}

// geoOwner returns the territory that account a belongs to by geography
// alone: the drawn boundary that contains it (ds, as drawnBoundaries
// gives), else its unit's territory; 0 for white space.
func (s *Scenario) geoOwner(ds []drawn, a *Account) int64 {
	if id := drawnOwner(ds, a); id != 0 {
		return id
	}
	if a.UnitCode == "" {
		return 0
	}
	return s.Alignment[a.UnitCode]
}

// AccountTerritories returns, for each account of p in order, the ID of
// the territory it belongs to in s (see [Scenario.AccountTerritory]), 0 for
// white space.
func (s *Scenario) AccountTerritories(p *Plan) []int64 {
	if len(s.NamedAccounts) == 0 {
		return s.GeographicTerritories(p)
	}
	return s.withNamed(p, s.GeographicTerritories(p))
}

// withNamed returns a copy of geo (each account's geographic territory, as
// [Scenario.GeographicTerritories] gives) with the named accounts' owners
// put in: what [Scenario.AccountTerritories] returns, for callers that
// need both without locating the accounts twice.
func (s *Scenario) withNamed(p *Plan, geo []int64) []int64 {
	out := slices.Clone(geo)
	if len(s.NamedAccounts) == 0 {
		return out
	}
	for i := range p.Accounts {
		if id, ok := s.NamedAccounts[p.Accounts[i].ID]; ok {
			out[i] = id
		}
	}
	return out
}

// GeographicTerritories returns, for each account of p in order, the
// territory its geography gives it in s (drawn boundary, else unit),
// ignoring named-account overrides; 0 for white space. Where it differs
// from [Scenario.AccountTerritories], the account is a named account
// taken from that territory.
func (s *Scenario) GeographicTerritories(p *Plan) []int64 {
	ds := s.drawnBoundaries()
	out := make([]int64, len(p.Accounts))
	for i := range p.Accounts {
		out[i] = s.geoOwner(ds, &p.Accounts[i])
	}
	return out
}
