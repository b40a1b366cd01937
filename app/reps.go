package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/geocode"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// noRepsText is the Reps tab's label when the plan has no rep.
const noRepsText = "No reps yet: Add rep… or Import roster… (CSV or Excel: name, email, manager, home ZIP…)"

// repColumn is one column of the roster table.
type repColumn struct {
	title    string
	width    float32 // dp
	trailing bool    // right-aligned: numbers
	value    func(v *repsView, r *planner.Rep) string
}

// repColumns are the roster table's columns.
var repColumns = []repColumn{
	{"Name", 170, false, func(_ *repsView, r *planner.Rep) string { return r.Name }},
	{"Territories", 260, false, func(v *repsView, r *planner.Rep) string { return v.covers[r.ID] }},
	{"Manager", 140, false, func(_ *repsView, r *planner.Rep) string { return r.Manager }},
	{"Role", 130, false, func(_ *repsView, r *planner.Rep) string { return r.Role }},
	{"Home", 150, false, func(_ *repsView, r *planner.Rep) string { return homeText(r) }},
	{"Start", 95, false, func(_ *repsView, r *planner.Rep) string { return isoDate(r.Start) }},
	{"Capacity (h/yr)", 120, true, func(v *repsView, r *planner.Rep) string {
		if r.CapacityHours == 0 {
			return "default (" + formatCount(v.defaultCapacity()) + ")"
		}
		return formatCount(r.CapacityHours)
	}},
	{"Annual cost", 100, true, func(_ *repsView, r *planner.Rep) string {
		if r.AnnualCost == 0 {
			return ""
		}
		return formatCount(r.AnnualCost)
	}},
	{"Email", 190, false, func(_ *repsView, r *planner.Rep) string { return r.Email }},
}

// repsView is the Reps tab: the plan's rep roster (one row per rep, a
// virtualised widget.Table) with the territories each covers in the active
// scenario, and the buttons that add, edit, delete, import and assign reps.
type repsView struct {
	m       *Meridian
	content fyne.CanvasObject

	label  *widget.Label
	table  *widget.Table
	add    *widget.Button
	edit   *widget.Button
	del    *widget.Button
	imp    *widget.Button
	assign *widget.Button

	s        *session
	reps     []planner.Rep    // the roster shown (a copy of s.plan.Reps)
	covers   map[int64]string // rep ID → "Pacific, Mountain 40%" in the active scenario
	selected int              // row of the selected rep, -1 for none

	// form, assignDlg and importer are the last dialogs opened (tests
	// drive them).
	form      *repForm
	assignDlg *assignForm
	importer  *rosterImport
}

func (m *Meridian) newRepsView() *repsView {
	v := &repsView{m: m, selected: -1, covers: map[int64]string{}}
	v.label = widget.NewLabel(noRepsText)
	v.label.Truncation = fyne.TextTruncateEllipsis
	v.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(v.reps), len(repColumns) },
		newTextCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			text := textCell(o)
			text.Text = ""
			if id.Col >= 0 && id.Col < len(repColumns) {
				c := &repColumns[id.Col]
				text.Text = fitText(v.cellText(id.Row, id.Col), c.width-2*theme.Padding(), text.TextSize, text.TextStyle)
				text.Alignment = alignment(c.trailing)
			}
			text.Refresh()
		})
	setBoldHeader(v.table, func(col int) (columnHeader, bool) {
		if col >= len(repColumns) {
			return columnHeader{}, false
		}
		c := &repColumns[col]
		return columnHeader{c.title, c.width, c.trailing}, true
	})
	for i, c := range repColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.OnSelected = func(id widget.TableCellID) { v.selected = id.Row; v.refreshButtons() }
	v.table.OnUnselected = func(widget.TableCellID) { v.selected = -1; v.refreshButtons() }
	v.add = widget.NewButtonWithIcon("Add rep…", theme.ContentAddIcon(), func() { v.showRepForm(nil) })
	v.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), func() {
		if r := v.selectedRep(); r != nil {
			v.showRepForm(r)
		}
	})
	v.del = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), v.confirmDelete)
	v.imp = widget.NewButtonWithIcon("Import roster…", theme.FolderOpenIcon(), m.showImportRoster)
	v.assign = widget.NewButtonWithIcon("Assign to territory…", theme.AccountIcon(), func() { v.showAssign(0) })
	bar := container.NewHBox(v.add, v.edit, v.del, v.imp, v.assign)
	v.content = container.NewBorder(container.NewVBox(container.NewHScroll(bar), v.label), nil, nil, nil, v.table)
	v.refreshButtons()
	return v
}

// set shows session s (nil when no plan is open). Call on the UI thread.
func (v *repsView) set(s *session) {
	v.s = s
	v.reps, v.covers = nil, map[int64]string{}
	if s == nil {
		v.label.SetText(noRepsText)
		v.selected = -1
		v.table.UnselectAll()
		v.table.Refresh()
		v.refreshButtons()
		return
	}
	v.reps = slices.Clone(s.plan.Reps)
	var parts = map[int64][]string{}
	covered := 0
	for i := range s.scenario.Territories {
		t := &s.scenario.Territories[i]
		if len(t.Reps) > 0 {
			covered++
		}
		for _, a := range t.Reps {
			if a.RepID == 0 {
				continue
			}
			name := t.Name
			if a.Share != 100 {
				name += " " + shareText(a.Share) + "%"
			}
			parts[a.RepID] = append(parts[a.RepID], name)
		}
	}
	for id, p := range parts {
		v.covers[id] = strings.Join(p, ", ")
	}
	if v.selected >= len(v.reps) {
		v.selected = -1
		v.table.UnselectAll()
	}
	if len(v.reps) == 0 {
		v.label.SetText(noRepsText)
	} else {
		v.label.SetText(fmt.Sprintf("%s · %d of %s covered in scenario %s", plural(len(v.reps), "rep", "reps"),
			covered, plural(len(s.scenario.Territories), "territory", "territories"), s.scenario.Name))
	}
	v.table.Refresh()
	v.refreshButtons()
}

// refreshButtons enables the buttons that apply: a plan open, a rep
// selected.
func (v *repsView) refreshButtons() {
	for _, b := range []*widget.Button{v.add, v.imp, v.assign} {
		if v.s == nil {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	for _, b := range []*widget.Button{v.edit, v.del} {
		if v.selectedRep() == nil {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if v.s != nil && len(v.s.scenario.Territories) == 0 {
		v.assign.Disable()
	}
}

// selectedRep returns the rep of the selected row, or nil.
func (v *repsView) selectedRep() *planner.Rep {
	if v.s == nil || v.selected < 0 || v.selected >= len(v.reps) {
		return nil
	}
	return &v.reps[v.selected]
}

// cellText returns the text of row r, column c of the roster table, whole.
func (v *repsView) cellText(r, c int) string {
	if r < 0 || r >= len(v.reps) || c < 0 || c >= len(repColumns) {
		return ""
	}
	return repColumns[c].value(v, &v.reps[r])
}

// defaultCapacity is the capacity in hours a year of a rep whose
// CapacityHours is 0: the workload model's, else planner's 1,600.
func (v *repsView) defaultCapacity() float64 {
	if v.s != nil && v.s.plan.Workload != nil {
		return v.s.plan.Workload.Capacity()
	}
	return planner.DefaultCapacityHours
}

// geocoder returns the offline geocoder for the plan's default country.
// The gazetteers load on the first call in the process (about 170 ms, see
// geocode.New); showRepForm starts that load in the background.
func (v *repsView) geocoder() (*geocode.Geocoder, error) {
	country := ""
	if v.s != nil {
		country = v.s.plan.DefaultCountry()
	}
	return geocode.New(country)
}

// homeText shows a rep's home base: its ZIP, else "lon, lat" in degrees.
func homeText(r *planner.Rep) string {
	switch {
	case r.HomeZIP != "":
		return r.HomeZIP
	case r.HasHome:
		return fmt.Sprintf("%.4f, %.4f", r.HomeBase.Lon(), r.HomeBase.Lat())
	}
	return ""
}

// isoDate is t as YYYY-MM-DD, "" for the zero time.
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// shareText formats a share in percent without trailing zeros: 60,
// 33.33.
func shareText(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// parseTypedNumber reads a plain number typed by the user ("95,000",
// "$ 1,600.5"; see parseAmount); "" is 0.
func parseTypedNumber(s string) (float64, error) {
	v, _, err := parseAmount(s)
	return v, err
}

// parseTypedDate reads a date typed as YYYY-MM-DD (UTC midnight); "" is the
// zero time.
func parseTypedDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("'%s' is not a date: type it as YYYY-MM-DD, e.g. 2026-03-01", s)
	}
	return t, nil
}

// parseHome reads a home base typed by the user: "" for none, "lon, lat"
// (WGS84 degrees, longitude first), a postal code geocoded offline by gc,
// or else a city with its state ("Portland, OR"), placed at the city's
// centre. It returns the postal
// code kept (the geocoder's corrected form), the point, whether there is a
// home, and a note for the user ("ZIP 10001: -73.9967, 40.7507").
func parseHome(s string, gc planner.Geocoder) (zip string, pt orb.Point, has bool, note string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", orb.Point{}, false, "No home base: travel is measured from the territory's centre.", nil
	}
	if a, b, ok := strings.Cut(s, ","); ok {
		lon, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		lat, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if err1 == nil && err2 == nil {
			p := orb.Point{lon, lat}
			if !planner.ValidLonLat(p) || (lon == 0 && lat == 0) {
				return "", orb.Point{}, false, "", fmt.Errorf("'%s' is not a position: type longitude, latitude in degrees (e.g. -73.99, 40.75), or a ZIP", s)
			}
			return "", p, true, fmt.Sprintf("Home at longitude %.4f, latitude %.4f.", lon, lat), nil
		}
	}
	if gc == nil {
		return "", orb.Point{}, false, "", fmt.Errorf("postal codes cannot be looked up (no gazetteer); type longitude, latitude instead")
	}
	g := gc.Geocode(planner.Address{ZIP: s})
	if g.Level != planner.MatchPostal || !planner.ValidLonLat(g.Location) {
		// "Portland, OR" or "Lyon": the centre of the city.
		city, state := s, ""
		if i := strings.LastIndex(s, ","); i >= 0 {
			city, state = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:])
		}
		if c := gc.Geocode(planner.Address{City: city, State: state}); city != "" && c.Level == planner.MatchCity && planner.ValidLonLat(c.Location) {
			return "", c.Location, true, fmt.Sprintf("%s: the city's centre, longitude %.4f, latitude %.4f.", s, c.Location.Lon(), c.Location.Lat()), nil
		}
		return "", orb.Point{}, false, "", fmt.Errorf("'%s' is neither a postal code nor a city we know; type a ZIP, a city and state (Portland, OR) or longitude, latitude", s)
	}
	zip = g.ZIP
	if zip == "" {
		zip = s
	}
	note = fmt.Sprintf("ZIP %s: longitude %.4f, latitude %.4f.", zip, g.Location.Lon(), g.Location.Lat())
	if g.Warning != "" {
		note += " " + g.Warning
	}
	return zip, g.Location, true, note, nil
}

// ---- Add and edit ----

// repForm is the Add rep / Edit rep dialog.
type repForm struct {
	v    *repsView
	old  *planner.Rep // nil when adding
	dlg  *dialog.CustomDialog
	save *widget.Button

	name, email, role, manager, home, start, capacity, cost *widget.Entry
	homeNote, problem                                       *widget.Label
}

// showRepForm opens the rep dialog: a new rep when old is nil, else a copy
// of old to edit.
func (v *repsView) showRepForm(old *planner.Rep) {
	if v.s == nil {
		return
	}
	f := &repForm{v: v}
	go geocode.New("") // loads the gazetteers off the UI thread
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetPlaceHolder(placeholder)
		e.SetText(text)
		e.OnChanged = func(string) { f.check() }
		return e
	}
	var r planner.Rep
	title := "Add rep"
	if old != nil {
		o := *old
		f.old, r, title = &o, o, "Edit rep "+o.Name
	}
	capText := ""
	if r.CapacityHours > 0 {
		capText = strconv.FormatFloat(r.CapacityHours, 'f', -1, 64)
	}
	costText := ""
	if r.AnnualCost > 0 {
		costText = strconv.FormatFloat(r.AnnualCost, 'f', -1, 64)
	}
	homeInit := r.HomeZIP
	if homeInit == "" && r.HasHome {
		homeInit = fmt.Sprintf("%g, %g", r.HomeBase.Lon(), r.HomeBase.Lat())
	}
	f.homeNote = widget.NewLabel("")
	f.homeNote.Importance = widget.LowImportance
	f.homeNote.Wrapping = fyne.TextWrapWord
	f.problem = widget.NewLabel("")
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.name = entry(r.Name, "full name")
	f.email = entry(r.Email, "name@company.com")
	f.role = entry(r.Role, "job title")
	f.manager = entry(r.Manager, "the manager's name")
	f.home = entry(homeInit, "ZIP (10001), city and state (Portland, OR) or longitude, latitude (-73.99, 40.75)")
	f.start = entry(isoDate(r.Start), "YYYY-MM-DD")
	f.capacity = entry(capText, fmt.Sprintf("hours a year; empty for the default (%s)", formatCount(v.defaultCapacity())))
	f.cost = entry(costText, "fully loaded, per year")
	form := widget.NewForm(
		widget.NewFormItem("Name", f.name),
		widget.NewFormItem("Email", f.email),
		widget.NewFormItem("Role", f.role),
		widget.NewFormItem("Manager", f.manager),
		widget.NewFormItem("Home base", container.NewVBox(f.home, f.homeNote)),
		widget.NewFormItem("Start date", f.start),
		widget.NewFormItem("Capacity (h/yr)", f.capacity),
		widget.NewFormItem("Annual cost", f.cost),
	)
	f.save = widget.NewButtonWithIcon("Save", theme.ConfirmIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.dlg.Hide() })
	f.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(form, f.problem), v.m.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.save})
	f.dlg.Resize(fyne.NewSize(560, 520))
	v.form = f
	f.check()
	f.dlg.Show()
	v.m.win.Canvas().Focus(f.name)
}

// rep reads the fields into a rep (ID kept from the rep edited, else 0),
// or the first problem, worded for the user.
func (f *repForm) rep() (planner.Rep, string, error) {
	var r planner.Rep
	if f.old != nil {
		r = *f.old
	}
	r.Name = strings.Join(strings.Fields(f.name.Text), " ")
	r.Email = strings.TrimSpace(f.email.Text)
	r.Role = strings.TrimSpace(f.role.Text)
	r.Manager = strings.Join(strings.Fields(f.manager.Text), " ")
	if r.Name == "" {
		return r, "", fmt.Errorf("Type the rep's name")
	}
	if r.Email != "" && !strings.Contains(r.Email, "@") {
		return r, "", fmt.Errorf("'%s' is not an email address", r.Email)
	}
	if r.Email != "" && f.v.s != nil {
		for _, o := range f.v.s.plan.Reps {
			if o.ID != r.ID && strings.EqualFold(strings.TrimSpace(o.Email), r.Email) {
				return r, "", fmt.Errorf("%s already has the email %s", o.Name, r.Email)
			}
		}
	}
	var gc planner.Geocoder
	if t := strings.TrimSpace(f.home.Text); t != "" && !strings.Contains(t, ",") {
		if g, err := f.v.geocoder(); err == nil {
			gc = g
		}
	}
	zip, pt, has, note, err := parseHome(f.home.Text, gc)
	if err != nil {
		return r, "", fmt.Errorf("Home base: %v", err)
	}
	r.HomeZIP, r.HomeBase, r.HasHome = zip, pt, has
	if r.Start, err = parseTypedDate(f.start.Text); err != nil {
		return r, note, fmt.Errorf("Start date: %v", err)
	}
	if r.CapacityHours, err = parseTypedNumber(f.capacity.Text); err != nil {
		return r, note, fmt.Errorf("Capacity: %v hours a year", err)
	}
	if r.AnnualCost, err = parseTypedNumber(f.cost.Text); err != nil {
		return r, note, fmt.Errorf("Annual cost: %v", err)
	}
	if err := planner.CheckRep(&r); err != nil {
		return r, note, fmt.Errorf("%s", planner.ErrorMessage(err))
	}
	return r, note, nil
}

// check validates the fields as they are typed: the problem is shown and
// Save disabled until they are right.
func (f *repForm) check() {
	if f.save == nil {
		return
	}
	_, note, err := f.rep()
	setNote(f.homeNote, note)
	if err != nil {
		f.problem.SetText(err.Error())
		f.problem.Show()
		f.save.Disable()
		return
	}
	f.problem.SetText("")
	f.problem.Hide()
	f.save.Enable()
}

// submit stores the rep as one undoable change and closes the dialog.
func (f *repForm) submit() {
	r, _, err := f.rep()
	s := f.v.m.session
	if err != nil || s == nil || s != f.v.s {
		f.check()
		return
	}
	f.dlg.Hide()
	if f.old == nil {
		r.ID = nextRepID(s.plan)
		f.v.m.commit(putRepChange("Add rep "+r.Name, nil, r), false)
		return
	}
	f.v.m.commit(putRepChange("Edit rep "+r.Name, f.old, r), false)
}

// nextRepID returns an ID no rep of p has.
func nextRepID(p *planner.Plan) int64 {
	var top int64
	for _, r := range p.Reps {
		top = max(top, r.ID)
	}
	return top + 1
}

// setRep puts r into the plan's roster in memory: it replaces the rep with
// its ID, or goes last. The roster slice is copied, never written in place,
// so that snapshots taken for background work stay as they were.
func (s *session) setRep(r planner.Rep) {
	reps := slices.Clone(s.plan.Reps)
	if i := slices.IndexFunc(reps, func(x planner.Rep) bool { return x.ID == r.ID }); i >= 0 {
		reps[i] = r
	} else {
		reps = append(reps, r)
	}
	s.plan.Reps = reps
}

// removeRep removes rep id from the roster in memory (copying the slice).
func (s *session) removeRep(id int64) {
	s.plan.Reps = slices.DeleteFunc(slices.Clone(s.plan.Reps), func(x planner.Rep) bool { return x.ID == id })
}

// putRepChange adds rep r (old nil) or changes rep old into r (same ID).
func putRepChange(label string, old *planner.Rep, r planner.Rep) *change {
	c := &change{
		label: label,
		do:    func(s *session) { s.setRep(r) },
		write: []sqlite.Edit{sqlite.PutRepEdit(r)},
	}
	if old == nil {
		c.undo = func(s *session) { s.removeRep(r.ID) }
		c.revert = []sqlite.Edit{sqlite.DeleteRepEdit(r.ID)}
	} else {
		o := *old
		c.undo = func(s *session) { s.setRep(o) }
		c.revert = []sqlite.Edit{sqlite.PutRepEdit(o)}
	}
	return c
}

// coverage is one territory's assignment lines, in any scenario.
type coverage struct {
	territoryID int64
	lines       []planner.Assignment
}

// setTerritoryReps sets territory id's lines in memory in whichever
// scenario holds it (the slice is replaced, not written in place).
func (s *session) setTerritoryReps(id int64, lines []planner.Assignment) {
	for i := range s.plan.Scenarios {
		sc := &s.plan.Scenarios[i]
		if sc.ID == s.scenario.ID {
			sc = s.scenario // the active scenario is edited through s.scenario
		}
		if t := sc.Territory(id); t != nil {
			t.Reps = slices.Clone(lines)
			return
		}
	}
}

// deleteRepChange deletes rep r: in memory and in the file (DeleteRepEdit)
// its territory lines become vacancies with the same shares. Undo puts the
// rep back (last in the roster, as PutRepEdit stores it) and restores each
// territory's lines exactly.
func deleteRepChange(s *session, r planner.Rep) *change {
	var before, after []coverage
	for i := range s.plan.Scenarios {
		sc := &s.plan.Scenarios[i]
		if sc.ID == s.scenario.ID {
			sc = s.scenario
		}
		for _, t := range sc.Territories {
			if !slices.ContainsFunc(t.Reps, func(a planner.Assignment) bool { return a.RepID == r.ID }) {
				continue
			}
			lines := slices.Clone(t.Reps)
			before = append(before, coverage{t.ID, slices.Clone(lines)})
			for k := range lines {
				if lines[k].RepID == r.ID {
					lines[k].RepID = 0
				}
			}
			after = append(after, coverage{t.ID, lines})
		}
	}
	revert := []sqlite.Edit{sqlite.PutRepEdit(r)}
	for _, c := range before {
		revert = append(revert, sqlite.SetTerritoryRepsEdit(c.territoryID, c.lines))
	}
	return &change{
		label: "Delete rep " + r.Name,
		do: func(s *session) {
			s.removeRep(r.ID)
			for _, c := range after {
				s.setTerritoryReps(c.territoryID, c.lines)
			}
		},
		undo: func(s *session) {
			s.setRep(r)
			for _, c := range before {
				s.setTerritoryReps(c.territoryID, c.lines)
			}
		},
		write:  []sqlite.Edit{sqlite.DeleteRepEdit(r.ID)},
		revert: revert,
	}
}

// confirmDelete asks before deleting the selected rep.
func (v *repsView) confirmDelete() {
	r := v.selectedRep()
	if r == nil {
		return
	}
	rep := *r
	msg := "Delete " + rep.Name + " from the roster?"
	if c := v.covers[rep.ID]; c != "" {
		msg += "\n\nThe territories " + rep.Name + " covers (" + c + ") keep their lines as vacancies (TBH).\nEdit > Undo brings the rep back."
	}
	dialog.ShowConfirm("Delete rep", msg, func(ok bool) {
		if ok {
			v.deleteRep(rep.ID)
		}
	}, v.m.win)
}

// deleteRep deletes rep id as one undoable change.
func (v *repsView) deleteRep(id int64) {
	s := v.m.session
	if s == nil {
		return
	}
	r := s.plan.Rep(id)
	if r == nil {
		return
	}
	v.m.commit(deleteRepChange(s, *r), false)
}

// ---- Assign to territory ----

// tbhChoice is the rep select's choice of a vacancy.
const tbhChoice = "TBH (to be hired)"

// assignLine is one line of the Assign dialog.
type assignLine struct {
	rep    *widget.Select
	share  *widget.Entry
	start  *widget.Entry
	remove *widget.Button
	row    *fyne.Container
}

// assignForm is the Assign to territory dialog.
type assignForm struct {
	v         *repsView
	dlg       *dialog.CustomDialog
	territory *widget.Select
	ids       []int64 // territory IDs, in the select's order
	repNames  []string
	repIDs    []int64 // parallel to repNames
	lines     []*assignLine
	box       *fyne.Container
	total     *widget.Label
	ok        *widget.Button
	whole     *widget.Select // the quick "Give the whole territory to" rep
	give      *widget.Button
}

// showAssign opens the Assign dialog for territory id (0: the active one).
func (v *repsView) showAssign(id int64) {
	s := v.s
	if s == nil || len(s.scenario.Territories) == 0 {
		return
	}
	if id == 0 {
		id = v.m.ed.activeID
	}
	if s.territory(id) == nil {
		id = s.scenario.Territories[0].ID
	}
	f := &assignForm{v: v}
	var names []string
	for _, t := range s.scenario.Territories {
		names = append(names, t.Name)
		f.ids = append(f.ids, t.ID)
	}
	for _, r := range s.plan.Reps {
		f.repNames = append(f.repNames, repChoice(&r))
		f.repIDs = append(f.repIDs, r.ID)
	}
	f.box = container.NewVBox()
	f.total = widget.NewLabel("")
	f.total.Wrapping = fyne.TextWrapWord
	f.ok = widget.NewButtonWithIcon("OK", theme.ConfirmIcon(), f.submit)
	f.ok.Importance = widget.HighImportance
	f.whole = widget.NewSelect(f.repNames, func(string) { f.refreshGive() })
	f.give = widget.NewButton("Give the whole territory", f.giveWhole)
	if r := v.selectedRep(); r != nil {
		f.whole.SetSelected(repChoice(r))
	}
	f.territory = widget.NewSelect(names, func(string) { f.load() })
	addLine := widget.NewButtonWithIcon("Add line", theme.ContentAddIcon(), func() {
		f.addLine(planner.Assignment{RepID: 0, Share: max(0, 100-f.sum())})
		f.check()
	})
	header := container.NewGridWithColumns(4, widget.NewLabel("Rep"), widget.NewLabel("Share %"), widget.NewLabel("Planned start (TBH)"), widget.NewLabel(""))
	quick := container.NewBorder(nil, nil, widget.NewLabel("Quick:"), f.give, f.whole)
	content := container.NewVBox(
		widget.NewForm(widget.NewFormItem("Territory", f.territory)),
		quick, widget.NewSeparator(),
		header, f.box, container.NewHBox(addLine), f.total)
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { f.dlg.Hide() })
	f.dlg = dialog.NewCustomWithoutButtons("Assign reps to a territory", container.NewVScroll(content), v.m.win)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.ok})
	f.dlg.Resize(fyne.NewSize(720, 480))
	v.assignDlg = f
	f.territory.SetSelectedIndex(slices.Index(f.ids, id)) // loads its lines
	f.refreshGive()
	f.dlg.Show()
}

// repChoice is a rep's entry in the rep selects: the name, with the email
// when there is one (names may repeat).
func repChoice(r *planner.Rep) string {
	if r.Email != "" {
		return r.Name + " <" + r.Email + ">"
	}
	return r.Name
}

// territoryID returns the chosen territory's ID, 0 when none.
func (f *assignForm) territoryID() int64 {
	if i := f.territory.SelectedIndex(); i >= 0 && i < len(f.ids) {
		return f.ids[i]
	}
	return 0
}

// load shows the chosen territory's current lines.
func (f *assignForm) load() {
	f.lines = nil
	f.box.RemoveAll()
	if t := f.v.s.territory(f.territoryID()); t != nil {
		for _, a := range t.Reps {
			f.addLine(a)
		}
	}
	f.refreshGive()
	f.check()
}

// addLine appends a line showing a.
func (f *assignForm) addLine(a planner.Assignment) {
	l := &assignLine{}
	l.rep = widget.NewSelect(append([]string{tbhChoice}, f.repNames...), nil)
	l.share = widget.NewEntry()
	l.share.SetText(shareText(a.Share))
	l.start = widget.NewEntry()
	l.start.SetPlaceHolder("YYYY-MM-DD")
	l.start.SetText(isoDate(a.PlannedStart))
	if a.RepID == 0 {
		l.rep.SetSelected(tbhChoice)
	} else if k := slices.Index(f.repIDs, a.RepID); k >= 0 {
		l.rep.SetSelected(f.repNames[k])
	}
	l.rep.OnChanged = func(string) { f.check() }
	l.share.OnChanged = func(string) { f.check() }
	l.start.OnChanged = func(string) { f.check() }
	l.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		f.lines = slices.DeleteFunc(f.lines, func(x *assignLine) bool { return x == l })
		f.box.Remove(l.row)
		f.check()
	})
	l.row = container.NewGridWithColumns(4, l.rep, l.share, l.start, container.NewHBox(l.remove))
	f.lines = append(f.lines, l)
	f.box.Add(l.row)
}

// sum returns the shares typed that read as numbers.
func (f *assignForm) sum() float64 {
	total := 0.0
	for _, l := range f.lines {
		if v, err := parseTypedNumber(strings.TrimSuffix(strings.TrimSpace(l.share.Text), "%")); err == nil {
			total += v
		}
	}
	return total
}

// assignments reads the lines, or the first problem worded for the user.
func (f *assignForm) assignments() ([]planner.Assignment, error) {
	var out []planner.Assignment
	seen := map[int64]bool{}
	total := 0.0
	for i, l := range f.lines {
		var a planner.Assignment
		switch k := slices.Index(f.repNames, l.rep.Selected); {
		case l.rep.Selected == tbhChoice:
		case k >= 0:
			a.RepID = f.repIDs[k]
		default:
			return nil, fmt.Errorf("Line %d: choose a rep or %s", i+1, tbhChoice)
		}
		if a.RepID != 0 {
			if seen[a.RepID] {
				return nil, fmt.Errorf("Line %d: %s is on two lines; give them one line with the sum of the shares", i+1, l.rep.Selected)
			}
			seen[a.RepID] = true
		}
		share, err := parseTypedNumber(strings.TrimSuffix(strings.TrimSpace(l.share.Text), "%"))
		if err != nil || !(share > 0) || share > 100 {
			return nil, fmt.Errorf("Line %d: the share must be a percentage above 0 and at most 100", i+1)
		}
		a.Share = share
		total += share
		start, err := parseTypedDate(l.start.Text)
		if err != nil {
			return nil, fmt.Errorf("Line %d: planned start %v", i+1, err)
		}
		if !start.IsZero() && a.RepID != 0 {
			return nil, fmt.Errorf("Line %d: only a vacancy (TBH) has a planned start; a named rep's own start date counts", i+1)
		}
		a.PlannedStart = start
		out = append(out, a)
	}
	if len(out) > 0 && math.Abs(total-100) > 1e-6 {
		return nil, fmt.Errorf("The shares total %s%%; they must total 100%%", shareText(total))
	}
	return out, nil
}

// check validates the lines as they are edited: OK is enabled only when
// they can be stored, and the total line says why not.
func (f *assignForm) check() {
	for _, l := range f.lines {
		if l.rep.Selected == tbhChoice {
			l.start.Enable()
		} else {
			l.start.Disable()
		}
	}
	lines, err := f.assignments()
	switch {
	case err != nil:
		f.total.SetText("✗ " + err.Error())
		f.total.Importance = widget.DangerImportance
		f.ok.Disable()
	case len(lines) == 0:
		f.total.SetText("No lines: nobody covers the territory.")
		f.total.Importance = widget.MediumImportance
		f.ok.Enable()
	default:
		f.total.SetText("✓ Shares total 100%.")
		f.total.Importance = widget.SuccessImportance
		f.ok.Enable()
	}
	f.total.Refresh()
}

// refreshGive names the quick button after the rep chosen for it.
func (f *assignForm) refreshGive() {
	name := f.whole.Selected
	if k := slices.Index(f.repNames, name); k >= 0 {
		if r := f.v.s.plan.Rep(f.repIDs[k]); r != nil {
			name = r.Name
		}
		f.give.SetText("Give the whole territory to " + name)
		f.give.Enable()
		return
	}
	f.give.SetText("Give the whole territory to…")
	f.give.Disable()
}

// giveWhole assigns the chosen territory wholly (100%) to the quick rep
// and closes the dialog.
func (f *assignForm) giveWhole() {
	k := slices.Index(f.repNames, f.whole.Selected)
	if k < 0 {
		return
	}
	f.dlg.Hide()
	f.v.setCoverage(f.territoryID(), []planner.Assignment{{RepID: f.repIDs[k], Share: 100}})
}

// submit stores the lines as one undoable change.
func (f *assignForm) submit() {
	lines, err := f.assignments()
	if err != nil {
		f.check()
		return
	}
	f.dlg.Hide()
	f.v.setCoverage(f.territoryID(), lines)
}

// setCoverage sets who covers territory id of the active scenario as one
// undoable change.
func (v *repsView) setCoverage(id int64, lines []planner.Assignment) {
	s := v.m.session
	if s == nil {
		return
	}
	t := s.territory(id)
	if t == nil {
		return
	}
	old := slices.Clone(t.Reps)
	lines = slices.Clone(lines)
	probe := *t
	probe.Reps = lines
	label := "Assign " + t.Name
	if who := s.plan.RepNames(&probe); who != "" {
		label += " to " + who
	} else {
		label = "Clear the reps of " + t.Name
	}
	v.m.commit(&change{
		label:  label,
		do:     func(s *session) { s.setTerritoryReps(id, lines) },
		undo:   func(s *session) { s.setTerritoryReps(id, old) },
		write:  []sqlite.Edit{sqlite.SetTerritoryRepsEdit(id, lines)},
		revert: []sqlite.Edit{sqlite.SetTerritoryRepsEdit(id, old)},
	}, false)
}
