package planner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// RosterField is a rep field that a column of an imported roster can fill
// (see RosterMapping).
type RosterField uint8

// The roster fields, in the order an import dialog lists them.
const (
	RosterName          RosterField = iota // full name → Rep.Name
	RosterFirstName                        // first name; with RosterLastName makes Rep.Name when there is no name column
	RosterLastName                         // last name (surname)
	RosterEmail                            // → Rep.Email; the key that merges a re-import
	RosterRole                             // job title → Rep.Role
	RosterManager                          // the manager's name → Rep.Manager
	RosterHomeZIP                          // home postal code → Rep.HomeZIP, geocoded into Rep.HomeBase
	RosterHomeLatitude                     // home base latitude, WGS84 degrees, -90 to 90
	RosterHomeLongitude                    // home base longitude, WGS84 degrees, -180 to 180
	RosterStart                            // start (hire) date → Rep.Start
	RosterCapacity                         // hours a year → Rep.CapacityHours
	RosterCost                             // fully loaded annual cost, plan currency → Rep.AnnualCost
	RosterHomeCity                         // home city, geocoded into Rep.HomeBase when there is no postal code
	RosterHomeState                        // home state or province, to tell cities of the same name apart
	NumRosterFields                        // the number of roster fields
)

var rosterFieldInfo = [NumRosterFields]struct {
	label string
	names []string // normalised headers (see normHeader), best first
}{
	RosterName:          {"Name", []string{"name", "fullname", "repname", "rep", "salesrep", "salesrepname", "representative", "employeename", "employee", "salesagent", "agentname", "agent", "accountexecutive", "username"}},
	RosterFirstName:     {"First name", []string{"firstname", "givenname", "first"}},
	RosterLastName:      {"Last name", []string{"lastname", "surname", "familyname", "last"}},
	RosterEmail:         {"Email", []string{"email", "emailaddress", "workemail", "businessemail", "mail"}},
	RosterRole:          {"Role", []string{"role", "title", "jobtitle", "position", "jobrole"}},
	RosterManager:       {"Manager", []string{"manager", "reportsto", "managername", "supervisor", "linemanager", "salesmanager"}},
	RosterHomeZIP:       {"Home postal code", []string{"homezip", "homezipcode", "homepostalcode", "homepostcode", "zip", "zipcode", "postalcode", "postcode", "homebase", "basezip"}},
	RosterHomeLatitude:  {"Home latitude", []string{"homelatitude", "homelat", "latitude", "lat"}},
	RosterHomeLongitude: {"Home longitude", []string{"homelongitude", "homelon", "homelng", "longitude", "lon", "lng", "long"}},
	RosterStart:         {"Start date", []string{"startdate", "start", "hiredate", "datehired", "hired", "datestarted"}},
	RosterCapacity:      {"Capacity (hours a year)", []string{"capacityhours", "capacity", "capacityhoursyear", "capacityhoursperyear", "hoursperyear", "annualhours", "hoursayear", "hours"}},
	RosterCost:          {"Annual cost", []string{"annualcost", "cost", "costperyear", "loadedcost", "fullyloadedcost", "annualloadedcost", "yearlycost"}},
	RosterHomeCity:      {"Home city", []string{"homecity", "city", "basecity", "officecity"}},
	RosterHomeState:     {"Home state", []string{"homestate", "state", "province", "homeprovince", "stateprovince"}},
}

// String returns the field's label for the user, e.g. "Home postal code".
func (f RosterField) String() string {
	if f >= NumRosterFields {
		return "Unknown field"
	}
	return rosterFieldInfo[f].label
}

// RosterMapping maps each roster field to the 0-based column that fills it,
// -1 when none.
type RosterMapping [NumRosterFields]int

// NoRosterMapping returns a RosterMapping with every field unmapped (-1).
func NoRosterMapping() RosterMapping {
	var m RosterMapping
	for i := range m {
		m[i] = -1
	}
	return m
}

// GuessRosterMapping maps the columns of a roster's header to rep fields by
// their names, ignoring case, spaces and punctuation ("Full Name",
// "E-mail", "Reports To", "Home ZIP", "Postal Code", "Start Date",
// "Capacity (hours)", "Annual Cost"): each field takes the leftmost column
// with its best-ranked name, and a column fills at most one field. Headers
// that start with "capacity" or "annualcost" after normalisation ("Capacity
// (hours/yr)", "Annual Cost (USD)") also count, after the exact names.
// Latitude and longitude are mapped together or not at all. Fields with no
// matching column are -1.
func GuessRosterMapping(header []string) RosterMapping {
	m := NoRosterMapping()
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normHeader(h)
	}
	taken := make([]bool, len(header))
	maxRank := 0
	for _, fi := range rosterFieldInfo {
		maxRank = max(maxRank, len(fi.names))
	}
	for rank := 0; rank < maxRank; rank++ {
		for f := RosterField(0); f < NumRosterFields; f++ {
			names := rosterFieldInfo[f].names
			if m[f] >= 0 || rank >= len(names) {
				continue
			}
			for i, n := range norm {
				if !taken[i] && n == names[rank] {
					m[f], taken[i] = i, true
					break
				}
			}
		}
	}
	for _, pf := range []struct {
		f      RosterField
		prefix string
	}{{RosterCapacity, "capacity"}, {RosterCost, "annualcost"}, {RosterCost, "cost"}} {
		if m[pf.f] >= 0 {
			continue
		}
		for i, n := range norm {
			if !taken[i] && strings.HasPrefix(n, pf.prefix) {
				m[pf.f], taken[i] = i, true
				break
			}
		}
	}
	if (m[RosterHomeLatitude] < 0) != (m[RosterHomeLongitude] < 0) {
		m[RosterHomeLatitude], m[RosterHomeLongitude] = -1, -1
	}
	return m
}

// Unused returns the non-blank names in header of the columns that m
// maps to no roster field, in header order: a roster keeps no custom
// fields, so the import lists them for the user to map if one was meant
// (a "Region" or "Office" column, for instance).
func (m RosterMapping) Unused(header []string) []string {
	used := make([]bool, len(header))
	for _, c := range m {
		if c >= 0 && c < len(header) {
			used[c] = true
		}
	}
	out := []string{}
	for c, h := range header {
		if !used[c] && strings.TrimSpace(h) != "" {
			out = append(out, h)
		}
	}
	return out
}

// Check checks m against a table of ncols columns: every column in range
// (-1 for none), no column filling two fields, and a column for the name
// (or both first and last name) or the email. It returns an *Error with
// code EINVALID for a sales-ops user.
func (m RosterMapping) Check(ncols int) error {
	seen := map[int]RosterField{}
	for f := RosterField(0); f < NumRosterFields; f++ {
		c := m[f]
		switch {
		case c < -1 || c >= ncols:
			return Errorf(EINVALID, "The %s column %d is not in the file, which has %d columns", f, c+1, ncols)
		case c < 0:
			continue
		}
		if g, dup := seen[c]; dup {
			return Errorf(EINVALID, "Column %d cannot be both the %s and the %s", c+1, g, f)
		}
		seen[c] = f
	}
	if (m[RosterHomeLatitude] < 0) != (m[RosterHomeLongitude] < 0) {
		return Errorf(EINVALID, "Choose both a home latitude and a home longitude column, or neither")
	}
	if m[RosterName] < 0 && m[RosterEmail] < 0 && (m[RosterFirstName] < 0 || m[RosterLastName] < 0) {
		return Errorf(EINVALID, "The roster needs a name column (or first and last name columns) or an email column")
	}
	return nil
}

// RosterOptions says how ImportRoster reads a roster.
type RosterOptions struct {
	// Mapping says which column fills each rep field (see
	// GuessRosterMapping and RosterMapping.Check).
	Mapping RosterMapping
	// Geocoder turns a home postal code into a home base when the row has
	// no valid home latitude and longitude (planner/geocode, in the plan's
	// default country); nil: such reps get no home base.
	Geocoder Geocoder
}

// RosterResult is what ImportRoster read. Nothing is in a plan yet: see
// Plan.WithRoster.
type RosterResult struct {
	Source string // the table's TableReader.Source, for messages
	Rows   int    // data rows read (wholly empty rows are not counted)
	// Reps are the reps of the usable rows, in file order, with ID 0.
	Reps []Rep
	// RepRows[i] is the file row of Reps[i].
	RepRows []int
	// Set[i] lists the fields that row RepRows[i] gave a usable value, an
	// empty cell included (a value with a problem is not set): indexed by
	// RosterField, with RosterHomeZIP standing for the whole home base
	// (HomeZIP, HomeBase, HasHome) and RosterName for the name. Fields not
	// set keep a merged rep's current value (see Plan.WithRoster).
	Set [][NumRosterFields]bool
	// Mapping is RosterOptions.Mapping.
	Mapping RosterMapping
	// Problems lists every bad value and unusable row, in row order.
	Problems []Problem
	// Skipped counts the rows that could not be used: no name and no
	// email, or an email already on an earlier row (a SeverityError
	// problem each).
	Skipped int
	// Homes counts the reps with a home base: by their own coordinates
	// (HomeByPoint) and from their postal code (HomeByZIP).
	HomeByPoint, HomeByZIP int
	// HomeByCity counts the home bases located at the centre of their city
	// (a Home city column, with its state when given, and no postal code).
	HomeByCity int
}

// ImportRoster reads every row of r and makes a rep of each (see
// RosterResult). Cells are trimmed and placeholders (see Placeholders) read
// as empty. Per row:
//   - Name: the name column, else first and last name joined by a space,
//     else the email (not set: a merged rep keeps its name); a row with neither a name nor an email is skipped
//     (SeverityError), and so is a row whose email (case ignored) is on an
//     earlier row.
//   - Home base: the row's home latitude and longitude when both are numbers
//     in range and not 0, 0; else the home postal code geocoded by
//     opt.Geocoder (the corrected code is kept, with the geocoder's warning);
//     a postal code that is not found is a warning and leaves no home base.
//   - Start date: a date cell, an ISO date ("2024-03-01", also with a time),
//     "2024/03/01", "Mar 1, 2024", "1 March 2024", an Excel date serial
//     number (days since 1899-12-30, Microsoft's 1900 date system, between
//     1950 and 2100), or a day, month and year written with "/", "." or "-".
//     For the last, the column's order is decided from all its values: day
//     first when some first part is over 12, month first when some second
//     part is; when no value tells, day first in a file that writes decimal
//     commas, else month first, with a warning on the first ambiguous row.
//   - Capacity: a number of hours a year from 0 to HoursPerYear (8,784);
//     Cost: an amount, 0 or more; both read with ParseNumber and the file's
//     NumberFormat ("1,600", "$95,000").
//
// A value that cannot be read is a SeverityWarning problem naming the row
// and column; the rep is imported without it (see RosterResult.Set).
//
// The roster is read whole before the rows are parsed (a roster is small:
// its dates need every row). It returns a *Error: EINVALID when opt.Mapping
// does not fit the table; the reader's error (naming the file and row) when
// a row cannot be read; ECANCELED when ctx is cancelled.
func ImportRoster(ctx context.Context, r TableReader, opt RosterOptions) (*RosterResult, error) {
	header := r.Header()
	m := opt.Mapping
	if err := m.Check(len(header)); err != nil {
		return nil, err
	}
	var recs []Record
	last := r.HeaderRow()
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, &Error{Code: ECANCELED, Message: fmt.Sprintf("The import of %s was cancelled", r.Source()), Err: err}
			}
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			var perr *Error
			if errors.As(err, &perr) {
				return nil, err
			}
			return nil, &Error{Code: EIO, Message: fmt.Sprintf("Cannot read %s after row %d", r.Source(), last), Err: err}
		}
		last = rec.Row
		recs = append(recs, Record{Row: rec.Row, Cells: append([]Cell(nil), rec.Cells...)})
	}
	ri := &rosterImporter{header: header, m: m, nf: r.Numbers(), opt: opt,
		res:    &RosterResult{Source: r.Source(), Rows: len(recs), Mapping: m},
		emails: map[string]int{}}
	ri.dayFirst, ri.guessedOrder = dateOrder(recs, m[RosterStart], ri.nf)
	for _, rec := range recs {
		ri.row(rec)
	}
	return ri.res, nil
}

// rosterImporter holds the state of one ImportRoster.
type rosterImporter struct {
	header []string
	m      RosterMapping
	nf     NumberFormat
	opt    RosterOptions
	res    *RosterResult
	emails map[string]int // lower-cased email → first row

	dayFirst     bool // numeric dates are day/month/year
	guessedOrder bool // ... decided by the file's number format, not its values
	warnedOrder  bool
}

// text returns the trimmed text of cell col, "" for a missing or empty
// cell or a placeholder.
func (ri *rosterImporter) text(cells []Cell, col int) string { return cellText(cells, col) }

// number reads cell col: ok when it holds a finite number, bad when it
// holds something else; s is the cell's text.
func (ri *rosterImporter) number(cells []Cell, col int) (v float64, ok, bad bool, s string) {
	return cellNumber(cells, col, ri.nf)
}

// minPlausibleCapacity is the capacity, in hours a year, below which the
// roster import warns: a week's work is 40.
const minPlausibleCapacity = 40

// cutHoursUnit removes a trailing unit of hours ("h", "hrs", "hours",
// case ignored) from s, and reports whether it did.
func cutHoursUnit(s string) (string, bool) {
	t := strings.TrimSpace(s)
	low := strings.ToLower(t)
	for _, u := range []string{"hours", "hour", "hrs", "hr", "h"} {
		if strings.HasSuffix(low, u) {
			return strings.TrimSpace(t[:len(t)-len(u)]), true
		}
	}
	return t, false
}

func (ri *rosterImporter) problem(row, col int, value, reason string, sev Severity) {
	name := ""
	if col >= 0 && col < len(ri.header) {
		name = ri.header[col]
	}
	ri.res.Problems = append(ri.res.Problems, Problem{Row: row, Column: name, Value: value, Reason: reason, Severity: sev})
}

func (ri *rosterImporter) row(rec Record) {
	m, cells, row := &ri.m, rec.Cells, rec.Row
	var set [NumRosterFields]bool
	rp := Rep{
		Name:    ri.text(cells, m[RosterName]),
		Email:   ri.text(cells, m[RosterEmail]),
		Role:    ri.text(cells, m[RosterRole]),
		Manager: ri.text(cells, m[RosterManager]),
	}
	for _, f := range []RosterField{RosterEmail, RosterRole, RosterManager} {
		set[f] = m[f] >= 0
	}
	if rp.Name == "" {
		first, last := ri.text(cells, m[RosterFirstName]), ri.text(cells, m[RosterLastName])
		rp.Name = strings.TrimSpace(first + " " + last)
	}
	nameCol := m[RosterName]
	if nameCol < 0 {
		nameCol = m[RosterFirstName]
	}
	switch {
	case rp.Name == "" && rp.Email == "":
		col := nameCol
		if col < 0 {
			col = m[RosterEmail]
		}
		ri.problem(row, col, "", "the rep has no name and no email; the row is skipped", SeverityError)
		ri.res.Skipped++
		return
	case rp.Name == "":
		// Named after the email; a merged rep keeps its name.
		if nameCol >= 0 {
			ri.problem(row, nameCol, "", "the rep has no name; named after the email '"+rp.Email+"'", SeverityWarning)
		}
		rp.Name = rp.Email
	default:
		set[RosterName] = true
	}
	if rp.Email != "" {
		key := strings.ToLower(rp.Email)
		if first, dup := ri.emails[key]; dup {
			ri.problem(row, m[RosterEmail], rp.Email, fmt.Sprintf("the email '%s' is also on row %d; the row is skipped", rp.Email, first), SeverityError)
			ri.res.Skipped++
			return
		}
		ri.emails[key] = row
		if !strings.Contains(rp.Email, "@") {
			ri.problem(row, m[RosterEmail], rp.Email, "'"+rp.Email+"' does not look like an email address", SeverityWarning)
		}
	}

	set[RosterHomeZIP] = ri.home(cells, row, &rp)
	if c := m[RosterStart]; c >= 0 {
		t, ok := ri.date(cells, c, row)
		rp.Start, set[RosterStart] = t, ok
	}
	if c := m[RosterCapacity]; c >= 0 {
		v, ok, bad, s := ri.number(cells, c)
		if bad {
			// "1,600 h", "1600 hours": the unit is the column's.
			if t, cut := cutHoursUnit(s); cut {
				var nv float64
				if nv, ok = ParseNumber(t, ri.nf); ok {
					v, bad = nv, false
				}
			}
		}
		switch {
		case bad:
			ri.problem(row, c, s, notNumber(s)+"; the rep gets the plan's default capacity", SeverityWarning)
		case ok && (v < 0 || v > HoursPerYear):
			ri.problem(row, c, s, fmt.Sprintf("capacity '%s' is not a number of hours a year from 0 to %d; the rep gets the plan's default capacity", s, HoursPerYear), SeverityWarning)
		default:
			if ok && v > 0 && v < minPlausibleCapacity {
				// "1.600" read with a decimal point: most likely 1,600
				// written with a European thousands separator.
				ri.problem(row, c, s, fmt.Sprintf("capacity '%s' is read as %s hours a year, which looks too low: if it means %s, write it without a separator",
					s, trimFloat(v), trimFloat(v*1000)), SeverityWarning)
			}
			rp.CapacityHours, set[RosterCapacity] = v, true
		}
	}
	if c := m[RosterCost]; c >= 0 {
		v, ok, bad, s := ri.number(cells, c)
		switch {
		case bad:
			ri.problem(row, c, s, notNumber(s)+"; the annual cost is left out", SeverityWarning)
		case ok && v < 0:
			ri.problem(row, c, s, "annual cost '"+s+"' is negative; it is left out", SeverityWarning)
		default:
			rp.AnnualCost, set[RosterCost] = v, true
		}
	}
	ri.res.Reps = append(ri.res.Reps, rp)
	ri.res.RepRows = append(ri.res.RepRows, row)
	ri.res.Set = append(ri.res.Set, set)
}

// home fills the rep's home base from the row's coordinates or postal code
// and reports whether the row said anything usable about it.
func (ri *rosterImporter) home(cells []Cell, row int, rp *Rep) bool {
	m := &ri.m
	latC, lonC, zipC := m[RosterHomeLatitude], m[RosterHomeLongitude], m[RosterHomeZIP]
	cityC, stateC := m[RosterHomeCity], m[RosterHomeState]
	if latC < 0 && zipC < 0 && cityC < 0 {
		return false
	}
	rp.HomeZIP = ri.text(cells, zipC)
	usable := true
	if latC >= 0 {
		lat, latOK, latBad, latS := ri.number(cells, latC)
		lon, lonOK, lonBad, lonS := ri.number(cells, lonC)
		if latBad {
			ri.problem(row, latC, latS, notNumber(latS), SeverityWarning)
		}
		if lonBad {
			ri.problem(row, lonC, lonS, notNumber(lonS), SeverityWarning)
		}
		switch {
		case !latOK || !lonOK:
			if latOK != lonOK && !latBad && !lonBad {
				col, s := lonC, latS
				if lonOK {
					col, s = latC, lonS
				}
				ri.problem(row, col, s, "the home latitude or longitude is missing", SeverityWarning)
			}
			usable = !latBad && !lonBad
		case lat < -90 || lat > 90:
			ri.problem(row, latC, latS, "latitude '"+latS+"' is not between -90 and 90 degrees", SeverityWarning)
			usable = false
		case lon < -180 || lon > 180:
			ri.problem(row, lonC, lonS, "longitude '"+lonS+"' is not between -180 and 180 degrees", SeverityWarning)
			usable = false
		case lat == 0 && lon == 0:
			ri.problem(row, latC, latS, "latitude 0, longitude 0 is a placeholder, not a location", SeverityWarning)
			usable = false
		default:
			rp.HomeBase, rp.HasHome = orb.Point{lon, lat}, true
			ri.res.HomeByPoint++
			return true
		}
	}
	if rp.HomeZIP == "" {
		if city := ri.text(cells, cityC); city != "" {
			return ri.homeCity(row, cityC, city, ri.text(cells, stateC), rp)
		}
		return usable
	}
	if ri.opt.Geocoder == nil {
		ri.problem(row, zipC, rp.HomeZIP, "no gazetteer to look up postal code '"+rp.HomeZIP+"'; the rep has no home base", SeverityWarning)
		return true
	}
	g := ri.opt.Geocoder.Geocode(Address{ZIP: rp.HomeZIP})
	if g.Warning != "" {
		ri.problem(row, zipC, rp.HomeZIP, g.Warning, SeverityWarning)
	}
	if g.Level == MatchPostal && ValidLonLat(g.Location) {
		rp.HomeBase, rp.HasHome = g.Location, true
		if g.ZIP != "" {
			rp.HomeZIP = g.ZIP
		}
		ri.res.HomeByZIP++
	} else {
		ri.problem(row, zipC, rp.HomeZIP, "postal code '"+rp.HomeZIP+"' not found; the rep has no home base", SeverityWarning)
	}
	return true
}

// homeCity locates a home base at the centre of its city (with its state
// or province when given) through the options' geocoder; the rep has no
// home base, with a warning, when the city is unknown or the geocoder
// missing.
func (ri *rosterImporter) homeCity(row, col int, city, state string, rp *Rep) bool {
	if ri.opt.Geocoder == nil {
		ri.problem(row, col, city, "no gazetteer to look up the city '"+city+"'; the rep has no home base", SeverityWarning)
		return true
	}
	g := ri.opt.Geocoder.Geocode(Address{City: city, State: state})
	if g.Warning != "" {
		ri.problem(row, col, city, g.Warning, SeverityWarning)
	}
	if (g.Level == MatchCity || g.Level == MatchPostal) && ValidLonLat(g.Location) {
		rp.HomeBase, rp.HasHome = g.Location, true
		ri.res.HomeByCity++
		return true
	}
	where := city
	if state != "" {
		where += ", " + state
	}
	ri.problem(row, col, city, "city '"+where+"' not found; the rep has no home base", SeverityWarning)
	return true
}

// excelEpoch is day 0 of Excel's 1900 date system as serial numbers count
// it (1899-12-30, which absorbs Lotus 1-2-3's phantom 29 February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// dateLayouts are the written dates that read the same in every locale.
var dateLayouts = []string{"2006-01-02", "2006/01/02", "2006-1-2", "2006/1/2", "Jan 2, 2006", "January 2, 2006", "2 Jan 2006", "2 January 2006", "Jan 2 2006", "2-Jan-2006", "02-Jan-06"}

// date reads cell col as a date (see ImportRoster), UTC midnight; ok is
// false, with a problem, for a value that is not a date, and false without
// one for an empty cell (which is set: the start date is unknown).
func (ri *rosterImporter) date(cells []Cell, col, row int) (time.Time, bool) {
	if col >= len(cells) {
		return time.Time{}, true
	}
	c := &cells[col]
	switch c.Kind {
	case CellEmpty:
		return time.Time{}, true
	case CellDate:
		y, mo, d := c.Time.Date()
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), true
	case CellNumber:
		if t, ok := serialDate(c.Number); ok {
			return t, true
		}
		ri.problem(row, col, c.Text, "'"+c.Text+"' is not a date", SeverityWarning)
		return time.Time{}, false
	}
	s := strings.TrimSpace(c.Text)
	if IsPlaceholder(s) {
		return time.Time{}, true
	}
	if t, ok := parseFixedDate(s); ok {
		return t, true
	}
	if a, b, y, ok := dmy(s); ok {
		d, mo := b, a
		if ri.dayFirst {
			d, mo = a, b
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if mo >= 1 && mo <= 12 && t.Day() == d {
			if ri.guessedOrder && a != b && a <= 12 && b <= 12 && !ri.warnedOrder {
				ri.warnedOrder = true
				order := "month/day/year"
				if ri.dayFirst {
					order = "day/month/year"
				}
				ri.problem(row, col, s, fmt.Sprintf("'%s' could be read two ways; the column's dates are read as %s (%s)", s, order, t.Format("2 January 2006")), SeverityWarning)
			}
			return t, true
		}
	}
	if v, ok := ParseNumber(s, ri.nf); ok {
		if t, ok := serialDate(v); ok {
			return t, true
		}
	}
	ri.problem(row, col, s, "'"+s+"' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-01", SeverityWarning)
	return time.Time{}, false
}

// serialDate reads an Excel serial date of Microsoft's 1900 date system
// (days since 1899-12-30; the fraction is the time of day, dropped), for
// dates from 1950 to 2100 only: other numbers are not start dates.
func serialDate(v float64) (time.Time, bool) {
	if !(v >= 18264 && v < 73051) { // 1950-01-01 .. 2100-01-01
		return time.Time{}, false
	}
	return excelEpoch.AddDate(0, 0, int(v)), true
}

// parseFixedDate reads s with dateLayouts, or as an ISO date followed by a
// time ("2024-03-01 00:00:00", "2024-03-01T09:00:00Z"), dropping the time.
func parseFixedDate(s string) (time.Time, bool) {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		if t, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return t, true
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dmy splits "a/b/y", "a.b.y" or "a-b-y" (one or two digits, then two or
// four digits for the year; two-digit years are 2000 to 2068 below 69, else
// 1969 to 1999, as Go's time package reads them).
func dmy(s string) (a, b, y int, ok bool) {
	var parts []string
	for _, sep := range []string{"/", ".", "-"} {
		if p := strings.Split(s, sep); len(p) == 3 {
			parts = p
			break
		}
	}
	if parts == nil || len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4) {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || p == "" || p[0] == '+' {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	y = n[2]
	if len(parts[2]) == 2 {
		if y < 69 {
			y += 2000
		} else {
			y += 1900
		}
	}
	return n[0], n[1], y, n[0] >= 1 && n[1] >= 1
}

// dateOrder decides whether the numeric dates of column col are day first:
// by a value whose first part is over 12 (day first) or whose second part
// is (month first); failing that, guessed from nf (decimal comma: day
// first).
func dateOrder(recs []Record, col int, nf NumberFormat) (dayFirst, guessed bool) {
	if col < 0 {
		return false, false
	}
	var dayVotes, monthVotes int
	for _, rec := range recs {
		if col >= len(rec.Cells) || rec.Cells[col].Kind != CellText {
			continue
		}
		s := strings.TrimSpace(rec.Cells[col].Text)
		if _, fixed := parseFixedDate(s); fixed {
			continue
		}
		if a, b, _, ok := dmy(s); ok {
			if a > 12 && b <= 12 {
				dayVotes++
			}
			if b > 12 && a <= 12 {
				monthVotes++
			}
		}
	}
	switch {
	case dayVotes > monthVotes:
		return true, false
	case monthVotes > dayVotes:
		return false, false
	}
	return nf.Decimal == ',', true
}

// RosterMerge counts what Plan.WithRoster did.
type RosterMerge struct {
	Added     int // reps new to the plan
	Updated   int // reps of the plan whose fields changed
	Unchanged int // reps of the plan matched by a row, with no change
	// Kept counts the plan's reps that the roster does not name; they are
	// kept (they may cover territories).
	Kept int
}

// repKey returns the normalised email and name that match a rep.
func repKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// WithRoster returns a copy of p with the reps of res merged into its
// roster, and what changed. An imported rep matches the plan's rep with
// the same email (case and surrounding spaces ignored) when it has an
// email, else the plan's rep with the same name (case and repeated spaces
// ignored) that no other row matched; a plan rep is matched at most once.
// A matched rep keeps its ID and place in the roster, and takes the
// fields the row set (see RosterResult.Set); others keep their values. New
// reps are appended in file order with IDs after the plan's largest.
// Reps the roster does not name are kept. Territories and every other part
// of p are shared with the copy, not copied.
//
// It returns the *Error of Plan.Validate (EINVALID) when the merged plan is
// not valid, and p unchanged.
func (p *Plan) WithRoster(res *RosterResult) (*Plan, RosterMerge, error) {
	var mr RosterMerge
	q := *p
	q.Reps = append([]Rep(nil), p.Reps...)
	byEmail, byName := map[string]int{}, map[string][]int{}
	var maxID int64
	for i, r := range q.Reps {
		if k := repKey(r.Email); k != "" {
			if _, dup := byEmail[k]; !dup {
				byEmail[k] = i
			}
		}
		k := repKey(r.Name)
		byName[k] = append(byName[k], i)
		maxID = max(maxID, r.ID)
	}
	matched := make([]bool, len(q.Reps))
	for k, in := range res.Reps {
		var set [NumRosterFields]bool
		if k < len(res.Set) {
			set = res.Set[k]
		}
		target := -1
		if e := repKey(in.Email); e != "" {
			if i, ok := byEmail[e]; ok && !matched[i] {
				target = i
			}
		}
		if target < 0 {
			for _, i := range byName[repKey(in.Name)] {
				// By name only when the emails do not disagree.
				if !matched[i] && (in.Email == "" || q.Reps[i].Email == "" || repKey(q.Reps[i].Email) == repKey(in.Email)) {
					target = i
					break
				}
			}
		}
		if target < 0 {
			maxID++
			in.ID = maxID
			q.Reps = append(q.Reps, in)
			mr.Added++
			continue
		}
		matched[target] = true
		old := q.Reps[target]
		r := old
		if set[RosterName] {
			r.Name = in.Name
		}
		if set[RosterEmail] && in.Email != "" {
			r.Email = in.Email
		}
		if set[RosterRole] {
			r.Role = in.Role
		}
		if set[RosterManager] {
			r.Manager = in.Manager
		}
		if set[RosterHomeZIP] {
			r.HomeBase, r.HasHome, r.HomeZIP = in.HomeBase, in.HasHome, in.HomeZIP
		}
		if set[RosterStart] {
			r.Start = in.Start
		}
		if set[RosterCapacity] {
			r.CapacityHours = in.CapacityHours
		}
		if set[RosterCost] {
			r.AnnualCost = in.AnnualCost
		}
		q.Reps[target] = r
		a, b := r, old
		a.Start, b.Start = time.Time{}, time.Time{}
		if a == b && r.Start.Equal(old.Start) {
			mr.Unchanged++
		} else {
			mr.Updated++
		}
	}
	for i := range matched {
		if !matched[i] {
			mr.Kept++
		}
	}
	if err := q.Validate(); err != nil {
		return p, RosterMerge{}, err
	}
	return &q, mr, nil
}
