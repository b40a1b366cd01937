package planner_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainImportsNoAdapters proves that package planner (the domain)
// depends on no GUI toolkit, SQL driver or spreadsheet library: those belong
// in adapter subpackages.
func TestDomainImportsNoAdapters(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/meridianplan/meridian/planner").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed too little: %q", out)
	}
	for _, d := range deps {
		for _, banned := range []string{"fyne.io/", "modernc.org/", "database/sql", "github.com/xuri/", "github.com/go-gl/", "mattn/go-sqlite3"} {
			if strings.Contains(d, banned) {
				t.Errorf("planner depends on %s", d)
			}
		}
	}
}
