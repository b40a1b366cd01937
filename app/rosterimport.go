package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/geocode"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// rosterImport is one File > Import rep roster… run: the file read (with
// the accounts import's readers, readImportPreview and openImportTable),
// the column mapping dialog, the import in the background, and the report
// of problems and merge counts before anything is applied. Methods run on
// the UI thread unless they say otherwise.
type rosterImport struct {
	m   *Meridian
	s   *session
	src *importSource

	options []string // importNone, then the columns
	selects [planner.NumRosterFields]*widget.Select
	note    *widget.Label
	run     *widget.Button
	dlg     *dialog.CustomDialog

	// After the import (see apply).
	before []planner.Rep // the roster the merge started from
	res    *planner.RosterResult
	merged *planner.Plan
	merge  planner.RosterMerge
	report *dialog.CustomDialog
	okBtn  *widget.Button
	// summary is the report's first line (tests read it).
	summary string
}

// showImportRoster asks for a roster file (CSV or XLSX) and imports its reps.
func (m *Meridian) showImportRoster() {
	if m.session == nil {
		return
	}
	m.pickFile([]string{".csv", ".txt", ".tsv", ".xlsx", ".xls"}, m.importRosterFile)
}

// importRosterFile reads the header of the roster at path in the
// background, then shows the column mapping dialog.
func (m *Meridian) importRosterFile(path string) {
	s := m.session
	if s == nil {
		return
	}
	var src *importSource
	m.runTask("Reading "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		var err error
		src, err = readImportPreview(path, nil, "")
		return err
	}, func() {
		if m.session != s {
			return
		}
		ri := &rosterImport{m: m, s: s, src: src}
		m.rv.importer = ri
		ri.showMapping()
	})
}

// showMapping shows which column fills each rep field, guessed from the
// header (planner.GuessRosterMapping), for the user to confirm or change.
func (ri *rosterImport) showMapping() {
	ri.options = importColumnOptions(ri.src.header)
	guess := planner.GuessRosterMapping(ri.src.header)
	grid := container.NewGridWithColumns(2)
	for f := planner.RosterField(0); f < planner.NumRosterFields; f++ {
		sel := widget.NewSelect(ri.options, func(string) { ri.checkMapping() })
		sel.SetSelectedIndex(guess[f] + 1)
		ri.selects[f] = sel
		grid.Add(widget.NewLabel(f.String()))
		grid.Add(sel)
	}
	ri.note = widget.NewLabel("")
	ri.note.Wrapping = fyne.TextWrapWord
	head := widget.NewLabel(fmt.Sprintf("%s: %s. Choose the column of each rep field; reps are matched to the roster by email, else by name.",
		ri.src.source, plural(len(ri.src.header), "column", "columns")))
	head.Wrapping = fyne.TextWrapWord
	ri.run = widget.NewButtonWithIcon("Import", theme.ConfirmIcon(), ri.start)
	ri.run.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { ri.dlg.Hide() })
	ri.dlg = dialog.NewCustomWithoutButtons("Import rep roster", container.NewBorder(head, ri.note, nil, nil, container.NewVScroll(grid)), ri.m.win)
	ri.dlg.SetButtons([]fyne.CanvasObject{cancel, ri.run})
	ri.dlg.Resize(fyne.NewSize(640, 620))
	ri.checkMapping()
	ri.dlg.Show()
}

// mapping returns the columns chosen.
func (ri *rosterImport) mapping() planner.RosterMapping {
	m := planner.NoRosterMapping()
	for f, sel := range ri.selects {
		if sel != nil {
			m[f] = sel.SelectedIndex() - 1
		}
	}
	return m
}

// checkMapping enables Import when the mapping can be used, else says why.
func (ri *rosterImport) checkMapping() {
	if ri.run == nil || ri.note == nil {
		return
	}
	if err := ri.mapping().Check(len(ri.src.header)); err != nil {
		ri.note.SetText("✗ " + planner.ErrorMessage(err))
		ri.note.Importance = widget.DangerImportance
		ri.run.Disable()
	} else {
		ri.note.SetText("Home postal codes are located offline in " + ri.country() + ".")
		ri.note.Importance = widget.LowImportance
		ri.run.Enable()
	}
	ri.note.Refresh()
}

// country is the plan's default country for geocoding, "US" when unset.
func (ri *rosterImport) country() string {
	if c := ri.s.plan.DefaultCountry(); c != "" {
		return c
	}
	return "US"
}

// start imports the whole file in the background with the chosen mapping
// and merges it into a copy of the roster; the report follows.
func (ri *rosterImport) start() {
	m, s := ri.m, ri.s
	if m.session != s {
		return
	}
	mapping := ri.mapping()
	if err := mapping.Check(len(ri.src.header)); err != nil {
		ri.checkMapping()
		return
	}
	ri.dlg.Hide()
	snap := *s.plan // the roster slice is never written in place
	ri.before = slices.Clone(s.plan.Reps)
	country := s.plan.DefaultCountry()
	src := ri.src
	m.runTask("Importing the roster "+filepath.Base(src.path)+"…", func(ctx context.Context, progress func(float64)) error {
		var gc planner.Geocoder
		if mapping[planner.RosterHomeZIP] >= 0 || mapping[planner.RosterHomeCity] >= 0 {
			g, err := geocode.New(country)
			if err != nil {
				return err
			}
			gc = g
		}
		progress(0.2)
		tr, err := openImportTable(src)
		if err != nil {
			return err
		}
		defer tr.Close()
		res, err := planner.ImportRoster(ctx, tr, planner.RosterOptions{Mapping: mapping, Geocoder: gc})
		if err != nil {
			return err
		}
		progress(0.8)
		merged, mr, err := snap.WithRoster(res)
		if err != nil {
			return err
		}
		ri.res, ri.merged, ri.merge = res, merged, mr
		progress(1)
		return nil
	}, ri.showReport)
}

// showReport lists what the import read, the problems (row, column,
// reason) and what applying it changes, with Apply and Cancel.
func (ri *rosterImport) showReport() {
	res, mr := ri.res, ri.merge
	ri.summary = fmt.Sprintf("%s: %s read, %s; roster: %d added, %d updated, %d unchanged, %d not in the file (kept).",
		res.Source, plural(res.Rows, "row", "rows"), plural(len(res.Reps), "rep", "reps"), mr.Added, mr.Updated, mr.Unchanged, mr.Kept)
	lines := []string{ri.summary}
	if res.Skipped > 0 {
		lines = append(lines, plural(res.Skipped, "row was", "rows were")+" skipped (see the problems).")
	}
	if unused := ri.mapping().Unused(ri.src.header); len(unused) > 0 {
		lines = append(lines, "Columns not used: "+strings.Join(unused, ", ")+" (a roster keeps no other fields; import again and map one if it was meant).")
	}
	if res.HomeByPoint+res.HomeByZIP+res.HomeByCity > 0 {
		lines = append(lines, fmt.Sprintf("Home bases: %d from coordinates, %d from postal codes, %d from cities.", res.HomeByPoint, res.HomeByZIP, res.HomeByCity))
	}
	head := widget.NewLabel(strings.Join(lines, "\n"))
	head.Wrapping = fyne.TextWrapWord
	problems := widget.NewList(
		func() int { return len(res.Problems) },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			p := res.Problems[i]
			col := ""
			if p.Column != "" {
				col = ", column " + p.Column
			}
			o.(*widget.Label).SetText(fmt.Sprintf("%s: row %d%s: %s", p.Severity, p.Row, col, p.Reason))
		})
	probHead := widget.NewLabel("No problems.")
	if n := len(res.Problems); n > 0 {
		probHead.SetText(plural(n, "problem", "problems") + ":")
	}
	ri.okBtn = widget.NewButtonWithIcon("Apply", theme.ConfirmIcon(), ri.apply)
	ri.okBtn.Importance = widget.HighImportance
	if mr.Added+mr.Updated == 0 {
		ri.okBtn.Disable()
	}
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { ri.report.Hide() })
	ri.report = dialog.NewCustomWithoutButtons("Roster import", container.NewBorder(container.NewVBox(head, probHead), nil, nil, nil, problems), ri.m.win)
	ri.report.SetButtons([]fyne.CanvasObject{cancel, ri.okBtn})
	ri.report.Resize(fyne.NewSize(760, 520))
	ri.report.Show()
}

// apply stores the merged roster as one undoable change: a PutRepEdit per
// added or updated rep, in one transaction; undo deletes the added reps
// and puts the updated ones back as they were. It refuses (with a message)
// when the roster changed since the import started.
func (ri *rosterImport) apply() {
	m, s := ri.m, ri.s
	if ri.report != nil {
		ri.report.Hide()
	}
	if m.session != s || ri.merged == nil {
		return
	}
	if !slices.Equal(s.plan.Reps, ri.before) {
		m.showError(planner.Errorf(planner.ECONFLICT, "The roster changed while the file was imported; import it again"))
		return
	}
	m.commit(rosterChange(ri.before, ri.merged.Reps, filepath.Base(ri.src.path)), false)
}

// rosterChange replaces roster before with after (the same reps, by ID,
// plus new ones), writing only the reps added or changed.
func rosterChange(before, after []planner.Rep, file string) *change {
	before, after = slices.Clone(before), slices.Clone(after)
	old := map[int64]planner.Rep{}
	for _, r := range before {
		old[r.ID] = r
	}
	var write, revert []sqlite.Edit
	for _, r := range after {
		o, ok := old[r.ID]
		switch {
		case !ok:
			write = append(write, sqlite.PutRepEdit(r))
			revert = append(revert, sqlite.DeleteRepEdit(r.ID))
		case o != r:
			write = append(write, sqlite.PutRepEdit(r))
			revert = append(revert, sqlite.PutRepEdit(o))
		}
	}
	return &change{
		label:  "Import roster " + file,
		do:     func(s *session) { s.plan.Reps = slices.Clone(after) },
		undo:   func(s *session) { s.plan.Reps = slices.Clone(before) },
		write:  write,
		revert: revert,
	}
}
