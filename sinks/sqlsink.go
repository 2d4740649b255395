package sinks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// WriteMode says how a SQL sink writes rows.
type WriteMode uint8

const (
	// Append inserts every row (COPY on Postgres). An input key may own
	// any number of rows; a Committer replaces a key's rows by deleting
	// them first when a resume replays that key.
	Append WriteMode = iota
	// Upsert keeps one row per key: the key column is the primary key and
	// a row with a known key updates it (INSERT ... ON CONFLICT DO UPDATE).
	Upsert
)

// SQLConfig holds the settings the SQL sinks share. The zero value appends
// to table "items", committing every 1000 rows or 1 s.
type SQLConfig struct {
	// KeyColumn names the column of a record's key, the one upserts go
	// by; default "key". (A struct's key column is its key field's.)
	KeyColumn string
	// Table is the table name; default "items". It is created from the
	// first batch's columns and gains a column for every new field.
	Table string
	// Mode is Append (default) or Upsert.
	Mode WriteMode
	// BatchSize is how many rows go into one transaction in plain use
	// (under a Committer, how many rows are buffered before they are sent
	// into the open transaction); default 1000.
	BatchSize int
	// Interval commits a batch in plain use once its first row is this
	// old, checked at each Write; default 1 s.
	Interval time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (c SQLConfig) withDefaults() SQLConfig {
	if c.Table == "" {
		c.Table = "items"
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 1000
	}
	if c.Interval <= 0 {
		c.Interval = time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// sqlDialect is what differs between SQLite and Postgres.
type sqlDialect interface {
	name() string
	where() string // the database: a file path, or host and database name
	connect(ctx context.Context) error
	// columns lists the table's columns; exists is false if it has none.
	columns(ctx context.Context) (cols []column, exists bool, err error)
	quote(ident string) string
	table() string // the quoted, qualified table name
	colType(k colKind) string
	foldCase() bool // column names are case-insensitive
	begin(ctx context.Context) error
	exec(ctx context.Context, sql string, args ...any) error
	deleteKeys(ctx context.Context, keyCol string, keys []string) error
	insert(ctx context.Context, cols []column, vals [][]any, upsertKey string) error
	commit(ctx context.Context) error
	rollback(ctx context.Context)
	close() error
}

// sqlSink is the core of the SQL sinks: buffering, schema evolution and
// transactions, over a dialect.
type sqlSink struct {
	d      sqlDialect
	cfg    SQLConfig
	keyCol string // the key column's name, "" if the item type has none
	driven bool
	cols   []column
	byName map[string]int
	exists bool
	unique bool
	// committedUnique is unique as of the last commit (a rollback undoes
	// the index).
	committedUnique bool
	inTx            bool
	buf             []row
	replace         []string
	since           time.Time
}

func newSQLSink(d sqlDialect, cfg SQLConfig, keyCol string) *sqlSink {
	return &sqlSink{d: d, cfg: cfg, keyCol: keyCol, byName: map[string]int{}}
}

func (s *sqlSink) id() string             { return s.d.name() + ":" + s.d.where() + "#" + s.d.table() }
func (s *sqlSink) isFile() bool           { return false }
func (s *sqlSink) setDriven()             { s.driven = true }
func (s *sqlSink) check(rows []row) error { return nil }

func (s *sqlSink) fold(name string) string {
	if s.d.foldCase() {
		return strings.ToLower(name)
	}
	return name
}

func (s *sqlSink) open(ctx context.Context, _ int64) error {
	if err := s.d.connect(ctx); err != nil {
		return err
	}
	cols, exists, err := s.d.columns(ctx)
	if err != nil {
		s.d.close()
		return err
	}
	s.exists = exists
	for _, c := range cols {
		s.byName[s.fold(c.name)] = len(s.cols)
		s.cols = append(s.cols, c)
	}
	return nil
}

func (s *sqlSink) put(ctx context.Context, rows []row, replace []string) error {
	if len(s.buf) == 0 && len(s.replace) == 0 {
		s.since = s.cfg.Now()
	}
	if s.buf == nil {
		s.buf = make([]row, 0, s.cfg.BatchSize)
	}
	s.buf = append(s.buf, rows...)
	s.replace = append(s.replace, replace...)
	switch {
	case len(s.buf) >= s.cfg.BatchSize && s.driven:
		return s.flush(ctx)
	case s.driven:
		return nil
	case len(s.buf) >= s.cfg.BatchSize || s.cfg.Now().Sub(s.since) >= s.cfg.Interval:
		return flushSink(ctx, s)
	}
	return nil
}

func (s *sqlSink) prepare(ctx context.Context) (int64, error) {
	return -1, s.flush(ctx)
}

// flush sends the buffered rows into the open transaction.
func (s *sqlSink) flush(ctx context.Context) error {
	if len(s.buf) == 0 && len(s.replace) == 0 {
		return nil
	}
	if !s.inTx {
		if err := s.d.begin(ctx); err != nil {
			return fmt.Errorf("sinks: %s: begin: %w", s.d.name(), err)
		}
		s.inTx = true
	}
	if err := s.write(ctx); err != nil {
		s.d.rollback(ctx)
		s.inTx = false
		return err
	}
	clear(s.buf)
	s.buf, s.replace = s.buf[:0], s.replace[:0]
	return nil
}

func (s *sqlSink) write(ctx context.Context) error {
	b := newSQLBatch(s.buf, func(c string) bool {
		_, ok := s.byName[s.fold(c)]
		return ok
	})
	b.keyCol = s.keyCol
	if err := s.ensureSchema(ctx, b); err != nil {
		return err
	}
	if len(s.replace) > 0 && s.exists {
		if s.keyCol == "" {
			return fmt.Errorf("sinks: %s: cannot replace the rows of key %q: the table has no key column", s.d.name(), s.replace[0])
		}
		if err := s.d.deleteKeys(ctx, s.keyCol, s.replace); err != nil {
			return fmt.Errorf("sinks: %s: delete replayed keys: %w", s.d.name(), err)
		}
	}
	if len(b.cols) == 0 {
		return nil
	}
	cols, upsertKey := s.insertCols(b)
	if err := s.d.insert(ctx, cols, b.matrix(), upsertKey); err != nil {
		err = fmt.Errorf("sinks: %s: insert: %w", s.d.name(), err)
		if !s.driven || !isRowError(err) {
			return err
		}
		bad, ferr := s.findRejects(ctx, b)
		if ferr != nil || len(bad) == 0 {
			return errors.Join(err, ferr)
		}
		return &rejectedError{sink: s.id(), inputs: bad}
	}
	return nil
}

// insertCols returns the table's columns for b's and the upsert key.
func (s *sqlSink) insertCols(b *sqlBatch) ([]column, string) {
	cols := make([]column, len(b.cols))
	for i, c := range b.cols {
		cols[i] = s.cols[s.byName[s.fold(c.name)]]
		cols[i].name = c.name
	}
	if s.cfg.Mode == Upsert {
		return cols, s.keyCol
	}
	return cols, ""
}

func (s *sqlSink) commit(ctx context.Context) error {
	if !s.inTx {
		return nil
	}
	s.inTx = false
	if err := s.d.commit(ctx); err != nil {
		return fmt.Errorf("sinks: %s: commit: %w", s.d.name(), err)
	}
	s.committedUnique = s.unique
	return nil
}

func (s *sqlSink) close() error {
	if s.inTx {
		s.d.rollback(context.Background())
		s.inTx = false
	}
	return s.d.close()
}

// errNoKey is returned for Upsert without a key column.
var errNoKey = errors.New("upsert needs a key column (a `sluice:\"name,key\"` tag or a Key field)")
