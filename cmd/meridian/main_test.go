package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sample"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// TestRunsInRealWindow starts the real app under the X display that
// `make test` provides (Xvfb), as `make run` does: on the sample, and on a
// plan file. SIGTERM (or Ctrl+C) then quits it cleanly, leaving no
// write-ahead log, also when the signal comes while the sample plan is
// still being written.
func TestRunsInRealWindow(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display; make test runs this under Xvfb")
	}
	if testing.Short() {
		t.Skip("builds and runs the app")
	}
	bin := filepath.Join(t.TempDir(), "meridian")
	if out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sample, then quit", func(t *testing.T) {
		// An untitled plan nobody edited is removed on quit: it can be
		// built again exactly.
		plan := runAndTerm(t, bin, "", 2*time.Second)
		if _, err := os.Stat(plan); !os.IsNotExist(err) {
			t.Errorf("the unedited untitled plan %s is still there (err %v)", plan, err)
		}
	})
	t.Run("quit while building", func(t *testing.T) {
		// The plan is either complete or gone: never half-written.
		plan := runAndTerm(t, bin, "", 0)
		if _, err := os.Stat(plan); err == nil {
			mustLoad(t, plan)
		}
	})
	t.Run("open a plan file", func(t *testing.T) {
		plan := filepath.Join(t.TempDir(), "My plan ünïcode.meridian")
		p, err := sample.Build(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlite.Open(plan)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Replace(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		db.Close()
		runAndTerm(t, bin, plan, 2*time.Second)
		if got := mustLoad(t, plan); len(got.Units) != 3231 || len(got.Accounts) != 7146 {
			t.Errorf("plan has %d units and %d accounts", len(got.Units), len(got.Accounts))
		}
	})
}

func mustLoad(t *testing.T, path string) *planner.Plan {
	t.Helper()
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Load(t.Context())
	if err != nil {
		t.Fatalf("%s does not load: %v", path, err)
	}
	return p
}

// runAndTerm starts bin with a fresh HOME, on the plan file arg or (when arg
// is "") on the sample, waits for the plan file to be open (the untitled
// sample plan appears, or the plan's -wal file does), waits for wait more,
// sends SIGTERM and checks that the app exits cleanly without leaving -wal or
// -shm files. It returns the plan file.
func runAndTerm(t *testing.T, bin, arg string, wait time.Duration) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	cmd := exec.Command(bin)
	if arg != "" {
		cmd = exec.Command(bin, arg)
	}
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "LANG=en_US.UTF-8", "LIBGL_ALWAYS_SOFTWARE=1")
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	dir := filepath.Join(home, ".config", "fyne", "io.github.meridianplan.meridian", "Untitled plans")
	var plan string
	for deadline := time.Now().Add(90 * time.Second); plan == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("meridian exited early: %v\n%s", err, logs.String())
		default:
		}
		if arg != "" {
			if _, err := os.Stat(arg + "-wal"); err == nil {
				plan = arg
			}
		} else if matches, _ := filepath.Glob(filepath.Join(dir, "US Hospitals sample *.meridian")); len(matches) == 1 {
			plan = matches[0]
		}
	}
	if plan == "" {
		t.Fatalf("the plan file was not opened within 90 s\n%s", logs.String())
	}
	time.Sleep(wait)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("meridian exited with %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("meridian did not quit on SIGTERM\n%s", logs.String())
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(plan + suffix); !os.IsNotExist(err) {
			t.Errorf("%s%s is left behind (err %v)", plan, suffix, err)
		}
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("the app logged a panic:\n%s", logs.String())
	}
	return plan
}
