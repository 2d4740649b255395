package sinks

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/pipeline"
	"github.com/sluicehq/sluice/record"
)

func pgQuery(t *testing.T, dsn, q string) [][]any {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPostgresCopyCreatesAndEvolvesTable(t *testing.T) {
	dsn := postgresDSN(t)
	schema := freshSchema(t, dsn)
	table := `odd "table"; drop`
	w, err := NewPostgres[record.Record](PostgresConfig{DSN: dsn, Schema: schema, SQLConfig: SQLConfig{Table: table}})
	if err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	writeAll(t, w,
		rec("a", "n", 1, "f", 2, "ok", true, "tags", []string{"x"}, "meta", map[string]any{"k": 1}, "at", seen),
		rec("b", "n", 2, "f", 2.5, "nested", []any{"s", 1}, `we"ird col`, "v"))
	cols := pgQuery(t, dsn, fmt.Sprintf(`SELECT column_name::text, data_type::text FROM information_schema.columns
		WHERE table_schema = '%s' ORDER BY ordinal_position`, schema))
	want := [][]any{{"key", "text"}, {"url", "text"}, {"n", "bigint"}, {"f", "double precision"}, {"ok", "boolean"},
		{"tags", "jsonb"}, {"meta", "jsonb"}, {"at", "timestamp with time zone"}, {"nested", "jsonb"}, {`we"ird col`, "text"}}
	if !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns %v\nwant    %v", cols, want)
	}
	rows := pgQuery(t, dsn, fmt.Sprintf(`SELECT key, n, tags, meta, at FROM %s ORDER BY key`, pgx.Identifier{schema, table}.Sanitize()))
	if len(rows) != 2 {
		t.Fatalf("rows %v", rows)
	}
	if rows[0][2].([]any)[0] != "x" || rows[0][3].(map[string]any)["k"] != 1.0 || !rows[0][4].(time.Time).Equal(seen) {
		t.Errorf("row a = %v", rows[0])
	}
}

func TestPostgresTypeMismatchFailsCommit(t *testing.T) {
	dsn := postgresDSN(t)
	schema := freshSchema(t, dsn)
	ctx := context.Background()
	w, _ := NewPostgres[record.Record](PostgresConfig{DSN: dsn, Schema: schema})
	if err := w.Write(ctx, rec("a", "n", 1)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	w.Write(ctx, rec("b", "n", "12"))  // converted: a numeric string
	w.Write(ctx, rec("c", "n", "abc")) // not convertible
	err := w.Close(ctx)
	var ve *ValueError
	if !asErr(err, &ve) || ve.Column != "n" {
		t.Fatalf("Close = %v, want *ValueError for n", err)
	}
	rows := pgQuery(t, dsn, fmt.Sprintf(`SELECT key, n FROM %s.items ORDER BY key`, pgx.Identifier{schema}.Sanitize()))
	if len(rows) != 1 {
		t.Fatalf("rows %v: the failed batch must roll back", rows)
	}
}

func TestPostgresUpsert(t *testing.T) {
	dsn := postgresDSN(t)
	schema := freshSchema(t, dsn)
	cfg := PostgresConfig{DSN: dsn, Schema: schema, SQLConfig: SQLConfig{Table: "products", Mode: Upsert}}
	w, _ := NewPostgres[product](cfg)
	// The same key twice in one batch: the last wins.
	writeAll(t, w, product{ID: "1", Name: "old"}, product{ID: "2", Name: "two"}, product{ID: "1", Name: "new", Tags: []string{"t"}})
	w2, _ := NewPostgres[product](cfg)
	writeAll(t, w2, product{ID: "2", Name: "two again"})
	rows := pgQuery(t, dsn, fmt.Sprintf(`SELECT id, name, tags FROM %s.products ORDER BY id`, pgx.Identifier{schema}.Sanitize()))
	want := [][]any{{"1", "new", []any{"t"}}, {"2", "two again", nil}}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows %v\nwant %v", rows, want)
	}
}

func TestPostgresNeedsDSN(t *testing.T) {
	if _, err := NewPostgres[record.Record](PostgresConfig{}); err == nil {
		t.Fatal("no error without a DSN")
	}
	if _, err := NewPostgres[record.Record](PostgresConfig{DSN: "postgres://%zz"}); err == nil {
		t.Fatal("no error for a malformed DSN")
	}
}

func TestPostgresDeadLetterTable(t *testing.T) {
	dsn := postgresDSN(t)
	schema := freshSchema(t, dsn)
	w, _ := NewPostgres[FailureRecord](PostgresConfig{DSN: dsn, Schema: schema, SQLConfig: SQLConfig{Table: "failures"}})
	dl := NewDeadLetter(w, DeadLetterConfig{})
	ctx := context.Background()
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	must(t, dl.Handle(ctx, pipeline.Failure{Stage: "fetch", Input: fakeRequest{URL: "u"}, Err: errors.New("503"), Attempts: 4, Time: at}))
	must(t, dl.Close(ctx))
	rows := pgQuery(t, dsn, fmt.Sprintf(`SELECT key, stage, error, attempts, time, input FROM %s.failures`, pgx.Identifier{schema}.Sanitize()))
	want := [][]any{{"u", "fetch", "503", int64(4), at, map[string]any{"URL": "u", "Key": ""}}}
	if len(rows) != 1 || fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Fatalf("rows %v\nwant %v", rows, want)
	}
}
