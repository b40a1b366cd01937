package planner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// CoverageReport lists the gaps and overlaps in a scenario's coverage of
// the plan: white space (units and accounts no territory covers), accounts
// in no unit, territories nobody covers, accounts claimed by two
// territories, the named-account overrides, and how the overlay teams
// cover their segments. Every entry carries what a user interface needs
// to find it on the map: a unit's index in Plan.Units, an account's index
// in Plan.Accounts and its location. [BuildCoverage] makes one.
type CoverageReport struct {
	ScenarioID   int64
	ScenarioName string

	// UnassignedUnits are the units aligned to no territory of the
	// scenario (white space), by ParentName, then Name, then Code.
	UnassignedUnits []CoverageUnit
	// WhiteSpaceAccounts are the accounts in an unassigned unit that no
	// territory owns (territory 0 by [Scenario.AccountTerritories]), in
	// Plan.Accounts order. Accounts in no unit are listed in
	// AccountsWithoutLocation and AccountsOutsideUnits instead.
	WhiteSpaceAccounts []CoverageAccount
	// AccountsWithoutLocation are the accounts in no unit (UnitCode "")
	// because they have no location (HasLocation false); AccountsOutsideUnits
	// those in no unit although located (farther than the snapping
	// tolerance from every unit). Both in Plan.Accounts order; an entry's
	// Territory is not 0 when a named override or (for located ones) a
	// drawn boundary gives it a territory anyway.
	AccountsWithoutLocation []CoverageAccount
	AccountsOutsideUnits    []CoverageAccount
	// TerritoriesWithoutRep are the territories with no named rep: nobody
	// at all, or vacancies (TBH) only; in scenario order.
	TerritoriesWithoutRep []CoverageTerritory
	// MultiClaimed are the accounts that two or more territories of the
	// scenario claim by geography: inside two or more drawn boundaries, or
	// inside the drawn boundary of one territory while their unit is
	// aligned to another; in Plan.Accounts order.
	MultiClaimed []MultiClaim
	// NamedAccounts are the scenario's named-account overrides
	// (Scenario.NamedAccounts), in Plan.Accounts order.
	NamedAccounts []NamedAccountCoverage
	// Overlays describe the plan's segments that have an overlay team
	// (Segment.OverlayTeam not ""), in Plan.Segments order.
	Overlays []OverlayCoverage

	// WhiteSpace sums the white space as [ComputeMetrics] does: the
	// unassigned units, and every account no territory owns (in those
	// units or in no unit). Potential is in the plan's PotentialName unit.
	WhiteSpace Totals
	// Total sums every unit and account of the plan.
	Total Totals
	// Unlocated counts the accounts in no unit:
	// len(AccountsWithoutLocation) + len(AccountsOutsideUnits).
	Unlocated int
}

// WhiteSpacePotentialShare returns the white space's share of the plan's
// known potential, from 0 to 1; 0 when the plan has no potential.
func (r *CoverageReport) WhiteSpacePotentialShare() float64 {
	if r.Total.Potential == 0 {
		return 0
	}
	return r.WhiteSpace.Potential / r.Total.Potential
}

// CoverageUnit is one unit of a CoverageReport.
type CoverageUnit struct {
	Index      int    // in Plan.Units
	Code       string // e.g. the county FIPS "72001"
	Name       string // e.g. "Adjuntas"
	ParentName string // e.g. "Puerto Rico"
	Population Measure
	// Accounts counts the unit's accounts (Account.UnitCode) that no
	// territory owns, and Potential sums their known potential (the plan's
	// PotentialName unit); PotentialMissing counts those with unknown
	// potential.
	Accounts         int
	Potential        float64
	PotentialMissing int
	// Covered counts the unit's accounts that a territory owns anyway, by
	// a named override or a drawn boundary.
	Covered int
	// Bound is the unit's bounding box in WGS84 degrees, lon/lat order.
	Bound orb.Bound
}

// CoverageAccount is one account of a CoverageReport.
type CoverageAccount struct {
	Index      int   // in Plan.Accounts
	ID         int64 // Account.ID
	ExternalID string
	Name       string
	City       string
	State      string
	// Location is in WGS84 degrees, lon/lat order; meaningful only when
	// HasLocation.
	Location    orb.Point
	HasLocation bool
	UnitCode    string // "" when in no unit
	Potential   Measure
	// Territory is the ID of the territory that owns the account in the
	// scenario ([Scenario.AccountTerritories]), 0 for white space.
	Territory int64
}

// RepGap says why a territory has no named rep.
type RepGap int

const (
	// NoRep: the territory has no Assignment at all.
	NoRep RepGap = iota + 1
	// VacanciesOnly: every Assignment of the territory is a vacancy (TBH).
	VacanciesOnly
)

// String returns "no rep" or "vacancies only".
func (g RepGap) String() string {
	if g == VacanciesOnly {
		return "vacancies only"
	}
	return "no rep"
}

// CoverageTerritory is a territory without a named rep.
type CoverageTerritory struct {
	Index     int   // in Scenario.Territories
	ID        int64 // Territory.ID
	Name      string
	Gap       RepGap
	Vacancies int // number of vacancy (TBH) lines
	// Units counts the units aligned to it; Accounts and Potential (the
	// plan's PotentialName unit, known values) its accounts by
	// [Scenario.AccountTerritories].
	Units     int
	Accounts  int
	Potential float64
}

// MultiClaim is an account that several territories claim by geography.
type MultiClaim struct {
	Account CoverageAccount
	// Claims are the IDs of the claiming territories in the order they
	// take precedence: those whose drawn boundary contains the account, in
	// scenario order, then the territory of its unit when that is another.
	Claims []int64
	// ClaimNames are the claiming territories' names, aligned with Claims.
	ClaimNames []string
	// Winner is the territory that owns the account
	// (Account.Territory): the first claim, or the territory it is named to
	// when Named.
	Winner     int64
	WinnerName string
	Named      bool // a named-account override decides, not geography
}

// NamedAccountCoverage is one named-account override.
type NamedAccountCoverage struct {
	Account CoverageAccount // Account.Territory is the owner
	// Owner is the territory the account is named to; Geographic the one
	// its geography gives it ([Scenario.GeographicTerritories]), 0 for
	// white space. They may be equal (an override that changes nothing).
	Owner          int64
	OwnerName      string
	Geographic     int64
	GeographicName string // "" for white space
}

// OverlayCoverage is how an overlay team covers its segment.
type OverlayCoverage struct {
	SegmentID   int64
	SegmentName string
	Team        string   // Segment.OverlayTeam
	RepIDs      []int64  // Segment.OverlayReps
	RepNames    []string // the reps' names, aligned with RepIDs
	// Members counts the segment's accounts, Potential sums their known
	// potential (the plan's PotentialName unit).
	Members   int
	Potential float64
	// WithoutGeoRep counts the members whose territory in the scenario
	// (by [Scenario.AccountTerritories]) has no named rep, or who are in
	// white space: the overlay team is their only coverage.
	WithoutGeoRep int
	// Err is the reason the segment could not be evaluated (its rule names
	// a field the plan lacks, say), "" when it was; then the counts are 0.
	Err string
}

// BuildCoverage returns the coverage report of scenario s of plan p (see
// [CoverageReport]). Ownership is [Scenario.AccountTerritories]': named
// override, then drawn boundary (planar point-in-polygon on lon/lat
// degrees, as there), then unit. It never fails: a segment that cannot be
// evaluated is reported in its OverlayCoverage.Err. It runs in
// O(units + accounts × drawn boundaries + segments × accounts).
func BuildCoverage(p *Plan, s *Scenario) CoverageReport {
	r := CoverageReport{ScenarioID: s.ID, ScenarioName: s.Name}
	terr := make(map[int64]int, len(s.Territories)) // ID → index
	for i := range s.Territories {
		terr[s.Territories[i].ID] = i
	}
	name := func(id int64) string {
		if i, ok := terr[id]; ok {
			return s.Territories[i].Name
		}
		return ""
	}
	aligned := func(code string) int64 {
		if id, ok := s.Alignment[code]; ok {
			if _, ok := terr[id]; ok {
				return id
			}
		}
		return 0
	}
	geo := s.GeographicTerritories(p)
	owners := s.withNamed(p, geo) // Scenario.AccountTerritories, locating the accounts once

	// Units.
	unitRow := make(map[string]int) // unassigned unit code → row of UnassignedUnits
	unitsOf := make([]int, len(s.Territories))
	for i := range p.Units {
		u := &p.Units[i]
		r.Total.addUnit(u)
		id := aligned(u.Code)
		if id != 0 {
			unitsOf[terr[id]]++
			continue
		}
		r.WhiteSpace.addUnit(u)
		unitRow[u.Code] = len(r.UnassignedUnits)
		r.UnassignedUnits = append(r.UnassignedUnits, CoverageUnit{
			Index: i, Code: u.Code, Name: u.Name, ParentName: u.ParentName,
			Population: u.Population, Bound: u.Geometry.Bound(),
		})
	}

	// Accounts.
	ds := s.drawnBoundaries()
	accountsOf := make([]Totals, len(s.Territories))
	for i := range p.Accounts {
		a := &p.Accounts[i]
		r.Total.addAccount(a)
		owner := owners[i]
		if k, ok := terr[owner]; ok {
			accountsOf[k].addAccount(a)
		} else {
			owner = 0
			r.WhiteSpace.addAccount(a)
		}
		entry := func() CoverageAccount { return coverageAccount(i, a, owner) }
		switch {
		case a.UnitCode == "" && !a.HasLocation:
			r.AccountsWithoutLocation = append(r.AccountsWithoutLocation, entry())
		case a.UnitCode == "":
			r.AccountsOutsideUnits = append(r.AccountsOutsideUnits, entry())
		default:
			if k, ok := unitRow[a.UnitCode]; ok {
				cu := &r.UnassignedUnits[k]
				if owner != 0 {
					cu.Covered++
				} else {
					cu.Accounts++
					if a.Potential.Known {
						cu.Potential += a.Potential.Value
					} else {
						cu.PotentialMissing++
					}
					r.WhiteSpaceAccounts = append(r.WhiteSpaceAccounts, entry())
				}
			}
		}
		if len(ds) > 0 && a.HasLocation {
			claims := drawnClaims(ds, a)
			if u := aligned(a.UnitCode); u != 0 && len(claims) > 0 && !slices.Contains(claims, u) {
				claims = append(claims, u)
			}
			if len(claims) >= 2 {
				mc := MultiClaim{Account: entry(), Claims: claims, Winner: owner, WinnerName: name(owner)}
				mc.ClaimNames = make([]string, len(claims))
				for k, id := range claims {
					mc.ClaimNames[k] = name(id)
				}
				_, mc.Named = s.NamedAccounts[a.ID]
				r.MultiClaimed = append(r.MultiClaimed, mc)
			}
		}
		if tid, ok := s.NamedAccounts[a.ID]; ok {
			r.NamedAccounts = append(r.NamedAccounts, NamedAccountCoverage{
				Account: entry(), Owner: tid, OwnerName: name(tid),
				Geographic: geo[i], GeographicName: name(geo[i]),
			})
		}
	}
	r.Unlocated = len(r.AccountsWithoutLocation) + len(r.AccountsOutsideUnits)
	slices.SortStableFunc(r.UnassignedUnits, func(a, b CoverageUnit) int {
		if c := strings.Compare(a.ParentName, b.ParentName); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})

	// Territories without a named rep.
	noRep := make(map[int64]bool)
	for i := range s.Territories {
		t := &s.Territories[i]
		if t.LeadRep() != 0 {
			continue
		}
		noRep[t.ID] = true
		ct := CoverageTerritory{Index: i, ID: t.ID, Name: t.Name, Gap: NoRep, Vacancies: len(t.Reps),
			Units: unitsOf[i], Accounts: accountsOf[i].Accounts, Potential: accountsOf[i].Potential}
		if len(t.Reps) > 0 {
			ct.Gap = VacanciesOnly
		}
		r.TerritoriesWithoutRep = append(r.TerritoriesWithoutRep, ct)
	}

	// Overlay teams.
	for k := range p.Segments {
		g := &p.Segments[k]
		if g.OverlayTeam == "" {
			continue
		}
		oc := OverlayCoverage{SegmentID: g.ID, SegmentName: g.Name, Team: g.OverlayTeam,
			RepIDs: slices.Clone(g.OverlayReps), RepNames: overlayRepNames(p, g.OverlayReps)}
		mem, err := p.SegmentMembers(g)
		if err != nil {
			oc.Err = ErrorMessage(err)
			r.Overlays = append(r.Overlays, oc)
			continue
		}
		for i, in := range mem.In {
			if !in {
				continue
			}
			oc.Members++
			if a := &p.Accounts[i]; a.Potential.Known {
				oc.Potential += a.Potential.Value
			}
			if o := owners[i]; o == 0 || noRep[o] {
				oc.WithoutGeoRep++
			} else if _, ok := terr[o]; !ok {
				oc.WithoutGeoRep++
			}
		}
		r.Overlays = append(r.Overlays, oc)
	}
	return r
}

// coverageAccount returns the report entry of account a (index i) owned
// by territory owner.
func coverageAccount(i int, a *Account, owner int64) CoverageAccount {
	return CoverageAccount{Index: i, ID: a.ID, ExternalID: a.ExternalID, Name: a.Name, City: a.City, State: a.State,
		Location: a.Location, HasLocation: a.HasLocation, UnitCode: a.UnitCode, Potential: a.Potential, Territory: owner}
}

// drawnClaims returns the territories, in scenario order, whose drawn
// boundary contains a's location (see [drawnOwner], which stops at the
// first).
func drawnClaims(ds []drawn, a *Account) []int64 {
	var out []int64
	for i := range ds {
		if ds[i].bound.Contains(a.Location) && planar.PolygonContains(ds[i].poly, a.Location) {
			out = append(out, ds[i].id)
		}
	}
	return out
}

// overlayRepNames returns the names of reps ids, "rep N" for one the plan
// lacks.
func overlayRepNames(p *Plan, ids []int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if r := p.Rep(id); r != nil {
			out[i] = r.Name
		} else {
			out[i] = "rep " + strconv.FormatInt(id, 10)
		}
	}
	return out
}

// ParentCount is how many unassigned units one parent unit (a state, say)
// holds.
type ParentCount struct {
	Name  string // GeographyUnit.ParentName; "" for units with no parent
	Units int
}

// UnassignedByParent groups UnassignedUnits by ParentName: most units
// first, then by name.
func (r *CoverageReport) UnassignedByParent() []ParentCount {
	row := map[string]int{}
	var out []ParentCount
	for _, u := range r.UnassignedUnits {
		k, ok := row[u.ParentName]
		if !ok {
			k = len(out)
			row[u.ParentName] = k
			out = append(out, ParentCount{Name: u.ParentName})
		}
		out[k].Units++
	}
	slices.SortStableFunc(out, func(a, b ParentCount) int {
		if a.Units != b.Units {
			return b.Units - a.Units
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// Summary returns the report in one line of English, e.g. "White space:
// 89 units (Puerto Rico 78, Guam 4, …) and 80 accounts (1.2% of Beds); 1
// account in no unit; 9 territories without a rep; 0 accounts claimed
// twice; 0 named accounts". potentialName names the potential ("" reads as
// "potential"); the share has one decimal.
func (r *CoverageReport) Summary(potentialName string) string {
	if potentialName == "" {
		potentialName = "potential"
	}
	var b strings.Builder
	b.WriteString("White space: " + countOf(len(r.UnassignedUnits), "unit", "units"))
	if parents := r.UnassignedByParent(); len(parents) > 0 && !(len(parents) == 1 && parents[0].Name == "") {
		var parts []string
		for i, p := range parents {
			if i == 3 {
				parts = append(parts, "…")
				break
			}
			name := p.Name
			if name == "" {
				name = "no parent"
			}
			parts = append(parts, name+" "+strconv.Itoa(p.Units))
		}
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	fmt.Fprintf(&b, " and %s (%.1f%% of %s); %s in no unit; %s without a rep; %s claimed twice; %s",
		countOf(r.WhiteSpace.Accounts, "account", "accounts"), 100*r.WhiteSpacePotentialShare(), potentialName,
		countOf(r.Unlocated, "account", "accounts"),
		countOf(len(r.TerritoriesWithoutRep), "territory", "territories"),
		countOf(len(r.MultiClaimed), "account", "accounts"),
		countOf(len(r.NamedAccounts), "named account", "named accounts"))
	return b.String()
}

// countOf returns "1 unit" or "n units".
func countOf(n int, one, many string) string {
	return strconv.Itoa(n) + " " + plural(n, one, many)
}
