package job

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Options says how a job file is decoded.
type Options struct {
	// Lookup resolves ${NAME} references; nil: every reference is unset.
	Lookup func(name string) (string, bool)
	// Registry holds the source, sink and stage kinds; nil:
	// DefaultRegistry.
	Registry *Registry
	// Dir is the directory relative paths in the job are resolved
	// against; Load sets it to the job file's directory.
	Dir string
}

// Load reads and decodes the job file at path (see Decode). Relative paths
// in the job are taken relative to the job file's directory.
func Load(path string, opts Options) (*Job, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot read job file", Err: err}
	}
	if opts.Dir == "" {
		opts.Dir = filepath.Dir(path)
	}
	return Decode(path, data, opts)
}

// Decode decodes and validates a job file. file names it in errors. Every
// problem is reported as an *Error with the position of the offending key
// or value when it has one.
func Decode(file string, data []byte, opts Options) (*Job, error) {
	lookup := opts.Lookup
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	if opts.Registry == nil {
		opts.Registry = DefaultRegistry()
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(file, err)
	}
	body, err := documentBody(file, f)
	if err != nil {
		return nil, err
	}
	w := &keyWalker{file: file, pos: positions{}, reg: opts.Registry}
	w.walk(body, reflect.TypeFor[Job](), "")
	if w.err != nil {
		return nil, w.err
	}
	if e := expandVars(file, body, lookup); e != nil {
		return nil, e
	}
	var j Job
	if err := nodeToValue(body, &j); err != nil {
		e := yamlError(file, err)
		e.Path = w.pos.pathAt(e.Line, e.Column)
		return nil, e
	}
	j.file, j.pos, j.reg = file, w.pos, opts.Registry
	if err := j.decodeOptions(w.options); err != nil {
		return nil, err
	}
	if err := j.validate(opts.Dir); err != nil {
		return nil, err
	}
	return &j, nil
}

// documentBody returns the one document's top node.
func documentBody(file string, f *ast.File) (ast.Node, error) {
	var docs []ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d.Body)
		}
	}
	switch {
	case len(docs) == 0:
		return nil, &Error{File: file, Msg: "job file is empty"}
	case len(docs) > 1:
		pos := docs[1].GetToken().Position
		return nil, &Error{File: file, Line: pos.Line, Column: pos.Column, Msg: "job file holds more than one YAML document"}
	}
	if _, ok := docs[0].(*ast.MappingNode); !ok {
		if _, ok := docs[0].(*ast.MappingValueNode); !ok {
			pos := docs[0].GetToken().Position
			return nil, &Error{File: file, Line: pos.Line, Column: pos.Column, Msg: "job file must be a mapping of sections (source, fetch, parse, sink, ...)"}
		}
	}
	return docs[0], nil
}

// yamlError turns a go-yaml error into an *Error with its position.
func yamlError(file string, err error) *Error {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return &Error{File: file, Msg: strings.TrimSpace(err.Error()), Err: err}
	}
	pos := ye.GetToken().Position
	msg := ye.GetMessage()
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msg = typeMessage(te)
	}
	return &Error{File: file, Line: pos.Line, Column: pos.Column, Msg: msg, Err: err}
}

// typeMessage words a type mismatch for people rather than Go types.
func typeMessage(te *yaml.TypeError) string {
	want := te.DstType.String()
	switch te.DstType.Kind() {
	case reflect.Int, reflect.Int64:
		want = "an integer"
		if te.DstType.String() == "time.Duration" {
			want = "a duration such as 30s"
		}
	case reflect.Float64:
		want = "a number"
	case reflect.Bool:
		want = "true or false"
	case reflect.String:
		want = "a string"
	case reflect.Slice:
		want = "a list"
	case reflect.Map, reflect.Struct:
		want = "a mapping"
	}
	msg := "wrong type: want " + want
	if te.Token != nil {
		msg += ", got " + quoteValue(te.Token.Value)
	}
	return msg
}

func quoteValue(v string) string {
	if v == "" {
		return "nothing"
	}
	return `"` + v + `"`
}

// FromSpec validates a job built in Go (by the scrape command, say), as
// Decode does for a file: defaults are filled in, the parser and filters
// compiled and relative paths resolved against opts.Dir. name labels it
// in errors.
func FromSpec(name string, j Job, opts Options) (*Job, error) {
	if opts.Registry == nil {
		opts.Registry = DefaultRegistry()
	}
	j.file, j.pos, j.reg = name, positions{"source": {}, "sink": {}}, opts.Registry
	if err := j.validate(opts.Dir); err != nil {
		return nil, err
	}
	return &j, nil
}

// nodeToValue is yaml.NodeToValue made safe: go-yaml can panic on odd
// input (found by FuzzDecode), which must be an error, not a crash.
func nodeToValue(body ast.Node, j *Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("cannot decode job file: %v", v)
		}
	}()
	return yaml.NodeToValue(body, j, yaml.Strict())
}
