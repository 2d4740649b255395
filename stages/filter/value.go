package filter

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// number converts numbers of any Go type, and strings holding one, to
// float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float32:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f, err == nil
	}
	return 0, false
}

// isOperand reports whether v can be the operand of == and !=.
func isOperand(v any) bool {
	if v == nil {
		return true
	}
	switch v.(type) {
	case string, bool:
		return true
	}
	_, ok := number(v)
	return ok
}

// equal compares a field value with the operand: numerically when the
// operand is a number, as a bool when it is a bool, as text otherwise.
func (p *predicate) equal(v any) bool {
	switch want := p.want.(type) {
	case nil:
		return v == nil
	case bool:
		b, ok := v.(bool)
		if s, isStr := v.(string); isStr {
			parsed, err := strconv.ParseBool(strings.TrimSpace(s))
			b, ok = parsed, err == nil
		}
		return ok && b == want
	case string:
		return text(v) == want
	}
	n, ok := number(v)
	return ok && n == p.num
}

// text is the string form of a field value.
func text(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// nonEmpty reports whether v has content: not nil, not blank text, not an
// empty list or map.
func nonEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(x) != ""
	case []string:
		return len(x) > 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// matches applies re to v's text, or to each element of a list.
func matches(re *regexp.Regexp, v any) bool {
	switch x := v.(type) {
	case []string:
		for _, s := range x {
			if re.MatchString(s) {
				return true
			}
		}
		return false
	case []any:
		for _, e := range x {
			if re.MatchString(text(e)) {
				return true
			}
		}
		return false
	case nil:
		return false
	}
	return re.MatchString(text(v))
}
