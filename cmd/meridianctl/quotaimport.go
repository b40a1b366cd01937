package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
	"github.com/meridianplan/meridian/planner/xlsx"
)

// QuotaImportOut is what meridianctl quota import --json prints: the
// change report of a workbook's quotas against the plan's.
type QuotaImportOut struct {
	Plan     string                `json:"plan"`
	Scenario string                `json:"scenario"`
	File     string                `json:"file"`
	Changes  []QuotaChangeOut      `json:"changes"`
	Total    float64               `json:"total_change"` // sum of the differences, in the plan's currency
	Written  bool                  `json:"written"`      // true with --write
	Settings planner.QuotaSettings `json:"-"`
}

// QuotaChangeOut is one territory's line of the change report; old and new
// are null when the territory had or gets no quota.
type QuotaChangeOut struct {
	Territory string   `json:"territory"`
	Old       *float64 `json:"old"`
	New       *float64 `json:"new"`
	Diff      float64  `json:"diff"`
}

// cmdQuotaImport reads the annual quotas of a workbook that meridianctl
// export (or File > Export to Excel…) wrote and finance edited
// (xlsx.ReadQuotas), compares them with the scenario's
// (planner.CompareQuotas) and prints the change report; with write it
// stores the new quotas as set by hand (sqlite.SetQuotasEdit, one
// transaction, other quotas and the settings unchanged), as the app's File
// > Import quotas from Excel… does.
func cmdQuotaImport(ctx context.Context, path, scenario, file string, write, asJSON bool, stdout io.Writer) error {
	db, p, s, err := openPlan(ctx, path, scenario, write)
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	if p.Quota == nil {
		return fmt.Errorf("%s has no quota settings: allocate quotas with meridianctl quota --write, export the plan, and import the workbook finance edited", path)
	}
	entries, err := xlsx.ReadQuotas(file)
	if err != nil {
		return err
	}
	changes, err := planner.CompareQuotas(s, entries, filepath.Base(file))
	if err != nil {
		return err
	}
	out := QuotaImportOut{Plan: p.Name, Scenario: s.Name, File: file, Changes: []QuotaChangeOut{}, Settings: *p.Quota}
	for _, c := range changes {
		line := QuotaChangeOut{Territory: c.Territory, Diff: c.Diff}
		if c.Old.Known {
			v := c.Old.Value
			line.Old = &v
		}
		if c.New.Known {
			v := c.New.Value
			line.New = &v
		}
		out.Changes = append(out.Changes, line)
		out.Total += c.Diff
	}
	if write && len(changes) > 0 {
		quotas := map[int64]float64{}
		overridden := map[int64]bool{}
		for _, t := range s.Territories {
			if t.Quota.Known {
				quotas[t.ID] = t.Quota.Value
				overridden[t.ID] = t.QuotaOverride
			}
		}
		for _, c := range changes {
			delete(quotas, c.TerritoryID)
			delete(overridden, c.TerritoryID)
			if c.New.Known {
				quotas[c.TerritoryID], overridden[c.TerritoryID] = c.New.Value, true
			}
		}
		if err := db.Apply(ctx, sqlite.SetQuotasEdit(s.ID, p.Quota, quotas, overridden)); err != nil {
			return err
		}
		if err := db.Close(); err != nil {
			return err
		}
		out.Written = true
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	cur := p.Quota.Currency
	money := func(v *float64) string {
		if v == nil {
			return "no quota"
		}
		return planner.FormatMoney(*v, cur)
	}
	if len(changes) == 0 {
		fmt.Fprintf(stdout, "%s: no quota differs from %s (scenario %q)\n", file, path, s.Name)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Territory\tOld\tNew\tDifference\t\n")
	for _, c := range out.Changes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", c.Territory, money(c.Old), money(c.New), signedMoney(c.Diff, cur))
	}
	fmt.Fprintf(tw, "Total\t\t\t%s\t\n", signedMoney(out.Total, cur))
	tw.Flush()
	verb := "would change; add --write to apply them (as quotas set by hand)"
	if out.Written {
		verb = "changed; written as quotas set by hand"
	}
	fmt.Fprintf(stdout, "%d %s %s\n", len(changes), plural(len(changes), "quota", "quotas"), verb)
	return nil
}

// signedMoney writes v with its sign: "+$50,000", "−$1,000".
func signedMoney(v float64, currency string) string {
	switch {
	case v > 0:
		return "+" + planner.FormatMoney(v, currency)
	case v < 0:
		return "−" + planner.FormatMoney(-v, currency)
	}
	return planner.FormatMoney(0, currency)
}
