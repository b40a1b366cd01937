package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/meridianplan/meridian/planner"
)

// textListLimit is how many entries of each list "coverage" prints as
// text; the JSON holds them all.
const textListLimit = 20

// CoverageOut is the JSON shape of "meridianctl coverage --json": the
// scenario's planner.CoverageReport with snake_case names, every list
// complete. Potential is in the plan's potential unit (potential_name),
// population in people, locations in WGS84 degrees [longitude, latitude].
type CoverageOut struct {
	Plan          string `json:"plan"`
	Scenario      string `json:"scenario"`
	PotentialName string `json:"potential_name"`
	Summary       string `json:"summary"` // planner.CoverageReport.Summary
	// WhiteSpace sums the unassigned units and every account no territory
	// owns (as report's "unassigned"); PotentialShare is its fraction of
	// the plan's potential (0 to 1).
	WhiteSpace CoverageTotalsOut `json:"white_space"`
	Total      CoverageTotalsOut `json:"total"`

	UnassignedUnits         []CoverageUnitOut      `json:"unassigned_units"`
	WhiteSpaceAccounts      []CoverageAccountOut   `json:"white_space_accounts"`      // in unassigned units, no territory
	AccountsWithoutLocation []CoverageAccountOut   `json:"accounts_without_location"` // in no unit: no location
	AccountsOutsideUnits    []CoverageAccountOut   `json:"accounts_outside_units"`    // in no unit: located outside every unit
	TerritoriesWithoutRep   []CoverageTerritoryOut `json:"territories_without_rep"`
	MultiClaimed            []MultiClaimOut        `json:"multi_claimed"`
	NamedAccounts           []NamedAccountOut      `json:"named_accounts"`
	Overlays                []OverlayOut           `json:"overlays"`
}

// CoverageTotalsOut sums units and accounts.
type CoverageTotalsOut struct {
	Units          int     `json:"units"`
	Accounts       int     `json:"accounts"`
	Population     float64 `json:"population"`
	Potential      float64 `json:"potential"`
	PotentialShare float64 `json:"potential_share,omitempty"`
}

// CoverageUnitOut is an unassigned unit: its white-space accounts and
// their potential, and the accounts in it that a named override or drawn
// boundary covers anyway.
type CoverageUnitOut struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Parent     string   `json:"parent"`
	Population *float64 `json:"population"` // null when unknown
	Accounts   int      `json:"accounts"`
	Potential  float64  `json:"potential"`
	Covered    int      `json:"covered"`
}

// CoverageAccountOut is an account of a coverage list.
type CoverageAccountOut struct {
	ID         int64       `json:"id"`
	ExternalID string      `json:"external_id"`
	Name       string      `json:"name"`
	City       string      `json:"city"`
	State      string      `json:"state"`
	Location   *[2]float64 `json:"location"`  // [lon, lat]; null when none
	Unit       string      `json:"unit"`      // "" when in no unit
	Potential  *float64    `json:"potential"` // null when unknown
	Territory  string      `json:"territory"` // the owner's name; "" for white space
}

// CoverageTerritoryOut is a territory with no named rep; gap is "no rep"
// or "vacancies only".
type CoverageTerritoryOut struct {
	Name      string  `json:"name"`
	Gap       string  `json:"gap"`
	Vacancies int     `json:"vacancies"`
	Units     int     `json:"units"`
	Accounts  int     `json:"accounts"`
	Potential float64 `json:"potential"`
}

// MultiClaimOut is an account several territories claim: claims in
// order of precedence, and the winner (named: by a named override).
type MultiClaimOut struct {
	Account CoverageAccountOut `json:"account"`
	Claims  []string           `json:"claims"`
	Winner  string             `json:"winner"`
	Named   bool               `json:"named"`
}

// NamedAccountOut is a named-account override: the owner, and the
// territory its geography gives it ("" for white space).
type NamedAccountOut struct {
	Account    CoverageAccountOut `json:"account"`
	Owner      string             `json:"owner"`
	Geographic string             `json:"geographic"`
}

// OverlayOut is an overlay team's coverage of its segment.
type OverlayOut struct {
	Segment       string   `json:"segment"`
	Team          string   `json:"team"`
	Reps          []string `json:"reps"`
	Members       int      `json:"members"`
	Potential     float64  `json:"potential"`
	WithoutGeoRep int      `json:"members_without_territory_rep"`
	Error         string   `json:"error,omitempty"`
}

// newCoverageOut converts a coverage report; lists are [] when empty.
func newCoverageOut(p *planner.Plan, s *planner.Scenario, r *planner.CoverageReport) CoverageOut {
	name := func(id int64) string {
		if t := s.Territory(id); t != nil {
			return t.Name
		}
		return ""
	}
	acc := func(a planner.CoverageAccount) CoverageAccountOut {
		o := CoverageAccountOut{ID: a.ID, ExternalID: a.ExternalID, Name: a.Name, City: a.City, State: a.State, Unit: a.UnitCode, Territory: name(a.Territory)}
		if a.HasLocation {
			o.Location = &[2]float64{a.Location[0], a.Location[1]}
		}
		if a.Potential.Known {
			v := a.Potential.Value
			o.Potential = &v
		}
		return o
	}
	accs := func(list []planner.CoverageAccount) []CoverageAccountOut {
		out := make([]CoverageAccountOut, len(list))
		for i, a := range list {
			out[i] = acc(a)
		}
		return out
	}
	out := CoverageOut{Plan: p.Name, Scenario: s.Name, PotentialName: p.PotentialName, Summary: r.Summary(p.PotentialName),
		WhiteSpace: CoverageTotalsOut{Units: r.WhiteSpace.Units, Accounts: r.WhiteSpace.Accounts, Population: r.WhiteSpace.Population,
			Potential: r.WhiteSpace.Potential, PotentialShare: r.WhiteSpacePotentialShare()},
		Total:                   CoverageTotalsOut{Units: r.Total.Units, Accounts: r.Total.Accounts, Population: r.Total.Population, Potential: r.Total.Potential},
		UnassignedUnits:         make([]CoverageUnitOut, len(r.UnassignedUnits)),
		WhiteSpaceAccounts:      accs(r.WhiteSpaceAccounts),
		AccountsWithoutLocation: accs(r.AccountsWithoutLocation),
		AccountsOutsideUnits:    accs(r.AccountsOutsideUnits),
		TerritoriesWithoutRep:   make([]CoverageTerritoryOut, len(r.TerritoriesWithoutRep)),
		MultiClaimed:            make([]MultiClaimOut, len(r.MultiClaimed)),
		NamedAccounts:           make([]NamedAccountOut, len(r.NamedAccounts)),
		Overlays:                make([]OverlayOut, len(r.Overlays)),
	}
	for i, u := range r.UnassignedUnits {
		o := CoverageUnitOut{Code: u.Code, Name: u.Name, Parent: u.ParentName, Accounts: u.Accounts, Potential: u.Potential, Covered: u.Covered}
		if u.Population.Known {
			v := u.Population.Value
			o.Population = &v
		}
		out.UnassignedUnits[i] = o
	}
	for i, t := range r.TerritoriesWithoutRep {
		out.TerritoriesWithoutRep[i] = CoverageTerritoryOut{Name: t.Name, Gap: t.Gap.String(), Vacancies: t.Vacancies, Units: t.Units, Accounts: t.Accounts, Potential: t.Potential}
	}
	for i, c := range r.MultiClaimed {
		out.MultiClaimed[i] = MultiClaimOut{Account: acc(c.Account), Claims: append([]string{}, c.ClaimNames...), Winner: c.WinnerName, Named: c.Named}
	}
	for i, n := range r.NamedAccounts {
		out.NamedAccounts[i] = NamedAccountOut{Account: acc(n.Account), Owner: n.OwnerName, Geographic: n.GeographicName}
	}
	for i, o := range r.Overlays {
		out.Overlays[i] = OverlayOut{Segment: o.SegmentName, Team: o.Team, Reps: append([]string{}, o.RepNames...), Members: o.Members,
			Potential: o.Potential, WithoutGeoRep: o.WithoutGeoRep, Error: o.Err}
	}
	return out
}

// cmdCoverage prints the coverage report of the scenario: JSON with every
// entry, or text with the first textListLimit entries of each list.
func cmdCoverage(ctx context.Context, path, scenario string, asJSON bool, stdout io.Writer) error {
	p, s, err := load(ctx, path, scenario)
	if err != nil {
		return err
	}
	r := planner.BuildCoverage(p, s)
	out := newCoverageOut(p, s, &r)
	if asJSON {
		return writeJSON(stdout, out)
	}
	return writeCoverageText(stdout, p, out)
}

// writeList prints a heading with the list's size and its first
// textListLimit lines, then "… and N more".
func writeList(w io.Writer, title string, n int, line func(i int) string) {
	fmt.Fprintf(w, "\n%s: %d\n", title, n)
	for i := 0; i < n && i < textListLimit; i++ {
		fmt.Fprintf(w, "  %s\n", line(i))
	}
	if n > textListLimit {
		fmt.Fprintf(w, "  … and %d more\n", n-textListLimit)
	}
}

// accountText is one account on a line: name, city, state, ID and potential.
func accountText(a CoverageAccountOut, potential string) string {
	var b strings.Builder
	b.WriteString(a.Name)
	if place := strings.Trim(a.City+", "+a.State, ", "); place != "" {
		b.WriteString(" (" + place + ")")
	}
	fmt.Fprintf(&b, " #%d", a.ID)
	if a.Potential != nil {
		fmt.Fprintf(&b, ", %s %.0f", potential, *a.Potential)
	}
	return b.String()
}

func writeCoverageText(w io.Writer, p *planner.Plan, c CoverageOut) error {
	pot := potentialLabel(p)
	fmt.Fprintf(w, "%s — scenario %s\n%s\n", c.Plan, c.Scenario, c.Summary)
	writeList(w, "Unassigned units", len(c.UnassignedUnits), func(i int) string {
		u := c.UnassignedUnits[i]
		return fmt.Sprintf("%s %s, %s: %s, %s %.0f", u.Code, u.Name, u.Parent, accountsText(u.Accounts), pot, u.Potential)
	})
	writeList(w, "Accounts in white space", len(c.WhiteSpaceAccounts), func(i int) string {
		a := c.WhiteSpaceAccounts[i]
		return accountText(a, pot) + " in unit " + a.Unit
	})
	writeList(w, "Accounts in no unit: no location", len(c.AccountsWithoutLocation), func(i int) string {
		return accountText(c.AccountsWithoutLocation[i], pot)
	})
	writeList(w, "Accounts in no unit: outside every unit", len(c.AccountsOutsideUnits), func(i int) string {
		a := c.AccountsOutsideUnits[i]
		if a.Location == nil {
			return accountText(a, pot)
		}
		return fmt.Sprintf("%s at %.4f, %.4f", accountText(a, pot), a.Location[0], a.Location[1])
	})
	writeList(w, "Territories without a rep", len(c.TerritoriesWithoutRep), func(i int) string {
		t := c.TerritoriesWithoutRep[i]
		return fmt.Sprintf("%s: %s, %s, %s %.0f", t.Name, t.Gap, accountsText(t.Accounts), pot, t.Potential)
	})
	writeList(w, "Accounts claimed by more than one territory", len(c.MultiClaimed), func(i int) string {
		m := c.MultiClaimed[i]
		how := "first claim"
		if m.Named {
			how = "named account"
		}
		return fmt.Sprintf("%s: %s; %s wins (%s)", accountText(m.Account, pot), strings.Join(m.Claims, ", "), m.Winner, how)
	})
	writeList(w, "Named accounts", len(c.NamedAccounts), func(i int) string {
		n := c.NamedAccounts[i]
		from := n.Geographic
		if from == "" {
			from = "white space"
		}
		return fmt.Sprintf("%s: %s (geography: %s)", accountText(n.Account, pot), n.Owner, from)
	})
	writeList(w, "Overlay teams", len(c.Overlays), func(i int) string {
		o := c.Overlays[i]
		if o.Error != "" {
			return fmt.Sprintf("%s on %s: %s", o.Team, o.Segment, o.Error)
		}
		return fmt.Sprintf("%s on %s (%s): %d members, %s %.0f; %d in territories without a rep or in white space",
			o.Team, o.Segment, orNobody(o.Reps), o.Members, pot, o.Potential, o.WithoutGeoRep)
	})
	return nil
}

// accountsText returns "1 account" or "n accounts".
func accountsText(n int) string {
	if n == 1 {
		return "1 account"
	}
	return fmt.Sprintf("%d accounts", n)
}
