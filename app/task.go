package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// task is long work that runs off the UI thread, shown in a dialog with a
// progress bar and a Cancel button. The work function receives a context
// that Cancel cancels and a progress callback (fraction in [0, 1]) that is
// safe to call from any goroutine; the UI is touched only inside fyne.Do.
type task struct {
	dialog dialog.Dialog
	bar    *widget.ProgressBar

	mu       sync.Mutex
	lastShow float64
}

// runTask starts work in a goroutine. When it ends, the dialog closes and,
// on the UI thread, onDone runs on success, an error dialog shows the error's
// user-facing message on failure, and nothing happens when cancelled.
func (m *Meridian) runTask(title string, work func(ctx context.Context, progress func(float64)) error, onDone func()) {
	m.mu.Lock()
	busy := len(m.running) > 0
	m.mu.Unlock()
	if busy || m.quitting.Load() {
		// One at a time: a second New from sample or Open while one runs
		// would race it (a shortcut still reaches the window under the
		// progress dialog).
		m.setStatus("Busy: wait for the current task to finish, or cancel it.")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &task{bar: widget.NewProgressBar()}
	cancelButton := widget.NewButton("Cancel", func() { cancel() })
	content := container.NewVBox(widget.NewLabel(title), t.bar, container.NewCenter(cancelButton))
	t.dialog = dialog.NewCustomWithoutButtons("Working", content, m.win)
	t.dialog.Resize(fyne.NewSize(420, t.dialog.MinSize().Height))
	t.dialog.Show()
	m.tasks.Add(1)
	m.mu.Lock()
	m.running[t] = cancel
	m.mu.Unlock()
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
		m.tasks.Done()
		fyne.Do(func() {
			m.mu.Lock()
			delete(m.running, t)
			m.mu.Unlock()
			if m.quitting.Load() {
				return // the window is gone; Shutdown closes what the task opened
			}
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

// quitWait bounds how long Shutdown waits for cancelled tasks to stop.
const quitWait = 15 * time.Second

// Quit ends the application (File > Quit, closing the window). Call it on
// the UI thread; the caller of fyne.App.Run then calls Shutdown.
func (m *Meridian) Quit() {
	m.cancelTasks()
	m.app.Quit()
}

// cancelTasks marks the application as quitting and cancels every running
// task.
func (m *Meridian) cancelTasks() {
	m.quitting.Store(true)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, cancel := range m.running {
		cancel()
	}
}

// Shutdown must be called after fyne.App.Run returns, however the
// application was asked to stop (File > Quit, closing the window, or SIGTERM
// and Ctrl+C, which Fyne turns into a quit). It cancels running tasks, waits
// for them to stop (at most quitWait), and closes every plan file it has
// open, folding each write-ahead log back into its one .meridian file.
func (m *Meridian) Shutdown() {
	m.cancelTasks()
	done := make(chan struct{})
	go func() { m.tasks.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(quitWait):
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for db := range m.pending {
		db.Close()
	}
	m.pending = nil
	if m.session != nil {
		m.session.close()
	}
}

// adopt records a plan file that a task opened and the UI has not shown yet,
// so that Shutdown closes it if the application stops first. It is safe to
// call from any goroutine.
func (m *Meridian) adopt(db *sqlite.DB) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		m.pending = map[*sqlite.DB]bool{}
	}
	m.pending[db] = true
}

// release forgets a plan file recorded by adopt, once the UI owns it.
func (m *Meridian) release(db *sqlite.DB) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.pending, db)
}

// goBackground runs f in a new goroutine, or on the calling goroutine when
// m.syncDerive is set (tests: the test driver runs fyne.Do inline, so a
// goroutine's UI update would race the test's own widget calls). m may be
// nil: then f runs in a goroutine.
func (m *Meridian) goBackground(f func()) {
	if m != nil && m.syncDerive {
		f()
		return
	}
	go f()
}
