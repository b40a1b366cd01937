package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/geo"
	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/csvfile"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// This file is File > New plan…: a dialog that starts an empty plan (no
// accounts, one scenario, no territories) on a geography layer, either one
// that Meridian ships or a GeoJSON/TopoJSON file of the user's, optionally
// with a CSV of weights (such as population by FIPS) joined by code. It does
// what `meridianctl import geography` does (cmd/meridianctl/importgeo.go).

const (
	// fromFileOption is the geography choice that reads the user's file.
	fromFileOption = "From a GeoJSON/TopoJSON file…"
	// useCodeOption is the name property choice "no name: use the code".
	useCodeOption = "(use the code)"
	// defaultPlanName is the name the dialog starts with.
	defaultPlanName = "New plan"
	// reportIssues is how many issues of each kind the report lists.
	reportIssues = 8
)

// newPlanInput is what the user chose, copied for a background update.
type newPlanInput struct {
	layer       *assets.BoundaryLayer // a shipped layer, or nil for a file
	path        string                // the GeoJSON/TopoJSON file when layer is nil
	object      string                // TopoJSON object; "" picks the likely one
	idProp      string                // "" means: guess
	nameProp    string                // "" with nameSet: use the code
	nameSet     bool                  // nameProp was chosen (else guessed)
	weightsPath string                // "" for no weights
	codeCol     string                // "" means: guess
	valueCol    string                // "" means: guess
	cached      *planner.GeographyFile
	cachedKey   string
}

// key identifies the geography file read for in.
func (in newPlanInput) key() string {
	if in.layer != nil {
		return "layer\x00" + in.layer.Key
	}
	return "file\x00" + in.path + "\x00" + in.object
}

// newPlanResult is what a background update made of a newPlanInput.
type newPlanResult struct {
	g                 *planner.GeographyFile
	key               string
	idProp, nameProp  string
	units             []planner.GeographyUnit
	rep               planner.GeographyReport
	weightsHeader     []string
	codeCol, valueCol string
	join              *planner.JoinReport
	err               error // the geography or weights could not be used
}

// newPlanDialog is the File > New plan… dialog and its state. Its fields
// are touched on the UI thread only.
type newPlanDialog struct {
	m      *Meridian
	dlg    dialog.Dialog
	layers []assets.BoundaryLayer

	name         *widget.Entry
	source       *widget.Select
	fileLabel    *widget.Label
	fileBox      *fyne.Container
	objectSel    *widget.Select
	objectBox    *fyne.Container
	idSel        *widget.Select
	nameSel      *widget.Select
	propsBox     *fyne.Container
	weightsLabel *widget.Label
	codeSel      *widget.Select
	valueSel     *widget.Select
	columnsBox   *fyne.Container
	report       *widget.Label
	createBtn    *widget.Button
	content      *fyne.Container // the dialog's content, laid out again when rows show or hide

	quiet    bool   // set while widgets are filled programmatically
	autoName string // the plan name the dialog filled in last

	in      newPlanInput // the user's choices
	g       *planner.GeographyFile
	gKey    string
	props   []geo.PropertyInfo // of g, in idSel's order
	units   []planner.GeographyUnit
	rep     planner.GeographyReport
	join    *planner.JoinReport
	headers []string // of the weights CSV
	ready   bool     // units are up to date with the choices
}

// showNewPlan opens the File > New plan… dialog. Call it on the UI thread.
func (m *Meridian) showNewPlan() { m.newPlanDialog().dlg.Show() }

// newPlanDialog builds the New plan dialog (hidden).
func (m *Meridian) newPlanDialog() *newPlanDialog {
	np := &newPlanDialog{m: m, layers: assets.BoundaryLayers(), autoName: defaultPlanName}
	np.name = widget.NewEntry()
	np.name.SetText(defaultPlanName)

	var options []string
	for _, l := range np.layers {
		options = append(options, layerOption(l))
	}
	options = append(options, fromFileOption)
	np.source = widget.NewSelect(options, func(string) {
		if !np.quiet {
			np.sourceChanged()
		}
	})

	np.fileLabel = widget.NewLabel("No file chosen")
	np.fileLabel.Truncation = fyne.TextTruncateEllipsis
	np.fileBox = container.NewBorder(nil, nil, nil,
		widget.NewButton("Choose file…", np.browseGeography), np.fileLabel)
	np.fileBox.Hide()

	np.objectSel = widget.NewSelect(nil, func(string) {
		if !np.quiet {
			np.in.object = np.objectSel.Selected
			np.in.idProp, np.in.nameProp, np.in.nameSet = "", "", false
			np.update()
		}
	})
	np.objectBox = container.NewBorder(nil, nil, widget.NewLabel("TopoJSON object"), nil, np.objectSel)
	np.objectBox.Hide()
	np.idSel = widget.NewSelect(nil, func(string) {
		if i := np.idSel.SelectedIndex(); !np.quiet && i >= 0 && i < len(np.props) {
			np.in.idProp = np.props[i].Name
			np.update()
		}
	})
	np.nameSel = widget.NewSelect(nil, func(string) {
		if i := np.nameSel.SelectedIndex(); !np.quiet && i >= 0 {
			np.in.nameProp, np.in.nameSet = "", true
			if i > 0 && i <= len(np.props) {
				np.in.nameProp = np.props[i-1].Name
			}
			np.update()
		}
	})
	np.propsBox = container.NewVBox(np.objectBox,
		widget.NewForm(widget.NewFormItem("Unit code", np.idSel), widget.NewFormItem("Unit name", np.nameSel)))
	np.propsBox.Hide()

	np.weightsLabel = widget.NewLabel("None: units start without population")
	np.weightsLabel.Truncation = fyne.TextTruncateEllipsis
	np.codeSel = widget.NewSelect(nil, func(s string) {
		if !np.quiet {
			np.in.codeCol = s
			np.update()
		}
	})
	np.valueSel = widget.NewSelect(nil, func(s string) {
		if !np.quiet {
			np.in.valueCol = s
			np.update()
		}
	})
	np.columnsBox = container.NewVBox(widget.NewForm(
		widget.NewFormItem("Code column", np.codeSel), widget.NewFormItem("Population column", np.valueSel)))
	np.columnsBox.Hide()
	weightsRow := container.NewBorder(nil, nil, nil, container.NewHBox(
		widget.NewButton("Weights CSV…", np.browseWeights),
		widget.NewButton("Remove", func() { np.setWeights("") })), np.weightsLabel)

	np.report = widget.NewLabel("Choose a geography for the plan's units.")
	np.report.Wrapping = fyne.TextWrapWord
	np.report.Selectable = true
	reportScroll := container.NewVScroll(np.report)
	reportScroll.SetMinSize(fyne.NewSize(0, 200))

	np.createBtn = widget.NewButton("Create…", np.askCreate)
	np.createBtn.Importance = widget.HighImportance
	np.createBtn.Disable()
	cancel := widget.NewButton("Cancel", func() { np.dlg.Hide() })

	form := widget.NewForm(widget.NewFormItem("Plan name", np.name))
	np.content = container.NewBorder(
		container.NewVBox(form,
			widget.NewLabelWithStyle("Geography", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			np.source, np.fileBox, np.propsBox,
			widget.NewLabelWithStyle("Weights (optional)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			weightsRow, np.columnsBox,
			widget.NewLabelWithStyle("Report", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		container.NewHBox(layout.NewSpacer(), cancel, np.createBtn),
		nil, nil, reportScroll)
	np.dlg = dialog.NewCustomWithoutButtons("New plan", np.content, m.win)
	np.source.PlaceHolder = "Choose a boundary layer or a file"
	np.dlg.Resize(fyne.NewSize(800, 740))
	return np
}

// relayout lays the dialog out again after rows were shown or hidden.
func (np *newPlanDialog) relayout() {
	for _, o := range np.content.Objects {
		if c, ok := o.(*fyne.Container); ok {
			c.Refresh()
		}
	}
	np.content.Refresh()
}

// layerOption is a shipped layer's line in the geography choice: its name
// and how many units it gives.
func layerOption(l assets.BoundaryLayer) string {
	return fmt.Sprintf("%s — %s units", l.Name, formatCount(float64(l.Units)))
}

// sourceChanged follows the geography choice.
func (np *newPlanDialog) sourceChanged() {
	defer np.relayout()
	sel := np.source.Selected
	if sel == fromFileOption {
		np.fileBox.Show()
		np.propsBox.Show()
		np.in.layer = nil
		if np.in.path == "" {
			np.invalidate("Choose a GeoJSON or TopoJSON file.")
			np.browseGeography()
			return
		}
		np.update()
		return
	}
	np.fileBox.Hide()
	np.propsBox.Hide()
	for i, l := range np.layers {
		if layerOption(l) == sel {
			np.in.layer = &np.layers[i]
			np.setAutoName(l.Name)
			np.update()
			return
		}
	}
	np.in.layer = nil
	np.invalidate("Choose a geography for the plan's units.")
}

// setAutoName puts name in the plan name entry unless the user typed one.
func (np *newPlanDialog) setAutoName(name string) {
	if t := strings.TrimSpace(np.name.Text); t == "" || t == np.autoName {
		np.name.SetText(name)
	}
	np.autoName = name
}

// browseGeography asks for a GeoJSON or TopoJSON file.
func (np *newPlanDialog) browseGeography() {
	np.openFile([]string{".geojson", ".topojson", ".json"}, np.chooseGeographyFile)
}

// browseWeights asks for a CSV file of weights.
func (np *newPlanDialog) browseWeights() {
	np.openFile([]string{".csv", ".txt", ".tsv"}, np.setWeights)
}

// openFile shows a file open dialog for files with the extensions and calls
// chosen with the path of the file picked.
func (np *newPlanDialog) openFile(exts []string, chosen func(path string)) {
	np.m.pickFile(exts, chosen)
}

// chooseGeographyFile reads the GeoJSON or TopoJSON file at path as the
// plan's geography, guessing its object and properties.
func (np *newPlanDialog) chooseGeographyFile(path string) {
	np.in.layer = nil
	np.in.path, np.in.object = path, ""
	np.in.idProp, np.in.nameProp, np.in.nameSet = "", "", false
	np.fileLabel.SetText(path)
	np.fileBox.Show()
	np.propsBox.Show()
	np.quiet = true
	np.source.SetSelected(fromFileOption)
	np.quiet = false
	np.setAutoName(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	np.relayout()
	np.update()
}

// setWeights uses the CSV file at path as the units' population ("" for
// none), guessing its code and value columns.
func (np *newPlanDialog) setWeights(path string) {
	np.in.weightsPath, np.in.codeCol, np.in.valueCol = path, "", ""
	np.headers = nil
	if path == "" {
		np.weightsLabel.SetText("None: units start without population")
		np.columnsBox.Hide()
	} else {
		np.weightsLabel.SetText(path)
		np.columnsBox.Show()
	}
	np.relayout()
	np.update()
}

// invalidate shows msg in the report and disables Create until the units
// are made again.
func (np *newPlanDialog) invalidate(msg string) {
	np.ready = false
	np.createBtn.Disable()
	np.report.SetText(msg)
}

// update makes the units from the current choices in a background task
// (with progress and Cancel) and shows the report.
func (np *newPlanDialog) update() {
	if np.in.layer == nil && np.in.path == "" {
		np.invalidate("Choose a geography for the plan's units.")
		return
	}
	in := np.in
	in.cached, in.cachedKey = np.g, np.gKey
	np.invalidate("Reading the geography…")
	var res newPlanResult
	np.m.runTask("Reading the geography…", func(ctx context.Context, progress func(float64)) error {
		res = buildNewPlanUnits(ctx, in, progress)
		if errors.Is(res.err, context.Canceled) {
			return res.err
		}
		return nil
	}, func() { np.apply(res) })
}

// apply shows the result of an update. Call it on the UI thread.
func (np *newPlanDialog) apply(res newPlanResult) {
	defer np.relayout()
	if res.g != nil {
		np.g, np.gKey = res.g, res.key
		np.fillProperties(res)
	}
	if res.weightsHeader != nil {
		np.headers = res.weightsHeader
		np.fillColumns(res)
	}
	if res.err != nil {
		np.units, np.join = nil, nil
		np.invalidate(planner.ErrorMessage(res.err))
		np.m.showError(res.err)
		return
	}
	if np.in.layer == nil {
		np.in.idProp, np.in.nameProp, np.in.nameSet = res.idProp, res.nameProp, true
	}
	if res.weightsHeader != nil {
		np.in.codeCol, np.in.valueCol = res.codeCol, res.valueCol
	}
	np.units, np.rep, np.join = res.units, res.rep, res.join
	np.ready = true
	np.report.SetText(newPlanReport(res.rep, res.join))
	np.createBtn.Enable()
}

// fillProperties fills the object, code and name selects from g.
func (np *newPlanDialog) fillProperties(res newPlanResult) {
	np.quiet = true
	defer func() { np.quiet = false }()
	g := res.g
	if g.Topo {
		np.in.object = g.Object // so that the next update finds g cached
	}
	if g.Topo && len(g.Objects) > 1 {
		np.objectSel.SetOptions(g.Objects)
		np.objectSel.SetSelected(g.Object)
		np.objectBox.Show()
	} else {
		np.objectBox.Hide()
	}
	np.props = g.Properties
	ids := make([]string, len(g.Properties))
	names := []string{useCodeOption}
	for i, p := range g.Properties {
		ids[i] = propertyOption(p, len(g.Features))
		names = append(names, ids[i])
	}
	np.idSel.SetOptions(ids)
	np.nameSel.SetOptions(names)
	np.idSel.ClearSelected()
	np.nameSel.SetSelectedIndex(0)
	for i, p := range g.Properties {
		if p.Name == res.idProp {
			np.idSel.SetSelectedIndex(i)
		}
		if p.Name == res.nameProp {
			np.nameSel.SetSelectedIndex(i + 1)
		}
	}
}

// fillColumns fills the weights column selects.
func (np *newPlanDialog) fillColumns(res newPlanResult) {
	np.quiet = true
	defer func() { np.quiet = false }()
	np.codeSel.SetOptions(codeColumnOptions(res.weightsHeader))
	np.codeSel.SetSelected(res.codeCol)
	np.valueSel.SetOptions(res.weightsHeader)
	np.valueSel.SetSelected(res.valueCol)
}

// propertyOption describes a property in the code and name selects: its
// name, an example value and whether its values are unique, e.g.
// `name — e.g. "Dolj"; 42 unique values`.
func propertyOption(p geo.PropertyInfo, features int) string {
	s := p.Name
	if len(p.Examples) > 0 {
		s += fmt.Sprintf(" — e.g. %q", ellipsis(p.Examples[0], 30))
	}
	switch {
	case p.Count == 0:
		s += "; always empty"
	case p.Distinct == p.Count && p.Count == features:
		s += fmt.Sprintf("; %d unique values", p.Count)
	case p.Distinct == p.Count:
		s += fmt.Sprintf("; unique, but %d of %d features have none", features-p.Count, features)
	default:
		s += fmt.Sprintf("; not unique (%d distinct in %d features)", p.Distinct, p.Count)
	}
	return s
}

// guessIDProp returns the property most likely to hold each unit's code: a
// property named id, code, fips or geoid, or starting with iso (any case),
// whose values are unique; else the feature's own id (geo.FeatureIDProp)
// when features have one (UnitsFromFeatures reports missing and repeated
// codes); else the first property with unique values; else the first
// property; "" when there is none.
func guessIDProp(props []geo.PropertyInfo) string {
	unique := func(p geo.PropertyInfo) bool { return p.Count > 0 && p.Distinct == p.Count }
	for _, p := range props {
		n := strings.ToLower(p.Name)
		if (n == "id" || n == "code" || n == "fips" || n == "geoid" || strings.HasPrefix(n, "iso")) && unique(p) {
			return p.Name
		}
	}
	for _, p := range props {
		if p.Name == geo.FeatureIDProp && p.Count > 0 {
			return p.Name
		}
	}
	for _, p := range props {
		if unique(p) {
			return p.Name
		}
	}
	if len(props) > 0 {
		return props[0].Name
	}
	return ""
}

// guessNameProp returns the property most likely to hold each unit's name:
// "name" in any case, else the first whose name contains "name"; "" (use
// the code) when none does.
func guessNameProp(props []geo.PropertyInfo) string {
	for _, p := range props {
		if strings.EqualFold(p.Name, "name") {
			return p.Name
		}
	}
	for _, p := range props {
		if strings.Contains(strings.ToLower(p.Name), "name") && p.Count > 0 {
			return p.Name
		}
	}
	return ""
}

// codeColumnOptions lists the weights columns that can hold the code: every
// column, preceded by "STATE+COUNTY" when the table has both (the Census
// county files, whose FIPS is split in two).
func codeColumnOptions(header []string) []string {
	var out []string
	if hasColumn(header, "STATE") && hasColumn(header, "COUNTY") {
		out = append(out, "STATE+COUNTY")
	}
	return append(out, header...)
}

// hasColumn reports whether header has the column name, ignoring case.
func hasColumn(header []string, name string) bool {
	for _, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return true
		}
	}
	return false
}

// guessCodeColumn returns the weights column most likely to hold the unit
// code: STATE+COUNTY when the table has both, else a column named fips,
// geoid, code, id or iso*, else one whose name contains fips or code, else
// the first column.
func guessCodeColumn(header []string) string {
	opts := codeColumnOptions(header)
	if len(opts) == 0 {
		return ""
	}
	if opts[0] == "STATE+COUNTY" {
		return opts[0]
	}
	for _, want := range []string{"fips", "geoid", "code", "id"} {
		for _, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), want) {
				return h
			}
		}
	}
	for _, h := range header {
		l := strings.ToLower(h)
		if strings.HasPrefix(l, "iso") || strings.Contains(l, "fips") || strings.Contains(l, "code") {
			return h
		}
	}
	return header[0]
}

// guessValueColumn returns the weights column most likely to hold the
// population: the last POPESTIMATE* column (the Census files' latest year),
// else the first whose name contains "population" or starts with "pop",
// else the first column other than code.
func guessValueColumn(header []string, code string) string {
	last := ""
	for _, h := range header {
		if strings.HasPrefix(strings.ToLower(h), "popestimate") {
			last = h
		}
	}
	if last != "" {
		return last
	}
	for _, h := range header {
		l := strings.ToLower(strings.TrimSpace(h))
		if strings.Contains(l, "population") || strings.HasPrefix(l, "pop") {
			return h
		}
	}
	for _, h := range header {
		if h != code {
			return h
		}
	}
	return ""
}

// buildNewPlanUnits reads the geography (unless in.cached is it), makes the
// units and joins the weights. It runs off the UI thread; problems with the
// user's files are in the result's err (a *planner.Error), cancellation is
// ctx's error.
func buildNewPlanUnits(ctx context.Context, in newPlanInput, progress func(float64)) (res newPlanResult) {
	key := in.key()
	g := in.cached
	if g == nil || in.cachedKey != key {
		var err error
		if g, err = readNewPlanGeography(in); err != nil {
			res.err = err
			return res
		}
		res.g, res.key = g, key
		if g.Topo && in.object == "" {
			res.key = "file\x00" + in.path + "\x00" + g.Object
		}
	}
	if err := ctx.Err(); err != nil {
		res.err = err
		return res
	}
	progress(0.4)
	res.idProp, res.nameProp = in.idProp, in.nameProp
	source := g.Source
	if in.layer != nil {
		res.idProp, res.nameProp = in.layer.IDProp, in.layer.NameProp
	} else {
		if res.idProp == "" {
			res.idProp = guessIDProp(g.Properties)
		}
		if !in.nameSet {
			res.nameProp = guessNameProp(g.Properties)
		}
	}
	units, rep, err := planner.UnitsFromFeatures(g.Features, res.idProp, res.nameProp, planner.UnitOptions{Source: source})
	res.rep = rep
	if err != nil {
		res.err = err
		return res
	}
	if err := ctx.Err(); err != nil {
		res.err = err
		return res
	}
	progress(0.8)
	if in.weightsPath != "" {
		r, err := csvfile.Open(in.weightsPath)
		if err != nil {
			res.err = err
			return res
		}
		defer r.Close()
		header := r.Header()
		res.weightsHeader, res.codeCol, res.valueCol = header, in.codeCol, in.valueCol
		if res.codeCol == "" {
			res.codeCol = guessCodeColumn(header)
		}
		if res.valueCol == "" {
			res.valueCol = guessValueColumn(header, res.codeCol)
		}
		_, jr, err := planner.JoinWeights(units, r, res.codeCol, res.valueCol, planner.JoinOptions{SetPopulation: true})
		if err != nil {
			res.err = err
			return res
		}
		res.join = &jr
	}
	res.units = units
	progress(1)
	return res
}

// readNewPlanGeography opens and decodes the shipped layer or the file of
// in.
func readNewPlanGeography(in newPlanInput) (*planner.GeographyFile, error) {
	var (
		rc     io.ReadCloser
		source string
		object = in.object
		err    error
	)
	if in.layer != nil {
		if rc, err = in.layer.Open(); err != nil {
			return nil, err
		}
		source, object = in.layer.File, in.layer.Object
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			return nil, &planner.Error{Code: planner.EIO, Message: "Could not open " + in.path, Err: err}
		}
		rc, source = f, in.path
	}
	defer rc.Close()
	return planner.ReadGeographyFile(source, rc, object)
}

// newPlanReport is the text of the dialog's report: what was made of the
// layer's features, the first issues, and how the weights matched.
func newPlanReport(rep planner.GeographyReport, join *planner.JoinReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s.\n", rep.String())
	listIssues(&b, len(rep.Issues), func(i int) string { return rep.Issues[i].Message })
	if join != nil {
		fmt.Fprintf(&b, "\nWeights %s: %s; %d units got a population, %d have none; %s matched no unit; %s with problems.\n",
			join.Source, plural(join.Rows, "row", "rows"), join.Matched, len(join.UnitsWithout), plural(len(join.UnmatchedRows), "row", "rows"), plural(len(join.Issues), "row", "rows"))
		if join.Padded > 0 {
			fmt.Fprintf(&b, "%d codes had lost their leading zeros and were padded (e.g. %s).\n", join.Padded, join.PaddedExample)
		}
		listIssues(&b, len(join.UnmatchedRows), func(i int) string { return join.UnmatchedRows[i].Message })
		listIssues(&b, len(join.Issues), func(i int) string { return join.Issues[i].Message })
		if n := len(join.UnitsWithout); n > 0 {
			shown := join.UnitsWithout[:min(n, 20)]
			fmt.Fprintf(&b, "Units without a population: %s", strings.Join(shown, ", "))
			if n > len(shown) {
				fmt.Fprintf(&b, " … and %d more", n-len(shown))
			}
			b.WriteString(".\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// listIssues writes the first reportIssues of n messages, one a line.
func listIssues(b *strings.Builder, n int, msg func(int) string) {
	for i := 0; i < n; i++ {
		if i == reportIssues {
			fmt.Fprintf(b, "  … and %d more\n", n-reportIssues)
			return
		}
		fmt.Fprintf(b, "  • %s\n", msg(i))
	}
}

// newPlanTemplate is the plan the dialog would create now.
func (np *newPlanDialog) newPlanTemplate() (planner.PlanTemplate, error) {
	if !np.ready || len(np.units) == 0 {
		return planner.PlanTemplate{}, planner.Errorf(planner.EINVALID, "Choose a geography for the plan's units first")
	}
	t := planner.PlanTemplate{
		Name:  np.name.Text,
		Units: append([]planner.GeographyUnit(nil), np.units...),
	}
	if l := np.in.layer; l != nil {
		t.UnitLevel, t.ParentLevel, t.Attribution = l.UnitLevel, l.ParentLevel, l.Attribution
	} else {
		t.Attribution = "Geography: " + filepath.Base(np.in.path)
	}
	if np.join != nil {
		t.Attribution += "\nPopulation: " + filepath.Base(np.in.weightsPath)
	}
	return t, nil
}

// askCreate checks the plan, asks where to save it, and creates it.
func (np *newPlanDialog) askCreate() {
	t, err := np.newPlanTemplate()
	if err == nil {
		_, err = planner.NewPlan(t)
	}
	if err != nil {
		np.m.showError(err)
		return
	}
	name := strings.TrimSpace(t.Name)
	np.m.chooseSavePath("Create plan", "Create", name+PlanExtension, PlanExtension, np.m.saveFolder(), np.create)
}

// create writes the new plan to path atomically in a background task, then
// closes the dialog and opens the plan.
func (np *newPlanDialog) create(path string) {
	t, err := np.newPlanTemplate()
	if err != nil {
		np.m.showError(err)
		return
	}
	np.m.runTask("Creating "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		p, err := planner.NewPlan(t)
		if err != nil {
			return err
		}
		return sqlite.CreatePlanFile(ctx, path, p)
	}, func() {
		np.dlg.Hide()
		np.m.open(path)
	})
}
