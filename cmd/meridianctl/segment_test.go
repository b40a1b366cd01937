package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meridianplan/meridian/planner"
)

// segmentSamplePlan writes the sample plan into a temporary folder.
func segmentSamplePlan(t *testing.T) string {
	t.Helper()
	plan := filepath.Join(t.TempDir(), "sample.meridian")
	if code, _, errOut := ctl(t, "sample", "--out", plan); code != 0 {
		t.Fatal(errOut)
	}
	return plan
}

// TestSegmentCommand adds a rule segment with tiers to the sample plan
// file and checks its member count against an independent count of the
// hospitals (type and beds read directly) and against planner's; a bad
// rule exits with status 2 and writes nothing; a change keeps what is not
// given; --delete removes it; the list shows every segment.
func TestSegmentCommand(t *testing.T) {
	plan := segmentSamplePlan(t)
	p := loadPlan(t, plan)
	members, beds := 0, 0.0
	for _, a := range p.Accounts {
		if a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 200 {
			members++
			beds += a.Potential.Value
		}
	}

	code, out, errOut := ctl(t, "segment", "--plan", plan, "--name", "Big acute", "--rule", "Beds >= 200 and Type = 'GENERAL ACUTE CARE'",
		"--tiers", "A=20,B=30,C=50", "--json")
	if code != 0 {
		t.Fatalf("segment: %d %s", code, errOut)
	}
	var so SegmentOut
	if err := json.Unmarshal([]byte(out), &so); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if so.Segment == nil {
		t.Fatalf("no segment in %s", out)
	}
	g := *so.Segment
	if so.Action != "added" || g.Name != "Big acute" || g.ID != 3 || g.Members != members || g.Potential != beds || members < 500 ||
		g.TierMetric != "Beds" || g.TierBy != "quantile" || len(g.Tiers) != 3 {
		t.Fatalf("added %+v; want %d members, %v beds", so, members, beds)
	}
	// Cumulative rounding of 20% and 50% of the members (all have beds).
	a, ab := int(float64(members)*0.2+0.5), int(float64(members)*0.5+0.5)
	if g.Tiers[0].Members != a || g.Tiers[1].Members != ab-a || g.Tiers[2].Members != members-ab {
		t.Errorf("tiers %+v, want %d %d %d", g.Tiers, a, ab-a, members-ab)
	}
	stored := loadPlan(t, plan)
	sg := stored.SegmentNamed("big ACUTE")
	if len(stored.Segments) != 3 || sg == nil || sg.Rule != "Beds >= 200 and Type = 'GENERAL ACUTE CARE'" || sg.Tiers == nil || !sg.Tiers.ByQuantile {
		t.Fatalf("stored segments %+v", stored.Segments)
	}
	mem, err := stored.SegmentMembers(sg)
	if err != nil || mem.Members != members {
		t.Errorf("planner counts %d members (%v), want %d", mem.Members, err, members)
	}

	// Refused rules: status 2, the parser's message, nothing written.
	for _, bad := range []struct{ rule, msg string }{
		{"Beds >= ", "Beds >="},
		{"Colour = 'red'", "Colour"},
		{"Beds >= 200 and (Type = 'X'", ""},
	} {
		code, out, errOut := ctl(t, "segment", "--plan", plan, "--name", "Broken", "--rule", bad.rule)
		if code != 2 || out != "" || !strings.Contains(errOut, "meridianctl: ") || !strings.Contains(errOut, bad.msg) {
			t.Errorf("rule %q: %d %q %q", bad.rule, code, out, errOut)
		}
		if _, perr := planner.ParseRule(strings.TrimSpace(bad.rule)); perr != nil && !strings.Contains(errOut, planner.ErrorMessage(perr)) {
			t.Errorf("rule %q: %q lacks the parser's message %q", bad.rule, errOut, planner.ErrorMessage(perr))
		}
	}
	if n := len(loadPlan(t, plan).Segments); n != 3 {
		t.Errorf("after refused rules the plan has %d segments", n)
	}
	// Bad tiers, unknown overlay reps, a blank name, --delete with a
	// rule: refused (status 2), nothing written.
	if code, _, errOut := ctl(t, "segment", "--plan", plan, "--name", "Big acute", "--tiers", "A=80,B=30"); code != 2 || !strings.Contains(errOut, "100%") {
		t.Errorf("tiers over 100%%: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "segment", "--plan", plan, "--name", "Big acute", "--overlay-team", "Key", "--overlay-reps", "Nobody Smith"); code != 2 || !strings.Contains(errOut, "Nobody Smith") {
		t.Errorf("unknown overlay rep: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "segment", "--plan", plan, "--name", "   ", "--rule", "Beds > 3"); code != 2 || !strings.Contains(errOut, "--name is empty") {
		t.Errorf("blank name: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "segment", "--plan", plan, "--name", "Big acute", "--delete", "--rule", "Beds > 3"); code != 2 || !strings.Contains(errOut, "--delete takes only --name") {
		t.Errorf("delete with a rule: %d %q", code, errOut)
	}
	if code, _, errOut := ctl(t, "segment", "--plan", plan, "--name", "New one"); code != 1 || !strings.Contains(errOut, "--rule") {
		t.Errorf("new segment without a rule: %d %q", code, errOut)
	}

	// A change keeps the rule and tiers, by threshold now.
	code, out, errOut = ctl(t, "segment", "--plan", plan, "--name", "BIG ACUTE", "--overlay-team", "Key", "--by", "threshold", "--tiers", "A=500,B=300,C=0")
	if code != 0 || !strings.Contains(out, `replaced segment "BIG ACUTE" (was "Big acute")`) || !strings.Contains(out, "overlay team Key: nobody yet") ||
		!strings.Contains(out, "tiers by Beds (threshold)") {
		t.Fatalf("replace: %d %q %q", code, out, errOut)
	}
	stored = loadPlan(t, plan)
	sg = stored.SegmentNamed("big acute")
	if sg == nil || sg.ID != 3 || sg.OverlayTeam != "Key" || sg.Tiers.ByQuantile || sg.Rule != "Beds >= 200 and Type = 'GENERAL ACUTE CARE'" {
		t.Fatalf("replaced %+v", sg)
	}
	big := 0
	for _, a := range stored.Accounts {
		if a.Segment == "GENERAL ACUTE CARE" && a.Potential.Known && a.Potential.Value >= 500 {
			big++
		}
	}
	if !strings.Contains(out, "A "+itoa(big)+",") {
		t.Errorf("tier A should hold the %d hospitals with 500 beds or more: %q", big, out)
	}

	// The list.
	code, out, errOut = ctl(t, "segment", "--plan", plan, "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var list SegmentOut
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Segments) != 3 || list.Segments[0].Name != "Large acute hospitals" || list.Segments[0].Members != members ||
		list.Segments[1].Members != len(p.Accounts) || list.Segments[2].Members != members {
		t.Errorf("list %+v", list.Segments)
	}
	if code, out, _ = ctl(t, "segment", "--plan", plan); code != 0 || !strings.Contains(out, "Large acute hospitals") || !strings.Contains(out, "Key accounts") {
		t.Errorf("text list %q", out)
	}

	// Delete.
	if code, out, errOut = ctl(t, "segment", "--plan", plan, "--name", "big acute", "--delete"); code != 0 || !strings.Contains(out, "deleted") {
		t.Fatalf("delete: %d %q %q", code, out, errOut)
	}
	if stored = loadPlan(t, plan); len(stored.Segments) != 2 || stored.SegmentNamed("Big acute") != nil {
		t.Errorf("after delete: %+v", stored.Segments)
	}
	if code, _, errOut = ctl(t, "segment", "--plan", plan, "--name", "big acute", "--delete"); code != 1 || !strings.Contains(errOut, "no segment") {
		t.Errorf("delete again: %d %q", code, errOut)
	}
}

// TestReportSegment: report --segment on the sample gives the segment's
// members per territory (summing, with the white space, to the member
// count), regions summing their territories, and the overlay view.
func TestReportSegment(t *testing.T) {
	plan := segmentSamplePlan(t)
	p := loadPlan(t, plan)
	mem, err := p.SegmentMembers(p.SegmentNamed("Large acute hospitals"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := ctl(t, "report", "--plan", plan, "--segment", "large ACUTE hospitals", "--json")
	if code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	var r SegmentReportOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	sum := r.WhiteSpace.Accounts
	for _, l := range r.Territories {
		sum += l.Accounts
	}
	if r.Segment != "Large acute hospitals" || r.Members != mem.Members || r.Total.Accounts != mem.Members || sum != mem.Members || len(r.Territories) != 9 {
		t.Errorf("report: %d members, total %d, sum %d; want %d", r.Members, r.Total.Accounts, sum, mem.Members)
	}
	northeast := r.Territories[0].Accounts + r.Territories[1].Accounts // New England + Middle Atlantic
	if len(r.Regions) != 4 || r.Regions[0].Name != "Northeast" || r.Regions[0].Accounts != northeast {
		t.Errorf("regions %+v, Northeast want %d", r.Regions, northeast)
	}
	if r.Overlay == nil || r.Overlay.Team != "Key accounts" || r.Overlay.Accounts != mem.Members || r.Overlay.Potential != r.Total.Potential {
		t.Errorf("overlay %+v", r.Overlay)
	}

	code, out, _ = ctl(t, "report", "--plan", plan, "--segment", "Bed tiers")
	if code != 0 || !strings.Contains(out, "segment Bed tiers (every account): 7146 members") || !strings.Contains(out, "A Beds") || !strings.Contains(out, "No tier") {
		t.Errorf("tiered text report %q", out)
	}
	if code, _, errOut = ctl(t, "report", "--plan", plan, "--segment", "Nope"); code != 1 || !strings.Contains(errOut, "no segment \"Nope\"") {
		t.Errorf("unknown segment: %d %q", code, errOut)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// --overlay-reps names the overlay team's reps by name or email; the
// report's overlay view lists them.
func TestSegmentOverlayReps(t *testing.T) {
	plan := segmentSamplePlan(t)
	csv := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(csv, []byte("Name,Email\nAnn Lee,ann@example.com\nBen Ross,ben@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := ctl(t, "reps", "import", "--plan", plan, "--file", csv); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := ctl(t, "segment", "--plan", plan, "--name", "Large acute hospitals", "--overlay-reps", "ann lee, BEN@example.com", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var got SegmentOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Segment == nil || strings.Join(got.Segment.OverlayReps, "|") != "Ann Lee|Ben Ross" || got.Segment.OverlayTeam != "Key accounts" {
		t.Fatalf("segment %+v", got.Segment)
	}
	p := loadPlan(t, plan)
	if g := p.SegmentNamed("Large acute hospitals"); g == nil || len(g.OverlayReps) != 2 {
		t.Errorf("stored %+v", g)
	}
}

// A rule that is legal but looks wrong is stored with a warning.
func TestSegmentRuleWarning(t *testing.T) {
	plan := segmentSamplePlan(t)
	code, out, errOut := ctl(t, "segment", "--plan", plan, "--name", "Odd", "--rule", "Beds > abc")
	if code != 0 || !strings.Contains(out, `warning: Beds holds numbers, and "abc" is not one`) {
		t.Errorf("%d %q %q", code, out, errOut)
	}
}
