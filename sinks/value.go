package sinks

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// ValueError reports a value a sink cannot store: a field with no name, a
// value encoding/json cannot encode (a channel, a func), or invalid JSON
// in a json.RawMessage. Sinks return it marked with pipeline.Skip, so the
// engine dead-letters the item and the run goes on.
type ValueError struct {
	// Column is the field or column the value belongs to.
	Column string
	// Err is the underlying error.
	Err error
}

// Error names the field and the cause.
func (e *ValueError) Error() string {
	return fmt.Sprintf("sinks: field %q: %v", e.Column, e.Err)
}

// Unwrap returns the cause.
func (e *ValueError) Unwrap() error { return e.Err }

// normalize maps a Go value onto the small set every sink can store:
// nil, string, int64, float64 (finite), bool, time.Time and
// json.RawMessage (everything else: slices, maps, structs, big numbers).
// NaN and ±Inf, which JSON and most databases cannot hold, become nil.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, int64, bool:
		return v, nil
	case float64:
		return finite(x), nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case float32:
		return finite(float64(x)), nil
	case time.Time:
		return x, nil
	case json.RawMessage:
		var buf bytes.Buffer
		if err := json.Compact(&buf, x); err != nil {
			return nil, fmt.Errorf("json.RawMessage: %w", err)
		}
		return json.RawMessage(buf.Bytes()), nil
	case json.Marshaler:
		return marshalJSON(v)
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	return normalizeReflect(reflect.ValueOf(v))
}

func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

// normalizeReflect handles named scalar types and composite values.
func normalizeReflect(rv reflect.Value) (any, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		return normalize(rv.Elem().Interface())
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return strconv.FormatUint(u, 10), nil
		}
		return int64(u), nil
	case reflect.Float32, reflect.Float64:
		return finite(rv.Float()), nil
	case reflect.Slice, reflect.Map:
		if rv.IsNil() {
			return nil, nil
		}
	}
	return marshalJSON(rv.Interface())
}

func marshalJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(b), nil
}
