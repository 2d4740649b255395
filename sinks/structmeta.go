package sinks

import (
	"fmt"
	"reflect"
	"strings"
)

// structMeta is the column layout of a struct type, computed once.
//
// Column names come from a `sluice:"name"` tag, else the name in the json
// tag, else the Go field name. `sluice:"-"` (or `json:"-"`) leaves a field
// out. The key column is the field tagged `sluice:"name,key"`, else a
// string field named Key. Fields of embedded structs are promoted.
type structMeta struct {
	typ    reflect.Type
	cols   []string
	index  [][]int
	fast   []fastKind // per column: how to read it without normalize
	keyCol int
}

// fastKind marks the field types read directly, without boxing them first.
type fastKind uint8

const (
	slowField fastKind = iota
	stringField
	intField // int or int64
	floatField
	boolField
)

func fastKindOf(t reflect.Type) fastKind {
	switch t {
	case reflect.TypeFor[string]():
		return stringField
	case reflect.TypeFor[int](), reflect.TypeFor[int64]():
		return intField
	case reflect.TypeFor[float64]():
		return floatField
	case reflect.TypeFor[bool]():
		return boolField
	}
	return slowField
}

func newStructMeta(t reflect.Type) (*structMeta, error) {
	m := &structMeta{typ: t, keyCol: -1}
	seen := map[string]bool{}
	goKey := -1
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("sluice") == "") {
			continue
		}
		name, isKey, skip := fieldName(f)
		if skip {
			continue
		}
		low := strings.ToLower(name)
		if seen[low] {
			return nil, fmt.Errorf("sinks: %s: two fields map to column %q", t, name)
		}
		seen[low] = true
		if isKey {
			m.keyCol = len(m.cols)
		}
		if f.Name == "Key" && f.Type.Kind() == reflect.String {
			goKey = len(m.cols)
		}
		m.cols = append(m.cols, name)
		m.index = append(m.index, f.Index)
		m.fast = append(m.fast, fastKindOf(f.Type))
	}
	if len(m.cols) == 0 {
		return nil, fmt.Errorf("sinks: %s has no exported fields", t)
	}
	if m.keyCol < 0 {
		m.keyCol = goKey
	}
	return m, nil
}

// fieldName applies the naming rules to one struct field.
func fieldName(f reflect.StructField) (name string, isKey, skip bool) {
	if tag, ok := f.Tag.Lookup("sluice"); ok {
		n, opts, _ := strings.Cut(tag, ",")
		if n == "-" && opts == "" {
			return "", false, true
		}
		for _, o := range strings.Split(opts, ",") {
			isKey = isKey || o == "key"
		}
		if n != "" {
			return n, isKey, false
		}
	}
	if tag, ok := f.Tag.Lookup("json"); ok {
		n, _, _ := strings.Cut(tag, ",")
		if n == "-" {
			return "", false, true
		}
		if n != "" {
			return n, isKey, false
		}
	}
	return f.Name, isKey, false
}

// row fills r from the struct value rv.
func (m *structMeta) row(rv reflect.Value, r *row) error {
	r.cols = m.cols
	r.vals = make([]any, len(m.cols))
	r.keyCol = m.keyCol
	for i, idx := range m.index {
		var fv reflect.Value
		if len(idx) == 1 {
			fv = rv.Field(idx[0])
		} else if v, err := rv.FieldByIndexErr(idx); err == nil {
			fv = v
		} else { // nil embedded pointer: the field is absent
			continue
		}
		switch m.fast[i] {
		case stringField:
			r.vals[i] = fv.String()
		case intField:
			r.vals[i] = fv.Int()
		case floatField:
			r.vals[i] = finite(fv.Float())
		case boolField:
			r.vals[i] = fv.Bool()
		default:
			v, err := normalize(fv.Interface())
			if err != nil {
				return &ValueError{Column: m.cols[i], Err: err}
			}
			r.vals[i] = v
		}
	}
	r.key = ""
	if m.keyCol >= 0 {
		r.key = keyString(r.vals[m.keyCol])
	}
	return nil
}
