package app

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/planner"
)

// whiteSpaceHatchColor draws the diagonal hatching over unassigned units
// when "Show white space on map" is checked: a dark red that reads on the
// light grey white-space fill and on every territory colour.
var whiteSpaceHatchColor = color.NRGBA{0xb0, 0x20, 0x20, 0xd0}

// coverageHighlightColor highlights a territory picked in the Coverage
// tab (units are picked as a selection, in selectionColor, so that they
// can be assigned at once).
var coverageHighlightColor = color.NRGBA{0xe0, 0x70, 0x00, 0x80}

// accountZoomKm is the half-width, in kilometres, of the view around an
// account picked in the Coverage tab.
const accountZoomKm = 40

// coverageList identifies one list of the Coverage tab.
type coverageList int

const (
	listUnassignedUnits coverageList = iota
	listWhiteSpaceAccounts
	listNoUnit
	listNoRep
	listMultiClaimed
	listNamed
	listOverlays
	coverageLists // the number of lists
)

// coverageEntry is one line of a Coverage list and where it leads on the
// map: a unit, an account (with its unit when it has one), or a
// territory's units.
type coverageEntry struct {
	text      string
	unit      int       // index in Plan.Units, -1 when none
	account   int       // index in Plan.Accounts, -1 when none
	territory int64     // a territory to show, 0 when none
	location  orb.Point // the account's location (WGS84 lon/lat) when hasLoc
	hasLoc    bool
}

// coverageView is the Coverage tab: a headline (planner.CoverageReport's
// Summary), a choice of list (unassigned units, white-space accounts,
// accounts in no unit, territories without a rep, accounts claimed twice,
// named accounts, overlay teams), the list, and "Show white space on
// map". The report is built off the UI thread after every derive.
// Picking an entry zooms the map to it and highlights it.
type coverageView struct {
	m       *Meridian
	content fyne.CanvasObject

	headline *widget.Label
	choice   *widget.Select
	list     *widget.List
	hatch    *widget.Check
	note     *widget.Label // below the list: what the picked entry is

	s       *session
	report  planner.CoverageReport
	entries [coverageLists][]coverageEntry
	shown   coverageList
	// highlighted is the units the last pick highlighted (tests read it);
	// hatched the units hatched as white space (nil when not shown).
	highlighted []int
	hatched     []int
	// updated, when set, is called on the UI thread after a report is
	// shown (tests wait on it).
	updated func()
}

// coverageListNames are the list choices' titles; the choice shows each
// with its length.
var coverageListNames = [coverageLists]string{
	"Unassigned units", "Accounts in white space", "Accounts in no unit", "Territories without a rep",
	"Accounts claimed twice", "Named accounts", "Overlay teams",
}

func (m *Meridian) newCoverageView() *coverageView {
	v := &coverageView{m: m}
	v.headline = widget.NewLabel("")
	v.headline.Wrapping = fyne.TextWrapWord
	v.headline.TextStyle = fyne.TextStyle{Bold: true}
	v.choice = widget.NewSelect(nil, nil)
	v.list = widget.NewList(
		func() int { return len(v.entries[v.shown]) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			text := ""
			if id >= 0 && id < len(v.entries[v.shown]) {
				text = v.entries[v.shown][id].text
			}
			o.(*widget.Label).SetText(text)
		})
	v.list.OnSelected = func(id widget.ListItemID) { v.jump(v.shown, id) }
	v.hatch = widget.NewCheck("Show white space on map", func(bool) { v.applyHatch() })
	v.note = widget.NewLabel("Pick an entry to show it on the map.")
	v.note.Wrapping = fyne.TextWrapWord
	v.note.Importance = widget.LowImportance
	top := container.NewVBox(v.headline, container.NewBorder(nil, nil, widget.NewLabel("List:"), v.hatch, v.choice))
	v.content = container.NewBorder(top, v.note, nil, nil, v.list)
	v.setChoices()
	return v
}

// setChoices fills the list choice with each list's title and length,
// keeping the list shown.
func (v *coverageView) setChoices() {
	opts := make([]string, coverageLists)
	for k := range opts {
		opts[k] = fmt.Sprintf("%s (%s)", coverageListNames[k], formatCount(float64(len(v.entries[k]))))
	}
	v.choice.Options = opts
	v.choice.OnChanged = nil // refill without a change
	v.choice.SetSelectedIndex(int(v.shown))
	v.choice.OnChanged = v.chosen
}

// chosen shows the list picked in the choice.
func (v *coverageView) chosen(string) {
	v.shown = coverageList(max(0, v.choice.SelectedIndex()))
	v.list.UnselectAll()
	v.list.Refresh()
	v.list.ScrollToTop()
}

// show switches the Coverage tab to list k. Call on the UI thread.
func (v *coverageView) show(k coverageList) {
	if k >= 0 && k < coverageLists {
		v.choice.SetSelectedIndex(int(k))
	}
}

// coverageResult is the Coverage tab's content for one derive: the report,
// its lists and the headline. The derive builds it off the UI thread.
type coverageResult struct {
	report  planner.CoverageReport
	entries [coverageLists][]coverageEntry
	head    string
}

// buildCoverage builds the coverage report of scenario sc of plan p (both
// snapshots) with its lists. Safe off the UI thread; it runs in the derive.
func buildCoverage(p *planner.Plan, sc *planner.Scenario) coverageResult {
	r := planner.BuildCoverage(p, sc)
	return coverageResult{report: r, entries: coverageEntries(p, sc, &r, p.UnitIndex()), head: r.Summary(p.PotentialName)}
}

// set shows session s (nil when no plan is open) with the coverage of its
// last derive (session.derived.coverage), which the derive computed off
// the UI thread. Call on the UI thread, after each derive.
func (v *coverageView) set(s *session) {
	if s != v.s {
		v.highlighted = nil
	}
	v.s = s
	var c coverageResult
	if s != nil {
		c = s.derived.coverage
	}
	v.report, v.entries = c.report, c.entries
	v.headline.SetText(c.head)
	v.setChoices()
	v.list.UnselectAll()
	v.list.Refresh()
	v.applyHatch()
	if v.updated != nil && s != nil {
		v.updated()
	}
}

// applyHatch hatches the unassigned units when the check is on, and
// removes the hatching otherwise. Call on the UI thread.
func (v *coverageView) applyHatch() {
	v.hatched = nil
	if v.hatch.Checked && v.s != nil {
		v.hatched = make([]int, len(v.report.UnassignedUnits))
		for i, u := range v.report.UnassignedUnits {
			v.hatched[i] = u.Index
		}
	}
	v.m.mapView.SetHatch(v.hatched, whiteSpaceHatchColor)
}

// coverageEntries turns report r into the tab's lists. units maps a unit
// code to its index. It runs off the UI thread.
func coverageEntries(p *planner.Plan, s *planner.Scenario, r *planner.CoverageReport, units map[string]int) [coverageLists][]coverageEntry {
	var out [coverageLists][]coverageEntry
	pot := p.PotentialName
	if pot == "" {
		pot = "potential"
	}
	unitOf := func(code string) int {
		if i, ok := units[code]; ok && code != "" {
			return i
		}
		return -1
	}
	tname := func(id int64) string {
		if t := s.Territory(id); t != nil {
			return t.Name
		}
		return "white space"
	}
	account := func(a planner.CoverageAccount, text string) coverageEntry {
		return coverageEntry{text: text, unit: unitOf(a.UnitCode), account: a.Index, location: a.Location, hasLoc: a.HasLocation}
	}
	accText := func(a planner.CoverageAccount) string {
		var b strings.Builder
		b.WriteString(a.Name)
		if place := strings.Trim(a.City+", "+a.State, ", "); place != "" {
			b.WriteString(" — " + place)
		}
		if a.Potential.Known {
			b.WriteString(" · " + formatCount(a.Potential.Value) + " " + pot)
		}
		return b.String()
	}
	for _, u := range r.UnassignedUnits {
		text := u.Name
		if u.ParentName != "" {
			text += ", " + u.ParentName
		}
		text += fmt.Sprintf(" (%s) · %s", u.Code, accountsCount(u.Accounts))
		switch {
		case u.Accounts > 0 && u.PotentialMissing == u.Accounts:
			text += " · no " + pot + " data"
		case u.Accounts > 0:
			text += " · " + formatCount(u.Potential) + " " + pot
			if u.PotentialMissing > 0 {
				text += fmt.Sprintf(" (%d without)", u.PotentialMissing)
			}
		}
		out[listUnassignedUnits] = append(out[listUnassignedUnits], coverageEntry{text: text, unit: u.Index, account: -1})
	}
	for _, a := range r.WhiteSpaceAccounts {
		out[listWhiteSpaceAccounts] = append(out[listWhiteSpaceAccounts], account(a, accText(a)))
	}
	for _, a := range r.AccountsWithoutLocation {
		out[listNoUnit] = append(out[listNoUnit], account(a, accText(a)+" · no location"))
	}
	for _, a := range r.AccountsOutsideUnits {
		out[listNoUnit] = append(out[listNoUnit], account(a, accText(a)+fmt.Sprintf(" · outside every unit (%.3f, %.3f)", a.Location[0], a.Location[1])))
	}
	for _, t := range r.TerritoriesWithoutRep {
		text := fmt.Sprintf("%s · %s · %s · %s %s", t.Name, t.Gap, accountsCount(t.Accounts), formatCount(t.Potential), pot)
		out[listNoRep] = append(out[listNoRep], coverageEntry{text: text, unit: -1, account: -1, territory: t.ID})
	}
	for _, c := range r.MultiClaimed {
		how := ""
		if c.Named {
			how = " (named account)"
		}
		text := fmt.Sprintf("%s · claimed by %s · %s wins%s", accText(c.Account), strings.Join(c.ClaimNames, ", "), c.WinnerName, how)
		out[listMultiClaimed] = append(out[listMultiClaimed], account(c.Account, text))
	}
	for _, n := range r.NamedAccounts {
		text := fmt.Sprintf("%s · named to %s · geography: %s", accText(n.Account), n.OwnerName, tname(n.Geographic))
		out[listNamed] = append(out[listNamed], account(n.Account, text))
	}
	for _, o := range r.Overlays {
		text := fmt.Sprintf("%s on %s · %s members · %s %s · %s with no territory rep", o.Team, o.SegmentName,
			formatCount(float64(o.Members)), formatCount(o.Potential), pot, formatCount(float64(o.WithoutGeoRep)))
		if o.Err != "" {
			text = o.Team + " on " + o.SegmentName + " · " + o.Err
		}
		out[listOverlays] = append(out[listOverlays], coverageEntry{text: text, unit: -1, account: -1})
	}
	return out
}

// jump shows entry id of list k on the map: a unit is zoomed to (with
// a margin of its own size around it) and selected (highlighted, ready to be assigned to the active territory);
// an account is zoomed around and its unit selected; a territory's units
// are zoomed to and highlighted. Call on the UI thread.
func (v *coverageView) jump(k coverageList, id int) {
	s := v.m.session
	if s == nil || s != v.s || k < 0 || k >= coverageLists || id < 0 || id >= len(v.entries[k]) {
		return
	}
	e := v.entries[k][id]
	mv := v.m.mapView
	switch {
	case e.territory != 0:
		var units []int
		var b orb.Bound
		for i, u := range s.plan.Units {
			if s.scenario.Alignment[u.Code] == e.territory && i < len(s.areas) && len(s.areas[i]) > 0 {
				if len(units) == 0 {
					b = s.areas[i].Bound()
				} else {
					b = b.Union(s.areas[i].Bound())
				}
				units = append(units, i)
			}
		}
		v.dropSelection()
		v.highlighted = units
		mv.SetHighlight(units, coverageHighlightColor)
		if len(units) > 0 {
			mv.ZoomTo(b)
		}
		v.note.SetText(fmt.Sprintf("%s: %s units highlighted.", e.text, formatCount(float64(len(units)))))
	case e.account >= 0:
		v.selectUnits(e.unit)
		if e.hasLoc {
			if q, ok := s.proj.Point(e.location); ok {
				r := 0.0 // a point bound only centres the view
				if k := s.proj.KmPerUnit(); k > 0 {
					r = accountZoomKm / k
				}
				mv.ZoomTo(orb.Bound{Min: orb.Point{q[0] - r, q[1] - r}, Max: orb.Point{q[0] + r, q[1] + r}})
			}
			v.note.SetText(e.text)
		} else {
			v.note.SetText(e.text + ": it has no location to show.")
		}
	case e.unit >= 0:
		v.selectUnits(e.unit)
		if e.unit < len(s.areas) && len(s.areas[e.unit]) > 0 {
			// The unit fills about a seventh of the view: its
			// neighbours and the coast show where it lies.
			b := s.areas[e.unit].Bound()
			mv.ZoomTo(b.Pad(3 * max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])))
		}
		v.note.SetText(e.text + " — selected: the selection bar assigns it to the active territory.")
	default:
		v.note.SetText(e.text)
	}
}

// selectUnits makes unit i (when ≥ 0) the map's selection, or clears it.
func (v *coverageView) selectUnits(i int) {
	if i < 0 {
		v.dropSelection()
		v.highlighted = nil
		v.m.mapView.SetHighlight(nil, selectionColor)
		return
	}
	v.highlighted = []int{i}
	v.m.setSelection([]int{i})
}

// dropSelection forgets the map's selection (lasso or pick) without a
// word in the status bar, before another highlight replaces it.
func (v *coverageView) dropSelection() {
	v.m.ed.selection = nil
	v.m.ed.selBar.Hide()
}

// accountsCount returns "1 account" or "1,234 accounts".
func accountsCount(n int) string {
	if n == 1 {
		return "1 account"
	}
	return formatCount(float64(n)) + " accounts"
}
