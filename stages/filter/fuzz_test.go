package filter_test

import (
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/filter"
)

// FuzzSpec: no spec, from Go values or YAML, makes New or Match panic.
func FuzzSpec(f *testing.F) {
	f.Add("price", ">", "10", "", false)
	f.Add("title", "", "", "^A(", true)
	f.Add("x", "==", "true", "", false)
	r := record.Record{Fields: []record.Field{{Name: "price", Value: 12.0}, {Name: "title", Value: "Axe"},
		{Name: "x", Value: []any{"a", int64(1)}}, {Name: "y", Value: nil}}}
	f.Fuzz(func(t *testing.T, field, op, value, match string, not bool) {
		if flt, err := filter.New(filter.Spec{Field: field, Op: filter.Op(op), Value: value, Match: match, Not: not}); err == nil {
			flt.Match(&r)
		}
		var specs []filter.Spec
		if decodeYAML([]byte(value), &specs) {
			if flt, err := filter.New(specs...); err == nil {
				flt.Match(&r)
			}
		}
	})
}

// decodeYAML treats a panic inside the YAML library as a decode error
// (goccy/go-yaml#735); the target checks filter, not the YAML library.
func decodeYAML(src []byte, v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return yaml.Unmarshal(src, v) == nil
}
