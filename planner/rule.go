package planner

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rule is a parsed segment rule: a tree of comparisons on account fields
// joined by and, or and not. The zero Rule (and a nil *Rule) matches every
// account. Build one with [ParseRule]; evaluate it with [Plan.MatchRule] or
// through a [Segment] with [Plan.SegmentMembers].
type Rule struct {
	root *ruleNode // nil: every account
}

// ruleKind is the kind of a node of a rule's tree.
type ruleKind uint8

const (
	ruleCmp ruleKind = iota // a comparison: field op values
	ruleAnd                 // all kids hold (two or more kids)
	ruleOr                  // some kid holds (two or more kids)
	ruleNot                 // the one kid does not hold
)

// ruleOp is the operator of a comparison.
type ruleOp uint8

const (
	opEq ruleOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opIn
	opNotIn
	opContains
	opNotContains
	opEmpty
	opNotEmpty
)

// opText is each operator's canonical spelling, as String writes it.
var opText = [...]string{
	opEq: "=", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">=",
	opIn: "in", opNotIn: "not in", opContains: "contains", opNotContains: "not contains",
	opEmpty: "is empty", opNotEmpty: "is not empty",
}

// ruleNode is one node of a rule's tree. And and or nodes are kept flat:
// no kid of an and node is an and node (likewise for or), so that the
// canonical text parses back to the same tree.
type ruleNode struct {
	kind   ruleKind
	kids   []*ruleNode // and, or: 2 or more; not: 1
	field  string      // comparison: the field name as written (trimmed; bare words joined by one space)
	op     ruleOp      // comparison
	values []string    // comparison: 1 value, or the list of in / not in; none for is [not] empty
}

// maxRuleDepth bounds the nesting of parentheses and not, so that a
// pathological rule cannot exhaust the stack.
const maxRuleDepth = 100

// ParseRule parses text in the segment rule language. Text that is empty or
// only white space is the rule that matches every account.
//
// The grammar (keywords and, or, not, in, is, contains and empty are
// case-insensitive; and binds tighter than or):
//
//	expr       := term { ("or" | "||") term }
//	term       := factor { ("and" | "&&") factor }
//	factor     := "not" factor | "(" expr ")" | comparison
//	comparison := field op value            op: = == != <> ≠ < <= ≤ > >= ≥ is, "is not"
//	            | field ["not"] "in" "(" value { "," value } ")"
//	            | field ["not"] "contains" value
//	            | field "is" ["not"] "empty"
//
// A field is one or more bare words (the first starts with a letter; each
// is letters, digits, "_", "." and "-", and none is a keyword), so that
// Annual revenue > 5 names the field "Annual revenue"; or any name in
// "double quotes" or [brackets] (a doubled quote or "]]" stands for the
// character itself). "is" means "=" and "is not" means "≠".
//
// A value is text in 'single' or "double" quotes (a doubled quote stands for
// the quote), or bare words up to the next keyword, comma, parenthesis or
// the end, joined by single spaces: Type is GENERAL ACUTE CARE and Beds >= 200
// compares Type with "GENERAL ACUTE CARE". Write a value that holds a
// keyword, a comma or a parenthesis in quotes. A value may not be empty:
// write "is empty" to select accounts with no value.
//
// Which fields a rule may name depends on the plan (see [Plan.RuleFields]);
// ParseRule checks only the form. What each comparison means is described
// at [Plan.MatchRule].
//
// The error is an *Error with code EINVALID that quotes the rule and says
// what is wrong and at which character (1-based, counting characters, not
// bytes), e.g.
//
//	Rule "Beds >= ": a value is missing after ">=" (character 9)
func ParseRule(text string) (*Rule, error) {
	toks, err := lexRule(text)
	if err != nil {
		return nil, err
	}
	ps := &ruleParser{text: text, toks: toks}
	if ps.peek().kind == tokEOF {
		return &Rule{}, nil
	}
	root, err := ps.expr()
	if err != nil {
		return nil, err
	}
	if t := ps.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, ps.errf(t.pos, `")" has no matching "("`)
		}
		return nil, ps.errf(t.pos, `unexpected %s; join conditions with "and" or "or"`, t.describe())
	}
	return &Rule{root: root}, nil
}

// String returns the rule in canonical form, which ParseRule reads back to
// the same rule: lower-case keywords, the ASCII operators (=, !=, <, <=, >,
// >=), fields bare when they can be and in [brackets] otherwise, numbers
// bare and other values in 'single quotes', and parentheses only where
// and/or precedence needs them. The rule that matches everything is "".
func (r *Rule) String() string {
	if r == nil || r.root == nil {
		return ""
	}
	var b strings.Builder
	writeRuleNode(&b, r.root)
	return b.String()
}

// Fields returns the field names the rule uses, as written (bare words
// joined by one space, quoted names without their quotes), in order of
// first use, each spelling once; nil for the rule that matches everything.
func (r *Rule) Fields() []string {
	if r == nil || r.root == nil {
		return nil
	}
	var out []string
	var walk func(n *ruleNode)
	walk = func(n *ruleNode) {
		if n.kind == ruleCmp {
			for _, f := range out {
				if f == n.field {
					return
				}
			}
			out = append(out, n.field)
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(r.root)
	return out
}

func writeRuleNode(b *strings.Builder, n *ruleNode) {
	switch n.kind {
	case ruleOr, ruleAnd:
		sep := " or "
		if n.kind == ruleAnd {
			sep = " and "
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			// An or inside an and needs parentheses; kids of the same
			// kind do not occur (the tree is flat) but would too.
			paren := k.kind == ruleOr || k.kind == n.kind
			if paren {
				b.WriteByte('(')
			}
			writeRuleNode(b, k)
			if paren {
				b.WriteByte(')')
			}
		}
	case ruleNot:
		b.WriteString("not ")
		k := n.kids[0]
		paren := k.kind == ruleAnd || k.kind == ruleOr
		if paren {
			b.WriteByte('(')
		}
		writeRuleNode(b, k)
		if paren {
			b.WriteByte(')')
		}
	default:
		writeRuleField(b, n.field)
		b.WriteByte(' ')
		b.WriteString(opText[n.op])
		switch n.op {
		case opEmpty, opNotEmpty:
		case opIn, opNotIn:
			b.WriteString(" (")
			for i, v := range n.values {
				if i > 0 {
					b.WriteString(", ")
				}
				writeRuleValue(b, v)
			}
			b.WriteByte(')')
		default:
			b.WriteByte(' ')
			writeRuleValue(b, n.values[0])
		}
	}
}

// writeRuleField writes a field name bare when it reads back as the same
// bare words, else in brackets.
func writeRuleField(b *strings.Builder, name string) {
	words := strings.FieldsFunc(name, unicode.IsSpace)
	bare := len(words) > 0 && strings.Join(words, " ") == name
	for i, w := range words {
		if !bare {
			break
		}
		bare = fieldWordOK(w, i == 0) && !isRuleKeyword(w)
	}
	if bare {
		b.WriteString(name)
		return
	}
	b.WriteByte('[')
	b.WriteString(strings.ReplaceAll(name, "]", "]]"))
	b.WriteByte(']')
}

// writeRuleValue writes a number bare and any other value in single quotes.
func writeRuleValue(b *strings.Builder, v string) {
	if _, ok := parseNum(v); ok && !strings.ContainsFunc(v, unicode.IsSpace) {
		b.WriteString(v)
		return
	}
	b.WriteByte('\'')
	b.WriteString(strings.ReplaceAll(v, "'", "''"))
	b.WriteByte('\'')
}

// fieldWordOK reports whether w may be a word of a bare field name: letters,
// digits, "_", "." and "-", the first word starting with a letter.
func fieldWordOK(w string, first bool) bool {
	for i, r := range w {
		switch {
		case unicode.IsLetter(r):
		case i == 0 && first:
			return false
		case unicode.IsDigit(r) || r == '_' || r == '.' || r == '-':
		default:
			return false
		}
	}
	return w != ""
}

func isRuleKeyword(w string) bool {
	if len(w) > 8 {
		return false
	}
	switch strings.ToLower(w) {
	case "and", "or", "not", "in", "is", "contains", "empty":
		return true
	}
	return false
}

// tokKind is the kind of a lexical token of a rule.
type tokKind uint8

const (
	tokEOF     tokKind = iota
	tokWord            // a bare word
	tokString          // text in quotes; quote says which
	tokBracket         // a [bracketed] field name
	tokOp              // a comparison operator; op says which
	tokLParen
	tokRParen
	tokComma
	tokAnd // &&
	tokOr  // ||
)

type ruleToken struct {
	kind  tokKind
	text  string // word as written; string or bracket without quotes, unescaped
	raw   string // as written in the rule, for messages
	pos   int    // 1-based character position of the token's start
	quote byte   // tokString: '\'' or '"'
	op    ruleOp // tokOp
}

// describe names the token for an error message.
func (t ruleToken) describe() string {
	if t.kind == tokEOF {
		return "the end of the rule"
	}
	raw := t.raw
	if utf8.RuneCountInString(raw) > 40 {
		raw = string([]rune(raw)[:40]) + "…"
	}
	return strconv.Quote(raw)
}

// is reports whether t is the keyword kw (lower case).
func (t ruleToken) is(kw string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, kw)
}

// lexRule splits text into tokens, the last being tokEOF.
func lexRule(text string) ([]ruleToken, error) {
	var toks []ruleToken
	pos := 1 // character position of text[i]
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			pos++
			continue
		}
		start, startPos := i, pos
		t := ruleToken{pos: startPos}
		switch {
		case r == '(' || r == ')' || r == ',':
			t.kind = tokComma
			if r == '(' {
				t.kind = tokLParen
			} else if r == ')' {
				t.kind = tokRParen
			}
			i++
		case r == '\'' || r == '"' || r == '[':
			closing := byte(r)
			if r == '[' {
				closing = ']'
			}
			var b strings.Builder
			j := i + 1
			closed := false
			for j < len(text) {
				if text[j] == closing {
					if j+1 < len(text) && text[j+1] == closing {
						b.WriteByte(closing)
						j += 2
						continue
					}
					j++
					closed = true
					break
				}
				b.WriteByte(text[j])
				j++
			}
			if !closed {
				what := "quote " + string(r)
				if r == '[' {
					what = `bracket "["`
				}
				return nil, ruleErrorf(text, startPos, "the %s at character %d is not closed", what, startPos)
			}
			t.kind, t.text = tokString, b.String()
			if r == '[' {
				t.kind = tokBracket
			} else {
				t.quote = byte(r)
			}
			i = j
		case opLen(text[i:]) > 0:
			n := opLen(text[i:])
			t.kind, t.op = tokOp, opOf(text[i:i+n])
			i += n
		case strings.HasPrefix(text[i:], "&&"):
			t.kind = tokAnd
			i += 2
		case strings.HasPrefix(text[i:], "||"):
			t.kind = tokOr
			i += 2
		default:
			t.kind = tokWord
			for i < len(text) {
				r, size := utf8.DecodeRuneInString(text[i:])
				if unicode.IsSpace(r) || r == '(' || r == ')' || r == ',' || opLen(text[i:]) > 0 ||
					strings.HasPrefix(text[i:], "&&") || strings.HasPrefix(text[i:], "||") {
					break
				}
				i += size
			}
			t.text = text[start:i]
		}
		t.raw = text[start:i]
		pos += utf8.RuneCountInString(t.raw)
		toks = append(toks, t)
	}
	return append(toks, ruleToken{kind: tokEOF, pos: pos}), nil
}

// opLen returns the length in bytes of the comparison operator s starts
// with, or 0.
func opLen(s string) int {
	for _, o := range []string{"==", "!=", "<>", "<=", ">=", "≠", "≤", "≥", "=", "<", ">"} {
		if strings.HasPrefix(s, o) {
			return len(o)
		}
	}
	return 0
}

func opOf(s string) ruleOp {
	switch s {
	case "=", "==":
		return opEq
	case "!=", "<>", "≠":
		return opNe
	case "<":
		return opLt
	case "<=", "≤":
		return opLe
	case ">":
		return opGt
	default: // ">=", "≥"
		return opGe
	}
}

func ruleErrorf(text string, pos int, format string, args ...any) *Error {
	return Errorf(EINVALID, "Rule %q: %s (character %d)", text, fmt.Sprintf(format, args...), pos)
}

type ruleParser struct {
	text  string
	toks  []ruleToken
	i     int
	depth int
}

func (ps *ruleParser) peek() ruleToken { return ps.toks[ps.i] }

func (ps *ruleParser) next() ruleToken {
	t := ps.toks[ps.i]
	if t.kind != tokEOF {
		ps.i++
	}
	return t
}

func (ps *ruleParser) errf(pos int, format string, args ...any) error {
	return ruleErrorf(ps.text, pos, format, args...)
}

func (ps *ruleParser) expr() (*ruleNode, error) {
	n, err := ps.term()
	if err != nil {
		return nil, err
	}
	kids := []*ruleNode{n}
	for t := ps.peek(); t.kind == tokOr || t.is("or"); t = ps.peek() {
		ps.next()
		k, err := ps.term()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	return joinRule(ruleOr, kids), nil
}

func (ps *ruleParser) term() (*ruleNode, error) {
	n, err := ps.factor()
	if err != nil {
		return nil, err
	}
	kids := []*ruleNode{n}
	for t := ps.peek(); t.kind == tokAnd || t.is("and"); t = ps.peek() {
		ps.next()
		k, err := ps.factor()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	return joinRule(ruleAnd, kids), nil
}

// joinRule joins kids with and or or, flattening kids of the same kind
// (from parentheses), so that the tree is canonical.
func joinRule(kind ruleKind, kids []*ruleNode) *ruleNode {
	if len(kids) == 1 {
		return kids[0]
	}
	n := &ruleNode{kind: kind}
	for _, k := range kids {
		if k.kind == kind {
			n.kids = append(n.kids, k.kids...)
		} else {
			n.kids = append(n.kids, k)
		}
	}
	return n
}

func (ps *ruleParser) factor() (*ruleNode, error) {
	t := ps.peek()
	if ps.depth >= maxRuleDepth {
		return nil, ps.errf(t.pos, "the rule nests parentheses or \"not\" more than %d deep", maxRuleDepth)
	}
	ps.depth++
	defer func() { ps.depth-- }()
	switch {
	case t.is("not"):
		ps.next()
		k, err := ps.factor()
		if err != nil {
			return nil, err
		}
		return &ruleNode{kind: ruleNot, kids: []*ruleNode{k}}, nil
	case t.kind == tokLParen:
		ps.next()
		n, err := ps.expr()
		if err != nil {
			return nil, err
		}
		if c := ps.peek(); c.kind != tokRParen {
			return nil, ps.errf(c.pos, `")" is missing to close the "(" at character %d; found %s`, t.pos, c.describe())
		}
		ps.next()
		return n, nil
	}
	return ps.comparison()
}

func (ps *ruleParser) comparison() (*ruleNode, error) {
	field, err := ps.field()
	if err != nil {
		return nil, err
	}
	n := &ruleNode{kind: ruleCmp, field: field}
	t := ps.next()
	switch {
	case t.kind == tokOp:
		n.op = t.op
		v, err := ps.value(t.raw)
		if err != nil {
			return nil, err
		}
		n.values = []string{v}
	case t.is("is"):
		after := t.raw
		n.op = opEq
		if u := ps.peek(); u.is("not") {
			ps.next()
			after += " " + u.raw
			n.op = opNe
		}
		if u := ps.peek(); u.is("empty") {
			ps.next()
			if n.op == opEq {
				n.op = opEmpty
			} else {
				n.op = opNotEmpty
			}
			return n, nil
		}
		v, err := ps.value(after)
		if err != nil {
			return nil, err
		}
		n.values = []string{v}
	case t.is("not"):
		u := ps.next()
		switch {
		case u.is("in"):
			n.op = opNotIn
			return n, ps.list(n, t.raw+" "+u.raw)
		case u.is("contains"):
			n.op = opNotContains
			v, err := ps.value(t.raw + " " + u.raw)
			n.values = []string{v}
			return n, err
		}
		return nil, ps.errf(u.pos, `"not" after the field %q must be followed by "in" or "contains"; found %s`, field, u.describe())
	case t.is("in"):
		n.op = opIn
		return n, ps.list(n, t.raw)
	case t.is("contains"):
		n.op = opContains
		v, err := ps.value(t.raw)
		n.values = []string{v}
		return n, err
	default:
		return nil, ps.errf(t.pos, `a comparison such as "=", ">=", "in", "contains" or "is empty" is missing after the field %q; found %s`, field, t.describe())
	}
	return n, nil
}

// field reads a field name: bare words, or a name in double quotes or
// brackets.
func (ps *ruleParser) field() (string, error) {
	t := ps.peek()
	switch {
	case t.kind == tokBracket || (t.kind == tokString && t.quote == '"'):
		ps.next()
		name := strings.TrimSpace(t.text)
		if name == "" {
			return "", ps.errf(t.pos, "the field name %s is empty", t.describe())
		}
		return name, nil
	case t.kind == tokString:
		return "", ps.errf(t.pos, `a field name is expected, not the text %s; write field names bare, in "double quotes" or in [brackets]`, t.describe())
	case t.kind == tokWord && !isRuleKeyword(t.text):
		var words []string
		for u := ps.peek(); u.kind == tokWord && !isRuleKeyword(u.text); u = ps.peek() {
			if !fieldWordOK(u.text, len(words) == 0) {
				return "", ps.errf(u.pos, `%s cannot be part of a bare field name (letters, digits, "_", "." and "-", starting with a letter); put the name in [brackets]`, u.describe())
			}
			words = append(words, u.text)
			ps.next()
		}
		return strings.Join(words, " "), nil
	case t.kind == tokEOF:
		return "", ps.errf(t.pos, "a field name is missing at the end of the rule")
	}
	return "", ps.errf(t.pos, "a field name is expected; found %s", t.describe())
}

// value reads one value after the text after (an operator, "in (", ...).
func (ps *ruleParser) value(after string) (string, error) {
	t := ps.peek()
	var v string
	switch {
	case t.kind == tokString:
		ps.next()
		v = t.text
	case t.kind == tokWord && !isRuleKeyword(t.text):
		var words []string
		for u := ps.peek(); u.kind == tokWord && !isRuleKeyword(u.text); u = ps.peek() {
			words = append(words, u.text)
			ps.next()
		}
		v = strings.Join(words, " ")
	case t.kind == tokWord:
		return "", ps.errf(t.pos, "a value is missing after %q; found the keyword %s (put a value that is a keyword in 'quotes')", after, t.describe())
	case t.kind == tokEOF:
		return "", ps.errf(t.pos, "a value is missing after %q", after)
	default:
		return "", ps.errf(t.pos, "a value is missing after %q; found %s", after, t.describe())
	}
	if strings.TrimSpace(v) == "" {
		return "", ps.errf(t.pos, `the value after %q is empty; write "is empty" to select accounts with no value`, after)
	}
	return v, nil
}

// list reads "(" value { "," value } ")" into n.values.
func (ps *ruleParser) list(n *ruleNode, after string) error {
	t := ps.next()
	if t.kind != tokLParen {
		return ps.errf(t.pos, "%q needs a list of values in parentheses, e.g. Industry in (Software, Fintech); found %s", after, t.describe())
	}
	prev := "("
	for {
		v, err := ps.value(prev)
		if err != nil {
			return err
		}
		n.values = append(n.values, v)
		switch u := ps.next(); u.kind {
		case tokComma:
			prev = ","
		case tokRParen:
			return nil
		default:
			return ps.errf(u.pos, `"," or ")" is expected in the list after %q; found %s`, after, u.describe())
		}
	}
}

// parseNum reads s as a plain decimal number: an optional sign, digits with
// at most one ".", an optional exponent ("1e6", "-3", ".5", "2.")—the numbers
// strconv.ParseFloat reads in base 10, without "Inf", "NaN", hexadecimal or
// underscores. Surrounding white space is allowed. It is checked before
// strconv.ParseFloat is called so that text that is not a number costs no
// allocation. Values beyond ±math.MaxFloat64 are refused.
func parseNum(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(s) || len(s) > 400 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// fieldKind says which account field a rule's field name is bound to.
type fieldKind uint8

const (
	fieldName fieldKind = iota
	fieldExternalID
	fieldAddress
	fieldCity
	fieldState
	fieldPostal
	fieldSegment
	fieldOwner
	fieldPotential
	fieldUnit
	fieldMatch
	fieldCustom // Plan.CustomFields[index]
)

// builtinFields are the account fields every plan has, in the order
// RuleFields lists them, with the other names rules may use for them.
var builtinFields = []struct {
	name    string
	kind    fieldKind
	aliases []string
}{
	{"Name", fieldName, nil},
	{"External ID", fieldExternalID, nil},
	{"Address", fieldAddress, nil},
	{"City", fieldCity, nil},
	{"State", fieldState, nil},
	{"Postal code", fieldPostal, []string{"ZIP"}},
	{"Segment", fieldSegment, nil},
	{"Owner", fieldOwner, nil},
	{"Potential", fieldPotential, nil},
	{"Unit", fieldUnit, nil},
	{"Match", fieldMatch, nil},
}

// fieldRef is a field name bound to a plan's account field.
type fieldRef struct {
	kind  fieldKind
	index int // fieldCustom: index into Plan.CustomFields and Account.Fields
}

// RuleFields returns the names of the fields rules may use on plan p, in
// the order a field picker shows them: "Name", "External ID", "Address",
// "City", "State", "Postal code", the segment field (p.SegmentName, e.g.
// "Type", or "Segment" when that is not set), "Owner", the potential (
// p.PotentialName, e.g. "Beds", or "Potential"), "Unit" (the code of the
// account's geography unit), "Match" (how it was located: "exact point",
// "postal code", "city" or "none"), then every custom field in
// p.CustomFields order.
//
// Rules match names case-insensitively, ignoring everything but letters
// and digits (so "postal_code" and "POSTAL CODE" name the same field), and
// also accept the aliases "ZIP" for "Postal code", "Segment" for the
// segment field and "Potential" for the potential. A custom field whose
// name is spelled exactly as written in the rule wins; otherwise the
// built-in fields and their aliases come first, then custom fields by the
// loose match. For example, with SegmentName "Type" and a custom field
// "TYPE", the rule's "TYPE" is the custom field and "Type" or "type" is
// Account.Segment (the importer resolves POPULATION the same way). When a
// custom field is called exactly p.SegmentName (or p.PotentialName), the
// list shows the built-in as "Segment" (or "Potential") so no name is
// listed twice.
func (p *Plan) RuleFields() []string {
	out := make([]string, 0, len(builtinFields)+len(p.CustomFields))
	for _, b := range builtinFields {
		name := b.name
		switch b.kind {
		case fieldSegment:
			name = p.builtinDisplay(p.SegmentName, name)
		case fieldPotential:
			name = p.builtinDisplay(p.PotentialName, name)
		}
		out = append(out, name)
	}
	for _, c := range p.CustomFields {
		out = append(out, c.Name)
	}
	return out
}

// builtinDisplay returns the plan's own name for a built-in field (own),
// or def when own is not set or a custom field is spelled exactly so.
func (p *Plan) builtinDisplay(own, def string) string {
	own = strings.TrimSpace(own)
	if own == "" {
		return def
	}
	for _, c := range p.CustomFields {
		if c.Name == own {
			return def
		}
	}
	return own
}

// resolveField binds a field name of a rule to a field of p (see
// [Plan.RuleFields] for the order of precedence).
func (p *Plan) resolveField(name string) (fieldRef, bool) {
	for i, c := range p.CustomFields {
		if c.Name == name {
			return fieldRef{fieldCustom, i}, true
		}
	}
	n := normHeader(name)
	if n == "" {
		return fieldRef{}, false
	}
	for _, b := range builtinFields {
		match := normHeader(b.name) == n
		for _, a := range b.aliases {
			match = match || normHeader(a) == n
		}
		switch b.kind {
		case fieldSegment:
			match = match || normHeader(p.SegmentName) == n
		case fieldPotential:
			match = match || normHeader(p.PotentialName) == n
		}
		if match {
			return fieldRef{kind: b.kind}, true
		}
	}
	for i, c := range p.CustomFields {
		if normHeader(c.Name) == n {
			return fieldRef{fieldCustom, i}, true
		}
	}
	return fieldRef{}, false
}

// text returns the field's text for account a ("" when empty). Potential
// has no text here; callers handle it as a number.
func (f fieldRef) text(a *Account) string {
	switch f.kind {
	case fieldName:
		return a.Name
	case fieldExternalID:
		return a.ExternalID
	case fieldAddress:
		return a.Address
	case fieldCity:
		return a.City
	case fieldState:
		return a.State
	case fieldPostal:
		return a.ZIP
	case fieldSegment:
		return a.Segment
	case fieldOwner:
		return a.Owner
	case fieldUnit:
		return a.UnitCode
	case fieldMatch:
		return a.Match.String()
	case fieldCustom:
		if f.index < len(a.Fields) {
			return a.Fields[f.index]
		}
	}
	return ""
}

// ruleValue is a rule's value prepared once for evaluation.
type ruleValue struct {
	text  string  // trimmed, except for contains, which looks for the value as written
	lower []byte  // text in lower case, for comparing with a potential written out
	num   float64 // meaningful when isNum
	isNum bool
}

// compiled is a rule bound to a plan: fields resolved, values parsed.
type compiled struct {
	kind   ruleKind
	kids   []compiled
	field  fieldRef
	op     ruleOp // opEq, opLt, opLe, opGt, opGe, opIn, opContains or opEmpty
	neg    bool   // the test is negated (!=, not in, not contains, is not empty)
	vals   []ruleValue
	anyNum bool // some value is a number
}

// compile binds r to p's fields. The error message says which field is
// unknown and lists the plan's fields; it starts in lower case ("the rule
// names ...") for the caller to prefix.
func (p *Plan) compile(r *Rule) (compiled, error) {
	if r == nil || r.root == nil {
		return compiled{kind: ruleAnd}, nil // and of nothing: true
	}
	return p.compileNode(r.root)
}

func (p *Plan) compileNode(n *ruleNode) (compiled, error) {
	c := compiled{kind: n.kind}
	if n.kind != ruleCmp {
		c.kids = make([]compiled, len(n.kids))
		for i, k := range n.kids {
			var err error
			if c.kids[i], err = p.compileNode(k); err != nil {
				return compiled{}, err
			}
		}
		return c, nil
	}
	f, ok := p.resolveField(n.field)
	if !ok {
		return compiled{}, Errorf(EINVALID, "the rule names %q, which is not a field of this plan; fields: %s",
			n.field, strings.Join(p.RuleFields(), ", "))
	}
	c.field, c.op = f, n.op
	switch n.op {
	case opNe:
		c.op, c.neg = opEq, true
	case opNotIn:
		c.op, c.neg = opIn, true
	case opNotContains:
		c.op, c.neg = opContains, true
	case opNotEmpty:
		c.op, c.neg = opEmpty, true
	}
	for _, v := range n.values {
		rv := ruleValue{text: v}
		if c.op != opContains {
			rv.text = strings.TrimSpace(v)
		}
		rv.lower = []byte(strings.ToLower(rv.text))
		rv.num, rv.isNum = parseNum(rv.text)
		c.anyNum = c.anyNum || rv.isNum
		c.vals = append(c.vals, rv)
	}
	return c, nil
}

// eval reports whether account a satisfies the compiled rule. It does not
// allocate.
func (c *compiled) eval(a *Account) bool {
	switch c.kind {
	case ruleAnd:
		for i := range c.kids {
			if !c.kids[i].eval(a) {
				return false
			}
		}
		return true
	case ruleOr:
		for i := range c.kids {
			if c.kids[i].eval(a) {
				return true
			}
		}
		return false
	case ruleNot:
		return !c.kids[0].eval(a)
	}
	if c.field.kind == fieldPotential {
		return c.testPotential(a.Potential) != c.neg
	}
	return c.testText(strings.TrimSpace(c.field.text(a))) != c.neg
}

// testText tests a text field's trimmed value s against the comparison
// (without its negation).
func (c *compiled) testText(s string) bool {
	if s == "" {
		return c.op == opEmpty
	}
	switch c.op {
	case opEmpty:
		return false
	case opContains:
		return containsFold(s, c.vals[0].text)
	case opEq, opIn:
		var n float64
		var isNum bool
		if c.anyNum {
			n, isNum = parseNum(s)
		}
		for i := range c.vals {
			v := &c.vals[i]
			if v.isNum {
				if isNum && n == v.num {
					return true
				}
			} else if strings.EqualFold(s, v.text) {
				return true
			}
		}
		return false
	}
	v := &c.vals[0]
	if v.isNum {
		if n, ok := parseNum(s); ok {
			return orderHolds(c.op, cmpFloat(n, v.num))
		}
	}
	return orderHolds(c.op, compareFold(s, v.text))
}

// testPotential tests a potential against the comparison (without its
// negation). Text comparisons see the potential written in plain decimal
// ("1200", "12.5").
func (c *compiled) testPotential(m Measure) bool {
	if !m.Known || math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		return c.op == opEmpty
	}
	switch c.op {
	case opEmpty:
		return false
	case opEq, opIn:
		// A potential's text is a number, so only numeric values can
		// equal it.
		for i := range c.vals {
			if c.vals[i].isNum && c.vals[i].num == m.Value {
				return true
			}
		}
		return false
	}
	v := &c.vals[0]
	if c.op != opContains && v.isNum {
		return orderHolds(c.op, cmpFloat(m.Value, v.num))
	}
	var buf [64]byte
	// The text has only digits, "-" and ".", which have no case: a byte
	// comparison with the value in lower case is the case-insensitive one.
	s := strconv.AppendFloat(buf[:0], m.Value, 'f', -1, 64)
	if c.op == opContains {
		return bytes.Contains(s, v.lower)
	}
	return orderHolds(c.op, bytes.Compare(s, v.lower))
}

func orderHolds(op ruleOp, cmp int) bool {
	switch op {
	case opLt:
		return cmp < 0
	case opLe:
		return cmp <= 0
	case opGt:
		return cmp > 0
	default: // opGe
		return cmp >= 0
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareFold compares a and b rune by rune in lower case (unicode.ToLower),
// like strings.Compare(strings.ToLower(a), strings.ToLower(b)) without
// allocating.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		var ra, rb rune
		if a[0] < utf8.RuneSelf {
			ra, a = rune(a[0]), a[1:]
		} else {
			r, size := utf8.DecodeRuneInString(a)
			ra, a = r, a[size:]
		}
		if b[0] < utf8.RuneSelf {
			rb, b = rune(b[0]), b[1:]
		} else {
			r, size := utf8.DecodeRuneInString(b)
			rb, b = r, b[size:]
		}
		if ra != rb {
			ra, rb = unicode.ToLower(ra), unicode.ToLower(rb)
			if ra != rb {
				return cmpRune(ra, rb)
			}
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func cmpRune(a, b rune) int {
	if a < b {
		return -1
	}
	return 1
}

// containsFold reports whether sub occurs in s under Unicode simple case
// folding (the equality of strings.EqualFold), without allocating.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	if isASCII(s) && isASCII(sub) {
		n := len(sub)
		for i := 0; i+n <= len(s); i++ {
			if asciiEqualFold(s[i:i+n], sub) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(s); {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// hasPrefixFold reports whether s starts with prefix under simple case
// folding.
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		s, prefix = s[n1:], prefix[n2:]
		if !runeEqualFold(r1, r2) {
			return false
		}
	}
	return true
}

// runeEqualFold reports whether r1 and r2 are equal under simple case
// folding, as strings.EqualFold compares runes.
func runeEqualFold(r1, r2 rune) bool {
	if r1 == r2 {
		return true
	}
	if r2 < r1 {
		r1, r2 = r2, r1
	}
	r := unicode.SimpleFold(r1)
	for r != r1 && r < r2 {
		r = unicode.SimpleFold(r)
	}
	return r == r2
}

// MatchRule evaluates rule r on every account of p: out[i] says whether
// p.Accounts[i] satisfies it. A nil rule matches every account.
//
// Meaning of a comparison, for an account's value v of the field:
//   - Text is compared case-insensitively after trimming surrounding white
//     space; "contains" is a case-insensitive substring test.
//   - When v and the rule's value both read as plain decimal numbers (see
//     parseNum: "200", "-3.5", "1e6"; not "1,200" or "$5"), =, !=, <, <=,
//     >, >= and in compare them as numbers, so Beds >= 200 and
//     ZIP = 2134 (for "02134") work; otherwise they compare text, in the
//     order of the lower-cased characters.
//   - The potential (Potential, or the plan's PotentialName) is a number;
//     its text, for contains or a comparison with text, is the number in
//     plain decimal ("1200").
//   - An empty value (a custom field's "", an unknown potential, an account
//     with no unit) satisfies no =, <, <=, >, >=, in or contains; it
//     satisfies "is empty", and != , "not in" and "not contains", which
//     are the negations of =, in and contains. "not" negates likewise, so
//     "not Beds >= 200" includes the accounts with unknown beds.
//
// Fields are bound once; the loop over accounts does not allocate. The
// error is an *Error with code EINVALID when r names a field p does not have
// (see [Plan.RuleFields]); its message lists p's fields.
func (p *Plan) MatchRule(r *Rule) ([]bool, error) {
	c, err := p.compile(r)
	if err != nil {
		e := ErrorMessage(err)
		return nil, Errorf(EINVALID, "%s%s", strings.ToUpper(e[:1]), e[1:])
	}
	out := make([]bool, len(p.Accounts))
	for i := range p.Accounts {
		out[i] = c.eval(&p.Accounts[i])
	}
	return out, nil
}
