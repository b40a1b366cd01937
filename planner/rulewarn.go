package planner

import (
	"fmt"
	"strings"
)

// RuleWarnings returns what looks wrong, though legal, in rule r on plan
// p, one sentence each, in the rule's order: a numeric field (the
// potential, or a custom field marked Numeric) compared with a value that
// is not a number (Beds > abc matches nothing), and a field of words
// (name, address, city, state, segment, owner, match) compared by order
// with a number (Type > 5 compares text, so "GENERAL" > "5"). Fields p does not have are left to
// [Plan.MatchRule]'s error. Nil when nothing looks wrong.
func (p *Plan) RuleWarnings(r *Rule) []string {
	if r == nil || r.root == nil {
		return nil
	}
	var out []string
	var walk func(n *ruleNode)
	walk = func(n *ruleNode) {
		if n.kind != ruleCmp {
			for _, k := range n.kids {
				walk(k)
			}
			return
		}
		f, ok := p.resolveField(n.field)
		if !ok {
			return
		}
		numeric := f.kind == fieldPotential || (f.kind == fieldCustom && p.CustomFields[f.index].Numeric)
		// Text fields whose values are words, not numbers written as text
		// (postal codes and custom fields compare as numbers where both
		// sides read as numbers).
		text := f.kind != fieldPotential && f.kind != fieldPostal && f.kind != fieldUnit && f.kind != fieldCustom
		switch n.op {
		case opEq, opNe, opLt, opLe, opGt, opGe, opIn, opNotIn:
			for _, v := range n.values {
				_, isNum := parseNum(v)
				switch {
				case numeric && !isNum:
					out = append(out, fmt.Sprintf("%s holds numbers, and %q is not one: %s %s %s matches no account with a value", n.field, v, n.field, opText[n.op], quoteRuleValue(v)))
				case text && isNum && n.op >= opLt && n.op <= opGe:
					out = append(out, fmt.Sprintf("%s holds text: %s %s %s compares text with text, not numbers", n.field, n.field, opText[n.op], v))
				}
			}
		}
	}
	walk(r.root)
	return out
}

// quoteRuleValue writes v as the rule's canonical text does.
func quoteRuleValue(v string) string {
	var b strings.Builder
	writeRuleValue(&b, v)
	return b.String()
}
