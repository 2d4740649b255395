package sinks

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sluicehq/sluice/record"
)

const benchRows = 100_000

type benchRow struct {
	Key   string  `sluice:"key,key"`
	URL   string  `sluice:"url"`
	N     int64   `sluice:"n"`
	F     float64 `sluice:"f"`
	Title string  `sluice:"title"`
}

func benchRowAt(i int) benchRow {
	k := "https://example.test/item/" + strconv.Itoa(i)
	return benchRow{Key: k, URL: k, N: int64(i), F: float64(i) / 3, Title: "a product title of some length " + strconv.Itoa(i)}
}

func benchRecordAt(i int) record.Record {
	b := benchRowAt(i)
	r := record.Record{Key: b.Key, URL: b.URL}
	r.Set("n", b.N)
	r.Set("f", b.F)
	r.Set("title", b.Title)
	return r
}

func reportRows(b *testing.B) {
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSQLite writes 100,000 rows per op with the sink (struct and
// record items) and with the same driver by hand: the same DSN, batches of
// 1000 rows, a prepared INSERT in a transaction per batch.
func BenchmarkSQLite(b *testing.B) {
	const batch = 1000
	b.Run("raw", func(b *testing.B) {
		for b.Loop() {
			rawSQLite(b, filepath.Join(b.TempDir(), "raw.db"), batch)
		}
		reportRows(b)
	})
	b.Run("sink-struct", func(b *testing.B) {
		for b.Loop() {
			w, _ := NewSQLite[benchRow](filepath.Join(b.TempDir(), "s.db"), SQLiteConfig{SQLConfig{BatchSize: batch}})
			writeBench(b, w, benchRowAt)
		}
		reportRows(b)
	})
	b.Run("sink-record", func(b *testing.B) {
		for b.Loop() {
			w, _ := NewSQLite[record.Record](filepath.Join(b.TempDir(), "r.db"), SQLiteConfig{SQLConfig{BatchSize: batch}})
			writeBench(b, w, benchRecordAt)
		}
		reportRows(b)
	})
}

func writeBench[T any](b *testing.B, w Target[T], item func(int) T) {
	ctx := context.Background()
	for i := range benchRows {
		if err := w.Write(ctx, item(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(ctx); err != nil {
		b.Fatal(err)
	}
}

func rawSQLite(b *testing.B, path string, batch int) {
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE items (key TEXT, url TEXT, n INTEGER, f REAL, title TEXT)`); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < benchRows; start += batch {
		tx, _ := db.Begin()
		st, err := tx.Prepare(`INSERT INTO items (key, url, n, f, title) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for i := start; i < start+batch; i++ {
			r := benchRowAt(i)
			if _, err := st.Exec(r.Key, r.URL, r.N, r.F, r.Title); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPostgres writes 100,000 rows per op with the sink (COPY) and
// with pgx CopyFrom by hand, both in transactions of 10,000 rows.
func BenchmarkPostgres(b *testing.B) {
	dsn := postgresDSN(b)
	const batch = 10_000
	ctx := context.Background()
	b.Run("raw-copyfrom", func(b *testing.B) {
		for b.Loop() {
			schema := freshSchema(b, dsn)
			rawCopy(b, ctx, dsn, schema, batch)
		}
		reportRows(b)
	})
	b.Run("sink-struct", func(b *testing.B) {
		for b.Loop() {
			schema := freshSchema(b, dsn)
			w, _ := NewPostgres[benchRow](PostgresConfig{DSN: dsn, Schema: schema, SQLConfig: SQLConfig{BatchSize: batch}})
			writeBench(b, w, benchRowAt)
		}
		reportRows(b)
	})
}

func rawCopy(b *testing.B, ctx context.Context, dsn, schema string, batch int) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	tbl := pgx.Identifier{schema, "items"}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s (key TEXT, url TEXT, n BIGINT, f DOUBLE PRECISION, title TEXT)`, tbl.Sanitize())); err != nil {
		b.Fatal(err)
	}
	cols := []string{"key", "url", "n", "f", "title"}
	for start := 0; start < benchRows; start += batch {
		rows := make([][]any, 0, batch)
		for i := start; i < start+batch; i++ {
			r := benchRowAt(i)
			rows = append(rows, []any{r.Key, r.URL, r.N, r.F, r.Title})
		}
		tx, err := conn.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.CopyFrom(ctx, tbl, cols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
