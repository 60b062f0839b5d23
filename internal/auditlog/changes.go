package auditlog

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Change is one field of an entry's before and after, as text. HadBefore and
// HasAfter say on which side the field exists: a create has only after, a
// delete only before.
type Change struct {
	Key                 string
	Before, After       string
	HadBefore, HasAfter bool
	Same                bool // both sides exist and are equal
}

// Summary is the compact form of a change for one table cell: the first few
// changed fields, shortened, and how many more there are.
type Summary struct {
	Items []Change
	More  int
}

// noise is left out of summaries: it changes with every write and says
// nothing an auditor looks for (the detail page still shows it).
var noise = map[string]bool{"id": true, "updated_at": true, "created_at": true, "version": true}

// summarize lists the changed fields of before → after, at most limit of
// them, each value cut to width characters. Fields that are empty on the
// only side they exist on (a create's zero values) are left out too.
func summarize(before, after string, limit, width int) Summary {
	var s Summary
	for _, c := range diff(before, after) {
		if c.Same || noise[c.Key] || oneSidedZero(c) {
			continue
		}
		if len(s.Items) == limit {
			s.More++
			continue
		}
		c.Before, c.After = shorten(c.Before, width), shorten(c.After, width)
		s.Items = append(s.Items, c)
	}
	return s
}

// oneSidedZero is a field that only one side has, with a zero value (the
// empty fields of a created or deleted record), or its division, which the
// table shows in a column of its own.
func oneSidedZero(c Change) bool {
	if c.HadBefore == c.HasAfter {
		return false
	}
	switch c.Before + c.After {
	case "", "0", "false", "0001-01-01", "0001-01-01T00:00:00Z": // Go's zero time, for dates
		return true
	}
	return c.Key == "division_id"
}

// diff pairs the fields of two JSON objects in the order they were written
// (after's fields, then those only before had). A side that is not a JSON
// object (a bare value, or text) becomes one field with an empty key.
func diff(before, after string) []Change {
	bf, bok := fields(before)
	af, aok := fields(after)
	if !bok || !aok {
		c := Change{Before: valueText(json.RawMessage(before)), After: valueText(json.RawMessage(after)),
			HadBefore: before != "", HasAfter: after != ""}
		c.Same = c.HadBefore && c.HasAfter && before == after
		return []Change{c}
	}
	old := make(map[string]json.RawMessage, len(bf))
	for _, f := range bf {
		old[f.key] = f.val
	}
	out := make([]Change, 0, len(af)+len(bf))
	seen := make(map[string]bool, len(af))
	for _, f := range af {
		seen[f.key] = true
		c := Change{Key: f.key, After: valueText(f.val), HasAfter: true}
		if b, ok := old[f.key]; ok {
			c.Before, c.HadBefore = valueText(b), true
			c.Same = bytes.Equal(compact(b), compact(f.val))
		}
		out = append(out, c)
	}
	for _, f := range bf {
		if !seen[f.key] {
			out = append(out, Change{Key: f.key, Before: valueText(f.val), HadBefore: true})
		}
	}
	return out
}

type field struct {
	key string
	val json.RawMessage
}

// fields reads a JSON object keeping its order; "" is an object with no
// fields (no before, or no after). ok is false for anything else.
func fields(s string) ([]field, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	dec := json.NewDecoder(strings.NewReader(s))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var out []field
	for dec.More() {
		t, err := dec.Token()
		key, isKey := t.(string)
		if err != nil || !isKey {
			return nil, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		out = append(out, field{key, v})
	}
	return out, true
}

// valueText shows a JSON value as a person reads it: strings without quotes,
// lists of plain values joined by commas, null and "" as nothing, objects as
// compact JSON. Text that is not JSON is shown as it is.
func valueText(v json.RawMessage) string {
	if len(bytes.TrimSpace(v)) == 0 {
		return ""
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return string(v)
	}
	switch t := x.(type) {
	case nil:
		return ""
	case string:
		return t
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if _, nested := e.(map[string]any); nested {
				return string(compact(v))
			}
			if _, nested := e.([]any); nested {
				return string(compact(v))
			}
			b, _ := json.Marshal(e)
			parts = append(parts, valueText(b))
		}
		return strings.Join(parts, ", ")
	case bool, float64:
		return string(compact(v))
	}
	if s := string(compact(v)); s != "{}" {
		return s
	}
	return ""
}

func compact(v json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		return v
	}
	return b.Bytes()
}

// shorten cuts s to at most n characters, marking the cut with "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
