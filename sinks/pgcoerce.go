package sinks

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// coerceAll converts every value in place to what pgx encodes into its
// column's type.
func coerceAll(cols []column, vals [][]any) error {
	for _, v := range vals {
		for i, x := range v {
			if x == nil || fits(x, cols[i].kind) {
				continue
			}
			y, err := coerce(x, cols[i].kind)
			if err != nil {
				return &ValueError{Column: cols[i].name, Err: err}
			}
			v[i] = y
		}
	}
	return nil
}

// fits reports whether v goes into a column of kind k as it is; checking
// first keeps the common case from re-boxing the value.
func fits(v any, k colKind) bool {
	switch v.(type) {
	case string:
		return k == kindText
	case int64:
		return k == kindInt
	case float64:
		return k == kindFloat
	case bool:
		return k == kindBool
	case time.Time:
		return k == kindTime
	}
	return false
}

func coerce(v any, k colKind) (any, error) {
	switch k {
	case kindInt:
		return toInt(v)
	case kindFloat:
		return toFloat(v)
	case kindText:
		return toText(v), nil
	case kindJSON:
		if j, ok := v.(json.RawMessage); ok {
			return []byte(j), nil
		}
		return json.Marshal(v)
	case kindBool:
		if s, ok := v.(string); ok {
			return strconv.ParseBool(s)
		}
	case kindTime:
		if s, ok := v.(string); ok {
			return time.Parse(time.RFC3339Nano, s)
		}
	}
	if j, ok := v.(json.RawMessage); ok {
		return string(j), nil
	}
	return v, nil
}

func toInt(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		if x == float64(int64(x)) {
			return int64(x), nil
		}
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return nil, fmt.Errorf("cannot store %T in an integer column", v)
}

func toFloat(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case string:
		return strconv.ParseFloat(x, 64)
	}
	return nil, fmt.Errorf("cannot store %T in a float column", v)
}

// toText renders a value for a TEXT column.
func toText(v any) any {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case json.RawMessage:
		return string(x)
	}
	return fmt.Sprint(v)
}
