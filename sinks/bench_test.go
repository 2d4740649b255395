package sinks

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

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
// 1000 rows, a prepared INSERT in a transaction per batch. It runs on disk
// and on tmpfs (/dev/shm, where fsync is free, so the figures show the CPU
// cost without the shared disk's noise). The paired sub-benchmarks run raw
// and sink alternately and report sink/raw throughput as "ratio".
func BenchmarkSQLite(b *testing.B) {
	const batch = 1000
	raw := func(dir string) { rawSQLite(b, filepath.Join(dir, "raw.db"), batch) }
	sink := func(dir string) {
		w, _ := NewSQLite[benchRow](filepath.Join(dir, "s.db"), SQLiteConfig{SQLConfig{BatchSize: batch}})
		writeBench(b, w, benchRowAt)
	}
	record := func(dir string) {
		w, _ := NewSQLite[record.Record](filepath.Join(dir, "r.db"), SQLiteConfig{SQLConfig{BatchSize: batch}})
		writeBench(b, w, benchRecordAt)
	}
	for _, place := range benchPlaces(b) {
		b.Run(place.name+"/raw", func(b *testing.B) { benchOne(b, place.dir, raw) })
		b.Run(place.name+"/sink-struct", func(b *testing.B) { benchOne(b, place.dir, sink) })
		b.Run(place.name+"/sink-record", func(b *testing.B) { benchOne(b, place.dir, record) })
		b.Run(place.name+"/paired-struct", func(b *testing.B) { benchPaired(b, place.dir, raw, sink) })
	}
}

type benchPlace struct{ name, dir string }

func benchPlaces(b *testing.B) []benchPlace {
	places := []benchPlace{{"disk", b.TempDir()}}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "sluice-bench")
		if err == nil {
			b.Cleanup(func() { os.RemoveAll(dir) })
			places = append(places, benchPlace{"tmpfs", dir})
		}
	}
	return places
}

// benchOne runs fn in a fresh directory under parent per op.
func benchOne(b *testing.B, parent string, fn func(dir string)) {
	for b.Loop() {
		dir, _ := os.MkdirTemp(parent, "op")
		fn(dir)
		os.RemoveAll(dir)
	}
	reportRows(b)
}

// benchPaired alternates raw and sink and reports each one's rows/s and
// their ratio, so both see the same machine load: "ratio" from wall time,
// "cpu-ratio" from the process's CPU time (user+sys), which the other
// processes on a shared machine disturb much less.
func benchPaired(b *testing.B, parent string, raw, sink func(dir string)) {
	var wall, cpu [2]time.Duration
	for b.Loop() {
		for i, fn := range []func(string){raw, sink} {
			dir, _ := os.MkdirTemp(parent, "op")
			start, startCPU := time.Now(), cpuTime()
			fn(dir)
			wall[i] += time.Since(start)
			cpu[i] += cpuTime() - startCPU
			os.RemoveAll(dir)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/wall[0].Seconds(), "raw-rows/s")
	b.ReportMetric(float64(benchRows*b.N)/wall[1].Seconds(), "sink-rows/s")
	b.ReportMetric(wall[0].Seconds()/wall[1].Seconds(), "ratio")
	b.ReportMetric(cpu[0].Seconds()/cpu[1].Seconds(), "cpu-ratio")
}

// cpuTime is the user plus system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
// with pgx CopyFrom by hand, both in transactions of 10,000 rows, each op
// into a fresh schema; paired runs both alternately and reports the ratio.
func BenchmarkPostgres(b *testing.B) {
	dsn := postgresDSN(b)
	const batch = 10_000
	ctx := context.Background()
	raw := func(string) { rawCopy(b, ctx, dsn, freshSchema(b, dsn), batch) }
	sink := func(string) {
		w, _ := NewPostgres[benchRow](PostgresConfig{DSN: dsn, Schema: freshSchema(b, dsn), SQLConfig: SQLConfig{BatchSize: batch}})
		writeBench(b, w, benchRowAt)
	}
	dir := b.TempDir()
	b.Run("raw-copyfrom", func(b *testing.B) { benchOne(b, dir, raw) })
	b.Run("sink-struct", func(b *testing.B) { benchOne(b, dir, sink) })
	b.Run("paired", func(b *testing.B) { benchPaired(b, dir, raw, sink) })
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
