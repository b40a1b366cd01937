package planner

// Totals sums what a group of units holds (a territory, the white space, or
// the whole plan).
type Totals struct {
	Units    int // geography units
	Accounts int // accounts located in those units (or, for white space, also accounts in no unit)
	// Population is the sum of the units' known populations (people).
	Population float64
	// PopulationMissing counts units whose population is unknown.
	PopulationMissing int
	// Potential is the sum of the accounts' known potential, in the plan's
	// PotentialName unit.
	Potential float64
	// PotentialMissing counts accounts whose potential is unknown.
	PotentialMissing int
}

func (t *Totals) addUnit(u *GeographyUnit) {
	t.Units++
	if u.Population.Known {
		t.Population += u.Population.Value
	} else {
		t.PopulationMissing++
	}
}

func (t *Totals) addAccount(a *Account) {
	t.Accounts++
	if a.Potential.Known {
		t.Potential += a.Potential.Value
	} else {
		t.PotentialMissing++
	}
}

func (t *Totals) add(o Totals) {
	t.Units += o.Units
	t.Accounts += o.Accounts
	t.Population += o.Population
	t.PopulationMissing += o.PopulationMissing
	t.Potential += o.Potential
	t.PotentialMissing += o.PotentialMissing
}

// Figures holds one number per balanced metric: units, accounts,
// population (people) and potential (the plan's PotentialName unit). It is
// used for means, and for deviations in percent.
type Figures struct {
	Units, Accounts, Population, Potential float64
}

// TerritoryMetrics are one territory's totals and deviations.
type TerritoryMetrics struct {
	Territory Territory
	RepName   string // "" when vacant
	Totals
	// Deviation is how far the totals are from the mean over the
	// scenario's territories, in percent: 100 × (value − mean) / mean, and
	// 0 when the mean is 0.
	Deviation Figures
}

// Metrics describe a scenario's balance: one row per territory in the
// scenario's order, the white space, and the plan's totals.
type Metrics struct {
	ScenarioID   int64
	ScenarioName string
	Territories  []TerritoryMetrics
	// Mean holds the mean of each total over the territories: the target
	// that deviations are measured against.
	Mean Figures
	// WhiteSpace are units aligned to no territory and the accounts in them,
	// plus accounts located in no unit (counted in Accounts, and also in
	// UnlocatedAccounts).
	WhiteSpace        Totals
	UnlocatedAccounts int
	// DrawnAccounts counts the accounts that belong to a territory because
	// its drawn boundary contains them or they are named to it, whatever
	// their unit.
	DrawnAccounts int
	// Segment is the name of the segment the metrics are restricted to
	// (see [ComputeSegmentMetrics]), "" for every account.
	Segment string
	// Total covers every unit and account of the plan: the territories plus
	// the white space.
	Total Totals
}

// MaxAbsDeviation returns the largest absolute deviation in percent over all
// territories for the metric chosen by pick.
func (m *Metrics) MaxAbsDeviation(pick func(Figures) float64) float64 {
	var worst float64
	for _, t := range m.Territories {
		d := pick(t.Deviation)
		if d < 0 {
			d = -d
		}
		if d > worst {
			worst = d
		}
	}
	return worst
}

// ComputeMetrics returns the metrics of scenario s of plan p. An account
// counts in the territory it is named to (Scenario.NamedAccounts), else in
// the territory whose drawn boundary contains it (see
// [Territory.Boundary]), else in the territory of the unit it is located in;
// accounts in neither, and units in no territory, are white space. It runs
// in O(units + accounts × drawn boundaries).
func ComputeMetrics(p *Plan, s *Scenario) Metrics {
	return computeMetrics(p, s, nil)
}

// ComputeSegmentMetrics returns the metrics of scenario s of plan p for
// the accounts of one segment only, for example tier A potential per
// territory: as [ComputeMetrics], but an account counts only when in[i]
// is true for its index i in p.Accounts (see [Plan.SegmentMembers]); units
// and population count whole. name is the segment's name, kept in
// Metrics.Segment. in shorter than p.Accounts leaves the rest out.
func ComputeSegmentMetrics(p *Plan, s *Scenario, name string, in []bool) Metrics {
	if in == nil {
		in = []bool{}
	}
	m := computeMetrics(p, s, in)
	m.Segment = name
	return m
}

// computeMetrics is ComputeMetrics for the accounts whose in is true;
// in nil counts them all.
func computeMetrics(p *Plan, s *Scenario, in []bool) Metrics {
	m := Metrics{ScenarioID: s.ID, ScenarioName: s.Name}
	row := make(map[int64]int, len(s.Territories))
	m.Territories = make([]TerritoryMetrics, len(s.Territories))
	for i, t := range s.Territories {
		row[t.ID] = i
		m.Territories[i].Territory = t
		m.Territories[i].RepName = p.RepNames(&t)
	}
	// totalsOf returns where a unit's numbers go.
	totalsOf := func(code string) *Totals {
		if tid, ok := s.Alignment[code]; ok {
			if i, ok := row[tid]; ok {
				return &m.Territories[i].Totals
			}
		}
		return &m.WhiteSpace
	}
	for i := range p.Units {
		totalsOf(p.Units[i].Code).addUnit(&p.Units[i])
	}
	ds := s.drawnBoundaries()
	for i := range p.Accounts {
		if in != nil && (i >= len(in) || !in[i]) {
			continue
		}
		a := &p.Accounts[i]
		if id := s.fixedOwner(ds, a); id != 0 {
			if k, ok := row[id]; ok { // always, in a valid plan
				m.Territories[k].addAccount(a)
				m.DrawnAccounts++
				continue
			}
		}
		if a.UnitCode == "" {
			m.UnlocatedAccounts++
			m.WhiteSpace.addAccount(a)
			continue
		}
		totalsOf(a.UnitCode).addAccount(a)
	}
	if n := float64(len(m.Territories)); n > 0 {
		var sum Totals
		for _, t := range m.Territories {
			sum.add(t.Totals)
		}
		mean := Figures{float64(sum.Units) / n, float64(sum.Accounts) / n, sum.Population / n, sum.Potential / n}
		m.Mean = mean
		for i := range m.Territories {
			t := &m.Territories[i]
			t.Deviation = Figures{
				Units:      deviation(float64(t.Units), mean.Units),
				Accounts:   deviation(float64(t.Accounts), mean.Accounts),
				Population: deviation(t.Population, mean.Population),
				Potential:  deviation(t.Potential, mean.Potential),
			}
		}
		m.Total = sum
	}
	m.Total.add(m.WhiteSpace)
	return m
}

// deviation returns 100 × (v − mean) / mean, or 0 when mean is 0.
func deviation(v, mean float64) float64 {
	if mean == 0 {
		return 0
	}
	return 100 * (v - mean) / mean
}
