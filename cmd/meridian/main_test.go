package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meridianplan/meridian/planner/sqlite"
)

// TestRunsInRealWindow starts the real app under the X display that
// `make test` provides (Xvfb), as `make run` does. It must build the sample
// plan into a new plan file and keep running; SIGTERM (or Ctrl+C) then quits
// it cleanly, leaving one plan file and no write-ahead log — also when the
// signal comes while the sample plan is still being written.
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
	t.Run("quit after start", func(t *testing.T) {
		plan := runAndTerm(t, bin, 2*time.Second)
		if plan == "" {
			t.Fatal("no plan file")
		}
		db, err := sqlite.Open(plan)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		p, err := db.Load(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Units) != 3231 || len(p.Accounts) != 7146 {
			t.Errorf("plan has %d units and %d accounts", len(p.Units), len(p.Accounts))
		}
	})
	t.Run("quit while building", func(t *testing.T) {
		// The plan is either complete or gone: never half-written.
		if plan := runAndTerm(t, bin, 0); plan != "" {
			if _, err := os.Stat(plan); err == nil {
				db, err := sqlite.Open(plan)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Load(t.Context()); err != nil {
					t.Errorf("plan left behind does not load: %v", err)
				}
			}
		}
	})
}

// runAndTerm starts bin with a fresh HOME, waits for the untitled sample plan
// file to appear, waits for wait more, sends SIGTERM and checks that the app
// exits cleanly without leaving -wal or -shm files. It returns the plan file.
func runAndTerm(t *testing.T, bin string, wait time.Duration) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	cmd := exec.Command(bin)
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
		if matches, _ := filepath.Glob(filepath.Join(dir, "US Hospitals sample *.meridian")); len(matches) == 1 {
			plan = matches[0]
		}
	}
	if plan == "" {
		t.Fatalf("no sample plan file appeared within 90 s\n%s", logs.String())
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
