// Command meridian is Meridian's desktop app: sales territory and quota
// planning, offline.
//
//	meridian [--import ACCOUNTS.csv|.xlsx] [FILE.meridian]
//
// With a file it opens that plan; without one it builds a new plan from the
// embedded US Hospitals sample. --import opens the import wizard on an
// accounts file once the plan is shown. Build it with the migrated_fynedo
// tag.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"fyne.io/fyne/v2"
	"github.com/meridianplan/meridian/app"
	"github.com/meridianplan/meridian/assets"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: meridian [--import ACCOUNTS.csv|.xlsx] [FILE%s]\n\nWithout a file, Meridian opens a new plan built from the embedded US Hospitals sample.\n--import opens the import wizard on an accounts file once the plan is shown.\n", app.PlanExtension)
	}
	importFile := flag.String("import", "", "open the import wizard on this accounts file")
	flag.Parse()
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	a := fyneapp.NewWithID(app.ID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	m := app.New(a)
	m.ImportOnStart = *importFile
	// Fyne quits on SIGINT and SIGTERM; a closed terminal (SIGHUP) quits
	// the same way, so that the plan file is closed cleanly.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		<-hup
		fyne.Do(m.Quit)
	}()
	m.Window().Show()
	m.Start(flag.Arg(0))
	a.Run()
	m.Shutdown() // close the plan file cleanly, however the app was stopped
}
