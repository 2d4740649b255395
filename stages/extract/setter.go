package extract

import (
	"reflect"
	"strconv"
	"strings"
	"time"
)

// setter converts s and stores it in v.
type setter func(v reflect.Value, s string) error

func isInt(k reflect.Kind) bool  { return k >= reflect.Int && k <= reflect.Int64 }
func isUint(k reflect.Kind) bool { return k >= reflect.Uint && k <= reflect.Uintptr }

// newSetter returns the setter for a scalar type; layout is the time.Time
// layout (RFC 3339 when empty).
func newSetter(t reflect.Type, path, layout string) (setter, error) {
	if t == timeType {
		return timeSetter(layout), nil
	}
	if layout != "" {
		return nil, &SpecError{Field: path, Msg: "layout tag on a non-time field"}
	}
	k := t.Kind()
	switch {
	case k == reflect.String:
		return func(v reflect.Value, s string) error { v.SetString(s); return nil }, nil
	case k == reflect.Bool:
		return func(v reflect.Value, s string) error {
			b, err := parseBool(s)
			v.SetBool(b)
			return err
		}, nil
	case isInt(k):
		return func(v reflect.Value, s string) error {
			n, err := strconv.ParseInt(strings.TrimSpace(s), 10, t.Bits())
			v.SetInt(n)
			return err
		}, nil
	case isUint(k):
		return func(v reflect.Value, s string) error {
			n, err := strconv.ParseUint(strings.TrimSpace(s), 10, t.Bits())
			v.SetUint(n)
			return err
		}, nil
	case k == reflect.Float32 || k == reflect.Float64:
		return func(v reflect.Value, s string) error {
			n, err := strconv.ParseFloat(strings.TrimSpace(s), t.Bits())
			v.SetFloat(n)
			return err
		}, nil
	}
	return nil, &SpecError{Field: path, Msg: "unsupported field type " + t.String() +
		" (want string, bool, integer, float, time.Time, a slice of those, or a struct)"}
}

// timeSetter parses time.Time values with layout (RFC 3339 when empty).
func timeSetter(layout string) setter {
	if layout == "" {
		layout = time.RFC3339
	}
	return func(v reflect.Value, s string) error {
		tm, err := time.Parse(layout, strings.TrimSpace(s))
		if err == nil {
			v.Set(reflect.ValueOf(tm))
		}
		return err
	}
}
