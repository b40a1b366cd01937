package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// ruleCheckDelay is how long the segment editor waits after the last
// keystroke in the rule before counting its matches off the UI thread.
const ruleCheckDelay = 250 * time.Millisecond

// maxSuggestions is the most distinct values of a text field that the
// rule builder offers as suggestions (e.g. the sample's hospital types).
const maxSuggestions = 40

// Choices of the segment editor.
var (
	ruleOps     = []string{"=", "≠", "<", "≤", ">", "≥", "in list", "contains", "is empty", "is not empty"}
	ruleOpsText = []string{"=", "!=", "<", "<=", ">", ">=", "in", "contains", "is empty", "is not empty"}
	tierModes   = []string{"No tiers", "By quantile (% of members)", "By threshold (lower bound)"}
)

// segmentEditor is the dialog that creates or edits a segment: its name,
// its rule with a live check and a small builder, its tiers and its
// overlay team.
type segmentEditor struct {
	m    *Meridian
	s    *session
	plan *planner.Plan // a snapshot for background counts
	id   int64         // the segment edited, 0 for a new one
	dlg  dialog.Dialog

	name    *widget.Entry
	nameMsg *widget.Label
	rule    *widget.Entry
	status  *widget.Label // "1,234 accounts match" or the rule's error
	field   *widget.Select
	op      *widget.Select
	value   *widget.SelectEntry
	// suggestions are the value entry's choices (the field's distinct
	// values when few).
	suggestions []string

	tierMode *widget.Select
	// lastMode is tierMode's index before its last change (0: no tiers).
	lastMode int
	metric   *widget.Select
	tierBox  *fyne.Container
	tiers    []tierRow
	tierMsg  *widget.Label
	addTier  *widget.Button

	team   *widget.Entry
	reps   *widget.CheckGroup
	repIDs map[string]int64 // check label -> rep ID

	ok *widget.Button

	ruleOK   bool // the rule parsed and was counted without error
	matched  int  // accounts the rule matched at the last check
	checkGen int
	doneGen  atomic.Int64 // the checkGen of the last check finished
	timer    *time.Timer
	// checked, when set, is called on the UI thread after each live
	// check of the rule (tests wait on it).
	checked func()
}

// tierRow is one tier's line in the editor: name and value.
type tierRow struct {
	name, value *widget.Entry
	box         *fyne.Container
}

// showSegmentEditor opens the segment editor on g (nil: a new segment).
// Call on the UI thread.
func (m *Meridian) showSegmentEditor(g *planner.Segment) *segmentEditor {
	s := m.session
	if s == nil {
		return nil
	}
	e := &segmentEditor{m: m, s: s, plan: s.snapshotPlan()}
	p := s.plan
	fields := p.RuleFields()

	e.name = widget.NewEntry()
	e.name.SetPlaceHolder("e.g. Large acute hospitals")
	e.nameMsg = widget.NewLabel("")
	e.nameMsg.Importance = widget.DangerImportance
	e.rule = widget.NewMultiLineEntry()
	e.rule.Wrapping = fyne.TextWrapWord
	e.rule.SetMinRowsVisible(3)
	e.rule.SetPlaceHolder("e.g. Beds >= 200 and Type = 'GENERAL ACUTE CARE' (empty: every account)")
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord

	e.value = widget.NewSelectEntry(nil)
	e.value.SetPlaceHolder("value (in list: a, b, c)")
	e.field = widget.NewSelect(fields, func(string) { e.suggest() })
	e.op = widget.NewSelect(ruleOps, func(string) {
		i := e.op.SelectedIndex()
		if i >= 8 { // is (not) empty: no value
			e.value.Disable()
		} else {
			e.value.Enable()
		}
	})
	e.op.SetSelectedIndex(0)
	and := widget.NewButton("Add with AND", func() { e.addClause("and") })
	or := widget.NewButton("Add with OR", func() { e.addClause("or") })
	valueBox := container.NewGridWrap(fyne.NewSize(200, e.value.MinSize().Height), e.value)
	builder := container.NewHBox(e.field, e.op, valueBox, and, or)

	numeric := numericFields(p)
	e.metric = widget.NewSelect(numeric, func(string) { e.tiersChanged() })
	e.tierMode = widget.NewSelect(tierModes, func(string) { e.tierModeChanged() })
	e.tierBox = container.NewVBox()
	e.tierMsg = widget.NewLabel("")
	e.tierMsg.Importance = widget.DangerImportance
	e.tierMsg.Wrapping = fyne.TextWrapWord
	e.addTier = widget.NewButtonWithIcon("Add tier", theme.ContentAddIcon(), func() {
		e.addTierRow(nextTierName(e.tiers), "")
		e.validate()
	})

	e.team = widget.NewEntry()
	e.team.SetPlaceHolder("e.g. Key accounts (empty: no overlay team)")
	e.repIDs = map[string]int64{}
	var repLabels []string
	for _, r := range p.Reps {
		label := r.Name
		if _, dup := e.repIDs[label]; dup || label == "" {
			label = fmt.Sprintf("%s (rep %d)", r.Name, r.ID)
		}
		e.repIDs[label] = r.ID
		repLabels = append(repLabels, label)
	}
	e.reps = widget.NewCheckGroup(repLabels, nil)
	e.reps.Horizontal = false

	// Fill from g, or the defaults of a new segment.
	title := "New segment"
	if g != nil {
		title = "Edit segment " + g.Name
		e.id = g.ID
		e.name.SetText(g.Name)
		e.rule.SetText(g.Rule)
		e.team.SetText(g.OverlayTeam)
		var sel []string
		for label, id := range e.repIDs {
			if slices.Contains(g.OverlayReps, id) {
				sel = append(sel, label)
			}
		}
		slices.Sort(sel)
		e.reps.SetSelected(sel)
	} else {
		e.name.SetText(uniqueSegmentName(p, "Segment "+strconv.Itoa(len(p.Segments)+1)))
	}
	if len(fields) > 6 {
		e.field.SetSelectedIndex(6) // the segment field (the sample's hospital Type): it has suggestions
	} else if len(fields) > 0 {
		e.field.SetSelectedIndex(0)
	}
	if len(numeric) > 0 {
		e.metric.SetSelectedIndex(0)
	}
	if g != nil && g.Tiers != nil {
		if i := slices.Index(numeric, g.Tiers.Metric); i >= 0 {
			e.metric.SetSelectedIndex(i)
		} else {
			e.metric.SetOptions(append(numeric, g.Tiers.Metric))
			e.metric.SetSelected(g.Tiers.Metric)
		}
		for _, t := range g.Tiers.Tiers {
			e.addTierRow(t.Name, trimNumber(t.Value))
		}
		if g.Tiers.ByQuantile {
			e.tierMode.SetSelectedIndex(1)
		} else {
			e.tierMode.SetSelectedIndex(2)
		}
	} else {
		e.tierMode.SetSelectedIndex(0)
	}

	e.name.OnChanged = func(string) { e.validate() }
	e.rule.OnChanged = func(string) { e.ruleChanged() }

	e.ok = widget.NewButtonWithIcon("OK", theme.ConfirmIcon(), e.submit)
	e.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { e.close() })

	var reps fyne.CanvasObject = container.NewGridWrap(fyne.NewSize(560, 110), container.NewVScroll(e.reps))
	if len(p.Reps) == 0 {
		none := widget.NewLabel("The plan has no reps yet: File > Import rep roster… adds them.")
		none.Importance = widget.LowImportance
		reps = none
	}
	form := widget.NewForm(
		widget.NewFormItem("Name", container.NewVBox(e.name, e.nameMsg)),
		widget.NewFormItem("Rule", container.NewVBox(e.rule, e.status)),
		widget.NewFormItem("Build", container.NewHScroll(builder)),
		widget.NewFormItem("Tiers", container.NewVBox(container.NewHBox(e.tierMode, widget.NewLabel("on"), e.metric),
			e.tierBox, container.NewHBox(e.addTier), e.tierMsg)),
		widget.NewFormItem("Overlay team", e.team),
		widget.NewFormItem("Overlay reps", reps),
	)
	buttons := container.NewHBox(layout.NewSpacer(), cancel, e.ok)
	content := container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(form))
	e.dlg = dialog.NewCustomWithoutButtons(title, content, m.win)
	e.dlg.Resize(fyne.NewSize(940, 700))
	e.ruleChanged()
	e.dlg.Show()
	m.sv.editor = e
	return e
}

// close closes the dialog.
func (e *segmentEditor) close() {
	e.stopTimer()
	e.checkGen++ // drop checks under way
	e.dlg.Hide()
	if e.m.sv.editor == e {
		e.m.sv.editor = nil
	}
}

// stopTimer stops the pending rule check, if any.
func (e *segmentEditor) stopTimer() {
	if e.timer != nil && e.timer.Stop() {
		e.m.tasks.Done() // its function will not run
	}
	e.timer = nil
}

// numericFields returns the rule fields that tiers may rank by: the
// potential, then the numeric custom fields.
func numericFields(p *planner.Plan) []string {
	fields := p.RuleFields()
	var out []string
	if len(fields) > 8 {
		out = append(out, fields[8]) // the potential, as RuleFields names it
	}
	for _, c := range p.CustomFields {
		if c.Numeric {
			out = append(out, c.Name)
		}
	}
	return out
}

// ruleChanged checks the rule as it is typed: its syntax at once on the
// UI thread (cheap), then its matches after a pause, off the UI thread.
func (e *segmentEditor) ruleChanged() {
	e.checkGen++
	gen := e.checkGen
	e.ruleOK = false
	e.stopTimer()
	text := e.rule.Text
	r, err := planner.ParseRule(text)
	if err != nil {
		e.showStatus(planner.ErrorMessage(err), true)
		e.validate()
		e.doneGen.Store(int64(gen))
		if e.checked != nil {
			e.checked()
		}
		return
	}
	e.showStatus("Counting…", false)
	e.validate()
	plan := e.plan
	tiers, _ := e.tiering() // nil when none or not valid yet
	e.m.tasks.Add(1)        // done when the check ran, or in stopTimer
	check := func() {
		defer e.m.tasks.Done()
		n, sizes, warnings := 0, "", plan.RuleWarnings(r)
		var err error
		// With tiers, the rule and the tiers in one pass; without them, or
		// when the tier metric fails (said under the tiers), the rule alone.
		ms, terr := planner.Membership{}, error(nil)
		if tiers != nil {
			ms, terr = plan.SegmentMembers(&planner.Segment{Name: "check", Rule: text, Tiers: tiers})
		}
		if tiers != nil && terr == nil {
			n, sizes = ms.Members, tierSizesText(tiers, ms)
		} else {
			var in []bool
			in, err = plan.MatchRule(r)
			for _, ok := range in {
				if ok {
					n++
				}
			}
		}
		fyne.Do(func() {
			if gen != e.checkGen {
				return
			}
			if err != nil {
				e.showStatus(planner.ErrorMessage(err), true)
			} else {
				e.ruleOK, e.matched = true, n
				msg := plural(n, "account matches", "accounts match") + " of " + formatCount(float64(len(plan.Accounts))) + "."
				if strings.TrimSpace(text) == "" {
					msg = "The rule is empty: every account (" + formatCount(float64(n)) + ") is a member."
				}
				if sizes != "" {
					msg += " Tiers: " + sizes + "."
				}
				for _, w := range warnings {
					msg += "\nCheck: " + w + "."
				}
				e.showStatus(msg, false)
				if len(warnings) > 0 { // legal, so OK stays enabled
					e.status.Importance = widget.WarningImportance
					e.status.Refresh()
				}
			}
			e.validate()
			e.doneGen.Store(int64(gen))
			if e.checked != nil {
				e.checked()
			}
		})
	}
	if e.m.syncDerive { // tests: see Meridian.goBackground
		check()
		return
	}
	e.timer = time.AfterFunc(ruleCheckDelay, check)
}

// showStatus shows the rule's check result, red for an error.
func (e *segmentEditor) showStatus(text string, bad bool) {
	e.status.Importance = widget.MediumImportance
	if bad {
		e.status.Importance = widget.DangerImportance
	}
	e.status.SetText(text)
}

// segment returns the segment the dialog describes, and an error when it
// is not valid yet (name, tiers); the rule's own check is e.ruleOK.
func (e *segmentEditor) segment() (planner.Segment, error) {
	g := planner.Segment{ID: e.id, Name: strings.TrimSpace(e.name.Text), Rule: strings.TrimSpace(e.rule.Text),
		OverlayTeam: strings.TrimSpace(e.team.Text)}
	if g.Name == "" {
		return g, planner.Errorf(planner.EINVALID, "A segment needs a name.")
	}
	for _, h := range e.s.plan.Segments {
		if h.ID != e.id && planner.SameScenarioName(h.Name, g.Name) {
			return g, planner.Errorf(planner.EINVALID, "Another segment is called %s.", h.Name)
		}
	}
	for _, label := range e.reps.Selected {
		if id, ok := e.repIDs[label]; ok {
			g.OverlayReps = append(g.OverlayReps, id)
		}
	}
	slices.Sort(g.OverlayReps)
	t, err := e.tiering()
	g.Tiers = t
	return g, err
}

// tiering returns the tiers the dialog describes (nil for none), or an
// error that names the tier at fault.
func (e *segmentEditor) tiering() (*planner.Tiering, error) {
	i := e.tierMode.SelectedIndex()
	if i <= 0 {
		return nil, nil
	}
	t := &planner.Tiering{Metric: e.metric.Selected, ByQuantile: i == 1}
	for k, row := range e.tiers {
		v, empty, err := parseAmount(row.value.Text)
		if err != nil || empty {
			return nil, planner.Errorf(planner.EINVALID, "Tier %d (%s): %q is not a number.", k+1, row.name.Text, row.value.Text)
		}
		t.Tiers = append(t.Tiers, planner.Tier{Name: strings.TrimSpace(row.name.Text), Value: v})
	}
	if err := planner.CheckTiering(t); err != nil {
		return nil, planner.Errorf(planner.EINVALID, "Tiers: %s.", planner.ErrorMessage(err))
	}
	return t, nil
}

// tiersChanged checks the tiers and counts the members of each again.
func (e *segmentEditor) tiersChanged() {
	if e.ok == nil { // still being built
		return
	}
	e.ruleChanged()
}

// validate shows what is wrong with the name and tiers, and enables OK
// only when the segment is valid and its rule was checked.
func (e *segmentEditor) validate() {
	if e.ok == nil { // still being built
		return
	}
	_, err := e.segment()
	e.nameMsg.SetText("")
	e.tierMsg.SetText("")
	if err != nil {
		msg := planner.ErrorMessage(err)
		if strings.HasPrefix(msg, "Tier") {
			e.tierMsg.SetText(msg)
		} else {
			e.nameMsg.SetText(msg)
		}
	}
	setEnabled(e.ok, err == nil && e.ruleOK)
}

// tierModeChanged shows or hides the tier rows; choosing tiers on a
// segment without any fills in A 20 / B 30 / C 50. Switching from
// quantiles to thresholds turns the shares into the thresholds that split
// the members the same way (see planner.QuantileThresholds), and back
// again to 20/30/50 when the values are not shares.
func (e *segmentEditor) tierModeChanged() {
	mode := e.tierMode.SelectedIndex()
	on := mode > 0
	if on && len(e.tiers) == 0 {
		for _, t := range planner.DefaultTiering("").Tiers {
			e.addTierRow(t.Name, trimNumber(t.Value))
		}
	}
	if on && mode != e.lastMode && e.lastMode > 0 {
		e.convertTiers(mode == 1)
	}
	e.lastMode = mode
	if on {
		e.metric.Enable()
		e.addTier.Enable()
		e.tierBox.Show()
	} else {
		e.metric.Disable()
		e.addTier.Disable()
		e.tierBox.Hide()
	}
	e.validate()
}

// convertTiers rewrites the tier values for a switch between quantiles
// (toQuantile) and thresholds. To thresholds: the values that split the
// rule's members as the current shares do, when they are valid shares and
// the rule and metric work. To quantiles: 20/30/50 (or equal shares) when
// the values are not valid shares.
func (e *segmentEditor) convertTiers(toQuantile bool) {
	values := make([]float64, len(e.tiers))
	for k, row := range e.tiers {
		v, empty, err := parseAmount(row.value.Text)
		if err != nil || empty {
			v = -1
		}
		values[k] = v
	}
	if toQuantile {
		t := &planner.Tiering{Metric: e.metric.Selected, ByQuantile: true}
		for k, row := range e.tiers {
			t.Tiers = append(t.Tiers, planner.Tier{Name: row.name.Text, Value: values[k]})
		}
		if planner.CheckTiering(t) == nil {
			return
		}
		shares := equalShares(len(e.tiers))
		for k, row := range e.tiers {
			row.value.SetText(trimNumber(shares[k]))
		}
		return
	}
	t := &planner.Tiering{Metric: e.metric.Selected, ByQuantile: true}
	for k, row := range e.tiers {
		t.Tiers = append(t.Tiers, planner.Tier{Name: strings.TrimSpace(row.name.Text), Value: values[k]})
	}
	cuts, err := planner.QuantileThresholds(e.plan, &planner.Segment{Name: "check", Rule: strings.TrimSpace(e.rule.Text), Tiers: t})
	if err != nil {
		return // the rule or shares are not valid: the user types thresholds
	}
	for k, row := range e.tiers {
		row.value.SetText(trimNumber(cuts[k]))
	}
}

// equalShares returns the quantile shares of n tiers: 20/30/50 for three,
// else equal shares summing to 100 (the last one takes the rounding).
func equalShares(n int) []float64 {
	if n == 3 {
		return []float64{20, 30, 50}
	}
	out := make([]float64, n)
	sum := 0.0
	for k := range out {
		out[k] = math.Floor(100 / float64(n))
		sum += out[k]
	}
	if n > 0 {
		out[n-1] += 100 - sum
	}
	return out
}

// tierSizesText is the live check's tier sizes: "A 302 · B 452 · C 754",
// with the members that have no tier.
func tierSizesText(t *planner.Tiering, ms planner.Membership) string {
	parts := make([]string, 0, len(t.Tiers)+1)
	tiered := 0
	for k, tier := range t.Tiers {
		n := 0
		if k < len(ms.TierSizes) {
			n = ms.TierSizes[k]
		}
		tiered += n
		parts = append(parts, tier.Name+" "+formatCount(float64(n)))
	}
	if rest := ms.Members - tiered; rest > 0 {
		parts = append(parts, formatCount(float64(rest))+" with no tier")
	}
	return strings.Join(parts, " · ")
}

// addTierRow adds a tier line with name and value.
func (e *segmentEditor) addTierRow(name, value string) {
	row := tierRow{name: widget.NewEntry(), value: widget.NewEntry()}
	row.name.SetText(name)
	row.value.SetText(value)
	row.name.OnChanged = func(string) { e.validate() }
	row.value.OnChanged = func(string) { e.tiersChanged() }
	var remove *widget.Button
	remove = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		for i := range e.tiers {
			if e.tiers[i].box == row.box {
				e.tiers = slices.Delete(e.tiers, i, i+1)
				break
			}
		}
		e.tierBox.Remove(row.box)
		e.validate()
	})
	row.box = container.NewHBox(container.NewGridWrap(fyne.NewSize(120, row.name.MinSize().Height), row.name),
		container.NewGridWrap(fyne.NewSize(120, row.value.MinSize().Height), row.value), remove)
	e.tiers = append(e.tiers, row)
	e.tierBox.Add(row.box)
}

// nextTierName returns the first letter A, B, C, ... no tier row has.
func nextTierName(rows []tierRow) string {
	for c := 'A'; c <= 'Z'; c++ {
		used := false
		for _, r := range rows {
			used = used || strings.EqualFold(strings.TrimSpace(r.name.Text), string(c))
		}
		if !used {
			return string(c)
		}
	}
	return "Tier"
}

// suggest offers the distinct values of the builder's field as choices of
// the value entry when it is a text field with few of them (e.g. the
// hospital types), computed off the UI thread.
func (e *segmentEditor) suggest() {
	idx := e.field.SelectedIndex()
	plan := e.plan
	e.value.SetOptions(nil)
	e.suggestions = nil
	if idx < 0 {
		return
	}
	e.m.tasks.Add(1)
	e.m.goBackground(func() {
		defer e.m.tasks.Done()
		values := distinctValues(plan, idx, maxSuggestions)
		fyne.Do(func() {
			if e.field.SelectedIndex() == idx {
				e.suggestions = values
				e.value.SetOptions(values)
			}
		})
	})
}

// distinctValues returns the distinct non-empty values (sorted) of rule
// field idx (an index in p.RuleFields()) over p's accounts, or nil when
// the field is numeric, a name or an ID, or has more than limit of them.
func distinctValues(p *planner.Plan, idx, limit int) []string {
	var get func(a *planner.Account) string
	switch idx {
	case 3:
		get = func(a *planner.Account) string { return a.City }
	case 4:
		get = func(a *planner.Account) string { return a.State }
	case 6:
		get = func(a *planner.Account) string { return a.Segment }
	case 7:
		get = func(a *planner.Account) string { return a.Owner }
	case 10:
		get = func(a *planner.Account) string { return a.Match.String() }
	default:
		k := idx - 11
		if k < 0 || k >= len(p.CustomFields) || p.CustomFields[k].Numeric {
			return nil
		}
		get = func(a *planner.Account) string {
			if k < len(a.Fields) {
				return a.Fields[k]
			}
			return ""
		}
	}
	seen := map[string]bool{}
	for i := range p.Accounts {
		v := strings.TrimSpace(get(&p.Accounts[i]))
		if v == "" || seen[v] {
			continue
		}
		if seen[v] = true; len(seen) > limit {
			return nil
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// addClause appends the builder's clause to the rule with and/or.
func (e *segmentEditor) addClause(join string) {
	clause, err := ruleClause(e.field.Selected, e.op.SelectedIndex(), e.value.Text)
	if err != nil {
		e.showStatus(planner.ErrorMessage(err), true)
		return
	}
	e.rule.SetText(appendClause(e.rule.Text, join, clause))
}

// ruleClause writes one comparison of the rule language (planner.
// ParseRule): field, operator (an index in ruleOps) and value; the field
// bare when it reads back so, else in [brackets]; the value bare when a
// number, else in single quotes; "in list" splits the value on commas.
func ruleClause(field string, op int, value string) (string, error) {
	if strings.TrimSpace(field) == "" || op < 0 || op >= len(ruleOpsText) {
		return "", planner.Errorf(planner.EINVALID, "Choose a field and an operator first.")
	}
	f := field
	if r, err := planner.ParseRule(field + " is empty"); err != nil || !slices.Equal(r.Fields(), []string{field}) {
		f = "[" + strings.ReplaceAll(field, "]", "]]") + "]"
	}
	value = strings.TrimSpace(value)
	switch ruleOpsText[op] {
	case "is empty", "is not empty":
		return f + " " + ruleOpsText[op], nil
	case "in":
		var vals []string
		for _, v := range strings.Split(value, ",") {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, quoteRuleValue(v))
			}
		}
		if len(vals) == 0 {
			return "", planner.Errorf(planner.EINVALID, "Type the list's values, separated by commas.")
		}
		return f + " in (" + strings.Join(vals, ", ") + ")", nil
	}
	if value == "" {
		return "", planner.Errorf(planner.EINVALID, "Type a value to compare %s with.", field)
	}
	return f + " " + ruleOpsText[op] + " " + quoteRuleValue(value), nil
}

// quoteRuleValue writes v bare when it is a number, else in single quotes
// (a quote doubled).
func quoteRuleValue(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// appendClause joins rule and clause with join ("and" or "or"); a rule
// with an OR is put in parentheses before AND (AND binds tighter).
func appendClause(rule, join, clause string) string {
	rule = strings.TrimSpace(rule)
	if rule == "" {
		return clause
	}
	if join == "and" {
		lower := " " + strings.ToLower(rule) + " "
		if strings.Contains(lower, " or ") || strings.Contains(lower, "||") || strings.Contains(lower, ")or ") {
			rule = "(" + rule + ")"
		}
	}
	return rule + " " + join + " " + clause
}

// submit saves the segment as one undoable change and closes the dialog.
func (e *segmentEditor) submit() {
	g, err := e.segment()
	if err != nil || !e.ruleOK {
		return
	}
	s := e.s
	if s != e.m.session {
		e.close()
		return
	}
	to := cloneSegments(s.plan.Segments)
	label := "Edit segment " + g.Name
	if i := slices.IndexFunc(to, func(x planner.Segment) bool { return x.ID == g.ID && g.ID != 0 }); i >= 0 {
		to[i] = g
	} else {
		g.ID = nextSegmentID(s.plan)
		to = append(to, g)
		label = "New segment " + g.Name
	}
	e.close()
	e.m.commit(segmentsChange(label, s.plan.Segments, to), false)
}
