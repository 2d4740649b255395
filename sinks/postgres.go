package sinks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Postgres writes items to a Postgres table through pgx: COPY for Append,
// batched multi-row INSERT ... ON CONFLICT DO UPDATE for Upsert. The table
// is created from the first batch's columns (BIGINT, DOUBLE PRECISION,
// BOOLEAN, TIMESTAMPTZ, TEXT; nested values such as []any, map[string]any
// and []string as JSONB) and gains a column for every new field. Every
// identifier is quoted. Values are converted to the column's type where
// that is lossless (an int into a DOUBLE PRECISION column, a number into
// TEXT); other mismatches fail the commit with a *ValueError.
type Postgres[T any] struct {
	base[T]
}

// PostgresConfig configures a [Postgres] sink. DSN is required.
type PostgresConfig struct {
	SQLConfig
	// DSN is the connection string, e.g.
	// "postgres://user@host:5432/db?sslmode=disable".
	DSN string
	// Schema holds the table (it must exist); default the connection's
	// current schema.
	Schema string
}

// NewPostgres returns a Postgres sink. It connects to nothing: the
// connection is made at the first Write, at Open, or by a Committer.
func NewPostgres[T any](cfg PostgresConfig) (*Postgres[T], error) {
	if cfg.DSN == "" {
		return nil, errors.New("sinks: postgres: no DSN")
	}
	if _, err := pgx.ParseConfig(cfg.DSN); err != nil {
		return nil, fmt.Errorf("sinks: postgres: %w", err)
	}
	conv, err := newConverter[T]()
	if err != nil {
		return nil, err
	}
	conv.withKeyName(cfg.KeyColumn)
	c := cfg.SQLConfig.withDefaults()
	if c.Mode == Upsert && conv.meta != nil && conv.meta.keyCol < 0 {
		return nil, fmt.Errorf("sinks: postgres: %w", errNoKey)
	}
	s := &Postgres[T]{}
	s.conv = conv
	s.sink = newSQLSink(&pgDialect{dsn: cfg.DSN, schema: cfg.Schema, tbl: c.Table}, c, conv.keyColumn())
	return s, nil
}

type pgDialect struct {
	dsn, schema, tbl string
	conn             *pgx.Conn
	tx               pgx.Tx
}

func (d *pgDialect) name() string              { return "postgres" }
func (d *pgDialect) foldCase() bool            { return false }
func (d *pgDialect) quote(ident string) string { return pgx.Identifier{ident}.Sanitize() }
func (d *pgDialect) colType(k colKind) string  { return postgresType(k) }

func (d *pgDialect) where() string {
	cfg, err := pgx.ParseConfig(d.dsn)
	if err != nil {
		return d.dsn
	}
	return fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
}

func (d *pgDialect) ident() pgx.Identifier {
	if d.schema == "" {
		return pgx.Identifier{d.tbl}
	}
	return pgx.Identifier{d.schema, d.tbl}
}

func (d *pgDialect) table() string { return d.ident().Sanitize() }

func (d *pgDialect) connect(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.dsn)
	if err != nil {
		return fmt.Errorf("sinks: postgres: %w", err)
	}
	d.conn = conn
	return nil
}

func (d *pgDialect) columns(ctx context.Context) ([]column, bool, error) {
	rows, err := d.conn.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = COALESCE(NULLIF($1, ''), current_schema()) AND table_name = $2
		ORDER BY ordinal_position`, d.schema, d.tbl)
	if err != nil {
		return nil, false, fmt.Errorf("sinks: postgres: columns: %w", err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, false, fmt.Errorf("sinks: postgres: columns: %w", err)
		}
		cols = append(cols, column{name: name, kind: kindOfPostgres(typ)})
	}
	return cols, len(cols) > 0, rows.Err()
}

func (d *pgDialect) begin(ctx context.Context) error {
	tx, err := d.conn.Begin(ctx)
	d.tx = tx
	return err
}

func (d *pgDialect) exec(ctx context.Context, q string, args ...any) error {
	_, err := d.tx.Exec(ctx, q, args...)
	return err
}

func (d *pgDialect) deleteKeys(ctx context.Context, keyCol string, keys []string) error {
	return d.exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s = ANY($1)", d.table(), d.quote(keyCol)), keys)
}

func (d *pgDialect) insert(ctx context.Context, cols []column, vals [][]any, upsertKey string) error {
	if err := coerceAll(cols, vals); err != nil {
		return err
	}
	if upsertKey == "" {
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.name
		}
		_, err := d.tx.CopyFrom(ctx, d.ident(), names, pgx.CopyFromRows(vals))
		return err
	}
	return d.upsert(ctx, cols, vals, upsertKey)
}

// maxParams is Postgres's limit on bind parameters per statement.
const maxParams = 65535

// upsert sends multi-row INSERT ... ON CONFLICT statements. Rows are
// deduplicated by key first (the last wins), as one statement may not
// update a row twice.
func (d *pgDialect) upsert(ctx context.Context, cols []column, vals [][]any, key string) error {
	k := 0
	for i, c := range cols {
		if c.name == key {
			k = i
		}
	}
	vals = lastPerKey(vals, k)
	per := max(1, maxParams/len(cols))
	for start := 0; start < len(vals); start += per {
		chunk := vals[start:min(start+per, len(vals))]
		args := make([]any, 0, len(chunk)*len(cols))
		for _, v := range chunk {
			args = append(args, v...)
		}
		if err := d.exec(ctx, multiInsertSQL(d, cols, len(chunk), key), args...); err != nil {
			return err
		}
	}
	return nil
}

// lastPerKey keeps the last row of each key value in column k.
func lastPerKey(vals [][]any, k int) [][]any {
	last := make(map[string]int, len(vals))
	for i, v := range vals {
		last[keyString(v[k])] = i
	}
	if len(last) == len(vals) {
		return vals
	}
	out := make([][]any, 0, len(last))
	for i, v := range vals {
		if last[keyString(v[k])] == i {
			out = append(out, v)
		}
	}
	return out
}

func multiInsertSQL(d sqlDialect, cols []column, nrows int, key string) string {
	var b strings.Builder
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = d.quote(c.name)
	}
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", d.table(), strings.Join(names, ", "))
	p := 1
	for r := range nrows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(p))
			p++
		}
		b.WriteByte(')')
	}
	b.WriteString(upsertClause(d, cols, key))
	return b.String()
}

func (d *pgDialect) commit(ctx context.Context) error {
	tx := d.tx
	d.tx = nil
	return tx.Commit(ctx)
}

func (d *pgDialect) rollback(ctx context.Context) {
	if d.tx != nil {
		d.tx.Rollback(ctx)
		d.tx = nil
	}
}

func (d *pgDialect) close() error {
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close(context.Background())
	d.conn = nil
	return err
}
