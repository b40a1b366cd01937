package app

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// noAccountsText is the Accounts tab's label when the plan has no account.
const noAccountsText = "No accounts: File > Import accounts… adds them"

// Texts of the Accounts tab's filters.
const (
	allTerritoriesText = "All territories"
	whiteSpaceText     = "White space"
	allMatchText       = "Any location"
)

// matchChoices are the match-level filter's choices after allMatchText,
// with their levels.
var matchChoices = []struct {
	label string
	level planner.MatchLevel
}{
	{"Point", planner.MatchPoint}, {"Postal code", planner.MatchPostal}, {"City", planner.MatchCity}, {"None", planner.MatchNone},
}

// accountsAsyncRows is the number of accounts above which the Accounts
// tab filters and sorts in a goroutine (and debounces typing in its
// search): below it the work takes well under a millisecond.
const accountsAsyncRows = 5000

// searchDelay is how long the search waits after the last keystroke
// before filtering a large plan.
const searchDelay = 200 * time.Millisecond

// checkColumnWidth is the width (dp) of the Accounts table's leading
// selection column.
const checkColumnWidth = 30

// Texts of the selection column.
const (
	checkedText   = "☑"
	uncheckedText = "☐"
)

// accountColumn is one data column of the Accounts table.
type accountColumn struct {
	title    string
	width    float32 // dp, the cell's content width (Table.SetColumnWidth)
	trailing bool    // right-aligned: numbers
	// value returns the whole text of account i (an index in
	// Plan.Accounts) in data d: cells shorten it to their width when drawn.
	value func(d *accountsData, i int) string
	// number, for numeric columns, returns account i's number and whether
	// it is known; nil sorts the column as text (case-insensitive).
	number func(d *accountsData, i int) (float64, bool)
	// dynamic is true when the value depends on the scenario (territory,
	// override), not on the account alone: its sort keys are not cached.
	dynamic bool
}

// accountsData is what the Accounts table shows, replaced whole (never
// changed) by set, so that a background filter can read it while the UI
// thread replaces it: the plan (a shallow copy with its own segment
// list), each account's territory, the named accounts and the columns.
type accountsData struct {
	plan          *planner.Plan
	owners        []int64          // per account: territory ID, 0 white space; nil when no scenario
	territoryName map[int64]string // the scenario's territories by ID
	territories   []planner.Territory
	named         map[int64]int64 // account ID -> owner, the scenario's overrides
	was           map[int64]int64 // account ID -> geographic territory, for named accounts
	columns       []accountColumn
	unitName      map[string]string
	keys          *accountKeys // per plan, shared by the data of the same plan
	members       *memberCache // the session's; nil without one
	// placement texts for PlacedInside, PlacedNearest, no location and
	// outside every unit, in the plan's unit level words.
	inUnit, nearUnit, noLocation, outside string
}

// accountKeys are the sort and search keys of one plan's accounts,
// computed on first use (off the UI thread for large plans) and kept while
// the plan's accounts are shown.
type accountKeys struct {
	mu   sync.Mutex
	hay  []string         // per account: lower-case name, city, state, ZIP, external ID, segment, owner
	text map[int][]string // per column: lower-case values
	num  map[int][]float64
}

// accountQuery is what the Accounts tab's controls ask for.
type accountQuery struct {
	search    string        // lower-case, trimmed; "" for none
	seg       segmentFilter // noFilter for every account
	territory int64         // -1 for all, 0 for white space, else a territory ID
	match     int           // -1 for all, else a planner.MatchLevel
	namedOnly bool
	sortCol   int // data column, -1 for plan order
	desc      bool
}

// filters reports whether q drops or reorders any account.
func (q accountQuery) filters() bool {
	return q.search != "" || !q.seg.all() || q.territory >= 0 || q.match >= 0 || q.namedOnly || q.sortCol >= 0
}

// accountsView is the Accounts tab: one row per account of the plan with
// its fields, its territory in the active scenario, its override, its
// geography unit and how it was located, then one column per custom field
// (issue 5); with search, filters (segment, territory, match level, named
// only), sorting by any column, row selection, and named-account overrides
// (issue 7).
//
// The table is virtualised (widget.Table creates cells for the visible rows
// only): cell text is computed when a row is drawn. Filtering and sorting
// build order; above accountsAsyncRows accounts they run in a goroutine.
type accountsView struct {
	m       *Meridian
	content fyne.CanvasObject // the tab's content: controls above the table

	label     *widget.Label
	table     *widget.Table
	search    *widget.Entry
	segment   *widget.Select
	territory *widget.Select
	match     *widget.Select
	namedOnly *widget.Check
	selLabel  *widget.Label
	assign    *widget.Button
	unname    *widget.Button

	plan    *planner.Plan
	data    *accountsData
	columns []accountColumn // data.columns
	// order maps a table row to an index in plan.Accounts; nil shows every
	// account in plan order.
	order []int32
	// territory holds each account's territory ID in the scenario shown
	// (Scenario.AccountTerritories), 0 for white space.
	territoryIDs []int64
	// unitName maps a unit code to its name; built once per plan (units
	// do not change while a plan is open).
	unitName  map[string]string
	unitsOf   *planner.GeographyUnit // &plan.Units[0] when unitName was built
	unitCount int
	keysOf    *planner.Account // &plan.Accounts[0] of data.keys
	keysLen   int

	segFilters  []segmentFilter // one per segment option
	territories []int64         // one per territory option: -1 all, 0 white space, IDs
	ignore      bool            // set while controls are updated from code

	sortCol int // data column sorted on, -1 for none
	desc    bool

	selected  []bool // per account of plan: ticked
	nSelected int

	gen         int         // counts filter requests; the latest wins
	searchTimer *time.Timer // debounces the search on large plans
	// refiltered, when set, is called on the UI thread after a filter or
	// sort was applied (tests wait on it).
	refiltered func()
}

// newAccountsView builds the Accounts tab, empty until set. Call on the UI
// thread.
func (m *Meridian) newAccountsView() *accountsView {
	av := &accountsView{m: m, label: widget.NewLabel(noAccountsText), sortCol: -1}
	av.label.Truncation = fyne.TextTruncateEllipsis
	av.data = &accountsData{plan: &planner.Plan{}}
	av.table = widget.NewTableWithHeaders(
		func() (int, int) { return av.rowCount(), len(av.columns) + 1 },
		newTextCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := textCell(o)
			text.Text = ""
			if i, ok := av.accountAt(id.Row); ok {
				switch {
				case id.Col == 0:
					text.Text = uncheckedText
					if i < len(av.selected) && av.selected[i] {
						text.Text = checkedText
					}
					text.Alignment = fyne.TextAlignCenter
				case id.Col <= len(av.columns):
					c := &av.columns[id.Col-1]
					text.Text = fitText(c.value(av.data, i), c.width-2*theme.Padding(), text.TextSize, text.TextStyle)
					text.Alignment = alignment(c.trailing)
				}
			}
			text.Refresh()
		})
	av.table.ShowHeaderColumn = false
	av.table.StickyColumnCount = 2 // the tick and the name stay in view
	av.table.CreateHeader = func() fyne.CanvasObject { return newSortHeader() }
	av.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		h := o.(*sortHeader)
		h.col = id.Col - 1
		h.onTap = av.headerTapped
		title, width, trailing := "", float32(0), false
		if id.Col == 0 {
			title, width = "✓", checkColumnWidth
		} else if c := id.Col - 1; c >= 0 && c < len(av.columns) {
			title, width, trailing = av.columns[c].title, av.columns[c].width, av.columns[c].trailing
			if c == av.sortCol {
				if av.desc {
					title += " ▼"
				} else {
					title += " ▲"
				}
			}
		}
		h.set(title, width, trailing)
	}
	av.table.OnSelected = func(id widget.TableCellID) {
		if id.Col == 0 {
			av.toggleRow(id.Row)
			av.table.UnselectAll()
		}
	}
	av.table.SetColumnWidth(0, checkColumnWidth)

	av.search = widget.NewEntry()
	av.search.SetPlaceHolder("Search name, city, state, ZIP, ID, segment, owner, territory")
	av.search.OnChanged = func(string) { av.searchChanged() }
	av.segment = widget.NewSelect([]string{allAccountsText}, func(string) {
		if !av.ignore {
			av.refilter()
		}
	})
	av.territory = widget.NewSelect([]string{allTerritoriesText}, func(string) {
		if !av.ignore {
			av.refilter()
		}
	})
	matchOpts := []string{allMatchText}
	for _, c := range matchChoices {
		matchOpts = append(matchOpts, c.label)
	}
	av.match = widget.NewSelect(matchOpts, func(string) {
		if !av.ignore {
			av.refilter()
		}
	})
	av.namedOnly = widget.NewCheck("Named only", func(bool) {
		if !av.ignore {
			av.refilter()
		}
	})
	av.ignore = true
	av.segment.SetSelectedIndex(0)
	av.territory.SetSelectedIndex(0)
	av.match.SetSelectedIndex(0)
	av.ignore = false

	av.selLabel = widget.NewLabel("No row ticked")
	av.assign = widget.NewButton("Assign to territory…", av.askAssign)
	av.unname = widget.NewButton("Remove override", av.removeOverride)
	av.assign.Disable()
	av.unname.Disable()
	filters := container.NewHBox(widget.NewLabel("Segment:"), minWidth(av.segment, 210), widget.NewLabel("Territory:"), minWidth(av.territory, 170),
		widget.NewLabel("Location:"), av.match, av.namedOnly)
	selection := container.NewHBox(av.selLabel, widget.NewButton("Select all shown", av.selectAllShown),
		widget.NewButton("Clear", av.clearSelection), widget.NewSeparator(), av.assign, av.unname)
	top := container.NewVBox(av.label, av.search, container.NewHScroll(filters), container.NewHScroll(selection))
	av.content = container.NewBorder(top, nil, nil, nil, av.table)
	return av
}

// sortHeader is a header cell of the Accounts table: a bold title that
// sorts its column when tapped.
type sortHeader struct {
	widget.BaseWidget
	text  *canvas.Text
	col   int // data column, -1 for the tick column
	onTap func(col int)
}

func newSortHeader() *sortHeader {
	h := &sortHeader{col: -1}
	h.text = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	h.text.TextStyle = fyne.TextStyle{Bold: true}
	h.text.TextSize = theme.TextSize() - 1
	h.ExtendBaseWidget(h)
	return h
}

// set shows title fitted to width (dp; 0 does not fit).
func (h *sortHeader) set(title string, width float32, trailing bool) {
	h.text.Color = theme.Color(theme.ColorNameForeground)
	h.text.Text = title
	if width > 0 {
		h.text.Text = fitText(title, width-2*theme.Padding(), h.text.TextSize, h.text.TextStyle)
	}
	h.text.Alignment = alignment(trailing)
	h.text.Refresh()
}

// Tapped sorts by the header's column.
func (h *sortHeader) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap(h.col)
	}
}

// CreateRenderer draws the padded title.
func (h *sortHeader) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(h.text))
}

// headerTapped sorts by data column col: ascending first, then toggling
// the direction on each tap of the same column.
func (av *accountsView) headerTapped(col int) {
	if col < 0 || col >= len(av.columns) {
		return
	}
	if av.sortCol == col {
		av.desc = !av.desc
	} else {
		av.sortCol, av.desc = col, false
	}
	av.table.Refresh()
	av.refilter()
}

// sortBy sorts by data column col (-1: plan order), descending or not.
func (av *accountsView) sortBy(col int, desc bool) {
	if col >= len(av.columns) {
		col = -1
	}
	av.sortCol, av.desc = col, desc
	av.table.Refresh()
	av.refilter()
}

// set shows the accounts of plan p with their territories in scenario s
// (nil: every account in white space); p nil shows none. Call on the UI
// thread, and again after the scenario's alignment or the plan's accounts
// change.
func (av *accountsView) set(p *planner.Plan, s *planner.Scenario) {
	var owners []int64
	if p != nil && s != nil {
		owners = s.AccountTerritories(p)
	}
	av.setOwners(p, s, owners)
}

// setOwners is set with each account's territory already computed
// (owners[i] for p.Accounts[i], as Scenario.AccountTerritories gives, for
// instance by the background derive), so that the UI thread does not walk
// every account after each edit; owners of another length are computed
// here. Filters and sorting are applied again (off the UI thread for
// large plans); ticked rows stay ticked while the plan's accounts are the
// same.
func (av *accountsView) setOwners(p *planner.Plan, s *planner.Scenario, owners []int64) {
	if p == nil {
		p = &planner.Plan{}
	}
	samePlan := av.plan == p && len(p.Accounts) == av.keysLen && (len(p.Accounts) == 0 || &p.Accounts[0] == av.keysOf)
	pc := *p
	pc.Segments = cloneSegments(p.Segments)
	d := &accountsData{plan: &pc, territoryName: map[int64]string{}}
	if s != nil {
		if len(owners) != len(p.Accounts) {
			owners = s.AccountTerritories(p)
		}
		d.owners = owners
		d.territories = slices.Clone(s.Territories)
		for _, t := range s.Territories {
			d.territoryName[t.ID] = t.Name
		}
		d.named = maps.Clone(s.NamedAccounts)
		d.was = namedFrom(p, s)
	}
	if av.m != nil && av.m.session != nil && av.m.session.plan == p && av.m.session.seg != nil {
		d.members = &av.m.session.seg.members
	} else {
		d.members = &memberCache{}
	}
	if len(p.Units) != av.unitCount || len(p.Units) > 0 && &p.Units[0] != av.unitsOf {
		av.unitName = make(map[string]string, len(p.Units))
		for i := range p.Units {
			av.unitName[p.Units[i].Code] = p.Units[i].Name
		}
		av.unitCount, av.unitsOf = len(p.Units), nil
		if len(p.Units) > 0 {
			av.unitsOf = &p.Units[0]
		}
	}
	d.unitName = av.unitName
	if samePlan && av.data.keys != nil {
		d.keys = av.data.keys
	} else {
		d.keys = &accountKeys{}
		av.keysLen, av.keysOf = len(p.Accounts), nil
		if len(p.Accounts) > 0 {
			av.keysOf = &p.Accounts[0]
		}
	}
	level := strings.TrimSpace(p.UnitLevel)
	if level == "" {
		level = "Unit"
	}
	lower := strings.ToLower(level)
	d.inUnit = "in " + lower
	d.nearUnit = fmt.Sprintf("nearest %s (≤%g km)", lower, float64(planner.DefaultSnapKm))
	d.noLocation = "not located"
	d.outside = "outside every " + lower
	d.columns = accountColumns(p, level)

	if !samePlan {
		av.order = nil
		av.selected = make([]bool, len(p.Accounts))
		av.nSelected = 0
		if av.sortCol >= len(d.columns) {
			av.sortCol = -1
		}
	}
	av.plan, av.data, av.columns, av.territoryIDs = p, d, d.columns, d.owners
	av.setChoices(p, s)

	av.showCount()
	for i, c := range av.columns {
		av.table.SetColumnWidth(i+1, c.width)
	}
	av.updateSelection()
	if av.query().filters() {
		av.refilter()
	} else {
		av.order = nil
		av.showCount()
		av.table.Refresh()
	}
}

// namedFrom returns, for each named account of scenario s, the territory
// its geography gives it (0 for white space): "named (was Pacific)".
func namedFrom(p *planner.Plan, s *planner.Scenario) map[int64]int64 {
	if len(s.NamedAccounts) == 0 {
		return nil
	}
	geoS := *s
	geoS.NamedAccounts = nil
	out := make(map[int64]int64, len(s.NamedAccounts))
	if len(s.NamedAccounts) > 200 { // one pass over the accounts
		geo := geoS.GeographicTerritories(p)
		for i := range p.Accounts {
			if _, ok := s.NamedAccounts[p.Accounts[i].ID]; ok {
				out[p.Accounts[i].ID] = geo[i]
			}
		}
		return out
	}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if _, ok := s.NamedAccounts[a.ID]; ok {
			out[a.ID] = geoS.AccountTerritory(a)
		}
	}
	return out
}

// setChoices fills the segment and territory filters' choices for plan p
// and scenario s, keeping the choices made when they still exist.
func (av *accountsView) setChoices(p *planner.Plan, s *planner.Scenario) {
	av.ignore = true
	defer func() { av.ignore = false }()
	seg := noFilter
	if i := av.segment.SelectedIndex(); i >= 0 && i < len(av.segFilters) {
		seg = av.segFilters[i]
	}
	labels, filters := segmentChoices(p)
	av.segFilters = filters
	av.segment.SetOptions(labels)
	av.segment.SetSelectedIndex(max(0, slices.Index(filters, seg)))

	terr := int64(-1)
	if i := av.territory.SelectedIndex(); i >= 0 && i < len(av.territories) {
		terr = av.territories[i]
	}
	names := []string{allTerritoriesText}
	ids := []int64{-1}
	if s != nil {
		for _, t := range s.Territories {
			names = append(names, t.Name)
			ids = append(ids, t.ID)
		}
	}
	names, ids = append(names, whiteSpaceText), append(ids, 0)
	av.territories = ids
	av.territory.SetOptions(names)
	av.territory.SetSelectedIndex(max(0, slices.Index(ids, terr)))
}

// followFilter sets the segment filter to f, as the active segment filter
// changed to it.
func (av *accountsView) followFilter(f segmentFilter) {
	i := slices.Index(av.segFilters, f)
	if i < 0 || i == av.segment.SelectedIndex() {
		return
	}
	av.ignore = true
	av.segment.SetSelectedIndex(i)
	av.ignore = false
	av.refilter()
}

// query returns what the controls ask for.
func (av *accountsView) query() accountQuery {
	q := accountQuery{seg: noFilter, territory: -1, match: -1, sortCol: av.sortCol, desc: av.desc}
	q.search = strings.ToLower(strings.TrimSpace(av.search.Text))
	if i := av.segment.SelectedIndex(); i >= 0 && i < len(av.segFilters) {
		q.seg = av.segFilters[i]
	}
	if i := av.territory.SelectedIndex(); i >= 0 && i < len(av.territories) {
		q.territory = av.territories[i]
	}
	if i := av.match.SelectedIndex(); i > 0 && i <= len(matchChoices) {
		q.match = int(matchChoices[i-1].level)
	}
	q.namedOnly = av.namedOnly.Checked
	return q
}

// searchChanged filters as the search text changes: at once on small
// plans, after a pause in typing on large ones.
func (av *accountsView) searchChanged() {
	if len(av.plan.Accounts) <= accountsAsyncRows || (av.m != nil && av.m.syncDerive) {
		av.refilter()
		return
	}
	m := av.m
	if av.searchTimer != nil && av.searchTimer.Stop() && m != nil {
		m.tasks.Done() // the stopped timer's
	}
	if m != nil {
		m.tasks.Add(1) // tests wait for the search to be applied
	}
	av.searchTimer = time.AfterFunc(searchDelay, func() {
		if m != nil {
			defer m.tasks.Done()
			if m.quitting.Load() {
				return
			}
		}
		fyne.Do(av.refilter)
	})
}

// refilter applies the controls' filters and sort: on the UI thread up to
// accountsAsyncRows accounts, else in a goroutine whose result is shown if
// no later request was made meanwhile.
func (av *accountsView) refilter() {
	q, d := av.query(), av.data
	av.gen++
	gen := av.gen
	if !q.filters() {
		av.applyOrder(nil, nil)
		return
	}
	if len(d.plan.Accounts) <= accountsAsyncRows {
		order, err := accountOrder(d, q)
		av.applyOrder(order, err)
		return
	}
	av.label.SetText("Filtering " + plural(len(d.plan.Accounts), "account", "accounts") + "…")
	m := av.m
	if m != nil {
		m.tasks.Add(1)
	}
	m.goBackground(func() {
		if m != nil {
			defer m.tasks.Done()
		}
		order, err := accountOrder(d, q)
		fyne.Do(func() {
			if gen != av.gen || d != av.data || (m != nil && m.quitting.Load()) {
				return
			}
			av.applyOrder(order, err)
		})
	})
}

// applyOrder shows the rows of order (nil: every account in plan order).
func (av *accountsView) applyOrder(order []int32, err error) {
	av.order = order
	av.showCount()
	if err != nil {
		av.label.SetText(av.label.Text + " · segment filter: " + planner.ErrorMessage(err))
	}
	av.table.Refresh()
	if av.refiltered != nil {
		av.refiltered()
	}
}

// showCount writes how many accounts are shown in the label.
func (av *accountsView) showCount() {
	n := len(av.plan.Accounts)
	if n == 0 {
		av.label.SetText(noAccountsText)
		return
	}
	text := plural(n, "account", "accounts")
	if av.order != nil && len(av.order) != n {
		text = formatCount(float64(len(av.order))) + " of " + text + " shown"
	}
	if k := len(av.plan.CustomFields); k > 0 {
		text += " · " + plural(k, "custom field", "custom fields")
	}
	av.label.SetText(text)
}

// accountOrder returns the indexes in d.plan.Accounts of the accounts that
// q keeps, in q's order (nil when q keeps every account in plan order). It
// reads only d, which is never changed, and is safe off the UI thread.
// Cost: O(accounts) for the filters (the search is a substring test on a
// precomputed lower-case text per account), O(k log k) comparisons of
// precomputed keys for the sort of k rows; keys are built once per plan
// and column. An error says why the segment filter could not be applied
// (every account is then kept by it).
func accountOrder(d *accountsData, q accountQuery) ([]int32, error) {
	if !q.filters() {
		return nil, nil
	}
	acc := d.plan.Accounts
	var in []bool
	var err error
	if !q.seg.all() && d.members != nil {
		in, _, err = d.members.filterIn(d.plan, q.seg)
	}
	var hay []string
	var terrHit map[int64]bool
	if q.search != "" {
		hay = d.keys.haystack(acc)
		terrHit = map[int64]bool{}
		for id, name := range d.territoryName {
			terrHit[id] = strings.Contains(strings.ToLower(name), q.search)
		}
		terrHit[0] = strings.Contains(strings.ToLower(whiteSpaceText), q.search)
	}
	order := make([]int32, 0, len(acc))
	for i := range acc {
		if in != nil && (i >= len(in) || !in[i]) {
			continue
		}
		owner := int64(0)
		if i < len(d.owners) && (q.territory >= 0 || q.search != "") {
			if _, ok := d.territoryName[d.owners[i]]; ok { // else shown as white space
				owner = d.owners[i]
			}
		}
		if q.territory >= 0 && owner != q.territory {
			continue
		}
		if q.match >= 0 && int(acc[i].Match) != q.match {
			continue
		}
		if q.namedOnly {
			if _, ok := d.named[acc[i].ID]; !ok {
				continue
			}
		}
		if q.search != "" && !strings.Contains(hay[i], q.search) && !terrHit[owner] {
			continue
		}
		order = append(order, int32(i))
	}
	if q.sortCol >= 0 && q.sortCol < len(d.columns) {
		sortAccounts(d, order, q.sortCol, q.desc)
	}
	return order, err
}

// haystack returns each account's lower-case search text (name, city,
// state, ZIP, external ID, segment and owner, separated by NUL so that a
// search does not match across fields), built once per plan.
func (k *accountKeys) haystack(acc []planner.Account) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.hay) == len(acc) && k.hay != nil {
		return k.hay
	}
	hay := make([]string, len(acc))
	var b strings.Builder
	for i := range acc {
		a := &acc[i]
		b.Reset()
		for j, f := range [...]string{a.Name, a.City, a.State, a.ZIP, a.ExternalID, a.Segment, a.Owner} {
			if j > 0 {
				b.WriteByte(0)
			}
			b.WriteString(f)
		}
		hay[i] = strings.ToLower(b.String())
	}
	k.hay = hay
	return hay
}

// sortAccounts sorts order (indexes in d.plan.Accounts) by data column
// col, ascending or descending, stably (ties keep plan order). Numeric
// columns compare as numbers, others as case-insensitive text; unknown
// numbers and empty texts come last in both directions. It sorts (key,
// index) pairs with slices.SortFunc (pattern-defeating quicksort, O(k log
// k)) and breaks ties by index, which gives the stable order faster than
// a stable sort of the indexes (insertion sort and in-place merges, O(k
// log² k) comparisons, each through two key lookups).
func sortAccounts(d *accountsData, order []int32, col int, desc bool) {
	c := &d.columns[col]
	if c.number != nil {
		keys := d.keys.numbers(d, col)
		type pair struct {
			k       float64
			unknown bool
			i       int32
		}
		pairs := make([]pair, len(order))
		for j, i := range order {
			k := keys[i]
			pairs[j] = pair{k, math.IsNaN(k), i}
			if desc {
				pairs[j].k = -k
			}
		}
		slices.SortFunc(pairs, func(a, b pair) int {
			switch {
			case a.unknown != b.unknown:
				return boolCmp(a.unknown, b.unknown)
			case a.unknown || a.k == b.k:
				return int(a.i - b.i)
			case a.k < b.k:
				return -1
			default:
				return 1
			}
		})
		for j := range pairs {
			order[j] = pairs[j].i
		}
		return
	}
	keys := d.keys.texts(d, col)
	type pair struct {
		k string
		i int32
	}
	pairs := make([]pair, len(order))
	for j, i := range order {
		pairs[j] = pair{keys[i], i}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.k == "" || b.k == "" {
			if r := boolCmp(a.k == "", b.k == ""); r != 0 {
				return r
			}
			return int(a.i - b.i)
		}
		r := strings.Compare(a.k, b.k)
		if desc {
			r = -r
		}
		if r == 0 {
			return int(a.i - b.i)
		}
		return r
	})
	for j := range pairs {
		order[j] = pairs[j].i
	}
}

// boolCmp orders false before true.
func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	default:
		return -1
	}
}

// numbers returns column col's numbers per account, NaN when unknown:
// cached per plan, except dynamic columns.
func (k *accountKeys) numbers(d *accountsData, col int) []float64 {
	c := &d.columns[col]
	k.mu.Lock()
	defer k.mu.Unlock()
	if keys, ok := k.num[col]; ok && !c.dynamic && len(keys) == len(d.plan.Accounts) {
		return keys
	}
	keys := make([]float64, len(d.plan.Accounts))
	for i := range keys {
		keys[i] = math.NaN()
		if v, ok := c.number(d, i); ok && !math.IsNaN(v) {
			keys[i] = v
		}
	}
	if !c.dynamic {
		if k.num == nil {
			k.num = map[int][]float64{}
		}
		k.num[col] = keys
	}
	return keys
}

// texts returns column col's lower-case texts per account: cached per
// plan, except dynamic columns (computed per call from a per-value cache,
// with no allocation per account).
func (k *accountKeys) texts(d *accountsData, col int) []string {
	c := &d.columns[col]
	k.mu.Lock()
	defer k.mu.Unlock()
	if keys, ok := k.text[col]; ok && !c.dynamic && len(keys) == len(d.plan.Accounts) {
		return keys
	}
	keys := make([]string, len(d.plan.Accounts))
	lower := map[string]string{} // the few distinct values of dynamic columns
	for i := range keys {
		v := c.value(d, i)
		if c.dynamic {
			l, ok := lower[v]
			if !ok {
				l = strings.ToLower(v)
				lower[v] = l
			}
			keys[i] = l
		} else {
			keys[i] = strings.ToLower(v)
		}
	}
	if !c.dynamic {
		if k.text == nil {
			k.text = map[int][]string{}
		}
		k.text[col] = keys
	}
	return keys
}

// accountColumns returns the data columns for plan p: the account's
// fields, its territory and override, unit (headed level) and placement,
// then its custom fields.
func accountColumns(p *planner.Plan, level string) []accountColumn {
	acc := p.Accounts
	potential := p.PotentialName
	if strings.TrimSpace(potential) == "" {
		potential = "Potential"
	}
	segment := p.SegmentName // the source's word for it, e.g. "Type"
	if strings.TrimSpace(segment) == "" {
		segment = "Segment"
	}
	text := func(title string, width float32, f func(a *planner.Account) string) accountColumn {
		return accountColumn{title: title, width: width, value: func(_ *accountsData, i int) string { return f(&acc[i]) }}
	}
	cols := []accountColumn{
		text("Name", 240, func(a *planner.Account) string { return a.Name }),
		text("External ID", 100, func(a *planner.Account) string { return a.ExternalID }),
		text("City", 120, func(a *planner.Account) string { return a.City }),
		text("State", 44, func(a *planner.Account) string { return a.State }),
		text("ZIP", 56, func(a *planner.Account) string { return a.ZIP }),
		text(segment, 150, func(a *planner.Account) string { return a.Segment }),
		text("Owner", 120, func(a *planner.Account) string { return a.Owner }),
		{title: potential, width: 70, trailing: true,
			value: func(_ *accountsData, i int) string {
				if v := acc[i].Potential; v.Known {
					return formatCount(v.Value)
				}
				return "no data"
			},
			number: func(_ *accountsData, i int) (float64, bool) { return acc[i].Potential.Value, acc[i].Potential.Known }},
		{title: "Territory", width: 150, value: territoryText, dynamic: true},
		{title: "Named", width: 150, value: namedText, dynamic: true},
		{title: level, width: 120, value: func(d *accountsData, i int) string {
			code := acc[i].UnitCode
			if name, ok := d.unitName[code]; ok && name != "" {
				return name
			}
			return code // "" when none; the bare code when the plan lacks the unit
		}},
		{title: "Located by", width: 180, value: func(d *accountsData, i int) string {
			a := &acc[i]
			switch {
			case a.UnitCode != "" && a.Placement == planner.PlacedNearest:
				return d.nearUnit
			case a.UnitCode != "":
				return d.inUnit
			case a.HasLocation:
				return d.outside
			default:
				return d.noLocation
			}
		}},
		text("Location from", 110, func(a *planner.Account) string { return a.Match.String() }),
	}
	for k, f := range p.CustomFields {
		w := float32(120)
		if f.Numeric {
			w = 80
		}
		// Wide enough for the header, within reason.
		if hw := fyne.MeasureText(f.Name, theme.TextSize()-1, fyne.TextStyle{Bold: true}).Width + 2*theme.Padding(); hw > w {
			w = min(hw, 220)
		}
		value := func(_ *accountsData, i int) string {
			if k < len(acc[i].Fields) {
				return acc[i].Fields[k]
			}
			return ""
		}
		c := accountColumn{title: f.Name, width: w, trailing: f.Numeric, value: value}
		if f.Numeric {
			c.number = func(_ *accountsData, i int) (float64, bool) {
				if k >= len(acc[i].Fields) {
					return 0, false
				}
				v, err := strconv.ParseFloat(strings.TrimSpace(acc[i].Fields[k]), 64)
				return v, err == nil
			}
		}
		cols = append(cols, c)
	}
	return cols
}

// territoryText is the name of account i's territory, or "White space".
func territoryText(d *accountsData, i int) string {
	if i < len(d.owners) {
		if name, ok := d.territoryName[d.owners[i]]; ok {
			return name
		}
	}
	return whiteSpaceText
}

// namedText is "named (was Pacific)" for a named account (with the
// territory its geography gives it, "white space" when none), "" for
// others.
func namedText(d *accountsData, i int) string {
	if i >= len(d.plan.Accounts) || d.named == nil {
		return ""
	}
	id := d.plan.Accounts[i].ID
	if _, ok := d.named[id]; !ok {
		return ""
	}
	if name, ok := d.territoryName[d.was[id]]; ok {
		return "named (was " + name + ")"
	}
	return "named (was white space)"
}

// rowCount is the number of rows shown.
func (av *accountsView) rowCount() int {
	if av.plan == nil {
		return 0
	}
	if av.order != nil {
		return len(av.order)
	}
	return len(av.plan.Accounts)
}

// accountAt returns the index in plan.Accounts of the account on table row
// row, and false when there is none.
func (av *accountsView) accountAt(row int) (int, bool) {
	if row < 0 || row >= av.rowCount() {
		return 0, false
	}
	if av.order != nil {
		i := int(av.order[row])
		return i, i >= 0 && i < len(av.plan.Accounts)
	}
	return row, true
}

// cellText returns the whole text of data column col on row row (before
// it is shortened to its column's width), "" outside the table.
func (av *accountsView) cellText(row, col int) string {
	i, ok := av.accountAt(row)
	if !ok || col < 0 || col >= len(av.columns) {
		return ""
	}
	return av.columns[col].value(av.data, i)
}

// columnTitles returns the headers of the table's data columns in order
// (the tick column before them has none).
func (av *accountsView) columnTitles() []string {
	out := make([]string, len(av.columns))
	for i, c := range av.columns {
		out[i] = c.title
	}
	return out
}

// columnIndex returns the data column titled title, -1 when none.
func (av *accountsView) columnIndex(title string) int {
	return slices.IndexFunc(av.columns, func(c accountColumn) bool { return c.title == title })
}

// toggleRow ticks or unticks the account on table row row.
func (av *accountsView) toggleRow(row int) {
	i, ok := av.accountAt(row)
	if !ok || i >= len(av.selected) {
		return
	}
	av.selected[i] = !av.selected[i]
	if av.selected[i] {
		av.nSelected++
	} else {
		av.nSelected--
	}
	av.updateSelection()
	av.table.RefreshItem(widget.TableCellID{Row: row, Col: 0})
}

// selectAllShown ticks every account shown.
func (av *accountsView) selectAllShown() {
	for row := range av.rowCount() {
		if i, ok := av.accountAt(row); ok && i < len(av.selected) && !av.selected[i] {
			av.selected[i] = true
			av.nSelected++
		}
	}
	av.updateSelection()
	av.table.Refresh()
}

// clearSelection unticks every account.
func (av *accountsView) clearSelection() {
	clear(av.selected)
	av.nSelected = 0
	av.updateSelection()
	av.table.Refresh()
}

// selectedAccounts returns the indexes in plan.Accounts of the ticked
// accounts, in plan order.
func (av *accountsView) selectedAccounts() []int {
	out := make([]int, 0, av.nSelected)
	for i, on := range av.selected {
		if on {
			out = append(out, i)
		}
	}
	return out
}

// updateSelection shows the ticked count and enables the buttons that
// act on it.
func (av *accountsView) updateSelection() {
	if av.nSelected == 0 {
		av.selLabel.SetText("No row ticked")
	} else {
		av.selLabel.SetText(plural(av.nSelected, "account", "accounts") + " ticked")
	}
	hasScenario := av.data != nil && av.data.owners != nil && len(av.data.territories) > 0
	setEnabled(av.assign, av.nSelected > 0 && hasScenario)
	named := false
	if av.nSelected > 0 && av.data != nil && len(av.data.named) > 0 {
		for i, on := range av.selected {
			if _, ok := av.data.named[av.plan.Accounts[i].ID]; on && ok {
				named = true
				break
			}
		}
	}
	setEnabled(av.unname, named)
}

// askAssign asks for a territory and makes the ticked accounts its named
// accounts.
func (av *accountsView) askAssign() {
	m := av.m
	if m == nil || m.session == nil || av.nSelected == 0 {
		return
	}
	s := m.session
	names := make([]string, len(s.scenario.Territories))
	for i, t := range s.scenario.Territories {
		names[i] = t.Name
	}
	pick := widget.NewSelect(names, nil)
	if t := s.territory(m.ed.activeID); t != nil {
		pick.SetSelected(t.Name)
	}
	help := widget.NewLabel(fmt.Sprintf("The %s become named accounts of the territory: they count in its metrics whatever their geography, until Remove override.",
		plural(av.nSelected, "ticked account", "ticked accounts")))
	help.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm("Assign to territory", "Assign", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Territory", pick), widget.NewFormItem("", help)},
		func(ok bool) {
			if t := s.scenario.TerritoryByName(pick.Selected); ok && t != nil {
				av.assignTo(t.ID)
			}
		}, m.win)
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
}

// assignTo makes the ticked accounts named accounts of territory id, as
// one undoable change (sqlite.SetNamedAccountsEdit); accounts already
// named to it are left alone.
func (av *accountsView) assignTo(id int64) {
	m := av.m
	s := m.session
	t := s.territory(id)
	if t == nil {
		return
	}
	to, from := map[int64]int64{}, map[int64]int64{}
	for _, i := range av.selectedAccounts() {
		aid := s.plan.Accounts[i].ID
		if prev := s.scenario.NamedAccounts[aid]; prev != id {
			to[aid], from[aid] = id, prev
		}
	}
	if len(to) == 0 {
		m.setStatus("The ticked accounts are already named accounts of " + t.Name + ".")
		return
	}
	m.commit(namedAccountsChange(fmt.Sprintf("Name %s to %s", plural(len(to), "account", "accounts"), t.Name), s.scenario.ID, to, from), false)
}

// removeOverride removes the named-account override of the ticked
// accounts that have one, as one undoable change.
func (av *accountsView) removeOverride() {
	m := av.m
	if m == nil || m.session == nil {
		return
	}
	s := m.session
	to, from := map[int64]int64{}, map[int64]int64{}
	for _, i := range av.selectedAccounts() {
		aid := s.plan.Accounts[i].ID
		if prev, ok := s.scenario.NamedAccounts[aid]; ok {
			to[aid], from[aid] = 0, prev
		}
	}
	if len(to) == 0 {
		return
	}
	m.commit(namedAccountsChange("Remove the override of "+plural(len(to), "named account", "named accounts"), s.scenario.ID, to, from), false)
}

// alignment is trailing for numbers, leading for text.
func alignment(trailing bool) fyne.TextAlign {
	if trailing {
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignLeading
}

// fitText returns s, or its longest prefix followed by "…", whose width
// drawn at size (points) in style is at most width (dp): canvas.Text cells
// do not truncate themselves. Widths come from fyne.MeasureText; the prefix
// is found by bisection on the rune count (O(log n) measurements).
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)-1 // lo runes fit with "…"; more than hi do not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return "…"
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
