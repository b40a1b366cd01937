package app

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/planner"
)

// allAccountsText is the segment filter's choice that filters nothing.
const allAccountsText = "All accounts"

// segmentFilter chooses accounts by segment: a segment of the plan and,
// optionally, one of its tiers. The zero value chooses every account.
type segmentFilter struct {
	id   int64 // planner.Segment.ID; 0 for every account
	tier int   // index in the segment's Tiering.Tiers, -1 for the whole segment
}

// noFilter is the filter that keeps every account.
var noFilter = segmentFilter{tier: -1}

// all reports whether f keeps every account.
func (f segmentFilter) all() bool { return f.id == 0 }

// segmentChoices returns the choices of a segment filter on plan p, in
// order: "All accounts", then each segment by name followed by each of its
// tiers as "Segment: Tier" (e.g. "Bed tiers: A"), with the filter of each.
func segmentChoices(p *planner.Plan) ([]string, []segmentFilter) {
	labels := []string{allAccountsText}
	filters := []segmentFilter{noFilter}
	if p == nil {
		return labels, filters
	}
	for _, g := range p.Segments {
		labels = append(labels, g.Name)
		filters = append(filters, segmentFilter{id: g.ID, tier: -1})
		if g.Tiers != nil {
			for k, t := range g.Tiers.Tiers {
				labels = append(labels, g.Name+": "+t.Name)
				filters = append(filters, segmentFilter{id: g.ID, tier: k})
			}
		}
	}
	return labels, filters
}

// filterLabel returns f's choice label on plan p ("All accounts",
// "Large acute hospitals", "Bed tiers: A"), or "" when p has no such
// segment or tier.
func filterLabel(p *planner.Plan, f segmentFilter) string {
	labels, filters := segmentChoices(p)
	for i, g := range filters {
		if g == f {
			return labels[i]
		}
	}
	return ""
}

// memberCache remembers the membership of segments (planner.Plan.
// SegmentMembers) by rule and tiering, so that the map, the tables and the
// Segments tab evaluate each segment once per set of accounts. It is safe
// for concurrent use; callers run it off the UI thread (on a million
// accounts a segment takes tens of milliseconds).
type memberCache struct {
	mu       sync.Mutex
	accounts *planner.Account // &Accounts[0] of the plan the entries are for
	n        int              // len(Accounts)
	fields   int              // len(CustomFields)
	names    string           // SegmentName and PotentialName
	entries  map[string]memberEntry
}

type memberEntry struct {
	ms  planner.Membership
	err error
	row *segmentRow // the Segments tab's figures, once computed (see stats)
}

// segmentKey identifies what a segment's membership depends on: its rule
// and its tiering.
func segmentKey(g *planner.Segment) string {
	var b strings.Builder
	b.WriteString(g.Rule)
	if t := g.Tiers; t != nil {
		fmt.Fprintf(&b, "\x00%s\x00%v", t.Metric, t.ByQuantile)
		for _, x := range t.Tiers {
			fmt.Fprintf(&b, "\x00%s\x00%g", x.Name, x.Value)
		}
	}
	return b.String()
}

// members returns the membership of segment g on plan p, computed once
// per rule, tiering and set of accounts. The Membership's slices are
// shared: do not change them.
func (c *memberCache) members(p *planner.Plan, g *planner.Segment) (planner.Membership, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first *planner.Account
	if len(p.Accounts) > 0 {
		first = &p.Accounts[0]
	}
	names := p.SegmentName + "\x00" + p.PotentialName
	if c.entries == nil || c.accounts != first || c.n != len(p.Accounts) || c.fields != len(p.CustomFields) || c.names != names {
		c.entries = map[string]memberEntry{}
		c.accounts, c.n, c.fields, c.names = first, len(p.Accounts), len(p.CustomFields), names
	}
	key := segmentKey(g)
	if e, ok := c.entries[key]; ok {
		return e.ms, e.err
	}
	ms, err := p.SegmentMembers(g)
	c.entries[key] = memberEntry{ms: ms, err: err}
	return ms, err
}

// filterIn returns, per account of p, whether filter f keeps it (nil for
// every account), and the filter's label. An error says why the filter
// cannot be applied: its segment is gone, or its rule fails on p.
func (c *memberCache) filterIn(p *planner.Plan, f segmentFilter) ([]bool, string, error) {
	if f.all() {
		return nil, "", nil
	}
	g := p.Segment(f.id)
	if g == nil {
		return nil, "", planner.Errorf(planner.ENOTFOUND, "Segment %d is not in the plan", f.id)
	}
	ms, err := c.members(p, g)
	if err != nil {
		return nil, g.Name, err
	}
	if f.tier < 0 {
		return ms.In, g.Name, nil
	}
	if g.Tiers == nil || f.tier >= len(g.Tiers.Tiers) {
		return nil, g.Name, planner.Errorf(planner.ENOTFOUND, "Segment %q has no tier %d", g.Name, f.tier+1)
	}
	in := make([]bool, len(ms.In))
	for i, t := range ms.Tier {
		in[i] = i < len(ms.In) && ms.In[i] && int(t) == f.tier
	}
	return in, g.Name + ": " + g.Tiers.Tiers[f.tier].Name, nil
}

// segmentState is a session's segment state: the active filter, set on
// the UI thread and read by the background derive, and the membership
// cache.
type segmentState struct {
	filter  atomic.Pointer[segmentFilter] // nil: every account
	members memberCache
}

// activeFilter returns the session's active segment filter.
func (s *session) activeFilter() segmentFilter {
	if s.seg == nil {
		return noFilter
	}
	if f := s.seg.filter.Load(); f != nil {
		return *f
	}
	return noFilter
}

// segmentDerived is what a derive computes for the active segment filter.
type segmentDerived struct {
	filter  segmentFilter // the filter applied (noFilter when none or when it failed)
	label   string        // its label, "" for every account
	in      []bool        // per account: kept by the filter; nil for every account
	metrics planner.Metrics
	err     error // why the active filter could not be applied, nil when it was
	// named holds the named accounts' IDs of the scenario derived, for
	// the map's diamonds.
	named map[int64]bool
	// stats are the Segments tab's figures by segmentKey.
	stats map[string]segmentRow
}

// deriveSegment applies the session's active segment filter to plan p and
// scenario snap (snapshots, see derive): the filter's members and the
// scenario's metrics for them (planner.ComputeSegmentMetrics). Safe off
// the UI thread.
func (s *session) deriveSegment(p *planner.Plan, snap *planner.Scenario) segmentDerived {
	sd := segmentDerived{filter: noFilter}
	if len(snap.NamedAccounts) > 0 {
		sd.named = make(map[int64]bool, len(snap.NamedAccounts))
		for aid := range snap.NamedAccounts {
			sd.named[aid] = true
		}
	}
	if s.seg != nil {
		sd.stats = segmentStats(p, &s.seg.members)
	}
	f := s.activeFilter()
	if f.all() {
		return sd
	}
	in, label, err := s.seg.members.filterIn(p, f)
	if err != nil {
		sd.err = err
		return sd
	}
	sd.filter, sd.label, sd.in = f, label, in
	sd.metrics = planner.ComputeSegmentMetrics(p, snap, label, in)
	return sd
}

// shown returns the metrics the territory table, legend and labels show:
// the active segment's when a filter applies, else every account's.
func (d *derived) shown() planner.Metrics {
	if d.seg.in != nil {
		return d.seg.metrics
	}
	return d.metrics
}

// segmentSummary prefixes the summary below the territory table with the
// segment its metrics are for, when they are for one, and with the overlay
// team's view when the segment has one: the team covers every member on
// top of the geographic territories that the table shows.
func segmentSummary(p *planner.Plan, m planner.Metrics, summary string) string {
	if m.Segment == "" {
		return summary
	}
	out := "Segment: " + m.Segment + " (accounts and potential count its members only)\n"
	if g := overlaySegment(p, m.Segment); g != nil {
		potential := p.PotentialName
		if potential == "" {
			potential = "potential"
		}
		who := "nobody on it yet"
		if len(g.OverlayReps) > 0 {
			var names []string
			for _, id := range g.OverlayReps {
				if r := p.Rep(id); r != nil {
					names = append(names, r.Name)
				}
			}
			who = strings.Join(names, ", ")
		}
		out += fmt.Sprintf("Overlay view: %s (%s) covers all %s, %s %s, on top of the territories below.\n",
			g.OverlayTeam, who, plural(m.Total.Accounts, "account", "accounts"), potential, formatCount(m.Total.Potential))
	}
	return out + summary
}

// overlaySegment returns the segment with an overlay team that metrics
// named name are for (the segment itself, or one of its tiers, "Bed
// tiers: A"), or nil.
func overlaySegment(p *planner.Plan, name string) *planner.Segment {
	for i := range p.Segments {
		g := &p.Segments[i]
		if g.OverlayTeam != "" && (name == g.Name || strings.HasPrefix(name, g.Name+": ")) {
			return g
		}
	}
	return nil
}

// segmentsView is the Segments tab (the plan's segments with their
// members, potential and tiers) and the active segment filter shown over
// the tabs.
type segmentsView struct {
	m       *Meridian
	content fyne.CanvasObject
	table   *widget.Table
	label   *widget.Label
	rows    []segmentRow
	sel     int // selected row, -1 for none

	edit, dup, del, show *widget.Button

	// filter is the "Segment:" select beside the scenario selector.
	filter  *widget.Select
	filters []segmentFilter // one per filter option
	ignore  bool            // set while the select is updated from code

	// editor is the segment editor while it is open (tests use it).
	editor *segmentEditor

	// points: what the map's account points show (see applyPoints).
	pointsKey string
	radii     []float32
	radiiOf   *int // &pointAccount[0] of the session points the radii are for
	// shownPoints and shownNamed count the points the map shows and the
	// diamonds among them (tests read them).
	shownPoints, shownNamed int
}

// segmentRow is one row of the Segments tab.
type segmentRow struct {
	seg                              planner.Segment
	members, potential, tiers, error string
}

// segmentColumns are the Segments tab's columns: title and width (dp).
var segmentColumns = []struct {
	title    string
	width    float32
	trailing bool
}{
	{"Name", 170, false}, {"Members", 70, true}, {"Potential", 90, true},
	{"Tiers", 230, false}, {"Overlay team", 160, false}, {"Rule", 420, false},
}

// Columns of the Segments table, in segmentColumns order (the rule, the
// longest, last).
const (
	segColName = iota
	segColMembers
	segColPotential
	segColTiers
	segColOverlay
	segColRule
)

// newSegmentsView builds the Segments tab and the segment filter. Call on
// the UI thread.
func (m *Meridian) newSegmentsView() *segmentsView {
	v := &segmentsView{m: m, sel: -1}
	v.label = widget.NewLabel("No segments yet: New… adds one.")
	v.label.Wrapping = fyne.TextWrapWord
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.rows), len(segmentColumns) },
		newTextCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := textCell(o)
			text.Text = ""
			if s := v.cell(id.Row, id.Col); s != "" {
				c := segmentColumns[id.Col]
				text.Text = fitText(s, c.width-2*theme.Padding(), text.TextSize, text.TextStyle)
				text.Alignment = alignment(c.trailing)
				if id.Col == segColMembers && v.rows[id.Row].error != "" {
					text.Color = theme.Color(theme.ColorNameError)
				}
			}
			text.Refresh()
		})
	setBoldHeader(v.table, func(col int) (columnHeader, bool) {
		if col < 0 || col >= len(segmentColumns) {
			return columnHeader{}, false
		}
		c := segmentColumns[col]
		if s := v.m.session; col == segColPotential && s != nil && s.plan.PotentialName != "" {
			c.title = s.plan.PotentialName // e.g. "Beds"
		}
		return columnHeader{c.title, c.width, c.trailing}, true
	})
	for i, c := range segmentColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.OnSelected = func(id widget.TableCellID) { v.selectRow(id.Row) }
	newB := widget.NewButtonWithIcon("New…", theme.ContentAddIcon(), func() { m.showSegmentEditor(nil) })
	v.edit = widget.NewButton("Edit…", func() {
		if g := v.selected(); g != nil {
			m.showSegmentEditor(g)
		}
	})
	v.dup = widget.NewButton("Duplicate", v.duplicate)
	v.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), v.delete)
	v.show = widget.NewButton("Show on map and in tables", func() {
		if g := v.selected(); g != nil {
			m.setSegmentFilter(segmentFilter{id: g.ID, tier: -1})
		}
	})
	v.enableButtons()
	bar := container.NewHScroll(container.NewHBox(newB, v.edit, v.dup, v.del, widget.NewSeparator(), v.show))
	v.content = container.NewBorder(container.NewVBox(bar, v.label), nil, nil, nil, v.table)

	v.filter = widget.NewSelect([]string{allAccountsText}, func(label string) {
		if v.ignore {
			return
		}
		i := v.filter.SelectedIndex()
		if i >= 0 && i < len(v.filters) {
			m.setSegmentFilter(v.filters[i])
		}
	})
	v.ignore = true
	v.filter.SetSelectedIndex(0)
	v.ignore = false
	return v
}

// minWidth stacks o over a transparent rectangle w dp wide, so that a
// select shows names of that width rather than its placeholder's.
func minWidth(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, 0))
	return container.NewStack(r, o)
}

// filterBox is the "Segment:" select at its width, for the row above the
// tabs.
func (v *segmentsView) filterBox() fyne.CanvasObject { return minWidth(v.filter, 210) }

// cell returns the text of the Segments table's cell.
func (v *segmentsView) cell(row, col int) string {
	if row < 0 || row >= len(v.rows) {
		return ""
	}
	r := &v.rows[row]
	switch col {
	case segColName:
		return r.seg.Name
	case segColRule:
		if strings.TrimSpace(r.seg.Rule) == "" {
			return "(every account)"
		}
		return r.seg.Rule
	case segColMembers:
		if r.error != "" {
			return "error"
		}
		return r.members
	case segColPotential:
		return r.potential
	case segColTiers:
		if r.error != "" {
			return r.error
		}
		return r.tiers
	case segColOverlay:
		if r.seg.OverlayTeam == "" {
			return ""
		}
		return r.seg.OverlayTeam + " (" + plural(len(r.seg.OverlayReps), "rep", "reps") + ")"
	}
	return ""
}

func (v *segmentsView) selectRow(row int) {
	v.sel = -1
	if row >= 0 && row < len(v.rows) {
		v.sel = row
	}
	v.enableButtons()
}

// selected returns the selected segment as the plan has it, or nil.
func (v *segmentsView) selected() *planner.Segment {
	s := v.m.session
	if s == nil || v.sel < 0 || v.sel >= len(v.rows) {
		return nil
	}
	return s.plan.Segment(v.rows[v.sel].seg.ID)
}

func (v *segmentsView) enableButtons() {
	on := v.sel >= 0
	for _, b := range []*widget.Button{v.edit, v.dup, v.del, v.show} {
		setEnabled(b, on)
	}
}

// set shows session s's segments, with the figures its last derive
// computed off the UI thread (s.derived.seg.stats), and the active filter.
// Call on the UI thread when a derive is shown and when a plan is shown.
func (v *segmentsView) set(s *session) {
	if s == nil || s.seg == nil {
		return
	}
	p := s.plan
	// The filter's choices; a filter whose segment or tier is gone drops.
	labels, filters := segmentChoices(p)
	f := s.activeFilter()
	at := slices.Index(filters, f)
	if at < 0 {
		s.seg.filter.Store(nil)
		at = 0
		defer v.m.rederive()
	}
	v.ignore = true
	v.filters = filters
	v.filter.SetOptions(labels)
	v.filter.SetSelectedIndex(at)
	v.ignore = false

	rows := make([]segmentRow, len(p.Segments))
	old := map[string]segmentRow{}
	for _, r := range v.rows {
		old[segmentKey(&r.seg)] = r
	}
	for i, g := range p.Segments {
		rows[i] = segmentRow{members: "…", potential: "…", tiers: tieringText(g.Tiers)}
		if st, ok := s.derived.seg.stats[segmentKey(&g)]; ok { // computed by the derive
			rows[i] = st
		} else if r, ok := old[segmentKey(&g)]; ok { // keep figures until the derive comes
			rows[i] = r
		}
		rows[i].seg = cloneSegment(g)
	}
	v.rows = rows
	if v.sel >= len(rows) {
		v.sel = -1
	}
	v.enableButtons()
	if len(rows) == 0 {
		v.label.SetText("No segments yet: New… adds one (a rule on any field, e.g. Beds >= 200 and Type = 'GENERAL ACUTE CARE').")
	} else {
		v.label.SetText(plural(len(rows), "segment", "segments") + " · select one, then Edit…, or Show on map and in tables to filter by it")
	}
	v.table.Refresh()

}

// segmentStats returns each segment's members, potential and tier sizes
// on plan p (a snapshot), by segmentKey. Run off the UI thread: the
// derive does. Figures are cached with the membership.
func segmentStats(p *planner.Plan, c *memberCache) map[string]segmentRow {
	out := make(map[string]segmentRow, len(p.Segments))
	for i := range p.Segments {
		g := &p.Segments[i]
		out[segmentKey(g)] = c.stats(p, g)
	}
	return out
}

// stats returns segment g's row figures (members, potential, tier sizes,
// or the error of its rule) on plan p, computed once per rule, tiering and
// set of accounts.
func (c *memberCache) stats(p *planner.Plan, g *planner.Segment) segmentRow {
	ms, err := c.members(p, g)
	key := segmentKey(g)
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.row != nil {
		return *e.row
	}
	var r segmentRow
	if err != nil {
		r = segmentRow{members: "—", potential: "—", error: planner.ErrorMessage(err)}
	} else {
		pot := 0.0
		for k, in := range ms.In {
			if in && k < len(p.Accounts) && p.Accounts[k].Potential.Known {
				pot += p.Accounts[k].Potential.Value
			}
		}
		r = segmentRow{members: formatCount(float64(ms.Members)), potential: formatCount(pot), tiers: tieringText(g.Tiers)}
		if g.Tiers != nil {
			parts := make([]string, 0, len(g.Tiers.Tiers))
			for k, t := range g.Tiers.Tiers {
				n := 0
				if k < len(ms.TierSizes) {
					n = ms.TierSizes[k]
				}
				parts = append(parts, t.Name+" "+formatCount(float64(n)))
			}
			r.tiers = strings.Join(parts, " · ")
		}
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		e.row = &r
		c.entries[key] = e
	}
	c.mu.Unlock()
	return r
}

// tieringText describes a tiering in a few words, e.g. "by Beds: A 20%,
// B 30%, C 50%" or "by Beds: A ≥ 500, B ≥ 200"; "" for none.
func tieringText(t *planner.Tiering) string {
	if t == nil {
		return ""
	}
	parts := make([]string, len(t.Tiers))
	for i, x := range t.Tiers {
		if t.ByQuantile {
			parts[i] = x.Name + " " + trimNumber(x.Value) + "%"
		} else {
			parts[i] = x.Name + " ≥ " + trimNumber(x.Value)
		}
	}
	return "by " + t.Metric + ": " + strings.Join(parts, ", ")
}

// nextSegmentID returns an ID no segment of p has.
func nextSegmentID(p *planner.Plan) int64 {
	var top int64
	for _, g := range p.Segments {
		top = max(top, g.ID)
	}
	return top + 1
}

// duplicate adds a copy of the selected segment, named "… copy", after it.
func (v *segmentsView) duplicate() {
	s := v.m.session
	g := v.selected()
	if s == nil || g == nil {
		return
	}
	c := cloneSegment(*g)
	c.ID = nextSegmentID(s.plan)
	c.Name = uniqueSegmentName(s.plan, g.Name+" copy")
	at := slices.IndexFunc(s.plan.Segments, func(x planner.Segment) bool { return x.ID == g.ID })
	to := slices.Insert(cloneSegments(s.plan.Segments), at+1, c)
	v.m.commit(segmentsChange("Duplicate segment "+g.Name, s.plan.Segments, to), false)
}

// uniqueSegmentName returns name, or name with " 2", " 3", ... appended,
// whichever no segment of p has.
func uniqueSegmentName(p *planner.Plan, name string) string {
	out := name
	for n := 2; p.SegmentNamed(out) != nil; n++ {
		out = fmt.Sprintf("%s %d", name, n)
	}
	return out
}

// delete asks, then deletes the selected segment.
func (v *segmentsView) delete() {
	s := v.m.session
	g := v.selected()
	if s == nil || g == nil {
		return
	}
	name, id := g.Name, g.ID
	dialog.ShowConfirm("Delete segment", "Delete the segment "+name+"? Edit > Undo brings it back.", func(ok bool) {
		if ok {
			v.m.deleteSegment(id)
		}
	}, v.m.win)
}

// deleteSegment deletes segment id as one undoable change.
func (m *Meridian) deleteSegment(id int64) {
	s := m.session
	if s == nil || s.plan.Segment(id) == nil {
		return
	}
	name := s.plan.Segment(id).Name
	to := slices.DeleteFunc(cloneSegments(s.plan.Segments), func(x planner.Segment) bool { return x.ID == id })
	m.commit(segmentsChange("Delete segment "+name, s.plan.Segments, to), false)
}

// setSegmentFilter makes f the active segment filter: the map shows only
// its accounts' points, the territory table, legend and labels show
// metrics for its accounts, and the Accounts tab filters to it. Members
// are computed by the background derive. Call on the UI thread.
func (m *Meridian) setSegmentFilter(f segmentFilter) {
	s := m.session
	if s == nil || s.seg == nil {
		return
	}
	if f.all() {
		s.seg.filter.Store(nil)
	} else {
		s.seg.filter.Store(&f)
	}
	if i := slices.Index(m.sv.filters, f); i >= 0 && m.sv.filter.SelectedIndex() != i {
		m.sv.ignore = true
		m.sv.filter.SetSelectedIndex(i)
		m.sv.ignore = false
	}
	m.av.followFilter(f)
	label := filterLabel(s.plan, f)
	if f.all() {
		m.setStatus("Showing every account.")
	} else {
		m.setStatus("Showing the segment " + label + " on the map and in the tables.")
	}
	m.rederive()
}

// segmentDerivedShown is called on the UI thread when a derive's result is
// shown: the Segments tab, the filter, and the map's points follow it.
func (v *segmentsView) derivedShown(s *session, d derived) {
	v.set(s)
	if d.seg.err != nil && !s.activeFilter().all() {
		v.m.setStatus("The segment filter cannot be applied: " + planner.ErrorMessage(d.seg.err))
	}
	v.applyPoints(s, d.seg)
}

// applyPoints shows on the map the account points that the segment filter
// keeps (all when none), named accounts as diamonds
// (mapview.PointDiamond). It does nothing when neither the filter, the
// named accounts nor the points changed since the last call; otherwise it
// walks the session's points once (O(points)) on the UI thread: the
// membership itself was computed by the derive.
func (v *segmentsView) applyPoints(s *session, sd segmentDerived) {
	if s == nil {
		return
	}
	var first *int
	if len(s.pointAccount) > 0 {
		first = &s.pointAccount[0]
	}
	named := make([]int64, 0, len(sd.named))
	for id := range sd.named {
		named = append(named, id)
	}
	slices.Sort(named)
	key := fmt.Sprintf("%p/%p/%d/%v/%d/%v", s, first, len(s.points), sd.filter, len(sd.in), named)
	if key == v.pointsKey {
		return
	}
	v.pointsKey = key
	if v.radiiOf != first || len(v.radii) != len(s.points) {
		v.radii, v.radiiOf = s.pointRadii(), first
	}
	pts, radii := s.points, v.radii
	var shown []int // index in s.points of each point drawn; nil for all
	if sd.in != nil {
		pts, radii, shown = nil, nil, []int{}
		for j, k := range s.pointAccount {
			if k < len(sd.in) && sd.in[k] {
				pts = append(pts, s.points[j])
				radii = append(radii, v.radii[j])
				shown = append(shown, j)
			}
		}
	}
	var shapes []mapview.PointShape
	if len(sd.named) > 0 {
		shapes = make([]mapview.PointShape, len(pts))
		for i := range pts {
			j := i
			if shown != nil {
				j = shown[i]
			}
			if k := s.pointAccount[j]; k < len(s.plan.Accounts) && sd.named[s.plan.Accounts[k].ID] {
				shapes[i] = mapview.PointDiamond
			}
		}
	}
	v.shownPoints, v.shownNamed = len(pts), 0
	for _, sh := range shapes {
		if sh == mapview.PointDiamond {
			v.shownNamed++
		}
	}
	v.m.mapView.SetPointsSized(pts, repeatColor(accountColor, len(pts)), radii)
	v.m.mapView.SetPointShapes(shapes)
}
