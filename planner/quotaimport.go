package planner

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// QuotaEntry is one territory's annual quota as a file gives it (for
// example the Territories sheet of a workbook that finance edited): what
// the file says, before it is checked against a scenario.
type QuotaEntry struct {
	// Row is the entry's row in the file (1 = the first line or row), used
	// in messages.
	Row int
	// TerritoryID is the territory's ID when the file has one (Meridian's
	// workbook keeps it in a hidden column), 0 when not.
	TerritoryID int64
	// Territory is the territory's name as the file writes it.
	Territory string
	// Quota is the annual quota in the plan's currency
	// (QuotaSettings.Currency); Unknown when the cell is empty.
	Quota Measure
	// Column names the quota's column for messages, e.g. "H" or "Annual
	// quota"; "" gives "the quota column".
	Column string
}

// QuotaChange is one territory whose quota a file changes: the change
// report shown before an import of quotas is applied.
type QuotaChange struct {
	TerritoryID int64
	Territory   string // the scenario's name of the territory
	// Old is the scenario's quota, New the file's (Unknown for no quota);
	// both in the plan's currency.
	Old, New Measure
	// Diff is New − Old in currency, rounded to cents, an unknown quota
	// counting as 0 (setting a quota of 1,000 where there was none gives
	// +1,000).
	Diff float64
}

// quotaChangeTolerance is the smallest change of a quota that counts, in
// currency: half a cent.
const quotaChangeTolerance = 0.005

// CompareQuotas checks the quotas a file gives (entries, read from file,
// whose name is used in messages) against scenario s and returns the
// territories whose quota changes by more than half a cent, or from
// unknown to known or back, in s.Territories order. Entries are matched to
// territories by TerritoryID when it is not 0, else by name, ignoring case
// and white space ("new  england" matches "New England").
//
// Errors (*Error, EINVALID), naming file, row and column: an entry whose
// territory is not in the scenario (an ID or a name), a territory listed
// twice, a negative, non-finite or too large (MaxAmount) quota, or an
// empty quota cell for a territory that has a quota (finance clearing a
// cell by mistake would otherwise delete the quota; type 0 for none). The
// first error in file order is returned and no changes. Territories of
// the scenario the file does not list at all (a deleted row) are an error
// too, after those, naming them: a quota plan comes back whole.
func CompareQuotas(s *Scenario, entries []QuotaEntry, file string) ([]QuotaChange, error) {
	if s == nil {
		return nil, Errorf(EINVALID, "%s: there is no scenario to compare the quotas with", file)
	}
	byID := make(map[int64]int, len(s.Territories))
	byName := make(map[string]int, len(s.Territories))
	for i, t := range s.Territories {
		byID[t.ID] = i
		byName[nameKey(t.Name)] = i
	}
	seen := make(map[int]int, len(entries)) // territory index -> entry row
	next := make([]*QuotaEntry, len(s.Territories))
	for k := range entries {
		e := &entries[k]
		col := e.Column
		if col == "" {
			col = "the quota column"
		} else {
			col = "column " + col
		}
		i, ok := -1, false
		if e.TerritoryID != 0 {
			if i, ok = byID[e.TerritoryID]; !ok {
				return nil, Errorf(EINVALID, "%s, row %d: territory %q (ID %d) is not in scenario %q", file, e.Row, e.Territory, e.TerritoryID, s.Name)
			}
		} else if i, ok = byName[nameKey(e.Territory)]; !ok {
			return nil, Errorf(EINVALID, "%s, row %d: there is no territory named %q in scenario %q", file, e.Row, e.Territory, s.Name)
		}
		if row, dup := seen[i]; dup {
			return nil, Errorf(EINVALID, "%s, row %d: territory %q is listed twice (rows %d and %d); keep one row per territory", file, e.Row, s.Territories[i].Name, row, e.Row)
		}
		seen[i] = e.Row
		if e.Quota.Known {
			v := e.Quota.Value
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, Errorf(EINVALID, "%s, row %d, %s: the quota of %q is not a number", file, e.Row, col, s.Territories[i].Name)
			case v < 0:
				return nil, Errorf(EINVALID, "%s, row %d, %s: the quota of %q is %g; a quota must be zero or more", file, e.Row, col, s.Territories[i].Name, v)
			case v > MaxAmount:
				return nil, Errorf(EINVALID, "%s, row %d, %s: the quota of %q is %g, more than Meridian handles (%g): check the number of zeros", file, e.Row, col, s.Territories[i].Name, v, MaxAmount)
			}
		}
		if !e.Quota.Known && s.Territories[i].Quota.Known {
			return nil, Errorf(EINVALID, "%s, row %d, %s: the quota of %q is empty; type its quota (0 for none)", file, e.Row, col, s.Territories[i].Name)
		}
		next[i] = e
	}
	var missing []string
	for i, t := range s.Territories {
		if next[i] == nil {
			missing = append(missing, fmt.Sprintf("%q", t.Name))
		}
	}
	if len(missing) > 0 {
		return nil, Errorf(EINVALID, "%s has no row for %s of scenario %q: put the %s back (a quota plan comes back whole; nothing was changed)",
			file, strings.Join(missing, ", "), s.Name, plural(len(missing), "row", "rows"))
	}
	var out []QuotaChange
	for i, t := range s.Territories {
		e := next[i]
		if e == nil {
			continue
		}
		old, nw := t.Quota, e.Quota
		diff := math.Round((knownOr0(nw)-knownOr0(old))*100) / 100
		if old.Known == nw.Known && math.Abs(knownOr0(nw)-knownOr0(old)) <= quotaChangeTolerance {
			continue
		}
		if diff == 0 {
			diff = 0 // no -0
		}
		out = append(out, QuotaChange{TerritoryID: t.ID, Territory: t.Name, Old: old, New: nw, Diff: diff})
	}
	return out, nil
}

// knownOr0 is m's value, or 0 when unknown.
func knownOr0(m Measure) float64 {
	if !m.Known {
		return 0
	}
	return m.Value
}

// nameKey folds a territory name for matching: lower case, with every run
// of white space removed.
func nameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
