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
	keyCol int
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
		fv, err := rv.FieldByIndexErr(idx)
		if err != nil { // nil embedded pointer: the field is absent
			continue
		}
		v, err := normalizeField(fv)
		if err != nil {
			return &ValueError{Column: m.cols[i], Err: err}
		}
		r.vals[i] = v
	}
	r.key = ""
	if m.keyCol >= 0 {
		r.key = keyString(r.vals[m.keyCol])
	}
	return nil
}

// normalizeField avoids boxing for the common scalar kinds.
func normalizeField(fv reflect.Value) (any, error) {
	switch fv.Kind() {
	case reflect.String:
		if fv.Type() == reflect.TypeFor[string]() {
			return fv.String(), nil
		}
	case reflect.Int64, reflect.Int:
		if fv.Type() == reflect.TypeFor[int64]() || fv.Type() == reflect.TypeFor[int]() {
			return fv.Int(), nil
		}
	}
	return normalize(fv.Interface())
}
