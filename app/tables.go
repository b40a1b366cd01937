package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnHeader is what a table's header shows above one column: its
// title, fitted with "…" to width (dp; 0 does not fit), trailing-aligned
// for numbers.
type columnHeader struct {
	title    string
	width    float32
	trailing bool
}

// setBoldHeader gives table t the header row of the app's tables: bold
// titles one point smaller than the cells, no header column, the first
// column kept in view while the others scroll. header returns column col's
// header, ok false for a column without one.
func setBoldHeader(t *widget.Table, header func(col int) (h columnHeader, ok bool)) {
	t.ShowHeaderColumn = false
	t.StickyColumnCount = 1
	t.CreateHeader = func() fyne.CanvasObject {
		text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
		text.TextStyle = fyne.TextStyle{Bold: true}
		text.TextSize = theme.TextSize() - 1
		return container.NewPadded(text)
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		text := o.(*fyne.Container).Objects[0].(*canvas.Text)
		text.Color = theme.Color(theme.ColorNameForeground)
		text.Text, text.Alignment = "", fyne.TextAlignLeading
		if h, ok := header(id.Col); ok && id.Col >= 0 {
			text.Text = h.title
			if h.width > 0 {
				text.Text = fitText(h.title, h.width-2*theme.Padding(), text.TextSize, text.TextStyle)
			}
			text.Alignment = alignment(h.trailing)
		}
		text.Refresh()
	}
}

// pickFile shows Fyne's file-open dialog on the folder plans are saved in
// (see saveFolder: the open plan's, else Documents), showing
// files ending in one of exts (".csv", …), and calls open with the chosen
// file's path; a failure to open it is shown, and Cancel does nothing.
func (m *Meridian) pickFile(exts []string, open func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			m.showError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		open(path)
	}, m.win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	if l, err := storage.ListerForURI(storage.NewFileURI(m.saveFolder())); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// newTextCell makes a table cell of the app's tables: a canvas.Text one
// point smaller than the theme's text, padded. canvas.Text rather than a
// Label, because a virtualised table with thousands of rows refreshes
// cells often and a Label costs several objects each.
func newTextCell() fyne.CanvasObject {
	text := canvas.NewText("", theme.Color(theme.ColorNameForeground))
	text.TextSize = theme.TextSize() - 1
	return container.NewPadded(text)
}

// textCell returns the text of a cell made by newTextCell, in the theme's
// foreground colour (cells are reused for other rows).
func textCell(o fyne.CanvasObject) *canvas.Text {
	text := o.(*fyne.Container).Objects[0].(*canvas.Text)
	text.Color = theme.Color(theme.ColorNameForeground)
	return text
}

// askValue asks for one value in a small form dialog titled title: entry
// (with its validator) labelled field, and help below it. Set (or Return)
// calls apply with the entry's text, and an error it returns is shown;
// Cancel does nothing.
func (m *Meridian) askValue(title, field string, entry *widget.Entry, help string, apply func(text string) error) {
	l := widget.NewLabel(help)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm(title, "Set", "Cancel",
		[]*widget.FormItem{widget.NewFormItem(field, entry), widget.NewFormItem("", l)},
		func(ok bool) {
			if ok {
				if err := apply(entry.Text); err != nil {
					m.showError(err)
				}
			}
		}, m.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	m.win.Canvas().Focus(entry)
}
