package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/meridianplan/meridian/planner"
	"github.com/meridianplan/meridian/planner/sqlite"
)

// refusedError marks a command line whose input was refused before
// anything was written (a segment rule that does not parse or names a
// field the plan lacks): meridianctl prints its message and exits with
// status 2.
type refusedError struct{ err error }

func (e refusedError) Error() string { return e.err.Error() }
func (e refusedError) Unwrap() error { return e.err }

// exitRefused is the exit status of a refusedError.
const exitRefused = 2

// segmentArgs are the flags of "segment" and "report --segment" (--name
// and --rule are shared with other commands and copied in by dispatch).
type segmentArgs struct {
	plan, scenario string
	name           string   // --name: the segment to add, replace or delete
	rules          []string // --rule, as given (the last counts)
	tiers          string   // --tiers "A=20,B=30,C=50"; "" removes the tiers
	tierMetric     string   // --tier-metric
	by             string   // --by threshold|quantile
	overlayTeam    string   // --overlay-team; "" removes it
	overlayReps    string   // --overlay-reps "Ann Lee,bob@example.com"; "" removes them
	delete         bool     // --delete
	segment        string   // --segment (report)
	asJSON         bool
	given          map[string]bool // flags given on the command line
}

// register adds the segment flags to fs.
func (sa *segmentArgs) register(fs *flag.FlagSet) {
	fs.StringVar(&sa.tiers, "tiers", "", `tiers, top first: NAME=VALUE,... (shares in percent by quantile, lower thresholds by threshold); "" removes them (segment)`)
	fs.StringVar(&sa.tierMetric, "tier-metric", "", "what tiers rank members by: Potential (the plan's potential) or a numeric custom field (segment; default potential)")
	fs.StringVar(&sa.by, "by", "", "how tier values are read: quantile (default) or threshold (segment)")
	fs.StringVar(&sa.overlayTeam, "overlay-team", "", `overlay team that covers the segment; "" for none (segment)`)
	fs.StringVar(&sa.overlayReps, "overlay-reps", "", `the overlay team's reps, by name or email, separated by commas; "" for none (segment)`)
	fs.BoolVar(&sa.delete, "delete", false, "delete the segment named by --name (segment)")
	fs.StringVar(&sa.segment, "segment", "", "report one segment's accounts and potential per territory, by name (report)")
}

// SegmentOut is the JSON shape of "meridianctl segment --json" with
// --name: the segment as stored and its members now. Potential is in the
// plan's potential unit (potential_name).
type SegmentOut struct {
	Plan          string           `json:"plan"`
	PotentialName string           `json:"potential_name"`
	Action        string           `json:"action"`             // added, replaced, deleted, or list (without --name)
	Segment       *SegmentSummary  `json:"segment,omitempty"`  // with --name
	Segments      []SegmentSummary `json:"segments,omitempty"` // the list (without --name)
	// RenamedFrom is the segment's name before a change that spelled it
	// differently (--name matches ignoring case); "" when unchanged.
	RenamedFrom string `json:"renamed_from,omitempty"`
	// Warnings say what looks wrong, though legal, in the segment's rule
	// (planner.Plan.RuleWarnings), e.g. Beds compared with a word.
	Warnings []string `json:"warnings,omitempty"`
}

// SegmentSummary is one segment with its members on the plan.
type SegmentSummary struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	Rule        string        `json:"rule"` // "" selects every account
	OverlayTeam string        `json:"overlay_team"`
	OverlayReps []string      `json:"overlay_reps"` // the team's reps' names
	TierMetric  string        `json:"tier_metric,omitempty"`
	TierBy      string        `json:"tier_by,omitempty"` // quantile or threshold; "" untiered
	Tiers       []TierSummary `json:"tiers"`             // [] untiered
	Members     int           `json:"members"`
	Potential   float64       `json:"potential"` // known potential of the members
	// Error is why the segment cannot be evaluated on the plan (its rule
	// names a field the plan no longer has, say); "" when it can.
	Error string `json:"error,omitempty"`
}

// TierSummary is one tier of SegmentSummary: its value (a share in
// percent, or a lower threshold in the metric's unit) and its size.
type TierSummary struct {
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Members int     `json:"members"`
}

// segmentSummary evaluates g on p.
func segmentSummary(p *planner.Plan, g *planner.Segment) SegmentSummary {
	out := SegmentSummary{ID: g.ID, Name: g.Name, Rule: g.Rule, OverlayTeam: g.OverlayTeam, OverlayReps: []string{}, Tiers: []TierSummary{}}
	for _, id := range g.OverlayReps {
		if r := p.Rep(id); r != nil {
			out.OverlayReps = append(out.OverlayReps, r.Name)
		}
	}
	if g.Tiers != nil {
		out.TierMetric, out.TierBy = g.Tiers.Metric, "threshold"
		if g.Tiers.ByQuantile {
			out.TierBy = "quantile"
		}
	}
	mem, err := p.SegmentMembers(g)
	if err != nil {
		out.Error = planner.ErrorMessage(err)
	}
	out.Members = mem.Members
	for i, in := range mem.In {
		if in && p.Accounts[i].Potential.Known {
			out.Potential += p.Accounts[i].Potential.Value
		}
	}
	if g.Tiers != nil {
		for k, t := range g.Tiers.Tiers {
			ts := TierSummary{Name: t.Name, Value: t.Value}
			if k < len(mem.TierSizes) {
				ts.Members = mem.TierSizes[k]
			}
			out.Tiers = append(out.Tiers, ts)
		}
	}
	return out
}

// parseTiers reads --tiers "A=20,B=30,C=50" into tiers, top first.
func parseTiers(v string) ([]planner.Tier, error) {
	var out []planner.Tier
	for _, part := range strings.Split(v, ",") {
		name, val, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--tiers %q: give NAME=VALUE pairs separated by commas, e.g. A=20,B=30,C=50", v)
		}
		x, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(val), "%"), 64)
		if err != nil {
			return nil, fmt.Errorf("--tiers: tier %s has %q; give a number", name, strings.TrimSpace(val))
		}
		out = append(out, planner.Tier{Name: name, Value: x})
	}
	return out, nil
}

// buildSegment applies the segment flags to g (a copy of the stored
// segment, or a new one) and checks the result against p: the rule must
// parse and name only fields p has, the tiers must be well formed. A bad
// rule is a refusedError.
func buildSegment(p *planner.Plan, g planner.Segment, isNew bool, sa segmentArgs) (planner.Segment, error) {
	if len(sa.rules) > 0 {
		g.Rule = strings.TrimSpace(sa.rules[len(sa.rules)-1])
	} else if isNew {
		return g, fmt.Errorf(`segment %q is new: give its --rule (--rule "" selects every account)`, sa.name)
	}
	if sa.given["overlay-team"] {
		g.OverlayTeam = strings.TrimSpace(sa.overlayTeam)
	}
	if sa.given["overlay-reps"] {
		g.OverlayReps = nil
		for _, who := range strings.Split(sa.overlayReps, ",") {
			if strings.TrimSpace(who) == "" {
				continue
			}
			r, err := findRep(p, strings.TrimSpace(who))
			if err != nil {
				return g, refusedError{fmt.Errorf("--overlay-reps: %s", strings.TrimPrefix(err.Error(), "--reps: "))}
			}
			if !slices.Contains(g.OverlayReps, r.ID) {
				g.OverlayReps = append(g.OverlayReps, r.ID)
			}
		}
		if len(g.OverlayReps) > 0 && g.OverlayTeam == "" {
			return g, refusedError{fmt.Errorf("--overlay-reps: name the team too, with --overlay-team")}
		}
	}
	if sa.given["tiers"] {
		if strings.TrimSpace(sa.tiers) == "" {
			g.Tiers = nil
		} else {
			tiers, err := parseTiers(sa.tiers)
			if err != nil {
				return g, refusedError{err}
			}
			t := &planner.Tiering{ByQuantile: true, Tiers: tiers}
			if g.Tiers != nil {
				t.Metric, t.ByQuantile = g.Tiers.Metric, g.Tiers.ByQuantile
			}
			g.Tiers = t
		}
	}
	if (sa.given["tier-metric"] || sa.given["by"]) && g.Tiers == nil {
		return g, refusedError{fmt.Errorf("--tier-metric and --by need tiers: give --tiers too")}
	}
	if g.Tiers != nil {
		if sa.given["tier-metric"] {
			g.Tiers.Metric = strings.TrimSpace(sa.tierMetric)
		}
		if g.Tiers.Metric == "" {
			g.Tiers.Metric = "Potential"
			if p.PotentialName != "" {
				g.Tiers.Metric = p.PotentialName
			}
		}
		if sa.given["by"] {
			switch strings.ToLower(strings.TrimSpace(sa.by)) {
			case "quantile":
				g.Tiers.ByQuantile = true
			case "threshold":
				g.Tiers.ByQuantile = false
			default:
				return g, refusedError{fmt.Errorf("--by %q: give quantile or threshold", sa.by)}
			}
		}
		if err := planner.CheckTiering(g.Tiers); err != nil {
			return g, refusedError{fmt.Errorf("segment %q: %s", g.Name, planner.ErrorMessage(err))}
		}
	}
	rule, err := planner.ParseRule(g.Rule)
	if err != nil {
		return g, refusedError{err}
	}
	if _, err := p.MatchRule(rule); err != nil {
		return g, refusedError{planner.Errorf(planner.EINVALID, "Segment %q: %s", g.Name, planner.ErrorMessage(err))} // a field p lacks
	}
	if _, err := p.SegmentMembers(&g); err != nil {
		return g, refusedError{err} // the tiering's metric
	}
	return g, nil
}

// cmdSegment lists the plan's segments (no --name), or adds, replaces or
// deletes the segment named sa.name (case-insensitive) and prints its
// members. Nothing is written when the rule or tiers are refused.
func cmdSegment(ctx context.Context, sa segmentArgs, stdout io.Writer) error {
	if sa.given["name"] && strings.TrimSpace(sa.name) == "" {
		return refusedError{fmt.Errorf("--name is empty: give the segment's name")}
	}
	if sa.name == "" {
		if sa.delete || len(sa.rules) > 0 || sa.given["tiers"] || sa.given["overlay-team"] || sa.given["overlay-reps"] {
			return fmt.Errorf("segment needs --name N to add, change or delete a segment")
		}
		p, _, err := load(ctx, sa.plan, "")
		if err != nil {
			return err
		}
		out := SegmentOut{Plan: p.Name, PotentialName: p.PotentialName, Action: "list", Segments: []SegmentSummary{}}
		for i := range p.Segments {
			out.Segments = append(out.Segments, segmentSummary(p, &p.Segments[i]))
		}
		if sa.asJSON {
			return writeJSON(stdout, out)
		}
		return writeSegmentList(stdout, p, out.Segments)
	}
	db, p, _, err := openPlan(ctx, sa.plan, "", true)
	if err != nil {
		return err
	}
	defer db.Close()
	segments := slices.Clone(p.Segments)
	at := slices.IndexFunc(segments, func(g planner.Segment) bool { return planner.SameScenarioName(g.Name, sa.name) })
	out := SegmentOut{Plan: p.Name, PotentialName: p.PotentialName}
	if sa.delete {
		if len(sa.rules) > 0 || sa.given["tiers"] || sa.given["overlay-team"] || sa.given["overlay-reps"] {
			return refusedError{fmt.Errorf("--delete takes only --name: drop the other segment flags")}
		}
		if at < 0 {
			return planner.Errorf(planner.ENOTFOUND, "The plan has no segment %q (it has: %s)", sa.name, segmentNames(p))
		}
		gs := segmentSummary(p, &segments[at])
		out.Action, out.Segment = "deleted", &gs
		segments = slices.Delete(segments, at, at+1)
	} else {
		var g planner.Segment
		if at >= 0 {
			g = segments[at]
			if g.Tiers != nil {
				t := *g.Tiers
				t.Tiers = slices.Clone(t.Tiers)
				g.Tiers = &t
			}
			out.Action = "replaced"
			if old := g.Name; old != strings.TrimSpace(sa.name) {
				out.RenamedFrom = old // names match ignoring case
			}
			g.Name = strings.TrimSpace(sa.name) // the case as typed now
		} else {
			g = planner.Segment{ID: 1, Name: strings.TrimSpace(sa.name)}
			for _, h := range segments {
				g.ID = max(g.ID, h.ID+1)
			}
			out.Action = "added"
		}
		if g, err = buildSegment(p, g, at < 0, sa); err != nil {
			return err
		}
		if at >= 0 {
			segments[at] = g
		} else {
			segments = append(segments, g)
		}
		gs := segmentSummary(p, &g)
		out.Segment = &gs
		if r, err := planner.ParseRule(g.Rule); err == nil {
			out.Warnings = p.RuleWarnings(r)
		}
	}
	if err := db.Apply(ctx, sqlite.SetSegmentsEdit(segments)); err != nil {
		return err
	}
	if sa.asJSON {
		return writeJSON(stdout, out)
	}
	return writeSegmentText(stdout, p, out)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// segmentNames lists p's segment names for an error message.
func segmentNames(p *planner.Plan) string {
	if len(p.Segments) == 0 {
		return "none"
	}
	names := make([]string, len(p.Segments))
	for i, g := range p.Segments {
		names[i] = g.Name
	}
	return listSome(names, 12)
}

// potentialLabel is the plan's potential name, or "Potential".
func potentialLabel(p *planner.Plan) string {
	if p.PotentialName == "" {
		return "Potential"
	}
	return p.PotentialName
}

// tierSizes formats a segment's tiers, e.g. "A 1,426 · B 2,139 · C 3,565".
func tierSizes(tiers []TierSummary) string {
	parts := make([]string, len(tiers))
	for i, t := range tiers {
		parts[i] = fmt.Sprintf("%s %d", t.Name, t.Members)
	}
	return strings.Join(parts, ", ")
}

func writeSegmentText(w io.Writer, p *planner.Plan, out SegmentOut) error {
	g := out.Segment
	if g == nil {
		return nil
	}
	for _, warn := range out.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	rule := g.Rule
	if rule == "" {
		rule = "(every account)"
	}
	was := ""
	if out.RenamedFrom != "" {
		was = fmt.Sprintf(" (was %q)", out.RenamedFrom)
	}
	fmt.Fprintf(w, "%s segment %q%s: %s\n", out.Action, g.Name, was, rule)
	if out.Action == "deleted" {
		return nil
	}
	fmt.Fprintf(w, "%d members, %s %.0f\n", g.Members, potentialLabel(p), g.Potential)
	if len(g.Tiers) > 0 {
		fmt.Fprintf(w, "tiers by %s (%s): %s\n", g.TierMetric, g.TierBy, tierSizes(g.Tiers))
	}
	if g.OverlayTeam != "" {
		fmt.Fprintf(w, "overlay team %s: %s\n", g.OverlayTeam, orNobody(g.OverlayReps))
	}
	return nil
}

func orNobody(names []string) string {
	if len(names) == 0 {
		return "nobody yet"
	}
	return strings.Join(names, ", ")
}

func writeSegmentList(w io.Writer, p *planner.Plan, list []SegmentSummary) error {
	if len(list) == 0 {
		fmt.Fprintf(w, "%s has no segments; add one with segment --name N --rule RULE\n", p.Name)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Segment\tMembers\t%s\tTiers\tOverlay team\tRule\n", potentialLabel(p))
	for _, g := range list {
		rule := g.Rule
		if g.Error != "" {
			rule += " (" + g.Error + ")"
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\n", g.Name, g.Members, g.Potential, tierSizes(g.Tiers), g.OverlayTeam, rule)
	}
	return tw.Flush()
}

// SegmentReportOut is the JSON shape of "meridianctl report --segment N
// --json": planner.SegmentReport with snake_case names. Potential is in
// the plan's potential unit (potential_name).
type SegmentReportOut struct {
	Plan          string             `json:"plan"`
	Scenario      string             `json:"scenario"`
	PotentialName string             `json:"potential_name"`
	Segment       string             `json:"segment"`
	Rule          string             `json:"rule"`
	Tiers         []string           `json:"tiers"` // tier names, top first; [] untiered
	TierMetric    string             `json:"tier_metric,omitempty"`
	Members       int                `json:"members"`
	Territories   []SegmentLineOut   `json:"territories"` // scenario order
	Regions       []SegmentLineOut   `json:"regions"`     // each the sum of the territories under it
	WhiteSpace    SegmentLineOut     `json:"white_space"`
	Total         SegmentLineOut     `json:"total"`
	Overlay       *SegmentOverlayOut `json:"overlay"` // null without an overlay team
}

// SegmentLineOut is one line of SegmentReportOut.
type SegmentLineOut struct {
	Name      string         `json:"name"`
	Region    string         `json:"region,omitempty"`
	Rep       string         `json:"rep,omitempty"`
	Accounts  int            `json:"accounts"`
	Potential float64        `json:"potential"`
	Tiers     []TierTotalOut `json:"tiers,omitempty"`   // aligned with SegmentReportOut.Tiers
	NoTier    *TierTotalOut  `json:"no_tier,omitempty"` // members with no tier (metric unknown, below the last threshold or beyond the shares)
}

// TierTotalOut is one tier's accounts and potential on a line.
type TierTotalOut struct {
	Tier      string  `json:"tier"`
	Accounts  int     `json:"accounts"`
	Potential float64 `json:"potential"`
}

// SegmentOverlayOut is the overlay team's view: the whole segment.
type SegmentOverlayOut struct {
	Team        string         `json:"team"`
	Reps        []string       `json:"reps"`
	Accounts    int            `json:"accounts"`
	Potential   float64        `json:"potential"`
	Tiers       []TierTotalOut `json:"tiers,omitempty"`
	Territories int            `json:"territories"` // territories owning at least one member
	WhiteSpace  int            `json:"white_space"` // members no territory owns
}

func segmentLineOut(r *planner.SegmentReport, l planner.SegmentLine) SegmentLineOut {
	out := SegmentLineOut{Name: l.Name, Region: l.Region, Rep: l.Rep, Accounts: l.Accounts, Potential: l.Potential}
	if len(r.Tiers) > 0 {
		out.Tiers = tierTotalsOut(r.Tiers, l.Tiers)
		out.NoTier = &TierTotalOut{Tier: "", Accounts: l.NoTier.Accounts, Potential: l.NoTier.Potential}
	}
	return out
}

func tierTotalsOut(names []string, t []planner.TierTotals) []TierTotalOut {
	out := make([]TierTotalOut, 0, len(t))
	for k, x := range t {
		if k < len(names) {
			out = append(out, TierTotalOut{Tier: names[k], Accounts: x.Accounts, Potential: x.Potential})
		}
	}
	return out
}

func newSegmentReportOut(p *planner.Plan, r planner.SegmentReport) SegmentReportOut {
	out := SegmentReportOut{Plan: p.Name, Scenario: r.ScenarioName, PotentialName: p.PotentialName, Segment: r.SegmentName,
		Rule: r.Rule, Tiers: append([]string{}, r.Tiers...), TierMetric: r.TierMetric, Members: r.Members,
		Territories: []SegmentLineOut{}, Regions: []SegmentLineOut{},
		WhiteSpace: segmentLineOut(&r, r.WhiteSpace), Total: segmentLineOut(&r, r.Total)}
	for _, l := range r.Territories {
		out.Territories = append(out.Territories, segmentLineOut(&r, l))
	}
	for _, l := range r.Regions {
		out.Regions = append(out.Regions, segmentLineOut(&r, l))
	}
	if o := r.Overlay; o != nil {
		out.Overlay = &SegmentOverlayOut{Team: o.Team, Reps: append([]string{}, o.RepNames...), Accounts: o.Accounts,
			Potential: o.Potential, Territories: o.Territories, WhiteSpace: o.WhiteSpace}
		if len(r.Tiers) > 0 {
			out.Overlay.Tiers = tierTotalsOut(r.Tiers, o.Tiers)
		}
	}
	return out
}

// cmdSegmentReport prints segment name's report on the scenario.
func cmdSegmentReport(ctx context.Context, path, scenario, name string, asJSON bool, stdout io.Writer) error {
	p, s, err := load(ctx, path, scenario)
	if err != nil {
		return err
	}
	g := p.SegmentNamed(name)
	if g == nil {
		return planner.Errorf(planner.ENOTFOUND, "%s has no segment %q (it has: %s)", path, name, segmentNames(p))
	}
	r, err := planner.BuildSegmentReport(p, s, g)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(stdout, newSegmentReportOut(p, r))
	}
	return writeSegmentReport(stdout, p, r)
}

// writeSegmentReport prints a segment report as an aligned table: one
// line per territory, region, the white space and the total, with the
// accounts and potential of each tier.
func writeSegmentReport(w io.Writer, p *planner.Plan, r planner.SegmentReport) error {
	rule := r.Rule
	if rule == "" {
		rule = "every account"
	}
	fmt.Fprintf(w, "%s — scenario %s — segment %s (%s): %d members\n\n", p.Name, r.ScenarioName, r.SegmentName, rule, r.Members)
	pot := potentialLabel(p)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// Text columns are padded so that they read left-aligned in a
	// right-aligned table (as report's).
	var nameW, regW, repW int
	for _, l := range slices.Concat(r.Territories, r.Regions, []planner.SegmentLine{r.WhiteSpace, r.Total}) {
		nameW = max(nameW, len([]rune(l.Name)), len("Territory"))
		regW = max(regW, len([]rune(l.Region)), len("(region)"))
		repW = max(repW, len([]rune(l.Rep)), len("Rep"))
	}
	pad := func(s string, w int) string { return s + strings.Repeat(" ", w-len([]rune(s))) }
	head := pad("Territory", nameW) + "\t" + pad("Region", regW) + "\t" + pad("Rep", repW) + "\tAccounts\t" + pot + "\t"
	for _, t := range r.Tiers {
		head += t + "\t" + t + " " + pot + "\t"
	}
	if len(r.Tiers) > 0 {
		head += "No tier\t"
	}
	fmt.Fprintln(tw, head)
	row := func(l planner.SegmentLine, region string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t", pad(l.Name, nameW), pad(region, regW), pad(l.Rep, repW), l.Accounts, l.Potential)
		for _, x := range l.Tiers {
			fmt.Fprintf(tw, "%d\t%.0f\t", x.Accounts, x.Potential)
		}
		if len(r.Tiers) > 0 {
			fmt.Fprintf(tw, "%d\t", l.NoTier.Accounts)
		}
		fmt.Fprintln(tw)
	}
	for _, l := range r.Territories {
		row(l, l.Region)
	}
	for _, l := range r.Regions {
		row(l, "(region)")
	}
	row(r.WhiteSpace, "")
	row(r.Total, "")
	if err := tw.Flush(); err != nil {
		return err
	}
	if o := r.Overlay; o != nil {
		fmt.Fprintf(w, "\nOverlay team %s (%s) covers the whole segment: %d accounts, %s %.0f, in %d territories and %d in white space.\n",
			o.Team, orNobody(o.RepNames), o.Accounts, pot, o.Potential, o.Territories, o.WhiteSpace)
	}
	return nil
}

// isRefused reports whether err is a refusedError.
func isRefused(err error) bool {
	var r refusedError
	return errors.As(err, &r)
}
