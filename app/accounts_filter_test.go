package app

import (
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/meridianplan/meridian/planner"
)

// refilterWith runs act and waits until the Accounts tab applied the
// filter or sort it asks for (on the sample, above accountsAsyncRows, in
// the background).
func refilterWith(t *testing.T, av *accountsView, act func()) {
	t.Helper()
	ch := make(chan struct{}, 64)
	av.refiltered = func() { ch <- struct{}{} }
	defer func() { av.refiltered = nil }()
	act()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatal("the accounts were not filtered within 30 s")
	}
}

// shownAccounts returns the indexes in plan.Accounts of the rows shown.
func shownAccounts(av *accountsView) []int {
	out := make([]int, 0, av.rowCount())
	for row := range av.rowCount() {
		if i, ok := av.accountAt(row); ok {
			out = append(out, i)
		}
	}
	return out
}

// Search, sort and filters on the sample, each checked against an
// independent count over the plan's accounts.
func TestAccountsFilterSample(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	av, s := m.av, m.session
	p := s.plan
	if len(p.Accounts) <= accountsAsyncRows {
		t.Fatalf("the sample has %d accounts: the test wants the background path", len(p.Accounts))
	}

	// Search: case-insensitive substring of the name (and other fields).
	refilterWith(t, av, func() { av.search.SetText("massachusetts general") })
	want := 0
	for i := range p.Accounts {
		a := &p.Accounts[i]
		hay := strings.ToLower(strings.Join([]string{a.Name, a.City, a.State, a.ZIP, a.ExternalID, a.Segment, a.Owner}, "\x00"))
		if strings.Contains(hay, "massachusetts general") {
			want++
		}
	}
	if got := av.rowCount(); got != want || got == 0 {
		t.Fatalf("search massachusetts general: %d rows, want %d", got, want)
	}
	found := false
	for _, i := range shownAccounts(av) {
		found = found || p.Accounts[i].Name == "MASSACHUSETTS GENERAL HOSPITAL"
	}
	if !found {
		t.Error("MASSACHUSETTS GENERAL HOSPITAL not found by the search")
	}
	if !strings.HasPrefix(av.label.Text, formatCount(float64(want))+" of ") {
		t.Errorf("label %q", av.label.Text)
	}
	// A territory's name finds its accounts too.
	refilterWith(t, av, func() { av.search.SetText("new england") })
	ne := territoryID(t, s, "New England")
	owners := s.scenario.AccountTerritories(p)
	for _, i := range shownAccounts(av) {
		a := &p.Accounts[i]
		if owners[i] != ne && !strings.Contains(strings.ToLower(a.Name+" "+a.City), "new england") {
			t.Errorf("search new england shows %s in territory %d", a.Name, owners[i])
			break
		}
	}
	refilterWith(t, av, func() { av.search.SetText("") })
	if av.order != nil || av.rowCount() != len(p.Accounts) {
		t.Errorf("no filter: order %v, %d rows", av.order != nil, av.rowCount())
	}

	// Sort by Beds, descending: the largest first, unknown beds last;
	// stable (ties in plan order).
	beds := av.columnIndex("Beds")
	refilterWith(t, av, func() { av.sortBy(beds, true) })
	rows := shownAccounts(av)
	if len(rows) != len(p.Accounts) {
		t.Fatalf("sorted %d rows, want %d", len(rows), len(p.Accounts))
	}
	top, largest := -1, -1.0
	for i := range p.Accounts {
		if v := p.Accounts[i].Potential; v.Known && v.Value > largest {
			top, largest = i, v.Value
		}
	}
	if rows[0] != top {
		t.Errorf("first row %s (%v beds), want %s (%v beds)", p.Accounts[rows[0]].Name, p.Accounts[rows[0]].Potential.Value, p.Accounts[top].Name, largest)
	}
	seenUnknown := false
	for k := 1; k < len(rows); k++ {
		a, b := p.Accounts[rows[k-1]].Potential, p.Accounts[rows[k]].Potential
		switch {
		case !b.Known:
			seenUnknown = true
			if a.Known == false && rows[k-1] > rows[k] {
				t.Fatalf("unknown beds not in plan order at row %d", k)
			}
		case !a.Known:
			t.Fatalf("known beds after unknown at row %d", k)
		case a.Value < b.Value || a.Value == b.Value && rows[k-1] > rows[k]:
			t.Fatalf("rows %d-%d out of order: %v then %v", k-1, k, a.Value, b.Value)
		}
	}
	if !seenUnknown {
		t.Error("the sample has hospitals with unknown beds: none sorted last")
	}
	if got := av.cellText(0, beds); got != formatCount(largest) {
		t.Errorf("first row beds %q, want %s", got, formatCount(largest))
	}
	// Tapping the header again sorts ascending; the header shows the arrow.
	refilterWith(t, av, func() { av.headerTapped(beds) })
	if av.desc || av.sortCol != beds {
		t.Errorf("sort after tap: column %d desc %v", av.sortCol, av.desc)
	}
	if first := p.Accounts[shownAccounts(av)[0]].Potential; !first.Known {
		t.Error("ascending: unknown beds first")
	}
	// Text sort by name, ascending, case-insensitive.
	name := av.columnIndex("Name")
	refilterWith(t, av, func() { av.sortBy(name, false) })
	rows = shownAccounts(av)
	for k := 1; k < len(rows); k++ {
		if strings.ToLower(p.Accounts[rows[k-1]].Name) > strings.ToLower(p.Accounts[rows[k]].Name) {
			t.Fatalf("names out of order at row %d: %q > %q", k, p.Accounts[rows[k-1]].Name, p.Accounts[rows[k]].Name)
		}
	}
	refilterWith(t, av, func() { av.sortBy(-1, false) })

	// Segment filter: the rule segment's member count.
	large := p.SegmentNamed("Large acute hospitals")
	if large == nil {
		t.Fatal("the sample has no segment Large acute hospitals")
	}
	want = 0
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 200 {
			want++
		}
	}
	refilterWith(t, av, func() { av.segment.SetSelected("Large acute hospitals") })
	if got := av.rowCount(); got != want || want == 0 {
		t.Errorf("segment filter: %d rows, want %d", got, want)
	}
	// A tier: Bed tiers A is the top 20% of the hospitals with known beds.
	known := 0
	for i := range p.Accounts {
		if p.Accounts[i].Potential.Known {
			known++
		}
	}
	refilterWith(t, av, func() { av.segment.SetSelected("Bed tiers: A") })
	if got, want := av.rowCount(), int(math.Round(float64(known)*0.2)); got != want {
		t.Errorf("Bed tiers: A shows %d rows, want %d", got, want)
	}
	refilterWith(t, av, func() { av.segment.SetSelected(allAccountsText) })

	// Territory and match-level filters, combined.
	refilterWith(t, av, func() { av.territory.SetSelected("Pacific") })
	pacific := territoryID(t, s, "Pacific")
	want = 0
	for i := range owners {
		if owners[i] == pacific {
			want++
		}
	}
	if got := av.rowCount(); got != want || want == 0 {
		t.Errorf("territory Pacific: %d rows, want %d", got, want)
	}
	refilterWith(t, av, func() { av.territory.SetSelected(whiteSpaceText) })
	want = 0
	for i := range owners {
		if owners[i] == 0 {
			want++
		}
	}
	if got := av.rowCount(); got != want || want == 0 {
		t.Errorf("white space: %d rows, want %d", got, want)
	}
	refilterWith(t, av, func() { av.match.SetSelected("Point") })
	want = 0
	for i := range owners {
		if owners[i] == 0 && p.Accounts[i].Match == planner.MatchPoint {
			want++
		}
	}
	if got := av.rowCount(); got != want {
		t.Errorf("white space located by point: %d rows, want %d", got, want)
	}
}

// Ticking two rows and assigning them to a territory makes them its named
// accounts, in memory, in the plan file and in the metrics; undo restores
// every figure.
func TestAccountsAssignNamed(t *testing.T) {
	m, derived := editingMeridian(t)
	settle(m, derived)
	av, s := m.av, m.session
	p := s.plan
	pacific := territoryID(t, s, "Pacific")
	row := func(id int64) int {
		for i, tm := range s.metrics.Territories {
			if tm.Territory.ID == id {
				return i
			}
		}
		t.Fatalf("no metrics row for territory %d", id)
		return -1
	}
	before := s.metrics
	// Two accounts of New England: Massachusetts General and the next.
	refilterWith(t, av, func() { av.search.SetText("MASSACHUSETTS GENERAL HOSPITAL") })
	if av.rowCount() < 1 {
		t.Fatal("MGH not found")
	}
	mgh, _ := av.accountAt(0)
	refilterWith(t, av, func() { av.search.SetText("") })
	other := -1
	owners := s.scenario.AccountTerritories(p)
	for i := range p.Accounts {
		if i != mgh && owners[i] == owners[mgh] && p.Accounts[i].Potential.Known {
			other = i
			break
		}
	}
	av.toggleRow(mgh) // no filter: row = account index
	av.toggleRow(other)
	if av.nSelected != 2 || av.selLabel.Text != "2 accounts ticked" || av.assign.Disabled() {
		t.Fatalf("ticked %d, label %q, assign disabled %v", av.nSelected, av.selLabel.Text, av.assign.Disabled())
	}
	if got := av.cellText(mgh, -1); got != "" {
		t.Errorf("column -1 shows %q", got)
	}
	av.assignTo(pacific)
	waitSettled(t, m, derived)
	ids := []int64{p.Accounts[mgh].ID, p.Accounts[other].ID}
	for _, id := range ids {
		if s.scenario.NamedAccounts[id] != pacific {
			t.Errorf("account %d named to %d, want Pacific", id, s.scenario.NamedAccounts[id])
		}
	}
	moved := p.Accounts[mgh].Potential.Value + p.Accounts[other].Potential.Value
	from := row(owners[mgh])
	got := s.metrics
	if got.Territories[row(pacific)].Accounts != before.Territories[row(pacific)].Accounts+2 ||
		got.Territories[from].Accounts != before.Territories[from].Accounts-2 {
		t.Errorf("accounts Pacific %d→%d, New England %d→%d", before.Territories[row(pacific)].Accounts, got.Territories[row(pacific)].Accounts,
			before.Territories[from].Accounts, got.Territories[from].Accounts)
	}
	if d := got.Territories[row(pacific)].Potential - before.Territories[row(pacific)].Potential; math.Abs(d-moved) > 1e-9 {
		t.Errorf("Pacific potential +%v, want +%v", d, moved)
	}
	named := av.columnIndex("Named")
	if got := av.cellText(mgh, named); got != "named (was New England)" {
		t.Errorf("Named column %q", got)
	}
	if got := av.cellText(mgh, av.columnIndex("Territory")); got != "Pacific" {
		t.Errorf("Territory column %q", got)
	}
	refilterWith(t, av, func() { av.namedOnly.SetChecked(true) })
	if av.rowCount() != 2 {
		t.Errorf("named only: %d rows", av.rowCount())
	}
	refilterWith(t, av, func() { av.namedOnly.SetChecked(false) })
	// In the plan file.
	m.session.writer.flush()
	stored := loadPlan(t, m.session.db.Path).Active().NamedAccounts
	if len(stored) != 2 || stored[ids[0]] != pacific || stored[ids[1]] != pacific {
		t.Errorf("stored named accounts %v", stored)
	}
	// The map draws them as diamonds (the point count is unchanged).
	if m.sv.shownNamed != 2 || m.sv.shownPoints != len(s.points) {
		t.Errorf("map: %d diamonds among %d points, want 2 among %d", m.sv.shownNamed, m.sv.shownPoints, len(s.points))
	}
	if av.unname.Disabled() {
		t.Error("Remove override disabled with named accounts ticked")
	}

	m.undo()
	waitSettled(t, m, derived)
	if len(s.scenario.NamedAccounts) != 0 {
		t.Errorf("after undo: named %v", s.scenario.NamedAccounts)
	}
	for i := range before.Territories {
		if s.metrics.Territories[i].Totals != before.Territories[i].Totals {
			t.Errorf("after undo %s: %+v, want %+v", before.Territories[i].Territory.Name, s.metrics.Territories[i].Totals, before.Territories[i].Totals)
		}
	}
	m.session.writer.flush()
	if stored := loadPlan(t, m.session.db.Path).Active().NamedAccounts; len(stored) != 0 {
		t.Errorf("stored after undo %v", stored)
	}
	// Redo, then Remove override.
	m.redo()
	waitSettled(t, m, derived)
	av.removeOverride()
	waitSettled(t, m, derived)
	if len(s.scenario.NamedAccounts) != 0 {
		t.Errorf("after Remove override: named %v", s.scenario.NamedAccounts)
	}
	av.clearSelection()
	if av.nSelected != 0 || !av.assign.Disabled() {
		t.Errorf("after clear: %d ticked", av.nSelected)
	}
}

// accountOrder on a small hand-built plan: every filter and both sort
// kinds, with unknown values last whatever the direction.
func TestAccountOrderCustom(t *testing.T) {
	test.NewTempApp(t)
	p := customPlan()
	p.Scenarios[0].NamedAccounts = map[int64]int64{4: 10}
	av := (&Meridian{}).newAccountsView()
	av.set(p, p.Active())
	d := av.data
	order := func(q accountQuery) []int32 {
		t.Helper()
		o, err := accountOrder(d, q)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	base := accountQuery{seg: noFilter, territory: -1, match: -1, sortCol: -1}
	if o := order(base); o != nil {
		t.Errorf("no filter: %v", o)
	}
	q := base
	q.sortCol, q.desc = 13, true // Staff, numeric: 120, 7, then unknown (Bolt, Dyne "", Echo) in plan order
	if o := order(q); !equalOrder(o, 0, 2, 1, 3, 4) {
		t.Errorf("Staff descending %v", o)
	}
	q.desc = false
	if o := order(q); !equalOrder(o, 2, 0, 1, 3, 4) {
		t.Errorf("Staff ascending %v", o)
	}
	q = base
	q.sortCol, q.desc = 14, false // Website, text: acme, dyne, then empties
	if o := order(q); !equalOrder(o, 0, 3, 1, 2, 4) {
		t.Errorf("Website ascending %v", o)
	}
	q = base
	q.territory = 10 // North: Acme by its unit, Dyne named
	if o := order(q); !equalOrder(o, 0, 3) {
		t.Errorf("territory North %v", o)
	}
	q = base
	q.namedOnly = true
	if o := order(q); !equalOrder(o, 3) {
		t.Errorf("named only %v", o)
	}
	if got := av.cellText(3, 9); got != "named (was white space)" {
		t.Errorf("Dyne named %q", got)
	}
	q = base
	q.search = "white" // the white-space accounts by their territory text
	if o := order(q); !equalOrder(o, 1, 2, 4) {
		t.Errorf("search white %v", o)
	}
	q = base
	q.match = int(planner.MatchNone)
	if o := order(q); len(o) != 5 {
		t.Errorf("match none %v", o)
	}
}

func equalOrder(o []int32, want ...int32) bool {
	if len(o) != len(want) {
		return false
	}
	for i := range o {
		if o[i] != want[i] {
			return false
		}
	}
	return true
}
