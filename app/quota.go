package app

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// quotaView is the Quotas tab: the quota settings (a dialog), top-down
// allocation, quotas set by hand with the gap they leave and a button that
// spreads it, and the quota plan (planner.BuildQuotaPlan): territories with
// quarters and how each quota was computed, region and manager roll-ups,
// and the reps' quotas after ramps.
//
// The quota plan is built off the UI thread from a snapshot of the plan
// (it computes metrics over every account, and workload with a workload
// model), only while the tab is shown: set marks it stale otherwise, and
// showing the tab builds it. Results of superseded builds are dropped.
type quotaView struct {
	m       *Meridian
	content fyne.CanvasObject
	pane    *showPane

	settingsBtn, allocateBtn, spreadBtn, importBtn *widget.Button
	summary                                        *widget.Label
	gap                                            *widget.Label
	detail                                         *widget.Label
	inner                                          *container.AppTabs
	terr, rollups, reps                            *textTable

	s        *session // the session shown, nil when none
	b        quotaBuild
	selected int64 // the territory whose explanation the detail line shows

	gen      uint64 // bumped by every set (UI thread)
	building bool   // a build runs in the background
	stale    bool   // the plan changed while the tab was hidden
	// built, when set, is called on the UI thread after a build's result
	// was shown (tests wait on it).
	built func()
	// form and formRun are the settings dialog open last and its action
	// (allocate or save), for tests.
	form    *quotaForm
	formRun func(allocate bool)
	// lastImport is the change report of the last import of quotas.
	lastImport *quotaImport
	// syncBuild builds on the calling goroutine (tests: the test driver
	// runs fyne.Do inline, so a background build would touch widgets at
	// the same time as the derive that started it).
	syncBuild bool
}

// quotaBuild is the result of one background build of the quota plan.
type quotaBuild struct {
	qp *planner.QuotaPlan // nil when none could be built
	// stored is true when the plan has quota settings; without them qp is
	// built with default settings and shows no quotas.
	stored bool
	err    error // why qp is nil, or a roll-up problem
}

// showPane wraps the tab's content and calls onShow when it becomes
// visible: container.AppTabs shows the selected tab's content and hides the
// others'.
type showPane struct {
	widget.BaseWidget
	inner  fyne.CanvasObject
	onShow func()
}

func newShowPane(inner fyne.CanvasObject, onShow func()) *showPane {
	p := &showPane{inner: inner, onShow: onShow}
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer draws the wrapped content.
func (p *showPane) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.inner) }

// Show shows the pane and calls onShow when it was hidden.
func (p *showPane) Show() {
	was := p.Visible()
	p.BaseWidget.Show()
	if !was && p.onShow != nil {
		p.onShow()
	}
}

// Column indexes of the territory table: the quota and its quarters come
// first, so that they show in the narrow side pane.
const (
	qcTerritory = 0
	qcQuota     = 1
	qcQ1        = 2 // then Q2, Q3, Q4
	qcPotential = 6
	qcLastYear  = 7
	qcRegion    = 8
	qcReps      = 9
	qcHow       = 10
)

func (m *Meridian) newQuotaView() *quotaView {
	v := &quotaView{m: m}
	v.settingsBtn = widget.NewButtonWithIcon("Settings…", theme.SettingsIcon(), v.showSettings)
	v.allocateBtn = widget.NewButtonWithIcon("Allocate", theme.MediaPlayIcon(), v.allocateStored)
	v.allocateBtn.Importance = widget.HighImportance
	v.spreadBtn = widget.NewButton("Spread gap over the others", v.spreadGap)
	v.importBtn = widget.NewButtonWithIcon("Import from Excel…", theme.UploadIcon(), m.showImportQuotas)
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.gap = widget.NewLabel("")
	v.gap.Importance = widget.DangerImportance
	v.gap.TextStyle = fyne.TextStyle{Bold: true}
	v.gap.Wrapping = fyne.TextWrapWord
	v.gap.Hide()
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord

	v.terr = newTextTable(nil, v.territoryTapped)
	v.rollups = newTextTable([]textColumn{
		{"Level", 76, false}, {"Name", 130, false}, {"Quota", 110, true}, {"Sum", 110, true},
		{"Over-assign", 84, true}, {"Children", 220, false}, {"How", 460, false},
	}, nil)
	v.reps = newTextTable([]textColumn{
		{"Rep", 140, false}, {"Quota", 104, true}, {"Full quota", 104, true}, {"Ramp", 56, true},
		{"Territories", 170, false}, {"Role", 90, false}, {"Manager", 110, false}, {"Start", 84, false}, {"How", 460, false},
	}, nil)
	v.rollups.onTap = func(row, col int) {
		v.detail.SetText(v.rollups.detail(row))
		if col == rollUpOverCol && v.rollups.cell(row, 0) == "Region" {
			v.askRegionOverAssign(v.rollups.cell(row, 1))
		}
	}
	v.reps.onTap = func(row, _ int) { v.detail.SetText(v.reps.detail(row)) }
	v.inner = container.NewAppTabs(
		container.NewTabItem("Territories", v.terr.table),
		container.NewTabItem("Roll-ups", v.rollups.table),
		container.NewTabItem("Reps", v.reps.table))
	v.inner.OnSelected = func(*container.TabItem) { v.showDetail() }
	buttons := container.NewHBox(v.settingsBtn, v.allocateBtn, v.spreadBtn, v.importBtn)
	top := container.NewVBox(container.NewHScroll(buttons), v.summary, v.gap)
	split := container.NewVSplit(v.inner, container.NewVScroll(v.detail))
	split.Offset = 0.78
	v.pane = newShowPane(container.NewBorder(top, nil, nil, nil, split), func() {
		if v.stale && v.s != nil {
			v.start()
		}
	})
	v.content = v.pane
	v.setButtons()
	return v
}

// set shows session s (nil when no plan is open). Call on the UI thread.
// The quota plan is built in the background when the tab is visible.
func (v *quotaView) set(s *session) {
	if s != v.s {
		v.selected = 0
	}
	v.s = s
	v.gen++
	if s == nil {
		v.stale = false
		v.apply(quotaBuild{})
		return
	}
	if !v.pane.Visible() {
		v.stale = true
		return
	}
	v.start()
}

// start builds the quota plan of the shown session in the background;
// while one build runs, a later request makes one more when it ends.
func (v *quotaView) start() {
	v.stale = false
	if v.building || v.s == nil {
		return
	}
	s, gen := v.s, v.gen
	p := quotaSnapshot(s)
	sc := p.Scenario(s.scenario.ID)
	def := defaultQuotaSettings(v.m.Now())
	m := v.m
	if v.syncBuild {
		v.apply(buildQuota(p, sc, def))
		if v.built != nil {
			v.built()
		}
		return
	}
	v.building = true
	m.tasks.Add(1)
	go func() {
		defer m.tasks.Done()
		b := buildQuota(p, sc, def)
		fyne.Do(func() {
			v.building = false
			if m.quitting.Load() {
				return
			}
			if v.s != s || gen != v.gen { // superseded: build the plan shown now
				if v.s != nil && v.pane.Visible() {
					v.start()
				} else {
					v.stale = v.s != nil
				}
				return
			}
			v.apply(b)
			if v.built != nil {
				v.built()
			}
		})
	}()
}

// quotaSnapshot returns a copy of s's plan that a background build may
// read while the UI thread edits the original: the active scenario's
// territories, the reps and the quota settings are copied.
func quotaSnapshot(s *session) *planner.Plan {
	p := s.snapshotPlan()
	p.Reps = slices.Clone(p.Reps)
	if p.Quota != nil {
		q := *p.Quota
		q.Ramp = slices.Clone(q.Ramp)
		p.Quota = &q
	}
	return p
}

// buildQuota builds the quota plan of scenario sc of p
// (planner.BuildQuotaPlan); without stored settings it uses def, so that
// the territories show with their potential and no quota. Safe off the UI
// thread.
func buildQuota(p *planner.Plan, sc *planner.Scenario, def planner.QuotaSettings) quotaBuild {
	if sc == nil {
		return quotaBuild{err: planner.Errorf(planner.ENOTFOUND, "The scenario is gone")}
	}
	b := quotaBuild{stored: p.Quota != nil}
	if !b.stored {
		c := *p
		c.Quota = &def
		p = &c
	}
	b.qp, b.err = planner.BuildQuotaPlan(p, sc)
	return b
}

// defaultQuotaSettings are the settings the dialog starts from when the
// plan has none: the fiscal year of now from January, US dollars, no
// target yet, rounding to $1,000, potential alone, no limits, no
// seasonality, and planner.DefaultRamp. (meridianctl quota uses the same,
// without currency or ramp.)
func defaultQuotaSettings(now time.Time) planner.QuotaSettings {
	return planner.QuotaSettings{FiscalYear: now.Year(), StartMonth: time.January, Currency: "USD",
		Rounding: 1000, WeightPotential: 1, Ramp: slices.Clone(planner.DefaultRamp)}
}

// apply shows build b. Call on the UI thread.
func (v *quotaView) apply(b quotaBuild) {
	v.b = b
	qp := b.qp
	v.setButtons()
	v.gap.Hide()
	if v.s == nil {
		v.summary.SetText("No plan is open.")
		v.terr.setRows(nil, nil, nil)
		v.rollups.setRows(nil, nil, nil)
		v.reps.setRows(nil, nil, nil)
		v.detail.SetText("")
		return
	}
	if qp == nil {
		v.summary.SetText("The quota plan cannot be shown: " + planner.ErrorMessage(b.err))
		v.terr.setRows(nil, nil, nil)
		v.rollups.setRows(nil, nil, nil)
		v.reps.setRows(nil, nil, nil)
		v.detail.SetText("")
		return
	}
	v.summary.SetText(quotaSummary(b))
	if g := qp.Report.Gap; b.stored && g != 0 {
		v.gap.SetText(gapText(qp))
		v.gap.Show()
	}
	v.setTerritoryRows(qp)
	v.setRollUpRows(qp)
	v.setRepRows(qp)
	v.showDetail()
}

// setButtons enables what applies to the plan shown.
func (v *quotaView) setButtons() {
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	open := v.s != nil
	enable(v.settingsBtn, open)
	enable(v.allocateBtn, open)
	enable(v.importBtn, open)
	enable(v.spreadBtn, open && v.b.stored && v.b.qp != nil && v.b.qp.Report.Gap != 0)
}

// money writes an amount in the plan's quota currency.
func (v *quotaView) money(x float64) string {
	if v.b.qp == nil {
		return planner.FormatMoney(x, "")
	}
	return planner.FormatMoney(x, v.b.qp.Settings.Currency)
}

// quotaSummary is the line above the tables: the settings and the totals.
func quotaSummary(b quotaBuild) string {
	qp := b.qp
	if !b.stored {
		return "No quota settings yet: press Settings… to set the fiscal year and the company target, then Allocate."
	}
	s := qp.Settings
	money := func(x float64) string { return planner.FormatMoney(x, s.Currency) }
	r := qp.Report
	set := 0
	for _, t := range qp.Territories {
		if t.Quota.Known {
			set++
		}
	}
	text := fmt.Sprintf("Fiscal year %d from %s · target %s × (1 + %s%% over-assignment) = %s · the %d territory quotas sum to %s",
		s.FiscalYear, s.StartMonth, money(s.Target), trimNumber(s.OverAssignPct), money(r.Total), set, money(r.Overridden+r.Allocated))
	if r.Overridden != 0 {
		text += fmt.Sprintf(" (%s set by hand)", money(r.Overridden))
	}
	if set < len(qp.Territories) {
		text += fmt.Sprintf(" · %d without a quota: Allocate gives them one", len(qp.Territories)-set)
	}
	return text
}

// gapText says how far the quotas are from the total.
func gapText(qp *planner.QuotaPlan) string {
	r := qp.Report
	money := func(x float64) string { return planner.FormatMoney(x, qp.Settings.Currency) }
	if r.Gap > 0 {
		return fmt.Sprintf("Gap: %s. The quotas fall short of %s (target × (1 + over-assignment)) by %s: spread it over the territories not set by hand, or change a quota.",
			money(r.Gap), money(r.Total), money(r.Gap))
	}
	return fmt.Sprintf("Gap: %s. The quotas exceed %s (target × (1 + over-assignment)) by %s: spread it over the territories not set by hand, or change a quota.",
		money(r.Gap), money(r.Total), money(-r.Gap))
}

// trimNumber writes v with up to 4 decimals and no trailing zeros.
func trimNumber(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e4)/1e4, 'f', -1, 64)
}

// setTerritoryRows fills the territory table: one row per territory, then
// the total.
func (v *quotaView) setTerritoryRows(qp *planner.QuotaPlan) {
	potential := qp.PotentialName
	if potential == "" {
		potential = "Potential"
	}
	cols := make([]textColumn, qcHow+1)
	cols[qcTerritory] = textColumn{"Territory", 130, false}
	cols[qcQuota] = textColumn{"Quota", 110, true}
	for q := range 4 {
		cols[qcQ1+q] = textColumn{fmt.Sprintf("Q%d %s", q+1, quarterMonths(qp.Settings.StartMonth, q, qp.Settings.FiscalYear)), 128, true}
	}
	cols[qcPotential] = textColumn{potential, 80, true}
	cols[qcLastYear] = textColumn{"Last year", 104, true}
	cols[qcRegion] = textColumn{"Region", 100, false}
	cols[qcReps] = textColumn{"Reps", 130, false}
	cols[qcHow] = textColumn{"How", 520, false}
	rows := make([][]string, 0, len(qp.Territories)+1)
	bold := make([][]bool, 0, len(qp.Territories)+1)
	var pot, last, quota float64
	var quarters [4]float64
	lastKnown := false
	for _, t := range qp.Territories {
		r := make([]string, len(cols))
		r[qcTerritory] = t.Name
		r[qcRegion] = strings.Join(t.Regions, " / ")
		r[qcReps] = t.Reps
		r[qcPotential] = formatCount(t.Potential)
		r[qcLastYear] = "—"
		if t.LastYear.Known {
			r[qcLastYear] = v.money(t.LastYear.Value)
			last += t.LastYear.Value
			lastKnown = true
		}
		r[qcQuota] = "—"
		if t.Quota.Known && v.b.stored {
			r[qcQuota] = v.money(t.Quota.Value)
			quota += t.Quota.Value
			for q := range 4 {
				r[qcQ1+q] = v.money(t.Quarters[q])
				quarters[q] += t.Quarters[q]
			}
		}
		r[qcHow] = t.Explain
		if !v.b.stored {
			r[qcHow] = "no quota settings yet"
		}
		pot += t.Potential
		rows = append(rows, r)
		b := make([]bool, len(cols))
		b[qcQuota] = t.Overridden
		bold = append(bold, b)
	}
	total := make([]string, len(cols))
	total[qcTerritory] = "Total"
	total[qcPotential] = formatCount(pot)
	total[qcLastYear] = "—"
	if lastKnown {
		total[qcLastYear] = v.money(last)
	}
	total[qcQuota] = v.money(quota)
	for q := range 4 {
		total[qcQ1+q] = v.money(quarters[q])
	}
	if v.b.stored {
		total[qcHow] = fmt.Sprintf("should be %s; gap %s", v.money(qp.Report.Total), v.money(qp.Report.Gap))
	}
	rows = append(rows, total)
	b := make([]bool, len(cols))
	for i := range b {
		b[i] = true
	}
	bold = append(bold, b)
	v.terr.setRows(cols, rows, bold)
}

// quarterMonths names the months of fiscal quarter q (0 = Q1) of a year
// starting in start: "Jan–Mar", followed by the calendar year of its last
// month when fy (the fiscal year, QuotaSettings.FiscalYear) is not 0:
// "Jan–Mar 2028".
func quarterMonths(start time.Month, q, fy int) string {
	if start < time.January || start > time.December {
		start = time.January
	}
	first := time.Month((int(start)-1+3*q)%12 + 1)
	last := time.Month((int(start)-1+3*q+2)%12 + 1)
	s := first.String()[:3] + "–" + last.String()[:3]
	if fy > 0 {
		// The year of the quarter's last month: a fiscal year from July
		// 2027 has its Q3 in January–March 2028.
		s += fmt.Sprintf(" %d", fy+(int(start)-1+3*q+2)/12)
	}
	return s
}

// rollUpOverCol is the roll-up table's Over-assign column: tapping it on a
// region's row sets the region's over-assignment.
const rollUpOverCol = 4

// askRegionOverAssign asks for the over-assignment of the active
// scenario's region named name, in percent: its children's quotas then
// sum to its quota × (1 + over-assignment), so its own quota is their sum
// ÷ (1 + over-assignment) (planner.RollUp). Stored with
// sqlite.SetRegionsEdit as one undoable change.
func (v *quotaView) askRegionOverAssign(name string) {
	s := v.s
	if s == nil {
		return
	}
	idx := slices.IndexFunc(s.scenario.Regions, func(r planner.Region) bool { return r.Name == name })
	if idx < 0 {
		return
	}
	entry := widget.NewEntry()
	entry.SetText(trimNumber(s.scenario.Regions[idx].OverAssignPct))
	entry.Validator = func(text string) error {
		x, _, err := parsePercent(text)
		if err == nil && x <= -100 {
			err = errors.New("an over-assignment is more than -100%")
		}
		return err
	}
	v.m.askValue("Over-assignment of "+name, "Over-assignment (%)", entry,
		"The territories of "+name+" carry this much more quota than the region itself: its quota is their sum ÷ (1 + over-assignment). 0 means none.",
		func(text string) error {
			if v.s != s {
				return nil
			}
			return v.setRegionOverAssign(name, text)
		})
}

// setRegionOverAssign sets the over-assignment of the active scenario's
// region named name from text (a percentage above -100), as one undoable
// change.
func (v *quotaView) setRegionOverAssign(name, text string) error {
	s := v.s
	if s == nil {
		return errors.New("No plan is open")
	}
	idx := slices.IndexFunc(s.scenario.Regions, func(r planner.Region) bool { return r.Name == name })
	if idx < 0 {
		return planner.Errorf(planner.ENOTFOUND, "Scenario %q has no region %q", s.scenario.Name, name)
	}
	x, _, err := parsePercent(text)
	if err != nil {
		return err
	}
	if x <= -100 {
		return planner.Errorf(planner.EINVALID, "The over-assignment of %s must be more than -100%%, not %s%%", name, trimNumber(x))
	}
	from := slices.Clone(s.scenario.Regions)
	to := slices.Clone(from)
	to[idx].OverAssignPct = x
	v.m.commit(regionsChange(fmt.Sprintf("Set the over-assignment of %s to %s%%", name, trimNumber(x)), s, from, to), false)
	return nil
}

// regionsChange replaces the active scenario's regions from one list to
// another (the territories keep their regions), in memory and in the plan
// file.
func regionsChange(label string, s *session, from, to []planner.Region) *change {
	id := s.scenario.ID
	member := map[int64]int64{}
	for _, t := range s.scenario.Territories {
		if t.RegionID != 0 {
			member[t.ID] = t.RegionID
		}
	}
	set := func(rs []planner.Region) func(*session) {
		return func(s *session) {
			if sc := s.plan.Scenario(id); sc != nil {
				sc.Regions = slices.Clone(rs) // a new slice: snapshots keep theirs
			}
		}
	}
	return &change{
		label: label, do: set(to), undo: set(from),
		write:  []sqlite.Edit{sqlite.SetRegionsEdit(id, to, member)},
		revert: []sqlite.Edit{sqlite.SetRegionsEdit(id, from, member)},
	}
}

// setRollUpRows fills the roll-up table: the company, then regions, then
// managers.
func (v *quotaView) setRollUpRows(qp *planner.QuotaPlan) {
	var rows [][]string
	var bold [][]bool
	if v.b.stored {
		r := qp.Report
		s := qp.Settings
		rows = append(rows, []string{"Company", qp.Plan, v.money(s.Target),
			v.money(r.Overridden + r.Allocated), trimNumber(s.OverAssignPct) + "%", fmt.Sprintf("%d territories", len(qp.Territories)),
			fmt.Sprintf("target %s × (1 + %s%%) = %s; the territories sum to %s, gap %s", v.money(s.Target), trimNumber(s.OverAssignPct),
				v.money(r.Total), v.money(r.Overridden+r.Allocated), v.money(r.Gap))})
		bold = append(bold, []bool{true, true, true, true, false, false, false})
	}
	add := func(level string, l planner.RollUpQuota) {
		over := ""
		if l.OverAssignPct != 0 {
			over = trimNumber(l.OverAssignPct) + "%"
		}
		rows = append(rows, []string{level, l.Name, v.money(l.Quota), v.money(l.Sum), over, strings.Join(l.Children, ", "), l.Explain})
		bold = append(bold, nil)
	}
	for _, l := range qp.Regions {
		add("Region", l)
	}
	for _, l := range qp.Managers {
		add("Manager", l)
	}
	v.rollups.setRows(v.rollups.cols, rows, bold)
}

// setRepRows fills the reps' table.
func (v *quotaView) setRepRows(qp *planner.QuotaPlan) {
	rows := make([][]string, 0, len(qp.Reps)+1)
	var full, quota float64
	for _, r := range qp.Reps {
		start := ""
		if !r.Start.IsZero() {
			start = r.Start.Format("2006-01-02")
		}
		rows = append(rows, []string{r.Name, v.money(r.Quota), v.money(r.FullQuota), trimNumber(math.Round(1000*r.RampFactor)/10) + "%",
			r.Territories, r.Role, r.Manager, start, r.Explain})
		full += r.FullQuota
		quota += r.Quota
	}
	bold := make([][]bool, len(rows))
	if len(rows) > 0 {
		rows = append(rows, []string{"Total", v.money(quota), v.money(full), "", "", "", "", "", "after ramps"})
		bold = append(bold, []bool{true, true, true})
	}
	v.reps.setRows(v.reps.cols, rows, bold)
}

// showDetail writes the explanation of the selected territory (or the
// active one) under the tables.
func (v *quotaView) showDetail() {
	qp := v.b.qp
	if qp == nil || v.inner.SelectedIndex() != 0 {
		if qp == nil {
			v.detail.SetText("")
		}
		return
	}
	id := v.selected
	if id == 0 {
		id = v.m.ed.activeID
	}
	for _, t := range qp.Territories {
		if t.TerritoryID == id {
			how := t.Explain
			if !v.b.stored {
				how = "no quota settings yet"
			}
			v.detail.SetText(fmt.Sprintf("How %s's quota was computed: %s. Tap a quota to set it by hand.", t.Name, how))
			return
		}
	}
	v.detail.SetText("Tap a territory to see how its quota was computed; tap a quota to set it by hand.")
}

// territoryTapped selects a territory row; a tap on its quota asks for a
// quota set by hand.
func (v *quotaView) territoryTapped(row, col int) {
	qp := v.b.qp
	if qp == nil {
		return
	}
	if row >= len(qp.Territories) { // the total
		if v.b.stored {
			v.detail.SetText(gapText(qp))
			if qp.Report.Gap == 0 {
				v.detail.SetText(fmt.Sprintf("The quotas sum to %s, the target × (1 + over-assignment): no gap.", v.money(qp.Report.Total)))
			}
		}
		return
	}
	id := qp.Territories[row].TerritoryID
	v.selected = id
	v.m.setActive(id)
	v.showDetail()
	if col == qcQuota {
		v.askQuota(id)
	}
}

// quotaState is what a quota change sets: the plan's settings (nil for
// none), the active scenario's quotas by territory ID (absent: no quota),
// and which are set by hand.
type quotaState struct {
	settings   *planner.QuotaSettings
	quotas     map[int64]float64
	overridden map[int64]bool
}

// currentQuotaState reads the quota state of scenario sc of p.
func currentQuotaState(p *planner.Plan, sc *planner.Scenario) quotaState {
	st := quotaState{quotas: map[int64]float64{}, overridden: map[int64]bool{}}
	if p.Quota != nil {
		q := *p.Quota
		q.Ramp = slices.Clone(q.Ramp)
		st.settings = &q
	}
	for _, t := range sc.Territories {
		if t.Quota.Known {
			st.quotas[t.ID] = t.Quota.Value
			if t.QuotaOverride {
				st.overridden[t.ID] = true
			}
		}
	}
	return st
}

// clone returns a deep copy of st.
func (st quotaState) clone() quotaState {
	c := quotaState{quotas: maps.Clone(st.quotas), overridden: maps.Clone(st.overridden)}
	if c.quotas == nil {
		c.quotas = map[int64]float64{}
	}
	if c.overridden == nil {
		c.overridden = map[int64]bool{}
	}
	if st.settings != nil {
		q := *st.settings
		q.Ramp = slices.Clone(q.Ramp)
		c.settings = &q
	}
	return c
}

// quotaChange sets the quota settings and the quotas of scenario
// scenarioID from one state to another, in memory and in the plan file
// (sqlite.SetQuotasEdit, one transaction each way).
func quotaChange(label string, scenarioID int64, from, to quotaState) *change {
	from, to = from.clone(), to.clone()
	return &change{
		label:  label,
		do:     func(s *session) { to.applyTo(s, scenarioID) },
		undo:   func(s *session) { from.applyTo(s, scenarioID) },
		write:  []sqlite.Edit{sqlite.SetQuotasEdit(scenarioID, to.settings, to.quotas, to.overridden)},
		revert: []sqlite.Edit{sqlite.SetQuotasEdit(scenarioID, from.settings, from.quotas, from.overridden)},
	}
}

// applyTo sets st in memory: the plan's settings (a new copy, so that
// snapshots keep theirs) and the quotas of scenario scenarioID.
func (st quotaState) applyTo(s *session, scenarioID int64) {
	s.plan.Quota = st.clone().settings
	sc := s.plan.Scenario(scenarioID)
	if sc == nil {
		return
	}
	for i := range sc.Territories {
		t := &sc.Territories[i]
		q, ok := st.quotas[t.ID]
		t.Quota = planner.Measure{Value: q, Known: ok}
		t.QuotaOverride = ok && st.overridden[t.ID]
	}
}

// allocateStored allocates with the stored settings, or asks for them
// when the plan has none.
func (v *quotaView) allocateStored() {
	s := v.s
	if s == nil {
		return
	}
	if s.plan.Quota == nil {
		v.showSettings()
		return
	}
	v.allocate(*s.plan.Quota, true)
}

// allocate allocates the company target over the active scenario's
// territories with settings set (planner.QuotaInputs, which keeps the
// quotas set by hand unless keep is false, then planner.AllocateQuotas)
// off the UI thread, and stores the settings and quotas as one undoable
// change.
func (v *quotaView) allocate(set planner.QuotaSettings, keep bool) {
	s := v.s
	if s == nil {
		return
	}
	if err := set.Validate(); err != nil {
		v.m.showError(err)
		return
	}
	if len(s.scenario.Territories) == 0 {
		v.m.showError(errors.New("The scenario has no territories to give quotas to"))
		return
	}
	p := quotaSnapshot(s)
	sc := p.Scenario(s.scenario.ID)
	from := currentQuotaState(s.plan, s.scenario)
	m := v.m
	v.allocateBtn.Disable()
	m.setStatus("Allocating quotas…")
	m.tasks.Add(1)
	go func() {
		defer m.tasks.Done()
		var lines []planner.QuotaLine
		var rep planner.AllocationReport
		in, err := planner.QuotaInputs(p, sc, &set)
		if err == nil {
			if !keep {
				for i := range in {
					in[i].Override = nil
				}
			}
			lines, rep, err = planner.AllocateQuotas(in, set)
		}
		fyne.Do(func() {
			v.setButtons()
			if m.quitting.Load() || m.session != s || v.s != s {
				return
			}
			if err != nil {
				m.showError(err)
				return
			}
			to := quotaState{settings: &set, quotas: map[int64]float64{}, overridden: map[int64]bool{}}
			for _, l := range lines {
				if s.territory(l.TerritoryID) == nil {
					m.setStatus("The territories changed while quotas were allocated: press Allocate again.")
					return
				}
				to.quotas[l.TerritoryID] = l.Quota
				if l.Overridden {
					to.overridden[l.TerritoryID] = true
				}
			}
			label := fmt.Sprintf("Allocate quotas (%s over %d territories)", planner.FormatMoney(rep.Overridden+rep.Allocated, set.Currency), len(lines))
			m.commit(quotaChange(label, s.scenario.ID, from, to), false)
		})
	}()
}

// saveSettings stores settings set and keeps the quotas as they are, as
// one undoable change.
func (v *quotaView) saveSettings(set planner.QuotaSettings) {
	s := v.s
	if s == nil {
		return
	}
	if err := set.Validate(); err != nil {
		v.m.showError(err)
		return
	}
	from := currentQuotaState(s.plan, s.scenario)
	to := from.clone()
	to.settings = &set
	v.m.commit(quotaChange("Change the quota settings", s.scenario.ID, from, to), false)
}

// parseAmount reads an amount typed by the user: "50000000",
// "50,000,000", "$50 000 000", "1e6" (planner.ParseNumber with a decimal
// point and comma groups, after spaces are dropped). empty is true for
// blank text.
func parseAmount(text string) (v float64, empty bool, err error) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '_' {
			return -1
		}
		return r
	}, text)
	if t == "" {
		return 0, true, nil
	}
	x, ok := planner.ParseNumber(t, typedNumbers)
	if !ok {
		return 0, false, fmt.Errorf("%q is not a number", strings.TrimSpace(text))
	}
	return x, false, nil
}

// typedNumbers is how numbers typed in the app's forms are written: a
// decimal point and comma groups ("1,250,000.50").
var typedNumbers = planner.NumberFormat{Decimal: '.', Group: ','}

// askQuota asks for territory id's quota set by hand.
func (v *quotaView) askQuota(id int64) {
	s, qp := v.s, v.b.qp
	if s == nil || qp == nil {
		return
	}
	t := s.territory(id)
	if t == nil {
		return
	}
	if !v.b.stored {
		v.m.setStatus("Set the quota settings and allocate first (Settings…).")
		return
	}
	entry := widget.NewEntry()
	if t.Quota.Known {
		entry.SetText(strconv.FormatFloat(t.Quota.Value, 'f', -1, 64))
	}
	entry.Validator = func(text string) error {
		x, empty, err := parseAmount(text)
		if err == nil && !empty && x < 0 {
			err = errors.New("a quota is zero or more")
		}
		return err
	}
	help := "Type the annual quota of " + t.Name + " (" + qp.Settings.Currency + "): it is kept as set by hand when quotas are allocated again, and the gap to the target shows above the table."
	if t.QuotaOverride {
		help += " Leave it empty to give " + t.Name + " its allocated share again."
	}
	v.m.askValue("Quota of "+t.Name, "Annual quota", entry, help, func(text string) error {
		if v.s != s {
			return nil
		}
		return v.setOverride(id, text)
	})
}

// setOverride sets territory id's quota by hand from text (an amount, 0 or
// more), as one undoable change; empty text removes the override and gives
// the territory its allocated share again (planner.AllocateQuotas with the
// other territories' quotas set by hand kept). The other quotas stay: the
// gap shows what is missing or too much.
func (v *quotaView) setOverride(id int64, text string) error {
	s, qp := v.s, v.b.qp
	if s == nil || qp == nil || !v.b.stored || s.plan.Quota == nil {
		return errors.New("Set the quota settings and allocate first")
	}
	t := s.territory(id)
	if t == nil {
		return planner.Errorf(planner.ENOTFOUND, "The territory is gone")
	}
	x, empty, err := parseAmount(text)
	if err != nil {
		return fmt.Errorf("The quota of %s: %w", t.Name, err)
	}
	if !empty && x < 0 {
		return fmt.Errorf("The quota of %s must be zero or more, not %s", t.Name, strings.TrimSpace(text))
	}
	set := *s.plan.Quota
	from := currentQuotaState(s.plan, s.scenario)
	to := from.clone()
	label := fmt.Sprintf("Set the quota of %s to %s", t.Name, planner.FormatMoney(x, set.Currency))
	if empty {
		if !t.QuotaOverride {
			return nil // nothing set by hand to remove
		}
		in := quotaInputsOf(qp, s.scenario)
		for i := range in {
			if in[i].TerritoryID == id {
				in[i].Override = nil
			}
		}
		lines, _, err := planner.AllocateQuotas(in, set)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if l.TerritoryID == id {
				x = l.Quota
			}
		}
		delete(to.overridden, id)
		label = fmt.Sprintf("Allocate the quota of %s again (%s)", t.Name, planner.FormatMoney(x, set.Currency))
	} else {
		if t.QuotaOverride && t.Quota.Known && t.Quota.Value == x {
			return nil
		}
		to.overridden[id] = true
	}
	to.quotas[id] = x
	v.m.commit(quotaChange(label, s.scenario.ID, from, to), false)
	return nil
}

// quotaInputsOf returns the allocation inputs of the territories of qp
// (potential and last year as built) with the quotas set by hand in sc
// now.
func quotaInputsOf(qp *planner.QuotaPlan, sc *planner.Scenario) []planner.QuotaInput {
	in := make([]planner.QuotaInput, 0, len(qp.Territories))
	for _, tq := range qp.Territories {
		t := sc.Territory(tq.TerritoryID)
		if t == nil {
			continue
		}
		qi := planner.QuotaInput{TerritoryID: t.ID, Name: t.Name, Potential: tq.Potential, LastYear: tq.LastYear}
		if t.QuotaOverride && t.Quota.Known {
			o := t.Quota.Value
			qi.Override = &o
		}
		in = append(in, qi)
	}
	return in
}

// spreadGap spreads the gap over the territories not set by hand
// (planner.SpreadGap: in proportion to their allocation shares, within
// floors and ceilings) as one undoable change.
func (v *quotaView) spreadGap() {
	if err := v.spread(); err != nil {
		v.m.showError(err)
	}
}

func (v *quotaView) spread() error {
	s, qp := v.s, v.b.qp
	if s == nil || qp == nil || !v.b.stored || s.plan.Quota == nil {
		return errors.New("Set the quota settings and allocate first")
	}
	set := *s.plan.Quota
	in := quotaInputsOf(qp, s.scenario)
	// The shares, bounds and limits come from an allocation with the
	// current overrides; the quotas are the stored ones.
	lines, _, err := planner.AllocateQuotas(in, set)
	if err != nil {
		return err
	}
	for i := range lines {
		t := s.territory(lines[i].TerritoryID)
		lines[i].Quota = 0
		if t.Quota.Known {
			lines[i].Quota = t.Quota.Value
		}
	}
	gap := planner.ReportQuotas(lines, set).Gap
	if gap == 0 {
		v.m.setStatus("There is no gap to spread.")
		return nil
	}
	spread, rep, err := planner.SpreadGap(lines, set)
	if err != nil {
		return err
	}
	from := currentQuotaState(s.plan, s.scenario)
	to := from.clone()
	for _, l := range spread {
		to.quotas[l.TerritoryID] = l.Quota
	}
	v.m.commit(quotaChange("Spread the quota gap of "+planner.FormatMoney(gap, set.Currency), s.scenario.ID, from, to), false)
	if rep.Gap != 0 {
		v.m.setStatus(fmt.Sprintf("Spread the gap; %s is left: the floors, ceilings or quotas set by hand leave no room for it.", planner.FormatMoney(rep.Gap, set.Currency)))
	}
	return nil
}

// textColumn is one column of a textTable.
type textColumn struct {
	title    string
	width    float32 // dp
	trailing bool    // right-aligned: amounts
}

// textTable is a read-only table of text with a header row, bold cells
// where asked, and a tap callback.
type textTable struct {
	table *widget.Table
	cols  []textColumn
	rows  [][]string
	bold  [][]bool
	onTap func(row, col int)
}

func newTextTable(cols []textColumn, onTap func(row, col int)) *textTable {
	tt := &textTable{cols: cols, onTap: onTap}
	tt.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(tt.rows), len(tt.cols) },
		newTextCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := textCell(o)
			text.TextStyle = fyne.TextStyle{Bold: tt.isBold(id.Row, id.Col)}
			text.Alignment = fyne.TextAlignLeading
			text.Text = ""
			if id.Col >= 0 && id.Col < len(tt.cols) {
				c := tt.cols[id.Col]
				if c.trailing {
					text.Alignment = fyne.TextAlignTrailing
				}
				text.Text = fitText(tt.cell(id.Row, id.Col), c.width-2*theme.Padding(), text.TextSize, text.TextStyle)
			}
			text.Refresh()
		})
	setBoldHeader(tt.table, func(col int) (columnHeader, bool) {
		if col >= len(tt.cols) {
			return columnHeader{}, false
		}
		return columnHeader{title: tt.cols[col].title, trailing: tt.cols[col].trailing}, true
	})
	tt.table.OnSelected = func(id widget.TableCellID) {
		tt.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(tt.rows) && tt.onTap != nil {
			tt.onTap(id.Row, id.Col)
		}
	}
	tt.setRows(cols, nil, nil)
	return tt
}

// setRows replaces the columns and rows; bold[r][c] makes a cell bold.
func (tt *textTable) setRows(cols []textColumn, rows [][]string, bold [][]bool) {
	if cols != nil {
		tt.cols = cols
	}
	tt.rows, tt.bold = rows, bold
	for i, c := range tt.cols {
		tt.table.SetColumnWidth(i, c.width)
	}
	tt.table.Refresh()
}

// cell returns the text at row, col ("" out of range).
func (tt *textTable) cell(row, col int) string {
	if row < 0 || row >= len(tt.rows) || col < 0 || col >= len(tt.rows[row]) {
		return ""
	}
	return tt.rows[row][col]
}

func (tt *textTable) isBold(row, col int) bool {
	return row >= 0 && row < len(tt.bold) && col >= 0 && col < len(tt.bold[row]) && tt.bold[row][col]
}

// detail writes row's cells as "Title: text · Title: text" for the
// detail pane.
func (tt *textTable) detail(row int) string {
	if row < 0 || row >= len(tt.rows) {
		return ""
	}
	var parts []string
	for c, col := range tt.cols {
		if t := tt.cell(row, c); t != "" {
			parts = append(parts, col.title+": "+t)
		}
	}
	return strings.Join(parts, " · ")
}

// quotaForm is the quota settings dialog's form.
type quotaForm struct {
	plan                                                             *planner.Plan
	year, currency, target, over, rounding, wPot, wHist, floor, ceil *widget.Entry
	ramp                                                             *widget.Entry
	start, field                                                     *widget.Select
	byMonth, keep                                                    *widget.Check
	quarters                                                         [4]*widget.Entry
	months                                                           [12]*widget.Entry
	quarterLabels                                                    [4]*widget.Label
	seasonBox                                                        *fyne.Container
	total, msg                                                       *widget.Label
	content                                                          fyne.CanvasObject
}

// noField is the last-year field choice for none.
const noField = "None (potential only)"

// newQuotaForm builds the form for plan p with settings set; overrides is
// how many quotas are set by hand now (a "keep them" choice shows when
// there are some).
func newQuotaForm(p *planner.Plan, set planner.QuotaSettings, overrides int) *quotaForm {
	f := &quotaForm{plan: p}
	entry := func(v string, place string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(v)
		e.SetPlaceHolder(place)
		e.OnChanged = func(string) { f.check() }
		return e
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	f.year = entry(strconv.Itoa(set.FiscalYear), "2026")
	var months []string
	for mo := time.January; mo <= time.December; mo++ {
		months = append(months, mo.String())
	}
	f.start = widget.NewSelect(months, func(string) { f.relabel(); f.check() })
	f.start.SetSelectedIndex(max(int(set.StartMonth)-1, 0))
	f.currency = entry(set.Currency, "USD")
	f.target = entry(num(set.Target), "50,000,000")
	f.over = entry(num(set.OverAssignPct), "10")
	f.rounding = entry(num(set.Rounding), "1000")
	f.wPot = entry(num(set.WeightPotential), "0.6")
	f.wHist = entry(num(set.WeightHistory), "0.4")
	f.floor = entry(num(set.FloorPct), "-10 (0 = none)")
	f.ceil = entry(num(set.CeilingPct), "25 (0 = none)")
	var ramp []string
	for _, r := range set.Ramp {
		ramp = append(ramp, trimNumber(100*r))
	}
	f.ramp = entry(strings.Join(ramp, ", "), "0, 25, 50, 75 (empty = no ramp)")
	fields := []string{noField}
	for _, cf := range p.CustomFields {
		if cf.Numeric {
			fields = append(fields, cf.Name)
		}
	}
	f.field = widget.NewSelect(fields, func(name string) {
		if name != noField && strings.TrimSpace(f.wHist.Text) == "0" {
			f.wPot.SetText("0.6")
			f.wHist.SetText("0.4")
		}
		f.check()
	})
	f.field.SetSelected(noField)
	if set.HistoryField != "" {
		if !slices.Contains(fields, set.HistoryField) {
			f.field.Options = append(f.field.Options, set.HistoryField) // Validate will say what is wrong
		}
		f.field.SetSelected(set.HistoryField)
	}
	// The season: by quarter when each quarter's months are equal.
	zero := set.Season == [12]float64{}
	even := true
	var q [4]float64
	for j := range 4 {
		for k := range 3 {
			mo := (int(set.StartMonth) - 1 + 3*j + k) % 12
			q[j] += set.Season[mo]
			if set.Season[mo] != set.Season[(int(set.StartMonth)-1+3*j)%12] {
				even = false
			}
		}
	}
	for j := range 4 {
		text := trimNumber(q[j])
		if zero {
			text = "25"
		}
		f.quarters[j] = entry(text, "25")
		f.quarterLabels[j] = widget.NewLabel("")
	}
	for mo := range 12 {
		text := trimNumber(set.Season[mo])
		if zero {
			text = ""
		}
		f.months[mo] = entry(text, "8.33")
	}
	f.total = widget.NewLabel("")
	f.total.TextStyle = fyne.TextStyle{Bold: true}
	f.seasonBox = container.NewStack()
	f.byMonth = widget.NewCheck("By month", func(bool) { f.layoutSeason(); f.check() })
	f.byMonth.Checked = !zero && !even
	keep := "Keep the quota set by hand"
	if overrides > 1 {
		keep = fmt.Sprintf("Keep the %d quotas set by hand", overrides)
	}
	f.keep = widget.NewCheck(keep, nil)
	f.keep.Checked = true
	if overrides == 0 {
		f.keep.Hide()
	}
	f.msg = widget.NewLabel("")
	f.msg.Importance = widget.DangerImportance
	f.msg.Wrapping = fyne.TextWrapWord
	f.relabel()
	f.layoutSeason()

	left := widget.NewForm(
		widget.NewFormItem("Fiscal year", f.year),
		widget.NewFormItem("Starts in", f.start),
		widget.NewFormItem("Currency", f.currency),
		widget.NewFormItem("Company target", f.target),
		widget.NewFormItem("Over-assignment %", f.over),
		widget.NewFormItem("Rounding unit", f.rounding),
		widget.NewFormItem("Ramp % by month", f.ramp))
	right := widget.NewForm(
		widget.NewFormItem("Weight of potential", f.wPot),
		widget.NewFormItem("Weight of last year", f.wHist),
		widget.NewFormItem("Last year's sales", f.field),
		widget.NewFormItem("Floor % vs last year", f.floor),
		widget.NewFormItem("Ceiling % vs last year", f.ceil),
		widget.NewFormItem("", f.keep))
	season := container.NewBorder(nil, nil, container.NewVBox(widget.NewLabelWithStyle("Seasonality", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), f.byMonth),
		f.total, f.seasonBox)
	help := widget.NewLabel("Quotas are split over territories by the weighted mix of their share of potential and of last year's sales, within the floor and ceiling, and rounded to the unit; quarters and months follow the season percentages (which must total 100%); a new rep carries the ramp's percentage of full quota in each month since their start, then 100%.")
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	f.content = container.NewVBox(container.NewGridWithColumns(2, left, right), widget.NewSeparator(), season, help, f.msg)
	f.check()
	return f
}

// relabel names the quarters' months after a change of start month.
func (f *quotaForm) relabel() {
	if f.quarterLabels[3] == nil {
		return // still being built
	}
	start := time.Month(f.start.SelectedIndex() + 1)
	for j := range 4 {
		f.quarterLabels[j].SetText(fmt.Sprintf("Q%d %s", j+1, quarterMonths(start, j, 0)))
	}
}

// layoutSeason shows four quarter entries or twelve month entries.
func (f *quotaForm) layoutSeason() {
	var grid *fyne.Container
	if f.byMonth.Checked {
		grid = container.NewGridWithColumns(6)
		for mo := range 12 {
			grid.Add(container.NewBorder(nil, nil, widget.NewLabel(time.Month(mo + 1).String()[:3]), nil, f.months[mo]))
		}
	} else {
		grid = container.NewGridWithColumns(4)
		for j := range 4 {
			grid.Add(container.NewBorder(nil, nil, f.quarterLabels[j], nil, f.quarters[j]))
		}
	}
	f.seasonBox.Objects = []fyne.CanvasObject{container.NewVBox(grid)} // entries keep their height
	f.seasonBox.Refresh()
}

// seasonTotal returns the sum of the season entries shown, and false when
// one is not a number.
func (f *quotaForm) seasonTotal() (float64, bool) {
	entries := f.quarters[:]
	if f.byMonth.Checked {
		entries = f.months[:]
	}
	sum := 0.0
	for _, e := range entries {
		x, _, err := parsePercent(e.Text)
		if err != nil {
			return 0, false
		}
		sum += x
	}
	return sum, true
}

// check updates the season's total and the message under the form.
func (f *quotaForm) check() {
	if f.msg == nil || f.total == nil {
		return // still being built
	}
	if sum, ok := f.seasonTotal(); ok {
		f.total.SetText(fmt.Sprintf("Total %s%%", trimNumber(sum)))
		f.total.Importance = widget.MediumImportance
		if sum != 0 && math.Abs(sum-100) > 1e-6 {
			f.total.SetText(fmt.Sprintf("Total %s%%: must be 100%%", trimNumber(sum)))
			f.total.Importance = widget.DangerImportance
		}
		f.total.Refresh()
	}
	if _, err := f.settings(); err != nil {
		f.msg.SetText(planner.ErrorMessage(err))
	} else {
		f.msg.SetText("")
	}
}

// parsePercent reads a percentage typed by the user: "10", "10%",
// "-10", "−10", "8.5" (planner.ParseNumber); blank is 0 with empty true.
func parsePercent(text string) (float64, bool, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return 0, true, nil
	}
	x, ok := planner.ParseNumber(t, typedNumbers)
	if !ok {
		return 0, false, fmt.Errorf("%q is not a percentage", t)
	}
	return x, false, nil
}

// settings reads the form; errors name the setting (then
// planner.QuotaSettings.Validate's).
func (f *quotaForm) settings() (planner.QuotaSettings, error) {
	var s planner.QuotaSettings
	y, err := strconv.Atoi(strings.TrimSpace(f.year.Text))
	if err != nil {
		return s, planner.Errorf(planner.EINVALID, "The fiscal year %q is not a year such as 2026", strings.TrimSpace(f.year.Text))
	}
	s.FiscalYear = y
	s.StartMonth = time.Month(f.start.SelectedIndex() + 1)
	s.Currency = strings.ToUpper(strings.TrimSpace(f.currency.Text))
	amount := func(name string, e *widget.Entry, dst *float64) error {
		x, _, err := parseAmount(e.Text)
		if err != nil {
			return planner.Errorf(planner.EINVALID, "%s: %s", name, err)
		}
		*dst = x
		return nil
	}
	pct := func(name string, e *widget.Entry, dst *float64) error {
		x, _, err := parsePercent(e.Text)
		if err != nil {
			return planner.Errorf(planner.EINVALID, "%s: %s", name, err)
		}
		*dst = x
		return nil
	}
	for _, err := range []error{
		amount("The company target", f.target, &s.Target),
		pct("The over-assignment", f.over, &s.OverAssignPct),
		amount("The rounding unit", f.rounding, &s.Rounding),
		pct("The weight of potential", f.wPot, &s.WeightPotential),
		pct("The weight of last year", f.wHist, &s.WeightHistory),
		pct("The floor", f.floor, &s.FloorPct),
		pct("The ceiling", f.ceil, &s.CeilingPct),
	} {
		if err != nil {
			return s, err
		}
	}
	if name := f.field.Selected; name != "" && name != noField {
		s.HistoryField = name
	}
	if s.WeightHistory > 0 && s.HistoryField == "" {
		return s, planner.Errorf(planner.EINVALID, "Last year has a weight but no field of last year's sales is chosen: choose one, or set its weight to 0")
	}
	if t := strings.TrimSpace(f.ramp.Text); t != "" {
		for i, part := range strings.Split(t, ",") {
			x, empty, err := parsePercent(part)
			if err != nil || empty {
				return s, planner.Errorf(planner.EINVALID, "The ramp's month %d: %q is not a percentage", i+1, strings.TrimSpace(part))
			}
			s.Ramp = append(s.Ramp, x/100)
		}
	}
	if f.byMonth.Checked {
		for mo := range 12 {
			x, _, err := parsePercent(f.months[mo].Text)
			if err != nil {
				return s, planner.Errorf(planner.EINVALID, "The season of %s: %s", time.Month(mo+1), err)
			}
			s.Season[mo] = x
		}
	} else {
		var q [4]float64
		for j := range 4 {
			x, _, err := parsePercent(f.quarters[j].Text)
			if err != nil {
				return s, planner.Errorf(planner.EINVALID, "The season of Q%d: %s", j+1, err)
			}
			if x < 0 {
				return s, planner.Errorf(planner.EINVALID, "The season of Q%d must be zero or more, not %s%%", j+1, trimNumber(x))
			}
			q[j] = x
		}
		if sum := q[0] + q[1] + q[2] + q[3]; sum != 0 && math.Abs(sum-100) > 1e-6 {
			return s, planner.Errorf(planner.EINVALID, "The season percentages add up to %s%%, not 100%%", trimNumber(sum))
		}
		s.Season = planner.QuarterSeason(q, s.StartMonth)
	}
	return s, s.Validate()
}

// showSettings opens the quota settings dialog: Allocate allocates with
// them, Save settings keeps the quotas.
func (v *quotaView) showSettings() {
	s := v.s
	if s == nil {
		return
	}
	set := defaultQuotaSettings(v.m.Now())
	if s.plan.Quota != nil {
		set = *s.plan.Quota
	}
	overrides := 0
	for _, t := range s.scenario.Territories {
		if t.QuotaOverride && t.Quota.Known {
			overrides++
		}
	}
	f := newQuotaForm(s.plan, set, overrides)
	var d dialog.Dialog
	run := func(allocate bool) {
		got, err := f.settings()
		if err != nil {
			f.msg.SetText(planner.ErrorMessage(err))
			return
		}
		d.Hide()
		if v.s != s {
			return
		}
		if allocate {
			v.allocate(got, f.keep.Checked)
		} else {
			v.saveSettings(got)
		}
	}
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	save := widget.NewButton("Save settings", func() { run(false) })
	alloc := widget.NewButtonWithIcon("Allocate", theme.MediaPlayIcon(), func() { run(true) })
	alloc.Importance = widget.HighImportance
	body := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, save, alloc), nil, nil,
		container.NewVScroll(f.content))
	d = dialog.NewCustomWithoutButtons("Quota settings", body, v.m.win)
	d.Resize(fyne.NewSize(820, 620))
	d.Show()
	v.form = f
	v.formRun = run
}
