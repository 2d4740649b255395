package job

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sys/unix"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/sources"
	"github.com/sluicehq/sluice/stages/extract"
)

// Preflight checks, before anything is created, what a run would
// otherwise find out only after writing: that the input file exists and
// its CSV header has the URL and key columns named, that the directories
// of the output, checkpoint and dead letters exist and are writable, and
// with connect, that a Postgres DSN connects and its table's columns can
// take the job's fields. Problems are *Errors naming the job path
// (source.url_column, sink.dsn, ...). Run calls it first; it creates and
// writes nothing.
func (j *Job) Preflight(ctx context.Context, connect bool) error {
	if err := j.preflightInput(ctx); err != nil {
		return err
	}
	for _, out := range []struct{ path, file string }{{"sink.path", j.Sink.Path}, {"checkpoint", j.Checkpoint}, {"dead_letter.path", j.DeadLetter.Path}} {
		if err := writableDir(out.file); err != nil {
			return j.errorAt(out.path, err, "%s: %v", out.file, err)
		}
	}
	if connect && j.Sink.DSN != "" {
		return j.preflightPostgres(ctx)
	}
	return nil
}

// writableDir checks that the directory a file goes in exists and can be
// written.
func writableDir(file string) error {
	if file == "" || file == "-" {
		return nil
	}
	dir := filepath.Dir(file)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	if err := unix.Access(dir, unix.W_OK); err != nil {
		return fmt.Errorf("directory %s is not writable", dir)
	}
	return nil
}

// preflightInput checks the input file exists and, for CSV, reads up to
// the first row to check the columns the job names.
func (j *Job) preflightInput(ctx context.Context) error {
	s := j.Source
	if s.Path == "" || s.Path == "-" {
		return nil
	}
	fi, err := os.Stat(s.Path)
	if err != nil {
		return j.errorAt("source.path", err, "%v", err)
	}
	if fi.IsDir() {
		return j.errorAt("source.path", nil, "%s is a directory: name the file that holds the inputs", s.Path)
	}
	if s.Kind != "csv" || !fi.Mode().IsRegular() {
		return nil // a pipe cannot be read twice: its header is the run's to check
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	p := pipeline.New(pipeline.OnFailure(func(context.Context, pipeline.Failure) error { return nil }))
	items := sources.CSVFile(p, "preflight", s.Path, csvConfig(s))
	pipeline.Sink(p, "first", items, pipeline.WriterFunc[sources.Item](func(context.Context, sources.Item) error {
		p.Stop()
		return nil
	}))
	err = p.Run(ctx)
	var ce *sources.ColumnError
	if !errors.As(err, &ce) {
		return nil // other input problems are per-row failures, reported by the run
	}
	path := "source.url_column"
	if s.KeyColumn != "" && strings.EqualFold(strings.TrimSpace(ce.Name), strings.TrimSpace(s.KeyColumn)) {
		path = "source.key_column"
	}
	msg := fmt.Sprintf("no column %q in the header of %s (columns: %s)", ce.Name, filepath.Base(s.Path), strings.Join(ce.Header, ", "))
	if sug := suggest(ce.Name, ce.Header); sug != "" {
		msg += fmt.Sprintf("; did you mean %q?", sug)
	}
	return j.errorAt(path, err, "%s", msg)
}

// preflightPostgres connects and, when the table exists, checks that the
// columns it has for the job's fields can hold their types.
func (j *Job) preflightPostgres(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, j.Sink.DSN)
	if err != nil {
		return j.errorAt("sink.dsn", err, "cannot connect to %s: %v", redactDSN(j.Sink.DSN), err)
	}
	defer conn.Close(context.Background())
	table := j.Sink.Table
	if table == "" {
		table = "items"
	}
	rows, err := conn.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return j.errorAt("sink.table", err, "cannot read the columns of table %s: %v", table, err)
	}
	have := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return j.errorAt("sink.table", err, "%v", err)
		}
		have[name] = typ
	}
	if err := rows.Err(); err != nil {
		return j.errorAt("sink.table", err, "%v", err)
	}
	for name, want := range j.fieldTypes() {
		if typ, ok := have[name]; ok && !compatible(want, typ) {
			return j.errorAt("sink.table", nil, "table %s has column %q of type %s, which cannot hold the job's %s field %q; use another table or alter the column", table, name, typ, want, name)
		}
	}
	return nil
}

// fieldTypes maps the column each top-level field writes to its type.
func (j *Job) fieldTypes() map[string]extract.Type {
	out := map[string]extract.Type{orDefault(j.Sink.KeyColumn, "key"): extract.TypeString, "url": extract.TypeString}
	if j.Parse.HTML != nil {
		for _, f := range j.Parse.HTML.Fields {
			if len(f.Fields) == 0 && !f.All {
				out[f.Name] = cmpType(f.Type, f.Take)
			}
		}
	}
	return out
}

func cmpType(t extract.Type, take extract.Take) extract.Type {
	switch {
	case take == extract.TakeCount:
		return extract.TypeInt
	case take == extract.TakeExists:
		return extract.TypeBool
	case t == "":
		return extract.TypeString
	}
	return t
}

// compatible reports whether a Postgres column of type pg can take a
// field of type t.
func compatible(t extract.Type, pg string) bool {
	text := []string{"text", "character varying", "character", "jsonb", "json"}
	switch t {
	case extract.TypeInt:
		return slices.Contains([]string{"bigint", "integer", "smallint", "numeric", "double precision", "real"}, pg) || slices.Contains(text, pg)
	case extract.TypeFloat:
		return slices.Contains([]string{"double precision", "real", "numeric"}, pg) || slices.Contains(text, pg)
	case extract.TypeBool:
		return pg == "boolean" || slices.Contains(text, pg)
	case extract.TypeString:
		return slices.Contains(text, pg)
	}
	return true
}
