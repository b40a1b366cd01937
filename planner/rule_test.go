package planner

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestParseRule parses every construct of the rule language and checks the
// canonical form, which shows the tree (precedence, operators, values).
func TestParseRule(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"  \t ", ""},
		// Every operator, ASCII and Unicode.
		{"Beds = 200", "Beds = 200"},
		{"Beds == 200", "Beds = 200"},
		{"Beds is 200", "Beds = 200"},
		{"Beds != 200", "Beds != 200"},
		{"Beds <> 200", "Beds != 200"},
		{"Beds ≠ 200", "Beds != 200"},
		{"Beds IS NOT 200", "Beds != 200"},
		{"Beds < 200", "Beds < 200"},
		{"Beds <= 200", "Beds <= 200"},
		{"Beds ≤ 200", "Beds <= 200"},
		{"Beds > 200", "Beds > 200"},
		{"Beds >= 200", "Beds >= 200"},
		{"Beds ≥ 200", "Beds >= 200"},
		{"Beds>=200", "Beds >= 200"},
		{"Beds ≥-5", "Beds >= -5"},
		{"Beds > 1e3", "Beds > 1e3"},
		{"Beds > '200'", "Beds > 200"},
		{"Industry in (Software, Fintech)", "Industry in ('Software', 'Fintech')"},
		{"Industry IN('a',\"b\",3)", "Industry in ('a', 'b', 3)"},
		{"Industry not in (Retail)", "Industry not in ('Retail')"},
		{"Name contains clinic", "Name contains 'clinic'"},
		{"Name NOT CONTAINS 'St. '", "Name not contains 'St. '"},
		{"Phone is empty", "Phone is empty"},
		{"Phone Is Not Empty", "Phone is not empty"},
		// Bare multi-word values and fields.
		{"Type is GENERAL ACUTE CARE and Beds >= 200", "Type = 'GENERAL ACUTE CARE' and Beds >= 200"},
		{"Owner in (GOVERNMENT - STATE,  GOVERNMENT - FEDERAL)", "Owner in ('GOVERNMENT - STATE', 'GOVERNMENT - FEDERAL')"},
		{"Annual revenue > 5", "Annual revenue > 5"},
		{"Annual   revenue > 5", "Annual revenue > 5"},
		{"Top 100 = yes", "Top 100 = 'yes'"},
		{"Name contains children's", "Name contains 'children''s'"},
		{"Région = Île-de-France", "Région = 'Île-de-France'"},
		{"Company = AT&T", "Company = 'AT&T'"},
		// Quoted fields and values.
		{`"Annual revenue (USD)" > 5`, "[Annual revenue (USD)] > 5"},
		{"[Annual revenue] > 5", "Annual revenue > 5"},
		{"[ Beds ] > 5", "Beds > 5"},
		{"[a]]b] = 1", "[a]]b] = 1"},
		{`"say ""hi""" = 1`, `[say "hi"] = 1`},
		{"[In] = 1", "[In] = 1"},
		{"[3D] = 1", "[3D] = 1"},
		{"Name = 'O''Brien'", "Name = 'O''Brien'"},
		{`Name = "x ""y"""`, `Name = 'x "y"'`},
		{"Name = 'and'", "Name = 'and'"},
		{"Name = ' 5 '", "Name = ' 5 '"},
		// Precedence: and over or; parentheses; not.
		{"a = 1 or b = 2 and c = 3", "a = 1 or b = 2 and c = 3"},
		{"a = 1 and b = 2 or c = 3", "a = 1 and b = 2 or c = 3"},
		{"(a = 1 or b = 2) and c = 3", "(a = 1 or b = 2) and c = 3"},
		{"a = 1 && b = 2 || c = 3", "a = 1 and b = 2 or c = 3"},
		{"((a = 1 and b = 2)) AND c = 3", "a = 1 and b = 2 and c = 3"},
		{"a = 1 or (b = 2 or c = 3)", "a = 1 or b = 2 or c = 3"},
		{"not a = 1", "not a = 1"},
		{"NOT (a = 1 or b = 2)", "not (a = 1 or b = 2)"},
		{"not not a = 1", "not not a = 1"},
		{"not a = 1 and b = 2", "not a = 1 and b = 2"},
	} {
		r, err := ParseRule(c.in)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", c.in, err)
			continue
		}
		if got := r.String(); got != c.want {
			t.Errorf("ParseRule(%q).String() = %q, want %q", c.in, got, c.want)
		}
		// The canonical form reads back to the same tree.
		back, err := ParseRule(r.String())
		if err != nil {
			t.Errorf("ParseRule(%q) (from %q): %v", r.String(), c.in, err)
		} else if !reflect.DeepEqual(back, r) {
			t.Errorf("%q does not read back to the tree of %q", r.String(), c.in)
		}
	}
}

// TestParseRuleTree checks the shape of the tree where the canonical text
// alone would not show it.
func TestParseRuleTree(t *testing.T) {
	r, err := ParseRule("a = 1 or b = 2 and c = 3")
	if err != nil {
		t.Fatal(err)
	}
	if n := r.root; n.kind != ruleOr || len(n.kids) != 2 || n.kids[0].kind != ruleCmp || n.kids[1].kind != ruleAnd || len(n.kids[1].kids) != 2 {
		t.Errorf("and does not bind tighter than or: %+v", n)
	}
	r, err = ParseRule("Type is GENERAL   ACUTE CARE")
	if err != nil {
		t.Fatal(err)
	}
	if n := r.root; n.field != "Type" || n.op != opEq || !slices.Equal(n.values, []string{"GENERAL ACUTE CARE"}) {
		t.Errorf("bare value: %+v", n)
	}
}

// TestParseRuleErrors checks that errors say what and where (1-based
// character, not byte, positions).
func TestParseRuleErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Beds >= ", `Rule "Beds >= ": a value is missing after ">=" (character 9)`},
		{"Beds", `Rule "Beds": a comparison such as "=", ">=", "in", "contains" or "is empty" is missing after the field "Beds"; found the end of the rule (character 5)`},
		{">= 5", `Rule ">= 5": a field name is expected; found ">=" (character 1)`},
		{"Beds >= 200 and", `Rule "Beds >= 200 and": a field name is missing at the end of the rule (character 16)`},
		{"(Beds >= 200", `Rule "(Beds >= 200": ")" is missing to close the "(" at character 1; found the end of the rule (character 13)`},
		{"Beds >= 200)", `Rule "Beds >= 200)": ")" has no matching "(" (character 12)`},
		{"Name = 'abc", `Rule "Name = 'abc": the quote ' at character 8 is not closed (character 8)`},
		{"[Name = 1", `Rule "[Name = 1": the bracket "[" at character 1 is not closed (character 1)`},
		{"Industry in Software", `Rule "Industry in Software": "in" needs a list of values in parentheses, e.g. Industry in (Software, Fintech); found "Software" (character 13)`},
		{"Industry in (a b, )", `Rule "Industry in (a b, )": a value is missing after ","; found ")" (character 19)`},
		{"Industry in (a (b))", `Rule "Industry in (a (b))": "," or ")" is expected in the list after "in"; found "(" (character 16)`},
		{"Industry in ()", `Rule "Industry in ()": a value is missing after "("; found ")" (character 14)`},
		{"Name not = 5", `Rule "Name not = 5": "not" after the field "Name" must be followed by "in" or "contains"; found "=" (character 10)`},
		{"Name = ''", `Rule "Name = ''": the value after "=" is empty; write "is empty" to select accounts with no value (character 8)`},
		{"Name = and", `Rule "Name = and": a value is missing after "="; found the keyword "and" (put a value that is a keyword in 'quotes') (character 8)`},
		{"200 > Beds", `Rule "200 > Beds": "200" cannot be part of a bare field name (letters, digits, "_", "." and "-", starting with a letter); put the name in [brackets] (character 1)`},
		{"Beds% > 1", `Rule "Beds% > 1": "Beds%" cannot be part of a bare field name (letters, digits, "_", "." and "-", starting with a letter); put the name in [brackets] (character 1)`},
		{"'Name' = 1", `Rule "'Name' = 1": a field name is expected, not the text "'Name'"; write field names bare, in "double quotes" or in [brackets] (character 1)`},
		{"[ ] = 1", `Rule "[ ] = 1": the field name "[ ]" is empty (character 1)`},
		{"Beds >= 200 Type = 1", `Rule "Beds >= 200 Type = 1": unexpected "="; join conditions with "and" or "or" (character 18)`},
		{"Name = x y 'z'", `Rule "Name = x y 'z'": unexpected "'z'"; join conditions with "and" or "or" (character 12)`},
		// Positions count characters: "Région ≥ " is 9 characters, 12 bytes.
		{"Région ≥ ", `Rule "Région ≥ ": a value is missing after "≥" (character 10)`},
		{strings.Repeat("(", 150) + "a = 1" + strings.Repeat(")", 150), `the rule nests parentheses or "not" more than 100 deep (character 101)`},
		{strings.Repeat("not ", 150) + "a = 1", `the rule nests parentheses or "not" more than 100 deep (character 401)`},
	} {
		r, err := ParseRule(c.in)
		if err == nil {
			t.Errorf("ParseRule(%q) = %q, want an error", c.in, r)
			continue
		}
		if ErrorCode(err) != EINVALID {
			t.Errorf("ParseRule(%q): code %q, want %q", c.in, ErrorCode(err), EINVALID)
		}
		if msg := ErrorMessage(err); !strings.HasSuffix(msg, c.want) || !strings.HasPrefix(msg, "Rule ") {
			t.Errorf("ParseRule(%q):\n got %s\nwant %s", c.in, msg, c.want)
		}
	}
}

func TestRuleFields(t *testing.T) {
	r, err := ParseRule("Beds >= 200 and Type = x or beds < 5 or [Annual revenue] > 1 or Beds is empty")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Fields(), []string{"Beds", "Type", "beds", "Annual revenue"}; !slices.Equal(got, want) {
		t.Errorf("Fields() = %q, want %q", got, want)
	}
	var all *Rule
	if all.Fields() != nil || all.String() != "" {
		t.Errorf("nil rule: Fields %q, String %q", all.Fields(), all.String())
	}
}

// rulePlan is a small plan with text and numeric custom fields, a custom
// field "TYPE" that shadows the segment field "Type" only when spelled
// exactly, and an account of every kind of empty value.
func rulePlan() *Plan {
	return &Plan{
		PotentialName: "Beds",
		SegmentName:   "Type",
		CustomFields:  []CustomField{{Name: "Industry"}, {Name: "Employees", Numeric: true}, {Name: "Phone"}, {Name: "TYPE"}},
		Accounts: []Account{
			{ID: 1, Name: "Acme Clinic", Segment: "GENERAL ACUTE CARE", Potential: Known(250), State: "CA", ZIP: "02134",
				Owner: "NON-PROFIT", UnitCode: "06001", Match: MatchPoint, Fields: []string{"Software", "120", "555", "x"}},
			{ID: 2, Name: "Beta Hospital", Segment: " general acute care ", Potential: Known(150), State: "ny", ZIP: "10001",
				Owner: "PROPRIETARY", UnitCode: "36061", Match: MatchPostal, Fields: []string{"Fintech", "80", "", ""}},
			{ID: 3, Name: "Gamma", Segment: "PSYCHIATRIC", Potential: Unknown, State: "TX", ZIP: "75001",
				UnitCode: "48113", Match: MatchCity},
			{ID: 4, Name: "Delta", Segment: "", Potential: Known(200), State: "CA", ZIP: "",
				UnitCode: "", Match: MatchNone, Fields: []string{"Retail", "1e3", " ", "y"}},
			{ID: 5, Name: "Épicerie Zoé", Segment: "CHILDREN", Potential: Known(0), State: "QC", ZIP: "H2X 1Y4",
				UnitCode: "24066", Match: MatchPoint, Fields: []string{"software", "n/a", "", ""}},
		},
	}
}

// TestMatchRule evaluates rules on rulePlan: case and space insensitive
// text, numbers compared as numbers, unknown and empty values.
func TestMatchRule(t *testing.T) {
	p := rulePlan()
	for _, c := range []struct {
		rule string
		want []int64 // account IDs in
	}{
		{"", []int64{1, 2, 3, 4, 5}},
		// Potential, under its own name and the plan's; unknown beds (3)
		// satisfy only !=, is empty and not.
		{"Beds >= 200", []int64{1, 4}},
		{"Beds > 200", []int64{1}},
		{"Beds <= 150", []int64{2, 5}},
		{"Beds < 200", []int64{2, 5}},
		{"Beds = 200", []int64{4}},
		{"Potential = 200.0", []int64{4}},
		{"Beds != 200", []int64{1, 2, 3, 5}},
		{"not Beds >= 200", []int64{2, 3, 5}},
		{"Beds is empty", []int64{3}},
		{"Potential is not empty", []int64{1, 2, 4, 5}},
		{"Beds in (0, 250, abc)", []int64{1, 5}},
		{"Beds not in (0, 250)", []int64{2, 3, 4}},
		{"Beds contains 5", []int64{1, 2}},
		{"Beds = abc", nil},
		// Segment field: "Type" and "Segment" are Account.Segment; the
		// custom field "TYPE" wins only when spelled exactly.
		{"Type = 'GENERAL ACUTE CARE'", []int64{1, 2}},
		{"segment is general acute care and Beds >= 200", []int64{1}},
		{"Type is GENERAL ACUTE CARE and Beds >= 200", []int64{1}},
		{"Type is empty", []int64{4}},
		{"Type != CHILDREN", []int64{1, 2, 3, 4}},
		{"TYPE = x", []int64{1}},
		{"type = x", nil},
		// Text custom field; an account without custom values (3) is empty.
		{"Industry in (Software, Fintech)", []int64{1, 2, 5}},
		{"Industry not in (Software)", []int64{2, 3, 4}},
		{"Industry contains TECH", []int64{2}},
		{"Industry not contains soft", []int64{2, 3, 4}},
		{"Phone is empty", []int64{2, 3, 4, 5}},
		{"Phone is not empty", []int64{1}},
		{"Phone != 555", []int64{2, 3, 4, 5}},
		{"Phone = 555.0", []int64{1}},
		// Numeric custom field: numbers compare as numbers ("1e3" is
		// 1000, and 80 < 120 although "80" > "120" as text); "n/a" is not a
		// number, so it compares as text ("n/a" > "100").
		{"Employees > 100", []int64{1, 4, 5}},
		{"Employees >= 80 and Employees <= 120", []int64{1, 2}},
		{"employees < 100", []int64{2}},
		{"Employees = 1000", []int64{4}},
		// Built-in text fields and their aliases.
		{"ZIP = 2134", []int64{1}},
		{"Postal code = '02134'", []int64{1}},
		{"postal_code is empty", []int64{4}},
		{"State in (ca, NY)", []int64{1, 2, 4}},
		{"Unit is empty", []int64{4}},
		{"Unit = 06001", []int64{1}},
		{"Match = 'exact point'", []int64{1, 5}},
		{"Match in (city, 'postal code')", []int64{2, 3}},
		{"Owner contains profit", []int64{1}},
		{"Owner is empty", []int64{3, 4, 5}},
		{"Name contains CLINIC", []int64{1}},
		{"Name contains ZOÉ", []int64{5}},
		{"Name not contains a", []int64{5}},
		{"Name > m", []int64{5}},
		{"Name <= beta hospital", []int64{1, 2}},
		{"[External ID] is empty", []int64{1, 2, 3, 4, 5}},
		// Combinations.
		{"(Type = 'GENERAL ACUTE CARE' or Type = CHILDREN) and not Beds < 100", []int64{1, 2}},
		{"Type = CHILDREN or Type = PSYCHIATRIC and Beds is empty", []int64{3, 5}},
		{"(Type = CHILDREN or Type = PSYCHIATRIC) and Beds is not empty", []int64{5}},
	} {
		r, err := ParseRule(c.rule)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", c.rule, err)
			continue
		}
		in, err := p.MatchRule(r)
		if err != nil {
			t.Errorf("MatchRule(%q): %v", c.rule, err)
			continue
		}
		var got []int64
		for i, ok := range in {
			if ok {
				got = append(got, p.Accounts[i].ID)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: accounts %v, want %v", c.rule, got, c.want)
		}
	}
}

func TestMatchRuleUnknownField(t *testing.T) {
	p := rulePlan()
	const fields = "Name, External ID, Address, City, State, Postal code, Type, Owner, Beds, Unit, Match, Industry, Employees, Phone, TYPE"
	r, err := ParseRule("Bedz > 1 and Industry = x")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.MatchRule(r)
	if want := `The rule names "Bedz", which is not a field of this plan; fields: ` + fields; ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
		t.Errorf("MatchRule: %v (%s), want %s", err, ErrorCode(err), want)
	}
	_, err = p.SegmentMembers(&Segment{ID: 1, Name: "X", Rule: "Bedz > 1"})
	if want := `Segment "X": the rule names "Bedz", which is not a field of this plan; fields: ` + fields; ErrorCode(err) != EINVALID || ErrorMessage(err) != want {
		t.Errorf("SegmentMembers: %v, want %s", err, want)
	}
	_, err = p.SegmentMembers(&Segment{ID: 1, Name: "X", Rule: "Beds >= "})
	if want := `Segment "X": Rule "Beds >= ": a value is missing after ">=" (character 9)`; ErrorMessage(err) != want {
		t.Errorf("SegmentMembers: %v, want %s", err, want)
	}
}

func TestPlanRuleFields(t *testing.T) {
	p := &Plan{}
	want := []string{"Name", "External ID", "Address", "City", "State", "Postal code", "Segment", "Owner", "Potential", "Unit", "Match"}
	if got := p.RuleFields(); !slices.Equal(got, want) {
		t.Errorf("RuleFields() = %q, want %q", got, want)
	}
	// A custom field spelled exactly like the plan's potential name takes
	// the name; the built-in is listed, and reachable, as "Potential".
	p = &Plan{PotentialName: "Beds", SegmentName: "Type", CustomFields: []CustomField{{Name: "Beds"}, {Name: "Phone"}}}
	want = []string{"Name", "External ID", "Address", "City", "State", "Postal code", "Type", "Owner", "Potential", "Unit", "Match", "Beds", "Phone"}
	if got := p.RuleFields(); !slices.Equal(got, want) {
		t.Errorf("RuleFields() = %q, want %q", got, want)
	}
	for _, c := range []struct {
		name string
		want fieldRef
	}{
		{"Beds", fieldRef{fieldCustom, 0}},
		{"beds", fieldRef{kind: fieldPotential}},
		{"Potential", fieldRef{kind: fieldPotential}},
		{"ZIP", fieldRef{kind: fieldPostal}},
		{"zip", fieldRef{kind: fieldPostal}},
		{"POSTAL_CODE", fieldRef{kind: fieldPostal}},
		{"type", fieldRef{kind: fieldSegment}},
		{"Segment", fieldRef{kind: fieldSegment}},
		{"external-id", fieldRef{kind: fieldExternalID}},
		{"PHONE", fieldRef{fieldCustom, 1}},
	} {
		if got, ok := p.resolveField(c.name); !ok || got != c.want {
			t.Errorf("resolveField(%q) = %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
	if _, ok := p.resolveField("Bedz"); ok {
		t.Error(`resolveField("Bedz") found a field`)
	}
}

// TestRuleEvalAllocs checks that evaluating a bound rule allocates
// nothing per account, the potential's text included.
func TestRuleEvalAllocs(t *testing.T) {
	p := rulePlan()
	r, err := ParseRule("Type = 'GENERAL ACUTE CARE' and Beds >= 200 or Industry in (Software, 3) or Beds contains 5 or Beds > x or Name contains zoé or Employees < 100 or Name >= b")
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.compile(r)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		for i := range p.Accounts {
			if c.eval(&p.Accounts[i]) {
				n++
			}
		}
	})
	if allocs != 0 {
		t.Errorf("eval allocates %v times per run of %d accounts", allocs, len(p.Accounts))
	}
}

func TestParseNum(t *testing.T) {
	for _, c := range []struct {
		in string
		v  float64
		ok bool
	}{
		{"200", 200, true}, {" -3.5 ", -3.5, true}, {"+.5", 0.5, true}, {"5.", 5, true}, {"1e6", 1e6, true}, {"1E-2", 0.01, true},
		{"", 0, false}, {"-", 0, false}, {".", 0, false}, {"1e", 0, false}, {"1,200", 0, false}, {"$5", 0, false},
		{"Inf", 0, false}, {"NaN", 0, false}, {"0x1F", 0, false}, {"1_000", 0, false}, {"1e999", 0, false}, {"n/a", 0, false},
	} {
		if v, ok := parseNum(c.in); v != c.v || ok != c.ok {
			t.Errorf("parseNum(%q) = %v, %v; want %v, %v", c.in, v, ok, c.v, c.ok)
		}
	}
}

func TestCompareFold(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"abc", "ABC", 0}, {"abc", "abd", -1}, {"B", "a", 1}, {"ab", "abc", -1}, {"Zoé", "ZOÉ", 0}, {"é", "f", 1},
	} {
		if got := compareFold(c.a, c.b); got != c.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	for _, c := range []struct {
		s, sub string
		want   bool
	}{
		{"Acme Clinic", "CLINIC", true}, {"Acme", "acmex", false}, {"Épicerie Zoé", "ÉPIC", true}, {"Épicerie Zoé", "zoe", false},
		{"Kelvin", "\u212aelvin", true}, {"x", "", true},
	} {
		if got := containsFold(c.s, c.sub); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", c.s, c.sub, got, c.want)
		}
	}
}
