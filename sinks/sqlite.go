package sinks

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// SQLite writes items to a table of a SQLite database file, through the
// pure-Go modernc.org/sqlite driver. The database runs in WAL mode with
// synchronous=FULL, so a committed batch survives a crash. The table is
// created from the first batch's columns (types inferred from the values:
// INTEGER, REAL, BOOLEAN, TIMESTAMP, TEXT; nested values as JSON text) and
// a column is added for every new field.
type SQLite[T any] struct {
	base[T]
}

// SQLiteConfig configures a [SQLite] sink; the zero value works.
type SQLiteConfig struct {
	SQLConfig
}

// NewSQLite returns a SQLite sink writing to the database file at path
// (which may not contain '?'); use one sink per table and process.
// It opens nothing: the database is opened at the first Write, at Open,
// or by a Committer.
func NewSQLite[T any](path string, cfg SQLiteConfig) (*SQLite[T], error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sinks: sqlite: bad database path %q", path)
	}
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	conv.withKeyName(cfg.KeyColumn)
	c := cfg.SQLConfig.withDefaults()
	if c.Mode == Upsert && conv.meta != nil && conv.meta.keyCol < 0 {
		return nil, fmt.Errorf("sinks: sqlite: %w", errNoKey)
	}
	s := &SQLite[T]{}
	s.conv = conv
	s.sink = newSQLSink(&sqliteDialect{path: path, tbl: c.Table}, c, conv.keyColumn())
	return s, nil
}

// SQLiteDSN is the database/sql data source name the SQLite sink opens
// path with: WAL journal, synchronous=FULL, a busy timeout and immediate
// write transactions.
func SQLiteDSN(path string) string {
	return path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
}

type sqliteDialect struct {
	path  string
	tbl   string
	db    *sql.DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // prepared inserts of the open transaction
}

func (d *sqliteDialect) name() string   { return "sqlite" }
func (d *sqliteDialect) where() string  { return d.path }
func (d *sqliteDialect) foldCase() bool { return true }
func (d *sqliteDialect) table() string  { return d.quote(d.tbl) }

func (d *sqliteDialect) quote(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

func (d *sqliteDialect) colType(k colKind) string { return sqliteType(k) }

func (d *sqliteDialect) connect(ctx context.Context) error {
	db, err := sql.Open("sqlite", SQLiteDSN(d.path))
	if err != nil {
		return fmt.Errorf("sinks: sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return fmt.Errorf("sinks: sqlite %s: %w", d.path, err)
	}
	d.db = db
	return nil
}

func (d *sqliteDialect) columns(ctx context.Context) ([]column, bool, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT name, type FROM pragma_table_info(?)", d.tbl)
	if err != nil {
		return nil, false, fmt.Errorf("sinks: sqlite: table info: %w", err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, false, fmt.Errorf("sinks: sqlite: table info: %w", err)
		}
		cols = append(cols, column{name: name, kind: kindOther})
	}
	return cols, len(cols) > 0, rows.Err()
}

func (d *sqliteDialect) begin(ctx context.Context) error {
	// The transaction ends when the sink commits it (at a checkpoint or at
	// Close, which can come after the run's context was cancelled).
	// database/sql would roll it back the moment ctx ends, so it gets a
	// context that is not cancelled; each statement still gets ctx.
	tx, err := d.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return err
	}
	d.tx, d.stmts = tx, map[string]*sql.Stmt{}
	return nil
}

func (d *sqliteDialect) exec(ctx context.Context, q string, args ...any) error {
	_, err := d.tx.ExecContext(ctx, q, args...)
	return err
}

func (d *sqliteDialect) deleteKeys(ctx context.Context, keyCol string, keys []string) error {
	js, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	q := fmt.Sprintf("DELETE FROM %s WHERE %s IN (SELECT value FROM json_each(?))", d.table(), d.quote(keyCol))
	return d.exec(ctx, q, string(js))
}

func (d *sqliteDialect) insert(ctx context.Context, cols []column, vals [][]any, upsertKey string) error {
	stmt, err := d.prepare(ctx, cols, upsertKey)
	if err != nil {
		return err
	}
	for _, v := range vals {
		for i, x := range v {
			if j, ok := x.(json.RawMessage); ok {
				v[i] = string(j)
			}
		}
		if _, err := stmt.ExecContext(ctx, v...); err != nil {
			return err
		}
	}
	return nil
}

// prepare returns the insert statement for cols, prepared once per
// transaction.
func (d *sqliteDialect) prepare(ctx context.Context, cols []column, upsertKey string) (*sql.Stmt, error) {
	q := insertSQL(d, cols, upsertKey, func(int) string { return "?" })
	if st, ok := d.stmts[q]; ok {
		return st, nil
	}
	st, err := d.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	d.stmts[q] = st
	return st, nil
}

func (d *sqliteDialect) commit(context.Context) error {
	tx := d.tx
	d.tx, d.stmts = nil, nil
	return tx.Commit()
}

func (d *sqliteDialect) rollback(context.Context) {
	if d.tx != nil {
		d.tx.Rollback()
		d.tx, d.stmts = nil, nil
	}
}

func (d *sqliteDialect) close() error {
	if d.db == nil {
		return nil
	}
	err := d.db.Close()
	d.db = nil
	return err
}

// insertSQL builds INSERT INTO t (cols) VALUES (...) for one row, with
// ON CONFLICT (key) DO UPDATE for an upsert. ph renders parameter i.
func insertSQL(d sqlDialect, cols []column, upsertKey string, ph func(i int) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (", d.table())
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(d.quote(c.name))
	}
	b.WriteString(") VALUES (")
	for i := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ph(i + 1))
	}
	b.WriteString(")")
	b.WriteString(upsertClause(d, cols, upsertKey))
	return b.String()
}

// upsertClause is ON CONFLICT (key) DO UPDATE SET c = excluded.c, ...
func upsertClause(d sqlDialect, cols []column, upsertKey string) string {
	if upsertKey == "" {
		return ""
	}
	var sets []string
	for _, c := range cols {
		if c.name != upsertKey {
			q := d.quote(c.name)
			sets = append(sets, q+" = excluded."+q)
		}
	}
	if len(sets) == 0 {
		return fmt.Sprintf(" ON CONFLICT (%s) DO NOTHING", d.quote(upsertKey))
	}
	return fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s", d.quote(upsertKey), strings.Join(sets, ", "))
}
