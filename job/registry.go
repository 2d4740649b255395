package job

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
)

// SourceKind builds one kind of source from its spec.
type SourceKind struct {
	// Needs names the spec field the kind requires ("path" or "url").
	Needs string
	// Build adds the source stage to p.
	Build func(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item]
	// Count estimates the number of inputs, for progress; nil: unknown.
	Count func(s SourceSpec) (int64, error)
}

// SinkKind builds one kind of sink from its spec.
type SinkKind struct {
	// Needs names the spec field the kind requires ("path" or "dsn").
	Needs string
	// Extensions (".db") and Schemes ("postgres") pick the kind when the
	// spec names none.
	Extensions, Schemes []string
	// New returns the sink; it opens nothing.
	New func(s SinkSpec) (sinks.Target[record.Record], error)
}

// Registry maps the kind names a job file uses to their constructors.
// It is a plain value: callers may copy DefaultRegistry and add kinds.
type Registry struct {
	Sources map[string]SourceKind
	Sinks   map[string]SinkKind
}

// DefaultRegistry returns the built-in kinds: sources csv, lines, jsonl,
// sitemap and stdin; sinks jsonl, csv, sqlite and postgres.
func DefaultRegistry() Registry {
	return Registry{Sources: defaultSources(), Sinks: defaultSinks()}
}

// sourceKinds lists the source kind names, sorted.
func (r Registry) sourceKinds() []string { return slices.Sorted(maps.Keys(r.Sources)) }

// sinkKinds lists the sink kind names, sorted.
func (r Registry) sinkKinds() []string { return slices.Sorted(maps.Keys(r.Sinks)) }

// SinkKindFor picks a sink kind from a path's extension or a DSN's
// scheme; "" when none matches.
func (r Registry) SinkKindFor(target string) string {
	if scheme, _, ok := strings.Cut(target, "://"); ok {
		for _, name := range r.sinkKinds() {
			if slices.Contains(r.Sinks[name].Schemes, strings.ToLower(scheme)) {
				return name
			}
		}
		return ""
	}
	ext := strings.ToLower(filepath.Ext(target))
	for _, name := range r.sinkKinds() {
		if slices.Contains(r.Sinks[name].Extensions, ext) {
			return name
		}
	}
	return ""
}

// unknownKind words an unknown kind with a suggestion.
func unknownKind(what, kind string, valid []string) string {
	msg := fmt.Sprintf("unknown %s kind %q", what, kind)
	if s := suggest(kind, valid); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + " (kinds: " + strings.Join(valid, ", ") + ")"
}
