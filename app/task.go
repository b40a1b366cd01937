package app

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
)

// task is long work that runs off the UI thread, shown in a dialog with a
// progress bar and a Cancel button. The work function receives a context
// that Cancel cancels and a progress callback (fraction in [0, 1]) that is
// safe to call from any goroutine; the UI is touched only inside fyne.Do.
type task struct {
	title  string
	dialog dialog.Dialog
	bar    *widget.ProgressBar
	cancel context.CancelFunc

	mu       sync.Mutex
	lastShow float64
}

// runTask starts work in a goroutine. When it ends, the dialog closes and,
// on the UI thread, onDone runs on success, an error dialog shows the error's
// user-facing message on failure, and nothing happens when cancelled.
func (m *Meridian) runTask(title string, work func(ctx context.Context, progress func(float64)) error, onDone func()) {
	ctx, cancel := context.WithCancel(context.Background())
	t := &task{title: title, bar: widget.NewProgressBar(), cancel: cancel}
	cancelButton := widget.NewButton("Cancel", func() { cancel() })
	content := container.NewVBox(widget.NewLabel(title), t.bar, container.NewCenter(cancelButton))
	t.dialog = dialog.NewCustomWithoutButtons("Working", content, m.win)
	t.dialog.Resize(fyne.NewSize(420, t.dialog.MinSize().Height))
	t.dialog.Show()
	m.busy++
	progress := func(f float64) {
		t.mu.Lock()
		show := f >= 1 || f-t.lastShow >= 0.01
		if show {
			t.lastShow = f
		}
		t.mu.Unlock()
		if show {
			fyne.Do(func() { t.bar.SetValue(f) })
		}
	}
	go func() {
		err := work(ctx, progress)
		cancel()
		fyne.Do(func() {
			m.busy--
			t.dialog.Hide()
			if m.taskEnded != nil {
				defer m.taskEnded(err)
			}
			switch {
			case err == nil:
				if onDone != nil {
					onDone()
				}
			case errors.Is(err, context.Canceled) || planner.ErrorCode(err) == planner.ECANCELED:
				m.setStatus(title + " cancelled.")
			default:
				m.showError(err)
			}
		})
	}()
}

// showError shows err's user-facing message in a dialog. Call it on the UI
// thread.
func (m *Meridian) showError(err error) {
	msg := planner.ErrorMessage(err)
	if code := planner.ErrorCode(err); code == planner.EINTERNAL || code == planner.EIO {
		msg = err.Error() // the system's reason: "permission denied", "no space left on device"
	}
	dialog.ShowError(errors.New(msg), m.win)
}
