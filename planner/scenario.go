package planner

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxScenarioNameLen is the longest scenario name that [CleanScenarioName]
// accepts, in characters (Unicode code points), surrounding spaces excluded.
const MaxScenarioNameLen = 60

// CleanScenarioName returns name without its surrounding white space, the
// form in which a new or renamed scenario's name is stored. It returns a
// *Error with code EINVALID when that is empty or longer than
// [MaxScenarioNameLen] characters.
func CleanScenarioName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", Errorf(EINVALID, "A scenario needs a name")
	case n > MaxScenarioNameLen:
		return "", Errorf(EINVALID, "The scenario name %q is %d characters long; at most %d are allowed", name, n, MaxScenarioNameLen)
	}
	return name, nil
}

// SameScenarioName reports whether scenario names a and b are the same for
// the user: equal once surrounding white space is removed, ignoring case
// (Unicode simple case folding, [strings.EqualFold]). Two scenarios of a
// plan may not have the same name in this sense.
func SameScenarioName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// ScenarioNamed returns the scenario whose name is name in the sense of
// [SameScenarioName], or nil.
func (p *Plan) ScenarioNamed(name string) *Scenario {
	for i := range p.Scenarios {
		if SameScenarioName(p.Scenarios[i].Name, name) {
			return &p.Scenarios[i]
		}
	}
	return nil
}

// NextScenarioName returns the first of "<prefix> 1", "<prefix> 2", … that
// no scenario of p uses (in the sense of [SameScenarioName]), e.g.
// "Balanced draft 1". The prefix is trimmed of surrounding white space;
// an empty prefix is "Scenario". A prefix too long for the number is cut
// (at a character boundary) so that the name has at most
// [MaxScenarioNameLen] characters: the result is always accepted by
// [Plan.CopyScenario].
func (p *Plan) NextScenarioName(prefix string) string {
	prefix = strings.TrimSpace(prefix)
	if prefix == "" {
		prefix = "Scenario"
	}
	// n ≤ len(p.Scenarios)+1, so the loop ends.
	for n := 1; ; n++ {
		num := strconv.Itoa(n)
		base := prefix
		if room := MaxScenarioNameLen - 1 - len(num); utf8.RuneCountInString(base) > room {
			base = strings.TrimSpace(string([]rune(base)[:room]))
		}
		name := base + " " + num
		if p.ScenarioNamed(name) == nil {
			return name
		}
	}
}

// CopyScenario returns a deep copy of scenario from named name (trimmed,
// see [CleanScenarioName]), ready to be added to p: a new scenario ID, one
// above the largest in p; new territory IDs, one above the largest
// territory ID over all of p's scenarios, then +2, +3, … in from's
// territory order; the alignment remapped to those IDs; names, colours,
// reps, regions and drawn boundaries kept (copied, not shared). Units
// that from aligns to a territory it does not have are left out of the
// copy's alignment (white space). p is not changed: append the result to
// p.Scenarios, or store it with planner/sqlite's AddScenarioEdit.
//
// It returns a *Error with code EINVALID when from is nil or the name is
// empty or longer than [MaxScenarioNameLen] characters, and ECONFLICT when
// a scenario of p already has the name (ignoring case and surrounding
// spaces, [SameScenarioName]).
func (p *Plan) CopyScenario(from *Scenario, name string) (Scenario, error) {
	if from == nil {
		return Scenario{}, Errorf(EINVALID, "There is no scenario to copy")
	}
	name, err := CleanScenarioName(name)
	if err != nil {
		return Scenario{}, err
	}
	if s := p.ScenarioNamed(name); s != nil {
		return Scenario{}, Errorf(ECONFLICT, "A scenario named %q already exists", s.Name)
	}
	var maxScenario, maxTerritory int64
	for i := range p.Scenarios {
		s := &p.Scenarios[i]
		maxScenario = max(maxScenario, s.ID)
		for _, t := range s.Territories {
			maxTerritory = max(maxTerritory, t.ID)
		}
	}
	// from need not be one of p's scenarios: keep its IDs out of the way too.
	for _, t := range from.Territories {
		maxTerritory = max(maxTerritory, t.ID)
	}
	maxScenario = max(maxScenario, from.ID)

	c := Scenario{ID: maxScenario + 1, Name: name, Alignment: make(map[string]int64, len(from.Alignment))}
	newID := make(map[int64]int64, len(from.Territories))
	if len(from.Territories) > 0 {
		c.Territories = make([]Territory, len(from.Territories))
	}
	for i, t := range from.Territories {
		t.ID = maxTerritory + int64(i) + 1
		if t.Boundary != nil {
			t.Boundary = t.Boundary.Clone()
		}
		t.Reps = append([]Assignment(nil), t.Reps...)
		if _, dup := newID[from.Territories[i].ID]; !dup { // the first of duplicate IDs wins
			newID[from.Territories[i].ID] = t.ID
		}
		c.Territories[i] = t
	}
	for code, tid := range from.Alignment {
		if id, ok := newID[tid]; ok {
			c.Alignment[code] = id
		}
	}
	// Region IDs are per scenario: the copy keeps them.
	c.Regions = append([]Region(nil), from.Regions...)
	c.Levels = append([]string(nil), from.Levels...)
	if len(from.NamedAccounts) > 0 {
		c.NamedAccounts = make(map[int64]int64, len(from.NamedAccounts))
		for aid, tid := range from.NamedAccounts {
			if id, ok := newID[tid]; ok {
				c.NamedAccounts[aid] = id
			}
		}
	}
	return c, nil
}

// Move is a geography unit whose territory differs between two alignments
// (see [CompareAlignments]).
type Move struct {
	UnitCode, UnitName, ParentName string
	// From is the unit's territory in the "before" scenario and To its
	// territory in the "after" scenario, each an ID of a territory of that
	// scenario; 0 is none (white space).
	From, To         int64
	FromName, ToName string // the territories' names, "" for white space
	Population       Measure
}

// AccountMove is an account whose territory differs between two
// alignments (see [CompareAlignments]).
type AccountMove struct {
	AccountID int64
	Name      string
	// From is the account's territory in the "before" scenario and To its
	// territory in the "after" scenario, as for [Move].
	From, To         int64
	FromName, ToName string
	Potential        Measure // in the plan's PotentialName unit
}

// PairFlow sums what moved from one territory to another (see
// [CompareAlignments]).
type PairFlow struct {
	From, To         int64  // territory IDs as in [Move]; 0 is white space
	FromName, ToName string // "" for white space
	Units, Accounts  int    // units and accounts moved
	Potential        float64
	Population       float64 // people
}

// ChangeReport lists what moved between two alignments: the change report
// shown after an optimisation or any realignment.
type ChangeReport struct {
	Units    []Move        // the units that moved, by unit code
	Accounts []AccountMove // the accounts that moved, by account ID
	// UnitsMoved and AccountsMoved are len(Units) and len(Accounts).
	UnitsMoved, AccountsMoved int
	// PotentialMoved is the sum of the known potential of the moved
	// accounts (the plan's PotentialName unit); PopulationMoved the sum of
	// the known population of the moved units (people).
	PotentialMoved  float64
	PopulationMoved float64
	// ByPair sums the moves per (From, To) pair, by Potential descending,
	// then Population descending, Units descending, From and To ascending.
	ByPair []PairFlow
}

// CompareAlignments reports the units and accounts of p whose territory
// differs between scenario before and scenario after. It serves both ways
// an optimiser writes its result: replacing the alignment in place (after
// is before edited, with the same territory IDs) and into a new scenario
// (after is a copy made by [Plan.CopyScenario], with new IDs and the same
// names).
//
// Territories are matched one to one: a territory of after is the same as
// the territory of before with the same ID, else as the one with the same
// name (exact) that no other territory matched by ID; the rest are new
// (after only) or gone (before only). A unit or account moved when its
// territory in after is not the match of its territory in before; white
// space (0) matches only white space. A unit's territory is its alignment;
// an account's is given by [Scenario.AccountTerritories], so drawn
// boundaries count. An alignment to a territory that the scenario does not
// have counts as white space, as in [ComputeMetrics].
//
// So that the report adds up: for every territory T of before matched to
// T′ of after, the change of each [ComputeMetrics] total (units, accounts,
// known population, known potential) from T to T′ equals what moved in
// (moves To T′) minus what moved out (moves From T), with a territory in
// only one scenario compared with zero, and likewise for the white space.
// It runs in O(units log units + accounts × drawn boundaries).
func CompareAlignments(p *Plan, before, after *Scenario) ChangeReport {
	var r ChangeReport
	if p == nil || before == nil || after == nil {
		return r
	}
	bName := territoryNames(before)
	aName := territoryNames(after)
	match := matchTerritories(before, after) // after ID -> before ID

	// moved reports whether from (a before ID) and to (an after ID) are
	// different places.
	moved := func(from, to int64) bool {
		if to == 0 {
			return from != 0
		}
		m, ok := match[to]
		return !ok || m != from
	}
	pairs := map[[2]int64]*PairFlow{}
	pair := func(from, to int64) *PairFlow {
		k := [2]int64{from, to}
		f := pairs[k]
		if f == nil {
			f = &PairFlow{From: from, To: to, FromName: bName[from], ToName: aName[to]}
			pairs[k] = f
		}
		return f
	}

	for i := range p.Units {
		u := &p.Units[i]
		from := known(bName, before.Alignment[u.Code])
		to := known(aName, after.Alignment[u.Code])
		if !moved(from, to) {
			continue
		}
		r.Units = append(r.Units, Move{UnitCode: u.Code, UnitName: u.Name, ParentName: u.ParentName,
			From: from, To: to, FromName: bName[from], ToName: aName[to], Population: u.Population})
		f := pair(from, to)
		f.Units++
		if u.Population.Known {
			f.Population += u.Population.Value
			r.PopulationMoved += u.Population.Value
		}
	}
	slices.SortStableFunc(r.Units, func(a, b Move) int { return strings.Compare(a.UnitCode, b.UnitCode) })

	bAcc := before.AccountTerritories(p)
	aAcc := after.AccountTerritories(p)
	for i := range p.Accounts {
		a := &p.Accounts[i]
		from, to := known(bName, bAcc[i]), known(aName, aAcc[i])
		if !moved(from, to) {
			continue
		}
		r.Accounts = append(r.Accounts, AccountMove{AccountID: a.ID, Name: a.Name,
			From: from, To: to, FromName: bName[from], ToName: aName[to], Potential: a.Potential})
		f := pair(from, to)
		f.Accounts++
		if a.Potential.Known {
			f.Potential += a.Potential.Value
			r.PotentialMoved += a.Potential.Value
		}
	}
	slices.SortStableFunc(r.Accounts, func(a, b AccountMove) int { return cmp.Compare(a.AccountID, b.AccountID) })

	r.UnitsMoved, r.AccountsMoved = len(r.Units), len(r.Accounts)
	for _, f := range pairs {
		r.ByPair = append(r.ByPair, *f)
	}
	slices.SortFunc(r.ByPair, func(a, b PairFlow) int {
		return cmp.Or(
			cmp.Compare(b.Potential, a.Potential),
			cmp.Compare(b.Population, a.Population),
			cmp.Compare(b.Units, a.Units),
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To))
	})
	return r
}

// territoryNames maps the scenario's territory IDs to their names, and 0
// to "".
func territoryNames(s *Scenario) map[int64]string {
	m := make(map[int64]string, len(s.Territories)+1)
	m[0] = ""
	for _, t := range s.Territories {
		if _, dup := m[t.ID]; !dup {
			m[t.ID] = t.Name
		}
	}
	return m
}

// known returns id when names (from territoryNames) has it, else 0.
func known(names map[int64]string, id int64) int64 {
	if _, ok := names[id]; ok {
		return id
	}
	return 0
}

// matchTerritories maps each territory ID of after that has a match in
// before (see CompareAlignments) to that territory's ID: by ID first, then
// by name among the territories left.
func matchTerritories(before, after *Scenario) map[int64]int64 {
	m := map[int64]int64{}
	usedBefore := map[int64]bool{}
	inBefore := map[int64]bool{}
	for _, t := range before.Territories {
		inBefore[t.ID] = true
	}
	for _, t := range after.Territories {
		if _, done := m[t.ID]; !done && inBefore[t.ID] && !usedBefore[t.ID] {
			m[t.ID] = t.ID
			usedBefore[t.ID] = true
		}
	}
	byName := map[string]int64{}
	for _, t := range before.Territories {
		if _, dup := byName[t.Name]; !usedBefore[t.ID] && !dup {
			byName[t.Name] = t.ID
		}
	}
	for _, t := range after.Territories {
		if _, done := m[t.ID]; done {
			continue
		}
		if id, ok := byName[t.Name]; ok && !usedBefore[id] {
			m[t.ID] = id
			usedBefore[id] = true
		}
	}
	return m
}
