package job

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
	"github.com/sluicehq/sluice/sinks"
	"github.com/sluicehq/sluice/sources"
)

func csvConfig(s SourceSpec) sources.CSVConfig {
	cfg := sources.CSVConfig{}
	if s.URLColumn != "" {
		cfg.URLColumn = sources.ColumnNamed(s.URLColumn)
	}
	if s.KeyColumn != "" {
		cfg.KeyColumn = sources.ColumnNamed(s.KeyColumn)
	}
	if s.Delimiter != "" {
		cfg.Comma = []rune(s.Delimiter)[0]
	}
	if s.Warn != nil {
		cfg.Warnings = func(w sources.Warning) { s.Warn(strings.TrimPrefix(w.String(), "sources: "), "") }
	}
	return cfg
}

func jsonlConfig(s SourceSpec) sources.JSONLItemsConfig {
	return sources.JSONLItemsConfig{URLField: s.URLColumn, KeyField: s.KeyColumn}
}

func countLines(ctx context.Context, s SourceSpec) (int64, error) {
	return countInputs(ctx, s.Path, true, false)
}

func countJSONL(ctx context.Context, s SourceSpec) (int64, error) {
	return countInputs(ctx, s.Path, false, false)
}

// countCSV counts data rows: the non-blank lines less the header.
func countCSV(ctx context.Context, s SourceSpec) (int64, error) {
	return countInputs(ctx, s.Path, false, true)
}

// registerBuiltins registers the built-in kinds, as a user's program
// registers its own.
func registerBuiltins(r *Registry) {
	for name, k := range builtinSources() {
		must(r.RegisterSource(name, k))
	}
	for name, k := range builtinSinks() {
		must(r.RegisterSink(name, k))
	}
}

func must(err error) {
	if err != nil {
		panic(err) // the built-in kinds have distinct names
	}
}

func builtinSources() map[string]SourceKind {
	return map[string]SourceKind{
		"csv": {Needs: "path", Count: countCSV,
			Build: func(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item] {
				return sources.CSVFile(p, name, s.Path, csvConfig(s))
			}},
		"lines": {Needs: "path", Count: countLines,
			Build: func(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item] {
				return sources.LinesFile(p, name, s.Path, sources.LinesConfig{})
			}},
		"jsonl": {Needs: "path", Count: countJSONL,
			Build: func(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item] {
				return sources.JSONLItemsFile(p, name, s.Path, jsonlConfig(s))
			}},
		"sitemap": {Needs: "url",
			Build: func(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item] {
				return sources.Sitemap(p, name, s.URL, sources.SitemapConfig{})
			}},
		"stdin": {Build: buildStdin, Check: checkStdin},
	}
}

func checkStdin(s SourceSpec) error {
	if !slices.Contains([]string{"", "lines", "csv", "jsonl"}, s.Format) {
		return fmt.Errorf("unknown stdin format %q (formats: lines, csv, jsonl)", s.Format)
	}
	return nil
}

func buildStdin(p *pipeline.Pipeline, name string, s SourceSpec) pipeline.Stream[sources.Item] {
	switch s.Format {
	case "csv":
		return sources.CSVFile(p, name, "-", csvConfig(s))
	case "jsonl":
		return sources.JSONLItemsFile(p, name, "-", jsonlConfig(s))
	default:
		return sources.LinesFile(p, name, "-", sources.LinesConfig{})
	}
}

func sqlConfig(s SinkSpec) sinks.SQLConfig {
	cfg := sinks.SQLConfig{Table: s.Table, KeyColumn: s.KeyColumn}
	if s.Mode == "upsert" {
		cfg.Mode = sinks.Upsert
	}
	return cfg
}

func builtinSinks() map[string]SinkKind {
	return map[string]SinkKind{
		"jsonl": {Needs: "path", Extensions: []string{".jsonl", ".ndjson"},
			New: func(s SinkSpec) (sinks.Target[record.Record], error) {
				return sinks.NewJSONL[record.Record](s.Path, sinks.JSONLConfig{FileConfig: sinks.FileConfig{KeyColumn: s.KeyColumn}})
			}},
		"csv": {Needs: "path", Extensions: []string{".csv"},
			New: func(s SinkSpec) (sinks.Target[record.Record], error) {
				return sinks.NewCSV[record.Record](s.Path, sinks.CSVConfig{FileConfig: sinks.FileConfig{KeyColumn: s.KeyColumn}, EscapeFormulas: true})
			}},
		"sqlite": {Needs: "path", Extensions: []string{".db", ".sqlite", ".sqlite3"},
			New: func(s SinkSpec) (sinks.Target[record.Record], error) {
				return sinks.NewSQLite[record.Record](s.Path, sinks.SQLiteConfig{SQLConfig: sqlConfig(s)})
			}},
		"postgres": {Needs: "dsn", Schemes: []string{"postgres", "postgresql"},
			New: func(s SinkSpec) (sinks.Target[record.Record], error) {
				return sinks.NewPostgres[record.Record](sinks.PostgresConfig{SQLConfig: sqlConfig(s), DSN: s.DSN})
			}},
	}
}
