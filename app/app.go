// Package app is Meridian's desktop GUI (Fyne): the main window with the map
// of territories, the territory table, and the File and Help menus. It wires
// the domain (planner), its adapters (planner/sqlite, planner/xlsx,
// planner/sample) and the map widget (app/mapview), which knows geometry but
// not the domain. Long work runs in goroutines with a progress dialog; the UI
// is touched only on the UI thread or inside fyne.Do.
package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/meridianplan/meridian/app/mapview"
	"github.com/meridianplan/meridian/assets"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// ID is the application ID, the same as in FyneApp.toml; pass it to
// fyne's app.NewWithID so that preferences and storage work under `go run`.
const ID = "io.github.meridianplan.meridian"

// PlanExtension is the file extension of plan files.
const PlanExtension = ".meridian"

// Version is Meridian's version, as in FyneApp.toml.
const Version = "0.1.0"

// noPlanText is shown over the empty map when no plan is open.
const noPlanText = "No plan is open.\nUse File > New plan… to start one on a geography (US counties, world countries, your own GeoJSON),\nFile > New from sample, or File > Open… to open a .meridian plan."

// Meridian is the application's main window and the plan open in it.
type Meridian struct {
	app fyne.App
	win fyne.Window

	session *session // nil until a plan is open

	mapView     *mapview.Map
	placeholder *widget.Label // over the map while no plan is open
	menu        *fyne.MainMenu
	needsPlan   []*fyne.MenuItem // menu items enabled only with a plan open
	table       *territoryTable
	summary     *widget.Label
	status      *widget.Label
	ed          *editor // the map toolbar and editing state
	legend      *legend // over the map: what its colours mean
	undoItem    *fyne.MenuItem
	redoItem    *fyne.MenuItem
	// territoryTabs are the Territories tab's own tabs: Metrics,
	// Hierarchy, Coverage (see showTab).
	territoryTabs *container.AppTabs
	tabs          *container.AppTabs // beside the map: Territories, Balance
	bv            *balanceView       // the Balance tab
	av            *accountsView      // the Accounts tab
	rv            *repsView          // the Reps tab
	cv            *capacityView      // the Capacity tab
	qv            *quotaView         // the Quotas tab
	hv            *hierarchyView     // the Hierarchy tab (hierarchy.go)
	covv          *coverageView      // the Coverage tab (coverage.go)
	sv            *segmentsView      // the Segments tab and the segment filter
	// The Scenario menu: its fixed items, then one per scenario.
	scenarioMenu                     *fyne.Menu
	copyItem, renameItem, deleteItem *fyne.MenuItem
	// lastReport is the change report shown last (tests read it).
	lastReport *changeReport
	tasks      sync.WaitGroup // counts tasks and background derives whose work has not returned
	quitting   atomic.Bool    // set once the application is stopping

	mu      sync.Mutex                   // guards running, pending and session
	running map[*task]context.CancelFunc // tasks in progress
	pending map[*sqlite.DB]bool          // plan files opened by tasks, not shown yet

	// taskEnded, when set, is called on the UI thread after a task's result
	// was shown (tests wait on it).
	taskEnded func(err error)
	// derivedHook, when set, is called on the UI thread after metrics,
	// outlines and labels were derived again after an edit (tests wait on it).
	derivedHook func()

	deriveGen uint64 // bumped by every rederive request (UI thread)
	deriving  bool   // a derive runs in the background (UI thread)
	// syncDerive runs derives on the calling goroutine (tests: the test
	// driver runs fyne.Do inline on the background goroutine, which would
	// race the test's own widget calls).
	syncDerive   bool
	presentation *presentation // the presentation window, nil when closed

	// UntitledDir is where plans that the user has not saved anywhere yet
	// live (every edit is written at once, so they are never lost).
	UntitledDir string
	// ImportOnStart, when set before the first plan is shown, opens the
	// import wizard on that accounts file (CSV or XLSX) once it is
	// (meridian --import).
	ImportOnStart string
	// Now gives the time for untitled plan names; tests replace it.
	Now func() time.Time
}

// New creates the main window of a (Fyne) application a. Call Start, then
// a.Run or w.ShowAndRun.
func New(a fyne.App) *Meridian {
	m := &Meridian{app: a, Now: time.Now, running: map[*task]context.CancelFunc{}}
	m.UntitledDir = filepath.Join(a.Storage().RootURI().Path(), "Untitled plans")
	m.win = a.NewWindow("Meridian")
	m.win.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	m.mapView = mapview.New()
	styleMap(m.mapView)
	m.ed = m.newEditor()
	m.legend = newLegend(12, false)
	m.legend.box.Hide()
	m.wireMap()
	m.menu = m.mainMenu()
	m.win.SetMainMenu(m.menu)
	m.win.Resize(fyne.NewSize(1440, 900))
	m.win.SetMaster()
	m.win.SetCloseIntercept(m.Quit)

	m.table = newTerritoryTable()
	m.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(m.table.rows) {
			m.setActive(m.table.rows[id.Row].Territory.ID)
		}
	}
	m.summary = widget.NewLabel("")
	m.summary.Wrapping = fyne.TextWrapWord
	m.status = widget.NewLabel("")
	m.status.Truncation = fyne.TextTruncateEllipsis

	m.placeholder = widget.NewLabel(noPlanText)
	m.placeholder.Alignment = fyne.TextAlignCenter
	m.placeholder.Importance = widget.LowImportance

	m.bv = m.newBalanceView()
	m.av = m.newAccountsView()
	m.sv = m.newSegmentsView()
	m.rv = m.newRepsView()
	m.cv = m.newCapacityView()
	m.qv = m.newQuotaView()
	m.hv = m.newHierarchyView()
	m.covv = m.newCoverageView()
	// Territories holds three views of them in tabs of its own, so that
	// the tab bar beside the map keeps room for all its tabs.
	m.territoryTabs = container.NewAppTabs(
		container.NewTabItem("Metrics", container.NewBorder(m.territoryOpsBar(), m.summary, nil, nil, m.table)),
		container.NewTabItem("Hierarchy", m.hv.content),
		container.NewTabItem("Coverage", m.covv.content))
	m.tabs = container.NewAppTabs(
		container.NewTabItem("Territories", m.territoryTabs),
		container.NewTabItem("Balance", m.bv.content),
		container.NewTabItem("Accounts", m.av.content),
		container.NewTabItem("Segments", m.sv.content),
		container.NewTabItem("Reps", m.rv.content),
		container.NewTabItem("Capacity", m.cv.content),
		container.NewTabItem("Quotas", m.qv.content))
	side := m.sidePane()
	mapPane := container.NewBorder(m.toolbarRow(), nil, nil, nil,
		container.NewStack(m.mapWithLegend(), container.NewCenter(m.placeholder)))
	split := container.NewHSplit(mapPane, side)
	split.Offset = 0.55
	m.win.SetContent(container.NewBorder(nil, m.status, nil, nil, split))
	// Undo and redo reach the window even while the map has the focus.
	c := m.win.Canvas()
	mod := fyne.KeyModifierShortcutDefault
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod}, func(fyne.Shortcut) { m.undo() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod | fyne.KeyModifierShift}, func(fyne.Shortcut) { m.redo() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyY, Modifier: mod}, func(fyne.Shortcut) { m.redo() })
	// Fyne's desktop driver turns Ctrl+Z and Ctrl+Y (Cmd on macOS) into its
	// own undo and redo shortcuts before custom ones are matched.
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { m.undo() })
	c.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { m.redo() })
	return m
}

// Window returns the main window.
func (m *Meridian) Window() fyne.Window { return m.win }

// Start opens the plan file at path in the background, or, when path is "",
// builds a new plan from the embedded sample.
func (m *Meridian) Start(path string) {
	if path == "" {
		m.newFromSample()
		return
	}
	m.open(path)
}

func (m *Meridian) mainMenu() *fyne.MainMenu {
	mod := fyne.KeyModifierShortcutDefault
	newPlan := fyne.NewMenuItem("New plan…", m.showNewPlan)
	newPlan.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: mod}
	newItem := fyne.NewMenuItem("New from sample", m.newFromSample)
	openItem := fyne.NewMenuItem("Open…", m.showOpen)
	openItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: mod}
	saveAs := fyne.NewMenuItem("Save As…", m.showSaveAs)
	saveAs.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: mod | fyne.KeyModifierShift}
	importAccounts := fyne.NewMenuItem("Import accounts…", m.showImportAccounts)
	importAccounts.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: mod}
	importRoster := fyne.NewMenuItem("Import rep roster…", m.showImportRoster)
	importQuotas := fyne.NewMenuItem("Import quotas from Excel…", m.showImportQuotas)
	export := fyne.NewMenuItem("Export to Excel…", m.showExport)
	export.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: mod}
	picture := fyne.NewMenuItem("Export map picture (PNG)…", m.showExportPicture)
	quit := fyne.NewMenuItem("Quit", m.Quit)
	quit.IsQuit = true
	quit.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: mod}
	m.undoItem = fyne.NewMenuItem("Undo", m.undo)
	m.undoItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod}
	m.redoItem = fyne.NewMenuItem("Redo", m.redo)
	m.redoItem.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod | fyne.KeyModifierShift}
	m.undoItem.Disabled, m.redoItem.Disabled = true, true
	fit := fyne.NewMenuItem("Fit all", func() { m.mapView.FitAll() })
	zoomT := fyne.NewMenuItem("Zoom to territory", m.zoomToActive)
	present := fyne.NewMenuItem("Presentation view", m.present)
	present.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: mod | fyne.KeyModifierShift}
	legend := fyne.NewMenuItem("Show legend", nil)
	legend.Checked = true
	legend.Action = func() {
		legend.Checked = !legend.Checked
		if legend.Checked && m.session != nil {
			m.legend.box.Show()
		} else {
			m.legend.box.Hide()
		}
		m.menu.Refresh()
	}
	m.copyItem = fyne.NewMenuItem("New copy of this scenario…", m.askNewScenario)
	m.renameItem = fyne.NewMenuItem("Rename…", m.askRenameScenario)
	m.deleteItem = fyne.NewMenuItem("Delete…", m.askDeleteScenario)
	showBalance := fyne.NewMenuItem("Show balance", m.showBalance)
	optimize := fyne.NewMenuItem("Optimize…", m.showOptimize)
	repair := fyne.NewMenuItem("Repair contiguity", m.repairContiguity)
	m.needsPlan = []*fyne.MenuItem{saveAs, importAccounts, importRoster, importQuotas, export, picture, fit, zoomT, present,
		m.copyItem, m.renameItem, m.deleteItem, showBalance, optimize, repair}
	for _, item := range m.needsPlan {
		item.Disabled = true
	}
	file := fyne.NewMenu("File", newPlan, newItem, openItem, saveAs, fyne.NewMenuItemSeparator(), importAccounts, importRoster, importQuotas, export, picture, fyne.NewMenuItemSeparator(), quit)
	edit := fyne.NewMenu("Edit", m.undoItem, m.redoItem)
	view := fyne.NewMenu("View", fit, zoomT, fyne.NewMenuItemSeparator(), legend, present)
	m.scenarioMenu = fyne.NewMenu("Scenario", m.scenarioMenuItems()...)
	bal := fyne.NewMenu("Balance", showBalance, fyne.NewMenuItemSeparator(), optimize, repair)
	help := fyne.NewMenu("Help", fyne.NewMenuItem("About Meridian", m.showAbout))
	return fyne.NewMainMenu(file, edit, view, m.scenarioMenu, bal, help)
}

// setStatus writes a line in the status bar. Call on the UI thread.
func (m *Meridian) setStatus(s string) { m.status.SetText(s) }

// newFromSample builds the sample plan into a new file in UntitledDir and
// opens it.
func (m *Meridian) newFromSample() {
	var s *session
	m.runTask("Building the US Hospitals sample plan…", func(ctx context.Context, progress func(float64)) error {
		var err error
		s, err = m.buildSample(ctx, progress)
		return err
	}, func() { m.show(s) })
}

// buildSample builds the sample into a new untitled plan file and returns it
// open. It runs off the UI thread.
func (m *Meridian) buildSample(ctx context.Context, progress func(float64)) (_ *session, err error) {
	p, err := sample.Build(ctx, func(f float64) { progress(0.6 * f) })
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(m.UntitledDir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", m.UntitledDir, err)
	}
	path := uniquePath(filepath.Join(m.UntitledDir, p.Name+" "+m.Now().Format("2006-01-02 1504")), PlanExtension)
	db, err := sqlite.Open(path)
	if err != nil {
		return nil, err
	}
	m.adopt(db)
	defer func() {
		if err != nil { // cancelled or failed: the sample can be built again, so keep nothing
			m.release(db)
			db.Close()
			os.Remove(path)
		}
	}()
	if err := db.Replace(ctx, p); err != nil {
		return nil, err
	}
	progress(0.8)
	s, err := newSession(ctx, db, p)
	if err != nil {
		return nil, err
	}
	s.untitled = true
	if s.pristine, err = db.Modified(ctx); err != nil {
		return nil, err
	}
	progress(1)
	return s, nil
}

// uniquePath returns base+ext, or base+" (2)"+ext and so on, whichever does
// not exist yet.
func uniquePath(base, ext string) string {
	p := base + ext
	for n := 2; ; n++ {
		if _, err := os.Stat(p); os.IsNotExist(err) {
			return p
		}
		p = fmt.Sprintf("%s (%d)%s", base, n, ext)
	}
}

// open opens the plan file at path in the background; on failure the plan
// already open stays open.
func (m *Meridian) open(path string) {
	var s *session
	m.runTask("Opening "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		var err error
		s, err = openSession(ctx, path, progress)
		if err == nil {
			m.adopt(s.db)
		}
		return err
	}, func() {
		s.untitled = strings.HasPrefix(s.db.Path, m.UntitledDir+string(filepath.Separator))
		m.show(s)
	})
}

// show makes s the open plan: window title, map, table and summary. It
// closes the plan that was open. Call on the UI thread.
func (m *Meridian) show(s *session) {
	if old := m.session; old != nil && old.db != s.db {
		old.close()
	}
	if m.presentation != nil {
		m.presentation.win.Close()
	}
	if s.writer == nil {
		s.writer = newWriter(s.db, func(err error) { m.writeFailed(s, err) })
	}
	m.release(s.db)
	m.mu.Lock()
	m.session = s
	m.mu.Unlock()
	m.placeholder.Hide()
	for _, item := range m.needsPlan {
		item.Disabled = false
	}
	m.menu.Refresh()
	m.win.SetTitle("Meridian — " + s.plan.Name)
	if path := m.ImportOnStart; path != "" {
		m.ImportOnStart = ""
		defer m.showImportAccountsFile(path)
	}
	m.mapView.Tooltip = s.tooltip
	m.mapView.StopEditing()
	m.mapView.SetHighlight(nil, selectionColor)
	m.ed.selection, m.ed.stroke = nil, nil
	m.ed.selBar.Hide()
	m.mapView.SetLayers(s.layers)
	m.mapView.FitAll()
	m.table.set(s.metrics, s.plan.PotentialName)
	m.av.setOwners(s.plan, s.scenario, s.derived.accountOwner)
	m.rv.set(s)
	m.cv.set(s)
	m.qv.set(s)
	m.hv.set(s)
	m.covv.set(s)
	m.summary.SetText(segmentSummary(s.plan, s.metrics, summaryText(s.plan, s.metrics)))
	m.sv.set(s)
	m.sv.applyPoints(s, s.derived.seg)
	m.bv.set(s.plan, s.balance)
	if !s.balanceQ.same(m.bv.query()) {
		m.rederive() // the Balance view shows other quantities or targets
	}
	if s.territory(m.ed.activeID) == nil {
		m.ed.activeID = 0
		if len(s.scenario.Territories) > 0 {
			m.ed.activeID = s.scenario.Territories[0].ID
		}
	}
	m.refreshToolbar()
	m.legend.box.Show()
	m.applyFills()
	where := "Plan file: " + s.db.Path
	if s.untitled {
		where = "Untitled plan (File > Save As… keeps it where you choose): " + s.db.Path
	}
	m.setStatus(where)
}

func (m *Meridian) showOpen() {
	m.pickFile([]string{PlanExtension}, m.open)
}

func (m *Meridian) showSaveAs() {
	if m.session == nil {
		return
	}
	m.chooseSavePath("Save plan as", "Save", m.session.plan.Name+PlanExtension, PlanExtension, m.saveFolder(), m.saveAs)
}

// saveAs writes a consistent copy of the open plan to path atomically and
// continues work in the copy. An untitled plan's old file is removed.
func (m *Meridian) saveAs(path string) {
	s := m.session
	if s == nil {
		return
	}
	if abs, err := filepath.Abs(path); err == nil && abs == s.db.Path {
		m.setStatus("The plan is already saved in " + path + ".")
		return
	}
	var db *sqlite.DB
	m.runTask("Saving "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		s.writer.flush() // every edit so far goes into the copy
		if err := s.db.SaveAs(ctx, path); err != nil {
			return err
		}
		progress(0.5)
		var err error
		db, err = sqlite.OpenExisting(path)
		if err == nil {
			m.adopt(db)
		}
		return err
	}, func() {
		s.writer.stop()
		s.db.Close()
		if s.untitled {
			os.Remove(s.db.Path) // saved elsewhere now
		}
		moved := *s
		moved.db, moved.untitled, moved.pristine, moved.writer = db, false, time.Time{}, nil
		m.show(&moved)
	})
}

func (m *Meridian) showExport() {
	if m.session == nil {
		return
	}
	m.chooseSavePath("Export to Excel", "Export", m.session.plan.Name+".xlsx", ".xlsx", m.saveFolder(), m.export)
}

// export writes the open plan's active scenario as an Excel workbook.
func (m *Meridian) export(path string) {
	s := m.session
	if s == nil {
		return
	}
	p := s.snapshotPlan() // edits may go on while the workbook is written
	m.runTask("Exporting "+filepath.Base(path)+"…", func(ctx context.Context, progress func(float64)) error {
		return xlsx.WriteFile(path, p, s.scenario.ID)
	}, func() {
		m.setStatus(fmt.Sprintf("Exported %s: %d territories, %s accounts.", path, len(s.scenario.Territories), formatCount(float64(len(s.plan.Accounts)))))
	})
}

func (m *Meridian) showAbout() {
	text := "Meridian " + Version + " — sales territory and quota planning, offline.\n\nData sources and licences:\n" + assets.AllAttribution()
	if m.session != nil && m.session.plan.Attribution != "" && m.session.plan.Attribution != assets.Attribution {
		text += "\n\nThis plan's data:\n" + m.session.plan.Attribution
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About Meridian", "Close", container.NewVScroll(l), m.win)
	d.Resize(fyne.NewSize(640, 380))
	d.Show()
}
