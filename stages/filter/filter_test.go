package filter_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/stages/filter"
)

func rec(kv ...any) record.Record {
	var r record.Record
	for i := 0; i < len(kv); i += 2 {
		r.Set(kv[i].(string), kv[i+1])
	}
	return r
}

func TestPredicates(t *testing.T) {
	r := rec("price", 12.5, "qty", int64(10), "sprice", " 9.99 ", "title", "Apple pie", "blank", "  ",
		"tags", []string{"x", "sale"}, "none", nil, "ok", true, "sok", "true", "list", []any{}, "n", "n/a")
	for _, tc := range []struct {
		spec filter.Spec
		want bool
	}{
		{filter.Spec{Field: "price", Op: ">", Value: 10}, true},
		{filter.Spec{Field: "price", Op: "gt", Value: 12.5}, false},
		{filter.Spec{Field: "price", Op: ">=", Value: "12.5"}, true},
		{filter.Spec{Field: "sprice", Op: "<", Value: 10}, true}, // numeric string field
		{filter.Spec{Field: "qty", Op: "<=", Value: uint64(10)}, true},
		{filter.Spec{Field: "n", Op: ">", Value: 0}, false},       // not a number: filtered out
		{filter.Spec{Field: "missing", Op: "<", Value: 1}, false}, // missing: filtered out
		{filter.Spec{Field: "qty", Op: "==", Value: 10}, true},
		{filter.Spec{Field: "qty", Op: "==", Value: "10"}, true},
		{filter.Spec{Field: "price", Op: "eq", Value: 12.5}, true},
		{filter.Spec{Field: "title", Op: "==", Value: "Apple pie"}, true},
		{filter.Spec{Field: "title", Op: "!=", Value: "Apple pie"}, false},
		{filter.Spec{Field: "missing", Op: "!=", Value: "x"}, true},
		{filter.Spec{Field: "ok", Op: "==", Value: true}, true},
		{filter.Spec{Field: "sok", Op: "==", Value: true}, true},
		{filter.Spec{Field: "none", Op: "==", Value: nil}, true},
		{filter.Spec{Field: "title", Match: "^A"}, true},
		{filter.Spec{Field: "title", Match: "^a"}, false},
		{filter.Spec{Field: "title", Match: "(?i)^a"}, true},
		{filter.Spec{Field: "tags", Match: "^sale$"}, true},
		{filter.Spec{Field: "qty", Match: `^\d+$`}, true},
		{filter.Spec{Field: "missing", Match: ".*"}, false},
		{filter.Spec{Field: "title", Op: "non_empty"}, true},
		{filter.Spec{Field: "blank", Op: "non_empty"}, false},
		{filter.Spec{Field: "none", Op: "non_empty"}, false},
		{filter.Spec{Field: "list", Op: "empty"}, true},
		{filter.Spec{Field: "missing", Op: "empty"}, true},
		{filter.Spec{Field: "none", Op: "exists"}, true},
		{filter.Spec{Field: "missing", Op: "exists"}, false},
		{filter.Spec{Field: "title", Match: "^A", Not: true}, false},
		{filter.Spec{Field: "missing", Op: "exists", Not: true}, true},
	} {
		f, err := filter.New(tc.spec)
		if err != nil {
			t.Fatalf("%+v: %v", tc.spec, err)
		}
		if got, err := f.Keep(context.Background(), r); got != tc.want || err != nil {
			t.Errorf("%+v: got %v, %v; want %v", tc.spec, got, err, tc.want)
		}
	}
}

func TestAllSpecsMustHold(t *testing.T) {
	f, err := filter.New(filter.Spec{Field: "price", Op: ">", Value: 10}, filter.Spec{Field: "title", Match: "^A"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		r    record.Record
		want bool
	}{
		{rec("price", 11.0, "title", "Apple"), true},
		{rec("price", 11.0, "title", "Banana"), false},
		{rec("price", 9.0, "title", "Apple"), false},
	} {
		if got := f.Match(&tc.r); got != tc.want {
			t.Errorf("%v: %v", tc.r.Fields, got)
		}
	}
	none, _ := filter.New()
	if !none.Match(&record.Record{}) {
		t.Error("no specs should keep everything")
	}
}

func TestSpecErrors(t *testing.T) {
	for name, s := range map[string]filter.Spec{
		"no field":     {Op: "exists"},
		"unknown op":   {Field: "a", Op: "~="},
		"no op":        {Field: "a"},
		"bad regex":    {Field: "a", Match: "(["},
		"match+op":     {Field: "a", Op: ">", Value: 1, Match: "x"},
		"non-numeric":  {Field: "a", Op: ">", Value: "ten"},
		"list operand": {Field: "a", Op: "==", Value: []any{1}},
	} {
		_, err := filter.New(filter.Spec{Field: "ok", Op: "exists"}, s)
		var se *filter.SpecError
		if !errors.As(err, &se) || se.Index != 1 || !strings.HasPrefix(err.Error(), "filter: spec 1") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestSpecsFromYAML(t *testing.T) {
	src := `
- {field: price, op: ">", value: 10}
- {field: title, match: "^A"}
- {field: sku, op: non_empty}
- {field: status, op: "==", value: sold, not: true}
- {field: rating, op: ">=", value: 4.5}
`
	var specs []filter.Spec
	if err := yaml.Unmarshal([]byte(src), &specs); err != nil {
		t.Fatal(err)
	}
	f, err := filter.New(specs...)
	if err != nil {
		t.Fatal(err)
	}
	keep := rec("price", int64(11), "title", "Axe", "sku", "A1", "status", "new", "rating", "4.5")
	drop := rec("price", int64(11), "title", "Axe", "sku", "A1", "status", "sold", "rating", 5.0)
	if !f.Match(&keep) || f.Match(&drop) {
		t.Errorf("keep %v, drop %v", f.Match(&keep), f.Match(&drop))
	}
}
