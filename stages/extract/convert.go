package extract

import (
	"fmt"
	"strconv"
	"strings"
)

// checkType validates a spec type; empty means string.
func checkType(field string, t Type) (Type, error) {
	switch t {
	case "":
		return TypeString, nil
	case TypeString, TypeInt, TypeFloat, TypeBool:
		return t, nil
	}
	if isTimeType(t) {
		return t, checkTimeType(field, t)
	}
	return t, &SpecError{Field: field, Msg: fmt.Sprintf("unknown type %q (want string, int, float, bool, time or time:LAYOUT)", string(t))}
}

// convert turns s into a value of type t.
func convert(s string, t Type) (any, error) {
	switch t {
	case TypeInt:
		return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	case TypeFloat:
		return strconv.ParseFloat(strings.TrimSpace(s), 64)
	case TypeBool:
		return parseBool(s)
	}
	if isTimeType(t) {
		return parseTime(s, t)
	}
	return s, nil
}

// zero is the value of a missing field of type t without a default.
func zero(t Type, all bool) any {
	switch {
	case all && t == TypeString:
		return []string(nil)
	case all:
		return []any(nil)
	case t == TypeInt:
		return int64(0)
	case t == TypeFloat:
		return float64(0)
	case t == TypeBool:
		return false
	case isTimeType(t):
		return nil
	}
	return ""
}

// parseBool accepts what strconv.ParseBool does plus yes/no and on/off, in
// any case.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "yes", "y", "on":
		return true, nil
	case "0", "f", "false", "no", "n", "off":
		return false, nil
	}
	return false, fmt.Errorf("extract: %q is not a boolean", s)
}
