package planner

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Measure is a quantity that may be unknown: a county without a population
// estimate, or a hospital whose bed count is reported as -999. Unknown is not
// zero: sums skip unknown values and count them separately, and the GUI and
// the workbook show "no data".
type Measure struct {
	Value float64 // meaningful only when Known
	Known bool
}

// Known returns a known Measure of v.
func Known(v float64) Measure { return Measure{Value: v, Known: true} }

// Unknown is the Measure with no data.
var Unknown = Measure{}

// String formats the value with no decimals, or "no data".
func (m Measure) String() string {
	if !m.Known {
		return "no data"
	}
	return fmt.Sprintf("%.0f", m.Value)
}

// Plan is everything one .meridian file holds: a geography layer of units,
// the accounts located in them, the reps, and one or more scenarios, each
// with its own territories and alignment. A plan is a value loaded whole into
// memory; planner/sqlite persists it and its edits.
type Plan struct {
	Name        string    // shown in the window title, e.g. "US Hospitals sample"
	Description string    // free text: where the data comes from, what it is for
	Created     time.Time // UTC, when the plan was first built
	Attribution string    // data sources and licences, one per line, shown in Help > About

	// UnitLevel and ParentLevel name the geography's levels in the field's
	// words, e.g. "County" and "State".
	UnitLevel   string
	ParentLevel string
	// PotentialName says what an account's potential measures, e.g. "Beds"
	// or "Annual revenue (USD)".
	PotentialName string
	// SegmentName says what Account.Segment holds in the source's words,
	// e.g. "Type" for the sample's hospital type; "" reads as "Segment".
	// Segment rules may name the field either way (see [ParseRule]).
	SegmentName string

	// Workload, when not nil, is the plan's workload model (visits and
	// travel per account), which makes QuantityWorkload available.
	Workload *WorkloadModel

	// Quota, when not nil, holds the plan's quota settings (fiscal year,
	// currency, company target, over-assignment, weights, limits, rounding
	// and season) from which the territories' quotas (Territory.Quota) were
	// last allocated; see [AllocateQuotas]. Nil when none were set.
	Quota *QuotaSettings

	Units    []GeographyUnit // the geography layer, in a stable order
	Borders  orb.MultiLineString
	Accounts []Account
	Reps     []Rep

	// CustomFields names the columns of imported files that fill no
	// Account field (a CRM's "Phone", "Status", ...), kept so that they can
	// be shown and exported. Account.Fields holds each account's values in
	// this order. Names are unique and not empty.
	CustomFields []CustomField

	// Segments are the plan's rule-based account segments, in the order
	// the user keeps them; empty when none.
	Segments []Segment

	Scenarios      []Scenario // at least one
	ActiveScenario int64      // ID of the scenario the user works in
}

// GeographyUnit is one building block of territories: a county, ZIP code or
// region. Geometry is in WGS84 degrees, lon/lat order, exterior rings counter-
// clockwise and holes clockwise.
type GeographyUnit struct {
	Code       string // unique in the plan, e.g. the 5-digit county FIPS "01001"
	Name       string // e.g. "Autauga"
	ParentCode string // the enclosing unit of the level above, e.g. state FIPS "01"
	ParentName string // e.g. "Alabama"
	Population Measure
	Geometry   orb.MultiPolygon
}

// Placement says how an account was located in a geography unit.
type Placement int

// The placements of an account, from best to worst.
const (
	// PlacedNone: the account has no usable location, or lies farther than
	// the snapping tolerance from every unit.
	PlacedNone Placement = iota
	// PlacedInside: the account's point is inside the unit's polygon.
	PlacedInside
	// PlacedNearest: the point lies just outside every unit (a coastline
	// generalised at 1:10m, for example) and was given to the nearest unit
	// within the snapping tolerance.
	PlacedNearest
)

// String returns "inside", "nearest" or "none".
func (p Placement) String() string {
	switch p {
	case PlacedInside:
		return "inside"
	case PlacedNearest:
		return "nearest"
	default:
		return "none"
	}
}

// Account is a customer or prospect, as the CRM exports it.
type Account struct {
	ID         int64  // plan-local identifier, > 0 and unique in the plan
	ExternalID string // the CRM's identifier; unique when not empty
	Name       string
	Address    string
	City       string
	State      string // state or province code as in the source, e.g. "CA"
	ZIP        string // postal code as text (leading zeros kept)
	// Location is the account's point in WGS84 degrees, lon/lat order;
	// meaningful only when HasLocation.
	Location    orb.Point
	HasLocation bool
	// Match says how Location was found: the file's own coordinates
	// (MatchPoint), the centre of its postal code or city (geocoded
	// offline), or MatchNone when it has no location.
	Match     MatchLevel
	Segment   string  // e.g. the hospital type "GENERAL ACUTE CARE"
	Owner     string  // ownership or account owner as in the source
	Potential Measure // in the plan's PotentialName unit (beds for the sample)

	UnitCode  string    // the unit that contains the account, "" when none
	Placement Placement // how UnitCode was found

	// Fields holds the account's custom field values, aligned with
	// Plan.CustomFields: Fields[i] is the value of Plan.CustomFields[i], ""
	// when empty. It is nil when the account has no custom value, else
	// exactly len(Plan.CustomFields) long.
	//
	// A slice aligned with the plan's field list rather than a map per
	// account, for a million accounts: a slice costs 24 bytes plus 16 per
	// value and no hashing, and the importer carves all accounts' slices
	// from a few large shared arrays; a map[string]string would cost a
	// hash table per account (several hundred bytes and one allocation or
	// more each).
	Fields []string
}

// CustomField is one custom field of a plan's accounts (see
// Plan.CustomFields).
type CustomField struct {
	Name string // the column name in the imported file, e.g. "Phone"
	// Numeric is true when every non-empty value is a finite decimal number
	// as strconv.ParseFloat reads it ("1234.5", "-3", "1e6"): such a field
	// is sorted and exported as numbers. Otherwise values are text.
	Numeric bool
}

// Field returns the value of the custom field named name for account a of
// plan p, and whether p has such a field; "" when the account has no value.
func (p *Plan) Field(a *Account, name string) (string, bool) {
	for i := range p.CustomFields {
		if p.CustomFields[i].Name == name {
			if i < len(a.Fields) {
				return a.Fields[i], true
			}
			return "", true
		}
	}
	return "", false
}

// Rep is a sales representative who can cover territories: one line of the
// plan's rep roster.
type Rep struct {
	ID      int64 // > 0, unique in the plan
	Name    string
	Email   string
	Role    string // job title as the roster gives it, e.g. "Account Executive"
	Manager string // the manager's name, "" when none; managers' quotas roll up by it
	// HomeBase is where the rep's trips start and end, in WGS84 degrees,
	// lon/lat order; meaningful only when HasHome. Travel in the workload
	// model is measured from it (see [AccountWorkload]).
	HomeBase orb.Point
	HasHome  bool
	// HomeZIP is the home base's postal code as text (leading zeros kept),
	// "" when unknown; the roster's geocoder turns it into HomeBase.
	HomeZIP string
	// Start is the rep's start date (UTC midnight), zero when unknown or
	// before the plan year; quota ramps for new reps count from it.
	Start time.Time
	// CapacityHours is how many hours a year the rep can spend on visits
	// and travel; 0 means the workload model's default
	// (WorkloadModel.DefaultCapacityHours).
	CapacityHours float64
	// AnnualCost is the rep's fully loaded cost per year in the plan's
	// currency (salary, benefits, expenses); 0 when not given.
	AnnualCost float64
}

// Capacity returns the rep's capacity in hours per year: CapacityHours,
// or def when that is 0 (the model's default).
func (r *Rep) Capacity(def float64) float64 {
	if r.CapacityHours > 0 {
		return r.CapacityHours
	}
	return def
}

// Territory is a named group of units in one scenario, covered by a rep.
type Territory struct {
	ID    int64  // > 0, unique in the plan (across scenarios)
	Name  string // unique in its scenario
	Color string // fill colour on the map, "#RRGGBB"
	// Reps says who covers the territory: one rep with 100%, several reps
	// whose shares sum to 100%, or vacancies ("TBH", RepID 0) among them.
	// Empty when nobody is planned for it. A rep may cover several
	// territories.
	Reps []Assignment
	// RegionID is the region of the scenario (Scenario.Regions) the
	// territory reports to, 0 when none.
	RegionID int64
	// Capacity is how many reps' worth of work the territory is planned
	// for (e.g. 1.5), used for capacity-based balance targets; 0 means 1
	// (see [Territory.CapacityOf]).
	Capacity float64
	// Boundary is a boundary drawn by hand (WGS84 degrees, lon/lat order):
	// an outer ring and optional holes, each closed (first point repeated
	// last), at least 4 points per ring. Accounts located inside it belong
	// to this territory whatever their unit (see [Scenario.AccountTerritory]).
	// Empty (nil) when the territory is made of units only.
	Boundary orb.Polygon
	// Quota is the territory's annual quota in the plan's currency
	// (QuotaSettings.Currency), finite and 0 or more when Known; Unknown
	// when no quota is set. [AllocateQuotas] computes it.
	Quota Measure
	// QuotaOverride is true when Quota was set by hand (bottom-up): a new
	// allocation keeps it, and the gap it leaves is shown (see
	// [QuotaInputs] and [SpreadGap]).
	QuotaOverride bool
}

// Assignment is one line of a territory's coverage: a rep and the share of
// the territory's work and quota they carry, or a vacancy to be hired.
type Assignment struct {
	// RepID is the rep (Plan.Reps); 0 means a vacancy, shown as "TBH" (to
	// be hired).
	RepID int64
	// Share is the percentage of the territory this line carries, in
	// (0, 100]; a territory's shares sum to 100.
	Share float64
	// PlannedStart is a vacancy's planned start date (UTC midnight), from
	// which its quota ramps; zero when not known (full year). For a named
	// rep it is zero: the rep's own Start counts.
	PlannedStart time.Time
}

// Vacancy reports whether the assignment is a vacancy (RepID 0).
func (a Assignment) Vacancy() bool { return a.RepID == 0 }

// shareTolerance is how far from 100 a territory's shares may add up, in
// percentage points (floating-point noise from splits like 33.33/33.33/
// 33.34 typed by hand is larger, and is refused).
const shareTolerance = 1e-6

// LeadRep returns the ID of the named rep with the largest share of the
// territory (the first one on a tie), or 0 when it has no named rep. The
// lead rep's home base is where the territory's travel starts (see
// [TerritoryWorkload]).
func (t *Territory) LeadRep() int64 {
	var id int64
	best := 0.0
	for _, a := range t.Reps {
		if a.RepID != 0 && a.Share > best {
			id, best = a.RepID, a.Share
		}
	}
	return id
}

// Covers returns the share in percent (0 to 100) of the territory that rep
// repID carries, 0 when none.
func (t *Territory) Covers(repID int64) float64 {
	sum := 0.0
	for _, a := range t.Reps {
		if a.RepID == repID && repID != 0 {
			sum += a.Share
		}
	}
	return sum
}

// RepNames returns who covers territory t in words: "" when nobody, the
// rep's name for one rep at 100%, else each line with its share in the
// order given, e.g. "Ann Lee 60%, TBH 40%" ("TBH" for a vacancy, with
// "from 2027-05-01" when it has a planned start).
func (p *Plan) RepNames(t *Territory) string {
	parts := make([]string, 0, len(t.Reps))
	for _, a := range t.Reps {
		name := "TBH"
		if a.RepID != 0 {
			name = fmt.Sprintf("rep %d", a.RepID)
			if r := p.Rep(a.RepID); r != nil {
				name = r.Name
			}
		} else if !a.PlannedStart.IsZero() {
			name += " from " + a.PlannedStart.Format("2006-01-02")
		}
		if len(t.Reps) > 1 || a.Share != 100 {
			name += " " + trimFloat(a.Share) + "%"
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ", ")
}

// Region is a node of a scenario's territory hierarchy above territories
// (for example a sales region over its territories): quotas and capacity
// roll up to it. Regions may nest through ParentID.
type Region struct {
	ID       int64  // > 0, unique in the scenario
	Name     string // unique in the scenario, e.g. "Northeast"
	ParentID int64  // the enclosing region, 0 for a top-level region
	// OverAssignPct is the region's over-assignment in percent: its
	// children's quotas sum to its quota × (1 + OverAssignPct/100); 0 when
	// none (see [RollUp]).
	OverAssignPct float64
}

// Scenario is one version of the territory design: its territories and the
// alignment of units to them. Scenarios let planners compare drafts without
// touching the alignment in use.
type Scenario struct {
	ID          int64 // > 0, unique in the plan
	Name        string
	Territories []Territory
	// Alignment maps a unit code to the ID of its territory. Units absent
	// from the map are unassigned (white space).
	Alignment map[string]int64
	// Regions is the scenario's hierarchy above territories (see
	// Territory.RegionID); empty when it has none.
	Regions []Region
	// Levels names the hierarchy's levels from the top down, the last
	// being the territories' own level, e.g. Region > Area > Territory
	// (DefaultLevels); a region at depth d (0 for a top-level region) is
	// of level Levels[d]. Empty means DefaultLevels. At most MaxLevels
	// names, none empty.
	Levels []string
	// NamedAccounts maps an account ID to the territory that owns it
	// whatever its geography (a named-account override): it wins over
	// drawn boundaries and over the account's unit (see
	// [Scenario.AccountTerritories]). Nil or empty when none.
	NamedAccounts map[int64]int64
}

// DefaultLevels are the hierarchy levels of a scenario that names none.
var DefaultLevels = []string{"Region", "Area", "Territory"}

// MaxLevels is the deepest hierarchy a scenario may have, territories
// included: five levels of regions above the territories.
const MaxLevels = 6

// LevelNames returns the scenario's level names from the top down, the
// last being the territories' level: s.Levels, or DefaultLevels when it
// names none. When the scenario's regions nest deeper than the names
// reach, the missing levels are called "Level 1", "Level 2", ... from the
// top.
func (s *Scenario) LevelNames() []string {
	names := s.Levels
	if len(names) == 0 {
		names = DefaultLevels
	}
	depth := 0
	for i := range s.Regions {
		depth = max(depth, s.RegionDepth(s.Regions[i].ID)+1)
	}
	if depth+1 <= len(names) {
		return append([]string(nil), names...)
	}
	out := make([]string, 0, depth+1)
	for i := 0; i < depth; i++ {
		if i < len(names)-1 {
			out = append(out, names[i])
		} else {
			out = append(out, fmt.Sprintf("Level %d", i+1))
		}
	}
	return append(out, names[len(names)-1])
}

// RegionDepth returns how many regions lie above region id (0 for a
// top-level region), or -1 when the scenario has no such region. A cycle
// (refused by CheckRegions) stops the count at len(s.Regions).
func (s *Scenario) RegionDepth(id int64) int {
	g := s.Region(id)
	if g == nil {
		return -1
	}
	d := 0
	for g.ParentID != 0 && d < len(s.Regions) {
		if g = s.Region(g.ParentID); g == nil {
			break
		}
		d++
	}
	return d
}

// Region returns the region of the scenario with the given ID, or nil.
func (s *Scenario) Region(id int64) *Region {
	for i := range s.Regions {
		if s.Regions[i].ID == id {
			return &s.Regions[i]
		}
	}
	return nil
}

// Scenario returns the scenario with the given ID, or nil.
func (p *Plan) Scenario(id int64) *Scenario {
	for i := range p.Scenarios {
		if p.Scenarios[i].ID == id {
			return &p.Scenarios[i]
		}
	}
	return nil
}

// Active returns the active scenario, or the first one when ActiveScenario
// names none; nil when the plan has no scenario.
func (p *Plan) Active() *Scenario {
	if s := p.Scenario(p.ActiveScenario); s != nil {
		return s
	}
	if len(p.Scenarios) > 0 {
		return &p.Scenarios[0]
	}
	return nil
}

// Territory returns the territory with the given ID in the scenario, or nil.
func (s *Scenario) Territory(id int64) *Territory {
	for i := range s.Territories {
		if s.Territories[i].ID == id {
			return &s.Territories[i]
		}
	}
	return nil
}

// Rep returns the rep with the given ID, or nil.
func (p *Plan) Rep(id int64) *Rep {
	for i := range p.Reps {
		if p.Reps[i].ID == id {
			return &p.Reps[i]
		}
	}
	return nil
}

// UnitIndex returns a map from unit code to the unit's index in p.Units.
func (p *Plan) UnitIndex() map[string]int {
	m := make(map[string]int, len(p.Units))
	for i := range p.Units {
		m[p.Units[i].Code] = i
	}
	return m
}

// Validate checks the plan's integrity: non-empty name, unique non-empty
// unit codes, unique IDs, account units and alignments that refer to
// existing units and territories, a placement that agrees with the account's
// unit, finite numbers, custom fields with unique non-empty names whose
// values line up with them (Account.Fields nil or len(Plan.CustomFields)
// long; numeric fields holding numbers or ""), reps whose home base (when
// HasHome) is a valid lon/lat position and whose capacity (hours) and annual
// cost (currency) are finite and 0 or more, territory quotas (currency)
// that are finite and 0 or more when known, quota settings that pass
// [QuotaSettings.Validate] when set, at least one scenario, and an
// active scenario (when not 0) that exists.
// It returns an *Error with code EINVALID that names the first problem.
func (p *Plan) Validate() error {
	if p.Workload != nil {
		if err := p.Workload.Validate(); err != nil {
			return err
		}
	}
	if p.Name == "" {
		return Errorf(EINVALID, "The plan has no name")
	}
	if p.Quota != nil {
		if err := p.Quota.Validate(); err != nil {
			return err
		}
	}
	units := make(map[string]bool, len(p.Units))
	for i, u := range p.Units {
		switch {
		case u.Code == "":
			return Errorf(EINVALID, "Geography unit %d has no code", i+1)
		case units[u.Code]:
			return Errorf(EINVALID, "Geography unit code %q appears twice", u.Code)
		case u.Population.Known && (math.IsNaN(u.Population.Value) || math.IsInf(u.Population.Value, 0)):
			return Errorf(EINVALID, "Geography unit %q has an invalid population", u.Code)
		}
		units[u.Code] = true
	}
	fieldNames := make(map[string]bool, len(p.CustomFields))
	var numeric []int // indices of the numeric custom fields
	for i, f := range p.CustomFields {
		switch {
		case strings.TrimSpace(f.Name) == "":
			return Errorf(EINVALID, "Custom field %d has no name", i+1)
		case fieldNames[f.Name]:
			return Errorf(EINVALID, "Custom field %q appears twice", f.Name)
		}
		fieldNames[f.Name] = true
		if f.Numeric {
			numeric = append(numeric, i)
		}
	}
	// IDs: in increasing order (as WithImport and the sample number them)
	// no set is needed; otherwise a map. External IDs: sorted hashes (see
	// sortHashed), since a million-entry map is slow.
	var ids map[int64]bool
	var ext []hashed
	var last int64
	for i := range p.Accounts {
		a := &p.Accounts[i]
		switch {
		case a.ID <= 0:
			return Errorf(EINVALID, "Account %d (%q) has a missing or duplicate ID %d", i+1, a.Name, a.ID)
		case ids == nil && a.ID > last:
			last = a.ID
		default:
			if ids == nil {
				ids = make(map[int64]bool, len(p.Accounts))
				for _, b := range p.Accounts[:i] {
					ids[b.ID] = true
				}
			}
			if ids[a.ID] {
				return Errorf(EINVALID, "Account %d (%q) has a missing or duplicate ID %d", i+1, a.Name, a.ID)
			}
		}
		if ids != nil {
			ids[a.ID] = true
		}
		if a.ExternalID != "" {
			ext = append(ext, hashed{hashString(a.ExternalID), int32(i)})
		}
		switch {
		case a.UnitCode != "" && !units[a.UnitCode]:
			return Errorf(EINVALID, "Account %q is in unit %q, which the plan does not have", a.Name, a.UnitCode)
		case a.HasLocation && !ValidLonLat(a.Location):
			return Errorf(EINVALID, "Account %q has an invalid location %v", a.Name, a.Location)
		case a.Match > MatchPoint || (!a.HasLocation && a.Match != MatchNone):
			return Errorf(EINVALID, "Account %q has match level %d without a matching location", a.Name, a.Match)
		case a.Potential.Known && (math.IsNaN(a.Potential.Value) || math.IsInf(a.Potential.Value, 0)):
			return Errorf(EINVALID, "Account %q has an invalid potential", a.Name)
		case a.Placement < PlacedNone || a.Placement > PlacedNearest || (a.UnitCode == "") != (a.Placement == PlacedNone):
			return Errorf(EINVALID, "Account %q has placement %q with unit %q", a.Name, a.Placement, a.UnitCode)
		case a.Fields != nil && len(a.Fields) != len(p.CustomFields):
			return Errorf(EINVALID, "Account %q has %d custom field values; the plan has %d custom fields", a.Name, len(a.Fields), len(p.CustomFields))
		}
		if a.Fields != nil {
			for _, k := range numeric {
				if v := a.Fields[k]; v != "" && !isNumber(v) {
					return Errorf(EINVALID, "Account %q has %q in the numeric custom field %q", a.Name, v, p.CustomFields[k].Name)
				}
			}
		}
	}
	if len(p.Accounts) > math.MaxInt32 {
		return Errorf(EINVALID, "The plan has more than %d accounts", math.MaxInt32)
	}
	sortHashed(ext)
	dup := ""
	equalRuns(ext, func(i, j int32) bool {
		if p.Accounts[i].ExternalID != p.Accounts[j].ExternalID {
			return false
		}
		if dup == "" {
			dup = p.Accounts[i].ExternalID
		}
		return true
	})
	if dup != "" {
		return Errorf(EINVALID, "Account external ID %q appears twice", dup)
	}
	reps := map[int64]bool{}
	for _, r := range p.Reps {
		if r.ID <= 0 || reps[r.ID] {
			return Errorf(EINVALID, "Rep %q has a missing or duplicate ID %d", r.Name, r.ID)
		}
		if err := CheckRep(&r); err != nil {
			return err
		}
		reps[r.ID] = true
	}
	if err := checkSegments(p, reps); err != nil {
		return err
	}
	if len(p.Scenarios) == 0 {
		return Errorf(EINVALID, "The plan has no scenario")
	}
	if p.ActiveScenario != 0 && p.Scenario(p.ActiveScenario) == nil {
		return Errorf(EINVALID, "The active scenario %d is not in the plan", p.ActiveScenario)
	}
	scen := map[int64]bool{}
	terr := map[int64]bool{}
	for _, s := range p.Scenarios {
		if s.ID <= 0 || scen[s.ID] {
			return Errorf(EINVALID, "Scenario %q has a missing or duplicate ID %d", s.Name, s.ID)
		}
		scen[s.ID] = true
		names := map[string]bool{}
		own := map[int64]bool{}
		for _, t := range s.Territories {
			switch {
			case t.ID <= 0 || terr[t.ID]:
				return Errorf(EINVALID, "Territory %q has a missing or duplicate ID %d", t.Name, t.ID)
			case strings.TrimSpace(t.Name) == "" || names[t.Name]:
				return Errorf(EINVALID, "Scenario %q has an empty or duplicate territory name %q", s.Name, t.Name)
			case t.RegionID != 0 && s.Region(t.RegionID) == nil:
				return Errorf(EINVALID, "Territory %q is in region %d, which scenario %q does not have", t.Name, t.RegionID, s.Name)
			case !(t.Capacity >= 0) || math.IsInf(t.Capacity, 0):
				return Errorf(EINVALID, "Territory %q has capacity %v; it must be a number of reps, 0 or more", t.Name, t.Capacity)
			case t.Quota.Known && (!(t.Quota.Value >= 0) || t.Quota.Value > MaxAmount):
				return Errorf(EINVALID, "Territory %q has quota %v; it must be an amount from 0 to %g", t.Name, t.Quota.Value, MaxAmount)
			}
			if err := CheckBoundary(t.Boundary); err != nil {
				return Errorf(EINVALID, "Territory %q: %s", t.Name, ErrorMessage(err))
			}
			if err := checkAssignments(p, &t, reps); err != nil {
				return err
			}
			terr[t.ID], names[t.Name], own[t.ID] = true, true, true
		}
		if err := CheckRegions(&s); err != nil {
			return err
		}
		if err := CheckLevels(&s); err != nil {
			return err
		}
		for aid, tid := range s.NamedAccounts {
			if !own[tid] {
				return Errorf(EINVALID, "Scenario %q names account %d to territory %d, which is not in that scenario", s.Name, aid, tid)
			}
			if !accountExists(p, aid, ids) {
				return Errorf(EINVALID, "Scenario %q names account %d, which the plan does not have", s.Name, aid)
			}
		}
		for code, tid := range s.Alignment {
			if !units[code] {
				return Errorf(EINVALID, "Scenario %q aligns unit %q, which the plan does not have", s.Name, code)
			}
			if !own[tid] {
				return Errorf(EINVALID, "Scenario %q aligns unit %q to territory %d, which is not in that scenario", s.Name, code, tid)
			}
		}
	}
	return nil
}

// accountExists reports whether the plan has an account with the given ID;
// ids is Validate's ID set, nil when the IDs are increasing (then a binary
// search finds it).
func accountExists(p *Plan, id int64, ids map[int64]bool) bool {
	if ids != nil {
		return ids[id]
	}
	i := sort.Search(len(p.Accounts), func(i int) bool { return p.Accounts[i].ID >= id })
	return i < len(p.Accounts) && p.Accounts[i].ID == id
}

// CheckLevels checks a scenario's level names: at most MaxLevels, none
// empty or repeated (case-insensitive), and no region nested deeper than
// the levels allow (a region at depth d needs d+2 levels: its own and the
// territories'). It returns an *Error with code EINVALID.
func CheckLevels(s *Scenario) error {
	if len(s.Levels) > MaxLevels {
		return Errorf(EINVALID, "Scenario %q has %d hierarchy levels; at most %d are allowed", s.Name, len(s.Levels), MaxLevels)
	}
	if len(s.Levels) == 1 {
		return Errorf(EINVALID, "Scenario %q names one hierarchy level; name at least two (regions and territories)", s.Name)
	}
	for i, l := range s.Levels {
		if strings.TrimSpace(l) == "" {
			return Errorf(EINVALID, "Scenario %q: hierarchy level %d has no name", s.Name, i+1)
		}
		for _, m := range s.Levels[:i] {
			if SameScenarioName(l, m) {
				return Errorf(EINVALID, "Scenario %q: the hierarchy level %q appears twice", s.Name, l)
			}
		}
	}
	levels := len(s.Levels)
	if levels == 0 {
		levels = MaxLevels // unnamed levels are numbered
	}
	for i := range s.Regions {
		if d := s.RegionDepth(s.Regions[i].ID); d+2 > levels {
			return Errorf(EINVALID, "Region %q of scenario %q is %d levels deep; the hierarchy has %d levels", s.Regions[i].Name, s.Name, d+1, levels)
		}
	}
	return nil
}

// checkSegments checks the plan's segments: positive unique IDs, unique
// non-empty names, rules that parse, tierings with 1 to MaxTiers uniquely
// named tiers and finite values (quantile shares from 0 to 100 summing to
// at most 100; thresholds decreasing), overlay reps that exist.
func checkSegments(p *Plan, reps map[int64]bool) error {
	ids := map[int64]bool{}
	for i := range p.Segments {
		g := &p.Segments[i]
		if g.ID <= 0 || ids[g.ID] {
			return Errorf(EINVALID, "Segment %q has a missing or duplicate ID %d", g.Name, g.ID)
		}
		ids[g.ID] = true
		if strings.TrimSpace(g.Name) == "" {
			return Errorf(EINVALID, "Segment %d has no name", g.ID)
		}
		for _, h := range p.Segments[:i] {
			if SameScenarioName(g.Name, h.Name) {
				return Errorf(EINVALID, "Two segments are called %q", g.Name)
			}
		}
		if _, err := ParseRule(g.Rule); err != nil {
			return Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
		}
		if err := CheckTiering(g.Tiers); err != nil {
			return Errorf(EINVALID, "Segment %q: %s", g.Name, ErrorMessage(err))
		}
		for _, id := range g.OverlayReps {
			if !reps[id] {
				return Errorf(EINVALID, "Segment %q's overlay team names rep %d, which the plan does not have", g.Name, id)
			}
		}
	}
	return nil
}

// checkAssignments checks a territory's reps: known reps, each once,
// shares in (0, 100] summing to 100, planned starts only for vacancies.
// It returns an *Error with code EINVALID.
func checkAssignments(p *Plan, t *Territory, reps map[int64]bool) error {
	seen := map[int64]bool{}
	sum := 0.0
	for _, a := range t.Reps {
		who := "a vacancy (TBH)"
		if a.RepID != 0 {
			if r := p.Rep(a.RepID); r != nil {
				who = fmt.Sprintf("rep %q", r.Name)
			} else {
				who = fmt.Sprintf("rep %d", a.RepID)
			}
		}
		switch {
		case a.RepID < 0 || (a.RepID != 0 && !reps[a.RepID]):
			return Errorf(EINVALID, "Territory %q names rep %d, which the plan does not have", t.Name, a.RepID)
		case a.RepID != 0 && seen[a.RepID]:
			return Errorf(EINVALID, "Territory %q lists %s twice", t.Name, who)
		case !(a.Share > 0) || a.Share > 100:
			return Errorf(EINVALID, "Territory %q gives %s a share of %s%%; a share is more than 0%% and at most 100%%", t.Name, who, trimFloat(a.Share))
		case a.RepID != 0 && !a.PlannedStart.IsZero():
			return Errorf(EINVALID, "Territory %q gives %s a planned start; only a vacancy has one (a rep's start date is on the roster)", t.Name, who)
		}
		seen[a.RepID] = a.RepID != 0
		sum += a.Share
	}
	if len(t.Reps) > 0 && math.Abs(sum-100) > shareTolerance {
		return Errorf(EINVALID, "The shares of territory %q add up to %s%%, not 100%%", t.Name, trimFloat(sum))
	}
	return nil
}

// CheckRegions checks a scenario's regions (Scenario.Regions): IDs > 0 and
// names unique, parents known, no loop, over-assignment finite and above
// -100%. It returns an *Error with code EINVALID naming the first fault.
func CheckRegions(s *Scenario) error {
	ids := map[int64]bool{}
	names := map[string]bool{}
	for _, r := range s.Regions {
		switch {
		case r.ID <= 0 || ids[r.ID]:
			return Errorf(EINVALID, "Region %q of scenario %q has a missing or duplicate ID %d", r.Name, s.Name, r.ID)
		case strings.TrimSpace(r.Name) == "" || names[r.Name]:
			return Errorf(EINVALID, "Scenario %q has an empty or duplicate region name %q", s.Name, r.Name)
		case math.IsNaN(r.OverAssignPct) || math.IsInf(r.OverAssignPct, 0) || r.OverAssignPct <= -100:
			return Errorf(EINVALID, "Region %q has an over-assignment of %g%%; it must be more than -100%%", r.Name, r.OverAssignPct)
		}
		ids[r.ID], names[r.Name] = true, true
	}
	for _, r := range s.Regions {
		at, steps := r, 0
		for at.ParentID != 0 {
			up := s.Region(at.ParentID)
			if up == nil {
				return Errorf(EINVALID, "Region %q is under region %d, which scenario %q does not have", at.Name, at.ParentID, s.Name)
			}
			if steps++; steps > len(s.Regions) {
				return Errorf(EINVALID, "The regions of scenario %q loop: %q is among its own parents", s.Name, r.Name)
			}
			at = *up
		}
	}
	return nil
}

// CheckRep checks a rep's home base (valid WGS84 lon/lat), capacity (0 to
// HoursPerYear hours a year) and annual cost (0 or more); it returns an
// *Error with code EINVALID naming the rep.
func CheckRep(r *Rep) error {
	switch {
	case r.HasHome && !ValidLonLat(r.HomeBase):
		return Errorf(EINVALID, "Rep %q has an invalid home base %v; it must be a longitude in [-180, 180] and a latitude in [-90, 90] degrees", r.Name, r.HomeBase)
	case !(r.CapacityHours >= 0) || r.CapacityHours > HoursPerYear:
		return Errorf(EINVALID, "Rep %q has capacity %v; it must be a number of hours per year from 0 (the plan's default) to %d", r.Name, r.CapacityHours, HoursPerYear)
	case !(r.AnnualCost >= 0) || math.IsInf(r.AnnualCost, 0):
		return Errorf(EINVALID, "Rep %q has annual cost %v; it must be an amount, 0 or more", r.Name, r.AnnualCost)
	}
	return nil
}

// CheckBoundary checks the form of a drawn territory boundary (see
// [Territory.Boundary]): every ring closed, with at least 4 points, at valid
// WGS84 positions. An empty boundary is valid. Self-intersection is checked
// by the editor (geo.ValidateRing) before a boundary is stored. It returns
// a *Error with code EINVALID.
func CheckBoundary(b orb.Polygon) error {
	for i, r := range b {
		switch {
		case len(r) < 4:
			return Errorf(EINVALID, "the drawn boundary has a ring %d with %d points; a ring needs at least 4", i+1, len(r))
		case !r.Closed():
			return Errorf(EINVALID, "the drawn boundary has a ring %d that is not closed", i+1)
		}
		for _, p := range r {
			if !ValidLonLat(p) {
				return Errorf(EINVALID, "the drawn boundary has an invalid position %v", p)
			}
		}
	}
	return nil
}

// ValidLonLat reports whether p is a finite WGS84 position: longitude in
// [-180, 180] and latitude in [-90, 90] degrees.
func ValidLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// TerritoryByName returns the territory named name in the scenario, or nil.
func (s *Scenario) TerritoryByName(name string) *Territory {
	for i := range s.Territories {
		if s.Territories[i].Name == name {
			return &s.Territories[i]
		}
	}
	return nil
}

// isNumber reports whether s is a finite number as strconv.ParseFloat reads
// it, in decimal (not "Inf", "NaN" or hexadecimal).
func isNumber(s string) bool {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 'x' || c == 'X' || c == 'n' || c == 'N' || c == 'i' || c == 'I' || c == '_' {
			return false
		}
	}
	return true
}
