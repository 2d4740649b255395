package job

import (
	"fmt"
	"reflect"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// kindOptions are the keys of one section that belong to its kind's own
// options struct, taken out of the document before the Job is decoded.
type kindOptions struct {
	path  string
	typ   reflect.Type
	pairs []*ast.MappingValueNode
}

// sectionKind returns the value of the "kind" key of a mapping.
func sectionKind(n *ast.MappingNode) string {
	for _, mv := range n.Values {
		if mv.Key.GetToken().Value == "kind" {
			if s, ok := mv.Value.(*ast.StringNode); ok {
				return s.Value
			}
		}
	}
	return ""
}

// isKindSection reports whether a mapping decoding into t is a section
// whose kind may bring options of its own.
func isKindSection(t reflect.Type) bool {
	switch t {
	case reflect.TypeFor[SourceSpec](), reflect.TypeFor[SinkSpec](), reflect.TypeFor[StageSpec]():
		return true
	}
	return false
}

// decodeOptions decodes each section's kind options into a new value of
// its options struct and stores it in the section's spec.
func (j *Job) decodeOptions(all []kindOptions) error {
	for _, ko := range all {
		v := reflect.New(ko.typ)
		fields := yamlFieldIndex(ko.typ)
		for _, mv := range ko.pairs {
			key := mv.Key.GetToken().Value
			f := v.Elem().Field(fields[key])
			if err := yaml.NodeToValue(mv.Value, f.Addr().Interface(), yaml.Strict()); err != nil {
				e := yamlError(j.file, err)
				e.Path = ko.path + "." + key
				return e
			}
		}
		switch {
		case ko.path == "source":
			j.Source.Options = v.Interface()
		case ko.path == "sink":
			j.Sink.Options = v.Interface()
		default:
			var i int
			if _, err := fmt.Sscanf(ko.path, "stages[%d]", &i); err == nil && i < len(j.Stages) {
				j.Stages[i].Options = v.Interface()
			}
		}
	}
	return nil
}

// yamlFieldIndex maps the yaml key of each field of struct type t to its
// index.
func yamlFieldIndex(t reflect.Type) map[string]int {
	m := map[string]int{}
	for i := range t.NumField() {
		if name, ok := yamlName(t.Field(i)); ok {
			m[name] = i
		}
	}
	return m
}
