package sqlite

import (
	"encoding/json"
	"errors"
	"unicode/utf8"

	"github.com/meridianplan/meridian/planner"
)

// customFieldJSON is one element of plan.custom_fields (migration 0004).
type customFieldJSON struct {
	Name    string `json:"name"`
	Numeric bool   `json:"numeric"`
}

// encodeCustomFields returns the JSON array stored in plan.custom_fields.
func encodeCustomFields(fs []planner.CustomField) string {
	js := make([]customFieldJSON, len(fs))
	for i, f := range fs {
		js[i] = customFieldJSON(f)
	}
	b, _ := json.Marshal(js) // strings and bools: cannot fail
	return string(b)
}

// decodeCustomFields reads plan.custom_fields; an empty array is nil.
func decodeCustomFields(s string) ([]planner.CustomField, error) {
	var js []customFieldJSON
	if err := json.Unmarshal([]byte(s), &js); err != nil {
		return nil, err
	}
	if js == nil && s != "[]" {
		return nil, errors.New("not a JSON array")
	}
	if len(js) == 0 {
		return nil, nil
	}
	fs := make([]planner.CustomField, len(js))
	for i, f := range js {
		fs[i] = planner.CustomField(f)
	}
	return fs, nil
}

// encodeFields appends the JSON array of strings vs to buf (account.fields).
// It is hand-written because it runs once per account: a million accounts
// are written in one Replace. Invalid UTF-8 becomes U+FFFD, as with
// encoding/json.
func encodeFields(buf []byte, vs []string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '[')
	for i, v := range vs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		for j := 0; j < len(v); {
			c := v[j]
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(v[j:])
				if r == utf8.RuneError && n == 1 {
					buf = append(buf, `\ufffd`...)
				} else {
					buf = append(buf, v[j:j+n]...)
				}
				j += n
				continue
			}
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				buf = append(buf, c)
			}
			j++
		}
		buf = append(buf, '"')
	}
	return append(buf, ']')
}

// decodeFields reads account.fields, a JSON array of strings. An empty array
// is a non-nil empty slice (the plan has no custom field).
func decodeFields(b []byte) ([]string, error) {
	var vs []string
	if err := json.Unmarshal(b, &vs); err != nil {
		return nil, err
	}
	if vs == nil {
		return nil, errors.New("not a JSON array")
	}
	return vs, nil
}
