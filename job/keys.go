package job

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
)

// keyWalker checks every mapping key of a YAML document against the Go type
// it decodes into, and records where each path is written.
type keyWalker struct {
	file string
	pos  positions
	err  *Error
	// reg gives the options types of kinds; options collects the keys
	// that belong to them.
	reg     *Registry
	options []kindOptions
}

// walk visits n, which decodes into t, at path.
func (w *keyWalker) walk(n ast.Node, t reflect.Type, path string) {
	if n == nil || w.err != nil {
		return
	}
	if tk := n.GetToken(); tk != nil && path != "" {
		if _, ok := w.pos[path]; !ok {
			w.pos[path] = position{tk.Position.Line, tk.Position.Column}
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[time.Duration]() {
		w.checkDuration(n, path)
		return
	}
	switch n := n.(type) {
	case *ast.TagNode:
		pos := n.GetToken().Position
		w.err = &Error{File: w.file, Line: pos.Line, Column: pos.Column, Path: path,
			Msg: fmt.Sprintf("YAML tag %q is not supported in a job file", n.Start.Value)}
	case *ast.MappingNode:
		var opts reflect.Type
		if w.reg != nil && isKindSection(t) {
			kind := sectionKind(n)
			if !w.reg.known(path, kind) {
				// Validation reports the unknown or missing kind; its
				// keys cannot be checked without it.
				opts = reflect.TypeFor[struct{}]()
				w.dropUnknown(n, t)
			} else {
				opts = w.reg.optionsType(path, kind)
			}
		}
		if opts == nil {
			for _, mv := range n.Values {
				w.walkPair(mv, t, path)
			}
			return
		}
		w.walkKindSection(n, t, opts, path)
	case *ast.MappingValueNode:
		w.walkPair(n, t, path)
	case *ast.SequenceNode:
		if t.Kind() == reflect.Slice {
			for i, v := range n.Values {
				w.walk(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
}

// checkDuration reports a duration that time.ParseDuration rejects (the
// YAML decoder's own error has no position). ${VAR} values are checked
// after expansion by the decoder.
func (w *keyWalker) checkDuration(n ast.Node, path string) {
	s, ok := n.(*ast.StringNode)
	if !ok || strings.Contains(s.Value, "${") {
		return
	}
	if _, err := time.ParseDuration(s.Value); err != nil {
		pos := s.GetToken().Position
		w.err = &Error{File: w.file, Line: pos.Line, Column: pos.Column, Path: path,
			Msg: fmt.Sprintf("wrong type: want a duration such as 30s or 1m30s, got %q", s.Value)}
	}
}

// walkPair checks one key of a mapping that decodes into t.
func (w *keyWalker) walkPair(mv *ast.MappingValueNode, t reflect.Type, path string) {
	key := mv.Key.GetToken().Value
	sub := key
	if path != "" {
		sub = path + "." + key
	}
	tk := mv.Key.GetToken()
	w.pos[sub] = position{tk.Position.Line, tk.Position.Column}
	switch t.Kind() {
	case reflect.Map:
		w.walk(mv.Value, t.Elem(), sub)
	case reflect.Struct:
		names := yamlFields(t)
		ft, ok := names[key]
		if !ok {
			w.err = w.unknownKey(key, path, tk.Position.Line, tk.Position.Column, names)
			return
		}
		w.walk(mv.Value, ft, sub)
	}
}

// dropUnknown removes the keys of n that t does not have.
func (w *keyWalker) dropUnknown(n *ast.MappingNode, t reflect.Type) {
	names := yamlFields(t)
	kept := n.Values[:0]
	for _, mv := range n.Values {
		if _, ok := names[mv.Key.GetToken().Value]; ok {
			kept = append(kept, mv)
		}
	}
	n.Values = kept
}

// walkKindSection checks a section whose kind has its own options: keys
// of the section's spec are walked as usual, the others must be fields of
// the options struct and are taken out of the node for decodeOptions.
func (w *keyWalker) walkKindSection(n *ast.MappingNode, t, opts reflect.Type, path string) {
	names, own := yamlFields(t), yamlFields(opts)
	ko := kindOptions{path: path, typ: opts}
	kept := n.Values[:0]
	for _, mv := range n.Values {
		key := mv.Key.GetToken().Value
		if _, ok := names[key]; ok || own[key] == nil {
			if _, ok := names[key]; !ok {
				all := maps.Clone(names)
				maps.Copy(all, own)
				tk := mv.Key.GetToken()
				w.err = w.unknownKey(key, path, tk.Position.Line, tk.Position.Column, all)
				return
			}
			kept = append(kept, mv)
			w.walkPair(mv, t, path)
			continue
		}
		tk := mv.Key.GetToken()
		w.pos[path+"."+key] = position{tk.Position.Line, tk.Position.Column}
		w.walk(mv.Value, own[key], path+"."+key)
		ko.pairs = append(ko.pairs, mv)
	}
	n.Values = kept
	w.options = append(w.options, ko)
}

func (w *keyWalker) unknownKey(key, path string, line, col int, names map[string]reflect.Type) *Error {
	valid := make([]string, 0, len(names))
	for n := range names {
		valid = append(valid, n)
	}
	slices.Sort(valid)
	where := "at the top level"
	if path != "" {
		where = "in " + path
	}
	msg := fmt.Sprintf("unknown key %q %s", key, where)
	if s := suggest(key, valid); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		msg += fmt.Sprintf(" (valid keys: %s)", strings.Join(valid, ", "))
	}
	return &Error{File: w.file, Line: line, Column: col, Msg: msg}
}

// yamlFields maps the yaml key of each field of struct type t to its type.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		if name, ok := yamlName(t.Field(i)); ok {
			m[name] = t.Field(i).Type
		}
	}
	return m
}

// yamlName is the key a struct field decodes from; false for a field that
// decodes from none.
func yamlName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" {
		return "", false
	}
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name, true
}
