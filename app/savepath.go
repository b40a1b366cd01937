package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// chooseSavePath asks for a file name and a folder, confirms before an
// existing file is replaced, and calls onChosen with the full path. Unlike
// Fyne's file save dialog, which creates (and so empties) the chosen file
// before its callback runs, it creates and changes nothing: the caller writes
// the file atomically, so a failed save leaves an existing file as it was.
// ext (".meridian", ".xlsx") is added to a name that lacks it.
func (m *Meridian) chooseSavePath(title, confirm, name, ext, folder string, onChosen func(path string)) {
	nameEntry := widget.NewEntry()
	nameEntry.SetText(name)
	nameEntry.Validator = func(s string) error {
		_, err := savePath(folder, s, ext)
		return err
	}
	folderLabel := widget.NewLabel(folder)
	folderLabel.Truncation = fyne.TextTruncateEllipsis
	browse := widget.NewButton("Choose folder…", func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil {
				m.showError(err)
			} else if l != nil {
				folder = l.Path()
				folderLabel.SetText(folder)
			}
		}, m.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
			fd.SetLocation(l)
		}
		fd.Resize(fyne.NewSize(900, 600))
		fd.Show()
	})
	items := []*widget.FormItem{
		widget.NewFormItem("File name", nameEntry),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, browse, folderLabel)),
	}
	d := dialog.NewForm(title, confirm, "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		path, err := savePath(folder, nameEntry.Text, ext)
		if err != nil {
			m.showError(err)
			return
		}
		fi, err := os.Stat(path)
		switch {
		case err == nil && fi.IsDir():
			m.showError(planner.Errorf(planner.EINVALID, "%s is a folder; choose another name", path))
		case err == nil:
			dialog.ShowConfirm("Replace file?", fmt.Sprintf("%s already exists in\n%s.\nReplace it?", filepath.Base(path), filepath.Dir(path)),
				func(ok bool) {
					if ok {
						onChosen(path)
					}
				}, m.win)
		default:
			onChosen(path)
		}
	}, m.win)
	d.Resize(fyne.NewSize(640, d.MinSize().Height))
	d.Show()
	m.win.Canvas().Focus(nameEntry)
}

// savePath joins folder and a typed file name, adding ext when the name
// lacks it. It returns an EINVALID *planner.Error for an empty name or one
// with a path separator.
func savePath(folder, name, ext string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "" || name == ext:
		return "", planner.Errorf(planner.EINVALID, "Type a file name")
	case strings.ContainsAny(name, `/\`):
		return "", planner.Errorf(planner.EINVALID, "A file name cannot contain / or \\; choose the folder with Choose folder…")
	case strings.HasPrefix(name, "."):
		return "", planner.Errorf(planner.EINVALID, "A file name cannot start with a dot")
	}
	if !strings.EqualFold(filepath.Ext(name), ext) {
		name += ext
	}
	return filepath.Join(folder, name), nil
}

// saveFolder is where save dialogs start: the open plan's folder, or, for an
// untitled plan (kept in Meridian's hidden settings folder), the user's
// Documents folder or home.
func (m *Meridian) saveFolder() string {
	if m.session != nil && !m.session.untitled {
		return filepath.Dir(m.session.db.Path)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	if fi, err := os.Stat(filepath.Join(home, "Documents")); err == nil && fi.IsDir() {
		return filepath.Join(home, "Documents")
	}
	return home
}
