package planner

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TerritoryHistory sums the numeric custom field named field (last year's
// sales, in the plan's currency) over each territory's accounts, as
// scenario s assigns them ([Scenario.AccountTerritories]): one Measure per
// territory of s, in s.Territories order, Unknown for a territory none of
// whose accounts has a value.
//
// Errors (*Error, EINVALID): the plan has no such custom field (the message
// lists the ones it has), the field holds text, or a territory sums to less
// than zero.
func TerritoryHistory(p *Plan, s *Scenario, field string) ([]Measure, error) {
	fi := -1
	var names []string
	for i, f := range p.CustomFields {
		names = append(names, f.Name)
		if f.Name == field {
			fi = i
		}
	}
	switch {
	case fi < 0 && len(names) == 0:
		return nil, Errorf(EINVALID, "Last year's sales %q: the plan's accounts have no custom fields (import accounts with a column of last year's sales)", field)
	case fi < 0:
		return nil, Errorf(EINVALID, "Last year's sales %q: the plan has no such field (it has: %s)", field, strings.Join(names, ", "))
	case !p.CustomFields[fi].Numeric:
		return nil, Errorf(EINVALID, "Last year's sales %q: the field holds text, not numbers; choose a numeric field of last year's sales", field)
	}
	row := make(map[int64]int, len(s.Territories))
	for i := range s.Territories {
		row[s.Territories[i].ID] = i
	}
	out := make([]Measure, len(s.Territories))
	owner := s.AccountTerritories(p)
	for j := range p.Accounts {
		a := &p.Accounts[j]
		if fi >= len(a.Fields) || a.Fields[fi] == "" {
			continue
		}
		v, err := strconv.ParseFloat(a.Fields[fi], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			continue // Validate keeps numeric fields numeric
		}
		if i, ok := row[owner[j]]; ok {
			out[i].Value += v
			out[i].Known = true
		}
	}
	for i := range out {
		if out[i].Known && out[i].Value < 0 {
			return nil, Errorf(EINVALID, "Last year's sales %q: territory %q sums to %g; last year's sales must be zero or more", field, s.Territories[i].Name, out[i].Value)
		}
	}
	return out, nil
}

// QuotaInputs returns the allocation input of each territory of scenario
// s (in s.Territories order): its potential ([ComputeMetrics]), last year
// from the settings' HistoryField when set ([TerritoryHistory]), and its
// quota as an override when Territory.QuotaOverride is set. settings may be
// nil (no last year). It returns TerritoryHistory's errors.
func QuotaInputs(p *Plan, s *Scenario, settings *QuotaSettings) ([]QuotaInput, error) {
	return quotaInputs(p, s, settings, ComputeMetrics(p, s))
}

// quotaInputs is QuotaInputs with the scenario's metrics m already
// computed.
func quotaInputs(p *Plan, s *Scenario, settings *QuotaSettings, m Metrics) ([]QuotaInput, error) {
	history := make([]Measure, len(s.Territories))
	if settings != nil && settings.HistoryField != "" {
		var err error
		if history, err = TerritoryHistory(p, s, settings.HistoryField); err != nil {
			return nil, err
		}
	}
	in := make([]QuotaInput, len(s.Territories))
	for i, t := range s.Territories {
		in[i] = QuotaInput{TerritoryID: t.ID, Name: t.Name, Potential: m.Territories[i].Potential, LastYear: history[i]}
		if t.QuotaOverride && t.Quota.Known {
			v := t.Quota.Value
			in[i].Override = &v
		}
	}
	return in, nil
}

// QuotaPlan is a scenario's quota plan as finance reads it: the settings,
// each territory's quota with its quarters and months, the reps' quotas
// after ramps, and the roll-ups to regions and managers. It is what the
// quota view shows and the Excel workbook writes; [BuildQuotaPlan] makes
// it from the plan's stored quotas. All amounts are in Settings.Currency.
type QuotaPlan struct {
	Plan, Scenario string // names
	PotentialName  string // e.g. "Beds"
	Settings       QuotaSettings
	// Report sums the territory quotas against the target (Total is the
	// target × (1 + over-assignment), Gap what is missing).
	Report      AllocationReport
	Territories []TerritoryQuota // in the scenario's territory order
	Reps        []RepQuota       // named reps by name, then vacancies by territory
	Regions     []RollUpQuota    // by region name
	Managers    []RollUpQuota    // by manager name
	// Capacity holds the workload figures; nil when the plan has no
	// workload model.
	Capacity *CapacityPlan
}

// TerritoryQuota is one territory's line of a [QuotaPlan].
type TerritoryQuota struct {
	TerritoryID int64
	Name        string
	// Regions is the territory's region path, top first (e.g. ["West",
	// "Pacific"]); nil when it is in no region.
	Regions []string
	// Reps says who covers it, as [Plan.RepNames] writes it.
	Reps      string
	Accounts  int     // accounts in the territory
	Potential float64 // in the plan's PotentialName unit
	LastYear  Measure // last year's sales; Unknown without a history field
	// Quota is the annual quota, Unknown when none is set; Overridden when
	// it was set by hand.
	Quota      Measure
	Overridden bool
	// Quarters and Months split Quota by the settings' season, in fiscal
	// order (Quarters[0] is Q1, Months[0] the fiscal year's first month),
	// rounded so that they sum exactly to Quota ([QuarterlyQuota],
	// [MonthlyQuota]); zero without a quota.
	Quarters [4]float64
	Months   [12]float64
	// Explain says how Quota was computed (from [AllocateQuotas] with the
	// stored settings, or "set by hand").
	Explain string
}

// RepQuota is one rep's (or one vacancy's) line of a [QuotaPlan].
type RepQuota struct {
	RepID int64 // 0 for a vacancy
	// Name is the rep's name, or "TBH (territory)" for a vacancy.
	Name                  string
	Email, Role, Manager  string
	Start                 time.Time // the rep's start, or the vacancy's planned start; zero when none
	Territories           string    // e.g. "Pacific 60%, Mountain"
	CapacityHours         float64   // hours a year (the model's default when the rep has none)
	WorkloadHours         float64   // Σ share × territory hours; 0 without a workload model
	FullQuota             float64   // Σ share × territory quota, before the ramp
	RampFactor            float64   // Quota ÷ FullQuota (1 for no ramp, 1 when FullQuota is 0)
	Quota                 float64   // Σ ProratedQuota(share × territory quota), cents
	Explain               string    // how Quota was computed
	territoryIDs          []int64
	shareOf               []float64
	territoryQuotaOfShare []float64
}

// RollUpQuota is a region's or a manager's quota: the sum of its
// children's (see [RollUp]).
type RollUpQuota struct {
	Name          string
	Children      []string // territory, region or rep names, sorted
	Sum           float64
	OverAssignPct float64
	Quota         float64
	Explain       string
}

// DefaultRamp is the example ramp for new reps: 0%, 25%, 50%, 75% and
// then 100% of full quota by month since start.
var DefaultRamp = RampSchedule{0, 0.25, 0.5, 0.75}

// BuildQuotaPlan builds the quota plan of scenario s of plan p from the
// stored settings (p.Quota) and quotas (Territory.Quota). Territories
// without a quota count as 0 in sums. A rep's quota is the sum over their
// territories of share × territory quota, prorated by [ProratedQuota] with
// the settings' ramp from the rep's start (a vacancy from its planned
// start); a manager's quota is the sum of their reps' quotas; a region's
// rolls up its territories and sub-regions with [RollUp].
//
// Errors (*Error): ENOTFOUND when the plan has no quota settings; EINVALID
// from the settings, the history field or the region roll-up.
func BuildQuotaPlan(p *Plan, s *Scenario) (*QuotaPlan, error) {
	if p.Quota == nil {
		return nil, Errorf(ENOTFOUND, "Plan %q has no quota settings yet: allocate quotas first", p.Name)
	}
	set := *p.Quota
	if err := set.Validate(); err != nil {
		return nil, err
	}
	m := ComputeMetrics(p, s)
	in, err := quotaInputs(p, s, &set, m)
	if err != nil {
		return nil, err
	}
	qp := &QuotaPlan{Plan: p.Name, Scenario: s.Name, PotentialName: p.PotentialName, Settings: set}
	// The explanation of each stored quota: allocate again with the stored
	// settings; where the result equals the stored quota, its Explain holds.
	lines, _, aerr := AllocateQuotas(in, set)
	stored := make([]QuotaLine, len(s.Territories))
	for i, t := range s.Territories {
		tq := TerritoryQuota{TerritoryID: t.ID, Name: t.Name, Regions: s.RegionPath(t.RegionID), Reps: p.RepNames(&t),
			Accounts: m.Territories[i].Accounts, Potential: in[i].Potential, LastYear: in[i].LastYear,
			Quota: t.Quota, Overridden: t.QuotaOverride && t.Quota.Known}
		stored[i] = QuotaLine{TerritoryID: t.ID, Name: t.Name, Potential: tq.Potential, LastYear: tq.LastYear, Overridden: tq.Overridden, Quota: t.Quota.Value}
		if t.Quota.Known {
			tq.Quarters = QuarterlyQuota(t.Quota.Value, set.Season, set.StartMonth, set.Rounding)
			tq.Months = MonthlyQuota(t.Quota.Value, set.Season, set.StartMonth, set.Rounding)
			switch {
			case tq.Overridden:
				tq.Explain = "set by hand: " + formatMoney(t.Quota.Value, set.Currency)
			case aerr == nil && lines[i].Quota == t.Quota.Value:
				tq.Explain = lines[i].Explain
			case aerr == nil:
				// Overrides or the plan changed since this quota was
				// allocated (or it was imported): say so, and what a new
				// allocation would give.
				tq.Explain = fmt.Sprintf("kept from an earlier allocation or import: %s; allocating again now would give %s",
					formatMoney(t.Quota.Value, set.Currency), formatMoney(lines[i].Quota, set.Currency))
			default:
				tq.Explain = "kept from an earlier allocation or import: " + formatMoney(t.Quota.Value, set.Currency)
			}
		} else {
			tq.Explain = "no quota set"
		}
		qp.Territories = append(qp.Territories, tq)
	}
	qp.Report = ReportQuotas(stored, set)
	if p.Workload != nil {
		cp := BuildCapacityPlan(p, s, *p.Workload)
		qp.Capacity = &cp
	}
	qp.Reps = RepCoverage(p, s, qp.Capacity, &set)
	if qp.Regions, err = regionQuotas(s, stored, set.Currency); err != nil {
		return nil, err
	}
	qp.Managers = managerQuotas(qp.Reps, set.Currency)
	return qp, nil
}

// RegionPath returns the names of region id of s and of its parents, top
// first (e.g. ["West", "Pacific"]); nil for 0 or an unknown region.
func (s *Scenario) RegionPath(id int64) []string {
	var out []string
	for steps := 0; id != 0 && steps <= len(s.Regions); steps++ {
		r := s.Region(id)
		if r == nil {
			break
		}
		out = append([]string{r.Name}, out...)
		id = r.ParentID
	}
	return out
}

// RepCoverage returns one line per rep of the roster (by name) and then
// one per vacancy of scenario s (by territory): the territories each
// covers with their shares, capacity (the rep's, else the workload model's
// default, else [DefaultCapacityHours]) and workload (share × territory
// hours from cp; 0 when cp is nil). With quota settings set, it also gives
// each line's quota as [BuildQuotaPlan] does (share × territory quota,
// prorated by the ramp from the start); with set nil the quota fields are
// 0 and RampFactor is 1.
func RepCoverage(p *Plan, s *Scenario, cp *CapacityPlan, set *QuotaSettings) []RepQuota {
	withQuota := set != nil
	if set == nil {
		set = &QuotaSettings{StartMonth: time.January}
	}
	def := DefaultCapacityHours
	if p.Workload != nil {
		def = p.Workload.Capacity()
	}
	hours := map[int64]float64{}
	if cp != nil {
		for _, l := range cp.Territories {
			hours[l.TerritoryID] = l.Hours
		}
	}
	byRep := map[int64]*RepQuota{}
	var vacancies []RepQuota
	add := func(rq *RepQuota, t *Territory, share float64) {
		q := 0.0
		if t.Quota.Known && withQuota {
			q = t.Quota.Value * share / 100
		}
		rq.territoryIDs = append(rq.territoryIDs, t.ID)
		rq.shareOf = append(rq.shareOf, share)
		rq.territoryQuotaOfShare = append(rq.territoryQuotaOfShare, q)
		rq.WorkloadHours += hours[t.ID] * share / 100
		rq.FullQuota += q
		rq.Quota += ProratedQuota(q, set.Season, set.StartMonth, rq.Start, set.FiscalYear, set.Ramp)
	}
	for ti := range s.Territories {
		t := &s.Territories[ti]
		for _, a := range t.Reps {
			if a.RepID == 0 {
				rq := RepQuota{Name: "TBH (" + t.Name + ")", Start: a.PlannedStart, CapacityHours: def, Manager: ""}
				add(&rq, t, a.Share)
				vacancies = append(vacancies, rq)
				continue
			}
			rq := byRep[a.RepID]
			if rq == nil {
				r := p.Rep(a.RepID)
				if r == nil {
					continue
				}
				rq = &RepQuota{RepID: r.ID, Name: r.Name, Email: r.Email, Role: r.Role, Manager: r.Manager, Start: r.Start, CapacityHours: r.Capacity(def)}
				byRep[a.RepID] = rq
			}
			add(rq, t, a.Share)
		}
	}
	out := make([]RepQuota, 0, len(p.Reps)+len(vacancies))
	for _, r := range p.Reps {
		rq := byRep[r.ID]
		if rq == nil {
			rq = &RepQuota{RepID: r.ID, Name: r.Name, Email: r.Email, Role: r.Role, Manager: r.Manager, Start: r.Start, CapacityHours: r.Capacity(def)}
		}
		out = append(out, *rq)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	out = append(out, vacancies...)
	names := map[int64]string{}
	for _, t := range s.Territories {
		names[t.ID] = t.Name
	}
	for i := range out {
		rq := &out[i]
		parts := make([]string, len(rq.territoryIDs))
		for k, id := range rq.territoryIDs {
			parts[k] = names[id]
			if rq.shareOf[k] != 100 {
				parts[k] += " " + trimFloat(rq.shareOf[k]) + "%"
			}
		}
		rq.Territories = strings.Join(parts, ", ")
		rq.Quota = math.Round(rq.Quota*100) / 100
		rq.FullQuota = math.Round(rq.FullQuota*100) / 100
		rq.RampFactor = 1
		if rq.FullQuota > 0 {
			rq.RampFactor = rq.Quota / rq.FullQuota
		}
		if withQuota {
			rq.Explain = repExplain(rq, *set)
		}
	}
	return out
}

// repExplain says how a rep's quota was computed.
func repExplain(rq *RepQuota, set QuotaSettings) string {
	if len(rq.territoryIDs) == 0 {
		return "no territory"
	}
	parts := make([]string, len(rq.territoryIDs))
	for k := range rq.territoryIDs {
		parts[k] = fmt.Sprintf("%s%% of %s", trimFloat(rq.shareOf[k]), formatMoney(rq.territoryQuotaOfShare[k]*100/math.Max(rq.shareOf[k], 1e-9), set.Currency))
	}
	s := strings.Join(parts, " + ") + " = " + formatMoney(rq.FullQuota, set.Currency)
	if rq.Quota != rq.FullQuota {
		from := "start"
		if !rq.Start.IsZero() {
			from = "start on " + rq.Start.Format("2006-01-02")
		}
		s += fmt.Sprintf("; ramped from %s: %s of full quota = %s", from, formatPct(rq.RampFactor), formatMoney(rq.Quota, set.Currency))
	}
	return s
}

// regionQuotas rolls the territory quotas up the scenario's regions.
// Region IDs are negated in RollUp's parent map so that they cannot clash
// with territory IDs.
func regionQuotas(s *Scenario, lines []QuotaLine, currency string) ([]RollUpQuota, error) {
	if len(s.Regions) == 0 {
		return nil, nil
	}
	parentOf := map[int64]int64{}
	over := map[int64]float64{}
	name := map[int64]string{}
	for _, t := range s.Territories {
		name[t.ID] = t.Name
		if t.RegionID != 0 {
			parentOf[t.ID] = -t.RegionID
		}
	}
	for _, r := range s.Regions {
		name[-r.ID] = r.Name
		if r.ParentID != 0 {
			parentOf[-r.ID] = -r.ParentID
		}
		if r.OverAssignPct != 0 {
			over[-r.ID] = r.OverAssignPct
		}
	}
	ru, err := RollUp(lines, parentOf, over, currency)
	if err != nil {
		return nil, err
	}
	out := make([]RollUpQuota, 0, len(ru))
	for _, l := range ru {
		kids := make([]string, len(l.Children))
		for k, c := range l.Children {
			kids[k] = name[c]
		}
		sort.Strings(kids)
		out = append(out, RollUpQuota{Name: name[l.ID], Children: kids, Sum: l.Sum, OverAssignPct: l.OverAssignPct, Quota: l.Quota, Explain: l.Explain})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// managerQuotas sums the reps' quotas by manager.
func managerQuotas(reps []RepQuota, currency string) []RollUpQuota {
	by := map[string]*RollUpQuota{}
	for _, r := range reps {
		if r.Manager == "" {
			continue
		}
		m := by[r.Manager]
		if m == nil {
			m = &RollUpQuota{Name: r.Manager}
			by[r.Manager] = m
		}
		m.Children = append(m.Children, r.Name)
		m.Sum += r.Quota
	}
	out := make([]RollUpQuota, 0, len(by))
	for _, m := range by {
		sort.Strings(m.Children)
		m.Sum = math.Round(m.Sum*100) / 100
		m.Quota = m.Sum
		m.Explain = fmt.Sprintf("sum of %d %s %s", len(m.Children), plural(len(m.Children), "rep", "reps"), formatMoney(m.Sum, currency))
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
