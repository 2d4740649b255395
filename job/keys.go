package job

import (
	"fmt"
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
		for _, mv := range n.Values {
			w.walkPair(mv, t, path)
		}
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
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f.Type
	}
	return m
}
