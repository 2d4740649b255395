package job

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
)

// SourceKind builds one kind of source from its section of a job file.
type SourceKind struct {
	// Needs names the spec field the kind requires ("path" or "url").
	Needs string
	// Options, if set, is a pointer to the kind's own options struct
	// (zero value); the section's keys other than SourceSpec's decode
	// into a copy of it, strictly, and reach Build as SourceSpec.Options.
	Options any
	// Check, if set, validates the spec beyond Needs; an error is
	// reported at the source section.
	Check func(s SourceSpec) error
	// Build adds the source stage to p.
	Build func(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item]
	// Count estimates the number of inputs, for the progress total and
	// the ETA; nil: unknown. A run calls it beside the pipeline, so the
	// first request does not wait for a large input to be read twice; it
	// must return soon after ctx is done (the run stopped before the
	// count ended).
	Count func(ctx context.Context, s SourceSpec) (int64, error)
}

// SinkKind builds one kind of sink from its section of a job file.
type SinkKind struct {
	// Needs names the spec field the kind requires ("path" or "dsn").
	Needs string
	// Extensions (".db") and Schemes ("postgres") pick the kind when the
	// spec names none.
	Extensions, Schemes []string
	// Options, if set, is a pointer to the kind's own options struct; see
	// SourceKind.Options. It reaches New as SinkSpec.Options.
	Options any
	// New returns the sink; it opens nothing. A sink of the user's own is
	// a sinks.Transactional wrapped by sinks.NewTransactional.
	New func(s SinkSpec) (sinks.Target[record.Record], error)
}

// StageKind builds one kind of record stage: it runs on every record
// after parsing and before the filters, in the order of the job's
// stages section.
type StageKind struct {
	// Options, if set, is a pointer to the kind's own options struct; see
	// SourceKind.Options. It reaches New as StageSpec.Options.
	Options any
	// New returns the stage's function; an error is reported at the
	// stage's section.
	New func(s StageSpec) (RecordFunc, error)
}

// RecordFunc changes one record in place and says whether to keep it. A
// pipeline.Skip error fails the record's input (dead-lettered); any other
// error is fatal to the run.
type RecordFunc func(ctx context.Context, r *record.Record) (keep bool, err error)

// registered is a kind with where it was registered, for errors.
type registered[K any] struct {
	kind K
	at   string
}

// Registry maps the kind names a job file uses to their constructors.
// Built-in and user kinds register the same way; a name registered twice
// is an error naming both registrations. It is a plain value, never a
// global: make one with NewRegistry or DefaultRegistry and pass it in
// Options.Registry.
type Registry struct {
	sources map[string]registered[SourceKind]
	sinks   map[string]registered[SinkKind]
	stages  map[string]registered[StageKind]
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{sources: map[string]registered[SourceKind]{}, sinks: map[string]registered[SinkKind]{},
		stages: map[string]registered[StageKind]{}}
}

// DefaultRegistry returns a new registry holding the built-in kinds:
// sources csv, lines, jsonl, sitemap and stdin; sinks jsonl, csv, sqlite
// and postgres. Add a program's own kinds to it with the Register methods.
func DefaultRegistry() *Registry {
	r := NewRegistry()
	registerBuiltins(r)
	return r
}

// RegisterSource adds a source kind.
func (r *Registry) RegisterSource(name string, k SourceKind) error {
	if k.Build == nil {
		return fmt.Errorf("job: source kind %q: Build is nil", name)
	}
	return register(r.sources, "source", name, k, k.Options)
}

// RegisterSink adds a sink kind.
func (r *Registry) RegisterSink(name string, k SinkKind) error {
	if k.New == nil {
		return fmt.Errorf("job: sink kind %q: New is nil", name)
	}
	return register(r.sinks, "sink", name, k, k.Options)
}

// RegisterStage adds a record stage kind.
func (r *Registry) RegisterStage(name string, k StageKind) error {
	if k.New == nil {
		return fmt.Errorf("job: stage kind %q: New is nil", name)
	}
	return register(r.stages, "stage", name, k, k.Options)
}

func register[K any](m map[string]registered[K], what, name string, k K, opts any) error {
	at := caller()
	switch {
	case name == "":
		return fmt.Errorf("job: %s kind with an empty name (registered at %s)", what, at)
	case opts != nil && (reflect.TypeOf(opts).Kind() != reflect.Pointer || reflect.TypeOf(opts).Elem().Kind() != reflect.Struct):
		return fmt.Errorf("job: %s kind %q: Options must be a pointer to a struct, got %T", what, name, opts)
	}
	if old, ok := m[name]; ok {
		return fmt.Errorf("job: %s kind %q registered twice: first at %s, again at %s", what, name, old.at, at)
	}
	m[name] = registered[K]{kind: k, at: at}
	return nil
}

// caller names the code that called a Register method.
func caller() string {
	for skip := 3; skip < 8; skip++ {
		_, file, line, ok := runtime.Caller(skip)
		if !ok {
			break
		}
		if !strings.HasSuffix(file, "/job/registry.go") {
			return fmt.Sprintf("%s:%d", filepath.Base(file), line)
		}
	}
	return "unknown place"
}

// Source returns the source kind registered as name.
func (r *Registry) Source(name string) (SourceKind, bool) {
	k, ok := r.sources[name]
	return k.kind, ok
}

// Sink returns the sink kind registered as name.
func (r *Registry) Sink(name string) (SinkKind, bool) {
	k, ok := r.sinks[name]
	return k.kind, ok
}

// Stage returns the stage kind registered as name.
func (r *Registry) Stage(name string) (StageKind, bool) {
	k, ok := r.stages[name]
	return k.kind, ok
}

// SourceKinds, SinkKinds and StageKinds list the registered names, sorted.
func (r *Registry) SourceKinds() []string { return slices.Sorted(maps.Keys(r.sources)) }

// SinkKinds lists the registered sink kind names, sorted.
func (r *Registry) SinkKinds() []string { return slices.Sorted(maps.Keys(r.sinks)) }

// StageKinds lists the registered stage kind names, sorted.
func (r *Registry) StageKinds() []string { return slices.Sorted(maps.Keys(r.stages)) }

// SinkKindFor picks a sink kind from a path's extension or a DSN's
// scheme; "" when none matches.
func (r *Registry) SinkKindFor(target string) string {
	if scheme, _, ok := strings.Cut(target, "://"); ok {
		for _, name := range r.SinkKinds() {
			if slices.Contains(r.sinks[name].kind.Schemes, strings.ToLower(scheme)) {
				return name
			}
		}
		return ""
	}
	ext := strings.ToLower(filepath.Ext(target))
	for _, name := range r.SinkKinds() {
		if slices.Contains(r.sinks[name].kind.Extensions, ext) {
			return name
		}
	}
	return ""
}

// optionsType is the options struct type of the kind named in the
// section at path ("source", "sink", "stages[i]"), or nil.
func (r *Registry) optionsType(path, kind string) reflect.Type {
	var opts any
	switch {
	case path == "source":
		opts = r.sources[kind].kind.Options
	case path == "sink":
		opts = r.sinks[kind].kind.Options
	case strings.HasPrefix(path, "stages["):
		opts = r.stages[kind].kind.Options
	}
	if opts == nil {
		return nil
	}
	return reflect.TypeOf(opts).Elem()
}

// known reports whether the section at path names a registered kind. A
// sink section without a kind (picked from its path) counts as known.
func (r *Registry) known(path, kind string) bool {
	switch {
	case path == "source":
		_, ok := r.sources[kind]
		return ok
	case path == "sink":
		_, ok := r.sinks[kind]
		return ok || kind == ""
	case strings.HasPrefix(path, "stages["):
		_, ok := r.stages[kind]
		return ok
	}
	return true
}

// unknownKind words an unknown kind with a suggestion.
func unknownKind(what, kind string, valid []string) string {
	msg := fmt.Sprintf("unknown %s kind %q", what, kind)
	if s := suggest(kind, valid); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + " (kinds: " + strings.Join(valid, ", ") + ")"
}
